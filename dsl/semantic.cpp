// dsl/semantic.cpp: syntax trees -> one form model, and every rule that is not syntax.
//
// The pass runs in phases over one Builder: collect the blocks and lists of every file; expand
// the form's sections into the flat field list (blocks, repeats and composites become groups
// of child fields, each with a scope for name lookup), numbering the questions and resolving
// and typing each field's expressions as soon as the names they use are final; then resolve
// the rest, check the dependency graph for circles and check the agencies. A large form does
// not fit in the processor's caches: each field is finished while it is still in them, and the
// passes after expansion read FieldInfo rather than the much larger model::Field.
// Diagnostics go through one Sink, which drops repeats (a block used twice is reported once)
// and sorts them into source order. Codes are documented in docs/diagnostics.md.
#include "dsl/semantic.hpp"

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <optional>
#include <queue>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "dsl/plain.hpp"
#include "engine/composites.hpp"
#include "engine/plan.hpp"
#include "engine/value.hpp"

namespace askonce::dsl {
namespace {

using model::Boxed;
using model::Expr;
using model::FieldId;
using model::Kind;
using model::no_field;
using model::Op;
using model::SourceRef;
using model::Type;

// Blocks that use blocks can multiply fields (each level can use the next twice); past this
// many the form is refused instead of exhausting memory.
constexpr std::size_t max_fields = 100000;
/// The longest service standard an agency can promise: ten years, in days or working days.
constexpr std::int64_t max_standard_days = 3650;
constexpr std::uint32_t no_scope = std::numeric_limits<std::uint32_t>::max();

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// ---- Diagnostics --------------------------------------------------------------------------

class Sink {
 public:
  explicit Sink(const std::vector<Source>& sources) : sources_(sources) {}

  void error(std::string_view code, std::string message, SourceRef where, std::string hint = {}) {
    add(Severity::Error, code, std::move(message), where, std::move(hint));
  }
  void warning(std::string_view code, std::string message, SourceRef where, std::string hint = {}) {
    add(Severity::Warning, code, std::move(message), where, std::move(hint));
  }
  bool has_errors() const { return errors_ > 0; }
  std::size_t size() const { return list_.size(); }
  /// False when `code` was already reported at `where`: a problem inside a block used twice
  /// names different fields in each use, but is one mistake in one place.
  bool first_at(std::string_view code, SourceRef where) {
    return places_.insert(std::string(code) + ":" + std::to_string(where.file) + ":" + std::to_string(where.line) +
                          ":" + std::to_string(where.column)).second;
  }

  /// "line 12", or "common/person.form:12" when `first` is in another file than `here`.
  std::string place(SourceRef first, SourceRef here) const {
    if (first.file != here.file && first.file < sources_.size()) {
      return sources_[first.file].path + ":" + std::to_string(first.line);
    }
    return "line " + std::to_string(first.line);
  }

  void finish(std::vector<Diagnostic>& out) {
    std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.where.file, a.where.line, a.where.column) <
             std::tie(b.where.file, b.where.line, b.where.column);
    });
    for (auto& d : list_) out.push_back(std::move(d));
    list_.clear();
  }

 private:
  void add(Severity severity, std::string_view code, std::string message, SourceRef where, std::string hint) {
    std::string key;
    key.reserve(code.size() + message.size() + hint.size() + 32);
    key.append(code).append(1, '\x1f').append(std::to_string(where.file)).append(1, ':');
    key.append(std::to_string(where.line)).append(1, ':').append(std::to_string(where.column));
    key.append(1, '\x1f').append(message).append(1, '\x1f').append(hint);
    if (!seen_.insert(std::move(key)).second) return;
    if (severity == Severity::Error) ++errors_;
    list_.push_back(Diagnostic{severity, std::string(code), std::move(message), where, std::move(hint)});
  }

  const std::vector<Source>& sources_;
  std::vector<Diagnostic> list_;
  std::unordered_set<std::string> seen_;
  std::unordered_set<std::string> places_;
  std::size_t errors_ = 0;
};

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = closest_name(word, candidates);
  return best.empty() ? std::string() : "did you mean " + quote(best) + "?";
}

// ---- Words for messages -------------------------------------------------------------------

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::Text: return "text";
    case Kind::LongText: return "longtext";
    case Kind::Integer: return "integer";
    case Kind::Decimal: return "decimal";
    case Kind::Money: return "money";
    case Kind::Date: return "date";
    case Kind::YesNo: return "yesno";
    case Kind::Choice: return "choice";
    case Kind::Choices: return "choices";
    case Kind::Email: return "email";
    case Kind::Phone: return "phone";
    case Kind::Ssn: return "ssn";
    case Kind::Ein: return "ein";
    case Kind::Zip: return "zip";
    case Kind::Url: return "url";
    case Kind::Address: return "address";
    case Kind::Name: return "name";
    case Kind::Attest: return "attest";
    case Kind::Note: return "note";
    case Kind::Member: return "member";
    case Kind::Group: return "use";
    case Kind::Repeat: return "repeat";
  }
  return "?";
}

/// A type with its article, as it reads in "cannot add a date and a number".
std::string_view type_phrase(Type t) {
  switch (t) {
    case Type::Bool: return "a yes/no value";
    case Type::Number: return "a number";
    case Type::Text: return "text";
    case Type::Date: return "a date";
    case Type::Duration: return "a duration";
    case Type::Set: return "a set of options";
    case Type::List: return "a repeat";
    case Type::Group: return "a group of fields";
    case Type::None: return "a note";
    case Type::Error: return "an invalid value";
  }
  return "?";
}

std::string_view prop_name(const ast::Property& p) {
  switch (p.kind) {
    case ast::PropKind::Required: return p.has_expr ? "required if" : "required";
    case ast::PropKind::ShowIf: return "show if";
    case ast::PropKind::Check: return "check";
    case ast::PropKind::Pattern: return "pattern";
    case ast::PropKind::Min: return "min";
    case ast::PropKind::Max: return "max";
    case ast::PropKind::Hint: return "hint";
    case ast::PropKind::Default: return "default";
    case ast::PropKind::Computed: return "computed";
    case ast::PropKind::Sensitive: return "sensitive";
    case ast::PropKind::Option: return "option";
    case ast::PropKind::From: return "from";
    case ast::PropKind::Ask: return "ask";
    case ast::PropKind::Unanswered: return "unanswered";
    case ast::PropKind::Message: return "message";
  }
  return "?";
}

// ---- Kinds --------------------------------------------------------------------------------

Type value_type(Kind k) {
  switch (k) {
    case Kind::Text: case Kind::LongText: case Kind::Choice: case Kind::Email: case Kind::Phone:
    case Kind::Ssn: case Kind::Ein: case Kind::Zip: case Kind::Url:
      return Type::Text;
    case Kind::Integer: case Kind::Decimal: case Kind::Money: return Type::Number;
    case Kind::Date: return Type::Date;
    case Kind::YesNo: case Kind::Attest: return Type::Bool;
    case Kind::Choices: return Type::Set;
    case Kind::Address: case Kind::Name: case Kind::Group: return Type::Group;
    case Kind::Repeat: return Type::List;
    case Kind::Note: case Kind::Member: return Type::None;
  }
  return Type::Error;
}

bool is_number_kind(Kind k) { return k == Kind::Integer || k == Kind::Decimal || k == Kind::Money; }
bool has_options(Kind k) { return k == Kind::Choice || k == Kind::Choices; }
bool is_scalar(Kind k) {
  return k != Kind::Note && k != Kind::Address && k != Kind::Name && k != Kind::Group && k != Kind::Repeat &&
         k != Kind::Member;
}

/// Whether property `p` may be written on an item of `item` kind (`kind` for fields).
bool applies(ast::PropKind p, ast::ItemKind item, Kind kind) {
  using P = ast::PropKind;
  if (kind == Kind::Member && item == ast::ItemKind::Field) return false;  // a member has no properties
  if (p == P::ShowIf) return true;
  if (item == ast::ItemKind::Use) return p == P::Required || p == P::Sensitive;
  if (item == ast::ItemKind::Repeat) {
    return p == P::Required || p == P::Min || p == P::Max || p == P::Hint;
  }
  if (kind == Kind::Note) return false;
  switch (p) {
    case P::Required: case P::Check: case P::Hint: case P::Sensitive: return true;
    case P::Pattern: return model::is_text_like(kind);
    case P::Min: case P::Max:
      return model::is_text_like(kind) || is_number_kind(kind) || kind == Kind::Date || kind == Kind::Choices;
    case P::Default: case P::Computed: return is_scalar(kind);
    case P::Option: case P::From: return has_options(kind);
    case P::ShowIf: return true;
    case P::Ask: return kind != Kind::Attest;  // a statement is read and confirmed, not asked
    case P::Unanswered: return kind == Kind::YesNo;  // a choice and an attest have their own ways
    case P::Message: return false;  // only in a `place`, where it words the imported rules
  }
  return false;
}

// ---- Exact numbers ------------------------------------------------------------------------

struct Decimal {
  bool negative = false;
  std::string_view whole;     // no leading zeros
  std::string_view fraction;  // no trailing zeros
};

Decimal split_decimal(std::string_view s) {
  Decimal d;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    d.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const auto dot = s.find('.');
  d.whole = s.substr(0, dot);
  if (dot != std::string_view::npos) d.fraction = s.substr(dot + 1);
  while (!d.whole.empty() && d.whole.front() == '0') d.whole.remove_prefix(1);
  while (!d.fraction.empty() && d.fraction.back() == '0') d.fraction.remove_suffix(1);
  if (d.whole.empty() && d.fraction.empty()) d.negative = false;  // -0 is 0
  return d;
}

/// -1, 0 or 1, comparing two decimals as written, exactly.
int compare_decimal(std::string_view a, std::string_view b) {
  const Decimal x = split_decimal(a), y = split_decimal(b);
  if (x.negative != y.negative) return x.negative ? -1 : 1;
  int mag = 0;
  if (x.whole.size() != y.whole.size()) {
    mag = x.whole.size() < y.whole.size() ? -1 : 1;
  } else if (int c = x.whole.compare(y.whole); c != 0) {
    mag = c < 0 ? -1 : 1;
  } else if (int f = x.fraction.compare(y.fraction); f != 0) {
    mag = f < 0 ? -1 : 1;  // equal whole parts: digit strings without trailing zeros order right
  }
  return x.negative ? -mag : mag;
}

bool is_whole(std::string_view s) { return split_decimal(s).fraction.empty(); }
bool is_negative(std::string_view s) { return split_decimal(s).negative; }

std::string literal_text(const model::Literal& v) {
  if (auto n = std::get_if<model::Number>(&v)) return n->digits;
  if (auto s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  if (auto d = std::get_if<model::Date>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d->year, d->month, d->day);
    return buf;
  }
  if (auto b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "?";
}

// ---- Languages ----------------------------------------------------------------------------

bool valid_language(std::string_view code) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto dash = code.find('-');
  const auto lang = code.substr(0, dash);
  if (lang.size() < 2 || lang.size() > 3 || !std::all_of(lang.begin(), lang.end(), lower)) return false;
  if (dash == std::string_view::npos) return true;
  const auto region = code.substr(dash + 1);
  return (region.size() == 2 && upper(region[0]) && upper(region[1])) ||
         (region.size() == 3 && std::all_of(region.begin(), region.end(), digit));
}

struct Languages {
  std::vector<std::string> codes;  // the form's; the first is the primary language
  bool known = false;              // false for a library file checked on its own
  const std::string& primary() const {
    static const std::string none;
    return codes.empty() ? none : codes.front();
  }
  bool declared(std::string_view code) const {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
};

// ---- The blocks and lists of every file -----------------------------------------------------

struct Library {
  explicit Library(const std::vector<ast::File>& f) : files(f) {}
  /// The file a node was read from: its SourceRef's file indexes both `files` and the sources.
  const ast::File& file_of(SourceRef where) const { return files[where.file]; }

  const std::vector<ast::File>& files;
  std::unordered_map<std::string_view, const ast::Block*> blocks;
  std::unordered_map<std::string_view, const ast::List*> lists;
  std::vector<std::string> block_names;
  std::vector<std::string> list_names;
};

Library collect(const std::vector<ast::File>& files, Sink& sink) {
  Library lib(files);
  for (const auto& file : files) {
    for (const auto& b : file.blocks) {
      auto [it, fresh] = lib.blocks.emplace(b.name, &b);
      if (!fresh) {
        sink.error("S0101", "duplicate block name " + quote(b.name), b.name_where,
                   "the first " + quote(b.name) + " is at " + sink.place(it->second->name_where, b.name_where));
      } else {
        lib.block_names.push_back(b.name);
      }
    }
    for (const auto& l : file.lists) {
      auto [it, fresh] = lib.lists.emplace(l.name, &l);
      if (!fresh) {
        sink.error("S0101", "duplicate list name " + quote(l.name), l.name_where,
                   "the first " + quote(l.name) + " is at " + sink.place(it->second->name_where, l.name_where));
      } else {
        lib.list_names.push_back(l.name);
      }
      std::unordered_map<std::string_view, SourceRef> values;
      for (const auto& o : l.options) {
        auto [first, added] = values.emplace(o.value, o.where);
        if (!added) {
          sink.error("S0303", "option " + quote(o.value) + " is given twice", o.where,
                     "the first is at " + sink.place(first->second, o.where));
        }
      }
    }
  }
  return lib;
}

// ---- Constant folding (for fields that can never be shown) ----------------------------------

enum class Tri : std::uint8_t { Unknown, True, False };

bool same_literal(const model::Literal& a, const model::Literal& b) {
  if (a.index() != b.index()) return false;
  if (auto x = std::get_if<model::Number>(&a)) return compare_decimal(x->digits, std::get<model::Number>(b).digits) == 0;
  return a == b;
}

void conjuncts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.op == Op::And) {
    for (const auto& a : e.args) conjuncts(a, out);
  } else {
    out.push_back(&e);
  }
}

Tri fold(const Expr& e) {
  switch (e.op) {
    case Op::Literal:
      if (auto b = std::get_if<bool>(&e.value)) return *b ? Tri::True : Tri::False;
      return Tri::Unknown;
    case Op::Not: {
      if (e.args.size() != 1) return Tri::Unknown;
      const Tri t = fold(e.args[0]);
      return t == Tri::True ? Tri::False : t == Tri::False ? Tri::True : Tri::Unknown;
    }
    case Op::Eq: case Op::Ne: {
      if (e.args.size() != 2 || e.args[0].op != Op::Literal || e.args[1].op != Op::Literal) return Tri::Unknown;
      if (e.args[0].value.index() != e.args[1].value.index()) return Tri::Unknown;
      const bool eq = same_literal(e.args[0].value, e.args[1].value);
      return (eq == (e.op == Op::Eq)) ? Tri::True : Tri::False;
    }
    case Op::And: {
      std::vector<const Expr*> parts;
      conjuncts(e, parts);
      bool all_true = true;
      // `x == "a" and x == "b"`: one field cannot equal two different values at once.
      std::unordered_map<FieldId, const model::Literal*> equals;
      for (const Expr* p : parts) {
        const Tri t = fold(*p);
        if (t == Tri::False) return Tri::False;
        if (t != Tri::True) all_true = false;
        if (p->op == Op::Eq && p->args.size() == 2) {
          const Expr* f = &p->args[0];
          const Expr* v = &p->args[1];
          if (f->op == Op::Literal) std::swap(f, v);
          if (f->op == Op::Field && f->field != no_field && v->op == Op::Literal) {
            auto [it, fresh] = equals.emplace(f->field, &v->value);
            if (!fresh && !same_literal(*it->second, v->value) && it->second->index() == v->value.index()) {
              return Tri::False;
            }
          }
        }
      }
      return all_true ? Tri::True : Tri::Unknown;
    }
    case Op::Or: {
      bool all_false = true;
      for (const auto& a : e.args) {
        const Tri t = fold(a);
        if (t == Tri::True) return Tri::True;
        if (t != Tri::False) all_false = false;
      }
      return all_false ? Tri::False : Tri::Unknown;
    }
    default: return Tri::Unknown;
  }
}

// ---- Conditions that can never hold (S0209, S0211) ------------------------------------------
//
// A conjunction is true only when every part of it is true, and a comparison of a field with a
// literal is true only when the field is answered (a blank compares to blank). So each part
// that compares one field with literals narrows what that field must be, independently of the
// others: an interval and excluded points for numbers and dates, a set of allowed and excluded
// values for texts, choices and yes/no. When one field is left with no value, the condition can
// never hold. Parts that are not such comparisons are left out, which only makes a warning less
// likely: the check never warns about a condition that some answers make true
// (tests/semantic_tests.cpp holds it to brute force over small domains).

/// What a conjunction needs of one field.
struct FieldNeeds {
  bool blank = false;     // is_blank(x)
  bool answered = false;  // a comparison, or not is_blank(x)
  // Numbers and dates: an interval and points left out.
  bool has_lo = false, lo_strict = false, has_hi = false, hi_strict = false;
  long double lo = 0, hi = 0;
  std::vector<long double> out_points;
  bool has_in_points = false;  // `in [...]`: one of these
  std::vector<long double> in_points;
  // Texts, choices and yes/no: the values allowed (when a part names them) and left out.
  bool has_allowed = false;
  std::set<std::string> allowed, out_values;
};

