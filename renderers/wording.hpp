// renderers/wording.hpp: everything a channel says about a form, worked out once from the
// model in one language, so that the web page, the paper form, the phone script and the plain
// text speak of the same "question 7" in the same words, and no renderer has logic of its own.
//
// Numbering: a field's question number is model::Field::question, set by the compiler
// (dsl/semantic.cpp, number_questions): every field that asks something is numbered in form
// order from 1; a composite (address, name) is one question and its parts are not numbered;
// notes, groups (`use`), repeats and computed fields are not questions. A field inside a
// repeat keeps one number for all its entries ("question 22" for every person). Sections do
// not restart the numbering. Renderers never number anything themselves.
//
// Texts: every label, hint and message in the requested language, falling back to the form's
// primary language, then to any text there is (a form that compiled has them all).
//
// Conditions (`show if`, `required if`) are said by walking model::Expr: yes/no, an option by
// its label (never its stored value), `contains`, `is_blank`, comparisons, `and`/`or`/`not`,
// `count` of conditions, `matches` (wording.cpp, say_at). Anything else is said as a plain
// rendering of the whole expression with fields named by question; saying one never fails.
//
// All strings returned are plain text, not escaped for any format: each renderer escapes them
// in its own one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/answers.hpp"
#include "engine/model.hpp"
#include "engine/value.hpp"
#include "renderers/strings.hpp"

namespace askonce::engine {
class Plan;
}

namespace askonce::renderers {

/// Who speaks a condition: to the citizen ("you answered Yes to question 15"), about the
/// citizen's answers as an instruction to staff ("the answer to question 15 is Yes"), or in the
/// caller's terms, as the phone script's skips are said ("the caller said Yes to question 15").
enum class Voice : std::uint8_t { Citizen, Agent, Caller };

/// One option of a choice, lettered.
struct OptionWords {
  std::string value;   // the stored value, for form inputs; never shown as the option's words
  std::string letter;  // "A", "B", ..., "Z", "AA", "AB", ...
  std::string label;
};

/// One rule on a field (`check` or `pattern`), in words.
struct CheckWords {
  /// What the rule asks, as a sentence: "Must be after the date in question 12." when the rule
  /// can be said from its expression, otherwise the form's own message.
  std::string text;
  /// The form's own message for the rule, as the engine reports it when the rule fails.
  std::string message;
  bool from_rule = false;  // text was worked out from the rule (not the message)
  bool pattern = false;    // a `pattern`, not a `check`
  /// The rule applies only in one case (`... if EXPR`): `text` then says so ("If the answer to
  /// question 7 is “USA”: ..."), `agent_text` says it in the agent's voice, and `only_if` is
  /// the condition, for the step page's script to show the rule only when it applies.
  const model::Expr* only_if = nullptr;
  std::string agent_text;  // `text` in the agent's voice; the same when the rule always applies
  std::uint32_t index = 0;  // among the field's conditional rules, in order: the script's "ifs"
};

/// A paper skip instruction printed after a question: where to go when the answer makes the
/// questions that follow not apply.
struct SkipWords {
  std::string text;          // "If you answered No to question 15, go to question 17."
  /// The same for the phone agent, in the caller's terms: "If the caller said No to question
  /// 15, skip to question 17."
  std::string agent_text;
  std::uint32_t to = 0;      // the question to go to; 0: the end of the form
  std::vector<std::uint32_t> skipped;  // the questions skipped
};

/// Everything said about one field. For fields that are not questions (notes, groups,
/// repeats, computed fields, composite parts) `number` is 0; the rest still applies.
struct FieldWords {
  model::FieldId field = model::no_field;
  std::uint32_t number = 0;   // the question number; 0 = not a question
  std::string label;          // a note's text is its label
  std::string hint;
  /// The kind and format in words: "a date: month, day and year", "a 9-digit Social
  /// Security number", "an amount in dollars and cents", "one of the options". Empty for notes.
  std::string kind;
  bool required = false;      // always required (when shown)
  bool conditionally_required = false;  // `required if`
  /// "Required." / "Optional." / "Required if you answered “Email” to question 7."
  std::string required_citizen;
  /// The same for an agent: "Required." / "Required if the answer to question 7 is “Email”."
  std::string required_agent;
  std::vector<OptionWords> options;
  /// A yes/no's third choice, which leaves it unanswered (`unanswered`): "No answer". Empty
  /// when it has none (every channel then offers yes and no only).
  std::string unanswered;
  /// min/max in words: "At most 100 characters.", "From $0.01 to $999,999.99.",
  /// "On or after January 1, 1900.", "Choose 1 or 2.", "Up to 10 entries."; empty when none.
  std::string bounds;
  std::vector<CheckWords> checks;  // the `check`s, then the `pattern`s, in the order written
  /// The field's own `show if` and those of the groups and repeats around it.
  bool conditional = false;
  /// The condition alone: "you answered “No, temporary” to question 14".
  std::string condition_citizen;
  /// "the answer to question 14 is “No, temporary”".
  std::string condition_agent;
  /// For the citizen (web, paper): "Answer only if you answered “No, temporary” to question 14."
  /// For a group or repeat: "Fill in only if ..."; for a note: "This applies only if ...".
  std::string answer_only_if;
  /// For the phone script: "Ask only if the answer to question 14 is “No, temporary”."
  std::string ask_only_if;
  /// Paper skip instructions to print after this question (it controls the questions that
  /// follow it); empty for most fields.
  std::vector<SkipWords> skips;
  bool computed = false;
  std::string computed_text;  // "Worked out from your other answers; you do not fill this in."
  bool sensitive = false;

