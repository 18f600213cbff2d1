// tests/views_tests.cpp: what each agency receives, and the contracts it can check it with.
//
//   - SF-424: many generated valid submissions; the grants_gov XML view validates against the
//     OFFICIAL SF424_4_0-V4.0.xsd (libxml2, imports resolved offline by the corpus catalog),
//     and every view passes its own generated XSD and JSON Schema.
//   - change of address: exactly the agencies whose `when` holds, each with only its fields,
//     under its names, in JSON and XML, each passing its own contract.
//   - hostile text comes out escaped and well-formed.
// JSON Schemas are checked with ajv (node tests/ajv/check_contract.mjs) when node_modules/
// exists (scripts/deps.sh runs npm ci); there, any disagreement fails the test.
#define BOOST_TEST_MODULE views_tests
#include <boost/test/unit_test.hpp>

#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "dsl/compiler.hpp"
#include "engine/contract.hpp"
#include "engine/normalize.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "engine/views.hpp"
#include "tests/test_support.hpp"

namespace e = askonce::engine;
namespace fs = std::filesystem;
using askonce::model::Date;

namespace {

const e::Context may1 = e::Context::on(Date{2024, 5, 1}, "en", "web");
const e::EvalContext may1_eval{Date{2024, 5, 1}};

e::Plan plan_of(const std::string& file) {
  auto r = askonce::dsl::compile_file(file);
  BOOST_REQUIRE(r.form);
  return e::Plan(std::move(*r.form));
}

std::size_t agency_index(const e::Plan& plan, std::string_view name) {
  const auto& a = plan.form().agencies;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name == name) return i;
  }
  BOOST_FAIL("no agency " << name);
  return 0;
}

/// libxml2 errors, collected into one string.
void collect(void* out, const xmlError* error) {
  auto& s = *static_cast<std::string*>(out);
  if (error && error->message) s += std::string(error->message);
}

/// Offline XML: imports resolved through the Grants.gov corpus catalog, never the network.
struct Offline {
  Offline() {
    xmlInitParser();
    xmlLoadCatalog("../shared/corpus/grants-gov/catalog.xml");
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
  }
};
const Offline offline;

/// A compiled XSD; validate() gives libxml2's errors, empty when the document is valid.
class Schema {
 public:
  explicit Schema(const std::string& path) {
    std::string errors;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path.c_str());
    xmlSchemaSetParserStructuredErrors(pc, reinterpret_cast<xmlStructuredErrorFunc>(collect), &errors);
    schema_ = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    BOOST_REQUIRE_MESSAGE(schema_, "cannot load " << path << ": " << errors);
  }
  ~Schema() { xmlSchemaFree(schema_); }
  std::string validate(const std::string& xml) const {
    std::string errors;
    xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "view.xml", nullptr, XML_PARSE_NONET);
    if (!doc) return "not well-formed XML";
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema_);
    xmlSchemaSetValidStructuredErrors(vc, reinterpret_cast<xmlStructuredErrorFunc>(collect), &errors);
    const int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlFreeDoc(doc);
    if (rc != 0 && errors.empty()) errors = "invalid (code " + std::to_string(rc) + ")";
    return errors;
  }

 private:
  xmlSchemaPtr schema_ = nullptr;
};

/// The text of the first element called `local` in `xml` (a check that escaping round-trips).
std::string element_text(const std::string& xml, const std::string& local) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "view.xml", nullptr, XML_PARSE_NONET);
  if (!doc) return "<not well-formed>";
  std::string out = "<none>";
  std::vector<xmlNodePtr> todo{xmlDocGetRootElement(doc)};
  while (!todo.empty()) {
    xmlNodePtr n = todo.back();
    todo.pop_back();
    if (!n) continue;
    if (n->type == XML_ELEMENT_NODE && local == reinterpret_cast<const char*>(n->name)) {
      xmlChar* t = xmlNodeGetContent(n);
      out = reinterpret_cast<const char*>(t);
      xmlFree(t);
      break;
    }
    for (xmlNodePtr c = n->last; c; c = c->prev) todo.push_back(c);
  }
  xmlFreeDoc(doc);
  return out;
}

/// A temporary directory of this test run.
fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("askonce-views-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

/// The agency's XSD contract, written to `dir`; its main document's path.
std::string write_xsd(const e::Plan& plan, std::size_t agency, const fs::path& dir) {
  const auto c = e::xsd_contract(plan.form(), agency);
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.diagnostics.empty() ? std::string() : c.diagnostics[0].message));
  for (const auto& d : c.documents) write_file(dir / d.file, d.text);
  return (dir / c.documents[0].file).string();
}

bool ajv_available() {
  return fs::exists("node_modules/ajv") && fs::exists("node_modules/ajv-formats") &&
         std::system("node --version > /dev/null 2>&1") == 0;
}

/// Runs ajv on `documents` against `schema`; gives its output, and whether all were valid.
std::pair<bool, std::string> ajv_check(const fs::path& schema, const std::vector<fs::path>& documents) {
  std::string command = "node tests/ajv/check_contract.mjs " + schema.string();
  for (const auto& d : documents) command += " " + d.string();
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  return {status == 0, out};
}

