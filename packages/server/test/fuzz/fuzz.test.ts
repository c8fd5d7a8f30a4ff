import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contract } from "../../src/generated/contract.js";
import { DRIVERS, type DriverName, driverServices, TOKEN, type VaultGroup } from "../hardening/drivers.js";
import { validators } from "../helpers.js";

type Schema = Record<string, unknown>;
const schemas = (contract as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
const paths = (contract as unknown as { paths: Record<string, Record<string, Schema>> }).paths;

/** A fast-check arbitrary for the subset of JSON Schema the contract uses. */
function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === "string") return arbitraryFor(schemas[schema.$ref.split("/").pop()!]!, depth);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf)) return fc.oneof(...(schema.oneOf as Schema[]).map((s) => arbitraryFor(s, depth)));
  if (Array.isArray(schema.allOf)) {
    return fc
      .tuple(...(schema.allOf as Schema[]).map((s) => arbitraryFor(s, depth)))
      .map((parts) => Object.assign({}, ...(parts as object[])));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      if (schema.format === "uuid") return fc.uuid();
      if (typeof schema.pattern === "string") {
        // "^[class]+$" with length bounds: draw characters of the class up to the bounds.
        const repeated = /^\^(\[.+\])\+\$$/.exec(schema.pattern);
        if (repeated) {
          return fc.string({
            unit: fc.stringMatching(new RegExp(`^${repeated[1]}$`)),
            minLength: (schema.minLength as number | undefined) ?? 1,
            maxLength: Math.min((schema.maxLength as number | undefined) ?? 40, 40),
          });
        }
        return fc.stringMatching(new RegExp(schema.pattern));
      }
      return fc.string({
        minLength: (schema.minLength as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxLength as number | undefined) ?? 40, 40),
      });
    }
    case "integer":
      return fc.integer({
        min: (schema.minimum as number | undefined) ?? -1000,
        max: Math.min((schema.maximum as number | undefined) ?? 1_000_000, 2_000_000_000),
      });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(arbitraryFor(schema.items as Schema, depth + 1), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? 5, 5),
      });
    default: {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) shape[name] = arbitraryFor(sub, depth + 1);
      const known = fc.record(shape, { requiredKeys: [...required] });
      if (schema.additionalProperties !== true || depth > 2) return known;
      return fc
        .tuple(known, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }))
        .map(([a, b]) => ({ ...b, ...(a as object) }));
    }
  }
}

function requestSchema(operation: string): Schema {
  const item = paths[`/v2/${operation}`]!.post as {
    requestBody: { content: { "application/json": { schema: Schema } } };
  };
  return item.requestBody.content["application/json"].schema;
}

/** Valid bodies, valid bodies with one field replaced by junk, and arbitrary junk. */
function bodies(operation: string): fc.Arbitrary<string> {
  const schema = requestSchema(operation);
  const valid = arbitraryFor(schema);
  const resolved = schemas[String(schema.$ref).split("/").pop()!]!;
  // Only the required fields: optional ones such as expectversion or usertoken mostly fail on purpose.
  const minimal = arbitraryFor({
    ...resolved,
    properties: Object.fromEntries(
      Object.entries((resolved.properties ?? {}) as Record<string, Schema>).filter(([name]) =>
        ((resolved.required ?? []) as string[]).includes(name),
      ),
    ),
  });
  const mutated = fc
    .tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }))
    .map(([body, key, junk]) => {
      const fields = Object.keys(body as object);
      const target = fields.length ? fields[key.length % fields.length]! : key;
      return { ...(body as object), [target]: junk };
    });
  return fc.oneof(
    { weight: 2, arbitrary: minimal.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: mutated.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")) },
  );
}

const services = driverServices();
beforeAll(() => services.start(), 120_000);
afterAll(() => services.stop());

