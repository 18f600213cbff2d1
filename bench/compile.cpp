// bench/compile.cpp: how fast the compiler is, and how much memory it takes (a benchmark, not a test).
//
//   bench_compile [FORMS_DIR] [--runs N] [--keep-heap]
//   bench_compile --print-generated FIELDS
//   bench_compile --loop FIELDS N      (compile the generated form N times, for a profiler)
//
// For each shipped form (FORMS_DIR/*.form, default "forms") and for generated forms of 500,
// 5,000 and 50,000 fields, prints the median and best time of compile_text over N runs, with
// every file already in memory (imports are served from a cache), and the memory one compile
// needs: the peak of live heap bytes (counted by this program's operator new) and the peak
// RSS of a fresh process that does only that compile. Then the ratio time(50k) / time(5k),
// which shows whether compile time grows linearly. Target: the 5,000-field form under 20 ms on
// one core; 10x the form at most 12x the time.
//
// By default glibc gives freed memory back to the system after each compile, so every compile
// of a large form pays its page faults again (about half the time of the 5,000-field form on
// our VM). --keep-heap tells malloc to keep it, as a long-running server's heap would be:
// run both to see the difference.
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"

// ---- Heap accounting: every (unaligned) operator new in this process is counted, but only
// while `counting` is on: during the one compile whose memory is reported, not the timed ones,
// so that the accounting (which reads each block's size) does not slow what is timed. -------
namespace {
std::atomic<bool> counting{false};
std::atomic<std::int64_t> live_bytes{0};  // signed: a block counted nowhere may be freed while counting
std::atomic<std::int64_t> peak_bytes{0};
std::atomic<std::size_t> allocations{0};

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) throw std::bad_alloc();
  if (!counting.load(std::memory_order_relaxed)) return p;
  const auto size = static_cast<std::int64_t>(malloc_usable_size(p));
  const std::int64_t now = live_bytes.fetch_add(size, std::memory_order_relaxed) + size;
  allocations.fetch_add(1, std::memory_order_relaxed);
  std::int64_t peak = peak_bytes.load(std::memory_order_relaxed);
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return p;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  // A block allocated while counting and freed after (or the reverse) leaves the live count a
  // little off; only the peak during the counted compile is used, and it frees its own blocks.
  if (counting.load(std::memory_order_relaxed)) {
    live_bytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  }
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- Inputs ----------------------------------------------------------------------------------

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A form to compile: its path, its text, and the files it imports, all in memory.
struct Input {
  std::string label;
  std::string path;
  std::string text;
  std::shared_ptr<std::map<std::string, std::string>> files = std::make_shared<std::map<std::string, std::string>>();

  askonce::dsl::Options options() const {
    askonce::dsl::Options o;
    auto cache = files;
    // Imports come from memory; a file not seen yet is read once, on the warm-up compile.
    o.read_file = [cache](const std::string& p) -> std::optional<std::string> {
      if (auto it = cache->find(p); it != cache->end()) return it->second;
      auto text = read_whole(p);
      if (text) cache->emplace(p, *text);
      return text;
    };
    return o;
  }
};

