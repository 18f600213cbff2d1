// engine/validate.cpp: one validation path for every channel: read, settle, check, normalize.
#include "engine/validate.hpp"

#include <algorithm>
#include <chrono>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "engine/normalize.hpp"
#include "engine/plan_internal.hpp"
#include "engine/time_zone.hpp"

namespace askonce::engine {

using detail::FieldPlan;
using detail::PlanData;
using model::FieldId;
using model::Kind;
using model::no_field;

namespace {

constexpr std::size_t max_chain = 64;

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

/// A number as people type it into a web form: "1,234.50", "$12", "+3", "007", ".5".
std::optional<Decimal> lenient_decimal(std::string_view t, bool money) {
  std::size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) negative = t[i++] == '-';
  if (money && i < t.size() && t[i] == '$') ++i;
  std::string whole, frac;
  std::size_t group = 0;
  bool commas = false, bad_group = false;
  for (; i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == ','); ++i) {
    if (t[i] == ',') {
      if ((commas && group != 3) || (!commas && (group == 0 || group > 3))) bad_group = true;
      commas = true;
      group = 0;
    } else {
      whole += t[i];
      ++group;
    }
  }
  if (bad_group || (commas && group != 3)) return std::nullopt;
  if (i < t.size() && t[i] == '.') {
    ++i;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) frac += t[i];
    if (frac.empty()) return std::nullopt;
  }
  if (i != t.size() || (whole.empty() && frac.empty())) return std::nullopt;
  const std::size_t nz = whole.find_first_not_of('0');
  whole = nz == std::string::npos ? "0" : whole.substr(nz);
  std::string s = negative ? "-" : "";
  s += whole;
  if (!frac.empty()) s += "." + frac;
  return Decimal::parse(s);
}

std::optional<bool> lenient_bool(std::string_view t) {
  std::string s;
  for (char c : t) s += ascii_lower(c);
  if (s == "true" || s == "yes" || s == "on" || s == "1" || s == "y" || s == "sí" || s == "si") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0" || s == "n") return false;
  return std::nullopt;
}

std::string format_time(std::chrono::system_clock::time_point t) {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return to_iso(civil_from_days(days)) + buf;
}

class Validator {
 public:
  /// `canonical`: the input is a canonical document's answers (restore_submission), whose
  /// numbers are exact decimal strings.
  /// `document`: a submission that passes is made into its canonical document with its digest.
  Validator(const Plan& plan, const Context& ctx, Result& r, bool canonical = false, bool document = true)
      : plan_(plan), d_(plan.data()), ctx_(ctx), eval_{ctx.today}, r_(r), canonical_(canonical), document_(document) {
    const auto& langs = d_.form.languages;
    lang_ = std::find(langs.begin(), langs.end(), ctx.language) != langs.end() || langs.empty()
                ? ctx.language
                : langs.front();
  }

  void run(RawSubmission& raw) {
    Submission& s = r_.submission;
    s.form_id = d_.form.id;
    s.version = d_.form.version;
    s.definition_hash = d_.form.definition_hash;
    s.language = lang_;
    s.channel = ctx_.channel;
    s.received = ctx_.received;
    for (const InputError& e : raw.errors) {
      MessageArgs args;
      args.limit = e.limit;
      args.line = e.line;
      args.column = e.column;
      r_.errors.push_back(Error{e.path, std::string(code(e.message)), format_message(e.message, lang_, args), no_field});
    }
    if (raw.refused) return;
    read_entry(0, raw.top, s.answers);
    settle();
    chain_[0] = &s.answers;
    check_entry(0, s.answers, 0);
    if (r_.errors.empty() && document_) write_canonical(plan_, s);
  }

 private:
  // ---- 1. reading answers as their types -------------------------------------------------

