// engine/reuse.cpp: answers carried from one form to another through shared blocks (reuse.hpp).
#include "engine/reuse.hpp"

#include <map>
#include <optional>
#include <string_view>

#include "engine/answers.hpp"
#include "engine/plan.hpp"
#include "engine/value.hpp"

namespace askonce::engine {
namespace {

using model::FieldId;
using model::Kind;

using model::inside_repeat;

/// The groups of `form` that use each block exactly once outside repeats: block -> group.
std::map<std::string, FieldId> single_uses(const model::Form& form) {
  std::map<std::string, std::optional<FieldId>> seen;
  for (FieldId f = 0; f < form.fields.size(); ++f) {
    const auto& field = form.fields[f];
    if (field.kind != Kind::Group || field.block.empty()) continue;
    if (inside_repeat(form, f)) continue;  // used per entry: other people, never reused
    auto [it, fresh] = seen.emplace(field.block, f);
    if (!fresh) it->second = std::nullopt;  // used twice: which one is which would be a guess
  }
  std::map<std::string, FieldId> out;
  for (const auto& [block, group] : seen) {
    if (group) out.emplace(block, *group);
  }
  return out;
}

/// Whether `f` lies under `group` (at any depth).
bool under(const model::Form& form, FieldId f, FieldId group) {
  for (FieldId p = form.fields[f].parent; p != model::no_field; p = form.fields[p].parent) {
    if (p == group) return true;
  }
  return false;
}

std::map<std::string_view, FieldId> by_id(const model::Form& form) {
  std::map<std::string_view, FieldId> out;
  for (FieldId f = 0; f < form.fields.size(); ++f) out.emplace(form.fields[f].id, f);
  return out;
}

/// A field that holds an answer of its own: not a container, not worked out, not a note.
bool answerable(const model::Field& field) {
  if (field.computed || !field.children.empty()) return false;
  switch (field.kind) {
    case Kind::Group: case Kind::Repeat: case Kind::Note: case Kind::Attest: case Kind::Member: return false;
    default: return true;
  }
}

}  // namespace

Reused reuse_answers(const Plan& from, std::span<const std::pair<std::string, std::string>> answers, const Plan& to) {
  const model::Form& a = from.form();
  const model::Form& b = to.form();
  const auto a_uses = single_uses(a), b_uses = single_uses(b);
  const auto a_ids = by_id(a), b_ids = by_id(b);

  // The earlier form's field id for each of the new form's fields that can take its answer.
  std::map<std::string, std::string, std::less<>> rename;  // from-id -> to-id
  std::vector<std::string> order;                          // to-ids, in the new form's order
  for (FieldId t = 0; t < b.fields.size(); ++t) {
    const auto& target = b.fields[t];
    if (!answerable(target) || inside_repeat(b, t)) continue;
    for (const auto& [block, b_group] : b_uses) {
      if (!under(b, t, b_group)) continue;
      const auto a_group = a_uses.find(block);
      if (a_group == a_uses.end()) break;
      const std::string rest = target.id.substr(b.fields[b_group].id.size());  // ".name.first"
      const std::string source_id = a.fields[a_group->second].id + rest;
      const auto s = a_ids.find(source_id);
      if (s == a_ids.end()) break;
      const auto& source = a.fields[s->second];
      if (!answerable(source) || source.kind != target.kind || source.part != target.part) break;
      rename.emplace(source_id, target.id);
      order.push_back(target.id);
      break;
    }
  }

  Reused out;
  std::map<std::string, bool, std::less<>> filled;
  for (const auto& [name, value] : answers) {
    std::string_view id = name;
    std::string_view suffix;
    // A date's three boxes are named after the date: "birth_date.month".
    for (std::string_view part : {".month", ".day", ".year"}) {
      if (id.ends_with(part) && rename.find(id) == rename.end()) {
        suffix = id.substr(id.size() - part.size());
        id.remove_suffix(part.size());
        break;
      }
    }
    const auto it = rename.find(id);
    if (it == rename.end()) continue;
    if (!suffix.empty() && b.fields[b_ids.at(it->second)].kind != Kind::Date) continue;
    out.answers.emplace_back(it->second + std::string(suffix), value);
    if (!value.empty()) filled[it->second] = true;
  }
  for (const auto& id : order) {
    if (filled.count(id)) out.fields.push_back(id);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> flat_answers(const Plan& plan, const Submission& submission) {
  const model::Form& form = plan.form();
  std::vector<std::pair<std::string, std::string>> out;
  for (FieldId f = 0; f < form.fields.size(); ++f) {
    const auto& field = form.fields[f];
    if (field.computed || !field.children.empty()) continue;
    // A member is never a web answer: the web and keying paths never send it.
    if (field.kind == Kind::Group || field.kind == Kind::Repeat || field.kind == Kind::Note || field.kind == Kind::Member) {
      continue;
    }
    for_each_answer(plan, submission.answers, f, [&](std::span<const std::uint32_t> indexes, const Answer& a) {
      if (!a.shown || a.value.blank()) return;
      const std::string name = instance_path(plan, f, indexes);
      const Value& v = a.value;
      switch (v.type) {
        case ValueType::Blank: case ValueType::Json: break;
        case ValueType::Bool: out.emplace_back(name, v.boolean ? "yes" : "no"); break;
        case ValueType::Number: out.emplace_back(name, v.number.to_string()); break;
        case ValueType::Text: out.emplace_back(name, v.text); break;
        case ValueType::Date: out.emplace_back(name, to_iso(v.date)); break;
        case ValueType::Set:
          for (const auto& item : v.items) out.emplace_back(name, item);
          break;
      }
    });
  }
  return out;
}

}  // namespace askonce::engine
