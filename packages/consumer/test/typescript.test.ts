// TypeScript consumers compile against the published packages under `strict`, with every
// module resolution a project may use: node10 (CommonJS), node16 from CJS and from ESM, bundler.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { scopedRegistryNpmrc, sh, userEnv } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");
const released = inject("released");

/**
 * The apps a TypeScript user has: each installs its own packages with the libraries our type
 * declarations refer to, as a user of that framework has them. Installed together, the auth
 * libraries' peer ranges and the frameworks' would be resolved against each other, which no
 * app does.
 */
const GROUPS: Record<string, { ours: string[]; theirs: string[] }> = {
  frameworks: {
    ours: [
      "@sessionvault/client",
      "@sessionvault/session",
      "@sessionvault/tokenize",
      "@sessionvault/server",
      "@sessionvault/express",
      "@sessionvault/koa",
      "@sessionvault/fastify",
      "@sessionvault/next",
    ],
    theirs: [
      "express@5",
      "express-session@1",
      "@types/express@5",
      "@types/express-session@1",
      "koa@3",
      "koa-session@7",
      "@types/koa@3",
      "fastify@5",
      "@fastify/session@11",
      "@fastify/cookie@11",
      "next@16",
      "react@19",
      "react-dom@19",
      "@types/react@19",
    ],
  },
  authjs: { ours: ["@sessionvault/authjs"], theirs: ["@auth/core"] },
  "better-auth": { ours: ["@sessionvault/better-auth"], theirs: ["better-auth"] },
};
const TOOLS = ["typescript@5.9", "@types/node@24"];

const settings = {
  node10: { module: "commonjs", moduleResolution: "node10", file: "index.ts", type: "commonjs" },
  "node16 (CJS)": { module: "node16", moduleResolution: "node16", file: "index.cts", type: "commonjs" },
  "node16 (ESM)": { module: "node16", moduleResolution: "node16", file: "index.mts", type: "commonjs" },
  bundler: { module: "esnext", moduleResolution: "bundler", file: "index.ts", type: "module" },
} as const;

const installed = new Map<string, string>();
function install(group: string): string {
  const known = installed.get(group);
  if (known) return known;
  const { ours, theirs } = GROUPS[group] as (typeof GROUPS)[string];
  const dir = join(workDir, "apps", `typescript-${group}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".npmrc"), scopedRegistryNpmrc(registryUrl));
  const env = userEnv();
  sh("npm", ["init", "-y"], { cwd: dir, env });
  const versioned = ours.map((name) => `${name}@${released[name]}`);
  sh("npm", ["install", ...versioned, ...theirs], { cwd: dir, env });
  sh("npm", ["install", "-D", ...TOOLS], { cwd: dir, env });
  installed.set(group, dir);
  return dir;
}

/** `import * as` of every subpath the group's packages export. */
async function importsOfEverySubpath(names: string[]): Promise<string> {
  const lines: string[] = [];
  let n = 0;
  for (const name of names) {
    const doc = (await (await fetch(`${registryUrl}${name.replace("/", "%2f")}`)).json()) as {
      versions: Record<string, { exports?: Record<string, unknown> }>;
    };
    const exportsMap = doc.versions[released[name] as string]?.exports ?? {};
    for (const subpath of Object.keys(exportsMap)) {
      if (subpath === "./package.json") continue;
      const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
      lines.push(`import * as m${n} from "${specifier}";`, `export const e${n} = Object.keys(m${n});`);
      n += 1;
    }
  }
  expect(n).toBeGreaterThanOrEqual(names.length);
  return `${lines.join("\n")}\n`;
}

it("the groups cover every released package", () => {
  expect(
    Object.values(GROUPS)
      .flatMap((g) => g.ours)
      .sort(),
  ).toEqual(Object.keys(released).sort());
});

describe("TypeScript consumers under strict", () => {
  const matrix = Object.keys(GROUPS).flatMap((group) =>
    Object.entries(settings).map(([label, s]) => [group, label, s] as const),
  );
  it.each(matrix)("%s: resolve and type-check every entry point with %s", async (group, label, s) => {
    const base = install(group);
    const dir = join(base, label.replace(/\W+/g, "-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "ts-consumer", private: true, type: s.type }));
    writeFileSync(join(dir, s.file), await importsOfEverySubpath((GROUPS[group] as (typeof GROUPS)[string]).ours));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: s.module,
          moduleResolution: s.moduleResolution,
          target: "es2022",
          lib: ["es2023", "dom"],
          types: ["node"],
          jsx: "react-jsx",
          skipLibCheck: true,
          esModuleInterop: true,
          typeRoots: [join(base, "node_modules", "@types")],
        },
        files: [s.file],
      }),
    );
    // Resolution comes from the parent folder's node_modules, as in any nested project.
    sh(join(base, "node_modules", ".bin", "tsc"), ["-p", dir], { cwd: dir });
  });
});
