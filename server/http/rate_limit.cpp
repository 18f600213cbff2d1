// server/http/rate_limit.cpp: token buckets.
#include "server/http/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace askonce::server {

RateLimiter::RateLimiter(double per_minute, double burst, std::size_t max_clients)
    : per_second_(per_minute / 60.0), burst_(burst), max_clients_(std::max<std::size_t>(max_clients, 1)) {}

std::optional<int> RateLimiter::take(const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(client);
    it = buckets_.emplace(client, Bucket{burst_, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it->second.tokens = std::min(burst_, it->second.tokens + std::max(0.0, elapsed) * per_second_);
    it->second.updated = now;
  }
  if (it->second.tokens >= 1.0) {
    it->second.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - it->second.tokens) / per_second_)));
}

}  // namespace askonce::server
