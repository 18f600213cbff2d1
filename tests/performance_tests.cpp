// tests/performance_tests.cpp: the published results (server/http/figures.hpp, /performance):
// the figures from counts and feedback tallies the test builds (plain data, through publish());
// the clock's place of an application in them (figure_place); disclosure control proved by
// attack, tests/performance/attack.py bounding every suppressed value by linear programming,
// which must catch naive suppression on a hand-made leaking table and find nothing to pin in
// what publish() writes for the same history and for hundreds of random ones; and the pages,
// JSON and CSV of a real server on loopback, on both backends, against what its APIs returned.
#define BOOST_TEST_MODULE performance_tests
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "engine/clock.hpp"
#include "engine/value.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/http/figures.hpp"
#include "server/http/performance_pages.hpp"
#include "server/http/web_pages.hpp"
#include "server/store/keyring.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"
#include "tests/backend_support.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"
#include "tests/test_support.hpp"

namespace s = askonce::server;
namespace fs = std::filesystem;
using askonce::test::Headers;
using askonce::test::TestServer;

namespace {

askonce::model::Date day(const char* iso) { return askonce::engine::parse_date(iso).value(); }

s::FigureCounts::Applications apps(std::string agency, std::string quarter, std::string channel, std::int64_t n) {
  return {"coa", std::move(agency), std::move(quarter), std::move(channel), n};
}

const s::FigureRow& row(const s::Publication& p, const std::string& agency, const std::string& quarter,
                        const std::string& channel) {
  for (const auto& r : p.rows) {
    if (r.agency == agency && r.quarter == quarter && r.channel == channel) return r;
  }
  throw std::runtime_error("no row " + agency + " " + quarter + " " + channel);
}

struct Run {
  int code;
  std::string out;
};
/// attack.py on `files`: its exit code and what it printed.
Run attack(const std::vector<fs::path>& files, bool together = false) {
  std::string command = std::string("/usr/bin/python3 tests/performance/attack.py") + (together ? " --together" : "");
  for (const auto& f : files) command += " '" + f.string() + "'";
  command += " 2>&1";
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  BOOST_TEST_REQUIRE(p != nullptr);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path file = dir / name;
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

Poco::JSON::Object::Ptr object(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

// --- the figures, from counts and tallies built here ---

BOOST_AUTO_TEST_CASE(percentiles_are_nearest_rank) {
  // 10 values: 1..10. Median: rank ceil(5) = 5 -> 5; 80th: rank 8 -> 8; 90th: rank 9 -> 9.
  std::vector<std::pair<std::int64_t, std::int64_t>> ten;
  for (int v = 1; v <= 10; ++v) ten.emplace_back(v, 1);
  BOOST_TEST(s::nearest_rank(ten, 50).value() == 5);
  BOOST_TEST(s::nearest_rank(ten, 80).value() == 8);
  BOOST_TEST(s::nearest_rank(ten, 90).value() == 9);
  BOOST_TEST(s::nearest_rank(ten, 100).value() == 10);
  // 11 values as a histogram: 3 x 2 days, 7 x 5 days, 1 x 30 days. Median rank 6 -> 5; 90th
  // rank ceil(9.9) = 10 -> 5; 100th -> 30.
  const std::vector<std::pair<std::int64_t, std::int64_t>> h = {{2, 3}, {5, 7}, {30, 1}};
  BOOST_TEST(s::nearest_rank(h, 50).value() == 5);
  BOOST_TEST(s::nearest_rank(h, 27).value() == 2);  // rank ceil(2.97) = 3 -> 2
  BOOST_TEST(s::nearest_rank(h, 28).value() == 5);  // rank ceil(3.08) = 4 -> 5
  BOOST_TEST(s::nearest_rank(h, 90).value() == 5);
  BOOST_TEST(s::nearest_rank(h, 100).value() == 30);
  BOOST_TEST(!s::nearest_rank({}, 50).has_value());
}

// Every figure of a cell, worked out by hand from counts and tallies this test builds.
BOOST_AUTO_TEST_CASE(every_figure_from_counts_and_feedback_tallies) {
  s::FigureCounts c;
  // The form: FY2027 Q1, 40 web, 20 api, 15 phone, 25 mail, 0 in person.
  c.applications = {apps("", "FY2027 Q1", "web", 40), apps("", "FY2027 Q1", "api", 20),
                    apps("", "FY2027 Q1", "phone", 15), apps("", "FY2027 Q1", "mail", 25),
                    apps("ssa", "FY2027 Q1", "web", 40), apps("ssa", "FY2027 Q1", "mail", 25)};
  c.started = {{"coa", "FY2027 Q1", "web", 50}, {"coa", "FY2027 Q1", "phone", 99}};
  // ssa, web: 12 decided: 2 in 3 days, 8 in 10 days, 2 in 45 days; 11 under its standard, 9 within.
  c.decisions = {{"coa", "ssa", "FY2027 Q1", "web", 3, 2, 2, 2},
                 {"coa", "ssa", "FY2027 Q1", "web", 10, 8, 8, 7},
                 {"coa", "ssa", "FY2027 Q1", "web", 45, 2, 1, 0}};
  // Pending: 11 past since 1 December, 5 past from 20 December (after today), 10 waiting.
  c.pending = {{"coa", "ssa", "FY2027 Q1", "web", "2026-12-01", 11},
               {"coa", "ssa", "FY2027 Q1", "web", "2026-12-20", 5},
               {"coa", "ssa", "FY2027 Q1", "web", std::string(s::never_past), 10}};
  // Feedback: two stages of one cell, summed; another cell with 9 answers (suppressed).
  s::FeedbackTally a;
  a.form_id = "coa";
  a.channel = "web";
  a.stage = "confirmation";
  a.quarter = "FY2027 Q1";
  a.offered = 30;
  a.answered = 8;
  a.satisfaction = {1, 0, 1, 3, 3};
  a.trust = {0, 1, 1, 2, 4};
  s::FeedbackTally b = a;
  b.stage = "decision";
  b.offered = 10;
  b.answered = 4;
  b.satisfaction = {0, 0, 0, 2, 2};
  b.trust = {1, 1, 0, 1, 1};
  b.went_well = {{"ease", 3}};  // drivers are counted, never published as text
  s::FeedbackTally few = a;
  few.channel = "phone";
  few.answered = 9;
  const s::Publication p = s::publish(c, {a, b, few}, day("2026-12-07"));
  BOOST_TEST(p.as_of == "2026-12-07");

  const auto& web = row(p, "", "FY2027 Q1", "web");
  BOOST_TEST(!web.suppressed);
  BOOST_TEST(web.applications.value() == 40);
  BOOST_TEST(web.started.value() == 50);
  BOOST_TEST(web.completion_rate.value() == 80.0);  // 40 / 50
  BOOST_TEST(row(p, "", "FY2027 Q1", "in_person").applications.value() == 0);
  const auto& total = row(p, "", "FY2027 Q1", "all");
  BOOST_TEST(total.applications.value() == 100);
  BOOST_TEST(total.digital_take_up.value() == 60.0);  // (40 + 20) / 100
  // No total across quarters: each quarter is published on its own, once.
  for (const auto& r : p.rows) BOOST_TEST(r.quarter == "FY2027 Q1");
  for (const auto& r : p.rows) BOOST_TEST(r.as_of == "2026-12-07");

  const auto& ssa = row(p, "ssa", "FY2027 Q1", "web");
  BOOST_TEST(ssa.decided.value() == 12);
  BOOST_TEST(ssa.median_days.value() == 10);  // rank 6 of 2, 2+8, 2
  BOOST_TEST(ssa.p80_days.value() == 10);     // rank ceil(9.6) = 10
  BOOST_TEST(ssa.p90_days.value() == 45);     // rank ceil(10.8) = 11
  BOOST_TEST(ssa.within_standard.value() == 81.8);  // 9 / 11
  BOOST_TEST(ssa.pending_past.value() == 11);
  BOOST_TEST(row(p, "ssa", "FY2027 Q1", "all").digital_take_up.value() == 61.5);  // 40 / 65
  // Published when the quarter has ended: pending past on its last day (31 December), 11 + 5.
  const s::Publication ended = s::publish_quarter(c, {a, b, few}, "FY2027 Q1", day("2027-01-01"));
  BOOST_TEST(row(ended, "ssa", "FY2027 Q1", "web").pending_past.value() == 16);
  // The backlog of the next quarter counts them too (received before it, still undecided), but
  // not its decisions (made in FY2027 Q1) nor its applications.
  s::FigureCounts next = c;
  next.applications.push_back(apps("ssa", "FY2027 Q2", "web", 30));
  const s::Publication q2 = s::publish_quarter(next, {}, "FY2027 Q2", day("2027-04-01"));
  BOOST_TEST(row(q2, "ssa", "FY2027 Q2", "web").applications.value() == 30);
  BOOST_TEST(row(q2, "ssa", "FY2027 Q2", "web").pending_past.value() == 16);
  BOOST_TEST(row(q2, "ssa", "FY2027 Q2", "web").decided.value() == 0);
  BOOST_TEST(!row(q2, "ssa", "FY2027 Q2", "web").median_days.has_value());

  const auto& said = row(p, "", "FY2027 Q1", "web");
  BOOST_TEST(said.offered.value() == 40);
  BOOST_TEST(said.answered.value() == 12);
  BOOST_TEST(said.response_rate.value() == 30.0);
  BOOST_TEST((said.satisfaction.value() == std::array<std::int64_t, 5>{1, 0, 1, 5, 5}));
  BOOST_TEST(said.satisfied.value() == 83.3);  // 10 / 12
  BOOST_TEST((said.trust.value() == std::array<std::int64_t, 5>{1, 2, 1, 3, 5}));
  BOOST_TEST(said.trusting.value() == 66.7);  // 8 / 12
  BOOST_TEST(!row(p, "", "FY2027 Q1", "phone").answered.has_value());  // 9 answers: not shown
  BOOST_TEST(row(p, "", "FY2027 Q1", "phone").applications.value() == 15);

  // The same in JSON and CSV, with nothing but numbers and names.
  const std::string json = s::publication_json(p);
  BOOST_TEST(json.find("\"completion_rate\": 80.0") != std::string::npos, json);
  BOOST_TEST(json.find("ease") == std::string::npos);
  const std::string csv = s::publication_csv(p);
  BOOST_TEST(csv.rfind("as_of,form,agency,quarter,channel,suppressed,applications,", 0) == 0u);
  BOOST_TEST(csv.find("2026-12-07,coa,,FY2027 Q1,web,false,40,,50,80.0,") != std::string::npos, csv);
}

// Small cells and what would give them away: the primary cell, a second in its row and column,
// the totals that would pin them, and take-up where it would tell web + api.
BOOST_AUTO_TEST_CASE(small_cells_are_suppressed_with_their_complements) {
  s::FigureCounts c;
  c.applications = {apps("", "FY2027 Q1", "web", 120), apps("", "FY2027 Q1", "api", 3),
                    apps("", "FY2027 Q1", "phone", 40), apps("", "FY2027 Q1", "mail", 60),
                    apps("", "FY2027 Q2", "web", 130), apps("", "FY2027 Q2", "api", 50),
                    apps("", "FY2027 Q2", "phone", 45), apps("", "FY2027 Q2", "mail", 70)};
  // The survey of a withheld row is withheld with it: offered would tell its applications.
  std::vector<s::FeedbackTally> tallies;
  for (const char* ch : {"api", "web"}) {
    s::FeedbackTally t;
    t.form_id = "coa";
    t.channel = ch;
    t.stage = "confirmation";
    t.quarter = "FY2027 Q1";
    t.offered = std::string(ch) == "api" ? 3 : 120;
    t.answered = std::string(ch) == "api" ? 3 : 12;
    tallies.push_back(t);
  }
  tallies[0].offered = tallies[0].answered = 12;  // more answers than a small cell holds
  const s::Publication p = s::publish(c, tallies, day("2027-04-01"));
  BOOST_TEST(row(p, "", "FY2027 Q1", "api").suppressed);
  BOOST_TEST(!row(p, "", "FY2027 Q1", "api").applications.has_value());
  BOOST_TEST(!row(p, "", "FY2027 Q1", "api").offered.has_value());
  BOOST_TEST(!row(p, "", "FY2027 Q1", "api").answered.has_value());
  BOOST_TEST(row(p, "", "FY2027 Q1", "web").answered.value() == 12);  // a row shown shows its survey
  int hidden = 0;
  for (const auto& r : p.rows) hidden += r.suppressed && r.quarter == "FY2027 Q1";
  BOOST_TEST(hidden >= 2);  // a second value in the row: its total would give one away
  // Take-up of FY2027 Q1 would tell web + api with web published: not shown unless the other
  // channels are all shown.
  const auto& q1 = row(p, "", "FY2027 Q1", "all");
  if (!q1.suppressed && q1.digital_take_up) {
    for (const char* ch : {"phone", "in_person", "mail"}) BOOST_TEST(!row(p, "", "FY2027 Q1", ch).suppressed);
  }
  // Nothing is suppressed where nothing is small.
  s::FigureCounts big;
  big.applications = {apps("", "FY2027 Q1", "web", 120), apps("", "FY2027 Q1", "api", 30)};
  for (const auto& r : s::publish(big, {}, day("2027-04-01")).rows) BOOST_TEST(!r.suppressed);
}

// --- where an application stands, by the clock (docs/figures.md) ---

BOOST_AUTO_TEST_CASE(an_application_s_place_follows_the_clock) {
  askonce::model::Agency agency;
  agency.name = "ssa";
  askonce::model::ServiceStandard ten;
  ten.amount = 10;
  ten.unit = askonce::model::ServiceStandard::Unit::WorkingDays;
  agency.standard = ten;
  const auto at = [](const char* iso) {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::sys_days(
        std::chrono::year_month_day(std::chrono::year(std::atoi(iso)),
                                    std::chrono::month(static_cast<unsigned>(std::atoi(iso + 5))),
                                    std::chrono::day(static_cast<unsigned>(std::atoi(iso + 8))))) +
                                                   std::chrono::hours(12));
  };
  const auto post = [&](const char* status, const char* iso) {
    s::AgencyStatus a;
    a.agency = "ssa";
    a.status = status;
    a.at = at(iso);
    return a;
  };
  // Received Mon 14 June 2027: due Tue 29 June (Juneteenth observed on Fri 18): past from 30 June.
  BOOST_TEST(s::figure_place(agency, {}, "2027-06-14").pending == "2027-06-30");
  // need_info on 16 June: not past while the agency waits on the citizen.
  std::vector<s::AgencyStatus> mine = {post("need_info", "2027-06-16")};
  BOOST_TEST(s::figure_place(agency, mine, "2027-06-14").pending == std::string(s::never_past));
  // Answered (in_review) on 21 June: 16, 17 and 18 paused (18 a holiday anyway). Counted: 15,
  // 21, 22, 23, 24, 25, 28, 29, 30 June, 1 July (the 10th), 2 July (the 11th): past from 2 July.
  mine.push_back(post("in_review", "2027-06-21"));
  const auto pause_due = askonce::engine::due_date(day("2027-06-14"), {11, ten.unit, {}, {}},
                                                   {{day("2027-06-16"), day("2027-06-21")}});
  BOOST_TEST(s::figure_place(agency, mine, "2027-06-14").pending == askonce::engine::to_iso(pause_due));
  BOOST_TEST(askonce::engine::to_iso(pause_due) == "2027-07-02");
  // A need_info after it is already past: it stays past, under the same day.
  std::vector<s::AgencyStatus> late = {post("need_info", "2027-07-08")};
  BOOST_TEST(s::figure_place(agency, late, "2027-06-14").pending == "2027-06-30");
  // Decided on 1 July after the pause: 17 calendar days less 5 paused = 12 days; within (10 working
  // days used, of 10).
  mine.push_back(post("decided", "2027-07-01"));
  const auto place = s::figure_place(agency, mine, "2027-06-14");
  BOOST_TEST(place.pending.empty());
  BOOST_TEST(place.days.value() == 12);
  BOOST_TEST(place.judged);
  BOOST_TEST(place.within);
  // The move of that decision: from its pending day to none, with its days.
  std::vector<s::AgencyStatus> before(mine.begin(), mine.end() - 1);
  const s::FigureMove m = s::figure_move(agency, before, mine.back(), "2027-06-14");
  BOOST_TEST(m.pending_from == "2027-07-02");
  BOOST_TEST(m.pending_to.empty());
  BOOST_TEST(m.decided_days.value() == 12);
  // A post that changes nothing moves nothing.
  BOOST_TEST((s::figure_move(agency, {post("received", "2027-06-15")}, post("in_review", "2027-06-16"),
                             "2027-06-14") == s::FigureMove{}));
}

// --- proof by attack ---

// A history where naive suppression leaks: one small cell (3 applications by API in FY2027 Q1)
// in a row whose total is published. The attack pins it when only that cell is withheld, and
// pins nothing in what publish() writes for the same counts, as JSON or as CSV.
BOOST_AUTO_TEST_CASE(the_attack_pins_naive_suppression_and_nothing_published) {
  const fs::path dir = askonce::test::fresh_dir("performance", "attack");
  s::FigureCounts c;
  c.applications = {apps("", "FY2027 Q1", "web", 120), apps("", "FY2027 Q1", "api", 3),
                    apps("", "FY2027 Q1", "phone", 40), apps("", "FY2027 Q1", "mail", 60),
                    apps("", "FY2027 Q2", "web", 130), apps("", "FY2027 Q2", "api", 50),
                    apps("", "FY2027 Q2", "phone", 45), apps("", "FY2027 Q2", "mail", 70)};
  s::Publication p = s::publish(c, {}, day("2027-04-01"));
  // Naive: only the small cell withheld, every total left as it is.
  s::Publication naive = p;
  for (auto& r : naive.rows) {
    r.suppressed = r.quarter == "FY2027 Q1" && r.channel == "api";
    r.applications = r.suppressed ? std::nullopt : std::optional<std::int64_t>(0);
    r.digital_take_up.reset();
  }
  for (auto& r : naive.rows) {
    if (r.suppressed) continue;
    std::int64_t v = 0;
    for (const auto& a : c.applications) {
      if ((r.quarter == "all" || a.quarter == r.quarter) && (r.channel == "all" || a.channel == r.channel)) v += a.count;
    }
    r.applications = v;
  }
  const Run caught = attack({write(dir, "naive.json", s::publication_json(naive))});
  BOOST_TEST(caught.code == 1, caught.out);
  BOOST_TEST(caught.out.find("PINNED FY2027 Q1 api = 3") != std::string::npos, caught.out);

  const Run safe = attack({write(dir, "published.json", s::publication_json(p)),
                           write(dir, "published.csv", s::publication_csv(p))});
  BOOST_TEST(safe.code == 0, safe.out);
  BOOST_TEST(safe.out.find("pinned: 0") != std::string::npos, safe.out);
}

// Hundreds of random histories (quarters, channels, agencies, counts from 0 to a few hundred,
// many small): everything publish() writes, attacked; nothing is pinned.
BOOST_AUTO_TEST_CASE(the_attack_pins_nothing_in_random_histories) {
  const fs::path dir = askonce::test::fresh_dir("performance", "random");
  std::mt19937 random(20261207);
  std::vector<fs::path> files;
  for (int history = 0; history < 60; ++history) {
    s::FigureCounts c;
    const int quarters = 1 + static_cast<int>(random() % 5);
    for (const char* agency : {"", "ssa", "usps"}) {
      for (int q = 0; q < quarters; ++q) {
        for (const auto ch : s::channels) {
          const auto kind = random() % 4;
          const std::int64_t n = kind == 0 ? 0 : kind == 1 ? 1 + random() % 9 : random() % 300;
          if (n) c.applications.push_back({"coa", agency, "FY2027 Q" + std::to_string(q + 1), std::string(ch), n});
        }
      }
    }
    files.push_back(write(dir, "history-" + std::to_string(history) + ".json",
                          s::publication_json(s::publish(c, {}, day("2027-10-01")))));
  }
  const Run r = attack(files);
  BOOST_TEST(r.code == 0, r.out.substr(0, 4000));
  BOOST_TEST(r.out.find("pinned: 0") != std::string::npos);
}

// Each quarter published once, when it has ended, and never changed after: random histories
// over three quarters, each quarter frozen the day after it ends while later quarters go on
// (decisions of earlier applications, mail keyed late, more pending). Every publication of
// every day, read together by one attacker (attack.py --together), pins nothing. Publishing a
// quarter again with what came later (as today's figures of a frozen quarter did) is caught.
BOOST_AUTO_TEST_CASE(quarters_published_once_give_nothing_away_together) {
  const fs::path dir = askonce::test::fresh_dir("performance", "together");
  std::mt19937 random(20271001);
  const auto draw = [&] {
    const auto kind = random() % 4;
    return static_cast<std::int64_t>(kind == 0 ? 0 : kind == 1 ? 1 + random() % 9 : random() % 120);
  };
  const std::vector<std::pair<std::string, std::string>> quarters = {
      {"FY2027 Q1", "2027-01-01"}, {"FY2027 Q2", "2027-04-01"}, {"FY2027 Q3", "2027-07-01"}};
  std::vector<fs::path> kept, naive;
  for (int history = 0; history < 30; ++history) {
    const std::string form = "coa" + std::to_string(history);  // one table per history and agency
    const std::string name = "history-" + std::to_string(history);
    s::FigureCounts counts;
    std::vector<s::FigureSnapshot> frozen;
    for (const auto& [quarter, published_on] : quarters) {
      for (const auto ch : s::channels) {
        // The form's applications, and the agency's: some of them (the attack knows that much).
        const std::int64_t n = draw(), of_them = std::min(n, draw());
        if (n) counts.applications.push_back({form, "", quarter, std::string(ch), n});
        if (of_them) counts.applications.push_back({form, "ssa", quarter, std::string(ch), of_them});
      }
      s::FigureSnapshot snap;
      snap.quarter = quarter;
      snap.csv = s::publication_csv(s::publish_quarter(counts, {}, quarter, day(published_on.c_str())));
      frozen.push_back(snap);
      kept.push_back(write(dir, name + "-" + s::quarter_slug(quarter) + ".csv", snap.csv));
      // What the page serves from then on: the snapshots together, each as it was.
      const s::Publication now = s::published(frozen);
      kept.push_back(write(dir, name + "-" + s::quarter_slug(quarter) + "-page.json", s::publication_json(now)));
    }
    // Naive: the first quarter published again at the end with mail keyed into it late.
    s::FigureCounts late = counts;
    for (auto& a : late.applications) {
      if (a.agency.empty() && a.quarter == "FY2027 Q1" && a.channel == "mail") a.count += 1 + static_cast<std::int64_t>(random() % 3);
    }
    late.applications.push_back({form, "", "FY2027 Q1", "mail", 1});
    naive.push_back(write(dir, name + "-naive-FY2027-Q1.csv", frozen.front().csv));
    naive.push_back(write(dir, name + "-naive-again.json",
                          s::publication_json(s::publish_quarter(late, {}, "FY2027 Q1", day("2027-07-02")))));
  }
  const Run safe = attack(kept, true);
  BOOST_TEST(safe.code == 0, safe.out.substr(0, 3000));
  BOOST_TEST(safe.out.find("pinned: 0") != std::string::npos);
  const Run caught = attack(naive, true);
  BOOST_TEST(caught.code == 1, caught.out.substr(0, 3000));
  BOOST_TEST(caught.out.find("PINNED FY2027 Q1") != std::string::npos, caught.out.substr(0, 3000));
}

// A snapshot read back is the publication it was made from, row for row and figure for
// figure (the page and /performance.json are made from what the snapshots hold).
BOOST_AUTO_TEST_CASE(a_snapshot_reads_back_as_it_was_published) {
  s::FigureCounts c;
  c.applications = {apps("", "FY2027 Q1", "web", 40), apps("", "FY2027 Q1", "api", 3), apps("", "FY2027 Q1", "mail", 25),
                    apps("ssa", "FY2027 Q1", "web", 40)};
  c.started = {{"coa", "FY2027 Q1", "web", 50}};
  c.decisions = {{"coa", "ssa", "FY2027 Q1", "web", 3, 12, 12, 11}};
  s::FeedbackTally t;
  t.form_id = "coa";
  t.channel = "web";
  t.stage = "confirmation";
  t.quarter = "FY2027 Q1";
  t.offered = 40;
  t.answered = 12;
  t.satisfaction = {1, 0, 1, 5, 5};
  t.trust = {1, 2, 1, 3, 5};
  const s::Publication p = s::publish_quarter(c, {t}, "FY2027 Q1", day("2027-01-01"));
  s::FigureSnapshot snap{"FY2027 Q1", s::publication_csv(p), "", {}};
  const s::Publication back = s::published({snap});
  BOOST_TEST(back.as_of == "2027-01-01");
  BOOST_TEST(s::publication_json(back) == s::publication_json(p));
  BOOST_TEST(s::publication_csv(back) == snap.csv);
  // A snapshot frozen before (with the quarter again as "all") shows its quarter's rows only.
  snap.csv += "2027-01-01,coa,,all,all,false,68,,,,,,,,,,,,,,,,,,,,,,,,\r\n";
  BOOST_TEST(s::publication_csv(s::published({snap})) == s::publication_csv(p));
}

// --- the page, kept as goldens for the browser checks ---

namespace {

bool accept_mode() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (std::string(suite.argv[i]) == "--accept") return true;
  }
  return false;
}

}  // namespace

