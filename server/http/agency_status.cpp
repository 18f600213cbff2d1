// server/http/agency_status.cpp: status from agencies (agency_status.hpp).
#include "server/http/agency_status.hpp"

#include <algorithm>
#include <chrono>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "engine/clock.hpp"
#include "engine/json_writer.hpp"
#include "engine/layout.hpp"
#include "engine/value.hpp"
#include "engine/plan.hpp"
#include "engine/time_zone.hpp"
#include "engine/submission.hpp"
#include "server/http/app.hpp"
#include "server/http/receipt_mail.hpp"
#include "server/http/submit.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

bool one_of(std::string_view v, std::span<const std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

/// The rank of a status: a post never goes to a lower one. in_review, need_info and the
/// citizen's answered share one.
int rank(std::string_view status) {
  if (status == "received") return 1;
  if (status == "in_review" || status == "need_info" || status == "answered") return 2;
  return 3;
}

/// Printable text without control characters, at most `max` bytes.
bool plain_text(const std::string& s, std::size_t max) {
  if (s.size() > max) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && c != '\n';
  });
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

/// {"en": "...", "es": "..."} of `message` in the form's languages' order, as stored.
std::string message_json(const std::map<std::string, std::string>& message) {
  if (message.empty()) return {};
  engine::JsonWriter w;
  w.begin_object();
  for (const auto& [lang, text] : message) {
    w.key(lang);
    w.string(text);
  }
  w.end_object();
  return w.take();
}

bool same_post(const AgencyStatus& last, const StatusPost& post) {
  return last.status == post.status && last.outcome == post.outcome && last.tracking == post.tracking &&
         last.message_name == post.message_name && last.message_json == message_json(post.message) &&
         last.fields == post.fields;
}

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

}  // namespace

const model::Agency* find_agency(const engine::Plan& plan, std::string_view agency) {
  for (const auto& a : plan.form().agencies) {
    if (a.name == agency) return &a;
  }
  return nullptr;
}


