// server/http/reuse_routes.cpp: "Start another form with these answers" (ask once across forms).
//
//   GET  /receipts/{ref}/reuse?key=…   from a receipt (its reference and key): the forms that
//   POST /receipts/{ref}/reuse?key=…   share answers with it, then the one chosen
//   GET  /forms/{id}/reuse             from this browser's draft of form {id}: the same
//   POST /forms/{id}/reuse
//
// Only the fields of the same shared block are carried (engine/reuse.hpp: never a match by
// name). Before anything is carried the citizen answers what only they know (knowledge.hpp),
// as when coming back to a draft, with wrong answers counted in the store per receipt or per
// draft. The new form starts as a new draft in this browser, its reused fields marked
// (web_post.hpp, reused_marker): check your answers says where they came from, and a sensitive
// one (an SSN) is shown masked and kept unless the citizen types another.
#include <Poco/Net/HTTPServerRequest.h>

#include "engine/plan.hpp"
#include "engine/reuse.hpp"
#include "engine/validate.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/http/journey.hpp"
#include "server/http/knowledge.hpp"
#include "server/http/resume_pages.hpp"
#include "server/http/web_pages.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

/// The answers another form starts from: a stored submission, or a draft.
struct Source {
  std::shared_ptr<const engine::Plan> plan;  // the definition they were given under
  std::string form_id;
  std::string language;
  Fields answers;            // flat, as a page posts them; no markers
  std::string attempts_key;  // wrong answers are counted under it
  std::string action;        // this page's address, where its posts go
};

/// The receipt the address names, with its key; nothing (answered 404) otherwise.
std::optional<Source> receipt_source(Exchange& ex) {
  Store& store = ex.app.store();
  const std::string& reference = ex.params.at(0);
  const auto key = ex.query("key");
  if (!key || key->empty() || key->size() > 128 || !store.verify_receipt(reference, *key)) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  const auto stored = store.find_submission(reference);
  const auto plan = stored ? ex.app.catalog().plan_for(stored->definition_hash, store) : nullptr;
  if (!plan) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  const engine::Result restored = engine::restore_submission(*plan, stored->canonical_json);
  Source s;
  s.plan = plan;
  s.form_id = stored->form_id;
  s.language = stored->language;
  s.answers = engine::flat_answers(*plan, restored.submission);
  s.attempts_key = "reuse-receipt:" + sha256_hex(reference);
  s.action = "/receipts/" + reference + "/reuse?key=" + *key;  // a key we issued: URL-safe base64
  return s;
}

/// This browser's draft of the form the address names; nothing (answered) otherwise: 404 for
/// no such form, and the form's first step when there is no draft.
std::optional<Source> draft_source(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) {
    close_if_unread_body(ex);
    return std::nullopt;
  }
  const std::string id = draft_cookie(ex, *form);
  const auto draft = load_draft(ex.app, *form, id);
  if (!draft) {
    close_if_unread_body(ex);
    const std::string lang = language(ex, form->plan->form().languages);
    ex.redirect(form->plan->form().sections.empty() ? start_url(*form, lang) : step_url(*form, 0, lang, false));
    return std::nullopt;
  }
  Source s;
  s.plan = form->plan;
  s.form_id = form->id;
  s.language = draft->language;
  s.answers = engine_answers(draft->answers);
  s.attempts_key = "reuse-draft:" + sha256_hex(id);
  s.action = "/forms/" + form->id + "/reuse";
  return s;
}

/// The page's language: ?lang= when the server has words in it, else the source's.
std::string page_language(const Exchange& ex, const Source& source) {
  if (auto l = ex.query("lang"); l && renderers::has_ui_language(*l)) return *l;
  return renderers::has_ui_language(source.language) ? source.language : std::string("en");
}

std::string with_lang(const std::string& action, const std::string& lang) {
  return action + (action.find('?') == std::string::npos ? "?" : "&") + "lang=" + lang;
}

