// server/store/group_commit.hpp: what both backends share to save submissions (internal to
// store/): a save prepared before it queues, the group-commit queue, and the answer a caller
// makes from what it gave.
//
// save_submission commits in groups: concurrent callers queue, and whichever finds no group
// being written becomes its leader and has the backend write everything queued (up to
// max_group) in one transaction, so one commit (one fsync) carries many submissions. A lone
// caller leads a group of one at once: there is no waiting for company. The leader, whom every
// queued caller waits for, only runs SQL: callers draw their reference and secrets before they
// queue (prepare_save), and make their own answer once the commit has returned (finish_save).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server::store_detail {

/// Milliseconds since the epoch, as both schemas keep times.
inline std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_ms(std::int64_t v) { return TimePoint(std::chrono::milliseconds(v)); }

/// The time before which a kind of record is past `period` at `now`, in milliseconds; a kind
/// kept for ever (no period) gets one that no row is ever before.
inline std::int64_t retention_cutoff(const std::optional<std::chrono::milliseconds>& period, TimePoint now) {
  return period ? ms(now - *period) : std::numeric_limits<std::int64_t>::min();
}

/// An outbox row's state column.
DeliveryState state_of(const std::string& s);
/// A mail row's state column.
MailState mail_state_of(const std::string& s);

/// sha256(scope NUL key): an idempotency key as it is stored (the key itself is not kept).
std::string idem_hash(const IdempotencyKey& k);
/// The receipt secret of a keyed save: HMAC-SHA256(salt, scope NUL key NUL fingerprint), so a
/// replay derives the same secret from the stored salt.
std::string idem_secret(const std::string& salt, const IdempotencyKey& k);
/// 32 random bytes as 64 lowercase hex digits (server secrets).
std::string random_hex32();

// --- drafts, as both backends keep them ---

/// A new draft id: 192 bits from the CSPRNG, URL-safe base64 (32 characters).
std::string new_draft_id();
/// What the database keeps of a draft id: its SHA-256 ("sha256:<hex>"). Ids of another shape
/// than new_draft_id's have none (nothing), so they are never looked up.
std::optional<std::string> draft_id_hash(std::string_view id);
/// A draft's answers sealed for its row (associated data: the row's id hash), and opened
/// again; open_answers throws StoreError when they do not open (a key missing from the ring,
/// or a changed row), naming only the key id.
std::string seal_answers(const DraftOptions& options, const FlatAnswers& answers, const std::string& id_hash);
FlatAnswers open_answers(const DraftOptions& options, const std::string& sealed, const std::string& id_hash);
/// The keyring, or StoreError when the store has none.
const Keyring& draft_keys(const DraftOptions& options);

/// One save_submission call in the queue. It lives on its caller's stack, and the caller
/// waits until `done`; the leader of its group fills in `result` or `error`.
struct PendingSave {
  const NewSubmission* submission = nullptr;
  TimePoint at;
  // Worked out by the caller before it queues (prepare_save): the reference to try first, the
  // receipt secret and its hash, and with an idempotency key its hash, fingerprint and the salt
  // of a new secret.
  std::string reference;
  std::string receipt_secret;
  std::string receipt_hash;
  std::optional<std::string> idem_hash;
  std::optional<std::string> idem_fingerprint;
  std::optional<std::string> idem_salt;
  std::optional<std::string> draft_hash;  // of NewSubmission::consumes_draft
  // The submission's mails, made from `reference` (NewSubmission::mails).
  std::vector<NewMail> mails;

  // Filled in by the backend for the leader. A Stored result has no submission yet: the
  // caller makes it (finish_save) from its NewSubmission, `reference` (the one stored) and the
  // ids of the outbox rows, in the order of its views.
  std::optional<SaveResult> result;
  std::vector<std::int64_t> outbox_ids;
  std::exception_ptr error;

  // The queue's: set and notified under its mutex.
  bool done = false;
  std::condition_variable wake;
};

/// Fills in what a save needs before it queues.
void prepare_save(PendingSave& p, const NewSubmission& n, TimePoint at);

/// Draws another reference for `p` (the one it had was taken) and makes its mails again with it.
/// The leader calls it, in the rare case a reference is taken.
void redraw_reference(PendingSave& p);

/// The caller's answer once its save is done: its error rethrown, or its result, a Stored one
/// with the submission as the rows hold it (pending, due at once) without reading them back.
SaveResult finish_save(PendingSave& p, const NewSubmission& n);

/// The queue. `write` writes a whole group in one transaction and never throws: every outcome
/// is in the group's PendingSaves.
class GroupCommit {
 public:
  static constexpr std::size_t max_group = 512;
  using Writer = std::function<void(const std::vector<PendingSave*>& group)>;

  GroupCommit() { group_.reserve(max_group); }

  /// Queues `p` and returns once it is done: written by another caller's group, or by a group
  /// this caller led.
  void save(PendingSave& p, const Writer& write);

  /// Saves and commits so far, and the largest group.
  WriteStats stats();

 private:
  std::mutex mutex_;
  std::deque<PendingSave*> queue_;
  bool leading_ = false;
  std::vector<PendingSave*> group_;  // the leader's, reserved up front so taking one cannot fail
  WriteStats stats_;
};

}  // namespace askonce::server::store_detail
