// renderers/text.hpp: the plain-text renderer: the phone agent's script, which is also the
// accessible text version of a form and its large-print copy; and the plain-text receipt and
// "check your answers".
//
// The blank form is a call script in the agent's voice, all of it from the Wording
// (ScriptWords and FieldWords' agent fields): the opening and the privacy notice to read, each
// question in order as something to ask ("Ask: ...", "Read the choices, then record one:"),
// when to ask it and where to skip in the caller's terms, the read-back of every question and
// the closing. A citizen reading it (a screen reader, large print) gets every question in
// order with what it needs; the script says so at its top. Wrapped at RenderRequest::width by
// the shared wrap(); no decoration a screen reader would read aloud (no rules of dashes, no
// asterisks, no boxes).
#pragma once

#include "renderers/render.hpp"

namespace askonce::renderers {

/// Document::Form (a filled form lists the errors and values too), Answers and Receipt.
RenderResult render_text(const RenderRequest& request);

}  // namespace askonce::renderers
