// tests/import_tests.cpp: `askonce import jsonschema`, through its public faces (the library's
// import_json_schema and the CLI), and its proof on the VA's schemas.
//
// - A small schema using every keyword the importer writes imports to exactly
//   tests/import/small.form (a golden: `import_tests -- --accept` rewrites it after a deliberate
//   change), and its warnings are printed like the compiler's, at the schema's line and column.
// - Every VA schema in ../shared/corpus/va-forms/ imports to a form the compiler takes without an
//   error (or is refused with I0002 when it describes no object).
// - The proof: for every imported VA schema, tests/import/generate.mjs makes submissions that
//   pass and fail every keyword occurrence, with ajv's verdict on the VA's own schema; the
//   engine validates each against the imported form, and the verdicts are compared. The test
//   prints, per schema, the generator's coverage and the number of differences with their
//   causes (ajv's keywords where ajv refuses, askonce's V codes where askonce does), and holds
//   them to tests/import/va_differences.tsv: any change, better or worse, fails until the table
//   is rewritten (`-- --accept`), so the list stays true. Needs node and node_modules/ (ajv).
//   IMPORT_SHOW=10-10EZ-schema.json prints that schema's differences one by one, and the keyword
//   occurrences not covered and those no submission can cover, each with the generator's reason.
// - The JSON Schema Test Suite (draft4, draft7, draft2020-12): each group's schema, as property
//   `v` of an object, is imported and each test's data sent as {"v": data}; the engine's verdicts
//   against the suite's, per file, held to tests/import/jsts_differences.tsv the same way.
#define BOOST_TEST_MODULE import_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "dsl/compiler.hpp"
#include "dsl/import/json_schema.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "renderers/wording.hpp"
#include "server/cli/cli.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using askonce::dsl::import::import_json_schema;

namespace {

const fs::path corpus = "../shared/corpus/va-forms";

bool accept_mode() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (std::string(suite.argv[i]) == "--accept") return true;
  }
  return false;
}

std::vector<fs::path> va_schemas() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(corpus)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with("-schema.json")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string run_command(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  std::array<char, 65536> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_small_schema_imports_to_the_golden_form) {
  const std::string schema = "tests/import/small-schema.json";
  const auto r = import_json_schema(schema, askonce::test::read(schema));
  BOOST_TEST(!r.has_errors());
  const fs::path golden = "tests/import/small.form";
  if (accept_mode()) {
    std::ofstream(golden, std::ios::binary) << r.form_text;
  }
  BOOST_TEST(r.form_text == askonce::test::read(golden));

  // The written form compiles with no diagnostic at all.
  const auto compiled = askonce::dsl::compile_text("tests/import/small.form", r.form_text);
  BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "");
  BOOST_TEST_REQUIRE(compiled.form.has_value());

  // Printed like the compiler's diagnostics: file, line, column of the schema's JSON, the line
  // and a caret; and listed at the top of the form.
  const std::string printed = askonce::dsl::import::format_import_diagnostics(r);
  // Alternatives of a value that list its values are their union (a choice of A or B), said
  // exactly; alternatives with rules of their own (a pattern) are not, and are a warning.
  BOOST_TEST(printed.find("small-schema.json:36:") == std::string::npos, printed);
  BOOST_TEST(printed.find("tests/import/small-schema.json:40:17: warning[I0201]: 'oneOf' on a value") != std::string::npos, printed);
  BOOST_TEST(printed.find("tests/import/small-schema.json:37:5: warning[I0102]: 'view:note' is not a name") != std::string::npos);
  BOOST_TEST(printed.find("   37 |     \"view:note\": { \"type\": \"string\" },\n      |     ^\n") != std::string::npos);
  BOOST_TEST(r.form_text.find("//   #/properties/view:note: 'view:note' is not a name") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_written_form_means_what_the_schema_says) {
  // Submissions for the schema are submissions for the form: same names, same nesting.
  const std::string schema = "tests/import/small-schema.json";
  const auto r = import_json_schema(schema, askonce::test::read(schema));
  auto compiled = askonce::dsl::compile_text("tests/import/small.form", r.form_text);
  BOOST_TEST_REQUIRE(compiled.form.has_value());
  const askonce::engine::Plan plan(std::move(*compiled.form));
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  const auto valid = [&](const std::string& json) { return askonce::engine::validate_json(plan, json, ctx).ok(); };
  const std::string base = R"("applicantName": {"first": "Ana", "last": "Ruiz"}, "plate": "AB12")";
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident"})"));
  BOOST_TEST(!valid("{" + base + "}"));                                          // required
  BOOST_TEST(!valid("{" + base + R"(, "kind": "tourist"})"));                    // enum
  BOOST_TEST(!valid(R"({"applicantName": {"first": "Ana", "last": "Ruiz"}, "plate": "ab", "kind": "resident"})"));  // pattern
  BOOST_TEST(!valid("{" + base + R"(, "kind": "visitor"})"));                    // if/then
  BOOST_TEST(valid("{" + base + R"(, "kind": "visitor", "visitorHost": "Bo"})"));
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "email": "a@example.com"})"));  // dependencies
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "email": "a@example.com", "startDate": "2026-02-01"})"));
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "coApplicantName": {"first": "Bo"}})"));  // optional object
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "coApplicantName": {"first": "Bo", "last": "Li"}})"));
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "vehicles": 4})"));     // maximum
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "fee": 0})"));          // exclusiveMinimum
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "agree": false})"));    // enum [true]
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "days": ["mon"], "passengers": [{"name": "Cy"}]})"));
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "passengers": [{}]})"));  // required in an entry
  // An email property with the schema's own pattern: an `email` that the pattern alone checks.
  BOOST_TEST(r.form_text.find("    email workEmail \"Work email\" {\n      pattern ") != std::string::npos, r.form_text);
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "workEmail": "josé@intranet"})"));  // the kind alone refuses
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "workEmail": "ana@b@c"})"));       // pattern
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "email": "josé@intranet"})"));     // format: the kind
  // An optional boolean: true, false or absent, the third a choice of its own on the page.
  BOOST_TEST(r.form_text.find("    yesno newsletter \"Newsletter\" {\n      unanswered \"No answer\"\n    }\n") !=
             std::string::npos, r.form_text);
  for (const char* v : {"true", "false", "null"}) {
    BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "newsletter": )" + v + "}"), v);
  }
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "newsletter": "yes"})"));
  // A value described by alternatives that each list theirs: any of their values, no other.
  BOOST_TEST(r.form_text.find("    choice zone \"Zone\" {\n      option \"A\" \"A\"\n      option \"B\" \"B\"\n") != std::string::npos, r.form_text);
  BOOST_TEST(valid("{" + base + R"(, "kind": "resident", "zone": "B"})"));
  BOOST_TEST(!valid("{" + base + R"(, "kind": "resident", "zone": "C"})"));
}

