// server/http/staff_pages.cpp: the /staff/ pages (staff_pages.hpp).
#include "server/http/staff_pages.hpp"

#include <chrono>
#include <ctime>

#include "renderers/escape.hpp"
#include "renderers/frame.hpp"
#include "renderers/strings.hpp"
#include "server/http/web_pages.hpp"
#include "server/staff/qr.hpp"

namespace askonce::server {
namespace {

using renderers::Ui;
using renderers::append_html;

std::string_view words(const StaffFrame& f, Ui key) { return renderers::ui(key, f.language); }

void alert(std::string& body, std::string_view kind, std::string_view text) {
  body += "<div class=\"usa-alert usa-alert--";
  body += kind;
  body += kind == "error" ? "\" role=\"alert\">\n" : "\" role=\"status\">\n";
  body += "<div class=\"usa-alert__body\">\n<p class=\"usa-alert__text\">";
  append_html(body, text);
  body += "</p>\n</div>\n</div>\n";
}

void hidden(std::string& body, std::string_view name, std::string_view value) {
  body += "<input type=\"hidden\" name=\"";
  append_html(body, name);
  body += "\" value=\"";
  append_html(body, value);
  body += "\">\n";
}

struct Input {
  std::string id;
  std::string_view label;
  std::string_view hint;
  std::string_view type = "text";
  std::string_view autocomplete = "off";
  std::string value{};
  int maxlength = 64;
  bool numeric = false;
  bool error = false;
};

void input(std::string& body, const Input& in) {
  body += "<div class=\"usa-form-group";
  if (in.error) body += " usa-form-group--error";
  body += "\">\n<label class=\"usa-label\" for=\"";
  append_html(body, in.id);
  body += "\">";
  append_html(body, in.label);
  body += "</label>\n";
  if (!in.hint.empty()) {
    body += "<div class=\"usa-hint\" id=\"";
    append_html(body, in.id);
    body += "-hint\">";
    append_html(body, in.hint);
    body += "</div>\n";
  }
  body += in.error ? "<input class=\"usa-input usa-input--error\" aria-invalid=\"true\"" : "<input class=\"usa-input\"";
  body += " id=\"";
  append_html(body, in.id);
  body += "\" name=\"";
  append_html(body, in.id);
  body += "\" type=\"";
  append_html(body, in.type);
  body += "\" autocomplete=\"";
  append_html(body, in.autocomplete);
  body += "\" spellcheck=\"false\" autocapitalize=\"none\" maxlength=\"" + std::to_string(in.maxlength) + "\"";
  if (in.numeric) body += " inputmode=\"numeric\"";
  if (!in.hint.empty()) {
    body += " aria-describedby=\"";
    append_html(body, in.id);
    body += "-hint\"";
  }
  if (in.type != "password") {
    body += " value=\"";
    append_html(body, in.value);
    body += "\"";
  }
  body += ">\n</div>\n";
}

void form_open(std::string& body, const StaffFrame& f, std::string_view action) {
  body += "<form class=\"usa-form usa-form--large\" method=\"post\" action=\"";
  append_html(body, std::string(action) + "?lang=" + f.language);
  body += "\" novalidate>\n";
  hidden(body, "askonce:csrf", f.csrf_token);
}

void button(std::string& body, std::string_view text, std::string_view cls = "usa-button") {
  body += "<button class=\"";
  append_html(body, cls);
  body += "\" type=\"submit\">";
  append_html(body, text);
  body += "</button>\n";
}

std::string page(const StaffFrame& f, Ui title, const std::string& body) {
  return site_page(f.language, {std::string(words(f, title))}, body, f.site);
}

std::string audit_time(TimePoint t) {
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

}  // namespace

void append_qr_svg(std::string& out, std::string_view text, std::string_view label) {
  const staff::QrCode qr = staff::qr_encode(text);
  const int quiet = 4;  // the white margin scanners need, in modules
  const int side = qr.size + 2 * quiet;
  const std::string s = std::to_string(side);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"display-block\" viewBox=\"0 0 " + s + " " + s +
         "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"";
  append_html(out, label);
  out += "\">\n<rect width=\"" + s + "\" height=\"" + s + "\" fill=\"#ffffff\"/>\n<path fill=\"#000000\" d=\"";
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (qr.at(x, y)) out += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    }
  }
  out += "\"/>\n</svg>\n";
}

