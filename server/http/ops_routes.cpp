// server/http/ops_routes.cpp: what operators and their monitoring read: /healthz and /metrics.
#include "server/http/app.hpp"
#include "server/http/http.hpp"

namespace askonce::server {
namespace {

/// Alive and serving: the forms are loaded (the server does not start otherwise) and it is
/// not shutting down (the router answers 503 then). Cheap, so a load balancer can ask often.
void healthz(Exchange& ex) {
  ex.send(200, "application/json",
          "{\"status\":\"ok\",\"forms\":" + std::to_string(ex.app.catalog().forms().size()) + "}");
}

void metrics(Exchange& ex) {
  ex.send(200, "text/plain; version=0.0.4; charset=utf-8", ex.app.metrics().prometheus(ex.app.store()));
}

constexpr Route routes[] = {
    {"GET", "/healthz", healthz},
    {"GET", "/metrics", metrics},
};

}  // namespace

std::span<const Route> ops_routes() { return routes; }

}  // namespace askonce::server