BOOST_AUTO_TEST_CASE(a_blank_discriminator_takes_what_fits_the_alternatives_as_the_schema_asks) {
  // The VA's address, small: alternatives chosen by `country`, none requiring it. With the
  // country left out, JSON Schema's `properties` holds for it in every alternative, and the
  // other members decide: oneOf needs exactly one alternative to hold, anyOf at least one.
  const auto schema = [](const char* alternatives) {
    return std::string(R"({"type": "object", "properties": {"street": {"type": "string"}}, ")") + alternatives + R"(": [
      {"properties": {"country": {"enum": ["CAN"]}, "state": {"enum": ["AB", "ON"]},
                      "postalCode": {"type": "string", "pattern": "^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$"}}},
      {"properties": {"country": {"enum": ["USA"]}, "state": {"type": "string", "pattern": "^[A-Z]{2}$"},
                      "postalCode": {"type": "string", "pattern": "^[0-9]{5}$"}}},
      {"properties": {"country": {"not": {"enum": ["CAN", "USA"]}}, "state": {"type": "string", "maxLength": 20},
                      "postalCode": {"type": "string", "maxLength": 10}}, "required": ["postalCode"]}]})";
  };
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  for (const char* which : {"oneOf", "anyOf"}) {
    BOOST_TEST_CONTEXT(which) {
      const bool one = std::string_view(which) == "oneOf";
      const auto r = import_json_schema("address.json", schema(which));
      BOOST_TEST(r.form_text.find(one ? ") != 1" : ") == 0") != std::string::npos, r.form_text);
      auto compiled = askonce::dsl::compile_text("address.form", r.form_text);
      BOOST_TEST_REQUIRE(compiled.form.has_value(), askonce::dsl::format_diagnostics(compiled));
      BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "");
      const askonce::engine::Plan plan(std::move(*compiled.form));
      const auto valid = [&](const std::string& json) { return askonce::engine::validate_json(plan, json, ctx).ok(); };
      // ajv's verdicts on the schema (node_modules/ajv, oneOf then anyOf), country given or not.
      const struct {
        const char* json;
        bool one_of, any_of;
      } cases[] = {
          {R"({"country": "CAN", "state": "ON", "postalCode": "K1A 0B1"})", true, true},
          {R"({"country": "CAN", "state": "NY", "postalCode": "K1A 0B1"})", false, false},
          {R"({"country": "USA", "state": "ON", "postalCode": "K1A 0B1"})", false, false},
          {R"({"country": "FRA", "state": "Bretagne", "postalCode": "29200"})", true, true},
          // No country: Canada and "any other" both hold (oneOf refuses, anyOf takes); so do
          // the USA and "any other"; nothing holds for a state over 20 letters.
          {R"({"street": "1 Main", "state": "ON", "postalCode": "K1A 0B1"})", false, true},
          {R"({"street": "1 Main", "state": "NY", "postalCode": "12345"})", false, true},
          {R"({"street": "1 Main", "state": "A state name over twenty letters", "postalCode": "12345"})", false, false},
          // Without a postal code "any other", which requires it, does not hold: Canada and
          // the USA both take ON; neither takes Bretagne, which with a postal code only
          // "any other" takes.
          {R"({"street": "1 Main", "state": "ON"})", false, true},
          {R"({"street": "1 Main", "state": "Bretagne"})", false, false},
          {R"({"street": "1 Main", "state": "Bretagne", "postalCode": "29200"})", true, true},
      };
      for (const auto& c : cases) BOOST_TEST(valid(c.json) == (one ? c.one_of : c.any_of), c.json);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_blank_discriminator_is_said_in_words_without_the_lists_again) {
  // 0873's address: the country is `required if (count(FIT_CAN, FIT_MEX, FIT_USA, FIT_OTHER)
  // != 1) and (something is answered)`, each FIT with the state's list of 13, 32 or 62 codes.
  // Every channel says it in words (renderers/wording.cpp), each list by the message of the
  // state's check that has it, never the 62 codes again under Country.
  const auto r = import_json_schema("0873-schema.json", askonce::test::read(corpus / "0873-schema.json"));
  BOOST_TEST_REQUIRE(!r.has_errors());
  auto compiled = askonce::dsl::compile_text("forms/imported.form", r.form_text);
  BOOST_TEST_REQUIRE(compiled.form.has_value(), askonce::dsl::format_diagnostics(compiled));
  const askonce::engine::Plan plan(std::move(*compiled.form));
  const askonce::renderers::Wording en(plan.form(), "en");
  std::size_t said = 0;
  for (askonce::model::FieldId f = 0; f < plan.form().fields.size(); ++f) {
    const auto& field = plan.form().fields[f];
    if (field.name != "country" || !field.required_if) continue;
    BOOST_TEST_CONTEXT(field.id) {
      const std::string& words = en.field(f).required_citizen;
      BOOST_TEST(words.starts_with("Required if you answered question "), words);
      BOOST_TEST(words.find(", unless exactly one of these is true: either you did not answer question ") != std::string::npos, words);
      BOOST_TEST(words.find("follows the rule “Enter one of the 62 values allowed here, such as AL, AK or AS”") != std::string::npos, words);
      BOOST_TEST(words.find("“WY”") == std::string::npos, words);
      BOOST_TEST(words.find("count(") == std::string::npos, words);
      ++said;
    }
  }
  BOOST_TEST(said >= 1u);
}

