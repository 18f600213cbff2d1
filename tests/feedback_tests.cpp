// tests/feedback_tests.cpp: the A-11 feedback survey's storage (issue 13, "Feedback"), on both
// backends (a real SQLite file, a real PostgreSQL database from the `postgres` fixture), each
// through a real server's store: offers counted, one answer per application and stage (a second
// refused, the first kept), tallies by fiscal quarter, channel and stage, a token that does not
// lead back to the reference without the key, comments blanked by retention, and `db copy`.
#define BOOST_TEST_MODULE feedback_tests
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <Poco/URI.h>
#include <sqlite3.h>

#include <map>
#include <regex>

#include "engine/clock.hpp"
#include "server/http/app.hpp"
#include "server/store/copy.hpp"
#include "server/store/keyring.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"
#include "tests/test_support.hpp"

namespace s = askonce::server;
using askonce::test::Headers;
using askonce::test::HttpResponse;
using askonce::test::TestServer;
using Fields = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

namespace {

enum class Backend { sqlite, postgres };
std::ostream& operator<<(std::ostream& o, Backend b) { return o << (b == Backend::sqlite ? "sqlite" : "postgres"); }
const std::vector<Backend> both = {Backend::sqlite, Backend::postgres};

/// One database for a server, and the keys it uses.
struct Database {
  explicit Database(Backend b, const std::string& name)
      : dir(askonce::test::fresh_dir("feedback", name + (b == Backend::sqlite ? "-sqlite" : "-pg"))) {
    keys = (dir / "keys").string();
    s::Keyring::create_file(keys);
    if (b == Backend::postgres) {
      pg = askonce::test::fresh_pg_database();
      s::migrate_postgres(pg->conninfo(), std::nullopt);
    }
  }
  void use(s::Config& c) const {
    c.db = pg ? pg->conninfo() : (dir / "askonce.db").string();
    c.keys.file = keys;
  }
  std::filesystem::path dir;
  std::string keys;
  std::unique_ptr<askonce::test::PgDatabase> pg;
};

/// A time on a given UTC day, at noon.
s::TimePoint on(int year, unsigned month, unsigned day) {
  const auto days = std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day));
  return std::chrono::time_point_cast<std::chrono::milliseconds>(days + 12h);
}

std::string day_text(int year, unsigned month, unsigned day) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", year, month, day);
  return out;
}

s::FeedbackOffer offer(const std::string& reference, const std::string& stage, const std::string& channel,
                       const std::string& on_day, const std::string& agency = "") {
  s::FeedbackOffer o;
  o.token = s::feedback_token("test key", reference, stage, agency);
  o.form_id = "change_of_address";
  o.version = 1;
  o.agency = agency;
  o.channel = channel;
  o.stage = stage;
  o.offered_on = on_day;
  return o;
}

s::FeedbackAnswer answer(int q1, int q2, std::vector<std::string> well, std::vector<std::string> badly,
                         std::string comment = {}) {
  s::FeedbackAnswer a;
  a.satisfaction = q1;
  a.trust = q2;
  a.went_well = std::move(well);
  a.went_badly = std::move(badly);
  a.comment = std::move(comment);
  return a;
}

const s::FeedbackTally* cell(const std::vector<s::FeedbackTally>& tallies, const std::string& channel,
                             const std::string& stage, const std::string& quarter, const std::string& agency = "") {
  for (const auto& t : tallies) {
    if (t.channel == channel && t.stage == stage && t.quarter == quarter && t.agency == agency) return &t;
  }
  return nullptr;
}

}  // namespace

// ---- the store ---------------------------------------------------------------------------------

