// tests/staff_tests.cpp: staff accounts, sign-in and the audit log, through the real server on
// loopback (tests/server_support.hpp) and the real `askonce` commands, on both backends: a
// SQLite file and a PostgreSQL database of the `postgres` fixture. TOTP codes come from
// oathtool (Debian), another implementation than ours; the RFC 6238 vectors check ours.
// Lockout across two servers on one database, session idle and absolute expiry, CSRF, roles,
// agency tokens and staff cookies kept apart, the separate staff address; and no password or
// TOTP secret in the database's bytes (a pg_dump on PostgreSQL) or the logs.
#define BOOST_TEST_MODULE staff_tests
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

#include "dsl/compiler.hpp"
#include "engine/paper_code.hpp"
#include "server/http/catalog.hpp"
#include "server/staff/password.hpp"
#include "server/staff/totp.hpp"
#include "server/store/keyring.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/reference.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"
#include "tests/smtp_support.hpp"
#include "tests/test_support.hpp"

namespace s = askonce::server;
using askonce::test::HttpResponse;
using askonce::test::TestServer;
using namespace std::chrono_literals;

namespace {

// --- the staff room on its own ---

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(p);
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// oathtool's TOTP code of the base32 `secret` at `at` (seconds since the epoch).
std::string oathtool(const std::string& secret, std::int64_t at) {
  return run("oathtool --totp -b --now=@" + std::to_string(at) + " '" + secret + "'");
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

s::TimePoint at_seconds(std::int64_t t) { return s::TimePoint(std::chrono::milliseconds(t * 1000)); }

}  // namespace

BOOST_AUTO_TEST_CASE(totp_meets_rfc_6238_and_oathtool) {
  // RFC 6238, appendix B: SHA-1, the ASCII secret "12345678901234567890", 8 digits.
  const std::string secret = "12345678901234567890";
  const std::vector<std::pair<std::int64_t, std::string>> vectors = {
      {59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [t, code] : vectors) BOOST_TEST(s::staff::totp_code(secret, t / 30, 8) == code, t);
  // oathtool agrees on fresh secrets, and totp_match accepts one step either side, no further.
  for (int i = 0; i < 5; ++i) {
    const std::string raw = s::staff::new_totp_secret();
    const std::string b32 = s::staff::base32_encode(raw);
    BOOST_TEST(s::staff::base32_decode(b32).value() == raw);
    const std::int64_t t = 1700000000 + i * 1000;
    const std::string code = oathtool(b32, t);
    BOOST_TEST(s::staff::totp_code(raw, t / 30) == code);
    BOOST_TEST(s::staff::totp_match(raw, code, at_seconds(t)).value() == t / 30);
    BOOST_TEST(s::staff::totp_match(raw, code.substr(0, 3) + " " + code.substr(3), at_seconds(t + 30)).value() == t / 30);
    BOOST_TEST(!s::staff::totp_match(raw, code, at_seconds(t + 95)).has_value());
    BOOST_TEST(!s::staff::totp_match(raw, "12345", at_seconds(t)).has_value());
  }
  BOOST_TEST(s::staff::base32_encode("foobar") == "MZXW6YTBOI");  // RFC 4648's vector, unpadded
  const std::string uri = s::staff::otpauth_uri("Benefits Office", "ana@x", "12345678901234567890");
  BOOST_TEST(uri == "otpauth://totp/Benefits%20Office:ana%40x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer="
                    "Benefits%20Office&algorithm=SHA1&digits=6&period=30");
}

BOOST_AUTO_TEST_CASE(passwords_are_argon2id_and_verify) {
  const std::string hash = s::staff::hash_password("correct horse battery");
  BOOST_TEST(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  BOOST_TEST(hash.find("correct") == std::string::npos);
  BOOST_TEST(s::staff::verify_password("correct horse battery", hash));
  BOOST_TEST(!s::staff::verify_password("correct horse batterz", hash));
  BOOST_TEST(!s::staff::verify_password("x", "$2y$10$notargon"));
  BOOST_TEST(s::staff::hash_password("correct horse battery") != hash);  // salted
  BOOST_TEST(std::regex_match(s::staff::temporary_password(), std::regex("([a-z2-9]{5}-){3}[a-z2-9]{5}")));
}

namespace {

// --- a browser, as far as the staff pages need one ---

enum class Backend { sqlite, postgres };
std::ostream& operator<<(std::ostream& o, Backend b) { return o << (b == Backend::sqlite ? "sqlite" : "postgres"); }
const std::vector<Backend> both = {Backend::sqlite, Backend::postgres};

/// A database for one or more servers, with the keyring they share in a file.
struct Database {
  explicit Database(Backend b) : backend(b), dir(askonce::test::fresh_dir("staff", std::string(b == Backend::sqlite ? "sqlite" : "pg") + std::to_string(++counter()))) {
    keys = (dir / "keys").string();
    s::Keyring::create_file(keys);
    if (b == Backend::postgres) {
      pg = askonce::test::fresh_pg_database();
      s::migrate_postgres(pg->conninfo(), std::nullopt);
    }
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string location() const { return pg ? pg->conninfo() : (dir / "askonce.db").string(); }
  void use(s::Config& c) const {
    c.db = location();
    c.keys.file = keys;
  }
  /// One statement of the tests' own.
  void sql(const std::string& statement) const {
    if (pg) {
      s::pg::Connection(pg->conninfo()).exec(statement);
      return;
    }
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", location());
    session << statement, Poco::Data::Keywords::now;
  }
  /// Every byte the database keeps: the SQLite files, or a pg_dump of the PostgreSQL database.
  std::string bytes() const {
    if (pg) {
      const std::string out = (dir / "dump.sql").string();
      const int code = std::system((askonce::test::pg_tool("pg_dump") + " -d '" + pg->conninfo() + "' -f '" + out + "'").c_str());
      BOOST_TEST_REQUIRE(code == 0, "pg_dump failed");
      return slurp(out);
    }
    std::string all;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().filename().string().starts_with("askonce.db")) all += slurp(e.path());
    }
    return all;
  }
  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  Backend backend;
  std::filesystem::path dir;
  std::string keys;
  std::unique_ptr<askonce::test::PgDatabase> pg;
};

/// Cookies kept between requests to one port, as a browser keeps them.
struct Browser {
  explicit Browser(int p) : port(p) {}
  int port;
  std::map<std::string, std::string> cookies;
  std::string csrf;  // the token of the last page that had a form

  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       askonce::test::Headers headers = {}) {
    std::string jar;
    for (const auto& [k, v] : cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
    if (!jar.empty()) headers.emplace_back("Cookie", jar);
    if (method == "POST") headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    auto r = askonce::test::http(port, method, target, body, headers);
    for (const auto& c : r.cookies) {
      const auto eq = c.find('='), semi = c.find(';');
      const std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
      if (value.empty() || c.find("Max-Age=0") != std::string::npos || c.find("max-age=0") != std::string::npos) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
    std::smatch m;
    if (std::regex_search(r.body, m, std::regex("name=\"askonce:csrf\" value=\"([^\"]+)\""))) csrf = m[1];
    return r;
  }
  HttpResponse get(const std::string& target) { return request("GET", target); }
  HttpResponse post(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body = "askonce:csrf=" + encode(csrf);
    for (const auto& [k, v] : fields) body += "&" + k + "=" + encode(v);
    return request("POST", target, body);
  }
  static std::string encode(const std::string& v) {
    std::string out;
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
      else {
        char b[4];
        std::snprintf(b, sizeof b, "%%%02X", c);
        out += b;
      }
    }
    return out;
  }
};

std::string between(const std::string& text, const std::string& open, const std::string& close) {
  const auto a = text.find(open);
  if (a == std::string::npos) return {};
  const auto b = text.find(close, a + open.size());
  return text.substr(a + open.size(), b - a - open.size());
}

/// `askonce staff add NAME --role ROLE`: the temporary password it prints.
std::string add_staff(const Database& db, const std::string& name, const std::string& role) {
  const auto r = askonce::test::run_cli({"staff", "add", name, "--role", role, "--db", db.location(), "--keys", db.keys});
  BOOST_TEST_REQUIRE(r.code == 0, r.err);
  std::string password = r.out;
  while (!password.empty() && password.back() == '\n') password.pop_back();
  return password;
}

/// A member set up through the pages: their own password, the TOTP secret (base32) the page
/// showed, the recovery codes, and the TOTP step the set-up used.
struct Member {
  std::string name, password, secret, temporary;
  std::vector<std::string> recovery;
  std::int64_t last_time = 0;  // the time whose code was used last
};

/// A code for `m` that no earlier sign-in used: one step after the last used (the server takes
/// one step either side of now, so this waits when the last one was already a step ahead).
std::string next_code(Member& m) {
  std::int64_t t = std::max(now_seconds(), (m.last_time / 30 + 1) * 30);
  while (t / 30 > now_seconds() / 30 + 1) {
    std::this_thread::sleep_for(1s);
  }
  m.last_time = t;
  return oathtool(m.secret, t);
}

Member set_up(Browser& b, const Database& db, const std::string& name, const std::string& role) {
  Member m;
  m.name = name;
  m.temporary = add_staff(db, name, role);
  m.password = "a long passphrase for " + name;
  BOOST_TEST(b.get("/staff/sign-in").status == 200);
  auto r = b.post("/staff/sign-in", {{"name", name}, {"password", m.temporary}});
  BOOST_TEST_REQUIRE(r.status == 303);
  BOOST_TEST(r.header("location") == "/staff/set-up?lang=en");
  r = b.get("/staff/set-up");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("<svg") != std::string::npos);  // the QR code, inline
  m.secret = between(r.body, "id=\"totp-secret\">", "<");
  m.secret.erase(std::remove(m.secret.begin(), m.secret.end(), ' '), m.secret.end());
  BOOST_TEST_REQUIRE(m.secret.size() == 32u);
  const std::string sealed = between(r.body, "name=\"sealed\" value=\"", "\"");
  // A mistake first: the passwords differ. The same secret comes back, the code typed is kept.
  m.last_time = now_seconds();
  const std::string code = oathtool(m.secret, m.last_time);
  r = b.post("/staff/set-up", {{"sealed", sealed}, {"password", m.password}, {"confirm", m.password + "x"}, {"code", code}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("The two passwords are not the same") != std::string::npos);
  BOOST_TEST(r.body.find(m.secret.substr(0, 4) + " " + m.secret.substr(4, 4)) != std::string::npos);
  BOOST_TEST(r.body.find("value=\"" + code + "\"") != std::string::npos);
  BOOST_TEST(r.body.find(m.password) == std::string::npos);  // never echoed
  r = b.post("/staff/set-up", {{"sealed", sealed}, {"password", m.password}, {"confirm", m.password}, {"code", code}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  std::smatch match;
  std::string list = between(r.body, "id=\"recovery-codes\">", "</ul>");
  const std::regex item("<li>([a-z2-7]{5}-[a-z2-7]{5})</li>");
  for (std::sregex_iterator it(list.begin(), list.end(), item), end; it != end; ++it) {
    m.recovery.push_back((*it)[1]);
  }
  BOOST_TEST(m.recovery.size() == 10u);
  return m;
}

HttpResponse sign_in(Browser& b, const std::string& name, const std::string& password, const std::string& code) {
  b.get("/staff/sign-in");
  auto r = b.post("/staff/sign-in", {{"name", name}, {"password", password}});
  if (r.status != 303 || r.header("location").find("/staff/code") != 0) return r;
  b.get("/staff/code");
  return b.post("/staff/code", {{"code", code}});
}

void sign_out(Browser& b) {
  b.get("/staff");
  BOOST_TEST(b.post("/staff/sign-out", {}).status == 200);
}

}  // namespace

BOOST_DATA_TEST_CASE(sign_in_with_password_and_totp_each_code_once, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b{server.port()};
  Member ana = set_up(b, db, "ana", "agent");
  // Set up and signed in: home says who and what role, and offers no keying yet.
  auto home = b.get("/staff");
  BOOST_TEST(home.status == 200);
  BOOST_TEST(home.body.find("You are signed in as ana.") != std::string::npos);
  BOOST_TEST(home.body.find("Your role: agent.") != std::string::npos);
  BOOST_TEST(home.body.find("href=\"/staff/key?lang=en\"") != std::string::npos);
  sign_out(b);
  BOOST_TEST(b.get("/staff").status == 303);  // signed out: back to sign-in

  // The temporary password no longer works; the member's own does, with a fresh code.
  BOOST_TEST(sign_in(b, "ana", ana.temporary, "000000").status == 401);
  const std::string code = next_code(ana);
  auto r = sign_in(b, "ana", ana.password, code);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == "/staff?lang=en");
  BOOST_TEST(r.cookies.size() >= 1u);
  std::string cookie = r.cookies.back();
  for (auto& c : cookie) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(cookie.starts_with("askonce-staff="), cookie);
  BOOST_TEST(cookie.find("httponly") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("samesite=strict") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("path=/staff") != std::string::npos, cookie);
  BOOST_TEST(b.get("/staff").status == 200);
  sign_out(b);
  // The same code again: refused (each code works once), with a clear message and the code kept.
  r = sign_in(b, "ana", ana.password, code);
  BOOST_TEST(r.status == 401);
  BOOST_TEST(r.body.find("That code is not right, or was already used.") != std::string::npos);

  // A recovery code works once, in place of a code.
  b = Browser{server.port()};
  r = sign_in(b, "ana", ana.password, ana.recovery[3]);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(b.get("/staff?recovery=1").body.find("Recovery codes left: 9.") != std::string::npos);
  sign_out(b);
  BOOST_TEST(sign_in(b, "ana", ana.password, ana.recovery[3]).status == 401);
  BOOST_TEST(sign_in(b, "ana", ana.password, ana.recovery[4]).status == 303);

  // Reset: the account needs set-up again; the old password and codes are gone.
  sign_out(b);
  const auto reset = askonce::test::run_cli({"staff", "reset", "ana", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(reset.code == 0);
  BOOST_TEST(sign_in(b, "ana", ana.password, ana.recovery[5]).status == 401);
  std::string temporary = reset.out.substr(0, reset.out.find('\n'));
  auto again = b.post("/staff/sign-in", {{"name", "ana"}, {"password", temporary}});
  BOOST_TEST(again.status == 303);
}

BOOST_DATA_TEST_CASE(lockout_and_backoff_hold_across_two_servers, both, backend) {
  Database db(backend);
  const auto tweak = [&](s::Config& c) {
    db.use(c);
    c.staff.lock_after = 3;
    c.staff.lock_base_seconds = 2;
    c.staff.lock_max_seconds = 60;
  };
  TestServer one(tweak, "node1"), two(tweak, "node2");
  Browser b1{one.port()}, b2{two.port()};
  Member bo = set_up(b1, db, "bo", "agent");
  sign_out(b1);
  auto wrong = [&](Browser& b, const std::string& name) {
    b.get("/staff/sign-in");
    return b.post("/staff/sign-in", {{"name", name}, {"password", "not the password!"}});
  };
  auto r = wrong(b1, "bo");
  BOOST_TEST(r.status == 401);
  BOOST_TEST(r.body.find("The name or password is not right.") != std::string::npos);
  BOOST_TEST(r.body.find("value=\"bo\"") != std::string::npos);  // the name typed is kept
  BOOST_TEST(wrong(b2, "bo").status == 401);
  r = wrong(b1, "bo");  // the third, on either node: locked
  BOOST_TEST(r.status == 429);
  BOOST_TEST(r.body.find("Too many tries.") != std::string::npos);
  // Locked on the other node too, even with the right password.
  b2.get("/staff/sign-in");
  BOOST_TEST(b2.post("/staff/sign-in", {{"name", "bo"}, {"password", bo.password}}).status == 429);
  // A name that is no account answers the same way, in the same words.
  auto n1 = wrong(b1, "nobody"), n2 = wrong(b2, "nobody"), n3 = wrong(b1, "nobody");
  BOOST_TEST(n1.status == 401);
  BOOST_TEST(n2.status == 401);
  BOOST_TEST(n3.status == 429);
  BOOST_TEST(between(n1.body, "usa-alert__text\">", "<") == "The name or password is not right. Check them and try again.");
  BOOST_TEST(between(n3.body, "usa-alert__text\">", "<") == between(r.body, "usa-alert__text\">", "<"));
  // After the wait (2 s, doubled by the failures since: 2 * 2^2 = 8 s at most), the right
  // password and a fresh code sign in.
  bool in = false;
  for (int i = 0; i < 12 && !in; ++i) {
    std::this_thread::sleep_for(1s);
    b2.get("/staff/sign-in");
    auto first = b2.post("/staff/sign-in", {{"name", "bo"}, {"password", bo.password}});
    in = first.status == 303;
  }
  BOOST_TEST_REQUIRE(in);
  b2.get("/staff/code");
  BOOST_TEST(b2.post("/staff/code", {{"code", next_code(bo)}}).status == 303);
  // The failures are in the audit log, the unknown name as "unknown name", never as typed.
  const auto list = askonce::test::run_cli({"audit", "list", "--db", db.location()});
  BOOST_TEST(list.out.find("(unknown name)") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("nobody") == std::string::npos);
  BOOST_TEST(list.out.find("wrong password") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sessions_end_when_idle_and_after_their_lifetime) {
  Database db(Backend::sqlite);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.staff.idle_seconds = 2;
    c.staff.session_seconds = 4;
  });
  Browser b{server.port()};
  Member cy = set_up(b, db, "cy", "agent");
  BOOST_TEST(b.get("/staff").status == 200);
  std::this_thread::sleep_for(2500ms);  // idle longer than 2 s
  auto r = b.get("/staff");
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == "/staff/sign-in?lang=en&ended=1");
  BOOST_TEST(b.get(r.header("location")).body.find("Your session has ended.") != std::string::npos);
  // Used every second, a session still ends 4 s after sign-in.
  BOOST_TEST_REQUIRE(sign_in(b, "cy", cy.password, next_code(cy)).status == 303);
  int ok = 0;
  for (int i = 0; i < 6; ++i) {
    if (b.get("/staff").status == 200) ++ok;
    std::this_thread::sleep_for(1s);
  }
  BOOST_TEST(ok >= 3);
  BOOST_TEST(ok <= 5);
  BOOST_TEST(b.get("/staff").status == 303);
}

BOOST_AUTO_TEST_CASE(csrf_roles_and_tokens_are_kept_apart) {
  Database db(Backend::sqlite);
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser agent{server.port()}, boss{server.port()};
  set_up(agent, db, "dee", "agent");
  set_up(boss, db, "eve", "supervisor");

  // CSRF: a post without the page's token, or with another session's, or from another site.
  BOOST_TEST(agent.request("POST", "/staff/sign-out", "").status == 403);
  BOOST_TEST(agent.get("/staff").status == 200);  // still signed in
  boss.get("/staff");
  agent.csrf = boss.csrf;
  BOOST_TEST(agent.post("/staff/sign-out", {}).status == 403);
  agent.get("/staff");
  BOOST_TEST(agent.request("POST", "/staff/sign-out", "askonce:csrf=" + Browser::encode(agent.csrf),
                           {{"Origin", "https://evil.example"}}).status == 403);
  Browser stranger{server.port()};
  BOOST_TEST(stranger.request("POST", "/staff/sign-in", "name=dee&password=x").status == 403);

  // Roles: an agent gets a 403 page (no redirect), a supervisor the log.
  auto r = agent.get("/staff/audit");
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.body.find("Only supervisors can read the audit log.") != std::string::npos);
  BOOST_TEST(agent.get("/staff").body.find("/staff/audit") == std::string::npos);
  r = boss.get("/staff/audit");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find("<td>set_up</td>") != std::string::npos);
  BOOST_TEST(r.body.find("<td>dee</td>") != std::string::npos);

  // An agency's token opens no staff page; a staff session opens nothing of the agency API.
  const auto token = server.store().create_token("SSA", std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now()));
  auto with_token = askonce::test::http(server.port(), "GET", "/staff", {}, {{"Authorization", "Bearer " + token.token}});
  BOOST_TEST(with_token.status == 303);
  BOOST_TEST(with_token.header("location").find("/staff/sign-in") == 0u);
  BOOST_TEST(askonce::test::http(server.port(), "GET", "/staff/audit", {}, {{"Authorization", "Bearer " + token.token}}).status == 303);
  std::string jar;
  for (const auto& [k, v] : boss.cookies) jar += (jar.empty() ? "" : "; ") + k + "=" + v;
  BOOST_TEST(askonce::test::http(server.port(), "GET", "/api/v1/agencies/SSA/submissions", {}, {{"Cookie", jar}}).status == 401);
  // The staff cookie is not even sent there: its Path is /staff.
  BOOST_TEST(askonce::test::http(server.port(), "GET", "/api/v1/agencies/SSA/submissions", {},
                                 {{"Authorization", "Bearer " + token.token}}).status == 200);
}

