// engine/contract.cpp: an agency's JSON Schema and XSD, from the model.
//
// Both contracts walk the agency's layout (layout.hpp), the same tree the views print, and
// ask the same two questions of the model: is this member always present in a valid
// submission (Presence), and what does validation guarantee about its value.
#include "engine/contract.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "engine/json_writer.hpp"
#include "engine/layout.hpp"
#include "engine/value.hpp"
#include "engine/xml_writer.hpp"

namespace askonce::engine {
namespace {

using model::Field;
using model::FieldId;
using model::Kind;
using model::no_field;

bool holds_value(Kind k) {
  return k != Kind::Group && k != Kind::Address && k != Kind::Name && k != Kind::Repeat && k != Kind::Note;
}

const model::Number* number_of(const model::Literal& l) { return std::get_if<model::Number>(&l); }
const model::Date* date_of(const model::Literal& l) { return std::get_if<model::Date>(&l); }


/// What every valid submission is sure to have.
class Presence {
 public:
  explicit Presence(const model::Form& form) : form_(form) {}

  /// Field `f` has an answer whenever the member holding it (`scope`: a group, composite or
  /// repeat entry; no_field: the view) is there.
  bool always(FieldId f, FieldId scope) const {
    for (FieldId g = f; g != scope && g != no_field; g = form_.fields[g].parent) {
      const Field& a = form_.fields[g];
      if (a.show_if) return false;
      if (a.kind == Kind::Repeat && g != f) return false;  // entries may be none
    }
    return has_value(f);
  }

  /// The number of repeats around `f`.
  std::size_t depth(FieldId f) const {
    std::size_t n = 0;
    for (FieldId g = form_.fields[f].parent; g != no_field; g = form_.fields[g].parent) {
      n += form_.fields[g].kind == Kind::Repeat;
    }
    return n;
  }

 private:
  bool has_value(FieldId f) const {
    const Field& field = form_.fields[f];
    switch (field.kind) {
      case Kind::Note: return false;
      case Kind::Group: case Kind::Address: case Kind::Name:
        return std::any_of(field.children.begin(), field.children.end(), [&](FieldId c) { return always(c, f); });
      case Kind::Repeat: return field.required;  // a required repeat needs one entry
      default: break;
    }
    if (field.computed) return never_blank(*field.computed);
    return field.required;
  }

  /// A conservative answer: arithmetic can leave the range of exact decimals or dates and give
  /// blank, so only what can never be blank counts.
  bool never_blank(const model::Expr& e) const {
    auto all = [&] {
      return std::all_of(e.args.begin(), e.args.end(), [&](const model::Expr& a) { return never_blank(a); });
    };
    switch (e.op) {
      case model::Op::Literal: return !std::holds_alternative<std::monostate>(e.value);
      case model::Op::Field: {
        if (e.field == no_field) return false;
        FieldId scope = form_.fields[e.field].parent;
        while (scope != no_field && form_.fields[scope].kind != Kind::Repeat) scope = form_.fields[scope].parent;
        return e.field != scope && always(e.field, scope);
      }
      case model::Op::Call:
        switch (e.function) {
          case model::Function::Today: case model::Function::Count: case model::Function::IsBlank: return true;
          case model::Function::Age: case model::Function::Length: return all();
          default: return false;
        }
      case model::Op::Not: case model::Op::Eq: case model::Op::Ne: case model::Op::Lt: case model::Op::Le:
      case model::Op::Gt: case model::Op::Ge: case model::Op::And: case model::Op::Or: case model::Op::In:
      case model::Op::NotIn: case model::Op::Neg:
        return all();
      default: return false;
    }
  }

  const model::Form& form_;
};

/// Built-in patterns for the canonical forms of normalize.hpp. They use only syntax that means
/// the same in JavaScript (JSON Schema, anchored here) and in XSD (anchored by definition).
const char* canonical_pattern(Kind k) {
  switch (k) {
    case Kind::Ssn: case Kind::Ein: return "[0-9]{9}";
    case Kind::Zip: return "[0-9]{5}([0-9]{4})?";
    case Kind::Phone: return "\\+[1-9][0-9]{6,14}";
    case Kind::Url: return "https?://.+";
    default: return nullptr;
  }
}

// ---- JSON Schema ----------------------------------------------------------------------------

class JsonSchema {
 public:
  JsonSchema(const model::Form& form, JsonWriter& w) : form_(form), presence_(form), w_(w) {}

