// renderers/pdf.cpp: the paper form and the receipt as PDF, drawn with libharu.
//
// Layout is a flow of blocks: each block knows its height before it is drawn, so a question
// is never split from its answer area, and a long one (a list of options) breaks between
// rows. Pages are kept open until the flow ends; then every page gets its footer ("Page N of
// M", the form's id and version), so no second layout pass is needed. The paper form's pages
// also get their code (engine/paper_code.hpp) as a QR code with its text under it, and the
// first page its OMB number; the flow stops higher on those pages to leave the code room.
//
// Text goes to libharu only through Pdf::text(), which draws with a CID TrueType font
// (Identity-H): libharu writes every string as hex glyph ids, so nothing a form or a citizen
// writes ("(", ")", "\", "<script>") is ever read as PDF syntax. Control characters become
// spaces there, and code points the font cannot reach become U+FFFD, with a warning.
#include "renderers/pdf.hpp"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/paper_code.hpp"
#include "engine/plan.hpp"
#include "engine/utf8.hpp"
#include "engine/value.hpp"
#include "renderers/wording.hpp"
#include "renderers/wrap.hpp"

namespace askonce::renderers {
namespace {

// ---------------------------------------------------------------------------------------------
// Geometry, in PDF points (1/72 inch), on US Letter.

constexpr float page_width = 612;
constexpr float page_height = 792;
constexpr float margin = 54;                        // 3/4 inch on every side
constexpr float left = margin;
constexpr float right = page_width - margin;
constexpr float top = page_height - margin;         // where the flow starts on every page
constexpr float bottom = 72;                        // the flow stops above the footer
constexpr float footer_baseline = 36;
// The paper form's page code (engine/paper_code.hpp): a QR code at the foot of every page, on
// the right, its text in small print under it; the flow stops above it on those pages.
constexpr float code_module = 1.5f;                 // one QR module: 3 pixels at 144 dpi
constexpr float code_bottom = 60;                   // the QR code's lower edge
constexpr float code_text_baseline = 50;
constexpr float code_max_size = 37 * code_module;   // version 5 at most (37 modules)
constexpr float paper_bottom = code_bottom + code_max_size + 8;
constexpr float column = 32;                        // question text starts here, after "112."
constexpr float body_left = left + column;

constexpr float cell_width = 16;                    // one character box
constexpr float cell_height = 20;
constexpr float tick_size = 10;                     // a box to tick
constexpr float write_line = 22;                    // height of one handwriting line

/// Options of a choice beyond this many are written in, not listed (a list of 250 countries
/// would fill five pages).
constexpr std::size_t max_listed_options = 40;
/// Blank copies of a repeat printed: min(max, this), raised to its `min`.
constexpr std::uint32_t repeat_copies = 3;

// DejaVu Sans (fonts-dejavu-core). Searched in this order.
constexpr std::array<const char*, 2> font_dirs = {"/usr/share/fonts/truetype/dejavu/",
                                                  "/usr/local/share/fonts/truetype/dejavu/"};

enum class Face : std::uint8_t { Regular, Bold, Italic };

struct Font {
  Face face = Face::Regular;
  float size = 10;
  float leading() const { return std::round(size * 1.3f * 2) / 2; }
};

constexpr Font title_font{Face::Bold, 18};
constexpr Font heading_font{Face::Bold, 12};
constexpr Font label_font{Face::Bold, 10.5f};
constexpr Font body_font{Face::Regular, 10};
constexpr Font help_font{Face::Regular, 9};
constexpr Font instruction_font{Face::Italic, 9};
constexpr Font skip_font{Face::Bold, 9};
constexpr Font small_font{Face::Regular, 7.5f};
constexpr Font footer_font{Face::Regular, 8};
constexpr Font code_font{Face::Regular, 6.5f};
constexpr Font omb_font{Face::Bold, 8};

constexpr float help_gray = 0.25f;

// ---------------------------------------------------------------------------------------------
// libharu

/// A libharu document with DejaVu Sans embedded in three faces. Errors are recorded (the first
/// one wins) rather than thrown: libharu is C, and an exception must not cross it.
class Pdf {
 public:
  Pdf() {
    doc_ = HPDF_New(&Pdf::on_error, this);
    if (doc_ == nullptr) return;
    HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc_);
    HPDF_SetCurrentEncoder(doc_, "UTF-8");  // Info strings (the title) in UTF-16, accents kept
    const char* files[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"};
    for (std::size_t i = 0; i < 3; ++i) {
      std::string path;
      for (const char* dir : font_dirs) {
        if (std::FILE* f = std::fopen((std::string(dir) + files[i]).c_str(), "rb")) {
          std::fclose(f);
          path = std::string(dir) + files[i];
          break;
        }
      }
      if (path.empty()) {
        missing_font_ = files[i];
        return;
      }
      const char* name = HPDF_LoadTTFontFromFile(doc_, path.c_str(), HPDF_TRUE);
      fonts_[i] = name != nullptr ? HPDF_GetFont(doc_, name, "UTF-8") : nullptr;
      if (fonts_[i] == nullptr) {
        missing_font_ = files[i];
        return;
      }
      replace_to_unicode(fonts_[i]);
    }
  }
  ~Pdf() {
    if (doc_ != nullptr) HPDF_Free(doc_);
  }
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  /// Empty when the fonts are loaded; otherwise the file that could not be.
  const std::string& missing_font() const { return missing_font_; }
  HPDF_STATUS error() const { return error_; }
  HPDF_STATUS error_detail() const { return detail_; }

  HPDF_Page add_page() {
    HPDF_Page page = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
    pages_.push_back(page);
    return page;
  }
  const std::vector<HPDF_Page>& pages() const { return pages_; }

  /// The width of `s` in `font`, in points (as it will be drawn: after printable()).
  float width(Font font, std::string_view s) {
    const std::string t = printable(s);
    if (t.empty()) return 0;
    const HPDF_TextWidth w =
        HPDF_Font_TextWidth(face(font.face), reinterpret_cast<const HPDF_BYTE*>(t.data()), static_cast<HPDF_UINT>(t.size()));
    return static_cast<float>(w.width) * font.size / 1000.0f;
  }

  /// The one place text reaches the PDF: `s` at (x, baseline) on `page`.
  void text(HPDF_Page page, float x, float baseline, Font font, std::string_view s, float gray = 0) {
    const std::string t = printable(s);
    if (t.empty()) return;
    HPDF_Page_SetGrayFill(page, gray);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, face(font.face), font.size);
    HPDF_Page_TextOut(page, x, baseline, t.c_str());
    HPDF_Page_EndText(page);
    HPDF_Page_SetGrayFill(page, 0);
  }

  /// True when some text had code points the font's encoding cannot reach (beyond U+FFFF).
  bool replaced_characters() const { return replaced_; }

