// tests/engine_tests.cpp: submissions through the engine's public interface: JSON and flat
// form fields in, errors or a canonical document out.
#define BOOST_TEST_MODULE engine_tests
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>

#include "engine/evaluate.hpp"
#include "engine/messages.hpp"
#include "engine/normalize.hpp"
#include "engine/paper_code.hpp"
#include "engine/plan.hpp"
#include "engine/reuse.hpp"
#include "engine/time_zone.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "tests/test_support.hpp"

namespace e = askonce::engine;
using askonce::model::Date;

namespace {

e::Plan plan_of_file(const std::string& path) {
  auto r = askonce::dsl::compile_file(path);
  BOOST_REQUIRE_MESSAGE(r.form, askonce::dsl::format_diagnostics(r));
  return e::Plan(std::move(*r.form));
}

e::Plan plan_of_text(const std::string& text) {
  auto r = askonce::dsl::compile_text("forms/engine-test.form", text);
  BOOST_REQUIRE_MESSAGE(r.form, askonce::dsl::format_diagnostics(r));
  return e::Plan(std::move(*r.form));
}

const e::Context may1 = e::Context::on(Date{2024, 5, 1}, "en", "web");

/// "path CODE" for each error.
std::vector<std::string> codes(const e::Result& r) {
  std::vector<std::string> out;
  for (const auto& err : r.errors) out.push_back(err.path + " " + err.code);
  return out;
}

/// The canonical value of top-level answers in the document: crude but exact substring checks.
bool has(const e::Result& r, const std::string& fragment) {
  return r.submission.canonical_json.find(fragment) != std::string::npos;
}

// ---- values ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(decimals_are_exact) {
  auto d = [](const char* s) { return *e::Decimal::parse(s); };
  BOOST_TEST(e::add(d("0.1"), d("0.2"))->to_string() == "0.3");
  BOOST_TEST(e::add(d("999999999999.99"), d("0.01"))->to_string() == "1000000000000");
  BOOST_TEST(d("12.50").to_string() == "12.5");
  BOOST_TEST(d("12.5").to_fixed(2) == "12.50");
  BOOST_TEST(d("1.005").to_fixed(2) == "1.00");  // half to even
  BOOST_TEST(d("1.015").to_fixed(2) == "1.02");
  BOOST_TEST(e::div(d("1"), d("3"))->to_string() == "0.33333333333333333333");
  BOOST_TEST(e::div(d("10"), d("4"))->to_string() == "2.5");
  BOOST_TEST(!e::div(d("1"), d("0")));
  BOOST_TEST(e::mul(d("1.1"), d("1.1"))->to_string() == "1.21");
  BOOST_TEST((d("2.10") == d("2.1")));
  BOOST_TEST((d("-0.5") < d("0.3")));
  BOOST_TEST((d("-1.5") < d("-1.2")));
  BOOST_TEST(d("1.000").decimals() == 0);
  BOOST_TEST(d("1.230").decimals() == 2);
  BOOST_TEST(!e::Decimal::parse("1e3"));
  BOOST_TEST(e::Decimal::parse("1e3", true)->to_string() == "1000");
  BOOST_TEST(e::Decimal::parse("-2.5E-1", true)->to_string() == "-0.25");
  BOOST_TEST(!e::Decimal::parse("01"));
  BOOST_TEST(!e::Decimal::parse("1."));
  BOOST_TEST(!e::Decimal::parse("1e999999", true));
  BOOST_TEST(!e::Decimal::parse("1234567890123456789012345678901234567"));  // 37 digits
  BOOST_TEST(d("-0.0").to_string() == "0");
}

BOOST_AUTO_TEST_CASE(dates_are_real_calendar_dates) {
  BOOST_TEST(!e::parse_date("2023-02-29"));
  BOOST_TEST(e::parse_date("2024-02-29").has_value());
  BOOST_TEST(!e::parse_date("1900-02-29"));
  BOOST_TEST(e::parse_date("2000-02-29").has_value());
  BOOST_TEST(!e::parse_date("2024-04-31"));
  BOOST_TEST(!e::parse_date("2024-4-01"));
  BOOST_TEST(!e::parse_date("0000-01-01"));
  using U = askonce::model::DurationUnit;
  const auto plus = [](const char* d, std::int64_t n, U u, int sign = 1) {
    return e::to_iso(*e::add(*e::parse_date(d), askonce::model::Duration{n, u}, sign));
  };
  BOOST_TEST(plus("2024-01-31", 1, U::Months) == "2024-02-29");
  BOOST_TEST(plus("2023-01-31", 1, U::Months) == "2023-02-28");
  BOOST_TEST(plus("2024-02-29", 1, U::Years) == "2025-02-28");
  BOOST_TEST(plus("2024-03-31", 1, U::Months, -1) == "2024-02-29");
  BOOST_TEST(plus("2024-05-01", 30, U::Days) == "2024-05-31");
  BOOST_TEST(plus("2024-12-25", 2, U::Weeks) == "2025-01-08");
  BOOST_TEST(e::whole_years(*e::parse_date("2006-05-02"), *e::parse_date("2024-05-01")) == 17);
  BOOST_TEST(e::whole_years(*e::parse_date("2006-05-01"), *e::parse_date("2024-05-01")) == 18);
}

BOOST_AUTO_TEST_CASE(canonical_values) {
  BOOST_TEST(*e::canonical_phone("(202) 555-0123") == "+12025550123");
  BOOST_TEST(*e::canonical_phone("1-202-555-0123") == "+12025550123");
  BOOST_TEST(*e::canonical_phone("+44 20 7946 0958") == "+442079460958");
  BOOST_TEST(!e::canonical_phone("555-0123"));
  BOOST_TEST(!e::canonical_phone("+1 123 555 0123"));  // a US area code never starts with 1
  BOOST_TEST(!e::canonical_phone("+1 202 155 0123"));  // nor an exchange
  BOOST_TEST(!e::canonical_phone("+0123456789"));
  BOOST_TEST(!e::canonical_phone("+1234567890123456"));  // 16 digits: longer than E.164 allows
  BOOST_TEST(!e::canonical_phone("202-555-0123 ext 4"));
  BOOST_TEST(*e::canonical_ssn("123-45-6789") == "123456789");
  for (const char* bad : {"000-45-6789", "666-45-6789", "900-45-6789", "999-45-6789", "123-00-6789", "123-45-0000",
                          "12345678", "1234567890", "12a456789"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!e::canonical_ssn(bad)); }
  }
  BOOST_TEST(*e::canonical_ssn("899-99-9999") == "899999999");
  BOOST_TEST(*e::canonical_ein("12-3456789") == "123456789");
  for (const char* bad : {"00-1234567", "07-1234567", "89-1234567", "12-345678", "12-34567890"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!e::canonical_ein(bad)); }
  }
  BOOST_TEST(*e::canonical_zip("12345") == "12345");
  BOOST_TEST(*e::canonical_zip("12345-6789") == "123456789");
  BOOST_TEST(*e::canonical_zip("123456789") == "123456789");
  for (const char* bad : {"1234", "123456", "1234-56789", "ABCDE"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!e::canonical_zip(bad)); }
  }
  BOOST_TEST(*e::canonical_email("Ana.Nunez@Example.GOV") == "Ana.Nunez@example.gov");
  for (const char* bad : {"a@b", "a..b@c.com", ".a@c.com", "a.@c.com", "a b@c.com", "@c.com", "a@-c.com", "a@c..com"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!e::canonical_email(bad)); }
  }
  BOOST_TEST(*e::canonical_url("HTTPS://Example.GOV/Path?q=1") == "https://example.gov/Path?q=1");
  BOOST_TEST(*e::canonical_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x");
  for (const char* bad : {"ftp://example.gov", "https://", "example.gov", "https://exa mple.gov", "https://x.gov:99999",
                          "javascript:alert(1)"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!e::canonical_url(bad)); }
  }
}

BOOST_AUTO_TEST_CASE(bidirectional_overrides_and_isolates_are_refused) {
  // "invoice\u202Efdp.exe" shows as "invoiceexe.pdf": every override and isolate is refused,
  // in the slow path (non-ASCII) as the other control characters are.
  for (const char* cp : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}) {
    std::string t = std::string("invoice") + cp + "fdp.exe";
    BOOST_TEST_CONTEXT(t) { BOOST_TEST((e::canonical_text(t, false) == e::TextProblem::Bidi)); }
  }
  // The marks that only hint a direction (U+200E, U+200F) and Arabic or Hebrew text are fine.
  std::string rtl = "\u05e9\u05dc\u05d5\u05dd \u200f";
  BOOST_TEST((e::canonical_text(rtl, false) == e::TextProblem::None));

  const auto plan = plan_of_file("forms/change-of-address.form");
  const std::string sent = R"({"signature": "invoice\u202Efdp.exe"})";
  const auto r = e::validate_json(plan, sent, may1);
  bool found = false;
  for (const auto& err : r.errors) {
    if (err.path != "signature") continue;
    found = true;
    BOOST_TEST(err.code == "V0015");
    BOOST_TEST(err.message.starts_with("“Type your full name to sign” contains a character that changes the direction of text"));
  }
  BOOST_TEST(found);
  const auto es = e::validate_json(plan, sent, e::Context::on(Date{2024, 5, 1}, "es", "web"));
  found = false;
  for (const auto& err : es.errors) {
    if (err.path != "signature") continue;
    found = true;
    BOOST_TEST(err.message.find("contiene un carácter que cambia la dirección del texto") != std::string::npos);
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(date_errors_name_the_date_and_the_parts_missing) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  const std::vector<std::pair<std::string, std::string>> fields = {{"move_date.month", "4"}, {"move_date.day", ""}, {"move_date.year", ""}};
  const auto r = e::validate_form_fields(plan, fields, may1);
  std::string message;
  for (const auto& err : r.errors) {
    if (err.path == "move_date") message = err.message;
  }
  BOOST_TEST(message == "“Date you moved” must include a day and a year.");
  const auto es = e::validate_form_fields(plan, fields, e::Context::on(Date{2024, 5, 1}, "es", "web"));
  for (const auto& err : es.errors) {
    if (err.path == "move_date") message = err.message;
  }
  BOOST_TEST(message == "“Fecha de la mudanza” debe incluir el día y el año.");
  const std::vector<std::pair<std::string, std::string>> bad = {{"move_date.month", "2"}, {"move_date.day", "30"}, {"move_date.year", "2024"}};
  for (const auto& err : e::validate_form_fields(plan, bad, may1).errors) {
    if (err.path == "move_date") message = err.message;
  }
  BOOST_TEST(message == "“Date you moved” must be a real date: enter the month, day and year in numbers, like 2, 29 and 2024.");
}

