// tests/grammar_tests.cpp: every grammar rule: PEGTL's analyze, and strings each rule must
// accept or reject, in isolation. Whole-file syntax errors are tested in syntax_tests.cpp.
#define BOOST_TEST_MODULE grammar_tests
#include <boost/test/unit_test.hpp>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/actions.hpp"
#include "dsl/errors.hpp"
#include "dsl/grammar.hpp"

namespace g = askonce::dsl::grammar;
namespace pegtl = tao::pegtl;

namespace {

/// Whether Rule matches all of `text`, without raising (no actions run).
template <typename Rule>
bool accepts(std::string_view text) {
  std::vector<askonce::Diagnostic> diagnostics;
  askonce::dsl::Limits limits;
  askonce::dsl::ParserState st(text, 0, limits, diagnostics);
  pegtl::memory_input<pegtl::tracking_mode::eager> in(text.data(), text.data() + text.size(), "");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, pegtl::nothing, g::control>(in, st) && diagnostics.empty();
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

template <typename Rule>
void check(std::initializer_list<std::string_view> good, std::initializer_list<std::string_view> bad) {
  for (auto s : good) BOOST_TEST(accepts<Rule>(s), "should accept: " << s);
  for (auto s : bad) BOOST_TEST(!accepts<Rule>(s), "should reject: " << s);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_grammar_has_no_infinite_loops_or_left_recursion) {
  BOOST_TEST(pegtl::analyze<g::file>(-1) == 0u);
}

BOOST_AUTO_TEST_CASE(whitespace_and_comments) {
  check<g::ws>({"", " ", "\t\r\n", "// to the end\n", "/* a\nblock */", "// end of file"},
               {"x", "/* not closed"});
}

BOOST_AUTO_TEST_CASE(names) {
  check<g::name>({"a", "_x", "return_date", "veteranFullName", "days", "text"},
                 {"", "1a", "a-b", "and", "or", "not", "in", "true", "false", "if", "as", "a.b"});
  check<g::field_ref>({"a", "person.ssn", "a.b.c"}, {"a.", ".a", "a..b", "person. ssn"});
}

BOOST_AUTO_TEST_CASE(strings_and_escapes) {
  check<g::string_lit>({R"("")", R"("plain")", R"("Número de Seguro Social")", R"("say \"hi\"")",
                        R"("a\\b")", R"("line\nbreak\ttab")", R"("\u{1F600}")", R"("\u{e9}")"},
                       {R"("no end)", "\"two\nlines\"", R"("\q")", R"("\u{}")", R"("\u{1234567}")", R"('single')"});
}

BOOST_AUTO_TEST_CASE(literals) {
  check<g::number>({"0", "12", "12.50", "999999999999.99"}, {"", "1.", ".5", "1e5", "12abc", "-1"});
  check<g::date_lit>({"2024-02-29", "1900-01-01"}, {"2024-2-29", "24-02-29", "2024-02-290", "2024/02/29"});
  check<g::duration_lit>({"30 days", "1 day", "2 weeks", "1 week", "6 months", "1 month", "18 years", "1 year", "3\ndays"},
                         {"30", "days", "30 dayz", "1.5 days", "30 daysx"});
  check<g::literal>({"true", "false", "\"x\"", "3", "2024-01-01", "30 days"}, {"truex", "nil", "null"});
}

BOOST_AUTO_TEST_CASE(texts_and_language_codes) {
  check<g::lang_code>({"en", "es", "fil", "pt-BR", "zh-Hant"}, {"e", "EN", "engl", "en_", "e1"});
  check<g::text>({R"("Full name")", R"("Full name" es "Nombre completo")", R"(en "Name" es "Nombre")",
                  "\"Name\"\n    es \"Nombre\"", R"("A" es "B" fr "C")"},
                 {"", R"(es)", R"("A" es)", R"("A" "B")", "Name"});
}

