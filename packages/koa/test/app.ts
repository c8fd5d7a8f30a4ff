// A small real Koa app with koa-session over a VaultStore, listening on 127.0.0.1:0.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import session from "koa-session";
import { generateSessionId, isSessionError, type VaultStore } from "../src/index.js";

export const COOKIE_NAME = "sv.sess";

export interface RunningApp {
  url: string;
  app: Koa;
  close(): Promise<void>;
}

export interface AppOptions {
  maxAge?: number | "session";
  rolling?: boolean;
  renew?: boolean;
}

type Session = Record<string, unknown> & { regenerate(): Promise<void> };

async function readJson(ctx: Koa.Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
}

const ownData = (sess: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(sess).filter(([key]) => !key.startsWith("_") && key !== "isNew"));

export async function startApp(store: VaultStore, options: AppOptions = {}): Promise<RunningApp> {
  const app = new Koa();
  app.keys = ["e2e signing key"];
  // Errors reach the client as their class name, so tests can tell an outage apart.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const err = error as Error & { status?: number };
      ctx.status = err.status && err.status >= 500 ? err.status : 500;
      ctx.body = { error: isSessionError(err) ? err.code : err.name };
    }
  });
  app.use(
    session(
      {
        key: COOKIE_NAME,
        store,
        genid: generateSessionId,
        maxAge: options.maxAge ?? 3_600_000,
        rolling: options.rolling ?? false,
        renew: options.renew ?? false,
        sameSite: "lax",
      },
      app,
    ),
  );
  app.use(async (ctx) => {
    const sess = ctx.session as unknown as Session;
    const route = `${ctx.method} ${ctx.path}`;
    switch (route) {
      case "GET /count":
        sess.count = ((sess.count as number | undefined) ?? 0) + 1;
        ctx.body = { count: sess.count };
        return;
      case "GET /data":
        ctx.body = ownData(sess);
        return;
      case "POST /data": {
        // Holds the loaded session for `delayMs` before changing it, so that two calls overlap.
        const { key, value, delayMs } = (await readJson(ctx)) as { key: string; value: unknown; delayMs?: number };
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        sess[key] = value;
        ctx.body = ownData(sess);
        return;
      }
      case "POST /login": {
        const { login } = (await readJson(ctx)) as { login: string };
        const user = await store.client.getUser("login", login);
        if (!user) {
          ctx.status = 401;
          ctx.body = { error: "unknown user" };
          return;
        }
        sess.user = login;
        await store.signIn(ctx, user.token);
        ctx.body = { user: login };
        return;
      }
      case "POST /regenerate-empty":
        await store.regenerate(ctx, { keepData: false });
        ctx.body = ownData(sess);
        return;
      case "GET /me":
        ctx.body = { userToken: store.userToken(ctx) };
        return;
      case "POST /logout":
        ctx.session = null;
        ctx.body = { ok: true };
        return;
      case "GET /me/sessions": {
        const login = sess.user as string | undefined;
        if (!login) {
          ctx.status = 401;
          ctx.body = { error: "signed out" };
          return;
        }
        const { rows, total } = await store.listSessions("login", login);
        const current = ctx.session?.externalKey;
        ctx.body = { count: total, current: rows.some((row) => row.sessionuuid === current) };
        return;
      }
      default:
        ctx.status = 404;
    }
  });

  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