BOOST_AUTO_TEST_CASE(questions_are_named_in_sentences) {
  using Q = e::QuestionWords;
  BOOST_TEST(e::question_phrase(Q{.label = "Date you moved"}, "en") == "the date you moved");
  BOOST_TEST(e::question_phrase(Q{.label = "Social Security number"}, "en") == "the Social Security number");
  BOOST_TEST(e::question_phrase(Q{.label = "VA file number"}, "en") == "the VA file number");
  BOOST_TEST(e::question_phrase(Q{.label = "Your monthly income"}, "en") == "your monthly income");
  BOOST_TEST(e::question_phrase(Q{.label = "Is this move permanent?"}, "en") == "“Is this move permanent?”");
  BOOST_TEST(e::question_phrase(Q{.label = "10. Name of federal agency"}, "en") == "“10. Name of federal agency”");
  BOOST_TEST(e::question_phrase(Q{.label = "ZIP code", .parent_label = "Old address", .part = "zip"}, "en") ==
             "the ZIP code of your old address");
  BOOST_TEST(e::question_phrase(Q{.label = "ZIP code", .parent_label = "Old address", .part = "zip", .in_repeat = true}, "en") ==
             "the ZIP code of the old address");
  BOOST_TEST(e::question_phrase(Q{.label = "First name", .parent_label = "Spouse's name", .part = "first", .name_part = true}, "en") ==
             "your spouse's first name");
  BOOST_TEST(e::question_phrase(Q{.label = "Last name", .parent_label = "Name", .part = "last", .name_part = true, .in_repeat = true}, "en") ==
             "the last name");
  BOOST_TEST(e::question_phrase(Q{.label = "Ciudad", .parent_label = "Dirección nueva", .part = "city"}, "es") ==
             "la ciudad de “Dirección nueva”");
  BOOST_TEST(e::question_phrase(Q{.label = "Fecha de nacimiento"}, "es") == "“Fecha de nacimiento”");
}

BOOST_AUTO_TEST_CASE(text_is_trimmed_and_nfc) {
  std::string t = "\u00a0 Nun\u0303ez \t";
  BOOST_TEST((e::canonical_text(t, false) == e::TextProblem::None));
  BOOST_TEST(t == "Nu\u00f1ez");
  std::string lines = "a\r\nb\rc";
  BOOST_TEST((e::canonical_text(lines, true) == e::TextProblem::None));
  BOOST_TEST(lines == "a\nb\nc");
  std::string one = "a\nb";
  BOOST_TEST((e::canonical_text(one, false) == e::TextProblem::LineBreak));
  std::string bad = "a\xff";
  BOOST_TEST((e::canonical_text(bad, false) == e::TextProblem::NotText));
  std::string nul("a\0b", 3);
  BOOST_TEST((e::canonical_text(nul, false) == e::TextProblem::NotText));
  BOOST_TEST(e::code_points("ñ") == 1);
  BOOST_TEST(e::code_points("😀") == 1);
}

// ---- a form with every type ---------------------------------------------------------------

const char* types_form = R"(
form types {
  title "Types" es "Tipos"
  version 1
  languages en es
  section s "S" es "S" {
    text t "Short text" es "Texto corto" { max 3 }
    text code "Code" es "Código" {
      pattern "[A-Z]{2}[0-9]" "Two capitals and a digit." es "Dos mayúsculas y un dígito."
    }
    longtext notes "Notes" es "Notas" { min 2 max 10 }
    integer n "Number" es "Número" { min 1 max 10 }
    decimal ratio "Ratio" es "Razón" { min 0.5 max 1.5 }
    money amount "Amount" es "Cantidad" { min 0 max 999999999999.99 }
    date day "Day" es "Día" { min 2000-01-01 max 2030-12-31 }
    email mail "Mail" es "Correo"
    email own "Own address" es "Dirección propia" {
      pattern "[^@\\s]+@[^@\\s]+" "An address with one @." es "Una dirección con una @."
    }
    phone tel "Phone" es "Teléfono"
    ssn ssn "SSN" es "SSN"
    ein ein "EIN" es "EIN"
    zip zip "ZIP" es "ZIP"
    url site "Site" es "Sitio"
    yesno ok "OK?" es "¿OK?"
    choice size "Size" es "Talla" { option S "Small" es "Pequeña" option L "Large" es "Grande" }
    choices colours "Colours" es "Colores" {
      min 2
      max 2
      option red "Red" es "Rojo"
      option green "Green" es "Verde"
      option blue "Blue" es "Azul"
    }
    repeat kids "Kid" es "Niño" {
      min 1
      max 2
      text kid_name "Kid name" es "Nombre" { required }
    }
    attest agree "I agree" es "Acepto" { required }
  }
}
)";

const std::string types_base = R"("agree": true, "kids": [{"kid_name": "A"}])";

struct Types {
  e::Plan plan = plan_of_text(types_form);
  e::Result run(const std::string& member, const std::string& lang = "en") const {
    const std::string json = "{" + types_base + (member.empty() ? "" : ", " + member) + "}";
    return e::validate_json(plan, json, e::Context::on(Date{2024, 5, 1}, lang, "api"));
  }
  /// The one error code the member gets, or "" when it passes.
  std::string code(const std::string& member) const {
    const auto r = run(member);
    if (r.errors.empty()) return "";
    BOOST_TEST(r.errors.size() == 1u, member << ": " << e::format_errors(r.errors));
    return r.errors[0].code;
  }
  /// The canonical JSON fragment for the member, when it passes.
  std::string canonical(const std::string& member) const {
    const auto r = run(member);
    BOOST_TEST(r.ok(), member << ": " << e::format_errors(r.errors));
    const std::string& doc = r.submission.canonical_json;
    const auto at = doc.find("\"answers\":{") + 11;
    const auto end = doc.find(",\"kids\"", at);
    return doc.substr(at, end - at);
  }
};

BOOST_AUTO_TEST_CASE(the_minimal_submission_passes) {
  Types t;
  const auto r = t.run("");
  BOOST_TEST(r.ok(), e::format_errors(r.errors));
  BOOST_TEST(r.submission.canonical_json.find("\"answers\":{\"kids\":[{\"kid_name\":\"A\"}],\"agree\":true}") !=
             std::string::npos, r.submission.canonical_json);
}

BOOST_AUTO_TEST_CASE(length_counts_code_points) {
  Types t;
  BOOST_TEST(t.code(R"("t": "ñññ")") == "");
  BOOST_TEST(t.code(R"("t": "😀😀😀")") == "");
  BOOST_TEST(t.code(R"("t": "n\u0303n\u0303n\u0303")") == "");  // NFC first: 3 code points
  BOOST_TEST(t.code(R"("t": "abcd")") == "V0302");
  BOOST_TEST(t.code(R"("t": "  abc  ")") == "");  // trimmed first
  BOOST_TEST(t.code(R"("notes": "a")") == "V0301");
  BOOST_TEST(t.code(R"("notes": "a\nb")") == "");
  BOOST_TEST(t.code(R"("t": "a\nb")") == "V0214");
  BOOST_TEST(t.code(R"("t": "a\u0000b")") == "V0014");
  BOOST_TEST(t.canonical(R"("t": "  ñ ")") == R"("t":"ñ")");
}

BOOST_AUTO_TEST_CASE(patterns_match_the_whole_value_with_the_forms_message) {
  Types t;
  BOOST_TEST(t.code(R"("code": "AB1")") == "");
  BOOST_TEST(t.code(R"("code": "AB12")") == "V0303");
  BOOST_TEST(t.code(R"("code": "xAB1")") == "V0303");
  BOOST_TEST(t.run(R"("code": "ab1")").errors.at(0).message == "Two capitals and a digit.");
  BOOST_TEST(t.run(R"("code": "ab1")", "es").errors.at(0).message == "Dos mayúsculas y un dígito.");
}

BOOST_AUTO_TEST_CASE(an_email_with_a_pattern_is_checked_by_the_pattern_not_the_kind) {
  Types t;
  // The kind alone: a dot-atom and a host name, the domain lower-cased.
  BOOST_TEST(t.code(R"("mail": "ana..b@x")") == "V0207");
  BOOST_TEST(t.code(R"("mail": "josé@example.com")") == "V0207");
  BOOST_TEST(t.canonical(R"("mail": "Ana@Example.COM")") == R"("mail":"Ana@example.com")");
  // With a pattern, the pattern decides, with its own message; the address is kept as typed.
  BOOST_TEST(t.code(R"("own": "ana..b@x")") == "");
  BOOST_TEST(t.code(R"("own": "josé@example.com")") == "");
  BOOST_TEST(t.canonical(R"("own": "  José@Example.COM ")") == R"("own":"José@Example.COM")");
  BOOST_TEST(t.code(R"("own": "ana@b@c")") == "V0303");
  BOOST_TEST(t.code(R"("own": "ana")") == "V0303");
  BOOST_TEST(t.run(R"("own": "ana")").errors.at(0).message == "An address with one @.");
  BOOST_TEST(t.run(R"("own": "ana")", "es").errors.at(0).message == "Una dirección con una @.");
  BOOST_TEST(t.code(R"("own": 12)") == "V0012");  // still a text
}

BOOST_AUTO_TEST_CASE(a_rule_of_one_alternative_is_judged_only_where_its_condition_holds) {
  // `pattern ... if EXPR`, `check ... if EXPR` (docs/dsl.md, "Rules that apply in one case"):
  // each entry of a repeat chooses for itself; blank is false, so an unanswered country
  // chooses no alternative but the one that says `is_blank`; a hidden field's rules do not apply.
  const auto plan = plan_of_text(R"(form rep {
  title "R" es "R"
  version 1
  languages en es
  section s "S" es "S" {
    repeat people "Person" es "Persona" {
      choice country "Country" es "País" {
        option USA "United States" es "Estados Unidos"
        option CAN "Canada" es "Canadá"
      }
      text zip "Postal code" es "Código postal" {
        pattern "[0-9]{5}" "Enter 5 digits." es "Escriba 5 dígitos." if country == "USA"
        check length(zip) <= 3 "At most 3." es "Como mucho 3." if is_blank(country)
      }
    }
  }
}
)");
  const auto run = [&](const std::string& json, const std::string& lang = "en") {
    return e::validate_json(plan, json, e::Context::on(Date{2024, 5, 1}, lang, "web"));
  };
  auto r = run(R"({"people": [{"country": "USA", "zip": "K1A"}, {"country": "CAN", "zip": "K1A 0B1"},
                              {"zip": "abc"}, {"zip": "abcd"}, {"country": "USA", "zip": "12345"}]})");
  BOOST_REQUIRE(r.errors.size() == 2u);
  BOOST_TEST(r.errors[0].path == "people[0].zip");
  BOOST_TEST(r.errors[0].code == "V0303");
  BOOST_TEST(r.errors[0].message == "Enter 5 digits.");
  BOOST_TEST(r.errors[1].path == "people[3].zip");
  BOOST_TEST(r.errors[1].code == "V0307");
  BOOST_TEST(run(R"({"people": [{"country": "USA", "zip": "K1A"}]})", "es").errors.at(0).message == "Escriba 5 dígitos.");
}

