// dsl/errors.hpp: what a form designer reads when the grammar fails.
//
// One table: a rule with a message here is a commit point, it raises instead of failing
// (PEGTL's must_if). A message is "CODE|text"; parser.cpp splits it. Codes are documented
// in docs/diagnostics.md and never reused. Words are a form designer's, not rule names.
#pragma once

#include <array>
#include <string_view>

#include "dsl/grammar.hpp"

namespace askonce::dsl::grammar {

template <typename Rule> inline constexpr const char* error_message = nullptr;

// Input and lexical problems.
template <> inline constexpr auto error_message<string_body> =
    "P0201|this text is not closed: add '\"' before the end of the line";
template <> inline constexpr auto error_message<escape_code> =
    "P0202|unknown escape in a text: use \\\", \\\\, \\n, \\t or \\u{...}";
template <> inline constexpr auto error_message<unicode_escape> =
    "P0202|write a Unicode escape as \\u{...} with 1 to 6 hexadecimal digits";

// Names.
template <> inline constexpr auto error_message<form_name> = "P0102|expected the form's name after 'form'";
template <> inline constexpr auto error_message<block_name> = "P0102|expected the block's name after 'block'";
template <> inline constexpr auto error_message<list_name> = "P0102|expected the list's name after 'list'";
template <> inline constexpr auto error_message<section_name> = "P0102|expected the section's name after 'section'";
template <> inline constexpr auto error_message<agency_name> = "P0102|expected the agency's name after 'agency'";
template <> inline constexpr auto error_message<field_name> = "P0102|expected the field's name after its kind";
template <> inline constexpr auto error_message<repeat_name> = "P0102|expected the repeat's name after 'repeat'";
template <> inline constexpr auto error_message<used_block> =
    "P0102|expected the name of a block after 'use' (files are imported with 'use \"file.form\"' at the top of a file)";
template <> inline constexpr auto error_message<alias_name> = "P0102|expected a new name after 'as'";
template <> inline constexpr auto error_message<from_list> = "P0102|expected the name of a list after 'from'";
template <> inline constexpr auto error_message<placed_name> =
    "P0102|expected the name of a field of the imported form, like: place veteranFullName";
template <> inline constexpr auto error_message<placed_more> = "P0102|expected another imported field's name after ','";

// Texts.
template <> inline constexpr auto error_message<label> =
    "P0103|expected the label in quotes, like \"Date of birth\"";
template <> inline constexpr auto error_message<title_text> = "P0103|expected a text in quotes";
template <> inline constexpr auto error_message<hint_text> = "P0103|expected the hint in quotes after 'hint'";
template <> inline constexpr auto error_message<ask_text> =
    "P0103|expected in quotes how an agent asks the question, like ask \"What is your date of birth?\"";
template <> inline constexpr auto error_message<message_text> =
    "P0103|expected the message in quotes that the citizen reads when this rule fails";
template <> inline constexpr auto error_message<option_label> = "P0103|expected the option's label in quotes";

// Structure.
template <> inline constexpr auto error_message<body_open> = "P0104|expected '{' here";
template <> inline constexpr auto error_message<extends_path> =
    "P0107|expected the imported form in quotes, like extends \"imported/va-10-10ez.form\"";
template <> inline constexpr auto error_message<import_path> =
    "P0107|expected the file to import in quotes, like use \"common/person.form\"";
template <> inline constexpr auto error_message<show_if_kw> = "P0108|expected 'if' after 'show'";
template <> inline constexpr auto error_message<version_number> = "P0109|expected a whole number after 'version'";
template <> inline constexpr auto error_message<language_list> =
    "P0109|expected language codes after 'languages', like: languages en es";
template <> inline constexpr auto error_message<signed_bound> = "P0109|expected a number or a date, like 100 or 2000-01-31";
template <> inline constexpr auto error_message<default_value> =
    "P0109|expected a value after 'default': a number, a date, a text in quotes, true or false";
template <> inline constexpr auto error_message<option_value> =
    "P0109|expected the option's value: a name, a whole number or a text in quotes";
template <> inline constexpr auto error_message<pattern_regex> =
    "P0109|expected the regular expression in quotes after 'pattern'";
template <> inline constexpr auto error_message<receive_list> = "P0111|expected the fields this agency receives";
template <> inline constexpr auto error_message<receive_more> = "P0111|expected another field after ','";
template <> inline constexpr auto error_message<receive_as> = "P0111|expected the agency's name for this field after 'as'";

// An agency's service standard and messages.
template <> inline constexpr auto error_message<standard_amount> =
    "P0109|expected the number of days after 'standard', like: standard 30 days \"We decide within 30 days.\"";
template <> inline constexpr auto error_message<standard_unit> =
    "P0109|expected 'days' or 'working days' after the number, like: standard 10 working days \"...\"";
template <> inline constexpr auto error_message<standard_text> =
    "P0103|expected in quotes what the citizen reads of the standard, like \"We decide within 30 days.\"";
template <> inline constexpr auto error_message<message_name> =
    "P0102|expected the message's name after 'message', like: message need_proof_of_address \"...\"";
template <> inline constexpr auto error_message<agency_message_text> =
    "P0103|expected in quotes the message the citizen reads";

template <> inline constexpr auto error_message<xml_value> = "P0109|expected a text in quotes";
template <> inline constexpr auto error_message<needs_open> =
    "P0104|expected '{' after 'needs', then each thing in quotes, like: needs { \"Your Social Security number\" }";
template <> inline constexpr auto error_message<needs_close> =
    "P0104|expected another thing in quotes, or '}' to close the list after 'needs'";
template <> inline constexpr auto error_message<apply_way> =
    "P0109|expected how after 'apply': 'phone', 'in_person' or 'mail'";
template <> inline constexpr auto error_message<xml_prefix> = "P0109|expected the namespace's prefix";
template <> inline constexpr auto error_message<paper_what> =
    "P0109|expected what the paper form says after 'paper': 'mail_to', 'phone', 'hours', 'omb', 'privacy' or 'burden'";
template <> inline constexpr auto error_message<paper_phone_number> =
    "P0109|expected the phone number in quotes after 'phone', like \"1-877-222-8387\"";
template <> inline constexpr auto error_message<omb_number> =
    "P0109|expected the OMB control number in quotes after 'omb', like \"2900-0091\"";
template <> inline constexpr auto error_message<omb_expires> =
    "P0109|expected 'expires' and the date the OMB approval expires, like: omb \"2900-0091\" expires 2027-09-30";
template <> inline constexpr auto error_message<omb_expiry> =
    "P0109|expected the date the OMB approval expires after 'expires', like 2027-09-30";
template <> inline constexpr auto error_message<burden_minutes_word> =
    "P0109|expected 'minutes' after the number, like: paper burden 45 minutes";
template <> inline constexpr auto error_message<burden_value> =
    "P0109|expected how long the form takes after 'burden', like 45 minutes, or the notice in quotes";

template <> inline constexpr auto error_message<plain_grade_word> =
    "P0109|expected 'grade' and the reading grade after 'plain', like: plain grade 8";
template <> inline constexpr auto error_message<plain_grade_number> =
    "P0109|expected the reading grade, a whole number, like: plain grade 8";

// Expressions.
template <> inline constexpr auto error_message<condition> =
    "P0301|expected an expression, like: kind == \"temporary\"";
template <> inline constexpr auto error_message<paren_inner> = "P0301|expected an expression after '('";
template <> inline constexpr auto error_message<call_arg> = "P0301|expected a value after ','";
template <> inline constexpr auto error_message<neg_operand> = "P0301|expected a value after '-'";
template <> inline constexpr auto error_message<mul_operand> = "P0301|expected a value after this operator";
template <> inline constexpr auto error_message<add_operand> = "P0301|expected a value after this operator";
template <> inline constexpr auto error_message<cmp_operand> = "P0301|expected a value to compare with";
template <> inline constexpr auto error_message<not_operand> = "P0301|expected a condition after 'not'";
template <> inline constexpr auto error_message<and_operand> = "P0301|expected a condition after 'and'";
template <> inline constexpr auto error_message<or_operand> = "P0301|expected a condition after 'or'";
template <> inline constexpr auto error_message<list_item> = "P0301|expected a value in the list";
template <> inline constexpr auto error_message<close_paren> = "P0302|expected ')' to close '('";
template <> inline constexpr auto error_message<in_list> =
    "P0303|expected a list in brackets after 'in', like [\"a\", \"b\"]";
template <> inline constexpr auto error_message<list_close> = "P0303|expected ']' to close the list, or ',' before the next value";

struct error {
  template <typename Rule> static constexpr const char* message = error_message<Rule>;
};

/// The control class: rules with a message raise on failure.
template <typename Rule>
using control = tao::pegtl::must_if<error, tao::pegtl::normal, false>::control<Rule>;

/// What each place expects, for "unexpected" errors and their did-you-mean hints.
struct Expectation {
  const char* code;
  const char* expected;        // "'form', 'block', 'list' or 'use'"
  bool stops_at_close_brace;   // '}' ends the body instead of being unexpected
  std::string_view words[25];  // keywords that fit here, for the hint
};

template <typename Context> inline constexpr Expectation expectation{};
template <> inline constexpr Expectation expectation<top_context> = {
    "P0101", "a declaration: 'form', 'block', 'list' or 'use \"file.form\"'", false,
    {"form", "block", "list", "use", "extends"}};
template <> inline constexpr Expectation expectation<form_context> = {
    "P0106", "a setting ('title', 'version', 'languages', 'standard', 'description', 'purpose', 'eligibility', "
    "'needs', 'duration', 'apply', 'paper'), a 'section', an 'agency', or '}'",
    true, {"title", "version", "languages", "standard", "description", "purpose", "eligibility", "needs", "duration",
           "apply", "paper", "section", "agency"}};
template <> inline constexpr Expectation expectation<items_context> = {
    "P0106", "a field (like 'text', 'date' or 'choice'), 'use', 'repeat', or '}'", true,
    {"text", "longtext", "integer", "decimal", "money", "date", "yesno", "choice", "choices", "email",
     "phone", "ssn", "ein", "zip", "url", "address", "name", "attest", "note", "member", "use", "repeat"}};
template <> inline constexpr Expectation expectation<repeat_context> = {
    "P0106", "a field, a property of the repeat ('min', 'max', 'show if', ...), or '}'", true,
    {"text", "longtext", "integer", "decimal", "money", "date", "yesno", "choice", "choices", "email",
     "phone", "ssn", "ein", "zip", "url", "address", "name", "attest", "note", "member", "use", "repeat",
     "required", "show", "min"}};
template <> inline constexpr Expectation expectation<properties_context> = {
    "P0106", "a property ('required', 'show if', 'check', 'pattern', 'min', 'max', 'hint', 'ask', 'default', 'computed', 'sensitive', 'option', 'from', 'unanswered') or '}'",
    true, {"required", "show", "check", "pattern", "min", "max", "hint", "ask", "default", "computed", "sensitive", "option", "from", "unanswered"}};
template <> inline constexpr Expectation expectation<place_context> = {
    "P0106", "what a 'place' adds: 'hint', 'ask', 'option', 'unanswered', 'message', 'sensitive', 'required', 'show if', 'check', 'field', or '}'",
    true, {"hint", "ask", "option", "unanswered", "message", "sensitive", "required", "show", "check", "field"}};
template <> inline constexpr Expectation expectation<agency_context> = {
    "P0106", "'when', 'receives', 'standard', 'message', 'xml' or '}'", true,
    {"when", "receives", "standard", "message", "xml"}};
template <> inline constexpr Expectation expectation<xml_context> = {
    "P0106", "'root', 'namespace', 'attribute', 'yes', 'no' or '}'", true,
    {"root", "namespace", "attribute", "yes", "no"}};
template <> inline constexpr Expectation expectation<list_context> = {
    "P0106", "'option' or '}'", true, {"option"}};

}  // namespace askonce::dsl::grammar
