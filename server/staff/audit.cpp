// server/staff/audit.cpp: the audit log's keyed chain (audit.hpp).
#include "server/staff/audit.hpp"

#include "server/store/keyring.hpp"
#include "server/store/reference.hpp"

namespace askonce::server::staff {
namespace {

constexpr std::string_view prefix = "hmac-sha256:";

// Every field of the entry, NUL between them: no two different entries give the same text.
std::string message(const AuditEntry& e) {
  std::string m = "askonce audit entry v1";
  for (const std::string& part :
       {std::to_string(e.seq), std::to_string(e.at.time_since_epoch().count()),
        e.staff_id ? std::to_string(*e.staff_id) : std::string(), e.event, e.channel, e.reference, e.detail,
        e.prev_hash}) {
    m += '\0';
    m += part;
  }
  return m;
}

}  // namespace

AuditLog::AuditLog(std::shared_ptr<const Keyring> keys) {
  if (!keys) throw StoreError("the audit log needs the keyring (keys.file or keys.env)");
  keys_ = keys->derive("askonce audit v1");
}

std::string AuditLog::hash(const AuditEntry& entry) const {
  return std::string(prefix) + hmac_sha256_b64url(keys_.front(), message(entry));
}

AuditEntry AuditLog::append(Store& store, const NewAuditEntry& entry, TimePoint now) const {
  return store.append_audit(entry, now, [this](const AuditEntry& e) { return hash(e); });
}

AuditEntry AuditLog::application(Store& store, std::int64_t staff_id, const std::string& event,
                                 const std::string& channel, const std::string& reference, TimePoint now) const {
  NewAuditEntry e;
  e.staff_id = staff_id;
  e.event = event;
  e.channel = channel;
  e.reference = reference;
  return append(store, e, now);
}

AuditLog::Verified AuditLog::verify(Store& store) const {
  Verified out;
  std::int64_t expected_seq = 1;
  std::string previous;
  auto bad = [&](std::int64_t seq, std::string why) {
    out.first_bad = seq;
    out.problem = std::move(why);
  };
  for (std::int64_t after = 0;;) {
    const auto page = store.audit_after(after, 500);
    if (page.empty()) break;
    for (const auto& e : page) {
      ++out.entries;
      if (e.seq != expected_seq) {
        bad(expected_seq, e.seq > expected_seq ? "missing: entries " + std::to_string(expected_seq) + " to " +
                                                     std::to_string(e.seq - 1) + " were removed"
                                               : "out of order");
        return out;
      }
      if (e.prev_hash != previous) {
        bad(e.seq, "does not follow the entry before it (its prev_hash was changed, or that entry was)");
        return out;
      }
      // Any key of the ring: entries chained before a key rotation verify under the old key.
      bool valid = false;
      const std::string m = message(e);
      for (const auto& key : keys_) {
        valid = constant_time_equal(e.hash, std::string(prefix) + hmac_sha256_b64url(key, m)) || valid;
      }
      if (!valid) {
        bad(e.seq, "was changed: its hash does not match what it says");
        return out;
      }
      previous = e.hash;
      out.head_seq = e.seq;
      out.head_hash = e.hash;
      ++expected_seq;
    }
    after = page.back().seq;
  }
  return out;
}

}  // namespace askonce::server::staff
