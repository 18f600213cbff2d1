// server/delivery/mail.cpp: the mail worker: one thread, the store's mail outbox, an SMTP relay
// through Poco::Net (SecureSMTPClientSession).
#include "server/delivery/mail.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

TimePoint now() { return std::chrono::time_point_cast<milliseconds>(Clock::now()); }

double random_unit() {
  // Jitter only spreads retries out; it needs no cryptographic randomness.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

/// An address we put in RCPT TO and To: as the engine checks an email answer, and nothing a
/// header or an SMTP command could be bent by (no spaces, controls, brackets or commas).
bool usable_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == a.size() || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  return std::none_of(a.begin(), a.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos;
  });
}

/// The address inside "Name <address>", or the whole text.
std::string bare_address(const std::string& from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) return from.substr(open + 1, close - open - 1);
  return from;
}

void build_message(Poco::Net::MailMessage& message, const SmtpRelay& relay, const MailItem& mail) {
  using Poco::Net::MailMessage;
  message.setSender(relay.from);
  message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.recipient));
  message.setSubject(MailMessage::encodeWord(mail.subject, "UTF-8"));
  message.setDate(Poco::Timestamp());
  const std::string from = bare_address(relay.from);
  const auto at = from.find('@');
  const std::string domain = at == std::string::npos ? std::string("localhost") : from.substr(at + 1);
  // Unique per attempt is enough: a relay that took the first attempt answered it.
  message.set("Message-ID", "<" + random_token(18) + "@" + domain + ">");
  // RFC 3834: an automatic message; well-behaved systems send no vacation reply to it.
  message.set("Auto-Submitted", "auto-generated");
  // Set before the parts are added, so the message stays an alternative, not a mixed one.
  message.setContentType("multipart/alternative");
  message.addContent(new Poco::Net::StringPartSource(mail.text, "text/plain; charset=UTF-8"),
                     MailMessage::ENCODING_QUOTED_PRINTABLE);
  message.addContent(new Poco::Net::StringPartSource(mail.html, "text/html; charset=UTF-8"),
                     MailMessage::ENCODING_QUOTED_PRINTABLE);
}

/// The relay's answer without the recipient's address in it ("550 <ana@example.org>: unknown"):
/// errors are stored, listed by `askonce mail list` and logged, where no address may go.
std::string without_address(std::string error, const std::string& address) {
  if (address.empty()) return error;
  for (auto at = error.find(address); at != std::string::npos; at = error.find(address, at)) {
    error.replace(at, address.size(), "(recipient)");
  }
  return error;
}

/// One line of at most 200 bytes, without the recipient's address.
std::string shorten(const std::string& address, std::string s) {
  s = without_address(std::move(s), address);
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  if (s.size() > 200) s.resize(200);
  return s;
}

Poco::Net::Context::Ptr client_context(const std::string& ca_file) {
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;  // the chain, and the host name, always
  params.loadDefaultCAs = true;
  params.caLocation = ca_file;
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  return context;
}

// OpenSSL through Poco, initialized while someone needs it (reference-counted by Poco).
struct SslUse {
  SslUse() { Poco::Net::initializeSSL(); }
  ~SslUse() { Poco::Net::uninitializeSSL(); }
  SslUse(const SslUse&) = delete;
  SslUse& operator=(const SslUse&) = delete;
};

}  // namespace

std::string format_mail(const SmtpRelay& relay, const MailItem& mail) {
  std::ostringstream out;
  Poco::Net::MailMessage message;
  build_message(message, relay, mail);
  message.write(out);
  return out.str();
}

std::optional<std::string> send_mail(const SmtpRelay& relay, const MailItem& mail, milliseconds timeout) {
  if (!usable_address(mail.recipient)) return std::string("the recipient address cannot be used");
  SslUse ssl;
  const std::string helo = relay.helo.empty() ? std::string("localhost") : relay.helo;
  try {
    Poco::Net::Context::Ptr context;
    if (relay.starttls == SmtpRelay::StartTls::Required) context = client_context(relay.ca_file);
    Poco::Net::SecureSMTPClientSession session(relay.host, static_cast<Poco::UInt16>(relay.port));
    session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count()));
    try {
      session.login(helo);  // EHLO
      if (relay.starttls == SmtpRelay::StartTls::Required) {
        // The relay must take STARTTLS before anything else is said: no credentials, no
        // address and no message on a connection anyone on the path can read.
        if (!session.startTLS(context)) {
          session.close();
          return std::string("the relay does not offer STARTTLS (mail.starttls is \"required\"): nothing was sent");
        }
      }
      if (!relay.username.empty()) {
        session.login(helo,
                      relay.login == SmtpRelay::Login::Plain ? Poco::Net::SMTPClientSession::AUTH_PLAIN
                                                             : Poco::Net::SMTPClientSession::AUTH_LOGIN,
                      relay.username, relay.password);  // EHLO again over TLS, then AUTH
      } else if (relay.starttls == SmtpRelay::StartTls::Required) {
        session.login(helo);  // EHLO again over TLS (RFC 3207)
      }
      Poco::Net::MailMessage message;
      build_message(message, relay, mail);
      session.sendMessage(message);
      session.close();  // QUIT
    } catch (...) {
      try {
        session.close();
      } catch (...) {
        // The connection is gone already.
      }
      throw;
    }
  } catch (const Poco::Net::SMTPException& e) {
    // The relay's reply (code and text), never our credentials: Poco's message names the step.
    return shorten(mail.recipient, e.message());
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return std::string("connection refused");
  } catch (const Poco::TimeoutException&) {
    return std::string("timed out");
  } catch (const Poco::Net::SSLException& e) {
    return shorten(mail.recipient, "TLS: " + e.message());
  } catch (const Poco::Exception& e) {
    return shorten(mail.recipient, e.displayText());
  } catch (const std::exception& e) {
    return shorten(mail.recipient, e.what());
  }
  return std::nullopt;
}

