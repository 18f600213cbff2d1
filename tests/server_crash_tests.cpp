// tests/server_crash_tests.cpp: the crash test of the server. The real `askonce serve` binary
// runs as a child process on a loopback port, with its own SQLite file; client threads POST
// varied valid change-of-address submissions to the JSON API on keep-alive connections, some
// with an Idempotency-Key, and a citizen's browser goes through the web form's steps (CSRF
// cookie and token, the draft's cookie) and submits from check your answers, answered 303 to
// its receipt; the server is killed with SIGKILL at a random moment while they do,
// several times on the same database. After each kill, before the restart, the database is
// opened and every submission a client saw answered 201 or 303 must be in it, with the outbox rows of
// exactly the agencies its answers route to, and the file must pass PRAGMA integrity_check.
// A request that failed with a connection error was never acknowledged, so it may or may not
// be there; an acknowledged one that is missing means the server said "received" before the
// submission was durable.
//
// The same rounds run on PostgreSQL (a database of their own on the `postgres` fixture's
// cluster): with one node; with two and with three nodes on one database, one of them killed
// each round while the others serve on, every node's delivery worker sending webhooks to a
// receiver here that records which worker sent each one (at the end every delivery has
// arrived, no row is left leased, and no webhook-id was accepted from one worker and sent again
// by another while the first one's node was alive); two nodes racing on one Idempotency-Key;
// and PostgreSQL itself stopped and started under load (its own cluster): the nodes answer 503
// meanwhile, store again by themselves afterwards, and lose nothing acknowledged.
//
// The binary is the one CMake built (ASKONCE_BINARY); ASKONCE_CRASH_BINARY overrides it, to
// run these rounds against another build (for example one made deliberately unsafe, to see
// the test fail). ASKONCE_CRASH_SEED replays a run's kill moments and submissions.
#define BOOST_TEST_MODULE server_crash_tests
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "engine/normalize.hpp"
#include "server/store/open_store.hpp"
#include "server/store/pg.hpp"
#include "server/store/keyring.hpp"
#include "server/store/postgres_store.hpp"
#include "pg_support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr int rounds = 5;
constexpr int client_threads = 8;
constexpr const char* form_path = "/api/v1/forms/change_of_address/submissions";

/// A folder under TMPDIR (CTest gives each test its own), removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string binary_path() {
  if (const char* b = std::getenv("ASKONCE_CRASH_BINARY"); b && *b) return b;
  return ASKONCE_BINARY;
}

