// server/http/amend.hpp: answer once, correct once. After submitting, a citizen (on the status
// page) or an agent (for a caller) corrects an answer, or answers an agency's need_info; the
// correction is checked like a submission and reaches, as an amendment, every agency whose
// view of the application it changes, and only those.
//
//   stored answers ──restore──► flat answers, the field's replaced by what was typed
//     ──► engine::validate (the whole submission, as on the day it was received: its day,
//         language and channel) ──► errors: nothing stored, what was typed kept for the page
//     ──► engine::route_both (the same routing submit() uses) ──► per agency, its new view
//         against its latest stored version: unchanged → nothing; changed → a new version with
//         the JSON Pointers of its view whose values changed (the SF-424's XML included: an
//         XML schema has no way to say "only this changed", so every agency gets the whole
//         new version, and the changed paths travel in the envelope)
//     ──► Store::amend_submission: the corrected answers, the new versions, the mails (a
//         changed email address is told at its old address too), the need_info answer, in ONE
//         transaction.
//
// A correction that would change WHICH agencies get the application (an answer their `when`
// reads) is refused: an agency that never had it cannot get an amendment, and one that had it
// cannot be told to forget it; the page says to call the agency instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/validate.hpp"
#include "server/http/web_post.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::server {

class App;

/// The fields a citizen may correct after submitting, in form order: the answers that say
/// where and how to reach them (kinds address, phone and email), outside repeats, never
/// sensitive or computed, and only those shown in `submission` (a hidden question has no
/// answer to correct). With `agency` (answering its need_info), the fields it receives, of any
/// kind a page can ask (not a note, attest, group or repeat), still never sensitive or
/// computed; `only` narrows those to the fields the agency named (need_info `fields`: names in
/// its view, engine::receive_name: `as`, or the field's id), when it named any.
/// docs/agencies.md ("Amendments") and docs/architecture.md ("Answer once, correct once").
std::vector<model::FieldId> correctable_fields(const engine::Plan& plan, const engine::Submission& submission,
                                               const model::Agency* agency = nullptr,
                                               const std::vector<std::string>& only = {});

/// The JSON Pointers (RFC 6901) into `data` of two JSON views of one agency whose values
/// differ, in the new view's order (then the ones only the old has): what an amendment says
/// changed. Empty when the data are the same (the metadata around `data`, the digest among
/// them, is not compared).
std::vector<std::string> changed_paths(const std::string& old_view_json, const std::string& new_view_json);

/// What a correction is: whose answers, which field, what was typed for it.
struct Correction {
  const StoredSubmission* stored = nullptr;
  const engine::Plan* plan = nullptr;  // the definition it was checked against
  model::FieldId field = model::no_field;
  /// What was posted for the field: flat names under its instance path ("new_address.street",
  /// "move_date.month"); anything else is ignored.
  Fields typed;
  /// The agency whose need_info this answers (its status then gets the "answered" row that
  /// ends its wait); none for a correction.
  std::optional<std::string> answering;
  /// Who made it, for the audit log: a staff member keying it for a caller; none for the
  /// citizen on the status page.
  std::optional<std::int64_t> staff_id;
};

struct CorrectionOutcome {
  enum class Status : std::uint8_t {
    Stored,     // corrected, and `agencies` get the new version
    Invalid,    // the engine refused it: `checked.errors`, nothing stored
    Unchanged,  // the answer is the one stored: nothing to send
    Rerouted,   // it would change which agencies get the application: refused
    Conflict,   // the answers changed meanwhile (another correction, maybe on another node)
  };
  Status status = Status::Invalid;
  engine::Result checked;
  /// The field's answers as typed, kept for the page when Invalid.
  Fields typed;
  /// Stored: the agencies (by name, in the form's order) that get an amendment.
  std::vector<std::string> agencies;
};

/// Checks and stores a correction (see the top of this file). Throws StoreError when the
/// database fails (nothing was stored).
CorrectionOutcome correct(App& app, const Correction& correction);

/// `agency`'s open need_info among `all` (Store::agency_statuses): its latest status, when that
/// is need_info (the status page then offers "Answer the agency"); nothing otherwise.
std::optional<AgencyStatus> open_need_info(const std::vector<AgencyStatus>& all, const std::string& agency);

}  // namespace askonce::server
