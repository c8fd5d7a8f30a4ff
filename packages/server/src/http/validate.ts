import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { contract } from "../generated/contract.js";

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;

type Schema = Record<string, unknown>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    const out: Schema = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "#/$defs/") : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

const CONTRACT_ID = "https://sessionvault.dev/contract.json";

/** A validator built once from the contract: request bodies, path parameters, responses. */
export interface ContractValidators {
  /** Operation ids served as `POST /v2/{id}`. */
  v2Operations: ReadonlySet<string>;
  /** Validates a `/v2` request body; returns a message naming the field, or null. */
  request(operation: string, body: unknown): string | null;
  /** Validates a value against one of the contract's component schemas. */
  schema(name: string, value: unknown, field: string): string | null;
  /** Validates a response body against the contract (for tests). */
  response(operation: string, status: number, body: unknown): string | null;
}

interface OperationShape {
  operationId: string;
  requestBody?: { content: { "application/json": { schema: { $ref: string } } } };
  responses: Record<string, { $ref?: string; content?: { "application/json": { schema: Schema } } }>;
}

/**
 * Compiles every schema of the contract once (JSON Schema 2020-12 with formats).
 *
 * @example
 * ```ts
 * const validators = createValidators();
 * validators.request("SessionGet", { sessionuuid: "too-short" }); // "sessionuuid: must NOT have fewer than 8 characters"
 * ```
 */
export function createValidators(): ContractValidators {
  const ajv = new Ajv2020({ allErrors: false, strict: true, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "x-sessionvault-extension", schemaType: "boolean" });
  const doc = contract as unknown as {
    paths: Record<string, Record<string, OperationShape | unknown>>;
    components: { schemas: Schema; responses: Record<string, { content: { "application/json": { schema: Schema } } }> };
  };
  ajv.addSchema({ $id: CONTRACT_ID, $defs: rewriteRefs(doc.components.schemas) as Schema });
  const compile = (schema: unknown): ValidateFunction => ajv.compile(rewriteRefs(schema) as Schema);
  const ref = (schema: Schema): Schema =>
    typeof schema.$ref === "string"
      ? { $ref: `${CONTRACT_ID}${schema.$ref.replace("#/components/schemas/", "#/$defs/")}` }
      : schema;

  const requests = new Map<string, ValidateFunction>();
  const responses = new Map<string, ValidateFunction>();
  const v2Operations = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "post", "delete"]) {
      const op = item[method] as OperationShape | undefined;
      if (!op) continue;
      if (path.startsWith("/v2/")) v2Operations.add(op.operationId);
      const body = op.requestBody?.content["application/json"].schema;
      if (body) requests.set(op.operationId, compile(ref(body)));
      for (const [status, response] of Object.entries(op.responses)) {
        const resolved = response.$ref
          ? doc.components.responses[response.$ref.replace("#/components/responses/", "")]
          : response;
        const schema = resolved?.content?.["application/json"].schema;
        if (schema) responses.set(`${op.operationId} ${status}`, compile(ref(schema)));
      }
    }
  }
  const components = new Map<string, ValidateFunction>();
  const componentValidator = (name: string): ValidateFunction => {
    let fn = components.get(name);
    if (!fn) {
      fn = compile({ $ref: `${CONTRACT_ID}#/$defs/${name}` });
      components.set(name, fn);
    }
    return fn;
  };

  return {
    v2Operations,
    request(operation, body) {
      const fn = requests.get(operation);
      if (!fn) return null;
      return fn(body) ? null : describe(fn.errors ?? [], "body");
    },
    schema(name, value, field) {
      const fn = componentValidator(name);
      return fn(value) ? null : describe(fn.errors ?? [], field, field);
    },
    response(operation, status, body) {
      const fn = responses.get(`${operation} ${status}`);
      if (!fn) return `no response schema for ${operation} ${status}`;
      return fn(body) ? null : ajv.errorsText(fn.errors);
    },
  };
}

const FRIENDLY: Record<string, string> = {
  slidingtime: "must be a duration such as 30s, 30m, 1h or 7d",
  finaltime: "must be a duration such as 30m, 1h or 7d, or a unix timestamp in seconds",
  usertoken: 'must be a user token (uuid) or ""',
};

/** One message naming the field; never echoes the value. */
function describe(errors: ErrorObject[], whole: string, root?: string): string {
  const first = errors[0];
  if (!first) return `${whole}: is invalid`;
  const path = first.instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (root) path.unshift(root);
  if (first.keyword === "required") {
    path.push(String((first.params as { missingProperty: string }).missingProperty));
    return `${path.join(".")}: is required`;
  }
  const field = path.length > 0 ? path.join(".") : whole;
  const last = path.at(-1) ?? "";
  const viaOneOf = errors.some((e) => e.keyword === "oneOf" && e.instancePath === first.instancePath);
  if (viaOneOf || (first.keyword === "pattern" && FRIENDLY[last])) {
    return `${field}: ${FRIENDLY[last] ?? "does not match any allowed form"}`;
  }
  if (first.keyword === "pattern") return `${field}: contains characters that are not allowed`;
  return `${field}: ${first.message ?? "is invalid"}`;
}
