// tests/server_web_tests.cpp: the citizens' side of the server (server/http/web_routes.cpp): the list
// of forms, start pages in each language, the journey one step at a time (each step checked on
// its own, skipped steps, check your answers with Change and back, the declaration, one
// Submit), the draft cookie, posts with their CSRF token, errors shown with every value kept,
// Add and Remove, submitting once whatever the browser does, Delete my answers, receipts with
// their key and each delivery's state, old receipts under a changed form, the USWDS files, and
// the limits every post gets. A real server on a loopback port, a real SQLite file, a real HTTP
// client that keeps cookies as a browser does.
#define BOOST_TEST_MODULE server_web_tests
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <Poco/URI.h>

#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/time_zone.hpp"
#include "engine/validate.hpp"
#include "renderers/escape.hpp"
#include "renderers/script.hpp"
#include "renderers/strings.hpp"
#include "server/http/web_pages.hpp"
#include "server/http/web_post.hpp"
#include "server/store/reference.hpp"
#include "tests/server_support.hpp"
#include "tests/test_support.hpp"

namespace fs = std::filesystem;
using namespace askonce;
using askonce::test::Headers;
using askonce::test::HttpResponse;
using askonce::test::TestServer;
using Fields = std::vector<std::pair<std::string, std::string>>;

namespace {

const std::string coa = "/forms/change_of_address";  // the start page
const std::string hostile = "<script>alert(1)</script>\"'&";
const std::string hostile_escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

using askonce::test::valid_change_of_address;

void set(Fields& fields, const std::string& name, const std::string& value) {
  for (auto& [n, v] : fields) {
    if (n == name) {
      v = value;
      return;
    }
  }
  fields.emplace_back(name, value);
}

std::string urlencode(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    std::string n, v;
    Poco::URI::encode(name, "!#$&'()*+,/:;=?@[]", n);
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", v);
    out += n + "=" + v;
  }
  return out;
}

std::string hidden_value(const std::string& html, const std::string& name) {
  const std::regex re("<input type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\">");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

const std::string draft_cookie = "askonce-draft-change_of_address";

/// An address as a page writes it in an href.
std::string test_escape(const std::string& s) { return renderers::escape_html(s); }

/// A browser on the journey: the cookies it was given (the CSRF one, the draft's) and the CSRF
/// token of the last page it opened.
struct Browser {
  explicit Browser(TestServer& server) : s(server) {}
  TestServer& s;
  std::map<std::string, std::string> cookies;
  std::string csrf;

  void take(const HttpResponse& r) {
    for (const auto& c : r.cookies) {
      const auto eq = c.find('='), semi = c.find(';');
      const std::string name = c.substr(0, eq), value = c.substr(eq + 1, semi - eq - 1);
      if (value.empty()) cookies.erase(name);  // cleared
      else cookies[name] = value;
    }
    if (const std::string token = hidden_value(r.body, "askonce:csrf"); !token.empty()) csrf = token;
  }
  Headers with_cookies(Headers headers = {}) const {
    std::string all;
    for (const auto& [name, value] : cookies) all += (all.empty() ? "" : "; ") + name + "=" + value;
    if (!all.empty()) headers.emplace_back("Cookie", all);
    return headers;
  }
  HttpResponse get(const std::string& target) {
    HttpResponse r = s.get(target, with_cookies());
    take(r);
    return r;
  }
  /// A post of `fields` as the page sends it: its CSRF token added.
  HttpResponse post(const std::string& target, Fields fields, Headers extra = {}) {
    fields.emplace_back("askonce:csrf", csrf);
    extra.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    HttpResponse r = s.post(target, urlencode(fields), with_cookies(std::move(extra)));
    take(r);
    return r;
  }
  std::string draft() const {
    auto it = cookies.find(draft_cookie);
    return it == cookies.end() ? std::string() : it->second;
  }
};

std::string step(const std::string& section, const std::string& lang = "en") {
  return coa + "/steps/" + section + "?lang=" + lang;
}
std::string check(const std::string& lang = "en") { return coa + "/check?lang=" + lang; }

/// Opens the first step and Continues through every step with `fields` (each step keeps only
/// its own), as a citizen would; returns the addresses visited, the check page last.
std::vector<std::string> walk(Browser& b, const Fields& fields, const std::string& lang = "en") {
  std::string at = step("about", lang);
  BOOST_TEST_REQUIRE(b.get(at).status == 200);
  std::vector<std::string> visited = {at};
  for (int i = 0; i < 20 && !at.starts_with(coa + "/check"); ++i) {
    const HttpResponse r = b.post(at, fields);
    BOOST_TEST_REQUIRE(r.status == 303, at << ": " << r.status << " " << r.body.substr(0, 3000));
    at = r.header("location");
    visited.push_back(at);
    BOOST_TEST_REQUIRE(b.get(at).status == 200, at);
  }
  BOOST_TEST_REQUIRE(at.starts_with(coa + "/check"));
  return visited;
}

/// The whole journey with valid answers, then Submit: the receipt's address.
std::string submit_valid(TestServer& s, Fields fields = valid_change_of_address()) {
  Browser b(s);
  walk(b, fields);
  fields.emplace_back("askonce:confirm", "yes");
  const HttpResponse r = b.post(check(), fields);
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 3000));
  return r.header("location");
}

std::string reference_of(const std::string& location) {
  const std::regex re("^/receipts/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\\?key=[A-Za-z0-9_-]{20,}$");
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(location, m, re), location);
  return m[1].str();
}

/// Ana's answers to the questions only she knows (test_support's valid_change_of_address):
/// born 2/28/1990, SSN ending 6789.
Fields known_answers(const std::string& month = "2", const std::string& day = "28", const std::string& year = "1990",
                     const std::string& last4 = "6789") {
  return {{"askonce:check", "yes"}, {"known0.month", month}, {"known0.day", day}, {"known0.year", year}, {"known1", last4}};
}

/// The receipt at `location` with its answers (`ext` "": the page; ".pdf", ".txt"), as a
/// browser gets it: "See or print your answers", then what only Ana knows.
HttpResponse receipt_answers(TestServer& s, const std::string& location, const std::string& ext = "",
                             const std::string& more_query = "") {
  Browser b(s);
  const std::string ref = reference_of(location);
  const std::string query = location.substr(location.find('?')) + more_query;
  const HttpResponse ask = b.get("/receipts/" + ref + "/answers" + query);
  BOOST_TEST_REQUIRE(ask.status == 200, ask.body.substr(0, 1000));
  return b.post("/receipts/" + ref + (ext.empty() ? "/answers" : ext) + query, known_answers());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

/// The input named `name` carries `value` (escaped as the page escapes it).
bool keeps(const std::string& html, const std::string& name, const std::string& escaped_value) {
  return html.find("name=\"" + name + "\"") != std::string::npos &&
         std::regex_search(html, std::regex("name=\"" + std::regex_replace(name, std::regex(R"([.\[\]])"), R"(\$&)") +
                                            "\"[^>]*value=\"" +
                                            std::regex_replace(escaped_value, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                                            "\""));
}

}  // namespace

// --- pages ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(index_lists_every_form_in_each_of_its_languages) {
  TestServer s;
  const HttpResponse r = s.get("/");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.header("content-type") == "text/html; charset=utf-8");
  BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  BOOST_TEST(r.body.find("/assets/uswds/css/uswds.min.css") != std::string::npos);
  const auto& forms = s.app->catalog().forms();
  BOOST_TEST(forms.size() >= 4u);
  std::size_t versions = 0;
  for (const auto& f : forms) {
    const auto& model = f.plan->form();
    BOOST_TEST(model.languages.size() >= 2u, f.id);
    for (const auto& lang : model.languages) {
      ++versions;
      for (const std::string& href : {"/forms/" + f.id + "?lang=" + lang, "/forms/" + f.id + ".pdf?lang=" + lang,
                                      "/forms/" + f.id + ".txt?lang=" + lang}) {
        BOOST_TEST(r.body.find("href=\"" + href + "\"") != std::string::npos, href);
      }
    }
  }
  BOOST_TEST(count(r.body, "<li class=\"usa-card") == versions);
  BOOST_TEST(r.body.find("<li class=\"usa-card tablet:grid-col-6\" lang=\"es\">") != std::string::npos);
  BOOST_TEST(r.body.find("Report a change of address") != std::string::npos);
  BOOST_TEST(r.body.find("Informe un cambio de direcci\u00f3n") != std::string::npos);

  const HttpResponse es = s.get("/?lang=es");
  BOOST_TEST(es.status == 200);
  BOOST_TEST(es.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
  BOOST_TEST(es.body.find("<h1>Formularios</h1>") != std::string::npos);
  // Without ?lang=, the browser's language decides, and caches are told so.
  const HttpResponse by_header = s.get("/", {{"Accept-Language", "es-MX,es;q=0.9,en;q=0.5"}});
  BOOST_TEST(by_header.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
  BOOST_TEST(by_header.header("vary") == "Accept-Language");
}

BOOST_AUTO_TEST_CASE(start_pages_in_each_language_and_404_for_an_unknown_form) {
  TestServer s;
  for (const std::string lang : {"en", "es"}) {
    const HttpResponse r = s.get(coa + "?lang=" + lang);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"" + lang + "\">"), lang);
    // "Start now" goes to the first step; the start page asks nothing and sets no cookie.
    BOOST_TEST(r.body.find("href=\"/forms/change_of_address/steps/about?lang=" + lang + "\"") != std::string::npos);
    BOOST_TEST(r.body.find("<form") == std::string::npos);
    BOOST_TEST(r.cookies.empty());
    // A step has the one runtime and the form's rules, and its form's hidden CSRF token (and
    // Delete my answers' one).
    const HttpResponse first = s.get(step("about", lang));
    BOOST_TEST(first.body.find("<script src=\"" + askonce::renderers::form_runtime_url() + "\" defer></script>") !=
               std::string::npos);
    BOOST_TEST(first.body.find("<script type=\"application/json\" id=\"askonce-rules\">{\"form\": \"change_of_address\"") !=
               std::string::npos);
    BOOST_TEST(count(first.body, "type=\"hidden\"") == 2u);
  }
  BOOST_TEST(s.get(coa).body.find("Report a change of address") != std::string::npos);
  BOOST_TEST(s.get(coa + "?lang=es").body.find("Informe un cambio de direcci\u00f3n") != std::string::npos);
  // A language the form does not have: the form in its primary language, not an error.
  const HttpResponse fr = s.get(coa + "?lang=fr");
  BOOST_TEST(fr.status == 200);
  BOOST_TEST(fr.body.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

  BOOST_TEST(s.get("/forms/no_such_form").status == 404);
  BOOST_TEST(s.get("/forms/no_such_form.pdf").status == 404);
  BOOST_TEST(s.get("/forms/change_of_address/form.js").status == 404);  // one shared runtime now
  BOOST_TEST(s.get("/forms/no_such_form/steps/about").status == 404);
  BOOST_TEST(s.get("/forms/no_such_form/check").status == 404);
  BOOST_TEST(s.get(coa + "/steps/no_such_section").status == 404);
  BOOST_TEST(s.get("/nothing/here").status == 404);
  // The one-page post is gone: only steps and check answers take posts.
  BOOST_TEST(s.post(coa, urlencode(valid_change_of_address()), {{"Content-Type", "application/x-www-form-urlencoded"}}).status == 405);

  // HEAD: the GET's status and headers, no body.
  const HttpResponse head = test::http(s.port(), "HEAD", "/");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.body.empty());
  BOOST_TEST(std::stoul(head.header("content-length")) > 1000u);
  BOOST_TEST(test::http(s.port(), "HEAD", coa).status == 200);
}