BOOST_AUTO_TEST_CASE(staff_pages_on_their_own_address) {
  Database db(Backend::sqlite);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.staff.address = "127.0.0.1:0";
  });
  BOOST_TEST_REQUIRE(server.app->staff_port() > 0);
  BOOST_TEST(server.app->staff_port() != server.port());
  BOOST_TEST(server.get("/staff/sign-in").status == 404);  // not on the public address
  BOOST_TEST(server.get("/staff").status == 404);
  BOOST_TEST(server.get("/").status == 200);
  Browser b{server.app->staff_port()};
  BOOST_TEST(b.get("/staff/sign-in").status == 200);
  BOOST_TEST(b.get("/").status == 404);  // and the staff address serves nothing else
  BOOST_TEST(b.get("/api/v1/forms").status == 404);
  set_up(b, db, "fay", "supervisor");
  BOOST_TEST(b.get("/staff/audit").status == 200);
}

BOOST_DATA_TEST_CASE(no_password_or_totp_secret_in_the_database_or_logs, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b{server.port()};
  Member gus = set_up(b, db, "gus", "agent");
  sign_out(b);
  BOOST_TEST(sign_in(b, "gus", gus.password, next_code(gus)).status == 303);
  sign_out(b);
  BOOST_TEST(sign_in(b, "gus", gus.password + "!", "123456").status == 401);
  const std::string raw = s::staff::base32_decode(gus.secret).value();
  const std::string bytes = db.bytes();
  BOOST_TEST_REQUIRE(bytes.size() > 1000u);
  BOOST_TEST(bytes.find("$argon2id$") != std::string::npos);  // the hashes are there: we read the right bytes
  const std::string log = server.log.str();
  BOOST_TEST_REQUIRE(!log.empty());
  for (const std::string& secret : {gus.password, gus.temporary, gus.secret, raw, gus.recovery[0]}) {
    BOOST_TEST(bytes.find(secret) == std::string::npos);
    BOOST_TEST(log.find(secret) == std::string::npos);
  }
  std::string lower = gus.secret;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(bytes.find(lower) == std::string::npos);
}

