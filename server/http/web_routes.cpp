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
// The key stays in the address, the history and bookmarks, so the receipt page shows no answer;
// "See or print your answers" (/receipts/{ref}/answers) first asks what only the citizen knows
// (knowledge.hpp), and the PDF and text versions, which hold the answers, are posted for with
// those answers.
// It is drawn from the stored canonical document under the definition it was checked against
// (Catalog::plan_for), so a form changed on disk still shows its old receipts. The receipt page
// also asks the A-11 feedback survey (feedback.hpp), posted to POST /receipts/{ref}/feedback?key=.
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
#include "engine/reuse.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "renderers/html.hpp"
#include "renderers/registry.hpp"
#include "renderers/script.hpp"
#include "server/http/app.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/amend.hpp"
#include "server/http/amend_pages.hpp"
#include "server/http/feedback.hpp"
#include "server/http/http.hpp"
#include "server/http/journey.hpp"
#include "server/http/knowledge.hpp"
#include "server/http/resume_pages.hpp"
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

/// Forms and their scripts change only when the server restarts with other forms.
constexpr std::string_view document_cache = "public, max-age=300";
/// The USWDS files change only when node_modules does. Their addresses carry no version, so
/// a week rather than a year: an upgrade reaches every browser within days.
constexpr std::string_view asset_cache = "public, max-age=604800";
/// A file whose URL names its content hash never changes.
constexpr std::string_view runtime_cache = "public, max-age=31536000, immutable";


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
  request.site.paper = paper_site(ex.app.config(), form->id, lang);  // the deployment's address, phone, notices
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
  renderers::StepInfo info = step_info(citizen_place(form, lang), section, shown, to_check);
  info.delete_url = delete_url(form, lang);
  info.save = true;
  info.reused = reused_fields(answers);
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
  if (post->controls.contains("askonce:save")) return save_for_later(ex, *form, lang, draft, answers, here);

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
  ex.redirect(next_url(citizen_place(*form, lang), checked, answers, *section, to_check));
}

