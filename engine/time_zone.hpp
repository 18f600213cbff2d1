// engine/time_zone.hpp: a moment in the deployment's time zone, from the system's tz database.
//
// g++ 12 has no std::chrono::zoned_time, and setting TZ for localtime_r would change the whole
// process (and every test in it). So the zone's TZif file (/usr/share/zoneinfo/NAME, Debian's
// tzdata) is read once into plain data, and a moment is placed in it by its transitions and,
// past the last one, by the file's POSIX TZ rule (the "footer" of TZif version 2 and later:
// "EST5EDT,M3.2.0,M11.1.0"), as the C library does.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace askonce::engine {

/// A local time in a zone.
struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::int32_t offset = 0;  // seconds east of UTC
  bool dst = false;
  std::string abbreviation;  // "EST", "EDT", from the tz database
};

/// One IANA time zone, read from its TZif file.
class TimeZone {
 public:
  /// The zone called `name` ("America/New_York", "UTC"), read from `dir` (default
  /// /usr/share/zoneinfo, or $TZDIR when set); null when there is no such zone or its file is
  /// not a TZif file. The name may not hold "..", a leading "/" or anything but letters,
  /// digits, "/", "_", "-" and "+".
  static std::shared_ptr<const TimeZone> load(std::string_view name, std::string_view dir = {});

  /// Loaded zones, by name, each read once per process (the tz database does not change while
  /// it runs); null as load().
  static std::shared_ptr<const TimeZone> find(std::string_view name);

  const std::string& name() const { return name_; }

  /// `unix_seconds` (UTC) as a local time in this zone.
  LocalTime local(std::int64_t unix_seconds) const;

 private:
  struct Type {
    std::int32_t offset = 0;
    bool dst = false;
    std::string abbreviation;
  };
  /// A POSIX TZ rule's date: "Mm.w.d" (month, week 1-5 where 5 is the last, weekday), "Jn" or
  /// "n" (day of the year), and the time of day it happens, in seconds (local, before it).
  struct RuleDate {
    char form = 'M';
    int month = 0, week = 0, weekday = 0, day = 0;
    std::int32_t time = 7200;
  };
  struct Rule {
    bool valid = false;
    Type standard, daylight;
    bool has_dst = false;
    RuleDate start, end;
  };
  bool parse(std::string_view bytes);
  bool parse_rule(std::string_view footer);
  Type rule_type(std::int64_t unix_seconds) const;

  std::string name_;
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::uint8_t> indexes_;      // transitions_[i] starts types_[indexes_[i]]
  std::vector<Type> types_;
  Rule rule_;
};

}  // namespace askonce::engine
