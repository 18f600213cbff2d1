// tests/server_api_tests.cpp: the JSON API and the agency API (server/http/api_routes.cpp) through a
// real server on a loopback port with its own SQLite file (tests/server_support.hpp):
//   - a valid change of address reaches exactly the agencies whose `when` holds, and each agency,
//     with its own token, pulls only its own views, exactly as the engine routes them, as JSON
//     and as XML, a page at a time, and acknowledges them;
//   - an invalid submission gets 422 with every error and stores nothing;
//   - idempotent retries, one after another and at the same time;
//   - isolation: 401 without a valid header token, and another agency's data is a plain 404;
//   - 413, 415, contracts by Accept (the XSD parsed as a schema by libxml2), 406;
//   - the OpenAPI document describes every route and is served byte for byte;
//   - /healthz, /metrics, and a log with no token and nothing the client sent.
#define BOOST_TEST_MODULE server_api_tests
#include <boost/test/unit_test.hpp>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <latch>
#include <set>
#include <sstream>
#include <thread>

#include "engine/model_json.hpp"
#include "engine/normalize.hpp"
#include "engine/time_zone.hpp"
#include "engine/validate.hpp"
#include "engine/value.hpp"
#include "engine/views.hpp"
#include "server/http/http.hpp"
#include "tests/server_support.hpp"
#include "tests/test_support.hpp"

namespace e = askonce::engine;
namespace s = askonce::server;
using askonce::test::Headers;
using askonce::test::HttpResponse;
using askonce::test::TestServer;

namespace {

/// Today in the test server's zone (the default site.time_zone), as the envelope writes it.
std::string today_in_new_york() {
  const auto zone = e::TimeZone::find("America/New_York");
  BOOST_TEST_REQUIRE(zone != nullptr);
  return e::to_iso(e::Context::now("en", "api", zone.get()).today);
}

const std::string form_id = "change_of_address";
const std::string submissions_url = "/api/v1/forms/" + form_id + "/submissions";
const Headers json_type = {{"Content-Type", "application/json"}};

// Reaches every agency: ssa always, usps (forward_mail), va (veteran), irs (permanent).
// Hostile text in the addresses comes back escaped in XML and intact in JSON.
using askonce::test::coa_permanent;

// Reaches only ssa: temporary (no irs), not a veteran (no va), no forwarding (no usps).
using askonce::test::coa_temporary;

Poco::JSON::Object::Ptr object(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}
Poco::JSON::Array::Ptr array(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

s::TimePoint now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(s::Clock::now()); }

Headers bearer(const std::string& token, Headers more = {}) {
  more.emplace_back("Authorization", "Bearer " + token);
  return more;
}

/// POSTs a submission; requires 201 and gives its answer.
Poco::JSON::Object::Ptr submit(TestServer& server, const std::string& body, Headers headers = json_type) {
  const auto r = server.post(submissions_url, body, headers);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.status << " " << r.body);
  BOOST_TEST(r.header("content-type").starts_with("application/json"));
  return object(r.body);
}

std::vector<std::string> agencies_of(const Poco::JSON::Object::Ptr& stored) {
  std::vector<std::string> out;
  const auto list = stored->getArray("agencies");
  for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("agency"));
  return out;
}

/// The views the engine itself routes this submission to, by agency (what the server must hand out).
std::map<std::string, std::pair<std::string, std::string>> engine_views(TestServer& server, const std::string& body) {
  const auto& plan = *server.app->catalog().find(form_id)->plan;
  const auto context = e::Context::now("en", "api");
  const auto r = e::validate_json(plan, body, context);
  BOOST_REQUIRE_MESSAGE(r.ok(), e::format_errors(r.errors));
  const e::EvalContext eval{context.today};
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& v : e::route(plan, r.submission, e::ViewFormat::Json, eval)) out[v.agency].first = v.document;
  for (const auto& v : e::route(plan, r.submission, e::ViewFormat::Xml, eval)) out[v.agency].second = v.document;
  return out;
}

/// A JSON view from its "data" on: what does not depend on when it was received.
std::string json_data(const std::string& view) {
  const auto at = view.find("\"data\": ");
  BOOST_REQUIRE(at != std::string::npos);
  return view.substr(at);
}

/// An XML view from its root element on (after the <?askonce ...?> metadata).
std::string xml_body(const std::string& view) {
  const auto pi = view.find("<?askonce ");
  BOOST_REQUIRE(pi != std::string::npos);
  return view.substr(view.find("?>", pi) + 2);
}

struct XmlDoc {
  xmlDocPtr doc = nullptr;
  explicit XmlDoc(const std::string& text)
      : doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "doc.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOBLANKS)) {}
  ~XmlDoc() { xmlFreeDoc(doc); }
  xmlNodePtr root() const { return doc ? xmlDocGetRootElement(doc) : nullptr; }
};

