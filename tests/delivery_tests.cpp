// tests/delivery_tests.cpp: webhook delivery (server/delivery/) on a real
// SQLite file and a real HTTP receiver on a loopback port, which checks every signature and
// applies each webhook-id once (counting second deliveries apart): signed deliveries, retries
// after Retry-After, an agency that is down and comes back, dead letters and their redrive,
// restart resume, one dead agency beside a live one, the signature vector of Standard
// Webhooks, the SSRF guard, and the `askonce agency-token` and `askonce deliveries` commands.
#define BOOST_TEST_MODULE delivery_tests
#include <boost/test/unit_test.hpp>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "server/cli/cli.hpp"
#include "server/delivery/delivery.hpp"
#include "tests/server_support.hpp"
#include "tests/test_support.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"
#include "server/delivery/webhook.hpp"

namespace fs = std::filesystem;
using namespace askonce::server;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using askonce::test::fresh_dir;
using askonce::test::run_cli;
using askonce::test::sqlite_options;

namespace askonce::server {
std::ostream& operator<<(std::ostream& o, DeliveryState s) { return o << to_string(s); }
}  // namespace askonce::server

namespace {

// The key of the Standard Webhooks libraries' own tests (libraries/*/tests in
// github.com/standard-webhooks/standard-webhooks).
const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

NewSubmission sample(int i, const std::vector<std::string>& agencies = {"SSA"}) {
  return askonce::test::sample_submission(i, agencies, "SSA");
}

/// Saves `n` and gives its reference.
std::string save(Store& store, const NewSubmission& n) {
  auto r = store.save_submission(n, now_ms());
  BOOST_TEST_REQUIRE(static_cast<int>(r.status) == static_cast<int>(SaveResult::Status::Stored));
  return r.submission->reference;
}

/// Polls `done` until it holds or `limit` passes; whether it held.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = 10s) {
  const auto end = Steady::now() + limit;
  while (Steady::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

DeliveryStatus status_of(Store& store, const std::string& reference, const std::string& agency) {
  auto s = store.find_submission(reference);
  BOOST_TEST_REQUIRE(s.has_value());
  for (const auto& d : s->deliveries) {
    if (d.agency == agency) return d;
  }
  BOOST_FAIL("no delivery to " + agency);
  return {};
}

/// A port nothing listens on (bound once to find it free, then closed).
Poco::UInt16 closed_port() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const auto port = probe.address().port();
  probe.close();
  return port;
}

std::string url_of(Poco::UInt16 port, const std::string& path = "/hook") {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

/// Options for tests: small backoff so retries come in milliseconds, loopback allowed.
DeliveryOptions fast(const std::string& worker = "test-worker") {
  DeliveryOptions o;
  o.base_backoff = 50ms;
  o.max_backoff = 400ms;
  o.timeout = 2s;
  o.lease = 3s;
  o.poll = 200ms;
  o.allow_private = true;
  o.worker = worker;
  return o;
}

// --- the receiver: an agency's endpoint ---

class Receiver {
 public:
  struct Request {
    std::string id, timestamp, content_type, reference, user_agent, body;
    std::map<std::string, std::string> envelope;  // the Askonce-* headers
    Steady::time_point at;
    int answered = 0;
  };

  /// Listens on 127.0.0.1:`port` (0: any free port), over TLS when `tls` is a server context.
  explicit Receiver(std::string key, Poco::UInt16 port = 0, Poco::Net::Context::Ptr tls = {})
      : state_(std::make_shared<State>()) {
    state_->secret = std::move(key);
    Poco::Net::ServerSocket socket;
    if (tls) socket = Poco::Net::SecureServerSocket(tls);
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true);
    socket.listen(64);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(5, 0));
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), pool_, socket, params);
    server_->start();
  }
  ~Receiver() { server_->stopAll(true); }

  Poco::UInt16 port() const { return port_; }
  std::string url(const std::string& path = "/hook") const { return url_of(port_, path); }

  /// The next `n` requests are answered `status`, with Retry-After when one is given.
  void fail_next(int n, int status = 503, std::string retry_after = "") {
    std::lock_guard lock(state_->mutex);
    state_->fail_count = n;
    state_->fail_status = status;
    state_->retry_after = std::move(retry_after);
  }
  /// Every request is answered `status` (200: applied as usual).
  void answer_always(int status) {
    std::lock_guard lock(state_->mutex);
    state_->always = status;
  }
  void delay(std::chrono::milliseconds d) {
    std::lock_guard lock(state_->mutex);
    state_->delay = d;
  }

  std::vector<Request> applied() const {
    std::lock_guard lock(state_->mutex);
    return state_->applied;
  }
  std::size_t applied_count() const {
    std::lock_guard lock(state_->mutex);
    return state_->applied.size();
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->requests;
  }
  int duplicates() const {
    std::lock_guard lock(state_->mutex);
    return state_->duplicates;
  }
  int bad_signatures() const {
    std::lock_guard lock(state_->mutex);
    return state_->bad_signatures;
  }

 private:
  struct State {
    std::mutex mutex;
    std::string secret;
    int fail_count = 0, fail_status = 503, always = 200;
    std::string retry_after;
    std::chrono::milliseconds delay{0};
    std::set<std::string> seen;
    std::vector<Request> applied, requests;
    int duplicates = 0, bad_signatures = 0;
  };

  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<State> s) : state_(std::move(s)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Request r;
      r.at = Steady::now();
      Poco::StreamCopier::copyToString(request.stream(), r.body);
      r.id = request.get("webhook-id", "");
      r.timestamp = request.get("webhook-timestamp", "");
      r.content_type = request.getContentType();
      r.reference = request.get("Askonce-Reference", "");
      for (const auto& [name, value] : request) {
        if (Poco::icompare(name.substr(0, 8), "Askonce-") == 0) r.envelope[name] = value;
      }
      r.user_agent = request.get("User-Agent", "");
      const std::string signature = request.get("webhook-signature", "");
      std::chrono::milliseconds delay;
      {
        std::lock_guard lock(state_->mutex);
        delay = state_->delay;
      }
      if (delay.count() > 0) std::this_thread::sleep_for(delay);
      int status = 200;
      std::string retry_after;
      {
        std::lock_guard lock(state_->mutex);
        if (!verify_signature(state_->secret, r.id, r.timestamp, signature, r.body, now_ms())) {
          ++state_->bad_signatures;
          status = 401;
        } else if (state_->fail_count > 0) {
          --state_->fail_count;
          status = state_->fail_status;
          retry_after = state_->retry_after;
        } else if (state_->always != 200) {
          status = state_->always;
        } else if (!state_->seen.insert(r.id).second) {
          ++state_->duplicates;  // applied before: acknowledged, not applied again
        } else {
          r.answered = 200;
          state_->applied.push_back(r);
        }
        r.answered = status;
        state_->requests.push_back(r);
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      if (!retry_after.empty()) response.set("Retry-After", retry_after);
      response.setContentType("text/plain");
      // A body the sender must never copy into its records.
      response.send() << (status == 200 ? "ok" : "internal detail: stack trace and SECRET-BODY");
    }

   private:
    std::shared_ptr<State> state_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(std::shared_ptr<State> s) : state_(std::move(s)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(state_);
    }

   private:
    std::shared_ptr<State> state_;
  };

  std::shared_ptr<State> state_;
  Poco::ThreadPool pool_{2, 16};
  Poco::UInt16 port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

