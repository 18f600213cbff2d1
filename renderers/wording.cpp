// renderers/wording.cpp: a form in words, once, for every channel (see wording.hpp).
//
// Sentences are built from the phrase table below (English and Spanish; any other language
// speaks English for these fixed words, with the form's own texts in its language). Every
// phrase takes its parts as %1, %2 (strings.hpp: substitute), so a label cannot inject a
// placeholder.
#include "renderers/wording.hpp"

#include "engine/model_json.hpp"

#include <algorithm>
#include <cstdlib>
#include <array>
#include <optional>

#include "engine/composites.hpp"
#include "engine/evaluate.hpp"
#include "engine/plan.hpp"
#include "engine/time_zone.hpp"
#include "renderers/render.hpp"

namespace askonce::renderers {

using model::Expr;
using model::FieldId;
using model::Kind;
using model::Op;

namespace {

// ---- Phrases ------------------------------------------------------------------------------

struct Phrases {
  std::string_view question_ref;     // question %1
  std::string_view question_plain;   // question %1 (inside an expression)
  std::string_view part_ref;         // %2 in question %1
  std::string_view quoted;           // “%1”
  std::string_view and_, or_, not_;  // " and ", " or ", "not "
  std::string_view either;           // either %1
  std::string_view list_sep;         // ", "
  std::string_view cit_answered;     // you answered %2 to %1
  std::string_view cit_not_answered; // you did not answer %2 to %1
  std::string_view agent_is;         // the answer to %1 is %2
  std::string_view agent_is_not;     // the answer to %1 is not %2
  std::string_view cit_ticked;       // you ticked %2 in %1
  std::string_view cit_not_ticked;
  std::string_view agent_ticked;     // %2 is ticked in %1
  std::string_view agent_not_ticked;
  std::string_view cit_gave;         // you answered %1
  std::string_view cit_blank;        // you did not answer %1
  std::string_view agent_gave;       // %1 is answered
  std::string_view agent_blank;      // %1 is not answered
  std::string_view cit_subject;      // your answer to %1
  std::string_view agent_subject;    // the answer to %1
  std::string_view age_of;           // the age from the date in %1
  std::string_view count_of;         // the number of entries in %1
  std::string_view count_ticked;     // the number of options ticked in %1
  std::string_view sum_of;           // the total of %1
  std::string_view length_of;        // the length of %1
  std::string_view not_case;         // it is not the case that %1
  // How many of a list of conditions hold (`count(c1, ..., cn)` compared with a number): %1
  // the conditions, each in words, joined by count_sep; %2 and %3 numbers.
  std::string_view count_none;          // none of these is true: %1
  std::string_view count_one;           // exactly one of these is true: %1
  std::string_view count_exactly;       // exactly %2 of these are true: %1
  std::string_view count_all;           // all of these are true: %1
  std::string_view count_any;           // at least one of these is true: %1
  std::string_view count_many;          // more than one of these is true: %1
  std::string_view count_at_least;      // at least %2 of these are true: %1
  std::string_view count_at_most;       // at most %2 of these are true: %1
  std::string_view count_at_most_one;   // at most one of these is true: %1
  std::string_view count_not_all;       // not all of these are true: %1
  std::string_view count_range;         // from %2 to %3 of these are true: %1
  std::string_view count_none_or_many;  // none, or more than one, of these is true: %1
  std::string_view count_not;           // the number of these that are true is not %2: %1
  std::string_view count_one_unless;    // exactly one of these is true: %1 (after "unless")
  std::string_view count_this_unless;   // %1: the one condition (after "unless")
  std::string_view count_sep;           // "; "
  // An answer against a rule of its field (`matches` and a `pattern`'s regular expression, a
  // long `in` list and a `check`'s): %1 the subject, %2 the rule's message, quoted.
  std::string_view rule_kept;           // %1 follows the rule %2
  std::string_view rule_broken;         // %1 does not follow the rule %2
  // comparisons: %1 subject, %2 object
  std::array<std::string_view, 6> compare;       // Eq, Ne, Lt, Le, Gt, Ge (numbers, text)
  std::array<std::string_view, 6> compare_date;  // Eq, Ne, Lt, Le, Gt, Ge (dates)
  // checks: "Must ..." with %1 the object
  std::array<std::string_view, 6> must;
  std::array<std::string_view, 6> must_date;
  std::string_view must_same, must_differ;  // with a field of the same kind (text, choice)
  // objects of checks and comparisons
  std::string_view the_date_in;       // the date in %1
  std::string_view the_answer_to;     // the answer to %1
  std::string_view today;             // today
  std::string_view from_today;        // %1 from today
  std::string_view before_today;      // %1 before today
  std::string_view after_date_in;     // %1 after the date in %2
  std::string_view before_date_in;    // %1 before the date in %2
  // sentences
  std::string_view answer_only_if, fill_only_if, applies_only_if, ask_only_if;
  std::string_view required_if;       // Required if %1.
  std::string_view required_unless;   // Required unless %1.
  std::string_view required_if_unless;  // Required if %1, unless %2.
  std::string_view skip;              // If %1, go to %2.
  // bounds
  std::string_view chars_max, chars_min, chars_range, char_one;
  std::string_view value_max, value_min, value_range;
  std::string_view date_max, date_min, date_range;
  std::string_view choose_max, choose_min, choose_range;
  std::string_view entries_max, entries_min, entries_range, entry_one_min;
  std::array<std::string_view, 12> months;
  std::array<std::string_view, 4> units_one, units_many;  // day, week, month, year
  std::string_view date_words;  // "%1 %2, %3" (month, day, year) / "%2 de %1 de %3"
  std::array<std::string_view, static_cast<std::size_t>(Kind::Member) + 1> kinds;
};

constexpr Phrases english{
    .question_ref = "question %1",
    .question_plain = "question %1",
    .part_ref = "%2 in question %1",
    .quoted = "“%1”",
    .and_ = " and ",
    .or_ = " or ",
    .not_ = "not ",
    .either = "either %1",
    .list_sep = ", ",
    .cit_answered = "you answered %2 to %1",
    .cit_not_answered = "you did not answer %2 to %1",
    .agent_is = "the answer to %1 is %2",
    .agent_is_not = "the answer to %1 is not %2",
    .cit_ticked = "you selected %2 in %1",
    .cit_not_ticked = "you did not select %2 in %1",
    .agent_ticked = "%2 is selected in %1",
    .agent_not_ticked = "%2 is not selected in %1",
    .cit_gave = "you answered %1",
    .cit_blank = "you did not answer %1",
    .agent_gave = "%1 is answered",
    .agent_blank = "%1 is not answered",
    .cit_subject = "your answer to %1",
    .agent_subject = "the answer to %1",
    .age_of = "the age from the date in %1",
    .count_of = "the number of entries in %1",
    .count_ticked = "the number of options selected in %1",
    .sum_of = "the total of %1",
    .length_of = "the length of %1",
    .not_case = "it is not the case that %1",
    .count_none = "none of these is true: %1",
    .count_one = "exactly one of these is true: %1",
    .count_exactly = "exactly %2 of these are true: %1",
    .count_all = "all of these are true: %1",
    .count_any = "at least one of these is true: %1",
    .count_many = "more than one of these is true: %1",
    .count_at_least = "at least %2 of these are true: %1",
    .count_at_most = "at most %2 of these are true: %1",
    .count_at_most_one = "at most one of these is true: %1",
    .count_not_all = "not all of these are true: %1",
    .count_range = "from %2 to %3 of these are true: %1",
    .count_none_or_many = "none, or more than one, of these is true: %1",
    .count_not = "the number of these that are true is not %2: %1",
    .count_one_unless = "exactly one of these is true: %1",
    .count_this_unless = "%1",
    .count_sep = "; ",
    .rule_kept = "%1 follows the rule %2",
    .rule_broken = "%1 does not follow the rule %2",
    .compare = {"%1 is %2", "%1 is not %2", "%1 is less than %2", "%1 is at most %2", "%1 is more than %2",
                "%1 is at least %2"},
    .compare_date = {"%1 is %2", "%1 is not %2", "%1 is before %2", "%1 is no later than %2", "%1 is after %2",
                     "%1 is no earlier than %2"},
    .must = {"Must be %1.", "Must not be %1.", "Must be less than %1.", "Must be at most %1.",
             "Must be more than %1.", "Must be at least %1."},
    .must_date = {"Must be %1.", "Must not be %1.", "Must be before %1.", "Must be no later than %1.",
                  "Must be after %1.", "Must be no earlier than %1."},
    .must_same = "Must be the same as %1.",
    .must_differ = "Must be different from %1.",
    .the_date_in = "the date in %1",
    .the_answer_to = "the answer to %1",
    .today = "today",
    .from_today = "%1 from today",
    .before_today = "%1 before today",
    .after_date_in = "%1 after the date in %2",
    .before_date_in = "%1 before the date in %2",
    .answer_only_if = "Answer only if %1.",
    .fill_only_if = "Fill in only if %1.",
    .applies_only_if = "This applies only if %1.",
    .ask_only_if = "Ask only if %1.",
    .required_if = "Required if %1.",
    .required_unless = "Required unless %1.",
    .required_if_unless = "Required if %1, unless %2.",
    .skip = "If %1, go to %2.",
    .chars_max = "At most %1 characters.",
    .chars_min = "At least %1 characters.",
    .chars_range = "From %1 to %2 characters.",
    .char_one = "At least 1 character.",
    .value_max = "At most %1.",
    .value_min = "At least %1.",
    .value_range = "From %1 to %2.",
    .date_max = "No later than %1.",
    .date_min = "No earlier than %1.",
    .date_range = "From %1 to %2.",
    .choose_max = "Choose at most %1.",
    .choose_min = "Choose at least %1.",
    .choose_range = "Choose from %1 to %2.",
    .entries_max = "Up to %1 entries.",
    .entries_min = "At least %1 entries.",
    .entries_range = "From %1 to %2 entries.",
    .entry_one_min = "At least 1 entry.",
    .months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"},
    .units_one = {"day", "week", "month", "year"},
    .units_many = {"days", "weeks", "months", "years"},
    .date_words = "%1 %2, %3",
    .kinds = {"text, on one line", "text, one or more lines", "a whole number", "a number",
              "an amount in dollars and cents", "a date: month, day and year", "yes or no", "one of the options",
              "any of the options", "an email address", "a phone number, with the area code",
              "a 9-digit Social Security number", "a 9-digit Employer Identification Number",
              "a ZIP code: 5 or 9 digits", "a web address", "an address: street, city, state and ZIP code",
              "a name: first name, middle name, last name and suffix", "a statement to agree to", "", "",
              "a list: one entry for each", ""},
};

constexpr Phrases spanish{
    .question_ref = "la pregunta %1",
    .question_plain = "pregunta %1",
    .part_ref = "%2 en la pregunta %1",
    .quoted = "“%1”",
    .and_ = " y ",
    .or_ = " o ",
    .not_ = "no ",
    .either = "ya sea %1",
    .list_sep = ", ",
    .cit_answered = "respondió %2 a %1",
    .cit_not_answered = "no respondió %2 a %1",
    .agent_is = "la respuesta a %1 es %2",
    .agent_is_not = "la respuesta a %1 no es %2",
    .cit_ticked = "marcó %2 en %1",
    .cit_not_ticked = "no marcó %2 en %1",
    .agent_ticked = "%2 está marcada en %1",
    .agent_not_ticked = "%2 no está marcada en %1",
    .cit_gave = "respondió %1",
    .cit_blank = "no respondió %1",
    .agent_gave = "%1 tiene respuesta",
    .agent_blank = "%1 no tiene respuesta",
    .cit_subject = "su respuesta a %1",
    .agent_subject = "la respuesta a %1",
    .age_of = "la edad según la fecha de %1",
    .count_of = "el número de entradas en %1",
    .count_ticked = "el número de opciones marcadas en %1",
    .sum_of = "el total de %1",
    .length_of = "la longitud de %1",
    .not_case = "no se cumple que %1",
    .count_none = "no se cumple ninguna de estas condiciones: %1",
    .count_one = "se cumple exactamente una de estas condiciones: %1",
    .count_exactly = "se cumplen exactamente %2 de estas condiciones: %1",
    .count_all = "se cumplen todas estas condiciones: %1",
    .count_any = "se cumple al menos una de estas condiciones: %1",
    .count_many = "se cumple más de una de estas condiciones: %1",
    .count_at_least = "se cumplen al menos %2 de estas condiciones: %1",
    .count_at_most = "se cumplen como máximo %2 de estas condiciones: %1",
    .count_at_most_one = "se cumple como máximo una de estas condiciones: %1",
    .count_not_all = "no se cumplen todas estas condiciones: %1",
    .count_range = "se cumplen de %2 a %3 de estas condiciones: %1",
    .count_none_or_many = "no se cumple ninguna de estas condiciones, o se cumple más de una: %1",
    .count_not = "el número de estas condiciones que se cumplen no es %2: %1",
    .count_one_unless = "se cumpla exactamente una de estas condiciones: %1",
    .count_this_unless = "se cumpla esta condición: %1",
    .count_sep = "; ",
    .rule_kept = "%1 cumple la regla %2",
    .rule_broken = "%1 no cumple la regla %2",
    .compare = {"%1 es %2", "%1 no es %2", "%1 es menor que %2", "%1 es como máximo %2", "%1 es mayor que %2",
                "%1 es al menos %2"},
    .compare_date = {"%1 es %2", "%1 no es %2", "%1 es anterior a %2", "%1 no es posterior a %2",
                     "%1 es posterior a %2", "%1 no es anterior a %2"},
    .must = {"Debe ser %1.", "No debe ser %1.", "Debe ser menor que %1.", "Debe ser como máximo %1.",
             "Debe ser mayor que %1.", "Debe ser al menos %1."},
    .must_date = {"Debe ser %1.", "No debe ser %1.", "Debe ser anterior a %1.", "No debe ser posterior a %1.",
                  "Debe ser posterior a %1.", "No debe ser anterior a %1."},
    .must_same = "Debe ser igual a %1.",
    .must_differ = "Debe ser distinta de %1.",
    .the_date_in = "la fecha de %1",
    .the_answer_to = "la respuesta a %1",
    .today = "hoy",
    .from_today = "%1 a partir de hoy",
    .before_today = "%1 antes de hoy",
    .after_date_in = "%1 después de la fecha de %2",
    .before_date_in = "%1 antes de la fecha de %2",
    .answer_only_if = "Responda solo si %1.",
    .fill_only_if = "Llene solo si %1.",
    .applies_only_if = "Esto se aplica solo si %1.",
    .ask_only_if = "Pregunte solo si %1.",
    .required_if = "Obligatoria si %1.",
    .required_unless = "Obligatoria salvo que %1.",
    .required_if_unless = "Obligatoria si %1, salvo que %2.",
    .skip = "Si %1, pase a %2.",
    .chars_max = "Como máximo %1 caracteres.",
    .chars_min = "Al menos %1 caracteres.",
    .chars_range = "De %1 a %2 caracteres.",
    .char_one = "Al menos 1 carácter.",
    .value_max = "Como máximo %1.",
    .value_min = "Al menos %1.",
    .value_range = "De %1 a %2.",
    .date_max = "No posterior al %1.",
    .date_min = "No anterior al %1.",
    .date_range = "Del %1 al %2.",
    .choose_max = "Elija como máximo %1.",
    .choose_min = "Elija al menos %1.",
    .choose_range = "Elija de %1 a %2.",
    .entries_max = "Hasta %1 entradas.",
    .entries_min = "Al menos %1 entradas.",
    .entries_range = "De %1 a %2 entradas.",
    .entry_one_min = "Al menos 1 entrada.",
    .months = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
               "noviembre", "diciembre"},
    .units_one = {"día", "semana", "mes", "año"},
    .units_many = {"días", "semanas", "meses", "años"},
    .date_words = "%2 de %1 de %3",
    .kinds = {"texto, en una línea", "texto, en una o más líneas", "un número entero", "un número",
              "una cantidad en dólares y centavos", "una fecha: mes, día y año", "sí o no", "una de las opciones",
              "cualquiera de las opciones", "una dirección de correo electrónico",
              "un número de teléfono, con el código de área", "un número de Seguro Social de 9 dígitos",
              "un Número de Identificación del Empleador de 9 dígitos",
              "un código postal (ZIP): 5 o 9 dígitos", "una dirección web",
              "una dirección: calle, ciudad, estado y código postal",
              "un nombre: nombre, segundo nombre, apellido y sufijo", "una declaración que usted acepta", "", "",
              "una lista: una entrada por cada uno", ""},
};

const Phrases& phrases(std::string_view lang) { return lang == "es" ? spanish : english; }

std::string sub(std::string_view pattern, std::initializer_list<std::string_view> args) {
  return substitute(pattern, args);
}

std::size_t compare_index(Op op) {
  switch (op) {
    case Op::Eq: return 0;
    case Op::Ne: return 1;
    case Op::Lt: return 2;
    case Op::Le: return 3;
    case Op::Gt: return 4;
    case Op::Ge: return 5;
    default: return 0;
  }
}

bool is_comparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
}

