// server/http/web_post.hpp: a form page's post, as renderers/html.hpp describes it: the answers
// (flat names the engine reads), and the askonce: controls the server removes before the engine
// sees anything: askonce:csrf and askonce:nonce (hidden inputs the server put in the page),
// askonce:add and askonce:remove (a repeat's buttons), askonce:confirm (check your answers).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace askonce::engine {
class Plan;
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

/// "sha256:..." of the answers, names and values: what a double-submission guard compares
/// (the same answers posted twice give the same fingerprint, whatever else the post carried).
std::string answers_fingerprint(const Fields& answers);

}  // namespace askonce::server
