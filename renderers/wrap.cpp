// renderers/wrap.cpp: the shared line-wrapping engine (greedy, code points, spaces only).
#include "renderers/wrap.hpp"

#include <algorithm>

#include "engine/utf8.hpp"

namespace askonce::renderers {

std::size_t display_width(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }


}  // namespace

namespace {

/// The one wrapping loop; `measure` gives a run's width, `width` the line's.
template <class W, class M>
std::vector<std::string> wrap_with(std::string_view text, W width, const M& measure, std::string_view first_indent,
                                   std::string_view indent, W unit) {
  std::vector<std::string> lines;
  std::string line(first_indent);
  W line_width = measure(first_indent);
  W lead = line_width;  // width of the indent the current line started with
  bool empty = true;    // no word on the current line yet
  const W space = measure(" ");
  // A line narrower than its indent still takes one unit of text (one code point).
  auto limit = [&](W indent_width) { return width > indent_width ? width : indent_width + unit; };
  auto new_line = [&] {
    lines.push_back(std::move(line));
    line.assign(indent);
    line_width = lead = measure(indent);
    empty = true;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    std::string_view word = text.substr(i, end - i);
    i = end;
    W w = measure(word);
    if (!empty && line_width + space + w > limit(lead)) new_line();
    if (!empty) {
      line += ' ';
      line_width += space;
    }
    // A word wider than the room on an empty line is cut where it fits (at least one code point).
    while (empty && line_width + w > limit(lead)) {
      std::size_t bytes = 0, fit = 0;
      while (bytes < word.size()) {
        std::size_t next = bytes;
        utf8::next(word, next);
        if (fit > 0 && line_width + measure(word.substr(0, next)) > limit(lead)) break;
        bytes = next;
        ++fit;
      }
      line.append(word.substr(0, bytes));
      line_width += measure(word.substr(0, bytes));
      word.remove_prefix(bytes);
      w = measure(word);
      empty = false;
      if (word.empty()) break;
      new_line();
    }
    if (!word.empty()) {
      line.append(word);
      line_width += w;
      empty = false;
    }
  }
  if (!empty) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

std::vector<std::string> wrap_lines(std::string_view text, std::size_t width, std::string_view first_indent,
                                    std::string_view indent) {
  return wrap_with<std::size_t>(text, width, display_width, first_indent, indent, 1);
}

std::vector<std::string> wrap_lines(std::string_view text, double width, const Measure& measure,
                                    std::string_view first_indent, std::string_view indent) {
  // The unit a too-narrow line still takes: the widest of a few common letters.
  const double unit = std::max(measure("M"), 1e-9);
  return wrap_with<double>(text, width, measure, first_indent, indent, unit);
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent, std::string_view indent) {
  std::string out;
  for (const auto& l : wrap_lines(text, width, first_indent, indent)) {
    out += l;
    out += '\n';
  }
  return out;
}

}  // namespace askonce::renderers
