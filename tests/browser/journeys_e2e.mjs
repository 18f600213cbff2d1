// tests/browser/journeys_e2e.mjs: every shipped form's web journey through the real server, a
// suite of run.mjs (harness.mjs) in CTest's browser_tests and browser_tests_postgres: the real
// `askonce serve` the suites share (no mail relay) and the run's one headless Chromium, each
// journey in a browser context of its own.
//   1. Every shipped form but change of address (web_e2e.mjs walks that one in detail), in
//      English with JavaScript on and in Spanish with it off: the start page, "Start now", every
//      step filled in by a filler driven by the page's own inputs and the form's valid sample
//      (tests/samples/<stem>.tsv; a repeat's entries added with its Add button), a mistake on the
//      first step (its first answer left out: 422, the error summary names it, every other value
//      kept) and its fix, check your answers, one answer changed through its Change link and
//      back, the declaration, Submit application, the receipt with its reference and agencies;
//      Back to check your answers (already sent, 409); a second draft deleted ("Delete my
//      answers": the deleted page).
//   2. Change of address, what web_e2e.mjs does not do: the whole form by keyboard alone (Tab,
//      Shift+Tab, Space, Enter, arrow keys within a radio group, and typing; no click); a double
//      click on Submit application, and two tabs submitting the same draft: one application
//      stored each time, counted through the agency API (SSA receives every change of address).
//   3. On every page passed through: axe-core at WCAG 2.2 AA (0 violations), no script error or
//      Content-Security-Policy violation, no internal id ("change_of_address", "version 1"),
//      and, with no relay configured, no word of an email outside the questions and answers
//      (the citizen's own email address is an answer, not a promise). Every page's HTML as served
//      is kept and checked by the Nu HTML Checker (vnu-jar) at the end of the run: 0 errors.
// On PostgreSQL (browser_tests_postgres) it runs what the store does differently: one journey per form
// (English, JavaScript on), the double click and the two tabs.
import fs from "node:fs";
import path from "node:path";
import { root, ok, inCase, openPage, checkPage, nuKept } from "./harness.mjs";
import { sample as sampleOf, send, controls, fill as fillStep, continueButton } from "./fill.mjs";

const sample = (stem) => sampleOf(root, stem);

/// The shipped forms: forms/*.form, with their id (the `form` line) and their agencies.
const forms = fs.readdirSync(path.join(root, "forms")).filter((f) => f.endsWith(".form")).sort().map((file) => {
  const text = fs.readFileSync(path.join(root, "forms", file), "utf8");
  return { stem: file.slice(0, -5), id: /^form\s+([a-z0-9_]+)/m.exec(text)[1],
           agencies: [...text.matchAll(/^\s*agency\s+[a-z0-9_]+\s+"([^"]*)"\s+es\s+"([^"]*)"/gm)].map((m) => ({ en: m[1], es: m[2] })) };
});

let base, ssaToken, browser;

/// How many change-of-address applications SSA can pull: every one stored.
async function storedCount() {
  let count = 0, after = "";
  for (;;) {
    const r = await fetch(`${base}/api/v1/agencies/ssa/submissions?limit=500${after ? "&after=" + encodeURIComponent(after) : ""}`,
                          { headers: { Authorization: "Bearer " + ssaToken } });
    const page = await r.json();
    count += page.items.length;
    if (page.items.length === 0) return count;
    after = page.next_cursor;
  }
}

let checking = 0;  // milliseconds spent in Journey.check (axe and the page's words), reported
/// The internal ids no page may show: the forms' ids that are not words, and "version 1".
const ids = new RegExp(`${forms.map((f) => f.id).filter((id) => id.includes("_") || /\d/.test(id)).join("|")}|\\bversi[oó]n 1\\b`, "i");

/// One journey: a context of its own (fresh cookies), its language and JavaScript on or off.
class Journey {
  constructor(lang, js, what) {
    this.lang = lang;
    this.js = js;
    this.what = what;
  }
  async open() {
    this.context = await browser.newContext();
    this.page = await this.tab();
    return this;
  }
  /// A page in this journey's context (a second tab shares its cookies); every page's HTML as
  /// served is kept for the Nu checker.
  tab() { return openPage(this.context, { js: this.js, keep: this.what }); }
  async close() { await this.context.close(); }
  label(what) { return `${this.what}: ${what} [${this.lang}, JavaScript ${this.js ? "on" : "off"}]`; }