/// A self-signed certificate for the name "localhost" (cert.pem) and its key (key.pem) in `dir`.
void make_localhost_certificate(const fs::path& dir) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  BOOST_TEST_REQUIRE(key != nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  BOOST_TEST_REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  FILE* f = std::fopen((dir / "cert.pem").c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen((dir / "key.pem").c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

/// Outcomes the worker reported, by agency and outcome.
struct Observed {
  std::mutex mutex;
  std::map<std::string, int> counts;  // "SSA delivered" -> n
  DeliveryObserver observer() {
    return [this](const std::string& agency, std::string_view outcome, double) {
      std::lock_guard lock(mutex);
      ++counts[agency + " " + std::string(outcome)];
    };
  }
  int operator()(const std::string& key) {
    std::lock_guard lock(mutex);
    return counts.count(key) ? counts[key] : 0;
  }
};

}  // namespace

// --- signatures ---

BOOST_AUTO_TEST_CASE(signature_matches_the_standard_webhooks_vector) {
  // From the Standard Webhooks libraries' test suites (TestWebhookSign / test_sign_function).
  const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  const std::int64_t ts = 1614265330;
  const std::string body = R"({"test": 2432232314})";
  const std::string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  BOOST_TEST(sign_webhook(secret, id, ts, body) == expected);
  BOOST_TEST(sign_webhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id, ts, body) == expected);  // without the prefix

  const TimePoint at = TimePoint(std::chrono::seconds(ts));
  BOOST_TEST(verify_signature(secret, id, "1614265330", expected, body, at));
  // A list of signatures (key rotation): any v1 one that matches; other versions are ignored.
  BOOST_TEST(verify_signature(secret, id, "1614265330",
                              "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz " + expected, body, at));
  BOOST_TEST(!verify_signature(secret, id, "1614265330", "v2," + expected.substr(3), body, at));
  // Tampered: body, id, timestamp, signature, key.
  BOOST_TEST(!verify_signature(secret, id, "1614265330", expected, R"({"test": 2432232315})", at));
  BOOST_TEST(!verify_signature(secret, "msg_other", "1614265330", expected, body, at));
  BOOST_TEST(!verify_signature(secret, id, "1614265331", expected, body, at + 1s));
  BOOST_TEST(!verify_signature(secret, id, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", body, at));
  BOOST_TEST(!verify_signature(new_webhook_secret(), id, "1614265330", expected, body, at));
  // Too old or too new: outside five minutes either way, by default.
  BOOST_TEST(verify_signature(secret, id, "1614265330", expected, body, at + 300s));
  BOOST_TEST(!verify_signature(secret, id, "1614265330", expected, body, at + 301s));
  BOOST_TEST(!verify_signature(secret, id, "1614265330", expected, body, at - 301s));
  BOOST_TEST(!verify_signature(secret, id, "1614265330", expected, body, at + 60s, 30s));
  // Malformed input is a refusal, not an exception.
  BOOST_TEST(!verify_signature(secret, id, "16142653x0", expected, body, at));
  BOOST_TEST(!verify_signature(secret, id, "", expected, body, at));
  BOOST_TEST(!verify_signature(secret, "", "1614265330", expected, body, at));
  BOOST_TEST(!verify_signature("whsec_not base64!", id, "1614265330", expected, body, at));
}

BOOST_AUTO_TEST_CASE(secrets_are_checked_and_never_echoed) {
  BOOST_TEST(webhook_key(secret).value_or("").size() == 24u);
  BOOST_TEST(!webhook_key("whsec_c2hvcnQ=").has_value());  // "short": under 16 bytes
  BOOST_TEST(!webhook_key("whsec_***").has_value());
  const std::string fresh = new_webhook_secret();
  BOOST_TEST(fresh.starts_with("whsec_"));
  BOOST_TEST(webhook_key(fresh).value_or("").size() == 32u);
  BOOST_TEST(new_webhook_secret() != fresh);
  try {
    sign_webhook("whsec_SECRETVALUE!", "msg_1", 1, "{}");
    BOOST_FAIL("a malformed secret signs nothing");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("SECRETVALUE") == std::string::npos, e.what());
  }
}

// --- the SSRF guard ---

BOOST_AUTO_TEST_CASE(webhook_urls_to_internal_addresses_are_refused) {
  const std::vector<std::string> internal = {
      "http://127.0.0.1/hook",        "http://localhost:8080/hook", "http://10.1.2.3/",
      "http://172.16.0.1/",           "http://172.31.255.255/",     "http://192.168.1.1/",
      "http://100.64.0.1/",           "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/",                "http://[fe80::1]/",          "http://[fc00::1]/",
      "http://[fd12:3456::1]/",       "http://0.0.0.0/",            "http://[::]/",
      "http://224.0.0.1/",            "http://255.255.255.255/",    "http://[ff02::1]/",
      "http://[::ffff:127.0.0.1]/",   "http://[::ffff:10.0.0.1]/",  "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::a00:1]/",     "http://[2002:c0a8:101::1]/", "http://2130706433/",
      "https://127.0.0.1/",
  };
  for (const auto& url : internal) {
    const auto problem = check_webhook_url(url, false);
    BOOST_TEST(problem.has_value(), url);
    if (problem) BOOST_TEST(problem->find("address") != std::string::npos, url + ": " + *problem);
  }
  BOOST_TEST(check_webhook_url("http://127.0.0.1/", false).value_or("").find("loopback") != std::string::npos);
  BOOST_TEST(check_webhook_url("http://169.254.169.254/", false).value_or("").find("link-local") != std::string::npos);
  BOOST_TEST(check_webhook_url("http://10.1.2.3/", false).value_or("").find("private") != std::string::npos);

  // Allowed for tests and for an agency inside the same network, when the deployment says so.
  for (const std::string url : {"http://127.0.0.1:9/hook", "http://localhost/", "http://[::1]:8443/", "http://10.1.2.3/"}) {
    BOOST_TEST(!check_webhook_url(url, true).has_value(), url);
  }
  // Never allowed, whatever the addresses.
  for (const std::string url : {"ftp://example.org/hook", "file:///etc/passwd", "gopher://127.0.0.1/",
                                "http://user:hunter2@127.0.0.1/", "https://agency@93.184.216.34/", "//127.0.0.1/",
                                "http:///hook", "http://127.0.0.1:0/"}) {
    const auto problem = check_webhook_url(url, true);
    BOOST_TEST(problem.has_value(), url);
    if (problem) BOOST_TEST(problem->find("hunter2") == std::string::npos, *problem);
  }
  BOOST_TEST(check_webhook_url("ftp://example.org/", true).value_or("").find("'ftp'") != std::string::npos);

  // A public address passes, and is the one the worker will connect to.
  const auto r = resolve_webhook("https://93.184.216.34/agency/hook?x=1#frag", false);
  BOOST_TEST_REQUIRE(r.endpoint.has_value(), r.error);
  BOOST_TEST(r.endpoint->https);
  BOOST_TEST(r.endpoint->addresses == std::vector<std::string>{"93.184.216.34"});
  BOOST_TEST(r.endpoint->port == 443);
  BOOST_TEST(r.endpoint->target == "/agency/hook?x=1");
  BOOST_TEST(r.endpoint->host_header == "93.184.216.34");
  const auto v6 = resolve_webhook("http://[2001:4860:4860::8888]:8080", false);
  BOOST_TEST_REQUIRE(v6.endpoint.has_value(), v6.error);
  BOOST_TEST(v6.endpoint->host_header == "[2001:4860:4860::8888]:8080");
  BOOST_TEST(v6.endpoint->target == "/");
  BOOST_TEST(!special_address("8.8.8.8").has_value());
  BOOST_TEST(special_address("::ffff:192.168.0.1").value_or("") == "private");
}

BOOST_AUTO_TEST_CASE(the_guard_applies_at_delivery_time) {
  Receiver receiver(secret);
  SqliteStore store(sqlite_options(fresh_dir("delivery", "guard") / "askonce.db"));
  const auto ref = save(store, sample(1));
  auto o = fast();
  o.allow_private = false;
  o.max_attempts = 1;
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  BOOST_TEST(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Dead; }));
  worker.stop();
  BOOST_TEST(status_of(store, ref, "SSA").last_error.find("loopback") != std::string::npos,
             status_of(store, ref, "SSA").last_error);
  BOOST_TEST(receiver.requests().empty());
}

