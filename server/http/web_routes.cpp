// server/http/web_routes.cpp: the citizens' pages. HTML that works without JavaScript: the list of
// forms, each form in each of its languages (start page, paper PDF, plain text), the journey (one
// step per section, check your answers, submit), the receipt (web page, PDF, text), and the
// USWDS files the pages use. Every page has the frame the deployment's site.* settings describe
// (site_of).
//
// The journey (GOV.UK's and VA.gov's pattern):
//   GET  /forms/{id}                    the start page; "Start now" links to the first step
//   GET  /forms/{id}/steps/{section}    one step, with the answers so far (a GET creates nothing)
//   POST /forms/{id}/steps/{section}    Continue: check this step only, save it in the draft, go
//                                       on (303) to the next step shown; a repeat's Add/Remove
//   GET  /forms/{id}/check              check your answers, Change links, the declaration
//   POST /forms/{id}/check              Submit application: the only post that sends anything
//   POST /forms/{id}/delete             Delete my answers
// `?return=check` on a step: Continue comes back to check your answers. `?lang=` on every
// address the journey makes.
//
// Answers in progress are a draft in the store; the browser holds only its id, in a session
// cookie per form (set_draft_cookie). Submit is keyed by the draft (idempotency scope
// "draft/{form id}", key the draft id) and consumes it in the same transaction, so a double
// click, two tabs, and Back then Submit store one application; a post of a draft already sent
// answers "You already sent this application" with the receipt's link (Store::replay).
//
// A post is trusted only with a CSRF token (a double-submit cookie: GET sets a random cookie,
// the page carries HMAC(csrf_key, cookie) in askonce:csrf, and a post must bring both) and an
// Origin, when it has one, of this host; otherwise 403 and nothing is saved. The askonce:
// controls are removed before the engine sees the answers (web_post.hpp); Submit goes through
// submit() like every other submission.
//
// A receipt needs its reference and its key: a wrong key, no key and an unknown reference all
// get the router's own 404, so a receipt link cannot be used to learn which references exist.
// It is drawn from the stored canonical document under the definition it was checked against
// (Catalog::plan_for), so a form changed on disk still shows its old receipts.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>
#include <Poco/String.h>

#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "renderers/html.hpp"
#include "renderers/registry.hpp"
#include "renderers/script.hpp"
#include "server/http/app.hpp"
#include "renderers/strings.hpp"
#include "server/http/http.hpp"
#include "server/http/receipt_mail.hpp"
#include "server/store/reference.hpp"
#include "server/http/submit.hpp"
#include "server/http/web_pages.hpp"
#include "server/http/web_post.hpp"

#ifndef ASKONCE_SOURCE_DIR
#define ASKONCE_SOURCE_DIR "."
#endif

