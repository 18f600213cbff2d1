// server/http/metrics.cpp: the metrics, and their Prometheus text.
#include "server/http/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace askonce::server {
namespace {

/// A label value escaped as the exposition format says: backslash, quote and line break.
std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string number(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", d);
  return buf;
}

}  // namespace

void Metrics::Histogram::observe(double seconds) {
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    if (seconds <= buckets[i]) ++counts[i];
  }
  ++count;
  sum += seconds;
}

std::string Metrics::format_labels(const Labels& labels, std::string_view extra) {
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (out.size() > 1) out += ',';
    out += k + "=\"" + label_value(v) + "\"";
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  return out + "}";
}

void Metrics::request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{{"route", std::string(route)}, {"method", std::string(method)}, {"status", std::to_string(status)}}];
  request_seconds_[{{"route", std::string(route)}}].observe(seconds);
}

void Metrics::submission(std::string_view form, std::string_view channel, std::string_view outcome, double seconds) {
  std::lock_guard lock(mutex_);
  ++submissions_[{{"form", std::string(form)}, {"channel", std::string(channel)}, {"outcome", std::string(outcome)}}];
  submission_seconds_[{{"form", std::string(form)}}].observe(seconds);
}

void Metrics::delivery(std::string_view agency, std::string_view outcome, double seconds) {
  std::lock_guard lock(mutex_);
  ++deliveries_[{{"agency", std::string(agency)}, {"outcome", std::string(outcome)}}];
  delivery_seconds_[{{"agency", std::string(agency)}}].observe(seconds);
}

void Metrics::mail(std::string_view kind, std::string_view outcome, double seconds) {
  std::lock_guard lock(mutex_);
  ++mails_[{{"kind", std::string(kind)}, {"outcome", std::string(outcome)}}];
  mail_seconds_[{{"kind", std::string(kind)}}].observe(seconds);
}

void Metrics::refused(std::string_view reason) {
  std::lock_guard lock(mutex_);
  ++refused_[{{"reason", std::string(reason)}}];
}

void Metrics::retained(std::string_view kind, std::int64_t deleted) {
  std::lock_guard lock(mutex_);
  retention_[{{"kind", std::string(kind)}}] += static_cast<std::uint64_t>(deleted);
}

std::string Metrics::prometheus(Store& store) const {
  std::ostringstream out;
  auto counters = [&](const char* name, const char* help, const std::map<Labels, std::uint64_t>& m) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n";
    for (const auto& [labels, n] : m) out << name << format_labels(labels) << ' ' << n << '\n';
  };
  auto histograms = [&](const char* name, const char* help, const std::map<Labels, Histogram>& m) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    for (const auto& [labels, h] : m) {
      for (std::size_t i = 0; i < buckets.size(); ++i) {
        out << name << "_bucket" << format_labels(labels, "le=\"" + number(buckets[i]) + "\"") << ' ' << h.counts[i]
            << '\n';
      }
      out << name << "_bucket" << format_labels(labels, "le=\"+Inf\"") << ' ' << h.count << '\n';
      out << name << "_sum" << format_labels(labels) << ' ' << number(h.sum) << '\n';
      out << name << "_count" << format_labels(labels) << ' ' << h.count << '\n';
    }
  };
  {
    std::lock_guard lock(mutex_);
    counters("askonce_http_requests_total", "HTTP requests answered, by route template, method and status.", requests_);
    histograms("askonce_http_request_duration_seconds", "Time to answer a request, by route template.",
               request_seconds_);
    counters("askonce_submissions_total",
             "Submissions by channel (web, api, phone, in_person, mail), form and outcome (stored, replayed, invalid,"
             " conflict, error).", submissions_);
    histograms("askonce_submission_duration_seconds", "Time to check, route and durably store a submission.",
               submission_seconds_);
    counters("askonce_delivery_attempts_total", "Webhook delivery attempts by agency and outcome.", deliveries_);
    histograms("askonce_delivery_duration_seconds", "Time of one webhook delivery attempt, by agency.",
               delivery_seconds_);
    counters("askonce_mail_attempts_total", "Mail sending attempts by kind and outcome (sent, retry, dead).", mails_);
    histograms("askonce_mail_duration_seconds", "Time of one attempt to hand a mail to the relay, by kind.",
               mail_seconds_);
    counters("askonce_requests_refused_total", "Requests refused before a handler ran, by reason.", refused_);
    counters("askonce_retention_deleted_total",
             "Rows retention deleted by this process, by kind (view, dead_letter, submission, draft).", retention_);
  }
  out << "# HELP askonce_deliveries Outbox rows by agency and state.\n# TYPE askonce_deliveries gauge\n";
  for (const auto& c : store.delivery_counts()) {
    out << "askonce_deliveries" << format_labels({{"agency", c.agency}, {"state", to_string(c.state)}}) << ' '
        << c.count << '\n';
  }
  out << "# HELP askonce_mails Mails in the outbox by kind and state (pending, sent, dead).\n"
         "# TYPE askonce_mails gauge\n";
  for (const auto& c : store.mail_counts()) {
    out << "askonce_mails" << format_labels({{"kind", c.kind}, {"state", to_string(c.state)}}) << ' ' << c.count
        << '\n';
  }
  out << "# HELP askonce_submissions_stored Submissions in the database.\n# TYPE askonce_submissions_stored gauge\n"
      << "askonce_submissions_stored " << store.submission_count() << '\n';
  if (auto w = store.write_stats()) {
    out << "# HELP askonce_store_saves_total Submission saves the store answered (any outcome).\n"
        << "# TYPE askonce_store_saves_total counter\n"
        << "askonce_store_saves_total " << w->saves << '\n'
        << "# HELP askonce_store_commits_total Transactions that wrote those saves, in groups (one fsync"
           " each): saves / commits is submissions per fsync.\n"
        << "# TYPE askonce_store_commits_total counter\n"
        << "askonce_store_commits_total " << w->commits << '\n'
        << "# HELP askonce_store_largest_group The most saves one transaction has written since the start.\n"
        << "# TYPE askonce_store_largest_group gauge\n"
        << "askonce_store_largest_group " << w->largest_batch << '\n';
  }
  return out.str();
}

}  // namespace askonce::server
