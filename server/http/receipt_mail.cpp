// server/http/receipt_mail.cpp: the receipt mail and the receipt-link mail, as text and HTML.
#include "server/http/receipt_mail.hpp"

#include <algorithm>
#include <cctype>

#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "renderers/escape.hpp"
#include "renderers/render.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using renderers::Ui;

/// The mail's two bodies, written side by side so they say the same.
struct Bodies {
  std::string text;
  std::string html;

  void heading(std::string_view s) {
    text += std::string(s) + "\n\n";
    html += "<h1>";
    renderers::append_html(html, s);
    html += "</h1>\n";
  }
  void paragraph(std::string_view s) {
    text += std::string(s) + "\n\n";
    html += "<p>";
    renderers::append_html(html, s);
    html += "</p>\n";
  }
  void labelled(std::string_view label, std::string_view value) {
    text += std::string(label) + ": " + std::string(value) + "\n\n";
    html += "<p>";
    renderers::append_html(html, label);
    html += ": <strong>";
    renderers::append_html(html, value);
    html += "</strong></p>\n";
  }
  void list(std::string_view title, const std::vector<std::string>& items) {
    text += std::string(title) + ":\n";
    html += "<h2>";
    renderers::append_html(html, title);
    html += "</h2>\n<ul>\n";
    for (const auto& i : items) {
      text += "- " + i + "\n";
      html += "<li>";
      renderers::append_html(html, i);
      html += "</li>\n";
    }
    text += "\n";
    html += "</ul>\n";
  }
  void section(std::string_view title, std::string_view body) {
    text += std::string(title) + "\n" + std::string(body) + "\n\n";
    html += "<h2>";
    renderers::append_html(html, title);
    html += "</h2>\n<p>";
    renderers::append_html(html, body);
    html += "</p>\n";
  }
  void link(std::string_view intro, std::string_view url) {
    text += std::string(intro) + "\n" + std::string(url) + "\n\n";
    html += "<p>";
    renderers::append_html(html, intro);
    html += "<br>\n<a href=\"";
    renderers::append_html(html, url);
    html += "\">";
    renderers::append_html(html, url);
    html += "</a></p>\n";
  }
  void footer(std::string_view lang) {
    paragraph(renderers::ui(Ui::MailNoAnswers, lang));
    paragraph(renderers::ui(Ui::MailAutomatic, lang));
  }
  std::string html_document(std::string_view lang, std::string_view title) const {
    std::string out = "<!DOCTYPE html>\n<html lang=\"";
    renderers::append_html(out, lang);
    out += "\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
    renderers::append_html(out, title);
    out += "</title>\n</head>\n<body>\n" + html + "</body>\n</html>\n";
    return out;
  }
};

/// The fixed words' language: the form's language when the strings table has it, else English.
std::string words_language(std::string_view lang) {
  return renderers::has_ui_language(lang) ? std::string(lang) : std::string("en");
}

}  // namespace

std::optional<std::string> receipt_address(const engine::Plan& plan, const engine::Submission& submission) {
  const model::Form& form = plan.form();
  for (model::FieldId f = 0; f < form.fields.size(); ++f) {
    const model::Field& field = form.fields[f];
    if (field.kind != model::Kind::Email || field.name != "email" || field.parent == model::no_field) continue;
    const model::Field& group = form.fields[field.parent];
    if (group.kind != model::Kind::Group || group.block != "contact" || group.parent != model::no_field) continue;
    const engine::Answer* answer = engine::find(plan, submission.answers, f);
    if (!answer || !answer->shown || answer->value.blank() || answer->value.text.empty()) return std::nullopt;
    return answer->value.text;
  }
  return std::nullopt;
}