StatusRead read_status_post(std::string_view body, const engine::Plan& plan, std::string_view agency) {
  StatusRead r;
  const auto fail = [&](std::string why) {
    r.problem = std::move(why);
    return r;
  };
  if (body.size() > max_status_body) return fail("The body is larger than 64 KiB.");
  Poco::JSON::Object::Ptr object;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(std::string(body));
    object = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return fail("The body is not a JSON object.");
  } catch (const std::exception&) {
    return fail("The body is not a JSON object.");
  }
  if (!object) return fail("The body is not a JSON object.");
  StatusPost post;
  const auto text_member = [&](const char* name, std::string& into) -> bool {
    if (!object->has(name)) return true;
    const auto v = object->get(name);
    if (!v.isString()) return false;
    into = v.extract<std::string>();
    return true;
  };
  for (const auto& [name, _] : *object) {
    static constexpr std::string_view known[] = {"status", "outcome", "tracking_number", "message", "message_name",
                                                 "fields"};
    if (!one_of(name, known)) {
      return fail("Unknown member \"" + name.substr(0, 64) +
                  "\". A status post has status, outcome, tracking_number, message, message_name and fields.");
    }
  }
  if (!text_member("status", post.status) || !one_of(post.status, agency_statuses_known)) {
    return fail("status must be one of received, in_review, need_info, decided.");
  }
  if (!text_member("outcome", post.outcome)) return fail("outcome must be a string.");
  if (post.status == "decided" && !one_of(post.outcome, decision_outcomes)) {
    return fail("A decision needs its outcome: approved, denied, partly_approved, withdrawn or referred.");
  }
  if (post.status != "decided" && !post.outcome.empty()) return fail("outcome goes with status decided only.");
  if (!text_member("tracking_number", post.tracking) || !plain_text(post.tracking, max_tracking) ||
      post.tracking.find('\n') != std::string::npos) {
    return fail("tracking_number must be a string of at most 64 characters on one line.");
  }
  if (!text_member("message_name", post.message_name)) return fail("message_name must be a string.");
  const model::Form& form = plan.form();
  if (object->has("message")) {
    Poco::JSON::Object::Ptr texts;
    try {
      texts = object->getObject("message");
    } catch (const Poco::Exception&) {
    }
    if (!texts) return fail("message must be an object of texts by language: {\"en\": \"...\", \"es\": \"...\"}.");
    for (const auto& [lang, value] : *texts) {
      if (std::find(form.languages.begin(), form.languages.end(), lang) == form.languages.end()) {
        return fail("message has a text in \"" + lang.substr(0, 16) + "\", which is not a language of this form (" +
                    joined(form.languages) + ").");
      }
      if (!value.isString()) return fail("Each text of message must be a string.");
      std::string text = value.extract<std::string>();
      if (text.empty() || !plain_text(text, max_message)) {
        return fail("Each text of message must be 1 to 2000 characters, without control characters.");
      }
      post.message.emplace(lang, std::move(text));
    }
    // A citizen never sees an untranslated message.
    std::vector<std::string> missing;
    for (const auto& l : form.languages) {
      if (!post.message.contains(l)) missing.push_back(l);
    }
    if (!missing.empty()) {
      return fail("message needs a text in every language of this form: " + joined(form.languages) + " (missing: " +
                  joined(missing) + "). Or name a message the form defines, with message_name.");
    }
  }
  if (!post.message_name.empty()) {
    if (!post.message.empty()) return fail("Send message or message_name, not both.");
    const model::Agency* a = find_agency(plan, agency);
    const bool defined = a && std::any_of(a->messages.begin(), a->messages.end(),
                                          [&](const auto& m) { return m.name == post.message_name; });
    if (!defined) {
      std::string names;
      if (a) {
        for (const auto& m : a->messages) names += (names.empty() ? "" : ", ") + m.name;
      }
      return fail("This form defines no message \"" + post.message_name.substr(0, 64) + "\" for " + std::string(agency) +
                  (names.empty() ? std::string(". It defines none: send the text with message.")
                                 : ". It defines: " + names + "."));
    }
  }
  if (object->has("fields")) {
    if (post.status != "need_info") return fail("fields goes with status need_info only.");
    const model::Agency* a = find_agency(plan, agency);
    std::vector<std::string> names;
    if (a) {
      for (const auto& r : a->receives) names.push_back(engine::receive_name(form, r));
    }
    Poco::JSON::Array::Ptr list;
    try {
      list = object->getArray("fields");
    } catch (const Poco::Exception&) {
    }
    if (!list || list->size() == 0 || list->size() > max_status_fields) {
      return fail("fields must be an array of 1 to 32 names in your view of the application: " + joined(names) + ".");
    }
    for (const auto& v : *list) {
      const std::string name = v.isString() ? v.extract<std::string>() : std::string();
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        return fail("fields names \"" + name.substr(0, 64) + "\", which is not in your view of this form. Name one of: " +
                    joined(names) + ".");
      }
      if (std::find(post.fields.begin(), post.fields.end(), name) == post.fields.end()) post.fields.push_back(name);
    }
  }
  r.post = std::move(post);
  return r;
}

StatusCheck check_status(const std::vector<AgencyStatus>& history, const StatusPost& post) {
  using K = StatusCheck::Kind;
  if (history.empty()) return {K::Append, {}};
  const AgencyStatus& last = history.back();
  if (same_post(last, post)) return {K::Same, {}};
  if (last.status == "decided") {
    return {K::Refused, "This application was decided (" + last.outcome + "): a decision is final, and nothing follows it."};
  }
  if (rank(post.status) < rank(last.status)) {
    return {K::Refused, "The status is " + last.status + ": " + post.status +
                            " cannot follow it. Statuses go forward only: received, in_review or need_info, decided."};
  }
  return {K::Append, {}};
}

std::vector<AgencyStatus> statuses_of(const std::vector<AgencyStatus>& all, std::string_view agency) {
  std::vector<AgencyStatus> out;
  for (const auto& s : all) {
    if (s.agency == agency) out.push_back(s);
  }
  return out;
}