BOOST_AUTO_TEST_CASE(an_optional_yes_no_is_yes_no_or_unanswered) {
  const auto plan = plan_of_text(R"(form prefs {
  title "Prefs"
  version 1
  languages en
  section s "S" {
    yesno veteran "Are you a veteran?"
    yesno news "May we write to you?" { required if veteran unanswered "No answer" }
    yesno asked_no "Asked when news is no" { show if news == false }
    yesno asked_blank "Asked when news is unanswered" { show if is_blank(news) }
  }
})");
  const auto json = [&](const std::string& j) { return e::validate_json(plan, j, may1); };
  const auto form = [&](const std::vector<std::pair<std::string, std::string>>& f) {
    return e::validate_form_fields(plan, f, may1);
  };
  // Three states in JSON: true, false, and the member left out or null.
  BOOST_TEST(json(R"({"news": true})").ok());
  BOOST_TEST(json(R"({"news": false})").ok());
  BOOST_TEST(json(R"({"news": null})").ok());
  BOOST_TEST(json(R"({})").ok());
  BOOST_TEST(codes(json(R"({"news": "maybe"})")) == (std::vector<std::string>{"news V0012"}));
  // The page's third radio posts an empty value: no answer, distinct from no.
  const auto blank = form({{"news", ""}, {"asked_no", "yes"}, {"asked_blank", "yes"}});
  BOOST_TEST(blank.ok(), e::format_errors(blank.errors));
  BOOST_TEST(has(blank, "\"asked_blank\":true"));
  BOOST_TEST(!has(blank, "\"asked_no\""));  // not shown, so not kept
  const auto no = form({{"news", "no"}, {"asked_no", "yes"}, {"asked_blank", "yes"}});
  BOOST_TEST(has(no, "\"news\":false"));
  BOOST_TEST(has(no, "\"asked_no\":true"));
  BOOST_TEST(!has(no, "\"asked_blank\""));
  // Required under a condition: when it holds, the third choice is no answer, and refused.
  BOOST_TEST(codes(form({{"veteran", "yes"}, {"news", ""}})) == (std::vector<std::string>{"news V0101"}));
  BOOST_TEST(form({{"veteran", "yes"}, {"news", "no"}}).ok());
}

BOOST_AUTO_TEST_CASE(numbers_and_their_ranges) {
  Types t;
  BOOST_TEST(t.code(R"("n": 10)") == "");
  BOOST_TEST(t.code(R"("n": 1)") == "");
  BOOST_TEST(t.code(R"("n": 11)") == "V0206");
  BOOST_TEST(t.code(R"("n": 0)") == "V0205");
  BOOST_TEST(t.code(R"("n": 2.5)") == "V0202");
  BOOST_TEST(t.code(R"("n": "3")") == "V0012");
  BOOST_TEST(t.canonical(R"("n": 3.0)") == R"("n":"3")");
  BOOST_TEST(t.canonical(R"("n": 1e1)") == R"("n":"10")");
  BOOST_TEST(t.canonical(R"("ratio": 1.50)") == R"("ratio":"1.5")");
  BOOST_TEST(t.code(R"("ratio": 0.4999)") == "V0205");
  BOOST_TEST(t.code(R"("amount": 999999999999.99)") == "");
  BOOST_TEST(t.code(R"("amount": 1000000000000)") == "V0206");
  BOOST_TEST(t.code(R"("amount": 1.005)") == "V0204");
  BOOST_TEST(t.code(R"("amount": -0.01)") == "V0205");
  BOOST_TEST(t.canonical(R"("amount": 12.5)") == R"("amount":"12.50")");
  BOOST_TEST(t.canonical(R"("amount": 1.000)") == R"("amount":"1.00")");
  BOOST_TEST(t.canonical(R"("amount": 0.1)") == R"("amount":"0.10")");
}

BOOST_AUTO_TEST_CASE(dates_and_their_ranges) {
  Types t;
  BOOST_TEST(t.code(R"("day": "2024-02-29")") == "");
  BOOST_TEST(t.code(R"("day": "2023-02-29")") == "V0201");
  BOOST_TEST(t.code(R"("day": "2024-2-29")") == "V0201");
  BOOST_TEST(t.code(R"("day": 20240229)") == "V0012");
  BOOST_TEST(t.code(R"("day": "1999-12-31")") == "V0205");
  BOOST_TEST(t.code(R"("day": "2000-01-01")") == "");
  BOOST_TEST(t.code(R"("day": "2031-01-01")") == "V0206");
}

