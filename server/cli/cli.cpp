// server/cli/cli.cpp: the askonce commands. Each command is a function; the table is the CLI.
#include "server/cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include <Poco/JSON/Parser.h>

#include "dsl/compiler.hpp"
#include "engine/model_json.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "engine/contract.hpp"
#include "engine/views.hpp"
#include "renderers/registry.hpp"
#include "renderers/wording.hpp"
#include "server/cli/serve.hpp"
#include "server/store/sqlite_store.hpp"

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

/// Prints diagnostics and a count; returns true when there were errors.
bool report(const dsl::CompileResult& r, std::ostream& err, std::size_t& errors, std::size_t& warnings) {
  err << dsl::format_diagnostics(r);
  for (const auto& d : r.diagnostics) (d.severity == Severity::Error ? errors : warnings)++;
  return r.has_errors();
}

std::string plural(std::size_t n, std::string_view word, std::string_view words = {}) {
  if (n == 1) return "1 " + std::string(word);
  return std::to_string(n) + " " + (words.empty() ? std::string(word) + "s" : std::string(words));
}

int check(const std::vector<std::string>& args, std::ostream&, std::ostream& err) {
  if (args.empty()) {
    err << "askonce check: no file given\nusage: askonce check FILE...\n";
    return usage;
  }
  for (const auto& a : args) {
    if (a.size() > 1 && a[0] == '-') {
      err << "askonce check: unknown option '" << a << "'\nusage: askonce check FILE...\n";
      return usage;
    }
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& file : args) {
    auto r = dsl::compile_file(file);
    report(r, err, errors, warnings);
  }
  err << "checked " << plural(args.size(), "file") << ": " << plural(errors, "error") << ", "
      << plural(warnings, "warning") << "\n";
  return errors > 0 ? invalid : ok;
}

int model(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 1 || args[0].starts_with("-")) {
    err << "askonce model: expected exactly one form file\nusage: askonce model FILE\n";
    return usage;
  }
  auto r = dsl::compile_file(args[0]);
  std::size_t errors = 0, warnings = 0;
  if (report(r, err, errors, warnings)) return invalid;
  if (!r.form) {
    err << "askonce model: " << args[0] << " declares no form (it is a library of blocks and lists)\n";
    return invalid;
  }
  out << model_json::to_json(*r.form);
  return ok;
}

std::string primary_text(const model::Text& t, const std::vector<std::string>& languages) {
  if (!languages.empty()) {
    if (auto it = t.find(languages.front()); it != t.end()) return it->second;
  }
  return t.empty() ? std::string() : t.begin()->second;
}

int summary(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << "askonce summary: no file or directory given\nusage: askonce summary FILE|DIR...\n";
    return usage;
  }
  std::vector<std::string> files;
  for (const auto& a : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(a, ec)) {
      for (const auto& e : std::filesystem::directory_iterator(a, ec)) {
        if (e.path().extension() == ".form") files.push_back(e.path().generic_string());
      }
    } else {
      files.push_back(a);
    }
  }
  std::sort(files.begin(), files.end());
  std::size_t errors = 0, warnings = 0;
  for (const auto& file : files) {
    auto r = dsl::compile_file(file);
    if (report(r, err, errors, warnings) || !r.form) continue;
    const auto& f = *r.form;
    std::size_t questions = 0;
    for (const auto& field : f.fields) questions = std::max<std::size_t>(questions, field.question);
    std::string langs;
    for (const auto& l : f.languages) langs += (langs.empty() ? "" : " ") + l;
    out << f.id << " v" << f.version << " (" << file << "): " << primary_text(f.title, f.languages) << "\n"
        << "  languages " << langs << "; " << plural(f.sections.size(), "section") << ", "
        << plural(f.fields.size(), "field") << ", " << plural(questions, "question") << ", "
        << plural(f.agencies.size(), "agency", "agencies")
        << "\n";
    for (const auto& a : f.agencies) {
      out << "  -> " << a.name << " (" << primary_text(a.title, f.languages) << "): "
          << plural(a.receives.size(), "field") << (a.when ? ", when a condition holds" : "") << "\n";
    }
    out << "  " << f.definition_hash << "\n";
  }
  out << "compiled " << plural(files.size(), "file") << ": " << plural(errors, "error") << ", "
      << plural(warnings, "warning") << "\n";
  return errors > 0 ? invalid : ok;
}

constexpr std::string_view validate_usage = "usage: askonce validate FORM SUBMISSION [--lang L] [--channel C] [--today YYYY-MM-DD] [--flat] [--json]\n";

int validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  std::string lang, channel = "api", today;
  bool as_json = false, flat = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--lang" || a == "--channel" || a == "--today") {
      if (i + 1 >= args.size()) {
        err << "askonce validate: " << a << " needs a value\n" << validate_usage;
        return usage;
      }
      (a == "--lang" ? lang : a == "--channel" ? channel : today) = args[++i];
    } else if (a == "--json") {
      as_json = true;
    } else if (a == "--flat") {
      flat = true;
    } else if (a.size() > 1 && a[0] == '-') {
      err << "askonce validate: unknown option '" << a << "'\n" << validate_usage;
      return usage;
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 2) {
    err << "askonce validate: expected a form file and a submission file\n" << validate_usage;
    return usage;
  }
  std::optional<model::Date> day;
  if (!today.empty() && !(day = engine::parse_date(today))) {
    err << "askonce validate: --today needs a real date as YYYY-MM-DD, not '" << today << "'\n";
    return usage;
  }
  const auto submission = dsl::read_file_from_disk(files[1]);
  if (!submission) {
    err << "askonce validate: cannot read " << files[1] << "\n";
    return usage;
  }
  auto r = dsl::compile_file(files[0]);
  std::size_t errors = 0, warnings = 0;
  if (report(r, err, errors, warnings)) return invalid;
  if (!r.form) {
    err << "askonce validate: " << files[0] << " declares no form (it is a library of blocks and lists)\n";
    return invalid;
  }
  const auto& langs = r.form->languages;
  if (!lang.empty() && std::find(langs.begin(), langs.end(), lang) == langs.end()) {
    err << "askonce validate: the form has no language '" << lang << "'\n";
    return usage;
  }
  const engine::Plan plan(std::move(*r.form));
  engine::Context context = day ? engine::Context::on(*day, lang, channel) : engine::Context::now(lang, channel);
  const engine::Result result =
      flat ? engine::validate_form_fields(plan, engine::parse_urlencoded(*submission), context)
           : engine::validate_json(plan, *submission, context);
  if (!result.ok()) {
    out << (as_json ? engine::errors_json(result.errors) + "\n" : engine::format_errors(result.errors));
    return invalid;
  }
  out << result.submission.canonical_json << "\n";
  return ok;
}


/// The options route and contract share: FORM, then --name value pairs.
struct Options {
  std::vector<std::string> files;
  std::map<std::string, std::string> values;
};

/// Reads `args` into files and the values of `names`; prints a usage error and gives nothing
/// when an option is unknown or has no value.
std::optional<Options> read_options(std::string_view command, const std::vector<std::string>& args,
                                    std::initializer_list<std::string_view> names, std::string_view usage_text,
                                    std::ostream& err) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (std::find(names.begin(), names.end(), a) == names.end()) {
        err << "askonce " << command << ": unknown option '" << a << "'\n" << usage_text;
        return std::nullopt;
      }
      if (i + 1 >= args.size()) {
        err << "askonce " << command << ": " << a << " needs a value\n" << usage_text;
        return std::nullopt;
      }
      o.values[a] = args[++i];
    } else {
      o.files.push_back(a);
    }
  }
  return o;
}

/// The index of agency `name` in the form; prints an error (with a suggestion) when none.
std::optional<std::size_t> find_agency(std::string_view command, const model::Form& form, const std::string& name,
                                       std::ostream& err) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < form.agencies.size(); ++i) {
    if (form.agencies[i].name == name) return i;
    names.push_back(form.agencies[i].name);
  }
  err << "askonce " << command << ": the form has no agency '" << name << "'\n";
  if (auto best = closest_name(name, names); !best.empty()) err << "did you mean '" << best << "'?\n";
  return std::nullopt;
}

/// Compiles `file` and prints its diagnostics; gives the form only when it has no errors.
std::optional<model::Form> compile_form(std::string_view command, const std::string& file, std::ostream& err) {
  auto r = dsl::compile_file(file);
  std::size_t errors = 0, warnings = 0;
  if (report(r, err, errors, warnings)) return std::nullopt;
  if (!r.form) {
    err << "askonce " << command << ": " << file << " declares no form (it is a library of blocks and lists)\n";
    return std::nullopt;
  }
  return std::move(r.form);
}

constexpr std::string_view route_usage =
    "usage: askonce route FORM SUBMISSION [--agency A] [--format json|xml] [--today YYYY-MM-DD] [--lang L]\n";

