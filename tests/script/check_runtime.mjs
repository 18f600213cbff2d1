// tests/script/check_runtime.mjs: the form runtime (renderers/assets/form.js) agrees with the
// engine on every condition and computed field. Run by CTest (script_runtime_tests):
//   node tests/script/check_runtime.mjs build/tests/script_cases [CASES_PER_FORM]
// script_cases (tests/script/script_cases.cpp) writes generated answers with the engine's
// verdicts; this loads the runtime exactly as the browser gets it (one classic script, run here
// in a node `vm` context with `module`), reads the same answers through the same code that reads
// a page's askonce-answers block (FieldsSource), and compares, for each field in each entry:
// shown or not, the value of each `show if`, `required if` and `computed` expression, a computed
// field's value, and how the page says it, and the `if` of each rule of one alternative (the
// rules' "ifs": its value, and whether the rule applies, as the page shows it), a blank
// discriminator among them. Any disagreement fails, with the case to replay.
// It also reads each case's answers as a step page carries them, an askonce-answers block
// written by answers_json (renderers/script.hpp), through the page's reader (a stub page with no
// inputs): shown and computed values must be the engine's too.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runtimePath = path.join(root, "renderers/assets/form.js");
const generator = process.argv[2];
const perForm = process.argv[3] ?? "300";
if (!generator) {
  console.log("usage: node tests/script/check_runtime.mjs SCRIPT_CASES [CASES_PER_FORM]");
  process.exit(2);
}

// The runtime is a plain script (no imports, no exports): it must parse as one.
const check = spawnSync(process.execPath, ["--check", runtimePath], { encoding: "utf8" });
if (check.status !== 0) {
  console.log(`FAIL node --check ${runtimePath}\n${check.stderr}`);
  process.exit(1);
}
const sandbox = { module: { exports: {} } };
vm.runInNewContext(fs.readFileSync(runtimePath, "utf8"), sandbox, { filename: runtimePath });
const rt = sandbox.module.exports;
for (const name of ["Form", "Engine", "FieldsSource", "PageSource", "display", "decimalText", "isoDate", "start"]) {
  if (!rt[name]) {
    console.log(`FAIL the runtime exports ${name}`);
    process.exit(1);
  }
}

/// A value of the runtime, tagged as script_cases tags the engine's (tag()).
function tag(v) {
  if (v === null) return "blank";
  switch (v.k) {
    case "b": return "b:" + v.v;
    case "n": return "n:" + rt.decimalText(v);
    case "t": return "t:" + v.v;
    case "d": return "d:" + rt.isoDate(v);
    case "u": return "u:" + v.a;
    case "s": return "s:" + v.v.map((x) => x + "|").join("");
  }
  return "?";
}

