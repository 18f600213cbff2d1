// server/http/catalog.cpp: compiling the forms folder, and old definitions from the archive.
#include "server/http/catalog.hpp"

#include <algorithm>
#include <filesystem>

#include "dsl/compiler.hpp"
#include "engine/paper_code.hpp"

namespace askonce::server {
namespace fs = std::filesystem;

CatalogLoad Catalog::load(const std::string& folder) {
  CatalogLoad out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    out.diagnostics = folder + ": error: the forms folder does not exist\n";
    out.errors = 1;
    return out;
  }
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".form") files.push_back(e.path().generic_string());
  }
  std::sort(files.begin(), files.end());

  Catalog catalog;
  for (const auto& file : files) {
    auto r = dsl::compile_file(file);
    out.diagnostics += dsl::format_diagnostics(r);
    for (const auto& d : r.diagnostics) (d.severity == Severity::Error ? out.errors : out.warnings)++;
    if (r.has_errors() || !r.form) continue;
    if (const auto* other = catalog.find(r.form->id)) {
      out.diagnostics += file + ": error: form id '" + r.form->id + "' is already served from " + other->file + "\n";
      ++out.errors;
      continue;
    }
    CatalogForm f;
    f.id = r.form->id;
    f.file = file;
    f.definition.hash = r.form->definition_hash;
    f.definition.form_id = r.form->id;
    f.definition.version = r.form->version;
    for (std::size_t i = 0; i < r.sources.size(); ++i) {
      f.definition.sources.emplace_back(r.form->sources[i], r.sources[i].text);
    }
    engine::Plan plan(std::move(*r.form));
    for (const auto& d : plan.diagnostics()) {
      out.diagnostics += dsl::format_diagnostics({std::nullopt, {d}, r.sources});
      ++out.warnings;
    }
    f.plan = std::make_shared<const engine::Plan>(std::move(plan));
    catalog.forms_.push_back(std::move(f));
  }
  if (catalog.forms_.empty() && out.errors == 0) {
    out.diagnostics += folder + ": error: no form to serve (no .form file here declares a form)\n";
    ++out.errors;
  }
  std::sort(catalog.forms_.begin(), catalog.forms_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  if (out.errors == 0) out.catalog = std::move(catalog);
  return out;
}

const CatalogForm* Catalog::find(std::string_view id) const {
  for (const auto& f : forms_) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

void Catalog::archive(Store& store) const {
  for (const auto& f : forms_) store.archive_definition(f.definition);
}

std::optional<engine::Plan> compile_archived(const DefinitionRecord& record) {
  if (record.sources.empty()) return std::nullopt;
  auto normal = [](const std::string& p) { return fs::path(p).lexically_normal().generic_string(); };
  dsl::Options options;
  options.read_file = [&](const std::string& path) -> std::optional<std::string> {
    const auto want = normal(path);
    for (const auto& [name, text] : record.sources) {
      if (normal(name) == want) return text;
    }
    return std::nullopt;
  };
  auto r = dsl::compile_text(record.sources.front().first, record.sources.front().second, options);
  if (r.has_errors() || !r.form || r.form->definition_hash != record.hash) return std::nullopt;
  return engine::Plan(std::move(*r.form));
}

std::shared_ptr<const engine::Plan> Catalog::plan_for_code(std::string_view code_text, Store& store) const {
  const auto code = engine::parse_paper_code(code_text);
  if (!code) return nullptr;
  for (const auto& f : forms_) {
    if (f.id == code->form_id && f.definition.version == code->version &&
        engine::hash_has_prefix(f.definition.hash, code->hash_prefix)) {
      return f.plan;
    }
  }
  std::vector<std::string> matches;
  for (auto& hash : store.definition_hashes(code->form_id, code->version)) {
    if (engine::hash_has_prefix(hash, code->hash_prefix)) matches.push_back(std::move(hash));
  }
  if (matches.size() != 1) return nullptr;
  return plan_for(matches.front(), store);
}

std::shared_ptr<const engine::Plan> Catalog::plan_for(const std::string& hash, Store& store) const {
  for (const auto& f : forms_) {
    if (f.definition.hash == hash) return f.plan;
  }
  std::lock_guard lock(archived_->mutex);
  if (auto it = archived_->plans.find(hash); it != archived_->plans.end()) return it->second;
  auto record = store.find_definition(hash);
  if (!record) return nullptr;
  auto plan = compile_archived(*record);
  if (!plan) return nullptr;
  auto shared = std::make_shared<const engine::Plan>(std::move(*plan));
  archived_->plans.emplace(hash, shared);
  return shared;
}

}  // namespace askonce::server
