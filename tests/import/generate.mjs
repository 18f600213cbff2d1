#!/usr/bin/env node
// tests/import/generate.mjs: submissions that exercise every keyword of a JSON Schema, with
// ajv's verdict on each, for the importer's proof (tests/import_tests.cpp).
//
//   node tests/import/generate.mjs SCHEMA.json > CASES.jsonl
//
// First a base submission that ajv accepts (every property given, values made to pass: a
// string built from the pattern, lengths and bounds met, the first option, the first of the
// alternatives), repaired step by step where ajv refuses it (see repair()). Then, for every
// keyword occurrence the base reaches (each pattern, enum, const, length, bound, format, type,
// required name, item count, alternative and if/then), cases meant to pass it and to fail it,
// plus values a schema allows oddly (a number where a property is untyped, an absent optional
// property, an alternative's discriminator left out). Each case is checked by ajv
// (tests/ajv/validate.mjs's setup: the Ajv class of the schema's draft, ajv-formats, allErrors,
// strict off, and verbose errors to name the refusing keyword by its pointer in the file).
//
// Output: one JSON line per case, {"name", "submission", "ajv": "valid"|"invalid",
// "target": keyword occurrence, "errors": [the pointers of the keywords ajv refuses on]}, then
// a last line {"coverage": {"keywords": N, "passed": P, "failed": F, "both": B, "coverable": C,
// "uncoverable": ["pointer (sides: why)"], "missing": ["pointer (sides: why)"]}}: a keyword
// occurrence is covered when some case aimed at it is valid for ajv and some case is invalid
// for ajv because of it (its pointer among the errors); uncoverable when no submission can do
// both (a rule inside an alternative beside one that takes any value, a count of at least 0);
// missing otherwise.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

if (process.argv.length !== 3) {
  process.stderr.write("usage: node tests/import/generate.mjs SCHEMA.json\n");
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

function ajvClassFor(s) {
  const id = String(s.$schema ?? "");
  if (id.includes("draft-04")) return require("ajv-draft-04");
  if (id.includes("2020-12")) return require("ajv/dist/2020");
  if (id.includes("2019-09")) return require("ajv/dist/2019");
  return require("ajv");
}
const AjvModule = ajvClassFor(schema);
const Ajv = AjvModule.default ?? AjvModule;
const addFormats = require("ajv-formats").default ?? require("ajv-formats");
// verbose: each error carries the schema object that holds the keyword (parentSchema), which
// names the keyword by its pointer in the file: ajv's own schemaPath starts again at "#" inside
// a definition it compiles as a function of its own, so "#/type" may be any definition's.
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, verbose: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  // ajv refuses the schema itself (a $ref to nothing, an empty required): there is no verdict
  // to compare with.
  process.stdout.write(JSON.stringify({ unusable: String(e.message).split("\n")[0] }) + "\n");
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Reading the schema.

function at(pointer) {
  let cur = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const t = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === undefined || cur === null) return undefined;
    cur = cur[t];
  }
  return cur;
}

/** {s, p}: the schema after its $refs, and its pointer. */
function follow(s, p) {
  for (let hops = 0; s && typeof s === "object" && typeof s.$ref === "string" && hops < 32; ++hops) {
    if (!s.$ref.startsWith("#")) return { s: undefined, p };
    p = s.$ref.slice(1);
    s = at(p);
  }
  return { s, p };
}

/** A value's schema whose allOf branches only add rules to it (no properties): the branches
 * merged into one, for making values. The walk visits the branches at their own pointers. */
function merged(s, depth = 0) {
  if (!s || typeof s !== "object" || !Array.isArray(s.allOf) || s.properties || depth > 8) return s;
  let out = {};
  for (const b of s.allOf) {
    const f = follow(b, "");
    if (f.s && typeof f.s === "object") out = { ...out, ...merged(f.s, depth + 1) };
  }
  if (out.properties) return s;
  const { allOf, ...rest } = s;
  void allOf;
  return { ...out, ...rest };
}

/** The alternatives of a oneOf/anyOf in the order values are made from them: `type: "null"`
 * last (askonce reads null as "not sent"; a value of the other alternatives reaches further). */
function alternativeOrder(list) {
  const order = list.map((_, i) => i);
  const isNull = (i) => follow(list[i], "").s?.type === "null";
  return [...order.filter((i) => !isNull(i)), ...order.filter(isNull)];
}

function typeOf(s) {
  if (!s || typeof s !== "object") return "";
  if (Array.isArray(s.allOf) && !s.properties && !s.type) {
    const m = merged(s);
    if (m !== s) return typeOf(m);
  }
  let t = s.type;
  if (Array.isArray(t)) {
    t = t.filter((x) => x !== "null");
    t = t.length === 1 ? t[0] : t.length ? "*" : "";
  }
  if (t) return t;
  if (s.properties || s.allOf) return "object";
  if (s.items) return "array";
  const values = s.const !== undefined ? [s.const] : s.enum;
  if (values && values.length) {
    const v = values[0];
    return typeof v === "string" ? "string" : typeof v === "boolean" ? "boolean" : Number.isInteger(v) ? "integer" : "number";
  }
  if (s.pattern || s.format || s.minLength !== undefined || s.maxLength !== undefined) return "string";
  if (s.minimum !== undefined || s.maximum !== undefined) return "number";
  return "";
}

