// engine/model.hpp: the form model.
//
// Plain data. The DSL compiler (dsl/) is the only writer; the engine, the renderers and the
// server only read it. Every name a form designer wrote is kept, and every construct keeps the
// place in the source it came from, so that any later stage can point back at the definition.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace askonce::model {

/// A place in a source file. `file` indexes Form::sources; line and column are 1-based,
/// column and length count Unicode code points.
struct SourceRef {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 0;
};

/// A human text: one string per language code ("en" -> "Full name"), kept sorted by code.
/// A small sorted vector with the interface of a map: forms have two or three languages,
/// and a form has a text or two for every field, so one allocation beats a tree of nodes.
class Text {
 public:
  using value_type = std::pair<std::string, std::string>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  void reserve(std::size_t languages) { items_.reserve(languages); }

  const_iterator find(std::string_view lang) const {
    auto it = position(lang);
    return it != items_.end() && it->first == lang ? it : items_.end();
  }
  iterator find(std::string_view lang) {
    auto it = std::lower_bound(items_.begin(), items_.end(), lang,
                               [](const value_type& v, std::string_view l) { return v.first < l; });
    return it != items_.end() && it->first == lang ? it : items_.end();
  }
  std::size_t count(std::string_view lang) const { return find(lang) != items_.end() ? 1 : 0; }
  bool contains(std::string_view lang) const { return find(lang) != items_.end(); }
  /// The string in `lang`; throws std::out_of_range when there is none, as std::map does.
  const std::string& at(std::string_view lang) const {
    auto it = find(lang);
    if (it == items_.end()) throw std::out_of_range("no text in language " + std::string(lang));
    return it->second;
  }
  /// Adds the string for `lang` unless there is one; returns where it is and whether it was added.
  std::pair<iterator, bool> emplace(std::string lang, std::string value) {
    auto it = std::lower_bound(items_.begin(), items_.end(), lang,
                               [](const value_type& v, const std::string& l) { return v.first < l; });
    if (it != items_.end() && it->first == lang) return {it, false};
    return {items_.emplace(it, std::move(lang), std::move(value)), true};
  }
  std::string& operator[](const std::string& lang) { return emplace(lang, std::string()).first->second; }

  friend bool operator==(const Text&, const Text&) = default;

 private:
  const_iterator position(std::string_view lang) const {
    return std::lower_bound(items_.begin(), items_.end(), lang,
                            [](const value_type& v, std::string_view l) { return v.first < l; });
  }
  std::vector<value_type> items_;
};

/// What a field asks for. The order is the order the language reference lists them in.
enum class Kind : std::uint8_t {
  Text, LongText, Integer, Decimal, Money, Date,
  YesNo, Choice, Choices,
  Email, Phone, Ssn, Ein, Zip, Url,
  Address, Name,  // composites: their parts are child fields
  Attest, Note,
  Group,   // a block used in a form (`use person as spouse`)
  Repeat,  // a list of groups (`repeat household`)
  // `member "view:note" object`: a JSON member with no question (docs/dsl.md, "Members
  // without a question"): taken from a JSON submission when it has its JSON type (Field::json),
  // kept verbatim, passed on to the agencies that receive it, and on no page, paper or script.
  Member,
};

/// The JSON type of a `member` (and of its array's items): what the validator takes.
enum class JsonType : std::uint8_t { Any, Object, Array, String, Number, Integer, Boolean };

/// The word the language and JSON Schema both use for it ("object", "integer"); "" for Any.
constexpr std::string_view json_type_name(JsonType t) {
  switch (t) {
    case JsonType::Any: return "";
    case JsonType::Object: return "object";
    case JsonType::Array: return "array";
    case JsonType::String: return "string";
    case JsonType::Number: return "number";
    case JsonType::Integer: return "integer";
    case JsonType::Boolean: return "boolean";
  }
  return "";
}

/// The kinds whose `min`/`max` are lengths and that can have a `pattern`: text, longtext,
/// email, phone, ssn, ein, zip and url (docs/dsl.md, "Properties").
constexpr bool is_text_like(Kind k) {
  switch (k) {
    case Kind::Text: case Kind::LongText: case Kind::Email: case Kind::Phone:
    case Kind::Ssn: case Kind::Ein: case Kind::Zip: case Kind::Url:
      return true;
    default:
      return false;
  }
}

/// The static type of an expression, and of the value of a field.
enum class Type : std::uint8_t {
  Error,     // already reported; suppresses follow-on diagnostics
  Bool, Number, Text, Date, Duration,
  Set,       // the options ticked in a `choices` field
  List,      // a repeat: usable only with count() and sum()
  Group,     // a block, address or name: usable only with is_blank()
  None,      // a note: has no value
};

/// A calendar date, always a real one once it is in the model.
struct Date {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  friend bool operator==(const Date&, const Date&) = default;
};

enum class DurationUnit : std::uint8_t { Days, Weeks, Months, Years };

struct Duration {
  std::int64_t amount = 0;
  DurationUnit unit = DurationUnit::Days;
  friend bool operator==(const Duration&, const Duration&) = default;
};

