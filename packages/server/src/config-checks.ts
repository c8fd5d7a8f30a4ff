/**
 * Startup checks that must never echo what they check: the line of a JSON syntax error
 * (not the parser's excerpt, which may hold a key or a token), and whether a secret
 * looks random enough to protect a vault.
 */

/** 1-based line of the first JSON syntax error in `text`, or null when it parses. */
export function jsonErrorLine(text: string): number | null {
  try {
    JSON.parse(text);
    return null;
  } catch {}
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return;
        } else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (c === word[0]) {
        literal(word);
        return;
      }
    }
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "") fail();
    i += match![0].length;
  };
  let at = text.length;
  try {
    value();
    ws();
    at = i;
  } catch (position) {
    at = typeof position === "number" ? position : text.length;
  }
  return text.slice(0, Math.min(at, text.length)).split("\n").length;
}

/** True when 32 key bytes are plainly not random (all zero, a repeated pattern). */
export function isWeakKey(key: Uint8Array): boolean {
  return new Set(key).size < 16;
}

/**
 * True when a token is guessable: one short run repeated (`ab12ab12…`), or fewer than 48
 * bits by its own character frequencies (`aaaa…`, `1111…`). A random token of 16 base64
 * or hex characters passes.
 */
export function isWeakToken(token: string): boolean {
  if (/^(.{1,8})\1+$/s.test(token)) return true;
  const counts = new Map<string, number>();
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...token].length;
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * length < 48;
}
