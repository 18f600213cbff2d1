// engine/views.cpp: an agency's view of a submission, as JSON and as XML.
//
// The answers an agency receives are first gathered into a small tree of items (objects,
// arrays, values) shaped by the agency's layout (layout.hpp); the JSON and XML writers then
// only print that tree, so the two formats always carry the same answers.
#include "engine/views.hpp"

#include "engine/json_writer.hpp"
#include "engine/layout.hpp"
#include "engine/xml_writer.hpp"

namespace askonce::engine {
namespace {

using model::FieldId;
using model::Kind;

struct Item {
  enum class Type : std::uint8_t { Value, Object, Array };
  Type type = Type::Value;
  std::string_view name;               // a member's name, and the element's name in XML
  const model::Field* field = nullptr;  // Type::Value
  const Value* value = nullptr;         // Type::Value
  std::vector<Item> children;           // members of an object, elements of an array
};

bool holds_value(Kind k) {
  return k != Kind::Group && k != Kind::Address && k != Kind::Name && k != Kind::Repeat && k != Kind::Note;
}

/// The exact text of a number: money always with 2 decimals, as in the canonical document.
std::string number_text(const model::Field& f, const Value& v) {
  return f.kind == Kind::Money ? v.number.to_fixed(2) : v.number.to_string();
}

class Gather {
 public:
  /// `xml`: for the XML view, which leaves members out (JSON values with no XML meaning).
  Gather(const Plan& plan, bool xml) : plan_(plan), form_(plan.form()), xml_(xml) {}

  /// The layout's nodes as the members of one object; nothing when none has an answer.
  std::optional<Item> object(const std::vector<LayoutNode>& nodes, const Entry& root) {
    Item out;
    out.type = Item::Type::Object;
    for (const auto& n : nodes) {
      std::optional<Item> member = n.field == model::no_field ? object(n.children, root) : receipt(n.field, root);
      if (!member) continue;
      member->name = n.name;
      out.children.push_back(std::move(*member));
    }
    if (out.children.empty()) return std::nullopt;
    return out;
  }

 private:
  /// A received field: its one answer at the top level, or, inside repeats, an array of its
  /// answers in every entry (a repeat's entries are gathered into one array).
  std::optional<Item> receipt(FieldId f, const Entry& root) {
    const auto repeats = plan_.repeats_around(f);
    std::vector<const Entry*> chain{&root};
    if (repeats.empty()) return instance(f, chain);
    Item list;
    list.type = Item::Type::Array;
    collect(f, repeats, chain, list);
    if (list.children.empty()) return std::nullopt;
    return list;
  }

  void collect(FieldId f, const std::vector<FieldId>& repeats, std::vector<const Entry*>& chain, Item& list) {
    const std::size_t level = chain.size() - 1;
    if (level == repeats.size()) {
      auto inst = instance(f, chain);
      if (!inst) return;
      if (form_.fields[f].kind == Kind::Repeat) {
        for (auto& e : inst->children) list.children.push_back(std::move(e));
      } else {
        list.children.push_back(std::move(*inst));
      }
      return;
    }
    const Answer& r = chain.back()->answers[plan_.slot(repeats[level])];
    if (!r.shown) return;
    for (const Entry& e : r.entries) {
      chain.push_back(&e);
      collect(f, repeats, chain, list);
      chain.pop_back();
    }
  }

  /// Field `f` in the entry at the end of `chain` (one entry per repeat around it).
  std::optional<Item> instance(FieldId f, std::vector<const Entry*>& chain) {
    const model::Field& field = form_.fields[f];
    if (field.kind == Kind::Note || (xml_ && field.kind == Kind::Member)) return std::nullopt;
    const Answer& a = chain.back()->answers[plan_.slot(f)];
    if (!a.shown) return std::nullopt;
    Item out;
    if (holds_value(field.kind)) {
      if (a.value.blank() || (a.value.type == ValueType::Set && a.value.items.empty())) return std::nullopt;
      out.field = &field;
      out.value = &a.value;
      return out;
    }
    if (field.kind == Kind::Repeat) {
      out.type = Item::Type::Array;
      for (const Entry& e : a.entries) {
        chain.push_back(&e);
        Item entry = members(field.children, chain);
        chain.pop_back();
        out.children.push_back(std::move(entry));
      }
      if (out.children.empty()) return std::nullopt;
      return out;
    }
    out = members(field.children, chain);
    if (out.children.empty()) return std::nullopt;
    return out;
  }

  /// The parts of a block, composite or repeat entry, under their own names.
  Item members(const std::vector<FieldId>& fields, std::vector<const Entry*>& chain) {
    Item out;
    out.type = Item::Type::Object;
    for (FieldId c : fields) {
      auto m = instance(c, chain);
      if (!m) continue;
      m->name = form_.fields[c].name;
      out.children.push_back(std::move(*m));
    }
    return out;
  }

