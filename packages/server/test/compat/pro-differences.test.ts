import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const script = join(root, "scripts/compat/pro-differences.mjs");

describe("the Databunker Pro difference table", () => {
  it("is what the two contracts give today (regenerate with scripts/compat/pro-differences.mjs)", async () => {
    const { render, normalizeTables } = (await import(script)) as {
      render: () => string;
      normalizeTables: (text: string) => string;
    };
    const committed = readFileSync(join(root, "docs/compatibility/pro-differences.md"), "utf8");
    expect(normalizeTables(committed)).toBe(normalizeTables(render()));
  });

  it("--check fails on a stale table and names the fix", async () => {
    const { render } = (await import(script)) as { render: () => string };
    const dir = mkdtempSync(join(tmpdir(), "pro-diff-"));
    const out = join(dir, "table.md");
    const check = () =>
      execFileSync(process.execPath, [script, "--check"], {
        stdio: "pipe",
        env: { ...process.env, SV_PRO_DIFF_OUT: out },
      });
    writeFileSync(out, render());
    expect(() => check()).not.toThrow();
    // The same table with one row lost is stale.
    writeFileSync(out, render().replace(/^\| SessionGet .*\n/m, ""));
    expect(() => check()).toThrow(/out of date: run node scripts\/compat\/pro-differences\.mjs/);
  });

  it("lists every Pro session, user and token operation the vault does not serve", async () => {
    const { differences } = (await import(script)) as {
      differences: () => { pro: { operations: Record<string, unknown> }; rows: string[][] };
    };
    const { pro, rows } = differences();
    const contract = readFileSync(join(root, "openapi/sessionvault.yaml"), "utf8");
    for (const name of Object.keys(pro.operations)) {
      const served = contract.includes(`/v2/${name}:`);
      const row = rows.find((r) => r[0] === name && r[1] === "operation");
      if (!served) expect(row?.[4], name).toBe("not served");
    }
  });
});
