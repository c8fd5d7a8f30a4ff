import type { IncomingMessage } from "node:http";
import type { Json, Mode } from "../core/context.js";
import { NotFoundError } from "../core/errors.js";
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

const LINK_MODES = ["token", "login", "email", "phone", "custom"] as const satisfies readonly Mode[];

const EXPIRATION_UNIT_S = { s: 1, m: 31 * 86_400, h: 3_600, d: 86_400 } as const;

/**
 * Databunker OSS's `expiration` body field -> an absolute unix time in seconds, or null:
 * `30s`, `2h`, `7d`, `1m` (a month: 31 days); a bare number is seconds from now, or a unix
 * time when it is later than now. Anything else is ignored, as OSS does.
 */
export function databunkerExpiration(value: unknown, nowMs: number): number | null {
  const nowS = Math.floor(nowMs / 1000);
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^([1-9][0-9]{0,11})([smhd]?)$/.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof EXPIRATION_UNIT_S | "";
  if (unit === "") return amount > nowS ? Math.min(amount, 253402300799) : nowS + amount;
  return Math.min(nowS + amount * EXPIRATION_UNIT_S[unit], 253402300799);
}

function pageParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^[0-9]{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw badRequest(`${name}: must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

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
      const data = body as Json;
      const expiration = databunkerExpiration(data.expiration, service.now());
      if (expiration !== null && windows.finaltime === undefined) windows.finaltime = expiration;
      const link = LINK_MODES.find((mode) => typeof data[mode] === "string" && data[mode] !== "");
      return {
        operation: {
          kind: "write",
          async run(ctx) {
            let usertoken: string | undefined;
            if (link) {
              // As in Databunker OSS: a top-level identity field links the session to that user.
              const user = await service.users.get(ctx, link, data[link] as string).catch((err: unknown) => {
                if (err instanceof NotFoundError) return null;
                throw err;
              });
              if (user) usertoken = user.token;
            }
            await sessions.upsert(ctx, {
              sessionuuid: id,
              sessiondata: data,
              ...windows,
              ...(usertoken ? { usertoken } : {}),
            });
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
    const params = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
    const offset = pageParam(params, "offset", 0, 0, 1_000_000);
    const limit = pageParam(params, "limit", 10, 1, 1000);
    return {
      operation: {
        kind: "read",
        async run(ctx) {
          const { rows, total } = await sessions.list(ctx, mode as Mode, identity, offset, limit);
          return {
            result: {
              total,
              rows: rows.map((row) => ({
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
  if (segments[0] === "user") return resolveV1User(deps, req, segments, method, op);
  return notFound;
}

/**
 * Databunker OSS's user routes: `POST /v1/user` (the body is the profile) and
 * `GET|PUT|DELETE /v1/user/{mode}/{identity}`; PUT is a JSON merge patch, as `UserUpdate`.
 */
async function resolveV1User(
  deps: V1Deps,
  req: IncomingMessage,
  segments: string[],
  method: string,
  op: { name: string },
): Promise<V1Route> {
  const { service, validators } = deps;
  const { users, keys } = service;
  const readProfile = async (schema: "Profile" | "ProfilePatch") => {
    const body = parseJson(await readBody(req, deps.bodyLimit));
    const bad = validators.schema(schema, body, "body");
    if (bad) throw badRequest(bad);
    return body as Json;
  };
  if (segments.length === 1) {
    if (method !== "POST")
      return { refused: { status: 405, message: "method not allowed", headers: { allow: "POST" } } };
    op.name = "V1UserCreate";
    const profile = await readProfile("Profile");
    return {
      operation: {
        kind: "write",
        async run(ctx) {
          const { token } = await users.create(ctx, { profile });
          return { result: { token }, target: () => keys.auditTarget(users.key(ctx, token)) };
        },
      },
    };
  }
  if (segments.length !== 3) return notFound;
  const allowed = ["GET", "PUT", "DELETE"];
  if (!allowed.includes(method)) {
    return { refused: { status: 405, message: "method not allowed", headers: { allow: allowed.join(", ") } } };
  }
  const [, mode, identity] = segments as [string, string, string];
  const badMode = validators.schema("Mode", mode, "mode");
  if (badMode) throw badRequest(badMode);
  const badIdentity = validators.schema("Identity", identity, "identity");
  if (badIdentity) throw badRequest(badIdentity);
  if (method === "GET") {
    op.name = "V1UserGet";
    return {
      operation: {
        kind: "read",
        async run(ctx) {
          const user = await users.get(ctx, mode as Mode, identity);
          return {
            result: { token: user.token, data: user.profile },
            target: () => keys.auditTarget(users.key(ctx, user.token)),
          };
        },
      },
    };
  }
  if (method === "PUT") {
    op.name = "V1UserUpdate";
    const patch = await readProfile("ProfilePatch");
    return {
      operation: {
        kind: "write",
        async run(ctx) {
          const { token } = await users.get(ctx, mode as Mode, identity);
          await users.update(ctx, "token", token, patch);
          return { result: { token }, target: () => keys.auditTarget(users.key(ctx, token)) };
        },
      },
    };
  }
  op.name = "V1UserDelete";
  return {
    operation: {
      kind: "delete",
      async run(ctx) {
        await users.delete(ctx, mode as Mode, identity);
        return { result: { result: "done" }, target: null };
      },
    },
  };
}
