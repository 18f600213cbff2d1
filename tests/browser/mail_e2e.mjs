// tests/browser/mail_e2e.mjs: the receipt mail's way, a suite of run.mjs (harness.mjs) in
// CTest's browser_tests: a server of its own (SQLite), started once for the suite, with a real
// SMTP relay on loopback (tests/smtp/smtp_server.py: STARTTLS and a login required), an
// application sent through the API, the mail read from the relay's folder, and its link opened
// in the run's headless Chromium: the receipt's status, the same link again (used: the expired
// page), "Lost your receipt link?" with a mistake, then right (a second mail, whose link
// opens the status again); the status, the used link's page and "Lost your receipt link?" in
// both languages; an agency's posts (SSA's need_info, then its decision, through the agency
// API with a token from `askonce agency-token create`), each a status mail read from the relay
// that names neither the update nor any answer, its link followed in a browser without the
// earlier session to the status, which says what SSA needs ("Answer the agency" from there:
// what only the citizen knows, wrong then right, the phone, sent, back), then its decision
// (the A-11 survey about it, answered on the status); then "Save and come back later" on a step, the resume mail's link (once) and
// the resume code, each with the questions only the citizen knows (a wrong answer, then
// right), back to the saved answers. axe-core at WCAG 2.2 AA on every page (0 violations), no script
// error or Content-Security-Policy violation, the USWDS styles applied; the Nu HTML Checker
// (vnu-jar), at the end of the run, finds no error in any page served or in the mails' HTML.
import { ok, inCase, openPage, checkPage, startServer, startRelay, nuKeep, nuKept } from "./harness.mjs";

let base;
function linkIn(mail) {
  const m = /http:\/\/127\.0\.0\.1:\d+(\/r\/[A-Za-z0-9_-]{43})/.exec(mail);
  return m ? base + m[1] : null;
}

