import { Pool } from "undici";

/**
 * Options of {@link createNodeFetch}.
 *
 * @example
 * ```ts
 * const fetch = createNodeFetch({ maxSockets: 128 });
 * ```
 */
export interface NodeFetchOptions {
  /** Most open connections per vault origin. Default 64. */
  maxSockets?: number;
  /**
   * Requests in flight on one connection (HTTP/1.1 pipelining). Default 1: a slow call
   * never holds up the ones behind it. Only worth raising when connections are scarce.
   */
  pipelining?: number;
  /** Milliseconds an idle connection is kept open. Default 30 000. */
  keepAliveTimeoutMs?: number;
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...headers } as Record<string, string>;
}

type RawHeaders = Record<string, string | string[] | undefined>;

/** The read side of `Headers` over undici's parsed header object (names are lower case). */
class ReplyHeaders {
  constructor(private readonly raw: RawHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) callback(value, name);
    }
  }
}

/**
 * The part of a `Response` the vault client reads (status, headers, text and JSON), over
 * a body that is already in memory. A WHATWG `Response` would wrap it in a stream and copy
 * it again: a quarter of the transport's CPU for a reply of a few hundred bytes.
 */
class Reply {
  readonly ok: boolean;
  readonly statusText = "";
  readonly redirected = false;
  readonly type = "basic";
  bodyUsed = false;
  readonly headers: ReplyHeaders;
  constructor(
    readonly status: number,
    headers: RawHeaders,
    readonly url: string,
    private readonly content: string,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.headers = new ReplyHeaders(headers);
  }
  private consume(): string {
    if (this.bodyUsed) throw new TypeError("Body is unusable: Body has already been read");
    this.bodyUsed = true;
    return this.content;
  }
  async text(): Promise<string> {
    return this.consume();
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.consume());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = new TextEncoder().encode(this.consume());
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  clone(): Reply {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    return new Reply(this.status, {}, this.url, this.content).withHeaders(this.headers);
  }
  private withHeaders(headers: ReplyHeaders): this {
    (this as { headers: ReplyHeaders }).headers = headers;
    return this;
  }
}

/**
 * A `fetch` for the vault client over undici connection pools (keep-alive, one pool per
 * vault origin). The client sends only small JSON POSTs to one origin; the global
 * `fetch` (undici's full WHATWG fetch: Request objects, body streams, per-call dispatcher
 * work) and node:http's ClientRequest both cost several times the CPU of a pooled undici
 * `request` for that, and on a busy app server that CPU is the session store's
 * throughput. Supports what the client uses: string URL, method, headers, a string body
 * and an abort signal; the reply offers `status`, `ok`, `headers.get`/`has`, `text()`,
 * `json()`, `arrayBuffer()` and `clone()`, not a body stream. Node only: import it from
 * `@sessionvault/client/node`.
 *
 * @example
 * ```ts
 * import { createVaultClient } from "@sessionvault/client";
 * import { createNodeFetch } from "@sessionvault/client/node";
 *
 * const client = createVaultClient({ baseUrl, token, fetch: createNodeFetch() });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const connections = options.maxSockets ?? 64;
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections,
        pipelining: options.pipelining ?? 1,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  const nodeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const body = init.body ?? undefined;
    if (body !== undefined && typeof body !== "string") throw new TypeError("this fetch sends string bodies only");
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new TypeError(`unsupported protocol ${url.protocol}`);
    const response = await poolFor(url.origin).request({
      path: url.pathname + url.search,
      method: (init.method ?? "GET") as "GET",
      headers: headerRecord(init.headers),
      body,
      signal,
    });
    const text = await response.body.text();
    return new Reply(response.statusCode, response.headers, url.href, text) as unknown as Response;
  };

  return nodeFetch as typeof fetch;
}