  void read_entry(std::uint32_t frame, RawEntry& raw, Entry& out) {
    const auto& fields = d_.frames[frame];
    out.answers.resize(fields.size());
    if (raw.answers.size() != fields.size()) return;
    for (std::uint32_t slot = 0; slot < fields.size(); ++slot) {
      const FieldPlan& p = d_.fields[fields[slot]];
      RawAnswer& ra = raw.answers[slot];
      Answer& a = out.answers[slot];
      switch (p.kind) {
        case Kind::Repeat:
          if (ra.value.kind == RawKind::Mismatch) {
            problem(a, Message::WrongType, Expected::List);
          } else {
            a.entries.resize(ra.entries.size());
            for (std::size_t i = 0; i < ra.entries.size(); ++i) {
              read_entry(p.inner_frame, ra.entries[i], a.entries[i]);
              // A flat index skipped over is reported once (V0013), not once per field in it.
              if (!ra.entries[i].present) skipped_.push_back(&a.entries[i]);
            }
          }
          break;
        case Kind::Group: case Kind::Address: case Kind::Name:
          if (ra.value.kind == RawKind::Mismatch) problem(a, Message::WrongType, Expected::Object);
          break;
        case Kind::Note:
          break;
        case Kind::Member:
          if (ra.value.kind == RawKind::Json) {
            a.value.type = ValueType::Json;
            a.value.text = std::move(ra.value.text);
          } else if (ra.value.kind == RawKind::Mismatch) {
            if (ra.value.flag) problem(a, Message::BadText);
            else problem(a, Message::WrongType, expected_json(*p.field));
          }
          break;
        default:
          if (!p.computed) read_value(p, ra.value, a);  // a computed field's sent value is ignored
      }
    }
  }

  /// What a member's WrongType message says it needs: its JSON type (and its items').
  static Expected expected_json(const model::Field& f) {
    using J = model::JsonType;
    switch (f.json) {
      case J::Object: return Expected::Object;
      case J::String: return Expected::Text;
      case J::Number: return Expected::Number;
      case J::Integer: return Expected::Integer;
      case J::Boolean: return Expected::Boolean;
      case J::Array: case J::Any: break;
    }
    switch (f.json_items) {
      case J::Object: return Expected::ListOfObjects;
      case J::Array: return Expected::ListOfLists;
      case J::String: return Expected::ListOfText;
      case J::Number: return Expected::ListOfNumbers;
      case J::Integer: return Expected::ListOfIntegers;
      case J::Boolean: return Expected::ListOfBooleans;
      case J::Any: break;
    }
    return Expected::List;
  }

  static void problem(Answer& a, Message m, Expected e = Expected::Text) {
    a.problem = m;
    a.expected = e;
  }

  /// The text of a raw answer for a text-like field; false when it is not text.
  static bool take_text(RawValue& raw, Answer& a, bool number_ok, Expected expected) {
    if (raw.kind == RawKind::String || raw.kind == RawKind::FormText || (number_ok && raw.kind == RawKind::Number)) {
      a.value.text = std::move(raw.text);
      return true;
    }
    problem(a, Message::WrongType, expected);
    return false;
  }

  static bool clean(Answer& a, bool multiline) {
    switch (canonical_text(a.value.text, multiline)) {
      case TextProblem::NotText: problem(a, Message::BadText); return false;
      case TextProblem::LineBreak: problem(a, Message::OneLine); return false;
      case TextProblem::Bidi: problem(a, Message::BidiText); return false;
      case TextProblem::None: break;
    }
    return !a.value.text.empty();
  }