/// `askonce serve` as a child process. Its JSON log (stdout) and its stderr go to files in
/// `dir`; the port is read from the "started" line, since it listens on port 0 (any free one).
class ServerProcess {
 public:
  /// `name` names the node (server.node, so its webhooks' User-Agent) and its log files.
  ServerProcess(const fs::path& dir, const std::string& db, const fs::path& config, const std::string& name)
      : out_(dir / ("serve-" + name + ".out")), err_(dir / ("serve-" + name + ".err")) {
    const std::string binary = binary_path();
    const std::string forms = std::string(ASKONCE_SOURCE_DIR) + "/forms";
    std::vector<std::string> args = {binary, "serve", "--port", "0", "--forms", forms,
                                     "--db", db, "--config", config.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The server reads ASKONCE_* variables as settings: a developer's ASKONCE_DB, or this
    // test's own ASKONCE_CRASH_*, must not reach it.
    std::vector<char*> env;
    for (char** e = environ; e && *e; ++e) {
      if (std::strncmp(*e, "ASKONCE_", 8) != 0) env.push_back(*e);
    }
    std::string node = "ASKONCE_SERVER__NODE=" + name;
    env.push_back(node.data());
    // The nodes on one database share the keys that seal drafts (a file beside their logs).
    const fs::path keys = dir / "askonce.keys";
    askonce::server::Keyring::create_file(keys);
    std::string keys_setting = "ASKONCE_KEYS__FILE=" + keys.string();
    env.push_back(keys_setting.data());
    // glibc writes what made it abort (a corrupt heap, a failed check) to the terminal unless
    // told otherwise: to the node's stderr instead, where the test shows it.
    std::string fatal = "LIBC_FATAL_STDERR_=1";
    env.push_back(fatal.data());
    env.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
  }
  ~ServerProcess() {
    if (pid_ > 0) kill9();
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// The port, once the server says it listens; nothing when it exited or the deadline passed.
  std::optional<int> wait_started(SteadyClock::time_point deadline) {
    const std::string marker = "\"event\":\"started\"";
    while (SteadyClock::now() < deadline) {
      const std::string log = read_file(out_);
      if (const auto at = log.find(marker); at != std::string::npos) {
        // {"time":...,"event":"started","address":"127.0.0.1:PORT",...} on one line.
        const auto line = log.rfind('\n', at);
        const std::string key = "\"address\":\"127.0.0.1:";
        const auto a = log.find(key, line == std::string::npos ? 0 : line);
        if (a != std::string::npos) return std::atoi(log.c_str() + a + key.size());
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return std::nullopt;
      }
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  bool running() const { return pid_ > 0; }

  /// SIGTERM (a graceful stop), and reaps it. True when it exited by itself with status 0.
  bool terminate() {
    if (pid_ <= 0) return false;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  /// SIGKILL, and reaps it. True when it was still running (killed, not exited).
  bool kill9() {
    if (pid_ <= 0) return false;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    status_ = status;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  /// How the process ended, for messages: "exit 1", "signal 11".
  std::string how_it_ended() const {
    if (WIFSIGNALED(status_)) return "signal " + std::to_string(WTERMSIG(status_));
    return "exit " + std::to_string(WEXITSTATUS(status_));
  }

  std::string stderr_text() const { return read_file(err_); }
  std::string stdout_text() const { return read_file(out_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  int status_ = 0;
};

// ---- varied valid change-of-address submissions ----------------------------------------------

/// One submission and what the form's `when`s make of it: the agencies it must reach, in
/// the form's order (ssa, usps, va, irs).
struct Submission {
  std::string body;
  std::vector<std::string> agencies;
};

std::string pick(std::mt19937_64& rng, std::initializer_list<const char*> from) {
  std::uniform_int_distribution<std::size_t> d(0, from.size() - 1);
  return *(from.begin() + d(rng));
}

int uniform(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

std::string iso(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::chrono::sys_days day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

std::string digits(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + uniform(rng, 0, 9));
  return s;
}

std::string ssn(std::mt19937_64& rng) {
  // Area 001-665 (never 000, 666 or 9xx), group 01-99, serial 0001-9999.
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d-%02d-%04d", uniform(rng, 1, 665), uniform(rng, 1, 99), uniform(rng, 1, 9999));
  return buf;
}

std::string address(std::mt19937_64& rng) {
  const std::string street = std::to_string(uniform(rng, 1, 9999)) + " " +
                             pick(rng, {"Main St", "Oak Ave", "Calle Señor 5", "Elm \"Upper\" Rd", "Pine <b>Ct</b>",
                                        "Birch Blvd Apt 3 & 4"});
  std::string zip = digits(rng, 5);
  if (zip == "00000") zip = "10001";
  if (uniform(rng, 0, 3) == 0) zip += "-" + digits(rng, 4);
  return "{\"street\": " + askonce::engine::json_string(street) + ", \"city\": " +
         askonce::engine::json_string(pick(rng, {"Springfield", "Portland", "San José", "Albany", "Austin"})) +
         ", \"state\": \"" + pick(rng, {"IL", "OR", "CA", "NY", "TX", "WA", "MA", "ny"}) + "\", \"zip\": \"" + zip + "\"}";
}

Submission make_submission(std::mt19937_64& rng) {
  using askonce::engine::json_string;
  const std::string first = pick(rng, {"Ana", "Bo", "Chidi", "Dana", "Éric", "Fatima", "Gus", "Hana", "Zoë"});
  const std::string last = pick(rng, {"Núñez", "Diaz", "O'Brien", "Smith", "Nguyen", "Okafor", "Lee \"Jr\""});
  const bool veteran = uniform(rng, 0, 1) == 1;
  const bool forward = uniform(rng, 0, 1) == 1;
  const bool permanent = uniform(rng, 0, 2) != 0;
  const bool joint = permanent && uniform(rng, 0, 1) == 1;
  const auto move = day(2021, 1, 1) + std::chrono::days(uniform(rng, 0, 1400));
  const auto birth = day(1930, 1, 1) + std::chrono::days(uniform(rng, 0, 27000));
  const std::string method = pick(rng, {"email", "phone", "mail"});

  std::string b = "{\n";
  b += "  \"person\": {\"name\": {\"first\": " + json_string(first) + ", \"last\": " + json_string(last) +
       "}, \"birth_date\": \"" + iso(birth) + "\", \"ssn\": \"" + ssn(rng) + "\"},\n";
  b += "  \"contact\": {\"email\": \"" + digits(rng, 6) + "@example.com\", \"phone\": \"(" +
       std::to_string(uniform(rng, 200, 989)) + ") 555-0" + digits(rng, 3) + "\", \"preferred_method\": \"" + method +
       "\"},\n";
  b += "  \"old_address\": " + address(rng) + ",\n";
  b += "  \"new_address\": " + address(rng) + ",\n";
  b += "  \"move_date\": \"" + iso(move) + "\",\n";
  b += std::string("  \"kind\": \"") + (permanent ? "permanent" : "temporary") + "\",\n";
  if (!permanent) b += "  \"return_date\": \"" + iso(move + std::chrono::days(uniform(rng, 1, 360))) + "\",\n";
  if (permanent) {
    b += std::string("  \"filed_jointly\": ") + (joint ? "true" : "false") + ",\n";
    if (joint) {
      b += "  \"spouse_name\": {\"first\": " + json_string(pick(rng, {"Bea", "Cy", "Dee"})) + ", \"last\": " +
           json_string(last) + "},\n";
      b += "  \"spouse_ssn\": \"" + ssn(rng) + "\",\n";
    }
  }
  b += std::string("  \"veteran\": ") + (veteran ? "true" : "false") + ",\n";
  if (veteran) b += "  \"va_file_number\": \"" + digits(rng, uniform(rng, 8, 9)) + "\",\n";
  b += std::string("  \"forward_mail\": ") + (forward ? "true" : "false") + ",\n";
  if (forward) b += "  \"usps_move_type\": \"" + pick(rng, {"individual", "family"}) + "\",\n";
  const int household = uniform(rng, 0, 3);
  if (household > 0) {
    b += "  \"household\": [";
    for (int i = 0; i < household; ++i) {
      b += std::string(i ? ", " : "") + "{\"full_name\": " + json_string(pick(rng, {"Kim", "Lou", "Mo <i>", "Ñoño"})) +
           ", \"birth_date\": \"" + iso(day(1990, 1, 1) + std::chrono::days(uniform(rng, 0, 10000))) + "\"}";
    }
    b += "],\n";
  }
  b += "  \"truthful\": true,\n";
  b += "  \"signature\": " + json_string(first + " " + last) + "\n}\n";

  Submission s{std::move(b), {"ssa"}};
  if (forward) s.agencies.push_back("usps");
  if (veteran) s.agencies.push_back("va");
  if (permanent) s.agencies.push_back("irs");
  return s;
}

// ---- the clients ----------------------------------------------------------------------------

/// A submission the server answered 201: what the answer said, and what was sent.
struct Ack {
  std::string reference;
  std::string digest;
  std::vector<std::string> agencies;  // what the submission routes to (make_submission)
  std::string body;
  std::string key;  // the Idempotency-Key, when one was sent
  int round = 0;
};

/// An idempotent request that got no answer (a connection error): retried after the restart.
struct Unanswered {
  Submission submission;
  std::string key;
};

/// What every client thread shares with the test: acknowledgements, and problems (Boost.Test
/// assertions are not thread-safe, so threads only record them).
struct Shared {
  std::mutex mutex;
  std::vector<Ack> acks;
  std::vector<Unanswered> unanswered;
  std::vector<std::string> problems;
  std::atomic<int> acked_this_round{0};
  std::atomic<int> web_acks{0};  // of them, 303s of the web form
  std::atomic<int> connection_errors{0};
  std::atomic<bool> stop{false};
  // While PostgreSQL is stopped on purpose, a 503 is the right answer: counted, not a problem,
  // and, like a connection error, not an acknowledgement.
  std::atomic<bool> database_down{false};
  std::atomic<int> unavailable{0};
  std::atomic<int> acked_after_outage{0};

  void problem(std::string p) {
    std::lock_guard lock(mutex);
    if (problems.size() < 20) problems.push_back(std::move(p));
  }
};

struct Answer {
  int status = 0;
  std::string body;
  bool replayed = false;
};

/// POSTs one submission on `session` (kept alive between calls). Throws Poco exceptions on
/// connection errors.
Answer post(Poco::Net::HTTPClientSession& session, const std::string& body, const std::string& key) {
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, form_path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentType("application/json");
  req.setKeepAlive(true);
  if (!key.empty()) req.set("Idempotency-Key", key);
  req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  Answer a;
  a.status = res.getStatus();
  Poco::StreamCopier::copyToString(in, a.body);
  a.replayed = res.get("Idempotent-Replayed", "") == "true";
  return a;
}

/// The reference, digest and agencies of a 201 answer; an explanation when it is not one.
struct Receipt {
  std::string reference, digest;
  std::vector<std::string> agencies;
};
std::optional<Receipt> parse_receipt(const std::string& body, std::string& why) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    Receipt r;
    r.reference = root->getValue<std::string>("reference");
    r.digest = root->getValue<std::string>("digest");
    const auto agencies = root->getArray("agencies");
    for (std::size_t i = 0; agencies && i < agencies->size(); ++i) {
      r.agencies.push_back(agencies->getObject(static_cast<unsigned>(i))->getValue<std::string>("agency"));
    }
    return r;
  } catch (const Poco::Exception& e) {
    why = e.displayText();
  } catch (const std::exception& e) {
    why = e.what();
  }
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

void client(Shared& shared, int port, int round, int id, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(15, 0));  // a loaded machine is slow; a dead server is refused at once
  for (int n = 0; !shared.stop.load(); ++n) {
    Submission s = make_submission(rng);
    const std::string key = uniform(rng, 0, 2) == 0 ? "crash-" + std::to_string(round) + "-" + std::to_string(id) + "-" +
                                                          std::to_string(n) + "-" + std::to_string(rng() % 1000000)
                                                    : std::string();
    Answer a;
    try {
      a = post(session, s.body, key);
    } catch (const Poco::Exception&) {
      // Not acknowledged: the server may or may not have stored it. Nothing to check, except
      // that a keyed one, retried after the restart, is answered once and for all.
      shared.connection_errors.fetch_add(1);
      if (!key.empty()) {
        std::lock_guard lock(shared.mutex);
        shared.unanswered.push_back({std::move(s), key});
      }
      session.reset();
      if (!shared.stop.load()) std::this_thread::sleep_for(2ms);
      continue;
    }
    if (a.status == 503 && shared.database_down.load()) {
      shared.unavailable.fetch_add(1);
      if (!key.empty()) {
        std::lock_guard lock(shared.mutex);
        shared.unanswered.push_back({std::move(s), key});
      }
      std::this_thread::sleep_for(5ms);
      continue;
    }
    if (a.status != 201) {
      shared.problem("round " + std::to_string(round) + ": a valid submission was answered " + std::to_string(a.status) +
                     ": " + a.body.substr(0, 400) + "\nbody sent:\n" + s.body);
      continue;
    }
    std::string why;
    auto r = parse_receipt(a.body, why);
    if (!r) {
      shared.problem("a 201 answer is not a receipt (" + why + "): " + a.body.substr(0, 400));
      continue;
    }
    if (r->agencies != s.agencies) {
      shared.problem("the 201 answer for " + r->reference + " lists agencies " + joined(r->agencies) + ", expected " +
                     joined(s.agencies));
    }
    {
      std::lock_guard lock(shared.mutex);
      shared.acks.push_back({r->reference, r->digest, s.agencies, std::move(s.body), key, round});
    }
    shared.acked_this_round.fetch_add(1);
    if (!shared.database_down.load()) shared.acked_after_outage.fetch_add(1);
  }
}

/// A citizen on the web form, step by step as a browser goes: each step's page (the CSRF cookie
/// and token; the first Continue makes the draft and its cookie), its Continue, check your
/// answers, then "Submit application", acknowledged by a 303 to the receipt. A temporary move
/// with mail forwarded: SSA and USPS receive it. A journey cut short by a kill starts again.
void web_client(Shared& shared, int port, int round, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(15, 0));
  auto hidden = [](const std::string& html, const std::string& name) {
    std::smatch m;
    const std::regex re("<input type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\">");
    return std::regex_search(html, m, re) ? m[1].str() : std::string();
  };
  auto encode = [](const std::string& v) {
    std::string out;
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", out);
    return out;
  };
  struct Answer {
    int status = 0;
    std::string location, html;
  };
  std::map<std::string, std::string> cookies;
  // One request with the browser's cookies; the cookies it sets are kept.
  auto send = [&](const std::string& method, const std::string& target, const std::string& body) {
    Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    std::string jar;
    for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (!jar.empty()) req.set("Cookie", jar);
    if (method == "POST") {
      req.setContentType("application/x-www-form-urlencoded");
      req.setContentLength64(static_cast<Poco::Int64>(body.size()));
      session.sendRequest(req) << body;
    } else {
      session.sendRequest(req);
    }
    Poco::Net::HTTPResponse res;
    Answer a;
    Poco::StreamCopier::copyToString(session.receiveResponse(res), a.html);
    // A node killed while it sends a page closes the connection mid-body, and the stream just
    // ends: a page shorter than its Content-Length was cut short by a kill, like a reset.
    if (res.hasContentLength() && static_cast<Poco::Int64>(a.html.size()) != res.getContentLength64()) {
      throw Poco::Net::ConnectionResetException("the page was cut short");
    }
    std::vector<Poco::Net::HTTPCookie> set;
    res.getCookies(set);
    for (const auto& c : set) cookies[c.getName()] = c.getValue();
    a.status = res.getStatus();
    a.location = res.get("Location", "");
    return a;
  };
  while (!shared.stop.load()) {
    cookies.clear();
    try {
      const std::string name = pick(rng, {"Ana", "Bo", "Chidi", "Zoë"}) + " " + digits(rng, 4);
      const std::string answers =
          "person.name.first=" + encode(name) + "&person.name.last=Ruiz&person.birth_date.month=2"
          "&person.birth_date.day=28&person.birth_date.year=1990&person.ssn=" + ssn(rng) +
          "&contact.email=ana%40example.org&contact.preferred_method=email&old_address.street=1+Main+St"
          "&old_address.city=Springfield&old_address.state=IL&old_address.zip=62701"
          "&new_address.street=2+Oak+Ave&new_address.city=Austin&new_address.state=TX&new_address.zip=78701"
          "&move_date.month=4&move_date.day=15&move_date.year=2024&kind=temporary&return_date.month=10"
          "&return_date.day=1&return_date.year=2024&veteran=no&forward_mail=yes&usps_move_type=family"
          "&signature=" + encode(name + " Ruiz");
      std::string target = "/forms/change_of_address/steps/about?lang=en";
      bool unavailable = false, wrong = false;
      Answer a;
      // Each step: its page, then Continue with every answer (a step takes its own).
      for (int steps = 0; steps < 20 && target.find("/check") == std::string::npos; ++steps) {
        a = send("GET", target, "");
        if (a.status == 303) {  // a step skipped
          target = a.location;
          continue;
        }
        if (a.status == 503 && shared.database_down.load()) { unavailable = true; break; }
        const std::string csrf = hidden(a.html, "askonce:csrf");
        if (a.status != 200 || csrf.empty()) {
          shared.problem("round " + std::to_string(round) + ": the step " + target + " was answered " +
                         std::to_string(a.status) + " without its token");
          wrong = true;
          break;
        }
        a = send("POST", target, answers + "&askonce%3Acsrf=" + encode(csrf));
        if (a.status == 503 && shared.database_down.load()) { unavailable = true; break; }
        if (a.status != 303) {
          shared.problem("round " + std::to_string(round) + ": Continue on " + target + " was answered " +
                         std::to_string(a.status) + ": " + a.html.substr(0, 400));
          wrong = true;
          break;
        }
        target = a.location;
      }
      if (unavailable) {
        shared.unavailable.fetch_add(1);
        continue;
      }
      if (wrong) continue;
      a = send("GET", target, "");
      if (a.status == 503 && shared.database_down.load()) {
        shared.unavailable.fetch_add(1);
        continue;
      }
      const std::string csrf = hidden(a.html, "askonce:csrf");
      if (a.status != 200 || csrf.empty()) {
        shared.problem("round " + std::to_string(round) + ": check your answers was answered " +
                       std::to_string(a.status) + " without its token");
        continue;
      }
      const std::string body = "truthful=yes&askonce%3Aconfirm=yes&askonce%3Acsrf=" + encode(csrf);
      a = send("POST", target, body);
      std::smatch m;
      if (a.status == 503 && shared.database_down.load()) {
        shared.unavailable.fetch_add(1);
        continue;
      }
      if (a.status != 303 ||
          !std::regex_match(a.location, m, std::regex("/receipts/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\\?key=.+"))) {
        shared.problem("round " + std::to_string(round) + ": a valid web submission was answered " +
                       std::to_string(a.status) + " (" + a.location + "): " + a.html.substr(0, 400));
        continue;
      }
      {
        std::lock_guard lock(shared.mutex);
        shared.acks.push_back({m[1].str(), "", {"ssa", "usps"}, answers, "", round});
      }
      shared.acked_this_round.fetch_add(1);
      shared.web_acks.fetch_add(1);
    } catch (const Poco::Exception&) {
      shared.connection_errors.fetch_add(1);  // not acknowledged
      session.reset();
      if (!shared.stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

/// Every acknowledged submission is in the database, with its outbox rows; the file is whole.
/// Returns how many were checked.
std::size_t check_database(const std::string& db, const std::vector<Ack>& acks, int round) {
  const auto opened = askonce::server::open_store(db, askonce::server::OpenOptions{});
  askonce::server::Store& store = *opened;
  const auto integrity = store.check_integrity();
  BOOST_TEST(integrity.empty(), "round " << round << ": integrity_check: " << joined(integrity));
  std::set<std::string> references;
  std::size_t missing = 0;
  for (const auto& a : acks) {
    references.insert(a.reference);
    const auto found = store.find_submission(a.reference);
    if (!found) {
      if (++missing <= 10) {
        BOOST_ERROR("round " << round << ": " << a.reference << " (acknowledged in round " << a.round
                              << ") is not in the database: acknowledged before it was durable");
      }
      continue;
    }
    BOOST_TEST(found->form_id == "change_of_address");
    if (!a.digest.empty()) {  // a 303 names no digest
      BOOST_TEST(found->digest == a.digest, a.reference << ": stored digest differs from the one acknowledged");
    }
    std::vector<std::string> agencies;
    for (const auto& d : found->deliveries) agencies.push_back(d.agency);
    BOOST_TEST(!agencies.empty(), a.reference << " has no outbox rows");
    BOOST_TEST(agencies == a.agencies,
               a.reference << ": outbox rows for " << joined(agencies) << ", expected " << joined(a.agencies));
  }
  BOOST_TEST(store.submission_count() >= static_cast<std::int64_t>(references.size()));
  // A loss is final: the next rounds would only report it again, and retries of its key
  // would be stored anew.
  BOOST_REQUIRE_MESSAGE(missing == 0u, "round " << round << ": " << missing << " of " << acks.size()
                                                << " acknowledged submissions are missing after kill -9");
  return acks.size();
}

// ---- an agency's webhook endpoint, for the nodes' delivery workers -------------------------

/// Records every delivery: its webhook-id, the worker that sent it (from the User-Agent, which
/// names the node), when, and what it was answered. One in twenty is answered 500, so retries,
/// and retries by another node, happen too.
class WebhookReceiver {
 public:
  struct Delivery {
    std::string id, worker;
    SteadyClock::time_point at;
    int status = 0;
  };

  WebhookReceiver() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(16);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
    server_->start();
  }
  ~WebhookReceiver() { server_->stopAll(true); }

  int port() const { return socket_.address().port(); }
  std::vector<Delivery> deliveries() {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(WebhookReceiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body);
      Delivery d;
      d.id = request.get("webhook-id", "");
      const std::string agent = request.get("User-Agent", "");
      const auto w = agent.find("(worker ");
      if (w != std::string::npos) d.worker = agent.substr(w + 8, agent.find(')', w) - w - 8);
      d.at = SteadyClock::now();
      {
        std::lock_guard lock(r_.mutex_);
        d.status = r_.rng_() % 20 == 0 ? 500 : 200;
        r_.deliveries_.push_back(d);
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(d.status));
      response.setContentLength(0);
      response.send();
    }

   private:
    WebhookReceiver& r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(WebhookReceiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }

   private:
    WebhookReceiver& r_;
  };

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::mutex mutex_;
  std::vector<Delivery> deliveries_;
  std::mt19937 rng_{12345};
};

/// The node name a worker id starts with: "n2r3-Ab-dEf" -> "n2r3" (this test's node names have
/// no '-'; the random part may).
std::string node_of(const std::string& worker) { return worker.substr(0, worker.find('-')); }

/// What a run of kills is made of.
struct Run {
  std::string name;        // for messages and files
  std::string db;          // the nodes' --db
  int nodes = 1;           // servers on the database at once
  int rounds = 5;          // kills
  bool webhooks = false;   // ssa and irs get webhooks from every node's delivery worker
};

/// The test's config file for a run: no rate limit (the load comes from one address), and
/// with webhooks, short leases and timeouts so a killed node's deliveries are taken over in
/// seconds.
fs::path write_config(const fs::path& dir, const Run& run, int receiver_port) {
  const fs::path config = dir / "askonce.json";
  std::ofstream c(config);
  c << R"({"rate_limit": {"per_minute": 1e9, "burst": 1e9}, "server": {"threads": 32})";
  if (run.webhooks) {
    const std::string url = "http://127.0.0.1:" + std::to_string(receiver_port) + "/hook/";
    const std::string secret = "whsec_dGVzdC1zZWNyZXQtZm9yLWNyYXNoLXRlc3Rz";
    c << R"(, "delivery": {"allow_private": true, "timeout_seconds": 2, "lease_seconds": 5,)"
      << R"( "base_backoff_ms": 100, "max_backoff_seconds": 1, "max_attempts": 1000},)"
      << R"( "agencies": {"ssa": {"webhook": {"url": ")" << url << R"(ssa", "secret": ")" << secret << R"("}},)"
      << R"( "irs": {"webhook": {"url": ")" << url << R"(irs", "secret": ")" << secret << R"("}}})";
  }
  c << "}\n";
  return config;
}

/// Retries after a restart: a key answered before the kill gets the same reference; a keyed
/// request that got no answer is answered now, once (stored then or now).
void retry_after_restart(Shared& shared, int port, int round, std::mt19937_64& rng, std::size_t& replays,
                         std::size_t& retried) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(30, 0));
  std::vector<Ack> keyed;
  std::vector<Unanswered> unanswered;
  {
    std::lock_guard lock(shared.mutex);
    for (const auto& a : shared.acks) {
      if (!a.key.empty() && a.round == round - 1) keyed.push_back(a);
    }
    unanswered.swap(shared.unanswered);
  }
  std::shuffle(keyed.begin(), keyed.end(), rng);
  if (keyed.size() > 10) keyed.resize(10);
  for (const auto& a : keyed) {
    const auto answer = post(session, a.body, a.key);
    BOOST_TEST(answer.status == 201, "retry of " << a.reference << ": " << answer.status << " " << answer.body);
    BOOST_TEST(answer.replayed, "retry of " << a.reference << " was not answered as a replay");
    std::string why;
    const auto r = parse_receipt(answer.body, why);
    BOOST_TEST((r && r->reference == a.reference), "retry of " << a.reference << " answered " << answer.body);
    ++replays;
  }
  if (unanswered.size() > 20) unanswered.resize(20);
  for (const auto& u : unanswered) {
    const auto answer = post(session, u.submission.body, u.key);
    BOOST_TEST(answer.status == 201, "retry of an unanswered request: " << answer.status << " " << answer.body);
    std::string why;
    if (auto r = parse_receipt(answer.body, why); answer.status == 201 && r) {
      std::lock_guard lock(shared.mutex);
      shared.acks.push_back({r->reference, r->digest, u.submission.agencies, u.submission.body, u.key, round});
    }
    ++retried;
  }
}

/// Starts the clients: 8 API clients spread over the nodes' ports and one web client.
std::vector<std::thread> start_clients(Shared& shared, const std::vector<int>& ports, int round, std::mt19937_64& rng) {
  shared.stop = false;
  shared.acked_this_round = 0;
  std::vector<std::thread> clients;
  for (int id = 0; id < client_threads; ++id) {
    clients.emplace_back(client, std::ref(shared), ports[static_cast<std::size_t>(id) % ports.size()], round, id, rng());
  }
  clients.emplace_back(web_client, std::ref(shared), ports[static_cast<std::size_t>(round) % ports.size()], round, rng());
  return clients;
}

void stop_clients(Shared& shared, std::vector<std::thread>& clients) {
  shared.stop = true;
  for (auto& t : clients) t.join();
  clients.clear();
  std::lock_guard lock(shared.mutex);
  for (const auto& p : shared.problems) BOOST_ERROR(p);
  shared.problems.clear();
}

std::uint64_t test_seed() {
  std::uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("ASKONCE_CRASH_SEED"); s && *s) seed = std::strtoull(s, nullptr, 10);
  BOOST_TEST_MESSAGE("seed " << seed << " (ASKONCE_CRASH_SEED=" << seed << " replays the submissions and kill moments)");
  BOOST_TEST_MESSAGE("binary " << binary_path());
  return seed;
}

/// Every webhook agency got every acknowledged submission routed to it, and no view was sent by
/// two workers that both held a live lease on it: a webhook-id sent again after a 2xx answer is
/// allowed only when the worker that sent it first was on a node killed since.
void check_webhooks(const std::vector<WebhookReceiver::Delivery>& deliveries, const std::vector<Ack>& acks,
                    const std::set<std::string>& killed_nodes) {
  std::map<std::string, std::vector<WebhookReceiver::Delivery>> by_id;
  for (const auto& d : deliveries) by_id[d.id].push_back(d);
  std::size_t expected = 0, missing = 0, sent_twice = 0, taken_over = 0;
  for (const auto& a : acks) {
    for (const auto& agency : a.agencies) {
      if (agency != "ssa" && agency != "irs") continue;
      ++expected;
      const auto it = by_id.find("msg_" + a.reference + "_" + agency);
      const bool delivered = it != by_id.end() && std::any_of(it->second.begin(), it->second.end(),
                                                              [](const auto& d) { return d.status == 200; });
      if (!delivered && ++missing <= 10) BOOST_ERROR(a.reference << " never reached " << agency << "'s webhook");
    }
  }
  for (auto& [id, list] : by_id) {
    std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.at < y.at; });
    const WebhookReceiver::Delivery* accepted = nullptr;
    for (const auto& d : list) {
      if (accepted) {
        ++sent_twice;
        if (killed_nodes.count(node_of(accepted->worker)) != 0) {
          ++taken_over;
        } else {
          BOOST_ERROR(id << " was accepted from " << accepted->worker << " and sent again by " << d.worker
                         << " while that worker's node was alive: two workers held it at once");
        }
      }
      if (d.status == 200 && !accepted) accepted = &d;
    }
  }
  BOOST_TEST(missing == 0u, missing << " of " << expected << " webhook deliveries never arrived");
  BOOST_TEST_MESSAGE(expected << " webhook deliveries expected, all arrived; " << deliveries.size()
                              << " requests in all; " << sent_twice << " sent again after a 2xx, all " << taken_over
                              << " by another node after the first sender was killed");
}

/// Kills one node at a random moment under load, `run.rounds` times, on the same database; after
/// each kill every acknowledged submission must be there with its outbox rows. With webhooks,
/// at the end every delivery must have arrived, no row may be left leased, and no delivery
/// may have been in two live workers' hands.
void run_kills(const Run& run) {
  std::mt19937_64 rng(test_seed());
  TempDir dir("crash-" + run.name);
  std::optional<WebhookReceiver> receiver;
  if (run.webhooks) receiver.emplace();
  const fs::path config = write_config(dir.path, run, receiver ? receiver->port() : 0);

  Shared shared;
  std::set<std::string> killed_nodes;
  std::size_t checked_total = 0, replays_checked = 0, unanswered_retried = 0;
  std::vector<std::unique_ptr<ServerProcess>> nodes(static_cast<std::size_t>(run.nodes));
  std::vector<int> ports(nodes.size(), 0);
  std::vector<std::string> names(nodes.size());
  for (int round = 1; round <= run.rounds; ++round) {
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (nodes[k] && nodes[k]->running()) continue;
      const std::string name = "n" + std::to_string(k + 1) + "r" + std::to_string(round);
      names[k] = name;
      nodes[k] = std::make_unique<ServerProcess>(dir.path, run.db, config, name);
      const auto port = nodes[k]->wait_started(SteadyClock::now() + 60s);
      BOOST_REQUIRE_MESSAGE(port, run.name << " round " << round << ": node " << name << " did not start within 60 s:\n"
                                          << nodes[k]->stderr_text() << nodes[k]->stdout_text().substr(0, 2000));
      ports[k] = *port;
    }
    if (round > 1) {
      const int port = ports[static_cast<std::size_t>(rng() % ports.size())];
      retry_after_restart(shared, port, round, rng, replays_checked, unanswered_retried);
    }

    auto clients = start_clients(shared, ports, round, rng);
    // Kill at a random moment once the load is flowing: after a random number of answers,
    // then a random extra delay, so the kill lands anywhere in a group commit.
    const int wanted = std::uniform_int_distribution<int>(20, 800)(rng);
    const auto extra = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 200000)(rng));
    const auto deadline = SteadyClock::now() + 30s;
    while (shared.acked_this_round.load() < wanted && SteadyClock::now() < deadline) std::this_thread::sleep_for(1ms);
    const bool enough = shared.acked_this_round.load() >= wanted;
    if (enough) std::this_thread::sleep_for(extra);
    const int acked_before_kill = shared.acked_this_round.load();
    const std::size_t victim = static_cast<std::size_t>(rng() % nodes.size());
    const bool killed = nodes[victim]->kill9();
    killed_nodes.insert(names[victim]);
    // The other nodes serve on for a moment after the kill, as a load balancer would send them
    // the dead node's share.
    if (nodes.size() > 1) std::this_thread::sleep_for(200ms);
    stop_clients(shared, clients);
    BOOST_REQUIRE_MESSAGE(enough, run.name << " round " << round << ": only " << shared.acked_this_round.load()
                                           << " submissions answered in 30 s (wanted " << wanted << "):\n"
                                           << nodes[victim]->stderr_text());
    BOOST_TEST(killed, run.name << " round " << round << ": the node had ended (" << nodes[victim]->how_it_ended()
                                << ") before it was killed:\n" << nodes[victim]->stderr_text()
                                << nodes[victim]->stdout_text().substr(0, 3000));

    std::vector<Ack> acks;
    {
      std::lock_guard lock(shared.mutex);
      acks = shared.acks;
    }
    const auto checked = check_database(run.db, acks, round);
    checked_total += checked;
    BOOST_TEST_MESSAGE(run.name << " round " << round << ": node " << victim + 1 << " of " << nodes.size()
                                << " killed after " << acked_before_kill << " answers (+" << extra.count() / 1000
                                << " ms); " << shared.acked_this_round.load() << " acknowledged this round; all "
                                << checked << " acknowledged so far are in the database");
  }
  BOOST_TEST_MESSAGE(run.name << ": " << run.rounds << " kills; " << shared.acks.size() << " acknowledged submissions ("
                              << shared.web_acks.load() << " of them web posts answered 303), checked after every kill ("
                              << checked_total << " checks); " << replays_checked << " idempotent replays and "
                              << unanswered_retried << " retries of unanswered requests after restarts; "
                              << shared.connection_errors.load() << " connection errors (unacknowledged)");
  BOOST_TEST(shared.acks.size() >= static_cast<std::size_t>(run.rounds * 20));
  BOOST_TEST(shared.web_acks.load() > 0);  // the 303 path was under the kills too

