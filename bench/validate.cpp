// bench/validate.cpp: how many submissions per second per core askonce reads and checks, against
// ajv on the agency's own schema (a benchmark, not a test).
//
//   bench_validate [--seconds S] [--form FORM] [--submissions DIR] [--schema SCHEMA.json] [--no-ajv]
//   bench_validate --form FORM --submissions DIR --passes N [--document]
//   bench_validate --va-forms [CORPUS] [--work DIR] [--seconds S]
//
// Defaults: forms/va-10-10ez.form, tests/va/submissions (valid, invalid and edge cases: the
// realistic mix of what a server receives), ../shared/corpus/va-forms/10-10EZ-schema.json, 5
// seconds of CPU time. Run from the project root.
//
// What is measured, on both sides the same work on the same texts, one core each, in one run:
// - askonce: the form is compiled and planned once; then, single-threaded and after a warm-up,
//   every submission text (a std::string, as a server holds a request body) is read as JSON and
//   checked, giving the verdict and every error with its message (engine::check_json), over and
//   over for S seconds of the thread's CPU time (per core: on a shared machine, wall time would
//   count other processes).
// - ajv: `node bench/ajv_bench.mjs` does JSON.parse + validate (allErrors: every error, with its
//   message) on the same texts with the schema compiled once, for the same CPU time (the node
//   process's, GC threads included), in a process of its own run after askonce's measurement.
// The ratio askonce/ajv compares those two. askonce is also measured doing what the server does
// with a submission that passes and ajv does not do at all: engine::validate_json, which adds the
// canonical document and its SHA-256 digest; that rate and its ratio are printed beside
// ("+document"), never in place of the first.
//
// --passes N: for a profiler (valgrind --tool=callgrind, whose instruction counts repeat on a
// loaded machine where time does not): exactly N passes over the texts with check_json
// (validate_json with --document), with no warm-up, no timing and no ajv; the instructions of
// one validation are those of check_json (or validate_json) divided by N x the texts.
//
// --va-forms: the same, for every VA schema of CORPUS (../shared/corpus/va-forms/) at once.
// Each schema is imported by the askonce importer into WORK (default build-bench/bench-va/:
// the form NAME.form, what `askonce import jsonschema` writes), and tests/import/generate.mjs
// makes its submissions (a case passing and one failing each keyword occurrence, the proof of
// tests/import_tests), written to WORK/NAME/ so that both sides read the same texts. askonce
// measures each form for S seconds of CPU (default 1) with check_json, then as long with
// validate_json; then one node process (bench/ajv_bench.mjs --list) measures ajv on each VA
// schema the same way. Prints, per schema, the cases, how many pass, both askonce rates, ajv's
// rate and the ratios, then the median ratio. Schemas that describe no object (not forms) and
// those ajv cannot compile are listed as skipped.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "dsl/compiler.hpp"
#include "dsl/import/json_schema.hpp"
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
  std::cerr << "usage: bench_validate [--seconds S] [--form FORM] [--submissions DIR] [--schema SCHEMA.json] [--no-ajv]\n"
               "       bench_validate --form FORM --submissions DIR --passes N [--document]\n"
               "       bench_validate --va-forms [CORPUS] [--work DIR] [--seconds S]\n";
  return 2;
}

/// The CPU time of this thread: per core, so that other processes on a shared machine do not count.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// The output of `command`, or nothing when it fails.
std::optional<std::string> run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string output;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  if (::pclose(pipe) != 0) return std::nullopt;
  return output;
}

/// What askonce does with each text: check_json (read and check: the verdict and its errors,
/// what ajv does) or validate_json (the same, then the canonical document and its SHA-256
/// digest for a submission that passes: what the server stores).
using Validate = e::Result (*)(const e::Plan&, std::string_view, const e::Context&, const e::InputLimits&);

const e::Context& bench_context() {
  static const e::Context context = e::Context::on(askonce::model::Date{2026, 1, 15}, "en", "api");
  return context;
}

/// One pass over `texts`: the number valid; `kept` grows with what the results hold, so that
/// the work cannot be optimized away.
std::size_t pass(Validate validate, const e::Plan& plan, const std::vector<std::string>& texts, std::size_t& kept) {
  std::size_t ok = 0;
  for (const auto& t : texts) {
    const e::Result r = validate(plan, t, bench_context(), {});
    if (r.ok()) ++ok;
    kept += r.errors.size() + r.submission.digest.size() + r.submission.answers.answers.size();
  }
  return ok;
}

