// dsl/import/xform.cpp: an ODK XForm (as XLSForm writes it) written as a .form text.
//
// The document is read with libxml2, with no network, no DTD and no entity expansion (a
// DOCTYPE is refused outright), under a size and a nesting limit. Then:
//   the primary instance   -> the form's names and nesting: a top-level group is a section, a
//                             group inside it adds its `relevant` to its members, a repeat
//                             (jr:template, or a body <repeat>) is a `repeat`
//   binds                  -> type (kind), required, relevant (`show if`), constraint with
//                             jr:constraintMsg (`check`; `regex(., P)` is a `pattern`, regex() elsewhere `matches()`),
//                             calculate (`computed`), readonly input without calculate (`note`)
//   body controls          -> labels, hints, options (inline <item>s and itemsets over
//                             secondary instances); <trigger> is an `attest`
//   itext translations     -> the form's languages, the default one first
//   XPath                  -> the language's expressions (XPathReader below)
// Everything else is a warning (I03xx) at its line, listed again at the top of the text.
#include "dsl/import/xform.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dsl/import/form_text.hpp"
#include "engine/plan.hpp"

namespace askonce::dsl::import {

namespace {

constexpr const char* jr_ns = "http://openrosa.org/javarosa";

// ---------------------------------------------------------------------------------------------
// Words for what the XForm does not label (strings and names: form_text.hpp).

/// "household_size" -> "Household size": a label for what the XForm does not label.
std::string humanize(std::string_view name) {
  std::string out;
  for (char c : name) out += (c == '_' || c == '-' || c == '.') ? ' ' : c;
  out = one_line(out);
  if (out.empty()) return "Answer";
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent) * 2, ' '); }

std::string local_name(const xmlNode* n) { return n && n->name ? reinterpret_cast<const char*>(n->name) : ""; }

