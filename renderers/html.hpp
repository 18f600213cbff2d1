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
//   /assets/askonce/form.<tag>.js   the shared form runtime (script.hpp form_runtime_url());
//                               the form's rules are in the page (id="askonce-rules")
//
// Form posts: the form posts to its own URL (no action attribute), with one name per answer
// exactly as engine/submission.hpp's flat reader takes them (`person.name.first`,
// `household[0].full_name`, `move_date.month`/`.day`/`.year`, yes/no as "yes"/"no", a ticked
// attest as "yes", choices once per ticked option). Besides answers, only these controls post,
// and the server removes them before calling the engine:
//   askonce:add=REPEAT_PATH      "Add" under a repeat: show the form again with one more entry
//                                (append ("REPEAT_PATH[n].FIRST_FIELD", "") to Filled::values)
//   askonce:remove=ENTRY_PATH    "Remove" in an entry ("household[1]"), or in a step's list of
//                                entries: show it again without it
//   askonce:confirm=yes          "Submit" ("Submit application" in the journey) on the
//                                check-your-answers page
// "Delete my answers" (step and journey check pages) is a form of its own that posts only the
// page's hidden inputs, to StepInfo::delete_url.
// Pressing Enter in a text field submits with the form's first submit button, so the form
// starts with a hidden nameless one: Enter checks the answers, never adds or removes an entry.
// The main button posts no name: it asks the server to check the answers.
#pragma once

#include <string>
#include <string_view>

#include "engine/model.hpp"
#include "renderers/render.hpp"

namespace askonce::renderers {

class Wording;  // wording.hpp

/// Every page is in the frame of frame.hpp (banner, header, language switch, footer), from
/// RenderRequest::site; its <title> is RenderRequest::title_parts (or the document's own: a
/// step's section and "Step 2 of 6"), the form's title, then the service's name.
/// Document::Start: the form's start page (what it is for, who can use it, what you need, how
/// long it takes, "Start now" as a link to /forms/{id}/steps/{first section}, the service
/// standard, other ways to apply).
/// Document::Step (the web journey, one section at a time): "Step 2 of 6" and the section's
/// title as the page's heading, a Back link (StepInfo::back_url), the section's questions
/// drawn as on the form page (declaration fields left out), the step's errors in the summary,
/// Continue (the form posts to its own address), a repeat's entries summarized with Change
/// and Remove, autofocus on the first input of StepInfo::focus, "Delete my answers" (a
/// separate form posting to StepInfo::delete_url), and the answers given outside this step as
/// <script type="application/json" id="askonce-answers">{"flat name": "value" or ["values"]}
/// for the form's script (sensitive answers left out; every string escaped so that no answer
/// can end the element).
/// Document::Form: the whole form on one page, its sections in order (blank: defaults filled
/// in; with RenderRequest::filled: every value sent shown back, the engine's errors in a
/// summary at the top and beside each field). Document::Answers: "check your answers", by
/// question, with a button that posts askonce:confirm=yes; with RenderRequest::step (the web
/// journey), each answer has a Change link to
/// /forms/{id}/steps/{section}?return=check&lang={lang}#{the question's first input}, the
/// declaration fields are asked on the page (values and errors from `filled`), the button
/// says "Submit application", and "Delete my answers" follows. Document::Receipt: the confirmation
/// page: reference number, time received, what happens next (the service standard), the
/// agencies that receive the application, and the answers with sensitive ones masked.
RenderResult render_html(const RenderRequest& request);

/// Whether field `f` belongs to the declaration: a top-level `attest`. The web journey asks
/// these on the check-your-answers page, just above "Submit application", not in the step of
/// their section.
bool declaration_field(const model::Form& form, model::FieldId f);

/// The id of the input (or first input) for an instance path: "f-" and the path with `.` and
/// `[n]` written as `-` ("household[0].full_name" -> "f-household-0-full_name").
std::string html_id(std::string_view path);

/// The agencies a submitted application went to, one line each (receipt_agency_lines), with
/// "Answer the agency" beside each one waiting on the citizen (ReceiptInfo::answer_urls), then
/// "Correct an answer" (ReceiptInfo::correct_url): what the receipt page (Document::Receipt)
/// and the status page a mailed link opens (server/http) both offer, drawn once. Null `info`,
/// or no agency: "No agency receives this application".
void append_receipt_agencies_html(std::string& out, const Wording& words, const ReceiptInfo* info);

/// The A-11 survey of a receipt (ReceiptInfo::feedback), or the note in its place
/// (ReceiptInfo::feedback_note), for the same two pages.
void append_receipt_feedback_html(std::string& out, const Wording& words, const ReceiptInfo& info);

}  // namespace askonce::renderers
