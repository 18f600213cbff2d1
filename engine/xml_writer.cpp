// engine/xml_writer.cpp: the libxml2 xmlTextWriter behind XmlWriter.
#include "engine/xml_writer.hpp"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include <mutex>

namespace askonce::engine {

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

namespace {
const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
}  // namespace

struct XmlWriter::Impl {
  xmlBufferPtr buffer = nullptr;
  xmlTextWriterPtr writer = nullptr;
  std::string a, b;  // NUL-terminated copies of the arguments
};

XmlWriter::XmlWriter() : impl_(new Impl) {
  init_libxml();
  impl_->buffer = xmlBufferCreate();
  impl_->writer = impl_->buffer ? xmlNewTextWriterMemory(impl_->buffer, 0) : nullptr;
  if (!impl_->writer) {
    failed_ = true;
    return;
  }
  check(xmlTextWriterSetIndent(impl_->writer, 1));
  check(xmlTextWriterSetIndentString(impl_->writer, reinterpret_cast<const xmlChar*>("  ")));
  check(xmlTextWriterStartDocument(impl_->writer, "1.0", "UTF-8", nullptr));
}

XmlWriter::~XmlWriter() {
  if (impl_->writer) xmlFreeTextWriter(impl_->writer);
  if (impl_->buffer) xmlBufferFree(impl_->buffer);
  delete impl_;
}

void XmlWriter::check(int rc) {
  if (rc < 0) failed_ = true;
}

void XmlWriter::processing_instruction(std::string_view target, std::string_view content) {
  if (failed_) return;
  impl_->a.assign(target);
  impl_->b.assign(content);
  check(xmlTextWriterWritePI(impl_->writer, x(impl_->a), x(impl_->b)));
}

void XmlWriter::start(std::string_view qname) {
  if (failed_) return;
  impl_->a.assign(qname);
  check(xmlTextWriterStartElement(impl_->writer, x(impl_->a)));
}

void XmlWriter::attribute(std::string_view qname, std::string_view value) {
  if (failed_) return;
  impl_->a.assign(qname);
  impl_->b.assign(value);
  check(xmlTextWriterWriteAttribute(impl_->writer, x(impl_->a), x(impl_->b)));
}

void XmlWriter::text(std::string_view text) {
  if (failed_) return;
  impl_->b.assign(text);
  check(xmlTextWriterWriteString(impl_->writer, x(impl_->b)));
}

void XmlWriter::element(std::string_view qname, std::string_view value) {
  start(qname);
  text(value);
  end();
}

void XmlWriter::end() {
  if (failed_) return;
  check(xmlTextWriterEndElement(impl_->writer));
}

std::optional<std::string> XmlWriter::finish() {
  if (failed_) return std::nullopt;
  check(xmlTextWriterEndDocument(impl_->writer));
  xmlFreeTextWriter(impl_->writer);  // flushes into the buffer
  impl_->writer = nullptr;
  if (failed_) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(impl_->buffer)),
                     static_cast<std::size_t>(xmlBufferLength(impl_->buffer)));
}

}  // namespace askonce::engine
