// server/http/staff_routes.cpp: /staff/, the staff's pages: sign in (name and password, then a
// TOTP code or a recovery code), first-time set-up, home, sign out, and for supervisors the
// audit log. Handlers stay thin: server/staff decides who may sign in (SignIn) and keeps the
// audit log; the store keeps sessions; staff_pages.cpp draws the pages.
//
// A session is a random 256-bit token in a cookie (HttpOnly, SameSite=Strict, Path=/staff,
// Secure behind HTTPS); the store keeps only its SHA-256 and checks the idle and absolute
// timeouts itself, so a session works on every node. The token changes at each step of signing
// in (no session fixation). Every form carries a CSRF token: bound to the session (an HMAC of
// its token), or on the sign-in page to the site's CSRF cookie. Nothing here reads an
// Authorization header: an agency's token opens no staff page, and the agency API reads no
// cookie, so a staff session opens nothing there.
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <array>

#include "engine/normalize.hpp"
#include "renderers/strings.hpp"
#include "server/http/app.hpp"
#include "server/http/http.hpp"
#include "server/http/journey.hpp"
#include "server/http/staff_pages.hpp"
#include "server/http/staff_session.hpp"
#include "server/http/web_pages.hpp"
#include "server/staff/audit.hpp"
#include "server/staff/password.hpp"
#include "server/staff/sign_in.hpp"
#include "server/staff/totp.hpp"
#include "server/store/keyring.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using renderers::Ui;
using Outcome = staff::SignInResult::Outcome;

constexpr std::string_view cookie_name = "askonce-staff";
constexpr std::string_view html = "text/html; charset=utf-8";

}  // namespace

// ---- what the keying pages share (staff_session.hpp) ----

std::string staff_language(const Exchange& ex) {
  return choose_language(ex.query("lang"), ex.header("Accept-Language"), page_languages());
}

/// The frame of a staff page at `path`: its language switch leads to the same page.
StaffFrame staff_frame(const Exchange& ex, std::string_view path, std::string csrf) {
  StaffFrame f;
  f.language = staff_language(ex);
  f.site = site_of(ex.app.config());
  for (const auto& l : page_languages()) f.site.languages.push_back({l, std::string(path) + "?lang=" + l});
  f.csrf_token = std::move(csrf);
  return f;
}


/// Answers with a staff page. Referrer-Policy same-origin rather than the site's no-referrer:
/// with no-referrer, Chromium sends "Origin: null" with the page's own form posts, which the
/// origin check must refuse; same-origin still sends nothing to another site.
void send_staff_page(Exchange& ex, int status, const std::string& body, std::optional<int> retry_after) {
  if (retry_after) {
    ex.send(status, html, body, {{"Referrer-Policy", "same-origin"}, {"Retry-After", std::to_string(*retry_after)}});
    return;
  }
  ex.send(status, html, body, {{"Referrer-Policy", "same-origin"}});
}

/// The per-address limit on sign-in posts (config staff.sign_in_*): over it, the seconds to
/// wait. Checked before SignIn, so a flood costs no Argon2 work and writes nothing to the store
/// or the audit log; the refusals are counted in /metrics instead.
std::optional<int> over_sign_in_limit(Exchange& ex) {
  auto wait = ex.app.sign_in_limiter().take(ex.client());
  if (wait) ex.app.metrics().refused("sign_in_rate_limited");
  return wait;
}

// --- the session ---

std::string staff_session_token(const Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  const std::string value = cookies.get(std::string(cookie_name), "");
  return plausible_token(value) ? value : std::string();
}

void set_staff_cookie(Exchange& ex, const std::string& token) {
  Poco::Net::HTTPCookie cookie{std::string(cookie_name), token};
  cookie.setPath("/staff");
  cookie.setHttpOnly(true);
  cookie.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_STRICT);
  cookie.setSecure(ex.app.config().secure_cookies);
  if (token.empty()) cookie.setMaxAge(0);
  ex.response.addCookie(cookie);
}

