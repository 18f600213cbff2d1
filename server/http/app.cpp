// server/http/app.cpp: starting and stopping a server.
#include "server/http/app.hpp"

#include <filesystem>
#include <thread>

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include "engine/time_zone.hpp"
#include "engine/xml_writer.hpp"
#include "server/delivery/delivery.hpp"
#include "server/delivery/mail.hpp"
#include "server/http/figures.hpp"
#include "server/http/router.hpp"
#include "server/staff/audit.hpp"
#include "server/staff/sign_in.hpp"
#include "server/store/keyring.hpp"
#include "server/store/open_store.hpp"
#include "server/store/reference.hpp"
#include "server/store/sweeper.hpp"
#include "server/delivery/webhook.hpp"

namespace askonce::server {

App::App(Config config, std::ostream& log)
    : config_(std::move(config)), log_(log), rate_(config_.rate.per_minute, config_.rate.burst),
      sign_in_rate_(config_.staff.sign_in_per_minute, config_.staff.sign_in_burst) {
  // Before any request thread can write or read XML (engine/xml_writer.hpp).
  engine::init_libxml();
  auto loaded = Catalog::load(config_.forms);
  if (!loaded.catalog) {
    throw StartupError(loaded.diagnostics + "askonce serve: the forms in " + config_.forms + " have " +
                       std::to_string(loaded.errors) + " error(s); the server does not start with broken forms");
  }
  if (loaded.warnings > 0) {
    log_.event("warning", "form_warnings", {{"count", std::to_string(loaded.warnings)}, {"diagnostics", loaded.diagnostics}});
  }
  catalog_ = std::move(*loaded.catalog);

  // The zone today() is taken in (config.cpp checks the name when it reads the file; a Config
  // made in code is checked here).
  if (!config_.site.time_zone.empty()) {
    zone_ = engine::TimeZone::find(config_.site.time_zone);
    if (!zone_) throw StartupError("config: site.time_zone: no time zone \"" + config_.site.time_zone + "\" in the system's tz database");
  }

  // The other ways to apply are set for a form by its id: a typo would show the form's own.
  for (const auto& a : config_.apply) {
    if (!catalog_.find(a.form)) throw StartupError("config: apply." + a.form + ": no served form is called '" + a.form + "'");
  }
  for (const auto& p : config_.paper) {
    if (!catalog_.find(p.form)) throw StartupError("config: paper." + p.form + ": no served form is called '" + p.form + "'");
  }

  // Every agency the config names must be one some form routes to: a typo would silently
  // leave an agency without its webhook.
  for (const auto& a : config_.agencies) {
    bool known = false;
    for (const auto& f : catalog_.forms()) {
      for (const auto& fa : f.plan->form().agencies) known = known || fa.name == a.name;
    }
    if (!known) throw StartupError("config: agencies." + a.name + ": no served form has an agency called '" + a.name + "'");
    if (!a.webhook_url.empty()) {
      // The form of the URL now; its addresses at each delivery (the worker resolves and
      // refuses private ones then, so a DNS change cannot smuggle one in later).
      if (auto problem = check_webhook_url_form(a.webhook_url)) {
        throw StartupError("config: agencies." + a.name + ".webhook.url: " + *problem);
      }
    }
  }

  try {
    OpenOptions options;
    options.connections = config_.db_connections;
    keys_ = load_keys();
    options.drafts.keys = keys_;
    options.drafts.lifetime = std::chrono::hours(24) * config_.retention.drafts_days;
    // Keys come from files or the environment, never the database (docs/operations.md, "Keys").
    csrf_keys_ = options.drafts.keys->derive("askonce csrf v1");
    feedback_keys_ = options.drafts.keys->derive("askonce feedback v1");
    store_ = open_store(config_.db, options);
    catalog_.archive(*store_);
    // Staff sign-in and the audit log, keyed from the same keyring.
    staff_policy_ = std::make_unique<staff::StaffPolicy>();
    const StaffConfig& sc = config_.staff;
    staff_policy_->lock_after = sc.lock_after;
    staff_policy_->lock_base = std::chrono::seconds(sc.lock_base_seconds);
    staff_policy_->lock_cap = std::chrono::seconds(sc.lock_max_seconds);
    staff_policy_->idle = std::chrono::seconds(sc.idle_seconds);
    staff_policy_->absolute = std::chrono::seconds(sc.session_seconds);
    staff_policy_->issuer = !sc.issuer.empty() ? sc.issuer : !config_.site.name.empty() ? config_.site.name : "askonce";
    audit_ = std::make_unique<staff::AuditLog>(keys_);
    sign_in_ = std::make_unique<staff::PasswordTotpSignIn>(*store_, keys_, *staff_policy_);
  } catch (const StoreError& e) {
    // The location without its password: this message goes to the terminal and the logs.
    throw StartupError("askonce serve: the database " + describe_location(config_.db) + ": " + e.what());
  }
}

std::shared_ptr<const Keyring> App::load_keys() {
  const KeysConfig& k = config_.keys;
  if (!k.file.empty()) return std::make_shared<const Keyring>(Keyring::from_file(k.file));
  if (!k.env.empty()) return std::make_shared<const Keyring>(Keyring::parse(k.text, "the environment variable " + k.env));
  if (is_postgres(config_.db)) {
    throw StoreError("keys: set keys.file or keys.env: the nodes on one PostgreSQL database must share the keys that "
                     "seal drafts (docs/operations.md, \"Keys\")");
  }
  // SQLite, nothing configured: a key file beside the database, made on first start, so that
  // `make run` needs no setup. It must be kept and backed up apart from the database.
  const std::filesystem::path file = config_.db + ".keys";
  if (Keyring::create_file(file)) {
    log_.event("warning", "keys_created",
               {{"path", file.string()},
                {"message", "made a new key file for drafts; back it up apart from the database (docs/operations.md, Keys)"}});
  }
  return std::make_shared<const Keyring>(Keyring::from_file(file));
}

App::~App() { stop(); }

engine::Context App::context(std::string language, std::string channel) const {
  return engine::Context::now(std::move(language), std::move(channel), zone_.get());
}

engine::Context App::context_at(std::chrono::system_clock::time_point instant, std::string language,
                                std::string channel) const {
  return engine::Context::at(instant, zone_.get(), std::move(language), std::move(channel));
}

bool App::csrf_valid(std::string_view cookie, std::string_view token) const {
  bool valid = false;
  for (const auto& key : csrf_keys_) valid = constant_time_equal(token, hmac_sha256_b64url(key, cookie)) || valid;
  return valid;
}

void App::notify_delivery() {
  if (worker_) worker_->notify();
}

void App::notify_mail() {
  if (mail_worker_) mail_worker_->notify();
}

std::string App::public_base() const {
  if (!config_.public_origin.empty()) return config_.public_origin;
  const std::string host = config_.host == "0.0.0.0" || config_.host.empty() ? std::string("localhost") : config_.host;
  return "http://" + host + ":" + std::to_string(port_);
}

void App::start() {
  if (started_) return;
  std::vector<WebhookTarget> targets;
  for (const auto& a : config_.agencies) {
    if (!a.webhook_url.empty()) targets.push_back({a.name, a.webhook_url, a.webhook_secret, a.xml});
  }
  if (!targets.empty()) {
    DeliveryOptions options;
    options.max_attempts = config_.delivery.max_attempts;
    options.base_backoff = config_.delivery.base_backoff;
    options.max_backoff = config_.delivery.max_backoff;
    options.timeout = config_.delivery.timeout;
    options.allow_private = config_.delivery.allow_private;
    options.lease = config_.delivery.lease;
    options.worker = config_.node;
    options.observer = [this](const std::string& agency, std::string_view outcome, double seconds) {
      metrics_.delivery(agency, outcome, seconds);
    };
    options.log = [this](const std::string& message) { log_.event("warning", "delivery", {{"message", message}}); };
    try {
      worker_ = std::make_unique<DeliveryWorker>(*store_, std::move(targets), options);
    } catch (const std::invalid_argument& e) {
      throw StartupError(std::string("config: ") + e.what());
    }
  }

  if (config_.mail.enabled()) {
    const MailConfig& m = config_.mail;
    if (config_.public_origin.empty()) {
      log_.event("warning", "mail", {{"message", "server.public_origin is not set: links in mail name this server's own"
                                                 " address, which only works on this machine"}});
    }
    SmtpRelay relay;
    relay.host = m.host;
    relay.port = m.port;
    relay.username = m.username;
    relay.password = m.password;
    relay.from = m.from;
    relay.starttls = m.starttls == "none" ? SmtpRelay::StartTls::None : SmtpRelay::StartTls::Required;
    relay.login = m.login == "login" ? SmtpRelay::Login::Login : SmtpRelay::Login::Plain;
    relay.ca_file = m.ca_file;
    relay.helo = m.helo;
    MailOptions options;
    options.max_attempts = m.max_attempts;
    options.base_backoff = m.base_backoff;
    options.max_backoff = m.max_backoff;
    options.timeout = m.timeout;
    options.worker = config_.node;
    options.observer = [this](const std::string& kind, std::string_view outcome, double seconds) {
      metrics_.mail(kind, outcome, seconds);
    };
    options.log = [this](const std::string& message) { log_.event("warning", "mail", {{"message", message}}); };
    try {
      mail_worker_ = std::make_unique<MailWorker>(*store_, std::move(relay), options);
    } catch (const std::invalid_argument& e) {
      throw StartupError(std::string("config: ") + e.what());
    }
  }

  if (config_.retention.sweep_minutes > 0) {
    SweeperOptions o;
    auto days = [](int d) -> std::optional<std::chrono::milliseconds> {
      if (d <= 0) return std::nullopt;
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::hours(24) * d);
    };
    o.policy.delivered_views = days(config_.retention.delivered_views_days);
    o.policy.dead_letters = days(config_.retention.dead_letters_days);
    o.policy.submissions = days(config_.retention.submissions_days);
    o.policy.feedback_comments = days(config_.retention.feedback_comment_days);
    o.policy.feedback = days(config_.retention.feedback_days);
    // Staff sessions end as staff_policy_ says (touch_staff_session); their rows go after.
    o.policy.staff_idle = std::chrono::seconds(config_.staff.idle_seconds);
    o.policy.staff_session = std::chrono::seconds(config_.staff.session_seconds);
    o.interval = std::chrono::minutes(config_.retention.sweep_minutes);
    o.swept = [this](const SweepResult& r) {
      metrics_.retained("view", r.views);
      metrics_.retained("dead_letter", r.dead_letters);
      metrics_.retained("submission", r.submissions);
      metrics_.retained("draft", r.drafts);
      metrics_.retained("mail", r.mails);
      metrics_.retained("receipt_link", r.links);
      metrics_.retained("staff_session", r.staff_sessions);
      metrics_.retained("recovery_code", r.recovery_codes);
      metrics_.retained("feedback_comment", r.feedback_comments);
      metrics_.retained("feedback", r.feedback);
      if (r.total() > 0) {
        log_.event("info", "retention", {{"views", std::to_string(r.views)},
                                         {"dead_letters", std::to_string(r.dead_letters)},
                                         {"submissions", std::to_string(r.submissions)},
                                         {"drafts", std::to_string(r.drafts)},
                                         {"mails", std::to_string(r.mails)},
                                         {"receipt_links", std::to_string(r.links)},
                                         {"staff_sessions", std::to_string(r.staff_sessions)},
                                         {"recovery_codes", std::to_string(r.recovery_codes)},
                                         {"feedback_comments", std::to_string(r.feedback_comments)},
                                         {"feedback", std::to_string(r.feedback)}});
      }
    };
    o.failed = [this](const std::string& why) { log_.event("warning", "retention", {{"message", why}}); };
    // A quarter that has ended is frozen within a turn of its end, even when nobody asks for
    // the results (its backlog is the one at its end, not at the first request's day).
    if (config_.performance.publish) {
      o.each_turn = [this] { freeze_ended_quarters(*store_, context("en", "web").today); };
    }
    sweeper_ = std::make_unique<Sweeper>(*store_, std::move(o));
  }

  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(config_.host, static_cast<Poco::UInt16>(config_.port)), true);
    socket.listen(config_.queue);
  } catch (const Poco::Exception& e) {
    throw StartupError("askonce serve: cannot listen on " + config_.host + ":" + std::to_string(config_.port) + ": " +
                       e.displayText());
  }
  port_ = socket.address().port();

  const auto make_params = [this] {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.threads);
    params->setMaxQueued(config_.queue);
    params->setTimeout(Poco::Timespan(config_.limits.request_time.count(), 0));
    params->setKeepAlive(config_.limits.keep_alive.count() > 0);
    params->setKeepAliveTimeout(Poco::Timespan(config_.limits.keep_alive.count(), 0));
    params->setMaxKeepAliveRequests(1000);
    params->setServerName("askonce");
    params->setSoftwareVersion("askonce");
    return params;
  };
  auto* params = make_params();
  // A pool of our own, so that `threads` really bounds the connections served at once.
  pool_ = std::make_unique<Poco::ThreadPool>(2, config_.threads + 1);
  const bool staff_apart = !config_.staff.address.empty();
  if (staff_apart) {
    // Staff pages on an address of their own (an internal network, a VPN): bound before
    // anything starts, so that a wrong address stops the server rather than exposing nothing.
    const std::string& a = config_.staff.address;
    const auto colon = a.rfind(':');
    Poco::Net::ServerSocket staff_socket;
    try {
      staff_socket.bind(Poco::Net::SocketAddress(a.substr(0, colon), static_cast<Poco::UInt16>(std::stoi(a.substr(colon + 1)))), true);
      staff_socket.listen(config_.queue);
    } catch (const Poco::Exception& e) {
      throw StartupError("askonce serve: cannot listen for staff pages on " + a + " (staff.address): " + e.displayText());
    }
    staff_port_ = staff_socket.address().port();
    auto* staff_params = make_params();
    staff_http_ = std::make_unique<Poco::Net::HTTPServer>(new RouterFactory(*this, Listener::Staff), *pool_, staff_socket,
                                                          staff_params);
  }
  // Quarters that ended while no server ran are frozen before the first request (and after,
  // at each of the sweeper's turns).
  if (config_.performance.publish) {
    try {
      freeze_ended_quarters(*store_, context("en", "web").today);
    } catch (const StoreError& e) {
      log_.event("warning", "performance", {{"message", e.what()}});
    }
  }
  http_ = std::make_unique<Poco::Net::HTTPServer>(new RouterFactory(*this, staff_apart ? Listener::Public : Listener::All),
                                                  *pool_, socket, params);
  http_->start();
  if (staff_http_) staff_http_->start();
  if (worker_) worker_->start();
  if (mail_worker_) mail_worker_->start();
  if (sweeper_) sweeper_->start();
  started_ = true;
  if (staff_http_) log_.event("info", "staff_listening", {{"address", config_.staff.address.substr(0, config_.staff.address.rfind(':')) + ":" + std::to_string(staff_port_)}});
  log_.event("info", "started", {{"address", config_.host + ":" + std::to_string(port_)},
                                 {"forms", std::to_string(catalog_.forms().size())},
                                 {"db", describe_location(config_.db)}});
}

void App::stop() {
  if (!started_ || stopping_.exchange(true)) return;
  log_.event("info", "stopping");
  // Stop accepting; requests in flight finish, and each is answered with Connection: close.
  http_->stopAll(false);
  if (staff_http_) staff_http_->stopAll(false);
  const auto connections = [this] { return http_->currentConnections() + (staff_http_ ? staff_http_->currentConnections() : 0); };
  const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_grace;
  while (connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (http_->currentConnections() > 0) http_->stopAll(true);
  if (staff_http_ && staff_http_->currentConnections() > 0) staff_http_->stopAll(true);
  if (worker_) worker_->stop();
  if (mail_worker_) mail_worker_->stop();
  if (sweeper_) sweeper_->stop();
  pool_->joinAll();
  log_.event("info", "stopped");
}

}  // namespace askonce::server
