// server/http/resume_routes.cpp: "Save and come back later" (GOV.UK's save-and-return pattern).
//
//   (a step's or check your answers' post with askonce:save)  the answers saved, a resume code
//                                  shown (and written down), a link mailed when the citizen gave
//                                  an address and a relay is set up: save_for_later
//   GET  /resume                   the resume code; or, when an emailed link opened a session in
//                                  this browser, the questions only the citizen knows
//   POST /resume                   the code (then the questions), or the questions' answers
//   GET  /resume/{token}           an emailed link: used up, swapped for a session cookie, on to
//                                  GET /resume
//
// Neither a code nor a link alone shows answers: the citizen also answers what only they know
// (knowledge.hpp: from their own answers, a date of birth and the last 4 digits of an SSN on
// the shipped forms). Wrong answers are counted in the store (record_attempt), per code or per
// link session, so the limit holds whichever node answers: five in an hour, then locked for the
// rest of the hour. On success the draft gets a new id (a browser that still held the old one
// loses it) in this browser's draft cookie, and the citizen goes on to check your answers, which
// leads to the first step not done yet.
#include <ctime>

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "renderers/strings.hpp"
#include "server/http/app.hpp"
#include "server/http/journey.hpp"
#include "server/http/knowledge.hpp"
#include "server/http/receipt_mail.hpp"
#include "server/http/resume_pages.hpp"
#include "server/http/web_pages.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

/// Resume mails one draft can send in an hour: Save pressed again and again mails no one more.
constexpr std::int64_t max_mails = 3;

std::string resume_cookie_name(const App& app) {
  return app.config().secure_cookies ? "__Host-askonce-resume" : "askonce-resume";
}

/// The resume session this browser holds (an emailed link opened it), when it looks like one.
std::string resume_session_cookie(const Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string value = cookies.get(resume_cookie_name(ex.app), "");
  return plausible_token(value) ? value : std::string();
}

void set_resume_cookie(Exchange& ex, const std::string& value, bool clear) {
  Poco::Net::HTTPCookie cookie(resume_cookie_name(ex.app), clear ? "" : value);
  cookie.setPath("/");
  cookie.setHttpOnly(true);
  // Lax: the link is clicked in a mail client, another site, and the redirect that follows
  // must carry the cookie.
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
  cookie.setSecure(ex.app.config().secure_cookies);
  if (clear) cookie.setMaxAge(0);
  ex.response.addCookie(cookie);
}

const std::pair<std::string_view, std::string_view> same_origin = {"Referrer-Policy", "same-origin"};

void send_page(Exchange& ex, int status, const std::string& html) {
  ex.send(status, "text/html; charset=utf-8", html, {{std::string(same_origin.first), std::string(same_origin.second)}});
}

/// The page that asks for the code, with `message` (an error) when not empty.
void send_code_page(Exchange& ex, const std::string& lang, const std::string& code, std::string_view message, int status) {
  renderers::Site site = site_of(ex.app.config());
  for (const auto& l : page_languages()) site.languages.push_back({l, "/resume?lang=" + l});
  send_page(ex, status, resume_code_page(site, lang, csrf_token(ex.app, ensure_cookie(ex)), code, message));
}

/// The page that asks what only the citizen knows about a draft of `form`, after `outcome`
/// (Ask: the questions; Wrong or Locked: with the error).
void send_check_page(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& code,
                     const std::vector<KnowledgeQuestion>& questions, const Fields& typed, KnowledgeCheck outcome) {
  CheckPage p;
  p.plan = form.plan.get();
  p.language = lang;
  p.site = site_of(ex.app.config(), form.id);
  for (const auto& l : form.plan->form().languages) p.site.languages.push_back({l, "/resume?lang=" + l});
  p.code = code;
  p.questions = questions;
  p.typed = typed;
  send_knowledge_page(ex, std::move(p), outcome);
}

/// The language for a draft's pages: the query's when the form has it, else the draft's.
std::string draft_language(const Exchange& ex, const CatalogForm& form, const Draft& draft) {
  const auto& offered = form.plan->form().languages;
  if (auto l = ex.query("lang"); l && std::find(offered.begin(), offered.end(), *l) != offered.end()) return *l;
  if (std::find(offered.begin(), offered.end(), draft.language) != offered.end()) return draft.language;
  return offered.empty() ? std::string("en") : offered.front();
}

