// tests/server_core_tests.cpp: what every request gets, the configuration layers, starting
// and stopping: a real server on a loopback port, a real SQLite file.
#define BOOST_TEST_MODULE server_core
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/SocketStream.h>

#include "server/http/http.hpp"
#include "server/http/rate_limit.hpp"
#include "server/http/web_pages.hpp"
#include "tests/server_support.hpp"

using namespace askonce;
using askonce::test::TestServer;

namespace {

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool has_error(const server::ConfigResult& r, const std::string& part) {
  for (const auto& e : r.errors) {
    if (e.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

// --- configuration ---

BOOST_AUTO_TEST_CASE(defaults_without_file_or_environment) {
  auto r = server::load_config({}, {});
  BOOST_REQUIRE(r.config);
  BOOST_TEST(r.config->port == 8080);
  BOOST_TEST(r.config->db == "askonce.db");
  BOOST_TEST(r.config->forms == "forms");
  BOOST_TEST(r.config->limits.body_bytes == 1u << 20);
}

BOOST_AUTO_TEST_CASE(flags_override_environment_override_file) {
  test::TempDir dir("config");
  const auto file = dir.path / "askonce.json";
  write_file(file, R"({"server": {"port": 9000, "threads": 8}, "db": "file.db", "forms": "file-forms",
                      "limits": {"body_bytes": 4096},
                      "agencies": {"SSA": {"webhook": {"url": "https://ssa.example/hook", "secret": "whsec_c2VjcmV0"}}}})");
  server::ConfigFlags flags;
  flags.config = file.string();
  flags.db = "flag.db";
  const std::map<std::string, std::string> env = {
      {"ASKONCE_PORT", "9100"}, {"ASKONCE_DB", "env.db"}, {"ASKONCE_LIMITS__BODY_BYTES", "8192"},
      {"ASKONCE_AGENCIES__SSA__WEBHOOK__SECRET", "whsec_ZnJvbS1lbnY="}, {"PATH", "/usr/bin"}};
  auto r = server::load_config(flags, env);
  BOOST_REQUIRE_MESSAGE(r.config, (r.errors.empty() ? std::string() : r.errors.front()));
  BOOST_TEST(r.config->port == 9100);           // environment over file
  BOOST_TEST(r.config->db == "flag.db");        // flag over environment
  BOOST_TEST(r.config->forms == "file-forms");  // file over default
  BOOST_TEST(r.config->threads == 8);
  BOOST_TEST(r.config->limits.body_bytes == 8192u);
  BOOST_REQUIRE(r.config->agencies.size() == 1);
  BOOST_TEST(r.config->agencies[0].name == "SSA");
  BOOST_TEST(r.config->agencies[0].webhook_url == "https://ssa.example/hook");
  BOOST_TEST(r.config->agencies[0].webhook_secret == "whsec_ZnJvbS1lbnY=");

  flags.port = 9200;
  BOOST_TEST(server::load_config(flags, env).config->port == 9200);
}

BOOST_AUTO_TEST_CASE(config_mistakes_are_reported_with_where_they_came_from) {
  test::TempDir dir("config");
  const auto file = dir.path / "askonce.json";
  write_file(file, R"({"server": {"prot": 9000, "port": "eighty"}, "limits": {"body_bytes": 10},
                      "agencies": {"VA": {"webhook": {"url": "https://va.example/hook"}}}})");
  server::ConfigFlags flags;
  flags.config = file.string();
  auto r = server::load_config(flags, {{"ASKONCE_RATE_LIMIT__BURST", "lots"}});
  BOOST_TEST(!r.config);
  BOOST_TEST(has_error(r, "askonce.json: server.prot: unknown setting (did you mean 'server.port'?)"));
  BOOST_TEST(has_error(r, "server.port: expected a whole number, not 'eighty'"));
  BOOST_TEST(has_error(r, "limits.body_bytes: expected a whole number from 1024"));
  BOOST_TEST(has_error(r, "the environment: ASKONCE_RATE_LIMIT__BURST: expected a number, not 'lots'"));
  BOOST_TEST(has_error(r, "agencies.VA.webhook.url: a webhook needs its secret"));

  write_file(file, "{ not json");
  r = server::load_config(flags, {});
  BOOST_TEST(has_error(r, "not valid JSON"));
  flags.config = (dir.path / "missing.json").string();
  BOOST_TEST(has_error(server::load_config(flags, {}), "cannot read the config file"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_LIMITS__BODYBYTES", "1"}}),
                       "ASKONCE_LIMITS__BODYBYTES: unknown setting (did you mean 'limits.body_bytes'?)"));
  // The public origin is an origin: a scheme and a host, nothing after.
  for (const char* bad : {"forms.example.gov", "https://forms.example.gov/apply", "ftp://x", "https://"}) {
    BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SERVER__PUBLIC_ORIGIN", bad}}),
                         "ASKONCE_SERVER__PUBLIC_ORIGIN: expected an origin like \"https://forms.example.gov\""),
               bad);
  }
  const auto ok = server::load_config({}, {{"ASKONCE_SERVER__PUBLIC_ORIGIN", "HTTPS://Forms.Example.gov:8443"}});
  BOOST_REQUIRE(ok.config);
  BOOST_TEST(ok.config->public_origin == "https://forms.example.gov:8443");