  /// axe, no script error, no internal id and no email promised, on the page now shown.
  async check(what, status = 200, page = this.page) {
    const t = Date.now();
    await checkPage(page, this.label(what), { status, ids, noEmail: true });
    checking += Date.now() - t;
  }
}
const pathOf = (page) => new URL(page.url()).pathname;
/// Fills the step now shown (fill.mjs), each Add checked.
const fill = (page, answers, skip = null) =>
  fillStep(page, answers, skip, (status, repeat) => ok(status === 303, `Add ${repeat} saves and shows the step again`));

/// One form's journey, from the list of forms to the receipt, Back, and a deleted draft.
async function journey(form, lang, js) {
  const j = await new Journey(lang, js, form.stem).open();
  const page = j.page;
  const answers = sample(form.stem);
  const query = `?lang=${lang}`;
  try {
    let response = await page.goto(`${base}/${query}`, { waitUntil: "load" });
    ok(response.status() === 200, j.label("the list of forms is served"));
    if (form === forms.find((f) => f.stem !== "change-of-address")) await j.check("the list of forms");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }),
                       page.click(`li[lang="${lang}"] a[href="/forms/${form.id}${query}"]`)]);
    ok(pathOf(page) === `/forms/${form.id}`, j.label("the list leads to the start page"), page.url());
    await j.check("the start page");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("a.usa-button--big")]);
    ok(pathOf(page).startsWith(`/forms/${form.id}/steps/`), j.label("Start now leads to the first step"), page.url());

    // The first step, its first answer left out: only that mistake, every other value kept.
    const first = pathOf(page);
    const firstName = (await controls(page)).find((c) => answers.some(([n]) => n === c.name))?.name;
    ok(firstName !== undefined, j.label("the sample answers the first step"));
    await j.check("step 1");
    const given = await fill(page, answers, firstName);
    const before = await controls(page);
    let status = await send(page, continueButton);
    ok(status === 422 && pathOf(page) === first, j.label("a missing answer gets the step again (422)"), `${status} ${page.url()}`);
    if (js) {
      await page.waitForFunction(() => document.activeElement?.id === "error-summary", null, { timeout: 5000 }).catch(() => {});
      ok(await page.evaluate(() => document.activeElement?.id === "error-summary"), j.label("the error summary takes focus"));
    }
    const links = await page.$$eval("#error-summary a", (as) => as.map((a) => a.getAttribute("href")));
    const firstId = before.find((c) => c.name === firstName).id;
    ok(links.length === 1 && firstId.startsWith(links[0].slice(1)), j.label("the summary links the one answer left out"),
       `${links.join(" ")} vs ${firstId}`);
    const after = await controls(page);
    for (const c of before.filter((c) => given.has(c.name))) {
      const now = after.find((a) => a.id === c.id);
      if (!ok(now && now.value === c.value && now.checked === c.checked, j.label(`kept: ${c.name}`), JSON.stringify([c, now]))) break;
    }
    await j.check("step 1 with its error", 422);
    await fill(page, answers);
    status = await send(page, continueButton);
    ok(status === 303 && pathOf(page) !== first, j.label("the fix moves on"), `${status} ${page.url()}`);

    // Every other step, as the server leads: until check your answers.
    const caption = async () => (await page.textContent("#step-caption"))?.trim() ?? "";
    let steps = 1;
    while (pathOf(page).startsWith(`/forms/${form.id}/steps/`) && steps < 30) {
      ++steps;
      const where = pathOf(page);
      ok(new RegExp(lang === "en" ? `^Step ${steps} of \\d+$` : `^Paso ${steps} de \\d+$`).test(await caption()),
         j.label(`${where} is step ${steps}`), await caption());
      await j.check(`step ${steps} (${where.split("/").pop()})`);
      await fill(page, answers);
      status = await send(page, continueButton);
      ok(status === 303 && pathOf(page) !== where, j.label(`${where} done`), `${status} ${page.url()}`);
    }
    ok(pathOf(page) === `/forms/${form.id}/check`, j.label("the last step leads to check your answers"), page.url());
    await j.check("check your answers");

    // Change one answer: a name's first part (plain letters) through its Change link, and back.
    const change = await page.$$eval('a[href*="?return=check"]', (as) => as.map((a) => a.getAttribute("href")));
    const target = change.map((href) => ({ href, id: href.split("#")[1] ?? "" }))
      .find(({ id }) => /-first(_name)?$/.test(id));
    if (ok(target !== undefined, j.label("there is a Change link for a first name"), change.slice(0, 5).join(" "))) {
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(`a[href="${target.href}"]`)]);
      ok(pathOf(page).startsWith(`/forms/${form.id}/steps/`), j.label("Change opens the question's step"), page.url());
      await j.check("a step opened from check your answers");
      await page.fill(`#${target.id}`, "Zoe Q");
      status = await send(page, continueButton);
      ok(status === 303 && pathOf(page) === `/forms/${form.id}/check`, j.label("Continue comes back to check your answers"),
         `${status} ${page.url()}`);
      ok(/Zoe Q/.test(await page.textContent("main")), j.label("the changed answer is shown"));
    }

    // The declaration (every box on the page) and Submit application.
    for (const c of await controls(page)) {
      if (c.type === "checkbox" && !c.checked) await page.click(`label[for="${c.id}"]`);
    }
    status = await send(page, 'button[name="askonce:confirm"]');
    const url = new URL(page.url());
    ok(status === 303 && /^\/receipts\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}$/.test(url.pathname), j.label("Submit application leads to the receipt"),
       `${status} ${page.url()}`);
    const reference = url.pathname.split("/").pop();
    const body = await page.textContent("main");
    ok(body.includes(reference), j.label("the receipt shows its reference number"));
    ok(form.agencies.some((a) => body.includes(a[lang])), j.label("the receipt names an agency that receives it"), body.slice(0, 300));
    ok(!/Zoe Q/.test(body) && /\/answers\?key=/.test(await page.content()),
       j.label("the receipt shows no answer, and leads to them behind what only the citizen knows"));
    await j.check("the receipt");

    // Back: already sent.
    response = await page.goBack({ waitUntil: "load" });
    ok(response?.status() === 409 && pathOf(page) === `/forms/${form.id}/check`, j.label("Back to check your answers: already sent (409)"),
       `${response?.status()} ${page.url()}`);
    ok(await page.getAttribute("main a.usa-button", "href") === url.pathname + url.search, j.label("it links the same receipt"));
    await j.check("already sent", 409);

    // A second draft, deleted.
    await page.goto(`${base}${first}${query}`, { waitUntil: "load" });
    await fill(page, answers);
    status = await send(page, continueButton);
    ok(status === 303, j.label("a second draft is started"), String(status));
    status = await send(page, `form[action^="/forms/${form.id}/delete"] button`);
    ok(status === 303 || status === 200, j.label("Delete my answers is accepted"), String(status));
    await j.check("your answers were deleted");
    await page.goto(`${base}${first}${query}`, { waitUntil: "load" });
    const left = (await controls(page)).filter((c) => (c.type === "radio" || c.type === "checkbox") ? c.checked : c.value !== "" && c.type !== "select");
    ok(left.length === 0, j.label("after Delete my answers, the first step is blank"), JSON.stringify(left.slice(0, 3)));

    // Ask once: from the receipt, start the change of address with the answers they share (the
    // contact block), behind what only the citizen knows.
    if (form.stem === "benefits") await startAnother(j, url.pathname + url.search, lang);
  } catch (e) {
    ok(false, j.label("the journey ran to its end"), String(e.stack ?? e));
  }
  await j.close();
}

