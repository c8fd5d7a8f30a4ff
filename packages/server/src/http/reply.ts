import type { ServerResponse } from "node:http";
import { stringifyJson } from "../core/raw-json.js";

type Json = Record<string, unknown>;

/**
 * Writes a JSON reply in one buffer (its length is the Content-Length, and the socket
 * gets it without re-encoding). Stored session data is spliced in as the text it was
 * sealed as. `close` asks the client to drop the connection (while draining).
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: Json,
  extra?: Readonly<Record<string, string>>,
  close = false,
): void {
  if (res.headersSent) return;
  const payload = Buffer.from(stringifyJson(body) ?? "null");
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": payload.length,
    "cache-control": "no-store",
    ...extra,
  };
  if (close) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(payload);
}