enum class Domain : std::uint8_t { None, Whole, Dense, Values };

/// What kind of values `field` holds, for this reasoning.
Domain domain_of(const model::Field& field) {
  switch (field.type) {
    case Type::Number: return field.kind == Kind::Integer ? Domain::Whole : Domain::Dense;
    case Type::Date: return Domain::Whole;  // a date is a day number
    case Type::Text: case Type::Bool: return Domain::Values;
    default: return Domain::None;
  }
}

/// A literal's value as a point of the order (numbers, dates), or nothing.
std::optional<long double> ordered_value(const Expr& e) {
  if (e.op == Op::Neg && e.args.size() == 1) {
    auto v = ordered_value(e.args[0]);
    if (v) return -*v;
    return std::nullopt;
  }
  if (e.op != Op::Literal) return std::nullopt;
  if (auto n = std::get_if<model::Number>(&e.value)) {
    // Past 18 significant digits a long double could merge two different numbers.
    std::size_t digits = 0;
    for (char c : n->digits) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
    if (digits > 18) return std::nullopt;
    try {
      return std::stold(n->digits);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (auto d = std::get_if<model::Date>(&e.value)) return static_cast<long double>(engine::days_from_civil(*d));
  return std::nullopt;
}

/// A literal's value as a member of a set (texts, choices, yes/no), or nothing.
std::optional<std::string> set_value(const Expr& e, Type type) {
  if (e.op != Op::Literal) return std::nullopt;
  if (type == Type::Text) {
    if (auto s = std::get_if<std::string>(&e.value)) return *s;
  } else if (type == Type::Bool) {
    if (auto b = std::get_if<bool>(&e.value)) return std::string(*b ? "true" : "false");
  }
  return std::nullopt;
}

Op negated(Op op) {
  switch (op) {
    case Op::Eq: return Op::Ne;
    case Op::Ne: return Op::Eq;
    case Op::Lt: return Op::Ge;
    case Op::Le: return Op::Gt;
    case Op::Gt: return Op::Le;
    case Op::Ge: return Op::Lt;
    case Op::In: return Op::NotIn;
    case Op::NotIn: return Op::In;
    default: return op;
  }
}

Op flipped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

void raise_lo(FieldNeeds& n, long double v, bool strict) {
  if (!n.has_lo || v > n.lo || (v == n.lo && strict)) {
    n.has_lo = true;
    n.lo = v;
    n.lo_strict = strict;
  }
}

void lower_hi(FieldNeeds& n, long double v, bool strict) {
  if (!n.has_hi || v < n.hi || (v == n.hi && strict)) {
    n.has_hi = true;
    n.hi = v;
    n.hi_strict = strict;
  }
}

void allow_only(FieldNeeds& n, std::set<std::string> values) {
  if (!n.has_allowed) {
    n.has_allowed = true;
    n.allowed = std::move(values);
    return;
  }
  std::set<std::string> both;
  for (const auto& v : n.allowed) {
    if (values.count(v) > 0) both.insert(v);
  }
  n.allowed = std::move(both);
}

/// Whether some value of its domain meets `n`. `options` are a choice's values (else empty).
bool satisfiable(const FieldNeeds& n, Domain domain, const std::vector<model::Option>& options, bool choice) {
  if (n.blank) return !n.answered;
  if (!n.answered) return true;
  if (domain == Domain::Values) {
    std::set<std::string> candidates;
    if (n.has_allowed) {
      candidates = n.allowed;
      if (choice) {
        std::erase_if(candidates, [&](const std::string& v) {
          return std::none_of(options.begin(), options.end(), [&](const model::Option& o) { return o.value == v; });
        });
      }
    } else if (choice) {
      for (const auto& o : options) candidates.insert(o.value);
    } else {
      return true;  // a text, or a yes/no with only exclusions: see below
    }
    for (const auto& v : candidates) {
      if (n.out_values.count(v) == 0) return true;
    }
    return false;
  }
  if (n.has_lo && n.has_hi && (n.lo > n.hi || (n.lo == n.hi && (n.lo_strict || n.hi_strict)))) return false;
  auto out = [&](long double v) {
    return std::find(n.out_points.begin(), n.out_points.end(), v) != n.out_points.end();
  };
  if (n.has_in_points) {
    return std::any_of(n.in_points.begin(), n.in_points.end(), [&](long double v) {
      const bool above = !n.has_lo || v > n.lo || (v == n.lo && !n.lo_strict);
      const bool below = !n.has_hi || v < n.hi || (v == n.hi && !n.hi_strict);
      return above && below && !out(v) && (domain == Domain::Dense || std::floor(v) == v);
    });
  }
  if (domain == Domain::Dense) {
    // A dense interval of more than one point has values beyond any finite list.
    return !(n.has_lo && n.has_hi && n.lo == n.hi) || !out(n.lo);
  }
  // Whole numbers and days: the whole numbers of the interval, less the points left out.
  if (!n.has_lo || !n.has_hi) return true;
  const long double first = n.lo_strict ? std::floor(n.lo) + 1 : std::ceil(n.lo);
  const long double last = n.hi_strict ? std::ceil(n.hi) - 1 : std::floor(n.hi);
  if (first > last) return false;
  if (last - first + 1 > static_cast<long double>(n.out_points.size())) return true;
  for (long double v = first; v <= last; v += 1) {
    if (!out(v)) return true;
  }
  return false;
}

// ---- Field ids ----------------------------------------------------------------------------

/// Field id -> FieldId. Names are looked up as a scope's prefix followed by a path, many times
/// per field: the table hashes the two pieces without joining them, and keeps every id in one
/// buffer and the slots in one array, so that a lookup allocates nothing and touches little.
/// A slot is 32 bits, so that the table of a large form stays small enough to be cached.
class IdTable {
 public:
  void reserve(std::size_t n) {
    chars_.reserve(n * 12);
    begin_.reserve(n + 1);
    if (slots_.size() < 2 * n) rehash(2 * n);
  }

  /// Asks the processor to fetch the slot where `a` followed by `b` would be, ahead of a find.
  /// On a large form the slots are out of the cache by the time they are needed (every id
  /// hashes somewhere else), and this miss was most of the cost of adding a field.
  void prefetch(std::string_view a, std::string_view b = {}) const {
    if (slots_.empty()) return;
    const std::uint32_t* slot = &slots_[hash(a, b) & mask_];
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*slot));  // GCC 12 drops __builtin_prefetch here
#else
    __builtin_prefetch(slot);
#endif
  }

  /// The field whose id is `a` followed by `b`, or no_field.
  FieldId find(std::string_view a, std::string_view b = {}) const {
    if (slots_.empty()) return no_field;
    return probe(a, b, hash(a, b)).found;
  }

  /// The field whose id is `a` followed by `b` if there is one; otherwise adds that id as the
  /// next FieldId (ids are added in FieldId order) and returns no_field. One probe where find
  /// then an add would take two.
  FieldId find_or_add(std::string_view a, std::string_view b = {}) {
    const auto next = static_cast<FieldId>(begin_.size() - 1);
    if (2 * (next + 1) > slots_.size()) rehash(std::max<std::size_t>(64, 2 * slots_.size()));
    const std::uint64_t h = hash(a, b);
    const Probe p = probe(a, b, h);
    if (p.found != no_field) return p.found;
    chars_.append(a).append(b);
    begin_.push_back(static_cast<std::uint32_t>(chars_.size()));
    slots_[p.slot] = tag_of(h) | (next + 1);
    return no_field;
  }

 private:
  // A slot: FieldId + 1 in the low bits (0: empty), and high bits of the hash above them.
  // Expansion stops at max_fields; a composite's parts may pass it by a few.
  static constexpr unsigned id_bits = 17;
  static constexpr std::uint32_t id_mask = (1u << id_bits) - 1;
  static_assert(max_fields + 1024 < id_mask, "every FieldId fits in a slot");
  static std::uint32_t tag_of(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 32) & ~id_mask; }

  static std::uint64_t hash(std::string_view a, std::string_view b) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a over a then b, then a 64-bit mix
    for (unsigned char c : a) h = (h ^ c) * 1099511628211ull;
    for (unsigned char c : b) h = (h ^ c) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
  }
  /// Where the id `a` followed by `b` (hashing to `h`) is, or the empty slot where it would go.
  struct Probe {
    std::size_t slot;
    FieldId found;  // no_field: not there
  };
  Probe probe(std::string_view a, std::string_view b, std::uint64_t h) const {
    const std::uint32_t tag = tag_of(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t slot = slots_[i];
      if (slot == 0) return {i, no_field};
      if ((slot & ~id_mask) != tag) continue;
      const auto f = static_cast<FieldId>(slot & id_mask) - 1;
      const std::string_view k = key(f);
      if (k.size() == a.size() + b.size() && k.compare(0, a.size(), a) == 0 && k.compare(a.size(), b.size(), b) == 0) {
        return {i, f};
      }
    }
  }
  std::string_view key(FieldId f) const {
    return std::string_view(chars_).substr(begin_[f], begin_[f + 1] - begin_[f]);
  }
  void place(FieldId f) {
    const std::uint64_t h = hash(key(f), {});
    std::size_t i = h & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = tag_of(h) | (f + 1);
  }
  void rehash(std::size_t want) {
    std::size_t size = 64;
    while (size < want) size *= 2;
    slots_.assign(size, 0);
    mask_ = size - 1;
    for (FieldId f = 0; f + 1 < begin_.size(); ++f) place(f);
  }

  std::string chars_;                 // every id, one after the other
  std::vector<std::uint32_t> begin_{0};  // field f's id is chars_[begin_[f], begin_[f + 1])
  std::vector<std::uint32_t> slots_;
  std::size_t mask_ = 0;
};

// ---- The builder --------------------------------------------------------------------------

/// A place where names are looked up: the form, a block instance or a repeat.
struct Scope {
  std::string prefix;  // "" for the form, "spouse." for `use person as spouse`
  std::uint32_t parent = no_scope;
  FieldId owner = no_field;  // the group or repeat whose fields these are; no_field for the form
};

/// What the builder knows about a field beyond the model.
struct FieldInfo {
  std::uint32_t scope = 0;         // where the field's own expressions look names up
  std::uint32_t inner = no_scope;  // groups and repeats: the scope of their fields
  FieldId parent = no_field;       // as model::Field::parent
  bool poisoned = false;           // an unknown or circular block: names below it are not reported
  bool computed = false;           // has `computed` / `show if` (set by resolve_field), so that the
  bool shown_if = false;           // passes after expansion need not read the much larger model::Field
  bool resolved = false;           // its expressions are resolved and typed
  bool never_shown = false;        // its `show if` is always false (S0209)
  SourceRef kind_where;            // the kind keyword (or `use`, `repeat`)
  // The fields its `show if` and its `computed` read: ranges of Builder::refs_.
  std::uint32_t show_refs = 0, show_refs_end = 0;
  std::uint32_t computed_refs = 0, computed_refs_end = 0;
};

/// How a field reference is used: most need a value; count() and sum() reach into repeats.
enum class RefUse : std::uint8_t { Value, IsBlank, Count, Sum };

class Builder {
 public:
  Builder(const Library& lib, std::vector<ast::File>& trees, Languages& langs, const Limits& limits, Sink& sink,
          std::unordered_set<const ast::Block*>& expanded)
      : lib_(lib), trees_(trees), langs_(langs), limits_(limits), sink_(sink), expanded_(expanded) {
    scopes_.push_back(Scope{});
  }

  model::Form build_form(const ast::Form& form);
  /// Collect the texts a citizen reads into `texts`: always with `plain`, else when the form
  /// sets `plain grade`.
  void collect_read_texts(std::vector<ReadText>* texts, bool plain) {
    read_request_ = texts;
    plain_ = plain;
  }
  void paper_setting(const ast::Setting& s);
  void check_block(const ast::Block& block);
  void check_list_texts(const ast::List& list) { (void)list_of(list); }

 private:
  // Expansion.
  /// The model's text; `what` names a text a citizen reads ("label", "hint", ...), collected for
  /// the plain-language checks when they run.
  model::Text text(const ast::Text& t, const char* what = nullptr, std::string_view which = {});
  Expr expr(ast::File& file, ast::Run nodes, bool take);
  /// A string of the tree that `where` is in.
  std::string_view str(SourceRef where, ast::Str s) const { return lib_.file_of(where).str(s); }
  /// The value of a `min`, `max` or `default`.
  const model::Literal& literal(const ast::Property& p) const { return lib_.file_of(p.where).literals[p.literal]; }
  Expr take_expr(const ast::Property& p);
  Boxed<Expr> take_when(const ast::Property& p);
  FieldId add_field(std::string id, std::string name, Kind kind, SourceRef where, FieldId parent,
                    std::uint32_t section, std::uint32_t scope, bool id_added = false);
  void expand_items(std::span<const ast::Item> items, std::uint32_t scope, FieldId parent,
                    std::uint32_t section, std::vector<FieldId>* top);
  void expand_item(const ast::Item& item, std::uint32_t scope, FieldId parent, std::uint32_t section,
                   std::vector<FieldId>* top);
  void expand_use(const ast::Item& item, FieldId group, std::uint32_t scope, std::uint32_t section);
  void apply_props(const ast::Item& item, FieldId f, const ast::Item* refine = nullptr);
  std::vector<ast::Property> refined_props(std::span<const ast::Property> own, const ast::Item& refine, FieldId f);
  // Building on an imported form (`extends`, `place`).
  void collect_base(const ast::Form& form);
  void place_items(std::span<const ast::Item> items, std::uint32_t section, std::vector<FieldId>& top);
  void check_refine_children(const ast::Item& refine, FieldId f);
  void check_bound(const ast::Property& p, FieldId f);
  void check_default(const ast::Property& p, FieldId f);
  void check_pattern(const ast::Property& p);
  const std::string& regex_error(const std::string& regex);
  void add_parts(FieldId f, std::uint32_t section);
  void member_field(const ast::Item& item, FieldId f);
  /// `f` if it is a member, else the first member among its parts; no_field when none.
  FieldId first_member(FieldId f) const {
    if (form_.fields[f].kind == Kind::Member) return f;
    for (FieldId c : form_.fields[f].children) {
      if (const FieldId m = first_member(c); m != no_field) return m;
    }
    return no_field;
  }
  std::size_t count_fields(std::span<const ast::Item> items,
                           std::unordered_map<const ast::Block*, std::size_t>& block_fields) const;
  model::ListId list_of(const ast::List& list);
  model::ListId states_list();

  // Expressions.
  void resolve_all();
  void resolve_field(FieldId f);
  bool bind_own_names(Expr& e, std::uint32_t scope);
  bool resolvable_now(FieldId f);
  void resolve_condition(model::Expr& e, std::uint32_t scope, std::string_view what,
                         std::vector<FieldId>* refs);
  Type type_expr(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs);
  Type type_call(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs);
  Type type_ref(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs, RefUse use);
  Type value_operand(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs);
  void report_not_value(const Expr& e, Type t);
  FieldId lookup(std::string_view path, std::uint32_t scope) const;
  bool under_poisoned(std::string_view path, std::uint32_t scope) const;
  std::string suggest(std::string_view path, std::uint32_t scope);
  std::vector<std::string> candidates(std::string_view path, std::uint32_t scope);
  bool scope_within(std::uint32_t inner, std::uint32_t scope) const;
  void check_option_literal(const Expr& field_ref, const Expr& literal);
  void number_hint(const Expr& a, const Expr& b, std::string& hint) const;

  // Whole-form checks.
  void check_cycles();
  void report_cycle(const std::vector<std::uint32_t>& nodes);
  void check_never_shown();
  void check_never_hold();
  bool never_holds(const Expr& e) const;
  bool add_need(const Expr& part, bool negate, std::unordered_map<FieldId, FieldNeeds>& needs) const;
  void check_order();
  void build_agencies(const ast::Form& form);
  void build_xml(const ast::Agency& a, model::Agency& agency);
  void build_service(const ast::Agency& a, model::Agency& agency);
  std::string_view prefix_scratch_;

  const Library& lib_;
  std::vector<ast::File>& trees_;  // lib_.files, to take expressions from
  Languages& langs_;
  const Limits& limits_;
  Sink& sink_;
  std::unordered_set<const ast::Block*>& expanded_;