/// JSON Schema checks, batched per schema (one node process per agency).
class AjvBatch {
 public:
  explicit AjvBatch(std::string name) : dir_(temp_dir("ajv-" + name)) {}
  void add(const e::Plan& plan, std::size_t agency, const std::string& json) {
    const std::string& name = plan.form().agencies[agency].name;
    if (!schemas_.count(name)) {
      schemas_[name] = dir_ / (name + ".schema.json");
      write_file(schemas_[name], e::json_schema_contract(plan.form(), agency));
    }
    const fs::path p = dir_ / (name + "-" + std::to_string(count_++) + ".json");
    write_file(p, json);
    documents_[name].push_back(p);
  }
  /// Runs ajv; in CI node_modules exists and this must pass. Gives the number checked.
  std::size_t run() {
    if (!ajv_available()) {
      BOOST_TEST_MESSAGE("skipped ajv: node or node_modules/ (npm ci, scripts/deps.sh) is missing");
      return 0;
    }
    std::size_t checked = 0;
    for (const auto& [name, docs] : documents_) {
      for (std::size_t i = 0; i < docs.size(); i += 200) {
        std::vector<fs::path> part(docs.begin() + i, docs.begin() + std::min(docs.size(), i + 200));
        const auto [ok, out] = ajv_check(schemas_[name], part);
        BOOST_TEST(ok, "ajv refused views of " << name << ":\n" << out);
        checked += part.size();
      }
    }
    return checked;
  }

 private:
  fs::path dir_;
  std::map<std::string, fs::path> schemas_;
  std::map<std::string, std::vector<fs::path>> documents_;
  std::size_t count_ = 0;
};

std::string q(std::string_view s) { return e::json_string(s); }

const std::vector<std::string>& options_of(const e::Plan& plan, std::string_view id) {
  static std::map<std::string, std::vector<std::string>> cache;
  auto& out = cache[std::string(id)];
  if (out.empty()) {
    for (const auto& f : plan.form().fields) {
      if (f.id == id) {
        for (const auto& o : plan.form().options_of(f)) out.push_back(o.value);
      }
    }
  }
  BOOST_REQUIRE(!out.empty());
  return out;
}

// ---- SF-424 submissions ---------------------------------------------------------------------

/// Text of exactly `n` code points: `seed` repeated, cut to length (whole code points).
std::string text_of(std::size_t n, std::string_view seed) {
  std::string out;
  std::size_t count = 0, i = 0;
  while (count < n) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(seed[i]);
    if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
    out.append(seed.substr(i, len));
    i = (i + len) % seed.size();
    ++count;
  }
  return out;
}

const char* const hostile[] = {
    "<script>alert(1)</script>", "]]>", "a & b < c > d", "\"quoted\" 'single'", "Ñandú — ünïcödé",
    "😀 emoji", "&amp; already", "<![CDATA[x]]>", "x\u00A0y", "日本語テキスト",
};