namespace askonce::server {
namespace {

namespace fs = std::filesystem;

/// The router's answer to an address that matches nothing; a receipt that cannot be shown
/// gets exactly this, whatever the reason.
constexpr std::string_view nothing_here = "There is nothing at this address.";
constexpr std::string_view csrf_field = "askonce:csrf";
/// Forms and their scripts change only when the server restarts with other forms.
constexpr std::string_view document_cache = "public, max-age=300";
/// The USWDS files change only when node_modules does. Their addresses carry no version, so
/// a week rather than a year: an upgrade reaches every browser within days.
constexpr std::string_view asset_cache = "public, max-age=604800";
/// A file whose URL names its content hash never changes.
constexpr std::string_view runtime_cache = "public, max-age=31536000, immutable";

// ---- shared pieces ---------------------------------------------------------------------------

const CatalogForm* find_form(Exchange& ex) {
  const CatalogForm* form = ex.app.catalog().find(ex.params.at(0));
  if (!form) ex.fail(404, nothing_here);
  return form;
}

/// The page's language among the form's (web_pages.hpp, choose_language).
std::string language(const Exchange& ex, const std::vector<std::string>& offered) {
  return choose_language(ex.query("lang"), ex.header("Accept-Language"), offered);
}

/// Vary: Accept-Language, when the language was chosen by it rather than by ?lang=.
void vary(Exchange& ex) {
  if (!ex.query("lang")) ex.response.set("Vary", "Accept-Language");
}

/// A token we issued looks like this: URL-safe base64, of a sensible length.
bool plausible_token(std::string_view t) {
  if (t.size() < 16 || t.size() > 64) return false;
  for (char c : t) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string cookie_name(const App& app) {
  // __Host-: the browser keeps it only when it is Secure, for Path=/ and this host alone.
  return app.config().secure_cookies ? "__Host-askonce-csrf" : "askonce-csrf";
}

/// The CSRF cookie the request carries, when it is one we could have issued; empty otherwise.
std::string request_cookie(const Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string value = cookies.get(cookie_name(ex.app), "");
  return plausible_token(value) ? value : std::string();
}

/// The request's CSRF cookie, or a new one, set on the response.
std::string ensure_cookie(Exchange& ex) {
  if (std::string existing = request_cookie(ex); !existing.empty()) return existing;
  std::string value = random_token(32);
  Poco::Net::HTTPCookie cookie(cookie_name(ex.app), value);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  cookie.setSecure(ex.app.config().secure_cookies);
  ex.response.addCookie(cookie);
  return value;
}

std::string csrf_token(const App& app, std::string_view cookie) { return hmac_sha256_b64url(app.csrf_key(), cookie); }

/// An Origin header that is present and names another site than this one: another than
/// server.public_origin when it is set (behind a proxy that does not pass the Host on),
/// otherwise another than this request's Host.
bool foreign_origin(const Exchange& ex) {
  const std::string origin = ex.header("Origin");
  if (origin.empty()) return false;  // older browsers and other clients: the token still decides
  const std::string& configured = ex.app.config().public_origin;  // lower-case already
  if (!configured.empty()) return Poco::toLower(origin) != configured;
  std::string host = ex.header("Host");
  if (host.empty()) return true;
  const std::string o = Poco::toLower(origin), h = Poco::toLower(host);
  if (o == "https://" + h) return false;
  return ex.app.config().secure_cookies || o != "http://" + h;
}

/// The request has a body this handler will not read: the connection cannot be reused.
void close_if_unread_body(Exchange& ex) {
  if (ex.request.getChunkedTransferEncoding() || ex.request.getContentLength64() > 0) ex.response.setKeepAlive(false);
}

const renderers::Renderer& renderer(std::string_view name) {
  const renderers::Renderer* r = renderers::find_renderer(name);
  if (!r) throw std::logic_error("no renderer called " + std::string(name));
  return *r;
}

// ---- GET / and the forms -----------------------------------------------------------------------

void index(Exchange& ex) {
  const std::string lang = language(ex, page_languages());
  vary(ex);
  ex.send(200, "text/html; charset=utf-8", index_page(ex.app.catalog(), lang, site_of(ex.app.config())));
}

/// GET /forms/{id}: the form's start page. Its "Start now" is a link to the first step:
/// starting stores nothing, and a GET never does.
void start_page(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return;
  renderers::RenderRequest request;
  request.plan = form->plan.get();
  request.language = language(ex, form->plan->form().languages);
  request.document = renderers::Document::Start;
  request.site = site_of(ex.app.config(), form->id);
  const auto& html = renderer("html");
  vary(ex);
  ex.send(200, html.mime, html.render(request).bytes);
}

/// The blank form as a document: the paper form, the text version, the page's script.
void form_document(Exchange& ex, std::string_view name) {
  const CatalogForm* form = find_form(ex);
  if (!form) return;
  const std::string lang = language(ex, form->plan->form().languages);
  const auto& r = renderer(name);
  renderers::RenderRequest request;
  request.plan = form->plan.get();
  request.language = lang;
  request.document = renderers::Document::Form;
  const std::string bytes = r.render(request).bytes;
  vary(ex);
  if (r.binary) {
    const std::string disposition =
        "inline; filename=\"" + form->id + "." + lang + "." + std::string(r.extension) + "\"";
    ex.send(200, r.mime, bytes, {{"Cache-Control", std::string(document_cache)}, {"Content-Disposition", disposition}});
  } else {
    ex.send(200, r.mime, bytes, {{"Cache-Control", std::string(document_cache)}});
  }
}

void form_pdf(Exchange& ex) { form_document(ex, "pdf"); }
void form_text(Exchange& ex) { form_document(ex, "text"); }

// ---- the journey: addresses, the draft cookie, reading a post ------------------------------

std::string start_url(const CatalogForm& form, const std::string& lang) { return "/forms/" + form.id + "?lang=" + lang; }
std::string check_url(const CatalogForm& form, const std::string& lang) {
  return "/forms/" + form.id + "/check?lang=" + lang;
}
std::string step_url(const CatalogForm& form, std::size_t section, const std::string& lang, bool to_check) {
  return "/forms/" + form.id + "/steps/" + form.plan->form().sections[section].name + "?lang=" + lang +
         (to_check ? "&return=check" : "");
}
std::string delete_url(const CatalogForm& form, const std::string& lang) {
  return "/forms/" + form.id + "/delete?lang=" + lang;
}

/// The idempotency scope of a draft's submission: the draft id is the key.
std::string draft_scope(const CatalogForm& form) { return "draft/" + form.id; }

std::string draft_cookie_name(const App& app, const CatalogForm& form) {
  // One cookie per form, so two forms started in one browser keep their own drafts.
  return (app.config().secure_cookies ? "__Host-askonce-draft-" : "askonce-draft-") + form.id;
}

/// The draft id the request's cookie holds, when it is one we could have issued; empty
/// otherwise.
std::string draft_cookie(const Exchange& ex, const CatalogForm& form) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string value = cookies.get(draft_cookie_name(ex.app, form), "");
  return plausible_token(value) ? value : std::string();
}

/// Sets the draft cookie: HttpOnly (no script reads it), SameSite=Lax, Secure behind HTTPS,
/// no Max-Age (the browser forgets it when it closes: the next person at a shared computer
/// finds nothing). Lax rather than Strict: a citizen who arrives by a link (from an agency's
/// site, or an emailed link to come back) must find their draft on that first page, which
/// Strict would withhold; Lax still never sends it with another site's POST, and every post
/// needs the CSRF token as well.
void set_draft_cookie(Exchange& ex, const CatalogForm& form, const std::string& id, bool clear = false) {
  Poco::Net::HTTPCookie cookie(draft_cookie_name(ex.app, form), clear ? "" : id);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
  cookie.setSecure(ex.app.config().secure_cookies);
  if (clear) cookie.setMaxAge(0);
  ex.response.addCookie(cookie);
}

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

/// The draft `id` names, when it exists and is of this form.
std::optional<Draft> load_draft(App& app, const CatalogForm& form, const std::string& id) {
  if (id.empty()) return std::nullopt;
  auto draft = app.store().find_draft(id, now_ms());
  if (draft && draft->form_id != form.id) return std::nullopt;
  if (draft && draft->definition_hash != form.plan->form().definition_hash) {
    // The form changed on disk since the draft began: answers to questions it no longer has
    // would be refused on every step; they go, and the rest is checked as the form is now.
    keep_known(*form.plan, draft->answers);
  }
  return draft;
}

/// Saves the answers into the draft, or, when there was none, into a new one (the first
/// Continue of a journey); the new one's id goes in the cookie. False when the draft went
/// away meanwhile (sent from another tab, deleted, expired): nothing was saved.
bool save_draft(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::optional<Draft>& draft,
                const Fields& answers) {
  if (draft) return ex.app.store().update_draft(draft->id, answers, lang, now_ms());
  NewDraft created;
  created.form_id = form.id;
  created.version = form.plan->form().version;
  created.definition_hash = form.plan->form().definition_hash;
  created.language = lang;
  created.channel = "web";
  created.answers = answers;
  set_draft_cookie(ex, form, ex.app.store().create_draft(created, now_ms()).id);
  return true;
}

/// Every answer so far, checked by the engine as a submission would be.
engine::Result check_answers(const App& app, const CatalogForm& form, const std::string& lang, const Fields& draft) {
  const auto& limits = app.config().limits;
  engine::InputLimits input;
  input.max_bytes = limits.body_bytes;
  input.max_values = limits.fields;
  input.max_value_bytes = limits.value_bytes;
  return engine::validate_form_fields(*form.plan, engine_answers(draft), app.context(lang, "web"), input);
}

/// 403 with the page that says why. `reason` is counted: "origin" (a post from another site, or
/// a proxy whose Host is not the public address: see server.public_origin) or "csrf" (the
/// page's token and cookie do not match).
void refuse(Exchange& ex, const CatalogForm& form, const std::string& lang, std::string_view reason) {
  ex.app.metrics().refused(reason);
  ex.send(403, "text/html; charset=utf-8", refused_page(form, lang, site_of(ex.app.config(), form.id)));
}

/// A post of a journey page, from this site with its CSRF token; nothing (answered: 403, 413,
/// 415) otherwise.
std::optional<FormPost> read_post(Exchange& ex, const CatalogForm& form, const std::string& lang) {
  if (foreign_origin(ex)) {
    close_if_unread_body(ex);
    refuse(ex, form, lang, "origin");
    return std::nullopt;
  }
  bool urlencoded = false;
  try {
    urlencoded = Poco::Net::MediaType(ex.request.getContentType()).matches("application", "x-www-form-urlencoded");
  } catch (const Poco::Exception&) {
  }
  if (!urlencoded) {
    close_if_unread_body(ex);
    ex.fail(415, "A form page posts application/x-www-form-urlencoded.");
    return std::nullopt;
  }
  const auto body = ex.body();
  if (!body) return std::nullopt;  // 413 or 408, answered
  FormPost post = split_post(engine::parse_urlencoded(*body));
  const std::string cookie = request_cookie(ex);
  const auto token = post.controls.find(std::string(csrf_field));
  if (cookie.empty() || token == post.controls.end() || !ex.app.csrf_valid(cookie, token->second)) {
    refuse(ex, form, lang, "csrf");
    return std::nullopt;
  }
  return post;
}

/// "You already sent this application", with the receipt's link, when the draft `id` was
/// submitted; false (nothing answered) when it was not.
bool answer_already_sent(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& id) {
  if (id.empty()) return false;
  const auto replayed = ex.app.store().replay(draft_scope(form), id);
  if (!replayed || !replayed->submission) return false;
  ex.app.log().event("info", "web_already_sent", {{"form", form.id}});
  ex.send(409, "text/html; charset=utf-8",
          already_sent_page(form, lang, site_of(ex.app.config(), form.id), receipt_path(replayed->submission->reference, replayed->receipt_secret)));
  return true;
}

/// The draft went away while this request was answered: sent by another tab (so "You already
/// sent this application"), or deleted or expired (so the first step, afresh).
void draft_gone(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& id) {
  if (answer_already_sent(ex, form, lang, id)) return;
  set_draft_cookie(ex, form, id, true);
  const auto& sections = form.plan->form().sections;
  ex.redirect(sections.empty() ? start_url(form, lang) : step_url(form, 0, lang, false));
}

// ---- the journey's pages ---------------------------------------------------------------------

/// The step the address names ({section}); nothing, answered 404, when the form has no such
/// section.
std::optional<std::size_t> section_of(Exchange& ex, const CatalogForm& form) {
  auto section = find_section(*form.plan, ex.params.at(1));
  if (!section) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
  }
  return section;
}

void send_step(Exchange& ex, const CatalogForm& form, const std::string& lang, std::size_t section,
               const Fields& answers, std::vector<engine::Error> errors, const std::vector<std::size_t>& shown,
               bool to_check, std::string focus, int status) {
  renderers::StepInfo info;
  info.section = section;
  std::vector<std::size_t> steps = shown;
  if (std::find(steps.begin(), steps.end(), section) == steps.end()) {
    steps.insert(std::upper_bound(steps.begin(), steps.end(), section), section);
  }
  const auto at = std::find(steps.begin(), steps.end(), section);
  info.number = static_cast<std::size_t>(at - steps.begin()) + 1;
  info.count = steps.size();
  if (to_check) info.back_url = check_url(form, lang);
  else if (at == steps.begin()) info.back_url = start_url(form, lang);
  else info.back_url = step_url(form, *(at - 1), lang, false);
  info.delete_url = delete_url(form, lang);
  info.focus = std::move(focus);
  const renderers::Filled filled{answers, std::move(errors)};
  renderers::RenderRequest request;
  request.plan = form.plan.get();
  request.language = lang;
  request.document = renderers::Document::Step;
  request.filled = &filled;
  request.step = &info;
  request.hidden = {{std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex))}};
  request.site = site_of(ex.app.config(), form.id);
  // The language switch keeps the step's place in the journey (return=check).
  for (const auto& l : form.plan->form().languages) request.site.languages.push_back({l, step_url(form, section, l, to_check)});
  const auto& html = renderer("html");
  // As the form page had it: a page's own post says where it comes from (Origin), and no
  // other site learns anything.
  ex.send(status, html.mime, html.render(request).bytes, {{"Referrer-Policy", "same-origin"}});
}

