// server/cli/staff_commands.cpp: `askonce staff` (accounts: add, list, disable, reset) and
// `askonce audit` (list, verify). Staff passwords are never typed here: add and reset print a
// one-time temporary password, whose Argon2id hash alone is stored; at first sign-in the member
// chooses their own and enrols TOTP (docs/operations.md, "Staff").
//
// add, disable and reset are written to the audit log, through the same AuditLog as the pages
// (so `audit verify` still finds the chain whole): the account they changed, what, and who ran
// them (the operating system's user, "by root on the command line"); never a password.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>

#include "engine/diagnostic.hpp"
#include "server/cli/commands.hpp"
#include "server/staff/audit.hpp"
#include "server/staff/password.hpp"
#include "server/staff/sign_in.hpp"
#include "server/store/keyring.hpp"
#include "server/store/open_store.hpp"

namespace askonce::cli {
namespace {

constexpr std::string_view staff_usage =
    "usage: askonce staff add NAME --role agent|supervisor [--keys FILE | --keys-env NAME] [--db DB]\n"
    "       askonce staff list [--db DB]\n"
    "       askonce staff disable NAME [--keys FILE | --keys-env NAME] [--db DB]\n"
    "       askonce staff reset NAME [--keys FILE | --keys-env NAME] [--db DB]\n"
    "add, disable and reset go in the audit log, chained with the deployment's keys: --keys FILE,\n"
    "--keys-env NAME, $ASKONCE_KEYS__FILE, or for a SQLite file DB.keys (as `askonce serve` finds them).\n";

constexpr std::string_view audit_usage =
    "usage: askonce audit list [--limit N] [--db DB]\n"
    "       askonce audit verify [--keys FILE | --keys-env NAME] [--db DB]\n";

/// A staff member's name: 1 to 64 letters, digits, '.', '_', '-', '@' (an email address
/// works), starting with a letter or digit.
bool staff_name(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::isalnum(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
         });
}

struct Parsed {
  std::vector<std::string> words;
  std::string db = default_db();
  std::string role, keys_file, keys_env, limit;
};

/// The words and options; nothing (after an error) when an option is unknown or lacks its value.
std::optional<Parsed> parse(std::string_view command, const Args& args, const std::vector<std::string_view>& options,
                            std::string_view usage_text, std::ostream& err) {
  Parsed p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (a != "--db" && std::find(options.begin(), options.end(), a) == options.end()) {
        err << "askonce " << command << ": unknown option '" << a << "'\n" << usage_text;
        return std::nullopt;
      }
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        err << "askonce " << command << ": " << a << " needs a value\n" << usage_text;
        return std::nullopt;
      }
      const std::string& v = args[++i];
      if (a == "--db") p.db = v;
      else if (a == "--role") p.role = v;
      else if (a == "--keys") p.keys_file = v;
      else if (a == "--keys-env") p.keys_env = v;
      else if (a == "--limit") p.limit = v;
    } else {
      p.words.push_back(a);
    }
  }
  return p;
}

/// "unknown staff member 'ana'; did you mean 'anna'?"
std::string unknown(server::Store& store, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& a : store.list_staff()) names.push_back(a.name);
  std::string out = "no staff member is called '" + name + "'";
  if (const auto best = askonce::closest_name(name, names); !best.empty()) out += "; did you mean '" + best + "'?";
  return out;
}

/// The deployment's keyring, found as `askonce serve` finds it: --keys FILE, --keys-env NAME,
/// $ASKONCE_KEYS__FILE, or for a SQLite file the one beside it (made when `create` and there is
/// none, as serve makes it on first start). Nothing, after an error with `exit` set, otherwise.
std::shared_ptr<const server::Keyring> find_keys(const std::string& command, const Parsed& p, bool create,
                                                 std::ostream& err, int& exit) try {
  if (!p.keys_file.empty() && !p.keys_env.empty()) {
    err << "askonce " << command << ": give --keys or --keys-env, not both\n";
    exit = usage;
    return nullptr;
  }
  if (!p.keys_env.empty()) {
    const char* text = std::getenv(p.keys_env.c_str());
    if (!text || !*text) {
      err << "askonce " << command << ": the environment variable " << p.keys_env << " is not set\n";
      exit = invalid;
      return nullptr;
    }
    return std::make_shared<const server::Keyring>(server::Keyring::parse(text, "the environment variable " + p.keys_env));
  }
  std::string file = p.keys_file;
  bool beside = false;
  if (file.empty()) {
    const char* env = std::getenv("ASKONCE_KEYS__FILE");
    if (env && *env) file = env;
    else if (!server::is_postgres(p.db)) file = p.db + ".keys", beside = true;  // where serve makes it for a SQLite file
  }
  if (file.empty()) {
    err << "askonce " << command << ": give the deployment's key file with --keys FILE (or --keys-env NAME): the audit "
           "log is chained with it, never with anything in the database\n";
    exit = usage;
    return nullptr;
  }
  if (beside && create && server::Keyring::create_file(file)) {
    err << "made a new key file " << file << " (as `askonce serve` would); back it up apart from the database\n";
  }
  return std::make_shared<const server::Keyring>(server::Keyring::from_file(file));
} catch (const server::StoreError& e) {
  // A key file missing, unreadable, open to others or not a keyring: said as what it is, not
  // as a problem of the database.
  err << "askonce " << command << ": keys: " << e.what() << "\n";
  exit = invalid;
  return nullptr;
}