BOOST_AUTO_TEST_CASE(expressions) {
  check<g::expr>({"a", "a.b", "1 + 2 * 3", "-x", "- - x", "(a)", "((a + b) * c)", "a == \"x\"", "a != b", "a < b",
                  "a <= b", "a > b", "a >= b", "a and b or not c", "not not a", "x in [1, 2, 3]", "x not in [\"a\"]",
                  "today()", "age(birth)", "count(household)", "sum(household.income)", "contains(c, \"v\")",
                  "move_date <= today() + 30 days", "is_blank(x) or length(t) > 3", "a/b", "a-b"},
                 {"", "a +", "(a", "a)", "f(", "f(a,)", "x in 1", "x in [", "x in []", "a = b", "a and", "not", "a ==",
                  "1 2", "[1]"});
}

BOOST_AUTO_TEST_CASE(properties) {
  check<g::property>({"required", "required if a > 1", "show if kind == \"temporary\"", "check x > 1 \"Too small.\"",
                      "check x > 1 \"Too small.\" es \"Demasiado pequeño.\"", "pattern \"[0-9]{5}\" \"Five digits.\"",
                      "min 1", "max 100", "min 0.01", "min -5", "max 2030-12-31", "hint \"Help\"", "default 3",
                      "default \"permanent\"", "default true", "default -1", "computed 1 + count(h)", "sensitive",
                      "option a \"A\"", "option \"A: State\" \"State\"", "option 1 \"One\"", "from us_states",
                      "ask \"What is your date of birth?\"", "ask \"Why?\" es \"¿Por qué?\"",
                      // A rule of one alternative: `if EXPR` after a check's or a pattern's message.
                      "pattern \"[0-9]{5}\" \"Five digits.\" if country == \"USA\"",
                      "pattern \"[0-9]{5}\" \"Five.\" es \"Cinco.\" if is_blank(c) or c in [\"A\", \"B\"]",
                      "check length(z) <= 10 \"At most 10.\" if not c"},
                     {"require", "show a", "show if", "check x > 1", "pattern \"x\"", "min", "max abc", "hint",
                      "default", "computed", "option a", "from", "from \"x\"", "ask", "ask why",
                      "pattern \"x\" \"X.\" if", "check x > 1 \"X.\" if and", "min 1 if c", "pattern \"x\" if c \"X.\""});
}

BOOST_AUTO_TEST_CASE(items) {
  check<g::item>({"text a \"A\"", "text a \"A\" { required }", "note n \"Read this.\"", "use person", "use person as spouse",
                  "use person as spouse { show if married }", "repeat h \"Person\" { max 10 text n \"Name\" }",
                  "repeat h \"P\" { repeat i \"Q\" { date d \"D\" } }", "address home \"Home\" { required }",
                  "choices c \"C\" { option a \"A\" option b \"B\" }", "name full_name \"Name\""},
                 {"text \"A\"", "text a", "texts a \"A\"", "use", "use \"file.form\"", "repeat h \"P\"", "use p as"});
}