/** One vault per driver; counts what was sent and every 5xx, for the figures line. */
function fuzzTarget(driver: DriverName) {
  let url = "";
  let group: VaultGroup | undefined;
  const tally = { requests: 0, fivexx: 0 };
  return {
    tally,
    async open() {
      group = services.group(driver);
      url = (await group.instance({ bodyLimit: 64 * 1024 })).url;
    },
    async close() {
      await group?.close();
      console.log(`fuzz driver=${driver} requests=${tally.requests} 5xx=${tally.fivexx}`);
    },
    async send(path: string, method: string, body: string | null, headers: Record<string, string> = {}) {
      tally.requests++;
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { "x-bunker-token": TOKEN, ...headers },
        ...(body === null ? {} : { body }),
      });
      if (res.status >= 500) tally.fivexx++;
      const text = await res.text();
      return { status: res.status, text };
    },
  };
}

function assertSane(reply: { status: number; text: string }, context: string) {
  expect(reply.status, `${context} -> ${reply.text}`).toBeLessThan(500);
  const parsed = JSON.parse(reply.text) as { status?: unknown; message?: unknown };
  expect(["ok", "error"]).toContain(parsed.status);
  if (parsed.status === "error") expect(typeof parsed.message).toBe("string");
}

describe.each(DRIVERS)("no client input causes a 5xx or a crash (%s)", (driver) => {
  const target = fuzzTarget(driver);
  const send = target.send;
  beforeAll(() => target.open(), 60_000);
  afterAll(() => target.close());

  // Operations whose generated valid bodies succeed without any prior state.
  const succeedsFromScratch = new Set([
    "SessionUpsert",
    "SessionDelete",
    "UserCreate",
    "TokenCreate",
    "TokenCreateBulk",
  ]);
  for (const operation of validators.v2Operations) {
    it(`${operation}: contract-shaped bodies, mutated bodies and junk`, async () => {
      const seen = new Set<number>();
      await fc.assert(
        fc.asyncProperty(
          bodies(operation),
          fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/)),
          async (body, tenant) => {
            const reply = await send(`/v2/${operation}`, "POST", body, tenant ? { "x-bunker-tenant": tenant } : {});
            assertSane(reply, `${operation} ${body.slice(0, 200)}`);
            seen.add(reply.status);
            if (reply.status === 200) {
              const problem = validators.response(operation, 200, JSON.parse(reply.text));
              expect(problem, operation).toBeNull();
            }
          },
        ),
        { numRuns: 60 },
      );
      // The generators reach both the validator's refusals and the operation itself.
      expect(seen.has(400), [...seen].join(",")).toBe(true);
      if (succeedsFromScratch.has(operation)) expect(seen.has(200), [...seen].join(",")).toBe(true);
    });
  }

  it("v1 routes and arbitrary paths, methods and headers", async () => {
    const segment = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[\x21-\x7e]{8,40}$/));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH"),
        fc.oneof(
          segment.map((s) => `/v1/session/${encodeURIComponent(s)}`),
          fc.tuple(segment, segment).map(([m, i]) => `/v1/sessions/${encodeURIComponent(m)}/${encodeURIComponent(i)}`),
          fc.constantFrom("/v1/session/%E0%A4%A", "/v1/session/abcdefgh12?finaltime=%ZZ", "/v2/", "/v2/%00", "/"),
          segment.map((s) => `/v2/${encodeURIComponent(s)}`),
        ),
        fc.option(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))),
        async (method, path, body) => {
          const reply = await send(path, method, method === "GET" ? null : (body ?? null));
          assertSane(reply, `${method} ${path}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("is still alive and serving afterwards", async () => {
    expect((await send("/healthz", "GET", null)).status).toBe(200);
    const after = await send(
      "/v2/SessionUpsert",
      "POST",
      JSON.stringify({ sessionuuid: "after-fuzz-01", sessiondata: {} }),
    );
    expect(after.status, after.text).toBe(200);
    expect(target.tally.fivexx).toBe(0);
  });
});