  void set_info(std::string_view title, std::string_view language, std::string_view received) {
    HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, printable(title).c_str());
    HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "askonce");
    // The document's language, for screen readers and text extraction (PDF 1.4 /Lang).
    if (!language.empty()) {
      const std::string lang = printable(language);
      HPDF_Dict_Add(doc_->catalog, "Lang", HPDF_String_New(doc_->mmgr, lang.c_str(), nullptr));
    }
    // "YYYY-MM-DDTHH:MM:SSZ": a receipt is dated when the application was received, so the
    // same receipt always has the same bytes. A blank form has no date at all.
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(std::string(received).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) == 6 &&
        mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 59) {
      HPDF_Date date{y, mo, d, h, mi, s, 'Z', 0, 0};
      HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
    }
  }

  std::string save() {
    std::string out;
    if (HPDF_SaveToStream(doc_) != HPDF_OK) return out;
    HPDF_ResetStream(doc_);
    for (;;) {
      HPDF_BYTE buffer[8192];
      HPDF_UINT32 size = sizeof buffer;
      const HPDF_STATUS st = HPDF_ReadFromStream(doc_, buffer, &size);
      out.append(reinterpret_cast<const char*>(buffer), size);
      if (st != HPDF_OK) break;  // HPDF_STREAM_EOF after the last bytes
    }
    return out;
  }

 private:
  static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* self = static_cast<Pdf*>(user);
    if (self->error_ == 0) {
      self->error_ = error;
      self->detail_ = detail;
    }
  }

  HPDF_Font face(Face f) const { return fonts_[static_cast<std::size_t>(f)]; }

  /// Rewrites the font's ToUnicode map, which Debian's libharu 2.3.0 writes as an encoding
  /// CMap (`begincidrange`, a CMap of type 1): poppler warns about every range and other
  /// viewers may copy the text out wrong. With Identity-H and libharu's UTF-8 encoder, a
  /// character code is the CID and the CID is the code point (BMP only: printable() keeps it
  /// there), so the right map is the identity, written as `bfrange`s that never cross a high
  /// byte, surrogates left out. The stream is libharu's own (FontAttr::cmap_stream): its data
  /// is replaced and the keys that only an encoding CMap has are removed, so the font
  /// dictionary and the stream's compression stay libharu's. Done through libharu's API
  /// rather than by rewriting the saved file (qpdf), because the stream is ours to fill
  /// before the document is written, and nothing else about the file needs repair.
  static void replace_to_unicode(HPDF_Font font) {
    auto* attr = static_cast<HPDF_FontAttr>(font->attr);
    if (attr == nullptr || attr->cmap_stream == nullptr || attr->cmap_stream->stream == nullptr) return;
    HPDF_Dict cmap = attr->cmap_stream;
    // libharu's CreateCMap writes all four (hpdf_font_cid.c).
    for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) HPDF_Dict_RemoveElement(cmap, key);
    std::string text =
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    std::vector<unsigned> highs;
    for (unsigned high = 0; high <= 0xFF; ++high) {
      if (high < 0xD8 || high > 0xDF) highs.push_back(high);
    }
    // At most 100 entries per block (the CMap specification's limit).
    for (std::size_t i = 0; i < highs.size(); i += 100) {
      const std::size_t n = std::min<std::size_t>(100, highs.size() - i);
      text += std::to_string(n) + " beginbfrange\n";
      for (std::size_t k = i; k < i + n; ++k) {
        char line[40];
        std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
        text += line;
      }
      text += "endbfrange\n";
    }
    text +=
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n";
    HPDF_MemStream_FreeData(cmap->stream);
    HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()), static_cast<HPDF_UINT>(text.size()));
  }

  /// Text as libharu may draw it: valid UTF-8 of the Basic Multilingual Plane with no control
  /// characters (libharu's UTF-8 encoder drops what lies beyond U+FFFF, and a NUL would end
  /// the C string early).
  std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
      char32_t c = utf8::next(s, i);
      if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
        c = ' ';
      } else if (c > 0xFFFF) {
        c = 0xFFFD;
        replaced_ = true;
      }
      utf8::append(out, c);
    }
    return out;
  }

  HPDF_Doc doc_ = nullptr;
  std::array<HPDF_Font, 3> fonts_{};
  std::vector<HPDF_Page> pages_;
  std::string missing_font_;
  HPDF_STATUS error_ = 0;
  HPDF_STATUS detail_ = 0;
  bool replaced_ = false;
};

/// Drawing on one page.
struct Canvas {
  Pdf& pdf;
  HPDF_Page page;

  void text(float x, float baseline, Font f, std::string_view s, float gray = 0) { pdf.text(page, x, baseline, f, s, gray); }
  void text_right(float x_right, float baseline, Font f, std::string_view s, float gray = 0) {
    text(x_right - pdf.width(f, s), baseline, f, s, gray);
  }
  void box(float x, float y, float w, float h, float line = 0.75f) {
    HPDF_Page_SetLineWidth(page, line);
    HPDF_Page_Rectangle(page, x, y, w, h);
    HPDF_Page_Stroke(page);
  }
  void fill(float x, float y, float w, float h, float gray) {
    HPDF_Page_SetGrayFill(page, gray);
    HPDF_Page_Rectangle(page, x, y, w, h);
    HPDF_Page_Fill(page);
    HPDF_Page_SetGrayFill(page, 0);
  }
  void line(float x1, float y1, float x2, float y2, float width = 0.5f) {
    HPDF_Page_SetLineWidth(page, width);
    HPDF_Page_MoveTo(page, x1, y1);
    HPDF_Page_LineTo(page, x2, y2);
    HPDF_Page_Stroke(page);
  }
  /// `n` character boxes in a row, their top at `top`: one frame, thin dividers.
  void cells(float x, float top, int n) {
    box(x, top - cell_height, cell_width * static_cast<float>(n), cell_height, 0.75f);
    for (int i = 1; i < n; ++i) {
      const float cx = x + cell_width * static_cast<float>(i);
      line(cx, top - cell_height, cx, top, 0.4f);
    }
  }
  void tick_box(float x, float top) { box(x, top - tick_size, tick_size, tick_size, 0.75f); }
};

// ---------------------------------------------------------------------------------------------
// The flow

/// A piece of a page drawn as one. `draw` gets the canvas and the block's top.
struct Block {
  float height = 0;
  std::function<void(Canvas&, float)> draw;
  bool keep_with_next = false;  // never the last block on a page when the next one follows
};

class Flow {
 public:
  /// `floor`: where the flow stops on every page (above the footer, and the page code).
  explicit Flow(Pdf& pdf, float floor = bottom) : pdf_(pdf), bottom_(floor) {}

  Pdf& pdf() { return pdf_; }

  /// Places blocks in order, starting a page when the next block (with those it keeps with)
  /// does not fit in what is left of this one.
  void add(const std::vector<Block>& blocks) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      float chain = 0;
      for (std::size_t j = i; j < blocks.size(); ++j) {
        chain += blocks[j].height;
        if (!blocks[j].keep_with_next) break;
      }
      if (page_ == nullptr) new_page();
      const float room = y_ - bottom_;
      const float full = top - bottom_;
      if (y_ < top && ((chain > room && chain <= full) || blocks[i].height > room)) new_page();
      Canvas canvas{pdf_, page_};
      if (blocks[i].draw) blocks[i].draw(canvas, y_);
      y_ -= blocks[i].height;
    }
  }
  void add(Block b) { add(std::vector<Block>{std::move(b)}); }
  void space(float h) {
    if (page_ != nullptr && y_ < top) y_ = std::max(bottom_, y_ - h);
  }
  void new_page() {
    page_ = pdf_.add_page();
    y_ = top;
  }

 private:
  Pdf& pdf_;
  float bottom_;
  HPDF_Page page_ = nullptr;
  float y_ = top;
};

