// server/http/catalog.hpp: the forms a server serves, compiled once at start.
//
// Every `*.form` file directly in the forms folder that declares a form is compiled (blocks
// and lists in sub-folders are imports). Any error refuses the whole catalog, so a server
// never starts with half its forms; warnings are kept for the log.
//
// Each definition is archived in the store by its hash when the server starts. A submission
// names the definition it was checked against, so `plan_for` can rebuild an old definition
// from the archive after the form changed on disk, and its receipt still shows.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/plan.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

/// One served form.
struct CatalogForm {
  std::string id;
  std::string file;  // where it was read
  std::shared_ptr<const engine::Plan> plan;
  DefinitionRecord definition;  // the sources, for the archive
};

struct CatalogLoad;

class Catalog {
 public:
  /// Compiles the folder. Errors (and warnings) are formatted diagnostics, as `askonce check`
  /// prints them.
  static CatalogLoad load(const std::string& folder);

  /// Forms by id, in id order.
  const std::vector<CatalogForm>& forms() const { return forms_; }
  /// The form called `id`, or nullptr.
  const CatalogForm* find(std::string_view id) const;

  /// Stores every definition in the archive (idempotent).
  void archive(Store& store) const;

  /// The plan of definition `hash`: a served form's, or one rebuilt from the store's archive
  /// (kept once built). Nothing when the archive does not have it or it no longer compiles.
  std::shared_ptr<const engine::Plan> plan_for(const std::string& hash, Store& store) const;

  /// The plan a paper page was printed from, by the code on the page (engine/paper_code.hpp,
  /// "askonce:FORMID:VERSION:HASHPREFIX:PAGE"): the served form's when its definition is the
  /// one, else an archived definition of that form and version whose hash starts with the
  /// code's prefix (an older printing), rebuilt as plan_for does. Nothing when the text is not
  /// a page code, when no definition matches, or when more than one does (which 48 bits make
  /// as good as impossible, but a guess would key an application against the wrong form).
  /// The staff console opens the definition with this.
  std::shared_ptr<const engine::Plan> plan_for_code(std::string_view code_text, Store& store) const;

 private:
  struct Archived {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const engine::Plan>> plans;
  };
  std::vector<CatalogForm> forms_;
  std::unique_ptr<Archived> archived_ = std::make_unique<Archived>();
};

struct CatalogLoad {
  std::optional<Catalog> catalog;  // set when there were no errors
  std::string diagnostics;         // every diagnostic, formatted
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

/// Compiles an archived definition again (its sources only, nothing read from disk).
std::optional<engine::Plan> compile_archived(const DefinitionRecord& record);

}  // namespace askonce::server
