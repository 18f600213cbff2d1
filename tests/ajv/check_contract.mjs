#!/usr/bin/env node
// tests/ajv/check_contract.mjs: check agency views against their generated JSON Schema
// contract with ajv, the validator agencies use (tests/views_tests.cpp runs it).
//
//   node tests/ajv/check_contract.mjs SCHEMA.json DOCUMENT.json...
//
// The schema must be draft 2020-12 (ajv/dist/2020, strict mode, with ajv-formats as agencies
// set it up). Output: one line per document, `file<TAB>valid`, or `file<TAB>invalid<TAB>errors`.
// Exit status: 0 when every document is valid, 1 when one is not, 2 on a usage or read error
// (a schema ajv refuses to compile included).
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function fail(message) {
  process.stderr.write(`check_contract.mjs: ${message}\n`);
  process.stderr.write("usage: node tests/ajv/check_contract.mjs SCHEMA.json DOCUMENT.json...\n");
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length < 2) fail("expected a schema and at least one document");

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
}

const schema = readJson(args[0]);
if (schema.$schema !== "https://json-schema.org/draft/2020-12/schema") fail(`${args[0]} is not a 2020-12 schema`);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  fail(`ajv cannot compile ${args[0]}: ${e.message}`);
}

let invalid = 0;
for (const file of args.slice(1)) {
  if (validate(readJson(file))) {
    process.stdout.write(`${file}\tvalid\n`);
  } else {
    ++invalid;
    const errors = validate.errors.map((e) => `${e.instancePath || "/"} ${e.keyword}: ${e.message}`).join(" | ");
    process.stdout.write(`${file}\tinvalid\t${errors}\n`);
  }
}
process.exit(invalid ? 1 : 0);