BOOST_AUTO_TEST_CASE(malformed_targets_are_refused_without_echoing_the_secret) {
  SqliteStore store(sqlite_options(fresh_dir("delivery", "targets") / "askonce.db"));
  const auto refused = [&](std::vector<WebhookTarget> targets, DeliveryOptions o, const std::string& expected) {
    try {
      DeliveryWorker worker(store, std::move(targets), o);
      BOOST_ERROR("accepted: " + expected);
    } catch (const std::invalid_argument& e) {
      const std::string m = e.what();
      BOOST_TEST(m.find(expected) != std::string::npos, m);
      BOOST_TEST(m.find("TOPSECRET") == std::string::npos, m);
    }
  };
  refused({{"SSA", "http://127.0.0.1/", "whsec_TOPSECRET!!"}}, fast(), "SSA");
  refused({{"SSA", "ftp://127.0.0.1/", secret}}, fast(), "'ftp'");
  refused({{"SSA", "http://127.0.0.1/a", secret}, {"SSA", "http://127.0.0.1/b", secret}}, fast(), "two webhooks");
  auto o = fast();
  o.lease = o.timeout;
  refused({{"SSA", "http://127.0.0.1/", secret}}, o, "lease");
  // An agency without a URL pulls: not the worker's business, and not an error.
  DeliveryWorker pulls_only(store, {{"USPS", "", ""}}, fast());
  pulls_only.start();
  pulls_only.stop();
}

// --- delivery ---

BOOST_AUTO_TEST_CASE(a_delivery_arrives_signed_and_is_marked_delivered) {
  Receiver receiver(secret);
  SqliteStore store(sqlite_options(fresh_dir("delivery", "signed") / "askonce.db"));
  Observed observed;
  auto o = fast();
  o.poll = 60s;  // only notify() can make this prompt
  o.observer = observed.observer();
  DeliveryWorker worker(store, {{"SSA", receiver.url("/ssa?v=1"), secret}}, o);
  worker.start();
  std::this_thread::sleep_for(50ms);  // the worker has looked, found nothing, and waits
  auto n = sample(7, {"SSA", "USPS"});
  n.channel = "mail";  // a paper form keyed by staff: the envelope says so
  n.language = "es";
  n.staff_id = 3;
  n.date_received = "2024-04-29";
  const auto ref = save(store, n);
  const auto saved = Steady::now();
  worker.notify();
  BOOST_TEST_REQUIRE(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Delivered; }, 5s));
  BOOST_TEST((Steady::now() - saved < 2s));

  const auto applied = receiver.applied();
  BOOST_TEST_REQUIRE(applied.size() == 1u);
  BOOST_TEST(applied[0].id == "msg_" + ref + "_SSA");
  BOOST_TEST(applied[0].body == n.views[0].json);
  BOOST_TEST(applied[0].content_type == "application/json");
  BOOST_TEST(applied[0].reference == ref);
  // The envelope travels as headers, the same ones the pull API gives (docs/agencies.md).
  const std::map<std::string, std::string> envelope = {
      {"Askonce-Reference", ref},
      {"Askonce-Form", n.form_id},
      {"Askonce-Form-Version", "1"},
      {"Askonce-Definition-Hash", n.definition_hash},
      {"Askonce-Submission-Digest", n.digest},
      {"Askonce-Received", n.received},
      {"Askonce-Date-Received", "2024-04-29"},
      {"Askonce-Channel", "mail"},
      {"Askonce-Language", "es"},
      {"Askonce-Agency", "SSA"},
      {"Askonce-View-Version", "1"}};  // as submitted: no Askonce-Amends, no Askonce-Changed
  BOOST_TEST((applied[0].envelope == envelope));
  // The worker names itself: the node's name and a random id of this worker object.
  BOOST_TEST(applied[0].user_agent.starts_with("askonce-webhooks/0.1 (worker test-worker-"),
             applied[0].user_agent);
  BOOST_TEST(receiver.bad_signatures() == 0);
  BOOST_TEST(observed("SSA delivered") == 1);
  // USPS has no webhook: it pulls, and the worker leaves its row alone.
  const auto usps = status_of(store, ref, "USPS");
  BOOST_TEST(usps.state == DeliveryState::Pending);
  BOOST_TEST(usps.attempts == 0);
  worker.stop();
}