/// The n-th generated valid SF-424 submission: every option of every code list is used, and
/// the boundaries of the issue are met along the way.
std::string sf424_submission(const e::Plan& plan, int n, std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& v) { return v[static_cast<std::size_t>(n) % v.size()]; };
  auto coin = [&] { return (rng() & 1u) != 0; };
  auto some = [&](std::size_t max) {
    const std::size_t len = 1 + rng() % max;
    return text_of(len, std::string(hostile[rng() % std::size(hostile)]) + " ");
  };
  std::map<std::string, std::string> m;
  m["submission_type"] = q(pick(options_of(plan, "submission_type")));
  const std::string app = pick(options_of(plan, "application_type"));
  m["application_type"] = q(app);
  if (app == "Revision") {
    const auto& types = options_of(plan, "revision_type");
    const std::string t = types[static_cast<std::size_t>(n / 3) % types.size()];
    m["revision_type"] = q(t);
    if (t == "E: Other (specify)") m["revision_other_specify"] = q(some(21));
  }
  if (app != "New") m["federal_award_identifier"] = q(n % 2 ? some(25) : text_of(25, "AWARD-"));
  if (coin()) m["applicant_id"] = q(n % 5 == 0 ? text_of(30, "ID") : some(30));
  if (coin()) m["federal_entity_identifier"] = q(some(30));
  if (coin()) m["state_receive_date"] = q("2024-0" + std::to_string(1 + n % 9) + "-1" + std::to_string(n % 10));
  if (coin()) m["state_application_id"] = q(some(30));
  m["organization_name"] = q(n % 7 == 0 ? text_of(60, "Ünïvërsïty 😀 ") : some(60));
  m["employer_taxpayer_identification_number"] = q(n % 4 == 0 ? text_of(30, "12-3456789 ") : "12-3456789");
  m["samuei"] = q(text_of(12, n % 2 ? "ABCDEF123456" : "z9y8x7w6v5u4"));
  // Applicant: in the United States (every state), or abroad (every country).
  const auto& countries = options_of(plan, "applicant.country");
  std::string address = "{\"street1\": " + q(some(55)) + ", \"city\": " + q(some(35));
  if (coin()) address += ", \"street2\": " + q(some(55));
  if (coin()) address += ", \"county\": " + q(some(30));
  if (n % 3 != 2) {
    address += ", \"country\": \"USA: UNITED STATES\", \"state\": " + q(pick(options_of(plan, "applicant.state")));
    address += ", \"zip_postal_code\": " + q(n % 2 ? "20742" : "20742-1234");
  } else {
    std::string country = countries[static_cast<std::size_t>(n / 3) % countries.size()];
    if (country == "USA: UNITED STATES") country = countries[1];
    address += ", \"country\": " + q(country);
    if (coin()) address += ", \"province\": " + q(some(30));
    if (coin()) address += ", \"zip_postal_code\": " + q(some(30));
  }
  m["applicant"] = address + "}";
  if (coin()) m["department_name"] = q(some(30));
  if (coin()) m["division_name"] = q(some(30));
  auto person = [&] {
    std::string p = "{\"first_name\": " + q(some(35)) + ", \"last_name\": " + q(n % 6 == 0 ? text_of(60, "Ñ") : some(60));
    if (coin()) p += ", \"prefix_name\": " + q(some(10));
    if (coin()) p += ", \"middle_name\": " + q(some(25));
    if (coin()) p += ", \"suffix_name\": " + q(some(10));
    return p + "}";
  };
  m["contact_person"] = person();
  if (coin()) m["title"] = q(some(45));
  if (coin()) m["organization_affiliation"] = q(some(60));
  m["phone_number"] = q(n % 2 ? "(301) 555-0100" : "+44 20 7946 0958");
  if (coin()) m["fax"] = q("301-555-0199");
  m["email"] = q(n % 8 == 0 ? "a" + std::string(47, 'b') + "@example.org" : "ana.o'neil+grants@example.edu");
  // Applicant types: three different ones, "X: Other (specify)" with its description.
  const auto& types = options_of(plan, "applicant_type_code1");
  const std::size_t t1 = static_cast<std::size_t>(n) % types.size();
  m["applicant_type_code1"] = q(types[t1]);
  bool other = types[t1] == "X: Other (specify)";
  if (n % 2) {
    const std::size_t t2 = (t1 + 1 + rng() % (types.size() - 1)) % types.size();
    m["applicant_type_code2"] = q(types[t2]);
    other = other || types[t2] == "X: Other (specify)";
    if (n % 4 == 1) {
      std::size_t t3 = (t2 + 1) % types.size();
      if (t3 == t1) t3 = (t3 + 1) % types.size();
      m["applicant_type_code3"] = q(types[t3]);
      other = other || types[t3] == "X: Other (specify)";
    }
  }
  if (other) m["applicant_type_other_specify"] = q(some(30));
  m["agency_name"] = q(some(60));
  if (coin()) m["cfda_number"] = q("93." + std::to_string(100 + n % 900));
  if (coin()) m["cfda_program_title"] = q(some(120));
  m["funding_opportunity_number"] = q(some(40));
  m["funding_opportunity_title"] = q(n % 9 == 0 ? text_of(255, "Tïtle ") : some(255));
  if (coin()) m["competition_identification_number"] = q(some(40));
  if (coin()) m["competition_identification_title"] = q(some(255));
  if (coin()) m["areas_affected"] = q("Line one\nLine <two> & three");
  m["project_title"] = q(n % 4 == 0 ? text_of(200, "Prøject 😀 <&> ") : some(200));
  static const char* const districts[] = {"CA-005", "MD-all", "US-all", "00-000", "TX-036"};
  m["congressional_district_applicant"] = q(districts[static_cast<std::size_t>(n) % 5]);
  m["congressional_district_program_project"] = q(districts[static_cast<std::size_t>(n + 2) % 5]);
  m["project_start_date"] = q("2024-09-01");
  m["project_end_date"] = q(n % 2 ? "2027-08-31" : "2024-09-02");
  static const char* const amounts[] = {"999999999999.99", "0", "0.01", "12.5", "500000", "123456789012.3"};
  for (const char* k : {"federal_estimated_funding", "applicant_estimated_funding", "state_estimated_funding",
                        "local_estimated_funding", "other_estimated_funding", "program_income_estimated_funding"}) {
    m[k] = n % 10 == 0 ? "999999999999.99" : amounts[rng() % std::size(amounts)];
  }
  const std::string review = pick(options_of(plan, "state_review"));
  m["state_review"] = q(review);
  if (review.starts_with("a.")) m["state_review_available_date"] = q("2024-04-30");
  const bool debt = n % 3 == 0;
  m["delinquent_federal_debt"] = debt ? "true" : "false";
  if (debt) m["debt_explanation"] = q(some(4000));
  m["certification_agree"] = "true";
  m["authorized_representative"] = person();
  m["authorized_representative_title"] = q(some(45));
  m["authorized_representative_phone_number"] = q("202-555-0143");
  m["authorized_representative_email"] = q("rep@example.gov");
  if (coin()) m["authorized_representative_fax"] = q("+1 202 555 0144");
  m["aor_signature"] = q(n % 5 == 0 ? text_of(144, "Sïgned ") : some(144));
  std::string json = "{";
  for (const auto& [k, v] : m) json += (json.size() > 1 ? ", " : "") + q(k) + ": " + v;
  return json + "}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(sf424_views_validate_against_the_official_schema_and_their_contracts) {
  const auto plan = plan_of("forms/sf424.form");
  const std::size_t gg = agency_index(plan, "grants_gov");
  const Schema official("../shared/corpus/grants-gov/xsd/SF424_4_0-V4.0.xsd");
  const Schema own(write_xsd(plan, gg, temp_dir("sf424-xsd")));
  AjvBatch ajv("sf424");
  std::mt19937 rng(424);
  constexpr int count = 600;
  int valid = 0, official_ok = 0, own_ok = 0;
  bool saw_200 = false, saw_12 = false, saw_max = false;
  for (int n = 0; n < count; ++n) {
    const std::string json = sf424_submission(plan, n, rng);
    const auto r = e::validate_json(plan, json, may1);
    BOOST_TEST_REQUIRE(r.ok(), "submission " << n << " is not valid:\n" << e::format_errors(r.errors) << json);
    ++valid;
    const auto xml = e::agency_view(plan, r.submission, gg, e::ViewFormat::Xml, may1_eval);
    BOOST_TEST_REQUIRE(xml.has_value());
    const std::string o = official.validate(*xml);
    BOOST_TEST(o.empty(), "submission " << n << ": the official SF424_4_0-V4.0.xsd refuses the view: " << o << "\n"
                                        << *xml);
    official_ok += o.empty();
    const std::string c = own.validate(*xml);
    BOOST_TEST(c.empty(), "submission " << n << ": its own XSD refuses the view: " << c);
    own_ok += c.empty();
    saw_200 = saw_200 || xml->find(text_of(200, "Prøject 😀 &lt;&amp;&gt; ").substr(0, 40)) != std::string::npos;
    saw_12 = saw_12 || xml->find(">ABCDEF123456<") != std::string::npos;
    saw_max = saw_max || xml->find(">999999999999.99<") != std::string::npos;
    ajv.add(plan, gg, *e::agency_view(plan, r.submission, gg, e::ViewFormat::Json, may1_eval));
  }
  BOOST_TEST(saw_200);
  BOOST_TEST(saw_12);
  BOOST_TEST(saw_max);
  const std::size_t ajv_checked = ajv.run();
  BOOST_TEST_MESSAGE("SF-424: " << valid << " valid submissions; official XSD accepted " << official_ok
                                << ", own XSD " << own_ok << ", ajv checked " << ajv_checked);
  BOOST_TEST(official_ok == count);
}

