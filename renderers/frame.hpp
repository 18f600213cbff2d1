// renderers/frame.hpp: the frame around every citizens' page, the renderers' (html.cpp) and the
// server's own (server/http/web_pages.cpp) alike, so that there is one copy of its markup.
//
// USWDS components, all working without JavaScript: a skip link to #main-content; the official
// government banner, its "Here's how you know" a <details> that opens without script; a header
// with the service's name linking home and the language switch (this page in every language,
// each link in its own language with lang and hreflang, the current one marked aria-current);
// <main id="main-content">; and a footer with the identifier's links (about, accessibility
// statement, privacy) that the deployment sets (Site). The <title> is the page's parts, then
// the service's name, joined with " - ".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "renderers/render.hpp"

namespace askonce::renderers {

/// What a page tells the frame.
struct PageFrame {
  std::string language;                  // the page's language ("en"): <html lang>, the frame's words
  std::vector<std::string> title_parts;  // most specific first; the service's name is added last
  bool error = false;                    // the page shows errors: the title starts "Error:"
  std::vector<std::string> scripts;      // script addresses, loaded with defer
  /// Data for the scripts, each as <script type="application/json" id="{id}">{json}</script>
  /// in <head>: the JSON must already be escaped so that it cannot end the element
  /// (script.hpp's form_rules_json and answers_json are).
  std::vector<std::pair<std::string, std::string>> data;
  const Site* site = nullptr;            // null: every default
  /// The languages the page exists in, for the switch when Site::languages is empty ("?lang=xx"
  /// links); none or one: no switch.
  std::vector<std::string> languages;
};

/// The whole page: doctype, head, the frame, `body` inside <main>, the footer.
std::string frame_page(const PageFrame& frame, std::string_view body);

/// A language's own name for itself ("English", "Español"); the code when it has none here.
std::string_view language_name(std::string_view lang);

}  // namespace askonce::renderers