  if (run.webhooks) {
    // The killed nodes' leases run out (5 s) and the live nodes take their rows over.
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (!nodes[k]->running()) {
        nodes[k] = std::make_unique<ServerProcess>(dir.path, run.db, config, "n" + std::to_string(k + 1) + "end");
        BOOST_REQUIRE(nodes[k]->wait_started(SteadyClock::now() + 60s));
      }
    }
    const auto store = askonce::server::open_store(run.db, askonce::server::OpenOptions{});
    auto pending = [&] {
      std::int64_t n = 0;
      for (const auto& c : store->delivery_counts()) {
        if ((c.agency == "ssa" || c.agency == "irs") && c.state != askonce::server::DeliveryState::Delivered) n += c.count;
      }
      return n;
    };
    const auto until = SteadyClock::now() + 120s;
    while (pending() > 0 && SteadyClock::now() < until) std::this_thread::sleep_for(200ms);
    BOOST_TEST(pending() == 0, pending() << " webhook deliveries still not delivered after 120 s");
    for (auto& n : nodes) BOOST_TEST(n->terminate(), "a node did not stop cleanly:\n" << n->stderr_text());
    askonce::server::pg::Connection c(run.db);
    const auto leased = c.exec("SELECT count(*) FROM outbox WHERE lease_owner IS NOT NULL OR lease_until IS NOT NULL");
    BOOST_TEST(leased.text(0, 0) == "0", leased.text(0, 0) << " outbox rows are left leased");
    check_webhooks(receiver->deliveries(), shared.acks, killed_nodes);
  }
}

