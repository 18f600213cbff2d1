// dsl/import/json_schema.cpp: a JSON Schema (draft-04, draft-07, 2020-12 as agencies use them)
// written as a .form text.
//
// The schema is read with Poco JSON (object key order kept, so the form asks in the schema's
// order); a second, small scan of the same text maps every JSON pointer to its line and column,
// so that a warning points into the schema the way the compiler's diagnostics point into a form.
//
// How the schema's words become the language's (docs/import.md has the table):
//   object properties   -> fields of the same names; a nested object is a block used under the
//                          property's name; sections only group the top level into pages
//   array of objects    -> a repeat; array of enumerated strings -> `choices`
//   string              -> `text` (`date` for format date, `email` for format email or a
//                          patterned property named for an email, `choice` for enum and const);
//                          lengths -> min/max; pattern -> pattern, rewritten from JavaScript's
//                          search to the language's whole-value match (on an `email`, the
//                          pattern replaces the kind's own check)
//   integer / number    -> `integer` / `decimal`; minimum/maximum -> min/max; exclusive bounds
//                          -> a check
//   boolean             -> `yesno` (`unanswered` when it is not always required: true,
//                          false or absent); `enum: [true]` or `const: true` -> `attest`
//   required            -> `required`; inside an object that may be left out, `required if`
//                          any other member is given (the object's members are required only
//                          when it is there)
//   dependencies, if/then/else on one property's const or enum -> `required if`
//   $ref, allOf         -> followed and merged
// Everything else the schema says (oneOf, anyOf, not, multipleOf, contains, ...) is a warning
// at its path, listed again at the top of the written form.
#include "dsl/import/json_schema.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include "dsl/import/form_text.hpp"

namespace askonce::dsl::import {

bool ImportResult::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::string format_import_diagnostics(const ImportResult& result) {
  std::string out;
  const std::vector<Source> sources{result.source};
  for (const auto& d : result.diagnostics) out += format_diagnostic(d, sources);
  return out;
}

namespace {

using Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

// ---------------------------------------------------------------------------------------------
// Where each JSON pointer is in the text: one pass over the (already parsed, so well-formed)
// text. A member's pointer maps to its key, so a warning about a property points at its name.

class Locator {
 public:
  explicit Locator(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
    std::size_t pos = 0;
    skip_ws(pos);
    if (pos < text_.size()) {
      offsets_[""] = pos;
      value(pos, "", 0);
    }
  }

  /// The place of `pointer`, or of its closest enclosing pointer that has one.
  model::SourceRef at(std::string pointer) const {
    for (;;) {
      const auto it = offsets_.find(pointer);
      if (it != offsets_.end()) return ref(it->second);
      const auto slash = pointer.rfind('/');
      if (slash == std::string::npos) return ref(0);
      pointer.resize(slash);
    }
  }

 private:
  model::SourceRef ref(std::size_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
    const std::size_t start = line_starts_[line - 1];
    std::uint32_t column = 1;
    for (std::size_t i = start; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return {0, static_cast<std::uint32_t>(line), column, 1};
  }

  void skip_ws(std::size_t& pos) const {
    while (pos < text_.size() && (text_[pos] == ' ' || text_[pos] == '\t' || text_[pos] == '\n' || text_[pos] == '\r')) {
      ++pos;
    }
  }

  // A string's decoded text (only what pointers need: escapes of quotes, slashes, \uXXXX in
  // the Basic Multilingual Plane); pos is left after the closing quote.
  std::string string(std::size_t& pos) const {
    std::string out;
    ++pos;
    while (pos < text_.size() && text_[pos] != '"') {
      if (text_[pos] == '\\' && pos + 1 < text_.size()) {
        const char e = text_[pos + 1];
        pos += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': {
            unsigned cp = 0;
            for (int k = 0; k < 4 && pos < text_.size(); ++k, ++pos) {
              const char h = text_[pos];
              cp = cp * 16 + static_cast<unsigned>(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
            }
            if (cp < 0x80) {
              out += static_cast<char>(cp);
            } else if (cp < 0x800) {
              out += static_cast<char>(0xC0 | (cp >> 6));
              out += static_cast<char>(0x80 | (cp & 0x3F));
            } else {
              out += static_cast<char>(0xE0 | (cp >> 12));
              out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
              out += static_cast<char>(0x80 | (cp & 0x3F));
            }
            break;
          }
          default: out += e;
        }
      } else {
        out += text_[pos++];
      }
    }
    ++pos;
    return out;
  }

  static std::string escape(const std::string& token) {
    std::string out;
    for (char c : token) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

  void value(std::size_t& pos, const std::string& pointer, std::size_t depth) {
    if (pos >= text_.size() || depth > 512) return;
    const char c = text_[pos];
    if (c == '{') {
      ++pos;
      skip_ws(pos);
      while (pos < text_.size() && text_[pos] != '}') {
        const std::size_t key_at = pos;
        const std::string key = string(pos);
        const std::string member = pointer + "/" + escape(key);
        offsets_.emplace(member, key_at);
        skip_ws(pos);
        ++pos;  // ':'
        skip_ws(pos);
        value(pos, member, depth + 1);
        skip_ws(pos);
        if (pos < text_.size() && text_[pos] == ',') {
          ++pos;
          skip_ws(pos);
        }
      }
      ++pos;
    } else if (c == '[') {
      ++pos;
      skip_ws(pos);
      std::size_t index = 0;
      while (pos < text_.size() && text_[pos] != ']') {
        const std::string member = pointer + "/" + std::to_string(index++);
        offsets_.emplace(member, pos);
        value(pos, member, depth + 1);
        skip_ws(pos);
        if (pos < text_.size() && text_[pos] == ',') {
          ++pos;
          skip_ws(pos);
        }
      }
      ++pos;
    } else if (c == '"') {
      string(pos);
    } else {
      while (pos < text_.size() && text_[pos] != ',' && text_[pos] != '}' && text_[pos] != ']' && text_[pos] != ' ' &&
             text_[pos] != '\n' && text_[pos] != '\r' && text_[pos] != '\t') {
        ++pos;
      }
    }
  }

  std::string_view text_;
  std::vector<std::size_t> line_starts_;
  std::map<std::string, std::size_t> offsets_;
};

// ---------------------------------------------------------------------------------------------
// Small helpers for the written text.

/// "veteranFullName" -> "Veteran full name", "home_phone" -> "Home phone".
std::string humanize(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '_' || c == '-' || c == ':' || c == '.') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    const bool upper = c >= 'A' && c <= 'Z';
    const bool prev_lower = i > 0 && ((name[i - 1] >= 'a' && name[i - 1] <= 'z') || (name[i - 1] >= '0' && name[i - 1] <= '9'));
    if (upper && prev_lower && !out.empty() && out.back() != ' ') out += ' ';
    const bool next_lower = i + 1 < name.size() && name[i + 1] >= 'a' && name[i + 1] <= 'z';
    out += (upper && (next_lower || (prev_lower))) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) return "Answer";
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

/// A JSON number as the language writes it (Poco prints integers and doubles exactly enough).
std::string number_text(const Var& v) { return v.toString(); }

bool is_object(const Var& v) { return v.type() == typeid(ObjectPtr); }
/// A JSON number (Poco counts booleans as numeric too).
bool is_number(const Var& v) { return v.isNumeric() && !v.isBoolean(); }
bool is_array(const Var& v) { return v.type() == typeid(ArrayPtr); }
ObjectPtr as_object(const Var& v) { return v.extract<ObjectPtr>(); }
ArrayPtr as_array(const Var& v) { return v.extract<ArrayPtr>(); }

// ---------------------------------------------------------------------------------------------
// The importer.

/// A schema reached at a pointer (after its $refs).
struct At {
  ObjectPtr schema;
  std::string pointer;
};

/// How a member of an object is required.
enum class Context : std::uint8_t {
  Whole,     // the top level, a repeat's entry, or a block that must be there: `required`
  Optional,  // a block that may be left out: `required if` any other member is given
};

/// An object's members after $ref and allOf: its properties in order, what it requires, and
/// the conditions under which other members become required.
struct ObjectView {
  std::vector<std::pair<std::string, At>> properties;
  std::set<std::string> required;
  std::map<std::string, std::vector<std::string>> required_when;  // member -> conditions (or)
  // member -> the rules of one alternative: (its condition, the member's schema there). From
  // oneOf/anyOf told apart by one property's value, and from if/then/else.
  std::map<std::string, std::vector<std::pair<std::string, At>>> rules_when;
  // oneOf/anyOf told apart by an optional discriminator: with it blank, JSON Schema's
  // `properties` holds in every alternative that does not require it, and the others' members
  // decide whether exactly one (oneOf) or at least one (anyOf) holds.
  struct Alternative {
    std::set<std::string> requires_;                        // its `required`, the discriminator left out
    std::vector<std::pair<std::string, At>> properties;     // its members but the discriminator
    bool closed = false;                                    // additionalProperties: false
    std::string condition;                                  // its `not` of one value, as a condition never blank
  };
  struct Chosen {
    std::string discriminator;
    bool exactly_one = true;                 // oneOf; false: anyOf
    std::vector<Alternative> when_blank;     // the alternatives that hold with it blank
  };
  std::vector<Chosen> chosen;
  // oneOf/anyOf that no one property's value tells apart (overlapping alternatives, or
  // alternatives told apart by which members are given): each alternative as one condition
  // over the members (what it requires given, each given member keeping its rules there, none
  // it does not allow when it is closed, its `not` of a value), and the rule that exactly one
  // (oneOf) or at least one (anyOf) fits, written as a `check count(...)` on one member
  // (write_members, overlap_rules).
  struct Overlap {
    std::string pointer;       // the oneOf/anyOf, for the warning when a part cannot be said
    bool exactly_one = true;   // oneOf; false: anyOf
    std::vector<Alternative> alternatives;
  };
  std::vector<Overlap> overlaps;
  bool closed = false;  // additionalProperties: false
  bool nullable = false;  // an alternative `type: "null"`: null is "not sent", so the object may be left out
};

/// What one property became, for a section and for the conditions of its siblings.
struct Written {
  std::string text;     // the lines of the item, or empty when left out
  bool is_group = false;  // a block or a repeat
  bool is_repeat = false;
  std::string label;
  std::string kind;     // the kind written (`choice`, `yesno`, ...), for conditions
};

/// Thrown when the written form outgrows JsonSchemaOptions::max_form_bytes.
struct TooLarge {};

class Importer {
 public:
  Importer(const std::string& path, const std::string& text, const JsonSchemaOptions& options)
      : path_(path), text_(text), options_(options) {}

  ImportResult run() {
    ImportResult result;
    result.source = {path_, text_};
    if (text_.size() > options_.max_schema_bytes) {
      error("I0001", "the schema is larger than " + std::to_string(options_.max_schema_bytes >> 20) + " MiB", {});
      result.diagnostics = std::move(diags_);
      return result;
    }
    Var root;
    try {
      Poco::JSON::ParseHandler::Ptr handler = new Poco::JSON::ParseHandler(true);
      Poco::JSON::Parser parser(handler);
      parser.setDepth(256);
      root = parser.parse(text_);
    } catch (const std::exception& e) {
      error("I0001", std::string("the schema is not JSON: ") + one_line(e.what()), {});
      result.diagnostics = std::move(diags_);
      return result;
    }
    locator_ = std::make_unique<Locator>(text_);
    if (!is_object(root)) {
      error("I0002", "the schema is not a JSON object", {});
      result.diagnostics = std::move(diags_);
      return result;
    }
    root_ = as_object(root);
    const At top = follow({root_, ""}, 0);
    if (!top.schema || !(top.schema->has("properties") || type_of(top.schema) == "object")) {
      error("I0002", "the schema does not describe an object with properties, so it is not a form", "");
      result.diagnostics = std::move(diags_);
      return result;
    }
    try {
      result.form_text = write_form(top);
    } catch (const TooLarge&) {
      // Lists of objects are written out where they are used, so a hostile schema could ask
      // for a form exponentially larger than itself: stop at the compiler's limit.
      error("I0003", "the written form would be larger than " + std::to_string(options_.max_form_bytes >> 20) +
                         " MiB, the compiler's limit", "");
      result.diagnostics = std::move(diags_);
      return result;
    }
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    result.diagnostics = std::move(diags_);
    return result;
  }

