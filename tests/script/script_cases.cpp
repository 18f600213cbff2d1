// tests/script/script_cases.cpp: the engine's answers for tests/script/check_runtime.mjs, which
// runs the form runtime (renderers/assets/form.js) under node on the same inputs and compares.
//
// For every shipped form (forms/*.form), and for a probe form below that uses every operator and
// function of the language, it generates answers as a browser posts them (flat form fields, from
// pools of values chosen to sit on every boundary: blanks, values the engine refuses, decimals
// with 30 decimals and 36 digits, negative numbers, month ends and leap days, birthdays the
// day before and after an age, empty and several repeat entries, the literals each condition
// compares with), and writes, for every condition and every computed field in every entry:
//   the field shown or not (Answer::shown, after the engine's settle);
//   the value of each of its expressions (`show if`, `required if`, `computed`, and the `if` of
//   each of its rules, as the rules' "ifs" list them), evaluated by engine::evaluate over the
//   settled answers, whether the field is shown or not;
//   a computed field's settled value, and how the pages say it (Wording::value).
// Output: one JSON object per line: {"form", "rules", "language"}, then {"today", "fields",
// "block" (the fields as an askonce-answers block), "expect": [...]} per case. Deterministic (a fixed seed), so a failure can be replayed.
//
// Usage: script_cases [CASES_PER_FORM]   (run from the project root)
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/answers.hpp"
#include "engine/evaluate.hpp"
#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/plan_internal.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "renderers/script.hpp"
#include "renderers/wording.hpp"
#include "tests/test_support.hpp"

namespace e = askonce::engine;
namespace m = askonce::model;
using Fields = std::vector<std::pair<std::string, std::string>>;

