// tests/browser/alternatives_e2e.mjs: rules that apply in one case (`pattern ... if EXPR`,
// docs/dsl.md) on the real server's step page, in Debian's headless Chromium, run by CTest
// (alternatives_browser_tests). The real `askonce serve` on a free loopback port, a fresh
// SQLite file, and one form of our own (an address whose country decides the postal code's
// pattern and the state's codes):
//   1. with JavaScript on, the page shows only the rules that apply, and follows the country as
//      it changes: no country, the rule for "another country or none"; the United States, the
//      ZIP code's; Canada, Canada's two;
//   2. a postal code that breaks the rule that applies gets that rule's message from the
//      server, with the value kept; the same code under the country it fits moves on;
//   3. with JavaScript off, every rule shows, each saying when it applies;
//   4. axe-core at WCAG 2.2 AA on each page (0 violations), no script error.
// Usage: node tests/browser/alternatives_e2e.mjs [PATH TO askonce] (default build/server/askonce).
// Missing tools are a failure, not a skip: scripts/deps.sh installs them.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(path.join(root, "package.json"));
const chromiumPath = process.env.ASKONCE_CHROMIUM ?? "/usr/bin/chromium";
const binary = path.resolve(process.argv[2] ?? path.join(root, "build/server/askonce"));

let passed = 0, failed = 0;
function ok(cond, what, detail = "") {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}${detail ? "\n  " + detail : ""}`);
  }
}

const missing = [];
for (const mod of ["axe-core", "playwright-core", "@uswds/uswds"]) {
  try { require.resolve(mod); } catch { missing.push(`npm package ${mod} (npm ci)`); }
}
if (!fs.existsSync(chromiumPath)) missing.push(`${chromiumPath} (Debian package chromium)`);
if (!fs.existsSync(binary)) missing.push(`${binary} (build the askonce target)`);
if (missing.length) {
  console.log("missing: " + missing.join(", ") + "; run scripts/deps.sh");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// ---- the form and the server -----------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-alternatives-e2e-"));
const forms = path.join(work, "forms");
fs.mkdirSync(forms);
fs.writeFileSync(path.join(forms, "mailing.form"), `form mailing {
  title "Mailing address"
  version 1
  languages en
  section where "Your address" {
    choice country "Country" {
      option USA "United States"
      option CAN "Canada"
      option OTHER "Another country"
    }
    text state "State or province" {
      check state in ["AB", "BC", "ON", "QC"] "Enter a province code such as ON." if country == "CAN"
      pattern "[A-Z]{2}" "Enter the state's 2 capital letters." if country == "USA"
    }
    text postal_code "Postal code" {
      max 20
      pattern "[0-9]{5}(-[0-9]{4})?" "Enter a ZIP code such as 12345." if country == "USA"
      pattern "[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]" "Enter a postal code such as K1A 0B1." if country == "CAN"
      check length(postal_code) <= 10 "Enter at most 10 characters." if is_blank(country) or country == "OTHER"
    }
  }
  section end "Declaration" {
    attest truthful "I certify that my answers are true." { required }
  }
}
`);
const keys = path.join(work, "keys");
fs.writeFileSync(keys, "e2e:" + crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
const server = spawn(binary, ["serve", "--port", "0", "--db", path.join(work, "askonce.db"), "--forms", forms],
                     { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ASKONCE_KEYS__FILE: keys } });
let serverErr = "";
server.stderr.on("data", (d) => { serverErr += d; });
const lines = readline.createInterface({ input: server.stdout });
const address = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the server did not start in 30 s:\n" + serverErr)), 30000);
  server.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${serverErr}`)));
  lines.on("line", (line) => {
    try {
      const event = JSON.parse(line);
      if (event.event === "started") {
        clearTimeout(timer);
        resolve(event.address);
      }
    } catch { /* not a JSON line */ }
  });
}).catch((e) => {
  console.log(String(e.message ?? e));
  server.kill("SIGKILL");
  console.log("0 passed, 1 failed");
  process.exit(1);
});
const base = `http://${address}`;

// ---- the browser -----------------------------------------------------------------------------
const { chromium } = require("playwright-core");
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
let page, problems, js;

async function fresh(withJs) {
  js = withJs;
  const context = await browser.newContext();
  page = await context.newPage();
  problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.route("**/*.js", (route) => (js ? route.continue() : route.abort()));
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
}