/// GET /forms/{id}/steps/{section}: one step, with the draft's answers. A GET creates nothing.
void step_page(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return;
  const auto section = section_of(ex, *form);
  if (!section) return;
  const std::string lang = language(ex, form->plan->form().languages);
  const std::string id = draft_cookie(ex, *form);
  const auto draft = load_draft(ex.app, *form, id);
  // A draft that is gone (sent, deleted, expired): this browser starts afresh.
  if (!id.empty() && !draft) set_draft_cookie(ex, *form, id, true);
  const Fields answers = draft ? draft->answers : Fields{};
  const engine::Result checked = check_answers(ex.app, *form, lang, answers);
  const auto shown = shown_steps(*form->plan, checked);
  const bool to_check = ex.query("return") == std::optional<std::string>("check");
  if (std::find(shown.begin(), shown.end(), *section) == shown.end()) {
    // Skipped: earlier answers hide every question of this step. On to the next one shown.
    for (std::size_t s : shown) {
      if (s > *section) return ex.redirect(step_url(*form, s, lang, to_check));
    }
    if (draft) return ex.redirect(check_url(*form, lang));
  }
  std::vector<engine::Error> errors;
  if (to_check && draft) errors = step_errors(*form->plan, checked, *section, answers, true);
  std::string focus = ex.query("focus").value_or("");
  if (focus.size() > 200) focus.clear();
  send_step(ex, *form, lang, *section, answers, std::move(errors), shown, to_check, std::move(focus), 200);
}