/** The members of an object schema: properties (allOf merged, oneOf/anyOf's first alternative), required. */
function membersOf(s, p, alternative = 0) {
  const props = [];
  const required = new Set();
  const seen = new Set();
  const visit = (s, p, depth) => {
    if (!s || depth > 16) return;
    if (s.properties) {
      for (const [k, v] of Object.entries(s.properties)) {
        if (seen.has(k)) continue;
        seen.add(k);
        props.push({ name: k, schema: v, pointer: `${p}/properties/${escape(k)}` });
      }
    }
    for (const r of s.required ?? []) required.add(r);
    (s.allOf ?? []).forEach((b, i) => {
      const f = follow(b, `${p}/allOf/${i}`);
      visit(f.s, f.p, depth + 1);
    });
    for (const k of ["oneOf", "anyOf"]) {
      const alts = s[k];
      if (!Array.isArray(alts) || !alts.length) continue;
      const order = alternativeOrder(alts);
      const i = order[Math.min(alternative, order.length - 1)];
      const f = follow(alts[i], `${p}/${k}/${i}`);
      visit(f.s, f.p, depth + 1);
    }
  };
  visit(s, p, 0);
  return { props, required };
}

/** Where each schema object sits in the file (its first pointer), for ajv's errors. */
const pointers = new Map();
(function index(v, p) {
  if (!v || typeof v !== "object" || pointers.has(v)) return;
  pointers.set(v, p);
  if (Array.isArray(v)) v.forEach((x, i) => index(x, `${p}/${i}`));
  else for (const [k, x] of Object.entries(v)) index(x, `${p}/${escape(k)}`);
})(schema, "");

/** An ajv error as the keyword occurrence it refuses: "/definitions/ssn/pattern",
 * "/properties/a/required/b" (a required name is an occurrence of its own). */
function errorPointer(e) {
  const holder = pointers.get(e.parentSchema);
  const base = holder !== undefined ? `${holder}/${e.keyword}` : e.schemaPath.slice(1);
  return e.keyword === "required" ? `${base}/${escape(e.params.missingProperty)}` : base;
}

