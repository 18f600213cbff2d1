// tests/forms_tests.cpp: the shipped forms compile clean, in every declared language.
#define BOOST_TEST_MODULE forms_tests
#include <boost/test/unit_test.hpp>

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
