// server/store/group_commit.cpp: the save machinery both backends share (group_commit.hpp).
#include "server/store/group_commit.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "engine/clock.hpp"
#include "engine/value.hpp"
#include "server/store/keyring.hpp"
#include "server/store/reference.hpp"

namespace askonce::server::store_detail {

DeliveryState state_of(const std::string& s) {
  if (s == "delivered") return DeliveryState::Delivered;
  if (s == "dead") return DeliveryState::Dead;
  return DeliveryState::Pending;
}

MailState mail_state_of(const std::string& s) {
  if (s == "sent") return MailState::Sent;
  if (s == "dead") return MailState::Dead;
  return MailState::Pending;
}

std::string idem_hash(const IdempotencyKey& k) { return sha256_hex(k.scope + std::string(1, '\0') + k.key); }

std::string idem_secret(const std::string& salt, const IdempotencyKey& k) {
  return hmac_sha256_b64url(salt, k.scope + std::string(1, '\0') + k.key + std::string(1, '\0') + k.fingerprint);
}

std::string new_draft_id() { return random_token(24); }

std::optional<std::string> draft_id_hash(std::string_view id) {
  if (id.size() != 32) return std::nullopt;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return sha256_hex(id);
}

const Keyring& draft_keys(const DraftOptions& options) {
  if (!options.keys) throw StoreError("drafts: this store was opened without keys (keys.file or keys.env)");
  return *options.keys;
}

namespace {

// Answers as bytes: each name and value as a 4-byte little-endian length and its bytes. No
// separator can be confused with an answer's own characters.
void put_length(std::string& out, std::size_t n) {
  if (n > 0xffffffffu) throw StoreError("drafts: an answer is too long to keep");
  for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
}

}  // namespace

std::string seal_answers(const DraftOptions& options, const FlatAnswers& answers, const std::string& id_hash) {
  std::string bytes;
  for (const auto& [name, value] : answers) {
    put_length(bytes, name.size());
    bytes += name;
    put_length(bytes, value.size());
    bytes += value;
  }
  return draft_keys(options).seal(bytes, id_hash);
}

FlatAnswers open_answers(const DraftOptions& options, const std::string& sealed, const std::string& id_hash) {
  const auto bytes = draft_keys(options).open(sealed, id_hash);
  if (!bytes) {
    const std::string key = sealed.substr(0, std::min<std::size_t>(sealed.find(':'), 32));
    throw StoreError("drafts: a draft sealed with key '" + key +
                     "' does not open with these keys (a key removed from the ring too soon, or a changed row)");
  }
  FlatAnswers out;
  std::size_t i = 0;
  const auto take = [&](std::string& into) {
    if (bytes->size() - i < 4) throw StoreError("drafts: a draft's answers are cut short");
    std::size_t n = 0;
    for (int k = 0; k < 4; ++k) n |= static_cast<std::size_t>(static_cast<unsigned char>((*bytes)[i + k])) << (8 * k);
    i += 4;
    if (bytes->size() - i < n) throw StoreError("drafts: a draft's answers are cut short");
    into.assign(*bytes, i, n);
    i += n;
  };
  while (i < bytes->size()) {
    auto& [name, value] = out.emplace_back();
    take(name);
    take(value);
  }
  return out;
}

namespace {

/// "YYYY-MM-DD" naming a day of the Gregorian calendar.
bool is_iso_day(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const std::chrono::year_month_day day{std::chrono::year(std::stoi(s.substr(0, 4))),
                                        std::chrono::month(static_cast<unsigned>(std::stoi(s.substr(5, 2)))),
                                        std::chrono::day(static_cast<unsigned>(std::stoi(s.substr(8, 2))))};
  return day.ok();
}

}  // namespace

std::string quarter_of_day(const std::string& day) {
  const auto d = engine::parse_date(day);
  if (!d) throw StoreError("database: the day received is not YYYY-MM-DD");
  return engine::fiscal_quarter(*d).label();
}

std::string quarter_of_time(TimePoint at) { return quarter_of_day(iso_utc(at).substr(0, 10)); }

std::string started_quarter(const NewDraft& n, TimePoint at) {
  if (n.day.empty()) return quarter_of_time(at);
  if (!is_iso_day(n.day)) throw StoreError("database: the day started is not YYYY-MM-DD");
  return quarter_of_day(n.day);
}

void prepare_save(PendingSave& p, const NewSubmission& n, TimePoint at) {
  // The store keeps what the interface promises: a known channel, staff only where staff key,
  // and a day received that is a day (the caller checks what a person typed; this is the last
  // line, so that no path stores what the agencies' envelope could not carry).
  if (!known_channel(n.channel)) throw StoreError("database: unknown channel '" + n.channel + "'");
  if (n.staff_id.has_value() != staff_channel(n.channel)) {
    throw StoreError("database: a submission on channel '" + n.channel +
                     (n.staff_id ? "' is not keyed by staff" : "' needs the staff member who keyed it"));
  }
  p.date_received = n.date_received.empty() ? n.received.substr(0, 10) : n.date_received;
  if (!is_iso_day(p.date_received)) throw StoreError("database: the day received is not YYYY-MM-DD");
  p.quarter = quarter_of_day(p.date_received);
  if (!n.day_recorded.empty() && !is_iso_day(n.day_recorded)) {
    throw StoreError("database: the day recorded is not YYYY-MM-DD");
  }
  p.recorded_quarter = n.day_recorded.empty() ? p.quarter : quarter_of_day(n.day_recorded);
  p.submission = &n;
  p.at = at;
  p.reference = new_reference();
  if (n.idempotency) {
    // Used only when the key is new; a replay derives the secret from the stored salt.
    p.idem_hash = idem_hash(*n.idempotency);
    p.idem_fingerprint = n.idempotency->fingerprint;
    p.idem_salt = random_token(32);
    p.receipt_secret = idem_secret(*p.idem_salt, *n.idempotency);
  } else {
    p.receipt_secret = random_token(32);
  }
  p.receipt_hash = sha256_hex(p.receipt_secret);
  p.draft_hash.reset();
  if (n.consumes_draft) p.draft_hash = draft_id_hash(*n.consumes_draft);
  if (n.mails) p.mails = n.mails(p.reference);
}

void redraw_reference(PendingSave& p) {
  p.reference = new_reference();
  if (p.submission->mails) p.mails = p.submission->mails(p.reference);
}

SaveResult finish_save(PendingSave& p, const NewSubmission& n) {
  if (p.error) std::rethrow_exception(p.error);
  if (p.result->status == SaveResult::Status::Stored) {
    StoredSubmission out;
    out.reference = p.reference;
    out.form_id = n.form_id;
    out.version = n.version;
    out.definition_hash = n.definition_hash;
    out.language = n.language;
    out.channel = n.channel;
    out.received = n.received;
    out.date_received = p.date_received;
    out.staff_id = n.staff_id;
    out.canonical_json = n.canonical_json;
    out.digest = n.digest;
    out.deliveries.reserve(n.views.size());
    for (std::size_t i = 0; i < n.views.size(); ++i) {
      DeliveryStatus d;
      d.id = p.outbox_ids.at(i);
      d.agency = n.views[i].agency;
      d.state = DeliveryState::Pending;
      d.next_attempt = p.at;
      out.deliveries.push_back(std::move(d));
    }
    p.result->submission = std::move(out);
    p.result->receipt_secret = std::move(p.receipt_secret);
  }
  return std::move(*p.result);
}

}  // namespace askonce::server::store_detail