  void read_value(const FieldPlan& p, RawValue& raw, Answer& a) {
    if (raw.kind == RawKind::Absent || raw.kind == RawKind::Null) return;
    const Kind kind = p.kind;
    if (model::is_text_like(kind) || kind == Kind::Choice) {
      if (!take_text(raw, a, kind == Kind::Choice, Expected::Text) || !clean(a, kind == Kind::LongText)) {
        a.value.text.clear();
        return;
      }
      std::optional<std::string> canonical;
      Message bad = Message::BadText;
      switch (kind) {
        case Kind::Email:
          if (model::checked_by_pattern(*p.field)) {  // its patterns decide (rules(), below)
            a.value.type = ValueType::Text;
            return;
          }
          canonical = canonical_email(a.value.text);
          bad = Message::BadEmail;
          break;
        case Kind::Phone: canonical = canonical_phone(a.value.text); bad = Message::BadPhone; break;
        case Kind::Ssn: canonical = canonical_ssn(a.value.text); bad = Message::BadSsn; break;
        case Kind::Ein: canonical = canonical_ein(a.value.text); bad = Message::BadEin; break;
        case Kind::Zip: canonical = canonical_zip(a.value.text); bad = Message::BadZip; break;
        case Kind::Url: canonical = canonical_url(a.value.text); bad = Message::BadUrl; break;
        default:
          if (p.fold_case) {
            for (char& c : a.value.text) c = ascii_upper(c);
          }
          a.value.type = ValueType::Text;
          return;
      }
      if (!canonical) {
        problem(a, bad);
        a.value.text.clear();
        return;
      }
      a.value.text = std::move(*canonical);
      a.value.type = ValueType::Text;
      return;
    }
    switch (kind) {
      case Kind::Integer: case Kind::Decimal: case Kind::Money: {
        std::optional<Decimal> d;
        if (raw.kind == RawKind::Number || (canonical_ && raw.kind == RawKind::String)) {
          d = Decimal::parse(raw.text, true);
        } else if (raw.kind == RawKind::FormText) {
          a.value.text = std::move(raw.text);
          const bool has = clean(a, false);
          std::string t = std::move(a.value.text);
          a.value.text.clear();
          if (a.problem) return;
          if (!has) return;
          d = lenient_decimal(t, kind == Kind::Money);
        } else {
          return problem(a, Message::WrongType, Expected::Number);
        }
        if (!d) return problem(a, Message::NotNumber);
        if (kind == Kind::Integer && !d->is_integer()) return problem(a, Message::NotInteger);
        if (kind == Kind::Money && d->decimals() > 2) return problem(a, Message::MoneyDecimals);
        a.value.type = ValueType::Number;
        a.value.number = *d;
        return;
      }
      case Kind::Date: {
        if (raw.kind == RawKind::DateParts) {
          std::string parts[3];
          int empty = 0;
          for (int k = 0; k < 3; ++k) {
            parts[k] = std::move(raw.items[static_cast<std::size_t>(k)]);
            if (canonical_text(parts[k], false) != TextProblem::None) return problem(a, Message::BadDateParts);
            empty += parts[k].empty();
          }
          if (empty == 3) return;
          if (empty > 0) {
            for (int k = 0; k < 3; ++k) {
              if (parts[k].empty()) a.missing = static_cast<std::uint8_t>(a.missing | (1u << k));
            }
            return problem(a, Message::IncompleteDate);
          }
          int v[3] = {0, 0, 0};
          const std::size_t widths[3] = {2, 2, 4};  // month, day, year
          for (int k = 0; k < 3; ++k) {
            const auto& s = parts[k];
            if (s.size() > widths[k] || (k == 2 && s.size() != 4)) return problem(a, Message::BadDateParts);
            for (char c : s) {
              if (c < '0' || c > '9') return problem(a, Message::BadDateParts);
              v[k] = v[k] * 10 + (c - '0');
            }
          }
          if (!is_real_date(v[2], static_cast<unsigned>(v[0]), static_cast<unsigned>(v[1]))) {
            return problem(a, Message::BadDateParts);
          }
          a.value.type = ValueType::Date;
          a.value.date = model::Date{v[2], static_cast<unsigned>(v[0]), static_cast<unsigned>(v[1])};
          return;
        }
        if (!take_text(raw, a, false, Expected::Date)) return;
        const bool has = clean(a, false);
        std::string t = std::move(a.value.text);
        a.value.text.clear();
        if (a.problem || !has) return;
        const auto d = parse_date(t);
        if (!d) return problem(a, Message::BadDate);
        a.value.type = ValueType::Date;
        a.value.date = *d;
        return;
      }
      case Kind::YesNo: case Kind::Attest: {
        if (raw.kind == RawKind::Bool) {
          a.value.type = ValueType::Bool;
          a.value.boolean = raw.flag;
          return;
        }
        if (raw.kind != RawKind::FormText) return problem(a, Message::WrongType, Expected::Boolean);
        a.value.text = std::move(raw.text);
        const bool has = clean(a, false);
        std::string t = std::move(a.value.text);
        a.value.text.clear();
        if (a.problem || !has) return;
        const auto b = lenient_bool(t);
        if (!b) return problem(a, Message::BadYesNo);
        a.value.type = ValueType::Bool;
        a.value.boolean = *b;
        return;
      }
      case Kind::Choices: {
        if (raw.kind != RawKind::List) return problem(a, Message::WrongType, Expected::Options);
        std::vector<std::string>& items = a.value.items;
        items.reserve(raw.items.size());
        for (auto& item : raw.items) {
          if (canonical_text(item, false) != TextProblem::None) {
            items.clear();
            return problem(a, Message::BadText);
          }
          if (!item.empty() && std::find(items.begin(), items.end(), item) == items.end()) items.push_back(std::move(item));
        }
        if (items.empty()) return;
        const auto rank = [&](const std::string& v) {
          auto it = p.options.find(v);
          return it == p.options.end() ? std::numeric_limits<std::uint32_t>::max() : it->second;
        };
        std::stable_sort(items.begin(), items.end(), [&](const std::string& x, const std::string& y) { return rank(x) < rank(y); });
        a.value.type = ValueType::Set;
        return;
      }
      default:
        return;
    }
  }

