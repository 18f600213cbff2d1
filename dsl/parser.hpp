// dsl/parser.hpp: text of one .form file -> syntax tree (internal to dsl/).
//
// Recovers from syntax errors statement by statement, so one run reports them all.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/compiler.hpp"

namespace askonce::dsl {

/// Parses `text` (already checked to be within the size limit); `file` is the index that
/// every SourceRef will carry. Syntax problems are appended to `diagnostics`; the tree holds
/// every declaration that could be read.
ast::File parse(std::string_view text, std::uint32_t file, const Limits& limits,
                std::vector<Diagnostic>& diagnostics);

}  // namespace askonce::dsl
