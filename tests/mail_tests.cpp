// tests/mail_tests.cpp: mail to citizens, through a real SMTP relay on loopback (aiosmtpd,
// tests/smtp_support.hpp) that requires STARTTLS and a login, as a deployment's relay does.
// The message on the wire (headers, a text and an HTML part, UTF-8); credentials never sent to
// a relay that does not take STARTTLS, nor to one whose certificate fails; and the whole
// server on SQLite and on PostgreSQL: the receipt mail queued with its submission, arriving in
// the citizen's language without an answer in it, its body deleted once sent, its link opening
// the receipt's status once and only once, a relay down for a while and back, dead letters
// and their redrive, the counts in /metrics, and no mail at all without a relay.
#define BOOST_TEST_MODULE mail_tests
#include <boost/test/unit_test.hpp>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <map>
#include <cstdio>
#include <regex>
#include <sstream>

#include <boost/test/data/test_case.hpp>

#include "server/delivery/mail.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"
#include "tests/smtp_support.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
namespace s = askonce::server;
using namespace std::chrono_literals;
using askonce::test::eventually;
using askonce::test::SmtpRelayProcess;
using askonce::test::TestServer;

namespace {

const std::string relay_user = "askonce";
const std::string relay_password = "relay-password";

/// A mail as the relay received it, its parts decoded.
struct Received {
  std::shared_ptr<Poco::Net::MailMessage> holder = std::make_shared<Poco::Net::MailMessage>();
  Poco::Net::MailMessage& message = *holder;
  std::vector<std::pair<std::string, std::string>> parts;  // (content type, decoded text)
  std::string part(const std::string& type_prefix) const {
    for (const auto& [type, text] : parts) {
      if (type.starts_with(type_prefix)) return text;
    }
    return {};
  }
};

class Collect : public Poco::Net::PartHandler {
 public:
  explicit Collect(Received& r) : r_(r) {}
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string text;
    Poco::StreamCopier::copyToString(stream, text);
    r_.parts.emplace_back(header.get("Content-Type", ""), text);
  }

 private:
  Received& r_;
};

Received parse(const std::string& eml) {
  Received r;
  std::istringstream in(eml);
  Collect handler(r);
  r.message.read(in, handler);
  return r;
}

s::MailItem sample_mail() {
  s::MailItem m;
  m.id = 1;
  m.kind = "receipt";
  m.language = "es";
  m.recipient = "ana@example.org";
  m.subject = "Solicitud recibida: Informe un cambio de dirección";
  m.text = "Recibimos su solicitud.\nNúmero de referencia: 7Q2K-9M3X-4TC\n";
  m.html = "<p>Recibimos su solicitud.</p>";
  return m;
}

s::SmtpRelay relay_for(const SmtpRelayProcess& relay) {
  s::SmtpRelay r;
  r.host = "localhost";
  r.port = relay.port();
  r.username = relay_user;
  r.password = relay_password;
  r.from = "Benefits Service <no-reply@forms.example.gov>";
  r.ca_file = relay.cert().string();
  return r;
}

// --- the message and the relay's protocol ---