std::string staff_sign_in_page(const StaffFrame& f, const std::string& name, std::string_view message, bool info) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffSignInTitle));
  body += "</h1>\n";
  if (!message.empty()) alert(body, info ? "info" : "error", message);
  form_open(body, f, "/staff/sign-in");
  const bool error = !message.empty() && !info;
  input(body, {"name", words(f, Ui::StaffName), {}, "text", "username", name, 64, false, error});
  input(body, {"password", words(f, Ui::StaffPassword), {}, "password", "current-password", {}, 256, false, error});
  button(body, words(f, Ui::StaffSignIn));
  body += "</form>\n";
  return page(f, Ui::StaffSignInTitle, body);
}

std::string staff_code_page(const StaffFrame& f, const std::string& name, const std::string& code,
                            std::string_view message) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffCodeTitle));
  body += "</h1>\n";
  if (!message.empty()) alert(body, "error", message);
  body += "<p>";
  append_html(body, renderers::ui(Ui::StaffCodeIntro, f.language, {name}));
  body += "</p>\n";
  form_open(body, f, "/staff/code");
  input(body, {"code", words(f, Ui::StaffCodeLabel), words(f, Ui::StaffCodeHint), "text", "one-time-code", code, 32, false,
               !message.empty()});
  button(body, words(f, Ui::StaffContinue));
  body += "</form>\n";
  return page(f, Ui::StaffCodeTitle, body);
}

std::string staff_set_up_page(const StaffFrame& f, const SetUpPage& p) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffSetUpTitle));
  body += "</h1>\n";
  if (!p.message.empty()) {
    alert(body, "error", p.message);
    body += "<p>";
    append_html(body, words(f, Ui::StaffRetypePasswords));
    body += "</p>\n";
  }
  body += "<p class=\"usa-intro\">";
  append_html(body, words(f, Ui::StaffSetUpIntro));
  body += "</p>\n";
  form_open(body, f, "/staff/set-up");
  hidden(body, "sealed", p.sealed_secret);
  // A hidden username field: password managers then save the new password under the name.
  body += "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"";
  append_html(body, p.name);
  body += "\">\n";
  const bool error = !p.message.empty();
  input(body, {"password", words(f, Ui::StaffNewPassword), words(f, Ui::StaffNewPasswordHint), "password", "new-password",
               {}, 256, false, false});
  input(body, {"confirm", words(f, Ui::StaffConfirmPassword), {}, "password", "new-password", {}, 256, false, false});
  body += "<h2>";
  append_html(body, words(f, Ui::StaffScanTitle));
  body += "</h2>\n<p>";
  append_html(body, words(f, Ui::StaffScanIntro));
  body += "</p>\n";
  append_qr_svg(body, p.otpauth_uri, words(f, Ui::StaffQrLabel));
  body += "<p>";
  append_html(body, words(f, Ui::StaffSecretLabel));
  body += ": <strong class=\"font-mono-md\" id=\"totp-secret\">";
  // In groups of 4, as apps show keys: easier to type and to check.
  std::string grouped;
  for (std::size_t i = 0; i < p.secret_base32.size(); ++i) {
    if (i > 0 && i % 4 == 0) grouped += ' ';
    grouped += p.secret_base32[i];
  }
  append_html(body, grouped);
  body += "</strong></p>\n";
  input(body, {"code", words(f, Ui::StaffConfirmCode), words(f, Ui::StaffCodeHint), "text", "one-time-code", p.code, 32,
               true, error});
  button(body, words(f, Ui::StaffSetUpButton));
  body += "</form>\n";
  return page(f, Ui::StaffSetUpTitle, body);
}

