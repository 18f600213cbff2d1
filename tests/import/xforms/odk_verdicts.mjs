// tests/import/xforms/odk_verdicts.mjs: ODK's own verdicts on submissions for an XForm, from
// @getodk/xforms-engine (the engine of ODK Web Forms), to check by hand that the cases
// tests/xform_tests.cpp expects are the ones ODK gives. Not run by ctest: the engine needs a DOM
// (jsdom) and neither is a dependency of the project. To run it:
//   mkdir /tmp/odk && cd /tmp/odk && npm i @getodk/xforms-engine@0.22.0 jsdom
//   cp .../odk_verdicts.mjs . && node odk_verdicts.mjs FORM.xml CASES.json
// CASES.json: [{"name": "...", "answers": {...}}], answers as a submission for the imported form
// (the form's names; a repeat as a list of objects). Prints, per case, "accepted" or each
// violation ("path: required" or "path: constraint: message"), and the calculated values.
import { readFileSync } from 'node:fs';
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

const xml = readFileSync(process.argv[2], 'utf8');
const cases = JSON.parse(readFileSync(process.argv[3], 'utf8'));
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

function report(n, out) {
  for (const c of n.currentState.children ?? []) {
    const kids = c.currentState.children;
    if (kids && kids.length !== undefined && !c.nodeType.startsWith('input')) report(c, out);
    if (c.nodeType === 'model-value' && c.currentState.relevant && !c.currentState.reference.includes('/meta/')) out.values.push(c.currentState.reference + '=' + c.currentState.value);
    const v = c.validationState?.violation;
    if (v && c.currentState.relevant) {
      const msg = v.message ? ': ' + (v.message.asString ?? v.message.formatted ?? JSON.stringify(v.message)) : '';
      out.violations.push(c.currentState.reference + ': ' + v.condition + msg);
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

for (const { name: caseName, answers } of cases) {
  const inst = await createInstance(xml, {});
  empty(inst.root);
  fill(inst.root, answers);
  const out = { violations: [], values: [] };
  report(inst.root, out);
  console.log(caseName + ': ' + (out.violations.length ? out.violations.join('; ') : 'accepted') +
              (out.values.length ? '  [' + out.values.join(', ') + ']' : ''));
}
