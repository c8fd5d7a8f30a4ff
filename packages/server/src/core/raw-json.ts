/**
 * A JSON value kept as the text it was sealed as. A read passes the text on into the
 * reply without parsing and re-serialising it; `JSON.stringify` still sees the value.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }

  /** The value as an object (for merges). */
  parse<T>(): T {
    return JSON.parse(this.text) as T;
  }
}

/**
 * `JSON.stringify` that splices {@link RawJson} values in as they are, within the first
 * `depth` levels of plain objects and arrays (a reply and its rows); deeper values are
 * serialised natively.
 */
export function stringifyJson(value: unknown, depth = 3): string | undefined {
  if (value instanceof RawJson) return value.text;
  if (depth === 0 || value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += stringifyJson(value[i], depth - 1) ?? "null";
    }
    return `${out}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return JSON.stringify(value);
  let out = "{";
  let first = true;
  for (const key of Object.keys(value)) {
    const text = stringifyJson((value as Record<string, unknown>)[key], depth - 1);
    if (text === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}
