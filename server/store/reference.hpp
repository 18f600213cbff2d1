// server/store/reference.hpp: reference numbers and receipt secrets.
//
// A reference number is what a citizen reads out over the phone: 10 Crockford base32 symbols
// (50 bits from the CSPRNG, so neither sequential nor guessable) and one check symbol
// (Crockford's mod-37), grouped as "K7M2-9QXD-4RW". Parsing forgives what people do when they
// copy or dictate one: lower case, spaces, dashes, I/L read as 1 and O as 0. A wrong check
// symbol is refused, so a mistyped reference is caught before any look-up.
//
// Receipt secrets and agency tokens are 256 random bits, URL-safe base64 without padding;
// only their SHA-256 is ever stored.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace askonce::server {

/// A fresh reference number in its canonical form "XXXX-XXXX-XXC" (C the check symbol). Only
/// references whose check symbol is a letter or digit are issued, so every issued reference is
/// alphanumeric (the 5 extra mod-37 check symbols `* ~ $ = U` are still accepted by parsing).
std::string new_reference();

/// The canonical form of `text` as a reference number, or nothing when it is not one (wrong
/// length, a symbol outside Crockford base32, a wrong check symbol). Case, spaces and dashes
/// are ignored; I and L read as 1, O as 0.
std::optional<std::string> parse_reference(std::string_view text);

/// A fresh resume code, what a citizen writes down to come back to a draft: 12 Crockford base32
/// symbols (60 bits from the CSPRNG) and a check symbol, grouped "XXXX-XXXX-XXXXC".
std::string new_resume_code();

/// The canonical form of `text` as a resume code, read as forgivingly as a reference; nothing
/// when it is not one (a wrong check symbol included: a mistyped code costs no attempt).
std::optional<std::string> parse_resume_code(std::string_view text);

/// Crockford's check symbol for a string of base32 data symbols (already normalized).
char crockford_check_symbol(std::string_view data);

/// `bytes` random bytes from the CSPRNG (OpenSSL RAND_bytes), as URL-safe base64 without padding.
/// Throws std::runtime_error if the CSPRNG fails.
std::string random_token(std::size_t bytes = 32);

/// "sha256:<hex>" of `data`.
std::string sha256_hex(std::string_view data);

/// HMAC-SHA256(key, message) as URL-safe base64 without padding.
std::string hmac_sha256_b64url(std::string_view key, std::string_view message);

/// Equality of two strings in time that depends only on their lengths (CRYPTO_memcmp), for
/// comparing hashes of secrets.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace askonce::server
