// renderers/feedback.hpp: the customer-experience survey of OMB Circular A-11 §280, as data, in
// one place, for every channel that asks it: the citizens' receipt and status page, the staff
// pages (a phone or counter application) and the end of the phone script.
//
// The questions are A-11's own words with the service's name for [X] (the form's title, or the
// deciding agency's), each on the 5-point scale from 1 "Strongly disagree" to 5 "Strongly
// agree": q1 satisfaction and q2 trust; then "What went well?" and "What didn't go well?" over
// the drivers, each labelled with its A-11 statement; then one open question. Every part is
// optional. The words are in strings.cpp (the Spanish is the project's own translation: A-11
// has none); the names here (inputs, drivers) are what is posted, stored and counted.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "renderers/strings.hpp"

namespace askonce::renderers {

/// The drivers the two checkbox questions offer, in the order asked: the names posted, stored
/// and counted (A-11's effectiveness, ease, efficiency, transparency and employee helpfulness).
inline constexpr std::string_view feedback_drivers[] = {"effectiveness", "ease", "efficiency", "transparency",
                                                        "employee"};
/// Whether `driver` is one of feedback_drivers.
bool known_feedback_driver(std::string_view driver);
/// The A-11 statement that labels `driver` (one of feedback_drivers).
Ui feedback_driver_label(std::string_view driver);

/// The longest comment, in characters (Unicode code points): long enough to say what went
/// wrong, short enough that a comment is not where a life story (or a case file) goes.
inline constexpr std::size_t feedback_comment_max = 1000;

/// The survey's inputs, as posted.
inline constexpr std::string_view feedback_q1 = "q1", feedback_q2 = "q2", feedback_went_well = "went_well",
                                  feedback_went_badly = "went_badly", feedback_comment = "comment";

/// The survey as a page shows it: where it posts, and what was chosen (kept after a post with a
/// problem, so nothing the respondent chose is lost).
struct FeedbackForm {
  std::string service;  // [X] in the questions: the form's title, or the deciding agency's
  std::string about;    // a line under the heading ("About the decision of ..."); empty: none
  std::string action;   // where it posts
  std::vector<std::pair<std::string, std::string>> hidden;  // hidden inputs (the CSRF token, ...)
  bool staff = false;   // on a staff page: staff words (read the questions to the person)
  std::string q1, q2;   // "1".."5", or empty
  std::vector<std::string> went_well, went_badly;
  std::string comment;
  /// Problems with a post: (input name, message), in the survey's order.
  std::vector<std::pair<std::string, std::string>> errors;
};

/// Appends the survey as HTML (a section with its own heading, error summary and form).
void append_feedback_html(std::string& out, const FeedbackForm& form, std::string_view lang);

/// Appends the note shown in the survey's place once it is answered: `key` is FeedbackThanks or
/// FeedbackAlready.
void append_feedback_note_html(std::string& out, Ui key, std::string_view lang);

/// One paragraph of the survey in the phone script; `item`: a statement the agent reads out from
/// a list (the drivers), indented under its question.
struct FeedbackScriptLine {
  std::string text;
  bool item = false;
};

/// The survey at the end of the phone script, in the agent's voice.
std::vector<FeedbackScriptLine> feedback_script(std::string_view service, std::string_view lang);

/// What a post of the survey says, read and checked: every input limited, every mistake a
/// message in `lang` (by input), and what was chosen kept in `kept` whatever the outcome.
struct FeedbackChoices {
  std::optional<int> q1, q2;
  std::vector<std::string> went_well, went_badly;
  std::string comment;
};
std::optional<FeedbackChoices> read_feedback_post(const std::vector<std::pair<std::string, std::string>>& posted,
                                                  std::string_view lang, FeedbackForm& kept);

}  // namespace askonce::renderers
