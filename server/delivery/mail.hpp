// server/delivery/mail.hpp: the worker that sends the mail outbox through an SMTP relay.
//
// Beside the webhook worker (delivery.hpp), one thread claims due mails from the store (a
// lease, so several nodes can share one database), hands each to the relay the configuration
// names, and marks it sent (the store then deletes its recipient and bodies), or failed with
// the next attempt after a jittered exponential backoff, or dead once it has had max_attempts.
// `askonce mail retry` puts a dead one back.
//
// The relay is used as a real deployment's is: EHLO, STARTTLS, EHLO again, then the login, then
// MAIL FROM / RCPT TO / DATA. Credentials are never sent to a relay that did not take
// STARTTLS: with `starttls = Required` (the default) an attempt whose STARTTLS is refused
// fails before any login, and is retried later like any other failure. The relay's
// certificate is checked, chain and host name (ca_file adds a private CA). No page waits on
// the relay: pages only queue mails in the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/store/store.hpp"

namespace askonce::server {

/// Where mail goes: an SMTP relay (submission port) and who the mail is from.
struct SmtpRelay {
  enum class StartTls : std::uint8_t {
    Required,  // STARTTLS or nothing is sent (the default)
    None,      // plain SMTP, for a relay on this machine; no login is then ever sent
  };
  enum class Login : std::uint8_t { Plain, Login };
  std::string host;  // empty: no relay, no mail queued
  int port = 587;
  std::string username;  // empty: no login
  std::string password;  // never logged, never in an error
  std::string from;      // "Service name <no-reply@example.gov>" or a bare address
  StartTls starttls = StartTls::Required;
  Login login = Login::Plain;
  /// PEM certificates of CAs to trust besides the system's (a private CA; tests).
  std::string ca_file;
  /// The name this server gives itself in EHLO; empty: "localhost".
  std::string helo;
};

/// Called after every attempt (from the worker's thread): outcome is "sent", "retry" or
/// "dead"; seconds is how long the SMTP exchange took. For metrics.
using MailObserver = std::function<void(const std::string& kind, std::string_view outcome, double seconds)>;

struct MailOptions {
  int max_attempts = 12;  // the attempt that fails with this many is the last: the mail is dead
  std::chrono::milliseconds base_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds max_backoff{std::chrono::hours(6)};
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // each read and write with the relay
  /// How long a claimed mail is this worker's; 0: twice the timeout, at least 60 s.
  std::chrono::milliseconds lease{0};
  /// How often to look for due mails nobody told the worker about (other nodes', redriven ones).
  std::chrono::milliseconds poll{std::chrono::seconds(2)};
  std::size_t batch = 8;
  /// Who holds the leases: this name ("askonce" when empty), "-mail-" and a random id.
  std::string worker;
  MailObserver observer;
  /// Messages for an operator; never an address, a body or the password.
  std::function<void(const std::string& message)> log;
};

/// Hands one mail to the relay: nothing when the relay took it, otherwise why not (for
/// last_error: an SMTP reply code and text, or a connection or TLS error; never the password).
/// The worker calls it; tests call it to see what a relay is sent.
std::optional<std::string> send_mail(const SmtpRelay& relay, const MailItem& mail, std::chrono::milliseconds timeout);

/// The message as it is put on the wire after DATA: headers (From, To, Subject, Date,
/// Message-ID, Auto-Submitted, MIME) and a multipart/alternative body with a text/plain and a
/// text/html part, both UTF-8.
std::string format_mail(const SmtpRelay& relay, const MailItem& mail);

class MailWorker {
 public:
  /// Throws std::invalid_argument when the relay or the options cannot work (no host, no
  /// from address, a login without STARTTLS, a lease not longer than the timeout, a CA file
  /// that cannot be read); the message never holds the password.
  MailWorker(Store& store, SmtpRelay relay, MailOptions options = {});
  /// Stops first.
  ~MailWorker();
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  /// Starts the thread. Calling it again while running does nothing.
  void start();
  /// Wakes the thread and joins it; mails claimed and not yet attempted are given back.
  void stop();
  /// A mail was queued: look now rather than at the next poll.
  void notify();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace askonce::server
