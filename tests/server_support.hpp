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

#include "server/app.hpp"

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

}  // namespace askonce::test
