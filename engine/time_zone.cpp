// engine/time_zone.cpp: TZif files (RFC 8536) and their POSIX TZ footer, read into plain data.
#include "engine/time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace askonce::engine {
namespace {

std::int64_t be(std::string_view b, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

// Howard Hinnant's civil calendar algorithms (days since 1970-01-01, proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}
bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int month_days(std::int64_t y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

/// Reads a POSIX TZ name: letters, or anything between '<' and '>'.
bool tz_name(std::string_view& s, std::string& out) {
  if (!s.empty() && s[0] == '<') {
    const auto close = s.find('>');
    if (close == std::string_view::npos) return false;
    out = std::string(s.substr(1, close - 1));
    s.remove_prefix(close + 1);
    return !out.empty();
  }
  std::size_t n = 0;
  while (n < s.size() && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))) ++n;
  if (n < 3) return false;
  out = std::string(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

/// Reads "[+-]hh[:mm[:ss]]" as seconds.
bool tz_time(std::string_view& s, std::int32_t& out) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  std::int32_t total = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (s.empty() || s[0] != ':') break;
      s.remove_prefix(1);
    }
    std::int32_t v = 0;
    std::size_t n = 0;
    while (n < s.size() && n < 3 && s[n] >= '0' && s[n] <= '9') v = v * 10 + (s[n++] - '0');
    if (n == 0) return false;
    s.remove_prefix(n);
    total += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
  }
  out = sign * total;
  return true;
}

bool tz_number(std::string_view& s, int& out) {
  std::size_t n = 0;
  out = 0;
  while (n < s.size() && n < 3 && s[n] >= '0' && s[n] <= '9') out = out * 10 + (s[n++] - '0');
  s.remove_prefix(n);
  return n > 0;
}

std::mutex zones_mutex;

}  // namespace

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name, std::string_view dir) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) return nullptr;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '_' || c == '-' || c == '+';
    if (!ok) return nullptr;
  }
  std::string base(dir);
  if (base.empty()) {
    const char* env = std::getenv("TZDIR");
    base = env && *env ? env : "/usr/share/zoneinfo";
  }
  std::ifstream in(base + "/" + std::string(name), std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto zone = std::make_shared<TimeZone>(TimeZone());
  zone->name_ = std::string(name);
  if (!zone->parse(bytes.str())) return nullptr;
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::find(std::string_view name) {
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones;
  std::lock_guard lock(zones_mutex);
  if (auto it = zones.find(name); it != zones.end()) return it->second;
  auto zone = load(name);
  if (zone) zones.emplace(std::string(name), zone);
  return zone;
}

bool TimeZone::parse(std::string_view b) {
  const auto header = [&](std::size_t at, std::size_t counts[6]) {
    if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return false;
    for (int i = 0; i < 6; ++i) counts[i] = static_cast<std::size_t>(static_cast<std::uint32_t>(be(b, at + 20 + 4 * i, 4)));
    return true;
  };
  std::size_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  if (!header(0, c)) return false;
  std::size_t at = 44;
  std::size_t time_size = 4;
  const char version = b[4];
  if (version >= '2') {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (!header(at, c)) return false;
    at += 44;
    time_size = 8;
  }
  const std::size_t need = c[3] * time_size + c[3] + c[4] * 6 + c[5] + c[2] * (time_size + 4) + c[1] + c[0];
  if (c[4] == 0 || c[4] > 256 || b.size() < at + need) return false;
  for (std::size_t i = 0; i < c[3]; ++i) transitions_.push_back(be(b, at + i * time_size, time_size));
  at += c[3] * time_size;
  for (std::size_t i = 0; i < c[3]; ++i) {
    const auto k = static_cast<std::uint8_t>(b[at + i]);
    if (k >= c[4]) return false;
    indexes_.push_back(k);
  }
  at += c[3];
  const std::size_t chars_at = at + c[4] * 6;
  for (std::size_t i = 0; i < c[4]; ++i) {
    Type t;
    t.offset = static_cast<std::int32_t>(be(b, at + i * 6, 4));
    t.dst = b[at + i * 6 + 4] != 0;
    const auto idx = static_cast<std::size_t>(static_cast<unsigned char>(b[at + i * 6 + 5]));
    if (idx < c[5]) {
      const std::string_view chars = b.substr(chars_at, c[5]);
      t.abbreviation = std::string(chars.substr(idx, chars.find('\0', idx) - idx));
    }
    types_.push_back(std::move(t));
  }
  at += need - c[3] * time_size - c[3];
  if (version >= '2' && at < b.size() && b[at] == '\n') {
    const auto end = b.find('\n', at + 1);
    if (end != std::string_view::npos) parse_rule(b.substr(at + 1, end - at - 1));
  }
  return true;
}

bool TimeZone::parse_rule(std::string_view s) {
  Rule r;
  std::int32_t off = 0;
  if (!tz_name(s, r.standard.abbreviation) || !tz_time(s, off)) return false;
  r.standard.offset = -off;  // POSIX counts west of Greenwich as positive
  if (!s.empty()) {
    if (!tz_name(s, r.daylight.abbreviation)) return false;
    r.has_dst = true;
    r.daylight.dst = true;
    r.daylight.offset = r.standard.offset + 3600;
    if (!s.empty() && s[0] != ',') {
      if (!tz_time(s, off)) return false;
      r.daylight.offset = -off;
    }
    for (RuleDate* d : {&r.start, &r.end}) {
      if (s.empty() || s[0] != ',') return false;
      s.remove_prefix(1);
      if (!s.empty() && s[0] == 'M') {
        s.remove_prefix(1);
        d->form = 'M';
        if (!tz_number(s, d->month) || s.empty() || s[0] != '.') return false;
        s.remove_prefix(1);
        if (!tz_number(s, d->week) || s.empty() || s[0] != '.') return false;
        s.remove_prefix(1);
        if (!tz_number(s, d->weekday)) return false;
        if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->weekday > 6) return false;
      } else {
        d->form = 'n';
        if (!s.empty() && s[0] == 'J') {
          d->form = 'J';
          s.remove_prefix(1);
        }
        if (!tz_number(s, d->day)) return false;
      }
      if (!s.empty() && s[0] == '/' ) {
        s.remove_prefix(1);
        if (!tz_time(s, d->time)) return false;
      }
    }
  }
  if (!s.empty()) return false;
  r.valid = true;
  rule_ = std::move(r);
  return true;
}

