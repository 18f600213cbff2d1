// server/http/api_views.cpp: pages of an agency's views as JSON and XML (api_views.hpp).
#include "server/http/api_views.hpp"

#include <memory>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "engine/answers.hpp"
#include "engine/json_writer.hpp"
#include "engine/model.hpp"
#include "engine/views.hpp"
#include "engine/xml_writer.hpp"

namespace askonce::server {

namespace {

/// `document` (an indented JSON document) as a value written at `depth` members deep: its
/// lines after the first are indented to the depth. A JSON string cannot hold a raw line
/// break, so every '\n' is between tokens.
std::string nested_json(std::string_view document, std::size_t depth) {
  while (!document.empty() && (document.back() == '\n' || document.back() == '\r')) document.remove_suffix(1);
  std::string out;
  out.reserve(document.size() + document.size() / 8);
  for (char c : document) {
    out += c;
    if (c == '\n') out.append(2 * depth, ' ');
  }
  return out;
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

std::string chars(const xmlChar* s) { return s ? std::string(reinterpret_cast<const char*>(s)) : std::string(); }

std::string qualified(const xmlNs* ns, const xmlChar* name) {
  std::string q;
  if (ns && ns->prefix) q = chars(ns->prefix) + ":";
  return q + chars(name);
}

/// Writes element `node` again, with its namespace declarations, attributes, text and child
/// elements (the only things a view holds); comments and processing instructions are left out.
void rewrite(engine::XmlWriter& w, const xmlNode* node) {
  w.start(qualified(node->ns, node->name));
  for (const xmlNs* ns = node->nsDef; ns; ns = ns->next) {
    w.attribute(ns->prefix ? "xmlns:" + chars(ns->prefix) : std::string("xmlns"), chars(ns->href));
  }
  for (const xmlAttr* a = node->properties; a; a = a->next) {
    xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
    w.attribute(qualified(a->ns, a->name), chars(value));
    xmlFree(value);
  }
  for (const xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) rewrite(w, c);
    else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) w.text(chars(c->content));
  }
  w.end();
}

}  // namespace

std::string agency_page_json(const AgencyPage& page) {
  engine::JsonWriter w;
  w.begin_object();
  w.key("items");
  w.begin_array();
  for (const auto& item : page.items) {
    w.begin_object();
    w.key("reference");
    w.string(item.reference);
    w.key("form");
    w.string(item.form_id);
    w.key("version");
    w.number(std::to_string(item.version));
    w.key("definition_hash");
    w.string(item.definition_hash);
    w.key("digest");
    w.string(item.digest);
    w.key("received");
    w.string(item.received);
    w.key("date_received");
    w.string(item.date_received);
    w.key("channel");
    w.string(item.channel);
    w.key("language");
    w.string(item.language);
    w.key("acknowledged");
    w.boolean(item.acknowledged);
    w.key("view_version");
    w.number(std::to_string(item.view_version));
    if (item.view_version > 1) {
      w.key("amends");
      w.number(std::to_string(item.view_version - 1));
      w.key("changed");
      w.begin_array();
      for (const auto& c : item.changed) w.string(c);
      w.end_array();
    }
    w.key("view");
    // The view as stored: a JSON document askonce wrote (engine/views.cpp), embedded as a value.
    w.number(nested_json(item.json, 3));
    w.end_object();
  }
  w.end_array();
  w.key("next_cursor");
  w.string(page.next_cursor);
  w.end_object();
  return w.take() + "\n";
}

std::optional<std::string> agency_page_xml(const AgencyPage& page) {
  engine::XmlWriter w;
  w.start("askonce:submissions");
  w.attribute("xmlns:askonce", std::string(agency_api_namespace));
  w.attribute("next-cursor", page.next_cursor);
  for (const auto& item : page.items) {
    w.start("askonce:submission");
    w.attribute("reference", item.reference);
    w.attribute("form", item.form_id);
    w.attribute("version", std::to_string(item.version));
    w.attribute("definition-hash", item.definition_hash);
    w.attribute("submission-digest", item.digest);
    w.attribute("received", item.received);
    w.attribute("date-received", item.date_received);
    w.attribute("channel", item.channel);
    w.attribute("language", item.language);
    w.attribute("acknowledged", item.acknowledged ? "true" : "false");
    w.attribute("view-version", std::to_string(item.view_version));
    if (item.view_version > 1) {
      // JSON Pointers hold no space: a list attribute, as xs:list would write it.
      std::string changed;
      for (const auto& c : item.changed) changed += (changed.empty() ? "" : " ") + c;
      w.attribute("amends", std::to_string(item.view_version - 1));
      w.attribute("changed", changed);
    }
    if (item.xml) {
      // NONET: never fetch anything; no DTD loading and no entity substitution (the defaults).
      // NOBLANKS drops the indentation between elements, which the writer puts back.
      Doc doc(xmlReadMemory(item.xml->data(), static_cast<int>(item.xml->size()), "view.xml", "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS));
      const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
      if (!root || doc->intSubset) return std::nullopt;
      rewrite(w, root);
    }
    w.end();
  }
  w.end();
  return w.finish();
}

}  // namespace askonce::server
