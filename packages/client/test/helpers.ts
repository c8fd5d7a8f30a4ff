import { HttpResponse, http } from "msw/http";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createVaultClient, type VaultClient, type VaultClientOptions } from "../src/index.js";
import { responseViolation } from "./contract-replies.js";

export const BASE_URL = "http://vault.test";
export const TOKEN = "tok-3f9a7c1e-secret-access-token";
export const SESSION_ID = "sess-0123456789abcdef-secret-id";

/** A request as the vault received it. */
export interface Received {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

/** Replies that {@link malformed} marked: sent as they are, never checked. */
const offContract = new WeakSet<Response>();
/** Replies that {@link anyStatus} marked: any status, but the contract's error body. */
const unlistedStatus = new WeakSet<Response>();
/** What the mocked replies of the running test got wrong; checked after each test. */
const violations: string[] = [];

/**
 * Marks a reply as deliberately outside the contract (a broken body, a proxy's page, a
 * status the operation never answers with), so {@link operation} sends it unchecked.
 * Every other mocked reply must fit the contract's reply schema for its operation and
 * status, or the test fails.
 *
 * @example
 * ```ts
 * operation("SessionGet", () => malformed(new HttpResponse("<html>", { status: 502 })));
 * ```
 */
export function malformed<R extends Response>(response: R): R {
  offContract.add(response);
  return response;
}

/**
 * Marks an error reply whose status the operation's contract does not list (a proxy's
 * 429 or 401, a draining vault's 503 on a read). Its body is still checked against
 * the contract's `ErrorResponse`.
 *
 * @example
 * ```ts
 * operation("SessionGet", () => anyStatus(vaultError(503, "draining")));
 * ```
 */
export function anyStatus<R extends Response>(response: R): R {
  unlistedStatus.add(response);
  return response;
}

const SESSION_META = { version: 1, created: 1_763_700_000_000, lastused: 1_763_700_000_000, expires: null };

/**
 * A `SessionGet` 200 reply as the contract states it, holding `data`.
 *
 * @example
 * ```ts
 * operation("SessionGet", sessionReply({ user: "ada" }));
 * ```
 */
export function sessionReply(data: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: "ok", sessiondata: data, ...SESSION_META };
}

/**
 * Starts msw for the file's tests; any request no handler answers is an error, and so
 * is a reply of {@link operation} that breaks the contract.
 */
export function useMockVault() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => {
    server.resetHandlers();
    const found = violations.splice(0);
    expect(found.join("\n"), "mocked replies that break the contract (wrap deliberate ones in malformed())").toBe("");
  });
  afterAll(() => server.close());
  return server;
}

/** A client against the mock vault with fast retries, so retry tests take milliseconds. */
export function mockClient(options: Partial<VaultClientOptions> = {}): VaultClient {
  return createVaultClient({
    baseUrl: BASE_URL,
    token: TOKEN,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
}

/**
 * A handler for POST /v2/{operation} that records each request and answers with
 * `reply` (a 200 JSON body, or a function returning a Response). Each reply is checked
 * against the contract unless it is a network error or marked {@link malformed}.
 */
export type Reply = (received: Received, attempt: number) => Response | Promise<Response>;

export function operation(name: string, reply: Record<string, unknown> | Reply) {
  const received: Received[] = [];
  const handler = http.post(`${BASE_URL}/v2/${name}`, async ({ request }) => {
    const text = await request.text();
    const entry: Received = {
      method: request.method,
      path: new URL(request.url).pathname,
      headers: request.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    received.push(entry);
    const response = typeof reply === "function" ? await reply(entry, received.length) : HttpResponse.json(reply);
    if (response.type !== "error" && !offContract.has(response)) {
      const violation = await responseViolation(name, response, { anyStatus: unlistedStatus.has(response) });
      if (violation !== null) violations.push(violation);
    }
    return response;
  });
  return { handler, received };
}

/** `{"status":"error","message":...}` with the given HTTP status. */
export function vaultError(
  status: number,
  message = "something went wrong",
  headers?: Record<string, string>,
): Response {
  return HttpResponse.json({ status: "error", message }, { status, headers });
}