StatusOutcome post_status(App& app, const StoredSubmission& submission, const engine::Plan& plan,
                          const std::string& agency, const StatusPost& post) {
  StatusOutcome out;
  // The citizen's mail: that there is an update, and a link to see it; never what it is. Made
  // once, at the first round that stores, and kept for a round that must try again.
  std::optional<std::optional<NewMail>> made;
  const auto mail_at = [&](TimePoint at) -> const std::optional<NewMail>& {
    if (made) return *made;
    made.emplace();
    if (!app.mail_enabled()) return *made;
    const engine::Result restored = engine::restore_submission(plan, submission.canonical_json);
    auto address = receipt_address(plan, restored.submission);
    if (!address) return *made;
    const auto& config = app.config().mail;
    ReceiptMailInput input;
    input.plan = &plan;
    input.language = submission.language;
    input.recipient = std::move(*address);
    const std::string token = random_token(32);
    input.link_url = app.public_base() + receipt_link_path(token);
    input.link_days = config.link_days;
    NewMail m = status_update_mail(input, submission.reference);
    m.link = NewMailLink{sha256_hex(token), at + std::chrono::hours(24) * config.link_days};
    made->emplace(std::move(m));
    return *made;
  };
  const std::string message = message_json(post.message);
  // Another post may take the next number between reading and writing (on another node): read
  // again and decide again. Each round either stores, or sees a post stored meanwhile.
  for (int round = 0; round < 8; ++round) {
    out.history = statuses_of(app.store().agency_statuses(submission.reference), agency);
    const StatusCheck check = check_status(out.history, post);
    out.kind = check.kind;
    out.why = check.why;
    if (check.kind != StatusCheck::Kind::Append) return out;
    AgencyStatus s;
    s.agency = agency;
    s.seq = out.history.empty() ? 1 : out.history.back().seq + 1;
    s.status = post.status;
    s.outcome = post.outcome;
    s.tracking = post.tracking;
    s.message_name = post.message_name;
    s.message_json = message;
    s.fields = post.fields;
    s.at = now_ms();
    const std::optional<NewMail>& mail = mail_at(s.at);
    const model::Agency* a = find_agency(plan, agency);
    // Not kept at all by a deployment that does not publish them (performance.publish).
    const FigureMove figures = a && app.config().performance.publish
                                   ? figure_move(*a, out.history, s, submission.date_received, app.zone())
                                   : FigureMove{};
    if (app.store().append_agency_status(submission.reference, s, mail, s.at, figures)) {
      if (mail) app.notify_mail();
      out.history.push_back(std::move(s));
      return out;
    }
  }
  throw StoreError("status posts kept colliding: try again");
}

model::Date local_day(TimePoint at, const engine::TimeZone* zone) {
  const std::int64_t seconds =
      std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
  if (zone) {
    const engine::LocalTime t = zone->local(seconds);
    return model::Date{t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)};
  }
  // Whole days since 1970-01-01, rounded down (a time before it is on the day before).
  return engine::civil_from_days(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
}

namespace {

/// The need_info still open at the end of `mine`: the day it was asked.
std::optional<model::Date> open_wait(const std::vector<AgencyStatus>& mine, const engine::TimeZone* zone) {
  std::optional<model::Date> asked;
  for (const auto& s : mine) {
    if (s.status == "need_info" && !asked) asked = local_day(s.at, zone);
    else if (s.status != "need_info") asked.reset();
  }
  return asked;
}

}  // namespace

std::vector<engine::Pause> waits_on_citizen(const std::vector<AgencyStatus>& mine,
                                            const std::optional<model::Date>& open_until, const engine::TimeZone* zone) {
  std::vector<engine::Pause> pauses;
  std::optional<model::Date> asked;
  for (const auto& s : mine) {
    const model::Date day = local_day(s.at, zone);
    if (s.status == "need_info" && !asked) asked = day;
    else if (s.status != "need_info" && asked) {
      pauses.push_back({*asked, day});
      asked.reset();
    }
  }
  if (asked && open_until) pauses.push_back({*asked, *open_until});
  return pauses;
}

FigurePlace figure_place(const model::Agency& agency, const std::vector<AgencyStatus>& mine,
                         const std::string& date_received, const engine::TimeZone* zone) {
  FigurePlace place;
  const auto received = engine::parse_date(date_received);
  if (!received) {
    place.pending = std::string(never_past);
    return place;
  }
  const std::vector<engine::Pause> pauses = waits_on_citizen(mine, std::nullopt, zone);
  if (!mine.empty() && mine.back().status == "decided") {
    const model::Date decided = local_day(mine.back().at, zone);
    model::ServiceStandard calendar;
    calendar.unit = model::ServiceStandard::Unit::Days;
    place.days = engine::days_used(*received, decided, calendar, pauses);
    if (agency.standard) {
      place.judged = true;
      place.within = engine::days_used(*received, decided, *agency.standard, pauses) <= agency.standard->amount;
    }
    return place;
  }
  if (!agency.standard) {
    place.pending = std::string(never_past);
    return place;
  }
  // Past the standard on the first day whose days used reach amount + 1.
  model::ServiceStandard one_more = *agency.standard;
  one_more.amount += 1;
  const model::Date past = engine::due_date(*received, one_more, pauses);
  const auto asked = open_wait(mine, zone);
  // While the agency waits on the citizen no day counts: past only if it was before asking.
  if (asked && engine::days_from_civil(past) >= engine::days_from_civil(*asked)) {
    place.pending = std::string(never_past);
  } else {
    place.pending = engine::to_iso(past);
  }
  return place;
}