/// Lines of `text` that fit `width` points in `font`: the shared wrap engine, measuring each
/// line in the font.
std::vector<std::string> wrap_to(Pdf& pdf, Font font, std::string_view text, float width) {
  return wrap_lines(text, width, [&](std::string_view s) { return static_cast<double>(pdf.width(font, s)); });
}

/// A paragraph: one block per line, each kept with the next so that short paragraphs do not
/// split; `keep_last` keeps the last line with what follows.
std::vector<Block> paragraph(Pdf& pdf, Font font, std::string_view text, float x, float width, bool keep_last,
                             float gray = 0) {
  std::vector<Block> out;
  for (auto& l : wrap_to(pdf, font, text, width)) {
    out.push_back({font.leading(), [font, x, gray, l = std::move(l)](Canvas& c, float y) {
                     c.text(x, y - font.size, font, l, gray);
                   },
                   true});
  }
  if (!out.empty()) out.back().keep_with_next = keep_last;
  return out;
}

void append(std::vector<Block>& to, std::vector<Block> more) {
  for (auto& b : more) to.push_back(std::move(b));
}

Block gap(float h, bool keep = false) { return {h, nullptr, keep}; }

/// A shaded bar with a heading in white: a part of the form, a part of the receipt.
std::vector<Block> bar(Pdf& pdf, std::string_view text) {
  std::vector<Block> out;
  const auto lines = wrap_to(pdf, heading_font, text, right - left - 12);
  const float h = heading_font.leading() * static_cast<float>(lines.size()) + 8;
  out.push_back({h, [lines](Canvas& c, float y) {
                   const float h2 = heading_font.leading() * static_cast<float>(lines.size()) + 8;
                   c.fill(left, y - h2, right - left, h2, 0.2f);
                   float base = y - 4 - heading_font.size;
                   for (const auto& l : lines) {
                     c.text(left + 6, base, heading_font, l, 1);
                     base -= heading_font.leading();
                   }
                 },
                 true});
  out.push_back(gap(10, true));
  return out;
}

/// A framed box of paragraphs (heading in bold, then text).
std::vector<Block> framed(Pdf& pdf, std::string_view heading, const std::vector<std::string>& paragraphs,
                          const std::vector<std::string>& bullets = {}) {
  const float inner = right - left - 16;
  std::vector<std::pair<Font, std::string>> lines;
  for (auto& l : wrap_to(pdf, label_font, heading, inner)) lines.emplace_back(label_font, std::move(l));
  for (const auto& p : paragraphs) {
    for (auto& l : wrap_to(pdf, body_font, p, inner)) lines.emplace_back(body_font, std::move(l));
  }
  for (const auto& p : bullets) {
    auto wrapped = wrap_to(pdf, body_font, p, inner - 12);
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
      lines.emplace_back(body_font, (i == 0 ? "•\t" : "\t") + wrapped[i]);
    }
  }
  float h = 16;
  for (const auto& [f, l] : lines) h += f.leading();
  return {{h, [lines, h](Canvas& c, float y) {
             c.box(left, y - h, right - left, h, 0.75f);
             float base = y - 8;
             for (const auto& [f, l] : lines) {
               base -= f.leading();
               // "\t" marks a bullet's hanging indent (tabs never reach the PDF as text).
               if (const auto tab = l.find('\t'); tab != std::string::npos) {
                 if (tab > 0) c.text(left + 8, base + f.leading() - f.size - 1, f, l.substr(0, tab));
                 c.text(left + 20, base + f.leading() - f.size - 1, f, l.substr(tab + 1));
               } else {
                 c.text(left + 8, base + f.leading() - f.size - 1, f, l);
               }
             }
           },
           false},
          gap(12)};
}

// ---------------------------------------------------------------------------------------------
// The paper form

/// How to fill the paper form in, in the form's language.
std::vector<std::string> paper_instructions(const Wording& w) {
  return {std::string(w.ui(Ui::PaperInk)),           std::string(w.ui(Ui::PaperCapitals)),
          w.ui(Ui::PaperTick, {"☒"}),                  std::string(w.ui(Ui::PaperAnswerAll)),
          std::string(w.ui(Ui::PaperFollowSkips)),     std::string(w.ui(Ui::PaperKeepCopy))};
}

/// Blank entries of a repeat printed in all, inline and on continuation pages: its `max`, up to
/// this many (beyond it, "attach a sheet").
constexpr std::uint32_t max_paper_entries = 100;

class PaperForm {
 public:
  PaperForm(Flow& flow, const Wording& w, PaperWords paper)
      : flow_(flow), pdf_(flow.pdf()), w_(w), form_(w.form()), paper_(std::move(paper)) {}

  void draw() {
    std::vector<Block> head;
    append(head, paragraph(pdf_, title_font, w_.title(), left, right - left, true));
    head.push_back(gap(4));
    if (!w_.description().empty()) append(head, paragraph(pdf_, body_font, w_.description(), left, right - left, false));
    head.push_back(gap(10));
    flow_.add(head);
    where_to_send();
    if (!w_.standard().empty()) flow_.add(framed(pdf_, w_.ui(Ui::WhatHappensNext), {std::string(w_.standard())}));
    flow_.add(framed(pdf_, w_.ui(Ui::Instructions), {}, paper_instructions(w_)));

    // The declaration is signed where its last part ends: after the last section that holds a
    // top-level `attest`.
    std::size_t signed_section = w_.sections().size();
    for (std::size_t i = 0; i < w_.sections().size(); ++i) {
      for (const model::FieldId f : w_.sections()[i].fields) {
        if (form_.fields[f].kind == model::Kind::Attest) signed_section = i;
      }
    }
    const auto count = std::to_string(w_.sections().size());
    for (std::size_t i = 0; i < w_.sections().size(); ++i) {
      const auto& s = w_.sections()[i];
      flow_.space(4);
      std::vector<Block> blocks = bar(pdf_, w_.ui(Ui::SectionN, {std::to_string(s.number), count, s.title}));
      for (const model::FieldId f : s.fields) item(f, blocks, 1);
      if (i == signed_section) signature(blocks);
      flow_.add(blocks);
    }
    continuation_pages();
    notices();
  }

