// server/http/draft_shim.cpp: TEMPORARY in-memory drafts (draft_shim.hpp); gone at the merge.
#include "server/http/draft_shim.hpp"

#include <map>
#include <mutex>

#include "server/store/reference.hpp"

namespace askonce::server::shim {
namespace {

std::mutex mutex;
std::map<std::string, Draft> drafts;
std::map<std::pair<std::string, std::string>, SaveResult> replays;

}  // namespace

Draft create_draft(const NewDraft& d, TimePoint now) {
  Draft out{random_token(24), d.form_id, d.version, d.definition_hash, d.language, d.channel, d.answers, now, now};
  std::lock_guard lock(mutex);
  drafts[out.id] = out;
  return out;
}

std::optional<Draft> find_draft(const std::string& id, TimePoint) {
  std::lock_guard lock(mutex);
  auto it = drafts.find(id);
  if (it == drafts.end()) return std::nullopt;
  return it->second;
}

bool update_draft(const std::string& id, const std::vector<std::pair<std::string, std::string>>& answers,
                  const std::string& language, TimePoint now) {
  std::lock_guard lock(mutex);
  auto it = drafts.find(id);
  if (it == drafts.end()) return false;
  it->second.answers = answers;
  it->second.language = language;
  it->second.updated = now;
  return true;
}

bool delete_draft(const std::string& id) {
  std::lock_guard lock(mutex);
  return drafts.erase(id) > 0;
}

void consumed(const std::string& draft_id, const std::string& scope, const SaveResult& saved) {
  std::lock_guard lock(mutex);
  drafts.erase(draft_id);
  SaveResult r = saved;
  r.status = SaveResult::Status::Replayed;
  replays.emplace(std::make_pair(scope, draft_id), r);
}

std::optional<SaveResult> replay(const std::string& scope, const std::string& key) {
  std::lock_guard lock(mutex);
  auto it = replays.find({scope, key});
  if (it == replays.end()) return std::nullopt;
  return it->second;
}

}  // namespace askonce::server::shim
