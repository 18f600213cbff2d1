// server/delivery/delivery.cpp: the webhook delivery worker: one thread per agency, and a watchdog that
// holds every request to its timeout.
#include "server/delivery/delivery.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "server/delivery/envelope.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view user_agent = "askonce-webhooks/0.1";

TimePoint now() { return std::chrono::time_point_cast<milliseconds>(Clock::now()); }

double random_unit() {
  // Jitter only spreads retries out; it needs no cryptographic randomness.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

std::string duration_text(milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

/// An agency's Retry-After: delay-seconds or an HTTP date; nothing when absent or unreadable.
std::optional<milliseconds> parse_retry_after(std::string value, TimePoint at) {
  value.erase(0, value.find_first_not_of(" \t"));
  value.erase(value.find_last_not_of(" \t") + 1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return milliseconds::max();  // capped by the caller
    return std::chrono::seconds(std::stol(value));
  }
  for (const std::string* format :
       {&Poco::DateTimeFormat::HTTP_FORMAT, &Poco::DateTimeFormat::RFC850_FORMAT, &Poco::DateTimeFormat::ASCTIME_FORMAT}) {
    Poco::DateTime date;
    int tzd = 0;
    if (!Poco::DateTimeParser::tryParse(*format, value, date, tzd)) continue;
    date.makeUTC(tzd);
    const auto when = milliseconds(date.timestamp().epochMicroseconds() / 1000);
    return std::max(milliseconds(0), when - at.time_since_epoch());
  }
  return std::nullopt;
}

/// What one POST came to: an HTTP status, or an error before there was one.
struct Exchange {
  int status = 0;     // 0: no response
  std::string error;  // for last_error: "HTTP 503", "connection refused", never a body
  std::optional<milliseconds> retry_after;
};

}  // namespace

struct DeliveryWorker::Impl {
  struct Lane {
    WebhookTarget target;
    std::thread thread;
  };

  Store& store;
  DeliveryOptions options;
  std::vector<Lane> lanes;
  Poco::Net::Context::Ptr tls;  // only when some target is https
  bool ssl_initialized = false;

  std::mutex lifecycle;  // start() and stop() one at a time
  std::mutex mutex;
  std::condition_variable wake;
  bool running = false;
  bool stopping = false;
  std::uint64_t notified = 0;  // bumped by notify(): a lane that saw another value looks again

  // The watchdog: every request in flight, by a serial number, with its deadline. At the
  // deadline the socket is shut down, which ends whatever read or write the lane is blocked
  // in. Poco's socket timeouts bound each read alone; this bounds the whole request.
  struct Watched {
    int fd = -1;  // a dup() of the request's socket, so it is never a number reused elsewhere
    Steady::time_point deadline;
    bool fired = false;
  };
  std::mutex watch_mutex;
  std::condition_variable watch_wake;
  std::map<std::uint64_t, Watched> watched;
  std::uint64_t next_watch = 0;
  bool watch_exit = false;
  std::thread watchdog;

  Impl(Store& s, DeliveryOptions o) : store(s), options(std::move(o)) {}

  void say(const std::string& message) const {
    if (options.log) options.log(message);
  }

  class Watch {
   public:
    Watch(Impl& impl, int fd, Steady::time_point deadline) : impl_(impl) {
      std::lock_guard lock(impl_.watch_mutex);
      id_ = impl_.next_watch++;
      impl_.watched[id_] = {fd >= 0 ? ::dup(fd) : -1, deadline, false};
      impl_.watch_wake.notify_all();
    }
    ~Watch() {
      std::lock_guard lock(impl_.watch_mutex);
      auto it = impl_.watched.find(id_);
      if (it->second.fd >= 0) ::close(it->second.fd);
      impl_.watched.erase(it);
    }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    bool fired() const {
      std::lock_guard lock(impl_.watch_mutex);
      return impl_.watched.at(id_).fired;
    }

   private:
    Impl& impl_;
    std::uint64_t id_ = 0;
  };

  void run_watchdog() {
    std::unique_lock lock(watch_mutex);
    while (!watch_exit) {
      const auto at = Steady::now();
      std::optional<Steady::time_point> next;
      for (auto& [id, w] : watched) {
        if (w.fired) continue;
        if (w.deadline <= at) {
          if (w.fd >= 0) ::shutdown(w.fd, SHUT_RDWR);
          w.fired = true;
        } else if (!next || w.deadline < *next) {
          next = w.deadline;
        }
      }
      if (next) {
        watch_wake.wait_until(lock, *next);
      } else {
        watch_wake.wait(lock);
      }
    }
  }

  Exchange post(const WebhookTarget& target, const AgencyItem& item) {
    const auto deadline = Steady::now() + options.timeout;
    const auto resolved = resolve_webhook(target.url, options.allow_private);
    if (!resolved.endpoint) return {0, resolved.error, std::nullopt};
    const WebhookEndpoint& to = *resolved.endpoint;
    const bool xml = target.xml && item.xml;
    const std::string& body = xml ? *item.xml : item.json;
    const std::string id = webhook_id(item);
    const std::int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();

    Exchange out;
    Poco::Net::StreamSocket socket;
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::optional<Watch> watch;
    const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.timeout).count());
    try {
      // The checked addresses, not the host name again: a second DNS answer could differ.
      for (std::size_t i = 0;; ++i) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Steady::now());
        if (left.count() <= 0) throw Poco::TimeoutException();
        try {
          socket = Poco::Net::StreamSocket();
          socket.connect(Poco::Net::SocketAddress(Poco::Net::IPAddress(to.addresses[i]), to.port),
                         Poco::Timespan(left.count()));
          break;
        } catch (const Poco::Net::NetException&) {
          if (i + 1 == to.addresses.size()) throw;
        }
      }
      watch.emplace(*this, socket.impl()->sockfd(), deadline);
      socket.setReceiveTimeout(timeout);
      socket.setSendTimeout(timeout);
      socket.setNoDelay(true);
      if (to.https) {
        // SNI and the certificate check use the URL's host name.
        // (HTTPSClientSession cannot take a socket already connected; the plain session reads
        // and writes through the TLS socket just the same.)
        auto secure = Poco::Net::SecureStreamSocket::attach(socket, to.host, tls);
        session = std::make_unique<Poco::Net::HTTPClientSession>(secure);
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
      }
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, to.target, Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("Host", to.host_header);
      // The worker (node and process) names itself, so that an agency or an operator with
      // several nodes can tell which one sent a delivery; it carries nothing else.
      request.set("User-Agent", std::string(user_agent) + " (worker " + options.worker + ")");
      request.setContentType(xml ? "application/xml" : "application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      request.setKeepAlive(false);
      request.set("webhook-id", id);
      request.set("webhook-timestamp", std::to_string(timestamp));
      request.set("webhook-signature", sign_webhook(target.secret, id, timestamp, body));
      // The envelope (envelope.hpp). Not signed, but the reference is also inside the signed
      // webhook-id, and the digest names the signed body's submission.
      for (const auto& [name, value] : envelope_headers(item)) request.set(name, value);
      // A redirect is not followed (3xx is a failure): its location would escape the check above.
      std::ostream& stream = session->sendRequest(request);
      stream.write(body.data(), static_cast<std::streamsize>(body.size()));
      stream.flush();
      Poco::Net::HTTPResponse response;
      session->receiveResponse(response);  // the body is not read: only the status matters
      out.status = static_cast<int>(response.getStatus());
      out.error = "HTTP " + std::to_string(out.status);
      if (response.has("Retry-After")) out.retry_after = parse_retry_after(response.get("Retry-After"), now());
    } catch (const Poco::Net::ConnectionRefusedException&) {
      out.error = "connection refused";
    } catch (const Poco::TimeoutException&) {
      out.error = "timed out after " + duration_text(options.timeout);
    } catch (const Poco::Net::ConnectionResetException&) {
      out.error = "connection reset";
    } catch (const Poco::Net::NoMessageException&) {
      out.error = "the connection closed without a response";
    } catch (const Poco::Net::MessageException&) {
      out.error = "not an HTTP response";
    } catch (const Poco::Net::SSLException& e) {
      out.error = "TLS: " + e.message();
    } catch (const Poco::Exception& e) {
      out.error = e.displayText();
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    if (watch && watch->fired() && out.status == 0) {
      // Whatever error the cut socket produced, the reason is the deadline. (A response that
      // was complete before the deadline stands.)
      out.error = "timed out after " + duration_text(options.timeout);
    }
    if (out.status == 0) out.retry_after.reset();
    if (out.error.size() > 200) out.error.resize(200);
    return out;
  }

  /// One attempt at one row; the time of its next attempt when one was scheduled.
  std::optional<TimePoint> attempt(const WebhookTarget& target, const AgencyItem& item) {
    const auto started = Steady::now();
    const Exchange result = post(target, item);
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    const auto report = [&](std::string_view outcome) {
      if (options.observer) options.observer(target.agency, outcome, seconds);
    };
    if (result.status >= 200 && result.status < 300) {
      if (!store.mark_delivered(item.outbox_id, options.worker, now())) {
        say("delivery " + std::to_string(item.outbox_id) + " to " + target.agency +
            " was delivered after its lease ran out; another worker may deliver it again");
      }
      report("delivered");
      return std::nullopt;
    }
    const std::int64_t failed = item.attempts + 1;
    const auto lost = [&] {
      say("delivery " + std::to_string(item.outbox_id) + " to " + target.agency +
          " failed after its lease ran out; another worker has it now");
    };
    if (failed >= options.max_attempts) {
      if (!store.mark_failed(item.outbox_id, options.worker, result.error, std::nullopt)) lost();
      say("delivery " + std::to_string(item.outbox_id) + " to " + target.agency + " is dead after " +
          std::to_string(failed) + " attempts: " + result.error);
      report("dead");
      return std::nullopt;
    }
    std::optional<milliseconds> retry_after = result.retry_after;
    if (retry_after) retry_after = std::min(*retry_after, options.max_backoff);
    const TimePoint next =
        now() + backoff_delay(failed, random_unit(), options.base_backoff, options.max_backoff, retry_after);
    if (!store.mark_failed(item.outbox_id, options.worker, result.error, next)) lost();
    report("retry");
    return next;
  }

  bool should_stop() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  void run_lane(const WebhookTarget& target) {
    // Writing to an agency that hung up must be an error (EPIPE), not a SIGPIPE that ends the
    // process. Poco blocks it in the thread that loads it, and threads inherit that; this lane
    // makes sure whoever started it.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    TimePoint soonest = TimePoint::max();  // the earliest retry this lane has scheduled; max: none
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mutex);
      seen = notified;
    }
    for (;;) {
      bool full = false;
      try {
        ClaimRequest claim;
        claim.worker = options.worker;
        claim.now = now();
        claim.lease = options.lease;
        claim.limit = options.batch;
        claim.agency = target.agency;
        const auto items = store.claim_deliveries(claim);
        full = items.size() >= options.batch;
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (should_stop()) {
            // Stopping: the rest of the batch goes back unattempted, due at once for the next
            // worker (a restart) instead of when its lease runs out.
            for (; i < items.size(); ++i) store.release_delivery(items[i].outbox_id, options.worker);
            return;
          }
          if (auto next = attempt(target, items[i]); next && *next < soonest) soonest = *next;
        }
      } catch (const std::exception& e) {
        say("delivery to " + target.agency + ": " + e.what());
        full = false;
      }
      std::unique_lock lock(mutex);
      if (stopping) return;
      if (full) continue;  // more may be due: claim again before waiting
      auto wait = options.poll;
      if (soonest != TimePoint::max()) {
        wait = std::clamp(std::chrono::duration_cast<milliseconds>(soonest - now()), milliseconds(0), wait);
      }
      wake.wait_for(lock, wait, [&] { return stopping || notified != seen; });
      seen = notified;
      if (stopping) return;
      if (soonest <= now()) soonest = TimePoint::max();
    }
  }
};

