import { describe, expect, it } from "vitest";
import { createVaultClient, type VaultClientOptions, VaultValidationError } from "../../src/index.js";

const valid: VaultClientOptions = { baseUrl: "http://127.0.0.1:3000", token: "DEMO" };

describe("createVaultClient options", () => {
  it("accepts http and https base URLs, with or without a path", () => {
    for (const baseUrl of ["http://127.0.0.1:3000", "https://vault.example.com", "https://example.com/vault/"]) {
      expect(() => createVaultClient({ ...valid, baseUrl })).not.toThrow();
    }
  });

  it.each<[string, Partial<VaultClientOptions> & Record<string, unknown>, string]>([
    ["a relative baseUrl", { baseUrl: "/vault" }, "baseUrl must be an http:// or https:// URL"],
    ["a baseUrl without a scheme", { baseUrl: "vault.internal:3000" }, "baseUrl must be an http:// or https:// URL"],
    ["another scheme", { baseUrl: "ftp://vault" }, "baseUrl must be an http:// or https:// URL"],
    ["an empty token", { token: "" }, "token must be a non-empty string"],
    ["a missing token", { token: undefined }, "token must be a non-empty string"],
    ["an empty tenant", { tenant: "" }, "tenant must be a non-empty string when given"],
    ["a zero timeout", { timeoutMs: 0 }, "timeoutMs must be a number > 0 and <= 2147483647"],
    [
      "an infinite timeout",
      { timeoutMs: Number.POSITIVE_INFINITY },
      "timeoutMs must be a number > 0 and <= 2147483647",
    ],
    ["a timeout beyond what timers hold", { timeoutMs: 2 ** 31 }, "timeoutMs must be a number > 0 and <= 2147483647"],
    ["negative retries", { retry: { retries: -1 } }, "retry.retries must be a number >= 0 and <= 2147483647"],
    ["a NaN delay", { retry: { minDelayMs: Number.NaN } }, "retry.minDelayMs must be a number >= 0 and <= 2147483647"],
    [
      "a non-number delay",
      { retry: { maxDelayMs: "1s" as unknown as number } },
      "retry.maxDelayMs must be a number >= 0 and <= 2147483647",
    ],
  ])("rejects %s with VaultValidationError (status 0)", (_name, override, message) => {
    let error: unknown;
    try {
      createVaultClient({ ...valid, ...override } as VaultClientOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VaultValidationError);
    expect(error).toMatchObject({ operation: "createVaultClient", status: 0, code: "validation", message });
  });

  it("fills retry options left out (or undefined) from the defaults", async () => {
    let attempts = 0;
    const vault = createVaultClient({
      ...valid,
      retry: { retries: undefined, minDelayMs: 1, maxDelayMs: 1 },
      fetch: async () => {
        attempts++;
        return new Response(null, { status: 503 });
      },
    });
    await expect(vault.getSession("session-id-1")).rejects.toMatchObject({ status: 503 });
    expect(attempts).toBe(3);
  });

  it("never echoes the token it rejects", () => {
    try {
      createVaultClient({ ...valid, token: "secret-token-value", timeoutMs: -5 });
    } catch (e) {
      expect(String(e)).not.toContain("secret-token-value");
      expect(JSON.stringify(e)).not.toContain("secret-token-value");
    }
    expect.assertions(2);
  });
});
