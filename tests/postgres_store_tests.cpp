// tests/postgres_store_tests.cpp: what only the PostgreSQL backend has, on a real PostgreSQL
// (the `postgres` fixture's throwaway cluster, one database per case; the reconnect case on a
// cluster of its own): migrations kept apart from serving, a server role that cannot change the
// schema, connection settings that do not depend on the server's, agency cursors against
// transactions that commit out of order or stay open, idempotency and delivery leases raced by
// two nodes, reconnecting after PostgreSQL restarts, and no password in any message. The
// cases every backend shares are in store_tests.cpp.
#define BOOST_TEST_MODULE postgres_store_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <latch>
#include <map>
#include <sstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/store/open_store.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/reference.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"

using namespace askonce::server;
using namespace std::chrono_literals;
using askonce::test::fresh_pg_database;

namespace {

const TimePoint t0 = TimePoint(std::chrono::milliseconds(1'700'000'000'000));

NewSubmission sample(int i, const std::vector<std::string>& agencies = {"ssa", "usps"}) {
  return askonce::test::sample_submission(i, agencies, "ssa");
}

std::unique_ptr<PostgresStore> open(const std::string& conninfo) {
  PostgresOptions o;
  o.conninfo = conninfo;
  o.drafts.keys = askonce::test::test_keys();
  return std::make_unique<PostgresStore>(o);
}

// A fresh database, migrated as an operator would before serving.
std::unique_ptr<askonce::test::PgDatabase> migrated_database() {
  auto db = fresh_pg_database();
  migrate_postgres(db->conninfo(), std::nullopt);
  return db;
}

// The message of the StoreError `f` throws; fails the test when it throws none.
template <class F>
std::string store_error(F&& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.what();
  }
  BOOST_FAIL("no StoreError");
  return {};
}

// The references of every row `agency` lists, following the cursor page by page to the end.
std::vector<std::string> pull_all(Store& store, const std::string& agency, std::string& cursor, std::size_t page = 3) {
  std::vector<std::string> out;
  for (int pages = 0; pages < 1000; ++pages) {
    auto p = store.list_for_agency(agency, cursor, page).value();
    for (const auto& i : p.items) out.push_back(i.reference);
    if (p.items.empty()) {
      BOOST_TEST(p.next_cursor == cursor);
      break;
    }
    cursor = p.next_cursor;
  }
  return out;
}

// pull_all until at least `n` rows came (or 20 s passed): a committed row shows once every
// older transaction of the cluster has ended, which a test running beside may delay a moment.
std::vector<std::string> pull_until(Store& store, const std::string& agency, std::string& cursor, std::size_t n,
                                    std::size_t page = 3) {
  std::vector<std::string> out;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto more = pull_all(store, agency, cursor, page);
    out.insert(out.end(), more.begin(), more.end());
    if (out.size() < n) std::this_thread::sleep_for(10ms);
  }
  return out;
}

}  // namespace

namespace askonce::server {
std::ostream& operator<<(std::ostream& o, SaveResult::Status s) { return o << static_cast<int>(s); }
}  // namespace askonce::server

// --- choosing the backend, and printing it ---

BOOST_AUTO_TEST_CASE(is_postgres_tells_the_backends_apart) {
  BOOST_TEST(is_postgres("postgresql://askonce@db.example.org/askonce"));
  BOOST_TEST(is_postgres("postgres://db/askonce"));
  BOOST_TEST(is_postgres("host=db.example.org dbname=askonce"));
  BOOST_TEST(is_postgres("dbname=askonce"));
  BOOST_TEST(is_postgres("service=askonce"));
  BOOST_TEST(is_postgres("  user = askonce"));
  BOOST_TEST(is_postgres("port=5432 host=/run/postgresql"));
  BOOST_TEST(!is_postgres("askonce.db"));
  BOOST_TEST(!is_postgres("/var/lib/askonce/askonce.db"));
  BOOST_TEST(!is_postgres("data/a=b.db"));  // a '=' in a path is not a keyword
  BOOST_TEST(!is_postgres("notakeyword=1"));
  BOOST_TEST(!is_postgres(""));
}

BOOST_AUTO_TEST_CASE(describe_location_hides_passwords) {
  BOOST_TEST(describe_location("/var/lib/askonce/askonce.db") == "/var/lib/askonce/askonce.db");
  BOOST_TEST(describe_location("postgresql://askonce:s3cret@db.example.org:5432/askonce?sslmode=verify-full") ==
             "postgresql://askonce@db.example.org:5432/askonce?sslmode=verify-full");
  BOOST_TEST(describe_location("postgres://askonce@db/askonce") == "postgres://askonce@db/askonce");
  BOOST_TEST(describe_location("postgresql://db/askonce") == "postgresql://db/askonce");
  BOOST_TEST(describe_location("postgresql://u:p%40ss@db/x") == "postgresql://u@db/x");
  BOOST_TEST(describe_location("postgresql://u:p@ss@db/x") == "postgresql://u@db/x");  // an unescaped '@'
  BOOST_TEST(describe_location("postgresql://db/askonce?user=u&password=s3cret&sslmode=require") ==
             "postgresql://db/askonce?user=u&sslmode=require");
  BOOST_TEST(describe_location("postgresql://db/askonce?pass%77ord=s3cret") == "postgresql://db/askonce");
  BOOST_TEST(describe_location("host=db user=askonce password=s3cret dbname=askonce") ==
             "host=db user=askonce dbname=askonce");
  BOOST_TEST(describe_location("host=db password = 's3 cr\\'et' dbname=askonce") == "host=db dbname=askonce");
  BOOST_TEST(describe_location("password=s3cret") == "");
  BOOST_TEST(describe_location("host=db PassWord=s3cret") == "host=db");
  BOOST_TEST(describe_location("postgresql://db/x?PASSWORD=s3cret&a=b") == "postgresql://db/x?a=b");
  BOOST_TEST(describe_location("host=db password='unterminated s3cret") == "host=db ...");
  for (const char* db : {"postgresql://u:s3cret@h/d", "host=h password=s3cret", "postgresql://h/d?password=s3cret",
                         "host=h password='s3cret"}) {
    BOOST_TEST(describe_location(db).find("s3cret") == std::string::npos, db);
  }
}