  // ---- 2. relevance and computed values ---------------------------------------------------

  template <class Fn>
  void walk(const FieldId* owners, std::size_t n, std::size_t level, Entry& e, Fn& fn) {
    chain_[level] = &e;
    if (level == n) {
      fn(e, level);
      return;
    }
    const FieldPlan& r = d_.fields[owners[level]];
    Answer& a = e.answers[r.slot];
    if (!a.shown) return;
    for (Entry& x : a.entries) walk(owners, n, level + 1, x, fn);
  }

  /// Calls fn(entry, depth) for every entry of `frame` inside shown repeats, with chain_ set.
  template <class Fn>
  void for_each_entry(std::uint32_t frame, Fn&& fn) {
    FieldId owners[max_chain];
    std::size_t n = 0;
    for (FieldId r = d_.frame_owner[frame]; r != no_field && n < max_chain - 1; r = d_.fields[r].repeat) owners[n++] = r;
    std::reverse(owners, owners + n);
    walk(owners, n, 0, r_.submission.answers, fn);
  }

  EvalValue eval(detail::ExprRef e, std::size_t depth) const {
    return evaluate(plan_, e, Scope{chain_, depth}, eval_);
  }

  void settle() {
    for (FieldId f : d_.settle_order) {
      const FieldPlan& p = d_.fields[f];
      if (p.depth >= max_chain - 1) continue;
      for_each_entry(p.frame, [&](Entry& e, std::size_t depth) {
        Answer& a = e.answers[p.slot];
        bool shown = true;
        if (p.parent != no_field) {
          const FieldPlan& pp = d_.fields[p.parent];
          shown = chain_[pp.depth]->answers[pp.slot].shown;
        }
        if (shown && p.show_if != detail::no_expr) shown = holds(eval(p.show_if, depth));
        a.shown = shown;
        if (!shown) {
          a.value = Value{};
          a.entries.clear();
          a.problem.reset();
          return;
        }
        if (p.computed) a.value = computed_value(p, eval(p.computed_expr, depth));
      });
    }
  }

  static Value computed_value(const FieldPlan& p, const EvalValue& v) {
    Value out;
    switch (p.kind) {
      case Kind::Integer: case Kind::Decimal: case Kind::Money:
        if (v.kind != EvalValue::Kind::Number) break;
        out.type = ValueType::Number;
        out.number = p.kind == Kind::Integer ? v.number.rounded(0) : p.kind == Kind::Money ? v.number.rounded(2) : v.number;
        break;
      case Kind::Date:
        if (v.kind != EvalValue::Kind::Date) break;
        out.type = ValueType::Date;
        out.date = v.date;
        break;
      case Kind::YesNo: case Kind::Attest:
        if (v.kind != EvalValue::Kind::Bool) break;
        out.type = ValueType::Bool;
        out.boolean = v.boolean;
        break;
      case Kind::Choices:
        if (v.kind != EvalValue::Kind::Set) break;
        out.type = ValueType::Set;
        out.items = *v.set;
        break;
      default:
        if (v.kind != EvalValue::Kind::Text || v.text.empty()) break;
        out.type = ValueType::Text;
        out.text = std::string(v.text);
    }
    return out;
  }