BOOST_AUTO_TEST_CASE(sf424_boundaries_refused_by_validation_never_reach_the_view) {
  const auto plan = plan_of("forms/sf424.form");
  std::mt19937 rng(1);
  const std::string base = sf424_submission(plan, 1, rng);
  auto with = [&](const std::string& key, const std::string& value) {
    std::string json = base;
    const std::string k = q(key) + ": ";
    const auto at = json.find(k);
    BOOST_REQUIRE(at != std::string::npos);
    const auto end = json.find(", \"", at + k.size());
    json.replace(at + k.size(), end - at - k.size(), value);
    return e::validate_json(plan, json, may1).ok();
  };
  BOOST_TEST(with("samuei", q("ABCDEF123456")));
  BOOST_TEST(!with("samuei", q("ABCDEF12345")));
  BOOST_TEST(!with("samuei", q("ABCDEF1234567")));
  BOOST_TEST(with("project_title", q(std::string(200, 'x'))));
  BOOST_TEST(!with("project_title", q(std::string(201, 'x'))));
  BOOST_TEST(with("federal_estimated_funding", "999999999999.99"));
  BOOST_TEST(!with("federal_estimated_funding", "1000000000000"));
  BOOST_TEST(!with("federal_estimated_funding", "1.005"));
  // U+FFFE and U+FFFF cannot be written in XML 1.0: validation refuses them.
  BOOST_TEST(!with("organization_name", q("bad\xEF\xBF\xBEx")));
  BOOST_TEST(!with("organization_name", q("bad\xEF\xBF\xBFx")));
}

BOOST_AUTO_TEST_CASE(sf424_view_is_in_schema_order_with_namespaces_and_form_version) {
  const auto plan = plan_of("forms/sf424.form");
  std::mt19937 rng(7);
  const auto r = e::validate_json(plan, sf424_submission(plan, 4, rng), may1);
  BOOST_REQUIRE(r.ok());
  const auto xml = *e::agency_view(plan, r.submission, agency_index(plan, "grants_gov"), e::ViewFormat::Xml, may1_eval);
  BOOST_TEST(xml.find("<SF424_4_0:SF424_4_0 xmlns:SF424_4_0=\"http://apply.grants.gov/forms/SF424_4_0-V4.0\" "
                      "xmlns:globLib=\"http://apply.grants.gov/system/GlobalLibrary-V2.0\" SF424_4_0:FormVersion=\"4.0\">") !=
             std::string::npos, xml);
  BOOST_TEST(xml.find("<?askonce form=\"sf424\" version=\"1\" definition-hash=\"" + plan.form().definition_hash +
                      "\" submission-digest=\"" + r.submission.digest + "\" received=\"2024-05-01T00:00:00Z\" agency=\"grants_gov\"?>") !=
             std::string::npos, xml);
  BOOST_TEST(xml.find("<SF424_4_0:DelinquentFederalDebt>N: No</SF424_4_0:DelinquentFederalDebt>") != std::string::npos);
  BOOST_TEST(xml.find("<SF424_4_0:CertificationAgree>Y: Yes</SF424_4_0:CertificationAgree>") != std::string::npos);
  BOOST_TEST(xml.find("<globLib:Street1>") < xml.find("<globLib:City>"));
  BOOST_TEST(xml.find("<SF424_4_0:SubmissionType>") < xml.find("<SF424_4_0:DateSigned>"));
  // Not routed: answers grants_gov does not list (attachments asked as text).
  BOOST_TEST(xml.find("AreasAffected") == std::string::npos);
}

// ---- change of address ----------------------------------------------------------------------

namespace {

using askonce::test::coa_permanent;

const std::string coa_temporary = R"({
  "person": {"name": {"first": "Ana", "last": "Diaz"}, "birth_date": "1980-02-28", "ssn": "123-45-6789"},
  "contact": {"phone": "202-555-0123", "preferred_method": "phone"},
  "old_address": {"street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "IL", "zip": "62702"},
  "move_date": "2024-04-20",
  "kind": "temporary",
  "return_date": "2024-10-01",
  "veteran": false,
  "va_file_number": "not routed",
  "forward_mail": false,
  "truthful": true,
  "signature": "Ana Diaz"
})";

