// form.js for va_10_10ez version 1, sha256:58029a46b24ef8a88667766a53b902bc1bb4becb984098ec7928f482859048cd
// Generated from the form's definition by askonce (renderers/script.cpp): shows and hides
// questions as they are answered. The server checks every answer again.
(function () {
  "use strict";
  var FIELDS = {
    "veteranFullName": {k: "group", r: [], p: null, c: ["veteranFullName.first", "veteranFullName.middle", "veteranFullName.last", "veteranFullName.suffix"]},
    "veteranFullName.first": {k: "text", r: [], p: "veteranFullName", c: []},
    "veteranFullName.middle": {k: "text", r: [], p: "veteranFullName", c: []},
    "veteranFullName.last": {k: "text", r: [], p: "veteranFullName", c: []},
    "veteranFullName.suffix": {k: "choice", r: [], p: "veteranFullName", c: []},
    "mothersMaidenName": {k: "text", r: [], p: null, c: []},
    "veteranSocialSecurityNumber": {k: "text", r: [], p: null, c: []},
    "gender": {k: "choice", r: [], p: null, c: []},
    "veteranDateOfBirth": {k: "date", r: [], p: null, c: []},
    "cityOfBirth": {k: "text", r: [], p: null, c: []},
    "stateOfBirth": {k: "choice", r: [], p: null, c: []},
    "maritalStatus": {k: "choice", r: [], p: null, c: []},
    "demographics_note": {k: "note", r: [], p: null, c: []},
    "isSpanishHispanicLatino": {k: "yesno", r: [], p: null, c: []},
    "isAmericanIndianOrAlaskanNative": {k: "yesno", r: [], p: null, c: []},
    "isBlackOrAfricanAmerican": {k: "yesno", r: [], p: null, c: []},
    "isNativeHawaiianOrOtherPacificIslander": {k: "yesno", r: [], p: null, c: []},
    "isAsian": {k: "yesno", r: [], p: null, c: []},
    "isWhite": {k: "yesno", r: [], p: null, c: []},
    "hasDemographicNoAnswer": {k: "yesno", r: [], p: null, c: []},
    "veteranAddress": {k: "group", r: [], p: null, c: ["veteranAddress.street", "veteranAddress.street2", "veteranAddress.street3", "veteranAddress.city", "veteranAddress.country", "veteranAddress.state", "veteranAddress.provinceCode", "veteranAddress.postalCode"]},
    "veteranAddress.street": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.street2": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.street3": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.city": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.country": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.state": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.provinceCode": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranAddress.postalCode": {k: "text", r: [], p: "veteranAddress", c: []},
    "veteranHomeAddress": {k: "group", r: [], p: null, c: ["veteranHomeAddress.street", "veteranHomeAddress.street2", "veteranHomeAddress.street3", "veteranHomeAddress.city", "veteranHomeAddress.country", "veteranHomeAddress.state", "veteranHomeAddress.provinceCode", "veteranHomeAddress.postalCode"]},
    "veteranHomeAddress.street": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.street2": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.street3": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.city": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.country": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.state": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.provinceCode": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "veteranHomeAddress.postalCode": {k: "text", r: [], p: "veteranHomeAddress", c: []},
    "email": {k: "email", r: [], p: null, c: []},
    "homePhone": {k: "text", r: [], p: null, c: []},
    "mobilePhone": {k: "text", r: [], p: null, c: []},
    "vaCompensationType": {k: "choice", r: [], p: null, c: []},
    "vaPensionType": {k: "choice", r: [], p: null, c: []},
    "vaMedicalFacility": {k: "text", r: [], p: null, c: []},
    "wantsInitialVaContact": {k: "yesno", r: [], p: null, c: []},
    "lastServiceBranch": {k: "choice", r: [], p: null, c: []},
    "lastEntryDate": {k: "date", r: [], p: null, c: []},
    "lastDischargeDate": {k: "date", r: [], p: null, c: []},
    "dischargeType": {k: "choice", r: [], p: null, c: []},
    "purpleHeartRecipient": {k: "yesno", r: [], p: null, c: []},
    "isFormerPow": {k: "yesno", r: [], p: null, c: []},
    "postNov111998Combat": {k: "yesno", r: [], p: null, c: []},
    "disabledInLineOfDuty": {k: "yesno", r: [], p: null, c: []},
    "swAsiaCombat": {k: "yesno", r: [], p: null, c: []},
    "vietnamService": {k: "yesno", r: [], p: null, c: []},
    "exposedToRadiation": {k: "yesno", r: [], p: null, c: []},
    "radiumTreatments": {k: "yesno", r: [], p: null, c: []},
    "campLejeune": {k: "yesno", r: [], p: null, c: []},
    "hasTeraResponse": {k: "yesno", r: [], p: null, c: []},
    "exposure_dates": {k: "note", r: [], p: null, c: []},
    "radiationCleanupEfforts": {k: "yesno", r: [], p: null, c: []},
    "gulfWarService": {k: "yesno", r: [], p: null, c: []},
    "gulfWarStartDate": {k: "text", r: [], p: null, c: []},
    "gulfWarEndDate": {k: "text", r: [], p: null, c: []},
    "combatOperationService": {k: "yesno", r: [], p: null, c: []},
    "exposedToAgentOrange": {k: "yesno", r: [], p: null, c: []},
    "agentOrangeStartDate": {k: "text", r: [], p: null, c: []},
    "agentOrangeEndDate": {k: "text", r: [], p: null, c: []},
    "exposureToAirPollutants": {k: "yesno", r: [], p: null, c: []},
    "exposureToAsbestos": {k: "yesno", r: [], p: null, c: []},
    "exposureToChemicals": {k: "yesno", r: [], p: null, c: []},
    "exposureToContaminatedWater": {k: "yesno", r: [], p: null, c: []},
    "exposureToMustardGas": {k: "yesno", r: [], p: null, c: []},
    "exposureToOccupationalHazards": {k: "yesno", r: [], p: null, c: []},
    "exposureToRadiation": {k: "yesno", r: [], p: null, c: []},
    "exposureToShad": {k: "yesno", r: [], p: null, c: []},
    "exposureToWarfareAgents": {k: "yesno", r: [], p: null, c: []},
    "exposureToOther": {k: "yesno", r: [], p: null, c: []},
    "otherToxicExposure": {k: "text", r: [], p: null, c: []},
    "toxicExposureStartDate": {k: "text", r: [], p: null, c: []},
    "toxicExposureEndDate": {k: "text", r: [], p: null, c: []},
    "isCoveredByHealthInsurance": {k: "yesno", r: [], p: null, c: []},
    "providers": {k: "repeat", r: [], p: null, c: ["providers.insuranceName", "providers.insurancePolicyHolderName", "providers.insurancePolicyNumber", "providers.insuranceGroupCode"]},
    "providers.insuranceName": {k: "text", r: ["providers"], p: "providers", c: []},
    "providers.insurancePolicyHolderName": {k: "text", r: ["providers"], p: "providers", c: []},
    "providers.insurancePolicyNumber": {k: "text", r: ["providers"], p: "providers", c: []},
    "providers.insuranceGroupCode": {k: "text", r: ["providers"], p: "providers", c: []},
    "isMedicaidEligible": {k: "yesno", r: [], p: null, c: []},
    "isEnrolledMedicarePartA": {k: "yesno", r: [], p: null, c: []},
    "medicarePartAEffectiveDate": {k: "date", r: [], p: null, c: []},
    "medicareClaimNumber": {k: "text", r: [], p: null, c: []},
    "discloseFinancialInformation": {k: "yesno", r: [], p: null, c: []},
    "spouseFullName": {k: "group", r: [], p: null, c: ["spouseFullName.first", "spouseFullName.middle", "spouseFullName.last", "spouseFullName.suffix"]},
    "spouseFullName.first": {k: "text", r: [], p: "spouseFullName", c: []},
    "spouseFullName.middle": {k: "text", r: [], p: "spouseFullName", c: []},
    "spouseFullName.last": {k: "text", r: [], p: "spouseFullName", c: []},
    "spouseFullName.suffix": {k: "choice", r: [], p: "spouseFullName", c: []},
    "spouseSocialSecurityNumber": {k: "text", r: [], p: null, c: []},
    "spouseDateOfBirth": {k: "date", r: [], p: null, c: []},
    "dateOfMarriage": {k: "date", r: [], p: null, c: []},
    "sameAddress": {k: "yesno", r: [], p: null, c: []},
    "cohabitedLastYear": {k: "yesno", r: [], p: null, c: []},
    "provideSupportLastYear": {k: "yesno", r: [], p: null, c: []},
    "spouseAddress": {k: "group", r: [], p: null, c: ["spouseAddress.street", "spouseAddress.street2", "spouseAddress.street3", "spouseAddress.city", "spouseAddress.country", "spouseAddress.state", "spouseAddress.provinceCode", "spouseAddress.postalCode"]},
    "spouseAddress.street": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.street2": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.street3": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.city": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.country": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.state": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.provinceCode": {k: "text", r: [], p: "spouseAddress", c: []},
    "spouseAddress.postalCode": {k: "text", r: [], p: "spouseAddress", c: []},
    "spousePhone": {k: "text", r: [], p: null, c: []},
    "dependents": {k: "repeat", r: [], p: null, c: ["dependents.fullName", "dependents.dependentRelation", "dependents.socialSecurityNumber", "dependents.becameDependent", "dependents.dateOfBirth", "dependents.disabledBefore18", "dependents.attendedSchoolLastYear", "dependents.dependentEducationExpenses", "dependents.cohabitedLastYear", "dependents.receivedSupportLastYear", "dependents.grossIncome", "dependents.netIncome", "dependents.otherIncome"]},
    "dependents.fullName": {k: "group", r: ["dependents"], p: "dependents", c: ["dependents.fullName.first", "dependents.fullName.middle", "dependents.fullName.last", "dependents.fullName.suffix"]},
    "dependents.fullName.first": {k: "text", r: ["dependents"], p: "dependents.fullName", c: []},
    "dependents.fullName.middle": {k: "text", r: ["dependents"], p: "dependents.fullName", c: []},
    "dependents.fullName.last": {k: "text", r: ["dependents"], p: "dependents.fullName", c: []},
    "dependents.fullName.suffix": {k: "choice", r: ["dependents"], p: "dependents.fullName", c: []},
    "dependents.dependentRelation": {k: "choice", r: ["dependents"], p: "dependents", c: []},
    "dependents.socialSecurityNumber": {k: "text", r: ["dependents"], p: "dependents", c: []},
    "dependents.becameDependent": {k: "date", r: ["dependents"], p: "dependents", c: []},
    "dependents.dateOfBirth": {k: "date", r: ["dependents"], p: "dependents", c: []},
    "dependents.disabledBefore18": {k: "yesno", r: ["dependents"], p: "dependents", c: []},
    "dependents.attendedSchoolLastYear": {k: "yesno", r: ["dependents"], p: "dependents", c: []},
    "dependents.dependentEducationExpenses": {k: "decimal", r: ["dependents"], p: "dependents", c: []},
    "dependents.cohabitedLastYear": {k: "yesno", r: ["dependents"], p: "dependents", c: []},
    "dependents.receivedSupportLastYear": {k: "yesno", r: ["dependents"], p: "dependents", c: []},
    "dependents.grossIncome": {k: "decimal", r: ["dependents"], p: "dependents", c: []},
    "dependents.netIncome": {k: "decimal", r: ["dependents"], p: "dependents", c: []},
    "dependents.otherIncome": {k: "decimal", r: ["dependents"], p: "dependents", c: []},
    "finances_note": {k: "note", r: [], p: null, c: []},
    "veteranGrossIncome": {k: "decimal", r: [], p: null, c: []},
    "veteranNetIncome": {k: "decimal", r: [], p: null, c: []},
    "veteranOtherIncome": {k: "decimal", r: [], p: null, c: []},
    "spouseGrossIncome": {k: "decimal", r: [], p: null, c: []},
    "spouseNetIncome": {k: "decimal", r: [], p: null, c: []},
    "spouseOtherIncome": {k: "decimal", r: [], p: null, c: []},
    "deductibleMedicalExpenses": {k: "decimal", r: [], p: null, c: []},
    "deductibleFuneralExpenses": {k: "decimal", r: [], p: null, c: []},
    "deductibleEducationExpenses": {k: "decimal", r: [], p: null, c: []},
    "attachments": {k: "repeat", r: [], p: null, c: ["attachments.name", "attachments.size", "attachments.confirmationCode", "attachments.dd214"]},
    "attachments.name": {k: "text", r: ["attachments"], p: "attachments", c: []},
    "attachments.size": {k: "integer", r: ["attachments"], p: "attachments", c: []},
    "attachments.confirmationCode": {k: "text", r: ["attachments"], p: "attachments", c: []},
    "attachments.dd214": {k: "yesno", r: ["attachments"], p: "attachments", c: []},
    "privacyAgreementAccepted": {k: "attest", r: [], p: null, c: []},
  };
  var SHOW = {
  };
  var COMPUTED = {
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