BOOST_AUTO_TEST_CASE(alternatives_no_one_value_tells_apart_are_counted_as_the_schema_asks) {
  // Alternatives that overlap (a United States address, or an address anywhere), that are told
  // apart by which members are given, that say "not this value", and a value's alternative of
  // "" only: each alternative is one condition, and a check counts those that fit. The verdicts
  // are ajv's on the same schemas (node_modules/ajv, allErrors, strict off).
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  const auto import = [&](const std::string& json) {
    const auto r = import_json_schema("alternatives.json", json);
    BOOST_TEST(std::none_of(r.diagnostics.begin(), r.diagnostics.end(), [](const auto& d) { return d.code == "I0201"; }),
               askonce::dsl::import::format_import_diagnostics(r));
    auto compiled = askonce::dsl::compile_text("alternatives.form", r.form_text);
    BOOST_TEST_REQUIRE(compiled.form.has_value(), askonce::dsl::format_diagnostics(compiled));
    BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "", r.form_text);
    return std::make_shared<askonce::engine::Plan>(std::move(*compiled.form));
  };
  const auto valid = [&](const askonce::engine::Plan& plan, const std::string& json) {
    return askonce::engine::validate_json(plan, json, ctx).ok();
  };
  const auto address = [](const char* k) {
    return std::string(R"({"type": "object", "properties": {"name": {"type": "string"}}, ")") + k + R"(": [
      {"required": ["street", "country", "postalCode"], "properties": {"country": {"enum": ["USA"]},
       "street": {"type": "string", "maxLength": 10}, "postalCode": {"type": "string", "pattern": "^[0-9]{5}$"}}},
      {"required": ["street", "country"], "properties": {"country": {"type": "string", "maxLength": 20},
       "street": {"type": "string", "maxLength": 30}, "postalCode": {"type": "string", "maxLength": 10}}}]})";
  };
  const struct {
    const char* json;
    bool one_of, any_of;
  } addresses[] = {
      {R"({"country": "USA", "street": "1 Main", "postalCode": "12345"})", false, true},  // both fit
      {R"({"country": "USA", "street": "1 Main", "postalCode": "K1A"})", true, true},
      {R"({"country": "FRA", "street": "1 Main"})", true, true},
      {R"({"country": "FRA", "street": "1 Main Street in a town by the sea"})", false, false},
      {R"({"country": "USA", "postalCode": "12345"})", false, false},
      {R"({"country": "A country name over twenty", "street": "1 Main"})", false, false},
      {R"({"street": "1 Main"})", false, false},
      {R"({"country": "USA", "street": "1 Main Street here", "postalCode": "12345"})", true, true},
  };
  for (const char* k : {"oneOf", "anyOf"}) {
    BOOST_TEST_CONTEXT(k) {
      const auto plan = import(address(k));
      const bool one = std::string_view(k) == "oneOf";
      for (const auto& c : addresses) BOOST_TEST(valid(*plan, c.json) == (one ? c.one_of : c.any_of), c.json);
    }
  }
  // Told apart by which member is given: exactly one of them.
  const auto contact = import(R"({"type": "object", "properties": {"phone": {"type": "string"}, "email": {"type": "string"}},
    "oneOf": [{"required": ["phone"]}, {"required": ["email"]}]})");
  BOOST_TEST(valid(*contact, R"({"phone": "1"})"));
  BOOST_TEST(valid(*contact, R"({"email": "a"})"));
  BOOST_TEST(!valid(*contact, R"({"phone": "1", "email": "a"})"));
  BOOST_TEST(!valid(*contact, "{}"));
  // "Not a school, or a degree of at least 3 letters" (22-0976's shape).
  const auto school = import(R"({"type": "object", "properties": {"isSchool": {"type": "boolean"}, "degree": {"type": "string", "maxLength": 50}},
    "anyOf": [{"not": {"properties": {"isSchool": {"enum": [true]}}, "required": ["isSchool"]}},
              {"required": ["degree"], "properties": {"degree": {"minLength": 3}}}]})");
  BOOST_TEST(valid(*school, "{}"));
  BOOST_TEST(!valid(*school, R"({"isSchool": true})"));
  BOOST_TEST(!valid(*school, R"({"isSchool": true, "degree": "BA"})"));
  BOOST_TEST(valid(*school, R"({"isSchool": true, "degree": "BSc"})"));
  BOOST_TEST(valid(*school, R"({"isSchool": false})"));
  BOOST_TEST(valid(*school, R"({"isSchool": false, "degree": "BA"})"));
  // A value of 8 letters or digits, or "" (22-8794's facility code).
  const auto code = import(R"({"type": "object", "properties": {"code": {"oneOf": [{"type": "string", "pattern": "^[a-z0-9]{8}$"}, {"type": "string", "enum": [""]}]}}})");
  BOOST_TEST(valid(*code, R"({"code": ""})"));
  BOOST_TEST(valid(*code, R"({"code": "abcd1234"})"));
  BOOST_TEST(!valid(*code, R"({"code": "abc"})"));
}

