// engine/reuse.hpp: asking once across forms. A citizen who answered one form can start another
// with the answers the two forms share, and only those: the fields that come from the SAME
// shared block (`block person`, `block contact`, ... in forms/common/) used in both. Nothing is
// matched by guessing from names or labels: two forms that both ask a "name" outside a shared
// block share nothing.
//
// A block used more than once in a form (`use person as applicant`, `use person as spouse`)
// is not reused from or into that form: which use is the same person would be a guess. Only
// uses outside repeats are considered, and a field is carried over only when it is the same
// question in both (the same path inside the block, the same kind, the same part of a
// composite); computed fields are never carried (the engine works them out again).
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace askonce::engine {

class Plan;

/// What the new form takes from the earlier one's answers.
struct Reused {
  /// Flat answers named for the new form ("applicant.name.first", "contact.email",
  /// "applicant.birth_date.month"), in the order the earlier answers had them.
  std::vector<std::pair<std::string, std::string>> answers;
  /// The new form's fields filled in (their ids, "contact.email"), in the new form's order:
  /// what check-your-answers marks as reused.
  std::vector<std::string> fields;
};

struct Submission;

/// A checked submission's answers as the flat form fields a page would post to give them again
/// ("person.name.first", "person.birth_date" = "1990-02-28", "programs" once per option,
/// yes/no as "yes"/"no"): what reuse_answers and a draft read. Computed fields and answers not
/// shown are left out.
std::vector<std::pair<std::string, std::string>> flat_answers(const Plan& plan, const Submission& submission);

/// The answers `to` can take from `answers`, given to `from` (flat names, as a form page posts
/// them and a draft keeps them).
Reused reuse_answers(const Plan& from, std::span<const std::pair<std::string, std::string>> answers, const Plan& to);

}  // namespace askonce::engine