  model::Form form_;
  std::vector<FieldInfo> info_;
  std::vector<FieldId> refs_;  // FieldInfo::show_refs and computed_refs, one field after another
  std::vector<FieldId> composites_required_if_;  // composites with `required if`, for their parts
  std::uint32_t next_question_ = 1;
  std::vector<Scope> scopes_;
  IdTable ids_;
  std::vector<Expr> expr_scratch_;  // expr(): operands built and not yet taken
  std::vector<const ast::Block*> block_stack_;
  std::unordered_map<const ast::List*, model::ListId> list_ids_;  // the lists in form_.option_lists
  model::ListId states_ = model::no_list;                          // the states of an address
  std::unordered_map<std::string, std::string> regex_cache_;  // regex -> error ("" when valid)
  // For suggestions, built on the first unknown name, once every field exists.
  struct NameIndex {
    std::vector<FieldId> end;  // per field: one past its last descendant
    std::unordered_map<std::uint64_t, std::vector<FieldId>> by_shape;  // (dots, length) of an id -> fields, in order
    std::unordered_map<std::string_view, FieldId> nested;  // a name -> its first field in a group or repeat, not a part
  };
  std::optional<NameIndex> names_;
  std::unordered_map<std::string, std::string> suggestions_;  // scope and path -> "did you mean" hint
  const NameIndex& name_index();
  std::array<bool, 2> composite_reported_{};  // S0404 once per composite kind
  bool too_many_reported_ = false;
  SourceRef top_item_;
  // The plain-language checks' texts (dsl/plain.hpp); read_ is set once the form says they run.
  std::vector<ReadText>* read_request_ = nullptr;
  std::vector<ReadText>* read_ = nullptr;
  bool plain_ = false;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> read_seen_;
  // The imported form this one extends: its file, and its top-level items by name, each with
  // where it was placed (line 0 while not yet).
  std::uint32_t base_file_ = ast::File::no_file;
  SourceRef extends_where_;
  std::vector<std::pair<const ast::Item*, SourceRef>> base_items_;
  std::unordered_map<std::string_view, std::size_t> base_index_;
  // The `place` being expanded: its refinement for the next item, the refinements of the
  // enclosing placed groups (innermost last; null where there is none), those matched, and
  // where the place is and the field being built, for its texts' diagnostics.
  const ast::Item* pending_refine_ = nullptr;
  std::vector<const ast::Item*> refine_stack_;
  std::unordered_set<const ast::Item*> refine_used_;
  SourceRef placing_;
  std::string current_id_;
};

model::Text Builder::text(const ast::Text& t, const char* what, std::string_view which) {
  model::Text out;
  if (t.empty()) return out;
  out.reserve(t.parts.count);
  for (const auto& part : lib_.file_of(t.where).text_parts[t.parts]) {
    const std::string lang = part.lang.empty() ? langs_.primary() : std::string(str(part.where, part.lang));
    if (out.count(lang) > 0) {
      sink_.error("S0403", "this text has two " + quote(lang.empty() ? "primary language" : lang) + " strings",
                  part.where, "keep one string per language");
      continue;
    }
    if (langs_.known && !langs_.declared(lang)) {
      // A shared block carries every language its forms may need; a form that declares
      // fewer just does not use the others. Only the form's own file is warned about.
      if (part.where.file != 0) continue;
      std::string declared;
      for (const auto& c : langs_.codes) declared += (declared.empty() ? "" : " ") + c;
      sink_.warning("S0402", quote(lang) + " is not one of the form's languages", part.where,
                    "the form declares: " + declared);
      continue;
    }
    out.emplace(lang, std::string(str(part.where, part.value)));
    // A block's texts are expanded at every use; its citizens read each string once.
    if (read_ && what && read_seen_.insert({part.where.file, part.where.line, part.where.column}).second) {
      read_->push_back(ReadText{lang, std::string(str(part.where, part.value)), part.where, what});
    }
  }
  if (langs_.known) {
    for (const auto& code : langs_.codes) {
      if (out.count(code) > 0) continue;
      if (t.where.file == base_file_ && placing_.line) {
        // The importer writes one language; the form that places the field gives the others.
        sink_.error("S0401",
                    "missing " + quote(code) + " translation of the imported " + (what ? what : "text") +
                        (which.empty() ? "" : " " + quote(which)) + " of " + quote(current_id_),
                    placing_, "give it in this 'place' (docs/dsl.md, \"Building on an imported form\")");
        continue;
      }
      sink_.error("S0401", "missing " + quote(code) + " translation", t.where);
    }
  }
  return out;
}

/// The model's expression whose nodes are `nodes` (its root last), from `file`. With `take`,
/// its literals move out of the tree: the form's own items are expanded once, a block's at
/// every use.
Expr Builder::expr(ast::File& file, ast::Run nodes, bool take) {
  const std::span<const ast::ExprNode> n = file.exprs[nodes];
  // Children come before their parent, so building in node order finds every operand built:
  // `built` holds the subexpressions not yet taken by a parent, as `stack` does in the parser.
  std::vector<Expr>& built = expr_scratch_;
  built.clear();
  for (const ast::ExprNode& node : n) {
    Expr e;
    e.op = node.op;
    e.where = node.where;
    if (node.op == Op::Literal) {
      auto& value = file.literals[node.payload];
      e.value = take ? std::move(value) : value;
    } else if (node.op == Op::Field || node.op == Op::Call) {
      e.name = file.name(node);
    }
    if (node.args > 0) {
      const auto first = built.end() - static_cast<std::ptrdiff_t>(node.args);
      e.args.assign(std::make_move_iterator(first), std::make_move_iterator(built.end()));
      built.erase(first, built.end());
    }
    built.push_back(std::move(e));
  }
  Expr root = std::move(built.back());
  built.clear();
  return root;
}

/// The expression of property `p`. The form's own items are expanded once, so their literals
/// move into the model; a block's items are expanded at every use, so theirs are copied.
Expr Builder::take_expr(const ast::Property& p) {
  return expr(trees_[p.where.file], p.expr, block_stack_.empty());
}

/// A check's or a pattern's `if EXPR`, or none.
Boxed<Expr> Builder::take_when(const ast::Property& p) {
  if (!p.has_when) return {};
  return expr(trees_[p.where.file], p.when, block_stack_.empty());
}

/// Adds a field; its id goes into ids_ too, unless `id_added` says it is there already.
FieldId Builder::add_field(std::string id, std::string name, Kind kind, SourceRef where, FieldId parent,
                           std::uint32_t section, std::uint32_t scope, bool id_added) {
  const auto f = static_cast<FieldId>(form_.fields.size());
  if (!id_added) ids_.find_or_add(id);  // new: a part of a composite, whose name no field can take
  model::Field& field = form_.fields.emplace_back();
  field.name = std::move(name);
  field.kind = kind;
  field.type = value_type(kind);
  field.parent = parent;
  field.section = section;
  field.where = where;
  field.id = std::move(id);
  FieldInfo& fi = info_.emplace_back();
  fi.scope = scope;
  fi.parent = parent;
  if (parent != no_field) form_.fields[parent].children.push_back(f);
  return f;
}

void Builder::expand_items(std::span<const ast::Item> items, std::uint32_t scope, FieldId parent,
                           std::uint32_t section, std::vector<FieldId>* top) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    // The next item's id, while this one is expanded (see IdTable::prefetch).
    if (i + 1 < items.size()) ids_.prefetch(scopes_[scope].prefix, str(items[i + 1].where, items[i + 1].name));
    expand_item(items[i], scope, parent, section, top);
  }
}

void Builder::expand_item(const ast::Item& item, std::uint32_t scope, FieldId parent, std::uint32_t section,
                          std::vector<FieldId>* top) {
  if (form_.fields.size() >= max_fields) {
    if (!too_many_reported_) {
      too_many_reported_ = true;
      sink_.error("S0708", "the form has more than " + std::to_string(max_fields) +
                               " fields once its blocks are expanded",
                  top_item_, "blocks that use other blocks several times multiply their fields");
    }
    return;
  }
  if (parent == no_field) top_item_ = item.where;  // what S0708 points at: the designer's own line
  const std::string_view name = str(item.where, item.name);
  // In a placed field, the designer's refinement of this item: the place itself, or the
  // `field NAME` of the enclosing place that names it.
  const ast::Item* refine = pending_refine_;
  pending_refine_ = nullptr;
  if (!refine && !refine_stack_.empty() && refine_stack_.back()) {
    const ast::Item* outer = refine_stack_.back();
    for (const auto& c : lib_.file_of(outer->where).items[outer->items]) {
      if (str(c.where, c.name) == name && refine_used_.insert(&c).second) {
        refine = &c;
        break;
      }
    }
  }
  if (const FieldId first = ids_.find_or_add(scopes_[scope].prefix, name); first != no_field) {
    sink_.error("S0101", "duplicate name " + quote(name), item.name_where,
                "the first " + quote(name) + " is at " +
                    sink_.place(form_.fields[first].where, item.name_where));
    return;
  }
  std::string id;
  id.reserve(scopes_[scope].prefix.size() + name.size());
  id.append(scopes_[scope].prefix).append(name);
  const Kind kind = item.kind == ast::ItemKind::Use      ? Kind::Group
                    : item.kind == ast::ItemKind::Repeat ? Kind::Repeat
                                                         : item.field_kind;
  const FieldId f = add_field(std::move(id), std::string(name), kind, item.name_where, parent, section, scope, true);
  info_[f].kind_where = item.where;
  if (top) top->push_back(f);
  current_id_ = form_.fields[f].id;
  if (kind == Kind::Member) {
    member_field(item, f);
  } else if (item.kind != ast::ItemKind::Use) {
    const ast::Text& label = refine && !refine->label.empty() ? refine->label : item.label;
    form_.fields[f].label = text(label, item.kind == ast::ItemKind::Repeat ? "repeat's label" : item.field_kind == model::Kind::Note ? "note" : "label");
  } else if (refine && !refine->label.empty()) {
    sink_.error("S0805", quote(form_.fields[f].id) + " is a block: it has no label of its own", refine->label.where,
                "label its fields instead, with 'field NAME \"...\"' in this 'place'");
  }
  apply_props(item, f, refine);
  {
    // Questions are numbered in form order, which is the order fields are expanded in.
    model::Field& field = form_.fields[f];
    const bool asks = kind != Kind::Note && kind != Kind::Member && kind != Kind::Group && kind != Kind::Repeat &&
                      !field.computed;
    if (asks) field.question = next_question_++;
  }

  switch (item.kind) {
    case ast::ItemKind::Field:
      if (composites::is_composite(kind)) add_parts(f, section);
      break;
    case ast::ItemKind::Repeat: {
      const auto inner = static_cast<std::uint32_t>(scopes_.size());
      scopes_.push_back(Scope{form_.fields[f].id + ".", scope, f});
      info_[f].inner = inner;
      refine_stack_.push_back(refine);
      expand_items(lib_.file_of(item.where).items[item.items], inner, f, section, nullptr);
      refine_stack_.pop_back();
      break;
    }
    case ast::ItemKind::Use:
      refine_stack_.push_back(refine);
      expand_use(item, f, scope, section);
      refine_stack_.pop_back();
      break;
    case ast::ItemKind::Place:
      break;  // only in a section's body, where build_form places it
  }
  if (refine) check_refine_children(*refine, f);
  if (resolvable_now(f)) resolve_field(f);
}

void Builder::expand_use(const ast::Item& item, FieldId group, std::uint32_t scope, std::uint32_t section) {
  const std::string_view block_name = str(item.where, item.block);
  form_.fields[group].block = block_name;
  auto it = lib_.blocks.find(block_name);
  if (it == lib_.blocks.end()) {
    sink_.error("S0102", "unknown block " + quote(block_name), item.block_where,
                did_you_mean(block_name, lib_.block_names));
    info_[group].poisoned = true;
    return;
  }
  const ast::Block* block = it->second;
  if (std::find(block_stack_.begin(), block_stack_.end(), block) != block_stack_.end()) {
    std::string path;
    auto from = std::find(block_stack_.begin(), block_stack_.end(), block);
    for (auto b = from; b != block_stack_.end(); ++b) path += (*b)->name + " -> ";
    path += block->name;
    sink_.error("S0208", "block " + quote(block->name) + " uses itself: " + path, item.block_where);
    info_[group].poisoned = true;
    return;
  }
  if (block_stack_.size() >= limits_.max_nesting) {
    sink_.error("S0707", "blocks are used inside each other more than " + std::to_string(limits_.max_nesting) +
                             " deep",
                item.block_where);
    info_[group].poisoned = true;
    return;
  }
  expanded_.insert(block);
  const auto inner = static_cast<std::uint32_t>(scopes_.size());
  scopes_.push_back(Scope{form_.fields[group].id + ".", scope, group});
  info_[group].inner = inner;
  block_stack_.push_back(block);
  expand_items(lib_.file_of(block->where).items[block->items], inner, group, section, nullptr);
  block_stack_.pop_back();
  if (form_.fields[group].sensitive) {
    // `use person { sensitive }`: every answer in it is masked, so renderers need not look up.
    for (FieldId d = group + 1; d < form_.fields.size(); ++d) {
      const Kind k = form_.fields[d].kind;
      if (k != Kind::Note && k != Kind::Repeat && k != Kind::Member) form_.fields[d].sensitive = true;
    }
  }
}

/// A `member`: its JSON types, and a name that a submission's paths and an agency's
/// `receives` can carry (any JSON name but one with '.', '[' or ']', which make paths).
void Builder::member_field(const ast::Item& item, FieldId f) {
  model::Field& field = form_.fields[f];
  field.json = item.json;
  field.json_items = item.json_items;
  if (item.json_items != model::JsonType::Any && item.json != model::JsonType::Array) {
    sink_.error("S0302", "'of' does not apply to a member of type " + quote(model::json_type_name(item.json)),
                item.block_where, "only an array has items: 'array of string'");
  }
  const std::string_view name = field.name;
  const bool control = std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (name.empty() || name.size() > 256 || control || name.find_first_of(".[]") != std::string_view::npos) {
    sink_.error("S0108", "a member's name must be 1 to 256 characters, without '.', '[', ']' or control characters",
                item.name_where, "'.' and '[...]' make the paths of submissions and of 'receives'");
  }
}

void Builder::add_parts(FieldId f, std::uint32_t section) {
  const Kind kind = form_.fields[f].kind;
  const std::size_t which = kind == Kind::Address ? 0 : 1;
  if (langs_.known && !composite_reported_[which]) {
    for (const auto& code : langs_.codes) {
      if (std::find(composites::label_languages.begin(), composites::label_languages.end(), code) !=
          composites::label_languages.end()) {
        continue;
      }
      composite_reported_[which] = true;
      sink_.error("S0404",
                  "the parts of " + std::string(kind == Kind::Address ? "an address" : "a name") + " have no " +
                      quote(code) + " labels",
                  info_[f].kind_where, "built-in part labels exist in English (en) and Spanish (es) only");
    }
  }
  const std::string prefix = form_.fields[f].id + ".";
  const std::uint32_t scope = info_[f].scope;
  for (const auto& part : composites::parts(kind)) {
    const FieldId p = add_field(prefix + std::string(part.name), std::string(part.name), part.kind,
                                form_.fields[f].where, f, section, scope);
    model::Field& field = form_.fields[p];
    field.part = std::string(part.name);
    field.label.reserve(langs_.codes.size());
    for (const auto& code : langs_.codes) {
      if (auto l = composites::label(part, code)) field.label.emplace(code, std::string(*l));
    }
    field.required = form_.fields[f].required && part.required_with_parent;
    field.sensitive = form_.fields[f].sensitive;
    if (part.kind == Kind::Choice) field.option_list = states_list();
  }
}

/// How many fields `items` expand to (at most max_fields), to reserve room. A block that uses
/// itself counts as empty here; expansion reports it.
std::size_t Builder::count_fields(std::span<const ast::Item> items,
                                  std::unordered_map<const ast::Block*, std::size_t>& block_fields) const {
  std::size_t n = 0;
  for (const auto& item : items) {
    n += 1;
    switch (item.kind) {
      case ast::ItemKind::Field:
        if (composites::is_composite(item.field_kind)) n += composites::parts(item.field_kind).size();
        break;
      case ast::ItemKind::Place:
        break;  // the imported item's fields are counted with the imported form's
      case ast::ItemKind::Repeat:
        n += count_fields(lib_.file_of(item.where).items[item.items], block_fields);
        break;
      case ast::ItemKind::Use:
        if (auto it = lib_.blocks.find(str(item.where, item.block)); it != lib_.blocks.end()) {
          auto known = block_fields.find(it->second);
          if (known == block_fields.end()) {
            block_fields.emplace(it->second, 0);
            const ast::Block& block = *it->second;
            const std::size_t inside = count_fields(lib_.file_of(block.where).items[block.items], block_fields);
            known = block_fields.insert_or_assign(it->second, inside).first;
          }
          n += known->second;
        }
        break;
    }
    if (n >= max_fields) return max_fields;
  }
  return n;
}

/// The list in the model that every field taking its options from `list` shares.
model::ListId Builder::list_of(const ast::List& list) {
  auto it = list_ids_.find(&list);
  if (it != list_ids_.end()) return it->second;
  model::OptionList& out = form_.option_lists.emplace_back();
  out.name = list.name;
  out.options.reserve(list.options.size());
  for (const auto& o : list.options) out.options.push_back(model::Option{o.value, text(o.label, "option"), o.where});
  const auto id = static_cast<model::ListId>(form_.option_lists.size() - 1);
  list_ids_.emplace(&list, id);
  return id;
}