BOOST_AUTO_TEST_CASE(type_checks_of_identifiers_and_addresses) {
  Types t;
  BOOST_TEST(t.code(R"("ssn": "000-12-3456")") == "V0209");
  BOOST_TEST(t.code(R"("ssn": "666-12-3456")") == "V0209");
  BOOST_TEST(t.code(R"("ssn": "912-12-3456")") == "V0209");
  BOOST_TEST(t.canonical(R"("ssn": "123-45-6789")") == R"("ssn":"123456789")");
  BOOST_TEST(t.code(R"("ein": "07-1234567")") == "V0210");
  BOOST_TEST(t.canonical(R"("ein": "12-3456789")") == R"("ein":"123456789")");
  BOOST_TEST(t.code(R"("zip": "1234")") == "V0211");
  BOOST_TEST(t.canonical(R"("zip": "12345-6789")") == R"("zip":"123456789")");
  BOOST_TEST(t.code(R"("tel": "555-0123")") == "V0208");
  BOOST_TEST(t.canonical(R"("tel": "+44 20 7946 0958")") == R"("tel":"+442079460958")");
  BOOST_TEST(t.canonical(R"("tel": "202.555.0123")") == R"("tel":"+12025550123")");
  BOOST_TEST(t.code(R"("mail": "a@b")") == "V0207");
  BOOST_TEST(t.code(R"("site": "ftp://x.gov")") == "V0212");
  BOOST_TEST(t.code(R"("ok": "yes")") == "V0012");
  BOOST_TEST(t.code(R"("ok": false)") == "");
}

BOOST_AUTO_TEST_CASE(options_counts_and_attest) {
  Types t;
  BOOST_TEST(t.code(R"("size": "M")") == "V0304");
  BOOST_TEST(t.code(R"("size": "S")") == "");
  BOOST_TEST(t.code(R"("colours": ["red"])") == "V0305");
  BOOST_TEST(t.code(R"("colours": ["red", "green", "blue"])") == "V0306");
  BOOST_TEST(t.code(R"("colours": ["red", "purple"])") == "V0304");
  BOOST_TEST(t.code(R"("colours": "red")") == "V0012");
  BOOST_TEST(t.canonical(R"("colours": ["blue", "red", "blue"])") == R"("colours":["red","blue"])");
  BOOST_TEST(t.code(R"("colours": [])") == "");  // nothing ticked is blank; blank is not counted
  const auto none = e::validate_json(t.plan, R"({"agree": true, "kids": []})", may1);
  BOOST_TEST(codes(none) == std::vector<std::string>{"kids V0305"}, boost::test_tools::per_element());
  const auto three = e::validate_json(t.plan, R"({"agree": true, "kids": [{"kid_name": "A"}, {"kid_name": "B"}, {"kid_name": "C"}]})", may1);
  BOOST_TEST(codes(three) == std::vector<std::string>{"kids V0306"}, boost::test_tools::per_element());
  const auto unticked = e::validate_json(t.plan, R"({"agree": false, "kids": [{"kid_name": "A"}]})", may1);
  BOOST_TEST(codes(unticked) == std::vector<std::string>{"agree V0102"}, boost::test_tools::per_element());
  const auto absent = e::validate_json(t.plan, R"({"kids": [{}]})", may1);
  BOOST_TEST(codes(absent) == (std::vector<std::string>{"kids[0].kid_name V0101", "agree V0102"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(messages_in_english_and_spanish) {
  Types t;
  BOOST_TEST(t.run(R"("n": 11)").errors.at(0).message == "“Number” must be 10 or less.");
  BOOST_TEST(t.run(R"("n": 11)", "es").errors.at(0).message == "“Número” debe ser 10 o menos.");
  BOOST_TEST(t.run(R"("t": "abcd")", "es").errors.at(0).message == "“Texto corto” debe tener como máximo 3 caracteres.");
  BOOST_TEST(t.run(R"("ok": 1)").errors.at(0).message == "“OK?” needs true or false.");
  BOOST_TEST(t.run(R"("colours": ["red"])").errors.at(0).message == "Choose at least 2 options for “Colours”.");
  // A language the form does not offer falls back to its primary language.
  const auto fr = t.run(R"("n": 11)", "fr");
  BOOST_TEST(fr.errors.at(0).message == "“Number” must be 10 or less.");
}

// ---- change of address: both ways in, hidden and computed fields ---------------------------

const std::string coa_json = R"({
  "person": {"name": {"first": " Ana ", "last": "Nun\u0303ez"}, "birth_date": "1980-02-29", "ssn": "123-45-6789"},
  "contact": {"email": "ana@Example.COM", "phone": "(202) 555-0123", "preferred_method": "email"},
  "old_address": {"street": "1 Main St", "city": "Springfield", "state": "il", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "IL", "zip": "62702-1234"},
  "move_date": "2024-04-20",
  "kind": "permanent",
  "return_date": "2023-02-29",
  "filed_jointly": false,
  "veteran": false,
  "va_file_number": "not digits",
  "forward_mail": true,
  "usps_move_type": "individual",
  "household": [{"full_name": "Bo", "birth_date": "2010-01-01"}, {"full_name": "Cy", "birth_date": "2012-06-30"}],
  "household_size": 99,
  "truthful": true,
  "signature": "Ana Núñez"
})";

const std::vector<std::pair<std::string, std::string>> coa_flat = {
    {"person.name.first", " Ana "}, {"person.name.last", "Nun\u0303ez"},
    {"person.birth_date.month", "2"}, {"person.birth_date.day", "29"}, {"person.birth_date.year", "1980"},
    {"person.ssn", "123 45 6789"},
    {"contact.email", "ana@Example.COM"}, {"contact.phone", "202-555-0123"}, {"contact.preferred_method", "email"},
    {"contact.phone_type", ""},
    {"old_address.street", "1 Main St"}, {"old_address.street2", ""}, {"old_address.city", "Springfield"},
    {"old_address.state", "IL"}, {"old_address.zip", "62701"},
    {"new_address.street", "2 Oak Ave"}, {"new_address.city", "Springfield"}, {"new_address.state", "il"},
    {"new_address.zip", "62702 1234"},
    {"move_date", "2024-04-20"}, {"kind", "permanent"}, {"return_date.month", "2"}, {"return_date.day", "30"},
    {"return_date.year", "2023"}, {"filed_jointly", "no"}, {"veteran", "No"}, {"forward_mail", "yes"},
    {"usps_move_type", "individual"},
    {"household[0].full_name", "Bo"}, {"household[0].birth_date", "2010-01-01"},
    {"household[1].full_name", "Cy"}, {"household[1].birth_date.month", "06"},
    {"household[1].birth_date.day", "30"}, {"household[1].birth_date.year", "2012"},
    {"household_size", "whatever"}, {"truthful", "on"}, {"signature", "Ana Núñez"},
};

BOOST_AUTO_TEST_CASE(json_and_flat_fields_give_the_same_document) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  const auto a = e::validate_json(plan, coa_json, may1);
  const auto b = e::validate_form_fields(plan, coa_flat, may1);
  BOOST_TEST(a.ok(), e::format_errors(a.errors));
  BOOST_TEST(b.ok(), e::format_errors(b.errors));
  BOOST_TEST(a.submission.canonical_json == b.submission.canonical_json);
  BOOST_TEST(a.submission.digest == b.submission.digest);
  // Canonical values.
  BOOST_TEST(has(a, R"("name":{"first":"Ana","last":"Nuñez"})"));
  BOOST_TEST(has(a, R"("ssn":"123456789")"));
  BOOST_TEST(has(a, R"("email":"ana@example.com","phone":"+12025550123")"));
  BOOST_TEST(has(a, R"("state":"IL","zip":"62701")"));
  BOOST_TEST(has(a, R"("zip":"627021234")"));
  BOOST_TEST(has(a, R"("household":[{"full_name":"Bo","birth_date":"2010-01-01"},{"full_name":"Cy","birth_date":"2012-06-30"}])"));
  // Hidden fields are neither checked nor stored, even when invalid.
  BOOST_TEST(!has(a, "return_date"));
  BOOST_TEST(!has(a, "va_file_number"));
  // Computed fields: the client's value is ignored, the engine's is filled in.
  BOOST_TEST(has(a, R"("household_size":"3")"));
  // The header, in the documented order.
  BOOST_TEST(a.submission.canonical_json.starts_with(
      R"({"askonce_submission":1,"form":"change_of_address","version":1,"definition_hash":"sha256:)"));
  BOOST_TEST(has(a, R"(","language":"en","channel":"web","received":"2024-05-01T00:00:00Z","answers":{"person":)"));
  BOOST_TEST(a.submission.canonical_json.ends_with("\"digest\":\"" + a.submission.digest + "\"}"));
}

BOOST_AUTO_TEST_CASE(the_digest_is_stable_and_covers_every_byte) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  const auto a = e::validate_json(plan, coa_json, may1);
  const auto again = e::validate_json(plan, coa_json, may1);
  BOOST_TEST(a.submission.canonical_json == again.submission.canonical_json);
  BOOST_TEST(a.submission.digest.starts_with("sha256:"));
  BOOST_TEST(a.submission.digest.size() == 7u + 64u);
  BOOST_TEST(e::digest_matches(a.submission.canonical_json));
  std::string tampered = a.submission.canonical_json;
  tampered.replace(tampered.find("Springfield"), 11, "Shelbyville");
  BOOST_TEST(!e::digest_matches(tampered));
  const auto es = e::validate_json(plan, coa_json, e::Context::on(Date{2024, 5, 1}, "es", "web"));
  BOOST_TEST(es.submission.digest != a.submission.digest);  // the language is part of the record
  // Spelled differently, same answers: same bytes.
  std::string spaced = coa_json;
  spaced.replace(spaced.find("\"Bo\""), 4, "\"  Bo\"");
  BOOST_TEST(e::validate_json(plan, spaced, may1).submission.digest == a.submission.digest);
}

BOOST_AUTO_TEST_CASE(shown_fields_are_checked_and_hidden_ones_are_not) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  std::string temporary = coa_json;
  temporary.replace(temporary.find("\"permanent\""), 11, "\"temporary\"");
  const auto r = e::validate_json(plan, temporary, may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{"return_date V0201"}, boost::test_tools::per_element());
  std::string veteran = coa_json;
  veteran.replace(veteran.find("\"veteran\": false"), 16, "\"veteran\": true");
  const auto v = e::validate_json(plan, veteran, may1);
  BOOST_TEST(codes(v) == std::vector<std::string>{"va_file_number V0303"}, boost::test_tools::per_element());
  BOOST_TEST(v.errors.at(0).message == "Enter your VA file number: 7 to 9 digits, with the letter C in front if your number has one.");
  // What the VA's own forms take (vets-json-schema's vaFileNumber, ^[cC]{0,1}\d{7,9}$).
  const auto with_file = [&](const std::string& number) {
    std::string j = veteran;
    j.replace(j.find("\"not digits\""), 12, "\"" + number + "\"");
    return codes(e::validate_json(plan, j, may1));
  };
  for (const char* good : {"1234567", "12345678", "123456789", "C1234567", "c12345678", "C123456789"}) {
    BOOST_TEST_CONTEXT(good) { BOOST_TEST(with_file(good).empty()); }
  }
  for (const char* bad : {"123456", "1234567890", "CC1234567", "X1234567", "C123456"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(with_file(bad) == std::vector<std::string>{"va_file_number V0303"}, boost::test_tools::per_element()); }
  }
}

BOOST_AUTO_TEST_CASE(every_error_in_form_order_in_the_submissions_language) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  const std::string bad = R"({
    "person": {"name": {"first": "", "last": "X"}, "birth_date": "2023-02-29", "ssn": "666-45-6789", "nmae": 1},
    "contact": {"email": "ana@", "phone": "555-0123", "preferred_method": "email"},
    "old_address": {"city": "Springfield"},
    "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "ZZ", "zip": "6270"},
    "move_date": "2024-07-20",
    "kind": "temporary",
    "return_date": "2024-07-01",
    "veteran": "yes",
    "forward_mail": true,
    "household": [{"full_name": "Bo", "birth_date": "2030-01-01"}, {"birth_date": "2010-01-01"}],
    "truthful": false,
    "signature": "line\nbreak"
  })";
  const auto r = e::validate_json(plan, bad, may1);
  const std::vector<std::string> expected = {
      "person.nmae V0010",        "person.name.first V0101",    "person.birth_date V0201",
      "person.ssn V0209",         "contact.email V0207",        "contact.phone V0208",
      "old_address.street V0101", "old_address.state V0101",    "old_address.zip V0101",
      "new_address.state V0304",  "new_address.zip V0211",      "move_date V0307",
      "return_date V0307",        "veteran V0012",              "usps_move_type V0101",
      "household[0].birth_date V0307", "household[1].full_name V0101", "truthful V0102",
      "signature V0214"};
  BOOST_TEST(codes(r) == expected, boost::test_tools::per_element());
  // Messages name the question as a sentence would: the part of a composite and whose it is.
  BOOST_TEST(r.errors[1].message == "Enter your first name.");
  BOOST_TEST(r.errors[2].message == "“Date of birth” must be a real date, as year-month-day (2024-02-29).");
  BOOST_TEST(r.errors[6].message == "Enter the street address of your old address.");
  BOOST_TEST(r.errors[7].message == "Select the state of your old address.");
  BOOST_TEST(r.errors[8].message == "Enter the ZIP code of your old address.");
  BOOST_TEST(r.errors[11].message == "The date cannot be more than 30 days from today.");
  BOOST_TEST(r.errors[14].message == "Select an answer to “Whose mail should we forward?”");
  BOOST_TEST(r.errors[16].message == "Enter the full name.");
  BOOST_TEST(r.submission.canonical_json.empty());
  const auto es = e::validate_json(plan, bad, e::Context::on(Date{2024, 5, 1}, "es", "web"));
  BOOST_TEST(codes(es) == expected, boost::test_tools::per_element());
  BOOST_TEST(es.errors[1].message == "Escriba el nombre de “Nombre completo”.");
  BOOST_TEST(es.errors[8].message == "Escriba el código postal de “Dirección anterior”.");
  BOOST_TEST(es.errors[7].message == "Seleccione el estado de “Dirección anterior”.");
  BOOST_TEST(es.errors[11].message == "La fecha no puede ser más de 30 días a partir de hoy.");
  BOOST_TEST(es.errors[17].message ==
             "Marque la casilla “Certifico que la información que di es verdadera y completa.” para continuar.");
}

BOOST_AUTO_TEST_CASE(today_comes_from_the_context) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  // 2024-04-20 + 30 days: fine on May 1st, too far ahead on March 1st.
  BOOST_TEST(e::validate_json(plan, coa_json, may1).ok());
  const auto march = e::validate_json(plan, coa_json, e::Context::on(Date{2024, 3, 1}, "en", "web"));
  BOOST_TEST(codes(march) == std::vector<std::string>{"move_date V0307"}, boost::test_tools::per_element());
}

// ---- input: unknown names, shape, limits --------------------------------------------------

BOOST_AUTO_TEST_CASE(unknown_names_and_wrong_shapes_are_reported) {
  Types t;
  const auto r = e::validate_json(t.plan, R"({"agree": true, "kids": [{"kid_name": "A", "age": 3}], "extra": {"x": 1},
                                              "agree": true, "ok": {"a": 1}, "colours": [1]})", may1);
  BOOST_TEST(codes(r) == (std::vector<std::string>{"kids[0].age V0010", "extra V0010", "agree V0011", "ok V0012",
                                                   "colours V0012"}),
             boost::test_tools::per_element());
  const auto kids = e::validate_json(t.plan, R"({"agree": true, "kids": {"kid_name": "A"}})", may1);
  BOOST_TEST(codes(kids) == std::vector<std::string>{"kids V0012"}, boost::test_tools::per_element());
  BOOST_TEST(kids.errors[0].message == "“Kid” needs a list.");
}

BOOST_AUTO_TEST_CASE(names_alike_at_both_ends_are_told_apart) {
  // Scopes find a name by a hash of its length and first and last eight bytes: these names
  // share all three, so they fall on the same slots and only comparing whole names tells them
  // apart; so does a name that is not a field, and a key with escapes (decoded, not viewed).
  std::string form = "form alike {\n  title \"Alike\"\n  version 1\n  languages en\n  section s \"S\" {\n";
  std::string json = "{";
  for (int i = 0; i < 12; ++i) {
    const std::string name = "abcdefgh_" + std::to_string(10 + i) + "_stuvwxyz";
    form += "    text " + name + " \"Item " + std::to_string(i) + "\" { required }\n";
    if (i > 0) json += ",";
    json += "\"" + name + "\": \"v" + std::to_string(i) + "\"";
  }
  form += "  }\n}\n";
  const auto plan = plan_of_text(form);
  const auto ok = e::validate_json(plan, json + "}", may1);
  BOOST_TEST(codes(ok).empty(), boost::test_tools::per_element());
  for (int i = 0; i < 12; ++i) {
    BOOST_TEST(has(ok, "\"abcdefgh_" + std::to_string(10 + i) + "_stuvwxyz\":\"v" + std::to_string(i) + "\""));
  }
  const auto unknown = e::validate_json(plan, json + ",\"abcdefgh_99_stuvwxyz\": \"x\"}", may1);
  BOOST_TEST(codes(unknown) == std::vector<std::string>{"abcdefgh_99_stuvwxyz V0010"}, boost::test_tools::per_element());
  std::string escaped = json;
  escaped.replace(escaped.find("abcdefgh_10"), 1, "\\u0061");  // "\u0061bcdefgh_10_...": the same name
  const auto decoded = e::validate_json(plan, escaped + "}", may1);
  BOOST_TEST(codes(decoded).empty(), boost::test_tools::per_element());
  BOOST_TEST(has(decoded, "\"abcdefgh_10_stuvwxyz\":\"v0\""));
}

