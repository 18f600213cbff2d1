// tests/render_pdf_tests.cpp: the PDF renderer (renderers/pdf.hpp), through the registry.
//
// A PDF is checked by what poppler and qpdf read back from it, as a clerk's tools would:
//   - goldens by extracted text: every shipped form in every declared language, through
//     `pdftotext -layout`, equals tests/golden/pdf/<stem>.<lang>.txt; after a deliberate change,
//     `render_pdf_tests -- --accept` rewrites them (review the diff);
//   - `qpdf --check` finds no structural error; the page count is sensible;
//   - the text is in order and in the requested language, accents and ñ intact;
//   - hostile text (PDF string syntax, markup) comes out as the literal text;
//   - a receipt carries the reference number, the time and the agencies;
//   - the same request gives the same bytes.
//   - every page of the paper form carries its code (engine/paper_code.hpp) as a QR code that
//     zbarimg reads back from the page drawn by pdftoppm, and as text under it.
// pdftotext, pdftoppm, qpdf and zbarimg come from poppler-utils, qpdf and zbar-tools (scripts/deps.sh).
#define BOOST_TEST_MODULE render_pdf_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/paper_code.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "renderers/registry.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace e = askonce::engine;
namespace r = askonce::renderers;
using askonce::test::read;
using askonce::test::shipped_forms;

namespace {

struct AtProjectRoot {
  AtProjectRoot() {
    if (!fs::exists("forms")) fs::current_path(ASKONCE_SOURCE_DIR);
  }
};
BOOST_TEST_GLOBAL_FIXTURE(AtProjectRoot);

bool accept_mode() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i < suite.argc; ++i) {
    if (std::string(suite.argv[i]) == "--accept") return true;
  }
  return false;
}

e::Plan plan_of_text(const std::string& path, const std::string& text) {
  auto result = askonce::dsl::compile_text(path, text);
  BOOST_TEST_REQUIRE(!result.has_errors(), askonce::dsl::format_diagnostics(result));
  return e::Plan(std::move(*result.form));
}

e::Plan plan_of(const fs::path& path) {
  auto result = askonce::dsl::compile_file(path.string());
  BOOST_TEST_REQUIRE(!result.has_errors(), askonce::dsl::format_diagnostics(result));
  return e::Plan(std::move(*result.form));
}

const r::Renderer& pdf_renderer() {
  const r::Renderer* pdf = r::find_renderer("pdf");
  BOOST_TEST_REQUIRE(pdf != nullptr, "no renderer \"pdf\" in the registry");
  return *pdf;
}

r::RenderResult render(const r::RenderRequest& request) {
  auto result = pdf_renderer().render(request);
  for (const auto& w : result.warnings) BOOST_TEST_MESSAGE("warning[" << w.code << "]: " << w.message);
  return result;
}

/// Runs `command`, returns its exit status and (in `out`) what it wrote to stdout.
int run(const std::string& command, std::string* out = nullptr) {
  std::FILE* p = popen(command.c_str(), "r");
  BOOST_TEST_REQUIRE(p != nullptr, "cannot run " << command);
  std::string text;
  char buffer[8192];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, p)) text.append(buffer, n);
  const int status = pclose(p);
  if (out != nullptr) *out = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A PDF on disk, and what poppler and qpdf make of it.
struct Extracted {
  fs::path file;
  std::string text;  // pdftotext -layout
  int pages = 0;     // pages as pdftotext separates them (form feeds)
  int qpdf = -1;     // qpdf --check's exit status: 0 is clean
  std::string qpdf_output;
  std::string warnings;  // what pdftotext wrote on stderr: nothing
};

Extracted extract(const std::string& bytes, const std::string& name) {
  Extracted x;
  x.file = fs::temp_directory_path() / (name + ".pdf");
  std::ofstream(x.file, std::ios::binary) << bytes;
  // Not a word on stderr: Debian's libharu writes ToUnicode maps poppler warns about
  // ("Invalid 'begincidrange' operator in ToUnicode CMap"), which pdf.cpp replaces; a warning
  // of any kind here is a PDF some viewer reads differently.
  const fs::path errors = fs::temp_directory_path() / (name + ".pdftotext.err");
  BOOST_TEST_REQUIRE(run("pdftotext -layout -enc UTF-8 '" + x.file.string() + "' - 2>'" + errors.string() + "'", &x.text) == 0,
                     "pdftotext failed on " << x.file << " (poppler-utils: scripts/deps.sh)");
  x.warnings = read(errors);
  BOOST_TEST(x.warnings.empty(), "pdftotext warns on " << name << ": " << x.warnings.substr(0, 300));
  x.pages = static_cast<int>(std::count(x.text.begin(), x.text.end(), '\f'));
  x.qpdf = run("qpdf --check '" + x.file.string() + "' 2>&1", &x.qpdf_output);
  return x;
}

