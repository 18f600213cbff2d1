// server/http/web_pages.cpp: the list of forms, the refused-post page, the journey's own pages
// (already sent, answers deleted) and the mail's pages (a receipt's status, a link expired, a
// lost link). Their words are in renderers/strings.cpp with every other fixed text the
// citizens read; each has the frame's language switch, leading to the same place.
#include "server/http/web_pages.hpp"

#include "server/http/agency_status.hpp"

#include <algorithm>
#include <cstdlib>

#include <Poco/String.h>

#include "engine/messages.hpp"
#include "engine/plan.hpp"
#include "renderers/escape.hpp"
#include "renderers/frame.hpp"
#include "renderers/html.hpp"
#include "renderers/render.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/http/catalog.hpp"
#include "server/http/config.hpp"

namespace askonce::server {
namespace {

using renderers::language_name;

/// The page around `body`: the one frame every citizens' page has (renderers/frame.hpp).
std::string page(std::string_view lang, std::vector<std::string> title_parts, const std::string& body,
                 const renderers::Site& site) {
  renderers::PageFrame frame;
  frame.language = std::string(lang);
  frame.title_parts = std::move(title_parts);
  frame.site = &site;
  return renderers::frame_page(frame, body);
}

/// `<a class="usa-link" href="HREF">TEXT</a>`, both escaped.
void link(std::string& out, std::string_view href, std::string_view text, std::string_view cls = "usa-link") {
  out += "<a class=\"";
  out += cls;
  out += "\" href=\"";
  renderers::append_html(out, href);
  out += "\">";
  renderers::append_html(out, text);
  out += "</a>";
}

}  // namespace

const std::vector<std::string>& page_languages() {
  static const std::vector<std::string> langs = {"en", "es"};
  return langs;
}

std::string choose_language(const std::optional<std::string>& query_lang, std::string_view accept_language,
                            const std::vector<std::string>& offered) {
  if (offered.empty()) return query_lang.value_or("en");
  if (query_lang && std::find(offered.begin(), offered.end(), *query_lang) != offered.end()) return *query_lang;
  if (query_lang) return offered.front();
  // Accept-Language: "es-MX,es;q=0.9,en;q=0.5". Each offered language gets the q of the most
  // specific range that matches it: itself, a range it is a prefix of ("es" for "es-MX"), "*".
  std::string best = offered.front();
  double best_q = 0;
  for (const auto& lang : offered) {
    double q = -1;
    int specificity = -1;
    std::string_view rest = accept_language;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const auto semi = item.find(';');
      std::string range = Poco::toLower(std::string(item.substr(0, semi)));
      range.erase(0, range.find_first_not_of(" \t"));
      range.erase(range.find_last_not_of(" \t") + 1);
      double item_q = 1;
      if (semi != std::string_view::npos) {
        const std::string params(item.substr(semi + 1));
        const auto at = params.find("q=");
        if (at != std::string::npos) item_q = std::atof(params.c_str() + at + 2);
      }
      int spec = -1;
      const std::string want = Poco::toLower(std::string(lang));
      if (range == want) spec = 2;
      else if (range.starts_with(want + "-")) spec = 1;
      else if (range == "*") spec = 0;
      if (spec > specificity) specificity = spec, q = item_q;
    }
    if (q > best_q) best_q = q, best = lang;
  }
  return best;
}

renderers::Site site_of(const Config& config, std::string_view form_id) {
  renderers::Site site;
  site.name = config.site.name;
  site.home_url = config.site.home_url;
  site.about_url = config.site.about_url;
  site.accessibility_url = config.site.accessibility_url;
  site.privacy_url = config.site.privacy_url;
  site.time_zone = config.site.time_zone;
  for (const auto& a : config.apply) {
    if (a.form != form_id) continue;
    site.apply_phone = a.phone;
    site.apply_in_person = a.in_person;
    site.apply_mail = a.mail;
  }
  return site;
}

renderers::PaperSite paper_site(const Config& config, std::string_view form_id, std::string_view lang) {
  renderers::PaperSite out;
  const auto over = [&out](const PaperTexts& t) {
    for (auto [from, to] : {std::pair{&t.mail_to, &out.mail_to}, {&t.phone, &out.phone}, {&t.hours, &out.hours},
                            {&t.privacy, &out.privacy}, {&t.burden, &out.burden}}) {
      if (!from->empty()) *to = *from;
    }
    if (!t.omb_number.empty()) out.omb_number = t.omb_number, out.omb_expires = t.omb_expires;
  };
  for (const auto& p : config.paper) {
    if (p.form != form_id) continue;
    over(p.all);
    for (const auto& [l, t] : p.languages) {
      if (l == lang) over(t);
    }
  }
  return out;
}