BOOST_AUTO_TEST_CASE(check_json_gives_the_verdict_without_the_document) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  // The same errors, word for word, as validate_json; no document, passing or not.
  for (const auto& context : {may1, e::Context::on(Date{2024, 3, 1}, "es", "web")}) {
    const auto full = e::validate_json(plan, coa_json, context);
    const auto check = e::check_json(plan, coa_json, context);
    BOOST_TEST(check.ok() == full.ok());
    BOOST_TEST(e::format_errors(check.errors) == e::format_errors(full.errors));
    BOOST_TEST(check.submission.canonical_json.empty());
    BOOST_TEST(check.submission.digest.empty());
  }
  BOOST_TEST(e::validate_json(plan, coa_json, may1).ok());
  BOOST_TEST(!e::validate_json(plan, coa_json, may1).submission.digest.empty());
  BOOST_TEST(!e::check_json(plan, coa_json, e::Context::on(Date{2024, 3, 1}, "en", "web")).ok());
}

BOOST_AUTO_TEST_CASE(check_form_fields_gives_the_verdict_and_answers_without_the_document) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  for (const auto& context : {may1, e::Context::on(Date{2024, 3, 1}, "es", "web")}) {
    const auto full = e::validate_form_fields(plan, coa_flat, context);
    const auto check = e::check_form_fields(plan, coa_flat, context);
    BOOST_TEST(check.ok() == full.ok());
    BOOST_TEST(e::format_errors(check.errors) == e::format_errors(full.errors));
    BOOST_TEST_REQUIRE(check.submission.answers.answers.size() == full.submission.answers.answers.size());
    for (std::size_t i = 0; i < full.submission.answers.answers.size(); ++i) {
      const auto &a = check.submission.answers.answers[i].value, &b = full.submission.answers.answers[i].value;
      BOOST_TEST((a.type == b.type && a.text == b.text && a.items == b.items && a.boolean == b.boolean));
      BOOST_TEST(check.submission.answers.answers[i].entries.size() == full.submission.answers.answers[i].entries.size());
      BOOST_TEST(check.submission.answers.answers[i].shown == full.submission.answers.answers[i].shown);
    }
    BOOST_TEST(check.submission.canonical_json.empty());
    BOOST_TEST(check.submission.digest.empty());
  }
  BOOST_TEST(!e::validate_form_fields(plan, coa_flat, may1).submission.digest.empty());
  std::vector<std::pair<std::string, std::string>> bad(coa_flat.begin(), coa_flat.end());
  bad.emplace_back("no_such_field", "x");
  BOOST_TEST(e::format_errors(e::check_form_fields(plan, bad, may1).errors) ==
             e::format_errors(e::validate_form_fields(plan, bad, may1).errors));
  BOOST_TEST(!e::check_form_fields(plan, bad, may1).ok());
}

BOOST_AUTO_TEST_CASE(flat_fields_unknown_duplicate_and_gaps) {
  Types t;
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"agree", "on"},       {"kids[0].kid_name", "A"}, {"kids[2].kid_name", "C"}, {"kids.kid_name", "x"},
      {"nope", "1"},         {"n", "1"},                {"n", "2"},               {"day.month", "2"},
      {"day.year", "2024"},  {"kids[x].kid_name", "y"}, {"colours", "red"},       {"colours", "green"}};
  const auto r = e::validate_form_fields(t.plan, fields, may1);
  BOOST_TEST(codes(r) == (std::vector<std::string>{"kids.kid_name V0010", "nope V0010", "n V0011",
                                                   "kids[x].kid_name V0010", "kids[1] V0013", "day V0215",
                                                   "kids V0306"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(flat_fields_are_read_leniently_by_kind) {
  Types t;
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"agree", "on"}, {"kids[0].kid_name", "A"}, {"amount", "$1,234.5"}, {"n", "007"}, {"ok", "yes"},
      {"day.month", "2"}, {"day.day", "29"}, {"day.year", "2024"}, {"colours", "blue"}, {"colours", "red"},
      {"ratio", ".75"}};
  const auto r = e::validate_form_fields(t.plan, fields, may1);
  BOOST_TEST(r.ok(), e::format_errors(r.errors));
  BOOST_TEST(has(r, R"("n":"7","ratio":"0.75","amount":"1234.50","day":"2024-02-29")"), r.submission.canonical_json);
  BOOST_TEST(has(r, R"("ok":true,"colours":["red","blue"])"), r.submission.canonical_json);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"agree", "on"}, {"kids[0].kid_name", "A"}, {"amount", "1,23.5"}, {"ok", "maybe"},
      {"day.month", "2"}, {"day.day", "30"}, {"day.year", "2024"}};
  const auto b = e::validate_form_fields(t.plan, bad, may1);
  BOOST_TEST(codes(b) == (std::vector<std::string>{"amount V0203", "day V0201", "ok V0213"}),
             boost::test_tools::per_element());
  // A date typed in three boxes is told about in the boxes' words; one sent as JSON, in ISO's.
  const auto day_error = [](const e::Result& r) {
    for (const auto& err : r.errors) if (err.path == "day") return err.message;
    return std::string();
  };
  BOOST_TEST(day_error(b) == "“Day” must be a real date: enter the month, day and year in numbers, like 2, 29 and 2024.");
  BOOST_TEST(day_error(t.run(R"("day": "2024-02-30")")) == "“Day” must be a real date, as year-month-day (2024-02-29).");
  const auto body = e::parse_urlencoded("a=1&b=x+y%21&c&d=%ZZ&=e");
  BOOST_TEST(body.size() == 5u);
  BOOST_TEST(body[1].second == "x y!");
  BOOST_TEST(body[2].first == "c");
  BOOST_TEST(body[3].second == "%ZZ");
}

BOOST_AUTO_TEST_CASE(limits_refuse_the_whole_submission_with_one_error) {
  Types t;
  e::InputLimits small;
  small.max_bytes = 200;
  small.max_depth = 3;
  small.max_values = 20;
  small.max_value_bytes = 10;
  small.max_entries = 2;
  const auto one = [&](const std::string& json) {
    const auto r = e::validate_json(t.plan, json, may1, small);
    BOOST_TEST(r.errors.size() == 1u, json);
    return r.errors.empty() ? std::string() : r.errors[0].path + " " + r.errors[0].code + " " + r.errors[0].message;
  };
  BOOST_TEST(one("{\"t\": \"" + std::string(300, 'a') + "\"}") == " V0002 The submission is larger than 200 bytes.");
  BOOST_TEST(one(R"({"x": [[[[1]]]]})") == " V0003 The submission is nested more than 3 levels deep.");
  BOOST_TEST(one(R"({"x": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]})") ==
             " V0004 The submission has more than 20 answers.");
  BOOST_TEST(one(R"({"t": "abcdefghijk"})") == " V0005 This answer is longer than 10 bytes.");
  BOOST_TEST(one(R"({"kids": [{}, {}, {}]})") == "kids V0006 This list has more than 2 entries.");
  BOOST_TEST(one("{\"t\": \"a\",\n  \"n\": 1x}") == " V0001 The submission is not valid JSON (line 2, column 9).");
  BOOST_TEST(one("[1]") == " V0007 The submission must be a JSON object.");
  BOOST_TEST(one("{\"agree\": true, \"kids\": [{\"kid_name\": \"A\"}], \"t\": \"\xff\"}") == "t V0014 “Short text” contains characters that are not allowed.");
  BOOST_TEST(one(R"({"t": "\ud800"})").find("V0001") != std::string::npos);
  // Deep nesting with the default limits: an error, not a stack overflow.
  const std::string deep = "{\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const auto r = e::validate_json(t.plan, deep, may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{" V0003"}, boost::test_tools::per_element());
  std::vector<std::pair<std::string, std::string>> many(30, {"t", "a"});
  BOOST_TEST(codes(e::validate_form_fields(t.plan, many, may1, small)) == std::vector<std::string>{" V0004"},
             boost::test_tools::per_element());
  const std::vector<std::pair<std::string, std::string>> far = {{"kids[999999].kid_name", "a"}};
  BOOST_TEST(codes(e::validate_form_fields(t.plan, far, may1)) == std::vector<std::string>{"kids[999999].kid_name V0006"},
             boost::test_tools::per_element());
}

// ---- expressions: blank semantics, computed values, relevance --------------------------------

BOOST_AUTO_TEST_CASE(blank_semantics_and_computed_values) {
  const auto plan = plan_of_text(R"F(
form calc {
  title "Calc"
  version 1
  languages en
  section s "S" {
    money a "A"
    money b "B"
    money total "Total" { computed a + b }
    decimal third "Third" { computed a / 3 }
    money third_money "Third (money)" { computed a / 3 }
    yesno either "Either" { computed a > 10 or b > 10 }
    yesno both "Both" { computed a > 10 and b > 10 }
    repeat items "Item" {
      money price "Price"
      text label "Label" { show if price > 100 }
    }
    money sum_items "Sum" { computed sum(items.price) }
    integer n_items "Count" { computed count(items) }
    date start "Start"
    date end_date "End" { computed start + 1 month }
    integer years "Years" { computed age(start) }
    text note "Note" { show if is_blank(start) }
  }
}
)F");
  const auto r = e::validate_json(plan, R"({"a": 11, "items": [{"price": 150.5, "label": "x"}, {"price": 1, "label": "hidden"}, {}],
                                           "start": "2020-01-31", "note": "not shown"})", may1);
  BOOST_TEST(r.ok(), e::format_errors(r.errors));
  const std::string& doc = r.submission.canonical_json;
  BOOST_TEST(doc.find(R"("a":"11.00")") != std::string::npos, doc);
  BOOST_TEST(doc.find("\"total\"") == std::string::npos, doc);  // 11 + blank is blank
  BOOST_TEST(doc.find(R"("third":"3.66666666666666666667")") != std::string::npos, doc);
  BOOST_TEST(doc.find(R"("third_money":"3.67")") != std::string::npos, doc);
  BOOST_TEST(doc.find(R"("either":true)") != std::string::npos, doc);  // true or blank
  BOOST_TEST(doc.find("\"both\"") == std::string::npos, doc);          // true and blank
  BOOST_TEST(doc.find(R"("items":[{"price":"150.50","label":"x"},{"price":"1.00"},{}])") != std::string::npos, doc);
  BOOST_TEST(doc.find(R"("sum_items":"151.50","n_items":"3")") != std::string::npos, doc);
  BOOST_TEST(doc.find(R"("end_date":"2020-02-29","years":"4")") != std::string::npos, doc);
  BOOST_TEST(doc.find("not shown") == std::string::npos, doc);

  // The same walk through the public tree: find() and for_each_answer().
  const auto& form = plan.form();
  askonce::model::FieldId price = askonce::model::no_field;
  for (askonce::model::FieldId f = 0; f < form.fields.size(); ++f) {
    if (form.fields[f].id == "items.price") price = f;
  }
  std::vector<std::string> seen;
  e::for_each_answer(plan, r.submission.answers, price, [&](std::span<const std::uint32_t> at, const e::Answer& a) {
    seen.push_back(e::instance_path(plan, price, at) + "=" + (a.value.blank() ? "" : a.value.number.to_fixed(2)));
  });
  BOOST_TEST(seen == (std::vector<std::string>{"items[0].price=150.50", "items[1].price=1.00", "items[2].price="}),
             boost::test_tools::per_element());
  const std::uint32_t second[] = {1};
  const e::Answer* a = e::find(plan, r.submission.answers, price, second);
  BOOST_REQUIRE(a != nullptr);
  BOOST_TEST(a->value.number.to_string() == "1");
  const std::uint32_t nine[] = {9};
  BOOST_TEST(e::find(plan, r.submission.answers, price, nine) == nullptr);
}