BOOST_AUTO_TEST_CASE(an_xml_target_gets_the_xml_view) {
  Receiver receiver(secret);
  SqliteStore store(sqlite_options(fresh_dir("delivery", "xml") / "askonce.db"));
  const auto n = sample(3, {"SSA"});
  const auto ref = save(store, n);
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret, true}}, fast());
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 1; }));
  worker.stop();
  const auto applied = receiver.applied();
  BOOST_TEST(applied[0].content_type == "application/xml");
  BOOST_TEST(applied[0].body == *n.views[0].xml);
  BOOST_TEST(receiver.bad_signatures() == 0);
}

BOOST_AUTO_TEST_CASE(retry_after_is_honoured_and_each_delivery_applied_once) {
  Receiver receiver(secret);
  receiver.fail_next(3, 503, "1");
  SqliteStore store(sqlite_options(fresh_dir("delivery", "retry-after") / "askonce.db"));
  const auto a = save(store, sample(1));
  const auto b = save(store, sample(2));
  Observed observed;
  auto o = fast();
  o.max_backoff = 5s;  // Retry-After is capped by max_backoff
  o.observer = observed.observer();
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 2; }));
  BOOST_TEST(eventually([&] {
    return status_of(store, a, "SSA").state == DeliveryState::Delivered &&
           status_of(store, b, "SSA").state == DeliveryState::Delivered;
  }));
  worker.stop();
  BOOST_TEST(receiver.duplicates() == 0);
  BOOST_TEST(receiver.bad_signatures() == 0);
  const auto requests = receiver.requests();
  BOOST_TEST(requests.size() == 5u);  // three 503s, then one 200 each
  // Every retry of a row came at least Retry-After (1 s) after the 503 before it, with the
  // same webhook-id.
  std::map<std::string, Steady::time_point> last;
  for (const auto& r : requests) {
    if (last.count(r.id)) {
      BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(r.at - last[r.id]).count() >= 990, r.id);
    }
    last[r.id] = r.at;
  }
  BOOST_TEST(last.size() == 2u);
  BOOST_TEST(status_of(store, a, "SSA").attempts + status_of(store, b, "SSA").attempts == 3);
  BOOST_TEST(observed("SSA retry") == 3);
  BOOST_TEST(observed("SSA delivered") == 2);
}

BOOST_AUTO_TEST_CASE(retry_after_as_an_http_date) {
  Receiver receiver(secret);
  // Three seconds from now in whole seconds: at least two from now, and so at least one after
  // the first request, whenever within the next second it comes.
  const Poco::DateTime in_three_seconds(Poco::Timestamp() + Poco::Timespan(3, 0));
  receiver.fail_next(1, 429, Poco::DateTimeFormatter::format(in_three_seconds, Poco::DateTimeFormat::HTTP_FORMAT));
  SqliteStore store(sqlite_options(fresh_dir("delivery", "retry-date") / "askonce.db"));
  save(store, sample(1));
  auto o = fast();
  o.max_backoff = 5s;
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 1; }));
  worker.stop();
  const auto requests = receiver.requests();
  BOOST_TEST_REQUIRE(requests.size() == 2u);
  // The date has whole seconds: at least one second later, where the backoff alone is 50-100 ms.
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(requests[1].at - requests[0].at).count() >= 990);
}

BOOST_AUTO_TEST_CASE(an_agency_that_is_down_gets_everything_when_it_comes_back) {
  const auto port = closed_port();
  SqliteStore store(sqlite_options(fresh_dir("delivery", "down-up") / "askonce.db"));
  std::vector<std::string> refs;
  for (int i = 0; i < 3; ++i) refs.push_back(save(store, sample(i)));
  auto o = fast();
  o.max_backoff = 200ms;
  DeliveryWorker worker(store, {{"SSA", url_of(port), secret}}, o);
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return status_of(store, refs[0], "SSA").attempts >= 2; }));
  BOOST_TEST(status_of(store, refs[0], "SSA").last_error == "connection refused");
  BOOST_TEST(status_of(store, refs[0], "SSA").state == DeliveryState::Pending);

  Receiver receiver(secret, port);  // the agency is back, on the same port
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 3; }));
  for (const auto& ref : refs) {
    BOOST_TEST(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Delivered; }), ref);
  }
  worker.stop();
  BOOST_TEST(receiver.duplicates() == 0);
  BOOST_TEST(receiver.bad_signatures() == 0);
}

BOOST_AUTO_TEST_CASE(max_attempts_make_a_dead_letter_and_redrive_delivers_it) {
  Receiver receiver(secret);
  receiver.answer_always(500);
  SqliteStore store(sqlite_options(fresh_dir("delivery", "dead") / "askonce.db"));
  const auto ref = save(store, sample(1));
  Observed observed;
  auto o = fast();
  o.max_attempts = 3;
  o.observer = observed.observer();
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return !store.dead_letters(0, 10).empty(); }));
  const auto dead = store.dead_letters(0, 10);
  BOOST_TEST_REQUIRE(dead.size() == 1u);
  BOOST_TEST(dead[0].agency == "SSA");
  BOOST_TEST(dead[0].attempts == 3);
  BOOST_TEST(dead[0].last_error == "HTTP 500");  // never the response body
  BOOST_TEST(observed("SSA retry") == 2);
  BOOST_TEST(observed("SSA dead") == 1);
  // Three attempts, one webhook-id: a receiver can tell a retry from a new message.
  const auto requests = receiver.requests();
  BOOST_TEST_REQUIRE(requests.size() == 3u);
  for (const auto& r : requests) BOOST_TEST(r.id == "msg_" + ref + "_SSA");
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(receiver.requests().size() == 3u);  // dead means no more attempts

  receiver.answer_always(200);
  BOOST_TEST(store.redrive(dead[0].id, now_ms()));
  worker.notify();
  BOOST_TEST_REQUIRE(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Delivered; }));
  worker.stop();
  BOOST_TEST(receiver.applied_count() == 1u);
  BOOST_TEST(observed("SSA delivered") == 1);
  BOOST_TEST(store.dead_letters(0, 10).empty());
}