/// Words that poppler finds outside the printable frame: beyond the 3/4-inch side margins, or
/// above the running title and below the footer. A word there is text off the page, or text
/// that ran past its column.
std::vector<std::string> words_outside_the_frame(const fs::path& file) {
  std::string html;
  BOOST_TEST_REQUIRE(run("pdftotext -bbox '" + file.string() + "' - 2>&1", &html) == 0);
  BOOST_TEST(html.find("Syntax") == std::string::npos, "pdftotext -bbox warns: " << html.substr(0, 300));
  static const std::regex word(R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(html.begin(), html.end(), word), end; it != end; ++it) {
    const double x0 = std::stod((*it)[1]), y0 = std::stod((*it)[2]), x1 = std::stod((*it)[3]), y1 = std::stod((*it)[4]);
    if (x0 < 53.5 || x1 > 558.5 || y0 < 20 || y1 > 772) {
      out.push_back((*it)[5].str() + " at x " + std::to_string(x0) + ".." + std::to_string(x1) + ", y " + std::to_string(y0));
    }
  }
  return out;
}

/// What a scanner reads from the QR code of each page of `file`: every page drawn by pdftoppm
/// at 150 dpi (an office scanner's resolution), in gray, read by zbarimg; "" for a page
/// without a readable code, and one entry per page.
std::vector<std::string> page_codes(const fs::path& file, int pages) {
  const fs::path dir = fs::temp_directory_path() / (file.stem().string() + ".pages");
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Only the lower quarter of each page (1275 x 1650 pixels), where the code is: a quarter of
  // the pixels to draw and to search, and a code drawn anywhere else is a failure.
  BOOST_TEST_REQUIRE(run("pdftoppm -r 150 -gray -png -x 0 -y 1240 -W 1275 -H 410 '" + file.string() + "' '" +
                         (dir / "p").string() + "' 2>&1") == 0,
                     "pdftoppm failed on " << file);
  std::vector<fs::path> images;
  for (const auto& entry : fs::directory_iterator(dir)) images.push_back(entry.path());
  std::sort(images.begin(), images.end());  // p-01.png, p-02.png, ...: the same width for all
  BOOST_TEST(static_cast<int>(images.size()) == pages);
  std::vector<std::string> out;
  for (const auto& image : images) {
    std::string code;
    // zbarimg (zbar-tools) exits 0 when it found a code; --raw prints only its data.
    run("zbarimg -q --raw '" + image.string() + "' 2>/dev/null", &code);
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
    out.push_back(code);
  }
  fs::remove_all(dir);
  return out;
}

/// `s` with every run of white space made one space: wrapped lines read as one text.
std::string flat(const std::string& s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\n' || c == '\f' || c == '\t' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ma = static_cast<bool>(std::getline(a, la));
    const bool mb = static_cast<bool>(std::getline(b, lb));
    if (!ma && !mb) return "texts equal";
    if (!ma || !mb || la != lb) {
      return "line " + std::to_string(line) + ": golden `" + (ma ? la : "<end>") + "`, got `" + (mb ? lb : "<end>") + "`";
    }
  }
}

/// The pages of a PDF's text, split at form feeds.
std::vector<std::string> pages_of(const std::string& text) {
  std::vector<std::string> pages;
  for (std::size_t at = 0, ff; (ff = text.find('\f', at)) != std::string::npos; at = ff + 1) {
    pages.push_back(text.substr(at, ff - at));
  }
  return pages;
}

