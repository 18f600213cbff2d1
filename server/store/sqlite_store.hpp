// server/store/sqlite_store.hpp: the SQLite backend of Store, through Poco::Data.
//
// One file, WAL mode, synchronous=FULL (a commit is on disk before save_submission returns),
// foreign keys on, a busy timeout for other processes (the `askonce` CLI) holding the lock.
// Writes go through one connection under a mutex and BEGIN IMMEDIATE, so they are serialized
// and outbox ids are committed in increasing order (what makes pull cursors stable); reads use
// a small pool of read-only connections, which WAL lets run beside the writer.
//
// save_submission commits in groups (group_commit.hpp, the queue both backends share): the
// leader of a group writes it in one transaction, each save in its own SAVEPOINT, so one fsync
// carries many submissions and one failing save takes only itself back; it runs SQL only, on
// statements the writer connection prepared once. Draft writes (create, update, delete) commit
// in groups of their own the same way, on the same writer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/store/migration.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

struct SqliteOptions {
  std::string path;  // the database file; created when missing
  std::size_t readers = 4;
  std::chrono::milliseconds busy_timeout{std::chrono::seconds(5)};
  DraftOptions drafts{};
};

/// The migrations this binary knows, in order; the last one's version is the schema it writes.
const std::vector<Migration>& sqlite_migrations();

class SqliteStore final : public Store {
 public:
  /// Opens (creating, migrating) the database. Throws StoreError when the file cannot be
  /// opened or its schema is newer than this binary knows.
  explicit SqliteStore(const SqliteOptions& options);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  /// The schema version of the open database.
  int schema_version();

  /// What the write connection runs with, as SQLite reports it (for /healthz and tests).
  struct Settings {
    std::string journal_mode;  // "wal"
    int synchronous = 0;       // 2 = FULL
    bool foreign_keys = false;
    std::int64_t busy_timeout_ms = 0;
  };
  Settings settings();

  SaveResult save_submission(const NewSubmission& submission, TimePoint now) override;
  std::optional<StoredSubmission> find_submission(const std::string& reference) override;
  std::optional<SaveResult> replay(const std::string& scope, const std::string& key) override;
  Draft create_draft(const NewDraft& draft, TimePoint now) override;
  std::optional<Draft> find_draft(const std::string& id, TimePoint now) override;
  bool update_draft(const std::string& id, const FlatAnswers& answers, const std::string& language,
                    TimePoint now) override;
  bool delete_draft(const std::string& id) override;
  std::vector<StartedCount> started_counts() override;
  std::optional<std::string> new_resume_code(const std::string& id, TimePoint now) override;
  std::optional<Draft> peek_resume(const std::string& code, TimePoint now) override;
  std::optional<Draft> resume_draft(const std::string& code, TimePoint now) override;
  std::optional<std::int64_t> enqueue_resume_mail(const NewMail& mail, const std::string& draft_id,
                                                  const NewMailLink& link, TimePoint now) override;
  std::optional<std::string> open_resume_link(const std::string& token_hash, const std::string& session_hash,
                                              TimePoint session_expires, TimePoint now) override;
  std::optional<Draft> peek_resume_session(const std::string& session_hash, TimePoint now) override;
  std::optional<Draft> resume_session(const std::string& session_hash, TimePoint now) override;
  std::int64_t record_attempt(const std::string& key, TimePoint now, std::chrono::milliseconds window) override;
  void clear_attempts(const std::string& key) override;
  NameFailures name_failures(const std::string& key, TimePoint now) override;
  NameFailures record_name_failure(const std::string& key, TimePoint now, std::chrono::milliseconds keep) override;
  bool verify_receipt(const std::string& reference, const std::string& secret) override;
  AmendResult amend_submission(const Amendment& amendment, TimePoint now) override;

  std::vector<AgencyItem> claim_deliveries(const ClaimRequest& request) override;
  bool mark_delivered(std::int64_t outbox_id, const std::string& worker, TimePoint now) override;
  bool mark_failed(std::int64_t outbox_id, const std::string& worker, const std::string& error,
                   std::optional<TimePoint> next_attempt) override;
  bool release_delivery(std::int64_t outbox_id, const std::string& worker) override;
  std::vector<DeliveryStatus> dead_letters(std::int64_t after_id, std::size_t limit) override;
  bool redrive(std::int64_t outbox_id, TimePoint now) override;

