// server/http/receipt_mail.hpp: the mails citizens get, and where they go.
//
// The receipt mail (queued by submit() in the submission's own transaction) and the mail that
// sends a receipt link again ("Lost your receipt link?"): plain text and HTML, in the
// citizen's language, their fixed words from renderers/strings.hpp and the form's words
// (title, agencies, the service standard) through the renderers' Wording, every string of the
// HTML through renderers::append_html. No answer is in any mail, and nothing personal is in a
// subject: a mail names the reference, the agencies, what happens next and a link that opens
// the receipt's status once (docs/architecture.md, "Mail").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/answers.hpp"
#include "server/store/store.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::server {

/// Where the receipt mail goes: the answer to `email` of the shared `contact` block
/// (forms/common/contact.form) used at the form's top level, when it was answered. Nothing for
/// a form without that block, or when the citizen left it blank. (An email field of the form's
/// own, or one inside a repeat, is someone else's address or not meant for this.)
std::optional<std::string> receipt_address(const engine::Plan& plan, const engine::Submission& submission);

/// The keyed hash kept of an email address for "Lost your receipt link?": HMAC-SHA256 under
/// `key` (mail.contact_key) of the address as the engine makes it canonical, in lower case, so
/// "Ana@Example.com" finds "ana@example.com". Nothing when `address` is not an email address.
std::optional<std::string> contact_hash(std::string_view key, std::string_view address);

/// What a receipt mail says, besides its reference.
struct ReceiptMailInput {
  const engine::Plan* plan = nullptr;
  std::string language;               // the submission's
  std::vector<std::string> agencies;  // the agencies routed to, by name, in the views' order
  std::string recipient;
  std::string link_url;  // the absolute receipt link, with its token
  int link_days = 7;
};

/// The receipt mail for the submission stored as `reference` (kind "receipt").
NewMail receipt_mail(const ReceiptMailInput& in, const std::string& reference);

/// The mail that sends a receipt link again (kind "receipt_link"): the reference and the link.
NewMail receipt_link_mail(const ReceiptMailInput& in, const std::string& reference);

/// The mail that tells a citizen an agency has an update about their application (kind
/// "status"): the reference, the form's title and a link to the status page. Never the update
/// itself: a decision or a request does not belong in a mailbox. `in.agencies` is not used.
NewMail status_update_mail(const ReceiptMailInput& in, const std::string& reference);

/// The mail that tells the address a citizen gave before that it was changed (kind
/// "address_changed"): the reference, the form's title, and what to do when they did not make
/// the change. No answer (not the new address either) and no link: whoever reads this mailbox
/// now may not be the citizen. `in.agencies` and `in.link_url` are not used.
NewMail address_changed_mail(const ReceiptMailInput& in, const std::string& reference);

/// The mail with a link to come back to saved answers (kind "resume"): the form's title and
/// the link; no answer, and no resume code (a mailbox is not where the code should be).
/// `in.agencies` is not used.
NewMail resume_mail(const ReceiptMailInput& in);

}  // namespace askonce::server