/// The built-in list of the states, shared by the state of every address. It has no name and
/// no place in the source.
model::ListId Builder::states_list() {
  if (states_ != model::no_list) return states_;
  model::OptionList& out = form_.option_lists.emplace_back();
  for (const auto& st : composites::us_states()) {
    model::Option& o = out.options.emplace_back();
    o.value = std::string(st.code);
    o.label.reserve(langs_.codes.size());
    for (const auto& code : langs_.codes) {
      if (auto n = composites::state_name(st, code)) o.label.emplace(code, std::string(*n));
    }
  }
  states_ = static_cast<model::ListId>(form_.option_lists.size() - 1);
  return states_;
}

void Builder::check_pattern(const ast::Property& p) {
  const std::string regex(str(p.where, p.name));
  const std::string& error = regex_error(regex);
  if (!error.empty()) sink_.error("S0307", "the pattern is not a valid regular expression: " + error, p.name_where);
}

/// Why `regex` does not compile as a pattern (a `pattern`'s or matches()'s), or "" when it does.
const std::string& Builder::regex_error(const std::string& regex) {
  auto it = regex_cache_.find(regex);
  if (it == regex_cache_.end()) {
    std::string error;
    try {
      Poco::RegularExpression re(engine::pcre_pattern(regex), Poco::RegularExpression::RE_UTF8, false);
    } catch (const Poco::Exception& e) {
      error = e.message();
      if (error.empty()) error = "it does not compile";
    } catch (const std::exception& e) {
      error = e.what();
    }
    it = regex_cache_.emplace(regex, std::move(error)).first;
  }
  return it->second;
}

void Builder::check_bound(const ast::Property& p, FieldId f) {
  const model::Field& field = form_.fields[f];
  const char* expected = nullptr;
  const model::Literal& value = literal(p);
  const auto* num = std::get_if<model::Number>(&value);
  const bool counting = model::is_text_like(field.kind) || field.kind == Kind::Choices || field.kind == Kind::Repeat;
  if (counting) {
    if (!num || !is_whole(num->digits) || is_negative(num->digits)) expected = "a whole number, 0 or more";
  } else if (field.kind == Kind::Integer) {
    if (!num || !is_whole(num->digits)) expected = "a whole number";
  } else if (is_number_kind(field.kind)) {
    if (!num) expected = "a number";
  } else if (field.kind == Kind::Date) {
    if (!std::holds_alternative<model::Date>(value)) expected = "a date";
  }
  if (expected) {
    const std::string of = field.kind == Kind::Repeat ? std::string("a repeat")
                                                      : "a field of kind " + quote(kind_name(field.kind));
    std::string what = model::is_text_like(field.kind) ? " (a length)" : counting ? " (a count)" : "";
    sink_.error("S0305", quote(prop_name(p)) + " must be " + expected + what + " for " + of, p.name_where.line ? p.name_where : p.where);
    return;
  }
  (p.kind == ast::PropKind::Min ? form_.fields[f].min : form_.fields[f].max) = value;
}

void Builder::check_default(const ast::Property& p, FieldId f) {
  model::Field& field = form_.fields[f];
  const model::Literal& v = literal(p);
  const SourceRef at = p.name_where.line ? p.name_where : p.where;
  const char* expected = nullptr;
  if (model::is_text_like(field.kind)) {
    if (!std::holds_alternative<std::string>(v)) expected = "text";
  } else if (field.kind == Kind::Integer) {
    auto n = std::get_if<model::Number>(&v);
    if (!n || !is_whole(n->digits)) expected = "a whole number";
  } else if (is_number_kind(field.kind)) {
    if (!std::holds_alternative<model::Number>(v)) expected = "a number";
  } else if (field.kind == Kind::Date) {
    if (!std::holds_alternative<model::Date>(v)) expected = "a date";
  } else if (field.kind == Kind::YesNo || field.kind == Kind::Attest) {
    if (!std::holds_alternative<bool>(v)) expected = "true or false";
  } else if (has_options(field.kind)) {
    std::string value;
    if (auto s = std::get_if<std::string>(&v)) {
      value = *s;
    } else if (auto n = std::get_if<model::Number>(&v)) {
      value = n->digits;
    } else {
      expected = "one of its options";
    }
    if (!expected) {
      const auto& options = form_.options_of(field);
      if (options.empty()) {
        field.default_value = v;
        return;  // no options at all is reported on its own
      }
      for (const auto& o : options) {
        if (o.value == value) {
          field.default_value = std::string(value);
          return;
        }
      }
      std::vector<std::string> values;
      for (const auto& o : options) values.push_back(o.value);
      sink_.error("S0310", "the default " + quote(value) + " is not one of the options of " + quote(field.name), at,
                  did_you_mean(value, values));
      return;
    }
  }
  if (expected) {
    sink_.error("S0310",
                "the default of a field of kind " + quote(kind_name(field.kind)) + " must be " + expected, at);
    return;
  }
  field.default_value = v;
}

void Builder::apply_props(const ast::Item& item, FieldId f, const ast::Item* refine) {
  const Kind kind = form_.fields[f].kind;
  std::array<const ast::Property*, 14> first{};  // the first of each kind, for "given twice"
  const ast::Property* required = nullptr;
  const ast::Property* computed = nullptr;
  const ast::Property* from = nullptr;
  const ast::Property* first_option = nullptr;
  const ast::Property* min = nullptr;
  const ast::Property* max = nullptr;
  const ast::Property* dflt = nullptr;
  const ast::Property* unanswered = nullptr;
  std::unordered_map<std::string_view, SourceRef> option_values;
  std::vector<model::Option> written;  // `option` lines

  std::span<const ast::Property> props = lib_.file_of(item.where).props[item.props];
  std::vector<ast::Property> refined;
  if (refine) {
    refined = refined_props(props, *refine, f);
    props = refined;
  }
  for (const auto& p : props) {
    const auto k = static_cast<std::size_t>(p.kind);
    if (kind == Kind::Note && p.kind == ast::PropKind::Required) {
      sink_.error("S0301", "a note cannot be required", p.where, "a note shows text and holds no answer");
      continue;
    }
    if (kind == Kind::Member && p.kind == ast::PropKind::Required) {
      sink_.error("S0301", "a member cannot be required", p.where,
                  "no page, paper or phone call asks for it: only a JSON client can send it");
      continue;
    }
    if (!applies(p.kind, item.kind, kind)) {
      std::string to = item.kind == ast::ItemKind::Use      ? std::string("a 'use'")
                       : item.kind == ast::ItemKind::Repeat ? std::string("a repeat")
                       : kind == Kind::Note                 ? std::string("a note")
                       : kind == Kind::Member               ? std::string("a member")
                                                           : "a field of kind " + quote(kind_name(kind));
      std::string hint;
      if (kind == Kind::Note) hint = "a note can only have 'show if'";
      if (kind == Kind::Member) hint = "a member is taken as it is sent: it has no properties";
      if (item.kind == ast::ItemKind::Use) hint = "a 'use' can have 'show if', 'required' and 'sensitive'";
      sink_.error("S0302", quote(prop_name(p)) + " does not apply to " + to, p.where, std::move(hint));
      continue;
    }
    const bool repeatable = p.kind == ast::PropKind::Check || p.kind == ast::PropKind::Pattern ||
                            p.kind == ast::PropKind::Option;
    if (!repeatable && k < first.size()) {
      if (first[k]) {
        sink_.error("S0304", quote(p.kind == ast::PropKind::Required ? "required" : prop_name(p)) + " is given twice",
                    p.where, "the first is at " + sink_.place(first[k]->where, p.where));
        continue;
      }
      first[k] = &p;
    }
    model::Field& field = form_.fields[f];
    switch (p.kind) {
      case ast::PropKind::Required:
        required = &p;
        if (p.has_expr) {
          field.required_if = take_expr(p);
        } else {
          field.required = true;
        }
        break;
      case ast::PropKind::ShowIf: field.show_if = take_expr(p); break;
      case ast::PropKind::Check:
        field.checks.push_back(model::Check{take_expr(p), text(p.text, "message"), p.where, take_when(p)});
        break;
      case ast::PropKind::Pattern:
        check_pattern(p);
        field.patterns.push_back(
            model::Pattern{std::string(str(p.where, p.name)), text(p.text, "message"), p.where, take_when(p)});
        break;
      case ast::PropKind::Min: min = &p; check_bound(p, f); break;
      case ast::PropKind::Max: max = &p; check_bound(p, f); break;
      case ast::PropKind::Hint: field.hint = text(p.text, "hint"); break;
      case ast::PropKind::Ask: field.ask = text(p.text); break;
      case ast::PropKind::Unanswered: unanswered = &p; field.unanswered = text(p.text, "option"); break;
      case ast::PropKind::Default: dflt = &p; break;
      case ast::PropKind::Computed: computed = &p; field.computed = take_expr(p); break;
      case ast::PropKind::Sensitive: field.sensitive = true; break;
      case ast::PropKind::Option: {
        if (!first_option) first_option = &p;
        const SourceRef at = p.name_where.line ? p.name_where : p.where;
        const std::string_view value = str(p.where, p.name);
        auto [it, fresh] = option_values.emplace(value, at);
        if (!fresh) {
          sink_.error("S0303", "option " + quote(value) + " is given twice", at,
                      "the first is at " + sink_.place(it->second, at));
          break;
        }
        written.push_back(model::Option{std::string(value), text(p.text, "option", value), at});
        break;
      }
      case ast::PropKind::From: from = &p; break;
      case ast::PropKind::Message: break;  // taken by refined_props
    }
  }

  model::Field& field = form_.fields[f];
  if (computed && required) {
    sink_.error("S0301", "a computed field cannot be required", required->where,
                "the engine works out its value, so nobody can be asked for it");
    field.required = false;
    field.required_if.reset();
  }
  if (computed && dflt) {
    sink_.error("S0302", "'default' does not apply to a computed field", dflt->where,
                "the engine works out its value");
    dflt = nullptr;
  }
  // A third choice that leaves the question unanswered needs a question that may be.
  if (unanswered && (computed || (required && !required->has_expr))) {
    sink_.error("S0311", quote(field.name) + (computed ? " is computed" : " is required") +
                             ", so it cannot be left unanswered",
                unanswered->where,
                computed ? "nobody answers a computed field" : "remove 'unanswered', or make it 'required if' a condition");
    field.unanswered = model::Text();
  }
  if (min && max && literal(*min).index() == literal(*max).index()) {
    bool greater = false;
    if (auto a = std::get_if<model::Number>(&field.min), b = std::get_if<model::Number>(&field.max); a && b) {
      greater = compare_decimal(a->digits, b->digits) > 0;
    } else if (auto x = std::get_if<model::Date>(&field.min), y = std::get_if<model::Date>(&field.max); x && y) {
      greater = std::tie(x->year, x->month, x->day) > std::tie(y->year, y->month, y->day);
    }
    if (greater) {
      const ast::Property* later = min->where.line > max->where.line ||
                                           (min->where.line == max->where.line && min->where.column > max->where.column)
                                       ? min
                                       : max;
      sink_.error("S0306",
                  "'min' (" + literal_text(field.min) + ") is greater than 'max' (" + literal_text(field.max) + ")",
                  later->where);
    }
  }
  if (has_options(kind)) {
    if (from) {
      if (first_option) {
        sink_.error("S0309", quote(field.name) + " has both 'from' and 'option'", from->where,
                    "take the options from the list, or write them here, not both");
      }
      const std::string_view list_name = str(from->where, from->name);
      auto it = lib_.lists.find(list_name);
      if (it == lib_.lists.end()) {
        sink_.error("S0103", "unknown list " + quote(list_name), from->name_where.line ? from->name_where : from->where,
                    did_you_mean(list_name, lib_.list_names));
      } else {
        field.option_list = list_of(*it->second);
        if (form_.options_of(field).empty()) {
          sink_.error("S0308", quote(field.name) + " has no options", from->where,
                      "the list " + quote(list_name) + " is empty");
        }
      }
    } else if (!first_option) {
      sink_.error("S0308", quote(field.name) + " has no options", item.name_where,
                  "add 'option' lines, or take them from a list with 'from'");
    } else if (!written.empty()) {
      field.option_list = static_cast<model::ListId>(form_.option_lists.size());
      form_.option_lists.push_back(model::OptionList{std::string(), std::move(written)});
    }
  }
  if (dflt) check_default(*dflt, f);
}

// ---- Names --------------------------------------------------------------------------------

FieldId Builder::lookup(std::string_view path, std::uint32_t scope) const {
  for (std::uint32_t s = scope; s != no_scope; s = scopes_[s].parent) {
    if (const FieldId f = ids_.find(scopes_[s].prefix, path); f != no_field) return f;
  }
  return no_field;
}

bool Builder::under_poisoned(std::string_view path, std::uint32_t scope) const {
  std::string key;
  for (std::uint32_t s = scope; s != no_scope; s = scopes_[s].parent) {
    key.assign(scopes_[s].prefix).append(path);
    for (std::size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
      const FieldId f = ids_.find(std::string_view(key).substr(0, dot));
      if (f != no_field && info_[f].poisoned) return true;
    }
  }
  return false;
}

std::uint64_t id_shape(std::size_t dots, std::size_t length) {
  return (static_cast<std::uint64_t>(dots) << 32) | static_cast<std::uint32_t>(length);
}

const Builder::NameIndex& Builder::name_index() {
  if (names_) return *names_;
  NameIndex& index = names_.emplace();
  const auto n = static_cast<FieldId>(form_.fields.size());
  index.end.resize(n);
  for (FieldId f = n; f-- > 0;) {
    index.end[f] = std::max<FieldId>(index.end[f], f + 1);
    const FieldId parent = form_.fields[f].parent;
    if (parent != no_field) index.end[parent] = std::max(index.end[parent], index.end[f]);
  }
  for (FieldId f = 0; f < n; ++f) {
    const model::Field& field = form_.fields[f];
    const auto dots = static_cast<std::size_t>(std::count(field.id.begin(), field.id.end(), '.'));
    index.by_shape[id_shape(dots, field.id.size())].push_back(f);
    if (field.part.empty() && field.id != field.name) index.nested.emplace(field.name, f);
  }
  return index;
}

/// The "did you mean" hint for an unknown `path` in `scope`; the same mistake is often made
/// many times (a field renamed), and the answer does not change once the fields are known.
std::string Builder::suggest(std::string_view path, std::uint32_t scope) {
  // Past the diagnostic limit nobody reads the hint; searching for it would only make a
  // file full of unknown names slow.
  if (sink_.size() >= limits_.max_diagnostics) return {};
  std::string key = std::to_string(scope);
  key.append(1, ':').append(path);
  auto it = suggestions_.find(key);
  if (it == suggestions_.end()) it = suggestions_.emplace(std::move(key), did_you_mean(path, candidates(path, scope))).first;
  return it->second;
}

/// The names `path` may have been meant as: in each scope from the inside out, the fields
/// below it (in form order) whose path from there has as many parts as `path` and a length
/// within 3 of it. Those fields are the scope owner's descendants, one range of FieldIds, and
/// the index finds the ones of the right shape without reading every field.
std::vector<std::string> Builder::candidates(std::string_view path, std::uint32_t scope) {
  const NameIndex& index = name_index();
  const auto dots = static_cast<std::size_t>(std::count(path.begin(), path.end(), '.'));
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  std::vector<FieldId> found;
  for (std::uint32_t s = scope; s != no_scope; s = scopes_[s].parent) {
    const std::string& prefix = scopes_[s].prefix;
    const FieldId owner = scopes_[s].owner;
    const FieldId lo = owner == no_field ? 0 : owner + 1;
    const FieldId hi = owner == no_field ? static_cast<FieldId>(form_.fields.size()) : index.end[owner];
    const auto prefix_dots = static_cast<std::size_t>(std::count(prefix.begin(), prefix.end(), '.'));
    found.clear();
    for (std::size_t len = path.size() > 3 ? path.size() - 3 : 1; len <= path.size() + 3; ++len) {
      auto shape = index.by_shape.find(id_shape(prefix_dots + dots, prefix.size() + len));
      if (shape == index.by_shape.end()) continue;
      const auto& ids = shape->second;
      found.insert(found.end(), std::lower_bound(ids.begin(), ids.end(), lo), std::lower_bound(ids.begin(), ids.end(), hi));
    }
    std::sort(found.begin(), found.end());
    for (FieldId f : found) {
      const model::Field& field = form_.fields[f];
      if (field.kind == Kind::Note) continue;
      std::string_view id = field.id;
      if (id.size() <= prefix.size() || id.compare(0, prefix.size(), prefix) != 0) continue;
      id.remove_prefix(prefix.size());
      if (seen.insert(id).second) out.emplace_back(id);
    }
  }
  return out;
}

bool Builder::scope_within(std::uint32_t inner, std::uint32_t scope) const {
  for (std::uint32_t s = scope; s != no_scope; s = scopes_[s].parent) {
    if (s == inner) return true;
  }
  return false;
}