function escape(k) {
  return k.replace(/~/g, "~0").replace(/\//g, "~1");
}

// ---------------------------------------------------------------------------------------------
// A string that a JavaScript regular expression (the subset agencies write) matches. With
// `once`, a piece that may be left out (`*`, `?`, `{0,n}`) is written once rather than not at
// all: for a pattern that matches "", a value that says something.

function fromRegex(source, once = false) {
  let i = 0;
  const peek = () => source[i];
  const classes = {
    d: "0", D: "a", w: "a", W: "-", s: " ", S: "a",
  };
  function alternation() {
    const branches = [sequence()];
    while (peek() === "|") {
      ++i;
      branches.push(sequence());
    }
    return branches[0];
  }
  function sequence() {
    let out = "";
    while (i < source.length && peek() !== "|" && peek() !== ")") {
      const atom = atomOne();
      const [min] = quantifier();
      let piece = "";
      const n = min === undefined ? 1 : once && min === 0 ? 1 : min;
      for (let k = 0; k < n; ++k) piece += typeof atom === "function" ? atom() : atom;
      out += piece;
    }
    return out;
  }
  function quantifier() {
    const c = peek();
    let q;
    if (c === "*") { ++i; q = [0]; }
    else if (c === "+") { ++i; q = [1]; }
    else if (c === "?") { ++i; q = [0]; }
    else if (c === "{" && /^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      i += m[0].length;
      q = [Number(m[1])];
    } else return [undefined];
    if (peek() === "?") ++i;
    return q;
  }
  function classSet() {
    // [...]: the first member that is not excluded.
    ++i;
    let negate = false;
    if (peek() === "^") { negate = true; ++i; }
    const members = [];
    while (i < source.length && peek() !== "]") {
      let c = source[i++];
      if (c === "\\") {
        const e = source[i++];
        if (classes[e] !== undefined) { members.push({ cls: e }); continue; }
        c = e === "n" ? "\n" : e === "t" ? "\t" : e === "u" ? unicode() : e;
      }
      if (peek() === "-" && source[i + 1] !== "]" && source[i + 1] !== undefined) {
        ++i;
        let d = source[i++];
        if (d === "\\") d = source[i++];
        members.push({ from: c, to: d });
      } else members.push({ ch: c });
    }
    ++i;
    if (!negate) {
      const m = members[0];
      if (!m) return "";
      if (m.cls) return classes[m.cls];
      if (m.from) return m.from;
      return m.ch;
    }
    const re = new RegExp("[^" + source.slice(0, 0) + "]");
    void re;
    for (const cand of "aA0 -_.xZ9!") {
      const inside = members.some((m) => (m.ch === cand) || (m.from && cand >= m.from && cand <= m.to) ||
        (m.cls && new RegExp("\\" + m.cls).test(cand)));
      if (!inside) return cand;
    }
    return "#";
  }
  function unicode() {
    if (peek() === "{") {
      const end = source.indexOf("}", i);
      const cp = parseInt(source.slice(i + 1, end), 16);
      i = end + 1;
      return String.fromCodePoint(cp);
    }
    const cp = parseInt(source.slice(i, i + 4), 16);
    i += 4;
    return String.fromCharCode(cp);
  }
  function atomOne() {
    const c = source[i++];
    if (c === "^" || c === "$") return "";
    if (c === ".") return "a";
    if (c === "(") {
      if (peek() === "?") {
        ++i;
        const kind = source[i++];
        if (kind === "=" || kind === "!") {
          alternation();
          ++i;
          return "";
        }
        if (kind === "<") { while (peek() !== ">") ++i; ++i; }
      }
      const inner = alternation();
      ++i;  // ')'
      return inner;
    }
    if (c === "[") { --i; return classSet(); }
    if (c === "\\") {
      const e = source[i++];
      if (classes[e] !== undefined) return classes[e];
      if (e === "b" || e === "B") return "";
      if (e === "u") return unicode();
      if (e === "n") return "\n";
      if (e === "t") return "\t";
      if (e === "p" || e === "P") {
        if (peek() === "{") i = source.indexOf("}", i) + 1;
        return e === "p" ? "a" : "0";
      }
      return e;
    }
    return c;
  }
  try {
    return alternation();
  } catch {
    return "";
  }
}

function matches(pattern, s) {
  try {
    return new RegExp(pattern, "u").test(s);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Values that pass.

function stringFor(s) {
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((v) => v !== "") ?? s.enum[0];
  if (s.format === "date") return "2020-01-15";
  if (s.format === "email" && !s.pattern) return "vet@example.com";
  if (s.format === "uuid") return "123e4567-e89b-12d3-a456-426614174000";
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Infinity;
  const candidates = [];
  if (s.pattern) {
    // A pattern that matches "" (526EZ's unitName, `^([a-zA-Z0-9\-'.# ])*$`): one repetition
    // first, since "" is no answer for askonce, and a case of "" would test presence, not the
    // pattern.
    if (matches(s.pattern, "")) candidates.push(fromRegex(s.pattern, true));
    candidates.push(fromRegex(s.pattern));
    for (const ex of [s.example, ...(s.examples ?? []), s.default]) if (typeof ex === "string") candidates.push(ex);
    if (s.format === "email") candidates.push("vet@example.com");
  } else {
    candidates.push("Ana");
  }
  for (let c of candidates) {
    if (typeof c !== "string") continue;
    // Lengths: pad with the pattern's own last character, or cut.
    if ([...c].length < min) c = c + (c.slice(-1) || "a").repeat(min - [...c].length);
    if ([...c].length > max) c = [...c].slice(0, max).join("");
    if (s.pattern && c.trim() === "" && candidates.some((o) => typeof o === "string" && o.trim() !== "" && matches(s.pattern, o))) continue;
    if (!s.pattern || matches(s.pattern, c)) return c;
  }
  return candidates[0] ?? "Ana";
}

function numberFor(s, integer) {
  let lo = s.minimum ?? -Infinity;
  let hi = s.maximum ?? Infinity;
  if (typeof s.exclusiveMinimum === "number") lo = Math.max(lo, s.exclusiveMinimum + (integer ? 1 : 0.5));
  else if (s.exclusiveMinimum === true) lo += integer ? 1 : 0.5;
  if (typeof s.exclusiveMaximum === "number") hi = Math.min(hi, s.exclusiveMaximum - (integer ? 1 : 0.5));
  else if (s.exclusiveMaximum === true) hi -= integer ? 1 : 0.5;
  const values = s.const !== undefined ? [s.const] : s.enum;
  if (values && values.length) return values[0];
  if (lo <= 1 && 1 <= hi) return 1;
  return Number.isFinite(lo) ? lo : hi;
}

/** A value for schema `s` at pointer `p`: every property given (full) or the required ones. */
function valueFor(raw, p, depth, full, alternative = 0) {
  let { s, p: q } = follow(raw, p);
  if (!s || depth > 12) return undefined;
  const t = typeOf(s);
  if (t === "" || t === "*") {
    // A value described only by alternatives: a value of one of them.
    for (const k of ["oneOf", "anyOf"]) {
      if (Array.isArray(s[k]) && s[k].length) {
        const order = alternativeOrder(s[k]);
        const i = order[Math.min(alternative, order.length - 1)];
        return valueFor(s[k][i], `${q}/${k}/${i}`, depth + 1, full, alternative);
      }
    }
  }
  if (t !== "object" && t !== "array") {
    const m = merged(s);
    if (m !== s) s = m;
  }
  if (t === "object") {
    const { props, required } = membersOf(s, q, alternative);
    const out = {};
    for (const m of props) {
      if (!full && !required.has(m.name)) continue;
      const v = valueFor(m.schema, m.pointer, depth + 1, full);
      if (v !== undefined) out[m.name] = v;
    }
    return out;
  }
  if (t === "array") {
    const items = s.items && !Array.isArray(s.items) ? s.items : undefined;
    if (!items) return [];
    const n = Math.max(1, s.minItems ?? 0);
    const out = [];
    const item = follow(items, `${q}/items`);
    const values = item.s && (item.s.enum ?? (item.s.const !== undefined ? [item.s.const] : undefined));
    for (let k = 0; k < n; ++k) {
      out.push(values && values.length > k ? values[k] : valueFor(items, `${q}/items`, depth + 1, full));
    }
    if (s.maxItems !== undefined && out.length > s.maxItems) out.length = s.maxItems;
    return out;
  }
  if (t === "string") return stringFor(s);
  if (t === "integer") return numberFor(s, true);
  if (t === "number") return numberFor(s, false);
  if (t === "boolean") return s.const ?? (Array.isArray(s.enum) ? s.enum[0] : true);
  if (t === "null") return null;
  return "Ana";
}

// ---------------------------------------------------------------------------------------------
// The base submission: ajv must accept it. What it refuses in optional places is dropped.

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function pathOf(instancePath) {
  return instancePath.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function getAt(v, path) {
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[k];
  }
  return v;
}

function setAt(v, path, value) {
  const parent = getAt(v, path.slice(0, -1));
  if (parent === null || typeof parent !== "object") return false;
  const k = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(k), 1);
    else delete parent[k];
  } else parent[k] = value;
  return true;
}

function makeBase() {
  // The first alternative of every oneOf/anyOf, then the second, ...: the first base ajv
  // accepts after repairs wins; otherwise the one with the fewest errors left.
  let best;
  for (let alternative = 0; alternative < 4; ++alternative) {
    const base = repair(valueFor(schema, "", 0, true, alternative), alternative);
    const ok = validate(base);
    const left = ok ? 0 : validate.errors.length;
    if (!best || left < best.left) best = { base, left };
    if (ok) break;
  }
  return best.base;
}

/** Repairs what ajv refuses, a step at a time: for the deepest refusal first, each way to
 * mend it (a missing required member made from the schemas that name it, an allowed value for
 * an enum or const, a value made from the refusing schema, each alternative of a refused
 * oneOf/anyOf merged in, the value dropped) is tried, and the first that leaves ajv with fewer
 * errors is kept. Fewer errors each step: it ends. */
function repair(base, alternative) {
  const count = (v) => (validate(v) ? 0 : validate.errors.length);
  let n = count(base);
  for (let round = 0; round < 200 && n > 0; ++round) {
    const errors = [...validate.errors].sort((a, b) => b.instancePath.length - a.instancePath.length);
    let improved = false;
    for (const e of errors) {
      for (const candidate of mends(base, e, alternative)) {
        const m = count(candidate);
        if (m < n) {
          base = candidate;
          n = m;
          improved = true;
          break;
        }
      }
      if (improved) break;
    }
    if (!improved) break;
  }
  validate(base);
  return base;
}

/** a with b's members laid over it, object by object. */
function overlay(a, b) {
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) || Array.isArray(b)) return clone(b);
  const out = clone(a);
  for (const [k, v] of Object.entries(b)) out[k] = overlay(a[k], v);
  return out;
}

