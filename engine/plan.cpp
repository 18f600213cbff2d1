// engine/plan.cpp: compiling a form model into an evaluation plan, once.
#include "engine/plan.hpp"

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <pcre.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <functional>
#include <queue>

#include "engine/composites.hpp"
#include "engine/messages.hpp"
#include "engine/normalize.hpp"
#include "engine/plan_internal.hpp"

namespace askonce::engine {

using detail::ExprRef;
using detail::FieldPlan;
using detail::PExpr;
using detail::PlanData;
using model::FieldId;
using model::Kind;
using model::no_field;

namespace {

// JavaScript's \s: WhiteSpace and LineTerminator (ECMA-262 22.2.2.9), as a PCRE class body.
constexpr std::string_view js_space =
    "\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
std::uint32_t hex_value(char c) {
  return static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}

/// At js[i] == '\\' and js[i + 1] == 'u': a code point escape, as "\\x{...}"; advances i.
/// Nothing when it is not one (then it is copied as written, and PCRE reports it).
std::optional<std::string> unicode_escape(std::string_view js, std::size_t& i) {
  std::size_t j = i + 2;
  std::uint32_t cp = 0;
  const auto four = [&](std::size_t at, std::uint32_t& v) {
    if (at + 4 > js.size()) return false;
    v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      if (!is_hex(js[k])) return false;
      v = v * 16 + hex_value(js[k]);
    }
    return true;
  };
  if (j < js.size() && js[j] == '{') {
    const std::size_t close = js.find('}', j);
    if (close == std::string_view::npos || close == j + 1 || close - j > 7) return std::nullopt;
    for (std::size_t k = j + 1; k < close; ++k) {
      if (!is_hex(js[k])) return std::nullopt;
    }
    cp = static_cast<std::uint32_t>(std::stoul(std::string(js.substr(j + 1, close - j - 1)), nullptr, 16));
    j = close + 1;
  } else {
    if (!four(j, cp)) return std::nullopt;
    j += 4;
    std::uint32_t lo = 0;
    if (cp >= 0xD800 && cp <= 0xDBFF && j + 1 < js.size() && js[j] == '\\' && js[j + 1] == 'u' && four(j + 2, lo) &&
        lo >= 0xDC00 && lo <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      j += 6;
    }
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%X}", cp);
  i = j;
  return std::string(buf);
}

/// At js[i] == '\\' and js[i + 1] == 'p' or 'P' with a {Name}: PCRE's spelling; advances i.
std::optional<std::string> property_escape(std::string_view js, std::size_t& i) {
  if (i + 2 >= js.size() || js[i + 2] != '{') return std::nullopt;
  const std::size_t close = js.find('}', i + 3);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view name = js.substr(i + 3, close - i - 3);
  for (std::string_view prefix : {"General_Category=", "gc=", "Script=", "sc=", "Script_Extensions=", "scx="}) {
    if (name.starts_with(prefix)) {
      name.remove_prefix(prefix.size());
      break;
    }
  }
  static constexpr std::pair<std::string_view, std::string_view> long_names[] = {
      {"Letter", "L"}, {"Cased_Letter", "L&"}, {"Uppercase_Letter", "Lu"}, {"Lowercase_Letter", "Ll"},
      {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"}, {"Other_Letter", "Lo"}, {"Mark", "M"},
      {"Combining_Mark", "M"}, {"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"},
      {"Number", "N"}, {"Decimal_Number", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"},
      {"Punctuation", "P"}, {"punct", "P"}, {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
      {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"},
      {"Final_Punctuation", "Pf"}, {"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
      {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"}, {"Separator", "Z"},
      {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"}, {"Other", "C"},
      {"Control", "Cc"}, {"cntrl", "Cc"}, {"Format", "Cf"}, {"Unassigned", "Cn"}, {"Private_Use", "Co"},
      {"Surrogate", "Cs"}};
  std::string out = "\\";
  out += js[i + 1];
  out += '{';
  std::string_view mapped = name;
  for (const auto& [l, s] : long_names) {
    if (l == name) mapped = s;
  }
  out += mapped;
  out += '}';
  i = close + 1;
  return out;
}

bool holds_value(Kind k) {
  return k != Kind::Note && k != Kind::Group && k != Kind::Repeat && k != Kind::Address && k != Kind::Name;
}

class Builder {
 public:
  explicit Builder(PlanData& d) : d_(d) {}

  void build() {
    const auto& fields = d_.form.fields;
    d_.fields.resize(fields.size());
    d_.frames.emplace_back();
    d_.frame_owner.push_back(no_field);
    // Frames, slots and members, in form order (parents come before their parts).
    for (FieldId f = 0; f < fields.size(); ++f) {
      const model::Field& mf = fields[f];
      FieldPlan& p = d_.fields[f];
      p.field = &mf;
      p.kind = mf.kind;
      p.parent = mf.parent;
      p.holds_value = holds_value(mf.kind);
      p.json_key = json_string(mf.name) + ":";
      p.required = mf.required;
      p.computed = mf.computed.has_value();
      if (mf.parent != no_field && mf.parent < f) {
        const FieldPlan& parent = d_.fields[mf.parent];
        p.repeat = parent.kind == Kind::Repeat ? mf.parent : parent.repeat;
        p.frame = parent.kind == Kind::Repeat ? parent.inner_frame : parent.frame;
        p.depth = parent.depth + (parent.kind == Kind::Repeat ? 1 : 0);
        if (composites::is_composite(parent.kind)) {
          p.composite_part = true;
          for (const auto& part : composites::parts(parent.kind)) {
            if (part.name == mf.part) p.required_with_parent = part.required_with_parent;
          }
          p.fold_case = parent.kind == Kind::Address && mf.part == "state";
        }
      }
      p.slot = static_cast<std::uint32_t>(d_.frames[p.frame].size());
      d_.frames[p.frame].push_back(f);
      if (mf.kind == Kind::Repeat) {
        p.inner_frame = static_cast<std::uint32_t>(d_.frames.size());
        d_.frames.emplace_back();
        d_.frame_owner.push_back(f);
      }
      if (mf.kind != Kind::Note) {
        auto& members = mf.parent == no_field ? d_.top_members : d_.fields[mf.parent].members;
        members.add(mf.name, f);
      }
    }
    for (FieldId f = static_cast<FieldId>(fields.size()); f-- > 0;) {
      FieldPlan& p = d_.fields[f];
      p.subtree_end = f + 1;
      for (FieldId c : fields[f].children) {
        if (c < fields.size()) p.subtree_end = std::max(p.subtree_end, d_.fields[c].subtree_end);
      }
    }
    for (FieldId f = 0; f < fields.size(); ++f) plan_field(f);
    for (const auto& agency : d_.form.agencies) {
      d_.agency_when.push_back(agency.when ? compile(*agency.when) : detail::no_expr);
    }
    order();
  }

 private:
  ExprRef compile(const model::Expr& e) {
    const auto at = static_cast<ExprRef>(d_.exprs.size());
    d_.exprs.emplace_back();
    fill(at, e);
    return at;
  }

  void fill(ExprRef at, const model::Expr& e) {
    PExpr node;
    node.op = e.op;
    node.function = e.function;
    node.type = e.type;
    node.field = e.field;
    if (e.op == model::Op::Literal) node.literal = literal(e.value);
    if (e.op == model::Op::Call && e.function == model::Function::Matches) node.field = matcher(e);
    node.first = static_cast<std::uint32_t>(d_.exprs.size());
    node.count = static_cast<std::uint32_t>(e.args.size());
    d_.exprs.resize(d_.exprs.size() + e.args.size());
    d_.exprs[at] = node;
    for (std::size_t i = 0; i < e.args.size(); ++i) fill(node.first + static_cast<ExprRef>(i), e.args[i]);
  }

  /// matches()'s regular expression, compiled once (anchored, as a `pattern`'s): its index in
  /// PlanData::regexes, or no_field when PCRE refuses it (then the call is blank: a check
  /// passes, a condition does not hold), with a warning as for a pattern.
  FieldId matcher(const model::Expr& e) {
    if (e.args.size() != 2) return model::no_field;
    const auto* regex = std::get_if<std::string>(&e.args[1].value);
    if (regex == nullptr) return model::no_field;
    try {
      d_.regexes.push_back(std::make_unique<detail::Regex>("^(?:" + pcre_pattern(*regex) + ")$"));
      return static_cast<FieldId>(d_.regexes.size() - 1);
    } catch (const Poco::Exception& ex) {
      MessageArgs args;
      args.label = "matches()";
      args.min = ex.message();
      d_.diagnostics.push_back(Diagnostic{Severity::Warning, std::string(code(Message::PatternUnusable)),
                                          format_message(Message::PatternUnusable, "en", args), e.where, ""});
      return model::no_field;
    }
  }

  static EvalValue literal(const model::Literal& l) {
    EvalValue v;
    if (const bool* b = std::get_if<bool>(&l)) {
      v.kind = EvalValue::Kind::Bool;
      v.boolean = *b;
    } else if (const auto* n = std::get_if<model::Number>(&l)) {
      if (auto d = Decimal::parse(n->digits)) {
        v.kind = EvalValue::Kind::Number;
        v.number = *d;
      }
    } else if (const auto* s = std::get_if<std::string>(&l)) {
      v.kind = EvalValue::Kind::Text;
      v.text = *s;  // the plan owns the model: the view stays valid
    } else if (const auto* date = std::get_if<model::Date>(&l)) {
      v.kind = EvalValue::Kind::Date;
      v.date = *date;
    } else if (const auto* dur = std::get_if<model::Duration>(&l)) {
      v.kind = EvalValue::Kind::Duration;
      v.duration = *dur;
    }
    return v;
  }

  static std::string literal_text(const model::Literal& l) {
    if (const auto* n = std::get_if<model::Number>(&l)) return n->digits;
    if (const auto* date = std::get_if<model::Date>(&l)) return to_iso(*date);
    return {};
  }

  void plan_field(FieldId f) {
    const model::Field& mf = d_.form.fields[f];
    FieldPlan& p = d_.fields[f];
    if (mf.show_if) p.show_if = compile(*mf.show_if);
    if (mf.required_if) p.required_if = compile(*mf.required_if);
    if (mf.computed) p.computed_expr = compile(*mf.computed);
    for (const auto& c : mf.checks) {
      p.checks.push_back({compile(c.rule), &c.message, c.only_if ? compile(*c.only_if) : detail::no_expr});
    }
    for (const auto& pat : mf.patterns) {
      try {
        auto re = std::make_unique<detail::Regex>("^(?:" + pcre_pattern(pat.regex) + ")$");
        p.patterns.push_back({std::move(re), &pat.message, pat.only_if ? compile(*pat.only_if) : detail::no_expr});
      } catch (const Poco::Exception& ex) {
        MessageArgs args;
        args.label = mf.id;
        const std::string why = ex.message();
        args.min = why;
        d_.diagnostics.push_back(Diagnostic{Severity::Warning, std::string(code(Message::PatternUnusable)),
                                            format_message(Message::PatternUnusable, "en", args), pat.where, ""});
      }
    }
    p.min_text = literal_text(mf.min);
    p.max_text = literal_text(mf.max);
    if (model::is_text_like(mf.kind) || mf.kind == Kind::Choices || mf.kind == Kind::Repeat) {
      p.min_count = count_bound(mf.min);
      p.max_count = count_bound(mf.max);
    } else if (mf.kind == Kind::Integer || mf.kind == Kind::Decimal || mf.kind == Kind::Money) {
      if (const auto* n = std::get_if<model::Number>(&mf.min)) p.min_number = Decimal::parse(n->digits);
      if (const auto* n = std::get_if<model::Number>(&mf.max)) p.max_number = Decimal::parse(n->digits);
    } else if (mf.kind == Kind::Date) {
      if (const auto* d = std::get_if<model::Date>(&mf.min)) p.min_date = *d;
      if (const auto* d = std::get_if<model::Date>(&mf.max)) p.max_date = *d;
    }
    const auto& options = d_.form.options_of(mf);
    for (std::uint32_t i = 0; i < options.size(); ++i) p.options.emplace(options[i].value, i);
  }

  void refs(ExprRef e, std::vector<FieldId>& out) const {
    const PExpr& n = d_.exprs[e];
    if (n.op == model::Op::Field && n.field < d_.fields.size()) out.push_back(n.field);
    for (std::uint32_t i = 0; i < n.count; ++i) refs(n.first + i, out);
  }

  /// Relevance and computed values, dependencies first; ties in form order.
  void order() {
    const std::size_t n = d_.fields.size();
    std::vector<std::vector<FieldId>> dependents(n);
    std::vector<std::uint32_t> waiting(n, 0);
    std::vector<FieldId> scratch;
    for (FieldId f = 0; f < n; ++f) {
      const FieldPlan& p = d_.fields[f];
      scratch.clear();
      if (p.parent != no_field && p.parent < n) scratch.push_back(p.parent);
      if (p.show_if != detail::no_expr) refs(p.show_if, scratch);
      if (p.computed_expr != detail::no_expr) refs(p.computed_expr, scratch);
      const std::size_t direct = scratch.size();
      for (std::size_t i = 0; i < direct; ++i) {
        // A reference to a group or repeat (is_blank, count) needs all of its parts settled.
        if (scratch[i] == p.parent) continue;
        for (FieldId d = scratch[i] + 1; d < d_.fields[scratch[i]].subtree_end; ++d) scratch.push_back(d);
      }
      std::sort(scratch.begin(), scratch.end());
      scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
      for (FieldId dep : scratch) {
        if (dep == f) continue;
        dependents[dep].push_back(f);
        ++waiting[f];
      }
    }
    std::priority_queue<FieldId, std::vector<FieldId>, std::greater<>> ready;
    for (FieldId f = 0; f < n; ++f) {
      if (waiting[f] == 0) ready.push(f);
    }
    std::vector<bool> done(n, false);
    while (!ready.empty()) {
      const FieldId f = ready.top();
      ready.pop();
      done[f] = true;
      d_.settle_order.push_back(f);
      for (FieldId g : dependents[f]) {
        if (--waiting[g] == 0) ready.push(g);
      }
    }
    // A circle the compiler let through: settle the rest in form order (references not yet
    // settled read as blank).
    for (FieldId f = 0; f < n; ++f) {
      if (!done[f]) d_.settle_order.push_back(f);
    }
  }

  PlanData& d_;
};

}  // namespace

namespace detail {

std::uint64_t NameTable::hash(std::string_view name) {
  const auto load = [](const char* p, std::size_t n) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    return v;
  };
  const std::size_t n = name.size();
  const std::uint64_t first = load(name.data(), std::min<std::size_t>(n, 8));
  const std::uint64_t last = n > 8 ? load(name.data() + n - 8, 8) : 0;
  std::uint64_t h = (first * 0x9E3779B97F4A7C15ull) ^ ((last ^ n) * 0xC2B2AE3D27D4EB4Full);
  h ^= h >> 32;
  return h;
}

void NameTable::add(std::string_view name, FieldId field) {
  if (find(name) != model::no_field) return;
  if ((count_ + 1) * 2 > slots_.size()) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(8, old.size() * 2), Slot{});
    count_ = 0;
    for (const Slot& s : old) {
      if (s.field != model::no_field) add(s.name, s.field);
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(name) & mask;
  while (slots_[i].field != model::no_field) i = (i + 1) & mask;
  slots_[i] = Slot{name, field};
  ++count_;
}

namespace {

constexpr int regex_options = Poco::RegularExpression::RE_UTF8 | Poco::RegularExpression::RE_DOLLAR_ENDONLY;
static_assert(Poco::RegularExpression::RE_UTF8 == PCRE_UTF8 && Poco::RegularExpression::RE_DOLLAR_ENDONLY == PCRE_DOLLAR_ENDONLY);

/// The JIT's stack for this thread: PCRE's default is 32 KiB of the machine stack; a pattern
/// that backtracks deeply gets up to 1 MiB here before it counts as no match.
pcre_jit_stack* jit_stack(void*) {
  thread_local const std::unique_ptr<pcre_jit_stack, decltype(&pcre_jit_stack_free)> stack{
      pcre_jit_stack_alloc(32 << 10, 1 << 20), &pcre_jit_stack_free};
  return stack.get();
}

}  // namespace

Regex::Regex(const std::string& pattern) {
  // Poco first, for its refusal and its words in the V09xx warning, unchanged.
  { Poco::RegularExpression check(pattern, regex_options, false); }
  const char* error = nullptr;
  int offset = 0;
  re_ = pcre_compile(pattern.c_str(), regex_options, &error, &offset, nullptr);
  if (re_ == nullptr) throw Poco::RegularExpressionException(error ? error : "cannot compile");
  extra_ = pcre_study(re_, PCRE_STUDY_JIT_COMPILE, &error);  // null: nothing to add; fine
  if (extra_ != nullptr) pcre_assign_jit_stack(extra_, &jit_stack, nullptr);
}

Regex::~Regex() {
  if (extra_ != nullptr) pcre_free_study(extra_);
  pcre_free(re_);
}

bool Regex::matches(std::string_view text) const {
  // As Poco::RegularExpression::match: 63 offsets, and any result but a match with its groups
  // in them (no match, a limit, more groups than fit) is no match.
  int offsets[63];
  const int rc = pcre_exec(re_, extra_, text.data(), static_cast<int>(text.size()), 0, PCRE_NO_UTF8_CHECK, offsets, 63);
  return rc > 0;
}

}  // namespace detail

std::string pcre_pattern(std::string_view js) {
  const std::string space = "[" + std::string(js_space) + "]";
  const std::string not_space = "[^" + std::string(js_space) + "]";
  std::string out;
  out.reserve(js.size() + 16);
  std::size_t i = 0;
  // An escape other than \s and \S: \u and \p rewritten, anything else copied as written.
  const auto escape = [&](std::string& to) {
    if (i + 1 >= js.size()) {
      to += js[i++];
      return;
    }
    if (js[i + 1] == 'u') {
      if (auto u = unicode_escape(js, i)) {
        to += *u;
        return;
      }
    } else if (js[i + 1] == 'p' || js[i + 1] == 'P') {
      if (auto p = property_escape(js, i)) {
        to += *p;
        return;
      }
    }
    to += js.substr(i, 2);
    i += 2;
  };
  while (i < js.size()) {
    const char c = js[i];
    if (c == '\\' && i + 1 < js.size() && (js[i + 1] == 's' || js[i + 1] == 'S')) {
      out += js[i + 1] == 's' ? space : not_space;
      i += 2;
    } else if (c == '\\') {
      escape(out);
    } else if (c == '.') {
      out += "[^\\n\\r\\x{2028}\\x{2029}]";
      ++i;
    } else if (c == '[') {
      // A class: in JavaScript the first unescaped ']' closes it, even right after '[' or '[^'.
      std::size_t j = i + 1;
      const bool negated = j < js.size() && js[j] == '^';
      if (negated) ++j;
      std::string items;
      bool has_space = false, has_not_space = false, closed = false;
      const std::size_t start = i;
      i = j;
      while (i < js.size()) {
        const char d = js[i];
        if (d == ']') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\\' && i + 1 < js.size() && js[i + 1] == 's') {
          items += js_space;
          has_space = true;
          i += 2;
        } else if (d == '\\' && i + 1 < js.size() && js[i + 1] == 'S') {
          has_not_space = true;
          i += 2;
        } else if (d == '\\') {
          escape(items);
        } else if (d == '[') {
          items += "\\[";  // literal in JavaScript; PCRE would read "[:" as a POSIX class
          ++i;
        } else {
          items += d;
          ++i;
        }
      }
      if (!closed) {  // unterminated: left to PCRE to report
        out += js.substr(start);
        break;
      }
      if (has_space && has_not_space) {
        out += negated ? "(?!)" : "[\\s\\S]";  // a set and its complement: everything, whatever \s means
      } else if (!has_not_space) {
        if (items.empty()) out += negated ? "(?s:.)" : "(?!)";
        else out += (negated ? "[^" : "[") + items + "]";
      } else if (!negated) {
        out += items.empty() ? not_space : "(?:[" + items + "]|" + not_space + ")";
      } else {
        // Neither an item nor a non-space: a space that is not an item.
        out += items.empty() ? space : "(?:(?![" + items + "])" + space + ")";
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Plan::Plan(model::Form form) : data_(std::make_unique<PlanData>()) {
  data_->form = std::move(form);
  Builder(*data_).build();
}

Plan::~Plan() = default;
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;

const model::Form& Plan::form() const { return data_->form; }
const std::vector<Diagnostic>& Plan::diagnostics() const { return data_->diagnostics; }
FieldId Plan::repeat_of(FieldId f) const { return data_->fields.at(f).repeat; }

std::vector<FieldId> Plan::repeats_around(FieldId f) const {
  std::vector<FieldId> out;
  for (FieldId r = data_->fields.at(f).repeat; r != no_field; r = data_->fields[r].repeat) out.push_back(r);
  std::reverse(out.begin(), out.end());
  return out;
}

std::uint32_t Plan::slot(FieldId f) const { return data_->fields.at(f).slot; }

std::uint32_t Plan::entry_size(FieldId repeat) const {
  return static_cast<std::uint32_t>(entry_fields(repeat).size());
}

const std::vector<FieldId>& Plan::entry_fields(FieldId repeat) const {
  if (repeat == no_field) return data_->frames[0];
  return data_->frames.at(data_->fields.at(repeat).inner_frame);
}

FieldId Plan::member(FieldId scope, std::string_view name) const {
  const auto& members = scope == no_field ? data_->top_members : data_->fields.at(scope).members;
  return members.find(name);
}

}  // namespace askonce::engine
