// server/http/resume_pages.cpp: the pages of "Save and come back later" (resume_pages.hpp).
#include "server/http/resume_pages.hpp"

#include "engine/plan.hpp"
#include "renderers/escape.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/http/web_pages.hpp"

namespace askonce::server {
namespace {

using renderers::Ui;
using renderers::append_html;

/// What question `q` asks, in words: the field's label, and for a number "the last 4 digits".
std::string ask_words(const renderers::Wording& words, const KnowledgeQuestion& q) {
  const std::string& label = words.field(q.field).label;
  if (q.ask == KnowledgeQuestion::Ask::LastFour) return words.ui(Ui::LastFourOf, {label});
  return label;
}

void alert(std::string& body, std::string_view kind, std::string_view text) {
  body += "<div class=\"usa-alert usa-alert--";
  body += kind;
  body += kind == "error" ? "\" role=\"alert\">\n" : "\">\n";
  body += "<div class=\"usa-alert__body\">\n<p class=\"usa-alert__text\">";
  append_html(body, text);
  body += "</p>\n</div>\n</div>\n";
}

std::string value_of(const Fields& fields, const std::string& name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return v.substr(0, 16);
  }
  return {};
}

void hidden(std::string& body, std::string_view name, std::string_view value) {
  body += "<input type=\"hidden\" name=\"";
  append_html(body, name);
  body += "\" value=\"";
  append_html(body, value);
  body += "\">\n";
}

/// A short text input with its label, for a number or a code.
void input(std::string& body, const std::string& id, std::string_view label, std::string_view hint_text,
           const std::string& value, int maxlength, bool numeric, bool error) {
  body += "<label class=\"usa-label\" for=\"";
  append_html(body, id);
  body += "\">";
  append_html(body, label);
  body += "</label>\n";
  if (!hint_text.empty()) {
    body += "<div class=\"usa-hint\" id=\"";
    append_html(body, id);
    body += "-hint\">";
    append_html(body, hint_text);
    body += "</div>\n";
  }
  body += error ? "<input class=\"usa-input usa-input--error\" aria-invalid=\"true\"" : "<input class=\"usa-input\"";
  body += " id=\"";
  append_html(body, id);
  body += "\" name=\"";
  append_html(body, id);
  body += "\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"" + std::to_string(maxlength) + "\"";
  if (numeric) body += " inputmode=\"numeric\"";
  if (!hint_text.empty()) {
    body += " aria-describedby=\"";
    append_html(body, id);
    body += "-hint\"";
  }
  body += " value=\"";
  append_html(body, value);
  body += "\">\n";
}

}  // namespace

std::string saved_page(const SavedPage& p) {
  const renderers::Wording words(p.plan->form(), p.language);
  std::string body = "<h1>";
  append_html(body, words.ui(Ui::SavedTitle));
  body += "</h1>\n<p class=\"usa-intro\">";
  append_html(body, words.title());
  body += "</p>\n<p>";
  append_html(body, words.ui(Ui::SavedUntil, {words.timestamp(p.expires, p.site.time_zone), std::to_string(p.lifetime_days)}));
  body += "</p>\n<h2>";
  append_html(body, words.ui(Ui::ResumeCodeIs));
  body += "</h2>\n<p class=\"font-mono-lg text-bold\" id=\"resume-code\">";
  append_html(body, p.code);
  body += "</p>\n<p>";
  append_html(body, words.ui(Ui::ResumeCodeWrite));
  body += "</p>\n<p>";
  append_html(body, words.ui(Ui::ResumeHow));
  body += "<br>\n<strong>";
  append_html(body, p.resume_url);
  body += "</strong></p>\n";
  if (!p.asks.empty()) {
    body += "<p>";
    append_html(body, words.ui(Ui::ResumeAlsoAsk));
    body += "</p>\n<ul class=\"usa-list\">\n";
    for (const auto& q : p.asks) {
      body += "<li>";
      append_html(body, ask_words(words, q));
      body += "</li>\n";
    }
    body += "</ul>\n";
  }
  if (p.mail_sent) alert(body, "info", words.ui(Ui::SavedMailSent, {std::to_string(p.link_days)}));
  body += "<p class=\"margin-top-4\">";
  append_link(body, p.continue_url, words.ui(Ui::ContinueNow), "usa-button");
  body += "</p>\n";
  if (!p.delete_url.empty()) {
    body += "<form class=\"margin-top-4\" method=\"post\" action=\"";
    append_html(body, p.delete_url);
    body += "\">\n";
    hidden(body, "askonce:csrf", p.csrf_token);
    body += "<button class=\"usa-button usa-button--unstyled\" type=\"submit\">";
    append_html(body, words.ui(Ui::DeleteMyAnswers));
    body += "</button>\n</form>\n";
  }
  return site_page(words.language(), {std::string(words.ui(Ui::SavedTitle)), std::string(words.title())}, body, p.site);
}

