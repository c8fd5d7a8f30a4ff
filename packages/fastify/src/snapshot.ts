/** JSON text of each top-level key of a session, as loaded or last written in one request. */
export type Snapshot = ReadonlyMap<string, string>;

/** What a save has to send: the keys whose JSON changed and the keys that are gone. */
export interface TopLevelPatch {
  set: Record<string, unknown>;
  unset: string[];
}

/**
 * JSON text per key. Text, not references: nested objects are shared with the live
 * session, so a later `session.cart.push(x)` must not change the snapshot too.
 */
export function snapshotOf(data: Record<string, unknown>): Snapshot {
  const snapshot = new Map<string, string>();
  for (const [key, value] of Object.entries(data)) {
    const text = JSON.stringify(value);
    // JSON drops undefined and functions; so does the vault, so they count as absent.
    if (text !== undefined) snapshot.set(key, text);
  }
  return snapshot;
}

/** The top-level changes from `before` to `after`, or `null` when there are none. */
export function diffSnapshots(before: Snapshot, after: Snapshot): TopLevelPatch | null {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  let changed = false;
  for (const [key, text] of after) {
    if (before.get(key) !== text) {
      // Defined as a data property so that a "__proto__" key stays an ordinary key.
      Object.defineProperty(set, key, {
        value: JSON.parse(text),
        enumerable: true,
        writable: true,
        configurable: true,
      });
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

/** The plain object a snapshot stands for. */
export function dataOf(snapshot: Snapshot): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, text] of snapshot) {
    Object.defineProperty(data, key, { value: JSON.parse(text), enumerable: true, writable: true, configurable: true });
  }
  return data;
}
