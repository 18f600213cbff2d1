// engine/value.cpp: exact decimal arithmetic and calendar arithmetic.
#include "engine/value.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

namespace askonce::engine {
namespace {

__extension__ typedef unsigned __int128 uint128;

constexpr std::array<int128, 39> make_pow10() {
  std::array<int128, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr auto pow10 = make_pow10();
constexpr int128 digit_limit = pow10[Decimal::max_digits];  // |coefficient| stays below this

int128 abs128(int128 v) { return v < 0 ? -v : v; }

std::string digits_of(uint128 v) {
  if (v == 0) return "0";
  char buf[48];
  int n = 0;
  while (v > 0) {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  std::string s(static_cast<std::size_t>(n), '0');
  for (int i = 0; i < n; ++i) s[static_cast<std::size_t>(i)] = buf[n - 1 - i];
  return s;
}

/// q = v / 10^k rounded half to even (v may be negative).
int128 div_pow10_half_even(int128 v, int k) {
  if (k <= 0) return v;
  if (k > 38) return 0;
  const int128 d = pow10[static_cast<std::size_t>(k)];
  const bool neg = v < 0;
  uint128 a = static_cast<uint128>(abs128(v));
  uint128 q = a / static_cast<uint128>(d);
  const uint128 r = a % static_cast<uint128>(d);
  const uint128 twice = r * 2;
  if (twice > static_cast<uint128>(d) || (twice == static_cast<uint128>(d) && (q & 1) != 0)) ++q;
  return neg ? -static_cast<int128>(q) : static_cast<int128>(q);
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

}  // namespace

Decimal Decimal::from_int(std::int64_t v) { return Decimal(v, 0); }

std::optional<Decimal> Decimal::make(int128 coef, int scale) {
  while (scale > 0 && coef % 10 == 0) {
    coef /= 10;
    --scale;
  }
  if (scale > max_scale || abs128(coef) >= digit_limit) return std::nullopt;
  return Decimal(coef, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view s, bool allow_exponent) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && s[i] == '-') {
    neg = true;
    ++i;
  }
  const auto is_digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (!is_digit(i)) return std::nullopt;
  // JSON's grammar: "0" or a digit 1-9 followed by digits.
  const std::size_t int_begin = i;
  if (s[i] == '0') {
    ++i;
  } else {
    while (is_digit(i)) ++i;
  }
  const std::size_t int_end = i;
  std::size_t frac_begin = i, frac_end = i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!is_digit(i)) return std::nullopt;
    frac_begin = i;
    while (is_digit(i)) ++i;
    frac_end = i;
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (!allow_exponent) return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (!is_digit(i)) return std::nullopt;
    while (is_digit(i)) {
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > 100000) return std::nullopt;
      ++i;
    }
    if (eneg) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;

