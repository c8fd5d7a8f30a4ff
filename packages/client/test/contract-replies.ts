import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

// The same validator as the vault's own (packages/server/src/http/validate.ts): JSON
// Schema 2020-12 with formats, strict, on the one contract. Here the whole parsed
// document is one schema resource, so the contract's own `#/components/...` pointers
// resolve as they are written; the OpenAPI keywords around the schemas are declared
// as a vocabulary that validates nothing.

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

const SPEC = new URL("../../../openapi/sessionvault.yaml", import.meta.url);
const CONTRACT_ID = "https://sessionvault.dev/contract.json";
const JSON_TYPE = "application/json";

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}

type Validators = Map<string, ValidateFunction>;
let validators: Validators | undefined;
/** Key of the contract's one error shape, `{"status":"error","message":...}`. */
const ERROR_RESPONSE = "ErrorResponse";

/**
 * Compiles the reply schema of every operation and status once, keyed `"SessionGet 200"`,
 * and the contract's error shape under {@link ERROR_RESPONSE}.
 */
function compile(): Validators {
  const doc = parse(readFileSync(SPEC, "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "x-sessionvault-extension", schemaType: "boolean" });
  ajv.addVocabulary(Object.keys(doc).filter((key) => !key.startsWith("$")));
  ajv.addSchema({ ...doc, $id: CONTRACT_ID });

  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
  const result: Validators = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const op = value as Operation;
      if (typeof op?.operationId !== "string") continue;
      for (const [status, response] of Object.entries(op.responses)) {
        // A response is inline or a `$ref` to `#/components/responses/...`.
        const at = response.$ref ?? `#/${pointer("paths", path, method, "responses", status)}`;
        const resolved = response.$ref
          ? (doc as unknown as { components: { responses: Record<string, typeof response> } }).components.responses[
              response.$ref.split("/").at(-1)!
            ]
          : response;
        if (resolved?.content?.[JSON_TYPE]?.schema === undefined) continue;
        const schema = { $ref: `${CONTRACT_ID}${at}/${pointer("content", JSON_TYPE, "schema")}` };
        result.set(`${op.operationId} ${status}`, ajv.compile(schema));
      }
    }
  }
  result.set(ERROR_RESPONSE, ajv.compile({ $ref: `${CONTRACT_ID}#/components/schemas/${ERROR_RESPONSE}` }));
  return result;
}

/** How strictly a reply is held to the contract. */
export interface CheckOptions {
  /**
   * Allow a status the operation does not list (a proxy's 429, a draining vault's 503
   * on a read); the body must then still be the contract's `ErrorResponse`.
   */
  anyStatus?: boolean;
}

/**
 * Checks a reply body against the contract's reply schema for `operation` (its
 * operationId) and HTTP `status`. Returns what is wrong, or null when the body fits.
 * A status the operation does not list is wrong too, unless `anyStatus` is set.
 *
 * @example
 * ```ts
 * contractViolation("SessionGet", 200, { status: "ok" }); // "SessionGet 200: / must have required property 'sessiondata'; ..."
 * ```
 */
export function contractViolation(
  operation: string,
  status: number,
  body: unknown,
  options: CheckOptions = {},
): string | null {
  validators ??= compile();
  let validate = validators.get(`${operation} ${status}`);
  if (validate === undefined && options.anyStatus && status >= 400) validate = validators.get(ERROR_RESPONSE);
  if (validate === undefined) return `${operation} ${status}: the contract lists no such reply`;
  if (validate(body)) return null;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
  return `${operation} ${status}: ${errors.join("; ")}`;
}

/** Checks a whole mocked Response: a JSON content type, and a body that fits the contract. */
export async function responseViolation(
  operation: string,
  response: Response,
  options: CheckOptions = {},
): Promise<string | null> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith(JSON_TYPE)) return `${operation} ${response.status}: content-type "${type}" is not JSON`;
  const text = await response.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${operation} ${response.status}: the body is not JSON`;
  }
  return contractViolation(operation, response.status, body, options);
}
