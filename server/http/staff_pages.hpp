// server/http/staff_pages.hpp: the pages under /staff/ (staff_routes.cpp): sign-in, the code,
// first-time set-up (with the QR code of the otpauth URI drawn as inline SVG), the recovery
// codes shown once, home, and the audit log. The same USWDS frame as the citizens' pages, every
// string through renderers::append_html, words from renderers/strings.hpp (en, es). Every form
// carries its CSRF token; no page echoes a password.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "renderers/render.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

/// What every staff page shares: the frame's site (its language switch set to this page), the
/// language, and the CSRF token of its forms.
struct StaffFrame {
  renderers::Site site;
  std::string language;
  std::string csrf_token;
};

/// Name and password. `name` is kept; `message` shown as an error (or, with `info`, as news).
std::string staff_sign_in_page(const StaffFrame& f, const std::string& name, std::string_view message, bool info = false);

/// The second step: a TOTP code or a recovery code, for `name`. `code` is kept.
std::string staff_code_page(const StaffFrame& f, const std::string& name, const std::string& code,
                            std::string_view message);

/// First-time set-up: a new password twice, the QR code of `otpauth_uri` and the secret as
/// text (`secret_base32`), and a code to confirm; `sealed_secret` goes back as a hidden input.
struct SetUpPage {
  std::string name;
  std::string otpauth_uri;
  std::string secret_base32;
  std::string sealed_secret;
  std::string code;     // kept when the page comes back with a problem
  std::string message;  // the problem, already in the page's language
};
std::string staff_set_up_page(const StaffFrame& f, const SetUpPage& p);

/// The recovery codes, once.
std::string staff_recovery_page(const StaffFrame& f, const std::vector<std::string>& codes);

/// Home: who is signed in, the role, sign out; the audit log for supervisors. `notice` (in the
/// page's language) is shown when not empty.
std::string staff_home_page(const StaffFrame& f, const StaffAccount& who, std::int64_t recovery_left,
                            std::string_view notice);

/// The audit log, newest first; `names` maps staff ids to names; `older` is the next page's
/// address, empty on the last page.
std::string staff_audit_page(const StaffFrame& f, const std::vector<AuditEntry>& entries,
                             const std::map<std::int64_t, std::string>& names, const std::string& older);

// ---- keying applications (keying_routes.cpp) ----

/// A form the keying page offers: its id, its title in the page's language, its languages.
struct KeyFormChoice {
  std::string id;
  std::string title;
  std::vector<std::string> languages;
};

/// "Key in an application": how it came in, the form, its language, and for mail the day the
/// envelope arrived and the code printed on the paper's pages. What was typed is kept;
/// `errors` maps an input's id ("channel", "form", "language", "arrived", "code") to its
/// problem, already in the page's language, in the page's order.
struct KeyStartPage {
  std::vector<KeyFormChoice> forms;
  std::string channel, form, language, month, day, year, code;
  std::vector<std::pair<std::string, std::string>> errors;
  std::string notice;  // news ("The answers were discarded.")
};
std::string staff_key_page(const StaffFrame& f, const KeyStartPage& p);

/// "Find a printed form": the code typed, and what it names when it names a printing.
struct PaperFoundPage {
  std::string code;
  std::string message;  // the problem with the code, in the page's language; empty: none
  bool found = false;
  std::string form_id, title;
  std::int64_t version = 0;
  std::uint32_t page = 0;
  std::string definition_hash;
  bool current = false;  // the printing of the definition served now
};
std::string staff_paper_page(const StaffFrame& f, const PaperFoundPage& p);

/// An application a staff member keyed, or opens: the reference to read out, who keyed it,
/// how and when, each agency's delivery, whether the receipt was emailed, and the printable
/// receipt.
struct KeyedPage {
  std::string reference;
  std::string form_title;
  std::string read_reference;             // "Read: Your reference number is ..."
  std::string keyed_by;                   // "Keyed by Ana on ..., by phone."
  std::vector<std::string> agency_lines;  // renderers::receipt_agency_lines
  bool mailed = false;
  std::string receipt_pdf_url;
  /// "Answer the agency" for each agency waiting on the caller (need_info): its title, and the
  /// page that keys the caller's answer (server/http/amend.hpp). Empty: none.
  std::vector<std::pair<std::string, std::string>> answer_links;
  /// The A-11 survey for the member to key the applicant's answers (phone, in person), in the
  /// applicant's language `feedback_language`; or the note in its place once answered.
  std::optional<renderers::FeedbackForm> feedback;
  std::optional<renderers::Ui> feedback_note;
  std::string feedback_language;
};
std::string staff_keyed_page(const StaffFrame& f, const KeyedPage& p);

/// 403: the page is not for this role.
std::string staff_forbidden_page(const StaffFrame& f);

/// 403: a post without its CSRF token, or from another site.
std::string staff_refused_page(const StaffFrame& f);

/// An inline SVG of the QR code of `text`, labelled `label` for assistive technology.
void append_qr_svg(std::string& out, std::string_view text, std::string_view label);

}  // namespace askonce::server
