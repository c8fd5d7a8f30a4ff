import { HttpResponse, http } from "msw/http";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createVaultClient, type VaultClient, type VaultClientOptions } from "../src/index.js";

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

/** Starts msw for the file's tests; any request no handler answers is an error. */
export function useMockVault() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => server.resetHandlers());
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
 * `reply` (a JSON body, or a function returning a Response).
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
    if (typeof reply === "function") return reply(entry, received.length);
    return HttpResponse.json(reply);
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
