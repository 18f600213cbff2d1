// renderers/wrap.hpp: the one line-wrapping engine of the text-like renderers (plain text,
// the phone script, PDF text lines), as cmark's render.c is for its text outputs.
//
// Widths are counted in Unicode code points, as the model counts lengths: a renderer for a
// terminal or a monospaced page gets the same breaks for "ñ" as for "n". Lines break at
// spaces only; a word longer than the width is cut at the width (on a code point boundary),
// never inside a UTF-8 sequence.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace askonce::renderers {

/// The number of code points in `utf8` (bytes that do not start a code point are not counted).
std::size_t display_width(std::string_view utf8);

/// Breaks `text` (one paragraph; runs of spaces and line breaks count as one space) into lines
/// of at most `width` code points. The first line starts with `first_indent`, the others with
/// `indent`; both count towards the width. A width smaller than the indent plus one is taken
/// as indent plus one. Returns no lines for a blank paragraph.
std::vector<std::string> wrap_lines(std::string_view text, std::size_t width, std::string_view first_indent = {},
                                    std::string_view indent = {});

/// The width of a run of text in some unit (points in a PDF font at a size).
using Measure = std::function<double(std::string_view)>;

/// wrap_lines with widths measured by `measure` (a proportional font) against `width` in the
/// same unit: the same breaks rule (spaces only; a word wider than the line is cut on a code
/// point boundary). The indents are measured too.
std::vector<std::string> wrap_lines(std::string_view text, double width, const Measure& measure,
                                    std::string_view first_indent = {}, std::string_view indent = {});

/// wrap_lines joined, each line ended by '\n'.
std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent = {},
                 std::string_view indent = {});

}  // namespace askonce::renderers