 private:
  /// One field of the tree, appended to `out` (the blocks of the current section). `copy` is
  /// the repeat entry being drawn (1-based; 1 outside repeats).
  void item(model::FieldId id, std::vector<Block>& out, std::uint32_t copy) {
    const model::Field& f = form_.fields[id];
    const FieldWords& fw = w_.field(id);
    switch (f.kind) {
      case model::Kind::Member: return;  // no question: never on paper
      case model::Kind::Note: note(fw, out); return;
      case model::Kind::Group:
        if (fw.conditional && !fw.answer_only_if.empty()) {
          append(out, paragraph(pdf_, instruction_font, fw.answer_only_if, left, right - left, true));
          out.push_back(gap(4, true));
        }
        for (const model::FieldId c : f.children) item(c, out, copy);
        return;
      case model::Kind::Repeat: repeat(f, fw, out); return;
      default: break;
    }
    if (f.computed || fw.number == 0) return;  // nobody writes a computed value on paper
    question(f, fw, out);
  }

  void note(const FieldWords& fw, std::vector<Block>& out) {
    std::vector<Block> text;
    if (fw.conditional && !fw.answer_only_if.empty()) {
      append(text, paragraph(pdf_, instruction_font, fw.answer_only_if, left + 8, right - left - 16, true));
    }
    append(text, paragraph(pdf_, body_font, fw.label, left + 8, right - left - 16, true));
    // A gray rule down the left side marks information, not a question.
    float h = 0;
    for (const auto& b : text) h += b.height;
    out.push_back({0, [h](Canvas& c, float y) { c.fill(left, y - h, 3, h, 0.6f); }, true});
    append(out, std::move(text));
    out.push_back(gap(12));
  }

  void repeat(const model::Field& f, const FieldWords& fw, std::vector<Block>& out) {
    std::uint32_t copies = repeat_copies;
    const auto max = engine::count_bound(f.max);
    if (max) copies = static_cast<std::uint32_t>(std::min<std::uint64_t>(copies, *max));
    if (const auto n = engine::count_bound(f.min)) copies = static_cast<std::uint32_t>(std::min<std::uint64_t>(1000, std::max<std::uint64_t>(copies, *n)));
    copies = std::max<std::uint32_t>(copies, 1);
    // As many entries as the form allows: those beyond the first on continuation pages at the
    // end (a repeat inside a repeat keeps its inline entries and "attach a sheet").
    std::uint32_t total = copies;
    if (max && depth_ == 0) total = std::max(copies, static_cast<std::uint32_t>(std::min<std::uint64_t>(*max, max_paper_entries)));
    const bool continued = total > copies;
    if (continued) continuations_.push_back({field_id(f), copies + 1, total});
    const bool attach = !max || *max > total;

    append(out, paragraph(pdf_, label_font, fw.label, left, right - left, true));
    if (fw.conditional && !fw.answer_only_if.empty()) {
      append(out, paragraph(pdf_, instruction_font, fw.answer_only_if, left, right - left, true));
    }
    for (const auto* t : {&fw.hint, &fw.bounds}) {
      if (!t->empty()) append(out, paragraph(pdf_, help_font, *t, left, right - left, true, help_gray));
    }
    if (continued) {
      append(out, paragraph(pdf_, help_font, w_.ui(Ui::ContinuationLater, {std::to_string(copies + 1), std::to_string(total)}),
                            left, right - left, true, help_gray));
    }
    if (attach) append(out, paragraph(pdf_, help_font, w_.ui(Ui::ContinuationSheet), left, right - left, true, help_gray));
    out.push_back(gap(6, true));
    ++depth_;
    for (std::uint32_t k = 1; k <= copies; ++k) {
      entry_heading(out, w_.ui(Ui::EntryN, {fw.label, std::to_string(k)}));
      for (const model::FieldId c : f.children) item(c, out, k);
    }
    --depth_;
  }

  void entry_heading(std::vector<Block>& out, std::string heading) {
    out.push_back({18, [heading = std::move(heading)](Canvas& c, float y) {
                     c.fill(left, y - 15, right - left, 15, 0.88f);
                     c.text(left + 6, y - 11.5f, label_font, heading);
                   },
                   true});
    out.push_back(gap(6, true));
  }

  model::FieldId field_id(const model::Field& f) const {
    return static_cast<model::FieldId>(&f - form_.fields.data());
  }

  /// The first question asked inside `id` (a repeat's first numbered field), or 0.
  std::uint32_t first_question(model::FieldId id) const {
    if (w_.field(id).number > 0) return w_.field(id).number;
    for (const model::FieldId c : form_.fields[id].children) {
      if (const auto n = first_question(c)) return n;
    }
    return 0;
  }

  /// The entries of repeats beyond those printed inline, each headed "Continuation of question
  /// 22: Person 4 of 10", starting on a page of their own after the last part.
  void continuation_pages() {
    if (continuations_.empty()) return;
    flow_.new_page();
    flow_.add(bar(pdf_, w_.ui(Ui::ContinuationPages)));
    for (const auto& cont : continuations_) {
      const model::Field& f = form_.fields[cont.repeat];
      const FieldWords& fw = w_.field(cont.repeat);
      const std::string question = std::to_string(first_question(cont.repeat));
      const std::string of = std::to_string(cont.to);
      ++depth_;
      for (std::uint32_t k = cont.from; k <= cont.to; ++k) {
        std::vector<Block> blocks;
        entry_heading(blocks, w_.ui(Ui::ContinuationOf, {question, fw.label, std::to_string(k), of}));
        for (const model::FieldId c : f.children) item(c, blocks, k);
        flow_.add(blocks);
      }
      --depth_;
    }
  }

  /// Where to send the form and whom to call: on the first page, and again at the end.
  void where_to_send() {
    std::vector<std::string> lines;
    if (!paper_.mail_to.empty()) {
      lines.emplace_back(w_.ui(Ui::PaperMailTo));
      for (const auto& l : paper_.mail_to) lines.push_back(l);
    }
    if (!paper_.help.empty()) lines.push_back(paper_.help);
    if (!lines.empty()) flow_.add(framed(pdf_, w_.ui(Ui::PaperWhereToSend), lines));
  }

  /// The notices federal forms print at their end (Privacy Act, Paperwork Reduction Act), then
  /// where to send the form, so that the last page says it too.
  void notices() {
    if (!paper_.privacy.empty() || !paper_.burden.empty()) {
      flow_.space(4);
      flow_.add(bar(pdf_, w_.ui(Ui::PaperNotices)));
      if (!paper_.privacy.empty()) flow_.add(framed(pdf_, w_.ui(Ui::PaperPrivacyAct), {paper_.privacy}));
      if (!paper_.burden.empty()) {
        std::vector<std::string> burden{paper_.burden};
        if (!paper_.omb.empty()) burden.push_back(paper_.omb_expires.empty() ? paper_.omb : paper_.omb + ". " + paper_.omb_expires + ".");
        flow_.add(framed(pdf_, w_.ui(Ui::PaperBurdenTitle), burden));
      }
    }
    where_to_send();
  }