BOOST_AUTO_TEST_CASE(rows_saved_with_no_worker_running_are_delivered_at_start) {
  Receiver receiver(secret);
  const auto db = fresh_dir("delivery", "no-worker") / "askonce.db";
  std::vector<std::string> refs;
  {
    SqliteStore before(sqlite_options(db));
    for (int i = 0; i < 3; ++i) refs.push_back(save(before, sample(i)));
  }
  SqliteStore store(sqlite_options(db));  // the server starts again on the same file
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, fast());
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 3; }));
  for (const auto& ref : refs) {
    BOOST_TEST(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Delivered; }), ref);
  }
  worker.stop();
  BOOST_TEST(receiver.duplicates() == 0);
}

BOOST_AUTO_TEST_CASE(a_worker_stopped_midway_leaves_the_rest_to_the_next_one) {
  Receiver receiver(secret);
  receiver.delay(300ms);
  const auto db = fresh_dir("delivery", "restart") / "askonce.db";
  std::vector<std::string> refs;
  {
    SqliteStore store(sqlite_options(db));
    for (int i = 0; i < 4; ++i) refs.push_back(save(store, sample(i)));
    auto o = fast("worker-1");
    o.timeout = 1s;
    o.lease = 1500ms;
    DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
    worker.start();
    BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() >= 1; }));
    const auto asked = Steady::now();
    worker.stop();
    // Prompt: at most the request in flight (300 ms here, never more than the timeout).
    BOOST_TEST((Steady::now() - asked < 1s));
  }
  const auto before = receiver.applied_count();
  BOOST_TEST(before < 4u);

  SqliteStore store(sqlite_options(db));
  auto o = fast("worker-2");
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  // The rows the first worker claimed but did not send are due again when its lease runs out.
  BOOST_TEST_REQUIRE(eventually([&] { return receiver.applied_count() == 4; }));
  for (const auto& ref : refs) {
    BOOST_TEST(eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Delivered; }), ref);
  }
  worker.stop();
  // The request in flight at the stop was finished and marked, so nothing went twice.
  BOOST_TEST(receiver.duplicates() == 0);
  BOOST_TEST(receiver.bad_signatures() == 0);
}

BOOST_AUTO_TEST_CASE(a_dead_agency_does_not_delay_another) {
  Receiver usps(secret);
  // SSA accepts connections and never answers (the worst kind of dead); VA's port is closed.
  Poco::Net::ServerSocket hanging(Poco::Net::SocketAddress("127.0.0.1", 0));
  hanging.listen(64);
  const auto va_port = closed_port();
  SqliteStore store(sqlite_options(fresh_dir("delivery", "isolation") / "askonce.db"));
  std::vector<std::string> refs;
  for (int i = 0; i < 5; ++i) refs.push_back(save(store, sample(i, {"SSA", "VA", "USPS"})));
  auto o = fast();
  o.timeout = 2s;
  o.lease = 3s;
  DeliveryWorker worker(store,
                        {{"SSA", url_of(hanging.address().port()), secret},
                         {"VA", url_of(va_port), secret},
                         {"USPS", usps.url(), secret}},
                        o);
  const auto started = Steady::now();
  worker.start();
  BOOST_TEST_REQUIRE(eventually([&] { return usps.applied_count() == 5; }));
  // One hung SSA request alone takes 2 s; USPS did not wait behind it.
  BOOST_TEST((Steady::now() - started < 1500ms));
  BOOST_TEST(eventually([&] { return status_of(store, refs[0], "VA").last_error == "connection refused"; }));
  // The hung request ends at the timeout, however long the agency would hold it.
  BOOST_TEST(eventually([&] { return status_of(store, refs[0], "SSA").attempts >= 1; }, 4s));
  BOOST_TEST(status_of(store, refs[0], "SSA").last_error == "timed out after 2 s");
  const auto asked = Steady::now();
  worker.stop();
  BOOST_TEST((Steady::now() - asked < 2500ms));
  for (const auto& ref : refs) BOOST_TEST(status_of(store, ref, "USPS").state == DeliveryState::Delivered);
}

BOOST_AUTO_TEST_CASE(a_trickling_agency_is_cut_off_at_the_timeout) {
  // Answers one byte every 100 ms, forever: no single read waits long enough to time out, so
  // only a bound on the whole request ends it.
  Poco::Net::ServerSocket slow(Poco::Net::SocketAddress("127.0.0.1", 0));
  slow.listen(8);
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      if (!slow.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket s = slow.acceptConnection();
      const std::string reply = "HTTP/1.1 200 OK\r\nX-Slow: " + std::string(100000, 'z');
      try {
        for (std::size_t i = 0; i < reply.size() && !done; ++i) {
          s.sendBytes(&reply[i], 1, MSG_NOSIGNAL);
          std::this_thread::sleep_for(100ms);
        }
      } catch (const Poco::Exception&) {
        // the worker gave up and closed: what this test waits for
      }
    }
  });
  SqliteStore store(sqlite_options(fresh_dir("delivery", "trickle") / "askonce.db"));
  const auto ref = save(store, sample(1));
  auto o = fast();
  o.timeout = 1s;
  o.lease = 2s;
  DeliveryWorker worker(store, {{"SSA", url_of(slow.address().port()), secret}}, o);
  const auto started = Steady::now();
  worker.start();
  // The first attempt's outcome is read as soon as it is recorded: a retry that starts before the
  // trickling server is told to stop ends differently (the server closes it unread: a reset).
  std::string first_error;
  DeliveryState first_state = DeliveryState::Delivered;
  const bool failed = eventually(
      [&] {
        const auto s = status_of(store, ref, "SSA");
        if (s.attempts < 1) return false;
        first_error = s.last_error;
        first_state = s.state;
        return true;
      },
      5s);
  const auto took = Steady::now() - started;
  done = true;  // first, so that a worker that would wait forever is let go
  worker.stop();
  trickle.join();
  BOOST_TEST_REQUIRE(failed);
  BOOST_TEST((took < 1800ms));
  BOOST_TEST(first_error == "timed out after 1 s");
  BOOST_TEST(first_state == DeliveryState::Pending);
}

