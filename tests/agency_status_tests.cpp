// tests/agency_status_tests.cpp: status from agencies (server/http/agency_status.hpp), through the
// agency API of real servers on loopback, on both backends: the whole transition table, the same
// post stored once (also posted at once to two servers on one database), messages in every
// language or named from the form, the citizen's status page in their language, and the mail
// that says there is an update (through a real SMTP relay on loopback) without saying what.
#define BOOST_TEST_MODULE agency_status_tests
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <future>
#include <regex>
#include <thread>

#include "engine/clock.hpp"
#include "engine/time_zone.hpp"
#include "engine/value.hpp"
#include "renderers/wording.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/store/keyring.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "tests/backend_support.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"
#include "tests/smtp_support.hpp"
#include "tests/test_support.hpp"

namespace s = askonce::server;
using askonce::test::Headers;
using askonce::test::HttpResponse;
using askonce::test::TestServer;
using namespace std::chrono_literals;

namespace {

using askonce::test::Backend;
using askonce::test::both;

/// One database for one or more servers, and the keys they share.
struct Database : askonce::test::BackendDatabase {
  Database(Backend b, const std::string& name) : BackendDatabase("status", b, name) {}
};

s::TimePoint now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now()); }

Poco::JSON::Object::Ptr object(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

const Headers json_type = {{"Content-Type", "application/json"}};

/// Submits `json` through the API; its reference.
std::string submit(TestServer& server, const std::string& json) {
  const auto r = server.post("/api/v1/forms/change_of_address/submissions", json, json_type);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  return object(r.body)->getValue<std::string>("reference");
}

struct Agency {
  TestServer& server;
  std::string name, token, reference;
  std::string path() const { return "/api/v1/agencies/" + name + "/submissions/" + reference + "/status"; }
  HttpResponse post(const std::string& body) {
    Headers h = bearer(token);
    h.emplace_back("Content-Type", "application/json");
    return server.post(path(), body, h);
  }
  HttpResponse get() { return server.get(path(), bearer(token)); }
  std::size_t history() {
    const auto r = get();
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    return object(r.body)->getArray("history")->size();
  }
};

std::string detail(const HttpResponse& r) {
  try {
    return object(r.body)->getValue<std::string>("detail");
  } catch (...) {
    return r.body;
  }
}

}  // namespace

