// engine/evaluate.hpp: expressions over answers, with the language's blank semantics.
//
// An unanswered field, or one not shown, is blank. Arithmetic and comparisons with a blank
// give blank; `false and blank` is false and `true or blank` is true (Kleene logic).
// `show if`, `required if` and `when` count blank as false; `check` counts it as passing.
// Evaluation allocates nothing: texts and sets are views of the answers or of the plan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/answers.hpp"
#include "engine/model.hpp"
#include "engine/value.hpp"

namespace askonce::engine {

/// A value during evaluation.
struct EvalValue {
  enum class Kind : std::uint8_t { Blank, Bool, Number, Text, Date, Duration, Set };
  Kind kind = Kind::Blank;
  bool boolean = false;
  Decimal number;
  model::Date date;
  model::Duration duration;
  std::string_view text;
  const std::vector<std::string>* set = nullptr;  // Kind::Set: the ticked option values

  bool blank() const { return kind == Kind::Blank; }
  static EvalValue of_bool(bool b) {
    EvalValue v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
  }
};

/// Where an expression is evaluated: the entries from the top level (entries[0]) down to the
/// entry of the innermost repeat around the field the expression belongs to.
struct Scope {
  const Entry* const* entries = nullptr;
  std::size_t depth = 0;  // number of repeats around; entries has depth + 1 elements
};

/// What an evaluation may ask of the world.
struct EvalContext {
  model::Date today;
};

class Plan;

/// Evaluates expression `expr` (an index in the plan's expression table) in `scope`.
EvalValue evaluate(const Plan& plan, std::uint32_t expr, const Scope& scope, const EvalContext& context);

/// A condition for `show if`, `required if` and `when`: true only when it is true (blank is
/// false).
bool holds(const EvalValue& v);

/// Whether agency number `agency` (an index in Form::agencies) receives this submission: its
/// `when` holds, or it has none.
bool agency_applies(const Plan& plan, const Submission& submission, std::size_t agency, const EvalContext& context);

}  // namespace askonce::engine
