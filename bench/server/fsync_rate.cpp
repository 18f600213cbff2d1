// bench/server/fsync_rate.cpp: how many durable commits per second the disk under a folder
// allows, one after another. It appends 4 KiB to a file and calls fdatasync, in a loop, for
// a few seconds: what SQLite does at each commit in WAL mode with synchronous=FULL (append
// the transaction's frames to the -wal file, then sync it). One commit per fsync is therefore
// the ceiling of a server that commits each submission alone; going past it takes group
// commit. Used by bench/server/run.sh; a benchmark, not a test.
//
//   bench_fsync DIR [--seconds S]
//
// Prints one line: "fsync_per_second N p50_ms X p99_ms Y" (machine-readable, for run.sh).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_fsync DIR [--seconds S]\n");
    return 2;
  }
  const std::string dir = argv[1];
  double seconds = 2.0;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::atof(argv[i + 1]);
  }
  std::string path = dir + "/fsync-probe.XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    std::perror(("bench_fsync: " + dir).c_str());
    return 1;
  }
  ::unlink(path.c_str());  // gone when closed, even if killed
  if (::fcntl(fd, F_SETFL, O_APPEND) != 0) {
    std::perror("bench_fsync: O_APPEND");
    return 1;
  }
  std::vector<char> block(4096, 'x');
  std::vector<double> latencies;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  auto now = start;
  while (now < end) {
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) {
      std::perror("bench_fsync: write");
      return 1;
    }
    if (::fdatasync(fd) != 0) {
      std::perror("bench_fsync: fdatasync");
      return 1;
    }
    const auto after = Clock::now();
    latencies.push_back(std::chrono::duration<double, std::milli>(after - now).count());
    now = after;
  }
  ::close(fd);
  const double elapsed = std::chrono::duration<double>(now - start).count();
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) { return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(q * latencies.size()))]; };
  std::printf("fsync_per_second %.0f p50_ms %.3f p99_ms %.3f\n", static_cast<double>(latencies.size()) / elapsed, at(0.50),
              at(0.99));
  return 0;
}
