// server/cli/store_commands.cpp: the commands on a deployment's database: agency-token,
// deliveries and db. Each takes --db as `askonce serve` does (a SQLite file, or a PostgreSQL
// URL or keyword string), defaulting to $ASKONCE_DB, then askonce.db.
#include "server/cli/commands.hpp"


#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "engine/diagnostic.hpp"
#include "server/http/catalog.hpp"
#include "server/http/figures.hpp"
#include "server/store/copy.hpp"
#include "server/store/open_store.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/sqlite_store.hpp"

namespace askonce::cli {

// --- operating the store: agency tokens and dead letters ---

std::string default_db() {
  const char* env = std::getenv("ASKONCE_DB");
  return env && *env ? std::string(env) : std::string("askonce.db");
}

namespace {

constexpr std::string_view agency_token_usage =
    "usage: askonce agency-token create AGENCY [--db DB] [--forms DIR]\n"
    "       askonce agency-token list AGENCY [--db DB] [--forms DIR]\n"
    "       askonce agency-token revoke TOKEN_ID [--db DB]\n";

constexpr std::string_view mail_usage =
    "usage: askonce mail list [--db DB]\n"
    "       askonce mail retry ID... [--db DB]\n"
    "       askonce mail retry --all [--db DB]\n";
constexpr std::string_view deliveries_usage =
    "usage: askonce deliveries list [--db DB]\n"
    "       askonce deliveries retry ID... [--db DB]\n"
    "       askonce deliveries retry --all [--db DB]\n";

/// The forms folder, as `askonce serve` finds it: $ASKONCE_FORMS, else forms.
std::string default_forms() {
  const char* env = std::getenv("ASKONCE_FORMS");
  return env && *env ? std::string(env) : std::string("forms");
}

/// The words of a store command, its --db, --forms, and --all where the command takes it.
struct StoreArgs {
  std::vector<std::string> words;
  std::string db = default_db();
  std::string forms = default_forms();
  bool all = false;
};

/// Whether `name` is an agency of a form in `folder`; otherwise says why, with the names there
/// are and the closest one, on `err`. A token for a name no form uses would list nothing, for ever.
bool known_agency(std::string_view command, const std::string& name, const std::string& folder, std::ostream& err) {
  auto loaded = server::Catalog::load(folder);
  if (!loaded.catalog) {
    err << "askonce " << command << ": cannot check the agency name: the forms in " << folder
        << " do not load (askonce check " << folder << " says why; --forms DIR names another folder)\n";
    return false;
  }
  std::vector<std::string> names;
  for (const auto& form : loaded.catalog->forms()) {
    for (const auto& a : form.plan->form().agencies) {
      if (std::find(names.begin(), names.end(), a.name) == names.end()) names.push_back(a.name);
    }
  }
  if (std::find(names.begin(), names.end(), name) != names.end()) return true;
  std::sort(names.begin(), names.end());
  err << "askonce " << command << ": no form in " << folder << " has an agency '" << name << "'";
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string best = std::find(names.begin(), names.end(), lower) != names.end() ? lower : askonce::closest_name(name, names);
  if (!best.empty()) err << "; did you mean '" << best << "'?";
  err << "\nthe agencies of these forms: ";
  for (std::size_t i = 0; i < names.size(); ++i) err << (i ? ", " : "") << names[i];
  err << "\n";
  return false;
}

std::optional<StoreArgs> read_store_args(std::string_view command, const std::vector<std::string>& args, bool takes_all,
                                         std::string_view usage_text, std::ostream& err) {
  StoreArgs a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s == "--db") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        err << "askonce " << command << ": --db needs a database (a file, or a postgresql:// URL)\n" << usage_text;
        return std::nullopt;
      }
      a.db = args[++i];
    } else if (s == "--forms" && command == "agency-token") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        err << "askonce " << command << ": --forms needs the forms folder\n" << usage_text;
        return std::nullopt;
      }
      a.forms = args[++i];
    } else if (takes_all && s == "--all") {
      a.all = true;
    } else if (s.size() > 1 && s[0] == '-') {
      err << "askonce " << command << ": unknown option '" << s << "'\n" << usage_text;
      return std::nullopt;
    } else {
      a.words.push_back(s);
    }
  }
  return a;
}

}  // namespace