BOOST_AUTO_TEST_CASE(a_mail_goes_over_starttls_after_a_login_with_both_parts) {
  SmtpRelayProcess relay(fs::temp_directory_path() / "relay-tls", true);
  fs::remove_all(fs::temp_directory_path() / "relay-tls" / "received");
  relay.start(0);
  const auto error = s::send_mail(relay_for(relay), sample_mail(), 10s);
  BOOST_TEST_REQUIRE(!error.has_value(), error.value_or(""));
  const auto messages = relay.messages();
  BOOST_TEST_REQUIRE(messages.size() == 1u);
  const Received got = parse(messages[0]);
  BOOST_TEST(messages[0].find("Subject: =?UTF-8?") != std::string::npos);  // non-ASCII subject, RFC 2047
  BOOST_TEST(got.message.get("From") == "Benefits Service <no-reply@forms.example.gov>");
  BOOST_TEST(got.message.get("To").find("ana@example.org") != std::string::npos);
  BOOST_TEST(got.message.get("Auto-Submitted") == "auto-generated");
  BOOST_TEST(std::regex_match(got.message.get("Message-ID"), std::regex("<[A-Za-z0-9_-]+@forms\\.example\\.gov>")));
  BOOST_TEST(got.message.has("Date"));
  BOOST_TEST(got.message.getContentType().starts_with("multipart/alternative"));
  BOOST_TEST_REQUIRE(got.parts.size() == 2u);
  BOOST_TEST(got.parts[0].first == "text/plain; charset=UTF-8");
  BOOST_TEST(got.parts[1].first == "text/html; charset=UTF-8");
  BOOST_TEST(got.part("text/plain").find("Número de referencia: 7Q2K-9M3X-4TC") != std::string::npos);
  BOOST_TEST(got.part("text/html") == "<p>Recibimos su solicitud.</p>");
  // The order a deployment's relay expects: STARTTLS first, the login and the mail over TLS.
  const std::string commands = relay.commands();
  BOOST_TEST(commands.find("plain STARTTLS") != std::string::npos, commands);
  BOOST_TEST(commands.find("tls AUTH PLAIN") != std::string::npos, commands);
  BOOST_TEST(commands.find("plain AUTH") == std::string::npos, commands);
  BOOST_TEST(commands.find("plain MAIL") == std::string::npos, commands);
  BOOST_TEST(commands.find("tls MAIL FROM: <no-reply@forms.example.gov>") != std::string::npos, commands);
  BOOST_TEST(commands.find("tls RCPT TO: <ana@example.org>") != std::string::npos, commands);
  BOOST_TEST(relay.logins() == "PLAIN tls ok\n");
  // AUTH LOGIN too.
  auto login = relay_for(relay);
  login.login = s::SmtpRelay::Login::Login;
  const auto login_error = s::send_mail(login, sample_mail(), 10s);
  BOOST_TEST(!login_error.has_value(), login_error.value_or(""));
  BOOST_TEST(relay.logins() == "PLAIN tls ok\nLOGIN tls ok\n");
  // A wrong password is the relay's answer, retried later; the password is not in it.
  auto wrong = relay_for(relay);
  wrong.password = "not-the-password";
  const auto refused = s::send_mail(wrong, sample_mail(), 10s);
  BOOST_TEST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->find("535") != std::string::npos, *refused);
  BOOST_TEST(refused->find("not-the-password") == std::string::npos);
  // A mailbox the relay refuses: its answer is kept for the operator, without the address.
  auto nobody = sample_mail();
  nobody.recipient = "nobody@example.org";
  const auto unknown = s::send_mail(relay_for(relay), nobody, 10s);
  BOOST_TEST_REQUIRE(unknown.has_value());
  BOOST_TEST(unknown->find("550") != std::string::npos, *unknown);
  BOOST_TEST(unknown->find("(recipient)") != std::string::npos, *unknown);
  BOOST_TEST(unknown->find("nobody@") == std::string::npos, *unknown);
  // An address that could bend a header or a command never reaches the relay.
  auto bent = sample_mail();
  bent.recipient = "ana@example.org\r\nBcc: eve@example.org";
  BOOST_TEST(s::send_mail(relay_for(relay), bent, 10s).value_or("") == "the recipient address cannot be used");
  BOOST_TEST(relay.commands().find("eve@") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_relay_without_starttls_never_gets_the_password) {
  SmtpRelayProcess relay(fs::temp_directory_path() / "relay-plain", false);
  fs::remove_all(fs::temp_directory_path() / "relay-plain" / "received");
  relay.start(0);
  auto r = relay_for(relay);
  r.ca_file.clear();
  const auto error = s::send_mail(r, sample_mail(), 10s);
  BOOST_TEST_REQUIRE(error.has_value());
  BOOST_TEST(error->find("does not offer STARTTLS") != std::string::npos, *error);
  const std::string commands = relay.commands();
  // It asked for STARTTLS, was refused, and said nothing more: no login, no address, no mail.
  BOOST_TEST(commands.find("STARTTLS") != std::string::npos, commands);
  BOOST_TEST(commands.find("AUTH") == std::string::npos, commands);
  BOOST_TEST(commands.find("MAIL") == std::string::npos, commands);
  BOOST_TEST(commands.find("RCPT") == std::string::npos, commands);
  BOOST_TEST(relay.logins().empty());
  BOOST_TEST(relay.messages().empty());
  // And a worker refuses a login configured without STARTTLS at all.
  auto plain = relay_for(relay);
  plain.starttls = s::SmtpRelay::StartTls::None;
  auto dir = askonce::test::fresh_dir("mail", "plain-config");
  s::SqliteStore store(askonce::test::sqlite_options(dir / "askonce.db"));
  BOOST_CHECK_EXCEPTION(s::MailWorker(store, plain), std::invalid_argument, [](const std::invalid_argument& e) {
    return std::string(e.what()).find("only ever sent after STARTTLS") != std::string::npos &&
           std::string(e.what()).find(relay_password) == std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(a_relay_whose_certificate_fails_never_gets_the_password) {
  SmtpRelayProcess relay(fs::temp_directory_path() / "relay-untrusted", true);
  fs::remove_all(fs::temp_directory_path() / "relay-untrusted" / "received");
  relay.start(0);
  auto r = relay_for(relay);
  r.ca_file.clear();  // the relay's CA is not trusted
  auto error = s::send_mail(r, sample_mail(), 10s);
  BOOST_TEST_REQUIRE(error.has_value());
  BOOST_TEST(relay.logins().empty());
  BOOST_TEST(relay.commands().find("AUTH") == std::string::npos);
  // Trusted, but not the name on the certificate.
  r = relay_for(relay);
  r.host = "127.0.0.2";  // loopback too, not in the certificate's names
  relay.stop();
  error = s::send_mail(r, sample_mail(), 10s);
  BOOST_TEST_REQUIRE(error.has_value());
  BOOST_TEST(relay.logins().empty());
}

// --- the whole server ---

enum class Backend { sqlite, postgres };
std::ostream& operator<<(std::ostream& o, Backend b) { return o << (b == Backend::sqlite ? "sqlite" : "postgres"); }
const std::vector<Backend> both = {Backend::sqlite, Backend::postgres};

/// A database for one server: a file in the server's folder, or a PostgreSQL database of its
/// own on the fixture's cluster, migrated as an operator does before serving.
struct Database {
  explicit Database(Backend b) : backend(b) {
    if (b == Backend::postgres) {
      pg = askonce::test::fresh_pg_database();
      s::migrate_postgres(pg->conninfo(), std::nullopt);
    }
  }
  void use(s::Config& c) const {
    if (!pg) return;
    c.db = pg->conninfo();
    // Nodes on PostgreSQL are given their draft keys (docs/operations.md, "Keys").
    c.keys.env = "ASKONCE_TEST_KEYS";
    c.keys.text = s::Keyring::generate("mail-test");
  }
  /// One number from the tests' own SQL.
  std::int64_t number(const TestServer& server, const std::string& sql) {
    if (backend == Backend::postgres) return s::pg::Connection(pg->conninfo()).exec(sql).integer(0, 0);
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", server.config.db);
    Poco::Int64 n = 0;
    session << sql, Poco::Data::Keywords::into(n), Poco::Data::Keywords::now;
    return n;
  }
  Backend backend;
  std::unique_ptr<askonce::test::PgDatabase> pg;
};

/// The server's mail settings for `relay`, retrying fast.
void use_relay(s::Config& c, const SmtpRelayProcess& relay) {
  c.mail.host = "localhost";
  c.mail.port = relay.port();
  c.mail.username = relay_user;
  c.mail.password = relay_password;
  c.mail.from = "Benefits Service <no-reply@forms.example.gov>";
  c.mail.ca_file = relay.cert().string();
  c.mail.base_backoff = 100ms;
  c.mail.max_backoff = 300ms;
  c.mail.timeout = 5s;
  c.mail.contact_key = std::string(64, 'k');  // "Lost your receipt link?" offered
}

const askonce::test::Headers json_type = {{"Content-Type", "application/json"}};
const std::string submissions = "/api/v1/forms/change_of_address/submissions";

/// The reference in the API's answer.
std::string reference_in(const std::string& body) {
  std::smatch m;
  if (!std::regex_search(body, m, std::regex("\"reference\": ?\"([0-9A-Z-]+)\""))) return {};
  return m[1];
}

/// The receipt's address in the API's answer ("/receipts/REF?key=...").
std::string receipt_url_in(const std::string& body) {
  std::smatch m;
  if (!std::regex_search(body, m, std::regex("\"receipt_url\": ?\"(/receipts/[^\"]+)\""))) return {};
  return m[1];
}

const std::string mail_sent_en = "We have sent a confirmation email";
const std::string mail_sent_es = "Le enviamos un correo electrónico de confirmación";

/// The receipt page says nothing about email: neither language's sentence, nor the word.
void says_nothing_about_mail(const std::string& page) {
  BOOST_TEST(page.find(mail_sent_en) == std::string::npos);
  BOOST_TEST(page.find(mail_sent_es) == std::string::npos);
  BOOST_TEST(page.find("receipt-mail") == std::string::npos);
}

/// The single-use link in a mail's text.
std::string link_in(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("http://[^ \n]+(/r/[A-Za-z0-9_-]{43})"))) return {};
  return m[1];
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string cookie_of(const askonce::test::HttpResponse& r) {
  const std::string set = r.header("set-cookie");
  return set.substr(0, set.find(';'));
}

BOOST_DATA_TEST_CASE(the_receipt_mail_arrives_and_its_link_opens_the_status_once, both, backend) {
  SmtpRelayProcess relay(fs::temp_directory_path() / ("relay-server-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg")), true);
  fs::remove_all(fs::temp_directory_path() / ("relay-server-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg")) / "received");
  relay.start(0);
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    db.use(c);
  });
  // In Spanish, through the API (the web form's post takes the same path, submit()).
  const auto r = server.post(submissions + "?lang=es", askonce::test::coa_permanent, json_type);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const std::string reference = reference_in(r.body);
  // The receipt page says a confirmation email was sent, in the submission's language; its
  // address holds the reference and the key, never the email address.
  const std::string receipt_url = receipt_url_in(r.body);
  BOOST_TEST_REQUIRE(!receipt_url.empty(), r.body);
  BOOST_TEST(receipt_url.find('@') == std::string::npos);
  BOOST_TEST(receipt_url.find("ana") == std::string::npos);
  BOOST_TEST(std::regex_match(receipt_url, std::regex("/receipts/[0-9A-Z-]+\\?key=[A-Za-z0-9_-]+")), receipt_url);
  const auto receipt_page = server.get(receipt_url);
  BOOST_TEST_REQUIRE(receipt_page.status == 200);
  BOOST_TEST(receipt_page.body.find(mail_sent_es) != std::string::npos, receipt_page.body);
  BOOST_TEST(server.get(receipt_url + "&lang=en").body.find(mail_sent_en) != std::string::npos);
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  const Received got = parse(relay.messages()[0]);
  const std::string text = got.part("text/plain"), html = got.part("text/html");
  BOOST_TEST(got.message.get("To").find("ana@example.com") != std::string::npos);
  // The citizen's language; the reference, the agencies, what happens next, the link.
  BOOST_TEST(text.find("Recibimos su solicitud") != std::string::npos, text);
  BOOST_TEST(text.find(reference) != std::string::npos, text);
  BOOST_TEST(text.find("Agencias que reciben su solicitud") != std::string::npos, text);
  BOOST_TEST(text.find("Qué sucede ahora") != std::string::npos, text);
  BOOST_TEST(html.find("<html lang=\"es\">") != std::string::npos, html);
  BOOST_TEST(html.find(reference) != std::string::npos);
  const std::string subject = Poco::Net::MailMessage::decodeWord(got.message.getSubject());
  BOOST_TEST(subject.find("Solicitud recibida") == 0u, subject);
  // No answer anywhere in the mail: not the name, the date of birth, the SSN, the addresses,
  // the phone or the household; not even the address it was sent to, in the body. (The link's
  // random token is taken out first: 43 random characters can spell "Cy".)
  const std::regex token("/r/[A-Za-z0-9_-]{43}");
  const std::string text_words = std::regex_replace(text, token, "/r/TOKEN");
  const std::string html_words = std::regex_replace(html, token, "/r/TOKEN");
  for (const std::string answer : {"Núñez", "Ana", "1980", "123-45-6789", "6789", "Main St", "Oak Ave", "62701",
                                   "555-0123", "Bo <b>", "Cy", "12345678", "ana@example.com", "Springfield"}) {
    BOOST_TEST(text_words.find(answer) == std::string::npos, answer);
    BOOST_TEST(html_words.find(answer) == std::string::npos, answer);
    BOOST_TEST(subject.find(answer) == std::string::npos, answer);
  }
  // Sent: the body and the recipient are gone from the database; only the hash of the link.
  BOOST_TEST_REQUIRE(eventually([&] { return db.number(server, "SELECT count(*) FROM mail WHERE state = 'sent'") == 1; }));
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail WHERE recipient IS NULL AND subject IS NULL AND body_text IS NULL"
                               " AND body_html IS NULL") == 1);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail WHERE language = 'es' AND kind = 'receipt'") == 1);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail_links") == 1);

  // The link opens the status once, into a session cookie, on an address without the token.
  const std::string link = link_in(text);
  BOOST_TEST_REQUIRE(!link.empty(), text);
  const auto opened = server.get(link);
  BOOST_TEST(opened.status == 303);
  BOOST_TEST(opened.header("location") == "/receipts/status");
  const std::string set_cookie = lower(opened.header("set-cookie"));
  BOOST_TEST(set_cookie.starts_with("askonce-receipt="), set_cookie);
  BOOST_TEST(set_cookie.find("httponly") != std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("samesite=lax") != std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("max-age") == std::string::npos, set_cookie);  // gone when the browser closes
  BOOST_TEST(set_cookie.find("expires") == std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("secure") == std::string::npos, set_cookie);   // served over http here
  const auto status = server.get("/receipts/status", {{"Cookie", cookie_of(opened)}});
  BOOST_TEST_REQUIRE(status.status == 200, status.body);
  BOOST_TEST(status.body.find(reference) != std::string::npos);
  BOOST_TEST((status.body.find("Administración del Seguro Social") != std::string::npos ||
              status.body.find("Social Security Administration") != std::string::npos));
  BOOST_TEST(status.body.find("no muestra sus respuestas") != std::string::npos, status.body);
  // Its language switch keeps it on the status page (the session is in the cookie).
  BOOST_TEST(status.body.find("aria-current=\"true\" href=\"/receipts/status?lang=es\" lang=\"es\" hreflang=\"es\"") !=
             std::string::npos, status.body);
  BOOST_TEST(status.body.find("href=\"/receipts/status?lang=en\" lang=\"en\" hreflang=\"en\"") != std::string::npos);
  const auto status_en = server.get("/receipts/status?lang=en", {{"Cookie", cookie_of(opened)}});
  BOOST_TEST(status_en.status == 200);
  BOOST_TEST(status_en.body.find("does not show your answers") != std::string::npos, status_en.body);
  for (const std::string answer : {"Núñez", "123-45-6789", "Main St", "ana@example.com"}) {
    BOOST_TEST(status.body.find(answer) == std::string::npos, answer);
  }
  BOOST_TEST(status.header("cache-control").find("no-store") != std::string::npos);
  // Once only: the same link again is the expired page, and sets no session.
  const auto again = server.get(link, {{"Accept-Language", "en"}});
  BOOST_TEST(again.status == 410);
  BOOST_TEST(again.body.find("This link has expired or was already used") != std::string::npos, again.body);
  BOOST_TEST(again.body.find("/receipts/lost") != std::string::npos);  // how to get a new one
  BOOST_TEST(again.header("set-cookie").empty());
  // Its language switch stays on the same address, and the link's token is not written in it.
  BOOST_TEST(again.body.find("href=\"?lang=es\" lang=\"es\" hreflang=\"es\"") != std::string::npos, again.body);
  BOOST_TEST(again.body.find(link.substr(3)) == std::string::npos);
  const auto again_es = server.get(link + "?lang=es");
  BOOST_TEST(again_es.status == 410);
  BOOST_TEST(again_es.body.find("Este enlace venció o ya se usó") != std::string::npos, again_es.body);
  BOOST_TEST(again_es.body.find("aria-current=\"true\" href=\"?lang=es\"") != std::string::npos);
  BOOST_TEST(server.get("/receipts/status?lang=es").body.find("Este enlace venció o ya se usó") != std::string::npos);
  // No cookie, a made-up one, a made-up link: the same page.
  BOOST_TEST(server.get("/receipts/status").status == 410);
  BOOST_TEST(server.get("/receipts/status", {{"Cookie", "askonce-receipt=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}).status == 410);
  BOOST_TEST(server.get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status == 410);
  // Without server.public_origin the links name this server's own address, and the log says so.
  BOOST_TEST(server.log.str().find("server.public_origin is not set") != std::string::npos);
  // Neither the token nor the session is in the log: routes are logged by pattern.
  BOOST_TEST(server.log.str().find(link.substr(3)) == std::string::npos);
  BOOST_TEST(server.log.str().find("\"route\":\"/r/{token}\"") != std::string::npos);

  // Counted in /metrics.
  const auto metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find("askonce_mails{kind=\"receipt\",state=\"sent\"} 1") != std::string::npos, metrics);
  BOOST_TEST(metrics.find("askonce_mail_attempts_total{kind=\"receipt\",outcome=\"sent\"} 1") != std::string::npos);

  // A replay of the same keyed request stores nothing new and sends no second mail.
  const auto keyed = server.post(submissions, askonce::test::coa_permanent, {{"Content-Type", "application/json"}, {"Idempotency-Key", "k-1"}});
  BOOST_TEST(keyed.status == 201);
  const auto replay = server.post(submissions, askonce::test::coa_permanent, {{"Content-Type", "application/json"}, {"Idempotency-Key", "k-1"}});
  BOOST_TEST(replay.header("idempotent-replayed") == "true");
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 2u; }));
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(relay.messages().size() == 2u);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail") == 2);
}