void send_check(Exchange& ex, const CatalogForm& form, const std::string& lang, const Fields& answers,
                const engine::Result& checked, std::vector<engine::Error> errors, int status) {
  renderers::StepInfo info;
  const auto shown = shown_steps(*form.plan, checked);
  info.back_url = shown.empty() ? start_url(form, lang) : step_url(form, shown.back(), lang, false);
  info.delete_url = delete_url(form, lang);
  info.save = true;
  info.reused = reused_fields(answers);
  if (offers_reuse(ex.app, *form.plan, form.id, engine_answers(answers))) info.reuse_url = "/forms/" + form.id + "/reuse?lang=" + lang;
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
  if (post->controls.contains("askonce:save")) return save_for_later(ex, *form, lang, draft, answers, check_url(*form, lang));
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

/// A stored receipt the address names, shown with its key; or the one the session of a mailed
/// link opened (/receipts/status), whose addresses carry no key: the session is in a cookie.
struct ReceiptSource {
  StoredSubmission stored;
  std::shared_ptr<const engine::Plan> plan;
  engine::Result restored;
  std::string key;          // empty when by_session
  bool by_session = false;  // opened by a mailed link's session (receipt_session_reference)
  std::string lang;         // ?lang= when the form has it, else the submission's
  std::string lang_query;   // "&lang=xx" when ?lang= was given
};

/// The reference whose status the request's receipt session (the cookie a mailed link set)
/// opens; nothing when it has none, or it expired.
std::optional<std::string> receipt_session_reference(Exchange& ex);

/// The query of an address about `r`, "?" and its parts: the key (none for a session, which
/// is in the cookie), `extra` ("agency=ssa") when not empty, and lang=: `lang` when given,
/// else the ?lang= the request had. Empty when there is no part.
std::string receipt_query(const ReceiptSource& r, std::string_view extra = {}, std::string_view lang = {}) {
  std::string q;
  const auto part = [&](std::string_view p) {
    q += q.empty() ? "?" : "&";
    q += p;
  };
  if (!r.by_session) part("key=" + r.key);
  if (!extra.empty()) part(extra);
  if (!lang.empty()) part("lang=" + std::string(lang));
  else if (!r.lang_query.empty()) part(std::string_view(r.lang_query).substr(1));
  return q;
}

/// Where the citizen came from, and goes back to: the receipt page (with its key), or the
/// status page a mailed link opened.
std::string receipt_home(const ReceiptSource& r, std::string_view extra = {}) {
  return (r.by_session ? std::string("/receipts/status") : "/receipts/" + r.stored.reference) + receipt_query(r, extra);
}

/// The receipt of `stored` ready to show; nothing when its definition is gone, answered (500).
std::optional<ReceiptSource> load_receipt(Exchange& ex, StoredSubmission stored);

/// The receipt `{ref}` names, when the request has its key (or, with `session_ok`, no key and
/// the session of a mailed link that opened this very receipt); nothing otherwise, answered:
/// the router's own 404 for a wrong key, no key and an unknown reference alike.
std::optional<ReceiptSource> find_receipt(Exchange& ex, bool session_ok = false) {
  Store& store = ex.app.store();
  const std::string& reference = ex.params.at(0);
  const auto key = ex.query("key");
  bool by_session = false;
  if (!key && session_ok) {
    const auto opened = receipt_session_reference(ex);
    by_session = opened && *opened == reference;
  }
  if (!by_session && (!key || key->empty() || key->size() > 128 || !store.verify_receipt(reference, *key))) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  auto stored = store.find_submission(reference);
  if (!stored) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  auto r = load_receipt(ex, std::move(*stored));
  if (r && by_session) r->by_session = true;
  else if (r) r->key = *key;
  return r;
}

std::optional<ReceiptSource> load_receipt(Exchange& ex, StoredSubmission stored) {
  Store& store = ex.app.store();
  auto plan = ex.app.catalog().plan_for(stored.definition_hash, store);
  if (!plan) {
    close_if_unread_body(ex);
    ex.app.log().event("error", "receipt_definition_missing", {{"form", stored.form_id}});
    ex.fail(500, "This receipt cannot be shown just now. Your application is stored and is being delivered.");
    return std::nullopt;
  }
  ReceiptSource r;
  r.restored = engine::restore_submission(*plan, stored.canonical_json);
  if (!r.restored.ok()) {
    ex.app.log().event("warning", "receipt_restore", {{"form", stored.form_id}, {"errors", std::to_string(r.restored.errors.size())}});
  }
  // ?lang= may show the receipt in another of the form's languages; otherwise the one used.
  const model::Form& form = plan->form();
  r.lang = stored.language;
  if (auto l = ex.query("lang"); l && std::find(form.languages.begin(), form.languages.end(), *l) != form.languages.end()) {
    r.lang = *l;
  }
  r.lang_query = ex.query("lang") ? "&lang=" + r.lang : std::string();
  r.stored = std::move(stored);
  r.plan = std::move(plan);
  return r;
}

std::string answers_path(const ReceiptSource& r) {
  return "/receipts/" + r.stored.reference + "/answers?key=" + r.key + r.lang_query;
}

/// What only the citizen knows, about a receipt: from its answers.
std::vector<KnowledgeQuestion> receipt_questions(const ReceiptSource& r) {
  return knowledge_questions(*r.plan, engine::flat_answers(*r.plan, r.restored.submission));
}

/// "Correct an answer" and "Answer the agency" on the receipt page (below).
void correction_links(Exchange& ex, const ReceiptSource& r, renderers::ReceiptInfo& info);
/// What the receipt page shows of the A-11 survey after a post of it: the survey again, with
/// what was chosen and the problems, or a note in its place.
struct SurveyAfterPost {
  std::optional<FeedbackSpot> spot;
  renderers::FeedbackForm kept;
  std::optional<renderers::Ui> note;
};

/// The A-11 survey on the receipt and status page (feedback.hpp says which one, and offers it),
/// or after a post of it, what `after` says; a thank-you once answered (?feedback=thanks).
void receipt_survey(Exchange& ex, const ReceiptSource& r, const std::vector<AgencyStatus>& statuses,
                    renderers::ReceiptInfo& info, const SurveyAfterPost* after) {
  if (after && after->note) {
    info.feedback_note = after->note;
    return;
  }
  const std::optional<FeedbackSpot> spot = after && after->spot ? after->spot : citizen_feedback(ex.app, r.stored, statuses);
  if (!spot) {
    if (ex.query("feedback") == "thanks") info.feedback_note = renderers::Ui::FeedbackThanks;
    return;
  }
  renderers::FeedbackForm f = after ? after->kept : renderers::FeedbackForm{};
  f.service = feedback_service(r.plan->form(), r.lang, spot->agency);
  if (spot->stage == "decision") f.about = renderers::ui(renderers::Ui::FeedbackAboutDecision, r.lang, {f.service});
  f.action = "/receipts/" + r.stored.reference + "/feedback" + receipt_query(r);
  f.hidden = {{std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex))},
              {"askonce:stage", spot->stage},
              {"askonce:agency", spot->agency}};
  info.feedback = std::move(f);
}