/// From the benefits receipt at `receipt`: "Start another form with these answers", the change of
/// address chosen, a wrong answer to what only the citizen knows, then the right one (the
/// benefits sample's date of birth and the last 4 digits of its SSN), and the new form's
/// contact step holds the carried answer (how to contact: mail), tagged on check your answers.
async function startAnother(j, receipt, lang) {
  const page = j.page;
  await page.goto(`${base}${receipt}`, { waitUntil: "load" });
  const offer = await page.getAttribute('main a[href*="/reuse?key="]', "href").catch(() => null);
  if (!ok(offer !== null, j.label("the receipt offers to start another form with these answers"))) return;
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('main a[href*="/reuse?key="]')]);
  await j.check("start another form: the forms that take these answers");
  // One form per offered form, each with its own button.
  const choice = 'main form:has(input[name="to"][value="change_of_address"]) button[type=submit]';
  if (!ok(await page.$(choice) !== null, j.label("the change of address is offered"))) return;
  let status = await send(page, choice);
  ok(status === 200 && /\/reuse/.test(pathOf(page)), j.label("choosing asks what only the citizen knows"), `${status} ${page.url()}`);
  await j.check("start another form: what only you know");
  const known = [["known0.month", "1"], ["known0.day", "1"], ["known0.year", "1990"]];
  await fill(page, [...known, ["known1", "1111"]]);
  status = await send(page, 'main form:has(input[name="askonce:check"]) button[type=submit]');
  ok(status === 422, j.label("a wrong answer is refused (422)"), String(status));
  await j.check("start another form: a wrong answer", 422);
  await fill(page, [...known, ["known1", "6789"]]);
  status = await send(page, 'main form:has(input[name="askonce:check"]) button[type=submit]');
  ok(status === 303 && pathOf(page).startsWith("/forms/change_of_address/steps/"), j.label("the right answers start the new form"),
     `${status} ${page.url()}`);
  // The first step holds the contact block: the carried answer is there, checked.
  if (pathOf(page) !== "/forms/change_of_address/steps/about") {
    await page.goto(`${base}/forms/change_of_address/steps/about?lang=${lang}`, { waitUntil: "load" });
  }
  await j.check("the new form's first step, with the carried answer");
  const found = (await controls(page)).some((c) => c.name === "contact.preferred_method" && c.value === "mail" && c.checked);
  ok(found, j.label("the new form's contact step has the carried answer"), page.url());
  // The rest of the form from the change of address sample, the carried answer left as it is,
  // to check your answers.
  const rest = sample("change-of-address");
  for (let i = 0; i < 12 && pathOf(page).startsWith("/forms/change_of_address/steps/"); ++i) {
    const where = pathOf(page);
    await fill(page, rest, "contact.preferred_method");
    const status = await send(page, continueButton);
    if (!ok(status === 303 && pathOf(page) !== where, j.label(`the new form's ${where} done`), `${status} ${page.url()}`)) return;
  }
  ok(pathOf(page) === "/forms/change_of_address/check", j.label("the new form reaches check your answers"), page.url());
  await j.check("the new form's check your answers, with the carried answer");
  const tagged = lang === "en" ? /From your earlier application/ : /De su solicitud anterior/;
  ok(tagged.test(await page.textContent("main")), j.label("check your answers tags the carried answer"), page.url());
}

