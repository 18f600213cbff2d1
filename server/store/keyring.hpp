// server/store/keyring.hpp: the keys that seal personal data at rest (drafts hold SSNs), and
// where they come from.
//
// A keyring is a short text, one key to a line: "ID:KEY", KEY being 32 random bytes in base64,
// ID a name of the operator's choosing (letters, digits, '-', '_'; up to 32). The FIRST line is
// the current key, which seals everything new; the others only open what older keys sealed, so
// that a key can be rotated without losing a draft: put the new key first, restart every node,
// and drop the old line once everything it sealed has expired (docs/operations.md, "Keys").
//
// The keyring comes from a file or an environment variable that the configuration names, never
// from the database: a copy of the database alone opens nothing. Sealing is AES-256-GCM with a
// fresh 96-bit nonce per message and the caller's "associated data" (the row a value belongs
// to), so a sealed value moved to another row, or changed by one bit, does not open.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace askonce::server {

class Keyring {
 public:
  /// The keys in `text` (the format above; blank lines and lines starting with '#' are skipped).
  /// Throws StoreError naming `where` (a file's path, an environment variable's name) and the
  /// line, when a line is not a key, an id repeats, or there is no key at all.
  static Keyring parse(std::string_view text, std::string_view where);

  /// A new keyring's text: one fresh key from the CSPRNG, named `id`, with a comment above it.
  static std::string generate(std::string_view id);

  /// The keyring in the file at `path`. Throws StoreError when it cannot be read, is not a
  /// keyring, or can be read by anyone but its owner (group or other permission bits set).
  static Keyring from_file(const std::filesystem::path& path);

  /// Creates the file at `path` with a new keyring, readable and writable by its owner only,
  /// when there is no file there (never overwrites one). Returns true when it created it.
  /// Throws StoreError when it cannot.
  static bool create_file(const std::filesystem::path& path);

  /// `plaintext` sealed with the current key, bound to `associated`: "ID:" followed by
  /// base64(nonce | ciphertext | tag).
  std::string seal(std::string_view plaintext, std::string_view associated) const;

  /// What `sealed` holds, when one of these keys sealed it with the same `associated`;
  /// nothing otherwise (a key no longer in the ring, a value changed, another row's value).
  std::optional<std::string> open(std::string_view sealed, std::string_view associated) const;

  /// A key for another use than sealing, from each key of the ring, the current key's first:
  /// HMAC-SHA256(key, `label`), 32 bytes. The label names the use and its version ("askonce
  /// csrf v1"), so no two uses share a key and none is the sealing key itself. Every node
  /// given the same keyring derives the same keys; after a rotation the old key's still come
  /// second, so what they signed stays good until its line is dropped.
  std::vector<std::string> derive(std::string_view label) const;

  /// The current key's id.
  const std::string& current_id() const { return keys_.front().first; }

 private:
  Keyring() = default;
  std::vector<std::pair<std::string, std::string>> keys_;  // (id, 32 key bytes); never empty
};

}  // namespace askonce::server
