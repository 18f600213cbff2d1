// engine/diagnostic.cpp: how a diagnostic is shown to the person who must act on it.
#include "engine/diagnostic.hpp"

#include "engine/utf8.hpp"

#include <algorithm>
#include <cstdint>

namespace askonce {
namespace {

std::string_view line_of(std::string_view text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t n = 1; n < line; ++n) {
    const auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  auto end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  return text.substr(start, end - start);
}

// The source line as printable code points: control characters (which a terminal would
// act on) become spaces, tabs stay tabs so that the caret line can copy them.
std::vector<char32_t> printable(std::string_view line) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < line.size();) {
    char32_t c = utf8::next(line, i);
    if (c != '\t' && (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))) c = ' ';
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d, const std::vector<Source>& sources) {
  std::string out;
  const Source* src = d.where.file < sources.size() ? &sources[d.where.file] : nullptr;
  if (src) out += src->path + ":";
  if (d.where.line > 0) {
    out += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ":";
  }
  if (!out.empty()) out += ' ';
  out += d.severity == Severity::Error ? "error[" : "warning[";
  out += d.code + "]: " + d.message + "\n";

  if (src && d.where.line > 0) {
    auto cps = printable(line_of(src->text, d.where.line));
    std::size_t col = d.where.column > 0 ? d.where.column - 1 : 0;
    std::size_t len = std::max<std::size_t>(1, d.where.length);
    // Show a window of a very long line (minified or generated input) around the span.
    constexpr std::size_t before = 60, width = 160;
    std::size_t first = 0;
    std::string lead;
    if (cps.size() > width && col > before) {
      first = col - before;
      lead = "…";
    }
    std::size_t last = std::min(cps.size(), first + width);
    const std::string number = std::to_string(d.where.line);
    const std::string gutter(std::max<std::size_t>(number.size(), 5), ' ');
    out += std::string(gutter.size() - number.size(), ' ') + number + " | " + lead;
    for (std::size_t k = first; k < last; ++k) utf8::append(out, cps[k]);
    if (last < cps.size()) out += "…";
    out += "\n" + gutter + " | " + std::string(lead.empty() ? 0 : 1, ' ');
    for (std::size_t k = first; k < col && k < cps.size(); ++k) out += cps[k] == '\t' ? '\t' : ' ';
    if (col >= cps.size() + 1) out += std::string(col - std::max(cps.size(), first), ' ');
    out += '^';
    std::size_t tildes = std::min(len, width) - 1;
    out += std::string(tildes, '~');
    out += '\n';
    if (!d.hint.empty()) out += gutter + " = " + d.hint + "\n";
  } else if (!d.hint.empty()) {
    out += "     = " + d.hint + "\n";
  }
  return out;
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return {};
  // At most one edit in three characters (and at most three): closer than that is a typo,
  // further is another word.
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  // Damerau-Levenshtein (optimal string alignment) on bytes (names are ASCII), with three
  // reused rows, skipping candidates whose length alone puts them out of reach, and giving
  // up on a candidate as soon as a whole row is past the best so far.
  std::size_t rows[3][66];
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    const std::string_view b = c;
    if (b.size() > 64 || b == word) continue;
    const std::size_t gap = b.size() > word.size() ? b.size() - word.size() : word.size() - b.size();
    if (gap >= best_d) continue;
    std::size_t* prev2 = rows[0];
    std::size_t* prev = rows[1];
    std::size_t* cur = rows[2];
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    bool hopeless = false;
    for (std::size_t i = 1; i <= word.size() && !hopeless; ++i) {
      cur[0] = i;
      std::size_t row_min = cur[0];
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cost = word[i - 1] == b[j - 1] ? 0 : 1;
        std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && word[i - 1] == b[j - 2] && word[i - 2] == b[j - 1]) d = std::min(d, prev2[j - 2] + 1);
        cur[j] = d;
        row_min = std::min(row_min, d);
      }
      hopeless = row_min >= best_d;
      std::size_t* t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    if (hopeless) continue;
    const std::size_t dist = prev[b.size()];
    if (dist < best_d) {
      best_d = dist;
      best = c;
    }
  }
  return best;
}

}  // namespace askonce