// The page of a fixed history (suppressed cells, decisions, the survey, a snapshot) in English
// and Spanish is tests/golden/html/performance.{en,es}.html (`-- --accept` rewrites them), so
// that browser_tests (tests/browser/check.mjs) runs the Nu HTML Checker and axe-core on it.
BOOST_AUTO_TEST_CASE(the_page_matches_its_goldens) {
  TestServer server;
  s::FigureCounts c;
  c.applications = {{"change_of_address", "", "FY2027 Q1", "web", 120}, {"change_of_address", "", "FY2027 Q1", "api", 3},
                    {"change_of_address", "", "FY2027 Q1", "mail", 60}, {"change_of_address", "", "FY2027 Q2", "web", 130},
                    {"change_of_address", "", "FY2027 Q2", "api", 50}, {"change_of_address", "", "FY2027 Q2", "mail", 70},
                    {"change_of_address", "ssa", "FY2027 Q1", "web", 100}, {"change_of_address", "ssa", "FY2027 Q2", "web", 110}};
  c.started = {{"change_of_address", "FY2027 Q1", "web", 150}, {"change_of_address", "FY2027 Q2", "web", 160}};
  c.decisions = {{"change_of_address", "ssa", "FY2027 Q1", "web", 4, 60, 60, 55},
                 {"change_of_address", "ssa", "FY2027 Q1", "web", 15, 30, 30, 10}};
  c.pending = {{"change_of_address", "ssa", "FY2027 Q1", "web", "2027-01-10", 10}};
  s::FeedbackTally t;
  t.form_id = "change_of_address";
  t.channel = "web";
  t.stage = "confirmation";
  t.quarter = "FY2027 Q1";
  t.offered = 120;
  t.answered = 40;
  t.satisfaction = {2, 3, 5, 10, 20};
  t.trust = {1, 4, 5, 12, 18};
  const s::Publication p = s::publish(c, {t}, day("2027-07-02"));
  const std::vector<s::FigureSnapshot> snaps = {{"FY2027 Q1", "", std::string(64, 'a'), {}},
                                                {"FY2027 Q2", "", std::string(64, 'b'), {}}};
  for (const char* lang : {"en", "es"}) {
    const std::string page = s::performance_page(server.app->catalog(), p, snaps, s::next_publication(day("2027-07-02")),
                                                 lang, s::site_of(server.app->config()), "/performance");
    const fs::path golden = fs::path("tests/golden/html") / ("performance." + std::string(lang) + ".html");
    if (accept_mode()) {
      std::ofstream(golden, std::ios::binary) << page;
      continue;
    }
    std::ifstream in(golden, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), golden << " is missing: run performance_tests -- --accept");
    const std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(page == want, golden << " differs: run performance_tests -- --accept and review the diff");
  }
}