Type Builder::type_ref(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs, RefUse use) {
  e.type = Type::Error;
  const FieldId f = e.field != no_field ? e.field : lookup(e.name, scope);  // bound by bind_own_names
  if (f == no_field) {
    if (!under_poisoned(e.name, scope)) {
      std::string hint = suggest(e.name, scope);
      if (hint.empty() && e.name.find('.') == std::string::npos) {
        // A field of a block or repeat named without its path: say the path.
        const auto& nested = name_index().nested;
        if (auto it = nested.find(e.name); it != nested.end()) {
          hint = "did you mean " + quote(form_.fields[it->second].id) + "?";
        }
      }
      sink_.error("S0104", "unknown field " + quote(e.name), e.where, std::move(hint));
    }
    return Type::Error;
  }
  e.field = f;
  const model::Field& field = form_.fields[f];
  if (field.kind == Kind::Note) {
    sink_.error("S0107", quote(e.name) + " is a note: it holds no value", e.where);
    return Type::Error;
  }
  if (field.kind == Kind::Member) {
    sink_.error("S0107", quote(e.name) + " is a member: it holds no value a rule can use", e.where,
                "a member is passed on as it is sent, and nothing in the form depends on it");
    return Type::Error;
  }
  if (info_[f].poisoned) return Type::Error;
  // Repeats between the field and here that do not contain here: their entries are many.
  FieldId crossed = no_field;
  int crossings = 0;
  for (FieldId a = field.parent; a != no_field; a = form_.fields[a].parent) {
    if (form_.fields[a].kind == Kind::Repeat && !scope_within(info_[a].inner, scope)) {
      if (crossed == no_field) crossed = a;
      ++crossings;
    }
  }
  if (refs) refs->push_back(f);
  if (use == RefUse::Sum) {
    if (crossings == 0 || field.type != Type::Number) {
      sink_.error("S0201", "sum() needs a number field inside a repeat, such as sum(member.income)", e.where);
      return Type::Error;
    }
    e.type = Type::Number;
    return e.type;
  }
  if (use == RefUse::Count && field.kind == Kind::Repeat) {
    e.type = Type::List;
    return e.type;
  }
  if (crossings > 0) {
    const std::string& r = form_.fields[crossed].id;
    std::string hint = "outside the repeat, use count(" + r + ")";
    if (field.type == Type::Number) hint += " or sum(" + e.name + ")";
    sink_.error("S0106", quote(e.name) + " is inside the repeat " + quote(r) + ", which has many entries", e.where,
                std::move(hint));
    return Type::Error;
  }
  e.type = field.type;
  return e.type;
}

void Builder::check_option_literal(const Expr& ref, const Expr& lit) {
  if (ref.op != Op::Field || ref.field == no_field || lit.op != Op::Literal) return;
  const model::Field& field = form_.fields[ref.field];
  const auto& options = form_.options_of(field);
  if (!has_options(field.kind) || options.empty()) return;
  const auto* s = std::get_if<std::string>(&lit.value);
  if (!s) return;
  for (const auto& o : options) {
    if (o.value == *s) return;
  }
  std::vector<std::string> values;
  values.reserve(options.size());
  for (const auto& o : options) values.push_back(o.value);
  sink_.error("S0205", quote(ref.name) + " has no option " + quote(*s), lit.where, did_you_mean(*s, values));
}

// "x == 1" on a choice whose options are numbers: the values are text.
void Builder::number_hint(const Expr& a, const Expr& b, std::string& hint) const {
  if (a.op == Op::Field && a.field != no_field && has_options(form_.fields[a.field].kind) && b.op == Op::Literal) {
    if (auto n = std::get_if<model::Number>(&b.value)) hint = "option values are text: write \"" + n->digits + "\"";
  }
}

/// Reports a group, repeat or set of options where one value is needed, with what to write.
void Builder::report_not_value(const Expr& e, Type t) {
  const std::string name = e.op == Op::Field ? e.name : std::string("this");
  switch (t) {
    case Type::Group: {
      const model::Field* f = e.op == Op::Field && e.field != no_field ? &form_.fields[e.field] : nullptr;
      std::string hint;
      if (f && !f->children.empty()) hint = "use one of its fields, such as " + quote(form_.fields[f->children.front()].id);
      sink_.error("S0201", quote(name) + " is a group of fields, not one value", e.where, std::move(hint));
      break;
    }
    case Type::List:
      sink_.error("S0201", quote(name) + " is a repeat, not one value", e.where,
                  "use count(" + name + "), or sum() of one of its number fields");
      break;
    case Type::Set:
      sink_.error("S0201", quote(name) + " can hold several options, not one value", e.where,
                  "use contains(" + name + ", \"option\") or count(" + name + ")");
      break;
    default: break;
  }
}

/// Types an operand that must be one value (not a group, repeat or set of options).
Type Builder::value_operand(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs) {
  const Type t = type_expr(e, scope, refs);
  if (t == Type::Group || t == Type::List || t == Type::Set) {
    report_not_value(e, t);
    return Type::Error;
  }
  return t;
}

Type Builder::type_expr(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs) {
  auto set = [&](Type t) { return e.type = t; };
  auto binary = [&]() -> std::pair<Type, Type> {
    if (e.args.size() != 2) return {Type::Error, Type::Error};
    const Type a = value_operand(e.args[0], scope, refs);
    const Type b = value_operand(e.args[1], scope, refs);
    return {a, b};
  };
  switch (e.op) {
    case Op::Literal: {
      const auto& v = e.value;
      if (std::holds_alternative<bool>(v)) return set(Type::Bool);
      if (std::holds_alternative<model::Number>(v)) return set(Type::Number);
      if (std::holds_alternative<std::string>(v)) return set(Type::Text);
      if (std::holds_alternative<model::Date>(v)) return set(Type::Date);
      if (std::holds_alternative<model::Duration>(v)) return set(Type::Duration);
      return set(Type::Error);
    }
    case Op::Field: return set(type_ref(e, scope, refs, RefUse::Value));
    case Op::Call: return set(type_call(e, scope, refs));
    case Op::Neg: {
      if (e.args.size() != 1) return set(Type::Error);
      const Type a = value_operand(e.args[0], scope, refs);
      if (a == Type::Error || a == Type::Number) return set(Type::Number);
      sink_.error("S0201", "cannot negate " + std::string(type_phrase(a)), e.where);
      return set(Type::Number);
    }
    case Op::Not: {
      if (e.args.size() != 1) return set(Type::Error);
      const Type a = value_operand(e.args[0], scope, refs);
      if (a != Type::Error && a != Type::Bool) {
        sink_.error("S0201", "'not' needs a yes/no value, not " + std::string(type_phrase(a)), e.args[0].where);
      }
      return set(Type::Bool);
    }
    case Op::And: case Op::Or: {
      const char* word = e.op == Op::And ? "'and'" : "'or'";
      for (auto& arg : e.args) {
        const Type a = value_operand(arg, scope, refs);
        if (a != Type::Error && a != Type::Bool) {
          sink_.error("S0201", std::string(word) + " needs yes/no values, not " + std::string(type_phrase(a)), arg.where);
        }
      }
      return set(Type::Bool);
    }
    case Op::Add: case Op::Sub: {
      auto [a, b] = binary();
      if (a == Type::Number && b == Type::Number) return set(Type::Number);
      if (a == Type::Date && b == Type::Duration) return set(Type::Date);
      if (e.op == Op::Add && a == Type::Duration && b == Type::Date) return set(Type::Date);
      if (a == Type::Error || b == Type::Error) {
        const Type other = a == Type::Error ? b : a;
        return set(other == Type::Number ? Type::Number : other == Type::Date || other == Type::Duration ? Type::Date : Type::Error);
      }
      std::string hint;
      if ((a == Type::Date && b == Type::Number) || (a == Type::Number && b == Type::Date)) {
        hint = "to move a date, use a duration such as '30 days'";
      } else if (a == Type::Date && b == Type::Date && e.op == Op::Sub) {
        hint = "to count years since a date, use age(date)";
      }
      const std::string msg = e.op == Op::Add
                                  ? "cannot add " + std::string(type_phrase(a)) + " and " + std::string(type_phrase(b))
                                  : "cannot subtract " + std::string(type_phrase(b)) + " from " + std::string(type_phrase(a));
      sink_.error("S0201", msg, e.where, std::move(hint));
      return set(Type::Error);
    }
    case Op::Mul: case Op::Div: {
      auto [a, b] = binary();
      if ((a == Type::Number || a == Type::Error) && (b == Type::Number || b == Type::Error)) return set(Type::Number);
      const std::string msg = std::string(e.op == Op::Mul ? "cannot multiply " : "cannot divide ") +
                              std::string(type_phrase(a)) + " by " + std::string(type_phrase(b));
      sink_.error("S0201", msg, e.where);
      return set(Type::Number);
    }
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
      auto [a, b] = binary();
      set(Type::Bool);
      if (a == Type::Error || b == Type::Error) return e.type;
      if (a != b) {
        std::string hint;
        number_hint(e.args[0], e.args[1], hint);
        number_hint(e.args[1], e.args[0], hint);
        sink_.error("S0201", "cannot compare " + std::string(type_phrase(a)) + " with " + std::string(type_phrase(b)),
                    e.where, std::move(hint));
        return e.type;
      }
      const bool order = e.op != Op::Eq && e.op != Op::Ne;
      if (order && a != Type::Number && a != Type::Date && a != Type::Duration) {
        sink_.error("S0201", "only numbers, dates and durations can be ordered, not " + std::string(type_phrase(a)),
                    e.where);
        return e.type;
      }
      if (!order) {
        check_option_literal(e.args[0], e.args[1]);
        check_option_literal(e.args[1], e.args[0]);
      }
      return e.type;
    }
    case Op::In: case Op::NotIn: {
      set(Type::Bool);
      if (e.args.empty()) return e.type;
      const Type a = value_operand(e.args[0], scope, refs);
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        const Type b = value_operand(e.args[i], scope, refs);
        if (a == Type::Error || b == Type::Error) continue;
        if (a != b) {
          std::string hint;
          number_hint(e.args[0], e.args[i], hint);
          sink_.error("S0201", "cannot compare " + std::string(type_phrase(a)) + " with " + std::string(type_phrase(b)),
                      e.args[i].where, std::move(hint));
          continue;
        }
        check_option_literal(e.args[0], e.args[i]);
      }
      return e.type;
    }
  }
  return set(Type::Error);
}

Type Builder::type_call(Expr& e, std::uint32_t scope, std::vector<FieldId>* refs) {
  static constexpr std::array<std::pair<std::string_view, model::Function>, 8> functions{{
      {"today", model::Function::Today},
      {"age", model::Function::Age},
      {"count", model::Function::Count},
      {"sum", model::Function::Sum},
      {"length", model::Function::Length},
      {"is_blank", model::Function::IsBlank},
      {"contains", model::Function::Contains},
      {"matches", model::Function::Matches},
  }};
  auto it = std::find_if(functions.begin(), functions.end(), [&](const auto& f) { return f.first == e.name; });
  if (it == functions.end()) {
    std::vector<std::string> names;
    for (const auto& f : functions) names.emplace_back(f.first);
    sink_.error("S0105", "unknown function " + quote(e.name), e.where, did_you_mean(e.name, names));
    for (auto& a : e.args) type_expr(a, scope, refs);
    return Type::Error;
  }
  e.function = it->second;
  const bool two = e.function == model::Function::Contains || e.function == model::Function::Matches;
  const std::size_t want = e.function == model::Function::Today ? 0 : two ? 2 : 1;
  const Type result = e.function == model::Function::Today ? Type::Date
                      : e.function == model::Function::IsBlank || two ? Type::Bool
                                                                      : Type::Number;
  // count() of conditions (`count(a == 1, b == 2)`): how many of them hold. One argument that
  // is not a field name, or more than one, is such a list.
  if (e.function == model::Function::Count && (e.args.size() > 1 || (e.args.size() == 1 && e.args[0].op != Op::Field))) {
    for (auto& a : e.args) {
      const Type t = type_expr(a, scope, refs);
      if (t != Type::Error && t != Type::Bool) {
        sink_.error("S0201", "count() of several things needs conditions, not " + std::string(type_phrase(t)), a.where,
                    "count(r) counts a repeat's entries or a 'choices' field's ticks; count(c1, c2, ...) how many conditions hold");
      }
    }
    return result;
  }
  if (e.args.size() != want) {
    const std::string takes = want == 0 ? "no arguments" : want == 1 ? "1 argument" : "2 arguments";
    sink_.error("S0204", e.name + "() takes " + takes + ", not " + std::to_string(e.args.size()), e.where);
    for (auto& a : e.args) type_expr(a, scope, refs);
    return result;
  }
  auto needs = [&](Expr& arg, std::string what, Type got) {
    sink_.error("S0201", e.name + "() needs " + what + ", not " + std::string(type_phrase(got)), arg.where);
  };
  switch (e.function) {
    case model::Function::Today: break;
    case model::Function::Age: {
      const Type t = value_operand(e.args[0], scope, refs);
      if (t != Type::Error && t != Type::Date) needs(e.args[0], "a date", t);
      break;
    }
    case model::Function::Length: {
      const Type t = value_operand(e.args[0], scope, refs);
      if (t != Type::Error && t != Type::Text) needs(e.args[0], "text", t);
      break;
    }
    case model::Function::Count: {
      Expr& arg = e.args[0];
      if (arg.op != Op::Field) {
        const Type t = type_expr(arg, scope, refs);
        if (t != Type::Error) needs(arg, "a repeat or a 'choices' field", t);
        break;
      }
      const Type t = type_ref(arg, scope, refs, RefUse::Count);
      if (t != Type::Error && t != Type::List && t != Type::Set) needs(arg, "a repeat or a 'choices' field", t);
      break;
    }
    case model::Function::Sum: {
      Expr& arg = e.args[0];
      if (arg.op != Op::Field) {
        if (type_expr(arg, scope, refs) != Type::Error) {
          sink_.error("S0201", "sum() needs a number field inside a repeat, such as sum(member.income)", arg.where);
        }
        break;
      }
      type_ref(arg, scope, refs, RefUse::Sum);
      break;
    }
    case model::Function::IsBlank: {
      Expr& arg = e.args[0];
      if (arg.op != Op::Field) {
        if (type_expr(arg, scope, refs) != Type::Error) {
          sink_.error("S0201", "is_blank() needs a field, such as is_blank(email)", arg.where);
        }
        break;
      }
      type_ref(arg, scope, refs, RefUse::IsBlank);
      break;
    }
    case model::Function::Contains: {
      const Type c = type_expr(e.args[0], scope, refs);
      const Type v = value_operand(e.args[1], scope, refs);
      if (c != Type::Error && c != Type::Set) needs(e.args[0], "a 'choices' field first", c);
      if (v != Type::Error && v != Type::Text) needs(e.args[1], "an option value (text) second", v);
      if (c == Type::Set) check_option_literal(e.args[0], e.args[1]);
      break;
    }
    case model::Function::Matches: {
      const Type t = value_operand(e.args[0], scope, refs);
      if (t != Type::Error && t != Type::Text) needs(e.args[0], "text first", t);
      const Expr& re = e.args[1];
      if (re.op != Op::Literal || !std::holds_alternative<std::string>(re.value)) {
        type_expr(e.args[1], scope, refs);
        sink_.error("S0201", "matches() needs a regular expression, written as a string, second", re.where,
                    "matches(postal_code, \"[0-9]{5}\")");
        break;
      }
      e.args[1].type = Type::Text;
      const std::string& error = regex_error(std::get<std::string>(re.value));
      if (!error.empty()) sink_.error("S0307", "the regular expression is not valid: " + error, re.where);
      break;
    }
  }
  return result;
}

void Builder::resolve_condition(model::Expr& e, std::uint32_t scope, std::string_view what,
                                std::vector<FieldId>* refs) {
  const Type t = type_expr(e, scope, refs);
  if (t == Type::Error || t == Type::Bool) return;
  if (t == Type::Group || t == Type::List || t == Type::Set) {
    report_not_value(e, t);
    return;
  }
  sink_.error("S0202", quote(what) + " needs a yes/no condition, not " + std::string(type_phrase(t)), e.where);
}

/// Binds (sets Expr::field of) every field name in `e` that is one of `scope`'s own fields,
/// and returns whether all of them were. Such a binding is final: lookup() tries a name in
/// the innermost scope first, so no field added later can take it over.
bool Builder::bind_own_names(Expr& e, std::uint32_t scope) {
  bool all = true;
  if (e.op == Op::Field && e.field == no_field) {
    e.field = ids_.find(scopes_[scope].prefix, e.name);
    all = e.field != no_field;
  }
  for (auto& a : e.args) all = bind_own_names(a, scope) && all;
  return all;
}

/// Whether the expressions of `f`, just expanded, can be resolved now rather than by
/// resolve_all once every field exists: while the field and the fields it reads (usually
/// just before it) are still in the cache. Only when every name is bound to a field of the
/// field's own scope; the others wait for resolve_all, which finds them in enclosing scopes
/// or reports them.
bool Builder::resolvable_now(FieldId f) {
  model::Field& field = form_.fields[f];
  const std::uint32_t scope = info_[f].scope;
  bool all = true;
  if (field.show_if) all = bind_own_names(*field.show_if, scope) && all;
  if (field.required_if) all = bind_own_names(*field.required_if, scope) && all;
  if (field.computed) all = bind_own_names(*field.computed, scope) && all;
  for (auto& c : field.checks) {
    all = bind_own_names(c.rule, scope) && all;
    if (c.only_if) all = bind_own_names(*c.only_if, scope) && all;
  }
  for (auto& pt : field.patterns) {
    if (pt.only_if) all = bind_own_names(*pt.only_if, scope) && all;
  }
  return all;
}

