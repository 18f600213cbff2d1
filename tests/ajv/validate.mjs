#!/usr/bin/env node
// tests/ajv/validate.mjs: validate submissions against an agency's JSON Schema with ajv, the
// validator agencies actually use, and print one verdict per submission.
//
//   node tests/ajv/validate.mjs SCHEMA.json SUBMISSIONS [--errors] [--time SECONDS]
//
// SUBMISSIONS is a directory (every *.json in it, in name order, named by file name) or a
// JSONL file (one submission per line, named "LINE" by line number, or, for a line of the
// shape {"name": "...", "submission": {...}}, by its name).
//
// Output: one line per submission, `name<TAB>valid` or `name<TAB>invalid`; with --errors,
// an invalid one gets a third column with ajv's errors ("instancePath keyword: message",
// joined by " | "). With --time SECONDS, it also validates the whole set over and over for
// about that long and prints the throughput to stderr (for bench/validate's ratio).
//
// The Ajv class follows the schema's $schema: draft-04 uses ajv-draft-04, draft-06/07 the
// default Ajv, 2019-09 ajv/dist/2019, 2020-12 ajv/dist/2020. Formats (date, email, ...) come
// from ajv-formats, as agencies set it up. Exit status: 0 when every submission was read and
// validated (whatever the verdicts), 2 on a usage or read error.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function usage(message) {
  if (message) process.stderr.write(`validate.mjs: ${message}\n`);
  process.stderr.write("usage: node tests/ajv/validate.mjs SCHEMA.json SUBMISSIONS_DIR|FILE.jsonl [--errors] [--time SECONDS]\n");
  process.exit(2);
}

const args = process.argv.slice(2);
let showErrors = false;
let timeSeconds = 0;
const positional = [];
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === "--errors") showErrors = true;
  else if (a === "--time") {
    timeSeconds = Number(args[++i]);
    if (!(timeSeconds > 0)) usage("--time needs a number of seconds");
  } else if (a === "--help" || a === "-h") usage();
  else if (a.startsWith("--")) usage(`unknown option '${a}'`);
  else positional.push(a);
}
if (positional.length !== 2) usage("expected a schema and a directory or JSONL file of submissions");
const [schemaPath, submissionsPath] = positional;

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
}

function ajvClassFor(schema) {
  const id = String(schema.$schema ?? "");
  if (id.includes("draft-04")) return require("ajv-draft-04");
  if (id.includes("2020-12")) return require("ajv/dist/2020");
  if (id.includes("2019-09")) return require("ajv/dist/2019");
  return require("ajv");  // draft-06 and draft-07, and schemas that do not say
}

const schema = readJson(schemaPath);
const AjvModule = ajvClassFor(schema);
const Ajv = AjvModule.default ?? AjvModule;
const addFormats = require("ajv-formats").default ?? require("ajv-formats");
// allErrors: report every error, as askonce does. strict: false, because published agency
// schemas carry keywords and unions that ajv's strict mode (an authoring aid) refuses.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function loadSubmissions(where) {
  const stat = fs.statSync(where, { throwIfNoEntry: false });
  if (!stat) usage(`${where} does not exist`);
  if (stat.isDirectory()) {
    return fs.readdirSync(where)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => ({ name: f, data: readJson(path.join(where, f)) }));
  }
  const out = [];
  fs.readFileSync(where, "utf8").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let v;
    try {
      v = JSON.parse(line);
    } catch (e) {
      usage(`${where}:${i + 1}: ${e.message}`);
    }
    const keys = v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : [];
    if (keys.length === 2 && typeof v.name === "string" && "submission" in v) out.push({ name: v.name, data: v.submission });
    else out.push({ name: String(i + 1), data: v });
  });
  return out;
}

const submissions = loadSubmissions(submissionsPath);
const lines = [];
for (const s of submissions) {
  const ok = validate(s.data);
  let line = `${s.name}\t${ok ? "valid" : "invalid"}`;
  if (showErrors && !ok) {
    const errors = validate.errors.map((e) => `${e.instancePath || "/"} ${e.keyword}: ${e.message}`);
    line += `\t${errors.join(" | ")}`;
  }
  lines.push(line);
}
process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));

if (timeSeconds > 0 && submissions.length > 0) {
  const data = submissions.map((s) => s.data);
  let count = 0;
  let valid = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(timeSeconds * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    for (const d of data) if (validate(d)) ++valid;
    count += data.length;
    elapsed = process.hrtime.bigint() - start;
  }
  const seconds = Number(elapsed) / 1e9;
  process.stderr.write(`ajv ${ajv.constructor.name}: ${count} validations in ${seconds.toFixed(3)} s: ` +
                       `${Math.round(count / seconds)} submissions/s (${valid} valid)\n`);
}
