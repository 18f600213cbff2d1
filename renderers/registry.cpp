// renderers/registry.cpp: the table of renderers. One row per format; the CLI and the server
// list and find renderers here only.
#include "renderers/registry.hpp"

#include "renderers/html.hpp"
#include "renderers/pdf.hpp"
#include "renderers/script.hpp"
#include "renderers/text.hpp"

namespace askonce::renderers {
namespace {

constexpr Renderer table[] = {
    {"text", "text/plain; charset=utf-8", false, "txt",
     "plain text: accessible version, phone script, large print; plain-text receipt", render_text},
    {"pdf", "application/pdf", true, "pdf",
     "PDF: the printable paper form for the mail channel; the filled application receipt", render_pdf},
    {"html", "text/html; charset=utf-8", false, "html",
     "HTML (U.S. Web Design System): the web form, check your answers, the confirmation page", render_html},
    {"rules", "application/json; charset=utf-8", false, "json",
     "the form's rules as JSON for the web pages' shared script (script.hpp): conditions and computed values",
     render_form_rules},
};

}  // namespace

std::span<const Renderer> renderers() { return table; }

const Renderer* find_renderer(std::string_view name) {
  for (const auto& r : table) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

}  // namespace askonce::renderers
