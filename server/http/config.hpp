// server/http/config.hpp: what `askonce serve` runs with.
//
// Four layers, each overriding the one before (Poco::Util::LayeredConfiguration does the
// layering): the defaults below, the config file (JSON), the environment (ASKONCE_*), and the
// command-line flags. docs/operations.md lists every key. A mistake in any layer (an unknown
// key, a value of the wrong kind or out of range, a webhook without its secret) is reported
// with where it came from, and the server does not start.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace askonce::server {

/// Where an agency's views go besides the pull API. Set by the deployment, never by a form.
struct AgencyConfig {
  std::string name;        // the agency's name in the forms ("SSA")
  std::string webhook_url; // empty: the agency only pulls
  std::string webhook_secret;  // "whsec_" + base64 (Standard Webhooks); required with a URL
  bool xml = false;        // send the XML view instead of the JSON one
};

struct ServerLimits {
  std::size_t body_bytes = 1u << 20;         // a request body; more: 413
  std::size_t header_bytes = 16u << 10;      // all request headers together; more: 431
  std::size_t fields = 2000;                 // answers in one submission (flat fields or JSON values)
  std::size_t value_bytes = 16u << 10;       // one answer
  std::chrono::seconds request_time{10};     // to send a request, and to read its body
  std::chrono::seconds keep_alive{5};        // an idle connection is closed after this
};

struct RateLimitConfig {
  double per_minute = 60;  // submissions a client may make per minute, on average
  double burst = 20;       // and at once
  bool trust_forwarded_for = false;  // behind a proxy: the client is X-Forwarded-For's first address
};

struct DeliveryConfig {
  int max_attempts = 12;
  std::chrono::milliseconds base_backoff{std::chrono::seconds(5)};
  std::chrono::milliseconds max_backoff{std::chrono::hours(6)};
  std::chrono::seconds timeout{10};
  bool allow_private = false;  // webhooks to loopback, private or link-local addresses
  /// How long a claimed row stays this node's before another may take it over (a node that
  /// died mid-delivery); 0: 60 s, or twice the timeout when that is longer.
  std::chrono::seconds lease{0};
};

/// How long records are kept (docs/operations.md, "Retention"); 0 days: for ever.
struct RetentionConfig {
  int delivered_views_days = 90;  // an agency's view, from its delivery or acknowledgement
  int dead_letters_days = 365;    // a view whose delivery gave up, from its submission
  int submissions_days = 0;       // a submission, once none of its views is left
  int drafts_days = 30;           // an application in progress, from its last change
  int feedback_comment_days = 90; // a feedback comment (free text), from when it was given; then blanked
  int feedback_days = 0;          // a feedback row (counts, under a one-way token), from its offer
  int sweep_minutes = 60;         // how often this process sweeps; 0: never (another node does)
};

/// Where the keys that seal drafts come from (server/store/keyring.hpp): a file, or an
/// environment variable, never the database. Neither set: on SQLite, a key file beside the
/// database, created on first start; on PostgreSQL (several nodes share the keys) an error.
struct KeysConfig {
  std::string file;  // keys.file: a path
  std::string env;   // keys.env: the NAME of an environment variable holding the keyring
  std::string text;  // that variable's value, read with the rest of the environment; never logged
};

/// What the citizens' pages say about the deployment (docs/operations.md, "The site"): the
/// frame's header and footer, and the time zone times are shown in.
struct SiteConfig {
  std::string name;               // the service's name in every page's header and title; empty: "Government forms"
  std::string home_url;           // the header's link; empty: "/"
  std::string about_url;          // the footer's links: https://... or a path from "/"; empty: no link
  std::string accessibility_url;
  std::string privacy_url;
  std::string time_zone = "America/New_York";  // IANA name, from the system's tz database
};

/// The other ways to apply for one form, in place of the form's own `apply` settings.
struct ApplyConfig {
  std::string form;  // the form's id
  std::string phone, in_person, mail;  // empty: the form's own
};

/// What a deployment prints on one form's paper copies in place of the form's `paper`
/// settings (docs/operations.md, "The paper form"): `paper.<form id>.<key>` for every
/// language, `paper.<form id>.<lang>.<key>` for one. Empty: the form's own.
struct PaperTexts {
  std::string mail_to;      // "\n" between the lines of the address
  std::string phone;
  std::string hours;
  std::string omb_number;   // "1234-5678", only with omb_expires
  std::string omb_expires;  // "YYYY-MM-DD", a real date
  std::string privacy;
  std::string burden;
};
struct PaperConfig {
  std::string form;  // the form's id
  PaperTexts all;    // for every language
  std::vector<std::pair<std::string, PaperTexts>> languages;  // ("es", ...): over `all` in that language
};

