// engine/normalize.cpp: canonical answers (utf8proc for NFC) and the canonical JSON document.
#include "engine/normalize.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "engine/answers.hpp"
#include "engine/plan.hpp"
#include "engine/plan_internal.hpp"

namespace askonce::engine {
namespace {

/// Decodes one UTF-8 code point at s[i]; returns its length, or 0 when the bytes are not UTF-8
/// (overlong forms, surrogates and values past U+10FFFF included).
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t n;
  char32_t min;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_white_space(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Keeps the digits of `text` when every other character is one of `separators`.
std::optional<std::string> digits_only(std::string_view text, std::string_view separators) {
  std::string d;
  d.reserve(text.size());
  for (char c : text) {
    if (is_digit(c)) d += c;
    else if (separators.find(c) == std::string_view::npos) return std::nullopt;
  }
  return d;
}

/// A DNS host name: labels of letters, digits and hyphens, not starting or ending with a
/// hyphen, at least two labels, the last not all digits.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t labels = 0, start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      bool all_digits = true;
      for (char c : label) all_digits = all_digits && is_digit(c);
      return labels >= 2 && !all_digits;
    }
    start = dot + 1;
  }
}

bool is_ipv4(std::string_view host) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t j = i;
    int v = 0;
    while (j < host.size() && is_digit(host[j]) && j - i < 3) v = v * 10 + (host[j++] - '0');
    if (j == i || v > 255 || (j - i > 1 && host[i] == '0')) return false;
    ++parts;
    if (j == host.size()) return parts == 4;
    if (host[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  // Bytes that need an escape: control characters, '"' and '\\'.
  static constexpr auto escaped = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    t['"'] = t['\\'] = true;
    return t;
  }();
  std::size_t run = 0;  // start of the bytes not yet copied: copied in one go, not byte by byte
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!escaped[c]) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

class Writer {
 public:
  Writer(const Plan& plan, std::string& out) : d_(plan.data()), out_(out) {}

  void members(const std::vector<model::FieldId>& fields, const Entry* const* chain, std::size_t depth) {
    bool first = true;
    for (model::FieldId f : fields) {
      const detail::FieldPlan& p = d_.fields[f];
      if (p.kind == model::Kind::Note || p.depth > depth) continue;
      const Answer& a = chain[p.depth]->answers[p.slot];
      if (!a.shown) continue;
      const std::size_t mark = out_.size();
      if (!first) out_ += ',';
      out_ += p.json_key;
      bool wrote = true;
      if (p.holds_value) {
        wrote = value(p, a.value);
      } else if (p.kind == model::Kind::Repeat) {
        wrote = !a.entries.empty();
        out_ += '[';
        const Entry* inner[64];
        const std::size_t n = std::min<std::size_t>(depth + 1, 63);
        for (std::size_t i = 0; i < n; ++i) inner[i] = chain[i];
        for (std::size_t i = 0; i < a.entries.size(); ++i) {
          if (i > 0) out_ += ',';
          inner[p.depth + 1] = &a.entries[i];
          out_ += '{';
          members(p.field->children, inner, p.depth + 1);
          out_ += '}';
        }
        out_ += ']';
      } else {
        out_ += '{';
        const std::size_t before = out_.size();
        members(p.field->children, chain, depth);
        wrote = out_.size() != before;
        out_ += '}';
      }
      if (wrote) {
        first = false;
      } else {
        out_.resize(mark);
      }
    }
  }

 private:
  bool value(const detail::FieldPlan& p, const Value& v) {
    switch (v.type) {
      case ValueType::Blank: return false;
      case ValueType::Bool: out_ += v.boolean ? "true" : "false"; return true;
      case ValueType::Number:
        out_ += '"';
        out_ += p.kind == model::Kind::Money ? v.number.to_fixed(2) : v.number.to_string();
        out_ += '"';
        return true;
      case ValueType::Text: append_json_string(out_, v.text); return true;
      case ValueType::Json: out_ += v.text; return true;  // a member: canonical JSON already
      case ValueType::Date: out_ += '"'; out_ += to_iso(v.date); out_ += '"'; return true;
      case ValueType::Set:
        out_ += '[';
        for (std::size_t i = 0; i < v.items.size(); ++i) {
          if (i > 0) out_ += ',';
          append_json_string(out_, v.items[i]);
        }
        out_ += ']';
        return true;
    }
    return false;
  }

  const detail::PlanData& d_;
  std::string& out_;
};

}  // namespace