BOOST_AUTO_TEST_CASE(open_store_opens_the_backend_db_names) {
  auto db = migrated_database();
  auto store = open_store(db->conninfo(), {});
  BOOST_TEST(dynamic_cast<PostgresStore*>(store.get()) != nullptr);
  auto ref = store->save_submission(sample(1), t0).submission->reference;
  BOOST_TEST(open_store(db->conninfo(), {})->find_submission(ref).has_value());
  askonce::test::TempDir dir("open-store");
  auto sqlite = open_store((dir.path / "askonce.db").string(), {});
  BOOST_TEST(dynamic_cast<PostgresStore*>(sqlite.get()) == nullptr);
  BOOST_TEST(!sqlite->find_submission(ref).has_value());
}

BOOST_AUTO_TEST_CASE(libpq_environment_variables_fill_in_what_the_url_leaves_out) {
  // A deployment may name only the database and leave the rest to PGHOST, PGPORT, PGUSER (and
  // PGPASSWORD, PGSSLMODE...), as libpq reads them: the test cluster's, taken from its conninfo.
  auto db = migrated_database();
  std::map<std::string, std::string> parts;
  std::istringstream words(askonce::test::pg_cluster_conninfo(askonce::test::pg_cluster_dir()));
  for (std::string w; words >> w;) {
    const auto eq = w.find('=');
    parts[w.substr(0, eq)] = w.substr(eq + 1);
  }
  ::setenv("PGHOST", parts.at("host").c_str(), 1);
  ::setenv("PGPORT", parts.at("port").c_str(), 1);
  ::setenv("PGUSER", parts.at("user").c_str(), 1);
  struct Unset {
    ~Unset() {
      ::unsetenv("PGHOST");
      ::unsetenv("PGPORT");
      ::unsetenv("PGUSER");
    }
  } unset;
  const std::string url = "postgresql:///" + db->name();
  BOOST_TEST(is_postgres(url));
  auto store = open_store(url, {});
  const auto ref = store->save_submission(sample(1), t0).submission->reference;
  BOOST_TEST(open_store("dbname=" + db->name(), {})->find_submission(ref).has_value());
}

// --- no password in any message ---

BOOST_AUTO_TEST_CASE(no_password_in_connection_errors) {
  const std::string secret = "hunter2-s3cret";
  for (const std::string& conninfo :
       {"host=/nonexistent-askonce port=5999 user=askonce password=" + secret + " dbname=askonce",
        "postgresql://askonce:" + secret + "@/askonce?host=/nonexistent-askonce&port=5999",
        "postgresql:///askonce?host=/nonexistent-askonce&port=5999&password=" + secret,
        "host=/nonexistent-askonce password='" + secret,  // malformed: libpq would quote it
        "host=/nonexistent-askonce " + secret}) {
    const std::string what = store_error([&] { open(conninfo); });
    BOOST_TEST(what.find(secret) == std::string::npos, what);
    BOOST_TEST(what.rfind("database: ", 0) == 0u, what);
    const std::string migrate = store_error([&] { migrate_postgres(conninfo, std::nullopt); });
    BOOST_TEST(migrate.find(secret) == std::string::npos, migrate);
  }
  // A password with an unescaped '@' or '/' in a URL: libpq would read the rest of it as the
  // host or the port, and quote that in its error. Not a piece of it is shown.
  for (const std::string& conninfo : {std::string("postgresql://askonce:hun@ter2s3cret@/askonce?host=/nonexistent-askonce"),
                                      std::string("postgresql://askonce:hun/ter2s3cret@/askonce?host=/nonexistent-askonce")}) {
    const std::string what = store_error([&] { open(conninfo); });
    BOOST_TEST(what.find("ter2s3cret") == std::string::npos, what);
    BOOST_TEST(what.find("hun") == std::string::npos, what);
    BOOST_TEST(what.find("%40") != std::string::npos, what);
  }
}

// --- schema and roles ---

