// tests/browser/harness.mjs: what every browser suite shares (run.mjs runs them, one node
// process for all): the count of checks and its report, the check for missing tools (a missing
// tool is a failure, never a skip), one headless Chromium for the whole run (each case takes a
// fresh context: its own cookies), pages that never reach beyond the machine, `askonce serve`
// with its config, keys and database (a SQLite file, or a PostgreSQL database of its own), the
// SMTP relay, axe-core at WCAG 2.2 AA and the page checks that go with it, and the Nu HTML
// Checker, run once at the end on every page any suite kept.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const require = createRequire(path.join(root, "package.json"));
export const chromiumPath = process.env.ASKONCE_CHROMIUM ?? "/usr/bin/chromium";

// ---- the count -------------------------------------------------------------------------------
let passed = 0, failed = 0;
let where = "run";  // "suite: case", named on every failure
const bySuite = new Map();
let suite = "run";  // before and after the suites: the runner's own checks

/// One check: counted, and named with its suite and case when it fails. Returns `cond`.
export function ok(cond, what, detail = "") {
  const counts = bySuite.get(suite) ?? { passed: 0, failed: 0 };
  bySuite.set(suite, counts);
  if (cond) {
    passed++;
    counts.passed++;
  } else {
    failed++;
    counts.failed++;
    console.log(`FAIL [${where}] ${what}${detail ? "\n  " + detail : ""}`);
  }
  return !!cond;
}

export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/// Runs suite `name`'s body, its checks counted under its name.
export async function inSuite(name, body) {
  suite = name;
  where = name;
  const t = Date.now();
  console.log(`== ${name}`);
  try {
    await body();
  } catch (e) {
    where = name;
    ok(false, "the suite ran to its end", String(e.stack ?? e));
  }
  const c = bySuite.get(name) ?? { passed: 0, failed: 0 };
  console.log(`== ${name}: ${c.passed} passed, ${c.failed} failed (${seconds(t)})`);
}

/// One case of the current suite: named on its failures; an exception is a failure of the case.
export async function inCase(name, body) {
  const outer = where;
  where = `${suite}: ${name}`;
  const t = Date.now();
  const before = passed + failed;
  try {
    await body();
  } catch (e) {
    ok(false, "the case ran to its end", String(e.stack ?? e));
  }
  console.log(`   ${name}: ${passed + failed - before} checks (${seconds(t)})`);
  where = outer;
}

/// The last lines, which CTest's log ends with: each suite's count, then the whole run's; the
/// process's exit code.
export function report(started) {
  for (const [name, c] of bySuite) console.log(`${name}: ${c.passed} passed, ${c.failed} failed`);
  console.log(`${passed} passed, ${failed} failed (${seconds(started)})`);
  return failed === 0 ? 0 : 1;
}

// ---- missing tools ---------------------------------------------------------------------------
/// What is missing of what the suites need: npm packages, java, chromium, the askonce binary,
/// and as asked the SMTP relay's aiosmtpd, openssl, pdftotext and psql. Empty when all is there.
export function missingTools({ binary = null, smtp = false, pdftotext = false, psql = false } = {}) {
  const missing = [];
  for (const mod of ["vnu-jar", "axe-core", "playwright-core", "@uswds/uswds"]) {
    try { require.resolve(mod); } catch { missing.push(`npm package ${mod} (npm ci)`); }
  }
  if (spawnSync("java", ["-version"]).status !== 0) missing.push("java (default-jre-headless)");
  if (!fs.existsSync(chromiumPath)) missing.push(`${chromiumPath} (Debian package chromium)`);
  if (binary && !fs.existsSync(binary)) missing.push(`${binary} (build the askonce target)`);
  if (smtp && !fs.existsSync("/usr/lib/python3/dist-packages/aiosmtpd")) missing.push("python3-aiosmtpd (Debian package)");
  if (smtp && spawnSync("openssl", ["version"]).status !== 0) missing.push("openssl (Debian package)");
  if (pdftotext && spawnSync("pdftotext", ["-v"]).status !== 0) missing.push("pdftotext (Debian package poppler-utils)");
  if (psql && spawnSync("psql", ["--version"]).status !== 0) missing.push("psql (Debian package postgresql-client)");
  return missing;
}

