// engine/diagnostic.hpp: a positioned message about a form or a submission.
//
// Every stage reports problems the same way: a stable code (documented in
// docs/diagnostics.md, never reused), a message worded for the person who must act on it,
// the place it points at, and an optional hint.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace askonce {

enum class Severity : std::uint8_t { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     // "P0101", "S0104", ...
  std::string message;
  model::SourceRef where;
  std::string hint;     // "did you mean 'return_date'?"; empty when none helps
};

/// A source file as it was read.
struct Source {
  std::string path;
  std::string text;
};

/// `file:line:col: severity[CODE]: message`, then the source line, a caret under the span,
/// and the hint. `sources` is indexed by Diagnostic::where.file.
std::string format_diagnostic(const Diagnostic& d, const std::vector<Source>& sources);

/// Closest candidate to `word` by edit distance, or empty when nothing is close enough
/// to be a likely typo.
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace askonce
