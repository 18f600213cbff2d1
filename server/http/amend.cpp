// server/http/amend.cpp: checking and storing a correction (amend.hpp).
#include "server/http/amend.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "engine/layout.hpp"
#include "engine/plan.hpp"
#include "engine/reuse.hpp"
#include "engine/value.hpp"
#include "engine/views.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/http/receipt_mail.hpp"
#include "server/http/submit.hpp"
#include "server/store/reference.hpp"
#include "server/staff/audit.hpp"

namespace askonce::server {
namespace {

using model::FieldId;
using model::Kind;

using model::inside_repeat;

/// Whether `name` (a flat answer's name) is the field at `path` or one of its parts.
bool under(std::string_view name, std::string_view path) {
  return name == path || (name.size() > path.size() && name.starts_with(path) && name[path.size()] == '.');
}

/// A reference token of a JSON Pointer: '~' and '/' escaped (RFC 6901).
std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Poco::Dynamic::Var view_data(const std::string& json) {
  Poco::JSON::Parser parser;
  const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  return object->has("data") ? object->get("data") : Poco::Dynamic::Var();
}

bool is_object(const Poco::Dynamic::Var& v) { return v.type() == typeid(Poco::JSON::Object::Ptr); }
bool is_array(const Poco::Dynamic::Var& v) { return v.type() == typeid(Poco::JSON::Array::Ptr); }

/// A leaf's value as text with its kind, so "1" and 1 and true and "true" differ.
std::string leaf(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return "n";
  if (v.isString()) return "s" + v.extract<std::string>();
  if (v.isBoolean()) return v.extract<bool>() ? "b1" : "b0";
  return "v" + v.toString();
}

// Every member of `a` and `b` whose values differ, under `path`.
void diff(const Poco::Dynamic::Var& a, const Poco::Dynamic::Var& b, const std::string& path,
          std::vector<std::string>& out) {
  if (is_object(a) && is_object(b)) {
    const auto oa = a.extract<Poco::JSON::Object::Ptr>(), ob = b.extract<Poco::JSON::Object::Ptr>();
    std::vector<std::string> names;
    ob->getNames(names);  // the new view's order
    std::vector<std::string> old_names;
    oa->getNames(old_names);
    for (const auto& n : old_names) {
      if (!ob->has(n)) names.push_back(n);
    }
    for (const auto& n : names) {
      diff(oa->has(n) ? oa->get(n) : Poco::Dynamic::Var(), ob->has(n) ? ob->get(n) : Poco::Dynamic::Var(),
           path + "/" + pointer_token(n), out);
    }
    return;
  }
  if (is_array(a) && is_array(b)) {
    const auto xa = a.extract<Poco::JSON::Array::Ptr>(), xb = b.extract<Poco::JSON::Array::Ptr>();
    const std::size_t n = std::max(xa->size(), xb->size());
    for (std::size_t i = 0; i < n; ++i) {
      diff(i < xa->size() ? xa->get(static_cast<unsigned>(i)) : Poco::Dynamic::Var(),
           i < xb->size() ? xb->get(static_cast<unsigned>(i)) : Poco::Dynamic::Var(), path + "/" + std::to_string(i),
           out);
    }
    return;
  }
  if (is_object(a) || is_object(b) || is_array(a) || is_array(b) || leaf(a) != leaf(b)) out.push_back(path.empty() ? "/" : path);
}

/// "YYYY-MM-DDTHH:MM:SSZ" (Submission::received) as an instant; nothing when it is not that.
std::optional<std::chrono::system_clock::time_point> instant_of(const std::string& iso) {
  const auto day = engine::parse_date(std::string_view(iso).substr(0, std::min<std::size_t>(iso.size(), 10)));
  if (!day || iso.size() < 20 || iso[10] != 'T') return std::nullopt;
  int h = 0, m = 0, s = 0;
  if (std::sscanf(iso.c_str() + 11, "%2d:%2d:%2d", &h, &m, &s) != 3) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(engine::days_from_civil(*day) * 86400 + h * 3600 +
                                                                   m * 60 + s));
}

}  // namespace