  // Several nodes on one database: a node's name, its delivery lease, its connections.
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SERVER__NODE", "node 1; drop"}}),
                       "ASKONCE_SERVER__NODE: expected up to 64 letters, digits, '-', '_' or '.'"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_DB_CONNECTIONS", "0"}}),
                       "ASKONCE_DB_CONNECTIONS: expected a whole number from 1 to 256"));
  const auto nodes = server::load_config({}, {{"ASKONCE_SERVER__NODE", "node-1"},
                                              {"ASKONCE_DELIVERY__LEASE_SECONDS", "30"},
                                              {"ASKONCE_DB_CONNECTIONS", "16"}});
  BOOST_REQUIRE(nodes.config);
  BOOST_TEST(nodes.config->node == "node-1");
  BOOST_TEST(nodes.config->delivery.lease.count() == 30);
  BOOST_TEST(nodes.config->db_connections == 16u);

  // Retention: the defaults keep what agencies have not received and keep submissions; days.
  const auto defaults = server::load_config({}, {});
  BOOST_TEST(defaults.config->retention.delivered_views_days == 90);
  BOOST_TEST(defaults.config->retention.dead_letters_days == 365);
  BOOST_TEST(defaults.config->retention.submissions_days == 0);
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_RETENTION__SUBMISSIONS_DAYS", "-1"}}),
                       "ASKONCE_RETENTION__SUBMISSIONS_DAYS: expected a whole number from 0 to 36500"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_RETENTION__VIEWS_DAYS", "30"}}),
                       "ASKONCE_RETENTION__VIEWS_DAYS: unknown setting"));
  const auto kept = server::load_config({}, {{"ASKONCE_RETENTION__SUBMISSIONS_DAYS", "2555"}});
  BOOST_TEST(kept.config->retention.submissions_days == 2555);
}