std::string name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }
std::string ns_of(const xmlNode* n) { return n->ns ? reinterpret_cast<const char*>(n->ns->href) : ""; }
std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string out = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return out;
}
std::vector<xmlNodePtr> children(const xmlNode* n) {
  std::vector<xmlNodePtr> out;
  for (auto c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}
/// The element as libxml2 prints it, unindented: the same for the same element however it was written.
std::string dump(xmlDocPtr doc, xmlNodePtr n) {
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, doc, n, 0, 0);
  std::string out(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<std::size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Whether libxml2 accepts `path` as an XML Schema (imports resolved next to it).
bool parses_as_schema(const std::string& path) {
  xmlSchemaParserCtxtPtr ctx = xmlSchemaNewParserCtxt(path.c_str());
  xmlSchemaPtr schema = xmlSchemaParse(ctx);
  const bool ok = schema != nullptr;
  if (schema) xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(ctx);
  return ok;
}

}  // namespace

// ---- forms and models -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(forms_are_listed_with_their_links_and_models) {
  TestServer server;
  const auto r = server.get("/api/v1/forms");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.header("content-type") == "application/json");
  const auto forms = array(r.body);
  BOOST_TEST(forms->size() == server.app->catalog().forms().size());
  Poco::JSON::Object::Ptr coa;
  for (std::size_t i = 0; i < forms->size(); ++i) {
    auto f = forms->getObject(static_cast<unsigned>(i));
    if (f->getValue<std::string>("id") == form_id) coa = f;
  }
  BOOST_REQUIRE(coa);
  const auto& model = server.app->catalog().find(form_id)->plan->form();
  BOOST_TEST(coa->getValue<int>("version") == 1);
  BOOST_TEST(coa->getObject("title")->getValue<std::string>("es") == "Informe un cambio de dirección");
  BOOST_TEST(coa->getArray("languages")->size() == 2u);
  BOOST_TEST(coa->getValue<std::string>("definition_hash") == model.definition_hash);
  const auto links = coa->getObject("links");
  BOOST_TEST(links->getValue<std::string>("self") == "/api/v1/forms/change_of_address");
  BOOST_TEST(links->getValue<std::string>("submissions") == submissions_url);
  BOOST_TEST(links->getObject("contracts")->getValue<std::string>("irs") ==
             "/api/v1/forms/change_of_address/agencies/irs/contract");

  const auto m = server.get(links->getValue<std::string>("self"));
  BOOST_TEST(m.status == 200);
  BOOST_TEST(m.body == askonce::model_json::to_json(model));
  const auto missing = server.get("/api/v1/forms/no_such_form");
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.header("content-type") == "application/problem+json");
  BOOST_TEST(object(missing.body)->getValue<int>("status") == 404);
}

// ---- submissions and what each agency pulls ---------------------------------------------------