/// Who ran the command, for the audit log: the operating system's name of the real user (a
/// name of letters, digits, '.', '_' and '-', at most 32), else "uid N".
std::string operator_name() {
  const uid_t uid = ::getuid();
  std::string name;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_name) name = found->pw_name;
  const bool plain = !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
  return plain ? name : "uid " + std::to_string(uid);
}

/// Appends what `askonce staff ACTION` did to account `account` to the audit log.
void audit_staff_command(server::Store& store, std::shared_ptr<const server::Keyring> keys, const server::StaffAccount& account,
                         const std::string& event, const std::string& extra) {
  server::NewAuditEntry e;
  e.staff_id = account.id;
  e.event = event;
  e.detail = "by " + operator_name() + " on the command line" + extra;
  server::staff::AuditLog(std::move(keys)).append(store, e, now_ms());
}

std::string state_of(const server::StaffAccount& a, server::TimePoint now) {
  if (a.disabled) return "disabled";
  if (a.locked_until && *a.locked_until > now) return "locked until " + iso_utc(*a.locked_until);
  return a.set_up ? "active" : "needs set-up";
}

}  // namespace

int staff(const Args& args, std::ostream& out, std::ostream& err) {
  auto p = parse("staff", args, {"--role", "--keys", "--keys-env"}, staff_usage, err);
  if (!p) return usage;
  const std::string action = p->words.empty() ? std::string() : p->words[0];
  if (action != "add" && action != "list" && action != "disable" && action != "reset") {
    err << "askonce staff: expected add, list, disable or reset" << (action.empty() ? std::string() : ", not '" + action + "'")
        << "\n" << staff_usage;
    return usage;
  }
  const std::string command = "staff " + action;
  if (action == "list" ? p->words.size() != 1 : p->words.size() != 2) {
    err << "askonce " << command << ": expected " << (action == "list" ? "no name" : "one name") << "\n" << staff_usage;
    return usage;
  }
  if (!p->role.empty() && action != "add") {
    err << "askonce " << command << ": --role is for 'staff add' only\n" << staff_usage;
    return usage;
  }
  if (action == "list" && (!p->keys_file.empty() || !p->keys_env.empty())) {
    err << "askonce staff list: --keys and --keys-env are for add, disable and reset\n" << staff_usage;
    return usage;
  }
  const std::string name = action == "list" ? std::string() : p->words[1];
  if (action == "add") {
    if (!staff_name(name)) {
      err << "askonce staff add: '" << name
          << "' is not a staff name: 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit\n";
      return usage;
    }
    if (p->role.empty()) {
      err << "askonce staff add: give the role with --role agent or --role supervisor\n" << staff_usage;
      return usage;
    }
    if (!server::staff::valid_role(p->role)) {
      err << "askonce staff add: '" << p->role << "' is not a role: agent or supervisor\n";
      return usage;
    }
  }
  try {
    // The keys first: a command that changes an account and cannot write the audit log changes
    // nothing.
    std::shared_ptr<const server::Keyring> keys;
    if (action != "list") {
      int exit = ok;
      keys = find_keys(command, *p, action == "add", err, exit);
      if (!keys) return exit;
    }
    auto store = open_store(command, p->db, action != "add", err);
    if (!store) return invalid;
    if (action == "list") {
      const auto all = store->list_staff();
      if (all.empty()) {
        out << "no staff accounts yet: 'askonce staff add NAME --role agent' makes one\n";
        return ok;
      }
      std::size_t width = 4;
      for (const auto& a : all) width = std::max(width, a.name.size());
      const auto pad = [](const std::string& s, std::size_t w) { return s + std::string(w - s.size() + 2, ' '); };
      out << pad("NAME", width) << "ROLE        CREATED               STATE\n";
      const auto now = now_ms();
      for (const auto& a : all) {
        out << pad(a.name, width) << pad(a.role, 10) << iso_utc(a.created) << "  " << state_of(a, now) << "\n";
      }
      return ok;
    }
    if (action == "disable") {
      if (!store->disable_staff(name)) {
        err << "askonce staff disable: " << unknown(*store, name) << "\n";
        return invalid;
      }
      audit_staff_command(*store, keys, *store->find_staff(name), "staff_disabled", {});
      out << "disabled " << name << ": their sessions have ended and they cannot sign in ('askonce staff reset "
          << name << "' enables the account again)\n";
      return ok;
    }
    const std::string temporary = server::staff::temporary_password();
    const std::string hash = server::staff::hash_password(temporary);
    if (action == "add") {
      const auto made = store->create_staff(name, p->role, hash, now_ms());
      if (!made) {
        err << "askonce staff add: there is already a staff member called '" << name << "'\n";
        return invalid;
      }
      audit_staff_command(*store, keys, *made, "staff_added", ", role " + p->role);
    } else {
      if (!store->reset_staff(name, hash)) {
        err << "askonce staff reset: " << unknown(*store, name) << "\n";
        return invalid;
      }
      audit_staff_command(*store, keys, *store->find_staff(name), "staff_reset", {});
    }
    // The password alone on standard output; what to do with it on standard error.
    out << temporary << "\n";
    err << (action == "add" ? "added " + name + " (" + p->role + ")" : "reset " + name + ": password, authenticator and recovery codes cleared")
        << ". The temporary password above is shown once and not stored: give it to " << name
        << " in person; at sign-in (/staff/sign-in) they choose their own password and set up their authenticator app\n";
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce " << command << ": the database " << server::describe_location(p->db) << ": " << e.what() << "\n";
    return invalid;
  }
}