/// Every other form that takes some of the source's answers, and what it takes.
std::vector<ReuseChoice> choices_for(const App& app, const Source& source, const std::string& lang) {
  std::vector<ReuseChoice> out;
  for (const CatalogForm& to : app.catalog().forms()) {
    if (to.id == source.form_id) continue;
    const engine::Reused reused = engine::reuse_answers(*source.plan, source.answers, *to.plan);
    if (reused.fields.empty()) continue;
    const renderers::Wording words(to.plan->form(), lang);
    ReuseChoice c;
    c.form_id = to.id;
    c.title = std::string(words.title());
    const auto& fields = to.plan->form().fields;
    for (const std::string& id : reused.fields) {
      for (model::FieldId f = 0; f < fields.size(); ++f) {
        if (fields[f].id == id) c.labels.push_back(words.field(f).label);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

void send_choices(Exchange& ex, const Source& source) {
  const std::string lang = page_language(ex, source);
  renderers::Site site = site_of(ex.app.config(), source.form_id);
  for (const auto& l : page_languages()) site.languages.push_back({l, with_lang(source.action, l)});
  ex.send(200, "text/html; charset=utf-8",
          reuse_page(site, lang, csrf_token(ex.app, ensure_cookie(ex)), with_lang(source.action, lang),
                     choices_for(ex.app, source, lang)),
          {{"Referrer-Policy", "same-origin"}});
}

void send_questions(Exchange& ex, const Source& source, const std::string& to,
                    const std::vector<KnowledgeQuestion>& questions, const Fields& typed, KnowledgeCheck outcome) {
  const std::string lang = page_language(ex, source);
  CheckPage p;
  p.plan = source.plan.get();
  p.language = lang;
  p.site = site_of(ex.app.config(), source.form_id);
  for (const auto& l : page_languages()) p.site.languages.push_back({l, with_lang(source.action, l)});
  p.questions = questions;
  p.typed = typed;
  p.action = with_lang(source.action, lang);
  p.hidden = {{"to", to}};
  send_knowledge_page(ex, std::move(p), outcome);
}

/// The chosen form, once the citizen has answered what only they know: a new draft of it with
/// the answers it takes, in this browser, and on to its first step.
void reuse_post(Exchange& ex, const Source& source) {
  auto post = read_site_post(ex);
  if (!post) return;
  std::string to;
  for (auto& [name, value] : post->answers) {
    if (name == "to") to = value.substr(0, 200);
  }
  const Fields typed = knowledge_typed(post->answers);
  const CatalogForm* target = ex.app.catalog().find(to);
  if (!target || target->id == source.form_id) return ex.fail(404, nothing_here);
  const engine::Reused reused = engine::reuse_answers(*source.plan, source.answers, *target->plan);
  const std::string lang = page_language(ex, source);
  const auto questions = knowledge_questions(*source.plan, source.answers);
  const auto outcome = check_knowledge(ex.app.store(), questions, post->controls.contains("askonce:check"), typed,
                                       source.attempts_key, now_ms());
  if (outcome != KnowledgeCheck::Passed) return send_questions(ex, source, to, questions, typed, outcome);
  const auto& offered = target->plan->form().languages;
  const std::string form_lang =
      std::find(offered.begin(), offered.end(), lang) != offered.end() ? lang : (offered.empty() ? lang : offered.front());
  NewDraft created;
  created.form_id = target->id;
  created.version = target->plan->form().version;
  created.definition_hash = target->plan->form().definition_hash;
  created.language = form_lang;
  created.channel = "web";
  created.answers = reused.answers;
  for (const std::string& id : reused.fields) created.answers.emplace_back(std::string(reused_marker), id);
  created.counted = ex.app.config().performance.publish;
  const TimePoint at = now_ms();
  created.day = engine::to_iso(local_day(at, ex.app.zone()));
  const Draft draft = ex.app.store().create_draft(created, at);
  set_draft_cookie(ex, *target, draft.id);
  ex.app.log().event("info", "web_answers_reused",
                     {{"from", source.form_id}, {"to", target->id}, {"fields", std::to_string(reused.fields.size())}});
  const auto& sections = target->plan->form().sections;
  ex.redirect(sections.empty() ? start_url(*target, form_lang) : step_url(*target, 0, form_lang, false));
}

void receipt_choices(Exchange& ex) {
  if (auto source = receipt_source(ex)) send_choices(ex, *source);
}
void receipt_reuse(Exchange& ex) {
  if (auto source = receipt_source(ex)) reuse_post(ex, *source);
}
void draft_choices(Exchange& ex) {
  if (auto source = draft_source(ex)) send_choices(ex, *source);
}
void draft_reuse(Exchange& ex) {
  if (auto source = draft_source(ex)) reuse_post(ex, *source);
}

constexpr Route routes[] = {
    {"GET", "/receipts/{ref}/reuse", receipt_choices},
    {"POST", "/receipts/{ref}/reuse", receipt_reuse, true},
    {"GET", "/forms/{id}/reuse", draft_choices},
    {"POST", "/forms/{id}/reuse", draft_reuse, true},
};

}  // namespace

std::span<const Route> reuse_routes() { return routes; }

bool offers_reuse(const App& app, const engine::Plan& from, std::string_view form_id, const Fields& answers) {
  for (const CatalogForm& to : app.catalog().forms()) {
    if (to.id != form_id && !engine::reuse_answers(from, answers, *to.plan).fields.empty()) return true;
  }
  return false;
}

}  // namespace askonce::server