  // Significant digits: the integer and fraction digits without leading zeros.
  std::string digits;
  digits.reserve((int_end - int_begin) + (frac_end - frac_begin));
  digits.append(s.substr(int_begin, int_end - int_begin));
  digits.append(s.substr(frac_begin, frac_end - frac_begin));
  long scale = static_cast<long>(frac_end - frac_begin) - exponent;
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();
  digits.erase(0, first);
  while (scale > 0 && digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    --scale;
  }
  if (scale < 0) {
    if (static_cast<long>(digits.size()) - scale > max_digits) return std::nullopt;
    digits.append(static_cast<std::size_t>(-scale), '0');
    scale = 0;
  }
  if (digits.size() > static_cast<std::size_t>(max_digits) || scale > max_scale) return std::nullopt;
  int128 coef = 0;
  for (char c : digits) coef = coef * 10 + (c - '0');
  return make(neg ? -coef : coef, static_cast<int>(scale));
}

std::string Decimal::to_string() const {
  if (coef_ == 0) return "0";
  std::string d = digits_of(static_cast<uint128>(abs128(coef_)));
  if (scale_ > 0) {
    if (d.size() <= static_cast<std::size_t>(scale_)) d.insert(0, static_cast<std::size_t>(scale_) - d.size() + 1, '0');
    d.insert(d.size() - static_cast<std::size_t>(scale_), 1, '.');
  }
  return coef_ < 0 ? "-" + d : d;
}

std::string Decimal::to_fixed(int decimals) const {
  const Decimal r = rounded(decimals);
  std::string s = r.to_string();
  if (decimals <= 0) return s;
  const auto dot = s.find('.');
  const int have = dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  if (dot == std::string::npos) s += '.';
  s.append(static_cast<std::size_t>(decimals - have), '0');
  return s;
}

int Decimal::decimals() const { return scale_; }

Decimal Decimal::rounded(int decimals) const {
  if (decimals < 0) decimals = 0;
  if (scale_ <= decimals) return *this;
  auto r = make(div_pow10_half_even(coef_, scale_ - decimals), decimals);
  return r ? *r : Decimal();
}

namespace {

/// Brings a and b to the same scale; false on overflow.
bool align(int128& a, int sa, int128& b, int sb, int& scale) {
  scale = std::max(sa, sb);
  if (sa < scale && __builtin_mul_overflow(a, pow10[static_cast<std::size_t>(scale - sa)], &a)) return false;
  if (sb < scale && __builtin_mul_overflow(b, pow10[static_cast<std::size_t>(scale - sb)], &b)) return false;
  return true;
}

}  // namespace

std::optional<Decimal> add(const Decimal& x, const Decimal& y) {
  int128 a = x.coef_, b = y.coef_, r;
  int scale;
  if (!align(a, x.scale_, b, y.scale_, scale) || __builtin_add_overflow(a, b, &r)) return std::nullopt;
  return Decimal::make(r, scale);
}

std::optional<Decimal> sub(const Decimal& x, const Decimal& y) { return add(x, neg(y)); }

Decimal neg(const Decimal& a) { return Decimal(-a.coef_, a.scale_); }

std::optional<std::uint64_t> count_bound(const model::Literal& l) {
  const auto* n = std::get_if<model::Number>(&l);
  if (!n) return std::nullopt;
  auto d = Decimal::parse(n->digits);
  if (!d || d->negative()) return std::nullopt;
  const std::string s = d->rounded(0).to_string();
  if (s.size() > 18) return std::numeric_limits<std::uint64_t>::max();
  return std::stoull(s);
}

std::optional<Decimal> mul(const Decimal& x, const Decimal& y) {
  int128 r;
  if (__builtin_mul_overflow(x.coef_, y.coef_, &r)) return std::nullopt;
  int scale = x.scale_ + y.scale_;
  if (scale > Decimal::max_scale) {
    r = div_pow10_half_even(r, scale - Decimal::max_scale);
    scale = Decimal::max_scale;
  }
  return Decimal::make(r, scale);
}

std::optional<Decimal> div(const Decimal& x, const Decimal& y) {
  if (y.coef_ == 0) return std::nullopt;
  Decimal a = x;
  int e = Decimal::division_scale + y.scale_ - a.scale_;
  if (e < 0) {
    a = a.rounded(y.scale_ + Decimal::division_scale);
    e = Decimal::division_scale + y.scale_ - a.scale_;
  }
  const bool negative = (a.coef_ < 0) != (y.coef_ < 0);
  const uint128 num = static_cast<uint128>(abs128(a.coef_));
  const uint128 den = static_cast<uint128>(abs128(y.coef_));
  uint128 q = num / den, r = num % den;
  const uint128 limit = static_cast<uint128>(pow10[38]);
  for (int i = 0; i < e; ++i) {
    r *= 10;
    q = q * 10 + r / den;
    r %= den;
    if (q >= limit / 10 && i + 1 < e) return std::nullopt;
  }
  if (r * 2 > den || (r * 2 == den && (q & 1) != 0)) ++q;
  if (q >= static_cast<uint128>(pow10[38])) return std::nullopt;
  int128 signed_q = static_cast<int128>(q);
  int scale = Decimal::division_scale;
  // Trim what exceeds the digit budget (only possible for huge quotients).
  while (abs128(signed_q) >= digit_limit && scale > 0) {
    signed_q = div_pow10_half_even(signed_q, 1);
    --scale;
  }
  return Decimal::make(negative ? -signed_q : signed_q, scale);
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return a.coef_ <=> b.coef_;
  const int128 ia = a.coef_ / pow10[static_cast<std::size_t>(a.scale_)];
  const int128 ib = b.coef_ / pow10[static_cast<std::size_t>(b.scale_)];
  if (ia != ib) return ia <=> ib;
  const int s = std::max(a.scale_, b.scale_);
  const int128 fa = (a.coef_ % pow10[static_cast<std::size_t>(a.scale_)]) * pow10[static_cast<std::size_t>(s - a.scale_)];
  const int128 fb = (b.coef_ % pow10[static_cast<std::size_t>(b.scale_)]) * pow10[static_cast<std::size_t>(s - b.scale_)];
  return fa <=> fb;
}

bool is_real_date(int year, unsigned month, unsigned day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::optional<model::Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = 0; i < lens[k]; ++i) {
      const char c = s[starts[k] + i];
      if (c < '0' || c > '9') return std::nullopt;
      v[k] = v[k] * 10 + (c - '0');
    }
  }
  if (!is_real_date(v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2]))) return std::nullopt;
  return model::Date{v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2])};
}