std::string resume_code_page(renderers::Site site, std::string_view lang, const std::string& csrf_token,
                             const std::string& code, std::string_view message) {
  std::string body = "<h1>";
  append_html(body, renderers::ui(Ui::ResumeTitle, lang));
  body += "</h1>\n";
  if (!message.empty()) alert(body, "error", message);
  body += "<p>";
  append_html(body, renderers::ui(Ui::ResumeIntro, lang));
  body += "</p>\n<form class=\"usa-form\" method=\"post\" action=\"/resume?lang=";
  append_html(body, lang);
  body += "\" novalidate>\n";
  hidden(body, "askonce:csrf", csrf_token);
  input(body, "code", renderers::ui(Ui::ResumeCodeLabel, lang), renderers::ui(Ui::ResumeCodeHint, lang), code, 24, false,
        !message.empty());
  body += "<button class=\"usa-button\" type=\"submit\">";
  append_html(body, renderers::ui(Ui::Continue, lang));
  body += "</button>\n</form>\n";
  return site_page(lang, {std::string(renderers::ui(Ui::ResumeTitle, lang))}, body, site);
}

std::string resume_check_page(const CheckPage& p) {
  const renderers::Wording words(p.plan->form(), p.language);
  std::string body = "<h1>";
  append_html(body, words.ui(Ui::ResumeCheckTitle));
  body += "</h1>\n<p class=\"usa-intro\">";
  append_html(body, words.title());
  body += "</p>\n";
  if (!p.message.empty()) alert(body, "error", p.message);
  body += "<p>";
  append_html(body, words.ui(Ui::ResumeCheckIntro));
  body += "</p>\n<form class=\"usa-form\" method=\"post\" action=\"";
  append_html(body, p.action.empty() ? "/resume?lang=" + words.language() : p.action);
  body += "\" novalidate>\n";
  hidden(body, "askonce:csrf", p.csrf_token);
  hidden(body, "askonce:check", "yes");
  for (const auto& [name, value] : p.hidden) hidden(body, name, value);
  if (!p.code.empty()) hidden(body, "code", p.code);
  const bool error = !p.message.empty();
  for (std::size_t i = 0; i < p.questions.size(); ++i) {
    const KnowledgeQuestion& q = p.questions[i];
    const std::string name = knowledge_input(i);
    if (q.ask != KnowledgeQuestion::Ask::Date) {
      const bool four = q.ask == KnowledgeQuestion::Ask::LastFour;
      input(body, name, ask_words(words, q), {}, value_of(p.typed, name), four ? 4 : 10, true, error);
      continue;
    }
    // A date as USWDS's memorable date: month, day and year.
    body += "<fieldset class=\"usa-fieldset\">\n<legend class=\"usa-legend\">";
    append_html(body, ask_words(words, q));
    body += "</legend>\n<div class=\"usa-memorable-date\">\n";
    static constexpr std::string_view parts[3] = {"month", "day", "year"};
    const Ui labels[3] = {Ui::Month, Ui::Day, Ui::Year};
    for (int k = 0; k < 3; ++k) {
      const std::string id = name + "." + std::string(parts[k]);
      body += "<div class=\"usa-form-group usa-form-group--";
      body += parts[k];
      body += "\">\n";
      std::string one;
      input(one, id, words.ui(labels[k]), {}, value_of(p.typed, id), k == 2 ? 4 : 2, true, error);
      body += one + "</div>\n";
    }
    body += "</div>\n</fieldset>\n";
  }
  body += "<button class=\"usa-button\" type=\"submit\">";
  append_html(body, words.ui(Ui::Continue));
  body += "</button>\n</form>\n";
  return site_page(words.language(), {std::string(words.ui(Ui::ResumeCheckTitle)), std::string(words.title())}, body, p.site);
}

std::string reuse_page(renderers::Site site, std::string_view lang, const std::string& csrf_token, const std::string& action,
                       const std::vector<ReuseChoice>& choices) {
  std::string body = "<h1>";
  append_html(body, renderers::ui(Ui::ReuseOffer, lang));
  body += "</h1>\n<p>";
  append_html(body, renderers::ui(choices.empty() ? Ui::ReuseNone : Ui::ReuseIntro, lang));
  body += "</p>\n";
  for (const auto& c : choices) {
    body += "<form class=\"margin-top-4\" method=\"post\" action=\"";
    append_html(body, action);
    body += "\">\n";
    hidden(body, "askonce:csrf", csrf_token);
    hidden(body, "to", c.form_id);
    body += "<h2>";
    append_html(body, c.title);
    body += "</h2>\n<p>";
    std::string labels;
    for (const auto& l : c.labels) labels += (labels.empty() ? "" : ", ") + l;
    append_html(body, renderers::ui(Ui::ReuseCarries, lang, {labels}));
    body += "</p>\n<button class=\"usa-button\" type=\"submit\">";
    append_html(body, renderers::ui(Ui::ReuseStart, lang, {c.title}));
    body += "</button>\n</form>\n";
  }
  return site_page(lang, {std::string(renderers::ui(Ui::ReuseOffer, lang))}, body, site);
}

}  // namespace askonce::server
