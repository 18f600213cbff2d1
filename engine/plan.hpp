// engine/plan.hpp: a form compiled once into what checking a submission needs.
//
// Building a Plan does every piece of work that does not depend on a submission: regular
// expressions compiled (PCRE, anchored as HTML's pattern attribute is), option sets hashed,
// bounds parsed into decimals and dates, expressions flattened into one table with every
// field reference resolved to an answer slot, and the order in which relevance and computed
// fields must be settled. A Plan is immutable and can be shared by threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/model.hpp"

namespace askonce::engine {

namespace detail {
struct PlanData;
}

class Plan {
 public:
  /// Takes the form; `form()` gives it back.
  explicit Plan(model::Form form);
  ~Plan();
  Plan(Plan&&) noexcept;
  Plan& operator=(Plan&&) noexcept;

  const model::Form& form() const;

  /// Problems in the definition found while planning (V09xx warnings: a pattern the regular
  /// expression engine cannot use is skipped).
  const std::vector<Diagnostic>& diagnostics() const;

  /// The innermost repeat around `f`, or model::no_field at the top level.
  model::FieldId repeat_of(model::FieldId f) const;
  /// The repeats around `f`, outermost first.
  std::vector<model::FieldId> repeats_around(model::FieldId f) const;
  /// Index of `f`'s answer in Entry::answers of the entry it lives in.
  std::uint32_t slot(model::FieldId f) const;
  /// Number of answers in an entry of `repeat` (model::no_field: the top-level entry).
  std::uint32_t entry_size(model::FieldId repeat) const;
  /// The fields whose answers an entry of `repeat` holds (no_field: the top level), in slot
  /// order, which is form order.
  const std::vector<model::FieldId>& entry_fields(model::FieldId repeat) const;
  /// The part of `scope` (a group, composite or repeat; no_field for the form itself) called
  /// `name`, or no_field. Notes hold no answer and are not found.
  model::FieldId member(model::FieldId scope, std::string_view name) const;

  /// For the engine's own files.
  const detail::PlanData& data() const { return *data_; }

 private:
  std::unique_ptr<detail::PlanData> data_;
};

/// A `pattern` as written in a form (JavaScript's syntax and meaning, as HTML's pattern
/// attribute and ajv's "u" flag have it) rewritten for PCRE with the same meaning: `\s` and `\S`
/// (in and out of classes) are JavaScript's white space (which includes U+00A0, U+2028 and
/// U+FEFF), `.` excludes JavaScript's line terminators, `[]` matches nothing and `[^]` anything,
/// `\uXXXX` and `\u{X}` are code points, and `\p{Letter}`-style long property names become
/// PCRE's short ones. Everything else is passed through unchanged.
std::string pcre_pattern(std::string_view ecma);

}  // namespace askonce::engine
