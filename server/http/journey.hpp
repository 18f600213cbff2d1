// server/http/journey.hpp: what every citizens' page of a journey shares, whichever route table
// it is in (web_routes.cpp: the steps, check your answers, receipts; resume_routes.cpp: save and
// come back): the form an address names, the page's language, the addresses of the journey, the
// CSRF double-submit cookie, the draft cookie and the draft behind it, and reading a post.
//
// Cookies: the CSRF cookie (SameSite=Strict, HttpOnly, a random token; the page carries
// HMAC(csrf key, cookie)) and one draft cookie per form (SameSite=Lax, HttpOnly, no Max-Age: the
// browser forgets it when it closes). Both are Secure, and __Host- prefixed, behind HTTPS
// (server.secure_cookies).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/validate.hpp"
#include "renderers/render.hpp"
#include "server/http/catalog.hpp"
#include "server/http/http.hpp"
#include "server/http/knowledge.hpp"
#include "server/http/resume_pages.hpp"
#include "server/http/web_post.hpp"
#include "server/store/store.hpp"

namespace askonce::renderers {
struct Renderer;
}

namespace askonce::server {

class App;

/// The router's answer to an address that matches nothing; a receipt or a link that cannot be
/// used gets exactly this, whatever the reason.
inline constexpr std::string_view nothing_here = "There is nothing at this address.";
/// The hidden input that carries a page's CSRF token.
inline constexpr std::string_view csrf_field = "askonce:csrf";

/// The form `{id}` (the address's first parameter) names; nothing, answered 404, otherwise.
const CatalogForm* find_form(Exchange& ex);
/// The page's language among `offered` (web_pages.hpp, choose_language).
std::string language(const Exchange& ex, const std::vector<std::string>& offered);
/// Vary: Accept-Language, when the language was chosen by it rather than by ?lang=.
void vary(Exchange& ex);
/// Whether `t` looks like a token we issue: URL-safe base64, 16 to 64 characters.
bool plausible_token(std::string_view t);
/// The renderer called `name` ("html", "pdf", "text"); a missing one is a programming error.
const renderers::Renderer& renderer(std::string_view name);
/// The time now, to the millisecond, as the store keeps times.
TimePoint now_ms();

// ---- CSRF and posts --------------------------------------------------------------------------

/// The CSRF cookie the request carries, when it is one we could have issued; empty otherwise.
std::string request_cookie(const Exchange& ex);
/// The request's CSRF cookie, or a new one, set on the response.
std::string ensure_cookie(Exchange& ex);
/// The token a page carries for CSRF cookie `cookie`.
std::string csrf_token(const App& app, std::string_view cookie);
/// An Origin header that is present and names another site than this one: another than
/// server.public_origin when it is set (behind a proxy that does not pass the Host on),
/// otherwise another than this request's Host.
bool foreign_origin(const Exchange& ex);
/// The request has a body this handler will not read: the connection cannot be reused.
void close_if_unread_body(Exchange& ex);
/// 403 with the page that says why. `reason` is counted: "origin" (a post from another site, or
/// a proxy whose Host is not the public address: see server.public_origin) or "csrf" (the
/// page's token and cookie do not match).
void refuse(Exchange& ex, const CatalogForm& form, const std::string& lang, std::string_view reason);
/// A form page's post: application/x-www-form-urlencoded (else 415), not `foreign` (from another
/// site), with the CSRF token of `cookie` (the site's CSRF cookie, or a staff session's "staff:"
/// + token); `refuse(reason)` answers a refusal ("origin", "csrf"). Nothing (answered) otherwise.
std::optional<FormPost> read_form_post(Exchange& ex, std::string_view cookie, bool foreign,
                                       const std::function<void(std::string_view)>& refuse);
/// A post of a journey page, from this site with its CSRF token; nothing (answered: 403, 413,
/// 415) otherwise.
std::optional<FormPost> read_post(Exchange& ex, const CatalogForm& form, const std::string& lang);
/// The same for a page of no one form (coming back, starting another form): from this site,
/// with its CSRF token; nothing (answered: 403, 413) otherwise.
std::optional<FormPost> read_site_post(Exchange& ex);

// ---- the journey's addresses -----------------------------------------------------------------

/// Where a journey's pages are: the citizen's under /forms/{id} (each address with ?lang=),
/// or a staff member keying an application under /staff/key/{draft} (keying_routes.cpp). The
/// steps, check your answers and where Continue goes are worked out alike for both.
struct JourneyPlace {
  const engine::Plan* plan = nullptr;
  std::string base;   // "/forms/change_of_address", "/staff/key/{draft}"
  std::string query;  // added to every address: "?lang=en", or empty
  std::string start;  // where Back goes from the first step
  /// Step `section`; `to_check`: Continue comes back to check your answers (return=check).
  std::string step(std::size_t section, bool to_check) const;
  std::string check() const;
};

/// The citizen's journey through `form` in `lang`.
JourneyPlace citizen_place(const CatalogForm& form, const std::string& lang);

/// Step `section`'s place among the steps `shown`: its number, the count, and Back (the step
/// before, the start, or check your answers when `to_check`).
renderers::StepInfo step_info(const JourneyPlace& at, std::size_t section, const std::vector<std::size_t>& shown,
                              bool to_check);

/// Where Continue on step `section` goes: the next step shown, or check your answers. Coming
/// from check your answers, back there, unless a change revealed a question or broke an answer:
/// that step first.
std::string next_url(const JourneyPlace& at, const engine::Result& checked, const Fields& answers, std::size_t section,
                     bool to_check);

std::string start_url(const CatalogForm& form, const std::string& lang);
std::string check_url(const CatalogForm& form, const std::string& lang);
/// Step `section`; `to_check`: Continue comes back to check your answers (?return=check).
std::string step_url(const CatalogForm& form, std::size_t section, const std::string& lang, bool to_check);
std::string delete_url(const CatalogForm& form, const std::string& lang);

// ---- the draft -------------------------------------------------------------------------------

/// The idempotency scope of a draft's submission: the draft id is the key.
std::string draft_scope(const CatalogForm& form);
/// The draft id the request's cookie for `form` holds, when it is one we could have issued;
/// empty otherwise.
std::string draft_cookie(const Exchange& ex, const CatalogForm& form);
/// Sets the draft cookie (or clears it): HttpOnly, SameSite=Lax, Secure behind HTTPS, no
/// Max-Age. Lax rather than Strict: a citizen who arrives by a link (from an agency's site, or
/// an emailed link to come back) must find their draft on that first page, which Strict would
/// withhold; Lax still never sends it with another site's POST, and every post needs the CSRF
/// token as well.
void set_draft_cookie(Exchange& ex, const CatalogForm& form, const std::string& id, bool clear = false);
/// The draft `id` names, when it exists and is of this form. A draft begun under an older
/// definition of the form loses the answers to questions the form no longer has.
std::optional<Draft> load_draft(App& app, const CatalogForm& form, const std::string& id);
/// Saves the answers into the draft, or, when there was none, into a new one (the first
/// Continue of a journey); the new one's id goes in the cookie. Returns the draft's id; nothing
/// when the draft went away meanwhile (sent from another tab, deleted, expired): nothing was
/// saved.
std::optional<std::string> save_draft(Exchange& ex, const CatalogForm& form, const std::string& lang,
                                      const std::optional<Draft>& draft, const Fields& answers);
/// Every answer so far, checked by the engine as a submission would be.
engine::Result check_answers(const App& app, const CatalogForm& form, const std::string& lang, const Fields& draft);
/// The same against definition `plan`, taken by `channel` (the staff keying pages).
engine::Result check_answers(const App& app, const engine::Plan& plan, const std::string& lang, std::string_view channel,
                             const Fields& draft);
/// "You already sent this application", with the receipt's link, when the draft `id` was
/// submitted; false (nothing answered) when it was not.
bool answer_already_sent(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& id);
/// The draft went away while this request was answered: sent by another tab (so "You already
/// sent this application"), or deleted or expired (so the first step, afresh).
void draft_gone(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& id);

// ---- what only the citizen knows (knowledge.hpp) ---------------------------------------------

/// Sends `page`, the questions only the citizen knows, after `outcome`: its error and status
/// (knowledge_problem), a lock counted in /metrics, its CSRF token, and Referrer-Policy
/// same-origin (its form posts here; under no-referrer a browser would send "Origin: null").
void send_knowledge_page(Exchange& ex, CheckPage page, KnowledgeCheck outcome);

// ---- save and come back later (resume_routes.cpp) --------------------------------------------

/// "Save and come back later", pressed on a step or on check your answers: `answers` (the
/// draft's, with what this page posted) are saved, a new resume code is made, a link to come
/// back is mailed when the citizen gave an address and a relay is set up, and the page that
/// shows the code is sent. `continue_url`: where "Continue with your answers now" leads.
void save_for_later(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::optional<Draft>& draft,
                    const Fields& answers, const std::string& continue_url);

// ---- start another form with these answers (reuse_routes.cpp) --------------------------------

/// Whether some other form of the catalog takes some of `answers` (flat, given to form
/// `form_id` under `from`): the pages then offer "Start another form with these answers".
bool offers_reuse(const App& app, const engine::Plan& from, std::string_view form_id, const Fields& answers);

}  // namespace askonce::server