BOOST_AUTO_TEST_CASE(the_start_page_of_each_form_in_each_language) {
  TestServer s;
  for (const auto& f : s.app->catalog().forms()) {
    const auto& model = f.plan->form();
    for (const auto& lang : model.languages) {
      BOOST_TEST_CONTEXT(f.id << " " << lang) {
        const HttpResponse r = s.get("/forms/" + f.id + "?lang=" + lang);
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"" + lang + "\">"));
        // What it is for, who can use it, what you need, how long, what happens after, other ways.
        for (const auto* text : {&model.title, &model.purpose, &model.eligibility, &model.duration, &model.standard,
                                 &model.apply_phone, &model.apply_mail}) {
          BOOST_TEST(!text->empty());
          std::string escaped;
          renderers::append_html(escaped, text->at(lang));
          BOOST_TEST(r.body.find(escaped) != std::string::npos, escaped);
        }
        BOOST_TEST(!model.needs.empty());
        for (const auto& need : model.needs) {
          std::string escaped;
          renderers::append_html(escaped, need.at(lang));
          BOOST_TEST(r.body.find("<li>" + escaped + "</li>") != std::string::npos, escaped);
        }
        // "Start now" is a link to the first step; the page sends nothing and sets no cookie.
        const std::string start = "/forms/" + f.id + "/steps/" + model.sections.front().name + "?lang=" + lang;
        BOOST_TEST(r.body.find("<a class=\"usa-button usa-button--big\" href=\"" + start + "\">") != std::string::npos);
        BOOST_TEST(r.body.find("<form") == std::string::npos);
        BOOST_TEST(r.header("set-cookie").empty());
        // The frame, and no internal id.
        BOOST_TEST(r.body.find("class=\"usa-banner\"") != std::string::npos);
        BOOST_TEST(r.body.find("href=\"#main-content\"") != std::string::npos);
        BOOST_TEST(r.body.find("Form " + f.id) == std::string::npos);
        BOOST_TEST(r.body.find("Formulario " + f.id) == std::string::npos);
        BOOST_TEST(r.body.find("aria-current=\"true\" href=\"?lang=" + lang + "\" lang=\"" + lang + "\" hreflang=\"" + lang + "\"") !=
                   std::string::npos);
        // The first step is there to follow.
        BOOST_TEST(s.get(start).status == 200);
      }
    }
  }
  // The browser's language picks the page's without ?lang=, and caches are told.
  const HttpResponse by_header = s.get(coa, {{"Accept-Language", "es-US,es;q=0.9"}});
  BOOST_TEST(by_header.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
  BOOST_TEST(by_header.header("vary") == "Accept-Language");
  BOOST_TEST(by_header.body.find("Comenzar ahora") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_deployment_sets_the_frame_the_time_zone_and_the_ways_to_apply) {
  TestServer s([](server::Config& c) {
    c.site.name = "Forms <Online>";
    c.site.home_url = "https://www.example.gov/";
    c.site.about_url = "/about";
    c.site.accessibility_url = "https://www.example.gov/accessibility";
    c.site.privacy_url = "/privacy";
    c.site.time_zone = "America/Chicago";
    c.apply.push_back({"change_of_address", "Call 1-800-555-0100.", "", ""});
  });
  // Every page of the journey: a step, check your answers, the receipt, "already sent" (Submit
  // again after the receipt), "answers deleted", and a post refused for its missing token.
  Browser b(s);
  walk(b, valid_change_of_address());
  const std::string check_page = b.get(check()).body;
  const std::string step_page = b.get(step("move") + "&return=check").body;
  Fields confirm = {{"truthful", "yes"}, {"askonce:confirm", "yes"}};
  const HttpResponse sent = b.post(check(), confirm);
  BOOST_TEST_REQUIRE(sent.status == 303);
  const std::string location = sent.header("location");
  const std::string reference = reference_of(location);
  const std::string key = location.substr(location.find("?key=") + 5);
  const HttpResponse again = b.post(check(), confirm);
  BOOST_TEST(again.status == 409);
  Browser other(s);
  walk(other, valid_change_of_address());
  const HttpResponse deleted = other.post(coa + "/delete?lang=en", {});
  BOOST_TEST(deleted.status == 200);
  const HttpResponse refused = s.post(step("about"), urlencode(valid_change_of_address()),
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(refused.status == 403);
  const std::pair<std::string, std::string> pages[] = {
      {"index", s.get("/").body}, {"start", s.get(coa).body},  {"step", step_page},
      {"check", check_page},      {"receipt", s.get(location).body}, {"already sent", again.body},
      {"deleted", deleted.body},  {"refused", refused.body}};
  for (const auto& [name, page] : pages) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(page.find("<a href=\"https://www.example.gov/\">Forms &lt;Online&gt;</a>") != std::string::npos);
      BOOST_TEST(page.find("Forms &lt;Online&gt;</title>") != std::string::npos);
      BOOST_TEST(page.find("href=\"/about\">About this service</a>") != std::string::npos);
      BOOST_TEST(page.find("href=\"https://www.example.gov/accessibility\">Accessibility statement</a>") != std::string::npos);
      BOOST_TEST(page.find("href=\"/privacy\">Privacy policy</a>") != std::string::npos);
      BOOST_TEST(page.find("An official website of the United States government") != std::string::npos);
      BOOST_TEST(page.find("<a class=\"usa-skipnav\" href=\"#main-content\">") != std::string::npos);
      BOOST_TEST(page.find("hreflang=\"es\"") != std::string::npos);
      BOOST_TEST(page.find("change_of_address, version") == std::string::npos);
    }
  }
  // Error pages too: the same frame around "not found".
  const HttpResponse missing = s.get("/forms/no_such_form");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body.find("An official website of the United States government") != std::string::npos);
  BOOST_TEST(missing.body.find("<a href=\"https://www.example.gov/\">Forms &lt;Online&gt;</a>") != std::string::npos);
  BOOST_TEST(missing.body.find("href=\"/privacy\">Privacy policy</a>") != std::string::npos);
  BOOST_TEST(missing.body.find("There is nothing at this address.") != std::string::npos);
  // A step's language switch keeps its place in the journey (return=check); the title names the step.
  BOOST_TEST(step_page.find("href=\"/forms/change_of_address/steps/move?lang=es&amp;return=check\" lang=\"es\" hreflang=\"es\"") !=
             std::string::npos);
  BOOST_TEST(step_page.find("<title>Your move - Step 2 of 5 - Report a change of address - Forms &lt;Online&gt;</title>") !=
             std::string::npos);
  BOOST_TEST(check_page.find("href=\"/forms/change_of_address/check?lang=es\" lang=\"es\" hreflang=\"es\"") !=
             std::string::npos);
  // The receipt's language switch keeps its key; its time is in the deployment's zone, named.
  const std::string receipt = s.get(location).body;
  BOOST_TEST(receipt.find("href=\"/receipts/" + reference + "?key=" + key + "&amp;lang=es\" lang=\"es\" hreflang=\"es\"") !=
             std::string::npos);
  BOOST_TEST(receipt.find(" Central Time</p>") != std::string::npos);
  BOOST_TEST(receipt.find("UTC") == std::string::npos);
  BOOST_TEST(s.get(location + "&lang=es").body.find(" hora del Centro</p>") != std::string::npos);
  BOOST_TEST(receipt_answers(s, location, ".txt").body.find(" Central Time") != std::string::npos);
  // The index's switch leads to the index in each language.
  BOOST_TEST(s.get("/").body.find("href=\"/?lang=es\" lang=\"es\" hreflang=\"es\">Español</a>") != std::string::npos);
  // The deployment's phone line, in place of the form's; the form's mail address stays.
  const std::string start = s.get(coa).body;
  BOOST_TEST(start.find("Call 1-800-555-0100.") != std::string::npos);
  BOOST_TEST(start.find("1-800-772-1213") == std::string::npos);
  BOOST_TEST(start.find("mail it to the address on its first page") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(paper_and_text_versions_of_a_form) {
  TestServer s;
  const HttpResponse pdf = s.get(coa + ".pdf?lang=es");
  BOOST_TEST(pdf.status == 200);
  BOOST_TEST(pdf.header("content-type") == "application/pdf");
  BOOST_TEST(pdf.body.starts_with("%PDF"));
  BOOST_TEST(pdf.header("content-disposition") == "inline; filename=\"change_of_address.es.pdf\"");
  BOOST_TEST(pdf.header("cache-control").starts_with("public"));

  const HttpResponse text = s.get(coa + ".txt");
  BOOST_TEST(text.status == 200);
  BOOST_TEST(text.header("content-type") == "text/plain; charset=utf-8");
  BOOST_TEST(text.body.starts_with("Report a change of address"));
  BOOST_TEST(s.get(coa + ".txt?lang=es").body.starts_with("Informe un cambio de direcci\u00f3n"));

}

BOOST_AUTO_TEST_CASE(one_form_runtime_for_every_form_cached_by_its_hash) {
  TestServer s;
  const std::string& url = askonce::renderers::form_runtime_url();
  // Every form page names the same runtime, at a URL with the runtime's hash in it.
  for (const std::string& form : {std::string("/forms/change_of_address/steps/about"),
                                  std::string("/forms/benefits/steps/programs_section")}) {
    BOOST_TEST(s.get(form).body.find("<script src=\"" + url + "\" defer></script>") != std::string::npos, form);
  }
  const HttpResponse js = s.get(url);
  BOOST_TEST(js.status == 200);
  BOOST_TEST(js.header("content-type") == "application/javascript; charset=utf-8");
  BOOST_TEST(js.body == askonce::test::read("renderers/assets/form.js"));  // from the binary, as built
  BOOST_TEST(askonce::engine::sha256(js.body).substr(7, 16) == askonce::renderers::form_runtime_tag());
  BOOST_TEST(url == "/assets/askonce/form." + std::string(askonce::renderers::form_runtime_tag()) + ".js");
  BOOST_TEST(js.header("cache-control") == "public, max-age=31536000, immutable");
  const std::string etag = js.header("etag");
  BOOST_TEST(etag == "\"" + std::string(askonce::renderers::form_runtime_tag()) + "\"");
  // A forced reload revalidates: 304, no body.
  const HttpResponse again = s.get(url, {{"If-None-Match", etag}});
  BOOST_TEST(again.status == 304);
  BOOST_TEST(again.body.empty());
  BOOST_TEST(s.get(url, {{"If-None-Match", "\"0000000000000000\""}}).status == 200);
  // Another hash (a runtime this server does not have), or any other name: 404.
  BOOST_TEST(s.get("/assets/askonce/form.0000000000000000.js").status == 404);
  BOOST_TEST(s.get("/assets/askonce/form.js").status == 404);
  BOOST_TEST(s.get("/assets/askonce/..%2Fscript.cpp").status == 404);
}

BOOST_AUTO_TEST_CASE(security_headers_on_pages) {
  TestServer s;
  for (const std::string& target : std::vector<std::string>{"/", coa, coa + "?lang=es", step("about"), step("move", "es")}) {
    const HttpResponse r = s.get(target);
    const std::string csp = r.header("content-security-policy");
    BOOST_TEST(csp.find("script-src 'self'") != std::string::npos, target);
    BOOST_TEST(csp.find("style-src 'self'") != std::string::npos, target);
    BOOST_TEST(csp.find("unsafe-inline") == std::string::npos, target);
    BOOST_TEST(csp.find("frame-ancestors 'none'") != std::string::npos, target);
    BOOST_TEST(r.header("x-content-type-options") == "nosniff");
    BOOST_TEST(r.header("x-frame-options") == "DENY");
    BOOST_TEST(r.header("cache-control") == "no-store");
    // The page has no inline script or style for the policy to block.
    BOOST_TEST(r.body.find("<script>") == std::string::npos);
    BOOST_TEST(r.body.find("<style") == std::string::npos);
    BOOST_TEST(r.body.find(" style=") == std::string::npos);
  }
  // The CSRF cookie: HttpOnly, SameSite=Strict, for the whole site.
  const std::string cookie = s.get(step("about")).header("set-cookie");
  BOOST_TEST(cookie.find("HttpOnly") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("SameSite=Strict") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("path=/;") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("secure") == std::string::npos, cookie);  // secure_cookies is off here
}

BOOST_AUTO_TEST_CASE(the_draft_cookie_holds_only_an_id_for_this_browser_session) {
  TestServer s;
  Browser b(s);
  BOOST_TEST(b.get(step("about")).status == 200);
  BOOST_TEST(b.draft().empty());  // a GET creates nothing
  const HttpResponse r = b.post(step("about"), valid_change_of_address());
  BOOST_TEST(r.status == 303);
  BOOST_TEST_REQUIRE(r.cookies.size() == 1u);
  const std::string& cookie = r.cookies.front();
  BOOST_TEST(cookie.starts_with(draft_cookie + "="), cookie);
  BOOST_TEST(cookie.find("HttpOnly") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("SameSite=Lax") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("path=/") != std::string::npos, cookie);
  // A session cookie: gone when the browser closes.
  BOOST_TEST(cookie.find("expires") == std::string::npos, cookie);
  BOOST_TEST(cookie.find("max-age") == std::string::npos, cookie);
  BOOST_TEST(cookie.find("Max-Age") == std::string::npos, cookie);
  // Only an unguessable id: no answer in the cookie or the address.
  BOOST_TEST(b.draft().size() >= 32u);
  BOOST_TEST(cookie.find("Ana") == std::string::npos);
  BOOST_TEST(r.header("location").find("Ana") == std::string::npos);
  // The next Continue keeps the same draft.
  BOOST_TEST(b.post(step("move"), valid_change_of_address()).cookies.empty());
  // Another browser has none of it.
  Browser other(s);
  const HttpResponse fresh = other.get(step("about"));
  BOOST_TEST(fresh.body.find("value=\"Ana\"") == std::string::npos);
  BOOST_TEST(b.get(step("about")).body.find("value=\"Ana\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(secure_cookies_use_the_host_prefix) {
  TestServer s([](server::Config& c) { c.secure_cookies = true; });
  const std::string cookie = s.get(step("about")).header("set-cookie");
  BOOST_TEST(cookie.starts_with("__Host-askonce-csrf="), cookie);
  BOOST_TEST(cookie.find("; secure") != std::string::npos, cookie);
  Browser b(s);
  b.get(step("about"));
  const HttpResponse r = b.post(step("about"), valid_change_of_address());
  BOOST_TEST_REQUIRE(r.cookies.size() == 1u);
  BOOST_TEST(r.cookies.front().starts_with("__Host-askonce-draft-change_of_address="), r.cookies.front());
  BOOST_TEST(r.cookies.front().find("; secure") != std::string::npos, r.cookies.front());
}

// --- CSRF ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(posts_without_a_valid_csrf_token_are_refused_and_nothing_is_saved) {
  TestServer s;
  const std::string body = urlencode(valid_change_of_address());
  const Headers form_type = {{"Content-Type", "application/x-www-form-urlencoded"}};
  const std::string about = step("about");

  // No cookie, no token.
  HttpResponse r = s.post(about, body, form_type);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.header("content-type") == "text/html; charset=utf-8");
  BOOST_TEST(r.body.find("We could not accept this page") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"/forms/change_of_address?lang=en\"") != std::string::npos);
  BOOST_TEST(r.cookies.empty());  // no draft made

  // A token without its cookie; a cookie without a token.
  Browser a(s), b(s);
  a.get(about);
  b.get(about);
  BOOST_TEST(a.cookies != b.cookies);
  BOOST_TEST(s.post(about, body + "&askonce%3Acsrf=" + a.csrf, form_type).status == 403);
  BOOST_TEST(s.post(about, body, a.with_cookies(form_type)).status == 403);
  // The token of another cookie.
  Browser mixed = a;
  mixed.csrf = b.csrf;
  BOOST_TEST(mixed.post(about, valid_change_of_address()).status == 403);
  // A forged token.
  mixed.csrf = std::string(a.csrf.size(), 'A');
  BOOST_TEST(mixed.post(about, valid_change_of_address()).status == 403);
  // Valid cookie and token, from another site: on a step, on Submit, on Delete my answers.
  for (const std::string& target : {about, check(), coa + "/delete?lang=en"}) {
    BOOST_TEST(a.post(target, valid_change_of_address(), {{"Origin", "https://evil.example"}}).status == 403, target);
    BOOST_TEST(a.post(target, valid_change_of_address(), {{"Origin", "null"}}).status == 403, target);
    BOOST_TEST(s.post(target, body, form_type).status == 403, target);
  }
  BOOST_TEST(a.draft().empty());
  // In Spanish, the refusal is in Spanish.
  r = s.post(step("about", "es"), body, form_type);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.body.find("<html lang=\"es\">") != std::string::npos);
  BOOST_TEST(r.body.find("No pudimos aceptar esta p\u00e1gina") != std::string::npos);

  // The same post from this site's own page is accepted.
  r = a.post(about, valid_change_of_address(), {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(!a.draft().empty());
  BOOST_TEST(s.store().submission_count() == 0);
}

BOOST_AUTO_TEST_CASE(behind_a_proxy_the_configured_public_origin_is_the_one_accepted) {
  // The proxy forwards to 127.0.0.1 with its own Host; citizens' browsers say where they are.
  TestServer s([](server::Config& c) { c.public_origin = "https://forms.example.gov"; });
  Browser a(s);
  a.get(step("about"));
  BOOST_TEST(a.post(step("about"), valid_change_of_address(), {{"Origin", "https://evil.example"}}).status == 403);
  // This server's own Host is not the public address: refused too.
  BOOST_TEST(a.post(step("about"), valid_change_of_address(),
                    {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}}).status == 403);
  BOOST_TEST(a.draft().empty());
  // Operators see why: refusals for the origin are counted apart from bad tokens.
  BOOST_TEST(s.get("/metrics").body.find("askonce_requests_refused_total{reason=\"origin\"} 2") != std::string::npos);
  const HttpResponse r = a.post(step("about"), valid_change_of_address(), {{"Origin", "https://Forms.Example.gov"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(!a.draft().empty());
}

BOOST_AUTO_TEST_CASE(a_post_that_is_not_a_form_post_is_refused) {
  TestServer s;
  Browser a(s);
  a.get(step("about"));
  const HttpResponse r = s.post(step("about"), "{\"a\":1}", a.with_cookies({{"Content-Type", "application/json"}}));
  BOOST_TEST(r.status == 415);
  BOOST_TEST(r.cookies.empty());
}

// --- one step at a time -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_step_in_order_then_check_answers_then_the_receipt) {
  TestServer s;
  Browser b(s);
  const auto visited = walk(b, valid_change_of_address());
  // A temporary move: "Your taxes" is skipped.
  const std::vector<std::string> expected = {step("about"), step("move"), step("benefits"), step("others"),
                                             step("declaration"), check()};
  BOOST_TEST(visited == expected, boost::test_tools::per_element());
  // Each step says where it is, has its section's name as its heading, and Back to the one before.
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"about", "About you"}, {"move", "Your move"}, {"benefits", "Your benefits and mail"},
      {"others", "Others moving with you"}, {"declaration", "Declaration"}};
  std::string back = coa + "?lang=en";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const HttpResponse r = b.get(step(steps[i].first));
    BOOST_TEST(r.body.find(">Step " + std::to_string(i + 1) + " of 5</p>") != std::string::npos, steps[i].first);
    BOOST_TEST(r.body.find("<h1 class=\"margin-top-1\">" + steps[i].second + "</h1>") != std::string::npos);
    BOOST_TEST(r.body.find("<a class=\"usa-link\" href=\"" + test_escape(back) + "\">Back</a>") != std::string::npos,
               steps[i].first);
    BOOST_TEST(r.body.find("Delete my answers") != std::string::npos);
    back = step(steps[i].first);
  }
  // Question numbers are the paper form's: the move step starts at question 10, not 1.
  BOOST_TEST(b.get(step("move")).body.find(">10. Old address</legend>") != std::string::npos);
  // The declaration's attest is not on its step: it is on check answers, with the one Submit.
  BOOST_TEST(b.get(step("declaration")).body.find("name=\"truthful\"") == std::string::npos);
  const HttpResponse c = b.get(check());
  BOOST_TEST(c.status == 200);
  BOOST_TEST(c.body.find("<h1>Check your answers</h1>") != std::string::npos);
  BOOST_TEST(c.body.find("name=\"truthful\"") != std::string::npos);
  BOOST_TEST(count(c.body, "name=\"askonce:confirm\"") == 1u);
  BOOST_TEST(c.body.find(">Submit application</button>") != std::string::npos);
  BOOST_TEST(c.body.find("Luis Ruiz") != std::string::npos);
  BOOST_TEST(c.body.find("123-45-6789") != std::string::npos);
  // Computed values too: 1 + one person.
  BOOST_TEST(c.body.find("People moving</dt>\n<dd class=\"margin-left-0\">2</dd>") != std::string::npos);
  // Every answer has its Change link to its question, and back here.
  BOOST_TEST(c.body.find("href=\"/forms/change_of_address/steps/move?return=check&amp;lang=en#f-move_date-month\"") !=
             std::string::npos);
  BOOST_TEST(c.body.find("href=\"/forms/change_of_address/steps/about?return=check&amp;lang=en#f-person-ssn\"") !=
             std::string::npos);
  BOOST_TEST(c.body.find("href=\"/forms/change_of_address/steps/others?return=check&amp;lang=en#f-household-0-full_name\"") !=
             std::string::npos);
  BOOST_TEST(s.store().submission_count() == 0);  // nothing is sent before Submit

  Fields confirm = {{"truthful", "yes"}, {"askonce:confirm", "yes"}};
  const HttpResponse sent = b.post(check(), confirm);
  BOOST_TEST_REQUIRE(sent.status == 303);
  reference_of(sent.header("location"));
  BOOST_TEST(s.store().submission_count() == 1);
  const HttpResponse receipt = b.get(sent.header("location"));
  BOOST_TEST(receipt.body.find("We received your application") != std::string::npos);
  BOOST_TEST(receipt.body.find("<li>Social Security Administration: Pending. A decision is due by ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_declaration_unticked_is_an_error_on_check_answers) {
  TestServer s;
  Browser b(s);
  walk(b, valid_change_of_address());
  const HttpResponse r = b.post(check(), {{"askonce:confirm", "yes"}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("id=\"error-summary\"") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-truthful\"") != std::string::npos);
  BOOST_TEST(r.body.find("<title>Error: Check your answers") != std::string::npos);
  BOOST_TEST(s.store().submission_count() == 0);
}

BOOST_AUTO_TEST_CASE(an_error_on_a_step_shows_only_that_steps_errors_and_keeps_every_value) {
  TestServer s;
  Browser b(s);
  b.get(step("move"));
  // "About you" was never answered: its required questions are not this step's problem.
  Fields fields = {{"old_address.street", hostile}, {"old_address.city", "Springfield"}, {"old_address.state", "IL"},
                   {"old_address.zip", "62701"}, {"new_address.street", "2 Oak Ave"}, {"new_address.city", "Austin"},
                   {"new_address.state", "TX"}, {"new_address.zip", "78701"}, {"move_date.month", "13"},
                   {"move_date.day", "15"}, {"move_date.year", "2024"}, {"kind", "temporary"},
                   {"return_date.month", "10"}, {"return_date.day", "1"}, {"return_date.year", "2024"},
                   {"person.name.first", "not this step's"}};
  const HttpResponse r = b.post(step("move"), fields);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("id=\"error-summary\"") != std::string::npos);
  BOOST_TEST(r.body.find("<title>Error: Your move - Step 2 of 5 - Report a change of address - Government forms</title>") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-move_date-month\"") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-person") == std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-signature\"") == std::string::npos);
  BOOST_TEST(count(r.body, "<li><a href=\"#") == 1u);
  // Every value sent comes back, the hostile one escaped and never raw.
  BOOST_TEST(keeps(r.body, "old_address.street", hostile_escaped));
  BOOST_TEST(keeps(r.body, "move_date.month", "13"));
  BOOST_TEST(keeps(r.body, "return_date.year", "2024"));
  BOOST_TEST(r.body.find("id=\"f-kind-2\" name=\"kind\" value=\"temporary\" checked") != std::string::npos);
  BOOST_TEST(r.body.find("<option value=\"IL\" selected>") != std::string::npos);
  BOOST_TEST(r.body.find(hostile) == std::string::npos);
  BOOST_TEST(count(r.body, "name=\"askonce:csrf\"") == 2u);  // the step's form and Delete my answers
  // Saved all the same, so nothing typed is lost: the step opened again shows it.
  BOOST_TEST(!b.draft().empty());
  const HttpResponse again = b.get(step("move"));
  BOOST_TEST(keeps(again.body, "old_address.street", hostile_escaped));
  BOOST_TEST(again.body.find("id=\"error-summary\"") == std::string::npos);
  // A field of another step posted here is not taken.
  BOOST_TEST(b.get(step("about")).body.find("not this step") == std::string::npos);
  // The fix: on to the next step.
  set(fields, "move_date.month", "4");
  const HttpResponse fixed = b.post(step("move"), fields);
  BOOST_TEST(fixed.status == 303);
  BOOST_TEST(fixed.header("location") == step("benefits"));
  BOOST_TEST(s.store().submission_count() == 0);
}

