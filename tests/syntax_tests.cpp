// tests/syntax_tests.cpp: syntax and input diagnostics (P codes) through the public API:
// exact code, message and position; recovery; limits; positions in code points.
#define BOOST_TEST_MODULE syntax_tests
#include <boost/test/unit_test.hpp>

#include <map>

#include "tests/test_support.hpp"

using askonce::dsl::compile_text;
using askonce::test::first_lines;
using Lines = std::vector<std::string>;

namespace {

std::string form_with(const std::string& section_body) {
  return "form f {\n  title \"F\"\n  version 1\n  languages en\n  section s \"S\" {\n" + section_body + "  }\n}\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_syntax_error_in_a_file_is_reported_in_one_run) {
  const auto r = compile_text("t.form", form_with("    txet a \"A\"\n"
                                                 "    date b \"B\" { requird }\n"
                                                 "    integer c \"C\" { computed 1 + }\n"
                                                 "    text d \"D\" { show if d = \"x\" }\n"
                                                 "    text e \"E\"\n"));
  BOOST_TEST(first_lines(r) ==
                 (Lines{"6:5: error[P0106]: unexpected 'txet': expected a field (like 'text', 'date' or 'choice'), 'use', 'repeat', or '}'",
                        "7:18: error[P0106]: unexpected 'requird': expected a property ('required', 'show if', 'check', 'pattern', 'min', 'max', 'hint', 'ask', 'default', 'computed', 'sensitive', 'option', 'from', 'unanswered') or '}'",
                        "8:34: error[P0301]: expected a value after this operator",
                        "9:28: error[P0304]: '=' does not compare values"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.diagnostics[0].hint == "did you mean 'text'?");
  BOOST_TEST(r.diagnostics[1].hint == "did you mean 'required'?");
  BOOST_TEST(!r.form);
}

BOOST_AUTO_TEST_CASE(a_forgotten_brace_is_reported_at_the_brace_and_the_rest_still_parses) {
  const auto r = compile_text("t.form", form_with("    text a \"A\" { required\n"
                                                 "    text b \"B\" { requird }\n"));
  BOOST_TEST(first_lines(r) ==
                 (Lines{"6:16: error[P0105]: this '{' is not closed before 'text' on line 7",
                        "7:18: error[P0106]: unexpected 'requird': expected a property ('required', 'show if', 'check', 'pattern', 'min', 'max', 'hint', 'ask', 'default', 'computed', 'sensitive', 'option', 'from', 'unanswered') or '}'"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.diagnostics[0].hint == "add '}' before line 7");
}

BOOST_AUTO_TEST_CASE(an_unclosed_brace_at_the_end_of_the_file) {
  const auto r = compile_text("t.form", "form f {\n  title \"F\"\n  version 1\n  languages en\n");
  BOOST_TEST(first_lines(r) == (Lines{"1:8: error[P0105]: this '{' is never closed"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_stray_closing_brace) {
  const auto r = compile_text("t.form", "block b { text a \"A\" }\n}\n");
  BOOST_TEST(first_lines(r) == (Lines{"2:1: error[P0101]: this '}' closes nothing"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(columns_count_code_points_not_bytes) {
  // "Dirección" has one two-byte character before the error.
  const auto r = compile_text("t.form", "block b { text a \"Dirección\" es \"Dirección\" { requird } }\n");
  BOOST_TEST(first_lines(r).size() == 1u);
  BOOST_TEST(r.diagnostics[0].where.column == 47u);  // 49 in bytes
  BOOST_TEST(r.diagnostics[0].where.length == 7u);
  const auto shown = askonce::dsl::format_diagnostics(r);
  BOOST_TEST(shown.find("    1 | block b { text a \"Dirección\" es \"Dirección\" { requird } }\n"
                        "      |                                               ^~~~~~~\n") != std::string::npos,
             shown);
}

BOOST_AUTO_TEST_CASE(windows_line_endings_and_a_byte_order_mark_are_accepted) {
  const auto r = compile_text("t.form", "\xEF\xBB\xBF" "form f {\r\n  title \"F\"\r\n  version 1\r\n  languages en\r\n"
                                        "  section s \"S\" {\r\n    text a \"A\" { requird }\r\n  }\r\n}\r\n");
  BOOST_TEST(first_lines(r).size() == 1u);
  BOOST_TEST(r.diagnostics.at(0).where.line == 6u);
  BOOST_TEST(r.diagnostics.at(0).where.column == 18u);
  const auto ok = compile_text("t.form", "form f {\r\n  title \"F\"\r\n  version 1\r\n  languages en\r\n}\r\n");
  BOOST_TEST(askonce::dsl::format_diagnostics(ok) == "");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_reported_at_the_first_bad_byte) {
  for (const std::string bad : {"\xE9", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF"}) {
    const auto r = compile_text("t.form", "form f {\n  title \"a" + bad + "b\"\n}\n");
    BOOST_TEST_CONTEXT("bytes " << bad.size()) {
      BOOST_REQUIRE(r.diagnostics.size() == 1u);
      BOOST_TEST(r.diagnostics[0].code == "P0003");
      BOOST_TEST(r.diagnostics[0].where.line == 2u);
      BOOST_TEST(r.diagnostics[0].where.column == 11u);
    }
  }
}

BOOST_AUTO_TEST_CASE(binary_junk_is_reported_as_such) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  const auto r = compile_text("t.form", png);
  BOOST_TEST(first_lines(r) == (Lines{"1:1: error[P0003]: this file is not valid UTF-8 text: byte 0x89 cannot appear here"}),
             boost::test_tools::per_element());
  const auto ctrl = compile_text("t.form", "form f {\n\x1A}");
  BOOST_TEST(first_lines(ctrl) == (Lines{"2:1: error[P0004]: control character U+001A is not allowed in a .form file"}),
             boost::test_tools::per_element());
  const auto nul = compile_text("t.form", std::string("form\0", 5));
  BOOST_TEST(nul.diagnostics.at(0).hint == "this looks like a binary file, not a .form file");
}

BOOST_AUTO_TEST_CASE(a_file_over_the_size_limit_is_refused_unread) {
  askonce::dsl::Options options;
  options.limits.max_file_bytes = 1 << 20;
  const auto r = compile_text("big.form", std::string((1 << 20) + 1, ' '), options);
  BOOST_TEST(first_lines(r) == (Lines{"error[P0002]: this file is larger than the limit of 1 MiB"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_a_diagnostic_not_a_stack_overflow) {
  const auto parens = compile_text("t.form", form_with("    integer a \"A\" { computed " + std::string(100000, '(') + "1" +
                                                      std::string(100000, ')') + " }\n"));
  BOOST_TEST(first_lines(parens) ==
                 (Lines{"6:78: error[P0208]: this expression is nested too deeply (more than 48 levels); split it into computed fields"}),
             boost::test_tools::per_element());
  std::string repeats;
  for (int i = 0; i < 40; ++i) repeats += "repeat r" + std::to_string(i) + " \"R\" {\n";
  for (int i = 0; i < 40; ++i) repeats += "}\n";
  const auto braces = compile_text("t.form", form_with(repeats));
  BOOST_REQUIRE(!braces.diagnostics.empty());
  BOOST_TEST(braces.diagnostics[0].code == "P0207");
  BOOST_TEST(braces.diagnostics[0].message == "braces are nested too deeply (more than 32 levels)");
}

BOOST_AUTO_TEST_CASE(a_long_flat_expression_is_limited_too) {
  std::string chain = "1";
  for (int i = 0; i < 300; ++i) chain += " + 1";
  const auto r = compile_text("t.form", form_with("    integer a \"A\" { computed " + chain + " }\n"));
  BOOST_REQUIRE(!r.diagnostics.empty());
  BOOST_TEST(r.diagnostics[0].code == "P0208");
  BOOST_TEST(r.diagnostics[0].message == "this expression has more than 256 operators; split it into computed fields");
}

BOOST_AUTO_TEST_CASE(the_number_of_diagnostics_is_capped) {
  std::string body;
  for (int i = 0; i < 500; ++i) body += "    txet a" + std::to_string(i) + " \"A\"\n";
  const auto r = compile_text("t.form", form_with(body));
  BOOST_TEST(r.diagnostics.size() == 201u);
  BOOST_TEST(r.diagnostics.back().code == "P0005");
  BOOST_TEST(r.diagnostics.back().message == "too many problems; stopped after 200");
}

BOOST_AUTO_TEST_CASE(reserved_words_cannot_be_names) {
  for (const std::string word : {"and", "or", "not", "in", "true", "false", "if", "as"}) {
    const auto r = compile_text("t.form", form_with("    text " + word + " \"A\"\n"));
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(first_lines(r) == (Lines{"6:10: error[P0110]: '" + word + "' is a reserved word and cannot be a name"}),
                 boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(dates_in_the_source_must_be_real) {
  const auto leap = compile_text("t.form", form_with("    date d \"D\" { min 2024-02-29 max 2100-02-28 }\n"));
  BOOST_TEST(askonce::dsl::format_diagnostics(leap) == "");
  for (const std::string bad : {"2023-02-29", "2100-02-29", "2024-13-01", "2024-04-31", "2024-00-10"}) {
    const auto r = compile_text("t.form", form_with("    date d \"D\" { min " + bad + " }\n"));
    BOOST_TEST(first_lines(r) == (Lines{"6:22: error[P0205]: " + bad + " is not a real date"}), boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(string_escapes_decode) {
  const auto r = compile_text("t.form", "form f {\n  title \"Tab\\there \\\"q\\\" \\\\ \\u{E9}\\u{1F600}\"\n  version 1\n  languages en\n}\n");
  BOOST_REQUIRE(r.form);
  BOOST_TEST(r.form->title.at("en") == "Tab\there \"q\" \\ \xC3\xA9\xF0\x9F\x98\x80");
}

BOOST_AUTO_TEST_CASE(comments_are_ignored_anywhere_between_words) {
  const auto r = compile_text("t.form", "// a form\nform /* inline */ f { // trailing\n  title \"F\" /* multi\nline */ version 1\n"
                                        "  languages en\n}\n");
  BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
  BOOST_TEST(r.form.has_value());
}

BOOST_AUTO_TEST_CASE(plain_grade_needs_the_word_grade_and_a_whole_number) {
  const auto r = compile_text("t.form", "form f {\n  title \"F\"\n  version 1\n  languages en\n  plain 8\n"
                                        "  plain grade eight\n}\n");
  BOOST_TEST(first_lines(r) ==
                 (Lines{"5:9: error[P0109]: expected 'grade' and the reading grade after 'plain', like: plain grade 8",
                        "6:15: error[P0109]: expected the reading grade, a whole number, like: plain grade 8"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_setting_with_a_syntax_error_is_not_also_reported_missing) {
  const auto r = compile_text("t.form", "form f {\n  title \"F\"\n  version one\n  languages en\n}\n");
  BOOST_TEST(first_lines(r) == (Lines{"3:11: error[P0109]: expected a whole number after 'version'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_agencys_standard_and_messages_have_their_own_syntax_errors) {
  const auto r = compile_text("t.form", "form f {\n  title \"F\"\n  version 1\n  languages en\n"
                                        "  section s \"S\" { text a \"A\" }\n"
                                        "  agency x \"X\" {\n"
                                        "    receives a\n"
                                        "    standard \"We decide soon.\"\n"             // 8: no number
                                        "    standard 30 \"Within 30.\"\n"               // 9: no unit
                                        "    standard 4 weeks \"Within 4 weeks.\"\n"     // 10
                                        "    standard 2 months \"Within 2 months.\"\n"   // 11
                                        "    standard 10 business  days \"Within 10.\"\n"  // 12
                                        "    standard 10 working \"Within 10.\"\n"       // 13
                                        "    standard 10 days\n"                           // 14: no text
                                        "    message \"Send a proof.\"\n"                // 15: no name
                                        "    message in \"In.\"\n"                       // 16: reserved
                                        "    standar 10 days \"x\"\n"                      // 17
                                        "    message need_proof\n"                         // 18: no text
                                        "  }\n}\n");
  BOOST_TEST(first_lines(r) ==
                 (Lines{"8:14: error[P0109]: expected the number of days after 'standard', like: standard 30 days \"We decide within 30 days.\"",
                        "9:17: error[P0109]: expected 'days' or 'working days' after the number, like: standard 10 working days \"...\"",
                        "10:16: error[P0113]: 'weeks' is not a unit of a service standard: write days or working days",
                        "11:16: error[P0113]: 'months' is not a unit of a service standard: write days or working days",
                        "12:17: error[P0113]: 'business days' is not a unit of a service standard: write days or working days",
                        "13:17: error[P0113]: 'working' is not a unit of a service standard: write days or working days",
                        "15:5: error[P0103]: expected in quotes what the citizen reads of the standard, like \"We decide within 30 days.\"",
                        "15:13: error[P0102]: expected the message's name after 'message', like: message need_proof_of_address \"...\"",
                        "16:13: error[P0110]: 'in' is a reserved word and cannot be a name",
                        "17:5: error[P0106]: unexpected 'standar': expected 'when', 'receives', 'standard', 'message', 'xml' or '}'",
                        "19:3: error[P0103]: expected in quotes the message the citizen reads"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.diagnostics.at(2).hint == "write weeks as days: 4 weeks is 28 days, or 20 working days");
  BOOST_TEST(r.diagnostics.at(3).hint == "write months as days: a month is about 30 days");
  BOOST_TEST(r.diagnostics.at(4).hint == "write 'working days': weekends and federal holidays are not counted");
  BOOST_TEST(r.diagnostics.at(5).hint == "write 'working days': weekends and federal holidays are not counted");
  BOOST_TEST(r.diagnostics.at(9).hint == "did you mean 'standard'?");
}

namespace {

/// Compiles `main` with the given files served from memory.
askonce::dsl::CompileResult compile_with(const std::map<std::string, std::string>& files, const std::string& main) {
  askonce::dsl::Options options;
  options.read_file = [files](const std::string& path) -> std::optional<std::string> {
    if (auto it = files.find(path); it != files.end()) return it->second;
    return std::nullopt;
  };
  return askonce::dsl::compile_file(main, options);
}

std::vector<std::string> with_files(const askonce::dsl::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    out.push_back(r.sources.at(d.where.file).path + ":" + std::to_string(d.where.line) + ":" +
                  std::to_string(d.where.column) + ": " + d.code + ": " + d.message);
  }
  return out;
}

const std::string tiny_form = "form f {\n  title \"F\"\n  version 1\n  languages en\n  section s \"S\" { use b }\n}\n";

}  // namespace

BOOST_AUTO_TEST_CASE(imports_are_found_relative_to_the_importing_file) {
  const auto r = compile_with({{"forms/f.form", "use \"common/b.form\"\n" + tiny_form},
                               {"forms/common/b.form", "use \"c.form\"\nblock b { choice t \"T\" { from l } }\n"},
                               {"forms/common/c.form", "list l { option x \"X\" }\n"}},
                              "forms/f.form");
  BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
  BOOST_REQUIRE(r.form);
  BOOST_TEST(r.form->sources == (Lines{"f.form", "common/b.form", "common/c.form"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_import_that_is_not_found) {
  const auto r = compile_with({{"forms/f.form", "use \"common/b.form\"\n" + tiny_form}}, "forms/f.form");
  BOOST_TEST(with_files(r) ==
                 (Lines{"forms/f.form:1:5: S0601: cannot find 'common/b.form' (looked for forms/common/b.form)",
                        "forms/f.form:6:23: S0102: unknown block 'b'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(circular_imports_name_the_whole_circle) {
  const auto r = compile_with({{"forms/f.form", "use \"a.form\"\n" + tiny_form},
                               {"forms/a.form", "use \"b.form\"\nblock b { text t \"T\" }\n"},
                               {"forms/b.form", "use \"a.form\"\n"}},
                              "forms/f.form");
  BOOST_TEST(with_files(r) ==
                 (Lines{"forms/b.form:1:5: S0602: circular import: forms/a.form -> forms/b.form -> forms/a.form"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.diagnostics.at(0).hint == "move what both files need into a third file that both import");
}

BOOST_AUTO_TEST_CASE(a_file_importing_itself_is_circular) {
  const auto r = compile_with({{"f.form", "use \"f.form\"\n"}}, "f.form");
  BOOST_TEST(with_files(r) == (Lines{"f.form:1:5: S0602: circular import: f.form -> f.form"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_imported_twice_is_read_once) {
  const auto r = compile_with({{"forms/f.form", "use \"a.form\"\nuse \"b.form\"\n" + tiny_form},
                               {"forms/a.form", "use \"b.form\"\n"},
                               {"forms/b.form", "block b { text t \"T\" }\n"}},
                              "forms/f.form");
  BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
  BOOST_TEST(r.sources.size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_number_of_files_is_limited) {
  std::map<std::string, std::string> files;
  for (int i = 0; i < 10; ++i) files["f" + std::to_string(i) + ".form"] = "use \"f" + std::to_string(i + 1) + ".form\"\n";
  files["f10.form"] = "";
  askonce::dsl::Options options;
  options.limits.max_files = 5;
  options.read_file = [files](const std::string& path) -> std::optional<std::string> {
    if (auto it = files.find(path); it != files.end()) return it->second;
    return std::nullopt;
  };
  const auto r = askonce::dsl::compile_file("f0.form", options);
  BOOST_TEST(with_files(r) == (Lines{"f4.form:1:5: S0603: too many files: a form may read at most 5"}),
             boost::test_tools::per_element());
}
