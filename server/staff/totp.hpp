// server/staff/totp.hpp: the second factor. TOTP (RFC 6238: HMAC-SHA1 of the 30-second step
// since the epoch, 6 digits, one step either side accepted for clocks that drift), its secret in
// base32 (RFC 4648) and the otpauth URI authenticator apps enrol from; and the one-time recovery
// codes for a member who lost their phone. Each code works once: the store keeps the last step
// accepted (Store::accept_totp_step) and marks recovery codes used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server::staff {

/// RFC 4648 base32, upper case, without padding (what otpauth URIs carry).
std::string base32_encode(std::string_view bytes);
/// The bytes of `text` in base32: case, spaces and '=' padding ignored; nothing when another
/// sign is in it.
std::optional<std::string> base32_decode(std::string_view text);

/// A new TOTP secret: 20 random bytes (160 bits, as RFC 4226 recommends for HMAC-SHA1).
std::string new_totp_secret();

/// The time step of `now`: seconds since the epoch / 30.
std::int64_t totp_step(TimePoint now);
/// The code of `secret` at `step`, `digits` long, zero-padded (RFC 4226's truncation).
std::string totp_code(std::string_view secret, std::int64_t step, int digits = 6);
/// The step whose code `code` is, among now's step and one either side (the latest when
/// several match); nothing when none is. Compared in constant time; anything but 6 digits
/// (spaces allowed, as apps show "123 456") is nothing.
std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code, TimePoint now);

/// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30,
/// the label and issuer percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

/// How many recovery codes a member gets at set-up.
constexpr std::size_t recovery_code_count = 10;
/// New recovery codes: 10 random base32 characters each (50 bits), shown as "xxxxx-xxxxx".
std::vector<std::string> new_recovery_codes();
/// What the store keeps of a recovery code: SHA-256 of its characters, lower case, without
/// spaces or '-', so that "ABCDE FGHIJ" and "abcde-fghij" are the same code.
std::string recovery_code_hash(std::string_view code);
/// Whether `code` looks like a recovery code (10 base32 characters once spaces and '-' are
/// gone), rather than a TOTP code.
bool looks_like_recovery_code(std::string_view code);

}  // namespace askonce::server::staff
