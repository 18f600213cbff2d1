// server/http/submit.cpp: check, route, store durably, wake the deliveries.
#include "server/http/submit.hpp"

#include <chrono>

#include "engine/plan.hpp"
#include "engine/value.hpp"
#include "engine/views.hpp"
#include "server/http/agency_status.hpp"
#include "server/http/app.hpp"
#include "server/http/receipt_mail.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {

SubmitOutcome submit(App& app, const SubmitInput& in) {
  const auto start = std::chrono::steady_clock::now();
  const CatalogForm& form = *in.form;
  const engine::Plan& plan = in.plan ? *in.plan : *form.plan;
  const auto& limits = app.config().limits;
  engine::InputLimits input;
  input.max_bytes = limits.body_bytes;
  input.max_values = limits.fields;
  input.max_value_bytes = limits.value_bytes;

  SubmitOutcome out;
  const auto context = app.context(in.language, in.channel);  // today in the deployment's zone
  out.checked = in.json ? engine::validate_json(plan, *in.json, context, input)
                        : engine::validate_form_fields(plan, *in.fields, context, input);
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (!out.checked.ok()) {
    out.status = SubmitOutcome::Status::Invalid;
    app.metrics().submission(form.id, in.channel, "invalid", seconds());
    return out;
  }

  const engine::Submission& s = out.checked.submission;
  const engine::EvalContext eval{context.today};
  auto views = engine::route_both(plan, s, eval);
  NewSubmission record;
  record.form_id = form.id;
  record.version = plan.form().version;
  record.definition_hash = plan.form().definition_hash;
  record.language = s.language;
  record.channel = s.channel;
  record.received = s.received;
  record.date_received = in.date_received.value_or(engine::to_iso(context.today));
  record.day_recorded = engine::to_iso(context.today);
  record.staff_id = in.staff_id;
  record.canonical_json = s.canonical_json;
  record.digest = s.digest;
  record.counted = app.config().performance.publish;
  for (auto& v : views) {
    ViewToStore view{std::move(v.agency), std::move(v.json), std::move(v.xml), {}};
    // The published figures count it as pending from the day it is past this agency's standard.
    for (const auto& a : plan.form().agencies) {
      if (a.name != view.agency || !record.counted) continue;
      std::string past = figure_place(a, {}, record.date_received, app.zone()).pending;
      if (past != never_past) view.past_from = std::move(past);
    }
    record.views.push_back(std::move(view));
  }
  record.idempotency = in.idempotency;
  record.consumes_draft = in.consumes_draft;

  // The receipt mail, in the same transaction (docs/architecture.md, "Mail"): only with a relay
  // configured and an address given. The link's token is drawn here; only its hash is stored,
  // and the token itself only in the mail's body, until the mail is sent.
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
  if (app.mail_enabled()) {
    if (auto address = receipt_address(plan, s)) {
      const auto& mail = app.config().mail;
      ReceiptMailInput input;
      input.plan = &plan;
      input.language = s.language;
      for (const auto& v : record.views) input.agencies.push_back(v.agency);
      input.recipient = std::move(*address);
      const std::string token = random_token(32);
      input.link_url = app.public_base() + receipt_link_path(token);
      input.link_days = mail.link_days;
      const NewMailLink link{sha256_hex(token), now + std::chrono::hours(24) * mail.link_days};
      if (!mail.contact_key.empty()) record.contact_hash = contact_hash(mail.contact_key, input.recipient);
      record.mails = [input = std::move(input), link](const std::string& reference) {
        NewMail m = receipt_mail(input, reference);
        m.link = link;
        return std::vector<NewMail>{std::move(m)};
      };
    }
  }

  SaveResult saved;
  try {
    saved = app.store().save_submission(record, now);
  } catch (const StoreError&) {
    app.metrics().submission(form.id, in.channel, "error", seconds());
    throw;
  }
  switch (saved.status) {
    case SaveResult::Status::Stored:
      out.status = SubmitOutcome::Status::Stored;
      app.notify_delivery();
      if (record.mails) app.notify_mail();
      break;
    case SaveResult::Status::Replayed:
      out.status = SubmitOutcome::Status::Replayed;
      break;
    case SaveResult::Status::KeyConflict:
      out.status = SubmitOutcome::Status::KeyConflict;
      break;
  }
  out.stored = std::move(saved.submission);
  out.receipt_secret = std::move(saved.receipt_secret);
  static constexpr const char* names[] = {"stored", "replayed", "invalid", "conflict"};
  app.metrics().submission(form.id, in.channel, names[static_cast<int>(out.status)], seconds());
  return out;
}

std::string receipt_link_path(const std::string& token) { return "/r/" + token; }

std::string receipt_path(const std::string& reference, const std::string& secret, std::string_view extension) {
  return "/receipts/" + reference + std::string(extension) + "?key=" + secret;
}

}  // namespace askonce::server
