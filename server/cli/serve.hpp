// server/cli/serve.hpp: `askonce serve`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace askonce::server {

/// Runs the server until SIGINT or SIGTERM: `askonce serve [--port P] [--forms DIR] [--db DB]
/// [--config FILE]`. Request logs go to `out` (JSON lines); startup problems to `err`.
int serve(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

extern const char* const serve_usage;

}  // namespace askonce::server