/// Where Continue goes: the next step shown, or check your answers. Coming from check your
/// answers, back there, unless a change revealed a question or broke an answer: that step first.
std::string next_url(const CatalogForm& form, const std::string& lang, const engine::Result& checked,
                     const Fields& answers, std::size_t section, bool to_check) {
  if (to_check) {
    if (auto s = first_unfinished_step(*form.plan, checked, answers)) return step_url(form, *s, lang, true);
    return check_url(form, lang);
  }
  for (std::size_t s : shown_steps(*form.plan, checked)) {
    if (s > section) return step_url(form, s, lang, false);
  }
  return check_url(form, lang);
}

std::string encode_query(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

/// POST /forms/{id}/steps/{section}: Continue (check this step, save, go on), or a repeat's Add
/// or Remove (save, show the step again).
void step_post(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return close_if_unread_body(ex);
  const auto section = section_of(ex, *form);
  if (!section) return;
  const engine::Plan& plan = *form->plan;
  const std::string lang = language(ex, plan.form().languages);
  auto post = read_post(ex, *form, lang);
  if (!post) return;
  const std::string id = draft_cookie(ex, *form);
  const auto draft = load_draft(ex.app, *form, id);
  if (!draft && answer_already_sent(ex, *form, lang, id)) return;
  Fields answers = draft ? draft->answers : Fields{};
  merge_step(plan, *section, post->answers, answers);
  const bool to_check = ex.query("return") == std::optional<std::string>("check");
  const std::string here = step_url(*form, *section, lang, to_check);

  if (auto remove = post->controls.find("askonce:remove"); remove != post->controls.end()) {
    remove_entry(remove->second, answers);
    if (!save_draft(ex, *form, lang, draft, answers)) return draft_gone(ex, *form, lang, draft->id);
    const std::string& entry = remove->second;
    const auto bracket = entry.rfind('[');
    return ex.redirect(here + (bracket == std::string::npos ? "" : "#" + renderers::html_id(entry.substr(0, bracket))));
  }
  if (auto add = post->controls.find("askonce:add"); add != post->controls.end()) {
    const std::size_t before = answers.size();
    add_entry(plan, add->second, answers);
    if (!save_draft(ex, *form, lang, draft, answers)) return draft_gone(ex, *form, lang, draft->id);
    if (answers.size() == before) return ex.redirect(here);  // not a repeat, or full
    // The new entry: the name add_entry added ends "REPEAT[n].FIRST". Its first question gets
    // autofocus; no fragment in the address, because a browser ignores autofocus on a page
    // whose address has one (HTML: "flush autofocus candidates"), and focus scrolls to it anyway.
    const std::string& added = answers.back().first;
    const std::string entry = added.substr(0, added.find(']', add->second.size()) + 1);
    return ex.redirect(here + "&focus=" + encode_query(entry));
  }

  const engine::Result checked = check_answers(ex.app, *form, lang, answers);
  mark_seen(plan, *section, checked, answers);
  if (!save_draft(ex, *form, lang, draft, answers)) return draft_gone(ex, *form, lang, draft->id);
  auto errors = step_errors(plan, checked, *section, answers, false);
  if (!errors.empty()) {
    return send_step(ex, *form, lang, *section, answers, std::move(errors), shown_steps(plan, checked), to_check, {},
                     422);
  }
  ex.redirect(next_url(*form, lang, checked, answers, *section, to_check));
}

void send_check(Exchange& ex, const CatalogForm& form, const std::string& lang, const Fields& answers,
                const engine::Result& checked, std::vector<engine::Error> errors, int status) {
  renderers::StepInfo info;
  const auto shown = shown_steps(*form.plan, checked);
  info.back_url = shown.empty() ? start_url(form, lang) : step_url(form, shown.back(), lang, false);
  info.delete_url = delete_url(form, lang);
  const renderers::Filled filled{answers, std::move(errors)};
  renderers::RenderRequest request;
  request.plan = form.plan.get();
  request.language = lang;
  request.document = renderers::Document::Answers;
  request.submission = &checked.submission;
  request.filled = &filled;
  request.step = &info;
  request.hidden = {{std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex))}};
  request.site = site_of(ex.app.config(), form.id);
  for (const auto& l : form.plan->form().languages) request.site.languages.push_back({l, check_url(form, l)});
  const auto& html = renderer("html");
  ex.send(status, html.mime, html.render(request).bytes, {{"Referrer-Policy", "same-origin"}});
}

