import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { docsRoot } from "./markdown.js";
import { freePort, run, start, waitForHttp } from "./processes.js";

const require = createRequire(import.meta.url);
const nextBin = join(dirname(require.resolve("next/package.json")), "dist/bin/next");

/**
 * Build plumbing a reader's app gets from `create-next-app`, not from the quickstart:
 * written only where the page does not provide the file itself.
 */
function scaffold(dir: string): void {
  const files: Record<string, string> = {
    "next.config.mjs": `export default { turbopack: { root: ${JSON.stringify(join(docsRoot, ".."))} } };\n`,
    "tsconfig.json": `${JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["dom", "dom.iterable", "ES2023"],
          strict: true,
          noEmit: true,
          esModuleInterop: true,
          module: "esnext",
          moduleResolution: "bundler",
          resolveJsonModule: true,
          isolatedModules: true,
          jsx: "react-jsx",
          skipLibCheck: true,
          plugins: [{ name: "next" }],
        },
        include: ["next-env.d.ts", "**/*.ts", "**/*.tsx", ".next/types/**/*.ts"],
        exclude: ["node_modules"],
      },
      null,
      2,
    )}\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    if (!existsSync(join(dir, name))) writeFileSync(join(dir, name), text);
  }
}

/** `next build` then `next start` on a free port. */
export async function buildAndStartNextApp(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; stop(): Promise<void> }> {
  scaffold(dir);
  const build = await run(process.execPath, [nextBin, "build"], {
    cwd: dir,
    env: { ...env, NODE_ENV: "production" },
    timeoutMs: 480_000,
  });
  if (build.code !== 0) throw new Error(`next build failed:\n${build.output}`);
  const port = await freePort();
  const app = start(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...env, NODE_ENV: "production" },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, app, 60_000);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { url, stop: () => app.stop() };
}