// Offers are rows at once (response rate = answered / offered); an offer made again is the same
// row; an answer is stored once, and a second is refused with the first kept.
BOOST_DATA_TEST_CASE(offered_then_answered_once, both, backend) {
  Database db(backend, "once");
  TestServer server([&](s::Config& c) { db.use(c); });
  s::Store& store = server.store();
  const auto o = offer("AAAA-BBBB-CC1", "confirmation", "web", "2026-10-05");
  BOOST_TEST((store.feedback_state(o.token) == s::FeedbackState::NotOffered));
  BOOST_TEST((store.answer_feedback(o.token, answer(5, 5, {}, {}), on(2026, 10, 5)) ==
              s::Store::FeedbackOutcome::NotOffered));
  store.offer_feedback(o, on(2026, 10, 5));
  store.offer_feedback(o, on(2026, 10, 6));  // shown again: still one offer
  BOOST_TEST((store.feedback_state(o.token) == s::FeedbackState::Offered));
  auto tallies = store.feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  BOOST_TEST(tallies[0].offered == 1);
  BOOST_TEST(tallies[0].answered == 0);

  BOOST_TEST((store.answer_feedback(o.token, answer(4, 2, {"ease", "efficiency"}, {"transparency"}), on(2026, 10, 5)) ==
              s::Store::FeedbackOutcome::Stored));
  BOOST_TEST((store.feedback_state(o.token) == s::FeedbackState::Answered));
  // A second answer: refused, and the first is what counts.
  BOOST_TEST((store.answer_feedback(o.token, answer(1, 1, {}, {"ease"}), on(2026, 10, 7)) ==
              s::Store::FeedbackOutcome::AlreadyAnswered));
  tallies = store.feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  const auto& t = tallies[0];
  BOOST_TEST(t.form_id == "change_of_address");
  BOOST_TEST(t.version == 1);
  BOOST_TEST(t.quarter == "FY2027 Q1");
  BOOST_TEST(t.offered == 1);
  BOOST_TEST(t.answered == 1);
  BOOST_TEST(t.satisfaction[3] == 1);  // 4
  BOOST_TEST(t.satisfaction[0] == 0);  // the second answer's 1 is not counted
  BOOST_TEST(t.trust[1] == 1);
  BOOST_TEST(t.went_well.at("ease") == 1);
  BOOST_TEST(t.went_well.at("efficiency") == 1);
  BOOST_TEST(t.went_badly.at("transparency") == 1);
  BOOST_TEST(t.went_badly.count("ease") == 0u);
}

// The counts per form, agency, channel, stage and fiscal quarter of the day offered, by hand.
BOOST_DATA_TEST_CASE(tallies_by_quarter_channel_and_stage, both, backend) {
  Database db(backend, "tallies");
  TestServer server([&](s::Config& c) { db.use(c); });
  s::Store& store = server.store();
  int n = 0;
  auto ref = [&] { return "REF-" + std::to_string(++n); };
  // FY2026 Q4 (30 September 2026): two web confirmations offered, one answered 5/5.
  auto a = offer(ref(), "confirmation", "web", "2026-09-30");
  store.offer_feedback(a, on(2026, 9, 30));
  store.answer_feedback(a.token, answer(5, 5, {"ease"}, {}), on(2026, 9, 30));
  store.offer_feedback(offer(ref(), "confirmation", "web", "2026-09-30"), on(2026, 9, 30));
  // FY2027 Q1 (1 October and 31 December 2026): three web confirmations, two answered.
  for (int i = 0; i < 3; ++i) {
    auto o = offer(ref(), "confirmation", "web", i == 2 ? "2026-12-31" : "2026-10-01");
    store.offer_feedback(o, on(2026, 10, 1));
    if (i < 2) store.answer_feedback(o.token, answer(i == 0 ? 2 : 4, 3, {}, {"efficiency"}), on(2026, 10, 1));
  }
  // FY2027 Q2: a phone call answered with no scale at all, and a decision by ssa.
  auto p = offer(ref(), "phone", "phone", "2027-01-04");
  store.offer_feedback(p, on(2027, 1, 4));
  s::FeedbackAnswer nothing;
  BOOST_TEST((store.answer_feedback(p.token, nothing, on(2027, 1, 4)) == s::Store::FeedbackOutcome::Stored));
  auto d = offer(ref(), "decision", "web", "2027-03-31", "ssa");
  store.offer_feedback(d, on(2027, 3, 31));
  store.answer_feedback(d.token, answer(1, 1, {}, {"employee", "ease"}), on(2027, 3, 31));

  const auto tallies = store.feedback_tallies();
  BOOST_TEST(tallies.size() == 4u);
  const auto* q4 = cell(tallies, "web", "confirmation", "FY2026 Q4");
  BOOST_TEST_REQUIRE(q4);
  BOOST_TEST(q4->offered == 2);
  BOOST_TEST(q4->answered == 1);
  BOOST_TEST(q4->satisfaction[4] == 1);
  BOOST_TEST(q4->went_well.at("ease") == 1);
  const auto* q1 = cell(tallies, "web", "confirmation", "FY2027 Q1");
  BOOST_TEST_REQUIRE(q1);
  BOOST_TEST(q1->offered == 3);
  BOOST_TEST(q1->answered == 2);
  BOOST_TEST(q1->satisfaction[1] == 1);
  BOOST_TEST(q1->satisfaction[3] == 1);
  BOOST_TEST(q1->trust[2] == 2);
  BOOST_TEST(q1->went_badly.at("efficiency") == 2);
  const auto* phone = cell(tallies, "phone", "phone", "FY2027 Q2");
  BOOST_TEST_REQUIRE(phone);
  BOOST_TEST(phone->offered == 1);
  BOOST_TEST(phone->answered == 1);  // answered, every part left blank: counted as a response
  BOOST_TEST(phone->satisfaction == (std::array<std::int64_t, 5>{}));
  const auto* decided = cell(tallies, "web", "decision", "FY2027 Q2", "ssa");
  BOOST_TEST_REQUIRE(decided);
  BOOST_TEST(decided->satisfaction[0] == 1);
  BOOST_TEST(decided->went_badly.at("employee") == 1);
  BOOST_TEST(decided->went_badly.at("ease") == 1);
  // Sorted: form, version, agency ('' first), channel, stage, quarter.
  BOOST_TEST(tallies[0].agency == "");
  BOOST_TEST(tallies[3].agency == "ssa");
}