/// The receipt in `name`'s format. `answers`: with the answers (once the citizen has answered
/// what only they know; `download` then carries those answers for the PDF and text versions).
/// The web page without the answers asks the A-11 survey (receipt_survey; `after` a post of it).
void send_receipt(Exchange& ex, const ReceiptSource& r, std::string_view name, bool answers, Fields download = {},
                  const SurveyAfterPost* after = nullptr, int status = 200) {
  const model::Form& form = r.plan->form();
  renderers::ReceiptInfo info;
  const auto statuses = ex.app.store().agency_statuses(r.stored.reference);
  receipt_deliveries(form, r.stored, info, statuses, ex.app.context(r.lang, "web").today, ex.app.zone());
  if (name == "html" && !answers) receipt_survey(ex, r, statuses, info, after);
  if (r.by_session) {
    // The status page a mailed link opened: what the receipt page offers but its answers
    // and their documents (those are for the receipt's own link, after what only the citizen
    // knows), drawn by the same parts.
    correction_links(ex, r, info);
    return ex.send(status, "text/html; charset=utf-8",
                   receipt_status_page(*r.plan, r.lang, r.stored, site_of(ex.app.config(), r.stored.form_id), info),
                   {{"Referrer-Policy", "same-origin"}});
  }
  if (answers) {
    info.pdf_url = receipt_path(r.stored.reference, r.key, ".pdf") + r.lang_query;
    info.text_url = receipt_path(r.stored.reference, r.key, ".txt") + r.lang_query;
    info.download_fields = std::move(download);
  } else {
    info.answers_url = answers_path(r);
  }
  const Fields flat = engine::flat_answers(*r.plan, r.restored.submission);
  if (name == "html" && offers_reuse(ex.app, *r.plan, r.stored.form_id, flat)) {
    info.reuse_url = "/receipts/" + r.stored.reference + "/reuse?key=" + r.key + r.lang_query;
  }
  info.mail_sent = name == "html" && ex.app.store().receipt_mailed(r.stored.reference);  // what the store knows, not the config
  if (name == "html" && !answers) correction_links(ex, r, info);

  const auto& rend = renderer(name);
  renderers::RenderRequest request;
  request.plan = r.plan.get();
  request.language = r.lang;
  request.document = renderers::Document::Receipt;
  request.submission = answers ? &r.restored.submission : nullptr;
  request.receipt = &info;
  request.site = site_of(ex.app.config(), r.stored.form_id);
  // The language switch keeps the receipt's key: "?lang=xx" alone would lose it. On the page
  // with answers it leads to the receipt without them (the answers are posted for).
  for (const auto& l : form.languages) request.site.languages.push_back({l, receipt_path(r.stored.reference, r.key) + "&lang=" + l});
  const std::string bytes = rend.render(request).bytes;
  // Cache-Control: no-store and Referrer-Policy: no-referrer come from the router: the page is
  // personal, and its address holds the key.
  if (rend.binary) {
    ex.send(status, rend.mime, bytes,
            {{"Content-Disposition", "inline; filename=\"receipt-" + r.stored.reference + "." + std::string(rend.extension) + "\""}});
  } else if (!info.download_fields.empty() || info.feedback) {
    // Its forms post to this site: a browser told no-referrer would send "Origin: null".
    ex.send(status, rend.mime, bytes, {{"Referrer-Policy", "same-origin"}});
  } else {
    ex.send(status, rend.mime, bytes);
  }
}

/// The questions only the citizen knows, before a receipt's answers, after `outcome`.
void send_receipt_questions(Exchange& ex, const ReceiptSource& r, const std::vector<KnowledgeQuestion>& questions,
                            const Fields& typed, KnowledgeCheck outcome);