/** The ways to mend one refusal `e` of `base`, each a new submission. */
function* mends(base, e, alternative) {
  const path = pathOf(e.instancePath);
  const here = getAt(base, path);
  const holder = follow(e.parentSchema, pointers.get(e.parentSchema) ?? "");
  const set = (v) => (path.length ? withValue(base, path, v) : v);
  if (e.keyword === "required") {
    if (!here || typeof here !== "object" || Array.isArray(here)) return;
    const name = e.params.missingProperty;
    const made = [];
    for (let a = alternative; a < alternative + 4; ++a) {
      const member = holder.s ? membersOf(holder.s, holder.p, a).props.find((m) => m.name === name) : undefined;
      if (member) made.push(valueFor(member.schema, member.pointer, path.length + 1, false, a));
    }
    for (const v of made) if (v !== undefined) yield set({ ...here, [name]: v });
    yield set({ ...here, [name]: "Ana" });
    return;
  }
  if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) {
    for (const v of e.params.allowedValues.slice(0, 8)) yield set(clone(v));
  }
  if (e.keyword === "const") yield set(clone(e.params.allowedValue));
  if ((e.keyword === "oneOf" || e.keyword === "anyOf") && holder.s && Array.isArray(holder.s[e.keyword])) {
    const list = holder.s[e.keyword];
    const requires = (a) => new Set(follow(a, "").s?.required ?? []);
    for (let i = 0; i < list.length; ++i) {
      const made = valueFor(list[i], `${holder.p}/${e.keyword}/${i}`, path.length + 1, false, alternative);
      if (made === undefined) continue;
      yield set(overlay(here, made));
      yield set(made);
      // Alternatives told apart by which members are given: keep this one's, drop the members
      // only the others require.
      if (here && typeof here === "object" && !Array.isArray(here)) {
        const mine = requires(list[i]);
        const kept = { ...here };
        list.forEach((a, j) => { if (j !== i) for (const n of requires(a)) if (!mine.has(n)) delete kept[n]; });
        yield set(overlay(kept, made));
      }
    }
  }
  if (e.keyword === "additionalProperties" && here && typeof here === "object" && e.params.additionalProperty !== undefined) {
    const kept = { ...here };
    delete kept[e.params.additionalProperty];
    yield set(kept);
  }
  if (holder.s) {
    for (const full of [false, true]) {
      const v = valueFor(holder.s, holder.p, path.length + 1, full, alternative);
      if (v !== undefined) yield set(overlay(here, v));
    }
    // Too many members (maxProperties): what the schema requires, and no more.
    if (e.keyword === "maxProperties") {
      const v = valueFor(holder.s, holder.p, path.length + 1, false, alternative);
      if (v !== undefined) yield set(v);
    }
  }
  if (path.length) yield withValue(base, path, undefined);
}

// ---------------------------------------------------------------------------------------------
// Cases.

const cases = [];
const keywords = new Map();  // pointer -> {passed, failed}

function note(k) {
  if (!keywords.has(k)) keywords.set(k, { passed: false, failed: false });
}

