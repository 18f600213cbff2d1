// tests/store_tests.cpp: the storage layer (server/store/store.hpp), every backend-independent
// case run on both backends: a real SQLite file in the test's temporary directory, and a real
// PostgreSQL database on the `postgres` fixture's throwaway cluster. One-transaction saves,
// group commit, idempotency, agency isolation, cursors, the outbox's leases and dead letters,
// tokens, the definitions archive, server secrets, counts for /metrics, threads, and kill -9 in
// the middle of writing; and SQLite's own: its migrations, pragmas, VACUUM INTO. What only
// PostgreSQL has is in postgres_store_tests.cpp.
#define BOOST_TEST_MODULE store_tests
#include <boost/test/unit_test.hpp>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <boost/test/data/test_case.hpp>

#include "server/staff/audit.hpp"
#include "server/store/keyring.hpp"
#include "dsl/compiler.hpp"
#include "engine/clock.hpp"
#include "engine/paper_code.hpp"
#include "engine/value.hpp"
#include "server/http/catalog.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"

namespace fs = std::filesystem;
using namespace askonce::server;
using namespace std::chrono_literals;
using askonce::test::fresh_dir;
using askonce::test::sqlite_options;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

const TimePoint t0 = TimePoint(std::chrono::milliseconds(1'700'000'000'000));

NewSubmission sample(int i, const std::vector<std::string>& agencies = {"ssa", "usps"}) {
  return askonce::test::sample_submission(i, agencies, "ssa");
}

// Plain SQL on the file, beside the store, to look at what it wrote.
Poco::Int64 count(const fs::path& db, const std::string& table) {
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session s("SQLite", db.string());
  Poco::Int64 n = 0;
  s << "SELECT count(*) FROM " + table, into(n), now;  // table names are fixed text of the tests
  return n;
}

std::string file_bytes(const fs::path& dir) {
  std::string all;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  return all;
}

// Milliseconds since the epoch of a time that must be there, for printable comparisons.
std::int64_t ms(const std::optional<TimePoint>& t) { return t.value().time_since_epoch().count(); }
std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

// Reads from `fd` up to and including the first line break (or to its end): what a child had
// written when it first reported. A crash test kills the child a random while after this, so
// that a slow start (a loaded machine opening the database) does not use up the time it saves in.
std::string first_line(int fd) {
  std::string got;
  char c;
  while (::read(fd, &c, 1) == 1) {
    got += c;
    if (c == '\n') break;
  }
  return got;
}

// Reads everything a child wrote to `fd` until it closed (or was killed), then closes `fd`.
std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

// A database file at schema `version`, made with this binary's migrations cut off there: the
// file an older askonce wrote.
void create_at_version(const fs::path& db, int version) {
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session s("SQLite", db.string());
  std::string mode;
  s << "PRAGMA journal_mode = WAL", into(mode), now;
  s << "CREATE TABLE schema_version (version INTEGER NOT NULL)", now;
  for (const auto& m : sqlite_migrations()) {
    if (m.version > version) break;
    for (const auto& sql : m.statements) s << sql, now;
  }
  Poco::Int64 v = version;
  s << "INSERT INTO schema_version (version) VALUES (?)", Poco::Data::Keywords::bind(v), now;
}

const std::regex reference_shape("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}");

// --- one suite, two backends ---
//
// The cases that hold for every Store run once per backend (BOOST_DATA_TEST_CASE over `both`):
// on a SQLite file of their own, and on a PostgreSQL database of their own on the `postgres`
// fixture's cluster (tests/pg_support.hpp).

enum class Backend { sqlite, postgres };
std::ostream& operator<<(std::ostream& o, Backend b) { return o << (b == Backend::sqlite ? "sqlite" : "postgres"); }
const std::vector<Backend> both = {Backend::sqlite, Backend::postgres};

// A fresh database of one backend for one test case, and plain SQL on it beside the store.
class TestDb {
 public:
  TestDb(Backend b, const std::string& name) : backend(b) {
    if (b == Backend::sqlite) {
      dir_ = fresh_dir("store", name);
    } else {
      pg_ = askonce::test::fresh_pg_database();
      migrate_postgres(pg_->conninfo(), std::nullopt);  // as an operator does before serving
    }
  }

  /// A store on the database; each call opens another (another process, to the database).
  std::unique_ptr<Store> open() {
    if (backend == Backend::sqlite) {
      auto o = sqlite_options(file());
      o.drafts = drafts;
      return std::make_unique<SqliteStore>(o);
    }
    PostgresOptions o;
    o.conninfo = pg_->conninfo();
    o.drafts = drafts;
    return std::make_unique<PostgresStore>(o);
  }
  /// The same with other draft options (another lifetime, other keys).
  std::unique_ptr<Store> open(const DraftOptions& options) {
    const DraftOptions saved = drafts;
    drafts = options;
    auto store = open();
    drafts = saved;
    return store;
  }

  fs::path file() const { return dir_ / "askonce.db"; }
  const std::string& conninfo() const { return pg_->conninfo(); }

  /// SELECT count(*) FROM `table` (fixed text of the tests, a WHERE clause allowed).
  std::int64_t count(const std::string& table) {
    if (backend == Backend::sqlite) return ::count(file(), table);
    return side().exec("SELECT count(*) FROM " + table).integer(0, 0);
  }

  /// One statement of the tests' own, on a connection beside the store's.
  void sql(const std::string& statement) {
    if (backend == Backend::sqlite) {
      Poco::Data::SQLite::Connector::registerConnector();
      Poco::Data::Session s("SQLite", file().string());
      s << statement, now;
    } else {
      side().exec(statement);
    }
  }

  /// Everything the database holds: the bytes of its files, or every row of every table as text.
  std::string everything() {
    if (backend == Backend::sqlite) return file_bytes(dir_);
    std::string all;
    for (const char* t : {"submissions", "outbox", "agency_tokens", "definitions", "definition_sources",
                          "retention_floors", "drafts", "journey_events", "attempts", "mail", "mail_links",
                          "receipt_sessions", "receipt_contacts", "staff", "staff_recovery_codes", "staff_sessions",
                          "audit_log", "agency_statuses"}) {
      all += side().exec(std::string("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM ") + t + " t").text(0, 0);
    }
    return all;
  }

  const Backend backend;
  DraftOptions drafts{askonce::test::test_keys()};

 private:
  pg::Connection& side() {
    if (!side_) side_ = std::make_unique<pg::Connection>(pg_->conninfo());
    return *side_;
  }

  fs::path dir_;
  std::unique_ptr<askonce::test::PgDatabase> pg_;
  std::unique_ptr<pg::Connection> side_;  // after pg_: closed before the database is dropped
};

// Another connection holding off the store's writes until release(): SQLite's write lock
// (BEGIN IMMEDIATE), or in PostgreSQL a lock on submissions that every INSERT waits for.
class WriteBlocker {
 public:
  explicit WriteBlocker(TestDb& db) {
    if (db.backend == Backend::sqlite) {
      Poco::Data::SQLite::Connector::registerConnector();
      sqlite_ = std::make_unique<Poco::Data::Session>("SQLite", db.file().string());
      *sqlite_ << "BEGIN IMMEDIATE", now;
    } else {
      pg_ = std::make_unique<pg::Connection>(db.conninfo());
      pg_->exec("BEGIN");
      pg_->exec("LOCK TABLE submissions IN SHARE ROW EXCLUSIVE MODE");
    }
  }
  void release() {
    if (sqlite_) *sqlite_ << "COMMIT", now;
    if (pg_) pg_->exec("COMMIT");
  }

 private:
  std::unique_ptr<Poco::Data::Session> sqlite_;
  std::unique_ptr<pg::Connection> pg_;
};

}  // namespace

namespace askonce::server {
std::ostream& operator<<(std::ostream& o, SaveResult::Status s) { return o << static_cast<int>(s); }
std::ostream& operator<<(std::ostream& o, DeliveryState s) { return o << to_string(s); }
std::ostream& operator<<(std::ostream& o, MailState s) { return o << to_string(s); }
std::ostream& operator<<(std::ostream& o, StaffStage s) { return o << to_string(s); }
}  // namespace askonce::server

// --- reference numbers ---

BOOST_AUTO_TEST_CASE(reference_format_and_checksum) {
  for (int i = 0; i < 1000; ++i) {
    std::string r = new_reference();
    BOOST_TEST_REQUIRE(std::regex_match(r, reference_shape), r);
    BOOST_TEST(parse_reference(r).value_or("") == r);
    std::string data = r.substr(0, 4) + r.substr(5, 4) + r.substr(10, 2);
    BOOST_TEST(r.back() == crockford_check_symbol(data));
  }
  // Crockford's check symbol is the value mod 37, with * ~ $ = U for 32..36.
  BOOST_TEST(crockford_check_symbol("0000000000") == '0');
  BOOST_TEST(crockford_check_symbol("0000000001") == '1');
  BOOST_TEST(crockford_check_symbol("0000000010") == '*');  // 32
  BOOST_TEST(crockford_check_symbol("0000000014") == 'U');  // 36
  BOOST_TEST(crockford_check_symbol("0000000015") == '0');  // 37
  BOOST_TEST(parse_reference("0000-0000-10*").value_or("") == "0000-0000-10*");
  BOOST_TEST(parse_reference("0000-0000-14u").value_or("") == "0000-0000-14U");
}

BOOST_AUTO_TEST_CASE(reference_parse_tolerates_people) {
  std::string data = "01ABCDEFGH";
  std::string ref = "01AB-CDEF-GH" + std::string(1, crockford_check_symbol(data));
  BOOST_TEST(parse_reference(ref).value_or("") == ref);
  std::string lower = ref;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(parse_reference(lower).value_or("") == ref);
  std::string said = "o i a b  c d e f  g h " + std::string(1, ref.back());  // O read as 0, I as 1
  BOOST_TEST(parse_reference(said).value_or("") == ref);
  BOOST_TEST(parse_reference("OLAB-CDEF-GH" + std::string(1, ref.back())).value_or("") == ref);  // L as 1
  BOOST_TEST(parse_reference("01ABCDEFGH" + std::string(1, ref.back())).value_or("") == ref);
  // A wrong check symbol, one typo in the data, a wrong length, a U in the data: refused.
  char wrong = ref.back() == '0' ? '1' : '0';
  BOOST_TEST(!parse_reference("01AB-CDEF-GH" + std::string(1, wrong)));
  BOOST_TEST(!parse_reference("01AB-CDEF-GJ" + std::string(1, ref.back())));
  BOOST_TEST(!parse_reference("01AB-CDEF-G" + std::string(1, ref.back())));
  BOOST_TEST(!parse_reference("01AB-CDEF-GHH" + std::string(1, ref.back())));
  BOOST_TEST(!parse_reference("U1AB-CDEF-GH" + std::string(1, ref.back())));
  BOOST_TEST(!parse_reference(""));
  BOOST_TEST(!parse_reference("01AB/CDEF-GH" + std::string(1, ref.back())));
}

BOOST_AUTO_TEST_CASE(references_are_random) {
  std::set<std::string> seen;
  std::vector<std::uint64_t> values;
  std::array<std::set<char>, 10> per_position;
  constexpr std::string_view b32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (int i = 0; i < 100'000; ++i) {
    std::string r = new_reference();
    seen.insert(r);
    std::string data = r.substr(0, 4) + r.substr(5, 4) + r.substr(10, 2);
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < data.size(); ++k) {
      v = v * 32 + b32.find(data[k]);
      per_position[k].insert(data[k]);
    }
    values.push_back(v);
  }
  BOOST_TEST(seen.size() == 100'000u);  // no collision
  // Not sequential: consecutive references are not close to each other, and not increasing.
  int close = 0, increasing = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    std::uint64_t d = values[i] > values[i - 1] ? values[i] - values[i - 1] : values[i - 1] - values[i];
    if (d < 1'000'000) ++close;
    if (values[i] > values[i - 1]) ++increasing;
  }
  BOOST_TEST(close < 5);
  BOOST_TEST(increasing > 45'000);
  BOOST_TEST(increasing < 55'000);
  for (const auto& p : per_position) BOOST_TEST(p.size() == 32u);  // every symbol in every place
}

BOOST_AUTO_TEST_CASE(random_tokens_are_url_safe_and_long) {
  std::string t = random_token(32);
  BOOST_TEST(t.size() == 43u);  // 256 bits
  BOOST_TEST(std::regex_match(t, std::regex("[A-Za-z0-9_-]+")));
  BOOST_TEST(random_token(32) != t);
}

// --- schema ---

BOOST_AUTO_TEST_CASE(migrates_from_empty_and_reopens) {
  auto dir = fresh_dir("store", "migrate");
  auto db = dir / "askonce.db";
  std::string ref;
  {
    SqliteStore store(sqlite_options(db));
    BOOST_TEST(store.schema_version() == sqlite_migrations().back().version);
    BOOST_TEST(store.check_integrity().empty());
    auto settings = store.settings();
    BOOST_TEST(settings.journal_mode == "wal");
    BOOST_TEST(settings.synchronous == 2);  // FULL
    BOOST_TEST(settings.foreign_keys);
    BOOST_TEST(settings.busy_timeout_ms == 5000);
    ref = store.save_submission(sample(1), t0).submission->reference;
  }
  {
    Poco::Data::Session s("SQLite", db.string());
    std::string mode;
    s << "PRAGMA journal_mode", into(mode), now;
    BOOST_TEST(mode == "wal");
    std::vector<std::string> names;
    s << "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name",
        into(names), now;
    std::vector<std::string> expected = {
        "agency_statuses", "agency_tokens", "agency_tokens_agency", "attempts", "audit_log", "definition_sources", "definitions", "drafts",
        "drafts_link", "drafts_session", "drafts_updated", "feedback", "feedback_answered", "feedback_offered",
        "figure_applications", "figure_decisions", "figure_floor", "figure_pending", "figure_snapshots", "figure_started",
        "journey_events", "journey_events_form", "mail", "mail_due", "mail_links",
        "mail_links_submission", "outbox", "outbox_agency", "outbox_due", "receipt_contacts", "receipt_sessions",
        "receipt_sessions_submission", "retention_floors", "schema_version", "staff",
        "staff_recovery_codes", "staff_sessions", "staff_sessions_staff", "submissions", "submissions_stored"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
  }
  SqliteStore again(sqlite_options(db));  // reopening applies nothing and keeps everything
  BOOST_TEST(again.schema_version() == sqlite_migrations().back().version);
  auto found = again.find_submission(ref);
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->canonical_json == sample(1).canonical_json);
  BOOST_TEST(count(db, "schema_version") == 1);
}

BOOST_AUTO_TEST_CASE(refuses_a_newer_schema) {
  auto dir = fresh_dir("store", "newer");
  auto db = dir / "askonce.db";
  { SqliteStore store(sqlite_options(db)); }
  {
    Poco::Data::Session s("SQLite", db.string());
    s << "UPDATE schema_version SET version = 99", now;
  }
  try {
    SqliteStore store(sqlite_options(db));
    BOOST_FAIL("opened a database of a newer schema");
  } catch (const StoreError& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("version 99, newer than this askonce knows") != std::string::npos, what);
  }
  BOOST_TEST(count(db, "schema_version") == 1);
}

