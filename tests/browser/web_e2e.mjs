// tests/browser/web_e2e.mjs: a citizen's way through the real server, run by CTest
// (web_browser_tests): the real `askonce serve` binary on a free loopback port with a fresh
// database, and Debian's headless Chromium driven by playwright-core, JavaScript on:
//   1. the list of forms leads to the change-of-address form;
//   2. the form filled in with one mistake and sent: the error summary takes focus, and every
//      value typed is still there;
//   3. a person added with the form's Add button (a post that only re-shows the page), the
//      mistake fixed, the form sent: the receipt, with its reference number and agencies;
//   4. axe-core at WCAG 2.2 AA on every page passed through (0 violations), and no script error
//      or Content-Security-Policy violation on any of them.
// Usage: node tests/browser/web_e2e.mjs [PATH TO askonce] (default build/server/askonce).
// The server keeps its data in a fresh SQLite file; with WEB_E2E_PG_DIR set (not ASKONCE_:
// the server would read that as a setting) (CTest's
// web_browser_tests_postgres), on the PostgreSQL cluster scripts/test-postgres.sh started there,
// in its `postgres` database, migrated first with `askonce db migrate`.
// Missing tools are a failure, not a skip: scripts/deps.sh installs them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn, execFileSync } from "node:child_process";
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

