// engine/composites.hpp: the parts of the composite kinds (`address`, `name`), as plain data.
//
// The compiler expands a composite field into one child field per part; renderers read the
// same table for the autocomplete tokens that browsers and assistive technology rely on.
// Labels exist in the languages listed in `label_languages` only.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "engine/model.hpp"

namespace askonce::composites {

/// The languages every built-in label is written in.
inline constexpr std::array<std::string_view, 2> label_languages{"en", "es"};

/// One part of a composite field.
struct Part {
  std::string_view name;          // "street", "first", ...: the last part of the child's id
  model::Kind kind;               // the child field's kind
  std::string_view label_en;
  std::string_view label_es;
  bool required_with_parent;      // required whenever the composite is
  std::string_view autocomplete;  // HTML autocomplete token ("address-line1", "given-name")
};

/// A US postal code for a state, district, territory or military post (USPS abbreviations).
struct StateCode {
  std::string_view code;  // "AL"
  std::string_view name_en;
  std::string_view name_es;
};

/// The parts of `kind`, in order; empty when `kind` is not a composite.
std::span<const Part> parts(model::Kind kind);

/// True for `address` and `name`.
bool is_composite(model::Kind kind);

/// The label of `part` in `lang`, or nothing when the table has no label in that language.
std::optional<std::string_view> label(const Part& part, std::string_view lang);

/// The options of an address's `state` part: the 50 states, DC, the territories and freely
/// associated states the USPS serves, and the military codes AA, AE and AP.
std::span<const StateCode> us_states();

/// The name of `state` in `lang`, or nothing when the table has none in that language.
std::optional<std::string_view> state_name(const StateCode& state, std::string_view lang);

}  // namespace askonce::composites