function addCase(target, submission, kind) {
  const ok = validate(submission);
  const errors = ok ? [] : validate.errors.map(errorPointer);
  cases.push({ name: `${cases.length + 1}-${kind}`, submission, ajv: ok ? "valid" : "invalid", target, errors });
  if (!target) return;
  note(target);
  if (ok) keywords.get(target).passed = true;
  for (const e of errors) {
    if (keywords.has(e)) keywords.get(e).failed = true;
    // A refusal inside one alternative (its pattern, its enum, ...) is a failure of that
    // alternative: "/.../oneOf/2/properties/state/enum" fails "/.../oneOf/2".
    const parts = e.split("/");
    for (let i = parts.length - 1; i > 1; --i) {
      if ((parts[i - 1] === "oneOf" || parts[i - 1] === "anyOf") && /^[0-9]+$/.test(parts[i])) {
        const alt = parts.slice(0, i + 1).join("/");
        if (keywords.has(alt) && alt !== e) keywords.get(alt).failed = true;
      }
    }
  }
  if (!ok && errors.includes(target)) keywords.get(target).failed = true;
}

/** A case meant to pass `target` at its bound; when ajv refuses it for another reason (a
 * pattern or format the cut value no longer meets), the base, which meets the bound too. */
function passAt(target, submission, kind, base) {
  const before = cases.length;
  addCase(target, submission, kind);
  if (cases[before].ajv === "invalid") addCase(target, base, `${kind}-base`);
}

function withValue(base, path, value) {
  const copy = clone(base);
  setAt(copy, path, value);
  return copy;
}

const otherType = { string: 12345, integer: "12", number: "1.5", boolean: "yes", object: "text", array: "text" };

function badString(s, good) {
  // Last, texts a lookahead or a class of characters often refuses: a web address, a line
  // break, a letter outside ASCII.
  const cands = ["!", "~~~", "a", "0", "A1", "zz-zz", "http://a", "www.a", "a.gov", "a\nb", "é", "<>", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ""];
  for (const c of cands) if (c !== good && !matches(s.pattern, c)) return c;
  return undefined;
}

/** Walks the base submission along the schema, adding cases for each keyword it reaches. */
function walk(raw, p, path, base, depth, seenPointers) {
  const { s, p: q } = follow(raw, p);
  if (!s || depth > 12) return;
  const value = getAt(base, path);
  if (value === undefined) return;
  const first = !seenPointers.has(q);
  seenPointers.add(q);
  const t = typeOf(s);
  const here = (k) => `${q}/${k}`;
  if (s.type !== undefined && first) {
    note(here("type"));
    addCase(here("type"), base, "type-pass");
    const bad = otherType[t];
    if (bad !== undefined) addCase(here("type"), path.length ? withValue(base, path, bad) : bad, "type-fail");
  }
  // A value's allOf: each branch's rules, on the same value.
  if (Array.isArray(s.allOf) && t !== "object") {
    s.allOf.forEach((b, i) => walk(b, `${q}/allOf/${i}`, path, base, depth + 1, seenPointers));
  }
  // A value described by alternatives (`oneOf: [{type: "null"}, {type: "object", ...}]`): the
  // rules of each alternative that takes a value of the base's type.
  if ((t === "" || t === "*") && !(value && typeof value === "object" && !Array.isArray(value) && (s.properties || s.allOf))) {
    for (const k of ["oneOf", "anyOf"]) {
      if (!Array.isArray(s[k])) continue;
      s[k].forEach((b, i) => {
        const at = typeOf(follow(b, "").s);
        const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "object" ? "object" : typeof value === "string" ? "string" : typeof value === "boolean" ? "boolean" : "number";
        if (at === kind || (kind === "number" && at === "integer") || at === "") walk(b, `${q}/${k}/${i}`, path, base, depth + 1, seenPointers);
      });
    }
  }
  if (t === "" && first && path.length) {
    // Values a schema allows oddly: any JSON value where a property is untyped.
    addCase(null, withValue(base, path, 7), "untyped-number");
  }
  if (t === "string" && typeof value === "string" && first) {
    if (s.pattern !== undefined) {
      note(here("pattern"));
      addCase(here("pattern"), base, "pattern-pass");
      const bad = badString(s, value);
      if (bad !== undefined) addCase(here("pattern"), withValue(base, path, bad), "pattern-fail");
    }
    if (s.minLength !== undefined && s.minLength > 0) {
      note(here("minLength"));
      const chars = [...value];
      let at = chars.slice(0, s.minLength).join("");
      passAt(here("minLength"), withValue(base, path, at), "minLength-pass", base);
      addCase(here("minLength"), withValue(base, path, chars.slice(0, s.minLength - 1).join("")), "minLength-fail");
    }
    if (s.maxLength !== undefined) {
      note(here("maxLength"));
      const fill = value.slice(-1) || "a";
      const chars = [...value];
      const exact = chars.length >= s.maxLength ? chars.slice(0, s.maxLength).join("") : value + fill.repeat(s.maxLength - chars.length);
      passAt(here("maxLength"), withValue(base, path, exact), "maxLength-pass", base);
      addCase(here("maxLength"), withValue(base, path, exact + fill), "maxLength-fail");
    }
    if (s.format === "date" || s.format === "email") {
      note(here("format"));
      addCase(here("format"), base, "format-pass");
      addCase(here("format"), withValue(base, path, s.format === "date" ? "2021-02-30" : "not-an-email"), "format-fail");
    }
  }
  if ((t === "integer" || t === "number") && typeof value === "number" && first) {
    const step = t === "integer" ? 1 : 0.5;
    for (const [k, sign] of [["minimum", -1], ["maximum", 1]]) {
      if (typeof s[k] !== "number") continue;
      note(here(k));
      addCase(here(k), withValue(base, path, s[k]), `${k}-pass`);
      addCase(here(k), withValue(base, path, s[k] + sign * step), `${k}-fail`);
    }
    for (const [k, sign] of [["exclusiveMinimum", -1], ["exclusiveMaximum", 1]]) {
      if (typeof s[k] !== "number") continue;
      note(here(k));
      addCase(here(k), withValue(base, path, s[k] - sign * step), `${k}-pass`);
      addCase(here(k), withValue(base, path, s[k]), `${k}-fail`);
    }
  }
  if ((s.enum !== undefined || s.const !== undefined) && t !== "object" && t !== "array" && first) {
    const k = s.enum !== undefined ? "enum" : "const";
    note(here(k));
    for (const v of (s.enum ?? [s.const]).slice(0, 60)) addCase(here(k), withValue(base, path, v), `${k}-pass`);
    const before = cases.length;
    addCase(here(k), withValue(base, path, typeof value === "string" ? "zz-not-an-option" : typeof value === "boolean" ? !value : 987654), `${k}-fail`);
    // Every value of its type allowed (`enum: [true, false]`): a value of another type, which
    // ajv refuses by the enum too.
    if (cases[before].ajv === "valid") addCase(here(k), withValue(base, path, typeof value === "string" ? 987654 : "zz-not-an-option"), `${k}-fail-type`);
  }
  if (t === "array" && Array.isArray(value)) {
    if (first) {
      for (const [k, delta] of [["minItems", -1], ["maxItems", 1]]) {
        if (typeof s[k] !== "number") continue;
        note(here(k));
        const n = s[k];
        const item = value[0];
        const make = (m) => Array.from({ length: Math.max(0, m) }, () => clone(item));
        if (item !== undefined) {
          passAt(here(k), withValue(base, path, make(n)), `${k}-pass`, base);
          if (n + delta >= 0) addCase(here(k), withValue(base, path, make(n + delta)), `${k}-fail`);
        }
      }
    }
    if (s.items && !Array.isArray(s.items) && value.length) walk(s.items, `${q}/items`, [...path, "0"], base, depth + 1, seenPointers);
    return;
  }
  if (t === "object" && value && typeof value === "object" && !Array.isArray(value)) {
    const { props, required } = membersOf(s, q);
    if (first) {
      for (const r of required) {
        if (!(r in value)) continue;
        // Which schema holds this `required`? The object's own, or an allOf/oneOf branch's.
        const k = requiredPointer(s, q, r);
        note(k);
        addCase(k, base, "required-pass");
        addCase(k, withValue(base, [...path, r], undefined), "required-fail");
      }
      for (const m of props) {
        if (!required.has(m.name) && m.name in value) addCase(null, withValue(base, [...path, m.name], undefined), "optional-absent");
      }
      alternatives(s, q, path, base, depth, seenPointers);
      conditions(s, q, path, base, depth, seenPointers);
    }
    for (const m of props) walk(m.schema, m.pointer, [...path, m.name], base, depth + 1, seenPointers);
  }
}

