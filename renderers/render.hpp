// renderers/render.hpp: the one signature every renderer has, as pandoc's writers share one.
//
// A renderer is a free function RenderResult f(const RenderRequest&): the compiled form (its
// engine::Plan, which owns the model), a language, which document to draw, and what that
// document needs; out come bytes (text for HTML and plain text, binary for PDF) and R-code
// warnings for constructs it could not draw. A renderer never fails as a whole: what it can
// draw is drawn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/answers.hpp"
#include "engine/diagnostic.hpp"
#include "engine/validate.hpp"
#include "renderers/feedback.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::renderers {

/// What to draw.
enum class Document : std::uint8_t {
  Start,    // the form's start page: what it is for, who can use it, what you need, how long
            // it takes, the service standard, other ways to apply, and "Start now" (HTML)
  Form,     // the form to fill in: blank, or filled with RenderRequest::filled
  Step,     // one section of the form, a step of the web journey (needs `step`; values and
            // errors from `filled`)
  Answers,  // "check your answers": a submission by question (needs `submission`; with `step`,
            // Change links, the declaration and "Delete my answers"; attest values and errors
            // from `filled`)
  Receipt,  // a submitted application: reference, time, answers, agencies (needs `submission`
            // and `receipt`)
};

/// A form page filled with what the citizen sent, and the errors the engine found.
struct Filled {
  /// What was sent, as flat form fields named by instance path ("person.name.first",
  /// "household[0].full_name", "move_date.month"), in the order posted; kept so that
  /// everything the citizen entered is shown back, even what could not be read.
  std::vector<std::pair<std::string, std::string>> values;
  /// The engine's errors, in the submission's language (engine::Result::errors).
  std::vector<engine::Error> errors;
};

/// Where an application stands with one agency, as a receipt shows it.
enum class Delivery : std::uint8_t {
  Pending,    // not delivered yet (being sent, or waiting for the agency to collect it)
  Delivered,  // the agency has it
  Failed,     // could not be delivered (given up on until staff send it again)
};

/// Where an application stands with one agency, as the agency last posted it (the server's
/// agency_status.hpp); a receipt says it in the citizen's language.
struct AgencyProgress {
  std::string status;        // "received", "in_review", "need_info", "decided", or the citizen's
                             // "answered"; empty: none posted
  std::string outcome;       // decided: "approved", "denied", "partly_approved", "withdrawn", "referred"
  std::string tracking;      // the agency's tracking number; empty: none
  std::string message_name;  // one of the agency's messages in the form (model::Agency::messages)
  std::map<std::string, std::string> message;  // or the agency's own text, by language
  std::string updated;       // ISO 8601 UTC: when the agency posted it
  /// The day a decision is due under the agency's service standard ("YYYY-MM-DD", from the
  /// day received, paused while the agency waited on the citizen: engine/clock.hpp); empty
  /// when the agency has no standard or has decided. `late`: that day has passed.
  std::string due;
  bool late = false;
};

/// What a receipt says besides the answers.
struct ReceiptInfo {
  std::string reference;              // the reference number the citizen quotes
  std::string received;               // ISO 8601 UTC; empty: Submission::received
  std::vector<std::size_t> agencies;  // indexes into Form::agencies (receiving_agencies())
  /// The state of each delivery: deliveries[i] is agencies[i]'s. Empty (a receipt printed at
  /// once, a golden): no states are shown.
  std::vector<Delivery> deliveries;
  /// What each agency has said since: progress[i] is agencies[i]'s, shown in place of its
  /// delivery state once it has a status. Empty: none shown.
  std::vector<AgencyProgress> progress;
  /// The same receipt in other formats, for links on the web page (a path with the receipt's
  /// key); empty: no link.
  std::string pdf_url;
  std::string text_url;
  /// "Start another form with these answers" (the server's page for it); empty: no link.
  std::string reuse_url;
  /// "See or print your answers": where the answers are shown once the citizen has answered
  /// what only they know (the page itself shows none when it is set); empty: no link.
  std::string answers_url;
  /// When not empty, pdf_url and text_url are posted to, with these hidden inputs (what the
  /// citizen answered to see the answers), rather than linked.
  std::vector<std::pair<std::string, std::string>> download_fields;
  /// "Correct an answer" (the server's page for it: server/http/amend.hpp); empty: no link.
  std::string correct_url;
  /// "Answer the agency": answer_urls[i] for agencies[i] while it waits on the citizen
  /// (need_info); empty, or an empty entry: no link.
  std::vector<std::string> answer_urls;
  /// A confirmation email was queued for this submission (the web page says so); false: the
  /// page says nothing about email (no relay, no address given, or a receipt printed at once).
  bool mail_sent = false;
  /// The A-11 survey on the web page (feedback.hpp); none: not asked here.
  std::optional<FeedbackForm> feedback;
  /// In the survey's place once it is answered: Ui::FeedbackThanks or Ui::FeedbackAlready.
  std::optional<Ui> feedback_note;
};