BOOST_AUTO_TEST_CASE(a_step_takes_today_in_the_deployments_zone) {
  // As server_api_tests' test of submissions, on a step's Continue: two deployments 26 hours
  // apart (UTC+14, UTC-12) always have different dates, so a date of birth of today in the
  // west is refused there and taken in the east; UTC's date would get one of them wrong at any
  // hour.
  TestServer east([](server::Config& c) { c.site.time_zone = "Pacific/Kiritimati"; }, "east");
  TestServer west([](server::Config& c) { c.site.time_zone = "Etc/GMT+12"; }, "west");
  const auto zone = engine::TimeZone::find("Etc/GMT+12");
  BOOST_TEST_REQUIRE(zone != nullptr);
  const auto west_today = [&] {
    return zone->local(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  };
  for (int attempt = 0; attempt < 2; ++attempt) {  // again if midnight passed in between
    const auto day = west_today();
    Fields fields = askonce::test::valid_change_of_address();
    set(fields, "person.birth_date.month", std::to_string(day.month));
    set(fields, "person.birth_date.day", std::to_string(day.day));
    set(fields, "person.birth_date.year", std::to_string(day.year));
    Browser w(west), e(east);
    w.get(step("about"));
    e.get(step("about"));
    const HttpResponse refused = w.post(step("about"), fields);
    const HttpResponse taken = e.post(step("about"), fields);
    if (west_today().day != day.day) continue;
    BOOST_TEST(refused.status == 422);
    BOOST_TEST(refused.body.find("Enter a date in the past.") != std::string::npos);
    BOOST_TEST(taken.status == 303, taken.body.substr(0, 400));
    break;
  }
}

BOOST_AUTO_TEST_CASE(errors_in_spanish_on_the_spanish_step) {
  TestServer s;
  Browser b(s);
  b.get(step("declaration", "es"));
  const HttpResponse r = b.post(step("declaration", "es"), {{"signature", ""}});
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
  BOOST_TEST(r.body.find("Hay un problema") != std::string::npos);
  BOOST_TEST(r.body.find("Paso ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_step_whose_questions_are_all_hidden_is_skipped_both_ways) {
  TestServer s;
  Browser b(s);
  walk(b, valid_change_of_address());  // temporary: no taxes step
  // Opened by its address, it goes on to the next step shown.
  HttpResponse r = b.get(step("taxes"));
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == step("others"));
  // Back from "others" skips it too.
  BOOST_TEST(b.get(step("others")).body.find("href=\"" + test_escape(step("benefits")) + "\">Back</a>") != std::string::npos);

  // A permanent move: six steps, taxes after benefits.
  Browser p(s);
  Fields permanent = valid_change_of_address();
  set(permanent, "kind", "permanent");
  permanent.emplace_back("filed_jointly", "no");
  const auto visited = walk(p, permanent);
  const std::vector<std::string> expected = {step("about"), step("move"), step("benefits"), step("taxes"),
                                             step("others"), step("declaration"), check()};
  BOOST_TEST(visited == expected, boost::test_tools::per_element());
  BOOST_TEST(p.get(step("taxes")).body.find(">Step 4 of 6</p>") != std::string::npos);
  BOOST_TEST(p.get(step("others")).body.find("href=\"" + test_escape(step("taxes")) + "\">Back</a>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(change_from_check_answers_and_back) {
  TestServer s;
  Browser b(s);
  walk(b, valid_change_of_address());
  // Change the new address: its step, Back to check answers, Continue comes back there.
  const std::string change = coa + "/steps/move?return=check&lang=en";
  HttpResponse r = b.get(change);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find("href=\"" + test_escape(check()) + "\">Back</a>") != std::string::npos);
  Fields fields = valid_change_of_address();
  set(fields, "new_address.street", "3 Elm St");
  r = b.post(change, fields);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == check());
  BOOST_TEST(b.get(check()).body.find("3 Elm St") != std::string::npos);

  // A change that reveals questions (the move is permanent: taxes) goes through them first.
  set(fields, "kind", "permanent");
  r = b.post(change, fields);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == coa + "/steps/taxes?lang=en&return=check");
  // Submit without them goes there too, and sends nothing.
  r = b.post(check(), {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == coa + "/steps/taxes?lang=en&return=check");
  BOOST_TEST(s.store().submission_count() == 0);
  // So does opening check answers.
  BOOST_TEST(b.get(check()).header("location") == coa + "/steps/taxes?lang=en&return=check");
  // Answered, back to check answers, and Submit sends it, to the IRS as well.
  r = b.post(coa + "/steps/taxes?lang=en&return=check", {{"filed_jointly", "no"}});
  BOOST_TEST(r.header("location") == check());
  r = b.post(check(), {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST_REQUIRE(r.status == 303);
  BOOST_TEST(b.get(r.header("location")).body.find("Internal Revenue Service: Pending") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_step_carries_the_answers_of_the_others_for_the_script) {
  TestServer s;
  Browser b(s);
  Fields fields = valid_change_of_address();
  set(fields, "person.name.first", "</script><script>alert(1)</script>");
  walk(b, fields);
  const HttpResponse r = b.get(step("benefits"));
  const auto open = r.body.find("<script type=\"application/json\" id=\"askonce-answers\">");
  BOOST_TEST_REQUIRE(open != std::string::npos);
  const auto close = r.body.find("</script>", open);
  const std::string json = r.body.substr(open, close - open);
  BOOST_TEST(json.find("\"kind\": \"temporary\"") != std::string::npos, json);
  BOOST_TEST(json.find("\"household[0].full_name\": \"Luis Ruiz\"") != std::string::npos, json);
  // The answer cannot close the element; the sensitive SSN is not in the page; this step's
  // own answers are in its inputs, not here.
  BOOST_TEST(json.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e") != std::string::npos, json);
  BOOST_TEST(r.body.find("</script><script>alert") == std::string::npos);
  BOOST_TEST(json.find("123-45-6789") == std::string::npos);
  BOOST_TEST(json.find("\"veteran\"") == std::string::npos);
  BOOST_TEST(json.find("askonce:") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_step_of_every_shipped_form_in_each_language) {
  TestServer s;
  for (const auto& form : s.app->catalog().forms()) {
    const auto& model = form.plan->form();
    for (const auto& lang : model.languages) {
      Browser b(s);
      for (const auto& section : model.sections) {
        const std::string target = "/forms/" + form.id + "/steps/" + section.name + "?lang=" + lang;
        const HttpResponse page = b.get(target);
        // Shown (200), or skipped on no answers (303 to the next step shown).
        BOOST_TEST((page.status == 200 || page.status == 303), target << " " << page.status);
        if (page.status != 200) continue;
        BOOST_TEST(page.body.find("<html lang=\"" + lang + "\">") != std::string::npos, target);
        // Continue with nothing answered: this step's errors, or on (a step with nothing required).
        const HttpResponse r = b.post(target, {});
        BOOST_TEST((r.status == 422 || r.status == 303), target << " " << r.status);
        if (r.status == 422) {
          BOOST_TEST(r.body.find("id=\"error-summary\"") != std::string::npos, target);
        }
      }
      // Check answers sends a citizen with nothing answered back to a step, and stores nothing.
      const HttpResponse c = b.get("/forms/" + form.id + "/check?lang=" + lang);
      BOOST_TEST(c.status == 303, form.id);
      BOOST_TEST(c.header("location").starts_with("/forms/" + form.id + "/steps/"), c.header("location"));
    }
  }
  BOOST_TEST(s.store().submission_count() == 0);
}

BOOST_AUTO_TEST_CASE(a_step_starts_at_the_forms_defaults_until_it_is_answered) {
  TestServer s;
  Browser b(s);
  const std::string applicant = "/forms/sf424/steps/applicant_information?lang=en";
  const std::string funding = "/forms/sf424/steps/funding?lang=en";
  HttpResponse r = b.get(applicant);
  BOOST_TEST_REQUIRE(r.status == 200);
  BOOST_TEST(r.body.find("name=\"applicant.country\"") != std::string::npos);
  BOOST_TEST(r.body.find("<option value=\"USA: UNITED STATES\" selected>") != std::string::npos);
  BOOST_TEST(keeps(b.get(funding).body, "applicant_estimated_funding", "0"));
  // Once answered, the answer stays, even a blank one: no default comes back over it.
  r = b.post(funding, {{"applicant_estimated_funding", ""}, {"federal_estimated_funding", "5"}});
  BOOST_TEST((r.status == 303 || r.status == 422), r.status);
  r = b.get(funding);
  BOOST_TEST(keeps(r.body, "applicant_estimated_funding", ""));
  BOOST_TEST(keeps(r.body, "federal_estimated_funding", "5"));
}

BOOST_AUTO_TEST_CASE(journey_rules_on_their_own) {
  const auto compiled = askonce::server::Catalog::load("forms");
  BOOST_TEST_REQUIRE(compiled.catalog.has_value());
  const auto& plan = *compiled.catalog->find("change_of_address")->plan;
  const auto about = *server::find_section(plan, "about");
  const auto move = *server::find_section(plan, "move");
  BOOST_TEST(!server::find_section(plan, "nope").has_value());
  BOOST_TEST(server::in_step(plan, about, "person.name.first"));
  BOOST_TEST(server::in_step(plan, move, "move_date.month"));
  BOOST_TEST(!server::in_step(plan, about, "move_date.month"));
  BOOST_TEST(!server::in_step(plan, about, "personx"));
  BOOST_TEST(server::in_step(plan, *server::find_section(plan, "others"), "household[3].full_name"));
  BOOST_TEST(!server::in_step(plan, *server::find_section(plan, "declaration"), "truthful"));  // the declaration's
  BOOST_TEST(server::in_declaration(plan, "truthful"));
  // A step takes its own answers only, and replaces what it had.
  server::Fields draft = {{"person.name.first", "Old"}, {"kind", "permanent"}};
  server::merge_step(plan, about, {{"person.name.first", "New"}, {"kind", "temporary"}, {"truthful", "yes"}}, draft);
  const server::Fields merged = {{"kind", "permanent"}, {"person.name.first", "New"}};
  BOOST_TEST((draft == merged));
  // Markers are never answers.
  draft.emplace_back(std::string(server::seen_marker), "person");
  BOOST_TEST(server::engine_answers(draft).size() == 2u);
  // Old answers of a changed form go; known ones and markers of known fields stay.
  draft.emplace_back("gone_field", "x");
  draft.emplace_back(std::string(server::seen_marker), "gone_field");
  server::keep_known(plan, draft);
  BOOST_TEST(draft.size() == 3u);
}

// --- submitting once -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(back_then_submit_again_stores_one_application) {
  TestServer s;
  Browser b(s);
  walk(b, valid_change_of_address());
  const Fields confirm = {{"truthful", "yes"}, {"askonce:confirm", "yes"}};
  const HttpResponse first = b.post(check(), confirm);
  BOOST_TEST_REQUIRE(first.status == 303);
  const std::string receipt = first.header("location");
  BOOST_TEST(s.store().submission_count() == 1);
  // Back to check answers (the page is not cached: it is asked for again), then Submit again.
  HttpResponse back = b.get(check());
  BOOST_TEST(back.status == 409);
  BOOST_TEST(back.body.find("You already sent this application") != std::string::npos);
  BOOST_TEST(back.body.find("href=\"" + test_escape(receipt) + "\"") != std::string::npos);
  const HttpResponse again = b.post(check(), confirm);
  BOOST_TEST(again.status == 409);
  BOOST_TEST(again.body.find("You already sent this application") != std::string::npos);
  BOOST_TEST(again.body.find("href=\"" + test_escape(receipt) + "\"") != std::string::npos);
  // A Continue on a step left open in another tab says so too, and saves nothing.
  const HttpResponse step_again = b.post(step("declaration"), valid_change_of_address());
  BOOST_TEST(step_again.status == 409);
  BOOST_TEST(s.store().submission_count() == 1);
  BOOST_TEST(b.get(receipt).status == 200);
  // Starting again from the first step is a new application.
  const HttpResponse fresh = b.get(step("about"));
  BOOST_TEST(fresh.body.find("value=\"Ana\"") == std::string::npos);
  BOOST_TEST(b.draft().empty());
}

BOOST_AUTO_TEST_CASE(two_submits_of_one_draft_at_once_store_one_application) {
  TestServer s;
  for (int round = 0; round < 5; ++round) {
    Browser b(s);
    walk(b, valid_change_of_address());
    const Fields confirm = {{"truthful", "yes"}, {"askonce:confirm", "yes"}};
    const std::string body = urlencode([&] {
      Fields f = confirm;
      f.emplace_back("askonce:csrf", b.csrf);
      return f;
    }());
    const Headers headers = b.with_cookies({{"Content-Type", "application/x-www-form-urlencoded"}});
    std::vector<HttpResponse> answers(8);
    std::vector<std::thread> threads;
    for (auto& a : answers) threads.emplace_back([&] { a = s.post(check(), body, headers); });
    for (auto& t : threads) t.join();
    std::set<std::string> receipts;
    for (const auto& a : answers) {
      BOOST_TEST((a.status == 303 || a.status == 409), a.status);
      if (a.status == 303) receipts.insert(a.header("location"));
    }
    BOOST_TEST(receipts.size() == 1u);  // every one that got through got the same receipt
    BOOST_TEST(s.store().submission_count() == round + 1);
  }
}

BOOST_AUTO_TEST_CASE(delete_my_answers) {
  TestServer s;
  Browser b(s);
  walk(b, valid_change_of_address());
  const std::string id = b.draft();
  BOOST_TEST_REQUIRE(!id.empty());
  const HttpResponse r = b.post(coa + "/delete?lang=en", {});
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find("Your answers were deleted") != std::string::npos);
  BOOST_TEST(b.draft().empty());  // the cookie is cleared
  // Gone from the store too: the old id, sent again, finds nothing.
  b.cookies[draft_cookie] = id;
  const HttpResponse page = b.get(step("about"));
  BOOST_TEST(page.body.find("value=\"Ana\"") == std::string::npos);
  b.cookies[draft_cookie] = id;
  BOOST_TEST(b.get(check()).header("location") == step("about"));
  b.cookies[draft_cookie] = id;
  BOOST_TEST(b.post(check(), {{"truthful", "yes"}, {"askonce:confirm", "yes"}}).header("location") == step("about"));
  BOOST_TEST(s.store().submission_count() == 0);
}

// --- save and come back later -------------------------------------------------------------------

/// The resume code a saved page shows.
std::string code_in(const std::string& html) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("id=\"resume-code\">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5})<"))) return {};
  return m[1];
}

BOOST_AUTO_TEST_CASE(save_and_come_back_later_by_the_code) {
  TestServer s;
  Browser a(s);
  BOOST_TEST_REQUIRE(a.get(step("about")).status == 200);
  // Save on the first step: what was typed there is saved with it, unchecked (no email yet:
  // saving is not Continue, and an unfinished step is fine).
  Fields typed = valid_change_of_address();
  set(typed, "contact.email", "");
  set(typed, "askonce:save", "yes");
  const HttpResponse saved = a.post(step("about"), typed);
  BOOST_TEST_REQUIRE(saved.status == 200, saved.body.substr(0, 2000));
  BOOST_TEST(saved.body.find("Your answers are saved") != std::string::npos);
  const std::string code = code_in(saved.body);
  BOOST_TEST_REQUIRE(!code.empty(), saved.body);
  // What coming back will ask for, and where; nothing the citizen answered is on the page.
  BOOST_TEST(saved.body.find("Date of birth") != std::string::npos);
  BOOST_TEST(saved.body.find("Social Security number: the last 4 digits") != std::string::npos, saved.body);
  BOOST_TEST(saved.body.find("/resume") != std::string::npos);
  for (const std::string answer : {"Ana", "Ruiz", "1990", "6789", "123-45"}) {
    BOOST_TEST(saved.body.find(answer) == std::string::npos, answer);
  }
  // With no relay configured, the page promises no email.
  BOOST_TEST(saved.body.find("email") == std::string::npos);
  BOOST_TEST(saved.body.find("Save and come back later") == std::string::npos);  // not on this page
  // The step page and check your answers offer it.
  BOOST_TEST(a.get(step("about")).body.find("name=\"askonce:save\"") != std::string::npos);

  // Another browser (or this one after it closed): the code, then what only Ana knows.
  Browser c(s);
  const HttpResponse ask = c.get("/resume");
  BOOST_TEST_REQUIRE(ask.status == 200);
  BOOST_TEST(ask.body.find("Resume code") != std::string::npos);
  // Any spelling of the code: lower case, no dashes, spaces.
  std::string loose;
  for (char ch : code) {
    if (ch != '-') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  const HttpResponse questions = c.post("/resume?lang=en", {{"code", " " + loose.substr(0, 6) + " " + loose.substr(6)}});
  BOOST_TEST_REQUIRE(questions.status == 200, questions.body.substr(0, 3000));
  BOOST_TEST(questions.body.find("Answer a question only you know") != std::string::npos);
  BOOST_TEST(questions.body.find("name=\"known0.month\"") != std::string::npos);
  BOOST_TEST(questions.body.find("name=\"known1\"") != std::string::npos);
  for (const std::string answer : {"Ana", "Ruiz", "1990", "6789"}) {
    BOOST_TEST(questions.body.find(answer) == std::string::npos, answer);
  }
  // The code goes on in a hidden input, in the canonical spelling.
  BOOST_TEST(hidden_value(questions.body, "code") == code);
  // Wrong answers: a clear error, what was typed kept, nothing shown.
  Fields wrong = known_answers("2", "27", "1990", "6789");
  wrong.emplace_back("code", code);
  const HttpResponse refused = c.post("/resume?lang=en", wrong);
  BOOST_TEST(refused.status == 422);
  BOOST_TEST(refused.body.find("do not match") != std::string::npos, refused.body);
  BOOST_TEST(refused.body.find("value=\"27\"") != std::string::npos);
  BOOST_TEST(c.draft().empty());
  // Right answers (leading zeros and dashes do not matter): in, with a new draft id.
  Fields right = known_answers("02", "28", "1990", " 6789 ");
  right.emplace_back("code", code);
  const HttpResponse in = c.post("/resume?lang=en", right);
  BOOST_TEST_REQUIRE(in.status == 303, in.body.substr(0, 2000));
  BOOST_TEST(in.header("location") == check());
  BOOST_TEST_REQUIRE(!c.draft().empty());
  BOOST_TEST(c.draft() != a.draft());
  // Check your answers leads to the first step not done: the about step, answers kept.
  const HttpResponse next = c.get(check());
  BOOST_TEST(next.status == 303);
  const HttpResponse about = c.get(next.header("location"));
  BOOST_TEST(about.body.find("value=\"Ana\"") != std::string::npos);
  // The first browser's id no longer opens the draft.
  BOOST_TEST(a.get(step("about")).body.find("value=\"Ana\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_code_mistyped_or_unknown_is_a_clear_error_that_keeps_it) {
  TestServer s;
  Browser c(s);
  c.get("/resume");
  const HttpResponse bad = c.post("/resume?lang=en", {{"code", "ABCD-EFGH"}});
  BOOST_TEST(bad.status == 422);
  BOOST_TEST(bad.body.find("13 letters and numbers") != std::string::npos, bad.body);
  BOOST_TEST(bad.body.find("value=\"ABCD-EFGH\"") != std::string::npos);
  const std::string unknown = server::new_resume_code();  // a valid code that names nothing
  const HttpResponse none = c.post("/resume?lang=es", {{"code", unknown}});
  BOOST_TEST(none.status == 422);
  BOOST_TEST(none.body.find("No encontramos respuestas guardadas") != std::string::npos, none.body);
  BOOST_TEST(none.body.find("30 días") != std::string::npos);
  // A post without its CSRF token is refused.
  const HttpResponse forged =
      s.post("/resume", "code=" + unknown, {{"Content-Type", "application/x-www-form-urlencoded"}});
  BOOST_TEST(forged.status == 403);
}

BOOST_AUTO_TEST_CASE(saved_from_check_your_answers_and_back_there) {
  TestServer s;
  Browser a(s);
  walk(a, valid_change_of_address());
  const HttpResponse saved = a.post(check(), {{"truthful", "yes"}, {"askonce:save", "yes"}});
  BOOST_TEST_REQUIRE(saved.status == 200);
  const std::string code = code_in(saved.body);
  BOOST_TEST_REQUIRE(!code.empty());
  BOOST_TEST(saved.body.find("href=\"" + test_escape(check()) + "\"") != std::string::npos);  // continue now
  Browser c(s);
  c.get("/resume");
  Fields right = known_answers();
  right.emplace_back("code", code);
  BOOST_TEST(c.post("/resume?lang=en", right).header("location") == check());
  const HttpResponse page = c.get(check());
  BOOST_TEST_REQUIRE(page.status == 200);
  BOOST_TEST(page.body.find("Check your answers") != std::string::npos);
  // The declaration ticked before saving is still ticked.
  BOOST_TEST(page.body.find("checked") != std::string::npos);
  // Submitting from the resumed draft stores one application.
  const HttpResponse sent = c.post(check(), {{"truthful", "yes"}, {"askonce:confirm", "yes"}});
  BOOST_TEST(sent.status == 303);
  BOOST_TEST(sent.header("location").starts_with("/receipts/"));
  BOOST_TEST(s.store().submission_count() == 1);
  // The code of a sent draft names nothing any more.
  BOOST_TEST(c.post("/resume?lang=en", {{"code", code}}).status == 422);
}

BOOST_AUTO_TEST_CASE(a_draft_saved_before_any_identifying_answer_needs_the_code_alone) {
  TestServer s;
  Browser a(s);
  a.get(step("about"));
  const HttpResponse saved = a.post(step("about"), {{"person.name.first", "Ana"}, {"askonce:save", "yes"}});
  BOOST_TEST_REQUIRE(saved.status == 200);
  BOOST_TEST(saved.body.find("we will also ask") == std::string::npos);
  Browser c(s);
  c.get("/resume");
  const HttpResponse in = c.post("/resume?lang=en", {{"code", code_in(saved.body)}});
  BOOST_TEST(in.status == 303);
  BOOST_TEST(!c.draft().empty());
}

BOOST_AUTO_TEST_CASE(wrong_answers_are_limited_across_two_nodes) {
  // Two server processes on one database, as behind a load balancer: the count is the store's.
  TestServer one;
  TestServer two([&](server::Config& c) { c.db = one.config.db; }, "second-node");
  Browser a(one);
  a.get(step("about"));
  Fields typed = valid_change_of_address();
  set(typed, "askonce:save", "yes");
  const std::string code = code_in(a.post(step("about"), typed).body);
  BOOST_TEST_REQUIRE(!code.empty());
  Browser on_one(one), on_two(two);
  on_one.get("/resume");
  on_two.get("/resume");
  Fields wrong = known_answers("1", "1", "1990", "0000");
  wrong.emplace_back("code", code);
  for (int i = 0; i < 5; ++i) {
    Browser& b = i % 2 == 0 ? on_one : on_two;
    BOOST_TEST(b.post("/resume?lang=en", wrong).status == 422, i);
  }
  // The sixth try, right this time, on either node: locked for the hour.
  Fields right = known_answers();
  right.emplace_back("code", code);
  const HttpResponse locked = on_two.post("/resume?lang=en", right);
  BOOST_TEST(locked.status == 429);
  BOOST_TEST(locked.body.find("Too many tries") != std::string::npos, locked.body);
  BOOST_TEST(on_one.post("/resume?lang=en", right).status == 429);
  BOOST_TEST(on_one.draft().empty());
}

// --- start another form with these answers ------------------------------------------------------

BOOST_AUTO_TEST_CASE(start_another_form_from_a_receipt_with_the_shared_answers) {
  TestServer s;
  const std::string receipt = submit_valid(s);
  const std::string reference = reference_of(receipt);
  Browser b(s);
  const HttpResponse page = b.get(receipt);
  BOOST_TEST_REQUIRE(page.status == 200);
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(page.body, m, std::regex("href=\"(/receipts/[^\"]+/reuse\\?key=[^\"]+)\"")), page.body);
  const std::string offer = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
  BOOST_TEST(page.body.find("Start another form with these answers") != std::string::npos);
  // The choices: the benefits form shares the contact block (and only that: its person block
  // is another, `identity`, so the name and SSN are not carried).
  const HttpResponse choices = b.get(offer);
  BOOST_TEST_REQUIRE(choices.status == 200, choices.body.substr(0, 2000));
  BOOST_TEST(choices.body.find("value=\"benefits\"") != std::string::npos, choices.body);
  BOOST_TEST(choices.body.find("Email address") != std::string::npos);
  BOOST_TEST(choices.body.find("value=\"change_of_address\"") == std::string::npos);  // not itself
  // A wrong key is the same 404 as nothing.
  BOOST_TEST(b.get("/receipts/" + reference + "/reuse?key=AAAAAAAAAAAAAAAAAAAAAAAA").status == 404);
  // Choosing asks what only the citizen knows first; nothing carried yet.
  const std::string action = offer + "&lang=en";
  const HttpResponse ask = b.post(action, {{"to", "benefits"}});
  BOOST_TEST_REQUIRE(ask.status == 200, ask.body.substr(0, 2000));
  BOOST_TEST(ask.body.find("Answer a question only you know") != std::string::npos);
  BOOST_TEST(hidden_value(ask.body, "to") == "benefits");
  BOOST_TEST(b.cookies.count("askonce-draft-benefits") == 0u);
  Fields wrong = known_answers("2", "28", "1990", "1111");
  wrong.emplace_back("to", "benefits");
  BOOST_TEST(b.post(action, wrong).status == 422);
  Fields right = known_answers();
  right.emplace_back("to", "benefits");
  const HttpResponse started = b.post(action, right);
  BOOST_TEST_REQUIRE(started.status == 303, started.body.substr(0, 2000));
  BOOST_TEST(started.header("location").starts_with("/forms/benefits/steps/"));
  BOOST_TEST_REQUIRE(b.cookies.count("askonce-draft-benefits") == 1u);
  // The contact step of the new form has the email filled in; the name is not carried.
  const HttpResponse about = b.get("/forms/benefits/steps/about?lang=en");
  BOOST_TEST(about.body.find("value=\"ana@example.org\"") != std::string::npos, about.body.substr(0, 200));
  BOOST_TEST(about.body.find("value=\"Ana\"") == std::string::npos);
}

/// Two small forms that both use the shared `person` block, with SSNs (forms/common copied).
fs::path person_forms(const std::string& name) {
  const fs::path dir = askonce::test::fresh_dir("reuse-forms", name);
  fs::copy("forms/common", dir / "common", fs::copy_options::recursive);
  for (const std::string id : {"form_a", "form_b"}) {
    std::ofstream(dir / (id + ".form")) << "use \"common/person.form\"\n"
                                           "form " << id << " {\n"
                                           "  title \"Form " << id << "\" es \"Formulario " << id << "\"\n"
                                           "  version 1\n  languages en es\n"
                                           "  section who \"About you\" es \"Sobre usted\" {\n    use person\n  }\n"
                                           "  section more \"More\" es \"Más\" {\n"
                                           "    text nickname \"Nickname\" es \"Apodo\"\n  }\n}\n";
  }
  return dir;
}

BOOST_AUTO_TEST_CASE(a_reused_ssn_stays_masked_until_the_citizen_changes_it) {
  const fs::path forms = person_forms("masked");
  TestServer s([&](server::Config& c) { c.forms = forms.string(); });
  Browser b(s);
  const std::string a_step = "/forms/form_a/steps/who?lang=en";
  BOOST_TEST_REQUIRE(b.get(a_step).status == 200);
  const Fields person = {{"person.name.first", "Ana"}, {"person.name.last", "Ruiz"}, {"person.birth_date.month", "2"},
                         {"person.birth_date.day", "28"}, {"person.birth_date.year", "1990"}, {"person.ssn", "123-45-6789"}};
  BOOST_TEST_REQUIRE(b.post(a_step, person).status == 303);
  // From this browser's draft of form A: its check page offers the other form.
  const HttpResponse a_check = b.get("/forms/form_a/check?lang=en");
  BOOST_TEST_REQUIRE(a_check.status == 303);  // the second step first
  BOOST_TEST(b.post(a_check.header("location"), {}).status == 303);
  const HttpResponse check_a = b.get("/forms/form_a/check?lang=en");
  BOOST_TEST_REQUIRE(check_a.status == 200);
  BOOST_TEST(check_a.body.find("href=\"/forms/form_a/reuse?lang=en\"") != std::string::npos, check_a.body);
  const HttpResponse choices = b.get("/forms/form_a/reuse?lang=en");
  BOOST_TEST(choices.body.find("value=\"form_b\"") != std::string::npos);
  BOOST_TEST(choices.body.find("Social Security number") != std::string::npos);
  Fields right = known_answers();
  right.emplace_back("to", "form_b");
  BOOST_TEST_REQUIRE(b.post("/forms/form_a/reuse?lang=en", {{"to", "form_b"}}).status == 200);
  const HttpResponse started = b.post("/forms/form_a/reuse?lang=en", right);
  BOOST_TEST_REQUIRE(started.status == 303, started.body.substr(0, 2000));
  BOOST_TEST(started.header("location") == "/forms/form_b/steps/who?lang=en");
  // Form A's draft is still there: starting another form changes nothing in it.
  BOOST_TEST(b.cookies.count("askonce-draft-form_a") == 1u);

  // Form B's step: the name filled in; the SSN's box empty, saying which number is kept.
  const std::string b_step = "/forms/form_b/steps/who?lang=en";
  const HttpResponse who = b.get(b_step);
  BOOST_TEST(who.body.find("value=\"Ana\"") != std::string::npos);
  BOOST_TEST(who.body.find("6789") != std::string::npos);
  BOOST_TEST(who.body.find("123-45-6789") == std::string::npos);
  BOOST_TEST(who.body.find("We have the number ending 6789") != std::string::npos, who.body);
  // Continue with the box empty: the number is kept.
  Fields kept = person;
  set(kept, "person.ssn", "");
  BOOST_TEST_REQUIRE(b.post(b_step, kept).status == 303);
  BOOST_TEST(b.post("/forms/form_b/steps/more?lang=en", {}).status == 303);
  const HttpResponse check = b.get("/forms/form_b/check?lang=en");
  BOOST_TEST_REQUIRE(check.status == 200, check.body.substr(0, 1000));
  BOOST_TEST(check.body.find("From your earlier application") != std::string::npos);
  BOOST_TEST(check.body.find("123-45-6789") == std::string::npos);
  BOOST_TEST(check.body.find("6789") != std::string::npos);
  // Changed: no longer marked, and shown as typed.
  Fields changed = person;
  set(changed, "person.ssn", "234-56-7891");
  set(changed, "person.name.first", "Anna");
  BOOST_TEST(b.post(b_step + "&return=check", changed).status == 303);
  const HttpResponse after = b.get("/forms/form_b/check?lang=en");
  BOOST_TEST(after.body.find("234-56-7891") != std::string::npos);
  BOOST_TEST(after.body.find("From your earlier application") != std::string::npos);  // the date of birth still is
  const HttpResponse b_who = b.get(b_step);
  BOOST_TEST(b_who.body.find("value=\"234-56-7891\"") != std::string::npos);
}

// --- Add and Remove -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(add_another_person_then_remove_one) {
  TestServer s;
  Browser b(s);
  const std::string others = step("others");
  HttpResponse r = b.get(others);
  BOOST_TEST(r.body.find("name=\"household[0].full_name\"") == std::string::npos);  // no one yet
  BOOST_TEST(r.body.find("name=\"askonce:add\" value=\"household\"") != std::string::npos);

  // Add: saved, then the step again with focus on the new person's first question, without
  // JavaScript (autofocus; the address names the entry, and has no fragment, which would
  // make the browser ignore autofocus).
  r = b.post(others, {{"askonce:add", "household"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == others + "&focus=household%5B0%5D");
  r = b.get(r.header("location"));
  BOOST_TEST(r.body.find("id=\"f-household-0-full_name\" name=\"household[0].full_name\" aria-describedby=\"f-household-0-full_name-rules\" autofocus") !=
             std::string::npos);
  BOOST_TEST(count(r.body, " autofocus") == 1u);

  // Enter the first person, add a second: the first is kept and summarized, with Change and Remove.
  Fields people = {{"household[0].full_name", "Luis Ruiz"}, {"household[0].birth_date.month", "7"},
                   {"household[0].birth_date.day", "4"}, {"household[0].birth_date.year", "2015"},
                   {"askonce:add", "household"}};
  r = b.post(others, people);
  BOOST_TEST(r.header("location") == others + "&focus=household%5B1%5D");
  r = b.get(r.header("location"));
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Luis Ruiz"));
  BOOST_TEST(keeps(r.body, "household[1].full_name", ""));
  BOOST_TEST(r.body.find("<span class=\"text-bold\">Person 1</span>: Luis Ruiz <a class=\"usa-link margin-left-1\" href=\"#f-household-0\">Change") !=
             std::string::npos);
  BOOST_TEST(r.body.find("name=\"askonce:remove\" value=\"household[0]\"") != std::string::npos);
  BOOST_TEST(r.body.find("id=\"f-household-1-full_name\" name=\"household[1].full_name\" aria-describedby=\"f-household-1-full_name-rules\" autofocus") !=
             std::string::npos);

  // Remove the first: the second moves up with its answers.
  Fields two = {{"household[0].full_name", "Luis Ruiz"}, {"household[1].full_name", "Eva " + hostile},
                {"household[1].birth_date.year", "2017"}, {"askonce:remove", "household[0]"}};
  r = b.post(others, two);
  BOOST_TEST(r.status == 303);
  BOOST_TEST(r.header("location") == others + "#f-household");
  r = b.get(others);
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Eva " + hostile_escaped));
  BOOST_TEST(keeps(r.body, "household[0].birth_date.year", "2017"));
  BOOST_TEST(r.body.find("name=\"household[1].full_name\"") == std::string::npos);
  BOOST_TEST(r.body.find("Luis Ruiz") == std::string::npos);
  BOOST_TEST(r.body.find(hostile) == std::string::npos);

  // An Add that names no repeat changes nothing and loses nothing.
  r = b.post(others, {{"household[0].full_name", "Eva"}, {"askonce:add", "person.name"}});
  BOOST_TEST(r.status == 303);
  r = b.get(others);
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Eva"));
  BOOST_TEST(r.body.find("name=\"household[1].full_name\"") == std::string::npos);
  BOOST_TEST(s.store().submission_count() == 0);
}

// --- a valid post, and its receipt -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_valid_post_goes_to_its_receipt) {
  TestServer s;
  Fields fields = valid_change_of_address();
  set(fields, "signature", hostile);
  const std::string location = submit_valid(s, fields);
  const std::string reference = reference_of(location);
  BOOST_TEST(s.store().submission_count() == 1);

  const HttpResponse r = s.get(location);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.header("content-type") == "text/html; charset=utf-8");
  BOOST_TEST(r.header("cache-control") == "no-store");
  // same-origin, not no-referrer: the page's feedback survey posts to this site, and a browser
  // told no-referrer sends "Origin: null" with it (the key stays in this site's requests).
  BOOST_TEST(r.header("referrer-policy") == "same-origin");
  BOOST_TEST(r.body.find(reference) != std::string::npos);
  BOOST_TEST(r.body.find("We received your application") != std::string::npos);
  BOOST_TEST(r.body.find("Each agency updates its records within 10 working days.") != std::string::npos);
  // SSA always; USPS because mail is forwarded; not VA (no benefits), not the IRS (temporary).
  BOOST_TEST(r.body.find("<li>Social Security Administration: Pending. A decision is due by ") != std::string::npos);
  BOOST_TEST(r.body.find("<li>United States Postal Service: Pending. A decision is due by ") != std::string::npos);
  BOOST_TEST(r.body.find("Department of Veterans Affairs") == std::string::npos);
  BOOST_TEST(r.body.find("Internal Revenue Service") == std::string::npos);
  // The page's address holds the key (history, bookmarks): it shows no answer, and leads to
  // them through what only the citizen knows.
  const std::string key = location.substr(location.find("?key=") + 5);
  BOOST_TEST(r.body.find(hostile_escaped) == std::string::npos);
  BOOST_TEST(r.body.find("Ruiz") == std::string::npos);
  BOOST_TEST(r.body.find("href=\"/receipts/" + reference + "/answers?key=" + key + "\"") != std::string::npos);
  BOOST_TEST(r.body.find("See or print your answers") != std::string::npos);
  BOOST_TEST(r.body.find(".pdf?key=") == std::string::npos);
  // With what only Ana knows: the citizen's own text, escaped; the SSN masked; the other
  // formats are posted for with the same answers, never linked.
  const HttpResponse answers = receipt_answers(s, location);
  BOOST_TEST(answers.status == 200);
  BOOST_TEST(answers.body.find(hostile_escaped) != std::string::npos);
  BOOST_TEST(answers.body.find(hostile) == std::string::npos);
  BOOST_TEST(answers.body.find("123-45-6789") == std::string::npos);
  BOOST_TEST(answers.body.find("123456789") == std::string::npos);
  BOOST_TEST(answers.body.find("action=\"/receipts/" + reference + ".pdf?key=" + key + "\"") != std::string::npos);
  BOOST_TEST(answers.body.find("action=\"/receipts/" + reference + ".txt?key=" + key + "\"") != std::string::npos);
  BOOST_TEST(answers.body.find("href=\"/receipts/" + reference + ".pdf") == std::string::npos);
  // Pages whose forms post here say where they come from (Origin), or a browser sends "null".
  BOOST_TEST(answers.header("referrer-policy") == "same-origin");
  // A GET of a format leads to the questions; a post with wrong answers gets the questions again.
  const HttpResponse got = s.get("/receipts/" + reference + ".pdf?key=" + key);
  BOOST_TEST(got.status == 303);
  BOOST_TEST(got.header("location") == "/receipts/" + reference + "/answers?key=" + key);
  {
    Browser b(s);
    b.get("/receipts/" + reference + "/answers?key=" + key);
    const HttpResponse wrong = b.post("/receipts/" + reference + ".pdf?key=" + key, known_answers("1", "1", "1990", "6789"));
    BOOST_TEST(wrong.status == 422);
    BOOST_TEST(wrong.header("content-type") == "text/html; charset=utf-8");
    BOOST_TEST(wrong.body.find("do not match") != std::string::npos);
  }

  const HttpResponse pdf = receipt_answers(s, location, ".pdf");
  BOOST_TEST(pdf.status == 200);
  BOOST_TEST(pdf.header("content-type") == "application/pdf");
  BOOST_TEST(pdf.body.starts_with("%PDF"));
  BOOST_TEST(pdf.header("content-disposition") == "inline; filename=\"receipt-" + reference + ".pdf\"");
  BOOST_TEST(pdf.header("cache-control") == "no-store");
  {
    // Its words (pdftotext, poppler-utils): the reference and each delivery's state, as on the page.
    test::TempDir dir("receipt-pdf");
    const fs::path file = dir.path / "receipt.pdf";
    std::ofstream(file, std::ios::binary) << pdf.body;
    std::string words;
    if (FILE* p = ::popen(("pdftotext -enc UTF-8 '" + file.string() + "' - 2>/dev/null").c_str(), "r")) {
      char buf[4096];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) words.append(buf, n);
      ::pclose(p);
    }
    BOOST_TEST(words.find(reference) != std::string::npos, words.substr(0, 500));
    BOOST_TEST(words.find("Social Security Administration: Pending") != std::string::npos);
    BOOST_TEST(words.find("United States Postal Service: Pending") != std::string::npos);
  }
  const HttpResponse text = receipt_answers(s, location, ".txt");
  BOOST_TEST(text.status == 200);
  BOOST_TEST(text.body.find(reference) != std::string::npos);
  BOOST_TEST(text.body.find("  Social Security Administration: Pending") != std::string::npos);
  BOOST_TEST(text.body.find(hostile) != std::string::npos);  // plain text is not HTML
  // The same receipt in Spanish.
  const HttpResponse es = s.get(location + "&lang=es");
  BOOST_TEST(es.body.find("<html lang=\"es\">") != std::string::npos);
  BOOST_TEST(es.body.find("Administraci\u00f3n del Seguro Social: Pendiente") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_receipt_without_its_key_is_the_same_404_as_nothing) {
  TestServer s;
  const std::string location = submit_valid(s);
  const std::string reference = reference_of(location);
  const HttpResponse unknown = s.get("/receipts/ZZZZ-ZZZZ-ZZZ?key=abcdefghijklmnopqrstuvwxyz");
  BOOST_TEST(unknown.status == 404);
  for (const std::string& target : std::vector<std::string>{
           "/receipts/" + reference + "?key=abcdefghijklmnopqrstuvwxyz", "/receipts/" + reference, "/receipts/" + reference + "?key=",
        "/receipts/" + reference + ".pdf?key=wrong", "/receipts/" + reference + ".txt", "/receipts/" + reference + "?KEY=x",
        location.substr(0, location.size() - 1), "/nothing/at/all"}) {
    const HttpResponse r = s.get(target);
    BOOST_TEST(r.status == 404, target);
    BOOST_TEST(r.body == unknown.body, target);
    BOOST_TEST(r.body.find(reference) == std::string::npos, target);
  }
}

BOOST_AUTO_TEST_CASE(the_receipt_shows_each_delivery_state) {
  TestServer s;
  const std::string location = submit_valid(s);
  const std::string reference = reference_of(location);
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(server::Clock::now());
  // USPS collects it; SSA's delivery is given up on.
  BOOST_TEST_REQUIRE(s.store().acknowledge("usps", reference, now));
  server::ClaimRequest claim;
  claim.worker = "test";
  claim.now = now;
  claim.agency = "ssa";
  const auto items = s.store().claim_deliveries(claim);
  BOOST_TEST_REQUIRE(items.size() == 1u);
  BOOST_TEST_REQUIRE(s.store().mark_failed(items[0].outbox_id, "test", "down", std::nullopt));

  const HttpResponse r = s.get(location);
  // Each line goes on with the day a decision is due under the agency's standard.
  BOOST_TEST(r.body.find("<li>Social Security Administration: Could not be delivered. A decision is due by ") !=
             std::string::npos);
  BOOST_TEST(r.body.find("<li>United States Postal Service: Delivered. A decision is due by ") != std::string::npos);
  const std::string key = location.substr(location.find("?key=") + 5);
  const HttpResponse text = receipt_answers(s, location, ".txt", "&lang=es");
  BOOST_TEST(text.body.find("Servicio Postal de los Estados Unidos: Entregada") != std::string::npos, text.body);
  BOOST_TEST(text.body.find("Administraci\u00f3n del Seguro Social: No se pudo entregar") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(add_and_remove_on_their_own) {
  const auto compiled = askonce::server::Catalog::load("forms");
  BOOST_TEST_REQUIRE(compiled.catalog.has_value());
  const auto& plan = *compiled.catalog->find("change_of_address")->plan;
  server::Fields f = {{"household[0].full_name", "A"}, {"household[1].birth_date.year", "2001"}, {"signature", "S"}};
  server::add_entry(plan, "household", f);
  BOOST_TEST(f.size() == 4u);
  BOOST_TEST(f.back().first == "household[2].full_name");
  // A repeat at its maximum (10 people) gets no more.
  server::Fields full;
  for (int i = 0; i < 10; ++i) full.emplace_back("household[" + std::to_string(i) + "].full_name", "x");
  server::add_entry(plan, "household", full);
  BOOST_TEST(full.size() == 10u);
  for (const std::string bad : {"household[0]", "nothing", "household.full_name", "", "household[x]"}) {
    server::Fields g = {{"household[0].full_name", "A"}};
    server::add_entry(plan, bad, g);
    BOOST_TEST(g.size() == 1u, bad);
  }
  server::Fields r = {{"household[0].full_name", "A"}, {"household[1].full_name", "B"}, {"household[10].full_name", "K"},
                      {"household_size", "3"}, {"household[1]x", "odd"}};
  server::remove_entry("household[1]", r);
  const server::Fields expected = {{"household[0].full_name", "A"}, {"household[9].full_name", "K"},
                                   {"household_size", "3"}, {"household[1]x", "odd"}};
  BOOST_TEST((r == expected));
  server::remove_entry("household", r);  // not an entry
  BOOST_TEST((r == expected));
  const auto split = server::split_post({{"a", "1"}, {"askonce:csrf", "t"}, {"askonce:csrf", "u"}, {"b", "2"}});
  BOOST_TEST(split.answers.size() == 2u);
  BOOST_TEST(split.controls.at("askonce:csrf") == "t");
}

// --- limits ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_oversized_post_gets_413) {
  TestServer s([](server::Config& c) { c.limits.body_bytes = 2048; });
  Browser b(s);
  b.get(step("declaration"));
  const HttpResponse r = b.post(step("declaration"), {{"signature", std::string(4000, 'x')}});
  BOOST_TEST(r.status == 413);
  BOOST_TEST(b.draft().empty());
  // A post within the limit still goes through.
  BOOST_TEST(b.post(step("declaration"), {{"signature", "Ana Ruiz"}}).status == 303);
}

BOOST_AUTO_TEST_CASE(too_many_posts_get_429_with_retry_after) {
  TestServer s([](server::Config& c) {
    c.rate.burst = 2;
    c.rate.per_minute = 1;
  });
  Browser b(s);
  b.get(step("about"));
  BOOST_TEST(b.post(step("about"), valid_change_of_address()).status == 303);
  BOOST_TEST(b.post(step("others"), {{"askonce:add", "household"}}).status == 303);
  const HttpResponse r = b.post(step("move"), valid_change_of_address());
  BOOST_TEST(r.status == 429);
  BOOST_TEST(std::stoi(r.header("retry-after")) >= 1);
  // Pages are not rate-limited: only posts save anything.
  BOOST_TEST(b.get(step("move")).status == 200);
  BOOST_TEST(s.get(coa).status == 200);
}

// --- old definitions ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_receipt_still_shows_after_its_form_changed_on_disk) {
  test::TempDir forms("web-forms");
  fs::copy("forms", forms.path, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  TestServer s([&](server::Config& c) { c.forms = forms.path.string(); });
  const std::string location = submit_valid(s);
  const std::string reference = reference_of(location);
  const std::string before = s.get(location).body;
  BOOST_TEST(before.find("Report a change of address") != std::string::npos);

  s.stop();
  // The form changes: another title, and the question the receipt's answers name differently.
  const fs::path file = forms.path / "change-of-address.form";
  std::string text;
  {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"title \"Report a change of address\"", "title \"Tell us you moved\""},
           {"\"Type your full name to sign\"", "\"Sign with your name\""},
           {"version 1", "version 2"}}) {
    const auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, from);
    text.replace(at, from.size(), to);
  }
  std::ofstream(file, std::ios::trunc) << text;
  s.start();

  BOOST_TEST(s.get(coa).body.find("Tell us you moved") != std::string::npos);  // the new form is served
  const HttpResponse r = s.get(location);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.find(reference) != std::string::npos);
  BOOST_TEST(r.body.find("Report a change of address") != std::string::npos);  // its own definition
  BOOST_TEST(r.body.find("Tell us you moved") == std::string::npos);
  BOOST_TEST(receipt_answers(s, location).body.find("Type your full name to sign") != std::string::npos);
  BOOST_TEST(r.body.find("Social Security Administration: Pending") != std::string::npos);
  // The same page, but for the CSRF token of its feedback survey: each visit without a cookie
  // gets a cookie, and a token, of its own.
  const std::regex token("name=\"askonce:csrf\" value=\"[^\"]*\"");
  BOOST_TEST(std::regex_replace(r.body, token, "") == std::regex_replace(before, token, ""));
  BOOST_TEST(receipt_answers(s, location, ".pdf").body.starts_with("%PDF"));
}