// ---- correcting an answer, answering an agency (amend.hpp) ---------------------------------------
//
//   GET  /receipts/{ref}/correct?key=[&agency=A]  what only the citizen knows (as the answers page)
//   POST /receipts/{ref}/correct?key=[&agency=A]  each post checks those answers again (counted
//        with the answers page's, per receipt), then: which answer (askonce:field) → its step
//        with the current value → askonce:send: checked as a submission, stored as amendments
// `agency=A`: answering A's open need_info; the fields it named, or those it receives.
// Without `key=`, the session of a mailed link (/receipts/status) that opened this reference
// opens these and POST /receipts/{ref}/feedback alike: the status page offers what the receipt
// page does, through these same handlers, and they lead back to it (receipt_home).

std::string correct_path(const ReceiptSource& r, const std::string& agency) {
  return "/receipts/" + r.stored.reference + "/correct" + receipt_query(r, agency.empty() ? "" : "agency=" + agency);
}

/// The receipt page's "Correct an answer", and "Answer the agency" by each agency waiting on
/// the citizen.
void correction_links(Exchange& ex, const ReceiptSource& r, renderers::ReceiptInfo& info) {
  info.correct_url = correct_path(r, {});
  const auto statuses = ex.app.store().agency_statuses(r.stored.reference);
  for (std::size_t i = 0; i < info.agencies.size(); ++i) {
    const auto& agency = r.plan->form().agencies[info.agencies[i]].name;
    info.answer_urls.push_back(open_need_info(statuses, agency) ? correct_path(r, agency) : std::string());
  }
}

/// What a correction page needs besides the receipt: the agency answered (when `agency=`
/// names one waiting on the citizen), the fields the citizen may correct.
struct CorrectionContext {
  const model::Agency* agency = nullptr;
  std::size_t agency_index = 0;
  std::optional<AgencyStatus> asked;
  std::vector<model::FieldId> fields;
};

std::optional<CorrectionContext> correction_context(Exchange& ex, const ReceiptSource& r) {
  CorrectionContext c;
  if (auto a = ex.query("agency")) {
    const auto& agencies = r.plan->form().agencies;
    for (std::size_t i = 0; i < agencies.size(); ++i) {
      if (agencies[i].name == *a) {
        c.agency = &agencies[i];
        c.agency_index = i;
      }
    }
    if (c.agency) c.asked = open_need_info(ex.app.store().agency_statuses(r.stored.reference), c.agency->name);
    if (!c.asked) {
      // Not waiting on the citizen (answered already, or never asked): the same 404 as a
      // wrong key, so an address says nothing.
      close_if_unread_body(ex);
      ex.fail(404, nothing_here);
      return std::nullopt;
    }
  }
  c.fields = correctable_fields(*r.plan, r.restored.submission, c.agency,
                                c.asked ? c.asked->fields : std::vector<std::string>{});
  return c;
}

void send_correct_questions(Exchange& ex, const ReceiptSource& r, const std::string& agency,
                            const std::vector<KnowledgeQuestion>& questions, const Fields& typed, KnowledgeCheck outcome) {
  CheckPage p;
  p.plan = r.plan.get();
  p.language = r.lang;
  p.site = site_of(ex.app.config(), r.stored.form_id);
  for (const auto& l : r.plan->form().languages) {
    p.site.languages.push_back({l, "/receipts/" + r.stored.reference + "/correct" +
                                       receipt_query(r, agency.empty() ? "" : "agency=" + agency, l)});
  }
  p.questions = questions;
  p.typed = typed;
  p.action = correct_path(r, agency);
  send_knowledge_page(ex, std::move(p), outcome);
}

/// Which answer to correct (what only the citizen knows already answered: `hidden` carries it).
void send_correct_choice(Exchange& ex, const ReceiptSource& r, const CorrectionContext& c, Fields hidden, bool error) {
  const renderers::Wording words(r.plan->form(), r.lang);
  ChoosePage p;
  p.language = words.language();
  p.site = site_of(ex.app.config(), r.stored.form_id);
  p.action = correct_path(r, c.agency ? c.agency->name : std::string());
  hidden.emplace_back("askonce:choose", "yes");
  p.hidden = std::move(hidden);
  for (auto f : c.fields) p.choices.push_back({r.plan->form().fields[f].id, words.field(f).label});
  if (c.agency) {
    p.asking_agency = words.agency_title(c.agency_index);
    const auto progress = agency_progress(*c.agency, {*c.asked}, {}, {}, ex.app.zone());
    if (!progress.message_name.empty()) {
      for (const auto& m : c.agency->messages) {
        if (m.name == progress.message_name) p.agency_message = words.text(m.text);
      }
    } else if (auto it = progress.message.find(words.language()); it != progress.message.end()) {
      p.agency_message = it->second;
    }
  }
  p.back_url = receipt_home(r);
  p.error = error;
  ex.send(error ? 422 : 200, "text/html; charset=utf-8", correct_choose_page(p), {{"Referrer-Policy", "same-origin"}});
}