BOOST_DATA_TEST_CASE(audit_verify_finds_an_entry_changed_or_removed, both, backend) {
  Database db(backend);
  {
    TestServer server([&](s::Config& c) { db.use(c); });
    Browser b{server.port()};
    Member hal = set_up(b, db, "hal", "supervisor");
    sign_out(b);
    sign_in(b, "hal", "wrong password here", "000000");
    sign_in(b, "nobody", "wrong password here", "000000");
    BOOST_TEST(sign_in(b, "hal", hal.password, next_code(hal)).status == 303);
  }
  const std::vector<std::string> verify = {"audit", "verify", "--db", db.location(), "--keys", db.keys};
  auto r = askonce::test::run_cli(verify);
  BOOST_TEST(r.code == 0, r.out + r.err);
  BOOST_TEST(r.out.find("the chain is whole") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("head: entry ") != std::string::npos);
  // Another key: nothing verifies.
  const auto other = (db.dir / "other-keys").string();
  s::Keyring::create_file(other);
  BOOST_TEST(askonce::test::run_cli({"audit", "verify", "--db", db.location(), "--keys", other}).code == 1);

  db.sql("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3");
  r = askonce::test::run_cli(verify);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("entry 3 was changed") != std::string::npos, r.out);
  BOOST_TEST(r.err.find("first bad entry is number 3") != std::string::npos, r.err);
}