TimeZone::Type TimeZone::rule_type(std::int64_t t) const {
  if (!rule_.has_dst) return rule_.standard;
  int y = 0, m = 0, d = 0;
  civil_from_days((t + rule_.standard.offset) / 86400 - ((t + rule_.standard.offset) % 86400 < 0), y, m, d);
  // The local day (in days since the epoch) on which a rule date falls in year `y`.
  const auto day_of = [&](const RuleDate& r) -> std::int64_t {
    const std::int64_t jan1 = days_from_civil(y, 1, 1);
    if (r.form == 'J') return jan1 + r.day - 1 + (leap(y) && r.day >= 60 ? 1 : 0);
    if (r.form == 'n') return jan1 + r.day;
    const std::int64_t first = days_from_civil(y, r.month, 1);
    const int first_weekday = static_cast<int>(((first % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
    int day = 1 + (r.weekday - first_weekday + 7) % 7 + (r.week - 1) * 7;
    while (day > month_days(y, r.month)) day -= 7;
    return first + day - 1;
  };
  const std::int64_t start = day_of(rule_.start) * 86400 + rule_.start.time - rule_.standard.offset;
  const std::int64_t end = day_of(rule_.end) * 86400 + rule_.end.time - rule_.daylight.offset;
  const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? rule_.daylight : rule_.standard;
}

LocalTime TimeZone::local(std::int64_t t) const {
  Type type;
  const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), t);
  if (after == transitions_.end() && rule_.valid) {
    type = rule_type(t);
  } else if (after == transitions_.begin()) {
    // Before the first transition: the first standard-time type (RFC 8536, 3.2), else the first.
    auto it = std::find_if(types_.begin(), types_.end(), [](const Type& x) { return !x.dst; });
    type = it == types_.end() ? types_.front() : *it;
  } else {
    type = types_[indexes_[static_cast<std::size_t>(after - transitions_.begin() - 1)]];
  }
  LocalTime out;
  const std::int64_t local = t + type.offset;
  std::int64_t days = local / 86400, secs = local % 86400;
  if (secs < 0) secs += 86400, --days;
  civil_from_days(days, out.year, out.month, out.day);
  out.hour = static_cast<int>(secs / 3600);
  out.minute = static_cast<int>(secs / 60 % 60);
  out.second = static_cast<int>(secs % 60);
  out.offset = type.offset;
  out.dst = type.dst;
  out.abbreviation = type.abbreviation;
  return out;
}

}  // namespace askonce::engine
