// tests/clock_tests.cpp: federal holidays, working days and due dates (engine/clock.hpp).
//
// Every expected date here was worked out by hand from a calendar, day by day, as the comments
// show, and checked against OPM's published holiday tables for 2021 to 2028; none is computed
// by the code under test. The rules are those of docs/figures.md, "Due dates and working days".
#define BOOST_TEST_MODULE clock_tests
#include <boost/test/unit_test.hpp>

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "engine/clock.hpp"
#include "engine/value.hpp"

using askonce::engine::days_used;
using askonce::engine::due_date;
using askonce::engine::federal_holiday;
using askonce::engine::federal_holidays;
using askonce::engine::Pause;
using askonce::engine::working_day;
using askonce::model::Date;
using askonce::model::ServiceStandard;

namespace askonce::model {
std::ostream& operator<<(std::ostream& o, const Date& d) { return o << engine::to_iso(d); }
}  // namespace askonce::model

namespace {

Date day(const char* iso) { return *askonce::engine::parse_date(iso); }

ServiceStandard days(std::uint32_t n) { return ServiceStandard{n, ServiceStandard::Unit::Days, {}, {}}; }
ServiceStandard working_days(std::uint32_t n) {
  return ServiceStandard{n, ServiceStandard::Unit::WorkingDays, {}, {}};
}

Pause pause(const char* from, const char* to) { return Pause{day(from), day(to)}; }

// The observed days of each year's federal holidays, in the order of the year: New Year's Day,
// Martin Luther King Jr.'s birthday (3rd Monday of January), Washington's Birthday (3rd Monday
// of February), Memorial Day (last Monday of May), Juneteenth (19 June), Independence Day,
// Labor Day (1st Monday of September), Columbus Day (2nd Monday of October), Veterans Day (11
// November), Thanksgiving (4th Thursday of November), Christmas Day. A holiday on a Saturday is
// observed the Friday before, on a Sunday the Monday after; the weekday of the holiday itself
// is noted where it moves.
const std::map<int, std::vector<std::string>> observed_by_hand = {
    // 1 Jan is a Friday. 19 Jun Sat -> Fri 18; 4 Jul Sun -> Mon 5; 25 Dec Sat -> Fri 24.
    {2021, {"2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05", "2021-09-06",
            "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24"}},
    // 1 Jan 2022 is a Saturday: observed on Friday 31 December 2021. 19 Jun Sun -> Mon 20;
    // 25 Dec Sun -> Mon 26.
    {2022, {"2021-12-31", "2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05",
            "2022-10-10", "2022-11-11", "2022-11-24", "2022-12-26"}},
    // 1 Jan Sun -> Mon 2; 11 Nov Sat -> Fri 10.
    {2023, {"2023-01-02", "2023-01-16", "2023-02-20", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04",
            "2023-10-09", "2023-11-10", "2023-11-23", "2023-12-25"}},
    // A leap year starting on a Monday; nothing moves.
    {2024, {"2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02",
            "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"}},
    // Starts on a Wednesday; nothing moves.
    {2025, {"2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
            "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"}},
    // 4 Jul Sat -> Fri 3.
    {2026, {"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
            "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"}},
    // The calendar of 2021: 19 Jun Sat -> Fri 18; 4 Jul Sun -> Mon 5; 25 Dec Sat -> Fri 24.
    {2027, {"2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
            "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24"}},
    // A leap year starting on a Saturday: 1 Jan -> Fri 31 December 2027; 11 Nov Sat -> Fri 10.
    {2028, {"2027-12-31", "2028-01-17", "2028-02-21", "2028-05-29", "2028-06-19", "2028-07-04", "2028-09-04",
            "2028-10-09", "2028-11-10", "2028-11-23", "2028-12-25"}},
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_holiday_of_2021_to_2028_is_observed_on_the_day_worked_out_by_hand) {
  for (const auto& [year, expected] : observed_by_hand) {
    BOOST_TEST_CONTEXT(year) {
      std::vector<std::string> got;
      for (const auto& h : federal_holidays(year)) got.push_back(askonce::engine::to_iso(h.observed));
      BOOST_TEST(got == expected, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_holiday_keeps_the_day_the_law_names_beside_the_day_it_is_observed) {
  const auto y2022 = federal_holidays(2022);
  BOOST_TEST_REQUIRE(y2022.size() == 11u);
  BOOST_TEST(y2022[0].name == "New Year's Day");
  BOOST_TEST(y2022[0].date == day("2022-01-01"));
  BOOST_TEST(y2022[0].observed == day("2021-12-31"));
  BOOST_TEST(y2022[4].name == "Juneteenth National Independence Day");
  BOOST_TEST(y2022[4].date == day("2022-06-19"));
  BOOST_TEST(y2022[4].observed == day("2022-06-20"));
}

BOOST_AUTO_TEST_CASE(juneteenth_is_a_holiday_only_from_2021) {
  // 19 June 2020 was a Friday, a working day; 18 June 2021 (the Friday before Saturday 19) not.
  BOOST_TEST(federal_holidays(2020).size() == 10u);
  BOOST_TEST(federal_holidays(2021).size() == 11u);
  BOOST_TEST(working_day(day("2020-06-19")));
  BOOST_TEST(!working_day(day("2021-06-18")));
}

BOOST_AUTO_TEST_CASE(a_working_day_is_a_weekday_that_is_not_an_observed_holiday_every_day_of_2021_to_2028) {
  std::set<std::string> closed;
  for (const auto& [year, dates] : observed_by_hand) closed.insert(dates.begin(), dates.end());
  // 2021-01-01 was a Friday (day 5 of the week, Sunday = 0).
  int weekday = 5;
  int working = 0;
  for (auto d = askonce::engine::days_from_civil(day("2021-01-01")); d <= askonce::engine::days_from_civil(day("2028-12-31"));
       ++d, weekday = (weekday + 1) % 7) {
    const Date date = askonce::engine::civil_from_days(d);
    const std::string iso = askonce::engine::to_iso(date);
    const bool holiday = closed.count(iso) > 0;
    BOOST_TEST_CONTEXT(iso) {
      BOOST_TEST(federal_holiday(date) == holiday);
      BOOST_TEST(working_day(date) == (weekday != 0 && weekday != 6 && !holiday));
    }
    working += weekday != 0 && weekday != 6 && !holiday;
  }
  // 2021-01-01 (a Friday) to 2028-12-31 (a Sunday) is 2,922 days: 417 weeks (2,085 weekdays)
  // and Friday to Sunday (1 more). Less the 88 observed holidays, all on weekdays: 1,998.
  BOOST_TEST(working == 1998);
}

BOOST_AUTO_TEST_CASE(the_holiday_itself_on_a_saturday_is_not_the_day_offices_close) {
  BOOST_TEST(!federal_holiday(day("2022-01-01")));  // a Saturday; closed on Friday 31 December 2021
  BOOST_TEST(federal_holiday(day("2021-12-31")));
  BOOST_TEST(!working_day(day("2022-01-01")));       // still a weekend day
}

// ---- Due dates ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(ten_working_days_over_juneteenth_on_a_saturday) {
  // Received Monday 14 June 2027 (day 0). Juneteenth, Saturday 19 June 2027, is observed on
  // Friday 18 June. Working days: Tue 15 (1), Wed 16 (2), Thu 17 (3), [Fri 18 holiday,
  // Sat 19, Sun 20], Mon 21 (4), Tue 22 (5), Wed 23 (6), Thu 24 (7), Fri 25 (8), Mon 28 (9),
  // Tue 29 (10). Without the holiday it would be Monday 28 June.
  BOOST_TEST(due_date(day("2027-06-14"), working_days(10), {}) == day("2027-06-29"));
  BOOST_TEST(days_used(day("2027-06-14"), day("2027-06-29"), working_days(10), {}) == 10);
  BOOST_TEST(days_used(day("2027-06-14"), day("2027-06-28"), working_days(10), {}) == 9);
  BOOST_TEST(days_used(day("2027-06-14"), day("2027-06-30"), working_days(10), {}) == 11);
  // Friday 18 June is not counted: the count on Thursday 17 and on Sunday 20 is the same.
  BOOST_TEST(days_used(day("2027-06-14"), day("2027-06-17"), working_days(10), {}) == 3);
  BOOST_TEST(days_used(day("2027-06-14"), day("2027-06-20"), working_days(10), {}) == 3);
}

BOOST_AUTO_TEST_CASE(ten_working_days_over_new_years_day_on_a_saturday_observed_the_year_before) {
  // Received Monday 20 December 2021. Christmas (Sat 25) is observed Friday 24 December, New
  // Year's Day 2022 (Sat 1 January) on Friday 31 December 2021. Working days: Tue 21 (1),
  // Wed 22 (2), Thu 23 (3), [Fri 24], Mon 27 (4), Tue 28 (5), Wed 29 (6), Thu 30 (7), [Fri 31],
  // Mon 3 January (8), Tue 4 (9), Wed 5 (10).
  BOOST_TEST(due_date(day("2021-12-20"), working_days(10), {}) == day("2022-01-05"));
  // 2027 has 2021's calendar and 1 January 2028 is a Saturday: the same days, six years on.
  BOOST_TEST(due_date(day("2027-12-20"), working_days(10), {}) == day("2028-01-05"));
  // One working day from Thursday 30 December 2027: Friday 31 is New Year's Day 2028 observed,
  // then the weekend: Monday 3 January 2028.
  BOOST_TEST(due_date(day("2027-12-30"), working_days(1), {}) == day("2028-01-03"));
  BOOST_TEST(days_used(day("2027-12-30"), day("2028-01-02"), working_days(1), {}) == 0);
}

BOOST_AUTO_TEST_CASE(a_calendar_day_standard_counts_every_day) {
  // 30 days from Wednesday 31 January 2024, a leap year: 1 February is day 1, 29 February day
  // 29, 1 March day 30.
  BOOST_TEST(due_date(day("2024-01-31"), days(30), {}) == day("2024-03-01"));
  // Over the end of a year: 15 December 2022 + 16 = 31 December, + 14 = 14 January 2023.
  BOOST_TEST(due_date(day("2022-12-15"), days(30), {}) == day("2023-01-14"));
  // Weekends and holidays count: 1 day from Friday 24 December 2021 (Christmas observed) is
  // Saturday 25, Christmas Day itself.
  BOOST_TEST(due_date(day("2021-12-24"), days(1), {}) == day("2021-12-25"));
  BOOST_TEST(days_used(day("2024-01-31"), day("2024-03-01"), days(30), {}) == 30);
  BOOST_TEST(days_used(day("2024-01-31"), day("2024-01-31"), days(30), {}) == 0);
  BOOST_TEST(days_used(day("2024-01-31"), day("2024-01-01"), days(30), {}) == 0);
  // The longest standard: 3,650 days from 1 January 2025 (2028 and 2032 are leap years, so ten
  // years are 3,652 days and 1 January 2035 is day 3,652): two days before, 30 December 2034.
  BOOST_TEST(due_date(day("2025-01-01"), days(3650), {}) == day("2034-12-30"));
}

BOOST_AUTO_TEST_CASE(a_pause_while_waiting_on_the_citizen_in_calendar_days) {
  // 30 days from Monday 3 March 2025; the agency asks on Monday 10 March, the citizen answers
  // on Monday 17 March: 10 to 16 March, 7 days, are paused. Counted: 4-9 March (6), 17-31 March
  // (15, total 21), 1-9 April (9, total 30): due Wednesday 9 April, 2 April + 7.
  const std::vector<Pause> asked{pause("2025-03-10", "2025-03-17")};
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {}) == day("2025-04-02"));
  BOOST_TEST(due_date(day("2025-03-03"), days(30), asked) == day("2025-04-09"));
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-04-09"), days(30), asked) == 30);
  // While paused the count stands still: 6 on 9 March, 6 on 16 March, 7 on 17 March.
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-03-09"), days(30), asked) == 6);
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-03-16"), days(30), asked) == 6);
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-03-17"), days(30), asked) == 7);
}

BOOST_AUTO_TEST_CASE(a_pause_while_waiting_on_the_citizen_in_working_days) {
  // 10 working days from Monday 3 March 2025 (no holiday that month). Asked on Wednesday 5,
  // answered on Monday 10: Wed 5, Thu 6, Fri 7 are paused. Counted: Tue 4 (1), Mon 10 (2),
  // Tue 11 (3), Wed 12 (4), Thu 13 (5), Fri 14 (6), Mon 17 (7), Tue 18 (8), Wed 19 (9),
  // Thu 20 (10). Without the pause: Mon 17 March.
  const std::vector<Pause> asked{pause("2025-03-05", "2025-03-10")};
  BOOST_TEST(due_date(day("2025-03-03"), working_days(10), {}) == day("2025-03-17"));
  BOOST_TEST(due_date(day("2025-03-03"), working_days(10), asked) == day("2025-03-20"));
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-03-20"), working_days(10), asked) == 10);
  BOOST_TEST(days_used(day("2025-03-03"), day("2025-03-09"), working_days(10), asked) == 1);
}

BOOST_AUTO_TEST_CASE(pauses_that_overlap_or_touch_pause_each_day_once) {
  // 30 days from Monday 3 March 2025, as above.
  // Overlapping: [10, 17) and [14, 20) March pause 10 to 19 March, 10 days: 2 April + 10 =
  // 12 April (4-9 March: 6; 20-31 March: 12, total 18; 1-12 April: 12, total 30).
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-10", "2025-03-17"), pause("2025-03-14", "2025-03-20")}) ==
             day("2025-04-12"));
  // Given in either order.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-14", "2025-03-20"), pause("2025-03-10", "2025-03-17")}) ==
             day("2025-04-12"));
  // Touching: [10, 14) and [14, 17) are 10 to 16 March, 7 days, as one pause: 9 April.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-10", "2025-03-14"), pause("2025-03-14", "2025-03-17")}) ==
             day("2025-04-09"));
  // One inside another: [10, 17) holds [12, 14): 7 days, 9 April.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-10", "2025-03-17"), pause("2025-03-12", "2025-03-14")}) ==
             day("2025-04-09"));
  // An empty pause (answered the day it was asked) pauses nothing.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-10", "2025-03-10")}) == day("2025-04-02"));
  // A pause from before the day received pauses only the days after it: [1, 5) March pauses
  // 4 March alone: 2 April + 1 = 3 April.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-03-01", "2025-03-05")}) == day("2025-04-03"));
  // A pause after the due date does not move it.
  BOOST_TEST(due_date(day("2025-03-03"), days(30), {pause("2025-05-01", "2025-05-10")}) == day("2025-04-02"));
  // Working days: [5, 7) and [7, 10) March touch: Wed 5 to Fri 7 paused, Thursday 20 as above.
  BOOST_TEST(due_date(day("2025-03-03"), working_days(10), {pause("2025-03-05", "2025-03-07"), pause("2025-03-07", "2025-03-10")}) ==
             day("2025-03-20"));
}

