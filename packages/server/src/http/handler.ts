import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AuditKind, AuditRecorder } from "../core/audit.js";
import { scrubAuditMetadata } from "../core/audit-metadata.js";
import { stringifyJson } from "../core/raw-json.js";
import type { CallContext, Mode, SessionView, VaultService } from "../core/service.js";
import { IntegrityError } from "../crypto/keyring.js";
import { badRequest, HttpError } from "../errors.js";
import { parseJson, readBody } from "./body.js";
import type { ContractValidators } from "./validate.js";

type Json = Record<string, unknown>;

export interface HandlerOptions {
  service: VaultService;
  validators: ContractValidators;
  authenticate: (token: string | undefined, tenant: string | null) => string | null;
  audit: AuditRecorder;
  logger: Logger;
  bodyLimit: number;
  ready: () => Promise<boolean>;
  draining: () => boolean;
}

interface Operation {
  kind: AuditKind;
  /** `target` is computed only if the audit log keeps the event. */
  run(ctx: CallContext, body: Json): Promise<{ result: Json; target: (() => string) | null }>;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The caller's `request_metadata` as the audit log keeps it (scrubbed), if any is left. */
function auditMetadata(body: Json): { metadata?: Record<string, unknown> } {
  const metadata = scrubAuditMetadata(body.request_metadata);
  return metadata ? { metadata } : {};
}

function sessionMeta(view: SessionView): Json {
  return {
    version: view.version,
    created: view.created,
    lastused: view.lastused,
    expires: view.expires,
    usertoken: view.usertoken,
  };
}

function operations(service: VaultService): Record<string, Operation> {
  const str = (body: Json, name: string) => body[name] as string;
  const opt = <T>(body: Json, name: string) => body[name] as T | undefined;
  const sessionTarget = (ctx: CallContext, body: Json) => () =>
    service.auditTarget(service.sessionKey(ctx, str(body, "sessionuuid")));
  return {
    SessionUpsert: {
      kind: "write",
      async run(ctx, body) {
        const { version } = await service.sessionUpsert(ctx, body as Parameters<VaultService["sessionUpsert"]>[1]);
        return { result: { version }, target: sessionTarget(ctx, body) };
      },
    },
    SessionGet: {
      kind: "read",
      async run(ctx, body) {
        const view = await service.sessionGet(ctx, str(body, "sessionuuid"));
        return { result: { sessiondata: view.sessiondata, ...sessionMeta(view) }, target: sessionTarget(ctx, body) };
      },
    },
    SessionDelete: {
      kind: "delete",
      async run(ctx, body) {
        await service.sessionDelete(ctx, str(body, "sessionuuid"));
        return { result: {}, target: sessionTarget(ctx, body) };
      },
    },
    SessionTouch: {
      kind: "touch",
      async run(ctx, body) {
        const result = await service.sessionTouch(ctx, str(body, "sessionuuid"), opt(body, "slidingtime"));
        return { result, target: sessionTarget(ctx, body) };
      },
    },
    SessionPatch: {
      kind: "write",
      async run(ctx, body) {
        const { version } = await service.sessionPatch(ctx, body as Parameters<VaultService["sessionPatch"]>[1]);
        return { result: { version }, target: sessionTarget(ctx, body) };
      },
    },
    SessionListUserSessions: {
      kind: "read",
      async run(ctx, body) {
        const { rows, total } = await service.sessionList(
          ctx,
          str(body, "mode") as Mode,
          str(body, "identity"),
          opt<number>(body, "offset") ?? 0,
          opt<number>(body, "limit") ?? 100,
        );
        return {
          result: {
            rows: rows.map((row) => ({
              sessionuuid: row.sessionuuid,
              sessiondata: row.sessiondata,
              ...sessionMeta(row),
            })),
            total,
          },
          target: null,
        };
      },
    },
    SessionRevokeUser: {
      kind: "delete",
      async run(ctx, body) {
        const deleted = await service.sessionRevokeUser(
          ctx,
          str(body, "mode") as Mode,
          str(body, "identity"),
          opt<string[]>(body, "keep") ?? [],
        );
        return { result: { deleted }, target: null };
      },
    },
    UserCreate: {
      kind: "write",
      async run(ctx, body) {
        const { token } = await service.userCreate(ctx, body as Parameters<VaultService["userCreate"]>[1]);
        return { result: { token }, target: () => service.auditTarget(service.userKey(ctx, token)) };
      },
    },
    UserGet: {
      kind: "read",
      async run(ctx, body) {
        const user = await service.userGet(ctx, str(body, "mode") as Mode, str(body, "identity"));
        return { result: user, target: () => service.auditTarget(service.userKey(ctx, user.token)) };
      },
    },
    UserUpdate: {
      kind: "write",
      async run(ctx, body) {
        await service.userUpdate(ctx, str(body, "mode") as Mode, str(body, "identity"), body.profile as Json);
        return { result: {}, target: null };
      },
    },
    UserDelete: {
      kind: "delete",
      async run(ctx, body) {
        await service.userDelete(ctx, str(body, "mode") as Mode, str(body, "identity"));
        return { result: {}, target: null };
      },
    },
    TokenCreate: {
      kind: "write",
      async run(ctx, body) {
        const created = await service.tokenCreate(ctx, body as Parameters<VaultService["tokenCreate"]>[1]);
        return { result: created, target: () => service.auditTarget(service.tokenKey(ctx, created.tokenuuid)) };
      },
    },
    TokenGet: {
      kind: "read",
      async run(ctx, body) {
        const found = await service.tokenGet(ctx, str(body, "token"));
        return { result: found, target: null };
      },
    },
    TokenDelete: {
      kind: "delete",
      async run(ctx, body) {
        await service.tokenDelete(ctx, str(body, "token"));
        return { result: {}, target: null };
      },
    },
    TokenCreateBulk: {
      kind: "write",
      async run(ctx, body) {
        const records = body.records as { tokentype: string; record: string }[];
        const created: Json[] = [];
        for (const [index, item] of records.entries()) {
          const one = await service.tokenCreate(
            ctx,
            {
              tokentype: item.tokentype,
              record: item.record,
              unique: opt<boolean>(body, "unique"),
              slidingtime: opt<string>(body, "slidingtime"),
              finaltime: opt<string | number>(body, "finaltime"),
            },
            `records.${index}.record`,
          );
          created.push({ ...one, tokentype: item.tokentype });
        }
        return { result: { created }, target: null };
      },
    },
  };
}

/**
 * The vault's request handler on plain node:http: auth first, then routing, body limit,
 * contract validation, the operation, and a JSON reply.
 */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { service, validators, authenticate, audit, logger, bodyLimit } = options;
  const ops = operations(service);
  for (const id of validators.v2Operations) {
    if (!ops[id]) throw new Error(`contract operation ${id} has no implementation`);
  }

