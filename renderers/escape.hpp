// renderers/escape.hpp: the one place where text becomes HTML, and where text becomes a
// JavaScript string literal in the generated form scripts.
//
// Every string a renderer writes into HTML that is not markup it wrote itself (labels, hints,
// messages, the citizen's values, option values, ids made from field paths) goes through
// escape_html, in element content and in double-quoted attribute values alike. It also makes
// sure the output is well-formed UTF-8 without control characters, because a citizen's value
// or a posted name can hold anything, and the HTML must still be valid.
#pragma once

#include <string>
#include <string_view>

namespace askonce::renderers {

/// Appends `text` to `out`, escaped for HTML element content and for double- or single-quoted
/// attribute values: `&`, `<`, `>`, `"` and `'` become character references; a byte sequence
/// that is not UTF-8, a C0 or C1 control character (tab, line feed and carriage return
/// excepted), a noncharacter and U+0000 become U+FFFD.
void append_html(std::string& out, std::string_view text);

/// `text` escaped as append_html does.
std::string escape_html(std::string_view text);

/// Appends `text` as a JavaScript string literal, quotes included: a JSON string in which `<`,
/// `>`, `&`, U+2028 and U+2029 are also written as \u escapes, so the literal is safe in any
/// context a script may end up in. Invalid UTF-8 becomes U+FFFD.
void append_js_string(std::string& out, std::string_view text);

}  // namespace askonce::renderers
