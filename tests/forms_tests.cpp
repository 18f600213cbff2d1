// tests/forms_tests.cpp: the shipped forms compile clean, in every declared language.
#define BOOST_TEST_MODULE forms_tests
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "engine/model_json.hpp"
#include "tests/test_support.hpp"

using askonce::dsl::compile_file;

BOOST_AUTO_TEST_CASE(every_shipped_form_and_library_compiles_with_no_diagnostics) {
  auto files = askonce::test::shipped_forms();
  for (const auto& e : std::filesystem::directory_iterator("forms/common")) files.push_back(e.path());
  BOOST_TEST(files.size() >= 8u);
  for (const auto& f : files) {
    BOOST_TEST_CONTEXT(f) {
      const auto r = compile_file(f.generic_string());
      BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_shipped_form_is_in_english_and_spanish) {
  for (const auto& f : askonce::test::shipped_forms()) {
    BOOST_TEST_CONTEXT(f) {
      const auto r = compile_file(f.generic_string());
      BOOST_REQUIRE(r.form);
      BOOST_TEST(r.form->languages == (std::vector<std::string>{"en", "es"}), boost::test_tools::per_element());
      for (const auto& field : r.form->fields) {
        if (field.kind == askonce::model::Kind::Group) continue;  // a block's use has no label of its own
        BOOST_TEST_CONTEXT(field.id) {
          BOOST_TEST(field.label.count("en") == 1u);
          BOOST_TEST(field.label.count("es") == 1u);
        }
      }
    }
  }
}

namespace {
const askonce::model::Agency* agency(const askonce::model::Form& f, const std::string& name) {
  for (const auto& a : f.agencies) if (a.name == name) return &a;
  return nullptr;
}
std::vector<std::string> received(const askonce::model::Form& f, const askonce::model::Agency& a) {
  std::vector<std::string> out;
  for (const auto& r : a.receives) out.push_back(f.fields[r.field].id + (r.as.empty() ? "" : " as " + r.as));
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(change_of_address_goes_to_four_agencies_each_with_its_own_fields) {
  const auto r = compile_file("forms/change-of-address.form");
  BOOST_REQUIRE(r.form);
  const auto& f = *r.form;
  for (const char* name : {"ssa", "usps", "va", "irs"}) BOOST_TEST(agency(f, name) != nullptr, name);
  BOOST_REQUIRE(agency(f, "va") && agency(f, "irs") && agency(f, "ssa"));
  BOOST_TEST(agency(f, "va")->when.has_value());
  BOOST_TEST(agency(f, "irs")->when.has_value());
  BOOST_TEST(!agency(f, "ssa")->when.has_value());
  const auto irs = received(f, *agency(f, "irs"));
  BOOST_TEST(std::any_of(irs.begin(), irs.end(), [](const std::string& s) { return s.find(" as ") != std::string::npos; }));
}

BOOST_AUTO_TEST_CASE(every_shipped_agency_promises_a_standard_and_has_messages_in_english_and_spanish) {
  std::size_t agencies = 0;
  for (const auto& f : askonce::test::shipped_forms()) {
    const auto r = compile_file(f.generic_string());
    BOOST_REQUIRE(r.form);
    for (const auto& a : r.form->agencies) {
      BOOST_TEST_CONTEXT(f << ": " << a.name) {
        ++agencies;
        BOOST_TEST_REQUIRE(a.standard.has_value());
        BOOST_TEST(a.standard->amount >= 1u);
        BOOST_TEST(a.standard->amount <= 45u);  // days, as the agencies' own rules say
        BOOST_TEST(a.standard->text.count("en") == 1u);
        BOOST_TEST(a.standard->text.count("es") == 1u);
        BOOST_TEST(a.messages.size() >= 1u);
        for (const auto& m : a.messages) {
          BOOST_TEST(m.text.count("en") == 1u, m.name);
          BOOST_TEST(m.text.count("es") == 1u, m.name);
        }
      }
    }
  }
  BOOST_TEST(agencies == 9u);
}

BOOST_AUTO_TEST_CASE(the_definition_hash_covers_imports) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "askonce-hash-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "common");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; };
  write(dir / "common" / "b.form", "block b { text t \"T\" }\n");
  write(dir / "f.form", "use \"common/b.form\"\nform f { title \"F\" version 1 languages en\n"
                        "section s \"S\" { use b } }\n");
  const auto first = compile_file((dir / "f.form").string());
  BOOST_REQUIRE(first.form);
  BOOST_TEST(first.form->definition_hash.starts_with("sha256:"));
  BOOST_TEST(first.form->definition_hash.size() == 7u + 64u);
  BOOST_TEST(first.form->sources == (std::vector<std::string>{"f.form", "common/b.form"}), boost::test_tools::per_element());
  // The same definition, read from elsewhere, hashes the same.
  const auto again = compile_file((dir / "f.form").string());
  BOOST_TEST(again.form->definition_hash == first.form->definition_hash);
  // Changing only the import changes the hash.
  write(dir / "common" / "b.form", "block b { text t \"T2\" }\n");
  const auto changed = compile_file((dir / "f.form").string());
  BOOST_REQUIRE(changed.form);
  BOOST_TEST(changed.form->definition_hash != first.form->definition_hash);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_english_only_form_can_use_the_bilingual_shared_blocks) {
  // The shared blocks carry English and Spanish; a form in English alone uses them quietly.
  const auto r = askonce::dsl::compile_text("forms/english-only.form",
                                            "use \"common/person.form\"\n"
                                            "form english_only {\n  title \"English only\"\n  version 1\n  languages en\n"
                                            "  section s \"You\" {\n    use person\n  }\n}\n");
  BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
  BOOST_REQUIRE(r.form);
  for (const auto& f : r.form->fields) BOOST_TEST(f.label.count("es") == 0u, f.id);
}

// ---- VA 10-10EZ: the import, and what people add to it ---------------------------------------

namespace {

/// A field of the model's JSON (docs/dsl.md, "The model as JSON") with what people may word
/// differently taken out: texts, question numbers, sections and the names of blocks. What is
/// left is what a submission is checked against.
Poco::JSON::Object::Ptr meaning(const Poco::JSON::Object::Ptr& field) {
  auto out = new Poco::JSON::Object(*field);
  for (const char* key : {"label", "hint", "ask", "question", "section", "block"}) out->remove(key);
  if (out->has("unanswered")) out->set("unanswered", true);
  const auto keep = [&](const char* list, const char* key) {
    if (!out->has(list)) return;
    Poco::JSON::Array::Ptr kept = new Poco::JSON::Array;
    for (const auto& v : *out->getArray(list)) kept->add(v.extract<Poco::JSON::Object::Ptr>()->get(key));
    out->set(list, kept);
  };
  keep("options", "value");
  // A pattern or check is its rule and the condition it applies under ("if"); its message is
  // words.
  for (const char* list : {"patterns", "checks"}) {
    if (!out->has(list)) continue;
    Poco::JSON::Array::Ptr kept = new Poco::JSON::Array;
    for (const auto& v : *out->getArray(list)) {
      Poco::JSON::Object::Ptr rule = new Poco::JSON::Object(*v.extract<Poco::JSON::Object::Ptr>());
      rule->remove("message");
      kept->add(rule);
    }
    out->set(list, kept);
  }
  return out;
}

std::string json_text(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

std::vector<Poco::JSON::Object::Ptr> model_fields(const askonce::model::Form& form) {
  Poco::JSON::Parser parser;
  const auto o = parser.parse(askonce::model_json::to_json(form)).extract<Poco::JSON::Object::Ptr>();
  std::vector<Poco::JSON::Object::Ptr> out;
  for (const auto& f : *o->getArray("fields")) out.push_back(f.extract<Poco::JSON::Object::Ptr>());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(va_10_10ez_is_its_import_field_by_field_with_what_people_add) {
  // forms/va-10-10ez.form extends forms/imported/va-10-10ez.form (docs/dsl.md, "Building on an
  // imported form"). Every field of the import is in the served form, in the import's nesting
  // and order within each block and repeat, with the import's kind, bounds, options, patterns
  // and rules (the conditions of one alternative's rules among them); the served form adds
  // texts, three notes, and exactly the rules its header lists.
  const auto served = compile_file("forms/va-10-10ez.form");
  const auto imported = compile_file("forms/imported/va-10-10ez.form");
  BOOST_REQUIRE(served.form);
  BOOST_REQUIRE(imported.form);
  BOOST_TEST(served.form->sources == (std::vector<std::string>{"va-10-10ez.form", "imported/va-10-10ez.form"}),
             boost::test_tools::per_element());

  const std::set<std::string> notes{"demographics_note", "exposure_dates", "finances_note"};
  const std::set<std::string> required{"veteranFullName", "veteranAddress"};
  const std::set<std::string> sensitive{"veteranSocialSecurityNumber", "veteranDateOfBirth",
                                        "spouseSocialSecurityNumber",  "spouseDateOfBirth",
                                        "dependents.socialSecurityNumber", "dependents.dateOfBirth"};

  std::vector<Poco::JSON::Object::Ptr> mine;
  std::set<std::string> added_notes;
  for (const auto& f : model_fields(*served.form)) {
    if (f->getValue<std::string>("kind") == "note") {
      added_notes.insert(f->getValue<std::string>("id"));
      continue;
    }
    mine.push_back(f);
  }
  BOOST_TEST(added_notes == notes, boost::test_tools::per_element());
  // Top-level fields go where the served form places them; within each block and repeat the
  // order is the import's. Compare them by id, and the children lists as they are.
  std::map<std::string, Poco::JSON::Object::Ptr> by_id;
  for (const auto& f : mine) by_id[f->getValue<std::string>("id")] = f;
  const auto theirs = model_fields(*imported.form);
  BOOST_TEST(mine.size() == theirs.size());
  std::size_t compared = 0, sensitive_seen = 0;
  for (const auto& t : theirs) {
    const auto id = t->getValue<std::string>("id");
    BOOST_TEST_CONTEXT(id) {
      const auto it = by_id.find(id);
      BOOST_TEST_REQUIRE((it != by_id.end()));
      auto a = meaning(t);
      auto b = meaning(it->second);
      if (required.count(id) > 0) {
        BOOST_TEST(!a->has("required"));
        BOOST_TEST(b->optValue("required", false));
        b->remove("required");
      }
      if (sensitive.count(id) > 0) {
        BOOST_TEST(!a->has("sensitive"));
        BOOST_TEST(b->optValue("sensitive", false));
        b->remove("sensitive");
        ++sensitive_seen;
      }
      BOOST_TEST(json_text(a) == json_text(b));
      ++compared;
    }
  }
  BOOST_TEST(compared == 144u);  // the schema's 144 property paths
  BOOST_TEST(sensitive_seen == sensitive.size());
  // And agency `va` receives every top-level field of the import, under the same names.
  const auto* va = agency(*served.form, "va");
  BOOST_REQUIRE(va);
  std::set<std::string> top;
  for (const auto& t : theirs) {
    if (!t->has("parent")) top.insert(t->getValue<std::string>("id"));
  }
  const auto got = received(*served.form, *va);
  BOOST_TEST(std::set<std::string>(got.begin(), got.end()) == top, boost::test_tools::per_element());
}
