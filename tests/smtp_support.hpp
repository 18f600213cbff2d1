// tests/smtp_support.hpp: a real SMTP relay on loopback for the mail tests: Debian's aiosmtpd
// (tests/smtp/smtp_server.py, run with /usr/bin/python3, which has python3-aiosmtpd; the
// python3 on PATH may be another) as a child process. With TLS it offers and requires
// STARTTLS, with a certificate made for it by `openssl req` (its own CA: the tests point
// mail.ca_file at it), and requires a login; without TLS it is a relay that offers no STARTTLS.
// It writes what it got into its folder: each message as NNN.eml, every command in
// commands.log, every login tried in logins.log.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace askonce::test {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SmtpRelayProcess {
 public:
  /// A relay writing into `dir`; `tls`: STARTTLS required and offered. Not started.
  SmtpRelayProcess(std::filesystem::path dir, bool tls) : dir_(std::move(dir)), tls_(tls) {
    std::filesystem::create_directories(dir_);
    if (tls_ && !std::filesystem::exists(cert())) {
      const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
                                  " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
                                  (dir_ / "key.pem").string() + "' -out '" + cert().string() + "' 2>/dev/null";
      if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
    }
  }
  ~SmtpRelayProcess() { stop(); }
  SmtpRelayProcess(const SmtpRelayProcess&) = delete;
  SmtpRelayProcess& operator=(const SmtpRelayProcess&) = delete;

  /// Starts it, on `port` (0: a free one the first time, the same one after a stop).
  void start(int port = -1) {
    if (pid_ > 0) return;
    if (port < 0) port = port_;
    int fds[2];
    std::filesystem::create_directories(dir_ / "received");
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const std::string script = "tests/smtp/smtp_server.py", out = (dir_ / "received").string(),
                      port_text = std::to_string(port), cert_text = cert().string(),
                      key_text = (dir_ / "key.pem").string();
    std::vector<const char*> argv = {"/usr/bin/python3", script.c_str(), "--dir", out.c_str(), "--port",
                                     port_text.c_str()};
    if (tls_) {
      argv.insert(argv.end(), {"--cert", cert_text.c_str(), "--key", key_text.c_str()});
    }
    argv.push_back(nullptr);
    pid_ = ::fork();
    const std::string log = (dir_ / "relay.log").string();
    if (pid_ == 0) {
      // The relay ends with the test, even one that crashed.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      // The relay's own messages (TLS refusals it logs, warnings) go to a file beside its mail.
      const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (err >= 0) ::dup2(err, 2);
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execv(argv[0], const_cast<char* const*>(argv.data()));
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    if (!line.starts_with("PORT ")) {
      stop();
      throw std::runtime_error("the SMTP relay did not start (is python3-aiosmtpd installed? scripts/deps.sh)");
    }
    port_ = std::stoi(line.substr(5));
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }

  int port() const { return port_; }
  std::filesystem::path cert() const { return dir_ / "cert.pem"; }

  /// The messages received, in order (NNN.eml).
  std::vector<std::string> messages() const {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "received", ec)) {
      if (e.path().extension() == ".eml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) out.push_back(read_text(f));
    return out;
  }
  /// Every command received, one per line: "tls|plain COMMAND ARG".
  std::string commands() const { return read_text(dir_ / "received" / "commands.log"); }
  /// Every login tried: "MECHANISM tls|plain ok|refused".
  std::string logins() const { return read_text(dir_ / "received" / "logins.log"); }

 private:
  std::filesystem::path dir_;
  bool tls_ = false;
  pid_t pid_ = 0;
  int port_ = 0;
};

/// Waits up to `limit` for `done()`.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace askonce::test
