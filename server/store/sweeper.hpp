// server/store/sweeper.hpp: the thread that applies retention (Store::sweep) now and then.
//
// Each server process runs one; with several on one database, the store lets one sweep at a
// time (the others find it busy and wait for their next turn), so the work is done once.
// It sweeps at start, then every `interval`; a sweep that fails (the database is down) is tried
// again at the next turn. Each turn then runs the owner's other housekeeping (`each_turn`).
// The first sweep waits `first_delay`, so that a server starting serves first.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "server/store/store.hpp"

namespace askonce::server {

struct SweeperOptions {
  RetentionPolicy policy;
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  std::chrono::milliseconds first_delay{std::chrono::seconds(30)};
  std::size_t batch = 1000;
  /// After each sweep that ran: what it deleted (for logs and metrics).
  std::function<void(const SweepResult&)> swept;
  /// A sweep that failed: the reason, for an operator (never a row's content).
  std::function<void(const std::string&)> failed;
  /// Run at every turn after the sweep, whether this node swept or another did: other
  /// housekeeping due once in a while (the server freezes the quarters that have ended). A
  /// StoreError it throws is reported through `failed` and tried again at the next turn.
  std::function<void()> each_turn;
};

class Sweeper {
 public:
  Sweeper(Store& store, SweeperOptions options);
  /// Stops first.
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  void start();
  /// Wakes the thread and joins it; a sweep in progress finishes its current batch.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace askonce::server
