#!/usr/bin/env node
// bench/ajv_bench.mjs: how many submissions per second ajv validates, for bench/validate's ratio.
//
//   node bench/ajv_bench.mjs SCHEMA.json SUBMISSIONS_DIR [--seconds S]
//   node bench/ajv_bench.mjs --list LIST.tsv [--seconds S]
//
// Reads every *.json in SUBMISSIONS_DIR (in name order) as text, compiles SCHEMA once, set up
// as tests/ajv/validate.mjs does (the Ajv class its $schema names, allErrors, strict off,
// ajv-formats), warms up for a second, then for S seconds of CPU time (default 5) does what a server does
// with each submission: JSON.parse of the text, then validate. Prints one line to stdout:
//   ajv <count> <seconds> <per_second> <valid_per_pass>
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
let seconds = 5;
let list = null;
const positional = [];
for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--seconds") seconds = Number(args[++i]);
  else if (args[i] === "--list") list = args[++i];
  else positional.push(args[i]);
}
if ((list ? positional.length !== 0 : positional.length !== 2) || !(seconds > 0)) {
  process.stderr.write("usage: node bench/ajv_bench.mjs SCHEMA.json SUBMISSIONS_DIR [--seconds S]\n" +
                       "       node bench/ajv_bench.mjs --list LIST.tsv [--seconds S]\n");
  process.exit(2);
}
const addFormats = require("ajv-formats").default ?? require("ajv-formats");

/// The schema's validator, set up as tests/ajv/validate.mjs does.
function compile(schemaPath) {
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  const id = String(schema.$schema ?? "");
  const AjvModule = id.includes("draft-04") ? require("ajv-draft-04")
    : id.includes("2020-12") ? require("ajv/dist/2020")
    : id.includes("2019-09") ? require("ajv/dist/2019")
    : require("ajv");
  const Ajv = AjvModule.default ?? AjvModule;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function readTexts(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
}

let validate = null;
let texts = [];

function pass() {
  let valid = 0;
  for (const t of texts) if (validate(JSON.parse(t))) ++valid;
  return valid;
}

// CPU time of the process (user + system, every thread: the JIT and GC work too), so that
// other processes on a shared machine do not count.
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function run(limitSeconds) {
  let count = 0;
  let valid = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  while (elapsed < limitSeconds) {
    valid = pass();
    count += texts.length;
    elapsed = cpuSeconds() - start;
  }
  return { count, seconds: elapsed, valid };
}

if (list) {
  for (const line of fs.readFileSync(list, "utf8").split("\n")) {
    if (!line) continue;
    const [schemaPath, dir] = line.split("\t");
    try {
      validate = compile(schemaPath);
    } catch (e) {
      process.stdout.write(`ajv ${dir} 0 0 0 0\n`);
      continue;
    }
    texts = readTexts(dir);
    run(0.2);
    const r = run(seconds);
    process.stdout.write(`ajv ${dir} ${r.count} ${r.seconds.toFixed(3)} ${Math.round(r.count / r.seconds)} ${r.valid}\n`);
  }
} else {
  validate = compile(positional[0]);
  texts = readTexts(positional[1]);
  run(1);  // warm: the JIT compiles the validator and JSON.parse's paths
  const r = run(seconds);
  process.stdout.write(`ajv ${r.count} ${r.seconds.toFixed(3)} ${Math.round(r.count / r.seconds)} ${r.valid}\n`);
}
