import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";
import { findStorageHazard } from "./json-guard.js";

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops keeping data and
 * fails with 413 at once; the rest of the stream is discarded, never buffered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new HttpError(413, "request body is too large"));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new HttpError(413, "request body is too large"));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on("error", (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

const MAX_DEPTH = 64;

// Fatal: a body that is not UTF-8 is refused, not stored with U+FFFD in its place.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses a JSON body, refusing what would be stored differently than sent: invalid
 * UTF-8, duplicate keys, numbers a double cannot hold exactly as written. Nesting is
 * capped so no stored value can later overflow the stack when it is serialised again.
 */
export function parseJson(raw: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw new HttpError(400, "body: is not valid UTF-8");
  }
  if (text.length > MAX_DEPTH * 2 && nestingDepth(text) > MAX_DEPTH) {
    throw new HttpError(400, `body: nested deeper than ${MAX_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "body: is not valid JSON");
  }
  const hazard = findStorageHazard(text, MAX_DEPTH);
  if (hazard) throw new HttpError(400, hazard);
  return value;
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