std::string index_page(const Catalog& catalog, std::string_view lang, renderers::Site site) {
  std::string body = "<h1>";
  renderers::append_html(body, renderers::ui(renderers::Ui::FormsTitle, lang));
  body += "</h1>\n<p class=\"usa-intro\">";
  renderers::append_html(body, renderers::ui(renderers::Ui::FormsIntro, lang));
  body += "</p>\n";
  // The frame's language switch: this page in each language the server has words in.
  site.languages.clear();
  for (const auto& l : page_languages()) site.languages.push_back({l, "/?lang=" + l});
  body += "<ul class=\"usa-card-group\">\n";
  for (const auto& form : catalog.forms()) {
    const model::Form& model = form.plan->form();
    for (const auto& form_lang : model.languages) {
      const std::string query = "?lang=" + form_lang;
      const std::string base = "/forms/" + form.id;
      // The card is in the form's language, its links' words too where the server has them.
      const std::string_view words_lang =
          std::find(page_languages().begin(), page_languages().end(), form_lang) != page_languages().end()
              ? std::string_view(form_lang)
              : lang;
      body += "<li class=\"usa-card tablet:grid-col-6\" lang=\"";
      renderers::append_html(body, form_lang);
      body += "\">\n<div class=\"usa-card__container\">\n<div class=\"usa-card__header\">\n"
              "<h2 class=\"usa-card__heading\">";
      renderers::append_html(body, engine::localized(model.title, form_lang, model));
      body += "</h2>\n<p class=\"margin-bottom-0\">";
      renderers::append_html(body, language_name(form_lang));
      body += "</p>\n</div>\n<div class=\"usa-card__body\">\n";
      const std::string_view description = engine::localized(model.description, form_lang, model);
      if (!description.empty()) {
        body += "<p>";
        renderers::append_html(body, description);
        body += "</p>\n";
      }
      body += "</div>\n<div class=\"usa-card__footer\">\n<ul class=\"usa-list usa-list--unstyled\">\n<li>";
      link(body, base + query, renderers::ui(renderers::Ui::FillOnline, words_lang), "usa-button");
      body += "</li>\n<li class=\"margin-top-1\">";
      link(body, base + ".pdf" + query, renderers::ui(renderers::Ui::PaperForm, words_lang));
      body += "</li>\n<li>";
      link(body, base + ".txt" + query, renderers::ui(renderers::Ui::TextVersion, words_lang));
      body += "</li>\n</ul>\n</div>\n</div>\n</li>\n";
    }
  }
  body += "</ul>\n";
  return page(lang, {std::string(renderers::ui(renderers::Ui::FormsTitle, lang))}, body, site);
}

std::string refused_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site) {
  const model::Form& model = form.plan->form();
  const std::string_view lang =
      std::find(page_languages().begin(), page_languages().end(), form_lang) != page_languages().end() ? form_lang : "en";
  std::string body = "<div class=\"usa-alert usa-alert--error\">\n<div class=\"usa-alert__body\">\n"
                     "<h1 class=\"usa-alert__heading\">";
  renderers::append_html(body, renderers::ui(renderers::Ui::RefusedTitle, lang));
  body += "</h1>\n<p class=\"usa-alert__text\">";
  renderers::append_html(body, renderers::ui(renderers::Ui::RefusedNothingSaved, lang));
  body += "</p>\n</div>\n</div>\n<p class=\"margin-top-4\">";
  renderers::append_html(body, renderers::ui(renderers::Ui::RefusedWhy, lang));
  body += "</p>\n<p>";
  link(body, "/forms/" + form.id + "?lang=" + std::string(form_lang), renderers::ui(renderers::Ui::RefusedBack, lang), "usa-button");
  body += "</p>\n<p>";
  link(body, "/?lang=" + std::string(lang), renderers::ui(renderers::Ui::AllForms, lang));
  body += "</p>\n";
  // The language switch leads to the form's start page: this page answered a post.
  site.languages.clear();
  for (const auto& l : model.languages) site.languages.push_back({l, "/forms/" + form.id + "?lang=" + l});
  return page(lang,
              {std::string(renderers::ui(renderers::Ui::RefusedTitle, lang)),
               std::string(engine::localized(model.title, lang, model))},
              body, site);
}

