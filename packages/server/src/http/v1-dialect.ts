import type { IncomingMessage } from "node:http";
import type { Json, Mode } from "../core/context.js";
import type { VaultService } from "../core/service.js";
import { parseJson, readBody } from "./body.js";
import { badRequest } from "./http-error.js";
import type { Operation } from "./operation.js";
import type { ContractValidators } from "./validate.js";

export interface V1Deps {
  service: VaultService;
  validators: ContractValidators;
  bodyLimit: number;
}

/** A v1 request resolved to an operation, or refused before one runs. */
export type V1Route =
  | { operation: Operation }
  | { refused: { status: number; message: string; headers?: Record<string, string> } };

const notFound: V1Route = { refused: { status: 404, message: "unknown operation" } };

/**
 * Databunker OSS's REST dialect over the same service: `POST|GET|DELETE /v1/session/{uuid}`
 * and `GET /v1/sessions/{mode}/{identity}`, answered as `{status, session, when, data}`.
 * `op.name` is set as soon as the operation is known (logs, reply mapping).
 */
export async function resolveV1(
  deps: V1Deps,
  req: IncomingMessage,
  path: string,
  url: string,
  method: string,
  op: { name: string },
): Promise<V1Route> {
  const { service, validators } = deps;
  const { sessions, keys } = service;
  let segments: string[];
  try {
    segments = path
      .split("/")
      .slice(2)
      .map((p) => decodeURIComponent(p));
  } catch {
    throw badRequest("path: is not valid percent-encoding");
  }
  if (segments[0] === "session" && segments.length === 2) {
    const id = segments[1]!;
    const allowed = ["GET", "POST", "DELETE"];
    if (!allowed.includes(method)) {
      return { refused: { status: 405, message: "method not allowed", headers: { allow: allowed.join(", ") } } };
    }
    const invalid = validators.schema("SessionUuid", id, "uuid");
    if (invalid) throw badRequest(invalid);
    const target = (ctx: Parameters<Operation["run"]>[0]) => () => keys.auditTarget(sessions.key(ctx, id));
    if (method === "POST") {
      op.name = "V1SessionSet";
      const body = parseJson(await readBody(req, deps.bodyLimit));
      const bad = validators.schema("SessionData", body, "body");
      if (bad) throw badRequest(bad);
      const params = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
      const windows: Json = {};
      for (const [field, schema] of [
        ["slidingtime", "SlidingTime"],
        ["finaltime", "FinalTime"],
      ] as const) {
        const value = params.get(field);
        if (value === null) continue;
        const problem = validators.schema(schema, value, field);
        if (problem) throw badRequest(problem);
        windows[field] = value;
      }
      return {
        operation: {
          kind: "write",
          async run(ctx) {
            await sessions.upsert(ctx, { sessionuuid: id, sessiondata: body as Json, ...windows });
            return { result: { session: id }, target: target(ctx) };
          },
        },
      };
    }
    if (method === "GET") {
      op.name = "V1SessionGet";
      return {
        operation: {
          kind: "read",
          async run(ctx) {
            const view = await sessions.get(ctx, id);
            return {
              result: { session: id, when: Math.floor(view.written / 1000), data: view.sessiondata },
              target: target(ctx),
            };
          },
        },
      };
    }
    op.name = "V1SessionDelete";
    return {
      operation: {
        kind: "delete",
        async run(ctx) {
          await sessions.delete(ctx, id);
          return { result: {}, target: target(ctx) };
        },
      },
    };
  }
  if (segments[0] === "sessions" && segments.length === 3) {
    op.name = "V1SessionList";
    if (method !== "GET") return { refused: { status: 405, message: "method not allowed", headers: { allow: "GET" } } };
    const [, mode, identity] = segments as [string, string, string];
    const badMode = validators.schema("Mode", mode, "mode");
    if (badMode) throw badRequest(badMode);
    const badIdentity = validators.schema("Identity", identity, "identity");
    if (badIdentity) throw badRequest(badIdentity);
    return {
      operation: {
        kind: "read",
        async run(ctx) {
          const { rows, total } = await sessions.list(ctx, mode as Mode, identity, 0, 1000);
          return {
            result: {
              total,
              data: rows.map((row) => ({
                session: row.sessionuuid,
                when: Math.floor(row.written / 1000),
                data: row.sessiondata,
              })),
            },
            target: null,
          };
        },
      },
    };
  }
  return notFound;
}