BOOST_AUTO_TEST_CASE(each_agency_pulls_exactly_its_own_views_as_the_engine_routes_them) {
  TestServer server;
  const auto all = submit(server, coa_permanent);
  const auto few = submit(server, coa_temporary());
  using V = std::vector<std::string>;
  BOOST_TEST(agencies_of(all) == (V{"ssa", "usps", "va", "irs"}), boost::test_tools::per_element());
  BOOST_TEST(agencies_of(few) == V{"ssa"}, boost::test_tools::per_element());
  BOOST_TEST(server.store().submission_count() == 2);
  const std::string all_ref = all->getValue<std::string>("reference");
  const std::string few_ref = few->getValue<std::string>("reference");
  BOOST_TEST(all_ref != few_ref);
  BOOST_TEST(all->getValue<std::string>("form") == form_id);
  BOOST_TEST(all->getValue<std::string>("digest").starts_with("sha256:"));
  BOOST_TEST(all->getValue<std::string>("receipt_url").starts_with("/receipts/" + all_ref + "?key="));

  const auto expect_all = engine_views(server, coa_permanent);
  const auto expect_few = engine_views(server, coa_temporary());
  for (const std::string agency : {"ssa", "usps", "va", "irs"}) {
    BOOST_TEST_CONTEXT("agency " << agency) {
      const std::string token = server.store().create_token(agency, now()).token;
      // JSON: the list holds this agency's views only, oldest first, each exactly the engine's.
      const auto list = server.get("/api/v1/agencies/" + agency + "/submissions", bearer(token));
      BOOST_REQUIRE_MESSAGE(list.status == 200, list.body);
      BOOST_TEST(list.header("content-type") == "application/json");
      const auto page = object(list.body);
      const auto items = page->getArray("items");
      const std::size_t expected = agency == "ssa" ? 2 : 1;
      BOOST_REQUIRE(items->size() == expected);
      const auto first = items->getObject(0);
      BOOST_TEST(first->getValue<std::string>("reference") == all_ref);
      BOOST_TEST(first->getValue<std::string>("digest") == all->getValue<std::string>("digest"));
      BOOST_TEST(first->getValue<bool>("acknowledged") == false);
      // The envelope: how it came in, in which language, and the day it arrived (today in the
      // deployment's zone, New York by default), beside the view and never inside it.
      BOOST_TEST(first->getValue<std::string>("channel") == "api");
      BOOST_TEST(first->getValue<std::string>("language") == "en");
      BOOST_TEST(first->getValue<std::string>("date_received") == today_in_new_york());
      BOOST_TEST(first->getObject("view")->getValue<std::string>("agency") == agency);
      BOOST_TEST(!first->getObject("view")->has("channel"));
      if (agency == "ssa") BOOST_TEST(items->getObject(1)->getValue<std::string>("reference") == few_ref);
      BOOST_TEST(!page->getValue<std::string>("next_cursor").empty());

      // One view, JSON: the document itself, with its metadata as headers.
      const auto one = server.get("/api/v1/agencies/" + agency + "/submissions/" + all_ref, bearer(token));
      BOOST_REQUIRE(one.status == 200);
      BOOST_TEST(one.header("content-type") == "application/json");
      BOOST_TEST(json_data(one.body) == json_data(expect_all.at(agency).first));
      BOOST_TEST(one.header("askonce-agency") == agency);
      BOOST_TEST(one.header("askonce-form") == form_id);
      BOOST_TEST(one.header("askonce-form-version") == "1");
      BOOST_TEST(one.header("askonce-submission-digest") == all->getValue<std::string>("digest"));
      BOOST_TEST(one.header("askonce-definition-hash") == all->getValue<std::string>("definition_hash"));
      BOOST_TEST(one.header("askonce-received") == all->getValue<std::string>("received"));
      BOOST_TEST(one.header("askonce-reference") == all_ref);
      BOOST_TEST(one.header("askonce-channel") == "api");
      BOOST_TEST(one.header("askonce-language") == "en");
      BOOST_TEST(one.header("askonce-date-received") == today_in_new_york());

      // One view, XML by Accept: the engine's XML view.
      const auto xml = server.get("/api/v1/agencies/" + agency + "/submissions/" + all_ref,
                                  bearer(token, {{"Accept", "application/xml"}}));
      BOOST_REQUIRE(xml.status == 200);
      BOOST_TEST(xml.header("content-type") == "application/xml");
      BOOST_TEST(xml_body(xml.body) == xml_body(expect_all.at(agency).second));
      BOOST_TEST(xml.header("askonce-agency") == agency);

      // The list as XML: the wrapper in askonce's namespace, each view's root element inside.
      const auto xml_list = server.get("/api/v1/agencies/" + agency + "/submissions",
                                       bearer(token, {{"Accept", "application/xml;q=0.9, application/json;q=0.5"}}));
      BOOST_REQUIRE(xml_list.status == 200);
      BOOST_TEST(xml_list.header("content-type") == "application/xml");
      XmlDoc doc(xml_list.body);
      BOOST_REQUIRE(doc.root());
      BOOST_TEST(name_of(doc.root()) == "submissions");
      BOOST_TEST(ns_of(doc.root()) == "urn:askonce:agency-api:v1");
      BOOST_TEST(attr(doc.root(), "next-cursor") == page->getValue<std::string>("next_cursor"));
      const auto entries = children(doc.root());
      BOOST_REQUIRE(entries.size() == expected);
      BOOST_TEST(name_of(entries[0]) == "submission");
      BOOST_TEST(attr(entries[0], "reference") == all_ref);
      BOOST_TEST(attr(entries[0], "acknowledged") == "false");
      BOOST_TEST(attr(entries[0], "submission-digest") == all->getValue<std::string>("digest"));
      BOOST_TEST(attr(entries[0], "channel") == "api");
      BOOST_TEST(attr(entries[0], "language") == "en");
      BOOST_TEST(attr(entries[0], "date-received") == today_in_new_york());
      const auto inner = children(entries[0]);
      BOOST_REQUIRE(inner.size() == 1u);
      XmlDoc engine_xml(expect_all.at(agency).second);
      BOOST_TEST(dump(doc.doc, inner[0]) == dump(engine_xml.doc, engine_xml.root()));
      if (agency == "ssa") {
        XmlDoc few_xml(expect_few.at("ssa").second);
        BOOST_TEST(dump(doc.doc, children(entries[1])[0]) == dump(few_xml.doc, few_xml.root()));
      }
    }
  }
  // Spot checks of "only its fields, under its names", beside the comparison with the engine.
  const std::string irs = server.store().create_token("irs", now()).token;
  const auto irs_view = server.get("/api/v1/agencies/irs/submissions/" + all_ref, bearer(irs)).body;
  BOOST_TEST(irs_view.find("\"TIN\": \"123456789\"") != std::string::npos, irs_view);
  BOOST_TEST(irs_view.find("birth_date") == std::string::npos);
  BOOST_TEST(irs_view.find("va_file_number") == std::string::npos);
  const auto irs_xml = server.get("/api/v1/agencies/irs/submissions/" + all_ref, bearer(irs, {{"Accept", "text/xml"}})).body;
  BOOST_TEST(irs_xml.find("&lt;script&gt;") != std::string::npos, irs_xml);
  BOOST_TEST(irs_xml.find("<script>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(agencies_page_with_after_and_limit) {
  TestServer server;
  std::vector<std::string> refs;
  for (int i = 0; i < 5; ++i) refs.push_back(submit(server, coa_temporary("Signer " + std::to_string(i)))->getValue<std::string>("reference"));
  const std::string token = server.store().create_token("ssa", now()).token;
  const std::string list = "/api/v1/agencies/ssa/submissions";
  std::vector<std::string> seen;
  std::string cursor;
  for (std::size_t expected : {2u, 2u, 1u, 0u}) {
    const auto r = server.get(list + "?limit=2" + (cursor.empty() ? "" : "&after=" + cursor), bearer(token));
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto page = object(r.body);
    const auto items = page->getArray("items");
    BOOST_TEST(items->size() == expected);
    for (std::size_t i = 0; i < items->size(); ++i) seen.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("reference"));
    const std::string next = page->getValue<std::string>("next_cursor");
    if (expected == 0) BOOST_TEST(next == cursor);  // nothing new: ask again later with the same cursor
    cursor = next;
  }
  BOOST_TEST(seen == refs, boost::test_tools::per_element());
  // The default page holds them all; limits out of range and cursors not issued here are 400.
  BOOST_TEST(object(server.get(list, bearer(token)).body)->getArray("items")->size() == 5u);
  BOOST_TEST(object(server.get(list + "?limit=500", bearer(token)).body)->getArray("items")->size() == 5u);
  for (const std::string bad : {"?limit=0", "?limit=501", "?limit=abc", "?limit=-1", "?limit=", "?after=bogus", "?after=c!", "?after=czzzzzz"}) {
    const auto r = server.get(list + bad, bearer(token));
    BOOST_TEST(r.status == 400, bad);
    BOOST_TEST(r.header("content-type") == "application/problem+json");
  }
  BOOST_TEST(server.get(list, bearer(token, {{"Accept", "text/html"}})).status == 406);
}

BOOST_AUTO_TEST_CASE(agencies_acknowledge_their_views) {
  TestServer server;
  const std::string ref = submit(server, coa_temporary())->getValue<std::string>("reference");
  const std::string token = server.store().create_token("ssa", now()).token;
  const std::string ack = "/api/v1/agencies/ssa/submissions/" + ref + "/ack";
  const auto first = server.post(ack, "", bearer(token));
  BOOST_TEST(first.status == 204);
  BOOST_TEST(first.body.empty());
  BOOST_TEST(server.post(ack, "", bearer(token)).status == 204);  // twice is fine
  const auto list = object(server.get("/api/v1/agencies/ssa/submissions", bearer(token)).body);
  BOOST_TEST(list->getArray("items")->getObject(0)->getValue<bool>("acknowledged") == true);
  const auto one = server.get("/api/v1/agencies/ssa/submissions/" + ref, bearer(token));
  BOOST_TEST(one.header("askonce-acknowledged") == "true");
  // The reference in any accepted spelling; an unknown one is 404.
  std::string lower = ref;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  BOOST_TEST(server.post("/api/v1/agencies/ssa/submissions/" + lower + "/ack", "", bearer(token)).status == 204);
  BOOST_TEST(server.post("/api/v1/agencies/ssa/submissions/0000-0000-000/ack", "", bearer(token)).status == 404);
  BOOST_TEST(server.post("/api/v1/agencies/ssa/submissions/nonsense/ack", "", bearer(token)).status == 404);
  BOOST_TEST(server.get("/api/v1/agencies/ssa/submissions/" + ref + "/ack", bearer(token)).status == 405);
}

BOOST_AUTO_TEST_CASE(an_invalid_submission_gets_422_with_every_error_and_stores_nothing) {
  TestServer server;
  const std::string invalid = R"({"kind": "sometimes", "move_date": "2024-02-30", "veteran": true, "va_file_number": "12"})";
  const auto r = server.post(submissions_url, invalid, json_type);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.header("content-type") == "application/json");
  const auto errors = array(r.body);
  BOOST_REQUIRE(errors->size() >= 4u);
  std::map<std::string, std::string> by_field;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    const auto err = errors->getObject(static_cast<unsigned>(i));
    BOOST_TEST(err->getValue<std::string>("code").size() == 5u);
    BOOST_TEST(err->getValue<std::string>("code")[0] == 'V');
    BOOST_TEST(!err->getValue<std::string>("message").empty());
    by_field[err->getValue<std::string>("field")] = err->getValue<std::string>("code");
  }
  BOOST_TEST(by_field.count("kind") == 1u);
  BOOST_TEST(by_field.count("move_date") == 1u);
  BOOST_TEST(by_field.count("va_file_number") == 1u);
  BOOST_TEST(by_field["signature"] == "V0101");  // required
  BOOST_TEST(server.store().submission_count() == 0);

  // The same errors in Spanish, by ?lang= or Content-Language.
  auto message_of_signature = [](const std::string& body) {
    const auto list = array(body);
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto err = list->getObject(static_cast<unsigned>(i));
      if (err->getValue<std::string>("field") == "signature") return err->getValue<std::string>("message");
    }
    return std::string();
  };
  const std::string en = message_of_signature(r.body);
  const std::string es = message_of_signature(server.post(submissions_url + "?lang=es", invalid, json_type).body);
  Headers spanish = json_type;
  spanish.emplace_back("Content-Language", "es-MX");
  const std::string es2 = message_of_signature(server.post(submissions_url, invalid, spanish).body);
  BOOST_TEST(en == "Answer “Type your full name to sign”.");
  BOOST_TEST(es == "Responda “Escriba su nombre completo para firmar”.");
  BOOST_TEST(es2 == es);
  // Not JSON at all, or not an object: still 422, still nothing stored.
  const auto broken = server.post(submissions_url, "{\"kind\": ", json_type);
  BOOST_TEST(broken.status == 422);
  BOOST_TEST(array(broken.body)->getObject(0)->getValue<std::string>("code") == "V0001");
  BOOST_TEST(server.post(submissions_url, "[1, 2]", json_type).status == 422);
  BOOST_TEST(server.store().submission_count() == 0);
}