namespace {

/// Every operator and function, on every kind, inside and outside a repeat. Not a shipped
/// form: the shipped ones use few of them, and the runtime must agree on all.
constexpr const char* probe_form = R"FORM(
form expression_probe {
  title "Expression probe"
  version 1
  languages en
  section s "Everything" {
    decimal a "A"
    decimal b "B"
    integer n "N"
    money cash "Cash"
    date d1 "First date"
    date d2 "Second date"
    text t "Text"
    email mail "Email"
    email own "Own email" { pattern "[^@\\s]+@[^@\\s]+" "An address with one @." }
    phone tel "Phone"
    ssn id "SSN"
    ein employer "EIN"
    zip code "ZIP"
    url site "Site"
    longtext story "Story"
    yesno flag "Flag"
    attest sure "Sure"
    choice pick "Pick" { option x "X" option y "Y" option z "Z" }
    choices many "Many" { option p "P" option q "Q" option r "R" }
    address home "Home"
    decimal sum_ab "a + b" { computed a + b }
    decimal diff_ab "a - b" { computed a - b }
    decimal prod_ab "a * b" { computed a * b }
    decimal quot_ab "a / b" { computed a / b }
    decimal quot_an "a / n" { computed a / n }
    decimal neg_a "-a" { computed -a + 0 }
    decimal mixed "mixed" { computed (a * 3 - b) / 7 + n * 0.25 }
    money cash_round "cash / 3" { computed cash / 3 }
    integer n_round "a rounded" { computed a * 1 }
    date d_plus_days "d1 + 45 days" { computed d1 + 45 days }
    date d_minus_weeks "d1 - 3 weeks" { computed d1 - 3 weeks }
    date d_plus_month "d1 + 1 month" { computed d1 + 1 month }
    date d_minus_months "d1 - 13 months" { computed d1 - 13 months }
    date d_plus_years "d1 + 1 year" { computed d1 + 1 year }
    date d_today "today" { computed today() }
    integer years_old "age" { computed age(d1) }
    integer text_length "length" { computed length(t) }
    integer ticked "count(many)" { computed count(many) }
    integer entries "count(rows)" { computed count(rows) }
    decimal row_total "sum(rows.amount)" { computed sum(rows.amount) }
    yesno ab_eq "a == b" { computed a == b }
    yesno ab_ne "a != b" { computed a != b }
    yesno ab_lt "a < b" { computed a < b }
    yesno ab_le "a <= b" { computed a <= b }
    yesno ab_gt "a > b" { computed a > b }
    yesno ab_ge "a >= b" { computed a >= b }
    yesno dates_lt "d1 < d2" { computed d1 < d2 }
    yesno dates_eq "d1 == d2" { computed d1 == d2 }
    yesno soon "d2 <= today + 30 days" { computed d2 <= today() + 30 days }
    yesno adult "age >= 18" { computed age(d1) >= 18 }
    yesno flag_and "flag and sure" { computed flag and sure }
    yesno flag_or "flag or sure" { computed flag or sure }
    yesno flag_not "not flag" { computed not flag }
    yesno pick_in "pick in" { computed pick in ["x", "z"] }
    yesno pick_not_in "pick not in" { computed pick not in ["x"] }
    yesno n_in "n in" { computed n in [1, 2, 3] }
    yesno has_q "contains" { computed contains(many, "q") }
    yesno t_matches "matches(t)" { computed matches(t, "[A-Z][a-z]+") }
    yesno story_matches "matches(story)" { computed matches(story, "\\p{L}+(\\s\\p{L}+)*") }
    integer held "count of conditions" { computed count(flag, a > b, pick == "x", is_blank(t), matches(t, "Ana")) }
    integer held_one "count of one condition" { computed count(n > 2) }
    yesno text_eq "t == literal" { computed t == "Ana" }
    yesno blank_a "is_blank(a)" { computed is_blank(a) }
    yesno blank_home "is_blank(home)" { computed is_blank(home) }
    yesno blank_rows "is_blank(rows)" { computed is_blank(rows) }
    yesno old "d1 < 2000-01-01" { computed d1 < 2000-01-01 or d2 in [2024-02-29, 2023-12-31] }
    yesno state_ca "home.state == CA" { computed home.state == "CA" }
    text echo "echo t" { computed t }
    text echo_mail "echo mail" { computed mail }
    text echo_own "echo own" { computed own }
    text echo_tel "echo tel" { computed tel }
    text echo_id "echo id" { computed id }
    text echo_employer "echo employer" { computed employer }
    text echo_code "echo code" { computed code }
    text echo_site "echo site" { computed site }
    text echo_story "echo story" { computed story }
    choices many_copy "many copy" { option p "P" option q "Q" option r "R" computed many }
    yesno sure_copy "sure copy" { computed sure }
    text when_flag "Shown if flag" { show if flag }
    text when_pick "Shown if pick" { show if pick == "y" or n > 2 }
    decimal when_sum "Shown if sum" { show if sum_ab > 10 required if a < 0 }
    text postal "Postal code" {
      pattern "[0-9]{5}" "Five digits." if pick == "x"
      pattern "[A-Z][0-9][A-Z] [0-9][A-Z][0-9]" "Six." if (is_blank(pick) or pick == "y")
      check length(postal) <= 10 "Ten at most." if pick not in ["x", "y"]
      check postal != "none" "Not none." if is_blank(pick)
      check length(postal) > 2 "Three at least." if flag and n > 2
    }
    choice kind_of "Kind" {
      required if count((is_blank(postal) or matches(postal, "[0-9]{5}")) and (is_blank(t) or t in ["Ana", "Bo"]), is_blank(postal) or matches(postal, "[A-Z][0-9][A-Z] [0-9][A-Z][0-9]")) != 1
      option x "X"
      option y "Y"
    }
    repeat rows "Row" {
      max 6
      decimal amount "Amount"
      yesno include "Include"
      date when "When"
      text note "Note" { show if include and amount >= 1 }
      decimal doubled "Doubled" { computed amount * 2 }
      yesno after "After d1" { computed when > d1 }
      repeat parts "Part" {
        max 3
        integer qty "Qty"
        integer qty_plus "Qty + n" { computed qty + n }
        text why "Why" { show if qty > amount required if not include }
        text code_of "Code" { pattern "[a-z]+" "Letters." if include or qty > amount }
      }
      integer part_count "Parts" { computed count(parts) }
      integer part_sum "Parts sum" { computed sum(parts.qty) }
    }
    yesno big "Big total" { computed row_total > 1000 }
  }
}
)FORM";

