// engine/views.hpp: what each agency receives of a submission, as JSON or XML.
//
// For each agency whose `when` holds on a checked, canonical submission, its view holds only
// the fields it lists under `receives`, under its own names, in that order (docs/agencies.md
// has the exact shapes):
//   JSON  {"form", "version", "definition_hash", "submission_digest", "received", "agency",
//          "data": {...}}: blocks and composites received whole are objects of their parts,
//          repeats arrays, yes/no booleans, numbers JSON numbers written from their exact
//          decimal text, dates "YYYY-MM-DD"; a name with '/' is a path of nested objects.
//   XML   written with libxml2's xmlTextWriter: the root element and namespaces the agency
//          declares (XmlSettings), its fixed attributes, element paths, repeated elements for
//          repeats and `choices`, yes/no as XmlSettings::yes / no. The metadata is a processing
//          instruction before the root element (<?askonce form="..." ...?>), which no schema
//          validation looks at, so the document is exactly what the agency's schema allows.
// Fields not shown and blank answers are left out, as in the canonical document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/answers.hpp"
#include "engine/evaluate.hpp"
#include "engine/plan.hpp"

namespace askonce::engine {

enum class ViewFormat : std::uint8_t { Json, Xml };

/// One agency's view of one submission.
struct AgencyView {
  std::string agency;  // the agency's name in the form
  ViewFormat format = ViewFormat::Json;
  std::string document;  // a JSON document, or an XML document with its declaration
};

/// The view of agency number `agency` (an index in Form::agencies) of `submission` (a
/// Submission that passed validate()), or nothing when the agency's `when` does not hold.
/// `context.today` is the day the submission was received (for `today()` in `when`).
std::optional<std::string> agency_view(const Plan& plan, const Submission& submission, std::size_t agency,
                                       ViewFormat format, const EvalContext& context);

/// The views of every agency whose `when` holds, in the form's agency order.
std::vector<AgencyView> route(const Plan& plan, const Submission& submission, ViewFormat format,
                              const EvalContext& context);

/// One agency's view in both formats.
struct AgencyViews {
  std::string agency;
  std::string json;
  std::string xml;
};

/// The views, as JSON and as XML, of every agency whose `when` holds, in the form's agency
/// order: what route() gives for each format, with each `when` evaluated once. The server
/// stores both, so that an agency can pull either.
std::vector<AgencyViews> route_both(const Plan& plan, const Submission& submission, const EvalContext& context);

}  // namespace askonce::engine
