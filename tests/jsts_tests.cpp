// tests/jsts_tests.cpp: the JSON Schema Test Suite, on the keywords that mean the same as one of
// askonce's field rules, through the engine.
//
// For every case of ../shared/corpus/json-schema-test-suite whose keyword is one of ours
// (required, minLength/maxLength, pattern, enum, minimum/maximum and their exclusive variants,
// the date and email formats), the schema is translated into a small askonce form and the
// instance into a submission of it:
//   * a schema on a value  -> a form with one field `v`, the instance sent as {"v": instance};
//   * an object schema      -> one field per property (and per name the instance uses: the
//     suite's schemas let unknown properties through), `required` for each required one.
// A value schema becomes a field of the kind that holds what it constrains: minLength,
// maxLength and pattern a `text` (`longtext` for a value with a line break), format "email" an
// `email`, format "date" a `date`, minimum and maximum a `decimal` (`integer` for
// "type": "integer") with `min`/`max`, the exclusive bounds a `check v > N`, an enum of strings
// a `choice`, an enum of numbers a `decimal` with `check v in [...]`, an enum of booleans a
// `yesno` with `check v == ...`. A schema with no keyword of ours ({}) takes the kind of the
// value sent. A JSON Schema `pattern` searches the string, and askonce's must match the whole
// value, so P is written `[\s\S]*(?:P)[\s\S]*`.
//
// Each case must agree with the suite's verdict, or be listed in tests/jsts/not_applicable.tsv
// (file, "group / test" description, reason). The test fails on a listed case that now agrees
// (remove it) and on a row that names no case. Run with JSTS_PRINT_MISSING=1 to print the rows
// missing from the table, with the translator's reason or the engine's verdict.
#define BOOST_TEST_MODULE jsts_tests
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
namespace e = askonce::engine;

namespace {

const fs::path suite = "../shared/corpus/json-schema-test-suite";
const fs::path table = "tests/jsts/not_applicable.tsv";

// ---- a JSON reader that keeps each value's source text ---------------------------------------

struct J {
  enum class T { Null, Bool, Number, String, Array, Object } t = T::Null;
  std::string raw;  // the value exactly as written in the file
  std::string s;    // a string's value, decoded to UTF-8
  bool b = false;
  std::vector<J> items;
  std::vector<std::pair<std::string, J>> members;

  const J* get(std::string_view key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}
  J document() {
    J v = value();
    ws();
    if (i_ != s_.size()) fail();
    return v;
  }