 private:
  // -- diagnostics ----------------------------------------------------------------------------

  void error(const std::string& code, const std::string& message, const std::string& pointer) {
    Diagnostic d;
    d.severity = Severity::Error;
    d.code = code;
    d.message = message;
    if (locator_) d.where = locator_->at(pointer);
    diags_.push_back(std::move(d));
  }

  void warn(const std::string& code, const std::string& message, const std::string& pointer,
            const std::string& hint = {}) {
    if (!warned_.insert(code + pointer + message).second) return;  // a block reached twice
    Diagnostic d;
    d.severity = Severity::Warning;
    d.code = code;
    d.message = message;
    d.where = locator_->at(pointer);
    d.hint = hint;
    diags_.push_back(d);
    listed_.push_back("#" + pointer + ": " + message);
  }

  // -- reading the schema ---------------------------------------------------------------------

  /// The schema at a local JSON pointer ("#/definitions/x").
  std::optional<At> resolve(const std::string& ref, const std::string& from) {
    if (ref.empty() || ref[0] != '#') {
      warn("I0103", "'$ref' to '" + ref + "' is outside this schema; the importer follows only references inside it", from);
      return std::nullopt;
    }
    Var cur = root_;
    std::string pointer;
    std::string rest = ref.substr(1);
    std::size_t pos = 0;
    while (pos < rest.size()) {
      if (rest[pos] != '/') break;
      std::size_t next = rest.find('/', pos + 1);
      std::string token = rest.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
      pointer += "/" + token;
      std::string decoded;
      for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
          decoded += token[i + 1] == '1' ? '/' : '~';
          ++i;
        } else {
          decoded += token[i];
        }
      }
      if (is_object(cur) && as_object(cur)->has(decoded)) {
        cur = as_object(cur)->get(decoded);
      } else if (is_array(cur) && !decoded.empty() && std::all_of(decoded.begin(), decoded.end(), ::isdigit) &&
                 std::stoul(decoded) < as_array(cur)->size()) {
        cur = as_array(cur)->get(static_cast<unsigned>(std::stoul(decoded)));
      } else {
        warn("I0103", "'$ref' to '" + ref + "' names nothing in this schema", from);
        return std::nullopt;
      }
      if (next == std::string::npos) break;
      pos = next;
    }
    if (!is_object(cur)) {
      warn("I0103", "'$ref' to '" + ref + "' is not a schema", from);
      return std::nullopt;
    }
    return At{as_object(cur), pointer};
  }

  /// Follows a chain of $refs. In draft-04 and draft-07 a $ref replaces its siblings, which is
  /// how agencies' schemas are written (siblings are titles and descriptions).
  At follow(At at, std::size_t depth) {
    for (std::size_t hops = 0; at.schema && at.schema->has("$ref"); ++hops) {
      if (hops > 32 || depth > options_.max_depth) {
        warn("I0104", "'$ref' chain too long or circular", at.pointer);
        return {nullptr, at.pointer};
      }
      const auto next = resolve(at.schema->getValue<std::string>("$ref"), at.pointer + "/$ref");
      if (!next) return {nullptr, at.pointer};
      at = *next;
    }
    return at;
  }

  static std::string str(const ObjectPtr& s, const std::string& key) {
    if (!s || !s->has(key)) return {};
    const Var v = s->get(key);
    return v.isString() ? v.extract<std::string>() : std::string{};
  }

  /// The schema's `type`, without "null" (null is "not sent" in askonce); "" when untyped,
  /// "*" when it allows several types.
  std::string type_of(const ObjectPtr& s) {
    if (!s || !s->has("type")) return {};
    const Var v = s->get("type");
    if (v.isString()) return v.extract<std::string>();
    if (is_array(v)) {
      std::vector<std::string> types;
      for (const auto& t : *as_array(v)) {
        if (t.isString() && t.extract<std::string>() != "null") types.push_back(t.extract<std::string>());
      }
      if (types.size() == 1) return types[0];
      if (types.size() == 2 && std::count(types.begin(), types.end(), "integer") == 1 &&
          std::count(types.begin(), types.end(), "number") == 1) {
        return "number";
      }
      return types.empty() ? std::string{} : "*";
    }
    return {};
  }

  std::string label_of(const ObjectPtr& s, const std::string& name) {
    const std::string title = one_line(str(s, "title"));
    return title.empty() ? humanize(name) : title;
  }

  /// An object's view: its properties and requirements with allOf merged and if/then and
  /// dependencies read as conditions.
  ObjectView view_of(const At& at, std::size_t depth) {
    ObjectView view;
    std::set<std::string> seen;
    merge_into(view, seen, at, depth);
    return view;
  }

  void merge_into(ObjectView& view, std::set<std::string>& seen, const At& at, std::size_t depth) {
    const ObjectPtr& s = at.schema;
    if (!s || depth > options_.max_depth) return;
    if (s->has("properties") && is_object(s->get("properties"))) {
      const ObjectPtr props = as_object(s->get("properties"));
      for (const auto& name : props->getNames()) {
        const Var v = props->get(name);
        if (!is_object(v)) continue;
        if (!seen.insert(name).second) {
          warn("I0101", "property '" + name + "' is described twice (in 'allOf'); the form keeps the first",
               at.pointer + "/properties/" + name);
          continue;
        }
        view.properties.push_back({name, {as_object(v), at.pointer + "/properties/" + name}});
      }
    }
    if (s->has("required") && is_array(s->get("required"))) {
      for (const auto& r : *as_array(s->get("required"))) {
        if (r.isString()) view.required.insert(r.extract<std::string>());
      }
    }
    if (s->has("additionalProperties")) {
      const Var a = s->get("additionalProperties");
      if (a.isBoolean() && !a.extract<bool>()) view.closed = true;
      else if (is_object(a)) warn("I0101", "'additionalProperties' with a schema: the form takes only the properties it names", at.pointer + "/additionalProperties");
    }
    if (s->has("allOf") && is_array(s->get("allOf"))) {
      const ArrayPtr all = as_array(s->get("allOf"));
      for (unsigned i = 0; i < all->size(); ++i) {
        const Var b = all->get(i);
        if (!is_object(b)) continue;
        const At branch = follow({as_object(b), at.pointer + "/allOf/" + std::to_string(i)}, depth + 1);
        merge_into(view, seen, branch, depth + 1);
      }
    }
    for (const char* k : {"oneOf", "anyOf"}) {
      if (!s->has(k) || !is_array(s->get(k))) continue;
      const ArrayPtr alts = as_array(s->get(k));
      // Alternatives told apart by one property's value: each one's rules, under the condition
      // that its value is chosen (docs/dsl.md, "Rules that apply in one case").
      const bool any = std::string_view(k) == "anyOf";
      bool chosen = any ? one_of_required(view, alts) || choose_alternatives(view, at.pointer + "/" + k, alts, depth, false)
                        : choose_alternatives(view, at.pointer + "/" + k, alts, depth, true);
      // Otherwise each alternative as one condition, and a rule counting those that fit.
      if (!chosen) chosen = overlapping_alternatives(view, seen, at.pointer + "/" + k, alts, depth, !any);
      if (!chosen) {
        warn("I0201", std::string("'") + k + "' (alternatives, each with its own rules) not told apart by one property's value cannot be said; the form keeps every alternative's properties, without their rules",
             at.pointer + "/" + k, "the importer says alternatives of an object whose members have a type, options, a pattern, lengths or bounds, what each requires, and a 'not' of one value");
      }
      // Each property named by some alternative, described by what every alternative that
      // names it agrees on (so the form refuses nothing that one alternative allows).
      std::vector<std::string> order;
      std::map<std::string, std::vector<At>> by_name;
      std::size_t open_alternatives = 0;  // alternatives that let any property through
      for (unsigned i = 0; i < alts->size(); ++i) {
        const Var b = alts->get(i);
        if (!is_object(b)) continue;
        const At branch = follow({as_object(b), at.pointer + "/" + k + "/" + std::to_string(i)}, depth + 1);
        if (!branch.schema) continue;
        const bool closed = branch.schema->has("additionalProperties") && branch.schema->get("additionalProperties").isBoolean() &&
                            !branch.schema->get("additionalProperties").extract<bool>();
        if (!closed) ++open_alternatives;
        if (!branch.schema->has("properties") || !is_object(branch.schema->get("properties"))) continue;
        const ObjectPtr props = as_object(branch.schema->get("properties"));
        for (const auto& name : props->getNames()) {
          const Var v = props->get(name);
          if (!is_object(v) || seen.count(name) != 0) continue;
          if (by_name.find(name) == by_name.end()) order.push_back(name);
          by_name[name].push_back(follow({as_object(v), branch.pointer + "/properties/" + name}, depth + 1));
        }
      }
      for (const auto& name : order) {
        seen.insert(name);
        // When some alternative does not name the property and one lets unknown properties
        // through, any value of it may come with that alternative; the form still asks the
        // question the alternatives that name it ask: their shape (type, items, properties),
        // without the rules of any one of them (docs/import.md, "oneOf, anyOf").
        const bool unconstrained = open_alternatives > 0 && by_name[name].size() < alts->size();
        if (unconstrained) {
          const At shape = shape_of(by_name[name]);
          if (shape.schema->has("type")) {
            const std::string t = type_of(shape.schema);
            const std::string what = t == "string" ? "text" : t == "boolean" ? "yes or no" : t == "integer" ? "a whole number"
                                   : t == "number" ? "a number" : t == "array" ? "a list" : "an object";
            warn("I0206", "'" + name + "' takes a value of any type in an alternative that does not name it; the form asks for " +
                              what + ", as the alternatives naming it do",
                 by_name[name][0].pointer, "the language has no field whose type is open");
          }
          view.properties.push_back({name, shape});
        } else {
          view.properties.push_back({name, loosest(by_name[name])});
        }
      }
    }
    if (s->has("not")) warn("I0202", "'not' cannot be said in the language; the form leaves it out", at.pointer + "/not");
    if (s->has("dependencies") && is_object(s->get("dependencies"))) {
      const ObjectPtr deps = as_object(s->get("dependencies"));
      for (const auto& name : deps->getNames()) {
        const Var d = deps->get(name);
        if (is_array(d) && is_name(name)) {
          for (const auto& r : *as_array(d)) {
            if (r.isString()) view.required_when[r.extract<std::string>()].push_back("not is_blank(" + name + ")");
          }
        } else {
          warn("I0203", "a dependency on '" + name + "' that is a schema cannot be said yet; the form leaves it out",
               at.pointer + "/dependencies/" + name);
        }
      }
    }
    if (s->has("if")) read_if_then(view, at);
    for (const char* k : {"minProperties", "maxProperties", "patternProperties", "propertyNames", "dependentRequired",
                          "dependentSchemas", "unevaluatedProperties"}) {
      if (s->has(k)) warn("I0101", std::string("'") + k + "' cannot be said in the language; the form leaves it out", at.pointer + "/" + k);
    }
  }

