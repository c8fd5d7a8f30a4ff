import { runAppSuite } from "@sessionvault/testkit";
import { VaultStore } from "../src/index.js";
import { COOKIE_NAME, startApp } from "./app.js";

runAppSuite({
  name: "koa",
  cookie: COOKIE_NAME,
  sessionId: (cookie) => cookie,
  start: ({ vault, maxAgeMs, strict }) =>
    startApp(
      new VaultStore({ baseUrl: vault.url, token: vault.token, strict, retry: { retries: 1, minDelayMs: 20 } }),
      {
        maxAge: maxAgeMs,
      },
    ),
});