std::vector<FieldId> correctable_fields(const engine::Plan& plan, const engine::Submission& submission,
                                        const model::Agency* agency, const std::vector<std::string>& only) {
  const model::Form& form = plan.form();
  const Fields flat = engine::flat_answers(plan, submission);
  const auto answered = [&](FieldId f) {
    const std::string& id = form.fields[f].id;
    return std::any_of(flat.begin(), flat.end(), [&](const auto& a) { return under(a.first, id); });
  };
  const auto askable = [&](FieldId f) {
    const auto& field = form.fields[f];
    if (field.sensitive || field.computed || inside_repeat(form, f)) return false;
    // A composite's parts are corrected with it, a block's fields one by one.
    if (field.parent != model::no_field && (form.fields[field.parent].kind == Kind::Address ||
                                            form.fields[field.parent].kind == Kind::Name)) {
      return false;
    }
    switch (field.kind) {
      case Kind::Note: case Kind::Attest: case Kind::Group: case Kind::Repeat: case Kind::Member: return false;
      default: return true;
    }
  };
  std::vector<FieldId> out;
  if (agency) {
    std::set<FieldId> received;
    for (const auto& r : agency->receives) {
      if (!only.empty() && std::find(only.begin(), only.end(), engine::receive_name(form, r)) == only.end()) continue;
      // A block received whole: each of its fields.
      const auto add = [&](auto&& self, FieldId f) -> void {
        if (form.fields[f].kind == Kind::Group) {
          for (FieldId c : form.fields[f].children) self(self, c);
        } else {
          received.insert(f);
        }
      };
      if (r.field != model::no_field) add(add, r.field);
    }
    for (FieldId f : received) {
      if (askable(f) && answered(f)) out.push_back(f);
    }
    return out;
  }
  for (FieldId f = 0; f < form.fields.size(); ++f) {
    const Kind k = form.fields[f].kind;
    if ((k == Kind::Address || k == Kind::Phone || k == Kind::Email) && askable(f) && answered(f)) out.push_back(f);
  }
  return out;
}

std::vector<std::string> changed_paths(const std::string& old_view_json, const std::string& new_view_json) {
  std::vector<std::string> out;
  diff(view_data(old_view_json), view_data(new_view_json), "", out);
  return out;
}

std::optional<AgencyStatus> open_need_info(const std::vector<AgencyStatus>& all, const std::string& agency) {
  const auto mine = statuses_of(all, agency);
  if (mine.empty() || mine.back().status != "need_info") return std::nullopt;
  return mine.back();
}