  /// anyOf whose alternatives only require members (`[{required: [a]}, {required: [b, c]}]`,
  /// "the policy number or the group code"): the first alternative's members are required
  /// unless another alternative's are all given, which is exactly "at least one holds".
  bool one_of_required(ObjectView& view, const ArrayPtr& alts) {
    std::vector<std::vector<std::string>> sets;
    for (unsigned i = 0; i < alts->size(); ++i) {
      const Var b = alts->get(i);
      if (!is_object(b)) return false;
      const ObjectPtr o = as_object(b);
      std::vector<std::string> names;
      for (const auto& key : o->getNames()) {
        if (key == "required" && is_array(o->get(key))) {
          for (const auto& r : *as_array(o->get(key))) {
            if (!r.isString() || !is_name(r.extract<std::string>())) return false;
            names.push_back(r.extract<std::string>());
          }
        } else if (key != "title" && key != "description" && key != "$comment") {
          return false;
        }
      }
      if (names.empty()) return false;
      sets.push_back(std::move(names));
    }
    if (sets.size() < 2) return false;
    std::string cond;
    for (std::size_t i = 1; i < sets.size(); ++i) {
      std::string missing;  // alternative i does not hold: one of its members is blank
      for (const auto& n : sets[i]) missing += (missing.empty() ? "" : " or ") + std::string("is_blank(") + n + ")";
      cond += (cond.empty() ? "" : " and ") + (sets[i].size() > 1 && sets.size() > 2 ? "(" + missing + ")" : missing);
    }
    if (sets.size() == 2 && sets[1].size() > 1) cond = "(" + cond + ")";
    for (const auto& n : sets[0]) view.required_when[n].push_back(cond);
    return true;
  }

  /// oneOf/anyOf on an object that no one property's value tells apart: alternatives that
  /// overlap (an address in the United States, in a listed country, in any country), or that
  /// are told apart by which members are given. Each alternative is kept as it is
  /// (ObjectView::Overlap), and written as one condition when the members are known
  /// (overlap_rules); what every alternative requires is required. An alternative `type:
  /// "null"` never holds for an object, which is there: with one alternative left, its members
  /// and requirements are the object's, as in `allOf`. False when an alternative says what a
  /// condition over members cannot (a nested `oneOf`, `allOf`, `if`, a `not` of anything but
  /// one property's value).
  bool overlapping_alternatives(ObjectView& view, std::set<std::string>& seen, const std::string& pointer,
                                const ArrayPtr& alts, std::size_t depth, bool exactly_one) {
    std::vector<At> branches;
    for (unsigned i = 0; i < alts->size(); ++i) {
      const Var b = alts->get(i);
      if (!is_object(b)) return false;
      const At branch = follow({as_object(b), pointer + "/" + std::to_string(i)}, depth + 1);
      if (!branch.schema) return false;
      if (branch.schema->has("type") && branch.schema->get("type").isString() &&
          branch.schema->getValue<std::string>("type") == "null") {
        view.nullable = true;  // null is "not sent" in askonce, and an object that is there is not null
        continue;
      }
      for (const auto& key : branch.schema->getNames()) {
        if (key == "type" && type_of(branch.schema) != "object") return false;
        if (key == "additionalProperties" && !branch.schema->get(key).isBoolean()) return false;
        if (key != "type" && key != "properties" && key != "required" && key != "additionalProperties" && key != "not" &&
            key != "title" && key != "description" && key != "$comment") {
          return false;
        }
      }
      branches.push_back(branch);
    }
    if (branches.empty()) return false;
    if (branches.size() == 1) {
      if (branches[0].schema->has("not")) return false;
      merge_into(view, seen, branches[0], depth + 1);
      return true;
    }
    ObjectView::Overlap overlap{pointer, exactly_one, {}};
    std::optional<std::set<std::string>> everywhere;  // required by every alternative
    for (const auto& b : branches) {
      ObjectView::Alternative alt;
      if (b.schema->has("required") && is_array(b.schema->get("required"))) {
        for (const auto& r : *as_array(b.schema->get("required"))) {
          if (r.isString()) alt.requires_.insert(r.extract<std::string>());
        }
      }
      if (b.schema->has("properties") && is_object(b.schema->get("properties"))) {
        const ObjectPtr props = as_object(b.schema->get("properties"));
        for (const auto& name : props->getNames()) {
          if (!is_object(props->get(name))) continue;
          alt.properties.push_back({name, follow({as_object(props->get(name)), b.pointer + "/properties/" + name}, depth + 1)});
        }
      }
      alt.closed = b.schema->has("additionalProperties") && !b.schema->get("additionalProperties").extract<bool>();
      if (b.schema->has("not")) {
        // `not: {properties: {p: {enum: [v]}}, required: [p]}`: "p is not v" (blank included).
        if (!is_object(b.schema->get("not"))) return false;
        IfTest test;
        const auto e = condition_of(as_object(b.schema->get("not")), &test);
        if (!e) return false;
        alt.condition = test.required ? "(is_blank(" + test.name + ") or not (" + *e + "))" : "not " + *e;
      }
      if (!everywhere) {
        everywhere = alt.requires_;
      } else {
        std::erase_if(*everywhere, [&](const std::string& r) { return alt.requires_.count(r) == 0; });
      }
      overlap.alternatives.push_back(std::move(alt));
    }
    for (const auto& r : *everywhere) view.required.insert(r);
    view.overlaps.push_back(std::move(overlap));
    return true;
  }

  /// The values a schema allows by `const` or `enum` (as the language writes them), or none.
  static std::optional<std::vector<std::string>> listed_values(const ObjectPtr& t) {
    if (!t) return std::nullopt;
    std::vector<std::string> values;
    if (t->has("const")) {
      const auto lit = literal(t->get("const"));
      if (!lit) return std::nullopt;
      values.push_back(*lit);
    } else if (t->has("enum") && is_array(t->get("enum"))) {
      for (const auto& v : *as_array(t->get("enum"))) {
        const auto lit = literal(v);
        if (!lit) return std::nullopt;
        values.push_back(*lit);
      }
    } else {
      return std::nullopt;
    }
    if (values.empty()) return std::nullopt;
    return values;
  }

  static std::string membership(const std::string& name, const std::vector<std::string>& values, bool negate) {
    if (values.size() == 1) return name + (negate ? " != " : " == ") + values[0];
    std::string e = name + (negate ? " not in [" : " in [");
    for (std::size_t i = 0; i < values.size(); ++i) e += (i ? ", " : "") + values[i];
    return e + "]";
  }

  /// oneOf/anyOf whose alternatives are told apart by one property (the discriminator): in each
  /// alternative it has a `const` or `enum` (or, in one alternative at most, `not` of the
  /// others' values: "any other country"), and no value is in two. Then each alternative's
  /// rules become the language's rules with `if` its value is chosen, and what it requires
  /// `required if`. The discriminator unanswered: JSON Schema's `properties` holds for an absent
  /// member, so every alternative that does not require it holds as far as it goes, and the
  /// other members decide: exactly one must hold (oneOf), at least one (anyOf). No alternative's
  /// rules apply then; the discriminator is required when the others' answers do not fit
  /// (ObjectView::Chosen, written by fit_condition). Returns false when no property tells them apart.
  bool choose_alternatives(ObjectView& view, const std::string& pointer, const ArrayPtr& alts, std::size_t depth,
                           bool exactly_one) {
    std::vector<At> branches;
    for (unsigned i = 0; i < alts->size(); ++i) {
      const Var b = alts->get(i);
      if (!is_object(b)) return false;
      const At branch = follow({as_object(b), pointer + "/" + std::to_string(i)}, depth + 1);
      if (!branch.schema || !branch.schema->has("properties") || !is_object(branch.schema->get("properties"))) return false;
      branches.push_back(branch);
    }
    if (branches.size() < 2) return false;
    const auto props_of = [](const At& b) { return as_object(b.schema->get("properties")); };
    for (const auto& d : props_of(branches[0])->getNames()) {
      if (!is_name(d)) continue;
      std::vector<std::optional<std::vector<std::string>>> values;  // nullopt: the `not` alternative
      std::set<std::string> all;
      std::optional<std::set<std::string>> excluded;
      bool ok = true;
      for (const auto& b : branches) {
        const ObjectPtr props = props_of(b);
        if (!props->has(d) || !is_object(props->get(d))) { ok = false; break; }
        const ObjectPtr t = as_object(props->get(d));
        if (auto v = listed_values(t)) {
          for (const auto& x : *v) {
            if (!all.insert(x).second) ok = false;  // a value in two alternatives
          }
          values.push_back(std::move(v));
        } else if (t->has("not") && is_object(t->get("not")) && !excluded) {
          const auto v = listed_values(as_object(t->get("not")));
          if (!v) { ok = false; break; }
          excluded = std::set<std::string>(v->begin(), v->end());
          values.push_back(std::nullopt);
        } else {
          ok = false;
        }
        if (!ok) break;
      }
      // "Any other" must leave out exactly the values the other alternatives take.
      if (!ok || (excluded && *excluded != all)) continue;
      // Required by every alternative, the discriminator is required (where the object is).
      const bool always = std::all_of(branches.begin(), branches.end(), [&](const At& b) {
        if (!b.schema->has("required") || !is_array(b.schema->get("required"))) return false;
        const ArrayPtr r = as_array(b.schema->get("required"));
        return std::any_of(r->begin(), r->end(), [&](const Var& v) { return v.isString() && v.extract<std::string>() == d; });
      });
      if (always) view.required.insert(d);
      ObjectView::Chosen blank{d, exactly_one, {}};
      for (std::size_t i = 0; i < branches.size(); ++i) {
        const At& b = branches[i];
        std::set<std::string> requires_;
        if (b.schema->has("required") && is_array(b.schema->get("required"))) {
          for (const auto& r : *as_array(b.schema->get("required"))) {
            if (r.isString()) requires_.insert(r.extract<std::string>());
          }
        }
        const std::string cond = values[i] ? membership(d, *values[i], false)
                                           : membership(d, std::vector<std::string>(all.begin(), all.end()), true);
        // Unanswered, the discriminator holds for this alternative unless it requires it.
        const bool holds_blank = requires_.count(d) == 0;
        ObjectView::Alternative alternative;
        const ObjectPtr props = props_of(b);
        for (const auto& name : props->getNames()) {
          if (name == d || !is_object(props->get(name))) continue;
          const At member = follow({as_object(props->get(name)), b.pointer + "/properties/" + name}, depth + 1);
          view.rules_when[name].push_back({cond, member});
          if (holds_blank) alternative.properties.push_back({name, member});
        }
        if (holds_blank) {
          for (const auto& r : requires_) {
            if (r != d) alternative.requires_.insert(r);
          }
          blank.when_blank.push_back(std::move(alternative));
        }
        for (const auto& r : requires_) {
          if (r != d) view.required_when[r].push_back(cond);
        }
        for (const auto& key : b.schema->getNames()) {
          if (key != "properties" && key != "required" && key != "type" && key != "title" && key != "description" &&
              key != "$comment" && key != "additionalProperties") {
            warn("I0205", "'" + key + "' in one alternative cannot be said as a rule of one field; the form leaves it out",
                 b.pointer + "/" + key);
          }
        }
      }
      if (!blank.when_blank.empty()) view.chosen.push_back(std::move(blank));
      return true;
    }
    return false;
  }

  /// One rule of one alternative: a `check`'s condition, or a `pattern`'s regular expression.
  struct AltRule {
    bool pattern = false;
    std::string rule;  // `state in [...]`, `length(x) <= 10`; or the pattern, for the whole value
    std::string message;
  };