BOOST_AUTO_TEST_CASE(a_stored_document_reads_back_as_it_was) {
  const auto compiled = askonce::server::Catalog::load("forms");
  BOOST_TEST_REQUIRE(compiled.catalog.has_value());
  const auto& plan = *compiled.catalog->find("change_of_address")->plan;
  Fields fields = valid_change_of_address();
  set(fields, "signature", hostile);
  const auto checked = engine::validate_form_fields(plan, fields, engine::Context::on({2024, 5, 1}, "es", "web"));
  BOOST_TEST_REQUIRE(checked.ok(), engine::format_errors(checked.errors));
  const std::string& stored = checked.submission.canonical_json;
  const auto back = engine::restore_submission(plan, stored);
  BOOST_TEST(back.ok(), engine::format_errors(back.errors));
  BOOST_TEST(back.submission.canonical_json == stored);
  BOOST_TEST(back.submission.digest == checked.submission.digest);
  BOOST_TEST(back.submission.received == "2024-05-01T00:00:00Z");
  BOOST_TEST(back.submission.language == "es");
  BOOST_TEST(back.submission.channel == "web");
  // Checked again, it writes the same bytes: nothing was lost on the way back.
  engine::Submission again = back.submission;
  engine::write_canonical(plan, again);
  BOOST_TEST(again.canonical_json == stored);
  // A document that is not a canonical one (its digest no longer matches) is refused.
  std::string tampered = stored;
  tampered.replace(tampered.find("Austin"), 6, "Boston");
  BOOST_TEST(engine::restore_submission(plan, tampered).errors.size() == 1u);
  BOOST_TEST(engine::restore_submission(plan, "not json").errors.size() == 1u);
}