int route(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto o = read_options("route", args, {"--agency", "--format", "--today", "--lang"}, route_usage, err);
  if (!o) return usage;
  if (o->files.size() != 2) {
    err << "askonce route: expected a form file and a submission file\n" << route_usage;
    return usage;
  }
  const std::string format = o->values.count("--format") ? o->values["--format"] : "json";
  if (format != "json" && format != "xml") {
    err << "askonce route: --format is json or xml, not '" << format << "'\n" << route_usage;
    return usage;
  }
  std::optional<model::Date> day;
  if (o->values.count("--today") && !(day = engine::parse_date(o->values["--today"]))) {
    err << "askonce route: --today needs a real date as YYYY-MM-DD, not '" << o->values["--today"] << "'\n";
    return usage;
  }
  const auto submission = dsl::read_file_from_disk(o->files[1]);
  if (!submission) {
    err << "askonce route: cannot read " << o->files[1] << "\n";
    return usage;
  }
  auto form = compile_form("route", o->files[0], err);
  if (!form) return invalid;
  std::optional<std::size_t> only;
  if (o->values.count("--agency") && !(only = find_agency("route", *form, o->values["--agency"], err))) return usage;
  const std::string lang = o->values.count("--lang") ? o->values["--lang"] : std::string();
  const engine::Plan plan(std::move(*form));
  const engine::Context context = day ? engine::Context::on(*day, lang) : engine::Context::now(lang);
  const engine::Result result = engine::validate_json(plan, *submission, context);
  if (!result.ok()) {
    err << engine::format_errors(result.errors);
    return invalid;
  }
  const auto fmt = format == "xml" ? engine::ViewFormat::Xml : engine::ViewFormat::Json;
  const engine::EvalContext eval{context.today};
  if (only) {
    auto doc = engine::agency_view(plan, result.submission, *only, fmt, eval);
    if (!doc) {
      err << "askonce route: agency '" << plan.form().agencies[*only].name
          << "' does not receive this submission: its 'when' does not hold\n";
      return invalid;
    }
    out << *doc;
    return ok;
  }
  const auto views = engine::route(plan, result.submission, fmt, eval);
  if (fmt == engine::ViewFormat::Xml) {
    for (std::size_t i = 0; i < views.size(); ++i) out << (i ? "\n" : "") << views[i].document;
    return ok;
  }
  // JSON: one array of the views, each indented one level further.
  out << "[";
  for (std::size_t i = 0; i < views.size(); ++i) {
    out << (i ? ",\n  " : "\n  ");
    const std::string& d = views[i].document;
    for (std::size_t k = 0; k + 1 < d.size() || (k < d.size() && d[k] != '\n'); ++k) {
      out << d[k];
      if (d[k] == '\n') out << "  ";
    }
  }
  out << (views.empty() ? "]\n" : "\n]\n");
  return ok;
}

constexpr std::string_view contract_usage =
    "usage: askonce contract FORM --agency A --format json-schema|xsd [--out DIR]\n";

int contract(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto o = read_options("contract", args, {"--agency", "--format", "--out"}, contract_usage, err);
  if (!o) return usage;
  if (o->files.size() != 1) {
    err << "askonce contract: expected exactly one form file\n" << contract_usage;
    return usage;
  }
  if (!o->values.count("--agency")) {
    err << "askonce contract: --agency is required\n" << contract_usage;
    return usage;
  }
  const std::string format = o->values.count("--format") ? o->values["--format"] : std::string();
  if (format != "json-schema" && format != "xsd") {
    err << "askonce contract: --format is json-schema or xsd" << (format.empty() ? "" : ", not '" + format + "'")
        << "\n" << contract_usage;
    return usage;
  }
  auto form = compile_form("contract", o->files[0], err);
  if (!form) return invalid;
  const auto agency = find_agency("contract", *form, o->values["--agency"], err);
  if (!agency) return usage;
  std::vector<engine::XsdDocument> files;
  if (format == "json-schema") {
    files.push_back({form->agencies[*agency].name + ".schema.json", {}, engine::json_schema_contract(*form, *agency)});
  } else {
    auto c = engine::xsd_contract(*form, *agency);
    for (const auto& d : c.diagnostics) err << "error[" << d.code << "]: " << d.message << "\n";
    if (!c.ok()) return invalid;
    files = std::move(c.documents);
  }
  if (!o->values.count("--out")) {
    if (files.size() > 1) {
      err << "askonce contract: this XSD has " << files.size() << " schema documents, one per namespace (";
      for (std::size_t i = 0; i < files.size(); ++i) err << (i ? ", " : "") << files[i].file;
      err << "); write them all with --out DIR\n";
      return usage;
    }
    out << files[0].text;
    return ok;
  }
  const std::filesystem::path dir = o->values["--out"];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& f : files) {
    const auto path = dir / f.file;
    std::ofstream file(path, std::ios::binary);
    file << f.text;
    if (!file.flush()) {
      err << "askonce contract: cannot write " << path.generic_string() << "\n";
      return invalid;
    }
    out << path.generic_string() << "\n";
  }
  return ok;
}


