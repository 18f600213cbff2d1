// server/http/web_post.cpp: answers and controls of a form post; adding and removing entries.
#include "server/http/web_post.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "renderers/html.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

constexpr std::size_t no_index = std::numeric_limits<std::size_t>::max();

/// Digits at `s[i]...` up to `]`: the index, and `i` moved past the `]`; nothing otherwise.
std::optional<std::size_t> read_index(std::string_view s, std::size_t& i) {
  std::size_t v = 0, start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (v > 100000) return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(s[i++] - '0');
  }
  if (i == start || i >= s.size() || s[i] != ']') return std::nullopt;
  ++i;
  return v;
}

/// For a name "PREFIX[n]REST" with REST empty or starting with '.' or '[': n. Otherwise no_index.
std::size_t entry_index(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return no_index;
  std::size_t i = prefix.size();
  const auto n = read_index(name, i);
  if (!n || (i < name.size() && name[i] != '.' && name[i] != '[')) return no_index;
  return *n;
}

/// A count bound as the engine reads it (engine/value.hpp), at most 100,000; `none` when
/// there is none.
std::size_t count_of(const model::Literal& v, std::size_t none) {
  const auto n = engine::count_bound(v);
  return n ? static_cast<std::size_t>(std::min<std::uint64_t>(*n, 100000)) : none;
}

}  // namespace

FormPost split_post(Fields fields) {
  FormPost out;
  out.answers.reserve(fields.size());
  for (auto& [name, value] : fields) {
    if (name.starts_with("askonce:")) {
      out.controls.emplace(std::move(name), std::move(value));  // the first one sent stays
    } else {
      out.answers.emplace_back(std::move(name), std::move(value));
    }
  }
  return out;
}

void add_entry(const engine::Plan& plan, std::string_view repeat_path, Fields& answers) {
  // Walk the path's parts ("household[0]", "pets") through the form's scopes: every part but
  // the last names an entry of a repeat (or a group or composite), the last a repeat itself.
  const model::Form& form = plan.form();
  model::FieldId scope = model::no_field;
  std::string_view rest = repeat_path;
  while (true) {
    const auto dot = rest.find('.');
    std::string_view part = rest.substr(0, dot);
    const bool last = dot == std::string_view::npos;
    bool indexed = false;
    if (const auto bracket = part.find('['); bracket != std::string_view::npos) {
      std::size_t i = bracket + 1;
      if (!read_index(part, i) || i != part.size()) return;
      part = part.substr(0, bracket);
      indexed = true;
    }
    const model::FieldId f = plan.member(scope, part);
    if (f == model::no_field) return;
    const bool repeat = form.fields[f].kind == model::Kind::Repeat;
    scope = f;
    if (last) {
      if (!repeat || indexed) return;
      break;
    }
    if (repeat != indexed) return;  // inside a repeat means inside one of its entries
    rest = rest.substr(dot + 1);
  }
  const model::Field& repeat = form.fields[scope];
  if (repeat.children.empty()) return;
  const std::string prefix = std::string(repeat_path) + "[";
  std::size_t entries = 0;
  for (const auto& [name, value] : answers) {
    const std::size_t n = entry_index(name, prefix);
    if (n != no_index) entries = std::max(entries, n + 1);
  }
  if (entries >= count_of(repeat.max, 1000)) return;
  answers.emplace_back(prefix + std::to_string(entries) + "]." + form.fields[repeat.children.front()].name, "");
}

void remove_entry(std::string_view entry_path, Fields& answers) {
  const auto bracket = entry_path.rfind('[');
  if (bracket == std::string_view::npos || bracket == 0) return;
  std::size_t i = bracket + 1;
  const auto removed = read_index(entry_path, i);
  if (!removed || i != entry_path.size()) return;
  const std::string prefix(entry_path.substr(0, bracket + 1));
  Fields kept;
  kept.reserve(answers.size());
  for (auto& [name, value] : answers) {
    const std::size_t n = entry_index(name, prefix);
    if (n == no_index || n < *removed) {
      kept.emplace_back(std::move(name), std::move(value));
    } else if (n > *removed) {
      const auto close = name.find(']', prefix.size());
      kept.emplace_back(prefix + std::to_string(n - 1) + name.substr(close), std::move(value));
    }
  }
  answers = std::move(kept);
}