/// The step of `field` with only its question: its value now (or what was typed, with the
/// engine's errors).
void send_correct_step(Exchange& ex, const ReceiptSource& r, model::FieldId field, Fields values,
                       std::vector<engine::Error> errors, Fields hidden, int status) {
  const model::Form& form = r.plan->form();
  const renderers::Wording words(form, r.lang);
  renderers::StepInfo step;
  step.section = form.fields[field].section;
  step.only = form.fields[field].id;
  step.submit_label = renderers::ui(renderers::Ui::CorrectSend, words.language());
  step.back_url = receipt_home(r);
  const renderers::Filled filled{std::move(values), std::move(errors)};
  renderers::RenderRequest request;
  request.plan = r.plan.get();
  request.language = r.lang;
  request.document = renderers::Document::Step;
  request.step = &step;
  request.filled = &filled;
  request.hidden = std::move(hidden);
  request.site = site_of(ex.app.config(), r.stored.form_id);
  request.title_parts = {std::string(renderers::ui(renderers::Ui::CorrectTitle, words.language()))};
  ex.send(status, "text/html; charset=utf-8", renderer("html").render(request).bytes, {{"Referrer-Policy", "same-origin"}});
}

void correct_page(Exchange& ex) {
  auto r = find_receipt(ex, true);
  if (!r) return;
  const auto c = correction_context(ex, *r);
  if (!c) return;
  const auto questions = receipt_questions(*r);
  const std::string agency = c->agency ? c->agency->name : std::string();
  if (!questions.empty()) return send_correct_questions(ex, *r, agency, questions, {}, KnowledgeCheck::Ask);
  Fields hidden{{"askonce:check", "yes"}, {std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex))}};
  send_correct_choice(ex, *r, *c, std::move(hidden), false);
}

void correct_post(Exchange& ex) {
  auto r = find_receipt(ex, true);
  if (!r) return;
  auto post = read_site_post(ex);
  if (!post) return;
  const auto c = correction_context(ex, *r);
  if (!c) return;
  const std::string agency = c->agency ? c->agency->name : std::string();
  const Fields typed = knowledge_typed(post->answers);
  const auto questions = receipt_questions(*r);
  // The same counter as "See or print your answers": one limit on guesses per receipt.
  const auto outcome = check_knowledge(ex.app.store(), questions, post->controls.contains("askonce:check"), typed,
                                       "receipt-answers:" + sha256_hex(r->stored.reference), now_ms());
  if (outcome != KnowledgeCheck::Passed) return send_correct_questions(ex, *r, agency, questions, typed, outcome);
  Fields hidden = typed;
  hidden.emplace_back("askonce:check", "yes");
  hidden.emplace_back(std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex)));

  const auto chosen = post->controls.find("askonce:field");
  model::FieldId field = model::no_field;
  if (chosen != post->controls.end()) {
    for (auto f : c->fields) {
      if (r->plan->form().fields[f].id == chosen->second) field = f;
    }
  }
  if (field == model::no_field) {
    return send_correct_choice(ex, *r, *c, std::move(hidden), post->controls.contains("askonce:choose"));
  }
  hidden.emplace_back("askonce:field", r->plan->form().fields[field].id);
  hidden.emplace_back("askonce:send", "yes");
  if (!post->controls.contains("askonce:send")) {
    return send_correct_step(ex, *r, field, engine::flat_answers(*r->plan, r->restored.submission), {},
                             std::move(hidden), 200);
  }
  Correction correction;
  correction.stored = &r->stored;
  correction.plan = r->plan.get();
  correction.field = field;
  correction.typed = post->answers;
  if (c->agency) correction.answering = c->agency->name;
  CorrectionOutcome out = correct(ex.app, correction);
  const renderers::Wording words(r->plan->form(), r->lang);
  const std::string back = receipt_home(*r);
  const auto site = site_of(ex.app.config(), r->stored.form_id);
  const std::string html = "text/html; charset=utf-8";
  using S = CorrectionOutcome::Status;
  using renderers::Ui;
  switch (out.status) {
    case S::Invalid:
      return send_correct_step(ex, *r, field, std::move(out.typed), std::move(out.checked.errors), std::move(hidden),
                               422);
    case S::Unchanged:
      return ex.send(200, html, correct_result_page(words.language(), site, Ui::CorrectTitle, Ui::CorrectUnchanged, {}, back, false));
    case S::Rerouted:
      return ex.send(422, html, correct_result_page(words.language(), site, Ui::CorrectTitle, Ui::CorrectRerouted, {}, back, true));
    case S::Conflict:
      return ex.send(409, html, correct_result_page(words.language(), site, Ui::CorrectTitle, Ui::CorrectConflict, {}, back, true));
    case S::Stored: {
      std::vector<std::string> titles;
      for (const auto& name : out.agencies) {
        for (std::size_t i = 0; i < r->plan->form().agencies.size(); ++i) {
          if (r->plan->form().agencies[i].name == name) titles.push_back(words.agency_title(i));
        }
      }
      ex.app.log().event("info", "corrected", {{"form", r->stored.form_id}, {"agencies", std::to_string(titles.size())}});
      return ex.send(200, html,
                     correct_result_page(words.language(), site, Ui::CorrectDoneTitle,
                                         titles.empty() ? Ui::CorrectDoneNone : Ui::CorrectDoneAgencies, titles, back, false));
    }
  }
}

