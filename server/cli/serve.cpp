// server/cli/serve.cpp: `askonce serve`: flags, then an App under a Poco ServerApplication, which
// turns SIGINT and SIGTERM into a graceful stop.
#include "server/cli/serve.hpp"

#include <charconv>
#include <ostream>

#include <Poco/Util/ServerApplication.h>

#include "server/http/app.hpp"
#include "server/store/open_store.hpp"

namespace askonce::server {

const char* const serve_usage =
    "usage: askonce serve [--port P] [--forms DIR] [--db DB] [--config FILE]\n";

namespace {

class ServeApplication final : public Poco::Util::ServerApplication {
 public:
  ServeApplication(Config config, std::ostream& out, std::ostream& err)
      : config_(std::move(config)), out_(out), err_(err) {}
  int exit_code = 0;

 protected:
  int main(const std::vector<std::string>&) override {
    try {
      App app(config_, out_);
      app.start();
      err_ << "askonce: serving " << app.catalog().forms().size() << " forms on http://" << config_.host << ":"
           << app.port() << "/ (database " << describe_location(config_.db) << "); Ctrl-C stops\n";
      waitForTerminationRequest();
      app.stop();
    } catch (const StartupError& e) {
      err_ << e.what() << "\n";
      exit_code = 1;
    }
    return exit_code;
  }

 private:
  Config config_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

int serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ConfigFlags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    const auto eq = name.find('=');
    const bool inline_value = name.starts_with("--") && eq != std::string::npos;
    if (inline_value) value = name.substr(eq + 1), name = name.substr(0, eq);
    if (name != "--port" && name != "--forms" && name != "--db" && name != "--config") {
      err << "askonce serve: unknown argument '" << args[i] << "'\n" << serve_usage;
      return 2;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        err << "askonce serve: " << name << " needs a value\n" << serve_usage;
        return 2;
      }
      value = args[++i];
    }
    if (name == "--port") {
      int port = -1;
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
      if (ec != std::errc() || p != value.data() + value.size() || port < 0 || port > 65535) {
        err << "askonce serve: --port needs a number from 0 to 65535, not '" << value << "'\n";
        return 2;
      }
      flags.port = port;
    } else if (name == "--forms") {
      flags.forms = value;
    } else if (name == "--db") {
      flags.db = value;
    } else {
      flags.config = value;
    }
  }
  auto loaded = load_config(flags, process_environment());
  if (!loaded.config) {
    for (const auto& e : loaded.errors) err << "askonce serve: " << e << "\n";
    return 1;
  }
  ServeApplication app(std::move(*loaded.config), out, err);
  const int rc = app.run(std::vector<std::string>{"askonce"});
  return rc != 0 ? rc : app.exit_code;
}

}  // namespace askonce::server
