// tests/amend_tests.cpp: answer once, correct once (server/http/amend.hpp), through the public
// interface of real servers on loopback, on both backends: a citizen corrects an answer on the
// status page after answering what only they know; the correction reaches, as a new version of
// its view, exactly the agencies whose view holds the answer, each with its own delivery state
// (the feed in order, GET by version, ack per version, a webhook to a loopback receiver); the
// SF-424's XML amendment still validates against its XSD; wrong knowledge answers refused and
// limited; an invalid value refused with what was typed kept; a changed email address told at
// its old address (a real SMTP relay on loopback); a need_info answered, reaching the agency
// that asked and every other agency with the field, ending the pause of its clock; the status
// page a mailed link opens offering the same (answer, correct, survey) without a key; `db copy`.
#define BOOST_TEST_MODULE amend_tests
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "engine/clock.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "renderers/wording.hpp"
#include "server/delivery/webhook.hpp"
#include "server/http/app.hpp"
#include "server/http/catalog.hpp"
#include "server/http/submit.hpp"
#include "server/store/keyring.hpp"
#include "server/store/open_store.hpp"
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
using Fields = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

namespace {

using askonce::test::Backend;
using askonce::test::both;

/// One database for one or more servers, and the keys they share.
struct Database : askonce::test::BackendDatabase {
  Database(Backend b, const std::string& name) : BackendDatabase("amend", b, name) {}
};

s::TimePoint now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now()); }

Poco::JSON::Object::Ptr object(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

const Headers json_type = {{"Content-Type", "application/json"}};

std::string urlencode(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string ek, ev;
    Poco::URI::encode(k, "&=+;", ek);
    Poco::URI::encode(v, "&=+;", ev);
    out += (out.empty() ? "" : "&") + ek + "=" + ev;
  }
  return out;
}

/// The value of hidden input `name` in a page.
std::string hidden_value(const std::string& page, const std::string& name) {
  std::smatch m;
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(page, m, re) ? m[1].str() : std::string();
}

