// tests/browser/web_e2e.mjs: a citizen's way through the real server, a suite of run.mjs
// (harness.mjs) in CTest's browser_tests (SQLite) and browser_tests_postgres: the real
// `askonce serve` the suites share, and Debian's headless Chromium. Four journeys through
// change of address: English and Spanish, each with JavaScript on and off, each in a fresh
// browser context (its own cookies):
//   1. the list of forms, the start page, "Start now";
//   2. every step in turn: a mistake on the first step shows only that step's error (the error
//      summary takes focus when JavaScript is on) with every value kept, and its fix moves on;
//      a person added on the repeat's step, focus on their first question; Enter is Continue;
//      the taxes step skipped for a temporary move (English), shown for a permanent one
//      (Spanish), its question depending on an answer of an earlier step;
//   3. check your answers: one answer changed through its Change link, Continue back to check
//      your answers with the new answer shown; the declaration, Submit application;
//   4. the receipt, with its reference number and agencies; Back to check your answers says
//      the application was already sent, and links the same receipt;
//   5. axe-core at WCAG 2.2 AA on every page passed through (0 violations), and no script error
//      or Content-Security-Policy violation on any of them; no page shows an internal id
//      ("change_of_address", "version 1"), and none, with no mail relay configured, speaks of
//      an email outside the questions and answers.
import { ok, inCase, openPage, checkPage } from "./harness.mjs";
import { send as sendOn, continueButton } from "./fill.mjs";

let base, page, js;
let lang = "en";

/// axe on the page, and no script error or CSP violation since the last check; the USWDS
/// stylesheet applied; no internal id shown ("change_of_address", "version 1"); and with no mail
/// relay configured (this server has none), no word of an email outside the questions and the
/// answers (the citizen's address is an answer). `status`: the page's own status when not 2xx.
const check = (what, status = 200) =>
  checkPage(page, `${what} [${lang}, JavaScript ${js ? "on" : "off"}]`,
            { status, font: true, ids: /change_of_address|\bversi[oó]n 1\b/i, noEmail: true });

const send = (selector) => sendOn(page, selector);
const next = () => send(continueButton);
const pathOf = () => new URL(page.url()).pathname;
const caption = async () => (await page.textContent("#step-caption"))?.trim();

const words = {
  en: { step: (n, m) => `Step ${n} of ${m}`, problem: /There is a problem/, ssn: /Social Security number/,
        received: /We received your application/, already: /You already sent this application/,
        ssa: /Social Security Administration: Pending/, usps: /United States Postal Service: Pending/ },
  es: { step: (n, m) => `Paso ${n} de ${m}`, problem: /Hay un problema/, ssn: /Seguro Social/,
        received: /Recibimos su solicitud/, already: /Usted ya envió esta solicitud/,
        ssa: /Administración del Seguro Social: Pendiente/, usps: /Servicio Postal de los Estados Unidos: Pendiente/ },
};

/// What a citizen types on the first two steps (selector: value).
const about = {
  "#f-person-name-first": "Ana",
  "#f-person-name-last": "O'Neil <Ruiz>",
  "#f-person-birth_date-month": "2",
  "#f-person-birth_date-day": "28",
  "#f-person-birth_date-year": "1990",
  "#f-person-ssn": "123-45-678",  // the mistake: eight digits
  "#f-contact-email": "ana@example.org",
};
const move = {
  "#f-old_address-street": "1 Main St",
  "#f-old_address-city": "Springfield",
  "#f-old_address-zip": "62701",
  "#f-new_address-street": "2 Oak Ave",
  "#f-new_address-city": "Austin",
  "#f-new_address-zip": "78701",
  "#f-move_date-month": "4",
  "#f-move_date-day": "15",
  "#f-move_date-year": "2024",
};
const returning = {
  "#f-return_date-month": "10",
  "#f-return_date-day": "1",
  "#f-return_date-year": "2024",
};

