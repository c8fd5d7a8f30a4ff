// A small real express app over a VaultStore, listening on 127.0.0.1:0.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { isSessionError, regenerate, saveBeforeResponse, type VaultStore, vaultSession } from "../src/index.js";

declare module "express-session" {
  interface SessionData {
    count: number;
    user: string;
    [key: string]: unknown;
  }
}

export const COOKIE_NAME = "sv.sid";
export const SECRET = "e2e secret";

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

const sessionData = (req: Request) =>
  Object.fromEntries(Object.entries(req.session).filter(([key]) => key !== "cookie"));

export async function startApp(
  store: VaultStore,
  cookie: { maxAge?: number } = { maxAge: 3_600_000 },
  { saveFirst, ...options }: { rolling?: boolean; idFormat?: "uuid"; saveFirst?: boolean } = {},
): Promise<RunningApp> {
  const app = express();
  app.use(express.json());
  app.use(vaultSession({ store, secret: SECRET, name: COOKIE_NAME, cookie, ...options }));
  // Saves before the response goes out, so a refused save is the request's 5xx.
  if (saveFirst) app.use(saveBeforeResponse());

  app.get("/count", (req, res) => {
    req.session.count = (req.session.count ?? 0) + 1;
    res.json({ count: req.session.count });
  });

  app.get("/data", (req, res) => {
    res.json(sessionData(req));
  });

  // Holds the loaded session for `delayMs` before changing it, so that two calls overlap.
  app.post("/data", async (req, res) => {
    const { key, value, delayMs } = req.body as { key: string; value: unknown; delayMs?: number };
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    req.session[key] = value;
    res.json(sessionData(req));
  });

  app.post("/login", async (req, res) => {
    const { login } = req.body as { login: string };
    const user = await store.client.getUser("login", login);
    if (!user) {
      res.status(401).json({ error: "unknown user" });
      return;
    }
    req.session.user = login;
    await store.signIn(req, user.token);
    res.json({ user: login });
  });

  app.post("/regenerate-empty", async (req, res) => {
    await regenerate(req);
    res.json(sessionData(req));
  });

  app.get("/me", (req, res) => {
    res.json({ userToken: store.userToken(req) });
  });

  app.post("/logout", async (req, res) => {
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie(COOKIE_NAME);
    res.json({ ok: true });
  });

  app.get("/me/sessions", async (req, res) => {
    if (!req.session.user) {
      res.status(401).json({ error: "not signed in" });
      return;
    }
    const { rows } = await store.listSessions("login", req.session.user);
    res.json({ count: rows.length, current: rows.some((row) => row.sessionuuid === req.sessionID) });
  });

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: isSessionError(err) ? err.code : err.name });
  });

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The session id inside a signed express-session cookie value (`s:<id>.<signature>`). */
export function sessionIdOf(cookieValue: string | undefined): string {
  if (!cookieValue) throw new Error("expected a session cookie");
  const decoded = decodeURIComponent(cookieValue);
  if (!decoded.startsWith("s:")) throw new Error("expected a signed session cookie");
  return decoded.slice(2, decoded.lastIndexOf("."));
}
