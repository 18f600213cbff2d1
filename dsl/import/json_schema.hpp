// dsl/import/json_schema.hpp: `askonce import jsonschema`, a JSON Schema turned into a .form text.
//
// Agencies publish their forms as JSON Schemas (the VA's vets-json-schema, draft-04 and
// draft-07). The importer writes the .form that means the same thing, keeping the schema's names
// and nesting, so that a JSON submission for the schema is a submission for the form. What the
// language cannot say is never approximated silently: each is a warning at the schema's JSON
// path (I-coded, docs/diagnostics.md) and is listed in a comment block at the top of the text.
#pragma once

#include <string>
#include <vector>

#include "engine/diagnostic.hpp"

namespace askonce::dsl::import {

/// How to name what the schema does not name.
struct JsonSchemaOptions {
  std::string form_id;  // the form's name; empty: from the schema's file name
  std::size_t max_schema_bytes = 16u << 20;  // a schema over this is refused (I0001)
  std::size_t max_depth = 48;                // nesting of objects, arrays and $refs followed
  std::size_t max_form_bytes = 8u << 20;     // the written form; the compiler's own limit (I0003)
};

/// What an import produced. `form_text` is empty when the schema could not be read at all.
struct ImportResult {
  std::string form_text;
  std::vector<Diagnostic> diagnostics;  // positioned in `source` (file 0)
  Source source;                        // the schema as read, for format_diagnostic
  bool has_errors() const;
};

/// Imports the JSON Schema `text`, read from `path` (used for messages and the form's name).
ImportResult import_json_schema(const std::string& path, const std::string& text,
                                const JsonSchemaOptions& options = {});

/// Every diagnostic of an import, formatted as the compiler formats its own.
std::string format_import_diagnostics(const ImportResult& result);

}  // namespace askonce::dsl::import
