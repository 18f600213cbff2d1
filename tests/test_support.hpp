// tests/test_support.hpp: small helpers shared by the test executables.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/normalize.hpp"

namespace askonce::test {

inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// "line:col: severity[CODE]: message" for each diagnostic: the first line a designer reads,
/// without the file name.
inline std::vector<std::string> first_lines(const dsl::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    std::string s;
    if (d.where.line > 0) s += std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": ";
    s += d.severity == Severity::Error ? "error[" : "warning[";
    s += d.code + "]: " + d.message;
    out.push_back(std::move(s));
  }
  return out;
}

/// Every shipped form: forms/*.form (not the libraries in forms/common/).
inline std::vector<std::filesystem::path> shipped_forms() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator("forms")) {
    if (e.path().extension() == ".form") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A change of address that reaches every agency: ssa always, usps (forward_mail), va
/// (veteran), irs (permanent), with hostile text in the addresses and a household name.
inline const std::string coa_permanent = R"({
  "person": {"name": {"first": "Ana", "last": "Núñez"}, "birth_date": "1980-02-29", "ssn": "123-45-6789"},
  "contact": {"email": "ana@example.com", "phone": "(202) 555-0123", "preferred_method": "email"},
  "old_address": {"street": "1 Main St <script>alert('x')</script>", "city": "Springfield", "state": "il", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave ]]> \"quoted\" & 'single'", "city": "Springfield", "state": "IL", "zip": "62702-1234"},
  "move_date": "2024-04-20",
  "kind": "permanent",
  "filed_jointly": true,
  "spouse_name": {"first": "Bea", "last": "Núñez"},
  "spouse_ssn": "223-45-6789",
  "veteran": true,
  "va_file_number": "12345678",
  "forward_mail": true,
  "usps_move_type": "family",
  "household": [{"full_name": "Bo <b>", "birth_date": "2010-01-01"}, {"full_name": "Cy", "birth_date": "2012-06-30"}],
  "truthful": true,
  "signature": "Ana Núñez"
})";

/// A temporary move without mail forwarding, of no veteran: only ssa receives it.
inline std::string coa_temporary(const std::string& signature = "Ana Diaz") {
  return R"({
  "person": {"name": {"first": "Ana", "last": "Diaz"}, "birth_date": "1980-02-28", "ssn": "123-45-6789"},
  "contact": {"phone": "202-555-0123", "preferred_method": "phone"},
  "old_address": {"street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "IL", "zip": "62702"},
  "move_date": "2024-04-20",
  "kind": "temporary",
  "return_date": "2024-10-01",
  "veteran": false,
  "forward_mail": false,
  "truthful": true,
  "signature": )" + askonce::engine::json_string(signature) + "\n}";
}

/// The fields of a change-of-address form post that passes: a temporary move, mail forwarded
/// (SSA and USPS receive it), one person moving along.
inline std::vector<std::pair<std::string, std::string>> valid_change_of_address() {
  return {{"person.name.first", "Ana"}, {"person.name.last", "Ruiz"},
          {"person.birth_date.month", "2"}, {"person.birth_date.day", "28"}, {"person.birth_date.year", "1990"},
          {"person.ssn", "123-45-6789"}, {"contact.email", "ana@example.org"},
          {"contact.preferred_method", "email"},
          {"old_address.street", "1 Main St"}, {"old_address.city", "Springfield"},
          {"old_address.state", "IL"}, {"old_address.zip", "62701"},
          {"new_address.street", "2 Oak Ave"}, {"new_address.city", "Austin"},
          {"new_address.state", "TX"}, {"new_address.zip", "78701"},
          {"move_date.month", "4"}, {"move_date.day", "15"}, {"move_date.year", "2024"},
          {"kind", "temporary"},
          {"return_date.month", "10"}, {"return_date.day", "1"}, {"return_date.year", "2024"},
          {"veteran", "no"}, {"forward_mail", "yes"}, {"usps_move_type", "family"},
          {"household[0].full_name", "Luis Ruiz"},
          {"household[0].birth_date.month", "7"}, {"household[0].birth_date.day", "4"},
          {"household[0].birth_date.year", "2015"},
          {"truthful", "yes"}, {"signature", "Ana Ruiz"}};
}

/// A valid application for a shipped form, as a browser posts it: tests/samples/<stem>.tsv,
/// one `NAME<TAB>VALUE` a line, `#` lines skipped. Empty when there is no such file.
inline std::vector<std::pair<std::string, std::string>> sample_answers(const std::string& stem) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in("tests/samples/" + stem + ".tsv", std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

}  // namespace askonce::test