/// GET /forms/{id}/check: check your answers, when every step is done; otherwise the first
/// step that is not.
void check_page(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return;
  const std::string lang = language(ex, form->plan->form().languages);
  const std::string id = draft_cookie(ex, *form);
  const auto draft = load_draft(ex.app, *form, id);
  if (!draft) {
    if (answer_already_sent(ex, *form, lang, id)) return;  // Back from the receipt
    return ex.redirect(form->plan->form().sections.empty() ? start_url(*form, lang) : step_url(*form, 0, lang, false));
  }
  const engine::Result checked = check_answers(ex.app, *form, lang, draft->answers);
  if (auto s = first_unfinished_step(*form->plan, checked, draft->answers)) {
    return ex.redirect(step_url(*form, *s, lang, true));
  }
  send_check(ex, *form, lang, draft->answers, checked, {}, 200);
}

/// POST /forms/{id}/check: "Submit application". The whole form is checked again; a step with
/// a problem or a question never seen comes first. Only this sends anything to an agency,
/// through submit(), keyed by the draft: however often it is posted, one application is stored.
void check_post(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return close_if_unread_body(ex);
  const engine::Plan& plan = *form->plan;
  const std::string lang = language(ex, plan.form().languages);
  auto post = read_post(ex, *form, lang);
  if (!post) return;
  const std::string id = draft_cookie(ex, *form);
  const auto draft = load_draft(ex.app, *form, id);
  if (!draft) {
    if (answer_already_sent(ex, *form, lang, id)) return;
    return ex.redirect(plan.form().sections.empty() ? start_url(*form, lang) : step_url(*form, 0, lang, false));
  }
  Fields answers = draft->answers;
  merge_declaration(plan, post->answers, answers);
  const engine::Result checked = check_answers(ex.app, *form, lang, answers);
  // Never a new draft here: a draft sent by another tab meanwhile must not be sent again.
  if (!save_draft(ex, *form, lang, draft, answers)) return draft_gone(ex, *form, lang, draft->id);
  if (auto s = first_unfinished_step(plan, checked, answers)) return ex.redirect(step_url(*form, *s, lang, true));
  if (!checked.ok()) return send_check(ex, *form, lang, answers, checked, checked.errors, 422);

  const Fields fields = engine_answers(answers);
  SubmitInput in;
  in.form = form;
  in.language = lang;
  in.channel = "web";
  in.fields = &fields;
  in.idempotency = IdempotencyKey{draft_scope(*form), draft->id, answers_fingerprint(fields)};
  in.consumes_draft = draft->id;
  SubmitOutcome out = submit(ex.app, in);
  switch (out.status) {
    case SubmitOutcome::Status::Stored:
    case SubmitOutcome::Status::Replayed:
      return ex.redirect(receipt_path(out.stored->reference, out.receipt_secret));
    case SubmitOutcome::Status::Invalid:
      return send_check(ex, *form, lang, answers, out.checked, std::move(out.checked.errors), 422);
    case SubmitOutcome::Status::KeyConflict:
      // This draft was sent already, with other answers (another tab changed one meanwhile).
      if (answer_already_sent(ex, *form, lang, draft->id)) return;
      return ex.fail(409, "This application was already sent.");
  }
}

