// server/store/feedback_rows.hpp: what both backends share for Store::feedback_tallies. Each
// backend groups its feedback rows by everything a tally is made of, with the month of the day
// offered rather than its quarter (SQL has no fiscal quarter; a month lies in exactly one), and
// this folds those groups into tallies, so the two cannot count differently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server::store_detail {

/// One GROUP BY row of the feedback table.
struct FeedbackGroup {
  std::string form_id;
  std::int64_t version = 0;
  std::string agency, channel, stage;
  std::string month;  // "YYYY-MM" of offered_on
  bool answered = false;
  std::optional<std::int64_t> q1, q2;
  std::string went_well, went_badly;  // the stored sets: driver names joined by ','
  std::int64_t count = 0;
};

/// The GROUP BY both backends run (the same text is valid in both).
inline constexpr const char* feedback_group_sql =
    "SELECT form_id, version, agency, channel, stage, substr(offered_on, 1, 7),"
    " CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END, q1, q2, went_well, went_badly, count(*)"
    " FROM feedback GROUP BY form_id, version, agency, channel, stage, substr(offered_on, 1, 7),"
    " CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END, q1, q2, went_well, went_badly";

/// The groups folded into tallies by fiscal quarter, sorted as Store::feedback_tallies says.
std::vector<FeedbackTally> fold_feedback(const std::vector<FeedbackGroup>& groups);

/// A set of drivers as stored: sorted, each once, joined by ','.
std::string join_drivers(std::vector<std::string> drivers);

}  // namespace askonce::server::store_detail