/// Where a step page or the check-your-answers page sits in the web journey (html.hpp).
struct StepInfo {
  std::size_t section = 0;  // Step: index into Form::sections
  std::size_t number = 1;   // Step: 1-based, among the steps shown to this citizen
  std::size_t count = 1;    // Step: how many steps are shown to this citizen
  /// Step: the previous step shown, or the start page. Answers: the last step shown.
  std::string back_url;
  /// Where "Delete my answers" posts (the page's hidden inputs go with it); empty: no button.
  std::string delete_url;
  /// Step and Answers: a "Save and come back later" button (askonce:save) beside Continue or
  /// Submit, posting the page's answers with it.
  bool save = false;
  /// Step and Answers: the fields (ids) filled in from another form's answers and unchanged
  /// since. Check your answers marks them, and shows a sensitive one masked; a step leaves a
  /// sensitive one's box empty, saying which number is kept when it stays empty.
  std::vector<std::string> reused;
  /// Answers: "Start another form with these answers" links here; empty: no link.
  std::string reuse_url;
  /// Step and Answers: the staff keying pages (server/http/keying_routes.cpp): the questions
  /// in the agent's voice (Ask:, Read:, from wording.hpp's FieldWords::agent_*, the words of
  /// the phone script), and check your answers as the read-back, sensitive answers masked.
  bool agent = false;
  /// Where the journey's pages are: empty for the citizen's ("/forms/{id}"), else the staff
  /// keying address ("/staff/key/{draft}"). Change links lead to its steps.
  std::string base_url;
  /// Answers: how the declaration is being made, as the label of its box, the statement shown
  /// above it ("The caller confirmed this statement to me, Ana, by phone."); empty: the box is
  /// labelled with the statement, as the citizen sees it.
  std::string declaration_record;
  /// Step and Answers: a line above the title saying whose application this is and how it
  /// came (the staff keying pages); empty: none.
  std::string banner;
  /// Step: draw only this field (its id, "new_address", "contact.email") and the groups it is
  /// in, with no step count: a correction of one answer after submitting. Empty: the whole step.
  std::string only;
  /// Step: the words of the button; empty: Continue.
  std::string submit_label;
  /// Step: the instance path of an entry just added ("household[1]"): its first input gets
  /// the autofocus attribute, so focus lands there without JavaScript. Empty: none.
  std::string focus;
};

/// A link to the same page in one language (the frame's language switch).
struct LanguageLink {
  std::string language;  // "es"
  std::string url;       // "/forms/change_of_address?lang=es"
};

/// What a deployment prints on its paper forms in place of the form's own `paper` settings
/// (server config `paper.<form id>.*`, docs/operations.md), already in the request's language.
/// Each empty part: the form's own.
struct PaperSite {
  std::string mail_to;      // where to send it; "\n" between the lines of the address
  std::string phone;        // for help
  std::string hours;        // when that phone is answered
  std::string omb_number;   // "1234-5678", with omb_expires ("YYYY-MM-DD")
  std::string omb_expires;
  std::string privacy;      // the Privacy Act notice
  std::string burden;       // the paperwork burden notice
};

/// What the page frame says about the deployment (renderers/frame.hpp): the service's name,
/// where home is, the footer's links, and the time zone times are shown in. The server fills
/// it from its configuration (site.*); `askonce render` leaves it empty, and every empty part
/// has a default. Plain data, so that a renderer needs no server to draw a whole page.
struct Site {
  std::string name;               // the service's name in the header; empty: "Government forms"
  std::string home_url;           // the header's link; empty: "/"
  std::string about_url;          // the footer's links; empty: that link is left out
  std::string accessibility_url;
  std::string privacy_url;
  /// The language switch: this page in each language, the current one included. Empty: each
  /// of the form's languages as "?lang=xx" (the same page, other query parameters dropped).
  std::vector<LanguageLink> languages;
  /// Times (a receipt's "Received") are shown in this IANA zone and named ("10:42 AM Eastern
  /// Time"). Empty: America/New_York. A zone the system's tz database lacks: UTC.
  std::string time_zone;
  /// Other ways to apply, set by the deployment for a form (forms.<id>.apply.*), in place of
  /// the form's own `apply` settings; empty: the form's.
  std::string apply_phone, apply_in_person, apply_mail;
  /// What the paper form (PDF) prints about where to send it, help, the OMB number and the
  /// notices, in place of the form's own; see PaperSite.
  PaperSite paper;
};

struct RenderRequest {
  const engine::Plan* plan = nullptr;  // required: the compiled form
  std::string language;                // one of the form's; empty or unknown: the primary
  Document document = Document::Form;
  const engine::Submission* submission = nullptr;  // Answers and Receipt
  const Filled* filled = nullptr;                  // Form: values and errors to show
  const ReceiptInfo* receipt = nullptr;            // Receipt
  const StepInfo* step = nullptr;                  // Step; Answers in the web journey
  std::size_t width = 72;              // text-like output: line width in code points
  /// Form and Answers pages (HTML): hidden inputs (name, value) written inside the form, for
  /// what the server needs back with the post (its CSRF token, a once-only key). Empty: none.
  std::vector<std::pair<std::string, std::string>> hidden;
  /// The deployment's frame (header, footer, language switch, time zone); see Site.
  Site site;
  /// The page's <title> before the form's title and the service's name, most specific first
  /// ({"Your move", "Step 2 of 6"}); empty: the document's own (a step's section and "Step 2
  /// of 6", "Check your answers", "We received your application"; none for the start page).
  std::vector<std::string> title_parts;
};

struct RenderResult {
  std::string bytes;
  /// Warnings (R codes, docs/diagnostics.md) for what could not be drawn, each pointing at the
  /// construct in the form's source; the rest is still drawn.
  std::vector<Diagnostic> warnings;
};

/// A renderer: one free function per format.
using RenderFunction = RenderResult (*)(const RenderRequest&);

}  // namespace askonce::renderers