/// The questions only the citizen knows, before a receipt's answers, after `outcome`.
void send_receipt_questions(Exchange& ex, const ReceiptSource& r, const std::vector<KnowledgeQuestion>& questions,
                            const Fields& typed, KnowledgeCheck outcome) {
  CheckPage p;
  p.plan = r.plan.get();
  p.language = r.lang;
  p.site = site_of(ex.app.config(), r.stored.form_id);
  for (const auto& l : r.plan->form().languages) {
    p.site.languages.push_back({l, "/receipts/" + r.stored.reference + "/answers?key=" + r.key + "&lang=" + l});
  }
  p.questions = questions;
  p.typed = typed;
  p.action = answers_path(r);
  send_knowledge_page(ex, std::move(p), outcome);
}

/// GET /receipts/{ref}?key=: the receipt, without the answers (the key is in the address, the
/// history, a bookmark): reference, time, what happens next, each agency and its state, and
/// "See or print your answers".
void receipt_page(Exchange& ex) {
  if (auto r = find_receipt(ex)) send_receipt(ex, *r, "html", false);
}

/// POST /receipts/{ref}/feedback?key=: the A-11 survey's answers (askonce:stage and
/// askonce:agency say which survey), stored once. Then the receipt again: with a thank-you
/// (303, ?feedback=thanks); with the survey, every choice kept and the problems (422); with a
/// note that it was answered already, the first answers kept (409). A stage the citizen was
/// never asked here is the router's 404.
void receipt_feedback(Exchange& ex) {
  auto r = find_receipt(ex, true);
  if (!r) return;
  auto post = read_site_post(ex);
  if (!post) return;
  auto control = [&](const char* name) {
    const auto it = post->controls.find(name);
    return it == post->controls.end() ? std::string() : it->second;
  };
  const std::string stage = control("askonce:stage"), agency = control("askonce:agency");
  const auto statuses = ex.app.store().agency_statuses(r->stored.reference);
  std::optional<FeedbackSpot> spot;
  if (citizen_stage_allowed(r->stored, statuses, stage, agency)) spot = feedback_spot(ex.app, r->stored, stage, agency);
  if (!spot || spot->state == FeedbackState::NotOffered) return ex.fail(404, nothing_here);
  SurveyAfterPost after;
  switch (answer_feedback_post(ex.app, r->stored, *spot, post->answers, r->lang, after.kept)) {
    case FeedbackPosted::Stored:
      return ex.redirect(receipt_home(*r, "feedback=thanks"));
    case FeedbackPosted::Already:
      after.note = renderers::Ui::FeedbackAlready;
      return send_receipt(ex, *r, "html", false, {}, &after, 409);
    case FeedbackPosted::Invalid:
      after.spot = spot;
      return send_receipt(ex, *r, "html", false, {}, &after, 422);
    case FeedbackPosted::NotOffered: return ex.fail(404, nothing_here);
  }
}