DeliveryWorker::DeliveryWorker(Store& store, std::vector<WebhookTarget> targets, DeliveryOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {
  auto& o = impl_->options;
  if (o.max_attempts < 1) throw std::invalid_argument("delivery: max_attempts must be at least 1");
  if (o.timeout <= milliseconds(0)) throw std::invalid_argument("delivery: the timeout must be positive");
  if (o.lease == milliseconds(0)) o.lease = std::max<milliseconds>(std::chrono::seconds(60), 2 * o.timeout);
  if (o.lease <= o.timeout) {
    throw std::invalid_argument("delivery: the lease (" + duration_text(o.lease) + ") must be longer than the timeout (" +
                                duration_text(o.timeout) + "), or a row could be sent twice at once");
  }
  if (o.batch == 0) o.batch = 1;
  if (o.poll <= milliseconds(0)) o.poll = milliseconds(1);
  // One name per worker object: a restarted process never holds its predecessor's leases.
  o.worker = (o.worker.empty() ? std::string("askonce") : o.worker) + "-" + random_token(6);
  std::set<std::string> agencies;
  bool https = false;
  for (auto& t : targets) {
    if (t.url.empty()) continue;
    if (!agencies.insert(t.agency).second) {
      throw std::invalid_argument("delivery: agency " + t.agency + " has two webhooks");
    }
    if (auto problem = check_webhook_url_form(t.url)) {
      throw std::invalid_argument("delivery: agency " + t.agency + ": " + *problem);
    }
    if (!webhook_key(t.secret)) {
      throw std::invalid_argument("delivery: agency " + t.agency +
                                  ": the webhook secret is not \"whsec_\" followed by the base64 of 16 bytes or more");
    }
    std::string scheme = t.url.substr(0, t.url.find(':'));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    https = https || scheme == "https";
    impl_->lanes.push_back({std::move(t), {}});
  }
  if (https) {
    Poco::Net::initializeSSL();
    try {
      Poco::Net::Context::Params params;
      params.verificationMode = Poco::Net::Context::VERIFY_STRICT;  // the chain, and the host name, always
      params.loadDefaultCAs = true;
      params.caLocation = o.ca_file;
      impl_->tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      impl_->tls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    } catch (const Poco::Exception& e) {
      impl_->tls.reset();
      Poco::Net::uninitializeSSL();
      throw std::invalid_argument("delivery: cannot set up TLS for https webhooks: " + e.displayText());
    }
    impl_->ssl_initialized = true;
  }
}

DeliveryWorker::~DeliveryWorker() {
  stop();
  if (impl_->ssl_initialized) {
    impl_->tls.reset();
    Poco::Net::uninitializeSSL();
  }
}

void DeliveryWorker::start() {
  std::lock_guard cycle(impl_->lifecycle);
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) return;
  impl_->running = true;
  impl_->stopping = false;
  {
    std::lock_guard watch_lock(impl_->watch_mutex);
    impl_->watch_exit = false;
  }
  impl_->watchdog = std::thread([impl = impl_.get()] { impl->run_watchdog(); });
  for (auto& lane : impl_->lanes) {
    lane.thread = std::thread([impl = impl_.get(), &target = lane.target] { impl->run_lane(target); });
  }
}

void DeliveryWorker::stop() {
  std::lock_guard cycle(impl_->lifecycle);
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  // The watchdog keeps running until every lane is out, so a request in flight still ends
  // at its deadline.
  for (auto& lane : impl_->lanes) {
    if (lane.thread.joinable()) lane.thread.join();
  }
  {
    std::lock_guard watch_lock(impl_->watch_mutex);
    impl_->watch_exit = true;
  }
  impl_->watch_wake.notify_all();
  if (impl_->watchdog.joinable()) impl_->watchdog.join();
  std::lock_guard lock(impl_->mutex);
  impl_->running = false;
}

void DeliveryWorker::notify() {
  {
    std::lock_guard lock(impl_->mutex);
    ++impl_->notified;
  }
  impl_->wake.notify_all();
}

}  // namespace askonce::server
