// dsl/import/form_text.cpp: the importers' shared writing of .form texts (form_text.hpp).
#include "dsl/import/form_text.hpp"

#include <functional>
#include <set>
#include <string>

namespace askonce::dsl::import {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': break;
      default:
        if (c == 0) {
          out += "\\u{FFFD}";  // the language has no NUL; the replacement character says so
        } else if (c < 0x20 || c == 0x7F) {
          static const char* hex = "0123456789ABCDEF";
          out += "\\u{";
          out += hex[c >> 4];
          out += hex[c & 15];
          out += "}";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == 0x7F) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

bool is_reserved(std::string_view s) {
  static const std::set<std::string, std::less<>> words{"and", "or", "not", "in", "true", "false", "if", "as"};
  return words.count(s) != 0;
}

bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return !is_reserved(s);
}

std::string to_name(std::string_view s, std::string_view prefix) {
  std::string out;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = std::string(prefix) + out;
  if (is_reserved(out)) out += "_";
  return out;
}

std::string whole_match(const std::string& js) {
  // Is there a `|` at the top level (outside groups and classes)?
  bool top_alternation = false;
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < js.size(); ++i) {
    const char c = js[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '|' && depth == 0) top_alternation = true;
  }
  const bool starts = !js.empty() && js[0] == '^';
  bool ends = false;
  if (!js.empty() && js.back() == '$') {
    std::size_t backslashes = 0;
    for (std::size_t i = js.size() - 1; i > 0 && js[i - 1] == '\\'; --i) ++backslashes;
    ends = backslashes % 2 == 0;
  }
  if (top_alternation) return "[\\s\\S]*(?:" + js + ")[\\s\\S]*";
  std::string body = js.substr(starts ? 1 : 0, js.size() - (starts ? 1 : 0) - (ends ? 1 : 0));
  if (starts && ends) return body;
  if (starts) return body + "[\\s\\S]*";
  if (ends) return "[\\s\\S]*" + body;
  return "[\\s\\S]*(?:" + body + ")[\\s\\S]*";
}

}  // namespace askonce::dsl::import