BOOST_DATA_TEST_CASE(audit_verify_finds_a_removed_middle_entry, both, backend) {
  Database db(backend);
  {
    TestServer server([&](s::Config& c) { db.use(c); });
    Browser b{server.port()};
    set_up(b, db, "ida", "agent");
    sign_out(b);
    sign_in(b, "ida", "wrong password here", "000000");
  }
  db.sql("DELETE FROM audit_log WHERE seq = 2");
  const auto r = askonce::test::run_cli({"audit", "verify", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("entry 2 missing") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(staff_commands_name_the_problem) {
  for (const std::string cmd : {"staff", "audit"}) {
    const auto help = askonce::test::run_cli({cmd, "--help"});
    BOOST_TEST(help.code == 0, cmd);
    BOOST_TEST(help.out.find("usage: askonce " + cmd) != std::string::npos, cmd);
    BOOST_TEST(askonce::test::run_cli({"--help"}).out.find("  " + cmd) != std::string::npos, cmd);
  }
  Database db(Backend::sqlite);
  add_staff(db, "anna", "agent");
  auto r = askonce::test::run_cli({"staff", "add", "ben", "--role", "boss", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("'boss' is not a role: agent or supervisor") != std::string::npos, r.err);
  r = askonce::test::run_cli({"staff", "add", "anna", "--role", "agent", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("already a staff member called 'anna'") != std::string::npos, r.err);
  r = askonce::test::run_cli({"staff", "reset", "ana", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("no staff member is called 'ana'; did you mean 'anna'?") != std::string::npos, r.err);
  r = askonce::test::run_cli({"staff", "add", "x y", "--role", "agent", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 2);
  r = askonce::test::run_cli({"staff", "list", "--db", db.location()});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("anna") != std::string::npos);
  BOOST_TEST(r.out.find("needs set-up") != std::string::npos);
  BOOST_TEST(askonce::test::run_cli({"staff", "disable", "anna", "--db", db.location(), "--keys", db.keys}).code == 0);
  r = askonce::test::run_cli({"staff", "list", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(r.code == 2);  // list changes nothing: it takes no keys
  BOOST_TEST(r.err.find("--keys and --keys-env are for add, disable and reset") != std::string::npos, r.err);
  BOOST_TEST(askonce::test::run_cli({"staff", "list", "--db", db.location()}).out.find("disabled") != std::string::npos);
  // Nothing but hashes was stored.
  BOOST_TEST(db.bytes().find("$argon2id$") != std::string::npos);
}

// ---- keying applications (keying_routes.cpp) ------------------------------------------------

namespace {

/// "/staff/key/{draft}/..." -> the draft's base address.
std::string keying_base(const std::string& location) {
  const std::regex re("^(/staff/key/[A-Za-z0-9_-]{16,64})/(steps/[a-z_]+|check)$");
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(location, m, re), location);
  return m[1].str();
}

/// Continues through every step from `at` with `fields` (each step keeps its own); returns the
/// check page's address.
std::string key_steps(Browser& b, std::string at, const std::vector<std::pair<std::string, std::string>>& fields) {
  for (int i = 0; i < 20 && !at.ends_with("/check"); ++i) {
    BOOST_TEST_REQUIRE(b.get(at).status == 200, at);
    const auto r = b.post(at, fields);
    BOOST_TEST_REQUIRE(r.status == 303, at << ": " << r.status << " " << r.body.substr(0, 2000));
    at = r.header("location");
  }
  BOOST_TEST_REQUIRE(at.ends_with("/check"), at);
  return at;
}

std::string reference_in(const std::string& location) {
  const std::regex re("^/staff/applications/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\\?lang=[a-z]{2}$");
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(location, m, re), location);
  return m[1].str();
}

std::string today_iso() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

}  // namespace


// The phone channel, end to end over HTTP: the agent picks the form, keys the caller's answers
// with a mistake the engine catches on its step, reads them back (the sensitive one masked),
// records the declaration as confirmed by phone to them, and sends it: the reference on the
// spot, the stored channel, staff member and day received, the audit log. Another agent reaches
// neither the draft nor the application; a supervisor opens the application.
BOOST_DATA_TEST_CASE(an_agent_keys_a_phone_application_reads_it_back_and_sends_it, both, backend) {
  Database db(backend);
  // A real relay on loopback: the receipt is emailed to the address the caller gave.
  askonce::test::SmtpRelayProcess relay(db.dir / "relay", true);
  relay.start(0);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.site.time_zone = "UTC";
    c.mail.host = "localhost";
    c.mail.port = relay.port();
    c.mail.username = "askonce";
    c.mail.password = "relay-password";
    c.mail.from = "Benefits Service <no-reply@forms.example.gov>";
    c.mail.ca_file = relay.cert().string();
    c.mail.base_backoff = 100ms;
    c.mail.max_backoff = 300ms;
    c.mail.timeout = 5s;
  });
  Browser ana_b{server.port()}, bo_b{server.port()}, sup_b{server.port()}, citizen{server.port()};
  Member ana = set_up(ana_b, db, "ana", "agent");
  Member bo = set_up(bo_b, db, "bo", "agent");
  Member sup = set_up(sup_b, db, "sue", "supervisor");

  // The start page: nothing chosen is a clear error, and what was chosen is kept.
  auto r = ana_b.get("/staff/key");
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Key in an application") != std::string::npos);
  r = ana_b.post("/staff/key", {{"form", "change_of_address"}, {"language", "en"}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("Choose how the application came in.") != std::string::npos);
  BOOST_TEST(r.body.find("value=\"change_of_address\" checked") != std::string::npos);
  r = ana_b.post("/staff/key", {{"channel", "phone"}, {"form", "change_of_address"}, {"language", "en"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  const std::string first = r.header("location");
  const std::string base = keying_base(first);
  BOOST_TEST(first == base + "/steps/about");

  // The step in the agent's words, the channel and the agent above it.
  r = ana_b.get(first);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Application by phone, keyed by ana.") != std::string::npos);
  BOOST_TEST(r.body.find("Ask") != std::string::npos);
  BOOST_TEST(r.body.find("Record ") != std::string::npos);

  // Nobody else reaches the draft: a citizen is sent to sign in, another agent gets 404.
  BOOST_TEST(citizen.get(first).status == 303);
  BOOST_TEST(citizen.get(first).header("location").starts_with("/staff/sign-in"));
  BOOST_TEST(bo_b.get(first).status == 404);
  BOOST_TEST(bo_b.get(base + "/check").status == 404);
  BOOST_TEST(bo_b.post(base + "/steps/about", askonce::test::valid_change_of_address()).status == 404);

  // A mistake: the Social Security number mistyped. The step comes back with the error and
  // what was typed; then it is fixed.
  auto fields = askonce::test::valid_change_of_address();
  auto wrong = fields;
  for (auto& [k, v] : wrong) {
    if (k == "person.ssn") v = "123-45-678";
  }
  r = ana_b.post(first, wrong);
  BOOST_TEST_REQUIRE(r.status == 422);
  BOOST_TEST(r.body.find("value=\"123-45-678\"") != std::string::npos);
  BOOST_TEST(r.body.find("usa-error-message") != std::string::npos);
  const std::string check = key_steps(ana_b, first, fields);
  BOOST_TEST(check == base + "/check");

  // The read-back: the agent's words, the SSN masked, the declaration as confirmed by phone.
  r = ana_b.get(check);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Read: Before I send your application, I will read your answers back") != std::string::npos);
  BOOST_TEST(r.body.find("ending in 6789") != std::string::npos);
  BOOST_TEST(r.body.find("123-45-6789") == std::string::npos);
  BOOST_TEST(r.body.find("The caller confirmed this statement to me, ana, by phone.") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"" + base + "/steps/about?return=check") != std::string::npos);
  // Submit without the declaration: refused, nothing sent.
  BOOST_TEST(ana_b.post(check, {{"askonce:confirm", "yes"}}).status == 422);
  BOOST_TEST(bo_b.post(check, {{"truthful", "yes"}, {"askonce:confirm", "yes"}}).status == 404);
  r = ana_b.post(check, {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  const std::string reference = reference_in(r.header("location"));
  // Submit pressed again: the same application, not another.
  r = ana_b.post(check, {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(reference_in(r.header("location")) == reference);

  // The reference on the spot, to read out; the receipt to print.
  r = ana_b.get("/staff/applications/" + reference);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Read: Your reference number is " + reference + ".") != std::string::npos);
  BOOST_TEST(r.body.find("Keyed by ana") != std::string::npos);
  BOOST_TEST(r.body.find("By phone") != std::string::npos);
  BOOST_TEST(r.body.find("A confirmation email is on its way") != std::string::npos);
  // The receipt mail reaches the caller's address, with the reference and no answer.
  std::vector<std::string> mails;
  for (int i = 0; i < 100 && mails.empty(); ++i) {
    std::this_thread::sleep_for(100ms);
    mails = relay.messages();
  }
  BOOST_TEST_REQUIRE(mails.size() == 1u);
  BOOST_TEST(mails[0].find("ana@example.org") != std::string::npos);
  BOOST_TEST(mails[0].find(reference) != std::string::npos);
  BOOST_TEST(mails[0].find("6789") == std::string::npos);
  r = ana_b.get("/staff/applications/" + reference + "/receipt.pdf");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.header("content-type") == "application/pdf");
  BOOST_TEST(r.body.starts_with("%PDF-"));
  // Another agent cannot open it; a supervisor can.
  BOOST_TEST(bo_b.get("/staff/applications/" + reference).status == 404);
  BOOST_TEST(sup_b.get("/staff/applications/" + reference).status == 200);
  BOOST_TEST(citizen.get("/staff/applications/" + reference).status == 303);

  // Stored with its channel, the agent, and today as the day received.
  {
    s::Store& store = server.store();
    const auto stored = store.find_submission(reference);
    BOOST_TEST_REQUIRE(stored.has_value());
    BOOST_TEST(stored->channel == "phone");
    std::optional<std::int64_t> ana_id;
    for (const auto& a : store.list_staff()) {
      if (a.name == "ana") ana_id = a.id;
    }
    BOOST_TEST_REQUIRE(ana_id.has_value());
    BOOST_TEST((stored->staff_id == ana_id));
    BOOST_TEST(stored->date_received.size() == 10u);
    BOOST_TEST(stored->language == "en");
  }
  // The audit log: keyed, then opened, with the reference and the channel; no answer.
  const auto list = askonce::test::run_cli({"audit", "list", "--db", db.location()});
  BOOST_TEST(list.out.find("keyed") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("opened") != std::string::npos, list.out);
  BOOST_TEST(list.out.find(reference) != std::string::npos, list.out);
  BOOST_TEST(list.out.find("phone") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("Ruiz") == std::string::npos, list.out);
  BOOST_TEST(askonce::test::run_cli({"audit", "verify", "--db", db.location(), "--keys", db.keys}).code == 0);
  // No answer and no draft id in the server's log.
  const std::string log = server.log.str();
  BOOST_TEST(log.find("Ruiz") == std::string::npos);
  BOOST_TEST(log.find("6789") == std::string::npos);
  BOOST_TEST(log.find(base.substr(11)) == std::string::npos);
  (void)sup;
  (void)bo;
}

// The mail channel: the day the envelope arrived (never in the future) and the code printed on
// the paper's pages, which opens the definition it was printed from, an older one too; the
// steps keep the paper's words; the declaration is recorded as signed on paper and received
// that day; the stored application carries that day and that definition.
BOOST_DATA_TEST_CASE(a_clerk_keys_a_mailed_application_against_its_printing, both, backend) {
  namespace e = askonce::engine;
  Database db(backend);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.site.time_zone = "UTC";
  });
  Browser b{server.port()};
  Member cy = set_up(b, db, "cy", "agent");

  // An older printing of the change of address: other words, the same version, archived.
  auto loaded = s::Catalog::load("forms");
  BOOST_TEST_REQUIRE(loaded.catalog.has_value());
  const auto* served = loaded.catalog->find("change_of_address");
  const auto older = askonce::test::older_change_of_address(served->definition);
  server.store().archive_definition(older);
  const auto older_plan = s::compile_archived(older);
  BOOST_TEST_REQUIRE(older_plan.has_value());
  const std::string old_code = e::format_paper_code(e::paper_code(older_plan->form(), 2));
  const std::string benefits_code =
      e::format_paper_code(e::paper_code(loaded.catalog->find("benefits")->plan->form(), 1));

  // The console names the printing from its code.
  auto r = b.get("/staff/paper?code=" + Browser::encode(old_code));
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("Page 2 of “Tell us you moved”, version 1.") != std::string::npos, r.body);
  BOOST_TEST(r.body.find("This is an older printing") != std::string::npos);
  BOOST_TEST(r.body.find(older.hash) != std::string::npos);
  r = b.get("/staff/paper?code=" + Browser::encode(e::format_paper_code(e::paper_code(served->plan->form(), 1))));
  BOOST_TEST(r.body.find("This is the current printing.") != std::string::npos);
  BOOST_TEST(b.get("/staff/paper?code=askonce:nothing").status == 404);

  // Every mistake on the start page, each with its message, nothing lost.
  BOOST_TEST(b.get("/staff/key").status == 200);
  const auto start = [&](const std::string& day, const std::string& code) {
    std::vector<std::pair<std::string, std::string>> f = {{"channel", "mail"}, {"form", "change_of_address"}, {"language", "en"},
                                                          {"code", code}};
    if (day.size() == 10) {
      f.emplace_back("arrived-year", day.substr(0, 4));
      f.emplace_back("arrived-month", day.substr(5, 2));
      f.emplace_back("arrived-day", day.substr(8, 2));
    }
    return b.post("/staff/key", f);
  };
  r = start("", "");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("Enter the day the envelope arrived") != std::string::npos);
  BOOST_TEST(r.body.find("Enter the code printed on the paper form") != std::string::npos);
  r = start("2999-01-01", old_code);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("cannot be in the future") != std::string::npos);
  BOOST_TEST(r.body.find("value=\"2999\"") != std::string::npos);
  r = start("2024-02-30", old_code);
  BOOST_TEST(r.body.find("Enter the day the envelope arrived") != std::string::npos);
  r = start(today_iso(), benefits_code);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("This code is from another form") != std::string::npos);
  r = start(today_iso(), "askonce:change_of_address:1:000000000000:1");
  BOOST_TEST(r.body.find("This code does not match any printing") != std::string::npos);

  // Keyed against the older printing, arrived three days ago.
  const std::time_t three_days_ago = std::time(nullptr) - 3 * 86400;
  std::tm tm{};
  gmtime_r(&three_days_ago, &tm);
  char arrived[16];
  std::strftime(arrived, sizeof arrived, "%Y-%m-%d", &tm);
  r = start(arrived, old_code);
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 3000));
  const std::string first = r.header("location");
  r = b.get(first);
  BOOST_TEST(r.body.find("Application by mail, received") != std::string::npos);
  BOOST_TEST(r.body.find("Ask:") == std::string::npos);  // the paper's words
  const std::string check = key_steps(b, first, askonce::test::valid_change_of_address());
  r = b.get(check);
  BOOST_TEST(r.body.find("Tell us you moved") != std::string::npos);
  BOOST_TEST(r.body.find("The applicant signed this statement on the paper form, received") != std::string::npos);
  r = b.post(check, {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  const std::string reference = reference_in(r.header("location"));
  BOOST_TEST(b.get("/staff/applications/" + reference).body.find("By mail") != std::string::npos);
  const auto stored = server.store().find_submission(reference);
  BOOST_TEST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->channel == "mail");
  BOOST_TEST(stored->date_received == std::string(arrived));
  BOOST_TEST(stored->definition_hash == older.hash);
  (void)cy;
}

// In person: the agent's words, the declaration as confirmed in person; "Discard these answers"
// deletes the draft and nothing is sent.
BOOST_DATA_TEST_CASE(an_in_person_application_can_be_discarded, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser b{server.port()};
  Member dee = set_up(b, db, "dee", "agent");
  BOOST_TEST(b.get("/staff/key?lang=es").status == 200);
  auto r = b.post("/staff/key?lang=es", {{"channel", "in_person"}, {"form", "change_of_address"}, {"language", "es"}});
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  const std::string base = keying_base(r.header("location"));
  r = b.get(r.header("location"));
  BOOST_TEST(r.body.find("Solicitud en persona, registrada por dee.") != std::string::npos);
  BOOST_TEST(r.body.find("lang=\"es\"") != std::string::npos);
  const std::string check = key_steps(b, base + "/steps/about", askonce::test::valid_change_of_address());
  r = b.get(check);
  BOOST_TEST(r.body.find("El solicitante me confirmó esta declaración en persona a mí, dee.") != std::string::npos);
  BOOST_TEST(r.body.find("Descartar estas respuestas") != std::string::npos);
  r = b.post(base + "/delete", {});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == "/staff/key?lang=es&discarded=1");
  BOOST_TEST(b.get(r.header("location")).body.find("Las respuestas se descartaron.") != std::string::npos);
  BOOST_TEST(b.get(check).status == 404);  // gone, and nothing was sent
  BOOST_TEST(server.store().replay("staff-draft", base.substr(11)).has_value() == false);
  (void)dee;
}

// --- hardening: names that are no account, the CLI in the audit log, the per-address limit ---

BOOST_DATA_TEST_CASE(a_name_that_is_no_account_is_locked_exactly_as_an_account, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.staff.lock_after = 2;
    c.staff.lock_base_seconds = 2;
    c.staff.lock_max_seconds = 4;
  });
  add_staff(db, "opal", "agent");
  Browser b{server.port()};
  auto wrong = [&](const std::string& name) {
    b.get("/staff/sign-in");
    const auto r = b.post("/staff/sign-in", {{"name", name}, {"password", "not the password!"}});
    return std::to_string(r.status) + " " + between(r.body, "usa-alert__text\">", "<");
  };
  // Both names, side by side, at the same moments: the same answers every time.
  std::vector<std::string> known, unknown;
  auto step = [&] {
    known.push_back(wrong("opal"));
    unknown.push_back(wrong("opel"));
  };
  step();                               // 1 failure: refused
  step();                               // 2: locked for 2 s
  step();                               // locked: not counted
  std::this_thread::sleep_for(2500ms);
  step();                               // 3: locked again, for 4 s
  std::this_thread::sleep_for(2500ms);
  step();                               // still locked: not counted
  std::this_thread::sleep_for(2500ms);  // 5 s after the third, past a fixed window of lock_max
  step();                               // 4: locked for 4 s (the cap)
  const std::string refused = "401 The name or password is not right. Check them and try again.";
  const std::string locked = "429 Too many tries. For your security, wait a few minutes, then try again.";
  const std::vector<std::string> expected = {refused, locked, locked, locked, locked, locked};
  BOOST_TEST(known == expected, boost::test_tools::per_element());
  BOOST_TEST(unknown == expected, boost::test_tools::per_element());
  // And the same count behind the answers: 4 failures each (none while locked).
  BOOST_TEST(server.store().find_staff("opal")->failures == 4);
  const auto name_key = s::Keyring::from_file(db.keys).derive("askonce staff names v1").front();
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now());
  BOOST_TEST(server.store().name_failures("staff-name:" + s::hmac_sha256_b64url(name_key, "opel"), now).failures == 4);
}

