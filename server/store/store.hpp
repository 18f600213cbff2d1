// server/store/store.hpp: the one storage interface of the server.
//
// Handlers and the delivery worker speak only to `Store`; `SqliteStore` (sqlite_store.hpp) is
// the default backend, `PostgresStore` (postgres_store.hpp) serves several nodes from one
// database, and open_store (open_store.hpp) opens the one --db names. The contract every
// backend keeps:
//   - save_submission commits the submission and one outbox row per routed agency in ONE
//     transaction (which concurrent saves may share: group commit), before it returns; after
//     it returns they survive a crash (kill -9, power loss with SQLite's synchronous=FULL or
//     PostgreSQL's synchronous_commit=on).
//   - Expected outcomes (not found, idempotency conflict, a lease lost) are values; a failure
//     of the database itself (disk full, corrupt file, a schema from a newer askonce) throws
//     StoreError, which a handler answers with 503 and no receipt.
//   - Times are passed in by the caller (`now`), so tests and the worker decide the clock.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

namespace askonce::server {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

/// `t` as ISO 8601 UTC to the second: "2026-12-07T08:15:00Z".
std::string iso_utc(TimePoint t);

/// The database failed, or cannot be used by this binary. The message is for an operator.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One agency's view of a submission, as it is stored in the outbox. Both formats are stored
/// so that a pull by Accept and a webhook need nothing rebuilt (and a form changed on disk
/// cannot change what an agency receives).
struct ViewToStore {
  std::string agency;     // the agency's name in the form
  std::string json;       // the JSON view
  std::optional<std::string> xml;  // the XML view, when the agency has one
  /// The first day this application is past the agency's service standard ("YYYY-MM-DD":
  /// docs/figures.md, "Published results"), worked out by the caller from the standard;
  /// empty when the agency has none. The published figures count it as pending from that day.
  std::string past_from;
};

/// A retry guard: the same (scope, key) with the same fingerprint gets the stored answer;
/// with another fingerprint it is a conflict.
struct IdempotencyKey {
  std::string scope;        // who and what: e.g. client id + "/" + form id
  std::string key;          // the Idempotency-Key header, as sent
  std::string fingerprint;  // request_fingerprint(body)
};

/// The ways an application comes in: "web" and "api" by the citizen or their software; "phone",
/// "in_person" and "mail" keyed by staff. A submission's channel is always one of these.
inline constexpr std::string_view channels[] = {"web", "api", "phone", "in_person", "mail"};
/// Whether `channel` is one of channels.
bool known_channel(std::string_view channel);
/// Whether staff key applications on `channel` (phone, in_person, mail).
bool staff_channel(std::string_view channel);

/// "sha256:<hex>" of a request body: what idempotency compares.
std::string request_fingerprint(std::string_view body);

/// Answers as a web page posts them: flat (name, value) pairs in the order posted
/// ("person.name.first", "household[0].full_name", "move_date.month").
using FlatAnswers = std::vector<std::pair<std::string, std::string>>;

/// An application in progress: what a citizen has answered so far, kept between pages.
struct NewDraft {
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;  // "web"; the staff channels later
  FlatAnswers answers;
  /// Counted among the drafts started (figure_started); false when the deployment does not
  /// publish the figures (performance.publish).
  bool counted = true;
  /// The day it was started, "YYYY-MM-DD", in the deployment's zone: counted in this day's
  /// quarter. Empty: the UTC day (the store knows no zone).
  std::string day{};
};

struct Draft {
  /// The draft's id: 192 random bits, URL-safe base64. The browser's cookie holds it; the
  /// database keeps only its SHA-256, so a copy of the database names no draft.
  std::string id;
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;
  FlatAnswers answers;
  TimePoint created;
  TimePoint updated;  // the last change: a draft expires a lifetime after it
};

class Keyring;

/// What a store needs for drafts: the keys that seal their answers, and how long a draft lives
/// after its last change (docs/operations.md, "Drafts").
struct DraftOptions {
  std::shared_ptr<const Keyring> keys;  // none: drafts cannot be used (the CLI's stores)
  std::chrono::milliseconds lifetime = std::chrono::hours(24 * 30);
};

/// How many drafts were started for one form on one channel: a durable count that outlives
/// the drafts (the completion rate divides submissions by it). No answers in it.
struct StartedCount {
  std::string form_id;
  std::string channel;
  std::int64_t count = 0;
};

/// A link in a mail that opens a receipt's status once (docs/architecture.md, "Mail"): only the
/// hash of its token is stored; the token itself is only in the mail, until the mail is sent.
struct NewMailLink {
  std::string token_hash;  // sha256_hex(token)
  TimePoint expires;
};

/// A message for the mail outbox. Its recipient, subject and bodies are deleted once it is sent;
/// kind, language, state, times and attempts stay for /metrics and operators.
struct NewMail {
  std::string kind;      // "receipt", "resume", ...: for metrics and operators
  std::string language;  // "en", "es"
  std::string recipient;
  std::string subject;
  std::string text;  // text/plain, UTF-8
  std::string html;  // text/html, UTF-8
  /// A single-use link to the receipt of the submission the mail is saved with (or, for
  /// enqueue_mail, of the reference it names).
  std::optional<NewMailLink> link;
};

/// What save_submission stores: a checked, canonical submission (engine::Submission's fields)
/// and the views it was routed to.
struct NewSubmission {
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;   // one of channels (below)
  std::string received;  // ISO 8601 UTC, as engine::Submission::received
  /// The day the application arrived, "YYYY-MM-DD": for mail, the day the envelope arrived (a
  /// program's clock may start then); otherwise the day of `received` in the deployment's zone.
  std::string date_received;
  /// The day it was recorded, "YYYY-MM-DD", in the deployment's zone (today, for every channel):
  /// the published figures count the application in this day's quarter, so that a quarter's
  /// figures are final when it ends (mail keyed late counts in the quarter it was keyed).
  /// Empty: date_received.
  std::string day_recorded;
  /// The staff member who keyed it (phone, in person, mail); none for web and api.
  std::optional<std::int64_t> staff_id;
  std::string canonical_json;
  std::string digest;
  std::vector<ViewToStore> views;
  std::optional<IdempotencyKey> idempotency;
  /// The id of the draft this submission was made from: deleted in the same transaction that
  /// stores the submission, so a draft becomes at most one application. (Replayed and
  /// KeyConflict leave drafts alone.)
  std::optional<std::string> consumes_draft;
  /// The mails that announce the submission (the receipt mail), written in its transaction when
  /// it is Stored (not on a replay), made from the reference the store gives it. Called by the
  /// store before the save queues, and again in the rare case the reference is drawn again
  /// (already taken), so a mail never names another reference. Empty: no mail.
  std::function<std::vector<NewMail>(const std::string& reference)> mails;
  /// A keyed hash of the email address the citizen gave (for "Lost your receipt link?"), kept
  /// with the submission; the address itself is not kept once the mail is sent.
  std::optional<std::string> contact_hash;
  /// Counted in the published figures (figure_applications, figure_pending) in the same
  /// transaction; false when the deployment does not publish them (performance.publish).
  bool counted = true;
};

enum class DeliveryState : std::uint8_t { Pending, Delivered, Dead };
const char* to_string(DeliveryState s);

/// One outbox row as a receipt page or an operator sees it.
struct DeliveryStatus {
  std::int64_t id = 0;  // outbox row id: for the worker and operators, never shown to agencies
  std::string agency;
  std::int64_t view_version = 1;  // 1: the view as submitted; 2, 3, ...: amendments
  DeliveryState state = DeliveryState::Pending;
  std::int64_t attempts = 0;
  std::optional<TimePoint> next_attempt;
  std::optional<TimePoint> delivered;  // delivered by webhook or acknowledged by a pull
  std::string last_error;
};

/// A stored submission, without the secret of its receipt.
struct StoredSubmission {
  std::string reference;  // canonical "XXXX-XXXX-XXC"
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;
  std::string received;
  std::string date_received;  // "YYYY-MM-DD" (NewSubmission::date_received)
  std::optional<std::int64_t> staff_id;
  std::string canonical_json;
  std::string digest;
  /// One per agency, in the order the views were given: the state of its latest version (an
  /// amendment, once there is one: amend_submission).
  std::vector<DeliveryStatus> deliveries;
};

/// Feedback counts of one cell (Store::feedback_tallies): the A-11 survey offered at one stage
/// for one form version, agency ('' = every agency of the form) and channel, in one fiscal
/// quarter of the day it was offered ("FY2027 Q1", engine::FiscalQuarter::label). Counts only:
/// free text never leaves the feedback table.
struct FeedbackTally {
  std::string form_id;
  std::int64_t version = 0;
  std::string agency;
  std::string channel;
  std::string stage;    // "confirmation", "decision", "phone", "in_person"
  std::string quarter;  // "FY2027 Q1"
  std::int64_t offered = 0;
  std::int64_t answered = 0;
  std::array<std::int64_t, 5> satisfaction{};  // q1: answers at 1 (strongly disagree) .. 5
  std::array<std::int64_t, 5> trust{};         // q2: the same scale
  std::map<std::string, std::int64_t> went_well;   // driver -> count
  std::map<std::string, std::int64_t> went_badly;  // driver -> count
};

/// The moments the A-11 survey is offered at (docs/figures.md, "Feedback"): the web confirmation
/// page, the status page after one agency's decision, the end of a phone call, the counter.
inline constexpr std::string_view feedback_stages[] = {"confirmation", "decision", "phone", "in_person"};
/// Whether `stage` is one of feedback_stages.
bool known_feedback_stage(std::string_view stage);

/// The one-way token a feedback row is stored under: HMAC-SHA256 under `key` (derived from the
/// keyring, never from the database) of "feedback" NUL reference NUL stage NUL agency, as
/// "fb1:" + base64url. Whoever holds the database but not the key cannot tell which
/// application a row belongs to; the server, given the reference, finds its row again.
std::string feedback_token(std::string_view key, std::string_view reference, std::string_view stage,
                           std::string_view agency);

/// The survey offered once (Store::offer_feedback): who it was offered about, never who to.
struct FeedbackOffer {
  std::string token;  // feedback_token(...)
  std::string form_id;
  std::int64_t version = 0;
  std::string agency;   // '' = every agency of the form (the stages before a decision)
  std::string channel;  // the application's channel
  std::string stage;    // one of feedback_stages
  std::string offered_on;  // "YYYY-MM-DD" in the deployment's zone: the fiscal quarter is of this day
};

/// What a respondent answered; every part optional. The server checks it (1..5, known drivers,
/// the comment's length) before it gets here.
struct FeedbackAnswer {
  std::optional<int> satisfaction;  // q1, 1..5
  std::optional<int> trust;         // q2, 1..5
  std::vector<std::string> went_well;   // driver names, each once
  std::vector<std::string> went_badly;
  std::string comment;  // free text: never published, never logged; blanked after its retention
};

/// Where one offer stands.
enum class FeedbackState : std::uint8_t { NotOffered, Offered, Answered };
// --- the published figures (docs/figures.md, "Published results") ---
//
// Kept up to date in the transaction of each change that moves them (save_submission,
// create_draft, append_agency_status), never recomputed from the rows: they outlive the rows
// retention deletes. A cell is a form, an agency ('' = the application, whatever agencies it
// went to), a fiscal quarter ("FY2027 Q1") and a channel. The quarter is the one a count is
// final in (docs/figures.md): applications in the quarter of the day they were recorded,
// decisions in the quarter of the day decided, drafts in the quarter of the day started;
// pending applications in the quarter of their day received (the clock's day 0).

/// The key a pending application is counted under when it can never be past its standard
/// (the agency has none) or is not while the agency waits on the citizen.
inline constexpr std::string_view never_past = "9999-12-31";

/// How one status post moves its application in the figures, for its agency. Worked out by the
/// caller from the agency's standard and the clock (server/http's figure_move); the store
/// applies it in the transaction that stores the post, to the cell of the submission
/// (its form, channel and quarter received; for a decision, `decided_quarter`) and the post's
/// agency.
struct FigureMove {
  std::string pending_from;  // the pending key it leaves ("YYYY-MM-DD" or never_past); empty: none
  std::string pending_to;    // the pending key it joins; empty: none (decided)
  /// Decided now: the days to decision (docs/figures.md), whether the agency has a standard
  /// (judged) and whether the decision came within it.
  std::optional<std::int64_t> decided_days;
  std::string decided_quarter;  // with decided_days: the fiscal quarter of the day decided
  bool judged = false;
  bool within = false;
  bool operator==(const FigureMove&) const = default;
};

/// Every count the figures are computed from (Store::figure_counts), plain data.
struct FigureCounts {
  struct Applications {
    std::string form_id, agency, quarter, channel;
    std::int64_t count = 0;
  };
  /// Drafts started (web journeys and keyed ones) per form, quarter of the UTC day and channel.
  struct Started {
    std::string form_id, quarter, channel;
    std::int64_t count = 0;
  };
  /// Decisions of one cell taken in `days` days: how many, how many under a standard, how many
  /// within it.
  struct Decisions {
    std::string form_id, agency, quarter, channel;
    std::int64_t days = 0;
    std::int64_t decided = 0, judged = 0, within = 0;
  };
  /// Applications of one cell still undecided, by the first day each is past its standard.
  struct Pending {
    std::string form_id, agency, quarter, channel;
    std::string past_from;  // "YYYY-MM-DD", or never_past
    std::int64_t count = 0;
  };
  std::vector<Applications> applications;
  std::vector<Started> started;
  std::vector<Decisions> decisions;
  std::vector<Pending> pending;
};

/// A quarter's published results, frozen once the quarter has ended (docs/figures.md,
/// "Snapshots"): the canonical CSV and its SHA-256, never changed once stored.
struct FigureSnapshot {
  std::string quarter;  // "FY2027 Q1"
  std::string csv;      // publication_csv of the quarter alone; empty in snapshots() lists
  std::string sha256;   // hex SHA-256 of csv's bytes
  TimePoint frozen;
};

/// One status an agency posted about a submission (Store::agency_statuses).
struct AgencyStatus {
  std::string agency;
  std::int64_t seq = 0;       // 1, 2, ... per submission and agency
  /// "received", "in_review", "need_info", "decided"; or "answered": not an agency's post but
  /// the citizen's answer to its need_info (amend_submission), which ends that wait.
  std::string status;
  std::string outcome;        // decided: "approved", "denied", "partly_approved", "withdrawn", "referred"
  std::string tracking;       // the agency's own tracking number; empty: none
  std::string message_name;   // a message the form defines for the agency; empty: none
  std::string message_json;   // the agency's own message, {"en": "...", "es": "..."}; empty: none
  /// need_info: what the agency needs corrected or answered, as names in its view (its
  /// `receives` names); empty: it named none, and the citizen chooses.
  std::vector<std::string> fields;
  TimePoint at;
};

struct SaveResult {
  enum class Status : std::uint8_t {
    Stored,          // stored now
    Replayed,        // the same key and body were stored before: nothing stored again
    KeyConflict,     // the same key was used with another body: nothing stored
  };
  Status status = Status::Stored;
  /// The stored submission (Stored, Replayed); empty on KeyConflict.
  std::optional<StoredSubmission> submission;
  /// The receipt secret, for the receipt link (Stored, Replayed). Only its hash is stored. On
  /// a replay it is derived again from the request's idempotency key and a stored salt, so the
  /// retry gets the same link: HMAC-SHA256(salt, scope NUL key NUL fingerprint).
  std::string receipt_secret;
};

/// A view an agency pulls, or the worker delivers.
struct AgencyItem {
  std::int64_t outbox_id = 0;
  std::string reference;  // the id an agency sees and fetches by
  std::string agency;
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string digest;
  std::string received;
  // The envelope every view travels in (docs/agencies.md): never inside the view itself.
  std::string language;
  std::string channel;
  std::string date_received;
  std::string json;
  std::optional<std::string> xml;
  DeliveryState state = DeliveryState::Pending;
  std::int64_t attempts = 0;
  bool acknowledged = false;
  /// Which version of the agency's view this is: 1 as submitted, then 2, 3, ... for each
  /// amendment (amend_submission). In the envelope, never in the view.
  std::int64_t view_version = 1;
  /// An amendment's changed paths: JSON Pointers into the view's `data` ("/NewAddress/street"),
  /// in view order. Empty for version 1.
  std::vector<std::string> changed;
};

/// AgencyItem::changed as the outbox keeps it: the paths with '\n' between them (a path is
/// made of an agency's names, which hold no line break); and back. Both backends and `db copy`
/// use these.
std::string join_paths(const std::vector<std::string>& paths);
std::vector<std::string> split_paths(std::string_view text);

/// One agency's new version of its view of a corrected submission: the whole view (as
/// ViewToStore), and the paths in it whose values changed (AgencyItem::changed).
struct AmendedView {
  std::string agency;
  std::string json;
  std::optional<std::string> xml;
  std::vector<std::string> changed;
};

/// A correction of a stored submission (amend_submission): its corrected answers, and a new
/// version of the view of each agency whose view changed, delivered like any outbox row.
struct Amendment {
  std::string reference;
  /// The digest the correction was made from: when the stored one is another (a correction
  /// made meanwhile, maybe on another node), nothing is stored and the caller reads again.
  std::string from_digest;
  std::string canonical_json;  // the corrected answers (engine::Submission's)
  std::string digest;
  std::vector<AmendedView> views;
  /// Mails queued in the same transaction (a changed address told at its old one; the usual
  /// status mail): a mail's link opens this submission's status.
  std::vector<NewMail> mails;
  /// When the correction answers an agency's need_info: the status row the answer makes
  /// ("answered", number `seq` of that agency), stored as append_agency_status would. Its
  /// number taken: nothing stored (Conflict).
  std::optional<AgencyStatus> answer;
  /// How the answer moves the published figures (the agency's clock runs again), as
  /// append_agency_status's `figures`.
  FigureMove answer_figures;
  /// The correction changed the email address the receipt's mails go to: the keyed hash kept
  /// for "Lost your receipt link?" (contact_matches) is replaced, in the same transaction, by
  /// `contact_hash` (none: no hash is kept, and no address finds the application), so the new
  /// address finds it and the old one no longer does.
  bool contact_changed = false;
  std::optional<std::string> contact_hash;
};

struct AmendResult {
  enum class Status : std::uint8_t {
    Stored,    // the answers corrected, every view's new version queued
    NotFound,  // no such submission
    Conflict,  // it changed since from_digest was read (or the answer's number is taken)
  };
  Status status = Status::NotFound;
  /// Stored: the version each view of Amendment::views got, in their order.
  std::vector<std::int64_t> versions;
};

struct AgencyPage {
  std::vector<AgencyItem> items;
  /// Pass as `after` for the next page; the same cursor when there was nothing new. Opaque to
  /// agencies; stable: a cursor keeps meaning "after this row" forever.
  std::string next_cursor;
};

/// A claim on due deliveries: rows pending, due at `now`, not leased by a live worker.
struct ClaimRequest {
  std::string worker;  // who holds the lease (mark_* checks it)
  TimePoint now;
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  std::size_t limit = 16;
  std::optional<std::string> agency;  // only this agency's rows
};

struct TokenInfo {
  std::string id;  // public, printed in lists: e.g. "7Q2K9M3X"
  std::string agency;
  TimePoint created;
  bool revoked = false;
};

struct NewToken {
  TokenInfo info;
  std::string token;  // "aot_<id>_<secret>": shown once, never stored
};

enum class MailState : std::uint8_t { Pending, Sent, Dead };
const char* to_string(MailState s);

/// A mail the worker sends (claim_mail).
struct MailItem {
  std::int64_t id = 0;
  std::string kind;
  std::string language;
  std::string recipient;
  std::string subject;
  std::string text;
  std::string html;
  std::int64_t attempts = 0;
  TimePoint created;
};

/// A mail as an operator sees it: never its recipient or body.
struct MailStatus {
  std::int64_t id = 0;
  std::string kind;
  std::string language;
  MailState state = MailState::Pending;
  std::int64_t attempts = 0;
  TimePoint created;
  std::optional<TimePoint> next_attempt;
  std::optional<TimePoint> sent;
  std::string last_error;
};

/// How many mails of one kind are in one state (for /metrics).
struct MailCount {
  std::string kind;
  MailState state = MailState::Pending;
  std::int64_t count = 0;
};

/// Exponential backoff with full jitter, never before `retry_after` (an agency's Retry-After):
/// the delay before attempt number `attempts + 1`, given `attempts` failed ones. `unit` is a
/// uniform random number in [0, 1).
std::chrono::milliseconds backoff_delay(std::int64_t attempts, double unit,
                                        std::chrono::milliseconds base = std::chrono::seconds(5),
                                        std::chrono::milliseconds cap = std::chrono::hours(6),
                                        std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

/// A form definition as it was when submissions were checked against it, kept so that a
/// submission can be displayed under its own definition after the form changed on disk.
struct DefinitionRecord {
  std::string hash;  // the definition hash submissions carry (NewSubmission::definition_hash)
  std::string form_id;
  std::int64_t version = 0;
  /// Every file of the form, imports included: (path relative to the forms folder, text), in
  /// the order given.
  std::vector<std::pair<std::string, std::string>> sources;
};

/// How many outbox rows one agency has in one state (for /metrics).
struct DeliveryCount {
  std::string agency;
  DeliveryState state = DeliveryState::Pending;
  std::int64_t count = 0;
};

/// What group commit achieved since a store was opened: `saves` calls of save_submission
/// answered (any outcome) by `commits` transactions, the largest of which carried
/// `largest_batch` saves. saves / commits is the number of submissions per commit (per fsync).
struct WriteStats {
  std::uint64_t saves = 0;
  std::uint64_t commits = 0;
  std::uint64_t largest_batch = 0;
};

/// How long each kind of record is kept (docs/operations.md, "Retention"). A period not set
/// keeps that kind for ever. Nothing an agency has not yet received is ever deleted: a view
/// still pending stays, whatever its age, and so does its submission.
struct RetentionPolicy {
  /// An agency's view once delivered (its webhook answered 2xx, or the agency acknowledged a
  /// pull), counted from then.
  std::optional<std::chrono::milliseconds> delivered_views;
  /// A view whose delivery gave up (a dead letter), counted from when its submission was stored.
  std::optional<std::chrono::milliseconds> dead_letters;
  /// A submission, counted from when it was stored; only once none of its views is left.
  std::optional<std::chrono::milliseconds> submissions;
  // Mails go with the first two: a sent mail (whose body is already gone) after
  // delivered_views from when it was sent, a dead one after dead_letters from when it was
  // queued. Receipt links and receipt sessions go once they expire, whatever the policy.

  /// Staff sessions end `staff_idle` after their last use and `staff_session` after sign-in
  /// (config staff.idle_seconds, staff.session_seconds: touch_staff_session checks the same);
  /// the rows of ended ones go, whatever else the policy keeps. Used recovery codes go too: a
  /// code used once is refused whether its row is there or not.
  /// Feedback (the A-11 survey): a free-text comment is blanked this long after it was given;
  /// the rest of the row (counts only, under a one-way token) is deleted this long after the
  /// survey was offered.
  std::optional<std::chrono::milliseconds> feedback_comments;
  std::optional<std::chrono::milliseconds> feedback;

  std::chrono::milliseconds staff_idle = std::chrono::minutes(15);
  std::chrono::milliseconds staff_session = std::chrono::hours(8);
};

/// What one sweep deleted.
struct SweepResult {
  bool ran = true;  // false: another process was sweeping the same database; nothing done
  std::int64_t views = 0;         // delivered views
  std::int64_t dead_letters = 0;  // dead ones
  std::int64_t submissions = 0;
  std::int64_t drafts = 0;  // expired drafts
  std::int64_t mails = 0;     // sent and dead mails
  std::int64_t links = 0;     // expired receipt links and receipt sessions
  std::int64_t staff_sessions = 0;  // ended staff sessions (idle or past their lifetime)
  std::int64_t recovery_codes = 0;  // used staff recovery codes
  std::int64_t feedback_comments = 0;  // feedback comments blanked (their rows stay)
  std::int64_t feedback = 0;           // feedback rows deleted
  /// Every row deleted (or comment blanked), of every kind.
  std::int64_t total() const {
    return views + dead_letters + submissions + drafts + mails + links + staff_sessions + recovery_codes +
           feedback_comments + feedback;
  }
};

// --- staff (server/staff/: accounts, sign-in, sessions, the audit log) ---

/// A staff member's account as stored. The password is an Argon2id hash; the TOTP secret is
/// sealed with the keyring by server/staff before it gets here (the store never sees it clear).
struct StaffAccount {
  std::int64_t id = 0;
  std::string name;  // unique; what the member types to sign in
  std::string role;  // "agent" or "supervisor"
  std::string password_hash;  // libargon2's encoded form ("$argon2id$v=19$m=...")
  std::string totp_sealed;    // empty until set up
  /// The last TOTP time step accepted: a code of that step or an earlier one is refused, so
  /// each code works once.
  std::optional<std::int64_t> totp_step;
  bool set_up = false;    // the member chose a password and enrolled TOTP
  bool disabled = false;
  std::int64_t failures = 0;            // failed sign-ins since the last success
  std::optional<TimePoint> locked_until;  // no sign-in before this
  TimePoint created;
};

/// What a staff session is allowed to do yet.
enum class StaffStage : std::uint8_t {
  SecondFactor,  // the password was right; a code (or a recovery code) is still to come
  SetUp,         // a temporary password was right: choose a password and enrol TOTP first
  Full,          // signed in
};
const char* to_string(StaffStage s);
/// The stage named by to_string; SecondFactor for anything else.
StaffStage staff_stage(std::string_view s);
/// When an account with `failures` failed sign-ins is locked until: nothing below `threshold`;
/// then now + base, doubled for each failure past it, at most `cap`.
std::optional<TimePoint> staff_lockout(std::int64_t failures, std::int64_t threshold, std::chrono::milliseconds base,
                                       std::chrono::milliseconds cap, TimePoint now);

/// A live staff session (only the SHA-256 of its token is stored).
struct StaffSession {
  std::int64_t staff_id = 0;
  StaffStage stage = StaffStage::SecondFactor;
  TimePoint created;
  TimePoint last_seen;
};

/// One entry of the audit log as appended; the store gives it its number and chains it.
struct NewAuditEntry {
  std::optional<std::int64_t> staff_id;  // none: a failed sign-in with a name that is no account
  std::string event;      // "sign_in", "sign_out", "sign_in_failed", "set_up", "keyed", "opened", ...
  std::string channel;    // "phone", "in_person", "mail"; empty when not about an application
  std::string reference;  // the application's reference; empty when not about one
  std::string detail;     // a short word ("unknown name", "locked"); never an answer or a secret
};

/// A stored audit entry. `hash` = chain(prev_hash, the entry): the store asks the caller
/// (server/staff/audit.hpp) to compute it, so the key it is keyed with never reaches the store.
struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3, ... with no gaps
  TimePoint at;
  std::optional<std::int64_t> staff_id;
  std::string event, channel, reference, detail;
  std::string prev_hash;  // the hash of entry seq - 1; "" for the first
  std::string hash;
};

/// How an entry's hash is computed from the one before it (server/staff/audit.hpp).
using AuditChain = std::function<std::string(const AuditEntry& entry)>;

/// The storage interface. Every method is safe to call from several threads at once.
class Store {
 public:
  virtual ~Store() = default;