  /// The rules of one alternative for member `name` (written as `kind`), beyond what the field
  /// already says (`own`: its schema in the form): patterns, options, lengths and bounds.
  std::vector<AltRule> alternative_rules(const std::string& name, const std::string& kind, const std::string& label,
                                         const At& own, const At& alt) {
    const ObjectPtr& a = alt.schema;
    if (!a) return {};
    const ObjectPtr& o = own.schema;
    const auto same = [&](const char* key) { return o && o->has(key) && a->has(key) && o->get(key).toString() == a->get(key).toString(); };
    const bool text_like = kind == "text" || kind == "email" || kind == "longtext";
    std::vector<AltRule> out;
    if (kind == "text" || kind == "email" || kind == "choice") {
      auto values = listed_values(a);
      if (values && kind == "choice") {
        // A choice compares only with its own options: the others it refuses already.
        const auto offered = listed_values(o);
        std::erase_if(*values, [&](const std::string& v) {
          return !offered || std::find(offered->begin(), offered->end(), v) == offered->end();
        });
        if (values->empty()) values.reset();
      }
      if (values && !same("enum") && !same("const")) {
        // The values as a person reads them: all of a short list, a few of a long one.
        const auto plain = [&](std::size_t i) {
          const std::string& v = (*values)[i];
          return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
        };
        std::string message;
        if (values->size() <= 12) {
          message = "Enter one of: ";
          for (std::size_t i = 0; i < values->size(); ++i) message += (i ? ", " : "") + plain(i);
        } else {
          message = "Enter one of the " + std::to_string(values->size()) + " values allowed here, such as " + plain(0) +
                    ", " + plain(1) + " or " + plain(2);
        }
        out.push_back({false, membership(name, *values, false), message + "."});
      }
    }
    if (text_like) {
      if (a->has("pattern") && !same("pattern")) {
        out.push_back({true, whole_match(str(a, "pattern")), "Enter " + lower_first(label) + " in the form asked for."});
      }
      if (a->has("maxLength") && !same("maxLength") && is_number(a->get("maxLength"))) {
        const std::string n = number_text(a->get("maxLength"));
        out.push_back({false, "length(" + name + ") <= " + n, "Enter at most " + n + " characters."});
      }
      if (a->has("minLength") && !same("minLength") && is_number(a->get("minLength"))) {
        const std::string n = number_text(a->get("minLength"));
        // Every answer has a character: blank is no answer.
        if (n != "0" && n != "1") out.push_back({false, "length(" + name + ") >= " + n, "Enter at least " + n + " characters."});
      }
    }
    if (kind == "yesno" || kind == "attest" || kind == "integer" || kind == "decimal") {
      // `enum: [true]` of a yes/no, the numbers one alternative takes.
      if (const auto values = listed_values(a); values && !same("enum") && !same("const")) {
        std::string list;
        for (const auto& v : *values) list += (list.empty() ? "" : ", ") + v;
        out.push_back({false, membership(name, *values, false), "Enter one of: " + list + "."});
      }
    }
    if (kind == "integer" || kind == "decimal") {
      for (const auto& [key, op] : {std::pair<const char*, const char*>{"minimum", " >= "}, {"maximum", " <= "}}) {
        if (a->has(key) && !same(key) && is_number(a->get(key))) {
          const std::string n = number_text(a->get(key));
          out.push_back({false, name + op + n, std::string(key) == "minimum" ? "Enter at least " + n + "." : "Enter at most " + n + "."});
        }
      }
    }
    return out;
  }

  /// The rules of one alternative for member `name`, each with `if COND`.
  std::string rules_when(const std::string& name, const std::string& kind, const std::string& label, const At& own,
                         const std::string& cond, const At& alt, int indent) {
    std::string out;
    for (const auto& r : alternative_rules(name, kind, label, own, alt)) {
      out += pad(indent + 1) + (r.pattern ? "pattern " + quote(r.rule) : "check " + r.rule) + " " + quote(r.message) +
             " if " + cond + "\n";
    }
    return out;
  }


  /// What a member is written as, for the conditions of its siblings.
  struct Member {
    std::string kind;
    std::string label;
    At own;  // its schema in the form
  };

  /// Whether alternative_rules says everything `alt` (one alternative's schema of member
  /// `name`, written as `kind` from `own`) says beyond annotations; `why` says what it cannot.
  bool sayable(const std::string& name, const std::string& kind, const At& own, const At& alt, std::string& why) {
    if (!alt.schema || (own.schema && alt.pointer == own.pointer)) return true;
    const bool text_like = kind == "text" || kind == "email" || kind == "longtext";
    const bool numeric = kind == "integer" || kind == "decimal";
    const bool boolean = kind == "yesno" || kind == "attest";
    const bool value = text_like || numeric || boolean || kind == "choice" || kind == "date";
    for (const auto& key : alt.schema->getNames()) {
      bool ok = true;
      if (key == "type") {
        const std::string t = type_of(alt.schema);
        ok = t.empty() || (t == "string" && (text_like || kind == "choice" || kind == "date")) || (t == "boolean" && boolean) ||
             ((t == "integer" || t == "number") && numeric) || (t == "object" && kind == "use") ||
             (t == "array" && (kind == "repeat" || kind == "choices"));
      } else if (key == "enum" || key == "const") {
        ok = (text_like || numeric || boolean || kind == "choice") && listed_values(alt.schema).has_value();
      } else if (key == "pattern" || key == "maxLength" || key == "minLength") {
        ok = text_like;
      } else if (key == "minimum" || key == "maximum") {
        ok = numeric;
      } else if (key == "format") {
        const std::string f = str(alt.schema, "format");
        ok = (own.schema && str(own.schema, "format") == f) || (f == "date" && kind == "date") || (f == "email" && kind == "email");
      } else if (key == "properties" || key == "items" || key == "required" || key == "additionalProperties" ||
                 key == "oneOf" || key == "anyOf" || key == "allOf" || key == "not" || key == "if" || key == "then" ||
                 key == "else" || key == "dependencies" || key == "exclusiveMinimum" || key == "exclusiveMaximum" ||
                 key == "multipleOf" || key == "minItems" || key == "maxItems" || key == "uniqueItems" ||
                 key == "contains" || key == "minProperties" || key == "maxProperties" || key == "patternProperties" ||
                 key == "propertyNames") {
        ok = false;  // rules of a list's or an object's members, or keywords the language has no rule for
      }
      // Anything else is an annotation for ajv (title, description, default, examples, ...).
      if (!ok) {
        why = "'" + key + "' on '" + name + "' in one alternative";
        return false;
      }
    }
    (void)value;
    return true;
  }

  /// One alternative as one condition over the members of its object: what it requires is
  /// given, each given member keeps its rules there (JSON Schema's `properties` holds for an
  /// absent member), nothing else is given when it is closed, and its `not` holds. "true" when
  /// it always fits, "false" when it never does. `anchor` is a member known to be blank
  /// (`anchor_blank`) or given, which simplifies the condition; none when empty. With
  /// `strict`, nullopt (and `why`) when the alternative says what the condition cannot.
  std::optional<std::string> fit_of(const ObjectView::Alternative& alt, const std::map<std::string, Member>& members,
                                    const std::vector<std::string>& value_members, const std::string& anchor,
                                    bool anchor_blank, bool strict, std::string& why) {
    const auto is_value = [](const Member& m) { return m.kind != "repeat"; };  // is_blank tests a field or a block
    std::vector<std::string> parts;
    if (!alt.condition.empty()) parts.push_back(alt.condition);
    for (const auto& r : alt.requires_) {
      const auto m = members.find(r);
      // A member it requires that the form leaves out (with a warning): it never fits.
      if (m == members.end()) return std::string("false");
      if (strict && !is_value(m->second)) {
        why = "it requires the list '" + r + "'";
        return std::nullopt;
      }
      if (r == anchor) {
        if (anchor_blank) return std::string("false");
        continue;
      }
      parts.push_back("not is_blank(" + r + ")");
    }
    std::set<std::string> named;
    for (const auto& [name, schema] : alt.properties) {
      named.insert(name);
      const auto m = members.find(name);
      if (m == members.end()) continue;
      if (strict && !sayable(name, m->second.kind, m->second.own, schema, why)) return std::nullopt;
      std::string rules;
      std::size_t n = 0;
      for (const auto& r : alternative_rules(name, m->second.kind, m->second.label, m->second.own, schema)) {
        rules += (n++ ? " and " : "") + (r.pattern ? "matches(" + name + ", " + quote(r.rule) + ")" : r.rule);
      }
      if (n == 0 || (name == anchor && anchor_blank)) continue;
      // Given (required here, or the anchor): its rules; otherwise they hold for a blank answer.
      if (name == anchor || alt.requires_.count(name) != 0) parts.push_back(n > 1 ? "(" + rules + ")" : rules);
      else parts.push_back("(is_blank(" + name + ") or " + (n > 1 ? "(" + rules + ")" : rules) + ")");
    }
    if (alt.closed) {
      // additionalProperties: false: the object's other members must be left out.
      for (const auto& [name, m] : members) {
        if (named.count(name) != 0) continue;
        if (strict && !is_value(m)) {
          why = "it leaves out the list '" + name + "'";
          return std::nullopt;
        }
      }
      for (const auto& name : value_members) {
        if (named.count(name) != 0) continue;
        if (name == anchor) {
          if (anchor_blank) continue;
          return std::string("false");
        }
        parts.push_back("is_blank(" + name + ")");
      }
    }
    std::string fit;
    for (std::size_t i = 0; i < parts.size(); ++i) fit += (i ? " and " : "") + parts[i];
    return fit.empty() ? std::string("true") : fit;
  }

  /// "Exactly one fits" (oneOf) or "at least one fits" (anyOf) of conditions from fit_of, and
  /// its negation: empty when it always holds, "false" when it never does.
  struct Counted {
    std::string holds;
    std::string fails;
  };
  /// `not (e)`, or `is_blank(x)` for `not is_blank(x)`.
  static std::string negate(const std::string& e) {
    if (e.starts_with("not is_blank(") && e.ends_with(")") && e.find_first_of(" ()", 13) == e.size() - 1) return e.substr(4);
    return "not (" + e + ")";
  }

  static Counted counted(const std::vector<std::string>& fits, bool exactly_one) {
    const auto trues = std::count(fits.begin(), fits.end(), "true");
    std::vector<std::string> rest;
    for (const auto& f : fits) {
      if (f != "true" && f != "false") rest.push_back(f);
    }
    std::string list;
    for (std::size_t i = 0; i < rest.size(); ++i) list += (i ? ", " : "") + rest[i];
    const auto one = [&]() -> Counted { return {rest[0], negate(rest[0])}; };
    if (!exactly_one) {
      if (trues > 0) return {};
      if (rest.empty()) return {"false", "true"};
      if (rest.size() == 1) return one();
      return {"count(" + list + ") >= 1", "count(" + list + ") == 0"};
    }
    if (trues >= 2) return {"false", "true"};
    if (trues == 1) {
      if (rest.empty()) return {};
      if (rest.size() == 1) return {negate(rest[0]), rest[0]};
      return {"count(" + list + ") == 0", "count(" + list + ") >= 1"};
    }
    if (rest.empty()) return {"false", "true"};
    if (rest.size() == 1) return one();
    return {"count(" + list + ") == 1", "count(" + list + ") != 1"};
  }