// ---- idempotency ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_retry_with_the_same_key_gets_the_same_answer_and_stores_once) {
  TestServer server;
  Headers keyed = json_type;
  keyed.emplace_back("Idempotency-Key", "retry-1");
  const auto first = server.post(submissions_url, coa_temporary(), keyed);
  BOOST_REQUIRE(first.status == 201);
  BOOST_TEST(first.header("idempotent-replayed").empty());
  const auto again = server.post(submissions_url, coa_temporary(), keyed);
  BOOST_REQUIRE(again.status == 201);
  BOOST_TEST(again.header("idempotent-replayed") == "true");
  const auto a = object(first.body), b = object(again.body);
  for (const char* key : {"reference", "received", "digest", "receipt_url"}) {
    BOOST_TEST(a->getValue<std::string>(key) == b->getValue<std::string>(key), key);
  }
  BOOST_TEST(server.store().submission_count() == 1);

  // The same key with another body: a conflict, and nothing stored.
  const auto other = server.post(submissions_url, coa_temporary("Someone Else"), keyed);
  BOOST_TEST(other.status == 409);
  BOOST_TEST(other.header("content-type") == "application/problem+json");
  BOOST_TEST(object(other.body)->getValue<std::string>("detail").find("Idempotency-Key") != std::string::npos);
  BOOST_TEST(server.store().submission_count() == 1);
  // Another key, or none: a new submission.
  keyed.back().second = "retry-2";
  BOOST_TEST(object(server.post(submissions_url, coa_temporary(), keyed).body)->getValue<std::string>("reference") !=
             a->getValue<std::string>("reference"));
  BOOST_TEST(server.post(submissions_url, coa_temporary(), json_type).status == 201);
  BOOST_TEST(server.store().submission_count() == 3);

  // Keys that are not 1 to 255 printable ASCII characters.
  for (const std::string& bad : {std::string(256, 'k'), std::string("caf\xc3\xa9"), std::string()}) {
    Headers h = json_type;
    h.emplace_back("Idempotency-Key", bad);
    const auto r = server.post(submissions_url, coa_temporary(), h);
    BOOST_TEST(r.status == 400, bad);
    BOOST_TEST(r.header("content-type") == "application/problem+json");
  }
  Headers longest = json_type;
  longest.emplace_back("Idempotency-Key", std::string(255, 'k'));
  BOOST_TEST(server.post(submissions_url, coa_temporary(), longest).status == 201);
  BOOST_TEST(server.store().submission_count() == 4);
}

