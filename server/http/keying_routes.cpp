// server/http/keying_routes.cpp: staff keying applications taken by phone, in person or by mail,
// through the same journey as the citizen's (journey.hpp, web_post.hpp) and the same submit().
//
//   GET  /staff/key                            how it came in, the form, its language; for mail
//                                              the day the envelope arrived and the code on its
//                                              pages (?channel=&form=&code= fill them in)
//   POST /staff/key                            checks those, starts a draft, on to its first step
//   GET  /staff/key/{draft}/steps/{section}    one step, in the agent's words (phone, in person)
//   POST /staff/key/{draft}/steps/{section}    Continue, Add, Remove: as the citizen's step
//   GET  /staff/key/{draft}/check              the read-back, the declaration as confirmed
//   POST /staff/key/{draft}/check              Submit: submit() with the channel, the staff
//                                              member, the day received; audit "keyed"
//   POST /staff/key/{draft}/delete             discard the answers
//   GET  /staff/paper?code=                    which printing a page's code names
//   GET  /staff/applications/{ref}             the reference to read out, deliveries, receipt;
//                                              audit "opened"
//   GET  /staff/applications/{ref}/receipt.pdf the receipt to print and mail; audit "opened"
//   GET  /staff/applications/{ref}/answer?agency=A   a caller's answer to A's open need_info:
//   POST                                       which answer, its step, then correct() (amend.hpp)
//                                              as the status page does; audit
//                                              "need_info_answered" with the member
//   POST /staff/applications/{ref}/feedback    the applicant's answers to the A-11 survey, keyed
//                                              (phone, in person: stage = channel), stored once
//
// Only a member signed in with both factors gets any of these (else: the sign-in page). A
// keyed draft belongs to the member who started it (a marker in its sealed answers, never in
// the address): the draft of another is the router's 404, as is an application another agent
// keyed (a supervisor opens any). A mailed application is keyed against the definition its
// paper was printed from (Catalog::plan_for_code), also when the form has changed since; a
// phone or in-person one against the form served now. The steps of a mailed application keep
// the citizen's words, as printed on the paper the clerk holds; phone and in person use the
// agent's (renderers: StepInfo::agent). Every post carries the session's CSRF token.
#include <algorithm>
#include <array>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "engine/paper_code.hpp"
#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/value.hpp"
#include "renderers/html.hpp"
#include "renderers/registry.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "engine/reuse.hpp"
#include "engine/validate.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/amend.hpp"
#include "server/http/amend_pages.hpp"
#include "server/http/app.hpp"
#include "server/http/feedback.hpp"
#include "server/http/http.hpp"
#include "server/http/journey.hpp"
#include "server/http/staff_pages.hpp"
#include "server/http/staff_session.hpp"
#include "server/http/submit.hpp"
#include "server/http/web_pages.hpp"
#include "server/http/web_post.hpp"
#include "server/staff/audit.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using renderers::Ui;

/// How long ago an envelope may have arrived: a year and a day (a clerk's backlog, not a
/// mistyped year).
constexpr int max_arrival_age_days = 366;

std::string_view words(std::string_view lang, Ui key) { return renderers::ui(key, lang); }

/// The channels staff key, as the start page offers them.
bool keyed_channel(std::string_view c) { return c == "phone" || c == "in_person" || c == "mail"; }

