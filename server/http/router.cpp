// server/http/router.cpp: Exchange, and what happens around every handler.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <istream>
#include <sstream>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include "engine/normalize.hpp"
#include "renderers/escape.hpp"
#include "renderers/frame.hpp"
#include "server/http/app.hpp"
#include "server/http/web_pages.hpp"
#include "server/http/http.hpp"
#include "server/store/reference.hpp"
#include "server/http/router.hpp"

namespace askonce::server {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> headers_for_all = {{
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
}};

std::string decode(std::string_view s) {
  std::string out;
  try {
    Poco::URI::decode(std::string(s), out, true);
  } catch (const Poco::Exception&) {
    return {};
  }
  return out;
}

}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> security_headers() { return headers_for_all; }

std::optional<std::vector<std::string>> match_route(std::string_view pattern, std::string_view path) {
  std::vector<std::string> params;
  auto next = [](std::string_view& s) {
    // The next segment after a '/'.
    if (!s.empty() && s.front() == '/') s.remove_prefix(1);
    const auto end = s.find('/');
    auto seg = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view() : s.substr(end);
    return seg;
  };
  if (pattern.empty() || path.empty() || path.front() != '/') return std::nullopt;
  if (pattern == "/") return path == "/" ? std::optional(params) : std::nullopt;
  while (!pattern.empty()) {
    if (path.empty()) return std::nullopt;
    const auto p = next(pattern);
    if (p.starts_with('{') && p.ends_with("*}")) {
      // The rest of the path, one or more segments, none of them empty, "." or "..".
      std::string rest;
      while (!path.empty()) {
        auto seg = decode(next(path));
        if (seg.empty() || seg == "." || seg == ".." || seg.find('/') != std::string::npos ||
            seg.find('\\') != std::string::npos || seg.find('\0') != std::string::npos) {
          return std::nullopt;
        }
        rest += (rest.empty() ? "" : "/") + seg;
      }
      if (rest.empty()) return std::nullopt;
      params.push_back(std::move(rest));
      return params;
    }
    const auto s = next(path);
    if (p.starts_with('{')) {
      const auto close = p.find('}');
      const auto suffix = p.substr(close + 1);  // ".pdf", or empty
      if (s.size() <= suffix.size() || !s.ends_with(suffix)) return std::nullopt;
      auto value = decode(s.substr(0, s.size() - suffix.size()));
      // A parameter is one segment: no '/' once decoded, and never empty.
      if (value.empty() || value.find('/') != std::string::npos) return std::nullopt;
      params.push_back(std::move(value));
    } else if (p != s) {
      return std::nullopt;
    }
  }
  if (!path.empty()) return std::nullopt;
  return params;
}

Exchange::Exchange(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res, App& a)
    : request(req), response(res), app(a) {}

const std::string& Exchange::method() const { return request.getMethod(); }

std::optional<std::string> Exchange::query(std::string_view name) const {
  const std::string& uri = request.getURI();
  const auto q = uri.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(uri).substr(q + 1);
  const auto hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    const auto key = decode(pair.substr(0, eq));
    if (key == name) return eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return std::nullopt;
}

std::string Exchange::header(std::string_view name) const { return request.get(std::string(name), ""); }

std::string Exchange::negotiate(std::initializer_list<std::string_view> offered) const {
  const std::string accept = header("Accept");
  if (accept.empty() || offered.size() == 0) return offered.size() ? std::string(*offered.begin()) : std::string();
  // The offered type with the highest q the client gives it (exact type over type/* over */*);
  // ties go to the server's order.
  std::string best;
  double best_q = 0;
  for (const auto& o : offered) {
    const Poco::Net::MediaType want{std::string(o)};
    double q = -1;
    int specificity = -1;
    std::istringstream in(accept);
    std::string item;
    while (std::getline(in, item, ',')) {
      try {
        Poco::Net::MediaType m(Poco::trim(item));
        int spec = -1;
        if (m.matches(want)) spec = 2;
        else if (m.getType() == want.getType() && m.getSubType() == "*") spec = 1;
        else if (m.getType() == "*" && m.getSubType() == "*") spec = 0;
        if (spec > specificity) {
          specificity = spec;
          q = m.hasParameter("q") ? std::atof(m.getParameter("q").c_str()) : 1.0;
        }
      } catch (const Poco::Exception&) {
      }
    }
    if (q > best_q) best_q = q, best = std::string(o);
  }
  return best;
}

