// server/http/config.cpp: the layers of the configuration, and every check of its values.
#include "server/http/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/JSONConfiguration.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include "engine/time_zone.hpp"
#include "engine/value.hpp"

extern char** environ;

namespace askonce::server {
namespace {

using Poco::AutoPtr;
using Poco::Util::AbstractConfiguration;

/// Every key a layer may set, with what it holds.
enum class Kind { Text, Integer, Number, Flag };
struct Key {
  std::string_view path;
  Kind kind;
};
constexpr Key known_keys[] = {
    {"server.host", Kind::Text},
    {"server.port", Kind::Integer},
    {"server.threads", Kind::Integer},
    {"server.queue", Kind::Integer},
    {"server.secure_cookies", Kind::Flag},
    {"server.public_origin", Kind::Text},
    {"server.shutdown_grace_seconds", Kind::Integer},
    {"forms", Kind::Text},
    {"db", Kind::Text},
    {"db_connections", Kind::Integer},
    {"server.node", Kind::Text},
    {"limits.body_bytes", Kind::Integer},
    {"limits.header_bytes", Kind::Integer},
    {"limits.fields", Kind::Integer},
    {"limits.value_bytes", Kind::Integer},
    {"limits.request_seconds", Kind::Integer},
    {"limits.keep_alive_seconds", Kind::Integer},
    {"rate_limit.per_minute", Kind::Number},
    {"rate_limit.burst", Kind::Number},
    {"rate_limit.trust_forwarded_for", Kind::Flag},
    {"delivery.max_attempts", Kind::Integer},
    {"delivery.base_backoff_ms", Kind::Integer},
    {"delivery.max_backoff_seconds", Kind::Integer},
    {"delivery.timeout_seconds", Kind::Integer},
    {"delivery.allow_private", Kind::Flag},
    {"delivery.lease_seconds", Kind::Integer},
    {"retention.delivered_views_days", Kind::Integer},
    {"retention.dead_letters_days", Kind::Integer},
    {"retention.submissions_days", Kind::Integer},
    {"retention.sweep_minutes", Kind::Integer},
    {"retention.drafts_days", Kind::Integer},
    {"retention.feedback_comment_days", Kind::Integer},
    {"retention.feedback_days", Kind::Integer},
    {"keys.file", Kind::Text},
    {"keys.env", Kind::Text},
    {"site.name", Kind::Text},
    {"site.home_url", Kind::Text},
    {"site.about_url", Kind::Text},
    {"site.accessibility_url", Kind::Text},
    {"site.privacy_url", Kind::Text},
    {"site.time_zone", Kind::Text},
    {"mail.host", Kind::Text},
    {"mail.port", Kind::Integer},
    {"mail.username", Kind::Text},
    {"mail.password", Kind::Text},
    {"mail.password_file", Kind::Text},
    {"mail.from", Kind::Text},
    {"mail.starttls", Kind::Text},
    {"mail.login", Kind::Text},
    {"mail.ca_file", Kind::Text},
    {"mail.helo", Kind::Text},
    {"mail.max_attempts", Kind::Integer},
    {"mail.base_backoff_ms", Kind::Integer},
    {"mail.max_backoff_seconds", Kind::Integer},
    {"mail.timeout_seconds", Kind::Integer},
    {"mail.link_days", Kind::Integer},
    {"mail.session_minutes", Kind::Integer},
    {"mail.contact_key", Kind::Text},
    {"mail.contact_key_file", Kind::Text},
    {"staff.address", Kind::Text},
    {"staff.lock_after", Kind::Integer},
    {"staff.lock_base_seconds", Kind::Integer},
    {"staff.lock_max_seconds", Kind::Integer},
    {"staff.idle_seconds", Kind::Integer},
    {"staff.session_seconds", Kind::Integer},
    {"staff.sign_in_per_minute", Kind::Number},
    {"staff.sign_in_burst", Kind::Number},
    {"staff.issuer", Kind::Text},
    {"performance.publish", Kind::Flag},
};
// Under apply.FORM_ID.
constexpr std::string_view apply_keys[] = {"phone", "in_person", "mail"};
// Under paper.FORM_ID and paper.FORM_ID.LANG.
constexpr std::string_view paper_keys[] = {"mail_to", "phone", "hours", "omb_number", "omb_expires", "privacy", "burden"};

/// A language code as forms declare them: two or three lower-case letters ("es").
bool language_code(std::string_view s) {
  return (s.size() == 2 || s.size() == 3) && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}
// Under agencies.NAME.
constexpr Key agency_keys[] = {
    {"webhook.url", Kind::Text},
    {"webhook.secret", Kind::Text},
    {"xml", Kind::Flag},
};

/// A layer and how an operator names it in a message.
struct Layer {
  AutoPtr<AbstractConfiguration> config;
  std::string name;  // "askonce.json", "the environment", "the command line"
  std::map<std::string, std::string> origin;  // key -> how it was spelled (ASKONCE_DB, --db)
};

void leaf_keys(const AbstractConfiguration& c, const std::string& prefix, std::vector<std::string>& out) {
  AbstractConfiguration::Keys keys;
  c.keys(prefix, keys);
  if (keys.empty()) {
    if (!prefix.empty()) out.push_back(prefix);
    return;
  }
  for (const auto& k : keys) leaf_keys(c, prefix.empty() ? k : prefix + "." + k, out);
}

std::optional<Kind> kind_of(const std::string& key) {
  for (const auto& k : known_keys) {
    if (k.path == key) return k.kind;
  }
  if (key.starts_with("agencies.")) {
    const auto rest = key.substr(9);
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    const auto sub = rest.substr(dot + 1);
    for (const auto& k : agency_keys) {
      if (k.path == sub) return k.kind;
    }
  }
  if (key.starts_with("paper.")) {
    auto rest = std::string_view(key).substr(6);
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    rest = rest.substr(dot + 1);
    if (const auto lang_dot = rest.find('.'); lang_dot != std::string::npos) {
      if (!language_code(rest.substr(0, lang_dot))) return std::nullopt;
      rest = rest.substr(lang_dot + 1);
    }
    for (const auto k : paper_keys) {
      if (rest == k) return Kind::Text;
    }
    return std::nullopt;
  }
  if (key.starts_with("apply.")) {
    const auto rest = key.substr(6);
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    for (const auto k : apply_keys) {
      if (rest.substr(dot + 1) == k) return Kind::Text;
    }
  }
  return std::nullopt;
}

/// A link the site's pages may carry: an https:// address, or a path on this site ("/about",
/// not "//elsewhere"); printable ASCII without spaces or quotes, as a config file writes it.
bool site_url(std::string_view url) {
  if (url.size() > 2000) return false;
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\') return false;
  }
  if (url.starts_with("https://")) return url.size() > 8 && url[8] != '/';
  return url.starts_with("/") && !url.starts_with("//");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class Reader {
 public:
  explicit Reader(std::vector<Layer> layers) : layers_(std::move(layers)) {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      // LayeredConfiguration: a lower priority number wins; the last layer (flags) wins all.
      merged_->add(layers_[i].config, static_cast<int>(layers_.size() - i));
    }
  }

