// engine/answers.cpp: finding answers by field and entry.
#include "engine/answers.hpp"

#include "engine/plan.hpp"
#include "engine/plan_internal.hpp"

namespace askonce::engine {

const Answer* find(const Plan& plan, const Entry& root, model::FieldId f, std::span<const std::uint32_t> indexes) {
  const auto repeats = plan.repeats_around(f);
  if (indexes.size() != repeats.size()) return nullptr;
  const Entry* e = &root;
  for (std::size_t k = 0; k < repeats.size(); ++k) {
    const std::uint32_t slot = plan.slot(repeats[k]);
    if (slot >= e->answers.size()) return nullptr;
    const Answer& r = e->answers[slot];
    if (indexes[k] >= r.entries.size()) return nullptr;
    e = &r.entries[indexes[k]];
  }
  const std::uint32_t slot = plan.slot(f);
  return slot < e->answers.size() ? &e->answers[slot] : nullptr;
}

namespace {

void visit(const Plan& plan, const std::vector<model::FieldId>& repeats, std::size_t level, const Entry& e,
           std::uint32_t slot, std::vector<std::uint32_t>& indexes,
           const std::function<void(std::span<const std::uint32_t>, const Answer&)>& fn) {
  if (level == repeats.size()) {
    if (slot < e.answers.size()) fn(indexes, e.answers[slot]);
    return;
  }
  const std::uint32_t rslot = plan.slot(repeats[level]);
  if (rslot >= e.answers.size() || !e.answers[rslot].shown) return;
  const auto& entries = e.answers[rslot].entries;
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    indexes.push_back(i);
    visit(plan, repeats, level + 1, entries[i], slot, indexes, fn);
    indexes.pop_back();
  }
}

}  // namespace

void for_each_answer(const Plan& plan, const Entry& root, model::FieldId f,
                     const std::function<void(std::span<const std::uint32_t>, const Answer&)>& visit_fn) {
  const auto repeats = plan.repeats_around(f);
  std::vector<std::uint32_t> indexes;
  visit(plan, repeats, 0, root, plan.slot(f), indexes, visit_fn);
}

std::string instance_path(const Plan& plan, model::FieldId f, std::span<const std::uint32_t> indexes) {
  const auto& fields = plan.form().fields;
  const std::string& id = fields.at(f).id;
  std::string out;
  std::size_t pos = 0, k = 0;
  for (model::FieldId r : plan.repeats_around(f)) {
    const std::size_t len = fields[r].id.size();
    out.append(id, pos, len - pos);
    if (k < indexes.size()) {
      out += '[';
      out += std::to_string(indexes[k++]);
      out += ']';
    }
    pos = len;
  }
  out.append(id, pos, std::string::npos);
  return out;
}

}  // namespace askonce::engine
