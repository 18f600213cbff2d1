// server/http/staff_pages.cpp: the /staff/ pages (staff_pages.hpp).
#include "server/http/staff_pages.hpp"

#include <chrono>
#include <ctime>

#include "renderers/escape.hpp"
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
  std::string value;
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

std::string iso_utc(TimePoint t) {
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
  body += "</p>\n<p>";
  append_html(body, words(f, Ui::StaffNothingToKey));
  body += "</p>\n<p>";
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
      append_html(body, iso_utc(e.at));
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