  std::vector<std::string>& errors() { return errors_; }

  void check_unknown() {
    for (const auto& layer : layers_) {
      std::vector<std::string> keys;
      leaf_keys(*layer.config, "", keys);
      for (const auto& k : keys) {
        if (!kind_of(k)) {
          errors_.push_back(where(layer, k) + ": unknown setting" + suggestion(k));
        }
      }
    }
  }

  /// A text setting; `may_be_empty` for the optional ones, whose default is "" (not set).
  void text(const std::string& key, std::string& out, bool may_be_empty = false) {
    if (!merged_->has(key)) return;
    out = merged_->getString(key);
    if (out.empty() && !may_be_empty) report(key, "must not be empty");
  }

  template <typename Int>
  void integer(const std::string& key, Int& out, long long min, long long max) {
    if (!merged_->has(key)) return;
    try {
      const auto v = merged_->getInt64(key);
      if (v < min || v > max) {
        report(key, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                        ", not " + std::to_string(v));
        return;
      }
      out = static_cast<Int>(v);
    } catch (const Poco::Exception&) {
      report(key, "expected a whole number, not '" + merged_->getString(key) + "'");
    }
  }

  void number(const std::string& key, double& out, double min, double max) {
    if (!merged_->has(key)) return;
    try {
      const double v = merged_->getDouble(key);
      if (!(v >= min && v <= max)) {
        report(key, "expected a number from " + trim_number(min) + " to " + trim_number(max));
        return;
      }
      out = v;
    } catch (const Poco::Exception&) {
      report(key, "expected a number, not '" + merged_->getString(key) + "'");
    }
  }

