// server/http/rate_limit.hpp: per-client token buckets for submissions.
//
// Each client (an address) has a bucket of `burst` tokens refilled at `per_minute`; a
// submission takes one. An empty bucket answers with how long until the next token, for
// Retry-After. Memory is bounded: at most `max_clients` buckets, the least recently used go.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace askonce::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double per_minute, double burst, std::size_t max_clients = 100000);

  /// Takes a token for `client`; when there is none, the seconds to wait (at least 1).
  std::optional<int> take(const std::string& client, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
    std::list<std::string>::iterator lru;
  };
  double per_second_;
  double burst_;
  std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recent first
};

}  // namespace askonce::server