/// Resolves what resolve_field has not resolved yet, in form order.
void Builder::resolve_all() {
  for (FieldId f = 0; f < form_.fields.size(); ++f) {
    if (!info_[f].resolved) resolve_field(f);
  }
  // A composite's parts follow its `required if`.
  for (FieldId f : composites_required_if_) {
    const model::Field& field = form_.fields[f];
    const auto parts = composites::parts(field.kind);
    for (std::size_t i = 0; i < field.children.size() && i < parts.size(); ++i) {
      if (parts[i].required_with_parent) form_.fields[field.children[i]].required_if = field.required_if;
    }
  }
}

/// Resolves and types the expressions of `f`, and notes what the passes after expansion need.
void Builder::resolve_field(FieldId f) {
  info_[f].resolved = true;
  const std::uint32_t scope = info_[f].scope;
  model::Field& field = form_.fields[f];
  info_[f].computed = field.computed.has_value();
  info_[f].shown_if = field.show_if.has_value();
  info_[f].show_refs = static_cast<std::uint32_t>(refs_.size());
  if (field.show_if) resolve_condition(*field.show_if, scope, "show if", &refs_);
  info_[f].show_refs_end = static_cast<std::uint32_t>(refs_.size());
  if (field.required_if) {
    resolve_condition(*field.required_if, scope, "required if", nullptr);
    if (composites::is_composite(field.kind)) composites_required_if_.push_back(f);
  }
  for (auto& c : field.checks) {
    resolve_condition(c.rule, scope, "check", nullptr);
    if (c.only_if) resolve_condition(*c.only_if, scope, "if", nullptr);
  }
  for (auto& pt : field.patterns) {
    if (pt.only_if) resolve_condition(*pt.only_if, scope, "if", nullptr);
  }
  info_[f].computed_refs = info_[f].computed_refs_end = static_cast<std::uint32_t>(refs_.size());
  if (field.computed) {
    Expr& e = *field.computed;
    const Type t = type_expr(e, scope, &refs_);
    info_[f].computed_refs_end = static_cast<std::uint32_t>(refs_.size());
    if (t != Type::Error && t != field.type) {
      if (t == Type::Group || t == Type::List || t == Type::Set) {
        report_not_value(e, t);
      } else {
        sink_.error("S0203",
                    quote(field.name) + " is a field of kind " + quote(kind_name(field.kind)) +
                        ", but its computed value is " + std::string(type_phrase(t)),
                    e.where);
      }
    }
  }
  info_[f].never_shown = field.show_if && never_holds(*field.show_if);
}

// ---- Circles ------------------------------------------------------------------------------
//
// Two nodes per field: 2f is its value, 2f+1 whether it is shown. A value depends on being
// shown, and a computed value on the values it reads; being shown depends on the values the
// `show if` reads and on the parent being shown.

void Builder::check_cycles() {
  const std::size_t n = form_.fields.size();
  std::vector<std::uint32_t> start(2 * n + 1, 0), edges;
  for (FieldId f = 0; f < n; ++f) {
    start[2 * f] = static_cast<std::uint32_t>(edges.size());
    edges.push_back(2 * f + 1);
    for (auto r = info_[f].computed_refs; r < info_[f].computed_refs_end; ++r) edges.push_back(2 * refs_[r]);
    start[2 * f + 1] = static_cast<std::uint32_t>(edges.size());
    for (auto r = info_[f].show_refs; r < info_[f].show_refs_end; ++r) edges.push_back(2 * refs_[r]);
    if (info_[f].parent != no_field) edges.push_back(2 * info_[f].parent + 1);
  }
  start[2 * n] = static_cast<std::uint32_t>(edges.size());

  // Depth first, without recursion. A circle is reported when none of its fields is in a
  // circle reported already. The grey nodes are the stack; `at` is where each one is on it,
  // and `marked` holds the places of those whose field is in a reported circle, so that
  // finding a circle and deciding whether it is new take no walk along the stack.
  enum : std::uint8_t { White, Grey, Black };
  std::vector<std::uint8_t> colour(2 * n, White);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next edge
  std::vector<std::uint32_t> at(2 * n, 0);
  std::vector<bool> in_reported(n, false);
  std::priority_queue<std::uint32_t> marked;
  auto push = [&](std::uint32_t node) {
    colour[node] = Grey;
    at[node] = static_cast<std::uint32_t>(stack.size());
    if (in_reported[node / 2]) marked.push(at[node]);
    stack.emplace_back(node, start[node]);
  };
  std::vector<std::uint32_t> cycle;
  auto visit = [&](std::uint32_t root) {
    if (colour[root] != White) return;
    push(root);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < start[node + 1]) {
        const std::uint32_t to = edges[next++];
        if (colour[to] == White) {
          push(to);
        } else if (colour[to] == Grey && (marked.empty() || marked.top() < at[to])) {
          cycle.clear();
          for (std::size_t s = at[to]; s < stack.size(); ++s) cycle.push_back(stack[s].first);
          for (auto c : cycle) {
            if (in_reported[c / 2]) continue;
            in_reported[c / 2] = true;
            for (std::uint32_t both : {c / 2 * 2, c / 2 * 2 + 1}) {
              if (colour[both] == Grey) marked.push(at[both]);
            }
          }
          report_cycle(cycle);
        }
      } else {
        const std::uint32_t done = node;
        colour[done] = Black;
        if (!marked.empty() && marked.top() == stack.size() - 1) marked.pop();
        stack.pop_back();
        if (done % 2 == 0 && info_[done / 2].computed) form_.computed_order.push_back(done / 2);
      }
    }
  };
  for (FieldId f = 0; f < n; ++f) {
    if (info_[f].computed) visit(2 * f);
  }
  for (FieldId f = 0; f < n; ++f) {
    if (info_[f].shown_if) visit(2 * f + 1);
  }
}

void Builder::report_cycle(const std::vector<std::uint32_t>& nodes) {
  bool all_values = true;
  std::vector<FieldId> fields;
  for (auto node : nodes) {
    if (node % 2 == 1) all_values = false;
    const FieldId f = node / 2;
    if (fields.empty() || fields.back() != f) fields.push_back(f);
  }
  if (fields.size() > 1 && fields.back() == fields.front()) fields.pop_back();
  std::string path;
  for (FieldId f : fields) path += form_.fields[f].id + " -> ";
  path += form_.fields[fields.front()].id;
  if (all_values) {
    const model::Field& first = form_.fields[fields.front()];
    const SourceRef at = first.computed ? first.computed->where : first.where;
    if (sink_.first_at("S0206", at)) sink_.error("S0206", "computed fields use each other in a circle: " + path, at);
    return;
  }
  SourceRef at = form_.fields[fields.front()].where;
  for (auto node : nodes) {
    const model::Field& field = form_.fields[node / 2];
    if (node % 2 == 1 && field.show_if) {
      at = field.show_if->where;
      break;
    }
  }
  if (!sink_.first_at("S0207", at)) return;
  std::string hint;
  if (fields.size() == 1 && form_.fields[fields.front()].show_if) {
    hint = "a field cannot be shown or hidden by its own answer; to test the answer, use 'check'";
  }
  sink_.error("S0207", "'show if' conditions depend on each other in a circle: " + path, at, std::move(hint));
}

void Builder::check_never_shown() {
  for (FieldId f = 0; f < form_.fields.size(); ++f) {
    if (!info_[f].never_shown) continue;
    const model::Field& field = form_.fields[f];
    if (sink_.first_at("S0209", field.show_if->where)) {
      sink_.warning("S0209", quote(field.name) + " can never be shown: its 'show if' is always false",
                    field.show_if->where);
    }
  }
}

/// Whether condition `e` can never be true: a literal false, a conjunction whose comparisons
/// leave some field no value (see FieldNeeds), or a disjunction of such.
bool Builder::never_holds(const Expr& e) const {
  const Tri folded = fold(e);
  if (folded != Tri::Unknown) return folded == Tri::False;
  if (e.op == Op::Or) {
    return std::all_of(e.args.begin(), e.args.end(), [&](const Expr& a) { return never_holds(a); });
  }
  std::vector<const Expr*> parts;
  conjuncts(e, parts);
  std::unordered_map<FieldId, FieldNeeds> needs;
  for (const Expr* p : parts) {
    if (p->op == Op::Or && never_holds(*p)) return true;
    if (!add_need(*p, false, needs)) return true;
  }
  for (const auto& [f, n] : needs) {
    const model::Field& field = form_.fields[f];
    if (!satisfiable(n, domain_of(field), form_.options_of(field), field.kind == Kind::Choice)) return true;
  }
  return false;
}

/// Adds what `part` (negated with `negate`) needs of its field to `needs`. Returns false when the
/// part alone can never be true; a part that is not a comparison of one field with literals
/// adds nothing.
bool Builder::add_need(const Expr& part, bool negate, std::unordered_map<FieldId, FieldNeeds>& needs) const {
  const Tri folded = fold(part);
  if (folded != Tri::Unknown) return (folded == Tri::True) != negate;
  if (part.op == Op::Not && part.args.size() == 1) return add_need(part.args[0], !negate, needs);
  auto field_of = [&](const Expr& e) -> FieldId {
    return e.op == Op::Field && e.field != no_field && e.field < form_.fields.size() ? e.field : no_field;
  };
  // is_blank(x), not is_blank(x).
  if (part.op == Op::Call && part.function == model::Function::IsBlank && part.args.size() == 1) {
    const FieldId f = field_of(part.args[0]);
    if (f == no_field || domain_of(form_.fields[f]) == Domain::None) return true;
    (negate ? needs[f].answered : needs[f].blank) = true;
    return true;
  }
  // A yes/no field on its own: `veteran`, `not veteran`.
  if (const FieldId f = field_of(part); f != no_field) {
    if (form_.fields[f].type != Type::Bool) return true;
    FieldNeeds& n = needs[f];
    n.answered = true;
    allow_only(n, {negate ? "false" : "true"});
    return true;
  }
  Op op = negate ? negated(part.op) : part.op;
  if (part.args.size() < 2) return true;
  const Expr* term = &part.args[0];
  const Expr* value = &part.args[1];
  if (op != Op::In && op != Op::NotIn && field_of(*term) == no_field) {
    std::swap(term, value);
    op = flipped(op);
  }
  const FieldId f = field_of(*term);
  if (f == no_field) return true;
  const model::Field& field = form_.fields[f];
  const Domain domain = domain_of(field);
  if (domain == Domain::None) return true;
  if (domain == Domain::Values) {
    std::set<std::string> values;
    for (std::size_t i = 1; i < part.args.size(); ++i) {
      const Expr& lit = (op == Op::In || op == Op::NotIn) ? part.args[i] : *value;
      auto v = set_value(lit, field.type);
      if (!v) return true;
      // A choice compared with what is not one of its options is S0205, an error already.
      if (field.kind == Kind::Choice) {
        const auto& options = form_.options_of(field);
        if (std::none_of(options.begin(), options.end(), [&](const model::Option& o) { return o.value == *v; })) {
          return true;
        }
      }
      values.insert(*v);
      if (op != Op::In && op != Op::NotIn) break;
    }
    FieldNeeds& n = needs[f];
    switch (op) {
      case Op::Eq: case Op::In: n.answered = true; allow_only(n, std::move(values)); break;
      case Op::Ne: case Op::NotIn:
        n.answered = true;
        n.out_values.insert(values.begin(), values.end());
        // A yes/no left out of one value must have the other.
        if (field.type == Type::Bool && n.out_values.size() == 1) {
          allow_only(n, {*n.out_values.begin() == "true" ? "false" : "true"});
        }
        break;
      default: break;
    }
    return true;
  }
  if (op == Op::NotIn || op == Op::In) {
    std::vector<long double> points;
    for (std::size_t i = 1; i < part.args.size(); ++i) {
      auto v = ordered_value(part.args[i]);
      if (!v) return true;
      points.push_back(*v);
    }
    FieldNeeds& n = needs[f];
    n.answered = true;
    if (op == Op::NotIn) {
      n.out_points.insert(n.out_points.end(), points.begin(), points.end());
    } else if (!n.has_in_points) {
      n.has_in_points = true;
      n.in_points = std::move(points);
    } else {
      std::erase_if(n.in_points, [&](long double v) { return std::find(points.begin(), points.end(), v) == points.end(); });
    }
    return true;
  }
  auto v = ordered_value(*value);
  if (!v) return true;
  FieldNeeds& n = needs[f];
  switch (op) {
    case Op::Eq: n.answered = true; raise_lo(n, *v, false); lower_hi(n, *v, false); break;
    case Op::Ne: n.answered = true; n.out_points.push_back(*v); break;
    case Op::Lt: n.answered = true; lower_hi(n, *v, true); break;
    case Op::Le: n.answered = true; lower_hi(n, *v, false); break;
    case Op::Gt: n.answered = true; raise_lo(n, *v, true); break;
    case Op::Ge: n.answered = true; raise_lo(n, *v, false); break;
    default: break;
  }
  return true;
}

/// S0211: a `required if`, a check or an agency's `when` that can never hold (a `show if` that
/// cannot is S0209). Each is a mistake the form designer would want to hear about: a question
/// never required, a check that refuses every answer it judges, an agency that receives nothing.
void Builder::check_never_hold() {
  for (FieldId f = 0; f < form_.fields.size(); ++f) {
    const model::Field& field = form_.fields[f];
    if (info_[f].never_shown) continue;  // S0209 says it all
    if (field.required_if && never_holds(*field.required_if) && sink_.first_at("S0211", field.required_if->where)) {
      sink_.warning("S0211", quote(field.name) + " can never be required: its 'required if' can never hold",
                    field.required_if->where, "no answers make it true; fix the condition or remove it");
    }
    for (const auto& c : field.checks) {
      if (c.only_if && never_holds(*c.only_if)) {
        if (sink_.first_at("S0211", c.only_if->where)) {
          sink_.warning("S0211", "this check of " + quote(field.name) + " never applies: its 'if' can never hold",
                        c.only_if->where, "no answers make it true; fix the condition or remove the check");
        }
        continue;  // the rule is never judged, so whether it could hold does not matter
      }
      if (never_holds(c.rule) && sink_.first_at("S0211", c.rule.where)) {
        sink_.warning("S0211", "this check of " + quote(field.name) + " can never hold, so it refuses every answer",
                      c.rule.where, "no answers make it true; fix the condition or remove the check");
      }
    }
    // A pattern's `if` that can never hold: one alternative's rule that no answers choose.
    for (const auto& pt : field.patterns) {
      if (pt.only_if && never_holds(*pt.only_if) && sink_.first_at("S0211", pt.only_if->where)) {
        sink_.warning("S0211", "this pattern of " + quote(field.name) + " never applies: its 'if' can never hold",
                      pt.only_if->where, "no answers make it true; fix the condition or remove the pattern");
      }
    }
  }
  for (const auto& a : form_.agencies) {
    if (a.when && never_holds(*a.when) && sink_.first_at("S0211", a.when->where)) {
      sink_.warning("S0211", "agency " + quote(a.name) + " can never receive anything: its 'when' can never hold",
                    a.when->where, "no answers make it true; fix the condition");
    }
  }
}

