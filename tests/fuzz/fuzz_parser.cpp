// tests/fuzz/fuzz_parser.cpp: libFuzzer target for the whole compiler.
//
// Any byte string is compiled as "fuzz.form" (imports come from memory, see fuzz_inputs.hpp),
// its diagnostics are formatted, and a form that compiles is written as JSON. Nothing may
// crash, hang, leak or trip a sanitizer. Build and run with tests/fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dsl/compiler.hpp"
#include "engine/model_json.hpp"
#include "tests/fuzz/fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto result = askonce::dsl::compile_text("fuzz.form", input, askonce::fuzz::options_for(input));
  const std::string shown = askonce::dsl::format_diagnostics(result);
  if (result.has_errors() && shown.empty()) __builtin_trap();  // an error must say something
  for (const auto& d : result.diagnostics) {
    if (d.code == "P0000") __builtin_trap();  // "internal compiler error": an exception escaped
  }
  if (result.form) {
    const std::string json = askonce::model_json::to_json(*result.form);
    if (json.empty()) __builtin_trap();
  }
  return 0;
}