std::vector<std::string> names(const std::vector<e::AgencyView>& views) {
  std::vector<std::string> out;
  for (const auto& v : views) out.push_back(v.agency);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(change_of_address_reaches_exactly_the_agencies_whose_when_holds) {
  const auto plan = plan_of("forms/change-of-address.form");
  const auto all = e::validate_json(plan, coa_permanent, may1);
  BOOST_REQUIRE_MESSAGE(all.ok(), e::format_errors(all.errors));
  const auto few = e::validate_json(plan, coa_temporary, may1);
  BOOST_REQUIRE_MESSAGE(few.ok(), e::format_errors(few.errors));
  using V = std::vector<std::string>;
  for (auto format : {e::ViewFormat::Json, e::ViewFormat::Xml}) {
    BOOST_TEST(names(e::route(plan, all.submission, format, may1_eval)) == (V{"ssa", "usps", "va", "irs"}),
               boost::test_tools::per_element());
    BOOST_TEST(names(e::route(plan, few.submission, format, may1_eval)) == V{"ssa"}, boost::test_tools::per_element());
  }
  BOOST_TEST(!e::agency_view(plan, few.submission, agency_index(plan, "irs"), e::ViewFormat::Json, may1_eval));
  // Both formats at once (what the server stores) are the same views, agency by agency.
  for (const auto* r : {&all, &few}) {
    const auto both = e::route_both(plan, r->submission, may1_eval);
    const auto json = e::route(plan, r->submission, e::ViewFormat::Json, may1_eval);
    const auto xml = e::route(plan, r->submission, e::ViewFormat::Xml, may1_eval);
    BOOST_TEST_REQUIRE(both.size() == json.size());
    BOOST_TEST_REQUIRE(both.size() == xml.size());
    for (std::size_t i = 0; i < both.size(); ++i) {
      BOOST_TEST(both[i].agency == json[i].agency);
      BOOST_TEST(both[i].json == json[i].document);
      BOOST_TEST(both[i].xml == xml[i].document);
    }
  }
}

BOOST_AUTO_TEST_CASE(each_agency_gets_only_its_fields_under_its_names) {
  const auto plan = plan_of("forms/change-of-address.form");
  const auto r = e::validate_json(plan, coa_permanent, may1);
  BOOST_REQUIRE(r.ok());
  const auto irs = *e::agency_view(plan, r.submission, agency_index(plan, "irs"), e::ViewFormat::Json, may1_eval);
  const std::string expected_data = R"("data": {
    "TaxpayerName": {
      "first": "Ana",
      "last": "Núñez"
    },
    "TIN": "123456789",
    "SpouseName": {
      "first": "Bea",
      "last": "Núñez"
    },
    "SpouseTIN": "223456789",
    "OldAddress": {
      "street": "1 Main St <script>alert('x')</script>",
      "city": "Springfield",
      "state": "IL",
      "zip": "62701"
    },
    "NewAddress": {
      "street": "2 Oak Ave ]]> \"quoted\" & 'single'",
      "city": "Springfield",
      "state": "IL",
      "zip": "627021234"
    },
    "Signature": "Ana Núñez"
  }
})";
  BOOST_TEST(irs.ends_with(expected_data + "\n"), irs);
  BOOST_TEST(irs.find("\"agency\": \"irs\"") != std::string::npos);
  BOOST_TEST(irs.find("\"submission_digest\": \"" + r.submission.digest + "\"") != std::string::npos);
  // SSA: the whole person block, no VA number; USPS: the household's names as an array.
  const auto ssa = *e::agency_view(plan, r.submission, agency_index(plan, "ssa"), e::ViewFormat::Json, may1_eval);
  BOOST_TEST(ssa.find("\"person\": {\n      \"name\": {") != std::string::npos, ssa);
  BOOST_TEST(ssa.find("\"birth_date\": \"1980-02-29\"") != std::string::npos);
  BOOST_TEST(ssa.find("va_file_number") == std::string::npos);
  BOOST_TEST(ssa.find("household") == std::string::npos);
  const auto usps = *e::agency_view(plan, r.submission, agency_index(plan, "usps"), e::ViewFormat::Json, may1_eval);
  BOOST_TEST(usps.find("\"household.full_name\": [\n      \"Bo <b>\",\n      \"Cy\"\n    ]") != std::string::npos, usps);
  BOOST_TEST(usps.find("ssn") == std::string::npos);
  // XML: the same names as elements, hostile text escaped and round-tripping.
  const auto xml = *e::agency_view(plan, r.submission, agency_index(plan, "irs"), e::ViewFormat::Xml, may1_eval);
  BOOST_TEST(xml.find("<irs>") != std::string::npos, xml);
  BOOST_TEST(xml.find("<TIN>123456789</TIN>") != std::string::npos);
  BOOST_TEST(xml.find("<script>") == std::string::npos);
  BOOST_TEST(xml.find("&lt;script&gt;") != std::string::npos);
  BOOST_TEST(xml.find("]]>") == std::string::npos);
  BOOST_TEST(element_text(xml, "street") == "1 Main St <script>alert('x')</script>");
  const auto usps_xml = *e::agency_view(plan, r.submission, agency_index(plan, "usps"), e::ViewFormat::Xml, may1_eval);
  BOOST_TEST(usps_xml.find("<household.full_name>Bo &lt;b&gt;</household.full_name>\n  <household.full_name>Cy</household.full_name>") !=
             std::string::npos, usps_xml);
  const auto va_xml = *e::agency_view(plan, r.submission, agency_index(plan, "va"), e::ViewFormat::Xml, may1_eval);
  BOOST_TEST(va_xml.find("<va_file_number>12345678</va_file_number>") != std::string::npos, va_xml);
}

BOOST_AUTO_TEST_CASE(change_of_address_views_pass_their_own_contracts) {
  const auto plan = plan_of("forms/change-of-address.form");
  AjvBatch ajv("coa");
  std::size_t xml_checked = 0;
  std::map<std::size_t, std::unique_ptr<Schema>> xsds;
  for (const auto* json : {&coa_permanent, &coa_temporary}) {
    const auto r = e::validate_json(plan, *json, may1);
    BOOST_REQUIRE(r.ok());
    for (std::size_t i = 0; i < plan.form().agencies.size(); ++i) {
      const auto xml = e::agency_view(plan, r.submission, i, e::ViewFormat::Xml, may1_eval);
      if (!xml) continue;
      if (!xsds.count(i)) {
        xsds[i] = std::make_unique<Schema>(write_xsd(plan, i, temp_dir("coa-xsd-" + plan.form().agencies[i].name)));
      }
      const std::string errors = xsds[i]->validate(*xml);
      BOOST_TEST(errors.empty(), plan.form().agencies[i].name << ": " << errors << "\n" << *xml);
      ++xml_checked;
      ajv.add(plan, i, *e::agency_view(plan, r.submission, i, e::ViewFormat::Json, may1_eval));
    }
  }
  BOOST_TEST(xml_checked == 5u);
  ajv.run();
}

