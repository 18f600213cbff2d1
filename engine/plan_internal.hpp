// engine/plan_internal.hpp: the inside of a Plan, shared by the engine's .cpp files only.
//
// Not a public header: agency views and other callers use plan.hpp, answers.hpp and
// validate.hpp.
#pragma once

#include <limits>
#include <memory>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/evaluate.hpp"
#include "engine/model.hpp"
#include "engine/value.hpp"

namespace askonce::engine::detail {

using model::FieldId;
using ExprRef = std::uint32_t;
inline constexpr ExprRef no_expr = std::numeric_limits<ExprRef>::max();
inline constexpr std::uint32_t no_frame = std::numeric_limits<std::uint32_t>::max();

/// One node of a flattened expression; its operands are exprs[first .. first + count).
struct PExpr {
  model::Op op = model::Op::Literal;
  model::Function function = model::Function::Today;
  model::Type type = model::Type::Error;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  FieldId field = model::no_field;  // Op::Field; a matches() call: its index in PlanData::regexes
  EvalValue literal;
};

/// The members of one scope (the form, a group, a composite, a repeat) by name, looked up for
/// every key of a JSON submission. Open addressing on a hash of the name's length and its first
/// and last eight bytes, a few instructions whatever the length (std::hash reads every byte),
/// each hit confirmed by comparing the whole name. Filled once, with the plan, and at most half
/// full, so a name that is not there (an attacker's) is known after a short run of slots.
class NameTable {
 public:
  /// Adds `name` (a view of the plan's own model) unless it is there: the first one stays.
  void add(std::string_view name, FieldId field);
  /// The field called `name`, or model::no_field.
  FieldId find(std::string_view name) const {
    if (slots_.empty()) return model::no_field;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(name) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.field == model::no_field) return model::no_field;
      if (s.name == name) return s.field;
    }
  }

 private:
  static std::uint64_t hash(std::string_view name);
  struct Slot {
    std::string_view name;
    FieldId field = model::no_field;
  };
  std::vector<Slot> slots_;  // a power of two long
  std::size_t count_ = 0;
};

/// A `pattern` compiled once, with the plan: PCRE (the library Poco::RegularExpression wraps,
/// with the same options, so the same meaning) and its JIT machine code where PCRE has a JIT
/// for the platform. Poco's wrapper cannot ask for the JIT, and its interpreter was a fifth to
/// a half of the time checking a VA submission.
class Regex {
 public:
  /// `pattern` as PCRE reads it; throws Poco::RegularExpressionException when PCRE refuses it.
  explicit Regex(const std::string& pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// True when the pattern matches `text` (valid UTF-8, not checked again). A match PCRE gives
  /// up on (its match limit, a pathological pattern) counts as no match, as with Poco.
  bool matches(std::string_view text) const;

 private:
  struct real_pcre* re_ = nullptr;
  struct pcre_extra* extra_ = nullptr;
};

struct PatternPlan {
  std::unique_ptr<Regex> regex;
  const model::Text* message = nullptr;
  ExprRef only_if = no_expr;  // `if EXPR`: judged only when it holds (blank is false)
};

struct CheckPlan {
  ExprRef rule = no_expr;
  const model::Text* message = nullptr;
  ExprRef only_if = no_expr;  // as PatternPlan::only_if
};

/// What checking one field needs, precomputed.
struct FieldPlan {
  const model::Field* field = nullptr;
  model::Kind kind = model::Kind::Text;
  FieldId parent = model::no_field;
  FieldId repeat = model::no_field;       // innermost repeat around it
  std::uint32_t frame = 0;                // the frame (0 = top level) its answer lives in
  std::uint32_t slot = 0;                 // index in that frame's entries
  std::uint32_t depth = 0;                // repeats around it
  std::uint32_t inner_frame = no_frame;   // Kind::Repeat: the frame of its entries
  FieldId subtree_end = 0;                // one past its last descendant

  bool holds_value = false;  // not a note, group, composite or repeat
  bool computed = false;
  bool required = false;
  bool required_with_parent = false;  // a composite part required whenever its composite is
  bool composite_part = false;
  bool fold_case = false;             // the `state` part of an address: "ca" is "CA"
  ExprRef show_if = no_expr;
  ExprRef required_if = no_expr;
  ExprRef computed_expr = no_expr;
  std::vector<CheckPlan> checks;
  std::vector<PatternPlan> patterns;

  // Bounds: code points (text-like), counts (choices, repeats), values (numbers, dates).
  std::optional<std::uint64_t> min_count, max_count;
  std::optional<Decimal> min_number, max_number;
  std::optional<model::Date> min_date, max_date;
  std::string min_text, max_text;  // as written, for messages
  std::string json_key;            // the name as a JSON string and ':', as the canonical document has it

  std::unordered_map<std::string_view, std::uint32_t> options;  // value -> index
  NameTable members;                                            // groups, composites, repeats
};

struct PlanData {
  model::Form form;
  std::vector<FieldPlan> fields;
  std::vector<PExpr> exprs;
  std::vector<std::unique_ptr<Regex>> regexes;    // matches()'s regular expressions (PExpr::field)
  std::vector<std::vector<FieldId>> frames;       // per frame: its fields, in slot order
  std::vector<FieldId> frame_owner;               // per frame: the repeat (no_field for frame 0)
  NameTable top_members;
  std::vector<FieldId> settle_order;  // relevance and computed values, dependencies first
  std::vector<ExprRef> agency_when;   // per agency; no_expr when it has no `when`
  std::vector<Diagnostic> diagnostics;
};

}  // namespace askonce::engine::detail
