// tests/browser/staff_e2e.mjs: the staff pages in a real browser, a suite of run.mjs
// (harness.mjs) in CTest's browser_tests: the real `askonce serve` the suites share (SQLite),
// accounts made with `askonce staff add`, and the run's headless Chromium. A supervisor signs in with the temporary
// password, sets up (a mistake first: the passwords differ), scans nothing but reads the key
// under the QR code and answers with a TOTP code computed here (RFC 6238, node's crypto), sees
// the recovery codes once, reaches home and the audit log, signs out, and signs in again with a
// wrong code then a right one; an agent is refused the audit log (403). The agent keys a phone
// application (a mistyped SSN caught on its step and fixed, the read-back, the declaration as
// confirmed by phone, the reference); a clerk finds the printing by the code pdftotext reads off
// the served paper form, keys a mailed application with its arrival day (one in the future
// refused), and reaches neither the agent's draft nor the agent's application; the supervisor
// reads both in the audit log; without a session a staff page leads to sign-in. Every staff page, in
// English and Spanish, with axe-core at WCAG 2.2 AA (0 violations), no script error or
// Content-Security-Policy violation, the USWDS styles applied; the Nu HTML Checker (vnu-jar)
// finds no error in any page served (at the end of the run).
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { root, ok, inCase, openPage, checkPage, nuKept } from "./harness.mjs";
import { sample, send, fill, continueButton } from "./fill.mjs";

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

let server, base, context, page;

function addStaff(name, role) {
  return server.askonce(["staff", "add", name, "--role", role]).trim();
}
/// A new agent `name`, made with `staff add`, signed in with the temporary password and set up.
async function newAgent(name) {
  const temporary = addStaff(name, "agent");
  await page.goto(`${base}/staff/sign-in?lang=en`);
  await page.fill("#name", name);
  await page.fill("#password", temporary);
  await submit();
  const secret = (await page.textContent("#totp-secret")).replace(/\s/g, "");
  await page.fill("#password", `a long passphrase for ${name}`);
  await page.fill("#confirm", `a long passphrase for ${name}`);
  await page.fill("#code", totp(secret, Math.floor(Date.now() / 1000)));
  await submit();
}
const check = (what, status = 200) => checkPage(page, what, { status, font: true });
async function submit() {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main button[type=submit]")]);
  return response;
}

export async function run(t) {
  server = await t.server();
  base = server.base;
  context = await t.browser.newContext();
  // Every page as the server sent it is kept for the Nu HTML Checker at the end of the run.
  page = await openPage(context, { keep: "staff" });
  try {
    await inCase("sign-in, set-up, keying by phone and by mail, the audit log", staff);
  } finally {
    await context.close();
  }
  const kept = await nuKept();
  ok(kept >= 25, "every page was checked", String(kept));
}