BOOST_AUTO_TEST_CASE(the_command_writes_the_form_and_prints_the_warnings) {
  const fs::path out = fs::temp_directory_path() / "import-small.form";
  std::ostringstream o, e;
  const int code = askonce::cli::run({"import", "jsonschema", "tests/import/small-schema.json", "-o", out.string()}, o, e);
  BOOST_TEST(code == askonce::cli::ok);
  BOOST_TEST(askonce::test::read(out) == askonce::test::read("tests/import/small.form"));
  BOOST_TEST(e.str().find("warning[I0102]") != std::string::npos);
  BOOST_TEST(e.str().find("2 warnings") != std::string::npos);

  std::ostringstream o2, e2;
  BOOST_TEST(askonce::cli::run({"import", "xml", "x.json"}, o2, e2) == askonce::cli::usage);
  BOOST_TEST(e2.str().find("unknown format 'xml'") != std::string::npos);
  std::ostringstream o3, e3;
  BOOST_TEST(askonce::cli::run({"import", "jsonschema", "no/such.json"}, o3, e3) == askonce::cli::invalid);
  BOOST_TEST(e3.str() == "no/such.json: error[I0001]: cannot read 'no/such.json'\n");
  std::ostringstream o4, e4;
  BOOST_TEST(askonce::cli::run({"import", "jsonschema", "tests/import/small.form"}, o4, e4) == askonce::cli::invalid);
  BOOST_TEST(e4.str().find("error[I0001]: the schema is not JSON") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_schemas_get_an_error_not_a_hang) {
  // Each definition lists the next one twice: written out, 2^40 entries.
  std::string defs;
  for (int i = 0; i < 40; ++i) {
    const std::string next = "#/definitions/d" + std::to_string(i + 1);
    defs += "\"d" + std::to_string(i) + "\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"array\", \"items\": {\"$ref\": \"" +
            next + "\"}}, \"b\": {\"type\": \"array\", \"items\": {\"$ref\": \"" + next + "\"}}, \"t\": {\"type\": \"string\"}}},\n";
  }
  defs += "\"d40\": {\"type\": \"object\", \"properties\": {\"t\": {\"type\": \"string\"}}}";
  const std::string schema = "{\"definitions\": {" + defs + "}, \"type\": \"object\", \"properties\": {\"x\": {\"$ref\": \"#/definitions/d0\"}}}";
  const auto r = import_json_schema("hostile.json", schema);
  BOOST_TEST(r.has_errors());
  BOOST_TEST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST(r.diagnostics.back().code == "I0003");
  BOOST_TEST(r.form_text.empty());

  // A $ref to itself, and one to nothing: warnings, and a form without them.
  const auto c = import_json_schema("circle.json", R"({"definitions": {"n": {"type": "object", "properties": {"next": {"$ref": "#/definitions/n"}, "v": {"type": "string"}}}},
    "type": "object", "properties": {"head": {"$ref": "#/definitions/n"}, "gone": {"$ref": "#/definitions/missing"}}})");
  BOOST_TEST(!c.has_errors());
  const std::string printed = askonce::dsl::import::format_import_diagnostics(c);
  BOOST_TEST(printed.find("warning[I0104]: 'next' contains itself") != std::string::npos, printed);
  BOOST_TEST(printed.find("warning[I0103]: '$ref' to '#/definitions/missing' names nothing in this schema") != std::string::npos, printed);
  BOOST_TEST(!askonce::dsl::compile_text("circle.form", c.form_text).has_errors());

  // Not JSON, not an object, deeper than the parser takes.
  BOOST_TEST(import_json_schema("x.json", "{").diagnostics.at(0).code == "I0001");
  BOOST_TEST(import_json_schema("x.json", "[1]").diagnostics.at(0).code == "I0002");
  BOOST_TEST(import_json_schema("x.json", std::string(100000, '[')).diagnostics.at(0).code == "I0001");
}

