// tests/test_support.hpp: small helpers shared by the test executables.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"

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

}  // namespace askonce::test