/// A citizen's browser on the status page: keeps the CSRF cookie and token, and the session a
/// mailed link opens (askonce-receipt).
struct Citizen {
  TestServer& server;
  std::string cookie{}, csrf{}, session{};
  void keep(const HttpResponse& r) {
    for (const auto& c : r.cookies) {
      const std::string pair = c.substr(0, c.find(';'));
      if (pair.starts_with("askonce-csrf=")) cookie = pair;
      if (pair.starts_with("askonce-receipt=")) session = pair;
    }
    if (auto t = hidden_value(r.body, "askonce:csrf"); !t.empty()) csrf = t;
  }
  std::string cookies() const { return cookie + (cookie.empty() || session.empty() ? "" : "; ") + session; }
  HttpResponse get(const std::string& target) {
    auto r = server.get(target, cookies().empty() ? Headers{} : Headers{{"Cookie", cookies()}});
    keep(r);
    return r;
  }
  HttpResponse post(const std::string& target, Fields fields) {
    fields.emplace_back("askonce:csrf", csrf);
    Headers h = {{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookies().empty()) h.emplace_back("Cookie", cookies());
    auto r = server.post(target, urlencode(fields), h);
    keep(r);
    return r;
  }
};

/// What only the citizen knows for coa_permanent: the date of birth and the SSN's last 4.
const Fields coa_known = {{"known0.month", "2"}, {"known0.day", "29"}, {"known0.year", "1980"}, {"known1", "6789"},
                          {"askonce:check", "yes"}};

/// The correction path of a receipt (its address as the API gave it: /receipts/{ref}?key=...).
std::string correct_url(const std::string& receipt, const std::string& agency = {}) {
  const auto q = receipt.find('?');
  return receipt.substr(0, q) + "/correct" + receipt.substr(q) + (agency.empty() ? "" : "&agency=" + agency);
}

/// Corrects `field` through the pages: the questions, the choice, the step, the post. The last
/// page's response.
HttpResponse correct(Citizen& c, const std::string& url, const Fields& known, const std::string& field,
                     const Fields& values) {
  const auto questions = c.get(url);
  BOOST_TEST_REQUIRE(questions.status == 200, questions.body);
  const auto choice = c.post(url, known);
  BOOST_TEST_REQUIRE(choice.status == 200, choice.body);
  BOOST_TEST_REQUIRE(choice.body.find("value=\"" + field + "\"") != std::string::npos, choice.body);
  Fields chosen = known;
  chosen.emplace_back("askonce:choose", "yes");
  chosen.emplace_back("askonce:field", field);
  const auto step = c.post(url, chosen);
  BOOST_TEST_REQUIRE(step.status == 200, step.body);
  Fields send = chosen;
  send.emplace_back("askonce:send", "yes");
  send.insert(send.end(), values.begin(), values.end());
  return c.post(url, send);
}

struct Submitted {
  std::string reference, receipt;
};
Submitted submit(TestServer& server, const std::string& json) {
  const auto r = server.post("/api/v1/forms/change_of_address/submissions", json, json_type);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto o = object(r.body);
  return {o->getValue<std::string>("reference"), o->getValue<std::string>("receipt_url")};
}

/// The items of `agency`'s feed about `reference`, in feed order (every page, 1 item a page,
/// so the cursor is exercised on every row).
std::vector<Poco::JSON::Object::Ptr> feed(TestServer& server, const std::string& agency, const std::string& token,
                                          const std::string& reference = {}) {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::string cursor;
  for (int i = 0; i < 100; ++i) {
    const auto r = server.get("/api/v1/agencies/" + agency + "/submissions?limit=1" + (cursor.empty() ? "" : "&after=" + cursor),
                              {{"Authorization", "Bearer " + token}});
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    const auto page = object(r.body);
    const auto items = page->getArray("items");
    if (items->size() == 0) break;
    const auto item = items->getObject(0);
    if (reference.empty() || item->getValue<std::string>("reference") == reference) out.push_back(item);
    cursor = page->getValue<std::string>("next_cursor");
  }
  return out;
}

std::vector<std::string> changed_of(const Poco::JSON::Object::Ptr& item) {
  std::vector<std::string> out;
  if (!item->has("changed")) return out;
  for (const auto& v : *item->getArray("changed")) out.push_back(v.toString());
  return out;
}

std::string token_for(TestServer& server, const std::string& agency) {
  return server.store().create_token(agency, now()).token;
}

/// An agency's webhook endpoint on loopback: every request's webhook-id and Askonce-* headers.
class Receiver {
 public:
  struct Got {
    std::string id;
    std::map<std::string, std::string> envelope;
    std::string body;
  };
  Receiver() : state_(std::make_shared<State>()) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
    server_->start();
  }
  ~Receiver() { server_->stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<Got> got() const {
    std::lock_guard lock(state_->mutex);
    return state_->got;
  }
  std::vector<Got> wait_for(std::size_t n) const {
    for (int i = 0; i < 150 && got().size() < n; ++i) std::this_thread::sleep_for(100ms);
    return got();
  }

 private:
  struct State {
    std::mutex mutex;
    std::vector<Got> got;
  };
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(std::shared_ptr<State> s) : state(std::move(s)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Got g;
      g.id = request.get("webhook-id", "");
      for (const auto& [name, value] : request) {
        if (Poco::icompare(name.substr(0, 8), "askonce-") == 0) g.envelope[Poco::toLower(name)] = value;
      }
      Poco::StreamCopier::copyToString(request.stream(), g.body);
      {
        std::lock_guard lock(state->mutex);
        state->got.push_back(std::move(g));
      }
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      response.send();
    }
    std::shared_ptr<State> state;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(std::shared_ptr<State> s) : state(std::move(s)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(state);
    }
    std::shared_ptr<State> state;
  };
  std::shared_ptr<State> state_;
  Poco::UInt16 port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

/// The number of times `needle` occurs in `hay`.
std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

// A corrected old address reaches exactly the agencies whose view holds it (usps and irs, not
// ssa or va), each as a new version with its own delivery state: in the feed after the
// original, by GET (latest, or by version), acknowledged per version, and by webhook.
BOOST_DATA_TEST_CASE(a_correction_reaches_exactly_the_agencies_that_have_the_answer, both, backend) {
  Database db(backend, "reach");
  Receiver receiver;
  const std::string secret = s::new_webhook_secret();
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.agencies.push_back({"usps", receiver.url(), secret, false});
    c.delivery.allow_private = true;
    c.delivery.base_backoff = 50ms;
    c.delivery.max_backoff = 200ms;
  });
  const auto a = submit(server, askonce::test::coa_permanent);
  const auto b = submit(server, askonce::test::coa_permanent);  // another application between
  BOOST_TEST_REQUIRE(receiver.wait_for(2).size() == 2u);

  // The status page offers the correction.
  Citizen citizen{server};
  const auto status = citizen.get(a.receipt);
  BOOST_TEST_REQUIRE(status.status == 200);
  BOOST_TEST(status.body.find("Correct an answer") != std::string::npos);

  // Only the answers that say where and how to reach the citizen are offered, never the SSN.
  const auto choice = [&] {
    citizen.get(correct_url(a.receipt));
    return citizen.post(correct_url(a.receipt), coa_known);
  }();
  BOOST_TEST_REQUIRE(choice.status == 200, choice.body);
  for (const std::string f : {"old_address", "new_address", "contact.email", "contact.phone"}) {
    BOOST_TEST(choice.body.find("value=\"" + f + "\"") != std::string::npos, f);
  }
  for (const std::string f : {"person.ssn", "spouse_ssn", "kind", "veteran", "household"}) {
    BOOST_TEST(choice.body.find("value=\"" + f + "\"") == std::string::npos, f);
  }

  // The step shows the answer as it is (escaped), and only it.
  Fields chosen = coa_known;
  chosen.emplace_back("askonce:choose", "yes");
  chosen.emplace_back("askonce:field", "old_address");
  const auto step = citizen.post(correct_url(a.receipt), chosen);
  BOOST_TEST_REQUIRE(step.status == 200, step.body);
  BOOST_TEST(step.body.find("1 Main St &lt;script&gt;") != std::string::npos);
  BOOST_TEST(step.body.find("name=\"new_address.street\"") == std::string::npos);

  const auto done = correct(citizen, correct_url(a.receipt), coa_known, "old_address",
                            {{"old_address.street", "9 Elm St"}, {"old_address.city", "Springfield"},
                             {"old_address.state", "IL"}, {"old_address.zip", "62701"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("United States Postal Service") != std::string::npos);
  BOOST_TEST(done.body.find("Internal Revenue Service") != std::string::npos);
  BOOST_TEST(done.body.find("Social Security Administration") == std::string::npos);
  BOOST_TEST(done.body.find("Veterans Affairs") == std::string::npos);

  // The feeds: usps and irs have version 2 after b; ssa and va have one version only.
  for (const std::string agency : {"usps", "irs"}) {
    BOOST_TEST_CONTEXT(agency) {
      const std::string token = token_for(server, agency);
      const auto all = feed(server, agency, token);
      BOOST_TEST_REQUIRE(all.size() == 3u);
      BOOST_TEST(all[0]->getValue<std::string>("reference") == a.reference);
      BOOST_TEST(all[1]->getValue<std::string>("reference") == b.reference);
      BOOST_TEST(all[2]->getValue<std::string>("reference") == a.reference);
      BOOST_TEST(all[0]->getValue<int>("view_version") == 1);
      BOOST_TEST(!all[0]->has("amends"));
      BOOST_TEST(all[2]->getValue<int>("view_version") == 2);
      BOOST_TEST(all[2]->getValue<int>("amends") == 1);
      const auto changed = changed_of(all[2]);
      const std::string street = agency == "irs" ? "/OldAddress/street" : "/old_address/street";
      BOOST_TEST((changed == std::vector<std::string>{street}));
      // Each version carries the digest of its own answers; the view itself has no envelope.
      BOOST_TEST(all[0]->getValue<std::string>("digest") != all[2]->getValue<std::string>("digest"));
      const std::string view = Poco::JSON::Object::Ptr(all[2]->getObject("view"))->getObject("data")->has("changed") ? "x" : "";
      BOOST_TEST(view.empty());
      // GET: the latest, or one version.
      const std::string path = "/api/v1/agencies/" + agency + "/submissions/" + a.reference;
      const Headers auth = {{"Authorization", "Bearer " + token}};
      auto got = server.get(path, auth);
      BOOST_TEST_REQUIRE(got.status == 200);
      BOOST_TEST(got.header("askonce-view-version") == "2");
      BOOST_TEST(got.header("askonce-amends") == "1");
      BOOST_TEST(got.header("askonce-changed") == street);
      BOOST_TEST(got.body.find("9 Elm St") != std::string::npos);
      got = server.get(path + "?version=1", auth);
      BOOST_TEST(got.header("askonce-view-version") == "1");
      BOOST_TEST(got.header("askonce-amends").empty());
      BOOST_TEST(got.body.find("1 Main St") != std::string::npos);
      BOOST_TEST(server.get(path + "?version=3", auth).status == 404);
      BOOST_TEST(server.get(path + "?version=x", auth).status == 400);
      if (agency == "irs") {
        // Ack per version: version 2 only, then (an old client) every version.
        BOOST_TEST(server.post(path + "/ack?version=2", "", auth).status == 204);
        auto items = feed(server, agency, token, a.reference);
        BOOST_TEST(!items[0]->getValue<bool>("acknowledged"));
        BOOST_TEST(items[1]->getValue<bool>("acknowledged"));
        BOOST_TEST(server.post(path + "/ack", "", auth).status == 204);
        items = feed(server, agency, token, a.reference);
        BOOST_TEST(items[0]->getValue<bool>("acknowledged"));
      }
    }
  }
  for (const std::string agency : {"ssa", "va"}) {
    const auto mine = feed(server, agency, token_for(server, agency), a.reference);
    BOOST_TEST(mine.size() == 1u, agency);
  }

  // The webhook: the amendment is a message of its own, with the envelope saying what it is.
  const auto got = receiver.wait_for(3);
  BOOST_TEST_REQUIRE(got.size() == 3u);
  BOOST_TEST(got[2].id == "msg_" + a.reference + "_usps_v2");
  BOOST_TEST(got[2].envelope.at("askonce-view-version") == "2");
  BOOST_TEST(got[2].envelope.at("askonce-amends") == "1");
  BOOST_TEST(got[2].envelope.at("askonce-changed") == "/old_address/street");
  BOOST_TEST(got[2].body.find("9 Elm St") != std::string::npos);
  BOOST_TEST(got[2].body.find("askonce-changed") == std::string::npos);
  BOOST_TEST(got[0].id == "msg_" + a.reference + "_usps");

  // The receipt shows the corrected answers; its status page each agency once.
  const auto receipt = citizen.get(a.receipt);
  BOOST_TEST(count(receipt.body, "United States Postal Service") == 1u);

  // The same correction again changes nothing and sends nothing.
  const auto again = correct(citizen, correct_url(a.receipt), coa_known, "old_address",
                             {{"old_address.street", "9 Elm St"}, {"old_address.city", "Springfield"},
                              {"old_address.state", "IL"}, {"old_address.zip", "62701"}});
  BOOST_TEST(again.status == 200);
  BOOST_TEST(again.body.find("This is the answer we already have") != std::string::npos);
  BOOST_TEST(feed(server, "irs", token_for(server, "irs"), a.reference).size() == 2u);
}

// What only the citizen knows is asked first, wrong answers are refused and limited as the
// answers page's are (one count per receipt); an invalid new value is 422 with what was typed
// kept, and nothing is sent.
BOOST_DATA_TEST_CASE(a_correction_needs_what_only_the_citizen_knows_and_a_valid_value, both, backend) {
  Database db(backend, "refuse");
  TestServer server([&](s::Config& c) { db.use(c); });
  const auto a = submit(server, askonce::test::coa_permanent);
  Citizen citizen{server};
  const std::string url = correct_url(a.receipt);
  BOOST_TEST(citizen.get(url).status == 200);

  // A wrong address key is the same 404 as an unknown reference.
  BOOST_TEST(server.get(a.receipt.substr(0, a.receipt.find('?')) + "/correct?key=wrong").status == 404);

  // An invalid value: 422, the engine's message, the value typed kept; nothing stored.
  Fields chosen = coa_known;
  chosen.emplace_back("askonce:choose", "yes");
  chosen.emplace_back("askonce:field", "new_address");
  chosen.emplace_back("askonce:send", "yes");
  Fields bad = chosen;
  bad.insert(bad.end(), {{"new_address.street", "7 Typed St"}, {"new_address.city", "Springfield"},
                         {"new_address.state", "IL"}, {"new_address.zip", "62<7"}});
  const auto refused = citizen.post(url, bad);
  BOOST_TEST(refused.status == 422, refused.body);
  BOOST_TEST(refused.body.find("value=\"7 Typed St\"") != std::string::npos);
  BOOST_TEST(refused.body.find("value=\"62&lt;7\"") != std::string::npos);
  BOOST_TEST(refused.body.find("usa-error-message") != std::string::npos);
  BOOST_TEST(feed(server, "ssa", token_for(server, "ssa"), a.reference).size() == 1u);
  // No choice made: asked again, 422.
  Fields none = coa_known;
  none.emplace_back("askonce:choose", "yes");
  BOOST_TEST(citizen.post(url, none).status == 422);

  // Wrong answers: 422, then locked (429) after the answers page's limit, counted with it.
  Fields wrong = coa_known;
  wrong[3].second = "0000";
  BOOST_TEST(citizen.post(url, wrong).status == 422);
  for (int i = 0; i < 3; ++i) BOOST_TEST(citizen.post(url, wrong).status == 422);
  const auto answers = a.receipt.substr(0, a.receipt.find('?')) + "/answers" + a.receipt.substr(a.receipt.find('?'));
  citizen.get(answers);
  BOOST_TEST(citizen.post(answers, wrong).status == 422);  // the 5th, on the answers page
  BOOST_TEST(citizen.post(url, wrong).status == 429);
  BOOST_TEST(citizen.post(url, bad).status == 429);  // even with the right answers, until the window ends
  BOOST_TEST(feed(server, "ssa", token_for(server, "ssa"), a.reference).size() == 1u);
}

// A changed email address: the old address is told it changed (no answer, no link, not the new
// address), the new one gets the status mail with its link; the agencies with the email (usps,
// va) get the amendment. "Lost your receipt link?" follows the correction: the new address
// finds the application, the old one (which did before) no longer does.
BOOST_DATA_TEST_CASE(a_changed_email_address_is_told_at_its_old_address, both, backend) {
  Database db(backend, "email");
  askonce::test::SmtpRelayProcess relay(db.dir / "relay", true);
  relay.start(0);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.mail.host = "localhost";
    c.mail.port = relay.port();
    c.mail.username = "askonce";
    c.mail.password = "relay-password";
    c.mail.from = "Forms <no-reply@forms.example.gov>";
    c.mail.ca_file = relay.cert().string();
    c.mail.base_backoff = 100ms;
    c.mail.max_backoff = 300ms;
    c.mail.timeout = 5s;
    c.mail.contact_key = std::string(64, 'k');
  });
  const auto a = submit(server, askonce::test::coa_permanent);
  const auto mails = [&](std::size_t n) {
    std::vector<std::string> got;
    for (int i = 0; i < 100 && got.size() < n; ++i) {
      std::this_thread::sleep_for(100ms);
      got = relay.messages();
    }
    return got;
  };
  BOOST_TEST_REQUIRE(mails(1).size() == 1u);  // the receipt
  // "Lost your receipt link?" through its page: the same answer whichever address, so what
  // tells is the relay.
  Citizen lost{server};
  const auto ask_link = [&](const std::string& email) {
    BOOST_TEST_REQUIRE(lost.get("/receipts/lost").status == 200);
    const auto r = lost.post("/receipts/lost", {{"reference", a.reference}, {"email", email}});
    BOOST_TEST(r.status == 200, r.body);
    BOOST_TEST(r.body.find("If the reference number and the email address match") != std::string::npos);
  };
  ask_link("ana@example.com");
  auto got = mails(2);
  BOOST_TEST_REQUIRE(got.size() == 2u);  // the old address finds it before the correction
  BOOST_TEST(got[1].find("To: <ana@example.com>") != std::string::npos);

  Citizen citizen{server};
  const auto done = correct(citizen, correct_url(a.receipt), coa_known, "contact.email", {{"contact.email", "ana.new@example.org"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("United States Postal Service") != std::string::npos);
  BOOST_TEST(done.body.find("Veterans Affairs") != std::string::npos);
  BOOST_TEST(done.body.find("Internal Revenue Service") == std::string::npos);
  got = mails(4);
  BOOST_TEST_REQUIRE(got.size() == 4u);
  std::string to_old, to_new;
  for (std::size_t i = 2; i < got.size(); ++i) {
    if (got[i].find("To: <ana@example.com>") != std::string::npos) to_old = got[i];
    else to_new = got[i];
  }
  BOOST_TEST_REQUIRE(!to_old.empty());
  BOOST_TEST(to_old.find("was changed") != std::string::npos);
  BOOST_TEST(to_old.find(a.reference) != std::string::npos);
  for (const std::string secret : {"ana.new", "Oak", "/r/", "key="}) BOOST_TEST(to_old.find(secret) == std::string::npos, secret);
  BOOST_TEST(to_new.find("ana.new@example.org") != std::string::npos);
  BOOST_TEST(to_new.find("/r/") != std::string::npos);
  const auto usps = feed(server, "usps", token_for(server, "usps"), a.reference);
  BOOST_TEST_REQUIRE(usps.size() == 2u);
  BOOST_TEST((changed_of(usps[1]) == std::vector<std::string>{"/contact.email"}));

  // After the correction: the old address finds nothing, the new one does.
  ask_link("ana@example.com");
  ask_link("ana.new@example.org");
  got = mails(6);
  BOOST_TEST_REQUIRE(got.size() == 5u);  // one link mail, not two
  BOOST_TEST(got[4].find("To: <ana.new@example.org>") != std::string::npos, got[4].substr(0, 400));
  BOOST_TEST(got[4].find("/r/") != std::string::npos);
}

// The status page a mailed link opens (/receipts/status, a session in a cookie, no key in any
// address) offers what the receipt page offers, through the same routes: "Answer the agency"
// while one waits on the citizen, "Correct an answer", each after what only the citizen knows,
// and the decision's A-11 survey; each leads back to the status page. The session opens its
// own receipt's routes only.
BOOST_DATA_TEST_CASE(the_mailed_links_status_page_offers_corrections_answers_and_the_survey, both, backend) {
  Database db(backend, "status");
  askonce::test::SmtpRelayProcess relay(db.dir / "relay", true);
  relay.start(0);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.mail.host = "localhost";
    c.mail.port = relay.port();
    c.mail.username = "askonce";
    c.mail.password = "relay-password";
    c.mail.from = "Forms <no-reply@forms.example.gov>";
    c.mail.ca_file = relay.cert().string();
    c.mail.base_backoff = 100ms;
    c.mail.max_backoff = 300ms;
    c.mail.timeout = 5s;
  });
  const auto mails = [&](std::size_t n) {
    std::vector<std::string> got;
    for (int i = 0; i < 100 && got.size() < n; ++i) {
      std::this_thread::sleep_for(100ms);
      got = relay.messages();
    }
    return got;
  };
  const auto a = submit(server, askonce::test::coa_permanent);
  const auto other = submit(server, askonce::test::coa_permanent);
  BOOST_TEST_REQUIRE(mails(2).size() == 2u);  // the two receipts
  const std::string ssa_token = token_for(server, "ssa");
  const std::string status_path = "/api/v1/agencies/ssa/submissions/" + a.reference + "/status";
  const Headers ssa = {{"Authorization", "Bearer " + ssa_token}, {"Content-Type", "application/json"}};
  auto r = server.post(status_path, R"({"status": "need_info", "message_name": "need_proof_of_address", "fields": ["contact.phone"]})", ssa);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto got = mails(3);
  BOOST_TEST_REQUIRE(got.size() == 3u);
  std::smatch link;
  BOOST_TEST_REQUIRE(std::regex_search(got[2], link, std::regex("(/r/[A-Za-z0-9_-]{20,})")));

  Citizen citizen{server};
  r = citizen.get(link[1]);
  BOOST_TEST_REQUIRE(r.status == 303);
  BOOST_TEST_REQUIRE(!citizen.session.empty());
  const std::string base = "/receipts/" + a.reference;
  auto status = citizen.get("/receipts/status");
  BOOST_TEST_REQUIRE(status.status == 200, status.body);
  BOOST_TEST(status.body.find("Send us a copy of a bill") != std::string::npos);
  BOOST_TEST(status.body.find("href=\"" + base + "/correct?agency=ssa\">Answer the agency</a>") != std::string::npos,
             status.body);
  BOOST_TEST(status.body.find("id=\"correct-link\" href=\"" + base + "/correct\">Correct an answer</a>") !=
             std::string::npos);
  BOOST_TEST(status.body.find("key=") == std::string::npos);  // no key in any of its addresses
  BOOST_TEST(status.body.find("To protect your information, this page does not show your answers.") != std::string::npos);
  // In Spanish, the links keep the language.
  status = citizen.get("/receipts/status?lang=es");
  BOOST_TEST(status.body.find("href=\"" + base + "/correct?agency=ssa&amp;lang=es\">Responder a la agencia</a>") !=
             std::string::npos);

  // The session opens this receipt's routes only, and nothing opens them without it or a key.
  BOOST_TEST(server.get(base + "/correct?agency=ssa").status == 404);
  BOOST_TEST(citizen.get("/receipts/" + other.reference + "/correct").status == 404);
  BOOST_TEST(citizen.get(base + "/answers").status == 404);  // the answers need the receipt's key

  // Answer the agency: what only the citizen knows, then the phone; back to the status page.
  const std::string answer_url = base + "/correct?agency=ssa";
  const auto questions = citizen.get(answer_url);
  BOOST_TEST_REQUIRE(questions.status == 200, questions.body);
  BOOST_TEST(citizen.post(answer_url, {{"known0.month", "2"}, {"known0.day", "28"}, {"known0.year", "1980"},
                                       {"known1", "6789"}, {"askonce:check", "yes"}}).status == 422);
  auto done = correct(citizen, answer_url, coa_known, "contact.phone", {{"contact.phone", "(202) 555-0199"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("Social Security Administration") != std::string::npos);
  BOOST_TEST(done.body.find("Department of Veterans Affairs") != std::string::npos);
  BOOST_TEST(done.body.find("Postal Service") == std::string::npos);
  BOOST_TEST(done.body.find("href=\"/receipts/status\"") != std::string::npos, done.body);
  for (const std::string agency : {"ssa", "va"}) {
    const auto items = feed(server, agency, token_for(server, agency), a.reference);
    BOOST_TEST_REQUIRE(items.size() == 2u, agency);
    BOOST_TEST((changed_of(items[1]) == std::vector<std::string>{"/contact.phone"}), agency);
  }
  status = citizen.get("/receipts/status");
  BOOST_TEST(status.body.find("You answered the agency&#39;s request") != std::string::npos, status.body);
  BOOST_TEST(status.body.find("Answer the agency") == std::string::npos);
  BOOST_TEST(citizen.get(answer_url).status == 404);  // not waiting any more

  // Correct an answer: the old address reaches USPS and the IRS only.
  done = correct(citizen, base + "/correct", coa_known, "old_address", {{"old_address.street", "9 Elm St"},
                                                                        {"old_address.city", "Springfield"},
                                                                        {"old_address.state", "IL"},
                                                                        {"old_address.zip", "62701"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("United States Postal Service") != std::string::npos);
  BOOST_TEST(done.body.find("Internal Revenue Service") != std::string::npos);
  BOOST_TEST(done.body.find("Social Security Administration") == std::string::npos);
  BOOST_TEST(feed(server, "usps", token_for(server, "usps"), a.reference).size() == 2u);
  BOOST_TEST(feed(server, "ssa", token_for(server, "ssa"), a.reference).size() == 2u);

  // A decision: the status page asks the A-11 survey about it, posted to the receipt's own
  // route without a key, and thanks on the status page.
  BOOST_TEST(server.post(status_path, R"({"status": "decided", "outcome": "approved"})", ssa).status == 201);
  status = citizen.get("/receipts/status");
  BOOST_TEST_REQUIRE(status.status == 200);
  BOOST_TEST(status.header("referrer-policy") == "same-origin");  // its forms post to this site
  BOOST_TEST(status.body.find("About the decision of Social Security Administration") != std::string::npos, status.body);
  BOOST_TEST(status.body.find("action=\"" + base + "/feedback\"") != std::string::npos);
  BOOST_TEST(hidden_value(status.body, "askonce:stage") == "decision");
  BOOST_TEST(hidden_value(status.body, "askonce:agency") == "ssa");
  const Fields survey = {{"askonce:stage", "decision"}, {"askonce:agency", "ssa"}, {"q1", "4"}, {"q2", "5"}};
  r = citizen.post(base + "/feedback", {{"askonce:stage", "decision"}, {"askonce:agency", "ssa"}, {"q1", "9"}});
  BOOST_TEST(r.status == 422);  // the status page again, with the problem
  BOOST_TEST(r.body.find("Where your application stands") != std::string::npos);
  r = citizen.post(base + "/feedback", survey);
  BOOST_TEST_REQUIRE(r.status == 303, r.body);
  BOOST_TEST(r.header("location") == "/receipts/status?feedback=thanks");
  status = citizen.get(r.header("location"));
  BOOST_TEST(status.body.find("Thank you for your feedback.") != std::string::npos);
  BOOST_TEST(status.body.find("About the decision of") == std::string::npos);
  BOOST_TEST(server.post(base + "/feedback", urlencode(survey), {{"Content-Type", "application/x-www-form-urlencoded"}}).status ==
             404);  // no session, no key
  std::int64_t answered = 0;
  for (const auto& t : server.store().feedback_tallies()) {
    if (t.stage == "decision" && t.agency == "ssa") answered += t.answered;
  }
  BOOST_TEST(answered == 1);
}

// need_info: the agency names what it needs; the status page offers "Answer the agency"; the
// answer goes to the agency that asked and to every other agency with the field (va), ends the
// agency's pause (its due date moves by the days it waited, no more), and the agency goes on.
BOOST_DATA_TEST_CASE(a_need_info_answered_reaches_two_agencies_and_ends_the_pause, both, backend) {
  Database db(backend, "needinfo");
  TestServer server([&](s::Config& c) { db.use(c); });
  const auto a = submit(server, askonce::test::coa_permanent);
  const std::string ssa_token = token_for(server, "ssa");
  const std::string status_path = "/api/v1/agencies/ssa/submissions/" + a.reference + "/status";
  const Headers ssa = {{"Authorization", "Bearer " + ssa_token}, {"Content-Type", "application/json"}};

  // fields must name what the agency receives, and go with need_info only.
  auto r = server.post(status_path, R"({"status": "need_info", "fields": ["old_address"]})", ssa);
  BOOST_TEST(r.status == 422, r.body);
  BOOST_TEST(r.body.find("contact.phone") != std::string::npos);
  BOOST_TEST(server.post(status_path, R"({"status": "in_review", "fields": ["contact.phone"]})", ssa).status == 422);

  // Asked five days ago (written through the store, so that the clock has days to pause).
  const auto day = [](s::TimePoint t) { return *askonce::engine::parse_date(s::iso_utc(t).substr(0, 10)); };
  s::AgencyStatus asked;
  asked.agency = "ssa";
  asked.seq = 1;
  asked.status = "need_info";
  asked.message_name = "need_proof_of_address";
  asked.fields = {"contact.phone"};
  asked.at = now() - std::chrono::hours(24 * 5);
  BOOST_TEST_REQUIRE(server.store().append_agency_status(a.reference, asked, std::nullopt, now()));
  r = server.get(status_path, ssa);
  BOOST_TEST(object(r.body)->getObject("status")->getArray("fields")->getElement<std::string>(0) == "contact.phone", r.body);

  Citizen citizen{server};
  const auto status = citizen.get(a.receipt);
  BOOST_TEST_REQUIRE(status.status == 200);
  BOOST_TEST(status.body.find("Answer the agency") != std::string::npos);
  BOOST_TEST(status.body.find("Send us a copy of a bill") != std::string::npos);
  // Another agency is not waiting: no such page.
  BOOST_TEST(citizen.get(correct_url(a.receipt, "usps")).status == 404);

  // Only the field it named is offered.
  const std::string url = correct_url(a.receipt, "ssa");
  citizen.get(url);
  const auto choice = citizen.post(url, coa_known);
  BOOST_TEST_REQUIRE(choice.status == 200, choice.body);
  BOOST_TEST(choice.body.find("value=\"contact.phone\"") != std::string::npos);
  BOOST_TEST(choice.body.find("value=\"new_address\"") == std::string::npos);
  BOOST_TEST(choice.body.find("Send us a copy of a bill") != std::string::npos);

  const auto done = correct(citizen, url, coa_known, "contact.phone", {{"contact.phone", "(202) 555-0199"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("Social Security Administration") != std::string::npos);
  BOOST_TEST(done.body.find("Department of Veterans Affairs") != std::string::npos);
  BOOST_TEST(done.body.find("Postal Service") == std::string::npos);
  for (const std::string agency : {"ssa", "va"}) {
    const auto items = feed(server, agency, token_for(server, agency), a.reference);
    BOOST_TEST_REQUIRE(items.size() == 2u, agency);
    BOOST_TEST((changed_of(items[1]) == std::vector<std::string>{"/contact.phone"}), agency);
  }
  BOOST_TEST(feed(server, "usps", token_for(server, "usps"), a.reference).size() == 1u);

  // The answer is a row of the agency's history; it is not waiting any more.
  r = server.get(status_path, ssa);
  BOOST_TEST(object(r.body)->getObject("status")->getValue<std::string>("status") == "answered");
  BOOST_TEST(citizen.get(url).status == 404);
  // The pause ran from the day asked to the day answered, and no longer: the due date is the
  // standard's (10 working days) from the day received, moved by those days.
  const auto stored = server.store().find_submission(a.reference);
  const auto received = *askonce::engine::parse_date(stored->date_received);
  const askonce::model::ServiceStandard ten{10, askonce::model::ServiceStandard::Unit::WorkingDays, {}, {}};
  const auto today = day(now());
  const auto paused = askonce::engine::due_date(received, ten, {{day(asked.at), today}});
  const auto open = askonce::engine::due_date(
      received, ten, {{day(asked.at), askonce::engine::civil_from_days(askonce::engine::days_from_civil(today) + 1)}});
  const auto page = citizen.get(a.receipt).body;
  const askonce::renderers::Wording words(server.app->catalog().find("change_of_address")->plan->form(), "en");
  BOOST_TEST(page.find("You answered the agency") != std::string::npos);
  BOOST_TEST(page.find("A decision is due by " + words.date(paused)) != std::string::npos, page);
  if (!(paused == open)) BOOST_TEST(page.find("due by " + words.date(open)) == std::string::npos);
  // The agency goes on from the answer.
  BOOST_TEST(server.post(status_path, R"({"status": "in_review"})", ssa).status == 201);
  BOOST_TEST(server.post(status_path, R"({"status": "answered"})", ssa).status == 422);
}

namespace {

/// Validates `xml` against the XSD the contract endpoint of `form`/`agency` publishes (with its
/// imports, fetched next to it), with libxml2. The problems; empty when valid.
std::string xsd_problems(TestServer& server, const std::string& form, const std::string& agency, const std::string& xml) {
  const std::string base = "/api/v1/forms/" + form + "/agencies/" + agency + "/";
  const auto main = server.get(base + "contract", {{"Accept", "application/xml"}});
  if (main.status != 200) return "no contract: " + main.body;
  const auto dir = server.dir() / ("xsd-" + agency);
  std::filesystem::create_directories(dir);
  std::ofstream((dir / "contract.xsd").string(), std::ios::binary) << main.body;
  for (auto at = main.body.find("schemaLocation=\""); at != std::string::npos; at = main.body.find("schemaLocation=\"", at + 1)) {
    const auto start = at + 16;
    const std::string file = main.body.substr(start, main.body.find('"', start) - start);
    std::ofstream((dir / file).string(), std::ios::binary) << server.get(base + file).body;
  }
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt((dir / "contract.xsd").string().c_str());
  xmlSchemaPtr schema = xmlSchemaParse(pc);
  xmlSchemaFreeParserCtxt(pc);
  if (!schema) return "the XSD does not parse";
  std::string problems;
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "view.xml", "UTF-8", XML_PARSE_NONET);
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  const int rc = doc ? xmlSchemaValidateDoc(vc, doc) : -1;
  if (rc != 0) problems = "invalid (" + std::to_string(rc) + ")";
  xmlSchemaFreeValidCtxt(vc);
  if (doc) xmlFreeDoc(doc);
  xmlSchemaFree(schema);
  return problems;
}

}  // namespace

// SF-424: its XML cannot say "only this changed": Grants.gov gets the whole new version, which
// still validates against its XSD, with the changed paths in the envelope (headers, and the
// XML feed's attributes).
BOOST_DATA_TEST_CASE(the_sf424_agency_gets_the_whole_version_valid_against_its_xsd, both, backend) {
  Database db(backend, "sf424");
  TestServer server([&](s::Config& c) { db.use(c); });
  const Fields sample = askonce::test::sample_answers("sf424");
  s::SubmitInput in;
  in.form = server.app->catalog().find("sf424");
  in.channel = "web";
  in.language = "en";
  in.fields = &sample;
  const auto out = s::submit(*server.app, in);
  BOOST_TEST_REQUIRE((out.status == s::SubmitOutcome::Status::Stored), askonce::engine::format_errors(out.checked.errors));
  const std::string receipt = s::receipt_path(out.stored->reference, out.receipt_secret);
  // What only the citizen knows here: the first date (the project's start) and the EIN's last 4.
  const Fields known = {{"known0.month", "9"}, {"known0.day", "1"}, {"known0.year", "2027"}, {"known1", "6789"},
                        {"askonce:check", "yes"}};
  Citizen citizen{server};
  const auto done = correct(citizen, correct_url(receipt), known, "phone_number", {{"phone_number", "301-555-0177"}});
  BOOST_TEST_REQUIRE(done.status == 200, done.body);
  BOOST_TEST(done.body.find("Grants.gov") != std::string::npos);

  const std::string token = token_for(server, "grants_gov");
  const Headers xml = {{"Authorization", "Bearer " + token}, {"Accept", "application/xml"}};
  const std::string path = "/api/v1/agencies/grants_gov/submissions/" + out.stored->reference;
  const auto v2 = server.get(path, xml);
  BOOST_TEST_REQUIRE(v2.status == 200, v2.body);
  BOOST_TEST(v2.header("askonce-view-version") == "2");
  BOOST_TEST(v2.header("askonce-changed") == "/SF424_4_0:PhoneNumber");
  BOOST_TEST(v2.body.find("+13015550177") != std::string::npos);  // canonical: E.164
  BOOST_TEST(v2.body.find("askonce-changed") == std::string::npos);
  BOOST_TEST(xsd_problems(server, "sf424", "grants_gov", v2.body).empty(), xsd_problems(server, "sf424", "grants_gov", v2.body));
  // The whole version: every element of version 1 is still there.
  const auto v1 = server.get(path + "?version=1", xml);
  BOOST_TEST(v1.body.find("+13015550100") != std::string::npos);
  BOOST_TEST(count(v1.body, "<globLib:") == count(v2.body, "<globLib:"));
  // The XML feed says the same in its attributes.
  const auto page = server.get("/api/v1/agencies/grants_gov/submissions", xml);
  BOOST_TEST(page.body.find("view-version=\"2\" amends=\"1\" changed=\"/SF424_4_0:PhoneNumber\"") != std::string::npos,
             page.body);
}

// `db copy` takes the amendments across: every version, its changed paths and digest, and the
// need_info answer; the feed reads the same on the copy.
BOOST_AUTO_TEST_CASE(db_copy_copies_amendments) {
  Database db(Backend::sqlite, "copy");
  std::string reference, receipt;
  std::vector<std::string> before;
  {
    TestServer server([&](s::Config& c) { db.use(c); });
    const auto a = submit(server, askonce::test::coa_permanent);
    Citizen citizen{server};
    const auto done = correct(citizen, correct_url(a.receipt), coa_known, "contact.phone", {{"contact.phone", "(202) 555-0142"}});
    BOOST_TEST_REQUIRE(done.status == 200, done.body);
    for (const auto& i : feed(server, "va", token_for(server, "va"))) {
      before.push_back(i->getValue<std::string>("reference") + " v" + i->getValue<std::string>("view_version") + " " +
                       i->getValue<std::string>("digest") + " " + (i->has("changed") ? changed_of(i)[0] : ""));
    }
    reference = a.reference;
  }
  BOOST_TEST_REQUIRE(before.size() == 2u);
  auto pg = askonce::test::fresh_pg_database();
  const auto copied = askonce::test::run_cli({"db", "copy", "--from", (db.dir / "askonce.db").string(), "--to", pg->conninfo()});
  BOOST_TEST_REQUIRE(copied.code == 0, copied.err);
  TestServer server([&](s::Config& c) {
    c.db = pg->conninfo();
    c.keys.file = db.keys;
  });
  std::vector<std::string> after;
  for (const auto& i : feed(server, "va", token_for(server, "va"))) {
    after.push_back(i->getValue<std::string>("reference") + " v" + i->getValue<std::string>("view_version") + " " +
                    i->getValue<std::string>("digest") + " " + (i->has("changed") ? changed_of(i)[0] : ""));
  }
  BOOST_TEST(after == before, boost::test_tools::per_element());
  BOOST_TEST(before[1].find("/contact.phone") != std::string::npos);
}