BOOST_AUTO_TEST_CASE(benefits_choices_sums_and_agencies) {
  const auto plan = plan_of_file("forms/benefits.form");
  const std::string json = R"({
    "programs": ["liheap", "snap"],
    "applicant": {"name": {"first": "Ana", "last": "Diaz"}, "birth_date": "1990-01-01", "has_ssn": false},
    "applicant_applying": true, "applicant_citizen": true,
    "residence": {"has_home_address": true, "home_address": {"street": "1 A St", "city": "B", "state": "MD", "zip": "20850"},
                  "county": "Montgomery", "mail_at_home": true},
    "contact": {"preferred_method": "mail"},
    "applicant_earned_income": 100, "applicant_other_income": 0,
    "household": [{"full_name": {"first": "Bo", "last": "Diaz"}, "birth_date": "2015-03-01", "relationship": "child",
                   "applying": false, "buys_food_together": true, "earned_income": 0, "other_income": 20.5}],
    "rent_or_mortgage": 500, "pays_for_energy": false, "utility_costs": 50, "cash_and_bank": 10,
    "truthful": true, "understands_penalties": true, "signature": "Ana Diaz"
  })";
  const auto r = e::validate_json(plan, json, may1);
  BOOST_TEST(r.ok(), e::format_errors(r.errors));
  BOOST_TEST(has(r, R"("programs":["snap","liheap"])"), r.submission.canonical_json);
  BOOST_TEST(has(r, R"("household_size":"2","household_earned_income":"100.00","household_other_income":"20.50","total_monthly_income":"120.50")"),
             r.submission.canonical_json);
  BOOST_TEST(has(r, R"("expedited_screen":true)"), r.submission.canonical_json);
  // snap yes, medicaid no, liheap no (does not pay for energy).
  const auto& agencies = plan.form().agencies;
  const e::EvalContext ctx{Date{2024, 5, 1}};
  std::vector<std::string> receiving;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    if (e::agency_applies(plan, r.submission, i, ctx)) receiving.push_back(agencies[i].name);
  }
  BOOST_TEST(receiving == std::vector<std::string>{"snap"}, boost::test_tools::per_element());
  // A health question is asked only for Medicaid: not shown here, so not required.
  BOOST_TEST(!has(r, "applicant_pregnant"));
}

// ---- SF-424: the boundaries named in the issue ----------------------------------------------

std::map<std::string, std::string> sf424_valid() {
  return {
      {"submission_type", R"("Application")"},
      {"application_type", R"("New")"},
      {"organization_name", R"("Example University")"},
      {"employer_taxpayer_identification_number", R"("12-3456789")"},
      {"samuei", R"("ABCDEF123456")"},
      {"applicant", R"({"street1": "1 Campus Dr", "city": "College Park", "state": "MD: Maryland",
                        "country": "USA: UNITED STATES", "zip_postal_code": "20742"})"},
      {"contact_person", R"({"first_name": "Ana", "last_name": "Diaz"})"},
      {"phone_number", R"("301-555-0100")"},
      {"email", R"("ana@example.edu")"},
      {"applicant_type_code1", R"("H: Public/State Controlled Institution of Higher Education")"},
      {"agency_name", R"("National Science Foundation")"},
      {"funding_opportunity_number", R"("NSF-24-001")"},
      {"funding_opportunity_title", R"("Research")"},
      {"project_title", R"("A project")"},
      {"congressional_district_applicant", R"("MD-004")"},
      {"congressional_district_program_project", R"("MD-all")"},
      {"project_start_date", R"("2024-09-01")"},
      {"project_end_date", R"("2027-08-31")"},
      {"federal_estimated_funding", "500000"},
      {"applicant_estimated_funding", "0"},
      {"state_estimated_funding", "0"},
      {"local_estimated_funding", "0"},
      {"other_estimated_funding", "0"},
      {"program_income_estimated_funding", "0"},
      {"state_review", R"("c. Program is not covered by E.O. 12372.")"},
      {"delinquent_federal_debt", "false"},
      {"certification_agree", "true"},
      {"authorized_representative", R"({"first_name": "Bo", "last_name": "Lee"})"},
      {"authorized_representative_title", R"("Director")"},
      {"authorized_representative_phone_number", R"("301-555-0101")"},
      {"authorized_representative_email", R"("bo@example.edu")"},
      {"aor_signature", R"("Bo Lee")"},
  };
}

std::string to_json(const std::map<std::string, std::string>& m) {
  std::string s = "{";
  for (const auto& [k, v] : m) s += (s.size() > 1 ? ", \"" : "\"") + k + "\": " + v;
  return s + "}";
}

BOOST_AUTO_TEST_CASE(sf424_boundaries) {
  const auto plan = plan_of_file("forms/sf424.form");
  const auto with = [&](const std::string& key, const std::string& value) {
    auto m = sf424_valid();
    m[key] = value;
    return codes(e::validate_json(plan, to_json(m), may1));
  };
  const auto ok = e::validate_json(plan, to_json(sf424_valid()), may1);
  BOOST_TEST(ok.ok(), e::format_errors(ok.errors));
  BOOST_TEST(has(ok, R"("date_received":"2024-05-01")"));
  BOOST_TEST(has(ok, R"("total_estimated_funding":"500000.00")"));
  using V = std::vector<std::string>;
  BOOST_TEST(with("samuei", R"("ABCDEF123456")") == V{});
  BOOST_TEST(with("samuei", R"("ABCDEF12345")") == V{"samuei V0301"}, boost::test_tools::per_element());
  BOOST_TEST(with("samuei", R"("ABCDEF1234567")") == V{"samuei V0302"}, boost::test_tools::per_element());
  BOOST_TEST(with("samuei", R"("ABCDEF12345!")") == V{"samuei V0303"}, boost::test_tools::per_element());
  BOOST_TEST(with("project_title", "\"" + std::string(200, 'x') + "\"") == V{});
  BOOST_TEST(with("project_title", "\"" + std::string(201, 'x') + "\"") == V{"project_title V0302"},
             boost::test_tools::per_element());
  BOOST_TEST(with("project_title", "\"" + std::string(100, 'x') + std::string("ñ😀") + std::string(98, 'x') + "\"") == V{});
  BOOST_TEST(with("federal_estimated_funding", "999999999999.99") == V{});
  BOOST_TEST(with("federal_estimated_funding", "1000000000000") == V{"federal_estimated_funding V0206"},
             boost::test_tools::per_element());
  BOOST_TEST(with("federal_estimated_funding", "1.005") == V{"federal_estimated_funding V0204"},
             boost::test_tools::per_element());
  BOOST_TEST(with("project_end_date", R"("2024-08-31")") == V{"project_end_date V0307"}, boost::test_tools::per_element());
  // Six maximal amounts: the computed total stays within its own maximum.
  auto m = sf424_valid();
  for (const char* k : {"federal_estimated_funding", "applicant_estimated_funding", "state_estimated_funding",
                        "local_estimated_funding", "other_estimated_funding", "program_income_estimated_funding"}) {
    m[k] = "999999999999.99";
  }
  const auto big = e::validate_json(plan, to_json(m), may1);
  BOOST_TEST(big.ok(), e::format_errors(big.errors));
  BOOST_TEST(has(big, R"("total_estimated_funding":"5999999999999.94")"));
  // A computed field sent by the client is ignored.
  m["date_received"] = R"("1999-01-01")";
  BOOST_TEST(has(e::validate_json(plan, to_json(m), may1), R"("date_received":"2024-05-01")"));
}

// ---- the plan ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_plan_reports_patterns_it_cannot_use_and_is_reusable) {
  const auto plan = plan_of_file("forms/change-of-address.form");
  BOOST_TEST(plan.diagnostics().empty());
  BOOST_TEST(plan.entry_size(askonce::model::no_field) > 10u);
  BOOST_TEST(plan.member(askonce::model::no_field, "household") != askonce::model::no_field);
  BOOST_TEST(plan.member(askonce::model::no_field, "privacy") == askonce::model::no_field);  // a note
  // One plan, many submissions, same answers.
  for (int i = 0; i < 3; ++i) BOOST_TEST(e::validate_json(plan, coa_json, may1).ok());
}

// ---- the reference: docs/diagnostics.md ------------------------------------------------------

std::string section(const std::string& doc, const std::string& heading) {
  const auto at = doc.find(heading);
  BOOST_REQUIRE(at != std::string::npos);
  return doc.substr(at);
}

BOOST_AUTO_TEST_CASE(every_v_code_is_documented) {
  const std::string doc = section(askonce::test::read("docs/diagnostics.md"), "## Submissions (V)");
  for (auto c : e::all_codes()) {
    BOOST_TEST_CONTEXT(c) { BOOST_TEST(doc.find("### " + std::string(c)) != std::string::npos); }
  }
}

