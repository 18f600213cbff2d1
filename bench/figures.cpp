// bench/figures.cpp: the published results over many applications (a benchmark, not a test).
//
// Fills a fresh SQLite database through the Store (not HTTP, for speed: group commit from
// THREADS threads) with COUNT applications spread over eight fiscal quarters, five channels
// and two agencies, then decides one in 50 through append_agency_status with its figure move;
// prints the durable submissions per second while the figures are kept; then the time to
// freeze the eight quarters as the first request after each quarter's end does (figure_counts,
// publish_quarter, its CSV, freeze_snapshot), and the time to answer /performance as every
// request after does (the snapshots read back, JSON, CSV), the median and the slowest of 20
// runs, against the 100 ms the issue aims at.
//
// Usage: bench_figures [COUNT=1000000] [DIR=build-bench/figures] [THREADS=128]
// (COUNT 0 times the database already in DIR without filling it.)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/value.hpp"
#include "server/http/figures.hpp"
#include "server/store/reference.hpp"
#include "server/store/sqlite_store.hpp"

namespace s = askonce::server;
using namespace std::chrono;

namespace {

s::NewSubmission application(std::int64_t i) {
  static constexpr const char* days[] = {"2025-11-03", "2026-02-10", "2026-05-05", "2026-08-19",
                                         "2026-11-02", "2027-01-15", "2027-04-20", "2027-07-07"};
  s::NewSubmission n;
  n.form_id = "change_of_address";
  n.version = 1;
  n.definition_hash = "sha256:bench";
  n.language = "en";
  n.channel = std::string(s::channels[i % 5]);
  if (s::staff_channel(n.channel)) n.staff_id = 1;
  n.received = "2026-12-07T12:00:00Z";
  n.date_received = days[(i / 5) % 8];
  n.canonical_json = R"({"form":"change_of_address","n":)" + std::to_string(i) + "}";
  n.digest = s::sha256_hex(n.canonical_json);
  for (const char* agency : {"ssa", "usps"}) {
    n.views.push_back({agency, R"({"agency":")" + std::string(agency) + R"(","n":)" + std::to_string(i) + "}",
                       std::nullopt, "2027-12-01"});
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t count = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::filesystem::path dir = argc > 2 ? argv[2] : "build-bench/figures";
  const int threads = argc > 3 ? std::atoi(argv[3]) : 128;
  // COUNT 0: no fill, only the timing, on the database a run left in DIR (an interrupted fill
  // leaves it consistent: each commit is whole).
  if (count > 0) std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  s::SqliteOptions options;
  options.path = (dir / "askonce.db").string();
  s::SqliteStore store(options);
  const auto now = time_point_cast<milliseconds>(s::Clock::now());

  // Submissions alone, as the server saves them: the rate with the figures kept.
  std::atomic<std::int64_t> next{0};
  std::vector<std::string> decided(static_cast<std::size_t>((count + 49) / 50));
  auto start = steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::int64_t i; (i = next++) < count;) {
        const auto saved = store.save_submission(application(i), now);
        if (i % 50 == 0) decided[static_cast<std::size_t>(i / 50)] = saved.submission->reference;
      }
    });
  }
  for (auto& t : pool) t.join();
  const double fill = duration<double>(steady_clock::now() - start).count();
  if (count > 0) {
    std::printf("filled %lld applications in %.1f s with %d threads: %.0f durable submissions/s with the figures kept\n",
                static_cast<long long>(count), fill, threads, static_cast<double>(count) / fill);
  }
  std::printf("%lld applications in the database\n", static_cast<long long>(store.submission_count()));
  // One in 50 decided, each post with its figure move, in its own transaction.
  next = 0;
  pool.clear();
  start = steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::int64_t i; (i = next++) < static_cast<std::int64_t>(decided.size());) {
        s::AgencyStatus a;
        a.agency = "ssa";
        a.seq = 1;
        a.status = "decided";
        a.outcome = "approved";
        a.at = now;
        store.append_agency_status(decided[static_cast<std::size_t>(i)], a, std::nullopt, now,
                                   s::FigureMove{"2027-12-01", "", 12 + i % 7, "FY2028 Q1", true, true});
      }
    });
  }
  for (auto& t : pool) t.join();
  const double posts = duration<double>(steady_clock::now() - start).count();
  if (!decided.empty()) {
    std::printf("decided %zu of them through append_agency_status in %.1f s: %.0f posts/s\n", decided.size(), posts,
                static_cast<double>(decided.size()) / posts);
  }

  // Freezing: once per quarter, on the first request after it ends (every quarter at once here).
  const auto freeze_start = steady_clock::now();
  const s::FigureCounts counts = store.figure_counts();
  std::set<std::string> quarters;
  for (const auto& a : counts.applications) quarters.insert(a.quarter);
  const auto today = askonce::engine::parse_date("2028-01-02").value();
  for (const auto& q : quarters) {
    if (store.find_snapshot(q)) continue;  // COUNT 0 on a database frozen before
    s::FigureSnapshot snap;
    snap.quarter = q;
    snap.csv = s::publication_csv(s::publish_quarter(counts, {}, q, today));
    snap.sha256 = s::sha256_hex(snap.csv);
    snap.frozen = now;
    store.freeze_snapshot(snap);
  }
  std::printf("froze %zu quarters (counts read once, each quarter published and stored) in %.2f ms\n",
              quarters.size(), duration<double, std::milli>(steady_clock::now() - freeze_start).count());

  std::vector<double> times;
  std::size_t rows = 0, bytes = 0;
  for (int run = 0; run < 20; ++run) {
    const auto t0 = steady_clock::now();
    std::vector<s::FigureSnapshot> frozen;
    for (const auto& listed : store.snapshots()) {
      if (auto snap = store.find_snapshot(listed.quarter)) frozen.push_back(std::move(*snap));
    }
    const s::Publication p = s::published(frozen);
    const std::string json = s::publication_json(p), csv = s::publication_csv(p);
    times.push_back(duration<double, std::milli>(steady_clock::now() - t0).count());
    rows = p.rows.size();
    bytes = json.size() + csv.size();
  }
  std::sort(times.begin(), times.end());
  std::printf("/performance's figures over them (snapshots read back, JSON and CSV; %zu rows, %zu bytes): "
              "median %.2f ms, slowest %.2f ms of 20 (aim: under 100 ms)\n",
              rows, bytes, times[times.size() / 2], times.back());
  return 0;
}
