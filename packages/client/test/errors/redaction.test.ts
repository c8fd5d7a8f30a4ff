import { inspect } from "node:util";
import { HttpResponse } from "msw/http";
import { describe, expect, it } from "vitest";
import { createVaultClient, isVaultError, type VaultClient, type VaultError } from "../../src/index.js";
import { malformed, mockClient, operation, SESSION_ID, TOKEN, useMockVault, vaultError } from "../helpers.js";

const server = useMockVault();

const SECRET_DATA = {
  email: "ada.lovelace@example.com",
  apiKey: "sk_live_51Habc",
  nested: { card: "4111111111111111" },
};
const SECRETS = [TOKEN, SESSION_ID, "ada.lovelace@example.com", "sk_live_51Habc", "4111111111111111"];

/** Every way the error could reach a log line: message, stack, toJSON, String(), util.inspect (with its cause). */
function renderings(error: VaultError): string[] {
  return [error.message, String(error), error.stack ?? "", JSON.stringify(error), inspect(error, { depth: 10 })];
}

function expectNoSecrets(error: unknown) {
  expect(isVaultError(error)).toBe(true);
  for (const text of renderings(error as VaultError)) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

const upsert = (vault: VaultClient) => vault.upsertSession(SESSION_ID, SECRET_DATA).catch((e: unknown) => e);

describe("error messages never contain the token, the session id or session data", () => {
  it("cuts secrets out of a server message that echoes them", async () => {
    const echo = `bad session ${SESSION_ID} for token ${TOKEN}: field email=${SECRET_DATA.email} card ${SECRET_DATA.nested.card} key ${SECRET_DATA.apiKey}`;
    server.use(operation("SessionUpsert", () => vaultError(400, echo)).handler);
    const error = await upsert(mockClient());
    expectNoSecrets(error);
    expect((error as VaultError).message).toBe(
      "bad session [redacted] for token [redacted]: field email=[redacted] card [redacted] key [redacted]",
    );
  });

  it("keeps enumerations readable in redacted messages", async () => {
    server.use(operation("UserGet", () => vaultError(400, "mode must be one of token, login, email")).handler);
    const error = (await mockClient()
      .getUser("email", "ada.lovelace@example.com")
      .catch((e: unknown) => e)) as VaultError;
    expect(error.message).toBe("mode must be one of token, login, email");
  });

  it("cuts identities and token values out of user and token errors", async () => {
    server.use(
      operation("UserCreate", () => vaultError(409, "duplicate email ada.lovelace@example.com")).handler,
      operation("TokenCreate", () => vaultError(400, "record 4111111111111111 fails Luhn")).handler,
    );
    const vault = mockClient();
    const userError = await vault.createUser({ email: "ada.lovelace@example.com" }).catch((e: unknown) => e);
    const tokenError = await vault.createToken("creditcard", "4111111111111111").catch((e: unknown) => e);
    expectNoSecrets(userError);
    expectNoSecrets(tokenError);
    expect((userError as VaultError).message).toBe("duplicate email [redacted]");
  });

  it.each([
    ["a network failure", () => HttpResponse.error()],
    [
      "a non-JSON reply quoting the body",
      () =>
        malformed(
          new HttpResponse(`{"sessiondata": ${JSON.stringify(SECRET_DATA)}, oops`, {
            headers: { "content-type": "application/json" },
          }),
        ),
    ],
    [
      "a wrong content type",
      () => malformed(new HttpResponse(`token=${TOKEN}`, { headers: { "content-type": "text/plain" } })),
    ],
    ["a 500 without a JSON body", () => malformed(new HttpResponse(`crash in ${SESSION_ID}`, { status: 500 }))],
  ])("holds for %s", async (_name, reply) => {
    server.use(operation("SessionUpsert", reply).handler);
    expectNoSecrets(await upsert(mockClient({ retry: false })));
  });

  it("holds for a timeout", async () => {
    server.use(operation("SessionUpsert", () => new Promise<Response>(() => {})).handler);
    const error = await upsert(mockClient({ retry: false, timeoutMs: 20 }));
    expect((error as VaultError).code).toBe("timeout");
    expectNoSecrets(error);
  });

  it("holds for invalid client options", () => {
    let error: unknown;
    try {
      createVaultClient({ baseUrl: `vault.internal/${SESSION_ID}`, token: TOKEN });
    } catch (e) {
      error = e;
    }
    expectNoSecrets(error);
    expect((error as VaultError).status).toBe(0);
  });
});