BOOST_DATA_TEST_CASE(a_relay_down_for_a_while_gets_the_mail_when_it_comes_back, both, backend) {
  const fs::path dir = fs::temp_directory_path() / ("relay-down-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg"));
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);  // for a port of its own
  relay.stop();    // and down
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    db.use(c);
  });
  BOOST_TEST_REQUIRE(server.post(submissions, askonce::test::coa_permanent, json_type).status == 201);
  // The page did not wait for the relay; the mail is retried meanwhile.
  BOOST_TEST_REQUIRE(eventually([&] { return db.number(server, "SELECT max(attempts) FROM mail") >= 2; }));
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail WHERE state = 'pending' AND last_error = 'connection refused'") == 1);
  relay.start();  // back, on the same port
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  BOOST_TEST_REQUIRE(eventually([&] { return db.number(server, "SELECT count(*) FROM mail WHERE state = 'sent'") == 1; }));
  const auto metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find("askonce_mail_attempts_total{kind=\"receipt\",outcome=\"retry\"}") != std::string::npos);
  BOOST_TEST(metrics.find("askonce_mail_attempts_total{kind=\"receipt\",outcome=\"sent\"} 1") != std::string::npos);
}

BOOST_DATA_TEST_CASE(dead_letters_after_the_last_attempt_and_their_redrive, both, backend) {
  const fs::path dir = fs::temp_directory_path() / ("relay-dead-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg"));
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);
  relay.stop();
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    c.mail.max_attempts = 2;
    db.use(c);
  });
  BOOST_TEST_REQUIRE(server.post(submissions, askonce::test::coa_permanent, json_type).status == 201);
  BOOST_TEST_REQUIRE(eventually([&] { return db.number(server, "SELECT count(*) FROM mail WHERE state = 'dead'") == 1; }));
  BOOST_TEST(db.number(server, "SELECT max(attempts) FROM mail") == 2);
  // Dead mail keeps its body, for the redrive.
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail WHERE body_text IS NOT NULL") == 1);
  auto metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find("askonce_mails{kind=\"receipt\",state=\"dead\"} 1") != std::string::npos, metrics);
  BOOST_TEST(metrics.find("askonce_mail_attempts_total{kind=\"receipt\",outcome=\"dead\"} 1") != std::string::npos);
  // The operator lists it and puts it back, with the CLI, while the server runs.
  const std::string where = server.config.db;
  auto list = askonce::test::run_cli({"mail", "list", "--db", where});
  BOOST_TEST(list.code == 0, list.err);
  BOOST_TEST(list.out.find("receipt") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("connection refused") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("ana@example.com") == std::string::npos);  // never the address
  relay.start();
  auto retry = askonce::test::run_cli({"mail", "retry", "--all", "--db", where});
  BOOST_TEST(retry.code == 0, retry.err);
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  BOOST_TEST_REQUIRE(eventually([&] { return db.number(server, "SELECT count(*) FROM mail WHERE state = 'sent'") == 1; }));
  metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find("askonce_mails{kind=\"receipt\",state=\"sent\"} 1") != std::string::npos, metrics);
}

