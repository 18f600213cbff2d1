// server/http/api_views.hpp: the agency API's documents: a page of an agency's views, as JSON or
// as XML, and the view metadata of one view as headers.
//
// The stored views are embedded as they are: a JSON view as a JSON value (never re-read as
// doubles, so numbers keep their exact decimal text), an XML view as its root element, read
// back with libxml2 and written again through engine::XmlWriter (libxml2's xmlTextWriter),
// so no text of a submission is ever pasted into markup.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {

/// The namespace of the agency API's own XML elements (the list's wrapper and its items).
inline constexpr std::string_view agency_api_namespace = "urn:askonce:agency-api:v1";

/// {"items": [{"reference", "form", "version", "definition_hash", "digest", "received",
/// "date_received", "channel", "language", "acknowledged", "view_version", ("amends",
/// "changed": an amendment's), "view": {...}}], "next_cursor"}, indented by two spaces, with a
/// final line break.
std::string agency_page_json(const AgencyPage& page);

/// <askonce:submissions xmlns:askonce="urn:askonce:agency-api:v1" next-cursor="...">, holding
/// one <askonce:submission reference="..." form="..." ... view-version="..." (amends="..."
/// changed="...": an amendment's)> per item with the view's root
/// element inside (none when the agency has no XML view). Nothing when a stored view cannot
/// be read back as XML.
std::optional<std::string> agency_page_xml(const AgencyPage& page);

}  // namespace askonce::server
