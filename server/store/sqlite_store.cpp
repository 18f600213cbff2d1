// server/store/sqlite_store.cpp: Store over SQLite with Poco::Data. Every value reaches SQL as a
// bound parameter; the only text put into SQL is fixed text of this file.
#include "server/store/sqlite_store.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <limits>
#include <mutex>
#include <type_traits>

#include "server/store/cursor.hpp"
#include "server/store/feedback_rows.hpp"
#include "server/store/group_commit.hpp"
#include "server/store/pool.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {

using namespace store_detail;
using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

// --- the schema ---

// The fiscal quarter of a "YYYY-MM-DD" expression, as engine::FiscalQuarter::label writes it:
// "FY2027 Q1" for October to December 2026.
#define SQLITE_QUARTER(DAY)                                                                       \
  "('FY' || (CAST(substr(" DAY ", 1, 4) AS INTEGER) + (CAST(substr(" DAY ", 6, 2) AS INTEGER) >= 10))" \
  " || ' Q' || ((CAST(substr(" DAY ", 6, 2) AS INTEGER) + 2) % 12 / 3 + 1))"

const std::vector<Migration> migrations = {
    {1,
     {
         "CREATE TABLE submissions ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " reference TEXT NOT NULL UNIQUE,"
         " receipt_hash TEXT NOT NULL,"
         " form_id TEXT NOT NULL,"
         " version INTEGER NOT NULL,"
         " definition_hash TEXT NOT NULL,"
         " language TEXT NOT NULL,"
         " channel TEXT NOT NULL,"
         " received TEXT NOT NULL,"
         " canonical_json TEXT NOT NULL,"
         " digest TEXT NOT NULL,"
         " idem_hash TEXT UNIQUE,"          // sha256(scope NUL key): the key itself is not kept
         " idem_fingerprint TEXT,"
         " idem_salt TEXT,"
         " stored_at INTEGER NOT NULL)",
         "CREATE TABLE outbox ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"  // never reused: cursors stay stable
         " submission_id INTEGER NOT NULL REFERENCES submissions(id),"
         " agency TEXT NOT NULL CHECK (agency <> ''),"
         " view_json TEXT NOT NULL,"
         " view_xml TEXT,"
         " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),"
         " attempts INTEGER NOT NULL DEFAULT 0,"
         " next_attempt_at INTEGER,"
         " lease_owner TEXT,"
         " lease_until INTEGER,"
         " last_error TEXT NOT NULL DEFAULT '',"
         " delivered_at INTEGER,"
         " acked_at INTEGER,"
         " UNIQUE (submission_id, agency))",
         "CREATE TABLE agency_tokens ("
         " id TEXT PRIMARY KEY,"
         " agency TEXT NOT NULL,"
         " token_hash TEXT NOT NULL,"
         " created_at INTEGER NOT NULL,"
         " revoked_at INTEGER)",
     }},
    {2,
     {
         "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
         "CREATE INDEX outbox_agency ON outbox (agency, id)",
         "CREATE INDEX agency_tokens_agency ON agency_tokens (agency)",
     }},
    {3,
     {
         "CREATE TABLE definitions ("
         " hash TEXT PRIMARY KEY CHECK (hash <> ''),"
         " form_id TEXT NOT NULL,"
         " version INTEGER NOT NULL)",
         "CREATE TABLE definition_sources ("
         " hash TEXT NOT NULL REFERENCES definitions(hash),"
         " position INTEGER NOT NULL,"  // the order the files were given in
         " path TEXT NOT NULL,"
         " text TEXT NOT NULL,"
         " PRIMARY KEY (hash, position))",
         "CREATE TABLE settings ("
         " name TEXT PRIMARY KEY,"
         " value TEXT NOT NULL)",
     }},
    {4,
     {
         // Retention: per agency, where the deleted front of its list ends (what a cursor
         // naming a deleted view goes on after), and the highest id deleted (what tells such a
         // cursor from one never issued). xid is PostgreSQL's; 0 here.
         "CREATE TABLE retention_floors ("
         " agency TEXT PRIMARY KEY,"
         " xid INTEGER NOT NULL,"
         " id INTEGER NOT NULL,"
         " max_id INTEGER NOT NULL)",
         "CREATE INDEX submissions_stored ON submissions (stored_at)",
     }},
    {5,
     {
         // Applications in progress. The id the browser holds is not kept, only its SHA-256;
         // the answers are sealed (keyring.hpp) with the row's id_hash as associated data.
         "CREATE TABLE drafts ("
         " id_hash TEXT PRIMARY KEY,"
         " form_id TEXT NOT NULL,"
         " version INTEGER NOT NULL,"
         " definition_hash TEXT NOT NULL,"
         " language TEXT NOT NULL,"
         " channel TEXT NOT NULL,"
         " answers TEXT NOT NULL,"
         " created_at INTEGER NOT NULL,"
         " updated_at INTEGER NOT NULL,"
         " resume_hash TEXT UNIQUE)",  // SHA-256 of the resume code the citizen wrote down
         "CREATE INDEX drafts_updated ON drafts (updated_at)",
         // Attempts at something limited (a resume code's challenge), counted here so that
         // the limit holds across every process on the database.
         "CREATE TABLE attempts ("
         " key TEXT PRIMARY KEY,"
         " window_start INTEGER NOT NULL,"
         " count INTEGER NOT NULL,"
         " until INTEGER NOT NULL)",
         // What happened along the way, without answers: "started" (a draft made), for the
         // published completion rate. Kept when the draft goes.
         "CREATE TABLE journey_events ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " kind TEXT NOT NULL CHECK (kind <> ''),"
         " form_id TEXT NOT NULL,"
         " channel TEXT NOT NULL,"
         " at INTEGER NOT NULL)",
         "CREATE INDEX journey_events_form ON journey_events (form_id, kind)",
     }},
    {6,
     {
         // The mail outbox. Recipient, subject and bodies are NULL once sent: only what
         // metrics and operators need stays.
         "CREATE TABLE mail ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " kind TEXT NOT NULL CHECK (kind <> ''),"
         " language TEXT NOT NULL,"
         " recipient TEXT,"
         " subject TEXT,"
         " body_text TEXT,"
         " body_html TEXT,"
         " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),"
         " attempts INTEGER NOT NULL DEFAULT 0,"
         " created_at INTEGER NOT NULL,"
         " next_attempt_at INTEGER,"
         " lease_owner TEXT,"
         " lease_until INTEGER,"
         " last_error TEXT NOT NULL DEFAULT '',"
         " sent_at INTEGER,"
         " CHECK (state = 'sent' OR recipient IS NOT NULL))",
         "CREATE INDEX mail_due ON mail (state, next_attempt_at)",
         // Single-use receipt links (hashes of their tokens) and the sessions they open; they
         // go with their submission.
         "CREATE TABLE mail_links ("
         " token_hash TEXT PRIMARY KEY,"
         " submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
         " created_at INTEGER NOT NULL,"
         " expires_at INTEGER NOT NULL,"
         " used_at INTEGER)",
         "CREATE INDEX mail_links_submission ON mail_links (submission_id)",
         "CREATE TABLE receipt_sessions ("
         " session_hash TEXT PRIMARY KEY,"
         " submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
         " expires_at INTEGER NOT NULL)",
         "CREATE INDEX receipt_sessions_submission ON receipt_sessions (submission_id)",
         // A keyed hash of the email address a submission gave ("Lost your receipt link?").
         "CREATE TABLE receipt_contacts ("
         " submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,"
         " contact_hash TEXT NOT NULL)",
     }},
    {7,
     {
         // The emailed way back to a draft: its one single-use link (the SHA-256 of the token
         // in the mail) and its one resume session (the SHA-256 of the cookie), each with its
         // expiry. Columns of the draft, so they go with it (expired, deleted, submitted).
         // SQLite cannot add a UNIQUE column: the indexes make them unique (NULLs apart).
         "ALTER TABLE drafts ADD COLUMN link_hash TEXT",
         "ALTER TABLE drafts ADD COLUMN link_expires_at INTEGER",
         "ALTER TABLE drafts ADD COLUMN session_hash TEXT",
         "ALTER TABLE drafts ADD COLUMN session_expires_at INTEGER",
         "CREATE UNIQUE INDEX drafts_link ON drafts (link_hash)",
         "CREATE UNIQUE INDEX drafts_session ON drafts (session_hash)",
     }},
    {8,
     {
         // Keys come from files or the environment, never from the database: the server
         // secrets once kept here (the old CSRF key) go with their table.
         "DROP TABLE settings",
         // The channels staff key (phone, in person, mail): who keyed it, and the day it
         // arrived (for mail the envelope's day; earlier rows: the UTC day received).
         "ALTER TABLE submissions ADD COLUMN date_received TEXT NOT NULL DEFAULT ''",
         "ALTER TABLE submissions ADD COLUMN staff_id INTEGER",
         "UPDATE submissions SET date_received = substr(received, 1, 10)",
     }},
    {9,
     {
         // Staff accounts (server/staff/): an Argon2id hash, never a password; the TOTP secret
         // sealed with the keyring (the database alone opens nothing); the last TOTP step
         // accepted, so each code works once; failures and the lock, shared by every node.
         "CREATE TABLE staff ("
         " id INTEGER PRIMARY KEY,"
         " name TEXT NOT NULL UNIQUE,"
         " role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),"
         " password_hash TEXT NOT NULL,"
         " totp_sealed TEXT,"
         " totp_step INTEGER,"
         " set_up INTEGER NOT NULL DEFAULT 0,"
         " disabled INTEGER NOT NULL DEFAULT 0,"
         " failures INTEGER NOT NULL DEFAULT 0,"
         " locked_until INTEGER,"
         " created_at INTEGER NOT NULL)",
         // One-time recovery codes: their SHA-256 only; used_at once used.
         "CREATE TABLE staff_recovery_codes ("
         " staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
         " code_hash TEXT NOT NULL,"
         " used_at INTEGER,"
         " PRIMARY KEY (staff_id, code_hash))",
         // Sessions: the SHA-256 of the cookie's token; idle and absolute expiry from the
         // times, checked in the query.
         "CREATE TABLE staff_sessions ("
         " token_hash TEXT PRIMARY KEY,"
         " staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
         " stage TEXT NOT NULL CHECK (stage IN ('second_factor', 'set_up', 'full')),"
         " created_at INTEGER NOT NULL,"
         " last_seen_at INTEGER NOT NULL)",
         "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id)",
         // The audit log: numbered without gaps, each entry chained to the one before by a
         // keyed hash (server/staff/audit.hpp). No foreign key: an entry outlives anything.
         "CREATE TABLE audit_log ("
         " seq INTEGER PRIMARY KEY,"
         " at INTEGER NOT NULL,"
         " staff_id INTEGER,"
         " event TEXT NOT NULL,"
         " channel TEXT NOT NULL,"
         " reference TEXT NOT NULL,"
         " detail TEXT NOT NULL,"
         " prev_hash TEXT NOT NULL,"
         " hash TEXT NOT NULL)",
     }},
    {10,
     {
         // Status from agencies: every post kept, numbered from 1 per submission and agency
         // (the number is how two posts at once are told apart: the second finds it taken),
         // deleted with the submission.
         "CREATE TABLE agency_statuses ("
         " submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
         " agency TEXT NOT NULL,"
         " seq INTEGER NOT NULL,"
         " status TEXT NOT NULL CHECK (status IN ('received', 'in_review', 'need_info', 'decided')),"
         " outcome TEXT NOT NULL,"
         " tracking TEXT NOT NULL,"
         " message_name TEXT NOT NULL,"
         " message TEXT NOT NULL,"
         " at INTEGER NOT NULL,"
         " PRIMARY KEY (submission_id, agency, seq))",
     }},
    {11,
     {
         // Feedback (the A-11 survey): one row per application, stage and agency, made when the
         // survey is offered, under a one-way token (feedback_token) and never with the
         // reference, so no foreign key: a row outlives its submission and names no one.
         // went_well and went_badly are sets of driver names joined by ','.
         "CREATE TABLE feedback ("
         " token TEXT PRIMARY KEY,"
         " form_id TEXT NOT NULL,"
         " version INTEGER NOT NULL,"
         " agency TEXT NOT NULL,"
         " channel TEXT NOT NULL,"
         " stage TEXT NOT NULL CHECK (stage IN ('confirmation', 'decision', 'phone', 'in_person')),"
         " offered_on TEXT NOT NULL,"
         " offered_at INTEGER NOT NULL,"
         " answered_at INTEGER,"
         " q1 INTEGER CHECK (q1 BETWEEN 1 AND 5),"
         " q2 INTEGER CHECK (q2 BETWEEN 1 AND 5),"
         " went_well TEXT NOT NULL,"
         " went_badly TEXT NOT NULL,"
         " comment TEXT NOT NULL)",
         "CREATE INDEX feedback_offered ON feedback (offered_at)",
         "CREATE INDEX feedback_answered ON feedback (answered_at) WHERE comment <> ''",
     }},
    {12,
     {
         // Amendments (Store::amend_submission): a corrected submission gives an agency a new
         // version of its view, an outbox row of its own with its own delivery state, so the
         // one row per (submission, agency) becomes one per version. `changed` holds the paths
         // the version changed ('\n' between them; NULL for version 1), `digest` the
         // submission digest a version was made with once a later one replaced it (NULL: the
         // submission's). SQLite cannot drop a UNIQUE constraint: the table is built again,
         // every id kept and the AUTOINCREMENT counter carried over, so no id is ever reused
         // and every cursor keeps its meaning.
         "CREATE TABLE outbox_v12 ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " submission_id INTEGER NOT NULL REFERENCES submissions(id),"
         " agency TEXT NOT NULL CHECK (agency <> ''),"
         " view_json TEXT NOT NULL,"
         " view_xml TEXT,"
         " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),"
         " attempts INTEGER NOT NULL DEFAULT 0,"
         " next_attempt_at INTEGER,"
         " lease_owner TEXT,"
         " lease_until INTEGER,"
         " last_error TEXT NOT NULL DEFAULT '',"
         " delivered_at INTEGER,"
         " acked_at INTEGER,"
         " view_version INTEGER NOT NULL DEFAULT 1 CHECK (view_version >= 1),"
         " changed TEXT,"
         " digest TEXT,"
         " UNIQUE (submission_id, agency, view_version))",
         "INSERT INTO outbox_v12 (id, submission_id, agency, view_json, view_xml, state, attempts, next_attempt_at,"
         " lease_owner, lease_until, last_error, delivered_at, acked_at)"
         " SELECT id, submission_id, agency, view_json, view_xml, state, attempts, next_attempt_at, lease_owner,"
         " lease_until, last_error, delivered_at, acked_at FROM outbox ORDER BY id",
         "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v12', 0"
         " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox_v12')",
         "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ('outbox', 'outbox_v12'))"
         " WHERE name = 'outbox_v12'",
         "DROP TABLE outbox",
         "ALTER TABLE outbox_v12 RENAME TO outbox",
         "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
         "CREATE INDEX outbox_agency ON outbox (agency, id)",
         // The citizen's answer to a need_info is a status row too ("answered"): it ends the
         // pause of the agency's clock (server/http/agency_status.cpp). A CHECK cannot be
         // changed in place either.
         "CREATE TABLE agency_statuses_v12 ("
         " submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,"
         " agency TEXT NOT NULL,"
         " seq INTEGER NOT NULL,"
         " status TEXT NOT NULL CHECK (status IN ('received', 'in_review', 'need_info', 'decided', 'answered')),"
         " outcome TEXT NOT NULL,"
         " tracking TEXT NOT NULL,"
         " message_name TEXT NOT NULL,"
         " message TEXT NOT NULL,"
         " at INTEGER NOT NULL,"
         " fields TEXT NOT NULL DEFAULT '',"  // need_info: names in the agency's view, '\n' between
         " PRIMARY KEY (submission_id, agency, seq))",
         "INSERT INTO agency_statuses_v12 (submission_id, agency, seq, status, outcome, tracking, message_name,"
         " message, at) SELECT submission_id, agency, seq, status, outcome, tracking, message_name,"
         " message, at FROM agency_statuses",
         "DROP TABLE agency_statuses",
         "ALTER TABLE agency_statuses_v12 RENAME TO agency_statuses",
     }},
    {13,
     {
         // The published figures, kept up to date in the transaction of each change that moves
         // them (docs/figures.md, "Published results"); they outlive the rows retention
         // deletes. agency '' counts the application itself, whatever agencies it went to.
         "CREATE TABLE figure_applications ("
         " form_id TEXT NOT NULL, agency TEXT NOT NULL, quarter TEXT NOT NULL, channel TEXT NOT NULL,"
         " count INTEGER NOT NULL,"
         " PRIMARY KEY (form_id, agency, quarter, channel)) WITHOUT ROWID",
         "CREATE TABLE figure_started ("
         " form_id TEXT NOT NULL, quarter TEXT NOT NULL, channel TEXT NOT NULL, count INTEGER NOT NULL,"
         " PRIMARY KEY (form_id, quarter, channel)) WITHOUT ROWID",
         // Time to decision as a histogram per cell: a row per number of days.
         "CREATE TABLE figure_decisions ("
         " form_id TEXT NOT NULL, agency TEXT NOT NULL, quarter TEXT NOT NULL, channel TEXT NOT NULL,"
         " days INTEGER NOT NULL, decided INTEGER NOT NULL, judged INTEGER NOT NULL, within INTEGER NOT NULL,"
         " PRIMARY KEY (form_id, agency, quarter, channel, days)) WITHOUT ROWID",
         // Undecided applications by the first day each is past its standard.
         "CREATE TABLE figure_pending ("
         " form_id TEXT NOT NULL, agency TEXT NOT NULL, quarter TEXT NOT NULL, channel TEXT NOT NULL,"
         " past_from TEXT NOT NULL, count INTEGER NOT NULL,"
         " PRIMARY KEY (form_id, agency, quarter, channel, past_from)) WITHOUT ROWID",
         // Submissions with a smaller id were stored before the figures were kept: their status
         // posts move nothing (their pending place was never counted).
         "CREATE TABLE figure_floor (submission_id INTEGER NOT NULL)",
         // Each ended quarter's results, frozen once: its canonical CSV and that CSV's SHA-256.
         "CREATE TABLE figure_snapshots ("
         " quarter TEXT PRIMARY KEY, csv TEXT NOT NULL, sha256 TEXT NOT NULL, frozen_at INTEGER NOT NULL)",
         "INSERT INTO figure_floor (submission_id) SELECT coalesce(max(id), 0) + 1 FROM submissions",
         // What the rows still hold is counted once, here: applications (by agency from the
         // outbox rows retention has kept) and drafts started.
         "INSERT INTO figure_applications (form_id, agency, quarter, channel, count)"
         " SELECT form_id, '', " SQLITE_QUARTER("date_received") ", channel, count(*) FROM submissions"
         " GROUP BY 1, 2, 3, 4",
         "INSERT INTO figure_applications (form_id, agency, quarter, channel, count)"
         " SELECT s.form_id, o.agency, " SQLITE_QUARTER("s.date_received") ", s.channel, count(*)"
         " FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.view_version = 1 GROUP BY 1, 2, 3, 4",
         "INSERT INTO figure_started (form_id, quarter, channel, count)"
         " SELECT form_id, " SQLITE_QUARTER("strftime('%Y-%m-%d', at / 1000, 'unixepoch')") ", channel, count(*)"
         " FROM journey_events WHERE kind = 'started' GROUP BY 1, 2, 3",
     }},
};


