// engine/messages.cpp: the table of default messages, English and Spanish.
#include "engine/messages.hpp"

#include <array>
#include <initializer_list>
#include <string>
#include <vector>

namespace askonce::engine {
namespace {

struct Entry {
  Message message;
  std::string_view code;
  std::string_view en;
  std::string_view es;
  std::string_view en_one = {};  // when the number in the message is 1
  std::string_view es_one = {};
};

// Order follows the enum; static_assert below keeps them in step.
constexpr Entry table[] = {
    {Message::InvalidJson, "V0001", "The submission is not valid JSON (line {line}, column {column}).",
     "El envío no es un JSON válido (línea {line}, columna {column})."},
    {Message::TooLarge, "V0002", "The submission is larger than {limit} bytes.",
     "El envío supera los {limit} bytes."},
    {Message::TooDeep, "V0003", "The submission is nested more than {limit} levels deep.",
     "El envío tiene más de {limit} niveles de anidación."},
    {Message::TooManyValues, "V0004", "The submission has more than {limit} answers.",
     "El envío tiene más de {limit} respuestas."},
    {Message::ValueTooLong, "V0005", "This answer is longer than {limit} bytes.",
     "Esta respuesta tiene más de {limit} bytes."},
    {Message::TooManyEntriesInput, "V0006", "This list has more than {limit} entries.",
     "Esta lista tiene más de {limit} entradas."},
    {Message::NotAnObject, "V0007", "The submission must be a JSON object.", "El envío debe ser un objeto JSON."},
    {Message::UnknownField, "V0010", "This form has no question with this name.",
     "Este formulario no tiene ninguna pregunta con este nombre."},
    {Message::Duplicate, "V0011", "This answer is given more than once.", "Esta respuesta se dio más de una vez."},
    {Message::WrongType, "V0012", "{What} needs {expected}.", "{What} necesita {expected}."},
    {Message::MissingEntry, "V0013", "This entry is missing: entries are numbered from 0, without gaps.",
     "Falta esta entrada: las entradas se numeran desde 0, sin saltos."},
    {Message::BadText, "V0014", "{What} contains characters that are not allowed.",
     "{What} contiene caracteres que no se permiten."},
    {Message::BidiText, "V0015",
     "{What} contains a character that changes the direction of text (U+202A to U+202E, U+2066 to U+2069). "
     "Remove it and type the text again.",
     "{What} contiene un carácter que cambia la dirección del texto (U+202A a U+202E, U+2066 a U+2069). "
     "Quítelo y escriba el texto de nuevo."},

    {Message::Required, "V0101", "Enter {what}.", "Escriba {what}."},
    {Message::RequiredSelect, "V0101", "Select {what}.", "Seleccione {what}."},
    {Message::RequiredAnswer, "V0101", "Answer {what}.", "Responda {what}."},
    {Message::NotTicked, "V0102", "Check the box “{label}” to continue.", "Marque la casilla “{label}” para continuar."},
    {Message::NoEntries, "V0103", "Add at least one entry to “{label}”.", "Agregue al menos una entrada en “{label}”."},

    {Message::BadDate, "V0201", "{What} must be a real date, as year-month-day (2024-02-29).",
     "{What} debe ser una fecha real, como año-mes-día (2024-02-29)."},
    // The same mistake from a form post, where the citizen typed a month, a day and a year.
    {Message::BadDateParts, "V0201",
     "{What} must be a real date: enter the month, day and year in numbers, like 2, 29 and 2024.",
     "{What} debe ser una fecha real: escriba el mes, el día y el año en números, como 2, 29 y 2024."},
    {Message::NotInteger, "V0202", "{What} must be a whole number.", "{What} debe ser un número entero."},
    {Message::NotNumber, "V0203", "{What} must be a number.", "{What} debe ser un número."},
    {Message::MoneyDecimals, "V0204", "{What} must be an amount in dollars and cents, with at most 2 decimals.",
     "{What} debe ser una cantidad en dólares y centavos, con 2 decimales como máximo."},
    {Message::BelowMin, "V0205", "{What} must be {min} or more.", "{What} debe ser {min} o más."},
    {Message::BelowMinDate, "V0205", "{What} must be {min} or later.", "{What} debe ser {min} o posterior."},
    {Message::AboveMax, "V0206", "{What} must be {max} or less.", "{What} debe ser {max} o menos."},
    {Message::AboveMaxDate, "V0206", "{What} must be {max} or earlier.", "{What} debe ser {max} o anterior."},
    {Message::BadEmail, "V0207", "{What} must be an email address, like name@example.com.",
     "{What} debe ser una dirección de correo electrónico, como nombre@ejemplo.com."},
    {Message::BadPhone, "V0208",
     "{What} must be a phone number: 10 digits in the United States, or + and the country code.",
     "{What} debe ser un número de teléfono: 10 dígitos en los Estados Unidos, o + y el código del país."},
    {Message::BadSsn, "V0209", "{What} must be a valid Social Security number of 9 digits, like 123-45-6789.",
     "{What} debe ser un número de Seguro Social válido de 9 dígitos, como 123-45-6789."},
    {Message::BadEin, "V0210",
     "{What} must be a valid Employer Identification Number of 9 digits, like 12-3456789.",
     "{What} debe ser un número de identificación del empleador válido de 9 dígitos, como 12-3456789."},
    {Message::BadZip, "V0211", "{What} must be a ZIP code of 5 digits, or 9 digits (ZIP+4).",
     "{What} debe ser un código postal de 5 dígitos, o de 9 dígitos (ZIP+4)."},
    {Message::BadUrl, "V0212", "{What} must be a web address that starts with http:// or https://.",
     "{What} debe ser una dirección web que empiece con http:// o https://."},
    {Message::BadYesNo, "V0213", "{What} must be yes or no.", "{What} debe ser sí o no."},
    {Message::OneLine, "V0214", "{What} must be on one line.", "{What} debe estar en una sola línea."},
    {Message::IncompleteDate, "V0215", "{What} must include {missing}.", "{What} debe incluir {missing}."},

    {Message::TooShort, "V0301", "{What} must be at least {min} characters long.",
     "{What} debe tener al menos {min} caracteres.", "{What} must be at least 1 character long.",
     "{What} debe tener al menos 1 carácter."},
    {Message::TooLong, "V0302", "{What} must be at most {max} characters long.",
     "{What} debe tener como máximo {max} caracteres.", "{What} must be at most 1 character long.",
     "{What} debe tener como máximo 1 carácter."},
    {Message::PatternMismatch, "V0303", "{What} is not in the expected format.",
     "{What} no tiene el formato esperado."},
    {Message::NotAnOption, "V0304", "{What} must be one of the options offered.",
     "{What} debe ser una de las opciones ofrecidas."},
    {Message::TooFewTicked, "V0305", "Choose at least {min} options for {what}.",
     "Elija al menos {min} opciones en {what}.", "Choose at least 1 option for {what}.",
     "Elija al menos 1 opción en {what}."},
    {Message::TooFewEntries, "V0305", "Add at least {min} entries to {what}.",
     "Agregue al menos {min} entradas en {what}.", "Add at least 1 entry to {what}.",
     "Agregue al menos 1 entrada en {what}."},
    {Message::TooManyTicked, "V0306", "Choose at most {max} options for {what}.",
     "Elija como máximo {max} opciones en {what}.", "Choose at most 1 option for {what}.",
     "Elija como máximo 1 opción en {what}."},
    {Message::TooManyEntries, "V0306", "Add at most {max} entries to {what}.",
     "Agregue como máximo {max} entradas en {what}.", "Add at most 1 entry to {what}.",
     "Agregue como máximo 1 entrada en {what}."},
    {Message::CheckFailed, "V0307", "{What} does not meet a rule of this form.",
     "{What} no cumple una regla de este formulario."},

    {Message::PatternUnusable, "V0901", "the pattern of {what} cannot be used: {expected}",
     "the pattern of {what} cannot be used: {expected}"},
};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (static_cast<std::size_t>(table[i].message) != i) return false;
  }
  return true;
}
static_assert(table_in_order(), "messages table must follow the Message enum");

