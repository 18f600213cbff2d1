// server/delivery/envelope.hpp: what travels around every view an agency receives.
//
// A view is the agency's own document: its JSON Schema or its XSD decides what it may hold, so
// nothing of ours goes inside it. What the agency needs to file it (the reference, the form and
// definition it was checked against, how it came in, in which language, and the day it arrived,
// which for mail is the day the envelope arrived) travels beside it, the same on every way out:
// the pull API's JSON and XML wrappers carry these fields, and a view fetched alone or
// delivered by webhook carries them as these headers (docs/agencies.md, "The envelope").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {

/// The envelope of `item` as HTTP headers, in a fixed order: Askonce-Reference, Askonce-Form,
/// Askonce-Form-Version, Askonce-Definition-Hash, Askonce-Submission-Digest, Askonce-Received,
/// Askonce-Date-Received, Askonce-Channel, Askonce-Language, Askonce-Agency,
/// Askonce-View-Version; and for an amendment (version 2 and later) Askonce-Amends (the version
/// it replaces) and Askonce-Changed (the changed paths, ", " between them).
std::vector<std::pair<std::string, std::string>> envelope_headers(const AgencyItem& item);

}  // namespace askonce::server
