// engine/messages.cpp: the table of default messages, English and Spanish.
#include "engine/messages.hpp"

#include <array>
#include <string>

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
    {Message::WrongType, "V0012", "“{label}” needs {expected}.", "“{label}” necesita {expected}."},
    {Message::MissingEntry, "V0013", "This entry is missing: entries are numbered from 0, without gaps.",
     "Falta esta entrada: las entradas se numeran desde 0, sin saltos."},
    {Message::BadText, "V0014", "“{label}” contains characters that are not allowed.",
     "“{label}” contiene caracteres que no se permiten."},

    {Message::Required, "V0101", "Answer “{label}”.", "Responda “{label}”."},
    {Message::NotTicked, "V0102", "Tick “{label}” to continue.", "Marque “{label}” para continuar."},
    {Message::NoEntries, "V0103", "Add at least one entry to “{label}”.", "Agregue al menos una entrada en “{label}”."},

    {Message::BadDate, "V0201", "“{label}” must be a real date, as year-month-day (2024-02-29).",
     "“{label}” debe ser una fecha real, como año-mes-día (2024-02-29)."},
    // The same mistake from a form post, where the citizen typed a month, a day and a year.
    {Message::BadDateParts, "V0201",
     "“{label}” must be a real date: enter the month, day and year in numbers, like 2, 29 and 2024.",
     "“{label}” debe ser una fecha real: escriba el mes, el día y el año en números, como 2, 29 y 2024."},
    {Message::NotInteger, "V0202", "“{label}” must be a whole number.", "“{label}” debe ser un número entero."},
    {Message::NotNumber, "V0203", "“{label}” must be a number.", "“{label}” debe ser un número."},
    {Message::MoneyDecimals, "V0204", "“{label}” must be an amount in dollars and cents, with at most 2 decimals.",
     "“{label}” debe ser una cantidad en dólares y centavos, con 2 decimales como máximo."},
    {Message::BelowMin, "V0205", "“{label}” must be {min} or more.", "“{label}” debe ser {min} o más."},
    {Message::BelowMinDate, "V0205", "“{label}” must be {min} or later.", "“{label}” debe ser {min} o posterior."},
    {Message::AboveMax, "V0206", "“{label}” must be {max} or less.", "“{label}” debe ser {max} o menos."},
    {Message::AboveMaxDate, "V0206", "“{label}” must be {max} or earlier.", "“{label}” debe ser {max} o anterior."},
    {Message::BadEmail, "V0207", "“{label}” must be an email address, like name@example.com.",
     "“{label}” debe ser una dirección de correo electrónico, como nombre@ejemplo.com."},
    {Message::BadPhone, "V0208",
     "“{label}” must be a phone number: 10 digits in the United States, or + and the country code.",
     "“{label}” debe ser un número de teléfono: 10 dígitos en los Estados Unidos, o + y el código del país."},
    {Message::BadSsn, "V0209", "“{label}” must be a valid Social Security number of 9 digits, like 123-45-6789.",
     "“{label}” debe ser un número de Seguro Social válido de 9 dígitos, como 123-45-6789."},
    {Message::BadEin, "V0210",
     "“{label}” must be a valid Employer Identification Number of 9 digits, like 12-3456789.",
     "“{label}” debe ser un número de identificación del empleador válido de 9 dígitos, como 12-3456789."},
    {Message::BadZip, "V0211", "“{label}” must be a ZIP code of 5 digits, or 9 digits (ZIP+4).",
     "“{label}” debe ser un código postal de 5 dígitos, o de 9 dígitos (ZIP+4)."},
    {Message::BadUrl, "V0212", "“{label}” must be a web address that starts with http:// or https://.",
     "“{label}” debe ser una dirección web que empiece con http:// o https://."},
    {Message::BadYesNo, "V0213", "“{label}” must be yes or no.", "“{label}” debe ser sí o no."},
    {Message::OneLine, "V0214", "“{label}” must be on one line.", "“{label}” debe estar en una sola línea."},
    {Message::IncompleteDate, "V0215", "“{label}” needs a day, a month and a year.",
     "“{label}” necesita día, mes y año."},

    {Message::TooShort, "V0301", "“{label}” must be at least {min} characters long.",
     "“{label}” debe tener al menos {min} caracteres.", "“{label}” must be at least 1 character long.",
     "“{label}” debe tener al menos 1 carácter."},
    {Message::TooLong, "V0302", "“{label}” must be at most {max} characters long.",
     "“{label}” debe tener como máximo {max} caracteres.", "“{label}” must be at most 1 character long.",
     "“{label}” debe tener como máximo 1 carácter."},
    {Message::PatternMismatch, "V0303", "“{label}” is not in the expected format.",
     "“{label}” no tiene el formato esperado."},
    {Message::NotAnOption, "V0304", "“{label}” must be one of the options offered.",
     "“{label}” debe ser una de las opciones ofrecidas."},
    {Message::TooFewTicked, "V0305", "Choose at least {min} options for “{label}”.",
     "Elija al menos {min} opciones en “{label}”.", "Choose at least 1 option for “{label}”.",
     "Elija al menos 1 opción en “{label}”."},
    {Message::TooFewEntries, "V0305", "Add at least {min} entries to “{label}”.",
     "Agregue al menos {min} entradas en “{label}”.", "Add at least 1 entry to “{label}”.",
     "Agregue al menos 1 entrada en “{label}”."},
    {Message::TooManyTicked, "V0306", "Choose at most {max} options for “{label}”.",
     "Elija como máximo {max} opciones en “{label}”.", "Choose at most 1 option for “{label}”.",
     "Elija como máximo 1 opción en “{label}”."},
    {Message::TooManyEntries, "V0306", "Add at most {max} entries to “{label}”.",
     "Agregue como máximo {max} entradas en “{label}”.", "Add at most 1 entry to “{label}”.",
     "Agregue como máximo 1 entrada en “{label}”."},
    {Message::CheckFailed, "V0307", "“{label}” does not meet a rule of this form.",
     "“{label}” no cumple una regla de este formulario."},

    {Message::PatternUnusable, "V0901", "the pattern of “{label}” cannot be used: {expected}",
     "the pattern of “{label}” cannot be used: {expected}"},
};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < std::size(table); ++i) {
    if (static_cast<std::size_t>(table[i].message) != i) return false;
  }
  return true;
}
static_assert(table_in_order(), "messages table must follow the Message enum");

constexpr std::array<std::string_view, 7> expected_en = {
    "a group of answers (an object)", "a list", "text", "a number", "true or false", "a list of options",
    "a date as text (YYYY-MM-DD)"};
constexpr std::array<std::string_view, 7> expected_es = {
    "un grupo de respuestas (un objeto)", "una lista", "texto", "un número", "verdadero o falso",
    "una lista de opciones", "una fecha como texto (AAAA-MM-DD)"};

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

std::string_view localized(const model::Text& text, std::string_view lang, const model::Form& form) {
  if (auto it = text.find(lang); it != text.end()) return it->second;
  if (!form.languages.empty()) {
    if (auto it = text.find(form.languages.front()); it != text.end()) return it->second;
  }
  return text.empty() ? std::string_view() : std::string_view(text.begin()->second);
}

}  // namespace askonce::engine
