// server/store/pool.hpp: a fixed set of connections lent one call at a time (internal to
// store/): SQLite's read connections, PostgreSQL's connections besides the writer.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace askonce::server::store_detail {

template <class Connection>
class Pool {
 public:
  /// Adds a connection (while the store opens, before any lease).
  void add(std::unique_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(c));
  }

  /// A connection for the duration of one call: waits for a free one, gives it back at the end.
  class Lease {
   public:
    explicit Lease(Pool& pool) : pool_(pool) {
      std::unique_lock lock(pool_.mutex_);
      pool_.returned_.wait(lock, [&] { return !pool_.free_.empty(); });
      connection_ = std::move(pool_.free_.back());
      pool_.free_.pop_back();
    }
    ~Lease() {
      {
        std::lock_guard lock(pool_.mutex_);
        pool_.free_.push_back(std::move(connection_));
      }
      pool_.returned_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *connection_; }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> connection_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace askonce::server::store_detail
