// server/store/cursor.hpp: the agency list's cursor, shared by the backends (internal to store/).
//
// A cursor is what agencies hold between pulls: "c" and an outbox id in Crockford base32. Both
// backends issue and read the same strings, so a database copied from SQLite to PostgreSQL
// keeps every cursor an agency already holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace askonce::server::cursor {

inline constexpr std::string_view base32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// "c" and `id` in Crockford base32.
inline std::string encode(std::int64_t id) {
  std::string digits;
  auto v = static_cast<std::uint64_t>(id);
  do {
    digits.insert(digits.begin(), base32[v & 31]);
    v >>= 5;
  } while (v != 0);
  return "c" + digits;
}

/// The outbox id a cursor names: 0 for "" (from the start), nothing when it is malformed.
inline std::optional<std::int64_t> decode(const std::string& text) {
  if (text.empty()) return 0;
  if (text.size() < 2 || text.size() > 13 || text[0] != 'c') return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    auto p = base32.find(text[i]);
    if (p == std::string_view::npos) return std::nullopt;
    v = v * 32 + p;
  }
  if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace askonce::server::cursor