// The token is an HMAC under the deployment's key: nothing in a row names the application,
// and the same reference under another key, stage or agency gives an unrelated token.
BOOST_DATA_TEST_CASE(the_token_does_not_lead_back_to_the_reference, both, backend) {
  Database db(backend, "token");
  TestServer server([&](s::Config& c) { db.use(c); });
  const std::string reference = "K7Q2-M3XA-9PC";
  const auto o = offer(reference, "confirmation", "web", "2026-11-02");
  server.store().offer_feedback(o, on(2026, 11, 2));
  server.store().answer_feedback(o.token, answer(3, 3, {}, {}, "fine"), on(2026, 11, 2));
  BOOST_TEST(o.token.starts_with("fb1:"));
  BOOST_TEST(o.token.find(reference) == std::string::npos);
  BOOST_TEST(o.token != "fb1:" + s::sha256_hex(reference));
  BOOST_TEST(o.token != s::feedback_token("another key", reference, "confirmation", ""));
  BOOST_TEST(o.token != s::feedback_token("test key", reference, "phone", ""));
  BOOST_TEST(o.token != s::feedback_token("test key", reference, "decision", "ssa"));
  BOOST_TEST(o.token == s::feedback_token("test key", reference, "confirmation", ""));
  // The row as the database holds it: no column has the reference, in any spelling.
  std::string row;
  if (db.pg) {
    askonce::server::pg::Connection c(db.pg->conninfo());
    auto r = c.exec("SELECT feedback::text FROM feedback");
    BOOST_TEST_REQUIRE(r.rows() == 1);
    row = r.text(0, 0);
  } else {
    server.stop();
    row = askonce::test::read(db.dir / "askonce.db");
  }
  BOOST_TEST(row.find("fine") != std::string::npos);  // the row was read
  for (const std::string spelling : {"K7Q2-M3XA-9PC", "K7Q2M3XA9PC", "k7q2-m3xa-9pc"}) {
    BOOST_TEST(row.find(spelling) == std::string::npos, spelling);
  }
}