  /// The members of the view's "data": the layout's nodes.
  void layout_object(const std::vector<LayoutNode>& nodes, bool at_least_one) {
    w_.begin_object();
    w_.key("type");
    w_.string("object");
    w_.key("properties");
    w_.begin_object();
    std::vector<std::string_view> required;
    Members here;
    for (const auto& n : nodes) {
      w_.key(n.name);
      if (n.field == no_field) {
        layout_object(n.children, true);
      } else {
        receipt(n.field);
        if (presence_.depth(n.field) == 0) here.emplace_back(n.field, n.name);
      }
      if (always(n)) required.push_back(n.name);
    }
    w_.end_object();
    alternatives(here);
    end_object(required, at_least_one);
  }

 private:
  bool always(const LayoutNode& n) const {
    if (n.field != no_field) return presence_.depth(n.field) == 0 && presence_.always(n.field, no_field);
    return std::any_of(n.children.begin(), n.children.end(), [&](const LayoutNode& c) { return always(c); });
  }

  void end_object(const std::vector<std::string_view>& required, bool at_least_one) {
    if (!required.empty()) {
      w_.key("required");
      w_.begin_array();
      for (auto r : required) w_.string(r);
      w_.end_array();
    }
    if (at_least_one) {
      w_.key("minProperties");
      w_.number("1");
    }
    w_.key("additionalProperties");
    w_.boolean(false);
    w_.end_object();
  }

  void receipt(FieldId f) {
    if (presence_.depth(f) == 0) return instance(f);
    // Inside repeats: every entry's answer, in one array.
    w_.begin_object();
    w_.key("type");
    w_.string("array");
    w_.key("minItems");
    w_.number("1");
    w_.key("items");
    if (form_.fields[f].kind == Kind::Repeat) {
      members(f, false);
    } else {
      instance(f);
    }
    w_.end_object();
  }

  void instance(FieldId f) {
    const Field& field = form_.fields[f];
    if (holds_value(field.kind)) return value(field);
    if (field.kind == Kind::Repeat) {
      w_.begin_object();
      w_.key("type");
      w_.string("array");
      bounds("minItems", "maxItems", field, 1);
      w_.key("items");
      members(f, false);
      w_.end_object();
      return;
    }
    members(f, true);
  }

  void members(FieldId f, bool at_least_one) {
    const Field& field = form_.fields[f];
    w_.begin_object();
    w_.key("type");
    w_.string("object");
    w_.key("properties");
    w_.begin_object();
    std::vector<std::string_view> required;
    Members here;
    for (FieldId c : field.children) {
      if (form_.fields[c].kind == Kind::Note) continue;
      w_.key(form_.fields[c].name);
      instance(c);
      here.emplace_back(c, form_.fields[c].name);
      if (presence_.always(c, f)) required.push_back(form_.fields[c].name);
    }
    w_.end_object();
    alternatives(here);
    end_object(required, at_least_one);
  }

  /// The fields that are members of one object of the view, with their names there.
  using Members = std::vector<std::pair<FieldId, std::string_view>>;

  static std::string_view name_in(const Members& here, FieldId f) {
    for (const auto& [g, name] : here) {
      if (g == f) return name;
    }
    return {};
  }

  /// Whether `e`, a rule's `if`, can be said as a JSON Schema over the members of one object:
  /// comparisons of a member that holds text, an option or yes/no with literals, `in`,
  /// `is_blank`, `and`, `or`. Blank is false, as the validator decides: a comparison needs the
  /// member present.
  bool sayable(const model::Expr& e, const Members& here) const {
    using model::Op;
    const auto member = [&](const model::Expr& x) {
      if (x.op != Op::Field || name_in(here, x.field).empty()) return false;
      const Kind k = form_.fields[x.field].kind;
      return model::is_text_like(k) || k == Kind::Choice || k == Kind::YesNo;
    };
    const auto scalar = [](const model::Expr& x) {
      return x.op == Op::Literal && (std::holds_alternative<std::string>(x.value) || std::holds_alternative<bool>(x.value));
    };
    switch (e.op) {
      case Op::And: case Op::Or:
        return std::all_of(e.args.begin(), e.args.end(), [&](const model::Expr& a) { return sayable(a, here); });
      case Op::Eq: case Op::Ne:
        return e.args.size() == 2 && ((member(e.args[0]) && scalar(e.args[1])) || (member(e.args[1]) && scalar(e.args[0])));
      case Op::In: case Op::NotIn:
        return !e.args.empty() && member(e.args[0]) && std::all_of(e.args.begin() + 1, e.args.end(), scalar);
      case Op::Call:
        return e.function == model::Function::IsBlank && e.args.size() == 1 && member(e.args[0]);
      case Op::Not:
        return e.args.size() == 1 && e.args[0].op == Op::Call && sayable(e.args[0], here);
      case Op::Field:
        return member(e) && form_.fields[e.field].kind == Kind::YesNo;
      default:
        return false;
    }
  }

