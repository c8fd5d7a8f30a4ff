import { HttpResponse } from "msw/http";
import { describe, expect, it } from "vitest";
import { contractViolation, responseViolation } from "../contract-replies.js";

const UUID = "6f1c2b9e-5d4a-4c3b-9a8f-7e6d5c4b3a21";

// The check every msw reply of the client's tests goes through; a mock that drifts
// from openapi/sessionvault.yaml must be caught, not sent.
describe("the contract check of mocked replies", () => {
  it("passes replies that fit the operation's schema for their status", () => {
    expect(contractViolation("TokenCreate", 200, { status: "ok", tokenuuid: UUID, tokenbase: "4111" })).toBeNull();
    expect(contractViolation("SessionGet", 404, { status: "error", message: "not found" })).toBeNull();
  });

  it.each([
    ["a missing field", "TokenCreate", 200, { status: "ok", tokenuuid: UUID }, "tokenbase"],
    ["a wrong format", "TokenCreate", 200, { status: "ok", tokenuuid: "tok-1", tokenbase: "x" }, "uuid"],
    ["a value outside an enum", "TokenGet", 200, { status: "ok", record: "r", tokentype: "iban" }, "allowed values"],
    ["a wrong type in a row", "SessionListUserSessions", 200, { status: "ok", rows: [{}] }, "/rows/0"],
    ["an error body where ok is due", "SessionDelete", 200, { status: "error", message: "x" }, "status"],
    ["a status the operation does not list", "SessionGet", 503, { status: "error", message: "x" }, "no such reply"],
  ])("catches %s", (_name, operation, status, body, hint) => {
    expect(contractViolation(operation, status, body)).toContain(hint);
  });

  it("allows an unlisted error status only when asked, and still checks its body", () => {
    const draining = { status: "error", message: "draining" };
    expect(contractViolation("SessionGet", 503, draining, { anyStatus: true })).toBeNull();
    expect(contractViolation("SessionGet", 503, { status: "error" }, { anyStatus: true })).toContain("message");
  });

  it("requires a JSON content type and a JSON body", async () => {
    const html = new HttpResponse('{"status":"ok"}', { headers: { "content-type": "text/html" } });
    expect(await responseViolation("SessionDelete", html)).toContain("not JSON");
    const broken = new HttpResponse('{"status":', { headers: { "content-type": "application/json" } });
    expect(await responseViolation("SessionDelete", broken)).toContain("not JSON");
    expect(await responseViolation("SessionDelete", HttpResponse.json({ status: "ok" }))).toBeNull();
  });
});
