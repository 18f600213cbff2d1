// tests/browser/check.mjs: the proof that the web pages are valid and accessible, run by CTest
// (html_browser_tests) on the pages render_html_tests keeps as goldens (tests/golden/html):
//   1. the Nu HTML Checker (vnu-jar, Java) reports no errors on any page;
//   2. axe-core in Debian's headless Chromium (playwright-core, never a downloaded browser)
//      reports no WCAG 2.2 AA violations on any page, with the form's script running and
//      without it, and the page breaks no rule of a strict Content-Security-Policy;
//   3. answering a question shows and hides the questions that depend on it, and a page with
//      errors puts focus on its error summary;
//   4. a computed value shows, in the page's words, as soon as the answers it uses change, in a
//      live region; answers from earlier steps (an askonce-answers block) count for questions
//      that are not on the page.
//   5. the page frame works without JavaScript: the official banner opens, the skip link leads
//      to the main content, the language switch marks the current language.
// Everything is served from 127.0.0.1 (serve.mjs); nothing touches the network.
// `--screenshot FILE` also saves a screenshot of the change-of-address page with errors.
// Missing tools are a failure, not a skip: scripts/deps.sh installs them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { serve, goldens, root, runtimeUrl } from "./serve.mjs";

const require = createRequire(path.join(root, "package.json"));
const chromiumPath = process.env.ASKONCE_CHROMIUM ?? "/usr/bin/chromium";
let passed = 0, failed = 0;
function ok(cond, what, detail = "") {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}${detail ? "\n  " + detail : ""}`);
  }
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const missing = [];
for (const mod of ["vnu-jar", "axe-core", "playwright-core", "@uswds/uswds"]) {
  try { require.resolve(mod); } catch { missing.push(`npm package ${mod} (npm ci)`); }
}
if (spawnSync("java", ["-version"]).status !== 0) missing.push("java (default-jre-headless)");
if (!fs.existsSync(chromiumPath)) missing.push(`${chromiumPath} (Debian package chromium)`);
if (missing.length) {
  console.log("missing: " + missing.join(", ") + "; run scripts/deps.sh");
  failed++;
  finish();
}

const pages = fs.readdirSync(goldens).filter((f) => f.endsWith(".html")).sort();
ok(pages.length >= 8, "there are rendered pages to check", `found ${pages.length}`);

// ---- 1. the Nu HTML Checker ------------------------------------------------------------------
// Java runs beside Chromium (the checks below), and its verdicts are read at the end: the two
// together take about as long as the longer one.
const vnu = require("vnu-jar");
const nu = new Promise((resolve) => {
  const child = spawn("java", ["-jar", vnu, "--errors-only", "--format", "json", ...pages.map((p) => path.join(goldens, p))]);
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  child.on("close", () => resolve(stderr));
});
async function nuVerdicts() {
  const run = { stderr: await nu };
  let messages = [];
  try { messages = JSON.parse(run.stderr || "{}").messages ?? []; } catch (e) { ok(false, "vnu output is JSON", run.stderr.slice(0, 500)); }
  for (const p of pages) {
    const mine = messages.filter((m) => (m.url ?? "").endsWith("/" + p) && m.type === "error");
    ok(mine.length === 0, `vnu: ${p} has no errors`, mine.slice(0, 5).map((m) => `${m.lastLine}: ${m.message}`).join("\n  "));
  }
  // The checker does find errors: a page with a duplicate id and an unlabelled select.
  const bad = path.join(os.tmpdir(), "askonce-vnu-bad.html");
  fs.writeFileSync(bad, '<!DOCTYPE html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p><select><option></option></select>');
  const check = spawnSync("java", ["-jar", vnu, "--errors-only", bad], { encoding: "utf8" });
  ok(check.status !== 0 && /Duplicate ID/.test(check.stderr), "vnu reports errors on a broken page");
}

// ---- 2 and 3: Chromium -----------------------------------------------------------------------
const { chromium } = require("playwright-core");
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function open(name, js) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  // Without JavaScript: the page's only script is not loaded, so nothing of ours runs.
  await page.route("**/*.js", (route) => (js ? route.continue() : route.abort()));
  await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());  // nothing leaves the machine
  const response = await page.goto(`${base}/pages/${name}`, { waitUntil: "load" });
  return { page, problems, status: response.status() };
}

async function axe(page) {
  // axe is evaluated through the DevTools protocol, which a page's CSP does not govern.
  await page.evaluate(axeSource);
  return page.evaluate((t) => window.axe.run(document, { runOnly: { type: "tag", values: t }, resultTypes: ["violations"] }), tags);
}

/// One golden page, with its script running or not.
async function checkPage(name, js) {
  {
    const { page, problems, status } = await open(name, js);
    const what = `${name} (JavaScript ${js ? "on" : "off"})`;
    ok(status === 200, `${what} is served`);
    const result = await axe(page);
    ok(result.violations.length === 0, `axe: ${what} has no WCAG 2.2 AA violations`,
       result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.target}`).join("\n  "));
    const ownProblems = problems.filter((p) => !(js === false && /net::ERR_FAILED/.test(p)));
    ok(ownProblems.length === 0, `${what}: no script errors and no Content-Security-Policy violations`, ownProblems.join("\n  "));
    if (js) {
      // The USWDS stylesheet and its web fonts, served locally, are applied.
      const font = await page.evaluate(async () => { await document.fonts.ready; return getComputedStyle(document.body).fontFamily; });
      ok(/Source Sans Pro Web/.test(font), `${what}: the USWDS stylesheet is applied`, font);
    }
    if (js && name.endsWith(".errors.html")) {
      ok(await page.evaluate(() => document.activeElement?.id === "error-summary"), `${what}: focus is on the error summary`);
      // A summary link moves focus to its field.
      const target = await page.evaluate(() => {
        const a = document.querySelector("#error-summary a[href^='#']");
        if (!a) return null;
        a.click();
        return [a.getAttribute("href").slice(1), document.activeElement?.id];
      });
      ok(target !== null && target[0] === target[1], `${what}: an error summary link focuses its field`, JSON.stringify(target));
    }
    await page.close();
  }
}
// Two pages at a time: axe runs in each page's renderer, so two use both of CI's cores (each
// page has focus of its own in headless Chromium).
{
  const work = pages.flatMap((name) => [[name, true], [name, false]]);
  const worker = async () => { for (let w; (w = work.shift());) await checkPage(...w); };
  await Promise.all([worker(), worker()]);
}