BOOST_AUTO_TEST_CASE(received_on_a_weekend_or_a_holiday) {
  // Received Saturday 1 March 2025: Mon 3 (1) to Fri 7 (5), Mon 10 (6) to Fri 14 (10).
  BOOST_TEST(due_date(day("2025-03-01"), working_days(10), {}) == day("2025-03-14"));
  // Received on Martin Luther King Jr. Day, Monday 20 January 2025: Tue 21 (1), Wed 22 (2),
  // Thu 23 (3), Fri 24 (4), Mon 27 (5).
  BOOST_TEST(due_date(day("2025-01-20"), working_days(5), {}) == day("2025-01-27"));
  // Received on Independence Day, Friday 4 July 2025: the next working day is Monday 7 July.
  BOOST_TEST(due_date(day("2025-07-04"), working_days(1), {}) == day("2025-07-07"));
  // Received Sunday 2 March 2025, 30 calendar days: 1 April.
  BOOST_TEST(due_date(day("2025-03-02"), days(30), {}) == day("2025-04-01"));
  // Received the day before Thanksgiving, Wednesday 25 November 2026: Thursday 26 is the
  // holiday, Friday 27 the first working day.
  BOOST_TEST(due_date(day("2026-11-25"), working_days(1), {}) == day("2026-11-27"));
}

