// renderers/assets/form.js: the one script of every form page, served at
// /assets/askonce/form.<hash>.js (renderers/script.hpp) and cached once by the browser.
//
// It knows nothing of any one form: each page carries its form's rules as data,
// <script type="application/json" id="askonce-rules"> (renderers/script.cpp writes them), and
// may carry the citizen's answers from earlier steps, <script type="application/json"
// id="askonce-answers">{"flat.name": "value" | ["v1", "v2"], ...}. With them it shows and hides
// questions and shows computed values as the citizen answers, with the engine's meaning:
// engine/evaluate.cpp (blank rules, Kleene logic), engine/value.cpp (exact decimals of at most
// 36 digits and 30 decimals, BigInt here, never floating point; calendar dates), and
// engine/validate.cpp (answers read from flat form fields as the server reads a post). Where
// the code below mirrors a function of the engine, the comment names it. The server checks
// every answer again: this script only helps, and the pages work without it.
//
// tests/script/check_runtime.mjs runs this file under node (the `module` branch at the end)
// on generated answers for every condition and computed field of every shipped form and
// compares each result with the engine's.
(function (factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else if (typeof document !== "undefined") api.start(document);
})(function () {
  "use strict";

  // ---- exact decimals: engine/value.cpp Decimal ---------------------------------------------
  // A number is {k: "n", c: coefficient (BigInt), s: scale}: c × 10^-s, normalized (no
  // trailing zero in c when s > 0).
  var MAX_DIGITS = 36, MAX_SCALE = 30, DIVISION_SCALE = 20;
  var DIGIT_LIMIT = 10n ** 36n;
  var INT128_MAX = 2n ** 127n - 1n, INT128_MIN = -(2n ** 127n);
  function pow10(k) { return 10n ** BigInt(k); }
  function abs(v) { return v < 0n ? -v : v; }
  function fits128(v) { return v >= INT128_MIN && v <= INT128_MAX; }

  // Decimal::make: normalizes, and nothing outside 36 digits or 30 decimals.
  function make(c, s) {
    while (s > 0 && c % 10n === 0n) { c /= 10n; s -= 1; }
    if (s > MAX_SCALE || abs(c) >= DIGIT_LIMIT) return null;
    return { k: "n", c: c, s: s };
  }
  function fromInt(n) { return { k: "n", c: BigInt(n), s: 0 }; }
  var ZERO = fromInt(0);

  // Decimal::parse without exponents: "-?(0|[1-9][0-9]*)(.[0-9]+)?".
  function parseDecimal(t) {
    var m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(t);
    if (!m) return null;
    var frac = m[3] || "", digits = (m[2] + frac).replace(/^0+/, ""), scale = frac.length;
    if (digits === "") return ZERO;
    while (scale > 0 && digits.length > 1 && digits.charAt(digits.length - 1) === "0") {
      digits = digits.slice(0, -1);
      scale -= 1;
    }
    if (digits.length > MAX_DIGITS || scale > MAX_SCALE) return null;
    var c = BigInt(digits);
    return make(m[1] === "-" ? -c : c, scale);
  }

  // div_pow10_half_even: v / 10^k rounded half to even.
  function divPow10HalfEven(v, k) {
    if (k <= 0) return v;
    if (k > 38) return 0n;
    var d = pow10(k), neg = v < 0n, a = abs(v), q = a / d, r = a % d, twice = r * 2n;
    if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
    return neg ? -q : q;
  }
  function rounded(x, decimals) {
    if (decimals < 0) decimals = 0;
    if (x.s <= decimals) return x;
    return make(divPow10HalfEven(x.c, x.s - decimals), decimals) || ZERO;
  }
  function add(x, y) {
    var s = Math.max(x.s, y.s), a = x.c * pow10(s - x.s), b = y.c * pow10(s - y.s);
    if (!fits128(a) || !fits128(b) || !fits128(a + b)) return null;
    return make(a + b, s);
  }
  function neg(x) { return { k: "n", c: -x.c, s: x.s }; }
  function sub(x, y) { return add(x, neg(y)); }
  function mul(x, y) {
    var r = x.c * y.c, s = x.s + y.s;
    if (!fits128(r)) return null;
    if (s > MAX_SCALE) { r = divPow10HalfEven(r, s - MAX_SCALE); s = MAX_SCALE; }
    return make(r, s);
  }
  function div(x, y) {
    if (y.c === 0n) return null;
    var a = x, e = DIVISION_SCALE + y.s - a.s;
    if (e < 0) {
      a = rounded(a, y.s + DIVISION_SCALE);
      e = DIVISION_SCALE + y.s - a.s;
    }
    var negative = (a.c < 0n) !== (y.c < 0n), num = abs(a.c), den = abs(y.c);
    var q = num / den, r = num % den, limit = pow10(38);
    for (var i = 0; i < e; i++) {
      r *= 10n;
      q = q * 10n + r / den;
      r %= den;
      if (q >= limit / 10n && i + 1 < e) return null;
    }
    if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n;
    if (q >= limit) return null;
    var scale = DIVISION_SCALE;
    while (q >= DIGIT_LIMIT && scale > 0) { q = divPow10HalfEven(q, 1); scale -= 1; }
    return make(negative ? -q : q, scale);
  }
  function compareDecimal(x, y) {
    var s = Math.max(x.s, y.s), a = x.c * pow10(s - x.s), b = y.c * pow10(s - y.s);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // Decimal::to_string: no exponent, no needless zeros, never "-0".
  function decimalText(x) {
    if (x.c === 0n) return "0";
    var d = abs(x.c).toString();
    if (x.s > 0) {
      if (d.length <= x.s) d = "0".repeat(x.s - d.length + 1) + d;
      d = d.slice(0, d.length - x.s) + "." + d.slice(d.length - x.s);
    }
    return x.c < 0n ? "-" + d : d;
  }
  // Decimal::to_fixed.
  function fixedText(x, decimals) {
    var t = decimalText(rounded(x, decimals)), dot = t.indexOf(".");
    var have = dot < 0 ? 0 : t.length - dot - 1;
    if (decimals <= 0) return t;
    return (dot < 0 ? t + "." : t) + "0".repeat(decimals - have);
  }

  // ---- dates: engine/value.cpp ---------------------------------------------------------------
  function isLeap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
  function monthDays(y, m) { return m === 2 && isLeap(y) ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]; }
  function isRealDate(y, m, d) { return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m); }
  function date(y, m, d) { return { k: "d", y: y, m: m, d: d }; }
  // Howard Hinnant's days_from_civil / civil_from_days, with floor division.
  function daysFromCivil(dt) {
    var y = dt.y - (dt.m <= 2 ? 1 : 0), era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (dt.m > 2 ? dt.m - 3 : dt.m + 9) + 2) / 5) + dt.d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }
  function civilFromDays(z) {
    z += 719468;
    var era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153), d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    var m = mp < 10 ? mp + 3 : mp - 9;
    return date(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
  }
  // add(Date, Duration, sign): months and years keep the day, clamped to the month's end.
  function addDuration(dt, u, sign) {
    if (u.a > 10000000 || u.a < -10000000) return null;
    var n = u.a * sign, r;
    if (u.unit === "days" || u.unit === "weeks") {
      r = civilFromDays(daysFromCivil(dt) + n * (u.unit === "weeks" ? 7 : 1));
    } else {
      var total = dt.y * 12 + (dt.m - 1) + n * (u.unit === "years" ? 12 : 1);
      var y = Math.floor(total / 12);
      if (y < 1 || y > 9999) return null;
      var m = total - y * 12 + 1;
      r = date(y, m, Math.min(dt.d, monthDays(y, m)));
    }
    return r.y >= 1 && r.y <= 9999 ? r : null;
  }
  function wholeYears(from, to) {
    var y = to.y - from.y;
    if (to.m < from.m || (to.m === from.m && to.d < from.d)) y -= 1;
    return y;
  }
  function compareDate(a, b) {
    if (a.y !== b.y) return a.y < b.y ? -1 : 1;
    if (a.m !== b.m) return a.m < b.m ? -1 : 1;
    return a.d === b.d ? 0 : a.d < b.d ? -1 : 1;
  }
  function isoDate(d) {
    var p = function (v, n) { return String(v).padStart(n, "0"); };
    return p(d.y, 4) + "-" + p(d.m, 2) + "-" + p(d.d, 2);
  }
  function parseIsoDate(t) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(t);
    return m && isRealDate(+m[1], +m[2], +m[3]) ? date(+m[1], +m[2], +m[3]) : null;
  }

  // ---- values in expressions: engine/evaluate.cpp --------------------------------------------
  // null is blank; {k: "b", v}, numbers, dates, {k: "t", v: text}, {k: "u", a, unit}
  // (durations), {k: "s", v: [option values]} (the options ticked in a `choices` field).
  function bool(b) { return { k: "b", v: b }; }
  function holds(v) { return v !== null && v.k === "b" && v.v === true; }
  function same(a, b) {
    switch (a.k) {
      case "n": return compareDecimal(a, b) === 0;
      case "d": return compareDate(a, b) === 0;
      case "u": return a.a === b.a && a.unit === b.unit;
      case "s": return a.v.length === b.v.length && a.v.every(function (x, i) { return x === b.v[i]; });
      default: return a.v === b.v;
    }
  }
  function order(a, b) {
    if (a === null || b === null || a.k !== b.k) return null;
    if (a.k === "n") return compareDecimal(a, b);
    if (a.k === "d") return compareDate(a, b);
    if (a.k === "u") {
      var am = a.unit === "months" || a.unit === "years", bm = b.unit === "months" || b.unit === "years";
      if (am !== bm) return null;  // a month has no fixed number of days
      var size = function (u) { return am ? (u.unit === "years" ? u.a * 12 : u.a) : (u.unit === "weeks" ? u.a * 7 : u.a); };
      var x = size(a), y = size(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return null;
  }

  // ---- reading answers as engine/validate.cpp reads flat form fields ---------------------------
  // engine/normalize.cpp is_white_space and canonical_text: trimmed, NFC, no control character.
  var SPACE = "[ \\t\\n\\u000b\\f\\r\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var TRIM = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");
  var NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;
  var PROBLEM = {};  // a text the engine refuses: the answer has a problem, so it is blank
  function canonicalText(t, multiline) {
    if (NOT_TEXT.test(t)) return PROBLEM;
    t = t.replace(TRIM, "");
    if (/[\r\n]/.test(t)) {
      if (!multiline) return PROBLEM;
      t = t.replace(/\r\n?/g, "\n");
    }
    return t.normalize("NFC");
  }
  function asciiLower(t) { return t.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); }
  function digitsOnly(t, separators) {
    var out = "";
    for (var i = 0; i < t.length; i++) {
      var c = t.charAt(i);
      if (c >= "0" && c <= "9") out += c;
      else if (separators.indexOf(c) < 0) return null;
    }
    return out;
  }
  function isHostName(h) {
    if (h === "" || h.length > 253) return false;
    var labels = h.split(".");
    for (var i = 0; i < labels.length; i++) {
      if (!/^[A-Za-z0-9-]{1,63}$/.test(labels[i]) || labels[i].charAt(0) === "-" || labels[i].slice(-1) === "-") return false;
    }
    return labels.length >= 2 && !/^[0-9]+$/.test(labels[labels.length - 1]);
  }
  function isIpv4(h) {
    var parts = h.split(".");
    return parts.length === 4 && parts.every(function (p) { return /^[0-9]{1,3}$/.test(p) && +p <= 255 && !(p.length > 1 && p.charAt(0) === "0"); });
  }
  var CANONICAL = {
    email: function (t) {  // canonical_email
      if (t.length > 254) return null;
      var at = t.lastIndexOf("@");
      if (at <= 0 || at > 64) return null;
      var local = t.slice(0, at), domain = t.slice(at + 1);
      if (!/^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~.-]+$/.test(local) || /^\.|\.$|\.\./.test(local)) return null;
      return isHostName(domain) ? local + "@" + asciiLower(domain) : null;
    },
    phone: function (t) {  // canonical_phone
      var plus = t.charAt(0) === "+", d = digitsOnly(plus ? t.slice(1) : t, " -.()");
      if (d === null) return null;
      var nanp = function (ten) { return ten.length === 10 && ten.charAt(0) >= "2" && ten.charAt(3) >= "2"; };
      if (plus) {
        if (d === "" || d.charAt(0) === "0") return null;
        if (d.charAt(0) === "1") { if (d.length !== 11 || !nanp(d.slice(1))) return null; }
        else if (d.length < 7 || d.length > 15) return null;
        return "+" + d;
      }
      if (d.length === 11 && d.charAt(0) === "1") d = d.slice(1);
      return nanp(d) ? "+1" + d : null;
    },
    ssn: function (t) {  // canonical_ssn
      var d = digitsOnly(t, " -");
      if (d === null || d.length !== 9) return null;
      var area = d.slice(0, 3);
      if (area === "000" || area === "666" || area.charAt(0) === "9" || d.slice(3, 5) === "00" || d.slice(5) === "0000") return null;
      return d;
    },
    ein: function (t) {  // canonical_ein
      var d = digitsOnly(t, " -");
      if (d === null || d.length !== 9) return null;
      var unused = ["00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"];
      return unused.indexOf(d.slice(0, 2)) >= 0 ? null : d;
    },
    zip: function (t) {  // canonical_zip
      if (t.length === 10 && (t.charAt(5) === "-" || t.charAt(5) === " ")) {
        var nine = digitsOnly(t.slice(0, 5) + t.slice(6), "");
        return nine !== null && nine.length === 9 ? nine : null;
      }
      var d = digitsOnly(t, "");
      return d !== null && (d.length === 5 || d.length === 9) ? d : null;
    },
    url: function (t) {  // canonical_url
      var colon = t.indexOf("://");
      if (colon < 0) return null;
      var scheme = asciiLower(t.slice(0, colon));
      if (scheme !== "http" && scheme !== "https") return null;
      if (/[\u0000-\u0020\u007f-\uffff"<>\\^`{|}]/.test(t)) return null;
      var start = colon + 3, rest = t.slice(start), end = rest.search(/[\/?#]/);
      if (end < 0) end = rest.length;
      var authority = rest.slice(0, end), at = authority.lastIndexOf("@"), hostAt = start;
      if (at >= 0) { authority = authority.slice(at + 1); hostAt = start + at + 1; }
      var host = authority, port = null;
      if (authority.charAt(0) === "[") {
        var close = authority.indexOf("]");
        if (close < 3 || !/^[0-9A-Fa-f:.]+$/.test(authority.slice(1, close))) return null;
        host = authority.slice(0, close + 1);
        port = authority.slice(close + 1);
        if (port !== "" && port.charAt(0) !== ":") return null;
        if (port === "") port = null;
      } else if (authority.lastIndexOf(":") >= 0) {
        host = authority.slice(0, authority.lastIndexOf(":"));
        port = authority.slice(authority.lastIndexOf(":"));
      }
      if (port !== null) {
        port = port.slice(1);
        if (!/^[0-9]{1,5}$/.test(port) || +port > 65535) return null;
      }
      if (host === "" || (host.charAt(0) !== "[" && !isIpv4(host) && !isHostName(host))) return null;
      return scheme + "://" + t.slice(start, hostAt) + asciiLower(host) + t.slice(hostAt + host.length);
    }
  };
  // lenient_decimal: a sign, "$" for money, thousands in groups of three with commas.
  function lenientDecimal(t, money) {
    var m = /^([-+]?)(\$?)([0-9,]*)(?:\.([0-9]*))?$/.exec(t);
    if (!m || (m[2] && !money)) return null;
    var whole = m[3], frac = m[4];
    if (whole.indexOf(",") >= 0 && !/^[0-9]{1,3}(,[0-9]{3})+$/.test(whole)) return null;
    if (frac === "") return null;
    whole = whole.replace(/,/g, "");
    if (whole === "" && frac === undefined) return null;
    whole = whole.replace(/^0+/, "") || "0";
    return parseDecimal((m[1] === "-" ? "-" : "") + whole + (frac !== undefined ? "." + frac : ""));
  }
  // lenient_bool.
  function lenientBool(t) {
    var s = asciiLower(t);
    if (["true", "yes", "on", "1", "y", "sí", "si"].indexOf(s) >= 0) return true;
    if (["false", "no", "off", "0", "n"].indexOf(s) >= 0) return false;
    return null;
  }

  /// A pattern as HTML's `pattern` attribute reads it (the whole value, the `u` flag), compiled
  /// once; null when this browser cannot compile it.
  var WHOLE = Object.create(null);
  function wholeMatch(pattern) {
    if (!(pattern in WHOLE)) {
      try { WHOLE[pattern] = new RegExp("^(?:" + pattern + ")$", "u"); } catch (err) { WHOLE[pattern] = null; }
    }
    return WHOLE[pattern];
  }

  // ---- the rules of one form ---------------------------------------------------------------
  // rules: {"fields": [{"id", "k": kind, "p": parent id or null, "show": expr, "req": expr,
  // "calc": expr, "ifs": [the conditions of its rules of one alternative, in order], "o": [option values] (choices), "u": true (letters upper-cased), "labels":
  // {value: label} (a computed choice)}, ...], "words": {...}} in form order (renderers/script.cpp). Expressions: [op, operands...]; ["f", id] a field,
  // ["n", "1.5"], ["t", text], ["b", bool], ["d", y, m, d], ["u", amount, unit], ["z"] literals.
  var HOLDS_NOTHING = { note: 1, group: 1, address: 1, name: 1, repeat: 1 };
  function Form(rules) {
    var fields = rules.fields, byId = {}, i;
    for (i = 0; i < fields.length; i++) {
      var f = fields[i];
      f.index = i;
      f.children = [];
      f.end = i + 1;
      byId[f.id] = f;
    }
    for (i = 0; i < fields.length; i++) {
      var p = fields[i].p === null ? null : byId[fields[i].p];
      fields[i].parent = p || null;
      if (p) p.children.push(fields[i]);
    }
    for (i = fields.length - 1; i >= 0; i--) {
      fields[i].children.forEach(function (c) { fields[i].end = Math.max(fields[i].end, c.end); });
    }
    for (i = 0; i < fields.length; i++) {
      // repeats: the repeats around the field, outermost first (Plan::repeats_around).
      var chain = [];
      for (var q = fields[i].parent; q; q = q.parent) if (q.k === "repeat") chain.unshift(q);
      fields[i].repeats = chain;
      fields[i].depth = chain.length;
      fields[i].holdsValue = !HOLDS_NOTHING[fields[i].k];
    }
    this.fields = fields;
    this.byId = byId;
  }
  // instance_path: "household[1].full_name" for household.full_name in entry [1].
  Form.prototype.path = function (f, idx) {
    var out = "", pos = 0;
    for (var k = 0; k < f.repeats.length && k < idx.length; k++) {
      var r = f.repeats[k].id;
      out += f.id.slice(pos, r.length) + "[" + idx[k] + "]";
      pos = r.length;
    }
    return out + f.id.slice(pos);
  };

  // ---- where answers come from -------------------------------------------------------------
  // A source answers two questions, as the flat fields of a post would: the values sent under
  // a name, and how many entries a repeat at an instance path has.
  function indexAfter(name, prefix) {
    if (name.slice(0, prefix.length) !== prefix) return -1;
    var m = /^([0-9]{1,9})\]\./.exec(name.slice(prefix.length));  // "[3]." then a part
    return m ? Number(m[1]) : -1;
  }
  /// Flat fields: [[name, value], ...] in order, as posted; or the answers block's object.
  function FieldsSource(pairs) {
    this.values = Object.create(null);
    for (var i = 0; i < pairs.length; i++) {
      var name = String(pairs[i][0]);
      (this.values[name] = this.values[name] || []).push(String(pairs[i][1]));
    }
  }
  FieldsSource.fromObject = function (obj) {
    var pairs = [];
    Object.keys(obj || {}).forEach(function (name) {
      var v = obj[name];
      (Array.isArray(v) ? v : [v]).forEach(function (x) { if (x !== null && x !== undefined) pairs.push([name, x]); });
    });
    return new FieldsSource(pairs);
  };
  FieldsSource.prototype.raw = function (name) { return this.values[name] || []; };
  FieldsSource.prototype.has = function (name) { return name in this.values; };
  FieldsSource.prototype.entries = function (path) {
    var n = 0, prefix = path + "[";
    for (var name in this.values) n = Math.max(n, indexAfter(name, prefix) + 1);
    return n;
  };

  // ---- the evaluator -------------------------------------------------------------------------
  /// The engine over one form, one source of answers and one today (a date value).
  function Engine(form, source, today) {
    this.form = form;
    this.source = source;
    this.today = today;
    this.memo = Object.create(null);
  }
  function key(f, idx) { return f.index + ":" + idx.join(","); }

  /// Answer.shown: the field's `show if` and every ancestor's hold, as settle() decides.
  Engine.prototype.shown = function (f, idx) {
    idx = idx.slice(0, f.depth);
    var k = "s" + key(f, idx);
    if (k in this.memo) return this.memo[k];
    this.memo[k] = false;  // a circle the compiler let through reads as not shown
    var v = (f.parent === null || this.shown(f.parent, idx)) && (!f.show || holds(this.evaluate(f.show, idx)));
    return (this.memo[k] = v);
  };
  /// `required if` holds (blank is false), for a shown field. The page says in words when a
  /// question is required; the tests compare this with the engine.
  Engine.prototype.requiredIf = function (f, idx) {
    return !!f.req && this.shown(f, idx) && holds(this.evaluate(f.req, idx.slice(0, f.depth)));
  };
  /// Whether a rule of one alternative of `f` applies (its `if`: blank is false), as the
  /// engine's validator decides before judging the rule.
  Engine.prototype.appliesIf = function (f, cond, idx) {
    return holds(this.evaluate(cond, idx.slice(0, f.depth)));
  };
  /// The entries of the repeat `f` in the entry `idx`: none when it is not shown.
  Engine.prototype.entries = function (f, idx) {
    if (!this.shown(f, idx)) return 0;
    return this.source.entries(this.form.path(f, idx.slice(0, f.depth)));
  };
  /// The value of field `f` in the entry `idx` (from_answer): blank when not shown, when
  /// unanswered, or when the engine would refuse what was sent; computed fields evaluated.
  Engine.prototype.value = function (f, idx) {
    if (f.depth > idx.length) return null;  // answer_in: a field below the scope is blank
    idx = idx.slice(0, f.depth);
    var k = "v" + key(f, idx);
    if (k in this.memo) return this.memo[k];
    this.memo[k] = null;
    var v = null;
    if (f.holdsValue && this.shown(f, idx)) v = f.calc ? this.computed(f, this.evaluate(f.calc, idx)) : this.read(f, idx);
    return (this.memo[k] = v);
  };
  // computed_value: the expression's value as the field's kind; anything else is blank.
  Engine.prototype.computed = function (f, v) {
    if (v === null) return null;
    switch (f.k) {
      case "integer": case "decimal": case "money":
        if (v.k !== "n") return null;
        return f.k === "integer" ? rounded(v, 0) : f.k === "money" ? rounded(v, 2) : v;
      case "date": return v.k === "d" ? v : null;
      case "yesno": case "attest": return v.k === "b" ? v : null;
      case "choices": return v.k === "s" ? v : null;
      default: return v.k === "t" && v.v !== "" ? v : null;
    }
  };
  // read_value for form text.
  Engine.prototype.read = function (f, idx) {
    var name = this.form.path(f, idx), src = this.source, raw, t;
    switch (f.k) {
      case "date": {
        var parts = ["month", "day", "year"];
        if (parts.some(function (p) { return src.has(name + "." + p); })) {
          var v = parts.map(function (p) { var r = src.raw(name + "." + p); return r.length ? canonicalText(r[0], false) : ""; });
          if (v.indexOf(PROBLEM) >= 0) return null;
          var empty = v.filter(function (x) { return x === ""; }).length;
          if (empty > 0) return null;  // none: unanswered; some: an incomplete date
          if (!/^[0-9]{1,2}$/.test(v[0]) || !/^[0-9]{1,2}$/.test(v[1]) || !/^[0-9]{4}$/.test(v[2])) return null;
          return isRealDate(+v[2], +v[0], +v[1]) ? date(+v[2], +v[0], +v[1]) : null;
        }
        raw = src.raw(name);
        t = raw.length ? canonicalText(raw[0], false) : "";
        return t === PROBLEM || t === "" ? null : parseIsoDate(t);
      }
      case "choices": {
        var items = [];
        raw = src.raw(name);
        for (var i = 0; i < raw.length; i++) {
          var item = canonicalText(raw[i], false);
          if (item === PROBLEM) return null;
          if (item !== "" && items.indexOf(item) < 0) items.push(item);
        }
        if (!items.length) return null;
        var options = f.o || [];
        var rank = function (x) { var r = options.indexOf(x); return r < 0 ? options.length : r; };
        items = items.map(function (x, n) { return [x, n]; })
          .sort(function (a, b) { return rank(a[0]) - rank(b[0]) || a[1] - b[1]; })
          .map(function (x) { return x[0]; });
        return { k: "s", v: items };
      }
      default: {
        raw = src.raw(name);
        t = raw.length ? canonicalText(raw[0], f.k === "longtext") : "";
        if (t === PROBLEM || t === "") return null;
        switch (f.k) {
          case "integer": case "decimal": case "money": {
            var d = lenientDecimal(t, f.k === "money");
            if (d === null || (f.k === "integer" && d.s > 0) || (f.k === "money" && d.s > 2)) return null;
            return d;
          }
          case "yesno": case "attest": {
            var b = lenientBool(t);
            return b === null ? null : bool(b);
          }
          default: {
            // An email with its own patterns is checked by them, not by the kind: its value is
            // the text as typed (engine/model.hpp, checked_by_pattern).
            if (CANONICAL[f.k] && !f.by_pattern) {
              t = CANONICAL[f.k](t);
              return t === null ? null : { k: "t", v: t };
            }
            return { k: "t", v: f.u ? t.replace(/[a-z]/g, function (c) { return c.toUpperCase(); }) : t };
          }
        }
      }
    }
  };
  // visit(): every answer of `f` reachable from the entry `idx`, through shown repeats.
  Engine.prototype.each = function (f, idx, fn) {
    if (idx.length > f.depth) return;
    var self = this;
    var walk = function (at) {
      if (at.length === f.depth) { fn(at); return; }
      var r = f.repeats[at.length];
      for (var i = 0, n = self.entries(r, at); i < n; i++) walk(at.concat([i]));
    };
    walk(idx.slice());
  };
  // is_blank(field).
  Engine.prototype.isBlank = function (f, idx) {
    if (f.depth > idx.length) return true;
    idx = idx.slice(0, f.depth);
    if (!this.shown(f, idx)) return true;
    if (f.holdsValue) return this.value(f, idx) === null;
    if (f.k === "repeat") return this.entries(f, idx) === 0;
    var fields = this.form.fields;
    for (var g = f.index + 1; g < f.end; g++) {
      var q = fields[g];
      if (q.depth !== f.depth || !this.shown(q, idx)) continue;
      if (q.holdsValue && this.value(q, idx) !== null) return false;
      if (q.k === "repeat" && this.entries(q, idx) > 0) return false;
    }
    return true;
  };
  Engine.prototype.field = function (e) { return this.form.byId[e[1]] || null; };
  Engine.prototype.evaluate = function (e, idx) {
    var a, b, i, f, self = this;
    switch (e[0]) {
      case "b": return bool(e[1]);
      case "n": return parseDecimal(e[1]);
      case "t": return { k: "t", v: e[1] };
      case "d": return date(e[1], e[2], e[3]);
      case "u": return { k: "u", a: e[1], unit: e[2] };
      case "z": return null;
      case "f": f = this.field(e); return f ? this.value(f, idx) : null;
      case "today": return this.today;
      case "age": a = this.evaluate(e[1], idx); return a && a.k === "d" ? fromInt(wholeYears(a, this.today)) : null;
      case "length": a = this.evaluate(e[1], idx); return a && a.k === "t" ? fromInt(Array.from(a.v).length) : null;
      case "count": {
        if (e.length > 2 || e[1][0] !== "f") {
          // count(c1, c2, ...): how many conditions hold (blank: not).
          var held = 0;
          for (i = 1; i < e.length; i++) { a = this.evaluate(e[i], idx); if (a !== null && a.k === "b" && a.v) held++; }
          return fromInt(held);
        }
        f = e[1][0] === "f" ? this.field(e[1]) : null;
        if (!f) return ZERO;
        var n = 0;
        this.each(f, idx, function (j) {
          if (!self.shown(f, j)) return;
          if (f.k === "repeat") n += self.entries(f, j);
          else { var s = self.value(f, j); n += s && s.k === "s" ? s.v.length : 0; }
        });
        return fromInt(n);
      }
      case "sum": {
        f = e[1][0] === "f" ? this.field(e[1]) : null;
        var total = ZERO, overflow = false;
        if (f) {
          this.each(f, idx, function (j) {
            var v = self.value(f, j);
            if (v === null || v.k !== "n") return;
            var t = add(total, v);
            if (t === null) overflow = true; else total = t;
          });
        }
        return overflow ? null : total;
      }
      case "is_blank":
        if (e[1][0] !== "f") return bool(this.evaluate(e[1], idx) === null);
        f = this.field(e[1]);
        return bool(!f || this.isBlank(f, idx));
      case "matches": {
        // The engine's matches(): the whole text against the pattern, as a `pattern` is.
        a = this.evaluate(e[1], idx);
        var re = e[2][0] === "t" ? wholeMatch(e[2][1]) : null;
        return a === null || a.k !== "t" || re === null ? null : bool(re.test(a.v));
      }
      case "contains":
        a = this.evaluate(e[1], idx); b = this.evaluate(e[2], idx);
        if (b === null || b.k !== "t") return null;
        if (a === null || a.k !== "s") return bool(false);  // nothing ticked
        return bool(a.v.indexOf(b.v) >= 0);
      case "neg": a = this.evaluate(e[1], idx); return a && a.k === "n" ? neg(a) : null;
      case "not": a = this.evaluate(e[1], idx); return a && a.k === "b" ? bool(!a.v) : null;
      case "and": case "or": {
        var isAnd = e[0] === "and", unknown = false;
        for (i = 1; i < e.length; i++) {
          a = this.evaluate(e[i], idx);
          if (a === null || a.k !== "b") unknown = true;
          else if (a.v !== isAnd) return bool(!isAnd);  // false and _ = false; true or _ = true
        }
        return unknown ? null : bool(isAnd);
      }
      case "add": case "sub": case "mul": case "div": {
        a = this.evaluate(e[1], idx); b = this.evaluate(e[2], idx);
        if (a === null || b === null) return null;
        if (a.k === "n" && b.k === "n") {
          return e[0] === "add" ? add(a, b) : e[0] === "sub" ? sub(a, b) : e[0] === "mul" ? mul(a, b) : div(a, b);
        }
        var dt = a.k === "d" ? a : (b.k === "d" && e[0] === "add" ? b : null), du = dt === a ? b : a;
        if (dt && du.k === "u" && (e[0] === "add" || e[0] === "sub")) return addDuration(dt, du, e[0] === "sub" ? -1 : 1);
        return null;
      }
      case "eq": case "ne":
        a = this.evaluate(e[1], idx); b = this.evaluate(e[2], idx);
        if (a === null || b === null || a.k !== b.k) return null;
        return bool(same(a, b) === (e[0] === "eq"));
      case "lt": case "le": case "gt": case "ge": {
        var o = order(this.evaluate(e[1], idx), this.evaluate(e[2], idx));
        if (o === null) return null;
        return bool(e[0] === "lt" ? o < 0 : e[0] === "le" ? o <= 0 : e[0] === "gt" ? o > 0 : o >= 0);
      }
      case "in": case "not_in": {
        a = this.evaluate(e[1], idx);
        if (a === null) return null;
        var found = false;
        for (i = 2; i < e.length && !found; i++) { b = this.evaluate(e[i], idx); found = b !== null && b.k === a.k && same(a, b); }
        return bool(found === (e[0] === "in"));
      }
    }
    return null;
  };

  /// A value as the canonical document writes it (normalize.hpp): numbers as exact decimals
  /// (money with 2 decimals), dates ISO, yes/no as true/false, sets as arrays. null: blank.
  function canonical(f, v) {
    if (v === null) return null;
    switch (v.k) {
      case "n": return f && f.k === "money" ? fixedText(v, 2) : decimalText(v);
      case "d": return isoDate(v);
      case "b": return v.v;
      case "s": return v.v.slice();
      case "u": return v.a + " " + v.unit;
      default: return v.v;
    }
  }

  // ---- the page --------------------------------------------------------------------------------
  /// Answers on the page first: a field whose question is on the page (its container, or an
  /// input by its name) is read from the page's inputs; any other from the answers block.
  function PageSource(doc, form, block) {
    this.doc = doc;
    this.block = block;
    this.inputs = Object.create(null);
    var self = this;
    Array.prototype.forEach.call(form ? form.querySelectorAll("input[name], select[name], textarea[name]") : [], function (el) {
      (self.inputs[el.name] = self.inputs[el.name] || []).push(el);
    });
  }
  PageSource.prototype.onPage = function (name) {
    return name in this.inputs || !!this.doc.getElementById(htmlId(name, "q-"));
  };
  PageSource.prototype.has = function (name) { return name in this.inputs || (!this.onPage(name) && this.block.has(name)); };
  PageSource.prototype.raw = function (name) {
    var els = this.inputs[name];
    if (!els) return this.onPage(name) ? [] : this.block.raw(name);
    var out = [];
    els.forEach(function (e) {
      if (e.type === "radio" || e.type === "checkbox") { if (e.checked) out.push(e.value); }
      else if (e.type !== "submit" && e.type !== "button") out.push(e.value);
    });
    return out;
  };
  PageSource.prototype.entries = function (path) {
    if (!this.onPage(path)) return this.block.entries(path);
    var n = 0, prefix = path + "[";
    for (var name in this.inputs) n = Math.max(n, indexAfter(name, prefix) + 1);
    return n;
  };
  // renderers/html.cpp html_id: "household[0].name" -> "f-household-0-name".
  function htmlId(path, prefix) { return (prefix || "f-") + path.replace(/[.[]/g, "-").replace(/\]/g, ""); }
  function indexesOf(path) {
    var out = [], re = /\[([0-9]+)\]/g, m;
    while ((m = re.exec(path)) !== null) out.push(Number(m[1]));
    return out;
  }
  function readJson(doc, id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }
  function localToday() {
    var t = new Date();
    return date(t.getFullYear(), t.getMonth() + 1, t.getDate());
  }
  // Wording::value: a computed value in the page's words.
  function display(f, v, words) {
    if (v === null) return "";
    var group = function (t) {
      var sign = t.charAt(0) === "-" ? "-" : "", body = sign ? t.slice(1) : t, dot = body.indexOf(".");
      var whole = dot < 0 ? body : body.slice(0, dot), out = "";
      for (var i = 0; i < whole.length; i++) out += (i > 0 && (whole.length - i) % 3 === 0 ? "," : "") + whole.charAt(i);
      return sign + out + (dot < 0 ? "" : body.slice(dot));
    };
    var label = function (x) { return f.labels && Object.prototype.hasOwnProperty.call(f.labels, x) ? f.labels[x] : x; };
    switch (v.k) {
      case "n":
        if (f.k !== "money") return group(decimalText(v));
        var t = fixedText(v, 2);
        return t.charAt(0) === "-" ? "-$" + group(t.slice(1)) : "$" + group(t);
      case "d": return (words.dates[v.m - 1] || "").replace("1111", String(v.y)).replace("22", String(v.d));
      case "b": return f.k === "attest" ? (v.v ? words.agreed : words.not_agreed) : (v.v ? words.yes : words.no);
      case "s": return v.v.map(label).join("; ");
      default:
        if (f.k === "choice") return label(v.v);
        if (/^[0-9]{9}$/.test(v.v)) {
          if (f.k === "ssn") return v.v.slice(0, 3) + "-" + v.v.slice(3, 5) + "-" + v.v.slice(5);
          if (f.k === "ein") return v.v.slice(0, 2) + "-" + v.v.slice(2);
          if (f.k === "zip") return v.v.slice(0, 5) + "-" + v.v.slice(5);
        }
        return v.v;
    }
  }

  function start(doc) {
    var rules = readJson(doc, "askonce-rules");
    var formEl = doc.querySelector("form.askonce-form");
    if (rules && formEl) {
      var form = new Form(rules);
      var block = FieldsSource.fromObject(readJson(doc, "askonce-answers") || {});
      var source = new PageSource(doc, formEl, block);
      var words = rules.words || { dates: [] };
      var update = function () {
        var engine = new Engine(form, source, localToday());
        Array.prototype.forEach.call(doc.querySelectorAll("[data-askonce-field]"), function (el) {
          var f = form.byId[el.getAttribute("data-askonce-field")];
          if (f) el.hidden = !engine.shown(f, indexesOf(el.getAttribute("data-askonce-path") || ""));
        });
        // A rule of one alternative (`... if EXPR`) shows only while its condition holds.
        Array.prototype.forEach.call(doc.querySelectorAll("[data-askonce-if]"), function (el) {
          var f = form.byId[el.getAttribute("data-askonce-rule-of")];
          var cond = f && f.ifs ? f.ifs[Number(el.getAttribute("data-askonce-if"))] : null;
          if (!cond) return;
          var idx = indexesOf(el.getAttribute("data-askonce-path") || "");
          el.hidden = !engine.appliesIf(f, cond, idx);
        });
        Array.prototype.forEach.call(doc.querySelectorAll("output[data-askonce-computed]"), function (el) {
          var f = form.byId[el.getAttribute("data-askonce-computed")];
          if (!f) return;
          var text = display(f, engine.value(f, indexesOf(el.getAttribute("data-askonce-path") || "")), words);
          if (el.textContent !== text) el.textContent = text;  // aria-live speaks only changes
        });
      };
      formEl.addEventListener("input", update);
      formEl.addEventListener("change", update);
      update();
    }
    // The error summary takes focus when the page loads; its links move focus to each field
    // and bring its question into view.
    var summary = doc.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (ev) {
        var a = ev.target.closest("a[href^='#']");
        if (!a) return;
        var input = doc.getElementById(a.getAttribute("href").slice(1));
        if (!input) return;
        ev.preventDefault();
        var group = input.closest("fieldset") || input.closest(".usa-form-group") || input;
        var legend = group.querySelector("legend, label") || group;
        legend.scrollIntoView();
        input.focus({ preventScroll: true });
      });
    }
  }

  return {
    Form: Form,
    Engine: Engine,
    FieldsSource: FieldsSource,
    PageSource: PageSource,
    canonical: canonical,
    decimalText: decimalText,
    isoDate: isoDate,
    display: display,
    parseDecimal: parseDecimal,
    parseIsoDate: parseIsoDate,
    start: start
  };
});