  /// The rules of overlapping alternatives (ObjectView::Overlap) for an object's members: a
  /// `check` on one member (the one the most alternatives require, a value the citizen gives)
  /// that exactly one (oneOf) or at least one (anyOf) alternative fits, and, unless every
  /// alternative requires that member, `required if` none fits with it blank. A `check` runs
  /// on an answered field, so the two together say the rule for every answer. False (with an
  /// I0201 warning) when some alternative cannot be said as a condition.
  bool overlap_rules(const ObjectView::Overlap& overlap, const std::map<std::string, Member>& members,
                     const std::vector<std::string>& value_members, std::map<std::string, std::vector<std::string>>& when,
                     std::map<std::string, std::vector<std::string>>& checks, std::set<std::string>& required) {
    std::string anchor;
    std::size_t most = 0;
    for (const auto& name : value_members) {
      const auto m = members.find(name);
      if (m == members.end() || m->second.kind == "use") continue;  // a check needs a field with a value
      std::size_t n = 0;
      for (const auto& alt : overlap.alternatives) n += alt.requires_.count(name);
      if (anchor.empty() || n > most) {
        anchor = name;
        most = n;
      }
    }
    std::string why = anchor.empty() ? "the object has no answer to hold the rule" : "";
    std::vector<std::string> given, blank;
    for (const auto& alt : overlap.alternatives) {
      if (anchor.empty()) break;
      const auto g = fit_of(alt, members, value_members, anchor, false, true, why);
      const auto b = fit_of(alt, members, value_members, anchor, true, true, why);
      if (!g || !b) {
        anchor.clear();
        break;
      }
      given.push_back(*g);
      blank.push_back(*b);
    }
    const std::string k = overlap.exactly_one ? "oneOf" : "anyOf";
    const Counted with = anchor.empty() ? Counted{} : counted(given, overlap.exactly_one);
    if (!anchor.empty() && with.holds == "false") why = "no answers fit " + std::string(overlap.exactly_one ? "exactly one alternative" : "any alternative");
    if (anchor.empty() || with.holds == "false") {
      warn("I0201", "'" + k + "' (alternatives, each with its own rules) not told apart by one property's value cannot be said here (" + why +
                        "); the form keeps every alternative's properties, without their rules",
           overlap.pointer, "the importer says alternatives of an object whose members have a type, options, a pattern, lengths or bounds, what each requires, and a 'not' of one value");
      return false;
    }
    if (!with.holds.empty()) {
      const std::string message = overlap.exactly_one ? "These answers must fit one of the cases this form takes, and only one. Check each answer."
                                                      : "These answers do not fit together. Check each answer.";
      checks[anchor].push_back("check " + with.holds + " " + quote(message));
    }
    const bool everywhere = most == overlap.alternatives.size();
    if (!everywhere) {
      const Counted without = counted(blank, overlap.exactly_one);
      if (without.holds == "false") required.insert(anchor);
      else if (!without.fails.empty()) when[anchor].push_back(without.fails);
    }
    return true;
  }

  /// The discriminator `chosen` left blank: the condition under which the other members' answers
  /// fit no alternative (anyOf), or not exactly one (oneOf), so that the discriminator is
  /// required. An alternative fits when every member it requires is given and each given member
  /// keeps its rules there (JSON Schema's `properties` holds for an absent member). Empty when
  /// some alternative always fits with it blank (anyOf), so that nothing is required.
  std::string fit_condition(const ObjectView::Chosen& chosen, const std::map<std::string, Member>& members) {
    std::vector<std::string> fits;
    std::string why;
    for (const auto& alt : chosen.when_blank) fits.push_back(*fit_of(alt, members, {}, {}, false, false, why));
    if (!chosen.exactly_one && std::find(fits.begin(), fits.end(), "true") != fits.end()) return {};
    if (std::all_of(fits.begin(), fits.end(), [](const std::string& f) { return f == "true" || f == "false"; })) {
      // Nothing the citizen answers decides it: the discriminator is needed, or it is not.
      const auto n = std::count(fits.begin(), fits.end(), "true");
      return (chosen.exactly_one ? n != 1 : n == 0) ? "true" : "";
    }
    std::string list;
    for (std::size_t i = 0; i < fits.size(); ++i) list += (i ? ", " : "") + fits[i];
    return "count(" + list + (chosen.exactly_one ? ") != 1" : ") == 0");
  }

