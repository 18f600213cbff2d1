// engine/layout.hpp: the shape of an agency's view, from its `receives`.
//
// Each receipt has a name: its `as`, or the field's id. A name with '/' is a path: the steps
// before the last are elements (XML) or objects (JSON) that hold others. The layout is the tree
// of those names, in receives order, with each receipt a leaf. The views (views.hpp) and the
// contracts (contract.hpp) walk the same tree, so a contract always describes its view.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"

namespace askonce::engine {

/// One name in an agency's view.
struct LayoutNode {
  std::string name;                        // one step, as written: "SF424_4_0:Applicant", "TIN"
  model::FieldId field = model::no_field;  // a receipt: the field; no_field: holds `children`
  std::vector<LayoutNode> children;        // in receives order
};

/// How steps that name the same parent are put together.
enum class LayoutMerge {
  Any,          // JSON: one object per name, wherever its receipts are in the list
  Consecutive,  // XML: only receipts next to each other share one element, as docs/dsl.md says
};

/// The agency's layout: its top-level names, in receives order.
std::vector<LayoutNode> agency_layout(const model::Form& form, const model::Agency& agency, LayoutMerge merge);

/// The name the agency receives `r` under: `as`, or the field's id.
const std::string& receive_name(const model::Form& form, const model::Receive& r);

}  // namespace askonce::engine