BOOST_AUTO_TEST_CASE(an_agency_that_hangs_up_mid_request_is_a_failure_not_a_crash) {
  // Reads the request line and headers, then closes: the rest of a large body meets a closed
  // connection (EPIPE, which would be a SIGPIPE that kills the process if it were delivered).
  Poco::Net::ServerSocket rude(Poco::Net::SocketAddress("127.0.0.1", 0));
  rude.listen(8);
  std::atomic<bool> done{false};
  std::atomic<int> hung_up{0};
  std::thread hang_up([&] {
    while (!done) {
      if (!rude.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket s = rude.acceptConnection();
      std::string head;
      char buffer[1024];
      while (head.find("\r\n\r\n") == std::string::npos) {
        const int n = s.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) break;
        head.append(buffer, static_cast<std::size_t>(n));
      }
      s.close();
      ++hung_up;
    }
  });
  SqliteStore store(sqlite_options(fresh_dir("delivery", "hang-up") / "askonce.db"));
  auto n = sample(1);
  n.views[0].json = R"({"padding":")" + std::string(8u << 20, 'x') + R"("})";
  const auto ref = save(store, n);
  auto o = fast();
  o.max_attempts = 2;
  DeliveryWorker worker(store, {{"SSA", url_of(rude.address().port()), secret}}, o);
  worker.start();
  const bool dead = eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Dead; });
  worker.stop();
  done = true;
  hang_up.join();
  BOOST_TEST_REQUIRE(dead);
  BOOST_TEST(hung_up == 2);
  const auto error = status_of(store, ref, "SSA").last_error;
  BOOST_TEST((error == "connection reset" || error.find("pipe") != std::string::npos), error);
}

BOOST_AUTO_TEST_CASE(https_to_a_server_without_tls_fails_as_a_tls_error) {
  // A plain HTTP server that answers at once, whatever it is sent (a TLS hello included).
  Poco::Net::ServerSocket plain(Poco::Net::SocketAddress("127.0.0.1", 0));
  plain.listen(8);
  std::thread answer([&plain] {
    Poco::Net::StreamSocket s = plain.acceptConnection();
    const std::string reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    s.sendBytes(reply.data(), static_cast<int>(reply.size()));
    s.shutdownSend();
    std::this_thread::sleep_for(200ms);
  });
  SqliteStore store(sqlite_options(fresh_dir("delivery", "tls") / "askonce.db"));
  const auto ref = save(store, sample(1));
  auto o = fast();
  o.max_attempts = 1;
  DeliveryWorker worker(store, {{"SSA", "https://127.0.0.1:" + std::to_string(plain.address().port()) + "/", secret}}, o);
  worker.start();
  const bool dead = eventually([&] { return status_of(store, ref, "SSA").state == DeliveryState::Dead; });
  worker.stop();
  answer.join();
  BOOST_TEST_REQUIRE(dead);
  BOOST_TEST(status_of(store, ref, "SSA").last_error.starts_with("TLS"), status_of(store, ref, "SSA").last_error);
}

BOOST_AUTO_TEST_CASE(https_connects_to_the_checked_address_and_verifies_the_host_name) {
  Poco::Net::initializeSSL();
  const auto dir = fresh_dir("delivery", "https");
  make_localhost_certificate(dir);
  Poco::Net::Context::Params server_params;
  server_params.privateKeyFile = (dir / "key.pem").string();
  server_params.certificateFile = (dir / "cert.pem").string();
  server_params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  server_params.loadDefaultCAs = false;
  {
    Receiver receiver(secret, 0, new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, server_params));
    SqliteStore store(sqlite_options(dir / "askonce.db"));
    const auto trusted = save(store, sample(1, {"SSA"}));
    const auto wrong_name = save(store, sample(2, {"VA"}));
    const auto untrusted = save(store, sample(3, {"USPS"}));
    const std::string port = std::to_string(receiver.port());
    auto o = fast();
    o.max_attempts = 1;
    o.ca_file = (dir / "cert.pem").string();
    // "localhost" is resolved and checked once; the certificate is checked against the name.
    DeliveryWorker worker(store,
                          {{"SSA", "https://localhost:" + port + "/hook", secret},
                           {"VA", "https://127.0.0.1:" + port + "/hook", secret}},
                          o);
    auto u = fast("worker-untrusted");
    u.max_attempts = 1;  // no ca_file: the system's CAs do not know this certificate
    DeliveryWorker without_ca(store, {{"USPS", "https://localhost:" + port + "/hook", secret}}, u);
    worker.start();
    without_ca.start();
    BOOST_TEST(eventually([&] {
      return status_of(store, trusted, "SSA").state == DeliveryState::Delivered &&
             status_of(store, wrong_name, "VA").state == DeliveryState::Dead &&
             status_of(store, untrusted, "USPS").state == DeliveryState::Dead;
    }));
    worker.stop();
    without_ca.stop();
    BOOST_TEST(status_of(store, trusted, "SSA").state == DeliveryState::Delivered, status_of(store, trusted, "SSA").last_error);
    const auto applied = receiver.applied();
    BOOST_TEST_REQUIRE(applied.size() == 1u);
    BOOST_TEST(applied[0].id == "msg_" + trusted + "_SSA");
    BOOST_TEST(receiver.bad_signatures() == 0);
    // The certificate names localhost, not 127.0.0.1; and an unknown CA is refused.
    BOOST_TEST(status_of(store, wrong_name, "VA").last_error.starts_with("TLS"), status_of(store, wrong_name, "VA").last_error);
    BOOST_TEST(status_of(store, untrusted, "USPS").last_error.starts_with("TLS"),
               status_of(store, untrusted, "USPS").last_error);
  }
  Poco::Net::uninitializeSSL();
}

// --- the command line ---