CorrectionOutcome correct(App& app, const Correction& c) {
  const StoredSubmission& stored = *c.stored;
  const engine::Plan& plan = *c.plan;
  const model::Form& form = plan.form();
  CorrectionOutcome out;
  const std::string& path = form.fields[c.field].id;
  for (const auto& [name, value] : c.typed) {
    if (under(name, path)) out.typed.emplace_back(name, value);
  }

  // The whole submission with the new answer, checked as on the day it was received: the same
  // day for today(), the same language, channel and time received.
  const engine::Result restored = engine::restore_submission(plan, stored.canonical_json);
  Fields flat = engine::flat_answers(plan, restored.submission);
  std::erase_if(flat, [&](const auto& a) { return under(a.first, path); });
  flat.insert(flat.end(), out.typed.begin(), out.typed.end());
  const auto instant = instant_of(stored.received);
  engine::Context context = instant ? app.context_at(*instant, stored.language, stored.channel)
                                    : app.context(stored.language, stored.channel);
  context.received = stored.received;
  const auto& limits = app.config().limits;
  engine::InputLimits input;
  input.max_bytes = limits.body_bytes;
  input.max_values = limits.fields;
  input.max_value_bytes = limits.value_bytes;
  out.checked = engine::validate_correction(plan, restored.submission, flat, context, input);
  if (!out.checked.ok()) {
    out.status = CorrectionOutcome::Status::Invalid;
    return out;
  }
  const engine::Submission& s = out.checked.submission;
  if (s.digest == stored.digest) {
    out.status = CorrectionOutcome::Status::Unchanged;
    return out;
  }

  // Routed as submit() routes, on the same day.
  const auto views = engine::route_both(plan, s, engine::EvalContext{context.today});
  std::set<std::string> before, after;
  for (const auto& d : stored.deliveries) before.insert(d.agency);
  for (const auto& v : views) after.insert(v.agency);
  if (before != after) {
    out.status = CorrectionOutcome::Status::Rerouted;
    return out;
  }
  Amendment a;
  a.reference = stored.reference;
  a.from_digest = stored.digest;
  a.canonical_json = s.canonical_json;
  a.digest = s.digest;
  for (const auto& v : views) {
    const auto latest = app.store().fetch_for_agency(v.agency, stored.reference);
    if (!latest) continue;  // its views are gone (retention): nothing to amend
    auto changed = changed_paths(latest->json, v.json);
    if (changed.empty()) continue;
    a.views.push_back(AmendedView{v.agency, v.json, latest->xml ? std::optional<std::string>(v.xml) : std::nullopt,
                                  std::move(changed)});
    out.agencies.push_back(v.agency);
  }

  // The mails: a changed address is told at its old one (that it changed, no answer, no
  // link), and the new one gets the usual status mail, with its link.
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
  bool mailed = false;
  const auto old_address = receipt_address(plan, restored.submission);
  const auto new_address = receipt_address(plan, s);
  // "Lost your receipt link?" follows the address: the new one finds the application, the old
  // one no longer does (in the amendment's transaction). With a contact key, whether or not a
  // relay is configured today: a hash left for the old address would find the application
  // once one is.
  if (const auto& key = app.config().mail.contact_key; !key.empty() && new_address != old_address) {
    a.contact_changed = true;
    if (new_address) a.contact_hash = contact_hash(key, *new_address);
  }
  if (app.mail_enabled()) {
    if (new_address && new_address != old_address) {
      const auto& config = app.config().mail;
      ReceiptMailInput in;
      in.plan = &plan;
      in.language = stored.language;
      in.link_days = config.link_days;
      if (old_address) {
        in.recipient = *old_address;
        a.mails.push_back(address_changed_mail(in, stored.reference));
      }
      in.recipient = *new_address;
      const std::string token = random_token(32);
      in.link_url = app.public_base() + receipt_link_path(token);
      NewMail m = status_update_mail(in, stored.reference);
      m.link = NewMailLink{sha256_hex(token), now + std::chrono::hours(24) * config.link_days};
      a.mails.push_back(std::move(m));
      mailed = true;
    }
  }
  if (c.answering) {
    const auto all = app.store().agency_statuses(stored.reference);
    const auto asked = open_need_info(all, *c.answering);
    if (!asked) {
      out.status = CorrectionOutcome::Status::Conflict;  // answered or moved on meanwhile
      return out;
    }
    AgencyStatus answer;
    answer.agency = *c.answering;
    answer.seq = asked->seq + 1;
    answer.status = "answered";
    answer.at = now;
    // The agency's clock runs again: its place in the published figures moves.
    if (const model::Agency* agency = find_agency(plan, *c.answering); agency && app.config().performance.publish) {
      a.answer_figures = figure_move(*agency, statuses_of(all, *c.answering), answer, stored.date_received, app.zone());
    }
    a.answer = std::move(answer);
  }
  const AmendResult saved = app.store().amend_submission(a, now);
  if (saved.status != AmendResult::Status::Stored) {
    out.status = CorrectionOutcome::Status::Conflict;
    return out;
  }
  out.status = CorrectionOutcome::Status::Stored;
  if (!a.views.empty()) app.notify_delivery();
  if (mailed) app.notify_mail();
  // The audit log: who corrected which application, and which agencies it reached; never
  // the answer (nor which field: a field's name can say much about a person).
  {
    NewAuditEntry e;
    e.staff_id = c.staff_id;
    e.event = c.answering ? "need_info_answered" : "corrected";
    e.channel = c.staff_id ? stored.channel : std::string();
    e.reference = stored.reference;
    e.detail = std::to_string(a.views.size()) + (a.views.size() == 1 ? " agency" : " agencies");
    app.audit().append(app.store(), e, now);
  }
  return out;
}

}  // namespace askonce::server