BOOST_AUTO_TEST_CASE(contracts_require_only_what_is_always_there) {
  const auto plan = plan_of("forms/change-of-address.form");
  const std::string irs = e::json_schema_contract(plan.form(), agency_index(plan, "irs"));
  // TaxpayerName and TIN are always there; the spouse only when the return was joint.
  BOOST_TEST(irs.find("\"required\": [\n        \"TaxpayerName\",\n        \"TIN\",\n        \"OldAddress\",\n"
                      "        \"NewAddress\",\n        \"Signature\"\n      ]") != std::string::npos, irs);
  BOOST_TEST(irs.find("\"additionalProperties\": false") != std::string::npos);
  BOOST_TEST(irs.find("\"pattern\": \"^(?:[0-9]{9})$\"") != std::string::npos);
  const auto xsd = e::xsd_contract(plan.form(), agency_index(plan, "irs"));
  BOOST_REQUIRE(xsd.ok());
  BOOST_TEST(xsd.documents.size() == 1u);
  BOOST_TEST(xsd.documents[0].text.find("<xs:element name=\"SpouseTIN\" minOccurs=\"0\">") != std::string::npos,
             xsd.documents[0].text);
  const auto sf = plan_of("forms/sf424.form");
  const auto gg = e::xsd_contract(sf.form(), agency_index(sf, "grants_gov"));
  BOOST_REQUIRE(gg.ok());
  BOOST_TEST(gg.documents.size() == 2u);
  BOOST_TEST(gg.documents[0].target_namespace == "http://apply.grants.gov/forms/SF424_4_0-V4.0");
  BOOST_TEST(gg.documents[1].target_namespace == "http://apply.grants.gov/system/GlobalLibrary-V2.0");
}

BOOST_AUTO_TEST_CASE(an_xsd_cannot_hold_a_parent_split_by_another_element) {
  auto r = askonce::dsl::compile_text("split.form", R"(form split {
  title "Split"
  version 1
  languages en
  section s "S" {
    text a "A" { required }
    text b "B"
    text c "C"
  }
  agency x "X" {
    receives a as "P/A", b as "B", c as "P/C"
  }
})");
  BOOST_REQUIRE(r.form);
  const auto c = e::xsd_contract(*r.form, 0);
  BOOST_TEST(!c.ok());
  BOOST_REQUIRE(c.diagnostics.size() == 1u);
  BOOST_TEST(c.diagnostics[0].code == "R0101");
  // JSON has no order: one object "P" holds both.
  const e::Plan plan(std::move(*r.form));
  const auto v = e::validate_json(plan, R"({"a": "1", "b": "2", "c": "3"})", may1);
  BOOST_REQUIRE(v.ok());
  const auto json = *e::agency_view(plan, v.submission, 0, e::ViewFormat::Json, may1_eval);
  BOOST_TEST(json.find("\"P\": {\n      \"A\": \"1\",\n      \"C\": \"3\"\n    },\n    \"B\": \"2\"") != std::string::npos, json);
  const auto xml = *e::agency_view(plan, v.submission, 0, e::ViewFormat::Xml, may1_eval);
  BOOST_TEST(xml.find("<P>\n    <A>1</A>\n  </P>\n  <B>2</B>\n  <P>\n    <C>3</C>\n  </P>") != std::string::npos, xml);
}

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Routes one valid submission and checks every view against its agency's own contracts.
std::size_t check_views(const e::Plan& plan, const e::Submission& submission, const e::EvalContext& ctx,
                        std::map<std::size_t, std::unique_ptr<Schema>>& xsds, AjvBatch& ajv, const std::string& name) {
  std::size_t checked = 0;
  for (std::size_t i = 0; i < plan.form().agencies.size(); ++i) {
    const auto xml = e::agency_view(plan, submission, i, e::ViewFormat::Xml, ctx);
    if (!xml) continue;
    if (!xsds.count(i)) {
      xsds[i] = std::make_unique<Schema>(
          write_xsd(plan, i, temp_dir(plan.form().id + "-xsd-" + plan.form().agencies[i].name)));
    }
    const std::string errors = xsds[i]->validate(*xml);
    BOOST_TEST(errors.empty(), name << " -> " << plan.form().agencies[i].name << ": " << errors);
    ajv.add(plan, i, *e::agency_view(plan, submission, i, e::ViewFormat::Json, ctx));
    ++checked;
  }
  return checked;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_valid_va_submission_gives_views_that_pass_their_own_contracts) {
  // The VA corpus (tests/va): every submission the engine accepts is routed, and each view
  // must pass the contracts generated for its agency (XSD with libxml2, JSON Schema with ajv).
  const auto plan = plan_of("forms/va-10-10ez.form");
  const auto on = e::Context::on(Date{2026, 1, 15}, "en", "api");
  const e::EvalContext ctx{Date{2026, 1, 15}};
  AjvBatch ajv("va");
  std::map<std::size_t, std::unique_ptr<Schema>> xsds;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator("tests/va/submissions")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::size_t valid = 0, views = 0;
  for (const auto& f : files) {
    const auto r = e::validate_json(plan, read_text(f), on);
    if (!r.ok()) continue;
    ++valid;
    views += check_views(plan, r.submission, ctx, xsds, ajv, f.filename().string());
  }
  BOOST_TEST_MESSAGE(valid << " valid VA submissions, " << views << " views checked");
  BOOST_TEST(valid >= 300u);
  BOOST_TEST(views == valid);  // the VA agency receives every application
  ajv.run();
}