  // --- submissions ---

  /// Stores a submission and its outbox rows (pending, due now) in one transaction, with a
  /// fresh reference number and receipt secret; or, with an idempotency key seen before,
  /// answers as SaveResult says.
  virtual SaveResult save_submission(const NewSubmission& submission, TimePoint now) = 0;
  /// By reference in any accepted spelling (parse_reference); nothing when unknown.
  virtual std::optional<StoredSubmission> find_submission(const std::string& reference) = 0;
  /// Whether `secret` is the receipt secret of `reference` (hashes compared in constant time).
  virtual bool verify_receipt(const std::string& reference, const std::string& secret) = 0;
  /// Corrects a stored submission in ONE transaction: its canonical answers and digest become
  /// the corrected ones, each of `amendment.views` is queued as the next version of that
  /// agency's view (pending, due now: listed, fetched, leased and acknowledged like any row;
  /// the earlier versions stay until retention), the mails are queued and the need_info
  /// answer is recorded. The earlier versions keep the digest they were made with.
  virtual AmendResult amend_submission(const Amendment& amendment, TimePoint now) = 0;

  /// The answer an idempotency key already used got (Replayed, with the stored submission as it
  /// is now and its receipt secret), whatever fingerprint it was used with; nothing when
  /// (scope, key) was never used. For a page whose draft is gone because it was submitted.
  virtual std::optional<SaveResult> replay(const std::string& scope, const std::string& key) = 0;