  /// Lines to sign and date the declaration: a signature line, and the date in boxes.
  void signature(std::vector<Block>& out) {
    out.back().keep_with_next = true;
    append(out, paragraph(pdf_, help_font, w_.ui(Ui::PaperSignHere), body_left, right - body_left, true, help_gray));
    out.push_back(gap(14, true));
    const std::string sign(w_.ui(Ui::Signature)), date_word(w_.ui(Ui::Date));
    const std::array<std::string, 3> parts{std::string(w_.ui(Ui::Month)), std::string(w_.ui(Ui::Day)),
                                           std::string(w_.ui(Ui::Year))};
    const float date_x = right - (cell_width * 8 + 28);
    out.push_back({cell_height + 16, [sign, date_word, parts, date_x](Canvas& c, float y) {
                     c.line(body_left, y - cell_height, date_x - 24, y - cell_height, 0.75f);
                     c.text(body_left, y - cell_height - 10, small_font, sign, help_gray);
                     const int groups[] = {2, 2, 4};
                     float cx = date_x;
                     for (std::size_t i = 0; i < 3; ++i) {
                       if (i > 0) {
                         c.text(cx + 3, y - 15, body_font, "/");
                         cx += 14;
                       }
                       c.cells(cx, y, groups[i]);
                       c.text(cx, y - cell_height - 10, small_font, i == 0 ? date_word + " – " + parts[0] : parts[i], help_gray);
                       cx += cell_width * static_cast<float>(groups[i]);
                     }
                   },
                   false});
    out.push_back(gap(12));
  }

