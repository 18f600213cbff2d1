// server/store/sweeper.cpp: the retention thread (sweeper.hpp).
#include "server/store/sweeper.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace askonce::server {

struct Sweeper::Impl {
  Store& store;
  SweeperOptions options;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;

  Impl(Store& s, SweeperOptions o) : store(s), options(std::move(o)) {}

  // Waits `d`, or until stop(); false when stopping.
  bool wait(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, d, [&] { return stopping; });
  }

  void run() {
    for (auto delay = options.first_delay; wait(delay); delay = options.interval) {
      try {
        const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
        const auto result = store.sweep(options.policy, now, options.batch);
        if (result.ran && options.swept) options.swept(result);
      } catch (const StoreError& e) {
        if (options.failed) options.failed(e.what());
      }
      try {
        if (options.each_turn) options.each_turn();
      } catch (const StoreError& e) {
        if (options.failed) options.failed(e.what());
      }
    }
  }
};

Sweeper::Sweeper(Store& store, SweeperOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {}

Sweeper::~Sweeper() { stop(); }

void Sweeper::start() {
  if (impl_->thread.joinable()) return;
  impl_->stopping = false;
  impl_->thread = std::thread([this] { impl_->run(); });
}

void Sweeper::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace askonce::server