  // --- drafts ---
  //
  // Answers are sealed with the store's keyring (keyring.hpp) before they reach the database.
  // A draft lives for the store's draft lifetime after its last change; past it, it is not
  // found, and the next sweep deletes its row. Without a keyring, these throw StoreError.

  /// A new draft with a fresh id, and one more "started" count for its form and channel, in
  /// one transaction.
  virtual Draft create_draft(const NewDraft& draft, TimePoint now) = 0;
  /// The draft `id`; nothing when it is unknown, expired, deleted or submitted.
  virtual std::optional<Draft> find_draft(const std::string& id, TimePoint now) = 0;
  /// Replaces the draft's answers and language, and restarts its lifetime. False when there is
  /// no such draft (unknown, expired, deleted or submitted).
  virtual bool update_draft(const std::string& id, const FlatAnswers& answers, const std::string& language,
                            TimePoint now) = 0;
  /// Deletes the draft ("Delete my answers"). False when there was none.
  virtual bool delete_draft(const std::string& id) = 0;
  /// Drafts started, by form and channel (sorted), since the database was created.
  virtual std::vector<StartedCount> started_counts() = 0;

  // --- coming back to a draft ("Save and come back later") ---
  //
  // A resume code (reference.hpp: new_resume_code) is what the citizen writes down; only its
  // SHA-256 is kept. It names the draft until another code replaces it, or the draft goes. A
  // code alone shows nothing: the pages check something only the citizen knows against the
  // answers (peek_resume) before resume_draft lets them in, and count attempts
  // (record_attempt) so that the limits hold across nodes.

