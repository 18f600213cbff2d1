// tests/va_agreement_tests.cpp: askonce and ajv agree on which VA 10-10EZ submissions are valid.
//
// Every submission in tests/va/submissions goes through `askonce validate
// forms/va-10-10ez.form` in-process; its verdict (exit 0: valid, exit 1: invalid) must equal
// ajv's on the VA's own schema (tests/va/ajv_verdicts.tsv), except for the submissions listed
// in tests/va/known_differences.tsv, each with the gap of forms/README.md ("VA 10-10EZ: gaps")
// that explains it. A known difference that no longer differs is reported too, so the list
// stays true. When node and node_modules/ are there, ajv is also run again and must give the
// verdicts on file. How to regenerate: forms/README.md, "VA 10-10EZ: agreement with ajv".
#define BOOST_TEST_MODULE va_agreement_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

#include "server/cli/cli.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path submissions_dir = "tests/va/submissions";
const std::string form = "forms/va-10-10ez.form";
const std::string today = "2026-01-15";

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

/// The lines of a TSV file, without comments (#) and blank lines, split at tabs.
std::vector<std::vector<std::string>> read_tsv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(askonce::test::read(p));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    rows.push_back(split(line, '\t'));
  }
  return rows;
}

/// name -> true (valid) / false (invalid), from a `name<TAB>valid|invalid` file.
std::map<std::string, bool> read_verdicts(const fs::path& p) {
  std::map<std::string, bool> out;
  for (const auto& row : read_tsv(p)) {
    BOOST_REQUIRE_MESSAGE(row.size() >= 2 && (row[1] == "valid" || row[1] == "invalid"),
                          p.string() << ": bad line starting '" << row[0] << "'");
    BOOST_REQUIRE_MESSAGE(out.emplace(row[0], row[1] == "valid").second, p.string() << ": " << row[0] << " twice");
  }
  return out;
}

struct KnownDifference {
  bool askonce_valid = false;
  int gap = 0;
  std::string reason;
};

std::map<std::string, KnownDifference> read_known_differences() {
  std::map<std::string, KnownDifference> out;
  const fs::path p = "tests/va/known_differences.tsv";
  for (const auto& row : read_tsv(p)) {
    BOOST_REQUIRE_MESSAGE(row.size() == 4, p.string() << ": expected name, askonce verdict, gap, reason: " << row[0]);
    BOOST_REQUIRE_MESSAGE(row[1] == "valid" || row[1] == "invalid", p.string() << ": bad verdict for " << row[0]);
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_match(row[2], m, std::regex("gap ([0-9]+)")),
                          p.string() << ": the gap of " << row[0] << " must be written 'gap N'");
    BOOST_REQUIRE_MESSAGE(row[3].size() >= 10, p.string() << ": " << row[0] << " needs a reason");
    KnownDifference d{row[1] == "valid", std::stoi(m[1]), row[3]};
    BOOST_REQUIRE_MESSAGE(out.emplace(row[0], d).second, p.string() << ": " << row[0] << " twice");
  }
  return out;
}

std::vector<std::string> submission_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(submissions_dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The numbers of the gaps listed in forms/README.md's "VA 10-10EZ: gaps" section.
std::set<int> documented_gaps() {
  const std::string readme = askonce::test::read("forms/README.md");
  const auto start = readme.find("## VA 10-10EZ: gaps");
  BOOST_REQUIRE_MESSAGE(start != std::string::npos, "forms/README.md has no 'VA 10-10EZ: gaps' section");
  const auto end = readme.find("\n## ", start + 1);
  const std::string section = readme.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::set<int> out;
  std::istringstream in(section);
  std::string line;
  const std::regex item("([0-9]+)\\. .*");
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, item)) out.insert(std::stoi(m[1]));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_corpus_and_the_verdicts_match) {
  const auto names = submission_names();
  const auto verdicts = read_verdicts("tests/va/ajv_verdicts.tsv");
  BOOST_TEST(names.size() >= 300u);
  std::vector<std::string> listed;
  for (const auto& [name, valid] : verdicts) listed.push_back(name);
  BOOST_TEST(listed == names, boost::test_tools::per_element());

  // The names say what each one was made to be: valid-* valid, invalid-* invalid for ajv.
  std::size_t valid = 0, invalid = 0;
  for (const auto& [name, is_valid] : verdicts) {
    if (name.starts_with("valid-")) {
      BOOST_TEST(is_valid, name << " was made valid, and ajv refuses it");
      ++valid;
    } else if (name.starts_with("invalid-")) {
      BOOST_TEST(!is_valid, name << " was made invalid, and ajv accepts it");
      ++invalid;
    }
  }
  BOOST_TEST(valid >= 100u);
  BOOST_TEST(invalid >= 100u);
}

