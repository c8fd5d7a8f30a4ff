import { VaultAuthError, VaultUnavailableError } from "@sessionvault/client";
import { PIIError, PIIErrorCode } from "@sessionvault/tokenize/detect";
import { describe, expect, it } from "vitest";
import { isSessionError, SessionError, SessionErrorCode, toSessionError } from "../src/index.js";

describe("the session error family", () => {
  it("maps every failure onto one class with a code an app can switch on", () => {
    const refused = toSessionError(new VaultAuthError("SessionGet", 403, "no"));
    const down = toSessionError(new VaultUnavailableError("SessionGet", 503, "down"));
    const pii = toSessionError(new PIIError(PIIErrorCode.detected, [{ path: "email", kind: "email" }]));
    expect([refused, down, pii].map((e) => isSessionError(e) && [e.code, e.status])).toEqual([
      [SessionErrorCode.VaultRefused, 500],
      [SessionErrorCode.VaultUnavailable, 503],
      [SessionErrorCode.PIIRefused, 500],
    ]);
    expect((pii as SessionError).paths).toEqual(["email"]);
    expect(toSessionError(pii)).toBe(pii);
  });

  it("gives the request-level refusals a status of their own: sign in again, or move the write", () => {
    const statuses = [SessionErrorCode.SessionGone, SessionErrorCode.NoSession, SessionErrorCode.ReadOnly].map(
      (code) => new SessionError(code, "refused").status,
    );
    expect(statuses).toEqual([401, 401, 500]);
  });

  it("recognises an error from another installed copy by its brand, and nothing that only looks like one", () => {
    const foreign = new Error("from another copy");
    Object.defineProperty(foreign, Symbol.for("@sessionvault/session.SessionError"), { value: true });
    Object.assign(foreign, { code: "pii_refused" });
    expect(isSessionError(foreign)).toBe(true);
    expect(isSessionError(foreign, "pii_refused")).toBe(true);
    expect(isSessionError(foreign, "vault_unavailable")).toBe(false);
    expect(isSessionError({ name: "SessionError", code: "pii_refused" })).toBe(false);
    expect(isSessionError(null)).toBe(false);
  });

  it("serialises to code, status, message and paths only", () => {
    const error = new SessionError(SessionErrorCode.PIIRefused, "refused", { paths: ["a"], cause: new Error("x") });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "SessionError",
      code: "pii_refused",
      status: 500,
      message: "refused",
      paths: ["a"],
    });
  });
});
