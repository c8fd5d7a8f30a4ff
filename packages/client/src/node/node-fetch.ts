import http from "node:http";
import https from "node:https";

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
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...headers } as Record<string, string>;
}

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * A `fetch` for the vault client over node:http keep-alive connections. The client sends only
 * small JSON POSTs to one origin, and undici's full WHATWG fetch (streams, Request objects,
 * per-call dispatcher work) costs several times the CPU of a plain keep-alive request for
 * that; on a busy app server that CPU is the session store's throughput. Supports what the
 * client uses: string URL, method, headers, a string body and an abort signal.
 *
 * @example
 * ```ts
 * const client = createVaultClient({ baseUrl, token, fetch: createNodeFetch() });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 64;
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets, scheduling: "lifo" }),
    "https:": new https.Agent({ keepAlive: true, maxSockets, scheduling: "lifo" }),
  };

  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body = init.body ?? undefined;
      if (body !== undefined && typeof body !== "string") {
        reject(new TypeError("this fetch sends string bodies only"));
        return;
      }
      const agent =
        url.protocol === "https:" ? agents["https:"] : url.protocol === "http:" ? agents["http:"] : undefined;
      if (!agent) {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const headers = headerRecord(init.headers);
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));

      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      };
      const request = (url.protocol === "https:" ? https : http).request(
        url,
        { method: init.method ?? "GET", headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", fail);
          response.on("end", () => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener("abort", onAbort);
            const status = response.statusCode ?? 0;
            const empty = status === 204 || status === 205 || status === 304;
            try {
              resolve(
                new Response(empty ? null : Buffer.concat(chunks), {
                  status,
                  statusText: response.statusMessage ?? "",
                  headers: responseHeaders(response.rawHeaders),
                }),
              );
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", fail);
      request.end(body);
    });

  return nodeFetch as typeof fetch;
}