  // ---- The agent's voice: the phone script, and the labels of the staff keying pages ----
  // Each is a whole sentence that starts with what the agent does ("Ask: ...", "Read: ...",
  // "Record ..."), in this Wording's language; empty when it does not apply.

  /// What the agent says to get the answer: the field's `ask` ("Ask: What is your date of
  /// birth?"), else the label when it is a question ("Ask: Is this move permanent?"), else
  /// "Ask for: Date of birth."; for a statement to agree to, after
  /// agent_read: "Ask: Do you confirm this statement? Record yes or no." Empty for notes,
  /// groups, repeats and computed fields.
  std::string agent_ask;
  /// What the agent reads out as it is: a note ("Read: We use your Social Security number
  /// only to ..."), a statement to agree to ("Read: I certify that ..."), a group's or repeat's
  /// label.
  std::string agent_read;
  /// The hint, for the agent to read when it helps: "If it helps, read: Include the area code."
  std::string agent_help;
  /// The format, as a person says it: "Record the month, day and year.", "Ask the caller to
  /// spell the address, one character at a time.". Empty for choices and statements.
  std::string agent_record;
  /// Before a choice's options (FieldWords::options): "Read the choices, then record one:",
  /// "... record each one that applies:", or for a list too long to read out (more than
  /// 12), "Do not read all 59 choices: ask, then find the answer in this list:".
  std::string agent_choices;
  /// A sensitive answer: "Private: when you read it back, say only its last 4 characters."
  std::string agent_private;
  /// A computed field: "Do not ask: it is worked out from the other answers."
  std::string agent_computed;
  /// This question's line in the read-back at the end of the script: "Question 14. When will
  /// you return? (if asked)", "(for each: Person)", "(last 4 characters only)". Empty when the
  /// field is not a question.
  std::string agent_read_back;
};

/// The parts of the phone script that belong to the whole form, in the agent's voice (see
/// FieldWords for each question's). Lines are whole sentences; headings are short titles.
struct ScriptWords {
  std::string heading;          // "Phone script" (under the form's title)
  /// For a citizen who opens the text version (a screen reader, large print): what this
  /// script is, and that it can be used to get answers ready.
  std::string for_citizens;
  std::string opening_heading;  // "Opening the call"
  /// "Read: My name is (say your name). I will help you fill in the form “...” by phone. ...",
  /// then the form's purpose, how long it takes and what the caller needs, when the form says.
  std::vector<std::string> opening;
  std::string privacy_heading;  // "Privacy notice"
  std::vector<std::string> privacy;  // "Read: Before we start: your answers are used ..."
  std::string read_back_heading;     // "Reading back the answers"
  /// "Read: Before I send your application, I will read your answers back ...", "Read each
  /// question that was asked, with the caller's answer:"; each question's
  /// FieldWords::agent_read_back follows.
  std::vector<std::string> read_back;
  std::string closing_heading;  // "Sending the application"
  /// "Send the application, then read: Your reference number is ...", then the service
  /// standard ("Read: Each agency updates its records ...") when the form has one.
  std::vector<std::string> closing;
};

/// A section (a page on the web, a part on paper) in words.
struct SectionWords {
  std::uint32_t number = 0;  // 1-based
  std::string title;
  std::vector<model::FieldId> fields;  // top-level fields, in order (as model::Section)
  std::uint32_t first_question = 0;    // 0 when the section asks nothing
  std::uint32_t last_question = 0;
};

/// A date in words in `lang`: "January 1, 1900" / "1 de enero de 1900" (Wording::date, for
/// pages that belong to no one form).
std::string date_words(const model::Date& d, std::string_view lang);

/// The form in words, in one language. Built once per form and language; immutable after.
class WordingBuilder;

class Wording {
 public:
  /// `language` should be one of the form's languages; any other (or empty) is taken as the
  /// form's primary language.
  Wording(const model::Form& form, std::string_view language);

