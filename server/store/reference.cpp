// server/store/reference.cpp: reference numbers (Crockford base32 with a mod-37 check symbol),
// random tokens and hashes, all over OpenSSL's CSPRNG and SHA-256.
#include "server/store/reference.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace askonce::server {
namespace {

// Crockford's alphabet: 32 data symbols, then the 5 extra check symbols (values 32..36).
constexpr std::string_view symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
constexpr std::size_t data_length = 10;
constexpr std::size_t resume_data_length = 12;  // 60 bits

void random_bytes(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("the random number generator failed");
}

// The value of one data symbol, with Crockford's decoding aliases; -1 when it is not one.
int data_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') c = '1';
  if (c == 'O') c = '0';
  auto pos = symbols.substr(0, 32).find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

int check_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'U') return 36;
  if (c == '*' || c == '~' || c == '$' || c == '=') return static_cast<int>(symbols.find(c));
  return data_value(c);
}

/// In groups of four, the last group taking what is left: "XXXX-XXXX-XXC", "XXXX-XXXX-XXXXC".
std::string grouped(std::string_view symbols_in) {
  std::string out;
  out.append(symbols_in.substr(0, 4)).push_back('-');
  out.append(symbols_in.substr(4, 4)).push_back('-');
  out.append(symbols_in.substr(8));
  return out;
}


std::string b64url(const unsigned char* p, std::size_t n) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(table[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(table[(acc << (6 - bits)) & 63]);
  return out;
}

}  // namespace

char crockford_check_symbol(std::string_view data) {
  // The number the symbols spell, mod 37, computed digit by digit so any length works.
  unsigned mod = 0;
  for (char c : data) mod = (mod * 32 + static_cast<unsigned>(data_value(c))) % 37;
  return symbols[mod];
}

namespace {

/// `length` random data symbols and their check symbol (a letter or digit), grouped.
std::string new_code(std::size_t length) {
  for (;;) {
    std::vector<unsigned char> bytes(length);
    random_bytes(bytes.data(), bytes.size());
    std::string data;
    for (unsigned char b : bytes) data.push_back(symbols[b & 31]);  // 5 uniform bits per byte
    char check = crockford_check_symbol(data);
    // Rejection keeps issued codes alphanumeric and say-able; it costs 0.2 bits.
    if (symbols.find(check) >= 32) continue;
    return grouped(data + check);
  }
}

std::optional<std::string> parse_code(std::string_view text, std::size_t length) {
  std::string compact;
  for (char c : text) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    compact.push_back(c);
    if (compact.size() > length + 1) return std::nullopt;
  }
  if (compact.size() != length + 1) return std::nullopt;
  std::string data;
  for (std::size_t i = 0; i < length; ++i) {
    int v = data_value(compact[i]);
    if (v < 0) return std::nullopt;
    data.push_back(symbols[static_cast<std::size_t>(v)]);
  }
  int check = check_value(compact[length]);
  if (check < 0 || symbols[static_cast<std::size_t>(check)] != crockford_check_symbol(data)) return std::nullopt;
  return grouped(data + symbols[static_cast<std::size_t>(check)]);
}

}  // namespace

std::string new_reference() { return new_code(data_length); }

std::optional<std::string> parse_reference(std::string_view text) { return parse_code(text, data_length); }

std::string new_resume_code() { return new_code(resume_data_length); }

std::optional<std::string> parse_resume_code(std::string_view text) { return parse_code(text, resume_data_length); }

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  random_bytes(buf.data(), buf.size());
  return b64url(buf.data(), buf.size());
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data());
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned char b : md) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
}

std::string hmac_sha256_b64url(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), md.data(), &len)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return b64url(md.data(), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace askonce::server