  void flag(const std::string& key, bool& out) {
    if (!merged_->has(key)) return;
    try {
      out = merged_->getBool(key);
    } catch (const Poco::Exception&) {
      report(key, "expected true or false, not '" + merged_->getString(key) + "'");
    }
  }

  /// The names under `prefix` in any layer: agencies.NAME, apply.FORM.
  std::vector<std::string> names_under(const std::string& prefix) {
    std::set<std::string> names;
    for (const auto& layer : layers_) {
      AbstractConfiguration::Keys keys;
      layer.config->keys(prefix, keys);
      names.insert(keys.begin(), keys.end());
    }
    return {names.begin(), names.end()};
  }
  std::vector<std::string> agency_names() { return names_under("agencies"); }

  void report(const std::string& key, const std::string& message) {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
      if (it->config->has(key)) {
        errors_.push_back(where(*it, key) + ": " + message);
        return;
      }
    }
    errors_.push_back(key + ": " + message);
  }

 private:
  static std::string trim_number(double d) {
    auto s = std::to_string(d);
    while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) s.pop_back();
    return s;
  }

  static std::string where(const Layer& layer, const std::string& key) {
    if (auto it = layer.origin.find(key); it != layer.origin.end()) return layer.name + ": " + it->second;
    return layer.name + ": " + key;
  }

  static std::string suggestion(const std::string& key) {
    // The closest known key by edit distance, when it is close.
    auto distance = [](std::string_view a, std::string_view b) {
      std::vector<std::size_t> row(b.size() + 1);
      for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
      for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t prev = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
          const std::size_t cur = row[j];
          row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
          prev = cur;
        }
      }
      return row[b.size()];
    };
    std::string_view best;
    std::size_t best_d = 4;
    for (const auto& k : known_keys) {
      const auto d = distance(key, k.path);
      if (d < best_d) best_d = d, best = k.path;
    }
    return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
  }

  std::vector<Layer> layers_;
  AutoPtr<Poco::Util::LayeredConfiguration> merged_{new Poco::Util::LayeredConfiguration};
  std::vector<std::string> errors_;
};

/// ASKONCE_LIMITS__BODY_BYTES -> limits.body_bytes; ASKONCE_AGENCIES__SSA__WEBHOOK__URL ->
/// agencies.SSA.webhook.url; the short names for the four settings most often set.
std::optional<std::string> env_key(const std::string& name) {
  static const std::map<std::string, std::string> short_names = {
      {"ASKONCE_PORT", "server.port"}, {"ASKONCE_HOST", "server.host"}, {"ASKONCE_FORMS", "forms"}, {"ASKONCE_DB", "db"}};
  if (auto it = short_names.find(name); it != short_names.end()) return it->second;
  if (!name.starts_with("ASKONCE_") || name == "ASKONCE_CONFIG") return std::nullopt;
  std::string rest = name.substr(8), key;
  bool agency_next = false;
  std::size_t at = 0;
  while (at <= rest.size()) {
    const auto sep = rest.find("__", at);
    std::string part = rest.substr(at, sep == std::string::npos ? std::string::npos : sep - at);
    const bool is_agency = agency_next;
    agency_next = key.empty() && lower(part) == "agencies";
    key += (key.empty() ? "" : ".") + (is_agency ? part : lower(part));
    if (sep == std::string::npos) break;
    at = sep + 2;
  }
  return key;
}

}  // namespace

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

