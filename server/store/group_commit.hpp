// server/store/group_commit.hpp: what both backends share to save submissions and write
// drafts (internal to store/): a save prepared before it queues, the group-commit queue, and
// the answer a caller makes from what it gave.
//
// save_submission commits in groups: concurrent callers queue, and whichever finds no group
// being written becomes its leader and has the backend write everything queued (up to
// max_group) in one transaction, so one commit (one fsync) carries many submissions. A lone
// caller leads a group of one at once: there is no waiting for company. The leader, whom every
// queued caller waits for, only runs SQL: callers draw their reference and secrets before they
// queue (prepare_save), and make their own answer once the commit has returned (finish_save).
// Draft writes (create, update, delete: every Continue of the journey) share commits the same
// way, in a queue of their own (DraftCommit), their answers sealed before they queue.
#pragma once

#include <algorithm>
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
  std::string date_received;              // NewSubmission::date_received, or the UTC day of received
  std::string quarter;                    // the fiscal quarter of date_received: pending's cell
  std::string recorded_quarter;           // of day_recorded (or date_received): applications' cell
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

/// "FY2027 Q1": the fiscal quarter of `day` ("YYYY-MM-DD", already checked).
std::string quarter_of_day(const std::string& day);
/// The fiscal quarter of the UTC day of `at` (a draft's start when its caller names no day).
std::string quarter_of_time(TimePoint at);
/// The fiscal quarter a new draft is counted in: of NewDraft::day, else of at's UTC day.
std::string started_quarter(const NewDraft& n, TimePoint at);

/// Fills in what a save needs before it queues.
void prepare_save(PendingSave& p, const NewSubmission& n, TimePoint at);

/// Draws another reference for `p` (the one it had was taken) and makes its mails again with it.
/// The leader calls it, in the rare case a reference is taken.
void redraw_reference(PendingSave& p);

/// The caller's answer once its save is done: its error rethrown, or its result, a Stored one
/// with the submission as the rows hold it (pending, due at once) without reading them back.
SaveResult finish_save(PendingSave& p, const NewSubmission& n);

/// One create_draft, update_draft or delete_draft call in the draft writes' queue. It lives on
/// its caller's stack, and the caller waits until `done`; the leader of its group fills in
/// `changed` or `error`. The caller seals the answers before it queues, so the leader only
/// runs SQL.
struct PendingDraftWrite {
  enum class Kind : std::uint8_t { Create, Update, Delete };
  Kind kind = Kind::Update;
  std::string id_hash;
  const NewDraft* draft = nullptr;     // Create: what the draft is made of (its answers: `sealed`)
  std::string sealed;                  // Create, Update: the answers, sealed for id_hash
  const std::string* language = nullptr;  // Update
  TimePoint at;                        // Create, Update: now
  std::string quarter;                 // Create: the fiscal quarter of the day started (figure_started)
  std::int64_t alive_after = 0;        // Update: rows changed at or before it are expired (ms)

  // Filled in by the backend for the leader: whether a row was written (Create: always, when
  // there is no error; Update, Delete: whether the live draft was there), or the error.
  bool changed = false;
  std::exception_ptr error;

  // The queue's: set and notified under its mutex.
  bool done = false;
  std::condition_variable wake;
};

/// The group-commit queue, for one kind of pending write (PendingSave, PendingDraftWrite):
/// `write` writes a whole group in one transaction and never throws: every outcome is in the
/// group's pending writes.
template <class Pending>
class GroupQueue {
 public:
  static constexpr std::size_t max_group = 512;
  using Writer = std::function<void(const std::vector<Pending*>& group)>;

  GroupQueue() { group_.reserve(max_group); }

  /// Queues `mine` and returns once it is done: written by another caller's group, or by a
  /// group this caller led.
  void save(Pending& mine, const Writer& write) {
    std::unique_lock lock(mutex_);
    queue_.push_back(&mine);
    while (!mine.done) {
      if (leading_) {
        mine.wake.wait(lock);
        continue;
      }
      // Lead: take everything queued (this write included, unless more than a group's worth
      // is ahead of it), write it while others queue behind, and wake them.
      leading_ = true;
      group_.clear();
      while (!queue_.empty() && group_.size() < max_group) {
        group_.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      write(group_);
      lock.lock();
      stats_.saves += group_.size();
      stats_.commits += 1;
      stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, group_.size());
      leading_ = false;
      // Wake the group's callers, and no one else. Under the lock: once `done` is seen, a
      // caller returns and its pending write (with `wake`) is gone.
      for (Pending* p : group_) {
        p->done = true;
        if (p != &mine) p->wake.notify_one();
      }
      // The next leader: the first in the queue, which the next group starts with. A leader
      // whose own write is still queued (more than a group was ahead) leads again instead.
      if (mine.done && !queue_.empty()) queue_.front()->wake.notify_one();
    }
  }

  /// Writes and commits so far, and the largest group.
  WriteStats stats() {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  std::mutex mutex_;
  std::deque<Pending*> queue_;
  bool leading_ = false;
  std::vector<Pending*> group_;  // the leader's, reserved up front so taking one cannot fail
  WriteStats stats_;
};

/// save_submission's queue.
using GroupCommit = GroupQueue<PendingSave>;
/// create_draft's, update_draft's and delete_draft's queue.
using DraftCommit = GroupQueue<PendingDraftWrite>;

}  // namespace askonce::server::store_detail
