// renderers/strings.hpp: the fixed words every channel uses ("Question", "Required",
// "Page %1 of %2"), in English and Spanish, in one table.
//
// Words that come from a form (labels, hints, messages) are in the model; words that come
// from the engine's rules (the kinds, conditions, checks) are built in wording.cpp from these.
// Anything a renderer prints that is not from the form comes from here, so that no renderer
// carries words of its own and a new language is one more column.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace askonce::renderers {

/// One fixed UI string. Add keys at the end of a group; the table in strings.cpp must have a
/// row for each (a static_assert checks the count).
enum class Ui : std::uint16_t {
  // Headings and labels
  Question,            // "Question"
  QuestionN,           // "Question %1"
  Required,            // "Required"
  Optional,            // "Optional"
  PageNOfM,            // "Page %1 of %2"
  CheckYourAnswers,    // "Check your answers"
  ReferenceNumber,     // "Reference number"
  TimeReceived,        // "Received"
  AgenciesReceiving,   // "Agencies that receive your application"
  NoAgencies,          // "No agency receives this application."
  WhatHappensNext,     // "What happens next"
  Receipt,             // "Receipt"
  ApplicationReceived, // "We received your application"
  Section,             // "Part"
  SectionN,            // "Part %1 of %2: %3"
  FormVersion,         // "Form version %1" (never the form's internal id: citizens read it)
  Instructions,        // "Instructions"
  SelectPrompt,        // "- Select -" (a drop-down's first, empty choice)
  DateExample,         // "For example: 4 28 1986." (under a date's three boxes)
  Hint,                // "Help"
  Answer,              // "Answer"
  NotAnswered,         // "Not answered"
  NotAsked,            // "Not asked"
  Yes,                 // "Yes"
  No,                  // "No"
  Agreed,              // "Agreed"
  NotAgreed,           // "Not agreed"
  EntryN,              // "%1 %2" (repeat label, 1-based number): "Person 2"
  NoEntries,           // "None"
  Continue,            // "Continue"
  Back,                // "Back"
  Submit,              // "Submit"
  Change,              // "Change"
  Add,                 // "Add"
  Remove,              // "Remove"
  ThereIsAProblem,     // "There is a problem"
  ErrorPrefix,         // "Error:"
  ComputedNote,        // "Worked out from your other answers; you do not fill this in."
  ContinuationSheet,   // "If you need more room, attach a sheet with the same question numbers."
  EndOfForm,           // "the end of the form"
  Month,               // "Month"
  Day,                 // "Day"
  Year,                // "Year"
  Language,            // "Language"
  SensitiveEnding,     // "ending in %1"
  YourAnswers,         // "Your answers"
  YourAnswer,          // "Your answer: %1"
  AskedForEachEntry,   // "Questions %1 to %2 are asked for each entry."
  AskedForEachEntry1,  // "Question %1 is asked for each entry."
  ReadOnlyIf,          // "Read only if %1." (a note, in a script)
  ProblemAt,           // "%1: %2" (where, message): "Question 14: Enter a date."
  // The paper form's instructions, and its signing line
  PaperInk,            // "Use black or blue ink."
  PaperCapitals,       // "Write in capital letters, one character in each box."
  PaperTick,           // "Check a box like this: %1" (%1: the mark, e.g. "☒")
  PaperFollowSkips,    // "Follow the instructions that tell you which question to go to."
  PaperKeepCopy,       // "Keep a copy for your records."
  PaperTickOne,        // "Check one." (a choice, on paper)
  PaperTickAll,        // "Check all that apply." (choices, on paper)
  Signature,           // "Signature"
  Date,                // "Date"
  // The receipt: each agency's delivery, and the receipt in other formats
  AgencyState,         // "%1: %2" (agency, delivery state)
  DeliveryPending,     // "Pending"
  DeliveryDelivered,   // "Delivered"
  DeliveryFailed,      // "Could not be delivered"
  ReceiptPdf,          // "Receipt as PDF, to print"
  ReceiptText,         // "Receipt as plain text"
  // The server's own pages: the list of forms, and a post refused (server/http/web_pages.cpp)
  FormsTitle,          // "Forms"
  FormsIntro,          // "Fill in a form once: every agency that needs your answers gets them. ..."
  FillOnline,          // "Fill it in online"
  PaperForm,           // "Paper form (PDF)"
  TextVersion,         // "Text version"
  RefusedTitle,        // "We could not accept this page"
  RefusedWhy,          // "For your safety, we only accept a form sent from the page we gave ..."
  RefusedNothingSaved, // "Nothing you sent was saved."
  RefusedBack,         // "Go back to the form"
  AllForms,            // "All forms"
  // The web journey, one step at a time (renderers/html.cpp Step and Answers; server/http/
  // web_routes.cpp)
  StepNOfM,            // "Step %1 of %2"
  SubmitApplication,   // "Submit application"
  DeleteMyAnswers,     // "Delete my answers"
  Declaration,         // "Declaration"
  EntriesSoFar,        // "Added so far": the heading of a repeat's entries, on a step
  AlreadySent,         // "You already sent this application"
  AlreadySentText,     // "We have your application; it was not sent twice. ..."
  SeeReceipt,          // "See your receipt"
  StartAgain,          // "Start a new application"
  AnswersDeleted,      // "Your answers were deleted"
  AnswersDeletedText,  // "Nothing you entered is kept. ..."
  // The page frame (renderers/frame.hpp) and the start page (html.cpp, Document::Start)
  SkipToMain,          // "Skip to main content"
  BannerLabel,         // "Official website of the United States government" (the banner's name)
  BannerOfficial,      // "An official website of the United States government"
  BannerHowYouKnow,    // "Here's how you know"
  BannerDotGovTitle,   // "Official websites use .gov"
  BannerDotGov,        // "A .gov website belongs to an official government organization ..."
  BannerHttpsTitle,    // "Secure .gov websites use HTTPS"
  BannerHttps,         // "A lock or https:// means you've safely connected to the .gov website. ..."
  ServiceNameDefault,  // "Government forms" (the header, when site.name is not set)
  FooterLinks,         // "Important links"
  FooterAbout,         // "About this service"
  FooterAccessibility, // "Accessibility statement"
  FooterPrivacy,       // "Privacy policy"
  LanguageCurrent,     // "%1 (this page)" hidden text after the current language's link
  StartWhoCanUse,      // "Who can use this form"
  StartYouNeed,        // "What you will need"
  StartHowLong,        // "How long it takes"
  StartAfter,          // "What happens after you apply"
  StartOtherWays,      // "Other ways to apply"
  StartByPhone,        // "By phone"
  StartInPerson,       // "In person"
  StartByMail,         // "By mail"
  StartNow,            // "Start now"
  StartPaper,          // "You can also print the paper form (PDF) and mail it."
  TimeInZone,          // "%1, %2 %3" (date, time, zone): "May 1, 2024, 8:00 AM Eastern Time"
  // Mail to citizens, receipt links and the receipt's status page (server/http/receipt_mail.cpp,
  // web_pages.cpp)
  MailReceiptSubject,  // "Application received: %1" (%1: the form's title; never personal data)
  MailReceiptLink,     // "To see where your application stands, open this link. It works once, ..."
  MailNoAnswers,       // "For your privacy, this email does not include your answers."
  MailAutomatic,       // "This message was sent automatically. Replies are not read."
  MailLinkSubject,     // "A new link to your receipt"
  MailLinkIntro,       // "You asked for a new link to the receipt of application %1."
  StatusTitle,         // "Where your application stands"
  StatusNoAnswers,     // "To protect your information, this page does not show your answers."
  LinkExpiredTitle,    // "This link has expired or was already used"
  LinkExpiredHow,      // "Each link in our emails opens your receipt once, ... To get a new link, ..."
  LostLinkTitle,       // "Lost your receipt link?"
  LostLinkIntro,       // "Enter your reference number and the email address you gave ..."
  EmailAddress,        // "Email address"
  LostLinkSend,        // "Send me a new link"
  LostLinkSent,        // "If the reference number and the email address match an application, ..."
  LostLinkInvalid,     // "Enter a reference number like 7Q2K-9M3X-4TC and an email address."
  // Save and come back later (server/http/resume_routes.cpp, resume_pages.cpp, receipt_mail.cpp)
  SaveForLater,        // "Save and come back later"
  SavedTitle,          // "Your answers are saved"
  SavedUntil,          // "We keep them until %1: %2 days after your last change."
  ResumeCodeIs,        // "Your resume code"
  ResumeCodeWrite,     // "Write it down or print this page. ..."
  ResumeAlsoAsk,       // "When you come back, we will also ask:"
  SavedMailSent,       // "We also sent a link to come back to the email address you gave. ..."
  ResumeHow,           // "To come back, go to %1 and enter the code."
  ContinueNow,         // "Continue with your answers now"
  ResumeTitle,         // "Come back to your saved answers"
  ResumeIntro,         // "Enter the resume code you got when you saved your answers."
  ResumeCodeLabel,     // "Resume code"
  ResumeCodeHint,      // "13 letters and numbers, like ..."
  ResumeCodeInvalid,   // "Enter the resume code as you wrote it down: 13 letters and numbers."
  ResumeCodeUnknown,   // "We could not find saved answers with that code. ..."
  ResumeCheckTitle,    // "Answer a question only you know"
  ResumeCheckIntro,    // "To protect your answers, answer as you did on the form."
  LastFourOf,          // "%1: the last 4 digits"
  ResumeWrong,         // "These answers do not match the ones you gave. ..."
  ResumeLocked,        // "Too many tries. For your security, wait an hour, then try again."
  ResumeMailSubject,   // "Come back to your application: %1"
  ResumeMailLink,      // "To continue where you stopped, open this link. It works once, within %1 days:"
  ResumeMailAsk,       // "We will ask you something only you know before we show your answers."
  // Start another form with these answers (server/http/reuse_routes.cpp, renderers/html.cpp)
  ReuseOffer,          // "Start another form with these answers"
  ReuseIntro,          // "These forms ask some of the same questions. ..."
  ReuseNone,           // "No other form asks the same questions as this one."
  ReuseCarries,        // "We fill in: %1"
  ReuseStart,          // "Start: %1"
  ReusedTag,           // "From your earlier application"
  ReusedKept,          // "We have the number ending %1 from your earlier application. ..."
  SeeAnswers,          // "See or print your answers"
  // Small promises of issue 11 (the "fixes" branch): the receipt page's word on its mail
  ReceiptMailSent,     // "We have sent a confirmation email to the address you gave, with your reference number."
  // A receipt link that does not work, on a deployment with no mail relay: no email promised.
  LinkExpiredNoMail,   // "To see your receipt again, open the address of the receipt page ..."
  // Staff sign-in, set-up, home and audit log (issue 12, "staff" branch: server/http/staff_*.cpp)
  StaffSignInTitle,    // "Staff sign-in"
  StaffName,           // "Name"
  StaffPassword,       // "Password"
  StaffSignIn,         // "Sign in"
  StaffNeedBoth,       // "Enter your name and your password."
  StaffRefused,        // "The name or password is not right. Check them and try again."
  StaffLocked,         // "Too many tries. For your security, wait a few minutes, then try again."
  StaffCodeTitle,      // "Enter your code"
  StaffCodeIntro,      // "Open your authenticator app and enter the 6-digit code it shows for %1..."
  StaffCodeLabel,      // "Code"
  StaffCodeHint,       // "6 digits, or a recovery code like abcde-fghij"
  StaffCodeRefused,    // "That code is not right, or was already used. Enter the code your app s..."
  StaffContinue,       // "Continue"
  StaffSetUpTitle,     // "Set up your account"
  StaffSetUpIntro,     // "Choose your own password, then add this account to an authenticator ap..."
  StaffNewPassword,    // "New password"
  StaffNewPasswordHint,// "At least 12 characters. A few unrelated words make a good one."
  StaffConfirmPassword,// "Type the new password again"
  StaffScanTitle,      // "Add the account to your authenticator app"
  StaffScanIntro,      // "Scan this QR code with the app, or type the key below into it."
  StaffQrLabel,        // "QR code of your account for the authenticator app"
  StaffSecretLabel,    // "Key to type in"
  StaffConfirmCode,    // "Code the app shows now"
  StaffSetUpButton,    // "Finish set-up"
  StaffPasswordTooShort,// "Your new password must have at least 12 characters."
  StaffPasswordTooLong,// "Your new password must have at most 256 characters."
  StaffPasswordIsName, // "Your new password cannot be your name."
  StaffPasswordsDiffer,// "The two passwords are not the same. Type them again."
  StaffSetUpCodeWrong, // "That code is not right. Check that the app shows this account, and ent..."
  StaffRetypePasswords,// "For your security, passwords are never shown again: type your new pass..."
  StaffRecoveryTitle,  // "Your recovery codes"
  StaffRecoveryIntro,  // "If you lose your phone, each of these codes signs you in once instead ..."
  StaffGoHome,         // "Go to staff home"
  StaffHomeTitle,      // "Staff home"
  StaffSignedInAs,     // "You are signed in as %1."
  StaffRoleIs,         // "Your role: %1."
  StaffRoleAgent,      // "agent"
  StaffRoleSupervisor, // "supervisor"
  StaffRecoveryLeft,   // "Recovery codes left: %1."
  StaffSignOut,        // "Sign out"
  StaffSignedOut,      // "You are signed out."
  StaffSessionEnded,   // "Your session has ended. Sign in again."
  StaffAuditTitle,     // "Audit log"
  StaffAuditIntro,     // "What staff did, newest first. No answer of any application is recorded..."
  StaffAuditNumber,    // "Entry"
  StaffAuditWhen,      // "When (UTC)"
  StaffAuditWho,       // "Staff member"
  StaffAuditWhat,      // "Action"
  StaffAuditChannel,   // "Channel"
  StaffAuditReference, // "Reference"
  StaffAuditDetail,    // "Detail"
  StaffAuditUnknown,   // "unknown name"
  StaffAuditOlder,     // "Older entries"
  StaffAuditEmpty,     // "No entries yet."
  StaffForbiddenTitle, // "Not available for your role"
  StaffForbidden,      // "Only supervisors can read the audit log."
  StaffPostRefused,    // "This page only accepts what was sent from its own form. Go back, reloa..."
  // The phone script: the agent's voice (renderers/wording.hpp: FieldWords' agent fields and
  // ScriptWords; renderers/text.cpp lays them out). The staff keying pages reuse them.
  ScriptHeading,       // "Phone script"
  ScriptForCitizens,   // "This is the script a phone agent follows ... get your answers ready ..."
  ScriptOpening,       // "Opening the call"
  ScriptGreeting,      // "Read: My name is (say your name). I will help you fill in “%1” by phone. ..."
  ScriptRead,          // "Read: %1"
  ScriptHowLong,       // "Read: How long it takes: %1"
  ScriptNeeds,         // "Read: What you will need: %1."
  ScriptPrivacyHeading,// "Privacy notice"
  ScriptPrivacy,       // "Read: Before we start: your answers are used for this application only, ..."
  ScriptAsk,           // "Ask: %1" (a label that is a question)
  ScriptAskFor,        // "Ask for: %1." (a label that is not)
  ScriptHelp,          // "If it helps, read: %1" (a hint)
  ScriptConfirm,       // "Ask: Do you confirm this statement? Record yes or no." (an attest)
  ScriptChoices,       // "Read the choices, then record one:"
  ScriptChoicesAll,    // "Read the choices, then record each one that applies:"
  ScriptChoicesLong,   // "Do not read all %1 choices: ask, then find the answer in this list:"
  ScriptSkip,          // "If %1, skip to %2."
  CallerSaid,          // "the caller said %2 to %1"
  CallerNotSaid,       // "the caller did not say %2 to %1"
  CallerChose,         // "the caller chose %2 in %1"
  CallerNotChose,      // "the caller did not choose %2 in %1"
  CallerGave,          // "the caller answered %1"
  CallerBlank,         // "the caller did not answer %1"
  CallerSubject,       // "the caller's answer to %1"
  ScriptComputed,      // "Do not ask: it is worked out from the other answers."
  ScriptSensitive,     // "Private: when you read it back, say only its last 4 characters."
  ScriptReadBackHeading, // "Reading back the answers"
  ScriptReadBack,      // "Read: Before I send your application, I will read your answers back ..."
  ScriptReadBackEach,  // "Read each question that was asked, with the caller's answer:"
  ScriptIfAsked,       // "%1 (if asked)"
  ScriptEachEntry,     // "%1 (for each: %2)"
  ScriptLastFour,      // "%1 (last 4 characters only)"
  ScriptClosingHeading,// "Sending the application"
  ScriptSubmit,        // "Submit the application, then read: Your reference number is ..."
  ScriptRecordText,    // "Record the answer."  (then one per kind, in model::Kind's order)
  ScriptRecordLongText,
  ScriptRecordInteger,
  ScriptRecordDecimal,
  ScriptRecordMoney,
  ScriptRecordDate,
  ScriptRecordYesNo,
  ScriptRecordEmail,
  ScriptRecordPhone,
  ScriptRecordSsn,
  ScriptRecordEin,
  ScriptRecordZip,
  ScriptRecordUrl,
  ScriptRecordAddress,
  ScriptRecordName,
  // The paper form (issue 12, "The paper form"; renderers/pdf.cpp): where to send it, help by
  // phone, the OMB number, the notices, the signature, continuation pages
  PaperOmbNumber,      // "OMB Control No. %1"
  PaperOmbExpires,     // "Expires %1" (%1: a date in words)
  PaperBurdenShort,    // "Estimated burden: %1 minutes"
  PaperWhereToSend,    // "Where to send this form"
  PaperMailTo,         // "Mail the completed and signed form to:"
  PaperHelpPhone,      // "Questions? Call %1."
  PaperHelpHours,      // "Hours: %1"
  PaperNotices,        // "Notices"
  PaperPrivacyAct,     // "Privacy Act notice"
  PaperBurdenTitle,    // "Paperwork Reduction Act notice"
  PaperBurdenStandard, // "We estimate that this form takes %1 minutes on average ... valid OMB control number."
  PaperSignHere,       // "Sign and date the form: we cannot process it without your signature."
  ContinuationPages,   // "Continuation pages"
  ContinuationOf,      // "Continuation of question %1: %2 %3 of %4" (question, repeat label, entry, max)
  ContinuationLater,   // "Entries %1 to %2 are on the continuation pages at the end of this form."
  // Keying applications (issue 12, "Keying an application"; server/http/keying_routes.cpp)
  KeyTitle,            // "Key in an application"
  KeyIntro,            // "For an application taken by phone, in person or by mail: the same ques..."
  KeyChannel,          // "How did the application come in?"
  KeyByPhone,          // "By phone"
  KeyInPerson,         // "In person"
  KeyByMail,           // "By mail, on the paper form"
  KeyForm,             // "Form"
  KeyLanguage,         // "Language of the application"
  KeyMailOnly,         // "For mail only"
  KeyArrived,          // "Day the envelope arrived"
  KeyArrivedHint,      // "The agencies' clocks start on this day. It cannot be in the future."
  KeyCode,             // "Code printed under the QR code on the form's pages"
  KeyCodeHint,         // "Like askonce:change_of_address:1:1a2b3c4d5e6f:2. It tells which printi..."
  KeyStart,            // "Start keying"
  KeyNeedChannel,      // "Choose how the application came in."
  KeyNeedForm,         // "Choose the form."
  KeyNoLanguage,       // "This form is not offered in that language. Choose another language."
  KeyNeedArrived,      // "Enter the day the envelope arrived, as month, day and year."
  KeyArrivedFuture,    // "The day the envelope arrived cannot be in the future."
  KeyArrivedOld,       // "The day the envelope arrived must be within the last year."
  KeyNeedCode,         // "Enter the code printed on the paper form's pages."
  KeyCodeUnknown,      // "This code does not match any printing of our forms. Check it against t..."
  KeyCodeOtherForm,    // "This code is from another form: %1. Choose that form, or check the cod..."
  KeyBannerPhone,      // "Application by phone, keyed by %1."
  KeyBannerInPerson,   // "Application in person, keyed by %1."
  KeyBannerMail,       // "Application by mail, received %2, keyed by %1. Printing: %3."
  KeyDeclaredPhone,    // "The caller confirmed this statement to me, %1, by phone."
  KeyDeclaredInPerson, // "The applicant confirmed this statement to me, %1, in person."
  KeyDeclaredMail,     // "The applicant signed this statement on the paper form, received %1."
  KeySentTitle,        // "Application sent"
  KeyReadReference,    // "Read: Your reference number is %1. Please write it down: you will need..."
  KeyKeyedBy,          // "Keyed by %1 on %2, %3."
  KeyMailed,           // "A confirmation email is on its way to the address in the application."
  KeyNotMailed,        // "No confirmation email was sent: print the receipt and give it or mail ..."
  KeyPrintReceipt,     // "Print the receipt (PDF)"
  KeyAnother,          // "Key another application"
  KeyDiscard,          // "Discard these answers"
  KeyDiscarded,        // "The answers were discarded. Nothing was sent."
  PaperFindTitle,      // "Find a printed form"
  PaperFindIntro,      // "Type the code printed under the QR code on a page of a paper form to s..."
  PaperFind,           // "Find"
  PaperFoundPage,      // "Page %1 of “%2”, version %3."
  PaperCurrent,        // "This is the current printing."
  PaperOlder,          // "This is an older printing: an application on it is keyed against the d..."
  PaperDefinition,     // "Definition"
  PaperKeyThis,        // "Key a mailed application on this printing"
  StaffKeyLink,        // "Key in an application taken by phone, in person or by mail"
  // Status from agencies (issue 13; server/http/agency_status.hpp, the status page, the mail)
  StatusMailSubject,   // "There is an update on your application"
  StatusMailIntro,     // "An agency has an update about your application %1. For your privacy th..."
  StatusReceived,      // "Received by the agency"
  StatusInReview,      // "Being reviewed"
  StatusNeedInfo,      // "The agency needs more information from you"
  StatusDecided,       // "Decided: %1"
  OutcomeApproved,     // "approved"
  OutcomeDenied,       // "not approved"
  OutcomePartlyApproved, // "partly approved"
  OutcomeWithdrawn,    // "withdrawn"
  OutcomeReferred,     // "referred to another office"
  StatusTracking,      // "Agency tracking number: %1"
  StatusMessage,       // "Message from the agency:"
  StatusUpdated,       // "Updated %1"
  StatusDue,           // "A decision is due by %1"
  StatusLate,          // "A decision was due by %1 and is late: call the agency, and quote your ..."
  // Staff sign-in hardening (the `hardening` branch): the per-address limit on sign-in posts
  StaffTooManyHere,    // "Too many sign-in attempts from your connection. Wait %1 seconds, then try again."
  // The language's reach (the `language` branch): a yes/no that may be left unanswered
  ScriptRecordYesNoUnanswered,  // "Record yes, no, or “%1”."
  Count_               // not a string: the number of keys
};

/// The string for `key` in `lang`; English when the table has no string in `lang`.
std::string_view ui(Ui key, std::string_view lang);

/// The string for `key` in `lang` with %1, %2, ... replaced by `args` in order.
std::string ui(Ui key, std::string_view lang, std::initializer_list<std::string_view> args);

/// `pattern` with %1, %2, ... (up to %9) replaced by `args`; "%%" is a percent sign. An argument
/// is never itself scanned for placeholders, so text from a form cannot inject one.
std::string substitute(std::string_view pattern, std::initializer_list<std::string_view> args);

/// True when the table has its own strings in `lang` ("en", "es").
bool has_ui_language(std::string_view lang);

}  // namespace askonce::renderers