BOOST_AUTO_TEST_CASE(form_parts) {
  check<g::setting>({"title \"T\"", "version 1", "languages en es", "standard \"S\"", "description \"D\"",
                     "purpose \"P\" es \"P\"", "eligibility \"E\"", "duration \"About 5 minutes\"", "needs { }",
                     "needs { \"A\" }", "needs {\n  \"A\" es \"a\"\n  \"B\" es \"b\" // a comment\n}",
                     "apply phone \"Call 311.\"", "apply in_person \"Come by.\" es \"Venga.\"", "apply mail \"Mail it.\"",
                     "plain grade 8", "plain  grade\n  12"},
                    {"title", "version x", "languages", "languages EN", "version -1", "purpose", "needs \"A\"",
                     "needs { \"A\"", "needs { A }", "apply \"Call\"", "apply fax \"F\"", "apply phone", "duration 5",
                     "plain", "plain 8", "plain grade", "plain grade eight", "plain grade -1", "plain level 8"});
  check<g::section>({"section s \"S\" { }", "section s \"S\" { text a \"A\" }"}, {"section s { }", "section \"S\" { }"});
  check<g::agency>({"agency a \"A\" { receives x }", "agency a \"A\" { when v receives x, y as Y, z as \"P/Q\" }",
                    "agency a \"A\" {\n  when kind == \"permanent\"\n  receives person.name as TaxpayerName\n}"},
                   {"agency a { }", "agency a \"A\" { receives }", "agency a \"A\" { receives x, }",
                    "agency a \"A\" { when }", "agency a \"A\" { xml { root } }", "agency a \"A\" { xml { color \"x\" } }",
                    "agency a \"A\" { xml { namespace \"u\" } }"});
  check<g::agency>({"agency a \"A\" { standard 30 days \"S\" message m \"M\" receives x }",
                    "agency a \"A\" {\n  receives x\n  standard 10 working days \"S\" es \"E\"\n  message m \"M\" es \"E\"\n}"},
                   {"agency a \"A\" { standard \"S\" }", "agency a \"A\" { message \"M\" }"});
  check<g::a_standard>({"standard 30 days \"S\"", "standard 1 day \"S\"", "standard 10 working days \"S\" es \"E\"",
                        "standard 1 working day \"S\"", "standard 3650 days en \"S\" es \"E\"",
                        "standard 10\n  working /* comment */ days\n  \"S\""},
                       {"standard \"S\"", "standard 30 \"S\"", "standard 30 days", "standard -1 days \"S\"",
                        "standard thirty days \"S\"", "standard 30 days S"});
  // Another unit is read as a word or two, so that its action names it in the error (P0113,
  // syntax_tests); reserved words as names likewise (P0110).
  check<g::standard_other_unit>({"weeks", "business days", "working", "daysx"}, {"", "4", "\"S\""});
  check<g::a_message>({"message need_proof_of_address \"M\"", "message m \"M\" es \"E\""},
                      {"message \"M\"", "message m", "message m m"});
  check<g::a_xml>({"xml { }", "xml {\n  root \"SF424_4_0:SF424_4_0\"\n  namespace SF424_4_0 \"http://apply.grants.gov/forms/SF424_4_0-V4.0\"\n"
                   "  namespace \"\" \"urn:default\"\n  attribute \"SF424_4_0:FormVersion\" \"4.0\"\n  yes \"Y: Yes\"\n  no \"N: No\"\n}"},
                  {"xml", "xml root \"r\"", "xml { root r }", "xml { attribute \"a\" }"});
}

BOOST_AUTO_TEST_CASE(building_on_an_imported_form) {
  check<g::place_item>({"place a", "place a, b, c", "place a,\n  b", "place a \"A\"", "place a \"A\" es \"a\"",
                        "place a { }", "place a \"A\" {\n  hint \"H\"\n  message \"M\" es \"m\"\n  option x \"X\"\n}",
                        "place g { required field first \"First\" { message \"M\" } field last }",
                        "place r \"R\" { field a { field b \"B\" } }", "place a { check a != b \"No.\" sensitive }"},
                       {"place", "place \"a\"", "place a,", "place a, \"b\"", "place a { message }",
                        "place a { field }", "place a { text b \"B\" }"});
  check<g::section>({"section s \"S\" { place a text b \"B\" place c, d }"}, {"section s \"S\" { place }"});
  check<g::extends_decl>({"extends \"imported/va-10-10ez.form\"", "extends  \"a.form\""},
                         {"extends", "extends a", "extends imported/a.form"});
  check<g::declaration>({"extends \"imported/a.form\""}, {"extend \"a.form\""});
}

BOOST_AUTO_TEST_CASE(declarations) {
  check<g::declaration>({"use \"common/person.form\"", "block b { text a \"A\" }", "list l { option a \"A\" }",
                         "form f { title \"T\" version 1 languages en }"},
                        {"use person", "block { }", "list l { text a \"A\" }", "form { }", "forms f { }"});
  check<g::file>({"", "// only a comment\n", "use \"a.form\"\nblock b { }\nlist l { }\nform f { }\n"},
                 {"}", "form f {", "junk"});
}