  std::optional<std::int64_t> enqueue_mail(const NewMail& mail, TimePoint now,
                                           const std::string& link_reference = {}) override;
  std::vector<MailItem> claim_mail(const ClaimRequest& request) override;
  bool mark_mail_sent(std::int64_t id, const std::string& worker, TimePoint now) override;
  bool mark_mail_failed(std::int64_t id, const std::string& worker, const std::string& error,
                        std::optional<TimePoint> next_attempt) override;
  bool release_mail(std::int64_t id, const std::string& worker) override;
  std::vector<MailStatus> dead_mail(std::int64_t after_id, std::size_t limit) override;
  bool redrive_mail(std::int64_t id, TimePoint now) override;
  std::vector<MailCount> mail_counts() override;
  std::optional<std::string> open_link(const std::string& token_hash, const std::string& session_hash,
                                       TimePoint session_expires, TimePoint now) override;
  std::optional<std::string> session_reference(const std::string& session_hash, TimePoint now) override;
  bool contact_matches(const std::string& reference, const std::string& contact_hash) override;
  bool receipt_mailed(const std::string& reference) override;

  std::optional<AgencyPage> list_for_agency(const std::string& agency, const std::string& cursor,
                                            std::size_t limit) override;
  std::optional<AgencyItem> fetch_for_agency(const std::string& agency, const std::string& reference,
                                             std::optional<std::int64_t> view_version = std::nullopt) override;
  bool acknowledge(const std::string& agency, const std::string& reference, TimePoint now,
                   std::optional<std::int64_t> view_version = std::nullopt) override;

  NewToken create_token(const std::string& agency, TimePoint now) override;
  std::optional<std::string> verify_token(const std::string& token) override;
  bool revoke_token(const std::string& token_id, TimePoint now) override;
  std::vector<TokenInfo> list_tokens(const std::string& agency) override;

  void archive_definition(const DefinitionRecord& definition) override;
  std::optional<DefinitionRecord> find_definition(const std::string& hash) override;
  std::vector<std::string> definition_hashes(const std::string& form_id, std::int64_t version) override;

  std::optional<StaffAccount> create_staff(const std::string& name, const std::string& role,
                                           const std::string& password_hash, TimePoint now) override;
  std::optional<StaffAccount> find_staff(const std::string& name) override;
  std::optional<StaffAccount> staff_by_id(std::int64_t id) override;
  std::vector<StaffAccount> list_staff() override;
  bool disable_staff(const std::string& name) override;
  bool reset_staff(const std::string& name, const std::string& password_hash) override;
  bool complete_staff_setup(std::int64_t id, const std::string& password_hash, const std::string& totp_sealed,
                            std::int64_t totp_step, const std::vector<std::string>& recovery_hashes) override;
  bool accept_totp_step(std::int64_t id, std::int64_t step) override;
  bool use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint now) override;
  std::int64_t recovery_codes_left(std::int64_t id) override;
  std::optional<StaffAccount> record_staff_failure(std::int64_t id, TimePoint now, std::int64_t threshold,
                                                   std::chrono::milliseconds base, std::chrono::milliseconds cap) override;
  void clear_staff_failures(std::int64_t id) override;
  void create_staff_session(const std::string& token_hash, std::int64_t staff_id, StaffStage stage,
                            TimePoint now) override;
  std::optional<StaffSession> touch_staff_session(const std::string& token_hash, TimePoint now,
                                                  std::chrono::milliseconds idle,
                                                  std::chrono::milliseconds absolute) override;
  bool end_staff_session(const std::string& token_hash) override;
  std::vector<AgencyStatus> agency_statuses(const std::string& reference) override;
  bool append_agency_status(const std::string& reference, const AgencyStatus& status, const std::optional<NewMail>& mail,
                            TimePoint now, const FigureMove& figures = {}) override;
  FigureCounts figure_counts() override;
  FigureSnapshot freeze_snapshot(const FigureSnapshot& snapshot) override;
  std::optional<FigureSnapshot> find_snapshot(const std::string& quarter) override;
  std::vector<FigureSnapshot> snapshots() override;
  FigurePoint freeze_point(const FigurePoint& point) override;
  std::optional<FigurePoint> latest_point() override;
  void offer_feedback(const FeedbackOffer& offer, TimePoint now) override;
  FeedbackState feedback_state(const std::string& token) override;
  FeedbackOutcome answer_feedback(const std::string& token, const FeedbackAnswer& answer, TimePoint now) override;
  std::vector<FeedbackTally> feedback_tallies() override;
  AuditEntry append_audit(const NewAuditEntry& entry, TimePoint now, const AuditChain& chain) override;
  std::vector<AuditEntry> audit_page(std::int64_t before, std::size_t limit) override;
  std::vector<AuditEntry> audit_after(std::int64_t after, std::size_t limit) override;

  SweepResult sweep(const RetentionPolicy& policy, TimePoint now, std::size_t batch = 1000) override;

  std::vector<std::string> check_integrity() override;
  std::vector<DeliveryCount> delivery_counts() override;
  std::int64_t submission_count() override;
  /// Always a value: saves and commits since the store was opened, and the largest group.
  std::optional<WriteStats> write_stats() override;
  /// Always a value: draft writes and their commits since the store was opened.
  std::optional<WriteStats> draft_write_stats() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace askonce::server