FigureMove figure_move(const model::Agency& agency, const std::vector<AgencyStatus>& mine, const AgencyStatus& post,
                       const std::string& date_received, const engine::TimeZone* zone) {
  const FigurePlace before = figure_place(agency, mine, date_received, zone);
  std::vector<AgencyStatus> after_posts = mine;
  after_posts.push_back(post);
  const FigurePlace after = figure_place(agency, after_posts, date_received, zone);
  FigureMove move;
  if (before.pending == after.pending) return move;  // nothing moves (and a decision is final)
  move.pending_from = before.pending;
  move.pending_to = after.pending;
  if (after.pending.empty()) {
    move.decided_days = after.days;
    move.decided_quarter = engine::fiscal_quarter(local_day(post.at, zone)).label();
    move.judged = after.judged;
    move.within = after.within;
  }
  return move;
}

renderers::AgencyProgress agency_progress(const model::Agency& agency, const std::vector<AgencyStatus>& all,
                                          const std::string& date_received, const model::Date& today,
                                          const engine::TimeZone* zone) {
  renderers::AgencyProgress p;
  const std::vector<AgencyStatus> mine = statuses_of(all, agency.name);
  if (!mine.empty()) {
    const AgencyStatus& last = mine.back();
    p.status = last.status;
    p.outcome = last.outcome;
    p.tracking = last.tracking;
    p.message_name = last.message_name;
    p.updated = iso_utc(last.at);
    if (!last.message_json.empty()) {
      try {
        Poco::JSON::Parser parser;
        const auto texts = parser.parse(last.message_json).extract<Poco::JSON::Object::Ptr>();
        for (const auto& [lang, text] : *texts) p.message.emplace(lang, text.toString());
      } catch (const Poco::Exception&) {
        // Written by message_json above: always an object of strings.
      }
    }
  }
  const auto received = engine::parse_date(date_received);
  if (!agency.standard || !received || p.status == "decided") return p;
  // The days the agency waited on the citizen: from each need_info to its next row, the
  // citizen's answer (answered) or the agency's next post, whichever came first.
  const std::vector<engine::Pause> pauses =
      waits_on_citizen(mine, engine::civil_from_days(engine::days_from_civil(today) + 1), zone);
  const model::Date due = engine::due_date(*received, *agency.standard, pauses);
  p.due = engine::to_iso(due);
  p.late = engine::days_from_civil(today) > engine::days_from_civil(due);
  return p;
}

std::string status_json(const std::string& reference, const std::string& agency, const std::vector<AgencyStatus>& history) {
  const auto one = [](engine::JsonWriter& w, const AgencyStatus& s) {
    w.begin_object();
    w.key("status");
    w.string(s.status);
    if (!s.outcome.empty()) {
      w.key("outcome");
      w.string(s.outcome);
    }
    if (!s.tracking.empty()) {
      w.key("tracking_number");
      w.string(s.tracking);
    }
    if (!s.message_name.empty()) {
      w.key("message_name");
      w.string(s.message_name);
    }
    if (!s.message_json.empty()) {
      w.key("message");
      w.begin_object();
      Poco::JSON::Parser parser;
      const auto texts = parser.parse(s.message_json).extract<Poco::JSON::Object::Ptr>();
      std::vector<std::string> langs;
      texts->getNames(langs);
      for (const auto& l : langs) {
        w.key(l);
        w.string(texts->getValue<std::string>(l));
      }
      w.end_object();
    }
    if (!s.fields.empty()) {
      w.key("fields");
      w.begin_array();
      for (const auto& f : s.fields) w.string(f);
      w.end_array();
    }
    w.key("posted");
    w.string(iso_utc(s.at));
    w.end_object();
  };
  engine::JsonWriter w;
  w.begin_object();
  w.key("reference");
  w.string(reference);
  w.key("agency");
  w.string(agency);
  w.key("status");
  if (history.empty()) w.number("null");
  else one(w, history.back());
  w.key("history");
  w.begin_array();
  for (const auto& s : history) one(w, s);
  w.end_array();
  w.end_object();
  return w.take() + "\n";
}

}  // namespace askonce::server