  const send = (res: ServerResponse, status: number, body: Json, extra?: Record<string, string>) => {
    if (res.headersSent) return;
    // One buffer: its length is the Content-Length, and the socket gets it without re-encoding.
    const payload = Buffer.from(stringifyJson(body) ?? "null");
    const headers: Record<string, string | number> = {
      "content-type": "application/json; charset=utf-8",
      "content-length": payload.length,
      "cache-control": "no-store",
      ...extra,
    };
    if (options.draining()) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(payload);
  };
  const fail = (res: ServerResponse, status: number, message: string, extra?: Record<string, string>) =>
    send(res, status, { status: "error", message }, extra);

  const handle = async (req: IncomingMessage, res: ServerResponse, op: { name: string }): Promise<void> => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const method = req.method ?? "GET";

    if (path === "/healthz" || path === "/readyz") {
      if (method !== "GET" && method !== "HEAD")
        return fail(res, 405, "method not allowed; use GET", { allow: "GET, HEAD" });
    }
    if (path === "/healthz") {
      op.name = "Health";
      return send(res, 200, { status: "ok" });
    }
    if (path === "/readyz") {
      op.name = "Ready";
      const ok = !options.draining() && (await options.ready());
      return ok ? send(res, 200, { status: "ok" }) : fail(res, 503, "not ready");
    }

    const tenantHeader = req.headers["x-bunker-tenant"];
    const tenantRaw = Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader;
    const tenant = tenantRaw === undefined || tenantRaw === "" ? null : tenantRaw;
    const tokenHeader = req.headers["x-bunker-token"];
    const actor = authenticate(Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader, tenant);
    if (actor === null) {
      op.name = "Denied";
      audit.record("denied", () => ({ actor: "-", action: "auth", target: null, outcome: "denied", tenant: null }));
      return fail(res, 403, "missing or invalid access token");
    }
    if (tenant !== null && !TENANT.test(tenant)) {
      return fail(res, 400, "X-Bunker-Tenant: must be 1-64 letters, digits, dots, dashes or underscores");
    }
    const ctx: CallContext = { actor, tenant };