/// S0210: a question asked before one its `show if`, its `required if` or the `if` of one of
/// its rules (`check ... if`, `pattern ... if`) depends on. Every channel asks in form order (a
/// phone agent reads the script from the top; the paper form is filled from the top), so a
/// condition on a later answer makes the agent ask a question before knowing whether it
/// applies, or which of its rules to read back. A computed field in a condition counts by the
/// latest answer it is worked out from. A `required if` or a rule's `if` that only asks whether
/// later answers are blank is left alone (see below). A warning: the web, which settles
/// everything at the end, still works.
void Builder::check_order() {
  // Errors first: a form with errors may have references left unresolved, and a circle of
  // conditions (S0207) always has one pointing forward.
  if (sink_.has_errors()) return;
  const auto& fields = form_.fields;
  const FieldId n = static_cast<FieldId>(fields.size());
  // Where an answer is asked: a composite's part at its composite.
  auto asked_at = [&](FieldId r) {
    return !fields[r].part.empty() && fields[r].parent != no_field ? fields[r].parent : r;
  };
  // Per computed field, the latest answer its formula reads (no_field: none yet; memoized,
  // so a formula shared by many conditions is walked once). Circles were reported (S0206).
  constexpr FieldId unknown = no_field - 1;
  std::vector<FieldId> latest(n, unknown);
  auto latest_of = [&](auto&& self, FieldId c) -> FieldId {
    if (latest[c] != unknown) return latest[c];
    latest[c] = no_field;  // in progress: a circle contributes nothing
    FieldId best = no_field;
    auto walk = [&](auto&& walk_self, const Expr& e) -> void {
      if (e.op == Op::Field && e.field < n) {
        const FieldId r = e.field;
        const FieldId at = fields[r].computed ? self(self, r) : asked_at(r);
        if (at != no_field && (best == no_field || at > best)) best = at;
      }
      for (const auto& a : e.args) walk_self(walk_self, a);
    };
    if (fields[c].computed) walk(walk, *fields[c].computed);
    return latest[c] = best;
  };
  auto check = [&](FieldId f, const Expr& condition, std::string_view what) {
    const bool show = what == "show if";
    const bool rule = what == "if";
    const Expr* found = nullptr;
    FieldId later = no_field;
    auto walk = [&](auto&& self, const Expr& e) -> void {
      if (found) return;
      // `required if` another answer is blank or given is a rule over answers asked together
      // (all parts of a name or none; a policy number or a group code): the agent asks them
      // all and the read-back settles it. Only a value decides whether to ask or to insist.
      if (!show && e.op == Op::Call && e.function == model::Function::IsBlank) return;
      // So is a `required if` that counts which of several cases the answers fit (`count(c1,
      // c2) != 1`: an imported schema's alternatives with the answer that chooses left blank):
      // whether the answers fit one case is settled at the read-back, once they are all heard.
      if (what == "required if" && e.op == Op::Call && e.function == model::Function::Count &&
          (e.args.size() > 1 || (e.args.size() == 1 && e.args[0].op != Op::Field))) {
        return;
      }
      if (e.op == Op::Field && e.field < n) {
        const FieldId r = e.field;
        const FieldId at = fields[r].computed ? latest_of(latest_of, r) : asked_at(r);
        if (at != no_field && at > f) {
          found = &e;
          later = at;
          return;
        }
      }
      for (const auto& a : e.args) self(self, a);
    };
    walk(walk, condition);
    if (!found) return;
    const SourceRef at = found->where.line ? found->where : condition.where;
    if (!sink_.first_at("S0210", at)) return;
    const std::string& own = fields[f].name;
    // A rule's `if`: "the 'if' of a rule of 'postal'".
    const std::string subject = (rule ? "the 'if' of a rule" : quote(what)) + " of " + quote(own);
    std::string message = subject + " depends on " + quote(fields[later].id) + ", which comes later in the form";
    if (fields[found->field].computed) {
      message = subject + " uses " + quote(fields[found->field].id) + ", which is worked out from " +
                quote(fields[later].id) + ", which comes later in the form";
    }
    sink_.warning("S0210", std::move(message), at,
                  "every channel asks in form order: put " + quote(fields[later].name) + " before " + quote(own));
  };
  for (FieldId f = 0; f < n; ++f) {
    const model::Field& field = fields[f];
    // Composite parts carry their composite's `required if`; computed fields are not asked.
    if (!field.part.empty() || field.computed) continue;
    if (field.show_if) check(f, *field.show_if, "show if");
    if (field.required_if) check(f, *field.required_if, "required if");
    for (const auto& c : field.checks) {
      if (c.only_if) check(f, *c.only_if, "if");
    }
    for (const auto& pt : field.patterns) {
      if (pt.only_if) check(f, *pt.only_if, "if");
    }
  }
}

// ---- Agencies -----------------------------------------------------------------------------

void Builder::build_agencies(const ast::Form& form) {
  std::unordered_map<std::string_view, SourceRef> names;
  // Per field, while one agency is checked: which of its receives took the field first (an
  // index into a.receives), and whether that one gave the field's id as its name. A flat
  // vector, not a hash map: an agency may receive tens of thousands of fields.
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max() >> 1;
  constexpr std::uint32_t named_by_id = ~none;
  std::vector<std::uint32_t> receive_of(form_.fields.size(), none);
  std::vector<FieldId> touched;
  for (const auto& a : form.agencies) {
    auto [it, fresh] = names.emplace(a.name, a.name_where);
    if (!fresh) {
      sink_.error("S0504", "duplicate agency name " + quote(a.name), a.name_where,
                  "the first " + quote(a.name) + " is at " + sink_.place(it->second, a.name_where));
      continue;
    }
    model::Agency agency;
    agency.name = a.name;
    agency.title = text(a.title);
    agency.where = a.name_where;
    if (a.has_when) {
      agency.when = expr(trees_[a.where.file], a.when, true);
      resolve_condition(*agency.when, 0, "when", nullptr);
    }
    // The names given with `as`; the others are the ids of different fields, which can only
    // clash with one of these. Keys live as long as this loop: they are in the tree.
    std::unordered_map<std::string_view, SourceRef> renamed;
    for (FieldId f : touched) receive_of[f] = none;
    touched.clear();
    agency.receives.reserve(a.receives.size());
    for (std::uint32_t i = 0; i < a.receives.size(); ++i) {
      if (i + 4 < a.receives.size()) ids_.prefetch(str(a.receives[i + 4].where, a.receives[i + 4].path));
      const ast::Receive& r = a.receives[i];
      const std::string_view path = str(r.where, r.path);
      const std::string_view as = str(r.where, r.as);
      const FieldId f = lookup(path, 0);
      if (f == no_field) {
        if (!under_poisoned(path, 0)) {
          sink_.error("S0501", "unknown field " + quote(path) + " in 'receives'", r.where,
                      suggest(path, 0));
        }
        continue;
      }
      if (form_.fields[f].kind == Kind::Note) {
        sink_.error("S0505", quote(path) + " is a note: it holds no value to receive", r.where);
        continue;
      }
      if (a.xml_where.line != 0 || !a.xml.empty()) {
        // An agency that publishes its XML schema gets its view in that shape, and no schema of
        // its own has a place for a JSON value: a member is for JSON views (docs/agencies.md).
        const FieldId m = first_member(f);
        if (m != no_field) {
          sink_.error("S0516", "agency " + quote(a.name) + " has an 'xml' block: it cannot receive the member " +
                                   quote(form_.fields[m].id),
                      r.where, "a member is a JSON value, for agencies that take the JSON view");
          continue;
        }
      }
      if (receive_of[f] != none) {
        const SourceRef first = a.receives[receive_of[f] & none].where;
        sink_.error("S0503", "agency " + quote(a.name) + " receives " + quote(path) + " twice", r.where,
                    "the first is at " + sink_.place(first, r.where));
        continue;
      }
      receive_of[f] = i;
      touched.push_back(f);
      const std::string_view out = as.empty() ? std::string_view(form_.fields[f].id) : as;
      const SourceRef at = as.empty() ? r.where : r.as_where;
      std::optional<SourceRef> clash;
      if (auto it = renamed.empty() ? renamed.end() : renamed.find(out); it != renamed.end()) clash = it->second;
      if (!clash && !as.empty()) {
        const FieldId g = ids_.find(as);
        if (g != no_field && receive_of[g] != none && (receive_of[g] & named_by_id)) {
          clash = a.receives[receive_of[g] & none].where;
        }
      }
      if (clash) {
        sink_.error("S0502", "agency " + quote(a.name) + " already receives a field as " + quote(out), at,
                    "the first is at " + sink_.place(*clash, at));
        continue;
      }
      if (as.empty()) {
        receive_of[f] |= named_by_id;
      } else {
        renamed.emplace(as, at);
      }
      agency.receives.push_back(model::Receive{f, std::string(path), std::string(as), r.where});
    }
    build_xml(a, agency);
    build_service(a, agency);
    form_.agencies.push_back(std::move(agency));
  }
}

namespace {

/// The whole numbers a text writes in digits ("3,650" is one), for S0515.
std::vector<std::int64_t> numbers_in(std::string_view text) {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < text.size();) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::int64_t n = 0;
    bool big = false;
    while (i < text.size()) {
      const char c = text[i];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        big = big || n > 100'000'000;
        n = big ? n : n * 10 + (c - '0');
        ++i;
      } else if (c == ',' && i + 4 <= text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
                 std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
                 std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
        ++i;  // a thousands separator
      } else {
        break;
      }
    }
    if (!big) out.push_back(n);
  }
  return out;
}

}  // namespace

/// The agency's service standard and its messages: the promise as data beside the text the
/// citizen reads, and the messages its statuses can name, each in every language (text()).
void Builder::build_service(const ast::Agency& a, model::Agency& agency) {
  for (const auto& st : a.standards) {
    if (agency.standard) {
      sink_.error("S0513", "agency " + quote(a.name) + " already has a standard", st.where,
                  "the first is at " + sink_.place(agency.standard->where, st.where) +
                      "; an agency makes one promise");
      continue;
    }
    const char* unit = st.working_days ? "working days" : "days";
    model::ServiceStandard standard;
    standard.unit = st.working_days ? model::ServiceStandard::Unit::WorkingDays : model::ServiceStandard::Unit::Days;
    standard.where = st.where;
    standard.text = text(st.text, "standard");
    if (st.amount < 1 || st.amount > max_standard_days) {
      sink_.error("S0512", std::string("a service standard must be from 1 to 3,650 ") + unit, st.amount_where,
                  "3,650 days is ten years");
    } else {
      standard.amount = static_cast<std::uint32_t>(st.amount);
      // The clock counts the number; the citizen reads the text: they should say the same.
      for (const auto& part : lib_.file_of(st.text.where).text_parts[st.text.parts]) {
        const auto numbers = numbers_in(str(part.where, part.value));
        if (std::find(numbers.begin(), numbers.end(), st.amount) == numbers.end()) {
          sink_.warning("S0515", "this text does not say " + std::to_string(st.amount) + ": the standard promises " +
                                     std::to_string(st.amount) + " " + unit,
                        part.where, "the clock counts " + std::to_string(st.amount) + " " + unit +
                                        "; write the same number for the citizen");
        }
      }
    }
    agency.standard = std::move(standard);
  }
  std::unordered_map<std::string_view, SourceRef> names;
  for (const auto& m : a.messages) {
    auto [it, fresh] = names.emplace(m.name, m.name_where);
    if (!fresh) {
      sink_.error("S0514", "agency " + quote(a.name) + " already has a message " + quote(m.name), m.name_where,
                  "the first is at " + sink_.place(it->second, m.name_where));
      continue;
    }
    agency.messages.push_back(model::AgencyMessage{m.name, text(m.text, "agency message"), m.name_where});
  }
}

