// tests/cli_tests.cpp: the askonce command line: output, exit codes, help.
#define BOOST_TEST_MODULE cli_tests
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "server/cli.hpp"
#include "tests/test_support.hpp"

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = askonce::cli::run(args, out, err);
  return {code, out.str(), err.str()};
}

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "askonce-cli-test";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_prints_compiler_style_diagnostics_and_exits_1) {
  const auto p = write_temp("bad.form",
                            "form f {\n  title \"F\"\n  version 1\n  languages en\n"
                            "  section s \"S\" {\n    date d \"D\" { show if retrun_date > 3 }\n"
                            "    date return_date \"R\"\n  }\n}\n");
  const auto r = run({"check", p.string()});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find(p.string() + ":6:26: error[S0104]: unknown field 'retrun_date'") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("    6 |     date d \"D\" { show if retrun_date > 3 }\n") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("      |                          ^~~~~~~~~~~\n") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("did you mean 'return_date'?") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(check_of_clean_files_exits_0) {
  const auto r = run({"check", "forms/change-of-address.form", "forms/common/person.form"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.err == "checked 2 files: 0 errors, 0 warnings\n");
}

BOOST_AUTO_TEST_CASE(check_of_a_missing_file_is_invalid_input) {
  const auto r = run({"check", "no/such/file.form"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("no/such/file.form: error[P0001]: cannot read 'no/such/file.form'") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(model_prints_json_with_the_documented_shape) {
  const auto r = run({"model", "forms/change-of-address.form"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\"askonce_model\": 1") != std::string::npos);
  BOOST_TEST(r.out.find("\"id\": \"change_of_address\"") != std::string::npos);
  BOOST_TEST(r.out.find("\"definition_hash\": \"sha256:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(model_of_a_library_file_says_it_declares_no_form) {
  const auto r = run({"model", "forms/common/person.form"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("declares no form") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run({}).code == 2);
  BOOST_TEST(run({"chek", "x.form"}).code == 2);
  BOOST_TEST(run({"chek", "x.form"}).err.find("did you mean 'check'?") != std::string::npos);
  BOOST_TEST(run({"check"}).code == 2);
  BOOST_TEST(run({"check", "--frobnicate", "x.form"}).code == 2);
  BOOST_TEST(run({"model"}).code == 2);
  BOOST_TEST(run({"model", "a.form", "b.form"}).code == 2);
}

BOOST_AUTO_TEST_CASE(every_command_has_help) {
  const auto general = run({"--help"});
  BOOST_TEST(general.code == 0);
  for (const std::string cmd : {"check", "model", "summary"}) {
    BOOST_TEST(general.out.find("  " + cmd) != std::string::npos, cmd);
    const auto r = run({cmd, "--help"});
    BOOST_TEST(r.code == 0, cmd);
    BOOST_TEST(r.out.find("usage: askonce " + cmd) != std::string::npos, cmd);
    BOOST_TEST(r.out.find("exit status") != std::string::npos, cmd);
  }
}

BOOST_AUTO_TEST_CASE(summary_describes_each_shipped_form) {
  const auto r = run({"summary", "forms"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("change_of_address v1") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("-> irs") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("0 errors") != std::string::npos, r.out);
}