  void literal(const model::Literal& v) {
    if (const auto* b = std::get_if<bool>(&v)) {
      w_.boolean(*b);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      w_.string(*t);
    }
  }

  /// `{"required": [name], "properties": {name: {KEY: ...}}}`: member `name` is there, and ...
  template <typename Body>
  void present_and(std::string_view name, Body body) {
    w_.begin_object();
    w_.key("required");
    w_.begin_array();
    w_.string(name);
    w_.end_array();
    w_.key("properties");
    w_.begin_object();
    w_.key(name);
    w_.begin_object();
    body();
    w_.end_object();
    w_.end_object();
    w_.end_object();
  }

  /// Writes `e` (sayable) as a JSON Schema that an object meets exactly when `e` holds.
  void say(const model::Expr& e, const Members& here) {
    using model::Op;
    switch (e.op) {
      case Op::And: case Op::Or:
        w_.begin_object();
        w_.key(e.op == Op::And ? "allOf" : "anyOf");
        w_.begin_array();
        for (const auto& a : e.args) say(a, here);
        w_.end_array();
        w_.end_object();
        return;
      case Op::Eq: case Op::Ne: {
        const bool left = e.args[0].op == Op::Field;
        const model::Expr& f = left ? e.args[0] : e.args[1];
        const model::Expr& v = left ? e.args[1] : e.args[0];
        present_and(name_in(here, f.field), [&] {
          if (e.op == Op::Ne) {
            w_.key("not");
            w_.begin_object();
          }
          w_.key("const");
          literal(v.value);
          if (e.op == Op::Ne) w_.end_object();
        });
        return;
      }
      case Op::In: case Op::NotIn:
        present_and(name_in(here, e.args[0].field), [&] {
          if (e.op == Op::NotIn) {
            w_.key("not");
            w_.begin_object();
          }
          w_.key("enum");
          w_.begin_array();
          for (std::size_t i = 1; i < e.args.size(); ++i) literal(e.args[i].value);
          w_.end_array();
          if (e.op == Op::NotIn) w_.end_object();
        });
        return;
      case Op::Call:  // is_blank(member): not sent
        w_.begin_object();
        w_.key("not");
        w_.begin_object();
        w_.key("required");
        w_.begin_array();
        w_.string(name_in(here, e.args[0].field));
        w_.end_array();
        w_.end_object();
        w_.end_object();
        return;
      case Op::Not:  // not is_blank(member): sent
        w_.begin_object();
        w_.key("required");
        w_.begin_array();
        w_.string(name_in(here, e.args[0].args[0].field));
        w_.end_array();
        w_.end_object();
        return;
      default:  // a yes/no member: yes
        present_and(name_in(here, e.field), [&] {
          w_.key("const");
          w_.boolean(true);
        });
        return;
    }
  }

  /// The patterns of one alternative (`pattern ... if EXPR`) of the members of one object, as
  /// `allOf: [{if: CONDITION, then: {properties: {member: {pattern: ...}}}}]`. A condition
  /// on what the object does not hold, or that JSON Schema cannot say (sayable), is left out:
  /// the contract then promises less than the form checks, never more.
  void alternatives(const Members& here) {
    bool open = false;
    for (const auto& [f, name] : here) {
      const Field& field = form_.fields[f];
      if (!model::is_text_like(field.kind)) continue;
      for (const auto& p : field.patterns) {
        if (!p.only_if || !sayable(*p.only_if, here)) continue;
        if (!open) {
          w_.key("allOf");
          w_.begin_array();
          open = true;
        }
        w_.begin_object();
        w_.key("if");
        say(*p.only_if, here);
        w_.key("then");
        w_.begin_object();
        w_.key("properties");
        w_.begin_object();
        w_.key(name);
        w_.begin_object();
        w_.key("type");  // as the member's own schema says; ajv's strict mode asks for it beside a pattern
        w_.string("string");
        w_.key("pattern");
        w_.string("^(?:" + p.regex + ")$");
        w_.end_object();
        w_.end_object();
        w_.end_object();
        w_.end_object();
      }
    }
    if (open) w_.end_array();
  }