BOOST_AUTO_TEST_CASE(every_known_difference_is_a_documented_gap) {
  const auto gaps = documented_gaps();
  BOOST_TEST(gaps.size() >= 10u);
  const auto verdicts = read_verdicts("tests/va/ajv_verdicts.tsv");
  for (const auto& [name, d] : read_known_differences()) {
    BOOST_TEST(gaps.count(d.gap) == 1, name << ": gap " << d.gap << " is not in forms/README.md");
    const auto v = verdicts.find(name);
    BOOST_TEST_REQUIRE((v != verdicts.end()), name << " is not in the corpus");
    BOOST_TEST(v->second != d.askonce_valid, name << ": listed as a difference, but askonce's expected verdict is ajv's");
  }
}

BOOST_AUTO_TEST_CASE(askonce_agrees_with_ajv_on_every_submission) {
  const auto verdicts = read_verdicts("tests/va/ajv_verdicts.tsv");
  const auto known = read_known_differences();
  std::size_t agreed = 0, differed_as_known = 0;
  std::vector<std::string> problems;
  for (const auto& [name, ajv_valid] : verdicts) {
    const std::string path = (submissions_dir / name).string();
    std::ostringstream out, err;
    int code = -1;
    try {
      code = askonce::cli::run({"validate", form, path, "--today", today}, out, err);
    } catch (const std::exception& e) {
      problems.push_back(name + ": askonce validate threw " + e.what());
      continue;
    }
    if (code != askonce::cli::ok && code != askonce::cli::invalid) {
      problems.push_back(name + ": askonce validate exited " + std::to_string(code) + ": " + err.str());
      continue;
    }
    const bool askonce_valid = code == askonce::cli::ok;
    const auto k = known.find(name);
    if (k != known.end()) {
      if (askonce_valid == k->second.askonce_valid) {
        ++differed_as_known;
      } else {
        problems.push_back(name + ": listed in known_differences.tsv (gap " + std::to_string(k->second.gap) +
                           ") but askonce now says " + (askonce_valid ? "valid" : "invalid") +
                           ", as ajv does: remove it from the list");
      }
      continue;
    }
    if (askonce_valid == ajv_valid) {
      ++agreed;
      continue;
    }
    std::string what = askonce_valid ? "askonce accepts it, ajv refuses it"
                                     : "askonce refuses it, ajv accepts it: " + err.str() + out.str();
    if (what.size() > 600) what = what.substr(0, 600) + "...";
    problems.push_back(name + ": " + what);
  }
  for (const auto& p : problems) BOOST_ERROR(p);
  BOOST_TEST_MESSAGE("agreed on " << agreed << ", differed as known on " << differed_as_known << ", of "
                                  << verdicts.size());
  BOOST_TEST(agreed + differed_as_known == verdicts.size());
}

BOOST_AUTO_TEST_CASE(ajv_still_gives_the_verdicts_on_file) {
  if (!fs::exists("node_modules/ajv") || !fs::exists("node_modules/ajv-draft-04") ||
      !fs::exists("node_modules/ajv-formats") || std::system("node --version > /dev/null 2>&1") != 0) {
    BOOST_TEST_MESSAGE("skipped: node or node_modules/ (npm ci) is missing, so ajv is not run again");
    return;
  }
  const std::string command =
      "node tests/ajv/validate.mjs ../shared/corpus/va-forms/10-10EZ-schema.json tests/va/submissions";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_TEST_REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  BOOST_TEST_REQUIRE(status == 0, "validate.mjs failed: " << command);
  BOOST_TEST(output == askonce::test::read("tests/va/ajv_verdicts.tsv"),
             "ajv's verdicts differ from tests/va/ajv_verdicts.tsv: regenerate it (forms/README.md)");
}