// Every transition an agency can post, and every one it cannot, through the API.
BOOST_DATA_TEST_CASE(the_transition_table_through_the_api, both, backend) {
  Database db(backend, "table");
  TestServer server([&](s::Config& c) { db.use(c); });
  const std::string reference = submit(server, askonce::test::coa_permanent);
  Agency ssa{server, "ssa", server.store().create_token("ssa", now()).token, reference};

  // Nothing yet.
  auto r = ssa.get();
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(object(r.body)->isNull("status"));
  BOOST_TEST(object(r.body)->getArray("history")->size() == 0u);

  // received, and the same post again: stored once, answered alike.
  r = ssa.post(R"({"status": "received", "tracking_number": "SSA-0001"})");
  BOOST_TEST(r.status == 201, r.body);
  r = ssa.post(R"({"status": "received", "tracking_number": "SSA-0001"})");
  BOOST_TEST(r.status == 200, r.body);
  BOOST_TEST(r.header("idempotent-replayed") == "true");
  BOOST_TEST(ssa.history() == 1u);
  // in_review; then received again goes backwards: refused, with what the status is.
  BOOST_TEST(ssa.post(R"({"status": "in_review"})").status == 201);
  r = ssa.post(R"({"status": "received"})");
  BOOST_TEST(r.status == 409);
  BOOST_TEST(detail(r).find("The status is in_review: received cannot follow it.") != std::string::npos, detail(r));
  // need_info with its message in every language; a message in one language only is refused.
  r = ssa.post(R"({"status": "need_info", "message": {"en": "Send a copy of your lease."}})");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(detail(r).find("every language of this form: en, es (missing: es)") != std::string::npos, detail(r));
  r = ssa.post(R"({"status": "need_info", "message": {"en": "Send a copy of your lease.", "es": "Envíe una copia de su contrato."}})");
  BOOST_TEST(r.status == 201, r.body);
  BOOST_TEST(object(r.body)->getObject("status")->getObject("message")->getValue<std::string>("es") ==
             "Envíe una copia de su contrato.");
  // Back to in_review once answered; in_review and need_info follow each other.
  BOOST_TEST(ssa.post(R"({"status": "in_review"})").status == 201);
  // decided needs its outcome, and only decided has one.
  r = ssa.post(R"({"status": "decided"})");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(detail(r).find("A decision needs its outcome") != std::string::npos);
  BOOST_TEST(ssa.post(R"({"status": "in_review", "outcome": "approved"})").status == 422);
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "maybe"})").status == 422);
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "approved"})").status == 201);
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "approved"})").status == 200);
  // Nothing follows a decision: another outcome, or any status.
  for (const std::string body : {R"({"status": "decided", "outcome": "denied"})", R"({"status": "in_review"})",
                                 R"({"status": "need_info", "message": {"en": "x", "es": "y"}})"}) {
    r = ssa.post(body);
    BOOST_TEST(r.status == 409, body);
    BOOST_TEST(detail(r).find("a decision is final") != std::string::npos, detail(r));
  }
  BOOST_TEST(ssa.history() == 5u);

  // A post may skip ahead: usps goes straight to decided.
  Agency usps{server, "usps", server.store().create_token("usps", now()).token, reference};
  BOOST_TEST(usps.post(R"({"status": "decided", "outcome": "referred"})").status == 201);
  // va goes from received straight to need_info, and an agency's posts are its own.
  Agency va{server, "va", server.store().create_token("va", now()).token, reference};
  BOOST_TEST(va.post(R"({"status": "need_info", "message": {"en": "Call us.", "es": "Llámenos."}})").status == 201);
  BOOST_TEST(va.history() == 1u);
  BOOST_TEST(usps.history() == 1u);

  // Mistakes in the post, each with what to fix; nothing stored.
  Agency irs{server, "irs", server.store().create_token("irs", now()).token, reference};
  const std::pair<std::string, std::string> mistakes[] = {
      {"not json", "not a JSON object"},
      {R"(["received"])", "not a JSON object"},
      {R"({"status": "lost"})", "status must be one of"},
      {R"({"status": "received", "colour": "red"})", "Unknown member \"colour\""},
      {R"({"status": "received", "tracking_number": 7})", "tracking_number must be a string"},
      {R"({"status": "received", "tracking_number": ")" + std::string(65, '9') + R"("})", "at most 64 characters"},
      {R"({"status": "received", "message": {"en": "x", "es": "y", "fr": "z"}})", "not a language of this form"},
      {R"({"status": "received", "message": "hello"})", "message must be an object"},
      {R"({"status": "received", "message_name": "no_such_message"})", "defines no message \"no_such_message\" for irs"},
  };
  for (const auto& [body, why] : mistakes) {
    r = irs.post(body);
    BOOST_TEST(r.status == 422, body);
    BOOST_TEST(detail(r).find(why) != std::string::npos, body << ": " << detail(r));
  }
  BOOST_TEST(irs.history() == 0u);
  Headers text = bearer(irs.token);
  text.emplace_back("Content-Type", "text/plain");
  BOOST_TEST(server.post(irs.path(), R"({"status": "received"})", text).status == 415);

  // Only the agency's own token, about a submission it received.
  BOOST_TEST(server.post(ssa.path(), R"({"status": "received"})", json_type).status == 401);
  Headers wrong = bearer(usps.token);
  wrong.emplace_back("Content-Type", "application/json");
  BOOST_TEST(server.post(ssa.path(), R"({"status": "received"})", wrong).status == 404);
  const std::string only_ssa = submit(server, askonce::test::coa_temporary());
  Agency usps_other{server, "usps", usps.token, only_ssa};
  BOOST_TEST(usps_other.post(R"({"status": "received"})").status == 404);
  BOOST_TEST(usps_other.get().status == 404);
}

