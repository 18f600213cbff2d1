// dsl/compiler.hpp: the public face of the askonce language.
//
// Text in, a form model or diagnostics out. PEGTL stays behind parser.cpp; nothing here
// throws: every problem, including unreadable files and hostile input, is a diagnostic.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dsl/plain.hpp"
#include "engine/diagnostic.hpp"
#include "engine/model.hpp"

namespace askonce::dsl {

/// Reads a file for the compiler; returns nothing when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

/// Reads from disk.
std::optional<std::string> read_file_from_disk(const std::string& path);

struct Limits {
  std::size_t max_file_bytes = 8u << 20;  // one source file
  std::size_t max_files = 256;            // a form and all its imports
  std::size_t max_nesting = 32;           // braces, repeats in repeats, brackets
  std::size_t max_expression_depth = 48;  // parentheses, operators, calls
  std::size_t max_expression_operators = 256;  // operators in one expression, nested or not
  std::size_t max_diagnostics = 200;      // after this, one note says how many more
};

struct Options {
  FileReader read_file = read_file_from_disk;
  Limits limits;
  /// Check the wording of every text a citizen reads (W codes, dsl/plain.hpp) even when the
  /// form sets no `plain grade` (`askonce check --plain`); the target is then grade 8.
  bool plain = false;
};

/// What a compile produced. `form` is set only when there are no errors and the file
/// declares a form (a file of blocks and lists only compiles to no form).
struct CompileResult {
  std::optional<model::Form> form;
  std::vector<Diagnostic> diagnostics;  // in source order, errors and warnings
  std::vector<Source> sources;          // every file read; Diagnostic::where.file indexes it
  /// How the form reads, when its wording was checked (Options::plain, or `plain grade`) and
  /// it compiled without errors.
  std::optional<PlainSummary> plain = std::nullopt;
  bool has_errors() const;
};

/// Compiles the file at `path` and the files it imports.
CompileResult compile_file(const std::string& path, const Options& options = {});

/// Compiles `text` as if it were the file at `path`; imports are read with options.read_file.
CompileResult compile_text(const std::string& path, std::string text, const Options& options = {});

/// Every diagnostic, formatted, one after another.
std::string format_diagnostics(const CompileResult& result);

}  // namespace askonce::dsl
