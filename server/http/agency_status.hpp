// server/http/agency_status.hpp: status from agencies. An agency that received a submission
// posts where it stands with it, through its API with its token (api_routes.cpp):
//
//   received ──► in_review ◄──► need_info ──► decided (approved, denied, partly_approved,
//       │            │                 │         withdrawn, referred)
//       │            │                 ▼
//       │            │              answered (the citizen's answer, never an agency's post:
//       │            │                 │      amend.hpp; it ends the wait) ──► in_review,
//       │            │                 │      need_info, decided
//       └────────────┴──────────────► decided
//
// Forward only: a post may skip ahead, and in_review and need_info may follow each other
// (need_info until the citizen answers, then in_review again), but nothing goes back to an
// earlier status, and nothing follows a decision. The same post twice (the same status,
// outcome, tracking number and message) is the one post: stored once, answered alike, however
// many nodes it reaches at once. A post of the current status with something new (a message, a
// tracking number) is a new post.
//
// A message reaches the citizen in their language: the agency sends its text in every
// language of the form, or names a message the form defines for it. The citizen is emailed
// that there is an update, with a single-use link to the status page; the mail never says what
// the update is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.hpp"
#include "engine/model.hpp"
#include "renderers/render.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class Plan;
class TimeZone;
}

namespace askonce::server {

class App;

/// The statuses, in order, and the outcomes of a decision.
inline constexpr std::string_view agency_statuses_known[] = {"received", "in_review", "need_info", "decided"};
inline constexpr std::string_view decision_outcomes[] = {"approved", "denied", "partly_approved", "withdrawn", "referred"};

/// What an agency posts.
struct StatusPost {
  std::string status;
  std::string outcome;       // decided only
  std::string tracking;      // the agency's own tracking number; empty: none
  std::string message_name;  // a message the form defines for the agency; empty: none
  std::map<std::string, std::string> message;  // its own message, by language; empty: none
  /// need_info only: what the citizen is to correct or answer, as names in the agency's view
  /// (engine::receive_name of its receives: `as`, or the field's id); empty: the citizen
  /// chooses among what the agency receives.
  std::vector<std::string> fields;
};

/// At most this many `fields` in a need_info.
inline constexpr std::size_t max_status_fields = 32;


/// Limits on a post.
inline constexpr std::size_t max_status_body = 64 * 1024;
inline constexpr std::size_t max_tracking = 64;
inline constexpr std::size_t max_message = 2000;

/// Reads a post's JSON body, {"status", "outcome", "tracking_number", "message": {"en": ...},
/// "message_name", "fields": [...] (need_info only)}, checked against the form (`plan`, its languages and the messages it defines
/// for `agency`). The post, or what is wrong with it, said so that the agency's developer can
/// fix it.
struct StatusRead {
  std::optional<StatusPost> post;
  std::string problem;
};
StatusRead read_status_post(std::string_view body, const engine::Plan& plan, std::string_view agency);

/// Whether `post` may follow `history` (the agency's posts, oldest first).
struct StatusCheck {
  enum class Kind : std::uint8_t { Append, Same, Refused };
  Kind kind = Kind::Append;
  std::string why;  // Refused: what the agency must know
};
StatusCheck check_status(const std::vector<AgencyStatus>& history, const StatusPost& post);

/// Posts `post` for `agency` about `reference`: reads its history, checks the post, and
/// appends it with the citizen's mail, reading again when another post (on any node) took its
/// number first.
struct StatusOutcome {
  StatusCheck::Kind kind = StatusCheck::Kind::Append;
  std::string why;
  std::vector<AgencyStatus> history;  // the agency's, after the post
};
StatusOutcome post_status(App& app, const StoredSubmission& submission, const engine::Plan& plan,
                          const std::string& agency, const StatusPost& post);

/// The agency's posts among `all` (Store::agency_statuses), oldest first.
std::vector<AgencyStatus> statuses_of(const std::vector<AgencyStatus>& all, std::string_view agency);

/// The agency named `agency` of the plan's form; nullptr when it has none of that name.
const model::Agency* find_agency(const engine::Plan& plan, std::string_view agency);

/// The day of `at` in `zone`, the deployment's (App::zone(), config site.time_zone); UTC's when
/// `zone` is null. The day a post counts on: the day received is the deployment's day too, and
/// a post at 23:30 in New York is on that evening's day, not on the next one in UTC.
model::Date local_day(TimePoint at, const engine::TimeZone* zone);

/// Where an application stands with `agency`, for a receipt (renderers::AgencyProgress): what
/// the agency posted last among `all` (an empty status when nothing), and until it decides, the
/// day a decision is due under its service standard, counted from `date_received` (YYYY-MM-DD)
/// with the days it waited on the citizen paused (from a need_info to the agency's next post,
/// each on its day in `zone`; one still open runs to `today`), late when `today` is past it
/// (engine/clock.hpp).
renderers::AgencyProgress agency_progress(const model::Agency& agency, const std::vector<AgencyStatus>& all,
                                          const std::string& date_received, const model::Date& today,
                                          const engine::TimeZone* zone);

/// The days the agency waited on the citizen among `mine` (one agency's posts, oldest first): from
/// the day of each need_info to the day of the agency's next post, [from, to), each the day in
/// `zone` (local_day: the deployment's, as the day received is). One still open runs to
/// `open_until` (exclusive) when given, and is left out otherwise. The one rule for the
/// receipt's due dates and the published figures (docs/figures.md).
std::vector<engine::Pause> waits_on_citizen(const std::vector<AgencyStatus>& mine,
                                            const std::optional<model::Date>& open_until, const engine::TimeZone* zone);

/// Where one application stands for one agency in the published figures after `mine` (that
/// agency's posts, oldest first), received on `date_received` (docs/figures.md, "Published
/// results"): undecided, under the first day it is past the agency's standard (never_past
/// when the agency has none, or while it waits on the citizen and was not past before asking);
/// or decided, with its days to decision (calendar days after the day received to the day of the
/// decision, paused days not counted) and whether it came within the standard. Every post's
/// day is its day in `zone` (local_day); null `zone`: UTC's, for a deployment in UTC.
struct FigurePlace {
  std::string pending;  // "YYYY-MM-DD" or never_past; empty: decided
  std::optional<std::int64_t> days;
  bool judged = false;
  bool within = false;
};
FigurePlace figure_place(const model::Agency& agency, const std::vector<AgencyStatus>& mine,
                         const std::string& date_received, const engine::TimeZone* zone = nullptr);

/// How appending `post` to `mine` moves the application in the figures (Store::append_agency_status),
/// each post on its day in `zone` (figure_place).
FigureMove figure_move(const model::Agency& agency, const std::vector<AgencyStatus>& mine, const AgencyStatus& post,
                       const std::string& date_received, const engine::TimeZone* zone = nullptr);

/// {"reference", "agency", "status": {...} | null, "history": [{...}]}, with a final line break.
std::string status_json(const std::string& reference, const std::string& agency, const std::vector<AgencyStatus>& history);

}  // namespace askonce::server