std::string attr(const xmlNode* n, const char* name, const char* ns = nullptr) {
  xmlChar* v = ns ? xmlGetNsProp(n, BAD_CAST name, BAD_CAST ns) : xmlGetNoNsProp(n, BAD_CAST name);
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool has_attr(const xmlNode* n, const char* name, const char* ns = nullptr) {
  return (ns ? xmlHasNsProp(n, BAD_CAST name, BAD_CAST ns) : xmlHasNsProp(n, BAD_CAST name, nullptr)) != nullptr;
}

std::vector<xmlNode*> elements(const xmlNode* n) {
  std::vector<xmlNode*> out;
  if (!n) return out;
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

xmlNode* child(const xmlNode* n, std::string_view name) {
  for (xmlNode* c : elements(n)) {
    if (local_name(c) == name) return c;
  }
  return nullptr;
}

std::string content(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

std::string trim(std::string s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && ws(s[i])) ++i;
  return s.substr(i);
}

/// `jr:itext('id')` -> "id"; anything else -> nullopt.
std::optional<std::string> itext_id(const std::string& ref) {
  const std::string t = trim(ref);
  if (!t.starts_with("jr:itext(") || t.back() != ')') return std::nullopt;
  std::string inner = trim(t.substr(9, t.size() - 10));
  if (inner.size() >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner.back() == inner[0]) {
    return inner.substr(1, inner.size() - 2);
  }
  return std::nullopt;
}

/// A language's code from an itext language name: "English (en)" -> "en", "Español" -> "es".
std::optional<std::string> language_code(const std::string& name) {
  const auto open = name.rfind('(');
  const auto close = name.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open + 1) {
    std::string code = trim(name.substr(open + 1, close - open - 1));
    const bool ok = (code.size() == 2 || code.size() == 3) &&
                    std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (ok) return code;
  }
  static const std::map<std::string, std::string> names{
      {"english", "en"}, {"spanish", "es"}, {"español", "es"}, {"espanol", "es"}, {"french", "fr"},
      {"français", "fr"}, {"portuguese", "pt"}, {"português", "pt"}, {"german", "de"}, {"deutsch", "de"},
      {"italian", "it"}, {"chinese", "zh"}, {"vietnamese", "vi"}, {"arabic", "ar"}, {"russian", "ru"},
      {"swahili", "sw"}, {"hindi", "hi"}, {"korean", "ko"}, {"tagalog", "tl"}, {"haitian creole", "ht"}};
  std::string lower;
  for (char c : trim(open == std::string::npos ? name : name.substr(0, open))) {
    lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const auto it = names.find(lower);
  if (it != names.end()) return it->second;
  if ((lower.size() == 2 || lower.size() == 3) && std::all_of(lower.begin(), lower.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return lower;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The instance, as the importer needs it.

enum class Type { Bool, Number, Text, Choice, Set, Date, List, Unknown };

/// One element of the primary instance.
struct Node {
  std::string path;       // "/data/household/person_name"
  std::string xml_name;   // "person_name"
  std::string name;       // the form's name for it (to_name, and unique in its scope)
  xmlNode* element = nullptr;
  bool repeat = false;
  bool group = false;     // has element children (and is not a repeat)
  std::vector<Node> children;
};

/// What an expression needs to know of a field.
struct FieldInfo {
  Type type = Type::Unknown;
  std::string repeat;     // the path of the repeat the field is in; "" when none
  std::string outer;      // the name outside its repeat: "name", or for a repeat member "rep.name"
  std::string short_name; // the name inside its own repeat entry
  bool is_repeat = false;
  std::set<std::string> options;  // a select's option values
  bool integer = false;           // bind type int
};

/// An XPath the language cannot say, and why.
struct Unreadable {
  std::string why;
};

/// A translated expression: the language's text, its precedence and type.
struct Ex {
  std::string text;
  int prec = 8;  // 1 or, 2 and, 3 not, 4 comparison, 5 + -, 6 * /, 7 unary -, 8 atom
  Type type = Type::Unknown;
  std::string path;        // when it is a plain path to a field
  bool string_literal = false;
  std::string literal;     // a string literal's value
  bool number_literal = false;
  bool outside_repeat_member = false;  // "rep.field" from outside the repeat: only for sum()
  bool integer = false;                // a whole number: a calculate's question is an integer
};

std::string wrap(const Ex& e, int min) { return e.prec < min ? "(" + e.text + ")" : e.text; }

/// Whether the compiler takes `regex` as a pattern (the same check as S0307's).
bool valid_pattern(const std::string& regex) {
  try {
    Poco::RegularExpression re(engine::pcre_pattern(regex), Poco::RegularExpression::RE_UTF8, false);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

const char* type_word(Type t) {
  switch (t) {
    case Type::Bool: return "a condition";
    case Type::Number: return "a number";
    case Type::Text: return "text";
    case Type::Choice: return "a select_one answer";
    case Type::Set: return "a select_multiple answer";
    case Type::Date: return "a date";
    case Type::List: return "a repeat";
    case Type::Unknown: return "a value of unknown type";
  }
  return "";
}

bool is_date_text(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool is_number_text(const std::string& s) {
  if (s.empty()) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') digits = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digits;
}

std::string number_form(std::string s) {
  if (!s.empty() && s[0] == '.') s = "0" + s;
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// ---------------------------------------------------------------------------------------------
// XPathReader: the XPath 1.0 ODK binds use, read into the language's expressions. A
// recursive-descent parser over XPath's grammar that translates as it goes; anything outside
// what the language says throws Unreadable with the reason.

class XPathReader {
 public:
  XPathReader(const std::map<std::string, FieldInfo>& fields, std::string context)
      : fields_(fields), context_(std::move(context)) {
    const auto it = fields_.find(context_);
    if (it != fields_.end()) context_repeat_ = it->second.is_repeat ? context_ : it->second.repeat;
  }

  Ex read(const std::string& xpath) {
    text_ = xpath;
    pos_ = 0;
    depth_ = 0;
    Ex e = or_expr();
    skip();
    if (pos_ < text_.size()) throw Unreadable{"unexpected '" + text_.substr(pos_, 12) + "'"};
    return e;
  }

  /// The path `xpath` names, resolved against the context; nullopt when it is not a plain path.
  std::optional<std::string> plain_path(const std::string& xpath) {
    text_ = xpath;
    pos_ = 0;
    try {
      skip();
      std::string p = location_path();
      skip();
      if (pos_ != text_.size()) return std::nullopt;
      return p;
    } catch (const Unreadable&) {
      return std::nullopt;
    }
  }

 private:
  void skip() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  }
  bool at(std::string_view s) {
    skip();
    return text_.compare(pos_, s.size(), s) == 0;
  }
  static bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
           c == ':' || static_cast<unsigned char>(c) >= 0x80;
  }
  bool at_word(std::string_view w) {
    skip();
    if (text_.compare(pos_, w.size(), w) != 0) return false;
    const std::size_t end = pos_ + w.size();
    return end >= text_.size() || !name_char(text_[end]);
  }
  void expect(std::string_view s) {
    if (!at(s)) throw Unreadable{"expected '" + std::string(s) + "'"};
    pos_ += s.size();
  }

  struct Depth {
    explicit Depth(std::size_t& d) : d_(d) {
      if (++d_ > 40) throw Unreadable{"nested too deeply"};
    }
    ~Depth() { --d_; }
    std::size_t& d_;
  };

  static Ex make(std::string text, int prec, Type type) {
    Ex e;
    e.text = std::move(text);
    e.prec = prec;
    e.type = type;
    return e;
  }
  static Ex whole(Ex e) {
    e.integer = true;
    return e;
  }
  static void need(const Ex& e, Type t, const std::string& where) {
    if (e.type != t) throw Unreadable{std::string(where) + " needs " + type_word(t) + ", not " + type_word(e.type)};
  }
  static void need_value(const Ex& e) {
    if (e.outside_repeat_member) throw Unreadable{"'" + e.text + "' is in a repeat: from outside it only sum() and count() can read it"};
  }

  Ex or_expr() {
    Depth d(depth_);
    Ex l = and_expr();
    while (at_word("or")) {
      pos_ += 2;
      Ex r = and_expr();
      need(l, Type::Bool, "'or'");
      need(r, Type::Bool, "'or'");
      l = make(wrap(l, 1) + " or " + wrap(r, 2), 1, Type::Bool);
    }
    return l;
  }
  Ex and_expr() {
    Ex l = eq_expr();
    while (at_word("and")) {
      pos_ += 3;
      Ex r = eq_expr();
      need(l, Type::Bool, "'and'");
      need(r, Type::Bool, "'and'");
      l = make(wrap(l, 2) + " and " + wrap(r, 3), 2, Type::Bool);
    }
    return l;
  }
  Ex eq_expr() {
    Ex l = rel_expr();
    for (;;) {
      std::string op;
      if (at("!=")) op = "!=";
      else if (at("=")) op = "=";
      else return l;
      pos_ += op.size();
      Ex r = rel_expr();
      l = compare(l, op == "=" ? "==" : "!=", r);
    }
  }
  Ex rel_expr() {
    Ex l = add_expr();
    for (;;) {
      std::string op;
      if (at("<=")) op = "<=";
      else if (at(">=")) op = ">=";
      else if (at("<")) op = "<";
      else if (at(">")) op = ">";
      else return l;
      pos_ += op.size();
      Ex r = add_expr();
      l = compare(l, op, r);
    }
  }

  /// A literal made to suit the other side: '5' beside a number is 5, '2024-01-31' beside a
  /// date is a date, 1 beside a select_one is the option "1".
  static Ex coerce(const Ex& lit, Type to) {
    if (lit.string_literal) {
      if (to == Type::Number && is_number_text(lit.literal)) return make(number_form(lit.literal), 8, Type::Number);
      if (to == Type::Date && is_date_text(lit.literal)) return make(lit.literal, 8, Type::Date);
      if (to == Type::Choice) return make(quote(lit.literal), 8, Type::Choice);
    }
    if (lit.number_literal && (to == Type::Choice || to == Type::Text)) return make(quote(lit.text), 8, to);
    return lit;
  }

  /// A select compared with a value that is not one of its options: always false in XPath, a
  /// mistake the compiler refuses (S0205) in the language.
  void check_option(const Ex& field, const Ex& literal) const {
    if ((field.type != Type::Choice && field.type != Type::Set) || field.path.empty()) return;
    if (!literal.string_literal && !literal.number_literal) return;
    const std::string value = literal.string_literal ? literal.literal : literal.text;
    const auto it = fields_.find(field.path);
    if (it != fields_.end() && !it->second.options.count(value)) {
      throw Unreadable{"'" + value + "' is not one of the options of '" + field.text + "'"};
    }
  }

  Ex compare(Ex l, const std::string& op, Ex r) {
    need_value(l);
    need_value(r);
    const bool eq = op == "==" || op == "!=";
    // `x = ''`: XForms' blank test.
    if (eq && ((r.string_literal && r.literal.empty() && !l.path.empty()) || (l.string_literal && l.literal.empty() && !r.path.empty()))) {
      const Ex& f = l.path.empty() ? r : l;
      return make((op == "==" ? "is_blank(" : "not is_blank(") + f.text + ")", op == "==" ? 8 : 3, Type::Bool);
    }
    check_option(l, r);
    check_option(r, l);
    if (l.string_literal || l.number_literal) l = coerce(l, r.type);
    if (r.string_literal || r.number_literal) r = coerce(r, l.type);
    const auto same = [](Type a, Type b) {
      const auto text_like = [](Type t) { return t == Type::Text || t == Type::Choice; };
      return a == b || (text_like(a) && text_like(b));
    };
    if (!same(l.type, r.type) || l.type == Type::Unknown || l.type == Type::Set || l.type == Type::List) {
      throw Unreadable{"compares " + std::string(type_word(l.type)) + " with " + type_word(r.type)};
    }
    if (!eq && l.type != Type::Number && l.type != Type::Date) {
      throw Unreadable{"orders " + std::string(type_word(l.type)) + " ('" + op + "'), which the language does not"};
    }
    return make(wrap(l, 5) + " " + op + " " + wrap(r, 5), 4, Type::Bool);
  }

  Ex add_expr() {
    Ex l = mul_expr();
    for (;;) {
      char op = 0;
      if (at("+")) op = '+';
      else if (at("-")) op = '-';
      else return l;
      ++pos_;
      Ex r = mul_expr();
      need_value(l);
      need_value(r);
      if (l.type == Type::Date && r.type == Type::Number && r.number_literal && r.text.find('.') == std::string::npos) {
        // Dates are days in XPath: a date plus a whole number of days.
        l = make(wrap(l, 5) + " " + op + " " + r.text + (r.text == "1" ? " day" : " days"), 5, Type::Date);
        continue;
      }
      if (l.type == Type::Date || r.type == Type::Date) {
        throw Unreadable{"date arithmetic other than a date plus or minus a whole number of days"};
      }
      if (l.string_literal || l.number_literal) l = coerce(l, Type::Number);
      if (r.string_literal || r.number_literal) r = coerce(r, Type::Number);
      need(l, Type::Number, std::string("'") + op + "'");
      need(r, Type::Number, std::string("'") + op + "'");
      const bool whole = l.integer && r.integer;
      l = make(wrap(l, 5) + " " + op + " " + wrap(r, 6), 5, Type::Number);
      l.integer = whole;
    }
  }
  Ex mul_expr() {
    Ex l = unary();
    for (;;) {
      std::string op;
      if (at("*")) op = "*";
      else if (at_word("div")) op = "div";
      else if (at_word("mod")) throw Unreadable{"'mod' has no word in the language"};
      else return l;
      pos_ += op.size();
      Ex r = unary();
      need_value(l);
      need_value(r);
      need(l, Type::Number, "'" + op + "'");
      need(r, Type::Number, "'" + op + "'");
      const bool whole = op == "*" && l.integer && r.integer;
      l = make(wrap(l, 6) + (op == "*" ? " * " : " / ") + wrap(r, 7), 6, Type::Number);
      l.integer = whole;
    }
  }
  Ex unary() {
    Depth d(depth_);
    if (at("-")) {
      ++pos_;
      Ex e = unary();
      need(e, Type::Number, "'-'");
      if (e.number_literal) {
        Ex n = make("-" + e.text, 8, Type::Number);
        n.number_literal = true;
        return n;
      }
      return make("-" + wrap(e, 8), 7, Type::Number);
    }
    Ex e = primary();
    if (at("|")) throw Unreadable{"a union of node sets ('|')"};
    return e;
  }

  Ex primary() {
    skip();
    if (pos_ >= text_.size()) throw Unreadable{"ends too soon"};
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      Ex e = or_expr();
      expect(")");
      e.prec = 8;
      e.text = "(" + e.text + ")";
      return e;
    }
    if (c == '\'' || c == '"') {
      const auto end = text_.find(c, pos_ + 1);
      if (end == std::string::npos) throw Unreadable{"a string that does not end"};
      Ex e = make(quote(text_.substr(pos_ + 1, end - pos_ - 1)), 8, Type::Text);
      e.string_literal = true;
      e.literal = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return e;
    }
    if ((c >= '0' && c <= '9') || (c == '.' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9')) {
      std::size_t end = pos_;
      while (end < text_.size() && ((text_[end] >= '0' && text_[end] <= '9') || text_[end] == '.')) ++end;
      Ex e = make(number_form(text_.substr(pos_, end - pos_)), 8, Type::Number);
      e.number_literal = true;
      e.integer = e.text.find('.') == std::string::npos;
      pos_ = end;
      return e;
    }
    if (c == '$') throw Unreadable{"a variable ('$')"};
    if (c == '@') throw Unreadable{"an attribute ('@')"};
    // A function call: a name followed by '('.
    if (c != '/' && c != '.') {
      std::size_t end = pos_;
      while (end < text_.size() && name_char(text_[end])) ++end;
      std::size_t after = end;
      while (after < text_.size() && text_[after] == ' ') ++after;
      if (after < text_.size() && text_[after] == '(') {
        const std::string fn = text_.substr(pos_, end - pos_);
        pos_ = after + 1;
        if (fn == "current") {
          expect(")");
          return field(at("/") ? location_path_from(context_) : context_);
        }
        std::vector<Ex> args;
        std::vector<std::size_t> starts;
        skip();
        if (!at(")")) {
          for (;;) {
            starts.push_back(pos_);
            args.push_back(or_expr());
            if (at(",")) {
              ++pos_;
              continue;
            }
            break;
          }
        }
        expect(")");
        return call(fn, args);
      }
    }
    return field(location_path());
  }

  /// A location path, resolved to an absolute instance path.
  std::string location_path() {
    skip();
    std::string base = context_;
    if (at("/")) {
      base = "";
    }
    return location_path_from(base);
  }
  std::string location_path_from(std::string base) {
    std::vector<std::string> steps;
    {
      std::stringstream in(base);
      std::string s;
      while (std::getline(in, s, '/')) {
        if (!s.empty()) steps.push_back(s);
      }
    }
    bool any = false;
    for (;;) {
      skip();
      if (at("//")) throw Unreadable{"the descendant axis ('//')"};
      if (at("/")) {
        ++pos_;
        skip();
      } else if (any) {
        break;
      }
      if (at("..")) {
        pos_ += 2;
        if (steps.empty()) throw Unreadable{"'..' above the root"};
        steps.pop_back();
      } else if (at(".")) {
        ++pos_;
      } else {
        std::size_t end = pos_;
        while (end < text_.size() && name_char(text_[end]) && text_[end] != '.') ++end;
        while (end < text_.size() && name_char(text_[end])) ++end;
        if (end == pos_) {
          if (!any) throw Unreadable{"expected a value"};
          break;
        }
        std::string step = text_.substr(pos_, end - pos_);
        if (step.find("::") != std::string::npos || step.find(':') != std::string::npos) {
          throw Unreadable{"an axis or a prefixed name ('" + step + "')"};
        }
        pos_ = end;
        steps.push_back(step);
      }
      any = true;
      if (at("[")) throw Unreadable{"a predicate ('[...]')"};
    }
    std::string path;
    for (const auto& s : steps) path += "/" + s;
    return path;
  }

  Ex field(const std::string& path) {
    const auto it = fields_.find(path);
    if (it == fields_.end()) throw Unreadable{"'" + path + "' is not a question of the form"};
    const FieldInfo& f = it->second;
    if (f.short_name.empty() && !f.is_repeat) throw Unreadable{"'" + path + "' is a group, not a question"};
    Ex e;
    e.path = path;
    e.type = f.type;
    e.integer = f.integer;
    if (f.is_repeat) {
      e.text = f.outer;
      e.type = Type::List;
    } else if (f.repeat.empty()) {
      e.text = f.outer;
    } else if (f.repeat == context_repeat_) {
      e.text = f.short_name;
    } else if (context_repeat_.empty()) {
      e.text = f.outer;
      e.outside_repeat_member = true;
    } else {
      throw Unreadable{"'" + path + "' is in another repeat"};
    }
    return e;
  }

  Ex call(const std::string& fn, std::vector<Ex>& a) {
    const auto arity = [&](std::size_t n) {
      if (a.size() != n) throw Unreadable{fn + "() with " + std::to_string(a.size()) + " arguments"};
      for (const auto& x : a) {
        if (fn != "sum" && fn != "count") need_value(x);
      }
    };
    if (fn == "true" || fn == "false") {
      arity(0);
      return make(fn, 8, Type::Bool);
    }
    if (fn == "today") {
      arity(0);
      return make("today()", 8, Type::Date);
    }
    if (fn == "not") {
      arity(1);
      need(a[0], Type::Bool, "not()");
      return make("not " + wrap(a[0], 4), 3, Type::Bool);
    }
    if (fn == "selected") {
      arity(2);
      if (!a[1].string_literal && !a[1].number_literal) throw Unreadable{"selected() with an option that is not written out"};
      check_option(a[0], a[1]);
      const std::string option = quote(a[1].string_literal ? a[1].literal : a[1].text);
      if (a[0].type == Type::Set) return make("contains(" + a[0].text + ", " + option + ")", 8, Type::Bool);
      if (a[0].type == Type::Choice) return make(a[0].text + " == " + option, 4, Type::Bool);
      throw Unreadable{"selected() on " + std::string(type_word(a[0].type))};
    }
    if (fn == "count-selected") {
      arity(1);
      need(a[0], Type::Set, "count-selected()");
      return whole(make("count(" + a[0].text + ")", 8, Type::Number));
    }
    if (fn == "count") {
      arity(1);
      need(a[0], Type::List, "count()");
      return whole(make("count(" + a[0].text + ")", 8, Type::Number));
    }
    if (fn == "sum") {
      arity(1);
      if (!a[0].outside_repeat_member || a[0].type != Type::Number) throw Unreadable{"sum() of something other than a number in a repeat"};
      return make("sum(" + a[0].text + ")", 8, Type::Number);
    }
    if (fn == "string-length") {
      arity(1);
      if (a[0].type != Type::Text && a[0].type != Type::Choice) throw Unreadable{"string-length() of " + std::string(type_word(a[0].type))};
      return whole(make("length(" + a[0].text + ")", 8, Type::Number));
    }
    if (fn == "date") {
      arity(1);
      if (a[0].string_literal && is_date_text(a[0].literal)) return make(a[0].literal, 8, Type::Date);
      if (a[0].type == Type::Date) return a[0];
      throw Unreadable{"date() of something other than a date"};
    }
    if (fn == "number" || fn == "int") {
      arity(1);
      if (a[0].number_literal || (a[0].type == Type::Number && fn == "number")) return a[0];
      if (a[0].string_literal && is_number_text(a[0].literal) && fn == "number") return make(number_form(a[0].literal), 8, Type::Number);
      throw Unreadable{fn + "() of " + type_word(a[0].type)};
    }
    if (fn == "if") {
      arity(3);
      need(a[0], Type::Bool, "if()'s condition");
      if (a[1].text == "true" && a[2].text == "false") return a[0];
      if (a[1].text == "false" && a[2].text == "true") return make("not " + wrap(a[0], 4), 3, Type::Bool);
      if (a[1].type == Type::Bool && a[2].type == Type::Bool) {
        // As a condition: (c and a) or (not c and b).
        const std::string c = "(" + a[0].text + ")";
        return make("(" + c + " and " + wrap(a[1], 3) + ") or (not " + c + " and " + wrap(a[2], 3) + ")", 1, Type::Bool);
      }
      throw Unreadable{"if() giving a value other than a condition (the language has no conditional value)"};
    }
    if (fn == "regex") {
      // Anywhere else than a constraint's own top-level regex(., 'P') (a `pattern`): the
      // language's matches(), which matches the whole text, as a pattern does; JavaRosa's
      // regex() searches, so the pattern is widened as for a constraint.
      arity(2);
      if (!a[1].string_literal) throw Unreadable{"regex() with a pattern that is not written out"};
      if (a[0].type != Type::Text) throw Unreadable{"regex() of " + std::string(type_word(a[0].type))};
      const std::string whole = whole_match(a[1].literal);
      if (!valid_pattern(whole)) throw Unreadable{"regex() with a pattern the language does not take"};
      return make("matches(" + a[0].text + ", " + quote(whole) + ")", 8, Type::Bool);
    }
    throw Unreadable{"the function " + fn + "() has no word in the language"};
  }

  const std::map<std::string, FieldInfo>& fields_;
  std::string context_;
  std::string context_repeat_;
  std::string text_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The importer: reads the document's parts into maps, builds the instance tree, then writes.

using Texts = std::vector<std::string>;  // one per language, in the form's order

class Importer {
 public:
  Importer(const std::string& path, const XFormOptions& options, ImportResult& result)
      : path_(path), options_(options), result_(result) {}

  void run(xmlDoc* doc) {
    xmlNode* html = xmlDocGetRootElement(doc);
    xmlNode* head = child(html, "head");
    xmlNode* model = head ? child(head, "model") : nullptr;
    xmlNode* body = child(html, "body");
    xmlNode* primary = nullptr;
    for (xmlNode* e : elements(model)) {
      if (local_name(e) != "instance") continue;
      const std::string id = attr(e, "id");
      if (id.empty() && !primary) primary = e;
      else if (!id.empty()) secondary_[id] = e;
    }
    xmlNode* root = primary ? elements(primary).empty() ? nullptr : elements(primary).front() : nullptr;
    if (local_name(html) != "html" || !model || !body || !root) {
      error("I0302", "the document is not an XForm (an h:html with a model, its primary instance and a body)", html);
      return;
    }
    read_itext(model);
    for (xmlNode* e : elements(model)) {
      if (local_name(e) == "bind") binds_[attr(e, "nodeset")] = e;
    }
    read_body(body, "");
    root_.path = "/" + local_name(root);
    root_.xml_name = local_name(root);
    root_.element = root;
    read_instance(root_, 0);
    {
      std::set<std::string> scope;
      name_scope(root_.children, scope, "");
    }
    infer_calculated_types(root_);

    form_id_ = options_.form_id.empty() ? attr(root, "id") : options_.form_id;
    if (form_id_.empty()) form_id_ = std::filesystem::path(path_).stem().string();
    form_id_ = to_name(form_id_, "_");
    xmlNode* title_el = child(head, "title");
    const std::string title = title_el ? one_line(content(title_el)) : "";
    title_ = Texts(codes_.size(), title.empty() ? humanize(form_id_) : title);

    // Written until nothing written refers to a question left out: a condition on a question
    // the form does not have is read again as unreadable, with its warning.
    std::string sections;
    const std::size_t diagnostics_before = result_.diagnostics.size();
    const std::size_t listed_before = listed_.size();
    for (;;) {
      sections = write_sections();
      bool again = false;
      for (const auto& path : left_out_) again = fields_.erase(path) > 0 || again;
      left_out_.clear();
      if (!again) break;
      result_.diagnostics.resize(diagnostics_before);
      listed_.resize(listed_before);
    }
    for (const auto& [ref, control] : controls_) {
      if (!instance_paths_.count(ref)) {
        warn("I0303", "a question whose ref '" + ref + "' is not in the primary instance; the form leaves it out", control, ref);
      }
    }
    if (sections.empty()) {
      error("I0302", "the XForm has no question the form can ask", root);
      return;
    }

    std::ostringstream out;
    const std::string file = std::filesystem::path(path_).filename().string();
    out << "// " << form_id_ << ".form: imported by `askonce import xform` from " << one_line(file) << ".\n";
    out << "// Written by the importer: run the import again rather than edit it (docs/import.md).\n";
    if (!listed_.empty()) {
      out << "//\n// What the XForm says that this form does not (" << listed_.size() << (listed_.size() == 1 ? " warning" : " warnings")
          << "):\n";
      for (const auto& l : listed_) out << "//   " << l << "\n";
    }
    out << "\nform " << form_id_ << " {\n";
    out << "  title " << texts(title_) << "\n";
    out << "  version 1\n";
    out << "  languages";
    for (const auto& c : codes_) out << " " << c;
    out << "\n" << sections << "}\n";
    result_.form_text = out.str();
  }

 private:
  std::string write_sections() {
    std::string sections;
    std::vector<const Node*> run;
    int parts = 0;
    const auto flush = [&] {
      if (run.empty()) return;
      std::string items;
      for (const Node* n : run) items += write_item(*n, 2, std::nullopt, false);
      run.clear();
      if (items.empty()) return;
      std::string name;
      do name = "part" + std::to_string(++parts);
      while (section_names_.count(name));  // a top-level group may be called part1 too
      sections += "\n  section " + name + " " + texts(title_) + " {\n" + items + "  }\n";
    };
    for (const Node& n : root_.children) {
      if (!n.group) {
        run.push_back(&n);
        continue;
      }
      flush();
      std::string items;
      const auto cond = relevant_of(n);
      for (const Node& c : n.children) items += write_item(c, 2, cond, false);
      if (!items.empty()) sections += "\n  section " + n.name + " " + texts(label_texts(group_label(n.path), n.xml_name)) + " {\n" + items + "  }\n";
    }
    flush();
    return sections;
  }

  // ---- diagnostics ----
  model::SourceRef where(const xmlNode* n) const {
    const long line = n ? xmlGetLineNo(n) : 1;
    // libxml2 keeps lines, not columns: point at the line's first non-blank character.
    std::size_t at = 0;
    for (long l = 1; l < line && at != std::string::npos; ++l) {
      at = result_.source.text.find('\n', at);
      if (at != std::string::npos) ++at;
    }
    std::uint32_t column = 1;
    while (at != std::string::npos && at < result_.source.text.size() &&
           (result_.source.text[at] == ' ' || result_.source.text[at] == '\t')) {
      ++at;
      ++column;
    }
    return {0, static_cast<std::uint32_t>(line > 0 ? line : 1), column, 1};
  }
  void error(const std::string& code, const std::string& message, const xmlNode* n) {
    result_.diagnostics.push_back({Severity::Error, code, message, where(n), ""});
  }
  void warn(const std::string& code, const std::string& message, const xmlNode* n, const std::string& path) {
    if (quiet_) return;
    Diagnostic d;
    d.severity = Severity::Warning;
    d.code = code;
    d.message = message;
    d.where = where(n);
    result_.diagnostics.push_back(d);
    listed_.push_back((path.empty() ? std::string("(form)") : one_line(path)) + ": " + one_line(message));
  }

  // ---- itext ----
  void read_itext(xmlNode* model) {
    xmlNode* itext = child(model, "itext");
    std::vector<xmlNode*> translations;
    for (xmlNode* t : elements(itext)) {
      if (local_name(t) != "translation") continue;
      const std::string d = attr(t, "default");
      if (d == "true()" || d == "true") translations.insert(translations.begin(), t);
      else translations.push_back(t);
    }
    for (xmlNode* t : translations) {
      const std::string lang = attr(t, "lang");
      const auto code = language_code(lang);
      if (!code) {
        warn("I0307", "the language '" + lang + "' has no code the importer knows (write it as 'Name (xx)'); its texts are left out", t, "");
        continue;
      }
      if (std::find(codes_.begin(), codes_.end(), *code) != codes_.end()) {
        warn("I0307", "the language '" + lang + "' is '" + *code + "' again; its texts are left out", t, "");
        continue;
      }
      codes_.push_back(*code);
      auto& texts = itext_.emplace_back();
      for (xmlNode* text : elements(t)) {
        if (local_name(text) != "text") continue;
        for (xmlNode* v : elements(text)) {
          if (local_name(v) != "value" || (has_attr(v, "form") && attr(v, "form") != "long")) continue;
          if (child(v, "output")) output_ids_.insert(attr(text, "id"));
          texts.emplace(attr(text, "id"), one_line(content(v)));
          break;
        }
      }
    }
    if (codes_.empty()) {
      codes_.push_back("en");  // no itext: the labels are the form's only language, taken as English
      itext_.emplace_back();
    }
  }

  /// The texts of a <label>, <hint> or message: itext in every language, or the inline text.
  std::optional<Texts> texts_of(const std::string& ref_or_text, const xmlNode* at, const std::string& path, bool inline_output) {
    if (const auto id = itext_id(ref_or_text)) {
      Texts out(codes_.size());
      for (std::size_t i = 0; i < codes_.size(); ++i) {
        const auto it = itext_[i].find(*id);
        if (it != itext_[i].end() && !it->second.empty()) {
          out[i] = it->second;
        } else if (i > 0 && !out[0].empty()) {
          warn("I0305", "no '" + codes_[i] + "' text for '" + *id + "'; the form repeats the '" + codes_[0] + "' text", at, path);
          out[i] = out[0];
        }
      }
      if (output_ids_.count(*id)) {
        warn("I0306", "the text '" + *id + "' shows an answer (<output>); the form shows the text without it", at, path);
      }
      if (out[0].empty()) return std::nullopt;
      return out;
    }
    const std::string t = one_line(ref_or_text);
    if (inline_output) warn("I0306", "the text shows an answer (<output>); the form shows the text without it", at, path);
    if (t.empty()) return std::nullopt;
    return Texts(codes_.size(), t);
  }
  std::optional<Texts> element_texts(const xmlNode* e, const std::string& path) {
    if (!e) return std::nullopt;
    if (has_attr(e, "ref")) return texts_of(attr(e, "ref"), e, path, false);
    return texts_of(content(e), e, path, child(e, "output") != nullptr);
  }
  Texts label_texts(const std::optional<Texts>& t, const std::string& xml_name) const {
    return t ? *t : Texts(codes_.size(), humanize(xml_name));
  }
  std::string texts(const Texts& t) const {
    std::string out = quote(t[0]);
    for (std::size_t i = 1; i < t.size(); ++i) out += " " + codes_[i] + " " + quote(t[i]);
    return out;
  }

  // ---- body ----
  static std::string resolve(const std::string& ref, const std::string& context) {
    if (ref.empty() || ref[0] == '/') return ref;
    return context + "/" + ref;
  }
  void read_body(xmlNode* n, const std::string& context) {
    for (xmlNode* e : elements(n)) {
      const std::string name = local_name(e);
      if (name == "group") {
        const std::string ref = resolve(attr(e, "ref"), context);
        if (!ref.empty()) groups_[ref] = e;
        read_body(e, ref.empty() ? context : ref);
      } else if (name == "repeat") {
        const std::string ref = resolve(attr(e, "nodeset"), context);
        repeats_[ref] = e;
        read_body(e, ref);
      } else if (name == "input" || name == "select1" || name == "select" || name == "trigger" || name == "upload" ||
                 name == "range" || name == "rank" || name == "textarea" || name == "secret" || name == "odk:rank") {
        controls_[resolve(attr(e, "ref"), context)] = e;
      }
    }
  }
  std::optional<Texts> group_label(const std::string& path) {
    const auto g = groups_.find(path);
    if (g != groups_.end()) {
      if (auto t = element_texts(child(g->second, "label"), path)) return t;
    }
    const auto r = repeats_.find(path);
    if (r != repeats_.end()) return element_texts(child(r->second, "label"), path);
    return std::nullopt;
  }

  // ---- instance ----
  void read_instance(Node& n, std::size_t depth) {
    std::set<std::string> seen;
    for (xmlNode* e : elements(n.element)) {
      const std::string name = local_name(e);
      if (depth == 0 && name == "meta") continue;  // instanceID and friends: the client fills them
      if (!seen.insert(name).second) continue;      // a repeat's template and its first entry
      Node c;
      c.xml_name = name;
      c.path = n.path + "/" + name;
      c.element = e;
      c.repeat = has_attr(e, "template", jr_ns) || repeats_.count(c.path) != 0;
      c.group = !c.repeat && !elements(e).empty();
      if (c.repeat || c.group) read_instance(c, depth + 1);
      n.children.push_back(std::move(c));
    }
  }

  /// Names in one scope (the form, or one repeat): groups are flattened into it.
  void name_scope(std::vector<Node>& nodes, std::set<std::string>& scope, const std::string& repeat) {
    for (Node& n : nodes) {
      instance_paths_.insert(n.path);
      FieldInfo info;
      info.repeat = repeat;
      if (n.group) {
        n.name = to_name(n.xml_name, "_");
        if (repeat.empty() && &nodes == &root_.children) {
          // A top-level group is a section, whose names are apart from the fields'.
          if (!section_names_.insert(n.name).second) n.name = unique(n.name, section_names_, n);
        }
        info.is_repeat = false;
        fields_[n.path] = info;
        name_scope(n.children, scope, repeat);
        continue;
      }
      n.name = to_name(n.xml_name, "_");
      if (n.name != n.xml_name) {
        warn("I0308", "'" + n.xml_name + "' is not a name the language allows; the form calls it '" + n.name + "'", n.element, n.path);
      }
      if (!scope.insert(n.name).second) n.name = unique(n.name, scope, n);
      info.short_name = n.name;
      const auto rep = fields_.find(repeat);
      info.outer = repeat.empty() ? n.name : rep->second.outer + "." + n.name;
      info.is_repeat = n.repeat;
      info.type = n.repeat ? Type::List : type_of(n.path);
      info.integer = xsd_type(bind_attr(n.path, "type")) == "int" || xsd_type(bind_attr(n.path, "type")) == "integer";
      if (info.type == Type::Choice || info.type == Type::Set) {
        // The option values, for conditions that compare with them; the warnings about them
        // come when the options are written.
        quiet_ = true;
        write_options(n, controls_.at(n.path), 0);
        quiet_ = false;
        info.options = option_values_;
      }
      fields_[n.path] = info;
      if (n.repeat) {
        std::set<std::string> inner;
        name_scope(n.children, inner, n.path);
      }
    }
  }
  std::string unique(const std::string& name, std::set<std::string>& scope, const Node& n) {
    for (int k = 2;; ++k) {
      const std::string candidate = name + "_" + std::to_string(k);
      if (scope.insert(candidate).second) {
        warn("I0308", "'" + n.xml_name + "' is the name of another question the form flattens beside it; the form calls it '" +
                          candidate + "'", n.element, n.path);
        return candidate;
      }
    }
  }

  std::string bind_attr(const std::string& path, const char* name, const char* ns = nullptr) const {
    const auto b = binds_.find(path);
    return b == binds_.end() ? "" : trim(attr(b->second, name, ns));
  }
  static std::string xsd_type(std::string t) {
    const auto colon = t.find(':');
    if (colon != std::string::npos) t = t.substr(colon + 1);
    return t.empty() ? "string" : t;
  }
  Type type_of(const std::string& path) const {
    const auto c = controls_.find(path);
    if (c != controls_.end()) {
      const std::string control = local_name(c->second);
      if (control == "select1") return Type::Choice;
      if (control == "select") return Type::Set;
      if (control == "trigger") return Type::Bool;
    }
    const std::string t = xsd_type(bind_attr(path, "type"));
    if (t == "int" || t == "integer" || t == "decimal") return Type::Number;
    if (t == "date") return Type::Date;
    if (t == "boolean") return Type::Bool;
    if (t == "string") return Type::Text;
    return Type::Unknown;
  }
  void infer_calculated_types(const Node& n) {
    for (const Node& c : n.children) {
      if (c.group || c.repeat) {
        infer_calculated_types(c);
        continue;
      }
      const std::string calc = bind_attr(c.path, "calculate");
      if (calc.empty() || xsd_type(bind_attr(c.path, "type")) != "string") continue;
      try {
        XPathReader reader(fields_, c.path);
        const Ex e = reader.read(calc);
        if (e.type == Type::Number || e.type == Type::Bool || e.type == Type::Date) fields_[c.path].type = e.type;
        fields_[c.path].integer = e.type == Type::Number && e.integer;
      } catch (const Unreadable&) {
      }
    }
  }

  // ---- expressions ----
  std::optional<Ex> translate(const std::string& xpath, const std::string& context, const char* what, const xmlNode* at,
                              const std::string& path) {
    if (xpath.size() > options_.max_xpath_bytes) {
      warn("I0310", std::string("the ") + what + " is longer than " + std::to_string(options_.max_xpath_bytes) +
                        " bytes; the form leaves it out", at, path);
      return std::nullopt;
    }
    try {
      XPathReader reader(fields_, context);
      return reader.read(xpath);
    } catch (const Unreadable& u) {
      warn("I0310", std::string("cannot read the ") + what + " `" + one_line(xpath) + "` (" + u.why + "); the form leaves it out",
           at, path);
      return std::nullopt;
    }
  }
  std::optional<Ex> condition(const std::string& xpath, const std::string& context, const char* what, const xmlNode* at,
                              const std::string& path) {
    auto e = translate(xpath, context, what, at, path);
    if (e && e->type != Type::Bool) {
      warn("I0310", std::string("cannot read the ") + what + " `" + one_line(xpath) + "` (it is " + type_word(e->type) +
                        ", not a condition); the form leaves it out", at, path);
      return std::nullopt;
    }
    return e;
  }
  std::optional<Ex> relevant_of(const Node& n) {
    const std::string r = bind_attr(n.path, "relevant");
    if (r.empty()) return std::nullopt;
    const auto b = binds_.find(n.path);
    return condition(r, n.path, "relevant", b->second, n.path);
  }
  static std::optional<Ex> both(const std::optional<Ex>& a, const std::optional<Ex>& b) {
    if (!a) return b;
    if (!b) return a;
    Ex e;
    e.text = wrap(*a, 2) + " and " + wrap(*b, 3);
    e.prec = 2;
    e.type = Type::Bool;
    return e;
  }

  // ---- writing ----
  std::string write_item(const Node& n, int indent, const std::optional<Ex>& inherited, bool in_repeat) {
    if (n.group) {
      const auto cond = both(inherited, relevant_of(n));
      std::string out;
      for (const Node& c : n.children) out += write_item(c, indent, cond, in_repeat);
      return out;
    }
    if (n.repeat) {
      std::string text = write_repeat(n, indent, inherited, in_repeat);
      if (text.empty()) {
        left_out_.insert(n.path);
        for (const auto& [path, info] : fields_) {
          if (info.repeat == n.path) left_out_.insert(path);
        }
      }
      return text;
    }
    return write_leaf(n, indent, inherited);
  }

  std::string write_repeat(const Node& n, int indent, const std::optional<Ex>& inherited, bool in_repeat) {
    const xmlNode* at = repeats_.count(n.path) ? repeats_[n.path] : n.element;
    if (in_repeat) {
      warn("I0303", "a repeat inside a repeat cannot be said in the language; the form leaves it out", at, n.path);
      return "";
    }
    if (repeats_.count(n.path) && has_attr(repeats_[n.path], "count", jr_ns)) {
      warn("I0303", "the repeat's count (jr:count=\"" + attr(repeats_[n.path], "count", jr_ns) +
                        "\") cannot be said in the language; the citizen adds the entries", at, n.path);
    }
    std::string body;
    const auto cond = both(inherited, relevant_of(n));
    if (cond) body += pad(indent + 1) + "show if " + cond->text + "\n";
    std::string items;
    for (const Node& c : n.children) items += write_item(c, indent + 1, std::nullopt, true);
    if (items.empty()) {
      warn("I0303", "the repeat has no question the form can ask; the form leaves it out", at, n.path);
      return "";
    }
    return pad(indent) + "repeat " + n.name + " " + texts(label_texts(group_label(n.path), n.xml_name)) + " {\n" + body + items +
           pad(indent) + "}\n";
  }

  Texts message(const std::string& path, const xmlNode* at) {
    const std::string m = bind_attr(path, "constraintMsg", jr_ns);
    if (!m.empty()) {
      if (auto t = texts_of(m, at, path, false)) return *t;
    }
    Texts out;
    for (const auto& c : codes_) out.push_back(c == "es" ? "Revise esta respuesta." : "Check this answer.");
    return out;
  }

  std::string write_leaf(const Node& n, int indent, const std::optional<Ex>& inherited) {
    std::string text = leaf_text(n, indent, inherited);
    if (text.empty()) left_out_.insert(n.path);
    return text;
  }

  std::string leaf_text(const Node& n, int indent, const std::optional<Ex>& inherited) {
    const auto b = binds_.find(n.path);
    const xmlNode* bind = b == binds_.end() ? nullptr : b->second;
    const auto c = controls_.find(n.path);
    const xmlNode* control = c == controls_.end() ? nullptr : c->second;
    const xmlNode* at = control ? control : bind ? bind : n.element;
    const std::string calculate = bind_attr(n.path, "calculate");
    const std::string readonly = bind_attr(n.path, "readonly");
    const std::string type = xsd_type(bind_attr(n.path, "type"));
    if (!control && calculate.empty()) {
      const std::string preload = bind_attr(n.path, "preload", jr_ns);
      warn("I0303", preload.empty() ? "a value with no question in the body and no calculate; the form leaves it out"
                                    : "a value the client fills (jr:preload=\"" + preload + "\"); the form leaves it out",
           at, n.path);
      return "";
    }
    const std::string control_name = control ? local_name(control) : "";
    std::string kind;
    if (control_name == "select1") kind = "choice";
    else if (control_name == "select") kind = "choices";
    else if (control_name == "trigger") kind = "attest";
    else if (control_name == "upload" || control_name == "rank" || type == "binary") {
      warn("I0304", "a question of type '" + (control_name == "rank" ? std::string("rank") : type) +
                        "' has no kind in the language; the form leaves it out", at, n.path);
      return "";
    } else if (type == "int" || type == "integer") kind = "integer";
    else if (type == "decimal") kind = "decimal";
    else if (type == "date") kind = "date";
    else if (type == "boolean") kind = "yesno";
    else {
      kind = "text";
      if (type != "string") {
        warn("I0304", "a question of type '" + type + "' has no kind in the language; the form asks for text", at, n.path);
      }
    }
    if (control_name == "input" && calculate.empty() && (readonly == "true()" || readonly == "true") && kind == "text") {
      kind = "note";
    }

    std::string props;
    if (!calculate.empty()) {
      auto e = translate(calculate, n.path, "calculate", bind, n.path);
      if (e) {
        if (type == "string" && !control) {
          kind = e->type == Type::Number ? (e->integer ? "integer" : "decimal") : e->type == Type::Bool ? "yesno" : e->type == Type::Date ? "date" : "text";
        }
        const bool fits = (e->type == Type::Number && (kind == "integer" || kind == "decimal")) ||
                          (e->type == Type::Bool && kind == "yesno") || (e->type == Type::Date && kind == "date") ||
                          ((e->type == Type::Text || e->type == Type::Choice) && kind == "text");
        if (fits) {
          props += pad(indent + 1) + "computed " + e->text + "\n";
        } else {
          warn("I0310", "the calculate `" + one_line(calculate) + "` gives " + type_word(e->type) + ", which a " + kind +
                            " question cannot hold; the form leaves it out", bind, n.path);
          e.reset();
        }
      }
      if (!e && !control) return "";
    }
    const bool computed = props.find("computed ") != std::string::npos;
    if (!computed && kind != "note" && (readonly == "true()" || readonly == "true")) {
      warn("I0303", "readonly cannot be said of a question the citizen answers; the form asks it", bind, n.path);
    }

    const auto own = relevant_of(n);
    const auto show = both(inherited, own);
    if (show) props = pad(indent + 1) + "show if " + show->text + "\n" + props;

    const Texts label = label_texts(control ? element_texts(child(control, "label"), n.path) : std::nullopt, n.xml_name);
    if (kind == "note") {
      return pad(indent) + "note " + n.name + " " + texts(label) + (props.empty() ? "\n" : " {\n" + props + pad(indent) + "}\n");
    }
    if (control) {
      if (const auto h = element_texts(child(control, "hint"), n.path)) props = pad(indent + 1) + "hint " + texts(*h) + "\n" + props;
    }

    const std::string required = bind_attr(n.path, "required");
    if (!required.empty() && required != "false()" && required != "false" && !computed) {
      if (required == "true()" || required == "true") {
        props += pad(indent + 1) + "required\n";
      } else if (const auto r = condition(required, n.path, "required", bind, n.path)) {
        props += pad(indent + 1) + "required if " + r->text + "\n";
      }
      if (!bind_attr(n.path, "requiredMsg", jr_ns).empty()) {
        warn("I0303", "a message for required (jr:requiredMsg) cannot be said in the language; the form says its own", bind, n.path);
      }
    }

    const std::string constraint = bind_attr(n.path, "constraint");
    if (!constraint.empty()) props += write_constraint(n, constraint, kind, indent, bind);

    if (kind == "choice" || kind == "choices") {
      const std::string options = write_options(n, control, indent);
      if (options.empty()) {
        warn("I0303", "a select with no options the importer can read; the form leaves it out", at, n.path);
        return "";
      }
      props += options;
    }

    const std::string initial = trim(content(n.element));
    if (!initial.empty() && !computed) {
      if ((kind == "integer" || kind == "decimal") && is_number_text(initial)) props += pad(indent + 1) + "default " + initial + "\n";
      else if (kind == "date" && is_date_text(initial)) props += pad(indent + 1) + "default " + initial + "\n";
      else if (kind == "text" || (kind == "choice" && option_values_.count(initial))) props += pad(indent + 1) + "default " + quote(initial) + "\n";
      else warn("I0303", "the default '" + one_line(initial) + "' cannot be said for a " + kind + "; the form leaves it out", n.element, n.path);
    }
    return pad(indent) + kind + " " + n.name + " " + texts(label) + (props.empty() ? "\n" : " {\n" + props + pad(indent) + "}\n");
  }

  std::string write_constraint(const Node& n, const std::string& constraint, const std::string& kind, int indent,
                               const xmlNode* bind) {
    const Texts msg = message(n.path, bind);
    // regex(., 'P') among the constraint's top-level `and`s: the language's pattern, on text
    // questions; the other conjuncts are a check with the same message.
    std::string out;
    std::string rest;
    for (const std::string& part : conjuncts(constraint)) {
      const auto re = regex_on_self(part);
      if (re && kind == "text" && !valid_pattern(whole_match(*re))) {
        warn("I0310", "cannot read the constraint's `" + one_line(part) +
                          "` (not a regular expression the language takes); the form leaves it out", bind, n.path);
        continue;
      }
      if (re && kind == "text") {
        out += pad(indent + 1) + "pattern " + quote(whole_match(*re)) + " " + texts(msg) + "\n";
      } else {
        rest += (rest.empty() ? "" : " and ") + part;
      }
    }
    if (rest.empty()) return out;
    const auto e = condition(rest, n.path, "constraint", bind, n.path);
    if (!e) return out;
    return out + pad(indent + 1) + "check " + e->text + " " + texts(msg) + "\n";
  }

  /// An XPath's top-level `and` operands (outside parentheses and strings).
  static std::vector<std::string> conjuncts(const std::string& xpath) {
    std::vector<std::string> out;
    int depth = 0;
    char in_string = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < xpath.size(); ++i) {
      const char c = xpath[i];
      if (in_string) {
        if (c == in_string) in_string = 0;
      } else if (c == '\'' || c == '"') {
        in_string = c;
      } else if (c == '(' || c == '[') {
        ++depth;
      } else if (c == ')' || c == ']') {
        --depth;
      } else if (depth == 0 && xpath.compare(i, 5, " and ") == 0) {
        out.push_back(trim(xpath.substr(start, i - start)));
        start = i + 5;
        i += 4;
      }
    }
    out.push_back(trim(xpath.substr(start)));
    return out;
  }

  /// `regex(., 'P')` -> P.
  static std::optional<std::string> regex_on_self(const std::string& xpath) {
    std::string t = trim(xpath);
    if (!t.starts_with("regex(") || t.back() != ')') return std::nullopt;
    std::string inner = trim(t.substr(6, t.size() - 7));
    if (!inner.starts_with(".")) return std::nullopt;
    inner = trim(inner.substr(1));
    if (!inner.starts_with(",")) return std::nullopt;
    inner = trim(inner.substr(1));
    if (inner.size() < 2 || (inner[0] != '\'' && inner[0] != '"') || inner.back() != inner[0] ||
        inner.find(inner[0], 1) != inner.size() - 1) {
      return std::nullopt;
    }
    return inner.substr(1, inner.size() - 2);
  }

  std::string write_options(const Node& n, const xmlNode* control, int indent) {
    std::string out;
    std::set<std::string>& seen = option_values_;
    seen.clear();
    const auto add = [&](const std::string& value, const std::optional<Texts>& label, const xmlNode* at) {
      if (value.empty() || !seen.insert(value).second) {
        warn("I0303", "an option with an empty or repeated value ('" + one_line(value) + "'); the form leaves it out", at, n.path);
        return;
      }
      out += pad(indent + 1) + "option " + quote(value) + " " + texts(label ? *label : Texts(codes_.size(), value)) + "\n";
    };
    for (xmlNode* e : elements(control)) {
      if (local_name(e) == "item") {
        add(trim(content(child(e, "value"))), element_texts(child(e, "label"), n.path), e);
      } else if (local_name(e) == "itemset") {
        const std::string nodeset = trim(attr(e, "nodeset"));
        // instance('list')/root/item, optionally filtered: [...] is a choice filter.
        const auto open = nodeset.find("instance(");
        const auto close = nodeset.find(')');
        if (open != 0 || close == std::string::npos) {
          warn("I0303", "an itemset over '" + one_line(nodeset) + "' (not a secondary instance); the form leaves it out", e, n.path);
          continue;
        }
        std::string id = trim(nodeset.substr(9, close - 9));
        if (id.size() >= 2) id = id.substr(1, id.size() - 2);
        if (nodeset.find('[') != std::string::npos) {
          warn("I0303", "the choice filter in `" + one_line(nodeset) + "` cannot be said in the language; the form offers every option",
               e, n.path);
        }
        const auto inst = secondary_.find(id);
        if (inst == secondary_.end()) {
          warn("I0303", "the itemset's instance '" + id + "' is not in the document; the form leaves it out", e, n.path);
          continue;
        }
        const std::string value_ref = attr(child(e, "value"), "ref");
        const std::string label_ref = attr(child(e, "label"), "ref");
        const auto items = elements(inst->second).empty() ? std::vector<xmlNode*>{} : elements(elements(inst->second).front());
        for (xmlNode* item : items) {
          std::optional<Texts> label;
          if (label_ref.starts_with("jr:itext(") && label_ref.back() == ')') {
            // jr:itext(itextId): the item's own element names its text.
            const std::string inner = trim(label_ref.substr(9, label_ref.size() - 10));
            if (xmlNode* ref = child(item, inner)) label = texts_of("jr:itext('" + trim(content(ref)) + "')", item, n.path, false);
          } else if (xmlNode* l = child(item, label_ref)) {
            label = texts_of(content(l), item, n.path, false);
          }
          add(trim(content(child(item, value_ref))), label, item);
        }
      }
    }
    return out;
  }

  bool quiet_ = false;                       // warnings off: a pass that only looks
  std::set<std::string> option_values_;      // the values write_options last read
  std::set<std::string> left_out_;           // instance paths the written form does not have
  std::set<std::string> instance_paths_;     // every path of the primary instance, meta aside
  const std::string& path_;
  const XFormOptions& options_;
  ImportResult& result_;
  std::string form_id_;
  Texts title_;
  std::vector<std::string> codes_;                             // the form's languages
  std::vector<std::map<std::string, std::string>> itext_;      // per language: id -> text
  std::set<std::string> output_ids_;                           // itext ids whose text shows an answer
  std::map<std::string, xmlNode*> secondary_, binds_, controls_, groups_, repeats_;
  std::map<std::string, FieldInfo> fields_;
  std::set<std::string> section_names_;
  std::vector<std::string> listed_;
  Node root_;
};

/// The deepest element nesting under `n`, stopping once past `limit`.
std::size_t depth_of(const xmlNode* n, std::size_t limit, std::size_t depth = 1) {
  std::size_t deepest = depth;
  if (depth > limit) return depth;
  for (const xmlNode* c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) deepest = std::max(deepest, depth_of(c, limit, depth + 1));
    if (deepest > limit) break;
  }
  return deepest;
}

}  // namespace

ImportResult import_xform(const std::string& path, const std::string& text, const XFormOptions& options) {
  ImportResult result;
  result.source = {path, text};
  const auto refuse = [&](const std::string& message, std::uint32_t line) {
    result.diagnostics.push_back({Severity::Error, "I0301", message, {0, line, 1, 1}, ""});
    return result;
  };
  if (text.size() > options.max_xml_bytes) {
    return refuse("the XForm is larger than " + std::to_string(options.max_xml_bytes >> 20) + " MiB", 1);
  }
  // No network, no DTD loading, no entity substitution (none of XML_PARSE_NOENT, DTDLOAD,
  // DTDATTR, HUGE): an XForm needs none of them, and each is a way in for a hostile file.
  const int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  std::unique_ptr<xmlDoc, void (*)(xmlDoc*)> doc(
      xmlReadMemory(text.data(), static_cast<int>(text.size()), path.c_str(), nullptr, flags), xmlFreeDoc);
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    std::string why = e && e->message ? one_line(e->message) : "not well-formed";
    return refuse("the XForm is not well-formed XML: " + why, e && e->line > 0 ? static_cast<std::uint32_t>(e->line) : 1);
  }
  if (doc->intSubset || doc->extSubset) return refuse("the XForm has a DOCTYPE; XForms need none, and the importer reads none", 1);
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root || depth_of(root, options.max_depth) > options.max_depth) {
    return refuse("the XForm nests elements more than " + std::to_string(options.max_depth) + " deep", 1);
  }
  try {
    Importer(path, options, result).run(doc.get());
  } catch (const std::exception& e) {
    result.form_text.clear();
    result.diagnostics.push_back({Severity::Error, "I0000", std::string("internal importer error: ") + e.what(), {0, 1, 1, 1}, ""});
  }
  return result;
}

}  // namespace askonce::dsl::import