/// What issue 12 asks of the paper form besides its questions, in the words of `words` (and
/// the deployment's `site`): the OMB number, its expiry and the burden at the top of page 1;
/// where to send it and whom to call on the first and the last page; the notices; signature
/// and date lines after the declaration; every entry a repeat allows, those beyond the inline
/// ones on continuation pages numbered "Continuation of question N: Person k of M".
void paper_texts_are_where_federal_forms_print_them(const askonce::model::Form& form, const r::Wording& words,
                                                    const Extracted& x, const r::PaperSite& site = {}) {
  const auto paper = r::paper_words(words, site);
  const auto pages = pages_of(x.text);
  BOOST_TEST_REQUIRE(!pages.empty());
  const std::string first = flat(pages.front()), last = flat(pages.back()), all = flat(x.text);
  if (!paper.omb.empty()) {
    // Above the title, at the top right of the first page.
    const auto omb = first.find(paper.omb);
    BOOST_TEST(omb != std::string::npos, "no OMB number on page 1: " << paper.omb);
    BOOST_TEST(omb < first.find(flat(std::string(words.title()))), "the OMB number is not above the title");
    for (const auto* t : {&paper.omb_expires, &paper.burden_short}) {
      if (!t->empty()) BOOST_TEST(first.find(*t) != std::string::npos, "not on page 1: " << *t);
    }
  }
  for (const auto& line : paper.mail_to) {
    BOOST_TEST(first.find(flat(line)) != std::string::npos, "address line not on page 1: " << line);
    BOOST_TEST(last.find(flat(line)) != std::string::npos, "address line not on the last page: " << line);
  }
  if (!paper.help.empty()) {
    BOOST_TEST(first.find(flat(paper.help)) != std::string::npos, "help not on page 1: " << paper.help);
    BOOST_TEST(last.find(flat(paper.help)) != std::string::npos, "help not on the last page: " << paper.help);
  }
  for (const auto* notice : {&paper.privacy, &paper.burden}) {
    if (!notice->empty()) BOOST_TEST(all.find(flat(*notice)) != std::string::npos, "notice missing: " << *notice);
  }
  if (!paper.privacy.empty()) BOOST_TEST(all.find(flat(std::string(words.ui(r::Ui::PaperPrivacyAct)))) != std::string::npos);
  if (!paper.burden.empty()) BOOST_TEST(all.find(flat(std::string(words.ui(r::Ui::PaperBurdenTitle)))) != std::string::npos);

  // The instructions say to answer every question that does not say otherwise, and each
  // numbered question that may be left blank says so ("Optional.") or says when it is needed.
  BOOST_TEST(all.find(flat(std::string(words.ui(r::Ui::PaperAnswerAll)))) != std::string::npos);
  for (std::size_t i = 0; i < form.fields.size(); ++i) {
    const auto& fw = words.field(static_cast<askonce::model::FieldId>(i));
    if (fw.number == 0 || fw.required || fw.required_citizen.empty()) continue;
    const auto label = all.find(flat(fw.label).substr(0, 30));
    BOOST_TEST_REQUIRE(label != std::string::npos, "no question " << fw.number);
    BOOST_TEST(all.find(flat(fw.required_citizen), label) != std::string::npos,
               "question " << fw.number << " does not say: " << fw.required_citizen);
  }

  bool declaration = false;
  for (const auto& f : form.fields) declaration = declaration || (f.kind == askonce::model::Kind::Attest && f.parent == askonce::model::no_field);
  if (declaration) {
    // After the declaration's statement: the signature line and the date, in that order.
    std::size_t at = std::string::npos;
    for (std::size_t i = 0; i < form.fields.size(); ++i) {
      if (form.fields[i].kind == askonce::model::Kind::Attest && form.fields[i].parent == askonce::model::no_field) {
        at = all.find(flat(words.field(static_cast<askonce::model::FieldId>(i)).label).substr(0, 30));
      }
    }
    BOOST_TEST_REQUIRE(at != std::string::npos, "no declaration");
    const auto sign = all.find(flat(std::string(words.ui(r::Ui::PaperSignHere))), at);
    BOOST_TEST(sign != std::string::npos, "no signing instruction after the declaration");
    const auto signature = all.find(std::string(words.ui(r::Ui::Signature)), sign == std::string::npos ? at : sign);
    BOOST_TEST(signature != std::string::npos, "no signature line after the declaration");
    BOOST_TEST(all.find(std::string(words.ui(r::Ui::Date)), signature == std::string::npos ? at : signature) != std::string::npos,
               "no date after the signature");
  }

  // Every entry a top-level repeat allows: 3 inline, the rest continued, in order, on the
  // pages after "Continuation pages".
  const auto heading = x.text.find(std::string(words.ui(r::Ui::ContinuationPages)));
  std::size_t at = heading;
  bool continued = false;
  for (std::size_t i = 0; i < form.fields.size(); ++i) {
    const auto& f = form.fields[i];
    if (f.kind != askonce::model::Kind::Repeat || f.parent != askonce::model::no_field) continue;
    const auto max = e::count_bound(f.max);
    if (!max || *max <= 3) continue;
    continued = true;
    BOOST_TEST_REQUIRE(heading != std::string::npos, "no continuation pages for " << f.id);
    std::uint32_t question = 0;
    for (std::size_t j = i + 1; j < form.fields.size() && question == 0; ++j) {
      if (words.field(static_cast<askonce::model::FieldId>(j)).number > 0) question = words.field(static_cast<askonce::model::FieldId>(j)).number;
    }
    const auto& label = words.field(static_cast<askonce::model::FieldId>(i)).label;
    const auto total = std::min<std::uint64_t>(*max, 100);
    BOOST_TEST(all.find(flat(words.ui(r::Ui::ContinuationLater, {"4", std::to_string(total)}))) != std::string::npos);
    for (std::uint64_t k = 4; k <= total; ++k) {
      const std::string want = words.ui(r::Ui::ContinuationOf, {std::to_string(question), label, std::to_string(k), std::to_string(total)});
      const auto next = x.text.find(want, at);
      BOOST_TEST(next != std::string::npos, "missing or out of order: " << want);
      if (next != std::string::npos) at = next;
    }
  }
  if (!continued) BOOST_TEST(heading == std::string::npos, "continuation pages with nothing to continue");
}