/// The lost-link form's CSRF token.
std::string csrf_in(const std::string& page) {
  std::smatch m;
  if (!std::regex_search(page, m, std::regex("name=\"askonce:csrf\" value=\"([^\"]+)\""))) return {};
  return m[1];
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string encoded;
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_') encoded += static_cast<char>(c);
      else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        encoded += buf;
      }
    }
    out += (out.empty() ? "" : "&") + std::string(k == "csrf" ? "askonce%3Acsrf" : k) + "=" + encoded;
  }
  return out;
}

BOOST_DATA_TEST_CASE(a_lost_receipt_link_is_sent_again_when_reference_and_address_match, both, backend) {
  const fs::path dir = fs::temp_directory_path() / ("relay-lost-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg"));
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    c.rate.per_minute = 1;
    c.rate.burst = 6;
    db.use(c);
  });
  const auto r = server.post(submissions + "?lang=es", askonce::test::coa_permanent, json_type);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const std::string reference = reference_in(r.body);
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  // Only a keyed hash of the address is kept.
  BOOST_TEST(db.number(server, "SELECT count(*) FROM receipt_contacts WHERE contact_hash LIKE 'hmac-sha256:%'") == 1);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM receipt_contacts WHERE contact_hash LIKE '%example%'") == 0);

  const auto form = server.get("/receipts/lost?lang=en");
  BOOST_TEST_REQUIRE(form.status == 200);
  BOOST_TEST(form.body.find("Lost your receipt link?") != std::string::npos);
  // Its language switch leads to the same form in the other language.
  BOOST_TEST(form.body.find("href=\"/receipts/lost?lang=es\" lang=\"es\" hreflang=\"es\"") != std::string::npos, form.body);
  BOOST_TEST(server.get("/receipts/lost?lang=es").body.find("¿Perdió el enlace a su recibo?") != std::string::npos);
  const std::string cookie = cookie_of(form), token = csrf_in(form.body);
  BOOST_TEST_REQUIRE(!token.empty());
  const askonce::test::Headers post_headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}};
  // Another address: the same answer, and nothing is sent.
  const auto other = server.post("/receipts/lost?lang=en",
                                 form_body({{"csrf", token}, {"reference", reference}, {"email", "eve@example.com"}}),
                                 post_headers);
  BOOST_TEST(other.status == 200);
  BOOST_TEST(other.body.find("If the reference number and the email address match") != std::string::npos);
  BOOST_TEST(other.body.find("href=\"/receipts/lost?lang=es\"") != std::string::npos);
  // An unknown reference: the same answer too.
  const auto unknown = server.post("/receipts/lost?lang=en",
                                   form_body({{"csrf", token}, {"reference", "0000-0000-000"}, {"email", "ana@example.com"}}),
                                   post_headers);
  BOOST_TEST(unknown.status == 200);
  BOOST_TEST(unknown.body == other.body);
  // Not a reference: said, and what was typed is kept.
  const auto wrong = server.post("/receipts/lost?lang=en",
                                 form_body({{"csrf", token}, {"reference", "nope<b>"}, {"email", "ana@example.com"}}),
                                 post_headers);
  BOOST_TEST(wrong.status == 422);
  BOOST_TEST(wrong.body.find("value=\"nope&lt;b&gt;\"") != std::string::npos, wrong.body);
  BOOST_TEST(wrong.body.find("value=\"ana@example.com\"") != std::string::npos);
  // Without the page's token: refused.
  BOOST_TEST(server.post("/receipts/lost", form_body({{"reference", reference}, {"email", "ana@example.com"}}),
                         {{"Content-Type", "application/x-www-form-urlencoded"}})
                 .status == 403);
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(relay.messages().size() == 1u);
  // The right address (in other capitals, with spaces around it): a new link, in the language
  // of the application.
  const auto right = server.post("/receipts/lost?lang=en",
                                 form_body({{"csrf", token}, {"reference", reference}, {"email", " ANA@Example.com "}}),
                                 post_headers);
  BOOST_TEST(right.status == 200);
  BOOST_TEST(right.body == other.body);
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 2u; }));
  const Received got = parse(relay.messages()[1]);
  BOOST_TEST(got.part("text/plain").find("Usted pidió un nuevo enlace al recibo de la solicitud " + reference) != std::string::npos,
             got.part("text/plain"));
  const std::string link = link_in(got.part("text/plain"));
  BOOST_TEST_REQUIRE(!link.empty());
  const auto opened = server.get(link);
  BOOST_TEST(opened.status == 303);
  BOOST_TEST(server.get("/receipts/status", {{"Cookie", cookie_of(opened)}}).body.find(reference) != std::string::npos);
  // Rate-limited, like submissions.
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    limited += server.post("/receipts/lost", form_body({{"csrf", token}, {"reference", reference}, {"email", "x@example.com"}}),
                           post_headers)
                           .status == 429;
  }
  BOOST_TEST(limited > 0);
}

