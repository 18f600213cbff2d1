// server/staff/sign_in.cpp: password + TOTP sign-in, and set-up (sign_in.hpp).
#include "server/staff/sign_in.hpp"

#include <algorithm>

#include "server/staff/password.hpp"
#include "server/staff/totp.hpp"
#include "server/store/keyring.hpp"
#include "server/store/reference.hpp"

namespace askonce::server::staff {
namespace {

using Outcome = SignInResult::Outcome;

NewAuditEntry event(std::optional<std::int64_t> staff_id, std::string name, std::string detail = {}) {
  NewAuditEntry e;
  e.staff_id = staff_id;
  e.event = std::move(name);
  e.detail = std::move(detail);
  return e;
}

bool locked(const StaffAccount& a, TimePoint now) { return a.locked_until && *a.locked_until > now; }

}  // namespace

bool valid_role(std::string_view role) { return role == "agent" || role == "supervisor"; }

std::string seal_totp_secret(const Keyring& keys, std::int64_t id, const std::string& secret) {
  return keys.seal(secret, "askonce staff totp " + std::to_string(id));
}

std::optional<std::string> open_totp_secret(const Keyring& keys, std::int64_t id, const std::string& sealed) {
  return keys.open(sealed, "askonce staff totp " + std::to_string(id));
}

PasswordTotpSignIn::PasswordTotpSignIn(Store& store, std::shared_ptr<const Keyring> keys, StaffPolicy policy)
    : store_(store), keys_(std::move(keys)), policy_(std::move(policy)), audit_(keys_) {
  name_key_ = keys_->derive("askonce staff names v1").front();
}

SignInResult PasswordTotpSignIn::fail(const StaffAccount& account, TimePoint now, const char* detail) {
  const auto after = store_.record_staff_failure(account.id, now, policy_.lock_after, policy_.lock_base, policy_.lock_cap);
  audit_.append(store_, event(account.id, "sign_in_failed", detail), now);
  SignInResult r;
  r.outcome = after && locked(*after, now) ? Outcome::Locked : Outcome::Refused;
  return r;
}

SignInResult PasswordTotpSignIn::first(const std::string& name, const std::string& password, TimePoint now) {
  SignInResult r;
  const auto account = name.size() <= 64 ? store_.find_staff(name) : std::nullopt;
  if (!account) {
    // No such account: the same work, the same answers and the same lock as for one. Its
    // failures are counted under a keyed hash of the name (never the name itself) and locked
    // by the account's rule (staff_lockout from the last failure: no count while locked, the
    // wait doubling after), and "unknown name" goes in the log.
    const std::string key = "staff-name:" + hmac_sha256_b64url(name_key_, name);
    const auto before = store_.name_failures(key, now);
    const auto lock = [&](const Store::NameFailures& f) {
      return f.last ? staff_lockout(f.failures, policy_.lock_after, policy_.lock_base, policy_.lock_cap, *f.last)
                    : std::nullopt;
    };
    verify_password_of_nobody(password.substr(0, max_password_bytes));
    if (const auto until = lock(before); until && *until > now) {
      audit_.append(store_, event(std::nullopt, "sign_in_failed", "unknown name"), now);
      r.outcome = Outcome::Locked;
      return r;
    }
    // Kept at least as long as the longest lock, so a lock never ends early by forgetting.
    const auto after = store_.record_name_failure(key, now, std::max(policy_.unknown_names_kept, policy_.lock_cap));
    audit_.append(store_, event(std::nullopt, "sign_in_failed", "unknown name"), now);
    const auto until = lock(after);
    r.outcome = until && *until > now ? Outcome::Locked : Outcome::Refused;
    return r;
  }
  if (locked(*account, now)) {
    verify_password_of_nobody(password.substr(0, max_password_bytes));
    audit_.append(store_, event(account->id, "sign_in_failed", "locked"), now);
    r.outcome = Outcome::Locked;
    return r;
  }
  const bool right = password.size() <= max_password_bytes && verify_password(password, account->password_hash);
  if (!right) return fail(*account, now, "wrong password");
  if (account->disabled) {
    audit_.append(store_, event(account->id, "sign_in_failed", "disabled"), now);
    return r;  // Refused, as a wrong password
  }
  r.account = account;
  if (!account->set_up) {
    store_.clear_staff_failures(account->id);
    audit_.append(store_, event(account->id, "sign_in_temporary_password"), now);
    r.outcome = Outcome::SetUp;
    return r;
  }
  r.outcome = Outcome::SecondFactor;
  return r;
}

SignInResult PasswordTotpSignIn::second(std::int64_t staff_id, const std::string& code, TimePoint now) {
  SignInResult r;
  const auto account = store_.staff_by_id(staff_id);
  if (!account || account->disabled || !account->set_up) return r;
  if (locked(*account, now)) {
    audit_.append(store_, event(account->id, "sign_in_failed", "locked"), now);
    r.outcome = Outcome::Locked;
    return r;
  }
  if (code.size() > 32) return fail(*account, now, "wrong code");
  bool accepted = false;
  if (looks_like_recovery_code(code)) {
    accepted = store_.use_recovery_code(account->id, recovery_code_hash(code), now);
    r.recovery_code_used = accepted;
  } else if (const auto secret = open_totp_secret(*keys_, account->id, account->totp_sealed)) {
    if (const auto step = totp_match(*secret, code, now)) accepted = store_.accept_totp_step(account->id, *step);
  } else {
    throw StoreError("the TOTP secret of staff account " + std::to_string(account->id) +
                     " does not open with this keyring (keys.file / keys.env)");
  }
  if (!accepted) return fail(*account, now, "wrong code");
  store_.clear_staff_failures(account->id);
  audit_.append(store_, event(account->id, "sign_in", r.recovery_code_used ? "recovery code" : "totp"), now);
  r.outcome = Outcome::SignedIn;
  r.account = account;
  return r;
}

SetUpResult complete_set_up(Store& store, const Keyring& keys, const AuditLog& audit, const SetUpRequest& q,
                            TimePoint now) {
  SetUpResult out;
  using P = SetUpResult::Problem;
  const auto account = store.staff_by_id(q.staff_id);
  if (!account || account->set_up) {
    out.problem = P::AlreadySetUp;
    return out;
  }
  if (const auto p = password_problem(q.password, account->name)) {
    out.problem = *p == PasswordProblem::TooShort ? P::PasswordTooShort
                  : *p == PasswordProblem::TooLong ? P::PasswordTooLong
                                                   : P::PasswordIsName;
    return out;
  }
  if (q.password != q.confirm) {
    out.problem = P::PasswordsDiffer;
    return out;
  }
  const auto step = totp_match(q.secret, q.code, now);
  if (!step) {
    out.problem = P::CodeWrong;
    return out;
  }
  auto codes = new_recovery_codes();
  std::vector<std::string> hashes;
  for (const auto& c : codes) hashes.push_back(recovery_code_hash(c));
  if (!store.complete_staff_setup(account->id, hash_password(q.password), seal_totp_secret(keys, account->id, q.secret),
                                  *step, hashes)) {
    out.problem = P::AlreadySetUp;
    return out;
  }
  audit.append(store, event(account->id, "set_up"), now);
  out.recovery_codes = std::move(codes);
  return out;
}

}  // namespace askonce::server::staff