  const model::Form& form() const { return *form_; }
  /// The language the words are in (one of the form's).
  const std::string& language() const { return language_; }

  /// `t` in this language, else the primary language, else any; empty when `t` is empty.
  const std::string& text(const model::Text& t) const;
  /// A fixed UI string in this language (strings.hpp).
  std::string_view ui(Ui key) const;
  std::string ui(Ui key, std::initializer_list<std::string_view> args) const;

  std::string_view title() const { return title_; }
  std::string_view description() const { return description_; }
  std::string_view standard() const { return standard_; }
  /// The start page's texts (model::Form::purpose, ...), in this language; empty: not said.
  std::string_view purpose() const { return purpose_; }
  std::string_view eligibility() const { return eligibility_; }
  std::string_view duration() const { return duration_; }
  const std::vector<std::string>& needs() const { return needs_; }
  std::string_view apply_phone() const { return apply_phone_; }
  std::string_view apply_in_person() const { return apply_in_person_; }
  std::string_view apply_mail() const { return apply_mail_; }
  /// "Form version 1": which version of the form this is, for a clerk, on every page beside
  /// the title. Never the internal id ("change_of_address"): citizens read these pages.
  const std::string& form_identity() const { return identity_; }

  const std::vector<SectionWords>& sections() const { return sections_; }
  /// The phone script's parts that belong to the whole form (opening, privacy notice,
  /// read-back, closing), in the agent's voice.
  const ScriptWords& script() const { return script_; }
  const FieldWords& field(model::FieldId f) const { return fields_[f]; }
  const std::vector<FieldWords>& fields() const { return fields_; }

  /// The question number of `f`: the number of the field itself, or, for a composite's part,
  /// of its composite; 0 when `f` is not (part of) a question.
  std::uint32_t question(model::FieldId f) const;
  /// The field asked by question `n`, or model::no_field.
  model::FieldId field_of_question(std::uint32_t n) const;
  /// How many questions the form has.
  std::uint32_t question_count() const { return static_cast<std::uint32_t>(by_question_.size()); }
  /// "question 7" / "la pregunta 7" (as it reads inside a sentence).
  std::string question_ref(std::uint32_t n) const;

  /// A condition in words, without a capital or a full stop, in `voice`. Never fails: what
  /// cannot be said in words is said as expression().
  std::string condition(const model::Expr& e, Voice voice) const;
  /// A plain rendering of an expression, fields named by question ("question 12 + 30 days").
  std::string expression(const model::Expr& e) const;

  /// A date in words: "January 1, 1900" / "1 de enero de 1900".
  std::string date(const model::Date& d) const;
  /// A number as written in this language's grouping ("999,999.99"); money gets "$".
  std::string number(std::string_view digits, bool money = false) const;
  /// A duration: "30 days", "1 year" / "30 días", "1 año".
  std::string duration(const model::Duration& d) const;
  /// An ISO 8601 UTC time ("2024-05-01T12:00:00Z") in words, in the IANA time zone `zone`
  /// and named: "May 1, 2024, 8:00 AM Eastern Time" / "1 de mayo de 2024, 8:00 a. m. hora del
  /// Este". `zone` empty: America/New_York; a zone the system lacks: UTC. Text that is not
  /// such a time is returned as it is.
  std::string timestamp(std::string_view iso, std::string_view zone = {}) const;
  /// A literal of the model in words (for bounds, defaults and conditions).
  std::string literal(const model::Literal& v) const;
  /// An answer of field `f` in words: an option's label, "Yes"/"No", "May 1, 2024", "$12.50",
  /// the ticked options' labels joined. Empty when blank. Composites and groups have no value
  /// of their own: see describe_submission.
  std::string value(model::FieldId f, const engine::Value& v) const;

