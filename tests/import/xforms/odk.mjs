// tests/import/xforms/odk.mjs: ODK's own verdicts on submissions for an XForm, from
// @getodk/xforms-engine (the engine of ODK Web Forms, pinned in package.json, with jsdom for
// the DOM it needs). Used by odk_agreement.mjs (a test: askonce's verdicts against these) and
// odk_verdicts.mjs (prints them, to read).
//
// A case is {"name": "...", "answers": {...}}: answers as a submission for the imported form
// (the form's names, groups flattened as the importer flattens them, a repeat as a list of
// objects). verdicts() gives, per case, each violation with the path askonce names it by
// ("member[0].age": groups left out, a repeat's entries counted from 0), what ODK says
// ("required" or "constraint") and the constraint's message, and the calculated values.
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

const w = new JSDOM('').window;
for (const k of ['DOMParser', 'XMLSerializer', 'Node', 'document', 'Element', 'Document', 'XMLDocument', 'Attr', 'Text',
                 'CDATASection', 'Comment', 'ProcessingInstruction', 'DocumentFragment', 'NodeFilter']) {
  globalThis[k] = w[k];
}
const require = createRequire(import.meta.url);
globalThis.__dirname = require.resolve('@getodk/xforms-engine').replace(/\/[^/]*$/, '');
globalThis.require = require;
const { createInstance } = await import('@getodk/xforms-engine');

/// A node's name in the imported form: its element's name, '-' and '.' as '_'.
const name = (n) => n.definition.nodeset.split('/').pop().replace(/[-.]/g, '_');

/// The nodes under `n` by the form's name, groups flattened (as the importer flattens them).
function byName(n, out = new Map()) {
  for (const c of n.currentState.children ?? []) {
    if (c.nodeType === 'group') byName(c, out);
    else out.set(name(c), c);
  }
  return out;
}

function fill(parent, answers) {
  const nodes = byName(parent);
  for (const [k, v] of Object.entries(answers)) {
    const n = nodes.get(k);
    if (!n) throw new Error('no node ' + k);
    if (n.nodeType.startsWith('repeat-range')) {
      n.addInstances(undefined, v.length);
      const entries = n.currentState.children;
      v.forEach((entry, i) => fill(entries[i], entry));
    } else if (n.nodeType === 'select') {
      Array.isArray(v) ? n.selectValues(v) : n.selectValue(String(v));
    } else if (n.nodeType === 'trigger') {
      n.setValue(Boolean(v));
    } else {
      n.setValue(String(v));
    }
  }
}

/// Violations and calculated values under `n`; `prefix` is the askonce path of `n`'s children.
function report(n, prefix, out) {
  for (const c of n.currentState.children ?? []) {
    const kids = c.currentState.children;
    let path = prefix;
    if (c.nodeType.startsWith('repeat-range')) {
      path = prefix + name(c);
      c.currentState.children.forEach((entry, i) => report(entry, path + '[' + i + '].', out));
      continue;
    }
    if (c.nodeType !== 'group') path = prefix + name(c);
    if (kids && kids.length !== undefined && !c.nodeType.startsWith('input')) report(c, c.nodeType === 'group' ? prefix : path + '.', out);
    if (c.nodeType === 'model-value' && c.currentState.relevant && !c.currentState.reference.includes('/meta/')) {
      out.values.push({ path, reference: c.currentState.reference, value: c.currentState.value });
    }
    const v = c.validationState?.violation;
    if (v && c.currentState.relevant) {
      const message = v.message ? (v.message.asString ?? v.message.formatted ?? JSON.stringify(v.message)) : '';
      out.violations.push({ path, reference: c.currentState.reference, condition: v.condition, message });
    }
  }
}

/// Removes the entries a repeat starts with: a case's repeats have only the entries it gives.
function empty(n) {
  for (const c of n.currentState.children ?? []) {
    if (c.nodeType === 'repeat-range:uncontrolled' && c.currentState.children.length) c.removeInstances(0, c.currentState.children.length);
    else if (c.nodeType === 'group') empty(c);
  }
}

/// ODK's verdict on each case: [{name, violations: [{path, reference, condition, message}],
/// values: [{path, reference, value}]}].
export async function verdicts(xml, cases) {
  const out = [];
  for (const { name: caseName, answers } of cases) {
    const inst = await createInstance(xml, {});
    empty(inst.root);
    fill(inst.root, answers);
    const one = { name: caseName, violations: [], values: [] };
    report(inst.root, '', one);
    out.push(one);
  }
  return out;
}