/// Validations per second per core of `texts` on `plan`, over `seconds` of CPU after a warm-up
/// (`warm` seconds of CPU).
double askonce_rate(Validate validate, const e::Plan& plan, const std::vector<std::string>& texts, double seconds,
                    double warm, std::size_t& valid) {
  std::size_t kept = 0;
  const double warm_start = cpu_now();
  while (cpu_now() - warm_start < warm) valid = pass(validate, plan, texts, kept);
  std::size_t count = 0;
  const double start = cpu_now();
  double cpu = 0;
  while (cpu < seconds) {
    valid = pass(validate, plan, texts, kept);
    count += texts.size();
    cpu = cpu_now() - start;
  }
  if (kept == 0) std::abort();  // keeps the results observable
  return static_cast<double>(count) / cpu;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  const std::size_t n = xs.size();
  return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/// --va-forms: every VA schema imported, its generated cases, askonce and ajv per schema.
int va_forms(const fs::path& corpus, const fs::path& work, double seconds) {
  std::vector<fs::path> schemas;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 12 && name.compare(name.size() - 12, 12, "-schema.json") == 0) schemas.push_back(entry.path());
  }
  std::sort(schemas.begin(), schemas.end());
  fs::create_directories(work);
  struct Row {
    std::string name;
    fs::path schema, dir;
    std::size_t cases = 0, valid = 0;
    double check = 0, document = 0, ajv = 0;
  };
  std::vector<Row> rows;
  std::vector<std::string> skipped;
  for (const auto& schema : schemas) {
    const std::string name = schema.filename().string().substr(0, schema.filename().string().size() - 12);
    const auto imported = askonce::dsl::import::import_json_schema(schema.string(), read(schema));
    if (imported.has_errors()) {
      skipped.push_back(name + " (not a form: the importer refuses it)");
      continue;
    }
    const fs::path form_path = work / (name + ".form");
    std::ofstream(form_path, std::ios::binary) << imported.form_text;
    auto compiled = askonce::dsl::compile_file(form_path.string());
    if (!compiled.form) {
      skipped.push_back(name + " (the imported form does not compile)");
      continue;
    }
    const auto lines = run("node tests/import/generate.mjs '" + schema.string() + "'");
    if (!lines) {
      skipped.push_back(name + " (tests/import/generate.mjs failed: node and `npm ci` needed)");
      continue;
    }
    Row row{name, schema, work / name};
    fs::remove_all(row.dir);
    fs::create_directories(row.dir);
    std::vector<std::string> texts;
    std::istringstream in(*lines);
    std::string line;
    Poco::JSON::Parser parser;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      parser.reset();
      const auto o = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
      if (!o->has("submission")) continue;
      std::ostringstream text;
      Poco::JSON::Stringifier::condense(o->get("submission"), text);
      char file[32];
      std::snprintf(file, sizeof file, "%05zu.json", texts.size());
      std::ofstream(row.dir / file, std::ios::binary) << text.str();
      texts.push_back(text.str());
    }
    if (texts.empty()) {
      skipped.push_back(name + " (no cases: ajv cannot compile the schema)");
      continue;
    }
    const e::Plan plan(std::move(*compiled.form));
    row.cases = texts.size();
    row.check = askonce_rate(e::check_json, plan, texts, seconds, std::min(0.2, seconds), row.valid);
    row.document = askonce_rate(e::validate_json, plan, texts, seconds, std::min(0.2, seconds), row.valid);
    rows.push_back(std::move(row));
    std::fprintf(stderr, "\raskonce: %zu of %zu schemas measured", rows.size(), schemas.size());
  }
  std::fprintf(stderr, "\n");
  // ajv in one node process, on the same texts, for the same CPU time each.
  const fs::path list = work / "ajv-list.tsv";
  {
    std::ofstream out(list, std::ios::binary);
    for (const auto& r : rows) out << r.schema.string() << '\t' << r.dir.string() << '\n';
  }
  char secs[32];
  std::snprintf(secs, sizeof secs, "%g", seconds);
  const auto ajv = run("node bench/ajv_bench.mjs --list '" + list.string() + "' --seconds " + secs);
  if (!ajv) {
    std::cerr << "bench_validate: ajv failed (node and `npm ci` needed)\n";
    return 1;
  }
  {
    std::istringstream in(*ajv);
    std::string word, dir;
    std::size_t count = 0, valid = 0;
    double cpu = 0, per_second = 0;
    std::size_t i = 0;
    while (in >> word >> dir >> count >> cpu >> per_second >> valid) {
      if (word == "ajv" && i < rows.size() && rows[i].dir.string() == dir) rows[i].ajv = per_second;
      ++i;
    }
  }
  std::printf("%-52s %6s %6s %11s %11s %11s %6s %6s\n", "schema", "cases", "valid", "askonce/s", "+document/s",
              "ajv/s", "ratio", "+doc");
  std::vector<double> ratios, document_ratios;
  for (const auto& r : rows) {
    if (r.ajv <= 0) {
      std::printf("%-52s %6zu %6zu %11.0f %11.0f %11s %6s %6s\n", r.name.c_str(), r.cases, r.valid, r.check, r.document,
                  "-", "-", "-");
      continue;
    }
    ratios.push_back(r.check / r.ajv);
    document_ratios.push_back(r.document / r.ajv);
    std::printf("%-52s %6zu %6zu %11.0f %11.0f %11.0f %6.2f %6.2f\n", r.name.c_str(), r.cases, r.valid, r.check,
                r.document, r.ajv, r.check / r.ajv, r.document / r.ajv);
  }
  for (const auto& s : skipped) std::printf("skipped: %s\n", s.c_str());
  if (ratios.empty()) return 1;
  std::size_t twice = 0;
  for (double x : ratios) twice += x >= 2.0;
  std::printf("%zu schemas: median ratio askonce/ajv %.2f (lowest %.2f, highest %.2f); %zu at 2.0 or more\n",
              ratios.size(), median(ratios), *std::min_element(ratios.begin(), ratios.end()),
              *std::max_element(ratios.begin(), ratios.end()), twice);
  std::printf("with the canonical document and digest (work ajv does not do): median ratio %.2f\n",
              median(document_ratios));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  std::string form_path = "forms/va-10-10ez.form";
  std::string dir = "tests/va/submissions";
  std::string schema = "../shared/corpus/va-forms/10-10EZ-schema.json";
  bool ajv = true;
  bool all_va = false;
  std::string corpus = "../shared/corpus/va-forms";
  std::string work = "build-bench/bench-va";
  bool seconds_given = false;
  long passes = 0;        // --passes N: N passes and nothing else (for callgrind)
  bool document = false;  // --passes with validate_json rather than check_json
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--seconds") {
      seconds = std::atof(next().c_str());
      seconds_given = true;
    } else if (a == "--va-forms") {
      all_va = true;
      if (i + 1 < argc && argv[i + 1][0] != '-') corpus = argv[++i];
    } else if (a == "--work") work = next();
    else if (a == "--form") form_path = next();
    else if (a == "--submissions") dir = next();
    else if (a == "--schema") schema = next();
    else if (a == "--no-ajv") ajv = false;
    else if (a == "--passes") passes = std::atol(next().c_str());
    else if (a == "--document") document = true;
    else return usage();
  }
  if (!(seconds > 0) || passes < 0) return usage();
  if (all_va) return va_forms(corpus, work, seconds_given ? seconds : 1.0);

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

  if (passes > 0) {
    // For a profiler: exactly `passes` passes, nothing else timed or run.
    std::size_t kept = 0, valid = 0;
    for (long k = 0; k < passes; ++k) valid = pass(document ? e::validate_json : e::check_json, plan, texts, kept);
    std::printf("%s: %zu validations (%ld passes of %zu submissions, %zu valid)\n", document ? "validate_json" : "check_json",
                static_cast<std::size_t>(passes) * texts.size(), passes, texts.size(), valid);
    return kept == 0 ? 1 : 0;
  }
  std::size_t valid = 0;
  const double check = askonce_rate(e::check_json, plan, texts, seconds, 0.5, valid);
  const double with_document = askonce_rate(e::validate_json, plan, texts, seconds, 0.5, valid);
  std::printf("submissions: %zu (%zu valid, %zu invalid), %.1f KiB, from %s\n", texts.size(), valid,
              texts.size() - valid, static_cast<double>(bytes) / 1024.0, dir.c_str());
  std::printf("askonce: %.0f submissions/s per core (%.1f us each; read and check)\n", check, 1e6 / check);
  std::printf("askonce: %.0f submissions/s per core (%.1f us each; read, check, canonical document and digest)\n",
              with_document, 1e6 / with_document);
  std::fflush(stdout);
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
  std::printf("ratio askonce/ajv: %.2f (read and check, as ajv); %.2f with the canonical document and digest\n",
              check / ajv_per_second, with_document / ajv_per_second);
  return 0;
}
