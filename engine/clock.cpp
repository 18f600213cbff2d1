// engine/clock.cpp: federal holidays, working days and the clock of a service standard.
//
// Dates are handled as day numbers (engine/value.hpp's days_from_civil), so that a day after is
// +1 and a weekday is a remainder. Pauses are merged into disjoint runs of day numbers once;
// the clock then walks the unpaused days and jumps over each pause whole, so its work grows
// with the standard's length and the number of pauses, never with how long a pause lasts.
#include "engine/clock.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "engine/value.hpp"

namespace askonce::engine {
namespace {

using Day = std::int64_t;  // days since 1970-01-01

/// 0 Sunday ... 6 Saturday. 1970-01-01 was a Thursday.
int weekday(Day d) {
  const Day w = (d + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

Day day_of(int year, unsigned month, unsigned day) { return days_from_civil(model::Date{year, month, day}); }

/// The `n`th (1-based) `wd` weekday of the month; n = 5 is taken as the last.
Day nth_weekday(int year, unsigned month, int wd, int n) {
  if (n == 5) {
    const unsigned next_month = month == 12 ? 1 : month + 1;
    const int next_year = month == 12 ? year + 1 : year;
    const Day last = day_of(next_year, next_month, 1) - 1;
    return last - ((weekday(last) - wd + 7) % 7);
  }
  const Day first = day_of(year, month, 1);
  return first + ((wd - weekday(first) + 7) % 7) + 7 * (n - 1);
}

/// 5 U.S.C. 6103(b): Saturday -> the Friday before, Sunday -> the Monday after.
Day observed(Day d) {
  switch (weekday(d)) {
    case 6: return d - 1;
    case 0: return d + 1;
    default: return d;
  }
}

constexpr int monday = 1;
constexpr int thursday = 4;

/// The observed days of the federal holidays of `year`.
std::vector<Day> observed_days(int year) {
  std::vector<Day> out;
  for (const auto& h : federal_holidays(year)) out.push_back(days_from_civil(h.observed));
  return out;
}

/// Answers "is this day an observed holiday?" for days in order, reading each year's holidays
/// once. A day's observed holidays come from its own year and, for 31 December, from the next
/// (New Year's Day on a Saturday).
class HolidayCache {
 public:
  bool holiday(Day d) {
    const int year = civil_from_days(d).year;
    if (year != year_) {
      year_ = year;
      days_ = observed_days(year);
      const auto next = observed_days(year + 1);
      days_.insert(days_.end(), next.begin(), next.end());
    }
    return std::find(days_.begin(), days_.end(), d) != days_.end();
  }
  bool working(Day d) {
    const int w = weekday(d);
    return w != 0 && w != 6 && !holiday(d);
  }

 private:
  int year_ = 0;
  std::vector<Day> days_;
};

/// The paused days after `received`, as disjoint runs [from, to) in order.
std::vector<std::pair<Day, Day>> paused_runs(Day received, const std::vector<Pause>& pauses) {
  std::vector<std::pair<Day, Day>> runs;
  for (const auto& p : pauses) {
    const Day from = std::max(days_from_civil(p.from), received + 1);
    const Day to = days_from_civil(p.to);
    if (from < to) runs.emplace_back(from, to);
  }
  std::sort(runs.begin(), runs.end());
  std::vector<std::pair<Day, Day>> merged;
  for (const auto& r : runs) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);  // overlapping or touching
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

/// Walks the counted days after `received` in order: calls `counted(day, count)` for each,
/// while it returns true, and stops at `last` (inclusive) if it comes first.
template <typename F>
void walk(Day received, Day last, const model::ServiceStandard& standard, const std::vector<Pause>& pauses,
          F&& counted) {
  const bool working = standard.unit == model::ServiceStandard::Unit::WorkingDays;
  const auto runs = paused_runs(received, pauses);
  HolidayCache holidays;
  std::size_t next_run = 0;
  std::int64_t count = 0;
  for (Day d = received + 1; d <= last;) {
    if (next_run < runs.size() && d >= runs[next_run].first) {
      d = std::max(d, runs[next_run].second);  // the whole pause at once
      ++next_run;
      continue;
    }
    if (!working || holidays.working(d)) {
      if (!counted(d, ++count)) return;
    }
    ++d;
  }
}

}  // namespace

std::vector<Holiday> federal_holidays(int year) {
  std::vector<Holiday> out;
  auto add = [&](std::string_view name, Day d) {
    out.push_back(Holiday{name, civil_from_days(d), civil_from_days(observed(d))});
  };
  add("New Year's Day", day_of(year, 1, 1));
  if (year >= 1986) add("Birthday of Martin Luther King, Jr.", nth_weekday(year, 1, monday, 3));
  add("Washington's Birthday", nth_weekday(year, 2, monday, 3));
  add("Memorial Day", nth_weekday(year, 5, monday, 5));
  if (year >= 2021) add("Juneteenth National Independence Day", day_of(year, 6, 19));
  add("Independence Day", day_of(year, 7, 4));
  add("Labor Day", nth_weekday(year, 9, monday, 1));
  add("Columbus Day", nth_weekday(year, 10, monday, 2));
  add("Veterans Day", day_of(year, 11, 11));
  add("Thanksgiving Day", nth_weekday(year, 11, thursday, 4));
  add("Christmas Day", day_of(year, 12, 25));
  return out;
}

bool federal_holiday(model::Date d) { return HolidayCache().holiday(days_from_civil(d)); }

bool working_day(model::Date d) { return HolidayCache().working(days_from_civil(d)); }

model::Date due_date(model::Date received, const model::ServiceStandard& standard, const std::vector<Pause>& pauses) {
  const Day start = days_from_civil(received);
  const std::int64_t amount = standard.amount;
  Day due = start;  // a standard of 0 days (never compiled: 1 to 3,650) is due on day 0
  if (amount == 0) return received;
  walk(start, std::numeric_limits<Day>::max() - 1, standard, pauses, [&](Day d, std::int64_t count) {
    due = d;
    return count < amount;
  });
  return civil_from_days(due);
}

std::int64_t days_used(model::Date received, model::Date until, const model::ServiceStandard& standard,
                       const std::vector<Pause>& pauses) {
  std::int64_t used = 0;
  walk(days_from_civil(received), days_from_civil(until), standard, pauses, [&](Day, std::int64_t count) {
    used = count;
    return true;
  });
  return used;
}

FiscalQuarter fiscal_quarter(model::Date d) {
  // October to December belong to the next calendar year's fiscal year.
  if (d.month >= 10) return {d.year + 1, 1};
  return {d.year, static_cast<int>((d.month - 1) / 3) + 2};
}

std::string FiscalQuarter::label() const { return "FY" + std::to_string(year) + " Q" + std::to_string(quarter); }

model::Date FiscalQuarter::first_day() const {
  // Q1 starts in October of the year before; Q2 in January, Q3 in April, Q4 in July.
  if (quarter == 1) return model::Date{year - 1, 10, 1};
  return model::Date{year, static_cast<unsigned>((quarter - 2) * 3 + 1), 1};
}

model::Date FiscalQuarter::last_day() const {
  const FiscalQuarter next = quarter == 4 ? FiscalQuarter{year + 1, 1} : FiscalQuarter{year, quarter + 1};
  return civil_from_days(days_from_civil(next.first_day()) - 1);
}

std::optional<FiscalQuarter> parse_fiscal_quarter(std::string_view text) {
  // "FY" four digits " Q" one digit 1..4
  if (text.size() != 9 || text.substr(0, 2) != "FY" || text.substr(6, 2) != " Q") return std::nullopt;
  int year = 0;
  for (char c : text.substr(2, 4)) {
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  const char q = text[8];
  if (q < '1' || q > '4' || year < 1900) return std::nullopt;
  return FiscalQuarter{year, q - '0'};
}

}  // namespace askonce::engine
