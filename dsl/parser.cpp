// dsl/parser.cpp: the only file that includes PEGTL; runs the grammar over one file.
#include "dsl/parser.hpp"

#include <tao/pegtl.hpp>

#include "dsl/actions.hpp"
#include "dsl/errors.hpp"
#include "dsl/grammar.hpp"

namespace askonce::dsl {
namespace {

/// The first byte that is not valid UTF-8, or that is a control character a text file does
/// not contain. Returns false and fills `d` when one is found.
bool check_text(std::string_view text, std::uint32_t file, Diagnostic& d) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
        d.code = "P0004";
        char hex[8];
        std::snprintf(hex, sizeof hex, "U+%04X", b);
        d.message = std::string("control character ") + hex + " is not allowed in a .form file";
        if (b == 0) d.hint = "this looks like a binary file, not a .form file";
        d.where = {file, static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column), 1};
        return false;
      }
      n = 1;
    } else {
      auto cont = [&](std::size_t k) {
        return i + k < text.size() && (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
      };
      const auto b1 = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
      if (b >= 0xC2 && b <= 0xDF && cont(1)) n = 2;
      else if (b == 0xE0 && b1 >= 0xA0 && cont(1) && cont(2)) n = 3;
      else if (b >= 0xE1 && b <= 0xEC && cont(1) && cont(2)) n = 3;
      else if (b == 0xED && b1 < 0xA0 && cont(1) && cont(2)) n = 3;  // no surrogates
      else if (b >= 0xEE && b <= 0xEF && cont(1) && cont(2)) n = 3;
      else if (b == 0xF0 && b1 >= 0x90 && cont(1) && cont(2) && cont(3)) n = 4;
      else if (b >= 0xF1 && b <= 0xF3 && cont(1) && cont(2) && cont(3)) n = 4;
      else if (b == 0xF4 && b1 < 0x90 && cont(1) && cont(2) && cont(3)) n = 4;
      if (n == 0) {
        d.code = "P0003";
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", b);
        d.message = std::string("this file is not valid UTF-8 text: byte ") + hex + " cannot appear here";
        d.hint = "save the file as UTF-8";
        d.where = {file, static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column), 1};
        return false;
      }
    }
    if (b == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
  return true;
}

}  // namespace

ast::File parse(std::string_view text, std::uint32_t file, const Limits& limits,
                std::vector<Diagnostic>& diagnostics) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark
  Diagnostic bad;
  if (!check_text(text, file, bad)) {
    diagnostics.push_back(std::move(bad));
    return {};
  }
  ParserState st(text, file, limits, diagnostics);
  tao::pegtl::memory_input<tao::pegtl::tracking_mode::eager, tao::pegtl::eol::lf_crlf> in(
      text.data(), text.data() + text.size(), "");
  try {
    tao::pegtl::parse<grammar::file, actions::action, grammar::control>(in, st);
  } catch (const tao::pegtl::parse_error& e) {
    try {
      st.report(e);
    } catch (const TooManyDiagnostics&) {
    }
  } catch (const TooManyDiagnostics&) {
    Diagnostic d;
    d.code = "P0005";
    d.message = "too many problems; stopped after " + std::to_string(limits.max_diagnostics);
    d.where = diagnostics.empty() ? model::SourceRef{file, 0, 0, 0} : diagnostics.back().where;
    diagnostics.push_back(std::move(d));
  }
  return std::move(st.file);
}

}  // namespace askonce::dsl