BOOST_AUTO_TEST_CASE(fiscal_quarters) {
  using askonce::engine::fiscal_quarter;
  using askonce::engine::parse_fiscal_quarter;
  // The federal fiscal year 2027 runs from 1 October 2026 to 30 September 2027.
  BOOST_TEST(fiscal_quarter(day("2026-10-01")).label() == "FY2027 Q1");
  BOOST_TEST(fiscal_quarter(day("2026-12-31")).label() == "FY2027 Q1");
  BOOST_TEST(fiscal_quarter(day("2027-01-01")).label() == "FY2027 Q2");
  BOOST_TEST(fiscal_quarter(day("2027-03-31")).label() == "FY2027 Q2");
  BOOST_TEST(fiscal_quarter(day("2027-04-01")).label() == "FY2027 Q3");
  BOOST_TEST(fiscal_quarter(day("2027-07-01")).label() == "FY2027 Q4");
  BOOST_TEST(fiscal_quarter(day("2027-09-30")).label() == "FY2027 Q4");
  BOOST_TEST(fiscal_quarter(day("2026-09-30")).label() == "FY2026 Q4");
  // First and last days, by hand.
  const auto q1 = *parse_fiscal_quarter("FY2027 Q1");
  BOOST_TEST(q1.first_day() == day("2026-10-01"));
  BOOST_TEST(q1.last_day() == day("2026-12-31"));
  const auto q2 = *parse_fiscal_quarter("FY2028 Q2");
  BOOST_TEST(q2.first_day() == day("2028-01-01"));
  BOOST_TEST(q2.last_day() == day("2028-03-31"));
  BOOST_TEST(parse_fiscal_quarter("FY2027 Q4")->last_day() == day("2027-09-30"));
  BOOST_TEST(!parse_fiscal_quarter("FY2027 Q5"));
  BOOST_TEST(!parse_fiscal_quarter("2027 Q1"));
  BOOST_TEST(!parse_fiscal_quarter("FY27 Q1"));
}