std::string staff_recovery_page(const StaffFrame& f, const std::vector<std::string>& codes) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffRecoveryTitle));
  body += "</h1>\n<p>";
  append_html(body, words(f, Ui::StaffRecoveryIntro));
  body += "</p>\n<ul class=\"usa-list font-mono-md\" id=\"recovery-codes\">\n";
  for (const auto& c : codes) {
    body += "<li>";
    append_html(body, c);
    body += "</li>\n";
  }
  body += "</ul>\n<p>";
  append_link(body, "/staff?lang=" + f.language, words(f, Ui::StaffGoHome), "usa-button");
  body += "</p>\n";
  return page(f, Ui::StaffRecoveryTitle, body);
}

std::string staff_home_page(const StaffFrame& f, const StaffAccount& who, std::int64_t recovery_left,
                            std::string_view notice) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffHomeTitle));
  body += "</h1>\n";
  if (!notice.empty()) alert(body, "info", notice);
  body += "<p id=\"signed-in-as\">";
  append_html(body, renderers::ui(Ui::StaffSignedInAs, f.language, {who.name}));
  body += "</p>\n<p id=\"role\">";
  append_html(body, renderers::ui(Ui::StaffRoleIs, f.language,
                                  {words(f, who.role == "supervisor" ? Ui::StaffRoleSupervisor : Ui::StaffRoleAgent)}));
  body += "</p>\n<ul class=\"usa-list\">\n<li>";
  append_link(body, "/staff/key?lang=" + f.language, words(f, Ui::StaffKeyLink));
  body += "</li>\n<li>";
  append_link(body, "/staff/paper?lang=" + f.language, words(f, Ui::PaperFindTitle));
  body += "</li>\n</ul>\n<p>";
  append_html(body, renderers::ui(Ui::StaffRecoveryLeft, f.language, {std::to_string(recovery_left)}));
  body += "</p>\n";
  if (who.role == "supervisor") {
    body += "<p>";
    append_link(body, "/staff/audit?lang=" + f.language, words(f, Ui::StaffAuditTitle));
    body += "</p>\n";
  }
  body += "<form method=\"post\" action=\"";
  append_html(body, "/staff/sign-out?lang=" + f.language);
  body += "\">\n";
  hidden(body, "askonce:csrf", f.csrf_token);
  button(body, words(f, Ui::StaffSignOut), "usa-button usa-button--outline");
  body += "</form>\n";
  return page(f, Ui::StaffHomeTitle, body);
}

namespace {

/// The problem `p.errors` has for input `id`, or empty.
std::string_view problem(const KeyStartPage& p, std::string_view id) {
  for (const auto& [k, v] : p.errors) {
    if (k == id) return v;
  }
  return {};
}

void error_message(std::string& body, std::string_view id, std::string_view message) {
  if (message.empty()) return;
  body += "<span class=\"usa-error-message\" id=\"";
  append_html(body, id);
  body += "-error\">";
  append_html(body, message);
  body += "</span>\n";
}

/// A fieldset of radios named `name`: (value, label) each, `chosen` checked.
void radios(std::string& body, std::string_view name, std::string_view legend, std::string_view chosen,
            const std::vector<std::pair<std::string, std::string>>& options, std::string_view error) {
  body += error.empty() ? "<div class=\"usa-form-group\">\n" : "<div class=\"usa-form-group usa-form-group--error\">\n";
  body += "<fieldset class=\"usa-fieldset\"";
  if (!error.empty()) {
    body += " aria-describedby=\"";
    append_html(body, name);
    body += "-error\"";
  }
  body += ">\n<legend class=\"usa-legend\">";
  append_html(body, legend);
  body += "</legend>\n";
  error_message(body, name, error);
  std::size_t i = 0;
  for (const auto& [value, label] : options) {
    const std::string id = std::string(name) + "-" + std::to_string(++i);
    body += "<div class=\"usa-radio\">\n<input class=\"usa-radio__input\" type=\"radio\" id=\"";
    append_html(body, id);
    body += "\" name=\"";
    append_html(body, name);
    body += "\" value=\"";
    append_html(body, value);
    body += "\"";
    if (value == chosen) body += " checked";
    body += ">\n<label class=\"usa-radio__label\" for=\"";
    append_html(body, id);
    body += "\">";
    append_html(body, label);
    body += "</label>\n</div>\n";
  }
  body += "</fieldset>\n</div>\n";
}

/// The errors at the top of a page, each linking to its input.
void error_summary(std::string& body, const StaffFrame& f, const std::vector<std::pair<std::string, std::string>>& errors,
                   const std::map<std::string, std::string>& targets) {
  if (errors.empty()) return;
  body += "<div class=\"usa-alert usa-alert--error\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\">\n"
          "<div class=\"usa-alert__body\">\n<h2 class=\"usa-alert__heading\">";
  append_html(body, words(f, Ui::ThereIsAProblem));
  body += "</h2>\n<ul class=\"usa-list usa-list--unstyled\">\n";
  for (const auto& [id, message] : errors) {
    body += "<li>";
    const auto t = targets.find(id);
    append_link(body, "#" + (t == targets.end() ? id : t->second), message);
    body += "</li>\n";
  }
  body += "</ul>\n</div>\n</div>\n";
}

}  // namespace

