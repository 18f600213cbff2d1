// tests/xform_tests.cpp: `askonce import xform`, through its public faces (the library's
// import_xform and the CLI).
//
// - Each hand-written XForm in tests/import/xforms/ (in the shape XLSForm writes) imports to
//   exactly the .form beside it (a golden: `xform_tests -- --accept` rewrites them after a
//   deliberate change), which compiles with no diagnostic at all.
// - What the importer cannot read is a warning with the XPath shown, listed at the top.
// - The engine judges submissions on the imported form as the XForm means them: a constraint
//   refused with its own message (in each itext language), a relevant question skipped, a
//   required-if, a calculate computed, a repeat with its own rules and relative paths.
//   The same cases were put to ODK's own engine (tests/import/xforms/odk_verdicts.mjs, its
//   output in odk_verdicts.txt): every accept and refusal, and every message, agrees.
// - Hostile and broken input: a DOCTYPE, entities, bad XML, too deep, not an XForm.
#define BOOST_TEST_MODULE xform_tests
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dsl/compiler.hpp"
#include "dsl/import/xform.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "server/cli/cli.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using askonce::dsl::import::import_xform;

namespace {

bool accept_mode() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (std::string(suite.argv[i]) == "--accept") return true;
  }
  return false;
}

const char* const xforms[] = {"household", "permit", "survey"};

/// The imported form of tests/import/xforms/NAME.xml, compiled into a plan.
askonce::engine::Plan plan_of(const std::string& name) {
  const std::string xml = "tests/import/xforms/" + name + ".xml";
  const auto r = import_xform(xml, askonce::test::read(xml));
  auto compiled = askonce::dsl::compile_text("tests/import/xforms/" + name + ".form", r.form_text);
  BOOST_TEST_REQUIRE(compiled.form.has_value());
  return askonce::engine::Plan(std::move(*compiled.form));
}

/// The errors of a submission, one "path: message [code]" a line; "" when it is accepted.
std::string verdict(const askonce::engine::Plan& plan, const std::string& json, const std::string& language = "en") {
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"), language);
  return askonce::engine::format_errors(askonce::engine::validate_json(plan, json, ctx).errors);
}