BOOST_AUTO_TEST_CASE(refuses_an_unmigrated_database_with_the_migrate_hint) {
  auto db = fresh_pg_database();
  const std::string latest = std::to_string(postgres_migrations().back().version);
  const std::string what = store_error([&] { open(db->conninfo()); });
  BOOST_TEST(what ==
                 "the database schema is version 0; this askonce needs " + latest +
                     ": run `askonce db migrate --db ...` as the role that owns the schema",
             what);
  // A database an older askonce migrated (to version 2) is refused the same way, untouched.
  {
    askonce::server::pg::Connection c(db->conninfo());
    c.exec("CREATE TABLE schema_version (version integer NOT NULL)");
    for (const auto& m : postgres_migrations()) {
      if (m.version > 2) break;
      for (const auto& sql : m.statements) c.exec(sql);
    }
    c.exec("INSERT INTO schema_version VALUES (2)");
  }
  const std::string older = store_error([&] { open(db->conninfo()); });
  BOOST_TEST(older.find("the database schema is version 2; this askonce needs " + latest + ": run `askonce db migrate") == 0u,
             older);
  // migrate = true (tests, one-role setups) applies what is missing, and the store opens.
  PostgresOptions o;
  o.conninfo = db->conninfo();
  o.migrate = true;
  PostgresStore store(o);
  BOOST_TEST(store.schema_version() == postgres_migrations().back().version);
  BOOST_TEST(store.check_integrity().empty());
  BOOST_TEST(migrate_postgres(db->conninfo(), std::nullopt) == postgres_migrations().back().version);  // nothing left to do
}

BOOST_AUTO_TEST_CASE(refuses_a_newer_schema) {
  auto db = migrated_database();
  askonce::server::pg::Connection c(db->conninfo());
  c.exec("UPDATE schema_version SET version = 99");
  const std::string latest = "(" + std::to_string(postgres_migrations().back().version) + ")";
  const std::string what = store_error([&] { open(db->conninfo()); });
  BOOST_TEST(what.find("the database schema is version 99, newer than this askonce knows " + latest) == 0u, what);
  const std::string migrate = store_error([&] { migrate_postgres(db->conninfo(), std::nullopt); });
  BOOST_TEST(migrate.find("version 99, newer than this askonce knows " + latest) != std::string::npos, migrate);
  BOOST_TEST(c.exec("SELECT version FROM schema_version").integer(0, 0) == 99);  // left alone
}

BOOST_AUTO_TEST_CASE(migrators_at_once_apply_each_migration_once) {
  auto db = fresh_pg_database();
  constexpr int migrators = 6;
  std::vector<int> versions(migrators, -1);
  std::vector<std::string> errors(migrators);
  std::latch start(migrators);
  std::vector<std::thread> pool;
  for (int i = 0; i < migrators; ++i) {
    pool.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        versions[i] = migrate_postgres(db->conninfo(), std::nullopt);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : pool) t.join();
  for (int i = 0; i < migrators; ++i) {
    BOOST_TEST(errors[i].empty(), errors[i]);
    BOOST_TEST(versions[i] == postgres_migrations().back().version);
  }
  askonce::server::pg::Connection c(db->conninfo());
  BOOST_TEST(c.exec("SELECT count(*) FROM schema_version").integer(0, 0) == 1);
  auto names = c.exec(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND c.relname NOT LIKE '%_pkey'"
      " AND c.relname NOT LIKE '%_key' ORDER BY 1");
  std::vector<std::string> got;
  for (int i = 0; i < names.rows(); ++i) got.push_back(names.text(i, 0));
  const std::vector<std::string> expected = {
      "agency_statuses", "agency_tokens", "agency_tokens_agency", "attempts", "audit_log", "definition_sources",
      "definitions", "drafts", "drafts_link", "drafts_session", "drafts_updated", "feedback", "feedback_answered",
      "feedback_offered", "figure_applications", "figure_decisions", "figure_floor", "figure_pending", "figure_points",
      "figure_snapshots", "figure_started", "journey_events", "journey_events_form", "mail", "mail_due", "mail_links",
      "mail_links_submission", "outbox", "outbox_agency", "outbox_due", "receipt_contacts", "receipt_sessions",
      "receipt_sessions_submission", "retention_floors", "schema_version", "staff",
      "staff_recovery_codes", "staff_sessions", "staff_sessions_staff", "submissions", "submissions_stored"};
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  // Times are bigint milliseconds and ids identities BY DEFAULT, as a copy from SQLite needs.
  BOOST_TEST(c.exec("SELECT data_type FROM information_schema.columns WHERE table_name = 'outbox' AND"
                    " column_name = 'next_attempt_at'")
                 .text(0, 0) == "bigint");
  BOOST_TEST(c.exec("SELECT identity_generation FROM information_schema.columns WHERE table_name = 'outbox' AND"
                    " column_name = 'id'")
                 .text(0, 0) == "BY DEFAULT");
}

