// server/cli/import_commands.cpp: `askonce import`, forms written from the schemas and forms
// agencies publish (dsl/import/): JSON Schemas and ODK XForms. Thin: read the file, import,
// check the written form with the compiler, write it.
#include <fstream>
#include <ostream>
#include <sstream>

#include "dsl/compiler.hpp"
#include "dsl/import/json_schema.hpp"
#include "dsl/import/xform.hpp"
#include "server/cli/commands.hpp"

namespace askonce::cli {

int import(const Args& args, std::ostream& out, std::ostream& err) {
  constexpr const char* usage_line =
      "usage: askonce import jsonschema SCHEMA.json [-o FORM.form] [--id NAME]\n"
      "       askonce import xform FORM.xml [-o FORM.form] [--id NAME]\n";
  std::string format, schema, output, id;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "-o" || a == "--id") && i + 1 < args.size()) {
      (a == "-o" ? output : id) = args[++i];
    } else if (a.size() > 1 && a[0] == '-') {
      err << "askonce import: unknown option '" << a << "'\n" << usage_line;
      return usage;
    } else if (format.empty()) {
      format = a;
    } else if (schema.empty()) {
      schema = a;
    } else {
      err << "askonce import: one file at a time\n" << usage_line;
      return usage;
    }
  }
  if (format != "jsonschema" && format != "xform") {
    err << "askonce import: " << (format.empty() ? std::string("no format given") : "unknown format '" + format + "'")
        << " (known: jsonschema, xform)\n" << usage_line;
    return usage;
  }
  if (schema.empty()) {
    err << "askonce import: no " << (format == "xform" ? "XForm" : "schema") << " given\n" << usage_line;
    return usage;
  }
  const auto text = dsl::read_file_from_disk(schema);
  if (!text) {
    err << schema << ": error[I0001]: cannot read '" << schema << "'\n";
    return invalid;
  }
  dsl::import::ImportResult r;
  if (format == "xform") {
    dsl::import::XFormOptions options;
    options.form_id = id;
    r = dsl::import::import_xform(schema, *text, options);
  } else {
    dsl::import::JsonSchemaOptions options;
    options.form_id = id;
    r = dsl::import::import_json_schema(schema, *text, options);
  }
  err << dsl::import::format_import_diagnostics(r);
  if (r.has_errors()) return invalid;

  // The written form must compile: a form the importer writes and the compiler refuses is a
  // bug in the importer, reported here rather than found later.
  const std::string form_path = output.empty() ? "imported.form" : output;
  const auto compiled = dsl::compile_text(form_path, r.form_text);
  if (compiled.has_errors()) {
    err << dsl::format_diagnostics(compiled);
    err << "askonce import: the written form does not compile (a bug in the importer; please report it)\n";
  }
  if (output.empty()) {
    out << r.form_text;
  } else {
    std::ofstream f(output, std::ios::binary | std::ios::trunc);
    f << r.form_text;
    f.close();
    if (!f) {
      err << "askonce import: cannot write '" << output << "'\n";
      return invalid;
    }
  }
  std::size_t warnings = r.diagnostics.size();
  err << "imported " << schema << (output.empty() ? "" : " into " + output) << ": " << plural(warnings, "warning")
      << " (what the form does not say)\n";
  return compiled.has_errors() ? invalid : ok;
}

}  // namespace askonce::cli
