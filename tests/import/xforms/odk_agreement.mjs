// tests/import/xforms/odk_agreement.mjs (ctest: xform_odk_agreement_tests): askonce's verdicts on
// the XForms of this folder, imported, against ODK's own engine (odk.mjs: @getodk/xforms-engine,
// the engine of ODK Web Forms) on the XForms themselves, case by case.
//
//   node tests/import/xforms/odk_agreement.mjs --askonce build/server/askonce
//
// For each case of FORM-cases.json: `askonce validate FORM.form` (the committed import, which
// import_tests holds to what the importer writes) with today's date, and ODK on FORM.xml on the
// same day. They must name the same answers in error (askonce's paths: groups left out, a
// repeat's entries from 0), with ODK's constraint message where the XForm gives one, and, for
// a case both accept, the same calculated values. What differs by design is listed below with
// its reason, as the importer's warnings say it, and left out of the comparison. Fails (exit 1)
// on any difference, and when ODK or askonce cannot run: nothing is skipped.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { verdicts } from './odk.mjs';

const args = process.argv.slice(2);
const askonce = args[args.indexOf('--askonce') + 1];
if (!askonce || args.indexOf('--askonce') < 0) {
  console.error('usage: node odk_agreement.mjs --askonce PATH');
  process.exit(2);
}
const dir = 'tests/import/xforms';

const forms = [
  {
    name: 'household',
    apart: [
      // XPath's sum() of a blank answer (an adult's income left out, a child's not asked) is
      // NaN, which ODK writes as an empty value, and ODK's engine gives the same with no member;
      // the language's sum() adds the answers given (docs/import.md). Where ODK has a number,
      // the two must agree.
      { path: /^(total_income|per_person)$/, odk: '', why: "sum() with a blank term: ODK's NaN" },
    ],
  },
  {
    name: 'permit',
    apart: [
      // I0303: the repeat's count (jr:count="2") cannot be said in the language; ODK always
      // holds two visits, the form's citizen adds the entries.
      { path: /^visits(\[|$)/, why: 'jr:count repeat (I0303)' },
      // I0310: calculates the language cannot say (concat(), uuid()); the form leaves them out.
      { path: /^(days|code)$/, why: 'calculate left out (I0310)' },
      // I0303: a value the client fills (jr:preload="timestamp"); the form leaves it out.
      { path: /^start$/, why: 'preload left out (I0303)' },
    ],
  },
];

const pad = (n) => String(n).padStart(2, '0');
const now = new Date();
const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
const work = mkdtempSync(join(tmpdir(), 'odk-agreement-'));

/// The value at an askonce path ("member[1].age") in the canonical answers.
function at(answers, path) {
  let v = answers;
  for (const part of path.split('.')) {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    v = v?.[m ? m[1] : part];
    if (m) v = v?.[Number(m[2])];
  }
  return v;
}

let cases = 0;
let compared = 0;
const differences = [];
for (const form of forms) {
  const xml = readFileSync(join(dir, form.name + '.xml'), 'utf8');
  const list = JSON.parse(readFileSync(join(dir, form.name + '-cases.json'), 'utf8'));
  const odk = await verdicts(xml, list);
  const kept = (p, odkValue) => !form.apart.some((a) => a.path.test(p) && (a.odk === undefined || a.odk === odkValue));
  list.forEach((c, i) => {
    cases++;
    const file = join(work, `${form.name}-${i}.json`);
    writeFileSync(file, JSON.stringify(c.answers));
    const r = spawnSync(askonce, ['validate', join(dir, form.name + '.form'), file, '--json', '--today', today], { encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) {
      differences.push(`${form.name} / ${c.name}: askonce validate exited ${r.status}: ${r.stderr}`);
      return;
    }
    const out = JSON.parse(r.stdout);
    const errors = r.status === 1 ? out : [];
    const theirs = odk[i].violations.filter((v) => kept(v.path));
    const ours = errors.filter((e) => kept(e.path));
    const tag = `${form.name} / ${c.name}`;
    const theirPaths = [...new Set(theirs.map((v) => v.path))].sort();
    const ourPaths = [...new Set(ours.map((e) => e.path))].sort();
    if (theirPaths.join(' ') !== ourPaths.join(' ')) {
      differences.push(`${tag}: ODK refuses [${theirPaths.join(', ')}], askonce [${ourPaths.join(', ')}]`);
    }
    for (const v of theirs) {
      if (v.condition !== 'constraint' || !v.message) continue;
      if (!ours.some((e) => e.path === v.path && e.message === v.message)) {
        differences.push(`${tag}: ${v.path}: ODK says "${v.message}", askonce ${JSON.stringify(ours.filter((e) => e.path === v.path).map((e) => e.message))}`);
      }
    }
    if (r.status === 0 && theirs.length === 0) {
      for (const v of odk[i].values.filter((x) => kept(x.path, x.value))) {
        const mine = at(out.answers, v.path);
        const same = (v.value === '' && mine === undefined) || String(mine) === v.value;
        compared++;
        if (!same) differences.push(`${tag}: calculated ${v.path}: ODK ${JSON.stringify(v.value)}, askonce ${JSON.stringify(mine)}`);
      }
    }
  });
}
console.log(`odk_agreement: ${cases} cases on ${forms.length} XForms (today ${today}), ${compared} calculated values compared, ${differences.length} differences`);
for (const f of forms) {
  for (const a of f.apart) console.log(`  left out of ${f.name}: ${a.path}${a.odk === undefined ? '' : ' when ODK has ' + JSON.stringify(a.odk)} (${a.why})`);
}
for (const d of differences) console.log('  ' + d);
process.exit(differences.length || cases === 0 ? 1 : 0);
