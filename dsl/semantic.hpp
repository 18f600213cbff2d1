// dsl/semantic.hpp: syntax trees -> form model (internal to dsl/).
//
// Resolves names, expands blocks and composites, types every expression, numbers the
// questions and checks every rule of the language that is not syntax.
#pragma once

#include <optional>
#include <vector>

#include "dsl/ast.hpp"
#include "dsl/compiler.hpp"
#include "dsl/plain.hpp"

namespace askonce::dsl {

/// `files[i]` is the tree of `sources[i]`; files[0] is the file being compiled and the rest are
/// everything it imports. The trees are used up: the expressions of the form's own items move
/// into the model. Returns the form when files[0] declares one and no error was found;
/// `sources`, `definition_hash` are left for the caller to fill. Problems are appended to
/// `diagnostics`. With `read_texts`, every string of a text a citizen reads is appended to it
/// (once, however often its block is used) when `plain` is set or the form sets `plain grade`.
std::optional<model::Form> analyze(std::vector<ast::File> files, const std::vector<Source>& sources,
                                   const Limits& limits, std::vector<Diagnostic>& diagnostics,
                                   std::vector<ReadText>* read_texts = nullptr, bool plain = false);

}  // namespace askonce::dsl