std::string staff_key_page(const StaffFrame& f, const KeyStartPage& p) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::KeyTitle));
  body += "</h1>\n";
  if (!p.notice.empty()) alert(body, "info", p.notice);
  error_summary(body, f, p.errors,
                {{"channel", "channel-1"}, {"form", "form-1"}, {"language", "language-1"}, {"arrived", "arrived-month"}});
  body += "<p class=\"usa-intro\">";
  append_html(body, words(f, Ui::KeyIntro));
  body += "</p>\n";
  form_open(body, f, "/staff/key");
  radios(body, "channel", words(f, Ui::KeyChannel), p.channel,
         {{"phone", std::string(words(f, Ui::KeyByPhone))},
          {"in_person", std::string(words(f, Ui::KeyInPerson))},
          {"mail", std::string(words(f, Ui::KeyByMail))}},
         problem(p, "channel"));
  std::vector<std::pair<std::string, std::string>> forms;
  for (const auto& c : p.forms) forms.emplace_back(c.id, c.title);
  radios(body, "form", words(f, Ui::KeyForm), p.form, forms, problem(p, "form"));
  std::vector<std::pair<std::string, std::string>> languages;
  for (const auto& l : page_languages()) languages.emplace_back(l, std::string(renderers::language_name(l)));
  radios(body, "language", words(f, Ui::KeyLanguage), p.language.empty() ? f.language : p.language, languages,
         problem(p, "language"));

  body += "<h2>";
  append_html(body, words(f, Ui::KeyMailOnly));
  body += "</h2>\n";
  // The day the envelope arrived: the memorable-date pattern, as the citizens' dates are.
  const std::string_view arrived_error = problem(p, "arrived");
  body += arrived_error.empty() ? "<div class=\"usa-form-group\">\n" : "<div class=\"usa-form-group usa-form-group--error\">\n";
  body += "<fieldset class=\"usa-fieldset\" aria-describedby=\"arrived-hint";
  if (!arrived_error.empty()) body += " arrived-error";
  body += "\">\n<legend class=\"usa-legend\">";
  append_html(body, words(f, Ui::KeyArrived));
  body += "</legend>\n<div class=\"usa-hint\" id=\"arrived-hint\">";
  append_html(body, words(f, Ui::KeyArrivedHint));
  body += "</div>\n";
  error_message(body, "arrived", arrived_error);
  body += "<div class=\"usa-memorable-date\">\n";
  const std::pair<const char*, std::pair<Ui, const std::string*>> parts[] = {
      {"month", {Ui::Month, &p.month}}, {"day", {Ui::Day, &p.day}}, {"year", {Ui::Year, &p.year}}};
  for (const auto& [part, what] : parts) {
    const std::string id = std::string("arrived-") + part;
    body += std::string("<div class=\"usa-form-group usa-form-group--") + part + "\">\n<label class=\"usa-label\" for=\"" + id + "\">";
    append_html(body, words(f, what.first));
    body += "</label>\n<input class=\"usa-input" + std::string(arrived_error.empty() ? "" : " usa-input--error") +
            "\" id=\"" + id + "\" name=\"" + id + "\" type=\"text\" inputmode=\"numeric\" maxlength=\"" +
            (std::string_view(part) == "year" ? "4" : "2") + "\" value=\"";
    append_html(body, *what.second);
    body += "\">\n</div>\n";
  }
  body += "</div>\n</fieldset>\n</div>\n";
  Input code{"code", words(f, Ui::KeyCode), words(f, Ui::KeyCodeHint)};
  code.value = p.code;
  code.maxlength = 200;
  code.error = !problem(p, "code").empty();
  std::string code_html;
  input(code_html, code);
  if (code.error) {
    // The message goes under the label, as USWDS places it.
    std::string message;
    error_message(message, "code", problem(p, "code"));
    const auto at = code_html.find("<input");
    code_html.insert(at, message);
  }
  body += code_html;
  button(body, words(f, Ui::KeyStart));
  body += "</form>\n";
  return page(f, Ui::KeyTitle, body);
}