BOOST_AUTO_TEST_CASE(every_va_schema_imports_to_a_form_that_compiles) {
  const auto schemas = va_schemas();
  BOOST_TEST(schemas.size() == 110u);
  std::size_t compiled = 0, refused = 0;
  for (const auto& p : schemas) {
    BOOST_TEST_CONTEXT(p.string()) {
      const auto r = import_json_schema(p.string(), askonce::test::read(p));
      if (r.has_errors()) {
        // Only schemas that describe no object are refused: they are not forms.
        BOOST_TEST(r.diagnostics.size() == 1u);
        BOOST_TEST(r.diagnostics[0].code == "I0002");
        ++refused;
        continue;
      }
      const auto c = askonce::dsl::compile_text("forms/imported.form", r.form_text);
      BOOST_TEST(!c.has_errors(), askonce::dsl::format_diagnostics(c).substr(0, 2000));
      if (!c.has_errors()) ++compiled;
    }
  }
  std::cout << "VA schemas: " << compiled << " imported and compiled, " << refused << " not forms\n";
  BOOST_TEST(compiled == 107u);
}

BOOST_AUTO_TEST_CASE(the_committed_imports_are_what_the_importer_writes) {
  // forms/imported/ holds what the importer writes, apart from what people add (docs/import.md,
  // "Importing again"), so the import can run again: it must find each committed text unchanged.
  struct Committed {
    const char* schema;
    const char* id;
    const char* file;
  };
  const Committed committed_imports[] = {
      {"10-10EZ-schema.json", "va_10_10ez", "forms/imported/va-10-10ez.form"},
      {"VYE-DIRECT-DEPOSIT-CHANGE-schema.json", "vye_direct_deposit", "forms/imported/vye-direct-deposit.form"},
  };
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator("forms/imported")) files += e.path().extension() == ".form";
  BOOST_TEST(files == std::size(committed_imports), "every file in forms/imported/ is checked here");
  for (const auto& c : committed_imports) {
    BOOST_TEST_CONTEXT(c.file) {
      const fs::path schema = corpus / c.schema;
      askonce::dsl::import::JsonSchemaOptions options;
      options.form_id = c.id;
      const auto r = import_json_schema(schema.string(), askonce::test::read(schema), options);
      const fs::path committed = c.file;
      if (accept_mode()) std::ofstream(committed, std::ios::binary) << r.form_text;
      BOOST_TEST(r.form_text == askonce::test::read(committed),
                 "run: askonce import jsonschema " << schema.string() << " --id " << c.id << " -o " << committed.string());
      const auto compiled = askonce::dsl::compile_file(committed.string());
      BOOST_TEST(askonce::dsl::format_diagnostics(compiled) == "");
    }
  }
}

