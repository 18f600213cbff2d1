// server/staff/password.hpp: staff passwords, hashed with Argon2id (libargon2) in its encoded
// form ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), which carries its own salt and parameters,
// so that stronger parameters later still verify older hashes. A password is never stored or
// logged in clear; temporary passwords (staff add/reset) are shown once and only their hash kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace askonce::server::staff {

/// The cost of a new hash: OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane).
struct PasswordCost {
  unsigned memory_kib = 19456;
  unsigned passes = 2;
  unsigned lanes = 1;
};

/// The encoded Argon2id hash of `password`, with a fresh 16-byte salt from the CSPRNG. Throws
/// std::runtime_error when libargon2 fails (out of memory).
std::string hash_password(std::string_view password, const PasswordCost& cost = {});

/// Whether `password` matches `encoded` (libargon2 compares in constant time). False for an
/// encoded hash that is not Argon2id, or is malformed.
bool verify_password(std::string_view password, const std::string& encoded);

/// Takes as long as verify_password does, and is always false: for a name that is no account,
/// so that the time of the answer does not tell whether the name exists.
bool verify_password_of_nobody(std::string_view password);

/// A temporary password for `askonce staff add/reset`: 100 random bits as 4 groups of 5
/// lower-case letters and digits ("k7mq2-9xv4t-a8rb3-zp6n5").
std::string temporary_password();

/// Why `password` cannot be a staff member's own password (at least 12 characters, at most
/// 256 bytes, not the name); nothing when it can. Words for the page (en/es) are the caller's:
/// this says which rule.
enum class PasswordProblem { TooShort, TooLong, IsName };
std::optional<PasswordProblem> password_problem(std::string_view password, std::string_view name);

/// The longest password accepted (a limit on every input: Argon2 hashes whatever it is given).
constexpr std::size_t max_password_bytes = 256;

}  // namespace askonce::server::staff