/// A new database on the fixture's cluster, migrated as its owner would (the server never
/// migrates PostgreSQL).
std::unique_ptr<askonce::test::PgDatabase> migrated_pg_database() {
  auto db = askonce::test::fresh_pg_database();
  askonce::server::migrate_postgres(db->conninfo(), std::nullopt);
  return db;
}

}  // namespace

BOOST_AUTO_TEST_CASE(kill_minus_nine_under_load_loses_no_acknowledged_submission) {
  TempDir dir("sqlite");
  run_kills({"sqlite", (dir.path / "askonce.db").string(), 1, rounds, false});
}

BOOST_AUTO_TEST_CASE(kill_minus_nine_on_postgresql_loses_no_acknowledged_submission) {
  const auto db = migrated_pg_database();
  run_kills({"postgresql", db->conninfo(), 1, rounds, false});
}

BOOST_AUTO_TEST_CASE(two_nodes_on_postgresql_one_killed_lose_nothing_and_deliver_everything_once) {
  const auto db = migrated_pg_database();
  run_kills({"two-nodes", db->conninfo(), 2, 3, true});
}

BOOST_AUTO_TEST_CASE(three_nodes_on_postgresql_one_killed_lose_nothing_and_deliver_everything_once) {
  const auto db = migrated_pg_database();
  run_kills({"three-nodes", db->conninfo(), 3, 3, true});
}