namespace {

/// The operating system's name of the user running the tests, as the CLI writes it.
std::string os_user() {
  const passwd* pw = ::getpwuid(::getuid());
  return pw && pw->pw_name ? pw->pw_name : "uid " + std::to_string(::getuid());
}

}  // namespace

BOOST_DATA_TEST_CASE(staff_commands_are_in_the_audit_log_and_the_chain_stays_whole, both, backend) {
  Database db(backend);
  const std::vector<std::string> keys = {"--db", db.location(), "--keys", db.keys};
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.end(), keys.begin(), keys.end());
    return askonce::test::run_cli(args);
  };
  const std::string kim = add_staff(db, "kim", "supervisor");
  const std::string lee = add_staff(db, "lee", "agent");
  BOOST_TEST(cli({"staff", "disable", "lee"}).code == 0);
  const auto reset = cli({"staff", "reset", "lee"});
  BOOST_TEST_REQUIRE(reset.code == 0, reset.err);
  const std::string lee_again = reset.out.substr(0, reset.out.find('\n'));
  // What changed nothing writes nothing.
  BOOST_TEST(cli({"staff", "disable", "nobody"}).code == 1);
  BOOST_TEST(cli({"staff", "add", "kim", "--role", "agent"}).code == 1);
  BOOST_TEST(cli({"staff", "reset", "nobody"}).code == 1);
  BOOST_TEST(askonce::test::run_cli({"staff", "list", "--db", db.location()}).code == 0);

  auto list = askonce::test::run_cli({"audit", "list", "--db", db.location()});
  BOOST_TEST_REQUIRE(list.code == 0, list.err);
  const std::string by = "by " + os_user() + " on the command line";
  // Newest first: who (the account), what, and who ran it; never a password.
  const std::regex row("\\n(\\d+) +\\S+ +(\\S+) +(staff_\\w+) +- +- +(.*)");
  std::vector<std::string> seen;
  for (std::sregex_iterator it(list.out.begin(), list.out.end(), row), end; it != end; ++it) {
    seen.push_back((*it)[1].str() + " " + (*it)[2].str() + " " + (*it)[3].str() + " " + (*it)[4].str());
  }
  const std::vector<std::string> expected = {"4 lee staff_reset " + by, "3 lee staff_disabled " + by,
                                             "2 lee staff_added " + by + ", role agent",
                                             "1 kim staff_added " + by + ", role supervisor"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
  for (const std::string& secret : {kim, lee, lee_again}) BOOST_TEST(list.out.find(secret) == std::string::npos);
  auto verify = askonce::test::run_cli({"audit", "verify", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(verify.code == 0, verify.out + verify.err);
  BOOST_TEST(verify.out.find("audit log: 4 entries, the chain is whole") != std::string::npos, verify.out);

  // Interleaved with the pages' own entries (a server on the same database and keys): one chain.
  {
    TestServer server([&](s::Config& c) { db.use(c); });
    Browser b{server.port()};
    set_up(b, db, "max", "agent");  // a CLI entry, then the pages' set_up and sign_in
    sign_out(b);
    BOOST_TEST(cli({"staff", "disable", "max"}).code == 0);
    BOOST_TEST(sign_in(b, "max", "wrong password here", "000000").status == 401);
  }
  verify = askonce::test::run_cli({"audit", "verify", "--db", db.location(), "--keys", db.keys});
  BOOST_TEST(verify.code == 0, verify.out + verify.err);
  // 5 staff_added, 6 sign_in_temporary_password, 7 set_up, 8 sign_in, 9 sign_out (the pages),
  // 10 staff_disabled (the CLI), 11 sign_in_failed (the pages).
  BOOST_TEST(verify.out.find("audit log: 11 entries, the chain is whole") != std::string::npos, verify.out);
  list = askonce::test::run_cli({"audit", "list", "--db", db.location()});
  BOOST_TEST(std::regex_search(list.out, std::regex("\\n10 +\\S+ +max +staff_disabled +- +- +" + by + "\\n")), list.out);

  // Without the deployment's keys a command that would change an account changes nothing.
  if (backend == Backend::postgres) {
    const auto r = askonce::test::run_cli({"staff", "add", "ned", "--role", "agent", "--db", db.location()});
    BOOST_TEST(r.code == 2);
    BOOST_TEST(r.err.find("give the deployment's key file with --keys FILE") != std::string::npos, r.err);
  } else {
    const auto other = (db.dir / "other-keys").string();
    s::Keyring::create_file(other);
    ::chmod(other.c_str(), 0644);  // a key file others can read is refused
    const auto r = askonce::test::run_cli({"staff", "add", "ned", "--role", "agent", "--db", db.location(), "--keys", other});
    BOOST_TEST(r.code == 1);
    BOOST_TEST(r.err.starts_with("askonce staff add: keys: "), r.err);
  }
  BOOST_TEST(askonce::test::run_cli({"staff", "list", "--db", db.location()}).out.find("ned") == std::string::npos);
}

namespace {

std::int64_t audit_entries(s::Store& store) { return static_cast<std::int64_t>(store.audit_page(0, 100000).size()); }

}  // namespace

BOOST_DATA_TEST_CASE(sign_in_posts_over_the_per_address_limit_get_429_and_write_no_audit_entry, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) {
    db.use(c);
    c.staff.sign_in_burst = 4;
    c.staff.sign_in_per_minute = 0.5;  // a token every 2 minutes: none comes back during the test
    c.staff.lock_after = 50;           // the account's own lock stays out of the way
  });
  Browser b{server.port()};
  Member nia = set_up(b, db, "nia", "agent");  // one sign-in post (the temporary password)
  sign_out(b);
  b.get("/staff/sign-in");
  BOOST_TEST_REQUIRE(b.post("/staff/sign-in", {{"name", "nia"}, {"password", nia.password}}).status == 303);  // 2
  b.get("/staff/code");
  BOOST_TEST(b.post("/staff/code", {{"code", "000000"}}).status == 401);  // 3
  BOOST_TEST(b.post("/staff/code", {{"code", "000001"}}).status == 401);  // 4: the last token
  const auto before = audit_entries(server.store());
  const auto account_before = server.store().find_staff("nia")->failures;

  // The code page over the limit: 429, how long to wait, the code typed kept.
  auto r = b.post("/staff/code", {{"code", "123456"}});
  BOOST_TEST(r.status == 429);
  BOOST_TEST_REQUIRE(!r.header("retry-after").empty());
  const int wait = std::stoi(r.header("retry-after"));
  BOOST_TEST(wait >= 1);
  BOOST_TEST(wait <= 120);
  BOOST_TEST(r.body.find("Too many sign-in attempts from your connection. Wait " + std::to_string(wait) +
                         " seconds, then try again.") != std::string::npos, r.body);
  BOOST_TEST(r.body.find("value=\"123456\"") != std::string::npos);
  BOOST_TEST(b.get("/staff/code").status == 200);  // the session goes on: nothing was tried

  // A flood of sign-ins from the same address, every name different: all refused alike, the name
  // typed kept, and not one reaches the store or the audit log.
  Browser flood{server.port()};
  for (int i = 0; i < 20; ++i) {
    flood.get("/staff/sign-in?lang=es");
    const std::string name = "guess" + std::to_string(i);
    r = flood.post("/staff/sign-in?lang=es", {{"name", name}, {"password", "password " + std::to_string(i)}});
    BOOST_TEST(r.status == 429);
    BOOST_TEST(!r.header("retry-after").empty());
    BOOST_TEST(r.body.find("value=\"" + name + "\"") != std::string::npos);
    BOOST_TEST(r.body.find("Demasiados intentos de inicio de sesión desde su conexión.") != std::string::npos);
  }
  BOOST_TEST(audit_entries(server.store()) == before);
  BOOST_TEST(server.store().find_staff("nia")->failures == account_before);
  // Counted in /metrics instead, by a reason of its own.
  const auto metrics = server.get("/metrics");
  BOOST_TEST(metrics.body.find("askonce_requests_refused_total{reason=\"sign_in_rate_limited\"} 21") != std::string::npos,
             metrics.body);
}