// The same post reaching two servers on one database at once: stored once; both answer 2xx,
// one as stored (201) and one as the same post (200). Repeated, so that the two really race.
BOOST_DATA_TEST_CASE(the_same_status_posted_at_once_through_two_nodes_is_stored_once, both, backend) {
  Database db(backend, "race");
  TestServer one([&](s::Config& c) { db.use(c); }, "node1");
  TestServer two([&](s::Config& c) { db.use(c); }, "node2");
  const std::string token = one.store().create_token("ssa", now()).token;
  for (int round = 0; round < 10; ++round) {
    const std::string reference = submit(one, askonce::test::coa_permanent);
    Agency a1{one, "ssa", token, reference}, a2{two, "ssa", token, reference};
    auto f1 = std::async(std::launch::async, [&] { return a1.post(R"({"status": "in_review"})").status; });
    auto f2 = std::async(std::launch::async, [&] { return a2.post(R"({"status": "in_review"})").status; });
    std::vector<int> statuses = {f1.get(), f2.get()};
    std::sort(statuses.begin(), statuses.end());
    BOOST_TEST((statuses == std::vector<int>{200, 201}), "round " << round << ": " << statuses[0] << " " << statuses[1]);
    BOOST_TEST(a1.history() == 1u);
  }
}

// The citizen's side: the receipt says where each agency stands, in the citizen's language,
// with the agency's message in that language; the update mail says only that there is one.
BOOST_DATA_TEST_CASE(the_citizen_sees_each_status_and_is_emailed_that_there_is_one, both, backend) {
  Database db(backend, "citizen");
  askonce::test::SmtpRelayProcess relay(db.dir / "relay", true);
  relay.start(0);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.mail.host = "localhost";
    c.mail.port = relay.port();
    c.mail.username = "askonce";
    c.mail.password = "relay-password";
    c.mail.from = "Benefits Service <no-reply@forms.example.gov>";
    c.mail.ca_file = relay.cert().string();
    c.mail.base_backoff = 100ms;
    c.mail.max_backoff = 300ms;
    c.mail.timeout = 5s;
  });
  const auto submitted = server.post("/api/v1/forms/change_of_address/submissions?lang=es", askonce::test::coa_permanent,
                                     json_type);
  BOOST_TEST_REQUIRE(submitted.status == 201, submitted.body);
  const std::string reference = object(submitted.body)->getValue<std::string>("reference");
  const std::string receipt = object(submitted.body)->getValue<std::string>("receipt_url");
  const auto mails = [&](std::size_t n) {
    std::vector<std::string> got;
    for (int i = 0; i < 100 && got.size() < n; ++i) {
      std::this_thread::sleep_for(100ms);
      got = relay.messages();
    }
    return got;
  };
  BOOST_TEST_REQUIRE(mails(1).size() == 1u);  // the receipt

  Agency ssa{server, "ssa", server.store().create_token("ssa", now()).token, reference};
  BOOST_TEST(ssa.post(R"({"status": "need_info", "tracking_number": "SSA-77", "message": {"en": "Send a copy of your lease.", "es": "Envíe una copia de su contrato."}})")
                 .status == 201);
  const auto got = mails(2);
  BOOST_TEST_REQUIRE(got.size() == 2u);
  const std::string& update = got[1];
  BOOST_TEST(update.find("ana@example.com") != std::string::npos);
  BOOST_TEST(update.find(reference) != std::string::npos);
  BOOST_TEST(update.find("/r/") != std::string::npos);
  // Never what the update is: not the status, not the message, not the tracking number.
  for (const std::string secret : {"contrato", "lease", "SSA-77", "informaci", "need_info"}) {
    BOOST_TEST(update.find(secret) == std::string::npos, secret);
  }
  // The receipt, in Spanish: the status, the tracking number, the message in Spanish.
  const auto page = server.get(receipt);
  BOOST_TEST_REQUIRE(page.status == 200);
  BOOST_TEST(page.body.find("La agencia necesita más información de usted") != std::string::npos);
  BOOST_TEST(page.body.find("Número de seguimiento de la agencia: SSA-77") != std::string::npos);
  BOOST_TEST(page.body.find("Envíe una copia de su contrato.") != std::string::npos);
  BOOST_TEST(page.body.find("Send a copy of your lease.") == std::string::npos);
  // In English when asked for.
  const auto english = server.get(receipt + "&lang=en");
  BOOST_TEST(english.body.find("The agency needs more information from you") != std::string::npos);
  BOOST_TEST(english.body.find("Send a copy of your lease.") != std::string::npos);
  // The mail's link opens the status page once, which says the same.
  std::smatch link;
  BOOST_TEST_REQUIRE(std::regex_search(update, link, std::regex("(/r/[A-Za-z0-9_-]{20,})")));
  const auto opened = server.get(link[1]);
  BOOST_TEST_REQUIRE(opened.status == 303);
  std::string cookie = opened.cookies.empty() ? std::string() : opened.cookies.front();
  cookie = cookie.substr(0, cookie.find(';'));
  const auto status = server.get("/receipts/status", {{"Cookie", cookie}});
  BOOST_TEST(status.status == 200);
  BOOST_TEST(status.body.find("La agencia necesita más información de usted") != std::string::npos);
  BOOST_TEST(server.get(link[1]).status == 410);  // once
  // A decision: the receipt says it; a post that changes nothing mails nothing.
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "partly_approved"})").status == 201);
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "partly_approved"})").status == 200);
  BOOST_TEST(server.get(receipt).body.find("Decidida: aprobada en parte") != std::string::npos);
  std::this_thread::sleep_for(1s);
  BOOST_TEST(mails(4).size() == 3u);
}