/// An exact decimal number as written, e.g. "12.50" or "-3". Never a binary float.
struct Number {
  std::string digits;
  friend bool operator==(const Number&, const Number&) = default;
};

/// A literal value. std::monostate is "no value".
using Literal = std::variant<std::monostate, bool, Number, std::string, Date, Duration>;

enum class Op : std::uint8_t {
  Literal, Field, Call,
  Neg, Not,
  Add, Sub, Mul, Div,
  Eq, Ne, Lt, Le, Gt, Ge,
  And, Or,
  In,     // args[0] in [args[1], args[2], ...]
  NotIn,
};

// Matches: `matches(text, "REGEX")`, the whole value against a pattern (as `pattern` matches).
enum class Function : std::uint8_t { Today, Age, Count, Sum, Length, IsBlank, Contains, Matches };

using FieldId = std::uint32_t;
inline constexpr FieldId no_field = std::numeric_limits<FieldId>::max();

/// An expression. The compiler resolves every field reference and types every node.
struct Expr {
  Op op = Op::Literal;
  Type type = Type::Error;
  Literal value;                       // Op::Literal
  std::string name;                    // Op::Field: the path as written; Op::Call: the function
  FieldId field = no_field;            // Op::Field: the field referred to
  Function function = Function::Today; // Op::Call
  std::vector<Expr> args;              // operands, in order
  SourceRef where;
};

/// An optional value kept on the heap, with the interface of std::optional that the model's
/// readers use. A field has three optional expressions and most fields have none or one:
/// held inline, they would make up almost half of every field.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(T value) {
    if (p_) {
      *p_ = std::move(value);
    } else {
      p_ = std::make_unique<T>(std::move(value));
    }
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  void reset() { p_.reset(); }

 private:
  std::unique_ptr<T> p_;
};

struct Option {
  std::string value;  // what is stored and compared: `kind == "temporary"`
  Text label;
  SourceRef where;
};

/// The options of a choice field. Fields that take theirs from one list (`from us_states`, or
/// the states of every address) share it, so a list of 60 options used by 500 fields is held
/// once, not 500 times.
struct OptionList {
  std::string name;  // the `list` the options come from; empty for options written on the field
  std::vector<Option> options;
};

/// Indexes Form::option_lists.
using ListId = std::uint32_t;
inline constexpr ListId no_list = std::numeric_limits<ListId>::max();

/// `check EXPR MESSAGE [if EXPR]`: the rule must hold when the field has a value (and the
/// condition holds).
struct Check {
  Expr rule;
  Text message;
  SourceRef where;
  // `if EXPR`: the rule applies only when this holds (blank counts as false, as for `show if`):
  // one alternative's rule, chosen by another answer (docs/dsl.md). None: always.
  Boxed<Expr> only_if;
};

/// `pattern REGEX MESSAGE [if EXPR]`: the whole value must match, as with HTML's pattern
/// attribute (when the condition holds).
struct Pattern {
  std::string regex;
  Text message;
  SourceRef where;
  Boxed<Expr> only_if;  // `if EXPR`, as Check::only_if
};

/// One field of the form, with blocks, repeats and composites expanded.
struct Field {
  std::string id;    // full dotted path: "person.ssn", "household.full_name", "new_address.zip"
  std::string name;  // the last part of id
  Kind kind = Kind::Text;
  Type type = Type::Error;
  Text label;
  Text hint;
  Text ask;  // how a phone agent asks the question (`ask`); empty: from the label
  // A `yesno`'s third choice, which leaves it unanswered (`unanswered`): every channel offers
  // it beside yes and no. Empty: yes and no only (an optional yes/no is still blank until
  // answered, but a citizen who chose cannot go back).
  Text unanswered;
  FieldId parent = no_field;        // the group, repeat or composite it belongs to
  std::vector<FieldId> children;    // its parts, in order
  std::uint32_t section = 0;        // index into Form::sections
  std::string block;                // Kind::Group: the block it uses
  std::string part;                 // a composite's part: "street", "first", ...
  std::uint32_t question = 0;       // the question number shared by every channel; 0 = none

  bool required = false;
  Boxed<Expr> required_if;
  Boxed<Expr> show_if;
  Boxed<Expr> computed;
  std::vector<Check> checks;
  std::vector<Pattern> patterns;
  Literal min;            // length (text), value (number, date), count (repeat, choices)
  Literal max;
  Literal default_value;
  ListId option_list = no_list;  // its options (Form::options_of); no_list: none
  bool sensitive = false;
  // Kind::Member: its JSON type, and for an array its items' type (Any: any JSON values).
  JsonType json = JsonType::Any;
  JsonType json_items = JsonType::Any;
  SourceRef where;
};

/// An `email` with a `pattern` is checked by its patterns instead of the email kind's own
/// rules (docs/dsl.md, "Properties"): an agency's schema often says what an address may be with
/// its own regular expression, and the form must take exactly what that schema takes. Its value
/// is then the text as typed (trimmed, NFC), without the email kind's lower-cased domain.
inline bool checked_by_pattern(const Field& f) { return f.kind == Kind::Email && !f.patterns.empty(); }

