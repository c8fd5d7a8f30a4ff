/**
 * The SQLite writer: runs a batch of write statements in one transaction. It runs on the
 * calling thread for in-memory databases and, as this module's thread entry, on a worker
 * thread with its own connection for files, so fsync never blocks request handling.
 *
 * This module imports only Node built-ins: the worker loads it directly, from `dist/`
 * when the package is installed and from the TypeScript source in this repository's tests.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { isMainThread, parentPort, workerData } from "node:worker_threads";

export type Param = null | number | bigint | string | Uint8Array;

/** One write statement; its result is the number of rows it changed. */
export interface WriteStatement {
  sql: string;
  params: Param[];
  /**
   * Statements that run only when this one changed a row, all or nothing with it: if one
   * fails, this statement is undone too and its outcome is the error.
   */
  after?: WriteStatement[];
}

export type Outcome = { changes: number } | { error: string };

/** Marks the writer thread's `workerData`, so the entry below never starts by accident. */
export const WRITER_THREAD_MARK = "sessionvault-sqlite-writer";

export interface WriterThreadData {
  mark: typeof WRITER_THREAD_MARK;
  path: string;
  synchronous: string;
}

export type WriterRequest = { close: true } | { id: number; batch: WriteStatement[] };
export type WriterReply = { closed: true } | { id: number; results: Outcome[] } | { id: number; error: string };

/** Node's built-in `node:sqlite` is available without a flag from 22.13 on. */
export function sqliteSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 13);
}

/**
 * Loads `node:sqlite`. Node 22 announces it with an unstructured ExperimentalWarning on
 * stderr; the vault's logs are structured JSON only, so that one notice is dropped.
 */
export function loadSqlite(): typeof import("node:sqlite") {
  if (typeof process.getBuiltinModule !== "function" || !sqliteSupported(process.versions.node)) {
    throw new Error(
      `The embedded SQLite storage needs Node.js 22.13 or newer (this is ${process.version}): run the vault on Node 22 or 24 LTS, or use PostgreSQL or Redis storage.`,
    );
  }
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning?.message;
    if (typeof text === "string" && text.includes("SQLite")) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  }) as typeof process.emitWarning;
  try {
    return process.getBuiltinModule("node:sqlite") as typeof import("node:sqlite");
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Opens a connection in WAL mode with the given `synchronous` level. */
export function openDatabase(path: string, synchronous: string): DatabaseSync {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  db.exec("PRAGMA busy_timeout = 5000");
  return db;
}

/** Runs one batch inside one transaction; each statement's outcome in order. */
export function runBatch(db: DatabaseSync, cache: Map<string, StatementSync>, batch: WriteStatement[]): Outcome[] {
  db.exec("BEGIN IMMEDIATE");
  const results: Outcome[] = [];
  const run = (s: WriteStatement) => {
    let st = cache.get(s.sql);
    if (!st) {
      st = db.prepare(s.sql);
      cache.set(s.sql, st);
    }
    return Number(st.run(...s.params).changes);
  };
  for (const s of batch) {
    if (s.after) {
      results.push(runTogether(db, s, run));
      continue;
    }
    try {
      results.push({ changes: run(s) });
    } catch (e) {
      results.push({ error: String((e as Error)?.message ?? e) });
    }
  }
  try {
    db.exec("COMMIT");
  } catch (e) {
    try {
      db.exec("ROLLBACK");
    } catch {}
    throw e;
  }
  return results;
}

/** A statement and its `after` statements inside one savepoint of the batch's transaction. */
function runTogether(db: DatabaseSync, s: WriteStatement, run: (s: WriteStatement) => number): Outcome {
  db.exec("SAVEPOINT together");
  try {
    const changes = run(s);
    if (changes > 0) for (const next of s.after ?? []) run(next);
    db.exec("RELEASE together");
    return { changes };
  } catch (e) {
    db.exec("ROLLBACK TO together");
    db.exec("RELEASE together");
    return { error: String((e as Error)?.message ?? e) };
  }
}

function serveWriterThread(port: NonNullable<typeof parentPort>, data: WriterThreadData): void {
  const db = openDatabase(data.path, data.synchronous);
  const cache = new Map<string, StatementSync>();
  const reply = (message: WriterReply) => port.postMessage(message);
  port.on("message", (msg: WriterRequest) => {
    if ("close" in msg) {
      cache.clear();
      db.close();
      reply({ closed: true });
      return;
    }
    try {
      reply({ id: msg.id, results: runBatch(db, cache, msg.batch) });
    } catch (e) {
      reply({ id: msg.id, error: String((e as Error)?.message ?? e) });
    }
  });
}

const data = workerData as Partial<WriterThreadData> | null;
if (!isMainThread && parentPort && data?.mark === WRITER_THREAD_MARK) {
  serveWriterThread(parentPort, data as WriterThreadData);
}