BOOST_AUTO_TEST_CASE(the_site_and_other_ways_to_apply) {
  test::TempDir dir("site");
  const auto file = dir.path / "askonce.json";
  write_file(file, R"({"site": {"name": "Benefits Online", "home_url": "https://www.example.gov/",
                                "about_url": "/about", "accessibility_url": "https://www.example.gov/a11y",
                                "privacy_url": "/privacy", "time_zone": "America/Chicago"},
                       "apply": {"change_of_address": {"phone": "Call 311.", "mail": "Mail it to City Hall."}}})");
  server::ConfigFlags flags;
  flags.config = file.string();
  const auto r = server::load_config(flags, {{"ASKONCE_APPLY__CHANGE_OF_ADDRESS__IN_PERSON", "Come by."}});
  BOOST_REQUIRE_MESSAGE(r.config, (r.errors.empty() ? std::string() : r.errors.front()));
  const auto& site = r.config->site;
  BOOST_TEST(site.name == "Benefits Online");
  BOOST_TEST(site.home_url == "https://www.example.gov/");
  BOOST_TEST(site.about_url == "/about");
  BOOST_TEST(site.accessibility_url == "https://www.example.gov/a11y");
  BOOST_TEST(site.privacy_url == "/privacy");
  BOOST_TEST(site.time_zone == "America/Chicago");
  BOOST_REQUIRE(r.config->apply.size() == 1u);
  BOOST_TEST(r.config->apply[0].form == "change_of_address");
  BOOST_TEST(r.config->apply[0].phone == "Call 311.");
  BOOST_TEST(r.config->apply[0].in_person == "Come by.");
  BOOST_TEST(r.config->apply[0].mail == "Mail it to City Hall.");
  BOOST_TEST(server::load_config({}, {}).config->site.time_zone == "America/New_York");

  // Links: https:// or a path on this site, nothing a page could be made to run or leave by.
  for (const char* bad : {"http://example.gov/about", "javascript:alert(1)", "//evil.example/", "about", "https://",
                          "/a b", "/\"x\"", "https:///x"}) {
    BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SITE__PRIVACY_URL", bad}}),
                         "ASKONCE_SITE__PRIVACY_URL: expected an https:// address or a path from the site's root starting with \"/\""),
               bad);
  }
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SITE__TIME_ZONE", "Eastern"}}),
                       "ASKONCE_SITE__TIME_ZONE: no time zone \"Eastern\" in the system's tz database"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SITE__TIME_ZONE", "../../etc/passwd"}}),
                       "ASKONCE_SITE__TIME_ZONE: no time zone"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SITE__NAME", std::string(101, 'x')}}),
                       "ASKONCE_SITE__NAME: expected the service's name on one line, at most 100 bytes"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_SITE__TITLE", "x"}}), "ASKONCE_SITE__TITLE: unknown setting"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_APPLY__CHANGE_OF_ADDRESS__PHONE", std::string(1001, 'x')}}),
                       "ASKONCE_APPLY__CHANGE_OF_ADDRESS__PHONE: expected one line of text, at most 1000 bytes"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_APPLY__CHANGE_OF_ADDRESS__MAIL", "line\nbreak"}}),
                       "ASKONCE_APPLY__CHANGE_OF_ADDRESS__MAIL: expected one line of text, at most 1000 bytes"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_APPLY__CHANGE_OF_ADDRESS__FAX", "x"}}),
                       "ASKONCE_APPLY__CHANGE_OF_ADDRESS__FAX: unknown setting"));

  // A form the server does not serve is a typo: the server does not start.
  server::Config c;
  c.port = 0;
  c.db = (dir.path / "db.sqlite").string();
  c.apply.push_back({"change_of_adress", "Call 311.", "", ""});
  std::ostringstream log;
  try {
    server::App app(c, log);
    BOOST_FAIL("started with other ways to apply for an unknown form");
  } catch (const server::StartupError& e) {
    BOOST_TEST(std::string(e.what()).find("apply.change_of_adress: no served form is called 'change_of_adress'") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(the_paper_form_texts_a_deployment_prints) {
  test::TempDir dir("paper");
  const auto file = dir.path / "askonce.json";
  write_file(file, R"({"paper": {"change_of_address": {"mail_to": "Records Office\nPO Box 12", "phone": "(217) 555-0100",
                                                        "hours": "Weekdays", "omb_number": "1234-5678",
                                                        "omb_expires": "2026-01-31", "es": {"hours": "Entre semana"}}}})");
  server::ConfigFlags flags;
  flags.config = file.string();
  const auto r = server::load_config(flags, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__PRIVACY", "We keep it."}});
  BOOST_REQUIRE_MESSAGE(r.config, (r.errors.empty() ? std::string() : r.errors.front()));
  BOOST_REQUIRE(r.config->paper.size() == 1u);
  const auto& p = r.config->paper[0];
  BOOST_TEST(p.form == "change_of_address");
  BOOST_TEST(p.all.mail_to == "Records Office\nPO Box 12");  // the address keeps its lines
  BOOST_TEST(p.all.privacy == "We keep it.");
  BOOST_REQUIRE(p.languages.size() == 1u);
  BOOST_TEST(p.languages[0].first == "es");
  BOOST_TEST(p.languages[0].second.hours == "Entre semana");
  // In Spanish, the Spanish hours over the rest; in English, the rest.
  const auto es = server::paper_site(*r.config, "change_of_address", "es");
  BOOST_TEST(es.hours == "Entre semana");
  BOOST_TEST(es.phone == "(217) 555-0100");
  BOOST_TEST(es.omb_expires == "2026-01-31");
  BOOST_TEST(server::paper_site(*r.config, "change_of_address", "en").hours == "Weekdays");
  BOOST_TEST(server::paper_site(*r.config, "benefits", "en").mail_to.empty());

  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_NUMBER", "12345678"},
                                                {"ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_EXPIRES", "2026-01-31"}}),
                       "ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_NUMBER: expected an OMB control number"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_NUMBER", "1234-5678"}}),
                       "give omb_number and omb_expires together"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_NUMBER", "1234-5678"},
                                                {"ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_EXPIRES", "2026-02-30"}}),
                       "ASKONCE_PAPER__CHANGE_OF_ADDRESS__OMB_EXPIRES: expected a real date as YYYY-MM-DD"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__PHONE", "call us"}}),
                       "ASKONCE_PAPER__CHANGE_OF_ADDRESS__PHONE: expected a phone number"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__HOURS", "a\nb"}}),
                       "ASKONCE_PAPER__CHANGE_OF_ADDRESS__HOURS: expected one line of text, at most 4000 bytes"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_PAPER__CHANGE_OF_ADDRESS__FAX", "x"}}),
                       "ASKONCE_PAPER__CHANGE_OF_ADDRESS__FAX: unknown setting"));

  // A form the server does not serve is a typo: the server does not start.
  server::Config c;
  c.port = 0;
  c.db = (dir.path / "db.sqlite").string();
  c.paper.push_back({"change_of_adress", {}, {}});
  std::ostringstream log;
  try {
    server::App app(c, log);
    BOOST_FAIL("started with paper texts for an unknown form");
  } catch (const server::StartupError& e) {
    BOOST_TEST(std::string(e.what()).find("paper.change_of_adress: no served form is called 'change_of_adress'") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(the_config_file_in_the_operations_guide_is_every_key_with_its_default) {
  // docs/operations.md lists every key with its default in one JSON file: it must load as it
  // is (a key renamed or missing from the server is an unknown setting), and give the defaults.
  std::ifstream in("docs/operations.md");
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto heading = doc.find("Every key, with its default");
  BOOST_REQUIRE(heading != std::string::npos);
  const auto open = doc.find("```json\n", heading), close = doc.find("```\n", open + 8);
  BOOST_REQUIRE(open != std::string::npos && close != std::string::npos);
  test::TempDir dir("config-doc");
  write_file(dir.path / "askonce.json", doc.substr(open + 8, close - open - 8));
  server::ConfigFlags flags;
  flags.config = (dir.path / "askonce.json").string();
  const auto documented = server::load_config(flags, {});
  BOOST_REQUIRE_MESSAGE(documented.config, (documented.errors.empty() ? "" : documented.errors.front()));
  const auto defaults = server::load_config({}, {});
  const auto& d = *documented.config;
  const auto& e = *defaults.config;
  BOOST_TEST(d.port == e.port);
  BOOST_TEST(d.threads == e.threads);
  BOOST_TEST(d.db == e.db);
  BOOST_TEST(d.db_connections == e.db_connections);
  BOOST_TEST(d.node == e.node);
  BOOST_TEST(d.limits.body_bytes == e.limits.body_bytes);
  BOOST_TEST(d.rate.per_minute == e.rate.per_minute);
  BOOST_TEST(d.delivery.max_attempts == e.delivery.max_attempts);
  BOOST_TEST(d.delivery.lease.count() == e.delivery.lease.count());
  BOOST_TEST(d.retention.delivered_views_days == e.retention.delivered_views_days);
  BOOST_TEST(d.retention.dead_letters_days == e.retention.dead_letters_days);
  BOOST_TEST(d.retention.submissions_days == e.retention.submissions_days);
  BOOST_TEST(d.retention.sweep_minutes == e.retention.sweep_minutes);
  BOOST_TEST(d.retention.feedback_comment_days == e.retention.feedback_comment_days);
  BOOST_TEST(d.retention.feedback_days == e.retention.feedback_days);
  BOOST_TEST(d.site.name == e.site.name);
  BOOST_TEST(d.site.about_url == e.site.about_url);
  BOOST_TEST(d.site.time_zone == e.site.time_zone);
  BOOST_TEST(d.performance.publish == e.performance.publish);
  BOOST_TEST(e.performance.publish);  // a deployment publishes unless it says not to
  BOOST_TEST(d.mail.host == e.mail.host);
  BOOST_TEST(d.mail.port == e.mail.port);
  BOOST_TEST(d.mail.starttls == e.mail.starttls);
  BOOST_TEST(d.mail.login == e.mail.login);
  BOOST_TEST(d.mail.max_attempts == e.mail.max_attempts);
  BOOST_TEST(d.mail.base_backoff.count() == e.mail.base_backoff.count());
  BOOST_TEST(d.mail.max_backoff.count() == e.mail.max_backoff.count());
  BOOST_TEST(d.mail.timeout.count() == e.mail.timeout.count());
  BOOST_TEST(d.mail.link_days == e.mail.link_days);
  BOOST_TEST(d.mail.session_minutes == e.mail.session_minutes);
  BOOST_TEST(d.staff.idle_seconds == e.staff.idle_seconds);
  BOOST_TEST(d.staff.session_seconds == e.staff.session_seconds);
  BOOST_TEST(d.staff.sign_in_per_minute == e.staff.sign_in_per_minute);
  BOOST_TEST(d.staff.sign_in_burst == e.staff.sign_in_burst);
}

BOOST_AUTO_TEST_CASE(the_staff_sign_in_limit_is_a_setting_of_its_own) {
  const auto defaults = server::load_config({}, {});
  BOOST_TEST(defaults.config->staff.sign_in_per_minute == 10);
  BOOST_TEST(defaults.config->staff.sign_in_burst == 30);
  const auto set = server::load_config({}, {{"ASKONCE_STAFF__SIGN_IN_PER_MINUTE", "2.5"}, {"ASKONCE_STAFF__SIGN_IN_BURST", "100"}});
  BOOST_TEST_REQUIRE(set.config.has_value());
  BOOST_TEST(set.config->staff.sign_in_per_minute == 2.5);
  BOOST_TEST(set.config->staff.sign_in_burst == 100);
  BOOST_TEST(set.config->rate.burst == defaults.config->rate.burst);  // the citizens' limit is apart
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_STAFF__SIGN_IN_BURST", "0"}}),
                       "ASKONCE_STAFF__SIGN_IN_BURST: expected a number from 1 to 1000000"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_STAFF__SIGN_IN_PER_MINUTE", "often"}}),
                       "ASKONCE_STAFF__SIGN_IN_PER_MINUTE: expected a number, not 'often'"));
}