BOOST_AUTO_TEST_CASE(refuses_the_next_schema_version) {
  auto dir = fresh_dir("store", "next");
  auto db = dir / "askonce.db";
  const int latest = sqlite_migrations().back().version;
  BOOST_TEST(latest == 13);
  create_at_version(db, latest);
  {
    Poco::Data::Session s("SQLite", db.string());
    s << "UPDATE schema_version SET version = version + 1", now;
  }
  try {
    SqliteStore store(sqlite_options(db));
    BOOST_FAIL("opened a database one schema version ahead");
  } catch (const StoreError& e) {
    std::string what = e.what();
    std::string expected = "the database schema is version " + std::to_string(latest + 1) +
                           ", newer than this askonce knows (" + std::to_string(latest) + ")";
    BOOST_TEST(what.find(expected) != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(migrates_a_version_2_file_keeping_its_data) {
  auto dir = fresh_dir("store", "v2");
  auto source = dir / "source.db";
  auto db = dir / "askonce.db";
  // The data is written by the store itself, then copied into a file made by migrations 1 and
  // 2 only: what an askonce of schema 2 left on disk.
  auto keyed = sample(1);
  keyed.idempotency = IdempotencyKey{"client-1/change_of_address", "key-1", request_fingerprint("body-1")};
  std::string ref, secret, plain_ref, token;
  {
    SqliteStore store(sqlite_options(source));
    auto r = store.save_submission(keyed, t0);
    ref = r.submission->reference;
    secret = r.receipt_secret;
    plain_ref = store.save_submission(sample(2, {"usps"}), t0).submission->reference;
    BOOST_TEST(store.acknowledge("usps", ref, t0 + 1s));
    token = store.create_token("ssa", t0).token;
  }
  create_at_version(db, 2);
  {
    Poco::Data::Session s("SQLite", db.string());
    std::string from = source.string();
    s << "ATTACH DATABASE ? AS source", Poco::Data::Keywords::bind(from), now;
    s << "INSERT INTO submissions SELECT id, reference, receipt_hash, form_id, version, definition_hash, language,"
         " channel, received, canonical_json, digest, idem_hash, idem_fingerprint, idem_salt, stored_at"
         " FROM source.submissions",
        now;
    // The columns schema 2 had (12 added view_version, changed and digest).
    s << "INSERT INTO outbox SELECT id, submission_id, agency, view_json, view_xml, state, attempts, next_attempt_at,"
         " lease_owner, lease_until, last_error, delivered_at, acked_at FROM source.outbox",
        now;
    s << "INSERT INTO agency_tokens SELECT * FROM source.agency_tokens", now;
    s << "DETACH DATABASE source", now;
    Poco::Int64 v3_tables = 0;
    s << "SELECT count(*) FROM sqlite_master WHERE name IN ('definitions', 'definition_sources', 'settings')",
        into(v3_tables), now;
    BOOST_TEST_REQUIRE(v3_tables == 0);
  }
  BOOST_TEST(count(db, "schema_version") == 1);

  SqliteStore store(sqlite_options(db));
  BOOST_TEST(store.schema_version() == sqlite_migrations().back().version);
  BOOST_TEST(store.check_integrity().empty());
  BOOST_TEST(store.submission_count() == 2);
  auto found = store.find_submission(ref);
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->canonical_json == keyed.canonical_json);
  // Version 8 gave the rows written before it their day received: the UTC day of `received`.
  BOOST_TEST(found->date_received == keyed.received.substr(0, 10));
  BOOST_TEST(!found->staff_id.has_value());
  BOOST_TEST_REQUIRE(found->deliveries.size() == 2u);
  BOOST_TEST(found->deliveries[1].state == DeliveryState::Delivered);  // usps acknowledged
  BOOST_TEST(store.verify_receipt(ref, secret));
  BOOST_TEST(store.verify_token(token).value_or("") == "ssa");
  // The idempotency key written under schema 2 still answers a retry.
  auto retry = store.save_submission(keyed, t0 + 1h);
  BOOST_TEST(retry.status == SaveResult::Status::Replayed);
  BOOST_TEST(retry.submission->reference == ref);
  BOOST_TEST(retry.receipt_secret == secret);
  // Cursors continue: a new row comes after the old ones.
  auto usps = store.list_for_agency("usps", "", 10).value();
  BOOST_TEST_REQUIRE(usps.items.size() == 2u);
  BOOST_TEST(usps.items[1].reference == plain_ref);
  auto late = store.save_submission(sample(3, {"usps"}), t0).submission->reference;
  auto next = store.list_for_agency("usps", usps.next_cursor, 10).value();
  BOOST_TEST_REQUIRE(next.items.size() == 1u);
  BOOST_TEST(next.items[0].reference == late);
  // And what version 3 adds works on the migrated file.
  store.archive_definition({"sha256:d", "change_of_address", 1, {{"change-of-address.form", "form x {}"}}});
  BOOST_TEST(store.find_definition("sha256:d").has_value());
  // Version 8 dropped the table of server secrets: keys come from files or the environment.
  Poco::Data::Session s("SQLite", db.string());
  Poco::Int64 settings = 0;
  s << "SELECT count(*) FROM sqlite_master WHERE name = 'settings'", into(settings), now;
  BOOST_TEST(settings == 0);
}

// --- saving ---

BOOST_DATA_TEST_CASE(saves_submission_and_outbox_together, both, backend) {
  TestDb db(backend, "save");
  auto opened = db.open();
  Store& store = *opened;
  auto r = store.save_submission(sample(7), t0);
  BOOST_TEST(r.status == SaveResult::Status::Stored);
  BOOST_TEST_REQUIRE(r.submission.has_value());
  const auto& s = *r.submission;
  BOOST_TEST(std::regex_match(s.reference, reference_shape));
  BOOST_TEST(s.form_id == "change_of_address");
  BOOST_TEST(s.digest == sample(7).digest);
  BOOST_TEST_REQUIRE(s.deliveries.size() == 2u);
  BOOST_TEST(s.deliveries[0].agency == "ssa");
  BOOST_TEST(s.deliveries[1].agency == "usps");
  BOOST_TEST(s.deliveries[0].state == DeliveryState::Pending);
  BOOST_TEST(ms(s.deliveries[0].next_attempt) == ms(t0));
  // What the save answers (made from what was given, not read back) is what a read finds.
  auto found = store.find_submission(s.reference);
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->reference == s.reference);
  BOOST_TEST(found->form_id == s.form_id);
  BOOST_TEST(found->version == s.version);
  BOOST_TEST(found->definition_hash == s.definition_hash);
  BOOST_TEST(found->language == s.language);
  BOOST_TEST(found->channel == s.channel);
  BOOST_TEST(found->received == s.received);
  BOOST_TEST(found->canonical_json == s.canonical_json);
  BOOST_TEST(found->digest == s.digest);
  BOOST_TEST_REQUIRE(found->deliveries.size() == s.deliveries.size());
  for (std::size_t i = 0; i < s.deliveries.size(); ++i) {
    const auto &a = found->deliveries[i], &b = s.deliveries[i];
    BOOST_TEST(a.id == b.id);
    BOOST_TEST(a.agency == b.agency);
    BOOST_TEST(a.state == b.state);
    BOOST_TEST(a.attempts == b.attempts);
    BOOST_TEST(ms(a.next_attempt) == ms(b.next_attempt));
    BOOST_TEST(!b.delivered.has_value());
    BOOST_TEST(a.last_error == b.last_error);
  }
  BOOST_TEST(s.deliveries[0].id < s.deliveries[1].id);

  auto ssa = store.fetch_for_agency("ssa", s.reference);
  BOOST_TEST_REQUIRE(ssa.has_value());
  BOOST_TEST(ssa->json == sample(7).views[0].json);
  BOOST_TEST(ssa->xml.value_or("") == sample(7).views[0].xml.value());
  BOOST_TEST(!store.fetch_for_agency("usps", s.reference)->xml.has_value());

  // Found in any spelling a person might give.
  std::string lower = s.reference;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(store.find_submission(lower).has_value());
  BOOST_TEST(!store.find_submission("0000-0000-000").has_value());
  BOOST_TEST(!store.find_submission("not a reference").has_value());
}

// An amendment (amend_submission): the corrected answers replace the stored ones in one
// transaction with a new version of each changed view, leased, delivered, listed and
// acknowledged like any row; the earlier versions keep their digest; a correction made from
// answers that changed meanwhile, or a need_info answer whose number is taken, stores nothing;
// retention takes versions from the front of each list like any row.
BOOST_DATA_TEST_CASE(amendments_are_versions_with_their_own_delivery_state, both, backend) {
  TestDb db(backend, "amend");
  auto opened = db.open();
  Store& store = *opened;
  const auto first = store.save_submission(sample(1), t0).submission.value();
  const auto other = store.save_submission(sample(2), t0).submission.value();
  Amendment a;
  a.reference = first.reference;
  a.from_digest = first.digest;
  a.canonical_json = "{\"corrected\":true}";
  a.digest = "sha256:corrected";
  a.views.push_back(AmendedView{"usps", "{\"v\":2}", std::nullopt, {"/NewAddress/street", "/NewAddress/zip"}});
  AgencyStatus answer;
  answer.agency = "usps";
  answer.seq = 1;  // no status yet: the answer would be number 1, but usps never asked; the store does not judge
  answer.status = "answered";
  answer.at = t0;
  a.answer = answer;
  // From a digest that is not the stored one: nothing.
  Amendment stale = a;
  stale.from_digest = "sha256:other";
  BOOST_TEST((store.amend_submission(stale, t0 + 1s).status == AmendResult::Status::Conflict));
  Amendment unknown = a;
  unknown.reference = "0000-0000-000";
  BOOST_TEST((store.amend_submission(unknown, t0 + 1s).status == AmendResult::Status::NotFound));
  const auto r = store.amend_submission(a, t0 + 1s);
  BOOST_TEST_REQUIRE((r.status == AmendResult::Status::Stored));
  BOOST_TEST((r.versions == std::vector<std::int64_t>{2}));
  // The same again: the digest moved on.
  BOOST_TEST((store.amend_submission(a, t0 + 2s).status == AmendResult::Status::Conflict));

  const auto found = store.find_submission(first.reference).value();
  BOOST_TEST(found.canonical_json == "{\"corrected\":true}");
  BOOST_TEST(found.digest == "sha256:corrected");
  BOOST_TEST_REQUIRE(found.deliveries.size() == 2u);  // one per agency: its latest version
  BOOST_TEST(found.deliveries[0].agency == "ssa");
  BOOST_TEST(found.deliveries[0].view_version == 1);
  BOOST_TEST(found.deliveries[1].agency == "usps");
  BOOST_TEST(found.deliveries[1].view_version == 2);
  BOOST_TEST(store.agency_statuses(first.reference).at(0).status == "answered");

  // The feed: after the other submission, with its changed paths; each version its digest.
  const auto page = store.list_for_agency("usps", "", 10).value();
  BOOST_TEST_REQUIRE(page.items.size() == 3u);
  BOOST_TEST(page.items[0].reference == first.reference);
  BOOST_TEST(page.items[1].reference == other.reference);
  BOOST_TEST(page.items[2].reference == first.reference);
  BOOST_TEST(page.items[0].view_version == 1);
  BOOST_TEST(page.items[0].changed.empty());
  BOOST_TEST(page.items[0].digest == first.digest);
  BOOST_TEST(page.items[2].view_version == 2);
  BOOST_TEST((page.items[2].changed == std::vector<std::string>{"/NewAddress/street", "/NewAddress/zip"}));
  BOOST_TEST(page.items[2].digest == "sha256:corrected");
  BOOST_TEST(page.items[2].json == "{\"v\":2}");
  BOOST_TEST(!page.items[2].xml.has_value());
  BOOST_TEST(store.list_for_agency("ssa", "", 10).value().items.size() == 2u);
  // Fetch: the latest, or a version.
  BOOST_TEST(store.fetch_for_agency("usps", first.reference)->view_version == 2);
  BOOST_TEST(store.fetch_for_agency("usps", first.reference, 1)->json == sample(1).views[1].json);
  BOOST_TEST(!store.fetch_for_agency("usps", first.reference, 3).has_value());
  // Leased and delivered like any row: the worker gets version 2 too.
  ClaimRequest claim;
  claim.worker = "w";
  claim.now = t0 + 5s;
  claim.agency = "usps";
  const auto claimed = store.claim_deliveries(claim);
  BOOST_TEST_REQUIRE(claimed.size() == 3u);
  BOOST_TEST(claimed[2].view_version == 2);
  BOOST_TEST((claimed[2].changed == page.items[2].changed));
  for (const auto& c : claimed) BOOST_TEST(store.release_delivery(c.outbox_id, "w"));
  // Ack per version; without one, every version.
  BOOST_TEST(store.acknowledge("usps", first.reference, t0 + 6s, 2));
  BOOST_TEST(!store.fetch_for_agency("usps", first.reference, 1)->acknowledged);
  BOOST_TEST(store.fetch_for_agency("usps", first.reference, 2)->acknowledged);
  BOOST_TEST(!store.acknowledge("usps", first.reference, t0 + 6s, 7));
  BOOST_TEST(store.acknowledge("usps", first.reference, t0 + 7s));
  BOOST_TEST(store.fetch_for_agency("usps", first.reference, 1)->acknowledged);

  // An agency that never received it cannot get an amendment: the transaction fails whole.
  Amendment stray;
  stray.reference = first.reference;
  stray.from_digest = "sha256:corrected";
  stray.canonical_json = "{}";
  stray.digest = "sha256:stray";
  stray.views.push_back(AmendedView{"irs", "{}", std::nullopt, {"/x"}});
  BOOST_CHECK_THROW(store.amend_submission(stray, t0 + 8s), StoreError);
  BOOST_TEST(store.find_submission(first.reference)->digest == "sha256:corrected");

  // Retention: delivered versions go from the front of the list, in order, and stop at the
  // first kept (the other submission's, pending): version 2 stays behind it.
  RetentionPolicy policy;
  policy.delivered_views = std::chrono::hours(1);
  const auto swept = store.sweep(policy, t0 + 2h);
  BOOST_TEST(swept.views == 1);
  const auto left = store.list_for_agency("usps", "", 10).value();
  BOOST_TEST_REQUIRE(left.items.size() == 2u);
  BOOST_TEST(left.items[0].reference == other.reference);
  BOOST_TEST(left.items[1].view_version == 2);
}

BOOST_DATA_TEST_CASE(channel_staff_and_day_received_travel_with_every_view, both, backend) {
  TestDb db(backend, "channel");
  auto opened = db.open();
  Store& store = *opened;
  // A mailed paper form keyed by staff member 42, whose envelope arrived three days earlier.
  auto mailed = sample(1);
  mailed.channel = "mail";
  mailed.language = "es";
  mailed.staff_id = 42;
  mailed.date_received = "2024-04-28";
  const auto saved = store.save_submission(mailed, t0).submission.value();
  BOOST_TEST(saved.date_received == "2024-04-28");
  BOOST_TEST(saved.staff_id.value_or(0) == 42);
  const auto found = store.find_submission(saved.reference).value();
  BOOST_TEST(found.channel == "mail");
  BOOST_TEST(found.date_received == "2024-04-28");
  BOOST_TEST(found.staff_id.value_or(0) == 42);
  // Without a day given (the web, the API), the day received is received's own day.
  const auto web = store.save_submission(sample(2), t0).submission.value();
  BOOST_TEST(web.date_received == "2024-05-01");
  BOOST_TEST(!store.find_submission(web.reference)->staff_id.has_value());

  // Every way an agency gets a view carries the envelope: its list, one view, a delivery.
  auto check = [&](const AgencyItem& item) {
    const bool mail = item.reference == saved.reference;
    BOOST_TEST(item.channel == (mail ? "mail" : "api"));
    BOOST_TEST(item.language == (mail ? "es" : "en"));
    BOOST_TEST(item.date_received == (mail ? "2024-04-28" : "2024-05-01"));
  };
  const auto page = store.list_for_agency("ssa", "", 10).value();
  BOOST_TEST_REQUIRE(page.items.size() == 2u);
  for (const auto& item : page.items) check(item);
  check(store.fetch_for_agency("usps", saved.reference).value());
  const auto claimed = store.claim_deliveries({"w1", t0, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(claimed.size() == 4u);
  for (const auto& item : claimed) check(item);

  // Saves that share a commit keep each its own channel, staff member and day.
  std::vector<std::thread> pool;
  std::vector<std::string> references(8);
  for (int i = 0; i < 8; ++i) {
    pool.emplace_back([&, i] {
      auto n = sample(10 + i);
      if (i % 2 == 1) {
        n.channel = "phone";
        n.staff_id = 100 + i;
        n.date_received = "2024-05-0" + std::to_string(i);
      }
      references[static_cast<std::size_t>(i)] = store.save_submission(n, t0).submission->reference;
    });
  }
  for (auto& t : pool) t.join();
  for (int i = 0; i < 8; ++i) {
    const auto f = store.find_submission(references[static_cast<std::size_t>(i)]).value();
    BOOST_TEST(f.channel == (i % 2 == 1 ? "phone" : "api"));
    BOOST_TEST(f.staff_id.value_or(0) == (i % 2 == 1 ? 100 + i : 0));
    BOOST_TEST(f.date_received == (i % 2 == 1 ? "2024-05-0" + std::to_string(i) : "2024-05-01"));
  }

  // What the envelope could not carry is refused, and nothing is stored.
  const auto before = store.submission_count();
  auto refused = [&](auto change) {
    auto n = sample(30);
    change(n);
    BOOST_CHECK_THROW(store.save_submission(n, t0), StoreError);
  };
  refused([](NewSubmission& n) { n.channel = "fax"; });
  refused([](NewSubmission& n) { n.channel = "phone"; });  // keyed by nobody
  refused([](NewSubmission& n) { n.staff_id = 7; });       // the API, keyed by staff
  refused([](NewSubmission& n) { n.date_received = "2024-02-30"; });
  refused([](NewSubmission& n) { n.date_received = "yesterday"; });
  BOOST_TEST(store.submission_count() == before);
}

BOOST_DATA_TEST_CASE(a_failure_mid_transaction_stores_nothing, both, backend) {
  TestDb db(backend, "rollback");
  auto opened = db.open();
  Store& store = *opened;
  store.save_submission(sample(1), t0);
  // The second outbox row violates UNIQUE (submission_id, agency, view_version) (two version 1s
  // of one agency's view): the submission row and the
  // first outbox row were already inserted in the same transaction.
  BOOST_CHECK_THROW(store.save_submission(sample(2, {"ssa", "ssa"}), t0), StoreError);
  // And a CHECK constraint on the third row.
  BOOST_CHECK_THROW(store.save_submission(sample(3, {"ssa", "usps", ""}), t0), StoreError);
  BOOST_TEST(db.count("submissions") == 1);
  BOOST_TEST(db.count("outbox") == 2);
  // The store is still usable afterwards.
  BOOST_TEST(store.save_submission(sample(4), t0).status == SaveResult::Status::Stored);
  BOOST_TEST(db.count("submissions") == 2);
  BOOST_TEST(store.check_integrity().empty());
}

BOOST_DATA_TEST_CASE(idempotent_retries, both, backend) {
  TestDb db(backend, "idem");
  auto opened = db.open();
  Store& store = *opened;
  std::string body = R"({"name":"Ada"})";
  auto n = sample(1);
  n.idempotency = IdempotencyKey{"client-1/change_of_address", "key-123", request_fingerprint(body)};
  auto first = store.save_submission(n, t0);
  BOOST_TEST(first.status == SaveResult::Status::Stored);
  auto again = store.save_submission(n, t0 + 5s);
  BOOST_TEST(again.status == SaveResult::Status::Replayed);
  BOOST_TEST(again.submission->reference == first.submission->reference);
  BOOST_TEST(again.receipt_secret == first.receipt_secret);  // the same receipt link
  BOOST_TEST(again.submission->deliveries.size() == 2u);
  BOOST_TEST(db.count("submissions") == 1);
  BOOST_TEST(db.count("outbox") == 2);
  BOOST_TEST(store.verify_receipt(first.submission->reference, again.receipt_secret));

  auto other_body = n;
  other_body.idempotency->fingerprint = request_fingerprint(R"({"name":"Bob"})");
  auto conflict = store.save_submission(other_body, t0);
  BOOST_TEST(conflict.status == SaveResult::Status::KeyConflict);
  BOOST_TEST(!conflict.submission.has_value());
  BOOST_TEST(conflict.receipt_secret.empty());
  BOOST_TEST(db.count("submissions") == 1);

  // The key is scoped: another client may use the same key.
  auto other_client = n;
  other_client.idempotency->scope = "client-2/change_of_address";
  auto second = store.save_submission(other_client, t0);
  BOOST_TEST(second.status == SaveResult::Status::Stored);
  BOOST_TEST(second.submission->reference != first.submission->reference);
  BOOST_TEST(second.receipt_secret != first.receipt_secret);
  BOOST_TEST(db.count("submissions") == 2);
  // Without a key, the same body is a new submission.
  auto plain = sample(1);
  store.save_submission(plain, t0);
  store.save_submission(plain, t0);
  BOOST_TEST(db.count("submissions") == 4);
}

BOOST_DATA_TEST_CASE(a_reference_already_taken_is_replaced_not_failed, both, backend) {
  TestDb db(backend, "collision");
  auto opened = db.open();
  Store& store = *opened;
  // Half of all references (those starting with 0-9 or A-F) are taken just before the store
  // inserts one: a trigger, added by another connection while the store is open, inserts a row
  // with the same reference first. The store's INSERT then fails on UNIQUE (reference) (SQLite:
  // which undoes the trigger's row with it; PostgreSQL: ON CONFLICT DO NOTHING, and the
  // trigger's row stays), and the store must try another reference.
  if (backend == Backend::sqlite) {
    db.sql("CREATE TRIGGER take_reference BEFORE INSERT ON submissions WHEN substr(NEW.reference, 1, 1) < 'G'"
           " BEGIN INSERT INTO submissions (reference, receipt_hash, form_id, version, definition_hash, language,"
           " channel, received, canonical_json, digest, stored_at, date_received) VALUES (NEW.reference, '', '', 0, '',"
           " '', '', '', '', '', 0, ''); END");
  } else {
    db.sql("CREATE FUNCTION take_reference() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
           " IF substr(NEW.reference, 1, 1) < 'G' AND NEW.receipt_hash <> '' THEN"
           " INSERT INTO submissions (reference, receipt_hash, form_id, version, definition_hash, language,"
           " channel, received, canonical_json, digest, stored_at, date_received) VALUES (NEW.reference, '', '', 0, '',"
           " '', '', '', '', '', 0, ''); END IF; RETURN NEW; END $$");
    db.sql("CREATE TRIGGER take_reference BEFORE INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION take_reference()");
  }
  constexpr int saves = 40;  // all 40 missing the trigger by chance: 2^-40
  std::set<std::string> references;
  for (int i = 0; i < saves; ++i) {
    auto n = sample(i);
    if (i % 2 == 0) n.idempotency = IdempotencyKey{"client", std::to_string(i), request_fingerprint(n.canonical_json)};
    auto r = store.save_submission(n, t0);
    BOOST_TEST_REQUIRE(r.status == SaveResult::Status::Stored);
    const std::string& ref = r.submission->reference;
    BOOST_TEST(ref >= std::string("G"), ref);  // the reference stored, not one that was taken
    BOOST_TEST(store.verify_receipt(ref, r.receipt_secret));
    auto found = store.find_submission(ref);
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST(found->canonical_json == n.canonical_json);
    BOOST_TEST(found->deliveries.size() == 2u);
    BOOST_TEST(found->deliveries[0].id == r.submission->deliveries[0].id);
    references.insert(ref);
  }
  BOOST_TEST(references.size() == static_cast<std::size_t>(saves));
  BOOST_TEST(db.count("submissions WHERE receipt_hash <> ''") == saves);
  if (backend == Backend::sqlite) BOOST_TEST(db.count("submissions") == saves);  // no row of the trigger's is left
  else BOOST_TEST(db.count("submissions WHERE receipt_hash = ''") > 0);  // the trigger did take references
  BOOST_TEST(db.count("outbox") == 2 * saves);
  auto replay = sample(0);
  replay.idempotency = IdempotencyKey{"client", "0", request_fingerprint(replay.canonical_json)};
  BOOST_TEST(store.save_submission(replay, t0).status == SaveResult::Status::Replayed);
  BOOST_TEST(store.check_integrity().empty());
}

BOOST_DATA_TEST_CASE(receipts_need_their_secret, both, backend) {
  TestDb db(backend, "receipt");
  std::string ref, secret;
  {
    auto store_opened = db.open();
    Store& store = *store_opened;
    auto r = store.save_submission(sample(1), t0);
    ref = r.submission->reference;
    secret = r.receipt_secret;
    BOOST_TEST(secret.size() >= 22u);  // at least 128 bits in base64url
    BOOST_TEST(store.verify_receipt(ref, secret));
    BOOST_TEST(!store.verify_receipt(ref, secret + "x"));
    BOOST_TEST(!store.verify_receipt(ref, ""));
    BOOST_TEST(!store.verify_receipt("0000-0000-000", secret));
    auto other = store.save_submission(sample(2), t0);
    BOOST_TEST(!store.verify_receipt(other.submission->reference, secret));
  }
  std::string bytes = db.everything();
  BOOST_TEST(bytes.find(secret) == std::string::npos);  // only the hash is stored
  BOOST_TEST(bytes.find(sha256_hex(secret)) != std::string::npos);
}

BOOST_DATA_TEST_CASE(a_lone_save_commits_at_once_in_a_group_of_one, both, backend) {
  TestDb db(backend, "lone");
  auto opened = db.open();
  Store& store = *opened;
  auto before = store.write_stats().value();
  BOOST_TEST(before.saves == 0u);
  BOOST_TEST(before.commits == 0u);
  for (int i = 0; i < 5; ++i) store.save_submission(sample(i), t0);
  auto stats = store.write_stats().value();
  BOOST_TEST(stats.saves == 5u);
  BOOST_TEST(stats.commits == 5u);  // nobody waited for company
  BOOST_TEST(stats.largest_batch == 1u);
}

BOOST_DATA_TEST_CASE(group_commit_gives_every_caller_its_own_outcome, both, backend) {
  TestDb db(backend, "group");
  auto opened = db.open();
  Store& store = *opened;
  constexpr int threads = 32, each = 50, keys = each / 5;
  // Save i of every thread: i % 5 == 0 uses key "same/<i/5>" with the same body in all threads;
  // i % 5 == 1 uses key "mixed/<i/5>" with one of two bodies, by the thread's parity; the
  // others have no key.
  auto request = [](int t, int i) {
    NewSubmission n;
    if (i % 5 == 0) {
      n = sample(100'000 + i);
      n.idempotency = IdempotencyKey{"client/same", std::to_string(i / 5), request_fingerprint(n.canonical_json)};
    } else if (i % 5 == 1) {
      n = sample(200'000 + 2 * i + t % 2);
      n.idempotency = IdempotencyKey{"client/mixed", std::to_string(i / 5), request_fingerprint(n.canonical_json)};
    } else {
      n = sample(t * 1000 + i);
    }
    return n;
  };
  struct Outcome {
    SaveResult::Status status;
    std::string reference;
    std::string secret;
    bool done = false;
  };
  std::vector<std::vector<Outcome>> outcomes(threads, std::vector<Outcome>(each));
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::latch start(threads + 1);

  // A puller follows the ssa cursor while groups commit. Were outbox ids ever committed out
  // of order, it would step past a row that became visible later, and miss it.
  std::vector<std::int64_t> pulled_ids;
  std::vector<std::string> pulled;
  // Set when writing is over: how many rows the puller must end up with. PostgreSQL may show a
  // committed row a moment later than it committed (while an older transaction of the cluster
  // is still running), so an empty page alone does not mean the end; a row skipped never shows,
  // and the deadline ends the wait.
  std::atomic<std::int64_t> expected{-1};
  std::thread puller([&] {
    try {
      start.arrive_and_wait();
      std::string cursor;
      const auto deadline = std::chrono::steady_clock::now() + 60s;
      for (;;) {
        bool last = !writing;  // read before the page: an empty page after the end means all seen
        auto page = store.list_for_agency("ssa", cursor, 7).value();
        for (const auto& item : page.items) {
          pulled_ids.push_back(item.outbox_id);
          pulled.push_back(item.reference);
        }
        if (page.items.empty() && last &&
            (static_cast<std::int64_t>(pulled.size()) >= expected || std::chrono::steady_clock::now() > deadline)) {
          break;
        }
        cursor = page.next_cursor;
        if (page.items.empty()) std::this_thread::yield();
      }
    } catch (const std::exception& e) {
      ++failures;
      BOOST_TEST_MESSAGE(e.what());
    }
  });
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        start.arrive_and_wait();
        for (int i = 0; i < each; ++i) {
          auto r = store.save_submission(request(t, i), t0);
          outcomes[t][i] = {r.status, r.submission ? r.submission->reference : "", r.receipt_secret, true};
        }
      } catch (const std::exception& e) {
        ++failures;
        BOOST_TEST_MESSAGE(e.what());
      }
    });
  }
  for (auto& th : pool) th.join();
  expected = store.submission_count();  // every submission has its ssa row
  writing = false;
  puller.join();
  BOOST_TEST_REQUIRE(failures == 0);

  std::set<std::string> stored;
  int plain = 0;
  for (int i = 0; i < each; ++i) {
    if (i % 5 >= 2) {
      for (int t = 0; t < threads; ++t) {
        BOOST_TEST(outcomes[t][i].status == SaveResult::Status::Stored);
        stored.insert(outcomes[t][i].reference);
        ++plain;
      }
      continue;
    }
    // A shared key: exactly one caller stored it; the others got its answer or a conflict.
    int winners = 0, winner = -1;
    for (int t = 0; t < threads; ++t) {
      BOOST_TEST_REQUIRE(outcomes[t][i].done);
      if (outcomes[t][i].status == SaveResult::Status::Stored) {
        ++winners;
        winner = t;
      }
    }
    BOOST_TEST_REQUIRE(winners == 1, "key " << i % 5 << "/" << i / 5 << ": " << winners << " stored");
    const auto& won = outcomes[winner][i];
    stored.insert(won.reference);
    BOOST_TEST(store.verify_receipt(won.reference, won.secret));
    int replayed = 0, conflicts = 0;
    for (int t = 0; t < threads; ++t) {
      if (t == winner) continue;
      const auto& o = outcomes[t][i];
      bool same_body = i % 5 == 0 || t % 2 == winner % 2;
      if (same_body) {
        BOOST_TEST(o.status == SaveResult::Status::Replayed);
        BOOST_TEST(o.reference == won.reference);
        BOOST_TEST(o.secret == won.secret);  // the same receipt link
        ++replayed;
      } else {
        BOOST_TEST(o.status == SaveResult::Status::KeyConflict);
        BOOST_TEST(o.reference.empty());
        BOOST_TEST(o.secret.empty());
        ++conflicts;
      }
    }
    BOOST_TEST(replayed + conflicts == threads - 1);
    if (i % 5 == 1) BOOST_TEST(conflicts == threads / 2);
  }
  BOOST_TEST(plain == threads * (each - 2 * keys));
  const auto total = static_cast<std::size_t>(plain + 2 * keys);
  BOOST_TEST(stored.size() == total);  // no two callers got the same new reference
  BOOST_TEST(store.submission_count() == static_cast<std::int64_t>(total));
  // Every stored submission has its outbox rows, and there are no others.
  BOOST_TEST(db.count("outbox") == 2 * static_cast<std::int64_t>(total));
  for (const auto& ref : stored) {
    auto s = store.find_submission(ref);
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->deliveries.size() == 2u);
  }
  // The puller saw every row exactly once, in increasing outbox id order.
  BOOST_TEST(std::is_sorted(pulled_ids.begin(), pulled_ids.end()));
  BOOST_TEST((std::adjacent_find(pulled_ids.begin(), pulled_ids.end()) == pulled_ids.end()));
  BOOST_TEST((std::set<std::string>(pulled.begin(), pulled.end()) == stored));
  BOOST_TEST(pulled.size() == total);
  BOOST_TEST(store.check_integrity().empty());

  auto stats = store.write_stats().value();
  BOOST_TEST_MESSAGE("group commit: " << stats.saves << " saves in " << stats.commits << " commits, largest group "
                                      << stats.largest_batch);
  BOOST_TEST(stats.saves == static_cast<std::uint64_t>(threads * each));
  BOOST_TEST(stats.commits < stats.saves);
  BOOST_TEST(stats.largest_batch > 1u);
  BOOST_TEST(stats.largest_batch <= 512u);
}