// --- the USWDS files -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(uswds_files_and_nothing_outside_them) {
  TestServer s;
  const HttpResponse css = s.get("/assets/uswds/css/uswds.min.css");
  BOOST_TEST(css.status == 200);
  BOOST_TEST(css.header("content-type") == "text/css; charset=utf-8");
  BOOST_TEST(css.header("cache-control").starts_with("public, max-age="));
  BOOST_TEST(css.body.size() > 100000u);
  BOOST_TEST(s.get("/assets/uswds/js/uswds.min.js").header("content-type") == "application/javascript; charset=utf-8");
  const HttpResponse font = s.get("/assets/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2");
  BOOST_TEST(font.status == 200);
  BOOST_TEST(font.header("content-type") == "font/woff2");
  BOOST_TEST(s.get("/assets/uswds/img/usa-icons/close.svg").header("content-type") == "image/svg+xml");
  BOOST_TEST(s.get("/assets/uswds/css/no-such-file.css").status == 404);
  BOOST_TEST(s.get("/assets/uswds/css").status == 404);                 // a folder
  BOOST_TEST(s.get("/assets/uswds/scss/_index.scss").status == 404);   // not a type served
  for (const std::string target :
       {"/assets/uswds/../../etc/passwd", "/assets/uswds/../../../../../../etc/passwd",
        "/assets/uswds/%2e%2e/%2e%2e/etc/passwd", "/assets/uswds/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/assets/uswds/..%2f..%2f..%2f..%2fetc%2fpasswd", "/assets/uswds/css/..%2f..%2f..%2f..%2f..%2fpackage.json",
        "/assets/uswds/%252e%252e/%252e%252e/etc/passwd", "/assets/uswds/..%5c..%5cetc%5cpasswd",
        "/assets/uswds//etc/passwd", "/assets/uswds/css/%00uswds.min.css", "/assets/uswds/./css/uswds.min.css",
        "/assets/uswds/%2fetc%2fpasswd"}) {
    const HttpResponse r = s.get(target);
    BOOST_TEST(r.status == 404, target);
    BOOST_TEST(r.body.find("root:") == std::string::npos, target);
  }
}