  /// The number, the label and what is said around it, then the answer area, then skips.
  void question(const model::Field& f, const FieldWords& fw, std::vector<Block>& out) {
    const float width = right - body_left;
    const std::string number = std::to_string(fw.number) + ".";
    if (f.kind == model::Kind::Attest) {
      // The citizen ticks the statement itself.
      auto lines = wrap_to(pdf_, label_font, fw.label, width - tick_size - 8);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        out.push_back({label_font.leading(), [i, number, l = lines[i]](Canvas& c, float y) {
                         if (i == 0) {
                           c.text(left, y - label_font.size, label_font, number);
                           c.tick_box(body_left, y - 1);
                         }
                         c.text(body_left + tick_size + 8, y - label_font.size, label_font, l);
                       },
                       true});
      }
    } else {
      auto lines = wrap_to(pdf_, label_font, fw.label, width);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        out.push_back({label_font.leading(), [i, number, l = lines[i]](Canvas& c, float y) {
                         if (i == 0) c.text(left, y - label_font.size, label_font, number);
                         c.text(body_left, y - label_font.size, label_font, l);
                       },
                       true});
      }
    }
    if (fw.conditional && !fw.answer_only_if.empty()) {
      append(out, paragraph(pdf_, instruction_font, fw.answer_only_if, body_left, width, true));
    }
    // As the web page and the phone script do: a question that may be left blank says so, or
    // says when it is needed; the instructions say that every other one must be answered.
    if (!fw.required && !fw.required_citizen.empty()) {
      append(out, paragraph(pdf_, instruction_font, fw.required_citizen, body_left, width, true));
    }
    if (!fw.hint.empty()) append(out, paragraph(pdf_, help_font, fw.hint, body_left, width, true, help_gray));
    if (!fw.bounds.empty()) append(out, paragraph(pdf_, help_font, fw.bounds, body_left, width, true, help_gray));
    // The rules of one alternative (`... if EXPR`): on paper nothing hides them, so each says
    // when it applies ("If the answer to question 7 is “USA”: ..."). The paper form prints no
    // other checks: they are said on the web and by the agent, and checked when keyed.
    for (const auto& c : fw.checks) {
      if (c.only_if) append(out, paragraph(pdf_, help_font, c.text, body_left, width, true, help_gray));
    }
    if ((f.kind == model::Kind::Choice || f.kind == model::Kind::Choices) && fw.options.size() <= max_listed_options) {
      append(out, paragraph(pdf_, help_font, w_.ui(f.kind == model::Kind::Choices ? Ui::PaperTickAll : Ui::PaperTickOne),
                            body_left, width, true, help_gray));
    }
    out.push_back(gap(4, true));
    answer_area(f, fw, out);
    for (const auto& s : fw.skips) {
      out.back().keep_with_next = true;
      out.push_back(gap(2, true));
      append(out, paragraph(pdf_, skip_font, "→ " + s.text, body_left, width, true));
    }
    out.back().keep_with_next = false;
    out.push_back(gap(12));
  }

  void answer_area(const model::Field& f, const FieldWords& fw, std::vector<Block>& out) {
    using model::Kind;
    const float width = right - body_left;
    switch (f.kind) {
      case Kind::Ssn: out.push_back(combs(body_left, {3, 2, 4}, "–")); return;
      case Kind::Ein: out.push_back(combs(body_left, {2, 7}, "–")); return;
      case Kind::Zip: out.push_back(combs(body_left, {5, 4}, "–")); return;
      case Kind::Date: out.push_back(date(body_left)); return;
      case Kind::LongText:
        for (int i = 0; i < 4; ++i) out.push_back(lines_block(body_left, right, i < 3));
        return;
      case Kind::Integer:
      case Kind::Decimal: out.push_back(lines_block(body_left, body_left + 160, false)); return;
      case Kind::Money:
        out.push_back({write_line, [](Canvas& c, float y) {
                         c.text(body_left, y - write_line + 4, body_font, "$");
                         c.line(body_left + 10, y - write_line + 2, body_left + 170, y - write_line + 2);
                       },
                       false});
        return;
      case Kind::Phone: out.push_back(lines_block(body_left, body_left + 220, false)); return;
      case Kind::YesNo: {
        const std::string yes(w_.ui(Ui::Yes)), no(w_.ui(Ui::No));
        // `unanswered`: a third box, so that leaving it unanswered is a choice on paper too.
        const float third = body_left + 180;
        const auto lines = fw.unanswered.empty()
                               ? std::vector<std::string>{}
                               : wrap_to(pdf_, body_font, fw.unanswered, right - third - tick_size - 6);
        const float height = 16 + (lines.size() > 1 ? body_font.leading() * static_cast<float>(lines.size() - 1) : 0);
        out.push_back({height, [yes, no, third, lines](Canvas& c, float y) {
                         c.tick_box(body_left, y - 2);
                         c.text(body_left + tick_size + 6, y - 11, body_font, yes);
                         c.tick_box(body_left + 90, y - 2);
                         c.text(body_left + 90 + tick_size + 6, y - 11, body_font, no);
                         if (lines.empty()) return;
                         c.tick_box(third, y - 2);
                         for (std::size_t i = 0; i < lines.size(); ++i) {
                           c.text(third + tick_size + 6, y - 11 - body_font.leading() * static_cast<float>(i), body_font, lines[i]);
                         }
                       },
                       false});
        return;
      }
      case Kind::Choice:
      case Kind::Choices: options(fw, body_left, width, out); return;
      case Kind::Address: address(f, out); return;
      case Kind::Name: name(f, out); return;
      case Kind::Attest: out.push_back(gap(2)); return;
      default: out.push_back(lines_block(body_left, right, false)); return;
    }
  }

  static Block lines_block(float x1, float x2, bool keep) {
    return {write_line, [x1, x2](Canvas& c, float y) { c.line(x1, y - write_line + 2, x2, y - write_line + 2); }, keep};
  }

  /// Groups of character boxes joined by `sep` ("–" for SSN, "/" for dates).
  static Block combs(float x, std::vector<int> groups, std::string sep) {
    return {cell_height + 4, [x, groups, sep](Canvas& c, float y) {
              float cx = x;
              for (std::size_t i = 0; i < groups.size(); ++i) {
                if (i > 0) {
                  c.text(cx + 3, y - 15, body_font, sep);
                  cx += 14;
                }
                c.cells(cx, y, groups[i]);
                cx += cell_width * static_cast<float>(groups[i]);
              }
            },
            false};
  }

  Block date(float x) {
    const std::array<std::string, 3> names{std::string(w_.ui(Ui::Month)), std::string(w_.ui(Ui::Day)),
                                           std::string(w_.ui(Ui::Year))};
    return {cell_height + 14, [x, names](Canvas& c, float y) {
              const int groups[] = {2, 2, 4};
              float cx = x;
              for (std::size_t i = 0; i < 3; ++i) {
                if (i > 0) {
                  c.text(cx + 3, y - 15, body_font, "/");
                  cx += 14;
                }
                c.cells(cx, y, groups[i]);
                c.text(cx, y - cell_height - 9, small_font, names[i], help_gray);
                cx += cell_width * static_cast<float>(groups[i]);
              }
            },
            false};
  }

  /// Lettered options with boxes to tick, in up to three columns when they are many and short;
  /// written in on a line when there are too many to list.
  void options(const FieldWords& fw, float x, float width, std::vector<Block>& out) {
    if (fw.options.size() > max_listed_options) {
      out.push_back(lines_block(x, std::min(right, x + 300), false));
      return;
    }
    float widest = 0;
    for (const auto& o : fw.options) widest = std::max(widest, pdf_.width(body_font, o.letter + "  " + o.label));
    const float cell = tick_size + 6 + widest + 16;
    // Short options share a row; a long list takes two columns even when its labels wrap.
    std::size_t columns = 1;
    if (fw.options.size() > 6) columns = std::clamp<std::size_t>(static_cast<std::size_t>(width / cell), 1, 3);
    if (fw.options.size() > 12) columns = std::max<std::size_t>(columns, 2);
    const std::size_t rows = (fw.options.size() + columns - 1) / columns;
    const float col_width = width / static_cast<float>(columns);
    const float text_width = col_width - tick_size - 6 - 8;
    // Row r holds options r, r + rows, r + 2 rows: down the first column, then the next.
    for (std::size_t r = 0; r < rows; ++r) {
      struct Cell {
        float x;
        std::string letter;
        std::vector<std::string> lines;
      };
      std::vector<Cell> cells;
      std::size_t height_lines = 1;
      for (std::size_t k = 0; k < columns; ++k) {
        const std::size_t i = r + k * rows;
        if (i >= fw.options.size()) break;
        const auto& o = fw.options[i];
        Cell cell_text{x + col_width * static_cast<float>(k), o.letter,
                       wrap_to(pdf_, body_font, o.label, text_width - 18)};
        height_lines = std::max(height_lines, cell_text.lines.size());
        cells.push_back(std::move(cell_text));
      }
      const float h = body_font.leading() * static_cast<float>(height_lines) + 4;
      out.push_back({h, [cells](Canvas& c, float y) {
                       for (const auto& cell : cells) {
                         c.tick_box(cell.x, y - 2);
                         c.text(cell.x + tick_size + 6, y - 11, label_font, cell.letter);
                         float base = y - 11;
                         for (const auto& l : cell.lines) {
                           c.text(cell.x + tick_size + 24, base, body_font, l);
                           base -= body_font.leading();
                         }
                       }
                     },
                     r + 1 < rows && (rows <= 6 || r < 2)});
    }
  }

  /// A labelled line (or boxes) for a part of a composite, in a row of parts.
  struct Part {
    std::string label;
    float x = 0;
    float width = 0;
    int cells = 0;         // character boxes instead of a line
    int cells_after = 0;   // a second group, after a dash (ZIP+4)
  };

  Block part_row(std::vector<Part> parts) {
    // Each label wraps under its own line or boxes ("Suffix (Jr., Sr., III)" under a short line).
    std::vector<std::vector<std::string>> labels;
    std::size_t most = 1;
    for (const auto& p : parts) {
      const float room = p.cells > 0 ? std::max(p.width, cell_width * static_cast<float>(p.cells)) : p.width;
      labels.push_back(wrap_to(pdf_, small_font, p.label, room));
      most = std::max(most, labels.back().size());
    }
    const float h = write_line + 4 + small_font.leading() * static_cast<float>(most);
    return {h, [parts, labels](Canvas& c, float y) {
              for (std::size_t i = 0; i < parts.size(); ++i) {
                const auto& p = parts[i];
                if (p.cells > 0) {
                  c.cells(p.x, y - 2, p.cells);
                  if (p.cells_after > 0) {
                    const float after = p.x + cell_width * static_cast<float>(p.cells);
                    c.text(after + 3, y - 17, body_font, "–");
                    c.cells(after + 14, y - 2, p.cells_after);
                  }
                } else {
                  c.line(p.x, y - write_line + 2, p.x + p.width, y - write_line + 2);
                }
                float base = y - write_line - 2 - small_font.size;
                for (const auto& l : labels[i]) {
                  c.text(p.x, base, small_font, l, help_gray);
                  base -= small_font.leading();
                }
              }
            },
            true};
  }

  std::string part_label(const model::Field& composite, std::string_view part) {
    for (const model::FieldId c : composite.children) {
      if (form_.fields[c].part == part) return w_.field(c).label;
    }
    return {};
  }

  bool has_part(const model::Field& composite, std::string_view part) {
    for (const model::FieldId c : composite.children) {
      if (form_.fields[c].part == part) return true;
    }
    return false;
  }

  void address(const model::Field& f, std::vector<Block>& out) {
    for (const char* p : {"street", "street2"}) {
      if (has_part(f, p)) out.push_back(part_row({{part_label(f, p), body_left, right - body_left}}));
    }
    std::vector<Part> row;
    const float zip_width = cell_width * 9 + 14;
    const float state_width = cell_width * 2;
    const float zip_x = right - zip_width;
    const float state_x = zip_x - 16 - state_width;
    if (has_part(f, "city")) row.push_back({part_label(f, "city"), body_left, state_x - 16 - body_left});
    if (has_part(f, "state")) row.push_back({part_label(f, "state"), state_x, state_width, 2});
    if (has_part(f, "zip")) row.push_back({part_label(f, "zip"), zip_x, zip_width, 5, 4});
    if (!row.empty()) out.push_back(part_row(std::move(row)));
    out.back().keep_with_next = false;
  }

  void name(const model::Field& f, std::vector<Block>& out) {
    // First, middle, last and suffix in one row, as names are written.
    const float total = right - body_left;
    const std::pair<const char*, float> parts[] = {{"first", 0.32f}, {"middle", 0.22f}, {"last", 0.34f}, {"suffix", 0.12f}};
    std::vector<Part> row;
    float x = body_left;
    for (const auto& [p, share] : parts) {
      const float w = total * share;
      if (has_part(f, p)) row.push_back({part_label(f, p), x, w - 10});
      x += w;
    }
    if (!row.empty()) out.push_back(part_row(std::move(row)));
    out.back().keep_with_next = false;
  }

  /// A repeat's entries left for the continuation pages.
  struct Continuation {
    model::FieldId repeat = model::no_field;
    std::uint32_t from = 0, to = 0;  // 1-based entry numbers
  };

  Flow& flow_;
  Pdf& pdf_;
  const Wording& w_;
  const model::Form& form_;
  PaperWords paper_;
  std::vector<Continuation> continuations_;
  int depth_ = 0;  // repeats around the item being drawn
};