std::unique_ptr<server::Store> open_store(std::string_view command, const std::string& db, bool must_exist,
                                          std::ostream& err) {
  std::error_code ec;
  if (must_exist && !server::is_postgres(db) && !std::filesystem::is_regular_file(db, ec)) {
    err << "askonce " << command << ": no database at " << db << " (use --db FILE)\n";
    return nullptr;
  }
  return server::open_store(db, server::OpenOptions{});
}

server::TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(server::Clock::now()); }

namespace {

/// An agency's name as forms write it: letters, digits, '_', '-', '.'.
bool agency_name(const std::string& s) {
  return !s.empty() && s.size() <= 100 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

int agency_token(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto a = read_store_args("agency-token", args, false, agency_token_usage, err);
  if (!a) return usage;
  const std::string action = a->words.empty() ? std::string() : a->words[0];
  if (action != "create" && action != "list" && action != "revoke") {
    err << "askonce agency-token: expected create, list or revoke"
        << (action.empty() ? std::string() : ", not '" + action + "'") << "\n" << agency_token_usage;
    return usage;
  }
  const std::string command = "agency-token " + action;
  if (a->words.size() != 2) {
    err << "askonce " << command << ": expected " << (action == "revoke" ? "one token id" : "one agency name") << "\n"
        << agency_token_usage;
    return usage;
  }
  std::string subject = a->words[1];
  if (action != "revoke" && !agency_name(subject)) {
    err << "askonce " << command << ": '" << subject
        << "' is not an agency name (its name in the form: letters, digits, '_', '-', '.')\n";
    return usage;
  }
  if (action != "revoke" && !known_agency(command, subject, a->forms, err)) return usage;
  try {
    auto store = open_store(command, a->db, action != "create", err);
    if (!store) return invalid;
    if (action == "create") {
      const auto token = store->create_token(subject, now_ms());
      out << token.token << "\n";
      err << "created token " << token.info.id << " for agency " << subject
          << "; it will not be shown again: give it to the agency now\n";
      return ok;
    }
    if (action == "list") {
      const auto tokens = store->list_tokens(subject);
      if (tokens.empty()) {
        out << "agency " << subject << " has no tokens\n";
        return ok;
      }
      out << "ID        CREATED               STATE\n";
      for (const auto& t : tokens) {
        out << t.id << std::string(t.id.size() < 10 ? 10 - t.id.size() : 1, ' ') << iso_utc(t.created) << "  "
            << (t.revoked ? "revoked" : "active") << "\n";
      }
      return ok;
    }
    // revoke: the id, or a whole token pasted by mistake (whose id is its first part)
    if (subject.rfind("aot_", 0) == 0 && subject.size() > 13 && subject[12] == '_') subject = subject.substr(4, 8);
    if (!store->revoke_token(subject, now_ms())) {
      err << "askonce " << command << ": no active token '" << subject << "'\n";
      return invalid;
    }
    out << "revoked token " << subject << "\n";
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce " << command << ": the database " << server::describe_location(a->db) << ": " << e.what() << "\n";
    return invalid;
  }
}

namespace {

/// Every dead letter, oldest first.
std::vector<server::DeliveryStatus> all_dead_letters(server::Store& store) {
  std::vector<server::DeliveryStatus> all;
  for (std::int64_t after = 0;;) {
    auto page = store.dead_letters(after, 500);
    if (page.empty()) break;
    after = page.back().id;
    all.insert(all.end(), page.begin(), page.end());
  }
  return all;
}

}  // namespace

int deliveries(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto a = read_store_args("deliveries", args, true, deliveries_usage, err);
  if (!a) return usage;
  const std::string action = a->words.empty() ? std::string() : a->words[0];
  if (action != "list" && action != "retry") {
    err << "askonce deliveries: expected list or retry" << (action.empty() ? std::string() : ", not '" + action + "'")
        << "\n" << deliveries_usage;
    return usage;
  }
  const std::string command = "deliveries " + action;
  std::vector<std::int64_t> ids;
  if (action == "list") {
    if (a->words.size() != 1 || a->all) {
      err << "askonce " << command << ": takes no arguments but --db\n" << deliveries_usage;
      return usage;
    }
  } else {
    for (std::size_t i = 1; i < a->words.size(); ++i) {
      const std::string& w = a->words[i];
      if (w.empty() || w.size() > 18 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        err << "askonce " << command << ": '" << w << "' is not a delivery id (a number from 'askonce deliveries list')\n";
        return usage;
      }
      ids.push_back(std::stoll(w));
    }
    if (ids.empty() && !a->all) {
      err << "askonce " << command << ": which? give the ids of dead letters, or --all\n" << deliveries_usage;
      return usage;
    }
    if (!ids.empty() && a->all) {
      err << "askonce " << command << ": give the ids of dead letters or --all, not both\n" << deliveries_usage;
      return usage;
    }
  }
  try {
    auto store = open_store(command, a->db, true, err);
    if (!store) return invalid;
    if (action == "list") {
      const auto dead = all_dead_letters(*store);
      if (dead.empty()) {
        out << "no dead letters: every delivery was delivered or is still being retried\n";
        return ok;
      }
      std::size_t id_width = 2, agency_width = 6;
      for (const auto& d : dead) {
        id_width = std::max(id_width, std::to_string(d.id).size());
        agency_width = std::max(agency_width, d.agency.size());
      }
      const auto pad = [](const std::string& s, std::size_t width) { return s + std::string(width - s.size() + 2, ' '); };
      out << pad("ID", id_width) << pad("AGENCY", agency_width) << "ATTEMPTS  LAST ERROR\n";
      for (const auto& d : dead) {
        out << pad(std::to_string(d.id), id_width) << pad(d.agency, agency_width)
            << pad(std::to_string(d.attempts), 8) << d.last_error << "\n";
      }
      out << plural(dead.size(), "dead letter") << "; 'askonce deliveries retry ID...' or '--all' puts them back\n";
      return ok;
    }
    if (a->all) {
      for (const auto& d : all_dead_letters(*store)) ids.push_back(d.id);
      if (ids.empty()) {
        out << "no dead letters to retry\n";
        return ok;
      }
    }
    int status = ok;
    std::size_t retried = 0;
    for (const auto id : ids) {
      if (store->redrive(id, now_ms())) {
        ++retried;
      } else {
        err << "askonce " << command << ": delivery " << id << " is not a dead letter\n";
        status = invalid;
      }
    }
    out << "put " << plural(retried, "delivery", "deliveries") << " back in the queue\n";
    return status;
  } catch (const server::StoreError& e) {
    err << "askonce " << command << ": the database " << server::describe_location(a->db) << ": " << e.what() << "\n";
    return invalid;
  }
}

// --- the schema: db migrate, db version ---

namespace {

constexpr std::string_view db_usage =
    "usage: askonce db migrate [--db DB] [--grant ROLE]\n"
    "       askonce db version [--db DB]\n"
    "       askonce db copy --from FILE --to POSTGRESQL\n";

/// `db copy --from FILE --to POSTGRESQL`: a SQLite deployment into an empty PostgreSQL database.
int copy_database(const std::string& from, const std::string& to, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(from, ec)) {
    err << "askonce db copy: no SQLite database at " << from << "\n";
    return invalid;
  }
  if (!server::is_postgres(to)) {
    err << "askonce db copy: --to must name a PostgreSQL database (postgresql://... or host=... dbname=...), not "
        << to << "\n";
    return usage;
  }
  const std::string where = server::describe_location(to);
  try {
    const auto report = server::copy_sqlite_to_postgres(from, to, [&](const std::string& line) { out << line << "\n"; });
    std::int64_t rows = 0;
    for (const auto& t : report) {
      out << "  " << t.table << ": " << t.target_rows << " rows, " << t.target_digest << " on both sides\n";
      rows += t.target_rows;
    }
    out << "copied " << from << " to " << where << ": " << rows << " rows, every table counted and digested on both "
        << "sides. Serve from it with --db, and keep " << from << " until you are satisfied.\n";
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce db copy: " << from << " to " << where << ": " << e.what() << "\n";
    return invalid;
  }
}

}  // namespace

int db(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const std::string command = "db";
  std::vector<std::string> rest;
  std::optional<std::string> grant, from, to;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--grant" || args[i] == "--from" || args[i] == "--to") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        err << "askonce db: " << args[i] << " needs a value\n" << db_usage;
        return usage;
      }
      (args[i] == "--grant" ? grant : args[i] == "--from" ? from : to) = args[i + 1];
      ++i;
    } else {
      rest.push_back(args[i]);
    }
  }
  auto a = read_store_args(command, rest, false, db_usage, err);
  if (!a) return usage;
  const std::string action = a->words.empty() ? std::string() : a->words[0];
  if ((action != "migrate" && action != "version" && action != "copy") || a->words.size() != 1) {
    err << "askonce db: expected 'migrate', 'version' or 'copy'\n" << db_usage;
    return usage;
  }
  if (action == "copy") {
    if (!from || !to) {
      err << "askonce db copy: both --from (the SQLite file) and --to (the PostgreSQL database) are needed\n"
          << db_usage;
      return usage;
    }
    return copy_database(*from, *to, out, err);
  }
  if (from || to) {
    err << "askonce db: --from and --to are for `db copy`\n" << db_usage;
    return usage;
  }
  const bool postgres = server::is_postgres(a->db);
  if (grant && (action != "migrate" || !postgres)) {
    err << "askonce db: --grant is for `db migrate` on PostgreSQL (a SQLite file has no roles)\n" << db_usage;
    return usage;
  }
  const std::string where = server::describe_location(a->db);
  const int known = server::sqlite_migrations().back().version;
  try {
    if (action == "version") {
      std::error_code ec;
      if (!postgres && !std::filesystem::is_regular_file(a->db, ec)) {
        err << "askonce db: no database at " << a->db << " (use --db FILE)\n";
        return invalid;
      }
      // Read as it is: `version` neither migrates nor refuses.
      const int version = server::schema_version_of(a->db);
      out << where << ": schema version " << version << " (this askonce writes " << known << ")";
      if (version < known) out << "; `askonce db migrate` brings it up to date";
      if (version > known) out << "; written by a newer askonce, which this one will not open";
      out << "\n";
      return ok;
    }
    int version = 0;
    if (postgres) {
      version = server::migrate_postgres(a->db, grant);
    } else {
      version = server::SqliteStore(server::SqliteOptions{a->db}).schema_version();
    }
    out << where << ": schema version " << version;
    if (grant) out << "; role " << *grant << " may read and write its rows, and change nothing else";
    out << "\n";
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce db: the database " << where << ": " << e.what() << "\n";
    return invalid;
  }
}

