// server/http/web_post.hpp: a form page's post, as renderers/html.hpp describes it: the answers
// (flat names the engine reads), and the askonce: controls the server removes before the engine
// sees anything: askonce:csrf (the hidden input the server put in the page),
// askonce:add and askonce:remove (a repeat's buttons), askonce:confirm (check your answers).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace askonce::engine {
class Plan;
struct Result;
struct Error;
}

namespace askonce::server {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct FormPost {
  Fields answers;                             // in the order posted, controls removed
  std::map<std::string, std::string> controls;  // "askonce:add" -> value (the first one sent)
};

/// Splits posted fields into answers and controls: every name starting with "askonce:" is a
/// control, never an answer.
FormPost split_post(Fields fields);

/// askonce:add=REPEAT_PATH: one more, empty entry in the repeat at instance path `repeat_path`
/// ("household", "household[0].pets"), added to `answers` as html.hpp asks: the name of the
/// new entry's first field with an empty value. Nothing changes when the path is not a repeat
/// of the form or the repeat has its maximum number of entries. Every other value is kept.
void add_entry(const engine::Plan& plan, std::string_view repeat_path, Fields& answers);

/// askonce:remove=ENTRY_PATH ("household[1]"): that entry's answers removed and the entries
/// after it numbered one lower, so the entries stay numbered from 0 without gaps. Nothing
/// changes when the path is not an entry. Every other value is kept.
void remove_entry(std::string_view entry_path, Fields& answers);

// ---- the web journey, one step at a time ----------------------------------------------------
//
// A draft's answers are flat form fields, as a form page posts them, plus one marker
// ("askonce:seen", FIELD ID) for each top-level question that was shown to the citizen when
// they pressed Continue on its step. The markers tell a question the citizen saw and left
// blank from one that an answer changed later has just revealed: Submit sends the citizen to
// the second kind before anything is sent. The engine never sees them (engine_answers).
//
// A step is a section. It is shown when one of its top-level questions is shown (`show if`,
// on every answer so far); notes, computed values and the declaration (renderers'
// declaration_field: asked on the check-your-answers page) do not make a step.

/// The marker name (see above).
inline constexpr std::string_view seen_marker = "askonce:seen";

/// A draft started with another form's answers ("Start another form with these answers") has
/// one marker ("askonce:reused", FIELD ID) per field filled in from them: check your answers
/// says so, and a sensitive one is shown masked and never put back in its box. The marker goes
/// when the citizen changes the answer.
inline constexpr std::string_view reused_marker = "askonce:reused";

/// A draft a staff member is keying (keying_routes.cpp) carries the member's id in one marker
/// ("askonce:keyed-by", STAFF ID), and a mailed one the day its envelope arrived in another
/// ("askonce:date-received", "YYYY-MM-DD"). Sealed with the answers, never posted: a post's
/// askonce: names are controls (split_post), so no page can set them.
inline constexpr std::string_view keyed_by_marker = "askonce:keyed-by";
inline constexpr std::string_view received_marker = "askonce:date-received";

/// The fields the draft's answers were reused into, still unchanged (their ids).
std::vector<std::string> reused_fields(const Fields& draft);

/// The answers without the markers: what the engine reads.
Fields engine_answers(const Fields& draft);

/// Whether `name` (a flat form field) answers a top-level field of section `section` that is
/// not part of the declaration ("old_address.zip", "household[1].full_name").
bool in_step(const engine::Plan& plan, std::size_t section, std::string_view name);

/// Whether `name` answers a declaration field (a top-level `attest`).
bool in_declaration(const engine::Plan& plan, std::string_view name);

/// The draft's answers with those of step `section` replaced by `posted` (only the names that
/// belong to the step are taken; anything else posted is dropped). A reused sensitive answer
/// posted blank keeps its value (its box was left empty, the page showing it masked); a reused
/// answer changed loses its marker.
void merge_step(const engine::Plan& plan, std::size_t section, const Fields& posted, Fields& draft);

/// The draft's declaration answers replaced by the declaration answers in `posted`.
void merge_declaration(const engine::Plan& plan, const Fields& posted, Fields& draft);

/// Records that the shown top-level questions of step `section` were seen (the markers),
/// replacing the step's earlier markers.
void mark_seen(const engine::Plan& plan, std::size_t section, const engine::Result& checked, Fields& draft);

/// The sections shown as steps on these answers, in form order.
std::vector<std::size_t> shown_steps(const engine::Plan& plan, const engine::Result& checked);

/// The engine's errors that belong on step `section`: those of its fields (the declaration's
/// excepted), and those about the input as a whole. `seen_only`: only those of questions
/// marked seen in `draft` (a step opened again from check your answers shows the problems of
/// what was answered, not "required" on a question never shown).
std::vector<engine::Error> step_errors(const engine::Plan& plan, const engine::Result& checked, std::size_t section,
                                       const Fields& draft, bool seen_only);

/// The errors of the declaration fields.
std::vector<engine::Error> declaration_errors(const engine::Plan& plan, const engine::Result& checked);

/// The first step, in form order, that needs the citizen before Submit: one with an error
/// outside the declaration, or with a shown question never seen (a change elsewhere revealed
/// it). Nothing when every step is done.
std::optional<std::size_t> first_unfinished_step(const engine::Plan& plan, const engine::Result& checked,
                                                 const Fields& draft);

/// Removes the answers that belong to no step and no declaration field of the form (and
/// markers of fields it does not have): a draft begun under an older definition of the form.
void keep_known(const engine::Plan& plan, Fields& draft);

/// The section called `name`, or nothing.
std::optional<std::size_t> find_section(const engine::Plan& plan, std::string_view name);

/// "sha256:..." of the answers, names and values: what a double-submission guard compares
/// (the same answers posted twice give the same fingerprint, whatever else the post carried).
std::string answers_fingerprint(const Fields& answers);

}  // namespace askonce::server
