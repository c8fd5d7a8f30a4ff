import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  isVaultError,
  VaultAuthError,
  VaultConflictError,
  VaultError,
  VaultNotFoundError,
  VaultPayloadTooLargeError,
  VaultResponseError,
  VaultUnavailableError,
  VaultValidationError,
} from "../../src/index.js";
import { anyStatus, malformed, mockClient, operation, SESSION_ID, useMockVault, vaultError } from "../helpers.js";

const server = useMockVault();

const statuses = [
  { status: 400, type: VaultValidationError, code: "validation", retryable: false },
  { status: 401, type: VaultAuthError, code: "auth", retryable: false },
  { status: 403, type: VaultAuthError, code: "auth", retryable: false },
  { status: 404, type: VaultNotFoundError, code: "not_found", retryable: false },
  { status: 409, type: VaultConflictError, code: "conflict", retryable: false },
  { status: 413, type: VaultPayloadTooLargeError, code: "payload_too_large", retryable: false },
  { status: 429, type: VaultUnavailableError, code: "unavailable", retryable: true },
  { status: 500, type: VaultUnavailableError, code: "unavailable", retryable: true },
  { status: 502, type: VaultUnavailableError, code: "unavailable", retryable: true },
  { status: 503, type: VaultUnavailableError, code: "unavailable", retryable: true },
  { status: 504, type: VaultUnavailableError, code: "unavailable", retryable: true },
  { status: 405, type: VaultResponseError, code: "bad_response", retryable: false },
  { status: 418, type: VaultResponseError, code: "bad_response", retryable: false },
] as const;

describe("HTTP status -> error class", () => {
  it.each(statuses)("$status -> $type.name", async ({ status, type, code, retryable }) => {
    // Some of these statuses come from a proxy, not the vault, so UserUpdate does not list them.
    const op = operation("UserUpdate", () => anyStatus(vaultError(status, "the vault's own words")));
    server.use(op.handler);

    const error = await mockClient({ retry: false })
      .updateUser("email", "ada@example.com", { name: "Ada" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({
      name: type.name,
      operation: "UserUpdate",
      status,
      code,
      retryable,
      message: "the vault's own words",
    });
    expect(isVaultError(error)).toBe(true);
    expect(op.received).toHaveLength(1);
  });

  it("names the status when the error body is not the contract's JSON (a proxy's HTML page)", async () => {
    server.use(
      operation("SessionDelete", () => malformed(new Response("<html>Bad Gateway</html>", { status: 502 }))).handler,
    );
    const error = await mockClient({ retry: false })
      .deleteSession(SESSION_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultUnavailableError);
    expect((error as VaultError).message).toBe("SessionDelete: the vault answered HTTP 502");
  });

  it("throws VaultNotFoundError where a 404 is an error, not a null", async () => {
    for (const name of ["UserUpdate", "UserDelete", "TokenDelete", "SessionListUserSessions", "SessionRevokeUser"]) {
      server.use(operation(name, () => vaultError(404, "user not found")).handler);
    }
    const vault = mockClient({ retry: false });
    await expect(vault.updateUser("email", "x@example.com", {})).rejects.toBeInstanceOf(VaultNotFoundError);
    await expect(vault.deleteUser("email", "x@example.com")).rejects.toBeInstanceOf(VaultNotFoundError);
    await expect(vault.deleteToken("nope")).rejects.toBeInstanceOf(VaultNotFoundError);
    await expect(vault.listUserSessions("email", "x@example.com")).rejects.toBeInstanceOf(VaultNotFoundError);
    await expect(vault.revokeUserSessions("email", "x@example.com")).rejects.toBeInstanceOf(VaultNotFoundError);
  });

  it("toJSON() has the public fields and nothing else", async () => {
    server.use(operation("SessionUpsert", () => vaultError(409, "version mismatch")).handler);
    const error = (await mockClient()
      .upsertSession(SESSION_ID, { a: 1 }, { expectversion: 2 })
      .catch((e: unknown) => e)) as VaultError;
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
      name: "VaultConflictError",
      message: "version mismatch",
      operation: "SessionUpsert",
      status: 409,
      code: "conflict",
      retryable: false,
    });
  });
});

describe("isVaultError", () => {
  it("recognises errors from a second copy of the package (the CommonJS build)", async () => {
    const require = createRequire(import.meta.url);
    const otherCopy = require("../../dist/index.cjs") as typeof import("../../src/index.js");
    const foreign = new otherCopy.VaultConflictError("SessionUpsert", 409, "conflict");

    expect(foreign).not.toBeInstanceOf(VaultError);
    expect(isVaultError(foreign)).toBe(true);
    expect(otherCopy.isVaultError(new VaultAuthError("SessionGet", 403, "no"))).toBe(true);
  });

  it("is false for look-alikes and non-errors", () => {
    expect(isVaultError(new Error("x"))).toBe(false);
    expect(isVaultError({ name: "VaultError", status: 500, code: "unavailable" })).toBe(false);
    expect(isVaultError(null)).toBe(false);
    expect(isVaultError("VaultError")).toBe(false);
  });
});