 private:
  [[noreturn]] void fail() { throw std::runtime_error("bad JSON at byte " + std::to_string(i_)); }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  char peek() {
    ws();
    if (i_ >= s_.size()) fail();
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c) fail();
    ++i_;
  }
  static void put(std::string& out, char32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  char32_t hex4() {
    if (i_ + 4 > s_.size()) fail();
    char32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<char32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<char32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<char32_t>(c - 'A' + 10);
      else fail();
    }
    return v;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail();
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      const char x = s_[i_++];
      switch (x) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          char32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            const char32_t lo = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put(out, cp);
          break;
        }
        default: fail();
      }
    }
  }
  J value() {
    J v;
    const char c = peek();
    const std::size_t start = i_;
    if (c == '{') {
      v.t = J::T::Object;
      ++i_;
      if (peek() == '}') {
        ++i_;
      } else {
        while (true) {
          std::string k = string();
          expect(':');
          v.members.emplace_back(std::move(k), value());
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect('}');
          break;
        }
      }
    } else if (c == '[') {
      v.t = J::T::Array;
      ++i_;
      if (peek() == ']') {
        ++i_;
      } else {
        while (true) {
          v.items.push_back(value());
          if (peek() == ',') {
            ++i_;
            continue;
          }
          expect(']');
          break;
        }
      }
    } else if (c == '"') {
      v.t = J::T::String;
      v.s = string();
    } else if (s_.substr(i_, 4) == "true") {
      v.t = J::T::Bool;
      v.b = true;
      i_ += 4;
    } else if (s_.substr(i_, 5) == "false") {
      v.t = J::T::Bool;
      i_ += 5;
    } else if (s_.substr(i_, 4) == "null") {
      i_ += 4;
    } else {
      v.t = J::T::Number;
      while (i_ < s_.size() && std::string_view("+-0123456789.eE").find(s_[i_]) != std::string_view::npos) ++i_;
      if (i_ == start) fail();
    }
    v.raw = std::string(s_.substr(start, i_ - start));
    return v;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// ---- the cases --------------------------------------------------------------------------------

struct Case {
  std::string file;         // relative to the suite: "draft2020-12/maxLength.json"
  std::string description;  // "group / test"
  const J* schema = nullptr;
  const J* data = nullptr;
  bool valid = false;
};

/// Files whose every group is about one of our keywords.
const std::vector<std::string> keyword_files = {
    "required.json", "minLength.json", "maxLength.json", "pattern.json", "enum.json",
    "minimum.json",  "maximum.json",   "exclusiveMinimum.json", "exclusiveMaximum.json",
};
/// Files with some groups about one of our keywords (the others are out of scope).
const std::vector<std::string> mixed_files = {
    "format.json", "optional/format/date.json", "optional/format/email.json",
    "optional/ecmascript-regex.json", "optional/non-bmp-regex.json", "optional/bignum.json",
};

bool about_our_keywords(const J& schema) {
  if (schema.t != J::T::Object) return false;
  for (const char* k : {"required", "minLength", "maxLength", "pattern", "enum", "minimum", "maximum",
                        "exclusiveMinimum", "exclusiveMaximum"}) {
    if (schema.get(k)) return true;
  }
  if (const J* f = schema.get("format"); f && f->t == J::T::String && (f->s == "date" || f->s == "email")) return true;
  return false;
}

// ---- schema -> form ---------------------------------------------------------------------------

struct Translation {
  std::string form;
  std::string submission;
  std::string reason;  // not empty: the case cannot be said in askonce, and why
};

/// A DSL string literal.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%X}", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

bool is_name(std::string_view n) {
  static const std::set<std::string_view> reserved = {"and", "or", "not", "in", "true", "false", "if", "as"};
  if (n.empty() || reserved.contains(n)) return false;
  if (!(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_')) return false;
  for (char c : n) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

/// A JSON number as a DSL number (exact, without exponent), or nothing past askonce's range.
std::optional<std::string> number_literal(const J& n) {
  const auto d = e::Decimal::parse(n.raw, true);
  if (!d) return std::nullopt;
  return d->to_string();
}

const char* type_name(const J* v) {
  if (!v) return "absent";
  switch (v->t) {
    case J::T::Null: return "null";
    case J::T::Bool: return "a boolean";
    case J::T::Number: return "a number";
    case J::T::String: return "a string";
    case J::T::Array: return "an array";
    case J::T::Object: return "an object";
  }
  return "";
}

/// The field declaration for a value schema; `value` is what the instance sends (or null).
/// Sets `reason` when it cannot be said.
std::string field_for(const std::string& name, const J& schema, const J* value, bool required, std::string& reason) {
  static const std::set<std::string> ours = {"$schema", "$comment", "type", "minLength", "maxLength", "pattern",
                                             "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                             "format"};
  if (schema.t != J::T::Object) {
    reason = "a boolean schema: askonce has no field rule that accepts or refuses everything";
    return {};
  }
  for (const auto& [k, v] : schema.members) {
    if (!ours.contains(k)) {
      reason = "keyword " + k + ": not one of askonce's field rules";
      return {};
    }
  }
  const J* type = schema.get("type");
  const std::string type_s = type && type->t == J::T::String ? type->s : "";
  if (type && type->t != J::T::String) {
    reason = "a union of types: an askonce field has one type";
    return {};
  }
  const J* min_len = schema.get("minLength");
  const J* max_len = schema.get("maxLength");
  const J* pattern = schema.get("pattern");
  const J* enumv = schema.get("enum");
  const J* minimum = schema.get("minimum");
  const J* maximum = schema.get("maximum");
  const J* xmin = schema.get("exclusiveMinimum");
  const J* xmax = schema.get("exclusiveMaximum");
  const J* format = schema.get("format");
  const std::string format_s = format && format->t == J::T::String ? format->s : "";
  if (format && format_s != "date" && format_s != "email") {
    reason = "format " + format_s + ": not an askonce kind";
    return {};
  }

  std::string kind, props;
  const auto number = [&](const J* n) -> std::string {
    if (!n || n->t != J::T::Number) return {};
    auto lit = number_literal(*n);
    if (!lit) reason = "the bound " + n->raw + " has more than 36 significant digits (askonce's exact decimals)";
    return lit.value_or("");
  };

  if (enumv) {
    if (enumv->items.empty()) {
      reason = "an empty enum refuses every value; a choice must have at least one option";
      return {};
    }
    const J::T t = enumv->items[0].t;
    for (const auto& item : enumv->items) {
      if (item.t != t || (t != J::T::String && t != J::T::Number && t != J::T::Bool)) {
        reason = "an enum of mixed JSON types, arrays, objects or null: an askonce field holds one type of value";
        return {};
      }
    }
    if (t == J::T::String) {
      kind = "choice";
      for (const auto& item : enumv->items) {
        for (unsigned char c : item.s) {
          if (c < 0x20 || c == 0x7F) {
            reason = "an option with a line break or control character: a choice's value is one line of text "
                     "(askonce refuses control characters and line breaks in a one-line answer; forms/README.md gap 6)";
            return {};
          }
        }
        props += " option " + quote(item.s) + " " + quote(item.s);
      }
    } else if (t == J::T::Number) {
      kind = type_s == "integer" ? "integer" : "decimal";
      std::string list;
      for (const auto& item : enumv->items) {
        const std::string lit = number(&item);
        if (lit.empty()) return {};
        list += (list.empty() ? "" : ", ") + lit;
      }
      props += " check " + name + " in [" + list + "] \"Not one of the values.\"";
    } else {
      kind = "yesno";
      bool yes = false, no = false;
      for (const auto& item : enumv->items) (item.b ? yes : no) = true;
      if (yes != no) props += std::string(" check ") + name + " == " + (yes ? "true" : "false") + " \"Not the value.\"";
    }
  } else if (type_s == "integer" || type_s == "number" || minimum || maximum || xmin || xmax) {
    if (!type_s.empty() && type_s != "integer" && type_s != "number") {
      reason = "type " + type_s + " with numeric bounds";
      return {};
    }
    kind = type_s == "integer" ? "integer" : "decimal";
    if (!value || value->t != J::T::Number) {
      reason = std::string("the case checks that the numeric bounds ignore ") + type_name(value) +
               "; askonce's number fields take JSON numbers only";
      return {};
    }
    const std::string lo = number(minimum), hi = number(maximum);
    if (!reason.empty()) return {};
    // draft-04: exclusiveMinimum/exclusiveMaximum are booleans that make minimum/maximum strict.
    const bool strict_lo = xmin && xmin->t == J::T::Bool && xmin->b;
    const bool strict_hi = xmax && xmax->t == J::T::Bool && xmax->b;
    if (!lo.empty()) props += strict_lo ? " check " + name + " > " + lo + " \"Too small.\"" : " min " + lo;
    if (!hi.empty()) props += strict_hi ? " check " + name + " < " + hi + " \"Too large.\"" : " max " + hi;
    if (xmin && xmin->t == J::T::Number) {
      const std::string x = number(xmin);
      if (x.empty()) return {};
      props += " check " + name + " > " + x + " \"Too small.\"";
    }
    if (xmax && xmax->t == J::T::Number) {
      const std::string x = number(xmax);
      if (x.empty()) return {};
      props += " check " + name + " < " + x + " \"Too large.\"";
    }
  } else if (type_s == "string" || min_len || max_len || pattern || format) {
    if (!type_s.empty() && type_s != "string") {
      reason = "type " + type_s + " with string keywords";
      return {};
    }
    if (!value || value->t != J::T::String) {
      const std::string what = format ? "format " + format_s : min_len ? "minLength" : max_len ? "maxLength" : pattern ? "pattern" : "type string";
      reason = "the case checks that " + what + " ignores " + type_name(value) +
               "; askonce's text, email and date fields take JSON strings only";
      if (type_s == "string") reason = "the case checks that a non-string is refused by type: not a field rule of ours";
      return {};
    }
    if (format_s == "date") kind = "date";
    else if (format_s == "email") kind = "email";
    else kind = value->s.find_first_of("\n\r") == std::string::npos ? "text" : "longtext";
    const auto count = [&](const J* n, const char* word) {
      if (!n) return;
      const std::string lit = number(n);
      if (!lit.empty()) props += std::string(" ") + word + " " + lit;
    };
    count(min_len, "min");
    count(max_len, "max");
    if (pattern) props += " pattern " + quote("[\\s\\S]*(?:" + pattern->s + ")[\\s\\S]*") + " \"Does not match.\"";
  } else {
    // No keyword of ours: any value; the field takes the kind of what is sent.
    if (!value || value->t == J::T::Null || value->t == J::T::String) {
      kind = value && value->t == J::T::String && value->s.find_first_of("\n\r") != std::string::npos ? "longtext" : "text";
    } else if (value->t == J::T::Number) {
      kind = "decimal";
    } else if (value->t == J::T::Bool) {
      kind = "yesno";
    } else {
      reason = std::string("the value is ") + type_name(value) +
               ": an askonce answer is a value, and a block is required through its parts";
      return {};
    }
  }
  if (required) props += " required";
  return "    " + kind + " " + name + " " + quote(name) + " {" + props + " }\n";
}

std::string form_of(const std::string& fields) {
  return "form jsts {\n  title \"JSON Schema Test Suite case\"\n  version 1\n  languages en\n"
         "  section s \"Case\" {\n" + fields + "  }\n}\n";
}

Translation translate(const J& schema, const J& data) {
  Translation t;
  const bool object_schema = schema.t == J::T::Object &&
                             (schema.get("required") || schema.get("properties") ||
                              (schema.get("type") && schema.get("type")->raw == "\"object\""));
  if (!object_schema) {
    std::string fields = field_for("v", schema, &data, false, t.reason);
    if (!t.reason.empty()) return t;
    t.form = form_of(fields);
    t.submission = "{\"v\": " + data.raw + "}";
    return t;
  }
  for (const auto& [k, v] : schema.members) {
    if (k != "$schema" && k != "$comment" && k != "type" && k != "properties" && k != "required") {
      t.reason = "keyword " + k + ": not one of askonce's field rules";
      return t;
    }
  }
  if (data.t != J::T::Object) {
    t.reason = std::string("the case checks that an object schema ignores ") + type_name(&data) +
               "; a submission is always a JSON object";
    return t;
  }
  // Every name: the properties, the required ones, and those the instance sends (the suite's
  // schemas let unknown properties through; askonce reports names a form does not have).
  std::vector<std::string> names;
  const auto add = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  static const J empty_schema = [] { J j; j.t = J::T::Object; return j; }();
  const J* props = schema.get("properties");
  if (props) for (const auto& [k, v] : props->members) add(k);
  std::set<std::string> required;
  if (const J* r = schema.get("required")) {
    for (const auto& item : r->items) {
      add(item.s);
      required.insert(item.s);
    }
  }
  for (const auto& [k, v] : data.members) add(k);
  std::string fields;
  for (const auto& n : names) {
    if (!is_name(n)) {
      t.reason = "the property name " + quote(n) + " is not an askonce field name (letters, digits and _)";
      return t;
    }
    const J* sub = props ? props->get(n) : nullptr;
    fields += field_for(n, sub ? *sub : empty_schema, data.get(n), required.contains(n), t.reason);
    if (!t.reason.empty()) return t;
  }
  t.form = form_of(fields);
  t.submission = data.raw;
  return t;
}

// ---- the table of cases that do not apply ---------------------------------------------------

std::map<std::string, std::string> read_table() {
  std::map<std::string, std::string> out;
  std::istringstream in(askonce::test::read(table));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto a = line.find('\t');
    const auto b = line.find('\t', a + 1);
    BOOST_TEST_REQUIRE((a != std::string::npos && b != std::string::npos), "bad row in " << table << ": " << line);
    const std::string key = line.substr(0, b);
    BOOST_TEST(!out.contains(key), "listed twice: " << key);
    out[key] = line.substr(b + 1);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_suite_agrees_or_the_case_is_documented) {
  BOOST_TEST_REQUIRE(fs::is_directory(suite), suite << " is missing");
  // Keep the documents alive: cases point into them.
  std::vector<std::unique_ptr<J>> documents;
  std::vector<Case> cases;
  std::size_t out_of_scope = 0;
  for (const char* draft : {"draft4", "draft7", "draft2020-12"}) {
    std::vector<std::pair<std::string, bool>> files;
    for (const auto& f : keyword_files) files.emplace_back(f, true);
    for (const auto& f : mixed_files) files.emplace_back(f, false);
    for (const auto& [f, all] : files) {
      const fs::path p = suite / draft / f;
      if (!fs::exists(p)) continue;
      documents.push_back(std::make_unique<J>(Reader(askonce::test::read(p)).document()));
      const std::string rel = std::string(draft) + "/" + f;
      std::set<std::string> seen;
      for (const J& group : documents.back()->items) {
        const J& schema = *group.get("schema");
        const bool in_scope = all || about_our_keywords(schema);
        for (const J& test : group.get("tests")->items) {
          if (!in_scope) {
            ++out_of_scope;
            continue;
          }
          Case c{rel, group.get("description")->s + " / " + test.get("description")->s, &schema, test.get("data"),
                 test.get("valid")->b};
          BOOST_TEST_REQUIRE(seen.insert(c.description).second, rel << ": two cases named " << c.description);
          cases.push_back(std::move(c));
        }
      }
    }
  }
  BOOST_TEST(cases.size() >= 500u);

  const auto listed = read_table();
  std::set<std::string> used;
  const bool print_missing = std::getenv("JSTS_PRINT_MISSING") != nullptr;
  const auto context = e::Context::on(askonce::model::Date{2024, 5, 1}, "en", "api");
  std::size_t agreed = 0, not_applicable = 0;
  std::map<std::string, std::size_t> by_reason;
  for (const Case& c : cases) {
    const std::string key = c.file + "\t" + c.description;
    const auto row = listed.find(key);
    if (row != listed.end()) used.insert(key);
    const Translation t = translate(*c.schema, *c.data);
    std::string verdict;  // empty: agrees
    if (t.reason.empty()) {
      auto r = askonce::dsl::compile_text("forms/jsts.form", t.form);
      if (!r.form) {
        verdict = "the compiler refuses the translated form: " + askonce::test::first_lines(r).front();
      } else if (const e::Plan plan(std::move(*r.form)); !plan.diagnostics().empty()) {
        verdict = "the plan warns: " + plan.diagnostics().front().message;
      } else {
        const auto result = e::validate_json(plan, t.submission, context);
        if (result.ok() != c.valid) {
          verdict = std::string("askonce says ") + (result.ok() ? "valid" : "invalid: " + e::format_errors(result.errors)) +
                    ", the suite " + (c.valid ? "valid" : "invalid");
          while (!verdict.empty() && verdict.back() == '\n') verdict.pop_back();
        }
      }
    }
    if (t.reason.empty() && verdict.empty()) {
      if (row != listed.end()) BOOST_ERROR(key << ": listed in " << table << ", but askonce agrees with the suite: remove it");
      ++agreed;
      continue;
    }
    if (row != listed.end()) {
      ++not_applicable;
      ++by_reason[row->second];
      continue;
    }
    const std::string why = t.reason.empty() ? verdict : t.reason;
    if (print_missing) std::cout << key << "\t" << why << "\n";
    BOOST_ERROR(key << ": " << why << (t.reason.empty() ? "\n" + t.form + t.submission : ""));
  }
  for (const auto& [key, reason] : listed) {
    if (!used.contains(key)) BOOST_ERROR(table << " names no case of the suite: " << key);
  }
  BOOST_TEST_MESSAGE("JSON Schema Test Suite: " << cases.size() << " cases on our keywords, " << agreed
                     << " agreed, " << not_applicable << " not applicable; " << out_of_scope
                     << " cases of the same files are about other keywords");
  for (const auto& [reason, n] : by_reason) BOOST_TEST_MESSAGE("  " << n << "\t" << reason);
  BOOST_TEST(agreed + not_applicable == cases.size());
}