BOOST_AUTO_TEST_CASE(a_granted_role_runs_the_store_but_cannot_change_the_schema) {
  auto db = fresh_pg_database();
  const std::string role = "askonce_server_" + db->name().substr(std::string("askonce_test_").size());
  askonce::server::pg::Connection admin(db->conninfo());
  admin.exec("CREATE ROLE " + role + " LOGIN");
  struct DropRole {
    askonce::server::pg::Connection& admin;
    std::string role;
    ~DropRole() {
      try {
        admin.exec("DROP OWNED BY " + role);
        admin.exec("DROP ROLE " + role);
      } catch (...) {
      }
    }
  } drop{admin, role};
  BOOST_TEST(migrate_postgres(db->conninfo(), role) == postgres_migrations().back().version);
  const std::string as_role = db->conninfo() + " user=" + role;

  // The whole store, as the role.
  {
    auto store = open(as_role);
    auto keyed = sample(1);
    keyed.idempotency = IdempotencyKey{"client", "k", request_fingerprint("b")};
    auto saved = store->save_submission(keyed, t0);
    BOOST_TEST(saved.status == SaveResult::Status::Stored);
    BOOST_TEST(store->save_submission(keyed, t0).status == SaveResult::Status::Replayed);
    const auto ref = saved.submission->reference;
    BOOST_TEST(store->verify_receipt(ref, saved.receipt_secret));
    BOOST_TEST(store->find_submission(ref).value().deliveries.size() == 2u);
    BOOST_TEST(store->list_for_agency("ssa", "", 10).value().items.size() == 1u);
    BOOST_TEST(store->fetch_for_agency("usps", ref).has_value());
    auto claimed = store->claim_deliveries({"w", t0, 30s, 10, std::string("ssa")});
    BOOST_TEST_REQUIRE(claimed.size() == 1u);
    BOOST_TEST(store->mark_failed(claimed[0].outbox_id, "w", "HTTP 500", std::nullopt));
    BOOST_TEST(store->redrive(claimed[0].outbox_id, t0));
    BOOST_TEST(store->release_delivery(store->claim_deliveries({"w", t0, 30s, 10, std::nullopt}).at(0).outbox_id, "w"));
    BOOST_TEST(store->acknowledge("usps", ref, t0));
    auto token = store->create_token("ssa", t0);
    BOOST_TEST(store->verify_token(token.token).value_or("") == "ssa");
    BOOST_TEST(store->revoke_token(token.info.id, t0));
    store->archive_definition({"sha256:d", "f", 1, {{"f.form", "form f {}"}}});
    BOOST_TEST(store->find_definition("sha256:d").has_value());
    BOOST_TEST(store->submission_count() == 1);
    BOOST_TEST(!store->delivery_counts().empty());
    BOOST_TEST(store->check_integrity().empty());
    BOOST_TEST(store->schema_version() == postgres_migrations().back().version);
    // Drafts: made, changed, submitted (consumed), deleted, swept, counted.
    NewDraft nd{"change_of_address", 1, "sha256:d", "en", "web", {{"person.ssn", "078-05-1120"}}};
    const auto draft = store->create_draft(nd, t0);
    BOOST_TEST(store->update_draft(draft.id, {{"a", "b"}}, "es", t0));
    BOOST_TEST(store->find_draft(draft.id, t0).value().answers.size() == 1u);
    auto from_draft = sample(2);
    from_draft.idempotency = IdempotencyKey{"draft/change_of_address", draft.id, "sha256:x"};
    from_draft.consumes_draft = draft.id;
    BOOST_TEST(store->save_submission(from_draft, t0).status == SaveResult::Status::Stored);
    BOOST_TEST(!store->find_draft(draft.id, t0).has_value());
    BOOST_TEST(store->replay("draft/change_of_address", draft.id).has_value());
    BOOST_TEST(store->delete_draft(store->create_draft(nd, t0).id));
    store->create_draft(nd, t0);
    BOOST_TEST(store->sweep(RetentionPolicy{}, t0 + std::chrono::hours(24 * 31)).drafts == 1);
    BOOST_TEST(store->started_counts().at(0).count == 3);
    // Staff and the audit log (schema 8): the role writes them.
    const auto member = store->create_staff("ana", "agent", "$argon2id$x", t0).value();
    store->create_staff_session("session", member.id, StaffStage::Full, t0);
    BOOST_TEST(store->touch_staff_session("session", t0, 1h, 8h).has_value());
    BOOST_TEST(store->complete_staff_setup(member.id, "$argon2id$y", "sealed", 1, {"c1", "c2"}));
    BOOST_TEST(store->use_recovery_code(member.id, "c2", t0));
    BOOST_TEST(store->record_staff_failure(member.id, t0, 5, 30s, 60s).has_value());
    NewAuditEntry entry;
    entry.staff_id = member.id;
    entry.event = "sign_in";
    BOOST_TEST(store->append_audit(entry, t0, [](const AuditEntry&) { return std::string("hash"); }).seq == 1);
  }
  // And nothing of the schema.
  askonce::server::pg::Connection c(as_role);
  auto refused = [&](const std::string& sql) {
    try {
      c.exec(sql);
    } catch (const askonce::server::pg::Error& e) {
      BOOST_TEST(e.sqlstate() == "42501", sql << ": " << e.what());  // insufficient_privilege
      return;
    }
    BOOST_ERROR("the server role could run: " << sql);
  };
  refused("CREATE TABLE evil (x int)");
  refused("DROP TABLE outbox");
  refused("ALTER TABLE submissions ADD COLUMN evil int");
  refused("CREATE INDEX evil ON outbox (agency)");
  refused("TRUNCATE outbox");
  // The audit log is append-only for the role: no entry can be changed or removed.
  refused("UPDATE audit_log SET detail = 'nothing happened'");
  refused("DELETE FROM audit_log");
  refused("UPDATE schema_version SET version = 99");
}