std::string text(RecordSet& rs, std::size_t col, std::size_t row) {
  return rs.isNull(col, row) ? std::string() : rs.value(col, row).convert<std::string>();
}
std::int64_t integer(RecordSet& rs, std::size_t col, std::size_t row) {
  return rs.isNull(col, row) ? 0 : rs.value(col, row).convert<Poco::Int64>();
}
std::optional<std::int64_t> opt_integer(RecordSet& rs, std::size_t col, std::size_t row) {
  if (rs.isNull(col, row)) return std::nullopt;
  return rs.value(col, row).convert<Poco::Int64>();
}

constexpr const char* staff_columns =
    "id, name, role, password_hash, totp_sealed, totp_step, set_up, disabled, failures, locked_until, created_at";

std::vector<StaffAccount> read_staff(RecordSet& rs) {
  std::vector<StaffAccount> out;
  for (std::size_t r = 0; r < rs.rowCount(); ++r) {
    StaffAccount a;
    a.id = integer(rs, 0, r);
    a.name = text(rs, 1, r);
    a.role = text(rs, 2, r);
    a.password_hash = text(rs, 3, r);
    a.totp_sealed = text(rs, 4, r);
    a.totp_step = opt_integer(rs, 5, r);
    a.set_up = integer(rs, 6, r) != 0;
    a.disabled = integer(rs, 7, r) != 0;
    a.failures = integer(rs, 8, r);
    if (auto l = opt_integer(rs, 9, r)) a.locked_until = from_ms(*l);
    a.created = from_ms(integer(rs, 10, r));
    out.push_back(std::move(a));
  }
  return out;
}

constexpr const char* audit_columns = "seq, at, staff_id, event, channel, reference, detail, prev_hash, hash";

std::vector<AuditEntry> read_audit(RecordSet& rs) {
  std::vector<AuditEntry> out;
  for (std::size_t r = 0; r < rs.rowCount(); ++r) {
    AuditEntry e;
    e.seq = integer(rs, 0, r);
    e.at = from_ms(integer(rs, 1, r));
    e.staff_id = opt_integer(rs, 2, r);
    e.event = text(rs, 3, r);
    e.channel = text(rs, 4, r);
    e.reference = text(rs, 5, r);
    e.detail = text(rs, 6, r);
    e.prev_hash = text(rs, 7, r);
    e.hash = text(rs, 8, r);
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t changes(Session& s) {
  Poco::Int64 n = 0;
  s << "SELECT changes()", into(n), now;
  return n;
}

const char* item_select =
    "SELECT o.id, s.reference, o.agency, s.form_id, s.version, s.definition_hash, coalesce(o.digest, s.digest),"
    " s.received, o.view_json, o.view_xml, o.state, o.attempts, o.acked_at, s.language, s.channel, s.date_received,"
    " o.view_version, o.changed"
    " FROM outbox o JOIN submissions s ON s.id = o.submission_id ";

std::vector<AgencyItem> read_items(RecordSet& rs) {
  std::vector<AgencyItem> out;
  for (std::size_t r = 0; r < rs.rowCount(); ++r) {
    AgencyItem i;
    i.outbox_id = integer(rs, 0, r);
    i.reference = text(rs, 1, r);
    i.agency = text(rs, 2, r);
    i.form_id = text(rs, 3, r);
    i.version = integer(rs, 4, r);
    i.definition_hash = text(rs, 5, r);
    i.digest = text(rs, 6, r);
    i.received = text(rs, 7, r);
    i.json = text(rs, 8, r);
    if (!rs.isNull(9, r)) i.xml = text(rs, 9, r);
    i.state = state_of(text(rs, 10, r));
    i.attempts = integer(rs, 11, r);
    i.acknowledged = !rs.isNull(12, r);
    i.language = text(rs, 13, r);
    i.channel = text(rs, 14, r);
    i.date_received = text(rs, 15, r);
    i.view_version = integer(rs, 16, r);
    i.changed = split_paths(text(rs, 17, r));
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<DeliveryStatus> read_statuses(RecordSet& rs) {
  // columns: id, agency, state, attempts, next_attempt_at, delivered_at, last_error, view_version
  std::vector<DeliveryStatus> out;
  for (std::size_t r = 0; r < rs.rowCount(); ++r) {
    DeliveryStatus d;
    d.id = integer(rs, 0, r);
    d.agency = text(rs, 1, r);
    d.state = state_of(text(rs, 2, r));
    d.attempts = integer(rs, 3, r);
    if (auto v = opt_integer(rs, 4, r); v && d.state == DeliveryState::Pending) d.next_attempt = from_ms(*v);
    if (auto v = opt_integer(rs, 5, r)) d.delivered = from_ms(*v);
    d.last_error = text(rs, 6, r);
    d.view_version = integer(rs, 7, r);
    out.push_back(std::move(d));
  }
  return out;
}

const char* status_select =
    "SELECT id, agency, state, attempts, next_attempt_at, delivered_at, last_error, view_version FROM outbox ";

std::optional<StoredSubmission> load_submission(Session& s, const std::string& reference) {
  Statement st(s);
  st << "SELECT id, reference, form_id, version, definition_hash, language, channel, received,"
        " canonical_json, digest, date_received, staff_id FROM submissions WHERE reference = ?",
      bind(reference);
  st.execute();
  RecordSet rs(st);
  if (rs.rowCount() == 0) return std::nullopt;
  StoredSubmission out;
  std::int64_t id = integer(rs, 0, 0);
  out.reference = text(rs, 1, 0);
  out.form_id = text(rs, 2, 0);
  out.version = integer(rs, 3, 0);
  out.definition_hash = text(rs, 4, 0);
  out.language = text(rs, 5, 0);
  out.channel = text(rs, 6, 0);
  out.received = text(rs, 7, 0);
  out.canonical_json = text(rs, 8, 0);
  out.digest = text(rs, 9, 0);
  out.date_received = text(rs, 10, 0);
  out.staff_id = opt_integer(rs, 11, 0);
  Statement d(s);
  // Each agency's latest version, in the order of each agency's first row (the views' order).
  d << std::string(status_select) +
           "WHERE submission_id = ? AND view_version = (SELECT max(l.view_version) FROM outbox l"
           " WHERE l.submission_id = outbox.submission_id AND l.agency = outbox.agency)"
           " ORDER BY (SELECT min(f.id) FROM outbox f WHERE f.submission_id = outbox.submission_id"
           " AND f.agency = outbox.agency)",
      bind(id);
  d.execute();
  RecordSet drs(d);
  out.deliveries = read_statuses(drs);
  return out;
}


// Poco's exceptions become StoreError at the interface, with the operator-facing text.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const StoreError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw StoreError("database: " + e.displayText());
  }
}

// The same for an exception caught in one thread (a group's leader) and thrown in another.
std::exception_ptr as_store_error(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const Poco::Exception& p) {
    return std::make_exception_ptr(StoreError("database: " + p.displayText()));
  } catch (...) {
    return std::current_exception();
  }
}

// --- the write path's statements ---
//
// save_submission's statements are prepared once on the writer connection, kept by the store
// (SaveStatements, in Impl), reset and bound again for each save, and finalized before the
// connection closes. They use the sqlite3 handle under Poco's session
// (Poco::Data::SQLite::Utility::dbHandle) rather than reused Poco::Data::Statement objects:
// binding a value is then one sqlite3_bind_* call on the caller's bytes, with no copy, and a
// row is read column by column, where Poco copies values into binding objects and rows into a
// RecordSet of Dynamic::Var (7% of the server's CPU at full load, besides 12% re-preparing
// every statement). The group's leader spends its time on SQL alone, and it is what bounds
// the submissions per second. The rest of the store is not that hot, and stays on Poco::Data.

// One prepared statement. Only the writer uses it, under write_mutex.
class PreparedStatement {
 public:
  PreparedStatement(sqlite3* db, const char* sql) {
    // PERSISTENT: it lives as long as the connection, so SQLite may place it accordingly.
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement_, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db);
      sqlite3_finalize(statement_);
      throw StoreError("database: " + message);
    }
  }
  ~PreparedStatement() { sqlite3_finalize(statement_); }
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  // One execution: bind, step, read. When it goes (an exception included) the statement is
  // reset and its values unbound, so no statement is left running into a COMMIT or ROLLBACK.
  // Bound text is not copied: it must outlive the Run.
  class Run {
   public:
    explicit Run(PreparedStatement& p) : statement_(p.statement_) {}
    ~Run() {
      sqlite3_reset(statement_);
      sqlite3_clear_bindings(statement_);
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    void text(int i, const std::string& v) {
      check(sqlite3_bind_text(statement_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    }
    void text(int i, const std::optional<std::string>& v) {
      if (v) text(i, *v);
      else check(sqlite3_bind_null(statement_, i));
    }
    void integer(int i, std::int64_t v) { check(sqlite3_bind_int64(statement_, i, v)); }
    void integer(int i, const std::optional<std::int64_t>& v) {
      check(v ? sqlite3_bind_int64(statement_, i, *v) : sqlite3_bind_null(statement_, i));
    }

    // SQLITE_ROW, SQLITE_DONE, or the (extended) error code, for the caller to judge.
    int step_code() {
      int rc = sqlite3_step(statement_);
      return rc == SQLITE_ROW || rc == SQLITE_DONE ? rc : sqlite3_extended_errcode(sqlite3_db_handle(statement_));
    }
    // True for a row to read, false when done; throws on an error.
    bool step() {
      int rc = step_code();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail();
      return rc == SQLITE_ROW;
    }
    std::string column_text(int i) const {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(statement_, i));
      return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(statement_, i))) : std::string();
    }
    // The message of the error the last step failed with.
    std::string error_message() const { return sqlite3_errmsg(sqlite3_db_handle(statement_)); }
    [[noreturn]] void fail() const { throw StoreError("database: " + error_message()); }

   private:
    void check(int rc) const {
      if (rc != SQLITE_OK) fail();
    }
    sqlite3_stmt* statement_;
  };

  // Runs a statement that takes no values and returns no rows.
  void execute() { Run(*this).step(); }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