/** Which schema holds this `required` name: the object's own, or a branch membersOf read it
 * from (allOf's, the first alternative of a oneOf/anyOf, at any depth). */
function requiredPointer(s, q, name) {
  const find = (s, q, depth) => {
    if (!s || depth > 16) return undefined;
    if ((s.required ?? []).includes(name)) return `${q}/required/${escape(name)}`;
    for (const k of ["allOf", "oneOf", "anyOf"]) {
      const list = s[k];
      if (!Array.isArray(list) || !list.length) continue;
      for (let i = 0; i < list.length; ++i) {
        const f = follow(list[i], `${q}/${k}/${i}`);
        const found = find(f.s, f.p, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return find(s, q, 0) ?? `${q}/required/${escape(name)}`;
}

/** Each alternative of a oneOf/anyOf: a case built from it (meant to pass) and one with the
 * values that tell the alternatives apart set to none of them (meant to fail). */
function alternatives(s, q, path, base, depth, seenPointers) {
  for (const k of ["oneOf", "anyOf"]) {
    const alts = s[k];
    if (!Array.isArray(alts)) continue;
    note(`${q}/${k}`);
    alts.forEach((_, i) => {
      const made = valueFor(s, q, depth, true, i);
      const keep = getAt(base, path);
      note(`${q}/${k}/${i}`);
      // The alternative's value: what the object makes of it, then with the alternative's own
      // members laid over (the object's broader schema of a member comes first in membersOf),
      // then without the members only the other alternatives require; the first ajv accepts.
      const own0 = follow(alts[i], `${q}/${k}/${i}`);
      const first = path.length ? { ...made, ...pick(keep, made, alts, i, q, k) } : made;
      const tries = [first];
      if (own0.s && typeof own0.s === "object") {
        const ownValue = valueFor(own0.s, own0.p, depth + 1, true, i);
        if (ownValue && typeof ownValue === "object" && !Array.isArray(ownValue)) tries.push(overlay(first, ownValue));
        const mine = new Set(own0.s.required ?? []);
        const kept = clone(tries[tries.length - 1]);
        if (kept && typeof kept === "object" && !Array.isArray(kept)) {
          alts.forEach((a, j) => { if (j !== i) for (const n of follow(a, "").s?.required ?? []) if (!mine.has(n)) delete kept[n]; });
          tries.push(kept);
        }
      }
      const valid = (v) => validate(path.length ? withValue(base, path, v) : v);
      const merged = tries.find(valid) ?? first;
      const submission = path.length ? withValue(base, path, merged) : merged;
      const before = cases.length;
      addCase(`${q}/${k}/${i}`, submission, `${k}-${i}-pass`);
      if (cases[before].ajv === "valid") {
        keywords.get(`${q}/${k}`).passed = true;
        // Each alternative's own rules, from a submission that chose it: a case that passes
        // and one that fails each (the first alternative's were walked from the base).
        const own = follow(alts[i], `${q}/${k}/${i}`);
        if (own.s) {
          for (const m of membersOf(own.s, own.p).props) {
            walk(m.schema, m.pointer, [...path, m.name], submission, depth + 1, seenPointers);
          }
        }
      }
      // The value that tells the alternatives apart left out, where the schema allows that:
      // JSON Schema's `properties` holds for an absent member, so every alternative that does
      // not require it holds as far as it goes (with oneOf, then, the other members decide
      // whether exactly one does). Once with this alternative's other members, once without.
      const own = follow(alts[i], `${q}/${k}/${i}`);
      if (own.s && own.s.properties && merged && typeof merged === "object") {
        for (const [d, raw] of Object.entries(own.s.properties)) {
          const t = follow(raw, "").s;
          if (!t || !(d in merged) || !(t.enum || t.const !== undefined || t.not)) continue;
          const without = { ...merged };
          delete without[d];
          addCase(null, path.length ? withValue(base, path, without) : without, `${k}-${i}-no-${d}`);
          const bare = { ...without };
          for (const m of Object.keys(own.s.properties)) if (!(own.s.required ?? []).includes(m)) delete bare[m];
          addCase(null, path.length ? withValue(base, path, bare) : bare, `${k}-${i}-no-${d}-bare`);
        }
      }
    });
    // None of them by what they require: every member some alternative requires left out.
    const held = getAt(base, path);
    if (held && typeof held === "object" && !Array.isArray(held)) {
      const names = new Set();
      alts.forEach((a, i) => { for (const r of follow(a, `${q}/${k}/${i}`).s?.required ?? []) names.add(r); });
      if (names.size && [...names].some((n) => n in held)) {
        const stripped = { ...held };
        for (const n of names) delete stripped[n];
        const before = cases.length;
        addCase(`${q}/${k}`, path.length ? withValue(base, path, stripped) : stripped, `${k}-none-required`);
        if (cases[before].ajv === "invalid") {
          alts.forEach((a, i) => {
            keywords.get(`${q}/${k}/${i}`).failed = true;
            for (const r of follow(a, `${q}/${k}/${i}`).s?.required ?? []) {
              const key = `${q}/${k}/${i}/required/${escape(r)}`;
              if (keywords.has(key)) keywords.get(key).failed = true;
            }
          });
        }
      }
    }
    // None of them by type: every text a number and every yes/no a text, which no
    // alternative's strings or booleans take (a property an alternative leaves untyped, or
    // types by `not`, fails in the others).
    const typed = clone(getAt(base, path));
    if (typed && typeof typed === "object" && !Array.isArray(typed)) {
      for (const [name, v] of Object.entries(typed)) {
        if (typeof v === "string") typed[name] = 12345;
        else if (typeof v === "boolean") typed[name] = "zz-not-a-boolean";
      }
      alts.forEach((a, i) => {
        const f = follow(a, `${q}/${k}/${i}`);
        if (!f.s) return;
        for (const m of membersOf(f.s, f.p).props) {
          if (!(m.name in typed) && typeOf(follow(m.schema, m.pointer).s) === "string") typed[m.name] = 12345;
        }
      });
      addCase(`${q}/${k}`, path.length ? withValue(base, path, typed) : typed, `${k}-none-typed`);
    }
    // None of them: every value with options set to a value no alternative offers.
    const broken = clone(getAt(base, path));
    if (broken && typeof broken === "object") {
      for (const [name, v] of Object.entries(broken)) if (typeof v === "string") broken[name] = "zz-none";
      const before = cases.length;
      addCase(`${q}/${k}`, path.length ? withValue(base, path, broken) : broken, `${k}-none`);
      // No alternative holds: each has been failed.
      if (cases[before].ajv === "invalid") alts.forEach((_, i) => { keywords.get(`${q}/${k}/${i}`).failed = true; });
    }
  }
}

/** What the base had beside the alternative's own properties. */
function pick(keep, made, alts, i, q, k) {
  const out = {};
  if (!keep || typeof keep !== "object") return out;
  const own = new Set(membersOf({ [k]: [alts[i]] }, q).props.map((m) => m.name));
  for (const [name, v] of Object.entries(keep)) if (!own.has(name) && !(name in made)) out[name] = v;
  return out;
}

/** if/then/else and dependencies: the condition made true with then's requirements missing. */
function conditions(s, q, path, base, depth, seenPointers) {
  const value = getAt(base, path);
  if (s.if && typeof s.if === "object") {
    note(`${q}/if`);
    addCase(`${q}/if`, base, "if-pass");
    const props = s.if.properties ?? {};
    for (const [name, test] of Object.entries(props)) {
      const v = test.const !== undefined ? test.const : Array.isArray(test.enum) ? test.enum[0] : undefined;
      if (v === undefined) continue;
      const made = { ...value, [name]: v };
      // What `then` requires, made from the object's or then's schema of it where the base
      // left it out, so that the case holds.
      for (const r of s.then?.required ?? []) {
        if (r in made) continue;
        const m = membersOf(s, q).props.find((x) => x.name === r);
        const sub = m ? m : s.then.properties?.[r] ? { schema: s.then.properties[r], pointer: `${q}/then/properties/${escape(r)}` } : undefined;
        const v2 = sub ? valueFor(sub.schema, sub.pointer, depth + 1, false) : undefined;
        if (v2 !== undefined) made[r] = v2;
      }
      const member = membersOf(s, q).props.find((m) => m.name !== name && !(m.name in made));
      for (const r of s.then?.required ?? []) {
        const copy = { ...made };
        delete copy[r];
        addCase(`${q}/then/required/${escape(r)}`, path.length ? withValue(base, path, copy) : copy, "then-fail");
        note(`${q}/then/required/${escape(r)}`);
      }
      void member;
      const chosen = path.length ? withValue(base, path, made) : made;
      const before = cases.length;
      addCase(`${q}/if`, chosen, "if-true");
      if (cases[before].ajv === "valid") {
        for (const r of s.then?.required ?? []) if (r in made) addCase(`${q}/then/required/${escape(r)}`, chosen, "then-pass");
      }
      // The rules `then` gives its members, from a submission that makes `if` hold.
      if (cases[before].ajv === "valid" && s.then && typeof s.then.properties === "object") {
        for (const [m, sub] of Object.entries(s.then.properties)) {
          walk(sub, `${q}/then/properties/${escape(m)}`, [...path, m], chosen, depth + 1, seenPointers);
        }
      }
    }
  }
  if (s.dependencies && typeof s.dependencies === "object") {
    for (const [name, dep] of Object.entries(s.dependencies)) {
      if (!Array.isArray(dep) || !(name in value)) continue;
      for (const r of dep) {
        const k = `${q}/dependencies/${escape(name)}`;
        note(k);
        addCase(k, base, "dependency-pass");
        if (r in value) addCase(k, withValue(base, [...path, r], undefined), "dependency-fail");
      }
    }
  }
}

const base = makeBase();
addCase(null, base, "base");
walk(schema, "", [], base, 0, new Set());

// ---------------------------------------------------------------------------------------------
// What no submission can cover, and why.

const annotations = new Set(["title", "description", "$comment", "default", "example", "examples", "enumNames", "$id", "id"]);

/** A schema that takes every value: `{}`, `true`, or annotations only. */
function takesAnything(raw) {
  const { s } = follow(raw, "");
  if (s === true) return true;
  return !!s && typeof s === "object" && !Array.isArray(s) && Object.keys(s).every((k) => annotations.has(k));
}

/** Why keyword occurrence `k` cannot be covered, or "" when nothing is known to stop it. */
function uncoverable(k, v) {
  const parts = k.split("/");
  // Inside an alternative of a oneOf/anyOf that has another alternative taking any value: that
  // one holds whatever this one says (anyOf), or holds beside it (oneOf), so this alternative's
  // rules never decide the verdict alone.
  for (let i = parts.length - 1; i > 0; --i) {
    if (parts[i] !== "anyOf" && parts[i] !== "oneOf") continue;
    const list = at(parts.slice(0, i + 1).join("/"));
    if (!Array.isArray(list)) continue;
    const mine = /^[0-9]+$/.test(parts[i + 1] ?? "") ? Number(parts[i + 1]) : -1;
    if (list.some((alt, j) => j !== mine && takesAnything(alt))) {
      return `masked: ${parts.slice(0, i + 1).join("/")} has an alternative that takes any value`;
    }
  }
  // A lower bound of 0 on a count: every list meets it.
  const last = parts[parts.length - 1];
  if ((last === "minItems" || last === "minProperties") && at(k) === 0) return `a ${last} of 0, which every value meets`;
  // A pattern no string of the lengths allowed matches (the builder's string and the schema's
  // examples all refused, and the pattern does not compile as a JavaScript regular expression).
  if (parts[parts.length - 1] === "pattern" && !v.passed) {
    const source = at(k);
    try {
      new RegExp(source, "u");
    } catch {
      return "the pattern is not a regular expression ajv can run on a value";
    }
  }
  return "";
}

/** Why a coverable keyword occurrence was not covered, as far as the generator can tell. */
function reasonMissed(k, v) {
  const parts = k.split("/");
  if (!v.passed && !v.failed) return "no case reached it";
  if (!v.passed) {
    if (parts.includes("then")) return "no case made its `if` hold and passed";
    return "no case that passes it was accepted by ajv";
  }
  if (parts.includes("oneOf") || parts.includes("anyOf")) return "its failing case was taken by another alternative";
  return "no case refused by ajv because of it";
}

const out = [];
for (const c of cases) out.push(JSON.stringify(c));
let passed = 0, failed = 0, both = 0;
const missing = [];
const masked = [];
for (const [k, v] of keywords) {
  if (v.passed) ++passed;
  if (v.failed) ++failed;
  if (v.passed && v.failed) {
    ++both;
    continue;
  }
  const why = uncoverable(k, v);
  const sides = `${v.passed ? "" : "no pass"}${!v.passed && !v.failed ? ", " : ""}${v.failed ? "" : "no fail"}`;
  if (why) masked.push(`${k} (${sides}: ${why})`);
  else missing.push(`${k} (${sides}: ${reasonMissed(k, v)})`);
}
out.push(JSON.stringify({ coverage: { keywords: keywords.size, passed, failed, both, coverable: keywords.size - masked.length,
                                      uncoverable: masked, missing } }));
process.stdout.write(out.join("\n") + "\n");
