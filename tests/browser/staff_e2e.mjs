// tests/browser/staff_e2e.mjs: the staff pages in a real browser, run by CTest
// (staff_browser_tests): the real `askonce serve`, accounts made with `askonce staff add`, and
// Debian's headless Chromium (playwright-core). A supervisor signs in with the temporary
// password, sets up (a mistake first: the passwords differ), scans nothing but reads the key
// under the QR code and answers with a TOTP code computed here (RFC 6238, node's crypto), sees
// the recovery codes once, reaches home and the audit log, signs out, and signs in again with a
// wrong code then a right one; an agent is refused the audit log (403). Every staff page, in
// English and Spanish, with axe-core at WCAG 2.2 AA (0 violations), no script error or
// Content-Security-Policy violation, the USWDS styles applied; the Nu HTML Checker (vnu-jar)
// finds no error in any page served.
//
// Usage: node tests/browser/staff_e2e.mjs [PATH TO askonce] (default build/server/askonce).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
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
if (spawnSync("java", ["-version"]).status !== 0) missing.push("java (default-jre-headless)");
if (missing.length) {
  console.log("missing: " + missing.join(", ") + "; run scripts/deps.sh");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// ---- TOTP, as an authenticator app computes it (RFC 6238) ------------------------------------
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = crypto.createHmac("sha1", base32(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1000000).padStart(6, "0");
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-staff-e2e-"));
const db = path.join(work, "askonce.db");
const children = [];
function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}
process.on("exit", stopAll);

function startServer() {
  const child = spawn(binary, ["serve", "--port", "0", "--db", db, "--forms", "forms"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  const lines = readline.createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s:\n${err}`)), 30000);
    child.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${err}`)));
    lines.on("line", (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === "started") {
          clearTimeout(timer);
          resolve(`http://${event.address}`);
        }
      } catch { /* not a log line */ }
    });
  });
}
function addStaff(name, role) {
  return execFileSync(binary, ["staff", "add", name, "--role", role, "--db", db], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

let base;
try {
  base = await startServer();
} catch (e) {
  console.log(String(e.message ?? e));
  console.log("0 passed, 1 failed");
  process.exit(1);
}

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
const served = [];
page.on("response", async (r) => {
  if (r.request().resourceType() !== "document" || r.status() === 303) return;
  const text = await r.text().catch(() => "");
  if (text) served.push({ what: new URL(r.url()).pathname + ` (${r.status()})`, text });
});

async function check(what, status = 200) {
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
async function submit() {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main button[type=submit]")]);
  return response;
}

try {
  const temporary = addStaff("eve", "supervisor");
  ok(/^([a-z2-9]{5}-){3}[a-z2-9]{5}$/.test(temporary), "staff add prints a temporary password", temporary);

  for (const lang of ["es", "en"]) {
    const r = await page.goto(`${base}/staff/sign-in?lang=${lang}`);
    ok(r.status() === 200, `the sign-in page (${lang})`);
    await check(`the sign-in page (${lang})`);
  }
  await page.fill("#name", "eve");
  await page.fill("#password", "not the password");
  let response = await submit();
  ok(response.status() === 401, "a wrong password is refused", `${response.status()} ${await page.textContent("main")} ${JSON.stringify(await response.request().allHeaders())}`);
  ok(await page.inputValue("#name") === "eve", "the name typed is kept");
  await check("the sign-in page with an error", 401);
  await page.fill("#password", temporary);
  response = await submit();
  ok(new URL(page.url()).pathname === "/staff/set-up", "a temporary password leads to set-up", page.url());
  await check("the set-up page");
  ok(await page.locator("main svg[role=img]").count() === 1, "the set-up page draws the QR code as inline SVG");
  const secret = (await page.textContent("#totp-secret")).replace(/\s/g, "");
  const own = "a long passphrase for eve";
  await page.fill("#password", own);
  await page.fill("#confirm", own + "!");
  const now = Math.floor(Date.now() / 1000);
  await page.fill("#code", totp(secret, now));
  response = await submit();
  ok(response.status() === 422 && /not the same/.test(await page.textContent("main")), "passwords that differ are named");
  ok(await page.inputValue("#code") === totp(secret, now), "the code typed is kept");
  await check("the set-up page with an error", 422);
  await page.fill("#password", own);
  await page.fill("#confirm", own);
  response = await submit();
  ok(response.status() === 200 && await page.locator("#recovery-codes li").count() === 10, "set up: ten recovery codes, once");
  await check("the recovery codes");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main a.usa-button")]);
  ok(/signed in as eve/.test(await page.textContent("main")), "home says who is signed in");
  await check("staff home");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main a[href^="/staff/audit"]')]);
  ok(await page.locator("#audit tbody tr").count() >= 3, "the audit log lists the sign-ins and the set-up");
  await check("the audit log");
  await page.goto(`${base}/staff/audit?lang=es`);
  await check("the audit log in Spanish");
  await page.goto(`${base}/staff?lang=es`);
  await check("staff home in Spanish");
  response = await submit();  // Cerrar sesión
  ok(/Cerró la sesión/.test(await page.textContent("main")), "signed out, in Spanish");
  await check("signed out (es)");

  await page.goto(`${base}/staff/sign-in?lang=en`);
  await page.fill("#name", "eve");
  await page.fill("#password", own);
  await submit();
  ok(new URL(page.url()).pathname === "/staff/code", "the password leads to the code", page.url());
  await check("the code page");
  await page.fill("#code", "000000");
  response = await submit();
  ok(response.status() === 401 && await page.inputValue("#code") === "000000", "a wrong code is refused and kept");
  await check("the code page with an error", 401);
  await page.fill("#code", totp(secret, now + 30));
  await submit();
  ok(new URL(page.url()).pathname === "/staff", "a fresh code signs in", page.url());
  await page.goto(`${base}/staff/code?lang=en`);
  ok(new URL(page.url()).pathname === "/staff", "signed in, the code page leads home", page.url());
  response = await submit();  // Sign out
  ok(response.status() === 200 && /You are signed out/.test(await page.textContent("main")), "signed out");

  // An agent cannot open the audit log: a 403 page, not a redirect.
  const agentPassword = addStaff("ana", "agent");
  await page.goto(`${base}/staff/sign-in?lang=en`);
  await page.fill("#name", "ana");
  await page.fill("#password", agentPassword);
  await submit();
  const agentSecret = (await page.textContent("#totp-secret")).replace(/\s/g, "");
  await page.fill("#password", "a long passphrase for ana");
  await page.fill("#confirm", "a long passphrase for ana");
  await page.fill("#code", totp(agentSecret, Math.floor(Date.now() / 1000)));
  await submit();
  response = await page.goto(`${base}/staff/audit?lang=en`);
  ok(response.status() === 403 && /Only supervisors/.test(await page.textContent("main")), "an agent gets a 403 page for the audit log");
  await check("the audit log refused to an agent", 403);

  // The Nu HTML Checker: every page served on the way.
  const pages = served.map((p) => p.what);
  const files = served.map((p, i) => {
    const f = path.join(work, `page-${i}.html`);
    fs.writeFileSync(f, p.text);
    return f;
  });
  const vnu = spawnSync("java", ["-jar", require("vnu-jar"), "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  let messages = [];
  try { messages = JSON.parse(vnu.stderr || "{}").messages ?? []; } catch { ok(false, "vnu output is JSON", vnu.stderr.slice(0, 500)); }
  files.forEach((f, i) => {
    const mine = messages.filter((m) => m.url?.endsWith(path.basename(f)));
    ok(mine.length === 0, `vnu: ${pages[i]} has no errors`, mine.slice(0, 5).map((m) => `${m.lastLine}: ${m.message}`).join("\n  "));
  });
  ok(files.length >= 12, "every page was checked", pages.join(", "));
} catch (e) {
  ok(false, "the way through ran to its end", String(e.stack ?? e));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  stopAll();
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
