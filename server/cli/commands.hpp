// server/cli/commands.hpp: the commands of the askonce executable, for the table in cli.cpp.
// Each takes its arguments (after the command's name), writes results to `out` and problems to
// `err`, and returns an exit code (cli.hpp's Exit).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/cli/cli.hpp"
#include "server/store/store.hpp"

namespace askonce::cli {

using Args = std::vector<std::string>;

// form_commands.cpp
int check(const Args& args, std::ostream& out, std::ostream& err);
int model(const Args& args, std::ostream& out, std::ostream& err);
int summary(const Args& args, std::ostream& out, std::ostream& err);
int validate(const Args& args, std::ostream& out, std::ostream& err);
int route(const Args& args, std::ostream& out, std::ostream& err);
int contract(const Args& args, std::ostream& out, std::ostream& err);
int render(const Args& args, std::ostream& out, std::ostream& err);

// import_commands.cpp
int import(const Args& args, std::ostream& out, std::ostream& err);

// store_commands.cpp
int agency_token(const Args& args, std::ostream& out, std::ostream& err);
int deliveries(const Args& args, std::ostream& out, std::ostream& err);
int mail(const Args& args, std::ostream& out, std::ostream& err);
int db(const Args& args, std::ostream& out, std::ostream& err);
int performance(const Args& args, std::ostream& out, std::ostream& err);

/// --db when it is not given: $ASKONCE_DB (as `askonce serve` reads it), else askonce.db.
std::string default_db();
/// Opens the database; nothing (after an error) when it must exist and does not: a mistyped
/// --db must not quietly create an empty database and report that it holds nothing. A
/// PostgreSQL database always exists already, and is never migrated here (`askonce db migrate`).
std::unique_ptr<server::Store> open_store(std::string_view command, const std::string& db, bool must_exist,
                                          std::ostream& err);
/// The time now, to the millisecond, as the store keeps times.
server::TimePoint now_ms();
/// "2024-05-01T12:00:00Z" (server/store/store.hpp).
using server::iso_utc;

// staff_commands.cpp
int staff(const Args& args, std::ostream& out, std::ostream& err);
int audit(const Args& args, std::ostream& out, std::ostream& err);

/// "1 error", "2 errors"; `words` when the plural is not word + "s".
inline std::string plural(std::size_t n, std::string_view word, std::string_view words = {}) {
  if (n == 1) return "1 " + std::string(word);
  return std::to_string(n) + " " + (words.empty() ? std::string(word) + "s" : std::string(words));
}

}  // namespace askonce::cli