BOOST_AUTO_TEST_CASE(mail_settings_and_their_errors) {
  // No relay by default: no mail is queued.
  BOOST_TEST(!server::load_config({}, {}).config->mail.enabled());
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_MAIL__HOST", "smtp.example.gov"}}),
                       "ASKONCE_MAIL__HOST: a relay needs the address mail comes from (mail.from)"));
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_MAIL__STARTTLS", "optional"}}),
                       "ASKONCE_MAIL__STARTTLS: expected \"required\" or \"none\""));
  // Credentials only ever go over TLS: a login with starttls "none" does not start.
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_MAIL__HOST", "localhost"},
                                                {"ASKONCE_MAIL__FROM", "no-reply@example.gov"},
                                                {"ASKONCE_MAIL__STARTTLS", "none"},
                                                {"ASKONCE_MAIL__USERNAME", "askonce"},
                                                {"ASKONCE_MAIL__PASSWORD", "hunter2-secret"}}),
                       "ASKONCE_MAIL__USERNAME: a login is only ever sent after STARTTLS"));
  // The password from a file (its first line); a file that cannot be read is named, the
  // password never.
  test::TempDir dir("mail-config");
  write_file(dir.path / "smtp-password", "s3cret-from-file\n");
  auto read = server::load_config({}, {{"ASKONCE_MAIL__HOST", "smtp.example.gov"},
                                       {"ASKONCE_MAIL__FROM", "Benefits <no-reply@example.gov>"},
                                       {"ASKONCE_MAIL__USERNAME", "askonce"},
                                       {"ASKONCE_MAIL__PASSWORD_FILE", (dir.path / "smtp-password").string()}});
  BOOST_REQUIRE(read.config);
  BOOST_TEST(read.config->mail.password == "s3cret-from-file");
  BOOST_TEST(read.config->mail.enabled());
  auto both = server::load_config({}, {{"ASKONCE_MAIL__PASSWORD", "hunter2-secret"},
                                       {"ASKONCE_MAIL__PASSWORD_FILE", (dir.path / "smtp-password").string()}});
  BOOST_TEST(has_error(both, "set mail.password or mail.password_file, not both"));
  for (const auto& e : both.errors) BOOST_TEST(e.find("hunter2") == std::string::npos);
  BOOST_TEST(has_error(server::load_config({}, {{"ASKONCE_MAIL__PASSWORD_FILE", (dir.path / "missing").string()}}),
                       "cannot read a password from"));
}

