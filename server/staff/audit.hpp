// server/staff/audit.hpp: the audit log of staff actions, append-only in fact.
//
// Each entry carries the hash of the one before it (Store::append_audit chains them in one
// transaction per append, serialized across nodes), and its own hash is an HMAC-SHA256 keyed
// from the keyring ("askonce audit v1"): someone holding the database alone can change or remove
// an entry, but cannot compute the hashes that would hide it. verify_audit walks the chain and
// names the first entry that was changed, or is missing. Removing the NEWEST entries leaves a
// shorter chain that is still whole: only a head recorded elsewhere (verify prints it) shows it.
//
// Entries say who (a staff id, or "unknown name"), what, when, and for applications the channel
// and reference: never an answer, a password, a code or a name as typed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {
class Keyring;
}

namespace askonce::server::staff {

/// Appends to and verifies the chain with keys derived from a keyring.
class AuditLog {
 public:
  /// Throws StoreError when `keys` is null.
  explicit AuditLog(std::shared_ptr<const Keyring> keys);

  /// Appends `entry` at `now`; returns it as stored (numbered and chained).
  AuditEntry append(Store& store, const NewAuditEntry& entry, TimePoint now) const;

  /// What the lead's keying pages call: staff member `staff_id` keyed ("keyed") or opened
  /// ("opened") the application `reference` taken by `channel` ("phone", "in_person", "mail").
  AuditEntry application(Store& store, std::int64_t staff_id, const std::string& event, const std::string& channel,
                         const std::string& reference, TimePoint now) const;

  /// The hash `entry` must carry under the current key ("hmac-sha256:" + base64url).
  std::string hash(const AuditEntry& entry) const;

  struct Verified {
    std::int64_t entries = 0;                // entries read
    std::optional<std::int64_t> first_bad;   // the first entry changed or missing
    std::string problem;                     // what is wrong with it, for an operator
    std::int64_t head_seq = 0;               // the newest entry: record it elsewhere
    std::string head_hash;
    bool ok() const { return !first_bad; }
  };
  /// Walks the whole chain, oldest first.
  Verified verify(Store& store) const;

 private:
  std::vector<std::string> keys_;  // derived; the current key's first
};

}  // namespace askonce::server::staff
