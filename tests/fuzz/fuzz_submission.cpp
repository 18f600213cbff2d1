// tests/fuzz/fuzz_submission.cpp: libFuzzer target for submissions (the engine's input).
//
// Any byte string is a submission to every shipped form, as JSON and as a form post; see
// fuzz_submission.hpp for what must hold. Build and run with tests/fuzz/run.sh submission.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_submission.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  askonce::fuzz::check_submission(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
