// server/http/draft_shim.hpp: TEMPORARY, until the lead's drafts land in server/store/store.hpp
// ("drafts:" commits on main). The same declarations as the store's, kept in memory by this
// process, so that the journey's handlers are written against the final interface. Deleted
// at the merge: the handlers then call App::store() directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {

class App;

struct Draft {
  std::string id;
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;
  std::vector<std::pair<std::string, std::string>> answers;
  TimePoint created, updated;
};

struct NewDraft {
  std::string form_id;
  std::int64_t version = 0;
  std::string definition_hash;
  std::string language;
  std::string channel;
  std::vector<std::pair<std::string, std::string>> answers;
};

namespace shim {
Draft create_draft(const NewDraft& draft, TimePoint now);
std::optional<Draft> find_draft(const std::string& id, TimePoint now);
bool update_draft(const std::string& id, const std::vector<std::pair<std::string, std::string>>& answers,
                  const std::string& language, TimePoint now);
bool delete_draft(const std::string& id);
/// Records what a submit that consumed `draft_id` answered, for replay().
void consumed(const std::string& draft_id, const std::string& scope, const SaveResult& saved);
std::optional<SaveResult> replay(const std::string& scope, const std::string& key);
}  // namespace shim

}  // namespace askonce::server