  /// minLength/maxLength, minItems/maxItems: at least `floor` (blank answers are left out).
  void bounds(const char* min_key, const char* max_key, const Field& field, std::uint64_t floor) {
    w_.key(min_key);
    w_.number(std::to_string(std::max(floor, count_bound(field.min).value_or(0))));
    if (auto max = count_bound(field.max)) {
      w_.key(max_key);
      w_.number(std::to_string(*max));
    }
  }

  void value(const Field& field) {
    w_.begin_object();
    switch (field.kind) {
      case Kind::Member:
        // Its JSON type and nothing else: the form takes any value of that type, as it is sent.
        w_.key("type");
        w_.string(model::json_type_name(field.json));
        if (field.json_items != model::JsonType::Any) {
          w_.key("items");
          w_.begin_object();
          w_.key("type");
          w_.string(model::json_type_name(field.json_items));
          w_.end_object();
        }
        break;
      case Kind::YesNo: case Kind::Attest:
        w_.key("type");
        w_.string("boolean");
        if (field.kind == Kind::Attest && field.required && !field.required_if && !field.computed) {
          w_.key("const");  // a required statement is always ticked
          w_.boolean(true);
        }
        break;
      case Kind::Integer: case Kind::Decimal: case Kind::Money:
        w_.key("type");
        w_.string(field.kind == Kind::Integer ? "integer" : "number");
        if (const auto* n = number_of(field.min)) {
          w_.key("minimum");
          w_.number(n->digits);
        }
        if (const auto* n = number_of(field.max)) {
          w_.key("maximum");
          w_.number(n->digits);
        }
        break;
      case Kind::Date:
        w_.key("type");
        w_.string("string");
        w_.key("format");
        w_.string("date");
        break;
      case Kind::Choice:
        w_.key("type");
        w_.string("string");
        enumeration(field);
        break;
      case Kind::Choices:
        w_.key("type");
        w_.string("array");
        w_.key("items");
        w_.begin_object();
        w_.key("type");
        w_.string("string");
        enumeration(field);
        w_.end_object();
        w_.key("uniqueItems");
        w_.boolean(true);
        bounds("minItems", "maxItems", field, 1);
        break;
      default:
        w_.key("type");
        w_.string("string");
        if (model::is_text_like(field.kind)) {
          bounds("minLength", "maxLength", field, 1);
          if (field.kind == Kind::Email && !model::checked_by_pattern(field)) {  // else its patterns say
            w_.key("format");
            w_.string("email");
          }
          std::vector<std::string> patterns;
          if (const char* p = canonical_pattern(field.kind)) patterns.emplace_back(p);
          // One alternative's patterns are said by the object that holds the field (alternatives()).
          for (const auto& p : field.patterns) {
            if (!p.only_if) patterns.push_back(p.regex);
          }
          if (patterns.size() == 1) {
            w_.key("pattern");
            w_.string("^(?:" + patterns[0] + ")$");
          } else if (patterns.size() > 1) {
            w_.key("allOf");
            w_.begin_array();
            for (const auto& p : patterns) {
              w_.begin_object();
              w_.key("pattern");
              w_.string("^(?:" + p + ")$");
              w_.end_object();
            }
            w_.end_array();
          }
        } else {
          w_.key("minLength");
          w_.number("1");
        }
    }
    w_.end_object();
  }

  void enumeration(const Field& field) {
    const auto& options = form_.options_of(field);
    if (options.empty()) return;
    w_.key("enum");
    w_.begin_array();
    for (const auto& o : options) w_.string(o.value);
    w_.end_array();
  }