std::string canonical(const askonce::engine::Plan& plan, const std::string& json) {
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  return askonce::engine::validate_json(plan, json, ctx).submission.canonical_json;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(each_xform_imports_to_its_golden_form_which_compiles) {
  for (const std::string name : xforms) {
    BOOST_TEST_CONTEXT(name) {
      const std::string xml = "tests/import/xforms/" + name + ".xml";
      const auto r = import_xform(xml, askonce::test::read(xml));
      BOOST_TEST(!r.has_errors());
      const fs::path golden = "tests/import/xforms/" + name + ".form";
      if (accept_mode()) std::ofstream(golden, std::ios::binary) << r.form_text;
      BOOST_TEST(r.form_text == askonce::test::read(golden.string()));
      const auto compiled = askonce::dsl::compile_text(golden.string(), r.form_text);
      BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_translated_xform_reads_every_construct_without_a_warning) {
  const std::string xml = "tests/import/xforms/household.xml";
  const auto r = import_xform(xml, askonce::test::read(xml));
  BOOST_TEST(askonce::dsl::import::format_import_diagnostics(r) == "");
  // itext: the default language first, each translation a language of the form.
  BOOST_TEST(has(r.form_text, "  languages en es\n"));
  BOOST_TEST(has(r.form_text, "text respondent \"Your name\" es \"Su nombre\""));
  BOOST_TEST(has(r.form_text, "option \"food\" \"Food assistance\" es \"Asistencia alimentaria\""));
}

BOOST_AUTO_TEST_CASE(what_it_cannot_read_is_a_warning_with_the_xpath_shown) {
  const std::string xml = "tests/import/xforms/permit.xml";
  const auto r = import_xform(xml, askonce::test::read(xml));
  const std::string printed = askonce::dsl::import::format_import_diagnostics(r);
  BOOST_TEST(has(printed, "tests/import/xforms/permit.xml:55:7: warning[I0310]: cannot read the constraint `. mod 2 = 0` ('mod' has no word in the language)"));
  BOOST_TEST(has(printed, "   55 |       <bind nodeset=\"/permit/vehicle/axles\""));
  BOOST_TEST(has(printed, "warning[I0310]: cannot read the calculate `concat('from ', /permit/start_date)`"));
  BOOST_TEST(has(printed, "warning[I0310]: cannot read the constraint `. > ../start_date and . - ../start_date <= 365` (date arithmetic"));
  BOOST_TEST(has(printed, "warning[I0303]: the choice filter in `instance('streets')/root/item[district= /permit/district ]`"));
  BOOST_TEST(has(printed, "warning[I0303]: the repeat's count (jr:count=\"2\")"));
  BOOST_TEST(has(printed, "warning[I0303]: a value the client fills (jr:preload=\"timestamp\")"));
  BOOST_TEST(has(printed, "warning[I0304]: a question of type 'geopoint' has no kind in the language; the form asks for text"));
  BOOST_TEST(has(printed, "warning[I0304]: a question of type 'binary' has no kind in the language; the form leaves it out"));
  BOOST_TEST(has(printed, "warning[I0306]: the text shows an answer (<output>)"));
  BOOST_TEST(has(printed, "warning[I0308]: 'plate-number' is not a name the language allows; the form calls it 'plate_number'"));
  BOOST_TEST(has(r.form_text, "// What the XForm says that this form does not (12 warnings):\n"));
  BOOST_TEST(has(r.form_text, "//   /permit/vehicle/axles: cannot read the constraint `. mod 2 = 0`"));
  // The readable half of a constraint is kept: regex(., P) is a pattern, the rest a check.
  BOOST_TEST(has(r.form_text, "pattern \"[\\\\s\\\\S]*(?:[A-Z0-9]+)[\\\\s\\\\S]*\" \"Check this answer.\""));
  BOOST_TEST(has(r.form_text, "check length(plate_number) <= 8 \"Check this answer.\""));
}

BOOST_AUTO_TEST_CASE(the_engine_judges_household_submissions_as_the_xform_means) {
  const auto plan = plan_of("household");
  const std::string base = R"("respondent": "Ana Ruiz", "birth": "1980-05-01", "consent": true)";
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "own"})") == "");
  BOOST_TEST(has(verdict(plan, "{" + base + "}"), "tenure"));  // required
  // regex(., '^[0-9]{5}$') with its itext message, in each language.
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "zip": "1234"})"), "Enter 5 digits."));
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "zip": "1234"})", "es"), "Escriba 5 dígitos."));
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "own", "zip": "02139"})") == "");
  // . < today() and . >= date('1900-01-01')
  BOOST_TEST(has(verdict(plan, R"({"respondent": "Ana", "birth": "2026-02-01", "consent": true, "tenure": "own"})"),
                 "Enter a date in the past."));
  BOOST_TEST(has(verdict(plan, R"({"respondent": "Ana", "birth": "1899-12-31", "consent": true, "tenure": "own"})"),
                 "Enter a date in the past."));
  // relevant="selected(tenure, 'rent')" with required: skipped for owners, asked of renters.
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "rent"})"), "rent"));
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "rent", "rent": 800})") == "");
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "rent", "rent": 0})") != "");  // . > 0, default message
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "rent", "rent": 0})"), "Check this answer."));
  // select multiple: not(selected(., 'none')) or count-selected(.) = 1; the amount's relevant.
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "benefits": ["none", "food"]})"),
                 "None cannot go with another answer."));
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "own", "benefits": ["none"]})") == "");
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "benefits": ["food"]})"), "benefit_amount"));
  BOOST_TEST(verdict(plan, "{" + base + R"(, "tenure": "own", "benefits": ["food"], "benefit_amount": 200})") == "");
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "benefits": ["food"], "benefit_amount": 9000})"),
                 "Enter an amount from 1 to 5000."));
  // The repeat: its own rules, relative paths (../age), string-length().
  const std::string people = R"(, "tenure": "own", "member": [{"member_name": "Ana", "age": 40, "income": 1000},
                                 {"member_name": "Bo", "age": 10, "school": "Elm"}])";
  BOOST_TEST(verdict(plan, "{" + base + people + "}") == "");
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "member": [{"member_name": "Cy", "age": 130}]})"),
                 "member[0].age: Enter an age from 0 to 120."));
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "tenure": "own", "member": [{"member_name": ")" + std::string(41, 'x') +
                                    R"(", "age": 30}]})"),
                 "Use at most 40 letters."));
  // income is not relevant under 16: as in XForms, a hidden answer is not kept.
  BOOST_TEST(!has(canonical(plan, "{" + base + R"(, "tenure": "own", "member": [{"member_name": "Bo", "age": 10, "income": 5}]})"),
                  "\"income\""));
  // The acknowledgement (trigger) must be given.
  BOOST_TEST(has(verdict(plan, R"({"respondent": "Ana", "birth": "1980-05-01", "tenure": "own"})"), "consent"));
  // calculate: count(), sum() over the repeat, their quotient, and if() in the repeat.
  const std::string doc = canonical(plan, "{" + base + people + "}");
  BOOST_TEST_MESSAGE(doc);
  BOOST_TEST(has(doc, R"("people":"2")"));
  BOOST_TEST(has(doc, R"("total_income":"1000")"));
  BOOST_TEST(has(doc, R"("per_person":"500")"));
  BOOST_TEST(has(doc, R"("adult":true)"));
  BOOST_TEST(has(doc, R"("adult":false)"));
  // ODK's sum() is blank when an entry's value is blank (Bo's income is not relevant above);
  // the form's sum() skips blank entries (docs/import.md). With every income given they agree.
  const std::string earners = canonical(plan, "{" + base + R"(, "tenure": "own", "member": [{"member_name": "Ana", "age": 40, "income": 1000},
                                                              {"member_name": "Bo", "age": 30, "income": 500}]})");
  BOOST_TEST(has(earners, R"("total_income":"1500")"));
  BOOST_TEST(has(earners, R"("per_person":"750")"));
}

