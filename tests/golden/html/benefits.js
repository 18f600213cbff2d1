// form.js for benefits version 1, sha256:aefa88f160cdbd780b243fb0abaf1c694fb68168d594d484f80619406f3061e9
// Generated from the form's definition by askonce (renderers/script.cpp): shows and hides
// questions as they are answered. The server checks every answer again.
(function () {
  "use strict";
  var FIELDS = {
    "programs": {k: "choices", r: [], p: null, c: []},
    "applicant": {k: "group", r: [], p: null, c: ["applicant.name", "applicant.birth_date", "applicant.has_ssn", "applicant.ssn"]},
    "applicant.name": {k: "name", r: [], p: "applicant", c: ["applicant.name.first", "applicant.name.middle", "applicant.name.last", "applicant.name.suffix"]},
    "applicant.name.first": {k: "text", r: [], p: "applicant.name", c: []},
    "applicant.name.middle": {k: "text", r: [], p: "applicant.name", c: []},
    "applicant.name.last": {k: "text", r: [], p: "applicant.name", c: []},
    "applicant.name.suffix": {k: "text", r: [], p: "applicant.name", c: []},
    "applicant.birth_date": {k: "date", r: [], p: "applicant", c: []},
    "applicant.has_ssn": {k: "yesno", r: [], p: "applicant", c: []},
    "applicant.ssn": {k: "ssn", r: [], p: "applicant", c: []},
    "applicant_applying": {k: "yesno", r: [], p: null, c: []},
    "applicant_citizen": {k: "yesno", r: [], p: null, c: []},
    "residence": {k: "group", r: [], p: null, c: ["residence.has_home_address", "residence.home_address", "residence.county", "residence.mail_at_home", "residence.mailing_address"]},
    "residence.has_home_address": {k: "yesno", r: [], p: "residence", c: []},
    "residence.home_address": {k: "address", r: [], p: "residence", c: ["residence.home_address.street", "residence.home_address.street2", "residence.home_address.city", "residence.home_address.state", "residence.home_address.zip"]},
    "residence.home_address.street": {k: "text", r: [], p: "residence.home_address", c: []},
    "residence.home_address.street2": {k: "text", r: [], p: "residence.home_address", c: []},
    "residence.home_address.city": {k: "text", r: [], p: "residence.home_address", c: []},
    "residence.home_address.state": {k: "choice", r: [], p: "residence.home_address", c: []},
    "residence.home_address.zip": {k: "zip", r: [], p: "residence.home_address", c: []},
    "residence.county": {k: "text", r: [], p: "residence", c: []},
    "residence.mail_at_home": {k: "yesno", r: [], p: "residence", c: []},
    "residence.mailing_address": {k: "address", r: [], p: "residence", c: ["residence.mailing_address.street", "residence.mailing_address.street2", "residence.mailing_address.city", "residence.mailing_address.state", "residence.mailing_address.zip"]},
    "residence.mailing_address.street": {k: "text", r: [], p: "residence.mailing_address", c: []},
    "residence.mailing_address.street2": {k: "text", r: [], p: "residence.mailing_address", c: []},
    "residence.mailing_address.city": {k: "text", r: [], p: "residence.mailing_address", c: []},
    "residence.mailing_address.state": {k: "choice", r: [], p: "residence.mailing_address", c: []},
    "residence.mailing_address.zip": {k: "zip", r: [], p: "residence.mailing_address", c: []},
    "contact": {k: "group", r: [], p: null, c: ["contact.email", "contact.phone", "contact.phone_type", "contact.preferred_method", "contact.preferred_language", "contact.other_language"]},
    "contact.email": {k: "email", r: [], p: "contact", c: []},
    "contact.phone": {k: "phone", r: [], p: "contact", c: []},
    "contact.phone_type": {k: "choice", r: [], p: "contact", c: []},
    "contact.preferred_method": {k: "choice", r: [], p: "contact", c: []},
    "contact.preferred_language": {k: "choice", r: [], p: "contact", c: []},
    "contact.other_language": {k: "text", r: [], p: "contact", c: []},
    "applicant_earned_income": {k: "money", r: [], p: null, c: []},
    "applicant_other_income": {k: "money", r: [], p: null, c: []},
    "health_note": {k: "note", r: [], p: null, c: []},
    "applicant_pregnant": {k: "yesno", r: [], p: null, c: []},
    "applicant_due_date": {k: "date", r: [], p: null, c: []},
    "applicant_babies_expected": {k: "integer", r: [], p: null, c: []},
    "applicant_disabled": {k: "yesno", r: [], p: null, c: []},
    "applicant_has_coverage": {k: "yesno", r: [], p: null, c: []},
    "applicant_coverage_type": {k: "choice", r: [], p: null, c: []},
    "plans_to_file_taxes": {k: "yesno", r: [], p: null, c: []},
    "household_note": {k: "note", r: [], p: null, c: []},
    "household": {k: "repeat", r: [], p: null, c: ["household.full_name", "household.birth_date", "household.relationship", "household.applying", "household.has_ssn", "household.ssn", "household.citizen", "household.buys_food_together", "household.student", "household.earned_income", "household.other_income", "household.pregnant", "household.due_date", "household.disabled", "household.has_coverage"]},
    "household.full_name": {k: "name", r: ["household"], p: "household", c: ["household.full_name.first", "household.full_name.middle", "household.full_name.last", "household.full_name.suffix"]},
    "household.full_name.first": {k: "text", r: ["household"], p: "household.full_name", c: []},
    "household.full_name.middle": {k: "text", r: ["household"], p: "household.full_name", c: []},
    "household.full_name.last": {k: "text", r: ["household"], p: "household.full_name", c: []},
    "household.full_name.suffix": {k: "text", r: ["household"], p: "household.full_name", c: []},
    "household.birth_date": {k: "date", r: ["household"], p: "household", c: []},
    "household.relationship": {k: "choice", r: ["household"], p: "household", c: []},
    "household.applying": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.has_ssn": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.ssn": {k: "ssn", r: ["household"], p: "household", c: []},
    "household.citizen": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.buys_food_together": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.student": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.earned_income": {k: "money", r: ["household"], p: "household", c: []},
    "household.other_income": {k: "money", r: ["household"], p: "household", c: []},
    "household.pregnant": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.due_date": {k: "date", r: ["household"], p: "household", c: []},
    "household.disabled": {k: "yesno", r: ["household"], p: "household", c: []},
    "household.has_coverage": {k: "yesno", r: ["household"], p: "household", c: []},
    "household_size": {k: "integer", r: [], p: null, c: []},
    "household_earned_income": {k: "money", r: [], p: null, c: []},
    "household_other_income": {k: "money", r: [], p: null, c: []},
    "total_monthly_income": {k: "money", r: [], p: null, c: []},
    "rent_or_mortgage": {k: "money", r: [], p: null, c: []},
    "pays_for_energy": {k: "yesno", r: [], p: null, c: []},
    "utility_costs": {k: "money", r: [], p: null, c: []},
    "dependent_care_costs": {k: "money", r: [], p: null, c: []},
    "child_support_paid": {k: "money", r: [], p: null, c: []},
    "cash_and_bank": {k: "money", r: [], p: null, c: []},
    "expedited_screen": {k: "yesno", r: [], p: null, c: []},
    "energy_note": {k: "note", r: [], p: null, c: []},
    "heating_source": {k: "choice", r: [], p: null, c: []},
    "utility_company": {k: "text", r: [], p: null, c: []},
    "utility_account_number": {k: "text", r: [], p: null, c: []},
    "energy_costs": {k: "money", r: [], p: null, c: []},
    "shutoff_notice": {k: "yesno", r: [], p: null, c: []},
    "truthful": {k: "attest", r: [], p: null, c: []},
    "understands_penalties": {k: "attest", r: [], p: null, c: []},
    "signature": {k: "text", r: [], p: null, c: []},
  };
  var SHOW = {
    "applicant.ssn": ["f","applicant.has_ssn"],
    "applicant_citizen": ["f","applicant_applying"],
    "residence.home_address": ["f","residence.has_home_address"],
    "residence.mail_at_home": ["f","residence.has_home_address"],
    "residence.mailing_address": ["or",["not",["f","residence.has_home_address"]],["not",["f","residence.mail_at_home"]]],
    "contact.phone_type": ["not",["is_blank",["f","contact.phone"]]],
    "contact.other_language": ["eq",["f","contact.preferred_language"],["t","other"]],
    "health_note": ["contains",["f","programs"],["t","medicaid"]],
    "applicant_pregnant": ["and",["and",["contains",["f","programs"],["t","medicaid"]],["f","applicant_applying"]],["ge",["age",["f","applicant.birth_date"]],["n","10"]]],
    "applicant_due_date": ["f","applicant_pregnant"],
    "applicant_babies_expected": ["f","applicant_pregnant"],
    "applicant_disabled": ["and",["contains",["f","programs"],["t","medicaid"]],["f","applicant_applying"]],
    "applicant_has_coverage": ["and",["contains",["f","programs"],["t","medicaid"]],["f","applicant_applying"]],
    "applicant_coverage_type": ["f","applicant_has_coverage"],
    "plans_to_file_taxes": ["contains",["f","programs"],["t","medicaid"]],
    "household.has_ssn": ["f","household.applying"],
    "household.ssn": ["f","household.has_ssn"],
    "household.citizen": ["f","household.applying"],
    "household.buys_food_together": ["contains",["f","programs"],["t","snap"]],
    "household.student": ["and",["contains",["f","programs"],["t","snap"]],["ge",["age",["f","household.birth_date"]],["n","18"]]],
    "household.pregnant": ["and",["and",["contains",["f","programs"],["t","medicaid"]],["f","household.applying"]],["ge",["age",["f","household.birth_date"]],["n","10"]]],
    "household.due_date": ["f","household.pregnant"],
    "household.disabled": ["and",["contains",["f","programs"],["t","medicaid"]],["f","household.applying"]],
    "household.has_coverage": ["and",["contains",["f","programs"],["t","medicaid"]],["f","household.applying"]],
    "dependent_care_costs": ["contains",["f","programs"],["t","snap"]],
    "child_support_paid": ["contains",["f","programs"],["t","snap"]],
    "cash_and_bank": ["contains",["f","programs"],["t","snap"]],
    "expedited_screen": ["contains",["f","programs"],["t","snap"]],
    "energy_note": ["contains",["f","programs"],["t","liheap"]],
    "heating_source": ["and",["contains",["f","programs"],["t","liheap"]],["f","pays_for_energy"]],
    "utility_company": ["and",["contains",["f","programs"],["t","liheap"]],["f","pays_for_energy"]],
    "utility_account_number": ["and",["contains",["f","programs"],["t","liheap"]],["f","pays_for_energy"]],
    "energy_costs": ["and",["contains",["f","programs"],["t","liheap"]],["f","pays_for_energy"]],
    "shutoff_notice": ["and",["contains",["f","programs"],["t","liheap"]],["f","pays_for_energy"]],
  };
  var COMPUTED = {
    "household_size": ["add",["n","1"],["count",["f","household"]]],
    "household_earned_income": ["add",["f","applicant_earned_income"],["sum",["f","household.earned_income"]]],
    "household_other_income": ["add",["f","applicant_other_income"],["sum",["f","household.other_income"]]],
    "total_monthly_income": ["add",["f","household_earned_income"],["f","household_other_income"]],
    "expedited_screen": ["or",["and",["lt",["f","total_monthly_income"],["n","150"]],["le",["f","cash_and_bank"],["n","100"]]],["lt",["add",["f","total_monthly_income"],["f","cash_and_bank"]],["add",["f","rent_or_mortgage"],["f","utility_costs"]]]],
  };

  var DIV_SCALE = 20;
  function num(c, s) {
    while (s > 0 && c % 10n === 0n) { c /= 10n; s -= 1; }
    return { k: "n", c: c, s: s };
  }
  function parseNum(t) {
    var m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(t);
    if (!m) return null;
    var frac = m[3] || "";
    var c = BigInt(m[2] + frac);
    return num(m[1] === "-" ? -c : c, frac.length);
  }
  // engine/validate.cpp lenient_decimal: a sign, "$" for money, groups of three with commas.
  function lenientNum(t, money) {
    var m = /^([-+]?)(\$?)([0-9,]*)(?:\.([0-9]+))?$/.exec(t);
    if (!m || (m[2] && !money)) return null;
    var whole = m[3];
    if (whole.indexOf(",") >= 0 && !/^[0-9]{1,3}(,[0-9]{3})+$/.test(whole)) return null;
    whole = whole.replace(/,/g, "");
    if (whole === "" && m[4] === undefined) return null;
    if (t.indexOf(".") >= 0 && m[4] === undefined) return null;
    return parseNum((m[1] === "-" ? "-" : "") + (whole || "0") + (m[4] !== undefined ? "." + m[4] : ""));
  }
  function align(a, b) {
    var s = Math.max(a.s, b.s);
    return [a.c * 10n ** BigInt(s - a.s), b.c * 10n ** BigInt(s - b.s), s];
  }
  function cmpNum(a, b) { var x = align(a, b); return x[0] < x[1] ? -1 : x[0] > x[1] ? 1 : 0; }
  function divNum(a, b) {
    if (b.c === 0n) return null;
    var e = DIV_SCALE + b.s - a.s, n = a.c, d = b.c;
    if (e >= 0) n *= 10n ** BigInt(e); else d *= 10n ** BigInt(-e);
    var q = n / d, r = n % d;
    var twice = 2n * (r < 0n ? -r : r), ad = d < 0n ? -d : d;
    var neg = (n < 0n) !== (d < 0n);
    if (twice > ad || (twice === ad && q % 2n !== 0n)) q += neg ? -1n : 1n;
    return num(q, DIV_SCALE);
  }
  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function civilFromDays(z) {
    z += 719468;
    var era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var y = yoe + era * 400, doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153), d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    var m = mp + (mp < 10 ? 3 : -9);
    return { k: "d", y: y + (m <= 2 ? 1 : 0), m: m, d: d };
  }
  function monthDays(y, m) {
    return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }
  function realDate(y, m, d) { return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m); }
  function addDuration(dt, u, sign) {
    var a = u.a * sign, r;
    if (u.unit === "days" || u.unit === "weeks") {
      r = civilFromDays(daysFromCivil(dt.y, dt.m, dt.d) + (u.unit === "weeks" ? 7 * a : a));
    } else {
      var months = dt.y * 12 + (dt.m - 1) + (u.unit === "years" ? 12 * a : a);
      var y = Math.floor(months / 12), m = months - y * 12 + 1;
      if (y < 1 || y > 9999) return null;
      r = { k: "d", y: y, m: m, d: Math.min(dt.d, monthDays(y, m)) };
    }
    return r.y >= 1 && r.y <= 9999 ? r : null;
  }
  function cmpDate(a, b) { return a.y !== b.y ? (a.y < b.y ? -1 : 1) : a.m !== b.m ? (a.m < b.m ? -1 : 1) : a.d !== b.d ? (a.d < b.d ? -1 : 1) : 0; }
  function today() { var t = new Date(); return { k: "d", y: t.getFullYear(), m: t.getMonth() + 1, d: t.getDate() }; }
  function wholeYears(from, to) {
    var y = to.y - from.y;
    if (to.m < from.m || (to.m === from.m && to.d < from.d)) y -= 1;
    return y;
  }
  function order(a, b) {
    if (!a || !b || a.k !== b.k) return null;
    if (a.k === "n") return cmpNum(a, b);
    if (a.k === "d") return cmpDate(a, b);
    if (a.k === "u") {
      var am = a.unit === "months" || a.unit === "years", bm = b.unit === "months" || b.unit === "years";
      if (am !== bm) return null;
      var f = function (u) { return u.unit === "years" ? u.a * 12 : u.unit === "weeks" ? u.a * 7 : u.a; };
      return f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0;
    }
    return null;
  }
  function same(a, b) {
    switch (a.k) {
      case "n": return cmpNum(a, b) === 0;
      case "d": return cmpDate(a, b) === 0;
      case "u": return a.a === b.a && a.unit === b.unit;
      case "s": return a.v.length === b.v.length && a.v.every(function (x, i) { return x === b.v[i]; });
      default: return a.v === b.v;
    }
  }
  function bool(b) { return { k: "b", v: b }; }

  // ---- answers, read from the page as engine/validate.cpp reads flat form fields ----------
  var form = document.querySelector("form.askonce-form");
  function path(id, idx) {
    var f = FIELDS[id], out = "", pos = 0;
    for (var k = 0; k < f.r.length && k < idx.length; k++) {
      out += id.slice(pos, f.r[k].length) + "[" + idx[k] + "]";
      pos = f.r[k].length;
    }
    return out + id.slice(pos);
  }
  function inputs(name) { return form ? Array.prototype.slice.call(form.querySelectorAll("[name]")).filter(function (e) { return e.name === name; }) : []; }
  function raw(name) {
    var els = inputs(name), out = [];
    els.forEach(function (e) {
      if (e.type === "radio" || e.type === "checkbox") { if (e.checked) out.push(e.value); }
      else out.push(e.value);
    });
    return out;
  }
  function clean(t) {
    t = t.normalize("NFC").replace(/^\s+|\s+$/g, "");
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t) ? null : t;
  }
  // The shapes the engine accepts (engine/value.cpp canonical_*); what fails is blank, as an
  // answer with a problem is blank to the engine.
  var FORMATS = {
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    phone: /^\+?1?[\s.\-()]*([0-9][\s.\-()]*){10}$/,
    ssn: /^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$/,
    ein: /^[0-9]{2}-?[0-9]{7}$/,
    zip: /^[0-9]{5}(-?[0-9]{4})?$/,
    url: /^https?:\/\/[^\s]+$/i
  };
  function entries(id, idx) {
    var p = path(id, idx) + "[", n = 0;
    if (!form) return 0;
    Array.prototype.forEach.call(form.querySelectorAll("[name]"), function (e) {
      if (e.name.slice(0, p.length) === p) {
        var m = /^([0-9]+)\]/.exec(e.name.slice(p.length));
        if (m) n = Math.max(n, Number(m[1]) + 1);
      }
    });
    return n;
  }
  function read(id, idx) {
    var f = FIELDS[id], name = path(id, idx), t, v;
    switch (f.k) {
      case "date": {
        var parts = ["month", "day", "year"].map(function (p) { var r = raw(name + "." + p); return r.length ? clean(r[0]) : ""; });
        if (parts.indexOf(null) >= 0) return null;
        if (parts.every(function (x) { return x === ""; })) { var one = raw(name); return one.length ? readIso(clean(one[0]) || "") : null; }
        if (!/^[0-9]{1,2}$/.test(parts[0]) || !/^[0-9]{1,2}$/.test(parts[1]) || !/^[0-9]{4}$/.test(parts[2])) return null;
        var y = Number(parts[2]), m = Number(parts[0]), d = Number(parts[1]);
        return realDate(y, m, d) ? { k: "d", y: y, m: m, d: d } : null;
      }
      case "yesno": case "attest": {
        var r = raw(name);
        if (!r.length) return null;
        t = (clean(r[0]) || "").toLowerCase();
        if (["true", "yes", "on", "1", "y", "sí", "si"].indexOf(t) >= 0) return bool(true);
        if (["false", "no", "off", "0", "n"].indexOf(t) >= 0) return bool(false);
        return null;
      }
      case "choices": {
        var items = [];
        raw(name).forEach(function (x) { x = clean(x); if (x && items.indexOf(x) < 0) items.push(x); });
        return items.length ? { k: "s", v: items } : null;
      }
      case "integer": case "decimal": case "money": {
        var rn = raw(name);
        t = rn.length ? clean(rn[0]) : "";
        if (!t) return null;
        v = lenientNum(t, f.k === "money");
        if (!v || (f.k === "integer" && v.s > 0) || (f.k === "money" && v.s > 2)) return null;
        return v;
      }
      default: {
        var rt = raw(name);
        t = rt.length ? clean(rt[0]) : "";
        if (!t) return null;
        if (f.k !== "longtext" && /[\n\r]/.test(t)) return null;
        if (FORMATS[f.k] && !FORMATS[f.k].test(t)) return null;
        return { k: "t", v: t };
      }
    }
  }
  function readIso(t) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(t);
    if (!m || !realDate(+m[1], +m[2], +m[3])) return null;
    return { k: "d", y: +m[1], m: +m[2], d: +m[3] };
  }

  // ---- relevance: a field is shown when its `show if` and every ancestor's hold ------------
  function depth(id) { return FIELDS[id].r.length; }
  function shown(id, idx) {
    var f = FIELDS[id];
    idx = idx.slice(0, depth(id));
    if (SHOW[id] && !holds(evaluate(SHOW[id], idx))) return false;
    return f.p === null ? true : shown(f.p, idx);
  }
  function holds(v) { return v !== null && v.k === "b" && v.v === true; }
  function value(id, idx) {
    idx = idx.slice(0, depth(id));
    if (!shown(id, idx)) return null;
    if (COMPUTED[id]) return evaluate(COMPUTED[id], idx);
    return read(id, idx);
  }
  // Every answer of `id` within the entry `idx` names (descending into repeats), as visit().
  function each(id, idx, fn) {
    var f = FIELDS[id], k = idx.length;
    if (k === f.r.length) { fn(idx); return; }
    var r = f.r[k], sub = idx.slice();
    if (!shown(r, idx)) return;
    for (var i = 0, n = entries(r, idx); i < n; i++) each(id, sub.concat([i]), fn);
  }
  function isBlank(id, idx) {
    var f = FIELDS[id];
    idx = idx.slice(0, depth(id));
    if (!shown(id, idx)) return true;
    if (f.k === "repeat") return entries(id, idx) === 0;
    if (f.c.length === 0) return value(id, idx) === null;
    return f.c.every(function (c) { return FIELDS[c].k === "repeat" ? true : isBlank(c, idx); });
  }
  function evaluate(e, idx) {
    var a, b, i;
    switch (e[0]) {
      case "b": return bool(e[1]);
      case "n": return parseNum(e[1]);
      case "t": return { k: "t", v: e[1] };
      case "d": return { k: "d", y: e[1], m: e[2], d: e[3] };
      case "u": return { k: "u", a: e[1], unit: e[2] };
      case "z": return null;
      case "f": return value(e[1], idx);
      case "today": return today();
      case "age": a = evaluate(e[1], idx); return a && a.k === "d" ? num(BigInt(wholeYears(a, today())), 0) : null;
      case "length": a = evaluate(e[1], idx); return a && a.k === "t" ? num(BigInt(Array.from(a.v).length), 0) : null;
      case "count": {
        var n = 0, id = e[1][1];
        if (e[1][0] !== "f") return num(0n, 0);
        each(id, idx.slice(0, Math.min(idx.length, depth(id))), function (j) {
          if (!shown(id, j)) return;
          if (FIELDS[id].k === "repeat") n += entries(id, j);
          else { var s = value(id, j); n += s && s.k === "s" ? s.v.length : 0; }
        });
        return num(BigInt(n), 0);
      }
      case "sum": {
        var total = num(0n, 0), sid = e[1][1];
        if (e[1][0] !== "f") return total;
        each(sid, idx.slice(0, Math.min(idx.length, depth(sid))), function (j) {
          var v = value(sid, j);
          if (v && v.k === "n") { var x = align(total, v); total = num(x[0] + x[1], x[2]); }
        });
        return total;
      }
      case "is_blank": return e[1][0] === "f" ? bool(isBlank(e[1][1], idx)) : bool(evaluate(e[1], idx) === null);
      case "contains":
        a = evaluate(e[1], idx); b = evaluate(e[2], idx);
        if (!b || b.k !== "t") return null;
        if (!a || a.k !== "s") return bool(false);
        return bool(a.v.indexOf(b.v) >= 0);
      case "neg": a = evaluate(e[1], idx); return a && a.k === "n" ? num(-a.c, a.s) : null;
      case "not": a = evaluate(e[1], idx); return a && a.k === "b" ? bool(!a.v) : null;
      case "and": case "or": {
        var isAnd = e[0] === "and", unknown = false;
        for (i = 1; i < e.length; i++) {
          a = evaluate(e[i], idx);
          if (!a || a.k !== "b") unknown = true;
          else if (a.v !== isAnd) return bool(!isAnd);
        }
        return unknown ? null : bool(isAnd);
      }
      case "add": case "sub": case "mul": case "div": {
        a = evaluate(e[1], idx); b = evaluate(e[2], idx);
        if (!a || !b) return null;
        if (a.k === "n" && b.k === "n") {
          if (e[0] === "div") return divNum(a, b);
          if (e[0] === "mul") return num(a.c * b.c, a.s + b.s);
          var x = align(a, b);
          return num(e[0] === "add" ? x[0] + x[1] : x[0] - x[1], x[2]);
        }
        var dt = a.k === "d" ? a : (b.k === "d" && e[0] === "add" ? b : null), du = dt === a ? b : a;
        if (dt && du.k === "u" && (e[0] === "add" || e[0] === "sub")) return addDuration(dt, du, e[0] === "sub" ? -1 : 1);
        return null;
      }
      case "eq": case "ne":
        a = evaluate(e[1], idx); b = evaluate(e[2], idx);
        if (!a || !b || a.k !== b.k) return null;
        return bool(same(a, b) === (e[0] === "eq"));
      case "lt": case "le": case "gt": case "ge": {
        var o = order(evaluate(e[1], idx), evaluate(e[2], idx));
        if (o === null) return null;
        return bool(e[0] === "lt" ? o < 0 : e[0] === "le" ? o <= 0 : e[0] === "gt" ? o > 0 : o >= 0);
      }
      case "in": case "not_in": {
        a = evaluate(e[1], idx);
        if (!a) return null;
        var found = false;
        for (i = 2; i < e.length && !found; i++) { b = evaluate(e[i], idx); found = !!b && b.k === a.k && same(a, b); }
        return bool(found === (e[0] === "in"));
      }
    }
    return null;
  }

  // ---- the page --------------------------------------------------------------------------
  function indexes(p) {
    var out = [], re = /\[([0-9]+)\]/g, m;
    while ((m = re.exec(p)) !== null) out.push(Number(m[1]));
    return out;
  }
  function update() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-askonce-field]"), function (el) {
      var id = el.getAttribute("data-askonce-field");
      if (!FIELDS[id]) return;
      el.hidden = !shown(id, indexes(el.getAttribute("data-askonce-path") || ""));
    });
  }
  if (form) {
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }
  // The error summary takes focus when the page loads; its links move focus to each field and
  // bring its question into view.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (ev) {
      var a = ev.target.closest("a[href^='#']");
      if (!a) return;
      var input = document.getElementById(a.getAttribute("href").slice(1));
      if (!input) return;
      ev.preventDefault();
      var group = input.closest("fieldset") || input.closest(".usa-form-group") || input;
      var legend = group.querySelector("legend, label") || group;
      legend.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }
})();
