// tests/import/xforms/odk_verdicts.mjs: prints ODK's own verdicts (odk.mjs) on the cases for an
// XForm, to read beside tests/xform_tests.cpp; odk_agreement.mjs is the test that holds askonce
// to them. Run from the project root, after `npm ci`:
//   node tests/import/xforms/odk_verdicts.mjs tests/import/xforms/permit.xml tests/import/xforms/permit-cases.json
// Prints, per case, "accepted" or each violation ("path: required" or "path: constraint:
// message"), and the calculated values.
import { readFileSync } from 'node:fs';
import { verdicts } from './odk.mjs';

const xml = readFileSync(process.argv[2], 'utf8');
const cases = JSON.parse(readFileSync(process.argv[3], 'utf8'));
for (const v of await verdicts(xml, cases)) {
  const violations = v.violations.map((x) => x.reference + ': ' + x.condition + (x.message ? ': ' + x.message : ''));
  const values = v.values.map((x) => x.reference + '=' + x.value);
  console.log(v.name + ': ' + (violations.length ? violations.join('; ') : 'accepted') +
              (values.length ? '  [' + values.join(', ') + ']' : ''));
}
