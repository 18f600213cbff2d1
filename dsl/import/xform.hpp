// dsl/import/xform.hpp: `askonce import xform`, an ODK XForm turned into a .form text.
//
// ODK XForms are what XLSForm compiles to and what ODK Collect, Enketo and KoboToolbox run. The
// importer writes the .form that asks the same questions with the same rules: the instance's
// names, the binds' types, required, relevant, constraint (with its message) and calculate,
// the body's labels, hints and choices, and each itext translation as a language of the form.
// The XPath the binds hold is read into the language's expressions; what cannot be read is
// never approximated silently: it is a warning (I03xx, docs/diagnostics.md) with the XPath
// shown, listed again in a comment at the top of the written form.
#pragma once

#include <string>

#include "dsl/import/json_schema.hpp"

namespace askonce::dsl::import {

/// Limits and naming for an XForm import.
struct XFormOptions {
  std::string form_id;                     // the form's name; empty: the instance's id attribute
  std::size_t max_xml_bytes = 16u << 20;   // a document over this is refused (I0301)
  std::size_t max_depth = 64;              // element nesting; deeper is refused (I0301)
  std::size_t max_xpath_bytes = 4096;      // one XPath expression; longer is a warning (I0311)
};

/// Imports the XForm `text`, read from `path` (used for messages and the form's name). The
/// document is parsed without network access, DTD or entity expansion; a DOCTYPE is refused.
ImportResult import_xform(const std::string& path, const std::string& text, const XFormOptions& options = {});

}  // namespace askonce::dsl::import
