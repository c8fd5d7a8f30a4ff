import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { createSqliteDriver } from "../../src/storage/sqlite.js";
import { describeDriverConformance } from "./conformance.js";

const dir = mkdtempSync(join(tmpdir(), "sv-sqlite-conformance-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeDriverConformance("sqlite", async (scope) => createSqliteDriver({ path: join(dir, `${scope}.db`) }));
