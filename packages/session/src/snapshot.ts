import type { SessionPatch } from "@sessionvault/client";

/** JSON text of each top-level key of a session, as loaded or last written in one request. */
export type Snapshot = ReadonlyMap<string, string>;

/**
 * What a save has to send: the keys whose JSON changed and the keys that are gone.
 *
 * @example
 * ```ts
 * const patch: TopLevelPatch = { set: { cart: ["book"] }, unset: ["flash"] };
 * await client.patchSession(id, patch);
 * ```
 */
export interface TopLevelPatch extends SessionPatch<Record<string, unknown>> {
  set: Record<string, unknown>;
  unset: string[];
}

/**
 * JSON text per top-level key. Text, not references: nested objects are shared with the
 * live session, so a later `session.cart.push(x)` must not change the snapshot too.
 *
 * @example
 * ```ts
 * const before = snapshotOf({ cart: ["book"] });
 * ```
 */
export function snapshotOf(data: object): Snapshot {
  const snapshot = new Map<string, string>();
  for (const [key, value] of Object.entries(data)) {
    const text = JSON.stringify(value);
    // JSON drops undefined and functions; so does the vault, so they count as absent.
    if (text !== undefined) snapshot.set(key, text);
  }
  return snapshot;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // A data property, so that a "__proto__" key stays an ordinary key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The top-level changes from `before` to `after` as a `SessionPatch`, or `null` when there
 * are none.
 *
 * @example
 * ```ts
 * const patch = diffSnapshots(loaded, snapshotOf(session));
 * if (patch) await client.patchSession(id, patch, { create: false });
 * ```
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): TopLevelPatch | null {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  let changed = false;
  for (const [key, text] of after) {
    if (before.get(key) !== text) {
      define(set, key, JSON.parse(text));
      changed = true;
    }
  }
  for (const key of before.keys()) {
    if (!after.has(key)) {
      unset.push(key);
      changed = true;
    }
  }
  return changed ? { set, unset } : null;
}

/**
 * A fresh plain object a snapshot stands for (nothing shared with the snapshot's source).
 *
 * @example
 * ```ts
 * const data = dataOf(snapshotOf(found.data));
 * ```
 */
export function dataOf(snapshot: Snapshot): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, text] of snapshot) define(data, key, JSON.parse(text));
  return data;
}

/**
 * The keys of a session object that are session data: not the framework's own (`exclude`),
 * not functions, never `__proto__`. What regenerate-keeping-data carries to the new id.
 *
 * @example
 * ```ts
 * const kept = dataKeys(req.session, ["cookie"]);
 * ```
 */
export function dataKeys(session: object, exclude: readonly string[] = []): string[] {
  return Object.keys(session).filter(
    (key) =>
      key !== "__proto__" && !exclude.includes(key) && typeof (session as Record<string, unknown>)[key] !== "function",
  );
}