namespace {

struct SchemaProof {
  std::size_t warnings = 0;
  std::size_t cases = 0;
  std::size_t keywords = 0;
  std::size_t covered = 0;
  std::size_t coverable = 0;    // keywords less those no submission can cover
  std::vector<std::string> uncoverable;  // "pointer (why)", as the generator says
  std::vector<std::string> missing;      // coverable and not covered, with the generator's guess why
  std::size_t differences = 0;
  std::string unusable;  // why ajv cannot compile the VA's schema, when it cannot
  std::map<std::string, std::size_t> causes;  // "ajv:oneOf" / "askonce:V0010" -> count
};

/// The constructs issue 14 names that an imported schema needs and the language cannot say yet,
/// counted from the importer's warnings and the written form: alternatives chosen by a field's
/// value (I0201), patterns and rules in one alternative only (I0205), optional yes/no questions
/// that cannot be left unanswered again (a `yesno` with neither `required` nor `unanswered`).
/// An email checked by the schema's own pattern is said (an `email` with a `pattern`), so it is
/// not counted.
std::string missing_constructs(const askonce::dsl::import::ImportResult& r) {
  std::size_t alternatives = 0, one_alternative = 0, optional_yesno = 0;
  for (const auto& d : r.diagnostics) {
    if (d.code == "I0201") ++alternatives;
    if (d.code == "I0205") ++one_alternative;
  }
  std::istringstream in(r.form_text);
  std::string line, previous_kind;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    const std::string word = line.substr(first, line.find(' ', first) - first);
    if (!previous_kind.empty()) {
      // A yes/no's properties, up to its closing brace.
      if (word == "unanswered" || line.substr(first) == "required") {
        previous_kind = "said";
      } else if (word == "}") {
        if (previous_kind == "yesno") ++optional_yesno;
        previous_kind.clear();
      }
      continue;
    }
    if (word == "yesno") {
      if (line.back() == '{') previous_kind = word;
      else ++optional_yesno;
    }
  }
  std::string out;
  const auto add = [&](std::size_t n, const char* what) {
    if (n > 0) out += (out.empty() ? "" : ", ") + std::string(what) + " " + std::to_string(n);
  };
  add(alternatives, "alternatives chosen by a field's value");
  add(one_alternative, "rules in one alternative only");
  add(optional_yesno, "optional yes/no");
  return out;
}

/// IMPORT_SHOW=NAME (a schema's file name) prints each difference of that schema.
bool show_differences(const fs::path& schema) {
  const char* want = std::getenv("IMPORT_SHOW");
  return want != nullptr && schema.filename().string() == want;
}

std::string causes_text(const std::map<std::string, std::size_t>& causes) {
  std::vector<std::pair<std::size_t, std::string>> v;
  for (const auto& [k, n] : causes) v.push_back({n, k});
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::string out;
  for (const auto& [n, k] : v) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(n);
  return out.empty() ? "-" : out;
}