  const model::Form& form_;
  Presence presence_;
  JsonWriter& w_;
};

// ---- XSD ------------------------------------------------------------------------------------

constexpr std::string_view xs_uri = "http://www.w3.org/2001/XMLSchema";

/// A simple type: a restriction of a built-in type, written inline.
struct XType {
  std::string base;                                         // "xs:string"
  std::vector<std::pair<std::string, std::string>> facets;  // ("maxLength", "60"), ("enumeration", "Y: Yes")
  friend bool operator==(const XType&, const XType&) = default;
};

struct XElem {
  std::string local;
  std::string ns;
  bool ref = false;             // a reference to a global element of `ns`
  std::uint64_t min = 1;
  std::optional<std::uint64_t> max = 1;  // nothing: unbounded
  std::optional<XType> simple;  // a value
  std::string complex;          // or a complex type of namespace `type_ns`
  std::string type_ns;
  friend bool operator==(const XElem&, const XElem&) = default;
};

struct XAttr {
  std::string local;
  std::string ns;
  std::string fixed;
  bool ref = false;
};

struct XComplex {
  std::string name;
  std::vector<XElem> sequence;
  std::vector<XAttr> attributes;
};

struct XDoc {
  std::string ns;
  std::string file;
  std::vector<XElem> elements;  // global
  std::vector<XAttr> attributes;  // global
  std::vector<XComplex> types;
  std::set<std::string> imports;  // namespaces referenced
};

/// True when `regex` means the same as an XSD pattern as it does in JavaScript and PCRE:
/// letters, digits, classes, groups, alternatives and greedy quantifiers only.
bool xsd_safe_pattern(std::string_view regex) {
  static constexpr std::string_view allowed = "[]{}(),|-?*+._:/@# ";
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && allowed.find(c) == std::string_view::npos) return false;
    if (c == '?' && i > 0 && std::string_view("*+?}(").find(regex[i - 1]) != std::string_view::npos) return false;
  }
  return true;
}

class Xsd {
 public:
  Xsd(const model::Form& form, const model::Agency& agency) : form_(form), agency_(agency), presence_(form) {
    for (const auto& ns : agency.xml.namespaces) {
      uri_of_.emplace(ns.prefix, ns.uri);
      if (!ns.prefix.empty() && ns.prefix != "xs" && !prefix_of_.count(ns.uri)) prefix_of_.emplace(ns.uri, ns.prefix);
    }
  }

  XsdContract build() {
    const std::string root = agency_.xml.root.empty() ? agency_.name : agency_.xml.root;
    const auto layout = agency_layout(form_, agency_, LayoutMerge::Consecutive);
    doc(ns_of(root));  // the root's document comes first
    std::vector<XElem> children;
    for (const auto& n : layout) children.push_back(layout_element(n));
    XElem r = element(root);
    place(r, children, agency_.xml.attributes);
    docs_[0].elements.push_back(std::move(r));
    XsdContract out;
    if (!diagnostics_.empty()) {
      out.diagnostics = std::move(diagnostics_);
      return out;
    }
    for (const auto& d : docs_) out.documents.push_back(write(d));
    return out;
  }

 private:
  std::string ns_of(std::string_view qname) const {
    const auto colon = qname.find(':');
    const std::string prefix = colon == std::string_view::npos ? std::string() : std::string(qname.substr(0, colon));
    auto it = uri_of_.find(prefix);
    return it == uri_of_.end() ? std::string() : it->second;
  }
  static std::string local_of(std::string_view qname) {
    const auto colon = qname.find(':');
    return std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
  }

  XElem element(std::string_view qname) const {
    XElem e;
    e.local = local_of(qname);
    e.ns = ns_of(qname);
    return e;
  }

  XDoc& doc(const std::string& ns) {
    for (auto& d : docs_) {
      if (d.ns == ns) return d;
    }
    XDoc d;
    d.ns = ns;
    if (docs_.empty()) {
      d.file = agency_.name + ".xsd";
    } else {
      d.file = agency_.name + "-" + (ns.empty() ? std::string("local") : prefix(ns)) + ".xsd";
    }
    docs_.push_back(std::move(d));
    return docs_.back();
  }

  std::string prefix(const std::string& ns) {
    if (auto it = prefix_of_.find(ns); it != prefix_of_.end()) return it->second;
    const std::string p = "ns" + std::to_string(prefix_of_.size() + 1);
    prefix_of_.emplace(ns, p);
    return p;
  }

