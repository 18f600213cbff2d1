// server/http/http.hpp: one request and its answer, and the route tables.
//
// The route table is the server's map: every URL it answers is one row {method, pattern,
// handler}, in web_routes.cpp (citizens' pages), api_routes.cpp (the JSON API and the agency
// API) and ops_routes.cpp (/healthz, /metrics). Handlers stay thin: they read the request
// through Exchange, call the engine, the renderers and the store, and answer through Exchange.
//
// What every request gets, before and after its handler (router.cpp): header size and body
// limits, security headers, a request id, one JSON log line without personal data, metrics,
// rate limiting of submissions, 503 while shutting down, and a 500/503 page instead of a
// dropped connection when a handler throws.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace askonce::server {

class App;

/// A request being answered.
class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, App& app);

  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  App& app;

  std::string_view route;           // the matched pattern: "/forms/{id}"; what logs and metrics say
  std::vector<std::string> params;  // the {...} parts of the path, decoded, in order
  std::string request_id;           // also sent as X-Request-Id

  /// The method ("GET", "POST", ...).
  const std::string& method() const;
  /// A query parameter, decoded; nothing when absent.
  std::optional<std::string> query(std::string_view name) const;
  /// A request header; empty when absent.
  std::string header(std::string_view name) const;
  /// Whether the client prefers `mime` to the other types offered (Accept, with q-values);
  /// `offered` in the server's order of preference, the first being the default.
  std::string negotiate(std::initializer_list<std::string_view> offered) const;
  /// The client's address, for rate limiting only (never logged).
  std::string client() const;

  /// The body, read once within the configured size and time limits. When it is too large
  /// (413) or too slow (408) the answer has been sent and nothing is returned.
  std::optional<std::string> body();

  /// Answers. Security headers are added by the router; `headers` are extra ones.
  void send(int status, std::string_view content_type, std::string_view body,
            std::initializer_list<std::pair<std::string_view, std::string>> headers = {});
  /// 303 See Other to `location` (a path on this server).
  void redirect(std::string_view location);
  /// An error answer: JSON (application/problem+json) under /api/, a small HTML page
  /// elsewhere. `detail` is shown to the client, escaped.
  void fail(int status, std::string_view detail,
            std::initializer_list<std::pair<std::string_view, std::string>> headers = {});

  bool answered() const { return status_ != 0; }
  int status() const { return status_; }
  std::size_t bytes_sent() const { return bytes_; }

 private:
  int status_ = 0;
  std::size_t bytes_ = 0;
  bool body_read_ = false;
  std::optional<std::string> query_string_;
};

using Handler = void (*)(Exchange&);

/// One row of a route table. A pattern is a path whose segments may be `{name}` (one segment)
/// or `{name}.ext` (one segment ending in .ext); a last segment `{name*}` takes the rest of the
/// path ("css/uswds.min.css"), never with an empty, "." or ".." segment.
struct Route {
  std::string_view method;
  std::string_view pattern;
  Handler handler;
  bool submission = false;  // rate-limited per client: it stores something
};

std::span<const Route> web_routes();
std::span<const Route> resume_routes();
std::span<const Route> reuse_routes();
std::span<const Route> api_routes();
std::span<const Route> ops_routes();
/// The published results (performance_routes.cpp): public, cacheable.
std::span<const Route> performance_routes();
/// /staff/: sign-in, set-up, home, sign-out, the audit log (staff_routes.cpp).
std::span<const Route> staff_routes();
/// /staff/key, /staff/paper, /staff/applications/: keying applications (keying_routes.cpp).
std::span<const Route> keying_routes();

/// Matches `path` (not decoded) against `pattern`; the decoded {...} parts on success.
std::optional<std::vector<std::string>> match_route(std::string_view pattern, std::string_view path);

/// The headers every answer carries: a strict CSP with no inline script or style, nosniff,
/// no framing, no referrer, no caching of personal data.
std::span<const std::pair<std::string_view, std::string_view>> security_headers();

}  // namespace askonce::server