const run = spawnSync(generator, [perForm], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
if (run.status !== 0) {
  console.log(`FAIL ${generator} exited ${run.status}\n${run.stderr}`);
  process.exit(1);
}

let failures = 0, shownFailures = 0;
const stats = new Map();  // "form language" -> counters
let current = null;
function fail(what, c, row, detail) {
  failures++;
  if (failures <= 25) {
    console.log(`FAIL ${current.label}: ${what} of ${row.f}[${row.i.join(",")}] on ${c.today}: ${detail}`);
    if (failures <= 5) console.log(`  answers: ${JSON.stringify(c.fields)}`);
  }
}

for (const line of run.stdout.split("\n")) {
  if (!line) continue;
  const record = JSON.parse(line);
  if (record.rules) {
    const label = `${record.form} (${record.language})`;
    current = { label, rules: record.rules, s: { cases: 0, shown: 0, show: 0, req: 0, calc: 0, ifs: 0, value: 0, display: 0, outcomes: new Map() } };
    stats.set(label, current.s);
    continue;
  }
  const c = record;
  const s = current.s;
  s.cases++;
  const [y, m, d] = c.today.split("-").map(Number);
  const today = { k: "d", y, m, d };
  // A fresh Form each case: the runtime may annotate the rules it reads.
  const form = new rt.Form(JSON.parse(JSON.stringify(current.rules)));
  const engine = new rt.Engine(form, new rt.FieldsSource(c.fields), today);
  // The same answers as a step page's askonce-answers block (written by answers_json), on a
  // page with none of the inputs.
  const page = new rt.PageSource({ getElementById: () => null }, null, rt.FieldsSource.fromObject(c.block));
  const viaBlock = new rt.Engine(form, page, today);
  for (const row of c.expect) {
    const f = form.byId[row.f];
    if (!f) { fail("the field is in the rules", c, row, "missing"); continue; }
    const shown = engine.shown(f, row.i);
    s.shown++;
    if (shown !== row.shown) { fail("shown", c, row, `runtime ${shown}, engine ${row.shown}`); shownFailures++; }
    if (viaBlock.shown(f, row.i) !== row.shown) fail("shown (answers block)", c, row, `engine ${row.shown}`);
    for (const [key, expr] of [["show", f.show], ["req", f.req], ["calc", f.calc]]) {
      if (!(key in row)) continue;
      const got = tag(engine.evaluate(expr, row.i.slice(0, f.depth)));
      s[key]++;
      const o = `${row.f} ${key}`;
      if (!s.outcomes.has(o)) s.outcomes.set(o, new Set());
      s.outcomes.get(o).add(row[key].startsWith("b:") || row[key] === "blank" ? row[key] : "value");
      if (got !== row[key]) fail(`${key} expression`, c, row, `runtime ${JSON.stringify(got)}, engine ${JSON.stringify(row[key])}`);
    }
    // The `if` of each rule of one alternative (the rules' "ifs", a page's data-askonce-if
    // spans): its value, and whether the rule applies (appliesIf, which shows or hides the
    // rule's words on the page: blank does not apply).
    if ("ifs" in row) {
      if (!f.ifs || f.ifs.length !== row.ifs.length) {
        fail("rules with if", c, row, `runtime ${f.ifs ? f.ifs.length : 0}, engine ${row.ifs.length}`);
      } else {
        row.ifs.forEach((want, k) => {
          const got = tag(engine.evaluate(f.ifs[k], row.i.slice(0, f.depth)));
          s.ifs++;
          const o = `${row.f} if ${k}`;
          if (!s.outcomes.has(o)) s.outcomes.set(o, new Set());
          s.outcomes.get(o).add(want.startsWith("b:") || want === "blank" ? want : "value");
          if (got !== want) fail(`if of rule ${k}`, c, row, `runtime ${JSON.stringify(got)}, engine ${JSON.stringify(want)}`);
          const applies = engine.appliesIf(f, f.ifs[k], row.i);
          if (applies !== (want === "b:true")) fail(`rule ${k} applies`, c, row, `runtime ${applies}, engine ${want}`);
          if (viaBlock.appliesIf(f, f.ifs[k], row.i) !== (want === "b:true")) fail(`rule ${k} applies (answers block)`, c, row, `engine ${want}`);
        });
      }
    }
    if ("value" in row) {
      const v = engine.value(f, row.i);
      s.value++;
      if (tag(v) !== row.value) fail("computed value", c, row, `runtime ${JSON.stringify(tag(v))}, engine ${JSON.stringify(row.value)}`);
      if (tag(viaBlock.value(f, row.i)) !== row.value) fail("computed value (answers block)", c, row, `engine ${row.value}`);
      const shownText = rt.display(f, v, current.rules.words);
      s.display++;
      if (shownText !== row.display) fail("computed value in words", c, row, `runtime ${JSON.stringify(shownText)}, engine ${JSON.stringify(row.display)}`);
    }
  }
}

let total = 0;
for (const [label, s] of stats) {
  const n = s.shown + s.show + s.req + s.calc + s.ifs + s.value + s.display;
  total += n;
  // Conditions the generated answers never made both true and false: a weaker test for them.
  const oneSided = [...s.outcomes].filter(([k, set]) => !k.endsWith(" calc") && !(set.has("b:true") && set.has("b:false"))).map(([k]) => k);
  console.log(`${label}: ${s.cases} cases, ${n} comparisons (shown ${s.shown}, show if ${s.show}, required if ${s.req}, ` +
              `computed ${s.calc}, rules' if ${s.ifs}, values ${s.value}, in words ${s.display})` +
              (oneSided.length ? `; never both true and false: ${oneSided.join(", ")}` : ""));
  // The probe's rules with `if` (a blank discriminator among them) must each be seen to apply
  // and not to apply, or the comparison proves little about them.
  if (label.startsWith("(expression probe)") && oneSided.some((k) => k.includes(" if "))) {
    console.log(`FAIL ${label}: a rule's if never both true and false`);
    failures++;
  }
}
if (stats.size < 5) { console.log(`FAIL expected every shipped form and the probe, got ${stats.size}`); failures++; }
console.log(`${total} comparisons, ${failures} disagreements`);
process.exit(failures === 0 ? 0 : 1);