/// One journey, from the list of forms to the receipt and Back; its reference number.
async function journey() {
  const query = `?lang=${lang}`;
  // In Spanish the move is permanent: six steps, the taxes step among them, whose question
  // depends on an answer of another step (the runtime reads it from the page's answers).
  const permanent = lang === "es";
  const steps = permanent ? 6 : 5;
  // 1. From the list of forms to the start page, and "Start now".
  let response = await page.goto(`${base}/${query}`, { waitUntil: "load" });
  ok(response.status() === 200, "the list of forms is served");
  await check("the list of forms");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                     page.click(`li[lang="${lang}"] a[href="/forms/change_of_address${query}"]`)]);
  ok(pathOf() === "/forms/change_of_address", "the list leads to the start page", page.url());
  await check("the start page");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                     page.click(`a[href="/forms/change_of_address/steps/about${query}"]`)]);
  ok(pathOf() === "/forms/change_of_address/steps/about", "Start now leads to the first step", page.url());
  ok(await caption() === words[lang].step(1, 5), "step 1 of 5", await caption());
  await check("step 1");

  // 2. The first step, with one mistake: only this step's error, every value kept.
  for (const [selector, value] of Object.entries(about)) await page.fill(selector, value);
  await page.click("label[for=f-contact-preferred_method-1]");  // email
  let status = await next();
  ok(status === 422, "a mistake gets the step again (422)", `status ${status}`);
  if (js) {
    await page.waitForFunction(() => document.activeElement?.id === "error-summary", null, { timeout: 5000 }).catch(() => {});
    ok(await page.evaluate(() => document.activeElement?.id === "error-summary"), "the error summary takes focus");
  }
  const summary = await page.textContent("#error-summary");
  ok(words[lang].problem.test(summary) && words[lang].ssn.test(summary), "the summary names the mistake", summary);
  ok(await page.locator("#error-summary li").count() === 1, "only this step's error is listed", summary);
  ok(await page.getAttribute("#f-person-ssn", "aria-invalid") === "true", "the field with the mistake is marked invalid");
  for (const [selector, value] of Object.entries(about)) {
    ok(await page.inputValue(selector) === value, `kept: ${selector}`, await page.inputValue(selector));
  }
  ok(await page.isChecked("#f-contact-preferred_method-1"), "kept: the choice");
  await check("step 1 with its error", 422);
  await page.fill("#f-person-ssn", "123-45-6789");
  status = await next();
  ok(status === 303 && pathOf() === "/forms/change_of_address/steps/move", "the fix moves on to step 2", `${status} ${page.url()}`);
  ok(await caption() === words[lang].step(2, 5), "step 2 of 5", await caption());
  await check("step 2");

  // Step 2: the move. With JavaScript, the return date shows once "temporary" is chosen.
  if (js) ok(!(await page.isVisible("#f-return_date-month")), "the return date waits for its question");
  if (permanent) {
    await page.click("label[for=f-kind-1]");
    if (js) ok(!(await page.isVisible("#f-return_date-month")), "a permanent move has no return date");
  } else {
    await page.click("label[for=f-kind-2]");  // temporary
    ok(await page.isVisible("#f-return_date-month"), "the return date is asked");
    for (const [selector, value] of Object.entries(returning)) await page.fill(selector, value);
  }
  for (const [selector, value] of Object.entries(move)) await page.fill(selector, value);
  await page.selectOption("#f-old_address-state", "IL");
  await page.selectOption("#f-new_address-state", "TX");
  status = await next();
  ok(status === 303 && pathOf() === "/forms/change_of_address/steps/benefits", "step 2 done: step 3", `${status} ${page.url()}`);
  await check("step 3");

  // Step 3: benefits and mail.
  await page.click("label[for=f-veteran-no]");
  await page.click("label[for=f-forward_mail-yes]");
  await page.click("label[for=f-usps_move_type-2]");
  status = await next();
  if (permanent) {
    ok(status === 303 && pathOf() === "/forms/change_of_address/steps/taxes", "step 3 done: a permanent move's taxes",
       `${status} ${page.url()}`);
    // The count grew when "permanent" showed this step.
    ok(await caption() === words[lang].step(4, steps), "step 4 of 6", await caption());
    // Its question depends on "permanent", answered on step 2: shown, JavaScript or not.
    ok(await page.isVisible("#f-filed_jointly-no"), "the joint-return question is shown");
    await check("the taxes step");
    await page.click("label[for=f-filed_jointly-no]");
    if (js) ok(!(await page.isVisible("#f-spouse_ssn")), "no spouse's questions after No");
    status = await next();
  }
  // A temporary move: the taxes step is skipped.
  ok(status === 303 && pathOf() === "/forms/change_of_address/steps/others",
     permanent ? "the taxes step done: the people moving" : "step 3 done: taxes skipped, step 4", `${status} ${page.url()}`);
  ok(await caption() === words[lang].step(steps - 1, steps), "the people moving", await caption());
  await check("the people moving");

  // Step 4: a person added; focus lands on their first question, JavaScript or not.
  status = await send('button[name="askonce:add"][value="household"]');
  ok(status === 303, "Add saves and shows the step again", `status ${status}`);
  ok(new URL(page.url()).searchParams.get("focus") === "household[0]", "the address names the new entry", page.url());
  await page.waitForFunction(() => document.activeElement?.id === "f-household-0-full_name", null, { timeout: 5000 }).catch(() => {});
  ok(await page.evaluate(() => document.activeElement?.id) === "f-household-0-full_name",
     "focus is on the new person's first question", await page.evaluate(() => document.activeElement?.id));
  await check("step 4 after Add");
  await page.fill("#f-household-0-full_name", "Luis Ruiz");
  await page.fill("#f-household-0-birth_date-month", "7");
  await page.fill("#f-household-0-birth_date-day", "4");
  await page.fill("#f-household-0-birth_date-year", "2015");
  // Enter in a text field is Continue; it must not press Add or Remove.
  await page.focus("#f-household-0-full_name");
  const [entered] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.keyboard.press("Enter"),
  ]);
  ok(entered.status() === 303 && pathOf() === "/forms/change_of_address/steps/declaration",
     "Enter is Continue: the declaration's step", `${entered.status()} ${page.url()}`);
  await check("the last step");

  // Step 5: the signature; the declaration's box is on check your answers.
  ok(await page.locator("#f-truthful").count() === 0, "the declaration is not on its step");
  await page.fill("#f-signature", "Ana O'Neil");
  status = await next();
  ok(status === 303 && pathOf() === "/forms/change_of_address/check", "step 5 done: check your answers", `${status} ${page.url()}`);
  let body = await page.textContent("main");
  ok(/Luis Ruiz/.test(body) && /O'Neil <Ruiz>/.test(body) && /2 Oak Ave/.test(body), "check your answers shows the answers");
  await check("check your answers");

  // 3. Change one answer and come back.
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                     page.click('a[href*="/steps/move?return=check"][href$="#f-new_address-street"]')]);
  ok(pathOf() === "/forms/change_of_address/steps/move", "Change opens the question's step", page.url());
  ok(await page.evaluate(() => document.activeElement?.id) === "f-new_address-street" ||
     new URL(page.url()).hash === "#f-new_address-street", "at the question", page.url());
  ok(await page.inputValue("#f-new_address-street") === "2 Oak Ave", "with the answer given");
  await check("a step opened from check your answers");
  await page.fill("#f-new_address-street", "3 Elm St");
  status = await next();
  ok(status === 303 && pathOf() === "/forms/change_of_address/check", "Continue comes back to check your answers",
     `${status} ${page.url()}`);
  body = await page.textContent("main");
  ok(/3 Elm St/.test(body) && !/2 Oak Ave/.test(body), "the change is shown");

  // The declaration and Submit application: the one post that sends it.
  await page.click("label[for=f-truthful]");  // USWDS draws the box on the label
  status = await send('button[name="askonce:confirm"]');
  const url = new URL(page.url());
  ok(status === 303, "Submit application is accepted (303 to the receipt)", `status ${status}`);
  ok(/^\/receipts\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/.test(url.pathname) && url.searchParams.get("key")?.length > 20,
     "the browser lands on the receipt", page.url());
  const reference = url.pathname.split("/").pop();
  const shown = (await page.textContent(".usa-summary-box__text .font-mono-lg"))?.trim();
  ok(shown === reference, "the receipt shows the reference number", `${shown} vs ${reference}`);
  body = await page.textContent("main");
  ok(words[lang].received.test(body), "the receipt says the application was received");
  ok(words[lang].ssa.test(body) && words[lang].usps.test(body), "the receipt lists the agencies and their deliveries", body);
  ok(/Servicio de Impuestos Internos|Internal Revenue Service/.test(body) === permanent,
     permanent ? "a permanent move goes to the IRS too" : "a temporary one does not", body);
  // The receipt's address holds its key (history, bookmarks): it shows no answer; they are
  // behind what only the citizen knows.
  ok(!/Luis Ruiz|O'Neil|3 Elm St/.test(body), "the receipt shows no answer");
  await check("the receipt");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main a[href*="/answers?key="]')]);
  await check("the questions before the answers");
  await page.fill('[name="known0.month"]', "2");
  await page.fill('[name="known0.day"]', "28");
  await page.fill('[name="known0.year"]', "1990");
  await page.fill('[name="known1"]', "6789");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("main button[type=submit]")]);
  body = await page.textContent("main");
  ok(/Luis Ruiz/.test(body) && /O'Neil <Ruiz>/.test(body) && /3 Elm St/.test(body), "with them, the receipt shows the answers, as typed", body.slice(0, 600));
  await check("the receipt with its answers");
  // The PDF is posted for, with the same answers (a form on the page), never linked.
  const pdfForm = await page.evaluate(() => {
    const f = document.querySelector('main form[action*=".pdf?key="]');
    return f && { action: f.getAttribute("action"), fields: Object.fromEntries(new FormData(f)) };
  });
  ok(pdfForm !== null, "the receipt offers its PDF");
  if (pdfForm) {
    const r = await page.request.post(base + pdfForm.action, { form: pdfForm.fields, headers: { Origin: base } });
    ok(r.status() === 200 && (await r.body()).subarray(0, 4).toString() === "%PDF", "the PDF receipt is served");
  }
  await page.goBack({ waitUntil: "load" });
  await page.goBack({ waitUntil: "load" });

  // 4. Back: the application was already sent, and here is its receipt.
  response = await page.goBack({ waitUntil: "load" });
  ok(pathOf() === "/forms/change_of_address/check", "Back goes to check your answers", page.url());
  ok(response?.status() === 409, "which is asked for again: already sent (409)", String(response?.status()));
  body = await page.textContent("main");
  ok(words[lang].already.test(body), "it says the application was already sent", body);
  const again = await page.getAttribute("main a.usa-button", "href");
  ok(again === url.pathname + url.search, "and links the same receipt", again);
  await check("already sent", 409);
  return reference;
}

export async function run(t) {
  base = (await t.server()).base;
  const references = new Set();
  for (const l of ["en", "es"]) {
    for (const withJs of [true, false]) {
      lang = l;
      js = withJs;
      // One journey's page, in a context of its own (fresh cookies).
      const context = await t.browser.newContext();
      await inCase(`change of address [${lang}, JavaScript ${js ? "on" : "off"}]`, async () => {
        page = await openPage(context, { js });
        try {
          references.add(await journey());
        } catch (e) {
          ok(false, `the way through ran to its end [${lang}, JavaScript ${js ? "on" : "off"}]`, String(e.stack ?? e));
        }
      });
      await context.close();
    }
  }
  ok(references.size === 4, "four journeys, four applications", [...references].join(" "));
}