/// GET /receipts/{ref}/answers?key=: the questions only the citizen knows (the answers at once
/// when there is none to ask).
void receipt_answers_page(Exchange& ex) {
  auto r = find_receipt(ex);
  if (!r) return;
  const auto questions = receipt_questions(*r);
  if (questions.empty()) return send_receipt(ex, *r, "html", true);
  send_receipt_questions(ex, *r, questions, {}, KnowledgeCheck::Ask);
}

/// POST /receipts/{ref}/answers?key= (and .pdf, .txt): the answers, in that format, once the
/// citizen has answered what only they know; wrong answers are counted per receipt in the store.
void receipt_with_answers(Exchange& ex, std::string_view name) {
  auto r = find_receipt(ex);
  if (!r) return;
  auto post = read_site_post(ex);
  if (!post) return;
  const Fields typed = knowledge_typed(post->answers);
  const auto questions = receipt_questions(*r);
  const auto outcome = check_knowledge(ex.app.store(), questions, post->controls.contains("askonce:check"), typed,
                                       "receipt-answers:" + sha256_hex(r->stored.reference), now_ms());
  if (outcome != KnowledgeCheck::Passed) return send_receipt_questions(ex, *r, questions, typed, outcome);
  Fields download = typed;
  download.emplace_back("askonce:check", "yes");
  download.emplace_back(std::string(csrf_field), csrf_token(ex.app, ensure_cookie(ex)));
  send_receipt(ex, *r, name, true, std::move(download));
}

void receipt_answers(Exchange& ex) { receipt_with_answers(ex, "html"); }
void receipt_pdf_post(Exchange& ex) { receipt_with_answers(ex, "pdf"); }
void receipt_text_post(Exchange& ex) { receipt_with_answers(ex, "text"); }

/// GET /receipts/{ref}.pdf?key= (and .txt): the answers are in these, so they lead to the
/// questions first.
void receipt_document(Exchange& ex) {
  if (auto r = find_receipt(ex)) ex.redirect(answers_path(*r));
}

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

std::optional<std::string> receipt_session_reference(Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string session = cookies.get(receipt_cookie_name(ex.app), "");
  if (!plausible_token(session)) return std::nullopt;
  return ex.app.store().session_reference(sha256_hex(session), now_ms());
}

/// GET /receipts/status: the receipt a mailed link's session opened, as send_receipt draws it
/// for a session (receipt_status_page): its statuses, "Answer the agency", "Correct an answer"
/// and the A-11 survey, which lead to the receipt's own routes without a key.
void receipt_status(Exchange& ex) {
  const auto reference = receipt_session_reference(ex);
  std::optional<StoredSubmission> stored;
  if (reference) stored = ex.app.store().find_submission(*reference);
  if (!stored) {
    // No session, or it expired: the same page as a used link, which says how to get a new one.
    const std::string lang = language(ex, page_languages());
    vary(ex);
    return ex.send(410, "text/html; charset=utf-8", link_expired_page(lang, lost_link_offered(ex.app), site_of(ex.app.config())));
  }
  auto r = load_receipt(ex, std::move(*stored));
  if (!r) return;
  r->by_session = true;
  send_receipt(ex, *r, "html", false);
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
    {"GET", "/receipts/{ref}.pdf", receipt_document},
    {"POST", "/receipts/{ref}.pdf", receipt_pdf_post, true},
    {"GET", "/receipts/{ref}.txt", receipt_document},
    {"POST", "/receipts/{ref}.txt", receipt_text_post, true},
    {"GET", "/receipts/{ref}", receipt_page},
    {"GET", "/receipts/{ref}/answers", receipt_answers_page},
    {"POST", "/receipts/{ref}/answers", receipt_answers, true},
    {"GET", "/receipts/{ref}/correct", correct_page},
    {"POST", "/receipts/{ref}/correct", correct_post, true},
    {"POST", "/receipts/{ref}/feedback", receipt_feedback, true},
    {"GET", "/assets/askonce/{file}", form_runtime},
    {"GET", "/assets/uswds/{path*}", asset},
};

}  // namespace

std::span<const Route> web_routes() { return routes; }

}  // namespace askonce::server