std::string json(std::string_view s) { return e::json_string(s); }

/// An evaluated value, tagged with its kind: the same text the node side writes.
std::string tag(const e::EvalValue& v) {
  using K = e::EvalValue::Kind;
  switch (v.kind) {
    case K::Blank: return "blank";
    case K::Bool: return v.boolean ? "b:true" : "b:false";
    case K::Number: return "n:" + v.number.to_string();
    case K::Text: return "t:" + std::string(v.text);
    case K::Date: return "d:" + e::to_iso(v.date);
    case K::Duration: return "u:" + std::to_string(v.duration.amount);
    case K::Set: {
      std::string s = "s:";
      for (const auto& x : *v.set) s += x + "|";
      return s;
    }
  }
  return "?";
}

std::string tag(const e::Value& v) {
  switch (v.type) {
    case e::ValueType::Blank: return "blank";
    case e::ValueType::Bool: return v.boolean ? "b:true" : "b:false";
    case e::ValueType::Number: return "n:" + v.number.to_string();
    case e::ValueType::Text: return "t:" + v.text;
    case e::ValueType::Date: return "d:" + e::to_iso(v.date);
    case e::ValueType::Set: {
      std::string s = "s:";
      for (const auto& x : v.items) s += x + "|";
      return s;
    }
  }
  return "?";
}

/// The literals each field is compared with in any expression of the form: the values most
/// likely to sit on a condition's edge.
void literals_of(const m::Expr& x, std::map<m::FieldId, std::vector<m::Literal>>& out) {
  const auto field_of = [](const m::Expr& a) -> m::FieldId {
    if (a.op == m::Op::Field) return a.field;
    if (a.op == m::Op::Call && !a.args.empty() && a.args[0].op == m::Op::Field) return a.args[0].field;
    return m::no_field;
  };
  if (!x.args.empty()) {
    const m::FieldId f = field_of(x.args[0]);
    if (f != m::no_field) {
      for (std::size_t i = 1; i < x.args.size(); ++i) {
        if (x.args[i].op == m::Op::Literal) out[f].push_back(x.args[i].value);
      }
    }
    if (x.args.size() == 2 && x.args[1].op == m::Op::Field && x.args[0].op == m::Op::Literal) {
      out[x.args[1].field].push_back(x.args[0].value);
    }
  }
  for (const auto& a : x.args) literals_of(a, out);
}

class Generator {
 public:
  Generator(const e::Plan& plan, std::uint32_t seed) : plan_(plan), form_(plan.form()), rng_(seed) {
    for (const auto& f : form_.fields) {
      if (f.show_if) literals_of(*f.show_if, literals_);
      if (f.required_if) literals_of(*f.required_if, literals_);
      if (f.computed) literals_of(*f.computed, literals_);
      for (const auto& c : f.checks) {
        literals_of(c.rule, literals_);
        if (c.only_if) literals_of(*c.only_if, literals_);
      }
      for (const auto& pt : f.patterns) {
        if (pt.only_if) literals_of(*pt.only_if, literals_);
      }
    }
  }

  /// One submission as flat form fields, and the day it is checked on.
  Fields fields(const m::Date& today) {
    today_ = today;
    // How many questions go unanswered: from nearly all (every part of an address blank, so
    // `required if not is_blank(...)` is false) to nearly none.
    skip_ = pick(std::vector<int>{90, 50, 22, 22, 5});
    Fields out;
    entry(m::no_field, "", out);
    std::shuffle(out.begin(), out.end(), rng_);  // order must not matter (but choices keep theirs)
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }

