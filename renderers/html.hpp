// renderers/html.hpp: the web renderer: the form page citizens fill in, the "check your
// answers" page and the confirmation page, marked up with the U.S. Web Design System.
//
// Everything said comes from wording.hpp; every string from the form or the citizen goes
// through escape.hpp's append_html. Pages meet WCAG 2.2 AA (every input labelled, groups in a
// fieldset with a legend, hints and errors tied with aria-describedby, required said in words,
// autocomplete tokens from engine/composites.hpp, an error summary whose links move focus)
// and work without JavaScript. Pages carry no inline script or style, so a strict
// Content-Security-Policy (script-src 'self'; style-src 'self') holds.
//
// URLs a page refers to, which the server must serve:
//   /assets/uswds/...           node_modules/@uswds/uswds/dist/ (css/uswds.min.css, img/, fonts/)
//   /forms/{form id}/form.js    the script render_form_script() writes for the form (registry
//                               "js"), in the page's language
//
// Form posts: the form posts to its own URL (no action attribute), with one name per answer
// exactly as engine/submission.hpp's flat reader takes them (`person.name.first`,
// `household[0].full_name`, `move_date.month`/`.day`/`.year`, yes/no as "yes"/"no", a ticked
// attest as "yes", choices once per ticked option). Besides answers, only these controls post,
// and the server removes them before calling the engine:
//   askonce:add=REPEAT_PATH      "Add" under a repeat: show the form again with one more entry
//                                (append ("REPEAT_PATH[n].FIRST_FIELD", "") to Filled::values)
//   askonce:remove=ENTRY_PATH    "Remove" in an entry ("household[1]"): show it again without it
//   askonce:confirm=yes          "Submit" on the check-your-answers page
// Pressing Enter in a text field submits with the form's first submit button, so the form
// starts with a hidden nameless one: Enter checks the answers, never adds or removes an entry.
// The main button posts no name: it asks the server to check the answers.
#pragma once

#include <string>
#include <string_view>

#include "renderers/render.hpp"

namespace askonce::renderers {

/// Every page is in the frame of frame.hpp (banner, header, language switch, footer), from
/// RenderRequest::site. Document::Start: the form's start page (what it is for, who can use it,
/// what you need, how long it takes, "Start now" as a link to /forms/{id}/steps/{first section},
/// the service standard, other ways to apply). Document::Form: the whole form on one page, its sections in order (blank: defaults filled
/// in; with RenderRequest::filled: every value sent shown back, the engine's errors in a
/// summary at the top and beside each field). Document::Answers: "check your answers", by
/// question, with a button that posts askonce:confirm=yes. Document::Receipt: the confirmation
/// page: reference number, time received, what happens next (the service standard), the
/// agencies that receive the application, and the answers with sensitive ones masked.
RenderResult render_html(const RenderRequest& request);

/// The id of the input (or first input) for an instance path: "f-" and the path with `.` and
/// `[n]` written as `-` ("household[0].full_name" -> "f-household-0-full_name").
std::string html_id(std::string_view path);

}  // namespace askonce::renderers
