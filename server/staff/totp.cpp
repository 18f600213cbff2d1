// server/staff/totp.cpp: TOTP, base32, otpauth URIs and recovery codes (totp.hpp).
#include "server/staff/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <stdexcept>

#include "server/store/reference.hpp"

namespace askonce::server::staff {
namespace {

constexpr char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  return out;
}

// The characters of a code without spaces and '-', lower case.
std::string squeeze(std::string_view code) {
  std::string out;
  for (unsigned char c : code) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += base32_alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32_alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : text) {
    if (c == ' ' || c == '=' || c == '-') continue;
    c = static_cast<unsigned char>(std::toupper(c));
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string new_totp_secret() { return random_bytes(20); }

std::int64_t totp_step(TimePoint now) {
  return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / 30;
}

std::string totp_code(std::string_view secret, std::int64_t step, int digits) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xFF);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter, sizeof counter, mac, &mac_len) ||
      mac_len < 20) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // RFC 4226, 5.3: dynamic truncation.
  const int offset = mac[mac_len - 1] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  std::string code = std::to_string(binary % modulo);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code, TimePoint now) {
  const std::string typed = squeeze(code);
  if (typed.size() != 6 || typed.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const std::int64_t step = totp_step(now);
  std::optional<std::int64_t> found;
  // All three compared every time, so the time taken does not say which matched.
  for (std::int64_t s = step - 1; s <= step + 1; ++s) {
    if (constant_time_equal(totp_code(secret, s), typed)) found = s;
  }
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  const std::string i = percent_encode(issuer);
  return "otpauth://totp/" + i + ":" + percent_encode(account) + "?secret=" + base32_encode(secret) + "&issuer=" + i +
         "&algorithm=SHA1&digits=6&period=30";
}

std::vector<std::string> new_recovery_codes() {
  std::vector<std::string> out;
  for (std::size_t n = 0; n < recovery_code_count; ++n) {
    const std::string bytes = random_bytes(10);
    std::string code;
    for (std::size_t i = 0; i < 10; ++i) {
      if (i == 5) code += '-';
      code += static_cast<char>(std::tolower(static_cast<unsigned char>(base32_alphabet[static_cast<unsigned char>(bytes[i]) % 32])));
    }
    out.push_back(std::move(code));
  }
  return out;
}

std::string recovery_code_hash(std::string_view code) { return sha256_hex(squeeze(code)); }

bool looks_like_recovery_code(std::string_view code) {
  const std::string s = squeeze(code);
  if (s.size() != 10) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
  }
  return true;
}

}  // namespace askonce::server::staff