// The promise as a clock on the receipt: each agency's decision is due ten working days after
// the day received (engine/clock.hpp, whose rules clock_tests check against dates worked out by
// hand); an application received long ago is late, and says what to do; a decision stops it.
BOOST_DATA_TEST_CASE(the_receipt_says_when_each_decision_is_due_and_when_it_is_late, both, backend) {
  namespace e = askonce::engine;
  Database db(backend, "due");
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.site.time_zone = "UTC";
  });
  const auto submitted = server.post("/api/v1/forms/change_of_address/submissions", askonce::test::coa_permanent, json_type);
  BOOST_TEST_REQUIRE(submitted.status == 201, submitted.body);
  const std::string reference = object(submitted.body)->getValue<std::string>("reference");
  const std::string receipt = object(submitted.body)->getValue<std::string>("receipt_url");
  const auto stored = server.store().find_submission(reference);
  BOOST_TEST_REQUIRE(stored.has_value());
  const auto* form = server.app->catalog().find("change_of_address");
  const auto& ssa_model = form->plan->form().agencies.front();
  BOOST_TEST_REQUIRE(ssa_model.name == "ssa");
  BOOST_TEST_REQUIRE(ssa_model.standard.has_value());
  const askonce::renderers::Wording words(form->plan->form(), "en");
  const auto day = e::parse_date(stored->date_received).value();
  const std::string due = words.date(e::due_date(day, *ssa_model.standard, {}));
  auto page = server.get(receipt);
  BOOST_TEST(page.body.find("A decision is due by " + due) != std::string::npos, due);

  // Received 60 days ago (as a mailed application keyed late would be): late, and what to do.
  const std::string sixty = e::to_iso(e::civil_from_days(e::days_from_civil(day) - 60));
  const std::string update = "UPDATE submissions SET date_received = '" + sixty + "' WHERE reference = '" + reference + "'";
  if (db.pg) {
    s::pg::Connection(db.pg->conninfo()).exec(update);
  } else {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", (db.dir / "askonce.db").string());
    session << update, Poco::Data::Keywords::now;
  }
  page = server.get(receipt);
  BOOST_TEST(page.body.find("and is late: call the agency, and quote your reference number") != std::string::npos);
  // A decision stops the clock: ssa's line no longer says when one is due.
  Agency ssa{server, "ssa", server.store().create_token("ssa", now()).token, reference};
  BOOST_TEST(ssa.post(R"({"status": "decided", "outcome": "approved"})").status == 201);
  page = server.get(receipt);
  const auto at = page.body.find("Social Security Administration: Decided: approved");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const std::string ssa_line = page.body.substr(at, page.body.find("</li>", at) - at);
  BOOST_TEST(ssa_line.find("due by") == std::string::npos, ssa_line);
  BOOST_TEST(page.body.find("is late") != std::string::npos);  // the other agencies still are
}