BOOST_AUTO_TEST_CASE(concurrent_retries_with_one_key_store_once) {
  TestServer server;
  constexpr int threads = 8;
  std::latch start(threads);
  std::vector<HttpResponse> answers(threads);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      start.arrive_and_wait();
      answers[i] = server.post(submissions_url, coa_permanent,
                               {{"Content-Type", "application/json"}, {"Idempotency-Key", "same-key-everywhere"}});
    });
  }
  for (auto& t : pool) t.join();
  std::set<std::string> refs;
  int fresh = 0;
  for (const auto& a : answers) {
    BOOST_TEST(a.status == 201, a.body);
    if (a.status != 201) continue;
    refs.insert(object(a.body)->getValue<std::string>("reference"));
    if (a.header("idempotent-replayed").empty()) ++fresh;
  }
  BOOST_TEST(refs.size() == 1u);
  BOOST_TEST(fresh == 1);
  BOOST_TEST(server.store().submission_count() == 1);
}

// ---- isolation ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tokens_only_in_the_header_and_agencies_never_see_each_other) {
  TestServer server;
  const std::string all_ref = submit(server, coa_permanent)->getValue<std::string>("reference");
  const std::string ssa_only = submit(server, coa_temporary())->getValue<std::string>("reference");
  const std::string ssa = server.store().create_token("ssa", now()).token;
  const auto irs_token = server.store().create_token("irs", now());
  const std::string irs = irs_token.token;
  const std::string ssa_list = "/api/v1/agencies/ssa/submissions";

  auto expect_401 = [&](const HttpResponse& r, const std::string& what) {
    BOOST_TEST(r.status == 401, what);
    BOOST_TEST(r.header("www-authenticate").starts_with("Bearer"), what);
    BOOST_TEST(r.header("content-type") == "application/problem+json", what);
  };
  expect_401(server.get(ssa_list), "no token");
  expect_401(server.get(ssa_list, {{"Authorization", "Bearer"}}), "empty bearer");
  expect_401(server.get(ssa_list, {{"Authorization", "Bearer not-a-token"}}), "malformed");
  expect_401(server.get(ssa_list, {{"Authorization", "Bearer " + ssa + "x"}}), "altered");
  expect_401(server.get(ssa_list, {{"Authorization", "Basic " + ssa}}), "another scheme");
  expect_401(server.get(ssa_list, {{"Authorization", "Bearer aot_ZZZZZZZZ_" + std::string(43, 'A')}}), "unknown id");
  BOOST_TEST(server.get(ssa_list, {{"Authorization", "bearer " + ssa}}).status == 200);  // the scheme is case-insensitive
  // A token in the query string is never accepted, even beside a valid header.
  expect_401(server.get(ssa_list + "?access_token=" + ssa), "query token");
  expect_401(server.get(ssa_list + "?limit=5&t=" + ssa), "query token under another name");
  expect_401(server.get(ssa_list + "?access_token=" + ssa, bearer(ssa)), "query token beside the header");
  expect_401(server.post("/api/v1/agencies/ssa/submissions/" + ssa_only + "/ack", "", {}), "ack without a token");
  // A revoked token.
  const std::string revoked = server.store().create_token("ssa", now()).token;
  BOOST_TEST(server.get(ssa_list, bearer(revoked)).status == 200);
  BOOST_REQUIRE(server.store().revoke_token(revoked.substr(4, 8), now()));
  expect_401(server.get(ssa_list, bearer(revoked)), "revoked");

  // The IRS's token on SSA's data: exactly what a missing thing gets.
  const auto missing = server.get("/api/v1/agencies/irs/submissions/0000-0000-000", bearer(irs));
  BOOST_REQUIRE(missing.status == 404);
  const HttpResponse tries[] = {
      server.get(ssa_list, bearer(irs)),
      server.get("/api/v1/agencies/ssa/submissions/" + ssa_only, bearer(irs)),
      server.get("/api/v1/agencies/ssa/submissions/" + all_ref, bearer(irs)),
      server.post("/api/v1/agencies/ssa/submissions/" + ssa_only + "/ack", "", bearer(irs)),
      // a reference that exists, but was not routed to the IRS
      server.get("/api/v1/agencies/irs/submissions/" + ssa_only, bearer(irs)),
      server.post("/api/v1/agencies/irs/submissions/" + ssa_only + "/ack", "", bearer(irs)),
      // an agency that does not exist at all
      server.get("/api/v1/agencies/nobody/submissions", bearer(irs)),
      // an address that matches no route
      server.get("/api/v1/agencies/ssa/nothing", bearer(irs)),
  };
  for (const auto& r : tries) {
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.body == missing.body);
    BOOST_TEST(r.header("content-type") == missing.header("content-type"));
    BOOST_TEST(r.header("www-authenticate").empty());
  }
  // SSA's view was not acknowledged by the IRS's attempt.
  const auto list = object(server.get(ssa_list, bearer(ssa)).body)->getArray("items");
  for (std::size_t i = 0; i < list->size(); ++i) BOOST_TEST(list->getObject(static_cast<unsigned>(i))->getValue<bool>("acknowledged") == false);
  // And the IRS sees its own.
  const auto own = object(server.get("/api/v1/agencies/irs/submissions", bearer(irs)).body)->getArray("items");
  BOOST_REQUIRE(own->size() == 1u);
  BOOST_TEST(own->getObject(0)->getValue<std::string>("reference") == all_ref);
}