// --- a real server ---

namespace {

using askonce::test::Backend;
using askonce::test::both;

/// One database for one or more servers, and the keys they share.
struct Database : askonce::test::BackendDatabase {
  Database(Backend b, const std::string& name) : BackendDatabase("performance", b, name) {}
};

const Headers json_type = {{"Content-Type", "application/json"}};

}  // namespace

// Applications through the JSON API and statuses through the agency API are counted in the
// quarter running, which is not published; a quarter that has ended is frozen on the next
// request and is then what the page (in English and Spanish), JSON and CSV publish, byte for
// byte; what comes later (mail keyed late, decisions of its applications) changes nothing
// published and counts in the quarter it happens in.
BOOST_DATA_TEST_CASE(the_published_results_of_a_real_server, both, backend) {
  Database db(backend, "server");
  TestServer server([&](s::Config& c) {
    db.use(c);
    // No sweeper, whose turn would freeze FY2024 Q3 while the old applications are written.
    c.retention.sweep_minutes = 0;
  });
  std::vector<std::string> references;
  for (int i = 0; i < 14; ++i) {
    const auto r = server.post("/api/v1/forms/change_of_address/submissions", askonce::test::coa_permanent, json_type);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    references.push_back(object(r.body)->getValue<std::string>("reference"));
  }
  const std::string token = server.store().create_token("ssa", std::chrono::time_point_cast<std::chrono::milliseconds>(
                                                                     s::Clock::now())).token;
  Headers agency = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  // 11 decided today; one waits on the citizen; two are left alone.
  int decided = 0;
  for (int i = 0; i < 12; ++i) {
    const std::string path = "/api/v1/agencies/ssa/submissions/" + references[i] + "/status";
    if (i == 11) {
      const auto r = server.post(path, R"({"status": "need_info", "message_name": "need_proof_of_address"})", agency);
      BOOST_TEST(r.status == 201, r.body);
      continue;
    }
    BOOST_TEST(server.post(path, R"({"status": "in_review"})", agency).status == 201);
    const auto r = server.post(path, R"({"status": "decided", "outcome": "approved"})", agency);
    BOOST_TEST(r.status == 201, r.body);
    decided += r.status == 201;
  }
  const std::string quarter =
      askonce::engine::fiscal_quarter(server.app->context("en", "api").today).label();

  const s::FigureCounts counts = server.store().figure_counts();
  std::int64_t pending = 0, pending_never = 0, decisions = 0;
  for (const auto& p : counts.pending) {
    if (p.agency != "ssa") continue;
    pending += p.count;
    pending_never += p.past_from == s::never_past ? p.count : 0;
  }
  for (const auto& d : counts.decisions) decisions += d.agency == "ssa" ? d.decided : 0;
  BOOST_TEST(decisions == decided);
  BOOST_TEST(pending == 14 - decided);
  BOOST_TEST(pending_never == 1);  // the one waiting on the citizen

  for (const auto& a : counts.applications) BOOST_TEST(a.quarter == quarter);
  for (const auto& d : counts.decisions) BOOST_TEST(d.quarter == quarter);

  // The quarter still running is not published: nothing yet, and the page says when.
  auto r = server.get("/performance.json");
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(r.header("cache-control") == "public, max-age=300");
  BOOST_TEST(object(r.body)->getArray("rows")->size() == 0u, r.body);
  r = server.get("/performance");
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(r.body.find("<h1>Service performance</h1>") != std::string::npos);
  BOOST_TEST(r.body.find("The figures for " + quarter + " will be published from ") != std::string::npos, r.body);
  BOOST_TEST(r.body.find("There are no figures to publish yet.") != std::string::npos);
  r = server.get("/performance?lang=es");
  BOOST_TEST(r.body.find("<h1>Desempeño del servicio</h1>") != std::string::npos);
  BOOST_TEST(r.body.find("Las cifras de " + quarter + " se publicarán a partir del ") != std::string::npos);

  // A quarter that has ended (FY2024 Q3: April to June 2024) is frozen on the next request,
  // once; from then on it is what every address publishes.
  const auto stamp = std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now());
  std::vector<std::string> old_references;
  const std::int64_t clerk = server.store().create_staff("clerk", "agent", "$argon2id$unused", stamp).value().id;
  const auto old = [&](int i, const char* channel, const std::string& recorded) {
    s::NewSubmission n = askonce::test::sample_submission(1000 + i, {"ssa"}, "");
    n.channel = channel;
    if (std::string_view(channel) == "mail") n.staff_id = clerk;
    const auto& served = server.app->catalog().find("change_of_address")->plan->form();
    n.version = served.version;  // the served form, so that its agency can post about it
    n.definition_hash = served.definition_hash;
    n.date_received = "2024-05-0" + std::to_string(1 + i % 9);
    n.day_recorded = recorded;
    old_references.push_back(server.store().save_submission(n, stamp).submission.value().reference);
  };
  for (int i = 0; i < 12; ++i) old(i, "api", "");
  for (int i = 0; i < 3; ++i) old(i, "web", "");
  BOOST_TEST(server.get("/performance/snapshots/FY2027-Q9.csv").status == 404);
  r = server.get("/performance/snapshots/FY2024-Q3.csv");
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  const std::string frozen = r.body;
  BOOST_TEST(r.header("x-content-sha256") == s::sha256_hex(frozen));
  BOOST_TEST(frozen.find(",change_of_address,,FY2024 Q3,api,true,") != std::string::npos, frozen);  // with 3 web
  BOOST_TEST(frozen.find(",change_of_address,,FY2024 Q3,web,true,") != std::string::npos, frozen);
  BOOST_TEST(frozen.find(",all,all,") == std::string::npos, frozen);  // no total across quarters
  BOOST_TEST(server.get("/performance").body.find(s::sha256_hex(frozen)) != std::string::npos);
  BOOST_TEST(server.get("/performance.csv").body == frozen);
  BOOST_TEST(server.get("/performance/change_of_address.csv").body == frozen);
  BOOST_TEST(server.get("/performance/change_of_address").status == 200);
  BOOST_TEST(server.get("/performance/no_such_form.json").status == 404);
  r = server.get("/performance.json");
  const auto rows = object(r.body)->getArray("rows");
  BOOST_TEST(rows->size() == 12u);  // "" and ssa, by five channels and all
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto o = rows->getObject(static_cast<unsigned>(i));
    BOOST_TEST(o->getValue<std::string>("quarter") == "FY2024 Q3");
    BOOST_TEST(o->getValue<std::string>("as_of") == askonce::engine::to_iso(server.app->context("en", "api").today));
  }
  // Nothing personal: no reference, no answer.
  for (const auto& ref : references) BOOST_TEST(r.body.find(ref) == std::string::npos);

  // What comes later changes no published quarter: mail keyed today with an envelope of May
  // 2024 counts in today's quarter; a decision on an old application counts in the quarter it
  // is made.
  for (int i = 0; i < 20; ++i) old(i, "mail", askonce::engine::to_iso(server.app->context("en", "api").today));
  const auto r2 = server.post("/api/v1/agencies/ssa/submissions/" + old_references.front() + "/status",
                              R"({"status": "decided", "outcome": "approved"})", agency);
  BOOST_TEST(r2.status == 201, r2.body);
  BOOST_TEST(server.get("/performance/snapshots/FY2024-Q3.csv").body == frozen);
  BOOST_TEST(server.get("/performance.csv").body == frozen);
  const s::FigureCounts later = server.store().figure_counts();
  std::int64_t mail_now = 0, old_decisions = 0, decisions_now = 0;
  for (const auto& a : later.applications) mail_now += a.quarter == quarter && a.channel == "mail" && a.agency.empty() ? a.count : 0;
  for (const auto& d : later.decisions) (d.quarter == quarter ? decisions_now : old_decisions) += d.decided;
  BOOST_TEST(mail_now == 20);
  BOOST_TEST(decisions_now == decided + 1);
  BOOST_TEST(old_decisions == 0);

  // The A-11 CSV for performance.gov, from the snapshot: its columns in their order.
  r = server.get("/performance/snapshots/FY2024-Q3.a11.csv");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.rfind("id,collection_id,collection_year,collection_quarter,collection_name,", 0) == 0u, r.body);
  BOOST_TEST(r.body.find("q11_text,q11_1,q11_2,q11_3,q11_4,q11_5,created_at,updated_at,operational_metrics\r\n") !=
             std::string::npos);
  BOOST_TEST(r.body.find(",,2024,3,FY2024 Q3,") != std::string::npos, r.body);
  BOOST_TEST(r.body.find(",change_of_address,change_of_address,application,in_person,0,") != std::string::npos, r.body);
  // Everything published, the snapshot included, attacked.
  const fs::path dir = askonce::test::fresh_dir("performance", "published");
  const Run attacked = attack({write(dir, "now.json", server.get("/performance.json").body),
                               write(dir, "now.csv", server.get("/performance.csv").body),
                               write(dir, "FY2024-Q3.csv", frozen)});
  BOOST_TEST(attacked.code == 0, attacked.out);

  // A quarter that ended while no server ran (FY2023 Q1: October to December 2022) is frozen
  // when a server starts, before any request: its backlog is taken then, not on the day
  // someone first asks.
  for (int i = 0; i < 12; ++i) {
    s::NewSubmission n = askonce::test::sample_submission(2000 + i, {"ssa"}, "");
    const auto& served = server.app->catalog().find("change_of_address")->plan->form();
    n.version = served.version;
    n.definition_hash = served.definition_hash;
    n.date_received = n.day_recorded = "2022-11-1" + std::to_string(i % 10);
    BOOST_TEST_REQUIRE(server.store().save_submission(n, stamp).submission.has_value());
  }
  const auto frozen_quarters = [](s::Store& store) {
    std::vector<std::string> out;
    for (const auto& snap : store.snapshots()) out.push_back(snap.quarter);
    return out;
  };
  BOOST_TEST(frozen_quarters(server.store()) == std::vector<std::string>{"FY2024 Q3"});
  server.stop();
  TestServer again([&](s::Config& c) { db.use(c); });
  const auto now_frozen = frozen_quarters(again.store());
  BOOST_TEST((std::find(now_frozen.begin(), now_frozen.end(), "FY2023 Q1") != now_frozen.end()));
  const auto fy2023 = again.store().find_snapshot("FY2023 Q1");
  BOOST_TEST_REQUIRE(fy2023.has_value());
  BOOST_TEST(fy2023->csv.find(",change_of_address,,FY2023 Q1,api,false,12,") != std::string::npos, fy2023->csv);
  BOOST_TEST(again.get("/performance/snapshots/FY2024-Q3.csv").body == frozen);
}

