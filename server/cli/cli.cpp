// server/cli/cli.cpp: the askonce command line: the table of commands, their help, and run().
// The commands live beside it: form_commands.cpp (form files), store_commands.cpp (the
// database), serve.cpp (the server).
#include "server/cli/cli.hpp"

#include <algorithm>
#include <ostream>
#include <string_view>

#include "engine/diagnostic.hpp"
#include "server/cli/commands.hpp"
#include "server/cli/serve.hpp"

namespace askonce::cli {
namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view usage;  // the full --help text after the summary
  int (*run)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
};

constexpr std::string_view general_help =
    "usage: askonce COMMAND [ARGS...]\n"
    "\n"
    "askonce compiles forms written in the askonce language and serves them.\n"
    "\n"
    "commands:\n";

bool wants_help(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; });
}

constexpr Command commands[] = {
    {"serve", "serve the forms to citizens and agencies over HTTP",
     "usage: askonce serve [--port P] [--forms DIR] [--db DB] [--config FILE]\n\n"
     "Compiles every form in DIR (refusing to start when one has errors), opens the database\n"
     "(a SQLite file is created and migrated), and serves citizens (web pages, PDF, text), the JSON API and\n"
     "the agency API until SIGINT or SIGTERM, which stop it gracefully. One JSON log line per\n"
     "request goes to standard output.\n\n"
     "  --port P        the port to listen on (default 8080; 0: any free port)\n"
     "  --forms DIR     the folder of .form files (default: forms)\n"
     "  --db DB         the database: a SQLite file (default: askonce.db), or a\n"
     "                  PostgreSQL URL or keyword string (docs/operations.md)\n"
     "  --config FILE   a JSON config file (default: $ASKONCE_CONFIG, or none)\n\n"
     "Flags override the config file, which overrides the defaults; ASKONCE_* environment\n"
     "variables override the file too. docs/operations.md lists every setting.\n\n"
     "exit status: 0 stopped cleanly, 1 cannot start (forms, config or database), 2 usage error\n",
     askonce::server::serve},
    {"check", "check form files and print their diagnostics",
     "usage: askonce check [--plain] FILE...\n\n"
     "Compiles each file and prints every problem found, like a compiler:\n"
     "  file:line:col: error[CODE]: message\n"
     "Codes are listed in docs/diagnostics.md.\n\n"
     "  --plain   also check the wording of every text a citizen reads (W codes: reading\n"
     "            grade, long sentences, passive voice, words with a plainer one), and print\n"
     "            a summary per form on standard output. A form that sets 'plain grade N'\n"
     "            is always checked against it; without one, the target is grade 8.\n\n"
     "exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error\n",
     check},
    {"model", "print the compiled model of a form as JSON",
     "usage: askonce model FILE\n\n"
     "Prints the compiled form model as JSON, in the stable shape documented in\n"
     "docs/dsl.md (\"The model as JSON\"). Diagnostics go to standard error.\n\n"
     "exit status: 0 printed, 1 the form has errors, 2 usage error\n",
     model},
    {"summary", "compile forms and print what each contains",
     "usage: askonce summary FILE|DIR...\n\n"
     "Compiles each form (every .form file of a directory) and prints its id, version,\n"
     "languages, sections, fields, questions, agencies and definition hash.\n\n"
     "exit status: 0 all compiled, 1 some have errors, 2 usage error\n",
     summary},
    {"validate", "check a submission against a form and print it canonical",
     "usage: askonce validate FORM SUBMISSION [--lang L] [--channel C] [--today YYYY-MM-DD] [--flat] [--json]\n\n"
     "Checks SUBMISSION (JSON, or with --flat an application/x-www-form-urlencoded\n"
     "form post) against the form in FORM, the way the engine checks every channel.\n"
     "Valid: prints the canonical submission JSON (docs/architecture.md, \"Submissions\").\n"
     "Invalid: prints every error, one per line as\n"
     "  path: message [CODE]\n"
     "or, with --json, as a JSON array of {\"path\", \"code\", \"message\"}.\n"
     "Codes are listed in docs/diagnostics.md (\"Submissions (V)\").\n\n"
     "  --lang L        the submission's language, for messages (default: the form's first)\n"
     "  --channel C     the channel it came through, recorded in the submission (default: api)\n"
     "  --today D       the day it is received (default: today, UTC); for reproducible output\n"
     "  --flat          SUBMISSION is a form post: person.name.first=...&household[0].full_name=...\n"
     "  --json          print errors as JSON\n\n"
     "exit status: 0 valid, 1 invalid (or the form has errors), 2 usage error\n",
     validate},
    {"route", "print what each agency receives of a submission",
     "usage: askonce route FORM SUBMISSION [--agency A] [--format json|xml] [--today YYYY-MM-DD] [--lang L]\n\n"
     "Checks SUBMISSION (JSON) against the form as 'askonce validate' does; when it is valid,\n"
     "prints the view of every agency whose 'when' holds: only the fields it receives, under\n"
     "its own names (docs/agencies.md). Invalid: prints the errors to standard error.\n\n"
     "  --agency A      only agency A's view, as one document\n"
     "  --format F      json (default): a JSON array of the views, or one view with --agency;\n"
     "                  xml: the XML documents one after another (one with --agency)\n"
     "  --today D       the day it is received (default: today, UTC); for reproducible output\n"
     "  --lang L        the submission's language, for error messages\n\n"
     "exit status: 0 printed, 1 invalid submission (or the form has errors, or agency A does\n"
     "not receive it), 2 usage error\n",
     route},
    {"contract", "print the JSON Schema or XSD an agency can check its views with",
     "usage: askonce contract FORM --agency A --format json-schema|xsd [--out DIR]\n\n"
     "Prints agency A's contract, generated from the form: the JSON Schema (draft 2020-12)\n"
     "of its JSON view, or the XSD of its XML view (docs/agencies.md, \"Contracts\").\n"
     "An XSD needs one schema document per namespace; when there are several, write them\n"
     "with --out.\n\n"
     "  --agency A      the agency (required)\n"
     "  --format F      json-schema or xsd (required)\n"
     "  --out DIR       write the contract's files into DIR and print their paths\n\n"
     "exit status: 0 printed, 1 the form has errors (or an XSD cannot describe the view),\n"
     "2 usage error\n",
     contract},
    {"render", "draw a form, or a submitted application, as text, HTML or PDF",
     "usage: askonce render FORM --to FORMAT [--lang L] [--submission S.json] [--flat]\n"
     "                      [--document start|form|answers|receipt] [--reference R] [--today YYYY-MM-DD]\n"
     "                      [-o FILE] [--width N]\n\n"
     "Draws the form in FORM in one format of the renderers' table (renderers/registry.cpp):\n"
     "  text            plain text: the accessible version, the phone script, large print\n"
     "  html            the web page (when built in)\n"
     "  pdf             the printable paper form (when built in)\n"
     "  rules           the form's rules as JSON, as each web page carries them for the shared\n"
     "                  script (/assets/askonce/form.HASH.js): conditions and computed values\n"
     "Every format numbers the questions the same way and says the same things.\n\n"
     "  --to FORMAT     the format (required); 'askonce render --to x' lists those built in\n"
     "  --lang L        one of the form's languages (default: its first)\n"
     "  --submission S  a submission (JSON, or with --flat a form post). Valid: draws the\n"
     "                  receipt (reference, time received, answers, agencies receiving).\n"
     "                  Invalid: draws the form filled with what was sent and its errors,\n"
     "                  prints the errors to standard error and exits with 1\n"
     "  --document D    form, answers (\"check your answers\") or receipt\n"
     "  --reference R   the receipt's reference number (default: from the submission's digest)\n"
     "  --today D       the day the submission is received (default: today, UTC)\n"
     "  -o FILE         write to FILE instead of standard output (PDF is binary)\n"
     "  --width N       line width of text output in characters, at least 20 (default 72)\n\n"
     "Warnings (R codes, docs/diagnostics.md) name what a format could not draw; the rest is\n"
     "still drawn.\n\n"
     "exit status: 0 drawn, 1 the form has errors or the submission is invalid, 2 usage error\n",
     render},
    {"import", "write a form from a schema or form an agency publishes (JSON Schema, XForm)",
     "usage: askonce import jsonschema SCHEMA.json [-o FORM.form] [--id NAME]\n"
     "       askonce import xform FORM.xml [-o FORM.form] [--id NAME]\n\n"
     "jsonschema: writes the .form that means what the JSON Schema (draft-04, draft-07,\n"
     "2020-12) says, with the schema's names and nesting, so a JSON submission for the schema\n"
     "is a submission for the form; titles and descriptions become English labels and hints.\n"
     "xform: writes the .form an ODK XForm (what XLSForm compiles to) means: its questions,\n"
     "groups and repeats, binds (required, relevant, constraint, calculate) read from XPath,\n"
     "choices, and each itext translation as a language of the form.\n"
     "What the language cannot say is a warning at its place in the file (I codes,\n"
     "docs/diagnostics.md), also listed in a comment at the top of the form. docs/import.md\n"
     "says how each construct is written.\n\n"
     "  -o FORM.form    write the form there (default: standard output)\n"
     "  --id NAME       the form's name (default: from the schema's file name, or the\n"
     "                  XForm's instance id)\n\n"
     "exit status: 0 written (warnings allowed), 1 the file cannot be read or the written\n"
     "form does not compile, 2 usage error\n",
     import},
    {"agency-token", "create, list and revoke the tokens agencies pull with",
     "usage: askonce agency-token create AGENCY [--db DB] [--forms DIR]\n"
     "       askonce agency-token list AGENCY [--db DB] [--forms DIR]\n"
     "       askonce agency-token revoke TOKEN_ID [--db DB]\n\n"
     "An agency API token lets one agency (its name in the forms, e.g. ssa) list, fetch and\n"
     "acknowledge its views and post their status. Only a hash of it is stored. The name must be\n"
     "an agency of a form in the forms folder (a name no form uses would list nothing).\n\n"
     "  create AGENCY     prints a new token on standard output, once: it cannot be shown\n"
     "                    again, so give it to the agency now (lost: revoke it, create another)\n"
     "  list AGENCY       the agency's tokens: id, when created, active or revoked\n"
     "  revoke TOKEN_ID   the token stops working at once (its id is in 'list')\n"
     "  --db DB           the database, as `askonce serve --db` (default: $ASKONCE_DB,\n"
     "                    else askonce.db)\n"
     "  --forms DIR       the forms folder the agency names are checked against, as\n"
     "                    `askonce serve --forms` (default: $ASKONCE_FORMS, else forms)\n\n"
     "exit status: 0 done, 1 no such database or active token (or the database failed),\n"
     "2 usage error (an agency no form has among them)\n",
     agency_token},
    {"deliveries", "list webhook deliveries that gave up, and retry them",
     "usage: askonce deliveries list [--db DB]\n"
     "       askonce deliveries retry ID... [--db DB]\n"
     "       askonce deliveries retry --all [--db DB]\n\n"
     "A webhook delivery that failed max_attempts times is a dead letter: it is kept, and the\n"
     "agency can still pull it, but it is no longer sent.\n\n"
     "  list              every dead letter: id, agency, attempts, last error\n"
     "  retry ID...       puts these dead letters back in the queue with their attempts reset;\n"
     "                    a running server sends them within its poll interval\n"
     "  retry --all       every dead letter\n"
     "  --db DB           the database, as `askonce serve --db` (default: $ASKONCE_DB,\n"
     "                    else askonce.db)\n\n"
     "exit status: 0 done, 1 no such database, an id is not a dead letter (the others are still\n"
     "retried), or the database failed; 2 usage error\n",
     deliveries},
    {"performance", "export a frozen quarter's results as the A-11 CSV for performance.gov",
     "usage: askonce performance export QUARTER [--db DB]\n\n"
     "Prints the A-11 quarterly CSV for performance.gov (docs/figures.md, \"Snapshots and the A-11\n"
     "export\"), made from the quarter's snapshot: the published results as they were frozen on the\n"
     "first request for /performance after the quarter ended.\n\n"
     "  QUARTER           a fiscal quarter: \"FY2027 Q1\" (October to December 2026)\n"
     "  --db DB           the database, as `askonce serve --db` (default: $ASKONCE_DB,\n"
     "                    else askonce.db)\n\n"
     "exit status: 0 printed, 1 no such database, or the quarter is not frozen (yet), 2 usage error\n",
     performance},
    {"staff", "add, list, disable and reset staff accounts",
     "usage: askonce staff add NAME --role agent|supervisor [--keys FILE | --keys-env NAME] [--db DB]\n"
     "       askonce staff list [--db DB]\n"
     "       askonce staff disable NAME [--keys FILE | --keys-env NAME] [--db DB]\n"
     "       askonce staff reset NAME [--keys FILE | --keys-env NAME] [--db DB]\n\n"
     "Staff (phone agents, clerks, supervisors) sign in at /staff/ with a password and a code\n"
     "from an authenticator app (TOTP). No password is ever typed here: add and reset print a\n"
     "temporary password on standard output, once; only its Argon2id hash is stored. At first\n"
     "sign-in the member chooses their own password, scans a QR code into their app, and gets\n"
     "ten one-time recovery codes.\n\n"
     "  add NAME          a new account (NAME: letters, digits, '.', '_', '-', '@'), with a role:\n"
     "                    agent, or supervisor (who may also read the audit log)\n"
     "  list              every account: name, role, created, state (active, needs set-up,\n"
     "                    locked until ..., disabled)\n"
     "  disable NAME      ends the member's sessions; they cannot sign in\n"
     "  reset NAME        a new temporary password; the authenticator and recovery codes are\n"
     "                    cleared, the lock lifted and a disabled account enabled again\n"
     "  --keys FILE       add, disable and reset are written to the audit log, chained with the\n"
     "                    keyring the server uses (keys.file; default: $ASKONCE_KEYS__FILE, else\n"
     "                    DB.keys beside a SQLite file, made if missing as serve makes it)\n"
     "  --keys-env NAME   the keyring is in this environment variable (keys.env)\n"
     "  --db DB           the database, as `askonce serve --db` (default: $ASKONCE_DB,\n"
     "                    else askonce.db)\n\n"
     "exit status: 0 done, 1 no such database or member, a name already taken, the keys cannot\n"
     "be read (or the database failed), 2 usage error\n",
     staff},
    {"audit", "list the audit log of staff actions, and verify its chain",
     "usage: askonce audit list [--limit N] [--db DB]\n"
     "       askonce audit verify [--keys FILE | --keys-env NAME] [--db DB]\n\n"
     "The audit log records staff sign-ins and sign-outs, failed attempts, set-ups, each\n"
     "application keyed or opened (who, when, channel, reference; never an answer), and the\n"
     "`askonce staff` commands that change an account (and who ran them). Each entry carries a\n"
     "keyed hash of the one before it.\n\n"
     "  list              the newest entries first (--limit N, default 100)\n"
     "  verify            walks the chain: names the first entry changed or removed directly in\n"
     "                    the database, and prints the newest entry's hash (the head) to record\n"
     "                    elsewhere: removing the newest entries can only be seen against it\n"
     "  --keys FILE       the keyring the server uses (keys.file; default: $ASKONCE_KEYS__FILE,\n"
     "                    else DB.keys beside a SQLite file)\n"
     "  --keys-env NAME   the keyring is in this environment variable (keys.env)\n"
     "  --db DB           the database (default: $ASKONCE_DB, else askonce.db)\n\n"
     "exit status: 0 the chain is whole, 1 an entry was changed or removed (or no database,\n"
     "or the keys cannot be read), 2 usage error\n",
     audit},
    {"mail", "list mail to citizens that gave up, and retry it",
     "usage: askonce mail list [--db DB]\n"
     "       askonce mail retry ID... [--db DB]\n"
     "       askonce mail retry --all [--db DB]\n\n"
     "A mail the relay did not take after mail.max_attempts tries is dead: it is kept (with its\n"
     "body, until retention removes it) but no longer sent.\n\n"
     "  list              every dead mail: id, kind, language, attempts, the relay's last answer\n"
     "                    (never an address or a body)\n"
     "  retry ID...       puts these dead mails back in the queue with their attempts reset;\n"
     "                    a running server sends them within its poll interval\n"
     "  retry --all       every dead mail\n"
     "  --db DB           the database, as `askonce serve --db` (default: $ASKONCE_DB,\n"
     "                    else askonce.db)\n\n"
     "exit status: 0 done, 1 no such database, an id is not a dead mail (the others are still\n"
     "retried), or the database failed; 2 usage error\n",
     mail},
    {"db", "create or upgrade a database's schema, or print its version",
     "usage: askonce db migrate [--db DB] [--grant ROLE]\n"
     "       askonce db version [--db DB]\n"
     "       askonce db copy --from FILE --to POSTGRESQL\n\n"
     "DB is what `askonce serve --db` takes: a SQLite file, or a PostgreSQL URL\n"
     "(postgresql://user@host/dbname?sslmode=verify-full) or libpq keyword string; libpq's\n"
     "PG* environment variables apply. Default: $ASKONCE_DB, else askonce.db.\n\n"
     "  migrate           applies the migrations the database lacks (SQLite: creates the file\n"
     "                    when it is missing). On PostgreSQL, run it as the role that owns the\n"
     "                    schema, before a new askonce serves: the server never migrates it\n"
     "  --grant ROLE      PostgreSQL: lets ROLE, the role the server runs as, read and write\n"
     "                    askonce's rows, and nothing more (no CREATE, ALTER or DROP)\n"
     "  version           the database's schema version, and the one this askonce writes\n"
     "  copy              moves a deployment from SQLite to PostgreSQL: every table, ids\n"
     "                    included (references, receipt links, tokens and agencies' cursors\n"
     "                    keep working), from a consistent snapshot of FILE (a server may be\n"
     "                    running on it), into an empty database, in one transaction; then\n"
     "                    counts and digests every table on both sides. Run it as the owner\n\n"
     "exit status: 0 done, 1 no such database, a schema newer than this askonce, or the\n"
     "database failed; 2 usage error\n",
     db},
};

void print_general_help(std::ostream& out) {
  out << general_help;
  std::size_t width = 0;
  for (const auto& c : commands) width = std::max(width, c.name.size() + 2);
  for (const auto& c : commands) {
    out << "  " << c.name << std::string(width - c.name.size(), ' ') << c.summary << "\n";
  }
  out << "\nRun 'askonce COMMAND --help' for a command's options.\n";
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_general_help(err);
    return usage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_general_help(out);
    return ok;
  }
  if (args[0] == "--version") {
    out << "askonce 0.1.0\n";
    return ok;
  }
  for (const auto& c : commands) {
    if (c.name != args[0]) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (wants_help(rest)) {
      out << c.summary << "\n\n" << c.usage;
      return ok;
    }
    return c.run(rest, out, err);
  }
  err << "askonce: unknown command '" << args[0] << "'\n";
  std::vector<std::string> names;
  for (const auto& c : commands) names.emplace_back(c.name);
  if (auto best = closest_name(args[0], names); !best.empty()) err << "did you mean '" << best << "'?\n";
  err << "Run 'askonce --help' for the list of commands.\n";
  return usage;
}

}  // namespace askonce::cli
