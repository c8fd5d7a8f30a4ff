// The testkit's shared app suite inside the real `next start` fixture build (built once by
// the global setup), on the suite's own vault and cookie.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAppSuite } from "@sessionvault/testkit";
import { nextStart } from "../setup/next-app.js";

const fixture = join(dirname(fileURLToPath(import.meta.url)), "../fixture");

runAppSuite({
  name: "next",
  cookie: "fx_suite",
  sessionId: (cookie) => cookie,
  async start({ vault, maxAgeMs, strict }) {
    const app = await nextStart(fixture, {
      SESSIONVAULT_URL: vault.url,
      SESSIONVAULT_TOKEN: vault.token,
      ...(maxAgeMs === undefined ? {} : { SUITE_TTL: String(Math.round(maxAgeMs / 1000)) }),
      ...(strict ? { SUITE_STRICT: "1" } : {}),
    });
    return { url: app.url, close: () => app.stop() };
  },
});
