// server/store/store.cpp: what every backend of Store shares: names of states, request
// fingerprints, the delivery backoff, feedback tokens and tallies.
#include "server/store/store.hpp"

#include <algorithm>
#include <ctime>
#include <tuple>

#include "engine/clock.hpp"
#include "server/store/feedback_rows.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {

std::string iso_utc(TimePoint t) {
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

const char* to_string(DeliveryState s) {
  switch (s) {
    case DeliveryState::Pending: return "pending";
    case DeliveryState::Delivered: return "delivered";
    case DeliveryState::Dead: return "dead";
  }
  return "pending";
}

const char* to_string(MailState s) {
  switch (s) {
    case MailState::Pending: return "pending";
    case MailState::Sent: return "sent";
    case MailState::Dead: return "dead";
  }
  return "pending";
}

const char* to_string(StaffStage s) {
  switch (s) {
    case StaffStage::SecondFactor: return "second_factor";
    case StaffStage::SetUp: return "set_up";
    case StaffStage::Full: return "full";
  }
  return "second_factor";
}

StaffStage staff_stage(std::string_view s) {
  if (s == "full") return StaffStage::Full;
  if (s == "set_up") return StaffStage::SetUp;
  return StaffStage::SecondFactor;
}

std::optional<TimePoint> staff_lockout(std::int64_t failures, std::int64_t threshold, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap, TimePoint now) {
  if (threshold <= 0 || failures < threshold) return std::nullopt;
  // base, 2 base, 4 base, ... for each failure past the threshold, never more than cap.
  std::chrono::milliseconds wait = base;
  for (std::int64_t i = threshold; i < failures && wait < cap; ++i) wait *= 2;
  return now + std::min(wait, cap);
}

std::string request_fingerprint(std::string_view body) { return sha256_hex(body); }

bool known_channel(std::string_view channel) {
  for (std::string_view c : channels) {
    if (c == channel) return true;
  }
  return false;
}

bool staff_channel(std::string_view channel) {
  return channel == "phone" || channel == "in_person" || channel == "mail";
}

std::chrono::milliseconds backoff_delay(std::int64_t attempts, double unit, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap,
                                        std::optional<std::chrono::milliseconds> retry_after) {
  // Full jitter (a uniform delay up to base * 2^attempts, capped): retries of many rows
  // after one outage spread out instead of arriving together.
  double ceiling = static_cast<double>(base.count());
  for (std::int64_t i = 0; i < attempts && ceiling < static_cast<double>(cap.count()); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, static_cast<double>(cap.count()));
  auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(ceiling * std::clamp(unit, 0.0, 1.0)));
  if (retry_after && *retry_after > delay) delay = *retry_after;
  return delay;
}

std::string join_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += '\n';
    out += p;
  }
  return out;
}

std::vector<std::string> split_paths(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

bool known_feedback_stage(std::string_view stage) {
  return std::find(std::begin(feedback_stages), std::end(feedback_stages), stage) != std::end(feedback_stages);
}

std::string feedback_token(std::string_view key, std::string_view reference, std::string_view stage,
                           std::string_view agency) {
  std::string message = "feedback";
  for (std::string_view part : {reference, stage, agency}) {
    message += '\0';
    message += part;
  }
  return "fb1:" + hmac_sha256_b64url(key, message);
}

namespace store_detail {

std::string join_drivers(std::vector<std::string> drivers) {
  std::sort(drivers.begin(), drivers.end());
  drivers.erase(std::unique(drivers.begin(), drivers.end()), drivers.end());
  std::string out;
  for (const auto& d : drivers) out += (out.empty() ? "" : ",") + d;
  return out;
}

namespace {

void count_drivers(std::map<std::string, std::int64_t>& into, const std::string& joined, std::int64_t n) {
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) into[joined.substr(start, end - start)] += n;
    start = end + 1;
  }
}

// A month "YYYY-MM" as the fiscal quarter label; "" when the text is not a month.
std::string quarter_of(const std::string& month) {
  if (month.size() != 7 || month[4] != '-') return {};
  int year = 0, mon = 0;
  for (int i = 0; i < 4; ++i) year = year * 10 + (month[static_cast<std::size_t>(i)] - '0');
  mon = (month[5] - '0') * 10 + (month[6] - '0');
  if (mon < 1 || mon > 12) return {};
  return engine::fiscal_quarter(model::Date{year, static_cast<unsigned>(mon), 1}).label();
}

}  // namespace

std::vector<FeedbackTally> fold_feedback(const std::vector<FeedbackGroup>& groups) {
  using Key = std::tuple<std::string, std::int64_t, std::string, std::string, std::string, std::string>;
  std::map<Key, FeedbackTally> cells;
  for (const auto& g : groups) {
    const std::string quarter = quarter_of(g.month);
    FeedbackTally& t = cells[Key{g.form_id, g.version, g.agency, g.channel, g.stage, quarter}];
    if (t.form_id.empty()) {
      t.form_id = g.form_id;
      t.version = g.version;
      t.agency = g.agency;
      t.channel = g.channel;
      t.stage = g.stage;
      t.quarter = quarter;
    }
    t.offered += g.count;
    if (!g.answered) continue;
    t.answered += g.count;
    if (g.q1 && *g.q1 >= 1 && *g.q1 <= 5) t.satisfaction[static_cast<std::size_t>(*g.q1 - 1)] += g.count;
    if (g.q2 && *g.q2 >= 1 && *g.q2 <= 5) t.trust[static_cast<std::size_t>(*g.q2 - 1)] += g.count;
    count_drivers(t.went_well, g.went_well, g.count);
    count_drivers(t.went_badly, g.went_badly, g.count);
  }
  std::vector<FeedbackTally> out;
  out.reserve(cells.size());
  for (auto& [key, t] : cells) out.push_back(std::move(t));
  return out;
}

}  // namespace store_detail

}  // namespace askonce::server
