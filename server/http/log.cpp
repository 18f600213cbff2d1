// server/http/log.cpp: JSON log lines.
#include "server/http/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "engine/normalize.hpp"

namespace askonce::server {

std::string log_time() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

void Log::request(std::string_view id, std::string_view method, std::string_view route, int status,
                  std::size_t bytes, double milliseconds) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", milliseconds);
  line("{\"time\":\"" + log_time() + "\",\"level\":\"info\",\"event\":\"request\",\"id\":" +
       engine::json_string(id) + ",\"method\":" + engine::json_string(method) +
       ",\"route\":" + engine::json_string(route) + ",\"status\":" + std::to_string(status) +
       ",\"bytes\":" + std::to_string(bytes) + ",\"ms\":" + ms + "}");
}

void Log::event(std::string_view level, std::string_view event,
                std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  std::string s = "{\"time\":\"" + log_time() + "\",\"level\":" + engine::json_string(level) +
                  ",\"event\":" + engine::json_string(event);
  for (const auto& [k, v] : fields) s += "," + engine::json_string(k) + ":" + engine::json_string(v);
  line(s + "}");
}

void Log::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_ << text << '\n';
  out_.flush();
}

}  // namespace askonce::server