BOOST_AUTO_TEST_CASE(the_engine_judges_permit_submissions_as_the_xform_means) {
  const auto plan = plan_of("permit");
  const std::string base = R"("plate_number": "AB12", "start_date": "2026-01-20")";
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "car"})") == "");
  // Nested groups: the details group's relevant (../kind != 'car') and the trailer's own
  // (current()/../weight > 3.5) both apply; weight's required is if(../../kind = 'truck', ...).
  BOOST_TEST(has(verdict(plan, "{" + base + R"(, "kind": "truck"})"), "weight"));
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "van"})") == "");
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "truck", "weight": 3, "axles": 2})") == "");
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "truck", "weight": 50})") != "");
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "truck", "weight": 5, "trailer": "flatbed"})") == "");
  // today() + 30: date arithmetic in days, with the constraint's inline message.
  BOOST_TEST(has(verdict(plan, R"({"plate_number": "AB12", "start_date": "2026-03-01", "kind": "car"})"),
                 "Start within the next 30 days."));
  BOOST_TEST(has(verdict(plan, R"({"plate_number": "AB12", "start_date": "2026-01-14", "kind": "car"})"),
                 "Start within the next 30 days."));
  // regex(., '[A-Z0-9]+') (a search, as JavaRosa's) and string-length(.) <= 8.
  BOOST_TEST(verdict(plan, R"({"plate_number": "ab", "start_date": "2026-01-20", "kind": "car"})") != "");
  BOOST_TEST(verdict(plan, R"({"plate_number": "ab-1", "start_date": "2026-01-20", "kind": "car"})") == "");
  BOOST_TEST(verdict(plan, R"({"plate_number": "ABCDEFGHI", "start_date": "2026-01-20", "kind": "car"})") != "");
  // regex(../plate-number, '^CD[0-9]') in a relevant: matches(), widened on the right as
  // JavaRosa's search is: a diplomatic plate asks for the embassy, and only then.
  BOOST_TEST(has(verdict(plan, R"({"plate_number": "CD12", "start_date": "2026-01-20", "kind": "car"})"), "embassy"));
  BOOST_TEST(verdict(plan, R"({"plate_number": "CD12", "start_date": "2026-01-20", "kind": "car", "embassy": "Chile"})") == "");
  BOOST_TEST(verdict(plan, R"({"plate_number": "CDX2", "start_date": "2026-01-20", "kind": "car"})") == "");
  BOOST_TEST(verdict(plan, R"({"plate_number": "XCD12", "start_date": "2026-01-20", "kind": "car"})") == "");
  // The repeat's entries.
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "car", "visits": [{"visit_date": "2026-02-01"}]})") == "");
  BOOST_TEST(verdict(plan, "{" + base + R"(, "kind": "car", "visits": [{}]})") != "");
}

