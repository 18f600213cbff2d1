// tests/feedback_tests.cpp: the A-11 feedback survey (issue 13, "Feedback"), on both backends (a
// real SQLite file, a real PostgreSQL database from the `postgres` fixture) and through real
// servers on loopback: offers counted when the survey is shown, one answer per application and
// stage (a second refused, the first kept), tallies by fiscal quarter, channel and stage, a
// token that does not lead back to the reference without the key, comments never in the log or
// the tallies and blanked by retention, bad posts refused with every choice kept, the Spanish
// wording, staff keying the answers of a phone or counter application, and `db copy`.
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
#include "tests/backend_support.hpp"
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

using askonce::test::Backend;
using askonce::test::both;

/// One database for one or more servers, and the keys they share.
struct Database : askonce::test::BackendDatabase {
  Database(Backend b, const std::string& name) : BackendDatabase("feedback", b, name) {}
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

// ---- the pages ---------------------------------------------------------------------------------

namespace {

/// Cookies kept between requests to one port, and the CSRF token of the last page with a form.
struct Browser {
  explicit Browser(int p) : port(p) {}
  int port;
  std::map<std::string, std::string> cookies;
  std::string csrf;

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {}) {
    Headers headers;
    std::string jar;
    for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (!jar.empty()) headers.emplace_back("Cookie", jar);
    if (method == "POST") headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    auto r = askonce::test::http(port, method, target, body, headers);
    for (const auto& c : r.cookies) {
      const auto eq = c.find('='), semi = c.find(';');
      const std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
      if (value.empty() || c.find("Max-Age=0") != std::string::npos) cookies.erase(name);
      else cookies[name] = value;
    }
    std::smatch m;
    if (std::regex_search(r.body, m, std::regex("name=\"askonce:csrf\" value=\"([^\"]+)\""))) csrf = m[1];
    return r;
  }
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const Fields& fields) {
    std::string body = "askonce:csrf=" + encode(csrf);
    for (const auto& [k, v] : fields) body += "&" + encode(k) + "=" + encode(v);
    return request("POST", target, body);
  }
  static std::string encode(const std::string& v) {
    std::string out;
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", out);
    return out;
  }
};

/// The whole web journey of the change of address in `lang`, then Submit: the receipt's address.
std::string submit_on_the_web(Browser& b, const std::string& lang = "en") {
  const std::string coa = "/forms/change_of_address";
  auto fields = askonce::test::valid_change_of_address();
  std::string at = coa + "/steps/about?lang=" + lang;
  BOOST_TEST_REQUIRE(b.get(at).status == 200);
  for (int i = 0; i < 20 && !at.starts_with(coa + "/check"); ++i) {
    const auto r = b.post(at, fields);
    BOOST_TEST_REQUIRE(r.status == 303, at << ": " << r.status << " " << r.body.substr(0, 2000));
    at = r.header("location");
    BOOST_TEST_REQUIRE(b.get(at).status == 200, at);
  }
  fields.emplace_back("askonce:confirm", "yes");
  const auto r = b.post(at, fields);
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  return r.header("location");
}

std::string reference_of(const std::string& location) {
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(location, m, std::regex("^/receipts/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\\?")),
                     location);
  return m[1].str();
}

/// The survey form's action on a page ("" when the page has no survey).
std::string survey_action(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("<section class=\"margin-top-5\" id=\"feedback\"[^]*?action=\"([^\"]+)\""))) {
    return {};
  }
  std::string action = m[1].str();
  for (std::string::size_type at; (at = action.find("&amp;")) != std::string::npos;) action.replace(at, 5, "&");
  return action;
}

