#!/usr/bin/env node
// Compares openapi/sessionvault.yaml with Databunker Pro's contract
// (openapi/databunker/pro-contract.json) field by field and writes the table of every
// difference to docs/compatibility/pro-differences.md. `--check` exits 1 when the
// committed table differs from what the two contracts give today.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeTables } from "./tables.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// `yaml` is a dependency of the server package, which runs this script in its tests.
const { parse } = createRequire(join(root, "packages/server/package.json"))("yaml");

// SV_PRO_DIFF_OUT lets a test point --check at another copy of the table.
const OUT = process.env.SV_PRO_DIFF_OUT ?? join(root, "docs/compatibility/pro-differences.md");

function resolver(doc) {
  return function resolve(schema) {
    let s = schema ?? {};
    while (s.$ref)
      s = s.$ref
        .slice(2)
        .split("/")
        .reduce((node, key) => node[key], doc);
    return s;
  };
}

/** A short, comparable name for a schema's type: `string`, `integer|null`, `string (enum)`. */
function typeName(schema, resolve) {
  const s = resolve(schema);
  if (s.oneOf || s.anyOf) {
    const names = new Set((s.oneOf ?? s.anyOf).map((x) => typeName(x, resolve)));
    return [...names].sort().join("|");
  }
  if (s.allOf) return "object";
  if ("const" in s) return typeof s.const;
  if (Array.isArray(s.type)) return [...s.type].sort().join("|");
  return s.type ?? "any";
}

/** Every top-level field of an object schema, and `field[].sub` for arrays of objects. */
function flatten(schema, resolve, prefix = "") {
  const s = resolve(schema);
  const fields = {};
  const parts = s.allOf ? s.allOf.map(resolve) : [s];
  for (const part of parts) {
    const required = new Set(part.required ?? []);
    for (const [name, raw] of Object.entries(part.properties ?? {})) {
      const prop = resolve(raw);
      const key = prefix + name;
      fields[key] = {
        type: typeName(raw, resolve),
        required: required.has(name),
        enum: prop.enum ? [...prop.enum].sort() : undefined,
        extension: raw["x-sessionvault-extension"] === true || prop["x-sessionvault-extension"] === true,
      };
      const items = prop.type === "array" && prop.items ? resolve(prop.items) : null;
      if (items && (items.properties || items.allOf)) Object.assign(fields, flatten(items, resolve, `${key}[].`));
    }
  }
  return fields;
}

function ours() {
  const doc = parse(readFileSync(join(root, "openapi/sessionvault.yaml"), "utf8"));
  const resolve = resolver(doc);
  const ops = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/v2/")) continue;
    const op = item.post;
    const body = op.requestBody?.content?.["application/json"]?.schema;
    const reply = op.responses?.["200"]?.content?.["application/json"]?.schema;
    ops[path.slice(4)] = {
      extension: op["x-sessionvault-extension"] === true,
      notSupported: op["x-sessionvault-not-supported"] === true,
      request: body ? flatten(body, resolve) : {},
      response: reply ? flatten(reply, resolve) : {},
    };
  }
  return ops;
}

const cell = (v) => (v === undefined ? "—" : `\`${v}\``);
const describe = (f) =>
  f ? `${f.type}${f.required ? ", required" : ""}${f.enum ? ` [${[...f.enum].sort().join(", ")}]` : ""}` : undefined;

export function differences() {
  const pro = JSON.parse(readFileSync(join(root, "openapi/databunker/pro-contract.json"), "utf8"));
  const mine = ours();
  const rows = [];
  const names = [...new Set([...Object.keys(pro.operations), ...Object.keys(mine)])].sort();
  for (const name of names) {
    const p = pro.operations[name];
    const m = mine[name];
    if (!m) {
      rows.push([name, "operation", "", "served", "not served", "answers 404 `unknown operation`"]);
      continue;
    }
    if (!p) {
      rows.push([name, "operation", "", "not in the contract", "served", "sessionvault extension"]);
      continue;
    }
    if (m.notSupported) {
      rows.push([name, "operation", "", "served", "refused", "answers 501 `not supported` by design"]);
      continue;
    }
    for (const side of ["request", "response"]) {
      const fields = [...new Set([...Object.keys(p[side]), ...Object.keys(m[side])])].sort();
      for (const field of fields) {
        const a = p[side][field];
        const b = m[side][field];
        let what = null;
        if (!b) what = side === "request" ? "ignored (not in the contract)" : "not sent";
        else if (!a) what = b.extension ? "sessionvault extension" : "sessionvault only";
        else if (a.type !== b.type) what = "type differs";
        // Pro's contract marks no reply field required, so only request fields compare.
        else if (side === "request" && Boolean(a.required) !== b.required)
          what = b.required ? "required here only" : "required in Pro only";
        else if (a.enum && b.enum && [...a.enum].sort().join() !== b.enum.join()) what = "values differ";
        if (what) rows.push([name, side, field, cell(describe(a)), cell(describe(b)), what]);
      }
    }
  }
  return { pro, rows };
}

export function render() {
  const { pro, rows } = differences();
  const lines = [
    "<!-- generated by scripts/compat/pro-differences.mjs — do not edit -->",
    "# sessionvault and Databunker Pro, field by field",
    "",
    `Compared: \`openapi/sessionvault.yaml\` and Databunker Pro's contract (${pro.source.title},`,
    `[${pro.source.repository.replace("https://github.com/", "")}](${pro.source.repository}) \`${pro.source.path}\` at \`${pro.source.commit.slice(0, 12)}\`,`,
    `extracted in \`openapi/databunker/pro-contract.json\`). Operation groups outside a session-and-PII`,
    `vault are not compared: ${pro.otherTags.join(", ")}. Pro's contract marks no reply field`,
    "required, so `required` is compared on requests only.",
    "",
    `${rows.length} differences.`,
    "",
    "| Operation | Where | Field | Databunker Pro | sessionvault | Difference |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows
      .map((r) => [r[0], r[1], r[2] ? `\`${r[2]}\`` : "", r[3], r[4], r[5]].map((c) => c.replaceAll("|", "\\|")))
      .map((r) => `| ${r.join(" | ")} |`),
    "",
  ];
  return lines.join("\n");
}

export { normalizeTables };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(OUT, "utf8");
    } catch {}
    if (normalizeTables(committed) !== normalizeTables(text)) {
      process.stderr.write(
        "docs/compatibility/pro-differences.md is out of date: run node scripts/compat/pro-differences.mjs\n",
      );
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
  }
}
