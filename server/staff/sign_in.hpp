// server/staff/sign_in.hpp: how a staff member proves who they are, behind one interface.
//
// SignIn is what the /staff/ pages call; PasswordTotpSignIn is the one shipped: a password
// (Argon2id), then a TOTP code or a one-time recovery code. A deployment with single sign-on
// (PIV cards through the TLS proxy, OpenID Connect) replaces it with its own SignIn whose
// first step returns Outcome::SignedIn (docs/architecture.md, "Staff"): the pages, sessions,
// roles and the audit log stay as they are.
//
// Failures count in the store (Store::record_staff_failure), so lockout holds across every
// node; a name that is no account counts under a keyed hash of the name
// (Store::record_name_failure), is locked by the same rule (staff_lockout) and answers exactly
// as a wrong password does, in the same time, so that no answer says whether a name exists.
// Every outcome is written to the audit log.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/staff/audit.hpp"
#include "server/store/store.hpp"

namespace askonce::server {
class Keyring;
}

namespace askonce::server::staff {

/// Lockout and session limits (config staff.*, docs/operations.md).
struct StaffPolicy {
  std::int64_t lock_after = 5;                                    // failures before the first lock
  std::chrono::milliseconds lock_base = std::chrono::seconds(30);  // the first lock; doubled for each failure after
  std::chrono::milliseconds lock_cap = std::chrono::hours(1);
  std::chrono::milliseconds idle = std::chrono::minutes(15);      // a session not used this long ends
  std::chrono::milliseconds absolute = std::chrono::hours(8);     // and any session this long after sign-in
  /// How long the failures of a name that is no account are remembered after the last one. An
  /// account keeps its count until a sign-in or a reset; a name that is none cannot be kept for
  /// ever (anyone can make up names), so the two differ only after this long without a try.
  std::chrono::milliseconds unknown_names_kept = std::chrono::hours(24 * 7);
  std::string issuer = "askonce";                                 // what authenticator apps show
};

/// What a step of signing in came to.
struct SignInResult {
  enum class Outcome {
    SecondFactor,  // the password is right: ask for a code
    SetUp,         // a temporary password is right: the member must set up their account
    SignedIn,      // done
    Refused,       // wrong name, password or code; a disabled account (one answer for all)
    Locked,        // too many failures: wait (the same for a name that is no account)
  };
  Outcome outcome = Outcome::Refused;
  std::optional<StaffAccount> account;  // SecondFactor, SetUp, SignedIn
  bool recovery_code_used = false;      // SignedIn with a recovery code
};

class SignIn {
 public:
  virtual ~SignIn() = default;
  /// The first step: a name and a password.
  virtual SignInResult first(const std::string& name, const std::string& password, TimePoint now) = 0;
  /// The second step, for the account a first step answered SecondFactor for: a TOTP code or a
  /// recovery code.
  virtual SignInResult second(std::int64_t staff_id, const std::string& code, TimePoint now) = 0;
};

/// Password, then TOTP or a recovery code.
class PasswordTotpSignIn final : public SignIn {
 public:
  PasswordTotpSignIn(Store& store, std::shared_ptr<const Keyring> keys, StaffPolicy policy);
  SignInResult first(const std::string& name, const std::string& password, TimePoint now) override;
  SignInResult second(std::int64_t staff_id, const std::string& code, TimePoint now) override;

 private:
  SignInResult fail(const StaffAccount& account, TimePoint now, const char* detail);
  Store& store_;
  std::shared_ptr<const Keyring> keys_;
  StaffPolicy policy_;
  AuditLog audit_;
  std::string name_key_;  // keys the hash of names that are no account
};

/// The TOTP secret of account `id`, sealed for the store (bound to the account), and opened.
std::string seal_totp_secret(const Keyring& keys, std::int64_t id, const std::string& secret);
std::optional<std::string> open_totp_secret(const Keyring& keys, std::int64_t id, const std::string& sealed);

/// What finishing set-up needs and gives.
struct SetUpRequest {
  std::int64_t staff_id = 0;
  std::string password, confirm;  // the member's own password, twice
  std::string secret;             // the TOTP secret the page showed (raw bytes)
  std::string code;               // a code from the app, to prove it was enrolled
};
struct SetUpResult {
  enum class Problem { None, PasswordTooShort, PasswordTooLong, PasswordIsName, PasswordsDiffer, CodeWrong, AlreadySetUp };
  Problem problem = Problem::None;
  std::vector<std::string> recovery_codes;  // shown once; only their hashes are stored
};
/// Checks the new password and the code, then sets the account up (Store::complete_staff_setup)
/// and writes "set_up" to the audit log.
SetUpResult complete_set_up(Store& store, const Keyring& keys, const AuditLog& audit, const SetUpRequest& request,
                            TimePoint now);

/// "agent" or "supervisor".
bool valid_role(std::string_view role);

}  // namespace askonce::server::staff