std::string staff_paper_page(const StaffFrame& f, const PaperFoundPage& p) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::PaperFindTitle));
  body += "</h1>\n<p>";
  append_html(body, words(f, Ui::PaperFindIntro));
  body += "</p>\n";
  if (!p.message.empty()) alert(body, "error", p.message);
  body += "<form class=\"usa-form usa-form--large\" method=\"get\" action=\"/staff/paper\">\n";
  hidden(body, "lang", f.language);
  Input code{"code", words(f, Ui::KeyCode), words(f, Ui::KeyCodeHint)};
  code.value = p.code;
  code.maxlength = 200;
  code.error = !p.message.empty();
  input(body, code);
  button(body, words(f, Ui::PaperFind));
  body += "</form>\n";
  if (p.found) {
    body += "<div class=\"usa-summary-box margin-top-4\" role=\"region\" aria-labelledby=\"found-title\">\n"
            "<div class=\"usa-summary-box__body\">\n<h2 class=\"usa-summary-box__heading\" id=\"found-title\">";
    append_html(body, renderers::ui(Ui::PaperFoundPage, f.language,
                                    {std::to_string(p.page), p.title, std::to_string(p.version)}));
    body += "</h2>\n<div class=\"usa-summary-box__text\">\n<p id=\"printing\">";
    append_html(body, words(f, p.current ? Ui::PaperCurrent : Ui::PaperOlder));
    body += "</p>\n<p>";
    append_html(body, words(f, Ui::PaperDefinition));
    body += ": <code id=\"definition\">";
    append_html(body, p.definition_hash);
    body += "</code></p>\n<p>";
    append_link(body, "/staff/key?lang=" + f.language + "&channel=mail&form=" + p.form_id + "&code=" + p.code,
                words(f, Ui::PaperKeyThis), "usa-button");
    body += "</p>\n</div>\n</div>\n</div>\n";
  }
  return page(f, Ui::PaperFindTitle, body);
}

std::string staff_keyed_page(const StaffFrame& f, const KeyedPage& p) {
  std::string body = "<div class=\"usa-alert usa-alert--success\">\n<div class=\"usa-alert__body\">\n"
                     "<h1 class=\"usa-alert__heading\">";
  append_html(body, words(f, Ui::KeySentTitle));
  body += "</h1>\n<p class=\"usa-alert__text\">";
  append_html(body, p.form_title);
  body += "</p>\n</div>\n</div>\n<div class=\"usa-summary-box margin-top-4\" role=\"region\" aria-labelledby=\"reference-title\">\n"
          "<div class=\"usa-summary-box__body\">\n<h2 class=\"usa-summary-box__heading\" id=\"reference-title\">";
  append_html(body, words(f, Ui::ReferenceNumber));
  body += "</h2>\n<div class=\"usa-summary-box__text\">\n<p class=\"font-mono-lg text-bold\" id=\"reference\">";
  append_html(body, p.reference);
  body += "</p>\n<p id=\"read-reference\">";
  append_html(body, p.read_reference);
  body += "</p>\n</div>\n</div>\n</div>\n<p id=\"keyed-by\">";
  append_html(body, p.keyed_by);
  body += "</p>\n<ul class=\"usa-list\" id=\"agencies\">\n";
  for (const auto& line : p.agency_lines) {
    body += "<li>";
    append_html(body, line);
    body += "</li>\n";
  }
  body += "</ul>\n";
  for (const auto& [agency, url] : p.answer_links) {
    body += "<p>";
    append_link(body, url, std::string(words(f, Ui::AnswerAgency)) + ": " + agency, "usa-link");
    body += "</p>\n";
  }
  body += "<p id=\"receipt-mail\">";
  append_html(body, words(f, p.mailed ? Ui::KeyMailed : Ui::KeyNotMailed));
  body += "</p>\n<p>";
  append_link(body, p.receipt_pdf_url, words(f, Ui::KeyPrintReceipt), "usa-button");
  append_link(body, "/staff/key?lang=" + f.language, words(f, Ui::KeyAnother), "usa-button usa-button--outline");
  body += "</p>\n";
  if (p.feedback) renderers::append_feedback_html(body, *p.feedback, p.feedback_language);
  else if (p.feedback_note) renderers::append_feedback_note_html(body, *p.feedback_note, f.language);
  return page(f, Ui::KeySentTitle, body);
}

