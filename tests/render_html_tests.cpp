// tests/render_html_tests.cpp: the web renderer (renderers/html.hpp, script.hpp, escape.hpp).
//
// Goldens: every shipped form in every language, blank and filled with a fixed invalid
// submission (the engine's own errors), is exactly tests/golden/html/<stem>.<lang>[.errors].html,
// the form's rules for the shared script included. The browser and validator checks
// (tests/browser/) run on these goldens, so they are what the Nu checker and axe-core saw.
// After a deliberate change, `render_html_tests -- --accept` rewrites them; review the diff.
#define BOOST_TEST_MODULE render_html_tests
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/submission.hpp"
#include "engine/validate.hpp"
#include "renderers/escape.hpp"
#include "renderers/html.hpp"
#include "renderers/registry.hpp"
#include "renderers/script.hpp"
#include "renderers/wording.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace e = askonce::engine;
namespace r = askonce::renderers;
using Fields = std::vector<std::pair<std::string, std::string>>;

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

const askonce::model::Date fixed_day{2024, 5, 1};

e::Plan plan_of(const std::string& path) {
  auto result = askonce::dsl::compile_file(path);
  BOOST_TEST_REQUIRE(result.form.has_value(), askonce::dsl::format_diagnostics(result));
  return e::Plan(std::move(*result.form));
}

e::Plan plan_of_text(const std::string& text) {
  auto result = askonce::dsl::compile_text("forms/hostile.form", text);
  BOOST_TEST_REQUIRE(result.form.has_value(), askonce::dsl::format_diagnostics(result));
  return e::Plan(std::move(*result.form));
}

bool in_repeat(const askonce::model::Form& form, askonce::model::FieldId f) {
  for (auto p = form.fields[f].parent; p != askonce::model::no_field; p = form.fields[p].parent) {
    if (form.fields[p].kind == askonce::model::Kind::Repeat) return true;
  }
  return false;
}

/// The fixed invalid submission of a form: every answer at the top level that can be wrong in
/// its type is (a date that does not exist, a number with letters, hostile text where a
/// format is expected), everything else is left blank, so the required ones are refused too;
/// one entry of each top-level repeat with hostile text in its first text field.
Fields invalid_submission(const askonce::model::Form& form, bool unknown_name) {
  using askonce::model::Kind;
  Fields out;
  for (askonce::model::FieldId f = 0; f < form.fields.size(); ++f) {
    const auto& field = form.fields[f];
    if (field.computed || in_repeat(form, f)) continue;
    switch (field.kind) {
      case Kind::Date:
        out.emplace_back(field.id + ".month", "13");
        out.emplace_back(field.id + ".day", "1");
        out.emplace_back(field.id + ".year", "2024");
        break;
      case Kind::Integer: case Kind::Decimal: case Kind::Money:
        out.emplace_back(field.id, "12abc");
        break;
      case Kind::Email: case Kind::Phone: case Kind::Ssn: case Kind::Ein: case Kind::Zip: case Kind::Url:
        out.emplace_back(field.id, "\"><script>alert(1)</script>");
        break;
      case Kind::Repeat:
        for (auto c : field.children) {
          if (form.fields[c].kind == Kind::Text && !form.fields[c].computed) {
            out.emplace_back(field.id + "[0]." + form.fields[c].name, "</textarea><b>x</b> & 'q'");
            break;
          }
        }
        break;
      default:
        break;
    }
  }
  if (unknown_name) out.emplace_back("nmae", "x");
  return out;
}

std::string render(const e::Plan& plan, const std::string& lang, const r::Filled* filled = nullptr) {
  r::RenderRequest request;
  request.plan = &plan;
  request.language = lang;
  request.filled = filled;
  return r::render_html(request).bytes;
}

r::Filled filled_with(const e::Plan& plan, const Fields& values, const std::string& lang) {
  auto result = e::validate_form_fields(plan, values, e::Context::on(fixed_day, lang, "web"));
  r::Filled filled;
  filled.values = values;
  filled.errors = result.errors;
  return filled;
}

std::string first_difference(const std::string& want, const std::string& got) {
  std::size_t i = 0, line = 1;
  while (i < want.size() && i < got.size() && want[i] == got[i]) line += want[i++] == '\n';
  return "line " + std::to_string(line);
}

void check_golden(const fs::path& golden, const std::string& got, bool accept) {
  if (accept) {
    std::ofstream(golden, std::ios::binary) << got;
    BOOST_TEST_MESSAGE("wrote " << golden.string());
    return;
  }
  BOOST_TEST_REQUIRE(fs::exists(golden), "no golden " << golden.string()
                                             << "; run `render_html_tests -- --accept` and review it");
  const std::string want = askonce::test::read(golden);
  BOOST_TEST(got == want, golden.string() << " differs at " << first_difference(want, got)
                                          << "; run `render_html_tests -- --accept` if the change is deliberate");
}

// ---- a browser's form submission, from the HTML --------------------------------------------

std::string unescape(std::string s) {
  static const std::pair<std::string_view, std::string_view> refs[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool done = false;
    for (auto [ref, ch] : refs) {
      if (s.compare(i, ref.size(), ref) == 0) {
        out += ch;
        i += ref.size();
        done = true;
        break;
      }
    }
    if (!done) out += s[i++];
  }
  return out;
}