/// The cookies a browser keeps: every Set-Cookie of the answers it got.
struct Jar {
  std::map<std::string, std::string> cookies;
  void take(const askonce::test::HttpResponse& r) {
    for (const auto& c : r.cookies) {
      const auto eq = c.find('='), semi = c.find(';');
      const std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
      if (value.empty()) cookies.erase(name);
      else cookies[name] = value;
    }
  }
  askonce::test::Headers headers(bool form = false) const {
    std::string all;
    for (const auto& [n, v] : cookies) all += (all.empty() ? "" : "; ") + n + "=" + v;
    askonce::test::Headers h = {{"Cookie", all}};
    if (form) h.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return h;
  }
};

BOOST_DATA_TEST_CASE(save_and_come_back_by_the_emailed_link_once, both, backend) {
  const fs::path dir = fs::temp_directory_path() / ("relay-resume-" + std::string(backend == Backend::sqlite ? "sqlite" : "pg"));
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    db.use(c);
  });
  const std::string about = "/forms/change_of_address/steps/about?lang=es";
  Jar first;
  const auto page = server.get(about);
  first.take(page);
  auto fields = askonce::test::valid_change_of_address();
  fields.emplace_back("csrf", csrf_in(page.body));
  fields.emplace_back("askonce:save", "yes");
  const auto saved = server.post(about, form_body(fields), first.headers(true));
  first.take(saved);
  BOOST_TEST_REQUIRE(saved.status == 200, saved.body.substr(0, 2000));
  // The page says a link was sent, without the address.
  BOOST_TEST(saved.body.find("También enviamos un enlace para volver") != std::string::npos, saved.body);
  BOOST_TEST(saved.body.find("ana@example.org") == std::string::npos);
  std::smatch code;
  BOOST_TEST_REQUIRE(std::regex_search(saved.body, code, std::regex("id=\"resume-code\">([0-9A-Z-]{15})<")));

  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  const Received got = parse(relay.messages()[0]);
  const std::string text = got.part("text/plain"), html = got.part("text/html");
  BOOST_TEST(got.message.get("To").find("ana@example.org") != std::string::npos);
  BOOST_TEST(Poco::Net::MailMessage::decodeWord(got.message.getSubject()).find("Vuelva a su solicitud") == 0u);
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(text, m, std::regex("http://[^ \n]+(/resume/[A-Za-z0-9_-]{43})")), text);
  const std::string link = m[1];
  // No answer and no resume code in the mail (the token taken out first: it is random).
  const std::string words = std::regex_replace(text + html, std::regex("/resume/[A-Za-z0-9_-]{43}"), "/resume/TOKEN");
  const std::string written_code = code[1].str();
  for (const std::string& answer : {std::string("Ana"), std::string("Ruiz"), std::string("1990"), std::string("6789"),
                                    std::string("123-45"), std::string("Main St"), std::string("62701"),
                                    std::string("ana@example.org"), written_code}) {
    BOOST_TEST(words.find(answer) == std::string::npos, answer);
  }
  BOOST_TEST(eventually([&] { return db.number(server, "SELECT count(*) FROM mail WHERE kind = 'resume' AND state = 'sent'") == 1; }));

  // Another browser: the link, swapped for a session cookie on an address without the token.
  Jar other;
  const auto opened = server.get(link);
  other.take(opened);
  BOOST_TEST_REQUIRE(opened.status == 303);
  BOOST_TEST(opened.header("location") == "/resume");
  const std::string set_cookie = lower(opened.header("set-cookie"));
  BOOST_TEST(set_cookie.starts_with("askonce-resume="), set_cookie);
  BOOST_TEST(set_cookie.find("httponly") != std::string::npos);
  BOOST_TEST(set_cookie.find("samesite=lax") != std::string::npos);
  BOOST_TEST(set_cookie.find("max-age") == std::string::npos);
  // The session shows no answers: it asks what only Ana knows, in her language.
  const auto ask = server.get("/resume", other.headers());
  other.take(ask);
  BOOST_TEST_REQUIRE(ask.status == 200, ask.body.substr(0, 2000));
  BOOST_TEST(ask.body.find("Responda lo que solo usted sabe") != std::string::npos, ask.body);
  BOOST_TEST(ask.body.find("name=\"code\"") == std::string::npos);
  for (const std::string answer : {"Ana", "Ruiz", "1990", "6789"}) BOOST_TEST(ask.body.find(answer) == std::string::npos, answer);
  const std::string token = csrf_in(ask.body);
  const auto wrong = server.post("/resume", form_body({{"csrf", token}, {"askonce:check", "yes"}, {"known0.month", "2"},
                                                       {"known0.day", "28"}, {"known0.year", "1991"}, {"known1", "6789"}}),
                                 other.headers(true));
  BOOST_TEST(wrong.status == 422);
  const auto in = server.post("/resume", form_body({{"csrf", token}, {"askonce:check", "yes"}, {"known0.month", "2"},
                                                    {"known0.day", "28"}, {"known0.year", "1990"}, {"known1", "6789"}}),
                              other.headers(true));
  other.take(in);
  BOOST_TEST_REQUIRE(in.status == 303, in.body.substr(0, 2000));
  BOOST_TEST(in.header("location") == "/forms/change_of_address/check?lang=es");
  BOOST_TEST(other.cookies.count("askonce-draft-change_of_address") == 1u);
  BOOST_TEST(other.cookies.count("askonce-resume") == 0u);  // the session ended
  const auto resumed = server.get("/forms/change_of_address/steps/about?lang=es", other.headers());
  BOOST_TEST(resumed.body.find("value=\"Ana\"") != std::string::npos);
  // Once only.
  BOOST_TEST(server.get(link).status == 410);
  // The token is not in the log.
  BOOST_TEST(server.log.str().find(link.substr(8)) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(behind_https_the_session_cookie_is_secure_and_host_only) {
  const fs::path dir = fs::temp_directory_path() / "relay-secure";
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    c.secure_cookies = true;
    c.public_origin = "https://forms.example.gov";
  });
  BOOST_TEST_REQUIRE(server.post(submissions, askonce::test::coa_permanent, json_type).status == 201);
  BOOST_TEST_REQUIRE(eventually([&] { return relay.messages().size() == 1u; }));
  const std::string text = parse(relay.messages()[0]).part("text/plain");
  // The link names the public address, never a Host a request could have sent.
  BOOST_TEST(text.find("https://forms.example.gov/r/") != std::string::npos, text);
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(text, m, std::regex("https://forms\\.example\\.gov(/r/[A-Za-z0-9_-]{43})")));
  const auto opened = server.get(m[1]);
  BOOST_TEST(opened.status == 303);
  const std::string set_cookie = lower(opened.header("set-cookie"));
  BOOST_TEST(set_cookie.starts_with("__host-askonce-receipt="), set_cookie);
  BOOST_TEST(set_cookie.find("; secure") != std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("path=/") != std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("samesite=lax") != std::string::npos, set_cookie);
  BOOST_TEST(set_cookie.find("httponly") != std::string::npos, set_cookie);
  BOOST_TEST(server.get("/receipts/status", {{"Cookie", cookie_of(opened)}}).status == 200);
}

