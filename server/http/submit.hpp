// server/http/submit.hpp: the one path a submission takes, from the web form and the JSON API alike.
//
// Check it (engine::validate), route it (one JSON and one XML view per agency whose `when`
// holds), store it with its outbox rows (and, with a mail relay and an address given, its
// receipt mail) in one durable transaction, wake the delivery and mail workers, count it. Nothing is stored when it is invalid. The handlers only turn the outcome into
// their answer (a page, or JSON).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/validate.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

class App;
struct CatalogForm;

struct SubmitInput {
  const CatalogForm* form = nullptr;
  std::string language;          // one of the form's; otherwise its primary language
  std::string channel = "api";   // one of server::channels: "web", "api", "phone", "in_person", "mail"
  /// Mail: the day the envelope arrived ("YYYY-MM-DD", checked by the page that asks for it);
  /// otherwise none, and the day received is today in the deployment's zone.
  std::optional<std::string> date_received;
  /// The definition to check it against: a mailed paper form is keyed against the one it was
  /// printed from (Catalog::plan_for_code), which may be older than the form served now. None:
  /// the form's current definition.
  std::shared_ptr<const engine::Plan> plan;
  /// The staff member keying it (phone, in person, mail); none for web and api.
  std::optional<std::int64_t> staff_id;
  /// Exactly one of: a JSON document (the API), or flat form fields (the web form, with the
  /// askonce: controls already removed).
  std::optional<std::string_view> json;
  const std::vector<std::pair<std::string, std::string>>* fields = nullptr;
  std::optional<IdempotencyKey> idempotency;
  /// The web journey: the id of the draft these answers come from, deleted in the same
  /// transaction that stores the submission (NewSubmission::consumes_draft).
  std::optional<std::string> consumes_draft;
};

struct SubmitOutcome {
  enum class Status : std::uint8_t { Stored, Replayed, Invalid, KeyConflict };
  Status status = Status::Invalid;
  engine::Result checked;                  // the engine's result (errors when Invalid)
  std::optional<StoredSubmission> stored;  // Stored, Replayed
  std::string receipt_secret;              // Stored, Replayed
};

/// Runs the path. Throws StoreError when the database fails (answer 503: nothing was stored).
SubmitOutcome submit(App& app, const SubmitInput& input);

/// The path of a single-use receipt link in a mail: "/r/{token}".
std::string receipt_link_path(const std::string& token);

/// The receipt's address: "/receipts/{reference}?key={secret}" (+ extension: ".pdf", ".txt").
std::string receipt_path(const std::string& reference, const std::string& secret, std::string_view extension = {});

}  // namespace askonce::server
