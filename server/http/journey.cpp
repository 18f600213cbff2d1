// server/http/journey.cpp: what every citizens' page of a journey shares (journey.hpp).
#include "server/http/journey.hpp"

#include <algorithm>
#include <functional>

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "renderers/registry.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/http/submit.hpp"
#include "server/http/web_pages.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {

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

std::string csrf_cookie_name(const App& app) {
  // __Host-: the browser keeps it only when it is Secure, for Path=/ and this host alone.
  return app.config().secure_cookies ? "__Host-askonce-csrf" : "askonce-csrf";
}

/// The CSRF cookie the request carries, when it is one we could have issued; empty otherwise.
std::string request_cookie(const Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string value = cookies.get(csrf_cookie_name(ex.app), "");
  return plausible_token(value) ? value : std::string();
}

/// The request's CSRF cookie, or a new one, set on the response.
std::string ensure_cookie(Exchange& ex) {
  if (std::string existing = request_cookie(ex); !existing.empty()) return existing;
  std::string value = random_token(32);
  Poco::Net::HTTPCookie cookie(csrf_cookie_name(ex.app), value);
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

std::string JourneyPlace::step(std::size_t section, bool to_check) const {
  std::string url = base + "/steps/" + plan->form().sections[section].name + query;
  if (to_check) url += query.empty() ? "?return=check" : "&return=check";
  return url;
}

std::string JourneyPlace::check() const { return base + "/check" + query; }

JourneyPlace citizen_place(const CatalogForm& form, const std::string& lang) {
  return JourneyPlace{form.plan.get(), "/forms/" + form.id, "?lang=" + lang, start_url(form, lang)};
}

renderers::StepInfo step_info(const JourneyPlace& at, std::size_t section, const std::vector<std::size_t>& shown,
                              bool to_check) {
  renderers::StepInfo info;
  info.section = section;
  std::vector<std::size_t> steps = shown;
  if (std::find(steps.begin(), steps.end(), section) == steps.end()) {
    steps.insert(std::upper_bound(steps.begin(), steps.end(), section), section);
  }
  const auto it = std::find(steps.begin(), steps.end(), section);
  info.number = static_cast<std::size_t>(it - steps.begin()) + 1;
  info.count = steps.size();
  if (to_check) info.back_url = at.check();
  else if (it == steps.begin()) info.back_url = at.start;
  else info.back_url = at.step(*(it - 1), false);
  return info;
}

std::string next_url(const JourneyPlace& at, const engine::Result& checked, const Fields& answers, std::size_t section,
                     bool to_check) {
  if (to_check) {
    if (auto s = first_unfinished_step(*at.plan, checked, answers)) return at.step(*s, true);
    return at.check();
  }
  for (std::size_t s : shown_steps(*at.plan, checked)) {
    if (s > section) return at.step(s, false);
  }
  return at.check();
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
void set_draft_cookie(Exchange& ex, const CatalogForm& form, const std::string& id, bool clear) {
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
/// Continue of a journey); the new one's id goes in the cookie. Returns the draft's id; nothing
/// when the draft went away meanwhile (sent from another tab, deleted, expired): nothing was
/// saved.
std::optional<std::string> save_draft(Exchange& ex, const CatalogForm& form, const std::string& lang,
                                      const std::optional<Draft>& draft, const Fields& answers) {
  if (draft) {
    if (!ex.app.store().update_draft(draft->id, answers, lang, now_ms())) return std::nullopt;
    return draft->id;
  }
  NewDraft created;
  created.form_id = form.id;
  created.version = form.plan->form().version;
  created.definition_hash = form.plan->form().definition_hash;
  created.language = lang;
  created.channel = "web";
  created.answers = answers;
  created.counted = ex.app.config().performance.publish;
  const TimePoint at = now_ms();
  created.day = engine::to_iso(local_day(at, ex.app.zone()));
  std::string id = ex.app.store().create_draft(created, at).id;
  set_draft_cookie(ex, form, id);
  return id;
}

/// Every answer so far, checked by the engine as a submission would be (its errors and answers;
/// no canonical document: nothing is stored from it).
engine::Result check_answers(const App& app, const CatalogForm& form, const std::string& lang, const Fields& draft) {
  return check_answers(app, *form.plan, lang, "web", draft);
}

engine::Result check_answers(const App& app, const engine::Plan& plan, const std::string& lang, std::string_view channel,
                             const Fields& draft) {
  const auto& limits = app.config().limits;
  engine::InputLimits input;
  input.max_bytes = limits.body_bytes;
  input.max_values = limits.fields;
  input.max_value_bytes = limits.value_bytes;
  return engine::check_form_fields(plan, engine_answers(draft), app.context(lang, std::string(channel)), input);
}

/// 403 with the page that says why. `reason` is counted: "origin" (a post from another site, or
/// a proxy whose Host is not the public address: see server.public_origin) or "csrf" (the
/// page's token and cookie do not match).
void refuse(Exchange& ex, const CatalogForm& form, const std::string& lang, std::string_view reason) {
  ex.app.metrics().refused(reason);
  ex.send(403, "text/html; charset=utf-8", refused_page(form, lang, site_of(ex.app.config(), form.id)));
}

std::optional<FormPost> read_form_post(Exchange& ex, std::string_view cookie, bool foreign,
                                       const std::function<void(std::string_view)>& refuse) {
  if (foreign) {
    close_if_unread_body(ex);
    refuse("origin");
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
  const auto token = post.controls.find(std::string(csrf_field));
  if (cookie.empty() || token == post.controls.end() || !ex.app.csrf_valid(std::string(cookie), token->second)) {
    refuse("csrf");
    return std::nullopt;
  }
  return post;
}

/// A post of a journey page, from this site with its CSRF token; nothing (answered: 403, 413,
/// 415) otherwise.
std::optional<FormPost> read_post(Exchange& ex, const CatalogForm& form, const std::string& lang) {
  return read_form_post(ex, request_cookie(ex), foreign_origin(ex),
                        [&](std::string_view reason) { refuse(ex, form, lang, reason); });
}

std::optional<FormPost> read_site_post(Exchange& ex) {
  if (foreign_origin(ex)) {
    close_if_unread_body(ex);
    ex.app.metrics().refused("origin");
    ex.fail(403, "This page only accepts what was sent from its own form.");
    return std::nullopt;
  }
  const auto body = ex.body();
  if (!body) return std::nullopt;  // 413 or 408, answered
  FormPost post = split_post(engine::parse_urlencoded(*body));
  const std::string cookie = request_cookie(ex);
  const auto token = post.controls.find(std::string(csrf_field));
  if (cookie.empty() || token == post.controls.end() || !ex.app.csrf_valid(cookie, token->second)) {
    ex.app.metrics().refused("csrf");
    ex.fail(403, "This page only accepts what was sent from its own form. Go back, reload it and try again.");
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

void send_knowledge_page(Exchange& ex, CheckPage page, KnowledgeCheck outcome) {
  auto [status, message] = knowledge_problem(outcome, page.language);
  if (outcome == KnowledgeCheck::Locked) ex.app.metrics().refused("knowledge_locked");
  page.message = std::move(message);
  page.csrf_token = csrf_token(ex.app, ensure_cookie(ex));
  ex.send(status, "text/html; charset=utf-8", resume_check_page(page), {{"Referrer-Policy", "same-origin"}});
}

}  // namespace askonce::server