  /// A new resume code for draft `id`, replacing any earlier one; nothing when there is no
  /// such draft (unknown, expired, submitted).
  virtual std::optional<std::string> new_resume_code(const std::string& id, TimePoint now) = 0;
  /// The draft `code` names (any spelling parse_resume_code takes), WITHOUT its id: for the
  /// pages to check what only the citizen knows. Nothing when the code names no live draft.
  virtual std::optional<Draft> peek_resume(const std::string& code, TimePoint now) = 0;
  /// Lets the citizen back in: the draft `code` names gets a NEW id (a browser still holding
  /// the old one loses it), returned with it; its lifetime restarts. The code keeps working
  /// (it is written down) until another replaces it. Nothing when it names no live draft.
  virtual std::optional<Draft> resume_draft(const std::string& code, TimePoint now) = 0;

  // The emailed way back: a resume mail carries a single-use link to its draft. Opening the
  // link (open_resume_link) uses it up and starts a resume session, held by the browser in a
  // cookie, that names the draft until it expires or lets the citizen in; as with a code, the
  // pages check what only the citizen knows (peek_resume_session) before resume_session lets
  // them in. A draft has at most one link and one session: a newer one replaces the older.
  // Both go with the draft (expired, deleted, submitted); only hashes are stored.

  /// Queues `mail` (a resume link) and gives draft `draft_id` the link `link` (replacing any
  /// earlier link), in one transaction. Nothing queued, nothing returned, when there is no
  /// such live draft.
  virtual std::optional<std::int64_t> enqueue_resume_mail(const NewMail& mail, const std::string& draft_id,
                                                          const NewMailLink& link, TimePoint now) = 0;
  /// Opens the resume link whose token hashes to `token_hash`: when it is unused, unexpired
  /// and its draft is live, marks it used and starts a session (`session_hash`, until
  /// `session_expires`, replacing any earlier session of the draft), in one transaction, and
  /// returns the draft's form id. Nothing when the link is unknown, used or expired, or its
  /// draft is gone (one answer for all).
  virtual std::optional<std::string> open_resume_link(const std::string& token_hash, const std::string& session_hash,
                                                      TimePoint session_expires, TimePoint now) = 0;
  /// The draft a live resume session names, WITHOUT its id, as peek_resume.
  virtual std::optional<Draft> peek_resume_session(const std::string& session_hash, TimePoint now) = 0;
  /// Lets the citizen back in, as resume_draft: the draft gets a NEW id, returned with it; its
  /// lifetime restarts; the session ends. Nothing when the session names no live draft.
  virtual std::optional<Draft> resume_session(const std::string& session_hash, TimePoint now) = 0;