/// A new session for `staff_id` at `stage`, ending the request's own (a new token at each
/// step); its cookie set on the response. Returns the token.
std::string new_staff_session(Exchange& ex, std::int64_t staff_id, StaffStage stage) {
  if (const std::string old = staff_session_token(ex); !old.empty()) ex.app.store().end_staff_session(sha256_hex(old));
  std::string token = random_token(32);
  ex.app.store().create_staff_session(sha256_hex(token), staff_id, stage, now_ms());
  set_staff_cookie(ex, token);
  return token;
}

std::string staff_csrf(const App& app, const std::string& token) { return csrf_token(app, "staff:" + token); }

/// The request's live session, whatever its stage; nothing otherwise.
std::optional<StaffVisit> live_staff(Exchange& ex) {
  StaffVisit c;
  c.token = staff_session_token(ex);
  if (c.token.empty()) return std::nullopt;
  const auto& policy = ex.app.staff_policy();
  auto s = ex.app.store().touch_staff_session(sha256_hex(c.token), now_ms(), policy.idle, policy.absolute);
  if (!s) return std::nullopt;
  auto a = ex.app.store().staff_by_id(s->staff_id);
  if (!a || a->disabled) return std::nullopt;
  c.session = *s;
  c.account = std::move(*a);
  return c;
}

/// The request's live session, at `stage`; nothing otherwise.
std::optional<StaffVisit> current_staff(Exchange& ex, StaffStage stage) {
  auto c = live_staff(ex);
  if (!c || c->session.stage != stage) return std::nullopt;
  return c;
}

/// Where a session at `stage` goes on.
std::string staff_stage_path(StaffStage stage) {
  switch (stage) {
    case StaffStage::SecondFactor: return "/staff/code";
    case StaffStage::SetUp: return "/staff/set-up";
    case StaffStage::Full: return "/staff";
  }
  return "/staff";
}

/// The page asked for is not for this session: to the page its stage is at (home for a member
/// signed in who opens the code page), or, with no live session, to the sign-in page (saying
/// the session ended when the browser still held one).
void to_staff_sign_in(Exchange& ex) {
  const std::string lang = staff_language(ex);
  if (const auto c = live_staff(ex)) {
    ex.redirect(staff_stage_path(c->session.stage) + "?lang=" + lang);
    return;
  }
  const bool had = !staff_session_token(ex).empty();
  if (had) set_staff_cookie(ex, "");
  ex.redirect("/staff/sign-in?lang=" + lang + (had ? "&ended=1" : ""));
}

// --- posts ---

/// An Origin header naming another site than this one (the staff address may differ from the
/// public one, so the request's own Host decides, or server.public_origin when set).
bool foreign_staff_post(const Exchange& ex) {
  const std::string origin = Poco::toLower(ex.header("Origin"));
  if (origin.empty()) return false;
  const std::string& configured = ex.app.config().public_origin;
  if (!configured.empty() && origin == configured) return false;
  const std::string host = Poco::toLower(ex.header("Host"));
  if (host.empty()) return true;
  if (origin == "https://" + host) return false;
  return ex.app.config().secure_cookies || origin != "http://" + host;
}

