// tests/server_support.hpp: a real askonce server, in-process on a loopback port, and a real
// HTTP client to talk to it (Poco). Each TestServer has its own SQLite file in its own
// temporary folder and serves the shipped forms/ unless told otherwise.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "dsl/compiler.hpp"
#include "server/http/app.hpp"
#include "server/http/catalog.hpp"
#include "server/cli/cli.hpp"
#include "server/store/keyring.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"

namespace askonce::test {

/// A folder under TMPDIR, removed at the end.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::vector<std::string> cookies;  // every Set-Cookie, in order
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One HTTP request to 127.0.0.1:port, on a fresh connection.
inline HttpResponse http(int port, const std::string& method, const std::string& target, const std::string& body = {},
                         const Headers& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == "POST") req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  HttpResponse out;
  out.status = res.getStatus();
  Poco::StreamCopier::copyToString(in, out.body);
  for (const auto& [k, v] : res) {
    std::string key = k;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[key] = v;
    if (key == "set-cookie") out.cookies.push_back(v);
  }
  return out;
}

/// A server on a free loopback port, with its own database file.
class TestServer {
 public:
  /// `tweak` may change the configuration before the server starts (limits, agencies, ...).
  explicit TestServer(const std::function<void(server::Config&)>& tweak = {}, const std::string& name = "server")
      : dir_(name) {
    config.host = "127.0.0.1";
    config.port = 0;
    config.forms = "forms";
    config.db = (dir_.path / "askonce.db").string();
    config.shutdown_grace = std::chrono::seconds(5);
    config.rate.per_minute = 1e6;  // tests that check rate limiting set their own
    config.rate.burst = 1e6;
    config.staff.sign_in_per_minute = 1e6;  // so is the staff sign-in limit
    config.staff.sign_in_burst = 1e6;
    if (tweak) tweak(config);
    start();
  }
  ~TestServer() { stop(); }

  void start() {
    app = std::make_unique<server::App>(config, log);
    app->start();
  }
  void stop() {
    if (app) app->stop();
    app.reset();
  }
  /// Stops and starts again on the same database (and a new port).
  void restart() {
    stop();
    start();
  }

  int port() const { return app->port(); }
  server::Store& store() { return app->store(); }
  const std::filesystem::path& dir() const { return dir_.path; }

  HttpResponse get(const std::string& target, const Headers& headers = {}) { return http(port(), "GET", target, {}, headers); }
  HttpResponse post(const std::string& target, const std::string& body, const Headers& headers = {}) {
    return http(port(), "POST", target, body, headers);
  }

  server::Config config;
  std::ostringstream log;  // the server's JSON log lines (written under the Log's lock)
  std::unique_ptr<server::App> app;

 private:
  TempDir dir_;
};

/// A folder for one test case, `prefix-name` under the test's own TMPDIR (tests/CMakeLists.txt):
/// the same name each run, emptied first and kept after, to look at.
inline std::filesystem::path fresh_dir(const std::string& prefix, const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// The keys the tests' stores seal drafts with: one fresh keyring per test process.
inline std::shared_ptr<const server::Keyring> test_keys() {
  static const auto keys =
      std::make_shared<const server::Keyring>(server::Keyring::parse(server::Keyring::generate("test"), "test keys"));
  return keys;
}

/// Store options for the SQLite file `db`, everything else as shipped (drafts sealed with
/// test_keys()).
inline server::SqliteOptions sqlite_options(const std::filesystem::path& db) {
  server::SqliteOptions o;
  o.path = db.string();
  o.drafts.keys = test_keys();
  return o;
}

/// Submission number `i` as the store receives it: a JSON view for each of `agencies`, and an
/// XML view too for `xml_agency`.
inline server::NewSubmission sample_submission(int i, const std::vector<std::string>& agencies,
                                              const std::string& xml_agency) {
  server::NewSubmission n;
  n.form_id = "change_of_address";
  n.version = 1;
  n.definition_hash = "sha256:abc";
  n.language = "en";
  n.channel = "api";
  n.received = "2024-05-01T12:00:00Z";
  n.canonical_json = R"({"form":"change_of_address","n":)" + std::to_string(i) + "}";
  n.digest = server::sha256_hex(n.canonical_json);
  for (const auto& a : agencies) {
    server::ViewToStore v{a, R"({"agency":")" + a + R"(","n":)" + std::to_string(i) + "}", std::nullopt, {}};
    if (a == xml_agency) v.xml = "<?xml version=\"1.0\"?>\n<r n=\"" + std::to_string(i) + "\"/>\n";
    n.views.push_back(v);
  }
  return n;
}

/// What `askonce ARGS...` prints and returns, run in this process.
struct CliRun {
  int code;
  std::string out, err;
};
inline CliRun run_cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = cli::run(args, out, err);
  return {code, out.str(), err.str()};
}

/// An older printing of the change of address (`served`: its definition as served): the same
/// form and version with other words for its title ("Tell us you moved", as before a fix that
/// kept the version), and its hash as a server that served it computed it. Archive it in a
/// store and a page code of it opens it (Catalog::plan_for_code).
inline server::DefinitionRecord older_change_of_address(server::DefinitionRecord served) {
  const std::string from = "Report a change of address\"", to = "Tell us you moved\"";
  auto& text = served.sources.front().second;
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("the change of address's title changed: update this helper");
  text.replace(at, from.size(), to);
  dsl::Options options;
  options.read_file = [&](const std::string& path) -> std::optional<std::string> {
    for (const auto& [name, source] : served.sources) {
      if (std::filesystem::path(name).lexically_normal() == std::filesystem::path(path).lexically_normal()) return source;
    }
    return std::nullopt;
  };
  const auto compiled = dsl::compile_text(served.sources.front().first, text, options);
  if (!compiled.form) throw std::runtime_error(dsl::format_diagnostics(compiled));
  served.hash = compiled.form->definition_hash;
  return served;
}

}  // namespace askonce::test