/// The OMB control number, its expiry and the burden at the top right of the first page, in the
/// band above the flow, where federal forms print them.
void omb_header(Pdf& pdf, const PaperWords& paper) {
  if (pdf.pages().empty() || paper.omb.empty()) return;
  Canvas c{pdf, pdf.pages().front()};
  float base = page_height - margin + 26;
  for (const std::string* line : {&paper.omb, &paper.omb_expires, &paper.burden_short}) {
    if (line->empty()) continue;
    c.text_right(right, base, line == &paper.omb ? omb_font : footer_font, *line);
    base -= 9;
  }
}

// ---------------------------------------------------------------------------------------------
// The receipt and the answers

class AnswerSheet {
 public:
  AnswerSheet(Flow& flow, const Wording& w, std::string_view zone) : flow_(flow), pdf_(flow.pdf()), w_(w), zone_(zone) {}

  void draw(const engine::Plan& plan, const engine::Submission& submission, const ReceiptInfo* receipt) {
    std::vector<Block> head;
    const std::string_view kicker = receipt != nullptr ? w_.ui(Ui::Receipt) : w_.ui(Ui::CheckYourAnswers);
    append(head, paragraph(pdf_, label_font, kicker, left, right - left, true, help_gray));
    append(head, paragraph(pdf_, title_font, w_.title(), left, right - left, true));
    head.push_back(gap(6));
    if (receipt != nullptr) append(head, paragraph(pdf_, heading_font, w_.ui(Ui::ApplicationReceived), left, right - left, false));
    head.push_back(gap(8));
    flow_.add(head);

    if (receipt != nullptr) {
      const std::string received = receipt->received.empty() ? submission.received : receipt->received;
      flow_.add(reference_box(receipt->reference, w_.timestamp(received, zone_)));
      const std::vector<std::string> agencies = receipt_agency_lines(w_, *receipt);
      if (agencies.empty()) {
        flow_.add(framed(pdf_, w_.ui(Ui::AgenciesReceiving), {std::string(w_.ui(Ui::NoAgencies))}));
      } else {
        flow_.add(framed(pdf_, w_.ui(Ui::AgenciesReceiving), {}, agencies));
      }
      if (!w_.standard().empty()) flow_.add(framed(pdf_, w_.ui(Ui::WhatHappensNext), {std::string(w_.standard())}));
    }

    DescribeOptions options;
    options.mask_sensitive = true;  // a PDF is printed, mailed and forwarded
    const auto lines = describe_submission(plan, submission, w_, options);
    const auto count = std::to_string(w_.sections().size());
    std::vector<Block> blocks;
    for (const auto& line : lines) {
      switch (line.kind) {
        case AnswerLine::Kind::Section:
          flow_.add(blocks);
          blocks.clear();
          flow_.space(6);
          blocks = bar(pdf_, w_.ui(Ui::SectionN, {std::to_string(line.section + 1), count, line.label}));
          break;
        case AnswerLine::Kind::Entry: {
          const std::string label = line.label;
          const float indent = 12.0f * static_cast<float>(line.depth);
          blocks.push_back(gap(4, true));
          blocks.push_back({16, [label, indent](Canvas& c, float y) {
                              c.fill(left + indent, y - 14, right - left - indent, 14, 0.88f);
                              c.text(left + indent + 6, y - 10.5f, label_font, label);
                            },
                            true});
          blocks.push_back(gap(4, true));
          break;
        }
        case AnswerLine::Kind::Note:
          append(blocks, paragraph(pdf_, instruction_font, line.label, left, right - left, false));
          blocks.push_back(gap(6));
          break;
        case AnswerLine::Kind::Question:
        case AnswerLine::Kind::Computed: answer_row(line, blocks); break;
      }
    }
    flow_.add(blocks);
  }

 private:
  std::vector<Block> reference_box(const std::string& reference, const std::string& received) {
    const std::string ref_label(w_.ui(Ui::ReferenceNumber)), time_label(w_.ui(Ui::TimeReceived));
    const float label_w = std::max(pdf_.width(body_font, ref_label), pdf_.width(body_font, time_label)) + 14;
    const Font big{Face::Bold, 14};
    const auto ref_lines = wrap_to(pdf_, big, reference, right - left - 16 - label_w);
    const auto time_lines = wrap_to(pdf_, body_font, received, right - left - 16 - label_w);
    const float h = 16 + big.leading() * static_cast<float>(std::max<std::size_t>(1, ref_lines.size())) +
                    body_font.leading() * static_cast<float>(std::max<std::size_t>(1, time_lines.size())) + 4;
    return {{h, [=](Canvas& c, float y) {
               c.fill(left, y - h, right - left, h, 0.93f);
               c.box(left, y - h, right - left, h, 1.0f);
               float base = y - 8 - big.size;
               c.text(left + 8, base, body_font, ref_label);
               for (const auto& l : ref_lines) {
                 c.text(left + 8 + label_w, base, big, l);
                 base -= big.leading();
               }
               base -= 4;
               c.text(left + 8, base, body_font, time_label);
               for (const auto& l : time_lines) {
                 c.text(left + 8 + label_w, base, body_font, l);
                 base -= body_font.leading();
               }
             },
             false},
            gap(12)};
  }

