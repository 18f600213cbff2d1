// renderers/text.hpp: the plain-text renderer: the accessible version of a form, which is
// also the phone agent's script and the large-print copy, and the plain-text receipt.
//
// Numbered questions in order, each with its kind in words, its options lettered, "Required"
// said plainly, `show if` as a spoken instruction and checks in words; wrapped at
// RenderRequest::width by the shared wrap(); no decoration a screen reader would read aloud
// (no rules of dashes, no asterisks, no boxes).
#pragma once

#include "renderers/render.hpp"

namespace askonce::renderers {

/// Document::Form (a filled form lists the errors and values too), Answers and Receipt.
RenderResult render_text(const RenderRequest& request);

}  // namespace askonce::renderers
