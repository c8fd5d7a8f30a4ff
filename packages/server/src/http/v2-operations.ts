import type { CallContext, Json, Mode } from "../core/context.js";
import type { VaultService } from "../core/service.js";
import type { SessionPatchInput, SessionUpsertInput, SessionView } from "../core/sessions.js";
import type { TokenCreateInput } from "../core/tokens.js";
import type { UserCreateInput } from "../core/users.js";
import type { Operation } from "./operation.js";

function sessionMeta(view: SessionView): Json {
  return {
    version: view.version,
    created: view.created,
    lastused: view.lastused,
    expires: view.expires,
    usertoken: view.usertoken,
  };
}

/**
 * The `/v2/{operation}` table: each contract operation mapped onto the service. Bodies
 * arrive validated against the contract, so the casts only name what the schema checked.
 */
export function v2Operations(service: VaultService): Record<string, Operation> {
  const { sessions, users, tokens, keys } = service;
  const str = (body: Json, name: string) => body[name] as string;
  const opt = <T>(body: Json, name: string) => body[name] as T | undefined;
  const mode = (body: Json) => str(body, "mode") as Mode;
  const sessionTarget = (ctx: CallContext, body: Json) => () =>
    keys.auditTarget(sessions.key(ctx, str(body, "sessionuuid")));
  return {
    SessionUpsert: {
      kind: "write",
      async run(ctx, body) {
        const { version } = await sessions.upsert(ctx, body as unknown as SessionUpsertInput);
        return { result: { version }, target: sessionTarget(ctx, body) };
      },
    },
    SessionGet: {
      kind: "read",
      async run(ctx, body) {
        const view = await sessions.get(ctx, str(body, "sessionuuid"));
        return { result: { sessiondata: view.sessiondata, ...sessionMeta(view) }, target: sessionTarget(ctx, body) };
      },
    },
    SessionDelete: {
      kind: "delete",
      async run(ctx, body) {
        await sessions.delete(ctx, str(body, "sessionuuid"));
        return { result: {}, target: sessionTarget(ctx, body) };
      },
    },
    SessionTouch: {
      kind: "touch",
      async run(ctx, body) {
        const result = await sessions.touch(ctx, str(body, "sessionuuid"), opt(body, "slidingtime"));
        return { result, target: sessionTarget(ctx, body) };
      },
    },
    SessionPatch: {
      kind: "write",
      async run(ctx, body) {
        const { version } = await sessions.patch(ctx, body as unknown as SessionPatchInput);
        return { result: { version }, target: sessionTarget(ctx, body) };
      },
    },
    SessionListUserSessions: {
      kind: "read",
      async run(ctx, body) {
        const { rows, total } = await sessions.list(
          ctx,
          mode(body),
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
        const deleted = await sessions.revokeUser(
          ctx,
          mode(body),
          str(body, "identity"),
          opt<string[]>(body, "keep") ?? [],
        );
        return { result: { deleted }, target: null };
      },
    },
    UserCreate: {
      kind: "write",
      async run(ctx, body) {
        const { token } = await users.create(ctx, body as unknown as UserCreateInput);
        return { result: { token }, target: () => keys.auditTarget(users.key(ctx, token)) };
      },
    },
    UserGet: {
      kind: "read",
      async run(ctx, body) {
        const user = await users.get(ctx, mode(body), str(body, "identity"));
        return { result: user, target: () => keys.auditTarget(users.key(ctx, user.token)) };
      },
    },
    UserUpdate: {
      kind: "write",
      async run(ctx, body) {
        await users.update(ctx, mode(body), str(body, "identity"), body.profile as Json);
        return { result: {}, target: null };
      },
    },
    UserDelete: {
      kind: "delete",
      async run(ctx, body) {
        await users.delete(ctx, mode(body), str(body, "identity"));
        return { result: {}, target: null };
      },
    },
    TokenCreate: {
      kind: "write",
      async run(ctx, body) {
        const created = await tokens.create(ctx, body as unknown as TokenCreateInput);
        return { result: created, target: () => keys.auditTarget(tokens.key(ctx, created.tokenuuid)) };
      },
    },
    TokenGet: {
      kind: "read",
      async run(ctx, body) {
        return { result: await tokens.get(ctx, str(body, "token")), target: null };
      },
    },
    TokenDelete: {
      kind: "delete",
      async run(ctx, body) {
        await tokens.delete(ctx, str(body, "token"));
        return { result: {}, target: null };
      },
    },
    TokenCreateBulk: {
      kind: "write",
      async run(ctx, body) {
        const records = body.records as { tokentype: string; record: string }[];
        const created: Json[] = [];
        for (const [index, item] of records.entries()) {
          const one = await tokens.create(
            ctx,
            {
              tokentype: item.tokentype,
              record: item.record,
              unique: opt<boolean>(body, "unique"),
              baselookup: opt<boolean>(body, "baselookup"),
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