ConfigResult load_config(const ConfigFlags& flags, const std::map<std::string, std::string>& environment) {
  ConfigResult result;
  std::vector<Layer> layers;

  // The file: --config, or ASKONCE_CONFIG.
  std::string file;
  if (flags.config) {
    file = *flags.config;
  } else if (auto it = environment.find("ASKONCE_CONFIG"); it != environment.end()) {
    file = it->second;
  }
  if (!file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      result.errors.push_back(file + ": cannot read the config file (no such file)");
      return result;
    }
    try {
      AutoPtr<Poco::Util::JSONConfiguration> json(new Poco::Util::JSONConfiguration(file));
      layers.push_back({json, file, {}});
    } catch (const Poco::Exception& e) {
      result.errors.push_back(file + ": not valid JSON: " + e.message());
      return result;
    }
  }

  AutoPtr<Poco::Util::MapConfiguration> env(new Poco::Util::MapConfiguration);
  Layer env_layer{env, "the environment", {}};
  for (const auto& [name, value] : environment) {
    if (auto key = env_key(name)) {
      env->setString(*key, value);
      env_layer.origin[*key] = name;
    }
  }
  layers.push_back(env_layer);

  AutoPtr<Poco::Util::MapConfiguration> args(new Poco::Util::MapConfiguration);
  Layer flag_layer{args, "the command line", {}};
  auto set_flag = [&](const char* key, const char* flag, const std::string& value) {
    args->setString(key, value);
    flag_layer.origin[key] = flag;
  };
  if (flags.port) set_flag("server.port", "--port", std::to_string(*flags.port));
  if (flags.forms) set_flag("forms", "--forms", *flags.forms);
  if (flags.db) set_flag("db", "--db", *flags.db);
  layers.push_back(flag_layer);

  Reader r(std::move(layers));
  r.check_unknown();

  Config c;
  c.config_file = file;
  r.text("server.host", c.host);
  r.integer("server.port", c.port, 0, 65535);
  r.integer("server.threads", c.threads, 1, 4096);
  r.integer("server.queue", c.queue, 1, 65536);
  r.flag("server.secure_cookies", c.secure_cookies);
  r.flag("performance.publish", c.performance.publish);
  r.text("server.public_origin", c.public_origin, true);
  if (!c.public_origin.empty()) {
    // An origin as browsers send it: scheme, host and maybe a port; nothing after.
    const std::string o = lower(c.public_origin);
    const auto scheme_end = o.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "" : o.substr(0, scheme_end);
    const std::string rest = scheme_end == std::string::npos ? "" : o.substr(scheme_end + 3);
    const bool host_ok = !rest.empty() && rest.find_first_of("/?#@ \t") == std::string::npos;
    if ((scheme != "https" && scheme != "http") || !host_ok) {
      r.report("server.public_origin",
               "expected an origin like \"https://forms.example.gov\": a scheme and a host (and a port), no path");
    }
    c.public_origin = o;
  }
  long long grace = c.shutdown_grace.count();
  r.integer("server.shutdown_grace_seconds", grace, 0, 600);
  c.shutdown_grace = std::chrono::seconds(grace);
  r.text("forms", c.forms);
  r.text("db", c.db);
  r.integer("db_connections", c.db_connections, 1, 256);
  r.text("server.node", c.node, true);
  if (!c.node.empty() && (c.node.size() > 64 || c.node.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != std::string::npos)) {
    r.report("server.node", "expected up to 64 letters, digits, '-', '_' or '.'");
  }

  auto& l = c.limits;
  r.integer("limits.body_bytes", l.body_bytes, 1024, 1ll << 30);
  r.integer("limits.header_bytes", l.header_bytes, 1024, 1ll << 20);
  r.integer("limits.fields", l.fields, 1, 1000000);
  r.integer("limits.value_bytes", l.value_bytes, 16, 1ll << 24);
  long long seconds = l.request_time.count();
  r.integer("limits.request_seconds", seconds, 1, 3600);
  l.request_time = std::chrono::seconds(seconds);
  seconds = l.keep_alive.count();
  r.integer("limits.keep_alive_seconds", seconds, 0, 3600);
  l.keep_alive = std::chrono::seconds(seconds);

  r.number("rate_limit.per_minute", c.rate.per_minute, 0.001, 1e9);
  r.number("rate_limit.burst", c.rate.burst, 1, 1e9);
  r.flag("rate_limit.trust_forwarded_for", c.rate.trust_forwarded_for);

  auto& d = c.delivery;
  r.integer("delivery.max_attempts", d.max_attempts, 1, 1000);
  long long ms = d.base_backoff.count();
  r.integer("delivery.base_backoff_ms", ms, 1, 86400000);
  d.base_backoff = std::chrono::milliseconds(ms);
  seconds = std::chrono::duration_cast<std::chrono::seconds>(d.max_backoff).count();
  r.integer("delivery.max_backoff_seconds", seconds, 1, 7 * 86400);
  d.max_backoff = std::chrono::seconds(seconds);
  seconds = d.timeout.count();
  r.integer("delivery.timeout_seconds", seconds, 1, 600);
  d.timeout = std::chrono::seconds(seconds);
  r.flag("delivery.allow_private", d.allow_private);
  seconds = d.lease.count();
  r.integer("delivery.lease_seconds", seconds, 0, 86400);
  d.lease = std::chrono::seconds(seconds);

  auto& k = c.retention;
  r.integer("retention.delivered_views_days", k.delivered_views_days, 0, 36500);
  r.integer("retention.dead_letters_days", k.dead_letters_days, 0, 36500);
  r.integer("retention.submissions_days", k.submissions_days, 0, 36500);
  r.integer("retention.sweep_minutes", k.sweep_minutes, 0, 10080);
  r.integer("retention.drafts_days", k.drafts_days, 1, 3650);
  // A comment is free text a citizen may have put anything in: it is always blanked at last.
  r.integer("retention.feedback_comment_days", k.feedback_comment_days, 1, 3650);
  r.integer("retention.feedback_days", k.feedback_days, 0, 36500);

  r.text("keys.file", c.keys.file, true);
  r.text("keys.env", c.keys.env, true);
  if (!c.keys.file.empty() && !c.keys.env.empty()) {
    r.report("keys.env", "set keys.file or keys.env, not both");
  } else if (!c.keys.env.empty()) {
    const auto it = environment.find(c.keys.env);
    if (c.keys.env.starts_with("ASKONCE_")) {
      r.report("keys.env", "name a variable outside ASKONCE_ (those are settings): e.g. ASKONCE_KEYRING is read as the setting \"keyring\"");
    } else if (it == environment.end() || it->second.empty()) {
      r.report("keys.env", "the environment variable " + c.keys.env + " is not set");
    } else {
      c.keys.text = it->second;
    }
  }

  auto& m = c.mail;
  r.text("mail.host", m.host, true);
  r.integer("mail.port", m.port, 1, 65535);
  r.text("mail.username", m.username, true);
  r.text("mail.password", m.password, true);
  std::string password_file;
  r.text("mail.password_file", password_file, true);
  r.text("mail.from", m.from, true);
  r.text("mail.starttls", m.starttls);
  r.text("mail.login", m.login);
  r.text("mail.ca_file", m.ca_file, true);
  r.text("mail.helo", m.helo, true);
  r.integer("mail.max_attempts", m.max_attempts, 1, 1000);
  ms = m.base_backoff.count();
  r.integer("mail.base_backoff_ms", ms, 1, 86400000);
  m.base_backoff = std::chrono::milliseconds(ms);
  seconds = std::chrono::duration_cast<std::chrono::seconds>(m.max_backoff).count();
  r.integer("mail.max_backoff_seconds", seconds, 1, 7 * 86400);
  m.max_backoff = std::chrono::seconds(seconds);
  seconds = m.timeout.count();
  r.integer("mail.timeout_seconds", seconds, 1, 600);
  m.timeout = std::chrono::seconds(seconds);
  r.integer("mail.link_days", m.link_days, 1, 90);
  r.integer("mail.session_minutes", m.session_minutes, 1, 1440);
  if (m.starttls != "required" && m.starttls != "none") {
    r.report("mail.starttls", "expected \"required\" or \"none\"");
  }
  if (m.login != "plain" && m.login != "login") r.report("mail.login", "expected \"plain\" or \"login\"");
  if (!password_file.empty()) {
    if (!m.password.empty()) {
      r.report("mail.password_file", "set mail.password or mail.password_file, not both");
    } else {
      // The file's first line; the value itself never appears in a message.
      std::ifstream in(password_file);
      if (!in || !std::getline(in, m.password) || m.password.empty()) {
        r.report("mail.password_file", "cannot read a password from " + password_file);
      }
      if (!m.password.empty() && m.password.back() == '\r') m.password.pop_back();
    }
  }
  std::string contact_key_file;
  r.text("mail.contact_key", m.contact_key, true);
  r.text("mail.contact_key_file", contact_key_file, true);
  if (!contact_key_file.empty()) {
    if (!m.contact_key.empty()) {
      r.report("mail.contact_key_file", "set mail.contact_key or mail.contact_key_file, not both");
    } else {
      std::ifstream in(contact_key_file);
      std::getline(in, m.contact_key);
      if (!m.contact_key.empty() && m.contact_key.back() == '\r') m.contact_key.pop_back();
      if (m.contact_key.empty()) r.report("mail.contact_key_file", "cannot read a key from " + contact_key_file);
    }
  }
  if (!m.contact_key.empty() && m.contact_key.size() < 32) {
    r.report(contact_key_file.empty() ? "mail.contact_key" : "mail.contact_key_file",
             "the key must be at least 32 characters (e.g. `openssl rand -hex 32`)");
  }
  if (!m.host.empty()) {
    if (m.from.empty()) r.report("mail.host", "a relay needs the address mail comes from (mail.from)");
    if (!m.username.empty() && m.starttls != "required") {
      r.report("mail.username", "a login is only ever sent after STARTTLS: mail.starttls must be \"required\"");
    }
    if (!m.username.empty() && m.password.empty()) {
      r.report("mail.username", "a login needs its password (mail.password or mail.password_file)");
    }
  }

  for (const auto& name : r.agency_names()) {
    AgencyConfig a;
    a.name = name;
    const std::string base = "agencies." + name + ".";
    r.text(base + "webhook.url", a.webhook_url);
    r.text(base + "webhook.secret", a.webhook_secret);
    r.flag(base + "xml", a.xml);
    if (!a.webhook_url.empty() && a.webhook_secret.empty()) {
      r.report(base + "webhook.url", "a webhook needs its secret (" + base + "webhook.secret, \"whsec_\" + base64)");
    }
    if (!a.webhook_secret.empty() && !a.webhook_secret.starts_with("whsec_")) {
      r.report(base + "webhook.secret", "expected \"whsec_\" and a base64 key, as Standard Webhooks secrets are");
    }
    c.agencies.push_back(std::move(a));
  }

  // The site: its name and links, as citizens see them on every page.
  auto& site = c.site;
  r.text("site.name", site.name, true);
  if (site.name.size() > 100 || std::any_of(site.name.begin(), site.name.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; })) {
    r.report("site.name", "expected the service's name on one line, at most 100 bytes");
  }
  for (auto [key, url] : {std::pair{"site.home_url", &site.home_url}, {"site.about_url", &site.about_url},
                          {"site.accessibility_url", &site.accessibility_url}, {"site.privacy_url", &site.privacy_url}}) {
    r.text(key, *url, true);
    if (!url->empty() && !site_url(*url)) {
      r.report(key, "expected an https:// address or a path from the site's root starting with \"/\" (\"" + *url + "\" is neither)");
    }
  }
  r.text("site.time_zone", site.time_zone);
  if (!site.time_zone.empty() && !engine::TimeZone::find(site.time_zone)) {
    r.report("site.time_zone", "no time zone \"" + site.time_zone +
                                   "\" in the system's tz database (/usr/share/zoneinfo, Debian's tzdata); expected an "
                                   "IANA name like \"America/New_York\"");
  }
  for (const auto& form : r.names_under("apply")) {
    ApplyConfig a;
    a.form = form;
    const std::string base = "apply." + form + ".";
    for (auto [key, text] : {std::pair{"phone", &a.phone}, {"in_person", &a.in_person}, {"mail", &a.mail}}) {
      r.text(base + key, *text, true);
      if (text->size() > 1000 || std::any_of(text->begin(), text->end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; })) {
        r.report(base + key, "expected one line of text, at most 1000 bytes");
      }
    }
    c.apply.push_back(std::move(a));
  }
  // The paper form's texts, for every language and for one (paper.FORM.es.hours).
  const auto paper_texts = [&r](const std::string& base, PaperTexts& t) {
    for (auto [key, text] : {std::pair{"mail_to", &t.mail_to}, {"phone", &t.phone}, {"hours", &t.hours},
                             {"omb_number", &t.omb_number}, {"omb_expires", &t.omb_expires}, {"privacy", &t.privacy},
                             {"burden", &t.burden}}) {
      r.text(base + key, *text, true);
      // The address keeps its line breaks; nothing else may hold a control character.
      const bool lines = std::string_view(key) == "mail_to";
      if (text->size() > 4000 || std::any_of(text->begin(), text->end(), [lines](unsigned char ch) {
            return (ch < 0x20 && !(lines && ch == '\n')) || ch == 0x7f;
          })) {
        r.report(base + key, lines ? "expected the address, at most 4000 bytes, its lines separated by \"\\n\""
                                   : "expected one line of text, at most 4000 bytes");
      }
    }
    if (!t.phone.empty() && (t.phone.size() > 40 || t.phone.find_first_not_of("0123456789 ()-.+") != std::string::npos ||
                             std::count_if(t.phone.begin(), t.phone.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) < 7)) {
      r.report(base + "phone", "expected a phone number: 7 to 15 digits with spaces, dashes or parentheses, like \"1-877-222-8387\"");
    }
    if (!t.omb_number.empty() &&
        (t.omb_number.size() != 9 || t.omb_number[4] != '-' ||
         t.omb_number.find_first_not_of("0123456789-") != std::string::npos || t.omb_number.find('-', 5) != std::string::npos)) {
      r.report(base + "omb_number", "expected an OMB control number: 4 digits, a dash and 4 digits, like \"2900-0091\"");
    }
    if (t.omb_number.empty() != t.omb_expires.empty()) {
      r.report(base + (t.omb_number.empty() ? "omb_number" : "omb_expires"),
               "give omb_number and omb_expires together: the number and the date its approval expires");
    }
    if (!t.omb_expires.empty()) {
      const auto& d = t.omb_expires;
      const bool shape = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                         std::all_of(d.begin(), d.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
      if (!shape || !engine::is_real_date(std::stoi(d.substr(0, 4)), static_cast<unsigned>(std::stoi(d.substr(5, 2))),
                                          static_cast<unsigned>(std::stoi(d.substr(8, 2))))) {
        r.report(base + "omb_expires", "expected a real date as YYYY-MM-DD, like \"2027-09-30\"");
      }
    }
  };
  for (const auto& form : r.names_under("paper")) {
    PaperConfig p;
    p.form = form;
    paper_texts("paper." + form + ".", p.all);
    for (const auto& lang : r.names_under("paper." + form)) {
      if (!language_code(lang)) continue;  // a key of its own (mail_to, ...), read above
      PaperTexts t;
      paper_texts("paper." + form + "." + lang + ".", t);
      p.languages.emplace_back(lang, std::move(t));
    }
    c.paper.push_back(std::move(p));
  }

  // Staff sign-in (docs/operations.md, "Staff").
  auto& st = c.staff;
  r.text("staff.address", st.address, true);
  if (!st.address.empty()) {
    const auto colon = st.address.rfind(':');
    const std::string port = colon == std::string::npos ? "" : st.address.substr(colon + 1);
    if (colon == std::string::npos || colon == 0 || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
      r.report("staff.address", "expected \"host:port\" (e.g. \"10.0.0.5:8443\"), not \"" + st.address + "\"");
    }
  }
  r.integer("staff.lock_after", st.lock_after, 1, 100);
  r.integer("staff.lock_base_seconds", st.lock_base_seconds, 1, 86400);
  r.integer("staff.lock_max_seconds", st.lock_max_seconds, 1, 7 * 86400);
  r.integer("staff.idle_seconds", st.idle_seconds, 1, 86400);
  r.integer("staff.session_seconds", st.session_seconds, 1, 7 * 86400);
  r.number("staff.sign_in_per_minute", st.sign_in_per_minute, 0.001, 1e6);
  r.number("staff.sign_in_burst", st.sign_in_burst, 1, 1e6);
  r.text("staff.issuer", st.issuer, true);
  if (st.issuer.size() > 64 || st.issuer.find_first_of(":\r\n") != std::string::npos) {
    r.report("staff.issuer", "expected a short name (at most 64 bytes, no ':')");
  }

  result.errors = std::move(r.errors());
  if (result.errors.empty()) result.config = std::move(c);
  return result;
}

}  // namespace askonce::server