// Days in the deployment's zone: a need_info posted at 23:30 in New York on a working day D,
// already D + 1 in UTC, and the agency's next post the next morning, pause day D (the day the
// citizen was asked, on their calendar and the day received's); in UTC they would pause
// nothing. The receipt's due date moves by that day; the published figures' days to decision
// count the decision on its New York day too.
BOOST_DATA_TEST_CASE(a_post_late_in_the_evening_counts_on_the_deployments_day, both, backend) {
  namespace e = askonce::engine;
  namespace m = askonce::model;
  Database db(backend, "zone");
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.site.time_zone = "America/New_York";
  });
  const auto* zone = server.app->zone();
  BOOST_TEST_REQUIRE(zone != nullptr);
  const auto submitted = server.post("/api/v1/forms/change_of_address/submissions", askonce::test::coa_permanent, json_type);
  BOOST_TEST_REQUIRE(submitted.status == 201, submitted.body);
  const std::string reference = object(submitted.body)->getValue<std::string>("reference");
  const std::string receipt = object(submitted.body)->getValue<std::string>("receipt_url");
  const auto stored = server.store().find_submission(reference);
  BOOST_TEST_REQUIRE(stored.has_value());
  const auto* form = server.app->catalog().find("change_of_address");
  const auto& ssa_model = form->plan->form().agencies.front();
  BOOST_TEST_REQUIRE(ssa_model.name == "ssa");
  BOOST_TEST_REQUIRE(ssa_model.standard.has_value());
  BOOST_TEST_REQUIRE((ssa_model.standard->unit == m::ServiceStandard::Unit::WorkingDays));
  const m::Date received = e::parse_date(stored->date_received).value();
  // D: the first working day after the day received, so that pausing it moves the due date.
  const m::Date d = e::due_date(received, m::ServiceStandard{1, m::ServiceStandard::Unit::WorkingDays, {}, {}}, {});
  const m::Date d1 = e::civil_from_days(e::days_from_civil(d) + 1);
  const m::Date d2 = e::civil_from_days(e::days_from_civil(d) + 2);
  // 23:30 in New York on `day`: 03:30 or 04:30 UTC the day after (EDT, EST).
  const auto evening = [&](const m::Date& day) {
    const std::int64_t at = e::days_from_civil(day) * 86400 + 23 * 3600 + 30 * 60;
    for (const std::int64_t offset : {4, 5}) {
      const auto t = zone->local(at + offset * 3600);
      if (t.hour == 23 && t.minute == 30 && t.day == static_cast<int>(day.day)) {
        return s::TimePoint(std::chrono::seconds(at + offset * 3600));
      }
    }
    BOOST_FAIL("no 23:30 in New York");
    return s::TimePoint{};
  };
  const s::TimePoint asked_at = evening(d);
  BOOST_TEST_REQUIRE((s::local_day(asked_at, nullptr) == d1));  // already the next day in UTC
  BOOST_TEST((s::local_day(asked_at, zone) == d));

  s::AgencyStatus asked;
  asked.agency = "ssa";
  asked.seq = 1;
  asked.status = "need_info";
  asked.message_name = "need_proof_of_address";
  asked.at = asked_at;
  s::AgencyStatus review;
  review.agency = "ssa";
  review.seq = 2;
  review.status = "in_review";
  review.at = asked_at + std::chrono::hours(11);  // 10:30 the next morning in New York
  const std::vector<s::AgencyStatus> mine = {asked, review};
  BOOST_TEST_REQUIRE(server.store().append_agency_status(reference, asked, std::nullopt, asked.at,
                                                         s::figure_move(ssa_model, {}, asked, stored->date_received, zone)));
  BOOST_TEST_REQUIRE(server.store().append_agency_status(reference, review, std::nullopt, review.at,
                                                         s::figure_move(ssa_model, {asked}, review, stored->date_received, zone)));

  // The pause is day D, on the deployment's calendar; UTC's would be empty.
  const auto pauses = s::waits_on_citizen(mine, std::nullopt, zone);
  BOOST_TEST_REQUIRE(pauses.size() == 1u);
  BOOST_TEST((pauses[0].from == d));
  BOOST_TEST((pauses[0].to == d1));
  const auto utc = s::waits_on_citizen(mine, std::nullopt, nullptr);
  BOOST_TEST_REQUIRE(utc.size() == 1u);
  BOOST_TEST((utc[0].from == utc[0].to));

  // The receipt: due one working day later than without the pause.
  const askonce::renderers::Wording words(form->plan->form(), "en");
  const m::Date due = e::due_date(received, *ssa_model.standard, {{d, d1}});
  const m::Date due_utc = e::due_date(received, *ssa_model.standard, {});
  BOOST_TEST_REQUIRE(!(due == due_utc));
  const auto page = server.get(receipt);
  BOOST_TEST_REQUIRE(page.status == 200);
  const auto at = page.body.find("<li>Social Security Administration");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const std::string ssa_line = page.body.substr(at, page.body.find("</li>", at) - at);
  BOOST_TEST(ssa_line.find("A decision is due by " + words.date(due)) != std::string::npos, ssa_line);
  BOOST_TEST(ssa_line.find("A decision is due by " + words.date(due_utc)) == std::string::npos);  // the other agencies' date

  // The figures kept: a decision at 23:30 in New York on D + 2 counts on D + 2, with day D
  // paused: days_used(received, D + 2) less the pause.
  s::AgencyStatus decided;
  decided.agency = "ssa";
  decided.seq = 3;
  decided.status = "decided";
  decided.outcome = "approved";
  decided.at = evening(d2);
  const std::vector<s::AgencyStatus> all = {asked, review, decided};
  const m::ServiceStandard calendar{1, m::ServiceStandard::Unit::Days, {}, {}};
  const auto place = s::figure_place(ssa_model, all, stored->date_received, zone);
  BOOST_TEST_REQUIRE(place.days.has_value());
  BOOST_TEST(*place.days == e::days_used(received, d2, calendar, {{d, d1}}));
  const auto place_utc = s::figure_place(ssa_model, all, stored->date_received, nullptr);
  BOOST_TEST(*place_utc.days == e::days_used(received, e::civil_from_days(e::days_from_civil(d2) + 1), calendar, {}));
  BOOST_TEST(*place.days + 2 == *place_utc.days);
  // The move the store is given for it: the figures kept count those days.
  const auto move = s::figure_move(ssa_model, {asked, review}, decided, stored->date_received, zone);
  BOOST_TEST((move.decided_days == place.days));
}

