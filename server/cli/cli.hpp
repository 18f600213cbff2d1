// server/cli/cli.hpp: the `askonce` command line, callable in-process (main.cpp and tests).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace askonce::cli {

/// Exit codes, as conventional: 0 ok, 1 invalid input, 2 usage.
enum Exit : int { ok = 0, invalid = 1, usage = 2 };

/// Runs `askonce ARGS...` (args excludes the program name); writes results to `out` and
/// diagnostics to `err`; returns the exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace askonce::cli