BOOST_AUTO_TEST_CASE(every_connection_sets_its_own_durability) {
  auto db = migrated_database();
  {
    // Defaults a careless server or role might have: the store must not inherit them.
    askonce::server::pg::Connection c(db->conninfo());
    c.exec("ALTER DATABASE " + db->name() + " SET synchronous_commit = off");
    c.exec("ALTER DATABASE " + db->name() + " SET search_path = nowhere");
  }
  auto store = open(db->conninfo());
  auto s = store->settings();
  BOOST_TEST(s.synchronous_commit == "on");
  BOOST_TEST(s.search_path == "public");
  BOOST_TEST(store->save_submission(sample(1), t0).status == SaveResult::Status::Stored);
  BOOST_TEST(store->submission_count() == 1);
}

BOOST_AUTO_TEST_CASE(check_integrity_finds_a_missing_table) {
  auto db = migrated_database();
  auto store = open(db->conninfo());
  BOOST_TEST(store->check_integrity().empty());
  askonce::server::pg::Connection c(db->conninfo());
  c.exec("DROP TABLE retention_floors");
  auto problems = store->check_integrity();
  BOOST_TEST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0] == "table retention_floors is missing");
}

// --- agency cursors ---

BOOST_AUTO_TEST_CASE(a_row_committed_after_a_later_one_is_not_skipped) {
  auto db = migrated_database();
  auto node1 = open(db->conninfo());
  auto node2 = open(db->conninfo());
  const auto before = node1->save_submission(sample(1, {"ssa"}), t0).submission->reference;

  // Transaction A (a node whose commit is slow) takes an outbox id first and stays open;
  // node2 then stores a row with a larger id, and commits at once.
  askonce::server::pg::Connection a(db->conninfo());
  a.exec("BEGIN");
  const std::string a_ref = new_reference();
  auto sub = a.exec(
      "INSERT INTO submissions (reference, receipt_hash, form_id, version, definition_hash, language, channel,"
      " received, canonical_json, digest, stored_at, date_received)"
      " VALUES ($1, 'h', 'f', 1, 'd', 'en', 'api', 'r', '{}', 'x', 0, '2024-05-01') RETURNING id",
      askonce::server::pg::Params().add(a_ref));
  auto a_row = a.exec(
      "INSERT INTO outbox (submission_id, agency, view_json, next_attempt_at) VALUES ($1, 'ssa', '{}', 0) RETURNING id",
      askonce::server::pg::Params().add(sub.integer(0, 0)));
  const auto b = node2->save_submission(sample(2, {"ssa"}), t0).submission;
  BOOST_TEST_REQUIRE(b->deliveries.at(0).id > a_row.integer(0, 0));  // the later row has the larger id

  // While A is open, the list stops before A's place: B (which sorts after A) is not shown,
  // though committed, and neither is A, which is not.
  std::string cursor;
  auto seen = pull_until(*node1, "ssa", cursor, 1);
  BOOST_TEST((seen == std::vector<std::string>{before}));
  const std::string held = cursor;
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(node1->list_for_agency("ssa", held, 10).value().items.empty());
    std::this_thread::sleep_for(20ms);
  }

  // A commits: the next page from the cursor an agency holds has A's row, then B's.
  a.exec("COMMIT");
  auto next = pull_until(*node1, "ssa", cursor, 2, 1);
  BOOST_TEST((next == std::vector<std::string>{a_ref, b->reference}));
  // Every row once, across all pages.
  std::string from_start;
  auto all = pull_until(*node2, "ssa", from_start, 3, 2);
  BOOST_TEST((all == std::vector<std::string>{before, a_ref, b->reference}));
  // The cursor held while A was open still means the same place.
  BOOST_TEST(node2->list_for_agency("ssa", held, 10).value().items.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_long_transaction_holds_the_feed_back_then_lets_it_all_through) {
  auto db = migrated_database();
  auto store = open(db->conninfo());
  const auto first = store->save_submission(sample(0, {"ssa"}), t0).submission->reference;
  std::string cursor;
  BOOST_TEST(pull_until(*store, "ssa", cursor, 1).size() == 1u);

  // A transaction without an xid (only reads) holds nothing back.
  askonce::server::pg::Connection reader(db->conninfo());
  reader.exec("BEGIN");
  reader.exec("SELECT count(*) FROM outbox");
  const auto seen_anyway = store->save_submission(sample(1, {"ssa"}), t0).submission->reference;
  BOOST_TEST((pull_until(*store, "ssa", cursor, 1) == std::vector<std::string>{seen_anyway}));
  reader.exec("COMMIT");

  // One that has an xid does: rows committed after it began are not listed while it is open.
  askonce::server::pg::Connection longer(db->conninfo());
  longer.exec("BEGIN");
  longer.exec("SELECT pg_current_xact_id()");
  std::vector<std::string> during;
  for (int i = 0; i < 5; ++i) during.push_back(store->save_submission(sample(10 + i, {"ssa"}), t0).submission->reference);
  const std::string held = cursor;
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(pull_all(*store, "ssa", cursor).empty());
    std::this_thread::sleep_for(20ms);
  }
  BOOST_TEST(cursor == held);
  BOOST_TEST(store->fetch_for_agency("ssa", during[0]).has_value());  // fetched by reference, it is there

  longer.exec("ROLLBACK");
  BOOST_TEST(pull_until(*store, "ssa", cursor, during.size(), 2) == during, boost::test_tools::per_element());
  std::string from_start;
  auto all = pull_until(*store, "ssa", from_start, 7, 4);
  BOOST_TEST(all.size() == 7u);
  BOOST_TEST(std::set<std::string>(all.begin(), all.end()).size() == 7u);
  BOOST_TEST(all.front() == first);
}