SchemaProof prove(const fs::path& schema, const std::string& form_text) {
  SchemaProof proof;
  auto compiled = askonce::dsl::compile_text("forms/imported.form", form_text);
  if (!compiled.form) return proof;
  const askonce::engine::Plan plan(std::move(*compiled.form));
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  const std::string lines = run_command("node tests/import/generate.mjs '" + schema.string() + "'");
  std::istringstream in(lines);
  std::string line;
  Poco::JSON::Parser parser;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    Poco::JSON::Object::Ptr o;
    try {
      parser.reset();
      o = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception& e) {
      BOOST_ERROR(schema.string() << ": the generator printed something not JSON: " << line.substr(0, 300));
      return proof;
    }
    if (o->has("unusable")) {
      proof.unusable = o->getValue<std::string>("unusable");
      return proof;
    }
    if (o->has("coverage")) {
      const auto c = o->getObject("coverage");
      proof.keywords = c->getValue<std::size_t>("keywords");
      proof.covered = c->getValue<std::size_t>("both");
      proof.coverable = c->getValue<std::size_t>("coverable");
      for (const char* list : {"uncoverable", "missing"}) {
        const auto a = c->getArray(list);
        for (std::size_t i = 0; a && i < a->size(); ++i) {
          (std::string(list) == "missing" ? proof.missing : proof.uncoverable)
              .push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
        }
      }
      continue;
    }
    ++proof.cases;
    std::ostringstream submission;
    Poco::JSON::Stringifier::condense(o->get("submission"), submission);
    const bool ajv_valid = o->getValue<std::string>("ajv") == "valid";
    const auto result = askonce::engine::validate_json(plan, submission.str(), ctx);
    if (result.ok() == ajv_valid) continue;
    ++proof.differences;
    if (show_differences(schema)) {
      std::cout << "  difference " << o->getValue<std::string>("name") << " (ajv " << (ajv_valid ? "valid" : "invalid")
                << "): " << askonce::engine::format_errors(result.errors).substr(0, 400) << "    "
                << submission.str().substr(0, 300) << "\n";
    }
    std::set<std::string> why;
    if (ajv_valid) {
      for (const auto& e : result.errors) why.insert("askonce:" + e.code);
    } else {
      const auto errors = o->getArray("errors");
      for (std::size_t i = 0; i < errors->size(); ++i) {
        const std::string path = errors->getElement<std::string>(static_cast<unsigned>(i));
        std::string keyword = path.substr(path.rfind('/') + 1);
        // A required name's path ends with the name: the keyword is the one before it.
        const auto req = path.rfind("/required/");
        if (req != std::string::npos && path.find('/', req + 10) == std::string::npos) keyword = "required";
        why.insert("ajv:" + keyword);
      }
    }
    for (const auto& w : why) ++proof.causes[w];
  }
  return proof;
}

}  // namespace