TextProblem canonical_text(std::string& text, bool multiline) {
  // The common case: printable ASCII without a space at either end is already canonical (no
  // control character, no line break, nothing to trim, nothing NFC changes).
  if (!text.empty() && text.front() != ' ' && text.back() != ' ') {
    bool printable_ascii = true;
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      printable_ascii &= c >= 0x20 && c < 0x7F;
    }
    if (printable_ascii) return TextProblem::None;
  }
  bool ascii = true;
  std::size_t first = std::string::npos, last_end = 0;  // the span without white space at the ends
  bool line_break_inside = false, crlf = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const std::size_t n = decode(text, i, cp);
    if (n == 0) return TextProblem::NotText;
    if (n > 1) ascii = false;
    const bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F && cp != 0x85);
    // U+FFFE and U+FFFF are not characters: XML 1.0 cannot carry them, so an agency's XML view
    // of an accepted text would not be well-formed.
    if (control || cp == 0xFFFE || cp == 0xFFFF) return TextProblem::NotText;
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return TextProblem::Bidi;
    if (!is_white_space(cp)) {
      if (first == std::string::npos) first = i;
      last_end = i + n;
    }
    if (cp == '\r') crlf = true;
    i += n;
  }
  if (first == std::string::npos) {
    text.clear();
    return TextProblem::None;
  }
  if (first > 0 || last_end < text.size()) text = text.substr(first, last_end - first);
  for (char c : text) {
    if (c == '\n' || c == '\r') line_break_inside = true;
  }
  if (line_break_inside && !multiline) return TextProblem::LineBreak;
  if (multiline && crlf) {
    std::string t;
    t.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\r') {
        t += '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else {
        t += text[i];
      }
    }
    text = std::move(t);
  }
  if (!ascii) {
    utf8proc_uint8_t* nfc = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
    if (nfc == nullptr) return TextProblem::NotText;
    text.assign(reinterpret_cast<const char*>(nfc));
    std::free(nfc);
  }
  return TextProblem::None;
}

std::optional<std::string> canonical_email(std::string_view t) {
  if (t.size() > 254) return std::nullopt;
  const std::size_t at = t.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return std::nullopt;
  const std::string_view local = t.substr(0, at), domain = t.substr(at + 1);
  static constexpr std::string_view atext = "!#$%&'*+/=?^_`{|}~-";
  if (local.front() == '.' || local.back() == '.') return std::nullopt;
  for (std::size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (local[i + 1] == '.') return std::nullopt;
    } else if (!is_alnum(c) && atext.find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  if (!is_host_name(domain)) return std::nullopt;
  std::string out(local);
  out += '@';
  for (char c : domain) out += lower(c);
  return out;
}

std::optional<std::string> canonical_phone(std::string_view t) {
  const bool plus = !t.empty() && t.front() == '+';
  auto d = digits_only(plus ? t.substr(1) : t, " -.()");
  if (!d) return std::nullopt;
  std::string& digits = *d;
  const auto nanp = [](std::string_view ten) {
    return ten.size() == 10 && ten[0] >= '2' && ten[3] >= '2';
  };
  if (plus) {
    if (digits.empty() || digits[0] == '0') return std::nullopt;
    if (digits[0] == '1') {
      if (digits.size() != 11 || !nanp(std::string_view(digits).substr(1))) return std::nullopt;
    } else if (digits.size() < 7 || digits.size() > 15) {
      return std::nullopt;
    }
    return "+" + digits;
  }
  if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  if (!nanp(digits)) return std::nullopt;
  return "+1" + digits;
}

std::optional<std::string> canonical_ssn(std::string_view t) {
  auto d = digits_only(t, " -");
  if (!d || d->size() != 9) return std::nullopt;
  const std::string_view s = *d;
  const std::string_view area = s.substr(0, 3), group = s.substr(3, 2), serial = s.substr(5);
  if (area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000") return std::nullopt;
  return d;
}

std::optional<std::string> canonical_ein(std::string_view t) {
  auto d = digits_only(t, " -");
  if (!d || d->size() != 9) return std::nullopt;
  // Prefixes the IRS has never assigned (its list of campus prefixes leaves these out).
  static constexpr std::string_view unused[] = {"00", "07", "08", "09", "17", "18", "19", "28", "29",
                                                "49", "69", "70", "78", "79", "89", "96", "97"};
  const std::string_view prefix = std::string_view(*d).substr(0, 2);
  for (auto u : unused) {
    if (prefix == u) return std::nullopt;
  }
  return d;
}

std::optional<std::string> canonical_zip(std::string_view t) {
  if (t.size() == 10 && (t[5] == '-' || t[5] == ' ')) {
    std::string s(t.substr(0, 5));
    s += t.substr(6);
    auto d = digits_only(s, "");
    if (d && d->size() == 9) return d;
    return std::nullopt;
  }
  auto d = digits_only(t, "");
  if (!d || (d->size() != 5 && d->size() != 9)) return std::nullopt;
  return d;
}

std::optional<std::string> canonical_url(std::string_view t) {
  const std::size_t colon = t.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  std::string scheme;
  for (char c : t.substr(0, colon)) scheme += lower(c);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  for (char c : t) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}') {
      return std::nullopt;
    }
  }
  const std::size_t start = colon + 3;
  std::size_t end = t.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = t.size();
  std::string_view authority = t.substr(start, end - start);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    for (char c : authority.substr(1, close - 1)) {
      if (!is_digit(c) && !(lower(c) >= 'a' && lower(c) <= 'f') && c != ':' && c != '.') return std::nullopt;
    }
    host = authority.substr(0, close + 1);
    port = authority.substr(close + 1);
    if (!port.empty() && port.front() != ':') return std::nullopt;
  } else if (const auto c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c);
  }
  if (!port.empty()) {
    port.remove_prefix(1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    int v = 0;
    for (char c : port) {
      if (!is_digit(c)) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    if (v > 65535) return std::nullopt;
  }
  if (host.empty() || (host.front() != '[' && !is_ipv4(host) && !is_host_name(host))) return std::nullopt;
  std::string out = scheme + "://";
  const std::size_t host_at = static_cast<std::size_t>(host.data() - t.data());
  out += t.substr(start, host_at - start);
  for (char c : host) out += lower(c);
  out += t.substr(host_at + host.size());
  return out;
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

namespace {

std::string sha256_hex(const unsigned char (&digest)[SHA256_DIGEST_LENGTH]) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  out.reserve(7 + 2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 0xF];
  }
  return out;
}

}  // namespace

