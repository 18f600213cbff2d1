// renderers/script.cpp: the form's rules as data for the shared runtime (script.hpp), and the
// runtime itself, embedded at build time. The rules are written with append_js_string for every
// string, so they are JSON that can stand inside a <script> element; the runtime
// (renderers/assets/form.js) reads them, and evaluates them as engine/evaluate.cpp does.
#include "renderers/script.hpp"

#include <map>

#include "engine/model_json.hpp"
#include "engine/plan.hpp"
#include "renderers/escape.hpp"
#include "renderers/wording.hpp"

namespace askonce::renderers {
namespace detail {
// renderers/embed.cmake writes these into form_runtime.cpp in the build tree.
extern const unsigned char form_runtime_bytes[];
extern const std::size_t form_runtime_size;
extern const char form_runtime_sha256[];
}  // namespace detail

namespace {

using model::Expr;
using model::Kind;
using model::Op;

std::string_view unit_name(model::DurationUnit u) {
  switch (u) {
    case model::DurationUnit::Days: return "days";
    case model::DurationUnit::Weeks: return "weeks";
    case model::DurationUnit::Months: return "months";
    case model::DurationUnit::Years: return "years";
  }
  return "days";
}

void write_expr(std::string& out, const model::Form& form, const Expr& e) {
  out += '[';
  switch (e.op) {
    case Op::Literal: {
      const auto& v = e.value;
      if (const auto* b = std::get_if<bool>(&v)) {
        out += *b ? "\"b\",true" : "\"b\",false";
      } else if (const auto* n = std::get_if<model::Number>(&v)) {
        out += "\"n\",";
        append_js_string(out, n->digits);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        out += "\"t\",";
        append_js_string(out, *s);
      } else if (const auto* d = std::get_if<model::Date>(&v)) {
        out += "\"d\"," + std::to_string(d->year) + "," + std::to_string(d->month) + "," + std::to_string(d->day);
      } else if (const auto* u = std::get_if<model::Duration>(&v)) {
        out += "\"u\"," + std::to_string(u->amount) + ",\"" + std::string(unit_name(u->unit)) + "\"";
      } else {
        out += "\"z\"";
      }
      break;
    }
    case Op::Field:
      out += "\"f\",";
      append_js_string(out, e.field < form.fields.size() ? form.fields[e.field].id : e.name);
      break;
    case Op::Call:
      out += '"';
      out += model_json::function_name(e.function);
      out += '"';
      for (const auto& a : e.args) {
        out += ',';
        write_expr(out, form, a);
      }
      break;
    default:
      out += '"';
      out += model_json::op_name(e.op);
      out += '"';
      for (const auto& a : e.args) {
        out += ',';
        write_expr(out, form, a);
      }
  }
  out += ']';
}

/// `"name": ` with the name as a JSON string.
void key(std::string& out, std::string_view name) {
  append_js_string(out, name);
  out += ": ";
}

}  // namespace

std::string form_rules_json(const engine::Plan& plan, const Wording& words) {
  const model::Form& form = plan.form();
  std::string out = "{\"form\": ";
  append_js_string(out, form.id);
  out += ", \"version\": " + std::to_string(form.version) + ",\n\"fields\": [";
  // One object per field, in form order (FieldId order): the runtime finds a group's parts
  // as the fields after it, as the engine's is_blank does.
  bool first_field = true;
  for (model::FieldId f = 0; f < form.fields.size(); ++f) {
    const model::Field& field = form.fields[f];
    if (field.kind == Kind::Member) continue;  // never on a page, never in a rule: the page's script has no use for it
    out += first_field ? "\n" : ",\n";
    first_field = false;
    out += "{\"id\": ";
    append_js_string(out, field.id);
    out += ", \"k\": \"";
    out += model_json::kind_name(field.kind);
    out += "\", \"p\": ";
    if (field.parent == model::no_field) {
      out += "null";
    } else {
      append_js_string(out, form.fields[field.parent].id);
    }
    // The `state` part of an address is upper-cased as it is read (engine/plan.cpp).
    if (field.parent != model::no_field && form.fields[field.parent].kind == Kind::Address && field.part == "state") {
      out += ", \"u\": true";
    }
    // An email checked by its own patterns: its value is the text, not a canonical address.
    if (model::checked_by_pattern(field)) out += ", \"by_pattern\": true";
    if (field.kind == Kind::Choices) {  // a set is kept in the order the options are listed
      out += ", \"o\": [";
      bool first = true;
      for (const auto& o : form.options_of(field)) {
        if (!first) out += ", ";
        first = false;
        append_js_string(out, o.value);
      }
      out += "]";
    }
    // A computed choice is said by its options' labels, in the page's language.
    if (field.computed && (field.kind == Kind::Choice || field.kind == Kind::Choices)) {
      out += ", \"labels\": {";
      bool first = true;
      for (const auto& o : form.options_of(field)) {
        if (!first) out += ", ";
        first = false;
        key(out, o.value);
        append_js_string(out, words.text(o.label));
      }
      out += "}";
    }
    const auto expr = [&](std::string_view name, const model::Boxed<Expr>& e) {
      if (!e) return;
      out += ", \"";
      out += name;
      out += "\": ";
      write_expr(out, form, *e);
    };
    expr("show", field.show_if);
    expr("req", field.required_if);
    expr("calc", field.computed);
    // The conditions of its rules of one alternative (`... if EXPR`), checks then patterns, as
    // Wording numbers them (CheckWords::index): the page shows each rule only while it applies.
    bool first_if = true;
    const auto rule_if = [&](const model::Boxed<Expr>& when) {
      if (!when) return;
      out += first_if ? ", \"ifs\": [" : ", ";
      first_if = false;
      write_expr(out, form, *when);
    };
    for (const auto& c : field.checks) rule_if(c.only_if);
    for (const auto& pt : field.patterns) rule_if(pt.only_if);
    if (!first_if) out += "]";
    out += "}";
  }
  // Computed values in the page's words (Wording::value): yes and no, and each month's date
  // as a pattern with the year 1111 and the day 22, which the runtime replaces.
  out += "\n],\n\"words\": {\"yes\": ";
  append_js_string(out, words.ui(Ui::Yes));
  out += ", \"no\": ";
  append_js_string(out, words.ui(Ui::No));
  out += ", \"agreed\": ";
  append_js_string(out, words.ui(Ui::Agreed));
  out += ", \"not_agreed\": ";
  append_js_string(out, words.ui(Ui::NotAgreed));
  out += ", \"dates\": [";
  for (unsigned m = 1; m <= 12; ++m) {
    if (m > 1) out += ", ";
    append_js_string(out, words.date(model::Date{1111, m, 22}));
  }
  out += "]}}";
  return out;
}

RenderResult render_form_rules(const RenderRequest& request) {
  RenderResult result;
  if (request.plan == nullptr) return result;
  const Wording words(request.plan->form(), request.language);
  result.bytes = form_rules_json(*request.plan, words);
  result.bytes += '\n';
  return result;
}

std::string answers_json(std::span<const std::pair<std::string, std::string>> fields) {
  std::vector<std::string_view> order;
  std::map<std::string_view, std::vector<std::string_view>> values;
  for (const auto& [name, value] : fields) {
    auto& v = values[name];
    if (v.empty()) order.push_back(name);
    v.push_back(value);
  }
  std::string out = "{";
  for (const auto name : order) {
    if (out.size() > 1) out += ", ";
    key(out, name);
    const auto& v = values[name];
    if (v.size() == 1) {
      append_js_string(out, v.front());
      continue;
    }
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ", ";
      append_js_string(out, v[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

std::string_view form_runtime() {
  return {reinterpret_cast<const char*>(detail::form_runtime_bytes), detail::form_runtime_size};
}

std::string_view form_runtime_tag() { return std::string_view(detail::form_runtime_sha256).substr(0, 16); }

const std::string& form_runtime_url() {
  static const std::string url = "/assets/askonce/form." + std::string(form_runtime_tag()) + ".js";
  return url;
}

}  // namespace askonce::renderers