std::string Exchange::client() const {
  if (app.config().rate.trust_forwarded_for) {
    const std::string fwd = header("X-Forwarded-For");
    if (!fwd.empty()) return Poco::trim(fwd.substr(0, fwd.find(',')));
  }
  return request.clientAddress().host().toString();
}

std::optional<std::string> Exchange::body() {
  if (body_read_) return std::nullopt;
  body_read_ = true;
  const auto& limits = app.config().limits;
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(limits.body_bytes)) {
    app.metrics().refused("too_large");
    response.setKeepAlive(false);
    fail(413, "The request is larger than this server accepts (" + std::to_string(limits.body_bytes) + " bytes).");
    return std::nullopt;
  }
  std::string body;
  const auto deadline = std::chrono::steady_clock::now() + limits.request_time;
  std::istream& in = request.stream();
  char buf[16384];
  try {
    while (in) {
      in.read(buf, sizeof buf);
      body.append(buf, static_cast<std::size_t>(in.gcount()));
      if (body.size() > limits.body_bytes) {
        app.metrics().refused("too_large");
        response.setKeepAlive(false);
        fail(413, "The request is larger than this server accepts (" + std::to_string(limits.body_bytes) + " bytes).");
        return std::nullopt;
      }
      if (std::chrono::steady_clock::now() > deadline) throw Poco::TimeoutException();
    }
  } catch (const Poco::TimeoutException&) {
    app.metrics().refused("too_slow");
    response.setKeepAlive(false);
    fail(408, "The request took too long to arrive.");
    return std::nullopt;
  } catch (const Poco::Net::NetException&) {
    response.setKeepAlive(false);
    fail(400, "The request could not be read.");
    return std::nullopt;
  }
  return body;
}