namespace {

/// Whether flat name `name` answers the field with id `id` or a part of it.
bool under(std::string_view name, std::string_view id) {
  return name.starts_with(id) && (name.size() == id.size() || name[id.size()] == '.' || name[id.size()] == '[');
}

/// A top-level field that asks the citizen something on a step: not a note, not a computed
/// value, not the declaration.
bool asks(const model::Form& form, model::FieldId f) {
  const auto& field = form.fields[f];
  return field.kind != model::Kind::Note && field.kind != model::Kind::Member && !field.computed &&
         !renderers::declaration_field(form, f);
}

bool shown(const engine::Plan& plan, const engine::Result& checked, model::FieldId f) {
  const auto& answers = checked.submission.answers.answers;
  const auto slot = plan.slot(f);
  return slot < answers.size() && answers[slot].shown;
}

/// The top-level field an error is about, or no_field (the input as a whole).
model::FieldId top_of(const model::Form& form, model::FieldId f) {
  if (f >= form.fields.size()) return model::no_field;
  while (form.fields[f].parent != model::no_field) f = form.fields[f].parent;
  return f;
}

bool is_seen(const Fields& draft, std::string_view id) {
  return std::any_of(draft.begin(), draft.end(),
                     [&](const auto& kv) { return kv.first == seen_marker && kv.second == id; });
}

}  // namespace

Fields engine_answers(const Fields& draft) {
  Fields out;
  out.reserve(draft.size());
  for (const auto& kv : draft) {
    if (!kv.first.starts_with("askonce:")) out.push_back(kv);
  }
  return out;
}

bool in_step(const engine::Plan& plan, std::size_t section, std::string_view name) {
  const model::Form& form = plan.form();
  if (section >= form.sections.size()) return false;
  for (model::FieldId f : form.sections[section].fields) {
    if (!renderers::declaration_field(form, f) && under(name, form.fields[f].id)) return true;
  }
  return false;
}

bool in_declaration(const engine::Plan& plan, std::string_view name) {
  const model::Form& form = plan.form();
  for (const auto& section : form.sections) {
    for (model::FieldId f : section.fields) {
      if (renderers::declaration_field(form, f) && under(name, form.fields[f].id)) return true;
    }
  }
  return false;
}

void merge_step(const engine::Plan& plan, std::size_t section, const Fields& posted, Fields& draft) {
  Fields before;
  for (const auto& kv : draft) {
    if (in_step(plan, section, kv.first)) before.push_back(kv);
  }
  std::erase_if(draft, [&](const auto& kv) { return in_step(plan, section, kv.first); });
  for (const auto& kv : posted) {
    if (in_step(plan, section, kv.first)) draft.push_back(kv);
  }
  // Reused answers of this step: kept when sensitive and left blank, unmarked when changed.
  const model::Form& form = plan.form();
  std::vector<std::string> changed;
  for (const std::string& id : reused_fields(draft)) {
    if (!in_step(plan, section, id)) continue;
    const auto values = [&](const Fields& from) {
      Fields out;
      for (const auto& kv : from) {
        if (under(kv.first, id)) out.push_back(kv);
      }
      return out;
    };
    const Fields old_values = values(before), new_values = values(draft);
    const bool sensitive = std::any_of(form.fields.begin(), form.fields.end(),
                                       [&](const model::Field& f) { return f.id == id && f.sensitive; });
    const bool blank = std::all_of(new_values.begin(), new_values.end(), [](const auto& kv) { return kv.second.empty(); });
    if (sensitive && blank) {
      std::erase_if(draft, [&](const auto& kv) { return under(kv.first, id); });
      draft.insert(draft.end(), old_values.begin(), old_values.end());
    } else if (old_values != new_values) {
      changed.push_back(id);
    }
  }
  std::erase_if(draft, [&](const auto& kv) {
    return kv.first == reused_marker && std::find(changed.begin(), changed.end(), kv.second) != changed.end();
  });
}

std::vector<std::string> reused_fields(const Fields& draft) {
  std::vector<std::string> out;
  for (const auto& [name, value] : draft) {
    if (name == reused_marker) out.push_back(value);
  }
  return out;
}

void merge_declaration(const engine::Plan& plan, const Fields& posted, Fields& draft) {
  std::erase_if(draft, [&](const auto& kv) { return in_declaration(plan, kv.first); });
  for (const auto& kv : posted) {
    if (in_declaration(plan, kv.first)) draft.push_back(kv);
  }
}