BOOST_DATA_TEST_CASE(without_a_relay_no_mail_is_queued, both, backend) {
  Database db(backend);
  TestServer server([&](s::Config& c) { db.use(c); });
  const auto r = server.post(submissions, askonce::test::coa_permanent, json_type);
  BOOST_TEST_REQUIRE(r.status == 201);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail") == 0);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail_links") == 0);
  // An address was given, but no relay: the receipt page promises no email.
  const auto receipt_page = server.get(receipt_url_in(r.body));
  BOOST_TEST_REQUIRE(receipt_page.status == 200);
  says_nothing_about_mail(receipt_page.body);
  // The expired-link page then offers no "Lost your receipt link?", which would send a mail.
  const auto page = server.get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  BOOST_TEST(page.status == 410);
  BOOST_TEST(page.body.find("/receipts/lost") == std::string::npos);
}

BOOST_DATA_TEST_CASE(no_mail_without_an_address, both, backend) {
  SmtpRelayProcess relay(fs::temp_directory_path() / "relay-noaddress", true);
  relay.start(0);
  Database db(backend);
  TestServer server([&](s::Config& c) {
    use_relay(c, relay);
    db.use(c);
  });
  std::string body = askonce::test::coa_permanent;
  body = std::regex_replace(body, std::regex(R"("email": "ana@example.com", )"), "");
  body = std::regex_replace(body, std::regex(R"("preferred_method": "email")"), R"("preferred_method": "phone")");
  const auto r = server.post(submissions, body, json_type);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(db.number(server, "SELECT count(*) FROM mail") == 0);
  // A relay, but no address: the receipt page promises no email either.
  const auto receipt_page = server.get(receipt_url_in(r.body));
  BOOST_TEST_REQUIRE(receipt_page.status == 200);
  says_nothing_about_mail(receipt_page.body);
}

}  // namespace