  const Plan& plan_;
  const model::Form& form_;
  bool xml_ = false;
};

// ---- JSON -----------------------------------------------------------------------------------

void json_item(JsonWriter& w, const Item& it) {
  switch (it.type) {
    case Item::Type::Object:
      w.begin_object();
      for (const auto& c : it.children) {
        w.key(c.name);
        json_item(w, c);
      }
      w.end_object();
      return;
    case Item::Type::Array:
      w.begin_array();
      for (const auto& c : it.children) json_item(w, c);
      w.end_array();
      return;
    case Item::Type::Value: break;
  }
  const Value& v = *it.value;
  switch (v.type) {
    case ValueType::Bool: w.boolean(v.boolean); break;
    case ValueType::Number: w.number(number_text(*it.field, v)); break;
    case ValueType::Date: w.string(to_iso(v.date)); break;
    case ValueType::Set:
      w.begin_array();
      for (const auto& s : v.items) w.string(s);
      w.end_array();
      break;
    case ValueType::Json: w.number(v.text); break;  // a member: canonical JSON, written as it is
    case ValueType::Text:
    case ValueType::Blank: w.string(v.text); break;
  }
}

std::string json_document(const Submission& s, const model::Agency& agency, const std::optional<Item>& data) {
  JsonWriter w;
  w.begin_object();
  w.key("form");
  w.string(s.form_id);
  w.key("version");
  w.number(std::to_string(s.version));
  w.key("definition_hash");
  w.string(s.definition_hash);
  w.key("submission_digest");
  w.string(s.digest);
  w.key("received");
  w.string(s.received);
  w.key("agency");
  w.string(agency.name);
  w.key("data");
  if (data) {
    json_item(w, *data);
  } else {
    w.begin_object();
    w.end_object();
  }
  w.end_object();
  return w.take() + "\n";
}

// ---- XML ------------------------------------------------------------------------------------

void xml_item(XmlWriter& w, std::string_view name, const Item& it, const model::XmlSettings& x) {
  switch (it.type) {
    case Item::Type::Object:
      w.start(name);
      for (const auto& c : it.children) xml_item(w, c.name, c, x);
      w.end();
      return;
    case Item::Type::Array:
      for (const auto& c : it.children) xml_item(w, name, c, x);
      return;
    case Item::Type::Value: break;
  }
  const Value& v = *it.value;
  switch (v.type) {
    case ValueType::Bool: w.element(name, v.boolean ? x.yes : x.no); break;
    case ValueType::Number: w.element(name, number_text(*it.field, v)); break;
    case ValueType::Date: w.element(name, to_iso(v.date)); break;
    case ValueType::Set:
      for (const auto& s : v.items) w.element(name, s);
      break;
    case ValueType::Json:  // never: the XML view leaves members out
    case ValueType::Text:
    case ValueType::Blank: w.element(name, v.text); break;
  }
}

std::string pi_value(std::string_view s) {
  // The metadata is names, numbers, hashes and a time; nothing that could end the instruction.
  std::string out;
  for (char c : s) {
    if (c != '"' && c != '?' && c != '>' && static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

/// The document; empty only when libxml2 itself failed (out of memory).
std::string xml_document(const Submission& s, const model::Agency& agency, const Item& data) {
  const model::XmlSettings& x = agency.xml;
  XmlWriter w;
  w.processing_instruction(
      "askonce", "form=\"" + pi_value(s.form_id) + "\" version=\"" + std::to_string(s.version) +
                     "\" definition-hash=\"" + pi_value(s.definition_hash) + "\" submission-digest=\"" +
                     pi_value(s.digest) + "\" received=\"" + pi_value(s.received) + "\" agency=\"" +
                     pi_value(agency.name) + "\"");
  w.start(x.root.empty() ? agency.name : x.root);
  for (const auto& ns : x.namespaces) w.attribute(ns.prefix.empty() ? "xmlns" : "xmlns:" + ns.prefix, ns.uri);
  for (const auto& a : x.attributes) w.attribute(a.name, a.value);
  for (const auto& c : data.children) xml_item(w, c.name, c, x);
  w.end();
  return w.finish().value_or(std::string());
}

}  // namespace

namespace {

/// The view of an agency whose `when` holds.
std::string view_of(const Plan& plan, const Submission& submission, const model::Agency& a, ViewFormat format) {
  Gather gather(plan, format == ViewFormat::Xml);
  if (format == ViewFormat::Json) {
    const auto layout = agency_layout(plan.form(), a, LayoutMerge::Any);
    return json_document(submission, a, gather.object(layout, submission.answers));
  }
  const auto layout = agency_layout(plan.form(), a, LayoutMerge::Consecutive);
  const auto data = gather.object(layout, submission.answers);
  return xml_document(submission, a, data ? *data : Item{Item::Type::Object, {}, nullptr, nullptr, {}});
}

}  // namespace

std::optional<std::string> agency_view(const Plan& plan, const Submission& submission, std::size_t agency,
                                       ViewFormat format, const EvalContext& context) {
  const model::Form& form = plan.form();
  if (agency >= form.agencies.size() || !agency_applies(plan, submission, agency, context)) return std::nullopt;
  return view_of(plan, submission, form.agencies[agency], format);
}

std::vector<AgencyView> route(const Plan& plan, const Submission& submission, ViewFormat format,
                              const EvalContext& context) {
  std::vector<AgencyView> out;
  const auto& agencies = plan.form().agencies;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    if (auto doc = agency_view(plan, submission, i, format, context)) {
      out.push_back(AgencyView{agencies[i].name, format, std::move(*doc)});
    }
  }
  return out;
}

std::vector<AgencyViews> route_both(const Plan& plan, const Submission& submission, const EvalContext& context) {
  std::vector<AgencyViews> out;
  const auto& agencies = plan.form().agencies;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    if (!agency_applies(plan, submission, i, context)) continue;
    out.push_back(AgencyViews{agencies[i].name, view_of(plan, submission, agencies[i], ViewFormat::Json),
                              view_of(plan, submission, agencies[i], ViewFormat::Xml)});
  }
  return out;
}

}  // namespace askonce::engine