  /// What a schema says for people (its title and description) and the shape of its value
  /// (its type; a list's or an object's whole description), when every description agrees on
  /// the type; only the title and description when they do not.
  At shape_of(const std::vector<At>& all) {
    const At& first = all[0];
    ObjectPtr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!first.schema) return {out, first.pointer};
    for (const char* key : {"title", "description"}) {
      if (first.schema->has(key)) out->set(key, first.schema->get(key));
    }
    const std::string type = type_of(first.schema);
    const bool agreed = !type.empty() && type != "*" &&
                        std::all_of(all.begin(), all.end(), [&](const At& a) { return a.schema && type_of(a.schema) == type; });
    if (!agreed) return {out, first.pointer};
    // A list or an object is its shape: written from the first description, as a block or a
    // list is wherever the schema uses it.
    if (type == "array" || type == "object") return first;
    out->set("type", first.schema->get("type"));
    return {out, first.pointer};
  }

  /// What several alternatives' descriptions of one property all allow: the type they share,
  /// the union of their enums, the widest lengths, a pattern or format only when all have it.
  At loosest(const std::vector<At>& all) {
    if (all.size() == 1 && all[0].schema) {
      // Named by one alternative only: any value of its type may come with another one.
      ObjectPtr one = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const char* key : {"title", "description", "type"}) {
        if (all[0].schema->has(key)) one->set(key, all[0].schema->get(key));
      }
      return {one, all[0].pointer};
    }
    ObjectPtr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto every = [&](const char* key) {
      return std::all_of(all.begin(), all.end(), [&](const At& a) { return a.schema && a.schema->has(key); });
    };
    const auto same = [&](const char* key) {
      if (!every(key)) return false;
      const std::string first = all[0].schema->get(key).toString();
      return std::all_of(all.begin(), all.end(), [&](const At& a) { return a.schema->get(key).toString() == first; });
    };
    for (const char* key : {"title", "description"}) {
      if (all[0].schema && all[0].schema->has(key)) out->set(key, all[0].schema->get(key));
    }
    for (const char* key : {"type", "pattern", "format"}) {
      if (same(key)) out->set(key, all[0].schema->get(key));
    }
    if (every("enum")) {
      Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
      std::set<std::string> seen;
      for (const auto& a : all) {
        const Var e = a.schema->get("enum");
        if (!is_array(e)) continue;
        for (const auto& v : *as_array(e)) {
          if (seen.insert(v.toString()).second) values->add(v);
        }
      }
      out->set("enum", values);
    }
    if (every("maxLength")) {
      std::int64_t m = 0;
      for (const auto& a : all) m = std::max<std::int64_t>(m, a.schema->get("maxLength").convert<std::int64_t>());
      out->set("maxLength", m);
    }
    if (every("minLength")) {
      std::int64_t m = INT64_MAX;
      for (const auto& a : all) m = std::min<std::int64_t>(m, a.schema->get("minLength").convert<std::int64_t>());
      out->set("minLength", m);
    }
    return {out, all[0].pointer};
  }

  /// `if` on one property's const or enum, `then` / `else` requiring others: `required if`.
  void read_if_then(ObjectView& view, const At& at) {
    const ObjectPtr& s = at.schema;
    const std::string where = at.pointer + "/if";
    const Var cond = s->get("if");
    std::optional<std::string> expr;
    if (is_object(cond)) expr = condition_of(as_object(cond));
    if (!expr) {
      warn("I0204", "this 'if' cannot be said as a condition on one property's value; its 'then' and 'else' are left out",
           where, "the importer reads 'if' with 'properties' holding one property's 'const' or 'enum'");
      return;
    }
    for (const auto& [key, e] : {std::pair<const char*, std::string>{"then", *expr}, {"else", "not (" + *expr + ")"}}) {
      if (!s->has(key)) continue;
      const Var branch = s->get(key);
      if (!is_object(branch)) continue;
      const ObjectPtr b = as_object(branch);
      for (const auto& name : b->getNames()) {
        if (name == "required" && is_array(b->get(name))) {
          for (const auto& r : *as_array(b->get(name))) {
            if (r.isString()) view.required_when[r.extract<std::string>()].push_back(e);
          }
        } else if (name == "properties" && is_object(b->get(name))) {
          // Rules of its members that apply in one case: `... if CONDITION`.
          const ObjectPtr props = as_object(b->get(name));
          for (const auto& member : props->getNames()) {
            if (!is_object(props->get(member))) continue;
            view.rules_when[member].push_back(
                {e, follow({as_object(props->get(member)), at.pointer + "/" + key + "/properties/" + member}, 0)});
          }
        } else if (name != "description" && name != "$comment" && name != "title") {
          warn("I0205", std::string("'") + key + "' with '" + name + "' (rules that apply in one alternative only) cannot be said yet; the form leaves them out",
               at.pointer + "/" + key + "/" + name, "issue 14: patterns that apply in one alternative only");
        }
      }
    }
  }

  /// What condition_of tested: the property, and whether the condition requires it (then the
  /// condition is blank when the property is).
  struct IfTest {
    std::string name;
    bool required = false;
  };

  /// `{"properties": {"p": {"const": v}}}` (or enum), optionally with "required": ["p"].
  std::optional<std::string> condition_of(const ObjectPtr& c, IfTest* tested = nullptr) {
    bool p_required = false;
    std::string name;
    ObjectPtr test;
    for (const auto& key : c->getNames()) {
      if (key == "properties" && is_object(c->get(key))) {
        const ObjectPtr props = as_object(c->get(key));
        if (props->size() != 1) return std::nullopt;
        name = props->getNames()[0];
        if (!is_object(props->get(name))) return std::nullopt;
        test = as_object(props->get(name));
      } else if (key == "required" && is_array(c->get(key))) {
        const ArrayPtr r = as_array(c->get(key));
        if (r->size() != 1) return std::nullopt;
        p_required = true;
      } else {
        return std::nullopt;
      }
    }
    if (!test || !is_name(name)) return std::nullopt;
    std::vector<std::string> values;
    for (const auto& key : test->getNames()) {
      if (key == "const") {
        const auto lit = literal(test->get(key));
        if (!lit) return std::nullopt;
        values.push_back(*lit);
      } else if (key == "enum" && is_array(test->get(key))) {
        for (const auto& v : *as_array(test->get(key))) {
          const auto lit = literal(v);
          if (!lit) return std::nullopt;
          values.push_back(*lit);
        }
      } else if (key != "type") {
        return std::nullopt;
      }
    }
    if (values.empty()) return std::nullopt;
    std::string e;
    if (values.size() == 1) {
      e = name + " == " + values[0];
    } else {
      e = name + " in [";
      for (std::size_t i = 0; i < values.size(); ++i) e += (i ? ", " : "") + values[i];
      e += "]";
    }
    if (tested) *tested = {name, p_required};
    // JSON Schema's `properties` holds when the property is absent, so the condition does too.
    return p_required ? e : "(is_blank(" + name + ") or " + e + ")";
  }

  static std::optional<std::string> literal(const Var& v) {
    if (v.isString()) return quote(v.extract<std::string>());
    if (v.isBoolean()) return v.extract<bool>() ? std::string("true") : std::string("false");
    if (v.isInteger()) return v.toString();
    return std::nullopt;
  }

  // -- writing --------------------------------------------------------------------------------

  std::string write_form(const At& top) {
    const ObjectView view = view_of(top, 0);
    if (!view.closed) {
      warn("I0105", "unknown properties are allowed here ('additionalProperties' is not false); the form refuses names it does not have",
           top.pointer, "the language cannot say that a form lets unknown properties through");
    }
    std::string stem = std::filesystem::path(path_).stem().string();
    for (const char* suffix : {"-schema", "_schema", ".schema"}) {
      if (stem.size() > 7 && stem.ends_with(suffix)) stem.resize(stem.size() - 7);
    }
    std::string lower = stem;
    for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const std::string id = options_.form_id.empty() ? to_name(lower, "form_") : options_.form_id;
    std::string title = one_line(str(top.schema, "title"));
    if (title.empty()) title = stem;

    // Top-level items: each object or array gets a section of its own; runs of other fields share one.
    std::vector<std::pair<std::string, std::string>> sections;  // title, body
    std::string run_body, run_title;
    std::set<std::string> names;
    const auto members = write_members(view, top.pointer, Context::Whole, 2, 1, names);
    // A member asks nothing: it goes with the next section written (the last, at the end), so
    // that no section is made of members alone.
    std::string pending;
    const auto push = [&](const std::string& t, const std::string& body) {
      sections.push_back({t, pending + body});
      pending.clear();
    };
    for (const auto& w : members) {
      if (w.text.empty()) continue;
      if (w.kind == "member") {
        if (run_body.empty()) pending += w.text;
        else run_body += w.text;
      } else if (w.is_group) {
        if (!run_body.empty()) push(run_title, run_body);
        run_body.clear();
        push(w.label, w.text);
      } else {
        if (run_body.empty()) run_title = w.label;
        run_body += w.text;
      }
    }
    if (!run_body.empty()) push(run_title, run_body);
    if (!pending.empty()) {
      if (sections.empty()) sections.push_back({title, pending});
      else sections.back().second += pending;
    }

    std::ostringstream out;
    out << "// " << id << ".form: imported by `askonce import jsonschema` from "
        << std::filesystem::path(path_).filename().string() << ".\n";
    out << "// Written by the importer: run the import again rather than edit it (docs/import.md).\n";
    if (!listed_.empty()) {
      out << "//\n// What the schema says that this form does not (" << listed_.size()
          << (listed_.size() == 1 ? " warning" : " warnings") << "):\n";
      for (const auto& l : listed_) out << "//   " << one_line(l) << "\n";
    }
    out << "\n";
    for (const auto& b : blocks_) out << b << "\n";
    out << "form " << id << " {\n";
    out << "  title " << quote(title) << "\n";
    const std::string description = one_line(str(top.schema, "description"));
    if (!description.empty()) out << "  description " << quote(description) << "\n";
    out << "  version 1\n  languages en\n";
    std::size_t n = 0;
    for (const auto& [t, body] : sections) {
      out << "\n  section part" << ++n << " " << quote(t) << " {\n" << body << "  }\n";
    }
    out << "}\n";
    return out.str();
  }

  /// Counts bytes written; a form past the limit is refused rather than built.
  void count(std::size_t bytes) {
    written_ += bytes;
    if (written_ > options_.max_form_bytes) throw TooLarge{};
  }

  static std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent) * 2, ' '); }

  /// The members of an object, written at `indent`, each with its requirement.
  std::vector<Written> write_members(const ObjectView& view, const std::string& pointer, Context context, int indent,
                                     std::size_t depth, std::set<std::string>& names) {
    // First the names that will be written, for the "any other member is given" conditions.
    std::vector<std::string> valid;
    for (const auto& [name, at] : view.properties) {
      if (is_name(name)) valid.push_back(name);
    }
    for (const auto& r : view.required) {
      if (std::none_of(view.properties.begin(), view.properties.end(), [&](const auto& p) { return p.first == r; })) {
        warn("I0106", "'" + r + "' is required but not described; the form cannot ask for it", pointer + "/required");
      }
    }
    std::vector<Written> out;
    std::vector<std::string> value_members;  // members `is_blank` can test (not repeats)
    std::vector<Written> written;
    for (const auto& [name, at] : view.properties) {
      if (!is_name(name)) {
        // An empty object under a name the language does not allow (the VA's `view:` members,
        // for text its pages show) is a member: said by its JSON name, with no question.
        // A value of one type with no rules under such a name (`HEALTH_HISTORY::CANCER`, a
        // boolean) is a member too, said in a warning: JSON clients can send it, and no page asks it.
        Written m;
        if (member_name(name)) m = empty_object_member(name, at, indent, depth);
        if (member_name(name) && m.text.empty()) m = bare_value_member(name, at, indent, depth);
        if (m.text.empty()) {
          warn("I0102", "'" + name + "' is not a name the language allows (letters, digits and _, not a reserved word); the form leaves it out",
               at.pointer);
        } else if (!names.insert(name).second) {
          m = {};
        }
        written.push_back(std::move(m));
        continue;
      }
      if (!names.insert(name).second) {
        written.push_back({});
        continue;
      }
      // The requirement is added below, once every sibling that can make it hold is known.
      Written w = write_property(name, at, indent, depth, view.required.count(name) != 0 ? context : Context::Optional);
      if (!w.text.empty() && !w.is_repeat && w.kind != "member") value_members.push_back(name);
      written.push_back(std::move(w));
    }
    std::map<std::string, Member> members;  // what each member was written as, for fit_condition
    for (std::size_t k = 0; k < written.size(); ++k) {
      const auto& [name, at] = view.properties[k];
      if (!written[k].text.empty() && written[k].kind != "member") {
        members[name] = {written[k].kind, written[k].label, follow(at, depth)};
      }
    }
    // Alternatives no one member's value tells apart: a `check` on one member, and `required if`.
    std::map<std::string, std::vector<std::string>> overlap_when;
    std::map<std::string, std::vector<std::string>> overlap_checks;
    std::set<std::string> overlap_required;
    for (const auto& o : view.overlaps) overlap_rules(o, members, value_members, overlap_when, overlap_checks, overlap_required);
    std::size_t i = 0;
    for (const auto& [name, at] : view.properties) {
      Written w = std::move(written[i++]);
      if (w.text.empty()) {
        out.push_back(std::move(w));
        continue;
      }
      if (w.kind == "member") {
        // A member is never required: no channel but JSON can send it (docs/dsl.md).
        if (view.required.count(name) != 0 || view.required_when.count(name) != 0) {
          warn("I0212", "'" + name + "' is required, and a member is never required; the form takes a submission without it",
               at.pointer);
        }
        out.push_back(std::move(w));
        continue;
      }
      std::vector<std::string> conditions;
      const bool required = view.required.count(name) != 0 || overlap_required.count(name) != 0;
      const auto when = view.required_when.find(name);
      if (when != view.required_when.end()) conditions = when->second;
      if (const auto o = overlap_when.find(name); o != overlap_when.end()) conditions.insert(conditions.end(), o->second.begin(), o->second.end());
      // The discriminator of alternatives, left blank: required when the others' answers do not
      // fit the alternatives as JSON Schema's oneOf (exactly one) or anyOf (at least one) asks.
      for (const auto& c : view.chosen) {
        if (c.discriminator != name || required) continue;
        if (std::string fit = fit_condition(c, members); !fit.empty()) conditions.push_back(std::move(fit));
      }
      std::string others;
      if (context == Context::Optional) {
        for (const auto& m : value_members) {
          if (m == name) continue;
          others += (others.empty() ? "" : " or ") + std::string("not is_blank(") + m + ")";
        }
      }
      std::string line;
      if (required && conditions.empty() && context == Context::Whole) {
        line = "required";
      } else if (required || !conditions.empty()) {
        std::string cond;
        if (!required) {
          for (std::size_t k = 0; k < conditions.size(); ++k) cond += (k ? " or " : "") + conditions[k];
        }
        if (context == Context::Optional) {
          if (others.empty()) {
            if (required) {
              warn("I0107", "'" + name + "' is required in an object that may be left out and has nothing else; the form cannot tell an empty object from none",
                   at.pointer);
            }
          } else {
            cond = cond.empty() ? others : "(" + cond + ") and (" + others + ")";
          }
        }
        if (!cond.empty()) line = "required if " + cond;
        else if (required && context == Context::Whole) line = "required";
      }
      if (!line.empty() && w.kind == "use") {
        // A block's members carry its requirement (its Whole or Optional variant); a condition
        // on the whole object cannot be said.
        if (!conditions.empty()) {
          warn("I0211", "'" + name + "' is an object required under a condition; the form cannot require a whole block, so it leaves the condition out", at.pointer);
        }
      } else if (!line.empty()) {
        w.text = add_property(w.text, pad(indent + 1) + line + "\n");
      }
      // The rules of alternatives chosen by another member's value, each with its `if`.
      if (const auto alt = view.rules_when.find(name); alt != view.rules_when.end()) {
        std::string rules;
        for (const auto& [cond, schema] : alt->second) rules += rules_when(name, w.kind, w.label, follow(at, depth), cond, schema, indent);
        if (!rules.empty()) {
          w.text = add_property(w.text, rules);
          count(rules.size());
        }
      }
      if (const auto o = overlap_checks.find(name); o != overlap_checks.end()) {
        std::string rules;
        for (const auto& line : o->second) rules += pad(indent + 1) + line + "\n";
        w.text = add_property(w.text, rules);
        count(rules.size());
      }
      // An optional boolean has three states for JSON Schema (true, false, absent): the form
      // offers the third as a choice of its own, so that a citizen can take an answer back.
      if (w.kind == "yesno" && line != "required") {
        w.text = add_property(w.text, pad(indent + 1) + "unanswered " + quote("No answer") + "\n");
      }
      out.push_back(std::move(w));
    }
    for (const auto& [name, conds] : view.required_when) {
      if (std::none_of(view.properties.begin(), view.properties.end(), [&](const auto& p) { return p.first == name; })) {
        warn("I0106", "'" + name + "' is required under a condition but not described; the form cannot ask for it", pointer);
      }
    }
    return out;
  }

  /// Adds a property line as the first line of an item's braces (opening them when there are none).
  static std::string add_property(const std::string& item, const std::string& line) {
    const auto nl = item.find('\n');
    std::string head = item.substr(0, nl);
    const std::string rest = item.substr(nl + 1);
    if (!head.empty() && head.back() == '{') return head + "\n" + line + rest;
    const std::string indent = item.substr(0, item.find_first_not_of(' '));
    return head + " {\n" + line + indent + "}\n" + rest;
  }

  /// One property as an item; `context` is Whole when it is required (for a block: which
  /// variant of the block), else Optional.
  Written write_property(const std::string& name, const At& raw, int indent, std::size_t depth, Context context) {
    Written w;
    const At at = follow(raw, depth);
    if (!at.schema) return w;
    // Titles and descriptions written beside a $ref describe this use of it.
    const ObjectPtr& s = at.schema;
    w.label = one_line(str(raw.schema, "title"));
    if (w.label.empty()) w.label = label_of(s, name);
    std::string hint = one_line(str(raw.schema, "description"));
    if (hint.empty()) hint = one_line(str(s, "description"));
    if (hint == w.label) hint.clear();
    if (depth > options_.max_depth) {
      warn("I0104", "nested too deeply (over " + std::to_string(options_.max_depth) + " levels); the form leaves it out", at.pointer);
      return w;
    }
    std::string type = type_of(s);
    if (type.empty() && !s->has("properties") && !s->has("items") && !s->has("enum") && !s->has("const")) {
      // A value described only by alternatives of one type (`oneOf: [{type: boolean, enum:
      // [true]}, {type: boolean, enum: [false]}]`): a value of that type.
      if (auto merged = alternatives_of_one_type(raw, at, name)) return write_property(name, *merged, indent, depth, context);
    }
    if (type.empty()) {
      if (s->has("properties")) type = "object";
      else if (s->has("items")) type = "array";
      else if (s->has("enum") || s->has("const")) type = enum_type(s);
      else if (s->has("pattern") || s->has("maxLength") || s->has("minLength") || s->has("format")) type = "string";
      else if (s->has("minimum") || s->has("maximum")) type = "number";
      else if (alternatives_are_objects(s, at.pointer, depth)) type = "object";
    }
    const std::string head_hint = hint.empty() ? "" : pad(indent + 1) + "hint " + quote(hint) + "\n";
    if (type == "object") return write_object(name, at, w, hint, indent, depth, context);
    if (type == "array") return write_array(name, at, w, head_hint, indent, depth);
    if (type == "*" || type.empty()) {
      warn("I0206", type.empty() ? "'" + name + "' takes a value of any type; the form asks for text" : "'" + name + "' takes values of several types; the form asks for text",
           at.pointer, "the language has no field whose type is open");
      type = "string";
    }
    for (const char* k : {"oneOf", "anyOf"}) {
      if (s->has(k)) {
        warn("I0201", std::string("'") + k + "' on a value (alternatives, each with its own rules) cannot be said yet; the form leaves it out",
             at.pointer + "/" + k, "issue 14: alternatives chosen by a field's value");
      }
    }
    if (s->has("not")) warn("I0202", "'not' cannot be said in the language; the form leaves it out", at.pointer + "/not");
    if (s->has("allOf")) warn("I0101", "'allOf' on a value cannot be said yet; the form leaves it out", at.pointer + "/allOf");
    std::string props = head_hint;
    std::string kind;
    if (type == "boolean") {
      kind = "yesno";
      if (only_true(s)) kind = "attest";
    } else if (type == "integer" || type == "number") {
      kind = type == "integer" ? "integer" : "decimal";
      props += numeric(name, s, indent);
      if (s->has("enum") || s->has("const")) props += number_enum(name, s, indent);
    } else if (type == "string") {
      const std::string opts = (s->has("enum") || s->has("const")) ? options(s, at.pointer, indent) : "";
      if (!opts.empty()) {
        kind = "choice";
        props += opts;
      } else {
        if (s->has("enum") || s->has("const")) {
          warn("I0208", "'" + name + "' has no option the form can offer (no non-empty string); the form asks for text", at.pointer);
        }
        const std::string format = str(s, "format");
        kind = "text";
        if (format == "date") kind = "date";
        else if (format == "email") kind = "email";  // with a pattern, the pattern alone decides
        else if (format.empty() && s->has("pattern") && names_an_email(name)) kind = "email";
        else if (format == "uuid") {
          props += pad(indent + 1) + "pattern " +
                   quote("(?:urn:uuid:)?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}") + " " +
                   quote("Enter an identifier such as 123e4567-e89b-12d3-a456-426614174000.") + "\n";
        } else if (!format.empty()) {
          warn("I0207", "format '" + format + "' is not one the language knows; the form leaves it out", at.pointer + "/format");
        }
        if (kind == "date") {
          if (s->has("pattern")) warn("I0207", "a pattern on a date is left out: the date kind takes YYYY-MM-DD, and checks the calendar", at.pointer + "/pattern");
        } else {
          props += lengths(s, indent);
          if (s->has("pattern")) {
            const std::string p = str(s, "pattern");
            props += pad(indent + 1) + "pattern " + quote(whole_match(p)) + " " +
                     quote("Enter " + lower_first(w.label) + " in the form asked for.") + "\n";
          }
        }
      }
    } else {
      warn("I0206", "type '" + type + "' cannot be said in the language; the form leaves it out", at.pointer + "/type");
      return w;
    }
    for (const char* k : {"multipleOf", "contentEncoding", "contentMediaType"}) {
      if (s->has(k)) warn("I0101", std::string("'") + k + "' cannot be said in the language; the form leaves it out", at.pointer + "/" + k);
    }
    if (kind == "attest" && context != Context::Whole) {
      props += pad(indent + 1) + "check " + name + " " + quote("Check the box to agree.") + "\n";
    }
    w.kind = kind;
    count(props.size() + 64);
    w.text = pad(indent) + kind + " " + name + " " + quote(w.label) + (props.empty() ? "\n" : " {\n" + props + pad(indent) + "}\n");
    return w;
  }

  /// Whether schema `s` says nothing beside its alternatives `k` but annotations and a type.
  static bool exact_outside(const ObjectPtr& s, const std::string& k) {
    for (const auto& key : s->getNames()) {
      if (key != k && key != "title" && key != "description" && key != "$comment" && key != "type") return false;
    }
    return true;
  }

  /// The alternatives (oneOf/anyOf) of a value that all give it one type other than object and
  /// list, as one description: the union of their values when each lists them (exactly what
  /// the alternatives allow, so nothing is left out), else what they all agree on (loosest),
  /// with the alternatives' own rules left out (I0201). None when the types differ.
  std::optional<At> alternatives_of_one_type(const At& raw, const At& at, const std::string& name) {
    const ObjectPtr& s = at.schema;
    for (const char* k : {"oneOf", "anyOf"}) {
      if (!s->has(k) || !is_array(s->get(k))) continue;
      const ArrayPtr alts = as_array(s->get(k));
      std::vector<At> branches;
      std::string type;
      bool listed = true, exact = true;
      for (unsigned i = 0; i < alts->size(); ++i) {
        if (!is_object(alts->get(i))) return std::nullopt;
        const At b = follow({as_object(alts->get(i)), at.pointer + "/" + k + "/" + std::to_string(i)}, 0);
        if (!b.schema) return std::nullopt;
        // An alternative of null only, or of "" only, holds for no answer: null is "not sent"
        // and "" is blank in askonce, and a rule never judges a blank answer.
        if (b.schema->has("type") && b.schema->get("type").isString() && b.schema->getValue<std::string>("type") == "null") continue;
        if (const auto v = listed_values(b.schema); v && std::all_of(v->begin(), v->end(), [](const std::string& x) { return x == "\"\""; })) {
          continue;
        }
        std::string t = type_of(b.schema);
        if (t.empty() && (b.schema->has("enum") || b.schema->has("const"))) t = enum_type(b.schema);
        if (t.empty() || t == "*" || t == "object" || t == "array" || (!type.empty() && t != type)) return std::nullopt;
        type = t;
        if (!listed_values(b.schema)) listed = false;
        for (const auto& key : b.schema->getNames()) {
          // `required` on a value is a no-op for JSON Schema (it applies to objects only).
          if (key != "type" && key != "enum" && key != "const" && key != "title" && key != "description" && key != "required" &&
              key != "$comment") {
            exact = false;
          }
        }
        branches.push_back(b);
      }
      if (branches.empty()) return std::nullopt;
      if (!exact_outside(s, k)) exact = false;
      ObjectPtr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const char* key : {"title", "description"}) {
        if (raw.schema && raw.schema->has(key)) out->set(key, raw.schema->get(key));
        else if (s->has(key)) out->set(key, s->get(key));
      }
      if (branches.size() == 1 && exact_outside(s, k)) {
        // One alternative holds for an answer (22-8794's facility code: 8 letters or digits,
        // or ""): its rules are the value's.
        for (const auto& key : branches[0].schema->getNames()) {
          if (key != "title" && key != "description") out->set(key, branches[0].schema->get(key));
        }
        return At{out, branches[0].pointer};
      }
      if (listed) {
        Poco::JSON::Array::Ptr values = new Poco::JSON::Array;
        std::set<std::string> seen;
        for (const auto& b : branches) {
          std::vector<Var> vs;
          if (b.schema->has("const")) vs.push_back(b.schema->get("const"));
          if (b.schema->has("enum") && is_array(b.schema->get("enum"))) {
            for (const auto& v : *as_array(b.schema->get("enum"))) vs.push_back(v);
          }
          for (const auto& v : vs) {
            if (seen.insert(v.toString()).second) values->add(v);
          }
        }
        // Both booleans: any yes/no answer, which a `yesno` says without options.
        if (!(type == "boolean" && values->size() == 2)) out->set("enum", values);
        out->set("type", type);
      } else {
        const At loose = loosest(branches);
        for (const auto& key : loose.schema->getNames()) {
          if (key != "title" && key != "description") out->set(key, loose.schema->get(key));
        }
        if (!out->has("type")) out->set("type", type);
      }
      if (!listed || !exact) {
        warn("I0201", std::string("'") + k + "' on a value (alternatives, each with its own rules) cannot be said yet; the form asks for a value any alternative's type and values allow, without their other rules",
             at.pointer + "/" + k, "issue 14: alternatives chosen by a field's value");
      }
      (void)name;
      return At{out, at.pointer};
    }
    return std::nullopt;
  }

  /// `email`, `homeEmail`, `emailAddress`: a string property that holds an email address. With
  /// the schema's pattern it is an `email` checked by that pattern alone (docs/dsl.md,
  /// "Properties"), so the verdicts are the pattern's and the page gets the email keyboard.
  static bool names_an_email(const std::string& name) {
    std::string n;
    for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return n.ends_with("email") || n.ends_with("emailaddress");
  }

  static std::string lower_first(std::string s) {
    if (s.size() > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
  }

  /// Untyped alternatives (oneOf/anyOf/allOf) whose branches describe objects: an object.
  bool alternatives_are_objects(const ObjectPtr& s, const std::string& pointer, std::size_t depth) {
    for (const char* k : {"oneOf", "anyOf", "allOf"}) {
      if (!s->has(k) || !is_array(s->get(k))) continue;
      const ArrayPtr alts = as_array(s->get(k));
      for (unsigned i = 0; i < alts->size(); ++i) {
        if (!is_object(alts->get(i))) continue;
        const At b = follow({as_object(alts->get(i)), pointer + "/" + k + "/" + std::to_string(i)}, depth + 1);
        if (b.schema && (type_of(b.schema) == "object" || b.schema->has("properties"))) return true;
      }
    }
    return false;
  }

  std::string enum_type(const ObjectPtr& s) {
    std::vector<Var> values;
    if (s->has("const")) values.push_back(s->get("const"));
    if (s->has("enum") && is_array(s->get("enum"))) {
      for (const auto& v : *as_array(s->get("enum"))) values.push_back(v);
    }
    std::string type;
    for (const auto& v : values) {
      const std::string t = v.isString() ? "string" : v.isBoolean() ? "boolean" : v.isInteger() ? "integer" : is_number(v) ? "number" : "*";
      if (!type.empty() && type != t) return "*";
      type = t;
    }
    return type;
  }

  static bool only_true(const ObjectPtr& s) {
    if (s->has("const")) {
      const Var v = s->get("const");
      return v.isBoolean() && v.extract<bool>();
    }
    if (s->has("enum") && is_array(s->get("enum"))) {
      const ArrayPtr e = as_array(s->get("enum"));
      return e->size() == 1 && e->get(0).isBoolean() && e->get(0).extract<bool>();
    }
    return false;
  }

  std::string lengths(const ObjectPtr& s, int indent) {
    std::string out;
    if (s->has("minLength")) out += pad(indent + 1) + "min " + number_text(s->get("minLength")) + "\n";
    if (s->has("maxLength")) out += pad(indent + 1) + "max " + number_text(s->get("maxLength")) + "\n";
    return out;
  }

  std::string numeric(const std::string& name, const ObjectPtr& s, int indent) {
    std::string out;
    const auto bound = [&](const char* key, const char* exclusive, const char* op, const char* word, const char* prop) {
      if (!s->has(key)) return;
      const Var v = s->get(key);
      if (!is_number(v)) return;
      const bool excl = s->has(exclusive) && s->get(exclusive).isBoolean() && s->get(exclusive).extract<bool>();
      if (excl) {
        out += pad(indent + 1) + "check " + name + " " + op + " " + number_text(v) + " " +
               quote(std::string("Enter a number ") + word + " " + number_text(v) + ".") + "\n";
      } else {
        out += pad(indent + 1) + prop + " " + number_text(v) + "\n";
      }
    };
    bound("minimum", "exclusiveMinimum", ">", "more than", "min");
    bound("maximum", "exclusiveMaximum", "<", "less than", "max");
    // draft-06 and later: exclusive bounds are numbers of their own.
    if (s->has("exclusiveMinimum") && is_number(s->get("exclusiveMinimum"))) {
      const std::string v = number_text(s->get("exclusiveMinimum"));
      out += pad(indent + 1) + "check " + name + " > " + v + " " + quote("Enter a number more than " + v + ".") + "\n";
    }
    if (s->has("exclusiveMaximum") && is_number(s->get("exclusiveMaximum"))) {
      const std::string v = number_text(s->get("exclusiveMaximum"));
      out += pad(indent + 1) + "check " + name + " < " + v + " " + quote("Enter a number less than " + v + ".") + "\n";
    }
    return out;
  }

  std::string number_enum(const std::string& name, const ObjectPtr& s, int indent) {
    std::vector<std::string> values;
    if (s->has("const") && is_number(s->get("const"))) values.push_back(number_text(s->get("const")));
    if (s->has("enum") && is_array(s->get("enum"))) {
      for (const auto& v : *as_array(s->get("enum"))) {
        if (is_number(v)) values.push_back(number_text(v));
      }
    }
    if (values.empty()) return {};
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
    return pad(indent + 1) + "check " + name + " in [" + list + "] " + quote("Enter one of " + list + ".") + "\n";
  }

  /// A choice's options: enum (with enumNames as labels) or const.
  std::string options(const ObjectPtr& s, const std::string& pointer, int indent) {
    std::vector<std::string> values;
    if (s->has("const") && s->get("const").isString()) values.push_back(s->get("const").extract<std::string>());
    if (s->has("enum") && is_array(s->get("enum"))) {
      for (const auto& v : *as_array(s->get("enum"))) {
        if (v.isString()) values.push_back(v.extract<std::string>());
      }
    }
    std::vector<std::string> labels;
    if (s->has("enumNames") && is_array(s->get("enumNames"))) {
      for (const auto& v : *as_array(s->get("enumNames"))) labels.push_back(v.isString() ? one_line(v.extract<std::string>()) : "");
    }
    for (const char* k : {"pattern", "minLength", "maxLength", "format"}) {
      if (s->has(k)) warn("I0208", std::string("'") + k + "' beside 'enum' is left out: the options decide", pointer + "/" + k);
    }
    std::string out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string& v = values[i];
      if (v.empty()) {
        warn("I0208", "the empty string is an option of the schema; an empty answer is no answer in the form", pointer + "/enum");
        continue;
      }
      if (!seen.insert(v).second) continue;
      std::string label = i < labels.size() && !labels[i].empty() ? labels[i] : one_line(v);
      if (label.empty()) label = v;
      out += pad(indent + 1) + "option " + quote(v) + " " + quote(label) + "\n";
    }
    return out;
  }

  /// A `member` line: the property by its JSON name and type, with no question, and a
  /// comment that says why (docs/dsl.md, "Members without a question").
  Written member(const std::string& name, const std::string& type, const std::string& why, int indent) {
    Written w;
    w.kind = "member";
    w.text = pad(indent) + "// " + why + "\n" + pad(indent) + "member " + quote(name) + " " + type + "\n";
    count(w.text.size());
    return w;
  }

  /// Whether `name` can name a member (docs/dsl.md: no '.', '[', ']' or control character,
  /// 1 to 256 bytes; S0108).
  static bool member_name(const std::string& name) {
    if (name.empty() || name.size() > 256 || name.find_first_of(".[]") != std::string::npos) return false;
    return std::none_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  }

  /// The property as an `object` member when its schema is an object with no properties
  /// described; nothing otherwise.
  Written empty_object_member(const std::string& name, const At& raw, int indent, std::size_t depth) {
    const At at = follow(raw, depth);
    if (!at.schema || depth > options_.max_depth) return {};
    std::string type = type_of(at.schema);
    if (type.empty() && at.schema->has("properties")) type = "object";
    if (type != "object" || !view_of(at, depth + 1).properties.empty()) return {};
    return member(name, "object", "no question: an empty object in the schema (text the agency's pages show), passed on as sent",
                  indent);
  }

  /// The property as a member of its type when its schema is a string, number, integer or
  /// boolean with no rule but its type (nothing is lost), with warning I0102: no question asks
  /// it. Nothing otherwise.
  Written bare_value_member(const std::string& name, const At& raw, int indent, std::size_t depth) {
    const At at = follow(raw, depth);
    if (!at.schema || depth > options_.max_depth || !at.schema->has("type") || !at.schema->get("type").isString()) return {};
    const std::string type = type_of(at.schema);
    if (type != "string" && type != "number" && type != "integer" && type != "boolean") return {};
    static const std::set<std::string> plain = {"type", "title", "description", "$comment", "examples", "example", "default"};
    for (const auto& k : at.schema->getNames()) {
      if (plain.count(k) == 0) return {};
    }
    for (const auto& k : raw.schema->getNames()) {
      if (plain.count(k) == 0 && k != "$ref") return {};
    }
    warn("I0102", "'" + name + "' is not a name the language allows (letters, digits and _, not a reserved word); the form takes it as a member (" +
                      type + ") from JSON clients, and no page asks it",
         raw.pointer);
    return member(name, type, "no question: the name is not a name of the language; a " + type + " with no rule, passed on as sent",
                  indent);
  }

  Written write_object(const std::string& name, const At& at, Written w, const std::string& hint, int indent,
                       std::size_t depth, Context context) {
    const ObjectView view = view_of(at, depth + 1);
    if (view.properties.empty()) {
      // Any object, as JSON Schema takes it when no property is described: a member.
      return member(name, "object", "no question: an object whose properties the schema does not describe, passed on as sent",
                    indent);
    }
    // Required but possibly null, which askonce reads as not sent: its members are required
    // only when it is given.
    if (view.nullable) context = Context::Optional;
    const std::string block = block_for(at, view, depth, context, name);
    if (block.empty()) return w;
    w.is_group = true;
    w.kind = "use";
    // A `use` has no label or hint of its own (its block's fields carry theirs): the schema's
    // description of the object is kept as a comment beside it.
    w.text = (hint.empty() ? "" : pad(indent) + "// " + hint + "\n") + pad(indent) + "use " + block + " as " + name + "\n";
    return w;
  }

  /// The block for an object schema in a context, written once per (schema, context).
  std::string block_for(const At& at, const ObjectView& view, std::size_t depth, Context context, const std::string& name) {
    const std::string key = at.pointer + (context == Context::Whole ? "#whole" : "#optional");
    const auto found = block_names_.find(key);
    if (found != block_names_.end()) return found->second;
    if (in_progress_.count(key) != 0) {
      warn("I0104", "'" + name + "' contains itself; the language has no recursive blocks, so the form leaves it out", at.pointer);
      return {};
    }
    std::string base;
    const auto slash = at.pointer.rfind('/');
    const bool from_definitions = at.pointer.starts_with("/definitions/") || at.pointer.starts_with("/$defs/");
    base = to_name(from_definitions ? at.pointer.substr(slash + 1) : name, "form_");
    if (context == Context::Optional) base += "_optional";
    std::string block = base;
    for (int n = 2; !block_names_used_.insert(block).second; ++n) block = base + "_" + std::to_string(n);
    in_progress_.insert(key);
    std::set<std::string> names;
    const auto members = write_members(view, at.pointer, context, 1, depth + 1, names);
    in_progress_.erase(key);
    std::string body;
    for (const auto& m : members) body += m.text;
    if (body.empty()) {
      warn("I0209", "'" + name + "' has no property the form can ask for; the form leaves it out", at.pointer);
      block_names_[key] = "";
      return {};
    }
    blocks_.push_back("block " + block + " {\n" + body + "}\n");
    block_names_[key] = block;
    return block;
  }

  Written write_array(const std::string& name, const At& at, Written w, const std::string& head_hint, int indent,
                      std::size_t depth) {
    const ObjectPtr& s = at.schema;
    if (!s->has("items") || !is_object(s->get("items"))) {
      if (s->has("items") || list_rules(s, nullptr)) {
        warn("I0210", "'" + name + "' is a list whose items are a tuple, or with counts; the form takes any list, as a member, without them",
             at.pointer);
      }
      return member(name, "array", "no question: a list whose items the schema does not describe, passed on as sent", indent);
    }
    const At items = follow({as_object(s->get("items")), at.pointer + "/items"}, depth + 1);
    if (!items.schema) return w;
    for (const char* k : {"contains", "minContains", "maxContains", "additionalItems", "prefixItems", "unevaluatedItems"}) {
      if (s->has(k)) warn("I0101", std::string("'") + k + "' cannot be said in the language; the form leaves it out", at.pointer + "/" + k);
    }
    std::string counts;
    if (s->has("minItems")) counts += pad(indent + 1) + "min " + number_text(s->get("minItems")) + "\n";
    if (s->has("maxItems")) counts += pad(indent + 1) + "max " + number_text(s->get("maxItems")) + "\n";
    std::string itype = type_of(items.schema);
    if (itype.empty() && items.schema->has("properties")) itype = "object";
    if (itype.empty() && (items.schema->has("enum") || items.schema->has("const"))) itype = enum_type(items.schema);
    if (itype.empty() && alternatives_are_objects(items.schema, items.pointer, depth)) itype = "object";
    if (itype == "object") {
      if (s->has("uniqueItems") && s->get("uniqueItems").isBoolean() && s->get("uniqueItems").extract<bool>()) {
        warn("I0101", "'uniqueItems' on a list of objects cannot be said in the language; the form leaves it out", at.pointer + "/uniqueItems");
      }
      const ObjectView view = view_of(items, depth + 1);
      if (view.properties.empty()) {
        if (list_rules(s, nullptr)) {
          warn("I0210", "'" + name + "' is a list with counts; the form takes it as a member, without them", at.pointer);
        }
        return member(name, "array of object",
                      "no question: a list of objects whose properties the schema does not describe, passed on as sent", indent);
      }
      std::set<std::string> names;
      const auto members = write_members(view, items.pointer, Context::Whole, indent + 1, depth + 1, names);
      std::string body;
      for (const auto& m : members) body += m.text;
      if (body.empty()) return w;
      count(body.size());
      w.is_group = true;
      w.is_repeat = true;
      w.kind = "repeat";
      w.text = pad(indent) + "repeat " + name + " " + quote(w.label) + " {\n" + head_hint + counts + body + pad(indent) + "}\n";
      return w;
    }
    if (itype == "string" && (items.schema->has("enum") || items.schema->has("const"))) {
      const std::string opts = options(items.schema, items.pointer, indent);
      if (opts.empty()) {
        warn("I0210", "'" + name + "' is a list of options with none the form can offer; the form leaves it out", at.pointer);
        return w;
      }
      w.kind = "choices";
      w.text = pad(indent) + "choices " + name + " " + quote(w.label) + " {\n" + head_hint + counts + opts + pad(indent) + "}\n";
      return w;
    }
    // A list the form cannot ask for (of free text, of numbers): a member of that type, which
    // keeps the items' type and leaves their other rules out, said in a warning.
    const bool typed = itype == "string" || itype == "number" || itype == "integer" || itype == "boolean";
    if (!typed && !itype.empty()) {
      warn("I0210", "'" + name + "' is a list of " + itype + "s; the language has lists of groups (repeat) and of options (choices) only, so the form leaves it out",
           at.pointer + "/items");
      return w;
    }
    const std::string what = typed ? itype + "s" : std::string("values");
    if (list_rules(s, items.schema)) {
      warn("I0210", "'" + name + "' is a list of " + what +
                        "; the form takes it as a member without the rules of the list and its items (only their type)",
           at.pointer + "/items");
    }
    (void)w;
    return member(name, typed ? "array of " + itype : std::string("array"),
                  "no question: a list of " + what + " the form cannot ask for, passed on as sent", indent);
  }

  /// Whether a list (or its items' schema) has rules beyond its type that a member leaves out.
  bool list_rules(const ObjectPtr& list, const ObjectPtr& items) const {
    for (const char* k : {"minItems", "maxItems", "uniqueItems", "contains"}) {
      if (list->has(k)) return true;
    }
    if (!items) return false;
    static const std::set<std::string> plain = {"type", "title", "description", "$comment", "examples", "example", "default"};
    const std::vector<std::string> names = items->getNames();
    return std::any_of(names.begin(), names.end(), [&](const std::string& k) { return plain.count(k) == 0; });
  }

  std::string path_;
  const std::string& text_;
  JsonSchemaOptions options_;
  ObjectPtr root_;
  std::unique_ptr<Locator> locator_;
  std::vector<Diagnostic> diags_;
  std::set<std::string> warned_;
  std::vector<std::string> listed_;
  std::vector<std::string> blocks_;
  std::map<std::string, std::string> block_names_;
  std::set<std::string> block_names_used_;
  std::set<std::string> in_progress_;
  std::size_t written_ = 0;
};

}  // namespace

ImportResult import_json_schema(const std::string& path, const std::string& text, const JsonSchemaOptions& options) {
  try {
    return Importer(path, text, options).run();
  } catch (const std::exception& e) {
    ImportResult r;
    r.source = {path, text};
    r.diagnostics.push_back({Severity::Error, "I0000", std::string("internal importer error: ") + e.what(), {}, {}});
    return r;
  }
}

}  // namespace askonce::dsl::import