BOOST_AUTO_TEST_CASE(two_nodes_racing_on_one_idempotency_key_store_once) {
  const auto db = migrated_pg_database();
  TempDir dir("race");
  const fs::path config = write_config(dir.path, Run{}, 0);
  ServerProcess a(dir.path, db->conninfo(), config, "race-a"), b(dir.path, db->conninfo(), config, "race-b");
  const auto pa = a.wait_started(SteadyClock::now() + 60s), pb = b.wait_started(SteadyClock::now() + 60s);
  BOOST_REQUIRE(pa);
  BOOST_REQUIRE(pb);
  std::mt19937_64 rng(test_seed());
  for (int i = 0; i < 40; ++i) {
    const Submission s = make_submission(rng);
    const std::string key = "race-" + std::to_string(i) + "-" + std::to_string(rng());
    Answer answers[2];
    std::atomic<int> ready{0};
    auto send = [&](int which, int port) {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
      session.setTimeout(Poco::Timespan(30, 0));
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      answers[which] = post(session, s.body, key);
    };
    std::thread t1(send, 0, *pa), t2(send, 1, *pb);
    t1.join();
    t2.join();
    std::string why;
    const auto r1 = parse_receipt(answers[0].body, why), r2 = parse_receipt(answers[1].body, why);
    BOOST_REQUIRE_MESSAGE(answers[0].status == 201 && answers[1].status == 201,
                          answers[0].status << " " << answers[0].body << " / " << answers[1].status << " " << answers[1].body);
    BOOST_REQUIRE(r1);
    BOOST_REQUIRE(r2);
    BOOST_TEST(r1->reference == r2->reference, "one key, two references: " << r1->reference << " " << r2->reference);
    BOOST_TEST(answers[0].replayed != answers[1].replayed, "exactly one of the two is a replay");
  }
  const auto store = askonce::server::open_store(db->conninfo(), askonce::server::OpenOptions{});
  BOOST_TEST(store->submission_count() == 40);
}

