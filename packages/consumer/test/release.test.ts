import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";

const registryUrl = inject("registryUrl");
const released = inject("released");

interface Packument {
  "dist-tags": { latest: string };
  versions: Record<string, { dependencies?: Record<string, string>; dist: { tarball: string } }>;
}

async function packument(name: string): Promise<Response> {
  return fetch(`${registryUrl}${name.replace("/", "%2f")}`);
}

/** Every file an `exports` map (and `bin`) can reach, as tarball paths. */
function exportedFiles(manifest: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") out.add(`package/${value.replace(/^\.\//, "")}`);
    else if (value && typeof value === "object") for (const v of Object.values(value)) walk(v);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  return [...out];
}

describe("the changesets release flow", () => {
  it("publishes every public package, and only those, at the version `changeset version` chose", async () => {
    expect(Object.keys(released).length).toBeGreaterThanOrEqual(7);
    for (const [name, version] of Object.entries(released)) {
      expect(version, `${name} was versioned by the release`).not.toBe("0.1.0");
      const response = await packument(name);
      expect(response.status, `${name} is on the registry`).toBe(200);
      const doc = (await response.json()) as Packument;
      expect(doc["dist-tags"].latest).toBe(version);
    }
    for (const name of inject("privateNames")) {
      expect((await packument(name)).status, `${name} is private and never published`).toBe(404);
    }
  });

  it("internal dependencies name versions the registry can serve", async () => {
    for (const [name, version] of Object.entries(released)) {
      const doc = (await (await packument(name)).json()) as Packument;
      for (const [dep, range] of Object.entries(doc.versions[version]?.dependencies ?? {})) {
        expect(range, `${name} -> ${dep}`).not.toMatch(/^workspace:/);
        if (dep.startsWith("@sessionvault/")) expect(range, `${name} -> ${dep}`).toContain(released[dep]);
      }
    }
  });

  it("each tarball holds what its exports name and none of the sources or tests", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sv-tarball-"));
    try {
      for (const [name, version] of Object.entries(released)) {
        const doc = (await (await packument(name)).json()) as Packument;
        const tgz = join(dir, "p.tgz");
        writeFileSync(tgz, Buffer.from(await (await fetch(doc.versions[version]?.dist.tarball ?? "")).arrayBuffer()));
        const listing = spawnSync("tar", ["-tzf", tgz], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
        spawnSync("tar", ["-xzf", tgz, "-C", dir, "package/package.json"]);
        const manifest = JSON.parse(readFileSync(join(dir, "package/package.json"), "utf8"));
        for (const file of exportedFiles(manifest)) expect(listing, `${name} ships ${file}`).toContain(file);
        expect(listing).toContain("package/LICENSE");
        expect(listing).toContain("package/README.md");
        expect(
          listing.filter((f) => /^package\/(src|test|scripts)\/|\.test\.|\.map$|tsconfig|\.tsbuildinfo/.test(f)),
          `${name} ships nothing but its build`,
        ).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
