import type { DatabaseSync, StatementSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import {
  type Outcome,
  runBatch,
  WRITER_THREAD_MARK,
  type WriterReply,
  type WriterThreadData,
  type WriteStatement,
} from "./sqlite-writer-thread.js";

export interface Writer {
  run(statement: WriteStatement): Promise<number>;
  /** Resolves once every queued write has committed. */
  close(): Promise<void>;
  /** Throws when the writer can no longer commit. */
  check(): void;
}

interface Queued {
  statement: WriteStatement;
  resolve: (changes: number) => void;
  reject: (error: Error) => void;
}

const MAX_BATCH = 512;
/**
 * Batches handed to the committer at once: one committing and the next waiting beside it,
 * so the committer starts on the next transaction without a round trip to this thread.
 */
const MAX_IN_FLIGHT = 2;

/**
 * The writer thread's module: beside this file in the built package (`dist/`), and the
 * TypeScript source when the vault runs from source (Node strips the types).
 */
const WRITER_THREAD_URL = new URL(
  import.meta.url.endsWith(".ts") ? "./sqlite-writer-thread.ts" : "./sqlite-writer-thread.js",
  import.meta.url,
);

/**
 * Group commit: the writes queued while the previous batch commits go out together as
 * one transaction with one fsync, and the next batch is already waiting at the
 * committer when one finishes. A promise settles only after its COMMIT returned, so
 * an acknowledged write is on disk; statements run in arrival order, so a
 * compare-and-set sees every earlier write of its batch.
 */
abstract class BatchingWriter implements Writer {
  private queue: Queued[] = [];
  private inFlight = 0;
  private scheduled = false;
  private drained: (() => void) | null = null;
  protected failure: Error | null = null;

  run(statement: WriteStatement): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.queue.push({ statement, resolve, reject });
      this.kick();
    });
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  private kick(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // Let the requests of this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.queue.length === 0) {
      if (this.inFlight === 0 && this.queue.length === 0) this.drained?.();
      return;
    }
    // Bounded batches keep one transaction's latency and memory bounded under a burst.
    const batch = this.queue.length > MAX_BATCH ? this.queue.splice(0, MAX_BATCH) : this.queue;
    if (batch === this.queue) this.queue = [];
    this.inFlight++;
    this.commit(batch.map((item) => item.statement)).then(
      (outcomes) => {
        batch.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome && "changes" in outcome) item.resolve(outcome.changes);
          else item.reject(new Error(outcome?.error ?? "write failed"));
        });
        this.settle();
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const item of batch) item.reject(failure);
        this.settle();
      },
    );
  }

  private settle(): void {
    this.inFlight--;
    // What queued while that batch committed goes out now, without waiting a turn.
    if (this.queue.length > 0) this.send();
    else if (this.inFlight === 0) this.drained?.();
  }

  protected async drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      this.drained = resolve;
    });
    this.drained = null;
  }

  protected abstract commit(batch: WriteStatement[]): Promise<Outcome[]>;
  abstract close(): Promise<void>;
}

/** Commits on a worker thread with its own connection, so fsync never blocks request handling. */
export class ThreadWriter extends BatchingWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (o: Outcome[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed: Promise<void> | null = null;

  constructor(path: string, synchronous: string) {
    super();
    const workerData: WriterThreadData = { mark: WRITER_THREAD_MARK, path, synchronous };
    this.worker = new Worker(WRITER_THREAD_URL, {
      workerData,
      // The writer only deserialises batches; a small young generation keeps its memory flat.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.unref();
    this.worker.on("message", (msg: WriterReply) => {
      if (!("id" in msg)) return;
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (!waiter) return;
      if ("results" in msg) waiter.resolve(msg.results);
      else waiter.reject(new Error(msg.error));
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", (error) => fail(error));
    this.worker.on("exit", () => fail(new Error("sqlite writer stopped")));
  }

  protected commit(batch: WriteStatement[]): Promise<Outcome[]> {
    return new Promise<Outcome[]>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // Keep the process alive while a write is in flight, and only then.
      this.worker.ref();
      this.worker.postMessage({ id, batch });
    });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.drain();
      if (this.failure) return;
      this.worker.ref();
      await new Promise<void>((resolve) => {
        this.worker.once("exit", () => resolve());
        this.worker.once("message", (msg: WriterReply) => {
          if ("closed" in msg) void this.worker.terminate();
        });
        this.worker.postMessage({ close: true });
      });
    })();
    return this.closed;
  }
}

/** Commits on the calling thread (in-memory databases, which a second connection cannot see). */
export class InlineWriter extends BatchingWriter {
  private readonly cache = new Map<string, StatementSync>();

  constructor(private readonly db: () => DatabaseSync | null) {
    super();
  }

  protected async commit(batch: WriteStatement[]): Promise<Outcome[]> {
    const db = this.db();
    if (!db) throw new Error("sqlite storage is closed");
    return runBatch(db, this.cache, batch);
  }

  async close(): Promise<void> {
    await this.drain();
    this.cache.clear();
  }
}
