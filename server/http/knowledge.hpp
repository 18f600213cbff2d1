// server/http/knowledge.hpp: what only the citizen knows, asked before saved answers are shown
// again (coming back to a draft by its code or an emailed link; starting another form with the
// answers of one). A code or a link can be found (on paper, in a mailbox); the answers behind it
// then still need facts the citizen typed and a finder is unlikely to have.
//
// The questions come from the answers themselves, by kind, never by guessing from names, in the
// form's order, outside repeats (someone else's answers live in repeats), sensitive fields first:
//   1. the first date answered (a date of birth on every shipped form that has a person): asked
//      in full, month, day and year;
//   2. the first Social Security or employer number answered: its last 4 digits (a whole
//      number would be more to type than a person remembers, and the last 4 is what agencies
//      ask on the phone);
//   3. only when one of those is missing: the first ZIP code answered, in full (5 digits).
// At most two questions. A draft with none of these answered yet (saved on a first step of
// programs or organisation details) has no question: its code or link alone lets the citizen
// back in, and it holds no date, number or ZIP code of theirs. docs/architecture.md says why.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "server/http/web_post.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::server {

/// Wrong answers allowed in one window, counted in the store per code, link session or
/// receipt (Store::record_attempt), so that the limit holds on every node; then locked until
/// the window ends.
inline constexpr std::int64_t max_knowledge_tries = 5;
inline constexpr std::chrono::hours knowledge_window{1};

/// One question only the citizen can answer, and the answer expected (normalised).
struct KnowledgeQuestion {
  enum class Ask { Date, LastFour, Whole };
  model::FieldId field = model::no_field;
  Ask ask = Ask::Whole;
  std::string expected;  // Date: "1980-4-2" (no leading zeros); LastFour: "6789"; Whole: "20500"
};

/// The questions for a draft's answers (flat, as posted; markers ignored), in the order asked.
std::vector<KnowledgeQuestion> knowledge_questions(const engine::Plan& plan, const Fields& answers);

/// The name of question `index`'s input ("known0"); a date's are "known0.month", ".day", ".year".
std::string knowledge_input(std::size_t index);

/// Whether `posted` answers every question as expected: a date by its numbers (leading zeros
/// and spaces do not matter), a number by its digits (spaces and dashes do not matter).
bool knowledge_matches(const std::vector<KnowledgeQuestion>& questions, const Fields& posted);

/// The answers to the questions in a post: the `known…` names, at most 16 of them, each cut to
/// 16 bytes (a date part, 4 digits, a ZIP code).
Fields knowledge_typed(const Fields& posted);

/// How checking what only the citizen knows went.
enum class KnowledgeCheck {
  Ask,     // nothing answered yet: show the questions
  Passed,  // right (or there is nothing to ask); the count of wrong answers is cleared
  Wrong,   // wrong: counted under the key
  Locked,  // too many wrong answers in the window, this one not even compared
};

/// Checks `typed` against `questions` when `answering` (the questions' page was posted),
/// counting wrong answers in the store under `attempts_key` so that the limit holds across
/// nodes. With no question, Passed.
KnowledgeCheck check_knowledge(Store& store, const std::vector<KnowledgeQuestion>& questions, bool answering,
                               const Fields& typed, const std::string& attempts_key, TimePoint now);

/// What a questions' page says after `outcome`, in `lang`, and its status: 422 and "do not
/// match" (Wrong), 429 and "too many tries" (Locked), 200 and nothing otherwise.
std::pair<int, std::string> knowledge_problem(KnowledgeCheck outcome, std::string_view lang);

}  // namespace askonce::server
