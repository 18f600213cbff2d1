// server/http/web_routes.cpp: the citizens' pages. HTML that works without JavaScript: the list of
// forms, each form in each of its languages (web page, paper PDF, plain text, and the page's
// script), the post of a form page, the receipt (web page, PDF, text), and the USWDS files the
// pages use.
//
// A form post is trusted only with a CSRF token (a double-submit cookie: GET sets a random
// cookie, the page carries HMAC(csrf_key, cookie) in askonce:csrf, and a post must bring both)
// and an Origin, when it has one, of this host; otherwise 403 and nothing is stored. Each
// rendered form page carries a fresh askonce:nonce, the idempotency key of its post, so that a
// double click on Submit stores once and both clicks reach the same receipt. The askonce:
// controls are removed before the engine sees the answers (web_post.hpp); a valid post goes
// through submit() like every other submission.
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
#include <Poco/String.h>

#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "renderers/registry.hpp"
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
constexpr std::string_view nonce_field = "askonce:nonce";
/// Forms and their scripts change only when the server restarts with other forms.
constexpr std::string_view document_cache = "public, max-age=300";
/// The USWDS files change only when node_modules does. Their addresses carry no version, so
/// a week rather than a year: an upgrade reaches every browser within days.
constexpr std::string_view asset_cache = "public, max-age=604800";

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

/// The form page, blank or filled, with the hidden fields its post must bring back.
void send_form(Exchange& ex, const CatalogForm& form, const std::string& lang, const std::string& cookie,
               const renderers::Filled* filled, int status) {
  renderers::RenderRequest request;
  request.plan = form.plan.get();
  request.language = lang;
  request.document = renderers::Document::Form;
  request.filled = filled;
  request.hidden = {{std::string(csrf_field), csrf_token(ex.app, cookie)},
                    {std::string(nonce_field), random_token(18)}};
  const auto& html = renderer("html");
  vary(ex);
  // A form page's address holds nothing secret, and under the router's "no-referrer" a
  // browser sends `Origin: null` with the page's own post (Fetch, "serializing a request
  // origin"); "same-origin" lets the post say where it comes from, so the Origin check means
  // something, and still tells no other site anything.
  ex.send(status, html.mime, html.render(request).bytes, {{"Referrer-Policy", "same-origin"}});
}

// ---- GET / and the forms -----------------------------------------------------------------------

void index(Exchange& ex) {
  const std::string lang = language(ex, page_languages());
  vary(ex);
  ex.send(200, "text/html; charset=utf-8", index_page(ex.app.catalog(), lang));
}