/// The HTML part of a mail, its quoted-printable undone.
function htmlPart(mail) {
  const at = mail.indexOf("Content-Type: text/html");
  if (at < 0) return "";
  const body = mail.slice(mail.indexOf("\r\n\r\n", at) + 4).split(/\r?\n--/)[0];
  return Buffer.from(body.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
}

export async function run(t) {
  const relay = await startRelay();
  let server = null;
  try {
    server = await startServer({ binary: t.binary, name: "mail", env: relay.env });
    base = server.base;
    const context = await t.browser.newContext();
    // Every page as the server sent it is kept for the Nu HTML Checker at the end of the run.
    const page = await openPage(context, { keep: "mail" });
    try {
      await inCase("the receipt mail, status mails, the resume mail", () => mail(server, relay, context, page));
    } finally {
      await context.close();
    }
  } finally {
    await server?.stop();
    await relay.stop();
  }
}

async function mail(server, relay, context, page) {
  const check = (what, status = 200) => checkPage(page, what, { status, font: true });
  const waitForMails = relay.waitForMails;
  // tests/test_support.hpp's coa_permanent: every agency, an email address in `contact`.
  const json = JSON.stringify({
    "person": {"name": {"first": "Ana", "last": "Núñez"}, "birth_date": "1980-02-29", "ssn": "123-45-6789"},
    "contact": {"email": "ana@example.com", "phone": "(202) 555-0123", "preferred_method": "email"},
    "old_address": {"street": "1 Main St <script>alert('x')</script>", "city": "Springfield", "state": "il", "zip": "62701"},
    "new_address": {"street": "2 Oak Ave ]]> \"quoted\" & 'single'", "city": "Springfield", "state": "IL", "zip": "62702-1234"},
    "move_date": "2024-04-20",
    "kind": "permanent",
    "filed_jointly": true,
    "spouse_name": {"first": "Bea", "last": "Núñez"},
    "spouse_ssn": "223-45-6789",
    "veteran": true,
    "va_file_number": "12345678",
    "forward_mail": true,
    "usps_move_type": "family",
    "household": [{"full_name": "Bo <b>", "birth_date": "2010-01-01"}, {"full_name": "Cy", "birth_date": "2012-06-30"}],
    "truthful": true,
    "signature": "Ana Núñez"
  });
  const stored = await fetch(base + "/api/v1/forms/change_of_address/submissions?lang=es",
                             { method: "POST", headers: { "Content-Type": "application/json" }, body: json });
  ok(stored.status === 201, "the application is stored", `status ${stored.status}`);
  const reference = (await stored.json()).reference;
  const first = (await waitForMails(1))[0] ?? "";
  ok(first.includes(reference), "the receipt mail arrives at the relay with the reference");
  const link = linkIn(first);
  ok(link !== null, "the mail carries a receipt link", first.slice(0, 400));

  let response = await page.goto(link);
  ok(response.status() === 200 && new URL(page.url()).pathname === "/receipts/status",
     "the link opens the status, on an address without the token", page.url());
  const body = await page.textContent("main");
  ok(body.includes(reference) && /Qué sucede ahora/.test(body), "the status shows the reference and what happens next, in Spanish");
  ok(!/Núñez|123-45-6789|Main St/.test(body), "the status shows no answer");
  await check("the receipt's status (from the mail's link)");
  // The same pages in the other language (the language switch's address).
  response = await page.goto(base + "/receipts/status?lang=en");
  ok(response.status() === 200 && /What happens next/.test(await page.textContent("main")), "the status in English");
  await check("the receipt's status in English");

  response = await page.goto(link);
  ok(response.status() === 410, "the same link again is refused", `status ${response.status()}`);
  await check("the page of a used link", 410);
  response = await page.goto(link + (link.includes("?") ? "&" : "?") + "lang=es");
  ok(response.status() === 410 && /Este enlace venció/.test(await page.textContent("main")), "the page of a used link in Spanish");
  await check("the page of a used link in Spanish", 410);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('a[href^="/receipts/lost"]')]);
  ok(new URL(page.url()).pathname === "/receipts/lost", "it leads to \"Lost your receipt link?\"");
  await check("Lost your receipt link?");
  response = await page.goto(base + "/receipts/lost?lang=es");
  ok(response.status() === 200 && /Perdió el enlace/.test(await page.textContent("main")), "Lost your receipt link? in Spanish");
  await check("Lost your receipt link? in Spanish");
  await page.goto(base + "/receipts/lost?lang=en");

  await page.fill("#reference", "not a reference");
  await page.fill("#email", "ana@example.com");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
  ok(await page.inputValue("#reference") === "not a reference", "a mistake keeps what was typed");
  await check("Lost your receipt link? with a mistake", 422);
  await page.fill("#reference", reference);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
  ok(/If the reference number and the email address match/.test(await page.textContent("main")), "the same answer is given");
  await check("Lost your receipt link? sent");
  const second = (await waitForMails(2))[1] ?? "";
  const again = linkIn(second);
  ok(again !== null && again !== link, "a second mail brings a new link");
  response = await page.goto(again);
  ok(response.status() === 200 && (await page.textContent("main")).includes(reference), "the new link opens the status");

  // An agency's post: SSA needs something, then decides. Each post mails the citizen that there
  // is an update; the mail names neither what SSA needs nor its decision, nor any answer, and
  // its link opens the status, where the update is.
  const ssaToken = /aot_[A-Za-z0-9_-]+/.exec(server.askonce(["agency-token", "create", "ssa", "--forms", "forms"]))[0];
  const agencyPost = async (body) => {
    const r = await fetch(`${base}/api/v1/agencies/ssa/submissions/${reference}/status`,
                          { method: "POST", headers: { authorization: `Bearer ${ssaToken}`, "content-type": "application/json" },
                            body: JSON.stringify(body) });
    return { status: r.status, text: await r.text() };
  };
  /// The status mail number `n`: it names the reference and nothing of the update or the answers.
  const statusMail = async (n, what, secrets) => {
    const mail = (await waitForMails(n))[n - 1] ?? "";
    ok(/Hay novedades sobre su solicitud/.test(mail) && mail.includes(reference), `${what}: the status mail arrives, in Spanish, with the reference`,
       mail.slice(0, 600));
    ok(/To: <ana@example\.com>/.test(mail), `${what}: to the address the citizen gave`);
    const text = mail + htmlPart(mail);
    for (const secret of secrets.concat(["Núñez", "123-45-6789", "6789", "Main St", "Oak Ave", "1980", "555-0123"])) {
      ok(!text.includes(secret), `${what}: the mail does not say "${secret}"`);
    }
    const to = linkIn(mail);
    ok(to !== null, `${what}: the mail carries a link to the status`, mail.slice(0, 600));
    return { mail, link: to };
  };
  let posted = await agencyPost({ status: "need_info", tracking_number: "SSA-77", message_name: "need_proof_of_address",
                                  fields: ["contact.phone"] });
  ok(posted.status === 201, "SSA posts need_info", posted.text);
  const needMail = await statusMail(3, "need_info", ["need_info", "SSA-77", "factura", "bill", "lease", "necesita", "needs",
                                                     "contact.phone", "teléfono", "phone"]);
  await context.clearCookies();  // another browser: the mail's link is all it has
  response = await page.goto(needMail.link);
  ok(response.status() === 200 && new URL(page.url()).pathname === "/receipts/status",
     "the status mail's link opens the status, on an address without the token", page.url());
  let statusText = await page.textContent("main");
  ok(statusText.includes(reference) && /La agencia necesita más información de usted/.test(statusText) &&
     /Envíenos una copia de una factura/.test(statusText), "the status says what SSA needs, in Spanish", statusText);
  ok(!/Núñez|123-45-6789|Main St/.test(statusText), "the status shows no answer");
  await check("the status after need_info (from the status mail)");
  // "Answer the agency" from this page: what only the citizen knows, the phone alone, sent to
  // SSA and VA, and back to the status; no key in any address on the way.
  await Promise.all([page.waitForNavigation(), page.click("text=Responder a la agencia")]);
  ok(!page.url().includes("key="), "Answer the agency leads to an address without a key", page.url());
  const known = async (day) => {
    await page.fill('input[name="known0.month"]', "2");
    await page.fill('input[name="known0.day"]', day);
    await page.fill('input[name="known0.year"]', "1980");
    await page.fill('input[name="known1"]', "6789");
    return (await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]))[0];
  };
  await check("Answer the agency: what only you know (from the status)");
  response = await known("28");
  ok(response.status() === 422, "a wrong date of birth is refused", `status ${response.status()}`);
  await check("Answer the agency: what only you know, wrong", 422);
  await known("29");
  ok(await page.locator('input[value="contact.phone"]').count() === 1, "the phone SSA named is offered");
  await check("Answer the agency: which answer");
  await page.click('input[value="contact.phone"] + label');
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
  await check("Answer the agency: the phone's question");
  await page.fill('input[name="contact.phone"]', "(202) 555-0199");
  await Promise.all([page.waitForNavigation(), page.click("text=Enviar la corrección")]);
  statusText = await page.textContent("main");
  ok(/Se envió su corrección/.test(statusText) && /Administración del Seguro Social|Social Security/.test(statusText),
     "the answer is sent to SSA", statusText);
  await check("Answer the agency: sent");
  await Promise.all([page.waitForNavigation(), page.click("text=Volver al estado de su solicitud")]);
  statusText = await page.textContent("main");
  ok(new URL(page.url()).pathname === "/receipts/status" && /Usted respondió a lo que pidió la agencia/.test(statusText) &&
     !/Responder a la agencia/.test(statusText), "back on the status, SSA has the answer", statusText);
  ok(await page.locator("#correct-link").count() === 1, "the status offers \"Correct an answer\"");

  posted = await agencyPost({ status: "decided", outcome: "approved" });
  ok(posted.status === 201, "SSA decides", posted.text);
  const decidedMail = await statusMail(4, "decided", ["decided", "approved", "Decidida", "aprobada", "decisión", "decision"]);
  await context.clearCookies();
  response = await page.goto(decidedMail.link);
  statusText = await page.textContent("main");
  ok(response.status() === 200 && /Decidida: aprobada/.test(statusText), "the decided mail's link opens the status with the decision", statusText);
  await check("the status after the decision (from the status mail)");
  // The decision's A-11 survey on the status page, answered there.
  ok(/Sobre la decisión de/.test(statusText), "the status asks the survey about SSA's decision", statusText);
  await page.click('input[name="q1"][value="4"] + label');
  await page.click('input[name="q2"][value="5"] + label');
  await Promise.all([page.waitForNavigation(), page.click("#feedback button[type=submit]")]);
  statusText = await page.textContent("main");
  ok(new URL(page.url()).pathname === "/receipts/status" && /Gracias por sus comentarios/.test(statusText),
     "the survey's thanks, on the status", page.url());
  await check("the status after the survey");

  // Save and come back later: a draft saved on its first step; the resume mail's link in a
  // browser without the draft's cookie, then the code in another.
  await context.clearCookies();
  await page.goto(base + "/forms/change_of_address/steps/about?lang=en");
  const typed = { "person.name.first": "Ana", "person.name.last": "Núñez", "person.birth_date.month": "2",
                  "person.birth_date.day": "29", "person.birth_date.year": "1980", "person.ssn": "123-45-6789",
                  "contact.email": "ana@example.com" };
  for (const [name, value] of Object.entries(typed)) await page.fill(`[name="${name}"]`, value);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('button[name="askonce:save"]')]);
  const code = (await page.textContent("#resume-code") ?? "").trim();
  ok(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/.test(code), "saving shows a resume code", code);
  const savedText = await page.textContent("main");
  ok(/We also sent a link/.test(savedText) && /Date of birth/.test(savedText), "the saved page says a link was mailed and what we will ask");
  ok(!/Núñez|123-45-6789|1980/.test(savedText), "the saved page shows no answer");
  await check("Your answers are saved");
  const third = (await waitForMails(5))[4] ?? "";
  const resumeLink = (/http:\/\/127\.0\.0\.1:\d+(\/resume\/[A-Za-z0-9_-]{43})/.exec(third) ?? [])[1];
  ok(resumeLink !== undefined, "the resume mail carries a link", third.slice(0, 400));
  ok(!third.includes(code) && !/Núñez|123-45-6789/.test(third), "the resume mail has neither the code nor an answer");
  await context.clearCookies();
  response = await page.goto(base + resumeLink);
  ok(response.status() === 200 && new URL(page.url()).pathname === "/resume", "the resume link opens the questions, on an address without the token");
  await check("Answer a question only you know (from the mail's link)");
  const answer = async (month, day, year, last4) => {
    await page.fill('[name="known0.month"]', month);
    await page.fill('[name="known0.day"]', day);
    await page.fill('[name="known0.year"]', year);
    await page.fill('[name="known1"]', last4);
    return (await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]))[0];
  };
  response = await answer("2", "28", "1980", "6789");
  ok(response.status() === 422 && /do not match/.test(await page.textContent("main")), "a wrong date of birth is refused");
  await check("Answer a question only you know, wrong", 422);
  response = await answer("2", "29", "1980", "6789");
  ok(new URL(page.url()).pathname === "/forms/change_of_address/steps/about", "the right answers lead back to the step", page.url());
  ok(await page.inputValue('[name="person.name.first"]') === "Ana", "with the answers saved");
  response = await page.goto(base + resumeLink);
  ok(response.status() === 410, "the resume link works once", `status ${response.status()}`);
  await check("a used resume link", 410);
  await context.clearCookies();
  await page.goto(base + "/resume?lang=es");
  await check("Volver a sus respuestas guardadas");
  await page.fill("#code", code.toLowerCase().replaceAll("-", " "));
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
  ok(/Responda lo que solo usted sabe/.test(await page.textContent("main")), "the code leads to the questions, in Spanish");
  await check("Responda lo que solo usted sabe (by the code)");
  await answer("02", "29", "1980", "6789");
  ok(await page.inputValue('[name="person.name.first"]') === "Ana", "the code and the right answers lead back to the answers");

  // The Nu HTML Checker (at the end of the run): every page served on the way, and the HTML of the mails.
  const [, , needHtml, decidedHtml, resumeMail] = await waitForMails(5);
  ok(htmlPart(first).includes(reference), "the receipt mail has an HTML part with the reference");
  nuKeep("the receipt mail's HTML", htmlPart(first));
  nuKeep("the link mail's HTML", htmlPart(second));
  nuKeep("the need_info status mail's HTML", htmlPart(needHtml ?? ""));
  nuKeep("the decision's status mail's HTML", htmlPart(decidedHtml ?? ""));
  nuKeep("the resume mail's HTML", htmlPart(resumeMail ?? ""));
  const kept = await nuKept();
  ok(kept >= 7, "every page was checked", String(kept));
}
