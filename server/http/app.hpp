// server/http/app.hpp: a running askonce server: its configuration, forms, store, delivery worker,
// metrics and HTTP listener, wired together. `askonce serve` (serve.cpp) makes one from the
// command line; tests make one in-process on a loopback port.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/validate.hpp"
#include "server/http/catalog.hpp"
#include "server/http/config.hpp"
#include "server/http/log.hpp"
#include "server/http/metrics.hpp"
#include "server/http/rate_limit.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class TimeZone;
}

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace askonce::server {

class DeliveryWorker;
class Keyring;
namespace staff {
class AuditLog;
class SignIn;
struct StaffPolicy;
}  // namespace staff
class MailWorker;
class Sweeper;

/// The server cannot start; the message says why, for an operator (diagnostics included).
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class App {
 public:
  /// Compiles the forms, opens the store, archives the definitions, checks the agencies'
  /// webhooks. Throws StartupError. Logs warnings to `log`.
  App(Config config, std::ostream& log);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  /// Listens on config.host:config.port (0: any free port) and starts the delivery worker.
  void start();
  /// Refuses new requests (503), lets the ones in flight finish (up to the grace period),
  /// stops the worker. Idempotent.
  void stop();

  /// The port listened on, after start().
  int port() const { return port_; }
  /// The port staff pages are served on apart from the public site (config staff.address),
  /// after start(); 0 when they share the public address.
  int staff_port() const { return staff_port_; }
  bool stopping() const { return stopping_.load(); }

  const Config& config() const { return config_; }
  const Catalog& catalog() const { return catalog_; }
  Store& store() { return *store_; }
  Metrics& metrics() { return metrics_; }
  Log& log() { return log_; }
  RateLimiter& rate_limiter() { return rate_; }
  /// Staff sign-in posts per client address (config staff.sign_in_per_minute, sign_in_burst).
  RateLimiter& sign_in_limiter() { return sign_in_rate_; }
  /// The key CSRF tokens are signed with: derived from the keyring (keys.file or keys.env,
  /// never the database) as HMAC-SHA256(current key, "askonce csrf v1"), so it is the same
  /// across restarts and on every node given the same keys.
  const std::string& csrf_key() const { return csrf_keys_.front(); }
  /// Whether `token` is the CSRF token of `cookie` under the current key or, after a rotation,
  /// an older one still in the ring (a page opened before the restart still posts). Compared
  /// in constant time.
  bool csrf_valid(std::string_view cookie, std::string_view token) const;
  /// Where and when a submission (or a step of the web journey) is checked, now: today() is
  /// the date in the deployment's zone (config site.time_zone; UTC when it is empty), so that
  /// a citizen near midnight is judged by their own calendar.
  engine::Context context(std::string language, std::string channel) const;
  /// The same at `instant` (a correction is checked as on the day its submission came in).
  engine::Context context_at(std::chrono::system_clock::time_point instant, std::string language,
                             std::string channel) const;
  /// The deployment's time zone (config site.time_zone); null for UTC. The day a post, a
  /// decision or a submission is on is its day here (agency_status.hpp, local_day).
  const engine::TimeZone* zone() const { return zone_.get(); }
  /// Wakes the delivery worker: a submission was stored.
  void notify_delivery();
  /// Whether a mail relay is configured: without one no mail is queued and no page promises one.
  bool mail_enabled() const { return config_.mail.enabled(); }
  /// Wakes the mail worker: a mail was queued.
  void notify_mail();
  /// Where citizens reach this server, for links in mails: server.public_origin, or this
  /// server's own address when that is not set (a server run locally).
  std::string public_base() const;

  /// How staff sign in (server/staff/sign_in.hpp): password and TOTP, as shipped.
  staff::SignIn& sign_in() { return *sign_in_; }
  /// The audit log of staff actions, chained with a key from the keyring.
  const staff::AuditLog& audit() const { return *audit_; }
  /// Lockout and session limits, from config staff.*.
  const staff::StaffPolicy& staff_policy() const { return *staff_policy_; }
  /// The keys feedback tokens are made with (server/http/feedback.hpp), derived from the keyring
  /// as HMAC-SHA256(key, "askonce feedback v1"), the current key's first: never from the
  /// database, so a copy of the database cannot tell whose feedback a row is.
  const std::vector<std::string>& feedback_keys() const { return feedback_keys_; }
  /// The keyring (keys.file or keys.env): seals TOTP secrets.
  const Keyring& keys() const { return *keys_; }

 private:
  /// The keys that seal drafts, from config_.keys (config.hpp, KeysConfig). Throws StoreError.
  std::shared_ptr<const Keyring> load_keys();

  Config config_;
  Log log_;
  Catalog catalog_;
  std::unique_ptr<Store> store_;
  Metrics metrics_;
  RateLimiter rate_;
  RateLimiter sign_in_rate_;
  std::vector<std::string> csrf_keys_;  // from the keyring, the current key's first; never empty
  std::vector<std::string> feedback_keys_;  // the same, for feedback tokens
  std::shared_ptr<const Keyring> keys_;
  std::unique_ptr<staff::StaffPolicy> staff_policy_;
  std::unique_ptr<staff::AuditLog> audit_;
  std::unique_ptr<staff::SignIn> sign_in_;
  std::shared_ptr<const engine::TimeZone> zone_;  // site.time_zone; null: UTC
  std::unique_ptr<DeliveryWorker> worker_;
  std::unique_ptr<MailWorker> mail_worker_;
  std::unique_ptr<Sweeper> sweeper_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> http_;
  std::unique_ptr<Poco::Net::HTTPServer> staff_http_;  // config staff.address; none: http_ serves staff pages
  int port_ = 0;
  int staff_port_ = 0;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
};

}  // namespace askonce::server
