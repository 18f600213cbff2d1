// tests/server_web_tests.cpp: the citizens' side of the server (server/http/web_routes.cpp): the list
// of forms, form pages in each language, posts with their CSRF token and once-only key, errors
// shown with every value kept, Add and Remove, receipts with their key and each delivery's
// state, old receipts under a changed form, the USWDS files, and the limits every post gets.
// A real server on a loopback port, a real SQLite file, a real HTTP client.
#define BOOST_TEST_MODULE server_web_tests
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <Poco/URI.h>

#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "renderers/escape.hpp"
#include "server/http/web_pages.hpp"
#include "server/http/web_post.hpp"
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
/// The form page (the whole form, until the step pages replace it at this address).
const std::string coa_steps = coa + "/steps/about";
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

/// What a browser holds after opening a form page: the cookie, and the page's hidden fields.
struct Session {
  std::string cookie;  // "askonce-csrf=VALUE"
  std::string csrf;
  std::string nonce;
};

std::string hidden_value(const std::string& html, const std::string& name) {
  const std::regex re("<input type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\">");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

Session open_form(TestServer& s, const std::string& target = coa_steps) {
  const HttpResponse r = s.get(target);
  BOOST_TEST_REQUIRE(r.status == 200);
  Session out;
  const std::string set_cookie = r.header("set-cookie");
  out.cookie = set_cookie.substr(0, set_cookie.find(';'));
  out.csrf = hidden_value(r.body, "askonce:csrf");
  out.nonce = hidden_value(r.body, "askonce:nonce");
  BOOST_TEST_REQUIRE(out.cookie.starts_with("askonce-csrf="));
  BOOST_TEST_REQUIRE(!out.csrf.empty());
  BOOST_TEST_REQUIRE(!out.nonce.empty());
  return out;
}

/// A post of `fields` as the form page sends it, with the session's cookie and hidden fields.
HttpResponse post_form(TestServer& s, const Session& session, Fields fields, const std::string& target = coa,
                       Headers extra = {}) {
  fields.emplace_back("askonce:csrf", session.csrf);
  fields.emplace_back("askonce:nonce", session.nonce);
  Headers headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", session.cookie}};
  for (auto& h : extra) headers.push_back(std::move(h));
  return s.post(target, urlencode(fields), headers);
}

/// The receipt address a valid post is sent to.
std::string submit_valid(TestServer& s, Fields fields = valid_change_of_address(), const std::string& target = coa_steps) {
  const Session session = open_form(s, target);
  const HttpResponse r = post_form(s, session, std::move(fields), target);
  BOOST_TEST_REQUIRE(r.status == 303, r.body.substr(0, 2000));
  return r.header("location");
}

std::string reference_of(const std::string& location) {
  const std::regex re("^/receipts/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\\?key=[A-Za-z0-9_-]{20,}$");
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(location, m, re), location);
  return m[1].str();
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

BOOST_AUTO_TEST_CASE(form_pages_in_each_language_and_404_for_an_unknown_form) {
  TestServer s;
  for (const std::string lang : {"en", "es"}) {
    const HttpResponse r = s.get(coa_steps + "?lang=" + lang);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"" + lang + "\">"), lang);
    BOOST_TEST(r.body.find("<script src=\"/forms/change_of_address/form.js\" defer></script>") != std::string::npos);
    BOOST_TEST(count(r.body, "type=\"hidden\"") == 2u);
  }
  BOOST_TEST(s.get(coa).body.find("Report a change of address") != std::string::npos);
  BOOST_TEST(s.get(coa + "?lang=es").body.find("Informe un cambio de direcci\u00f3n") != std::string::npos);
  // A language the form does not have: the form in its primary language, not an error.
  const HttpResponse fr = s.get(coa_steps + "?lang=fr");
  BOOST_TEST(fr.status == 200);
  BOOST_TEST(fr.body.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

  BOOST_TEST(s.get("/forms/no_such_form").status == 404);
  BOOST_TEST(s.get("/forms/no_such_form.pdf").status == 404);
  BOOST_TEST(s.get("/forms/no_such_form/form.js").status == 404);
  BOOST_TEST(s.get("/nothing/here").status == 404);

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
        // The first step is there to follow (the form page, until the step pages land).
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
  const std::string location = submit_valid(s);
  const std::string reference = reference_of(location);
  const std::string key = location.substr(location.find("?key=") + 5);
  const Session session = open_form(s);
  Fields no_token = valid_change_of_address();
  const HttpResponse refused =
      s.post(coa, urlencode(no_token), {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", session.cookie}});
  BOOST_TEST(refused.status == 403);
  const std::pair<std::string, std::string> pages[] = {
      {"index", s.get("/").body}, {"start", s.get(coa).body}, {"form", s.get(coa_steps).body},
      {"receipt", s.get(location).body}, {"refused", refused.body}};
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
  // The receipt's language switch keeps its key; its time is in the deployment's zone, named.
  const std::string receipt = s.get(location).body;
  BOOST_TEST(receipt.find("href=\"/receipts/" + reference + "?key=" + key + "&amp;lang=es\" lang=\"es\" hreflang=\"es\"") !=
             std::string::npos);
  BOOST_TEST(receipt.find(" Central Time</p>") != std::string::npos);
  BOOST_TEST(receipt.find("UTC") == std::string::npos);
  BOOST_TEST(s.get(location + "&lang=es").body.find(" hora del Centro</p>") != std::string::npos);
  BOOST_TEST(s.get("/receipts/" + reference + ".txt?key=" + key).body.find(" Central Time") != std::string::npos);
  // The index's switch leads to the index in each language.
  BOOST_TEST(s.get("/").body.find("href=\"/?lang=es\" lang=\"es\" hreflang=\"es\">Español</a>") != std::string::npos);
  // The deployment's phone line, in place of the form's; the form's mail address stays.
  const std::string start = s.get(coa).body;
  BOOST_TEST(start.find("Call 1-800-555-0100.") != std::string::npos);
  BOOST_TEST(start.find("1-800-772-1213") == std::string::npos);
  BOOST_TEST(start.find("mail it to the address on its first page") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(paper_text_and_script_versions_of_a_form) {
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

  const HttpResponse js = s.get(coa + "/form.js");
  BOOST_TEST(js.status == 200);
  BOOST_TEST(js.header("content-type") == "application/javascript; charset=utf-8");
  BOOST_TEST(js.body.starts_with("// form.js for change_of_address"));
}

BOOST_AUTO_TEST_CASE(security_headers_on_pages) {
  TestServer s;
  for (const std::string& target : std::vector<std::string>{"/", coa, coa + "?lang=es"}) {
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
  const std::string cookie = s.get(coa_steps).header("set-cookie");
  BOOST_TEST(cookie.find("HttpOnly") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("SameSite=Strict") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("path=/;") != std::string::npos, cookie);
  BOOST_TEST(cookie.find("secure") == std::string::npos, cookie);  // secure_cookies is off here
}

BOOST_AUTO_TEST_CASE(secure_cookies_use_the_host_prefix) {
  TestServer s([](server::Config& c) { c.secure_cookies = true; });
  const std::string cookie = s.get(coa_steps).header("set-cookie");
  BOOST_TEST(cookie.starts_with("__Host-askonce-csrf="), cookie);
  BOOST_TEST(cookie.find("; secure") != std::string::npos, cookie);
}

// --- CSRF ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(posts_without_a_valid_csrf_token_are_refused_and_nothing_is_stored) {
  TestServer s;
  const std::string body = urlencode(valid_change_of_address());
  const Headers form_type = {{"Content-Type", "application/x-www-form-urlencoded"}};

  // No cookie, no token.
  HttpResponse r = s.post(coa, body, form_type);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.header("content-type") == "text/html; charset=utf-8");
  BOOST_TEST(r.body.find("We could not accept this page") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"/forms/change_of_address?lang=en\"") != std::string::npos);

  // A token without its cookie; a cookie without a token.
  const Session a = open_form(s), b = open_form(s);
  BOOST_TEST(a.cookie != b.cookie);
  BOOST_TEST(s.post(coa, body + "&askonce%3Acsrf=" + a.csrf, form_type).status == 403);
  BOOST_TEST(s.post(coa, body, {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", a.cookie}}).status == 403);
  // The token of another cookie.
  Session mixed = a;
  mixed.csrf = b.csrf;
  BOOST_TEST(post_form(s, mixed, valid_change_of_address()).status == 403);
  // A forged token.
  mixed.csrf = std::string(a.csrf.size(), 'A');
  BOOST_TEST(post_form(s, mixed, valid_change_of_address()).status == 403);
  // Valid cookie and token, from another site.
  r = post_form(s, a, valid_change_of_address(), coa, {{"Origin", "https://evil.example"}});
  BOOST_TEST(r.status == 403);
  BOOST_TEST(post_form(s, a, valid_change_of_address(), coa, {{"Origin", "null"}}).status == 403);
  // In Spanish, the refusal is in Spanish.
  r = s.post(coa + "?lang=es", body, form_type);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.body.find("<html lang=\"es\">") != std::string::npos);
  BOOST_TEST(r.body.find("No pudimos aceptar esta p\u00e1gina") != std::string::npos);

  BOOST_TEST(s.store().submission_count() == 0);

  // The same post from this site's own page is accepted.
  r = post_form(s, a, valid_change_of_address(), coa, {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(s.store().submission_count() == 1);
}

BOOST_AUTO_TEST_CASE(behind_a_proxy_the_configured_public_origin_is_the_one_accepted) {
  // The proxy forwards to 127.0.0.1 with its own Host; citizens' browsers say where they are.
  TestServer s([](server::Config& c) { c.public_origin = "https://forms.example.gov"; });
  const Session a = open_form(s);
  BOOST_TEST(post_form(s, a, valid_change_of_address(), coa, {{"Origin", "https://evil.example"}}).status == 403);
  // This server's own Host is not the public address: refused too.
  BOOST_TEST(post_form(s, a, valid_change_of_address(), coa,
                       {{"Origin", "http://127.0.0.1:" + std::to_string(s.port())}}).status == 403);
  BOOST_TEST(s.store().submission_count() == 0);
  // Operators see why: refusals for the origin are counted apart from bad tokens.
  BOOST_TEST(s.get("/metrics").body.find("askonce_requests_refused_total{reason=\"origin\"} 2") != std::string::npos);
  const HttpResponse r = post_form(s, a, valid_change_of_address(), coa, {{"Origin", "https://Forms.Example.gov"}});
  BOOST_TEST(r.status == 303);
  BOOST_TEST(s.store().submission_count() == 1);
}

BOOST_AUTO_TEST_CASE(a_post_that_is_not_a_form_post_is_refused) {
  TestServer s;
  const Session a = open_form(s);
  const HttpResponse r = s.post(coa, "{\"a\":1}", {{"Content-Type", "application/json"}, {"Cookie", a.cookie}});
  BOOST_TEST(r.status == 415);
  BOOST_TEST(s.store().submission_count() == 0);
}

// --- errors, values kept --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_invalid_post_shows_the_errors_and_keeps_every_value_escaped) {
  TestServer s;
  const Session session = open_form(s);
  Fields fields = valid_change_of_address();
  set(fields, "move_date.month", "13");  // no such month
  set(fields, "person.name.first", hostile);
  set(fields, "old_address.street", hostile);
  set(fields, "signature", hostile);
  set(fields, "person.ssn", "12-34");    // too short
  const HttpResponse r = post_form(s, session, fields);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("id=\"error-summary\"") != std::string::npos);
  BOOST_TEST(r.body.find("<title>Error: Report a change of address - Government forms</title>") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-move_date-month\"") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"#f-person-ssn\"") != std::string::npos);
  // Every value sent comes back, the hostile one escaped and never raw.
  for (const auto& [name, value] : fields) {
    const std::string escaped = value == hostile ? hostile_escaped : value;
    if (name == "kind" || name == "veteran" || name == "forward_mail" || name == "usps_move_type" ||
        name == "contact.preferred_method" || name == "truthful" || name == "old_address.state" ||
        name == "new_address.state") {
      continue;  // radios, checkboxes and selects: checked below
    }
    BOOST_TEST(keeps(r.body, name, escaped), name);
  }
  BOOST_TEST(r.body.find("id=\"f-kind-2\" name=\"kind\" value=\"temporary\" checked") != std::string::npos);
  BOOST_TEST(r.body.find("id=\"f-forward_mail-yes\" name=\"forward_mail\" value=\"yes\" checked") != std::string::npos);
  BOOST_TEST(r.body.find("<option value=\"IL\" selected>") != std::string::npos);
  BOOST_TEST(r.body.find(hostile) == std::string::npos);
  BOOST_TEST(r.body.find("<script>alert") == std::string::npos);
  BOOST_TEST(count(r.body, hostile_escaped) == 3u);
  // A fresh once-only key and the same CSRF token, for the next try.
  BOOST_TEST(hidden_value(r.body, "askonce:csrf") == session.csrf);
  BOOST_TEST(!hidden_value(r.body, "askonce:nonce").empty());
  BOOST_TEST(hidden_value(r.body, "askonce:nonce") != session.nonce);
  // The controls are the page's own hidden fields, never shown back as answers; nothing is stored.
  BOOST_TEST(count(r.body, "name=\"askonce:csrf\"") == 1u);
  BOOST_TEST(count(r.body, "name=\"askonce:nonce\"") == 1u);
  BOOST_TEST(s.store().submission_count() == 0);
}

BOOST_AUTO_TEST_CASE(errors_in_spanish_on_the_spanish_page) {
  TestServer s;
  const Session session = open_form(s, coa_steps + "?lang=es");
  Fields fields = valid_change_of_address();
  set(fields, "signature", "");
  const HttpResponse r = post_form(s, session, fields, coa + "?lang=es");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.starts_with("<!DOCTYPE html>\n<html lang=\"es\">"));
  BOOST_TEST(r.body.find("Hay un problema") != std::string::npos);
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
  BOOST_TEST(r.header("referrer-policy") == "no-referrer");
  BOOST_TEST(r.body.find(reference) != std::string::npos);
  BOOST_TEST(r.body.find("We received your application") != std::string::npos);
  BOOST_TEST(r.body.find("Each agency updates its records within 10 working days.") != std::string::npos);
  // SSA always; USPS because mail is forwarded; not VA (no benefits), not the IRS (temporary).
  BOOST_TEST(r.body.find("<li>Social Security Administration: Pending</li>") != std::string::npos);
  BOOST_TEST(r.body.find("<li>United States Postal Service: Pending</li>") != std::string::npos);
  BOOST_TEST(r.body.find("Department of Veterans Affairs") == std::string::npos);
  BOOST_TEST(r.body.find("Internal Revenue Service") == std::string::npos);
  // The citizen's own text, escaped; the SSN masked.
  BOOST_TEST(r.body.find(hostile_escaped) != std::string::npos);
  BOOST_TEST(r.body.find(hostile) == std::string::npos);
  BOOST_TEST(r.body.find("123-45-6789") == std::string::npos);
  BOOST_TEST(r.body.find("123456789") == std::string::npos);
  // Links to the other formats carry the key.
  const std::string key = location.substr(location.find("?key=") + 5);
  BOOST_TEST(r.body.find("href=\"/receipts/" + reference + ".pdf?key=" + key + "\"") != std::string::npos);
  BOOST_TEST(r.body.find("href=\"/receipts/" + reference + ".txt?key=" + key + "\"") != std::string::npos);

  const HttpResponse pdf = s.get("/receipts/" + reference + ".pdf?key=" + key);
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
  const HttpResponse text = s.get("/receipts/" + reference + ".txt?key=" + key);
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
  BOOST_TEST(r.body.find("<li>Social Security Administration: Could not be delivered</li>") != std::string::npos);
  BOOST_TEST(r.body.find("<li>United States Postal Service: Delivered</li>") != std::string::npos);
  const std::string key = location.substr(location.find("?key=") + 5);
  const HttpResponse text = s.get("/receipts/" + reference + ".txt?key=" + key + "&lang=es");
  BOOST_TEST(text.body.find("Servicio Postal de los Estados Unidos: Entregada") != std::string::npos, text.body);
  BOOST_TEST(text.body.find("Administraci\u00f3n del Seguro Social: No se pudo entregar") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_double_click_stores_once_and_both_reach_the_same_receipt) {
  TestServer s;
  const Session session = open_form(s);
  const HttpResponse first = post_form(s, session, valid_change_of_address());
  const HttpResponse second = post_form(s, session, valid_change_of_address());
  BOOST_TEST(first.status == 303);
  BOOST_TEST(second.status == 303);
  BOOST_TEST(first.header("location") == second.header("location"));
  BOOST_TEST(s.store().submission_count() == 1);
  BOOST_TEST(s.get(second.header("location")).status == 200);

  // The same page sent again with other answers (Back, then a change): nothing is lost or
  // stored; the page comes back with those answers and a fresh key.
  Fields changed = valid_change_of_address();
  set(changed, "new_address.street", "3 Elm St");
  const HttpResponse conflict = post_form(s, session, changed);
  BOOST_TEST(conflict.status == 409);
  BOOST_TEST(conflict.body.find("This page was already sent with other answers.") != std::string::npos);
  BOOST_TEST(keeps(conflict.body, "new_address.street", "3 Elm St"));
  BOOST_TEST(s.store().submission_count() == 1);
  Session again = session;
  again.nonce = hidden_value(conflict.body, "askonce:nonce");
  BOOST_TEST(again.nonce != session.nonce);
  const HttpResponse resent = post_form(s, again, changed);
  BOOST_TEST(resent.status == 303);
  BOOST_TEST(resent.header("location") != first.header("location"));
  BOOST_TEST(s.store().submission_count() == 2);

  // Two pages are two applications, even with the same answers.
  const Session other = open_form(s);
  BOOST_TEST(post_form(s, other, valid_change_of_address()).status == 303);
  BOOST_TEST(s.store().submission_count() == 3);
}

// --- Add and Remove -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(add_and_remove_entries_keep_every_value) {
  TestServer s;
  const Session session = open_form(s);
  // The blank page has no person yet, and an Add button.
  BOOST_TEST(s.get(coa_steps).body.find("name=\"household[0].full_name\"") == std::string::npos);

  Fields fields = valid_change_of_address();
  fields.emplace_back("askonce:add", "household");
  HttpResponse r = post_form(s, session, fields);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Luis Ruiz"));
  BOOST_TEST(r.body.find("name=\"household[1].full_name\"") != std::string::npos);
  BOOST_TEST(keeps(r.body, "household[1].full_name", ""));  // the new entry, empty
  BOOST_TEST(keeps(r.body, "person.name.first", "Ana"));
  BOOST_TEST(keeps(r.body, "signature", "Ana Ruiz"));
  BOOST_TEST(r.body.find("id=\"error-summary\"") == std::string::npos);
  BOOST_TEST(r.body.find("name=\"askonce:add\"") != std::string::npos);
  BOOST_TEST(s.store().submission_count() == 0);

  // Remove the first of three people: the others move up, with their answers.
  fields = valid_change_of_address();
  fields.emplace_back("household[1].full_name", "Eva Ruiz");
  fields.emplace_back("household[1].birth_date.year", "2017");
  fields.emplace_back("household[2].full_name", "Tom " + hostile);
  fields.emplace_back("askonce:remove", "household[0]");
  r = post_form(s, session, fields);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Eva Ruiz"));
  BOOST_TEST(keeps(r.body, "household[0].birth_date.year", "2017"));
  BOOST_TEST(keeps(r.body, "household[1].full_name", "Tom " + hostile_escaped));
  BOOST_TEST(r.body.find("name=\"household[2].full_name\"") == std::string::npos);
  BOOST_TEST(r.body.find("Luis Ruiz") == std::string::npos);
  BOOST_TEST(keeps(r.body, "person.name.last", "Ruiz"));
  BOOST_TEST(r.body.find(hostile) == std::string::npos);
  BOOST_TEST(s.store().submission_count() == 0);

  // An Add that names no repeat changes nothing and loses nothing.
  fields = valid_change_of_address();
  fields.emplace_back("askonce:add", "person.name");
  r = post_form(s, session, fields);
  BOOST_TEST(r.status == 200);
  BOOST_TEST(keeps(r.body, "household[0].full_name", "Luis Ruiz"));
  BOOST_TEST(r.body.find("name=\"household[1].full_name\"") == std::string::npos);
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
  const Session session = open_form(s);
  Fields fields = valid_change_of_address();
  set(fields, "signature", std::string(4000, 'x'));
  const HttpResponse r = post_form(s, session, fields);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(s.store().submission_count() == 0);
  // A post within the limit still goes through.
  BOOST_TEST(post_form(s, open_form(s), valid_change_of_address()).status == 303);
}

BOOST_AUTO_TEST_CASE(too_many_posts_get_429_with_retry_after) {
  TestServer s([](server::Config& c) {
    c.rate.burst = 2;
    c.rate.per_minute = 1;
  });
  const Session session = open_form(s);
  BOOST_TEST(post_form(s, session, valid_change_of_address()).status == 303);
  Fields add = valid_change_of_address();
  add.emplace_back("askonce:add", "household");
  BOOST_TEST(post_form(s, session, add).status == 200);
  const HttpResponse r = post_form(s, session, valid_change_of_address());
  BOOST_TEST(r.status == 429);
  BOOST_TEST(std::stoi(r.header("retry-after")) >= 1);
  // Pages are not rate-limited: only posts store anything.
  BOOST_TEST(s.get(coa).status == 200);
  BOOST_TEST(s.store().submission_count() == 1);
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
  BOOST_TEST(r.body.find("Type your full name to sign") != std::string::npos);
  BOOST_TEST(r.body.find("Social Security Administration: Pending") != std::string::npos);
  BOOST_TEST(r.body == before);
  BOOST_TEST(s.get("/receipts/" + reference + ".pdf" + location.substr(location.find('?'))).body.starts_with("%PDF"));
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