BOOST_AUTO_TEST_CASE(agency_token_create_list_revoke) {
  const auto db = (fresh_dir("delivery", "cli-tokens") / "askonce.db").string();
  const auto created = run_cli({"agency-token", "create", "ssa", "--db", db});
  BOOST_TEST_REQUIRE(created.code == 0, created.err);
  const std::string token = created.out.substr(0, created.out.find('\n'));
  BOOST_TEST(std::regex_match(token, std::regex("aot_[0-9A-Z]{8}_[A-Za-z0-9_-]{43}")), token);
  BOOST_TEST(created.out == token + "\n");  // the token alone on stdout, for scripts
  BOOST_TEST(created.err.find("will not be shown again") != std::string::npos, created.err);
  BOOST_TEST(created.err.find(token) == std::string::npos);
  const std::string id = token.substr(4, 8);

  {
    SqliteStore store(sqlite_options(db));
    BOOST_TEST(store.verify_token(token).value_or("") == "ssa");
  }
  const auto listed = run_cli({"agency-token", "list", "ssa", "--db", db});
  BOOST_TEST(listed.code == 0, listed.err);
  BOOST_TEST(listed.out.find(id) != std::string::npos, listed.out);
  BOOST_TEST(listed.out.find("active") != std::string::npos, listed.out);
  BOOST_TEST(listed.out.find(token) == std::string::npos);  // the secret is never shown again
  const auto none = run_cli({"agency-token", "list", "usps", "--db", db});
  BOOST_TEST(none.code == 0);
  BOOST_TEST(none.out == "agency usps has no tokens\n");

  const auto revoked = run_cli({"agency-token", "revoke", id, "--db", db});
  BOOST_TEST(revoked.code == 0, revoked.err);
  BOOST_TEST(revoked.out == "revoked token " + id + "\n");
  {
    SqliteStore store(sqlite_options(db));
    BOOST_TEST(!store.verify_token(token).has_value());
  }
  BOOST_TEST(run_cli({"agency-token", "list", "ssa", "--db", db}).out.find("revoked") != std::string::npos);
  const auto again = run_cli({"agency-token", "revoke", id, "--db", db});
  BOOST_TEST(again.code == 1);
  BOOST_TEST(again.err.find("no active token '" + id + "'") != std::string::npos, again.err);

  // A name no form has is refused before anything is stored, with the name it probably is: the
  // docs once wrote SSA for the form's ssa, and such a token would list nothing for ever.
  const auto upper = run_cli({"agency-token", "create", "SSA", "--db", db});
  BOOST_TEST(upper.code == 2);
  BOOST_TEST(upper.err.find("no form in forms has an agency 'SSA'; did you mean 'ssa'?") != std::string::npos, upper.err);
  BOOST_TEST(upper.err.find("the agencies of these forms: ") != std::string::npos, upper.err);
  BOOST_TEST(upper.out.empty());
  const auto typo = run_cli({"agency-token", "list", "uspss", "--db", db});
  BOOST_TEST(typo.code == 2);
  BOOST_TEST(typo.err.find("did you mean 'usps'?") != std::string::npos, typo.err);
  BOOST_TEST(run_cli({"agency-token", "create", "ssa", "--db", db, "--forms", "no/such/folder"}).code == 2);
  {
    SqliteStore store(sqlite_options(db));
    BOOST_TEST(store.list_tokens("SSA").empty());
  }

  // Usage errors, and a database that is not there.
  BOOST_TEST(run_cli({"agency-token"}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "make", "ssa"}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "create"}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "create", "ssa", "usps", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "create", "s s a", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "create", "ssa", "--db"}).code == 2);
  BOOST_TEST(run_cli({"agency-token", "create", "ssa", "--frob", "--db", db}).code == 2);
  const auto missing = run_cli({"agency-token", "list", "ssa", "--db", db + ".typo"});
  BOOST_TEST(missing.code == 1);
  BOOST_TEST(missing.err.find("no database at") != std::string::npos, missing.err);
  BOOST_TEST(!fs::exists(db + ".typo"));
}

BOOST_AUTO_TEST_CASE(deliveries_list_and_retry) {
  const auto db = (fresh_dir("delivery", "cli-deliveries") / "askonce.db").string();
  std::vector<std::int64_t> dead_ids;
  {
    SqliteStore store(sqlite_options(db));
    for (int i = 0; i < 3; ++i) save(store, sample(i, {"SSA", "USPS"}));
  }
  const auto empty = run_cli({"deliveries", "list", "--db", db});
  BOOST_TEST(empty.code == 0, empty.err);
  BOOST_TEST(empty.out == "no dead letters: every delivery was delivered or is still being retried\n");

  {
    SqliteStore store(sqlite_options(db));
    ClaimRequest claim;
    claim.worker = "w";
    claim.now = now_ms();
    claim.agency = "SSA";
    for (const auto& item : store.claim_deliveries(claim)) {
      BOOST_TEST(store.mark_failed(item.outbox_id, "w", "HTTP 503", std::nullopt));
      dead_ids.push_back(item.outbox_id);
    }
  }
  BOOST_TEST_REQUIRE(dead_ids.size() == 3u);
  const auto listed = run_cli({"deliveries", "list", "--db", db});
  BOOST_TEST(listed.code == 0, listed.err);
  BOOST_TEST(listed.out.find("ID  AGENCY  ATTEMPTS  LAST ERROR\n") == 0u, listed.out);
  for (const auto id : dead_ids) {
    BOOST_TEST(listed.out.find(std::to_string(id) + "   SSA     1         HTTP 503\n") != std::string::npos, listed.out);
  }
  BOOST_TEST(listed.out.find("3 dead letters") != std::string::npos, listed.out);

  const auto one = run_cli({"deliveries", "retry", std::to_string(dead_ids[0]), "--db", db});
  BOOST_TEST(one.code == 0, one.err);
  BOOST_TEST(one.out == "put 1 delivery back in the queue\n");
  const auto not_dead = run_cli({"deliveries", "retry", std::to_string(dead_ids[0]), "--db", db});
  BOOST_TEST(not_dead.code == 1);
  BOOST_TEST(not_dead.err.find("delivery " + std::to_string(dead_ids[0]) + " is not a dead letter") != std::string::npos,
             not_dead.err);
  const auto all = run_cli({"deliveries", "retry", "--all", "--db", db});
  BOOST_TEST(all.code == 0, all.err);
  BOOST_TEST(all.out == "put 2 deliveries back in the queue\n");
  BOOST_TEST(run_cli({"deliveries", "list", "--db", db}).out.starts_with("no dead letters"));
  {
    SqliteStore store(sqlite_options(db));
    BOOST_TEST(store.dead_letters(0, 10).empty());
    ClaimRequest claim;
    claim.worker = "w2";
    claim.now = now_ms();
    claim.agency = "SSA";
    BOOST_TEST(store.claim_deliveries(claim).size() == 3u);  // pending and due again
  }
  BOOST_TEST(run_cli({"deliveries", "retry", "--all", "--db", db}).out == "no dead letters to retry\n");

  BOOST_TEST(run_cli({"deliveries"}).code == 2);
  BOOST_TEST(run_cli({"deliveries", "retry", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"deliveries", "retry", "1", "--all", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"deliveries", "retry", "x1", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"deliveries", "list", "extra", "--db", db}).code == 2);
  BOOST_TEST(run_cli({"deliveries", "list", "--db", db + ".typo"}).code == 1);
}

