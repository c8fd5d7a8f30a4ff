import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestVault, type TestVault, TOKEN } from "../helpers.js";

// Every request a real Databunker OSS server answered (recorded in oss-transcript.json)
// is replayed in order against our vault. Status and reply shape must match, except for
// the differences docs/compatibility/oss-differences.json lists (and the docs page shows).

interface Pair {
  name: string;
  method: string;
  path: string;
  body?: string;
  auth: "root" | "none" | "wrong";
  contentType?: null;
  status: number;
  replyContentType: string | null;
  reply?: unknown;
  replyText?: string;
  waitMs?: number;
}

interface Difference {
  pair: string;
  kind: "by-design" | "pending";
  ours: { status: number };
  why: string;
}

const root = join(import.meta.dirname, "..", "..", "..", "..");
const transcript = JSON.parse(readFileSync(join(import.meta.dirname, "oss-transcript.json"), "utf8")) as {
  pairs: Pair[];
};
const documented = JSON.parse(readFileSync(join(root, "docs/compatibility/oss-differences.json"), "utf8")) as {
  differences: Difference[];
};

/** The reply's shape: keys and value types, not values (ids and times differ per run). */
function shape(value: unknown): unknown {
  // Rows compare as a set: rows written in the same second may come in either order.
  if (Array.isArray(value)) return value.map(shape).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return value === null ? "null" : typeof value;
}

/** The recorded user token, replaced by the one our vault issued for the same user. */
const RECORDED_USER_TOKEN = "ee883b04-7377-3cef-4a75-c35eb4f44534";

let t: TestVault;
const observed = new Map<string, { status: number; matches: boolean; reply: string }>();

beforeAll(async () => {
  t = await startTestVault();
  let userToken = RECORDED_USER_TOKEN;
  for (const pair of transcript.pairs) {
    // A few ms between requests, so "most recently used first" has no ties to break at random.
    t.clock.advance(pair.waitMs ?? 10);
    const headers: Record<string, string> = {};
    if (pair.contentType !== null && pair.body !== undefined) headers["content-type"] = "application/json";
    if (pair.auth === "root") headers["x-bunker-token"] = TOKEN;
    if (pair.auth === "wrong") headers["x-bunker-token"] = "not-the-token-0123456789";
    const swap = (s: string) => s.replaceAll(RECORDED_USER_TOKEN, userToken);
    const res = await fetch(`${t.url}${swap(pair.path)}`, {
      method: pair.method,
      headers,
      ...(pair.body === undefined ? {} : { body: swap(pair.body) }),
    });
    const text = await res.text();
    let reply: unknown = text;
    try {
      reply = JSON.parse(text);
    } catch {}
    if (pair.name === "v1 user create" && res.status === 200) userToken = (reply as { token: string }).token;
    const expected = pair.reply === undefined ? "string" : shape(pair.reply);
    const matches = res.status === pair.status && JSON.stringify(shape(reply)) === JSON.stringify(expected);
    observed.set(pair.name, { status: res.status, matches, reply: text.slice(0, 200) });
  }
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe("the recorded Databunker OSS transcript, replayed against our vault", () => {
  it("covers every recorded pair, and every documented difference names a recorded pair", () => {
    expect(transcript.pairs.length).toBe(40);
    for (const d of documented.differences) {
      expect(
        transcript.pairs.some((p) => p.name === d.pair),
        d.pair,
      ).toBe(true);
    }
  });

  for (const pair of transcript.pairs) {
    it(`${pair.name}: same status and reply shape as real OSS, or a documented difference`, () => {
      const seen = observed.get(pair.name);
      expect(seen).toBeDefined();
      const difference = documented.differences.find((d) => d.pair === pair.name);
      if (seen?.matches) {
        // A listed difference that no longer happens must leave the list (and the docs).
        expect(difference, `listed as a difference but now matches OSS: ${pair.name}`).toBeUndefined();
      } else {
        expect(difference, `undocumented difference: ${pair.name} -> ${seen?.status} ${seen?.reply}`).toBeDefined();
        expect(seen?.status, `${pair.name}: the documented status is not what the vault answers`).toBe(
          difference?.ours.status,
        );
      }
    });
  }
});

describe("the compatibility page", () => {
  it("lists exactly the documented differences (regenerate with scripts/compat/oss-differences.mjs)", async () => {
    const { renderPage, normalizeTables } = (await import(join(root, "scripts/compat/oss-differences.mjs"))) as {
      renderPage: () => string;
      normalizeTables: (text: string) => string;
    };
    const page = readFileSync(join(root, "docs/compatibility/index.md"), "utf8");
    expect(normalizeTables(page)).toBe(normalizeTables(renderPage()));
    for (const d of documented.differences) expect(page).toContain(d.pair);
  });
});