/// POST /forms/{id}/delete: "Delete my answers". The draft is deleted and the cookie cleared.
void delete_answers(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return close_if_unread_body(ex);
  const std::string lang = language(ex, form->plan->form().languages);
  if (!read_post(ex, *form, lang)) return;
  const std::string id = draft_cookie(ex, *form);
  if (load_draft(ex.app, *form, id)) ex.app.store().delete_draft(id);
  if (!id.empty()) set_draft_cookie(ex, *form, id, true);
  ex.app.log().event("info", "web_draft_deleted", {{"form", form->id}});
  ex.send(200, "text/html; charset=utf-8", deleted_page(*form, lang, site_of(ex.app.config(), form->id)));
}

// ---- receipts --------------------------------------------------------------------------------

void receipt(Exchange& ex, std::string_view name) {
  Store& store = ex.app.store();
  const std::string& reference = ex.params.at(0);
  const auto key = ex.query("key");
  if (!key || key->empty() || key->size() > 128 || !store.verify_receipt(reference, *key)) return ex.fail(404, nothing_here);
  const auto stored = store.find_submission(reference);
  if (!stored) return ex.fail(404, nothing_here);
  const auto plan = ex.app.catalog().plan_for(stored->definition_hash, store);
  if (!plan) {
    ex.app.log().event("error", "receipt_definition_missing", {{"form", stored->form_id}});
    return ex.fail(500, "This receipt cannot be shown just now. Your application is stored and is being delivered.");
  }
  const model::Form& form = plan->form();
  const engine::Result restored = engine::restore_submission(*plan, stored->canonical_json);
  if (!restored.ok()) {
    ex.app.log().event("warning", "receipt_restore", {{"form", stored->form_id}, {"errors", std::to_string(restored.errors.size())}});
  }

  // ?lang= may show the receipt in another of the form's languages; otherwise the one used.
  std::string lang = stored->language;
  if (auto l = ex.query("lang"); l && std::find(form.languages.begin(), form.languages.end(), *l) != form.languages.end()) {
    lang = *l;
  }
  renderers::ReceiptInfo info;
  info.reference = stored->reference;
  info.received = stored->received;
  for (const auto& d : stored->deliveries) {
    for (std::size_t a = 0; a < form.agencies.size(); ++a) {
      if (form.agencies[a].name != d.agency) continue;
      info.agencies.push_back(a);
      info.deliveries.push_back(d.state == DeliveryState::Delivered ? renderers::Delivery::Delivered
                                : d.state == DeliveryState::Dead    ? renderers::Delivery::Failed
                                                                    : renderers::Delivery::Pending);
      break;
    }
  }
  const std::string lang_query = ex.query("lang") ? "&lang=" + lang : std::string();
  info.pdf_url = receipt_path(stored->reference, *key, ".pdf") + lang_query;
  info.text_url = receipt_path(stored->reference, *key, ".txt") + lang_query;
  info.mail_sent = name == "html" && store.receipt_mailed(stored->reference);  // what the store knows, not the config

  const auto& r = renderer(name);
  renderers::RenderRequest request;
  request.plan = plan.get();
  request.language = lang;
  request.document = renderers::Document::Receipt;
  request.submission = &restored.submission;
  request.receipt = &info;
  request.site = site_of(ex.app.config(), stored->form_id);
  // The language switch keeps the receipt's key: "?lang=xx" alone would lose it.
  for (const auto& l : form.languages) request.site.languages.push_back({l, receipt_path(stored->reference, *key) + "&lang=" + l});
  const std::string bytes = r.render(request).bytes;
  // Cache-Control: no-store and Referrer-Policy: no-referrer come from the router: the page is
  // personal, and its address holds the key.
  if (r.binary) {
    ex.send(200, r.mime, bytes,
            {{"Content-Disposition", "inline; filename=\"receipt-" + stored->reference + "." + std::string(r.extension) + "\""}});
  } else {
    ex.send(200, r.mime, bytes);
  }
}

void receipt_page(Exchange& ex) { receipt(ex, "html"); }
void receipt_pdf(Exchange& ex) { receipt(ex, "pdf"); }
void receipt_text(Exchange& ex) { receipt(ex, "text"); }

// ---- receipt links from mails, and the status they open ----------------------------------------
//
// A link in a mail (/r/{token}) opens once: the store marks it used and starts a session in
// one transaction, and the browser gets the session in a cookie (HttpOnly; SameSite=Lax, since
// the click comes from a mail client, another site; Secure behind HTTPS; no Max-Age, so it is
// gone when the browser closes) and is sent on to /receipts/status, an address without the
// token. Only hashes of tokens and sessions are stored.

/// "Lost your receipt link?" needs a relay to send the link and a key to match addresses by.
bool lost_link_offered(const App& app) { return app.mail_enabled() && !app.config().mail.contact_key.empty(); }

std::string receipt_cookie_name(const App& app) {
  return app.config().secure_cookies ? "__Host-askonce-receipt" : "askonce-receipt";
}