BOOST_AUTO_TEST_CASE(store_commands_have_help) {
  const auto general = run_cli({"--help"});
  for (const std::string cmd : {"agency-token", "deliveries"}) {
    BOOST_TEST(general.out.find("  " + cmd + "  ") != std::string::npos, general.out);
    const auto r = run_cli({cmd, "--help"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("usage: askonce " + cmd) != std::string::npos, r.out);
    BOOST_TEST(r.out.find("exit status") != std::string::npos, r.out);
  }
}

// --- the whole server: the config names the webhooks, the API takes the submission ---

namespace {

// Reaches every agency of change-of-address (test_support.hpp).
using askonce::test::coa_permanent;

std::string reference_in(const std::string& json) {
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(json, m, std::regex(R"re("reference"\s*:\s*"([0-9A-Z-]+)")re")), json);
  return m[1];
}

void webhooks(askonce::server::Config& c, const std::string& ssa_url, const std::string& usps_url) {
  c.delivery.allow_private = true;
  c.delivery.base_backoff = 50ms;
  c.delivery.max_backoff = 300ms;
  c.delivery.timeout = 2s;
  c.agencies = {{"ssa", ssa_url, secret, false}, {"usps", usps_url, secret, true}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_server_sends_each_agency_its_view_by_its_webhook) {
  Receiver ssa(secret), usps(secret);
  askonce::test::TestServer server([&](askonce::server::Config& c) { webhooks(c, ssa.url(), usps.url()); });
  const auto r = server.post("/api/v1/forms/change_of_address/submissions", coa_permanent,
                             {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto ref = reference_in(r.body);
  BOOST_TEST(eventually([&] { return ssa.applied_count() == 1 && usps.applied_count() == 1; }));
  // Exactly the stored views, signed; ssa's JSON, usps's XML (its config says xml).
  const auto ssa_view = server.store().fetch_for_agency("ssa", ref);
  const auto usps_view = server.store().fetch_for_agency("usps", ref);
  BOOST_TEST_REQUIRE((ssa_view && usps_view && usps_view->xml));
  BOOST_TEST(ssa.applied()[0].body == ssa_view->json);
  BOOST_TEST(ssa.applied()[0].content_type.starts_with("application/json"));
  BOOST_TEST(usps.applied()[0].body == *usps_view->xml);
  BOOST_TEST(usps.applied()[0].content_type.starts_with("application/xml"));
  BOOST_TEST(ssa.bad_signatures() == 0);
  // va and irs have no webhook: they pull, and their rows wait for them.
  BOOST_TEST(eventually([&] { return status_of(server.store(), ref, "ssa").state == DeliveryState::Delivered; }));
  BOOST_TEST(status_of(server.store(), ref, "va").state == DeliveryState::Pending);
  BOOST_TEST(status_of(server.store(), ref, "irs").state == DeliveryState::Pending);
  const auto metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find("askonce_delivery_attempts_total{agency=\"ssa\",outcome=\"delivered\"} 1") != std::string::npos);
  BOOST_TEST(metrics.find("askonce_deliveries{agency=\"va\",state=\"pending\"} 1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_server_resumes_pending_deliveries_after_a_restart) {
  Receiver ssa(secret);
  const auto usps_port = closed_port();  // usps is down
  askonce::test::TestServer server([&](askonce::server::Config& c) { webhooks(c, ssa.url(), url_of(usps_port)); });
  const auto r = server.post("/api/v1/forms/change_of_address/submissions", coa_permanent,
                             {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto ref = reference_in(r.body);
  BOOST_TEST(eventually([&] { return status_of(server.store(), ref, "usps").attempts >= 1; }));
  server.stop();
  BOOST_TEST(status_of(*std::make_unique<SqliteStore>(sqlite_options(server.config.db)), ref, "usps").state ==
             DeliveryState::Pending);
  Receiver usps(secret, usps_port);  // usps comes back on its address
  server.start();
  BOOST_TEST(eventually([&] { return usps.applied_count() == 1; }, 20s));
  BOOST_TEST(usps.applied()[0].reference == ref);
  BOOST_TEST(ssa.applied_count() == 1);  // delivered once, before the restart; not again
}

BOOST_AUTO_TEST_CASE(a_stopping_worker_gives_back_what_it_claimed_and_did_not_send) {
  Receiver receiver(secret);
  receiver.delay(400ms);  // the first delivery is still in flight when the worker stops
  SqliteStore store(sqlite_options(fresh_dir("delivery", "release") / "askonce.db"));
  std::vector<std::string> refs;
  for (int i = 0; i < 4; ++i) refs.push_back(save(store, sample(i)));
  auto o = fast("stopping-worker");
  o.lease = 30s;  // long: a row left to its lease would not be due again for half a minute
  DeliveryWorker worker(store, {{"SSA", receiver.url(), secret}}, o);
  worker.start();
  BOOST_TEST(eventually([&] { return !receiver.requests().empty(); }));
  worker.stop();
  // The rows it claimed but did not send are due at once for another worker.
  ClaimRequest claim;
  claim.worker = "next-worker";
  claim.now = now_ms();
  claim.agency = "SSA";
  const auto again = store.claim_deliveries(claim);
  BOOST_TEST(!again.empty());
  for (const auto& item : again) BOOST_TEST(item.attempts == 0);
  // Each row was sent before the stop, or is given back: none waits for a lease.
  std::size_t delivered = 0;
  for (const auto& ref : refs) delivered += status_of(store, ref, "SSA").state == DeliveryState::Delivered;
  BOOST_TEST(delivered + again.size() == refs.size());
}