BOOST_AUTO_TEST_CASE(benefits_views_pass_their_own_contracts) {
  const auto plan = plan_of("forms/benefits.form");
  const std::string json = R"({
    "programs": ["liheap", "snap"],
    "applicant": {"name": {"first": "Ana", "last": "Díaz <b>"}, "birth_date": "1990-01-01", "has_ssn": false},
    "applicant_applying": true, "applicant_citizen": true,
    "residence": {"has_home_address": true, "home_address": {"street": "1 A St", "city": "B", "state": "MD", "zip": "20850"},
                  "county": "Montgomery", "mail_at_home": true},
    "contact": {"preferred_method": "mail"},
    "applicant_earned_income": 100, "applicant_other_income": 0,
    "household": [{"full_name": {"first": "Bo", "last": "Diaz"}, "birth_date": "2015-03-01", "relationship": "child",
                   "applying": false, "buys_food_together": true, "earned_income": 0, "other_income": 20.5}],
    "rent_or_mortgage": 500, "pays_for_energy": true, "utility_costs": 50, "cash_and_bank": 10,
    "heating_source": "natural_gas", "utility_company": "Gas & Light \"Co\"", "energy_costs": 120.25, "shutoff_notice": false,
    "truthful": true, "understands_penalties": true, "signature": "Ana Diaz"
  })";
  const auto r = e::validate_json(plan, json, may1);
  BOOST_REQUIRE_MESSAGE(r.ok(), e::format_errors(r.errors));
  AjvBatch ajv("benefits");
  std::map<std::size_t, std::unique_ptr<Schema>> xsds;
  BOOST_TEST(check_views(plan, r.submission, may1_eval, xsds, ajv, "benefits") >= 1u);
  ajv.run();
}

BOOST_AUTO_TEST_CASE(an_email_checked_by_its_pattern_has_the_pattern_in_its_contracts_not_the_format) {
  // The pattern replaces the email kind's check (docs/dsl.md, "Properties"), so the contract
  // must not add "format": "email": a view the form accepts must pass it.
  auto r = askonce::dsl::compile_text("mails.form", R"(form mails {
  title "Mails"
  version 1
  languages en
  section s "S" {
    email kind_only "By the kind"
    email own "By the pattern" { required pattern ".+@[a-z.]+" "An address with an @." }
  }
  agency x "X" {
    receives kind_only, own
  }
})");
  BOOST_REQUIRE_MESSAGE(r.form, askonce::dsl::format_diagnostics(r));
  const e::Plan plan(std::move(*r.form));
  const std::string schema = e::json_schema_contract(plan.form(), 0);
  const auto own = schema.find("\"own\": {");
  BOOST_REQUIRE(own != std::string::npos);
  const std::string own_schema = schema.substr(own, schema.find('}', own) - own);
  BOOST_TEST(own_schema.find("\"pattern\": \"^(?:.+@[a-z.]+)$\"") != std::string::npos, schema);
  BOOST_TEST(own_schema.find("format") == std::string::npos, schema);
  BOOST_TEST(schema.find("\"format\": \"email\"") != std::string::npos);  // the kind's own field keeps it
  const auto xsd = e::xsd_contract(plan.form(), 0);
  BOOST_REQUIRE(xsd.ok());
  BOOST_TEST(xsd.documents[0].text.find("<xs:pattern value=\".+@[a-z.]+\"/>") != std::string::npos,
             xsd.documents[0].text);
  // An address only the pattern takes (non-ASCII, a domain of one label) passes both contracts.
  const auto v = e::validate_json(plan, R"({"kind_only": "Ana@Example.com", "own": "josé@intranet"})", may1);
  BOOST_REQUIRE_MESSAGE(v.ok(), e::format_errors(v.errors));
  AjvBatch ajv("mails");
  std::map<std::size_t, std::unique_ptr<Schema>> xsds;
  BOOST_TEST(check_views(plan, v.submission, may1_eval, xsds, ajv, "mails") == 1u);
  BOOST_TEST(ajv.run() == 1u);
}