// ---- processes -------------------------------------------------------------------------------
const children = new Set();
process.on("exit", () => { for (const c of children) if (c.exitCode === null) c.kill("SIGKILL"); });

/// Starts a child and resolves with { child, found }: `found` is the first thing `match` returns
/// for a line of its standard output. Fails after 30 s or when the child exits first.
export function startProcess(command, args, options, match, what) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${err}`)), 30000);
    child.on("exit", (code) => reject(new Error(`${what} exited (${code}):\n${err}`)));
    lines.on("line", (line) => {
      const found = match(line);
      if (found) {
        clearTimeout(timer);
        resolve({ child, found });
      }
    });
  }).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
}

/// SIGTERM, and SIGKILL after 10 s.
export async function stopProcess(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.delete(child);
}

// ---- the server ------------------------------------------------------------------------------
/// `askonce serve` on a free loopback port: its own folder, the keys that seal drafts (on
/// PostgreSQL the server must be given them: docs/operations.md, "Keys"), a fresh SQLite file
/// or, with `postgres` (the folder scripts/test-postgres.sh started a cluster in), a database
/// of its own there, migrated first. One address walks every case: the per-address limit on
/// posts (60 a minute, 20 at once, made for one citizen) is lifted, as server_support.hpp does.
/// `env`: more settings (a mail relay's). Returns { base, db, env, work, askonce(args), stop() }:
/// askonce(args) runs the binary's command `args` on this server's database, and returns its output.
export async function startServer({ binary, name, forms = "forms", env = {}, postgres = null }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `askonce-${name}-`));
  let db = path.join(work, "askonce.db");
  let drop = () => {};
  if (postgres) {
    const admin = fs.readFileSync(path.join(postgres, "conninfo"), "utf8").trim();
    const database = `${name.replace(/[^a-z0-9_]/g, "_")}_${process.pid}`;
    execFileSync("psql", [admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", `DROP DATABASE IF EXISTS ${database}`, "-c", `CREATE DATABASE ${database}`],
                 { stdio: ["ignore", "ignore", "inherit"] });
    db = admin.replace(/dbname=\S+/, `dbname=${database}`);
    drop = () => spawnSync("psql", [admin, "-q", "-c", `DROP DATABASE IF EXISTS ${database}`], { stdio: "ignore" });
    console.log(`   ${name} on PostgreSQL: ${db}`);
  }
  const keys = path.join(work, "keys");
  fs.writeFileSync(keys, `${name.replace(/[^a-z0-9]/g, "")}:` + crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
  const serverEnv = { ...process.env, ASKONCE_KEYS__FILE: keys, ASKONCE_RATE_LIMIT__PER_MINUTE: "100000",
                      ASKONCE_RATE_LIMIT__BURST: "100000", ...env };
  const askonce = (args) => execFileSync(binary, [...args, "--db", db], { cwd: root, env: serverEnv, encoding: "utf8",
                                                                           stdio: ["ignore", "pipe", "pipe"] });
  let child = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    drop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    askonce(["db", "migrate"]);
    const started = await startProcess(binary, ["serve", "--port", "0", "--db", db, "--forms", forms], { cwd: root, env: serverEnv },
      (line) => {
        try {
          const event = JSON.parse(line);
          return event.event === "started" && event.address;
        } catch { return false; }  // not a log line
      }, `the server (${name})`);
    child = started.child;
    return { base: `http://${started.found}`, db, env: serverEnv, work, askonce, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ---- the SMTP relay --------------------------------------------------------------------------
