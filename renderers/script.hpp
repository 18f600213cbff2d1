// renderers/script.hpp: the script of a form page (GET /forms/{id}/form.js), generated from the
// model: it shows and hides questions as the citizen answers, evaluating each `show if` (and
// the computed values conditions use) with the engine's meaning: blank answers per docs/dsl.md
// ("Blank answers"), exact decimals, calendar dates, answers read as the engine reads flat form
// fields. The engine still decides on the server; the page works without the script. The
// script also moves focus to the error summary when a page with errors loads.
#pragma once

#include "renderers/render.hpp"

namespace askonce::renderers {

/// The script for RenderRequest::plan's form (application/javascript). Language and document
/// do not matter: a page in any language uses the same script.
RenderResult render_form_script(const RenderRequest& request);

}  // namespace askonce::renderers