void Exchange::send(int status, std::string_view content_type, std::string_view body,
                    std::initializer_list<std::pair<std::string_view, std::string>> headers) {
  if (answered()) return;
  status_ = status;
  bytes_ = body.size();
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  for (const auto& [k, v] : headers_for_all) response.set(std::string(k), std::string(v));
  if (!response.has("Cache-Control")) response.set("Cache-Control", "no-store");
  for (const auto& [k, v] : headers) response.set(std::string(k), v);
  response.set("X-Request-Id", request_id);
  if (app.config().secure_cookies) response.set("Strict-Transport-Security", "max-age=31536000");
  if (app.stopping()) response.setKeepAlive(false);
  if (!content_type.empty()) response.setContentType(std::string(content_type));
  if (status == 204 || status == 304) {
    // No body, and no Content-Length either (RFC 9110, 8.6).
    bytes_ = 0;
    response.send();
    return;
  }
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  if (method() == "HEAD") {
    response.send();
    return;
  }
  response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

void Exchange::redirect(std::string_view location) { send(303, "", "", {{"Location", std::string(location)}}); }

void Exchange::fail(int status, std::string_view detail,
                    std::initializer_list<std::pair<std::string_view, std::string>> headers) {
  const std::string title = Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  const std::string& uri = request.getURI();
  if (uri.starts_with("/api/")) {
    std::string json = "{\"type\":\"about:blank\",\"title\":" + engine::json_string(title) +
                       ",\"status\":" + std::to_string(status) + ",\"detail\":" + engine::json_string(detail) + "}";
    send(status, "application/problem+json", json, headers);
    return;
  }
  // A citizen who meets an error still gets the site's frame (renderers/frame.hpp).
  std::string body = "<h1>";
  renderers::append_html(body, title);
  body += "</h1>\n<p class=\"usa-intro\">";
  renderers::append_html(body, detail);
  body += "</p>\n<p><a class=\"usa-link\" href=\"/\">All forms</a></p>\n";
  renderers::PageFrame frame;
  frame.language = "en";
  frame.title_parts = {title};
  const renderers::Site site = site_of(app.config());
  frame.site = &site;
  const std::string html = renderers::frame_page(frame, body);
  send(status, "text/html; charset=utf-8", html, headers);
}

// --- the handler every request goes through ---

namespace {

class Dispatcher final : public Poco::Net::HTTPRequestHandler {
 public:
  Dispatcher(App& app, Listener listener) : app_(app), listener_(listener) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    const auto start = std::chrono::steady_clock::now();
    Exchange ex(request, response, app_);
    ex.request_id = random_token(9);
    ex.route = "(none)";
    try {
      dispatch(ex);
    } catch (const StoreError& e) {
      app_.log().event("error", "store", {{"id", ex.request_id}, {"error", e.what()}});
      if (!ex.answered()) ex.fail(503, "The service cannot store or read applications just now. Nothing was saved; please try again in a few minutes.", {{"Retry-After", "30"}});
    } catch (const std::exception& e) {
      app_.log().event("error", "handler", {{"id", ex.request_id}, {"route", std::string(ex.route)}, {"error", typeid(e).name()}});
      if (!ex.answered()) ex.fail(500, "Something went wrong on our side. Nothing you sent was lost if you saw no receipt; please try again.");
    }
    if (!ex.answered()) ex.fail(500, "The server did not answer this request.");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    app_.metrics().request(ex.route, request.getMethod(), ex.status(), seconds);
    app_.log().request(ex.request_id, request.getMethod(), ex.route, ex.status(), ex.bytes_sent(), seconds * 1000);
  }

 private:
  void dispatch(Exchange& ex) {
    if (app_.stopping()) {
      ex.response.setKeepAlive(false);
      ex.fail(503, "The server is shutting down. Please try again in a moment.", {{"Retry-After", "5"}});
      return;
    }
    std::size_t header_bytes = ex.request.getURI().size();
    for (const auto& [k, v] : ex.request) header_bytes += k.size() + v.size() + 4;
    if (header_bytes > app_.config().limits.header_bytes) {
      app_.metrics().refused("headers_too_large");
      ex.response.setKeepAlive(false);
      ex.fail(431, "The request's headers are too large.");
      return;
    }
    std::string_view path = ex.request.getURI();
    path = path.substr(0, path.find_first_of("?#"));
    const std::string& method = ex.request.getMethod();
    std::string allowed;
    for (auto table : {web_routes(), resume_routes(), reuse_routes(), api_routes(), ops_routes(), performance_routes(),
                       staff_routes(), keying_routes()}) {
      const bool staff_table = table.data() == staff_routes().data() || table.data() == keying_routes().data();
      for (const auto& r : table) {
        // Staff pages on their own address: the public one has none of them, and theirs has
        // nothing else but the assets the pages load.
        if (listener_ == Listener::Public && staff_table) continue;
        if (listener_ == Listener::Staff && !staff_table && !r.pattern.starts_with("/assets/")) continue;
        auto params = match_route(r.pattern, path);
        if (!params) continue;
        const bool same = r.method == method || (method == "HEAD" && r.method == "GET");
        if (!same) {
          if (allowed.find(r.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
          continue;
        }
        ex.route = r.pattern;
        ex.params = std::move(*params);
        if (r.submission) {
          if (auto wait = app_.rate_limiter().take(ex.client())) {
            app_.metrics().refused("rate_limited");
            ex.fail(429, "Too many submissions from your connection. Please wait a little and try again.",
                    {{"Retry-After", std::to_string(*wait)}});
            return;
          }
        }
        r.handler(ex);
        return;
      }
    }
    if (!allowed.empty()) {
      ex.route = "(method not allowed)";
      ex.fail(405, "This address does not accept " + method + ".", {{"Allow", allowed}});
      return;
    }
    ex.fail(404, "There is nothing at this address.");
  }

  App& app_;
  Listener listener_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RouterFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new Dispatcher(app_, listener_);
}

}  // namespace askonce::server