 private:
  bool chance(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)];
  }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  /// The fields of one entry (the top level, or one entry of `repeat`), named under `prefix`.
  void entry(m::FieldId repeat, const std::string& prefix, Fields& out) {
    for (m::FieldId f : plan_.entry_fields(repeat)) {
      const m::Field& field = form_.fields[f];
      const std::string name =
          repeat == m::no_field ? field.id : prefix + "." + field.id.substr(form_.fields[repeat].id.size() + 1);
      if (field.kind == m::Kind::Repeat) {
        // Mostly none or a few; an empty repeat must count 0 and sum to 0.
        const int n = chance(35) ? 0 : between(1, 3);
        for (int i = 0; i < n; ++i) entry(f, name + "[" + std::to_string(i) + "]", out);
        continue;
      }
      if (field.kind == m::Kind::Note || field.kind == m::Kind::Group || field.kind == m::Kind::Address ||
          field.kind == m::Kind::Name) {
        continue;
      }
      if (field.computed && !chance(10)) continue;  // a value sent for a computed field is ignored
      if (chance(skip_)) continue;                  // unanswered
      value(f, name, out);
    }
  }

  void value(m::FieldId f, const std::string& name, Fields& out) {
    const m::Field& field = form_.fields[f];
    const auto& lits = literals_[f];
    const bool use_literal = !lits.empty() && chance(45);
    switch (field.kind) {
      case m::Kind::Date: {
        m::Date d = date_for(use_literal ? &pick(lits) : nullptr);
        if (chance(6)) {
          out.emplace_back(name, e::to_iso(d));  // one ISO text instead of three boxes
          return;
        }
        std::string mo = std::to_string(d.month), da = std::to_string(d.day), yr = std::to_string(d.year);
        switch (between(0, 30)) {
          case 0: da = ""; break;                          // incomplete
          case 1: mo = "13"; break;                        // not a month
          case 2: da = std::to_string(d.day) + "x"; break;  // not digits
          case 3: yr = "24"; break;                        // a two-digit year
          case 4: mo = " " + mo + " "; break;              // spaces are trimmed
          case 5: mo = da = yr = ""; break;                // three empty boxes: blank
          case 6: mo = "0" + mo; break;                    // "05" is fine
          default: break;
        }
        out.emplace_back(name + ".month", mo);
        out.emplace_back(name + ".day", da);
        out.emplace_back(name + ".year", yr);
        return;
      }
      case m::Kind::Choices: {
        const auto& options = form_.options_of(field);
        const int n = between(0, static_cast<int>(std::min<std::size_t>(options.size(), 4)));
        for (int i = 0; i < n; ++i) out.emplace_back(name, pick(options).value);  // repeats too
        if (chance(8)) out.emplace_back(name, "not-an-option");
        if (chance(5)) out.emplace_back(name, " ");
        if (n == 0 && !chance(30)) out.emplace_back(name, "");  // an unticked list may send nothing
        return;
      }
      case m::Kind::Choice: {
        const auto& options = form_.options_of(field);
        if (use_literal && std::holds_alternative<std::string>(pick(lits))) {
          out.emplace_back(name, std::get<std::string>(pick(lits)));
        } else if (!options.empty() && !chance(10)) {
          out.emplace_back(name, (chance(10) ? " " : "") + pick(options).value);
        } else {
          out.emplace_back(name, pick(std::vector<std::string>{"", "nope", "\t"}));
        }
        return;
      }
      case m::Kind::YesNo: case m::Kind::Attest:
        out.emplace_back(name, pick(std::vector<std::string>{"yes", "no", "yes", "no", "Yes", "NO", "true", "0", "1",
                                                             "on", "y", "sí", "SÍ", "si", "maybe", "", " yes "}));
        return;
      case m::Kind::Integer: case m::Kind::Decimal: case m::Kind::Money:
        out.emplace_back(name, number_for(field.kind, use_literal ? &pick(lits) : nullptr));
        return;
      default:
        out.emplace_back(name, text_for(field, use_literal ? &pick(lits) : nullptr));
    }
  }

  m::Date date_for(const m::Literal* lit) {
    m::Date base = today_;
    if (lit) {
      if (const auto* d = std::get_if<m::Date>(lit)) base = *d;
    }
    const std::int64_t day = e::days_from_civil(base);
    const auto shift = [](const m::Date& d, int years) {
      m::Date r{d.year + years, d.month, d.day};
      if (!e::is_real_date(r.year, r.month, r.day)) r.day = 28;
      return r;
    };
    switch (between(0, 11)) {
      case 0: return e::civil_from_days(day + between(-2, 2));
      case 1: return e::civil_from_days(e::days_from_civil(shift(base, -18)) + between(-1, 1));  // 18th birthday
      case 2: return e::civil_from_days(e::days_from_civil(shift(base, -65)) + between(-1, 1));
      case 3: return e::civil_from_days(day + 30 + between(-1, 1));  // today + 30 days
      case 4: return pick(std::vector<m::Date>{{2024, 2, 29}, {2000, 2, 29}, {2023, 2, 28}, {2024, 1, 31},
                                               {2023, 12, 31}, {2024, 3, 31}, {2024, 8, 31}, {1, 1, 1},
                                               {9999, 12, 31}, {1900, 3, 1}, {2100, 2, 28}});
      case 5: {  // a month end, or a day that is not real (30 February): the engine refuses it
        const int y = between(1899, 2101), mo = between(1, 12);
        return m::Date{y, static_cast<unsigned>(mo), static_cast<unsigned>(between(28, 31))};
      }
      default: return e::civil_from_days(day + between(-40000, 400));
    }
  }

  std::string number_for(m::Kind kind, const m::Literal* lit) {
    if (lit) {
      if (const auto* n = std::get_if<m::Number>(lit)) {
        auto d = e::Decimal::parse(n->digits);
        if (d) {
          const std::vector<std::string> deltas = {"0", "1", "-1", "0.01", "-0.01", "0.5"};
          if (auto r = e::add(*d, *e::Decimal::parse(pick(deltas)))) return r->to_string();
        }
      }
    }
    static const std::vector<std::string> pool = {
        "0", "-0", "1", "2", "3", "7", "17", "100", "149.99", "150", "150.01", "1000", "1000.01", "-5", "-0.01",
        "+7", ".5", "5.", "1,234", "1,234.56", "12,34", ",123", "1,,234", "$1,234.56", "-$5.25", "$", "-", "",
        " 42 ", "4 2", "1e3", "0x10", "00012", "3.14159", "2.5", "99.995", "0.125", "12345678901234567890.12",
        "999999999999999999999999999999999999", "9999999999999999999999999999999999999",
        "-999999999999999999999999999999999999", "0.000000000000000000000000000001",
        "0.0000000000000000000000000000001", "123456789012345678.123456789012345678",
        "100000000000000000000000000000000000", "0.333333333333333333333333333333", "1.000000000000000000000000000000",
        "-123456789.987654321"};
    if (chance(20)) {  // a random decimal with many digits
      std::string s = chance(30) ? "-" : "";
      s += std::to_string(between(1, 9));
      for (int i = between(0, 20); i > 0; --i) s += static_cast<char>('0' + between(0, 9));
      if (chance(60)) {
        s += '.';
        for (int i = between(1, kind == m::Kind::Money ? 3 : 25); i > 0; --i) s += static_cast<char>('0' + between(0, 9));
      }
      return s;
    }
    return pick(pool);
  }

  std::string text_for(const m::Field& field, const m::Literal* lit) {
    if (lit) {
      if (const auto* s = std::get_if<std::string>(lit)) return chance(15) ? "  " + *s + " " : *s;
    }
    switch (field.kind) {
      case m::Kind::Email:
        return pick(std::vector<std::string>{"ana@example.com", "Ana.B+x@Example.ORG", "a@b", "@example.com",
                                             "a..b@example.com", ".a@example.com", "ana@exam_ple.com", "ana@123",
                                             "ana@ex-ample.co.uk", "ana @example.com", "ñ@example.com", ""});
      case m::Kind::Phone:
        return pick(std::vector<std::string>{"(202) 555-0123", "202.555.0123", "1-202-555-0123", "+1 202 555 0123",
                                             "+44 20 7946 0958", "+0 123", "123-555-0123", "202-155-0123",
                                             "202555012", "+123456", "555-0123", "+1 (202) 555-0123", ""});
      case m::Kind::Ssn:
        return pick(std::vector<std::string>{"123-45-6789", "123456789", "123 45 6789", "000-12-3456",
                                             "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                                             "12-345-6789", "1234-5678", "123-45-678a", ""});
      case m::Kind::Ein:
        return pick(std::vector<std::string>{"12-3456789", "123456789", "00-1234567", "07-1234567", "95-1234567",
                                             "12-345678", "12 3456789", ""});
      case m::Kind::Zip:
        return pick(std::vector<std::string>{"62701", "62701-1234", "627011234", "62701 1234", "6270", "62701-12",
                                             "ABCDE", "62701-", ""});
      case m::Kind::Url:
        return pick(std::vector<std::string>{"https://Example.COM/Path?q=1", "http://a.b", "ftp://example.com",
                                             "https://user@Host.Example.com:8080/x", "https://[::1]:443/",
                                             "https://10.0.0.1/", "https://256.0.0.1/", "https://example.com:99999",
                                             "https://exa mple.com", "example.com", "HTTPS://EXAMPLE.COM", ""});
      default: break;
    }
    // Text, long text, the parts of names and addresses.
    std::vector<std::string> pool = {"Ana", "  Ana  ", "ana", "Núñez", "Nu\xCC\x81n\xCC\x83" "ez", "e\xCC\x81",
                                     "two\nlines", "two\r\nlines", "tab\there", "bell\x07", "\xC2\x85" "x",
                                     "\xC2\xA0padded\xE3\x80\x80", "ca", "Ca", "CA", "ny", "x", "", "   ",
                                     "</script><script>alert(1)</script>", "😀 emoji", "\xEF\xBF\xBE"};
    if (field.part == "state") pool.insert(pool.end(), {"ca", "CA", "tx", "il", "zz"});
    return pick(pool);
  }

  const e::Plan& plan_;
  const m::Form& form_;
  std::mt19937 rng_;
  m::Date today_;
  int skip_ = 22;
  std::map<m::FieldId, std::vector<m::Literal>> literals_;
};

/// The entries from the top level down to the one `indexes` names (Scope::entries).
std::vector<const e::Entry*> chain(const e::Plan& plan, const e::Entry& root, m::FieldId f,
                                   std::span<const std::uint32_t> indexes) {
  std::vector<const e::Entry*> out{&root};
  const auto repeats = plan.repeats_around(f);
  for (std::size_t k = 0; k < repeats.size() && k < indexes.size(); ++k) {
    const e::Answer* r = e::find(plan, root, repeats[k], indexes.subspan(0, k));
    if (r == nullptr || indexes[k] >= r->entries.size()) return {};
    out.push_back(&r->entries[indexes[k]]);
  }
  return out;
}

void write_cases(const std::string& label, const e::Plan& plan, int count, std::uint32_t seed) {
  const m::Form& form = plan.form();
  const auto& d = plan.data();
  for (const std::string& language : form.languages) {
    const askonce::renderers::Wording words(form, language);
    // The rules as the page carries them, on one line (their strings hold no raw line break).
    std::string rules = askonce::renderers::form_rules_json(plan, words);
    std::replace(rules.begin(), rules.end(), '\n', ' ');
    std::cout << "{\"form\": " << json(label) << ", \"language\": " << json(language) << ", \"rules\": " << rules
              << "}\n";
    Generator gen(plan, seed);
    const std::vector<m::Date> days = {{2024, 5, 1}, {2024, 2, 29}, {2023, 12, 31}, {2025, 3, 1}, {2024, 1, 31}};
    for (int c = 0; c < count; ++c) {
      const m::Date today = days[static_cast<std::size_t>(c) % days.size()];
      const Fields fields = gen.fields(today);
      const e::Context ctx = e::Context::on(today, language, "web");
      const e::Result result = e::validate_form_fields(plan, fields, ctx);
      const e::EvalContext eval{today};
      std::cout << "{\"today\": " << json(e::to_iso(today)) << ", \"fields\": [";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        std::cout << (i ? ", " : "") << "[" << json(fields[i].first) << ", " << json(fields[i].second) << "]";
      }
      // The same answers as a step page's askonce-answers block (answers_json).
      std::cout << "], \"block\": " << askonce::renderers::answers_json(fields) << ", \"expect\": [";
      bool first = true;
      for (m::FieldId f = 0; f < form.fields.size(); ++f) {
        const m::Field& field = form.fields[f];
        const auto& p = d.fields[f];
        // The conditions of its rules of one alternative (`check ... if`, `pattern ... if`),
        // checks then patterns: the rules' "ifs" (renderers/script.cpp).
        std::vector<askonce::engine::detail::ExprRef> ifs;
        for (const auto& c : p.checks) {
          if (c.only_if != askonce::engine::detail::no_expr) ifs.push_back(c.only_if);
        }
        for (const auto& pt : p.patterns) {
          if (pt.only_if != askonce::engine::detail::no_expr) ifs.push_back(pt.only_if);
        }
        if (!field.show_if && !field.required_if && !field.computed && ifs.empty()) continue;
        e::for_each_answer(plan, result.submission.answers, f, [&](std::span<const std::uint32_t> idx, const e::Answer& a) {
          const auto entries = chain(plan, result.submission.answers, f, idx);
          if (entries.empty()) return;
          const e::Scope scope{entries.data(), entries.size() - 1};
          std::cout << (first ? "" : ", ") << "{\"f\": " << json(field.id) << ", \"i\": [";
          first = false;
          for (std::size_t k = 0; k < idx.size(); ++k) std::cout << (k ? "," : "") << idx[k];
          std::cout << "], \"shown\": " << (a.shown ? "true" : "false");
          if (p.show_if != askonce::engine::detail::no_expr) {
            std::cout << ", \"show\": " << json(tag(e::evaluate(plan, p.show_if, scope, eval)));
          }
          if (p.required_if != askonce::engine::detail::no_expr) {
            std::cout << ", \"req\": " << json(tag(e::evaluate(plan, p.required_if, scope, eval)));
          }
          if (!ifs.empty()) {
            std::cout << ", \"ifs\": [";
            for (std::size_t k = 0; k < ifs.size(); ++k) {
              std::cout << (k ? ", " : "") << json(tag(e::evaluate(plan, ifs[k], scope, eval)));
            }
            std::cout << "]";
          }
          if (p.computed_expr != askonce::engine::detail::no_expr) {
            std::cout << ", \"calc\": " << json(tag(e::evaluate(plan, p.computed_expr, scope, eval)))
                      << ", \"value\": " << json(tag(a.value)) << ", \"display\": " << json(words.value(f, a.value));
          }
          std::cout << "}";
        });
      }
      std::cout << "]}\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 300;
  std::uint32_t seed = 20240501;
  for (const auto& path : askonce::test::shipped_forms()) {
    auto compiled = askonce::dsl::compile_file(path.string());
    if (!compiled.form) {
      std::cerr << askonce::dsl::format_diagnostics(compiled);
      return 1;
    }
    const e::Plan plan(std::move(*compiled.form));
    write_cases(path.filename().string(), plan, count, seed++);
  }
  auto probe = askonce::dsl::compile_text("probe.form", probe_form);
  if (!probe.form) {
    std::cerr << askonce::dsl::format_diagnostics(probe);
    return 1;
  }
  const e::Plan plan(std::move(*probe.form));
  write_cases("(expression probe)", plan, count * 4, seed);
  return 0;
}