// ---- 3. showing and hiding -------------------------------------------------------------------
for (const lang of ["en", "es"]) {
  const { page } = await open(`change-of-address.${lang}.html`, true);
  const visible = (sel) => page.isVisible(sel);
  ok(!(await visible("#q-return_date")), `${lang}: the return date is hidden before the question is answered`);
  await page.click("label[for=f-kind-2]");  // "No, temporary"
  ok(await visible("#q-return_date"), `${lang}: "No, temporary" shows the return date`);
  ok(await visible("#f-return_date-month"), `${lang}: its month input can be filled`);
  await page.click("label[for=f-kind-1]");  // "Yes, permanent"
  ok(!(await visible("#q-return_date")), `${lang}: "Yes, permanent" hides the return date`);
  ok(await visible("#q-filed_jointly"), `${lang}: "Yes, permanent" shows the joint-return question`);
  ok(!(await visible("#q-spouse_name")), `${lang}: the spouse's name waits for its own answer`);
  await page.click("label[for=f-filed_jointly-yes]");
  ok(await visible("#q-spouse_name"), `${lang}: a joint return shows the spouse's name`);
  await page.click("label[for=f-kind-2]");
  ok(!(await visible("#q-spouse_name")) && !(await visible("#q-filed_jointly")),
     `${lang}: hiding a question hides what depends on it, too`);
  // A question on a typed answer: the phone type appears once a phone number is typed.
  ok(!(await visible("#q-contact-phone_type")), `${lang}: the phone type is hidden with no phone`);
  await page.fill("#f-contact-phone", "(512) 555-0100");
  ok(await visible("#q-contact-phone_type"), `${lang}: typing a phone number shows the phone type`);
  await page.close();
}
{
  // Without JavaScript every question is there, with its condition in words.
  const { page } = await open("change-of-address.en.html", false);
  ok(await page.isVisible("#q-return_date"), "without JavaScript the return date is shown");
  ok(/Answer only if you answered “No, temporary”/.test(await page.textContent("#q-return_date")),
     "without JavaScript its condition is said in words");
  await page.close();
}