  // ---- 3. required, type problems, rules, in form order ---------------------------------

  void check_entry(std::uint32_t frame, Entry& e, std::size_t depth) {
    chain_[depth] = &e;
    const auto& fields = d_.frames[frame];
    for (std::uint32_t slot = 0; slot < fields.size(); ++slot) {
      const FieldId f = fields[slot];
      const FieldPlan& p = d_.fields[f];
      Answer& a = e.answers[slot];
      if (!a.shown) continue;
      check_answer(f, p, a, depth);
      if (p.kind == Kind::Repeat && depth + 1 < max_chain) {
        for (std::size_t i = 0; i < a.entries.size(); ++i) {
          if (std::find(skipped_.begin(), skipped_.end(), &a.entries[i]) != skipped_.end()) continue;
          indexes_.push_back(static_cast<std::uint32_t>(i));
          check_entry(p.inner_frame, a.entries[i], depth + 1);
          indexes_.pop_back();
        }
        chain_[depth] = &e;
      }
    }
  }

  std::string label(const FieldPlan& p) const {
    std::string out;
    if (p.composite_part) {
      out = localized(d_.fields[p.parent].field->label, lang_, d_.form);
      if (!out.empty()) out += ": ";
    }
    out += localized(p.field->label, lang_, d_.form);
    return out.empty() ? p.field->id : out;
  }

  /// The question as a message names it: "the ZIP code of your old address" (question_phrase).
  std::string what(const FieldPlan& p) const {
    QuestionWords q;
    const std::string_view own = localized(p.field->label, lang_, d_.form);
    q.label = own.empty() ? std::string_view(p.field->id) : own;
    if (p.composite_part) {
      q.parent_label = localized(d_.fields[p.parent].field->label, lang_, d_.form);
      q.part = p.field->part;
      q.name_part = d_.fields[p.parent].kind == Kind::Name;
    }
    q.in_repeat = p.depth > 0;
    return question_phrase(q, lang_);
  }

  void emit(FieldId f, const FieldPlan& p, Message m, MessageArgs args = {}) {
    const std::string l = label(p);
    args.label = l;
    std::string w = what(p);
    if (m == Message::Required) {
      // "Select" for what is chosen, "Answer" for a question or a group, "Enter" for the rest.
      const bool chosen = p.kind == Kind::Choice || p.kind == Kind::Choices || p.kind == Kind::YesNo;
      const std::string_view own = localized(p.field->label, lang_, d_.form);
      if (chosen) {
        m = Message::RequiredSelect;
        // "Select an answer to “Is this move permanent?”"
        if (is_question_label(own) && !p.composite_part) w = (lang_ == "es" ? "una respuesta a " : "an answer to ") + w;
      } else if (p.kind == Kind::Group || (is_question_label(own) && !p.composite_part)) {
        m = Message::RequiredAnswer;
      }
    }
    // Other messages quote the label ("“People moving” must be a whole number"), which reads
    // right whatever the label is; a composite's part is named with its composite.
    const bool required = m == Message::Required || m == Message::RequiredSelect || m == Message::RequiredAnswer;
    if (!required && !p.composite_part) w.clear();
    args.what = w;
    r_.errors.push_back(Error{instance_path(plan_, f, indexes_), std::string(code(m)), format_message(m, lang_, args), f});
  }

  void emit_text(FieldId f, Message m, const model::Text& text, const FieldPlan& p) {
    const std::string_view own = localized(text, lang_, d_.form);
    if (own.empty()) return emit(f, p, m);
    r_.errors.push_back(Error{instance_path(plan_, f, indexes_), std::string(code(m)), std::string(own), f});
  }