// ---- change of address: by keyboard alone ------------------------------------------------------

/// The whole change of address with the keyboard: Tab through each page; at a control with an
/// answer, type it (a text box, a select by its option's words), Space (a checkbox, the first
/// radio of a group) or arrow keys to the answer's radio; Enter on Add while an entry is
/// missing, and on Continue (or Submit application) at the end of the page.
async function keyboardJourney(lang) {
  const j = await new Journey(lang, true, "change-of-address by keyboard").open();
  const page = j.page;
  const answers = sample("change-of-address");
  try {
    await page.goto(`${base}/forms/change_of_address?lang=${lang}`, { waitUntil: "load" });
    await j.check("the start page");
    // To "Start now" by Tab, and Enter.
    for (let i = 0; i < 60; ++i) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.classList.contains("usa-button--big"))) break;
    }
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
    let pages = 0;
    while (/\/forms\/change_of_address\/(steps\/|check)/.test(pathOf(page)) && pages++ < 15) {
      const where = pathOf(page);
      await j.check(`${where.split("/").pop()} (keyboard)`);
      const onCheck = where.endsWith("/check");
      let done = false;
      for (let presses = 0; presses < 400 && !done; ++presses) {
        await page.keyboard.press("Tab");
        const at = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const option = e.tagName === "SELECT" ? [...e.options].map((o) => [o.value, o.text]) : null;
          return { tag: e.tagName.toLowerCase(), type: e.type ?? "", name: e.getAttribute("name") ?? "", value: e.value ?? "",
                   checked: !!e.checked, id: e.id, text: e.textContent?.trim() ?? "", options: option,
                   inForm: !!e.closest("form.askonce-form, main form:not([action*='/delete'])") };
        });
        if (!at || !at.inForm) continue;
        const values = answers.filter(([n]) => n === at.name).map(([, v]) => v);
        if (at.tag === "button") {
          if (at.name === "askonce:add") {
            const have = await page.$$eval(`[name^="${at.value}["]`, (es) => new Set(es.map((e) => e.name.split("]")[0])).size);
            const need = new Set(answers.filter(([n]) => n.startsWith(at.value + "[")).map(([n]) => n.split("]")[0])).size;
            if (have < need) {
              await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
              // Focus is on the new entry's first question; go on from there (Shift+Tab back a step).
              await page.keyboard.press("Shift+Tab");
            }
          } else if (at.name === "askonce:confirm" || (!at.name && !onCheck && at.text.length > 0 && at.type === "submit")) {
            const [response] = await Promise.all([
              page.waitForResponse((r) => r.request().method() === "POST"),
              page.waitForNavigation({ waitUntil: "load" }),
              page.keyboard.press("Enter"),
            ]);
            ok(response.status() === 303, j.label(`Enter on ${at.text} at ${where}`), `${response.status()} ${page.url()}`);
            done = true;
          }
          continue;
        }
        if (values.length === 0) continue;
        if (at.type === "checkbox") {
          if (values.includes(at.value) !== at.checked) await page.keyboard.press("Space");
        } else if (at.type === "radio") {
          // A group is one Tab stop; arrow keys move and select within it.
          if (!values.includes(at.value) || !at.checked) {
            for (let k = 0; k < 12; ++k) {
              const now = await page.evaluate(() => [document.activeElement.value, document.activeElement.checked]);
              if (values.includes(now[0])) {
                if (!now[1]) await page.keyboard.press("Space");
                break;
              }
              await page.keyboard.press("ArrowDown");
            }
          }
        } else if (at.tag === "select") {
          const words = at.options.find(([v]) => v === values[0])?.[1];
          if (at.value !== values[0] && words) await page.keyboard.type(words);
        } else if (at.value !== values[0]) {
          for (let k = 0; k < at.value.length; ++k) await page.keyboard.press("Backspace");
          await page.keyboard.type(values[0]);
        }
      }
      ok(done, j.label(`${where}: the keyboard reached the page's button`));
      if (!done) break;
    }
    ok(/^\/receipts\//.test(pathOf(page)), j.label("by keyboard alone, the application is sent"), page.url());
    if (/^\/receipts\//.test(pathOf(page))) await j.check("the receipt (keyboard)");
  } catch (e) {
    ok(false, j.label("the keyboard journey ran to its end"), String(e.stack ?? e));
  }
  await j.close();
}