/// `a OP b` said as `b OP' a`.
Op flipped(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

/// not (a OP b) as a OP' b.
Op negated(Op op) {
  switch (op) {
    case Op::Eq: return Op::Ne;
    case Op::Ne: return Op::Eq;
    case Op::Lt: return Op::Ge;
    case Op::Le: return Op::Gt;
    case Op::Gt: return Op::Le;
    case Op::Ge: return Op::Lt;
    default: return op;
  }
}

bool text_like(Kind k) {
  switch (k) {
    case Kind::Text: case Kind::LongText: case Kind::Email: case Kind::Phone: case Kind::Ssn:
    case Kind::Ein: case Kind::Zip: case Kind::Url:
      return true;
    default:
      return false;
  }
}

/// "A".."Z", "AA".."AZ", "BA", ...: spreadsheet column letters, 0-based.
std::string letter(std::size_t i) {
  std::string s;
  ++i;
  while (i > 0) {
    --i;
    s.insert(s.begin(), static_cast<char>('A' + i % 26));
    i /= 26;
  }
  return s;
}

/// "1234567.5" -> "1,234,567.5"; a sign is kept.
std::string group_digits(std::string_view digits) {
  std::string sign;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    if (digits[0] == '-') sign = "-";
    digits.remove_prefix(1);
  }
  const auto dot = digits.find('.');
  std::string_view whole = digits.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string_view::npos) out.append(digits.substr(dot));
  return sign + out;
}

/// Choices with more than this many options are looked up, not read out (a list of states);
/// an `in` list this long is not read out in a condition either.
constexpr std::size_t most_read_out = 12;

/// The same expression: the same operators, fields, functions and literals, wherever written.
bool same_expr(const Expr& a, const Expr& b) {
  if (a.op != b.op || a.args.size() != b.args.size()) return false;
  if (a.op == Op::Literal && !(a.value == b.value)) return false;
  if (a.op == Op::Field && a.field != b.field) return false;
  if (a.op == Op::Call && a.function != b.function) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (!same_expr(a.args[i], b.args[i])) return false;
  }
  return true;
}

/// `count(c1, ..., cn)` of conditions, not `count(r)` of a repeat's entries or a `choices`
/// field's ticks (dsl/semantic.cpp tells them apart the same way).
bool counts_conditions(const Expr& e) {
  return e.op == Op::Call && e.function == model::Function::Count && !e.args.empty() &&
         !(e.args.size() == 1 && e.args[0].op == Op::Field);
}

/// The first and last true of `holds` when the trues are one run; nothing otherwise.
std::optional<std::pair<std::size_t, std::size_t>> one_run(const std::vector<bool>& holds) {
  std::size_t lo = 0;
  while (lo < holds.size() && !holds[lo]) ++lo;
  if (lo == holds.size()) return std::nullopt;
  std::size_t hi = lo;
  while (hi + 1 < holds.size() && holds[hi + 1]) ++hi;
  for (std::size_t k = hi + 1; k < holds.size(); ++k) {
    if (holds[k]) return std::nullopt;
  }
  return std::pair{lo, hi};
}

const Expr* strip_not(const Expr& e, bool& negate) {
  const Expr* p = &e;
  while (p->op == Op::Not && p->args.size() == 1) {
    negate = !negate;
    p = &p->args[0];
  }
  return p;
}

}  // namespace

// ---- Building --------------------------------------------------------------------------------

/// Sentences that need the whole Wording; kept out of the header.
class WordingBuilder {
 public:
  WordingBuilder(Wording& w) : w_(w), p_(phrases(w.language_)) {}

  void build();

  /// A condition's words, or nothing when it can be said only as an expression.
  std::optional<std::string> say(const Expr& e, Voice voice, bool negate) const {
    return say_at(e, voice, negate, Place::End);
  }
  std::string ref(FieldId f) const;  // "question 7", "“State” in question 11", "“Label”"
  std::string plain(const Expr& e, int parent_precedence) const;