int audit(const Args& args, std::ostream& out, std::ostream& err) {
  auto p = parse("audit", args, {"--keys", "--keys-env", "--limit"}, audit_usage, err);
  if (!p) return usage;
  const std::string action = p->words.empty() ? std::string() : p->words[0];
  if ((action != "list" && action != "verify") || p->words.size() != 1) {
    err << "askonce audit: expected list or verify" << (action.empty() ? std::string() : ", not '" + action + "'") << "\n"
        << audit_usage;
    return usage;
  }
  const std::string command = "audit " + action;
  std::size_t limit = 100;
  if (!p->limit.empty()) {
    if (action != "list" || p->limit.size() > 6 || p->limit.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(p->limit) == 0) {
      err << "askonce " << command << ": --limit takes a number from 1 to 999999, for 'audit list'\n";
      return usage;
    }
    limit = std::stoul(p->limit);
  }
  try {
    auto store = open_store(command, p->db, true, err);
    if (!store) return invalid;
    if (action == "list") {
      // Newest first, as the supervisors' page: who, what, channel, reference; never an answer.
      std::map<std::int64_t, std::string> names;
      for (const auto& a : store->list_staff()) names[a.id] = a.name;
      const auto entries = store->audit_page(0, limit);
      if (entries.empty()) {
        out << "the audit log is empty\n";
        return ok;
      }
      out << "SEQ     WHEN                  STAFF             EVENT                 CHANNEL    REFERENCE       DETAIL\n";
      const auto pad = [](const std::string& s, std::size_t w) { return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' '); };
      for (const auto& e : entries) {
        const std::string who = !e.staff_id ? "(unknown name)" : names.count(*e.staff_id) ? names[*e.staff_id] : "#" + std::to_string(*e.staff_id);
        out << pad(std::to_string(e.seq), 8) << pad(iso_utc(e.at), 22) << pad(who, 18) << pad(e.event, 22)
            << pad(e.channel.empty() ? "-" : e.channel, 11) << pad(e.reference.empty() ? "-" : e.reference, 16)
            << e.detail << "\n";
      }
      return ok;
    }
    // verify: the keys, as `askonce serve` finds them.
    int exit = ok;
    const auto keys = find_keys(command, *p, false, err, exit);
    if (!keys) return exit;
    const server::staff::AuditLog log(keys);
    const auto v = log.verify(*store);
    if (!v.ok()) {
      out << "audit log: entry " << *v.first_bad << " " << v.problem << "\n";
      err << "askonce audit verify: the audit log was changed directly in the database: the first bad entry is number "
          << *v.first_bad << "\n";
      return invalid;
    }
    out << "audit log: " << plural(static_cast<std::size_t>(v.entries), "entry", "entries") << ", the chain is whole\n";
    if (v.entries > 0) {
      out << "head: entry " << v.head_seq << " " << v.head_hash << "\n"
          << "Record the head elsewhere (a ticket, another system's log): removing the newest entries leaves a chain\n"
             "that is still whole, and only a head recorded earlier shows that entries after it are gone.\n";
    }
    return ok;
  } catch (const server::StoreError& e) {
    err << "askonce " << command << ": " << e.what() << "\n";
    return invalid;
  }
}

}  // namespace askonce::cli