// The writer connection's statements for save_submission, prepared when the store opens
// (after migrating: they need the tables).
struct SaveStatements {
  explicit SaveStatements(sqlite3* db)
      : begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        savepoint(db, "SAVEPOINT one_save"),
        release(db, "RELEASE one_save"),
        rollback_to(db, "ROLLBACK TO one_save"),
        find_key(db, "SELECT reference, idem_fingerprint, idem_salt FROM submissions WHERE idem_hash = ?"),
        insert_submission(db,
                          "INSERT INTO submissions (reference, receipt_hash, form_id, version, definition_hash,"
                          " language, channel, received, canonical_json, digest, idem_hash, idem_fingerprint,"
                          " idem_salt, stored_at, date_received, staff_id)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_outbox(db,
                      "INSERT INTO outbox (submission_id, agency, view_json, view_xml, state, next_attempt_at)"
                      " VALUES (?, ?, ?, ?, 'pending', ?)"),
        consume_draft(db, "DELETE FROM drafts WHERE id_hash = ?"),
        insert_mail(db,
                    "INSERT INTO mail (kind, language, recipient, subject, body_text, body_html, state, created_at,"
                    " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)"),
        insert_link(db, "INSERT INTO mail_links (token_hash, submission_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
        insert_contact(db, "INSERT INTO receipt_contacts (submission_id, contact_hash) VALUES (?, ?)"),
        insert_draft(db,
                     "INSERT INTO drafts (id_hash, form_id, version, definition_hash, language, channel, answers,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_started(db, "INSERT INTO journey_events (kind, form_id, channel, at) VALUES ('started', ?, ?, ?)"),
        update_draft(db,
                     "UPDATE drafts SET answers = ?, language = ?, updated_at = ? WHERE id_hash = ? AND updated_at > ?"),
        delete_draft(db, "DELETE FROM drafts WHERE id_hash = ?"),
        add_application(db,
                        "INSERT INTO figure_applications (form_id, agency, quarter, channel, count) VALUES (?, ?, ?, ?, 1)"
                        " ON CONFLICT (form_id, agency, quarter, channel) DO UPDATE SET count = count + 1"),
        add_pending(db,
                    "INSERT INTO figure_pending (form_id, agency, quarter, channel, past_from, count)"
                    " VALUES (?, ?, ?, ?, ?, 1)"
                    " ON CONFLICT (form_id, agency, quarter, channel, past_from) DO UPDATE SET count = count + 1"),
        add_started(db,
                    "INSERT INTO figure_started (form_id, quarter, channel, count) VALUES (?, ?, ?, 1)"
                    " ON CONFLICT (form_id, quarter, channel) DO UPDATE SET count = count + 1"),
        db_(db) {}

  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  // Rows the last INSERT, UPDATE or DELETE changed.
  std::int64_t changes() const { return sqlite3_changes64(db_); }

  PreparedStatement begin, commit, rollback, savepoint, release, rollback_to;
  PreparedStatement find_key, insert_submission, insert_outbox, consume_draft;
  PreparedStatement insert_mail, insert_link, insert_contact;
  PreparedStatement insert_draft, insert_started, update_draft, delete_draft;
  PreparedStatement add_application, add_pending, add_started;  // the published figures
  std::int64_t last_mail_id = 0;  // the id write_mail gave its mail

 private:
  sqlite3* db_;
};


// A mail, due at `at`, and its receipt link on submission `submission_id`.
void write_mail(SaveStatements& st, const NewMail& m, std::int64_t submission_id, TimePoint at) {
  {
    PreparedStatement::Run run(st.insert_mail);
    run.text(1, m.kind);
    run.text(2, m.language);
    run.text(3, m.recipient);
    run.text(4, m.subject);
    run.text(5, m.text);
    run.text(6, m.html);
    run.integer(7, ms(at));
    run.integer(8, ms(at));
    run.step();
  }
  st.last_mail_id = st.last_insert_rowid();
  if (m.link) {
    PreparedStatement::Run run(st.insert_link);
    run.text(1, m.link->token_hash);
    run.integer(2, submission_id);
    run.integer(3, ms(at));
    run.integer(4, ms(m.link->expires));
    run.step();
  }
}

// Inserts p's submission row with p.reference. False when that reference is taken.
bool insert_submission(SaveStatements& st, const PendingSave& p) {
  const NewSubmission& n = *p.submission;
  PreparedStatement::Run run(st.insert_submission);
  run.text(1, p.reference);
  run.text(2, p.receipt_hash);
  run.text(3, n.form_id);
  run.integer(4, n.version);
  run.text(5, n.definition_hash);
  run.text(6, n.language);
  run.text(7, n.channel);
  run.text(8, n.received);
  run.text(9, n.canonical_json);
  run.text(10, n.digest);
  run.text(11, p.idem_hash);
  run.text(12, p.idem_fingerprint);
  run.text(13, p.idem_salt);
  run.integer(14, ms(p.at));
  run.text(15, p.date_received);
  run.integer(16, n.staff_id);
  int rc = run.step_code();
  if (rc == SQLITE_DONE) return true;
  if (rc == SQLITE_CONSTRAINT_UNIQUE && run.error_message() == "UNIQUE constraint failed: submissions.reference") {
    return false;
  }
  run.fail();
}

// The published figures of a stored submission: one application for the form (agency '') and
// one for each agency it went to, each pending under the day it is past that agency's standard.
void count_in_figures(SaveStatements& st, const PendingSave& p) {
  const NewSubmission& n = *p.submission;
  if (!n.counted) return;
  const auto application = [&](const std::string& agency) {
    PreparedStatement::Run run(st.add_application);
    run.text(1, n.form_id);
    run.text(2, agency);
    run.text(3, p.recorded_quarter);
    run.text(4, n.channel);
    run.step();
  };
  static const std::string whole;
  static const std::string never{never_past};
  application(whole);
  for (const auto& v : n.views) {
    application(v.agency);
    PreparedStatement::Run run(st.add_pending);
    run.text(1, n.form_id);
    run.text(2, v.agency);
    run.text(3, p.quarter);
    run.text(4, n.channel);
    run.text(5, v.past_from.empty() ? never : v.past_from);
    run.step();
  }
}

// One submission, inside the leader's transaction: the idempotency check, the submission row,
// its outbox rows. Earlier saves of the same group are visible to it (same connection), so a
// key used twice in one group is Stored, then Replayed or a KeyConflict.
void save_one(SaveStatements& st, Session& s, PendingSave& p) {
  const NewSubmission& n = *p.submission;
  SaveResult result;
  if (n.idempotency) {
    std::optional<std::string> reference, fingerprint, salt;
    {
      PreparedStatement::Run run(st.find_key);
      run.text(1, p.idem_hash);
      if (run.step()) {
        reference = run.column_text(0);
        fingerprint = run.column_text(1);
        salt = run.column_text(2);
      }
    }
    if (reference) {
      if (!constant_time_equal(*fingerprint, n.idempotency->fingerprint)) {
        result.status = SaveResult::Status::KeyConflict;
      } else {
        result.status = SaveResult::Status::Replayed;
        result.receipt_secret = idem_secret(*salt, *n.idempotency);
        result.submission = load_submission(s, *reference);  // as it is now: deliveries move on
      }
      p.result = std::move(result);
      return;
    }
  }
  // References have 50 random bits: a repeat is astronomically rare, but must not fail a save.
  // The UNIQUE constraint finds it (there is no look-up first); the INSERT that failed is
  // undone alone (the statement aborts, the transaction goes on), and another reference is
  // tried. The limit only stops a broken random number generator from looping forever.
  for (int attempt = 1; !insert_submission(st, p); ++attempt) {
    if (attempt == 32) throw StoreError("database: no free reference number after 32 tries");
    redraw_reference(p);
  }
  const std::int64_t id = st.last_insert_rowid();
  p.outbox_ids.clear();
  for (const auto& v : n.views) {
    PreparedStatement::Run run(st.insert_outbox);
    run.integer(1, id);
    run.text(2, v.agency);
    run.text(3, v.json);
    run.text(4, v.xml);
    run.integer(5, ms(p.at));
    run.step();
    p.outbox_ids.push_back(st.last_insert_rowid());
  }
  if (p.draft_hash) {
    PreparedStatement::Run run(st.consume_draft);
    run.text(1, *p.draft_hash);
    run.step();
  }
  for (const auto& m : p.mails) write_mail(st, m, id, p.at);
  if (n.contact_hash) {
    PreparedStatement::Run run(st.insert_contact);
    run.integer(1, id);
    run.text(2, *n.contact_hash);
    run.step();
  }
  count_in_figures(st, p);
  result.status = SaveResult::Status::Stored;
  p.result = std::move(result);
}

// One draft write, inside the leader's transaction.
void write_draft(SaveStatements& st, PendingDraftWrite& p) {
  switch (p.kind) {
    case PendingDraftWrite::Kind::Create: {
      const NewDraft& n = *p.draft;
      {
        PreparedStatement::Run run(st.insert_draft);
        run.text(1, p.id_hash);
        run.text(2, n.form_id);
        run.integer(3, n.version);
        run.text(4, n.definition_hash);
        run.text(5, n.language);
        run.text(6, n.channel);
        run.text(7, p.sealed);
        run.integer(8, ms(p.at));
        run.integer(9, ms(p.at));
        run.step();
      }
      {
        PreparedStatement::Run run(st.insert_started);
        run.text(1, n.form_id);
        run.text(2, n.channel);
        run.integer(3, ms(p.at));
        run.step();
      }
      if (n.counted) {
        PreparedStatement::Run run(st.add_started);
        run.text(1, n.form_id);
        run.text(2, p.quarter);
        run.text(3, n.channel);
        run.step();
      }
      p.changed = true;
      return;
    }
    case PendingDraftWrite::Kind::Update: {
      PreparedStatement::Run run(st.update_draft);
      run.text(1, p.sealed);
      run.text(2, *p.language);
      run.integer(3, ms(p.at));
      run.text(4, p.id_hash);
      run.integer(5, p.alive_after);
      run.step();
      p.changed = st.changes() == 1;
      return;
    }
    case PendingDraftWrite::Kind::Delete: {
      PreparedStatement::Run run(st.delete_draft);
      run.text(1, p.id_hash);
      run.step();
      p.changed = st.changes() == 1;
      return;
    }
  }
}

// What a member of a group that failed keeps: nothing but its error.
void clear_outcome(PendingSave& p) { p.result.reset(); }
void clear_outcome(PendingDraftWrite& p) { p.changed = false; }



}  // namespace

const std::vector<Migration>& sqlite_migrations() { return migrations; }

struct SqliteStore::Impl {
  std::mutex write_mutex;
  std::unique_ptr<Session> writer;
  // save_submission's statements on `writer` (guarded by write_mutex too); made once the
  // schema is migrated, and finalized before `writer` closes (~Impl).
  std::unique_ptr<SaveStatements> saves;
  Pool<Session> readers;

  // Group commit (save_submission; create, update and delete_draft): the queues both backends
  // share.
  GroupCommit commits;
  DraftCommit draft_commits;

  DraftOptions drafts;

  ~Impl() { saves.reset(); }  // a connection closes only once its statements are finalized

  static std::unique_ptr<Session> connect(const SqliteOptions& o) {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    auto s = std::make_unique<Session>("SQLite", o.path);
    Poco::Int64 timeout = o.busy_timeout.count();
    *s << "PRAGMA busy_timeout = " + std::to_string(timeout), now;  // a number of ours, not a value
    *s << "PRAGMA foreign_keys = ON", now;
    *s << "PRAGMA synchronous = FULL", now;
    // What retention deletes is overwritten, not only unlinked (sweep also empties the WAL).
    *s << "PRAGMA secure_delete = ON", now;
    return s;
  }

  // A read connection for the duration of one call.
  using Reader = Pool<Session>::Lease;

  // Runs `f(session)` in one write transaction; rolls back when it throws.
  template <class F>
  auto write(F&& f) -> decltype(f(*writer)) {
    std::lock_guard lock(write_mutex);
    Session& s = *writer;
    s << "BEGIN IMMEDIATE", now;
    try {
      if constexpr (std::is_void_v<decltype(f(s))>) {
        f(s);
        s << "COMMIT", now;
      } else {
        auto r = f(s);
        s << "COMMIT", now;
        return r;
      }
    } catch (...) {
      try {
        s << "ROLLBACK", now;
      } catch (...) {
        // Already rolled back by SQLite (e.g. after an I/O error): nothing left to undo.
      }
      throw;
    }
  }

