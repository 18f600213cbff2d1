// server/http/log.hpp: one JSON line per request and per server event.
//
// What a line may hold is decided here, not by callers: route templates (never paths, which
// carry references and receipt keys), methods, statuses, sizes, times, request ids, form ids
// and agency names. Never a query string, a header value, a body, an address or a token.
#pragma once

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace askonce::server {

class Log {
 public:
  explicit Log(std::ostream& out) : out_(out) {}

  /// {"time","level":"info","event":"request","id","method","route","status","bytes","ms"}
  void request(std::string_view id, std::string_view method, std::string_view route, int status,
               std::size_t bytes, double milliseconds);
  /// {"time","level","event", ...fields}: level is "info", "warning" or "error".
  void event(std::string_view level, std::string_view event,
             std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

 private:
  void line(const std::string& text);
  std::mutex mutex_;
  std::ostream& out_;
};

/// Now, as ISO 8601 UTC with milliseconds.
std::string log_time();

}  // namespace askonce::server