// --- the CSRF key: from the keys, never the database ---

BOOST_DATA_TEST_CASE(the_csrf_key_comes_from_the_keys_and_nodes_sharing_them_agree, both, backend) {
  // Several nodes on one database, as a deployment behind a load balancer runs them: a page
  // from one node posts to another when they share the keys, and the key is derived from them
  // (HMAC-SHA256(key, "askonce csrf v1")), not kept in the database.
  const std::string name = backend == Backend::sqlite ? "sqlite" : "pg";
  const fs::path dir = fs::temp_directory_path() / ("relay-csrf-" + name);
  fs::remove_all(dir / "received");
  SmtpRelayProcess relay(dir, true);
  relay.start(0);
  Database db(backend);
  const std::string old_keys = s::Keyring::generate("k1");
  std::string path;  // SQLite: the first node's file, which the others open too
  auto node = [&](const std::string& keys, const std::string& node_name) {
    return std::make_unique<TestServer>(
        [&](s::Config& c) {
          use_relay(c, relay);
          db.use(c);
          if (path.empty()) path = c.db;
          else c.db = path;
          c.keys.file.clear();
          c.keys.env = "ASKONCE_TEST_KEYS";
          c.keys.text = keys;
        },
        "csrf-" + node_name + "-" + name);
  };
  auto a = node(old_keys, "a");
  auto b = node(old_keys, "b");
  const askonce::test::Headers form_type = {{"Content-Type", "application/x-www-form-urlencoded"}};
  auto with_cookie = [&](const std::string& cookie) {
    askonce::test::Headers h = form_type;
    h.emplace_back("Cookie", cookie);
    return h;
  };

  // "Lost your receipt link?" opened on one node, sent to the other.
  const auto page = a->get("/receipts/lost?lang=en");
  BOOST_TEST_REQUIRE(page.status == 200);
  const std::string cookie = cookie_of(page), token = csrf_in(page.body);
  BOOST_TEST_REQUIRE(!token.empty());
  const std::string lost = form_body({{"csrf", token}, {"reference", "0000-0000-000"}, {"email", "ana@example.com"}});
  const auto on_b = b->post("/receipts/lost?lang=en", lost, with_cookie(cookie));
  BOOST_TEST(on_b.status == 200, on_b.body);
  BOOST_TEST(on_b.body.find("If the reference number and the email address match") != std::string::npos);
  // A step of the journey opened on one node and continued on the other.
  const auto step = a->get("/forms/change_of_address/steps/about?lang=en");
  BOOST_TEST_REQUIRE(step.status == 200);
  auto fields = askonce::test::valid_change_of_address();
  fields.emplace_back("csrf", csrf_in(step.body));
  const auto continued = b->post("/forms/change_of_address/steps/about?lang=en", form_body(fields), with_cookie(cookie_of(step)));
  BOOST_TEST(continued.status == 303, continued.body.substr(0, 600));
  // The database holds no CSRF key: it has no table for one.
  BOOST_TEST(db.number(*a, db.backend == Backend::postgres
                               ? "SELECT count(*) FROM pg_tables WHERE tablename = 'settings'"
                               : "SELECT count(*) FROM sqlite_master WHERE name = 'settings'") == 0);

  // A node with other keys does not take the token.
  auto other = node(s::Keyring::generate("k9"), "other");
  BOOST_TEST(other->post("/receipts/lost?lang=en", lost, with_cookie(cookie)).status == 403);
  // After a rotation (a new key first, the old one kept below it), pages opened before it
  // still post; new pages are signed with the new key, which a node not yet given it refuses.
  auto rotated = node(s::Keyring::generate("k2") + old_keys, "rotated");
  BOOST_TEST(rotated->post("/receipts/lost?lang=en", lost, with_cookie(cookie)).status == 200);
  const auto fresh = rotated->get("/receipts/lost?lang=en", {{"Cookie", cookie}});
  const std::string new_token = csrf_in(fresh.body);
  BOOST_TEST_REQUIRE(!new_token.empty());
  BOOST_TEST(new_token != token);
  const std::string lost_new = form_body({{"csrf", new_token}, {"reference", "0000-0000-000"}, {"email", "ana@example.com"}});
  BOOST_TEST(rotated->post("/receipts/lost?lang=en", lost_new, with_cookie(cookie)).status == 200);
  BOOST_TEST(a->post("/receipts/lost?lang=en", lost_new, with_cookie(cookie)).status == 403);
}
