/**
 * Checks a JSON text for what `JSON.parse` would silently change: a key twice in one
 * object (last wins), a number beyond a double (`1e400` becomes Infinity, then null), an
 * integer literal beyond 2^53 (loses precision), nesting deeper than `maxDepth`, a string
 * or key holding a lone UTF-16 surrogate (`"\ud800"`: no UTF-8 encoding, so PostgreSQL
 * refuses it and other drivers would store U+FFFD in its place).
 * Returns a message naming the field (`body.a.b`, `body.list.3`), or null. Call it on
 * text `JSON.parse` accepts; on other text its answer is meaningless but it never throws.
 */
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function findStorageHazard(text: string, maxDepth: number): string | null {
  const stack: Frame[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: find its end, honouring escapes.
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 34) break;
        j++;
      }
      const frame = stack.at(-1);
      // Text decoded from UTF-8 holds no lone surrogate, so only an escape can bring one.
      let decoded: string | null = null;
      if (escaped) {
        try {
          decoded = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {}
      }
      if (decoded !== null && LONE_SURROGATE.test(decoded)) {
        const parts = expectKey && frame?.keys ? [...pathParts(stack.slice(0, -1)), "(key)"] : pathParts(stack);
        return `${parts.join(".")}: holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape), which no storage can keep as sent`;
      }
      if (expectKey && frame?.keys) {
        const key = decoded ?? text.slice(i + 1, j);
        if (frame.keys.has(key))
          return `${[...pathParts(stack.slice(0, -1)), key].join(".")}: appears twice in one object`;
        frame.keys.add(key);
        frame.key = key;
        expectKey = false;
      }
      i = j;
      continue;
    }
    if (c === 123 || c === 91) {
      stack.push({ keys: c === 123 ? new Set() : null, key: "", index: 0 });
      if (stack.length > maxDepth) return `body: nested deeper than ${maxDepth} levels`;
      expectKey = c === 123;
      continue;
    }
    if (c === 125 || c === 93) {
      stack.pop();
      expectKey = false;
      continue;
    }
    if (c === 44) {
      const frame = stack.at(-1);
      if (frame?.keys) expectKey = true;
      else if (frame) frame.index++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let integer = true;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) j++;
        else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
          integer = false;
          j++;
        } else break;
      }
      const literal = text.slice(i, j);
      const value = Number(literal);
      if (!Number.isFinite(value)) return `${pathParts(stack).join(".")}: is a number too large to store`;
      if (integer && !Number.isSafeInteger(value)) {
        return `${pathParts(stack).join(".")}: is an integer beyond 2^53, which JSON numbers cannot keep exactly`;
      }
      i = j - 1;
    }
  }
  return null;
}

/** An open object (its keys so far and the current one) or array (the current index). */
interface Frame {
  keys: Set<string> | null;
  key: string;
  index: number;
}

function pathParts(stack: Frame[]): string[] {
  const parts = ["body"];
  for (const frame of stack) parts.push(frame.keys ? frame.key : String(frame.index));
  return parts;
}