/// The SMTP relay mail goes through (docs/operations.md, "Mail"). No host: no relay, so no
/// mail is queued and no page promises one.
struct MailConfig {
  std::string host;
  int port = 587;
  std::string username;
  std::string password;  // from mail.password or mail.password_file; never logged
  std::string from;      // required with a host: "Service <no-reply@example.gov>"
  std::string starttls = "required";  // "required", or "none" (a relay on this machine, no login)
  std::string login = "plain";        // "plain" or "login": the AUTH mechanism
  std::string ca_file;                // PEM CAs to trust for the relay besides the system's
  std::string helo;                   // the name given in EHLO; empty: "localhost"
  int max_attempts = 12;
  std::chrono::milliseconds base_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds max_backoff{std::chrono::hours(6)};
  std::chrono::seconds timeout{30};
  int link_days = 7;          // how long a receipt link in a mail opens
  int session_minutes = 120;  // how long the session a link opens lasts (the cookie: until the browser closes)
  /// The key of the keyed hash kept of each receipt's email address ("Lost your receipt
  /// link?"), from mail.contact_key (the environment) or mail.contact_key_file; never from the
  /// database. Empty: no hash is kept and the lost-link page is not offered.
  std::string contact_key;
  bool enabled() const { return !host.empty(); }
};

/// Staff sign-in and sessions (docs/operations.md, "Staff").
struct StaffConfig {
  /// "host:port" to serve /staff/ on, apart from the public site (whose address then answers
  /// 404 under /staff/); empty: the public address serves it too. Port 0: any free port (tests).
  std::string address;
  int lock_after = 5;              // failed sign-ins before the account waits
  int lock_base_seconds = 30;      // the first wait, doubled for each failure after
  int lock_max_seconds = 3600;     // the longest wait
  int idle_seconds = 900;          // a session not used for this long ends
  int session_seconds = 28800;     // every session ends this long after sign-in
  // Sign-in posts (name and password, or a code) per client address, a token bucket of its
  // own apart from rate_limit.*: a flood of guesses is refused before it reaches SignIn or the
  // audit log, and citizens' submissions never spend staff's tokens, nor the reverse.
  double sign_in_per_minute = 10;
  double sign_in_burst = 30;
  std::string issuer;              // the name authenticator apps show; empty: site.name, or "askonce"
};

/// The published results (/performance; docs/figures.md, "Published results").
struct PerformanceConfig {
  /// Keep the figure counts as applications, drafts and statuses change, and serve
  /// /performance. False (a deployment that does not publish): nothing is counted, every
  /// /performance address answers 404 with a page that says so, and the submission path
  /// saves the counting's cost (bench/server/run.sh measures it).
  bool publish = true;
};

struct Config {
  std::string host = "127.0.0.1";  // the address to listen on
  int port = 8080;                 // 0: any free port (tests)
  std::string forms = "forms";     // the folder of .form files
  std::string db = "askonce.db";   // a SQLite file, or a PostgreSQL URL or key=value string
  std::size_t db_connections = 8;  // PostgreSQL: connections besides the group-commit writer
  // This process's name among several on one database ("node-1"): in its delivery leases, and
  // so in the User-Agent of its webhooks, for operators to tell nodes apart. Empty: "askonce".
  std::string node;
  int threads = 64;                // connections served at once
  int queue = 256;                 // connections waiting beyond those
  bool secure_cookies = false;     // set when served over HTTPS (behind a TLS proxy)
  // "https://forms.example.gov": where citizens reach the server. When set, a form post's
  // Origin must be exactly this; otherwise it must be this server's Host.
  std::string public_origin;
  std::chrono::seconds shutdown_grace{20};
  ServerLimits limits;
  RateLimitConfig rate;
  DeliveryConfig delivery;
  RetentionConfig retention;
  KeysConfig keys;
  MailConfig mail;
  std::vector<AgencyConfig> agencies;
  SiteConfig site;
  std::vector<ApplyConfig> apply;  // apply.<form id>.phone / .in_person / .mail
  StaffConfig staff;
  std::vector<PaperConfig> paper;  // paper.<form id>[.<lang>].mail_to / .phone / ...
  PerformanceConfig performance;
  std::string config_file;         // where the file layer came from; empty: none
};

/// The flags of `askonce serve` that override the other layers.
struct ConfigFlags {
  std::optional<int> port;
  std::optional<std::string> forms;
  std::optional<std::string> db;
  std::optional<std::string> config;  // the config file (otherwise ASKONCE_CONFIG, or none)
};

struct ConfigResult {
  std::optional<Config> config;
  std::vector<std::string> errors;  // "askonce.json: server.port: expected a number from 0 to 65535"
};

/// Builds the configuration from the layers. `environment` is the process environment (tests
/// pass their own): ASKONCE_CONFIG names the file; ASKONCE_PORT, ASKONCE_HOST, ASKONCE_FORMS
/// and ASKONCE_DB set those; any other key is ASKONCE_ and its path with `__` between parts
/// (ASKONCE_LIMITS__BODY_BYTES, ASKONCE_AGENCIES__SSA__WEBHOOK__SECRET; agency names keep
/// their case, other parts are lower case).
ConfigResult load_config(const ConfigFlags& flags, const std::map<std::string, std::string>& environment);

/// The process environment, for load_config.
std::map<std::string, std::string> process_environment();

}  // namespace askonce::server
