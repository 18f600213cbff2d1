// tests/fuzz/fuzz_inputs.hpp: the in-memory files that fuzz inputs can import.
//
// Shared by the libFuzzer target and tests/fuzz_regression_tests.cpp, so that a saved
// regression replays exactly as the fuzzer ran it. Nothing is read from disk.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "dsl/compiler.hpp"

namespace askonce::fuzz {

/// Files an input can `use`: a library of blocks and lists, one that imports the input back
/// (a circle), and one that imports itself.
inline const std::map<std::string, std::string>& import_files() {
  static const std::map<std::string, std::string> files = {
      {"lib.form",
       "list sizes {\n  option S \"Small\" es \"Pequeña\"\n  option M \"Medium\" es \"Mediana\"\n}\n"
       "block pet {\n  text pet_name \"Pet's name\" es \"Nombre\" { required max 40 }\n"
       "  date pet_birth \"Birth\" es \"Nacimiento\" { check pet_birth < today() \"Past.\" es \"Pasado.\" }\n}\n"},
      {"common/person.form",
       "block person {\n  name name \"Full name\" es \"Nombre completo\" { required }\n"
       "  date birth_date \"Date of birth\" es \"Fecha de nacimiento\" {\n    required\n"
       "    check birth_date < today() \"Enter a date in the past.\" es \"Escriba una fecha en el pasado.\"\n  }\n"
       "  ssn ssn \"Social Security number\" es \"Número de Seguro Social\" { required sensitive }\n}\n"},
      {"loop.form", "use \"fuzz.form\"\nblock loop { text t \"T\" }\n"},
      {"self.form", "use \"self.form\"\n"},
  };
  return files;
}

/// Compile options whose reader serves import_files(), and `input` itself as "fuzz.form".
inline dsl::Options options_for(const std::string& input) {
  dsl::Options o;
  o.read_file = [input](const std::string& path) -> std::optional<std::string> {
    std::string p = path;
    while (p.rfind("./", 0) == 0) p.erase(0, 2);
    if (p == "fuzz.form") return input;
    const auto& files = import_files();
    if (auto it = files.find(p); it != files.end()) return it->second;
    return std::nullopt;
  };
  return o;
}

}  // namespace askonce::fuzz