async function staff() {
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
  await newAgent("ana");
  response = await page.goto(`${base}/staff/audit?lang=en`);
  ok(response.status() === 403 && /Only supervisors/.test(await page.textContent("main")), "an agent gets a 403 page for the audit log");
  await check("the audit log refused to an agent", 403);

  // ---- Keying: an agent keys a phone application --------------------------------------------
  // A mistake caught on its step and fixed, the read-back, the declaration as confirmed by
  // phone, the reference on the spot. Every page checked with axe (and, below, Nu).
  const coa = sample(root, "change-of-address");
  const mainText = async () => (await page.textContent("main")) ?? "";
  await page.goto(`${base}/staff?lang=en`);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main a[href^="/staff/key"]')]);
  ok(new URL(page.url()).pathname === "/staff/key", "home leads to keying", page.url());
  await check("the keying start page");
  ok(await send(page, "main form button[type=submit]") === 422 && /Choose how the application came in/.test(await mainText()),
     "starting with nothing chosen names what is missing");
  await check("the keying start page with errors", 422);
  const choose = async (name, value) => page.click(`input[name="${name}"][value="${value}"] + label`);
  await choose("channel", "phone");
  await choose("form", "change_of_address");
  await choose("language", "en");
  ok(await send(page, "main form button[type=submit]") === 303, "a phone application starts");
  const anaDraft = page.url();
  ok(/\/staff\/key\/[A-Za-z0-9_-]+\/steps\/about$/.test(anaDraft), "on its first step", anaDraft);
  ok(/Application by phone, keyed by ana/.test(await mainText()) && /Ask/.test(await mainText()),
     "the step says who keys it, in the agent's words");
  await check("a keying step in the agent's words");
  await fill(page, coa.map(([n, v]) => [n, n === "person.ssn" ? "123-45-678" : v]));
  ok(await send(page, continueButton) === 422, "a mistyped Social Security number is caught on its step");
  ok(await page.locator(".usa-error-message").count() > 0 && await page.inputValue('[name="person.ssn"]') === "123-45-678",
     "the error is shown with what was typed");
  await check("a keying step with an error", 422);
  await fill(page, coa);
  for (let i = 0; i < 10 && !page.url().endsWith("/check"); ++i) {
    ok(await send(page, continueButton) === 303, `Continue from ${new URL(page.url()).pathname}`);
    if (page.url().endsWith("/check")) break;
    await check(`keying step ${new URL(page.url()).pathname.split("/").pop()}`);
    await fill(page, coa);
  }
  ok(page.url().endsWith("/check"), "the read-back follows the last step", page.url());
  ok(/Read: Before I send your application/.test(await mainText()) && /ending in 6789/.test(await mainText()) &&
     !/123-45-6789/.test(await mainText()), "the read-back, the SSN masked");
  ok(/The caller confirmed this statement to me, ana, by phone\./.test(await mainText()), "the declaration as confirmed by phone");
  await check("the read-back");
  await page.click('input[name="truthful"] + label');
  ok(await send(page, 'main button[name="askonce:confirm"]') === 303, "sent");
  const phoneRef = (await page.textContent("#reference"))?.trim() ?? "";
  ok(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/.test(phoneRef) &&
     (await page.textContent("#read-reference"))?.includes(phoneRef), "the reference, to read out on the spot", phoneRef);
  await check("the keyed application");
  const anaApplication = page.url();
  await page.goto(`${base}/staff?lang=en`);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main button[type=submit]')]);

  // ---- A clerk keys a mailed paper application -----------------------------------------------
  await newAgent("cy");
  // Another member's draft and application are not there for this one.
  ok((await page.goto(anaDraft)).status() === 404, "a clerk cannot open another agent's draft");
  ok((await page.goto(anaApplication)).status() === 404, "nor the application another agent keyed");
  page.problems.length = 0;  // the two 404s just asked for
  // The code printed on the paper form's pages, as pdftotext reads it from the served PDF.
  const pdf = path.join(server.work, "coa.pdf");
  fs.writeFileSync(pdf, Buffer.from(await (await fetch(`${base}/forms/change_of_address.pdf?lang=en`)).arrayBuffer()));
  const code = /askonce:change_of_address:\d+:[0-9a-f]{12}:2/.exec(execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }))?.[0];
  ok(!!code, "the paper form prints its page code", code);
  await page.goto(`${base}/staff/paper?lang=en&code=${encodeURIComponent(code)}`);
  ok(/Page 2 of/.test(await mainText()) && /This is the current printing/.test(await mainText()), "the console names the printing");
  await check("a printed form found by its code");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main a[href^="/staff/key"].usa-button')]);
  ok(await page.inputValue("#code") === code, "keying from the printing fills in its code");
  await choose("language", "en");
  const future = new Date(Date.now() + 3 * 86400000);
  await page.fill("#arrived-month", String(future.getUTCMonth() + 1));
  await page.fill("#arrived-day", String(future.getUTCDate()));
  await page.fill("#arrived-year", String(future.getUTCFullYear()));
  ok(await send(page, "main form button[type=submit]") === 422 && /cannot be in the future/.test(await mainText()),
     "an arrival in the future is refused");
  ok(await page.inputValue("#arrived-year") === String(future.getUTCFullYear()), "the day typed is kept");
  await check("the keying start page with an arrival in the future", 422);
  const arrived = new Date(Date.now() - 2 * 86400000);
  await page.fill("#arrived-month", String(arrived.getUTCMonth() + 1));
  await page.fill("#arrived-day", String(arrived.getUTCDate()));
  await page.fill("#arrived-year", String(arrived.getUTCFullYear()));
  ok(await send(page, "main form button[type=submit]") === 303, "a mailed application starts");
  ok(/Application by mail, received/.test(await mainText()) && !/Ask:/.test(await mainText()), "in the paper's own words");
  await check("a keying step for mail");
  await fill(page, coa);
  for (let i = 0; i < 10 && !page.url().endsWith("/check"); ++i) {
    await send(page, continueButton);
    if (page.url().endsWith("/check")) break;
    await fill(page, coa);
  }
  ok(/The applicant signed this statement on the paper form, received/.test(await mainText()), "the declaration as signed on paper");
  await check("the read-back for mail");
  await page.click('input[name="truthful"] + label');
  ok(await send(page, 'main button[name="askonce:confirm"]') === 303, "the mailed application is sent");
  const mailRef = (await page.textContent("#reference"))?.trim() ?? "";
  ok(/By mail/.test(await mainText()), "keyed by mail", await mainText());
  await page.goto(`${base}/staff/key?lang=es`);
  ok(/Registrar una solicitud/.test(await mainText()), "the keying start page in Spanish");
  await check("the keying start page (es)");
  await page.goto(`${base}/staff/paper?lang=es&code=${encodeURIComponent(code)}`);
  await check("a printed form found by its code (es)");

  await page.goto(`${base}/staff?lang=en`);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main button[type=submit]')]);

  // ---- A supervisor reads the audit log; a citizen reaches no staff page ----------------------
  await page.goto(`${base}/staff/sign-in?lang=en`);
  await page.fill("#name", "eve");
  await page.fill("#password", own);
  await submit();
  // A code of a later step than any used before (each is accepted once).
  while (Math.floor(Date.now() / 1000 / 30) + 1 < Math.floor((now + 60) / 30)) await new Promise((r) => setTimeout(r, 1000));
  await page.fill("#code", totp(secret, Math.max(now + 60, Math.floor(Date.now() / 1000))));
  await submit();
  await page.goto(`${base}/staff/audit?lang=en`);
  const audit = await page.textContent("#audit");
  ok(audit.includes(phoneRef) && audit.includes(mailRef) && /keyed/.test(audit) && /opened/.test(audit),
     "the audit log lists both applications keyed, and opened", audit.slice(0, 800));
  ok(!/Ruiz|6789/.test(audit), "no answer in the audit log");
  await check("the audit log with keyed applications");
  const cookies = await context.cookies();
  await context.clearCookies();
  response = await page.goto(`${base}/staff/key?lang=en`);
  ok(new URL(page.url()).pathname === "/staff/sign-in", "without a session, a staff page leads to sign-in", page.url());
  await context.addCookies(cookies);
}