/// The draft's answers as the form is now (an older definition's answers dropped).
Fields current_answers(const CatalogForm& form, const Draft& draft) {
  Fields answers = draft.answers;
  if (draft.definition_hash != form.plan->form().definition_hash) keep_known(*form.plan, answers);
  return answers;
}

/// Lets the citizen in: the resumed draft's new id in this browser's cookie, and on to check
/// your answers (which leads to the first step not done).
void let_in(Exchange& ex, const CatalogForm& form, const Draft& resumed, const std::string& lang) {
  set_draft_cookie(ex, form, resumed.id);
  ex.app.log().event("info", "web_draft_resumed", {{"form", form.id}});
  ex.redirect(check_url(form, lang));
}

/// The link-expired page, in the resume words: how to come back with the code instead.
void send_link_gone(Exchange& ex, const std::string& lang) {
  set_resume_cookie(ex, "", true);
  send_code_page(ex, lang, "", renderers::ui(renderers::Ui::LinkExpiredTitle, lang), 410);
}

// ---- GET and POST /resume ----------------------------------------------------------------------

void resume_page(Exchange& ex) {
  vary(ex);
  const std::string session = resume_session_cookie(ex);
  if (!session.empty()) {
    if (auto draft = ex.app.store().peek_resume_session(sha256_hex(session), now_ms())) {
      if (const CatalogForm* form = ex.app.catalog().find(draft->form_id)) {
        const std::string lang = draft_language(ex, *form, *draft);
        const auto questions = knowledge_questions(*form->plan, current_answers(*form, *draft));
        if (questions.empty()) {
          if (auto resumed = ex.app.store().resume_session(sha256_hex(session), now_ms())) {
            set_resume_cookie(ex, "", true);
            return let_in(ex, *form, *resumed, lang);
          }
        }
        return send_check_page(ex, *form, lang, "", questions, {}, KnowledgeCheck::Ask);
      }
    }
    set_resume_cookie(ex, "", true);
  }
  send_code_page(ex, language(ex, page_languages()), "", "", 200);
}

void resume_post(Exchange& ex) {
  const std::string page_lang = language(ex, page_languages());
  auto post = read_site_post(ex);
  if (!post) return;
  std::string code;
  for (auto& [name, value] : post->answers) {
    if (name == "code") code = value.substr(0, 40);
  }
  const Fields typed = knowledge_typed(post->answers);
  const bool answering = post->controls.contains("askonce:check");
  const TimePoint at = now_ms();
  Store& store = ex.app.store();

  // By the emailed link's session: no code on the page.
  if (code.empty() && answering) {
    const std::string session = resume_session_cookie(ex);
    const std::string session_hash = session.empty() ? std::string() : sha256_hex(session);
    auto draft = session.empty() ? std::nullopt : store.peek_resume_session(session_hash, at);
    const CatalogForm* form = draft ? ex.app.catalog().find(draft->form_id) : nullptr;
    if (!form) return send_link_gone(ex, page_lang);
    const std::string lang = draft_language(ex, *form, *draft);
    const auto questions = knowledge_questions(*form->plan, current_answers(*form, *draft));
    const auto outcome = check_knowledge(store, questions, true, typed, "resume-session:" + session_hash, at);
    if (outcome != KnowledgeCheck::Passed) return send_check_page(ex, *form, lang, "", questions, typed, outcome);
    auto resumed = store.resume_session(session_hash, at);
    if (!resumed) return send_link_gone(ex, page_lang);
    set_resume_cookie(ex, "", true);
    return let_in(ex, *form, *resumed, lang);
  }

  // By the code.
  const auto canonical = parse_resume_code(code);
  if (!canonical) {
    return send_code_page(ex, page_lang, code, renderers::ui(renderers::Ui::ResumeCodeInvalid, page_lang), 422);
  }
  auto draft = store.peek_resume(*canonical, at);
  const CatalogForm* form = draft ? ex.app.catalog().find(draft->form_id) : nullptr;
  if (!form) {
    const int days = ex.app.config().retention.drafts_days;
    return send_code_page(ex, page_lang, code,
                          renderers::ui(renderers::Ui::ResumeCodeUnknown, page_lang, {std::to_string(days)}), 422);
  }
  const std::string lang = draft_language(ex, *form, *draft);
  const auto questions = knowledge_questions(*form->plan, current_answers(*form, *draft));
  const auto outcome = check_knowledge(store, questions, answering, typed, "resume-code:" + sha256_hex(*canonical), at);
  if (outcome != KnowledgeCheck::Passed) return send_check_page(ex, *form, lang, *canonical, questions, typed, outcome);
  auto resumed = store.resume_draft(*canonical, at);
  if (!resumed) {
    const int days = ex.app.config().retention.drafts_days;
    return send_code_page(ex, page_lang, code,
                          renderers::ui(renderers::Ui::ResumeCodeUnknown, page_lang, {std::to_string(days)}), 422);
  }
  let_in(ex, *form, *resumed, lang);
}

