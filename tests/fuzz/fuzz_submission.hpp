// tests/fuzz/fuzz_submission.hpp: what the submission fuzzer checks, for one input.
//
// Shared by the libFuzzer target (fuzz_submission.cpp) and tests/fuzz_regression_tests.cpp,
// so that a saved finding replays exactly as the fuzzer ran it. Every shipped form reads the
// input twice, as a JSON submission (the API) and as a urlencoded form post (the web), the
// way the server does, through the engine's public interface. Nothing may crash, hang, leak
// or trip a sanitizer, and each answer must keep the engine's promises:
// - a refusal names at least one error, each with a V code and a message;
// - an acceptance has canonical JSON whose digest matches, which reads back (as a receipt
//   does) to the same document with no error, and every agency's JSON and XML view of it is
//   a document.
// A broken promise calls __builtin_trap(), which both the fuzzer and the test report.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "engine/views.hpp"

namespace askonce::fuzz {

/// The plans of the shipped forms (forms/*.form under the source tree), compiled once.
inline const std::vector<engine::Plan>& shipped_plans() {
  static const std::vector<engine::Plan> plans = [] {
    std::vector<engine::Plan> out;
    const std::filesystem::path dir = std::filesystem::path(ASKONCE_SOURCE_DIR) / "forms";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".form") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto r = dsl::compile_file(f.string());
      if (!r.form) __builtin_trap();  // a shipped form must compile
      out.emplace_back(std::move(*r.form));
    }
    if (out.empty()) __builtin_trap();
    return out;
  }();
  return plans;
}

/// Checks what the engine made of one submission (see the top of this file).
inline void check_result(const engine::Plan& plan, const engine::Result& r, const engine::Context& context) {
  if (!r.ok()) {
    for (const auto& e : r.errors) {
      if (e.code.size() != 5 || e.code[0] != 'V' || e.message.empty()) __builtin_trap();
    }
    return;
  }
  const auto& s = r.submission;
  if (s.canonical_json.empty() || !engine::digest_matches(s.canonical_json)) __builtin_trap();
  const auto back = engine::restore_submission(plan, s.canonical_json);
  if (!back.ok() || back.submission.canonical_json != s.canonical_json) __builtin_trap();
  const engine::EvalContext eval{context.today};
  for (const auto format : {engine::ViewFormat::Json, engine::ViewFormat::Xml}) {
    for (const auto& view : engine::route(plan, s, format, eval)) {
      if (view.document.empty()) __builtin_trap();
    }
  }
}

/// Every shipped form, `input` as JSON and as a form post.
inline void check_submission(std::string_view input) {
  const auto context = engine::Context::on(model::Date{2024, 5, 1}, "en", "api");
  const auto fields = engine::parse_urlencoded(input);
  for (const auto& plan : shipped_plans()) {
    check_result(plan, engine::validate_json(plan, input, context), context);
    check_result(plan, engine::validate_form_fields(plan, fields, context), context);
  }
}

}  // namespace askonce::fuzz
