// server/store/store.cpp: what every backend of Store shares: names of states, request
// fingerprints, the delivery backoff.
#include "server/store/store.hpp"

#include <algorithm>
#include <ctime>

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

}  // namespace askonce::server