std::string render_formats() {
  std::string s;
  for (const auto& r : renderers::renderers()) s += (s.empty() ? "" : "|") + std::string(r.name);
  return s;
}

std::string render_usage() {
  return "usage: askonce render FORM --to " + render_formats() +
         " [--lang L] [--submission S.json] [--flat] [--document form|answers|receipt]\n"
         "                      [--reference R] [--today YYYY-MM-DD] [-o FILE] [--width N]\n";
}

/// The answers of a JSON submission as flat form fields ("person.name.first", "household[0].x"),
/// so that a form page can be drawn filled with what was sent, as a browser would post it.
void flatten_json(const Poco::Dynamic::Var& v, const std::string& name,
                  std::vector<std::pair<std::string, std::string>>& out) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto obj = v.extract<Poco::JSON::Object::Ptr>();
    for (const auto& key : obj->getNames()) flatten_json(obj->get(key), name.empty() ? key : name + "." + key, out);
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    const auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto item = arr->get(static_cast<unsigned>(i));
      if (item.type() == typeid(Poco::JSON::Object::Ptr)) {
        flatten_json(item, name + "[" + std::to_string(i) + "]", out);
      } else {
        flatten_json(item, name, out);
      }
    }
  } else if (!v.isEmpty()) {
    out.emplace_back(name, v.isBoolean() ? (v.extract<bool>() ? "yes" : "no") : v.convert<std::string>());
  }
}

