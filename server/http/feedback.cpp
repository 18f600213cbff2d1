// server/http/feedback.cpp: where the A-11 survey is offered and answered (feedback.hpp).
#include "server/http/feedback.hpp"

#include <map>

#include "engine/value.hpp"
#include "renderers/wording.hpp"
#include "server/http/app.hpp"

namespace askonce::server {
namespace {

TimePoint now_point() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

/// Each agency's latest status, by agency name.
std::map<std::string, std::string> latest_statuses(const std::vector<AgencyStatus>& statuses) {
  std::map<std::string, std::string> latest;
  for (const auto& s : statuses) latest[s.agency] = s.status;  // each agency's oldest first
  return latest;
}

}  // namespace

FeedbackSpot feedback_spot(App& app, const StoredSubmission& stored, std::string_view stage, std::string_view agency) {
  FeedbackSpot spot;
  spot.stage = stage;
  spot.agency = agency;
  const auto& keys = app.feedback_keys();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string token = feedback_token(keys[i], stored.reference, stage, agency);
    const FeedbackState state = app.store().feedback_state(token);
    if (i == 0) spot.token = token;  // the current key's, for a new offer
    if (state != FeedbackState::NotOffered) {
      spot.token = token;
      spot.state = state;
      break;
    }
  }
  return spot;
}

FeedbackSpot offer_feedback_spot(App& app, const StoredSubmission& stored, std::string_view stage,
                                 std::string_view agency) {
  FeedbackSpot spot = feedback_spot(app, stored, stage, agency);
  if (spot.state != FeedbackState::NotOffered) return spot;
  FeedbackOffer offer;
  offer.token = spot.token;
  offer.form_id = stored.form_id;
  offer.version = stored.version;
  offer.agency = spot.agency;
  offer.channel = stored.channel;
  offer.stage = spot.stage;
  offer.offered_on = engine::to_iso(app.context(stored.language, stored.channel).today);
  app.store().offer_feedback(offer, now_point());
  // Offered at once on two nodes: both insert the same token; one row, as ON CONFLICT says.
  spot.state = app.store().feedback_state(spot.token);
  return spot;
}

bool citizen_stage_allowed(const StoredSubmission& stored, const std::vector<AgencyStatus>& statuses,
                           std::string_view stage, std::string_view agency) {
  if (stage == "confirmation") return agency.empty() && stored.channel == "web";
  if (stage != "decision" || agency.empty()) return false;
  const auto latest = latest_statuses(statuses);
  const auto it = latest.find(std::string(agency));
  return it != latest.end() && it->second == "decided";
}

std::optional<FeedbackSpot> citizen_feedback(App& app, const StoredSubmission& stored,
                                             const std::vector<AgencyStatus>& statuses) {
  const auto latest = latest_statuses(statuses);
  bool any_decided = false;
  // In the order the submission's views were routed (the form's order).
  for (const auto& d : stored.deliveries) {
    const auto it = latest.find(d.agency);
    if (it == latest.end() || it->second != "decided") continue;
    any_decided = true;
    FeedbackSpot spot = offer_feedback_spot(app, stored, "decision", d.agency);
    if (spot.state == FeedbackState::Offered) return spot;
  }
  if (any_decided || stored.channel != "web") return std::nullopt;
  FeedbackSpot spot = offer_feedback_spot(app, stored, "confirmation", "");
  if (spot.state == FeedbackState::Offered) return spot;
  return std::nullopt;
}

FeedbackPosted answer_feedback_post(App& app, const StoredSubmission& stored, const FeedbackSpot& spot,
                                    const std::vector<std::pair<std::string, std::string>>& posted,
                                    std::string_view lang, renderers::FeedbackForm& kept) {
  const auto choices = renderers::read_feedback_post(posted, lang, kept);
  if (!choices) return FeedbackPosted::Invalid;
  FeedbackAnswer answer;
  answer.satisfaction = choices->q1;
  answer.trust = choices->q2;
  answer.went_well = choices->went_well;
  answer.went_badly = choices->went_badly;
  answer.comment = choices->comment;
  const auto outcome = app.store().answer_feedback(spot.token, answer, now_point());
  switch (outcome) {
    case Store::FeedbackOutcome::Stored:
      // Counts only: never the comment, the reference or the token.
      app.log().event("info", "feedback_answered",
                      {{"form", stored.form_id}, {"stage", spot.stage}, {"channel", stored.channel}});
      return FeedbackPosted::Stored;
    case Store::FeedbackOutcome::AlreadyAnswered: return FeedbackPosted::Already;
    case Store::FeedbackOutcome::NotOffered: return FeedbackPosted::NotOffered;
  }
  return FeedbackPosted::NotOffered;
}

std::string feedback_service(const model::Form& form, std::string_view lang, std::string_view agency) {
  const renderers::Wording w(form, std::string(lang));
  for (std::size_t i = 0; i < form.agencies.size(); ++i) {
    if (!agency.empty() && form.agencies[i].name == agency) return w.agency_title(i);
  }
  return std::string(w.title());
}

}  // namespace askonce::server
