// server/store/keyring.cpp: the keyring (keyring.hpp), AES-256-GCM from OpenSSL's EVP interface.
#include "server/store/keyring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "server/store/store.hpp"

namespace askonce::server {
namespace {

constexpr std::size_t key_bytes = 32, nonce_bytes = 12, tag_bytes = 16, max_id = 32;

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

/// Standard base64 with padding; nothing when `text` is not that.
std::optional<std::string> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '=';
    if (!ok) return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding's zero bytes in; take them off.
  std::size_t len = static_cast<std::size_t>(n);
  if (text.ends_with("==")) len -= 2;
  else if (text.ends_with("=")) len -= 1;
  out.resize(len);
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > max_id) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct CipherContext {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  CipherContext() {
    if (!ctx) throw StoreError("keys: cannot allocate a cipher context");
  }
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }
  CipherContext(const CipherContext&) = delete;
  CipherContext& operator=(const CipherContext&) = delete;
};

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Keyring Keyring::parse(std::string_view text, std::string_view where) {
  Keyring ring;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string at = std::string(where) + ", line " + std::to_string(line_no);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      throw StoreError("keys: " + at + ": expected ID:KEY (a name, a colon, 32 bytes in base64)");
    }
    const std::string_view id = line.substr(0, colon);
    if (!valid_id(id)) {
      throw StoreError("keys: " + at + ": a key's id is 1 to 32 letters, digits, '-' or '_'");
    }
    auto key = unbase64(line.substr(colon + 1));
    if (!key || key->size() != key_bytes) {
      throw StoreError("keys: " + at + ": the key after '" + std::string(id) + ":' must be 32 bytes in base64 (44 characters)");
    }
    for (const auto& [other, _] : ring.keys_) {
      if (other == id) throw StoreError("keys: " + at + ": the id '" + std::string(id) + "' is used twice");
    }
    ring.keys_.emplace_back(std::string(id), std::move(*key));
  }
  if (ring.keys_.empty()) throw StoreError("keys: " + std::string(where) + " holds no key");
  return ring;
}

std::string Keyring::generate(std::string_view id) {
  std::string key(key_bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    throw StoreError("keys: the random number generator failed");
  }
  return "# askonce keys: the first line seals, the others only open (docs/operations.md, \"Keys\").\n"
         "# Keep this file secret and backed up apart from the database: without it, drafts cannot be read.\n" +
         std::string(id) + ":" + base64(key) + "\n";
}

Keyring Keyring::from_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw StoreError("keys: cannot read " + path.string() + ": " + std::strerror(errno));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw StoreError("keys: " + path.string() + " can be read by others than its owner; run: chmod 600 " +
                     path.string());
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw StoreError("keys: cannot read " + path.string());
  return parse(text.str(), path.string());
}

bool Keyring::create_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw StoreError("keys: cannot create " + path.string() + ": " + std::strerror(errno));
  }
  const std::string text = generate("k1");
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      throw StoreError("keys: cannot write " + path.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  // On disk before anything is sealed with it: a crash must not leave data whose key is lost.
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(path.c_str());
    throw StoreError("keys: cannot write " + path.string() + " to disk");
  }
  return true;
}

std::string Keyring::seal(std::string_view plaintext, std::string_view associated) const {
  const auto& [id, key] = keys_.front();
  std::string blob(nonce_bytes + plaintext.size() + tag_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  if (RAND_bytes(out, static_cast<int>(nonce_bytes)) != 1) throw StoreError("keys: the random number generator failed");
  CipherContext c;
  int len = 0;
  bool ok = EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, bytes_of(key), out) == 1 &&
            EVP_EncryptUpdate(c.ctx, nullptr, &len, bytes_of(associated), static_cast<int>(associated.size())) == 1 &&
            EVP_EncryptUpdate(c.ctx, out + nonce_bytes, &len, bytes_of(plaintext), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(c.ctx, out + nonce_bytes + len, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes),
                                out + nonce_bytes + plaintext.size()) == 1;
  if (!ok) throw StoreError("keys: sealing failed");
  return id + ":" + base64(blob);
}

std::optional<std::string> Keyring::open(std::string_view sealed, std::string_view associated) const {
  const auto colon = sealed.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view id = sealed.substr(0, colon);
  const std::string* key = nullptr;
  for (const auto& [k, bytes] : keys_) {
    if (k == id) key = &bytes;
  }
  if (!key) return std::nullopt;
  auto blob = unbase64(sealed.substr(colon + 1));
  if (!blob || blob->size() < nonce_bytes + tag_bytes) return std::nullopt;
  const std::size_t n = blob->size() - nonce_bytes - tag_bytes;
  const auto* in = reinterpret_cast<const unsigned char*>(blob->data());
  std::string plain(n, '\0');
  std::string tag = blob->substr(nonce_bytes + n);
  CipherContext c;
  int len = 0;
  bool ok = EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, bytes_of(*key), in) == 1 &&
            EVP_DecryptUpdate(c.ctx, nullptr, &len, bytes_of(associated), static_cast<int>(associated.size())) == 1 &&
            EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(plain.data()), &len, in + nonce_bytes,
                              static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_bytes), tag.data()) == 1 &&
            EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  if (!ok) return std::nullopt;
  return plain;
}

std::vector<std::string> Keyring::derive(std::string_view label) const {
  std::vector<std::string> out;
  for (const auto& [id, key] : keys_) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(label.data()),
              label.size(), mac, &n)) {
      throw StoreError("keys: HMAC-SHA256 failed");
    }
    out.emplace_back(reinterpret_cast<const char*>(mac), n);
  }
  return out;
}

}  // namespace askonce::server