 private:
  friend class Wording;
  bool numbered(FieldId f) const { return f < w_.form_->fields.size() && w_.form_->fields[f].question != 0; }
  /// What a condition says about an answer, in the three voices.
  enum class Said : std::uint8_t { Answered, NotAnswered, Ticked, NotTicked, Gave, Blank, Subject };
  /// The phrase for `what` about field `f` (%1 the field, %2 the answer): the citizen's and the
  /// caller's words for numbered questions; anything else, and the agent's voice, as staff
  /// name it ("the answer to question 7 is ...").
  std::string_view said(Said what, Voice voice, FieldId f) const;
  std::string quoted(std::string_view s) const { return sub(p_.quoted, {s}); }
  std::string option_label(FieldId f, std::string_view value) const;
  std::optional<std::string> object(const Expr& e, Kind subject_kind) const;
  std::optional<std::string> subject(const Expr& e, Voice voice) const;
  std::optional<std::string> say_comparison(const Expr& e, Voice voice, bool negate) const;
  /// Where a condition's words stand in their sentence. The conditions of a `count` are said
  /// as a list that runs to the end of the sentence ("exactly one of these is true: a; b"), so
  /// such a list may be said only where nothing follows it.
  enum class Place : std::uint8_t { End, Inner };
  std::optional<std::string> say_at(const Expr& e, Voice voice, bool negate, Place place) const;
  /// `count(c1, ..., cn)` of conditions compared with a number: `items`, the conditions other
  /// than `true` and `false` (which the importer writes for an alternative that always or never
  /// fits), and for each k from 0 to their number, whether the comparison (negated with
  /// `negate`) holds when k of them do. Nothing when `e` is not such a comparison.
  std::optional<std::vector<bool>> count_holds(const Expr& e, bool negate, std::vector<const Expr*>& items) const;
  /// Whether such a count is said as a list of conditions (not as its one condition).
  static bool said_as_list(const std::vector<const Expr*>& items, const std::vector<bool>& holds) {
    return !(items.size() == 1 && !holds[0] && holds[1]);
  }
  /// How many of `items` hold, in words; `unless`: the words for exactly one, to follow
  /// "unless". Nothing when a condition cannot be said, or the count always or never holds.
  std::optional<std::string> say_count(const std::vector<const Expr*>& items, const std::vector<bool>& holds,
                                       Voice voice, bool unless) const;
  /// The message of the rule of field `f` that is the same as `e` (a `pattern` for
  /// `matches(f, "REGEX")`, a `check` for `f in [...]`); nothing when `f` has none or it is empty.
  std::optional<std::string> rule_message(FieldId f, const Expr& e) const;
  /// "your answer to question 3 follows the rule “Enter a ZIP code such as 12345”".
  std::string said_rule(FieldId f, std::string_view message, Voice voice, bool kept) const;
  /// "Required if ..." for `required if e`, or "Required [if ..., ]unless exactly one of these is
  /// true: ..." when that is how a person says it (`count(...) != 1`).
  std::string required_words(const Expr& e, Voice voice) const;
  std::string bounds(const model::Field& f) const;
  CheckWords check(const model::Field& f, FieldId id, const model::Check& c) const;
  std::vector<const Expr*> conditions(FieldId f) const;
  std::string join_conditions(const std::vector<const Expr*>& cs, Voice voice) const;
  void skips();
  void agent_words(FieldId id, FieldWords& fw) const;
  void script_words();

  Wording& w_;
  const Phrases& p_;
};

std::string WordingBuilder::option_label(FieldId f, std::string_view value) const {
  if (f < w_.form_->fields.size()) {
    for (const auto& o : w_.form_->options_of(w_.form_->fields[f])) {
      if (o.value == value) return w_.text(o.label);
    }
  }
  return std::string(value);
}

std::string_view WordingBuilder::said(Said what, Voice voice, FieldId f) const {
  if (voice == Voice::Citizen && numbered(f)) {
    switch (what) {
      case Said::Answered: return p_.cit_answered;
      case Said::NotAnswered: return p_.cit_not_answered;
      case Said::Ticked: return p_.cit_ticked;
      case Said::NotTicked: return p_.cit_not_ticked;
      case Said::Gave: return p_.cit_gave;
      case Said::Blank: return p_.cit_blank;
      case Said::Subject: return p_.cit_subject;
    }
  }
  if (voice == Voice::Caller && numbered(f)) {
    switch (what) {
      case Said::Answered: return w_.ui(Ui::CallerSaid);
      case Said::NotAnswered: return w_.ui(Ui::CallerNotSaid);
      case Said::Ticked: return w_.ui(Ui::CallerChose);
      case Said::NotTicked: return w_.ui(Ui::CallerNotChose);
      case Said::Gave: return w_.ui(Ui::CallerGave);
      case Said::Blank: return w_.ui(Ui::CallerBlank);
      case Said::Subject: return w_.ui(Ui::CallerSubject);
    }
  }
  switch (what) {
    case Said::Answered: return p_.agent_is;
    case Said::NotAnswered: return p_.agent_is_not;
    case Said::Ticked: return p_.agent_ticked;
    case Said::NotTicked: return p_.agent_not_ticked;
    case Said::Gave: return p_.agent_gave;
    case Said::Blank: return p_.agent_blank;
    case Said::Subject: return p_.agent_subject;
  }
  return p_.agent_is;
}

std::string WordingBuilder::ref(FieldId f) const {
  const auto& fields = w_.form_->fields;
  if (f >= fields.size()) return "?";
  const auto& field = fields[f];
  if (field.question) return sub(p_.question_ref, {std::to_string(field.question)});
  if (!field.part.empty() && field.parent != model::no_field && fields[field.parent].question) {
    return sub(p_.part_ref, {std::to_string(fields[field.parent].question), quoted(w_.text(field.label))});
  }
  const std::string& label = w_.text(field.label);
  return quoted(label.empty() ? field.name : label);
}

namespace {
int precedence(Op op) {
  switch (op) {
    case Op::Or: return 1;
    case Op::And: return 2;
    case Op::Not: return 3;
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::In: case Op::NotIn:
      return 4;
    case Op::Add: case Op::Sub: return 5;
    case Op::Mul: case Op::Div: return 6;
    case Op::Neg: return 7;
    default: return 8;
  }
}
std::string_view symbol(Op op) {
  switch (op) {
    case Op::Add: return " + ";
    case Op::Sub: return " - ";
    case Op::Mul: return " × ";
    case Op::Div: return " ÷ ";
    case Op::Eq: return " = ";
    case Op::Ne: return " ≠ ";
    case Op::Lt: return " < ";
    case Op::Le: return " ≤ ";
    case Op::Gt: return " > ";
    case Op::Ge: return " ≥ ";
    default: return " ";
  }
}
}  // namespace

std::string WordingBuilder::plain(const Expr& e, int parent_precedence) const {
  const int prec = precedence(e.op);
  std::string s;
  switch (e.op) {
    case Op::Literal:
      s = w_.literal(e.value);
      if (std::holds_alternative<std::string>(e.value)) s = quoted(s);
      break;
    case Op::Field: {
      const auto& fields = w_.form_->fields;
      if (e.field < fields.size() && fields[e.field].question) {
        s = sub(p_.question_plain, {std::to_string(fields[e.field].question)});
      } else {
        s = ref(e.field);
      }
      break;
    }
    case Op::Call: {
      s = std::string(model_json::function_name(e.function)) + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + plain(e.args[i], 0);
      s += ")";
      break;
    }
    case Op::Neg: s = "-" + (e.args.empty() ? std::string() : plain(e.args[0], prec)); break;
    case Op::Not: s = std::string(p_.not_) + (e.args.empty() ? std::string() : plain(e.args[0], prec)); break;
    case Op::And: case Op::Or:
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        s += (i ? (e.op == Op::And ? p_.and_ : p_.or_) : "");
        // In words "a or b and c" is ambiguous whatever the precedence: always bracket.
        const Op c = e.args[i].op;
        s += (c == Op::And || c == Op::Or) && c != e.op ? "(" + plain(e.args[i], 0) + ")" : plain(e.args[i], prec);
      }
      break;
    case Op::In: case Op::NotIn: {
      if (e.args.empty()) break;
      s = plain(e.args[0], prec) + (e.op == Op::In ? " ∈ [" : " ∉ [");
      for (std::size_t i = 1; i < e.args.size(); ++i) s += (i > 1 ? ", " : "") + plain(e.args[i], 0);
      s += "]";
      break;
    }
    default:  // binary arithmetic and comparisons
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        // Left-associative: a right operand of the same precedence needs parentheses.
        s += (i ? symbol(e.op) : "");
        s += plain(e.args[i], i ? prec + 1 : prec);
      }
      break;
  }
  if (prec < parent_precedence) return "(" + s + ")";
  return s;
}

