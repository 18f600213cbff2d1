// bench/render.cpp: how fast each renderer draws each shipped form (a benchmark, not a test).
//
//   bench_render [FORMS_DIR] [--seconds S] [--to FORMAT]
//
// For every renderer in the table (renderers/registry.cpp), or only FORMAT, and every shipped
// form (FORMS_DIR/*.form, default "forms") in its primary language, renders the blank form over
// and over for S seconds (default 1) of wall time after one warm-up render, and prints renders
// per second. The Plan is built once per form, as a server does; each render builds its own
// Wording, as each request does. For PDF it also prints pages per second (pages counted as the
// "/Type /Page" objects of the output). Run from the project root.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/plan.hpp"
#include "renderers/registry.hpp"

namespace fs = std::filesystem;
namespace r = askonce::renderers;

namespace {

std::size_t pdf_pages(const std::string& bytes) {
  static const std::regex page(R"(/Type\s*/Page[^s])");
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), page),
                                                std::sregex_iterator()));
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "forms", only;
  double seconds = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::stod(argv[++i]);
    } else if (a == "--to" && i + 1 < argc) {
      only = argv[++i];
    } else if (!a.empty() && a[0] != '-') {
      dir = a;
    } else {
      std::cerr << "usage: bench_render [FORMS_DIR] [--seconds S] [--to FORMAT]\n";
      return 2;
    }
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".form") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::pair<std::string, askonce::engine::Plan>> plans;
  for (const auto& f : files) {
    auto c = askonce::dsl::compile_file(f.generic_string());
    if (!c.form) {
      std::cerr << askonce::dsl::format_diagnostics(c);
      return 1;
    }
    plans.emplace_back(f.filename().string(), askonce::engine::Plan(std::move(*c.form)));
  }
  std::printf("%-8s %-24s %12s %10s %12s %14s\n", "format", "form", "renders/s", "ms/render", "bytes", "pages/s");
  for (const auto& renderer : r::renderers()) {
    if (!only.empty() && renderer.name != only) continue;
    for (const auto& [name, plan] : plans) {
      r::RenderRequest request;
      request.plan = &plan;
      const auto first = renderer.render(request);  // warm-up, and the size
      const std::size_t pages = renderer.name == "pdf" ? pdf_pages(first.bytes) : 0;
      std::size_t n = 0;
      const auto start = std::chrono::steady_clock::now();
      double elapsed = 0;
      do {
        const auto out = renderer.render(request);
        if (out.bytes.empty()) break;
        ++n;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } while (elapsed < seconds);
      const double per_second = elapsed > 0 ? static_cast<double>(n) / elapsed : 0;
      std::printf("%-8s %-24s %12.1f %10.3f %12zu", std::string(renderer.name).c_str(), name.c_str(), per_second,
                  n ? 1000.0 * elapsed / static_cast<double>(n) : 0.0, first.bytes.size());
      if (pages) {
        std::printf(" %14.1f  (%zu pages)\n", per_second * static_cast<double>(pages), pages);
      } else {
        std::printf(" %14s\n", "-");
      }
    }
  }
  return 0;
}
