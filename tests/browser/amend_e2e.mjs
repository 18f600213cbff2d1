// tests/browser/amend_e2e.mjs: answer once, correct once in a real browser, run by CTest
// (amend_browser_tests): the real `askonce serve` on a free loopback port with a fresh SQLite
// database, Debian's headless Chromium driven by playwright-core, the agencies through the
// agency API with tokens from `askonce agency-token create`:
//   1. an application reaching SSA, USPS, VA and the IRS is submitted through the API;
//   2. SSA posts need_info naming the phone number; the citizen's status page shows its message
//      and "Answer the agency"; the citizen answers what only they know, gets the phone's
//      question alone with its value, types a new one, sends it; the page names SSA and VA, the
//      two agencies whose view holds the phone number; both get version 2 through the API,
//      with "/contact.phone" changed; USPS and the IRS do not; SSA's status is "answered";
//   3. "Correct an answer": the old address, which reaches USPS and the IRS, and only them;
//   4. axe-core at WCAG 2.2 AA (0 violations) on every page passed through, and no script error
//      or Content-Security-Policy violation; every page's HTML as served has no error in the
//      Nu HTML Checker (vnu-jar).
// Usage: node tests/browser/amend_e2e.mjs [PATH TO askonce] (default build/server/askonce).
// Missing tools are a failure, not a skip: scripts/deps.sh installs them.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn, spawnSync, execFileSync } from "node:child_process";
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
for (const mod of ["vnu-jar", "axe-core", "playwright-core", "@uswds/uswds"]) {
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
const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-amend-e2e-"));
const db = path.join(work, "askonce.db");
const keys = path.join(work, "keys");
fs.writeFileSync(keys, "e2e:" + crypto.randomBytes(32).toString("base64") + "\n", { mode: 0o600 });
const env = { ...process.env, ASKONCE_KEYS__FILE: keys };
const server = spawn(binary, ["serve", "--port", "0", "--db", db, "--forms", "forms"],
                     { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
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

/// A token for `agency`, as an operator makes one.
function token(agency) {
  const out = execFileSync(binary, ["agency-token", "create", agency, "--db", db, "--forms", "forms"],
                           { cwd: root, env, encoding: "utf8" });
  return /aot_[A-Za-z0-9_-]+/.exec(out)[0];
}
const tokens = Object.fromEntries(["ssa", "usps", "va", "irs"].map((a) => [a, token(a)]));

async function api(method, url, agency, body) {
  const headers = { authorization: `Bearer ${tokens[agency]}` };
  if (body) headers["content-type"] = "application/json";
  const r = await fetch(base + url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

/// The version of `agency`'s view of `reference` it would GET now, and what changed.
async function latest(agency, reference) {
  const r = await api("GET", `/api/v1/agencies/${agency}/submissions/${reference}`, agency);
  return { version: r.headers.get("askonce-view-version"), changed: r.headers.get("askonce-changed") ?? "" };
}

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
const context = await browser.newContext();
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
page.on("pageerror", (e) => problems.push(String(e)));
await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());  // nothing leaves the machine
// The HTML of each page as the server sent it, for the Nu checker at the end.
const served = path.join(work, "pages");
fs.mkdirSync(served);
const servedNames = [];
page.on("response", async (r) => {
  if (r.request().resourceType() !== "document" || r.status() === 303) return;
  try {
    const name = `${String(servedNames.length).padStart(3, "0")}.html`;
    fs.writeFileSync(path.join(served, name), await r.text());
    servedNames.push(name);
  } catch { /* a page replaced before its body was read */ }
});

async function check(what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate((t) => window.axe.run(document, { runOnly: { type: "tag", values: t }, resultTypes: ["violations"] }), tags);
  ok(result.violations.length === 0, `axe: ${what} has no WCAG 2.2 AA violations`,
     result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0]?.target}`).join("\n  "));
  ok(problems.length === 0, `${what}: no script errors and no Content-Security-Policy violations`, problems.join("\n  "));
  problems.length = 0;
}

/// What only the citizen knows (the date of birth, the SSN's last 4), then Continue.
async function knowledge(what) {
  await page.fill('input[name="known0.month"]', "2");
  await page.fill('input[name="known0.day"]', "29");
  await page.fill('input[name="known0.year"]', "1980");
  await page.fill('input[name="known1"]', "6789");
  await check(`${what}: what only you know`);
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
}

const application = {
  person: { name: { first: "Ana", last: "Núñez" }, birth_date: "1980-02-29", ssn: "123-45-6789" },
  contact: { email: "ana@example.com", phone: "(202) 555-0123", preferred_method: "email" },
  old_address: { street: "1 Main St", city: "Springfield", state: "IL", zip: "62701" },
  new_address: { street: "2 Oak Ave", city: "Springfield", state: "IL", zip: "62702" },
  move_date: "2024-04-20", kind: "permanent", filed_jointly: true,
  spouse_name: { first: "Bea", last: "Núñez" }, spouse_ssn: "223-45-6789",
  veteran: true, va_file_number: "12345678", forward_mail: true, usps_move_type: "family",
  household: [{ full_name: "Bo", birth_date: "2010-01-01" }],
  truthful: true, signature: "Ana Núñez",
};

try {
  const submitted = await fetch(base + "/api/v1/forms/change_of_address/submissions",
                                { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(application) });
  const created = await submitted.json();
  ok(submitted.status === 201, "the application is stored", JSON.stringify(created));
  const reference = created.reference;

  // 2. SSA needs the phone number.
  const posted = await api("POST", `/api/v1/agencies/ssa/submissions/${reference}/status`, "ssa",
                           { status: "need_info", message_name: "need_proof_of_address", fields: ["contact.phone"] });
  ok(posted.status === 201, "SSA posts need_info naming the phone number", posted.text);

  await page.goto(base + created.receipt_url);
  let body = await page.textContent("main");
  ok(/The agency needs more information from you/.test(body), "the status page says SSA needs more", body);
  ok(/Send us a copy of a bill/.test(body), "with SSA's message", body);
  await check("the status page");
  await Promise.all([page.waitForNavigation(), page.click("text=Answer the agency")]);
  await knowledge("answering SSA");
  body = await page.textContent("main");
  ok(/Social Security Administration asked you for more information/.test(body), "the page says who asked", body);
  ok(await page.locator('input[value="contact.phone"]').count() === 1 &&
     await page.locator('input[value="new_address"]').count() === 0, "only the phone number is offered");
  await check("which answer");
  await page.click('input[value="contact.phone"] + label');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  ok(await page.inputValue('input[name="contact.phone"]') === "+12025550123", "the phone number as it is (as stored: E.164)",
     await page.inputValue('input[name="contact.phone"]'));
  ok(await page.locator('input[name="new_address.street"]').count() === 0, "and no other question");
  await check("the phone's question");
  await page.fill('input[name="contact.phone"]', "(202) 555-0199");
  await Promise.all([page.waitForNavigation(), page.click("text=Send the correction")]);
  body = await page.textContent("main");
  ok(/Your correction was sent/.test(body), "sent", body);
  ok(/Social Security Administration/.test(body) && /Veterans Affairs/.test(body) &&
     !/Postal Service/.test(body) && !/Internal Revenue/.test(body), "to SSA and VA only", body);
  await check("the correction sent");
  for (const agency of ["ssa", "va"]) {
    const v = await latest(agency, reference);
    ok(v.version === "2" && v.changed === "/contact.phone", `${agency} gets version 2, the phone changed`, JSON.stringify(v));
  }
  for (const agency of ["usps", "irs"]) {
    const v = await latest(agency, reference);
    ok(v.version === "1", `${agency} gets nothing`, JSON.stringify(v));
  }
  const history = JSON.parse((await api("GET", `/api/v1/agencies/ssa/submissions/${reference}/status`, "ssa")).text);
  ok(history.status.status === "answered", "SSA's history has the answer", JSON.stringify(history));

  // 3. A correction of the old address: USPS and the IRS.
  await page.goto(base + created.receipt_url);
  body = await page.textContent("main");
  ok(/You answered the agency's request/.test(body), "the status page says SSA has the answer", body);
  await Promise.all([page.waitForNavigation(), page.click("text=Correct an answer")]);
  await knowledge("correcting");
  await page.click('input[value="old_address"] + label');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await page.fill('input[name="old_address.street"]', "9 Elm St");
  await Promise.all([page.waitForNavigation(), page.click("text=Send the correction")]);
  body = await page.textContent("main");
  ok(/Postal Service/.test(body) && /Internal Revenue/.test(body) && !/Social Security/.test(body) &&
     !/Veterans Affairs/.test(body), "the old address goes to USPS and the IRS only", body);
  await check("the address correction sent");
  for (const agency of ["usps", "irs"]) {
    const v = await latest(agency, reference);
    ok(v.version === "2" && /old_address\/street|OldAddress\/street/i.test(v.changed), `${agency} gets version 2`, JSON.stringify(v));
  }
  ok((await latest("ssa", reference)).version === "2", "SSA still at version 2");
} catch (e) {
  ok(false, "the way through ran to its end", String(e.stack ?? e));
} finally {
  await browser.close();
}
{
  const files = servedNames.map((n) => path.join(served, n));
  ok(files.length >= 10, "pages were kept for the Nu checker", String(files.length));
  const run = spawnSync("java", ["-jar", require("vnu-jar"), "--errors-only", "--format", "json", ...files],
                        { encoding: "utf8", maxBuffer: 64 << 20 });
  let messages = [];
  try { messages = JSON.parse(run.stderr || "{}").messages ?? []; } catch { ok(false, "vnu output is JSON", run.stderr.slice(0, 500)); }
  for (const name of servedNames) {
    const mine = messages.filter((m) => (m.url ?? "").endsWith("/" + name) && m.type === "error");
    ok(mine.length === 0, `vnu: page ${name} has no errors`, mine.slice(0, 5).map((m) => `${m.lastLine}: ${m.message}`).join("\n  "));
  }
}
await stop();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
