// engine/value.hpp: the values of a submission: exact decimals, calendar dates, durations.
//
// No binary floating point anywhere: a number is an integer coefficient and a decimal scale,
// so "0.1 + 0.2" is exactly "0.3" and "999999999999.99" stays what the citizen typed.
// Dates are proleptic Gregorian calendar dates; only real ones can be built from text.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"

namespace askonce::engine {

__extension__ typedef __int128 int128;

/// An exact decimal number: coefficient × 10^-scale, with at most `max_digits` significant
/// digits and `max_scale` decimals. Operations that would leave that range give nothing
/// (blank in expressions) rather than a wrong answer.
class Decimal {
 public:
  static constexpr int max_digits = 36;
  static constexpr int max_scale = 30;

  Decimal() = default;
  static Decimal from_int(std::int64_t v);

  /// Parses `-?digits(.digits)?`; with `allow_exponent`, also JSON's `e±N`. Leading zeros and
  /// a leading `+` are not accepted (JSON's grammar). Nothing when not a number or out of range.
  static std::optional<Decimal> parse(std::string_view text, bool allow_exponent = false);

  /// The canonical text: no exponent, no leading zeros, no trailing decimal zeros, never "-0".
  std::string to_string() const;
  /// Exactly `decimals` decimals, rounded half to even ("12.5" -> "12.50" for money).
  std::string to_fixed(int decimals) const;

  /// Decimals that matter: 1.50 has 1, 2.000 has 0.
  int decimals() const;
  bool is_integer() const { return decimals() == 0; }
  bool is_zero() const { return coef_ == 0; }
  bool negative() const { return coef_ < 0; }
  /// Rounded to `decimals` decimals, half to even.
  Decimal rounded(int decimals) const;

  friend std::optional<Decimal> add(const Decimal& a, const Decimal& b);
  friend std::optional<Decimal> sub(const Decimal& a, const Decimal& b);
  friend std::optional<Decimal> mul(const Decimal& a, const Decimal& b);
  /// a / b to `division_scale` decimals, half to even; nothing when b is 0.
  friend std::optional<Decimal> div(const Decimal& a, const Decimal& b);
  friend Decimal neg(const Decimal& a);

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

  static constexpr int division_scale = 20;

 private:
  Decimal(int128 coef, int scale) : coef_(coef), scale_(scale) {}
  static std::optional<Decimal> make(int128 coef, int scale);  // normalizes, checks range
  int128 coef_ = 0;
  int scale_ = 0;
};

std::optional<Decimal> add(const Decimal& a, const Decimal& b);
std::optional<Decimal> sub(const Decimal& a, const Decimal& b);
std::optional<Decimal> mul(const Decimal& a, const Decimal& b);
std::optional<Decimal> div(const Decimal& a, const Decimal& b);
Decimal neg(const Decimal& a);

/// A count bound (`min`/`max` of a length, of a repeat's entries, of ticked options) as the
/// engine enforces it: a Number that is 0 or more, rounded to a whole number; counts past 18
/// digits saturate. Nothing for anything else. The one reading of a count, for the plan, the
/// contracts, and the web form's Add and Remove.
std::optional<std::uint64_t> count_bound(const model::Literal& l);

/// True when year-month-day names a real day (2024-02-29 yes, 2023-02-29 no); years 1..9999.
bool is_real_date(int year, unsigned month, unsigned day);
/// Strictly "YYYY-MM-DD" and a real date.
std::optional<model::Date> parse_date(std::string_view text);
/// "YYYY-MM-DD".
std::string to_iso(const model::Date& d);
/// Days since 1970-01-01 (negative before).
std::int64_t days_from_civil(const model::Date& d);
model::Date civil_from_days(std::int64_t days);
/// `d` moved by `sign` × `duration`. Months and years keep the day of the month, clamped to the
/// month's last day (2024-01-31 + 1 month = 2024-02-29). Nothing outside years 1..9999.
std::optional<model::Date> add(const model::Date& d, const model::Duration& duration, int sign = 1);
/// Whole years from `from` to `to` (an age); negative when `to` is before `from`.
std::int64_t whole_years(const model::Date& from, const model::Date& to);
std::strong_ordering compare(const model::Date& a, const model::Date& b);

/// What kind of value an answer holds.
enum class ValueType : std::uint8_t {
  Blank,   // no answer (or not shown)
  Bool,    // yesno, attest
  Number,  // integer, decimal, money
  Text,    // text-like kinds and choice (the option's value)
  Date,
  Set,     // choices: the ticked options' values, in option order
  Json,    // a `member`: its value as canonical JSON (text)
};

/// One answer, canonical: text trimmed and NFC, phones E.164, SSN/EIN/ZIP digits only, etc.
struct Value {
  ValueType type = ValueType::Blank;
  bool boolean = false;
  Decimal number;
  model::Date date;
  std::string text;
  std::vector<std::string> items;

  bool blank() const { return type == ValueType::Blank; }
};

/// Length of UTF-8 text in Unicode code points (bytes that do not start a code point are not
/// counted).
std::size_t code_points(std::string_view utf8);

}  // namespace askonce::engine
