// server/delivery/delivery.hpp: the worker that POSTs outbox rows to agencies' webhooks.
//
// One thread per agency with a webhook, so a slow or dead agency delays only itself: each
// claims its agency's due rows from the store (a lease, so several workers or processes can
// share one database), POSTs each view signed (webhook.hpp), and marks it delivered, or failed
// with the next attempt after a jittered exponential backoff that respects the agency's
// Retry-After, or dead once it has had max_attempts. Only 2xx is delivered: redirects are not
// followed, since their location would escape the address check (webhook.hpp). A row whose
// worker died or stopped before marking it is due again when its lease runs out: nothing is
// lost, and the receiver's webhook-id makes a second delivery harmless.
//
// Agencies without a webhook pull their views (the agency API); the worker leaves them alone.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"
#include "server/delivery/webhook.hpp"

namespace askonce::server {

/// Called after every attempt (from the agency's thread): outcome is "delivered", "retry" or
/// "dead", seconds is how long the HTTP exchange took. For metrics (metrics.hpp).
using DeliveryObserver = std::function<void(const std::string& agency, std::string_view outcome, double seconds)>;

struct DeliveryOptions {
  int max_attempts = 12;  // the attempt that fails with this many is the last: the row is dead
  std::chrono::milliseconds base_backoff{std::chrono::seconds(5)};
  std::chrono::milliseconds max_backoff{std::chrono::hours(6)};  // also caps an agency's Retry-After
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};   // one whole request, connect to response
  /// How long a claimed row is this worker's; 0: 60 s, or twice the timeout when that is longer.
  std::chrono::milliseconds lease{0};
  /// How often to look for due rows nobody told the worker about: rows of another process,
  /// rows whose lease ran out, rows put back by `askonce deliveries retry`. notify() and the
  /// worker's own retries do not wait for it.
  std::chrono::milliseconds poll{std::chrono::seconds(2)};
  std::size_t batch = 8;       // rows claimed at once per agency
  bool allow_private = false;  // webhooks to loopback, private, link-local addresses (tests)
  /// PEM certificates of CAs to trust for https webhooks besides the system's (an agency on a
  /// private PKI; tests). Host names are always checked.
  std::string ca_file;
  /// Who holds the leases: this name (the node's, e.g. "node-1"; empty: "askonce"), "-" and a
  /// random id drawn when the worker is made. Sent in each webhook's User-Agent.
  std::string worker;
  DeliveryObserver observer;
  /// Messages for an operator (the store failed, a lease was lost); never a secret or a body.
  std::function<void(const std::string& message)> log;
};

class DeliveryWorker {
 public:
  /// Targets with an empty URL are skipped (those agencies pull). Throws std::invalid_argument
  /// when a target's URL or secret is malformed, two targets name one agency, or a lease given
  /// is not longer than the timeout; the message names the agency, never the secret.
  DeliveryWorker(Store& store, std::vector<WebhookTarget> targets, DeliveryOptions options = {});
  /// Stops first.
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  /// Starts one thread per target. Calling it again while running does nothing.
  void start();
  /// Wakes every waiting thread and joins them: a request in flight finishes, or times out,
  /// within `timeout`; rows claimed and not yet attempted are given back (release_delivery),
  /// due at once for the next worker.
  void stop();
  /// Something was saved: look for due rows now rather than at the next poll.
  void notify();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace askonce::server