BOOST_AUTO_TEST_CASE(rows_copied_from_sqlite_keep_their_cursors) {
  auto db = migrated_database();
  // What `db copy` would write: rows with their SQLite ids and xid 0, then the identities moved
  // past them.
  askonce::server::pg::Connection c(db->conninfo());
  std::vector<std::string> copied;
  for (int id = 1; id <= 3; ++id) {
    copied.push_back(new_reference());
    c.exec(
        "INSERT INTO submissions (id, reference, receipt_hash, form_id, version, definition_hash, language, channel,"
        " received, canonical_json, digest, stored_at, date_received)"
        " VALUES ($1, $2, 'h', 'f', 1, 'd', 'en', 'api', 'r', '{}', 'x', 0, '2024-05-01')",
        askonce::server::pg::Params().add(std::int64_t{id}).add(copied.back()));
    c.exec("INSERT INTO outbox (id, submission_id, agency, view_json, next_attempt_at, xid) VALUES ($1, $1, 'ssa', '{}',"
           " 0, 0)",
           askonce::server::pg::Params().add(std::int64_t{id}));
  }
  c.exec("SELECT setval(pg_get_serial_sequence('submissions', 'id'), 3)");
  c.exec("SELECT setval(pg_get_serial_sequence('outbox', 'id'), 3)");
  auto store = open(db->conninfo());
  const auto fresh = store->save_submission(sample(1, {"ssa"}), t0).submission->reference;
  // An agency that had pulled up to row 2 under SQLite holds "c2", and goes on from there.
  std::string cursor = "c2";
  BOOST_TEST((pull_until(*store, "ssa", cursor, 2) == std::vector<std::string>{copied[2], fresh}));
  std::string from_start;
  BOOST_TEST((pull_until(*store, "ssa", from_start, 4, 2) ==
              std::vector<std::string>{copied[0], copied[1], copied[2], fresh}));
}

// --- group commit ---