struct MailWorker::Impl {
  Store& store;
  SmtpRelay relay;
  MailOptions options;
  std::thread thread;

  std::mutex lifecycle;  // start() and stop() one at a time
  std::mutex mutex;
  std::condition_variable wake;
  bool running = false;
  bool stopping = false;
  std::uint64_t notified = 0;

  Impl(Store& s, SmtpRelay r, MailOptions o) : store(s), relay(std::move(r)), options(std::move(o)) {}

  void say(const std::string& message) const {
    if (options.log) options.log(message);
  }

  bool should_stop() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  /// One attempt at one mail; the time of its next attempt when one was scheduled.
  std::optional<TimePoint> attempt(const MailItem& mail) {
    const auto started = Steady::now();
    const auto error = send_mail(relay, mail, options.timeout);
    const double seconds = std::chrono::duration<double>(Steady::now() - started).count();
    const auto report = [&](std::string_view outcome) {
      if (options.observer) options.observer(mail.kind, outcome, seconds);
    };
    const auto lost = [&] {
      say("mail " + std::to_string(mail.id) + " was attempted after its lease ran out; another worker has it now");
    };
    if (!error) {
      if (!store.mark_mail_sent(mail.id, options.worker, now())) lost();
      report("sent");
      return std::nullopt;
    }
    const std::int64_t failed = mail.attempts + 1;
    if (failed >= options.max_attempts || *error == "the recipient address cannot be used") {
      if (!store.mark_mail_failed(mail.id, options.worker, *error, std::nullopt)) lost();
      say("mail " + std::to_string(mail.id) + " (" + mail.kind + ") is dead after " + std::to_string(failed) +
          " attempts: " + *error);
      report("dead");
      return std::nullopt;
    }
    const TimePoint next = now() + backoff_delay(failed, random_unit(), options.base_backoff, options.max_backoff);
    if (!store.mark_mail_failed(mail.id, options.worker, *error, next)) lost();
    report("retry");
    return next;
  }

  void run() {
    // Writing to a relay that hung up must be an error (EPIPE), not a SIGPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    TimePoint soonest = TimePoint::max();  // the earliest retry scheduled; max: none
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
        const auto mails = store.claim_mail(claim);
        full = mails.size() >= options.batch;
        for (std::size_t i = 0; i < mails.size(); ++i) {
          if (should_stop()) {
            for (; i < mails.size(); ++i) store.release_mail(mails[i].id, options.worker);
            return;
          }
          if (auto next = attempt(mails[i]); next && *next < soonest) soonest = *next;
        }
      } catch (const std::exception& e) {
        say(std::string("mail: ") + e.what());
        full = false;
      }
      std::unique_lock lock(mutex);
      if (stopping) return;
      if (full) continue;
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

MailWorker::MailWorker(Store& store, SmtpRelay relay, MailOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(relay), std::move(options))) {
  auto& r = impl_->relay;
  auto& o = impl_->options;
  if (r.host.empty()) throw std::invalid_argument("mail: no relay host (mail.host)");
  if (r.port < 1 || r.port > 65535) throw std::invalid_argument("mail: the relay port must be from 1 to 65535");
  if (!usable_address(bare_address(r.from))) {
    throw std::invalid_argument("mail: mail.from must be an address (\"Service <no-reply@example.gov>\" or the bare address)");
  }
  if (!r.username.empty() && r.starttls != SmtpRelay::StartTls::Required) {
    throw std::invalid_argument("mail: a login (mail.username) is only ever sent after STARTTLS: set mail.starttls to \"required\"");
  }
  if (!r.ca_file.empty() && !std::ifstream(r.ca_file).good()) {
    throw std::invalid_argument("mail: cannot read mail.ca_file " + r.ca_file);
  }
  if (o.max_attempts < 1) throw std::invalid_argument("mail: max_attempts must be at least 1");
  if (o.timeout <= milliseconds(0)) throw std::invalid_argument("mail: the timeout must be positive");
  if (o.lease == milliseconds(0)) o.lease = std::max<milliseconds>(std::chrono::seconds(60), 2 * o.timeout);
  if (o.lease <= o.timeout) throw std::invalid_argument("mail: the lease must be longer than the timeout");
  if (o.batch == 0) o.batch = 1;
  if (o.poll <= milliseconds(0)) o.poll = milliseconds(1);
  o.worker = (o.worker.empty() ? std::string("askonce") : o.worker) + "-mail-" + random_token(6);
}

MailWorker::~MailWorker() { stop(); }

void MailWorker::start() {
  std::lock_guard cycle(impl_->lifecycle);
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) return;
  impl_->running = true;
  impl_->stopping = false;
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void MailWorker::stop() {
  std::lock_guard cycle(impl_->lifecycle);
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->running) return;
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  std::lock_guard lock(impl_->mutex);
  impl_->running = false;
}

void MailWorker::notify() {
  {
    std::lock_guard lock(impl_->mutex);
    ++impl_->notified;
  }
  impl_->wake.notify_all();
}

}  // namespace askonce::server
