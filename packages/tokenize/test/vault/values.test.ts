import { randomUUID } from "node:crypto";
import { isVaultError } from "@sessionvault/client";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detokenize, luhnValid, tokenize } from "../../src/index.js";
import { withLuhnDigit } from "../detect/arbitraries.js";
import { useVault } from "./helpers.js";

const vault = useVault();

describe("tokenize / detokenize", () => {
  it("round-trips values of every type", async () => {
    const client = vault.client();
    const values = [
      ["email", "ada@example.com"],
      ["phone", "+44 20 7946 0958"],
      ["ssn", "078-05-1120"],
      ["string", "221B Baker Street"],
    ] as const;
    for (const [type, value] of values) {
      const { tokenuuid, tokenbase } = await tokenize(client, value, type);
      expect(tokenbase).not.toBe(value);
      expect(await detokenize(client, tokenuuid)).toBe(value);
    }
  });

  it("keeps card numbers format-preserving: same length, Luhn-valid, last four kept", async () => {
    const client = vault.client();
    const cards = fc.sample(
      fc.tuple(fc.constantFrom("4", "51", "37", "6011"), fc.integer({ min: 12, max: 19 })).chain(([prefix, length]) =>
        fc
          .array(fc.integer({ min: 0, max: 9 }), {
            minLength: length - prefix.length - 1,
            maxLength: length - prefix.length - 1,
          })
          .map((d) => withLuhnDigit(prefix + d.join(""))),
      ),
      { numRuns: 12, seed: 42 },
    );
    for (const card of cards) {
      const { tokenuuid, tokenbase } = await tokenize(client, card, "creditcard", { baselookup: true });
      expect(tokenbase).toMatch(/^\d+$/);
      expect(tokenbase).toHaveLength(card.length);
      expect(luhnValid(tokenbase)).toBe(true);
      expect(tokenbase.slice(-4)).toBe(card.slice(-4));
      expect(tokenbase).not.toBe(card);
      expect(await detokenize(client, tokenuuid)).toBe(card);
      expect(await detokenize(client, tokenbase)).toBe(card);
    }
  });

  it("returns the same token for the same value with unique: true, a fresh one without", async () => {
    const client = vault.client();
    const value = `unique-${randomUUID()}`;
    const first = await tokenize(client, value, "string", { unique: true });
    const second = await tokenize(client, value, "string", { unique: true });
    const fresh = await tokenize(client, value, "string");
    expect(second.tokenuuid).toBe(first.tokenuuid);
    expect(fresh.tokenuuid).not.toBe(first.tokenuuid);
  });

  it("detokenizes a token base only when the token was created with baselookup", async () => {
    const client = vault.client();
    const hidden = await tokenize(client, "4242424242424242", "creditcard");
    expect(await detokenize(client, hidden.tokenbase)).toBeNull();
    expect(await detokenize(client, hidden.tokenuuid)).toBe("4242424242424242");
    const open = await tokenize(client, "4242424242424242", "creditcard", { baselookup: true });
    expect(await detokenize(client, open.tokenbase)).toBe("4242424242424242");
  });

  it("token bases of non-Latin values carry none of their characters", async () => {
    const client = vault.client();
    for (const value of [
      "山田太郎 東京都港区六本木一丁目1-2-3",
      "محمد عبد الله، شارع الملك فهد ١٢٣٤٥٦",
      "Zoë Müller-Lüdenscheidt",
    ]) {
      const { tokenuuid, tokenbase } = await tokenize(client, value, "string");
      expect(tokenbase).toMatch(/^[A-Za-z0-9 \-/.@+(),_]+$/);
      expect(await detokenize(client, tokenuuid)).toBe(value);
    }
  });

  it("returns null for an unknown token", async () => {
    expect(await detokenize(vault.client(), randomUUID())).toBeNull();
  });

  it("rejects a card number that fails the Luhn check with a validation error that hides the value", async () => {
    const error = await tokenize(vault.client(), "4242424242424241", "creditcard").catch((e: unknown) => e);
    expect(isVaultError(error) && error.status).toBe(400);
    expect(JSON.stringify(error)).not.toContain("4242424242424241");
    expect(String(error)).not.toContain("4242424242424241");
  });
});