/// The hidden controls of the survey ("askonce:stage", "askonce:agency") as a page has them.
Fields survey_controls(const std::string& html) {
  Fields out;
  for (const std::string name : {"askonce:stage", "askonce:agency"}) {
    std::smatch m;
    if (std::regex_search(html, m, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) out.emplace_back(name, m[1]);
  }
  return out;
}

Fields with(Fields a, const Fields& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::int64_t total(const std::vector<s::FeedbackTally>& tallies, std::int64_t s::FeedbackTally::*count) {
  std::int64_t n = 0;
  for (const auto& t : tallies) n += t.*count;
  return n;
}

}  // namespace

// The confirmation page after a web submission asks the survey (offered: counted once however
// often the page is opened), takes one answer (a thank-you, then no survey), and refuses a second
// with the first kept. The comment is never in the server's log.
BOOST_DATA_TEST_CASE(the_confirmation_page_asks_once, both, backend) {
  Database db(backend, "confirmation");
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b(server.port());
  const std::string receipt = submit_on_the_web(b);
  auto r = b.get(receipt);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Tell us how we did") != std::string::npos);
  BOOST_TEST(r.body.find("I am satisfied with the service I received from Report a change of address.") !=
             std::string::npos);
  BOOST_TEST(r.body.find("This interaction increased my trust in Report a change of address.") != std::string::npos);
  BOOST_TEST(r.body.find("What didn&#39;t go well?") != std::string::npos);
  BOOST_TEST(r.body.find("It took a reasonable amount of time to do what I needed to do.") != std::string::npos);
  BOOST_TEST(r.body.find("What else would you like to tell us?") != std::string::npos);
  BOOST_TEST(r.header("referrer-policy") == "same-origin");  // its form posts to this site
  const std::string action = survey_action(r.body);
  BOOST_TEST_REQUIRE(!action.empty());
  const Fields controls = survey_controls(r.body);
  BOOST_TEST(controls == (Fields{{"askonce:stage", "confirmation"}, {"askonce:agency", ""}}));
  BOOST_TEST(b.get(receipt).status == 200);  // opened again: still one offer
  auto tallies = server.store().feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  BOOST_TEST(tallies[0].offered == 1);
  BOOST_TEST(tallies[0].channel == "web");
  BOOST_TEST(tallies[0].stage == "confirmation");
  BOOST_TEST(tallies[0].agency == "");
  BOOST_TEST(tallies[0].answered == 0);

  const std::string comment = "The address step was confusing for my building number 4B";
  r = b.post(action, with(controls, {{"q1", "4"}, {"q2", "5"}, {"went_well", "ease"}, {"went_well", "efficiency"},
                                     {"went_badly", "transparency"}, {"comment", comment}}));
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  BOOST_TEST(r.header("location").find("feedback=thanks") != std::string::npos);
  r = b.get(r.header("location"));
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find("Thank you for your feedback.") != std::string::npos);
  BOOST_TEST(survey_action(r.body).empty());  // not asked again
  BOOST_TEST(b.get(receipt).body.find("Tell us how we did") == std::string::npos);

  // A second answer (the old page posted again): refused, saying so; the first is kept.
  r = b.post(action, with(controls, {{"q1", "1"}, {"q2", "1"}}));
  BOOST_TEST(r.status == 409);
  BOOST_TEST(r.body.find("These questions were already answered for this application. The first answers are kept.") !=
             std::string::npos);
  tallies = server.store().feedback_tallies();
  BOOST_TEST_REQUIRE(tallies.size() == 1u);
  BOOST_TEST(tallies[0].answered == 1);
  BOOST_TEST(tallies[0].satisfaction == (std::array<std::int64_t, 5>{0, 0, 0, 1, 0}));
  BOOST_TEST(tallies[0].trust == (std::array<std::int64_t, 5>{0, 0, 0, 0, 1}));
  BOOST_TEST(tallies[0].went_well.at("ease") == 1);
  BOOST_TEST(tallies[0].went_badly.at("transparency") == 1);
  // The quarter is the fiscal one of today.
  const auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  BOOST_TEST(tallies[0].quarter ==
             askonce::engine::fiscal_quarter({static_cast<int>(today.year()), static_cast<unsigned>(today.month()), 1})
                 .label());
  // The log says an answer came, never what it said, nor whose.
  const std::string log = server.log.str();
  BOOST_TEST(log.find("feedback_answered") != std::string::npos);
  BOOST_TEST(log.find("building number") == std::string::npos);
  BOOST_TEST(log.find(reference_of(receipt)) == std::string::npos);
  // A stage never shown here (a decision no agency made) is nothing to answer.
  BOOST_TEST(b.post(action, {{"askonce:stage", "decision"}, {"askonce:agency", "ssa"}, {"q1", "5"}}).status == 404);
  BOOST_TEST(b.post(action, {{"askonce:stage", "phone"}, {"q1", "5"}}).status == 404);
}