  // Writes `group` in one transaction, each member in its own savepoint (`one` writes one): a
  // member that fails is rolled back alone and gets its error; the others commit together.
  // When the transaction itself fails (BEGIN, COMMIT, or an error after which SQLite ended it),
  // nothing of the group is stored and every member gets the error. Never throws: every
  // outcome is in the group.
  template <class Pending, class One>
  void write_group(const std::vector<Pending*>& group_saves, One&& one) noexcept {
    std::exception_ptr failure;
    try {
      std::lock_guard lock(write_mutex);
      SaveStatements& st = *saves;
      st.begin.execute();
      try {
        for (Pending* p : group_saves) {
          st.savepoint.execute();
          try {
            one(st, *p);
            st.release.execute();
          } catch (...) {
            clear_outcome(*p);
            p->error = as_store_error(std::current_exception());
            try {
              st.rollback_to.execute();
              st.release.execute();
            } catch (...) {
              // SQLite ended the whole transaction (an I/O error, a full disk): the group
              // fails, with this save's error as the cause.
              std::rethrow_exception(p->error);
            }
          }
        }
        st.commit.execute();
      } catch (...) {
        try {
          st.rollback.execute();
        } catch (...) {
          // Already rolled back by SQLite: nothing left to undo.
        }
        throw;
      }
    } catch (...) {
      failure = as_store_error(std::current_exception());
    }
    if (failure) {
      for (Pending* p : group_saves) {
        clear_outcome(*p);
        if (!p->error) p->error = failure;
      }
    }
  }

  // Queues a draft write and waits for its group's commit; its error, if any, is thrown.
  bool write_draft_in_group(PendingDraftWrite& p) {
    draft_commits.save(p, [&](const std::vector<PendingDraftWrite*>& group) {
      write_group(group, [](SaveStatements& st, PendingDraftWrite& d) { write_draft(st, d); });
    });
    if (p.error) std::rethrow_exception(p.error);
    return p.changed;
  }

  int version(Session& s) {
    Poco::Int64 v = 0;
    s << "SELECT version FROM schema_version", into(v), now;
    return static_cast<int>(v);
  }

  void migrate() {
    const int latest = migrations.back().version;
    int current = write([&](Session& s) {
      s << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", now;
      Poco::Int64 rows = 0;
      s << "SELECT count(*) FROM schema_version", into(rows), now;
      if (rows == 0) s << "INSERT INTO schema_version (version) VALUES (0)", now;
      return version(s);
    });
    if (current > latest) {
      throw StoreError("the database schema is version " + std::to_string(current) +
                       ", newer than this askonce knows (" + std::to_string(latest) +
                       "): it was written by a newer askonce; run that version, or restore a backup");
    }
    for (const auto& m : migrations) {
      write([&](Session& s) {
        if (version(s) >= m.version) return;  // another process got here first
        for (const auto& sql : m.statements) s << sql, now;
        Poco::Int64 v = m.version;
        s << "UPDATE schema_version SET version = ?", bind(v), now;
      });
    }
  }
};

SqliteStore::SqliteStore(const SqliteOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->drafts = options.drafts;
  guarded([&] {
    impl_->writer = Impl::connect(options);
    std::string mode;
    *impl_->writer << "PRAGMA journal_mode = WAL", into(mode), now;
    if (mode != "wal") throw StoreError("database: cannot use WAL mode on " + options.path + " (got " + mode + ")");
    impl_->migrate();
    impl_->saves = std::make_unique<SaveStatements>(Poco::Data::SQLite::Utility::dbHandle(*impl_->writer));
    for (std::size_t i = 0; i < std::max<std::size_t>(options.readers, 1); ++i) {
      auto r = Impl::connect(options);
      *r << "PRAGMA query_only = ON", now;
      impl_->readers.add(std::move(r));
    }
  });
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    return impl_->version(*r);
  });
}

SqliteStore::Settings SqliteStore::settings() {
  return guarded([&] {
    std::lock_guard lock(impl_->write_mutex);
    Session& s = *impl_->writer;
    Settings out;
    Poco::Int64 sync = 0, fk = 0, busy = 0;
    s << "PRAGMA journal_mode", into(out.journal_mode), now;
    s << "PRAGMA synchronous", into(sync), now;
    s << "PRAGMA foreign_keys", into(fk), now;
    s << "PRAGMA busy_timeout", into(busy), now;
    out.synchronous = static_cast<int>(sync);
    out.foreign_keys = fk != 0;
    out.busy_timeout_ms = busy;
    return out;
  });
}

SaveResult SqliteStore::save_submission(const NewSubmission& n, TimePoint at) {
  PendingSave mine;
  prepare_save(mine, n, at);
  impl_->commits.save(mine, [&](const std::vector<PendingSave*>& group) {
    impl_->write_group(group, [&](SaveStatements& st, PendingSave& p) { save_one(st, *impl_->writer, p); });
  });
  return finish_save(mine, n);
}

std::optional<WriteStats> SqliteStore::write_stats() { return impl_->commits.stats(); }
std::optional<WriteStats> SqliteStore::draft_write_stats() { return impl_->draft_commits.stats(); }

std::optional<StoredSubmission> SqliteStore::find_submission(const std::string& reference) {
  auto ref = parse_reference(reference);
  if (!ref) return std::nullopt;
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    return load_submission(*r, *ref);
  });
}

bool SqliteStore::verify_receipt(const std::string& reference, const std::string& secret) {
  auto ref = parse_reference(reference);
  return guarded([&] {
    std::string stored = sha256_hex("");  // compared anyway, so unknown references take as long
    bool found = false;
    if (ref) {
      Impl::Reader r(impl_->readers);
      Statement st(*r);
      st << "SELECT receipt_hash FROM submissions WHERE reference = ?", bind(*ref);
      st.execute();
      RecordSet rs(st);
      if (rs.rowCount() > 0) {
        stored = text(rs, 0, 0);
        found = true;
      }
    }
    bool same = constant_time_equal(sha256_hex(secret), stored);
    return found && same;
  });
}

namespace {

// Moves the published figures of submission `id` for `agency` as `figures` says
// (append_agency_status, amend_submission's answer), in the caller's transaction. A submission
// stored before the figures were kept (below the floor) moves nothing: it was never counted.
void move_figures(Session& s, Poco::Int64 id, const std::string& agency, const FigureMove& figures) {
  if (figures == FigureMove{}) return;
  Poco::Int64 floor = 0;
  s << "SELECT submission_id FROM figure_floor", into(floor), now;
  if (id < floor) return;
  std::vector<std::string> forms, channels, days;
  s << "SELECT form_id, channel, date_received FROM submissions WHERE id = ?", bind(id), into(forms), into(channels),
  into(days), now;
  if (forms.empty()) return;
  const std::string quarter = quarter_of_day(days.front());
  const std::string& form = forms.front();
  const std::string& channel = channels.front();
  // Keys in one order (both backends do this), so two posts never wait on each other.
  std::vector<std::pair<std::string, int>> moves;
  if (!figures.pending_from.empty()) moves.emplace_back(figures.pending_from, -1);
  if (!figures.pending_to.empty()) moves.emplace_back(figures.pending_to, +1);
  std::sort(moves.begin(), moves.end());
  for (auto& [key, by] : moves) {
    if (by < 0) {
      s << "UPDATE figure_pending SET count = count - 1 WHERE form_id = ? AND agency = ? AND quarter = ?"
           " AND channel = ? AND past_from = ? AND count > 0",
          bind(form), bind(agency), bind(quarter), bind(channel), bind(key), now;
    } else {
      s << "INSERT INTO figure_pending (form_id, agency, quarter, channel, past_from, count) VALUES (?, ?, ?, ?, ?, 1)"
           " ON CONFLICT (form_id, agency, quarter, channel, past_from) DO UPDATE SET count = count + 1",
          bind(form), bind(agency), bind(quarter), bind(channel), bind(key), now;
    }
  }
  if (figures.decided_days) {
    Poco::Int64 d = *figures.decided_days, judged = figures.judged ? 1 : 0, within = figures.within ? 1 : 0;
    const std::string& decided = figures.decided_quarter.empty() ? quarter : figures.decided_quarter;
    s << "INSERT INTO figure_decisions (form_id, agency, quarter, channel, days, decided, judged, within)"
         " VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (form_id, agency, quarter, channel, days) DO UPDATE SET"
         " decided = decided + 1, judged = judged + excluded.judged, within = within + excluded.within",
        bind(form), bind(agency), bind(decided), bind(channel), bind(d), bind(judged), bind(within), now;
  }
}

}  // namespace

AmendResult SqliteStore::amend_submission(const Amendment& a, TimePoint at) {
  auto ref = parse_reference(a.reference);
  if (!ref) return {};
  return guarded([&] {
    // BEGIN IMMEDIATE: what is read here (the digest, each agency's newest version, the newest
    // status number) is still so when the rows are written.
    return impl_->write([&](Session& s) {
      AmendResult out;
      std::vector<Poco::Int64> ids;
      std::vector<std::string> digests;
      s << "SELECT id, digest FROM submissions WHERE reference = ?", bind(*ref), into(ids), into(digests), now;
      if (ids.empty()) return out;
      Poco::Int64 id = ids.front();
      out.status = AmendResult::Status::Conflict;
      if (digests.front() != a.from_digest) return out;
      if (a.answer) {
        Poco::Int64 newest = 0;
        s << "SELECT coalesce(max(seq), 0) FROM agency_statuses WHERE submission_id = ? AND agency = ?", bind(id),
            bind(a.answer->agency), into(newest), now;
        if (newest + 1 != a.answer->seq) return out;
      }
      // The versions already stored keep the digest they were made with.
      s << "UPDATE outbox SET digest = ? WHERE submission_id = ? AND digest IS NULL", bind(a.from_digest), bind(id),
          now;
      s << "UPDATE submissions SET canonical_json = ?, digest = ? WHERE id = ?", bind(a.canonical_json),
          bind(a.digest), bind(id), now;
      Poco::Int64 t = ms(at);
      for (const auto& v : a.views) {
        Poco::Int64 newest = 0;
        s << "SELECT coalesce(max(view_version), 0) FROM outbox WHERE submission_id = ? AND agency = ?", bind(id),
            bind(v.agency), into(newest), now;
        // An agency with no earlier version got nothing of this submission: not an amendment.
        if (newest == 0) throw StoreError("database: an amendment for an agency that never received the submission");
        Poco::Int64 version = newest + 1;
        std::string changed = join_paths(v.changed);
        s << "INSERT INTO outbox (submission_id, agency, view_json, view_xml, state, next_attempt_at, view_version,"
             " changed) VALUES (?, ?, ?, NULL, 'pending', ?, ?, ?)",
            bind(id), bind(v.agency), bind(v.json), bind(t), bind(version), bind(changed), now;
        if (v.xml) {
          s << "UPDATE outbox SET view_xml = ? WHERE submission_id = ? AND agency = ? AND view_version = ?",
              bind(*v.xml), bind(id), bind(v.agency), bind(version), now;
        }
        out.versions.push_back(version);
      }
      if (a.answer) {
        Poco::Int64 seq = a.answer->seq, when = ms(a.answer->at);
        s << "INSERT INTO agency_statuses (submission_id, agency, seq, status, outcome, tracking, message_name,"
             " message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            bind(id), bind(a.answer->agency), bind(seq), bind(a.answer->status), bind(a.answer->outcome),
            bind(a.answer->tracking), bind(a.answer->message_name), bind(a.answer->message_json), bind(when), now;
        move_figures(s, id, a.answer->agency, a.answer_figures);
      }
      if (a.contact_changed) {
        s << "DELETE FROM receipt_contacts WHERE submission_id = ?", bind(id), now;
        if (a.contact_hash) {
          s << "INSERT INTO receipt_contacts (submission_id, contact_hash) VALUES (?, ?)", bind(id),
              bind(*a.contact_hash), now;
        }
      }
      for (const auto& m : a.mails) write_mail(*impl_->saves, m, id, at);
      out.status = AmendResult::Status::Stored;
      return out;
    });
  });
}

std::optional<SaveResult> SqliteStore::replay(const std::string& scope, const std::string& key) {
  const IdempotencyKey k{scope, key, ""};
  return guarded([&]() -> std::optional<SaveResult> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT reference, idem_fingerprint, idem_salt FROM submissions WHERE idem_hash = ?", bind(idem_hash(k));
    st.execute();
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    SaveResult out;
    out.status = SaveResult::Status::Replayed;
    out.receipt_secret = idem_secret(text(rs, 2, 0), {scope, key, text(rs, 1, 0)});
    out.submission = load_submission(*r, text(rs, 0, 0));
    return out;
  });
}

// --- drafts ---

Draft SqliteStore::create_draft(const NewDraft& n, TimePoint at) {
  Draft d;
  d.id = new_draft_id();
  d.form_id = n.form_id;
  d.version = n.version;
  d.definition_hash = n.definition_hash;
  d.language = n.language;
  d.channel = n.channel;
  d.answers = n.answers;
  d.created = d.updated = at;
  PendingDraftWrite p;
  p.kind = PendingDraftWrite::Kind::Create;
  p.id_hash = *draft_id_hash(d.id);
  p.sealed = seal_answers(impl_->drafts, d.answers, p.id_hash);
  p.draft = &n;
  p.at = at;
  p.quarter = started_quarter(n, at);
  impl_->write_draft_in_group(p);
  return d;
}

std::optional<Draft> SqliteStore::find_draft(const std::string& id, TimePoint at) {
  const auto hash = draft_id_hash(id);
  if (!hash) return std::nullopt;
  draft_keys(impl_->drafts);
  const Poco::Int64 alive_after = ms(at - impl_->drafts.lifetime);
  return guarded([&]() -> std::optional<Draft> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT form_id, version, definition_hash, language, channel, answers, created_at, updated_at"
          " FROM drafts WHERE id_hash = ? AND updated_at > ?",
        bind(*hash), bind(alive_after);
    st.execute();
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    Draft d;
    d.id = id;
    d.form_id = text(rs, 0, 0);
    d.version = integer(rs, 1, 0);
    d.definition_hash = text(rs, 2, 0);
    d.language = text(rs, 3, 0);
    d.channel = text(rs, 4, 0);
    d.answers = open_answers(impl_->drafts, text(rs, 5, 0), *hash);
    d.created = from_ms(integer(rs, 6, 0));
    d.updated = from_ms(integer(rs, 7, 0));
    return d;
  });
}

bool SqliteStore::update_draft(const std::string& id, const FlatAnswers& answers, const std::string& language,
                               TimePoint at) {
  const auto hash = draft_id_hash(id);
  if (!hash) return false;
  PendingDraftWrite p;
  p.kind = PendingDraftWrite::Kind::Update;
  p.id_hash = *hash;
  p.sealed = seal_answers(impl_->drafts, answers, *hash);
  p.language = &language;
  p.at = at;
  p.alive_after = ms(at - impl_->drafts.lifetime);
  return impl_->write_draft_in_group(p);
}

