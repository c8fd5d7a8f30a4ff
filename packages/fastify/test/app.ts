// A small real Fastify app with @fastify/cookie and @fastify/session over a VaultStore,
// listening on 127.0.0.1:0.
import fastifyCookie from "@fastify/cookie";
import fastifySession from "@fastify/session";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { isSessionError, SESSION_STATE_KEY, type VaultStore } from "../src/index.js";

export const COOKIE_NAME = "sv.sid";
export const SECRET = "an e2e secret of at least thirty-two characters";

export interface RunningApp {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export interface AppOptions {
  maxAge?: number | null;
  rolling?: boolean;
  saveUninitialized?: boolean;
}

/** The session id inside a signed cookie value (`<id>.<signature>`). */
export const sessionIdOf = (cookie: string | undefined): string => {
  if (!cookie) throw new Error("no session cookie");
  const value = decodeURIComponent(cookie);
  return value.slice(0, value.lastIndexOf("."));
};

type Bag = Record<string, unknown>;
const bag = (request: FastifyRequest) => request.session as unknown as Bag;
const ownData = (request: FastifyRequest) =>
  Object.fromEntries(Object.entries(bag(request)).filter(([key]) => key !== "cookie" && key !== SESSION_STATE_KEY));

export async function startApp(store: VaultStore, options: AppOptions = {}): Promise<RunningApp> {
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    store,
    secret: SECRET,
    cookieName: COOKIE_NAME,
    cookie: {
      ...(options.maxAge === null ? {} : { maxAge: options.maxAge ?? 3_600_000 }),
      secure: false,
      sameSite: "lax",
      httpOnly: true,
    },
    ...(options.rolling === undefined ? {} : { rolling: options.rolling }),
    ...(options.saveUninitialized === undefined ? {} : { saveUninitialized: options.saveUninitialized }),
  });
  // Errors reach the client as their class name, so tests can tell an outage apart.
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 500 ? error.statusCode : 500;
    reply.code(status).send({ error: isSessionError(error) ? error.code : error.name });
  });

  app.get("/count", async (request) => {
    const count = ((bag(request).count as number | undefined) ?? 0) + 1;
    bag(request).count = count;
    return { count };
  });
  app.get("/data", async (request) => ownData(request));
  // Holds the loaded session for `delayMs` before changing it, so that two calls overlap.
  app.post("/data", async (request) => {
    const { key, value, delayMs } = request.body as { key: string; value: unknown; delayMs?: number };
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    bag(request)[key] = value;
    return ownData(request);
  });
  app.post("/login", async (request, reply) => {
    const { login } = request.body as { login: string };
    const user = await store.client.getUser("login", login);
    if (!user) return reply.code(401).send({ error: "unknown user" });
    bag(request).user = login;
    await store.signIn(request, user.token);
    return { user: login };
  });
  app.post("/regenerate-empty", async (request) => {
    await store.regenerate(request, { keepData: false });
    return ownData(request);
  });
  app.get("/me", async (request) => ({ userToken: store.userToken(request) }));
  app.post("/logout", async (request) => {
    await request.session.destroy();
    return { ok: true };
  });
  app.get("/me/sessions", async (request, reply) => {
    const login = bag(request).user as string | undefined;
    if (!login) return reply.code(401).send({ error: "signed out" });
    const { rows, total } = await store.listSessions("login", login);
    return { count: total, current: rows.some((row) => row.sessionuuid === request.session.sessionId) };
  });

  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url, app, close: () => app.close() };
}
