import { describe, expect, it } from "vitest";
import { dataKeys, dataOf, diffSnapshots, snapshotOf } from "../../src/index.js";

describe("snapshot and diff", () => {
  it("sees a change inside a nested value even though the live session shares it", () => {
    const live = { cart: ["book"], n: 1 };
    const before = snapshotOf(live);
    live.cart.push("pen");
    expect(diffSnapshots(before, snapshotOf(live))).toEqual({ set: { cart: ["book", "pen"] }, unset: [] });
  });

  it("reports removed keys, and null for an unchanged session", () => {
    const before = snapshotOf({ a: 1, b: { c: 2 } });
    expect(diffSnapshots(before, snapshotOf({ a: 1, b: { c: 2 } }))).toBeNull();
    expect(diffSnapshots(before, snapshotOf({ b: { c: 2 } }))).toEqual({ set: {}, unset: ["a"] });
  });

  it("counts undefined and functions as absent, like the vault's JSON", () => {
    expect([...snapshotOf({ a: undefined, f: () => 1, b: null }).keys()]).toEqual(["b"]);
  });

  it("keeps a __proto__ key an ordinary key in patches and copies", () => {
    const data = JSON.parse('{"__proto__":{"admin":true}}') as Record<string, unknown>;
    const patch = diffSnapshots(snapshotOf({}), snapshotOf(data));
    expect(Object.keys(patch?.set ?? {})).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const copy = dataOf(snapshotOf(data));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__"]);
  });

  it("lists the data keys a regenerate carries over", () => {
    const session = { cookie: {}, cart: [1], save: () => undefined, user: "ada" };
    expect(dataKeys(session, ["cookie"])).toEqual(["cart", "user"]);
  });
});