std::map<std::string, std::string> attributes(const std::string& tag) {
  std::map<std::string, std::string> out;
  static const std::regex attr(R"re(\s([a-z:-]+)(?:="([^"]*)")?)re");
  for (auto it = std::sregex_iterator(tag.begin(), tag.end(), attr); it != std::sregex_iterator(); ++it) {
    out[(*it)[1]] = unescape((*it)[2]);
  }
  return out;
}

/// What a browser posts when the form is sent as rendered: text inputs always, radios and
/// checkboxes when checked, a select's selected option (or its first), a textarea's text.
/// Buttons are not clicked, so they post nothing.
Fields posted_by_browser(const std::string& html) {
  Fields out;
  static const std::regex control(R"re(<(input|select|textarea)\b([^>]*)>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), control); it != std::sregex_iterator(); ++it) {
    const std::string kind = (*it)[1];
    auto a = attributes((*it)[2]);
    if (!a.count("name")) continue;
    const std::size_t end = static_cast<std::size_t>(it->position(0) + it->length(0));
    if (kind == "input") {
      if ((a["type"] == "radio" || a["type"] == "checkbox") && !a.count("checked")) continue;
      out.emplace_back(a["name"], a.count("value") ? a["value"] : (a["type"] == "checkbox" ? "on" : ""));
    } else if (kind == "textarea") {
      const std::size_t close = html.find("</textarea>", end);
      std::string text = unescape(html.substr(end, close - end));
      if (!text.empty() && text.front() == '\n') text.erase(0, 1);
      out.emplace_back(a["name"], text);
    } else {
      const std::size_t close = html.find("</select>", end);
      const std::string options = html.substr(end, close - end);
      static const std::regex option(R"re(<option\b([^>]*)>)re");
      std::string first, selected;
      bool any = false, has_selected = false;
      for (auto o = std::sregex_iterator(options.begin(), options.end(), option); o != std::sregex_iterator(); ++o) {
        auto oa = attributes((*o)[1]);
        if (!any) first = oa["value"], any = true;
        if (oa.count("selected") && !has_selected) selected = oa["value"], has_selected = true;
      }
      out.emplace_back(a["name"], has_selected ? selected : first);
    }
  }
  return out;
}

std::vector<std::string> error_keys(const e::Result& r) {
  std::vector<std::string> out;
  for (const auto& err : r.errors) out.push_back(err.path + " " + err.code);
  return out;
}

using askonce::test::valid_change_of_address;

const char* const hostile_form = R"FORM(
form hostile {
  title "<script>alert('title')</script>"
  description "Quotes \" and ' and </textarea> and <!-- comments -->"
  version 1
  languages en
  section s "<b>Section</b>" {
    text who "Name <script>alert(1)</script>" {
      required
      hint "Type \"anything\" & see </textarea>"
    }
    longtext story "</textarea><script>alert(2)</script>"
    url site "Web site" { hint "javascript:alert(3)" }
    choice pick "Pick \"one\"" {
      option "a\"><script>alert(4)</script>" "A <i>option</i>"
      option b "B"
    }
    text more "More" { show if pick == "a\"><script>alert(4)</script>" }
  }
}
)FORM";

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_forms_match_their_goldens) {
  const bool accept = accept_mode();
  const fs::path dir = "tests/golden/html";
  if (accept) fs::create_directories(dir);
  const auto forms = askonce::test::shipped_forms();
  BOOST_TEST_REQUIRE(!forms.empty());
  for (const auto& path : forms) {
    BOOST_TEST_CONTEXT(path.string()) {
      const e::Plan plan = plan_of(path.string());
      const std::string stem = path.stem().string();
      for (const auto& lang : plan.form().languages) {
        r::RenderRequest start;
        start.plan = &plan;
        start.language = lang;
        start.document = r::Document::Start;
        check_golden(dir / (stem + "." + lang + ".start.html"), r::render_html(start).bytes, accept);
        const std::string blank = render(plan, lang);
        check_golden(dir / (stem + "." + lang + ".html"), blank, accept);
        const auto filled = filled_with(plan, invalid_submission(plan.form(), true), lang);
        BOOST_TEST_REQUIRE(!filled.errors.empty(), "the fixed invalid submission passed");
        check_golden(dir / (stem + "." + lang + ".errors.html"), render(plan, lang, &filled), accept);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_golden_has_a_form) {
  std::set<std::string> stems;
  for (const auto& p : askonce::test::shipped_forms()) stems.insert(p.stem().string());
  // The one page here not made from a form: /performance (kept by performance_tests, so that
  // browser_tests (check.mjs) checks it with the Nu checker and axe-core too).
  stems.insert("performance");
  for (const auto& g : fs::directory_iterator("tests/golden/html")) {
    const std::string name = g.path().filename().string();
    BOOST_TEST(stems.count(name.substr(0, name.find('.'))) == 1, "stale golden " << name);
  }
}

BOOST_AUTO_TEST_CASE(the_registry_serves_html_and_the_rules) {
  const auto* html = r::find_renderer("html");
  BOOST_TEST_REQUIRE(html != nullptr);
  BOOST_TEST(html->mime == "text/html; charset=utf-8");
  BOOST_TEST(!html->binary);
  BOOST_TEST(r::find_renderer("js") == nullptr);  // one shared runtime, no script per form
  const auto* js = r::find_renderer("rules");
  BOOST_TEST_REQUIRE(js != nullptr);
  BOOST_TEST(js->mime.starts_with("application/json"));
  const e::Plan plan = plan_of("forms/change-of-address.form");
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "es";
  const std::string page = html->render(request).bytes;
  BOOST_TEST(page.find("<html lang=\"es\">") != std::string::npos);
  BOOST_TEST(page.find("<script src=\"" + r::form_runtime_url() + "\" defer></script>\n"
                       "<script type=\"application/json\" id=\"askonce-rules\">{\"form\": \"change_of_address\"") !=
             std::string::npos);
  BOOST_TEST(page.find("href=\"/assets/uswds/css/uswds.min.css\"") != std::string::npos);
  const std::string rules = js->render(request).bytes;
  BOOST_TEST(rules.find("{\"id\": \"return_date\", \"k\": \"date\", \"p\": null, "
                        "\"show\": [\"eq\",[\"f\",\"kind\"],[\"t\",\"temporary\"]]}") != std::string::npos);
  BOOST_TEST(rules.find("\"calc\": [\"add\",[\"n\",\"1\"],[\"count\",[\"f\",\"household\"]]]") != std::string::npos);
  // The page's rules are the registry's, in the page's language (the dates of computed values).
  BOOST_TEST(page.find(rules.substr(0, rules.size() - 1) + "</script>") != std::string::npos);
  BOOST_TEST(rules.find("\"dates\": [\"22 de enero de 1111\"") != std::string::npos);
  // The runtime's URL names its content: the first 16 hex digits of its SHA-256.
  BOOST_TEST(r::form_runtime_url() == "/assets/askonce/form." + std::string(r::form_runtime_tag()) + ".js");
  BOOST_TEST(e::sha256(r::form_runtime()).substr(7, 16) == r::form_runtime_tag());
  BOOST_TEST(r::form_runtime().starts_with("// renderers/assets/form.js"));
  // A computed field has a live region for its value, named by its label.
  BOOST_TEST(page.find("<output class=\"display-block text-bold font-sans-md\" aria-live=\"polite\" "
                       "id=\"f-household_size-value\" aria-labelledby=\"f-household_size\" "
                       "data-askonce-computed=\"household_size\" data-askonce-path=\"household_size\"></output>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(answers_for_the_script_are_json_that_cannot_close_a_script) {
  const Fields fields = {{"kind", "temporary"},
                         {"programs", "snap"},
                         {"household[0].full_name", "</script><script>alert(1)</script>"},
                         {"programs", "wic"},
                         {"note", "\"\\\n\u2028&"}};
  const std::string json = r::answers_json(fields);
  BOOST_TEST(json ==
             "{\"kind\": \"temporary\", \"programs\": [\"snap\", \"wic\"], "
             "\"household[0].full_name\": \"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\", "
             "\"note\": \"\\\"\\\\\\n\\u2028\\u0026\"}");
  BOOST_TEST(json.find("</") == std::string::npos);
  BOOST_TEST(r::answers_json({}) == "{}");
}

BOOST_AUTO_TEST_CASE(escaping_covers_text_and_attributes) {
  BOOST_TEST(r::escape_html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  BOOST_TEST(r::escape_html("ñ é 😀") == "ñ é 😀");
  // Not UTF-8, and control characters: U+FFFD, so the page stays valid.
  BOOST_TEST(r::escape_html(std::string("a\xC3(b\x01" "c\0d", 8)) == "a\xEF\xBF\xBD(b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d");
  std::string js;
  r::append_js_string(js, "</script>\"\\\n\u2028");
  BOOST_TEST(js == "\"\\u003c/script\\u003e\\\"\\\\\\n\\u2028\"");
}

BOOST_AUTO_TEST_CASE(hostile_text_in_labels_hints_and_values_comes_out_as_text) {
  const e::Plan plan = plan_of_text(hostile_form);
  const Fields values = {{"who", "\"><script>alert(5)</script>"},
                         {"story", "\n</textarea><script>alert(6)</script>"},
                         {"site", "javascript:alert(7)"},
                         {"pick", "a\"><script>alert(4)</script>"},
                         {"more", "' onfocus='alert(8)"}};
  const auto filled = filled_with(plan, values, "en");
  for (const std::string& page : {render(plan, "en"), render(plan, "en", &filled)}) {
    // The only script elements are the shared runtime and the rules; no markup from the form or
    // the citizen.
    std::size_t scripts = 0, script_closes = 0;
    for (std::size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) ++scripts;
    for (std::size_t at = page.find("</script"); at != std::string::npos; at = page.find("</script", at + 1)) ++script_closes;
    BOOST_TEST(scripts == 2u);
    BOOST_TEST(script_closes == 2u);
    BOOST_TEST(page.find("<script src=\"" + r::form_runtime_url() + "\" defer></script>") != std::string::npos);
    BOOST_TEST(page.find("<b>Section</b>") == std::string::npos);
    BOOST_TEST(page.find("&lt;b&gt;Section&lt;/b&gt;") != std::string::npos);
    BOOST_TEST(page.find("<i>option</i>") == std::string::npos);
    BOOST_TEST(page.find("<!-- comments") == std::string::npos);
    BOOST_TEST(page.find("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;") != std::string::npos);
    BOOST_TEST(page.find("value=\"a&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;\"") != std::string::npos);
    BOOST_TEST(page.find("href=\"javascript") == std::string::npos);
    BOOST_TEST(page.find("onfocus='") == std::string::npos);  // only inside a quoted value, escaped
    // The textarea closes once, where the renderer closes it.
    std::size_t closes = 0;
    for (std::size_t at = page.find("</textarea>"); at != std::string::npos; at = page.find("</textarea>", at + 1)) ++closes;
    BOOST_TEST(closes == 1u);
  }
  const std::string page = render(plan, "en", &filled);
  BOOST_TEST(page.find("value=\"&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;\"") != std::string::npos);
  BOOST_TEST(page.find("value=\"javascript:alert(7)\"") != std::string::npos);  // kept, as text
  BOOST_TEST(page.find("value=\"&#39; onfocus=&#39;alert(8)\"") != std::string::npos);
  BOOST_TEST(page.find(">\n\n&lt;/textarea&gt;&lt;script&gt;alert(6)&lt;/script&gt;</textarea>") != std::string::npos);

  // The rules carry the option value as a string that cannot close a script.
  r::RenderRequest request;
  request.plan = &plan;
  const std::string js = r::render_form_rules(request).bytes;
  BOOST_TEST(js.find("</") == std::string::npos);
  BOOST_TEST(js.find("\"a\\\"\\u003e\\u003cscript\\u003ealert(4)\\u003c/script\\u003e\"") != std::string::npos);
  BOOST_TEST(page.find(js.substr(0, js.size() - 1)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_page_with_errors_keeps_every_value_and_links_each_error) {
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const Fields values = {{"person.name.first", "Ana"},
                         {"person.birth_date.month", "2"},
                         {"person.birth_date.day", "30"},
                         {"person.birth_date.year", "1990"},
                         {"person.ssn", "12-34"},
                         {"kind", "temporary"},
                         {"household[0].full_name", "Luis"},
                         {"nmae", "x"}};
  const auto filled = filled_with(plan, values, "en");
  const std::string page = render(plan, "en", &filled);
  BOOST_TEST(page.find("<title>Error: Report a change of address - Government forms</title>") != std::string::npos);
  BOOST_TEST(page.find("id=\"error-summary\" role=\"alert\" tabindex=\"-1\"") != std::string::npos);
  BOOST_TEST(page.find("value=\"30\"") != std::string::npos);     // an impossible date, kept
  BOOST_TEST(page.find("value=\"12-34\"") != std::string::npos);  // an invalid SSN, kept
  BOOST_TEST(page.find("name=\"household[0].full_name\"") != std::string::npos);
  BOOST_TEST(page.find("value=\"Luis\"") != std::string::npos);
  BOOST_TEST(page.find("value=\"temporary\" checked") != std::string::npos);
  // Every error in the summary; those about a field link to its first input, which exists
  // and is described by the inline message.
  std::size_t linked = 0;
  for (const auto& err : filled.errors) {
    BOOST_TEST_CONTEXT(err.path) {
      BOOST_TEST(page.find(r::escape_html(err.message)) != std::string::npos);
      if (err.field == askonce::model::no_field) continue;
      const std::string id = r::html_id(err.path);
      const std::size_t link = page.find("<a href=\"#" + id);
      BOOST_TEST(link != std::string::npos);
      const std::size_t quote = page.find('"', link + 10);
      const std::string target = page.substr(link + 10, quote - link - 10);
      BOOST_TEST(page.find("id=\"" + target + "\"") != std::string::npos);
      ++linked;
    }
  }
  BOOST_TEST(linked >= 5u);
  BOOST_TEST(page.find("aria-describedby=\"f-person-ssn-rules f-person-ssn-error\"") != std::string::npos);
  BOOST_TEST(page.find("<li>" + r::escape_html(filled.errors.front().message) + "</li>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_show_if_question_says_its_condition_in_words) {
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const std::string page = render(plan, "en");
  BOOST_TEST(page.find("data-askonce-field=\"return_date\" data-askonce-path=\"return_date\"") != std::string::npos);
  BOOST_TEST(page.find("Answer only if you answered “No, temporary” to question") != std::string::npos);
  const std::string es = render(plan, "es");
  BOOST_TEST(es.find("“No, temporal”") != std::string::npos);
  // No inline script or style for a strict Content-Security-Policy to block.
  for (const std::string& p : {page, es}) {
    BOOST_TEST(p.find(" style=") == std::string::npos);
    BOOST_TEST(p.find("<style") == std::string::npos);
    BOOST_TEST(p.find("<script>") == std::string::npos);
    BOOST_TEST(p.find(" onclick=") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(field_names_round_trip_through_the_engines_flat_reader) {
  // A valid change of address, and every form's invalid submission: what the browser posts
  // from the rendered page reads as the same answers as what was sent.
  std::vector<std::pair<std::string, Fields>> cases;
  cases.push_back({"forms/change-of-address.form", valid_change_of_address()});
  for (const auto& p : askonce::test::shipped_forms()) {
    auto result = askonce::dsl::compile_file(p.string());
    BOOST_TEST_REQUIRE(result.form.has_value());
    cases.push_back({p.string(), invalid_submission(*result.form, false)});
  }
  for (const auto& [path, sent] : cases) {
    BOOST_TEST_CONTEXT(path) {
      const e::Plan plan = plan_of(path);
      const auto ctx = e::Context::on(fixed_day, "en", "web");
      const auto direct = e::validate_form_fields(plan, sent, ctx);
      r::Filled filled;
      filled.values = sent;
      filled.errors = direct.errors;
      const Fields posted = posted_by_browser(render(plan, "en", &filled));
      BOOST_TEST(!posted.empty());
      const auto via_page = e::validate_form_fields(plan, posted, ctx);
      BOOST_TEST(error_keys(via_page) == error_keys(direct), e::format_errors(via_page.errors));
      BOOST_TEST(via_page.submission.canonical_json == direct.submission.canonical_json);
      if (path == "forms/change-of-address.form" && sent.size() > 20) {
        BOOST_TEST(direct.ok(), e::format_errors(direct.errors));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(check_your_answers_and_the_confirmation_page) {
  // Goldens too, so that the browser checks (tests/browser/) see these pages as well.
  const bool accept = accept_mode();
  const e::Plan plan = plan_of("forms/change-of-address.form");
  Fields sent = valid_change_of_address();
  sent.emplace_back("contact.phone", "202.555.0123");  // read as +12025550123
  sent.emplace_back("contact.phone_type", "mobile");
  for (const std::string lang : {"en", "es"}) {
    const auto result = e::validate_form_fields(plan, sent, e::Context::on(fixed_day, lang, "web"));
    BOOST_TEST_REQUIRE(result.ok(), e::format_errors(result.errors));
    r::RenderRequest request;
    request.plan = &plan;
    request.language = lang;
    request.submission = &result.submission;
    request.document = r::Document::Answers;
    const std::string answers = r::render_html(request).bytes;
    BOOST_TEST(answers.find("Luis Ruiz") != std::string::npos);
    BOOST_TEST(answers.find("123-45-6789") != std::string::npos);  // the citizen's own page: in full
    BOOST_TEST(answers.find("name=\"askonce:confirm\"") != std::string::npos);
    check_golden(fs::path("tests/golden/html") / ("change-of-address." + lang + ".answers.html"), answers, accept);

    r::ReceiptInfo info;
    info.reference = "COA-2024-<0001>";
    info.agencies = r::receiving_agencies(plan, result.submission, fixed_day);
    request.document = r::Document::Receipt;
    request.receipt = &info;
    const std::string receipt = r::render_html(request).bytes;
    BOOST_TEST(receipt.find("COA-2024-&lt;0001&gt;") != std::string::npos);
    // Shown in the citizen's terms: a US phone number as Americans write it, and the time in
    // the deployment's zone, named (received 2024-05-01 00:00 UTC is the evening before in
    // New York, the default).
    BOOST_TEST(answers.find("(202) 555-0123") != std::string::npos);
    BOOST_TEST(receipt.find("+12025550123") == std::string::npos);
    BOOST_TEST(receipt.find(lang == "en" ? "April 30, 2024, 8:00 PM Eastern Time" : "30 de abril de 2024, 8:00 p. m. hora del Este") !=
               std::string::npos);
    BOOST_TEST(receipt.find("123-45-6789") == std::string::npos);  // masked on the receipt
    BOOST_TEST(receipt.find(r::escape_html(plan.form().standard.at(lang))) != std::string::npos);
    // SSA always, USPS because mail is forwarded; not VA (no benefits), not IRS (temporary).
    BOOST_TEST(receipt.find(plan.form().agencies[0].title.at(lang)) != std::string::npos);
    BOOST_TEST(receipt.find(plan.form().agencies[1].title.at(lang)) != std::string::npos);
    BOOST_TEST(receipt.find(plan.form().agencies[3].title.at(lang)) == std::string::npos);
    check_golden(fs::path("tests/golden/html") / ("change-of-address." + lang + ".receipt.html"), receipt, accept);
  }
}

BOOST_AUTO_TEST_CASE(the_journey_steps_and_check_answers) {
  // Goldens of every step of change of address and its check-your-answers page, in both
  // languages, so that the browser checks (tests/browser/check.mjs) see them too.
  const bool accept = accept_mode();
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const auto& form = plan.form();
  const fs::path dir = "tests/golden/html";
  for (const std::string lang : {"en", "es"}) {
    Fields answers = valid_change_of_address();
    std::erase_if(answers, [](const auto& kv) { return kv.first == "truthful"; });
    const auto checked = e::validate_form_fields(plan, answers, e::Context::on(fixed_day, lang, "web"));
    for (std::size_t s = 0; s < form.sections.size(); ++s) {
      BOOST_TEST_CONTEXT(lang << " " << form.sections[s].name) {
        r::StepInfo info;
        info.section = s;
        info.number = s + 1;
        info.count = form.sections.size();
        info.back_url = s == 0 ? "/forms/change_of_address?lang=" + lang
                               : "/forms/change_of_address/steps/" + form.sections[s - 1].name + "?lang=" + lang;
        info.delete_url = "/forms/change_of_address/delete?lang=" + lang;
        if (form.sections[s].name == "others") info.focus = "household[0]";
        const r::Filled filled{answers, {}};
        r::RenderRequest request;
        request.plan = &plan;
        request.language = lang;
        request.document = r::Document::Step;
        request.filled = &filled;
        request.step = &info;
        request.hidden = {{"askonce:csrf", "TOKEN"}};
        const std::string page = r::render_html(request).bytes;
        BOOST_TEST(page.find(r::escape_html(r::ui(r::Ui::StepNOfM, lang, {std::to_string(s + 1), "6"}))) != std::string::npos);
        BOOST_TEST(page.find("<h1 class=\"margin-top-1\">" + r::escape_html(form.sections[s].title.at(lang)) + "</h1>") !=
                   std::string::npos);
        BOOST_TEST(page.find("href=\"" + r::escape_html(info.back_url) + "\"") != std::string::npos);
        // The title names the step and the form, in the frame.
        BOOST_TEST(page.find("<title>" + r::escape_html(form.sections[s].title.at(lang)) + " - " +
                             r::escape_html(r::ui(r::Ui::StepNOfM, lang, {std::to_string(s + 1), "6"})) + " - " +
                             r::escape_html(form.title.at(lang)) + " - ") != std::string::npos);
        BOOST_TEST(page.find("id=\"main-content\"") != std::string::npos);
        // Only this step's questions; never the declaration's attest.
        BOOST_TEST(page.find("name=\"truthful\"") == std::string::npos);
        for (auto f : form.sections[s].fields) {
          if (form.fields[f].kind == askonce::model::Kind::Repeat || form.fields[f].computed ||
              form.fields[f].kind == askonce::model::Kind::Note || r::declaration_field(form, f)) {
            continue;
          }
          BOOST_TEST(page.find("id=\"q-" + r::html_id(form.fields[f].id).substr(2) + "\"") != std::string::npos,
                     form.fields[f].id);
        }
        for (std::size_t other = 0; other < form.sections.size(); ++other) {
          if (other == s) continue;
          for (auto f : form.sections[other].fields) {
            BOOST_TEST(page.find("id=\"q-" + r::html_id(form.fields[f].id).substr(2) + "\"") == std::string::npos,
                       form.fields[f].id);
          }
        }
        // What the browser posts from the step is the step's answers, as they were.
        for (const auto& [name, value] : posted_by_browser(page)) {
          if (name.starts_with("askonce:")) continue;
          BOOST_TEST((std::find(answers.begin(), answers.end(), std::make_pair(name, value)) != answers.end() ||
                      value.empty()),
                     name << "=" << value);
        }
        check_golden(dir / ("change-of-address." + lang + ".step-" + form.sections[s].name + ".html"), page, accept);
      }
    }
    // The move step with an error of its own.
    {
      Fields wrong = answers;
      for (auto& [name, value] : wrong) {
        if (name == "move_date.month") value = "13";
      }
      const auto bad = e::validate_form_fields(plan, wrong, e::Context::on(fixed_day, lang, "web"));
      std::vector<e::Error> errors;
      for (const auto& err : bad.errors) {
        if (err.field != askonce::model::no_field && form.fields[err.field].section == 1) errors.push_back(err);
      }
      BOOST_TEST_REQUIRE(!errors.empty());
      r::StepInfo info;
      info.section = 1;
      info.number = 2;
      info.count = 5;
      info.back_url = "/forms/change_of_address/steps/about?lang=" + lang;
      info.delete_url = "/forms/change_of_address/delete?lang=" + lang;
      const r::Filled filled{wrong, errors};
      r::RenderRequest request;
      request.plan = &plan;
      request.language = lang;
      request.document = r::Document::Step;
      request.filled = &filled;
      request.step = &info;
      request.hidden = {{"askonce:csrf", "TOKEN"}};
      const std::string page = r::render_html(request).bytes;
      BOOST_TEST(page.find("id=\"error-summary\"") != std::string::npos);
      BOOST_TEST(page.find("href=\"#f-move_date-month\"") != std::string::npos);
      check_golden(dir / ("change-of-address." + lang + ".step-move.errors.html"), page, accept);
    }
    // Check your answers in the journey: Change links, the declaration (left unticked: its error).
    {
      std::vector<e::Error> errors;
      for (const auto& err : checked.errors) errors.push_back(err);
      BOOST_TEST_REQUIRE(errors.size() == 1u);  // only the attest
      r::StepInfo info;
      info.back_url = "/forms/change_of_address/steps/declaration?lang=" + lang;
      info.delete_url = "/forms/change_of_address/delete?lang=" + lang;
      const r::Filled filled{answers, errors};
      r::RenderRequest request;
      request.plan = &plan;
      request.language = lang;
      request.document = r::Document::Answers;
      request.submission = &checked.submission;
      request.filled = &filled;
      request.step = &info;
      request.hidden = {{"askonce:csrf", "TOKEN"}};
      const std::string page = r::render_html(request).bytes;
      BOOST_TEST(page.find("href=\"/forms/change_of_address/steps/move?return=check&amp;lang=" + lang + "#f-old_address-street\"") !=
                 std::string::npos);
      BOOST_TEST(page.find("href=\"#f-truthful\"") != std::string::npos);
      BOOST_TEST(page.find("id=\"f-truthful\" name=\"truthful\"") != std::string::npos);
      BOOST_TEST(page.find("Luis Ruiz") != std::string::npos);
      BOOST_TEST(page.find(r::escape_html(r::ui(r::Ui::SubmitApplication, lang))) != std::string::npos);
      check_golden(dir / ("change-of-address." + lang + ".check.html"), page, accept);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_forms_journey_pages_match_their_goldens) {
  // Every shipped form's journey, as the citizen sees it with a valid application
  // (tests/samples/<stem>.tsv): each step with the answers, the first step with its own errors
  // (its answers left blank), check your answers (the declaration not yet ticked: its error)
  // and the receipt, in every language. Goldens, so that the Nu checker and axe-core
  // (tests/browser/check.mjs) see every page of every form. Change of address has its own
  // test above, with the journey's details (focus after Add, Change links).
  const bool accept = accept_mode();
  const fs::path dir = "tests/golden/html";
  for (const auto& path : askonce::test::shipped_forms()) {
    const std::string stem = path.stem().string();
    const Fields sample = askonce::test::sample_answers(stem);
    BOOST_TEST_CONTEXT(stem) {
      BOOST_TEST_REQUIRE(!sample.empty(), "no tests/samples/" << stem << ".tsv");
      const e::Plan plan = plan_of(path.string());
      const auto& form = plan.form();
      const auto whole = e::validate_form_fields(plan, sample, e::Context::on(fixed_day, "en", "web"));
      BOOST_TEST_REQUIRE(whole.ok(), e::format_errors(whole.errors));
      if (stem == "change-of-address") {
        BOOST_TEST((sample == valid_change_of_address()));
        continue;
      }
      Fields answers = sample;
      std::erase_if(answers, [&](const auto& kv) {
        const auto f = plan.member(askonce::model::no_field, kv.first);
        return f != askonce::model::no_field && r::declaration_field(form, f);
      });
      const std::string base = "/forms/" + form.id;
      for (const auto& lang : form.languages) {
        BOOST_TEST_CONTEXT(lang) {
          const auto ctx = e::Context::on(fixed_day, lang, "web");
          const auto checked = e::validate_form_fields(plan, answers, ctx);
          auto request_for = [&](const r::Filled& filled, const r::StepInfo& info) {
            r::RenderRequest request;
            request.plan = &plan;
            request.language = lang;
            request.document = r::Document::Step;
            request.filled = &filled;
            request.step = &info;
            request.hidden = {{"askonce:csrf", "TOKEN"}};
            return request;
          };
          auto step_info = [&](std::size_t s) {
            r::StepInfo info;
            info.section = s;
            info.number = s + 1;
            info.count = form.sections.size();
            info.back_url = s == 0 ? base + "?lang=" + lang : base + "/steps/" + form.sections[s - 1].name + "?lang=" + lang;
            info.delete_url = base + "/delete?lang=" + lang;
            return info;
          };
          for (std::size_t s = 0; s < form.sections.size(); ++s) {
            BOOST_TEST_CONTEXT(form.sections[s].name) {
              const r::Filled filled{answers, {}};
              const auto info = step_info(s);
              const std::string page = r::render_html(request_for(filled, info)).bytes;
              BOOST_TEST(page.find("<h1 class=\"margin-top-1\">" + r::escape_html(form.sections[s].title.at(lang)) + "</h1>") !=
                         std::string::npos);
              // What the browser posts from the step is the sample's answers, as they were (or
              // the default of a question the sample leaves unanswered, hidden by its answers).
              for (const auto& [name, value] : posted_by_browser(page)) {
                if (name.starts_with("askonce:")) continue;
                const auto f = plan.member(askonce::model::no_field, name);
                const bool defaulted = f != askonce::model::no_field && !std::holds_alternative<std::monostate>(form.fields[f].default_value) &&
                                       std::none_of(answers.begin(), answers.end(), [&](const auto& kv) { return kv.first == name; });
                BOOST_TEST((std::find(answers.begin(), answers.end(), std::make_pair(name, value)) != answers.end() ||
                            value.empty() || defaulted),
                           name << "=" << value);
              }
              check_golden(dir / (stem + "." + lang + ".step-" + form.sections[s].name + ".html"), page, accept);
            }
          }
          // The first step with its answers left blank: its own errors, and only those.
          {
            Fields blank_first;
            for (const auto& kv : answers) {
              const auto head = kv.first.substr(0, kv.first.find_first_of(".["));
              const auto f = plan.member(askonce::model::no_field, head);
              if (f == askonce::model::no_field || form.fields[f].section != 0) blank_first.push_back(kv);
            }
            const auto bad = e::validate_form_fields(plan, blank_first, ctx);
            std::vector<e::Error> errors;
            for (const auto& err : bad.errors) {
              if (err.field != askonce::model::no_field && form.fields[err.field].section == 0) errors.push_back(err);
            }
            BOOST_TEST_REQUIRE(!errors.empty());
            const r::Filled filled{blank_first, errors};
            const auto info = step_info(0);
            const std::string page = r::render_html(request_for(filled, info)).bytes;
            BOOST_TEST(page.find("id=\"error-summary\"") != std::string::npos);
            BOOST_TEST(page.find("href=\"#" + r::html_id(errors.front().path)) != std::string::npos);
            check_golden(dir / (stem + "." + lang + ".step-" + form.sections[0].name + ".errors.html"), page, accept);
          }
          // Check your answers: every error is the declaration's, asked on this page.
          {
            BOOST_TEST_REQUIRE(!checked.errors.empty());
            for (const auto& err : checked.errors) {
              BOOST_TEST((err.field != askonce::model::no_field && r::declaration_field(form, err.field)), err.path);
            }
            r::StepInfo info;
            info.back_url = base + "/steps/" + form.sections.back().name + "?lang=" + lang;
            info.delete_url = base + "/delete?lang=" + lang;
            const r::Filled filled{answers, checked.errors};
            r::RenderRequest request;
            request.plan = &plan;
            request.language = lang;
            request.document = r::Document::Answers;
            request.submission = &checked.submission;
            request.filled = &filled;
            request.step = &info;
            request.hidden = {{"askonce:csrf", "TOKEN"}};
            const std::string page = r::render_html(request).bytes;
            BOOST_TEST(page.find(r::escape_html(r::ui(r::Ui::SubmitApplication, lang))) != std::string::npos);
            BOOST_TEST(page.find("?return=check&amp;lang=" + lang + "#f-") != std::string::npos);
            check_golden(dir / (stem + "." + lang + ".check.html"), page, accept);
          }
          // The receipt.
          {
            const auto sent = e::validate_form_fields(plan, sample, ctx);
            BOOST_TEST_REQUIRE(sent.ok(), e::format_errors(sent.errors));
            r::ReceiptInfo info;
            info.reference = "ABCD-EFGH-JKL";
            info.agencies = r::receiving_agencies(plan, sent.submission, fixed_day);
            BOOST_TEST(!info.agencies.empty());
            r::RenderRequest request;
            request.plan = &plan;
            request.language = lang;
            request.document = r::Document::Receipt;
            request.submission = &sent.submission;
            request.receipt = &info;
            const std::string page = r::render_html(request).bytes;
            BOOST_TEST(page.find("ABCD-EFGH-JKL") != std::string::npos);
            for (auto a : info.agencies) BOOST_TEST(page.find(r::escape_html(form.agencies[a].title.at(lang))) != std::string::npos);
            check_golden(dir / (stem + "." + lang + ".receipt.html"), page, accept);
          }
        }
      }
    }
  }
}

// ---- the page frame and the start page -------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_page_has_the_frame_and_no_internal_id) {
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const auto result = e::validate_form_fields(plan, valid_change_of_address(), e::Context::on(fixed_day, "en", "web"));
  BOOST_TEST_REQUIRE(result.ok(), e::format_errors(result.errors));
  r::ReceiptInfo info;
  info.reference = "ABCD-EFGH-JKL";
  r::Site site;
  site.name = "Benefits <Online>";
  site.home_url = "https://www.example.gov/";
  site.about_url = "/about";
  site.accessibility_url = "https://www.example.gov/accessibility";
  site.privacy_url = "/privacy?x=1&y=2";
  for (const r::Document document : {r::Document::Start, r::Document::Form, r::Document::Answers, r::Document::Receipt}) {
    for (const std::string lang : {"en", "es"}) {
      r::RenderRequest request;
      request.plan = &plan;
      request.language = lang;
      request.document = document;
      request.submission = &result.submission;
      request.receipt = &info;
      request.site = site;
      const std::string page = r::render_html(request).bytes;
      BOOST_TEST_CONTEXT(static_cast<int>(document) << " " << lang) {
        // The skip link comes first and leads to <main>.
        BOOST_TEST(page.find("<body>\n<a class=\"usa-skipnav\" href=\"#main-content\">") != std::string::npos);
        BOOST_TEST(page.find("<main id=\"main-content\"") != std::string::npos);
        // The official banner opens without JavaScript: a <details>.
        BOOST_TEST(page.find(lang == "en" ? "An official website of the United States government"
                                          : "Un sitio oficial del Gobierno de Estados Unidos") != std::string::npos);
        BOOST_TEST(page.find(lang == "en" ? "Here’s how you know" : "Así es como usted puede verificarlo") != std::string::npos);
        BOOST_TEST(page.find("<details class=\"usa-accordion\">\n<summary class=\"usa-banner__header\">") != std::string::npos);
        BOOST_TEST(page.find(lang == "en" ? "Official websites use .gov" : "Los sitios web oficiales usan .gov") != std::string::npos);
        // The header names the service, escaped, and links home.
        BOOST_TEST(page.find("<a href=\"https://www.example.gov/\">Benefits &lt;Online&gt;</a>") != std::string::npos);
        // The footer's links, from the site.
        BOOST_TEST(page.find("href=\"/about\"") != std::string::npos);
        BOOST_TEST(page.find("href=\"https://www.example.gov/accessibility\"") != std::string::npos);
        BOOST_TEST(page.find("href=\"/privacy?x=1&amp;y=2\"") != std::string::npos);
        // The language switch: every language, each in its own, the current one marked.
        const std::string other = lang == "en" ? "es" : "en";
        BOOST_TEST(page.find("aria-current=\"true\" href=\"?lang=" + lang + "\" lang=\"" + lang + "\" hreflang=\"" + lang + "\">") !=
                   std::string::npos);
        BOOST_TEST(page.find("href=\"?lang=" + other + "\" lang=\"" + other + "\" hreflang=\"" + other + "\">" +
                             (other == "es" ? "Español" : "English") + "</a>") != std::string::npos);
        // The title ends with the form and the service; no internal id anywhere.
        BOOST_TEST(page.find(plan.form().title.at(lang) + " - Benefits &lt;Online&gt;</title>") != std::string::npos);
        BOOST_TEST(page.find("change_of_address, ") == std::string::npos);
        BOOST_TEST(page.find("version 1") == std::string::npos);
        BOOST_TEST(page.find("versión 1") == std::string::npos);
      }
    }
  }
  // Empty: the defaults. The service's default name, home at "/", no footer link but home.
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "en";
  request.document = r::Document::Start;
  const std::string page = r::render_html(request).bytes;
  BOOST_TEST(page.find("<a href=\"/\">Government forms</a>") != std::string::npos);
  BOOST_TEST(page.find("<title>Report a change of address - Government forms</title>") != std::string::npos);
  BOOST_TEST(page.find("Accessibility statement") == std::string::npos);
  // Explicit language links (the server's receipts keep their key in them).
  request.site.languages = {{"en", "/receipts/X?key=k&lang=en"}, {"es", "/receipts/X?key=k&lang=es"}};
  const std::string linked = r::render_html(request).bytes;
  BOOST_TEST(linked.find("href=\"/receipts/X?key=k&amp;lang=es\" lang=\"es\" hreflang=\"es\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_step_page_names_the_step_in_its_title) {
  // The hook for step pages: title_parts before the form's title and the service's name.
  const e::Plan plan = plan_of("forms/change-of-address.form");
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "en";
  request.title_parts = {"Your move", "Step 2 of 4"};
  request.site.name = "Forms Online";
  const std::string page = r::render_html(request).bytes;
  BOOST_TEST(page.find("<title>Your move - Step 2 of 4 - Report a change of address - Forms Online</title>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_start_page_says_what_the_form_is_for_and_starts_with_a_link) {
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const auto& form = plan.form();
  for (const std::string lang : {"en", "es"}) {
    r::RenderRequest request;
    request.plan = &plan;
    request.language = lang;
    request.document = r::Document::Start;
    const std::string page = r::render_html(request).bytes;
    BOOST_TEST_CONTEXT(lang) {
      BOOST_TEST(page.find("<h1>" + r::escape_html(form.title.at(lang)) + "</h1>") != std::string::npos);
      for (const auto* text : {&form.purpose, &form.eligibility, &form.duration, &form.standard, &form.apply_phone,
                               &form.apply_in_person, &form.apply_mail}) {
        BOOST_TEST(!text->empty());
        BOOST_TEST(page.find(r::escape_html(text->at(lang))) != std::string::npos, text->at(lang));
      }
      BOOST_TEST(form.needs.size() == 5u);
      for (const auto& need : form.needs) BOOST_TEST(page.find("<li>" + r::escape_html(need.at(lang)) + "</li>") != std::string::npos);
      // "Start now" is a link to the first step, in the page's language: starting sends nothing.
      BOOST_TEST(page.find("<a class=\"usa-button usa-button--big\" href=\"/forms/change_of_address/steps/" + form.sections.front().name +
                           "?lang=" + lang + "\">" + (lang == "en" ? "Start now" : "Comenzar ahora") + "</a>") != std::string::npos);
      BOOST_TEST(page.find("<form") == std::string::npos);
      BOOST_TEST(page.find("<script") == std::string::npos);
      BOOST_TEST(page.find("href=\"/forms/change_of_address.pdf?lang=" + lang + "\"") != std::string::npos);
    }
  }
  // The deployment's other ways to apply win over the form's.
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "en";
  request.document = r::Document::Start;
  request.site.apply_phone = "Call 1-800-555-0100 <any time>";
  const std::string page = r::render_html(request).bytes;
  BOOST_TEST(page.find("Call 1-800-555-0100 &lt;any time&gt;") != std::string::npos);
  BOOST_TEST(page.find(r::escape_html(form.apply_phone.at("en"))) == std::string::npos);
  BOOST_TEST(page.find(r::escape_html(form.apply_mail.at("en"))) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(money_has_a_dollar_sign_before_the_box) {
  const e::Plan plan = plan_of("forms/benefits.form");
  const std::string page = render(plan, "en");
  BOOST_TEST(page.find("<div class=\"usa-input-group\">\n<div class=\"usa-input-prefix\" aria-hidden=\"true\">$</div>\n<input class=\"usa-input\"") !=
             std::string::npos);
}

// The A-11 survey on the receipt (renderers/feedback.hpp), in both languages, as the server asks
// it, and once more after a post with problems: goldens, so that the Nu checker and axe-core
// (browser_tests, check.mjs) check the page with the survey too.
BOOST_AUTO_TEST_CASE(the_receipt_with_the_feedback_survey) {
  const bool accept = accept_mode();
  const e::Plan plan = plan_of("forms/change-of-address.form");
  const auto result = e::validate_form_fields(plan, valid_change_of_address(), e::Context::on(fixed_day, "en", "web"));
  BOOST_TEST_REQUIRE(result.ok(), e::format_errors(result.errors));
  for (const std::string lang : {"en", "es"}) {
    r::ReceiptInfo info;
    info.reference = "ABCD-EFGH-JKL";
    info.agencies = r::receiving_agencies(plan, result.submission, fixed_day);
    r::FeedbackForm survey;
    survey.service = plan.form().title.at(lang);
    survey.action = "/receipts/ABCD-EFGH-JKL/feedback?key=k&lang=" + lang;
    survey.hidden = {{"askonce:csrf", "token"}, {"askonce:stage", "confirmation"}, {"askonce:agency", ""}};
    info.feedback = survey;
    r::RenderRequest request;
    request.plan = &plan;
    request.language = lang;
    request.document = r::Document::Receipt;
    request.receipt = &info;
    const std::string page = r::render_html(request).bytes;
    BOOST_TEST(page.find(lang == "en" ? "I am satisfied with the service I received from Report a change of address."
                                      : "Estoy satisfecho con el servicio que recibí de Informe un cambio de dirección.") !=
               std::string::npos);
    BOOST_TEST(page.find("action=\"/receipts/ABCD-EFGH-JKL/feedback?key=k&amp;lang=" + lang + "\"") != std::string::npos);
    check_golden(fs::path("tests/golden/html") / ("change-of-address." + lang + ".receipt-feedback.html"), page, accept);

    // After a post with problems: the summary, each problem at its question, what was chosen.
    std::vector<std::pair<std::string, std::string>> posted = {
        {"q1", "7"}, {"q2", "2"}, {"went_well", "ease"}, {"went_badly", "<b>"}, {"comment", "Too <long> & " + std::string(1000, 'x')}};
    BOOST_TEST(!r::read_feedback_post(posted, lang, survey));
    BOOST_TEST(survey.errors.size() == 3u);
    info.feedback = survey;
    const std::string problem = r::render_html(request).bytes;
    BOOST_TEST(problem.find("usa-form-group--error") != std::string::npos);
    BOOST_TEST(problem.find("&lt;b&gt;") == std::string::npos);  // an unknown driver is not echoed
    BOOST_TEST(problem.find(">Too &lt;long&gt; &amp; x") != std::string::npos);  // the comment, escaped
    check_golden(fs::path("tests/golden/html") / ("change-of-address." + lang + ".receipt-feedback-problem.html"),
                 problem, accept);
  }
}

BOOST_AUTO_TEST_CASE(an_email_checked_by_its_pattern_is_a_text_box_with_the_email_keyboard) {
  // type=email would apply the browser's idea of an address (and its value sanitizing) to
  // addresses the form's own pattern takes; the rules tell the runtime the value is the text.
  const e::Plan plan = plan_of_text(R"(form mails {
  title "Mails"
  version 1
  languages en
  section s "S" {
    email kind_only "By the kind"
    email own "By the pattern" { pattern "[^@\\s]+@[^@\\s]+" "An address with one @." }
  }
})");
  const std::string page = render(plan, "en");
  const auto input = [&](const std::string& name) {
    const auto at = page.find("name=\"" + name + "\"");
    BOOST_REQUIRE(at != std::string::npos);
    const auto start = page.rfind("<input", at);
    return attributes(page.substr(start, page.find('>', at) - start + 1));
  };
  auto by_kind = input("kind_only");
  BOOST_TEST(by_kind["type"] == "email");
  BOOST_TEST(by_kind["autocomplete"] == "email");
  BOOST_TEST(!by_kind.count("inputmode"));
  auto own = input("own");
  BOOST_TEST(own["type"] == "text");
  BOOST_TEST(own["inputmode"] == "email");
  BOOST_TEST(own["autocomplete"] == "email");
  BOOST_TEST(own["spellcheck"] == "false");
  // The pattern's message is among the rules under the label.
  BOOST_TEST(page.find("An address with one @.") != std::string::npos);
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "en";
  const std::string rules = r::find_renderer("rules")->render(request).bytes;
  BOOST_TEST(rules.find("{\"id\": \"kind_only\", \"k\": \"email\", \"p\": null}") != std::string::npos, rules);
  BOOST_TEST(rules.find("{\"id\": \"own\", \"k\": \"email\", \"p\": null, \"by_pattern\": true}") != std::string::npos, rules);
}

BOOST_AUTO_TEST_CASE(an_optional_yes_no_has_a_third_radio_that_takes_the_answer_back) {
  const e::Plan plan = plan_of_text(R"(form prefs {
  title "Prefs"
  version 1
  languages en
  section s "S" {
    yesno news "May we write to you?" { unanswered "I prefer not to say" }
    yesno plain "Are you a veteran?"
  }
})");
  const std::string blank = render(plan, "en");
  BOOST_TEST(blank.find("<input class=\"usa-radio__input\" type=\"radio\" id=\"f-news-unanswered\" name=\"news\" value=\"\">\n"
                        "<label class=\"usa-radio__label\" for=\"f-news-unanswered\">I prefer not to say</label>") !=
             std::string::npos, blank);
  BOOST_TEST(blank.find("f-plain-unanswered") == std::string::npos);  // yes and no only
  // Yes, then taken back: the browser posts the empty value, which is no answer, and the page
  // shows the third radio checked.
  const Fields yes = {{"news", "yes"}};
  const auto said_yes = filled_with(plan, yes, "en");
  BOOST_TEST(render(plan, "en", &said_yes).find("id=\"f-news-yes\" name=\"news\" value=\"yes\" checked>") != std::string::npos);
  const Fields back = {{"news", ""}};
  const auto took_back = filled_with(plan, back, "en");
  const std::string page = render(plan, "en", &took_back);
  BOOST_TEST(page.find("id=\"f-news-unanswered\" name=\"news\" value=\"\" checked>") != std::string::npos, page);
  const Fields posted = posted_by_browser(page);
  BOOST_TEST((posted == Fields{{"news", ""}}));
  const auto r = e::validate_form_fields(plan, posted, e::Context::on(fixed_day, "en", "web"));
  BOOST_TEST(r.ok(), e::format_errors(r.errors));
  BOOST_TEST(r.submission.canonical_json.find("\"news\"") == std::string::npos, r.submission.canonical_json);
}

BOOST_AUTO_TEST_CASE(a_count_of_conditions_and_matches_are_said_in_words_on_the_page) {
  // `required if count(...) != 1` (what the importer writes when the answer that chooses may be
  // left blank) and `matches` (docs/dsl.md): in words under the question, never as a formula;
  // a `matches` no pattern of the question has stays written as it is, the whole condition.
  const e::Plan plan = plan_of_text(R"(form fits {
  title "Fits" es "Encaje"
  version 1
  languages en es
  section s "Address" es "Dirección" {
    choice country "Country" es "País" {
      required if count(matches(postal_code, "[0-9]{5}"), matches(postal_code, "[A-Z][0-9][A-Z] [0-9][A-Z][0-9]")) != 1
      option CAN "Canada" es "Canadá"
      option USA "United States" es "Estados Unidos"
    }
    text postal_code "Postal code" es "Código postal" {
      pattern "[A-Z][0-9][A-Z] [0-9][A-Z][0-9]" "Enter a postal code such as K1A 0B1." es "Escriba un código postal como K1A 0B1." if country == "CAN"
      pattern "[0-9]{5}" "Enter a ZIP code such as 12345." es "Escriba un código ZIP como 12345." if country == "USA"
    }
    text zip_note "ZIP code notes" es "Notas del código ZIP" { show if matches(postal_code, "[0-9]{5}") }
    text other "Other" es "Otro" { show if matches(postal_code, "[0-9]{9}") }
  }
})");
  const std::string page = render(plan, "en");
  BOOST_TEST(page.find("Required unless exactly one of these is true: your answer to question 2 follows the rule "
                       "“Enter a ZIP code such as 12345”; your answer to question 2 follows the rule “Enter a postal "
                       "code such as K1A 0B1”.") != std::string::npos,
             page);
  BOOST_TEST(page.find("Answer only if your answer to question 2 follows the rule “Enter a ZIP code such as 12345”.") !=
             std::string::npos);
  BOOST_TEST(page.find("Answer only if matches(question 2, “[0-9]{9}”).") != std::string::npos);
  BOOST_TEST(page.find("count(") == std::string::npos);
  const std::string es = render(plan, "es");
  BOOST_TEST(es.find("Obligatoria salvo que se cumpla exactamente una de estas condiciones: su respuesta a la pregunta 2 "
                     "cumple la regla “Escriba un código ZIP como 12345”; su respuesta a la pregunta 2 cumple la regla "
                     "“Escriba un código postal como K1A 0B1”.") != std::string::npos,
             es);
  BOOST_TEST(es.find("Responda solo si su respuesta a la pregunta 2 cumple la regla “Escriba un código ZIP como 12345”.") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_member_is_on_no_page_and_in_no_list_of_answers) {
  // `member "NAME" TYPE` has no question: not on the form's pages, not in "check your
  // answers", even when a JSON client sent it; and no rendering diagnostic.
  const e::Plan plan = plan_of_text(R"(
form members {
  title "Members"
  version 1
  languages en
  section s "You" {
    text full_name "Full name" { required }
    member "view:serviceNote" object
    member "otherInformation" array of string
  }
  section t "Only members" {
    member "view:pageNote" object
  }
}
)");
  r::RenderRequest request;
  request.plan = &plan;
  request.language = "en";
  const auto page = r::render_html(request);
  BOOST_TEST(page.warnings.empty());
  for (const char* word : {"serviceNote", "otherInformation", "pageNote", "Served in"}) {
    BOOST_TEST(page.bytes.find(word) == std::string::npos, word);
  }
  BOOST_TEST(page.bytes.find("Full name") != std::string::npos);
  const auto result = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": {"a": "Served in"}, "otherInformation": ["Served in"]})",
                                       e::Context::on(fixed_day, "en", "api"));
  BOOST_TEST_REQUIRE(result.ok(), e::format_errors(result.errors));
  request.submission = &result.submission;
  request.document = r::Document::Answers;
  const auto answers = r::render_html(request);
  BOOST_TEST(answers.warnings.empty());
  BOOST_TEST(answers.bytes.find("Ana") != std::string::npos);
  for (const char* word : {"serviceNote", "otherInformation", "pageNote", "Served in"}) {
    BOOST_TEST(answers.bytes.find(word) == std::string::npos, word);
  }
}