int render(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> files;
  std::map<std::string, std::string> values;
  bool flat = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--flat") {
      flat = true;
    } else if (a == "--to" || a == "--lang" || a == "--submission" || a == "-o" || a == "--width" ||
               a == "--document" || a == "--reference" || a == "--today") {
      if (i + 1 >= args.size()) {
        err << "askonce render: " << a << " needs a value\n" << render_usage();
        return usage;
      }
      values[a] = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      err << "askonce render: unknown option '" << a << "'\n" << render_usage();
      return usage;
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 1) {
    err << "askonce render: expected exactly one form file\n" << render_usage();
    return usage;
  }
  if (!values.count("--to")) {
    err << "askonce render: --to is required\n" << render_usage();
    return usage;
  }
  const renderers::Renderer* renderer = renderers::find_renderer(values["--to"]);
  if (!renderer) {
    err << "askonce render: unknown format '" << values["--to"] << "'; the formats are " << render_formats() << "\n";
    return usage;
  }
  renderers::RenderRequest request;
  if (values.count("--width")) {
    const std::string& w = values["--width"];
    if (w.empty() || w.size() > 4 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoul(w) < 20) {
      err << "askonce render: --width needs a whole number of at least 20, not '" << w << "'\n";
      return usage;
    }
    request.width = std::stoul(w);
  }
  std::optional<renderers::Document> document;
  if (values.count("--document")) {
    const std::string& d = values["--document"];
    if (d == "form") document = renderers::Document::Form;
    else if (d == "answers") document = renderers::Document::Answers;
    else if (d == "receipt") document = renderers::Document::Receipt;
    else {
      err << "askonce render: --document is form, answers or receipt, not '" << d << "'\n" << render_usage();
      return usage;
    }
    if (*document != renderers::Document::Form && !values.count("--submission")) {
      err << "askonce render: --document " << d << " needs --submission\n";
      return usage;
    }
  }
  std::optional<model::Date> day;
  if (values.count("--today") && !(day = engine::parse_date(values["--today"]))) {
    err << "askonce render: --today needs a real date as YYYY-MM-DD, not '" << values["--today"] << "'\n";
    return usage;
  }
  std::optional<std::string> submission_text;
  if (values.count("--submission") && !(submission_text = dsl::read_file_from_disk(values["--submission"]))) {
    err << "askonce render: cannot read " << values["--submission"] << "\n";
    return usage;
  }
  auto form = compile_form("render", files[0], err);
  if (!form) return invalid;
  const std::string lang = values.count("--lang") ? values["--lang"] : std::string();
  if (!lang.empty() && std::find(form->languages.begin(), form->languages.end(), lang) == form->languages.end()) {
    err << "askonce render: the form has no language '" << lang << "'\n";
    return usage;
  }
  const engine::Plan plan(std::move(*form));
  request.plan = &plan;
  request.language = lang;
  request.document = document.value_or(renderers::Document::Form);

  int status = ok;
  engine::Result result;
  renderers::Filled filled;
  renderers::ReceiptInfo receipt;
  if (submission_text) {
    const engine::Context context = day ? engine::Context::on(*day, lang, "web") : engine::Context::now(lang, "web");
    if (flat) {
      filled.values = engine::parse_urlencoded(*submission_text);
      result = engine::validate_form_fields(plan, filled.values, context);
    } else {
      result = engine::validate_json(plan, *submission_text, context);
      try {
        Poco::JSON::Parser parser;
        flatten_json(parser.parse(*submission_text), "", filled.values);
      } catch (const Poco::Exception&) {
        // Not JSON: the engine has said so in its errors; nothing to show back.
      }
    }
    if (!result.ok()) {
      // An invalid submission: the form page, filled with what was sent and its errors.
      if (request.document != renderers::Document::Form) {
        err << engine::format_errors(result.errors);
        return invalid;
      }
      filled.errors = result.errors;
      request.filled = &filled;
      status = invalid;
    } else {
      if (!document) request.document = renderers::Document::Receipt;
      request.submission = &result.submission;
      receipt.reference = values.count("--reference") ? values["--reference"] : std::string();
      if (receipt.reference.empty()) {
        // A reference a person can read out: the first 12 hex digits of the digest, grouped.
        const std::string hex = result.submission.digest.substr(result.submission.digest.find(':') + 1);
        for (std::size_t i = 0; i < 12 && i < hex.size(); ++i) {
          if (i && i % 4 == 0) receipt.reference += '-';
          receipt.reference += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
        }
      }
      receipt.agencies = renderers::receiving_agencies(plan, result.submission, context.today);
      request.receipt = &receipt;
      if (request.document == renderers::Document::Form) {
        filled.values.clear();
        request.filled = nullptr;
      }
    }
  }
  const renderers::RenderResult rendered = renderer->render(request);
  for (const auto& w : rendered.warnings) {
    err << files[0] << ":" << w.where.line << ":" << w.where.column << ": warning[" << w.code << "]: " << w.message
        << "\n";
  }
  if (values.count("-o")) {
    std::ofstream file(values["-o"], std::ios::binary);
    file.write(rendered.bytes.data(), static_cast<std::streamsize>(rendered.bytes.size()));
    if (!file.flush()) {
      err << "askonce render: cannot write " << values["-o"] << "\n";
      return invalid;
    }
  } else {
    out.write(rendered.bytes.data(), static_cast<std::streamsize>(rendered.bytes.size()));
  }
  if (status != ok) err << engine::format_errors(result.errors);
  return status;
}

// --- operating the store: agency tokens and dead letters ---

constexpr std::string_view default_db = "askonce.db";

constexpr std::string_view agency_token_usage =
    "usage: askonce agency-token create AGENCY [--db FILE]\n"
    "       askonce agency-token list AGENCY [--db FILE]\n"
    "       askonce agency-token revoke TOKEN_ID [--db FILE]\n";

constexpr std::string_view deliveries_usage =
    "usage: askonce deliveries list [--db FILE]\n"
    "       askonce deliveries retry ID... [--db FILE]\n"
    "       askonce deliveries retry --all [--db FILE]\n";

/// The words of a store command, its --db, and --all where the command takes it.
struct StoreArgs {
  std::vector<std::string> words;
  std::string db = std::string(default_db);
  bool all = false;
};

std::optional<StoreArgs> read_store_args(std::string_view command, const std::vector<std::string>& args, bool takes_all,
                                         std::string_view usage_text, std::ostream& err) {
  StoreArgs a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& s = args[i];
    if (s == "--db") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        err << "askonce " << command << ": --db needs a file\n" << usage_text;
        return std::nullopt;
      }
      a.db = args[++i];
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

/// Opens the database; nothing (after an error) when it must exist and does not: a mistyped
/// --db must not quietly create an empty database and report that it holds nothing.
std::unique_ptr<server::SqliteStore> open_store(std::string_view command, const std::string& db, bool must_exist,
                                                std::ostream& err) {
  std::error_code ec;
  if (must_exist && !std::filesystem::is_regular_file(db, ec)) {
    err << "askonce " << command << ": no database at " << db << " (use --db FILE)\n";
    return nullptr;
  }
  server::SqliteOptions options;
  options.path = db;
  return std::make_unique<server::SqliteStore>(options);
}

