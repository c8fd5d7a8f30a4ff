import * as openapiFetch from "openapi-fetch";
import { errorForStatus, type VaultError, VaultNetworkError, VaultResponseError, VaultTimeoutError } from "./errors.js";
import type { paths } from "./generated/schema.js";
import { redact } from "./redact.js";
import { backoffDelay, isRetryableStatus, type RetryPolicy, retryAfterDelay, sleep } from "./retry.js";
import type { CallOptions, VaultRawClient } from "./types.js";

// openapi-fetch's CommonJS build sets `exports.default` without `__esModule`, so under
// Node's CommonJS interop the default import is the whole exports object. Unwrap it once
// so the CJS build of this package works as well as the ESM one.
type CreateClient = typeof openapiFetch.default;
const createClient: CreateClient =
  typeof openapiFetch.default === "function"
    ? openapiFetch.default
    : (openapiFetch.default as unknown as { default: CreateClient }).default;

export type V2Path = Extract<keyof paths, `/v2/${string}`>;
export type RequestBody<P extends V2Path> = paths[P]["post"]["requestBody"]["content"]["application/json"];
export type OkBody<P extends V2Path> = paths[P]["post"]["responses"][200]["content"]["application/json"];
export type Json = Record<string, unknown>;

/** The operation may be sent more than once. */
export const IDEMPOTENT = 1;
/** A 404 means "no such record" and resolves to null. */
export const MISSING_IS_NULL = 2;
/** A 404 on a repeated delete means an earlier attempt already deleted the record. */
export const GONE_AFTER_RETRY = 4;

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const anySignal: ((signals: AbortSignal[]) => AbortSignal) | undefined =
  typeof AbortSignal.any === "function" ? AbortSignal.any.bind(AbortSignal) : undefined;

/**
 * Redirects are never followed: fetch would send X-Bunker-Token along to whatever URL
 * a redirect names (it strips only `Authorization`), and the contract has none.
 * "error" is the spec's mode for that; with `window: null` it also lets Node's fetch
 * skip cloning every request (and teeing its body) for a redirect that cannot come,
 * which pays for the timeout signal in bench/client. Runtimes without "error"
 * (Cloudflare Workers) get "manual", and a 3xx then fails as an unexpected status.
 */
const NO_REDIRECTS: RequestInit = (() => {
  try {
    new Request("http://localhost/", { redirect: "error", window: null });
    return { redirect: "error", window: null };
  } catch {
    return { redirect: "manual" };
  }
})();

function isRefusedRedirect(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (/redirect/i.test(e.message)) return true;
  }
  return false;
}

/**
 * What openapi-fetch builds for each facade call instead of a WHATWG Request. The
 * runtime's fetch builds its own Request from (url, init) anyway; constructing a
 * second one per call (headers copied, body stream set up) added 15-30 % to a
 * getSession round trip in bench/client.
 */
class PlainRequest {
  readonly url: string;
  readonly method: string | undefined;
  readonly signal: AbortSignal | null | undefined;
  readonly init: RequestInit;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method;
    this.signal = init.signal;
    this.init = init;
  }
}

interface RawResult {
  data?: string;
  error?: unknown;
  response: Response;
}
type Post = (path: string, init: { body: unknown; signal: AbortSignal; parseAs: "text" }) => Promise<RawResult>;

