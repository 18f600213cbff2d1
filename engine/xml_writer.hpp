// engine/xml_writer.hpp: libxml2's xmlTextWriter, owned and checked in one place.
//
// Every XML document the engine writes (agency views, XSD contracts) goes through this class:
// libxml2 escapes text and attribute values, so no value can break the markup. A call that
// fails marks the writer failed; finish() then gives nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace askonce::engine {

/// Initializes libxml2 once per process (xmlInitParser), before any thread uses it: its lazy
/// initialization (encoding handlers, dictionaries) is not thread-safe, and a server that wrote
/// its first XML views from several request threads at once crashed in xmlTextWriterStartDocument.
/// Every user of libxml2 calls this first; calls after the first return at once.
void init_libxml();

class XmlWriter {
 public:
  XmlWriter();  // starts a UTF-8 document, indented by two spaces
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  void processing_instruction(std::string_view target, std::string_view content);
  void start(std::string_view qname);
  void attribute(std::string_view qname, std::string_view value);
  void text(std::string_view text);
  /// An element holding only text: <qname>text</qname>.
  void element(std::string_view qname, std::string_view text);
  void end();
  /// Closes what is open and gives the document, or nothing when a call failed.
  std::optional<std::string> finish();

 private:
  void check(int rc);
  struct Impl;
  Impl* impl_;
  bool failed_ = false;
};

}  // namespace askonce::engine
