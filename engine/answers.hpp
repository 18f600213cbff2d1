// engine/answers.hpp: a checked submission, as plain data that later stages walk.
//
// Answers are kept in entries: the form's top level is one entry, and each entry of a repeat
// is another. An entry holds one Answer per field whose innermost repeat it belongs to, at
// the index Plan::slot(field) gives, in form order. So a writer walks the model's field tree
// and picks each answer with `entry.answers[plan.slot(f)]`, descending into
// `answer.entries` at a repeat; `find` and `for_each_answer` do this for one field.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/messages.hpp"
#include "engine/model.hpp"
#include "engine/value.hpp"

namespace askonce::engine {

class Plan;
struct Entry;

/// The answer to one field in one entry.
struct Answer {
  /// The field is asked: its `show if` and every ancestor's hold. A field not shown has a blank
  /// value, is not checked, not stored and not routed.
  bool shown = false;
  /// The canonical value; blank when unanswered or not shown. Groups, composites and repeats
  /// are always blank: their parts have the values.
  Value value;
  /// A repeat's entries, in order.
  std::vector<Entry> entries;
  /// While checking: why the value sent could not be read as the field's type. Never set in a
  /// submission that passed.
  std::optional<Message> problem;
  Expected expected = Expected::Text;  // for Message::WrongType
  std::uint8_t missing = 0;            // for Message::IncompleteDate: the blank parts (MessageArgs::missing)
};

/// One group of answers: the whole form, or one entry of a repeat.
struct Entry {
  std::vector<Answer> answers;  // indexed by Plan::slot(field)
};

/// A submission that passed every check, made canonical.
struct Submission {
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;  // "sha256:..." of the definition it was checked against
  std::string language;         // the language the citizen used
  std::string channel;          // "web", "api", "phone", "paper", ...
  std::string received;         // when it was received, ISO 8601 UTC: "2024-05-01T12:00:00Z"
  Entry answers;                // the top-level entry
  /// The canonical JSON document (docs/architecture.md, "Submissions"), digest included.
  std::string canonical_json;
  /// "sha256:<hex>" of canonical_json without its final "digest" member.
  std::string digest;
};

/// The answer to field `f` in the entry named by `indexes` (one index per repeat around `f`,
/// outermost first; empty at the top level). Nothing when an index is out of range.
const Answer* find(const Plan& plan, const Entry& root, model::FieldId f, std::span<const std::uint32_t> indexes = {});

/// Calls `visit(indexes, answer)` for every answer of field `f`, in order: once at the top
/// level, once per entry inside repeats (entries of hidden repeats are not visited).
void for_each_answer(const Plan& plan, const Entry& root, model::FieldId f,
                     const std::function<void(std::span<const std::uint32_t> indexes, const Answer&)>& visit);

/// "household[1].full_name": the instance path of field `f` in the entry named by `indexes`,
/// with 0-based indexes, the way errors and flat form fields name answers.
std::string instance_path(const Plan& plan, model::FieldId f, std::span<const std::uint32_t> indexes);

}  // namespace askonce::engine