/** Settings the transport needs; validated by createVaultClient. */
export interface TransportOptions {
  baseUrl: string;
  token: string;
  /** Every header of every call but content-type, keys in lower case. */
  headers: Record<string, string>;
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  policy: RetryPolicy;
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function badReply(operation: string, status: number, what: string): VaultResponseError {
  return new VaultResponseError(operation, status, `${operation}: ${what}`);
}

/** The typed raw client, and `send`: one contract operation with timeout, retry and typed errors. */
export function createTransport(options: TransportOptions) {
  const { baseUrl, token, headers, timeoutMs, policy } = options;
  const fetchImpl = options.fetch;
  // Looked up per call without a custom fetch, so instrumentation installed later still applies.
  const callFetch = fetchImpl ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));

  const raw: VaultRawClient = createClient<paths, "application/json">({
    ...NO_REDIRECTS,
    baseUrl,
    headers,
    fetch: fetchImpl ?? ((request: Request) => globalThis.fetch(request)),
  });

  // Sent with every facade call. Passed to fetch as a plain object rather than through
  // openapi-fetch's `headers`, which would build and validate a Headers list twice per
  // call before fetch builds its own; lower-case keys, so nothing is sent twice.
  const requestHeaders: Record<string, string> = { "content-type": "application/json", ...headers };

  const post = createClient<paths, "application/json">({
    ...NO_REDIRECTS,
    baseUrl,
    Request: PlainRequest as unknown as typeof Request,
    fetch: ((request: PlainRequest) => {
      const init = request.init;
      // A copy per call: a fetch wrapper may add headers to the object it is given.
      init.headers = { ...requestHeaders };
      return callFetch(request.url, init);
    }) as unknown as (r: Request) => Promise<Response>,
    // Nothing travels in the query string; a function skips the per-call serializer setup.
    querySerializer: () => "",
  }).POST as unknown as Post;

  /**
   * Decodes a 2xx reply, which openapi-fetch hands over as text (`parseAs: "text"`).
   * Its own JSON parsing (`parseAs: "json"`, the default) does not fit, for three reasons:
   * it parses whatever the content type, so a proxy's `text/html` 200 page would be read
   * as JSON before the type can be checked; its `SyntaxError` escapes from the call
   * itself, where it would pass for a network failure rather than a `VaultResponseError`,
   * and its message quotes the body, which may hold session data; and an empty body
   * becomes `undefined` without saying why. The typed `data` it would give is a cast
   * anyway: the fields are still checked here and in client.ts.
   */
  function decode(operation: string, result: RawResult): Json {
    const { response, data } = result;
    const status = response.status;
    const contentType = response.headers.get("content-type");
    if (contentType === null || !(contentType === "application/json" || JSON_CONTENT_TYPE.test(contentType))) {
      const got = contentType === null ? "none" : `"${contentType.slice(0, 60)}"`;
      throw badReply(operation, status, `expected an application/json reply, got ${got}`);
    }
    if (!data) throw badReply(operation, status, "the vault's reply is empty");
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      // No `cause`: a JSON.parse message quotes the body, and the body may hold session data.
      throw badReply(operation, status, "the vault's reply is not valid JSON");
    }
    if (!isObject(parsed) || parsed.status !== "ok") {
      throw badReply(operation, status, 'the vault\'s reply is not {"status":"ok", ...}');
    }
    return parsed;
  }

  function failure(operation: string, result: RawResult, body: unknown): VaultError {
    const status = result.response.status;
    const reply = result.error;
    const message =
      isObject(reply) && typeof reply.message === "string" && reply.message !== ""
        ? redact(reply.message.slice(0, 1000), token, body)
        : `${operation}: the vault answered HTTP ${status}`;
    return errorForStatus(operation, status, message);
  }

  /**
   * Sends one operation, retrying it when `flags` has IDEMPOTENT. Resolves to the
   * `{"status":"ok"}` reply, or to null for a 404 that `flags` says means "missing".
   */
  async function send<P extends V2Path>(
    path: P,
    body: RequestBody<P>,
    callOptions: CallOptions | undefined,
    flags: number,
  ): Promise<(OkBody<P> & Json) | null> {
    const operation = path.slice(4); // "/v2/SessionGet" -> "SessionGet", the contract's operationId
    const signal = callOptions?.signal;
    if (callOptions?.requestMetadata !== undefined) {
      (body as Json).request_metadata = callOptions.requestMetadata;
    }
    const retries = flags & IDEMPOTENT ? policy.retries : 0;
    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw signal.reason;
      let error: VaultError | undefined;
      let wait: number | undefined;
      let result: RawResult | undefined;

      // One attempt, under a timeout of its own that is linked to the caller's signal.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new VaultTimeoutError(operation, timeoutMs));
      }, timeoutMs);
      let attemptSignal = controller.signal;
      let unlink: (() => void) | undefined;
      if (signal !== undefined) {
        if (anySignal !== undefined) {
          attemptSignal = anySignal([signal, controller.signal]);
        } else {
          const forward = () => controller.abort(signal.reason);
          signal.addEventListener("abort", forward, { once: true });
          unlink = () => signal.removeEventListener("abort", forward);
        }
      }
      try {
        result = await post(path, { body, signal: attemptSignal, parseAs: "text" });
      } catch (cause) {
        // The caller's own abort wins over any interpretation of ours.
        if (signal?.aborted) throw signal.reason;
        if (timedOut) {
          error = new VaultTimeoutError(operation, timeoutMs);
        } else if (isRefusedRedirect(cause)) {
          throw new VaultResponseError(
            operation,
            0,
            `${operation}: the vault answered with a redirect, which is never followed (is baseUrl right, http or https?)`,
          );
        } else {
          error = new VaultNetworkError(operation, cause);
        }
      } finally {
        clearTimeout(timer);
        unlink?.();
      }

      if (result !== undefined) {
        const status = result.response.status;
        if (status >= 200 && status <= 299) return decode(operation, result) as OkBody<P> & Json;
        if (status === 404 && (flags & MISSING_IS_NULL || (flags & GONE_AFTER_RETRY && retry > 0))) return null;
        error = failure(operation, result, body);
        if (!isRetryableStatus(status)) throw error;
        wait = retryAfterDelay(result.response.headers.get("retry-after"), policy);
      }
      if (retry >= retries || error === undefined) throw error;
      await sleep(wait ?? backoffDelay(retry, policy), signal);
    }
  }

  return { raw, send };
}
