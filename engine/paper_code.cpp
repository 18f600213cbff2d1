// engine/paper_code.cpp: the paper form's page code (paper_code.hpp), written and read.
#include "engine/paper_code.hpp"

#include <charconv>
#include <vector>

#include "engine/model.hpp"

namespace askonce::engine {
namespace {

constexpr std::string_view scheme = "askonce:";
constexpr std::string_view hash_scheme = "sha256:";

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// A whole number from 1, in at most `digits` digits, no sign, no leading zero.
template <typename T>
std::optional<T> positive(std::string_view s, std::size_t digits) {
  if (s.empty() || s.size() > digits || s[0] == '0') return std::nullopt;
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || value < 1) return std::nullopt;
  return value;
}

/// A form's id as the language writes names: a letter or '_', then letters, digits or '_'.
bool identifier(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

PaperCode paper_code(const model::Form& form, std::uint32_t page) {
  PaperCode code;
  code.form_id = form.id;
  code.version = form.version;
  std::string_view hex = form.definition_hash;
  if (hex.starts_with(hash_scheme)) hex.remove_prefix(hash_scheme.size());
  code.hash_prefix = std::string(hex.substr(0, paper_hash_prefix_length));
  code.page = page;
  return code;
}

std::string format_paper_code(const PaperCode& code) {
  return std::string(scheme) + code.form_id + ":" + std::to_string(code.version) + ":" + code.hash_prefix + ":" +
         std::to_string(code.page);
}

std::optional<PaperCode> parse_paper_code(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.size() > 200 || !text.starts_with(scheme)) return std::nullopt;
  text.remove_prefix(scheme.size());
  std::vector<std::string_view> parts;
  for (;;) {
    const auto colon = text.find(':');
    parts.push_back(text.substr(0, colon));
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  if (parts.size() != 4 || !identifier(parts[0])) return std::nullopt;
  const auto version = positive<std::int64_t>(parts[1], 18);
  const auto page = positive<std::uint32_t>(parts[3], 6);
  if (!version || !page || parts[2].size() != paper_hash_prefix_length) return std::nullopt;
  PaperCode code;
  for (const char c : parts[2]) {
    if (!is_hex(c)) return std::nullopt;
    code.hash_prefix += static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
  }
  code.form_id = std::string(parts[0]);
  code.version = *version;
  code.page = *page;
  return code;
}

bool hash_has_prefix(std::string_view definition_hash, std::string_view prefix) {
  if (!definition_hash.starts_with(hash_scheme) || prefix.empty()) return false;
  definition_hash.remove_prefix(hash_scheme.size());
  return definition_hash.starts_with(prefix);
}

}  // namespace askonce::engine