// Retention: a comment is blanked after retention.feedback_comment_days from when it was
// given; the counts stay until retention.feedback_days from the offer.
BOOST_DATA_TEST_CASE(retention_blanks_comments_then_deletes_rows, both, backend) {
  Database db(backend, "retention");
  TestServer server([&](s::Config& c) { db.use(c); });
  s::Store& store = server.store();
  const auto old = offer("OLD", "confirmation", "web", "2026-10-01");
  const auto recent = offer("NEW", "confirmation", "web", "2026-12-01");
  store.offer_feedback(old, on(2026, 10, 1));
  store.answer_feedback(old.token, answer(5, 4, {"ease"}, {}, "The old comment"), on(2026, 10, 1));
  store.offer_feedback(recent, on(2026, 12, 1));
  store.answer_feedback(recent.token, answer(2, 2, {}, {}, "The new comment"), on(2026, 12, 1));

  s::RetentionPolicy policy;
  policy.feedback_comments = std::chrono::hours(24 * 30);
  policy.feedback = std::chrono::hours(24 * 365);
  auto r = store.sweep(policy, on(2026, 12, 15));
  BOOST_TEST(r.feedback_comments == 1);
  BOOST_TEST(r.feedback == 0);
  auto comments = [&] {
    std::vector<std::string> out;
    if (db.pg) {
      askonce::server::pg::Connection c(db.pg->conninfo());
      auto rows = c.exec("SELECT comment FROM feedback ORDER BY offered_at");
      for (int i = 0; i < rows.rows(); ++i) out.push_back(rows.text(i, 0));
    } else {
      sqlite3* h = nullptr;
      sqlite3_open_v2((db.dir / "askonce.db").string().c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(h, "SELECT comment FROM feedback ORDER BY offered_at", -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      sqlite3_finalize(st);
      sqlite3_close(h);
    }
    return out;
  };
  BOOST_TEST(comments() == (std::vector<std::string>{"", "The new comment"}), boost::test_tools::per_element());
  // The counts are kept with the comment gone.
  auto tallies = store.feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  BOOST_TEST(tallies[0].answered == 2);
  BOOST_TEST(tallies[0].satisfaction[4] == 1);
  // A year after the offer, the old row goes.
  r = store.sweep(policy, on(2027, 10, 2));
  BOOST_TEST(r.feedback_comments == 1);
  BOOST_TEST(r.feedback == 1);
  tallies = store.feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  BOOST_TEST(tallies[0].offered == 1);
  BOOST_TEST(tallies[0].satisfaction[1] == 1);
}

// `db copy` moves the feedback rows as they are; an offer made before the move is answered after.
BOOST_AUTO_TEST_CASE(db_copy_moves_feedback) {
  auto dir = askonce::test::fresh_dir("feedback", "copy");
  const auto file = dir / "askonce.db";
  const auto answered = offer("ONE", "phone", "phone", "2026-10-03");
  const auto open_offer = offer("TWO", "confirmation", "web", "2026-10-04");
  {
    s::SqliteStore store(askonce::test::sqlite_options(file));
    store.offer_feedback(answered, on(2026, 10, 3));
    store.answer_feedback(answered.token, answer(4, 5, {"employee"}, {}, "kind agent"), on(2026, 10, 3));
    store.offer_feedback(open_offer, on(2026, 10, 4));
  }
  auto pg = askonce::test::fresh_pg_database();
  const auto report = s::copy_sqlite_to_postgres(file.string(), pg->conninfo(), {});
  bool copied = false;
  for (const auto& t : report) {
    if (t.table == "feedback") {
      copied = true;
      BOOST_TEST(t.source_rows == 2);
      BOOST_TEST(t.same());
    }
  }
  BOOST_TEST(copied);
  s::PostgresOptions o;
  o.conninfo = pg->conninfo();
  o.connections = 2;
  o.drafts.keys = askonce::test::test_keys();
  s::PostgresStore store(o);
  BOOST_TEST((store.feedback_state(answered.token) == s::FeedbackState::Answered));
  BOOST_TEST((store.feedback_state(open_offer.token) == s::FeedbackState::Offered));
  BOOST_TEST((store.answer_feedback(open_offer.token, answer(5, 5, {}, {}), on(2026, 10, 5)) ==
              s::Store::FeedbackOutcome::Stored));
  const auto tallies = store.feedback_tallies();
  const auto* phone = cell(tallies, "phone", "phone", "FY2027 Q1");
  BOOST_TEST_REQUIRE(phone);
  BOOST_TEST(phone->trust[4] == 1);
  BOOST_TEST(phone->went_well.at("employee") == 1);
  const auto* web = cell(tallies, "web", "confirmation", "FY2027 Q1");
  BOOST_TEST_REQUIRE(web);
  BOOST_TEST(web->answered == 1);
}