// --- language choice ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(language_choice) {
  const std::vector<std::string> offered = {"en", "es"};
  BOOST_TEST(server::choose_language(std::string("es"), "", offered) == "es");
  BOOST_TEST(server::choose_language(std::string("fr"), "es", offered) == "en");
  BOOST_TEST(server::choose_language(std::nullopt, "", offered) == "en");
  BOOST_TEST(server::choose_language(std::nullopt, "es-MX,es;q=0.9,en;q=0.8", offered) == "es");
  BOOST_TEST(server::choose_language(std::nullopt, "fr-FR, en;q=0.3, es;q=0.7", offered) == "es");
  BOOST_TEST(server::choose_language(std::nullopt, "fr", offered) == "en");
  BOOST_TEST(server::choose_language(std::nullopt, "ES", offered) == "es");
  BOOST_TEST(server::choose_language(std::nullopt, "*;q=0.5, en;q=0", offered) == "es");
}

BOOST_AUTO_TEST_CASE(a_receipt_link_that_does_not_work_promises_no_email_without_a_relay) {
  // No mail relay configured: no receipt link was ever sent, and there is no "Lost your receipt
  // link?" form, so the page says how to see the receipt again without a word of email.
  TestServer s;
  for (const std::string lang : {"en", "es"}) {
    const HttpResponse r = s.get("/r/" + std::string(43, 'A') + "?lang=" + lang);
    BOOST_TEST(r.status == 410);
    BOOST_TEST(r.body.find(renderers::escape_html(renderers::ui(renderers::Ui::LinkExpiredNoMail, lang))) != std::string::npos);
    BOOST_TEST(r.body.find("/receipts/lost") == std::string::npos);
    const std::string main = r.body.substr(r.body.find("<main"));
    BOOST_TEST(main.find("mail") == std::string::npos);
    BOOST_TEST(main.find("correo") == std::string::npos);
  }
}
