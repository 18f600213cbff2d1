// engine/layout.cpp: the tree of names of an agency's view.
#include "engine/layout.hpp"

namespace askonce::engine {

const std::string& receive_name(const model::Form& form, const model::Receive& r) {
  return r.as.empty() ? form.fields.at(r.field).id : r.as;
}

std::vector<LayoutNode> agency_layout(const model::Form& form, const model::Agency& agency, LayoutMerge merge) {
  std::vector<LayoutNode> top;
  for (const auto& r : agency.receives) {
    // A member is a JSON value, with no XML meaning: the XML view and the XSD leave it out
    // (docs/agencies.md, "The XML view").
    if (merge == LayoutMerge::Consecutive && r.field < form.fields.size() && form.fields[r.field].kind == model::Kind::Member) {
      continue;
    }
    const std::string& name = receive_name(form, r);
    std::vector<LayoutNode>* level = &top;
    std::string_view rest = name;
    for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
      const std::string_view step = rest.substr(0, slash);
      rest.remove_prefix(slash + 1);
      LayoutNode* parent = nullptr;
      if (merge == LayoutMerge::Consecutive) {
        if (!level->empty() && level->back().field == model::no_field && level->back().name == step) {
          parent = &level->back();
        }
      } else {
        for (auto& n : *level) {
          if (n.field == model::no_field && n.name == step) parent = &n;
        }
      }
      if (!parent) {
        level->push_back(LayoutNode{std::string(step), model::no_field, {}});
        parent = &level->back();
      }
      level = &parent->children;
    }
    level->push_back(LayoutNode{std::string(rest), r.field, {}});
  }
  return top;
}

}  // namespace askonce::engine
