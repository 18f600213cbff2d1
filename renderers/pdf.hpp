// renderers/pdf.hpp: the PDF renderer (libharu): the printable paper form for the mail channel
// and the filled application receipt.
//
// PDF is a binary renderer (bytes, as pandoc's ByteStringWriter): everything it says comes
// from wording.hpp, drawn on US Letter pages in DejaVu Sans, embedded as TrueType so that
// accents and ñ print in every declared language. Output is deterministic: the same request
// gives the same bytes (no random document id; the creation date of a receipt is the time the
// submission was received, and a blank form carries none).
#pragma once

#include "renderers/render.hpp"

namespace askonce::renderers {

/// Document::Form: the blank paper form: title, service standard, instructions, the numbered
/// questions with answer areas shaped by kind (character boxes for SSN, EIN, dates and ZIP,
/// lines for text, tick boxes for choices), skip instructions, min(max, 3) blank copies of
/// each repeat (at least its min) and a note about continuation sheets, and "Page N of M" and
/// the form's id and version on every page. A `filled` form is drawn blank, with a warning.
/// Document::Answers and Document::Receipt: the application by question (sensitive answers
/// masked); a receipt adds the reference number, the time received and the agencies.
RenderResult render_pdf(const RenderRequest& request);

}  // namespace askonce::renderers
