// engine/messages.hpp: what a citizen reads when an answer is refused, in English and Spanish.
//
// Each message has a stable V code (docs/diagnostics.md, "Submissions (V)"); several messages
// may share a code when they say the same thing about different kinds of value (a number or a
// date below its minimum). Messages of `check` and `pattern` come from the form itself.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/model.hpp"

namespace askonce::engine {

enum class Message : std::uint8_t {
  // the submission as a whole, and its shape (V00xx)
  InvalidJson, TooLarge, TooDeep, TooManyValues, ValueTooLong, TooManyEntriesInput, NotAnObject,
  UnknownField, Duplicate, WrongType, MissingEntry, BadText, BidiText,
  // required (V01xx): Required says "Enter ...", RequiredSelect "Select ..." (choices, yes/no),
  // RequiredAnswer "Answer ..." (a label that is a question, a group)
  Required, RequiredSelect, RequiredAnswer, NotTicked, NoEntries,
  // type checks (V02xx)
  BadDate, BadDateParts, NotInteger, NotNumber, MoneyDecimals, BelowMin, BelowMinDate, AboveMax, AboveMaxDate,
  BadEmail, BadPhone, BadSsn, BadEin, BadZip, BadUrl, BadYesNo, OneLine, IncompleteDate,
  // field rules (V03xx)
  TooShort, TooLong, PatternMismatch, NotAnOption, TooFewTicked, TooFewEntries, TooManyTicked,
  TooManyEntries, CheckFailed,
  // the form's definition, found while planning (V09xx)
  PatternUnusable,
};

/// What a WrongType message says the field needs.
enum class Expected : std::uint8_t {
  Object, List, Text, Number, Boolean, Options, Date,
  // a `member`'s JSON type (docs/dsl.md, "Members without a question")
  Integer, ListOfObjects, ListOfLists, ListOfText, ListOfNumbers, ListOfIntegers, ListOfBooleans,
};

/// The values a message template may name: {label}, {what}, {What}, {min}, {max}, {expected},
/// {missing}, {limit}, {line}, {column}.
struct MessageArgs {
  std::string_view label;
  std::string_view min;
  std::string_view max;
  Expected expected = Expected::Text;
  std::uint64_t limit = 0;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
  /// An incomplete date: the parts left blank (1 month, 2 day, 4 year), for {missing}.
  std::uint8_t missing = 0;
  /// The question as the sentence names it (question_phrase): "the date you moved", "the ZIP
  /// code of your old address"; empty: the label in quotes. {What} is the same with a capital.
  std::string_view what = {};
};

/// What question_phrase needs to name a question in a sentence.
struct QuestionWords {
  std::string_view label = {};    // the field's label, in the message's language
  std::string_view parent_label = {};  // a composite part: the composite's label ("Old address")
  std::string_view part = {};     // a composite part: its name ("zip", "first")
  bool name_part = false;         // a part of a `name`
  bool in_repeat = false;         // an entry of a repeat (about someone else, not "your")
};

/// The question named inside a sentence, in `lang`: a label that is a noun gets an article
/// ("the date you moved"); a composite's part says whose ("the ZIP code of your old address",
/// "your first name", "your spouse's first name"; in a repeat "the ..."); a label that is a
/// question, or numbered like a paper form's items, stays in quotes ("“Is this move
/// permanent?”"). Spanish keeps labels in quotes, with the part's article ("el código postal de
/// “Dirección anterior”").
std::string question_phrase(const QuestionWords& q, std::string_view lang);

/// True when `label` asks by itself: a question ("...?", "¿...?") or an instruction ("Type
/// your full name to sign"). Messages then quote it and say "Answer", not "Enter the ...".
bool is_question_label(std::string_view label);

/// The stable code of a message: "V0101".
std::string_view code(Message m);

/// The message in `lang` ("en" or "es"; any other language gets English).
std::string format_message(Message m, std::string_view lang, const MessageArgs& args);

/// Every V code the engine can report, in order (for the documentation test).
std::span<const std::string_view> all_codes();

/// `text` in `lang`, else in the form's primary language, else any.
std::string_view localized(const model::Text& text, std::string_view lang, const model::Form& form);

}  // namespace askonce::engine