namespace {

/// An XML name without a prefix (NCName), ASCII only.
bool xml_ncname(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

/// Splits "p:name" into its prefix ("" when none) and local name; false when not a QName.
bool xml_qname(std::string_view s, std::string_view& prefix) {
  const auto colon = s.find(':');
  prefix = colon == std::string_view::npos ? std::string_view() : s.substr(0, colon);
  const auto local = colon == std::string_view::npos ? s : s.substr(colon + 1);
  return (colon == std::string_view::npos || xml_ncname(prefix)) && xml_ncname(local);
}

}  // namespace

void Builder::build_xml(const ast::Agency& a, model::Agency& agency) {
  auto& x = agency.xml;
  x.where = a.xml_where.line ? a.xml_where : a.name_where;
  std::unordered_map<std::string, SourceRef> once, prefixes, attributes;
  auto check_prefix = [&](std::string_view prefix, SourceRef at) {
    if (!prefix.empty() && prefixes.count(std::string(prefix)) == 0) {
      sink_.error("S0508", "the namespace prefix " + quote(prefix) + " is not declared", at,
                  "declare it in the agency's xml settings: namespace " + std::string(prefix) + " \"...\"");
    }
  };
  for (const auto& setting : a.xml) {  // namespaces first: the others may use them
    if (setting.keyword != "namespace") continue;
    if (!setting.name.empty() && !xml_ncname(setting.name)) {
      sink_.error("S0507", quote(setting.name) + " is not a valid XML namespace prefix", setting.where);
      continue;
    }
    if (auto [it, added] = prefixes.emplace(setting.name, setting.where); !added) {
      sink_.error("S0509", "the namespace prefix " + quote(setting.name) + " is declared twice", setting.where,
                  "the first is at " + sink_.place(it->second, setting.where));
      continue;
    }
    if (setting.value.empty()) {
      sink_.error("S0507", "a namespace needs its URI", setting.value_where);
      continue;
    }
    x.namespaces.push_back({setting.name, setting.value});
  }
  for (const auto& setting : a.xml) {
    if (setting.keyword == "namespace") continue;
    if (setting.keyword != "attribute") {
      if (auto [it, added] = once.emplace(setting.keyword, setting.where); !added) {
        sink_.error("S0506", quote(setting.keyword) + " is given twice", setting.where,
                    "the first is at " + sink_.place(it->second, setting.where));
        continue;
      }
    }
    std::string_view prefix;
    if (setting.keyword == "root" || setting.keyword == "attribute") {
      const std::string& qname = setting.keyword == "root" ? setting.value : setting.name;
      const SourceRef at = setting.keyword == "root" ? setting.value_where : setting.where;
      if (!xml_qname(qname, prefix)) {
        sink_.error("S0507", quote(qname) + " is not a valid XML name", at,
                    "an XML name starts with a letter or '_' and holds letters, digits, '_', '-' and '.', "
                    "with an optional prefix: 'P:Name'");
        continue;
      }
      check_prefix(prefix, at);
    }
    if (setting.keyword == "root") x.root = setting.value;
    if (setting.keyword == "yes") x.yes = setting.value;
    if (setting.keyword == "no") x.no = setting.value;
    if (setting.keyword == "attribute") {
      if (auto [it, added] = attributes.emplace(setting.name, setting.where); !added) {
        sink_.error("S0506", "the attribute " + quote(setting.name) + " is given twice", setting.where,
                    "the first is at " + sink_.place(it->second, setting.where));
        continue;
      }
      x.attributes.push_back({setting.name, setting.value});
    }
  }
  if (x.yes == x.no) {
    sink_.error("S0510", "'yes' and 'no' are written the same way", x.where,
                "an agency could not tell the answers apart");
  }
  // Every name the agency receives is a path of XML element names. A path can only be both a
  // value and a parent when some path has several elements.
  const bool nested = std::any_of(agency.receives.begin(), agency.receives.end(),
                                  [](const model::Receive& r) { return r.as.find('/') != std::string::npos; });
  std::unordered_map<std::string, bool> leaf_of;  // element path -> is it a value (true) or a parent
  for (const auto& r : agency.receives) {
    // A field's id is a path of identifiers, always a valid element name.
    if (r.as.empty() && !nested) continue;
    const std::string& out = r.as.empty() ? form_.fields[r.field].id : r.as;
    const SourceRef at = r.where;
    std::string_view rest = out;
    std::string path;
    bool valid = true;
    while (valid) {
      const auto slash = rest.find('/');
      const auto step = rest.substr(0, slash);
      if (!xml_qname(step, prefix_scratch_)) {
        sink_.error("S0507", quote(out) + " is not a valid XML element path", at,
                    "write element names separated by '/', like \"Applicant/Street1\"");
        valid = false;
        break;
      }
      check_prefix(prefix_scratch_, at);
      path.append(path.empty() ? "" : "/").append(step);
      const bool last = slash == std::string_view::npos;
      if (!nested) break;
      if (auto [it, added] = leaf_of.emplace(path, last); !added && (it->second || last)) {
        if (it->second != last) {
          sink_.error("S0511", quote(path) + " is both a value and an element holding others in the XML view", at);
          valid = false;
        }
      }
      if (last) break;
      rest = rest.substr(slash + 1);
    }
  }
}

// ---- The form -----------------------------------------------------------------------------

// ---- The paper form's settings ------------------------------------------------------------

namespace {

/// A phone number as people write one: 7 to 15 digits with spaces, dashes, dots, parentheses or
/// a leading '+', and nothing else (no words: the hours are a text of their own).
bool phone_number(std::string_view s) {
  if (s.size() > 40) return false;
  std::size_t digits = 0;
  for (const char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '+') {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

/// An OMB control number: 4 digits, a dash, 4 digits ("2900-0091").
bool omb_control_number(std::string_view s) {
  if (s.size() != 9 || s[4] != '-') return false;
  for (std::size_t i = 0; i < 9; ++i) {
    if (i != 4 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

}  // namespace

void Builder::paper_setting(const ast::Setting& s) {
  auto& paper = form_.paper;
  const auto word_at = [&](std::size_t i) { return i < s.word_where.size() ? s.word_where[i] : s.where; };
  if (s.keyword == "paper mail_to") paper.mail_to = text(s.text);
  if (s.keyword == "paper hours") paper.hours = text(s.text);
  if (s.keyword == "paper privacy") paper.privacy = text(s.text, "privacy notice");
  if (s.keyword == "paper phone" && !s.words.empty()) {
    if (!phone_number(s.words[0])) {
      sink_.error("S0731", quote(s.words[0]) + " is not a phone number", word_at(0),
                  "write 7 to 15 digits with spaces, dashes or parentheses, like \"1-877-222-8387\"");
    } else {
      paper.phone = s.words[0];
    }
  }
  if (s.keyword == "paper omb" && s.words.size() == 2) {
    if (!omb_control_number(s.words[0])) {
      sink_.error("S0732", quote(s.words[0]) + " is not an OMB control number", word_at(0),
                  "write 4 digits, a dash and 4 digits, like \"2900-0091\"");
    } else {
      paper.omb_number = s.words[0];
      const std::string& d = s.words[1];  // checked to be a real date by the parser
      paper.omb_expires = model::Date{std::stoi(d.substr(0, 4)), static_cast<unsigned>(std::stoi(d.substr(5, 2))),
                                      static_cast<unsigned>(std::stoi(d.substr(8, 2)))};
    }
  }
  if (s.keyword == "paper burden") {
    if (!s.text.empty()) {
      paper.burden = text(s.text, "burden notice");
    } else if (s.number < 1 || s.number > 10000) {
      sink_.error("S0733", "the burden must be from 1 to 10,000 minutes", s.where,
                  "say how long the form takes on average, reading and gathering included, like: paper burden 45 minutes");
    } else {
      paper.burden_minutes = s.number;
    }
  }
}

/// `extends "file.form"`: the top-level items of that file's form, to be placed by name.
void Builder::collect_base(const ast::Form& form) {
  const ast::File& main = lib_.file_of(form.where);
  if (main.extends.empty()) return;
  for (std::size_t i = 1; i < main.extends.size(); ++i) {
    sink_.error("S0801", "a form can extend only one imported form", main.extends[i].where,
                "the first 'extends' is at " + sink_.place(main.extends[0].where, main.extends[i].where));
  }
  extends_where_ = main.extends[0].where;
  const std::uint32_t file = main.extends_file;
  if (file == ast::File::no_file || file == form.where.file) return;  // not found, or circular: reported
  const ast::File& base = lib_.files[file];
  if (base.forms.empty()) {
    sink_.error("S0801", quote(main.extends[0].path) + " has no form to extend", extends_where_,
                "'extends' names a file with a form, such as one 'askonce import' wrote; 'use' imports blocks and lists");
    return;
  }
  if (!base.extends.empty()) {
    // Its own places are refinements of a third file: build on that one, not on a chain.
    sink_.error("S0801", quote(main.extends[0].path) + " extends another form itself", extends_where_,
                "extend the imported form it extends, " + quote(base.extends[0].path) + ", instead");
    return;
  }
  base_file_ = file;
  for (const auto& sec : base.forms.front().sections) {
    for (const auto& item : base.items[sec.items]) {
      base_index_.emplace(base.str(item.name), base_items_.size());
      base_items_.push_back({&item, SourceRef{}});
    }
  }
}

/// A section's items: its own fields, and the imported ones it places.
void Builder::place_items(std::span<const ast::Item> items, std::uint32_t section, std::vector<FieldId>& top) {
  for (const auto& item : items) {
    if (item.kind != ast::ItemKind::Place) {
      expand_item(item, 0, no_field, section, &top);
      continue;
    }
    const std::string_view name = str(item.where, item.name);
    if (extends_where_.line == 0) {
      sink_.error("S0801", "'place' puts a field of an imported form here, and this form extends none", item.where,
                  "start the file with 'extends \"imported/FILE.form\"', or declare the field here");
      continue;
    }
    if (base_file_ == ast::File::no_file) continue;  // the imported form is missing: reported
    auto it = base_index_.find(name);
    if (it == base_index_.end()) {
      std::vector<std::string> unplaced;
      for (const auto& [b, placed] : base_items_) {
        if (!placed.line) unplaced.emplace_back(str(b->where, b->name));
      }
      std::string hint = did_you_mean(name, unplaced);
      if (hint.empty()) hint = "the imported form " + quote(lib_.file_of(item.where).extends[0].path) + " has no field of this name";
      sink_.error("S0802", quote(name) + " is not a field of the imported form", item.name_where, std::move(hint));
      continue;
    }
    auto& [base_item, placed] = base_items_[it->second];
    if (placed.line) {
      sink_.error("S0803", quote(name) + " is placed twice", item.name_where,
                  "it is first placed at " + sink_.place(placed, item.name_where));
      continue;
    }
    placed = item.name_where;
    pending_refine_ = &item;
    placing_ = item.name_where;
    expand_item(*base_item, 0, no_field, section, &top);
    placing_ = SourceRef{};
    pending_refine_ = nullptr;
  }
}

/// The properties of an imported item with the designer's refinement: the refinement's texts
/// in place of the imported ones (labels of options, hints, the words of patterns and checks),
/// then the rules it adds. What it cannot refine is S0805.
std::vector<ast::Property> Builder::refined_props(std::span<const ast::Property> own, const ast::Item& refine,
                                                  FieldId f) {
  using P = ast::PropKind;
  const auto extra = lib_.file_of(refine.where).props[refine.props];
  const ast::Property* hint = nullptr;
  const ast::Property* ask = nullptr;
  const ast::Property* unanswered = nullptr;
  std::vector<const ast::Property*> messages;  // one for every rule, or one for each in order
  std::unordered_map<std::string_view, const ast::Property*> options;
  for (const auto& p : extra) {
    if (p.kind == P::Hint && !hint) hint = &p;
    if (p.kind == P::Ask && !ask) ask = &p;
    if (p.kind == P::Unanswered && !unanswered) unanswered = &p;
    if (p.kind == P::Message) messages.push_back(&p);
    if (p.kind == P::Option) options.emplace(str(p.where, p.name), &p);
  }
  std::unordered_set<const ast::Property*> used;
  std::vector<std::string> values;  // the imported options, for "did you mean"
  std::vector<ast::Property> out;
  out.reserve(own.size() + extra.size());
  const auto rules = static_cast<std::size_t>(std::count_if(
      own.begin(), own.end(), [](const ast::Property& p) { return p.kind == P::Check || p.kind == P::Pattern; }));
  if (messages.size() > 1 && messages.size() != rules) {
    sink_.error("S0805",
                std::to_string(messages.size()) + " messages for the " + std::to_string(rules) +
                    " patterns and checks of the imported " + quote(form_.fields[f].id),
                (messages.size() > rules ? messages[rules] : messages.back())->where,  // the first too many, or the last
                "give one 'message' for all of them, or one for each, in the import's order");
    for (const auto* m : messages) used.insert(m);
  }
  std::size_t rule = 0;
  for (const auto& p : own) {
    ast::Property q = p;
    const ast::Property* by = nullptr;
    switch (p.kind) {
      case P::Hint: by = hint; break;
      case P::Ask: by = ask; break;
      case P::Unanswered: by = unanswered; break;
      case P::Check: case P::Pattern: {
        if (messages.size() == 1) by = messages.front();
        else if (messages.size() == rules) by = messages[rule];
        ++rule;
        break;
      }
      case P::Option: {
        values.emplace_back(str(p.where, p.name));
        if (auto o = options.find(str(p.where, p.name)); o != options.end()) by = o->second;
        break;
      }
      default: break;
    }
    if (by) {
      q.text = by->text;
      used.insert(by);
    }
    out.push_back(q);
  }
  const std::string id = quote(form_.fields[f].id);
  for (const auto& p : extra) {
    if (used.count(&p) > 0) continue;
    switch (p.kind) {
      case P::Hint: case P::Ask: case P::Check: case P::Required: case P::ShowIf: case P::Sensitive:
        // What people add: a hint where the import has none, and rules of their own. A second
        // hint, or a `required` the import has, is "given twice" (S0304), as anywhere.
        out.push_back(p);
        break;
      case P::Option:
        sink_.error("S0805", quote(str(p.where, p.name)) + " is not an option of the imported " + id,
                    p.name_where.line ? p.name_where : p.where,
                    values.empty() ? std::string("the imported field has no options of its own")
                                   : did_you_mean(str(p.where, p.name), values));
        break;
      case P::Unanswered:
        sink_.error("S0805", "the imported " + id + " has no 'unanswered' to word", p.where,
                    "only an optional yes/no that the import lets be left unanswered has one");
        break;
      case P::Message:
        sink_.error("S0805", "the imported " + id + " has no pattern or check for 'message' to word", p.where);
        break;
      case P::Pattern: case P::Min: case P::Max: case P::Default: case P::Computed: case P::From:
        sink_.error("S0805", quote(prop_name(p)) + " of the imported " + id + " is the import's", p.where,
                    "the importer writes these from the schema, and writes them again on the next import; "
                    "add a rule of your own with 'check'");
        break;
    }
  }
  return out;
}

/// Every `field NAME` in a place names a field of the placed block or repeat.
void Builder::check_refine_children(const ast::Item& refine, FieldId f) {
  for (const auto& c : lib_.file_of(refine.where).items[refine.items]) {
    if (refine_used_.count(&c) > 0) continue;
    std::vector<std::string> names;
    for (FieldId child : form_.fields[f].children) names.push_back(form_.fields[child].name);
    const std::string_view name = str(c.where, c.name);
    bool twice = std::find(names.begin(), names.end(), name) != names.end();
    sink_.error("S0805",
                twice ? quote(name) + " is refined twice in this 'place'"
                      : "the imported " + quote(form_.fields[f].id) + " has no field " + quote(name),
                c.name_where, twice ? std::string() : did_you_mean(name, names));
  }
}

model::Form Builder::build_form(const ast::Form& form) {
  form_.id = form.name;
  form_.where = form.name_where;
  std::unordered_map<std::string_view, const ast::Setting*> seen;
  for (const auto& s : form.settings) {
    auto [it, fresh] = seen.emplace(s.keyword, &s);
    if (!fresh) {
      sink_.error("S0703", quote(s.keyword) + " is given twice", s.where,
                  "the first is at " + sink_.place(it->second->where, s.where));
    }
  }
  for (const auto& s : form.settings) {
    if (seen[s.keyword] != &s) continue;
    if (s.keyword == "version") {
      form_.version = s.number;
      if (s.number < 1) sink_.error("S0704", "the version must be 1 or more", s.where);
    }
    if (s.keyword == "plain grade") {
      if (s.number < min_plain_grade || s.number > max_plain_grade) {
        sink_.error("S0734", "the reading grade must be from " + std::to_string(min_plain_grade) + " to " +
                                 std::to_string(max_plain_grade),
                    s.where, "plain language for the public is usually grade 6 to 8, like: plain grade 8");
      } else {
        form_.plain_grade = s.number;
      }
    }
  }
  for (std::string_view required : {"title", "version", "languages"}) {
    if (seen.count(required) == 0 &&
        std::find(form.broken_settings.begin(), form.broken_settings.end(), required) == form.broken_settings.end()) {
      sink_.error("S0702", "the form has no " + quote(required), form.name_where,
                  required == "languages"   ? "add, for example, 'languages en es'"
                  : required == "version" ? "add 'version 1'"
                                          : "add 'title \"...\"'");
    }
  }
  // Languages come first: every text depends on them. The Builder's Languages is filled here.
  auto& langs = langs_;
  if (auto it = seen.find("languages"); it != seen.end()) {
    const ast::Setting& s = *it->second;
    for (std::size_t i = 0; i < s.words.size(); ++i) {
      const SourceRef at = i < s.word_where.size() ? s.word_where[i] : s.where;
      if (!valid_language(s.words[i])) {
        sink_.error("S0705", quote(s.words[i]) + " is not a language code", at,
                    "write two or three lower-case letters, with an optional region such as 'pt-BR'");
        continue;
      }
      if (langs.declared(s.words[i])) {
        sink_.error("S0706", "the language " + quote(s.words[i]) + " is listed twice", at);
        continue;
      }
      langs.codes.push_back(s.words[i]);
    }
    langs.known = !langs.codes.empty();
  }
  form_.languages = langs_.codes;
  if (plain_ || form_.plain_grade > 0) read_ = read_request_;
  for (const auto& s : form.settings) {
    if (seen[s.keyword] != &s) continue;
    if (s.keyword == "title") form_.title = text(s.text, "title");
    if (s.keyword == "standard") form_.standard = text(s.text, "standard");
    if (s.keyword == "description") form_.description = text(s.text, "description");
    if (s.keyword == "purpose") form_.purpose = text(s.text, "purpose");
    if (s.keyword == "eligibility") form_.eligibility = text(s.text, "eligibility");
    if (s.keyword == "duration") form_.duration = text(s.text, "duration");
    if (s.keyword == "apply phone") form_.apply_phone = text(s.text, "way to apply");
    if (s.keyword == "apply in_person") form_.apply_in_person = text(s.text, "way to apply");
    if (s.keyword == "apply mail") form_.apply_mail = text(s.text, "way to apply");
    if (s.keyword == "needs") {
      for (const auto& t : s.texts) form_.needs.push_back(text(t, "thing needed"));
    }
    paper_setting(s);
  }

  // Room for every field up front: a Field is large, and growing a vector of 50,000 of them
  // would copy and touch twice the memory.
  std::unordered_map<const ast::Block*, std::size_t> block_fields;
  std::size_t estimate = 0;
  for (const auto& sec : form.sections) {
    estimate = std::min(max_fields, estimate + count_fields(lib_.file_of(sec.where).items[sec.items], block_fields));
  }
  collect_base(form);
  if (base_file_ != ast::File::no_file) {
    for (const auto& sec : lib_.files[base_file_].forms.front().sections) {
      estimate = std::min(max_fields, estimate + count_fields(lib_.files[base_file_].items[sec.items], block_fields));
    }
  }
  form_.fields.reserve(estimate);
  info_.reserve(estimate);
  ids_.reserve(estimate);

  std::unordered_map<std::string_view, SourceRef> section_names;
  for (const auto& sec : form.sections) {
    auto [it, fresh] = section_names.emplace(sec.name, sec.name_where);
    if (!fresh) {
      sink_.error("S0101", "duplicate section name " + quote(sec.name), sec.name_where,
                  "the first " + quote(sec.name) + " is at " + sink_.place(it->second, sec.name_where));
    }
    const auto index = static_cast<std::uint32_t>(form_.sections.size());
    model::Section section;
    section.name = sec.name;
    section.title = text(sec.title, "section title");
    section.where = sec.name_where;
    form_.sections.push_back(std::move(section));
    std::vector<FieldId> top;
    place_items(lib_.file_of(sec.where).items[sec.items], index, top);
    form_.sections[index].fields = std::move(top);
  }
  // Every imported field is placed once: one that a new import added is named here, not left
  // out of the form in silence.
  for (const auto& [item, placed] : base_items_) {
    if (placed.line) continue;
    if (item->kind == ast::ItemKind::Field && item->field_kind == Kind::Member && !form_.sections.empty()) {
      // A member has no page: it needs no place, and is taken as the import has it (in the
      // last section, which only orders the form's fields).
      expand_item(*item, 0, no_field, static_cast<std::uint32_t>(form_.sections.size() - 1),
                  &form_.sections.back().fields);
      continue;
    }
    const std::string_view name = str(item->where, item->name);
    sink_.error("S0804", "the imported field " + quote(name) + " is not placed in any section", extends_where_,
                "add 'place " + std::string(name) + "' to a section; the imported form has it at " +
                    sink_.place(item->name_where, extends_where_));
  }
  resolve_all();
  check_cycles();
  check_never_shown();
  check_order();
  build_agencies(form);
  check_never_hold();
  return std::move(form_);
}

void Builder::check_block(const ast::Block& block) {
  // Checked as if a form used it once: names, types and rules inside it.
  ast::Item use;
  use.kind = ast::ItemKind::Use;
  use.name = block.name_chars;
  use.block = block.name_chars;
  use.where = block.where;
  use.name_where = block.name_where;
  use.block_where = block.name_where;
  form_.sections.push_back(model::Section{});
  expand_items(std::span<const ast::Item>(&use, 1), 0, no_field, 0, nullptr);
  resolve_all();
  check_cycles();
  check_order();
}

}  // namespace

std::optional<model::Form> analyze(std::vector<ast::File> files, const std::vector<Source>& sources,
                                   const Limits& limits, std::vector<Diagnostic>& diagnostics,
                                   std::vector<ReadText>* read_texts, bool plain) {
  Sink sink(sources);
  std::optional<model::Form> result;
  try {
    if (files.empty()) return std::nullopt;
    const Library lib = collect(files, sink);
    const ast::File& main = files.front();
    for (std::size_t i = 1; i < main.forms.size(); ++i) {
      sink.error("S0701", "a file can hold only one form", main.forms[i].name_where,
                 "the first form, " + quote(main.forms[0].name) + ", is at " +
                     sink.place(main.forms[0].name_where, main.forms[i].name_where));
    }
    std::unordered_set<const ast::Block*> expanded;
    Languages langs;
    if (!main.forms.empty()) {
      Builder builder(lib, files, langs, limits, sink, expanded);
      builder.collect_read_texts(read_texts, plain);
      result = builder.build_form(main.forms.front());
    }
    // Blocks of this file that the form does not use (or every block of a library file).
    for (const auto& block : main.blocks) {
      if (expanded.count(&block) > 0) continue;
      if (auto it = lib.blocks.find(block.name); it == lib.blocks.end() || it->second != &block) continue;
      Builder builder(lib, files, langs, limits, sink, expanded);
      builder.check_block(block);
    }
    if (langs.known) {
      Builder builder(lib, files, langs, limits, sink, expanded);
      for (const auto& list : main.lists) builder.check_list_texts(list);
    }
  } catch (const std::exception& e) {
    sink.error("S0001", std::string("internal error in the compiler: ") + e.what(), SourceRef{});
  }
  const bool failed = sink.has_errors();
  sink.finish(diagnostics);
  if (failed) return std::nullopt;
  return result;
}

}  // namespace askonce::dsl