/// A page of the web form and a part of the paper form. Sections make no names.
struct Section {
  std::string name;
  Text title;
  std::vector<FieldId> fields;  // the section's top-level fields, in order
  SourceRef where;
};

/// `receives FIELD as NAME`.
struct Receive {
  FieldId field = no_field;
  std::string path;  // as written
  std::string as;    // the agency's name for it; empty = the field's own id
  SourceRef where;
};

/// How an agency's XML view is written, so that it matches the schema it publishes.
struct XmlSettings {
  struct Namespace {
    std::string prefix;  // empty: the default namespace
    std::string uri;
  };
  struct Attribute {
    std::string name;  // may have a prefix: "SF424_4_0:FormVersion"
    std::string value;
  };
  std::string root;                     // the root element; empty: the agency's name
  std::vector<Namespace> namespaces;
  std::vector<Attribute> attributes;    // fixed attributes of the root element
  std::string yes = "true";             // how a yes/no answer is written
  std::string no = "false";
  SourceRef where;
};

/// An agency's service standard (`standard 10 working days TEXT`): its promise as data, which
/// the clock (engine/clock.hpp) counts from the date an application is received, with the text
/// the citizen reads alongside.
struct ServiceStandard {
  enum class Unit : std::uint8_t {
    Days,         // calendar days
    WorkingDays,  // weekdays that are not US federal holidays (as observed)
  };
  std::uint32_t amount = 0;  // 1 to 3650
  Unit unit = Unit::Days;
  Text text;
  SourceRef where;
};

/// A message an agency can send with a status (`message need_proof_of_address TEXT`), in every
/// language of the form, so that a citizen never reads an untranslated one.
struct AgencyMessage {
  std::string name;  // unique within the agency; what the agency's status names
  Text text;
  SourceRef where;
};

struct Agency {
  std::string name;
  Text title;
  std::optional<Expr> when;
  std::vector<Receive> receives;  // in the order the agency's view lists them
  XmlSettings xml;
  std::optional<ServiceStandard> standard;
  std::vector<AgencyMessage> messages;  // in the order written
  SourceRef where;
};

/// What the paper form says besides its questions (the `paper ...` settings, docs/dsl.md "The
/// paper form"). A deployment can say otherwise for its copies (server config `paper.<form id>`,
/// renderers::Site::paper). Empty: not said.
struct Paper {
  Text mail_to;                     // where to send it; "\n" between the lines of the address
  std::string phone;                // for help, as written ("1-877-222-8387"): the same in every language
  Text hours;                       // when that phone is answered
  std::string omb_number;           // the OMB control number, "1234-5678"
  std::optional<Date> omb_expires;  // when its approval expires (set whenever omb_number is)
  Text privacy;                     // the Privacy Act notice
  Text burden;                      // the paperwork burden notice, as the form words it
  std::int64_t burden_minutes = 0;  // or the minutes it takes, from which the standard notice is made
};

/// A compiled form.
struct Form {
  std::string id;
  Text title;
  Text description;
  Text standard;  // the service standard: what happens next, and when
  // The start page (the web's first page): what the form is for, who can use it, what to have
  // ready (one text per thing), about how long it takes, and the other ways to apply. Empty:
  // not said.
  Text purpose;
  Text eligibility;
  std::vector<Text> needs;
  Text duration;
  Text apply_phone;
  Text apply_in_person;
  Text apply_mail;
  Paper paper;
  // `plain grade N`: the reading grade the citizens' texts are held to (docs/dsl.md, "Plain
  // language"); 0: none, and the compiler checks the wording only when asked (`check --plain`).
  std::int64_t plain_grade = 0;
  std::int64_t version = 0;
  std::vector<std::string> languages;  // the first is the primary language
  std::vector<Section> sections;
  std::vector<Field> fields;           // every field, in form order; FieldId indexes this
  std::vector<OptionList> option_lists;  // the options of the choice fields; ListId indexes this
  std::vector<Agency> agencies;
  std::vector<FieldId> computed_order; // computed fields, dependencies first
  std::vector<std::string> sources;    // [0] is the form's own file, then its imports
  std::string definition_hash;         // "sha256:<hex>" over every source, imports included
  SourceRef where;

  /// The options of `field`, in order; empty when it has none.
  const std::vector<Option>& options_of(const Field& field) const {
    static const std::vector<Option> none;
    return field.option_list < option_lists.size() ? option_lists[field.option_list].options : none;
  }
};

/// Whether field `f` is inside a repeat (an entry's answer, not the applicant's one answer).
inline bool inside_repeat(const Form& form, FieldId f) {
  for (FieldId p = form.fields[f].parent; p != no_field; p = form.fields[p].parent) {
    if (form.fields[p].kind == Kind::Repeat) return true;
  }
  return false;
}

}  // namespace askonce::model