// ---- limits, media types, contracts ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(oversized_bodies_and_other_media_types_are_refused) {
  TestServer server([](s::Config& c) { c.limits.body_bytes = 4096; });
  const std::string big = "{\"signature\": \"" + std::string(5000, 'x') + "\"}";
  const auto r = server.post(submissions_url, big, json_type);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(r.header("content-type") == "application/problem+json");
  BOOST_TEST(server.store().submission_count() == 0);
  BOOST_TEST(server.post(submissions_url, coa_temporary(), json_type).status == 201);  // under the limit

  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", ""}) {
    const auto t = server.post(submissions_url, coa_temporary(), {{"Content-Type", type}});
    BOOST_TEST(t.status == 415, type);
    BOOST_TEST(t.header("content-type") == "application/problem+json");
  }
  BOOST_TEST(server.post(submissions_url, coa_temporary(), {{"Content-Type", "application/json; charset=UTF-8"}}).status == 201);
  const auto unknown = server.post("/api/v1/forms/no_such_form/submissions", coa_temporary(), json_type);
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(unknown.header("content-type") == "application/problem+json");
  BOOST_TEST(server.store().submission_count() == 2);
}

BOOST_AUTO_TEST_CASE(contracts_by_accept) {
  TestServer server;
  const std::string irs = "/api/v1/forms/change_of_address/agencies/irs/contract";
  const auto schema = server.get(irs);
  BOOST_TEST(schema.status == 200);
  BOOST_TEST(schema.header("content-type") == "application/schema+json");
  const auto parsed = object(schema.body);
  BOOST_TEST(parsed->getValue<std::string>("$schema").find("2020-12") != std::string::npos);
  const auto json = server.get(irs, {{"Accept", "application/json"}});
  BOOST_TEST(json.status == 200);
  BOOST_TEST(json.header("content-type") == "application/json");
  BOOST_TEST(json.body == schema.body);

  const auto dir = server.dir() / "xsd";
  std::filesystem::create_directories(dir);
  for (const std::string type : {"application/xml", "text/xml", "application/xsd+xml", "text/html;q=0.5, application/xml"}) {
    const auto xsd = server.get(irs, {{"Accept", type}});
    BOOST_TEST(xsd.status == 200, type);
    BOOST_TEST(xsd.body.find("<xs:schema") != std::string::npos);
    std::ofstream((dir / "irs.xsd").string(), std::ios::binary) << xsd.body;
    BOOST_TEST(parses_as_schema((dir / "irs.xsd").string()), type);
  }
  BOOST_TEST(server.get(irs, {{"Accept", "application/xml"}}).header("content-type") == "application/xml");

  const auto refused = server.get(irs, {{"Accept", "text/html"}});
  BOOST_TEST(refused.status == 406);
  BOOST_TEST(refused.header("content-type") == "application/problem+json");
  BOOST_TEST(server.get("/api/v1/forms/change_of_address/agencies/nobody/contract").status == 404);
  BOOST_TEST(server.get("/api/v1/forms/no_such_form/agencies/irs/contract").status == 404);

  // An XSD of several documents (SF-424: its own namespace and Grants.gov's GlobalLibrary): the
  // contract is the first, and its imports resolve, by file name, next to the contract's address.
  const std::string gg = "/api/v1/forms/sf424/agencies/grants_gov/";
  const auto main = server.get(gg + "contract", {{"Accept", "application/xml"}});
  BOOST_REQUIRE_MESSAGE(main.status == 200, main.body);
  const auto gg_dir = server.dir() / "grants_gov";
  std::filesystem::create_directories(gg_dir);
  std::ofstream((gg_dir / "grants_gov.xsd").string(), std::ios::binary) << main.body;
  std::size_t imports = 0;
  for (auto at = main.body.find("schemaLocation=\""); at != std::string::npos; at = main.body.find("schemaLocation=\"", at + 1)) {
    const auto start = at + 16;
    const std::string file = main.body.substr(start, main.body.find('"', start) - start);
    BOOST_TEST_CONTEXT(file) {
      BOOST_REQUIRE(file.ends_with(".xsd"));
      const auto doc = server.get(gg + file);
      BOOST_REQUIRE(doc.status == 200);
      BOOST_TEST(doc.header("content-type") == "application/xml");
      std::ofstream((gg_dir / file).string(), std::ios::binary) << doc.body;
      ++imports;
    }
  }
  BOOST_TEST(imports >= 1u);
  BOOST_TEST(parses_as_schema((gg_dir / "grants_gov.xsd").string()));
  BOOST_TEST(server.get(gg + "grants_gov.xsd").body == main.body);
  BOOST_TEST(server.get(gg + "no-such-document.xsd").status == 404);
}