// A member without a question (`member "NAME" TYPE`, docs/dsl.md), sent by a JSON client over
// the API, is stored with the submission and reaches, as it was sent, the agency that receives
// it, and no other.
BOOST_DATA_TEST_CASE(a_member_sent_over_the_api_reaches_only_the_agency_that_receives_it, both, backend) {
  Database db(backend, "member");
  const auto forms = db.dir / "forms";
  std::filesystem::create_directories(forms);
  std::ofstream(forms / "members.form") << R"(
form members {
  title "Members"
  version 1
  languages en
  section s "You" {
    text full_name "Full name" { required }
    member "view:serviceNote" object
    member "otherInformation" array of string
  }
  agency gets "Gets it" {
    receives full_name, "otherInformation", "view:serviceNote"
  }
  agency not_it "Does not" {
    receives full_name
  }
}
)";
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.forms = forms.string();
  });
  const std::string url = "/api/v1/forms/members/submissions";
  const auto wrong = server.post(url, R"({"full_name": "Ana", "otherInformation": "not a list"})", json_type);
  BOOST_TEST(wrong.status == 422, wrong.body);
  BOOST_TEST(wrong.body.find("V0012") != std::string::npos, wrong.body);
  const auto sent = server.post(url, R"({"full_name": "Ana", "view:serviceNote": {"seen": true},
    "otherInformation": ["Served 1990 to 1994", "Two \"tours\""]})", json_type);
  BOOST_TEST_REQUIRE(sent.status == 201, sent.body);
  const std::string reference = object(sent.body)->getValue<std::string>("reference");
  const std::string gets = server.store().create_token("gets", now()).token;
  const auto view = server.get("/api/v1/agencies/gets/submissions/" + reference, bearer(gets));
  BOOST_TEST_REQUIRE(view.status == 200, view.body);
  BOOST_TEST(view.body.find(R"("otherInformation": ["Served 1990 to 1994","Two \"tours\""])") != std::string::npos, view.body);
  BOOST_TEST(view.body.find(R"("view:serviceNote": {"seen":true})") != std::string::npos, view.body);
  const std::string other = server.store().create_token("not_it", now()).token;
  const auto not_it = server.get("/api/v1/agencies/not_it/submissions/" + reference, bearer(other));
  BOOST_TEST_REQUIRE(not_it.status == 200, not_it.body);
  BOOST_TEST(not_it.body.find("Served") == std::string::npos, not_it.body);
  BOOST_TEST(not_it.body.find("view:") == std::string::npos, not_it.body);
  BOOST_TEST(not_it.body.find("\"Ana\"") != std::string::npos, not_it.body);
}