  // --- attempt counters, shared by every node ---

  /// Counts one attempt under `key` (a hash of what is limited: a draft, a client) and returns
  /// how many there have been in the current window, this one included. A window starts with
  /// the first attempt and lasts `window`; the next attempt after it starts a new one.
  virtual std::int64_t record_attempt(const std::string& key, TimePoint now, std::chrono::milliseconds window) = 0;
  /// Forgets the attempts under `key` (after a success).
  virtual void clear_attempts(const std::string& key) = 0;

  /// The failed sign-ins counted under `key` for a name that is no account
  /// (server/staff/sign_in.hpp), so that it can be locked exactly as an account is
  /// (record_staff_failure, staff_lockout): how many, and when the last was counted. Nothing
  /// counted (failures = 0) once forgotten.
  struct NameFailures {
    std::int64_t failures = 0;
    std::optional<TimePoint> last;
  };
  virtual NameFailures name_failures(const std::string& key, TimePoint now) = 0;
  /// One more failed sign-in under `key` at `now`, in one statement (every node counts into the
  /// same row): the count goes up and `now` becomes the last. The row is forgotten `keep` after
  /// the last failure (the sweep deletes it; a failure after that counts from 1 again). Returns
  /// the counts after.
  virtual NameFailures record_name_failure(const std::string& key, TimePoint now, std::chrono::milliseconds keep) = 0;