BOOST_DATA_TEST_CASE(a_failing_save_is_rolled_back_alone_in_its_group, both, backend) {
  TestDb db(backend, "groupfail");
  auto opened = db.open();
  Store& store = *opened;
  // Another connection holds the write lock: the first save leads a group that waits for it
  // (busy_timeout; in PostgreSQL, a lock), and the saves that come meanwhile queue up into the
  // next group.
  WriteBlocker blocker(db);
  std::string first_error = "not saved";
  std::thread first([&] {
    try {
      if (store.save_submission(sample(0), t0).status == SaveResult::Status::Stored) first_error.clear();
    } catch (const std::exception& e) {
      first_error = e.what();
    }
  });
  std::this_thread::sleep_for(200ms);

  auto keyed = [](int i, const std::string& body) {
    auto n = sample(i);
    n.idempotency = IdempotencyKey{"client", "k", request_fingerprint(body)};
    return n;
  };
  std::vector<NewSubmission> requests = {
      sample(1),
      sample(2, {"ssa", "ssa"}),  // UNIQUE (submission_id, agency, view_version): fails after its first rows
      keyed(3, "a"),
      sample(4, {"ssa", "usps", ""}),  // CHECK (agency <> '') on its third outbox row
      keyed(3, "a"),
      keyed(5, "b"),
      sample(6),
  };
  std::vector<std::optional<SaveResult>> results(requests.size());
  std::vector<std::string> errors(requests.size());
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    pool.emplace_back([&, i] {
      try {
        results[i] = store.save_submission(requests[i], t0);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  std::this_thread::sleep_for(1s);
  blocker.release();
  first.join();
  for (auto& th : pool) th.join();

  auto stats = store.write_stats().value();
  BOOST_TEST_MESSAGE("failing group: " << stats.saves << " saves in " << stats.commits << " commits");
  BOOST_TEST(stats.saves == requests.size() + 1);
  BOOST_TEST(stats.commits <= 2u);  // the first group, and all the others together
  BOOST_TEST(stats.largest_batch >= 4u);
  // The two bad saves failed, each alone; the rest of their group is stored.
  for (std::size_t i : {1u, 3u}) {
    BOOST_TEST(!results[i].has_value());
    BOOST_TEST(errors[i].rfind("database: ", 0) == 0u, errors[i]);
  }
  BOOST_TEST(first_error.empty(), first_error);
  for (std::size_t i : {0u, 2u, 4u, 5u, 6u}) BOOST_TEST_REQUIRE(results[i].has_value(), errors[i]);
  BOOST_TEST(results[0]->status == SaveResult::Status::Stored);
  BOOST_TEST(results[6]->status == SaveResult::Status::Stored);
  // One key, three callers: whichever came first is stored; the same body is replayed, the
  // other body conflicts, whatever the order in the group.
  std::map<SaveResult::Status, int> by_status;
  for (std::size_t i : {2u, 4u, 5u}) ++by_status[results[i]->status];
  BOOST_TEST(by_status[SaveResult::Status::Stored] == 1);
  if (results[5]->status == SaveResult::Status::Stored) {
    BOOST_TEST(by_status[SaveResult::Status::KeyConflict] == 2);
  } else {
    BOOST_TEST(by_status[SaveResult::Status::Replayed] == 1);
    BOOST_TEST(results[5]->status == SaveResult::Status::KeyConflict);
    BOOST_TEST(results[2]->submission->reference == results[4]->submission->reference);
  }
  BOOST_TEST(db.count("submissions") == 4);  // first, 1, the keyed one, 6
  BOOST_TEST(db.count("outbox") == 8);
  BOOST_TEST(store.check_integrity().empty());
}

BOOST_DATA_TEST_CASE(a_group_whose_transaction_dies_fails_every_save_in_it, both, backend) {
  TestDb db(backend, "groupdies");
  { db.open(); }
  if (backend == Backend::sqlite) {
    // RAISE(ROLLBACK) ends the whole transaction, as SQLite does after an I/O error or a full
    // disk: the group's savepoints are gone with it.
    db.sql("CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.agency = 'boom'"
           " BEGIN SELECT RAISE(ROLLBACK, 'boom'); END");
  } else {
    // A deferred constraint fails the COMMIT itself, as a lost connection does: every
    // statement of the group ran, and the transaction still cannot commit.
    db.sql("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
           " IF NEW.agency = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NULL; END $$");
    db.sql("CREATE CONSTRAINT TRIGGER boom AFTER INSERT ON outbox DEFERRABLE INITIALLY DEFERRED"
           " FOR EACH ROW EXECUTE FUNCTION boom()");
  }
  auto opened = db.open();
  Store& store = *opened;
  WriteBlocker blocker(db);
  std::string first_error = "not saved";
  std::thread first([&] {
    try {
      if (store.save_submission(sample(0), t0).status == SaveResult::Status::Stored) first_error.clear();
    } catch (const std::exception& e) {
      first_error = e.what();
    }
  });
  std::this_thread::sleep_for(200ms);
  std::vector<NewSubmission> requests = {sample(1), sample(2, {"ssa", "boom"}), sample(3)};
  std::vector<std::string> outcomes(requests.size());
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    pool.emplace_back([&, i] {
      try {
        outcomes[i] = "stored " + store.save_submission(requests[i], t0).submission->reference;
      } catch (const std::exception& e) {
        outcomes[i] = e.what();
      }
    });
  }
  std::this_thread::sleep_for(1s);
  blocker.release();
  first.join();
  for (auto& th : pool) th.join();
  BOOST_TEST(first_error.empty(), first_error);
  BOOST_TEST_REQUIRE(store.write_stats()->commits == 2u);  // the second group held all three
  // Nobody is told "stored" for rows that were rolled back: the whole group failed, with the
  // cause in the message.
  for (const auto& o : outcomes) BOOST_TEST(o.find("boom") != std::string::npos, o);
  BOOST_TEST(db.count("submissions") == 1);
  BOOST_TEST(db.count("outbox") == 2);
  // The store goes on.
  BOOST_TEST(store.save_submission(sample(4), t0).status == SaveResult::Status::Stored);
  BOOST_TEST(db.count("submissions") == 2);
  BOOST_TEST(store.check_integrity().empty());
}

// --- agencies ---

BOOST_DATA_TEST_CASE(agencies_see_only_their_own, both, backend) {
  TestDb db(backend, "isolation");
  auto opened = db.open();
  Store& store = *opened;
  auto both = store.save_submission(sample(1, {"ssa", "usps"}), t0).submission->reference;
  auto usps_only = store.save_submission(sample(2, {"usps"}), t0).submission->reference;
  auto ssa_only = store.save_submission(sample(3, {"ssa"}), t0).submission->reference;

  auto ssa = store.list_for_agency("ssa", "", 100).value();
  BOOST_TEST_REQUIRE(ssa.items.size() == 2u);
  BOOST_TEST(ssa.items[0].reference == both);
  BOOST_TEST(ssa.items[1].reference == ssa_only);
  for (const auto& i : ssa.items) {
    BOOST_TEST(i.agency == "ssa");
    BOOST_TEST(i.json.find(R"("agency":"ssa")") != std::string::npos);
  }
  auto usps = store.list_for_agency("usps", "", 100).value();
  BOOST_TEST(usps.items.size() == 2u);
  BOOST_TEST(store.list_for_agency("irs", "", 100)->items.empty());

  // B asking for A's row gets exactly what it gets for a row that does not exist.
  BOOST_TEST(!store.fetch_for_agency("ssa", usps_only).has_value());
  BOOST_TEST(!store.fetch_for_agency("usps", ssa_only).has_value());
  BOOST_TEST(!store.acknowledge("ssa", usps_only, t0));
  BOOST_TEST(store.fetch_for_agency("usps", usps_only)->json.find(R"("agency":"usps")") != std::string::npos);
  // One agency's ack leaves the other's delivery alone.
  BOOST_TEST(store.acknowledge("usps", both, t0));
  BOOST_TEST(store.acknowledge("usps", both, t0 + 1s));  // twice is fine
  auto s = store.find_submission(both).value();
  BOOST_TEST(s.deliveries[0].state == DeliveryState::Pending);  // ssa
  BOOST_TEST(s.deliveries[1].state == DeliveryState::Delivered);  // usps
  BOOST_TEST(ms(s.deliveries[1].delivered) == ms(t0));
  BOOST_TEST(store.fetch_for_agency("usps", both)->acknowledged);
  BOOST_TEST(!store.fetch_for_agency("ssa", both)->acknowledged);
}

BOOST_DATA_TEST_CASE(cursor_pages_are_stable_and_complete, both, backend) {
  TestDb db(backend, "cursor");
  auto opened = db.open();
  Store& store = *opened;
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    auto agencies = i % 3 == 0 ? std::vector<std::string>{"usps"} : std::vector<std::string>{"ssa", "usps"};
    auto r = store.save_submission(sample(i, agencies), t0);
    if (i % 3 != 0) expected.push_back(r.submission->reference);
  }
  std::vector<std::string> got;
  std::string cursor;
  std::vector<std::string> cursors;
  for (int pages = 0; pages < 100; ++pages) {
    auto page = store.list_for_agency("ssa", cursor, 4).value();
    BOOST_TEST(page.items.size() <= 4u);
    for (const auto& i : page.items) got.push_back(i.reference);
    if (page.items.empty()) {
      BOOST_TEST(page.next_cursor == cursor);  // nothing new: the same place
      break;
    }
    cursors.push_back(cursor);
    cursor = page.next_cursor;
  }
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  // A cursor keeps meaning the same place: page 2 again is page 2.
  auto again = store.list_for_agency("ssa", cursors[1], 4).value();
  BOOST_TEST(again.items.front().reference == expected[4]);
  // New rows appear after the last cursor, and only them.
  auto late = store.save_submission(sample(100, {"ssa"}), t0).submission->reference;
  auto next = store.list_for_agency("ssa", cursor, 4).value();
  BOOST_TEST_REQUIRE(next.items.size() == 1u);
  BOOST_TEST(next.items[0].reference == late);
  // A cursor we never issued is refused, not read as "from the start".
  BOOST_TEST(!store.list_for_agency("ssa", "garbage", 4).has_value());
  BOOST_TEST(!store.list_for_agency("ssa", "c!!", 4).has_value());
  // Well formed, but past the end: taken as given it would hide every view to come.
  BOOST_TEST(!store.list_for_agency("ssa", "czzzz", 4).has_value());
  // Another agency's cursor names none of this agency's views.
  const auto usps_first = store.list_for_agency("usps", "", 1).value();
  BOOST_TEST_REQUIRE(usps_first.items.size() == 1u);
  BOOST_TEST(!store.list_for_agency("ssa", usps_first.next_cursor, 4).has_value());
  BOOST_TEST(store.list_for_agency("usps", usps_first.next_cursor, 4).has_value());
}

// --- the outbox ---

BOOST_DATA_TEST_CASE(outbox_leases_retries_and_dead_letters, both, backend) {
  TestDb db(backend, "outbox");
  auto opened = db.open();
  Store& store = *opened;
  auto ref = store.save_submission(sample(1, {"ssa", "usps"}), t0).submission->reference;

  // Nothing is due before it was stored.
  BOOST_TEST(store.claim_deliveries({"w1", t0 - 1s, 30s, 10, std::nullopt}).empty());
  auto claimed = store.claim_deliveries({"w1", t0, 30s, 10, std::string("ssa")});
  BOOST_TEST_REQUIRE(claimed.size() == 1u);
  BOOST_TEST(claimed[0].agency == "ssa");
  BOOST_TEST(claimed[0].reference == ref);
  BOOST_TEST(claimed[0].form_id == "change_of_address");
  auto id = claimed[0].outbox_id;
  // Leased: another worker does not get it while the lease holds.
  auto other = store.claim_deliveries({"w2", t0 + 10s, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(other.size() == 1u);
  BOOST_TEST(other[0].agency == "usps");
  BOOST_TEST(store.mark_delivered(other[0].outbox_id, "w2", t0 + 11s));
  // After the lease runs out, w2 takes it over, and w1 can no longer mark it.
  auto taken = store.claim_deliveries({"w2", t0 + 31s, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(taken.size() == 1u);
  BOOST_TEST(taken[0].outbox_id == id);
  BOOST_TEST(!store.mark_delivered(id, "w1", t0 + 32s));

  // A failure: attempts + 1, due again at the time given, and not before.
  auto retry_at = t0 + 32s + backoff_delay(0, 0.5);
  BOOST_TEST(store.mark_failed(id, "w2", "HTTP 503", retry_at));
  auto s = store.find_submission(ref).value();
  BOOST_TEST(s.deliveries[0].attempts == 1);
  BOOST_TEST(s.deliveries[0].last_error == "HTTP 503");
  BOOST_TEST(ms(s.deliveries[0].next_attempt) == ms(retry_at));
  BOOST_TEST(store.claim_deliveries({"w2", retry_at - 1ms, 30s, 10, std::nullopt}).empty());
  BOOST_TEST(store.claim_deliveries({"w2", retry_at, 30s, 10, std::nullopt}).size() == 1u);
  BOOST_TEST(!store.mark_failed(id, "w1", "not mine", std::nullopt));  // w1 holds no lease
  // The last attempt: dead-lettered.
  BOOST_TEST(store.mark_failed(id, "w2", "HTTP 500", std::nullopt));
  s = store.find_submission(ref).value();
  BOOST_TEST(s.deliveries[0].state == DeliveryState::Dead);
  BOOST_TEST(s.deliveries[0].attempts == 2);
  BOOST_TEST(store.claim_deliveries({"w2", t0 + 1000h, 30s, 10, std::nullopt}).empty());
  auto dead = store.dead_letters(0, 10);
  BOOST_TEST_REQUIRE(dead.size() == 1u);
  BOOST_TEST(dead[0].id == id);
  BOOST_TEST(dead[0].agency == "ssa");
  BOOST_TEST(dead[0].last_error == "HTTP 500");
  BOOST_TEST(store.dead_letters(id, 10).empty());

  // Re-driven: pending again, attempts reset, due now.
  BOOST_TEST(!store.redrive(other[0].outbox_id, t0 + 2h));  // delivered rows are not dead
  BOOST_TEST(store.redrive(id, t0 + 2h));
  BOOST_TEST(store.dead_letters(0, 10).empty());
  auto back = store.claim_deliveries({"w3", t0 + 2h, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(back.size() == 1u);
  BOOST_TEST(back[0].attempts == 0);
  BOOST_TEST(store.mark_delivered(id, "w3", t0 + 2h + 1s));
  s = store.find_submission(ref).value();
  BOOST_TEST(s.deliveries[0].state == DeliveryState::Delivered);
  BOOST_TEST(s.deliveries[1].state == DeliveryState::Delivered);
  BOOST_TEST(store.claim_deliveries({"w3", t0 + 1000h, 30s, 10, std::nullopt}).empty());
}

BOOST_DATA_TEST_CASE(claims_respect_their_limit_and_due_order, both, backend) {
  TestDb db(backend, "claimlimit");
  auto opened = db.open();
  Store& store = *opened;
  for (int i = 0; i < 5; ++i) store.save_submission(sample(i, {"ssa"}), t0 + std::chrono::seconds(5 - i));
  auto first = store.claim_deliveries({"w", t0 + 1h, 30s, 2, std::nullopt});
  BOOST_TEST_REQUIRE(first.size() == 2u);
  BOOST_TEST(first[0].json.find(R"("n":4)") != std::string::npos);  // due earliest
  BOOST_TEST(first[1].json.find(R"("n":3)") != std::string::npos);
  BOOST_TEST(store.claim_deliveries({"w", t0 + 1h, 30s, 10, std::nullopt}).size() == 3u);
}

BOOST_AUTO_TEST_CASE(backoff_grows_with_jitter_cap_and_retry_after) {
  BOOST_TEST(backoff_delay(0, 0.0).count() == 0);
  BOOST_TEST(backoff_delay(0, 0.999).count() < 5000);
  BOOST_TEST(backoff_delay(3, 0.999).count() > 39'000);  // up to 5 s * 2^3
  BOOST_TEST(backoff_delay(3, 0.999).count() < 40'000);
  BOOST_TEST(backoff_delay(60, 0.999).count() <= std::chrono::milliseconds(6h).count());
  BOOST_TEST(backoff_delay(60, 0.999).count() > std::chrono::milliseconds(5h).count());
  BOOST_TEST(backoff_delay(0, 0.1, 5s, 6h, std::chrono::milliseconds(120s)).count() == 120'000);
}

// --- drafts ---

NewDraft draft_of(const FlatAnswers& answers) {
  NewDraft d;
  d.form_id = "change_of_address";
  d.version = 1;
  d.definition_hash = "sha256:def";
  d.language = "en";
  d.channel = "web";
  d.answers = answers;
  return d;
}

const FlatAnswers some_answers = {{"person.name.first", "Ana"},
                                  {"person.ssn", "078-05-1120"},
                                  {"note", std::string("a\0b:\n\"=;", 9)},  // bytes of every kind come back
                                  {"household[0].full_name", "Luis"},
                                  {"empty", ""}};

BOOST_DATA_TEST_CASE(drafts_are_kept_sealed_and_come_back_as_they_were_given, both, backend) {
  TestDb db(backend, "drafts");
  auto opened = db.open();
  Store& store = *opened;
  const Draft made = store.create_draft(draft_of(some_answers), t0);
  BOOST_TEST(made.id.size() == 32u);
  BOOST_TEST(made.id != store.create_draft(draft_of({}), t0).id);
  const auto found = store.find_draft(made.id, t0 + 1min);
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->answers == some_answers);
  BOOST_TEST(found->form_id == "change_of_address");
  BOOST_TEST(found->version == 1);
  BOOST_TEST(found->definition_hash == "sha256:def");
  BOOST_TEST(found->language == "en");
  BOOST_TEST(found->channel == "web");
  BOOST_TEST(ms(found->created) == ms(t0));

  // The database alone yields neither the SSN nor the id the browser holds.
  const std::string bytes = db.everything();
  BOOST_TEST(bytes.find("078-05-1120") == std::string::npos);
  BOOST_TEST(bytes.find("person.ssn") == std::string::npos);
  BOOST_TEST(bytes.find(made.id) == std::string::npos);

  const FlatAnswers changed = {{"person.name.first", "Ana María"}};
  BOOST_TEST(store.update_draft(made.id, changed, "es", t0 + 2min));
  const auto after = store.find_draft(made.id, t0 + 3min);
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(after->answers == changed);
  BOOST_TEST(after->language == "es");
  BOOST_TEST(ms(after->updated) == ms(t0 + 2min));

  // Ids it never issued: not found, never an error.
  for (const std::string& other : {std::string(), std::string("x"), std::string(32, 'A'), made.id + "A",
                                   std::string("' OR 1=1 --") + std::string(21, 'a')}) {
    BOOST_TEST(!store.find_draft(other, t0).has_value());
    BOOST_TEST(!store.update_draft(other, changed, "en", t0));
    BOOST_TEST(!store.delete_draft(other));
  }

  BOOST_TEST(store.delete_draft(made.id));
  BOOST_TEST(!store.find_draft(made.id, t0 + 4min).has_value());
  BOOST_TEST(!store.update_draft(made.id, changed, "en", t0 + 4min));
  BOOST_TEST(!store.delete_draft(made.id));
  // Two started, whatever became of them.
  const auto started = store.started_counts();
  BOOST_TEST_REQUIRE(started.size() == 1u);
  BOOST_TEST(started[0].form_id == "change_of_address");
  BOOST_TEST(started[0].channel == "web");
  BOOST_TEST(started[0].count == 2);
}

BOOST_DATA_TEST_CASE(a_draft_expires_a_lifetime_after_its_last_change_and_the_sweep_deletes_it, both, backend) {
  TestDb db(backend, "draftexpiry");
  DraftOptions hour{askonce::test::test_keys(), std::chrono::hours(1)};
  auto opened = db.open(hour);
  Store& store = *opened;
  const Draft kept = store.create_draft(draft_of(some_answers), t0);
  const Draft left = store.create_draft(draft_of(some_answers), t0);
  BOOST_TEST(store.update_draft(kept.id, some_answers, "en", t0 + 50min));  // a change restarts the clock
  BOOST_TEST(store.find_draft(left.id, t0 + 59min).has_value());
  BOOST_TEST(!store.find_draft(left.id, t0 + 60min).has_value());  // expired: not found, row or no row
  BOOST_TEST(!store.update_draft(left.id, some_answers, "en", t0 + 61min));  // and not revived
  BOOST_TEST(store.find_draft(kept.id, t0 + 100min).has_value());

  const SweepResult swept = store.sweep(RetentionPolicy{}, t0 + 61min, 1);  // batches of one row
  BOOST_TEST(swept.ran);
  BOOST_TEST(swept.drafts == 1);
  BOOST_TEST(db.count("drafts") == 1);  // the row is gone, not only hidden
  BOOST_TEST(store.find_draft(kept.id, t0 + 100min).has_value());
  BOOST_TEST(store.sweep(RetentionPolicy{}, t0 + 200min).drafts == 1);
  BOOST_TEST(db.count("drafts") == 0);
  BOOST_TEST(store.started_counts().at(0).count == 2);  // the started events outlive the drafts
}

BOOST_DATA_TEST_CASE(submitting_a_draft_consumes_it_once_whatever_the_browser_does, both, backend) {
  TestDb db(backend, "draftsubmit");
  auto opened = db.open();
  Store& store = *opened;
  const Draft d = store.create_draft(draft_of(some_answers), t0);
  const auto submission_of = [&](const std::string& fingerprint) {
    NewSubmission n = sample(1);
    n.idempotency = IdempotencyKey{"draft/change_of_address", d.id, fingerprint};
    n.consumes_draft = d.id;
    return n;
  };
  const NewSubmission first = submission_of("sha256:answers");
  const SaveResult stored = store.save_submission(first, t0);
  BOOST_TEST_REQUIRE(stored.status == SaveResult::Status::Stored);
  BOOST_TEST(!store.find_draft(d.id, t0).has_value());
  BOOST_TEST(db.count("drafts") == 0);

  // Back, then Submit again: the same draft id, whatever answers the page had.
  BOOST_TEST(store.save_submission(first, t0 + 1s).status == SaveResult::Status::Replayed);
  BOOST_TEST(store.save_submission(submission_of("sha256:other"), t0 + 1s).status == SaveResult::Status::KeyConflict);
  const auto again = store.replay("draft/change_of_address", d.id);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->status == SaveResult::Status::Replayed);
  BOOST_TEST(again->submission->reference == stored.submission->reference);
  BOOST_TEST(again->receipt_secret == stored.receipt_secret);
  BOOST_TEST(store.verify_receipt(stored.submission->reference, again->receipt_secret));
  BOOST_TEST(!store.replay("draft/change_of_address", "never-used").has_value());
  BOOST_TEST(!store.replay("draft/benefits", d.id).has_value());  // the scope is part of the key
  BOOST_TEST(db.count("submissions") == 1);

  // Two tabs and a double click at once: eight saves of one fresh draft, one application.
  const Draft d2 = store.create_draft(draft_of(some_answers), t0);
  std::vector<std::thread> threads;
  std::atomic<int> stored_now{0}, replayed{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      NewSubmission n = sample(2);
      n.idempotency = IdempotencyKey{"draft/change_of_address", d2.id, "sha256:answers"};
      n.consumes_draft = d2.id;
      auto r = store.save_submission(n, t0);
      (r.status == SaveResult::Status::Stored ? stored_now : replayed)++;
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(stored_now == 1);
  BOOST_TEST(replayed == 7);
  BOOST_TEST(db.count("submissions") == 2);
  BOOST_TEST(db.count("drafts") == 0);
}

BOOST_DATA_TEST_CASE(drafts_open_only_with_their_keys_and_in_their_own_row, both, backend) {
  TestDb db(backend, "draftkeys");
  const std::string old_ring = Keyring::generate("old");
  DraftOptions old_keys{std::make_shared<const Keyring>(Keyring::parse(old_ring, "old")), std::chrono::hours(24)};
  std::string a_id, b_id;
  {
    auto store = db.open(old_keys);
    a_id = store->create_draft(draft_of({{"person.ssn", "078-05-1120"}}), t0).id;
    b_id = store->create_draft(draft_of({{"person.ssn", "219-09-9999"}}), t0).id;
  }
  // Rotated: a new key first, the old one kept to open what it sealed.
  DraftOptions rotated{std::make_shared<const Keyring>(Keyring::parse(Keyring::generate("new") + old_ring, "rotated")),
                       std::chrono::hours(24)};
  {
    auto store = db.open(rotated);
    BOOST_TEST(store->find_draft(a_id, t0 + 1min)->answers.at(0).second == "078-05-1120");
    BOOST_TEST(store->update_draft(a_id, {{"person.ssn", "078-05-1121"}}, "en", t0 + 1min));  // sealed anew, with "new"
  }
  // Without the old key, what it sealed does not open, and the store says which key is missing.
  DraftOptions only_new{std::make_shared<const Keyring>(Keyring::parse(Keyring::generate("new"), "other")),
                        std::chrono::hours(24)};
  {
    auto store = db.open(only_new);
    try {
      store->find_draft(b_id, t0 + 2min);
      BOOST_FAIL("opened a draft without its key");
    } catch (const StoreError& e) {
      BOOST_TEST(std::string(e.what()).find("key 'old'") != std::string::npos, e.what());
    }
  }
  // One row's sealed answers copied into another's do not open there.
  db.sql("UPDATE drafts SET answers = (SELECT answers FROM drafts d WHERE d.id_hash = '" +
         sha256_hex(a_id) + "') WHERE id_hash = '" + sha256_hex(b_id) + "'");
  {
    auto store = db.open(rotated);
    BOOST_CHECK_THROW(store->find_draft(b_id, t0 + 3min), StoreError);
    BOOST_TEST(store->find_draft(a_id, t0 + 3min)->answers.at(0).second == "078-05-1121");
  }
  // A store opened without keys (the CLI's) refuses drafts with a clear error.
  DraftOptions none{nullptr, std::chrono::hours(24)};
  auto store = db.open(none);
  BOOST_CHECK_THROW(store->create_draft(draft_of({}), t0), StoreError);
  BOOST_CHECK_THROW(store->find_draft(a_id, t0), StoreError);
}

BOOST_DATA_TEST_CASE(concurrent_draft_writes_share_commits_and_each_keeps_its_outcome, both, backend) {
  TestDb db(backend, "draftgroups");
  { db.open(); }
  // A database rule that refuses one update (language "boom"): the statement fails, as a
  // constraint would, and only that caller may be told so.
  if (backend == Backend::sqlite) {
    db.sql("CREATE TRIGGER boom BEFORE UPDATE ON drafts WHEN NEW.language = 'boom'"
           " BEGIN SELECT RAISE(ABORT, 'boom'); END");
  } else {
    db.sql("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
           " IF NEW.language = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$");
    db.sql("CREATE TRIGGER boom BEFORE UPDATE ON drafts FOR EACH ROW EXECUTE FUNCTION boom()");
  }
  auto opened = db.open();
  Store& store = *opened;

  // Many citizens start at once: every draft is made, with its "started" event.
  constexpr int citizens = 48;
  std::vector<Draft> drafts(citizens);
  {
    std::vector<std::thread> pool;
    for (int i = 0; i < citizens; ++i) {
      pool.emplace_back([&, i] { drafts[i] = store.create_draft(draft_of({{"n", std::to_string(i)}}), t0); });
    }
    for (auto& th : pool) th.join();
  }
  BOOST_TEST(db.count("drafts") == citizens);
  BOOST_TEST(store.started_counts().at(0).count == citizens);
  const Draft gone = store.create_draft(draft_of({}), t0);
  BOOST_TEST(store.delete_draft(gone.id));
  const auto before = store.draft_write_stats().value();

  // Another connection holds the drafts' write lock: the first update leads a group that waits
  // for it, and everything that comes meanwhile queues into the next group.
  std::unique_ptr<Poco::Data::Session> sqlite_lock;
  std::unique_ptr<pg::Connection> pg_lock;
  if (backend == Backend::sqlite) {
    sqlite_lock = std::make_unique<Poco::Data::Session>("SQLite", db.file().string());
    *sqlite_lock << "BEGIN IMMEDIATE", now;
  } else {
    pg_lock = std::make_unique<pg::Connection>(db.conninfo());
    pg_lock->exec("BEGIN");
    pg_lock->exec("LOCK TABLE drafts IN SHARE ROW EXCLUSIVE MODE");
  }
  std::atomic<bool> first_done{false};
  std::thread first([&] { first_done = store.update_draft(drafts[0].id, {{"n", "0 changed"}}, "en", t0 + 1min); });
  std::this_thread::sleep_for(200ms);
  // Everyone presses Continue; one update is refused by the rule, one names a deleted draft.
  std::vector<int> outcomes(citizens, -1);  // 1 stored, 0 false, 2 an error
  std::vector<std::string> errors(citizens);
  std::vector<std::thread> pool;
  for (int i = 1; i < citizens; ++i) {
    pool.emplace_back([&, i] {
      try {
        const std::string& id = i == 7 ? gone.id : drafts[i].id;
        outcomes[i] = store.update_draft(id, {{"n", std::to_string(i) + " changed"}}, i == 5 ? "boom" : "es",
                                         t0 + 1min) ? 1 : 0;
      } catch (const StoreError& e) {
        outcomes[i] = 2;
        errors[i] = e.what();
      }
    });
  }
  pool.emplace_back([&] { BOOST_TEST(store.delete_draft(drafts[9].id)); });
  std::this_thread::sleep_for(1s);
  if (sqlite_lock) *sqlite_lock << "COMMIT", now;
  if (pg_lock) pg_lock->exec("COMMIT");
  first.join();
  for (auto& th : pool) th.join();

  const auto after = store.draft_write_stats().value();
  BOOST_TEST_MESSAGE("draft groups: " << after.saves - before.saves << " writes in " << after.commits - before.commits
                                      << " commits");
  BOOST_TEST(after.saves - before.saves == static_cast<std::uint64_t>(citizens + 1));
  BOOST_TEST(after.commits - before.commits <= 2u);  // the first group, and all the others together
  BOOST_TEST(after.largest_batch >= 40u);
  BOOST_TEST(first_done.load());
  BOOST_TEST(outcomes[7] == 0);  // the deleted draft: false, not revived
  BOOST_TEST(outcomes[5] == 2);
  BOOST_TEST(errors[5].find("boom") != std::string::npos, errors[5]);
  // Every other update is stored, durably and each in its own row.
  auto reopened = db.open();
  for (int i = 0; i < citizens; ++i) {
    const auto found = reopened->find_draft(drafts[i].id, t0 + 2min);
    if (i == 9) {
      BOOST_TEST(!found.has_value());
      continue;
    }
    BOOST_TEST_REQUIRE(found.has_value(), i);
    if (i == 5 || i == 7) {
      // The refused update changed nothing; the one for the deleted draft was not this one's.
      BOOST_TEST(found->answers == (FlatAnswers{{"n", std::to_string(i)}}), i);
      continue;
    }
    if (i != 0) BOOST_TEST(outcomes[i] == 1, i);
    BOOST_TEST(found->answers == (FlatAnswers{{"n", std::to_string(i) + " changed"}}), i);
    BOOST_TEST(found->language == (i == 0 ? "en" : "es"));
    BOOST_TEST(ms(found->updated) == ms(t0 + 1min));
  }
  BOOST_TEST(!reopened->find_draft(gone.id, t0 + 2min).has_value());
  BOOST_TEST(db.count("drafts") == citizens - 1);
}

BOOST_DATA_TEST_CASE(a_resume_code_brings_a_draft_back_under_a_new_id, both, backend) {
  TestDb db(backend, "resume");
  auto opened = db.open();
  Store& store = *opened;
  const Draft d = store.create_draft(draft_of(some_answers), t0);
  const auto code = store.new_resume_code(d.id, t0 + 1min);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(std::regex_match(*code, std::regex("[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}")), *code);
  BOOST_TEST(db.everything().find(*code) == std::string::npos);  // only its hash is kept

  // Read back as people write it down: lower case, spaces, O for 0, I for 1.
  std::string spoken;
  for (char c : *code) spoken += c == '-' ? ' ' : static_cast<char>(std::tolower(c == '0' ? 'O' : c == '1' ? 'I' : c));
  const auto peeked = store.peek_resume(spoken, t0 + 2min);
  BOOST_TEST_REQUIRE(peeked.has_value());
  BOOST_TEST(peeked->id.empty());  // the pages check what only the citizen knows first
  BOOST_TEST(peeked->answers == some_answers);
  std::string typo = *code;
  typo[0] = typo[0] == 'A' ? 'B' : 'A';  // the check symbol catches a mistyped code
  BOOST_TEST(!store.peek_resume(typo, t0).has_value());
  BOOST_TEST(!store.peek_resume("", t0).has_value());
  BOOST_TEST(!store.resume_draft("not a code", t0).has_value());

  const auto back = store.resume_draft(*code, t0 + 3min);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->id.size() == 32u);
  BOOST_TEST(back->id != d.id);
  BOOST_TEST(back->answers == some_answers);
  BOOST_TEST(!store.find_draft(d.id, t0 + 4min).has_value());  // the old browser's id is dead
  BOOST_TEST(store.find_draft(back->id, t0 + 4min)->answers == some_answers);
  BOOST_TEST(store.peek_resume(*code, t0 + 5min).has_value());  // the written-down code still works

  // A new code replaces the old one; an unknown draft gets none.
  const auto second = store.new_resume_code(back->id, t0 + 6min);
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(*second != *code);
  BOOST_TEST(!store.peek_resume(*code, t0 + 6min).has_value());
  BOOST_TEST(!store.new_resume_code(d.id, t0 + 6min).has_value());
  // Submitted or expired: the code names nothing.
  NewSubmission n = sample(1);
  n.consumes_draft = back->id;
  store.save_submission(n, t0 + 7min);
  BOOST_TEST(!store.peek_resume(*second, t0 + 7min).has_value());
  const Draft old = store.create_draft(draft_of(some_answers), t0);
  const auto old_code = store.new_resume_code(old.id, t0).value();
  BOOST_TEST(!store.peek_resume(old_code, t0 + std::chrono::hours(24 * 31)).has_value());
  BOOST_TEST(!store.resume_draft(old_code, t0 + std::chrono::hours(24 * 31)).has_value());
}

BOOST_DATA_TEST_CASE(attempts_are_counted_across_processes_in_windows, both, backend) {
  TestDb db(backend, "attempts");
  auto a = db.open(), b = db.open();  // two nodes
  BOOST_TEST(a->record_attempt("resume:x", t0, 1h) == 1);
  BOOST_TEST(b->record_attempt("resume:x", t0 + 1min, 1h) == 2);
  BOOST_TEST(a->record_attempt("resume:y", t0 + 1min, 1h) == 1);  // keys apart
  BOOST_TEST(b->record_attempt("resume:x", t0 + 59min, 1h) == 3);
  BOOST_TEST(a->record_attempt("resume:x", t0 + 60min, 1h) == 1);  // the window ran out: a new one
  a->clear_attempts("resume:x");
  BOOST_TEST(b->record_attempt("resume:x", t0 + 61min, 1h) == 1);

  // Many at once from both nodes: every attempt counted once.
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& s = i % 2 ? *a : *b;
      for (int k = 0; k < 10; ++k) s.record_attempt("resume:busy", t0, 1h);
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(a->record_attempt("resume:busy", t0, 1h) == 81);
  // Windows past their end are swept away.
  a->sweep(RetentionPolicy{}, t0 + 3h);
  BOOST_TEST(db.count("attempts") == 0);
}

BOOST_AUTO_TEST_CASE(keyrings_say_what_is_wrong_with_them) {
  const auto message = [](const std::string& text) {
    try {
      Keyring::parse(text, "keys.txt");
    } catch (const StoreError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  BOOST_TEST(message("") == "keys: keys.txt holds no key");
  BOOST_TEST(message("# only a comment\n\n") == "keys: keys.txt holds no key");
  BOOST_TEST(message("k1 AAAA") == "keys: keys.txt, line 1: expected ID:KEY (a name, a colon, 32 bytes in base64)");
  BOOST_TEST(message("\nk 1:AAAA") == "keys: keys.txt, line 2: a key's id is 1 to 32 letters, digits, '-' or '_'");
  BOOST_TEST(message("k1:AAAA") ==
             "keys: keys.txt, line 1: the key after 'k1:' must be 32 bytes in base64 (44 characters)");
  const std::string good = "k1:" + std::string(43, 'A') + "=";
  BOOST_TEST(message(good) == "(accepted)");
  BOOST_TEST(message(good + "\n" + good) == "keys: keys.txt, line 2: the id 'k1' is used twice");
  // The message never repeats a key.
  BOOST_TEST(message("k1:" + std::string(40, 'B')).find("BBBB") == std::string::npos);

  const auto ring = Keyring::parse(Keyring::generate("k9"), "generated");
  BOOST_TEST(ring.current_id() == "k9");
  const std::string sealed = ring.seal("078-05-1120", "row 1");
  BOOST_TEST(sealed.starts_with("k9:"));
  BOOST_TEST(sealed.find("078") == std::string::npos);
  BOOST_TEST(ring.seal("078-05-1120", "row 1") != sealed);  // a fresh nonce each time
  BOOST_TEST(ring.open(sealed, "row 1").value() == "078-05-1120");
  BOOST_TEST(!ring.open(sealed, "row 2").has_value());
  std::string flipped = sealed;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  BOOST_TEST(!ring.open(flipped, "row 1").has_value());
  BOOST_TEST(ring.open(ring.seal("", "r"), "r").value().empty());

  // A key file must be its owner's alone; one is made that way, and never overwritten.
  const auto dir = fresh_dir("store", "keyfile");
  const auto file = dir / "askonce.db.keys";
  BOOST_TEST(Keyring::create_file(file));
  BOOST_TEST(((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));
  const auto first = Keyring::from_file(file).seal("x", "y");
  BOOST_TEST(!Keyring::create_file(file));
  BOOST_TEST(Keyring::from_file(file).open(first, "y").value() == "x");
  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  try {
    Keyring::from_file(file);
    BOOST_FAIL("read a key file others can read");
  } catch (const StoreError& e) {
    BOOST_TEST(std::string(e.what()).find("chmod 600") != std::string::npos, e.what());
  }
}

BOOST_DATA_TEST_CASE(retention_deletes_only_the_front_of_each_list_and_cursors_go_on, both, backend) {
  TestDb db(backend, "retention");
  auto store = db.open();
  std::vector<std::string> refs;
  for (int i = 0; i < 10; ++i) refs.push_back(store->save_submission(sample(i), t0 + std::chrono::minutes(i)).submission->reference);
  // ssa by webhook: delivered, except 5 (dead) and 6 (still pending: the agency has not got it).
  auto claimed = store->claim_deliveries({"w", t0 + 1h, 60s, 10, std::string("ssa")});
  BOOST_REQUIRE_EQUAL(claimed.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    const auto id = claimed[static_cast<std::size_t>(i)].outbox_id;
    if (i == 5) BOOST_TEST(store->mark_failed(id, "w", "HTTP 410", std::nullopt));
    else if (i == 6) BOOST_TEST(store->release_delivery(id, "w"));
    else BOOST_TEST(store->mark_delivered(id, "w", t0 + 1h));
  }
  // usps pulls: it has paged past 0..2, and acknowledged 0..4.
  const auto page = store->list_for_agency("usps", "", 3);
  BOOST_REQUIRE(page);
  const std::string usps_cursor = page->next_cursor;
  for (int i = 0; i < 5; ++i) BOOST_TEST(store->acknowledge("usps", refs[static_cast<std::size_t>(i)], t0 + 1h));

  RetentionPolicy policy;
  policy.delivered_views = 24h;
  policy.dead_letters = 48h;
  policy.submissions = 72h;
  // Nothing is old enough yet.
  auto early = store->sweep(policy, t0 + 2h, 3);
  BOOST_TEST((early.ran && early.views == 0 && early.dead_letters == 0 && early.submissions == 0));

  // Three days on: ssa's list goes up to its pending view (0..5: the dead one too, past its two
  // days), and not beyond, though 7..9 are delivered; usps's up to its first view not
  // acknowledged. Submissions go once none of their views is left: 0..4. Batches of 3 rows.
  auto swept = store->sweep(policy, t0 + 73h, 3);
  BOOST_TEST(swept.ran);
  BOOST_TEST(swept.views == 5 + 5);
  BOOST_TEST(swept.dead_letters == 1);
  BOOST_TEST(swept.submissions == 5);
  BOOST_TEST(db.count("outbox") == 20 - 11);
  BOOST_TEST(db.count("submissions") == 5);
  for (int i = 0; i < 5; ++i) BOOST_TEST(!store->find_submission(refs[static_cast<std::size_t>(i)]).has_value(), i);
  BOOST_TEST(store->find_submission(refs[5]).has_value());  // usps has not got it
  BOOST_TEST(store->fetch_for_agency("ssa", refs[7]).has_value());  // behind ssa's pending view: kept
  BOOST_TEST(store->dead_letters(0, 10).empty());
  // Deleted means gone: no trace of a deleted submission's answers anywhere in the database.
  BOOST_TEST(db.everything().find(R"("n":3})") == std::string::npos);

  // usps's cursor named a view that is gone: it goes on at the first view left, skipping none.
  const auto after = store->list_for_agency("usps", usps_cursor, 100);
  BOOST_REQUIRE(after);
  std::vector<std::string> listed;
  for (const auto& item : after->items) listed.push_back(item.reference);
  const std::vector<std::string> expected(refs.begin() + 5, refs.end());
  BOOST_TEST(listed == expected, boost::test_tools::per_element());
  BOOST_TEST(!store->list_for_agency("usps", "c" + std::string(9, 'Z'), 10).has_value());  // never issued: still refused

  // Sweeping again takes nothing more; once ssa's pending view is delivered, the rest of its list goes.
  auto again = store->sweep(policy, t0 + 73h, 3);
  BOOST_TEST((again.views == 0 && again.dead_letters == 0 && again.submissions == 0));
  auto six = store->claim_deliveries({"w", t0 + 74h, 60s, 10, std::string("ssa")});
  BOOST_REQUIRE_EQUAL(six.size(), 1u);
  BOOST_TEST(store->mark_delivered(six[0].outbox_id, "w", t0 + 74h));
  auto later = store->sweep(policy, t0 + 99h, 1000);
  BOOST_TEST(later.views == 4);
  BOOST_TEST(db.count("outbox WHERE agency = 'ssa'") == 0);

  // A policy that keeps a kind for ever keeps it.
  RetentionPolicy keep;
  for (int i = 10; i < 12; ++i) store->save_submission(sample(i, {"irs"}), t0 + 100h);
  auto irs = store->claim_deliveries({"w", t0 + 100h, 60s, 10, std::string("irs")});
  for (const auto& item : irs) store->mark_delivered(item.outbox_id, "w", t0 + 100h);
  const auto kept = store->sweep(keep, t0 + 10000h, 1000);
  BOOST_TEST((kept.views == 0 && kept.dead_letters == 0 && kept.submissions == 0));

  if (backend == Backend::postgres) {
    // One sweeper at a time across nodes: while another session holds the sweep's lock, a
    // sweep does nothing and says so.
    db.sql("SELECT pg_advisory_lock(" + std::to_string(0x7377656570) + ")");
    const auto busy = db.open()->sweep(policy, t0 + 10000h, 1000);
    BOOST_TEST(!busy.ran);
    BOOST_TEST(db.count("outbox WHERE agency = 'irs'") == 2);
    db.sql("SELECT pg_advisory_unlock(" + std::to_string(0x7377656570) + ")");
  }
  BOOST_TEST(store->sweep(policy, t0 + 10000h, 1000).views == 2);
}

// --- the mail outbox ---

// A receipt mail for whatever reference the store gives, with a link token hashed.
NewSubmission with_receipt_mail(int i, const std::string& token, const std::string& recipient = "ana@example.org") {
  NewSubmission n = sample(i);
  n.mails = [token, recipient](const std::string& reference) {
    NewMail m;
    m.kind = "receipt";
    m.language = "es";
    m.recipient = recipient;
    m.subject = "Su solicitud";
    m.text = "Referencia " + reference + " /r/" + token;
    m.html = "<p>Referencia " + reference + "</p>";
    m.link = NewMailLink{sha256_hex(token), t0 + 7 * 24h};
    return std::vector<NewMail>{m};
  };
  n.contact_hash = "contact-hash-of-ana";
  return n;
}

BOOST_DATA_TEST_CASE(a_receipt_mail_is_written_with_its_submission, both, backend) {
  TestDb db(backend, "mail_with_submission");
  auto opened = db.open();
  Store& store = *opened;
  auto saved = store.save_submission(with_receipt_mail(1, "tok-1"), t0);
  BOOST_TEST_REQUIRE(saved.status == SaveResult::Status::Stored);
  const std::string ref = saved.submission->reference;
  BOOST_TEST(db.count("mail") == 1);
  BOOST_TEST(db.count("mail_links") == 1);
  BOOST_TEST(db.count("receipt_contacts") == 1);
  auto claimed = store.claim_mail({"w1", t0, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(claimed.size() == 1u);
  BOOST_TEST(claimed[0].kind == "receipt");
  BOOST_TEST(claimed[0].language == "es");
  BOOST_TEST(claimed[0].recipient == "ana@example.org");
  BOOST_TEST(claimed[0].text == "Referencia " + ref + " /r/tok-1");  // made with the stored reference
  BOOST_TEST(claimed[0].html == "<p>Referencia " + ref + "</p>");
  BOOST_TEST(claimed[0].attempts == 0);

  // A replay of a keyed save writes no second mail.
  NewSubmission keyed = with_receipt_mail(2, "tok-2");
  keyed.idempotency = IdempotencyKey{"web/coa", "k1", request_fingerprint("body")};
  BOOST_TEST(store.save_submission(keyed, t0).status == SaveResult::Status::Stored);
  BOOST_TEST(store.save_submission(keyed, t0 + 1s).status == SaveResult::Status::Replayed);
  BOOST_TEST(db.count("mail") == 2);
  // Without mails, nothing is queued.
  const auto plain = store.save_submission(sample(3), t0);
  BOOST_TEST(db.count("mail") == 2);
  BOOST_TEST(db.count("receipt_contacts") == 2);

  // Whether a receipt mail was queued, for the receipt page: yes with one, no without, no for
  // a reference that is not stored.
  BOOST_TEST(store.receipt_mailed(ref));
  BOOST_TEST(!store.receipt_mailed(plain.submission->reference));
  BOOST_TEST(!store.receipt_mailed("0000-0000-000"));
  BOOST_TEST(!store.receipt_mailed("nonsense"));
  // The link alone (no contact hash kept, mail.contact_key unset) says so too, until it expires
  // and is swept; the contact hash, as long as the submission is kept.
  NewSubmission link_only = with_receipt_mail(4, "tok-4");
  link_only.contact_hash.reset();
  const auto linked = store.save_submission(link_only, t0);
  BOOST_TEST(store.receipt_mailed(linked.submission->reference));
  RetentionPolicy links_only;
  store.sweep(links_only, t0 + 8 * 24h, 1000);
  BOOST_TEST(db.count("mail_links") == 0);
  BOOST_TEST(!store.receipt_mailed(linked.submission->reference));
  BOOST_TEST(store.receipt_mailed(ref));

  // The contact hash matches its own reference only.
  BOOST_TEST(store.contact_matches(ref, "contact-hash-of-ana"));
  BOOST_TEST(!store.contact_matches(ref, "contact-hash-of-someone-else"));
  BOOST_TEST(!store.contact_matches("0000-0000-000", "contact-hash-of-ana"));
  BOOST_TEST(!store.contact_matches("nonsense", "contact-hash-of-ana"));
}

BOOST_DATA_TEST_CASE(a_mail_made_in_a_group_names_the_reference_stored, both, backend) {
  // Many saves at once share groups; every mail names its own submission's reference, and a
  // failing transaction stores no mail.
  TestDb db(backend, "mail_group");
  auto opened = db.open();
  Store& store = *opened;
  std::vector<std::thread> threads;
  std::vector<std::string> refs(24);
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&, i] {
      refs[i] = store.save_submission(with_receipt_mail(i, "tok-" + std::to_string(i)), t0).submission->reference;
    });
  }
  for (auto& t : threads) t.join();
  auto claimed = store.claim_mail({"w1", t0, 30s, 100, std::nullopt});
  BOOST_TEST_REQUIRE(claimed.size() == 24u);
  std::set<std::string> texts;
  for (const auto& m : claimed) texts.insert(m.text);
  for (int i = 0; i < 24; ++i) BOOST_TEST(texts.count("Referencia " + refs[i] + " /r/tok-" + std::to_string(i)) == 1u);
}

BOOST_DATA_TEST_CASE(mail_leases_retries_dead_letters_and_bodies_deleted_once_sent, both, backend) {
  TestDb db(backend, "mail_outbox");
  auto opened = db.open();
  Store& store = *opened;
  NewMail m;
  m.kind = "resume";
  m.language = "en";
  m.recipient = "bo@example.org";
  m.subject = "Your saved application";
  m.text = "secret-text-body";
  m.html = "<p>secret-html-body</p>";
  auto a = store.enqueue_mail(m, t0).value();
  auto b = store.enqueue_mail(m, t0 + 1s).value();
  BOOST_TEST(a < b);
  // A link needs a stored submission.
  NewMail linked = m;
  linked.link = NewMailLink{sha256_hex("x"), t0 + 1h};
  BOOST_TEST(!store.enqueue_mail(linked, t0, "0000-0000-000").has_value());
  BOOST_TEST(!store.enqueue_mail(linked, t0, "").has_value());
  BOOST_TEST(db.count("mail") == 2);

  BOOST_TEST(store.claim_mail({"w1", t0 - 1s, 30s, 10, std::nullopt}).empty());  // not due yet
  auto first = store.claim_mail({"w1", t0, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].id == a);
  BOOST_TEST(first[0].text == "secret-text-body");
  // Leased: w2 gets only the other one.
  auto second = store.claim_mail({"w2", t0 + 2s, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(second.size() == 1u);
  BOOST_TEST(second[0].id == b);
  BOOST_TEST(!store.mark_mail_sent(a, "w2", t0 + 3s));  // not w2's lease
  BOOST_TEST(store.mark_mail_sent(a, "w1", t0 + 3s));
  BOOST_TEST(!store.mark_mail_sent(a, "w1", t0 + 3s));  // sent once
  // Sent: recipient, subject and bodies are gone from the row.
  BOOST_TEST(db.count("mail WHERE id = " + std::to_string(a) +
                      " AND state = 'sent' AND recipient IS NULL AND subject IS NULL AND body_text IS NULL"
                      " AND body_html IS NULL AND sent_at IS NOT NULL") == 1);
  BOOST_TEST(db.count("mail WHERE id = " + std::to_string(b) + " AND body_text = 'secret-text-body'") == 1);

  // Failures: retried at the time given, then dead, then redriven.
  auto retry_at = t0 + 10s;
  BOOST_TEST(store.mark_mail_failed(b, "w2", "connection refused", retry_at));
  BOOST_TEST(store.claim_mail({"w2", retry_at - 1ms, 30s, 10, std::nullopt}).empty());
  auto again = store.claim_mail({"w2", retry_at, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].attempts == 1);
  BOOST_TEST(store.release_mail(b, "w2"));  // given back unattempted: due again at once
  again = store.claim_mail({"w3", retry_at, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(again.size() == 1u);
  BOOST_TEST(store.mark_mail_failed(b, "w3", "550 no such user", std::nullopt));
  auto dead = store.dead_mail(0, 10);
  BOOST_TEST_REQUIRE(dead.size() == 1u);
  BOOST_TEST(dead[0].id == b);
  BOOST_TEST(dead[0].kind == "resume");
  BOOST_TEST(dead[0].attempts == 2);
  BOOST_TEST(dead[0].last_error == "550 no such user");
  BOOST_TEST(store.dead_mail(b, 10).empty());
  BOOST_TEST(store.claim_mail({"w3", t0 + 1000h, 30s, 10, std::nullopt}).empty());
  auto counts = store.mail_counts();
  BOOST_TEST_REQUIRE(counts.size() == 2u);
  BOOST_TEST(counts[0].kind == "resume");
  BOOST_TEST(counts[0].state == MailState::Sent);
  BOOST_TEST(counts[0].count == 1);
  BOOST_TEST(counts[1].state == MailState::Dead);
  BOOST_TEST(!store.redrive_mail(a, t0 + 2h));  // a sent mail is not dead
  BOOST_TEST(store.redrive_mail(b, t0 + 2h));
  BOOST_TEST(store.dead_mail(0, 10).empty());
  auto back = store.claim_mail({"w4", t0 + 2h, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(back.size() == 1u);
  BOOST_TEST(back[0].attempts == 0);
  BOOST_TEST(back[0].recipient == "bo@example.org");  // a dead mail keeps its body for the redrive
}

BOOST_DATA_TEST_CASE(a_receipt_link_opens_once_and_its_session_expires, both, backend) {
  TestDb db(backend, "mail_links");
  auto opened = db.open();
  Store& store = *opened;
  const std::string ref = store.save_submission(with_receipt_mail(1, "tok-1"), t0).submission->reference;
  // Unknown, then the right one, then used.
  BOOST_TEST(!store.open_link(sha256_hex("tok-2"), sha256_hex("session-0"), t0 + 1h, t0).has_value());
  auto opened_ref = store.open_link(sha256_hex("tok-1"), sha256_hex("session-1"), t0 + 1h, t0 + 1s);
  BOOST_TEST_REQUIRE(opened_ref.has_value());
  BOOST_TEST(*opened_ref == ref);
  BOOST_TEST(!store.open_link(sha256_hex("tok-1"), sha256_hex("session-2"), t0 + 1h, t0 + 2s).has_value());
  BOOST_TEST(store.session_reference(sha256_hex("session-1"), t0 + 59min).value_or("") == ref);
  BOOST_TEST(!store.session_reference(sha256_hex("session-1"), t0 + 1h).has_value());  // expired
  BOOST_TEST(!store.session_reference(sha256_hex("session-2"), t0 + 3s).has_value());
  // Only hashes are stored.
  BOOST_TEST(db.everything().find("session-1") == std::string::npos);
  BOOST_TEST(db.count("mail_links WHERE used_at IS NOT NULL") == 1);

  // An expired link does not open.
  const std::string ref2 = store.save_submission(with_receipt_mail(2, "tok-3"), t0).submission->reference;
  BOOST_TEST(!store.open_link(sha256_hex("tok-3"), sha256_hex("session-3"), t0 + 8 * 24h + 1h, t0 + 7 * 24h).has_value());
  // A later link for the same submission (a link sent again) opens it.
  NewMail again;
  again.kind = "receipt_link";
  again.language = "en";
  again.recipient = "ana@example.org";
  again.subject = "s";
  again.text = "t";
  again.html = "h";
  again.link = NewMailLink{sha256_hex("tok-4"), t0 + 10 * 24h};
  BOOST_TEST(store.enqueue_mail(again, t0 + 8 * 24h, ref2).has_value());
  BOOST_TEST(store.open_link(sha256_hex("tok-4"), sha256_hex("session-4"), t0 + 9 * 24h, t0 + 8 * 24h).value_or("") ==
             ref2);
}

// --- coming back to a draft by email ---

// A resume mail as the pages queue it. Its body would carry the link; here it does not, so
// that the database can be searched for the token (a mail's body goes once it is sent).
NewMail resume_mail(const std::string& recipient = "bo@example.org") {
  NewMail m;
  m.kind = "resume";
  m.language = "en";
  m.recipient = recipient;
  m.subject = "Your saved application";
  m.text = "Come back to your application";
  m.html = "<p>Come back to your application</p>";
  return m;
}

NewMailLink resume_link(const std::string& token, TimePoint expires) { return NewMailLink{sha256_hex(token), expires}; }

BOOST_DATA_TEST_CASE(a_resume_mail_is_queued_with_its_draft_link_in_one_transaction, both, backend) {
  TestDb db(backend, "resume_mail");
  auto opened = db.open();
  Store& store = *opened;
  const Draft d = store.create_draft(draft_of(some_answers), t0);
  NewMail m = resume_mail();
  m.link = NewMailLink{sha256_hex("receipt-link"), t0 + 1h};  // a receipt link's field: not used here
  const auto id = store.enqueue_resume_mail(m, d.id, resume_link("tok-1", t0 + 24h), t0 + 1min);
  BOOST_TEST_REQUIRE(id.has_value());
  BOOST_TEST(db.count("drafts WHERE link_hash IS NOT NULL") == 1);
  BOOST_TEST(db.count("mail_links") == 0);
  const auto claimed = store.claim_mail({"w1", t0 + 1min, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(claimed.size() == 1u);
  BOOST_TEST(claimed[0].id == *id);
  BOOST_TEST(claimed[0].kind == "resume");
  BOOST_TEST(claimed[0].recipient == "bo@example.org");
  BOOST_TEST(claimed[0].text == "Come back to your application");
  BOOST_TEST(store.open_resume_link(sha256_hex("tok-1"), sha256_hex("session-1"), t0 + 2h, t0 + 2min).value_or("") ==
             "change_of_address");

  // No live draft, no mail, no link: unknown (of its shape or not), deleted, submitted, expired.
  const Draft deleted = store.create_draft(draft_of(some_answers), t0);
  BOOST_TEST(store.delete_draft(deleted.id));
  const Draft submitted = store.create_draft(draft_of(some_answers), t0);
  NewSubmission n = sample(1);
  n.consumes_draft = submitted.id;
  BOOST_TEST_REQUIRE(store.save_submission(n, t0).status == SaveResult::Status::Stored);
  const Draft old = store.create_draft(draft_of(some_answers), t0);
  for (const auto& [gone, when] : std::vector<std::pair<std::string, TimePoint>>{
           {std::string(32, 'A'), t0}, {"not a draft id", t0}, {"", t0}, {deleted.id, t0}, {submitted.id, t0},
           {old.id, t0 + 24h * 30}}) {
    BOOST_TEST(!store.enqueue_resume_mail(resume_mail(), gone, resume_link("tok-gone", t0 + 24h * 40), when).has_value(),
               gone);
  }
  BOOST_TEST(db.count("mail") == 1);
  BOOST_TEST(db.count("drafts WHERE link_hash IS NOT NULL") == 0);  // tok-1 is used up; none set since

  // One transaction: a mail that cannot be written (a kind is required) leaves no link either.
  const Draft other = store.create_draft(draft_of(some_answers), t0);
  NewMail broken = resume_mail();
  broken.kind = "";
  BOOST_CHECK_THROW(store.enqueue_resume_mail(broken, other.id, resume_link("tok-2", t0 + 24h), t0), StoreError);
  BOOST_TEST(db.count("mail") == 1);
  BOOST_TEST(db.count("drafts WHERE link_hash IS NOT NULL") == 0);
  BOOST_TEST(!store.open_resume_link(sha256_hex("tok-2"), sha256_hex("session-2"), t0 + 2h, t0).has_value());
}

BOOST_DATA_TEST_CASE(a_resume_link_opens_once_while_it_and_its_draft_live, both, backend) {
  TestDb db(backend, "resume_link");
  auto opened = db.open();
  Store& store = *opened;
  const auto link_for = [&](const std::string& token, TimePoint expires) {
    const Draft d = store.create_draft(draft_of(some_answers), t0);
    BOOST_TEST_REQUIRE(store.enqueue_resume_mail(resume_mail(), d.id, resume_link(token, expires), t0).has_value());
    return d;
  };
  const auto open = [&](const std::string& token, const std::string& session, TimePoint at) {
    return store.open_resume_link(sha256_hex(token), sha256_hex(session), at + 1h, at);
  };

  // Unknown, then the right one, then used.
  link_for("tok-once", t0 + 24h);
  BOOST_TEST(!open("tok-never-sent", "session-0", t0 + 1min).has_value());
  BOOST_TEST(open("tok-once", "session-1", t0 + 1min).value_or("") == "change_of_address");
  BOOST_TEST(!open("tok-once", "session-2", t0 + 2min).has_value());
  BOOST_TEST(!store.peek_resume_session(sha256_hex("session-2"), t0 + 2min).has_value());  // no session started
  BOOST_TEST(store.peek_resume_session(sha256_hex("session-1"), t0 + 2min).has_value());  // the first one stands

  // Expired: not at its expiry, nor after.
  link_for("tok-expiring", t0 + 1h);
  BOOST_TEST(!open("tok-expiring", "session-3", t0 + 1h).has_value());
  BOOST_TEST(!open("tok-expiring", "session-3", t0 + 2h).has_value());

  // A newer link replaces the older.
  const Draft twice = link_for("tok-older", t0 + 24h);
  BOOST_TEST(store.enqueue_resume_mail(resume_mail(), twice.id, resume_link("tok-newer", t0 + 24h), t0 + 1min).has_value());
  BOOST_TEST(!open("tok-older", "session-4", t0 + 2min).has_value());
  BOOST_TEST(open("tok-newer", "session-4", t0 + 2min).value_or("") == "change_of_address");

  // Its draft gone: deleted, submitted, expired (a link outliving its draft opens nothing).
  const Draft deleted = link_for("tok-deleted", t0 + 24h);
  BOOST_TEST(store.delete_draft(deleted.id));
  BOOST_TEST(!open("tok-deleted", "session-5", t0 + 1min).has_value());
  const Draft submitted = link_for("tok-submitted", t0 + 24h);
  NewSubmission n = sample(1);
  n.consumes_draft = submitted.id;
  BOOST_TEST_REQUIRE(store.save_submission(n, t0 + 1min).status == SaveResult::Status::Stored);
  BOOST_TEST(!open("tok-submitted", "session-6", t0 + 2min).has_value());
  link_for("tok-outlives", t0 + 24h * 60);
  BOOST_TEST(!open("tok-outlives", "session-7", t0 + 24h * 30).has_value());

  // Only hashes are stored: no token, no session.
  const std::string bytes = db.everything();
  for (const char* clear : {"tok-once", "tok-newer", "tok-outlives", "session-1", "session-4"}) {
    BOOST_TEST(bytes.find(clear) == std::string::npos, clear);
  }
  BOOST_TEST(bytes.find(sha256_hex("session-4")) != std::string::npos);  // the search would have found them
}

BOOST_DATA_TEST_CASE(a_resume_session_brings_a_draft_back_under_a_new_id_once, both, backend) {
  TestDb db(backend, "resume_session");
  auto opened = db.open();
  Store& store = *opened;
  const auto session_for = [&](const Draft& d, const std::string& name, TimePoint at, TimePoint until) {
    const std::string token = "tok-" + name;
    BOOST_TEST_REQUIRE(store.enqueue_resume_mail(resume_mail(), d.id, resume_link(token, at + 24h), at).has_value());
    BOOST_TEST_REQUIRE(store.open_resume_link(sha256_hex(token), sha256_hex(name), until, at).has_value());
    return sha256_hex(name);
  };
  const Draft d = store.create_draft(draft_of(some_answers), t0);
  const std::string session = session_for(d, "session-1", t0, t0 + 1h);

  const auto peeked = store.peek_resume_session(session, t0 + 1min);
  BOOST_TEST_REQUIRE(peeked.has_value());
  BOOST_TEST(peeked->id.empty());  // the pages check what only the citizen knows first
  BOOST_TEST(peeked->answers == some_answers);
  BOOST_TEST(peeked->form_id == "change_of_address");
  BOOST_TEST(!store.peek_resume_session(sha256_hex("session-unknown"), t0 + 1min).has_value());
  BOOST_TEST(!store.peek_resume_session("", t0 + 1min).has_value());
  BOOST_TEST(store.find_draft(d.id, t0 + 1min).has_value());  // peeking changes nothing

  const auto back = store.resume_session(session, t0 + 2min);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->id.size() == 32u);
  BOOST_TEST(back->id != d.id);
  BOOST_TEST(back->answers == some_answers);
  BOOST_TEST(ms(back->updated) == ms(t0 + 2min));
  BOOST_TEST(!store.find_draft(d.id, t0 + 3min).has_value());  // the old browser's id is dead
  const auto found = store.find_draft(back->id, t0 + 3min);
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->answers == some_answers);  // sealed again for its new id, and it opens
  BOOST_TEST(store.find_draft(back->id, t0 + 24h * 30 + 1min).has_value());  // its lifetime restarted
  // The session ended: it lets nobody in twice.
  BOOST_TEST(!store.resume_session(session, t0 + 3min).has_value());
  BOOST_TEST(!store.peek_resume_session(session, t0 + 3min).has_value());

  // An expired session shows nothing and lets nobody in; the draft stays as it was.
  const Draft e = store.create_draft(draft_of(some_answers), t0);
  const std::string expiring = session_for(e, "session-2", t0, t0 + 1h);
  BOOST_TEST(store.peek_resume_session(expiring, t0 + 59min).has_value());
  BOOST_TEST(!store.peek_resume_session(expiring, t0 + 1h).has_value());
  BOOST_TEST(!store.resume_session(expiring, t0 + 1h).has_value());
  BOOST_TEST(store.find_draft(e.id, t0 + 1h).has_value());

  // A newer session replaces the older; and a session goes with its draft.
  const Draft f = store.create_draft(draft_of(some_answers), t0);
  const std::string older = session_for(f, "session-3", t0, t0 + 1h);
  const std::string newer = session_for(f, "session-4", t0 + 1min, t0 + 1h);
  BOOST_TEST(!store.peek_resume_session(older, t0 + 2min).has_value());
  BOOST_TEST(!store.resume_session(older, t0 + 2min).has_value());
  BOOST_TEST(store.peek_resume_session(newer, t0 + 2min).has_value());
  BOOST_TEST(store.delete_draft(f.id));
  BOOST_TEST(!store.peek_resume_session(newer, t0 + 3min).has_value());
  BOOST_TEST(!store.resume_session(newer, t0 + 3min).has_value());
  // A draft that expired takes its session with it, whatever the session's own expiry.
  const Draft g = store.create_draft(draft_of(some_answers), t0);
  const std::string outliving = session_for(g, "session-5", t0, t0 + 24h * 60);
  BOOST_TEST(!store.peek_resume_session(outliving, t0 + 24h * 30).has_value());
  BOOST_TEST(!store.resume_session(outliving, t0 + 24h * 30).has_value());
  BOOST_TEST(db.everything().find("session-5") == std::string::npos);
}

BOOST_DATA_TEST_CASE(retention_sweeps_sent_and_dead_mail_and_expired_links, both, backend) {
  TestDb db(backend, "mail_retention");
  auto opened = db.open();
  Store& store = *opened;
  store.save_submission(with_receipt_mail(1, "tok-1"), t0);
  NewMail m;
  m.kind = "resume";
  m.language = "en";
  m.recipient = "bo@example.org";
  m.subject = "s";
  m.text = "t";
  m.html = "h";
  auto pending = store.enqueue_mail(m, t0).value();
  auto dead = store.enqueue_mail(m, t0).value();
  auto claimed = store.claim_mail({"w", t0, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(claimed.size() == 3u);
  BOOST_TEST(store.mark_mail_sent(claimed[0].id, "w", t0 + 1s));
  BOOST_TEST(store.release_mail(pending, "w"));
  BOOST_TEST(store.mark_mail_failed(dead, "w", "550", std::nullopt));
  BOOST_TEST(store.open_link(sha256_hex("tok-1"), sha256_hex("s1"), t0 + 1h, t0 + 2s).has_value());
  RetentionPolicy policy;
  policy.delivered_views = 24h;
  policy.dead_letters = 48h;
  // Before the periods: nothing of the mail goes.
  auto r = store.sweep(policy, t0 + 2s);
  BOOST_TEST(r.mails == 0);
  BOOST_TEST(db.count("mail") == 3);
  // After a day: the sent one, and the expired session; the link (7 days) stays.
  r = store.sweep(policy, t0 + 25h);
  BOOST_TEST(r.mails == 1);
  BOOST_TEST(r.links == 1);
  BOOST_TEST(db.count("receipt_sessions") == 0);
  BOOST_TEST(db.count("mail_links") == 1);
  // After two days: the dead one; the pending one is never swept.
  r = store.sweep(policy, t0 + 49h);
  BOOST_TEST(r.mails == 1);
  BOOST_TEST(db.count("mail") == 1);
  BOOST_TEST(db.count("mail WHERE state = 'pending'") == 1);
  r = store.sweep(policy, t0 + 8 * 24h);
  BOOST_TEST(r.links == 1);
  BOOST_TEST(db.count("mail_links") == 0);
  BOOST_TEST(db.count("mail") == 1);
}

BOOST_DATA_TEST_CASE(counts_for_metrics, both, backend) {
  TestDb db(backend, "counts");
  auto opened = db.open();
  Store& store = *opened;
  BOOST_TEST(store.delivery_counts().empty());
  BOOST_TEST(store.submission_count() == 0);
  auto keyed = sample(0, {"ssa", "usps"});
  keyed.idempotency = IdempotencyKey{"client", "k", "f"};
  store.save_submission(keyed, t0);
  for (int i = 1; i < 3; ++i) store.save_submission(sample(i, {"ssa", "usps"}), t0);
  store.save_submission(sample(3, {"va"}), t0);
  BOOST_TEST(store.save_submission(keyed, t0).status == SaveResult::Status::Replayed);  // not counted twice
  auto conflict = keyed;
  conflict.idempotency->fingerprint = "other";
  BOOST_TEST(store.save_submission(conflict, t0).status == SaveResult::Status::KeyConflict);
  auto ssa = store.claim_deliveries({"w", t0, 30s, 1, std::string("ssa")});
  BOOST_TEST_REQUIRE(ssa.size() == 1u);
  BOOST_TEST(store.mark_delivered(ssa[0].outbox_id, "w", t0));
  auto usps = store.claim_deliveries({"w", t0, 30s, 1, std::string("usps")});
  BOOST_TEST_REQUIRE(usps.size() == 1u);
  BOOST_TEST(store.mark_failed(usps[0].outbox_id, "w", "HTTP 500", std::nullopt));

  BOOST_TEST(store.submission_count() == 4);
  auto counts = store.delivery_counts();
  std::vector<std::string> got;
  for (const auto& c : counts) got.push_back(c.agency + " " + to_string(c.state) + " " + std::to_string(c.count));
  std::vector<std::string> expected = {"ssa pending 2", "ssa delivered 1", "usps pending 2", "usps dead 1",
                                       "va pending 1"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

// --- tokens ---

BOOST_DATA_TEST_CASE(agency_tokens_are_stored_as_hashes, both, backend) {
  TestDb db(backend, "tokens");
  std::string token, usps_token, id;
  {
    auto store_opened = db.open();
    Store& store = *store_opened;
    auto t = store.create_token("ssa", t0);
    token = t.token;
    id = t.info.id;
    BOOST_TEST(t.info.agency == "ssa");
    BOOST_TEST(std::regex_match(token, std::regex("aot_[0-9A-Z]{8}_[A-Za-z0-9_-]{43}")), token);
    usps_token = store.create_token("usps", t0).token;
    BOOST_TEST(store.verify_token(token).value_or("") == "ssa");
    BOOST_TEST(store.verify_token(usps_token).value_or("") == "usps");
    // A changed secret, a token of another id with this secret, junk: refused.
    std::string changed = token;
    changed.back() = changed.back() == 'A' ? 'B' : 'A';
    BOOST_TEST(!store.verify_token(changed));
    BOOST_TEST(!store.verify_token(usps_token.substr(0, 13) + token.substr(13)));
    BOOST_TEST(!store.verify_token(""));
    BOOST_TEST(!store.verify_token("Bearer " + token));
    BOOST_TEST(store.list_tokens("ssa").size() == 1u);
  }
  std::string bytes = db.everything();
  BOOST_TEST(bytes.find(token) == std::string::npos);
  BOOST_TEST(bytes.find(token.substr(13)) == std::string::npos);  // not even the secret part
  BOOST_TEST(bytes.find(usps_token.substr(13)) == std::string::npos);
  BOOST_TEST(bytes.find(sha256_hex(token)) != std::string::npos);

  auto store_opened = db.open();
  Store& store = *store_opened;
  BOOST_TEST(store.verify_token(token).value_or("") == "ssa");  // survives a restart
  BOOST_TEST(store.revoke_token(id, t0 + 1h));
  BOOST_TEST(!store.revoke_token(id, t0 + 2h));
  BOOST_TEST(!store.verify_token(token));
  BOOST_TEST(store.verify_token(usps_token).value_or("") == "usps");
  auto listed = store.list_tokens("ssa");
  BOOST_TEST_REQUIRE(listed.size() == 1u);
  BOOST_TEST(listed[0].revoked);
}

BOOST_AUTO_TEST_CASE(vacuum_into_backs_up_a_running_store) {
  auto dir = fresh_dir("store", "backup");
  auto db = dir / "askonce.db";
  auto copy = dir / "backup.db";
  SqliteStore store(sqlite_options(db));
  auto ref = store.save_submission(sample(1), t0).submission->reference;
  {
    // docs/operations.md: a second connection takes the backup while the store stays open.
    Poco::Data::Session s("SQLite", db.string());
    std::string target = copy.string();
    s << "VACUUM INTO ?", Poco::Data::Keywords::bind(target), now;
  }
  auto after = store.save_submission(sample(2), t0).submission->reference;  // still writable
  SqliteStore restored(sqlite_options(copy));
  BOOST_TEST(restored.check_integrity().empty());
  BOOST_TEST(restored.find_submission(ref).value().deliveries.size() == 2u);
  BOOST_TEST(!restored.find_submission(after).has_value());
}

// --- form definitions and secrets ---

BOOST_DATA_TEST_CASE(definitions_are_archived_once_and_found_by_hash, both, backend) {
  TestDb db(backend, "definitions");
  DefinitionRecord coa{"sha256:coa1", "change_of_address", 1,
                       {{"change-of-address.form", "use \"common/person.form\"\nform change_of_address {\n}\n"},
                        {"common/person.form", "block person { name name \"Nombre\" }\n"},
                        {"common/empty.form", ""}}};
  {
    auto store_opened = db.open();
    Store& store = *store_opened;
    BOOST_TEST(!store.find_definition("sha256:coa1").has_value());
    store.archive_definition(coa);
    auto found = store.find_definition("sha256:coa1");
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST(found->hash == coa.hash);
    BOOST_TEST(found->form_id == "change_of_address");
    BOOST_TEST(found->version == 1);
    BOOST_TEST((found->sources == coa.sources));  // every file, in the order given

    // The same hash again is a no-op, even with other content: the hash names the content.
    auto changed = coa;
    changed.version = 9;
    changed.sources = {{"change-of-address.form", "form changed {}"}};
    store.archive_definition(changed);
    BOOST_TEST(store.find_definition("sha256:coa1")->version == 1);
    BOOST_TEST((store.find_definition("sha256:coa1")->sources == coa.sources));

    // The next version of the form is archived beside it, not over it.
    DefinitionRecord coa2{"sha256:coa2", "change_of_address", 2, {{"change-of-address.form", "form v2 {}"}}};
    store.archive_definition(coa2);
    BOOST_TEST(store.find_definition("sha256:coa2")->version == 2);
    BOOST_TEST(store.find_definition("sha256:coa1")->version == 1);
    BOOST_TEST(!store.find_definition("sha256:unknown").has_value());
    BOOST_TEST(!store.find_definition("").has_value());
    BOOST_CHECK_THROW(store.archive_definition({"", "x", 1, {}}), StoreError);  // a definition needs its hash
  }
  // Many threads of two stores (two processes, to the database) archiving one new definition at
  // once: one copy, no error.
  {
    auto a_opened = db.open(), b_opened = db.open();
    Store &a = *a_opened, &b = *b_opened;
    DefinitionRecord race{"sha256:race", "benefits", 3, {{"benefits.form", "form benefits {}"}, {"common/x.form", "x"}}};
    std::atomic<int> failures{0};
    std::latch start(8);
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; ++t) {
      pool.emplace_back([&, t] {
        try {
          start.arrive_and_wait();
          (t % 2 ? a : b).archive_definition(race);
        } catch (const std::exception& e) {
          ++failures;
          BOOST_TEST_MESSAGE(e.what());
        }
      });
    }
    for (auto& th : pool) th.join();
    BOOST_TEST(failures == 0);
    BOOST_TEST((a.find_definition("sha256:race")->sources == race.sources));
  }
  BOOST_TEST(db.count("definitions") == 3);
  BOOST_TEST(db.count("definition_sources") == 3 + 1 + 2);
  auto reopened_opened = db.open();
  Store& reopened = *reopened_opened;  // kept across restarts
  BOOST_TEST((reopened.find_definition("sha256:coa1")->sources == coa.sources));
}

// A paper page's code (engine/paper_code.hpp) opens the exact definition it was printed from:
// the served one, or an older printing's from the archive, found by form, version and the start
// of its hash (Store::definition_hashes, Catalog::plan_for_code: what the staff console uses).
BOOST_DATA_TEST_CASE(a_paper_page_code_opens_its_definition_even_an_archived_older_one, both, backend) {
  namespace e = askonce::engine;
  TestDb db(backend, "paper_code");
  auto store_opened = db.open();
  Store& store = *store_opened;
  auto loaded = askonce::server::Catalog::load("forms");
  BOOST_TEST_REQUIRE(loaded.catalog.has_value(), loaded.diagnostics);
  const auto& catalog = *loaded.catalog;
  catalog.archive(store);
  const auto* served = catalog.find("change_of_address");
  BOOST_TEST_REQUIRE(served != nullptr);

  // The printing of today: page 3's code opens the served plan itself.
  const auto& current = served->plan->form();
  const std::string today_code = e::format_paper_code(e::paper_code(current, 3));
  BOOST_TEST(catalog.plan_for_code(today_code, store) == served->plan);

  // An older printing: the same form and version, other words (as before a fix that did not
  // change the version), archived when a server served it, no longer on disk.
  const auto older = askonce::test::older_change_of_address(served->definition);
  const auto older_plan = askonce::server::compile_archived(older);
  BOOST_TEST_REQUIRE(older_plan.has_value());
  BOOST_TEST(older.hash != served->definition.hash);
  const std::string old_code = e::format_paper_code(e::paper_code(older_plan->form(), 5));
  BOOST_TEST(!catalog.plan_for_code(old_code, store), "found before it was archived");
  store.archive_definition(older);
  BOOST_TEST(store.definition_hashes("change_of_address", 1).size() == 2u);
  BOOST_TEST(store.definition_hashes("change_of_address", 2).empty());
  const auto found = catalog.plan_for_code("  " + old_code + "\n", store);  // as typed
  BOOST_TEST_REQUIRE(found != nullptr);
  BOOST_TEST(found->form().definition_hash == older.hash);
  BOOST_TEST(found->form().title.at("en") == "Tell us you moved");
  // Another store (another node) finds it too: it is in the database, not in memory.
  auto other_opened = db.open();
  auto reloaded = askonce::server::Catalog::load("forms");
  BOOST_TEST_REQUIRE(reloaded.catalog.has_value());
  const auto again = reloaded.catalog->plan_for_code(old_code, *other_opened);
  BOOST_TEST_REQUIRE(again != nullptr);
  BOOST_TEST(again->form().definition_hash == older.hash);

  // Nothing for what is not a printing: another prefix, version, form, or not a code at all.
  auto wrong = e::paper_code(older_plan->form(), 5);
  wrong.hash_prefix = "000000000000";
  BOOST_TEST(!catalog.plan_for_code(e::format_paper_code(wrong), store));
  wrong = e::paper_code(older_plan->form(), 5);
  wrong.version = 2;
  BOOST_TEST(!catalog.plan_for_code(e::format_paper_code(wrong), store));
  wrong = e::paper_code(older_plan->form(), 5);
  wrong.form_id = "benefits";
  BOOST_TEST(!catalog.plan_for_code(e::format_paper_code(wrong), store));
  BOOST_TEST(!catalog.plan_for_code("change_of_address", store));
}

// --- threads and crashes ---

BOOST_DATA_TEST_CASE(concurrent_writers_and_readers, both, backend) {
  TestDb db(backend, "threads");
  auto opened = db.open();
  Store& store = *opened;
  constexpr int threads = 4, each = 60;
  std::atomic<int> stored{0}, failures{0}, reads{0};
  std::vector<std::vector<std::string>> refs(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        for (int i = 0; i < each; ++i) {
          auto n = sample(t * 1000 + i);
          if (i % 2 == 0) n.idempotency = IdempotencyKey{"c" + std::to_string(t), std::to_string(i), "f"};
          auto r = store.save_submission(n, t0);
          if (r.status == SaveResult::Status::Stored) ++stored;
          refs[t].push_back(r.submission->reference);
          if (store.find_submission(r.submission->reference)) ++reads;
          store.list_for_agency("ssa", "", 5);
        }
      } catch (const std::exception& e) {
        ++failures;
        BOOST_TEST_MESSAGE(e.what());
      }
    });
  }
  for (auto& th : pool) th.join();
  BOOST_TEST(failures == 0);
  BOOST_TEST(stored == threads * each);
  BOOST_TEST(reads == threads * each);
  BOOST_TEST(db.count("submissions") == threads * each);
  BOOST_TEST(db.count("outbox") == 2 * threads * each);
  std::set<std::string> unique;
  for (const auto& v : refs) unique.insert(v.begin(), v.end());
  BOOST_TEST(unique.size() == static_cast<std::size_t>(threads * each));
  BOOST_TEST(store.check_integrity().empty());
}

BOOST_DATA_TEST_CASE(kill_minus_nine_loses_nothing_committed, both, backend) {
  TestDb db(backend, "crash");
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> committed;
  for (int round = 0; round < 6; ++round) {
    int fds[2];
    BOOST_TEST_REQUIRE(::pipe(fds) == 0);
    pid_t child = ::fork();
    BOOST_TEST_REQUIRE(child >= 0);
    if (child == 0) {
      // The child writes until it is killed, and reports each reference only after
      // save_submission returned, i.e. after the commit.
      ::close(fds[0]);
      try {
        auto store_opened = db.open();
        Store& store = *store_opened;
        for (int i = 0;; ++i) {
          auto r = store.save_submission(sample(round * 1'000'000 + i), t0);
          std::string line = r.submission->reference + "\n";
          if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
        }
      } catch (...) {
        ::_exit(3);
      }
    }
    ::close(fds[1]);
    std::string reported = first_line(fds[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(80, 400)(rng)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    BOOST_TEST(WIFSIGNALED(status));  // still writing when killed, not failed
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) reported.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    std::istringstream lines(reported);
    for (std::string line; std::getline(lines, line);) {
      if (line.size() == 13) committed.insert(line);  // a line cut by the kill was never reported whole
    }
    auto store_opened = db.open();
    Store& store = *store_opened;
    BOOST_TEST(store.check_integrity().empty());
    int missing = 0, incomplete = 0;
    for (const auto& ref : committed) {
      auto s = store.find_submission(ref);
      if (!s) ++missing;
      else if (s->deliveries.size() != 2u) ++incomplete;
    }
    BOOST_TEST(missing == 0, "round " << round << ": " << missing << " committed submissions missing");
    BOOST_TEST(incomplete == 0);
    // No half-written submission either: every stored submission has both outbox rows.
    BOOST_TEST(db.count("outbox") == 2 * db.count("submissions"));
  }
  BOOST_TEST_MESSAGE(committed.size() << " committed submissions checked after 6 kills");
  BOOST_TEST(committed.size() > 10u);
}

BOOST_DATA_TEST_CASE(kill_minus_nine_during_group_commits_loses_nothing_committed, both, backend) {
  TestDb db(backend, "crashgroup");
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> committed;
  std::uint64_t largest_group = 0;
  constexpr int threads = 8;
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    BOOST_TEST_REQUIRE(::pipe(fds) == 0);
    pid_t child = ::fork();
    BOOST_TEST_REQUIRE(child >= 0);
    if (child == 0) {
      // Several threads save at once, so saves commit in groups; each thread reports a
      // reference only after its save_submission returned. Every fourth save reuses a key
      // shared by all threads, so replays are reported too. Thread 0 also reports the group
      // sizes ("#largest"). Lines are shorter than PIPE_BUF: each write arrives whole.
      ::close(fds[0]);
      try {
        auto store_opened = db.open();
        Store& store = *store_opened;
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
          pool.emplace_back([&, t] {
            try {
              for (int i = 0;; ++i) {
                auto n = sample(round * 10'000'000 + t * 1'000'000 + i);
                if (i % 4 == 0) {
                  n = sample(round * 10'000'000 + 9'000'000 + i / 4);
                  n.idempotency = IdempotencyKey{"crash", std::to_string(round) + "/" + std::to_string(i / 4),
                                                 request_fingerprint(n.canonical_json)};
                }
                auto r = store.save_submission(n, t0);
                std::string line = r.submission->reference + "\n";
                if (t == 0) line += "#" + std::to_string(store.write_stats()->largest_batch) + "\n";
                if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(4);
              }
            } catch (...) {
              ::_exit(3);
            }
          });
        }
        for (auto& th : pool) th.join();
      } catch (...) {
        ::_exit(3);
      }
      ::_exit(5);
    }
    ::close(fds[1]);
    const std::string first = first_line(fds[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(150, 500)(rng)));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    BOOST_TEST(WIFSIGNALED(status));  // still writing when killed, not failed
    std::istringstream lines(first + read_all(fds[0]));
    for (std::string line; std::getline(lines, line);) {
      if (line.size() == 13) committed.insert(line);  // a line cut by the kill was never reported whole
      if (line.size() > 1 && line[0] == '#') largest_group = std::max<std::uint64_t>(largest_group, std::stoull(line.substr(1)));
    }
    auto store_opened = db.open();
    Store& store = *store_opened;
    BOOST_TEST(store.check_integrity().empty());
    int missing = 0, incomplete = 0;
    for (const auto& ref : committed) {
      auto s = store.find_submission(ref);
      if (!s) ++missing;
      else if (s->deliveries.size() != 2u) ++incomplete;
    }
    BOOST_TEST(missing == 0, "round " << round << ": " << missing << " committed submissions missing");
    BOOST_TEST(incomplete == 0);
    BOOST_TEST(db.count("outbox") == 2 * db.count("submissions"));
  }
  BOOST_TEST_MESSAGE(committed.size() << " committed submissions checked after 4 kills; largest group seen "
                                      << largest_group);
  BOOST_TEST(committed.size() > 10u);
  BOOST_TEST(largest_group > 1u);  // the kills did hit group commits
}

// --- staff accounts, sessions and the audit log (schema version 8) ---

BOOST_DATA_TEST_CASE(staff_accounts_set_up_once_and_each_code_works_once, both, backend) {
  TestDb db(backend, "staff-accounts");
  auto opened = db.open();
  Store& store = *opened;
  auto ana = store.create_staff("ana", "agent", "$argon2id$temporary", t0);
  BOOST_TEST_REQUIRE(ana.has_value());
  BOOST_TEST(ana->id > 0);
  BOOST_TEST(!ana->set_up);
  BOOST_TEST(!store.create_staff("ana", "supervisor", "$argon2id$other", t0).has_value());  // names are unique
  BOOST_TEST_REQUIRE(store.create_staff("bea", "supervisor", "$argon2id$temporary", t0).has_value());
  BOOST_CHECK_THROW(store.create_staff("cy", "boss", "$argon2id$x", t0), StoreError);  // the role is checked
  const auto all = store.list_staff();
  BOOST_TEST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].name == "ana");
  BOOST_TEST(all[1].role == "supervisor");
  BOOST_TEST(!store.find_staff("nobody").has_value());
  BOOST_TEST(store.staff_by_id(ana->id)->name == "ana");

  const std::vector<std::string> codes = {"h1", "h2", "h3"};
  BOOST_TEST(store.complete_staff_setup(ana->id, "$argon2id$own", "sealed-secret", 100, codes));
  BOOST_TEST(!store.complete_staff_setup(ana->id, "$argon2id$again", "other", 100, codes));  // once only
  auto after = store.find_staff("ana").value();
  BOOST_TEST(after.set_up);
  BOOST_TEST(after.password_hash == "$argon2id$own");
  BOOST_TEST(after.totp_sealed == "sealed-secret");
  BOOST_TEST(after.totp_step.value() == 100);

  // A step no later than the last accepted is refused: each code works once.
  BOOST_TEST(!store.accept_totp_step(ana->id, 100));
  BOOST_TEST(!store.accept_totp_step(ana->id, 99));
  BOOST_TEST(store.accept_totp_step(ana->id, 101));
  BOOST_TEST(!store.accept_totp_step(ana->id, 101));
  // Recovery codes: each once.
  BOOST_TEST(store.recovery_codes_left(ana->id) == 3);
  BOOST_TEST(store.use_recovery_code(ana->id, "h2", t0));
  BOOST_TEST(!store.use_recovery_code(ana->id, "h2", t0));
  BOOST_TEST(!store.use_recovery_code(ana->id, "nope", t0));
  BOOST_TEST(store.recovery_codes_left(ana->id) == 2);

  // Reset: a new temporary password; TOTP, codes and sessions gone.
  store.create_staff_session("session-a", ana->id, StaffStage::Full, t0);
  BOOST_TEST(store.reset_staff("ana", "$argon2id$temporary2"));
  BOOST_TEST(!store.reset_staff("nobody", "$argon2id$x"));
  after = store.find_staff("ana").value();
  BOOST_TEST(!after.set_up);
  BOOST_TEST(after.totp_sealed.empty());
  BOOST_TEST(!after.totp_step.has_value());
  BOOST_TEST(store.recovery_codes_left(ana->id) == 0);
  BOOST_TEST(!store.touch_staff_session("session-a", t0 + 1s, 1h, 8h).has_value());

  // Disable: sessions end, and a session cannot be used while disabled.
  store.create_staff_session("session-b", ana->id, StaffStage::Full, t0);
  BOOST_TEST(store.disable_staff("ana"));
  BOOST_TEST(!store.disable_staff("nobody"));
  BOOST_TEST(store.find_staff("ana")->disabled);
  BOOST_TEST(!store.touch_staff_session("session-b", t0 + 1s, 1h, 8h).has_value());
  BOOST_TEST(store.reset_staff("ana", "$argon2id$temporary3"));
  BOOST_TEST(!store.find_staff("ana")->disabled);  // reset enables again
}

BOOST_DATA_TEST_CASE(staff_lockout_counts_in_the_store_across_nodes, both, backend) {
  TestDb db(backend, "staff-lockout");
  auto node1 = db.open(), node2 = db.open();
  const auto id = node1->create_staff("ana", "agent", "$argon2id$x", t0)->id;
  // Threshold 3, 30 s doubling to at most 100 s; failures from either node count together.
  auto fail = [&](Store& s, TimePoint at) { return s.record_staff_failure(id, at, 3, 30s, 100s).value(); };
  BOOST_TEST(!fail(*node1, t0).locked_until.has_value());
  BOOST_TEST(!fail(*node2, t0).locked_until.has_value());
  auto third = fail(*node1, t0);
  BOOST_TEST(third.failures == 3);
  BOOST_TEST(ms(third.locked_until) == ms(t0 + 30s));
  BOOST_TEST(ms(fail(*node2, t0).locked_until) == ms(t0 + 60s));
  BOOST_TEST(ms(node1->find_staff("ana")->locked_until) == ms(t0 + 60s));  // the other node sees it
  BOOST_TEST(ms(fail(*node1, t0).locked_until) == ms(t0 + 100s));          // capped
  node2->clear_staff_failures(id);
  auto cleared = node1->find_staff("ana").value();
  BOOST_TEST(cleared.failures == 0);
  BOOST_TEST(!cleared.locked_until.has_value());
  BOOST_TEST(!node1->record_staff_failure(id + 1000, t0, 3, 30s, 100s).has_value());
}

BOOST_DATA_TEST_CASE(staff_sessions_end_when_idle_or_old, both, backend) {
  TestDb db(backend, "staff-sessions");
  auto node1 = db.open(), node2 = db.open();
  const auto id = node1->create_staff("ana", "agent", "$argon2id$x", t0)->id;
  node1->create_staff_session("hash-1", id, StaffStage::SecondFactor, t0);
  // Signed in on one node, used on another; every use moves last_seen.
  auto s = node2->touch_staff_session("hash-1", t0 + 9min, 10min, 30min);
  BOOST_TEST_REQUIRE(s.has_value());
  BOOST_TEST(s->staff_id == id);
  BOOST_TEST(s->stage == StaffStage::SecondFactor);
  BOOST_TEST(node1->touch_staff_session("hash-1", t0 + 18min, 10min, 30min).has_value());  // idle 9 min: fine
  BOOST_TEST(node1->touch_staff_session("hash-1", t0 + 27min, 10min, 30min).has_value());
  BOOST_TEST(!node2->touch_staff_session("hash-1", t0 + 31min, 10min, 30min).has_value());  // absolute
  node1->create_staff_session("hash-2", id, StaffStage::Full, t0);
  BOOST_TEST(!node1->touch_staff_session("hash-2", t0 + 11min, 10min, 30min).has_value());  // idle
  node1->create_staff_session("hash-3", id, StaffStage::Full, t0);
  BOOST_TEST(node1->touch_staff_session("hash-3", t0, 10min, 30min)->stage == StaffStage::Full);
  BOOST_TEST(node2->end_staff_session("hash-3"));
  BOOST_TEST(!node2->end_staff_session("hash-3"));
  BOOST_TEST(!node1->touch_staff_session("hash-3", t0, 10min, 30min).has_value());
  BOOST_TEST(!node1->touch_staff_session("unknown", t0, 10min, 30min).has_value());
}

BOOST_DATA_TEST_CASE(the_sweep_deletes_ended_staff_sessions_and_used_recovery_codes, both, backend) {
  TestDb db(backend, "staff-sweep");
  auto opened = db.open();
  Store& store = *opened;
  const auto id = store.create_staff("ana", "agent", "$argon2id$x", t0)->id;
  BOOST_TEST_REQUIRE(store.complete_staff_setup(id, "$argon2id$own", "sealed", 1, {"h1", "h2", "h3"}));
  BOOST_TEST(store.use_recovery_code(id, "h1", t0));
  RetentionPolicy policy;
  policy.staff_idle = 10min;
  policy.staff_session = 30min;
  store.create_staff_session("idle", id, StaffStage::Full, t0);          // never used again
  store.create_staff_session("busy", id, StaffStage::Full, t0);          // used, until its lifetime ends
  store.create_staff_session("late", id, StaffStage::Full, t0 + 20min);  // signed in later
  BOOST_TEST(store.touch_staff_session("busy", t0 + 8min, 10min, 30min).has_value());

  auto r = store.sweep(policy, t0 + 9min);
  BOOST_TEST(r.staff_sessions == 0);
  BOOST_TEST(r.recovery_codes == 1);  // the used one; the unused stay
  BOOST_TEST(store.recovery_codes_left(id) == 2);
  BOOST_TEST(db.count("staff_recovery_codes") == 2);
  BOOST_TEST(!store.use_recovery_code(id, "h1", t0 + 9min));  // a used code, row gone: still refused
  BOOST_TEST(db.count("staff_sessions") == 3);

  BOOST_TEST(store.touch_staff_session("busy", t0 + 17min, 10min, 30min).has_value());
  r = store.sweep(policy, t0 + 10min);  // "idle": last seen 10 min ago
  BOOST_TEST(r.staff_sessions == 1);
  BOOST_TEST(r.recovery_codes == 0);
  BOOST_TEST(db.count("staff_sessions") == 2);
  BOOST_TEST(store.touch_staff_session("busy", t0 + 26min, 10min, 30min).has_value());
  BOOST_TEST(store.touch_staff_session("late", t0 + 29min, 10min, 30min).has_value());
  r = store.sweep(policy, t0 + 30min);  // "busy": 30 min after sign-in, however used
  BOOST_TEST(r.staff_sessions == 1);
  BOOST_TEST(r.total() == 1);
  BOOST_TEST(db.count("staff_sessions") == 1);
  BOOST_TEST(store.touch_staff_session("late", t0 + 31min, 10min, 30min).has_value());  // the live one stays

  // The default policy is the default config's: 15 minutes idle, 8 hours in all.
  BOOST_TEST(store.sweep(RetentionPolicy{}, t0 + 45min).staff_sessions == 0);
  BOOST_TEST(store.sweep(RetentionPolicy{}, t0 + 47min).staff_sessions == 1);
  BOOST_TEST(db.count("staff_sessions") == 0);
}

BOOST_DATA_TEST_CASE(failures_of_a_name_that_is_no_account_count_across_nodes_until_forgotten, both, backend) {
  TestDb db(backend, "name-failures");
  auto a = db.open(), b = db.open();  // two nodes
  const std::string key = "staff-name:k1";
  BOOST_TEST(a->name_failures(key, t0).failures == 0);
  BOOST_TEST(!a->name_failures(key, t0).last.has_value());
  auto f = a->record_name_failure(key, t0, 1h);
  BOOST_TEST(f.failures == 1);
  BOOST_TEST(b->record_name_failure(key, t0 + 1min, 1h).failures == 2);
  BOOST_TEST(a->record_name_failure("staff-name:k2", t0 + 1min, 1h).failures == 1);  // keys apart
  const auto seen = a->name_failures(key, t0 + 2min);
  BOOST_TEST(seen.failures == 2);
  BOOST_TEST(ms(seen.last) == ms(t0 + 1min));  // the last failure, not the first
  // Kept `keep` after the LAST failure, then forgotten: the next counts from 1.
  BOOST_TEST(b->name_failures(key, t0 + 60min).failures == 2);
  BOOST_TEST(b->name_failures(key, t0 + 61min).failures == 0);
  BOOST_TEST(a->record_name_failure(key, t0 + 2h, 1h).failures == 1);

  // Many at once from both nodes: every failure counted once.
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Store& s = i % 2 ? *a : *b;
      for (int k = 0; k < 10; ++k) s.record_name_failure("staff-name:busy", t0, 1h);
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(a->name_failures("staff-name:busy", t0).failures == 80);
  // Forgotten rows are swept away.
  a->sweep(RetentionPolicy{}, t0 + 4h);
  BOOST_TEST(db.count("attempts") == 0);
}

BOOST_DATA_TEST_CASE(audit_log_is_one_chain_and_verify_finds_changes, both, backend) {
  TestDb db(backend, "audit");
  auto node1 = db.open(), node2 = db.open();
  const staff::AuditLog audit(askonce::test::test_keys());
  // Two nodes, four threads each, appending at once: still one chain, numbered without gaps.
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Store& s = t % 2 ? *node1 : *node2;
      for (int i = 0; i < 10; ++i) {
        NewAuditEntry e;
        e.staff_id = t + 1;
        e.event = "keyed";
        e.channel = "phone";
        e.reference = "REF-" + std::to_string(t) + "-" + std::to_string(i);
        audit.append(s, e, t0 + std::chrono::milliseconds(i));
      }
    });
  }
  for (auto& t : threads) t.join();
  NewAuditEntry unknown;
  unknown.event = "sign_in_failed";
  unknown.detail = "unknown name";
  const auto last = audit.append(*node1, unknown, t0 + 1s);
  BOOST_TEST(last.seq == 81);
  BOOST_TEST(!last.staff_id.has_value());
  auto verified = audit.verify(*node2);
  BOOST_TEST(verified.ok(), verified.problem);
  BOOST_TEST(verified.entries == 81);
  BOOST_TEST(verified.head_seq == 81);
  BOOST_TEST(verified.head_hash == last.hash);
  const auto newest = node1->audit_page(0, 5);
  BOOST_TEST_REQUIRE(newest.size() == 5u);
  BOOST_TEST(newest[0].seq == 81);
  BOOST_TEST(newest[4].seq == 77);
  BOOST_TEST(node1->audit_page(3, 5).size() == 2u);  // before entry 3: 2 and 1
  BOOST_TEST(newest[1].hash == newest[0].prev_hash);

  // Another keyring cannot verify (nor forge) the chain.
  const staff::AuditLog stranger(std::make_shared<const Keyring>(Keyring::parse(Keyring::generate("other"), "other")));
  BOOST_TEST(stranger.verify(*node1).first_bad.value() == 1);

  // An entry changed directly with SQL is found, and named.
  db.sql("UPDATE audit_log SET reference = 'REF-X' WHERE seq = 40");
  verified = audit.verify(*node1);
  BOOST_TEST(verified.first_bad.value() == 40);
  BOOST_TEST(verified.problem.find("changed") != std::string::npos, verified.problem);
}

BOOST_DATA_TEST_CASE(audit_verify_finds_a_removed_entry, both, backend) {
  TestDb db(backend, "audit-delete");
  auto opened = db.open();
  Store& store = *opened;
  const staff::AuditLog audit(askonce::test::test_keys());
  for (int i = 0; i < 6; ++i) {
    NewAuditEntry e;
    e.staff_id = 1;
    e.event = "sign_in";
    audit.append(store, e, t0 + std::chrono::seconds(i));
  }
  BOOST_TEST(audit.verify(store).ok());
  db.sql("DELETE FROM audit_log WHERE seq = 3");
  auto verified = audit.verify(store);
  BOOST_TEST(verified.first_bad.value() == 3);
  BOOST_TEST(verified.problem.find("removed") != std::string::npos, verified.problem);
  // Moving entry 4 into the gap breaks the chain at the same place.
  db.sql("UPDATE audit_log SET seq = 3 WHERE seq = 4");
  BOOST_TEST(audit.verify(store).first_bad.value() == 3);
}

// --- the published figures (schema 13) ---

namespace {

// A submission on `channel`, received on `day`, routed to `agencies`, each pending from `past`.
NewSubmission figure_sample(int i, const std::string& channel, const std::string& day,
                            const std::vector<std::string>& agencies, const std::string& past) {
  NewSubmission n = sample(i, agencies);
  n.channel = channel;
  n.date_received = day;
  if (staff_channel(channel)) n.staff_id = 7;
  for (auto& v : n.views) v.past_from = past;
  return n;
}

AgencyStatus status_of(const std::string& agency, std::int64_t seq, const std::string& status, TimePoint at) {
  AgencyStatus a;
  a.agency = agency;
  a.seq = seq;
  a.status = status;
  if (status == "decided") a.outcome = "approved";
  a.at = at;
  return a;
}

std::int64_t applications_in(const FigureCounts& f, const std::string& agency, const std::string& quarter,
                             const std::string& channel) {
  for (const auto& a : f.applications) {
    if (a.agency == agency && a.quarter == quarter && a.channel == channel) return a.count;
  }
  return 0;
}

std::int64_t pending_in(const FigureCounts& f, const std::string& agency, const std::string& key) {
  std::int64_t n = 0;
  for (const auto& p : f.pending) {
    if (p.agency == agency && p.past_from == key) n += p.count;
  }
  return n;
}

}  // namespace

// Every change that moves a figure moves it in its own transaction, and the counts are what a
// direct count of the rows gives: applications per form, agency, quarter and channel (FY2024 Q3
// is April to June 2024, FY2025 Q1 October to December 2024), drafts started, pending keys
// moved and decisions counted by the moves the posts carry, nothing for a post that lost its
// number. Then retention deletes the rows, and the figures stay as they were.
BOOST_DATA_TEST_CASE(figures_are_kept_with_each_change_and_outlive_the_rows, both, backend) {
  TestDb db(backend, "figures");
  auto opened = db.open();
  Store& store = *opened;
  std::vector<std::string> refs;
  int i = 0;
  for (const auto& [channel, day, n] : std::vector<std::tuple<std::string, std::string, int>>{
           {"web", "2024-05-01", 5}, {"api", "2024-06-30", 3}, {"mail", "2024-04-02", 2}, {"web", "2024-10-01", 4},
           {"phone", "2024-12-31", 1}}) {
    for (int k = 0; k < n; ++k) {
      refs.push_back(store.save_submission(figure_sample(++i, channel, day, {"ssa", "usps"}, "2024-07-01"), t0)
                         .submission->reference);
    }
  }
  // One routed to ssa alone, with no standard (no past_from): pending under never_past.
  store.save_submission(figure_sample(++i, "web", "2024-05-02", {"ssa"}, ""), t0);
  // A replay stores nothing and counts nothing.
  NewSubmission keyed = figure_sample(++i, "api", "2024-05-03", {"usps"}, "2024-07-01");
  keyed.idempotency = IdempotencyKey{"client", "k1", request_fingerprint("body")};
  BOOST_TEST(store.save_submission(keyed, t0).status == SaveResult::Status::Stored);
  BOOST_TEST(store.save_submission(keyed, t0).status == SaveResult::Status::Replayed);
  // Drafts started, counted by the quarter of their UTC day (t0 is 14 November 2023: FY2024 Q1).
  for (int k = 0; k < 3; ++k) store.create_draft(draft_of(some_answers), t0);

  FigureCounts f = store.figure_counts();
  // Against a direct count of the rows, cell by cell.
  for (const auto& a : f.applications) {
    const auto q = askonce::engine::parse_fiscal_quarter(a.quarter).value();
    const std::string days = "s.date_received BETWEEN '" + askonce::engine::to_iso(q.first_day()) + "' AND '" +
                             askonce::engine::to_iso(q.last_day()) + "' AND s.form_id = '" + a.form_id +
                             "' AND s.channel = '" + a.channel + "'";
    const std::int64_t direct =
        a.agency.empty() ? db.count("submissions s WHERE " + days)
                         : db.count("outbox o JOIN submissions s ON s.id = o.submission_id WHERE " + days +
                                    " AND o.agency = '" + a.agency + "'");
    BOOST_TEST(a.count == direct, a.agency << " " << a.quarter << " " << a.channel);
  }
  BOOST_TEST(applications_in(f, "", "FY2024 Q3", "web") == 6);
  BOOST_TEST(applications_in(f, "ssa", "FY2024 Q3", "web") == 6);
  BOOST_TEST(applications_in(f, "usps", "FY2024 Q3", "web") == 5);
  BOOST_TEST(applications_in(f, "", "FY2024 Q3", "api") == 4);
  BOOST_TEST(applications_in(f, "", "FY2024 Q3", "mail") == 2);
  BOOST_TEST(applications_in(f, "", "FY2025 Q1", "web") == 4);
  BOOST_TEST(applications_in(f, "", "FY2025 Q1", "phone") == 1);
  std::int64_t all = 0;
  for (const auto& a : f.applications) all += a.agency.empty() ? a.count : 0;
  BOOST_TEST(all == db.count("submissions"));
  BOOST_TEST_REQUIRE(f.started.size() == 1u);
  BOOST_TEST(f.started[0].quarter == "FY2024 Q1");
  BOOST_TEST(f.started[0].count == db.count("journey_events WHERE kind = 'started'"));
  BOOST_TEST(pending_in(f, "ssa", "2024-07-01") == 15);
  BOOST_TEST(pending_in(f, "ssa", std::string(never_past)) == 1);
  BOOST_TEST(pending_in(f, "usps", "2024-07-01") == 16);

  // Mail keyed on 2 July 2024 (FY2024 Q4) whose envelope came on 28 June (FY2024 Q3): the
  // application counts in the quarter it was recorded, its pending (the clock) in the quarter
  // received; a draft counts in the quarter of the day its caller names.
  NewSubmission late_mail = figure_sample(++i, "mail", "2024-06-28", {"ssa"}, "2024-07-12");
  late_mail.day_recorded = "2024-07-02";
  store.save_submission(late_mail, t0);
  NewDraft evening = draft_of(some_answers);
  evening.day = "2024-01-02";  // FY2024 Q2, whatever t0's UTC day
  store.create_draft(evening, t0);
  const FigureCounts with_late = store.figure_counts();
  BOOST_TEST(applications_in(with_late, "", "FY2024 Q4", "mail") == 1);
  BOOST_TEST(applications_in(with_late, "ssa", "FY2024 Q4", "mail") == 1);
  BOOST_TEST(applications_in(with_late, "", "FY2024 Q3", "mail") == 2);
  bool pending_received = false;
  for (const auto& p : with_late.pending) {
    pending_received |= p.past_from == "2024-07-12" && p.quarter == "FY2024 Q3" && p.channel == "mail" && p.count == 1;
  }
  BOOST_TEST(pending_received);
  BOOST_TEST_REQUIRE(with_late.started.size() == 2u);
  BOOST_TEST(with_late.started[1].quarter == "FY2024 Q2");
  BOOST_TEST(with_late.started[1].count == 1);
  NewSubmission bad_day = figure_sample(++i, "web", "2024-06-28", {"ssa"}, "");
  bad_day.day_recorded = "2024-13-02";
  BOOST_CHECK_THROW(store.save_submission(bad_day, t0), StoreError);

  // Posts: need_info (waiting on the citizen), in_review (past from a later day), decided.
  const std::string& r = refs.front();  // web, FY2024 Q3
  FigureMove asked{"2024-07-01", std::string(never_past), std::nullopt, "", false, false};
  BOOST_TEST(store.append_agency_status(r, status_of("ssa", 1, "need_info", t0), std::nullopt, t0, asked));
  FigureMove answered{std::string(never_past), "2024-07-09", std::nullopt, "", false, false};
  BOOST_TEST(store.append_agency_status(r, status_of("ssa", 2, "in_review", t0), std::nullopt, t0, answered));
  // A post whose number is taken stores nothing and moves nothing.
  BOOST_TEST(!store.append_agency_status(r, status_of("ssa", 2, "decided", t0), std::nullopt, t0, answered));
  // Decisions count in the quarter of the day decided (FY2025 Q1: an application of FY2024 Q3).
  FigureMove decided{"2024-07-09", "", 12, "FY2025 Q1", true, true};
  BOOST_TEST(store.append_agency_status(r, status_of("ssa", 3, "decided", t0), std::nullopt, t0, decided));
  FigureMove late{"2024-07-01", "", 40, "FY2024 Q4", true, false};
  BOOST_TEST(store.append_agency_status(refs[1], status_of("ssa", 1, "decided", t0), std::nullopt, t0, late));
  BOOST_TEST(store.append_agency_status(refs[2], status_of("ssa", 1, "decided", t0), std::nullopt, t0, late));

  f = store.figure_counts();
  BOOST_TEST(pending_in(f, "ssa", "2024-07-01") == 12);
  BOOST_TEST(pending_in(f, "ssa", "2024-07-09") == 0);
  BOOST_TEST(pending_in(f, "ssa", std::string(never_past)) == 1);
  // Pending + decided = the agency's applications; decided = the rows that say so.
  std::int64_t pending = 0, decided_count = 0;
  for (const auto& p : f.pending) pending += p.agency == "ssa" ? p.count : 0;
  BOOST_TEST_REQUIRE(f.decisions.size() == 2u);
  for (const auto& d : f.decisions) decided_count += d.decided;
  BOOST_TEST(decided_count == db.count("agency_statuses WHERE status = 'decided'"));
  BOOST_TEST(pending + decided_count == db.count("outbox WHERE agency = 'ssa'"));
  // Sorted by quarter: FY2024 Q4 (the two late ones), then FY2025 Q1.
  BOOST_TEST(f.decisions[0].days == 40);
  BOOST_TEST(f.decisions[0].decided == 2);
  BOOST_TEST(f.decisions[0].judged == 2);
  BOOST_TEST(f.decisions[0].within == 0);
  BOOST_TEST(f.decisions[0].quarter == "FY2024 Q4");
  BOOST_TEST(f.decisions[0].channel == "web");
  BOOST_TEST(f.decisions[1].days == 12);
  BOOST_TEST(f.decisions[1].within == 1);
  BOOST_TEST(f.decisions[1].quarter == "FY2025 Q1");

  // Retention deletes every row; the figures stay as they were published.
  for (const auto& ref : refs) {
    store.acknowledge("ssa", ref, t0);
    store.acknowledge("usps", ref, t0);
  }
  RetentionPolicy policy;
  policy.delivered_views = std::chrono::hours(1);
  policy.dead_letters = std::chrono::hours(1);
  policy.submissions = std::chrono::hours(1);
  store.sweep(policy, t0 + std::chrono::hours(48));
  BOOST_TEST(db.count("submissions") < static_cast<std::int64_t>(refs.size()));
  const FigureCounts after = store.figure_counts();
  BOOST_TEST(after.applications.size() == f.applications.size());
  for (std::size_t k = 0; k < std::min(after.applications.size(), f.applications.size()); ++k) {
    BOOST_TEST(after.applications[k].count == f.applications[k].count);
  }
  BOOST_TEST(after.decisions.size() == f.decisions.size());
  BOOST_TEST(pending_in(after, "ssa", "2024-07-01") == 12);
}

// Saves from many threads at once, grouped into shared commits, each counted exactly once.
BOOST_DATA_TEST_CASE(figures_count_every_save_of_concurrent_groups, both, backend) {
  TestDb db(backend, "figures-groups");
  auto opened = db.open();
  Store& store = *opened;
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 10; ++k) {
        store.save_submission(figure_sample(t * 100 + k, k % 2 ? "web" : "api", "2026-10-0" + std::to_string(1 + k % 9),
                                            {"ssa"}, "2026-11-01"),
                              t0);
      }
    });
  }
  for (auto& t : threads) t.join();
  const FigureCounts f = store.figure_counts();
  BOOST_TEST(applications_in(f, "", "FY2027 Q1", "web") == 80);
  BOOST_TEST(applications_in(f, "", "FY2027 Q1", "api") == 80);
  BOOST_TEST(applications_in(f, "ssa", "FY2027 Q1", "api") == 80);
  BOOST_TEST(pending_in(f, "ssa", "2026-11-01") == 160);
  BOOST_TEST(db.count("submissions") == 160);
}