std::optional<std::string> contact_hash(std::string_view key, std::string_view address) {
  std::string text(address);
  text.erase(0, text.find_first_not_of(" \t\r\n"));
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  if (text.empty() || text.size() > 254) return std::nullopt;
  auto canonical = engine::canonical_email(text);
  if (!canonical) return std::nullopt;
  std::transform(canonical->begin(), canonical->end(), canonical->begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "hmac-sha256:" + hmac_sha256_b64url(key, *canonical);
}

NewMail receipt_mail(const ReceiptMailInput& in, const std::string& reference) {
  const model::Form& form = in.plan->form();
  const renderers::Wording words(form, in.language);
  const std::string lang = words_language(words.language());
  renderers::ReceiptInfo info;
  for (const auto& name : in.agencies) {
    for (std::size_t a = 0; a < form.agencies.size(); ++a) {
      if (form.agencies[a].name == name) info.agencies.push_back(a);
    }
  }
  Bodies b;
  b.heading(renderers::ui(Ui::ApplicationReceived, lang));
  b.paragraph(words.title());
  b.labelled(renderers::ui(Ui::ReferenceNumber, lang), reference);
  if (info.agencies.empty()) {
    b.paragraph(renderers::ui(Ui::NoAgencies, lang));
  } else {
    b.list(renderers::ui(Ui::AgenciesReceiving, lang), renderers::receipt_agency_lines(words, info));
  }
  if (!words.standard().empty()) b.section(renderers::ui(Ui::WhatHappensNext, lang), words.standard());
  b.link(renderers::ui(Ui::MailReceiptLink, lang, {std::to_string(in.link_days)}), in.link_url);
  b.footer(lang);
  NewMail m;
  m.kind = "receipt";
  m.language = words.language();
  m.recipient = in.recipient;
  // The form's title only: a subject is seen in lists, notifications and logs.
  m.subject = renderers::ui(Ui::MailReceiptSubject, lang, {words.title()});
  m.text = std::move(b.text);
  m.html = b.html_document(words.language(), m.subject);
  return m;
}

NewMail receipt_link_mail(const ReceiptMailInput& in, const std::string& reference) {
  const model::Form& form = in.plan->form();
  const renderers::Wording words(form, in.language);
  const std::string lang = words_language(words.language());
  Bodies b;
  b.heading(renderers::ui(Ui::MailLinkSubject, lang));
  b.paragraph(renderers::ui(Ui::MailLinkIntro, lang, {reference}));
  b.paragraph(words.title());
  b.link(renderers::ui(Ui::MailReceiptLink, lang, {std::to_string(in.link_days)}), in.link_url);
  b.footer(lang);
  NewMail m;
  m.kind = "receipt_link";
  m.language = words.language();
  m.recipient = in.recipient;
  m.subject = std::string(renderers::ui(Ui::MailLinkSubject, lang));
  m.text = std::move(b.text);
  m.html = b.html_document(words.language(), m.subject);
  return m;
}

NewMail status_update_mail(const ReceiptMailInput& in, const std::string& reference) {
  const renderers::Wording words(in.plan->form(), in.language);
  const std::string lang = words_language(words.language());
  Bodies b;
  b.heading(renderers::ui(Ui::StatusMailSubject, lang));
  b.paragraph(renderers::ui(Ui::StatusMailIntro, lang, {reference}));
  b.paragraph(words.title());
  b.link(renderers::ui(Ui::MailReceiptLink, lang, {std::to_string(in.link_days)}), in.link_url);
  b.footer(lang);
  NewMail m;
  m.kind = "status";
  m.language = words.language();
  m.recipient = in.recipient;
  m.subject = std::string(renderers::ui(Ui::StatusMailSubject, lang));
  m.text = std::move(b.text);
  m.html = b.html_document(words.language(), m.subject);
  return m;
}

NewMail address_changed_mail(const ReceiptMailInput& in, const std::string& reference) {
  const renderers::Wording words(in.plan->form(), in.language);
  const std::string lang = words_language(words.language());
  Bodies b;
  b.heading(renderers::ui(Ui::AmendMailSubject, lang));
  b.paragraph(renderers::ui(Ui::AmendMailText, lang, {reference}));
  b.paragraph(words.title());
  b.footer(lang);
  NewMail m;
  m.kind = "address_changed";
  m.language = words.language();
  m.recipient = in.recipient;
  m.subject = std::string(renderers::ui(Ui::AmendMailSubject, lang));
  m.text = std::move(b.text);
  m.html = b.html_document(words.language(), m.subject);
  return m;
}

NewMail resume_mail(const ReceiptMailInput& in) {
  const renderers::Wording words(in.plan->form(), in.language);
  const std::string lang = words_language(words.language());
  Bodies b;
  b.heading(renderers::ui(Ui::SavedTitle, lang));
  b.paragraph(words.title());
  b.link(renderers::ui(Ui::ResumeMailLink, lang, {std::to_string(in.link_days)}), in.link_url);
  b.paragraph(renderers::ui(Ui::ResumeMailAsk, lang));
  b.footer(lang);
  NewMail m;
  m.kind = "resume";
  m.language = words.language();
  m.recipient = in.recipient;
  m.subject = renderers::ui(Ui::ResumeMailSubject, lang, {words.title()});
  m.text = std::move(b.text);
  m.html = b.html_document(words.language(), m.subject);
  return m;
}

}  // namespace askonce::server