  // --- the delivery worker (webhooks) ---

  /// Leases up to `limit` due rows to `request.worker` until now + lease, oldest due first.
  virtual std::vector<AgencyItem> claim_deliveries(const ClaimRequest& request) = 0;
  /// The row was delivered. False when `worker` no longer holds its lease (nothing changed).
  virtual bool mark_delivered(std::int64_t outbox_id, const std::string& worker, TimePoint now) = 0;
  /// The attempt failed: attempts + 1, and the row is due again at `next_attempt`, or dead
  /// (dead-lettered) when `next_attempt` is empty. False when the lease was lost.
  virtual bool mark_failed(std::int64_t outbox_id, const std::string& worker, const std::string& error,
                           std::optional<TimePoint> next_attempt) = 0;
  /// Gives a claimed row back unattempted (a worker stopping): due again at once for any
  /// worker, its attempts unchanged. False when `worker` no longer holds its lease.
  virtual bool release_delivery(std::int64_t outbox_id, const std::string& worker) = 0;
  /// Dead rows, oldest first, after outbox id `after_id`.
  virtual std::vector<DeliveryStatus> dead_letters(std::int64_t after_id, std::size_t limit) = 0;
  /// Puts a dead row back to pending, due at `now`, with its attempts reset. False when the
  /// row is not dead.
  virtual bool redrive(std::int64_t outbox_id, TimePoint now) = 0;

  // --- the mail outbox ---

  /// Queues a mail on its own (a later mail: a resume link, a receipt link sent again), due at
  /// `now`. With a link, `link_reference` names the submission it opens; nothing is queued and
  /// nothing returned when no such submission is stored.
  virtual std::optional<std::int64_t> enqueue_mail(const NewMail& mail, TimePoint now,
                                                   const std::string& link_reference = {}) = 0;
  /// Leases up to `limit` due mails to `request.worker` (request.agency is ignored).
  virtual std::vector<MailItem> claim_mail(const ClaimRequest& request) = 0;
  /// Sent: the recipient, subject and bodies are deleted. False when the lease was lost.
  virtual bool mark_mail_sent(std::int64_t id, const std::string& worker, TimePoint now) = 0;
  /// As mark_failed, for a mail: due again at `next_attempt`, or dead when it is empty.
  virtual bool mark_mail_failed(std::int64_t id, const std::string& worker, const std::string& error,
                                std::optional<TimePoint> next_attempt) = 0;
  /// Gives a claimed mail back unattempted.
  virtual bool release_mail(std::int64_t id, const std::string& worker) = 0;
  /// Dead mails, oldest first, after id `after_id`.
  virtual std::vector<MailStatus> dead_mail(std::int64_t after_id, std::size_t limit) = 0;
  /// A dead mail back to pending, due at `now`, attempts reset. False when it is not dead.
  virtual bool redrive_mail(std::int64_t id, TimePoint now) = 0;
  /// Mails by kind and state, sorted by kind, then state in MailState's order.
  virtual std::vector<MailCount> mail_counts() = 0;