server::TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(server::Clock::now()); }

std::string iso_utc(server::TimePoint t) {
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

/// An agency's name as forms write it: letters, digits, '_', '-', '.'.
bool agency_name(const std::string& s) {
  return !s.empty() && s.size() <= 100 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

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
    err << "askonce " << command << ": the database " << a->db << ": " << e.what() << "\n";
    return invalid;
  }
}

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
    err << "askonce " << command << ": the database " << a->db << ": " << e.what() << "\n";
    return invalid;
  }
}

constexpr Command commands[] = {
    {"serve", "serve the forms to citizens and agencies over HTTP",
     "usage: askonce serve [--port P] [--forms DIR] [--db FILE] [--config FILE]\n\n"
     "Compiles every form in DIR (refusing to start when one has errors), opens or creates\n"
     "the SQLite database FILE, and serves citizens (web pages, PDF, text), the JSON API and\n"
     "the agency API until SIGINT or SIGTERM, which stop it gracefully. One JSON log line per\n"
     "request goes to standard output.\n\n"
     "  --port P        the port to listen on (default 8080; 0: any free port)\n"
     "  --forms DIR     the folder of .form files (default: forms)\n"
     "  --db FILE       the database (default: askonce.db)\n"
     "  --config FILE   a JSON config file (default: $ASKONCE_CONFIG, or none)\n\n"
     "Flags override the config file, which overrides the defaults; ASKONCE_* environment\n"
     "variables override the file too. docs/operations.md lists every setting.\n\n"
     "exit status: 0 stopped cleanly, 1 cannot start (forms, config or database), 2 usage error\n",
     askonce::server::serve},
    {"check", "check form files and print their diagnostics",
     "usage: askonce check FILE...\n\n"
     "Compiles each file and prints every problem found, like a compiler:\n"
     "  file:line:col: error[CODE]: message\n"
     "Codes are listed in docs/diagnostics.md.\n\n"
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
     "                      [--document form|answers|receipt] [--reference R] [--today YYYY-MM-DD]\n"
     "                      [-o FILE] [--width N]\n\n"
     "Draws the form in FORM in one format of the renderers' table (renderers/registry.cpp):\n"
     "  text            plain text: the accessible version, the phone script, large print\n"
     "  html            the web page (when built in)\n"
     "  pdf             the printable paper form (when built in)\n"
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
    {"agency-token", "create, list and revoke the tokens agencies pull with",
     "usage: askonce agency-token create AGENCY [--db FILE]\n"
     "       askonce agency-token list AGENCY [--db FILE]\n"
     "       askonce agency-token revoke TOKEN_ID [--db FILE]\n\n"
     "An agency API token lets one agency (its name in the forms, e.g. SSA) list, fetch and\n"
     "acknowledge its views. Only a hash of it is stored.\n\n"
     "  create AGENCY     prints a new token on standard output, once: it cannot be shown\n"
     "                    again, so give it to the agency now (lost: revoke it, create another)\n"
     "  list AGENCY       the agency's tokens: id, when created, active or revoked\n"
     "  revoke TOKEN_ID   the token stops working at once (its id is in 'list')\n"
     "  --db FILE         the database (default: askonce.db)\n\n"
     "exit status: 0 done, 1 no such database or active token (or the database failed),\n"
     "2 usage error\n",
     agency_token},
    {"deliveries", "list webhook deliveries that gave up, and retry them",
     "usage: askonce deliveries list [--db FILE]\n"
     "       askonce deliveries retry ID... [--db FILE]\n"
     "       askonce deliveries retry --all [--db FILE]\n\n"
     "A webhook delivery that failed max_attempts times is a dead letter: it is kept, and the\n"
     "agency can still pull it, but it is no longer sent.\n\n"
     "  list              every dead letter: id, agency, attempts, last error\n"
     "  retry ID...       puts these dead letters back in the queue with their attempts reset;\n"
     "                    a running server sends them within its poll interval\n"
     "  retry --all       every dead letter\n"
     "  --db FILE         the database (default: askonce.db)\n\n"
     "exit status: 0 done, 1 no such database, an id is not a dead letter (the others are still\n"
     "retried), or the database failed; 2 usage error\n",
     deliveries},
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