bool SqliteStore::delete_draft(const std::string& id) {
  const auto hash = draft_id_hash(id);
  if (!hash) return false;
  PendingDraftWrite p;
  p.kind = PendingDraftWrite::Kind::Delete;
  p.id_hash = *hash;
  return impl_->write_draft_in_group(p);
}

std::vector<StartedCount> SqliteStore::started_counts() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT form_id, channel, count(*) FROM journey_events WHERE kind = 'started'"
          " GROUP BY form_id, channel ORDER BY form_id, channel";
    st.execute();
    RecordSet rs(st);
    std::vector<StartedCount> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) out.push_back({text(rs, 0, i), text(rs, 1, i), integer(rs, 2, i)});
    return out;
  });
}

// --- coming back to a draft ---

std::optional<std::string> SqliteStore::new_resume_code(const std::string& id, TimePoint at) {
  const auto hash = draft_id_hash(id);
  if (!hash) return std::nullopt;
  const Poco::Int64 alive_after = ms(at - impl_->drafts.lifetime);
  return guarded([&]() -> std::optional<std::string> {
    return impl_->write([&](Session& s) -> std::optional<std::string> {
      // 60 random bits: a code already in use is astronomically rare, and drawn again.
      for (int attempt = 0; attempt < 8; ++attempt) {
        const std::string code = server::new_resume_code();
        const std::string code_hash = sha256_hex(code);
        Poco::Int64 taken = 0;
        s << "SELECT count(*) FROM drafts WHERE resume_hash = ?", bind(code_hash), into(taken), now;
        if (taken > 0) continue;
        s << "UPDATE drafts SET resume_hash = ? WHERE id_hash = ? AND updated_at > ?", bind(code_hash), bind(*hash),
            bind(alive_after), now;
        if (changes(s) != 1) return std::nullopt;
        return code;
      }
      throw StoreError("database: no free resume code after 8 tries");
    });
  });
}

namespace {

const char* draft_row_select =
    "SELECT id_hash, form_id, version, definition_hash, language, channel, answers, created_at, updated_at"
    " FROM drafts ";

// The first row of a draft_row_select: its id_hash, and the draft without its id.
std::optional<std::pair<std::string, Draft>> draft_of_row(RecordSet& rs, const DraftOptions& options) {
  if (rs.rowCount() == 0) return std::nullopt;
  Draft d;
  const std::string id_hash = text(rs, 0, 0);
  d.form_id = text(rs, 1, 0);
  d.version = integer(rs, 2, 0);
  d.definition_hash = text(rs, 3, 0);
  d.language = text(rs, 4, 0);
  d.channel = text(rs, 5, 0);
  d.answers = open_answers(options, text(rs, 6, 0), id_hash);
  d.created = from_ms(integer(rs, 7, 0));
  d.updated = from_ms(integer(rs, 8, 0));
  return std::make_pair(id_hash, std::move(d));
}

// The live draft a resume code names.
std::optional<std::pair<std::string, Draft>> draft_by_code(Session& s, const DraftOptions& options,
                                                           const std::string& code, TimePoint at) {
  const auto canonical = parse_resume_code(code);
  if (!canonical) return std::nullopt;
  const Poco::Int64 alive_after = ms(at - options.lifetime);
  Statement st(s);
  st << std::string(draft_row_select) + "WHERE resume_hash = ? AND updated_at > ?", bind(sha256_hex(*canonical)),
      bind(alive_after);
  st.execute();
  RecordSet rs(st);
  return draft_of_row(rs, options);
}

// The live draft a live resume session names.
std::optional<std::pair<std::string, Draft>> draft_by_session(Session& s, const DraftOptions& options,
                                                              const std::string& session_hash, TimePoint at) {
  const Poco::Int64 alive_after = ms(at - options.lifetime), t = ms(at);
  Statement st(s);
  st << std::string(draft_row_select) + "WHERE session_hash = ? AND session_expires_at > ? AND updated_at > ?",
      bind(session_hash), bind(t), bind(alive_after);
  st.execute();
  RecordSet rs(st);
  return draft_of_row(rs, options);
}

// Gives the draft of row `id_hash` a new id: its answers sealed again for the new row (the seal
// is bound to id_hash), its lifetime restarted, its resume session ended. `d` is the draft as
// read; it comes back with its new id.
Draft rekey_draft(Session& s, const DraftOptions& options, const std::string& id_hash, Draft d, TimePoint at) {
  d.id = new_draft_id();
  d.updated = at;
  const std::string hash = *draft_id_hash(d.id);
  const std::string sealed = seal_answers(options, d.answers, hash);
  Poco::Int64 t = ms(at);
  s << "UPDATE drafts SET id_hash = ?, answers = ?, updated_at = ?, session_hash = NULL, session_expires_at = NULL"
       " WHERE id_hash = ?",
      bind(hash), bind(sealed), bind(t), bind(id_hash), now;
  return d;
}

}  // namespace

std::optional<Draft> SqliteStore::peek_resume(const std::string& code, TimePoint at) {
  draft_keys(impl_->drafts);
  return guarded([&]() -> std::optional<Draft> {
    Impl::Reader r(impl_->readers);
    auto found = draft_by_code(*r, impl_->drafts, code, at);
    if (!found) return std::nullopt;
    return std::move(found->second);
  });
}

std::optional<Draft> SqliteStore::resume_draft(const std::string& code, TimePoint at) {
  draft_keys(impl_->drafts);
  return guarded([&]() -> std::optional<Draft> {
    return impl_->write([&](Session& s) -> std::optional<Draft> {
      auto found = draft_by_code(s, impl_->drafts, code, at);
      if (!found) return std::nullopt;
      return rekey_draft(s, impl_->drafts, found->first, std::move(found->second), at);
    });
  });
}

std::optional<std::int64_t> SqliteStore::enqueue_resume_mail(const NewMail& mail, const std::string& draft_id,
                                                             const NewMailLink& link, TimePoint at) {
  const auto hash = draft_id_hash(draft_id);
  if (!hash) return std::nullopt;
  // The mail's own link field is for receipt links (a submission's); the draft's is `link`.
  NewMail plain = mail;
  plain.link.reset();
  const Poco::Int64 alive_after = ms(at - impl_->drafts.lifetime), expires = ms(link.expires);
  return guarded([&] {
    return impl_->write([&](Session& s) -> std::optional<std::int64_t> {
      s << "UPDATE drafts SET link_hash = ?, link_expires_at = ? WHERE id_hash = ? AND updated_at > ?",
          bind(link.token_hash), bind(expires), bind(*hash), bind(alive_after), now;
      if (changes(s) != 1) return std::nullopt;  // nothing written: the transaction commits nothing
      write_mail(*impl_->saves, plain, 0, at);
      return impl_->saves->last_mail_id;
    });
  });
}

std::optional<std::string> SqliteStore::open_resume_link(const std::string& token_hash, const std::string& session_hash,
                                                         TimePoint session_expires, TimePoint at) {
  const Poco::Int64 t = ms(at), until = ms(session_expires), alive_after = ms(at - impl_->drafts.lifetime);
  return guarded([&] {
    return impl_->write([&](Session& s) -> std::optional<std::string> {
      // Used up by clearing it: a used link is then as unknown as one never sent.
      std::vector<std::string> forms;
      s << "UPDATE drafts SET link_hash = NULL, link_expires_at = NULL, session_hash = ?, session_expires_at = ?"
           " WHERE link_hash = ? AND link_expires_at > ? AND updated_at > ? RETURNING form_id",
          bind(session_hash), bind(until), bind(token_hash), bind(t), bind(alive_after), into(forms), now;
      if (forms.empty()) return std::nullopt;
      return forms.front();
    });
  });
}

std::optional<Draft> SqliteStore::peek_resume_session(const std::string& session_hash, TimePoint at) {
  draft_keys(impl_->drafts);
  return guarded([&]() -> std::optional<Draft> {
    Impl::Reader r(impl_->readers);
    auto found = draft_by_session(*r, impl_->drafts, session_hash, at);
    if (!found) return std::nullopt;
    return std::move(found->second);
  });
}

std::optional<Draft> SqliteStore::resume_session(const std::string& session_hash, TimePoint at) {
  draft_keys(impl_->drafts);
  return guarded([&]() -> std::optional<Draft> {
    return impl_->write([&](Session& s) -> std::optional<Draft> {
      auto found = draft_by_session(s, impl_->drafts, session_hash, at);
      if (!found) return std::nullopt;
      return rekey_draft(s, impl_->drafts, found->first, std::move(found->second), at);
    });
  });
}

std::int64_t SqliteStore::record_attempt(const std::string& key, TimePoint at, std::chrono::milliseconds window) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at), until = ms(at + window), n = 0;
      s << "INSERT INTO attempts (key, window_start, count, until) VALUES (?, ?, 1, ?)"
           " ON CONFLICT (key) DO UPDATE SET"
           " window_start = CASE WHEN attempts.until <= excluded.window_start THEN excluded.window_start"
           " ELSE attempts.window_start END,"
           " count = CASE WHEN attempts.until <= excluded.window_start THEN 1 ELSE attempts.count + 1 END,"
           " until = CASE WHEN attempts.until <= excluded.window_start THEN excluded.until ELSE attempts.until END"
           " RETURNING count",
          bind(key), bind(t), bind(until), into(n), now;
      return static_cast<std::int64_t>(n);
    });
  });
}

void SqliteStore::clear_attempts(const std::string& key) {
  guarded([&] {
    impl_->write([&](Session& s) { s << "DELETE FROM attempts WHERE key = ?", bind(key), now; });
  });
}

// A name's failures live in `attempts` too (so the sweep forgets them with the rest): count is
// the failures, window_start the time of the last one, until when the row is forgotten.
Store::NameFailures SqliteStore::name_failures(const std::string& key, TimePoint at) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 t = ms(at);
    std::vector<Poco::Int64> counts, lasts;
    *r << "SELECT count, window_start FROM attempts WHERE key = ? AND until > ?", bind(key), bind(t), into(counts),
        into(lasts), now;
    NameFailures out;
    if (!counts.empty()) {
      out.failures = counts.front();
      out.last = from_ms(lasts.front());
    }
    return out;
  });
}

Store::NameFailures SqliteStore::record_name_failure(const std::string& key, TimePoint at, std::chrono::milliseconds keep) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at), until = ms(at + keep), n = 0;
      s << "INSERT INTO attempts (key, window_start, count, until) VALUES (?, ?, 1, ?)"
           " ON CONFLICT (key) DO UPDATE SET"
           " count = CASE WHEN attempts.until <= excluded.window_start THEN 1 ELSE attempts.count + 1 END,"
           " window_start = excluded.window_start, until = excluded.until"
           " RETURNING count",
          bind(key), bind(t), bind(until), into(n), now;
      NameFailures out;
      out.failures = n;
      out.last = at;
      return out;
    });
  });
}

// --- staff ---

std::optional<StaffAccount> SqliteStore::create_staff(const std::string& name, const std::string& role,
                                                      const std::string& password_hash, TimePoint at) {
  return guarded([&]() -> std::optional<StaffAccount> {
    return impl_->write([&](Session& s) -> std::optional<StaffAccount> {
      Poco::Int64 t = ms(at);
      s << "INSERT INTO staff (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
          bind(name), bind(role), bind(password_hash), bind(t), now;
      if (changes(s) == 0) return std::nullopt;
      Statement st(s);
      st << std::string("SELECT ") + staff_columns + " FROM staff WHERE name = ?", bind(name);
      st.execute();
      RecordSet rs(st);
      auto all = read_staff(rs);
      if (all.empty()) return std::nullopt;
      return all.front();
    });
  });
}

std::optional<StaffAccount> SqliteStore::find_staff(const std::string& name) {
  return guarded([&]() -> std::optional<StaffAccount> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << std::string("SELECT ") + staff_columns + " FROM staff WHERE name = ?", bind(name);
    st.execute();
    RecordSet rs(st);
    auto all = read_staff(rs);
    if (all.empty()) return std::nullopt;
    return all.front();
  });
}

std::optional<StaffAccount> SqliteStore::staff_by_id(std::int64_t id) {
  return guarded([&]() -> std::optional<StaffAccount> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    Poco::Int64 i = id;
    st << std::string("SELECT ") + staff_columns + " FROM staff WHERE id = ?", bind(i);
    st.execute();
    RecordSet rs(st);
    auto all = read_staff(rs);
    if (all.empty()) return std::nullopt;
    return all.front();
  });
}

std::vector<StaffAccount> SqliteStore::list_staff() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << std::string("SELECT ") + staff_columns + " FROM staff ORDER BY name";
    st.execute();
    RecordSet rs(st);
    return read_staff(rs);
  });
}

bool SqliteStore::disable_staff(const std::string& name) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      s << "UPDATE staff SET disabled = 1 WHERE name = ?", bind(name), now;
      if (changes(s) == 0) return false;
      s << "DELETE FROM staff_sessions WHERE staff_id = (SELECT id FROM staff WHERE name = ?)", bind(name), now;
      return true;
    });
  });
}

bool SqliteStore::reset_staff(const std::string& name, const std::string& password_hash) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      s << "UPDATE staff SET password_hash = ?, totp_sealed = NULL, totp_step = NULL, set_up = 0, disabled = 0,"
           " failures = 0, locked_until = NULL WHERE name = ?",
          bind(password_hash), bind(name), now;
      if (changes(s) == 0) return false;
      s << "DELETE FROM staff_sessions WHERE staff_id = (SELECT id FROM staff WHERE name = ?)", bind(name), now;
      s << "DELETE FROM staff_recovery_codes WHERE staff_id = (SELECT id FROM staff WHERE name = ?)", bind(name), now;
      return true;
    });
  });
}