// An agent keys a caller's answer to an agency's need_info (server/http/amend.hpp) from the
// application's page: the same path as the citizen's on the status page, the agent signed in
// in place of what only the citizen knows. The answer reaches the agency that asked and every
// other agency with the field, ends the wait, and is audited with the member, never the answer.
BOOST_DATA_TEST_CASE(an_agent_keys_a_callers_answer_to_a_need_info, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) { db.use(c); });
  Browser sup_b{server.port()};
  set_up(sup_b, db, "sue", "supervisor");
  const auto submitted = server.post("/api/v1/forms/change_of_address/submissions", askonce::test::coa_permanent,
                                     {{"Content-Type", "application/json"}});
  BOOST_TEST_REQUIRE(submitted.status == 201);
  const std::string reference = between(submitted.body, "\"reference\": \"", "\"");
  const std::string page = "/staff/applications/" + reference;
  BOOST_TEST(sup_b.get(page).body.find("Answer the agency") == std::string::npos);  // nobody waits yet
  s::AgencyStatus asked;
  asked.agency = "ssa";
  asked.seq = 1;
  asked.status = "need_info";
  asked.fields = {"contact.phone"};
  asked.at = std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now());
  BOOST_TEST_REQUIRE(server.store().append_agency_status(reference, asked, std::nullopt, asked.at));

  auto r = sup_b.get(page);
  BOOST_TEST_REQUIRE(r.status == 200);
  const std::string answer = page + "/answer?agency=ssa";
  BOOST_TEST(r.body.find("href=\"" + answer + "\"") != std::string::npos, r.body);
  BOOST_TEST(sup_b.get(page + "/answer?agency=usps").status == 404);  // usps does not wait
  r = sup_b.get(answer);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("value=\"contact.phone\"") != std::string::npos);
  BOOST_TEST(r.body.find("value=\"new_address\"") == std::string::npos);
  // Without the CSRF token: refused.
  BOOST_TEST(askonce::test::http(server.port(), "POST", answer, "askonce:field=contact.phone",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}}).status != 200);
  r = sup_b.post(answer, {{"askonce:choose", "yes"}, {"askonce:field", "contact.phone"}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(r.body.find("name=\"contact.phone\"") != std::string::npos);
  BOOST_TEST(r.body.find("Ask") != std::string::npos);  // in the agent's words
  // A mistake is kept with its error; then the answer.
  r = sup_b.post(answer, {{"askonce:choose", "yes"}, {"askonce:field", "contact.phone"}, {"askonce:send", "yes"},
                          {"contact.phone", "555-01"}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("value=\"555-01\"") != std::string::npos);
  r = sup_b.post(answer, {{"askonce:choose", "yes"}, {"askonce:field", "contact.phone"}, {"askonce:send", "yes"},
                          {"contact.phone", "(202) 555-0177"}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(r.body.find("Social Security Administration") != std::string::npos);
  BOOST_TEST(r.body.find("Department of Veterans Affairs") != std::string::npos);
  BOOST_TEST(server.store().fetch_for_agency("ssa", reference)->view_version == 2);
  BOOST_TEST(server.store().fetch_for_agency("va", reference)->view_version == 2);
  BOOST_TEST(server.store().fetch_for_agency("usps", reference)->view_version == 1);
  BOOST_TEST(server.store().agency_statuses(reference).back().status == "answered");
  BOOST_TEST(sup_b.get(answer).status == 404);  // answered: nobody waits
  bool audited = false;
  for (const auto& e : server.store().audit_page(0, 100)) {
    if (e.event != "need_info_answered") continue;
    audited = true;
    BOOST_TEST(e.reference == reference);
    BOOST_TEST(e.staff_id.has_value());
    BOOST_TEST(e.detail.find("555") == std::string::npos);
  }
  BOOST_TEST(audited);
}
