// server/cli/form_commands.cpp: the commands on form files: check, model, summary, validate,
// route, contract, render. They read files and print; none opens a database.
#include "server/cli/commands.hpp"

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

namespace askonce::cli {

namespace {

/// Prints diagnostics and a count; returns true when there were errors.
bool report(const dsl::CompileResult& r, std::ostream& err, std::size_t& errors, std::size_t& warnings) {
  err << dsl::format_diagnostics(r);
  for (const auto& d : r.diagnostics) (d.severity == Severity::Error ? errors : warnings)++;
  return r.has_errors();
}

}  // namespace

int check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* usage_line = "usage: askonce check [--plain] FILE...\n";
  dsl::Options options;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--plain") {
      options.plain = true;
    } else if (a.size() > 1 && a[0] == '-') {
      err << "askonce check: unknown option '" << a << "'\n" << usage_line;
      return usage;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    err << "askonce check: no file given\n" << usage_line;
    return usage;
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& file : files) {
    auto r = dsl::compile_file(file, options);
    report(r, err, errors, warnings);
    // The summary of how the form reads: asked for, or the form sets a target. A file of
    // blocks only, or one with errors, has none (the errors come first).
    if (r.plain) {
      out << dsl::format_plain_summary(*r.plain, file, r.sources);
    } else if (options.plain && !r.has_errors() && !r.form) {
      out << file << ": plain language: no form in this file, nothing checked\n";
    }
  }
  err << "checked " << plural(files.size(), "file") << ": " << plural(errors, "error") << ", "
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

namespace {

std::string primary_text(const model::Text& t, const std::vector<std::string>& languages) {
  if (!languages.empty()) {
    if (auto it = t.find(languages.front()); it != t.end()) return it->second;
  }
  return t.empty() ? std::string() : t.begin()->second;
}

}  // namespace

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

namespace {

constexpr std::string_view validate_usage = "usage: askonce validate FORM SUBMISSION [--lang L] [--channel C] [--today YYYY-MM-DD] [--flat] [--json]\n";

}  // namespace

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


namespace {

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

}  // namespace

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

namespace {

constexpr std::string_view contract_usage =
    "usage: askonce contract FORM --agency A --format json-schema|xsd [--out DIR]\n";

}  // namespace

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


namespace {

std::string render_formats() {
  std::string s;
  for (const auto& r : renderers::renderers()) s += (s.empty() ? "" : "|") + std::string(r.name);
  return s;
}

std::string render_usage() {
  return "usage: askonce render FORM --to " + render_formats() +
         " [--lang L] [--submission S.json] [--flat] [--document start|form|answers|receipt]\n"
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

}  // namespace

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
    if (d == "start") document = renderers::Document::Start;
    else if (d == "form") document = renderers::Document::Form;
    else if (d == "answers") document = renderers::Document::Answers;
    else if (d == "receipt") document = renderers::Document::Receipt;
    else {
      err << "askonce render: --document is start, form, answers or receipt, not '" << d << "'\n" << render_usage();
      return usage;
    }
    if (*document != renderers::Document::Form && *document != renderers::Document::Start && !values.count("--submission")) {
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

}  // namespace askonce::cli