// ---- GET /resume/{token} ------------------------------------------------------------------------

void open_resume_link(Exchange& ex) {
  const std::string lang = language(ex, page_languages());
  const std::string& token = ex.params.at(0);
  const std::string session = random_token(32);
  const TimePoint at = now_ms();
  std::optional<std::string> form_id;
  if (plausible_token(token)) {
    form_id = ex.app.store().open_resume_link(sha256_hex(token), sha256_hex(session),
                                              at + std::chrono::minutes(ex.app.config().mail.session_minutes), at);
  }
  if (!form_id) return send_link_gone(ex, lang);
  set_resume_cookie(ex, session, false);
  ex.redirect("/resume");
}

constexpr Route routes[] = {
    {"GET", "/resume", resume_page},
    {"POST", "/resume", resume_post, true},
    {"GET", "/resume/{token}", open_resume_link},
};

}  // namespace

std::span<const Route> resume_routes() { return routes; }

// ---- Save and come back later ------------------------------------------------------------------

void save_for_later(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::optional<Draft>& draft,
                    const Fields& answers, const std::string& continue_url) {
  const auto id = save_draft(ex, form, lang, draft, answers);
  if (!id) return draft_gone(ex, form, lang, draft ? draft->id : std::string());
  const TimePoint at = now_ms();
  Store& store = ex.app.store();
  const auto code = store.new_resume_code(*id, at);
  if (!code) return draft_gone(ex, form, lang, *id);
  const Config& config = ex.app.config();

  SavedPage p;
  p.plan = form.plan.get();
  p.language = lang;
  p.site = site_of(config, form.id);
  p.code = *code;
  p.expires = iso_utc(at + std::chrono::hours(24) * config.retention.drafts_days);
  p.lifetime_days = config.retention.drafts_days;
  p.asks = knowledge_questions(*form.plan, answers);
  p.link_days = config.mail.link_days;
  p.resume_url = ex.app.public_base() + "/resume";
  p.continue_url = continue_url;
  p.delete_url = delete_url(form, lang);
  p.csrf_token = csrf_token(ex.app, ensure_cookie(ex));

  // The link by mail, to the address the citizen gave (the contact block's email), when there
  // is a relay; at most a few per draft an hour.
  if (ex.app.mail_enabled()) {
    const engine::Result checked = check_answers(ex.app, form, lang, answers);
    const auto address = receipt_address(*form.plan, checked.submission);
    if (address && store.record_attempt("resume-mail:" + sha256_hex(*id), at, std::chrono::hours(1)) <= max_mails) {
      const std::string link_token = random_token(32);
      ReceiptMailInput in;
      in.plan = form.plan.get();
      in.language = lang;
      in.recipient = *address;
      in.link_url = ex.app.public_base() + "/resume/" + link_token;
      in.link_days = config.mail.link_days;
      const NewMailLink link{sha256_hex(link_token), at + std::chrono::hours(24) * config.mail.link_days};
      if (store.enqueue_resume_mail(resume_mail(in), *id, link, at)) {
        p.mail_sent = true;
        ex.app.notify_mail();
      }
    }
  }
  ex.app.log().event("info", "web_draft_saved", {{"form", form.id}, {"mailed", p.mail_sent ? "yes" : "no"}});
  // The language switch: this address (the step's or check your answers') with ?lang=xx, a
  // GET of the same step in that language, which the renderer's default gives.
  send_page(ex, 200, saved_page(p));
}

}  // namespace askonce::server