// `askonce performance export QUARTER`: the A-11 CSV from a frozen quarter, and clear errors.
BOOST_AUTO_TEST_CASE(the_a11_export_from_the_command_line) {
  const fs::path dir = askonce::test::fresh_dir("performance", "cli");
  const std::string db = (dir / "askonce.db").string();
  {
    s::SqliteStore store(askonce::test::sqlite_options(db));
    s::FigureCounts c;
    c.applications = {{"coa", "", "FY2027 Q1", "web", 40}, {"coa", "", "FY2027 Q1", "phone", 12}};
    s::FigureSnapshot snap;
    snap.quarter = "FY2027 Q1";
    snap.csv = s::publication_csv(s::publish_quarter(c, {}, "FY2027 Q1", day("2027-01-02")));
    snap.sha256 = s::sha256_hex(snap.csv);
    snap.frozen = s::TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::sys_days(std::chrono::year(2027) / 1 / 2).time_since_epoch()));
    store.freeze_snapshot(snap);
  }
  auto run = askonce::test::run_cli({"performance", "export", "FY2027 Q1", "--db", db});
  BOOST_TEST(run.code == 0, run.err);
  BOOST_TEST(run.out.rfind("id,collection_id,collection_year,collection_quarter,", 0) == 0u);
  BOOST_TEST(run.out.find("\r\n,,2027,1,FY2027 Q1,") != std::string::npos, run.out);
  BOOST_TEST(run.out.find(",coa,coa,application,web,40,") != std::string::npos, run.out);
  BOOST_TEST(run.out.find(",2027-01-02T00:00:00Z,2027-01-02T00:00:00Z,\r\n") != std::string::npos, run.out);
  BOOST_TEST(run.out.find(",coa,coa,application,phone,12,") != std::string::npos, run.out);
  run = askonce::test::run_cli({"performance", "export", "FY2027 Q2", "--db", db});
  BOOST_TEST(run.code == 1);
  BOOST_TEST(run.err.find("FY2027 Q2 is not frozen") != std::string::npos, run.err);
  const auto help = askonce::test::run_cli({"performance", "--help"});
  BOOST_TEST(help.code == 0);
  BOOST_TEST(help.out.find("usage: askonce performance export QUARTER") != std::string::npos, help.out);
  run = askonce::test::run_cli({"performance", "export", "Q1 2027", "--db", db});
  BOOST_TEST(run.code == 2);
  BOOST_TEST(run.err.find("is not a fiscal quarter") != std::string::npos, run.err);
}
