// tests/browser/alternatives_e2e.mjs: rules that apply in one case (`pattern ... if EXPR`,
// docs/dsl.md) on the real server's step page, in Debian's headless Chromium, a suite of
// run.mjs (harness.mjs) in CTest's browser_tests. A server of its own (SQLite), started once
// for the suite: it serves one form of our own (an address whose country decides the postal
// code's pattern and the state's codes):
//   1. with JavaScript on, the page shows only the rules that apply, and follows the country as
//      it changes: no country, the rule for "another country or none"; the United States, the
//      ZIP code's; Canada, Canada's two;
//   2. a postal code that breaks the rule that applies gets that rule's message from the
//      server, with the value kept; the same code under the country it fits moves on;
//   3. with JavaScript off, every rule shows, each saying when it applies;
//   4. axe-core at WCAG 2.2 AA on each page (0 violations), no script error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ok, inCase, openPage, checkPage, startServer } from "./harness.mjs";
import { send, continueButton } from "./fill.mjs";

// ---- the form ---------------------------------------------------------------------------------
const mailing = `form mailing {
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
`;

let base, page, js;

async function fresh(context, withJs) {
  js = withJs;
  page = await openPage(context, { js });
}

const check = (what, status = 200) => checkPage(page, `${what} [JavaScript ${js ? "on" : "off"}]`, { status, errors: "no script errors" });
const next = () => send(page, continueButton);

/// The postal code's rules the page shows now (visible to the citizen), in order.
const shown = () => page.evaluate(() => Array.from(document.querySelectorAll("#f-postal_code-rules [data-askonce-if]"))
  .filter((e) => e.offsetParent !== null).map((e) => e.textContent));
/// The id of the country's radio button for `label`.
const country = (label) => page.click(`label:text-is("${label}")`);

const zip = /Enter a ZIP code such as 12345\./;
const canada = /Enter a postal code such as K1A 0B1\./;
const other = /Enter at most 10 characters\./;

export async function run(t) {
  const forms = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-alternatives-forms-"));
  fs.writeFileSync(path.join(forms, "mailing.form"), mailing);
  const server = await startServer({ binary: t.binary, name: "alternatives", forms });
  base = server.base;
  try {
    let context = await t.browser.newContext();
    await inCase("the rules that apply, JavaScript on", async () => {
      // 1. JavaScript on: the rules that apply, following the country.
      await fresh(context, true);
      const response = await page.goto(`${base}/forms/mailing/steps/where`, { waitUntil: "load" });
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
    });
    await context.close();
    context = await t.browser.newContext();
    await inCase("every rule, JavaScript off", async () => {
      // 3. JavaScript off: every rule shows, each with its condition.
      await fresh(context, false);
      await page.goto(`${base}/forms/mailing/steps/where`, { waitUntil: "load" });
      const rules = await shown();
      // Checks come before patterns, as every channel lists them.
      ok(rules.length === 3 && other.test(rules[0]) && zip.test(rules[1]) && canada.test(rules[2]) && rules.every((r) => /^If /.test(r)),
         "without JavaScript every rule shows, each with when it applies", JSON.stringify(rules));
      await check("the step, no JavaScript");
    });
    await context.close();
  } finally {
    await server.stop();
    fs.rmSync(forms, { recursive: true, force: true });
  }
}
