// tests/browser/check.mjs: the proof that the web pages are valid and accessible, a suite of
// run.mjs (harness.mjs) in CTest's browser_tests, on the pages render_html_tests keeps as goldens
// (tests/golden/html):
//   1. the Nu HTML Checker (vnu-jar, Java; at the end of the run) reports no errors on any page;
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
// `run.mjs --screenshot FILE` also saves a screenshot of the change-of-address page with errors.
import fs from "node:fs";
import path from "node:path";
import { serve, goldens, runtimeUrl } from "./serve.mjs";
import { ok, inCase, openPage, checkPage, nuKeep, nuKeepFile } from "./harness.mjs";

let base, context;

async function open(name, js) {
  const page = await openPage(context, { js });
  const response = await page.goto(`${base}/pages/${name}`, { waitUntil: "load" });
  return { page, problems: page.problems, status: response.status() };
}

/// One golden page, with its script running or not.
async function goldenPage(name, js) {
  {
    const { page, problems, status } = await open(name, js);
    const what = `${name} (JavaScript ${js ? "on" : "off"})`;
    ok(status === 200, `${what} is served`);
    // axe, no script error or CSP violation; with the script, the USWDS stylesheet and its web
    // fonts, served locally, applied.
    await checkPage(page, what, { font: js });
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

export async function run(t) {
  const pages = fs.readdirSync(goldens).filter((f) => f.endsWith(".html")).sort();
  ok(pages.length >= 8, "there are rendered pages to check", `found ${pages.length}`);
  // ---- 1. the Nu HTML Checker, at the end of the run; it does find errors: a page with a
  // duplicate id and an unlabelled select.
  for (const p of pages) nuKeepFile(path.join(goldens, p), p);
  nuKeep("a broken page", '<!DOCTYPE html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p><select><option></option></select>',
         /Duplicate ID/);

  const server = await serve();
  base = `http://127.0.0.1:${server.address().port}`;
  context = await t.browser.newContext();
  try {
    await cases(pages, t.screenshot);
  } finally {
    await context.close();
    server.close();
  }
}

async function cases(pages, screenshot) {
  await inCase("every golden page, JavaScript on and off", async () => {
    // Two pages at a time: axe runs in each page's renderer, so two use both of CI's cores (each
    // page has focus of its own in headless Chromium).
    {
      const work = pages.flatMap((name) => [[name, true], [name, false]]);
      const worker = async () => { for (let w; (w = work.shift());) await goldenPage(...w); };
      await Promise.all([worker(), worker()]);
    }
  });
  await inCase("showing and hiding", async () => {
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
  });
  await inCase("computed values, live", async () => {
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
  });
  await inCase("the frame without JavaScript", async () => {
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
    if (screenshot) {
      const { page } = await open("change-of-address.en.errors.html", true);
      await page.setViewportSize({ width: 1024, height: 1400 });
      await page.screenshot({ path: screenshot });
      await page.close();
    }
  });
}