  /// The title of agency `index` (Form::agencies) in this language; its name when untitled.
  const std::string& agency_title(std::size_t index) const;

 private:
  friend class WordingBuilder;
  const model::Form* form_;
  std::string language_;
  std::string primary_;
  std::string title_, description_, standard_, identity_;
  std::string purpose_, eligibility_, duration_, apply_phone_, apply_in_person_, apply_mail_;
  std::vector<std::string> needs_;
  std::vector<SectionWords> sections_;
  ScriptWords script_;
  std::vector<FieldWords> fields_;
  std::vector<model::FieldId> by_question_;  // [n - 1] = field of question n
  std::vector<std::string> agency_titles_;
};

/// One line of a submitted application described by question, for receipts and the "check
/// your answers" page. Lines come in form order: a Section line, then its questions; a repeat
/// gives an Entry line per entry ("Person 2") followed by that entry's questions.
struct AnswerLine {
  enum class Kind : std::uint8_t { Section, Note, Entry, Question, Computed };
  Kind kind = Kind::Question;
  model::FieldId field = model::no_field;  // Question/Computed/Entry (the repeat); Note
  std::uint32_t section = 0;               // Section: index into Form::sections
  std::uint32_t number = 0;                // Question: the question number
  std::string label;                       // the question's label, the section title, "Person 2"
  /// The answer in words; for a composite, its parts joined ("12 Main St, Springfield, IL
  /// 62701"); for a repeat with no entries, "None". Empty when not answered.
  std::string answer;
  std::string path;                        // instance path: "household[1].full_name"
  std::uint32_t depth = 0;                 // repeats around it
};

/// Options for describe_submission.
struct DescribeOptions {
  /// Sensitive answers shown as "ending in 6789" (receipts sent by email); the full answer
  /// otherwise (the citizen's own "check your answers" page).
  bool mask_sensitive = false;
  /// Questions not asked (their `show if` did not hold) are left out; with this, they are kept
  /// with an empty answer.
  bool include_not_asked = false;
};

/// The citizen's answers by question. Unanswered questions that were asked are kept, with an
/// empty answer; notes are left out (Kind::Note is reserved), and so are sections with nothing
/// asked.
std::vector<AnswerLine> describe_submission(const engine::Plan& plan, const engine::Submission& submission,
                                            const Wording& wording, const DescribeOptions& options = {});

/// The agencies (indexes into Form::agencies) that receive `submission`: those whose `when`
/// holds on `today`, in the form's order.
std::vector<std::size_t> receiving_agencies(const engine::Plan& plan, const engine::Submission& submission,
                                            const model::Date& today);

struct ReceiptInfo;
struct PaperSite;

/// What the paper form says besides its questions, in the wording's language: the form's
/// `paper` settings (model::Paper), each replaced by the deployment's where it gives one
/// (PaperSite). Each part empty: not printed.
struct PaperWords {
  std::vector<std::string> mail_to;  // the address, one line each
  std::string help;                  // "Questions? Call 877-222-8387. Hours: Monday to Friday, ..."
  std::string omb;                   // "OMB Control No. 2900-0091"
  std::string omb_expires;           // "Expires September 30, 2027"
  std::string burden_short;          // "Estimated burden: 45 minutes" (only from minutes)
  std::string privacy;               // the Privacy Act notice
  std::string burden;                // the paperwork burden notice: the form's, or the standard one from minutes
};

PaperWords paper_words(const Wording& wording, const PaperSite& site);

/// The receipt's list of agencies, one line each, in every format alike: the agency's title,
/// and with ReceiptInfo::deliveries its delivery's state ("Social Security Administration:
/// Delivered"). Indexes out of range are left out.
std::vector<std::string> receipt_agency_lines(const Wording& wording, const ReceiptInfo& receipt);

// Requests from the HTML and PDF renderers go here as TODO comments; they are served in
// wording.cpp and the request replaced by the API that serves it.
// Served (html): a drop-down's first choice (Ui::SelectPrompt), an example under a date's three
// boxes (Ui::DateExample); a repeat's button is Ui::Add and the repeat's label.

// Served (pdf): wrap_lines(text, width, measure, ...) in wrap.hpp breaks by measured width
// through the same engine; Ui::PaperInk, PaperCapitals, PaperTick ("%1": the mark),
// PaperFollowSkips, PaperKeepCopy, PaperTickOne, PaperTickAll, Signature and Date are in
// strings.hpp.

}  // namespace askonce::renderers