namespace {

std::string_view ui(const StaffFrame& f, Ui key) { return renderers::ui(key, f.language); }

/// The posted fields when the post came from this site with a valid CSRF token for `cookie`
/// ("staff:" + session token, or the site's CSRF cookie); nothing (answered 403 or 413)
/// otherwise.
std::optional<std::map<std::string, std::string>> read_post(Exchange& ex, std::string_view path, const std::string& cookie) {
  const auto refuse = [&] {
    ex.app.metrics().refused("csrf");
    send_staff_page(ex, 403, staff_refused_page(staff_frame(ex, path)));
  };
  if (foreign_staff_post(ex)) {
    close_if_unread_body(ex);
    refuse();
    return std::nullopt;
  }
  const auto body = ex.body();
  if (!body) return std::nullopt;
  std::map<std::string, std::string> fields;
  for (auto& [k, v] : engine::parse_urlencoded(*body)) fields.emplace(std::move(k), std::move(v));
  const auto token = fields.find(std::string(csrf_field));
  if (cookie.empty() || token == fields.end() || !ex.app.csrf_valid(cookie, token->second)) {
    refuse();
    return std::nullopt;
  }
  return fields;
}

std::string field(const std::map<std::string, std::string>& f, const std::string& name, std::size_t max) {
  const auto it = f.find(name);
  if (it == f.end()) return {};
  return it->second.substr(0, max);
}

void audit_event(Exchange& ex, std::int64_t staff_id, const std::string& event) {
  NewAuditEntry e;
  e.staff_id = staff_id;
  e.event = event;
  ex.app.audit().append(ex.app.store(), e, now_ms());
}

// --- sign in ---

void sign_in_form(Exchange& ex, int status, const std::string& name, Ui message, bool info = false) {
  StaffFrame f = staff_frame(ex, "/staff/sign-in", csrf_token(ex.app, ensure_cookie(ex)));
  send_staff_page(ex, status, staff_sign_in_page(f, name, message == Ui::Count_ ? std::string_view() : ui(f, message), info));
}

void get_sign_in(Exchange& ex) {
  if (current_staff(ex, StaffStage::Full)) {
    ex.redirect("/staff?lang=" + staff_language(ex));
    return;
  }
  sign_in_form(ex, 200, {}, ex.query("ended") ? Ui::StaffSessionEnded : Ui::Count_, true);
}

void post_sign_in(Exchange& ex) {
  const auto post = read_post(ex, "/staff/sign-in", request_cookie(ex));
  if (!post) return;
  std::string name = Poco::trim(field(*post, "name", 256));
  const std::string password = field(*post, "password", staff::max_password_bytes + 1);
  if (name.size() > 64) name.resize(64);
  if (const auto wait = over_sign_in_limit(ex)) {
    // The name typed stays; the password never comes back.
    StaffFrame f = staff_frame(ex, "/staff/sign-in", csrf_token(ex.app, ensure_cookie(ex)));
    send_staff_page(ex, 429, staff_sign_in_page(f, name, renderers::ui(Ui::StaffTooManyHere, f.language, {std::to_string(*wait)})),
              *wait);
    return;
  }
  if (name.empty() || password.empty()) {
    sign_in_form(ex, 422, name, Ui::StaffNeedBoth);
    return;
  }
  const auto r = ex.app.sign_in().first(name, password, now_ms());
  const std::string lang = staff_language(ex);
  switch (r.outcome) {
    case Outcome::SecondFactor:
      new_staff_session(ex, r.account->id, StaffStage::SecondFactor);
      ex.redirect("/staff/code?lang=" + lang);
      return;
    case Outcome::SetUp:
      new_staff_session(ex, r.account->id, StaffStage::SetUp);
      ex.redirect("/staff/set-up?lang=" + lang);
      return;
    case Outcome::SignedIn:
      new_staff_session(ex, r.account->id, StaffStage::Full);
      ex.redirect("/staff?lang=" + lang);
      return;
    case Outcome::Locked:
      sign_in_form(ex, 429, name, Ui::StaffLocked);
      return;
    case Outcome::Refused:
      sign_in_form(ex, 401, name, Ui::StaffRefused);
      return;
  }
}

// --- the second factor ---

void get_code(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::SecondFactor);
  if (!c) return to_staff_sign_in(ex);
  StaffFrame f = staff_frame(ex, "/staff/code", staff_csrf(ex.app, c->token));
  send_staff_page(ex, 200, staff_code_page(f, c->account.name, {}, {}));
}

