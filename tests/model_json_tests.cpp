// tests/model_json_tests.cpp: the model as JSON (engine/model_json), in its documented shape.
//
// Goldens: every shipped form (forms/*.form) compiles to exactly tests/golden/model/<stem>.json.
// After a deliberate change, `model_json_tests -- --accept` rewrites the goldens; review the diff.
#define BOOST_TEST_MODULE model_json_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include "dsl/compiler.hpp"
#include "engine/model_json.hpp"

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// Tests read forms/ and write tests/golden/ relative to the project root, so that the paths
// the compiler records never depend on where the checkout is.
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

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> shipped_forms() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator("forms")) {
    if (e.is_regular_file() && e.path().extension() == ".form") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first line where two texts differ, for a message a person can act on.
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ma = static_cast<bool>(std::getline(a, la));
    const bool mb = static_cast<bool>(std::getline(b, lb));
    if (!ma && !mb) return "texts equal";
    if (!ma || !mb || la != lb) {
      return "line " + std::to_string(line) + ": golden `" + (ma ? la : "<end>") + "`, got `" +
             (mb ? lb : "<end>") + "`";
    }
  }
}

Object::Ptr parse_json(const std::string& text) {
  Poco::JSON::ParseHandler::Ptr handler = new Poco::JSON::ParseHandler(true);  // keep key order
  Poco::JSON::Parser parser(handler);
  return parser.parse(text).extract<Object::Ptr>();
}

// The documented key order of each kind of object (docs/dsl.md, "The model as JSON").
const std::vector<std::string> form_keys = {
    "askonce_model", "id", "version", "languages", "definition_hash", "title", "description",
    "standard", "purpose", "eligibility", "needs", "duration", "apply", "paper", "plain_grade", "sections", "fields", "agencies",
    "computed_order", "sources"};
const std::vector<std::string> section_keys = {"name", "title", "fields"};
const std::vector<std::string> apply_keys = {"phone", "in_person", "mail"};
const std::vector<std::string> paper_keys = {"mail_to", "phone", "hours", "omb", "privacy", "burden", "burden_minutes"};
const std::vector<std::string> omb_keys = {"number", "expires"};
const std::vector<std::string> field_keys = {
    "id", "name", "kind", "type", "label", "hint", "ask", "unanswered", "question", "section", "parent", "children",
    "block", "part", "json", "json_items", "required", "required_if", "show_if", "computed", "checks", "patterns",
    "min", "max", "default", "options", "options_list", "sensitive"};
const std::vector<std::string> agency_keys = {"name", "title", "when", "receives", "xml", "standard", "messages"};
const std::vector<std::string> standard_keys = {"amount", "unit", "text"};
const std::vector<std::string> message_keys = {"name", "text"};
const std::vector<std::string> receive_keys = {"field", "as"};
const std::vector<std::string> check_keys = {"rule", "message", "if"};
const std::vector<std::string> pattern_keys = {"regex", "message", "if"};
const std::vector<std::string> option_keys = {"value", "label"};
const std::vector<std::string> expr_keys = {"op", "type", "value", "field", "function", "args"};

// True when the object's keys all appear in `order`, and in that order.
bool keys_in_order(const Object::Ptr& o, const std::vector<std::string>& order, std::string& why) {
  std::size_t at = 0;
  for (const auto& name : o->getNames()) {
    auto it = std::find(order.begin() + static_cast<std::ptrdiff_t>(at), order.end(), name);
    if (it == order.end()) {
      why = "key '" + name + "' is undocumented or out of order";
      return false;
    }
    at = static_cast<std::size_t>(it - order.begin()) + 1;
  }
  return true;
}

void check_expr_order(const Object::Ptr& e, std::vector<std::string>& problems) {
  std::string why;
  if (!keys_in_order(e, expr_keys, why)) problems.push_back("expr: " + why);
  if (e->has("args")) {
    auto args = e->getArray("args");
    for (unsigned i = 0; i < args->size(); ++i) check_expr_order(args->getObject(i), problems);
  }
}

