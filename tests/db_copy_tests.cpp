// tests/db_copy_tests.cpp: the `askonce db` commands on real databases (a SQLite file, and the
// `postgres` fixture's cluster). `db copy` from SQLite to PostgreSQL: everything arrives, ids
// included, so receipts, tokens, secrets, dead letters and the cursors agencies hold keep
// working; a file being written to is copied as one consistent snapshot; a database that is
// not empty is refused untouched. `db migrate` and `db version` on both backends.
#define BOOST_TEST_MODULE db_copy_tests
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "pg_support.hpp"
#include "server/store/copy.hpp"
#include "server/store/pg.hpp"
#include "server/staff/audit.hpp"
#include "server/store/postgres_store.hpp"
#include "server_support.hpp"

using namespace askonce;
using namespace std::chrono_literals;

namespace {

server::TimePoint at(std::int64_t seconds) {
  return server::TimePoint(std::chrono::milliseconds(1'700'000'000'000 + seconds * 1000));
}

server::PostgresStore open_pg(const std::string& conninfo) {
  server::PostgresOptions o;
  o.conninfo = conninfo;
  o.connections = 2;
  o.migrate = true;  // as the owner would have, before a server started on it
  o.drafts.keys = test::test_keys();  // the deployment's keys, which both databases share
  return server::PostgresStore(o);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_deployment_moves_whole_and_keeps_working) {
  const auto dir = test::fresh_dir("copy", "whole");
  const auto file = (dir / "askonce.db").string();
  std::vector<std::pair<std::string, std::string>> receipts;  // reference, receipt secret
  std::string cursor_before, ssa_token, usps_token_id;
  std::vector<std::string> ssa_after_cursor;
  {
    server::SqliteStore sqlite(test::sqlite_options(file));
    server::DefinitionRecord d{"sha256:def1", "change_of_address", 1, {{"change-of-address.form", "form x {\n\ttab\\}"},
                                                                       {"common/person.form", "block person {}"}}};
    sqlite.archive_definition(d);
    ssa_token = sqlite.create_token("ssa", at(0)).token;
    auto usps = sqlite.create_token("usps", at(1));
    usps_token_id = usps.info.id;
    sqlite.revoke_token(usps_token_id, at(2));
    for (int i = 0; i < 30; ++i) {
      auto n = test::sample_submission(i, i % 3 == 0 ? std::vector<std::string>{"ssa", "irs"} : std::vector<std::string>{"ssa"},
                                       "irs");
      if (i % 5 == 0) n.idempotency = server::IdempotencyKey{"client", "key-" + std::to_string(i), "sha256:f" + std::to_string(i)};
      // Text COPY must carry as it is: tabs, newlines, backslashes, non-ASCII.
      if (i == 7) n.canonical_json = "{\"note\":\"a\\tb\\\\c\nd\r\u00e9\u4e2d\"}";
      if (i == 8) {  // a mailed paper form keyed by staff (schema 8)
        n.channel = "mail";
        n.staff_id = 12;
        n.date_received = "2024-04-27";
      }
      if (i == 3) {
        // A receipt mail (schema 6): the mail, its link, the contact hash come along too.
        n.mails = [](const std::string& reference) {
          server::NewMail m{"receipt", "es", "ana@example.org", "Solicitud recibida", "Ref " + reference + "\n\tá",
                            "<p>" + reference + "</p>", server::NewMailLink{server::sha256_hex("link-token"), at(5000)}};
          return std::vector<server::NewMail>{m};
        };
        n.contact_hash = "hmac-sha256:contact";
      }
      const auto r = sqlite.save_submission(n, at(10 + i));
      receipts.emplace_back(r.submission->reference, r.receipt_secret);
    }
    // An agency has paged part of the way: its cursor must go on from there after the move.
    const auto page = sqlite.list_for_agency("ssa", "", 12);
    BOOST_REQUIRE(page);
    cursor_before = page->next_cursor;
    const auto rest = sqlite.list_for_agency("ssa", cursor_before, 100);
    for (const auto& item : rest->items) ssa_after_cursor.push_back(item.reference);
    BOOST_REQUIRE_EQUAL(ssa_after_cursor.size(), 18u);
    // Deliveries in every state.
    BOOST_TEST(sqlite.acknowledge("ssa", receipts[0].first, at(100)));
    auto claimed = sqlite.claim_deliveries({"w", at(200), std::chrono::seconds(60), 2, std::string("irs")});
    BOOST_REQUIRE_EQUAL(claimed.size(), 2u);
    BOOST_TEST(sqlite.mark_failed(claimed[0].outbox_id, "w", "HTTP 500", std::nullopt));  // a dead letter
    // Drafts on their way back (schema 7): one with a resume link in a mail, one whose link
    // was opened, its session held by a browser.
    server::NewDraft draft{"change_of_address", 1, "sha256:def1", "en", "web", {{"person.name.first", "Ana"}}};
    const server::NewMail resume{"resume", "en", "bo@example.org", "s", "t", "h", std::nullopt};
    const auto linked = sqlite.create_draft(draft, at(800));
    BOOST_TEST(sqlite.enqueue_resume_mail(resume, linked.id, {server::sha256_hex("resume-token"), at(5000)}, at(800))
                   .has_value());
    const auto in_session = sqlite.create_draft(draft, at(800));
    BOOST_TEST(sqlite.enqueue_resume_mail(resume, in_session.id, {server::sha256_hex("resume-token-2"), at(5000)},
                                          at(800))
                   .has_value());
    BOOST_TEST(sqlite.open_resume_link(server::sha256_hex("resume-token-2"), server::sha256_hex("resume-session"),
                                       at(5000), at(801)).has_value());
    // Staff (schema 8): an account set up, its recovery codes, a session, and an audit chain.
    const auto member = sqlite.create_staff("ana", "supervisor", "$argon2id$temporary", at(900)).value();
    BOOST_TEST(sqlite.complete_staff_setup(member.id, "$argon2id$own", "sealed", 40, {"code-1", "code-2"}));
    sqlite.create_staff_session(server::sha256_hex("staff-session"), member.id, server::StaffStage::Full, at(901));
    const server::staff::AuditLog audit(test::test_keys());
    for (int i = 0; i < 3; ++i) audit.append(sqlite, {member.id, "sign_in", "", "", ""}, at(902 + i));
  }

  const auto pg = test::fresh_pg_database();
  const auto copied = test::run_cli({"db", "copy", "--from", file, "--to", pg->conninfo()});
  BOOST_TEST_REQUIRE(copied.code == 0, copied.err);
  BOOST_TEST(copied.out.find("submissions: 30 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("outbox: 40 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("mail: 3 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("drafts: 2 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("mail_links: 1 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("receipt_contacts: 1 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("staff: 1 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("staff_recovery_codes: 2 rows") != std::string::npos, copied.out);
  BOOST_TEST(copied.out.find("audit_log: 3 rows") != std::string::npos, copied.out);

  // The report compares what each database returns: the same counts and digests.
  auto store = open_pg(pg->conninfo());
  BOOST_TEST(store.submission_count() == 30);
  const auto mailed = store.find_submission(receipts[8].first).value();
  BOOST_TEST(mailed.channel == "mail");
  BOOST_TEST(mailed.staff_id.value_or(0) == 12);
  BOOST_TEST(mailed.date_received == "2024-04-27");
  BOOST_TEST(store.find_submission(receipts[9].first)->date_received == "2024-05-01");
  // Staff go across whole: the session goes on, the codes still work once, the chain verifies
  // and goes on, and new accounts take ids after the copied one.
  BOOST_TEST(store.touch_staff_session(server::sha256_hex("staff-session"), at(902), std::chrono::hours(1),
                                       std::chrono::hours(8)).has_value());
  BOOST_TEST(store.use_recovery_code(1, "code-2", at(903)));
  BOOST_TEST(!store.use_recovery_code(1, "code-2", at(903)));
  {
    const server::staff::AuditLog audit(test::test_keys());
    BOOST_TEST(audit.verify(store).ok());
    BOOST_TEST(audit.append(store, {1, "sign_out", "", "", ""}, at(999)).seq == 4);
    BOOST_TEST(audit.verify(store).entries == 4);
    BOOST_TEST(store.create_staff("bo", "agent", "$argon2id$x", at(999)).value().id == 2);
  }
  for (const auto& [reference, secret] : receipts) {
    BOOST_TEST(store.verify_receipt(reference, secret), reference);
    BOOST_TEST(!store.verify_receipt(reference, secret + "x"));
  }
  BOOST_TEST(store.find_submission(receipts[7].first)->canonical_json == "{\"note\":\"a\\tb\\\\c\nd\r\u00e9\u4e2d\"}");
  const auto def = store.find_definition("sha256:def1");
  BOOST_REQUIRE(def);
  BOOST_TEST(def->sources.size() == 2u);
  BOOST_TEST(def->sources[0].second == "form x {\n\ttab\\}");
  BOOST_TEST(store.verify_token(ssa_token).value_or("") == "ssa");
  const auto usps_tokens = store.list_tokens("usps");
  BOOST_REQUIRE_EQUAL(usps_tokens.size(), 1u);
  BOOST_TEST(usps_tokens[0].revoked);
  BOOST_TEST(store.dead_letters(0, 10).size() == 1u);
  BOOST_TEST(store.fetch_for_agency("ssa", receipts[0].first)->acknowledged);
  // The lease taken in SQLite came along: the second claimed row is not due to anyone else yet.
  BOOST_TEST(store.claim_deliveries({"other", at(210), std::chrono::seconds(60), 10, std::string("irs")}).size() == 8u);

  // A replay of a key stored before the move answers with the same receipt.
  auto again = test::sample_submission(5, {"ssa"}, "irs");
  again.idempotency = server::IdempotencyKey{"client", "key-5", "sha256:f5"};
  const auto replay = store.save_submission(again, at(300));
  BOOST_TEST((replay.status == server::SaveResult::Status::Replayed));
  BOOST_TEST(replay.submission->reference == receipts[5].first);
  BOOST_TEST(replay.receipt_secret == receipts[5].second);

  // The agency's cursor from SQLite goes on where it was, then on to what arrives here.
  const auto fresh = store.save_submission(test::sample_submission(99, {"ssa"}, ""), at(400));
  BOOST_REQUIRE((fresh.status == server::SaveResult::Status::Stored));
  const auto page = store.list_for_agency("ssa", cursor_before, 100);
  BOOST_REQUIRE(page);
  std::vector<std::string> listed;
  for (const auto& item : page->items) listed.push_back(item.reference);
  auto expected = ssa_after_cursor;
  expected.push_back(fresh.submission->reference);
  BOOST_TEST(listed == expected, boost::test_tools::per_element());
  BOOST_TEST(fresh.submission->deliveries[0].id > 40);  // new ids come after the copied ones

  // The mail outbox came along: the mail is sent from here, its link opens, its contact matches.
  BOOST_TEST(store.contact_matches(receipts[3].first, "hmac-sha256:contact"));
  const auto mails = store.claim_mail({"w", at(500), std::chrono::seconds(60), 10, std::nullopt});
  BOOST_REQUIRE_EQUAL(mails.size(), 1u);  // the resume mails were queued later
  BOOST_TEST(mails[0].text == "Ref " + receipts[3].first + "\n\tá");
  BOOST_TEST(store.open_link(server::sha256_hex("link-token"), server::sha256_hex("s"), at(600), at(500)).value_or("") ==
             receipts[3].first);
  server::NewMail later{"resume", "en", "bo@example.org", "s", "t", "h", std::nullopt};
  BOOST_TEST(store.enqueue_mail(later, at(700)).value_or(0) > mails[0].id + 2);  // ids after the copied ones

  // The drafts' way back came along: the link in the mail opens once, the session lets its
  // citizen back in.
  BOOST_TEST(store.open_resume_link(server::sha256_hex("resume-token"), server::sha256_hex("s2"), at(1000), at(900))
                 .value_or("") == "change_of_address");
  BOOST_TEST(!store.open_resume_link(server::sha256_hex("resume-token"), server::sha256_hex("s3"), at(1000), at(900)));
  const auto back = store.resume_session(server::sha256_hex("resume-session"), at(900));
  BOOST_REQUIRE(back);
  BOOST_TEST(back->answers.at(0).second == "Ana");
  BOOST_TEST(store.find_draft(back->id, at(901)).has_value());
}

BOOST_AUTO_TEST_CASE(a_database_that_is_not_empty_is_refused_untouched) {
  const auto dir = test::fresh_dir("copy", "refused");
  const auto file = (dir / "askonce.db").string();
  {
    server::SqliteStore sqlite(test::sqlite_options(file));
    sqlite.save_submission(test::sample_submission(1, {"ssa"}, ""), at(0));
  }
  const auto pg = test::fresh_pg_database();
  BOOST_TEST_REQUIRE(test::run_cli({"db", "copy", "--from", file, "--to", pg->conninfo()}).code == 0);
  const auto second = test::run_cli({"db", "copy", "--from", file, "--to", pg->conninfo()});
  BOOST_TEST(second.code == 1);
  BOOST_TEST(second.err.find("is not empty (") != std::string::npos, second.err);
  BOOST_TEST(open_pg(pg->conninfo()).submission_count() == 1);

  // A server started on the new database before the copy has archived its forms: refused too.
  const auto pg2 = test::fresh_pg_database();
  open_pg(pg2->conninfo()).archive_definition({"sha256:x", "f", 1, {{"f.form", "form f {}"}}});
  const auto after_serve = test::run_cli({"db", "copy", "--from", file, "--to", pg2->conninfo()});
  BOOST_TEST(after_serve.code == 1);
  BOOST_TEST(after_serve.err.find("definitions has rows") != std::string::npos, after_serve.err);

  // Mistakes in the command are named.
  BOOST_TEST(test::run_cli({"db", "copy", "--from", (dir / "nope.db").string(), "--to", pg->conninfo()}).err.find(
                 "no SQLite database at") != std::string::npos);
  BOOST_TEST(test::run_cli({"db", "copy", "--from", file, "--to", "other.db"}).code == 2);
  BOOST_TEST(test::run_cli({"db", "copy", "--from", file}).code == 2);
}

BOOST_AUTO_TEST_CASE(a_file_in_use_is_copied_as_one_snapshot) {
  const auto dir = test::fresh_dir("copy", "in-use");
  const auto file = (dir / "askonce.db").string();
  server::SqliteStore sqlite(test::sqlite_options(file));
  for (int i = 0; i < 200; ++i) sqlite.save_submission(test::sample_submission(i, {"ssa", "irs"}, "irs"), at(i));
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  // A server keeps storing while the copy runs: every submission with its two outbox rows.
  std::thread writer([&] {
    for (int i = 1000; !stop.load(); ++i) {
      sqlite.save_submission(test::sample_submission(i, {"ssa", "irs"}, "irs"), at(i));
      written.fetch_add(1);
    }
  });
  while (written.load() < 20) std::this_thread::sleep_for(1ms);
  const auto pg = test::fresh_pg_database();
  const auto copied = test::run_cli({"db", "copy", "--from", file, "--to", pg->conninfo()});
  stop = true;
  writer.join();
  BOOST_TEST_REQUIRE(copied.code == 0, copied.err);
  // What was copied is the file at one moment: never a submission without its outbox rows.
  server::pg::Connection c(pg->conninfo());
  const auto subs = c.exec("SELECT count(*) FROM submissions").integer(0, 0);
  const auto rows = c.exec("SELECT count(*) FROM outbox").integer(0, 0);
  const auto orphans =
      c.exec("SELECT count(*) FROM submissions s WHERE (SELECT count(*) FROM outbox o WHERE o.submission_id = s.id) <> 2")
          .integer(0, 0);
  BOOST_TEST(subs >= 220);
  BOOST_TEST(rows == 2 * subs);
  BOOST_TEST(orphans == 0);
  BOOST_TEST(subs < sqlite.submission_count(), "the writer went on after the snapshot");
  BOOST_TEST_MESSAGE(subs << " submissions copied while " << written.load() << " more were being written");
}

BOOST_AUTO_TEST_CASE(db_migrate_and_version_on_both_backends) {
  const int latest = server::sqlite_migrations().back().version;
  const std::string writes = "(this askonce writes " + std::to_string(latest) + ")";
  // PostgreSQL: version reads without changing anything; migrate brings it up to date, once.
  const auto pg = test::fresh_pg_database();
  auto before = test::run_cli({"db", "version", "--db", pg->conninfo()});
  BOOST_TEST(before.code == 0, before.err);
  BOOST_TEST(before.out.find(": schema version 0 " + writes + "; `askonce db migrate` brings it up to date") !=
                 std::string::npos, before.out);
  // A server would not start on it, and says what to run.
  const auto refused = test::run_cli({"agency-token", "list", "ssa", "--db", pg->conninfo()});
  BOOST_TEST(refused.code == 1);
  BOOST_TEST(refused.err.find("run `askonce db migrate") != std::string::npos, refused.err);
  auto migrated = test::run_cli({"db", "migrate", "--db", pg->conninfo()});
  BOOST_TEST(migrated.code == 0, migrated.err);
  BOOST_TEST(migrated.out.find(": schema version " + std::to_string(latest)) != std::string::npos, migrated.out);
  BOOST_TEST(test::run_cli({"db", "migrate", "--db", pg->conninfo()}).code == 0);  // nothing left to do
  BOOST_TEST(test::run_cli({"db", "version", "--db", pg->conninfo()}).out.find(
                 "schema version " + std::to_string(latest) + " " + writes + "\n") != std::string::npos);
  BOOST_TEST(test::run_cli({"agency-token", "list", "ssa", "--db", pg->conninfo()}).code == 0);
  // A newer schema is named as such.
  server::pg::Connection(pg->conninfo()).exec("UPDATE schema_version SET version = 99");
  BOOST_TEST(test::run_cli({"db", "version", "--db", pg->conninfo()}).out.find("written by a newer askonce") !=
             std::string::npos);

  // SQLite: version reads a file without migrating it; migrate creates and migrates one.
  const auto dir = test::fresh_dir("db", "sqlite");
  const auto file = (dir / "askonce.db").string();
  BOOST_TEST(test::run_cli({"db", "version", "--db", file}).err.find("no database at") != std::string::npos);
  BOOST_TEST(test::run_cli({"db", "migrate", "--db", file}).code == 0);
  BOOST_TEST(test::run_cli({"db", "version", "--db", file}).out.find("schema version " + std::to_string(latest)) !=
             std::string::npos);
  // Mistakes are named, and change nothing.
  BOOST_TEST(test::run_cli({"db", "migrate", "--db", file, "--grant", "someone"}).code == 2);
  BOOST_TEST(test::run_cli({"db", "vacuum", "--db", file}).err.find("expected 'migrate', 'version' or 'copy'") !=
             std::string::npos);
  BOOST_TEST(test::run_cli({"db", "migrate", "--db"}).code == 2);
}