  // --- receipt links and sessions ---

  /// Opens the receipt link whose token hashes to `token_hash`: when it is unused and not
  /// expired at `now`, marks it used and starts a session (stored as `session_hash`, until
  /// `session_expires`) on its submission, in one transaction, and returns the submission's
  /// reference. Nothing when the link is unknown, used or expired (one answer for all three).
  virtual std::optional<std::string> open_link(const std::string& token_hash, const std::string& session_hash,
                                               TimePoint session_expires, TimePoint now) = 0;
  /// The reference a receipt session shows, while it has not expired.
  virtual std::optional<std::string> session_reference(const std::string& session_hash, TimePoint now) = 0;
  /// Whether `contact_hash` is the one stored with `reference` (compared in constant time).
  virtual bool contact_matches(const std::string& reference, const std::string& contact_hash) = 0;
  /// Whether a receipt mail was queued with `reference`'s submission, as far as the store still
  /// knows: a mail's link to it (until the link expires and is swept) or its address's keyed
  /// hash (kept as long as the submission) is stored, and neither is written without that
  /// mail. The receipt page says an email was sent only then.
  virtual bool receipt_mailed(const std::string& reference) = 0;

  // --- agency pull API ---

  /// `agency`'s views after `cursor` ("" = from the start), oldest first, at most `limit`;
  /// nothing when the cursor is not one we issued to this agency: malformed, or naming none of
  /// its views (answer 400: silently starting over would deliver everything twice, and a cursor
  /// past the end would hide every new view). Acknowledged views are listed too
  /// (acknowledged = true): the cursor, not the ack, is what pages. A cursor naming a view that
  /// retention deleted goes on after the last view deleted (sweep deletes only from the front
  /// of each agency's list, so nothing kept lies before that point).
  virtual std::optional<AgencyPage> list_for_agency(const std::string& agency, const std::string& cursor, std::size_t limit) = 0;
  /// One view of `agency` by reference: its latest version, or version `view_version`; nothing
  /// when it does not exist or is another agency's.
  virtual std::optional<AgencyItem> fetch_for_agency(const std::string& agency, const std::string& reference,
                                                     std::optional<std::int64_t> view_version = std::nullopt) = 0;
  /// Acknowledges it (delivered, no webhook needed): version `view_version`, or without one
  /// every version stored (what a client that knows no versions has fetched: the latest, which
  /// holds all the earlier ones' answers). False when not found for this agency. Acknowledging
  /// twice is fine.
  virtual bool acknowledge(const std::string& agency, const std::string& reference, TimePoint now,
                           std::optional<std::int64_t> view_version = std::nullopt) = 0;

  // --- agency tokens ---

  virtual NewToken create_token(const std::string& agency, TimePoint now) = 0;
  /// The agency a token belongs to, when it is valid and not revoked.
  virtual std::optional<std::string> verify_token(const std::string& token) = 0;
  virtual bool revoke_token(const std::string& token_id, TimePoint now) = 0;
  virtual std::vector<TokenInfo> list_tokens(const std::string& agency) = 0;

  // --- form definitions ---

  /// Keeps `definition` under its hash. Idempotent: a hash already archived is left as it is
  /// (the hash names the content), so calling this for every load of a form is fine.
  virtual void archive_definition(const DefinitionRecord& definition) = 0;
  /// The archived definition of `hash`; nothing when it was never archived.
  virtual std::optional<DefinitionRecord> find_definition(const std::string& hash) = 0;
  /// The hashes of every archived definition of form `form_id` at `version`, in hash order:
  /// a paper page's code names a form, a version and the start of a hash (engine/paper_code.hpp),
  /// and the caller picks the one it starts.
  virtual std::vector<std::string> definition_hashes(const std::string& form_id, std::int64_t version) = 0;

  // --- retention ---

  /// Deletes what `policy` no longer keeps at `now`, every draft past its lifetime
  /// (DraftOptions), every staff session ended and every recovery code used, and what
  /// record_attempt and record_name_failure no longer need, `batch` rows to a transaction (short
  /// transactions: a long one would hold agencies' lists back on PostgreSQL). An agency's views
  /// go only from the front of its list, in the order it pages, and stop at the first one kept,
  /// so no cursor can skip a view still there. Deleted means the rows are gone. With several
  /// processes on one database only one sweeps at a time; the others get ran = false.
  virtual SweepResult sweep(const RetentionPolicy& policy, TimePoint now, std::size_t batch = 1000) = 0;

  // --- staff accounts (server/staff/) ---

  /// A new account that must be set up (set_up = false) with the hash of a temporary password;
  /// nothing when `name` is taken.
  virtual std::optional<StaffAccount> create_staff(const std::string& name, const std::string& role,
                                                   const std::string& password_hash, TimePoint now) = 0;
  /// By name (exactly) or by id; nothing when there is none.
  virtual std::optional<StaffAccount> find_staff(const std::string& name) = 0;
  virtual std::optional<StaffAccount> staff_by_id(std::int64_t id) = 0;
  /// Every account, by name.
  virtual std::vector<StaffAccount> list_staff() = 0;
  /// Disables the account and ends its sessions. False when there is no such account.
  virtual bool disable_staff(const std::string& name) = 0;
  /// A new temporary password: clears the TOTP secret, the recovery codes, failures and lock,
  /// enables the account, ends its sessions, and sets set_up = false. False when unknown.
  virtual bool reset_staff(const std::string& name, const std::string& password_hash) = 0;
  /// Sets up account `id`: its own password, its sealed TOTP secret, the TOTP step its
  /// confirming code used, and the hashes of its recovery codes (replacing any), in one
  /// transaction. False (nothing changed) when it is already set up, or unknown.
  virtual bool complete_staff_setup(std::int64_t id, const std::string& password_hash, const std::string& totp_sealed,
                                    std::int64_t totp_step, const std::vector<std::string>& recovery_hashes) = 0;
  /// Accepts TOTP step `step` for account `id` when it is later than the last one accepted: one
  /// conditional UPDATE, so of two nodes given the same code at once only one accepts it.
  virtual bool accept_totp_step(std::int64_t id, std::int64_t step) = 0;
  /// Uses recovery code `code_hash` of account `id` once: false when it is unknown or used.
  virtual bool use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint now) = 0;
  /// How many recovery codes of account `id` are still unused.
  virtual std::int64_t recovery_codes_left(std::int64_t id) = 0;
  /// One more failed sign-in for account `id`, in one transaction: the count goes up, and once
  /// it reaches `threshold` the account is locked until now + base * 2^(count - threshold),
  /// at most `cap`. Returns the account as it is after (nothing when unknown).
  virtual std::optional<StaffAccount> record_staff_failure(std::int64_t id, TimePoint now, std::int64_t threshold,
                                                           std::chrono::milliseconds base, std::chrono::milliseconds cap) = 0;
  /// A success: the count and the lock are cleared.
  virtual void clear_staff_failures(std::int64_t id) = 0;

