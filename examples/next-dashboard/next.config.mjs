import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import("next").NextConfig} */
export default {
  // The monorepo root, so Turbopack follows the workspace links to @sessionvault/*.
  turbopack: { root: join(here, "../..") },
  poweredByHeader: false,
};