  /// "12. Label" on the left, the answer on the right; "Not answered" in gray when blank.
  void answer_row(const AnswerLine& line, std::vector<Block>& out) {
    const float indent = 12.0f * static_cast<float>(line.depth);
    const float split = left + (right - left) * 0.45f;
    const float label_x = left + indent + column;
    const bool blank = line.answer.empty();
    const std::string answer = blank ? std::string(w_.ui(Ui::NotAnswered)) : line.answer;
    const Font answer_font = blank ? instruction_font : body_font;
    auto labels = wrap_to(pdf_, label_font, line.label, split - 10 - label_x);
    // Line breaks in a long answer are kept: each line of it wraps on its own.
    std::vector<std::string> answers;
    std::size_t start = 0;
    while (start <= answer.size()) {
      const std::size_t nl = std::min(answer.find('\n', start), answer.size());
      auto part = wrap_to(pdf_, answer_font, std::string_view(answer).substr(start, nl - start), right - split);
      if (part.empty()) part.emplace_back();
      for (auto& p : part) answers.push_back(std::move(p));
      start = nl + 1;
    }
    const std::string number = line.number > 0 ? std::to_string(line.number) + "." : std::string();
    const std::size_t rows = std::max(labels.size(), answers.size());
    for (std::size_t i = 0; i < rows; ++i) {
      std::string l = i < labels.size() ? labels[i] : std::string();
      std::string a = i < answers.size() ? answers[i] : std::string();
      const bool first = i == 0;
      const bool last = i + 1 == rows;
      out.push_back({label_font.leading(), [=](Canvas& c, float y) {
                       if (first && !number.empty()) c.text(left + indent, y - label_font.size, label_font, number);
                       c.text(label_x, y - label_font.size, label_font, l);
                       c.text(split, y - label_font.size, answer_font, a, blank ? help_gray : 0);
                       if (last) c.line(left + indent, y - label_font.leading() - 3, right, y - label_font.leading() - 3, 0.25f);
                     },
                     !last && i < 2});
    }
    out.push_back(gap(8));
  }

  Flow& flow_;
  Pdf& pdf_;
  const Wording& w_;
  std::string_view zone_;  // Site::time_zone
};

// ---------------------------------------------------------------------------------------------

/// "Page N of M" and the form's version at the foot of every page; the title at the head of
/// every page but the first (the first starts with it). Never the internal id.
void footers(Pdf& pdf, const Wording& w) {
  const auto& pages = pdf.pages();
  const std::string total = std::to_string(pages.size());
  // The running title is one line: a long title is cut after its first line, with "…".
  auto title_lines = wrap_to(pdf, footer_font, w.title(), right - left - 12);
  std::string running_title = title_lines.empty() ? std::string() : title_lines[0];
  if (title_lines.size() > 1) running_title += " …";
  for (std::size_t i = 0; i < pages.size(); ++i) {
    Canvas c{pdf, pages[i]};
    c.line(left, footer_baseline + 10, right, footer_baseline + 10, 0.5f);
    c.text(left, footer_baseline, footer_font, w.form_identity());
    c.text_right(right, footer_baseline, footer_font, w.ui(Ui::PageNOfM, {std::to_string(i + 1), total}));
    if (i > 0) c.text(left, page_height - margin + 18, footer_font, running_title, help_gray);
  }
}

/// The paper form's code on every page (engine/paper_code.hpp): a QR code (libqrencode,
/// error correction M, byte mode) drawn as filled rectangles, one per run of dark modules in a
/// row, with the same text under it in small print for a clerk to type. White space around it
/// is the flow's floor above and the margins beside and below. Returns false when a code
/// could not be made (it is then missing from every page).
bool page_codes(Pdf& pdf, const model::Form& form) {
  const auto& pages = pdf.pages();
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::string text = engine::format_paper_code(engine::paper_code(form, static_cast<std::uint32_t>(i + 1)));
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == nullptr) return false;
    const int n = qr->width;
    const float size = static_cast<float>(n) * code_module;
    if (size > code_max_size) {
      QRcode_free(qr);
      return false;
    }
    Canvas c{pdf, pages[i]};
    const float x0 = right - size;
    const float y_top = code_bottom + size;
    HPDF_Page_SetGrayFill(pages[i], 0);
    for (int row = 0; row < n; ++row) {
      int col = 0;
      while (col < n) {
        if ((qr->data[row * n + col] & 1) == 0) {
          ++col;
          continue;
        }
        const int start = col;
        while (col < n && (qr->data[row * n + col] & 1) != 0) ++col;
        HPDF_Page_Rectangle(pages[i], x0 + static_cast<float>(start) * code_module,
                            y_top - static_cast<float>(row + 1) * code_module,
                            static_cast<float>(col - start) * code_module, code_module);
      }
    }
    HPDF_Page_Fill(pages[i]);
    QRcode_free(qr);
    c.text_right(right, code_text_baseline, code_font, text);
  }
  return true;
}

Diagnostic warning(std::string code, std::string message, model::SourceRef where = {}) {
  Diagnostic d;
  d.severity = Severity::Warning;
  d.code = std::move(code);
  d.message = std::move(message);
  d.where = where;
  return d;
}

}  // namespace

RenderResult render_pdf(const RenderRequest& request) {
  RenderResult result;
  if (request.plan == nullptr) return result;
  const model::Form& form = request.plan->form();
  const Wording wording(form, request.language);

  Pdf pdf;
  if (!pdf.missing_font().empty()) {
    result.warnings.push_back(warning("R0301", "cannot load the font " + pdf.missing_font() +
                                                   " (DejaVu Sans, Debian package fonts-dejavu-core); no PDF was written",
                                      form.where));
    return result;
  }
  std::string received;
  // A step is a web page and the start page leads to the form; on paper, both are the whole form.
  const bool blank = request.document == Document::Start || request.document == Document::Form ||
                     request.document == Document::Step;
  const bool answers = !blank && request.submission != nullptr;
  // The paper form leaves room for its page codes; a receipt has none.
  Flow flow(pdf, answers ? bottom : paper_bottom);
  if (answers) {
    received = request.receipt != nullptr && !request.receipt->received.empty() ? request.receipt->received
                                                                                : request.submission->received;
    AnswerSheet(flow, wording, request.site.time_zone).draw(*request.plan, *request.submission,
                                    request.document == Document::Receipt ? request.receipt : nullptr);
    if (request.document == Document::Receipt && request.receipt == nullptr) {
      result.warnings.push_back(warning("R0302", "a receipt needs its reference number and agencies; the answers were drawn without them", form.where));
    }
  } else {
    if (!blank) {
      result.warnings.push_back(warning("R0302", "no submission to draw; the blank form was drawn instead", form.where));
    } else if (request.filled != nullptr) {
      result.warnings.push_back(warning("R0303", "the paper form is always blank: the values and errors given were not drawn", form.where));
    }
    const PaperWords paper = paper_words(wording, request.site.paper);
    PaperForm(flow, wording, paper).draw();
    omb_header(pdf, paper);
  }
  if (pdf.pages().empty()) flow.new_page();
  footers(pdf, wording);
  if (!answers && !page_codes(pdf, form)) {
    result.warnings.push_back(warning("R0306", "the page code could not be made into a QR code; the pages were drawn without it", form.where));
  }
  pdf.set_info(wording.title(), wording.language(), received);
  if (pdf.replaced_characters()) {
    result.warnings.push_back(warning("R0304", "characters beyond U+FFFF (such as emoji) cannot be drawn in the PDF font; they print as \uFFFD", form.where));
  }
  result.bytes = pdf.save();
  if (pdf.error() != 0 || result.bytes.empty()) {
    char code[64];
    std::snprintf(code, sizeof code, "0x%04X (detail %u)", static_cast<unsigned>(pdf.error()),
                  static_cast<unsigned>(pdf.error_detail()));
    result.warnings.push_back(warning("R0305", std::string("the PDF library failed with error ") + code, form.where));
    result.bytes.clear();
  }
  return result;
}

}  // namespace askonce::renderers
