// engine/model_json.cpp: the form model as JSON in the documented, stable shape.
//
// The tree is built with Poco::JSON (insertion order preserved, so keys come out in the
// documented order); the text is written by a small printer here rather than by Poco's
// stringify, whose output for an empty array spreads over three lines ("[\n\n  ]"). Goldens
// are compared line by line, so the text must be as regular as the tree.
#include "engine/model_json.hpp"

#include <cstdio>
#include <sstream>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

namespace askonce::model_json {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Dynamic::Var;

Object::Ptr new_object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string date_text(const model::Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month % 100, d.day % 100);
  return buf;
}

// Builds the JSON tree of one form. Holds the form so that field ids, section names and the
// order of languages can be looked up while building.
class Builder {
 public:
  explicit Builder(const model::Form& form) : form_(form) {}

  Object::Ptr form() const {
    auto o = new_object();
    o->set("askonce_model", shape_version);
    o->set("id", form_.id);
    o->set("version", static_cast<Poco::Int64>(form_.version));
    o->set("languages", strings(form_.languages));
    o->set("definition_hash", form_.definition_hash);
    set_text(*o, "title", form_.title);
    set_text(*o, "description", form_.description);
    set_text(*o, "standard", form_.standard);
    set_text(*o, "purpose", form_.purpose);
    set_text(*o, "eligibility", form_.eligibility);
    if (!form_.needs.empty()) {
      Array::Ptr needs = new Array;
      for (const auto& t : form_.needs) needs->add(text(t));
      o->set("needs", needs);
    }
    set_text(*o, "duration", form_.duration);
    if (!form_.apply_phone.empty() || !form_.apply_in_person.empty() || !form_.apply_mail.empty()) {
      auto apply = new_object();
      set_text(*apply, "phone", form_.apply_phone);
      set_text(*apply, "in_person", form_.apply_in_person);
      set_text(*apply, "mail", form_.apply_mail);
      o->set("apply", apply);
    }
    const model::Paper& paper = form_.paper;
    if (!paper.mail_to.empty() || !paper.phone.empty() || !paper.hours.empty() || !paper.omb_number.empty() ||
        !paper.privacy.empty() || !paper.burden.empty() || paper.burden_minutes > 0) {
      auto p = new_object();
      set_text(*p, "mail_to", paper.mail_to);
      if (!paper.phone.empty()) p->set("phone", paper.phone);
      set_text(*p, "hours", paper.hours);
      if (!paper.omb_number.empty()) {
        auto omb = new_object();
        omb->set("number", paper.omb_number);
        if (paper.omb_expires) omb->set("expires", date_text(*paper.omb_expires));
        p->set("omb", omb);
      }
      set_text(*p, "privacy", paper.privacy);
      set_text(*p, "burden", paper.burden);
      if (paper.burden_minutes > 0) p->set("burden_minutes", static_cast<Poco::Int64>(paper.burden_minutes));
      o->set("paper", p);
    }
    if (form_.plain_grade > 0) o->set("plain_grade", static_cast<Poco::Int64>(form_.plain_grade));

    Array::Ptr sections = new Array;
    for (const auto& s : form_.sections) sections->add(section(s));
    o->set("sections", sections);

    Array::Ptr fields = new Array;
    for (const auto& f : form_.fields) fields->add(field(f));
    o->set("fields", fields);

    Array::Ptr agencies = new Array;
    for (const auto& a : form_.agencies) agencies->add(agency(a));
    o->set("agencies", agencies);

    o->set("computed_order", field_ids(form_.computed_order));
    o->set("sources", strings(form_.sources));
    return o;
  }

 private:
  const model::Form& form_;

  static Array::Ptr strings(const std::vector<std::string>& values) {
    Array::Ptr a = new Array;
    for (const auto& v : values) a->add(v);
    return a;
  }

