// engine/validate.hpp: checking a submission, once, and making it canonical.
//
// The steps, in dependency order:
//   1. read each answer as its field's type, into its canonical form (type checks: real dates,
//      numbers, money with at most 2 decimals, email, phone, SSN, EIN, ZIP, URL, yes/no);
//   2. relevance (`show if`, with every ancestor's) and computed fields, settled together in
//      the plan's order, so a condition can use a computed value and the other way round;
//      a value the client sent for a computed field is ignored;
//   3. `required` and `required if`, then the field rules: length in code points, `pattern`,
//      options, counts of repeats and choices, ranges, the form's `check` rules, `attest`.
// Fields not shown are not checked, not stored and not routed. Every error is reported, at
// most one per answer (the first of: required, type, rules in the order above), in form order,
// in the submission's language, after any errors about the input itself.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/answers.hpp"
#include "engine/model.hpp"
#include "engine/plan.hpp"
#include "engine/submission.hpp"

namespace askonce::engine {

class TimeZone;

/// Where and when a submission is received.
struct Context {
  std::string language;        // one of the form's languages; otherwise its primary language
  std::string channel = "api"; // "web", "api", "phone", "paper", ...
  model::Date today;           // today() in expressions: the date where it is received
  std::string received;        // ISO 8601 UTC: "2024-05-01T12:00:00Z"

  /// Now, from the system clock: today is the date in `zone` (the deployment's, config
  /// site.time_zone), so that a citizen near midnight gets the day on their own calendar, not
  /// UTC's; UTC when `zone` is null. `received` is always UTC.
  static Context now(std::string language = {}, std::string channel = "api", const TimeZone* zone = nullptr);
  /// As now(), at the instant `instant`: for tests of a day's edges, and reproducible runs.
  static Context at(std::chrono::system_clock::time_point instant, const TimeZone* zone, std::string language = {},
                    std::string channel = "api");
  /// A fixed day, received at midnight UTC: for tests and reproducible output.
  static Context on(model::Date today, std::string language = {}, std::string channel = "api");
};

/// One refused answer, or a problem with the submission as a whole.
struct Error {
  std::string path;     // instance path, 0-based: "household[1].full_name"; "" = the submission
  std::string code;     // "V0101": docs/diagnostics.md, "Submissions (V)"
  std::string message;  // in the submission's language
  model::FieldId field = model::no_field;
};

struct Result {
  /// Errors about the input itself (unknown names, shape, limits) first, then answers in form
  /// order.
  std::vector<Error> errors;
  /// The answers as read, and, when there are no errors, canonical with canonical_json and
  /// digest filled in. With errors, answers may carry problems and canonical_json is empty.
  Submission submission;
  bool ok() const { return errors.empty(); }
};

/// Checks a submission read by read_json or read_form_fields.
Result validate(const Plan& plan, RawSubmission raw, const Context& context);

/// read_json, then validate.
Result validate_json(const Plan& plan, std::string_view json, const Context& context,
                     const InputLimits& limits = {});

/// validate_json without the canonical document: the same errors and answers, but
/// canonical_json and digest stay empty even when it passes. For a verdict that is not stored:
/// bench_validate's comparison with ajv, which makes no document either.
Result check_json(const Plan& plan, std::string_view json, const Context& context, const InputLimits& limits = {});

/// read_form_fields, then validate.
Result validate_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                            const Context& context, const InputLimits& limits = {});

/// validate_form_fields without the canonical document (as check_json): for the web journey's
/// and the staff keying's checks of a step or of the answers so far, which show errors and
/// answers and store nothing; the submission itself goes through validate_form_fields.
Result check_form_fields(const Plan& plan, std::span<const std::pair<std::string, std::string>> fields,
                         const Context& context, const InputLimits& limits = {});

/// validate_form_fields for a correction of `stored` (docs/architecture.md, "Answer once,
/// correct once"):
/// `fields` are its answers as flat fields (flat_answers) with the corrected ones in place. The
/// answers no form field can carry, its members (docs/dsl.md, "Members without a question"),
/// are kept as `stored` has them: at the top level, in groups, and in a repeat's entries when
/// the correction leaves that repeat with as many entries as it had.
Result validate_correction(const Plan& plan, const Submission& stored,
                           std::span<const std::pair<std::string, std::string>> fields, const Context& context,
                           const InputLimits& limits = {});

/// Reads a stored canonical document (normalize.hpp) back for `plan`, the definition it was
/// checked against (its definition_hash), for receipts and anything else shown later: the
/// answers are read and checked again as on the day it was received, in its language and
/// channel (numbers as the exact decimal strings the document holds), so relevance and
/// computed values are settled as they were. `received`, `canonical_json` and `digest` are
/// the stored ones. For a document this plan wrote there are no errors; a document that is
/// not canonical (its digest does not match) gives one V0001 error and no answers; any other
/// error means the plan is not the one it was checked against, and the answers are as read.
Result restore_submission(const Plan& plan, std::string_view canonical_json);

/// "household[1].full_name: Answer “Full name”. [V0101]", one error per line.
std::string format_errors(const std::vector<Error>& errors);

/// The errors as a JSON array of {"path", "code", "message"} objects.
std::string errors_json(const std::vector<Error>& errors);

}  // namespace askonce::engine
