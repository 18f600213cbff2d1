// tests/docs_tests.cpp: the examples in docs/dsl.md and docs/diagnostics.md, run.
//
// A ```form block must compile with exactly the diagnostics of the ```diagnostics block
// right after it, or with none. Examples compile as if they were files in forms/.
// After a form (and its diagnostics, and any prose), pairs of a ```submission block (JSON)
// and an ```errors block run the last form above: the engine must give exactly those errors (format_errors, checked on
// 2024-05-01 in English), and an empty ```errors block means the submission is accepted. So a
// language construct's example shows what it means, not only that it compiles.
#define BOOST_TEST_MODULE docs_tests
#include <boost/test/unit_test.hpp>

#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "tests/test_support.hpp"

namespace {

struct Example {
  std::size_t line = 0;  // where the ```form block starts in the document
  std::string text;
  bool has_expected = false;
  std::vector<std::string> expected;
  struct Run {
    std::size_t line = 0;
    std::string submission;
    std::string errors;  // format_errors' text; empty: accepted
  };
  std::vector<Run> runs{};
};

std::vector<Example> examples(const std::string& doc) {
  std::vector<Example> out;
  std::istringstream in(doc);
  std::string line;
  std::size_t n = 0;
  enum { outside, in_form, after_form, in_diag, in_other, in_submission, before_errors, in_errors } state = outside;
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
        } else if (line == "```submission" && !out.empty()) {  // runs the last form above
          out.back().runs.push_back({n, "", ""});
          state = in_submission;
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
        if (line == "```") state = after_form;
        else if (!line.empty()) out.back().expected.push_back(line);
        break;
      case in_submission:
        if (line == "```") state = before_errors;
        else out.back().runs.back().submission += line + "\n";
        break;
      case before_errors:
        if (line == "```errors") state = in_errors;
        else if (!line.empty()) state = outside;  // no expected errors: the check below fails
        if (state == outside) out.back().runs.back().errors = "(no ```errors block after the submission)";
        break;
      case in_errors:
        if (line == "```") state = outside;
        else out.back().runs.back().errors += line + "\n";
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
      if (ex.runs.empty() || !r.form) continue;
      const askonce::engine::Plan plan(std::move(*r.form));
      const auto day = askonce::engine::Context::on(askonce::model::Date{2024, 5, 1}, "en", "web");
      for (const auto& run : ex.runs) {
        BOOST_TEST_CONTEXT(doc_path << ":" << run.line) {
          const auto v = askonce::engine::validate_json(plan, run.submission, day);
          BOOST_TEST(askonce::engine::format_errors(v.errors) == run.errors);
        }
      }
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
