import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AuditRecorder } from "../core/audit.js";
import type { CallContext } from "../core/context.js";
import type { VaultService } from "../core/service.js";
import { parseJson, readBody } from "./body.js";
import { replyFor } from "./error-mapping.js";
import { badRequest } from "./http-error.js";
import { type Operation, runAudited } from "./operation.js";
import { sendJson } from "./reply.js";
import { resolveV1 } from "./v1-dialect.js";
import { v2Operations } from "./v2-operations.js";
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

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The vault's request handler on plain node:http: health and readiness, then auth and
 * tenant, then the route (`/v2/{operation}` validated against the contract, or the v1
 * dialect), the operation, and a JSON reply.
 */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { service, validators, authenticate, audit, logger, bodyLimit } = options;
  const ops = v2Operations(service);
  for (const id of validators.v2Operations) {
    if (!ops[id]) throw new Error(`contract operation ${id} has no implementation`);
  }
  const send = (res: ServerResponse, status: number, body: Json, extra?: Readonly<Record<string, string>>) =>
    sendJson(res, status, body, extra, options.draining());
  const fail = (res: ServerResponse, status: number, message: string, extra?: Readonly<Record<string, string>>) =>
    send(res, status, { status: "error", message }, extra);
  const run = async (res: ServerResponse, ctx: CallContext, name: string, operation: Operation, body: Json) => {
    const result = await runAudited(service, audit, ctx, name, operation, body);
    send(res, 200, { status: "ok", ...result });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, op: { name: string }): Promise<void> => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const method = req.method ?? "GET";

    if (path === "/healthz" || path === "/readyz") {
      if (method !== "GET" && method !== "HEAD") {
        return fail(res, 405, "method not allowed; use GET", { allow: "GET, HEAD" });
      }
      if (path === "/healthz") {
        op.name = "Health";
        return send(res, 200, { status: "ok" });
      }
      op.name = "Ready";
      const ok = !options.draining() && (await options.ready());
      return ok ? send(res, 200, { status: "ok" }) : fail(res, 503, "not ready");
    }

    const tenantRaw = firstHeader(req.headers["x-bunker-tenant"]);
    const tenant = tenantRaw === undefined || tenantRaw === "" ? null : tenantRaw;
    const actor = authenticate(firstHeader(req.headers["x-bunker-token"]), tenant);
    if (actor === null) {
      op.name = "Denied";
      // Counted per client network and minute, not stored one event per request: a flood
      // of refused requests adds a few rows, whatever its size.
      audit.denied(
        firstHeader(req.headers["x-bunker-token"]) ? "invalid_token" : "missing_token",
        req.socket.remoteAddress,
      );
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
      return run(res, ctx, name, operation, body as Json);
    }
    if (path.startsWith("/v1/")) {
      const route = await resolveV1({ service, validators, bodyLimit }, req, path, url, method, op);
      if ("refused" in route) return fail(res, route.refused.status, route.refused.message, route.refused.headers);
      return run(res, ctx, op.name, route.operation, {});
    }
    return fail(res, 404, "unknown operation");
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
        const reply = replyFor(error, op.name, logger);
        fail(res, reply.status, reply.message, reply.headers);
        finished(res, op, started);
      },
    );
  };
}
