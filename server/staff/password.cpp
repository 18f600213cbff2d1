// server/staff/password.cpp: Argon2id through libargon2 (password.hpp).
#include "server/staff/password.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace askonce::server::staff {
namespace {

constexpr std::size_t salt_bytes = 16, hash_bytes = 32;

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  return out;
}

}  // namespace

std::string hash_password(std::string_view password, const PasswordCost& cost) {
  const std::string salt = random_bytes(salt_bytes);
  std::vector<char> encoded(argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes, salt_bytes, hash_bytes, Argon2_id) + 1);
  const int rc = argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, password.data(), password.size(),
                                       salt.data(), salt.size(), hash_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  return std::string(encoded.data());
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (!encoded.starts_with("$argon2id$")) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool verify_password_of_nobody(std::string_view password) {
  // One hash made once per process at the shipped cost: the same work as a real account's.
  static const std::string nobody = hash_password(random_bytes(18));
  (void)verify_password(password, nobody);
  return false;
}

std::string temporary_password() {
  static constexpr char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";  // 32 signs, no l, o, 0, 1
  const std::string bytes = random_bytes(20);
  std::string out;
  for (std::size_t i = 0; i < 20; ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += alphabet[static_cast<unsigned char>(bytes[i]) % 32];
  }
  return out;
}

std::optional<PasswordProblem> password_problem(std::string_view password, std::string_view name) {
  if (password.size() > max_password_bytes) return PasswordProblem::TooLong;
  // Characters, not bytes: a passphrase in Spanish is as long as it looks.
  std::size_t characters = 0;
  for (unsigned char c : password) characters += (c & 0xC0) != 0x80;
  if (characters < 12) return PasswordProblem::TooShort;
  if (password == name) return PasswordProblem::IsName;
  return std::nullopt;
}

}  // namespace askonce::server::staff