// A realistic form of about `fields` fields: sections of 50, a mix of kinds with labels in
// English and Spanish, required fields, conditions, checks and computed values that refer to
// earlier fields, a repeat, a block used twice, a shared list, and agencies that receive a
// subset.
std::string generate_form(std::size_t fields) {
  std::string s;
  s.reserve(fields * 160 + 4096);
  auto f = [](std::size_t i) { return "f_" + std::to_string(i); };
  s += "// generated by bench_compile\n";
  s += "list codes {\n";
  for (char c = 'A'; c <= 'T'; ++c) {
    s += "  option ";
    s += c;
    s += " \"Code ";
    s += c;
    s += "\" es \"Código ";
    s += c;
    s += "\"\n";
  }
  s += "}\n\n";
  s += "block contact {\n"
       "  email email \"Email address\" es \"Correo electrónico\" { required }\n"
       "  phone phone \"Telephone\" es \"Teléfono\"\n"
       "  text best_time \"Best time to call\" es \"Mejor hora para llamar\" { max 40 }\n"
       "}\n\n";
  s += "form generated_" + std::to_string(fields) + " {\n";
  s += "  title \"Generated form\" es \"Formulario generado\"\n"
       "  description \"A form made up for the benchmark.\" es \"Un formulario inventado para la prueba.\"\n"
       "  version 1\n"
       "  languages en es\n\n";
  s += "  section household \"Your household\" es \"Su hogar\" {\n"
       "    use contact as applicant_contact\n"
       "    use contact as other_contact { show if has_other }\n"
       "    yesno has_other \"Is there another contact?\" es \"¿Hay otro contacto?\"\n"
       "    repeat member \"Person\" es \"Persona\" {\n"
       "      min 1\n"
       "      max 20\n"
       "      text full_name \"Full name\" es \"Nombre completo\" { required max 100 }\n"
       "      date birth \"Date of birth\" es \"Fecha de nacimiento\" {\n"
       "        required\n"
       "        check birth < today() \"Enter a date in the past.\" es \"Escriba una fecha pasada.\"\n"
       "      }\n"
       "      money income \"Monthly income\" es \"Ingreso mensual\" { min 0 }\n"
       "      yesno student \"Is this person a student?\" es \"¿Es estudiante?\"\n"
       "      text school \"School\" es \"Escuela\" { show if student }\n"
       "    }\n"
       "    integer member_count \"People\" es \"Personas\" { computed count(member) }\n"
       "    money member_income \"Total income\" es \"Ingreso total\" { computed sum(member.income) }\n"
       "  }\n";
  for (std::size_t i = 0; i < fields; ++i) {
    if (i % 50 == 0) {
      if (i > 0) s += "  }\n";
      const auto n = std::to_string(i / 50);
      s += "  section s_" + n + " \"Part " + n + "\" es \"Parte " + n + "\" {\n";
    }
    const auto n = std::to_string(i);
    const std::string label = " \"Question " + n + "\" es \"Pregunta " + n + "\"";
    switch (i % 10) {
      case 0:
        s += "    text " + f(i) + label + " {\n      required\n      max 100\n" +
             "      pattern \"[A-Za-z ]+\" \"Use letters only.\" es \"Use solo letras.\"\n    }\n";
        break;
      case 1:
        s += "    date " + f(i) + label + " {\n      required\n      check " + f(i) +
             " <= today() \"Enter a date in the past.\" es \"Escriba una fecha pasada.\"\n    }\n";
        break;
      case 2:
        s += "    money " + f(i) + label + " { min 0 max 1000000 }\n";
        break;
      case 3:
        s += "    choice " + f(i) + label + " { required from codes }\n";
        break;
      case 4:
        s += "    text " + f(i) + label + " { show if " + f(i - 1) + " == \"A\" max 200 }\n";
        break;
      case 5: {
        // Short chains of computed fields: each refers to the one ten fields back, ten deep.
        std::string e = f(i - 3) + " * 2";
        if (i >= 10 && (i / 10) % 10 != 0) e += " + " + f(i - 10);
        s += "    money " + f(i) + label + " { computed " + e + " }\n";
        break;
      }
      case 6:
        s += "    yesno " + f(i) + label + " { required }\n";
        break;
      case 7:
        s += "    text " + f(i) + label + " {\n      show if " + f(i - 1) + "\n      required if " + f(i - 1) +
             "\n      hint \"As on your documents.\" es \"Como en sus documentos.\"\n    }\n";
        break;
      case 8:
        s += "    integer " + f(i) + label + " {\n      check " + f(i) + " >= 0 and " + f(i) +
             " < 1000 \"Enter 0 to 999.\" es \"Escriba de 0 a 999.\"\n    }\n";
        break;
      case 9:
        s += "    date " + f(i) + label + " { show if " + f(i - 8) + " < today() - 18 years min 1900-01-01 }\n";
        break;
    }
  }
  if (fields > 0) s += "  }\n";

  // Agencies: one gets every seventh field (some renamed), one only when a yesno holds.
  s += "\n  agency records \"Records office\" es \"Oficina de registros\" {\n    receives applicant_contact, member";
  for (std::size_t i = 0; i < fields; i += 7) {
    s += ",\n      " + f(i);
    if (i % 2 == 0) s += " as Field" + std::to_string(i);
  }
  s += "\n  }\n";
  if (fields > 6) {
    s += "  agency benefits \"Benefits office\" es \"Oficina de beneficios\" {\n    when " + f(6) +
         "\n    receives member_income";
    for (std::size_t i = 2; i < fields; i += 10) s += ", " + f(i);
    s += "\n  }\n";
  }
  s += "}\n";
  return s;
}

// ---- Measuring -------------------------------------------------------------------------------

struct Measure {
  double median_ms = 0;
  double best_ms = 0;
  std::size_t model_fields = 0;
  std::size_t diagnostics = 0;
  std::size_t errors = 0;
  std::string first_diagnostic;
  std::size_t heap_peak = 0;    // live heap bytes at the worst moment of one compile
  std::size_t allocs = 0;       // operator new calls in one compile
};