BOOST_AUTO_TEST_CASE(a_pattern_of_one_alternative_is_if_then_in_the_json_schema_and_left_out_of_the_xsd) {
  // `pattern ... if country == "USA"` (docs/dsl.md, "Rules that apply in one case"): the JSON
  // Schema says it on the object holding both answers, as allOf/if/then, so that views of every
  // alternative pass and a view breaking the pattern of the alternative chosen does not; XSD
  // 1.0 cannot make one element's type depend on another's, so the XSD leaves it out.
  auto r = askonce::dsl::compile_text("mailing.form", R"(form mailing {
  title "Mailing"
  version 1
  languages en
  section s "S" {
    choice country "Country" {
      option USA "United States"
      option CAN "Canada"
    }
    text postal_code "Postal code" {
      required
      pattern "[0-9]{5}" "Enter 5 digits." if country == "USA"
      pattern "[A-Z][0-9][A-Z] [0-9][A-Z][0-9]" "Enter a code such as K1A 0B1." if country in ["CAN"]
    }
  }
  agency x "X" {
    receives country, postal_code
  }
})");
  BOOST_REQUIRE_MESSAGE(r.form, askonce::dsl::format_diagnostics(r));
  const e::Plan plan(std::move(*r.form));
  const std::string schema = e::json_schema_contract(plan.form(), 0);
  BOOST_TEST(schema.find("\"allOf\"") != std::string::npos, schema);
  BOOST_TEST(schema.find("\"const\": \"USA\"") != std::string::npos, schema);
  std::size_t ifs = 0;
  for (auto at = schema.find("\"if\": {"); at != std::string::npos; at = schema.find("\"if\": {", at + 1)) ++ifs;
  BOOST_TEST(ifs == 2u, schema);  // one per pattern of one alternative
  const auto xsd = e::xsd_contract(plan.form(), 0);
  BOOST_REQUIRE(xsd.ok());
  BOOST_TEST(xsd.documents[0].text.find("xs:pattern") == std::string::npos, xsd.documents[0].text);

  AjvBatch ajv("alternatives");
  std::map<std::size_t, std::unique_ptr<Schema>> xsds;
  std::string usa_view;
  for (const char* json : {R"({"country": "USA", "postal_code": "12345"})",
                           R"({"country": "CAN", "postal_code": "K1A 0B1"})",
                           R"({"postal_code": "anything at all"})"}) {
    const auto v = e::validate_json(plan, json, may1);
    BOOST_REQUIRE_MESSAGE(v.ok(), json << ": " << e::format_errors(v.errors));
    BOOST_TEST(check_views(plan, v.submission, may1_eval, xsds, ajv, "mailing") == 1u);
    if (usa_view.empty()) usa_view = *e::agency_view(plan, v.submission, 0, e::ViewFormat::Json, may1_eval);
  }
  BOOST_TEST(ajv.run() == 3u);
  // The engine refuses a Canadian code for the United States; so must the contract.
  const auto refused = e::validate_json(plan, R"({"country": "USA", "postal_code": "K1A 0B1"})", may1);
  BOOST_TEST(!refused.ok());
  if (ajv_available()) {
    const auto dir = temp_dir("ajv-alternatives-refused");
    const auto at = usa_view.find("\"12345\"");
    BOOST_REQUIRE(at != std::string::npos);
    std::string broken = usa_view;
    broken.replace(at, 7, "\"K1A 0B1\"");
    write_file(dir / "schema.json", schema);
    write_file(dir / "broken.json", broken);
    const auto [valid, out] = ajv_check(dir / "schema.json", {dir / "broken.json"});
    BOOST_TEST(!valid, out);
    BOOST_TEST(out.find("pattern") != std::string::npos, out);
  }
}

// ---- members without a question -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_member_reaches_only_the_agencies_that_receive_it_as_it_was_sent) {
  auto compiled = askonce::dsl::compile_text("forms/members.form", R"(
block vet {
  text file_number "VA file number"
  member "view:fileNote" object
}
form members {
  title "Members"
  version 1
  languages en
  section s "You" {
    text full_name "Full name" { required }
    member "view:serviceNote" object
    member "otherInformation" array of string
    use vet as veteran
  }
  agency gets "Gets it" {
    receives full_name, "otherInformation", "view:serviceNote" as Note, veteran
  }
  agency not_it "Does not" {
    receives full_name
  }
}
)");
  BOOST_REQUIRE_MESSAGE(compiled.form, askonce::dsl::format_diagnostics(compiled));
  const e::Plan plan(std::move(*compiled.form));
  const auto r = e::validate_json(plan, R"({"full_name": "Ana", "view:serviceNote": {"b": [1, 2.50], "a": "<x> & \"y\""},
    "otherInformation": ["Served 1990 to 1994", "Two tours"], "veteran": {"file_number": "12", "view:fileNote": {}}})", may1);
  BOOST_REQUIRE_MESSAGE(r.errors.empty(), e::format_errors(r.errors));
  const auto views = e::route_both(plan, r.submission, may1_eval);
  BOOST_REQUIRE(views.size() == 2u);
  const std::string& json = views[0].json;
  BOOST_TEST(json.find(R"("Note": {"b":[1,2.50],"a":"<x> & \"y\""})") != std::string::npos, json);
  BOOST_TEST(json.find(R"("otherInformation": ["Served 1990 to 1994","Two tours"])") != std::string::npos, json);
  BOOST_TEST(json.find(R"("view:fileNote": {})") != std::string::npos, json);
  // Entitlement stays explicit: the other agency gets none of it.
  BOOST_TEST(views[1].json.find("Served") == std::string::npos, views[1].json);
  BOOST_TEST(views[1].json.find("view:") == std::string::npos, views[1].json);
  BOOST_TEST(views[1].xml.find("Served") == std::string::npos, views[1].xml);
  // The XML view leaves members out: a JSON value has no XML meaning (and `view:fileNote` is no
  // XML name); the rest of the agency's view is there, and it is well-formed.
  BOOST_TEST(views[0].xml.find("Served") == std::string::npos, views[0].xml);
  BOOST_TEST(views[0].xml.find("Note") == std::string::npos, views[0].xml);
  BOOST_TEST(views[0].xml.find("<file_number>12</file_number>") != std::string::npos, views[0].xml);
  // Its XSD leaves them out too, and the view is valid against it.
  const fs::path dir = temp_dir("members-xsd");
  const std::string xsd = write_xsd(plan, 0, dir);
  BOOST_TEST(askonce::test::read(xsd).find("fileNote") == std::string::npos);
  BOOST_TEST(askonce::test::read(xsd).find("otherInformation") == std::string::npos);
  BOOST_TEST(Schema(xsd).validate(views[0].xml) == "");
  // The contract: the member's JSON type and nothing else, never required.
  const std::string contract = e::json_schema_contract(plan.form(), 0);
  BOOST_TEST(contract.find(R"("otherInformation": {
          "type": "array",
          "items": {
            "type": "string"
          }
        })") != std::string::npos, contract);
  BOOST_TEST(contract.find(R"("Note": {
          "type": "object"
        })") != std::string::npos, contract);
  AjvBatch batch("members");
  batch.add(plan, 0, json);
  batch.add(plan, 1, views[1].json);
  batch.run();
}