/// tests/smtp/smtp_server.py on loopback (STARTTLS and a login required, its certificate made
/// here with `openssl req`), writing each mail to a folder of its own. Returns { env (the
/// server's mail settings), mails(), waitForMails(n), stop() }.
export async function startRelay() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-relay-"));
  const dir = path.join(work, "mails");
  fs.mkdirSync(dir);
  const cert = path.join(work, "cert.pem"), key = path.join(work, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                           "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert], { stdio: "ignore" });
  const { child, found: port } = await startProcess("/usr/bin/python3", ["tests/smtp/smtp_server.py", "--dir", dir, "--cert", cert, "--key", key],
    { cwd: root }, (line) => line.startsWith("PORT ") && line.slice(5), "the SMTP relay");
  /// The mails the relay has written, in order, their quoted-printable soft breaks undone.
  const mails = () => fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort()
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8").replace(/=\r?\n/g, ""));
  return {
    env: { ASKONCE_MAIL__HOST: "localhost", ASKONCE_MAIL__PORT: port, ASKONCE_MAIL__USERNAME: "askonce",
           ASKONCE_MAIL__PASSWORD: "relay-password", ASKONCE_MAIL__FROM: "Benefits <no-reply@forms.example.gov>",
           ASKONCE_MAIL__CA_FILE: cert, ASKONCE_MAIL__CONTACT_KEY: "k".repeat(64) },
    mails,
    async waitForMails(n) {
      for (let i = 0; i < 300 && mails().length < n; i++) await new Promise((r) => setTimeout(r, 100));
      return mails();
    },
    async stop() {
      await stopProcess(child);
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

// ---- the browser -----------------------------------------------------------------------------
/// Debian's headless Chromium through playwright-core (never a downloaded browser).
export async function launchBrowser() {
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/// A page in `context` that collects its script errors and CSP violations (page.problems) and
/// reaches nothing beyond 127.0.0.1. Without JavaScript (`js` false) no script is loaded, so
/// nothing of ours runs. With `keep` (a name), every page's HTML as the server sent it is kept
/// for the Nu HTML Checker at the end.
export async function openPage(context, { js = true, keep = null } = {}) {
  const page = await context.newPage();
  page.js = js;
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push(m.text()); });
  page.on("pageerror", (e) => page.problems.push(String(e)));
  if (!js) await page.route("**/*.js", (route) => route.abort());
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());  // nothing leaves the machine
  if (keep !== null) {
    const name = keep;
    page.on("response", (r) => {
      if (r.request().resourceType() !== "document" || r.status() === 303) return;
      const what = `${name} ${new URL(r.url()).pathname} (${r.status()})`;
      const kept = r.text().then((text) => { if (text) nuKeep(what, text); }).catch(() => {});  // a page replaced before its body was read
      pending.add(kept);
      kept.finally(() => pending.delete(kept));
    });
  }
  return page;
}

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// axe-core at WCAG 2.2 AA on the page as it is now: its violations. axe is evaluated through
/// the DevTools protocol, which the page's CSP does not govern.
export async function axe(page) {
  await page.evaluate(axeSource);
  return (await page.evaluate((t) => window.axe.run(document, { runOnly: { type: "tag", values: t }, resultTypes: ["violations"] }), tags)).violations;
}

/// The checks on the page now shown, named `what`: axe (0 violations); no script error or CSP
/// violation since the last check (`status`: the page's own status when it is not 2xx, which
/// Chromium logs as a console error; without JavaScript the scripts' aborted loads are not
/// errors); and as asked: `font`, the USWDS stylesheet and fonts served and applied; `ids`, a
/// RegExp of internal ids no page may show; `noEmail`, no word of an email outside the questions
/// and the answers (a server with no mail relay: the citizen's address is an answer).
export async function checkPage(page, what, { status = 200, font = false, ids = null, noEmail = false,
                                               errors = "no script errors and no Content-Security-Policy violations" } = {}) {
  const violations = await axe(page);
  ok(violations.length === 0, `axe: ${what} has no WCAG 2.2 AA violations`,
     violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.target}`).join("\n  "));
  const own = page.problems.filter((p) => !p.includes(`the server responded with a status of ${status} `) &&
                                          !(page.js === false && /net::ERR_FAILED/.test(p)));
  ok(own.length === 0, `${what}: ${errors}`, own.join("\n  "));
  page.problems.length = 0;
  if (font) {
    const family = await page.evaluate(async () => { await document.fonts.ready; return getComputedStyle(document.body).fontFamily; });
    ok(/Source Sans Pro Web/.test(family), `${what}: the USWDS stylesheet and fonts are served and applied`, family);
  }
  if (ids) {
    const text = await page.evaluate(() => document.body.innerText);
    ok(!ids.test(text), `${what}: no internal id shown`, (text.match(new RegExp(`.{0,40}(${ids.source}).{0,40}`, ids.flags)) ?? [""])[0]);
  }
  if (noEmail) {
    // Outside the questions (labels, hints, inputs) and the answers (a <dl>), nothing about email.
    const said = await page.evaluate(() => {
      const main = document.querySelector("main")?.cloneNode(true);
      if (!main) return "";
      for (const e of main.querySelectorAll(".usa-form-group, fieldset, dl, script")) e.remove();
      return main.textContent;
    });
    ok(!/\be-?mail|correo electr[oó]nico/i.test(said), `${what}: no email promised (no relay configured)`,
       (said.match(/.{0,60}(e-?mail|correo electr[oó]nico).{0,60}/i) ?? [""])[0]);
  }
}

// ---- the Nu HTML Checker ---------------------------------------------------------------------
// Every page kept (by openPage's `keep`, nuKeep or nuKeepFile) is checked in one run of the
// checker at the end (nuVerdicts): Java starts once, not once a suite.
const nuWork = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-nu-"));
const nuFiles = [];  // { file, what, suite, where, expect }
const pending = new Set();

/// Keeps `text` (a page or a mail's HTML) under the name `what`, for the current suite and case;
/// with `expect` (a RegExp), the checker must find an error saying that.
export function nuKeep(what, text, expect = null) {
  const file = path.join(nuWork, `${String(nuFiles.length).padStart(4, "0")}.html`);
  fs.writeFileSync(file, text);
  nuFiles.push({ file, what, suite, where, expect });
}
/// Keeps a file as it is, under the name `what`.
export function nuKeepFile(file, what) {
  nuFiles.push({ file: path.resolve(file), what, suite, where, expect: null });
}
/// How many pages the current suite has kept so far (the bodies still being read awaited).
export async function nuKept() {
  await Promise.all([...pending]);
  return nuFiles.filter((f) => f.suite === suite).length;
}

/// Runs the checker once on everything kept: each page has no error (or the one expected),
/// counted under the suite that kept it.
export async function nuVerdicts() {
  await Promise.all([...pending]);
  const t = Date.now();
  const run = spawnSync("java", ["-jar", require("vnu-jar"), "--errors-only", "--format", "json", ...nuFiles.map((f) => f.file)],
                        { encoding: "utf8", maxBuffer: 256 << 20 });
  let messages = [];
  try { messages = JSON.parse(run.stderr || "{}").messages ?? []; } catch { where = "nu"; ok(false, "vnu output is JSON", run.stderr.slice(0, 500)); }
  const byFile = new Map();
  for (const m of messages) {
    const file = decodeURI((m.url ?? "").replace(/^file:/, ""));
    byFile.set(file, [...(byFile.get(file) ?? []), m]);
  }
  const saved = [suite, where];
  for (const f of nuFiles) {
    suite = f.suite;
    where = f.where;
    const mine = byFile.get(f.file) ?? [];
    if (f.expect) ok(mine.some((m) => f.expect.test(m.message)), `vnu reports errors on ${f.what}`, JSON.stringify(mine.slice(0, 3)));
    else ok(mine.length === 0, `vnu: ${f.what} has no errors`, mine.slice(0, 5).map((m) => `${m.lastLine}: ${m.message}`).join("\n  "));
  }
  [suite, where] = saved;
  console.log(`the Nu checker on ${nuFiles.length} pages: ${seconds(t)}`);
  fs.rmSync(nuWork, { recursive: true, force: true });
}
