// renderers/script.hpp: the script of the form pages, as one shared runtime plus each form's
// rules as data.
//
// The runtime (renderers/assets/form.js) is the same for every form: it is embedded into this
// library at build time (renderers/embed.cmake) and served at form_runtime_url(), a URL that
// names its content hash, so a browser fetches it once and keeps it (`immutable`) until the
// runtime changes. Each page carries its form's rules, the fields, `show if`, `required if`
// and computed expressions, as JSON in a <script type="application/json" id="askonce-rules">
// block, which is data, never run, so the pages keep a CSP without 'unsafe-inline'. A step page
// may also carry the answers given on earlier steps as <script type="application/json"
// id="askonce-answers">{"flat.name": "value" | ["v1", "v2"]} (answers_json), which the runtime
// reads for a question that is not on the page. With both, the runtime shows and hides questions
// and shows computed values as the citizen answers, with the engine's meaning: blank answers
// (docs/dsl.md, "Blank answers"), exact decimals, calendar dates, answers read as the engine
// reads flat form fields. The engine still decides on the server; the pages work without it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "renderers/render.hpp"

namespace askonce::renderers {

class Wording;

/// The form's rules as JSON (registry "rules", application/json): what the runtime needs,
/// with the words for computed values in RenderRequest::language. Document does not matter.
RenderResult render_form_rules(const RenderRequest& request);

/// The same JSON, for a page that already has its Wording. Every string is written by
/// append_js_string, so `<`, `>` and `&` are \u escapes and the text can stand inside a
/// <script> element: "</script>" cannot occur in it.
std::string form_rules_json(const engine::Plan& plan, const Wording& words);

/// The citizen's answers so far as the JSON of an `askonce-answers` block: each flat name
/// once, its value a string, or an array of strings when the name was sent more than once
/// (the options of a `choices` field); names in the order first sent. Escaped as
/// form_rules_json is, so it can stand inside a <script> element.
std::string answers_json(std::span<const std::pair<std::string, std::string>> fields);

/// The runtime's bytes (renderers/assets/form.js as it was when this binary was built).
std::string_view form_runtime();
/// The first 16 hex digits of the runtime's SHA-256: its version, in its URL and its ETag.
std::string_view form_runtime_tag();
/// "/assets/askonce/form.<tag>.js", where the server serves the runtime.
const std::string& form_runtime_url();

}  // namespace askonce::renderers