std::optional<std::string> WordingBuilder::object(const Expr& e, Kind subject_kind) const {
  const auto& fields = w_.form_->fields;
  switch (e.op) {
    case Op::Literal:
      if (std::holds_alternative<std::string>(e.value)) return quoted(w_.literal(e.value));
      if (const auto* n = std::get_if<model::Number>(&e.value)) return w_.number(n->digits, subject_kind == Kind::Money);
      return w_.literal(e.value);
    case Op::Field:
      if (e.field >= fields.size()) return std::nullopt;
      return sub(fields[e.field].type == model::Type::Date ? p_.the_date_in : p_.the_answer_to, {ref(e.field)});
    case Op::Call:
      if (e.function == model::Function::Today) return std::string(p_.today);
      return std::nullopt;
    case Op::Add: case Op::Sub: {
      if (e.args.size() != 2 || e.args[1].op != Op::Literal) return std::nullopt;
      const auto* d = std::get_if<model::Duration>(&e.args[1].value);
      if (!d) return std::nullopt;
      const std::string amount = w_.duration(*d);
      const bool add = e.op == Op::Add;
      const Expr& base = e.args[0];
      if (base.op == Op::Call && base.function == model::Function::Today) {
        return sub(add ? p_.from_today : p_.before_today, {amount});
      }
      if (base.op == Op::Field && base.field < fields.size()) {
        return sub(add ? p_.after_date_in : p_.before_date_in, {amount, ref(base.field)});
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> WordingBuilder::subject(const Expr& e, Voice voice) const {
  const auto& fields = w_.form_->fields;
  if (e.op == Op::Field && e.field < fields.size()) {
    return sub(said(Said::Subject, voice, e.field), {ref(e.field)});
  }
  if (e.op == Op::Call && e.args.size() == 1 && e.args[0].op == Op::Field) {
    const FieldId f = e.args[0].field;
    switch (e.function) {
      case model::Function::Age: return sub(p_.age_of, {ref(f)});
      case model::Function::Count:
        return sub(f < fields.size() && fields[f].kind == Kind::Choices ? p_.count_ticked : p_.count_of, {ref(f)});
      case model::Function::Sum: return sub(p_.sum_of, {ref(f)});
      case model::Function::Length: return sub(p_.length_of, {ref(f)});
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<std::string> WordingBuilder::say_comparison(const Expr& e, Voice voice, bool negate) const {
  if (e.args.size() != 2) return std::nullopt;
  const auto& fields = w_.form_->fields;
  const Expr* a = &e.args[0];
  const Expr* b = &e.args[1];
  Op op = e.op;
  // The field (or function of one) goes first: "5 < x" is said "x is more than 5".
  if (a->op == Op::Literal && b->op != Op::Literal) {
    std::swap(a, b);
    op = flipped(op);
  }
  if (negate) op = negated(op);
  // A field compared with a literal of its own: yes/no, or an option of a choice.
  if (a->op == Op::Field && a->field < fields.size() && b->op == Op::Literal && (op == Op::Eq || op == Op::Ne)) {
    const auto& field = fields[a->field];
    std::string answer;
    bool positive = op == Op::Eq;
    if (const auto* flag = std::get_if<bool>(&b->value)) {
      answer = std::string(w_.ui(*flag == positive ? Ui::Yes : Ui::No));
      positive = true;
    } else if (const auto* s = std::get_if<std::string>(&b->value); s && !w_.form_->options_of(field).empty()) {
      answer = quoted(option_label(a->field, *s));
    }
    if (!answer.empty()) {
      return sub(said(positive ? Said::Answered : Said::NotAnswered, voice, a->field), {ref(a->field), answer});
    }
  }
  const auto subj = subject(*a, voice);
  if (!subj) return std::nullopt;
  Kind kind = Kind::Text;
  if (a->op == Op::Field && a->field < fields.size()) kind = fields[a->field].kind;
  auto obj = object(*b, kind);
  if (!obj) return std::nullopt;
  const bool dates = a->type == model::Type::Date;
  return sub((dates ? p_.compare_date : p_.compare)[compare_index(op)], {*subj, *obj});
}

std::optional<std::vector<bool>> WordingBuilder::count_holds(const Expr& e, bool negate,
                                                             std::vector<const Expr*>& items) const {
  if (!is_comparison(e.op) || e.args.size() != 2) return std::nullopt;
  const Expr* a = &e.args[0];
  const Expr* b = &e.args[1];
  Op op = e.op;
  if (!counts_conditions(*a) && counts_conditions(*b)) {
    std::swap(a, b);
    op = flipped(op);
  }
  if (!counts_conditions(*a) || b->op != Op::Literal) return std::nullopt;
  const auto* number = std::get_if<model::Number>(&b->value);
  if (!number) return std::nullopt;
  const auto n = engine::Decimal::parse(number->digits);
  if (!n) return std::nullopt;
  if (negate) op = negated(op);
  // `true` always counts and `false` never does: the count is of the others, plus the trues.
  items.clear();
  std::int64_t always = 0;
  for (const auto& c : a->args) {
    if (const auto* flag = std::get_if<bool>(&c.value); c.op == Op::Literal && flag) {
      always += *flag ? 1 : 0;
    } else {
      items.push_back(&c);
    }
  }
  std::vector<bool> holds(items.size() + 1);
  for (std::size_t k = 0; k < holds.size(); ++k) {
    const auto c = engine::Decimal::from_int(static_cast<std::int64_t>(k) + always) <=> *n;
    switch (op) {
      case Op::Eq: holds[k] = c == 0; break;
      case Op::Ne: holds[k] = c != 0; break;
      case Op::Lt: holds[k] = c < 0; break;
      case Op::Le: holds[k] = c <= 0; break;
      case Op::Gt: holds[k] = c > 0; break;
      case Op::Ge: holds[k] = c >= 0; break;
      default: return std::nullopt;
    }
  }
  return holds;
}

std::optional<std::string> WordingBuilder::say_count(const std::vector<const Expr*>& list,
                                                     const std::vector<bool>& holds, Voice voice, bool unless) const {
  const std::size_t n = list.size();
  // Which sentence: the counts that make it hold as one run ("at least one"), else as the
  // counts that do not ("none, or more than one").
  std::string_view pattern;
  std::string lo_words, hi_words;
  const auto pick = [&](std::size_t lo, std::size_t hi) -> std::string_view {
    lo_words = std::to_string(lo);
    hi_words = std::to_string(hi);
    if (lo == 0 && hi == n) return {};  // always holds: said as written
    if (lo == hi) return lo == 0 ? p_.count_none : lo == 1 ? p_.count_one : lo == n ? p_.count_all : p_.count_exactly;
    if (hi == n) return lo == 1 ? p_.count_any : lo == 2 ? p_.count_many : p_.count_at_least;
    if (lo == 0) return hi + 1 == n ? p_.count_not_all : hi == 1 ? p_.count_at_most_one : p_.count_at_most;
    return p_.count_range;
  };
  std::vector<bool> fails(holds.size());
  for (std::size_t k = 0; k < holds.size(); ++k) fails[k] = !holds[k];
  if (unless) {
    // Said after "unless": only "exactly one", which is what the counts that fail must be;
    // of one condition, that condition ("unless you answered question 4").
    const auto run = one_run(fails);
    if (!run || run->first != 1 || run->second != 1) return std::nullopt;
    pattern = n == 1 ? p_.count_this_unless : p_.count_one_unless;
  } else if (const auto run = one_run(holds)) {
    pattern = pick(run->first, run->second);
  } else if (const auto other = one_run(fails); other && other->first == other->second) {
    // One comparison fails for one count at most (`!= k`), between 0 and n.
    lo_words = std::to_string(other->first);
    pattern = other->first == 1 ? p_.count_none_or_many : p_.count_not;
  }
  if (pattern.empty()) return std::nullopt;
  std::string items;
  for (std::size_t i = 0; i < n; ++i) {
    const auto item = say_at(*list[i], voice, false, n == 1 && unless ? Place::End : Place::Inner);
    if (!item) return std::nullopt;  // the whole sentence is said as written, never half of it
    if (i) items += p_.count_sep;
    items += *item;
  }
  return sub(pattern, {items, lo_words, hi_words});
}

std::optional<std::string> WordingBuilder::rule_message(FieldId f, const Expr& e) const {
  const auto& fields = w_.form_->fields;
  if (f >= fields.size()) return std::nullopt;
  const model::Field& field = fields[f];
  std::string message;
  if (e.op == Op::Call && e.function == model::Function::Matches && e.args.size() == 2) {
    const auto* regex = std::get_if<std::string>(&e.args[1].value);
    for (const auto& p : field.patterns) {
      if (regex && p.regex == *regex) {
        message = w_.text(p.message);
        break;
      }
    }
  } else if (e.op == Op::In || e.op == Op::NotIn) {
    for (const auto& c : field.checks) {
      if (c.rule.op != Op::In || c.rule.args.size() != e.args.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < e.args.size() && same; ++i) same = same_expr(c.rule.args[i], e.args[i]);
      if (same) {
        message = w_.text(c.message);
        break;
      }
    }
  }
  if (message.empty()) return std::nullopt;
  return message;
}

std::string WordingBuilder::said_rule(FieldId f, std::string_view message, Voice voice, bool kept) const {
  // The message is quoted inside a sentence of its own: without its full stop.
  while (!message.empty() && (message.back() == '.' || message.back() == ' ')) message.remove_suffix(1);
  return sub(kept ? p_.rule_kept : p_.rule_broken, {sub(said(Said::Subject, voice, f), {ref(f)}), quoted(message)});
}

// A condition in words. Besides yes/no, options, `contains`, `is_blank`, comparisons and
// `and`/`or`/`not`: `count(c1, ..., cn)` of conditions compared with a number is said as how
// many of them are true ("exactly one of these is true: a; b"), a list that always ends its
// sentence (said last in an `and`/`or`, and never inside another list); `matches(x, "REGEX")`,
// and an `in` list too long to read out, by the message of x's `pattern` (`check`) with the
// same regular expression (list): "your answer to question 3 follows the rule “Enter a ZIP code
// such as 12345”", never words guessed from a regular expression. Nothing when any part cannot
// be said: the caller then writes the whole condition as the expression.
std::optional<std::string> WordingBuilder::say_at(const Expr& e0, Voice voice, bool negate, Place place) const {
  const Expr& e = *strip_not(e0, negate);
  const auto& fields = w_.form_->fields;
  std::vector<const Expr*> items;
  if (const auto holds = count_holds(e, negate, items)) {
    // Exactly one of one condition: that condition.
    if (!said_as_list(items, *holds)) return say_at(*items[0], voice, false, place);
    if (place == Place::Inner) return std::nullopt;
    return say_count(items, *holds, voice, false);
  }
  switch (e.op) {
    case Op::Field: {
      if (e.field >= fields.size() || e.type != model::Type::Bool) return std::nullopt;
      const std::string answer(w_.ui(negate ? Ui::No : Ui::Yes));
      return sub(said(Said::Answered, voice, e.field), {ref(e.field), answer});
    }
    case Op::And: case Op::Or: {
      // De Morgan: not (a and b) is (not a) or (not b).
      const bool conj = (e.op == Op::And) != negate;
      // A count's list of conditions runs to the end of the sentence: it is said last (the
      // order of `and` and `or` does not change what they mean), and only where nothing follows.
      std::vector<std::size_t> order;
      std::size_t counted = 0;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        bool child_negate = negate;
        std::vector<const Expr*> items;
        const auto holds = count_holds(*strip_not(e.args[i], child_negate), child_negate, items);
        if (holds && said_as_list(items, *holds)) {
          ++counted;
        } else {
          order.push_back(i);
        }
      }
      if (counted > 1 || (counted == 1 && place == Place::Inner)) return std::nullopt;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
      }
      std::string s;
      for (std::size_t at = 0; at < order.size(); ++at) {
        bool child_negate = negate;
        const Expr& c = *strip_not(e.args[order[at]], child_negate);
        const Place child_place = place == Place::End && at + 1 == order.size() ? Place::End : Place::Inner;
        auto part = say_at(c, voice, child_negate, child_place);
        if (!part) return std::nullopt;
        const bool child_conj = (c.op == Op::And) != child_negate;
        if ((c.op == Op::And || c.op == Op::Or) && child_conj != conj) {
          // A nested list of the other kind: "a and either b or c".
          if (!child_conj) {
            part = sub(p_.either, {*part});
          } else {
            return std::nullopt;  // "(a and b) or c" has no unambiguous words: said plainly
          }
        }
        s += (at ? (conj ? p_.and_ : p_.or_) : "");
        s += *part;
      }
      return s;
    }
    case Op::In: case Op::NotIn: {
      if (e.args.size() < 2 || e.args[0].op != Op::Field || e.args[0].field >= fields.size()) return std::nullopt;
      const FieldId f = e.args[0].field;
      const bool positive = (e.op == Op::In) != negate;
      if (e.args.size() - 1 > most_read_out) {
        // A list too long to read out: said by the rule of the question that has the same list
        // (its message), or, when it is every option of a choice, as the question answered.
        if (const auto message = rule_message(f, e)) {
          return said_rule(f, *message, voice, positive);
        }
        const auto& options = w_.form_->options_of(fields[f]);
        const bool every_option =
            positive && fields[f].kind == Kind::Choice && !options.empty() &&
            std::all_of(options.begin(), options.end(), [&](const model::Option& o) {
              return std::any_of(e.args.begin() + 1, e.args.end(), [&](const Expr& v) {
                const auto* s = std::get_if<std::string>(&v.value);
                return v.op == Op::Literal && s && *s == o.value;
              });
            });
        // Blank is in no list, and a choice's answer is one of its options.
        if (every_option) return sub(said(Said::Gave, voice, f), {ref(f)});
      }
      std::string answers;
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        const Expr& v = e.args[i];
        if (v.op != Op::Literal) return std::nullopt;
        std::string word;
        if (const auto* s = std::get_if<std::string>(&v.value)) {
          word = quoted(option_label(f, *s));
        } else {
          word = object(v, fields[f].kind).value_or(w_.literal(v.value));
        }
        answers += (i == 1 ? "" : (i + 1 == e.args.size() ? p_.or_ : p_.list_sep));
        answers += word;
      }
      return sub(said(positive ? Said::Answered : Said::NotAnswered, voice, f), {ref(f), answers});
    }
    case Op::Call: {
      if (e.function == model::Function::Contains && e.args.size() == 2 && e.args[0].op == Op::Field &&
          e.args[1].op == Op::Literal && std::holds_alternative<std::string>(e.args[1].value)) {
        const FieldId f = e.args[0].field;
        const std::string answer = quoted(option_label(f, std::get<std::string>(e.args[1].value)));
        return sub(said(negate ? Said::NotTicked : Said::Ticked, voice, f), {ref(f), answer});
      }
      if (e.function == model::Function::IsBlank && e.args.size() == 1 && e.args[0].op == Op::Field) {
        const FieldId f = e.args[0].field;
        return sub(said(negate ? Said::Gave : Said::Blank, voice, f), {ref(f)});
      }
      if (e.function == model::Function::Matches && e.args.size() == 2 && e.args[0].op == Op::Field) {
        // A regular expression is never put in words of our own: it is said by the message
        // of the question's `pattern` that has it, as the question's rule is said.
        const FieldId f = e.args[0].field;
        const auto message = rule_message(f, e);
        if (!message) return std::nullopt;
        return said_rule(f, *message, voice, !negate);
      }
      return std::nullopt;
    }
    case Op::Literal:
      if (const auto* b = std::get_if<bool>(&e.value)) return w_.literal(*b != negate);
      return std::nullopt;
    default:
      if (is_comparison(e.op)) return say_comparison(e, voice, negate);
      return std::nullopt;
  }
}

std::string WordingBuilder::required_words(const Expr& e, Voice voice) const {
  // `required if count(...) != 1` (and other answers given): "Required [if ...,] unless exactly
  // one of these is true: ...", as a person says it, rather than "none, or more than one, of".
  bool neg = false;
  const Expr& core = *strip_not(e, neg);
  std::vector<const Expr*> conjuncts;
  if (core.op == Op::And && !neg) {
    for (const auto& a : core.args) conjuncts.push_back(&a);
  } else {
    conjuncts.push_back(&e);
  }
  std::optional<std::size_t> unless_at;
  std::optional<std::string> unless;
  for (std::size_t i = 0; i < conjuncts.size(); ++i) {
    bool cn = false;
    const Expr& c = *strip_not(*conjuncts[i], cn);
    std::vector<const Expr*> items;
    const auto holds = count_holds(c, cn, items);
    if (!holds || !said_as_list(items, *holds)) continue;
    if (unless_at) {
      unless.reset();  // two lists of conditions in one sentence: said as written below
      break;
    }
    unless_at = i;
    unless = say_count(items, *holds, voice, true);
  }
  if (unless) {
    if (conjuncts.size() == 1) return sub(p_.required_unless, {*unless});
    Expr rest;
    rest.op = Op::And;
    rest.type = model::Type::Bool;
    for (std::size_t i = 0; i < conjuncts.size(); ++i) {
      if (i != *unless_at) rest.args.push_back(*conjuncts[i]);
    }
    const Expr& said_first = rest.args.size() == 1 ? rest.args[0] : rest;
    if (const auto first = say_at(said_first, voice, false, Place::Inner)) {
      return sub(p_.required_if_unless, {*first, *unless});
    }
  }
  return sub(p_.required_if, {w_.condition(e, voice)});
}

std::vector<const Expr*> WordingBuilder::conditions(FieldId f) const {
  std::vector<const Expr*> cs;
  const auto& fields = w_.form_->fields;
  for (FieldId g = f; g != model::no_field && g < fields.size(); g = fields[g].parent) {
    if (fields[g].show_if) cs.push_back(&*fields[g].show_if);
  }
  std::reverse(cs.begin(), cs.end());  // outermost first
  return cs;
}

std::string WordingBuilder::join_conditions(const std::vector<const Expr*>& cs, Voice voice) const {
  std::string s;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    s += (i ? p_.and_ : "");
    // Only the last may end in a count's list of conditions, which runs to the end.
    const auto words = say_at(*cs[i], voice, false, i + 1 == cs.size() ? Place::End : Place::Inner);
    s += words ? *words : plain(*cs[i], 0);
  }
  return s;
}

std::string WordingBuilder::bounds(const model::Field& f) const {
  auto text_of = [&](const model::Literal& v) -> std::string {
    if (const auto* n = std::get_if<model::Number>(&v)) return w_.number(n->digits, f.kind == Kind::Money);
    return w_.literal(v);
  };
  const bool has_min = !std::holds_alternative<std::monostate>(f.min);
  const bool has_max = !std::holds_alternative<std::monostate>(f.max);
  if (!has_min && !has_max) return {};
  auto pick = [&](std::string_view lo, std::string_view hi, std::string_view range) {
    if (has_min && has_max) return sub(range, {text_of(f.min), text_of(f.max)});
    return has_min ? sub(lo, {text_of(f.min)}) : sub(hi, {text_of(f.max)});
  };
  auto is_one = [](const model::Literal& v) {
    const auto* n = std::get_if<model::Number>(&v);
    return n && n->digits == "1";
  };
  if (text_like(f.kind)) {
    if (has_min && !has_max && is_one(f.min)) return std::string(p_.char_one);
    return pick(p_.chars_min, p_.chars_max, p_.chars_range);
  }
  switch (f.kind) {
    case Kind::Date: return pick(p_.date_min, p_.date_max, p_.date_range);
    case Kind::Choices: return pick(p_.choose_min, p_.choose_max, p_.choose_range);
    case Kind::Repeat:
      if (has_min && !has_max && is_one(f.min)) return std::string(p_.entry_one_min);
      return pick(p_.entries_min, p_.entries_max, p_.entries_range);
    default: return pick(p_.value_min, p_.value_max, p_.value_range);
  }
}

CheckWords WordingBuilder::check(const model::Field& f, FieldId id, const model::Check& c) const {
  CheckWords words;
  words.message = w_.text(c.message);
  words.text = words.message;
  const Expr& e = c.rule;
  if (!is_comparison(e.op) || e.args.size() != 2) return words;
  const Expr* a = &e.args[0];
  const Expr* b = &e.args[1];
  Op op = e.op;
  if (!(a->op == Op::Field && a->field == id) && b->op == Op::Field && b->field == id) {
    std::swap(a, b);
    op = flipped(op);
  }
  if (!(a->op == Op::Field && a->field == id)) return words;
  const auto obj = object(*b, f.kind);
  if (!obj) return words;
  const bool ordered = f.type == model::Type::Date || f.type == model::Type::Number;
  if (!ordered) {
    // Text and choices: only "the same as" / "different from" another answer read well.
    if (b->op != Op::Field || (op != Op::Eq && op != Op::Ne)) return words;
    words.text = sub(op == Op::Eq ? p_.must_same : p_.must_differ, {*obj});
  } else {
    words.text = sub((f.type == model::Type::Date ? p_.must_date : p_.must)[compare_index(op)], {*obj});
  }
  words.from_rule = true;
  return words;
}

void WordingBuilder::build() {
  const model::Form& form = *w_.form_;
  w_.title_ = w_.text(form.title);
  w_.description_ = w_.text(form.description);
  w_.standard_ = w_.text(form.standard);
  w_.purpose_ = w_.text(form.purpose);
  w_.eligibility_ = w_.text(form.eligibility);
  w_.duration_ = w_.text(form.duration);
  for (const auto& need : form.needs) w_.needs_.push_back(w_.text(need));
  w_.apply_phone_ = w_.text(form.apply_phone);
  w_.apply_in_person_ = w_.text(form.apply_in_person);
  w_.apply_mail_ = w_.text(form.apply_mail);
  w_.identity_ = w_.ui(Ui::FormVersion, {std::to_string(form.version)});
  for (std::size_t i = 0; i < form.agencies.size(); ++i) {
    const std::string& t = w_.text(form.agencies[i].title);
    w_.agency_titles_.push_back(t.empty() ? form.agencies[i].name : t);
  }

  w_.fields_.resize(form.fields.size());
  std::uint32_t max_question = 0;
  for (const auto& f : form.fields) max_question = std::max(max_question, f.question);
  w_.by_question_.assign(max_question, model::no_field);

  for (FieldId id = 0; id < form.fields.size(); ++id) {
    const model::Field& f = form.fields[id];
    FieldWords& fw = w_.fields_[id];
    fw.field = id;
    fw.number = f.question;
    if (f.question) w_.by_question_[f.question - 1] = id;
    fw.label = w_.text(f.label);
    fw.hint = w_.text(f.hint);
    fw.kind = std::string(p_.kinds[static_cast<std::size_t>(f.kind)]);
    fw.unanswered = w_.text(f.unanswered);
    fw.sensitive = f.sensitive;
    fw.computed = f.computed.has_value();
    if (fw.computed) fw.computed_text = std::string(w_.ui(Ui::ComputedNote));
    const auto& options = w_.form_->options_of(f);
    for (std::size_t i = 0; i < options.size(); ++i) {
      fw.options.push_back({options[i].value, letter(i), w_.text(options[i].label)});
    }
    const bool asks = f.kind != Kind::Note && f.kind != Kind::Member && f.kind != Kind::Group && !fw.computed;
    if (asks) {
      fw.required = f.required;
      fw.conditionally_required = !f.required && f.required_if.has_value();
      if (fw.required) {
        fw.required_citizen = fw.required_agent = std::string(w_.ui(Ui::Required)) + ".";
      } else if (fw.conditionally_required) {
        fw.required_citizen = required_words(*f.required_if, Voice::Citizen);
        fw.required_agent = required_words(*f.required_if, Voice::Agent);
      } else {
        fw.required_citizen = fw.required_agent = std::string(w_.ui(Ui::Optional)) + ".";
      }
    }
    fw.bounds = bounds(f);
    // A rule of one alternative (`... if EXPR`) says when it applies, in each voice.
    std::uint32_t conditional = 0;
    const auto only_if = [&](CheckWords& cw, const model::Boxed<Expr>& when) {
      cw.agent_text = cw.text;
      if (!when) return;
      cw.only_if = &*when;
      cw.index = conditional++;
      cw.text = w_.ui(Ui::RuleOnlyIf, {w_.condition(*when, Voice::Citizen), cw.text});
      cw.agent_text = w_.ui(Ui::RuleOnlyIf, {w_.condition(*when, Voice::Agent), cw.agent_text});
    };
    for (const auto& c : f.checks) {
      CheckWords cw = check(f, id, c);
      only_if(cw, c.only_if);
      fw.checks.push_back(std::move(cw));
    }
    for (const auto& pt : f.patterns) {
      CheckWords cw;
      cw.message = cw.text = w_.text(pt.message);
      cw.pattern = true;
      only_if(cw, pt.only_if);
      fw.checks.push_back(std::move(cw));
    }
    const auto cs = conditions(id);
    if (!cs.empty()) {
      fw.conditional = true;
      fw.condition_citizen = join_conditions(cs, Voice::Citizen);
      fw.condition_agent = join_conditions(cs, Voice::Agent);
      const std::string_view only = f.kind == Kind::Note                                ? p_.applies_only_if
                                    : f.kind == Kind::Group || f.kind == Kind::Repeat ? p_.fill_only_if
                                    : fw.computed                                     ? p_.applies_only_if
                                                                                      : p_.answer_only_if;
      fw.answer_only_if = sub(only, {fw.condition_citizen});
      fw.ask_only_if = sub(p_.ask_only_if, {fw.condition_agent});
    }
    agent_words(id, fw);
  }

  w_.sections_.resize(form.sections.size());
  for (std::size_t i = 0; i < form.sections.size(); ++i) {
    auto& s = w_.sections_[i];
    s.number = static_cast<std::uint32_t>(i + 1);
    s.title = w_.text(form.sections[i].title);
    s.fields = form.sections[i].fields;
  }
  for (const auto& f : form.fields) {
    if (!f.question || f.section >= w_.sections_.size()) continue;
    auto& s = w_.sections_[f.section];
    if (!s.first_question) s.first_question = f.question;
    s.last_question = std::max(s.last_question, f.question);
  }
  skips();
  script_words();
}

namespace {

/// "Is this move permanent?" / "¿Es permanente esta mudanza?": a label the agent can ask as
/// it is.
bool is_question(std::string_view label) {
  while (!label.empty() && label.back() == ' ') label.remove_suffix(1);
  return label.ends_with("?");
}

/// A label without the full stop or colon it may end with, to end a sentence of our own.
std::string_view without_stop(std::string_view s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ':' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}


}  // namespace

/// The agent's words for one field (wording.hpp, FieldWords' agent fields).
void WordingBuilder::agent_words(FieldId id, FieldWords& fw) const {
  const model::Field& f = w_.form_->fields[id];
  if (!fw.hint.empty()) fw.agent_help = w_.ui(Ui::ScriptHelp, {fw.hint});
  if (f.sensitive) fw.agent_private = std::string(w_.ui(Ui::ScriptSensitive));
  if (fw.computed) {
    fw.agent_computed = std::string(w_.ui(Ui::ScriptComputed));
    return;
  }
  switch (f.kind) {
    case Kind::Note: fw.agent_read = w_.ui(Ui::ScriptRead, {fw.label}); return;
    case Kind::Member: return;  // never asked
    case Kind::Group: case Kind::Repeat: return;
    case Kind::Attest:
      // The declaration, said as a spoken question: read the statement, ask for a yes.
      fw.agent_read = w_.ui(Ui::ScriptRead, {fw.label});
      fw.agent_ask = std::string(w_.ui(Ui::ScriptConfirm));
      break;
    default:
      if (!f.ask.empty()) {
        fw.agent_ask = w_.ui(Ui::ScriptAsk, {w_.text(f.ask)});
      } else {
        fw.agent_ask = is_question(fw.label) ? w_.ui(Ui::ScriptAsk, {fw.label})
                                             : w_.ui(Ui::ScriptAskFor, {without_stop(fw.label)});
      }
      break;
  }
  Ui record = Ui::Count_;
  switch (f.kind) {
    case Kind::Text: record = Ui::ScriptRecordText; break;
    case Kind::LongText: record = Ui::ScriptRecordLongText; break;
    case Kind::Integer: record = Ui::ScriptRecordInteger; break;
    case Kind::Decimal: record = Ui::ScriptRecordDecimal; break;
    case Kind::Money: record = Ui::ScriptRecordMoney; break;
    case Kind::Date: record = Ui::ScriptRecordDate; break;
    case Kind::YesNo:
      // Its third choice is said by its label, so the agent can offer it as the page does.
      if (!f.unanswered.empty()) {
        fw.agent_record = w_.ui(Ui::ScriptRecordYesNoUnanswered, {fw.unanswered});
      } else {
        record = Ui::ScriptRecordYesNo;
      }
      break;
    case Kind::Email: record = Ui::ScriptRecordEmail; break;
    case Kind::Phone: record = Ui::ScriptRecordPhone; break;
    case Kind::Ssn: record = Ui::ScriptRecordSsn; break;
    case Kind::Ein: record = Ui::ScriptRecordEin; break;
    case Kind::Zip: record = Ui::ScriptRecordZip; break;
    case Kind::Url: record = Ui::ScriptRecordUrl; break;
    case Kind::Address: record = Ui::ScriptRecordAddress; break;
    case Kind::Name: record = Ui::ScriptRecordName; break;
    default: break;
  }
  if (record != Ui::Count_) fw.agent_record = std::string(w_.ui(record));
  if (!fw.options.empty()) {
    if (fw.options.size() > most_read_out) {
      fw.agent_choices = w_.ui(Ui::ScriptChoicesLong, {std::to_string(fw.options.size())});
    } else {
      fw.agent_choices = std::string(w_.ui(f.kind == Kind::Choices ? Ui::ScriptChoicesAll : Ui::ScriptChoices));
    }
  }
  if (!fw.number) return;
  std::string line = w_.ui(Ui::QuestionN, {std::to_string(fw.number)}) + ". " + fw.label;
  const auto& fields = w_.form_->fields;
  for (FieldId g = f.parent; g != model::no_field && g < fields.size(); g = fields[g].parent) {
    if (fields[g].kind == Kind::Repeat) {
      line = w_.ui(Ui::ScriptEachEntry, {line, w_.text(fields[g].label)});
      break;
    }
  }
  if (fw.conditional) line = w_.ui(Ui::ScriptIfAsked, {line});
  if (f.sensitive) line = w_.ui(Ui::ScriptLastFour, {line});
  fw.agent_read_back = std::move(line);
}

/// The form-wide parts of the phone script (wording.hpp, ScriptWords).
void WordingBuilder::script_words() {
  ScriptWords& sc = w_.script_;
  sc.heading = std::string(w_.ui(Ui::ScriptHeading));
  sc.for_citizens = std::string(w_.ui(Ui::ScriptForCitizens));
  sc.opening_heading = std::string(w_.ui(Ui::ScriptOpening));
  sc.opening.push_back(w_.ui(Ui::ScriptGreeting, {w_.title_}));
  const std::string& about = !w_.purpose_.empty() ? w_.purpose_ : w_.description_;
  if (!about.empty()) sc.opening.push_back(w_.ui(Ui::ScriptRead, {about}));
  if (!w_.duration_.empty()) sc.opening.push_back(w_.ui(Ui::ScriptHowLong, {without_stop(w_.duration_)}));
  if (!w_.needs_.empty()) {
    std::string needs;
    for (const auto& n : w_.needs_) needs += (needs.empty() ? "" : "; ") + std::string(without_stop(n));
    sc.opening.push_back(w_.ui(Ui::ScriptNeeds, {needs}));
  }
  sc.privacy_heading = std::string(w_.ui(Ui::ScriptPrivacyHeading));
  sc.privacy.push_back(std::string(w_.ui(Ui::ScriptPrivacy)));
  // The form's own Privacy Act notice (`paper privacy`), read out as the paper form prints it.
  if (const std::string notice = w_.text(w_.form().paper.privacy); !notice.empty()) {
    sc.privacy.push_back(w_.ui(Ui::ScriptRead, {notice}));
  }
  sc.read_back_heading = std::string(w_.ui(Ui::ScriptReadBackHeading));
  sc.read_back.push_back(std::string(w_.ui(Ui::ScriptReadBack)));
  sc.read_back.push_back(std::string(w_.ui(Ui::ScriptReadBackEach)));
  sc.closing_heading = std::string(w_.ui(Ui::ScriptClosingHeading));
  sc.closing.push_back(std::string(w_.ui(Ui::ScriptSubmit)));
  if (!w_.standard_.empty()) sc.closing.push_back(w_.ui(Ui::ScriptRead, {w_.standard_}));
}

/// Paper skip instructions. After question C, when the questions right after it are asked only
/// on one condition about C's answer, say where to go when it does not hold: "If you answered
/// No to question 15, go to question 17." Conditions on several questions, or questions that do
/// not follow C, keep their "Answer only if ..." only.
void WordingBuilder::skips() {
  const auto& fields = w_.form_->fields;
  const std::uint32_t n = w_.question_count();
  // The one condition of each question, as its plain rendering (equal texts: equal conditions).
  std::vector<std::string> key(n + 1);
  std::vector<const Expr*> cond(n + 1, nullptr);
  for (std::uint32_t q = 1; q <= n; ++q) {
    const FieldId f = w_.by_question_[q - 1];
    if (f == model::no_field) continue;
    const auto cs = conditions(f);
    if (cs.size() != 1) continue;
    cond[q] = cs[0];
    key[q] = plain(*cs[0], 0);
  }
  auto refers_only_to = [&](const Expr& e, FieldId c) {
    bool ok = true, any = false;
    auto walk = [&](auto&& self, const Expr& x) -> void {
      if (x.op == Op::Field) {
        any = true;
        FieldId g = x.field;
        // A composite's part belongs to its composite's question.
        if (g < fields.size() && !fields[g].part.empty()) g = fields[g].parent;
        if (g != c) ok = false;
      } else if (x.op == Op::Call && x.function == model::Function::Today) {
        ok = false;  // depends on the day, not on the answer
      }
      for (const auto& a : x.args) self(self, a);
    };
    walk(walk, e);
    return ok && any;
  };
  for (std::uint32_t c = 1; c < n; ++c) {
    const FieldId cf = w_.by_question_[c - 1];
    if (cf == model::no_field || !cond[c + 1] || !refers_only_to(*cond[c + 1], cf)) continue;
    // Skip when the condition of what follows fails: its negation, in the citizen's words.
    const model::Field& field = fields[cf];
    std::optional<std::string> when;
    const Expr& e = *cond[c + 1];
    // "== other option" reads better than "did not answer this option" for a required
    // choice of two.
    bool neg = false;
    const Expr& core = *strip_not(e, neg);
    const auto& options = w_.form_->options_of(field);
    if (field.kind == Kind::Choice && field.required && options.size() == 2 && core.op == Op::Eq &&
        !neg && core.args.size() == 2 && core.args[1].op == Op::Literal) {
      if (const auto* s = std::get_if<std::string>(&core.args[1].value)) {
        const auto& other = options[0].value == *s ? options[1] : options[0];
        when = sub(p_.cit_answered, {ref(cf), quoted(w_.text(other.label))});
      }
    }
    if (!when) when = say(e, Voice::Citizen, true);
    if (!when) continue;
    // The same in the caller's terms, for the phone script.
    std::optional<std::string> caller;
    if (field.kind == Kind::Choice && field.required && options.size() == 2 && core.op == Op::Eq &&
        !neg && core.args.size() == 2 && core.args[1].op == Op::Literal) {
      if (const auto* s = std::get_if<std::string>(&core.args[1].value)) {
        const auto& other = options[0].value == *s ? options[1] : options[0];
        caller = sub(said(Said::Answered, Voice::Caller, cf), {ref(cf), quoted(w_.text(other.label))});
      }
    }
    if (!caller) caller = say(e, Voice::Caller, true);
    SkipWords skip;
    std::uint32_t q = c + 1;
    while (q <= n && cond[q] && key[q] == key[c + 1]) skip.skipped.push_back(q++);
    skip.to = q <= n ? q : 0;
    const std::string target = skip.to ? w_.question_ref(skip.to) : std::string(w_.ui(Ui::EndOfForm));
    skip.text = sub(p_.skip, {*when, target});
    if (caller) skip.agent_text = w_.ui(Ui::ScriptSkip, {*caller, target});
    // Capital first letter: the sentence starts with "If"/"Si", always ASCII.
    w_.fields_[cf].skips.push_back(std::move(skip));
  }
}

// ---- Wording ---------------------------------------------------------------------------------

Wording::Wording(const model::Form& form, std::string_view language) : form_(&form) {
  primary_ = form.languages.empty() ? std::string("en") : form.languages.front();
  language_ = primary_;
  for (const auto& l : form.languages) {
    if (l == language) language_ = l;
  }
  WordingBuilder(*this).build();
}

const std::string& Wording::text(const model::Text& t) const {
  static const std::string none;
  if (auto it = t.find(language_); it != t.end()) return it->second;
  if (auto it = t.find(primary_); it != t.end()) return it->second;
  return t.empty() ? none : t.begin()->second;
}

std::string_view Wording::ui(Ui key) const { return renderers::ui(key, language_); }

std::string Wording::ui(Ui key, std::initializer_list<std::string_view> args) const {
  return renderers::ui(key, language_, args);
}

std::uint32_t Wording::question(FieldId f) const {
  const auto& fields = form_->fields;
  if (f >= fields.size()) return 0;
  if (fields[f].question) return fields[f].question;
  if (!fields[f].part.empty() && fields[f].parent != model::no_field) return fields[fields[f].parent].question;
  return 0;
}

FieldId Wording::field_of_question(std::uint32_t n) const {
  return n >= 1 && n <= by_question_.size() ? by_question_[n - 1] : model::no_field;
}

std::string Wording::question_ref(std::uint32_t n) const {
  return substitute(phrases(language_).question_ref, {std::to_string(n)});
}

std::string Wording::condition(const Expr& e, Voice voice) const {
  WordingBuilder b(const_cast<Wording&>(*this));  // reads only
  if (auto s = b.say(e, voice, false)) return *s;
  return b.plain(e, 0);
}

std::string Wording::expression(const Expr& e) const {
  return WordingBuilder(const_cast<Wording&>(*this)).plain(e, 0);
}

std::string Wording::date(const model::Date& d) const { return date_words(d, language_); }

std::string date_words(const model::Date& d, std::string_view lang) {
  const auto& p = phrases(lang);
  const std::string_view month = d.month >= 1 && d.month <= 12 ? p.months[d.month - 1] : "?";
  return substitute(p.date_words, {month, std::to_string(d.day), std::to_string(d.year)});
}

std::string Wording::number(std::string_view digits, bool money) const {
  if (!money) return group_digits(digits);
  std::string fixed(digits);
  if (auto d = engine::Decimal::parse(digits)) fixed = d->to_fixed(2);
  if (!fixed.empty() && fixed[0] == '-') return "-$" + group_digits(std::string_view(fixed).substr(1));
  return "$" + group_digits(fixed);
}

std::string Wording::duration(const model::Duration& d) const {
  const auto& p = phrases(language_);
  const auto unit = static_cast<std::size_t>(d.unit);
  return std::to_string(d.amount) + " " + std::string(d.amount == 1 ? p.units_one[unit] : p.units_many[unit]);
}

namespace {

/// The names US readers know a zone by ("Eastern Time"); empty when it has none here.
std::string_view zone_words(std::string_view zone, bool spanish) {
  struct Row {
    std::string_view prefix, en, es;
  };
  // Prefixes: America/Indiana/... and America/Kentucky/... are Eastern, America/North_Dakota/...
  // Central. The first match wins.
  static constexpr Row rows[] = {
      {"America/New_York", "Eastern Time", "hora del Este"},
      {"America/Detroit", "Eastern Time", "hora del Este"},
      {"America/Kentucky/", "Eastern Time", "hora del Este"},
      {"America/Indiana/Knox", "Central Time", "hora del Centro"},
      {"America/Indiana/Tell_City", "Central Time", "hora del Centro"},
      {"America/Indiana/", "Eastern Time", "hora del Este"},
      {"America/Chicago", "Central Time", "hora del Centro"},
      {"America/Menominee", "Central Time", "hora del Centro"},
      {"America/North_Dakota/", "Central Time", "hora del Centro"},
      {"America/Denver", "Mountain Time", "hora de la Montaña"},
      {"America/Boise", "Mountain Time", "hora de la Montaña"},
      {"America/Phoenix", "Mountain Time", "hora de la Montaña"},
      {"America/Los_Angeles", "Pacific Time", "hora del Pacífico"},
      {"America/Anchorage", "Alaska Time", "hora de Alaska"},
      {"America/Juneau", "Alaska Time", "hora de Alaska"},
      {"America/Sitka", "Alaska Time", "hora de Alaska"},
      {"America/Nome", "Alaska Time", "hora de Alaska"},
      {"America/Yakutat", "Alaska Time", "hora de Alaska"},
      {"America/Metlakatla", "Alaska Time", "hora de Alaska"},
      {"America/Adak", "Hawaii-Aleutian Time", "hora de Hawái-Aleutianas"},
      {"Pacific/Honolulu", "Hawaii-Aleutian Time", "hora de Hawái-Aleutianas"},
      {"America/Puerto_Rico", "Atlantic Time", "hora del Atlántico"},
      {"America/St_Thomas", "Atlantic Time", "hora del Atlántico"},
      {"Pacific/Guam", "Chamorro Time", "hora de Chamorro"},
      {"Pacific/Saipan", "Chamorro Time", "hora de Chamorro"},
      {"Pacific/Pago_Pago", "Samoa Time", "hora de Samoa"},
      {"UTC", "UTC", "UTC"},
      {"Etc/UTC", "UTC", "UTC"},
  };
  for (const auto& r : rows) {
    const bool match = r.prefix.back() == '/' ? zone.starts_with(r.prefix) : zone == r.prefix;
    if (match) return spanish ? r.es : r.en;
  }
  return {};
}

}  // namespace

std::string Wording::timestamp(std::string_view iso, std::string_view zone_name) const {
  // "YYYY-MM-DDTHH:MM:SS(.fff)Z"
  if (iso.size() < 17 || iso[10] != 'T' || iso.back() != 'Z') return std::string(iso);
  const auto day = engine::parse_date(iso.substr(0, 10));
  if (!day) return std::string(iso);
  const std::string_view hm = iso.substr(11, 5);
  if (hm[2] != ':') return std::string(iso);
  const auto digits = [](std::string_view d) {
    int v = 0;
    for (char c : d) {
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  const int hour = digits(hm.substr(0, 2)), minute = digits(hm.substr(3, 2));
  const int second = iso.size() >= 19 && iso[16] == ':' ? digits(iso.substr(17, 2)) : 0;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return std::string(iso);
  if (zone_name.empty()) zone_name = "America/New_York";
  const auto zone = engine::TimeZone::find(zone_name);
  const std::int64_t utc = engine::days_from_civil(*day) * 86400 + hour * 3600 + minute * 60 + second;
  engine::LocalTime local;
  std::string zone_text;
  const bool spanish = language_ == "es";
  if (zone) {
    local = zone->local(utc);
    zone_text = std::string(zone_words(zone->name(), spanish));
    if (zone_text.empty()) {
      const bool letters = !local.abbreviation.empty() &&
                           std::all_of(local.abbreviation.begin(), local.abbreviation.end(),
                                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
      zone_text = letters ? local.abbreviation : zone->name();
    }
  } else {
    local.year = day->year;
    local.month = static_cast<int>(day->month);
    local.day = static_cast<int>(day->day);
    local.hour = hour;
    local.minute = minute;
    zone_text = "UTC";
  }
  const model::Date local_day{local.year, static_cast<unsigned>(local.month), static_cast<unsigned>(local.day)};
  const int h12 = local.hour % 12 == 0 ? 12 : local.hour % 12;
  std::string clock = std::to_string(h12) + ":" + (local.minute < 10 ? "0" : "") + std::to_string(local.minute);
  clock += local.hour < 12 ? (spanish ? " a. m." : " AM") : (spanish ? " p. m." : " PM");
  return std::string(ui(Ui::TimeInZone, {date(local_day), clock, zone_text}));
}

std::string Wording::literal(const model::Literal& v) const {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return {};
        else if constexpr (std::is_same_v<T, bool>) return std::string(ui(x ? Ui::Yes : Ui::No));
        else if constexpr (std::is_same_v<T, model::Number>) return group_digits(x.digits);
        else if constexpr (std::is_same_v<T, std::string>) return x;
        else if constexpr (std::is_same_v<T, model::Date>) return date(x);
        else return duration(x);
      },
      v);
}

std::string Wording::value(FieldId f, const engine::Value& v) const {
  if (f >= form_->fields.size()) return {};
  const model::Field& field = form_->fields[f];
  auto label_of = [&](const std::string& value) -> std::string {
    for (const auto& o : form_->options_of(field)) {
      if (o.value == value) return text(o.label);
    }
    return value;
  };
  switch (v.type) {
    case engine::ValueType::Blank: case engine::ValueType::Json: return {};  // a member is never shown
    case engine::ValueType::Bool:
      if (field.kind == Kind::Attest) return std::string(ui(v.boolean ? Ui::Agreed : Ui::NotAgreed));
      return std::string(ui(v.boolean ? Ui::Yes : Ui::No));
    case engine::ValueType::Number:
      if (field.kind == Kind::Money) return number(v.number.to_fixed(2), true);
      return number(v.number.to_string());
    case engine::ValueType::Date: return date(v.date);
    case engine::ValueType::Set: {
      std::string s;
      for (const auto& item : v.items) s += (s.empty() ? "" : "; ") + label_of(item);
      return s;
    }
    case engine::ValueType::Text: {
      const std::string& t = v.text;
      const bool digits = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (field.kind == Kind::Choice) return label_of(t);
      if (field.kind == Kind::Ssn && digits && t.size() == 9) return t.substr(0, 3) + "-" + t.substr(3, 2) + "-" + t.substr(5);
      if (field.kind == Kind::Ein && digits && t.size() == 9) return t.substr(0, 2) + "-" + t.substr(2);
      if (field.kind == Kind::Zip && digits && t.size() == 9) return t.substr(0, 5) + "-" + t.substr(5);
      // A US number as Americans write it: "+12025550123" -> "(202) 555-0123". Others keep
      // their international form.
      if (field.kind == Kind::Phone && t.size() == 12 && t.starts_with("+1") &&
          std::all_of(t.begin() + 2, t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return "(" + t.substr(2, 3) + ") " + t.substr(5, 3) + "-" + t.substr(8);
      }
      return t;
    }
  }
  return {};
}

const std::string& Wording::agency_title(std::size_t index) const {
  static const std::string none;
  return index < agency_titles_.size() ? agency_titles_[index] : none;
}

// ---- Submissions -----------------------------------------------------------------------------

namespace {

struct Describer {
  const engine::Plan& plan;
  const engine::Submission& submission;
  const Wording& w;
  const DescribeOptions& options;
  std::vector<AnswerLine> lines;
  std::vector<std::uint32_t> indexes;

  const model::Form& form() const { return plan.form(); }

  std::string masked(const std::string& answer) const {
    std::string tail;
    for (auto it = answer.rbegin(); it != answer.rend() && tail.size() < 4; ++it) {
      if (*it >= '0' && *it <= '9') tail.insert(tail.begin(), *it);
    }
    if (tail.empty()) return "••••";
    return w.ui(Ui::SensitiveEnding, {tail});
  }

  std::string answer_of(FieldId f) const {
    const auto* a = engine::find(plan, submission.answers, f, indexes);
    if (!a || !a->shown) return {};
    std::string s = w.value(f, a->value);
    if (!s.empty() && options.mask_sensitive && form().fields[f].sensitive) s = masked(s);
    return s;
  }

  /// A composite's parts as one answer: "12 Main St, Apt 2, Springfield, IL 62701".
  std::string composite(FieldId f) const {
    const model::Field& field = form().fields[f];
    std::vector<std::pair<std::string_view, std::string>> parts;
    for (FieldId c : field.children) {
      // An address's state is written as its postal code ("TX"), as addresses are.
      std::string v = answer_of(c);
      if (field.kind == Kind::Address && form().fields[c].part == "state" && !v.empty()) {
        if (const auto* a = engine::find(plan, submission.answers, c, indexes)) v = a->value.text;
      }
      if (!v.empty()) parts.emplace_back(form().fields[c].part, std::move(v));
    }
    std::string s;
    if (field.kind == Kind::Address) {
      for (std::size_t i = 0; i < parts.size(); ++i) {
        // "STATE ZIP" share a comma-free pair, as addresses are written.
        const bool zip_after_state = parts[i].first == "zip" && i > 0 && parts[i - 1].first == "state";
        s += (i == 0 ? "" : zip_after_state ? " " : ", ") + parts[i].second;
      }
    } else {
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? " " : "") + parts[i].second;
    }
    return s;
  }

  void field(FieldId f, std::uint32_t depth) {
    const model::Field& field = form().fields[f];
    if (field.kind == Kind::Note || field.kind == Kind::Member) return;  // a member is in no answer list
    const auto* a = engine::find(plan, submission.answers, f, indexes);
    const bool shown = a && a->shown;
    if (!shown && !options.include_not_asked) return;
    AnswerLine line;
    line.field = f;
    line.depth = depth;
    line.path = engine::instance_path(plan, f, indexes);
    line.label = w.field(f).label;
    line.number = field.question;
    switch (field.kind) {
      case Kind::Group:
        for (FieldId c : field.children) this->field(c, depth);
        return;
      case Kind::Repeat: {
        line.kind = AnswerLine::Kind::Entry;
        const std::size_t n = shown ? a->entries.size() : 0;
        if (n == 0) {
          line.answer = std::string(w.ui(Ui::NoEntries));
          lines.push_back(std::move(line));
          return;
        }
        for (std::size_t i = 0; i < n; ++i) {
          AnswerLine entry = line;
          entry.label = w.ui(Ui::EntryN, {w.field(f).label, std::to_string(i + 1)});
          indexes.push_back(static_cast<std::uint32_t>(i));
          entry.path = engine::instance_path(plan, f, indexes);
          lines.push_back(std::move(entry));
          for (FieldId c : field.children) this->field(c, depth + 1);
          indexes.pop_back();
        }
        return;
      }
      case Kind::Address: case Kind::Name:
        line.answer = shown ? composite(f) : std::string();
        break;
      default:
        line.answer = answer_of(f);
        if (field.computed) line.kind = AnswerLine::Kind::Computed;
        break;
    }
    lines.push_back(std::move(line));
  }
};

}  // namespace

std::vector<AnswerLine> describe_submission(const engine::Plan& plan, const engine::Submission& submission,
                                            const Wording& wording, const DescribeOptions& options) {
  Describer d{plan, submission, wording, options, {}, {}};
  const auto& form = plan.form();
  for (std::uint32_t s = 0; s < form.sections.size(); ++s) {
    const std::size_t before = d.lines.size();
    AnswerLine head;
    head.kind = AnswerLine::Kind::Section;
    head.section = s;
    head.label = wording.text(form.sections[s].title);
    d.lines.push_back(std::move(head));
    for (FieldId f : form.sections[s].fields) d.field(f, 0);
    if (d.lines.size() == before + 1) d.lines.pop_back();  // a section with nothing asked
  }
  return std::move(d.lines);
}

std::vector<std::size_t> receiving_agencies(const engine::Plan& plan, const engine::Submission& submission,
                                            const model::Date& today) {
  std::vector<std::size_t> out;
  const engine::EvalContext context{today};
  for (std::size_t i = 0; i < plan.form().agencies.size(); ++i) {
    if (engine::agency_applies(plan, submission, i, context)) out.push_back(i);
  }
  return out;
}

PaperWords paper_words(const Wording& w, const PaperSite& site) {
  const model::Paper& paper = w.form().paper;
  PaperWords out;
  const auto pick = [&](const std::string& deployment, const model::Text& form) {
    return !deployment.empty() ? deployment : w.text(form);
  };
  const std::string address = pick(site.mail_to, paper.mail_to);
  for (std::size_t at = 0; at < address.size();) {
    const std::size_t nl = std::min(address.find('\n', at), address.size());
    if (nl > at) out.mail_to.push_back(address.substr(at, nl - at));
    at = nl + 1;
  }
  const std::string phone = !site.phone.empty() ? site.phone : paper.phone;
  const std::string hours = pick(site.hours, paper.hours);
  if (!phone.empty()) {
    out.help = w.ui(Ui::PaperHelpPhone, {phone});
    if (!hours.empty()) out.help += " " + w.ui(Ui::PaperHelpHours, {hours});
  }
  // The deployment's OMB number comes with its own expiry (config.cpp checks both are given).
  std::optional<model::Date> expires = paper.omb_expires;
  std::string omb = paper.omb_number;
  if (!site.omb_number.empty()) {
    omb = site.omb_number;
    expires.reset();
    const std::string& d = site.omb_expires;
    if (d.size() == 10 && d[4] == '-' && d[7] == '-') {
      expires = model::Date{std::atoi(d.substr(0, 4).c_str()), static_cast<unsigned>(std::atoi(d.substr(5, 2).c_str())),
                            static_cast<unsigned>(std::atoi(d.substr(8, 2).c_str()))};
    }
  }
  if (!omb.empty()) {
    out.omb = w.ui(Ui::PaperOmbNumber, {omb});
    if (expires) out.omb_expires = w.ui(Ui::PaperOmbExpires, {w.date(*expires)});
  }
  out.privacy = pick(site.privacy, paper.privacy);
  if (!site.burden.empty()) {
    out.burden = site.burden;
  } else if (!paper.burden.empty()) {
    out.burden = w.text(paper.burden);
  } else if (paper.burden_minutes > 0) {
    const std::string minutes = std::to_string(paper.burden_minutes);
    out.burden = w.ui(Ui::PaperBurdenStandard, {minutes});
    out.burden_short = w.ui(Ui::PaperBurdenShort, {minutes});
  }
  return out;
}

std::vector<std::string> receipt_agency_lines(const Wording& wording, const ReceiptInfo& receipt) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < receipt.agencies.size(); ++i) {
    const std::size_t a = receipt.agencies[i];
    if (a >= wording.form().agencies.size()) continue;
    if (i >= receipt.deliveries.size()) {
      out.push_back(wording.agency_title(a));
      continue;
    }
    Ui state = Ui::DeliveryPending;
    switch (receipt.deliveries[i]) {
      case Delivery::Pending: state = Ui::DeliveryPending; break;
      case Delivery::Delivered: state = Ui::DeliveryDelivered; break;
      case Delivery::Failed: state = Ui::DeliveryFailed; break;
    }
    const AgencyProgress* progress = i < receipt.progress.size() ? &receipt.progress[i] : nullptr;
    std::string line;
    if (!progress || progress->status.empty()) {
      line = wording.ui(Ui::AgencyState, {wording.agency_title(a), wording.ui(state)});
    } else {
      // What the agency said last, with its date, its tracking number and its message.
      std::string said;
      if (progress->status == "received") said = wording.ui(Ui::StatusReceived);
      else if (progress->status == "in_review") said = wording.ui(Ui::StatusInReview);
      else if (progress->status == "need_info") said = wording.ui(Ui::StatusNeedInfo);
      else if (progress->status == "answered") said = wording.ui(Ui::StatusAnswered);
      else {
        Ui outcome = Ui::OutcomeApproved;
        if (progress->outcome == "denied") outcome = Ui::OutcomeDenied;
        else if (progress->outcome == "partly_approved") outcome = Ui::OutcomePartlyApproved;
        else if (progress->outcome == "withdrawn") outcome = Ui::OutcomeWithdrawn;
        else if (progress->outcome == "referred") outcome = Ui::OutcomeReferred;
        said = wording.ui(Ui::StatusDecided, {wording.ui(outcome)});
      }
      line = wording.ui(Ui::AgencyState, {wording.agency_title(a), said});
      if (!progress->updated.empty()) line += ". " + wording.ui(Ui::StatusUpdated, {wording.timestamp(progress->updated)});
      if (!progress->tracking.empty()) line += ". " + wording.ui(Ui::StatusTracking, {progress->tracking});
      std::string message;
      if (!progress->message_name.empty()) {
        for (const auto& m : wording.form().agencies[a].messages) {
          if (m.name == progress->message_name) message = wording.text(m.text);
        }
      } else if (auto it = progress->message.find(wording.language()); it != progress->message.end()) {
        message = it->second;
      }
      if (!message.empty()) line += ". " + std::string(wording.ui(Ui::StatusMessage)) + " " + message;
    }
    // The promise: the day a decision is due, until there is one; late, what to do.
    if (progress && !progress->due.empty()) {
      std::string due = progress->due;
      if (auto d = engine::parse_date(due)) due = wording.date(*d);
      line += ". " + wording.ui(progress->late ? Ui::StatusLate : Ui::StatusDue, {due});
    }
    if (!line.empty() && line.back() != '.') line += '.';
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace askonce::renderers
