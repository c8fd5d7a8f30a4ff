// TypeScript consumers compile against the published packages under `strict`, with every
// module resolution a project may use: node10 (CommonJS), node16 from CJS and from ESM, bundler.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { sh } from "./setup/release.js";

const registryUrl = inject("registryUrl");
const workDir = inject("workDir");
const released = inject("released");

/** Framework packages our type declarations refer to, as an app using them has installed. */
const PEERS = [
  "typescript@5.9",
  "@types/node@24",
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
];

const settings = {
  node10: { module: "commonjs", moduleResolution: "node10", file: "index.ts", type: "commonjs" },
  "node16 (CJS)": { module: "node16", moduleResolution: "node16", file: "index.cts", type: "commonjs" },
  "node16 (ESM)": { module: "node16", moduleResolution: "node16", file: "index.mts", type: "commonjs" },
  bundler: { module: "esnext", moduleResolution: "bundler", file: "index.ts", type: "module" },
} as const;

let installed: string | undefined;
function install(): string {
  if (installed) return installed;
  const dir = join(workDir, "apps", "typescript");
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, npm_config_registry: registryUrl };
  sh("npm", ["init", "-y"], { cwd: dir, env });
  const ours = Object.entries(released).map(([name, version]) => `${name}@${version}`);
  sh("npm", ["install", "--no-audit", "--no-fund", ...ours, ...PEERS], { cwd: dir, env });
  installed = dir;
  return dir;
}

/** `import * as` of every subpath each released package exports. */
async function importsOfEverySubpath(): Promise<string> {
  const lines: string[] = [];
  let n = 0;
  for (const name of Object.keys(released)) {
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
  expect(n).toBeGreaterThan(Object.keys(released).length);
  return `${lines.join("\n")}\n`;
}

describe("TypeScript consumers under strict", () => {
  it.each(Object.entries(settings))("resolve and type-check every entry point with %s", async (label, s) => {
    const base = install();
    const dir = join(base, label.replace(/\W+/g, "-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "ts-consumer", private: true, type: s.type }));
    writeFileSync(join(dir, s.file), await importsOfEverySubpath());
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