// ---- change of address: one application, however Submit is pressed ---------------------------

/// A change-of-address draft filled in by `j`'s page up to check your answers, the declaration ticked.
async function toCheck(j) {
  const answers = sample("change-of-address");
  const page = j.page;
  await page.goto(`${base}/forms/change_of_address/steps/about?lang=${j.lang}`, { waitUntil: "load" });
  for (let n = 0; n < 10 && pathOf(page).includes("/steps/"); ++n) {
    await fill(page, answers);
    await send(page, continueButton);
  }
  ok(pathOf(page) === "/forms/change_of_address/check", j.label("the draft reaches check your answers"), page.url());
  await page.click("label[for=f-truthful]");
}

async function once() {
  // A double click on Submit application.
  {
    const j = await new Journey("en", true, "change-of-address double click").open();
    try {
      await toCheck(j);
      const before = await storedCount();
      const page = j.page;
      // Both posts reach the server, whatever the timing: the first is held until the second is
      // sent (as with a slow server), and each is fetched on the browser's behalf (its cookies
      // and headers), so the browser dropping the first for the second cannot hide it.
      const answered = [], receipts = new Set();
      let posts = 0, release;
      const secondSent = new Promise((resolve) => { release = resolve; });
      await page.route("**/forms/change_of_address/check*", async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        if (++posts === 1) await Promise.race([secondSent, new Promise((r) => setTimeout(r, 3000))]);
        else release();
        const response = await route.fetch({ maxRedirects: 0 });
        answered.push(response.status());
        if (response.status() === 303) receipts.add(response.headers()["location"]);
        await route.fulfill({ response }).catch(() => {});  // the browser may have dropped it
      });
      // Two clicks 150 ms apart at the button, as a citizen's double click: the mouse itself
      // (page.click would wait for the first click's page before the second).
      const box = await page.locator('button[name="askonce:confirm"]').boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(150);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      for (const deadline = Date.now() + 15000; Date.now() < deadline && answered.length < 2;) await page.waitForTimeout(50);
      await page.waitForTimeout(200);
      await page.waitForLoadState("load");
      await page.unroute("**/forms/change_of_address/check*");
      // Each post is answered with the one receipt (303, when the two overlap in the server) or
      // "You already sent this application" (409, when the first was done).
      ok(posts === 2 && answered.length === 2 && answered.every((s) => s === 303 || s === 409) && answered.includes(303) &&
         receipts.size === 1, j.label("a double click posts twice, and both lead to one receipt"),
         `${posts} posts, answered ${answered.join(" ")}, ${[...receipts].join(" ")}`);
      // The browser shows the answer to the post it kept: the receipt, or "You already sent this
      // application" with its link.
      const receipt = /^\/receipts\//.test(pathOf(page)) ? pathOf(page)
        : (/You already sent this application/.test(await page.textContent("main")) ? new URL(await page.getAttribute("main a.usa-button", "href"), base).pathname : null);
      ok(receipt !== null && /^\/receipts\/[0-9A-Z-]+$/.test(receipt), j.label("the double click ends on the receipt or a link to it"),
         `${page.url()} ${answered.join(" ")}`);
      await j.check("after a double click", /^\/receipts\//.test(pathOf(page)) ? 200 : 409);
      ok(await storedCount() === before + 1, j.label("a double click on Submit application stores one application"),
         `${before} then ${await storedCount()}`);
    } catch (e) {
      ok(false, j.label("the double click ran"), String(e.stack ?? e));
    }
    await j.close();
  }
  // Two tabs on the same draft, each submitting it.
  {
    const j = await new Journey("es", false, "change-of-address two tabs").open();
    try {
      await toCheck(j);
      const second = await j.tab();
      await second.goto(`${base}/forms/change_of_address/check?lang=es`, { waitUntil: "load" });
      await second.click("label[for=f-truthful]");
      const before = await storedCount();
      let status = await send(j.page, 'button[name="askonce:confirm"]');
      ok(status === 303 && /^\/receipts\//.test(pathOf(j.page)), j.label("the first tab sends it"), `${status} ${j.page.url()}`);
      status = await send(second, 'button[name="askonce:confirm"]');
      ok(status === 409, j.label("the second tab is told it was already sent (409)"), String(status));
      ok(/Usted ya envió esta solicitud/.test(await second.textContent("main")), j.label("in words"));
      const receipt = new URL(j.page.url());
      ok(await second.getAttribute("main a.usa-button", "href") === receipt.pathname + receipt.search, j.label("with the same receipt"));
      await j.check("already sent, in the second tab", 409, second);
      ok(await storedCount() === before + 1, j.label("two tabs submitting one draft store one application"),
         `${before} then ${await storedCount()}`);
    } catch (e) {
      ok(false, j.label("the two tabs ran"), String(e.stack ?? e));
    }
    await j.close();
  }
}

export async function run(t) {
  browser = t.browser;
  const server = await t.server();
  base = server.base;
  // SSA receives every change of address: its list counts the applications stored.
  ssaToken = server.askonce(["agency-token", "create", "ssa"]).trim();
  // On PostgreSQL what the store does differently is drafts and submitting once: one journey
  // per form, the double click and the two tabs; the keyboard and Spanish without JavaScript
  // are the browser's and the renderer's, proved on SQLite.
  const full = !t.postgres;
  for (const form of forms.filter((f) => f.stem !== "change-of-address")) {
    await inCase(`${form.stem} [en, JavaScript on]`, () => journey(form, "en", true));
    if (full) await inCase(`${form.stem} [es, JavaScript off]`, () => journey(form, "es", false));
  }
  if (full) await inCase("change of address by keyboard", () => keyboardJourney("en"));
  await inCase("change of address, double click and two tabs", once);
  // A receipt link that does not work, with no relay: the page offers no "Lost your link?" by email.
  await inCase("a receipt link that does not work", async () => {
    for (const [lang, js] of [["en", true], ["es", false]]) {
      const j = await new Journey(lang, js, "a receipt link that does not work").open();
      const r = await j.page.goto(`${base}/r/${"A".repeat(43)}?lang=${lang}`, { waitUntil: "load" });
      ok(r.status() === 410, j.label("a link that was never sent is refused (410)"), String(r.status()));
      await j.check("the page of a link that does not work", 410);
      await j.close();
    }
  });
  // Every page's HTML as served is checked by the Nu checker at the end of the run.
  const kept = await nuKept();
  ok(kept >= 30, "pages were kept for the Nu checker", String(kept));
  console.log(`   axe-core and the pages' words: ${(checking / 1000).toFixed(1)} s`);
}