namespace {

/// The server's words are in English and Spanish: a form's other language gets English.
std::string_view words_language(std::string_view form_lang) {
  return std::find(page_languages().begin(), page_languages().end(), form_lang) != page_languages().end() ? form_lang
                                                                                                          : "en";
}

/// A page about the journey of `form`: an alert with `heading` and `text`, then `links`.
/// The language switch leads to the form's start page: these pages answer a post.
std::string journey_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site,
                         std::string_view cls, renderers::Ui heading, renderers::Ui text,
                         std::initializer_list<std::pair<std::string, renderers::Ui>> links) {
  const model::Form& model = form.plan->form();
  const std::string_view lang = words_language(form_lang);
  std::string body = "<div class=\"usa-alert ";
  body += cls;
  body += "\">\n<div class=\"usa-alert__body\">\n<h1 class=\"usa-alert__heading\">";
  renderers::append_html(body, renderers::ui(heading, lang));
  body += "</h1>\n<p class=\"usa-alert__text\">";
  renderers::append_html(body, renderers::ui(text, lang));
  body += "</p>\n</div>\n</div>\n<ul class=\"usa-list usa-list--unstyled margin-top-4\">\n";
  bool first = true;
  for (const auto& [href, words] : links) {
    body += "<li class=\"margin-bottom-2\">";
    link(body, href, renderers::ui(words, lang), first ? "usa-button" : "usa-link");
    body += "</li>\n";
    first = false;
  }
  body += "</ul>\n";
  site.languages.clear();
  for (const auto& l : model.languages) site.languages.push_back({l, "/forms/" + form.id + "?lang=" + l});
  return page(lang, {std::string(renderers::ui(heading, lang)), std::string(engine::localized(model.title, form_lang, model))},
              body, site);
}

}  // namespace

std::string already_sent_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site,
                              const std::string& receipt_url) {
  return journey_page(form, form_lang, std::move(site), "usa-alert--info", renderers::Ui::AlreadySent, renderers::Ui::AlreadySentText,
                      {{receipt_url, renderers::Ui::SeeReceipt},
                       {"/forms/" + form.id + "?lang=" + std::string(form_lang), renderers::Ui::StartAgain}});
}

std::string deleted_page(const CatalogForm& form, std::string_view form_lang, renderers::Site site) {
  return journey_page(form, form_lang, std::move(site), "usa-alert--success", renderers::Ui::AnswersDeleted,
                      renderers::Ui::AnswersDeletedText,
                      {{"/forms/" + form.id + "?lang=" + std::string(form_lang), renderers::Ui::StartAgain}});
}

void receipt_deliveries(const model::Form& form, const StoredSubmission& stored, renderers::ReceiptInfo& info,
                        const std::vector<AgencyStatus>& statuses, std::optional<model::Date> today,
                        const engine::TimeZone* zone) {
  info.reference = stored.reference;
  info.received = stored.received;
  for (const auto& d : stored.deliveries) {
    for (std::size_t a = 0; a < form.agencies.size(); ++a) {
      if (form.agencies[a].name != d.agency) continue;
      info.agencies.push_back(a);
      info.progress.push_back(today ? agency_progress(form.agencies[a], statuses, stored.date_received, *today, zone)
                                    : agency_progress(form.agencies[a], statuses, {}, {}, zone));
      info.deliveries.push_back(d.state == DeliveryState::Delivered ? renderers::Delivery::Delivered
                                : d.state == DeliveryState::Dead    ? renderers::Delivery::Failed
                                                                    : renderers::Delivery::Pending);
      break;
    }
  }
}

std::string receipt_status_page(const engine::Plan& plan, std::string_view form_lang, const StoredSubmission& stored,
                                renderers::Site site, const renderers::ReceiptInfo& info) {
  const model::Form& form = plan.form();
  const renderers::Wording words(form, form_lang);
  const std::string_view lang = renderers::has_ui_language(words.language()) ? std::string_view(words.language()) : "en";
  std::string body = "<h1>";
  renderers::append_html(body, renderers::ui(renderers::Ui::StatusTitle, lang));
  body += "</h1>\n<p class=\"usa-intro\">";
  renderers::append_html(body, words.title());
  body += "</p>\n<p>";
  renderers::append_html(body, renderers::ui(renderers::Ui::ReferenceNumber, lang));
  body += ": <strong>";
  renderers::append_html(body, stored.reference);
  body += "</strong></p>\n<h2>";
  renderers::append_html(body, renderers::ui(renderers::Ui::AgenciesReceiving, lang));
  body += "</h2>\n";
  // The same list, links and survey as the receipt page's (renderers/html.hpp).
  renderers::append_receipt_agencies_html(body, words, &info);
  if (!words.standard().empty()) {
    body += "<h2>";
    renderers::append_html(body, renderers::ui(renderers::Ui::WhatHappensNext, lang));
    body += "</h2>\n<p>";
    renderers::append_html(body, words.standard());
    body += "</p>\n";
  }
  body += "<div class=\"usa-alert usa-alert--info usa-alert--slim\">\n<div class=\"usa-alert__body\">\n"
          "<p class=\"usa-alert__text\">";
  renderers::append_html(body, renderers::ui(renderers::Ui::StatusNoAnswers, lang));
  body += "</p>\n</div>\n</div>\n";
  renderers::append_receipt_feedback_html(body, words, info);
  // The language switch stays on this page: the session is in a cookie, not the address.
  site.languages.clear();
  for (const auto& l : form.languages) site.languages.push_back({l, "/receipts/status?lang=" + l});
  return page(words.language(), {std::string(renderers::ui(renderers::Ui::StatusTitle, lang)), std::string(words.title())},
              body, site);
}