std::string encode(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

// ---- the draft being keyed ----------------------------------------------------------------

/// A draft a signed-in member is keying, with the definition it is keyed against.
struct Keying {
  StaffVisit who;
  Draft draft;
  const CatalogForm* form = nullptr;
  std::shared_ptr<const engine::Plan> plan;
  std::optional<std::string> date_received;  // mail: the day the envelope arrived
  JourneyPlace place;
  std::string csrf;
};

std::string marker(const Fields& answers, std::string_view name) {
  for (const auto& [k, v] : answers) {
    if (k == name) return v;
  }
  return {};
}

/// The idempotency scope of a keyed draft's submission: the draft id is the key (draft ids are
/// unique across forms).
constexpr std::string_view keying_scope = "staff-draft";

/// The reference of the application draft `id` became, when it was sent.
std::optional<std::string> sent_from(Exchange& ex, const std::string& id) {
  const auto replayed = ex.app.store().replay(std::string(keying_scope), id);
  if (!replayed || !replayed->submission) return std::nullopt;
  return replayed->submission->reference;
}

/// The member signed in with both factors; nothing, answered (to the sign-in page), otherwise.
std::optional<StaffVisit> signed_in(Exchange& ex) {
  auto who = current_staff(ex, StaffStage::Full);
  if (!who) {
    close_if_unread_body(ex);
    to_staff_sign_in(ex);
  }
  return who;
}

/// The draft `{draft}` names, when it is live and this member's; nothing, answered, otherwise.
std::optional<Keying> open_keying(Exchange& ex) {
  auto who = signed_in(ex);
  if (!who) return std::nullopt;
  const std::string& id = ex.params.at(0);
  std::optional<Draft> draft;
  if (plausible_token(id)) draft = ex.app.store().find_draft(id, now_ms());
  // Another member's draft, or a citizen's, is not there for this member: the same 404.
  if (!draft && plausible_token(id)) {
    // Sent already (Submit pressed twice, Back then Submit): the application it became, for
    // the member who sent it.
    if (const auto sent = sent_from(ex, id)) {
      if (const auto stored = ex.app.store().find_submission(*sent); stored && stored->staff_id == who->account.id) {
        close_if_unread_body(ex);
        ex.redirect("/staff/applications/" + *sent + "?lang=" + stored->language);
        return std::nullopt;
      }
    }
  }
  if (!draft || marker(draft->answers, keyed_by_marker) != std::to_string(who->account.id)) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  Keying k;
  k.form = ex.app.catalog().find(draft->form_id);
  k.plan = k.form ? ex.app.catalog().plan_for(draft->definition_hash, ex.app.store()) : nullptr;
  if (!k.plan) {
    close_if_unread_body(ex);
    ex.app.log().event("error", "keying_definition_missing", {{"form", draft->form_id}});
    ex.fail(500, "The definition this application is keyed against cannot be found.");
    return std::nullopt;
  }
  if (std::string day = marker(draft->answers, received_marker); !day.empty()) k.date_received = std::move(day);
  k.place = JourneyPlace{k.plan.get(), "/staff/key/" + draft->id, "", "/staff/key?lang=" + draft->language};
  k.csrf = staff_csrf(ex.app, who->token);
  k.who = std::move(*who);
  k.draft = std::move(*draft);
  return k;
}

/// A post of a keying page: urlencoded, from this site, with the session's CSRF token.
std::optional<FormPost> read_keying_post(Exchange& ex, const StaffVisit& who) {
  return read_form_post(ex, "staff:" + who.token, foreign_staff_post(ex), [&](std::string_view reason) {
    ex.app.metrics().refused(reason);
    send_staff_page(ex, 403, staff_refused_page(staff_frame(ex, "/staff")));
  });
}

/// The day a mailed application's envelope arrived, in words ("December 1, 2026").
std::string arrived_words(const Keying& k, const renderers::Wording& w) {
  const std::string day = k.date_received.value_or("");
  const auto d = engine::parse_date(day);
  return d ? w.date(*d) : day;
}

/// The line above every page of the keying: how the application came, and who keys it.
std::string banner(const Keying& k, const renderers::Wording& w) {
  const std::string& lang = k.draft.language;
  const std::string& name = k.who.account.name;
  if (k.draft.channel == "phone") return renderers::ui(Ui::KeyBannerPhone, lang, {name});
  if (k.draft.channel == "in_person") return renderers::ui(Ui::KeyBannerInPerson, lang, {name});
  return renderers::ui(Ui::KeyBannerMail, lang,
                       {name, arrived_words(k, w), w.form_identity() + " (" + k.plan->form().definition_hash.substr(0, 19) + ")"});
}

/// The words beside the declaration's box: how it is being made, and to whom.
std::string declaration_record(const Keying& k, const renderers::Wording& w) {
  const std::string& lang = k.draft.language;
  if (k.draft.channel == "phone") return renderers::ui(Ui::KeyDeclaredPhone, lang, {k.who.account.name});
  if (k.draft.channel == "in_person") return renderers::ui(Ui::KeyDeclaredInPerson, lang, {k.who.account.name});
  return renderers::ui(Ui::KeyDeclaredMail, lang, {arrived_words(k, w)});
}

/// What the keying pages' StepInfo shares.
void keying_info(const Keying& k, const renderers::Wording& w, renderers::StepInfo& info) {
  info.delete_url = k.place.base + "/delete";
  info.save = false;
  // Mail keeps the citizen's words: those printed on the paper in the clerk's hands.
  info.agent = k.draft.channel != "mail";
  info.base_url = k.place.base;
  info.banner = banner(k, w);
  info.declaration_record = declaration_record(k, w);
}

renderers::RenderRequest keying_request(Exchange& ex, const Keying& k) {
  renderers::RenderRequest request;
  request.plan = k.plan.get();
  request.language = k.draft.language;
  request.hidden = {{std::string(csrf_field), k.csrf}};
  request.site = site_of(ex.app.config(), k.draft.form_id);
  request.site.home_url = "/staff";
  request.site.languages = {{k.draft.language, k.place.base}};  // one language: no switch
  return request;
}

void send_key_step(Exchange& ex, const Keying& k, std::size_t section, const Fields& answers,
                   std::vector<engine::Error> errors, const std::vector<std::size_t>& shown, bool to_check,
                   std::string focus, int status) {
  const renderers::Wording w(k.plan->form(), k.draft.language);
  renderers::StepInfo info = step_info(k.place, section, shown, to_check);
  keying_info(k, w, info);
  info.focus = std::move(focus);
  const renderers::Filled filled{answers, std::move(errors)};
  renderers::RenderRequest request = keying_request(ex, k);
  request.document = renderers::Document::Step;
  request.filled = &filled;
  request.step = &info;
  const auto& html = renderer("html");
  send_staff_page(ex, status, html.render(request).bytes);
}

void send_key_check(Exchange& ex, const Keying& k, const Fields& answers, const engine::Result& checked,
                    std::vector<engine::Error> errors, int status) {
  const renderers::Wording w(k.plan->form(), k.draft.language);
  renderers::StepInfo info;
  keying_info(k, w, info);
  const auto shown = shown_steps(*k.plan, checked);
  info.back_url = shown.empty() ? k.place.start : k.place.step(shown.back(), false);
  const renderers::Filled filled{answers, std::move(errors)};
  renderers::RenderRequest request = keying_request(ex, k);
  request.document = renderers::Document::Answers;
  request.submission = &checked.submission;
  request.filled = &filled;
  request.step = &info;
  const auto& html = renderer("html");
  send_staff_page(ex, status, html.render(request).bytes);
}

std::optional<std::size_t> key_section(Exchange& ex, const Keying& k) {
  auto section = find_section(*k.plan, ex.params.at(1));
  if (!section) {
    close_if_unread_body(ex);
    ex.fail(404, nothing_here);
  }
  return section;
}

/// The draft went away meanwhile (sent from another tab, discarded, expired): its application
/// when it was sent, else a fresh start.
void keying_gone(Exchange& ex, const Keying& k) {
  if (const auto sent = sent_from(ex, k.draft.id)) return ex.redirect("/staff/applications/" + *sent + "?lang=" + k.draft.language);
  ex.redirect("/staff/key?lang=" + k.draft.language);
}

// ---- GET and POST /staff/key --------------------------------------------------------------

KeyStartPage start_page(const App& app, std::string_view lang) {
  KeyStartPage p;
  for (const auto& form : app.catalog().forms()) {
    const renderers::Wording w(form.plan->form(), lang);
    p.forms.push_back({form.id, std::string(w.title()), form.plan->form().languages});
  }
  return p;
}

void get_key(Exchange& ex) {
  const auto who = signed_in(ex);
  if (!who) return;
  StaffFrame f = staff_frame(ex, "/staff/key", staff_csrf(ex.app, who->token));
  KeyStartPage p = start_page(ex.app, f.language);
  // From "Find a printed form": the channel, the form and the code filled in.
  const auto take = [&](const char* name, std::size_t max) {
    std::string v = ex.query(name).value_or("");
    return v.size() > max ? std::string() : v;
  };
  p.channel = take("channel", 16);
  p.form = take("form", 64);
  p.code = take("code", 200);
  if (ex.query("discarded")) p.notice = std::string(words(f.language, Ui::KeyDiscarded));
  send_staff_page(ex, 200, staff_key_page(f, p));
}

void post_key(Exchange& ex) {
  const auto who = signed_in(ex);
  if (!who) return;
  const auto post = read_keying_post(ex, *who);
  if (!post) return;
  StaffFrame f = staff_frame(ex, "/staff/key", staff_csrf(ex.app, who->token));
  const std::string& lang = f.language;
  KeyStartPage p = start_page(ex.app, lang);
  const auto value = [&](std::string_view name, std::size_t max) {
    for (const auto& [k, v] : post->answers) {
      if (k == name) return Poco::trim(v.substr(0, max));
    }
    return std::string();
  };
  p.channel = value("channel", 16);
  p.form = value("form", 64);
  p.language = value("language", 8);
  p.month = value("arrived-month", 2);
  p.day = value("arrived-day", 2);
  p.year = value("arrived-year", 4);
  p.code = value("code", 200);

  const auto error = [&](const char* id, Ui key, std::initializer_list<std::string_view> args = {}) {
    p.errors.emplace_back(id, renderers::ui(key, lang, args));
  };
  if (!keyed_channel(p.channel)) error("channel", Ui::KeyNeedChannel);
  const CatalogForm* form = ex.app.catalog().find(p.form);
  if (!form) error("form", Ui::KeyNeedForm);
  const auto& offered = form ? form->plan->form().languages : std::vector<std::string>{};
  if (form && std::find(offered.begin(), offered.end(), p.language) == offered.end()) error("language", Ui::KeyNoLanguage);

  std::shared_ptr<const engine::Plan> plan = form ? form->plan : nullptr;
  std::optional<std::string> arrived;
  if (p.channel == "mail") {
    const auto number = [](const std::string& s) -> std::optional<unsigned> {
      if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      return static_cast<unsigned>(std::stoul(s));
    };
    const auto m = number(p.month), d = number(p.day), y = number(p.year);
    if (!m || !d || !y || p.year.size() != 4 || !engine::is_real_date(static_cast<int>(*y), *m, *d)) {
      error("arrived", Ui::KeyNeedArrived);
    } else {
      const model::Date day{static_cast<int>(*y), *m, *d};
      const model::Date today = ex.app.context(lang, "mail").today;
      const auto age = engine::days_from_civil(today) - engine::days_from_civil(day);
      if (age < 0) error("arrived", Ui::KeyArrivedFuture);
      else if (age > max_arrival_age_days) error("arrived", Ui::KeyArrivedOld);
      else arrived = engine::to_iso(day);
    }
    if (p.code.empty()) {
      error("code", Ui::KeyNeedCode);
    } else if (auto printed = ex.app.catalog().plan_for_code(p.code, ex.app.store()); !printed) {
      error("code", Ui::KeyCodeUnknown);
    } else if (form && printed->form().id != form->id) {
      const renderers::Wording w(printed->form(), lang);
      error("code", Ui::KeyCodeOtherForm, {w.title()});
    } else {
      plan = std::move(printed);  // the printing's definition, perhaps an older one
    }
  }
  if (!p.errors.empty()) return send_staff_page(ex, 422, staff_key_page(f, p));

  NewDraft d;
  d.form_id = form->id;
  d.version = plan->form().version;
  d.definition_hash = plan->form().definition_hash;
  d.language = p.language;
  d.channel = p.channel;
  d.answers.emplace_back(std::string(keyed_by_marker), std::to_string(who->account.id));
  if (arrived) d.answers.emplace_back(std::string(received_marker), *arrived);
  d.counted = ex.app.config().performance.publish;
  const TimePoint at = now_ms();
  d.day = engine::to_iso(local_day(at, ex.app.zone()));
  const Draft draft = ex.app.store().create_draft(d, at);
  ex.app.log().event("info", "keying_started", {{"form", form->id}, {"channel", p.channel}});
  const auto& sections = plan->form().sections;
  const std::string base = "/staff/key/" + draft.id;
  ex.redirect(sections.empty() ? base + "/check" : base + "/steps/" + sections.front().name);
}

// ---- the steps and the read-back ------------------------------------------------------------

void get_step(Exchange& ex) {
  const auto k = open_keying(ex);
  if (!k) return;
  const auto section = key_section(ex, *k);
  if (!section) return;
  const Fields& answers = k->draft.answers;
  const engine::Result checked = check_answers(ex.app, *k->plan, k->draft.language, k->draft.channel, answers);
  const auto shown = shown_steps(*k->plan, checked);
  const bool to_check = ex.query("return") == std::optional<std::string>("check");
  if (std::find(shown.begin(), shown.end(), *section) == shown.end()) {
    for (std::size_t s : shown) {
      if (s > *section) return ex.redirect(k->place.step(s, to_check));
    }
    return ex.redirect(k->place.check());
  }
  std::vector<engine::Error> errors;
  if (to_check) errors = step_errors(*k->plan, checked, *section, answers, true);
  std::string focus = ex.query("focus").value_or("");
  if (focus.size() > 200) focus.clear();
  send_key_step(ex, *k, *section, answers, std::move(errors), shown, to_check, std::move(focus), 200);
}

void post_step(Exchange& ex) {
  auto k = open_keying(ex);
  if (!k) return;
  const auto section = key_section(ex, *k);
  if (!section) return;
  const auto post = read_keying_post(ex, k->who);
  if (!post) return;
  const engine::Plan& plan = *k->plan;
  Fields answers = k->draft.answers;
  merge_step(plan, *section, post->answers, answers);
  const bool to_check = ex.query("return") == std::optional<std::string>("check");
  const std::string here = k->place.step(*section, to_check);
  const auto save = [&] { return ex.app.store().update_draft(k->draft.id, answers, k->draft.language, now_ms()); };

  if (auto remove = post->controls.find("askonce:remove"); remove != post->controls.end()) {
    remove_entry(remove->second, answers);
    if (!save()) return keying_gone(ex, *k);
    const auto bracket = remove->second.rfind('[');
    return ex.redirect(here + (bracket == std::string::npos ? "" : "#" + renderers::html_id(remove->second.substr(0, bracket))));
  }
  if (auto add = post->controls.find("askonce:add"); add != post->controls.end()) {
    const std::size_t before = answers.size();
    add_entry(plan, add->second, answers);
    if (!save()) return keying_gone(ex, *k);
    if (answers.size() == before) return ex.redirect(here);
    const std::string& added = answers.back().first;
    const std::string entry = added.substr(0, added.find(']', add->second.size()) + 1);
    return ex.redirect(here + (here.find('?') == std::string::npos ? "?" : "&") + "focus=" + encode(entry));
  }
  const engine::Result checked = check_answers(ex.app, plan, k->draft.language, k->draft.channel, answers);
  mark_seen(plan, *section, checked, answers);
  if (!save()) return keying_gone(ex, *k);
  auto errors = step_errors(plan, checked, *section, answers, false);
  if (!errors.empty()) {
    return send_key_step(ex, *k, *section, answers, std::move(errors), shown_steps(plan, checked), to_check, {}, 422);
  }
  ex.redirect(next_url(k->place, checked, answers, *section, to_check));
}

void get_check(Exchange& ex) {
  const auto k = open_keying(ex);
  if (!k) return;
  const engine::Result checked = check_answers(ex.app, *k->plan, k->draft.language, k->draft.channel, k->draft.answers);
  if (auto s = first_unfinished_step(*k->plan, checked, k->draft.answers)) return ex.redirect(k->place.step(*s, true));
  send_key_check(ex, *k, k->draft.answers, checked, {}, 200);
}

void post_check(Exchange& ex) {
  auto k = open_keying(ex);
  if (!k) return;
  const auto post = read_keying_post(ex, k->who);
  if (!post) return;
  const engine::Plan& plan = *k->plan;
  Fields answers = k->draft.answers;
  merge_declaration(plan, post->answers, answers);
  const engine::Result checked = check_answers(ex.app, plan, k->draft.language, k->draft.channel, answers);
  if (!ex.app.store().update_draft(k->draft.id, answers, k->draft.language, now_ms())) return keying_gone(ex, *k);
  if (auto s = first_unfinished_step(plan, checked, answers)) return ex.redirect(k->place.step(*s, true));
  if (!checked.ok()) return send_key_check(ex, *k, answers, checked, checked.errors, 422);

  const Fields fields = engine_answers(answers);
  SubmitInput in;
  in.form = k->form;
  in.plan = k->plan;
  in.language = k->draft.language;
  in.channel = k->draft.channel;
  in.staff_id = k->who.account.id;
  in.date_received = k->date_received;
  in.fields = &fields;
  in.idempotency = IdempotencyKey{std::string(keying_scope), k->draft.id, answers_fingerprint(fields)};
  in.consumes_draft = k->draft.id;
  SubmitOutcome out = submit(ex.app, in);
  switch (out.status) {
    case SubmitOutcome::Status::Stored:
      ex.app.audit().application(ex.app.store(), k->who.account.id, "keyed", k->draft.channel, out.stored->reference, now_ms());
      [[fallthrough]];
    case SubmitOutcome::Status::Replayed:
      return ex.redirect("/staff/applications/" + out.stored->reference + "?lang=" + k->draft.language);
    case SubmitOutcome::Status::Invalid:
      return send_key_check(ex, *k, answers, out.checked, std::move(out.checked.errors), 422);
    case SubmitOutcome::Status::KeyConflict:
      return keying_gone(ex, *k);
  }
}

void post_discard(Exchange& ex) {
  const auto k = open_keying(ex);
  if (!k) return;
  if (!read_keying_post(ex, k->who)) return;
  ex.app.store().delete_draft(k->draft.id);
  ex.app.log().event("info", "keying_discarded", {{"form", k->draft.form_id}, {"channel", k->draft.channel}});
  ex.redirect("/staff/key?lang=" + k->draft.language + "&discarded=1");
}

// ---- a printed form's code ------------------------------------------------------------------

void get_paper(Exchange& ex) {
  const auto who = signed_in(ex);
  if (!who) return;
  StaffFrame f = staff_frame(ex, "/staff/paper");
  PaperFoundPage p;
  p.code = Poco::trim(ex.query("code").value_or(""));
  if (p.code.size() > 200) p.code.clear();
  int status = 200;
  if (!p.code.empty()) {
    const auto plan = ex.app.catalog().plan_for_code(p.code, ex.app.store());
    const auto parsed = engine::parse_paper_code(p.code);
    if (!plan || !parsed) {
      p.message = std::string(words(f.language, Ui::KeyCodeUnknown));
      status = 404;
    } else {
      const renderers::Wording w(plan->form(), f.language);
      p.found = true;
      p.form_id = plan->form().id;
      p.title = std::string(w.title());
      p.version = plan->form().version;
      p.page = parsed->page;
      p.definition_hash = plan->form().definition_hash;
      const CatalogForm* served = ex.app.catalog().find(p.form_id);
      p.current = served && served->plan->form().definition_hash == p.definition_hash;
    }
  }
  send_staff_page(ex, status, staff_paper_page(f, p));
}

// ---- a keyed application --------------------------------------------------------------------

struct Opened {
  StaffVisit who;
  StoredSubmission stored;
  std::shared_ptr<const engine::Plan> plan;
};

/// The application `{ref}` names, when this member may open it: a supervisor any, an agent the
/// ones they keyed. Nothing, answered with the router's 404, otherwise. Audited "opened".
std::optional<Opened> open_application(Exchange& ex) {
  auto who = signed_in(ex);
  if (!who) return std::nullopt;
  const auto reference = parse_reference(ex.params.at(0));
  std::optional<StoredSubmission> stored;
  if (reference) stored = ex.app.store().find_submission(*reference);
  const bool may = stored && (who->account.role == "supervisor" || stored->staff_id == who->account.id);
  if (!may) {
    ex.fail(404, nothing_here);
    return std::nullopt;
  }
  auto plan = ex.app.catalog().plan_for(stored->definition_hash, ex.app.store());
  if (!plan) {
    ex.app.log().event("error", "receipt_definition_missing", {{"form", stored->form_id}});
    ex.fail(500, "This application cannot be shown just now. It is stored and is being delivered.");
    return std::nullopt;
  }
  ex.app.audit().application(ex.app.store(), who->account.id, "opened", stored->channel, stored->reference, now_ms());
  return Opened{std::move(*who), std::move(*stored), std::move(plan)};
}

std::string channel_words(std::string_view channel, std::string_view lang) {
  if (channel == "phone") return std::string(words(lang, Ui::KeyByPhone));
  if (channel == "in_person") return std::string(words(lang, Ui::KeyInPerson));
  if (channel == "mail") return std::string(words(lang, Ui::KeyByMail));
  return std::string(channel);
}

/// The page that keys a caller's answer to `agency`'s need_info (below).
std::string answer_path(const std::string& reference, const std::string& agency);
/// What the staff page shows of the A-11 survey after a post of it (keyed_survey).
struct KeyedSurveyAfterPost {
  renderers::FeedbackForm kept;
  std::optional<Ui> note;
};

/// The A-11 survey on a phone or in-person application's page, offered (stage = its channel),
/// in the applicant's language, for the member to key the answers; a note once answered. A
/// mailed application has none: nobody is there to ask.
void keyed_survey(Exchange& ex, const Opened& o, const StaffFrame& f, KeyedPage& p,
                  const KeyedSurveyAfterPost* after) {
  const std::string& stage = o.stored.channel;
  if (stage != "phone" && stage != "in_person") return;
  if (after && after->note) {
    p.feedback_note = after->note;
    return;
  }
  const FeedbackSpot spot = offer_feedback_spot(ex.app, o.stored, stage, "");
  if (spot.state != FeedbackState::Offered) {
    p.feedback_note = ex.query("feedback") == "thanks" ? Ui::FeedbackThanks : Ui::FeedbackAlready;
    return;
  }
  renderers::FeedbackForm form = after ? after->kept : renderers::FeedbackForm{};
  form.staff = true;
  form.service = feedback_service(o.plan->form(), o.stored.language, "");
  form.action = "/staff/applications/" + o.stored.reference + "/feedback?lang=" + f.language;
  form.hidden = {{std::string(csrf_field), f.csrf_token}};
  p.feedback = std::move(form);
  p.feedback_language = o.stored.language;
}

void send_application(Exchange& ex, const Opened& o, const KeyedSurveyAfterPost* after = nullptr, int status = 200);

void get_application(Exchange& ex) {
  const auto o = open_application(ex);
  if (!o) return;
  send_application(ex, *o);
}

/// POST /staff/applications/{ref}/feedback: the applicant's answers, keyed. Then the page again:
/// a thank-you (303), the survey with every choice kept and the problems (422), or a note that
/// it was answered already, the first answers kept (409).
void post_application_feedback(Exchange& ex) {
  // open_application may answer (sign-in, 404) without reading the body: this connection is
  // then not reused. (A post that is read closes it too; staff posts are few.)
  close_if_unread_body(ex);
  const auto o = open_application(ex);
  if (!o) return;
  const auto post = read_keying_post(ex, o->who);
  if (!post) return;
  const std::string& stage = o->stored.channel;
  FeedbackSpot spot;
  if (stage == "phone" || stage == "in_person") spot = feedback_spot(ex.app, o->stored, stage, "");
  if (spot.state == FeedbackState::NotOffered) return ex.fail(404, nothing_here);
  KeyedSurveyAfterPost after;
  switch (answer_feedback_post(ex.app, o->stored, spot, post->answers, o->stored.language, after.kept)) {
    case FeedbackPosted::Stored:
      return ex.redirect("/staff/applications/" + o->stored.reference + "?lang=" + staff_frame(ex, "").language +
                         "&feedback=thanks");
    case FeedbackPosted::Already:
      after.note = Ui::FeedbackAlready;
      return send_application(ex, *o, &after, 409);
    case FeedbackPosted::Invalid: return send_application(ex, *o, &after, 422);
    case FeedbackPosted::NotOffered: return ex.fail(404, nothing_here);
  }
}

/// The application's page (get_application), with the survey as `after` says.
void send_application(Exchange& ex, const Opened& o, const KeyedSurveyAfterPost* after, int status) {
  StaffFrame f = staff_frame(ex, "/staff/applications/" + o.stored.reference, staff_csrf(ex.app, o.who.token));
  const renderers::Wording w(o.plan->form(), f.language);
  KeyedPage p;
  p.reference = o.stored.reference;
  p.form_title = std::string(w.title());
  p.read_reference = renderers::ui(Ui::KeyReadReference, o.stored.language, {o.stored.reference});
  std::string keyed_by = "?";
  if (o.stored.staff_id) {
    if (auto a = ex.app.store().staff_by_id(*o.stored.staff_id)) keyed_by = a->name;
  }
  p.keyed_by = renderers::ui(Ui::KeyKeyedBy, f.language,
                             {keyed_by, w.timestamp(o.stored.received, ex.app.config().site.time_zone),
                              channel_words(o.stored.channel, f.language)});
  renderers::ReceiptInfo info;
  const auto statuses = ex.app.store().agency_statuses(o.stored.reference);
  receipt_deliveries(o.plan->form(), o.stored, info, statuses, ex.app.context(o.stored.language, "web").today, ex.app.zone());
  p.agency_lines = renderers::receipt_agency_lines(w, info);
  p.mailed = ex.app.store().receipt_mailed(o.stored.reference);
  p.receipt_pdf_url = "/staff/applications/" + o.stored.reference + "/receipt.pdf";
  for (std::size_t a = 0; a < o.plan->form().agencies.size(); ++a) {
    const auto& name = o.plan->form().agencies[a].name;
    if (open_need_info(statuses, name)) {
      p.answer_links.emplace_back(w.agency_title(a), answer_path(o.stored.reference, name));
    }
  }
  keyed_survey(ex, o, f, p, after);
  send_staff_page(ex, status, staff_keyed_page(f, p));
}

// ---- a caller's answer to an agency's need_info (amend.hpp), keyed by an agent ------------------
//
// The same path as the citizen's on the status page (correct()), with the agent signed in in
// place of what only the citizen knows: the agent checks who is calling, as when keying.

std::string answer_path(const std::string& reference, const std::string& agency) {
  return "/staff/applications/" + reference + "/answer?agency=" + agency;
}

/// The agency `?agency=` names, while it waits on the caller; nothing (answered 404) otherwise.
std::optional<std::size_t> waiting_agency(Exchange& ex, const Opened& o) {
  const auto a = ex.query("agency");
  const auto& agencies = o.plan->form().agencies;
  const auto statuses = ex.app.store().agency_statuses(o.stored.reference);
  for (std::size_t i = 0; a && i < agencies.size(); ++i) {
    if (agencies[i].name == *a && open_need_info(statuses, *a)) return i;
  }
  close_if_unread_body(ex);
  ex.fail(404, nothing_here);
  return std::nullopt;
}

void answer_page(Exchange& ex, const Opened& o, std::size_t agency, Fields hidden, bool error) {
  const model::Agency& a = o.plan->form().agencies[agency];
  const auto asked = open_need_info(ex.app.store().agency_statuses(o.stored.reference), a.name);
  const renderers::Wording w(o.plan->form(), o.stored.language);
  const engine::Result restored = engine::restore_submission(*o.plan, o.stored.canonical_json);
  ChoosePage p;
  p.language = w.language();
  p.site = site_of(ex.app.config(), o.stored.form_id);
  p.site.home_url = "/staff";
  p.action = answer_path(o.stored.reference, a.name);
  hidden.emplace_back("askonce:choose", "yes");
  p.hidden = std::move(hidden);
  for (auto f : correctable_fields(*o.plan, restored.submission, &a, asked ? asked->fields : std::vector<std::string>{})) {
    p.choices.push_back({o.plan->form().fields[f].id, w.field(f).label});
  }
  p.asking_agency = w.agency_title(agency);
  if (asked && !asked->message_name.empty()) {
    for (const auto& m : a.messages) {
      if (m.name == asked->message_name) p.agency_message = w.text(m.text);
    }
  }
  p.back_url = "/staff/applications/" + o.stored.reference;
  p.error = error;
  send_staff_page(ex, error ? 422 : 200, correct_choose_page(p));
}

void get_answer(Exchange& ex) {
  const auto o = open_application(ex);
  if (!o) return;
  const auto agency = waiting_agency(ex, *o);
  if (!agency) return;
  answer_page(ex, *o, *agency, {{std::string(csrf_field), staff_csrf(ex.app, o->who.token)}}, false);
}

void post_answer(Exchange& ex) {
  const auto o = open_application(ex);
  if (!o) return close_if_unread_body(ex);
  const auto agency = waiting_agency(ex, *o);
  if (!agency) return;
  auto post = read_keying_post(ex, o->who);
  if (!post) return;
  const model::Form& form = o->plan->form();
  const model::Agency& a = form.agencies[*agency];
  Fields hidden{{std::string(csrf_field), staff_csrf(ex.app, o->who.token)}};
  const engine::Result restored = engine::restore_submission(*o->plan, o->stored.canonical_json);
  const auto asked = open_need_info(ex.app.store().agency_statuses(o->stored.reference), a.name);
  const auto fields = correctable_fields(*o->plan, restored.submission, &a, asked ? asked->fields : std::vector<std::string>{});
  model::FieldId field = model::no_field;
  if (auto c = post->controls.find("askonce:field"); c != post->controls.end()) {
    for (auto f : fields) {
      if (form.fields[f].id == c->second) field = f;
    }
  }
  if (field == model::no_field) return answer_page(ex, *o, *agency, std::move(hidden), post->controls.contains("askonce:choose"));
  hidden.emplace_back("askonce:field", form.fields[field].id);
  hidden.emplace_back("askonce:send", "yes");
  const auto send_step = [&](Fields values, std::vector<engine::Error> errors, int status) {
    const renderers::Wording w(form, o->stored.language);
    renderers::StepInfo step;
    step.section = form.fields[field].section;
    step.only = form.fields[field].id;
    step.agent = o->stored.channel != "mail";
    step.submit_label = renderers::ui(Ui::CorrectSend, w.language());
    step.back_url = "/staff/applications/" + o->stored.reference;
    const renderers::Filled filled{std::move(values), std::move(errors)};
    renderers::RenderRequest request;
    request.plan = o->plan.get();
    request.language = o->stored.language;
    request.document = renderers::Document::Step;
    request.step = &step;
    request.filled = &filled;
    request.hidden = hidden;
    request.site = site_of(ex.app.config(), o->stored.form_id);
    request.site.home_url = "/staff";
    request.title_parts = {std::string(renderers::ui(Ui::AnswerAgency, w.language()))};
    send_staff_page(ex, status, renderer("html").render(request).bytes);
  };
  if (!post->controls.contains("askonce:send")) return send_step(engine::flat_answers(*o->plan, restored.submission), {}, 200);
  Correction correction;
  correction.stored = &o->stored;
  correction.plan = o->plan.get();
  correction.field = field;
  correction.typed = post->answers;
  correction.answering = a.name;
  correction.staff_id = o->who.account.id;
  CorrectionOutcome out = correct(ex.app, correction);
  const renderers::Wording w(form, o->stored.language);
  const std::string back = "/staff/applications/" + o->stored.reference;
  auto site = site_of(ex.app.config(), o->stored.form_id);
  site.home_url = "/staff";
  using S = CorrectionOutcome::Status;
  switch (out.status) {
    case S::Invalid: return send_step(std::move(out.typed), std::move(out.checked.errors), 422);
    case S::Unchanged:
      return send_staff_page(ex, 200, correct_result_page(w.language(), site, Ui::AnswerAgency, Ui::CorrectUnchanged, {}, back, false));
    case S::Rerouted:
      return send_staff_page(ex, 422, correct_result_page(w.language(), site, Ui::AnswerAgency, Ui::CorrectRerouted, {}, back, true));
    case S::Conflict:
      return send_staff_page(ex, 409, correct_result_page(w.language(), site, Ui::AnswerAgency, Ui::CorrectConflict, {}, back, true));
    case S::Stored: {
      std::vector<std::string> titles;
      for (const auto& name : out.agencies) {
        for (std::size_t i = 0; i < form.agencies.size(); ++i) {
          if (form.agencies[i].name == name) titles.push_back(w.agency_title(i));
        }
      }
      return send_staff_page(ex, 200, correct_result_page(w.language(), site, Ui::CorrectDoneTitle,
                                                          titles.empty() ? Ui::CorrectDoneNone : Ui::CorrectDoneAgencies,
                                                          titles, back, false));
    }
  }
}

/// The receipt with the answers, to print and give or mail to the applicant, in their language.
void get_application_pdf(Exchange& ex) {
  const auto o = open_application(ex);
  if (!o) return;
  const engine::Result restored = engine::restore_submission(*o->plan, o->stored.canonical_json);
  renderers::ReceiptInfo info;
  receipt_deliveries(o->plan->form(), o->stored, info, ex.app.store().agency_statuses(o->stored.reference),
                     ex.app.context(o->stored.language, "web").today, ex.app.zone());
  renderers::RenderRequest request;
  request.plan = o->plan.get();
  request.language = o->stored.language;
  request.document = renderers::Document::Receipt;
  request.submission = &restored.submission;
  request.receipt = &info;
  request.site = site_of(ex.app.config(), o->stored.form_id);
  const auto& pdf = renderer("pdf");
  ex.send(200, pdf.mime, pdf.render(request).bytes,
          {{"Content-Disposition", "inline; filename=\"receipt-" + o->stored.reference + ".pdf\""}});
}

constexpr std::array routes = {
    Route{"GET", "/staff/key", get_key},
    Route{"POST", "/staff/key", post_key},
    Route{"GET", "/staff/key/{draft}/steps/{section}", get_step},
    Route{"POST", "/staff/key/{draft}/steps/{section}", post_step},
    Route{"GET", "/staff/key/{draft}/check", get_check},
    Route{"POST", "/staff/key/{draft}/check", post_check},
    Route{"POST", "/staff/key/{draft}/delete", post_discard},
    Route{"GET", "/staff/paper", get_paper},
    Route{"GET", "/staff/applications/{ref}/receipt.pdf", get_application_pdf},
    Route{"GET", "/staff/applications/{ref}", get_application},
    Route{"GET", "/staff/applications/{ref}/answer", get_answer},
    Route{"POST", "/staff/applications/{ref}/answer", post_answer, true},
    Route{"POST", "/staff/applications/{ref}/feedback", post_application_feedback},
};

}  // namespace

std::span<const Route> keying_routes() { return routes; }

}  // namespace askonce::server