  // A reference to a field by its id; an unresolved one (never in a compiled model) keeps
  // its index so that the output still says something.
  std::string field_id(model::FieldId id) const {
    if (id < form_.fields.size()) return form_.fields[id].id;
    return "#" + std::to_string(id);
  }

  Array::Ptr field_ids(const std::vector<model::FieldId>& ids) const {
    Array::Ptr a = new Array;
    for (auto id : ids) a->add(field_id(id));
    return a;
  }

  // A text's strings in the form's language order (primary first), then any other
  // language the text carries, alphabetically.
  Object::Ptr text(const model::Text& t) const {
    auto o = new_object();
    for (const auto& lang : form_.languages) {
      if (auto it = t.find(lang); it != t.end()) o->set(lang, it->second);
    }
    for (const auto& [lang, value] : t) {
      if (!o->has(lang)) o->set(lang, value);
    }
    return o;
  }

  void set_text(Object& o, const std::string& key, const model::Text& t) const {
    if (!t.empty()) o.set(key, text(t));
  }

  static Var literal(const model::Literal& value) {
    return std::visit(
        [](const auto& v) -> Var {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return Var();
          } else if constexpr (std::is_same_v<T, bool>) {
            return v;
          } else if constexpr (std::is_same_v<T, model::Number>) {
            return v.digits;
          } else if constexpr (std::is_same_v<T, std::string>) {
            return v;
          } else if constexpr (std::is_same_v<T, model::Date>) {
            return date_text(v);
          } else {
            auto o = new_object();
            o->set("amount", static_cast<Poco::Int64>(v.amount));
            o->set("unit", std::string(unit_name(v.unit)));
            return o;
          }
        },
        value);
  }

  static void set_literal(Object& o, const std::string& key, const model::Literal& v) {
    if (!std::holds_alternative<std::monostate>(v)) o.set(key, literal(v));
  }

  Object::Ptr expr(const model::Expr& e) const {
    auto o = new_object();
    o->set("op", std::string(op_name(e.op)));
    o->set("type", std::string(type_name(e.type)));
    switch (e.op) {
      case model::Op::Literal:
        o->set("value", literal(e.value));
        return o;
      case model::Op::Field:
        o->set("field", e.field == model::no_field ? e.name : field_id(e.field));
        return o;
      case model::Op::Call:
        o->set("function", std::string(function_name(e.function)));
        break;
      default:
        break;
    }
    Array::Ptr args = new Array;
    for (const auto& a : e.args) args->add(expr(a));
    o->set("args", args);
    return o;
  }

  /// `e`: a std::optional or a model::Boxed expression.
  template <typename OptionalExpr>
  void set_expr(Object& o, const std::string& key, const OptionalExpr& e) const {
    if (e) o.set(key, expr(*e));
  }

  Object::Ptr section(const model::Section& s) const {
    auto o = new_object();
    o->set("name", s.name);
    set_text(*o, "title", s.title);
    o->set("fields", field_ids(s.fields));
    return o;
  }

  Object::Ptr field(const model::Field& f) const {
    auto o = new_object();
    o->set("id", f.id);
    o->set("name", f.name);
    o->set("kind", std::string(kind_name(f.kind)));
    o->set("type", std::string(type_name(f.type)));
    set_text(*o, "label", f.label);
    set_text(*o, "hint", f.hint);
    set_text(*o, "ask", f.ask);
    set_text(*o, "unanswered", f.unanswered);
    if (f.question != 0) o->set("question", static_cast<Poco::UInt64>(f.question));
    if (f.section < form_.sections.size()) o->set("section", form_.sections[f.section].name);
    if (f.parent != model::no_field) o->set("parent", field_id(f.parent));
    if (!f.children.empty()) o->set("children", field_ids(f.children));
    if (!f.block.empty()) o->set("block", f.block);
    if (!f.part.empty()) o->set("part", f.part);
    if (f.kind == model::Kind::Member) {
      o->set("json", std::string(model::json_type_name(f.json)));
      if (f.json_items != model::JsonType::Any) o->set("json_items", std::string(model::json_type_name(f.json_items)));
    }
    if (f.required) o->set("required", true);
    set_expr(*o, "required_if", f.required_if);
    set_expr(*o, "show_if", f.show_if);
    set_expr(*o, "computed", f.computed);
    if (!f.checks.empty()) {
      Array::Ptr checks = new Array;
      for (const auto& c : f.checks) {
        auto co = new_object();
        co->set("rule", expr(c.rule));
        set_text(*co, "message", c.message);
        if (c.only_if) co->set("if", expr(*c.only_if));
        checks->add(co);
      }
      o->set("checks", checks);
    }
    if (!f.patterns.empty()) {
      Array::Ptr patterns = new Array;
      for (const auto& p : f.patterns) {
        auto po = new_object();
        po->set("regex", p.regex);
        set_text(*po, "message", p.message);
        if (p.only_if) po->set("if", expr(*p.only_if));
        patterns->add(po);
      }
      o->set("patterns", patterns);
    }
    set_literal(*o, "min", f.min);
    set_literal(*o, "max", f.max);
    set_literal(*o, "default", f.default_value);
    if (const auto& opts = form_.options_of(f); !opts.empty()) {
      Array::Ptr options = new Array;
      for (const auto& opt : opts) {
        auto oo = new_object();
        oo->set("value", opt.value);
        set_text(*oo, "label", opt.label);
        options->add(oo);
      }
      o->set("options", options);
    }
    if (f.option_list != model::no_list && !form_.option_lists[f.option_list].name.empty()) {
      o->set("options_list", form_.option_lists[f.option_list].name);
    }
    if (f.sensitive) o->set("sensitive", true);
    return o;
  }

  Object::Ptr agency(const model::Agency& a) const {
    auto o = new_object();
    o->set("name", a.name);
    set_text(*o, "title", a.title);
    set_expr(*o, "when", a.when);
    Array::Ptr receives = new Array;
    for (const auto& r : a.receives) {
      auto ro = new_object();
      ro->set("field", r.field == model::no_field ? r.path : field_id(r.field));
      if (!r.as.empty()) ro->set("as", r.as);
      receives->add(ro);
    }
    o->set("receives", receives);
    const auto& x = a.xml;
    if (!x.root.empty() || !x.namespaces.empty() || !x.attributes.empty() || x.yes != "true" || x.no != "false") {
      auto xo = new_object();
      if (!x.root.empty()) xo->set("root", x.root);
      Array::Ptr namespaces = new Array;
      for (const auto& n : x.namespaces) {
        auto no = new_object();
        no->set("prefix", n.prefix);
        no->set("uri", n.uri);
        namespaces->add(no);
      }
      if (!x.namespaces.empty()) xo->set("namespaces", namespaces);
      Array::Ptr attributes = new Array;
      for (const auto& at : x.attributes) {
        auto ao = new_object();
        ao->set("name", at.name);
        ao->set("value", at.value);
        attributes->add(ao);
      }
      if (!x.attributes.empty()) xo->set("attributes", attributes);
      xo->set("yes", x.yes);
      xo->set("no", x.no);
      o->set("xml", xo);
    }
    if (a.standard) {
      auto so = new_object();
      so->set("amount", static_cast<Poco::Int64>(a.standard->amount));
      so->set("unit", std::string(a.standard->unit == model::ServiceStandard::Unit::WorkingDays ? "working_days" : "days"));
      set_text(*so, "text", a.standard->text);
      o->set("standard", so);
    }
    if (!a.messages.empty()) {
      Array::Ptr messages = new Array;
      for (const auto& m : a.messages) {
        auto mo = new_object();
        mo->set("name", m.name);
        set_text(*mo, "text", m.text);
        messages->add(mo);
      }
      o->set("messages", messages);
    }
    return o;
  }
};