void mark_seen(const engine::Plan& plan, std::size_t section, const engine::Result& checked, Fields& draft) {
  const model::Form& form = plan.form();
  if (section >= form.sections.size()) return;
  const auto& fields = form.sections[section].fields;
  std::erase_if(draft, [&](const auto& kv) {
    return kv.first == seen_marker &&
           std::any_of(fields.begin(), fields.end(), [&](model::FieldId f) { return form.fields[f].id == kv.second; });
  });
  for (model::FieldId f : fields) {
    if (asks(form, f) && shown(plan, checked, f)) draft.emplace_back(std::string(seen_marker), form.fields[f].id);
  }
}

std::vector<std::size_t> shown_steps(const engine::Plan& plan, const engine::Result& checked) {
  const model::Form& form = plan.form();
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s < form.sections.size(); ++s) {
    const auto& fields = form.sections[s].fields;
    if (std::any_of(fields.begin(), fields.end(),
                    [&](model::FieldId f) { return asks(form, f) && shown(plan, checked, f); })) {
      out.push_back(s);
    }
  }
  return out;
}

std::vector<engine::Error> step_errors(const engine::Plan& plan, const engine::Result& checked, std::size_t section,
                                       const Fields& draft, bool seen_only) {
  const model::Form& form = plan.form();
  std::vector<engine::Error> out;
  for (const auto& e : checked.errors) {
    const model::FieldId top = top_of(form, e.field);
    if (top == model::no_field) {
      out.push_back(e);  // about the input as a whole: shown wherever the citizen is
      continue;
    }
    if (form.fields[top].section != section || renderers::declaration_field(form, top)) continue;
    if (seen_only && !is_seen(draft, form.fields[top].id)) continue;
    out.push_back(e);
  }
  return out;
}

std::vector<engine::Error> declaration_errors(const engine::Plan& plan, const engine::Result& checked) {
  const model::Form& form = plan.form();
  std::vector<engine::Error> out;
  for (const auto& e : checked.errors) {
    if (renderers::declaration_field(form, top_of(form, e.field))) out.push_back(e);
  }
  return out;
}

std::optional<std::size_t> first_unfinished_step(const engine::Plan& plan, const engine::Result& checked,
                                                 const Fields& draft) {
  const model::Form& form = plan.form();
  std::optional<std::size_t> first;
  const auto consider = [&](std::size_t s) {
    if (!first || s < *first) first = s;
  };
  for (const auto& e : checked.errors) {
    const model::FieldId top = top_of(form, e.field);
    if (top != model::no_field && !renderers::declaration_field(form, top)) consider(form.fields[top].section);
  }
  for (std::size_t s : shown_steps(plan, checked)) {
    for (model::FieldId f : form.sections[s].fields) {
      if (asks(form, f) && shown(plan, checked, f) && !is_seen(draft, form.fields[f].id)) consider(s);
    }
  }
  return first;
}

void keep_known(const engine::Plan& plan, Fields& draft) {
  const model::Form& form = plan.form();
  std::erase_if(draft, [&](const auto& kv) {
    if (kv.first == seen_marker) {
      return std::none_of(form.fields.begin(), form.fields.end(), [&](const auto& f) {
        return f.parent == model::no_field && f.id == kv.second;
      });
    }
    if (kv.first == reused_marker) {
      return std::none_of(form.fields.begin(), form.fields.end(), [&](const auto& f) { return f.id == kv.second; });
    }
    if (kv.first == keyed_by_marker || kv.first == received_marker) return false;
    if (in_declaration(plan, kv.first)) return false;
    for (std::size_t s = 0; s < form.sections.size(); ++s) {
      if (in_step(plan, s, kv.first)) return false;
    }
    return true;
  });
}

std::optional<std::size_t> find_section(const engine::Plan& plan, std::string_view name) {
  const auto& sections = plan.form().sections;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    if (sections[s].name == name) return s;
  }
  return std::nullopt;
}

std::string answers_fingerprint(const Fields& answers) {
  std::string all;
  for (const auto& [name, value] : answers) {
    // Lengths first, so that no two different lists of answers make the same bytes.
    all += std::to_string(name.size()) + ":" + name + std::to_string(value.size()) + ":" + value;
  }
  return sha256_hex(all);
}

}  // namespace askonce::server
