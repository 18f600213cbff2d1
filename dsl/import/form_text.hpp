// dsl/import/form_text.hpp: what every importer writes the same way into a .form text: string
// literals, names, one-line texts, and a source format's regular expression as the language's
// whole-value `pattern`. One copy, so that the JSON Schema and XForms importers never drift.
#pragma once

#include <string>
#include <string_view>

namespace askonce::dsl::import {

/// A .form string literal: one line, quotes and backslashes escaped, control characters as
/// \u{..} (NUL, which the language has not, as U+FFFD).
std::string quote(std::string_view s);

/// Text squeezed onto one line: runs of white space and control characters become one space.
std::string one_line(std::string_view s);

/// A reserved word of the language's expressions ("and", "or", "not", "in", "true", ...).
bool is_reserved(std::string_view s);

/// A name the language takes: letters, digits and `_`, not starting with a digit, at most 200
/// bytes, not reserved.
bool is_name(std::string_view s);

/// A name made from any text: other characters become `_`; one that would start with a digit
/// (or be empty) gets `prefix` in front; a reserved word gets `_` after it.
std::string to_name(std::string_view s, std::string_view prefix);

/// A regular expression used as a search (JavaScript's test(), Java's find()) written as the
/// whole-value match the language's `pattern` is: anchors at both ends are dropped when nothing
/// sits beside them at the top level; a missing anchor becomes "anything" on that side.
std::string whole_match(const std::string& search);

}  // namespace askonce::dsl::import