// Bad posts: a point off the scale, a driver that is not one, a comment too long. Each is a
// clear error on the survey, shown again with every choice kept; nothing is stored.
BOOST_DATA_TEST_CASE(bad_posts_are_refused_with_the_choices_kept, both, backend) {
  Database db(backend, "bad");
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b(server.port());
  const std::string receipt = submit_on_the_web(b);
  auto r = b.get(receipt);
  const std::string action = survey_action(r.body);
  const Fields controls = survey_controls(r.body);
  BOOST_TEST_REQUIRE(!action.empty());
  const std::string long_comment(1001, 'x');
  r = b.post(action, with(controls, {{"q1", "6"}, {"q2", "4"}, {"went_well", "ease"}, {"went_well", "speed"},
                                     {"went_badly", "employee"}, {"comment", long_comment}}));
  BOOST_TEST_REQUIRE(r.status == 422);
  BOOST_TEST(r.body.find("There is a problem") != std::string::npos);
  BOOST_TEST(r.body.find("Choose one answer, from Strongly disagree to Strongly agree.") != std::string::npos);
  BOOST_TEST(r.body.find("Choose only from the answers listed.") != std::string::npos);
  BOOST_TEST(r.body.find("Your comment is too long: write at most 1000 characters.") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#feedback-q1\"") != std::string::npos);
  // What was chosen is kept: q2, the known drivers, the comment as typed.
  BOOST_TEST(r.body.find("id=\"feedback-q2-4\" name=\"q2\" value=\"4\" checked") != std::string::npos);
  BOOST_TEST(r.body.find("id=\"feedback-went_well-ease\" name=\"went_well\" value=\"ease\" checked") != std::string::npos);
  BOOST_TEST(r.body.find("id=\"feedback-went_badly-employee\" name=\"went_badly\" value=\"employee\" checked") !=
             std::string::npos);
  BOOST_TEST(r.body.find(">" + long_comment + "</textarea>") != std::string::npos);
  BOOST_TEST(r.body.find("speed") == std::string::npos);  // an unknown value is never echoed
  BOOST_TEST(total(server.store().feedback_tallies(), &s::FeedbackTally::answered) == 0);
  // A comment of exactly the limit, in characters not bytes (ñ is two bytes), is taken.
  r = b.post(action, with(controls, {{"q2", "4"}, {"comment", std::string(999, 'x') + "ñ"}}));
  BOOST_TEST(r.status == 303, r.body.substr(0, 1000));
  BOOST_TEST(total(server.store().feedback_tallies(), &s::FeedbackTally::answered) == 1);
  // Without the page's CSRF token: refused, nothing stored.
  Browser stranger(server.port());
  BOOST_TEST(stranger.post(action, with(controls, {{"q1", "5"}})).status == 403);
}

// A Spanish application gets the survey in Spanish (the project's own translation), naming the
// form by its Spanish title; after an agency decides, the status page asks about that agency's
// decision, once per agency.
BOOST_DATA_TEST_CASE(spanish_wording_and_the_decision_of_each_agency, both, backend) {
  Database db(backend, "decision");
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b(server.port());
  const std::string receipt = submit_on_the_web(b, "es");
  const std::string reference = reference_of(receipt);
  auto r = b.get(receipt);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Díganos cómo lo hicimos") != std::string::npos);
  BOOST_TEST(r.body.find("Estoy satisfecho con el servicio que recibí de Informe un cambio de dirección.") !=
             std::string::npos);
  BOOST_TEST(r.body.find("Esta interacción aumentó mi confianza en Informe un cambio de dirección.") != std::string::npos);
  BOOST_TEST(r.body.find("Muy en desacuerdo") != std::string::npos);
  BOOST_TEST(r.body.find("¿Qué más le gustaría decirnos?") != std::string::npos);
  BOOST_TEST(r.body.find("<section class=\"margin-top-5\" id=\"feedback\" aria-labelledby=\"feedback-title\" lang=\"es\">") !=
             std::string::npos);

  // The phone script (the blank form as text) ends with the survey in the agent's voice.
  const auto script = server.get("/forms/change_of_address.txt?lang=es");
  BOOST_TEST_REQUIRE(script.status == 200);
  BOOST_TEST(script.body.find("Comentarios (opcional)") != std::string::npos);
  BOOST_TEST(script.body.find("Pregunte: ¿Qué salió bien?") != std::string::npos);
  BOOST_TEST(script.body.find("  Los empleados con quienes traté fueron serviciales.") != std::string::npos);

  // ssa decides: its survey comes first, naming the agency; the confirmation one is not asked
  // once a decision is in.
  const std::string token = server.store().create_token("ssa", std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now())).token;
  const std::string status_path = "/api/v1/agencies/ssa/submissions/" + reference + "/status";
  const Headers api = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  BOOST_TEST_REQUIRE(server.post(status_path, R"({"status": "received"})", api).status == 201);
  BOOST_TEST_REQUIRE(server.post(status_path, R"({"status": "decided", "outcome": "approved"})", api).status == 201);
  r = b.get(receipt);
  BOOST_TEST(r.body.find("Sobre la decisión de Administración del Seguro Social") != std::string::npos, r.body.substr(0, 100));
  BOOST_TEST(r.body.find("Estoy satisfecho con el servicio que recibí de Administración del Seguro Social.") !=
             std::string::npos);
  const Fields controls = survey_controls(r.body);
  BOOST_TEST(controls == (Fields{{"askonce:stage", "decision"}, {"askonce:agency", "ssa"}}));
  r = b.post(survey_action(r.body), with(controls, {{"q1", "5"}, {"q2", "4"}, {"went_well", "efficiency"}}));
  BOOST_TEST_REQUIRE(r.status == 303);
  r = b.get(r.header("location"));
  BOOST_TEST(r.body.find("Gracias por sus comentarios.") != std::string::npos);
  BOOST_TEST(survey_action(r.body).empty());
  const auto tallies = server.store().feedback_tallies();
  const s::FeedbackTally* ssa = nullptr;
  const s::FeedbackTally* confirmation = nullptr;
  for (const auto& t : tallies) {
    if (t.stage == "decision" && t.agency == "ssa") ssa = &t;
    if (t.stage == "confirmation") confirmation = &t;
  }
  BOOST_TEST_REQUIRE(ssa);
  BOOST_TEST(ssa->offered == 1);
  BOOST_TEST(ssa->answered == 1);
  BOOST_TEST(ssa->satisfaction[4] == 1);
  BOOST_TEST(ssa->went_well.at("efficiency") == 1);
  BOOST_TEST_REQUIRE(confirmation);
  BOOST_TEST(confirmation->offered == 1);  // shown before the decision, never answered
  BOOST_TEST(confirmation->answered == 0);
}