void open_receipt_link(Exchange& ex) {
  const std::string lang = language(ex, page_languages());
  vary(ex);
  const std::string& token = ex.params.at(0);
  const std::string session = random_token(32);
  const TimePoint at = now_ms();
  std::optional<std::string> reference;
  if (plausible_token(token)) {
    reference = ex.app.store().open_link(sha256_hex(token), sha256_hex(session),
                                         at + std::chrono::minutes(ex.app.config().mail.session_minutes), at);
  }
  if (!reference) return ex.send(410, "text/html; charset=utf-8", link_expired_page(lang, lost_link_offered(ex.app), site_of(ex.app.config())));
  Poco::Net::HTTPCookie cookie(receipt_cookie_name(ex.app), session);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
  cookie.setSecure(ex.app.config().secure_cookies);
  ex.response.addCookie(cookie);
  ex.redirect("/receipts/status");
}

void receipt_status(Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string session = cookies.get(receipt_cookie_name(ex.app), "");
  std::optional<std::string> reference;
  if (plausible_token(session)) reference = ex.app.store().session_reference(sha256_hex(session), now_ms());
  std::optional<StoredSubmission> stored;
  if (reference) stored = ex.app.store().find_submission(*reference);
  if (!stored) {
    // No session, or it expired: the same page as a used link, which says how to get a new one.
    const std::string lang = language(ex, page_languages());
    vary(ex);
    return ex.send(410, "text/html; charset=utf-8", link_expired_page(lang, lost_link_offered(ex.app), site_of(ex.app.config())));
  }
  const auto plan = ex.app.catalog().plan_for(stored->definition_hash, ex.app.store());
  if (!plan) {
    ex.app.log().event("error", "receipt_definition_missing", {{"form", stored->form_id}});
    return ex.fail(500, "This receipt cannot be shown just now. Your application is stored and is being delivered.");
  }
  std::string lang = stored->language;
  const auto& offered = plan->form().languages;
  if (auto l = ex.query("lang"); l && std::find(offered.begin(), offered.end(), *l) != offered.end()) lang = *l;
  ex.send(200, "text/html; charset=utf-8", receipt_status_page(*plan, lang, *stored, site_of(ex.app.config(), stored->form_id)));
}

// "Lost your receipt link?": the reference and the email address given. When the keyed hash of
// the address matches the one kept with the reference, a new single-use link is queued to it.
// The page answers the same whether or not they matched (it must not tell anyone which
// references exist or whose address is whose), and posts are rate-limited per client as
// submissions are (the route's `submission` flag).

void lost_link_form(Exchange& ex) {
  if (!lost_link_offered(ex.app)) return ex.fail(404, nothing_here);
  const std::string lang = language(ex, page_languages());
  vary(ex);
  const std::string cookie = ensure_cookie(ex);
  ex.send(200, "text/html; charset=utf-8", lost_link_page(site_of(ex.app.config()), lang, csrf_token(ex.app, cookie), "", "", "", false),
          {{"Referrer-Policy", "same-origin"}});
}

void lost_link_post(Exchange& ex) {
  if (!lost_link_offered(ex.app)) {
    close_if_unread_body(ex);
    return ex.fail(404, nothing_here);
  }
  const std::string lang = language(ex, page_languages());
  if (foreign_origin(ex)) {
    close_if_unread_body(ex);
    ex.app.metrics().refused("origin");
    return ex.fail(403, "This page only accepts what was sent from its own form.");
  }
  const auto body = ex.body();
  if (!body) return;  // 413 or 408, answered
  std::string reference, email, token;
  for (auto& [name, value] : engine::parse_urlencoded(*body)) {
    if (name == "reference") reference = value.substr(0, 64);
    else if (name == "email") email = value.substr(0, 320);
    else if (name == csrf_field) token = value;
  }
  const std::string cookie = request_cookie(ex);
  if (cookie.empty() || !ex.app.csrf_valid(cookie, token)) {
    ex.app.metrics().refused("csrf");
    return ex.fail(403, "This page only accepts what was sent from its own form. Go back, reload it and try again.");
  }
  const std::string fresh_token = csrf_token(ex.app, cookie);
  const auto ref = parse_reference(reference);
  const auto hash = contact_hash(ex.app.config().mail.contact_key, email);
  if (!ref || !hash) {
    // A mistake the citizen can see and fix, with what they typed kept.
    return ex.send(422, "text/html; charset=utf-8",
                   lost_link_page(site_of(ex.app.config()), lang, fresh_token, reference, email, renderers::ui(renderers::Ui::LostLinkInvalid, lang), true),
                   {{"Referrer-Policy", "same-origin"}});
  }
  if (ex.app.store().contact_matches(*ref, *hash)) {
    const auto stored = ex.app.store().find_submission(*ref);
    const auto plan = stored ? ex.app.catalog().plan_for(stored->definition_hash, ex.app.store()) : nullptr;
    if (stored && plan) {
      const auto& mail = ex.app.config().mail;
      ReceiptMailInput input;
      input.plan = plan.get();
      input.language = stored->language;
      input.recipient = email;
      input.recipient.erase(0, input.recipient.find_first_not_of(" \t"));
      input.recipient.erase(input.recipient.find_last_not_of(" \t") + 1);
      const std::string link_token = random_token(32);
      input.link_url = ex.app.public_base() + receipt_link_path(link_token);
      input.link_days = mail.link_days;
      const TimePoint at = now_ms();
      NewMail m = receipt_link_mail(input, stored->reference);
      m.link = NewMailLink{sha256_hex(link_token), at + std::chrono::hours(24) * mail.link_days};
      if (ex.app.store().enqueue_mail(m, at, stored->reference)) ex.app.notify_mail();
    }
  }
  ex.send(200, "text/html; charset=utf-8",
          lost_link_page(site_of(ex.app.config()), lang, fresh_token, "", "", renderers::ui(renderers::Ui::LostLinkSent, lang), false),
          {{"Referrer-Policy", "same-origin"}});
}