BOOST_AUTO_TEST_CASE(imported_va_forms_agree_with_ajv_on_generated_submissions) {
  BOOST_TEST_REQUIRE(fs::exists("node_modules/ajv"), "node_modules/ajv is missing: npm ci");
  const fs::path table = "tests/import/va_differences.tsv";
  std::map<std::string, std::string> expected;
  {
    std::istringstream in(askonce::test::read(table));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      expected[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  std::ostringstream written;
  written << "# tests/import/va_differences.tsv: per VA schema, what import_tests finds (rewrite: import_tests -- --accept).\n"
          << "# schema\twarnings\tcases\tkeyword occurrences covered (pass and fail)/coverable, and those no submission can cover\tdifferences\tcauses (ajv's keyword where only ajv refuses; askonce's code where only askonce does)\n";
  std::size_t total_cases = 0, total_differences = 0, total_keywords = 0, total_covered = 0, total_coverable = 0, clean = 0,
              agreeing = 0;
  std::cout << "schema | warnings | cases | coverage | differences | causes\n";
  for (const auto& p : va_schemas()) {
    const auto r = import_json_schema(p.string(), askonce::test::read(p));
    if (r.has_errors()) continue;
    const auto proof = prove(p, r.form_text);
    const std::string name = p.filename().string();
    if (!proof.unusable.empty()) {
      // No verdict to compare with: ajv refuses the VA's own schema.
      const std::string row = std::to_string(r.diagnostics.size()) + "\tajv cannot compile the schema: " + proof.unusable;
      written << name << "\t" << row << "\n";
      std::cout << name << " | " << row << "\n";
      if (!accept_mode()) BOOST_TEST(expected[name] == row, name << ": the proof changed");
      continue;
    }
    // Covered of coverable, and how many no submission can cover (the generator says why).
    const std::string coverage = std::to_string(proof.covered) + "/" + std::to_string(proof.coverable) +
                                 (proof.uncoverable.empty() ? "" : ", " + std::to_string(proof.uncoverable.size()) + " uncoverable");
    const std::string row = std::to_string(r.diagnostics.size()) + "\t" + std::to_string(proof.cases) + "\t" + coverage +
                            "\t" + std::to_string(proof.differences) + "\t" + causes_text(proof.causes);
    written << name << "\t" << row << "\n";
    std::cout << name << " | " << r.diagnostics.size() << " | " << proof.cases << " | " << coverage << " | "
              << proof.differences << " | " << causes_text(proof.causes) << "\n";
    if (show_differences(p)) {
      for (const auto& m : proof.missing) std::cout << "  not covered: " << m << "\n";
      for (const auto& u : proof.uncoverable) std::cout << "  uncoverable: " << u << "\n";
    }
    BOOST_TEST(proof.cases > 0u, name << ": the generator made no case");
    const std::string missing = missing_constructs(r);
    if (!missing.empty()) std::cout << "  constructs issue 14 names that this schema needs: " << missing << "\n";
    if (!accept_mode()) {
      BOOST_TEST(expected[name] == row, name << ": the proof changed; if deliberately, rewrite with -- --accept");
    }
    total_cases += proof.cases;
    total_differences += proof.differences;
    total_keywords += proof.keywords;
    total_covered += proof.covered;
    total_coverable += proof.coverable;
    if (r.diagnostics.empty()) ++clean;
    if (proof.differences == 0) ++agreeing;
  }
  std::cout << "total: " << total_cases << " cases, " << total_covered << "/" << total_coverable
            << " coverable keyword occurrences covered (" << total_keywords - total_coverable << " of " << total_keywords
            << " uncoverable), " << total_differences << " differences; " << clean
            << " schemas import with no warning, " << agreeing << " agree with ajv on every case\n";
  if (accept_mode()) std::ofstream(table, std::ios::binary) << written.str();
}

BOOST_AUTO_TEST_CASE(imported_test_suite_schemas_agree_with_the_suite) {
  const fs::path suite = "../shared/corpus/json-schema-test-suite";
  const fs::path table = "tests/import/jsts_differences.tsv";
  std::map<std::string, std::string> expected;
  {
    std::istringstream in(askonce::test::read(table));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto tab = line.find('\t');
      expected[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  std::ostringstream written;
  written << "# tests/import/jsts_differences.tsv: per JSON Schema Test Suite file, what import_tests finds (rewrite: import_tests -- --accept).\n"
          << "# file\tgroups imported/groups\ttests\tagreeing\tdifferences\n";
  const auto ctx = askonce::engine::Context::on(*askonce::engine::parse_date("2026-01-15"));
  std::size_t all_tests = 0, all_agree = 0;
  for (const char* draft : {"draft4", "draft7", "draft2020-12"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(suite / draft)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    const std::string meta = std::string(draft) == "draft4"   ? "http://json-schema.org/draft-04/schema#"
                             : std::string(draft) == "draft7" ? "http://json-schema.org/draft-07/schema#"
                                                              : "https://json-schema.org/draft/2020-12/schema";
    for (const auto& file : files) {
      Poco::JSON::Parser parser;
      const auto groups = parser.parse(askonce::test::read(file)).extract<Poco::JSON::Array::Ptr>();
      std::size_t imported = 0, tests = 0, agree = 0;
      for (std::size_t g = 0; g < groups->size(); ++g) {
        const auto group = groups->getObject(static_cast<unsigned>(g));
        // The group's schema as property `v`; its definitions where its $refs look for them.
        Poco::JSON::Object::Ptr root = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        root->set("$schema", meta);
        root->set("type", "object");
        Poco::JSON::Object::Ptr props = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        const auto schema = group->get("schema");
        props->set("v", schema);
        if (schema.type() == typeid(Poco::JSON::Object::Ptr)) {
          const auto o = schema.extract<Poco::JSON::Object::Ptr>();
          for (const char* k : {"definitions", "$defs"}) {
            if (o->has(k)) root->set(k, o->get(k));
          }
        }
        root->set("properties", props);
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(root, text);
        const auto r = import_json_schema("suite.json", text.str(), {"suite"});
        const auto cases = group->getArray("tests");
        tests += cases->size();
        if (r.has_errors()) continue;
        auto compiled = askonce::dsl::compile_text("suite.form", r.form_text);
        BOOST_TEST(!compiled.has_errors(), file.string() << " group " << g << ": " << askonce::dsl::format_diagnostics(compiled).substr(0, 600));
        if (!compiled.form) continue;
        ++imported;
        const askonce::engine::Plan plan(std::move(*compiled.form));
        for (std::size_t t = 0; t < cases->size(); ++t) {
          const auto c = cases->getObject(static_cast<unsigned>(t));
          Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
          data->set("v", c->get("data"));
          std::ostringstream json;
          Poco::JSON::Stringifier::condense(data, json);
          if (askonce::engine::validate_json(plan, json.str(), ctx).ok() == c->getValue<bool>("valid")) ++agree;
        }
      }
      const std::string name = std::string(draft) + "/" + file.filename().string();
      const std::string row = std::to_string(imported) + "/" + std::to_string(groups->size()) + "\t" + std::to_string(tests) +
                              "\t" + std::to_string(agree) + "\t" + std::to_string(tests - agree);
      written << name << "\t" << row << "\n";
      std::cout << name << " | " << imported << "/" << groups->size() << " groups | " << tests << " tests | " << agree
                << " agree | " << tests - agree << " differ\n";
      if (!accept_mode()) BOOST_TEST(expected[name] == row, name << ": the suite's results changed; if deliberately, -- --accept");
      all_tests += tests;
      all_agree += agree;
    }
  }
  std::cout << "JSON Schema Test Suite: " << all_agree << " of " << all_tests << " tests agree\n";
  if (accept_mode()) std::ofstream(table, std::ios::binary) << written.str();
}