void post_code(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::SecondFactor);
  if (!c) {
    close_if_unread_body(ex);
    return to_staff_sign_in(ex);
  }
  const auto post = read_post(ex, "/staff/code", "staff:" + c->token);
  if (!post) return;
  const std::string code = Poco::trim(field(*post, "code", 33));
  if (const auto wait = over_sign_in_limit(ex)) {
    StaffFrame f = staff_frame(ex, "/staff/code", staff_csrf(ex.app, c->token));
    send_staff_page(ex, 429,
              staff_code_page(f, c->account.name, code.substr(0, 32),
                              renderers::ui(Ui::StaffTooManyHere, f.language, {std::to_string(*wait)})),
              *wait);
    return;
  }
  const auto r = ex.app.sign_in().second(c->account.id, code, now_ms());
  if (r.outcome == Outcome::SignedIn) {
    new_staff_session(ex, c->account.id, StaffStage::Full);
    ex.redirect("/staff?lang=" + staff_language(ex) + (r.recovery_code_used ? "&recovery=1" : ""));
    return;
  }
  if (r.outcome == Outcome::Locked) {
    ex.app.store().end_staff_session(sha256_hex(c->token));
    set_staff_cookie(ex, "");
    sign_in_form(ex, 429, c->account.name, Ui::StaffLocked);
    return;
  }
  StaffFrame f = staff_frame(ex, "/staff/code", staff_csrf(ex.app, c->token));
  send_staff_page(ex, 401, staff_code_page(f, c->account.name, code.substr(0, 32), ui(f, Ui::StaffCodeRefused)));
}

// --- set-up ---

// The secret the set-up page shows travels in the page itself, sealed with the keyring and
// bound to the session, until the member confirms it with a code: nothing is stored before.
std::string setup_associated(const std::string& token) { return "askonce staff set-up " + sha256_hex(token); }

void set_up_form(Exchange& ex, const StaffVisit& c, const std::string& secret, int status, const std::string& code,
                 std::string_view message) {
  StaffFrame f = staff_frame(ex, "/staff/set-up", staff_csrf(ex.app, c.token));
  SetUpPage p;
  p.name = c.account.name;
  p.secret_base32 = staff::base32_encode(secret);
  p.otpauth_uri = staff::otpauth_uri(ex.app.staff_policy().issuer, c.account.name, secret);
  p.sealed_secret = ex.app.keys().seal(secret, setup_associated(c.token));
  p.code = code;
  p.message = std::string(message);
  send_staff_page(ex, status, staff_set_up_page(f, p));
}

void get_set_up(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::SetUp);
  if (!c) return to_staff_sign_in(ex);
  set_up_form(ex, *c, staff::new_totp_secret(), 200, {}, {});
}

void post_set_up(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::SetUp);
  if (!c) {
    close_if_unread_body(ex);
    return to_staff_sign_in(ex);
  }
  const auto post = read_post(ex, "/staff/set-up", "staff:" + c->token);
  if (!post) return;
  const auto secret = ex.app.keys().open(field(*post, "sealed", 512), setup_associated(c->token));
  StaffFrame f = staff_frame(ex, "/staff/set-up");
  if (!secret) {
    // Not the page this session was shown (or tampered with): a new secret, a fresh page.
    set_up_form(ex, *c, staff::new_totp_secret(), 422, {}, ui(f, Ui::StaffSetUpCodeWrong));
    return;
  }
  staff::SetUpRequest q;
  q.staff_id = c->account.id;
  q.password = field(*post, "password", staff::max_password_bytes + 1);
  q.confirm = field(*post, "confirm", staff::max_password_bytes + 1);
  q.secret = *secret;
  q.code = field(*post, "code", 33);
  const auto r = staff::complete_set_up(ex.app.store(), ex.app.keys(), ex.app.audit(), q, now_ms());
  using P = staff::SetUpResult::Problem;
  Ui problem = Ui::Count_;
  switch (r.problem) {
    case P::None: break;
    case P::PasswordTooShort: problem = Ui::StaffPasswordTooShort; break;
    case P::PasswordTooLong: problem = Ui::StaffPasswordTooLong; break;
    case P::PasswordIsName: problem = Ui::StaffPasswordIsName; break;
    case P::PasswordsDiffer: problem = Ui::StaffPasswordsDiffer; break;
    case P::CodeWrong: problem = Ui::StaffSetUpCodeWrong; break;
    case P::AlreadySetUp: return to_staff_sign_in(ex);
  }
  if (problem != Ui::Count_) {
    set_up_form(ex, *c, *secret, 422, Poco::trim(q.code).substr(0, 32), ui(f, problem));
    return;
  }
  // Set up, and signed in: the codes are shown now, once.
  const std::string token = new_staff_session(ex, c->account.id, StaffStage::Full);
  audit_event(ex, c->account.id, "sign_in");
  StaffFrame done = staff_frame(ex, "/staff", staff_csrf(ex.app, token));
  send_staff_page(ex, 200, staff_recovery_page(done, r.recovery_codes));
}

