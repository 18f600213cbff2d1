// server/http/staff_session.hpp: what every page under /staff/ shares, whichever route table it
// is in (staff_routes.cpp: signing in, home, the audit log; keying_routes.cpp: keying
// applications): the session behind the request's cookie, the frame of a page, and the checks
// on a post. Defined in staff_routes.cpp.
//
// A session is a random 256-bit token in a cookie (HttpOnly, SameSite=Strict, Path=/staff);
// the store keeps its SHA-256 and checks the idle and absolute timeouts. A staff form's CSRF
// token is bound to the session: an HMAC of "staff:" + its token (staff_csrf).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/http/http.hpp"
#include "server/http/staff_pages.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

class App;

/// A request's live staff session and whose it is.
struct StaffVisit {
  std::string token;
  StaffSession session;
  StaffAccount account;
};

/// The page's language (?lang=, else Accept-Language), among the pages' languages.
std::string staff_language(const Exchange& ex);
/// The frame of a staff page at `path`: its language switch leads to the same page.
StaffFrame staff_frame(const Exchange& ex, std::string_view path, std::string csrf = {});
/// Answers with a staff page (Referrer-Policy same-origin: see staff_routes.cpp); with
/// `retry_after`, a Retry-After header of that many seconds.
void send_staff_page(Exchange& ex, int status, const std::string& body, std::optional<int> retry_after = std::nullopt);

/// The session token the request's cookie holds, when plausible; empty otherwise.
std::string staff_session_token(const Exchange& ex);
/// Sets the session cookie; an empty token clears it.
void set_staff_cookie(Exchange& ex, const std::string& token);
/// A new session for `staff_id` at `stage`, ending the request's own; returns its token.
std::string new_staff_session(Exchange& ex, std::int64_t staff_id, StaffStage stage);
/// The CSRF token of the forms of the session `token`.
std::string staff_csrf(const App& app, const std::string& token);
/// The request's live session (its idle time restarted), whatever its stage, of an account
/// that is not disabled; nothing otherwise.
std::optional<StaffVisit> live_staff(Exchange& ex);
/// The same, at `stage` only (StaffStage::Full: signed in with both factors).
std::optional<StaffVisit> current_staff(Exchange& ex, StaffStage stage);
/// Where a session at `stage` goes on.
std::string staff_stage_path(StaffStage stage);
/// The page asked for is not for this session: on to the page its stage is at, or to the
/// sign-in page.
void to_staff_sign_in(Exchange& ex);
/// An Origin header naming another site than this one.
bool foreign_staff_post(const Exchange& ex);

}  // namespace askonce::server