    if (path.startsWith("/v2/")) {
      const name = path.slice(4);
      const operation = validators.v2Operations.has(name) ? ops[name] : undefined;
      if (!operation) return fail(res, 404, "unknown operation");
      op.name = name;
      if (method !== "POST") return fail(res, 405, "method not allowed; use POST", { allow: "POST" });
      const body = parseJson(await readBody(req, bodyLimit));
      const invalid = validators.request(name, body);
      if (invalid) throw badRequest(invalid);
      return runOperation(res, ctx, name, operation, body as Json);
    }
    if (path.startsWith("/v1/")) return handleV1(req, res, ctx, path, url, method, op);
    return fail(res, 404, "unknown operation");
  };

  const runOperation = async (
    res: ServerResponse,
    ctx: CallContext,
    name: string,
    operation: Operation,
    body: Json,
  ) => {
    try {
      const { result, target } = await operation.run(ctx, body);
      audit.record(operation.kind, () => ({
        actor: ctx.actor,
        action: name,
        target: target ? target() : null,
        outcome: "ok",
        tenant: service.auditTenant(ctx),
        ...auditMetadata(body),
      }));
      send(res, 200, { status: "ok", ...result });
    } catch (error) {
      const outcome =
        error instanceof HttpError ? error.outcome : error instanceof IntegrityError ? "integrity" : "error";
      audit.record(operation.kind, () => ({
        actor: ctx.actor,
        action: name,
        target: null,
        outcome,
        tenant: service.auditTenant(ctx),
        ...auditMetadata(body),
      }));
      throw error;
    }
  };

  const handleV1 = async (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: CallContext,
    path: string,
    url: string,
    method: string,
    op: { name: string },
  ) => {
    const parts = path.split("/");
    let segments: string[];
    try {
      segments = parts.slice(2).map((p) => decodeURIComponent(p));
    } catch {
      throw badRequest("path: is not valid percent-encoding");
    }
    if (segments[0] === "session" && segments.length === 2) {
      const id = segments[1]!;
      const allowed = ["GET", "POST", "DELETE"];
      if (!allowed.includes(method)) return fail(res, 405, "method not allowed", { allow: allowed.join(", ") });
      const invalid = validators.schema("SessionUuid", id, "uuid");
      if (invalid) throw badRequest(invalid);
      if (method === "POST") {
        op.name = "V1SessionSet";
        const body = parseJson(await readBody(req, bodyLimit));
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
        const operation: Operation = {
          kind: "write",
          async run(c) {
            await service.sessionUpsert(c, { sessionuuid: id, sessiondata: body as Json, ...windows });
            return { result: { session: id }, target: () => service.auditTarget(service.sessionKey(c, id)) };
          },
        };
        return runOperation(res, ctx, op.name, operation, {});
      }
      if (method === "GET") {
        op.name = "V1SessionGet";
        const operation: Operation = {
          kind: "read",
          async run(c) {
            const view = await service.sessionGet(c, id);
            return {
              result: { session: id, when: Math.floor(view.written / 1000), data: view.sessiondata },
              target: () => service.auditTarget(service.sessionKey(c, id)),
            };
          },
        };
        return runOperation(res, ctx, op.name, operation, {});
      }
      op.name = "V1SessionDelete";
      const operation: Operation = {
        kind: "delete",
        async run(c) {
          await service.sessionDelete(c, id);
          return { result: {}, target: () => service.auditTarget(service.sessionKey(c, id)) };
        },
      };
      return runOperation(res, ctx, op.name, operation, {});
    }
    if (segments[0] === "sessions" && segments.length === 3) {
      op.name = "V1SessionList";
      if (method !== "GET") return fail(res, 405, "method not allowed", { allow: "GET" });
      const [, mode, identity] = segments as [string, string, string];
      const badMode = validators.schema("Mode", mode, "mode");
      if (badMode) throw badRequest(badMode);
      const badIdentity = validators.schema("Identity", identity, "identity");
      if (badIdentity) throw badRequest(badIdentity);
      const operation: Operation = {
        kind: "read",
        async run(c) {
          const { rows, total } = await service.sessionList(c, mode as Mode, identity, 0, 1000);
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
      };
      return runOperation(res, ctx, op.name, operation, {});
    }
    return fail(res, 404, "unknown operation");
  };

  const fault = (res: ServerResponse, op: { name: string }, error: unknown) => {
    if (error instanceof HttpError) {
      // The v1 store treats exactly this message as "no such session".
      return fail(
        res,
        error.status,
        error.status === 404 && op.name === "V1SessionGet" ? "not found" : error.message,
        error.headers,
      );
    }
    if (error instanceof IntegrityError) {
      logger.error({ op: op.name }, "record integrity check failed");
      return fail(res, 500, "record integrity check failed");
    }
    const err = error instanceof Error ? error : new Error("non-error thrown");
    logger.error({ op: op.name, err: { type: err.name, code: (err as { code?: unknown }).code } }, "request failed");
    return fail(res, 500, "internal error");
  };
  const finished = (res: ServerResponse, op: { name: string }, started: number) => {
    logger.debug({ op: op.name, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
  };

  // Plain callbacks rather than .catch().finally(): two promises fewer per request.
  return (req, res) => {
    const started = performance.now();
    const op = { name: "unknown" };
    handle(req, res, op).then(
      () => finished(res, op, started),
      (error: unknown) => {
        fault(res, op, error);
        finished(res, op, started);
      },
    );
  };
}