// ---- 4. computed values, live -----------------------------------------------------------------
for (const [lang, money] of [["en", ["$1,234.50", "$1,234.51", "-$0.49"]], ["es", ["$1,234.50", "$1,234.51", "-$0.49"]]]) {
  const { page, problems } = await open(`benefits.${lang}.html`, true);
  const text = (id) => page.textContent(`#${id}`);
  ok(await page.getAttribute("#f-total_monthly_income-value", "aria-live") === "polite", `${lang}: a computed value is a live region`);
  ok((await text("f-household_size-value")) === "1", `${lang}: the household size shows at once (no one added: 1)`,
     await text("f-household_size-value"));
  ok((await text("f-total_monthly_income-value")) === "", `${lang}: no total while the incomes are blank`);
  await page.fill("#f-applicant_earned_income", "1,234.5");
  ok((await text("f-household_earned_income-value")) === money[0], `${lang}: typing an income shows the household income`,
     await text("f-household_earned_income-value"));
  ok((await text("f-total_monthly_income-value")) === "", `${lang}: the total stays blank while one of its parts is blank`);
  await page.fill("#f-applicant_other_income", "0.01");
  ok((await text("f-total_monthly_income-value")) === money[1], `${lang}: the total adds exact decimals`,
     await text("f-total_monthly_income-value"));
  await page.fill("#f-applicant_earned_income", "-0.5");
  ok((await text("f-total_monthly_income-value")) === money[2], `${lang}: a negative income gives a negative total`,
     await text("f-total_monthly_income-value"));
  await page.fill("#f-applicant_other_income", "1.005");  // money has 2 decimals: the engine refuses it
  ok((await text("f-total_monthly_income-value")) === "", `${lang}: an answer the engine refuses is blank`,
     await text("f-total_monthly_income-value"));
  ok(problems.length === 0, `${lang}: no script errors while computing`, problems.join("\n  "));
  await page.close();
}
{
  // A step page: "kind" and the household were answered on earlier steps, so they are not inputs
  // here but in the askonce-answers block; the runtime reads them from it.
  const { page, problems } = await open("change-of-address.en.html", false);
  ok(await page.isVisible("#q-return_date"), "without the script, the return date is shown");
  await page.evaluate(() => {
    document.getElementById("q-kind").remove();
    document.getElementById("q-household").remove();
    const block = document.createElement("script");
    block.type = "application/json";
    block.id = "askonce-answers";
    block.textContent = JSON.stringify({ kind: "temporary", "household[0].full_name": "Ana", "household[1].full_name": "Bo",
                                         "household[1].birth_date.month": "2", "household[1].birth_date.day": "29",
                                         "household[1].birth_date.year": "2024" });
    document.body.append(block);
  });
  await page.unroute("**/*.js");
  await page.evaluate((src) => new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = reject;
    document.head.append(s);
  }), runtimeUrl());
  ok(await page.isVisible("#q-return_date"), "an answer from an earlier step (temporary) shows the return date");
  ok(!(await page.isVisible("#q-filed_jointly")), "... and hides the joint-return question");
  ok((await page.textContent("#f-household_size-value")) === "3", "entries from an earlier step count (1 + 2)",
     await page.textContent("#f-household_size-value"));
  ok(problems.filter((p) => !/net::ERR_FAILED/.test(p)).length === 0, "no script errors with an answers block", problems.join("\n  "));
  await page.close();
}

// ---- 5. the frame without JavaScript -----------------------------------------------------------
for (const lang of ["en", "es"]) {
  // The official banner's "Here's how you know" opens with no script at all (a <details>).
  let { page } = await open(`change-of-address.${lang}.start.html`, false);
  ok(!(await page.isVisible(".usa-banner__content")), `${lang}: the banner's explanation starts closed`);
  await page.click(".usa-banner summary");
  ok(await page.isVisible(".usa-banner__content"), `${lang}: the banner opens without JavaScript`);
  ok(/\.gov/.test(await page.textContent(".usa-banner__content")), `${lang}: the banner says what .gov means`);
  await page.close();
  // The skip link is the first stop of the keyboard, and leads to the main content.
  ({ page } = await open(`change-of-address.${lang}.start.html`, false));
  await page.keyboard.press("Tab");
  ok(await page.evaluate(() => document.activeElement?.classList.contains("usa-skipnav")), `${lang}: Tab first reaches the skip link`);
  await page.keyboard.press("Enter");
  ok(await page.evaluate(() => document.activeElement?.id === "main-content"), `${lang}: the skip link moves focus to the main content`);
  ok(await page.getAttribute(`a[hreflang="${lang}"]`, "aria-current") === "true", `${lang}: the language switch marks this page's language`);
  await page.close();
}

const shot = process.argv.indexOf("--screenshot");
if (shot > 0) {
  const { page } = await open("change-of-address.en.errors.html", true);
  await page.setViewportSize({ width: 1024, height: 1400 });
  await page.screenshot({ path: process.argv[shot + 1] });
  await page.close();
}

await context.close();
server.close();
await nuVerdicts();
fs.rmSync(profile, { recursive: true, force: true });
finish();