  /// Gives `parent` a complex type holding `children` (and `attributes`, for the root). The
  /// type lives in the namespace of the children, as Grants.gov's GlobalLibrary types do, so
  /// that they can be declared locally; a child of another namespace becomes a global element
  /// of its own namespace, referred to.
  void place(XElem& parent, std::vector<XElem>& children, const std::vector<model::XmlSettings::Attribute>& attributes) {
    const std::string ns = children.empty() ? parent.ns : children.front().ns;
    XComplex type;
    type.name = type_name(ns, parent.local);
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& c : children) {
      if (!seen.emplace(c.ns, c.local).second) {
        diagnostics_.push_back(Diagnostic{Severity::Error, "R0101",
                                          "agency '" + agency_.name + "': the XSD cannot describe element '" + c.local +
                                              "' twice among the children of '" + parent.local +
                                              "'; list the receipts that share a parent next to each other",
                                          agency_.where, {}});
      }
      if (!c.complex.empty() && c.ns == ns && c.type_ns != ns) doc(ns).imports.insert(c.type_ns);
      if (c.ns != ns) {
        XDoc& other = doc(c.ns);
        XElem global = c;
        global.min = 1;
        global.max = 1;
        bool found = false;
        for (const auto& g : other.elements) {
          if (g.local != c.local) continue;
          found = true;
          if (!(g == global)) {
            diagnostics_.push_back(Diagnostic{Severity::Error, "R0102",
                                              "agency '" + agency_.name + "': the XSD cannot give element '" + c.local +
                                                  "' of namespace '" + c.ns + "' two different contents",
                                              agency_.where, {}});
          }
        }
        if (!found) other.elements.push_back(global);
        if (!global.complex.empty() && global.type_ns != c.ns) other.imports.insert(global.type_ns);
        doc(ns).imports.insert(c.ns);
        XElem ref;
        ref.local = c.local;
        ref.ns = c.ns;
        ref.ref = true;
        ref.min = c.min;
        ref.max = c.max;
        type.sequence.push_back(std::move(ref));
      } else {
        type.sequence.push_back(std::move(c));
      }
    }
    for (const auto& a : attributes) {
      XAttr attr;
      attr.local = local_of(a.name);
      attr.ns = a.name.find(':') == std::string::npos ? std::string() : ns_of(a.name);
      attr.fixed = a.value;
      if (!attr.ns.empty() && attr.ns != ns) {
        XAttr global = attr;
        doc(attr.ns).attributes.push_back(global);
        doc(ns).imports.insert(attr.ns);
        attr.ref = true;
      }
      type.attributes.push_back(std::move(attr));
    }
    parent.complex = type.name;
    parent.type_ns = ns;
    if (parent.ns != ns) doc(parent.ns).imports.insert(ns);
    doc(ns).types.push_back(std::move(type));
  }

  std::string type_name(const std::string& ns, const std::string& base) {
    const std::string stem = base + "Type";
    std::string name = stem;
    for (int i = 2; !used_types_.emplace(ns, name).second; ++i) name = stem + std::to_string(i);
    return name;
  }

  XElem layout_element(const LayoutNode& n) {
    if (n.field != no_field) return receipt(n.name, n.field);
    XElem e = element(n.name);
    std::vector<XElem> children;
    bool any = false;
    for (const auto& c : n.children) {
      children.push_back(layout_element(c));
      any = any || children.back().min > 0;
    }
    e.min = any ? 1 : 0;
    place(e, children, {});
    return e;
  }

  XElem receipt(std::string_view qname, FieldId f) {
    XElem e = content(qname, f, no_field);
    if (presence_.depth(f) > 0) {
      e.min = 0;
      e.max.reset();
    }
    return e;
  }

  /// Field `f` as an element named `qname`, inside the member `scope` (no_field: the view).
  XElem content(std::string_view qname, FieldId f, FieldId scope) {
    const Field& field = form_.fields[f];
    XElem e = element(qname);
    const bool present = presence_.always(f, scope);
    e.min = present ? 1 : 0;
    if (holds_value(field.kind)) {
      e.simple = simple(field);
      if (field.kind == Kind::Choices) {
        e.min = present ? std::max<std::uint64_t>(1, count_bound(field.min).value_or(1)) : 0;
        const auto& options = form_.options_of(field);
        e.max = count_bound(field.max).value_or(options.size());
        if (options.empty()) e.max.reset();
      }
      return e;
    }
    if (field.kind == Kind::Repeat) {
      e.min = present ? std::max<std::uint64_t>(1, count_bound(field.min).value_or(1)) : 0;
      e.max = count_bound(field.max);
    }
    std::vector<XElem> children;
    for (FieldId c : field.children) {
      // A member is left out of the XML view (a JSON value), and so of the XSD.
      if (form_.fields[c].kind == Kind::Note || form_.fields[c].kind == Kind::Member) continue;
      children.push_back(content(form_.fields[c].name, c, f));
    }
    place(e, children, {});
    return e;
  }

  XType simple(const Field& field) const {
    XType t;
    auto facet = [&](const char* name, std::string value) { t.facets.emplace_back(name, std::move(value)); };
    switch (field.kind) {
      case Kind::YesNo: case Kind::Attest:
        t.base = "xs:string";
        facet("enumeration", agency_.xml.yes);
        if (!(field.kind == Kind::Attest && field.required && !field.required_if && !field.computed)) {
          facet("enumeration", agency_.xml.no);
        }
        return t;
      case Kind::Integer: case Kind::Decimal: case Kind::Money:
        t.base = field.kind == Kind::Integer ? "xs:integer" : "xs:decimal";
        if (field.kind == Kind::Money) facet("fractionDigits", "2");
        if (const auto* n = number_of(field.min)) facet("minInclusive", n->digits);
        if (const auto* n = number_of(field.max)) facet("maxInclusive", n->digits);
        return t;
      case Kind::Date:
        t.base = "xs:date";
        if (const auto* d = date_of(field.min)) facet("minInclusive", to_iso(*d));
        if (const auto* d = date_of(field.max)) facet("maxInclusive", to_iso(*d));
        return t;
      case Kind::Choice: case Kind::Choices:
        t.base = "xs:string";
        for (const auto& o : form_.options_of(field)) facet("enumeration", o.value);
        if (form_.options_of(field).empty()) facet("minLength", "1");
        return t;
      default:
        break;
    }
    t.base = "xs:string";
    if (!model::is_text_like(field.kind)) {
      facet("minLength", "1");
      return t;
    }
    facet("minLength", std::to_string(std::max<std::uint64_t>(1, count_bound(field.min).value_or(0))));
    if (auto max = count_bound(field.max)) facet("maxLength", std::to_string(*max));
    if (const char* p = canonical_pattern(field.kind)) facet("pattern", p);
    for (const auto& p : field.patterns) {
      // XSD 1.0 cannot make a facet depend on another element's value: one alternative's
      // pattern (`if EXPR`) is left out, and the XSD promises less (docs/agencies.md).
      if (p.only_if) continue;
      if (xsd_safe_pattern(p.regex)) facet("pattern", p.regex);
    }
    return t;
  }

  std::string qname(const std::string& ns, const std::string& local) {
    return ns.empty() ? local : prefix(ns) + ":" + local;
  }

  void write_element(XmlWriter& w, const XElem& e, bool global) {
    w.start("xs:element");
    if (e.ref) {
      w.attribute("ref", qname(e.ns, e.local));
    } else {
      w.attribute("name", e.local);
      if (!e.complex.empty()) w.attribute("type", qname(e.type_ns, e.complex));
    }
    if (!global) {
      if (e.min != 1) w.attribute("minOccurs", std::to_string(e.min));
      if (!e.max) {
        w.attribute("maxOccurs", "unbounded");
      } else if (*e.max != 1) {
        w.attribute("maxOccurs", std::to_string(*e.max));
      }
    }
    if (!e.ref && e.simple) {
      w.start("xs:simpleType");
      w.start("xs:restriction");
      w.attribute("base", e.simple->base);
      for (const auto& [name, value] : e.simple->facets) {
        w.start("xs:" + name);
        w.attribute("value", value);
        w.end();
      }
      w.end();
      w.end();
    }
    w.end();
  }

  void write_attribute(XmlWriter& w, const XAttr& a, bool global, const std::string& doc_ns) {
    w.start("xs:attribute");
    if (a.ref) {
      w.attribute("ref", qname(a.ns, a.local));
    } else {
      w.attribute("name", a.local);
      w.attribute("type", "xs:string");
      if (!global && !a.ns.empty() && a.ns == doc_ns) w.attribute("form", "qualified");
    }
    if (!global) w.attribute("use", "required");
    w.attribute("fixed", a.fixed);
    w.end();
  }

  XsdDocument write(const XDoc& d) {
    XmlWriter w;
    w.start("xs:schema");
    w.attribute("xmlns:xs", xs_uri);
    std::set<std::string> declared;
    auto declare = [&](const std::string& ns) {
      if (!ns.empty() && declared.insert(ns).second) w.attribute("xmlns:" + prefix(ns), ns);
    };
    declare(d.ns);
    for (const auto& ns : d.imports) declare(ns);
    if (!d.ns.empty()) w.attribute("targetNamespace", d.ns);
    w.attribute("elementFormDefault", "qualified");
    w.attribute("attributeFormDefault", "unqualified");
    for (const auto& ns : d.imports) {
      if (ns == d.ns) continue;
      w.start("xs:import");
      if (!ns.empty()) w.attribute("namespace", ns);
      for (const auto& other : docs_) {
        if (other.ns == ns) w.attribute("schemaLocation", other.file);
      }
      w.end();
    }
    for (const auto& a : d.attributes) write_attribute(w, a, true, d.ns);
    for (const auto& e : d.elements) write_element(w, e, true);
    for (const auto& t : d.types) {
      w.start("xs:complexType");
      w.attribute("name", t.name);
      w.start("xs:sequence");
      for (const auto& e : t.sequence) write_element(w, e, false);
      w.end();
      for (const auto& a : t.attributes) write_attribute(w, a, false, d.ns);
      w.end();
    }
    w.end();
    return XsdDocument{d.file, d.ns, w.finish().value_or(std::string())};
  }

  const model::Form& form_;
  const model::Agency& agency_;
  Presence presence_;
  std::map<std::string, std::string> uri_of_;     // agency prefix ("" = default) -> URI
  std::map<std::string, std::string> prefix_of_;  // URI -> prefix used in the schema documents
  std::deque<XDoc> docs_;  // a deque: references stay valid as documents are added
  std::set<std::pair<std::string, std::string>> used_types_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

