// server/delivery/envelope.cpp: a view's envelope as headers (envelope.hpp).
#include "server/delivery/envelope.hpp"

namespace askonce::server {

std::vector<std::pair<std::string, std::string>> envelope_headers(const AgencyItem& item) {
  return {{"Askonce-Reference", item.reference},
          {"Askonce-Form", item.form_id},
          {"Askonce-Form-Version", std::to_string(item.version)},
          {"Askonce-Definition-Hash", item.definition_hash},
          {"Askonce-Submission-Digest", item.digest},
          {"Askonce-Received", item.received},
          {"Askonce-Date-Received", item.date_received},
          {"Askonce-Channel", item.channel},
          {"Askonce-Language", item.language},
          {"Askonce-Agency", item.agency}};
}

}  // namespace askonce::server