  // --- staff sessions ---
  //
  // Only the SHA-256 of a session's token is stored. A session is live while it was last seen
  // within `idle` and created within `absolute` (both checked in the query), and its account
  // is not disabled.

  virtual void create_staff_session(const std::string& token_hash, std::int64_t staff_id, StaffStage stage,
                                    TimePoint now) = 0;
  /// The live session `token_hash`, its last-seen time moved to `now`; nothing otherwise.
  virtual std::optional<StaffSession> touch_staff_session(const std::string& token_hash, TimePoint now,
                                                          std::chrono::milliseconds idle,
                                                          std::chrono::milliseconds absolute) = 0;
  /// Ends the session. False when there was none.
  virtual bool end_staff_session(const std::string& token_hash) = 0;

  // --- status from agencies ---
  //
  // Each agency that received a submission posts where it stands with it (server/http's
  // agency_status.hpp decides which posts are allowed); the store keeps every post, numbered
  // from 1 per submission and agency, and deletes them with their submission.

  /// Every status posted for `reference`, by agency name, each agency's oldest first. Empty
  /// when there is none, or no such submission.
  virtual std::vector<AgencyStatus> agency_statuses(const std::string& reference) = 0;
  /// Stores `status` as number `status.seq` of (reference, status.agency) and, with `mail` (the
  /// citizen's "there is an update" mail, its link to `reference`), queues it in the same
  /// transaction. False, with nothing stored, when that number is taken (another post, maybe on
  /// another node, got there first: read again and decide again) or there is no such
  /// submission.
  /// `figures` moves the published figures in the same transaction (nothing for a submission
  /// stored before the figures were kept: schema 13).
  virtual bool append_agency_status(const std::string& reference, const AgencyStatus& status,
                                    const std::optional<NewMail>& mail, TimePoint now,
                                    const FigureMove& figures = {}) = 0;

  // --- the published figures ---

  /// Every count the published figures are computed from, sorted by their keys; rows whose
  /// count fell to 0 are left out.
  virtual FigureCounts figure_counts() = 0;
  /// Stores `snapshot` unless its quarter has one already (any node may try: the first to
  /// commit wins), and returns the one stored: this one, or the earlier.
  virtual FigureSnapshot freeze_snapshot(const FigureSnapshot& snapshot) = 0;
  /// The snapshot of `quarter`; nothing when it is not frozen.
  virtual std::optional<FigureSnapshot> find_snapshot(const std::string& quarter) = 0;
  /// Every snapshot, oldest quarter first, without its CSV.
  virtual std::vector<FigureSnapshot> snapshots() = 0;

  // --- feedback (the A-11 survey; docs/architecture.md, "Feedback") ---
  //
  // One row per application, stage and agency, under a one-way token (feedback_token): made
  // when the survey is offered, so that the response rate is answered / offered, and answered
  // at most once. Nothing in a row names the application.

  /// Records that the survey was offered; a token offered before is left as it is.
  virtual void offer_feedback(const FeedbackOffer& offer, TimePoint now) = 0;
  /// Where the offer `token` stands.
  virtual FeedbackState feedback_state(const std::string& token) = 0;
  /// Stores the answer to the offer `token`, once, in one conditional UPDATE (two nodes given
  /// two answers at once store one): Stored when stored now; AlreadyAnswered (nothing changed,
  /// the first answer kept) or NotOffered (no such offer) otherwise.
  enum class FeedbackOutcome : std::uint8_t { Stored, AlreadyAnswered, NotOffered };
  virtual FeedbackOutcome answer_feedback(const std::string& token, const FeedbackAnswer& answer, TimePoint now) = 0;
  /// The counts per form, version, agency, channel, stage and fiscal quarter of the day offered,
  /// sorted by those in that order. Never a comment.
  virtual std::vector<FeedbackTally> feedback_tallies() = 0;

  // --- the audit log ---

  /// Appends `entry` as the next entry of the chain, at `now`: in one transaction that no other
  /// append (from any node) interleaves with, it reads the newest entry, gives this one the
  /// next number and that entry's hash as prev_hash, and stores `chain(entry)` as its hash.
  virtual AuditEntry append_audit(const NewAuditEntry& entry, TimePoint now, const AuditChain& chain) = 0;
  /// Up to `limit` entries with seq < `before` (0: from the newest), newest first.
  virtual std::vector<AuditEntry> audit_page(std::int64_t before, std::size_t limit) = 0;
  /// Up to `limit` entries with seq > `after`, oldest first (for verifying the chain).
  virtual std::vector<AuditEntry> audit_after(std::int64_t after, std::size_t limit) = 0;

  // --- operations ---

  /// Problems the database finds in itself; empty when healthy.
  virtual std::vector<std::string> check_integrity() = 0;
  /// Outbox rows by agency and state, sorted by agency, then state in DeliveryState's order;
  /// only the pairs that have rows are listed.
  virtual std::vector<DeliveryCount> delivery_counts() = 0;
  /// How many submissions are stored.
  virtual std::int64_t submission_count() = 0;
  /// Group commit's figures (for /metrics); nothing from a backend that does not commit in
  /// groups.
  virtual std::optional<WriteStats> write_stats() { return std::nullopt; }
  /// The same figures for draft writes, which commit in groups of their own: `saves` counts
  /// create_draft, update_draft and delete_draft calls. Nothing from a backend that does not
  /// commit them in groups.
  virtual std::optional<WriteStats> draft_write_stats() { return std::nullopt; }
};

}  // namespace askonce::server