// A form of our own: an agency whose XML view is namespaced (a prefixed root, a default
// namespace, a qualified attribute), and one whose element paths no XSD can describe.
const std::string ns_form = R"(form ns_demo {
  title "Namespaces"
  version 1
  languages en
  section s "S" {
    text a "A" { required }
    text b "B"
    text c "C"
  }
  agency x "X" {
    xml {
      root "p:Root"
      namespace p "urn:example:p"
      namespace "" "urn:example:default"
      attribute "p:Version" "2.0"
    }
    receives a as "p:A", b as "Inner/B"
  }
  agency split "Split" {
    receives a as "P/A", b as "B", c as "P/C"
  }
}
)";

BOOST_AUTO_TEST_CASE(xml_pages_keep_each_views_namespaces_and_contracts_say_what_they_cannot_be) {
  askonce::test::TempDir forms("ns-forms");
  std::ofstream((forms.path / "ns_demo.form").string(), std::ios::binary) << ns_form;
  TestServer server([&](s::Config& c) { c.forms = forms.path.string(); });
  const auto r = server.post("/api/v1/forms/ns_demo/submissions", R"({"a": "1 <&> \"", "b": "2", "c": "3"})", json_type);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  const std::string ref = object(r.body)->getValue<std::string>("reference");
  const std::string token = server.store().create_token("x", now()).token;
  const Headers xml = bearer(token, {{"Accept", "application/xml"}});

  const auto one = server.get("/api/v1/agencies/x/submissions/" + ref, xml);
  BOOST_REQUIRE(one.status == 200);
  XmlDoc view(one.body);
  BOOST_REQUIRE(view.root());
  const auto page = server.get("/api/v1/agencies/x/submissions", xml);
  BOOST_REQUIRE(page.status == 200);
  XmlDoc doc(page.body);
  BOOST_REQUIRE(doc.root());
  const auto entries = children(doc.root());
  BOOST_REQUIRE(entries.size() == 1u);
  const auto inner = children(entries[0]);
  BOOST_REQUIRE(inner.size() == 1u);
  const xmlNode* root = inner[0];
  BOOST_TEST(name_of(root) == "Root");
  BOOST_TEST(ns_of(root) == "urn:example:p");
  const auto parts = children(root);
  BOOST_REQUIRE(parts.size() == 2u);
  BOOST_TEST(ns_of(parts[0]) == "urn:example:p");
  BOOST_TEST(ns_of(parts[1]) == "urn:example:default");
  BOOST_TEST(ns_of(children(parts[1])[0]) == "urn:example:default");
  xmlChar* text = xmlNodeGetContent(parts[0]);
  BOOST_TEST(std::string(reinterpret_cast<const char*>(text)) == "1 <&> \"");
  xmlFree(text);
  xmlChar* version = xmlGetNsProp(root, reinterpret_cast<const xmlChar*>("Version"), reinterpret_cast<const xmlChar*>("urn:example:p"));
  BOOST_TEST(std::string(reinterpret_cast<const char*>(version)) == "2.0");
  xmlFree(version);
  BOOST_TEST(dump(doc.doc, const_cast<xmlNode*>(root)) == dump(view.doc, view.root()));

  // An agency whose XML no XSD can describe (R0101): the JSON Schema when JSON is acceptable
  // at all, otherwise 406 saying why.
  const std::string split = "/api/v1/forms/ns_demo/agencies/split/contract";
  const auto refused = server.get(split, {{"Accept", "application/xml"}});
  BOOST_TEST(refused.status == 406);
  BOOST_TEST(object(refused.body)->getValue<std::string>("detail").find("R0101") != std::string::npos, refused.body);
  const auto fallback = server.get(split, {{"Accept", "application/xml, application/json;q=0.1"}});
  BOOST_TEST(fallback.status == 200);
  BOOST_TEST(fallback.header("content-type") == "application/json");
  BOOST_TEST(object(fallback.body)->has("$schema"));
}

// ---- the OpenAPI document -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_openapi_document_is_served_as_kept_and_describes_every_route) {
  TestServer server;
  const std::string file = read_file("docs/openapi.yaml");
  BOOST_REQUIRE(!file.empty());
  const auto served = server.get("/api/v1/openapi.yaml");
  BOOST_TEST(served.status == 200);
  BOOST_TEST(served.header("content-type") == "application/yaml");
  BOOST_TEST(served.body == file);  // byte for byte: embedded when the server was built

  BOOST_TEST(file.starts_with("openapi: 3."));
  for (const auto& route : s::api_routes()) {
    BOOST_TEST_CONTEXT(route.method << " " << route.pattern) {
      const std::string key = "\n  " + std::string(route.pattern) + ":\n";
      const auto at = file.find(key);
      BOOST_REQUIRE(at != std::string::npos);
      // The operation, under the path and before the next path.
      auto end = file.find("\n  /", at + key.size() - 1);
      const auto components = file.find("\ncomponents:");
      end = std::min(end, components);
      std::string method(route.method);
      for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      BOOST_TEST(file.substr(at, end - at).find("\n    " + method + ":\n") != std::string::npos);
    }
  }
  for (const char* needed : {"bearerFormat: aot_", "application/problem+json", "Idempotency-Key", "\"401\":", "\"404\":",
                             "\"409\":", "\"413\":", "\"415\":", "\"422\":", "\"429\":", "WWW-Authenticate"}) {
    BOOST_TEST(file.find(needed) != std::string::npos, needed);
  }
  // Where the OpenAPI validator is installed (Debian machines of this project have it for
  // python3), the document must pass it.
  if (std::system("python3 -c 'import openapi_spec_validator' >/dev/null 2>&1") == 0) {
    BOOST_TEST(std::system("python3 -m openapi_spec_validator docs/openapi.yaml") == 0);
  } else {
    BOOST_TEST_MESSAGE("openapi_spec_validator is not installed: the document's structure was not validated");
  }
}

