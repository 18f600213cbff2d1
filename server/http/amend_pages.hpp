// server/http/amend_pages.hpp: the pages of a correction after submitting (amend.hpp): which
// answer to correct, and what happened to it. The step with the one answer is the renderers'
// own step page (StepInfo::only). Every string through renderers::append_html, the words from
// renderers/strings.hpp.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "renderers/render.hpp"
#include "renderers/strings.hpp"

namespace askonce::server {

/// One answer a citizen may correct: the field's id (posted as askonce:field) and its label.
struct CorrectChoice {
  std::string field;
  std::string label;
};

/// "Correct an answer" (or, with `asking_agency`, "Answer the agency": that agency's title and
/// its message): the choices as radio buttons posting askonce:field to `action`, with `hidden`
/// (the CSRF token, what the citizen answered to get here). `error`: the page says to choose
/// one. No choice: the page says to call the agency instead.
struct ChoosePage {
  std::string language;
  renderers::Site site;
  std::string action;
  std::vector<std::pair<std::string, std::string>> hidden;
  std::vector<CorrectChoice> choices;
  std::string asking_agency;  // the agency's title; empty: a correction
  std::string agency_message;  // its need_info message, in the page's language; empty: none
  std::string back_url;        // the status page
  bool error = false;
};
std::string correct_choose_page(const ChoosePage& p);

/// What became of a correction: `title` and `text` (from the Ui table), the agencies that get
/// it (their titles), and a link back to the status page.
std::string correct_result_page(std::string_view lang, renderers::Site site, renderers::Ui title, renderers::Ui text,
                                const std::vector<std::string>& agencies, const std::string& back_url, bool error);

}  // namespace askonce::server