std::string to_iso(const model::Date& d) {
  char buf[16];
  const int y = std::clamp(d.year, 0, 9999);
  buf[0] = static_cast<char>('0' + y / 1000);
  buf[1] = static_cast<char>('0' + y / 100 % 10);
  buf[2] = static_cast<char>('0' + y / 10 % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + d.month / 10 % 10);
  buf[6] = static_cast<char>('0' + d.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + d.day / 10 % 10);
  buf[9] = static_cast<char>('0' + d.day % 10);
  return std::string(buf, 10);
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(const model::Date& d) {
  const std::int64_t y = static_cast<std::int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t m = d.month;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

model::Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return model::Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

std::optional<model::Date> add(const model::Date& d, const model::Duration& duration, int sign) {
  constexpr std::int64_t bound = 10'000'000;  // far beyond any calendar span we accept
  if (duration.amount > bound || duration.amount < -bound) return std::nullopt;
  const std::int64_t n = duration.amount * sign;
  model::Date r;
  switch (duration.unit) {
    case model::DurationUnit::Days:
    case model::DurationUnit::Weeks:
      r = civil_from_days(days_from_civil(d) + n * (duration.unit == model::DurationUnit::Weeks ? 7 : 1));
      break;
    case model::DurationUnit::Months:
    case model::DurationUnit::Years: {
      const std::int64_t months = n * (duration.unit == model::DurationUnit::Years ? 12 : 1);
      const std::int64_t total = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) + months;
      const std::int64_t y = total >= 0 ? total / 12 : (total - 11) / 12;
      if (y < 1 || y > 9999) return std::nullopt;
      r.year = static_cast<int>(y);
      r.month = static_cast<unsigned>(total - y * 12 + 1);
      r.day = std::min(d.day, days_in_month(r.year, r.month));
      break;
    }
  }
  if (r.year < 1 || r.year > 9999) return std::nullopt;
  return r;
}

std::int64_t whole_years(const model::Date& from, const model::Date& to) {
  std::int64_t years = static_cast<std::int64_t>(to.year) - from.year;
  if (to.month < from.month || (to.month == from.month && to.day < from.day)) --years;
  return years;
}

std::strong_ordering compare(const model::Date& a, const model::Date& b) {
  if (a.year != b.year) return a.year <=> b.year;
  if (a.month != b.month) return a.month <=> b.month;
  return a.day <=> b.day;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace askonce::engine
