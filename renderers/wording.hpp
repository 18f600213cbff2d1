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
// Conditions (`show if`, `required if`) are said by walking model::Expr: a yes/no question,
// an option of a choice (by its label, never its stored value), `contains`, `is_blank`,
// comparisons, `and`/`or`/`not`. Anything else is said as a plain rendering of the expression
// with fields named by question; saying a condition never fails.
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

/// Who speaks a condition: to the citizen ("you answered Yes to question 15") or about the
/// citizen's answers, as a phone agent's script does ("the answer to question 15 is Yes").
enum class Voice : std::uint8_t { Citizen, Agent };

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
};

/// A paper skip instruction printed after a question: where to go when the answer makes the
/// questions that follow not apply.
struct SkipWords {
  std::string text;          // "If you answered No to question 15, go to question 17."
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
};

/// A section (a page on the web, a part on paper) in words.
struct SectionWords {
  std::uint32_t number = 0;  // 1-based
  std::string title;
  std::vector<model::FieldId> fields;  // top-level fields, in order (as model::Section)
  std::uint32_t first_question = 0;    // 0 when the section asks nothing
  std::uint32_t last_question = 0;
};

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

  /// A condition in words, without a capital or a full stop. Never fails: what cannot be said
  /// in words is said as expression().
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