BOOST_AUTO_TEST_CASE(a_full_group_of_large_saves_goes_through_one_statement) {
  auto db = migrated_database();
  auto store = open(db->conninfo());
  // A lock every INSERT waits for: the first save leads a group of one that waits, and the
  // others queue behind it; released, they go as one full group (512) and the rest.
  askonce::server::pg::Connection blocker(db->conninfo());
  blocker.exec("BEGIN");
  blocker.exec("LOCK TABLE submissions IN SHARE ROW EXCLUSIVE MODE");
  constexpr int callers = 600;
  const std::string pad(20'000, 'x');  // ~60 kB a save: megabytes in one statement
  std::vector<std::optional<SaveResult>> results(callers);
  std::atomic<int> failures{0};
  auto save = [&](int i) {
    try {
      auto n = sample(i);
      n.canonical_json = R"({"n":)" + std::to_string(i) + R"(,"pad":")" + pad + R"("})";
      for (auto& v : n.views) v.json = n.canonical_json;
      results[i] = store->save_submission(n, t0);
    } catch (const std::exception& e) {
      ++failures;
      BOOST_TEST_MESSAGE(e.what());
    }
  };
  std::vector<std::thread> pool;
  pool.emplace_back(save, 0);
  std::this_thread::sleep_for(300ms);
  for (int i = 1; i < callers; ++i) pool.emplace_back(save, i);
  std::this_thread::sleep_for(2s);
  blocker.exec("COMMIT");
  for (auto& t : pool) t.join();
  BOOST_TEST_REQUIRE(failures == 0);
  auto stats = store->write_stats().value();
  BOOST_TEST_MESSAGE(stats.saves << " saves in " << stats.commits << " commits, largest group " << stats.largest_batch);
  BOOST_TEST(stats.saves == static_cast<std::uint64_t>(callers));
  BOOST_TEST(stats.largest_batch == 512u);
  BOOST_TEST(stats.commits == 3u);  // 1, 512, 87
  std::set<std::string> refs;
  for (const auto& r : results) {
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->status == SaveResult::Status::Stored);
    refs.insert(r->submission->reference);
  }
  BOOST_TEST(refs.size() == static_cast<std::size_t>(callers));
  BOOST_TEST(store->submission_count() == callers);
  askonce::server::pg::Connection c(db->conninfo());
  BOOST_TEST(c.exec("SELECT count(*) FROM outbox WHERE length(view_json) > 20000").integer(0, 0) == 2 * callers);
  auto some = store->find_submission(results[300]->submission->reference).value();
  BOOST_TEST(some.canonical_json.size() > 20'000u);
  BOOST_TEST(some.deliveries.at(0).id == results[300]->submission->deliveries.at(0).id);
}

// --- two nodes ---

BOOST_AUTO_TEST_CASE(two_nodes_racing_on_one_key_store_it_once) {
  auto db = migrated_database();
  auto node1 = open(db->conninfo());
  auto node2 = open(db->conninfo());
  constexpr int rounds = 60;
  std::barrier sync(2);
  std::vector<SaveResult> r1(rounds), r2(rounds);
  std::atomic<int> failures{0};
  auto run = [&](PostgresStore& node, std::vector<SaveResult>& out) {
    try {
      for (int i = 0; i < rounds; ++i) {
        auto n = sample(i);
        n.idempotency = IdempotencyKey{"client/race", std::to_string(i), request_fingerprint(n.canonical_json)};
        sync.arrive_and_wait();
        out[i] = node.save_submission(n, t0);
      }
    } catch (const std::exception& e) {
      ++failures;
      BOOST_TEST_MESSAGE(e.what());
    }
  };
  std::thread a([&] { run(*node1, r1); });
  std::thread b([&] { run(*node2, r2); });
  a.join();
  b.join();
  BOOST_TEST_REQUIRE(failures == 0);
  int node1_won = 0;
  for (int i = 0; i < rounds; ++i) {
    const auto& x = r1[i];
    const auto& y = r2[i];
    const bool one_stored = (x.status == SaveResult::Status::Stored) != (y.status == SaveResult::Status::Stored);
    BOOST_TEST_REQUIRE(one_stored, "round " << i << ": " << x.status << " " << y.status);
    const auto& won = x.status == SaveResult::Status::Stored ? x : y;
    const auto& lost = x.status == SaveResult::Status::Stored ? y : x;
    if (&won == &x) ++node1_won;
    BOOST_TEST(lost.status == SaveResult::Status::Replayed);
    BOOST_TEST(lost.submission->reference == won.submission->reference);
    BOOST_TEST(lost.receipt_secret == won.receipt_secret);  // the same receipt link
    BOOST_TEST(lost.submission->deliveries.size() == 2u);
  }
  BOOST_TEST_MESSAGE("node 1 stored " << node1_won << " of " << rounds << " keys");
  BOOST_TEST(node1->submission_count() == rounds);
  askonce::server::pg::Connection c(db->conninfo());
  BOOST_TEST(c.exec("SELECT count(*) FROM outbox").integer(0, 0) == 2 * rounds);
}

BOOST_AUTO_TEST_CASE(a_key_being_stored_by_another_node_waits_for_its_commit) {
  auto db = migrated_database();
  auto node = open(db->conninfo());
  const IdempotencyKey key{"client/slow", "k1", request_fingerprint("body")};
  const std::string idem = sha256_hex(key.scope + std::string(1, '\0') + key.key);
  const std::string salt = "salt-of-the-other-node";
  // The other node's transaction has inserted the key and not committed yet.
  auto other_inserts = [&](askonce::server::pg::Connection& other, const std::string& reference,
                           const std::string& idem_hash) {
    other.exec("BEGIN");
    other.exec(
        "INSERT INTO submissions (reference, receipt_hash, form_id, version, definition_hash, language, channel,"
        " received, canonical_json, digest, idem_hash, idem_fingerprint, idem_salt, stored_at, date_received)"
        " VALUES ($1, 'h', 'f', 1, 'd', 'en', 'api', 'r', '{}', 'x', $2, $3, $4, 0, '2024-05-01')",
        askonce::server::pg::Params().add(reference).add(idem_hash).add(key.fingerprint).add(salt));
  };
  auto keyed = sample(1);
  keyed.idempotency = key;

  // It commits: this node waited on the key's index entry, then answers with the other's.
  {
    askonce::server::pg::Connection other(db->conninfo());
    const std::string reference = new_reference();
    other_inserts(other, reference, idem);
    std::optional<SaveResult> result;
    std::thread save([&] { result = node->save_submission(keyed, t0); });
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(!result.has_value());  // still waiting for the other transaction
    other.exec("COMMIT");
    save.join();
    BOOST_TEST_REQUIRE(result.has_value());
    BOOST_TEST(result->status == SaveResult::Status::Replayed);
    BOOST_TEST(result->submission->reference == reference);
    BOOST_TEST(result->receipt_secret == hmac_sha256_b64url(salt, key.scope + std::string(1, '\0') + key.key +
                                                                      std::string(1, '\0') + key.fingerprint));
  }
  // It rolls back: this node stores the submission itself.
  {
    auto fresh_key = keyed;
    fresh_key.idempotency->key = "k2";
    askonce::server::pg::Connection other(db->conninfo());
    other_inserts(other, new_reference(), sha256_hex(key.scope + std::string(1, '\0') + "k2"));
    std::optional<SaveResult> result;
    std::thread save([&] { result = node->save_submission(fresh_key, t0); });
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(!result.has_value());
    other.exec("ROLLBACK");
    save.join();
    BOOST_TEST_REQUIRE(result.has_value());
    BOOST_TEST(result->status == SaveResult::Status::Stored);
    BOOST_TEST(node->verify_receipt(result->submission->reference, result->receipt_secret));
  }
}

BOOST_AUTO_TEST_CASE(two_nodes_never_claim_one_row_while_its_lease_lives) {
  auto db = migrated_database();
  auto node1 = open(db->conninfo());
  auto node2 = open(db->conninfo());
  constexpr int submissions = 150;
  for (int i = 0; i < submissions; ++i) node1->save_submission(sample(i), t0);
  std::vector<std::int64_t> got1, got2;
  std::atomic<int> failures{0};
  std::latch start(2);
  auto run = [&](PostgresStore& node, const std::string& worker, std::vector<std::int64_t>& got) {
    try {
      start.arrive_and_wait();
      for (;;) {
        auto items = node.claim_deliveries({worker, t0 + 1s, 60s, 7, std::nullopt});
        if (items.empty()) break;
        for (const auto& i : items) got.push_back(i.outbox_id);
      }
    } catch (const std::exception& e) {
      ++failures;
      BOOST_TEST_MESSAGE(e.what());
    }
  };
  std::thread a([&] { run(*node1, "node1", got1); });
  std::thread b([&] { run(*node2, "node2", got2); });
  a.join();
  b.join();
  BOOST_TEST_REQUIRE(failures == 0);
  std::multiset<std::int64_t> all(got1.begin(), got1.end());
  all.insert(got2.begin(), got2.end());
  BOOST_TEST(all.size() == 2u * submissions);
  BOOST_TEST(std::set<std::int64_t>(all.begin(), all.end()).size() == 2u * submissions);  // none twice
  BOOST_TEST_MESSAGE("node 1 claimed " << got1.size() << ", node 2 " << got2.size());
  // Each holds what it claimed; the other cannot mark it.
  if (!got1.empty()) {
    BOOST_TEST(!node2->mark_delivered(got1[0], "node2", t0 + 2s));
    BOOST_TEST(node1->mark_delivered(got1[0], "node1", t0 + 2s));
  }

  // An expired lease is taken over by the other node, and the first can no longer mark it.
  auto db2 = migrated_database();
  auto n1 = open(db2->conninfo());
  auto n2 = open(db2->conninfo());
  n1->save_submission(sample(1, {"ssa"}), t0);
  auto mine = n1->claim_deliveries({"node1", t0, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(mine.size() == 1u);
  BOOST_TEST(n2->claim_deliveries({"node2", t0 + 29s, 30s, 10, std::nullopt}).empty());
  auto taken = n2->claim_deliveries({"node2", t0 + 30s, 30s, 10, std::nullopt});
  BOOST_TEST_REQUIRE(taken.size() == 1u);
  BOOST_TEST(taken[0].outbox_id == mine[0].outbox_id);
  BOOST_TEST(!n1->mark_delivered(mine[0].outbox_id, "node1", t0 + 31s));
  BOOST_TEST(n2->mark_delivered(mine[0].outbox_id, "node2", t0 + 31s));
}

// --- PostgreSQL going away and coming back ---

BOOST_AUTO_TEST_CASE(connections_an_operator_terminated_are_replaced_before_use) {
  auto db = migrated_database();
  auto store = open(db->conninfo());
  const auto ref = store->save_submission(sample(1), t0).submission->reference;
  askonce::server::pg::Connection admin(db->conninfo() + " application_name=test-admin");
  // Every connection of the store (named "askonce" in pg_stat_activity) is terminated, as
  // pg_terminate_backend or a failover does while they sit idle.
  auto killed = admin.exec(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
      " AND application_name = 'askonce'");
  BOOST_TEST(killed.integer(0, 0) == 5);  // the writer and 4 in the pool
  std::this_thread::sleep_for(200ms);
  // No call fails for it: each connection notices on checkout and connects again.
  for (int i = 0; i < 6; ++i) {
    BOOST_TEST(store->find_submission(ref).has_value());
    BOOST_TEST(store->submission_count() >= 1);
  }
  BOOST_TEST(store->save_submission(sample(2), t0).status == SaveResult::Status::Stored);
  // Connected again as they were used: the writer and the pooled ones these calls took.
  const auto back = admin.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                               " AND application_name = 'askonce'")
                        .integer(0, 0);
  BOOST_TEST(back >= 2);
  BOOST_TEST(back <= 5);
}

BOOST_AUTO_TEST_CASE(the_store_reconnects_by_itself_after_a_restart) {
  // A cluster of its own: stopping the fixture's would fail every other test running at once.
  auto dir = askonce::test::fresh_dir("pg", "restart");
  askonce::test::PgCluster cluster((dir / "c").string());
  migrate_postgres(cluster.conninfo(), std::nullopt);
  PostgresOptions o;
  o.conninfo = cluster.conninfo();
  o.connections = 2;
  PostgresStore store(o);
  const auto before = store.save_submission(sample(1), t0).submission->reference;
  BOOST_TEST(store.find_submission(before).has_value());

  cluster.stop_server();
  // Down: every kind of call throws StoreError (the HTTP layer's 503), and keeps throwing.
  for (int i = 0; i < 2; ++i) {
    BOOST_CHECK_THROW(store.save_submission(sample(2), t0), StoreError);
    BOOST_CHECK_THROW(store.find_submission(before), StoreError);
    BOOST_CHECK_THROW(store.list_for_agency("ssa", "", 10), StoreError);
    BOOST_CHECK_THROW(store.claim_deliveries({"w", t0, 30s, 10, std::nullopt}), StoreError);
    BOOST_CHECK_THROW(store.submission_count(), StoreError);
  }
  const std::string what = store_error([&] { store.save_submission(sample(3), t0); });
  BOOST_TEST(what.rfind("database: ", 0) == 0u, what);

  cluster.start_server();
  // Back: the same store object, every connection mended, the first call already.
  auto after = store.save_submission(sample(4), t0);
  BOOST_TEST(after.status == SaveResult::Status::Stored);
  for (int i = 0; i < 4; ++i) {  // more calls than connections: each pooled one was mended
    BOOST_TEST(store.find_submission(before).has_value());
    BOOST_TEST(store.list_for_agency("ssa", "", 10).value().items.size() == 2u);
  }
  BOOST_TEST(store.submission_count() == 2);
  BOOST_TEST(store.check_integrity().empty());
}