std::string link_expired_page(std::string_view lang, bool lost_link, renderers::Site site) {
  std::string body = "<h1>";
  renderers::append_html(body, renderers::ui(renderers::Ui::LinkExpiredTitle, lang));
  body += "</h1>\n<p>";
  // Without a relay there is no mail and no "Lost your receipt link?": promise neither.
  renderers::append_html(body, renderers::ui(lost_link ? renderers::Ui::LinkExpiredHow : renderers::Ui::LinkExpiredNoMail, lang));
  body += "</p>\n";
  if (lost_link) {
    body += "<p>";
    link(body, "/receipts/lost?lang=" + std::string(lang), renderers::ui(renderers::Ui::LostLinkTitle, lang), "usa-button");
    body += "</p>\n";
  }
  body += "<p>";
  link(body, "/?lang=" + std::string(lang), renderers::ui(renderers::Ui::AllForms, lang));
  body += "</p>\n";
  // The language switch stays where the page was asked for ("?lang=xx" on the same address:
  // a link already used, expired or unknown, or /receipts/status without a session, answers
  // this page again), without writing the address, which may hold a link's token, into it.
  site.languages.clear();
  for (const auto& l : page_languages()) site.languages.push_back({l, "?lang=" + l});
  return page(lang, {std::string(renderers::ui(renderers::Ui::LinkExpiredTitle, lang))}, body, site);
}

std::string lost_link_page(renderers::Site site, std::string_view lang, const std::string& csrf_token, const std::string& reference,
                           const std::string& email, std::string_view message, bool is_error) {
  using renderers::Ui;
  std::string body = "<h1>";
  renderers::append_html(body, renderers::ui(Ui::LostLinkTitle, lang));
  body += "</h1>\n";
  if (!message.empty()) {
    body += is_error ? "<div class=\"usa-alert usa-alert--error\" role=\"alert\">\n"
                     : "<div class=\"usa-alert usa-alert--success\" role=\"status\">\n";
    body += "<div class=\"usa-alert__body\">\n<p class=\"usa-alert__text\">";
    renderers::append_html(body, message);
    body += "</p>\n</div>\n</div>\n";
  }
  body += "<p>";
  renderers::append_html(body, renderers::ui(Ui::LostLinkIntro, lang));
  body += "</p>\n<form class=\"usa-form\" method=\"post\" action=\"/receipts/lost?lang=";
  renderers::append_html(body, lang);
  body += "\">\n<input type=\"hidden\" name=\"askonce:csrf\" value=\"";
  renderers::append_html(body, csrf_token);
  body += "\">\n<label class=\"usa-label\" for=\"reference\">";
  renderers::append_html(body, renderers::ui(Ui::ReferenceNumber, lang));
  body += "</label>\n<input class=\"usa-input\" id=\"reference\" name=\"reference\" autocomplete=\"off\""
          " spellcheck=\"false\" maxlength=\"20\" value=\"";
  renderers::append_html(body, reference);
  body += "\">\n<label class=\"usa-label\" for=\"email\">";
  renderers::append_html(body, renderers::ui(Ui::EmailAddress, lang));
  body += "</label>\n<input class=\"usa-input\" id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\""
          " maxlength=\"254\" value=\"";
  renderers::append_html(body, email);
  body += "\">\n<button class=\"usa-button\" type=\"submit\">";
  renderers::append_html(body, renderers::ui(Ui::LostLinkSend, lang));
  body += "</button>\n</form>\n";
  site.languages.clear();
  for (const auto& l : page_languages()) site.languages.push_back({l, "/receipts/lost?lang=" + l});
  return page(lang, {std::string(renderers::ui(Ui::LostLinkTitle, lang))}, body, site);
}


std::string site_page(std::string_view lang, std::vector<std::string> title_parts, const std::string& body,
                      const renderers::Site& site) {
  return page(lang, std::move(title_parts), body, site);
}

void append_link(std::string& out, std::string_view href, std::string_view text, std::string_view cls) {
  link(out, href, text, cls);
}

}  // namespace askonce::server