bool SqliteStore::complete_staff_setup(std::int64_t id, const std::string& password_hash, const std::string& totp_sealed,
                                       std::int64_t totp_step, const std::vector<std::string>& recovery_hashes) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 i = id, step = totp_step;
      s << "UPDATE staff SET password_hash = ?, totp_sealed = ?, totp_step = ?, set_up = 1 WHERE id = ? AND set_up = 0",
          bind(password_hash), bind(totp_sealed), bind(step), bind(i), now;
      if (changes(s) == 0) return false;
      s << "DELETE FROM staff_recovery_codes WHERE staff_id = ?", bind(i), now;
      for (const auto& h : recovery_hashes) {
        s << "INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (?, ?)", bind(i), bind(h), now;
      }
      return true;
    });
  });
}

bool SqliteStore::accept_totp_step(std::int64_t id, std::int64_t step) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 i = id, st = step;
      s << "UPDATE staff SET totp_step = ? WHERE id = ? AND (totp_step IS NULL OR totp_step < ?)", bind(st), bind(i),
          bind(st), now;
      return changes(s) == 1;
    });
  });
}

bool SqliteStore::use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 i = id, t = ms(at);
      s << "UPDATE staff_recovery_codes SET used_at = ? WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL",
          bind(t), bind(i), bind(code_hash), now;
      return changes(s) == 1;
    });
  });
}

std::int64_t SqliteStore::recovery_codes_left(std::int64_t id) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 i = id, n = 0;
    *r << "SELECT count(*) FROM staff_recovery_codes WHERE staff_id = ? AND used_at IS NULL", bind(i), into(n), now;
    return static_cast<std::int64_t>(n);
  });
}

std::optional<StaffAccount> SqliteStore::record_staff_failure(std::int64_t id, TimePoint at, std::int64_t threshold,
                                                              std::chrono::milliseconds base,
                                                              std::chrono::milliseconds cap) {
  return guarded([&]() -> std::optional<StaffAccount> {
    return impl_->write([&](Session& s) -> std::optional<StaffAccount> {
      Poco::Int64 i = id;
      std::vector<Poco::Int64> counts;
      s << "UPDATE staff SET failures = failures + 1 WHERE id = ? RETURNING failures", bind(i), into(counts), now;
      if (counts.empty()) return std::nullopt;
      if (auto until = staff_lockout(counts.front(), threshold, base, cap, at)) {
        Poco::Int64 u = ms(*until);
        s << "UPDATE staff SET locked_until = ? WHERE id = ?", bind(u), bind(i), now;
      }
      Statement st(s);
      st << std::string("SELECT ") + staff_columns + " FROM staff WHERE id = ?", bind(i);
      st.execute();
      RecordSet rs(st);
      auto all = read_staff(rs);
      if (all.empty()) return std::nullopt;
      return all.front();
    });
  });
}

void SqliteStore::clear_staff_failures(std::int64_t id) {
  guarded([&] {
    impl_->write([&](Session& s) {
      Poco::Int64 i = id;
      s << "UPDATE staff SET failures = 0, locked_until = NULL WHERE id = ?", bind(i), now;
    });
  });
}

void SqliteStore::create_staff_session(const std::string& token_hash, std::int64_t staff_id, StaffStage stage,
                                       TimePoint at) {
  guarded([&] {
    impl_->write([&](Session& s) {
      Poco::Int64 i = staff_id, t = ms(at);
      std::string st = to_string(stage);
      s << "INSERT INTO staff_sessions (token_hash, staff_id, stage, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
          bind(token_hash), bind(i), bind(st), bind(t), bind(t), now;
    });
  });
}

std::optional<StaffSession> SqliteStore::touch_staff_session(const std::string& token_hash, TimePoint at,
                                                             std::chrono::milliseconds idle,
                                                             std::chrono::milliseconds absolute) {
  return guarded([&]() -> std::optional<StaffSession> {
    return impl_->write([&](Session& s) -> std::optional<StaffSession> {
      Poco::Int64 t = ms(at), seen_after = ms(at - idle), created_after = ms(at - absolute);
      std::vector<Poco::Int64> ids, created;
      std::vector<std::string> stages;
      s << "UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at > ? AND created_at > ?"
           " AND staff_id IN (SELECT id FROM staff WHERE disabled = 0)"
           " RETURNING staff_id, stage, created_at",
          bind(t), bind(token_hash), bind(seen_after), bind(created_after), into(ids), into(stages), into(created), now;
      if (ids.empty()) return std::nullopt;
      StaffSession out;
      out.staff_id = ids.front();
      out.stage = staff_stage(stages.front());
      out.created = from_ms(created.front());
      out.last_seen = at;
      return out;
    });
  });
}

bool SqliteStore::end_staff_session(const std::string& token_hash) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      s << "DELETE FROM staff_sessions WHERE token_hash = ?", bind(token_hash), now;
      return changes(s) > 0;
    });
  });
}

std::vector<AgencyStatus> SqliteStore::agency_statuses(const std::string& reference) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT a.agency, a.seq, a.status, a.outcome, a.tracking, a.message_name, a.message, a.at, a.fields"
          " FROM agency_statuses a JOIN submissions s ON s.id = a.submission_id WHERE s.reference = ?"
          " ORDER BY a.agency, a.seq",
        bind(reference);
    st.execute();
    RecordSet rs(st);
    std::vector<AgencyStatus> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      AgencyStatus a;
      a.agency = text(rs, 0, i);
      a.seq = integer(rs, 1, i);
      a.status = text(rs, 2, i);
      a.outcome = text(rs, 3, i);
      a.tracking = text(rs, 4, i);
      a.message_name = text(rs, 5, i);
      a.message_json = text(rs, 6, i);
      a.at = from_ms(integer(rs, 7, i));
      a.fields = split_paths(text(rs, 8, i));
      out.push_back(std::move(a));
    }
    return out;
  });
}

bool SqliteStore::append_agency_status(const std::string& reference, const AgencyStatus& a,
                                       const std::optional<NewMail>& mail, TimePoint at, const FigureMove& figures) {
  return guarded([&] {
    // BEGIN IMMEDIATE: the newest number read here is still the newest when this one is written.
    return impl_->write([&](Session& s) {
      std::vector<Poco::Int64> ids;
      s << "SELECT id FROM submissions WHERE reference = ?", bind(reference), into(ids), now;
      if (ids.empty()) return false;
      Poco::Int64 id = ids.front(), newest = 0;
      s << "SELECT coalesce(max(seq), 0) FROM agency_statuses WHERE submission_id = ? AND agency = ?", bind(id),
          bind(a.agency), into(newest), now;
      if (newest + 1 != a.seq) return false;
      Poco::Int64 seq = a.seq, t = ms(a.at);
      std::string fields = join_paths(a.fields);
      s << "INSERT INTO agency_statuses (submission_id, agency, seq, status, outcome, tracking, message_name, message,"
           " at, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          bind(id), bind(a.agency), bind(seq), bind(a.status), bind(a.outcome), bind(a.tracking), bind(a.message_name),
          bind(a.message_json), bind(t), bind(fields), now;
      if (mail) write_mail(*impl_->saves, *mail, id, at);
      move_figures(s, id, a.agency, figures);
      return true;
    });
  });
}

void SqliteStore::offer_feedback(const FeedbackOffer& o, TimePoint at) {
  guarded([&] {
    impl_->write([&](Session& s) {
      Poco::Int64 v = o.version, t = ms(at);
      s << "INSERT INTO feedback (token, form_id, version, agency, channel, stage, offered_on, offered_at, went_well,"
           " went_badly, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', '') ON CONFLICT (token) DO NOTHING",
          bind(o.token), bind(o.form_id), bind(v), bind(o.agency), bind(o.channel), bind(o.stage), bind(o.offered_on),
          bind(t), now;
    });
  });
}

FeedbackState SqliteStore::feedback_state(const std::string& token) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    std::vector<Poco::Int64> answered;
    *r << "SELECT CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END FROM feedback WHERE token = ?", bind(token),
        into(answered), now;
    if (answered.empty()) return FeedbackState::NotOffered;
    return answered.front() ? FeedbackState::Answered : FeedbackState::Offered;
  });
}

Store::FeedbackOutcome SqliteStore::answer_feedback(const std::string& token, const FeedbackAnswer& a, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at), q1 = a.satisfaction.value_or(0), q2 = a.trust.value_or(0);
      const std::string well = join_drivers(a.went_well), badly = join_drivers(a.went_badly);
      s << "UPDATE feedback SET answered_at = ?, q1 = NULLIF(?, 0), q2 = NULLIF(?, 0), went_well = ?, went_badly = ?,"
           " comment = ? WHERE token = ? AND answered_at IS NULL",
          bind(t), bind(q1), bind(q2), bind(well), bind(badly), bind(a.comment), bind(token), now;
      if (changes(s) == 1) return FeedbackOutcome::Stored;
      Poco::Int64 n = 0;
      s << "SELECT count(*) FROM feedback WHERE token = ?", bind(token), into(n), now;
      return n > 0 ? FeedbackOutcome::AlreadyAnswered : FeedbackOutcome::NotOffered;
    });
  });
}

FigureSnapshot SqliteStore::freeze_snapshot(const FigureSnapshot& n) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 at = ms(n.frozen);
      s << "INSERT INTO figure_snapshots (quarter, csv, sha256, frozen_at) VALUES (?, ?, ?, ?)"
           " ON CONFLICT (quarter) DO NOTHING",
          bind(n.quarter), bind(n.csv), bind(n.sha256), bind(at), now;
      std::string csv, sha;
      Poco::Int64 frozen = 0;
      s << "SELECT csv, sha256, frozen_at FROM figure_snapshots WHERE quarter = ?", bind(n.quarter), into(csv),
          into(sha), into(frozen), now;
      return FigureSnapshot{n.quarter, csv, sha, from_ms(frozen)};
    });
  });
}

std::vector<FeedbackTally> SqliteStore::feedback_tallies() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << feedback_group_sql;
    st.execute();
    RecordSet rs(st);
    std::vector<FeedbackGroup> groups;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      FeedbackGroup g;
      g.form_id = text(rs, 0, i);
      g.version = integer(rs, 1, i);
      g.agency = text(rs, 2, i);
      g.channel = text(rs, 3, i);
      g.stage = text(rs, 4, i);
      g.month = text(rs, 5, i);
      g.answered = integer(rs, 6, i) != 0;
      g.q1 = opt_integer(rs, 7, i);
      g.q2 = opt_integer(rs, 8, i);
      g.went_well = text(rs, 9, i);
      g.went_badly = text(rs, 10, i);
      g.count = integer(rs, 11, i);
      groups.push_back(std::move(g));
    }
    return fold_feedback(groups);
  });
}

std::optional<FigureSnapshot> SqliteStore::find_snapshot(const std::string& quarter) {
  return guarded([&]() -> std::optional<FigureSnapshot> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT csv, sha256, frozen_at FROM figure_snapshots WHERE quarter = ?", bind(quarter);
    st.execute();
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return FigureSnapshot{quarter, text(rs, 0, 0), text(rs, 1, 0), from_ms(integer(rs, 2, 0))};
  });
}

std::vector<FigureSnapshot> SqliteStore::snapshots() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT quarter, sha256, frozen_at FROM figure_snapshots ORDER BY quarter";
    st.execute();
    RecordSet rs(st);
    std::vector<FigureSnapshot> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      out.push_back({text(rs, 0, i), {}, text(rs, 1, i), from_ms(integer(rs, 2, i))});
    }
    return out;
  });
}

FigureCounts SqliteStore::figure_counts() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    FigureCounts out;
    // One read transaction, so the four tables agree with each other.
    *r << "BEGIN", now;
    try {
      {
        Statement st(*r);
        st << "SELECT form_id, agency, quarter, channel, count FROM figure_applications WHERE count > 0"
              " ORDER BY form_id, agency, quarter, channel";
        st.execute();
        RecordSet rs(st);
        for (std::size_t i = 0; i < rs.rowCount(); ++i) {
          out.applications.push_back({text(rs, 0, i), text(rs, 1, i), text(rs, 2, i), text(rs, 3, i), integer(rs, 4, i)});
        }
      }
      {
        Statement st(*r);
        st << "SELECT form_id, quarter, channel, count FROM figure_started WHERE count > 0 ORDER BY form_id, quarter, channel";
        st.execute();
        RecordSet rs(st);
        for (std::size_t i = 0; i < rs.rowCount(); ++i) {
          out.started.push_back({text(rs, 0, i), text(rs, 1, i), text(rs, 2, i), integer(rs, 3, i)});
        }
      }
      {
        Statement st(*r);
        st << "SELECT form_id, agency, quarter, channel, days, decided, judged, within FROM figure_decisions"
              " WHERE decided > 0 ORDER BY form_id, agency, quarter, channel, days";
        st.execute();
        RecordSet rs(st);
        for (std::size_t i = 0; i < rs.rowCount(); ++i) {
          out.decisions.push_back({text(rs, 0, i), text(rs, 1, i), text(rs, 2, i), text(rs, 3, i), integer(rs, 4, i),
                                   integer(rs, 5, i), integer(rs, 6, i), integer(rs, 7, i)});
        }
      }
      {
        Statement st(*r);
        st << "SELECT form_id, agency, quarter, channel, past_from, count FROM figure_pending WHERE count > 0"
              " ORDER BY form_id, agency, quarter, channel, past_from";
        st.execute();
        RecordSet rs(st);
        for (std::size_t i = 0; i < rs.rowCount(); ++i) {
          out.pending.push_back({text(rs, 0, i), text(rs, 1, i), text(rs, 2, i), text(rs, 3, i), text(rs, 4, i),
                                 integer(rs, 5, i)});
        }
      }
    } catch (...) {
      *r << "ROLLBACK", now;
      throw;
    }
    *r << "COMMIT", now;
    return out;
  });
}

AuditEntry SqliteStore::append_audit(const NewAuditEntry& n, TimePoint at, const AuditChain& chain) {
  return guarded([&] {
    // BEGIN IMMEDIATE: one writer at a time in every process, so the newest entry read here is
    // still the newest when this one is inserted.
    return impl_->write([&](Session& s) {
      std::vector<Poco::Int64> seqs;
      std::vector<std::string> hashes;
      s << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", into(seqs), into(hashes), now;
      AuditEntry e;
      e.seq = seqs.empty() ? 1 : seqs.front() + 1;
      e.prev_hash = hashes.empty() ? std::string() : hashes.front();
      e.at = at;
      e.staff_id = n.staff_id;
      e.event = n.event;
      e.channel = n.channel;
      e.reference = n.reference;
      e.detail = n.detail;
      e.hash = chain(e);
      Poco::Int64 seq = e.seq, t = ms(at), staff = n.staff_id.value_or(0);
      s << "INSERT INTO audit_log (seq, at, staff_id, event, channel, reference, detail, prev_hash, hash)"
           " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?)",
          bind(seq), bind(t), bind(staff), bind(e.event), bind(e.channel), bind(e.reference), bind(e.detail),
          bind(e.prev_hash), bind(e.hash), now;
      return e;
    });
  });
}