BOOST_AUTO_TEST_CASE(the_specifications_shape_imports_too) {
  // The ODK XForms specification's first example's shape: a namespaced instance with no id
  // (the form is named from the file), xsd: types, orx:meta left out.
  const auto plan = plan_of("survey");
  BOOST_TEST(verdict(plan, R"({"firstname": "Ana", "age": 30})") == "");
  BOOST_TEST(has(verdict(plan, R"({"firstname": "Ana", "age": 12})"), "guardian"));
  BOOST_TEST(verdict(plan, R"({"firstname": "Ana", "age": 12, "guardian": "Eva"})") == "");
  BOOST_TEST(has(verdict(plan, R"({"firstname": "Ana", "age": 130})"), "Enter an age in years."));
  BOOST_TEST(has(verdict(plan, R"({"age": 30})"), "firstname"));
}

BOOST_AUTO_TEST_CASE(hostile_or_broken_documents_are_refused_with_a_clear_error) {
  const auto refused = [](const std::string& text, const std::string& part) {
    const auto r = import_xform("bad.xml", text);
    BOOST_TEST(r.has_errors());
    BOOST_TEST(r.form_text.empty());
    const std::string printed = askonce::dsl::import::format_import_diagnostics(r);
    BOOST_TEST(has(printed, part), printed);
  };
  refused(R"(<?xml version="1.0"?><!DOCTYPE h:html [<!ENTITY x "boom">]><h:html xmlns:h="http://www.w3.org/1999/xhtml">&x;</h:html>)",
          "error[I0301]: the XForm has a DOCTYPE");
  refused(R"(<?xml version="1.0"?><!DOCTYPE h:html SYSTEM "http://example.com/x.dtd"><h:html/>)", "error[I0301]: the XForm has a DOCTYPE");
  refused("<h:html xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:head>", "error[I0301]: the XForm is not well-formed XML");
  // Billion laughs and an external entity: refused while parsing, quickly, reading nothing.
  std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE h:html [<!ENTITY a0 "xxxxxxxxxx">)";
  for (int i = 1; i < 10; ++i) {
    laughs += "<!ENTITY a" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&a" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  laughs += R"(]><h:html xmlns:h="http://www.w3.org/1999/xhtml" t="&a9;">&a9;</h:html>)";
  refused(laughs, "error[I0301]");
  refused(R"(<?xml version="1.0"?><!DOCTYPE h:html [<!ENTITY x SYSTEM "file:///etc/passwd">]><h:html xmlns:h="http://www.w3.org/1999/xhtml" a="&x;">&x;</h:html>)",
          "error[I0301]");
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  refused(deep, "error[I0301]: the XForm nests elements more than 64 deep");
  refused("<html><body/></html>", "error[I0302]: the document is not an XForm");
  askonce::dsl::import::XFormOptions small;
  small.max_xml_bytes = 10;
  const auto r = import_xform("big.xml", std::string(100, ' '), small);
  BOOST_TEST(has(askonce::dsl::import::format_import_diagnostics(r), "error[I0301]: the XForm is larger than"));
}

BOOST_AUTO_TEST_CASE(the_command_writes_the_form_and_prints_the_warnings) {
  const fs::path out = fs::temp_directory_path() / "import-permit.form";
  std::ostringstream o, e;
  const int rc = askonce::cli::run({"import", "xform", "tests/import/xforms/permit.xml", "-o", out.string()}, o, e);
  BOOST_TEST(rc == 0);
  BOOST_TEST(askonce::test::read(out.string()) == askonce::test::read("tests/import/xforms/permit.form"));
  BOOST_TEST(has(e.str(), "imported tests/import/xforms/permit.xml into " + out.string() + ": 12 warnings"));
  BOOST_TEST(has(e.str(), "warning[I0310]"));
  fs::remove(out);
  std::ostringstream o2, e2;
  BOOST_TEST(askonce::cli::run({"import", "xform", "no/such.xml"}, o2, e2) == 1);
  BOOST_TEST(has(e2.str(), "no/such.xml: error[I0001]: cannot read 'no/such.xml'"));
  std::ostringstream o3, e3;
  BOOST_TEST(askonce::cli::run({"import", "xforms", "x.xml"}, o3, e3) == 2);
  BOOST_TEST(has(e3.str(), "(known: jsonschema, xform)"));
}

BOOST_AUTO_TEST_CASE(the_documented_xform_warnings_are_what_the_importer_prints) {
  // Each example line of docs/diagnostics.md's I03xx codes that names permit.xml is printed,
  // word for word, when tests/import/xforms/permit.xml is imported.
  const std::string doc = askonce::test::read("docs/diagnostics.md");
  const std::string xml = "tests/import/xforms/permit.xml";
  const std::string printed = askonce::dsl::import::format_import_diagnostics(import_xform(xml, askonce::test::read(xml)));
  std::istringstream in(doc.substr(doc.find("### I0301")));
  std::string line;
  std::size_t checked = 0;
  while (std::getline(in, line)) {
    if (!line.starts_with("permit.xml:")) continue;
    ++checked;
    BOOST_TEST(has(printed, "tests/import/xforms/" + line + "\n"), line);
  }
  BOOST_TEST(checked >= 5u);
}

BOOST_AUTO_TEST_CASE(languages_names_and_stray_controls_are_warned_about_and_the_form_still_compiles) {
  // Two groups with a question of the same name (flattened: renamed), a translation missing a
  // text (the default's repeated), a language with no code (left out), a control whose ref is
  // not in the instance (left out).
  const std::string xml = R"xml(<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>Two</h:title><model>
<itext>
<translation lang="Spanish (es)"><text id="/d/a/x:label"><value>X es</value></text></translation>
<translation lang="English (en)" default="true()"><text id="/d/a/x:label"><value>X en</value></text><text id="/d/b/x:label"><value>Other X</value></text></translation>
<translation lang="Klingon"><text id="/d/a/x:label"><value>X tlh</value></text></translation>
</itext>
<instance><d id="two"><a><x/></a><b><x/></b></d></instance>
<bind nodeset="/d/a/x" type="int" required="true()"/>
<bind nodeset="/d/b/x" type="string" relevant="/d/a/x &gt; 2"/>
</model></h:head>
<h:body>
<group ref="/d/a"><input ref="/d/a/x"><label ref="jr:itext('/d/a/x:label')"/></input></group>
<group ref="/d/b"><input ref="/d/b/x"><label ref="jr:itext('/d/b/x:label')"/></input></group>
<input ref="/d/nowhere"><label>Lost</label></input>
</h:body></h:html>)xml";
  const auto r = import_xform("two.xml", xml);
  const std::string printed = askonce::dsl::import::format_import_diagnostics(r);
  BOOST_TEST(!r.has_errors());
  BOOST_TEST(has(printed, "warning[I0307]: the language 'Klingon' has no code"), printed);
  BOOST_TEST(has(printed, "warning[I0305]: no 'es' text for '/d/b/x:label'; the form repeats the 'en' text"));
  BOOST_TEST(has(printed, "warning[I0308]: 'x' is the name of another question the form flattens beside it; the form calls it 'x_2'"));
  BOOST_TEST(has(printed, "warning[I0303]: a question whose ref '/d/nowhere' is not in the primary instance"));
  BOOST_TEST(has(r.form_text, "  languages en es\n"));
  BOOST_TEST(has(r.form_text, "integer x \"X en\" es \"X es\""));
  BOOST_TEST(has(r.form_text, "text x_2 \"Other X\" es \"Other X\" {\n      show if x > 2\n"));
  const auto compiled = askonce::dsl::compile_text("two.form", r.form_text);
  BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "");
  BOOST_TEST_REQUIRE(compiled.form.has_value());
  const askonce::engine::Plan plan(std::move(*compiled.form));
  BOOST_TEST(verdict(plan, R"({"x": 3, "x_2": "y"})") == "");
  BOOST_TEST(!has(canonical(plan, R"({"x": 1, "x_2": "y"})"), "x_2"));
}

