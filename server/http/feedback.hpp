// server/http/feedback.hpp: where the A-11 survey (renderers/feedback.hpp) is asked, offered and
// answered, for the pages that ask it: the citizen's receipt and status page (web_routes.cpp:
// stage "confirmation" after a web submission, "decision" once per agency that decided) and a
// keyed application's staff page (keying_routes.cpp: stage "phone" or "in_person").
//
// The survey is offered (a row in the store) the first time a page shows it, so the response
// rate is answered over offered; the row's token is feedback_token under App::feedback_keys,
// never the reference. After a rotation of the keyring an offer made under the old key is still
// found (every key is tried), and a new one is made under the current key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"
#include "renderers/feedback.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

class App;

/// One place the survey is asked for one application: its stage and agency, its token and
/// where it stands.
struct FeedbackSpot {
  std::string stage;
  std::string agency;  // '' = every agency of the form
  std::string token;
  FeedbackState state = FeedbackState::NotOffered;
};

/// The spot (stage, agency) of `stored`, looked up under every key; nothing offered.
FeedbackSpot feedback_spot(App& app, const StoredSubmission& stored, std::string_view stage, std::string_view agency);

/// The same, offered now (at `today`, the deployment's day) when it was not: the survey is
/// about to be shown.
FeedbackSpot offer_feedback_spot(App& app, const StoredSubmission& stored, std::string_view stage,
                                 std::string_view agency);

/// What the citizen's page asks now, offered: the first agency (in the form's order) whose
/// latest status is "decided" and whose decision survey is not answered; else, for a web
/// application no agency has decided yet, the confirmation survey while it is not answered.
/// Nothing when there is nothing to ask.
std::optional<FeedbackSpot> citizen_feedback(App& app, const StoredSubmission& stored,
                                             const std::vector<AgencyStatus>& statuses);

/// Whether the citizen may answer (stage, agency) for `stored` now: "confirmation" with no
/// agency for a web application, or "decision" for an agency that decided.
bool citizen_stage_allowed(const StoredSubmission& stored, const std::vector<AgencyStatus>& statuses,
                           std::string_view stage, std::string_view agency);

/// The outcome of a posted survey.
enum class FeedbackPosted { Stored, Already, Invalid, NotOffered };

/// Reads `posted` (the page's answers, controls removed) for `spot`, in `lang`, and stores it
/// once. `kept` gets what was chosen and, when Invalid, the problems. The comment is never
/// logged: the log line says only the stage and the channel.
FeedbackPosted answer_feedback_post(App& app, const StoredSubmission& stored, const FeedbackSpot& spot,
                                    const std::vector<std::pair<std::string, std::string>>& posted,
                                    std::string_view lang, renderers::FeedbackForm& kept);

/// [X] in the questions: the form's title, or for a decision the agency's, in `lang`.
std::string feedback_service(const model::Form& form, std::string_view lang, std::string_view agency);

}  // namespace askonce::server