Measure measure(const Input& in, int runs) {
  Measure m;
  const auto options = in.options();
  {
    // Warm-up: fills the import cache; also the compile whose memory is counted.
    counting = true;
    std::string text = in.text;  // the input itself is not counted in the peak
    const std::int64_t base = live_bytes.load();
    peak_bytes.store(base);
    const std::size_t allocs_before = allocations.load();
    auto r = askonce::dsl::compile_text(in.path, std::move(text), options);
    m.heap_peak = static_cast<std::size_t>(std::max<std::int64_t>(0, peak_bytes.load() - base));
    m.allocs = allocations.load() - allocs_before;
    counting = false;
    m.model_fields = r.form ? r.form->fields.size() : 0;
    m.diagnostics = r.diagnostics.size();
    for (const auto& d : r.diagnostics) m.errors += d.severity == askonce::Severity::Error;
    if (!r.diagnostics.empty()) {
      std::vector<askonce::Source> sources = r.sources;
      m.first_diagnostic = askonce::format_diagnostic(r.diagnostics.front(), sources);
    }
  }
  std::vector<double> times;
  for (int k = 0; k < runs; ++k) {
    std::string text = in.text;  // compile_text takes the text by value: copy outside the clock
    const auto t0 = Clock::now();
    auto r = askonce::dsl::compile_text(in.path, std::move(text), options);
    const auto t1 = Clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (r.diagnostics.size() != m.diagnostics) std::cerr << "warning: diagnostics differ between runs\n";
  }
  std::sort(times.begin(), times.end());
  m.best_ms = times.front();
  m.median_ms = times.size() % 2 ? times[times.size() / 2]
                                 : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  return m;
}

long max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Peak RSS of a fresh process that compiles the input once (this program, with --child).
// Returns -1 when it cannot be measured.
long fresh_process_rss_kib(const std::string& self, const std::string& what) {
  const std::string cmd = "'" + self + "' --child '" + what + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  long kib = -1;
  if (std::fscanf(p, "%ld", &kib) != 1) kib = -1;
  pclose(p);
  return kib;
}

Input load_form(const fs::path& path) {
  Input in;
  in.label = path.string();
  in.path = path.string();
  in.text = read_whole(in.path).value_or("");
  return in;
}

Input generated(std::size_t fields) {
  Input in;
  in.label = "generated, " + std::to_string(fields) + " fields";
  in.path = "generated.form";
  in.text = generate_form(fields);
  return in;
}