// Every object of the document has its keys in the documented order.
std::vector<std::string> key_order_problems(const Object::Ptr& doc) {
  std::vector<std::string> problems;
  std::string why;
  auto need = [&](const Object::Ptr& o, const std::vector<std::string>& order, const std::string& what) {
    if (!keys_in_order(o, order, why)) problems.push_back(what + ": " + why);
  };
  need(doc, form_keys, "form");
  if (doc->has("apply")) need(doc->getObject("apply"), apply_keys, "apply");
  if (doc->has("paper")) {
    need(doc->getObject("paper"), paper_keys, "paper");
    if (doc->getObject("paper")->has("omb")) need(doc->getObject("paper")->getObject("omb"), omb_keys, "paper.omb");
  }
  auto sections = doc->getArray("sections");
  for (unsigned i = 0; i < sections->size(); ++i) need(sections->getObject(i), section_keys, "section");
  auto fields = doc->getArray("fields");
  for (unsigned i = 0; i < fields->size(); ++i) {
    auto f = fields->getObject(i);
    const std::string what = "field " + f->getValue<std::string>("id");
    need(f, field_keys, what);
    for (const char* key : {"required_if", "show_if", "computed"}) {
      if (f->has(key)) check_expr_order(f->getObject(key), problems);
    }
    if (f->has("checks")) {
      auto checks = f->getArray("checks");
      for (unsigned k = 0; k < checks->size(); ++k) {
        need(checks->getObject(k), check_keys, what + " check");
        check_expr_order(checks->getObject(k)->getObject("rule"), problems);
        if (checks->getObject(k)->has("if")) check_expr_order(checks->getObject(k)->getObject("if"), problems);
      }
    }
    if (f->has("patterns")) {
      auto patterns = f->getArray("patterns");
      for (unsigned k = 0; k < patterns->size(); ++k) {
        need(patterns->getObject(k), pattern_keys, what + " pattern");
        if (patterns->getObject(k)->has("if")) check_expr_order(patterns->getObject(k)->getObject("if"), problems);
      }
    }
    if (f->has("options")) {
      auto options = f->getArray("options");
      for (unsigned k = 0; k < options->size(); ++k) need(options->getObject(k), option_keys, what + " option");
    }
  }
  auto agencies = doc->getArray("agencies");
  for (unsigned i = 0; i < agencies->size(); ++i) {
    auto a = agencies->getObject(i);
    need(a, agency_keys, "agency");
    if (a->has("when")) check_expr_order(a->getObject("when"), problems);
    auto receives = a->getArray("receives");
    for (unsigned k = 0; k < receives->size(); ++k) need(receives->getObject(k), receive_keys, "receive");
    if (a->has("standard")) need(a->getObject("standard"), standard_keys, "standard");
    if (a->has("messages")) {
      auto messages = a->getArray("messages");
      for (unsigned k = 0; k < messages->size(); ++k) need(messages->getObject(k), message_keys, "message");
    }
  }
  return problems;
}

Object::Ptr field_by_id(const Object::Ptr& doc, const std::string& id) {
  auto fields = doc->getArray("fields");
  for (unsigned i = 0; i < fields->size(); ++i) {
    auto f = fields->getObject(i);
    if (f->getValue<std::string>("id") == id) return f;
  }
  BOOST_FAIL("no field '" + id + "' in the JSON");
  return {};
}

std::vector<std::string> string_array(const Array::Ptr& a) {
  std::vector<std::string> out;
  for (unsigned i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(i));
  return out;
}

const char* const probe_form = R"(list sizes {
  option S "Small" es "Pequeña"
  option M "Medium" es "Mediana"
}

block pet {
  text pet_name "Pet's name" es "Nombre de la mascota" { required max 40 }
}