  bool required(const FieldPlan& p, std::size_t depth) const {
    if (p.required) return true;
    if (p.required_if != detail::no_expr && holds(eval(p.required_if, depth))) return true;
    if (p.required_with_parent) {
      // An optional address or name that is partly filled in needs its required parts.
      const FieldPlan& c = d_.fields[p.parent];
      for (FieldId part : c.field->children) {
        const FieldPlan& q = d_.fields[part];
        const Answer& b = chain_[q.depth]->answers[q.slot];
        if (b.shown && (b.problem || !b.value.blank())) return true;
      }
    }
    return false;
  }

  bool group_blank(FieldId f, const FieldPlan& p, std::size_t depth) const {
    for (FieldId g = f + 1; g < p.subtree_end; ++g) {
      const FieldPlan& q = d_.fields[g];
      if (q.frame != p.frame) continue;
      const Answer& b = chain_[depth]->answers[q.slot];
      if (!b.shown) continue;
      if (b.problem || !b.value.blank() || !b.entries.empty()) return false;
    }
    return true;
  }

  void check_answer(FieldId f, const FieldPlan& p, Answer& a, std::size_t depth) {
    if (a.problem) {
      MessageArgs args;
      args.expected = a.expected;
      args.missing = a.missing;
      return emit(f, p, *a.problem, args);
    }
    switch (p.kind) {
      case Kind::Note: case Kind::Member:  // a member has no rules: its type was checked as it was read
        return;
      case Kind::Repeat: {
        const std::uint64_t n = a.entries.size();
        if (n == 0 && required(p, depth)) return emit(f, p, Message::NoEntries);
        MessageArgs args;
        if (p.min_count && n < *p.min_count) {
          args.min = p.min_text;
          return emit(f, p, Message::TooFewEntries, args);
        }
        if (p.max_count && n > *p.max_count) {
          args.max = p.max_text;
          return emit(f, p, Message::TooManyEntries, args);
        }
        return;
      }
      case Kind::Group:
        if (p.required && group_blank(f, p, depth)) emit(f, p, Message::Required);
        return;
      case Kind::Address: case Kind::Name:
        return;
      default:
        break;
    }
    const Value& v = a.value;
    if (!p.computed) {
      const bool must = required(p, depth);
      if (v.blank()) {
        if (must) emit(f, p, p.kind == Kind::Attest ? Message::NotTicked : Message::Required);
        return;
      }
      if (p.kind == Kind::Attest && !v.boolean && must) return emit(f, p, Message::NotTicked);
    } else if (v.blank()) {
      return;
    }
    rules(f, p, v, depth);
  }

  void rules(FieldId f, const FieldPlan& p, const Value& v, std::size_t depth) {
    MessageArgs args;
    args.min = p.min_text;
    args.max = p.max_text;
    if (v.type == ValueType::Text && model::is_text_like(p.kind)) {
      const std::uint64_t n = code_points(v.text);
      if (p.min_count && n < *p.min_count) return emit(f, p, Message::TooShort, MessageArgs{.label = {}, .min = p.min_text, .max = {}});
      if (p.max_count && n > *p.max_count) return emit(f, p, Message::TooLong, MessageArgs{.label = {}, .min = {}, .max = p.max_text});
      for (const auto& pat : p.patterns) {
        // One alternative's pattern (`if EXPR`) is judged only when its condition holds.
        if (pat.only_if != detail::no_expr && !holds(eval(pat.only_if, depth))) continue;
        if (!pat.regex->matches(v.text)) return emit_text(f, Message::PatternMismatch, *pat.message, p);
      }
    } else if (p.kind == Kind::Choice) {
      if (!p.options.empty() && !p.options.contains(v.text)) return emit(f, p, Message::NotAnOption);
    } else if (p.kind == Kind::Choices) {
      for (const auto& item : v.items) {
        if (!p.options.contains(item)) return emit(f, p, Message::NotAnOption);
      }
      const std::uint64_t n = v.items.size();
      if (p.min_count && n < *p.min_count) return emit(f, p, Message::TooFewTicked, MessageArgs{.label = {}, .min = p.min_text, .max = {}});
      if (p.max_count && n > *p.max_count) {
        return emit(f, p, Message::TooManyTicked, MessageArgs{.label = {}, .min = {}, .max = p.max_text});
      }
    } else if (v.type == ValueType::Number) {
      if (p.min_number && v.number < *p.min_number) return emit(f, p, Message::BelowMin, args);
      if (p.max_number && v.number > *p.max_number) return emit(f, p, Message::AboveMax, args);
    } else if (v.type == ValueType::Date) {
      if (p.min_date && compare(v.date, *p.min_date) < 0) return emit(f, p, Message::BelowMinDate, args);
      if (p.max_date && compare(v.date, *p.max_date) > 0) return emit(f, p, Message::AboveMaxDate, args);
    }
    for (const auto& check : p.checks) {
      if (check.only_if != detail::no_expr && !holds(eval(check.only_if, depth))) continue;
      const EvalValue r = eval(check.rule, depth);
      if (r.kind == EvalValue::Kind::Bool && !r.boolean) return emit_text(f, Message::CheckFailed, *check.message, p);
    }
  }