namespace {

/// Every dead mail, oldest first.
std::vector<server::MailStatus> all_dead_mail(server::Store& store) {
  std::vector<server::MailStatus> all;
  for (std::int64_t after = 0;;) {
    auto page = store.dead_mail(after, 500);
    if (page.empty()) break;
    after = page.back().id;
    all.insert(all.end(), page.begin(), page.end());
  }
  return all;
}

}  // namespace

int mail(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto a = read_store_args("mail", args, true, mail_usage, err);
  if (!a) return usage;
  const std::string action = a->words.empty() ? std::string() : a->words[0];
  if (action != "list" && action != "retry") {
    err << "askonce mail: expected list or retry" << (action.empty() ? std::string() : ", not '" + action + "'")
        << "\n" << mail_usage;
    return usage;
  }
  const std::string command = "mail " + action;
  std::vector<std::int64_t> ids;
  if (action == "list") {
    if (a->words.size() != 1 || a->all) {
      err << "askonce " << command << ": takes no arguments but --db\n" << mail_usage;
      return usage;
    }
  } else {
    for (std::size_t i = 1; i < a->words.size(); ++i) {
      const std::string& w = a->words[i];
      if (w.empty() || w.size() > 18 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        err << "askonce " << command << ": '" << w << "' is not a mail id (a number from 'askonce mail list')\n";
        return usage;
      }
      ids.push_back(std::stoll(w));
    }
    if (ids.empty() == !a->all) {
      err << "askonce " << command << ": give the ids of dead mails, or --all (not both)\n" << mail_usage;
      return usage;
    }
  }
  try {
    auto store = open_store(command, a->db, true, err);
    if (!store) return invalid;
    if (action == "list") {
      // Kind, language, attempts and the relay's last answer: never an address or a body.
      const auto dead = all_dead_mail(*store);
      if (dead.empty()) {
        out << "no dead mail: every mail was sent or is still being retried\n";
        return ok;
      }
      std::size_t id_width = 2, kind_width = 4;
      for (const auto& d : dead) {
        id_width = std::max(id_width, std::to_string(d.id).size());
        kind_width = std::max(kind_width, d.kind.size());
      }
      const auto pad = [](const std::string& s, std::size_t width) { return s + std::string(width - s.size() + 2, ' '); };
      out << pad("ID", id_width) << pad("KIND", kind_width) << "LANGUAGE  ATTEMPTS  LAST ERROR\n";
      for (const auto& d : dead) {
        out << pad(std::to_string(d.id), id_width) << pad(d.kind, kind_width) << pad(d.language, 8)
            << pad(std::to_string(d.attempts), 8) << d.last_error << "\n";
      }
      out << plural(dead.size(), "dead mail", "dead mails") << "; 'askonce mail retry ID...' or '--all' puts them back\n";
      return ok;
    }
    if (a->all) {
      for (const auto& d : all_dead_mail(*store)) ids.push_back(d.id);
      if (ids.empty()) {
        out << "no dead mail to retry\n";
        return ok;
      }
    }
    int status = ok;
    std::size_t retried = 0;
    for (const auto id : ids) {
      if (store->redrive_mail(id, now_ms())) {
        ++retried;
      } else {
        err << "askonce " << command << ": mail " << id << " is not dead\n";
        status = invalid;
      }
    }
    out << "put " << plural(retried, "mail", "mails") << " back in the queue\n";
    return status;
  } catch (const server::StoreError& e) {
    err << "askonce " << command << ": the database " << server::describe_location(a->db) << ": " << e.what() << "\n";
    return invalid;
  }
}

// --- the published results: performance export ---

namespace {
constexpr std::string_view performance_usage = "usage: askonce performance export QUARTER [--db DB]\n";
}  // namespace

int performance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto a = read_store_args("performance", args, false, performance_usage, err);
  if (!a) return usage;
  if (a->words.size() != 2 || a->words[0] != "export") {
    err << "askonce performance: expected export and a quarter, like \"FY2027 Q1\"\n" << performance_usage;
    return usage;
  }
  const auto quarter = server::quarter_of_slug(a->words[1]);  // "FY2027 Q1" or "FY2027-Q1"
  if (!quarter) {
    err << "askonce performance export: '" << a->words[1] << "' is not a fiscal quarter: write it like \"FY2027 Q1\"\n";
    return usage;
  }
  try {
    auto store = open_store("performance export", a->db, true, err);
    if (!store) return invalid;
    const auto snap = store->find_snapshot(*quarter);
    if (!snap) {
      err << "askonce performance export: " << *quarter
          << " is not frozen: a quarter is frozen by the first request for /performance after it ends\n";
      return invalid;
    }
    out << server::a11_csv(snap->csv, snap->quarter, snap->frozen);
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce performance export: " << e.what() << "\n";
    return invalid;
  }
}

}  // namespace askonce::cli