std::string json_schema_contract(const model::Form& form, std::size_t agency) {
  const model::Agency& a = form.agencies.at(agency);
  JsonWriter w;
  w.begin_object();
  w.key("$schema");
  w.string("https://json-schema.org/draft/2020-12/schema");
  w.key("$id");
  w.string("urn:askonce:contract:" + form.id + ":" + std::to_string(form.version) + ":" + a.name);
  w.key("title");
  w.string("The view of '" + form.id + "' version " + std::to_string(form.version) + " for agency '" + a.name + "'");
  w.key("type");
  w.string("object");
  w.key("properties");
  w.begin_object();
  w.key("form");
  w.begin_object();
  w.key("const");
  w.string(form.id);
  w.end_object();
  w.key("version");
  w.begin_object();
  w.key("const");
  w.number(std::to_string(form.version));
  w.end_object();
  w.key("definition_hash");
  w.begin_object();
  w.key("const");
  w.string(form.definition_hash);
  w.end_object();
  w.key("submission_digest");
  w.begin_object();
  w.key("type");
  w.string("string");
  w.key("pattern");
  w.string("^sha256:[0-9a-f]{64}$");
  w.end_object();
  w.key("received");
  w.begin_object();
  w.key("type");
  w.string("string");
  w.key("format");
  w.string("date-time");
  w.end_object();
  w.key("agency");
  w.begin_object();
  w.key("const");
  w.string(a.name);
  w.end_object();
  w.key("data");
  JsonSchema(form, w).layout_object(agency_layout(form, a, LayoutMerge::Any), false);
  w.end_object();
  w.key("required");
  w.begin_array();
  for (const char* k : {"form", "version", "definition_hash", "submission_digest", "received", "agency", "data"}) {
    w.string(k);
  }
  w.end_array();
  w.key("additionalProperties");
  w.boolean(false);
  w.end_object();
  return w.take() + "\n";
}

XsdContract xsd_contract(const model::Form& form, std::size_t agency) {
  return Xsd(form, form.agencies.at(agency)).build();
}

}  // namespace askonce::engine