std::vector<AuditEntry> SqliteStore::audit_page(std::int64_t before, std::size_t limit) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    Poco::Int64 b = before > 0 ? before : std::numeric_limits<Poco::Int64>::max(), l = static_cast<Poco::Int64>(limit);
    st << std::string("SELECT ") + audit_columns + " FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?", bind(b),
        bind(l);
    st.execute();
    RecordSet rs(st);
    return read_audit(rs);
  });
}

std::vector<AuditEntry> SqliteStore::audit_after(std::int64_t after, std::size_t limit) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    Poco::Int64 a = after, l = static_cast<Poco::Int64>(limit);
    st << std::string("SELECT ") + audit_columns + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", bind(a),
        bind(l);
    st.execute();
    RecordSet rs(st);
    return read_audit(rs);
  });
}

std::vector<AgencyItem> SqliteStore::claim_deliveries(const ClaimRequest& q) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(q.now), until = ms(q.now + q.lease), limit = static_cast<Poco::Int64>(q.limit);
      std::vector<Poco::Int64> ids;
      const std::string due =
          "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
          " AND (lease_until IS NULL OR lease_until <= ?)";
      if (q.agency) {
        s << due + " AND agency = ? ORDER BY next_attempt_at, id LIMIT ?", bind(t), bind(t), bind(*q.agency),
            bind(limit), into(ids), now;
      } else {
        s << due + " ORDER BY next_attempt_at, id LIMIT ?", bind(t), bind(t), bind(limit), into(ids), now;
      }
      std::vector<AgencyItem> out;
      for (Poco::Int64 id : ids) {
        s << "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?", bind(q.worker), bind(until),
            bind(id), now;
        Statement st(s);
        st << std::string(item_select) + "WHERE o.id = ?", bind(id);
        st.execute();
        RecordSet rs(st);
        auto items = read_items(rs);
        out.insert(out.end(), items.begin(), items.end());
      }
      return out;
    });
  });
}

bool SqliteStore::mark_delivered(std::int64_t outbox_id, const std::string& worker, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = outbox_id, t = ms(at);
      s << "UPDATE outbox SET state = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL"
           " WHERE id = ? AND lease_owner = ? AND state = 'pending'",
          bind(t), bind(id), bind(worker), now;
      return changes(s) > 0;
    });
  });
}

bool SqliteStore::release_delivery(std::int64_t outbox_id, const std::string& worker) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = outbox_id;
      s << "UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
           " WHERE id = ? AND lease_owner = ? AND state = 'pending'",
          bind(id), bind(worker), now;
      return changes(s) > 0;
    });
  });
}

bool SqliteStore::mark_failed(std::int64_t outbox_id, const std::string& worker, const std::string& error,
                              std::optional<TimePoint> next_attempt) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = outbox_id;
      if (next_attempt) {
        Poco::Int64 t = ms(*next_attempt);
        s << "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
             " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'",
            bind(error), bind(t), bind(id), bind(worker), now;
      } else {
        s << "UPDATE outbox SET attempts = attempts + 1, last_error = ?, state = 'dead', next_attempt_at = NULL,"
             " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'",
            bind(error), bind(id), bind(worker), now;
      }
      return changes(s) > 0;
    });
  });
}

std::vector<DeliveryStatus> SqliteStore::dead_letters(std::int64_t after_id, std::size_t limit) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 after = after_id, lim = static_cast<Poco::Int64>(limit);
    Statement st(*r);
    st << std::string(status_select) + "WHERE state = 'dead' AND id > ? ORDER BY id LIMIT ?", bind(after),
        bind(lim);
    st.execute();
    RecordSet rs(st);
    return read_statuses(rs);
  });
}

bool SqliteStore::redrive(std::int64_t outbox_id, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = outbox_id, t = ms(at);
      s << "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL,"
           " lease_until = NULL WHERE id = ? AND state = 'dead'",
          bind(t), bind(id), now;
      return changes(s) > 0;
    });
  });
}

// --- the mail outbox ---

namespace {

const char* mail_status_select =
    "SELECT id, kind, language, state, attempts, created_at, next_attempt_at, sent_at, last_error FROM mail ";

std::vector<MailStatus> read_mail_statuses(RecordSet& rs) {
  std::vector<MailStatus> out;
  for (std::size_t r = 0; r < rs.rowCount(); ++r) {
    MailStatus m;
    m.id = integer(rs, 0, r);
    m.kind = text(rs, 1, r);
    m.language = text(rs, 2, r);
    m.state = mail_state_of(text(rs, 3, r));
    m.attempts = integer(rs, 4, r);
    m.created = from_ms(integer(rs, 5, r));
    if (auto v = opt_integer(rs, 6, r); v && m.state == MailState::Pending) m.next_attempt = from_ms(*v);
    if (auto v = opt_integer(rs, 7, r)) m.sent = from_ms(*v);
    m.last_error = text(rs, 8, r);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> SqliteStore::enqueue_mail(const NewMail& mail, TimePoint at,
                                                      const std::string& link_reference) {
  std::optional<std::string> ref;
  if (mail.link) {
    ref = parse_reference(link_reference);
    if (!ref) return std::nullopt;
  }
  return guarded([&] {
    return impl_->write([&](Session& s) -> std::optional<std::int64_t> {
      Poco::Int64 submission = 0;
      if (ref) {
        std::vector<Poco::Int64> ids;
        s << "SELECT id FROM submissions WHERE reference = ?", bind(*ref), into(ids), now;
        if (ids.empty()) return std::nullopt;
        submission = ids.front();
      }
      write_mail(*impl_->saves, mail, submission, at);
      return impl_->saves->last_mail_id;
    });
  });
}

std::vector<MailItem> SqliteStore::claim_mail(const ClaimRequest& q) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(q.now), until = ms(q.now + q.lease), limit = static_cast<Poco::Int64>(q.limit);
      std::vector<Poco::Int64> ids;
      s << "SELECT id FROM mail WHERE state = 'pending' AND next_attempt_at <= ?"
           " AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?",
          bind(t), bind(t), bind(limit), into(ids), now;
      std::vector<MailItem> out;
      for (Poco::Int64 id : ids) {
        s << "UPDATE mail SET lease_owner = ?, lease_until = ? WHERE id = ?", bind(q.worker), bind(until), bind(id),
            now;
        Statement st(s);
        st << "SELECT id, kind, language, recipient, subject, body_text, body_html, attempts, created_at"
              " FROM mail WHERE id = ?",
            bind(id);
        st.execute();
        RecordSet rs(st);
        for (std::size_t r = 0; r < rs.rowCount(); ++r) {
          MailItem m;
          m.id = integer(rs, 0, r);
          m.kind = text(rs, 1, r);
          m.language = text(rs, 2, r);
          m.recipient = text(rs, 3, r);
          m.subject = text(rs, 4, r);
          m.text = text(rs, 5, r);
          m.html = text(rs, 6, r);
          m.attempts = integer(rs, 7, r);
          m.created = from_ms(integer(rs, 8, r));
          out.push_back(std::move(m));
        }
      }
      return out;
    });
  });
}

bool SqliteStore::mark_mail_sent(std::int64_t mail_id, const std::string& worker, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = mail_id, t = ms(at);
      s << "UPDATE mail SET state = 'sent', sent_at = ?, recipient = NULL, subject = NULL, body_text = NULL,"
           " body_html = NULL, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, last_error = ''"
           " WHERE id = ? AND lease_owner = ? AND state = 'pending'",
          bind(t), bind(id), bind(worker), now;
      return changes(s) > 0;
    });
  });
}

bool SqliteStore::mark_mail_failed(std::int64_t mail_id, const std::string& worker, const std::string& error,
                                   std::optional<TimePoint> next_attempt) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = mail_id;
      if (next_attempt) {
        Poco::Int64 t = ms(*next_attempt);
        s << "UPDATE mail SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
             " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'",
            bind(error), bind(t), bind(id), bind(worker), now;
      } else {
        s << "UPDATE mail SET attempts = attempts + 1, last_error = ?, state = 'dead', next_attempt_at = NULL,"
             " lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'",
            bind(error), bind(id), bind(worker), now;
      }
      return changes(s) > 0;
    });
  });
}

bool SqliteStore::release_mail(std::int64_t mail_id, const std::string& worker) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = mail_id;
      s << "UPDATE mail SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'pending'",
          bind(id), bind(worker), now;
      return changes(s) > 0;
    });
  });
}

std::vector<MailStatus> SqliteStore::dead_mail(std::int64_t after_id, std::size_t limit) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 after = after_id, lim = static_cast<Poco::Int64>(limit);
    Statement st(*r);
    st << std::string(mail_status_select) + "WHERE state = 'dead' AND id > ? ORDER BY id LIMIT ?", bind(after),
        bind(lim);
    st.execute();
    RecordSet rs(st);
    return read_mail_statuses(rs);
  });
}

bool SqliteStore::redrive_mail(std::int64_t mail_id, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 id = mail_id, t = ms(at);
      s << "UPDATE mail SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL,"
           " lease_until = NULL WHERE id = ? AND state = 'dead'",
          bind(t), bind(id), now;
      return changes(s) > 0;
    });
  });
}

std::vector<MailCount> SqliteStore::mail_counts() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT kind, state, count(*) FROM mail GROUP BY kind, state ORDER BY kind,"
          " CASE state WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END";
    st.execute();
    RecordSet rs(st);
    std::vector<MailCount> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      out.push_back({text(rs, 0, i), mail_state_of(text(rs, 1, i)), integer(rs, 2, i)});
    }
    return out;
  });
}

std::optional<std::string> SqliteStore::open_link(const std::string& token_hash, const std::string& session_hash,
                                                  TimePoint session_expires, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) -> std::optional<std::string> {
      Poco::Int64 t = ms(at), until = ms(session_expires);
      s << "UPDATE mail_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", bind(t),
          bind(token_hash), bind(t), now;
      if (changes(s) == 0) return std::nullopt;
      std::vector<Poco::Int64> ids;
      std::vector<std::string> refs;
      s << "SELECT s.id, s.reference FROM mail_links l JOIN submissions s ON s.id = l.submission_id"
           " WHERE l.token_hash = ?",
          bind(token_hash), into(ids), into(refs), now;
      if (ids.empty()) return std::nullopt;
      s << "INSERT INTO receipt_sessions (session_hash, submission_id, expires_at) VALUES (?, ?, ?)",
          bind(session_hash), bind(ids.front()), bind(until), now;
      return refs.front();
    });
  });
}

std::optional<std::string> SqliteStore::session_reference(const std::string& session_hash, TimePoint at) {
  return guarded([&]() -> std::optional<std::string> {
    Impl::Reader r(impl_->readers);
    Poco::Int64 t = ms(at);
    std::vector<std::string> refs;
    *r << "SELECT s.reference FROM receipt_sessions r JOIN submissions s ON s.id = r.submission_id"
          " WHERE r.session_hash = ? AND r.expires_at > ?",
        bind(session_hash), bind(t), into(refs), now;
    if (refs.empty()) return std::nullopt;
    return refs.front();
  });
}

bool SqliteStore::contact_matches(const std::string& reference, const std::string& contact_hash) {
  auto ref = parse_reference(reference);
  return guarded([&] {
    std::string stored = sha256_hex("");  // compared anyway, so unknown references take as long
    bool found = false;
    if (ref) {
      Impl::Reader r(impl_->readers);
      std::vector<std::string> hashes;
      *r << "SELECT c.contact_hash FROM receipt_contacts c JOIN submissions s ON s.id = c.submission_id"
            " WHERE s.reference = ?",
          bind(*ref), into(hashes), now;
      if (!hashes.empty()) {
        stored = hashes.front();
        found = true;
      }
    }
    const bool same = constant_time_equal(contact_hash, stored);
    return found && same;
  });
}

bool SqliteStore::receipt_mailed(const std::string& reference) {
  auto ref = parse_reference(reference);
  if (!ref) return false;
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 n = 0;
    *r << "SELECT count(*) FROM submissions s WHERE s.reference = ?"
          " AND (EXISTS (SELECT 1 FROM mail_links l WHERE l.submission_id = s.id)"
          " OR EXISTS (SELECT 1 FROM receipt_contacts c WHERE c.submission_id = s.id))",
        bind(*ref), into(n), now;
    return n > 0;
  });
}

std::optional<AgencyPage> SqliteStore::list_for_agency(const std::string& agency, const std::string& cursor_text,
                                                       std::size_t limit) {
  auto after = cursor::decode(cursor_text);
  if (!after) return std::nullopt;
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 a = *after, lim = static_cast<Poco::Int64>(limit);
    if (a > 0) {
      // Every cursor issued names one of the agency's own views (the last of a page): a cursor
      // that names none was not issued, unless retention deleted its view. Then it is at or
      // before the end of the deleted front, and since ids are committed in order here, the
      // views after it are the views after that end.
      Poco::Int64 known = 0;
      Statement check(*r);
      check << "SELECT COUNT(*) FROM outbox WHERE id = ? AND agency = ?", bind(a), bind(agency), into(known);
      check.execute();
      if (known == 0) {
        Poco::Int64 deleted = 0;
        Statement floor(*r);
        floor << "SELECT COUNT(*) FROM retention_floors WHERE agency = ? AND ? <= max_id", bind(agency), bind(a),
            into(deleted);
        floor.execute();
        if (deleted == 0) return std::optional<AgencyPage>();
      }
    }
    Statement st(*r);
    st << std::string(item_select) + "WHERE o.agency = ? AND o.id > ? ORDER BY o.id LIMIT ?", bind(agency),
        bind(a), bind(lim);
    st.execute();
    RecordSet rs(st);
    AgencyPage page;
    page.items = read_items(rs);
    page.next_cursor = cursor::encode(page.items.empty() ? *after : page.items.back().outbox_id);
    return std::optional<AgencyPage>(std::move(page));
  });
}