namespace {

/// OpenSSL's SHA-256, fetched from its provider once for the process. OpenSSL 3's one-shot
/// SHA256() (and EVP_sha256() in EVP_DigestInit_ex) looks the algorithm up again on every call, a
/// lock and a table search that cost more than hashing a small submission's document.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is unavailable");
  return md;
}

}  // namespace

std::string sha256(std::string_view bytes) {
  // One context per thread, started again for each document rather than made and freed.
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (!context || EVP_DigestInit_ex2(context.get(), sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return sha256_hex(digest);
}

struct Sha256::Context {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  void start() {
    if (!md || EVP_DigestInit_ex2(md.get(), sha256_md(), nullptr) != 1) throw std::runtime_error("SHA-256 is unavailable");
  }
};

Sha256::Sha256() : context_(std::make_unique<Context>()) { context_->start(); }
Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(context_->md.get(), bytes.data(), bytes.size()) != 1) throw std::runtime_error("SHA-256 failed");
}

std::string Sha256::finish() {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (EVP_DigestFinal_ex(context_->md.get(), digest, nullptr) != 1) throw std::runtime_error("SHA-256 failed");
  context_->start();
  return sha256_hex(digest);
}

void write_canonical(const Plan& plan, Submission& s) {
  std::string out;
  out.reserve(4096);
  out += "{\"askonce_submission\":1,\"form\":";
  append_json_string(out, s.form_id);
  out += ",\"version\":";
  out += std::to_string(s.version);
  out += ",\"definition_hash\":";
  append_json_string(out, s.definition_hash);
  out += ",\"language\":";
  append_json_string(out, s.language);
  out += ",\"channel\":";
  append_json_string(out, s.channel);
  out += ",\"received\":";
  append_json_string(out, s.received);
  out += ",\"answers\":{";
  std::vector<model::FieldId> top;
  for (model::FieldId f : plan.entry_fields(model::no_field)) {
    if (plan.form().fields[f].parent == model::no_field) top.push_back(f);
  }
  const Entry* chain[1] = {&s.answers};
  Writer(plan, out).members(top, chain, 0);
  out += '}';
  // The digest covers the document without its final member: what is written so far, then "}".
  out += '}';
  s.digest = sha256(out);
  out.pop_back();
  out += ",\"digest\":";
  append_json_string(out, s.digest);
  out += '}';
  s.canonical_json = std::move(out);
}

bool digest_matches(std::string_view document) {
  static constexpr std::string_view key = ",\"digest\":\"";
  const std::size_t at = document.rfind(key);
  if (at == std::string_view::npos || !document.ends_with("\"}")) return false;
  const std::string_view claimed = document.substr(at + key.size(), document.size() - 2 - at - key.size());
  std::string body(document.substr(0, at));
  body += '}';
  return sha256(body) == claimed;
}

}  // namespace askonce::engine