// ---- the server ------------------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-web-e2e-"));
let db = path.join(work, "askonce.db");
if (process.env.WEB_E2E_PG_DIR) {
  const conninfo = fs.readFileSync(path.join(process.env.WEB_E2E_PG_DIR, "conninfo"), "utf8").trim();
  db = conninfo;
  execFileSync(binary, ["db", "migrate", "--db", db], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  console.log("on PostgreSQL: " + conninfo);
}
const server = spawn(binary, ["serve", "--port", "0", "--db", db, "--forms", "forms"],
                     { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
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

async function stop() {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  fs.rmSync(work, { recursive: true, force: true });
}

// ---- the browser -----------------------------------------------------------------------------
const { chromium } = require("playwright-core");
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
page.on("pageerror", (e) => problems.push(String(e)));
await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());  // nothing leaves the machine

/// `status`: the page's own status when it is not 2xx (Chromium logs that as a console error).
async function check(what, status = 200) {
  // axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate((t) => window.axe.run(document, { runOnly: { type: "tag", values: t }, resultTypes: ["violations"] }), tags);
  ok(result.violations.length === 0, `axe: ${what} has no WCAG 2.2 AA violations`,
     result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.target}`).join("\n  "));
  const own = problems.filter((p) => !p.includes(`the server responded with a status of ${status} `));
  ok(own.length === 0, `${what}: no script errors and no Content-Security-Policy violations`, own.join("\n  "));
  problems.length = 0;
  const font = await page.evaluate(async () => { await document.fonts.ready; return getComputedStyle(document.body).fontFamily; });
  ok(/Source Sans Pro Web/.test(font), `${what}: the USWDS stylesheet and fonts are served and applied`, font);
}

/// Clicks `selector` (a submit button) and waits for the page that answers the post.
async function send(selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  await page.waitForLoadState("load");
  return response.status();
}

const typed = {
  "#f-person-name-first": "Ana",
  "#f-person-name-last": "O'Neil <Ruiz>",
  "#f-person-birth_date-month": "2",
  "#f-person-birth_date-day": "28",
  "#f-person-birth_date-year": "1990",
  "#f-person-ssn": "123-45-678",  // the mistake: eight digits
  "#f-contact-email": "ana@example.org",
  "#f-old_address-street": "1 Main St",
  "#f-old_address-city": "Springfield",
  "#f-old_address-zip": "62701",
  "#f-new_address-street": "2 Oak Ave",
  "#f-new_address-city": "Austin",
  "#f-new_address-zip": "78701",
  "#f-move_date-month": "4",
  "#f-move_date-day": "15",
  "#f-move_date-year": "2024",
  "#f-return_date-month": "10",
  "#f-return_date-day": "1",
  "#f-return_date-year": "2024",
  "#f-signature": "Ana O'Neil",
};

try {
  // 1. From the list of forms to the form.
  let response = await page.goto(`${base}/`, { waitUntil: "load" });
  ok(response.status() === 200, "the list of forms is served");
  await check("the list of forms");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                     page.click('li[lang="en"] a[href="/forms/change_of_address?lang=en"]')]);
  ok(new URL(page.url()).pathname === "/forms/change_of_address", "the list leads to the start page", page.url());
  await check("the start page");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("a.usa-button--big")]);
  ok(new URL(page.url()).pathname.startsWith("/forms/change_of_address/steps/"), "Start now leads to the form", page.url());
  await check("the blank form");

  // 2. Filled in with one mistake.
  await page.click("label[for=f-contact-preferred_method-1]");  // email
  await page.click("label[for=f-kind-2]");                      // temporary: shows the return date
  await page.click("label[for=f-veteran-no]");
  await page.click("label[for=f-forward_mail-yes]");            // shows whose mail
  await page.click("label[for=f-usps_move_type-2]");
  for (const [selector, value] of Object.entries(typed)) await page.fill(selector, value);
  await page.selectOption("#f-old_address-state", "IL");
  await page.selectOption("#f-new_address-state", "TX");
  await page.click("label[for=f-truthful]");  // USWDS draws the box on the label; the input is off screen
  let status = await send("form.askonce-form > button.usa-button[type=submit]:not([name])");
  ok(status === 422, "a mistake gets the form again (422)", `status ${status}`);
  await page.waitForFunction(() => document.activeElement?.id === "error-summary", null, { timeout: 5000 }).catch(() => {});
  ok(await page.evaluate(() => document.activeElement?.id === "error-summary"), "the error summary takes focus");
  const summary = await page.textContent("#error-summary");
  ok(/There is a problem/.test(summary) && /Social Security number/.test(summary), "the summary names the mistake", summary);
  ok(await page.getAttribute("#f-person-ssn", "aria-invalid") === "true", "the field with the mistake is marked invalid");
  for (const [selector, value] of Object.entries(typed)) {
    ok(await page.inputValue(selector) === value, `kept: ${selector}`, await page.inputValue(selector));
  }
  ok(await page.isChecked("#f-kind-2") && await page.isChecked("#f-forward_mail-yes") && await page.isChecked("#f-truthful"),
     "kept: the choices and the declaration");
  ok(await page.inputValue("#f-old_address-state") === "IL", "kept: the state chosen");
  ok(await page.isVisible("#f-return_date-month"), "the return date is still shown");
  await check("the form with its errors", 422);

  // 3. A person added (the page comes back with one more entry, nothing lost), the mistake fixed.
  status = await send('button[name="askonce:add"][value="household"]');
  ok(status === 200, "Add shows the form again (200)", `status ${status}`);
  ok(await page.isVisible("#f-household-0-full_name"), "Add gives an entry for a person");
  ok(await page.inputValue("#f-signature") === "Ana O'Neil" && await page.inputValue("#f-person-ssn") === "123-45-678",
     "Add keeps every value");
  await page.fill("#f-household-0-full_name", "Luis Ruiz");
  await page.fill("#f-household-0-birth_date-month", "7");
  await page.fill("#f-household-0-birth_date-day", "4");
  await page.fill("#f-household-0-birth_date-year", "2015");
  // Enter in a text field checks the answers; it must not press the entry's "Remove".
  await page.focus("#f-household-0-full_name");
  const [entered] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.keyboard.press("Enter"),
  ]);
  ok(entered.status() === 422, "Enter in a text field checks the answers (422: the mistake is still there)",
     `status ${entered.status()}`);
  ok(await page.inputValue("#f-household-0-full_name") === "Luis Ruiz", "Enter keeps the person added");
  problems.length = 0;  // the browser logs the 422 itself; the checks above looked at it
  await page.fill("#f-person-ssn", "123-45-6789");
  status = await send("form.askonce-form > button.usa-button[type=submit]:not([name])");
  ok(status === 303, "the corrected form is accepted (303 to the receipt)", `status ${status}`);
  const url = new URL(page.url());
  ok(/^\/receipts\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/.test(url.pathname) && url.searchParams.get("key")?.length > 20,
     "the browser lands on the receipt", page.url());
  const reference = url.pathname.split("/").pop();
  const shown = (await page.textContent(".usa-summary-box__text .font-mono-lg"))?.trim();
  ok(shown === reference, "the receipt shows the reference number", `${shown} vs ${reference}`);
  const body = await page.textContent("main");
  ok(/We received your application/.test(body), "the receipt says the application was received");
  ok(/Social Security Administration: Pending/.test(body) && /United States Postal Service: Pending/.test(body),
     "the receipt lists the agencies and their deliveries");
  ok(/Each agency updates its records within 10 working days/.test(body), "the receipt says what happens next");
  ok(/Luis Ruiz/.test(body) && /O'Neil <Ruiz>/.test(body), "the receipt shows the answers, as typed");
  await check("the receipt");
  const pdf = await page.getAttribute('a[href$=".pdf?key=' + url.searchParams.get("key") + '"]', "href");
  ok(pdf !== null, "the receipt links to its PDF");
  if (pdf) {
    const r = await page.request.get(base + pdf);
    ok(r.status() === 200 && (await r.body()).subarray(0, 4).toString() === "%PDF", "the PDF receipt is served");
  }
} catch (e) {
  ok(false, "the way through ran to its end", String(e.stack ?? e));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  await stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