// --child WHAT: compile once and print the peak RSS in KiB (WHAT: a path or "gen:N").
int child(const std::string& what) {
  Input in = what.rfind("gen:", 0) == 0 ? generated(std::stoul(what.substr(4))) : load_form(what);
  auto r = askonce::dsl::compile_text(in.path, in.text, in.options());
  std::printf("%ld\n", max_rss_kib());
  return r.form ? 0 : 1;
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pad(std::string s, std::size_t width, bool right = true) {
  // Width in code points, so that "é" does not shift a column.
  std::size_t cps = 0;
  for (unsigned char c : s) cps += (c & 0xC0) != 0x80;
  if (cps >= width) return s;
  const std::string fill(width - cps, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

int main(int argc, char** argv) {
  std::string forms_dir = "forms";
  int runs = 0;  // 0: chosen by size
  bool keep_heap = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--child" && i + 1 < argc) return child(argv[i + 1]);
    if (a == "--print-generated" && i + 1 < argc) {
      std::cout << generate_form(std::stoul(argv[i + 1]));
      return 0;
    }
    if (a == "--loop" && i + 2 < argc) {
      const Input in = generated(std::stoul(argv[i + 1]));
      const auto options = in.options();
      const int n = std::max(1, std::atoi(argv[i + 2]));
      std::size_t fields = 0;
      for (int k = 0; k < n; ++k) {
        auto r = askonce::dsl::compile_text(in.path, in.text, options);
        fields += r.form ? r.form->fields.size() : 0;
      }
      std::cout << fields << " fields compiled\n";
      return 0;
    }
    if (a == "--keep-heap") {
      keep_heap = true;
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--help" || a == "-h") {
      std::cout << "usage: bench_compile [FORMS_DIR] [--runs N] [--keep-heap]\n"
                   "       bench_compile --print-generated FIELDS   (the generated form's text)\n"
                   "       bench_compile --loop FIELDS N            (compile it N times, for a profiler)\n";
      return 0;
    } else {
      forms_dir = a;
    }
  }

  if (keep_heap) {
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 256 << 20);
  }

  // One core: the compiler is single-threaded, and pinning keeps the numbers steady.
  cpu_set_t set;
  CPU_ZERO(&set);
  const int cpu = sched_getcpu();
  CPU_SET(cpu >= 0 ? cpu : 0, &set);
  sched_setaffinity(0, sizeof set, &set);

  const std::string self = fs::read_symlink("/proc/self/exe").string();

  std::vector<std::pair<Input, int>> inputs;
  std::vector<fs::path> forms;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(forms_dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".form") forms.push_back(e.path());
  }
  std::sort(forms.begin(), forms.end());
  if (forms.empty()) std::cerr << "note: no .form files in " << forms_dir << "\n";
  for (const auto& p : forms) inputs.emplace_back(load_form(p), runs ? runs : 50);
  inputs.emplace_back(generated(500), runs ? runs : 50);
  inputs.emplace_back(generated(5000), runs ? runs : 21);
  inputs.emplace_back(generated(50000), runs ? runs : 7);

  std::cout << "askonce compile benchmark: compile_text from memory (imports cached), one core\n"
            << "time: median and best of N runs; heap: peak live bytes of one compile (operator new);\n"
            << "RSS: peak resident size of a fresh process doing one compile (includes the program)\n"
            << "heap mode: " << (keep_heap ? "--keep-heap (malloc keeps freed memory between compiles)"
                                           : "default (malloc returns freed memory to the system)")
            << "\n\n";
  const std::vector<std::pair<std::string, std::size_t>> cols = {
      {"form", 32}, {"KiB", 8}, {"fields", 8}, {"N", 4}, {"median ms", 10}, {"best ms", 9},
      {"heap MiB", 9}, {"allocs", 9}, {"RSS MiB", 8}, {"diags", 6}};
  std::string header, rule;
  for (std::size_t c = 0; c < cols.size(); ++c) {
    header += c == 0 ? pad(cols[c].first, cols[c].second, false) : "  " + pad(cols[c].first, cols[c].second);
    rule += (c == 0 ? "" : "  ") + std::string(cols[c].second, '-');
  }
  std::cout << header << "\n" << rule << "\n";

  std::map<std::size_t, double> generated_median;
  std::vector<std::string> notes;
  for (const auto& [in, n] : inputs) {
    const Measure m = measure(in, n);
    const std::string what = in.label.rfind("generated, ", 0) == 0
                                 ? "gen:" + in.label.substr(11, in.label.find(' ', 11) - 11)
                                 : in.path;
    const long rss = fresh_process_rss_kib(self, what);
    std::cout << pad(in.label, 32, false) << "  " << pad(fmt(in.text.size() / 1024.0, 0), 8) << "  "
              << pad(std::to_string(m.model_fields), 8) << "  " << pad(std::to_string(n), 4) << "  "
              << pad(fmt(m.median_ms, 3), 10) << "  " << pad(fmt(m.best_ms, 3), 9) << "  "
              << pad(fmt(m.heap_peak / 1048576.0, 2), 9) << "  " << pad(std::to_string(m.allocs), 9) << "  "
              << pad(rss < 0 ? std::string("?") : fmt(rss / 1024.0, 1), 8) << "  "
              << pad(std::to_string(m.diagnostics), 6) << std::endl;
    if (m.diagnostics) {
      notes.push_back(in.label + ": " + std::to_string(m.diagnostics) + " diagnostics (" +
                      std::to_string(m.errors) + " errors), first:\n" + m.first_diagnostic);
    }
    if (what.rfind("gen:", 0) == 0) generated_median[std::stoul(what.substr(4))] = m.median_ms;
  }

  std::cout << "\n";
  if (generated_median.count(5000) && generated_median.count(50000) && generated_median.count(500)) {
    const double t5k = generated_median[5000];
    const double ratio = generated_median[50000] / t5k;
    const double ratio_small = t5k / generated_median[500];
    std::cout << "5,000-field form: " << fmt(t5k, 2) << " ms median (target < 20 ms): "
              << (t5k < 20 ? "met" : "NOT met") << "\n";
    std::cout << "time(50k)/time(5k) = " << fmt(ratio, 2) << " (target <= 12): " << (ratio <= 12 ? "met" : "NOT met")
              << "\n";
    std::cout << "time(5k)/time(500) = " << fmt(ratio_small, 2) << "\n";
  }
  std::cout << "peak RSS of this process: " << fmt(max_rss_kib() / 1024.0, 1) << " MiB\n";
  for (const auto& note : notes) std::cout << "\nnote: " << note;
  return 0;
}
