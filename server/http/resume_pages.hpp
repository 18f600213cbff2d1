// server/http/resume_pages.hpp: the pages of "Save and come back later" (resume_routes.cpp): the
// page that shows the resume code after saving, the page that asks for the code, and the page
// that asks what only the citizen knows (knowledge.hpp). Same frame and look as every citizens'
// page; every string through renderers::append_html; words from renderers/strings.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "renderers/render.hpp"
#include "server/http/knowledge.hpp"
#include "server/http/web_post.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::server {

/// What the "Your answers are saved" page says.
struct SavedPage {
  const engine::Plan* plan = nullptr;
  std::string language;  // the form's language the citizen uses
  renderers::Site site;
  std::string code;           // the resume code, as written down: "XXXX-XXXX-XXXXC"
  std::string expires;        // when the draft goes unless changed: ISO 8601 UTC
  int lifetime_days = 30;
  std::vector<KnowledgeQuestion> asks;  // what coming back will ask for
  bool mail_sent = false;     // a link was queued to the address the citizen gave
  int link_days = 7;
  std::string resume_url;     // where to come back: the absolute /resume address
  std::string continue_url;   // the step (or check your answers) the citizen saved from
  std::string delete_url;     // "Delete my answers"
  std::string csrf_token;     // for the delete form
};
std::string saved_page(const SavedPage& p);

/// "Come back to your saved answers": the resume code. `code` (what was typed) is kept;
/// `message` (already in `lang`) shown as an error when not empty.
std::string resume_code_page(renderers::Site site, std::string_view lang, const std::string& csrf_token,
                             const std::string& code, std::string_view message);

/// "Answer a question only you know": the questions, the code (a hidden input; empty when an
/// emailed link's session names the draft), what was typed kept, and `message` as an error when
/// not empty. The form's words (its labels) in `form_lang`.
struct CheckPage {
  const engine::Plan* plan = nullptr;
  std::string language;
  renderers::Site site;
  std::string csrf_token;
  std::string code;
  std::vector<KnowledgeQuestion> questions;
  Fields typed;
  std::string message;
  std::string action;  // where the answers go; empty: "/resume?lang=..."
  Fields hidden;       // more hidden inputs to post with them
};
std::string resume_check_page(const CheckPage& p);

/// One form a citizen can start with the answers of another (reuse_routes.cpp).
struct ReuseChoice {
  std::string form_id;
  std::string title;                // in the page's language
  std::vector<std::string> labels;  // what is filled in, in words
};

/// "Start another form with these answers": each form that shares answers, what it takes, and a
/// button that posts `to` = its id to `action`; `none` when the list is empty.
std::string reuse_page(renderers::Site site, std::string_view lang, const std::string& csrf_token, const std::string& action,
                       const std::vector<ReuseChoice>& choices);

}  // namespace askonce::server
