// renderers/registry.hpp: the table of renderers, {name, mime, binary?, function}, that the
// command line (`askonce render --to NAME`) and the server serve from, as pandoc's Writers.hs.
// Adding a format is one row in registry.cpp.
#pragma once

#include <span>
#include <string_view>

#include "renderers/render.hpp"

namespace askonce::renderers {

struct Renderer {
  std::string_view name;       // "text", "html", "pdf": what --to takes
  std::string_view mime;       // "text/plain; charset=utf-8"
  bool binary = false;         // bytes that must not be treated as text (PDF)
  std::string_view extension;  // "txt", "html", "pdf"
  std::string_view summary;    // one line for --help
  RenderFunction render = nullptr;
};

/// Every renderer, in the order --help lists them.
std::span<const Renderer> renderers();

/// The renderer called `name`, or nullptr.
const Renderer* find_renderer(std::string_view name);

}  // namespace askonce::renderers
