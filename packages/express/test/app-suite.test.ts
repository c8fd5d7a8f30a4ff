import { runAppSuite } from "@sessionvault/testkit";
import { VaultStore } from "../src/index.js";
import { COOKIE_NAME, sessionIdOf, startApp } from "./app.js";

runAppSuite({
  name: "express",
  cookie: COOKIE_NAME,
  sessionId: sessionIdOf,
  start: ({ vault, maxAgeMs, strict }) =>
    startApp(
      new VaultStore({ baseUrl: vault.url, token: vault.token, strict, retry: { retries: 1, minDelayMs: 20 } }),
      { maxAge: maxAgeMs ?? 3_600_000 },
      { saveFirst: strict },
    ),
});
