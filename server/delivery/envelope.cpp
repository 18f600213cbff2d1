// server/delivery/envelope.cpp: a view's envelope as headers (envelope.hpp).
#include "server/delivery/envelope.hpp"

namespace askonce::server {

std::vector<std::pair<std::string, std::string>> envelope_headers(const AgencyItem& item) {
  std::vector<std::pair<std::string, std::string>> out = {{"Askonce-Reference", item.reference},
          {"Askonce-Form", item.form_id},
          {"Askonce-Form-Version", std::to_string(item.version)},
          {"Askonce-Definition-Hash", item.definition_hash},
          {"Askonce-Submission-Digest", item.digest},
          {"Askonce-Received", item.received},
          {"Askonce-Date-Received", item.date_received},
          {"Askonce-Channel", item.channel},
          {"Askonce-Language", item.language},
          {"Askonce-Agency", item.agency},
          {"Askonce-View-Version", std::to_string(item.view_version)}};
  // An amendment: the version it replaces, and the paths of the view whose values changed
  // (JSON Pointers hold no comma or space, so ", " separates them).
  if (item.view_version > 1) {
    out.emplace_back("Askonce-Amends", std::to_string(item.view_version - 1));
    std::string changed;
    for (const auto& p : item.changed) changed += (changed.empty() ? "" : ", ") + p;
    out.emplace_back("Askonce-Changed", changed);
  }
  return out;
}

}  // namespace askonce::server