// Writes a Poco JSON value, two spaces per level. Scalars (and string escaping) are Poco's.
void print(std::ostream& out, const Var& v, unsigned indent) {
  const std::string pad(indent + 2, ' ');
  if (v.type() == typeid(Object::Ptr)) {
    const auto& o = v.extract<Object::Ptr>();
    const auto names = o->getNames();  // insertion order, since the object preserves it
    if (names.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << pad;
      Poco::JSON::Stringifier::stringify(names[i], out);
      out << ": ";
      print(out, o->get(names[i]), indent + 2);
      out << (i + 1 < names.size() ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << '}';
  } else if (v.type() == typeid(Array::Ptr)) {
    const auto& a = v.extract<Array::Ptr>();
    if (a->size() == 0) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out << pad;
      print(out, a->get(static_cast<unsigned>(i)), indent + 2);
      out << (i + 1 < a->size() ? ",\n" : "\n");
    }
    out << std::string(indent, ' ') << ']';
  } else {
    Poco::JSON::Stringifier::stringify(v, out);
  }
}

}  // namespace

Poco::JSON::Object::Ptr to_object(const model::Form& form) { return Builder(form).form(); }

std::string to_json(const model::Form& form) {
  std::ostringstream out;
  print(out, Var(to_object(form)), 0);
  out << '\n';
  return out.str();
}

