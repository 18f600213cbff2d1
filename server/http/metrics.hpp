// server/http/metrics.hpp: counters and latency histograms for /metrics (Prometheus text format).
//
// Labels are fixed, low-cardinality names (a route template, a form id, an agency, an
// outcome), never anything a citizen typed.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server {

class Metrics {
 public:
  /// A request answered: by route template, method and status.
  void request(std::string_view route, std::string_view method, int status, double seconds);
  /// A submission: outcome is "stored", "replayed", "invalid", "conflict" or "error".
  void submission(std::string_view form, std::string_view channel, std::string_view outcome, double seconds);
  /// A delivery attempt: outcome is "delivered", "retry" or "dead".
  void delivery(std::string_view agency, std::string_view outcome, double seconds);
  /// A mail attempt: outcome is "sent", "retry" or "dead"; kind is the mail's ("receipt").
  void mail(std::string_view kind, std::string_view outcome, double seconds);
  /// Requests refused before a handler ran: "rate_limited", "too_large", ...
  void refused(std::string_view reason);
  /// Rows retention deleted: kind is "view", "dead_letter" or "submission".
  void retained(std::string_view kind, std::int64_t deleted);

  /// Everything, in Prometheus text exposition format, with the store's gauges (deliveries
  /// by agency and state, mails by kind and state, submissions stored).
  std::string prometheus(Store& store) const;

 private:
  static constexpr std::array<double, 12> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1,    2.5,   10};
  struct Histogram {
    std::array<std::uint64_t, buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double seconds);
  };
  using Labels = std::vector<std::pair<std::string, std::string>>;
  static std::string format_labels(const Labels& labels, std::string_view extra = {});

  mutable std::mutex mutex_;
  std::map<Labels, std::uint64_t> requests_;
  std::map<Labels, Histogram> request_seconds_;
  std::map<Labels, std::uint64_t> submissions_;
  std::map<Labels, Histogram> submission_seconds_;
  std::map<Labels, std::uint64_t> deliveries_;
  std::map<Labels, Histogram> delivery_seconds_;
  std::map<Labels, std::uint64_t> mails_;
  std::map<Labels, Histogram> mail_seconds_;
  std::map<Labels, std::uint64_t> refused_;
  std::map<Labels, std::uint64_t> retention_;
};

}  // namespace askonce::server
