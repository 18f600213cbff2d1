// tests/fuzz_regression_tests.cpp: hostile input never crashes, hangs or goes unexplained.
//
// Replays every saved fuzzer finding (tests/fuzz/regressions/) and seed (tests/fuzz/corpus/)
// the way the fuzzer ran it, and compiles generated hostile inputs: deep nesting, huge files,
// binary junk and invalid UTF-8. Each must return, and an input with errors must come with
// diagnostics whose positions point inside the source they name. The submission fuzzer's
// findings and seeds (tests/fuzz/submission_regressions/, submission_corpus/ and the VA
// corpus) replay through the same checks it runs (fuzz_submission.hpp), with hostile
// submissions of our own.
#define BOOST_TEST_MODULE fuzz_regression_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "tests/fuzz/fuzz_inputs.hpp"
#include "tests/fuzz/fuzz_submission.hpp"

namespace fs = std::filesystem;
using askonce::dsl::CompileResult;

namespace {

struct AtProjectRoot {
  AtProjectRoot() {
    if (!fs::exists("tests/fuzz")) fs::current_path(ASKONCE_SOURCE_DIR);
  }
};
BOOST_TEST_GLOBAL_FIXTURE(AtProjectRoot);

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Code points in line `line` (1-based) of `text`, or -1 when the text has no such line.
long line_length(const std::string& text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t n = 1; n < line; ++n) {
    const auto nl = text.find('\n', start);
    if (nl == std::string::npos) return -1;
    start = nl + 1;
  }
  auto end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  long cps = 0;
  for (std::size_t i = start; i < end; ++i) cps += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return cps;
}

// Every diagnostic has a well-formed code and points inside the source it names (a column
// may be one past the end of its line, for "expected ... at end of line"); and there is at
// least one when there are errors.
void check_diagnostics(const CompileResult& r, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    if (r.has_errors()) {
      BOOST_TEST(!r.diagnostics.empty());
      BOOST_TEST(!r.form.has_value());
    }
    BOOST_TEST(r.diagnostics.size() <= askonce::dsl::Limits{}.max_diagnostics + 1);
    static const std::regex code("[PSVRW][0-9]{4}");
    for (const auto& d : r.diagnostics) {
      BOOST_TEST(std::regex_match(d.code, code), "bad code '" << d.code << "'");
      BOOST_TEST(d.code != "P0000", "internal compiler error: " << d.message);
      BOOST_TEST(!d.message.empty());
      if (d.where.line == 0) continue;  // a diagnostic about the whole input
      BOOST_TEST_REQUIRE(d.where.file < r.sources.size(), d.code << ": file index out of range");
      const long len = line_length(r.sources[d.where.file].text, d.where.line);
      BOOST_TEST(len >= 0, d.code << ": line " << d.where.line << " past the end of the file");
      BOOST_TEST(d.where.column >= 1u, d.code << ": column 0");
      BOOST_TEST(static_cast<long>(d.where.column) <= len + 1,
                 d.code << ": column " << d.where.column << " past the end of line " << d.where.line);
    }
    BOOST_TEST(r.diagnostics.empty() == askonce::dsl::format_diagnostics(r).empty());
  }
}

CompileResult compile_as_fuzzer(const std::string& input) {
  return askonce::dsl::compile_text("fuzz.form", input, askonce::fuzz::options_for(input));
}

// Compiles a hostile input: it must come back quickly with at least one P diagnostic.
void expect_refused(const std::string& input, const std::string& what) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = compile_as_fuzzer(input);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(seconds < 20.0, "took " << seconds << " s");
    BOOST_TEST(r.has_errors());
    const bool has_p = std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                                   [](const askonce::Diagnostic& d) { return d.code.rfind('P', 0) == 0; });
    BOOST_TEST(has_p, "no P diagnostic; first: "
                          << (r.diagnostics.empty() ? std::string("none") : r.diagnostics.front().code));
  }
  check_diagnostics(r, what);
}