std::string_view kind_name(model::Kind kind) {
  using K = model::Kind;
  switch (kind) {
    case K::Text: return "text";
    case K::LongText: return "longtext";
    case K::Integer: return "integer";
    case K::Decimal: return "decimal";
    case K::Money: return "money";
    case K::Date: return "date";
    case K::YesNo: return "yesno";
    case K::Choice: return "choice";
    case K::Choices: return "choices";
    case K::Email: return "email";
    case K::Phone: return "phone";
    case K::Ssn: return "ssn";
    case K::Ein: return "ein";
    case K::Zip: return "zip";
    case K::Url: return "url";
    case K::Address: return "address";
    case K::Name: return "name";
    case K::Attest: return "attest";
    case K::Note: return "note";
    case K::Group: return "group";
    case K::Repeat: return "repeat";
    case K::Member: return "member";
  }
  return "unknown";
}

std::string_view type_name(model::Type type) {
  using T = model::Type;
  switch (type) {
    case T::Error: return "error";
    case T::Bool: return "bool";
    case T::Number: return "number";
    case T::Text: return "text";
    case T::Date: return "date";
    case T::Duration: return "duration";
    case T::Set: return "set";
    case T::List: return "list";
    case T::Group: return "group";
    case T::None: return "none";
  }
  return "unknown";
}

std::string_view op_name(model::Op op) {
  using O = model::Op;
  switch (op) {
    case O::Literal: return "literal";
    case O::Field: return "field";
    case O::Call: return "call";
    case O::Neg: return "neg";
    case O::Not: return "not";
    case O::Add: return "add";
    case O::Sub: return "sub";
    case O::Mul: return "mul";
    case O::Div: return "div";
    case O::Eq: return "eq";
    case O::Ne: return "ne";
    case O::Lt: return "lt";
    case O::Le: return "le";
    case O::Gt: return "gt";
    case O::Ge: return "ge";
    case O::And: return "and";
    case O::Or: return "or";
    case O::In: return "in";
    case O::NotIn: return "not_in";
  }
  return "unknown";
}

std::string_view function_name(model::Function function) {
  using F = model::Function;
  switch (function) {
    case F::Today: return "today";
    case F::Age: return "age";
    case F::Count: return "count";
    case F::Sum: return "sum";
    case F::Length: return "length";
    case F::IsBlank: return "is_blank";
    case F::Contains: return "contains";
    case F::Matches: return "matches";
  }
  return "unknown";
}

std::string_view unit_name(model::DurationUnit unit) {
  using U = model::DurationUnit;
  switch (unit) {
    case U::Days: return "days";
    case U::Weeks: return "weeks";
    case U::Months: return "months";
    case U::Years: return "years";
  }
  return "unknown";
}

}  // namespace askonce::model_json
