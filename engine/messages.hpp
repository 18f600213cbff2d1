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
  UnknownField, Duplicate, WrongType, MissingEntry, BadText,
  // required (V01xx)
  Required, NotTicked, NoEntries,
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
enum class Expected : std::uint8_t { Object, List, Text, Number, Boolean, Options, Date };

/// The values a message template may name: {label}, {min}, {max}, {expected}, {limit},
/// {line}, {column}.
struct MessageArgs {
  std::string_view label;
  std::string_view min;
  std::string_view max;
  Expected expected = Expected::Text;
  std::uint64_t limit = 0;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
};

/// The stable code of a message: "V0101".
std::string_view code(Message m);

/// The message in `lang` ("en" or "es"; any other language gets English).
std::string format_message(Message m, std::string_view lang, const MessageArgs& args);

/// Every V code the engine can report, in order (for the documentation test).
std::span<const std::string_view> all_codes();

/// `text` in `lang`, else in the form's primary language, else any.
std::string_view localized(const model::Text& text, std::string_view lang, const model::Form& form);

}  // namespace askonce::engine
