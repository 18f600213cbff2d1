// bench/validate.cpp: how many submissions per second per core askonce validates and
// normalizes, against ajv on the agency's own schema (a benchmark, not a test).
//
//   bench_validate [--seconds S] [--form FORM] [--submissions DIR] [--schema SCHEMA.json] [--no-ajv]
//
// Defaults: forms/va-10-10ez.form, tests/va/submissions (valid, invalid and edge cases: the
// realistic mix of what a server receives), ../shared/corpus/va-forms/10-10EZ-schema.json, 5
// seconds of CPU time. Run from the project root.
//
// askonce: the form is compiled and planned once; then, single-threaded and after a warm-up
// pass, every submission text is read as JSON, checked, and, when valid, made canonical with
// its SHA-256 digest (engine::validate_json), over and over for S seconds of the thread's CPU
// time (per core: on a shared machine, wall time would count other processes).
// ajv: `node bench/ajv_bench.mjs` does JSON.parse + validate on the same texts with the schema
// compiled once, for the same CPU time (the node process's, GC threads included), in a process
// of its own run after askonce's measurement.
// Prints both figures and the ratio askonce/ajv (target: >= 1.0).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"

namespace fs = std::filesystem;
namespace e = askonce::engine;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int usage() {
  std::cerr << "usage: bench_validate [--seconds S] [--form FORM] [--submissions DIR] [--schema SCHEMA.json] [--no-ajv]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  std::string form_path = "forms/va-10-10ez.form";
  std::string dir = "tests/va/submissions";
  std::string schema = "../shared/corpus/va-forms/10-10EZ-schema.json";
  bool ajv = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--seconds") seconds = std::atof(next().c_str());
    else if (a == "--form") form_path = next();
    else if (a == "--submissions") dir = next();
    else if (a == "--schema") schema = next();
    else if (a == "--no-ajv") ajv = false;
    else return usage();
  }
  if (!(seconds > 0)) return usage();

  auto compiled = askonce::dsl::compile_file(form_path);
  if (!compiled.form) {
    std::cerr << askonce::dsl::format_diagnostics(compiled);
    return 1;
  }
  const e::Plan plan(std::move(*compiled.form));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& f : files) {
    texts.push_back(read(f));
    bytes += texts.back().size();
  }
  if (texts.empty()) {
    std::cerr << "bench_validate: no *.json in " << dir << "\n";
    return 1;
  }

  const e::Context context = e::Context::on(askonce::model::Date{2026, 1, 15}, "en", "api");
  std::size_t valid = 0, digest_bytes = 0;
  const auto pass = [&] {
    std::size_t ok = 0;
    for (const auto& t : texts) {
      const e::Result r = e::validate_json(plan, t, context);
      if (r.ok()) {
        ++ok;
        digest_bytes += r.submission.digest.size() + r.submission.canonical_json.size();
      }
    }
    return ok;
  };
  using clock = std::chrono::steady_clock;
  {
    const auto warm_until = clock::now() + std::chrono::milliseconds(500);
    while (clock::now() < warm_until) valid = pass();
  }
  // Per core: the thread's CPU time, so that other processes on a shared machine do not count.
  const auto cpu_now = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  };
  std::size_t count = 0;
  const auto start = clock::now();
  const double cpu_start = cpu_now();
  double cpu = 0;
  while (cpu < seconds) {
    valid = pass();
    count += texts.size();
    cpu = cpu_now() - cpu_start;
  }
  const std::chrono::duration<double> elapsed = clock::now() - start;
  const double per_second = static_cast<double>(count) / cpu;
  std::printf("submissions: %zu (%zu valid, %zu invalid), %.1f KiB, from %s\n", texts.size(), valid,
              texts.size() - valid, static_cast<double>(bytes) / 1024.0, dir.c_str());
  std::printf("askonce: %zu validations in %.3f s CPU (%.3f s wall): %.0f submissions/s per core (%.1f us each)\n",
              count, cpu, elapsed.count(), per_second, 1e6 / per_second);
  std::fflush(stdout);
  if (digest_bytes == 0 && valid > 0) return 1;  // keeps the results observable
  if (!ajv) return 0;

  char secs[32];
  std::snprintf(secs, sizeof secs, "%g", seconds);
  const std::string command = "node bench/ajv_bench.mjs '" + schema + "' '" + dir + "' --seconds " + secs;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    std::cerr << "bench_validate: cannot run " << command << "\n";
    return 1;
  }
  std::string output;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  if (::pclose(pipe) != 0) {
    std::cerr << "bench_validate: ajv failed (node and `npm ci` needed): " << command << "\n";
    return 1;
  }
  std::istringstream in(output);
  std::string word;
  std::size_t ajv_count = 0, ajv_valid = 0;
  double ajv_seconds = 0, ajv_per_second = 0;
  if (!(in >> word >> ajv_count >> ajv_seconds >> ajv_per_second >> ajv_valid) || word != "ajv") {
    std::cerr << "bench_validate: unexpected output from ajv: " << output;
    return 1;
  }
  std::printf("ajv:     %zu validations in %.3f s CPU: %.0f submissions/s per core (%.1f us each; JSON.parse + validate; %zu valid)\n",
              ajv_count, ajv_seconds, ajv_per_second, 1e6 / ajv_per_second, ajv_valid);
  std::printf("ratio askonce/ajv: %.2f\n", per_second / ajv_per_second);
  return 0;
}
