#!/usr/bin/env node
// Renders the API reference (reference/api.md) from openapi/sessionvault.yaml. The page is
// generated at build and test time and never committed, so it cannot drift from the contract.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const docsRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const contractPath = join(docsRoot, "../openapi/sessionvault.yaml");
export const referencePath = join(docsRoot, "reference/api.md");

const cell = (text) =>
  String(text ?? "")
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .trim();

function resolve(spec, node) {
  let current = node;
  while (current && typeof current.$ref === "string") {
    current = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((at, key) => at?.[key], spec);
  }
  return current ?? {};
}

function typeOf(spec, node) {
  const schema = resolve(spec, node);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["oneOf", "anyOf"]) {
    if (schema[key]) return [...new Set(schema[key].map((s) => typeOf(spec, s)))].join(" | ");
  }
  if (schema.type === "array") return `${typeOf(spec, schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return schema.type ?? "object";
}

function fieldsTable(spec, schemaNode) {
  const schema = resolve(spec, schemaNode);
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return "";
  const required = new Set(schema.required ?? []);
  const rows = properties.map(([name, node]) => {
    const field = resolve(spec, node);
    const own = typeof node === "object" && node !== null ? node : {};
    const description = own.description ?? field.description ?? "";
    const extension = own["x-sessionvault-extension"] || field["x-sessionvault-extension"] ? " _(extension)_" : "";
    return `| \`${name}\` | ${cell(typeOf(spec, node))} | ${required.has(name) ? "yes" : ""} | ${cell(description)}${extension} |`;
  });
  return ["| field | type | required | description |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

function responsesTable(spec, responses) {
  const rows = Object.entries(responses ?? {}).map(([status, node]) => {
    const response = resolve(spec, node);
    return `| ${status} | ${cell(response.description)} |`;
  });
  return ["| status | meaning |", "| --- | --- |", ...rows].join("\n");
}

/** The reference page as markdown. */
export function renderReference(spec) {
  const tags = spec.tags ?? [];
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== "object" || !operation.operationId) continue;
      operations.push({ path, method: method.toUpperCase(), operation });
    }
  }
  const out = [
    "---",
    "title: API reference",
    "outline: [2, 3]",
    "editLink: false",
    "---",
    "",
    "<!-- generated from openapi/sessionvault.yaml by docs/scripts/api-reference.mjs; do not edit -->",
    "",
    `# API reference <Badge type="info" text="${cell(spec.info?.version)}" />`,
    "",
    cell(spec.info?.summary),
    "",
    "This page is generated from the contract, [`openapi/sessionvault.yaml`](https://github.com/sessionvault/sessionvault/blob/main/openapi/sessionvault.yaml),",
    "every time the site builds. For the SDK call behind each operation, see [Using the SDK](./sdk.md).",
    "",
  ];
  for (const tag of tags) {
    const inTag = operations.filter(({ operation }) => (operation.tags ?? []).includes(tag.name));
    if (inTag.length === 0) continue;
    out.push(`## ${tag.name[0].toUpperCase()}${tag.name.slice(1)}`, "", cell(tag.description), "");
    for (const { path, method, operation } of inTag) {
      const extension = operation["x-sessionvault-extension"] ? ' <Badge type="tip" text="extension" />' : "";
      out.push(`### ${operation.operationId}${extension}`, "", `\`${method} ${path}\``, "");
      if (operation.summary) out.push(cell(operation.summary), "");
      if (operation.description) out.push(String(operation.description).trim(), "");
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      const fields = body ? fieldsTable(spec, body) : "";
      if (fields) out.push("**Request body**", "", fields, "");
      const ok = resolve(spec, operation.responses?.["200"])?.content?.["application/json"]?.schema;
      const answer = ok ? fieldsTable(spec, ok) : "";
      if (answer) out.push("**Response `200`**", "", answer, "");
      out.push("**Responses**", "", responsesTable(spec, operation.responses), "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Writes reference/api.md from the contract; returns the operation ids it rendered. */
export function writeReference() {
  const spec = parse(readFileSync(contractPath, "utf8"));
  mkdirSync(dirname(referencePath), { recursive: true });
  writeFileSync(referencePath, renderReference(spec));
  return Object.values(spec.paths ?? {}).flatMap((item) =>
    Object.values(item)
      .map((operation) => operation?.operationId)
      .filter(Boolean),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ids = writeReference();
  process.stdout.write(`reference/api.md: ${ids.length} operations from openapi/sessionvault.yaml\n`);
}