// --- home, sign out, the audit log ---

void get_home(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::Full);
  if (!c) return to_staff_sign_in(ex);
  StaffFrame f = staff_frame(ex, "/staff", staff_csrf(ex.app, c->token));
  const auto left = ex.app.store().recovery_codes_left(c->account.id);
  const std::string notice =
      ex.query("recovery") ? renderers::ui(Ui::StaffRecoveryLeft, f.language, {std::to_string(left)}) : std::string();
  send_staff_page(ex, 200, staff_home_page(f, c->account, left, notice));
}

void post_sign_out(Exchange& ex) {
  // Any stage: a member half signed in may leave too.
  const auto c = live_staff(ex);
  if (!c) {
    close_if_unread_body(ex);
    return to_staff_sign_in(ex);
  }
  const auto post = read_post(ex, "/staff", "staff:" + c->token);
  if (!post) return;
  ex.app.store().end_staff_session(sha256_hex(c->token));
  if (c->session.stage == StaffStage::Full) audit_event(ex, c->account.id, "sign_out");
  set_staff_cookie(ex, "");
  sign_in_form(ex, 200, {}, Ui::StaffSignedOut, true);
}

constexpr std::size_t audit_page_size = 50;

void get_audit(Exchange& ex) {
  const auto c = current_staff(ex, StaffStage::Full);
  if (!c) return to_staff_sign_in(ex);
  StaffFrame f = staff_frame(ex, "/staff/audit", staff_csrf(ex.app, c->token));
  if (c->account.role != "supervisor") {
    send_staff_page(ex, 403, staff_forbidden_page(f));
    return;
  }
  std::int64_t before = 0;
  if (const auto b = ex.query("before")) {
    if (b->empty() || b->size() > 18 || b->find_first_not_of("0123456789") != std::string::npos) {
      ex.fail(404, nothing_here);
      return;
    }
    before = std::stoll(*b);
  }
  const auto entries = ex.app.store().audit_page(before, audit_page_size);
  std::map<std::int64_t, std::string> names;
  for (const auto& a : ex.app.store().list_staff()) names[a.id] = a.name;
  std::string older;
  if (entries.size() == audit_page_size && entries.back().seq > 1) {
    older = "/staff/audit?lang=" + f.language + "&before=" + std::to_string(entries.back().seq);
  }
  send_staff_page(ex, 200, staff_audit_page(f, entries, names, older));
}

void get_staff_slash(Exchange& ex) { ex.redirect("/staff?lang=" + staff_language(ex)); }

constexpr std::array routes = {
    Route{"GET", "/staff", get_home},
    Route{"GET", "/staff/", get_staff_slash},
    Route{"GET", "/staff/sign-in", get_sign_in},
    Route{"POST", "/staff/sign-in", post_sign_in},
    Route{"GET", "/staff/code", get_code},
    Route{"POST", "/staff/code", post_code},
    Route{"GET", "/staff/set-up", get_set_up},
    Route{"POST", "/staff/set-up", post_set_up},
    Route{"POST", "/staff/sign-out", post_sign_out},
    Route{"GET", "/staff/audit", get_audit},
};

}  // namespace

std::span<const Route> staff_routes() { return routes; }

}  // namespace askonce::server
