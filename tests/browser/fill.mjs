// tests/browser/fill.mjs: filling in a form's step pages as a person does, shared by the browser
// tests that walk a journey (journeys_e2e.mjs: the citizen's; staff_e2e.mjs: staff keying an
// application): the samples in tests/samples/, the page's answer controls, a post and the page
// that answers it, and filling a step (a repeat's entries added with its Add button first).
import fs from "node:fs";
import path from "node:path";

/// tests/samples/<stem>.tsv under `root`: [name, value] pairs, as a browser posts them.
export function sample(root, stem) {
  return fs.readFileSync(path.join(root, "tests/samples", stem + ".tsv"), "utf8").split("\n")
    .filter((l) => l && !l.startsWith("#")).map((l) => [l.slice(0, l.indexOf("\t")), l.slice(l.indexOf("\t") + 1)]);
}

/// Clicks `selector` (a submit button) and waits for the page that answers the post: the
/// post's own status (303 when it redirected).
export async function send(page, selector) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  await page.waitForLoadState("load");
  return response.status();
}

/// A step's Continue button.
export const continueButton = "form.askonce-form > button.usa-button[type=submit]:not([name])";

/// The page's answer controls, in document order: what the filler acts on.
export async function controls(page) {
  return page.$$eval("form.askonce-form input[name], form.askonce-form select[name], form.askonce-form textarea[name], " +
                     "main form input[name]:not([type=hidden])", (els) =>
    [...new Set(els)].filter((e) => !e.name.startsWith("askonce:") && e.type !== "hidden").map((e) => {
      const shownBy = e.type === "radio" || e.type === "checkbox" ? document.querySelector(`label[for="${e.id}"]`) : e;
      return { id: e.id, name: e.name, type: e.tagName === "INPUT" ? e.type : e.tagName.toLowerCase(), value: e.value,
               checked: e.checked, visible: !!shownBy && shownBy.checkVisibility() };
    }));
}

/// Fills the step now shown with the sample's answers (`skip`: a name left as it is). Adds a
/// repeat's entries with its Add button first, reporting each Add's status to `added(status,
/// repeat)`. Returns the names it gave a value.
export async function fill(page, answers, skip = null, added = () => {}) {
  for (;;) {
    const adds = await page.$$eval('button[name="askonce:add"]', (bs) => bs.map((b) => b.value));
    const names = (await controls(page)).map((c) => c.name);
    const want = adds.find((repeat) => {
      const need = new Set(answers.filter(([n]) => n.startsWith(repeat + "[")).map(([n]) => n.slice(repeat.length + 1, n.indexOf("]", repeat.length))));
      const have = new Set(names.filter((n) => n.startsWith(repeat + "[")).map((n) => n.slice(repeat.length + 1, n.indexOf("]", repeat.length))));
      return need.size > have.size;
    });
    if (!want) break;
    added(await send(page, `button[name="askonce:add"][value="${want}"]`), want);
  }
  const given = new Set();
  // Twice: an answer can show a question before it on the page (rare) or after it (usual).
  for (let pass = 0; pass < 2; ++pass) {
    for (const c of await controls(page)) {
      if (c.name === skip || !c.visible || !c.id) continue;
      const values = answers.filter(([n]) => n === c.name).map(([, v]) => v);
      if (values.length === 0) continue;
      const sel = `[id="${c.id}"]`;
      if (c.type === "radio" || c.type === "checkbox") {
        if (values.includes(c.value) !== c.checked) await page.click(`label[for="${c.id}"]`);
      } else if (c.type === "select") {
        await page.selectOption(sel, values[0]);
      } else if (c.value !== values[0]) {
        await page.fill(sel, values[0]);
      }
      given.add(c.name);
    }
  }
  return given;
}