const e::Context may1 = e::Context::on({2024, 5, 1});

const std::string coa_permanent = R"({
  "person": {"name": {"first": "Ana", "last": "Núñez"}, "birth_date": "1980-02-29", "ssn": "123-45-6789"},
  "contact": {"email": "ana@example.com", "phone": "(202) 555-0123", "preferred_method": "email"},
  "old_address": {"street": "1 Main St (rear) \\ <script>alert('x')</script>", "city": "Springfield", "state": "IL", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "IL", "zip": "62702-1234"},
  "move_date": "2024-04-20",
  "kind": "permanent",
  "filed_jointly": false,
  "veteran": true,
  "va_file_number": "12345678",
  "forward_mail": true,
  "usps_move_type": "family",
  "household": [{"full_name": "Bo Núñez", "birth_date": "2010-01-01"}, {"full_name": "Cy Núñez", "birth_date": "2012-06-30"}],
  "truthful": true,
  "signature": "Ana Núñez"
})";

}  // namespace

BOOST_AUTO_TEST_CASE(the_registry_serves_pdf_as_binary) {
  const auto& pdf = pdf_renderer();
  BOOST_TEST(pdf.mime == "application/pdf");
  BOOST_TEST(pdf.binary);
  BOOST_TEST(pdf.extension == "pdf");
}

