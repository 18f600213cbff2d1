// dsl/compiler.cpp: reads a form and its imports, parses them, runs the semantic pass,
// and stamps the model with the hash of its whole definition.
#include "dsl/compiler.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

#include "dsl/parser.hpp"
#include "dsl/semantic.hpp"
#include "engine/normalize.hpp"

namespace askonce::dsl {
namespace fs = std::filesystem;

std::optional<std::string> read_file_from_disk(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

bool CompileResult::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

namespace {

/// The path of `path` relative to the directory of the form's own file.
std::string relative_to(const std::string& path, const std::string& main) {
  const auto base = fs::path(main).parent_path();
  auto rel = fs::path(path).lexically_relative(base.empty() ? fs::path(".") : base);
  if (rel.empty()) rel = fs::path(path).filename();
  return rel.generic_string();
}

class Loader {
 public:
  Loader(const Options& options, CompileResult& result) : options_(options), result_(result) {}

  /// Loads `path` (already read into `text`) and, depth first, everything it imports.
  void load(const std::string& path, std::string text) {
    const auto index = static_cast<std::uint32_t>(result_.sources.size());
    result_.sources.push_back({path, std::move(text)});
    hash_source(index);
    files_.emplace_back();
    index_of_[key(path)] = index;
    if (result_.sources[index].text.size() > options_.limits.max_file_bytes) {
      report(index, {}, "P0002",
             "this file is larger than the limit of " + std::to_string(options_.limits.max_file_bytes >> 20) +
                 " MiB");
      return;
    }
    files_[index] = parse(result_.sources[index].text, index, options_.limits, result_.diagnostics);

    stack_.push_back(index);
    // `extends "file.form"` reads its file as `use` does (its blocks and lists are the form's
    // too); the semantic pass then takes the fields of that file's form.
    auto imports = files_[index].imports;  // files_ grows below
    const std::size_t first_extends = imports.size();
    imports.insert(imports.end(), files_[index].extends.begin(), files_[index].extends.end());
    for (std::size_t i = 0; i < imports.size(); ++i) {
      const auto& import = imports[i];
      if (i == first_extends) {
        if (auto it = index_of_.find(key(resolve(path, import.path))); it != index_of_.end()) {
          files_[index].extends_file = it->second;
        }
      }
      const std::string target = resolve(path, import.path);
      if (auto it = index_of_.find(key(target)); it != index_of_.end()) {
        if (std::find(stack_.begin(), stack_.end(), it->second) != stack_.end()) {
          std::string chain;
          const auto from = std::find(stack_.begin(), stack_.end(), it->second);
          for (auto s = from; s != stack_.end(); ++s) chain += result_.sources[*s].path + " -> ";
          chain += result_.sources[it->second].path;
          report(index, import.where, "S0602", "circular import: " + chain,
                 "move what both files need into a third file that both import");
        }
        continue;
      }
      if (result_.sources.size() >= options_.limits.max_files) {
        report(index, import.where, "S0603",
               "too many files: a form may read at most " + std::to_string(options_.limits.max_files));
        continue;
      }
      auto content = options_.read_file(target);
      if (!content) {
        report(index, import.where, "S0601", "cannot find '" + import.path + "' (looked for " + target + ")",
               suggest_file(import.path, target));
        continue;
      }
      load(target, std::move(*content));
      if (i == first_extends) files_[index].extends_file = index_of_[key(target)];
    }
    stack_.pop_back();
  }

  std::vector<ast::File> take_files() { return std::move(files_); }

  /// The definition hash: SHA-256 over every source in load order, each as its path relative
  /// to the form's own file, its size and its bytes (length-prefixed, so that no two different
  /// definitions hash the same bytes). Each source is hashed as it is loaded, while its bytes
  /// are still in the cache: at the end, a large form's would be read back from memory.
  std::string definition_hash() { return hash_.finish(); }

 private:
  static std::string resolve(const std::string& from, const std::string& relative) {
    return (fs::path(from).parent_path() / relative).lexically_normal().generic_string();
  }
  /// "did you mean 'common/person.form'?" when a file of a close name is beside the target.
  static std::string suggest_file(const std::string& written, const std::string& target) {
    std::error_code ec;
    const auto dir = fs::path(target).parent_path();
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".form") names.push_back(it->path().filename().string());
      if (names.size() > 1000) break;
    }
    const auto best = closest_name(fs::path(written).filename().string(), names);
    if (best.empty()) return "imports are found relative to the importing file";
    return "did you mean '" + (fs::path(written).parent_path() / best).generic_string() + "'?";
  }
  static std::string key(const std::string& path) { return fs::path(path).lexically_normal().generic_string(); }

  void report(std::uint32_t file, model::SourceRef where, std::string code, std::string message,
              std::string hint = {}) {
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.hint = std::move(hint);
    d.where = where;
    d.where.file = file;
    result_.diagnostics.push_back(std::move(d));
  }

  void hash_source(std::uint32_t index) {
    const Source& source = result_.sources[index];
    const std::string size = std::to_string(source.text.size());
    hash_.update(relative_to(source.path, result_.sources.front().path));
    hash_.update(std::string_view("\0", 1));
    hash_.update(size);
    hash_.update(std::string_view("\0", 1));
    hash_.update(source.text);
  }

  const Options& options_;
  CompileResult& result_;
  engine::Sha256 hash_;
  std::vector<ast::File> files_;
  std::map<std::string, std::uint32_t> index_of_;
  std::vector<std::uint32_t> stack_;
};

void finish(CompileResult& result, std::vector<ast::File> files, std::string hash, const Options& options) {
  std::vector<ReadText> read_texts;
  auto form = analyze(std::move(files), result.sources, options.limits, result.diagnostics, &read_texts, options.plain);
  // The wording is checked once the form means something: a form with errors is fixed first.
  if (form && (options.plain || form->plain_grade > 0) &&
      std::none_of(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& d) { return d.severity == Severity::Error; })) {
    const bool set = form->plain_grade > 0;
    result.plain = check_plain(read_texts, form->languages, set ? form->plain_grade : default_plain_grade, set,
                               result.diagnostics);
  }
  auto& ds = result.diagnostics;
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
  ds.erase(std::unique(ds.begin(), ds.end(),
                       [](const Diagnostic& a, const Diagnostic& b) {
                         return a.code == b.code && a.message == b.message && a.where.file == b.where.file &&
                                a.where.line == b.where.line && a.where.column == b.where.column;
                       }),
           ds.end());
  if (ds.size() > options.limits.max_diagnostics) {
    ds.resize(options.limits.max_diagnostics);
    Diagnostic d;
    d.code = "P0005";
    d.message = "too many problems; stopped after " + std::to_string(options.limits.max_diagnostics);
    d.where = ds.back().where;
    ds.push_back(std::move(d));
  }
  if (!form || result.has_errors()) return;
  std::vector<std::string> names;
  for (const auto& s : result.sources) names.push_back(relative_to(s.path, result.sources.front().path));
  form->sources = names;
  form->definition_hash = std::move(hash);
  result.form = std::move(form);
}

}  // namespace

CompileResult compile_text(const std::string& path, std::string text, const Options& options) {
  CompileResult result;
  try {
    Loader loader(options, result);
    loader.load(path, std::move(text));
    finish(result, loader.take_files(), loader.definition_hash(), options);
  } catch (const std::exception& e) {
    // A bug, not the designer's mistake; still never a crash.
    result.form.reset();
    Diagnostic d;
    d.code = "P0000";
    d.message = std::string("internal compiler error: ") + e.what();
    d.hint = "please report this with the file that caused it";
    result.diagnostics.push_back(std::move(d));
  }
  return result;
}

CompileResult compile_file(const std::string& path, const Options& options) {
  auto text = options.read_file(path);
  if (!text) {
    CompileResult result;
    result.sources.push_back({path, ""});
    Diagnostic d;
    d.code = "P0001";
    d.message = "cannot read '" + path + "'";
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  return compile_text(path, std::move(*text), options);
}

std::string format_diagnostics(const CompileResult& result) {
  std::string out;
  for (const auto& d : result.diagnostics) out += format_diagnostic(d, result.sources);
  return out;
}

}  // namespace askonce::dsl
