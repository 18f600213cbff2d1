// tests/docs_tests.cpp: the examples in docs/dsl.md and docs/diagnostics.md, run.
//
// A ```form block must compile with exactly the diagnostics of the ```diagnostics block
// right after it, or with none. Examples compile as if they were files in forms/.
#define BOOST_TEST_MODULE docs_tests
#include <boost/test/unit_test.hpp>

#include "tests/test_support.hpp"

namespace {

struct Example {
  std::size_t line = 0;  // where the ```form block starts in the document
  std::string text;
  bool has_expected = false;
  std::vector<std::string> expected;
};

std::vector<Example> examples(const std::string& doc) {
  std::vector<Example> out;
  std::istringstream in(doc);
  std::string line;
  std::size_t n = 0;
  enum { outside, in_form, after_form, in_diag, in_other } state = outside;
  while (std::getline(in, line)) {
    ++n;
    switch (state) {
      case outside:
      case after_form:
        if (line == "```form") {
          out.push_back({n, "", false, {}});
          state = in_form;
        } else if (state == after_form && line == "```diagnostics") {
          out.back().has_expected = true;
          state = in_diag;
        } else if (line.starts_with("```")) {
          state = in_other;
        } else if (state == after_form && !line.empty()) {
          state = outside;
        }
        break;
      case in_form:
        if (line == "```") state = after_form;
        else out.back().text += line + "\n";
        break;
      case in_diag:
        if (line == "```") state = outside;
        else if (!line.empty()) out.back().expected.push_back(line);
        break;
      case in_other:
        if (line == "```") state = outside;
        break;
    }
  }
  return out;
}

void run_examples(const std::string& doc_path, std::size_t at_least) {
  const auto all = examples(askonce::test::read(doc_path));
  BOOST_TEST(all.size() >= at_least, doc_path << " has " << all.size() << " examples");
  for (const auto& ex : all) {
    BOOST_TEST_CONTEXT(doc_path << ":" << ex.line) {
      const auto r = askonce::dsl::compile_text("forms/docs-example.form", ex.text);
      const auto got = askonce::test::first_lines(r);
      BOOST_TEST(got == ex.expected, boost::test_tools::per_element());
      if (!ex.has_expected) BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(language_reference_examples_compile_as_documented) {
  run_examples("docs/dsl.md", 9);
}

BOOST_AUTO_TEST_CASE(diagnostics_reference_examples_print_what_is_documented) {
  run_examples("docs/diagnostics.md", 10);
}

BOOST_AUTO_TEST_CASE(every_code_the_importer_uses_is_documented) {
  const std::string doc = askonce::test::read("docs/diagnostics.md");
  for (const auto& [source, at_least] : {std::pair<const char*, std::size_t>{"dsl/import/json_schema.cpp", 20u},
                                         std::pair<const char*, std::size_t>{"dsl/import/xform.cpp", 9u}}) {
    const std::string text = askonce::test::read(source);
    std::size_t codes = 0;
    for (std::size_t i = 1; i + 5 <= text.size(); ++i) {
      if (text[i] == 'I' && text[i - 1] == '"' && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 4]))) {
        const std::string code = text.substr(i, 5);
        ++codes;
        BOOST_TEST_CONTEXT(source << " uses " << code) {
          BOOST_TEST(doc.find("### " + code) != std::string::npos);
        }
      }
    }
    BOOST_TEST(codes >= at_least, source);
  }
}

BOOST_AUTO_TEST_CASE(every_code_the_compiler_uses_is_documented) {
  // Each "P0123"/"S0123"/"W0123" string in dsl/ must have a heading in docs/diagnostics.md.
  const std::string doc = askonce::test::read("docs/diagnostics.md");
  for (const char* source : {"dsl/grammar.hpp", "dsl/errors.hpp", "dsl/actions.hpp", "dsl/parser.cpp", "dsl/compiler.cpp",
                             "dsl/semantic.cpp", "dsl/plain.cpp"}) {
    const std::string text = askonce::test::read(source);
    for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
      if ((text[i] == 'P' || text[i] == 'S' || text[i] == 'W') && (i == 0 || text[i - 1] == '"') &&
          std::isdigit(static_cast<unsigned char>(text[i + 1])) && std::isdigit(static_cast<unsigned char>(text[i + 4]))) {
        const std::string code = text.substr(i, 5);
        BOOST_TEST_CONTEXT(source << " uses " << code) {
          BOOST_TEST(doc.find("### " + code) != std::string::npos);
        }
      }
    }
  }
}