// ---- /assets/uswds/ --------------------------------------------------------------------------

/// node_modules/@uswds/uswds/dist, found once: under the current directory (the project root,
/// as `make run` and the tests run), else under the source tree this binary was built from.
const fs::path& uswds_root() {
  static const fs::path root = [] {
    std::error_code ec;
    const fs::path here = fs::current_path(ec);
    for (const fs::path& base : {here, fs::path(ASKONCE_SOURCE_DIR)}) {
      const fs::path dist = base / "node_modules" / "@uswds" / "uswds" / "dist";
      if (fs::is_directory(dist, ec)) {
        fs::path canonical = fs::canonical(dist, ec);
        if (!ec) return canonical;
      }
    }
    return fs::path();
  }();
  return root;
}

/// The types served, by extension; anything else there (sources, maps) is not.
std::string_view asset_type(const fs::path& file) {
  static constexpr std::pair<std::string_view, std::string_view> types[] = {
      {".css", "text/css; charset=utf-8"}, {".js", "application/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},           {".png", "image/png"},
      {".woff2", "font/woff2"},            {".woff", "font/woff"},
      {".ttf", "font/ttf"},                {".gif", "image/gif"},
      {".jpg", "image/jpeg"},              {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
  };
  const std::string ext = file.extension().string();
  for (const auto& [e, type] : types) {
    if (ext == e) return type;
  }
  return {};
}

void asset(Exchange& ex) {
  const fs::path& root = uswds_root();
  const std::string& rel = ex.params.at(0);  // no empty, "." or ".." segment (match_route)
  if (root.empty() || rel.find('\0') != std::string::npos) return ex.fail(404, nothing_here);
  std::error_code ec;
  const fs::path file = fs::weakly_canonical(root / fs::path(rel), ec);
  if (ec) return ex.fail(404, nothing_here);
  // The file, links resolved, must still be inside the folder.
  const auto [r, f] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  const std::string_view type = asset_type(file);
  if (r != root.end() || f == file.end() || type.empty() || !fs::is_regular_file(file, ec)) return ex.fail(404, nothing_here);
  const auto size = fs::file_size(file, ec);
  if (ec || size > (16u << 20)) return ex.fail(404, nothing_here);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return ex.fail(404, nothing_here);
  ex.send(200, type, bytes.str(), {{"Cache-Control", std::string(asset_cache)}});
}

// ---- /assets/askonce/ ------------------------------------------------------------------------

/// The form runtime (renderers/script.hpp), from the binary. Its URL names its content hash, so
/// it is cached for a year as immutable: a new runtime is a new URL, and the browser fetches
/// it once for every form and every page. Any other name (an old hash) is 404: a page that
/// asks for a runtime this server does not have works without it, as it must anyway.
void form_runtime(Exchange& ex) {
  const std::string& url = renderers::form_runtime_url();
  if (ex.params.at(0) != std::string_view(url).substr(url.rfind('/') + 1)) return ex.fail(404, nothing_here);
  const std::string etag = "\"" + std::string(renderers::form_runtime_tag()) + "\"";
  // A browser told to revalidate (a forced reload) gets 304 and keeps its copy.
  if (ex.header("If-None-Match").find(etag) != std::string::npos) {
    return ex.send(304, "", "", {{"Cache-Control", std::string(runtime_cache)}, {"ETag", etag}});
  }
  ex.send(200, "application/javascript; charset=utf-8", std::string(renderers::form_runtime()),
          {{"Cache-Control", std::string(runtime_cache)}, {"ETag", etag}});
}

// Order matters where patterns overlap: "/forms/{id}.pdf" before "/forms/{id}", whose {id}
// would take "x.pdf" too.
constexpr Route routes[] = {
    {"GET", "/", index},
    {"GET", "/forms/{id}.pdf", form_pdf},
    {"GET", "/forms/{id}.txt", form_text},
    {"GET", "/forms/{id}", start_page},
    {"GET", "/forms/{id}/steps/{section}", step_page},
    {"POST", "/forms/{id}/steps/{section}", step_post, true},
    {"GET", "/forms/{id}/check", check_page},
    {"POST", "/forms/{id}/check", check_post, true},
    {"POST", "/forms/{id}/delete", delete_answers, true},
    {"GET", "/r/{token}", open_receipt_link},
    {"GET", "/receipts/status", receipt_status},
    {"GET", "/receipts/lost", lost_link_form},
    {"POST", "/receipts/lost", lost_link_post, true},
    {"GET", "/receipts/{ref}.pdf", receipt_pdf},
    {"GET", "/receipts/{ref}.txt", receipt_text},
    {"GET", "/receipts/{ref}", receipt_page},
    {"GET", "/assets/askonce/{file}", form_runtime},
    {"GET", "/assets/uswds/{path*}", asset},
};

}  // namespace

std::span<const Route> web_routes() { return routes; }

}  // namespace askonce::server
