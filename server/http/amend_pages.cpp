// server/http/amend_pages.cpp: the pages of a correction (amend_pages.hpp).
#include "server/http/amend_pages.hpp"

#include "renderers/escape.hpp"
#include "renderers/frame.hpp"
#include "renderers/strings.hpp"

namespace askonce::server {
namespace {

using renderers::append_html;
using renderers::Ui;

std::string page(std::string_view lang, std::vector<std::string> title_parts, const std::string& body,
                 const renderers::Site& site, bool error) {
  renderers::PageFrame frame;
  frame.language = std::string(lang);
  frame.title_parts = std::move(title_parts);
  frame.site = &site;
  frame.error = error;
  return renderers::frame_page(frame, body);
}

void back_link(std::string& body, std::string_view lang, const std::string& url) {
  body += "<p class=\"margin-top-4\"><a class=\"usa-link\" href=\"";
  append_html(body, url);
  body += "\">";
  append_html(body, renderers::ui(Ui::BackToStatus, lang));
  body += "</a></p>\n";
}

}  // namespace

std::string correct_choose_page(const ChoosePage& p) {
  const std::string_view lang = p.language;
  const std::string title(renderers::ui(p.asking_agency.empty() ? Ui::CorrectTitle : Ui::AnswerAgency, lang));
  std::string body = "<h1>";
  append_html(body, title);
  body += "</h1>\n<p class=\"usa-intro\">";
  if (p.asking_agency.empty()) append_html(body, renderers::ui(Ui::CorrectIntro, lang));
  else append_html(body, renderers::ui(Ui::AnswerIntro, lang, {p.asking_agency}));
  body += "</p>\n";
  if (!p.agency_message.empty()) {
    body += "<div class=\"usa-alert usa-alert--info usa-alert--slim\">\n<div class=\"usa-alert__body\">\n"
            "<p class=\"usa-alert__text\">";
    append_html(body, renderers::ui(Ui::StatusMessage, lang));
    body += " ";
    append_html(body, p.agency_message);
    body += "</p>\n</div>\n</div>\n";
  }
  if (p.choices.empty()) {
    body += "<p>";
    append_html(body, renderers::ui(Ui::CorrectNone, lang));
    body += "</p>\n";
    back_link(body, lang, p.back_url);
    return page(lang, {title}, body, p.site, false);
  }
  if (p.error) {
    body += "<div class=\"usa-alert usa-alert--error\" role=\"alert\" tabindex=\"-1\">\n<div class=\"usa-alert__body\">\n"
            "<p class=\"usa-alert__text\"><a class=\"usa-link\" href=\"#choice-0\">";
    append_html(body, renderers::ui(Ui::CorrectChooseError, lang));
    body += "</a></p>\n</div>\n</div>\n";
  }
  body += "<form class=\"usa-form usa-form--large\" method=\"post\" action=\"";
  append_html(body, p.action);
  body += "\" novalidate>\n";
  for (const auto& [name, value] : p.hidden) {
    body += "<input type=\"hidden\" name=\"";
    append_html(body, name);
    body += "\" value=\"";
    append_html(body, value);
    body += "\">\n";
  }
  body += p.error ? "<div class=\"usa-form-group usa-form-group--error\">\n" : "<div class=\"usa-form-group\">\n";
  body += "<fieldset class=\"usa-fieldset\"";
  if (p.error) body += " aria-describedby=\"choice-error\"";
  body += ">\n<legend class=\"usa-legend usa-legend--large\">";
  append_html(body, renderers::ui(Ui::CorrectChoose, lang));
  body += "</legend>\n";
  if (p.error) {
    body += "<span class=\"usa-error-message\" id=\"choice-error\">";
    append_html(body, renderers::ui(Ui::CorrectChooseError, lang));
    body += "</span>\n";
  }
  for (std::size_t i = 0; i < p.choices.size(); ++i) {
    const std::string id = "choice-" + std::to_string(i);
    body += "<div class=\"usa-radio\">\n<input class=\"usa-radio__input\" type=\"radio\" name=\"askonce:field\" id=\"" + id +
            "\" value=\"";
    append_html(body, p.choices[i].field);
    body += "\">\n<label class=\"usa-radio__label\" for=\"" + id + "\">";
    append_html(body, p.choices[i].label);
    body += "</label>\n</div>\n";
  }
  body += "</fieldset>\n</div>\n<button class=\"usa-button margin-top-4\" type=\"submit\">";
  append_html(body, renderers::ui(Ui::Continue, lang));
  body += "</button>\n</form>\n";
  back_link(body, lang, p.back_url);
  return page(lang, {title}, body, p.site, p.error);
}

std::string correct_result_page(std::string_view lang, renderers::Site site, renderers::Ui title, renderers::Ui text,
                                const std::vector<std::string>& agencies, const std::string& back_url, bool error) {
  const std::string heading(renderers::ui(title, lang));
  std::string body = error ? "<div class=\"usa-alert usa-alert--error\" role=\"alert\">\n"
                           : "<div class=\"usa-alert usa-alert--success\">\n";
  body += "<div class=\"usa-alert__body\">\n<h1 class=\"usa-alert__heading\">";
  append_html(body, heading);
  body += "</h1>\n<p class=\"usa-alert__text\">";
  append_html(body, renderers::ui(text, lang));
  body += "</p>\n</div>\n</div>\n";
  if (!agencies.empty()) {
    body += "<ul class=\"usa-list\" id=\"corrected-agencies\">\n";
    for (const auto& a : agencies) {
      body += "<li>";
      append_html(body, a);
      body += "</li>\n";
    }
    body += "</ul>\n";
  }
  back_link(body, lang, back_url);
  return page(lang, {heading}, body, site, error);
}

}  // namespace askonce::server