constexpr std::array<std::string_view, 14> expected_en = {
    "a group of answers (an object)", "a list", "text", "a number", "true or false", "a list of options",
    "a date as text (YYYY-MM-DD)", "a whole number", "a list of objects", "a list of lists", "a list of texts",
    "a list of numbers", "a list of whole numbers", "a list of true or false values"};
constexpr std::array<std::string_view, 14> expected_es = {
    "un grupo de respuestas (un objeto)", "una lista", "texto", "un número", "verdadero o falso",
    "una lista de opciones", "una fecha como texto (AAAA-MM-DD)", "un número entero", "una lista de objetos",
    "una lista de listas", "una lista de textos", "una lista de números", "una lista de números enteros",
    "una lista de valores verdadero o falso"};

constexpr auto make_codes() {
  std::array<std::string_view, std::size(table)> codes{};
  std::size_t n = 0;
  for (const auto& e : table) {
    bool seen = false;
    for (std::size_t i = 0; i < n; ++i) seen = seen || codes[i] == e.code;
    if (!seen) codes[n++] = e.code;
  }
  return std::pair{codes, n};
}
constexpr auto codes = make_codes();

}  // namespace

std::string_view code(Message m) { return table[static_cast<std::size_t>(m)].code; }

std::span<const std::string_view> all_codes() { return {codes.first.data(), codes.second}; }