// --- routes ---

BOOST_AUTO_TEST_CASE(route_patterns) {
  using server::match_route;
  BOOST_TEST(match_route("/", "/").has_value());
  BOOST_TEST(!match_route("/", "/x").has_value());
  auto p = match_route("/forms/{id}", "/forms/change-of-address");
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[0] == "change-of-address");
  BOOST_TEST(!match_route("/forms/{id}", "/forms/").has_value());
  BOOST_TEST(!match_route("/forms/{id}", "/forms/a/b").has_value());
  BOOST_TEST(!match_route("/forms/{id}", "/forms/a%2Fb").has_value());  // one segment, once decoded
  p = match_route("/forms/{id}.pdf", "/forms/sf424.pdf");
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[0] == "sf424");
  BOOST_TEST(!match_route("/forms/{id}.pdf", "/forms/.pdf").has_value());
  p = match_route("/assets/uswds/{path*}", "/assets/uswds/css/uswds.min.css");
  BOOST_REQUIRE(p);
  BOOST_TEST((*p)[0] == "css/uswds.min.css");
  for (const char* bad : {"/assets/uswds/../etc/passwd", "/assets/uswds/%2e%2e/x", "/assets/uswds/a//b",
                          "/assets/uswds/a%2f..%2fb", "/assets/uswds/", "/assets/uswds/a%00b"}) {
    BOOST_TEST(!match_route("/assets/uswds/{path*}", bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(every_answer_carries_the_security_headers) {
  TestServer s;
  for (const char* target : {"/healthz", "/no/such/page", "/api/v1/no/such"}) {
    auto r = s.get(target);
    BOOST_TEST(r.header("x-content-type-options") == "nosniff");
    BOOST_TEST(r.header("x-frame-options") == "DENY");
    const auto csp = r.header("content-security-policy");
    BOOST_TEST(csp.find("script-src 'self'") != std::string::npos);
    BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos);
    BOOST_TEST(csp.find("unsafe-inline") == std::string::npos);
    BOOST_TEST(r.header("cache-control") == "no-store");
    BOOST_TEST(!r.header("x-request-id").empty());
  }
  auto missing = s.get("/no/such/page");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.header("content-type") == "text/html; charset=utf-8");
  auto api_missing = s.get("/api/v1/no/such");
  BOOST_TEST(api_missing.status == 404);
  BOOST_TEST(api_missing.header("content-type") == "application/problem+json");
  BOOST_TEST(api_missing.body.find("\"status\":404") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(healthz_metrics_and_methods) {
  TestServer s;
  auto h = s.get("/healthz");
  BOOST_TEST(h.status == 200);
  BOOST_TEST(h.body.find("\"status\":\"ok\"") != std::string::npos);
  auto wrong = test::http(s.port(), "DELETE", "/healthz");
  BOOST_TEST(wrong.status == 405);
  BOOST_TEST(wrong.header("allow") == "GET");
  auto m = s.get("/metrics");
  BOOST_TEST(m.status == 200);
  BOOST_TEST(m.header("content-type").starts_with("text/plain; version=0.0.4"));
  BOOST_TEST(m.body.find("askonce_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1") !=
             std::string::npos);
  BOOST_TEST(m.body.find("askonce_http_requests_total{route=\"(method not allowed)\",method=\"DELETE\",status=\"405\"} 1") !=
             std::string::npos);
  BOOST_TEST(m.body.find("# TYPE askonce_http_request_duration_seconds histogram") != std::string::npos);
  BOOST_TEST(m.body.find("askonce_submissions_stored 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(oversized_headers_get_431) {
  TestServer s([](server::Config& c) { c.limits.header_bytes = 2048; });
  auto r = s.get("/healthz", {{"X-Padding", std::string(3000, 'a')}});
  BOOST_TEST(r.status == 431);
  BOOST_TEST(s.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(logs_are_json_lines_without_paths_or_queries) {
  TestServer s;
  s.get("/forms/secret-looking-id?key=SECRETKEY123");
  s.get("/healthz?token=aot_abc_def");
  s.stop();
  const std::string log = s.log.str();
  BOOST_TEST(log.find("SECRETKEY123") == std::string::npos);
  BOOST_TEST(log.find("aot_abc_def") == std::string::npos);
  BOOST_TEST(log.find("secret-looking-id") == std::string::npos);
  BOOST_TEST(log.find("\"event\":\"request\"") != std::string::npos);
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    BOOST_TEST((line.starts_with("{\"time\":\"") && line.ends_with("}")), line);
  }
}

// --- starting and stopping ---

BOOST_AUTO_TEST_CASE(broken_forms_refuse_to_start) {
  test::TempDir forms("forms");
  write_file(forms.path / "bad.form", "form bad {\n  title \"Bad\"\n  section s { text x { label \"X\" required if nope } }\n}\n");
  server::Config c;
  c.port = 0;
  c.forms = forms.path.string();
  c.db = (forms.path / "db.sqlite").string();
  std::ostringstream log;
  try {
    server::App app(c, log);
    BOOST_FAIL("started with a broken form");
  } catch (const server::StartupError& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("bad.form:") != std::string::npos);
    BOOST_TEST(what.find("does not start") != std::string::npos);
  }
  c.forms = (forms.path / "nothing-here").string();
  BOOST_CHECK_THROW(server::App(c, log), server::StartupError);
}

BOOST_AUTO_TEST_CASE(an_agency_no_form_has_is_refused) {
  server::Config c;
  c.port = 0;
  test::TempDir dir("db");
  c.db = (dir.path / "db.sqlite").string();
  c.agencies.push_back({"SAS", "https://example.org/hook", "whsec_c2VjcmV0", false});
  std::ostringstream log;
  try {
    server::App app(c, log);
    BOOST_FAIL("started with an unknown agency");
  } catch (const server::StartupError& e) {
    BOOST_TEST(std::string(e.what()).find("agencies.SAS: no served form has an agency called 'SAS'") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_database_that_cannot_be_reached_is_named_without_its_password) {
  // A PostgreSQL URL with its password in it, pointing at a socket folder with no server.
  test::TempDir dir("nopg");
  server::Config c;
  c.port = 0;
  c.keys.file = (dir.path / "keys").string();  // so that it is the database that fails
  server::Keyring::create_file(c.keys.file);
  for (const std::string& db : {"postgresql://askonce_app:S3cret-pw@/askonce?host=" + dir.path.string() + "&port=1",
                                "host=" + dir.path.string() + " port=1 dbname=askonce user=askonce_app password=S3cret-pw"}) {
    c.db = db;
    std::ostringstream log;
    try {
      server::App app(c, log);
      BOOST_FAIL("started without its database");
    } catch (const server::StartupError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find("the database ") != std::string::npos, what);
      BOOST_TEST(what.find("askonce_app") != std::string::npos, what);  // which one, for the operator
      BOOST_TEST(what.find("S3cret") == std::string::npos, what);
    }
    BOOST_TEST(log.str().find("S3cret") == std::string::npos, log.str());
    // The command line says the same, without the password.
    const auto cli = test::run_cli({"agency-token", "list", "ssa", "--db", db});
    BOOST_TEST(cli.code == 1);
    BOOST_TEST(cli.err.find("S3cret") == std::string::npos, cli.err);
    BOOST_TEST(cli.err.find("askonce agency-token list: the database ") == 0u, cli.err);
  }
}

BOOST_AUTO_TEST_CASE(draft_keys_come_from_a_file_or_the_environment_never_the_database) {
  test::TempDir dir("keys");
  server::Config c;
  c.port = 0;
  c.db = (dir.path / "askonce.db").string();
  const auto keys_file = dir.path / "askonce.db.keys";
  // SQLite with no keys configured: a key file beside the database, its owner's alone, logged.
  std::string first_text;
  {
    std::ostringstream log;
    server::App app(c, log);
    BOOST_TEST(std::filesystem::exists(keys_file));
    BOOST_TEST(((std::filesystem::status(keys_file).permissions() &
                 (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) == std::filesystem::perms::none));
    BOOST_TEST(log.str().find("\"event\":\"keys_created\"") != std::string::npos, log.str());
    BOOST_TEST(log.str().find(keys_file.string()) != std::string::npos, log.str());
    first_text = read_file(keys_file);
    const auto key = first_text.substr(first_text.rfind(':') + 1, 20);
    BOOST_TEST(log.str().find(key) == std::string::npos);  // the key itself is never logged
    const auto draft = app.store().create_draft({"change_of_address", 1, "h", "en", "web", {{"person.ssn", "078-05-1120"}}},
                                                server::TimePoint(std::chrono::milliseconds(1)));
    BOOST_TEST(app.store().find_draft(draft.id, server::TimePoint(std::chrono::milliseconds(2))).has_value());
  }
  {
    std::ostringstream log;
    server::App again(c, log);  // the same file, kept as it was
    BOOST_TEST(log.str().find("keys_created") == std::string::npos);
    BOOST_TEST(read_file(keys_file) == first_text);
  }
  // A key file others can read: refused, with the fix.
  std::filesystem::permissions(keys_file, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
  try {
    std::ostringstream log;
    server::App app(c, log);
    BOOST_FAIL("started with a key file anyone can read");
  } catch (const server::StartupError& e) {
    BOOST_TEST(std::string(e.what()).find("chmod 600 " + keys_file.string()) != std::string::npos, e.what());
  }
  // keys.env names a variable holding the keyring; it must be set, and not beside keys.file.
  const std::string ring = "k1:" + std::string(43, 'Q') + "=\n";
  auto env = server::load_config({}, {{"ASKONCE_KEYS__ENV", "AO_KEYS"}, {"AO_KEYS", ring}});
  BOOST_REQUIRE(env.config);
  BOOST_TEST(env.config->keys.text == ring);
  auto unset = server::load_config({}, {{"ASKONCE_KEYS__ENV", "AO_KEYS"}});
  BOOST_TEST_REQUIRE(unset.errors.size() == 1u);
  BOOST_TEST(unset.errors[0] == "the environment: ASKONCE_KEYS__ENV: the environment variable AO_KEYS is not set",
             unset.errors[0]);
  auto both = server::load_config({}, {{"ASKONCE_KEYS__ENV", "AO_KEYS"}, {"AO_KEYS", ring}, {"ASKONCE_KEYS__FILE", "/k"}});
  BOOST_TEST(!both.config);
  {
    server::Config from_env = *env.config;
    from_env.port = 0;
    from_env.db = (dir.path / "env.db").string();
    std::ostringstream log;
    server::App app(from_env, log);
    BOOST_TEST(!std::filesystem::exists(dir.path / "env.db.keys"));  // no file made when keys are given
  }
  // PostgreSQL: the nodes must share keys, so one of the two is required.
  server::Config pg = c;
  pg.db = "postgresql:///askonce?host=" + dir.path.string();
  try {
    std::ostringstream log;
    server::App app(pg, log);
    BOOST_FAIL("started on PostgreSQL without keys");
  } catch (const server::StartupError& e) {
    BOOST_TEST(std::string(e.what()).find("keys: set keys.file or keys.env") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(graceful_shutdown_finishes_requests_in_flight_and_refuses_new_ones) {
  TestServer s;
  const int port = s.port();
  // A request in flight: headers sent, body still arriving when the stop begins.
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  Poco::Net::SocketStream io(socket);
  const std::string body = "{}";
  io << "POST /api/v1/forms/nope/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     << "Content-Length: " << body.size() << "\r\n\r\n" << std::flush;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto stopped = std::async(std::launch::async, [&] { s.stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  io << body << std::flush;
  std::string status;
  std::getline(io, status);
  BOOST_TEST(status.starts_with("HTTP/1.1 "));  // answered, not dropped
  stopped.get();
  BOOST_CHECK_THROW(test::http(port, "GET", "/healthz"), Poco::Exception);  // the port is closed
}

BOOST_AUTO_TEST_CASE(rate_limiter_buckets) {
  server::RateLimiter limiter(60, 3, 2);  // one a second, three at once, two clients remembered
  const auto t0 = server::RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) BOOST_TEST(!limiter.take("a", t0).has_value());
  auto wait = limiter.take("a", t0);
  BOOST_REQUIRE(wait.has_value());
  BOOST_TEST(*wait == 1);
  BOOST_TEST(!limiter.take("a", t0 + std::chrono::seconds(1)).has_value());  // refilled
  BOOST_TEST(!limiter.take("b", t0).has_value());
  BOOST_TEST(!limiter.take("c", t0).has_value());  // "a" is forgotten: memory stays bounded
  for (int i = 0; i < 3; ++i) BOOST_TEST(!limiter.take("a", t0 + std::chrono::seconds(1)).has_value());
}

BOOST_AUTO_TEST_CASE(a_body_that_does_not_arrive_in_time_gets_408) {
  TestServer s([](server::Config& c) { c.limits.request_time = std::chrono::seconds(1); });
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(s.port())));
  Poco::Net::SocketStream io(socket);
  io << "POST /api/v1/forms/change_of_address/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     << "Content-Length: 100\r\n\r\n{\"person\":" << std::flush;  // and then nothing more
  const auto start = std::chrono::steady_clock::now();
  std::string status;
  std::getline(io, status);
  BOOST_TEST(status.starts_with("HTTP/1.1 408"), status);
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
  BOOST_TEST(s.store().submission_count() == 0);
}