std::optional<AgencyItem> SqliteStore::fetch_for_agency(const std::string& agency, const std::string& reference,
                                                        std::optional<std::int64_t> view_version) {
  auto ref = parse_reference(reference);
  if (!ref) return std::nullopt;
  return guarded([&]() -> std::optional<AgencyItem> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    Poco::Int64 v = view_version.value_or(0);
    // Version 0 (none asked for) is the latest.
    st << std::string(item_select) +
              "WHERE o.agency = ? AND s.reference = ? AND (? = 0 OR o.view_version = ?)"
              " ORDER BY o.view_version DESC LIMIT 1",
        bind(agency), bind(*ref), bind(v), bind(v);
    st.execute();
    RecordSet rs(st);
    auto items = read_items(rs);
    if (items.empty()) return std::nullopt;
    return items.front();
  });
}

bool SqliteStore::acknowledge(const std::string& agency, const std::string& reference, TimePoint at,
                              std::optional<std::int64_t> view_version) {
  auto ref = parse_reference(reference);
  if (!ref) return false;
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at), v = view_version.value_or(0);
      s << "UPDATE outbox SET acked_at = COALESCE(acked_at, ?), delivered_at = COALESCE(delivered_at, ?),"
           " state = 'delivered', lease_owner = NULL, lease_until = NULL"
           " WHERE agency = ? AND submission_id = (SELECT id FROM submissions WHERE reference = ?)"
           " AND (? = 0 OR view_version = ?)",
          bind(t), bind(t), bind(agency), bind(*ref), bind(v), bind(v), now;
      return changes(s) > 0;
    });
  });
}

NewToken SqliteStore::create_token(const std::string& agency, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      NewToken out;
      for (;;) {
        // 8 symbols (40 bits) name the token in lists and logs; the secret is separate.
        out.info.id = new_reference().substr(0, 4) + new_reference().substr(0, 4);
        Poco::Int64 taken = 0;
        s << "SELECT count(*) FROM agency_tokens WHERE id = ?", bind(out.info.id), into(taken), now;
        if (taken == 0) break;
      }
      out.info.agency = agency;
      out.info.created = at;
      out.token = "aot_" + out.info.id + "_" + random_token(32);
      std::string hash = sha256_hex(out.token);
      Poco::Int64 t = ms(at);
      s << "INSERT INTO agency_tokens (id, agency, token_hash, created_at) VALUES (?, ?, ?, ?)",
          bind(out.info.id), bind(agency), bind(hash), bind(t), now;
      return out;
    });
  });
}

std::optional<std::string> SqliteStore::verify_token(const std::string& token) {
  // "aot_" + 8-symbol id + "_" + secret
  std::string id = token.size() > 13 && token.compare(0, 4, "aot_") == 0 && token[12] == '_' ? token.substr(4, 8) : "";
  return guarded([&]() -> std::optional<std::string> {
    std::string stored = sha256_hex(""), agency;
    bool usable = false;
    if (!id.empty()) {
      Impl::Reader r(impl_->readers);
      Statement st(*r);
      st << "SELECT agency, token_hash, revoked_at FROM agency_tokens WHERE id = ?", bind(id);
      st.execute();
      RecordSet rs(st);
      if (rs.rowCount() > 0) {
        agency = text(rs, 0, 0);
        stored = text(rs, 1, 0);
        usable = rs.isNull(2, 0);
      }
    }
    bool same = constant_time_equal(sha256_hex(token), stored);
    if (!same || !usable) return std::nullopt;
    return agency;
  });
}

bool SqliteStore::revoke_token(const std::string& token_id, TimePoint at) {
  return guarded([&] {
    return impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at);
      s << "UPDATE agency_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", bind(t), bind(token_id),
          now;
      return changes(s) > 0;
    });
  });
}

std::vector<TokenInfo> SqliteStore::list_tokens(const std::string& agency) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT id, agency, created_at, revoked_at FROM agency_tokens WHERE agency = ? ORDER BY created_at, id",
        bind(agency);
    st.execute();
    RecordSet rs(st);
    std::vector<TokenInfo> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      out.push_back({text(rs, 0, i), text(rs, 1, i), from_ms(integer(rs, 2, i)), !rs.isNull(3, i)});
    }
    return out;
  });
}

void SqliteStore::archive_definition(const DefinitionRecord& d) {
  guarded([&] {
    {
      // The common case, a definition archived before, takes no write lock.
      Impl::Reader r(impl_->readers);
      Poco::Int64 known = 0;
      *r << "SELECT count(*) FROM definitions WHERE hash = ?", bind(d.hash), into(known), now;
      if (known > 0) return;
    }
    impl_->write([&](Session& s) {
      Poco::Int64 version = d.version;
      // ON CONFLICT, not OR IGNORE: only "already archived" is ignored, not a CHECK that fails.
      s << "INSERT INTO definitions (hash, form_id, version) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING",
          bind(d.hash), bind(d.form_id), bind(version), now;
      if (changes(s) == 0) return;  // archived meanwhile, by another thread or process
      Poco::Int64 position = 0;
      for (const auto& [path, source] : d.sources) {
        s << "INSERT INTO definition_sources (hash, position, path, text) VALUES (?, ?, ?, ?)", bind(d.hash),
            bind(position), bind(path), bind(source), now;
        ++position;
      }
    });
  });
}

std::optional<DefinitionRecord> SqliteStore::find_definition(const std::string& hash) {
  return guarded([&]() -> std::optional<DefinitionRecord> {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT form_id, version FROM definitions WHERE hash = ?", bind(hash);
    st.execute();
    RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    DefinitionRecord out;
    out.hash = hash;
    out.form_id = text(rs, 0, 0);
    out.version = integer(rs, 1, 0);
    // Both rows were committed together, so the sources are all there once the definition is.
    Statement f(*r);
    f << "SELECT path, text FROM definition_sources WHERE hash = ? ORDER BY position", bind(hash);
    f.execute();
    RecordSet files(f);
    for (std::size_t i = 0; i < files.rowCount(); ++i) out.sources.emplace_back(text(files, 0, i), text(files, 1, i));
    return out;
  });
}

std::vector<std::string> SqliteStore::definition_hashes(const std::string& form_id, std::int64_t version) {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    std::vector<std::string> out;
    Poco::Int64 v = version;
    *r << "SELECT hash FROM definitions WHERE form_id = ? AND version = ? ORDER BY hash", bind(form_id), bind(v),
        into(out), now;
    return out;
  });
}

SweepResult SqliteStore::sweep(const RetentionPolicy& policy, TimePoint at, std::size_t batch) {
  // Cut-offs in milliseconds; a kind kept for ever gets one no row is ever before.
  const Poco::Int64 views_before = retention_cutoff(policy.delivered_views, at), dead_before = retention_cutoff(policy.dead_letters, at),
                    stored_before = retention_cutoff(policy.submissions, at);
  const Poco::Int64 lim = static_cast<Poco::Int64>(std::max<std::size_t>(batch, 1));
  SweepResult result;
  return guarded([&] {
    std::vector<std::string> agencies;
    {
      Impl::Reader r(impl_->readers);
      *r << "SELECT DISTINCT agency FROM outbox", into(agencies), now;
    }
    for (const auto& agency : agencies) {
      // One transaction per batch: the front of the agency's list, as far as it is not kept.
      for (bool more = true; more;) {
        more = impl_->write([&](Session& s) {
          std::vector<Poco::Int64> ids, gone;
          std::vector<std::string> states;
          s << "SELECT o.id, o.state, CASE WHEN (o.state = 'delivered' AND o.delivered_at <= ?)"
               " OR (o.state = 'dead' AND s.stored_at <= ?) THEN 1 ELSE 0 END"
               " FROM outbox o JOIN submissions s ON s.id = o.submission_id WHERE o.agency = ? ORDER BY o.id LIMIT ?",
              bind(views_before), bind(dead_before), bind(agency), bind(lim), into(ids), into(states), into(gone), now;
          std::size_t front = 0;
          while (front < ids.size() && gone[front] == 1) ++front;
          if (front == 0) return false;
          const Poco::Int64 last = ids[front - 1];
          Poco::Int64 delivered = 0;
          for (std::size_t i = 0; i < front; ++i) delivered += states[i] == "delivered" ? 1 : 0;
          s << "DELETE FROM outbox WHERE agency = ? AND id <= ?", bind(agency), bind(last), now;
          s << "INSERT INTO retention_floors (agency, xid, id, max_id) VALUES (?, 0, ?, ?)"
               " ON CONFLICT (agency) DO UPDATE SET id = excluded.id, max_id = max(max_id, excluded.max_id)",
              bind(agency), bind(last), bind(last), now;
          result.views += delivered;
          result.dead_letters += static_cast<std::int64_t>(front) - delivered;
          return front == ids.size();
        });
      }
    }
    for (bool more = policy.submissions.has_value(); more;) {
      more = impl_->write([&](Session& s) {
        s << "DELETE FROM submissions WHERE id IN (SELECT id FROM submissions WHERE stored_at <= ? AND NOT EXISTS"
             " (SELECT 1 FROM outbox o WHERE o.submission_id = submissions.id) ORDER BY stored_at LIMIT ?)",
            bind(stored_before), bind(lim), now;
        const auto n = changes(s);
        result.submissions += n;
        return n == lim;
      });
    }
    impl_->write([&](Session& s) {
      Poco::Int64 t = ms(at);
      s << "DELETE FROM attempts WHERE until <= ?", bind(t), now;
    });
    const Poco::Int64 drafts_before = ms(at - impl_->drafts.lifetime);
    for (bool more = true; more;) {
      more = impl_->write([&](Session& s) {
        s << "DELETE FROM drafts WHERE id_hash IN (SELECT id_hash FROM drafts WHERE updated_at <= ? LIMIT ?)",
            bind(drafts_before), bind(lim), now;
        const auto n = changes(s);
        result.drafts += n;
        return n == lim;
      });
    }
    // Mails: sent ones after the delivered views' period, dead ones after the dead letters';
    // receipt links and sessions once expired.
    const Poco::Int64 t = ms(at);
    for (bool more = true; more;) {
      more = impl_->write([&](Session& s) {
        s << "DELETE FROM mail WHERE id IN (SELECT id FROM mail WHERE (state = 'sent' AND sent_at <= ?)"
             " OR (state = 'dead' AND created_at <= ?) ORDER BY id LIMIT ?)",
            bind(views_before), bind(dead_before), bind(lim), now;
        const auto n = changes(s);
        result.mails += n;
        return n == lim;
      });
    }
    impl_->write([&](Session& s) {
      s << "DELETE FROM mail_links WHERE expires_at <= ?", bind(t), now;
      result.links += changes(s);
      s << "DELETE FROM receipt_sessions WHERE expires_at <= ?", bind(t), now;
      result.links += changes(s);
    });
    // Staff sessions once ended (touch_staff_session refuses them already), used recovery codes.
    impl_->write([&](Session& s) {
      Poco::Int64 seen_before = ms(at - policy.staff_idle), created_before = ms(at - policy.staff_session);
      s << "DELETE FROM staff_sessions WHERE last_seen_at <= ? OR created_at <= ?", bind(seen_before),
          bind(created_before), now;
      result.staff_sessions += changes(s);
      s << "DELETE FROM staff_recovery_codes WHERE used_at IS NOT NULL", now;
      result.recovery_codes += changes(s);
    });
    // Feedback: comments blanked after their period (from when they were given), rows deleted
    // after theirs (from when the survey was offered).
    const Poco::Int64 comments_before = retention_cutoff(policy.feedback_comments, at),
                      feedback_before = retention_cutoff(policy.feedback, at);
    for (bool more = policy.feedback_comments.has_value(); more;) {
      more = impl_->write([&](Session& s) {
        s << "UPDATE feedback SET comment = '' WHERE token IN (SELECT token FROM feedback WHERE comment <> ''"
             " AND answered_at <= ? LIMIT ?)",
            bind(comments_before), bind(lim), now;
        const auto n = changes(s);
        result.feedback_comments += n;
        return n == lim;
      });
    }
    for (bool more = policy.feedback.has_value(); more;) {
      more = impl_->write([&](Session& s) {
        s << "DELETE FROM feedback WHERE token IN (SELECT token FROM feedback WHERE offered_at <= ? LIMIT ?)",
            bind(feedback_before), bind(lim), now;
        const auto n = changes(s);
        result.feedback += n;
        return n == lim;
      });
    }
    // Deleted means gone from the files too: secure_delete zeroed the pages in the WAL; the
    // checkpoint writes them over the database file and empties the WAL, old page images and
    // all. (Best effort: a reader in the middle of a long read keeps the WAL until the next sweep.)
    if (result.total() > 0) {
      std::lock_guard lock(impl_->write_mutex);
      *impl_->writer << "PRAGMA wal_checkpoint(TRUNCATE)", now;
    }
    return result;
  });
}

std::vector<DeliveryCount> SqliteStore::delivery_counts() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Statement st(*r);
    st << "SELECT agency, state, count(*) FROM outbox GROUP BY agency, state ORDER BY agency,"
          " CASE state WHEN 'pending' THEN 0 WHEN 'delivered' THEN 1 ELSE 2 END";
    st.execute();
    RecordSet rs(st);
    std::vector<DeliveryCount> out;
    for (std::size_t i = 0; i < rs.rowCount(); ++i) {
      out.push_back({text(rs, 0, i), state_of(text(rs, 1, i)), integer(rs, 2, i)});
    }
    return out;
  });
}

std::int64_t SqliteStore::submission_count() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    Poco::Int64 n = 0;
    *r << "SELECT count(*) FROM submissions", into(n), now;
    return static_cast<std::int64_t>(n);
  });
}

std::vector<std::string> SqliteStore::check_integrity() {
  return guarded([&] {
    Impl::Reader r(impl_->readers);
    std::vector<std::string> rows;
    *r << "PRAGMA integrity_check", into(rows), now;
    if (rows.size() == 1 && rows[0] == "ok") rows.clear();
    return rows;
  });
}

}  // namespace askonce::server