// A small valid form with `expr` as a condition and `extra` among its fields.
std::string form_with(const std::string& expr, const std::string& extra = "") {
  return "form f {\n  title \"T\"\n  version 1\n  languages en\n  section s \"S\" {\n"
         "    yesno a \"A\" { show if " + expr + " }\n" + extra + "  }\n}\n";
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string().front() != '.') out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(saved_regressions_and_seeds_compile_without_crashing) {
  auto files = files_in("tests/fuzz/regressions");
  const auto seeds = files_in("tests/fuzz/corpus");
  BOOST_TEST_REQUIRE(!seeds.empty(), "no seeds in tests/fuzz/corpus");
  files.insert(files.end(), seeds.begin(), seeds.end());
  for (const auto& f : files) {
    const auto r = compile_as_fuzzer(slurp(f));
    check_diagnostics(r, f.string());
  }
}

BOOST_AUTO_TEST_CASE(seeds_with_errors_report_them) {
  const auto r = compile_as_fuzzer(slurp("tests/fuzz/corpus/errors.form"));
  BOOST_TEST(r.has_errors());
  BOOST_TEST(r.diagnostics.size() >= 5u, "recovery should find many problems in errors.form");
}

BOOST_AUTO_TEST_CASE(deeply_nested_parentheses) {
  constexpr std::size_t depth = 100'000;
  expect_refused(form_with(std::string(depth, '(') + "true" + std::string(depth, ')')), "100,000 '('");
  expect_refused(form_with(std::string(depth, '(')), "100,000 unclosed '('");
  expect_refused(form_with(std::string(depth, '[')), "100,000 '['");
}