// ---- operations and logs --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(health_and_metrics_count_submissions) {
  TestServer server;
  const auto health = server.get("/healthz");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(object(health.body)->getValue<std::string>("status") == "ok");
  const std::string stored = "askonce_submissions_total{form=\"change_of_address\",channel=\"api\",outcome=\"stored\"} 1\n";
  const auto before = server.get("/metrics").body;
  BOOST_TEST(before.find(stored) == std::string::npos);
  BOOST_TEST(before.find("\naskonce_store_saves_total 0\n") != std::string::npos, before);
  BOOST_TEST(before.find("\naskonce_store_commits_total 0\n") != std::string::npos);
  submit(server, coa_temporary());
  server.post(submissions_url, "{}", json_type);
  const auto metrics = server.get("/metrics").body;
  BOOST_TEST(metrics.find(stored) != std::string::npos, metrics);
  BOOST_TEST(metrics.find("askonce_submissions_total{form=\"change_of_address\",channel=\"api\",outcome=\"invalid\"} 1\n") != std::string::npos);
  // Group commit's figures: the invalid one never reached the store; a lone save is a group of one.
  BOOST_TEST(metrics.find("# TYPE askonce_store_saves_total counter\naskonce_store_saves_total 1\n") != std::string::npos);
  BOOST_TEST(metrics.find("# TYPE askonce_store_commits_total counter\naskonce_store_commits_total 1\n") !=
             std::string::npos);
  BOOST_TEST(metrics.find("# TYPE askonce_store_largest_group gauge\naskonce_store_largest_group 1\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_log_holds_no_token_and_nothing_the_client_sent) {
  TestServer server;
  const std::string token = server.store().create_token("ssa", now()).token;
  const std::string hostile = "HOSTILE<script>x9Q7</script>";
  const std::string marker = "x9Q7";
  const std::string ref = submit(server, coa_temporary(hostile))->getValue<std::string>("reference");
  server.get("/api/v1/agencies/ssa/submissions", bearer(token, {{"X-Hostile", hostile}, {"User-Agent", hostile}}));
  server.get("/api/v1/agencies/ssa/submissions?after=" + marker + "&access_token=" + token);
  server.get("/api/v1/agencies/ssa/submissions/" + ref, bearer(token));
  server.get("/api/v1/agencies/ssa/submissions/" + marker, bearer(token));
  server.post("/api/v1/agencies/ssa/submissions/" + ref + "/ack", hostile, bearer(token));
  server.get("/api/v1/agencies/ssa/submissions", {{"Authorization", "Bearer " + token + marker}});
  server.post(submissions_url + "?lang=" + marker, "{\"signature\": \"" + hostile + "\"}",
              {{"Content-Type", "application/json"}, {"Idempotency-Key", marker}});
  server.get("/api/v1/forms/" + marker);
  server.stop();
  const std::string log = server.log.str();
  BOOST_TEST(log.find("\"route\":\"/api/v1/agencies/{a}/submissions\"") != std::string::npos, log);
  BOOST_TEST(log.find(token) == std::string::npos);
  BOOST_TEST(log.find(token.substr(13)) == std::string::npos);  // the secret part
  BOOST_TEST(log.find(marker) == std::string::npos);
  BOOST_TEST(log.find("HOSTILE") == std::string::npos);
  BOOST_TEST(log.find(ref) == std::string::npos);  // references are in paths, never logged
}

BOOST_AUTO_TEST_CASE(today_is_the_date_in_the_deployments_zone) {
  // Two deployments 26 hours apart (Kiritimati, UTC+14; Etc/GMT+12, UTC-12): at every moment
  // their dates differ, and UTC's is one of theirs or between them. A date of birth that is
  // today west of UTC is refused there ("Enter a date in the past.") and taken in the east,
  // where it is yesterday or the day before. Taking today in UTC would fail one side at any
  // hour: the day in UTC is either the western date or a later one.
  TestServer east([](s::Config& c) { c.site.time_zone = "Pacific/Kiritimati"; }, "east");
  TestServer west([](s::Config& c) { c.site.time_zone = "Etc/GMT+12"; }, "west");
  const auto west_zone = e::TimeZone::find("Etc/GMT+12");
  BOOST_TEST_REQUIRE(west_zone != nullptr);
  const auto west_today = [&] {
    const auto l = west_zone->local(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch()).count());
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", l.year, l.month, l.day);
    return std::string(buf);
  };
  for (int attempt = 0; attempt < 2; ++attempt) {  // again if midnight passed in between
    const std::string day = west_today();
    std::string body = coa_permanent;
    const std::string old = "\"birth_date\": \"1980-02-29\"";
    BOOST_TEST_REQUIRE(body.find(old) != std::string::npos);
    body.replace(body.find(old), old.size(), "\"birth_date\": \"" + day + "\"");
    const auto refused = west.post(submissions_url, body, json_type);
    const auto taken = east.post(submissions_url, body, json_type);
    if (west_today() != day) continue;
    BOOST_TEST(refused.status == 422, refused.body);
    BOOST_TEST(refused.body.find("Enter a date in the past.") != std::string::npos, refused.body);
    BOOST_TEST(refused.body.find("person.birth_date") != std::string::npos, refused.body);
    BOOST_TEST(taken.status == 201, taken.body);
    break;
  }
  // A zone the system does not have stops the start.
  BOOST_CHECK_THROW(TestServer([](s::Config& c) { c.site.time_zone = "Mars/Olympus_Mons"; }, "mars"), s::StartupError);
}