void form_page(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return;
  const std::string lang = language(ex, form->plan->form().languages);
  const std::string cookie = ensure_cookie(ex);
  send_form(ex, *form, lang, cookie, nullptr, 200);
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
  if (name != "js") vary(ex);  // the script is the same in every language
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
void form_script(Exchange& ex) { form_document(ex, "js"); }

// ---- POST /forms/{id} ------------------------------------------------------------------------

/// 403 with the page that says why. `reason` is counted: "origin" (a post from another site, or
/// a proxy whose Host is not the public address: see server.public_origin) or "csrf" (the
/// page's token and cookie do not match).
void refuse(Exchange& ex, const CatalogForm& form, const std::string& lang, std::string_view reason) {
  ex.app.metrics().refused(reason);
  ex.send(403, "text/html; charset=utf-8", refused_page(form, lang));
}

void form_post(Exchange& ex) {
  const CatalogForm* form = find_form(ex);
  if (!form) return close_if_unread_body(ex);
  const engine::Plan& plan = *form->plan;
  const std::string lang = language(ex, plan.form().languages);
  if (foreign_origin(ex)) {
    close_if_unread_body(ex);
    return refuse(ex, *form, lang, "origin");
  }
  bool urlencoded = false;
  try {
    urlencoded = Poco::Net::MediaType(ex.request.getContentType()).matches("application", "x-www-form-urlencoded");
  } catch (const Poco::Exception&) {
  }
  if (!urlencoded) {
    close_if_unread_body(ex);
    return ex.fail(415, "A form page posts application/x-www-form-urlencoded.");
  }
  const auto body = ex.body();
  if (!body) return;  // 413 or 408, answered

  FormPost post = split_post(engine::parse_urlencoded(*body));
  const std::string cookie = request_cookie(ex);
  const auto token = post.controls.find(std::string(csrf_field));
  if (cookie.empty() || token == post.controls.end() || !constant_time_equal(token->second, csrf_token(ex.app, cookie))) {
    return refuse(ex, *form, lang, "csrf");
  }

  // A repeat's Add or Remove: the same page again, the entry added or removed, every value kept.
  if (auto remove = post.controls.find("askonce:remove"); remove != post.controls.end()) {
    remove_entry(remove->second, post.answers);
    const renderers::Filled filled{std::move(post.answers), {}};
    return send_form(ex, *form, lang, cookie, &filled, 200);
  }
  if (auto add = post.controls.find("askonce:add"); add != post.controls.end()) {
    add_entry(plan, add->second, post.answers);
    const renderers::Filled filled{std::move(post.answers), {}};
    return send_form(ex, *form, lang, cookie, &filled, 200);
  }

  SubmitInput in;
  in.form = form;
  in.language = lang;
  in.channel = "web";
  in.fields = &post.answers;
  if (auto nonce = post.controls.find(std::string(nonce_field));
      nonce != post.controls.end() && plausible_token(nonce->second)) {
    in.idempotency = IdempotencyKey{"web/" + form->id, nonce->second, answers_fingerprint(post.answers)};
  }
  SubmitOutcome out = submit(ex.app, in);
  switch (out.status) {
    case SubmitOutcome::Status::Stored:
    case SubmitOutcome::Status::Replayed:
      return ex.redirect(receipt_path(out.stored->reference, out.receipt_secret));
    case SubmitOutcome::Status::Invalid: {
      const renderers::Filled filled{std::move(post.answers), std::move(out.checked.errors)};
      return send_form(ex, *form, lang, cookie, &filled, 422);
    }
    case SubmitOutcome::Status::KeyConflict: {
      // The page's once-only key came back with other answers (the Back button, then changes):
      // nothing was stored; the same answers on a page with a fresh key, to send again.
      ex.app.log().event("info", "web_resend", {{"form", form->id}});
      engine::Error again{"", "", resend_message(lang), model::no_field};
      const renderers::Filled filled{std::move(post.answers), {std::move(again)}};
      return send_form(ex, *form, lang, cookie, &filled, 409);
    }
  }
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

  const auto& r = renderer(name);
  renderers::RenderRequest request;
  request.plan = plan.get();
  request.language = lang;
  request.document = renderers::Document::Receipt;
  request.submission = &restored.submission;
  request.receipt = &info;
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

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

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
  if (!reference) return ex.send(410, "text/html; charset=utf-8", link_expired_page(lang, lost_link_offered(ex.app)));
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
    return ex.send(410, "text/html; charset=utf-8", link_expired_page(lang, lost_link_offered(ex.app)));
  }
  const auto plan = ex.app.catalog().plan_for(stored->definition_hash, ex.app.store());
  if (!plan) {
    ex.app.log().event("error", "receipt_definition_missing", {{"form", stored->form_id}});
    return ex.fail(500, "This receipt cannot be shown just now. Your application is stored and is being delivered.");
  }
  std::string lang = stored->language;
  const auto& offered = plan->form().languages;
  if (auto l = ex.query("lang"); l && std::find(offered.begin(), offered.end(), *l) != offered.end()) lang = *l;
  ex.send(200, "text/html; charset=utf-8", receipt_status_page(*plan, lang, *stored));
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
  ex.send(200, "text/html; charset=utf-8", lost_link_page(lang, csrf_token(ex.app, cookie), "", "", "", false),
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
  if (cookie.empty() || !constant_time_equal(token, csrf_token(ex.app, cookie))) {
    ex.app.metrics().refused("csrf");
    return ex.fail(403, "This page only accepts what was sent from its own form. Go back, reload it and try again.");
  }
  const std::string fresh_token = csrf_token(ex.app, cookie);
  const auto ref = parse_reference(reference);
  const auto hash = contact_hash(ex.app.config().mail.contact_key, email);
  if (!ref || !hash) {
    // A mistake the citizen can see and fix, with what they typed kept.
    return ex.send(422, "text/html; charset=utf-8",
                   lost_link_page(lang, fresh_token, reference, email, renderers::ui(renderers::Ui::LostLinkInvalid, lang), true),
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
          lost_link_page(lang, fresh_token, "", "", renderers::ui(renderers::Ui::LostLinkSent, lang), false),
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

// Order matters where patterns overlap: "/forms/{id}.pdf" before "/forms/{id}", whose {id}
// would take "x.pdf" too.
constexpr Route routes[] = {
    {"GET", "/", index},
    {"GET", "/forms/{id}.pdf", form_pdf},
    {"GET", "/forms/{id}.txt", form_text},
    {"GET", "/forms/{id}/form.js", form_script},
    {"GET", "/forms/{id}", form_page},
    {"POST", "/forms/{id}", form_post, true},
    {"GET", "/r/{token}", open_receipt_link},
    {"GET", "/receipts/status", receipt_status},
    {"GET", "/receipts/lost", lost_link_form},
    {"POST", "/receipts/lost", lost_link_post, true},
    {"GET", "/receipts/{ref}.pdf", receipt_pdf},
    {"GET", "/receipts/{ref}.txt", receipt_text},
    {"GET", "/receipts/{ref}", receipt_page},
    {"GET", "/assets/uswds/{path*}", asset},
};

}  // namespace

std::span<const Route> web_routes() { return routes; }

}  // namespace askonce::server