std::string format_message(Message m, std::string_view lang, const MessageArgs& a) {
  const Entry& e = table[static_cast<std::size_t>(m)];
  const bool es = lang == "es";
  const bool one = (!e.en_one.empty()) && (a.min == "1" || (a.min.empty() && a.max == "1"));
  std::string_view t = es ? (one ? e.es_one : e.es) : (one ? e.en_one : e.en);
  std::string out;
  out.reserve(t.size() + a.label.size() + 16);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '{') {
      out += t[i];
      continue;
    }
    const auto close = t.find('}', i);
    const std::string_view name = t.substr(i + 1, close - i - 1);
    if (name == "label") out += a.label;
    else if (name == "what" || name == "What") {
      const std::size_t at = out.size();
      if (a.what.empty()) out.append("“").append(a.label).append("”");
      else out += a.what;
      if (name == "What" && at < out.size() && out[at] >= 'a' && out[at] <= 'z') out[at] = static_cast<char>(out[at] - 32);
    } else if (name == "missing") {
      // "a month and a year" / "el mes y el año"
      static constexpr std::string_view en_parts[3] = {"a month", "a day", "a year"};
      static constexpr std::string_view es_parts[3] = {"el mes", "el día", "el año"};
      std::vector<std::string_view> parts;
      for (int k = 0; k < 3; ++k) {
        if (a.missing & (1u << k)) parts.push_back((es ? es_parts : en_parts)[k]);
      }
      if (parts.empty()) parts.assign(es ? std::begin(es_parts) : std::begin(en_parts), es ? std::end(es_parts) : std::end(en_parts));
      for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k > 0) out += k + 1 == parts.size() ? (es ? " y " : " and ") : ", ";
        out += parts[k];
      }
    }
    else if (name == "min") out += a.min;
    else if (name == "max") out += a.max;
    else if (name == "expected") {
      if (m == Message::PatternUnusable) out += a.min;  // the regex engine's own words
      else out += (es ? expected_es : expected_en)[static_cast<std::size_t>(a.expected)];
    } else if (name == "limit") out += std::to_string(a.limit);
    else if (name == "line") out += std::to_string(a.line);
    else if (name == "column") out += std::to_string(a.column);
    i = close;
  }
  // "Answer “Is this move permanent?”." reads badly: a label's own end punctuation ends it.
  for (std::string_view twice : {"?”.", ".”.", "!”."}) {
    for (auto at = out.find(twice); at != std::string::npos; at = out.find(twice, at)) out.erase(at + twice.size() - 1, 1);
  }
  return out;
}