BOOST_AUTO_TEST_CASE(postgresql_restarted_under_load_loses_nothing_and_nodes_reconnect) {
  TempDir dir("restart");
  askonce::test::PgCluster cluster((dir.path / "pg").string());
  askonce::server::migrate_postgres(cluster.conninfo(), std::nullopt);
  const fs::path config = write_config(dir.path, Run{}, 0);
  std::vector<std::unique_ptr<ServerProcess>> nodes;
  std::vector<int> ports;
  for (int k = 1; k <= 2; ++k) {
    nodes.push_back(std::make_unique<ServerProcess>(dir.path, cluster.conninfo(), config, "node" + std::to_string(k)));
    const auto port = nodes.back()->wait_started(SteadyClock::now() + 60s);
    BOOST_REQUIRE_MESSAGE(port, nodes.back()->stderr_text());
    ports.push_back(*port);
  }
  std::mt19937_64 rng(test_seed());
  Shared shared;
  auto clients = start_clients(shared, ports, 1, rng);
  auto wait_for = [&](std::atomic<int>& counter, int n) {
    const auto deadline = SteadyClock::now() + 60s;
    while (counter.load() < n && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
    return counter.load() >= n;
  };
  BOOST_TEST(wait_for(shared.acked_this_round, 200));
  shared.database_down = true;
  cluster.stop_server();
  std::this_thread::sleep_for(1500ms);  // the nodes answer 503 meanwhile
  const int during = shared.unavailable.load();
  cluster.start_server();
  shared.acked_after_outage = 0;
  shared.database_down = false;
  // Both nodes store again, by themselves: no restart of askonce.
  BOOST_TEST(wait_for(shared.acked_after_outage, 300), "only " << shared.acked_after_outage.load()
                                                                 << " stored after PostgreSQL came back");
  stop_clients(shared, clients);
  BOOST_TEST(during > 0, "no request was answered 503 while PostgreSQL was down");
  for (int port : ports) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    const Submission s = make_submission(rng);
    const auto a = post(session, s.body, "");
    BOOST_TEST(a.status == 201, "node on port " << port << " after the restart: " << a.status << " " << a.body);
  }
  check_database(cluster.conninfo(), shared.acks, 1);
  BOOST_TEST_MESSAGE(shared.acks.size() << " acknowledged across a PostgreSQL restart; " << during
                                        << " answered 503 while it was down; " << shared.connection_errors.load()
                                        << " connection errors");
  for (auto& n : nodes) BOOST_TEST(n->terminate(), n->stderr_text());
}