// ---- staff keying the answers (phone, in person) ------------------------------------------------

namespace {

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto a = text.find(open);
  if (a == std::string::npos) return {};
  const auto b = text.find(close, a + open.size());
  return text.substr(a + open.size(), b - a - open.size());
}

/// oathtool's current TOTP code of the base32 `secret`.
std::string totp_now(const std::string& secret) {
  std::string out;
  FILE* p = ::popen(("oathtool --totp -b '" + secret + "'").c_str(), "r");
  BOOST_REQUIRE(p);
  char buf[64];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// A staff member added with the CLI and set up through the pages: `b` is then signed in.
void set_up_member(Browser& b, const Database& db, const std::string& name, const std::string& role) {
  const std::string location = db.pg ? db.pg->conninfo() : (db.dir / "askonce.db").string();
  const auto added = askonce::test::run_cli({"staff", "add", name, "--role", role, "--db", location, "--keys", db.keys});
  BOOST_TEST_REQUIRE(added.code == 0, added.err);
  std::string temporary = added.out;
  while (!temporary.empty() && temporary.back() == '\n') temporary.pop_back();
  BOOST_TEST_REQUIRE(b.get("/staff/sign-in").status == 200);
  BOOST_TEST_REQUIRE(b.post("/staff/sign-in", {{"name", name}, {"password", temporary}}).status == 303);
  auto r = b.get("/staff/set-up");
  BOOST_TEST_REQUIRE(r.status == 200);
  std::string secret = between(r.body, "id=\"totp-secret\">", "<");
  secret.erase(std::remove(secret.begin(), secret.end(), ' '), secret.end());
  const std::string sealed = between(r.body, "name=\"sealed\" value=\"", "\"");
  const std::string password = "a long passphrase for " + name;
  r = b.post("/staff/set-up", {{"sealed", sealed}, {"password", password}, {"confirm", password}, {"code", totp_now(secret)}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body.substr(0, 2000));
}

/// Keys the change of address on `channel` in `lang` and sends it: the application's reference.
std::string key_application(Browser& b, const std::string& channel, const std::string& lang) {
  BOOST_TEST_REQUIRE(b.get("/staff/key?lang=" + lang).status == 200);
  auto r = b.post("/staff/key?lang=" + lang, {{"channel", channel}, {"form", "change_of_address"}, {"language", lang}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  std::string at = r.header("location");
  const auto fields = askonce::test::valid_change_of_address();
  for (int i = 0; i < 20 && !at.ends_with("/check"); ++i) {
    BOOST_TEST_REQUIRE(b.get(at).status == 200, at);
    r = b.post(at, fields);
    BOOST_TEST_REQUIRE(r.status == 303, at << ": " << r.body.substr(0, 2000));
    at = r.header("location");
  }
  BOOST_TEST_REQUIRE(b.get(at).status == 200);
  r = b.post(at, {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  std::smatch m;
  const std::string location = r.header("location");
  BOOST_TEST_REQUIRE(std::regex_search(location, m, std::regex("^/staff/applications/([0-9A-Z-]{13})\\?")), location);
  return m[1].str();
}

}  // namespace

// The agent keys a phone caller's answers on the application's page (stage phone), and a clerk
// an in-person applicant's in Spanish (stage in_person): once each, with mistakes kept, and not
// for a mailed application, where nobody is there to ask.
BOOST_DATA_TEST_CASE(staff_key_the_answers_of_phone_and_in_person_applications, both, backend) {
  Database db(backend, "staff");
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser ana(server.port());
  set_up_member(ana, db, "ana", "agent");

  // By phone, in English.
  const std::string phone = key_application(ana, "phone", "en");
  auto r = ana.get("/staff/applications/" + phone + "?lang=en");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("The person&#39;s feedback (optional)") != std::string::npos);
  BOOST_TEST(r.body.find("I am satisfied with the service I received from Report a change of address.") !=
             std::string::npos);
  const std::string action = survey_action(r.body);
  BOOST_TEST(action == "/staff/applications/" + phone + "/feedback?lang=en");
  // A mistake: kept, nothing stored.
  r = ana.post(action, {{"q1", "0"}, {"q2", "3"}, {"went_badly", "ease"}, {"comment", "On hold too long"}});
  BOOST_TEST_REQUIRE(r.status == 422);
  BOOST_TEST(r.body.find("Choose one answer, from Strongly disagree to Strongly agree.") != std::string::npos);
  BOOST_TEST(r.body.find("name=\"q2\" value=\"3\" checked") != std::string::npos);
  BOOST_TEST(r.body.find(">On hold too long</textarea>") != std::string::npos);
  r = ana.post(action, {{"q1", "2"}, {"q2", "3"}, {"went_badly", "efficiency"}, {"went_well", "employee"},
                        {"comment", "On hold too long"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  r = ana.get(r.header("location"));
  BOOST_TEST(r.body.find("Thank you for your feedback.") != std::string::npos);
  BOOST_TEST(survey_action(r.body).empty());
  r = ana.post(action, {{"q1", "5"}});
  BOOST_TEST(r.status == 409);
  BOOST_TEST(r.body.find("The first answers are kept.") != std::string::npos);

  // In person, in Spanish: the survey in the applicant's language on the clerk's page.
  const std::string counter = key_application(ana, "in_person", "es");
  r = ana.get("/staff/applications/" + counter + "?lang=en");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Comentarios de la persona (opcional)") != std::string::npos);
  BOOST_TEST(r.body.find("Esta interacción aumentó mi confianza en Informe un cambio de dirección.") != std::string::npos);
  r = ana.post(survey_action(r.body), {{"q1", "5"}, {"q2", "5"}, {"went_well", "employee"}, {"went_well", "ease"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));

  const auto tallies = server.store().feedback_tallies();
  std::map<std::string, const s::FeedbackTally*> by_stage;
  for (const auto& t : tallies) by_stage[t.stage] = &t;
  BOOST_TEST_REQUIRE(by_stage.count("phone") == 1u);
  BOOST_TEST_REQUIRE(by_stage.count("in_person") == 1u);
  BOOST_TEST(by_stage["phone"]->channel == "phone");
  BOOST_TEST(by_stage["phone"]->answered == 1);
  BOOST_TEST(by_stage["phone"]->satisfaction[1] == 1);
  BOOST_TEST(by_stage["phone"]->went_badly.at("efficiency") == 1);
  BOOST_TEST(by_stage["in_person"]->channel == "in_person");
  BOOST_TEST(by_stage["in_person"]->went_well.at("employee") == 1);
  BOOST_TEST(by_stage["in_person"]->trust[4] == 1);
  BOOST_TEST(server.log.str().find("On hold too long") == std::string::npos);
  // Another member's CSRF token (none) is refused.
  Browser stranger(server.port());
  BOOST_TEST(stranger.post(action, {{"q1", "5"}}).status == 303);  // to sign in: not a member
}

// A deployment that does not publish its results (performance.publish false): a web journey
// (a draft started, then submitted), an API submission and an agency's posts up to a decision
// count nothing in the figures, and every /performance address answers 404 with a page that
// says the results are not published here. The same with the figures kept counts each of them.
BOOST_DATA_TEST_CASE(a_deployment_that_does_not_publish_keeps_no_figures, both, backend) {
  for (const bool publish : {false, true}) {
    Database db(backend, publish ? "publish" : "nopublish");
    TestServer server([&](s::Config& c) {
      db.use(c);
      c.performance.publish = publish;
    });
    Browser b(server.port());
    const std::string reference = reference_of(submit_on_the_web(b));
    const Headers json = {{"Content-Type", "application/json"}};
    BOOST_TEST_REQUIRE(server.post("/api/v1/forms/change_of_address/submissions", askonce::test::coa_permanent, json).status ==
                       201);
    const std::string token =
        server.store().create_token("ssa", std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now())).token;
    const std::string status_path = "/api/v1/agencies/ssa/submissions/" + reference + "/status";
    const Headers api = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    BOOST_TEST_REQUIRE(server.post(status_path, R"({"status": "need_info"})", api).status == 201);
    BOOST_TEST_REQUIRE(server.post(status_path, R"({"status": "decided", "outcome": "approved"})", api).status == 201);

    const auto counts = server.store().figure_counts();
    if (!publish) {
      BOOST_TEST(counts.applications.empty());
      BOOST_TEST(counts.started.empty());
      BOOST_TEST(counts.decisions.empty());
      BOOST_TEST(counts.pending.empty());
      for (const std::string path : {"/performance", "/performance.json", "/performance.csv", "/performance/change_of_address",
                                     "/performance/change_of_address.json", "/performance/snapshots/fy2027-q1.csv"}) {
        const auto r = server.get(path);
        BOOST_TEST(r.status == 404, path);
        BOOST_TEST(r.body.find("Results are not published here") != std::string::npos, path);
      }
      const auto es = server.get("/performance?lang=es");
      BOOST_TEST(es.body.find("Los resultados no se publican aquí") != std::string::npos);
      BOOST_TEST(es.body.find("<html lang=\"es\"") != std::string::npos);
    } else {
      std::int64_t applications = 0, started = 0, decided = 0;
      for (const auto& a : counts.applications) applications += a.agency.empty() ? a.count : 0;
      for (const auto& s : counts.started) started += s.count;
      for (const auto& d : counts.decisions) decided += d.agency == "ssa" ? d.decided : 0;
      BOOST_TEST(applications == 2);
      BOOST_TEST(started == 1);
      BOOST_TEST(decided == 1);
      BOOST_TEST(server.get("/performance").status == 200);
    }
  }
}