namespace {

/// "Date you moved" -> "date you moved"; "Social Security number", "VA file number" and
/// "ZIP code" keep their capitals (a name, or an abbreviation).
std::string lower_first(std::string_view s) {
  std::string out(s);
  if (out.size() < 2 || out[0] < 'A' || out[0] > 'Z') return out;
  const auto space = out.find(' ');
  const std::string_view first = std::string_view(out).substr(0, space);
  const bool abbreviation = first.size() > 1 && first[1] >= 'A' && first[1] <= 'Z';
  const bool proper = space != std::string::npos && space + 1 < out.size() && out[space + 1] >= 'A' && out[space + 1] <= 'Z';
  if (!abbreviation && !proper) out[0] = static_cast<char>(out[0] + 32);
  return out;
}

bool starts_with_word(std::string_view s, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (s.size() > w.size() && s.substr(0, w.size()) == w && s[w.size()] == ' ') return true;
  }
  return false;
}

/// A label numbered like a paper form's item ("10. Name of agency", "a. Legal name"): quoted.
bool numbered(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && n < 4 && ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'z'))) ++n;
  return n > 0 && n < s.size() && (s[n] == '.' || s[n] == ')') && (n < 3 || (s[0] >= '0' && s[0] <= '9'));
}

std::string quoted(std::string_view s) { return "“" + std::string(s) + "”"; }

/// A noun phrase with an article: "the date you moved"; "your ..." and "the ..." as they are.
std::string with_article(std::string_view label, std::string_view article) {
  const std::string l = lower_first(label);
  if (starts_with_word(l, {"the", "your", "a", "an", "my"})) return l;
  return std::string(article) + " " + l;
}

}  // namespace

bool is_question_label(std::string_view label) {
  while (!label.empty() && (label.back() == ' ' || label.back() == ':')) label.remove_suffix(1);
  if (!label.empty() && label.back() == '?') return true;
  // A label that already tells what to do ("Type your full name to sign") asks too.
  for (std::string_view verb : {"Type ", "Enter ", "Write ", "Select ", "Choose ", "List ", "Give ", "Tell ", "Add ",
                                "Escriba ", "Seleccione ", "Elija ", "Indique "}) {
    if (label.starts_with(verb)) return true;
  }
  return false;
}

std::string question_phrase(const QuestionWords& q, std::string_view lang) {
  const bool es = lang == "es";
  if (!q.part.empty() && !q.parent_label.empty()) {
    if (es) {
      static constexpr std::pair<std::string_view, std::string_view> articles[] = {
          {"street", "la calle y el número"},  {"street2", "el apartamento, suite o unidad"},
          {"city", "la ciudad"},       {"state", "el estado"},
          {"zip", "el código postal"}, {"first", "el nombre"},
          {"middle", "el segundo nombre"}, {"last", "el apellido"},
          {"suffix", "el sufijo"},
      };
      std::string part = quoted(q.label);
      for (const auto& [name, words] : articles) {
        if (name == q.part) part = std::string(words);
      }
      return part + " de " + quoted(q.parent_label);
    }
    const std::string owner_article = q.in_repeat ? "the" : "your";
    const std::string parent = lower_first(q.parent_label);
    const std::string part = lower_first(q.label);
    if (is_question_label(q.parent_label) || numbered(q.parent_label)) return "the " + part + " in " + quoted(q.parent_label);
    if (q.name_part) {
      // "Full name" -> "your first name"; "Spouse's name" -> "your spouse's first name".
      if (parent == "name" || parent == "full name" || parent == "your name" || parent == "your full name") {
        return owner_article + " " + part;
      }
      for (std::string_view tail : {"'s name", "’s name", "'s full name", "’s full name"}) {
        if (parent.size() > tail.size() && parent.ends_with(tail)) {
          // "spouse's": the label without its last word, or its last two.
          const std::size_t cut = parent.size() - tail.size() + tail.find(' ');
          return with_article(std::string_view(parent).substr(0, cut), owner_article) + " " + part;
        }
      }
    }
    return "the " + part + " of " + with_article(parent, owner_article);
  }
  if (es || is_question_label(q.label) || numbered(q.label)) return quoted(q.label);
  return with_article(q.label, "the");
}

std::string_view localized(const model::Text& text, std::string_view lang, const model::Form& form) {
  if (auto it = text.find(lang); it != text.end()) return it->second;
  if (!form.languages.empty()) {
    if (auto it = text.find(form.languages.front()); it != text.end()) return it->second;
  }
  return text.empty() ? std::string_view() : std::string_view(text.begin()->second);
}

}  // namespace askonce::engine