BOOST_AUTO_TEST_CASE(v_examples_print_what_is_documented) {
  // In "## Submissions (V)": one ```form block, then pairs of a ```json submission and a ```
  // block of the errors it gets (format_errors), checked on 2024-05-01 in English.
  const std::string doc = section(askonce::test::read("docs/diagnostics.md"), "## Submissions (V)");
  std::istringstream in(doc);
  std::string line, form, json, block;
  enum { outside, in_form, in_json, in_expected } state = outside;
  std::optional<e::Plan> plan;
  int examples = 0;
  while (std::getline(in, line)) {
    switch (state) {
      case outside:
        if (line == "```form") state = in_form;
        else if (line == "```json") { state = in_json; json.clear(); }
        else if (line == "```" && !json.empty()) { state = in_expected; block.clear(); }
        break;
      case in_form:
        if (line == "```") {
          state = outside;
          plan.emplace(plan_of_text(form));
        } else {
          form += line + "\n";
        }
        break;
      case in_json:
        if (line == "```") state = outside;
        else json += line + "\n";
        break;
      case in_expected:
        if (line == "```") {
          state = outside;
          BOOST_REQUIRE(plan.has_value());
          const auto r = e::validate_json(*plan, json, may1);
          BOOST_TEST(e::format_errors(r.errors) == block, json);
          ++examples;
          json.clear();
        } else {
          block += line + "\n";
        }
        break;
    }
  }
  BOOST_TEST(examples >= 25);  // the limits, flat-only codes and V0901 show no JSON
}


// --- asking once across forms (engine/reuse.hpp) ---

constexpr const char* shared_blocks = R"(
block who {
  name name "Full name" { required }
  date birth_date "Date of birth" { required }
  ssn ssn "Social Security number" { sensitive }
  integer age "Age" { computed 40 }
}
block where {
  address address "Address"
  text county "County"
}
)";

std::vector<std::string> as_lines(const std::vector<std::pair<std::string, std::string>>& answers) {
  std::vector<std::string> out;
  for (const auto& [name, value] : answers) out.push_back(name + "=" + value);
  return out;
}

BOOST_AUTO_TEST_CASE(a_new_form_takes_only_the_answers_of_blocks_both_use_once) {
  const auto first = plan_of_text(std::string(shared_blocks) + R"(
form first {
  title "First" version 1 languages en
  section s "S" {
    use who
    use where as home
    use where as work
    text name "Your name, again"
    text pet "Pet's name"
  }
})");
  const auto second = plan_of_text(std::string(shared_blocks) + R"(
form second {
  title "Second" version 1 languages en
  section s "S" {
    text pet "Pet's name"
    use who as applicant
    use where as home
    text name "Your name"
    repeat others "Person" { use who as member }
  }
})");
  const std::vector<std::pair<std::string, std::string>> given = {
      {"who.name.first", "Ana"},       {"who.name.last", "Ruiz"},      {"who.birth_date.month", "7"},
      {"who.birth_date.day", "4"},     {"who.birth_date.year", "1980"}, {"who.ssn", "078-05-1120"},
      {"who.age", "99"},               {"home.county", "Travis"},       {"work.county", "Hays"},
      {"name", "Ana Ruiz"},            {"pet", "Rex"},                  {"who.name.middle", ""},
  };
  const auto r = e::reuse_answers(first, given, second);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"applicant.name.first", "Ana"},    {"applicant.name.last", "Ruiz"},
      {"applicant.birth_date.month", "7"}, {"applicant.birth_date.day", "4"},
      {"applicant.birth_date.year", "1980"}, {"applicant.ssn", "078-05-1120"},
      {"applicant.name.middle", ""},
  };
  // `where` is used twice in the first form (home, work): which is which would be a guess, so
  // neither goes. Fields outside blocks (name, pet) never go, whatever their names. The
  // computed age is worked out again, not carried; the repeat's people are other people.
  BOOST_TEST(as_lines(r.answers) == as_lines(expected), boost::test_tools::per_element());
  const std::vector<std::string> fields = {"applicant.name.first", "applicant.name.last", "applicant.birth_date",
                                           "applicant.ssn"};
  BOOST_TEST(r.fields == fields, boost::test_tools::per_element());
  // What the second form takes, it reads as its own: the engine accepts it.
  const auto back = e::reuse_answers(second, r.answers, first);
  BOOST_TEST(back.answers.size() == 7u);
  BOOST_TEST(back.answers.front().first == "who.name.first");
}

BOOST_AUTO_TEST_CASE(shipped_forms_share_what_comes_from_the_same_block) {
  const auto coa = plan_of_file("forms/change-of-address.form");
  const auto benefits = plan_of_file("forms/benefits.form");
  const std::vector<std::pair<std::string, std::string>> given = {
      {"person.name.first", "Ana"}, {"contact.email", "ana@example.gov"}, {"contact.phone", "2025550123"},
      {"contact.preferred_method", "email"}, {"new_address.zip", "20001"}};
  const auto r = e::reuse_answers(coa, given, benefits);
  // The two forms share the contact block; the person (change of address: `person`, benefits:
  // `identity`) and the address (a field of its own against the `residence` block) are not
  // the same block, so they are asked again.
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"contact.email", "ana@example.gov"}, {"contact.phone", "2025550123"}, {"contact.preferred_method", "email"}};
  BOOST_TEST(as_lines(r.answers) == as_lines(expected), boost::test_tools::per_element());
  const auto checked = e::validate_form_fields(benefits, r.answers, may1);
  for (const auto& err : checked.errors) BOOST_TEST(err.path.rfind("contact.", 0) != 0u, err.path << ": " << err.message);
}

}  // namespace

// ---- time zones (the system's tz database) ---------------------------------------------------

BOOST_AUTO_TEST_CASE(times_in_a_zone_follow_the_tz_database) {
  const auto ny = e::TimeZone::find("America/New_York");
  BOOST_TEST_REQUIRE(ny != nullptr);
  const auto utc = [](int y, unsigned m, unsigned d, int h, int min, int sec) {
    return e::days_from_civil(Date{y, m, d}) * 86400 + h * 3600 + min * 60 + sec;
  };
  const auto show = [](const e::LocalTime& l) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d %s", l.year, l.month, l.day, l.hour, l.minute, l.second,
                  l.abbreviation.c_str());
    return std::string(buf);
  };
  BOOST_TEST(show(ny->local(utc(2024, 1, 15, 12, 0, 0))) == "2024-01-15 07:00:00 EST");
  BOOST_TEST(show(ny->local(utc(2024, 7, 1, 12, 0, 0))) == "2024-07-01 08:00:00 EDT");
  // Around the spring change (2024-03-10, 2:00 AM local) and midnight UTC the day before.
  BOOST_TEST(show(ny->local(utc(2024, 3, 10, 6, 59, 59))) == "2024-03-10 01:59:59 EST");
  BOOST_TEST(show(ny->local(utc(2024, 3, 10, 7, 0, 0))) == "2024-03-10 03:00:00 EDT");
  BOOST_TEST(show(ny->local(utc(2024, 5, 1, 0, 0, 0))) == "2024-04-30 20:00:00 EDT");
  // Past the file's last transition, the POSIX rule at its end decides (EST5EDT,M3.2.0,M11.1.0).
  BOOST_TEST(show(ny->local(utc(2100, 7, 1, 12, 0, 0))) == "2100-07-01 08:00:00 EDT");
  BOOST_TEST(show(ny->local(utc(2100, 12, 1, 12, 0, 0))) == "2100-12-01 07:00:00 EST");
  BOOST_TEST(show(ny->local(utc(2100, 11, 7, 5, 59, 59))) == "2100-11-07 01:59:59 EDT");
  BOOST_TEST(show(ny->local(utc(2100, 11, 7, 6, 0, 0))) == "2100-11-07 01:00:00 EST");
  // No daylight time in Arizona; summer in January south of the equator.
  const auto phoenix = e::TimeZone::find("America/Phoenix");
  BOOST_TEST_REQUIRE(phoenix != nullptr);
  BOOST_TEST(show(phoenix->local(utc(2024, 7, 1, 12, 0, 0))) == "2024-07-01 05:00:00 MST");
  const auto sydney = e::TimeZone::find("Australia/Sydney");
  BOOST_TEST_REQUIRE(sydney != nullptr);
  BOOST_TEST(show(sydney->local(utc(2100, 1, 1, 0, 0, 0))) == "2100-01-01 11:00:00 AEDT");
  BOOST_TEST(show(sydney->local(utc(2100, 7, 1, 0, 0, 0))) == "2100-07-01 10:00:00 AEST");
  const auto honolulu = e::TimeZone::find("Pacific/Honolulu");
  BOOST_TEST_REQUIRE(honolulu != nullptr);
  BOOST_TEST(show(honolulu->local(utc(2024, 7, 1, 12, 0, 0))) == "2024-07-01 02:00:00 HST");
  // Each zone is read once; names that are not zones, or try to leave the folder, are none.
  BOOST_TEST(e::TimeZone::find("America/New_York") == ny);
  for (const char* bad : {"America/Nowhere", "../../etc/passwd", "/etc/localtime", "America/New York", ""}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(e::TimeZone::find(bad) == nullptr); }
  }
}


BOOST_AUTO_TEST_CASE(today_is_the_date_in_the_deployments_zone) {
  // One instant, 2024-05-01 02:00 UTC: still April 30 in Honolulu (UTC-10), already May 1 in
  // Kiritimati (UTC+14) from 10:00 UTC the day before. A birth date of "today" is refused and
  // one of yesterday accepted, on the zone's calendar, not UTC's.
  const e::Plan plan = plan_of_text(R"(form f {
  title "F"
  version 1
  languages en
  section s "S" {
    date born "Born" {
      required
      check born < today() "Enter a date in the past."
    }
  }
})");
  const auto instant = [](int y, unsigned m, unsigned d, int h) {
    return std::chrono::system_clock::time_point(std::chrono::seconds(e::days_from_civil(Date{y, m, d}) * 86400 + h * 3600));
  };
  const auto honolulu = e::TimeZone::find("Pacific/Honolulu");
  const auto kiritimati = e::TimeZone::find("Pacific/Kiritimati");
  BOOST_TEST_REQUIRE(honolulu != nullptr);
  BOOST_TEST_REQUIRE(kiritimati != nullptr);
  const auto may1_2am = instant(2024, 5, 1, 2);
  const auto in_honolulu = e::Context::at(may1_2am, honolulu.get(), "en", "web");
  BOOST_TEST((in_honolulu.today == Date{2024, 4, 30}));
  BOOST_TEST(in_honolulu.received == "2024-05-01T02:00:00Z");  // the time received stays UTC
  BOOST_TEST((e::Context::at(may1_2am, nullptr, "en", "web").today == Date{2024, 5, 1}));  // no zone: UTC
  const auto born = [&](const char* date, const e::Context& c) {
    return e::validate_json(plan, std::string(R"({"born": ")") + date + "\"}", c).ok();
  };
  BOOST_TEST(!born("2024-04-30", in_honolulu));  // today there
  BOOST_TEST(born("2024-04-29", in_honolulu));
  // 2024-04-30 11:00 UTC: May 1, 1 AM in Kiritimati.
  const auto in_kiritimati = e::Context::at(instant(2024, 4, 30, 11), kiritimati.get(), "en", "web");
  BOOST_TEST((in_kiritimati.today == Date{2024, 5, 1}));
  BOOST_TEST(born("2024-04-30", in_kiritimati));  // yesterday there, though today in UTC
  BOOST_TEST(!born("2024-05-01", in_kiritimati));
  // now() takes the zone too: its today is the zone's date of the moment.
  const auto before = std::chrono::system_clock::now();
  const auto now = e::Context::now("en", "web", kiritimati.get());
  const auto after = std::chrono::system_clock::now();
  const auto day_of = [&](std::chrono::system_clock::time_point t) {
    const auto l = kiritimati->local(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
    return Date{l.year, static_cast<unsigned>(l.month), static_cast<unsigned>(l.day)};
  };
  BOOST_TEST((now.today == day_of(before) || now.today == day_of(after)));
}