async function check(what, status = 200) {
  what = `${what} [JavaScript ${js ? "on" : "off"}]`;
  await page.evaluate(axeSource);
  const result = await page.evaluate((t) => window.axe.run(document, { runOnly: { type: "tag", values: t }, resultTypes: ["violations"] }), tags);
  ok(result.violations.length === 0, `axe: ${what} has no WCAG 2.2 AA violations`,
     result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.target}`).join("\n  "));
  const own = problems.filter((p) => !p.includes(`the server responded with a status of ${status} `) &&
                                     !(js === false && /net::ERR_FAILED/.test(p)));
  ok(own.length === 0, `${what}: no script errors`, own.join("\n  "));
  problems.length = 0;
}

async function next() {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.click("form.askonce-form > button.usa-button[type=submit]:not([name])"),
  ]);
  await page.waitForLoadState("load");
  return response.status();
}

/// The postal code's rules the page shows now (visible to the citizen), in order.
const shown = () => page.evaluate(() => Array.from(document.querySelectorAll("#f-postal_code-rules [data-askonce-if]"))
  .filter((e) => e.offsetParent !== null).map((e) => e.textContent));
/// The id of the country's radio button for `label`.
const country = (label) => page.click(`label:text-is("${label}")`);

const zip = /Enter a ZIP code such as 12345\./;
const canada = /Enter a postal code such as K1A 0B1\./;
const other = /Enter at most 10 characters\./;

try {
  // 1. JavaScript on: the rules that apply, following the country.
  await fresh(true);
  let response = await page.goto(`${base}/forms/mailing/steps/where`, { waitUntil: "load" });
  ok(response.status() === 200, "the step page is served", `${response.status()}`);
  let rules = await shown();
  ok(rules.length === 1 && other.test(rules[0]), "no country: only the rule for another country or none", JSON.stringify(rules));
  ok(/If/.test(rules[0] ?? ""), "the rule says when it applies", rules[0]);
  await check("the step, no country");
  await country("United States");
  rules = await shown();
  ok(rules.length === 1 && zip.test(rules[0]), "the United States: only the ZIP code's rule", JSON.stringify(rules));
  await country("Canada");
  rules = await shown();
  ok(rules.length === 1 && canada.test(rules[0]), "Canada: only Canada's rule", JSON.stringify(rules));
  const stateRules = await page.evaluate(() => Array.from(document.querySelectorAll("#f-state-rules [data-askonce-if]"))
    .filter((e) => e.offsetParent !== null).map((e) => e.textContent));
  ok(stateRules.length === 1 && /province code/.test(stateRules[0]), "Canada: the state's rule for Canada", JSON.stringify(stateRules));
  await check("the step, Canada");

  // 2. The server judges the rule that applies: a ZIP code in Canada is refused with Canada's
  // message, and kept; the same code in the United States moves on.
  await page.fill("#f-postal_code", "12345");
  let status = await next();
  ok(status === 422, "a ZIP code for Canada is refused (422)", `${status}`);
  const summary = await page.textContent("#error-summary");
  ok(canada.test(summary) && !zip.test(summary), "the error is Canada's rule's message", summary);
  ok(await page.inputValue("#f-postal_code") === "12345", "the postal code is kept");
  rules = await shown();
  ok(rules.length === 1 && canada.test(rules[0]), "after the error, the page still shows Canada's rule", JSON.stringify(rules));
  await check("the step with its error", 422);
  await country("United States");
  status = await next();
  // The declaration is made on the check-your-answers page, which comes next.
  ok(status === 303 && new URL(page.url()).pathname === "/forms/mailing/check", "the same code in the United States moves on",
     `${status} ${page.url()}`);

  // 3. JavaScript off: every rule shows, each with its condition.
  await fresh(false);
  await page.goto(`${base}/forms/mailing/steps/where`, { waitUntil: "load" });
  rules = await shown();
  // Checks come before patterns, as every channel lists them.
  ok(rules.length === 3 && other.test(rules[0]) && zip.test(rules[1]) && canada.test(rules[2]) && rules.every((r) => /^If /.test(r)),
     "without JavaScript every rule shows, each with when it applies", JSON.stringify(rules));
  await check("the step, no JavaScript");
} catch (e) {
  ok(false, "the run finished", String(e.stack ?? e));
} finally {
  await browser.close();
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