BOOST_AUTO_TEST_CASE(deeply_nested_operators) {
  std::string nots;
  for (int i = 0; i < 100'000; ++i) nots += "not ";
  expect_refused(form_with(nots + "true"), "100,000 'not'");
  std::string negs;
  for (int i = 0; i < 100'000; ++i) negs += "- ";
  expect_refused(form_with(negs + "1 > 0"), "100,000 unary '-'");
  std::string calls;
  for (int i = 0; i < 50'000; ++i) calls += "is_blank(";
  expect_refused(form_with(calls + "a" + std::string(50'000, ')')), "50,000 nested calls");
}

BOOST_AUTO_TEST_CASE(long_flat_operator_chain_returns) {
  // 100,000 operands in one chain: not nesting as written, but a deep tree if built naively.
  // The compiler may accept or refuse it; it must not overflow the stack either way.
  std::string chain = "1";
  for (int i = 0; i < 100'000; ++i) chain += " + 1";
  const auto r = compile_as_fuzzer(form_with(chain + " > 0"));
  check_diagnostics(r, "100,000 '+'");
  std::string ors = "a";
  for (int i = 0; i < 100'000; ++i) ors += " or a";
  check_diagnostics(compile_as_fuzzer(form_with(ors)), "100,000 'or'");
}

BOOST_AUTO_TEST_CASE(deeply_nested_braces_and_repeats) {
  constexpr int depth = 10'000;
  std::string repeats;
  for (int i = 0; i < depth; ++i) repeats += "repeat r" + std::to_string(i) + " \"R\" {\n";
  repeats += "text t \"T\"\n";
  for (int i = 0; i < depth; ++i) repeats += "}\n";
  expect_refused(form_with("true", repeats), "10,000 nested repeats");
  expect_refused("form f " + std::string(depth, '{') + std::string(depth, '}'), "10,000 braces");
  expect_refused(std::string(depth, '{'), "10,000 unclosed braces");
  expect_refused(std::string(depth, '}'), "10,000 closing braces");
}

BOOST_AUTO_TEST_CASE(file_over_the_size_limit) {
  std::string big = form_with("true");
  const std::string line = "// padding padding padding padding padding padding padding padding\n";
  while (big.size() < (9u << 20)) big += line;
  expect_refused(big, "9 MiB file");

  // The same through an import.
  askonce::dsl::Options o;
  o.read_file = [&big](const std::string& p) -> std::optional<std::string> {
    if (p.find("big.form") != std::string::npos) return big;
    return std::nullopt;
  };
  const auto r = askonce::dsl::compile_text("fuzz.form", "use \"big.form\"\n" + form_with("true"), o);
  BOOST_TEST(r.has_errors());
  check_diagnostics(r, "9 MiB import");
}

BOOST_AUTO_TEST_CASE(random_binary_bytes) {
  std::mt19937 rng(20240229);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t size : {1u, 7u, 64u, 4096u, 65536u, 1u << 20}) {
    std::string junk(size, '\0');
    for (auto& c : junk) c = static_cast<char>(byte(rng));
    junk[0] = '\0';  // at least one NUL, first
    expect_refused(junk, "random bytes, " + std::to_string(size));
  }
  expect_refused(std::string(1000, '\0'), "NULs only");
  expect_refused(form_with("true") + std::string(1, '\0') + "\n", "a valid form and a NUL");
}

BOOST_AUTO_TEST_CASE(invalid_utf8) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"overlong '/'", "\xC0\xAF"},
      {"overlong NUL", "\xC0\x80"},
      {"overlong 3 bytes", "\xE0\x80\xAF"},
      {"overlong 4 bytes", "\xF0\x80\x80\xAF"},
      {"high surrogate", "\xED\xA0\x80"},
      {"low surrogate", "\xED\xBF\xBF"},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80"},
      {"lone continuation", "\x80"},
      {"0xFF", "\xFF"},
      {"truncated 2 bytes", "\xC3"},
      {"truncated 3 bytes", "\xE2\x82"},
      {"truncated 4 bytes", "\xF0\x9F\x98"},
  };
  for (const auto& [name, bytes] : bad) {
    const std::string label = "form f {\n  title \"T" + bytes + "\"\n  version 1\n  languages en\n}\n";
    expect_refused(label, name + " in a string");
    expect_refused("// " + bytes + "\n" + form_with("true"), name + " in a comment");
    expect_refused(form_with("true") + bytes, name + " at the end");
    expect_refused(bytes + form_with("true"), name + " at the start");
  }
}

BOOST_AUTO_TEST_CASE(one_megabyte_line) {
  std::string fields;
  while (fields.size() < (1u << 20)) fields += "text x" + std::to_string(fields.size()) + " \"X\" ";
  // No line break anywhere, and the form is not closed.
  expect_refused("form f { title \"T\" version 1 languages en section s \"S\" { " + fields, "1 MB line, unclosed");
  expect_refused("form f { title \"" + std::string(1u << 20, 'a'), "1 MB unterminated string");
}

BOOST_AUTO_TEST_CASE(submission_regressions_and_seeds_keep_the_engines_promises) {
  auto files = files_in("tests/fuzz/submission_regressions");
  for (const auto* dir : {"tests/fuzz/submission_corpus", "tests/va/submissions"}) {
    const auto seeds = files_in(dir);
    BOOST_TEST_REQUIRE(!seeds.empty(), "no seeds in " << dir);
    files.insert(files.end(), seeds.begin(), seeds.end());
  }
  for (const auto& f : files) {
    BOOST_TEST_CONTEXT(f.string()) { askonce::fuzz::check_submission(slurp(f)); }
  }
  // The seeds of each shipped form are accepted as they are: the fuzzer starts from answers
  // that reach the views, not only from refusals.
  const auto& plans = askonce::fuzz::shipped_plans();
  const auto context = askonce::engine::Context::on(askonce::model::Date{2024, 5, 1}, "en", "api");
  std::size_t accepted = 0;
  for (const auto& plan : plans) {
    for (const auto& f : files_in("tests/fuzz/submission_corpus")) {
      const std::string body = slurp(f);
      accepted += f.extension() == ".post"
                      ? askonce::engine::validate_form_fields(plan, askonce::engine::parse_urlencoded(body), context).ok()
                      : askonce::engine::validate_json(plan, body, context).ok();
    }
  }
  BOOST_TEST(accepted == files_in("tests/fuzz/submission_corpus").size());
}

BOOST_AUTO_TEST_CASE(hostile_submissions) {
  std::vector<std::string> inputs = {
      "", "{", "}", "[]", "null", "\"\\ud800\"", "{\"a\":", std::string(1, '\0'), "%", "%Z", "&&&=&=",
      "a[99999999999999999999]=1", "household[-1].full_name=x", "household[0]=x&household[0].full_name=y",
      "person.name.first=" + std::string(100000, 'a'), "{\"move_date\": \"9999-99-99\"}",
      "{\"household\": [" + std::string(5000, '[') + "]}", "{\"kind\": 1e999999}",
      std::string(200000, '{'), std::string(200000, '['),
  };
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    std::string junk(static_cast<std::size_t>(rng() % 2000), '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    inputs.push_back(std::move(junk));
  }
  for (const auto& input : inputs) askonce::fuzz::check_submission(input);
  BOOST_TEST(inputs.size() == 70u);
}