// The paper form's page code (engine/paper_code.hpp): written from a form, read back exactly,
// read as a clerk types it, and nothing else taken for one.
BOOST_AUTO_TEST_CASE(paper_codes_are_written_and_read_back) {
  askonce::model::Form form;
  form.id = "change_of_address";
  form.version = 3;
  form.definition_hash = "sha256:74761eb1f25f0123456789abcdef0123456789abcdef0123456789abcdef0123";
  const auto code = e::paper_code(form, 12);
  BOOST_TEST(e::format_paper_code(code) == "askonce:change_of_address:3:74761eb1f25f:12");
  const auto back = e::parse_paper_code(e::format_paper_code(code));
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->form_id == "change_of_address");
  BOOST_TEST(back->version == 3);
  BOOST_TEST(back->hash_prefix == "74761eb1f25f");
  BOOST_TEST(back->page == 12u);
  BOOST_TEST(e::hash_has_prefix(form.definition_hash, back->hash_prefix));
  BOOST_TEST(!e::hash_has_prefix(form.definition_hash, "74761eb1f25e"));
  BOOST_TEST(!e::hash_has_prefix(form.definition_hash, ""));

  const auto typed = e::parse_paper_code("  askonce:va_10_10ez:1:ABCDEF012345:1\n");
  BOOST_TEST_REQUIRE(typed.has_value());
  BOOST_TEST(typed->hash_prefix == "abcdef012345");

  for (const char* bad : {"", "askonce:", "askonce:a:1:abcdef012345", "askonce:a:1:abcdef012345:1:2",
                          "other:a:1:abcdef012345:1", "askonce:1a:1:abcdef012345:1", "askonce:a-b:1:abcdef012345:1",
                          "askonce:a:0:abcdef012345:1", "askonce:a:01:abcdef012345:1", "askonce:a:-1:abcdef012345:1",
                          "askonce:a:1:abcdef01234:1", "askonce:a:1:abcdef0123456:1", "askonce:a:1:abcdeg012345:1",
                          "askonce:a:1:abcdef012345:0", "askonce:a:1:abcdef012345:1234567",
                          "askonce:a:99999999999999999999:abcdef012345:1", "askonce:a :1:abcdef012345:1"}) {
    BOOST_TEST(!e::parse_paper_code(bad).has_value(), "taken for a code: `" << bad << "`");
  }
  BOOST_TEST(!e::parse_paper_code("askonce:" + std::string(190, 'a') + ":1:abcdef012345:1").has_value());
}

// ---- members without a question (`member "NAME" TYPE`) ----------------------------------------

namespace {

const std::string members_form = R"(
block vet {
  text file_number "VA file number"
  member "view:fileNote" object
}
form members {
  title "Members"
  version 1
  languages en
  section s "You" {
    text full_name "Full name" { required }
    member "view:serviceNote" object
    member "otherInformation" array of string
    member "scores" array of integer
    member "anything" array
    member "rating" number
    member "count" integer
    member "tag" string
    member "agreed" boolean
    use vet as veteran
  }
}
)";

}  // namespace

BOOST_AUTO_TEST_CASE(a_member_of_its_type_is_accepted_and_kept_verbatim_in_canonical_json) {
  const auto plan = plan_of_text(members_form);
  const auto r = e::validate_json(plan, R"({"full_name": "Ana",
    "view:serviceNote": { "b" : [1, 2.50, -3e2, {"x": null}], "a": "caf\u00e9 \"q\" <s>" },
    "otherInformation": ["one", "two"], "scores": [1, 2.0], "anything": [[], {}, "x", 1, true, null],
    "rating": 1, "count": 4.0, "tag": "", "agreed": false,
    "veteran": {"file_number": "123", "view:fileNote": {}}})", may1);
  BOOST_TEST(r.errors.empty(), e::format_errors(r.errors));
  // Canonical: no white space, strings re-escaped, numbers and member order as sent.
  BOOST_TEST(has(r, R"("view:serviceNote":{"b":[1,2.50,-3e2,{"x":null}],"a":"café \"q\" <s>"})"));
  BOOST_TEST(has(r, R"("otherInformation":["one","two"])"));
  BOOST_TEST(has(r, R"("scores":[1,2.0])"));
  BOOST_TEST(has(r, R"("anything":[[],{},"x",1,true,null])"));
  BOOST_TEST(has(r, R"("rating":1,"count":4.0,"tag":"","agreed":false)"));
  BOOST_TEST(has(r, R"("veteran":{"file_number":"123","view:fileNote":{}})"));
  // The stored document reads back to the same document.
  const auto again = e::restore_submission(plan, r.submission.canonical_json);
  BOOST_TEST(again.errors.empty(), e::format_errors(again.errors));
  BOOST_TEST(again.submission.canonical_json == r.submission.canonical_json);
  // Left out, or null: not there, and nothing is required.
  const auto bare = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": null})", may1);
  BOOST_TEST(bare.errors.empty(), e::format_errors(bare.errors));
  BOOST_TEST(!has(bare, "view:"));
}

BOOST_AUTO_TEST_CASE(a_member_of_another_type_is_refused_with_v0012) {
  const auto plan = plan_of_text(members_form);
  const auto r = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": [], "otherInformation": ["a", 1],
    "scores": [1, 1.5], "anything": {}, "rating": "1", "count": 1.5, "tag": 3, "agreed": "true",
    "veteran": {"view:fileNote": "x"}})", may1);
  const std::vector<std::string> expected = {
      "view:serviceNote V0012", "otherInformation V0012", "scores V0012", "anything V0012", "rating V0012",
      "count V0012",           "tag V0012",              "agreed V0012", "veteran.view:fileNote V0012"};
  BOOST_TEST(codes(r) == expected, boost::test_tools::per_element());
  BOOST_TEST(e::format_errors(r.errors).find("needs a list of texts") != std::string::npos, e::format_errors(r.errors));
  BOOST_TEST(e::format_errors(r.errors).find("needs a whole number") != std::string::npos);
  // Nothing new is refused: the other answers are checked as before.
  const auto missing = e::validate_json(plan, R"({"view:serviceNote": {}})", may1);
  BOOST_TEST(codes(missing) == std::vector<std::string>{"full_name V0101"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_member_is_within_the_limits_and_has_one_of_its_own) {
  const auto plan = plan_of_text(members_form);
  // Its own limit: 64 KiB once written.
  std::string big = R"({"full_name": "Ana", "otherInformation": [)";
  for (int i = 0; i < 70; ++i) big += std::string(i ? "," : "") + "\"" + std::string(1000, 'x') + "\"";
  big += "]}";
  auto r = e::validate_json(plan, big, may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{"otherInformation V0005"}, boost::test_tools::per_element());
  e::InputLimits wide;
  wide.max_member_bytes = 1u << 20;
  r = e::validate_json(plan, big, may1, wide);
  BOOST_TEST(r.errors.empty(), e::format_errors(r.errors));
  // The submission's depth limit holds inside it.
  std::string deep = R"({"full_name": "Ana", "view:serviceNote": )";
  for (int i = 0; i < 70; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 70; ++i) deep += "}";
  deep += "}";
  r = e::validate_json(plan, deep, may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{" V0003"}, boost::test_tools::per_element());
  // A name twice inside it, and a string that is not UTF-8.
  r = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": {"a": 1, "a": 2}})", may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{"view:serviceNote.a V0011"}, boost::test_tools::per_element());
  r = e::validate_json(plan, "{\"full_name\": \"Ana\", \"tag\": \"\xC3\x28\"}", may1);
  BOOST_TEST(codes(r) == std::vector<std::string>{"tag V0014"}, boost::test_tools::per_element());
}

// A correction on the web (server/http/amend.cpp) checks the stored answers again as form
// fields with the corrected one in place; form fields never carry a member, so the members a
// JSON client sent are kept from the stored submission, not dropped from the corrected one.
BOOST_AUTO_TEST_CASE(a_correction_keeps_the_members_the_submission_was_sent_with) {
  const auto plan = plan_of_text(members_form);
  const auto sent = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": {"a": [1, "x"]},
    "otherInformation": ["one"], "agreed": true, "veteran": {"file_number": "123", "view:fileNote": {"b": 2}}})", may1);
  BOOST_REQUIRE(sent.errors.empty());
  const auto stored = e::restore_submission(plan, sent.submission.canonical_json);
  BOOST_REQUIRE(stored.errors.empty());
  auto flat = e::flat_answers(plan, stored.submission);
  for (auto& [name, value] : flat) {
    if (name == "full_name") value = "Ana María";
  }
  const auto corrected = e::validate_correction(plan, stored.submission, flat, may1);
  BOOST_TEST(corrected.errors.empty(), e::format_errors(corrected.errors));
  BOOST_TEST(has(corrected, R"("full_name":"Ana María")"));
  BOOST_TEST(has(corrected, R"("view:serviceNote":{"a":[1,"x"]},"otherInformation":["one"])"));
  BOOST_TEST(has(corrected, R"("agreed":true)"));
  BOOST_TEST(has(corrected, R"("veteran":{"file_number":"123","view:fileNote":{"b":2}})"));
  // What the plain form-field check would have stored: the members gone.
  BOOST_TEST(!has(e::validate_form_fields(plan, flat, may1), "view:serviceNote"));
  // Unchanged answers give the stored document back, byte for byte.
  const auto same = e::validate_correction(plan, stored.submission, e::flat_answers(plan, stored.submission), may1);
  BOOST_TEST(same.submission.canonical_json == sent.submission.canonical_json);
}

BOOST_AUTO_TEST_CASE(a_member_never_comes_from_form_fields_and_is_not_reused) {
  const auto plan = plan_of_text(members_form);
  const std::vector<std::pair<std::string, std::string>> posted = {{"full_name", "Ana"}, {"tag", "x"},
                                                                   {"view:serviceNote", "{}"}};
  const auto r = e::validate_form_fields(plan, posted, may1);
  BOOST_TEST(codes(r) == (std::vector<std::string>{"tag V0010", "view:serviceNote V0010"}), boost::test_tools::per_element());
  const auto sent = e::validate_json(plan, R"({"full_name": "Ana", "tag": "x", "view:serviceNote": {}})", may1);
  BOOST_REQUIRE(sent.errors.empty());
  const auto flat = e::flat_answers(plan, sent.submission);
  BOOST_TEST(flat.size() == 1u);
  BOOST_TEST(flat.at(0).first == "full_name");
}