  const Plan& plan_;
  const PlanData& d_;
  const Context& ctx_;
  EvalContext eval_;
  Result& r_;
  bool canonical_ = false;
  bool document_ = true;
  std::string lang_;
  const Entry* chain_[max_chain] = {};
  std::vector<std::uint32_t> indexes_;
  std::vector<const Entry*> skipped_;
};

}  // namespace

Context Context::now(std::string language, std::string channel, const TimeZone* zone) {
  return at(std::chrono::system_clock::now(), zone, std::move(language), std::move(channel));
}

Context Context::at(std::chrono::system_clock::time_point instant, const TimeZone* zone, std::string language,
                    std::string channel) {
  Context c;
  c.language = std::move(language);
  c.channel = std::move(channel);
  if (zone) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(instant).time_since_epoch().count();
    const LocalTime local = zone->local(seconds);
    c.today = model::Date{local.year, static_cast<unsigned>(local.month), static_cast<unsigned>(local.day)};
  } else {
    c.today = civil_from_days(std::chrono::floor<std::chrono::days>(instant).time_since_epoch().count());
  }
  c.received = format_time(instant);
  return c;
}

Context Context::on(model::Date today, std::string language, std::string channel) {
  Context c;
  c.language = std::move(language);
  c.channel = std::move(channel);
  c.today = today;
  c.received = to_iso(today) + "T00:00:00Z";
  return c;
}

Result validate(const Plan& plan, RawSubmission raw, const Context& context) {
  Result r;
  Validator(plan, context, r).run(raw);
  return r;
}

namespace {

Result from_json(const Plan& plan, std::string_view json, const Context& context, const InputLimits& limits,
                 bool document) {
  // One RawSubmission per thread, read into again and again: its answer vectors are not
  // allocated, constructed and freed once per submission.
  thread_local RawSubmission raw;
  read_json(plan, json, raw, limits);
  Result r;
  Validator(plan, context, r, false, document).run(raw);
  return r;
}

}  // namespace

Result validate_json(const Plan& plan, std::string_view json, const Context& context, const InputLimits& limits) {
  return from_json(plan, json, context, limits, true);
}

Result check_json(const Plan& plan, std::string_view json, const Context& context, const InputLimits& limits) {
  return from_json(plan, json, context, limits, false);
}

Result validate_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                            const Context& context, const InputLimits& limits) {
  return validate(plan, read_form_fields(plan, fields, limits), context);
}

Result check_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                         const Context& context, const InputLimits& limits) {
  RawSubmission raw = read_form_fields(plan, fields, limits);
  Result r;
  Validator(plan, context, r, false, false).run(raw);
  return r;
}

