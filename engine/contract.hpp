// engine/contract.hpp: what an agency can check its views against, generated from the model.
//
// For each agency, two contracts (docs/agencies.md, "Contracts"):
//   - a JSON Schema (draft 2020-12) for its JSON view, envelope included;
//   - an XSD for its XML view, one schema document per namespace the view uses (XSD 1.0 has
//     one target namespace per document): the first declares the root element and imports the
//     others by file name.
// Both say only what validation guarantees: a member is required only when every valid
// submission has it (`required` with no `show if` on the way, or a computed value that is
// never blank), and every length, pattern, option list and bound is one validation enforces,
// so every view of every valid submission passes its own contract.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/model.hpp"

namespace askonce::engine {

/// The JSON Schema (2020-12) of agency number `agency`'s JSON view, as an indented document.
std::string json_schema_contract(const model::Form& form, std::size_t agency);

/// One schema document of an XSD contract.
struct XsdDocument {
  std::string file;              // "grants_gov.xsd", "grants_gov-globLib.xsd": imports use these names
  std::string target_namespace;  // empty: no namespace
  std::string text;
};

struct XsdContract {
  /// [0] declares the root element; empty when there are errors.
  std::vector<XsdDocument> documents;
  /// R01xx: what the agency's element paths ask for that an XSD cannot say.
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return !documents.empty(); }
};

/// The XSD of agency number `agency`'s XML view.
XsdContract xsd_contract(const model::Form& form, std::size_t agency);

}  // namespace askonce::engine
