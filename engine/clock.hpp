// engine/clock.hpp: service standards as clocks: US federal holidays, working days, due dates.
//
// An agency promises a decision within N days or N working days (model::ServiceStandard). The
// clock starts on the date an application is received (for mail, the day the envelope
// arrived), stops while the agency waits on the citizen (need_info until answered), and ends at
// the decision. These are the exact rules, the same as docs/figures.md ("Due dates and working
// days"):
//
// - The day received is day 0. The clock counts the days after it, one by one.
// - A day is paused when it lies in a Pause [from, to): from the day the agency asked, up to
//   but not including the day the citizen answered. Pauses may overlap or touch: a day is
//   paused once, however many pauses hold it. Days on or before the day received are never
//   counted, paused or not.
// - A counted day is a day after the day received that is not paused and, for a standard in
//   working days, is a working day: Monday to Friday, and not a federal holiday as observed.
// - Due date: the day on which the count reaches N. For N days, that is received + N calendar
//   days, plus one day for each paused day up to the due date; for N working days, the Nth
//   counted working day after the day received. A pause after the due date does not move it.
// - Days used (until a day): the number of counted days from the day after the day received up
//   to and including that day; 0 for a day on or before the day received. Decided within the
//   standard: days used at the decision <= N. Pending past the standard: days used today > N.
//
// Federal holidays are those of 5 U.S.C. 6103(a), observed under 6103(b) and Executive Order
// 11582: one on a Saturday is observed on the Friday before (1 January 2022, a Saturday, on
// 31 December 2021), one on a Sunday on the Monday after. Juneteenth counts from 2021, the year
// it became a holiday, Martin Luther King Jr.'s birthday from 1986; the others follow today's
// rules in every year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"

namespace askonce::engine {

/// A federal holiday of one year: the day the law names and the day it is observed.
struct Holiday {
  std::string_view name;  // "Juneteenth National Independence Day"
  model::Date date;       // the day the law names (19 June)
  model::Date observed;   // the day offices close: the Friday before a Saturday, the Monday after a Sunday
};

/// The federal holidays of `year` (5 U.S.C. 6103), in the order of the year. An observed day can
/// fall in the year before (New Year's Day on a Saturday).
std::vector<Holiday> federal_holidays(int year);

/// True when offices are closed for a federal holiday on `d` (an observed day).
bool federal_holiday(model::Date d);

/// True when `d` is Monday to Friday and not an observed federal holiday.
bool working_day(model::Date d);

/// A time the agency waits on the citizen: [from, to), from the day it asked to the day the
/// citizen answered (that day counts again). For a pause still open, pass the day after the
/// last day known (today + 1): the due date is then the earliest it can be.
struct Pause {
  model::Date from;
  model::Date to;
};

/// The day a decision is due: the day the count of counted days reaches the standard's amount
/// (see the rules above).
model::Date due_date(model::Date received, const model::ServiceStandard& standard, const std::vector<Pause>& pauses);

/// The days (or working days) counted from the day after `received` up to and including
/// `until`, in the standard's unit, paused days not counted; 0 when `until` is not after
/// `received`.
std::int64_t days_used(model::Date received, model::Date until, const model::ServiceStandard& standard,
                       const std::vector<Pause>& pauses);

/// A US federal fiscal quarter: the fiscal year starts on 1 October, so 1 October to
/// 31 December 2026 is FY2027 Q1 and July to September 2027 is FY2027 Q4 (OMB Circular A-11;
/// performance.gov reports by it).
struct FiscalQuarter {
  int year = 0;     // the fiscal year: the calendar year it ends in
  int quarter = 0;  // 1..4
  /// "FY2027 Q1"
  std::string label() const;
  /// The quarter's first and last days.
  model::Date first_day() const;
  model::Date last_day() const;
  auto operator<=>(const FiscalQuarter&) const = default;
};

/// The fiscal quarter `d` falls in.
FiscalQuarter fiscal_quarter(model::Date d);

/// Reads "FY2027 Q1" (as label() writes it); nullopt for anything else.
std::optional<FiscalQuarter> parse_fiscal_quarter(std::string_view text);

}  // namespace askonce::engine