form json_probe {
  title "Probe" es "Sonda"
  description "For tests." es "Para pruebas."
  version 2
  languages en es

  section start "Start" es "Inicio" {
    date move_date "Date you moved" es "Fecha de la mudanza" {
      required
      hint "Day, month and year." es "Día, mes y año."
      min 2000-01-01
      check move_date <= today() + 30 days "Too far ahead." es "Demasiado lejos."
    }
    money amount "Amount" es "Cantidad" { min 0.01 max 999.50 default 12.50 sensitive }
    choice size "Size" es "Talla" { from sizes }
    choice kind "Kind" es "Tipo" {
      option permanent "Permanent" es "Permanente"
      option temporary "Temporary" es "Temporal"
    }
    text reason "Reason" es "Motivo" {
      show if kind == "temporary"
      required if amount > 100
      pattern "[a-z]+" "Lower case only." es "Solo minúsculas."
    }
    use pet
    repeat member "Person" es "Persona" {
      max 3
      text full_name "Name" es "Nombre" { required }
      money income "Income" es "Ingresos"
    }
    money total "Total" es "Total" { computed sum(member.income) }
    name applicant "Applicant" es "Solicitante" { required }
  }

  agency irs "Tax office" es "Oficina de impuestos" {
    when kind in ["permanent"]
    receives move_date as MoveDate, pet, applicant.last
    standard 10 working days "Within 10 working days." es "En 10 días hábiles."
    message need_proof "Send a proof." es "Envíe una prueba."
    message wrong_date "Check the date." es "Revise la fecha."
  }
  agency post "Post office" es "Correo" {
    receives move_date
    standard 1 day "Within 1 day." es "En 1 día."
  }
}
)";

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_forms_match_their_goldens) {
  const bool accept = accept_mode();
  const fs::path golden_dir = "tests/golden/model";
  if (accept) fs::create_directories(golden_dir);

  const auto forms = shipped_forms();
  BOOST_TEST_REQUIRE(!forms.empty(), "no forms/*.form found");
  for (const auto& form : forms) {
    BOOST_TEST_CONTEXT(form.string()) {
      auto result = askonce::dsl::compile_file(form.string());
      BOOST_TEST_REQUIRE(!result.has_errors(), askonce::dsl::format_diagnostics(result));
      BOOST_TEST_REQUIRE(result.form.has_value());
      const std::string json = askonce::model_json::to_json(*result.form);

      // Machine independence: no absolute path in the output, and the same JSON whether the
      // form is named by a relative or an absolute path.
      BOOST_TEST(json.find(ASKONCE_SOURCE_DIR) == std::string::npos);
      auto absolute = askonce::dsl::compile_file(fs::absolute(form).string());
      BOOST_TEST_REQUIRE(absolute.form.has_value());
      BOOST_TEST(askonce::model_json::to_json(*absolute.form) == json,
                 "JSON differs when the form is compiled from an absolute path");

      const fs::path golden = golden_dir / (form.stem().string() + ".json");
      if (accept) {
        std::ofstream(golden, std::ios::binary) << json;
        BOOST_TEST_MESSAGE("wrote " << golden.string());
        continue;
      }
      BOOST_TEST_REQUIRE(fs::exists(golden), "no golden " << golden.string()
                                                 << "; run `model_json_tests -- --accept` and review it");
      const std::string want = slurp(golden);
      BOOST_TEST(json == want, golden.string() << " differs at " << first_difference(want, json)
                                               << "; run `model_json_tests -- --accept` if the change is deliberate");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_golden_has_a_form) {
  const fs::path golden_dir = "tests/golden/model";
  if (!fs::exists(golden_dir)) return;
  for (const auto& e : fs::directory_iterator(golden_dir)) {
    if (e.path().extension() != ".json") continue;
    BOOST_TEST(fs::exists(fs::path("forms") / (e.path().stem().string() + ".form")),
               "stale golden " << e.path().string());
  }
}

BOOST_AUTO_TEST_CASE(goldens_are_valid_json_in_documented_key_order) {
  for (const auto& form : shipped_forms()) {
    BOOST_TEST_CONTEXT(form.string()) {
      auto result = askonce::dsl::compile_file(form.string());
      BOOST_TEST_REQUIRE(result.form.has_value());
      auto doc = parse_json(askonce::model_json::to_json(*result.form));
      const auto problems = key_order_problems(doc);
      BOOST_TEST(problems.empty(), (problems.empty() ? std::string() : problems.front()));
    }
  }
}

BOOST_AUTO_TEST_CASE(inline_form_has_documented_keys_and_values) {
  auto result = askonce::dsl::compile_text("probe.form", probe_form);
  BOOST_TEST_REQUIRE(!result.has_errors(), askonce::dsl::format_diagnostics(result));
  BOOST_TEST_REQUIRE(result.form.has_value());
  const std::string text = askonce::model_json::to_json(*result.form);
  auto doc = parse_json(text);

  // Top level, in the documented order; an empty "standard" is omitted.
  BOOST_TEST(doc->getNames() == (std::vector<std::string>{
                                    "askonce_model", "id", "version", "languages", "definition_hash", "title",
                                    "description", "sections", "fields", "agencies", "computed_order", "sources"}),
             boost::test_tools::per_element());
  BOOST_TEST(doc->getValue<int>("askonce_model") == 1);
  BOOST_TEST(doc->getValue<std::string>("id") == "json_probe");
  BOOST_TEST(doc->getValue<int>("version") == 2);
  BOOST_TEST(string_array(doc->getArray("languages")) == (std::vector<std::string>{"en", "es"}),
             boost::test_tools::per_element());
  BOOST_TEST(std::regex_match(doc->getValue<std::string>("definition_hash"), std::regex("sha256:[0-9a-f]{64}")));
  BOOST_TEST(string_array(doc->getArray("sources")) == (std::vector<std::string>{"probe.form"}),
             boost::test_tools::per_element());

  // Texts list the primary language first, whatever the alphabet says.
  auto title = doc->getObject("title");
  BOOST_TEST(title->getNames() == (std::vector<std::string>{"en", "es"}), boost::test_tools::per_element());
  BOOST_TEST(title->getValue<std::string>("es") == "Sonda");

  auto sections = doc->getArray("sections");
  BOOST_TEST_REQUIRE(sections->size() == 1u);
  BOOST_TEST(sections->getObject(0)->getValue<std::string>("name") == "start");
  auto top = string_array(sections->getObject(0)->getArray("fields"));
  BOOST_TEST((std::find(top.begin(), top.end(), "pet") != top.end()));
  BOOST_TEST((std::find(top.begin(), top.end(), "pet.pet_name") == top.end()), "sections list top-level fields only");

  // A date field with a check: the expression tree, a date bound, question and section.
  auto move = field_by_id(doc, "move_date");
  BOOST_TEST(move->getValue<std::string>("kind") == "date");
  BOOST_TEST(move->getValue<std::string>("type") == "date");
  BOOST_TEST(move->getValue<std::string>("section") == "start");
  BOOST_TEST(move->getValue<int>("question") >= 1);
  BOOST_TEST(move->getValue<bool>("required") == true);
  BOOST_TEST(move->getObject("hint")->getValue<std::string>("es") == "Día, mes y año.");
  BOOST_TEST(move->getValue<std::string>("min") == "2000-01-01");
  BOOST_TEST(!move->has("max"));
  BOOST_TEST(!move->has("sensitive"));
  BOOST_TEST(!move->has("show_if"));
  auto rule = move->getArray("checks")->getObject(0)->getObject("rule");
  BOOST_TEST(rule->getValue<std::string>("op") == "le");
  BOOST_TEST(rule->getValue<std::string>("type") == "bool");
  auto lhs = rule->getArray("args")->getObject(0);
  BOOST_TEST(lhs->getNames() == (std::vector<std::string>{"op", "type", "field"}), boost::test_tools::per_element());
  BOOST_TEST(lhs->getValue<std::string>("field") == "move_date");
  auto plus = rule->getArray("args")->getObject(1);
  BOOST_TEST(plus->getValue<std::string>("op") == "add");
  BOOST_TEST(plus->getValue<std::string>("type") == "date");
  auto today = plus->getArray("args")->getObject(0);
  BOOST_TEST(today->getNames() == (std::vector<std::string>{"op", "type", "function", "args"}),
             boost::test_tools::per_element());
  BOOST_TEST(today->getValue<std::string>("function") == "today");
  BOOST_TEST(today->getArray("args")->size() == 0u);
  auto days = plus->getArray("args")->getObject(1);
  BOOST_TEST(days->getValue<std::string>("op") == "literal");
  BOOST_TEST(days->getValue<std::string>("type") == "duration");
  BOOST_TEST(days->getObject("value")->getValue<int>("amount") == 30);
  BOOST_TEST(days->getObject("value")->getValue<std::string>("unit") == "days");
  BOOST_TEST(text.find("\"args\": []") != std::string::npos);

  // Exact decimals stay strings; false flags are omitted, true ones written.
  auto amount = field_by_id(doc, "amount");
  BOOST_TEST(amount->getValue<std::string>("kind") == "money");
  BOOST_TEST(amount->getValue<std::string>("type") == "number");
  BOOST_TEST(amount->get("min").isString());
  BOOST_TEST(amount->getValue<std::string>("min") == "0.01");
  BOOST_TEST(amount->getValue<std::string>("max") == "999.50");
  BOOST_TEST(amount->getValue<std::string>("default") == "12.50");
  BOOST_TEST(amount->getValue<bool>("sensitive") == true);
  BOOST_TEST(!amount->has("required"));
  BOOST_TEST(!amount->has("hint"));

  auto size = field_by_id(doc, "size");
  BOOST_TEST(size->getValue<std::string>("options_list") == "sizes");
  BOOST_TEST_REQUIRE(size->getArray("options")->size() == 2u);
  BOOST_TEST(size->getArray("options")->getObject(0)->getValue<std::string>("value") == "S");
  BOOST_TEST(size->getArray("options")->getObject(1)->getObject("label")->getValue<std::string>("es") == "Mediana");
  BOOST_TEST(!field_by_id(doc, "kind")->has("options_list"));

  auto reason = field_by_id(doc, "reason");
  auto show = reason->getObject("show_if");
  BOOST_TEST(show->getValue<std::string>("op") == "eq");
  BOOST_TEST(show->getArray("args")->getObject(0)->getValue<std::string>("field") == "kind");
  auto temporary = show->getArray("args")->getObject(1);
  BOOST_TEST(temporary->getValue<std::string>("op") == "literal");
  BOOST_TEST(temporary->getValue<std::string>("type") == "text");
  BOOST_TEST(temporary->getValue<std::string>("value") == "temporary");
  BOOST_TEST(reason->getObject("required_if")->getValue<std::string>("op") == "gt");
  BOOST_TEST(!reason->has("required"));
  BOOST_TEST(reason->getArray("patterns")->getObject(0)->getValue<std::string>("regex") == "[a-z]+");

  // A block used in the form, a repeat, a composite: parents, children, block and part.
  auto pet = field_by_id(doc, "pet");
  BOOST_TEST(pet->getValue<std::string>("kind") == "group");
  BOOST_TEST(pet->getValue<std::string>("type") == "group");
  BOOST_TEST(pet->getValue<std::string>("block") == "pet");
  BOOST_TEST(string_array(pet->getArray("children")) == (std::vector<std::string>{"pet.pet_name"}),
             boost::test_tools::per_element());
  BOOST_TEST(field_by_id(doc, "pet.pet_name")->getValue<std::string>("parent") == "pet");
  BOOST_TEST(field_by_id(doc, "pet.pet_name")->getValue<std::string>("max") == "40");
  BOOST_TEST(field_by_id(doc, "member")->getValue<std::string>("kind") == "repeat");
  BOOST_TEST(field_by_id(doc, "member")->getValue<std::string>("type") == "list");
  BOOST_TEST(field_by_id(doc, "member")->getValue<std::string>("max") == "3");
  BOOST_TEST(field_by_id(doc, "member.income")->getValue<std::string>("parent") == "member");
  auto last = field_by_id(doc, "applicant.last");
  BOOST_TEST(last->getValue<std::string>("part") == "last");
  BOOST_TEST(last->getValue<std::string>("parent") == "applicant");
  BOOST_TEST(!field_by_id(doc, "applicant.middle")->has("required"));

  auto total = field_by_id(doc, "total")->getObject("computed");
  BOOST_TEST(total->getValue<std::string>("op") == "call");
  BOOST_TEST(total->getValue<std::string>("function") == "sum");
  BOOST_TEST(total->getArray("args")->getObject(0)->getValue<std::string>("field") == "member.income");
  BOOST_TEST(string_array(doc->getArray("computed_order")) == (std::vector<std::string>{"total"}),
             boost::test_tools::per_element());

  auto agency = doc->getArray("agencies")->getObject(0);
  BOOST_TEST(agency->getValue<std::string>("name") == "irs");
  BOOST_TEST(agency->getObject("when")->getValue<std::string>("op") == "in");
  auto receives = agency->getArray("receives");
  BOOST_TEST_REQUIRE(receives->size() == 3u);
  BOOST_TEST(receives->getObject(0)->getValue<std::string>("field") == "move_date");
  BOOST_TEST(receives->getObject(0)->getValue<std::string>("as") == "MoveDate");
  BOOST_TEST(receives->getObject(1)->getValue<std::string>("field") == "pet");
  BOOST_TEST(!receives->getObject(1)->has("as"));
  BOOST_TEST(receives->getObject(2)->getValue<std::string>("field") == "applicant.last");

  // The service standard as data beside its text, and the named messages in order.
  BOOST_TEST(agency->getNames() == (std::vector<std::string>{"name", "title", "when", "receives", "standard", "messages"}),
             boost::test_tools::per_element());
  auto standard = agency->getObject("standard");
  BOOST_TEST(standard->getNames() == (std::vector<std::string>{"amount", "unit", "text"}), boost::test_tools::per_element());
  BOOST_TEST(standard->getValue<int>("amount") == 10);
  BOOST_TEST(standard->getValue<std::string>("unit") == "working_days");
  BOOST_TEST(standard->getObject("text")->getValue<std::string>("es") == "En 10 días hábiles.");
  auto messages = agency->getArray("messages");
  BOOST_TEST_REQUIRE(messages->size() == 2u);
  BOOST_TEST(messages->getObject(0)->getValue<std::string>("name") == "need_proof");
  BOOST_TEST(messages->getObject(0)->getObject("text")->getValue<std::string>("en") == "Send a proof.");
  BOOST_TEST(messages->getObject(1)->getValue<std::string>("name") == "wrong_date");
  BOOST_TEST(messages->getObject(1)->getObject("text")->getValue<std::string>("es") == "Revise la fecha.");
  auto post = doc->getArray("agencies")->getObject(1);
  BOOST_TEST(post->getObject("standard")->getValue<int>("amount") == 1);
  BOOST_TEST(post->getObject("standard")->getValue<std::string>("unit") == "days");
  BOOST_TEST(!post->has("messages"), "no messages: omitted");

  const auto problems = key_order_problems(doc);
  BOOST_TEST(problems.empty(), (problems.empty() ? std::string() : problems.front()));

  // to_object is the same tree as the text.
  std::ostringstream direct;
  askonce::model_json::to_object(*result.form)->stringify(direct);
  std::ostringstream reparsed;
  doc->stringify(reparsed);
  BOOST_TEST(direct.str() == reparsed.str());
}

BOOST_AUTO_TEST_CASE(every_documented_key_is_in_the_docs) {
  const std::string docs = slurp("docs/dsl.md");
  const auto at = docs.find("## The model as JSON");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const std::string section = docs.substr(at);
  for (const auto* keys : {&form_keys, &section_keys, &field_keys, &agency_keys, &receive_keys, &standard_keys,
                           &message_keys, &check_keys, &pattern_keys, &option_keys, &expr_keys}) {
    for (const auto& key : *keys) {
      BOOST_TEST(section.find("\"" + key + "\"") != std::string::npos, "docs do not mention \"" << key << "\"");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_member_carries_its_json_type) {
  auto result = askonce::dsl::compile_text("members.form", R"(form members {
  title "Members"
  version 1
  languages en
  section s "S" {
    text full_name "Full name"
    member "view:note" object
    member "otherInformation" array of string
  }
}
)");
  BOOST_TEST_REQUIRE(!result.has_errors(), askonce::dsl::format_diagnostics(result));
  auto doc = parse_json(askonce::model_json::to_json(*result.form));
  BOOST_TEST(key_order_problems(doc).empty());
  auto note = field_by_id(doc, "view:note");
  BOOST_TEST(note->getValue<std::string>("kind") == "member");
  BOOST_TEST(note->getValue<std::string>("type") == "none");
  BOOST_TEST(note->getValue<std::string>("json") == "object");
  BOOST_TEST(!note->has("json_items"));
  BOOST_TEST(!note->has("label"));
  BOOST_TEST(!note->has("question"));
  auto list = field_by_id(doc, "otherInformation");
  BOOST_TEST(list->getValue<std::string>("json") == "array");
  BOOST_TEST(list->getValue<std::string>("json_items") == "string");
  BOOST_TEST(string_array(doc->getArray("sections")->getObject(0)->getArray("fields")) ==
                 (std::vector<std::string>{"full_name", "view:note", "otherInformation"}),
             boost::test_tools::per_element());
}