BOOST_AUTO_TEST_CASE(every_shipped_form_in_every_language_matches_its_golden_text) {
  const bool accept = accept_mode();
  const fs::path golden_dir = "tests/golden/pdf";
  if (accept) fs::create_directories(golden_dir);
  const auto forms = shipped_forms();
  BOOST_TEST_REQUIRE(!forms.empty());
  for (const auto& path : forms) {
    const auto plan = plan_of(path);
    const auto& form = plan.form();
    for (const auto& lang : form.languages) {
      BOOST_TEST_CONTEXT(path.string() << " in " << lang) {
        r::RenderRequest request;
        request.plan = &plan;
        request.language = lang;
        const auto result = render(request);
        BOOST_TEST(result.warnings.empty());
        BOOST_TEST_REQUIRE(result.bytes.starts_with("%PDF-"));
        const auto x = extract(result.bytes, path.stem().string() + "." + lang);

        BOOST_TEST(x.qpdf == 0, "qpdf --check: " << x.qpdf_output);
        const auto outside = words_outside_the_frame(x.file);
        BOOST_TEST(outside.empty(), outside.size() << " words outside the frame, the first: "
                                                   << (outside.empty() ? "" : outside.front()));
        // Never empty, and no more than a page for every three questions (plus the first two and
        // the notices) before the continuation pages.
        const r::Wording words(form, lang);
        BOOST_TEST(x.pages >= 1);
        const std::string continuation_heading(words.ui(r::Ui::ContinuationPages));
        int main_pages = x.pages;
        if (const auto at = x.text.find(continuation_heading); at != std::string::npos) {
          main_pages = static_cast<int>(std::count(x.text.begin(), x.text.begin() + static_cast<std::ptrdiff_t>(at), '\f'));
        }
        BOOST_TEST(main_pages <= 3 + static_cast<int>(words.question_count()) / 3);
        paper_texts_are_where_federal_forms_print_them(form, words, x);
        BOOST_TEST_MESSAGE(path.stem().string() << "." << lang << ": " << x.pages << " pages, " << result.bytes.size()
                                                << " bytes");

        // Every page says which form it is and where it is in the document: its title and
        // version, never its internal id (where the id is not a word the form's text could use)
        // but inside the page code, which is for a clerk.
        const std::string text = flat(x.text);
        if (form.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
          std::string without_codes = x.text;
          for (std::size_t at; (at = without_codes.find("askonce:" + form.id + ":")) != std::string::npos;) {
            without_codes.erase(at, without_codes.find_first_of(" \n", at) - at);
          }
          BOOST_TEST(without_codes.find(form.id) == std::string::npos, "the PDF prints the id " << form.id);
        }
        // Every page carries its code, as a QR code that a scanner reads back (the page drawn
        // by pdftoppm, read by zbarimg) and as the same text under it.
        const auto codes = page_codes(x.file, x.pages);
        std::vector<std::string> page_texts;
        for (std::size_t at = 0, ff; (ff = x.text.find('\f', at)) != std::string::npos; at = ff + 1) {
          page_texts.push_back(x.text.substr(at, ff - at));
        }
        BOOST_TEST_REQUIRE(static_cast<int>(codes.size()) == x.pages);
        for (int p = 1; p <= x.pages; ++p) {
          const std::string want = e::format_paper_code(e::paper_code(form, static_cast<std::uint32_t>(p)));
          BOOST_TEST(codes[p - 1] == want, "page " << p << ": the QR code reads `" << codes[p - 1] << "`");
          const auto read_back = e::parse_paper_code(codes[p - 1]);
          BOOST_TEST_REQUIRE(read_back.has_value(), "page " << p << ": not a page code");
          BOOST_TEST(read_back->form_id == form.id);
          BOOST_TEST(read_back->version == form.version);
          BOOST_TEST(form.definition_hash.starts_with("sha256:" + read_back->hash_prefix));
          BOOST_TEST(read_back->page == static_cast<std::uint32_t>(p));
          BOOST_TEST(page_texts.at(p - 1).find(want) != std::string::npos, "page " << p << " does not print " << want);
        }
        const std::string total = std::to_string(x.pages);
        for (int p = 1; p <= x.pages; ++p) {
          BOOST_TEST(text.find(r::ui(r::Ui::PageNOfM, lang, {std::to_string(p), total})) != std::string::npos,
                     "page " << p << " has no page number");
        }
        BOOST_TEST(static_cast<int>(std::count(x.text.begin(), x.text.end(), '\f')) == x.pages);

        // In order: the title, then each part, then the last question's number.
        std::size_t at = text.find(flat(std::string(words.title())));
        BOOST_TEST(at != std::string::npos, "no title");
        for (const auto& s : words.sections()) {
          const std::string heading =
              flat(r::ui(r::Ui::SectionN, lang, {std::to_string(s.number), std::to_string(words.sections().size()), s.title}));
          const std::size_t next = text.find(heading, at);
          BOOST_TEST(next != std::string::npos, "part " << s.number << " missing or out of order: " << heading);
          if (next != std::string::npos) at = next;
        }

        const fs::path golden = golden_dir / (path.stem().string() + "." + lang + ".txt");
        if (accept) {
          std::ofstream(golden, std::ios::binary) << x.text;
          BOOST_TEST_MESSAGE("wrote " << golden.string());
          continue;
        }
        BOOST_TEST_REQUIRE(fs::exists(golden), "no golden " << golden.string()
                                                   << "; run `render_pdf_tests -- --accept` and review it");
        const std::string want = read(golden);
        BOOST_TEST(x.text == want, golden.string() << " differs at " << first_difference(want, x.text)
                                                   << "; run `render_pdf_tests -- --accept` if the change is deliberate");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(spanish_keeps_its_accents_and_every_question_number) {
  const auto plan = plan_of("forms/change-of-address.form");
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "es";
  const auto x = extract(render(request).bytes, "coa-es");
  const std::string text = flat(x.text);
  BOOST_TEST(text.find("Informe un cambio de dirección") != std::string::npos);
  BOOST_TEST(text.find("¿Es permanente esta mudanza?") != std::string::npos);
  BOOST_TEST(text.find("Número de Seguro Social") != std::string::npos);
  BOOST_TEST(text.find("Página 1 de") != std::string::npos);
  BOOST_TEST(text.find("Report a change of address") == std::string::npos, "English title in the Spanish form");
  // The same numbers as every other channel, in order.
  const r::Wording words(plan.form(), "es");
  std::size_t at = 0;
  for (std::uint32_t n = 1; n <= words.question_count(); ++n) {
    const auto& label = words.field(words.field_of_question(n)).label;
    const std::string numbered = std::to_string(n) + ". " + flat(label).substr(0, 12);
    const std::size_t next = text.find(numbered, at);
    BOOST_TEST(next != std::string::npos, "question " << n << " missing or out of order: " << numbered);
    if (next != std::string::npos) at = next;
  }
}

BOOST_AUTO_TEST_CASE(hostile_text_is_printed_as_it_was_written) {
  // As written in the form's source: \" is a quote and \\ one backslash.
  const std::string hostile = R"(<script>alert(\"x\")</script> (a) b) \\ c\\) \\( %% >> /Type /Page)";
  const auto plan = plan_of_text("forms/hostile.form", R"(form hostile {
  title ")" + hostile + R"("
  version 1
  languages en
  section s ")" + hostile + R"(" {
    note n ")" + hostile + R"("
    text t ")" + hostile + R"(" { hint ")" + hostile + R"(" }
    choice c "Pick" { option a ")" + hostile + R"(" option b "B" }
  }
}
)");
  // What the form's strings hold once their escapes are read.
  const std::string literal = R"(<script>alert("x")</script> (a) b) \ c\) \( %% >> /Type /Page)";
  r::RenderRequest request;
  request.plan = &plan;
  const auto result = render(request);
  BOOST_TEST(result.warnings.empty());
  const auto x = extract(result.bytes, "hostile");
  BOOST_TEST(x.qpdf == 0, x.qpdf_output);
  BOOST_TEST(x.pages == 1);
  const std::string text = flat(x.text);
  std::size_t count = 0;
  for (std::size_t at = text.find(literal); at != std::string::npos; at = text.find(literal, at + 1)) ++count;
  // title, part heading, note, label, hint, option (the running title is not on page 1).
  BOOST_TEST(count >= 5, "hostile text printed literally " << count << " times in:\n" << x.text);
}

BOOST_AUTO_TEST_CASE(control_characters_and_emoji_do_not_break_the_pdf) {
  const auto plan = plan_of_text("forms/odd.form", "form odd {\n  title \"Tab\\there \\u{1F600} end\"\n  version 1\n"
                                                   "  languages en\n  section s \"S\" { text t \"T\" }\n}\n");
  r::RenderRequest request;
  request.plan = &plan;
  const auto result = render(request);
  BOOST_TEST_REQUIRE(!result.bytes.empty());
  BOOST_TEST(result.warnings.size() == 1u);
  if (!result.warnings.empty()) BOOST_TEST(result.warnings[0].code == "R0304");
  const auto x = extract(result.bytes, "odd");
  BOOST_TEST(x.qpdf == 0, x.qpdf_output);
  BOOST_TEST(flat(x.text).find("Tab here") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_same_request_gives_the_same_bytes) {
  const auto plan = plan_of("forms/change-of-address.form");
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "es";
  const auto a = render(request).bytes;
  const auto b = render(request).bytes;
  BOOST_TEST(!a.empty());
  BOOST_TEST((a == b), "two renders of the same form differ");
  // No creation date on a blank form: nothing changes with the clock.
  BOOST_TEST(a.find("/CreationDate") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_receipt_carries_the_reference_the_time_the_agencies_and_the_answers) {
  const auto plan = plan_of("forms/change-of-address.form");
  const auto checked = e::validate_json(plan, coa_permanent, may1);
  BOOST_TEST_REQUIRE(checked.ok(), e::format_errors(checked.errors));
  for (const std::string lang : {"en", "es"}) {
    BOOST_TEST_CONTEXT(lang) {
      const r::Wording words(plan.form(), lang);
      r::ReceiptInfo info;
      info.reference = "AO-2024-000123";
      info.received = "2024-05-01T12:30:00Z";
      info.agencies = r::receiving_agencies(plan, checked.submission, may1.today);
      BOOST_TEST(info.agencies.size() == 4u);  // ssa, usps, va, irs: the move is permanent
      r::RenderRequest request;
      request.plan = &plan;
      request.language = lang;
      request.document = r::Document::Receipt;
      request.submission = &checked.submission;
      request.receipt = &info;
      const auto result = render(request);
      BOOST_TEST(result.warnings.empty());
      const auto x = extract(result.bytes, "receipt." + lang);
      BOOST_TEST(x.qpdf == 0, x.qpdf_output);
      BOOST_TEST(words_outside_the_frame(x.file).empty());
      BOOST_TEST(x.pages >= 1);
      BOOST_TEST(x.pages <= 6);
      const std::string text = flat(x.text);
      BOOST_TEST(text.find("AO-2024-000123") != std::string::npos);
      BOOST_TEST(text.find(flat(words.timestamp(info.received))) != std::string::npos);
      BOOST_TEST(text.find(std::string(words.ui(r::Ui::AgenciesReceiving))) != std::string::npos);
      for (const std::size_t a : info.agencies) {
        BOOST_TEST(text.find(flat(words.agency_title(a))) != std::string::npos, "agency " << words.agency_title(a));
      }
      // The citizen's answers, by question, as written; the SSN masked.
      BOOST_TEST(text.find("Núñez") != std::string::npos);
      BOOST_TEST(text.find("1 Main St (rear) \\ <script>alert('x')</script>") != std::string::npos);
      BOOST_TEST(text.find("123-45-6789") == std::string::npos);
      BOOST_TEST(text.find("123456789") == std::string::npos);
      BOOST_TEST(text.find("6789") != std::string::npos);
      // The receipt is dated when the application was received: the same receipt, the same bytes.
      BOOST_TEST(result.bytes.find("/CreationDate (D:20240501123000Z") != std::string::npos);
      BOOST_TEST((render(request).bytes == result.bytes));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_filled_form_is_drawn_blank_with_a_warning) {
  const auto plan = plan_of("forms/change-of-address.form");
  r::Filled filled;
  filled.values = {{"move_date", "2024-04-20"}};
  r::RenderRequest request;
  request.plan = &plan;
  request.filled = &filled;
  const auto result = render(request);
  BOOST_TEST(!result.bytes.empty());
  BOOST_TEST_REQUIRE(result.warnings.size() == 1u);
  BOOST_TEST(result.warnings[0].code == "R0303");
  BOOST_TEST(extract(result.bytes, "filled").text.find("2024-04-20") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_deployment_prints_its_own_address_phone_omb_number_and_notices) {
  // Change of address has no paper settings of its own; a deployment gives them all.
  const auto plan = plan_of("forms/change-of-address.form");
  for (const std::string lang : {"en", "es"}) {
    BOOST_TEST_CONTEXT(lang) {
      r::RenderRequest request;
      request.plan = &plan;
      request.language = lang;
      request.site.paper.mail_to = "Records Office\nPO Box 12 (rear) \\ <b>\nSpringfield, IL 62701";
      request.site.paper.phone = "(217) 555-0100";
      request.site.paper.hours = lang == "es" ? "De lunes a viernes" : "Monday to Friday";
      request.site.paper.omb_number = "1234-5678";
      request.site.paper.omb_expires = "2026-01-31";
      request.site.paper.privacy = "Example privacy notice.";
      request.site.paper.burden = "Example burden notice.";
      const auto result = render(request);
      BOOST_TEST(result.warnings.empty());
      const auto x = extract(result.bytes, "coa-site." + lang);
      BOOST_TEST(x.qpdf == 0, x.qpdf_output);
      BOOST_TEST(words_outside_the_frame(x.file).empty());
      const r::Wording words(plan.form(), lang);
      paper_texts_are_where_federal_forms_print_them(plan.form(), words, x, request.site.paper);
      const std::string text = flat(x.text);
      BOOST_TEST(text.find("PO Box 12 (rear) \\ <b>") != std::string::npos);  // as written
      BOOST_TEST(text.find(lang == "es" ? "Vence el 31 de enero de 2026" : "Expires January 31, 2026") != std::string::npos);
      // The page codes do not change with the deployment's words: the definition is the same.
      BOOST_TEST(page_codes(x.file, x.pages).front() == e::format_paper_code(e::paper_code(plan.form(), 1)));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_optional_yes_no_has_a_third_box_for_its_unanswered_choice) {
  const auto plan = plan_of_text("forms/prefs.form", R"(form prefs {
  title "Prefs"
  version 1
  languages en
  section s "S" {
    yesno news "May we write to you?" { unanswered "I prefer not to say" }
    yesno plain "Are you a veteran?"
  }
})");
  r::RenderRequest request;
  request.plan = &plan;
  const auto result = render(request);
  BOOST_TEST(result.warnings.empty());
  const auto x = extract(result.bytes, "prefs");
  BOOST_TEST(x.qpdf == 0, x.qpdf_output);
  const std::string text = flat(x.text);
  BOOST_TEST(text.find("I prefer not to say") != std::string::npos, text);
  // Its question has three boxes; the other question two.
  const auto news = text.find("May we write to you?"), plain = text.find("Are you a veteran?");
  BOOST_REQUIRE(news != std::string::npos);
  BOOST_REQUIRE(plain != std::string::npos);
  BOOST_TEST(text.find("I prefer not to say", plain) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_rule_of_one_alternative_is_printed_with_when_it_applies) {
  // `pattern ... if EXPR` (docs/dsl.md, "Rules that apply in one case"): on paper nothing hides
  // the rules that do not apply, so each is printed under its question with its condition, in
  // every language; the rules that always apply are not printed (the paper form never has).
  const auto plan = plan_of_text("forms/mailing.form", R"(form mailing {
  title "Mailing" es "Correo"
  version 1
  languages en es
  section s "Address" es "Dirección" {
    choice country "Country" es "País" {
      option USA "United States" es "Estados Unidos"
      option CAN "Canada" es "Canadá"
    }
    text postal_code "Postal code" es "Código postal" {
      pattern "[0-9]{5}" "Enter 5 digits." es "Escriba 5 dígitos." if country == "USA"
      pattern ".+" "Always said on the web." es "Siempre en la web."
    }
  }
}
)");
  r::RenderRequest request;
  request.plan = &plan;
  const auto en = render(request);
  BOOST_TEST(en.warnings.empty());
  const std::string text = flat(extract(en.bytes, "alternative-en").text);
  BOOST_TEST(text.find("If you answered “United States” to question 1: Enter 5 digits.") != std::string::npos, text);
  BOOST_TEST(text.find("Always said on the web.") == std::string::npos, text);
  request.language = "es";
  const std::string es = flat(extract(render(request).bytes, "alternative-es").text);
  BOOST_TEST(es.find("Escriba 5 dígitos.") != std::string::npos, es);
  BOOST_TEST(es.find("Estados Unidos") != std::string::npos, es);
}

BOOST_AUTO_TEST_CASE(a_count_of_conditions_and_matches_are_printed_in_words) {
  // `count(...)` of conditions and `matches` (docs/dsl.md): printed in words with the question
  // they decide, in every language, never as a formula; what cannot be said, as written.
  const auto plan = plan_of_text("forms/fits.form", R"(form fits {
  title "Fits" es "Encaje"
  version 1
  languages en es
  section s "Address" es "Dirección" {
    yesno abroad "Do you live abroad?" es "¿Vive en el extranjero?"
    text postal_code "Postal code" es "Código postal" {
      pattern "[0-9]{5}" "Enter a ZIP code such as 12345." es "Escriba un código ZIP como 12345."
    }
    text notes "Notes" es "Notas" { show if count(abroad, matches(postal_code, "[0-9]{5}")) == 1 }
    text other "Other" es "Otro" { show if matches(postal_code, "[0-9]{9}") }
  }
}
)");
  r::RenderRequest request;
  request.plan = &plan;
  const auto en = render(request);
  BOOST_TEST(en.warnings.empty());
  const std::string text = flat(extract(en.bytes, "count-en").text);
  BOOST_TEST(text.find("Answer only if exactly one of these is true: you answered Yes to question 1; your answer to "
                       "question 2 follows the rule “Enter a ZIP code such as 12345”.") != std::string::npos,
             text);
  BOOST_TEST(text.find("Answer only if matches(question 2, “[0-9]{9}”).") != std::string::npos, text);
  request.language = "es";
  const std::string es = flat(extract(render(request).bytes, "count-es").text);
  BOOST_TEST(es.find("Responda solo si se cumple exactamente una de estas condiciones: respondió Sí a la pregunta 1; su "
                     "respuesta a la pregunta 2 cumple la regla “Escriba un código ZIP como 12345”.") != std::string::npos,
             es);
}

BOOST_AUTO_TEST_CASE(a_member_is_not_on_the_paper_form) {
  // `member "NAME" TYPE` has no question: nothing of it is printed, and the questions are
  // numbered without it.
  const auto plan = plan_of_text("forms/members.form", R"(form members {
  title "Members"
  version 1
  languages en
  section s "You" {
    text full_name "Full name" { required }
    member "view:serviceNote" object
    member "otherInformation" array of string
    text city "City"
  }
}
)");
  r::RenderRequest request;
  request.plan = &plan;
  const auto result = render(request);
  BOOST_TEST(result.warnings.empty());
  const auto x = extract(result.bytes, "members");
  BOOST_TEST(x.qpdf == 0, x.qpdf_output);
  const std::string text = flat(x.text);
  BOOST_TEST(text.find("Full name") != std::string::npos, x.text);
  BOOST_TEST(text.find("serviceNote") == std::string::npos, x.text);
  BOOST_TEST(text.find("otherInformation") == std::string::npos, x.text);
  BOOST_TEST(text.find("Other information") == std::string::npos, x.text);
}