namespace {

/// Puts the member answers of `from` (a stored entry of `repeat`, no_field: the top level)
/// into `to`, read from form fields, which never carry them.
void keep_members(const Plan& plan, model::FieldId repeat, const Entry& from, RawEntry& to) {
  const auto& fields = plan.entry_fields(repeat);
  if (from.answers.size() != fields.size() || to.answers.size() != fields.size()) return;
  for (std::uint32_t slot = 0; slot < fields.size(); ++slot) {
    const model::Field& f = plan.form().fields[fields[slot]];
    const Answer& a = from.answers[slot];
    RawAnswer& ra = to.answers[slot];
    if (f.kind == Kind::Member && a.value.type == ValueType::Json) {
      ra.value.kind = RawKind::Json;
      ra.value.text = a.value.text;
    } else if (f.kind == Kind::Repeat && a.entries.size() == ra.entries.size()) {
      for (std::size_t i = 0; i < a.entries.size(); ++i) keep_members(plan, fields[slot], a.entries[i], ra.entries[i]);
    }
  }
}

}  // namespace

Result validate_correction(const Plan& plan, const Submission& stored,
                           std::span<const std::pair<std::string, std::string>> fields, const Context& context,
                           const InputLimits& limits) {
  RawSubmission raw = read_form_fields(plan, fields, limits);
  if (!raw.refused) keep_members(plan, model::no_field, stored.answers, raw.top);
  return validate(plan, std::move(raw), context);
}

Result restore_submission(const Plan& plan, std::string_view canonical_json) {
  // The members before "answers" are plain strings and numbers; "answers" is an object whose
  // strings cannot hold an unescaped quote, so `"answers":` first appears as the key, and the
  // digest is the last member (digest_matches checks that shape and the bytes).
  static constexpr std::string_view answers_key = "\"answers\":";
  static constexpr std::string_view digest_key = ",\"digest\":\"";
  const auto refused = [&] {
    Result r;
    r.errors.push_back(Error{"", std::string(code(Message::InvalidJson)),
                             format_message(Message::InvalidJson, plan.form().languages.empty() ? "en" : plan.form().languages.front(), {}),
                             no_field});
    return r;
  };
  const std::size_t a = canonical_json.find(answers_key);
  const std::size_t d = canonical_json.rfind(digest_key);
  if (!digest_matches(canonical_json) || a == std::string_view::npos || d == std::string_view::npos || d < a) {
    return refused();
  }
  // Language, channel and received: the head of the document, read as JSON.
  std::string head(canonical_json.substr(0, a));
  if (head.ends_with(',')) head.back() = '}';
  std::string language, channel, received;
  try {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(head).extract<Poco::JSON::Object::Ptr>();
    language = object->optValue<std::string>("language", "");
    channel = object->optValue<std::string>("channel", "");
    received = object->optValue<std::string>("received", "");
  } catch (const Poco::Exception&) {
    return refused();
  }
  const auto day = parse_date(std::string_view(received).substr(0, std::min<std::size_t>(received.size(), 10)));
  if (!day) return refused();

  Context context = Context::on(*day, language, channel);
  context.received = received;
  const std::string_view answers = canonical_json.substr(a + answers_key.size(), d - a - answers_key.size());
  InputLimits limits;
  limits.max_bytes = canonical_json.size();
  limits.max_values = std::max<std::size_t>(limits.max_values, canonical_json.size());
  limits.max_value_bytes = canonical_json.size();
  limits.max_member_bytes = canonical_json.size();
  RawSubmission raw = read_json(plan, answers, limits);
  Result r;
  Validator(plan, context, r, true).run(raw);
  // What was stored stays the record, whatever checking it again gives.
  r.submission.received = received;
  r.submission.canonical_json = std::string(canonical_json);
  r.submission.digest = std::string(canonical_json.substr(d + digest_key.size(), canonical_json.size() - 2 - d - digest_key.size()));
  return r;
}

std::string format_errors(const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!e.path.empty()) out += e.path + ": ";
    out += e.message + " [" + e.code + "]\n";
  }
  return out;
}

std::string errors_json(const std::vector<Error>& errors) {
  std::string out = "[";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    out += "{\"path\": " + json_string(errors[i].path) + ", \"code\": " + json_string(errors[i].code) +
           ", \"message\": " + json_string(errors[i].message) + "}";
  }
  out += errors.empty() ? "]" : "\n]";
  return out;
}

}  // namespace askonce::engine
