// tests/browser/amend_e2e.mjs: answer once, correct once in a real browser, a suite of run.mjs
// (harness.mjs) in CTest's browser_tests: the real `askonce serve` the suites share (SQLite),
// the run's headless Chromium, the agencies through the agency API with tokens from
// `askonce agency-token create`:
//   1. an application reaching SSA, USPS, VA and the IRS is submitted through the API;
//   2. SSA posts need_info naming the phone number; the citizen's status page shows its message
//      and "Answer the agency"; the citizen answers what only they know, gets the phone's
//      question alone with its value, types a new one, sends it; the page names SSA and VA, the
//      two agencies whose view holds the phone number; both get version 2 through the API,
//      with "/contact.phone" changed; USPS and the IRS do not; SSA's status is "answered";
//   3. "Correct an answer": the old address, which reaches USPS and the IRS, and only them;
//   4. axe-core at WCAG 2.2 AA (0 violations) on every page passed through, and no script error
//      or Content-Security-Policy violation; every page's HTML as served has no error in the
//      Nu HTML Checker (vnu-jar) at the end of the run.
import { ok, inCase, openPage, checkPage, nuKept } from "./harness.mjs";

let server, base, tokens, page;

/// A token for `agency`, as an operator makes one.
function token(agency) {
  return /aot_[A-Za-z0-9_-]+/.exec(server.askonce(["agency-token", "create", agency, "--forms", "forms"]))[0];
}

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

const check = (what) => checkPage(page, what);

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

export async function run(t) {
  server = await t.server();
  base = server.base;
  tokens = Object.fromEntries(["ssa", "usps", "va", "irs"].map((a) => [a, token(a)]));
  const context = await t.browser.newContext();
  await inCase("need_info answered, an address corrected", async () => {
    // The HTML of each page as the server sent it is kept for the Nu checker.
    page = await openPage(context, { keep: "amend" });
    await correct();
  });
  await context.close();
  const kept = await nuKept();
  ok(kept >= 10, "pages were kept for the Nu checker", String(kept));
}

async function correct() {
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
}