std::string staff_audit_page(const StaffFrame& f, const std::vector<AuditEntry>& entries,
                             const std::map<std::int64_t, std::string>& names, const std::string& older) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffAuditTitle));
  body += "</h1>\n<p>";
  append_html(body, words(f, Ui::StaffAuditIntro));
  body += "</p>\n";
  if (entries.empty()) {
    body += "<p>";
    append_html(body, words(f, Ui::StaffAuditEmpty));
    body += "</p>\n";
  } else {
    body += "<table class=\"usa-table usa-table--borderless\" id=\"audit\">\n<caption>";
    append_html(body, words(f, Ui::StaffAuditTitle));
    body += "</caption>\n<thead>\n<tr>";
    for (Ui h : {Ui::StaffAuditNumber, Ui::StaffAuditWhen, Ui::StaffAuditWho, Ui::StaffAuditWhat, Ui::StaffAuditChannel,
                 Ui::StaffAuditReference, Ui::StaffAuditDetail}) {
      body += "<th scope=\"col\">";
      append_html(body, words(f, h));
      body += "</th>";
    }
    body += "</tr>\n</thead>\n<tbody>\n";
    for (const auto& e : entries) {
      std::string who;
      if (e.staff_id) {
        const auto it = names.find(*e.staff_id);
        who = it != names.end() ? it->second : "#" + std::to_string(*e.staff_id);
      } else {
        who = words(f, Ui::StaffAuditUnknown);
      }
      body += "<tr><th scope=\"row\">" + std::to_string(e.seq) + "</th><td>";
      append_html(body, audit_time(e.at));
      for (const std::string* cell : std::initializer_list<const std::string*>{&who, &e.event, &e.channel, &e.reference, &e.detail}) {
        body += "</td><td>";
        append_html(body, *cell);
      }
      body += "</td></tr>\n";
    }
    body += "</tbody>\n</table>\n";
  }
  if (!older.empty()) {
    body += "<p>";
    append_link(body, older, words(f, Ui::StaffAuditOlder));
    body += "</p>\n";
  }
  body += "<p>";
  append_link(body, "/staff?lang=" + f.language, words(f, Ui::StaffGoHome));
  body += "</p>\n";
  return page(f, Ui::StaffAuditTitle, body);
}

std::string staff_forbidden_page(const StaffFrame& f) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffForbiddenTitle));
  body += "</h1>\n<p>";
  append_html(body, words(f, Ui::StaffForbidden));
  body += "</p>\n<p>";
  append_link(body, "/staff?lang=" + f.language, words(f, Ui::StaffGoHome));
  body += "</p>\n";
  return page(f, Ui::StaffForbiddenTitle, body);
}

std::string staff_refused_page(const StaffFrame& f) {
  std::string body = "<h1>";
  append_html(body, words(f, Ui::StaffSignInTitle));
  body += "</h1>\n";
  alert(body, "error", words(f, Ui::StaffPostRefused));
  body += "<p>";
  append_link(body, "/staff/sign-in?lang=" + f.language, words(f, Ui::StaffSignIn));
  body += "</p>\n";
  return page(f, Ui::StaffSignInTitle, body);
}

}  // namespace askonce::server