BOOST_AUTO_TEST_CASE(mutated_xforms_never_crash_and_what_is_written_compiles) {
  // Every XPath operator and name swapped for another, and bytes changed at random (a fixed
  // seed): the importer must refuse or write a form, and a written form must compile without an
  // error, since a form the importer writes and the compiler refuses is a bug in the importer.
  std::size_t written = 0;
  for (const std::string name : xforms) {
    const std::string original = askonce::test::read("tests/import/xforms/" + name + ".xml");
    std::uint32_t seed = 12345;
    const auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xFFFFFF; };
    static const char* const swaps[] = {"=", "!=", "<", ">", "+", "-", "*", " div ", " and ", " or ", "(", ")", "'", ".", "..",
                                        "/", "true()", "today()", "selected(", "count(", "if(", "'x'", "3", "-1"};
    for (int round = 0; round < 1500; ++round) {
      std::string text = original;
      for (int k = 0; k < 3; ++k) {
        const std::size_t at = next() % text.size();
        if (round % 2 == 0) {
          text.insert(at, swaps[next() % (sizeof swaps / sizeof *swaps)]);
        } else {
          text[at] = static_cast<char>(next() % 96 + 32);
        }
      }
      const auto r = import_xform("mutated.xml", text);
      if (r.has_errors()) continue;
      ++written;
      const auto compiled = askonce::dsl::compile_text("mutated.form", r.form_text);
      BOOST_TEST(!compiled.has_errors(), name << " round " << round << ":\n" << askonce::dsl::format_diagnostics(compiled));
    }
  }
  BOOST_TEST(written >= 100u);
}

BOOST_AUTO_TEST_CASE(a_group_called_like_a_run_of_questions_keeps_its_own_section) {
  const std::string xml = R"xml(<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>P</h:title><model>
<instance><d id="p"><a/><part1><b/></part1></d></instance>
<bind nodeset="/d/a" type="string"/><bind nodeset="/d/part1/b" type="string"/></model></h:head>
<h:body><input ref="/d/a"><label>A</label></input><group ref="/d/part1"><label>G</label><input ref="/d/part1/b"><label>B</label></input></group></h:body></h:html>)xml";
  const auto r = import_xform("p.xml", xml);
  BOOST_TEST(has(r.form_text, "  section part2 \"P\" {\n    text a \"A\"\n"));
  BOOST_TEST(has(r.form_text, "  section part1 \"G\" {\n    text b \"B\"\n"));
  BOOST_TEST(askonce::dsl::format_diagnostics(askonce::dsl::compile_text("p.form", r.form_text)) == "");
}
