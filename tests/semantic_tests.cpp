// tests/semantic_tests.cpp: the meaning of a form (dsl/semantic.cpp), through compile_text.
//
// Every S diagnostic with its exact code, message and position; the model a valid form
// compiles to (ids, kinds, types, questions, resolved references, computed order); recovery
// (several problems in one run) and no cascades (one mistake, one diagnostic).
#define BOOST_TEST_MODULE semantic_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/composites.hpp"
#include "engine/model_json.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "test_support.hpp"

using namespace askonce;
using model::Kind;
using model::Type;
using Lines = std::vector<std::string>;

namespace {

dsl::CompileResult compile(std::string text) {
  dsl::Options options;
  options.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return dsl::compile_text("test.form", std::move(text), options);
}

/// A form in English with one section; `body` starts on line 6.
std::string en_form(const std::string& body, const std::string& after = "") {
  return "form f {\n"
         "  title \"T\"\n"
         "  version 1\n"
         "  languages en\n"
         "  section s \"S\" {\n" +
         body + "  }\n" + after + "}\n";
}

Lines lines(const std::string& text) { return test::first_lines(compile(text)); }

std::vector<std::string> hints(const dsl::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.hint);
  return out;
}

const model::Field& field(const model::Form& form, const std::string& id) {
  for (const auto& f : form.fields) {
    if (f.id == id) return f;
  }
  BOOST_FAIL("no field " + id);
  return form.fields.front();
}

model::FieldId id_of(const model::Form& form, const std::string& id) {
  return static_cast<model::FieldId>(&field(form, id) - form.fields.data());
}

}  // namespace

// ---- valid forms: the model ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(blocks_repeats_and_composites_expand_in_form_order) {
  const auto r = compile(R"(block pet {
  text pet_name "Pet's name" es "Nombre" { required }
  date pet_birth "Born" es "Nacido" { check pet_birth < today() "Past." es "Pasado." }
}
form f {
  title "T" es "T"
  version 2
  languages en es
  section a "A" es "A" {
    use pet
    use pet as second_pet { show if has_second }
    yesno has_second "Second?" es "¿Segundo?"
    note intro "Read this." es "Lea esto."
  }
  section b "B" es "B" {
    address home "Home" es "Casa" { required }
    name who "Name" es "Nombre"
    repeat member "Person" es "Persona" {
      max 10
      money income "Income" es "Ingresos" { min 0 }
    }
    money total "Total" es "Total" { computed sum(member.income) }
  }
}
)");
  // Asked before the question it depends on: only a warning (S0210), which keeps the order
  // this test is about.
  BOOST_TEST(test::first_lines(r) ==
                 Lines{"11:37: warning[S0210]: 'show if' of 'second_pet' depends on 'has_second', which comes "
                       "later in the form"},
             boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  const auto& form = *r.form;
  std::vector<std::string> ids;
  for (const auto& f : form.fields) ids.push_back(f.id);
  const std::vector<std::string> expected{
      "pet", "pet.pet_name", "pet.pet_birth", "second_pet", "second_pet.pet_name", "second_pet.pet_birth",
      "has_second", "intro", "home", "home.street", "home.street2", "home.city", "home.state", "home.zip",
      "who", "who.first", "who.middle", "who.last", "who.suffix", "member", "member.income", "total"};
  BOOST_TEST(ids == expected, boost::test_tools::per_element());

  BOOST_TEST(form.version == 2);
  BOOST_TEST((form.languages == std::vector<std::string>{"en", "es"}));
  BOOST_TEST(form.title.at("en") == "T");
  BOOST_TEST(form.sections.size() == 2u);
  BOOST_TEST((form.sections[0].fields ==
              std::vector<model::FieldId>{id_of(form, "pet"), id_of(form, "second_pet"), id_of(form, "has_second"),
                                          id_of(form, "intro")}));

  const auto& pet = field(form, "pet");
  BOOST_TEST((pet.kind == Kind::Group));
  BOOST_TEST((pet.type == Type::Group));
  BOOST_TEST(pet.block == "pet");
  BOOST_TEST((pet.children == std::vector<model::FieldId>{1, 2}));
  BOOST_TEST(field(form, "second_pet").block == "pet");
  BOOST_TEST(field(form, "second_pet.pet_name").parent == id_of(form, "second_pet"));
  BOOST_TEST(field(form, "second_pet.pet_name").name == "pet_name");
  BOOST_TEST(field(form, "second_pet.pet_name").label.at("es") == "Nombre");
  BOOST_TEST(field(form, "second_pet.pet_name").required);

  // The block's check refers to the field of its own instance.
  const auto& birth2 = field(form, "second_pet.pet_birth");
  BOOST_REQUIRE(birth2.checks.size() == 1u);
  const auto& rule = birth2.checks[0].rule;
  BOOST_TEST((rule.op == model::Op::Lt));
  BOOST_TEST((rule.type == Type::Bool));
  BOOST_TEST(rule.args[0].field == id_of(form, "second_pet.pet_birth"));
  BOOST_TEST((rule.args[1].type == Type::Date));
  BOOST_TEST((rule.args[1].function == model::Function::Today));
  BOOST_TEST(field(form, "pet.pet_birth").checks[0].rule.args[0].field == id_of(form, "pet.pet_birth"));
  BOOST_REQUIRE(field(form, "second_pet").show_if);
  BOOST_TEST(field(form, "second_pet").show_if->field == id_of(form, "has_second"));

  // Composite parts: kinds, labels in both languages, required with the composite.
  const auto& state = field(form, "home.state");
  BOOST_TEST((state.kind == Kind::Choice));
  BOOST_TEST((state.type == Type::Text));
  BOOST_TEST(state.part == "state");
  BOOST_TEST(state.label.at("en") == "State");
  BOOST_TEST(state.label.at("es") == "Estado");
  BOOST_TEST(state.required);
  const auto& states = form.options_of(state);
  BOOST_TEST(states.size() == composites::us_states().size());
  BOOST_TEST(states.front().value == "AL");
  BOOST_TEST(states.front().label.at("es") == "Alabama");
  BOOST_TEST(!field(form, "home.street2").required);
  BOOST_TEST((field(form, "home.zip").kind == Kind::Zip));
  BOOST_TEST(field(form, "who.last").required == false);  // `who` is not required
  BOOST_TEST(field(form, "who.first").label.at("en") == "First name");

  // Repeats and their fields.
  BOOST_TEST((field(form, "member").kind == Kind::Repeat));
  BOOST_TEST((field(form, "member").type == Type::List));
  BOOST_TEST(std::get<model::Number>(field(form, "member").max).digits == "10");
  BOOST_TEST(field(form, "member.income").parent == id_of(form, "member"));
  BOOST_TEST(field(form, "member.income").section == 1u);
  BOOST_TEST(field(form, "total").computed->args[0].field == id_of(form, "member.income"));

  // Questions: everything that asks, once; not groups, repeats, notes, parts or computed.
  std::vector<std::pair<std::string, std::uint32_t>> questions;
  for (const auto& f : form.fields) {
    if (f.question) questions.emplace_back(f.id, f.question);
  }
  const std::vector<std::pair<std::string, std::uint32_t>> want{
      {"pet.pet_name", 1}, {"pet.pet_birth", 2}, {"second_pet.pet_name", 3}, {"second_pet.pet_birth", 4},
      {"has_second", 5},   {"home", 6},          {"who", 7},                 {"member.income", 8}};
  BOOST_TEST(questions.size() == want.size());
  for (std::size_t i = 0; i < std::min(questions.size(), want.size()); ++i) {
    BOOST_TEST(questions[i].first == want[i].first);
    BOOST_TEST(questions[i].second == want[i].second);
  }
  BOOST_TEST((field(form, "intro").type == Type::None));
  BOOST_TEST(field(form, "home.street").section == 1u);
}

BOOST_AUTO_TEST_CASE(types_of_fields_follow_the_reference_table) {
  const auto r = compile(en_form(R"(    text a "A"
    longtext b "B"
    integer c "C"
    decimal d "D"
    money e "E"
    date g "G"
    yesno h "H"
    choice i "I" { option x "X" }
    choices j "J" { option x "X" }
    email k "K"
    phone l "L"
    ssn m "M"
    ein n "N"
    zip o "O"
    url p "P"
    attest q "Q"
)"));
  BOOST_REQUIRE(r.form);
  const std::vector<Type> want{Type::Text,   Type::Text, Type::Number, Type::Number, Type::Number, Type::Date,
                               Type::Bool,   Type::Text, Type::Set,    Type::Text,   Type::Text,   Type::Text,
                               Type::Text,   Type::Text, Type::Text,   Type::Bool};
  BOOST_REQUIRE(r.form->fields.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) BOOST_TEST((r.form->fields[i].type == want[i]), "field " << i);
}

BOOST_AUTO_TEST_CASE(names_resolve_inside_out_and_by_full_path) {
  const auto r = compile(R"(block person {
  date birth "Born" { required }
  integer years "Age" { computed age(birth) }
  yesno adult "Adult" { computed years >= 18 and person.birth < today() }
}
form f {
  title "T"
  version 1
  languages en
  section s "S" {
    date birth "Your birth" { required }
    use person
    use person as spouse
    repeat kid "Child" {
      date birth "Child's birth"
      yesno young "Young" { computed birth > spouse.birth }
    }
    integer n "Kids" { computed count(kid) }
  }
}
)");
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  const auto& form = *r.form;
  // `birth` in the block instance `spouse` is spouse.birth, not the form's birth.
  BOOST_TEST(field(form, "spouse.years").computed->args[0].field == id_of(form, "spouse.birth"));
  BOOST_TEST(field(form, "person.years").computed->args[0].field == id_of(form, "person.birth"));
  // A full path works inside the block too.
  const auto& adult = *field(form, "spouse.adult").computed;
  BOOST_TEST(adult.args[1].args[0].field == id_of(form, "person.birth"));
  BOOST_TEST(adult.args[0].args[0].field == id_of(form, "spouse.years"));
  // In a repeat entry, `birth` is the entry's; outer fields by full path.
  const auto& young = *field(form, "kid.young").computed;
  BOOST_TEST(young.args[0].field == id_of(form, "kid.birth"));
  BOOST_TEST(young.args[1].field == id_of(form, "spouse.birth"));
  BOOST_TEST((field(form, "n").computed->type == Type::Number));
  BOOST_TEST((field(form, "n").computed->args[0].type == Type::List));
}

BOOST_AUTO_TEST_CASE(a_name_declared_later_in_its_scope_still_wins_over_an_outer_one) {
  // When `young` is expanded, only the form's `birth` exists; the entry's comes after it.
  const auto r = compile(en_form(R"(    date birth "Your birth"
    repeat kid "Child" {
      yesno young "Young" { computed birth > today() - 5 years }
      date birth "Child's birth"
    }
    yesno old "Old" { computed birth < today() - 80 years }
)"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  const auto& form = *r.form;
  BOOST_TEST(field(form, "kid.young").computed->args[0].field == id_of(form, "kid.birth"));
  BOOST_TEST(field(form, "old").computed->args[0].field == id_of(form, "birth"));
}

BOOST_AUTO_TEST_CASE(fields_share_the_options_of_one_list) {
  const auto r = compile("list sizes { option S \"Small\" option M \"Medium\" }\n" + en_form(R"(    choice a "A" { from sizes }
    choice b "B" { from sizes }
    choice c "C" { option x "X" }
    address home "Home"
    address work "Work"
    text t "T"
)"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  const auto& form = *r.form;
  BOOST_TEST(field(form, "a").option_list == field(form, "b").option_list);
  BOOST_TEST(form.option_lists[field(form, "a").option_list].name == "sizes");
  BOOST_TEST(form.options_of(field(form, "b")).size() == 2u);
  BOOST_TEST(form.options_of(field(form, "b"))[1].value == "M");
  BOOST_TEST(field(form, "c").option_list != field(form, "a").option_list);
  BOOST_TEST(form.option_lists[field(form, "c").option_list].name == "");
  BOOST_TEST(form.options_of(field(form, "c")).front().value == "x");
  BOOST_TEST(field(form, "home.state").option_list == field(form, "work.state").option_list);
  BOOST_TEST(form.options_of(field(form, "home.state")).size() == composites::us_states().size());
  BOOST_TEST((field(form, "t").option_list == model::no_list));
  BOOST_TEST(form.options_of(field(form, "t")).empty());
}

BOOST_AUTO_TEST_CASE(computed_order_puts_dependencies_first) {
  const auto r = compile(en_form(R"(    integer c "C" { computed b + 1 }
    integer b "B" { computed a * 2 }
    integer a "A"
    integer d "D" { computed c + b }
    yesno e "E" { computed d > 10 }
)"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  std::vector<std::string> order;
  for (auto f : r.form->computed_order) order.push_back(r.form->fields[f].id);
  BOOST_TEST(order == (std::vector<std::string>{"b", "c", "d", "e"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(expressions_of_every_allowed_shape_type_check) {
  const auto r = compile(en_form(R"(    date d "D"
    integer n "N"
    text t "T"
    choice k "K" { option a "A" option "b c" "B" option 7 "Seven" }
    choices cs "CS" { option red "Red" option blue "Blue" }
    repeat r "R" { money m "M" }
    yesno y1 "Y1" { show if d + 30 days > today() and d - 2 weeks <= 2024-02-29 }
    yesno y2 "Y2" { show if not (n * 2 / 3 - -1 >= 0.5) or n in [1, 2, 3] }
    yesno y3 "Y3" { show if k in ["a", "b c"] and k != "7" and t not in ["x"] }
    yesno y4 "Y4" { show if contains(cs, "red") and count(cs) < 2 and is_blank(r) and length(t) > 3 }
    yesno y5 "Y5" { show if age(d) >= 18 and sum(r.m) > 100 and 1 year < 2 months and is_blank(cs) }
)"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(agencies_resolve_receipts) {
  const auto r = compile(en_form(R"(    name who "Who" { required }
    yesno vet "Veteran?"
)",
                                 R"(  agency va "VA" {
    when vet
    receives who.last as LastName, vet, who as "Applicant/Name"
  }
)"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  BOOST_REQUIRE(r.form->agencies.size() == 1u);
  const auto& a = r.form->agencies[0];
  BOOST_TEST(a.name == "va");
  BOOST_REQUIRE(a.when);
  BOOST_TEST(a.when->field == id_of(*r.form, "vet"));
  BOOST_REQUIRE(a.receives.size() == 3u);
  BOOST_TEST(a.receives[0].field == id_of(*r.form, "who.last"));
  BOOST_TEST(a.receives[0].as == "LastName");
  BOOST_TEST(a.receives[1].as == "");
  BOOST_TEST(a.receives[1].path == "vet");
  BOOST_TEST(a.receives[2].as == "Applicant/Name");
}

BOOST_AUTO_TEST_CASE(a_library_file_compiles_to_no_form_without_errors) {
  const auto r = compile(R"(block contact {
  email email "Email" es "Correo" { required }
  phone phone "Phone" es "Teléfono" { show if is_blank(email) }
}
list yes_no_unsure { option yes "Yes" option no "No" option unsure "Not sure" }
)");
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_TEST(!r.form);
}

BOOST_AUTO_TEST_CASE(a_library_file_is_still_checked) {
  BOOST_TEST(lines(R"(block contact {
  email email "Email" { required }
  phone phone "Phone" { show if is_blank(emial) }
  text email "Again"
}
)") == (Lines{"3:42: error[S0104]: unknown field 'emial'", "4:8: error[S0101]: duplicate name 'email'"}),
             boost::test_tools::per_element());
}

// ---- S01: names ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s0101_duplicate_names) {
  const auto r = compile(R"(block b { text x "X" }
block b { text y "Y" }
list l { option a "A" }
list l { option b "B" }
form f {
  title "T"
  version 1
  languages en
  section s "S" {
    text email "Email"
    repeat r "R" { text email "Email in the repeat is fine" text x "X" text x "X again" }
  }
  section s "S again" {
    email email "Email again"
    use b as email
  }
}
)");
  BOOST_TEST(test::first_lines(r) == (Lines{"2:7: error[S0101]: duplicate block name 'b'",
                                            "4:6: error[S0101]: duplicate list name 'l'",
                                            "11:77: error[S0101]: duplicate name 'x'",
                                            "13:11: error[S0101]: duplicate section name 's'",
                                            "14:11: error[S0101]: duplicate name 'email'",
                                            "15:14: error[S0101]: duplicate name 'email'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[0] == "the first 'b' is at line 1");
  BOOST_TEST(hints(r)[4] == "the first 'email' is at line 10");
}

BOOST_AUTO_TEST_CASE(s0102_unknown_block_and_no_cascade) {
  const auto r = compile(en_form(R"(    use persn as spouse
    text x "X" { show if spouse.age > 3 }
)",
                                 "  block_never_written_here \"x\"\n"));
  // The agency-like junk after the section is a syntax error; only the S lines matter here.
  Lines s_lines;
  for (const auto& l : test::first_lines(r)) {
    if (l.find("[S") != std::string::npos) s_lines.push_back(l);
  }
  BOOST_TEST(s_lines == (Lines{"6:9: error[S0102]: unknown block 'persn'"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0102_did_you_mean) {
  const auto r = compile("block person { text n \"N\" }\n" + en_form("    use persn\n"));
  BOOST_TEST(test::first_lines(r) == (Lines{"7:9: error[S0102]: unknown block 'persn'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (Lines{"did you mean 'person'?"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0103_unknown_list) {
  const auto r = compile("list sizes { option S \"Small\" }\n" + en_form("    choice c \"C\" { from size }\n"));
  BOOST_TEST(test::first_lines(r) == (Lines{"7:25: error[S0103]: unknown list 'size'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (Lines{"did you mean 'sizes'?"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0104_unknown_field_once_with_did_you_mean) {
  const auto r = compile(en_form(R"(    date move_date "Moved"
    date return_date "Return" { show if retrun_date > move_date and retrun_date < today() }
    text t "T" { check length(nme) > 2 "Too short." }
    repeat r "R" { money inc "Income" }
    money m "M" { computed inc * 2 }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"7:41: error[S0104]: unknown field 'retrun_date'",
                                            "7:69: error[S0104]: unknown field 'retrun_date'",
                                            "8:31: error[S0104]: unknown field 'nme'",
                                            "10:28: error[S0104]: unknown field 'inc'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (Lines{"did you mean 'return_date'?", "did you mean 'return_date'?", "",
                                "did you mean 'r.inc'?"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0105_unknown_function) {
  const auto r = compile(en_form(R"(    date d "D"
    yesno y "Y" { show if agee(d) > 18 }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"7:27: error[S0105]: unknown function 'agee'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (Lines{"did you mean 'age'?"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0106_repeat_field_outside_its_repeat) {
  const auto r = compile(en_form(R"(    repeat member "Person" { money income "Income" text nm "Name" }
    yesno rich "Rich" { computed member.income > 1000 }
    text who "Who" { show if member.nm == "Ann" }
    money total "Total" { computed sum(member.income) }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{
                                         "7:34: error[S0106]: 'member.income' is inside the repeat 'member', which "
                                         "has many entries",
                                         "8:30: error[S0106]: 'member.nm' is inside the repeat 'member', which has "
                                         "many entries"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (Lines{"outside the repeat, use count(member) or sum(member.income)",
                                "outside the repeat, use count(member)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0107_note_in_an_expression) {
  BOOST_TEST(lines(en_form(R"(    note privacy "We keep your data safe."
    yesno y "Y" { show if is_blank(privacy) }
)")) == (Lines{"7:36: error[S0107]: 'privacy' is a note: it holds no value"}),
             boost::test_tools::per_element());
}

// ---- S02: types and circles --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s0201_type_errors) {
  BOOST_TEST(lines(en_form(R"(    date d "D"
    integer n "N"
    text t "T"
    address a "A"
    choice k "K" { option "1" "One" }
    choices cs "CS" { option x "X" }
    repeat r "R" { text rt "RT" }
    yesno y1 "Y1" { show if d > 3 }
    yesno y2 "Y2" { show if d + 3 > today() }
    yesno y3 "Y3" { show if t < "b" }
    yesno y4 "Y4" { show if n and true }
    yesno y5 "Y5" { show if not t }
    yesno y6 "Y6" { show if a == "x" }
    yesno y7 "Y7" { show if r > 1 }
    yesno y8 "Y8" { show if cs == "x" }
    yesno y9 "Y9" { show if k == 1 }
    yesno y10 "Y10" { show if age(t) > 1 and sum(n) > 1 and length(n) > 1 }
    yesno y11 "Y11" { show if n in [1, "2"] and t * 2 > 1 and -t == 1 }
)")) == (Lines{
              "13:29: error[S0201]: cannot compare a date with a number",
              "14:29: error[S0201]: cannot add a date and a number",
              "15:29: error[S0201]: only numbers, dates and durations can be ordered, not text",
              "16:29: error[S0201]: 'and' needs yes/no values, not a number",
              "17:33: error[S0201]: 'not' needs a yes/no value, not text",
              "18:29: error[S0201]: 'a' is a group of fields, not one value",
              "19:29: error[S0201]: 'r' is a repeat, not one value",
              "20:29: error[S0201]: 'cs' can hold several options, not one value",
              "21:29: error[S0201]: cannot compare text with a number",
              "22:35: error[S0201]: age() needs a date, not text",
              "22:50: error[S0201]: sum() needs a number field inside a repeat, such as sum(member.income)",
              "22:68: error[S0201]: length() needs text, not a number",
              "23:40: error[S0201]: cannot compare a number with text",
              "23:49: error[S0201]: cannot multiply text by a number",
              "23:63: error[S0201]: cannot negate text"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0201_hints) {
  const auto r = compile(en_form(R"(    date d "D"
    choice k "K" { option "1" "One" }
    address a "A"
    yesno y1 "Y1" { show if d + 3 > today() }
    yesno y2 "Y2" { show if k == 1 }
    yesno y3 "Y3" { show if a == "x" }
)"));
  BOOST_TEST(hints(r) == (Lines{"to move a date, use a duration such as '30 days'", "option values are text: write \"1\"",
                                "use one of its fields, such as 'a.street'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0202_conditions_must_be_yes_or_no) {
  BOOST_TEST(lines(en_form(R"(    integer m "M"
    integer n "N" { show if m + 1 required if "x" check n "Bad." }
)",
                           "  agency a \"A\" { when 3 receives n }\n")) ==
                 (Lines{"7:29: error[S0202]: 'show if' needs a yes/no condition, not a number",
                        "7:47: error[S0202]: 'required if' needs a yes/no condition, not text",
                        "7:57: error[S0202]: 'check' needs a yes/no condition, not a number",
                        "9:23: error[S0202]: 'when' needs a yes/no condition, not a number"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0203_computed_value_must_suit_its_field) {
  BOOST_TEST(lines(en_form(R"(    date d "D"
    integer years "Years" { computed d + 1 day }
    yesno adult "Adult" { computed age(d) }
    text label "Label" { computed age(d) >= 18 }
    decimal ok "OK" { computed age(d) / 2 }
)")) == (Lines{"7:38: error[S0203]: 'years' is a field of kind 'integer', but its computed value is a date",
                "8:36: error[S0203]: 'adult' is a field of kind 'yesno', but its computed value is a number",
                "9:35: error[S0203]: 'label' is a field of kind 'text', but its computed value is a yes/no value"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0204_wrong_number_of_arguments) {
  BOOST_TEST(lines(en_form(R"(    date d "D"
    yesno y "Y" { show if today(d) > d and age() > 1 and contains(d) }
)")) == (Lines{"7:27: error[S0204]: today() takes no arguments, not 1",
                "7:44: error[S0204]: age() takes 1 argument, not 0",
                "7:58: error[S0204]: contains() takes 2 arguments, not 1"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0205_choice_compared_with_a_value_that_is_not_an_option) {
  const auto r = compile("list sizes { option S \"Small\" option M \"Medium\" }\n" + en_form(R"(    choice kind "Kind" { option permanent "P" option temporary "T" }
    choices extras "Extras" { option wifi "Wi-Fi" }
    choice size "Size" { from sizes }
    date r "Return" { show if kind == "temprary" or kind in ["permanent", "forever"] }
    yesno w "W" { show if contains(extras, "wify") or size != "XL" or "temporary" == kind }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"10:39: error[S0205]: 'kind' has no option 'temprary'",
                                            "10:75: error[S0205]: 'kind' has no option 'forever'",
                                            "11:44: error[S0205]: 'extras' has no option 'wify'",
                                            "11:63: error[S0205]: 'size' has no option 'XL'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[0] == "did you mean 'temporary'?");
  BOOST_TEST(hints(r)[2] == "did you mean 'wifi'?");
}

BOOST_AUTO_TEST_CASE(s0206_circle_among_computed_fields) {
  const auto r = compile(en_form(R"(    integer a "A" { computed b + 1 }
    integer b "B" { computed c + 1 }
    integer c "C" { computed a + 1 }
    integer d "D" { computed d + 1 }
    integer e "E" { computed a + 1 }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"6:30: error[S0206]: computed fields use each other in a circle: a -> b -> c -> a",
                                            "9:30: error[S0206]: computed fields use each other in a circle: d -> d"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0207_circle_among_show_if_conditions) {
  BOOST_TEST(lines(R"(block pet { text nm "Name" }
form f {
  title "T"
  version 1
  languages en
  section s "S" {
    text a "A" { show if b == "x" }
    text b "B" { show if a == "y" }
    use pet { show if pet.nm == "Rex" }
    integer c "C" { computed length(d) }
    text d "D" { show if c > 1 }
  }
}
)") == (Lines{"7:26: error[S0207]: 'show if' conditions depend on each other in a circle: a -> b -> a",
               "9:23: error[S0207]: 'show if' conditions depend on each other in a circle: pet -> pet.nm -> pet",
               "11:26: error[S0207]: 'show if' conditions depend on each other in a circle: c -> d -> c"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0208_block_that_uses_itself) {
  BOOST_TEST(lines(R"(block a { text x "X" use b }
block b { use c }
block c { use a }
block d { use d }
form f {
  title "T"
  version 1
  languages en
  section s "S" { use a }
}
)") == (Lines{"3:15: error[S0208]: block 'a' uses itself: a -> b -> c -> a",
               "4:15: error[S0208]: block 'd' uses itself: d -> d"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0209_field_that_can_never_be_shown) {
  const auto r = compile(en_form(R"(    choice k "K" { option a "A" option b "B" }
    text x "X" { show if false }
    text y "Y" { show if k == "a" and k == "b" }
    text z "Z" { show if not (1 == 1) or false }
    text fine "Fine" { show if k == "a" or k == "b" }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"7:26: warning[S0209]: 'x' can never be shown: its 'show if' is always false",
                                            "8:26: warning[S0209]: 'y' can never be shown: its 'show if' is always false",
                                            "9:26: warning[S0209]: 'z' can never be shown: its 'show if' is always false"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.form.has_value());  // a warning does not stop the form
}

BOOST_AUTO_TEST_CASE(count_of_conditions_and_matches_are_typed) {
  // count(c1, c2, ...) takes conditions; matches(t, "REGEX") text and a regular expression
  // written as a string, checked as a pattern's is (S0307).
  BOOST_TEST(lines(en_form(R"(    text t "T"
    integer n "N"
    yesno ok "OK" { show if count(t == "a", n > 2, is_blank(t)) == 1 and matches(t, "[a-z]+") and count(n > 1) > 0 }
    yesno bad "Bad" { show if count(t, n > 1) > 0 or matches(t, t) or matches(n, "x") or matches(t, "(a") }
)")) == (Lines{"9:37: error[S0201]: count() of several things needs conditions, not text",
                "9:65: error[S0201]: matches() needs a regular expression, written as a string, second",
                "9:79: error[S0201]: matches() needs text first, not a number",
                "9:101: error[S0307]: the regular expression is not valid: missing ) (at offset 2)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0210_leaves_a_required_if_that_counts_the_cases_the_answers_fit) {
  // An imported schema's alternatives with the answer that chooses left blank: the answers
  // after it decide whether they fit one case, at the read-back. A `show if` that counts is
  // still reported: it decides whether to ask.
  const auto r = compile(en_form(R"(    choice country "Country" {
      required if count(is_blank(state) or state in ["ON"], is_blank(state) or matches(state, "[A-Z]{2}")) != 1
      option CAN "Canada"
      option USA "United States"
    }
    text note "Note" { show if count(is_blank(state), state == "ON") == 1 }
    text state "State"
)"));
  BOOST_TEST(test::first_lines(r) ==
                 (Lines{"11:47: warning[S0210]: 'show if' of 'note' depends on 'state', which comes later in the form"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0210_condition_on_a_later_question) {
  // Line 6 on: a show if, a required if, a composite's part, a computed field, a group and a
  // note, each depending on what comes after them; then what is in order, and is_blank; then
  // the `if` of a check and of patterns (line 20 on), where is_blank alone is left alone too.
  const auto r = compile(en_form(R"(    text a "A" { show if b == "x" }
    text b "B" { required if c }
    yesno c "C"
    address home "Home" { required if d }
    yesno d "D" { show if total > 2 }
    repeat kids "Child" { text name "Name" }
    integer total "Total" { computed count(kids) + count(pets) }
    repeat pets "Pet" { text name "Name" }
    note n "N" { show if e }
    yesno e "E"
    text f "F" { show if e required if is_blank(g) }
    text g "G" { required if is_blank(f) }
    text h "H" { show if is_blank(i) }
    text i "I"
    text j "J" { check length(j) < 5 "Short." if k == "x" }
    text k "K" { pattern "[a-z]+" "Letters." if l }
    yesno l "L"
    text m "M" { pattern "[0-9]+" "Digits." if is_blank(o) or o == "y" }
    text o "O" { pattern "[0-9]+" "Digits." if is_blank(p) }
    text p "P"
)"));
  BOOST_TEST(test::first_lines(r) ==
                 (Lines{"6:26: warning[S0210]: 'show if' of 'a' depends on 'b', which comes later in the form",
                        "7:30: warning[S0210]: 'required if' of 'b' depends on 'c', which comes later in the form",
                        "9:39: warning[S0210]: 'required if' of 'home' depends on 'd', which comes later in the form",
                        "10:27: warning[S0210]: 'show if' of 'd' uses 'total', which is worked out from 'pets', "
                        "which comes later in the form",
                        "14:26: warning[S0210]: 'show if' of 'n' depends on 'e', which comes later in the form",
                        "18:35: warning[S0210]: 'show if' of 'h' depends on 'i', which comes later in the form",
                        "20:50: warning[S0210]: the 'if' of a rule of 'j' depends on 'k', which comes later in the form",
                        "21:49: warning[S0210]: the 'if' of a rule of 'k' depends on 'l', which comes later in the form",
                        "23:63: warning[S0210]: the 'if' of a rule of 'm' depends on 'o', which comes later in the form"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.form.has_value());  // a warning does not stop the form
  // The hint names what to move.
  BOOST_TEST(r.diagnostics.front().hint == "every channel asks in form order: put 'b' before 'a'");
}

// ---- S03: field rules ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s0301_required_on_computed_or_note) {
  BOOST_TEST(lines(en_form(R"(    integer a "A"
    integer b "B" { computed a + 1 required }
    integer c "C" { required if a > 1 computed a * 2 }
    note n "Note" { required }
)")) == (Lines{"7:36: error[S0301]: a computed field cannot be required",
                "8:21: error[S0301]: a computed field cannot be required",
                "9:21: error[S0301]: a note cannot be required"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0311_unanswered_on_a_yes_no_that_must_be_answered) {
  BOOST_TEST(lines(en_form(R"(    yesno a "A" { required unanswered "No answer" }
    yesno b "B" { computed true unanswered "No answer" }
    yesno c "C" { required if a unanswered "No answer" }
    yesno d "D" { unanswered "No answer" }
    choice e "E" { option x "X" unanswered "No answer" }
    attest f "F" { unanswered "No answer" }
)")) == (Lines{"6:28: error[S0311]: 'a' is required, so it cannot be left unanswered",
                "7:33: error[S0311]: 'b' is computed, so it cannot be left unanswered",
                "10:33: error[S0302]: 'unanswered' does not apply to a field of kind 'choice'",
                "11:20: error[S0302]: 'unanswered' does not apply to a field of kind 'attest'"}),
             boost::test_tools::per_element());
  // The model keeps its text, in every language.
  const auto r = compile(en_form(R"(    yesno d "D" { unanswered "No answer" }
)"));
  BOOST_REQUIRE(r.form);
  BOOST_TEST(r.form->fields.at(0).unanswered.at("en") == "No answer");
}

BOOST_AUTO_TEST_CASE(s0302_property_that_does_not_apply) {
  BOOST_TEST(lines("block b { text x \"X\" }\n" + en_form(R"(    date d "D" { pattern "[0-9]+" "Digits." }
    yesno y "Y" { max 3 option a "A" }
    note n "N" { hint "H" }
    use b { hint "H" }
    repeat r "R" { default 3 text t "T" }
    address a "A" { computed 1 }
    integer c "C" { computed 1 default 2 }
)")) == (Lines{"7:18: error[S0302]: 'pattern' does not apply to a field of kind 'date'",
                "8:19: error[S0302]: 'max' does not apply to a field of kind 'yesno'",
                "8:25: error[S0302]: 'option' does not apply to a field of kind 'yesno'",
                "9:18: error[S0302]: 'hint' does not apply to a note",
                "10:13: error[S0302]: 'hint' does not apply to a 'use'",
                "11:20: error[S0302]: 'default' does not apply to a repeat",
                "12:21: error[S0302]: 'computed' does not apply to a field of kind 'address'",
                "13:32: error[S0302]: 'default' does not apply to a computed field"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ask_is_how_an_agent_asks_translated_and_not_on_a_statement) {
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  section s "S" es "S" {
    date birth "Date of birth" es "Fecha de nacimiento" {
      ask "What is your date of birth?" es "¿Cuál es su fecha de nacimiento?"
    }
    text other "Other" es "Otro" { ask "Anything else?" }
    attest ok "I agree." es "Acepto." { ask "Do you agree?" es "¿Acepta?" }
    note n "N" es "N" { ask "Hm?" es "¿Eh?" }
  }
}
)");
  BOOST_TEST(test::first_lines(r) == (Lines{"9:40: error[S0401]: missing 'es' translation",
                                            "10:41: error[S0302]: 'ask' does not apply to a field of kind 'attest'",
                                            "11:25: error[S0302]: 'ask' does not apply to a note"}),
             boost::test_tools::per_element());
  const auto good = compile(en_form(R"(    date birth "Date of birth" { ask "What is your date of birth?" }
)"));
  BOOST_REQUIRE(good.form);
  BOOST_TEST(good.form->fields[0].ask.at("en") == "What is your date of birth?");
}

BOOST_AUTO_TEST_CASE(s0303_duplicate_option_values) {
  BOOST_TEST(lines("list l {\n  option a \"A\"\n  option \"a\" \"A again\"\n}\n" +
                   en_form("    choice c \"C\" { option x \"X\" option 1 \"One\" option \"1\" \"Uno\" }\n")) ==
                 (Lines{"3:10: error[S0303]: option 'a' is given twice",
                        "10:55: error[S0303]: option '1' is given twice"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0304_property_given_twice) {
  const auto r = compile(en_form(R"(    text t "T" {
      max 3
      hint "H"
      max 4
      required
      required if t == "x"
      hint "H2"
    }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"9:7: error[S0304]: 'max' is given twice",
                                            "11:7: error[S0304]: 'required' is given twice",
                                            "12:7: error[S0304]: 'hint' is given twice"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[0] == "the first is at line 7");
}

BOOST_AUTO_TEST_CASE(s0305_bound_of_the_wrong_kind) {
  BOOST_TEST(lines(en_form(R"(    text t "T" { max 2.5 min -1 }
    integer i "I" { min 0.5 max 2024-01-01 }
    date d "D" { min 3 }
    repeat r "R" { max 1.5 text x "X" }
)")) == (Lines{"6:22: error[S0305]: 'max' must be a whole number, 0 or more (a length) for a field of kind 'text'",
                "6:30: error[S0305]: 'min' must be a whole number, 0 or more (a length) for a field of kind 'text'",
                "7:25: error[S0305]: 'min' must be a whole number for a field of kind 'integer'",
                "7:33: error[S0305]: 'max' must be a whole number for a field of kind 'integer'",
                "8:22: error[S0305]: 'min' must be a date for a field of kind 'date'",
                "9:24: error[S0305]: 'max' must be a whole number, 0 or more (a count) for a repeat"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0306_min_greater_than_max_compared_exactly) {
  BOOST_TEST(lines(en_form(R"(    money a "A" { min 10.5 max 9.99 }
    money b "B" { min 0.10 max 0.1 }
    decimal c "C" { min 100000000000000000000.000000001 max 100000000000000000000 }
    decimal e "E" { min -2 max -3 }
    decimal g "G" { min -3 max -2.5 }
    date d "D" { max 2000-01-01 min 2000-01-02 }
    text t "T" { min 10 max 9 }
)")) == (Lines{"6:28: error[S0306]: 'min' (10.5) is greater than 'max' (9.99)",
                "8:57: error[S0306]: 'min' (100000000000000000000.000000001) is greater than 'max' (100000000000000000000)",
                "9:28: error[S0306]: 'min' (-2) is greater than 'max' (-3)",
                "11:33: error[S0306]: 'min' (2000-01-02) is greater than 'max' (2000-01-01)",
                "12:25: error[S0306]: 'min' (10) is greater than 'max' (9)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0307_invalid_regular_expression) {
  BOOST_TEST(lines(en_form(R"(    text a "A" { pattern "[0-9" "Digits." }
    text b "B" { pattern "(a|b" "A or B." pattern "[A-Z]{2}" "Two capitals." }
)")) == (Lines{"6:26: error[S0307]: the pattern is not a valid regular expression: missing terminating ] for character "
                "class (at offset 4)",
                "7:26: error[S0307]: the pattern is not a valid regular expression: missing ) (at offset 4)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0308_choice_without_options) {
  BOOST_TEST(lines("list empty { }\n" + en_form(R"(    choice a "A"
    choices b "B" { required }
    choice c "C" { from empty }
)")) == (Lines{"7:12: error[S0308]: 'a' has no options", "8:13: error[S0308]: 'b' has no options",
                "9:20: error[S0308]: 'c' has no options"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0309_from_and_option_together) {
  BOOST_TEST(lines("list l { option a \"A\" }\n" + en_form("    choice c \"C\" { option b \"B\" from l }\n")) ==
                 (Lines{"7:33: error[S0309]: 'c' has both 'from' and 'option'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0310_default_that_does_not_suit) {
  const auto r = compile(en_form(R"(    date d "D" { default "today" }
    integer i "I" { default 1.5 }
    yesno y "Y" { default "yes" }
    choice c "C" { option permanent "P" default "permanant" }
    choice ok "OK" { option 1 "One" default 1 }
    money m "M" { default -12.50 }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"6:26: error[S0310]: the default of a field of kind 'date' must be a date",
                                            "7:29: error[S0310]: the default of a field of kind 'integer' must be a "
                                            "whole number",
                                            "8:27: error[S0310]: the default of a field of kind 'yesno' must be true "
                                            "or false",
                                            "9:49: error[S0310]: the default 'permanant' is not one of the options of "
                                            "'c'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[3] == "did you mean 'permanent'?");
}

// ---- S04: translations -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s0401_missing_translation_points_at_each_text) {
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es fr
  section s "S" es "S" fr "S" {
    text t "Name" es "Nombre" fr "Nom" { hint "Hint" fr "Aide" }
    choice c "C" es "C" fr "C" { option a "A" es "A" }
  }
}
)");
  BOOST_TEST(test::first_lines(r) == (Lines{"2:9: error[S0401]: missing 'fr' translation",
                                            "6:47: error[S0401]: missing 'es' translation",
                                            "7:43: error[S0401]: missing 'fr' translation"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0401_in_an_imported_block_points_into_that_file_once) {
  dsl::Options options;
  options.read_file = [](const std::string& path) -> std::optional<std::string> {
    if (path.ends_with("common.form")) return std::string("block person {\n  text nm \"Name\"\n}\n");
    return std::nullopt;
  };
  const auto r = dsl::compile_text("forms/test.form", R"(use "common.form"
form f {
  title "T" es "T"
  version 1
  languages en es
  section s "S" es "S" { use person use person as spouse }
}
)",
                                   options);
  BOOST_REQUIRE(r.diagnostics.size() == 1u);
  const auto& d = r.diagnostics[0];
  BOOST_TEST(d.code == "S0401");
  BOOST_TEST(d.message == "missing 'es' translation");
  BOOST_TEST(d.where.file == 1u);
  BOOST_TEST(d.where.line == 2u);
  BOOST_TEST(d.where.column == 11u);
}

BOOST_AUTO_TEST_CASE(s0402_string_in_an_undeclared_language_is_a_warning) {
  const auto r = compile(en_form("    text t \"Name\" de \"Name\"\n"));
  BOOST_TEST(test::first_lines(r) == (Lines{"6:19: warning[S0402]: 'de' is not one of the form's languages"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  BOOST_TEST(r.form->fields[0].label.count("de") == 0u);
  BOOST_TEST(r.form->fields[0].label.at("en") == "Name");
}

BOOST_AUTO_TEST_CASE(s0403_same_language_twice_in_one_text) {
  BOOST_TEST(lines(en_form("    text t \"Name\" en \"Full name\"\n")) ==
                 (Lines{"6:19: error[S0403]: this text has two 'en' strings"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0404_composite_labels_missing_for_a_language) {
  BOOST_TEST(lines(R"(form f {
  title "T" fr "T"
  version 1
  languages en fr
  section s "S" fr "S" {
    address home "Home" fr "Domicile"
    address work "Work" fr "Travail"
    name who "Who" fr "Qui"
  }
}
)") == (Lines{"6:5: error[S0404]: the parts of an address have no 'fr' labels",
               "8:5: error[S0404]: the parts of a name have no 'fr' labels"}),
             boost::test_tools::per_element());
}

// ---- S05: agencies ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s05_agency_rules) {
  const auto r = compile(en_form(R"(    name who "Who"
    note n "Note"
    text return_date "R"
)",
                                 R"(  agency a "A" {
    when retrun_date == "x"
    receives who, who.last as who, retrun_date, n, who
  }
  agency a "A again" { receives who }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"11:10: error[S0104]: unknown field 'retrun_date'",
                                            "12:31: error[S0502]: agency 'a' already receives a field as 'who'",
                                            "12:36: error[S0501]: unknown field 'retrun_date' in 'receives'",
                                            "12:49: error[S0505]: 'n' is a note: it holds no value to receive",
                                            "12:52: error[S0503]: agency 'a' receives 'who' twice",
                                            "14:10: error[S0504]: duplicate agency name 'a'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[2] == "did you mean 'return_date'?");
}

BOOST_AUTO_TEST_CASE(s0502_a_fields_own_name_after_an_as_that_took_it) {
  const auto r = compile(en_form(R"(    text a "A"
    text b "B"
)",
                                 R"(  agency x "X" { receives a as b, b }
)"));
  BOOST_TEST(test::first_lines(r) == (Lines{"9:35: error[S0502]: agency 'x' already receives a field as 'b'"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[0] == "the first is at line 9");
}

// ---- S05: an agency's service standard and messages --------------------------------------------------

BOOST_AUTO_TEST_CASE(an_agencys_standard_and_messages_are_in_the_model) {
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  section s "S" es "S" {
    text a "A" es "A"
  }
  agency x "X" es "X" {
    message need_proof "Send a proof." es "Envíe una prueba."
    standard 10 working days "Within 10 working days." es "En 10 días hábiles."
    receives a
    message wrong_address "Check the address." es "Revise la dirección."
  }
  agency y "Y" es "Y" {
    receives a
    standard 3650 days "Within 3,650 days." es "En 3650 días."
    message need_proof "Another agency's own." es "El de otra agencia."
  }
  agency z "Z" es "Z" { receives a }
}
)");
  BOOST_TEST_REQUIRE(!r.has_errors(), dsl::format_diagnostics(r));
  BOOST_TEST(r.diagnostics.empty(), dsl::format_diagnostics(r));
  const auto& x = r.form->agencies.at(0);
  BOOST_TEST_REQUIRE(x.standard.has_value());
  BOOST_TEST(x.standard->amount == 10u);
  BOOST_TEST((x.standard->unit == model::ServiceStandard::Unit::WorkingDays));
  BOOST_TEST(x.standard->text.at("en") == "Within 10 working days.");
  BOOST_TEST(x.standard->text.at("es") == "En 10 días hábiles.");
  BOOST_TEST(x.standard->where.line == 10u);
  BOOST_TEST_REQUIRE(x.messages.size() == 2u);
  BOOST_TEST(x.messages[0].name == "need_proof");
  BOOST_TEST(x.messages[0].text.at("es") == "Envíe una prueba.");
  BOOST_TEST(x.messages[1].name == "wrong_address");
  BOOST_TEST(x.receives.size() == 1u);
  const auto& y = r.form->agencies.at(1);
  BOOST_TEST_REQUIRE(y.standard.has_value());
  BOOST_TEST(y.standard->amount == 3650u);
  BOOST_TEST((y.standard->unit == model::ServiceStandard::Unit::Days));
  BOOST_TEST(y.messages.size() == 1u);  // the same name as another agency's: its own
  BOOST_TEST(!r.form->agencies.at(2).standard.has_value());
  BOOST_TEST(r.form->agencies.at(2).messages.empty());
}

BOOST_AUTO_TEST_CASE(s0512_to_s0515_and_untranslated_standards_and_messages) {
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  section s "S" es "S" {
    text a "A" es "A"
  }
  agency x "X" es "X" {
    receives a
    standard 0 days "Within 0 days." es "En 0 días."
    standard 1 day "Within 1 day." es "En 1 día."
    message m "M" es "M"
    message m "M again" es "M otra vez"
    message n "Not translated"
  }
  agency y "Y" es "Y" {
    receives a
    standard 3651 working days "Within 3651 working days." es "En 3651 días hábiles."
  }
  agency z "Z" es "Z" {
    receives a
    standard 12345678901 days "Forever." es "Siempre."
  }
  agency w "W" es "W" {
    receives a
    standard 30 days "Within a month." es "Dentro de treinta días."
  }
  agency v "V" es "V" {
    receives a
    standard 5 working days "Within 5 working days, or 15 if we need more." es "En 15 o 5 días hábiles."
    standard 6 days "Within 6 days."
  }
}
)");
  BOOST_TEST(test::first_lines(r) ==
                 (Lines{"10:14: error[S0512]: a service standard must be from 1 to 3,650 days",
                        "11:5: error[S0513]: agency 'x' already has a standard",
                        "13:13: error[S0514]: agency 'x' already has a message 'm'",
                        "14:15: error[S0401]: missing 'es' translation",
                        "18:14: error[S0512]: a service standard must be from 1 to 3,650 working days",
                        "22:14: error[S0512]: a service standard must be from 1 to 3,650 days",
                        "26:22: warning[S0515]: this text does not say 30: the standard promises 30 days",
                        "26:40: warning[S0515]: this text does not say 30: the standard promises 30 days",
                        "31:5: error[S0513]: agency 'v' already has a standard"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r)[1] == "the first is at line 10; an agency makes one promise");
  BOOST_TEST(hints(r)[2] == "the first is at line 12");
  BOOST_TEST(hints(r)[6] == "the clock counts 30 days; write the same number for the citizen");
  // A wrong amount is not kept as a promise the clock could count.
  BOOST_TEST_REQUIRE(!r.form);
}

BOOST_AUTO_TEST_CASE(a_standards_number_in_digits_with_a_thousands_separator_is_found) {
  const auto r = compile(R"(form f {
  title "T"
  version 1
  languages en
  section s "S" {
    text a "A"
  }
  agency x "X" {
    receives a
    standard 1000 days "Within 1,000 days."
  }
}
)");
  BOOST_TEST(dsl::format_diagnostics(r) == "");
}

// ---- S07: form settings ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(s07_form_settings) {
  BOOST_TEST(lines(R"(form f {
  version 0
  languages en es en pt-BR es-419 en-GBR
  title "T" es "T" pt-BR "T" es-419 "T"
  title "Again"
  section s "S" es "S" pt-BR "S" es-419 "S" { text t "T" es "T" pt-BR "T" es-419 "T" }
}
form g { title "G" version 1 languages en }
)") == (Lines{"2:3: error[S0704]: the version must be 1 or more",
               "3:19: error[S0706]: the language 'en' is listed twice",
               "3:35: error[S0705]: 'en-GBR' is not a language code",
               "5:3: error[S0703]: 'title' is given twice",
               "8:6: error[S0701]: a file can hold only one form"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s07_start_page_settings) {
  // Each start-page text is translated like every text, each setting given once (`apply` once
  // per way), and the model holds them in the form's languages.
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  purpose "For moving." es "Para mudarse."
  eligibility "Anyone." es "Cualquiera."
  needs {
    "Your SSN" es "Su SSN"
    "Your address"
  }
  duration "About 5 minutes" es "Unos 5 minutos"
  apply phone "Call." es "Llame."
  apply phone "Call again." es "Llame otra vez."
  apply mail "Mail it."
  needs { "More" es "Más" }
  section s "S" es "S" { text t "T" es "T" }
}
)");
  BOOST_TEST(test::first_lines(r) == (Lines{"9:5: error[S0401]: missing 'es' translation",
                                            "13:3: error[S0703]: 'apply phone' is given twice",
                                            "14:14: error[S0401]: missing 'es' translation",
                                            "15:3: error[S0703]: 'needs' is given twice"}),
             boost::test_tools::per_element());

  const auto ok = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  purpose "For moving." es "Para mudarse."
  eligibility "Anyone." es "Cualquiera."
  needs { "Your SSN" es "Su SSN"  "Your address" es "Su dirección" }
  duration "About 5 minutes" es "Unos 5 minutos"
  apply phone "Call." es "Llame."
  apply in_person "Come." es "Venga."
  apply mail "Mail it." es "Envíelo."
  section s "S" es "S" { text t "T" es "T" }
}
)");
  BOOST_REQUIRE_MESSAGE(ok.form, askonce::dsl::format_diagnostics(ok));
  const auto& f = *ok.form;
  BOOST_TEST(f.purpose.at("es") == "Para mudarse.");
  BOOST_TEST(f.eligibility.at("en") == "Anyone.");
  BOOST_REQUIRE(f.needs.size() == 2u);
  BOOST_TEST(f.needs[1].at("es") == "Su dirección");
  BOOST_TEST(f.duration.at("en") == "About 5 minutes");
  BOOST_TEST(f.apply_phone.at("es") == "Llame.");
  BOOST_TEST(f.apply_in_person.at("en") == "Come.");
  BOOST_TEST(f.apply_mail.at("es") == "Envíelo.");
}

BOOST_AUTO_TEST_CASE(s07_paper_form_settings) {
  // The paper form's settings: texts translated like every text, the phone and OMB numbers
  // checked (S0731, S0732), the expiry a real date (P0205), the burden's minutes in range
  // (S0733), each setting once, and the rest of the form still read after an error.
  const auto r = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  paper mail_to "PO Box 1\nTown" es "Apartado 1\nPueblo"
  paper hours "Weekdays."
  paper phone "555-0100 ext 2"
  paper omb "2900-0091" expires 2027-02-30
  paper omb "29000091" expires 2027-09-30
  paper burden 10001 minutes
  paper burden "Ten minutes." es "Diez minutos."
  paper privacy "We keep it." es "Lo guardamos."
  paper phone "(877) 222-8387"
  paper burden 45
  section s "S" es "S" { text t "T" es "T" }
}
)");
  BOOST_TEST(test::first_lines(r) == (Lines{"6:15: error[S0401]: missing 'es' translation",
                                            "7:15: error[S0731]: '555-0100 ext 2' is not a phone number",
                                            "8:33: error[P0205]: 2027-02-30 is not a real date",
                                            "9:13: error[S0732]: '29000091' is not an OMB control number",
                                            "10:3: error[S0733]: the burden must be from 1 to 10,000 minutes",
                                            "11:3: error[S0703]: 'paper burden' is given twice",
                                            "13:3: error[S0703]: 'paper phone' is given twice",
                                            "15:3: error[P0109]: expected 'minutes' after the number, like: paper burden 45 minutes"}),
             boost::test_tools::per_element());

  const auto ok = compile(R"(form f {
  title "T" es "T"
  version 1
  languages en es
  paper mail_to "PO Box 1\nTown" es "Apartado 1\nPueblo"
  paper phone "+1 (877) 222-8387"
  paper hours "Weekdays." es "Entre semana."
  paper omb "2900-0091" expires 2027-09-30
  paper privacy "We keep it." es "Lo guardamos."
  paper burden 45 minutes
  section s "S" es "S" { text t "T" es "T" }
}
)");
  BOOST_REQUIRE_MESSAGE(ok.form, askonce::dsl::format_diagnostics(ok));
  const auto& p = ok.form->paper;
  BOOST_TEST(p.mail_to.at("en") == "PO Box 1\nTown");
  BOOST_TEST(p.mail_to.at("es") == "Apartado 1\nPueblo");
  BOOST_TEST(p.phone == "+1 (877) 222-8387");
  BOOST_TEST(p.hours.at("es") == "Entre semana.");
  BOOST_TEST(p.omb_number == "2900-0091");
  BOOST_TEST_REQUIRE(p.omb_expires.has_value());
  BOOST_TEST((*p.omb_expires == model::Date{2027, 9, 30}));
  BOOST_TEST(p.privacy.at("en") == "We keep it.");
  BOOST_TEST(p.burden.empty());
  BOOST_TEST(p.burden_minutes == 45);

  // The burden as the agency words it, instead of minutes.
  const auto worded = compile("form f {\n  title \"T\"\n  version 1\n  languages en\n  paper burden \"About an hour.\"\n"
                              "  section s \"S\" { text t \"T\" }\n}\n");
  BOOST_REQUIRE_MESSAGE(worded.form, askonce::dsl::format_diagnostics(worded));
  BOOST_TEST(worded.form->paper.burden.at("en") == "About an hour.");
  BOOST_TEST(worded.form->paper.burden_minutes == 0);
}

BOOST_AUTO_TEST_CASE(s0702_missing_settings) {
  BOOST_TEST(lines("form f {\n  section s \"S\" { text t \"T\" }\n}\n") ==
                 (Lines{"1:6: error[S0702]: the form has no 'title'", "1:6: error[S0702]: the form has no 'version'",
                        "1:6: error[S0702]: the form has no 'languages'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0707_blocks_nested_too_deep) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "block b" + std::to_string(i) + " { use b" + std::to_string(i + 1) + " }\n";
  text += "block b40 { text x \"X\" }\n";
  text += en_form("    use b0\n");
  BOOST_TEST(lines(text) == (Lines{"32:17: error[S0707]: blocks are used inside each other more than 32 deep"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(s0708_too_many_fields_after_expansion_is_refused_quickly) {
  // Each block uses the next twice: 2^20 fields if nothing stopped it.
  std::string text;
  for (int i = 0; i < 20; ++i) {
    const auto next = std::to_string(i + 1);
    text += "block b" + std::to_string(i) + " { use b" + next + " use b" + next + " as again }\n";
  }
  text += "block b20 { text x \"X\" }\n";
  text += en_form("    use b0\n");
  const auto start = std::chrono::steady_clock::now();
  const auto out = lines(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(out == (Lines{"27:5: error[S0708]: the form has more than 100000 fields once its blocks are expanded"}),
             boost::test_tools::per_element());
  BOOST_TEST(elapsed < std::chrono::seconds(5));
}

// ---- recovery and cascades ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(several_problems_are_reported_in_one_run_in_source_order) {
  BOOST_TEST(lines(en_form(R"(    integer a "A" { computed b + 1 required }
    text t "T" { pattern "(" "x" show if unknown_one }
    date d "D" { min 5 show if t > 3 }
)",
                           "  agency x \"X\" { receives nope }\n")) ==
                 (Lines{"6:30: error[S0104]: unknown field 'b'",
                        "6:36: error[S0301]: a computed field cannot be required",
                        "7:26: error[S0307]: the pattern is not a valid regular expression: missing ) (at offset 1)",
                        "7:42: error[S0104]: unknown field 'unknown_one'",
                        "8:22: error[S0305]: 'min' must be a date for a field of kind 'date'",
                        "8:32: error[S0201]: cannot compare text with a number",
                        "10:27: error[S0501]: unknown field 'nope' in 'receives'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unknown_field_gives_one_error_not_a_cascade) {
  BOOST_TEST(lines(en_form(R"(    integer n "N"
    integer c "C" { computed (nope + 1) * 2 - n }
    yesno y "Y" { show if c > 1 and not (nope == 3) and age(nope) > 1 }
)")) == (Lines{"7:31: error[S0104]: unknown field 'nope'", "8:42: error[S0104]: unknown field 'nope'",
                "8:61: error[S0104]: unknown field 'nope'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_block_used_twice_reports_its_problems_once) {
  BOOST_TEST(lines(R"(block b {
  date d "D" { check d > 3 "Too early." show if d == d }
}
form f {
  title "T"
  version 1
  languages en
  section s "S" { use b use b as c }
}
)") == (Lines{"2:22: error[S0201]: cannot compare a date with a number",
               "2:49: error[S0207]: 'show if' conditions depend on each other in a circle: b.d -> b.d"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(five_thousand_fields_analyze_quickly) {
  std::string body;
  for (int i = 0; i < 5000; ++i) {
    const auto n = std::to_string(i);
    switch (i % 4) {
      case 0: body += "    text t" + n + " \"T\" { required max 100 }\n"; break;
      case 1: body += "    integer n" + n + " \"N\" { min 0 show if t" + std::to_string(i - 1) + " != \"x\" }\n"; break;
      case 2: body += "    choice c" + n + " \"C\" { option a \"A\" option b \"B\" }\n"; break;
      default: body += "    integer k" + n + " \"K\" { computed n" + std::to_string(i - 2) + " * 2 }\n"; break;
    }
  }
  const auto text = en_form(body);
  const auto start = std::chrono::steady_clock::now();
  const auto r = compile(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(r.diagnostics.empty());
  BOOST_REQUIRE(r.form);
  BOOST_TEST(r.form->fields.size() == 5000u);
  BOOST_TEST(r.form->computed_order.size() == 1250u);
  // Generous: a Debug build on a busy machine. bench/compile measures the real target.
  BOOST_TEST(elapsed < std::chrono::seconds(2));
}

// ---- an agency's XML settings ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(xml_settings_reach_the_model) {
  const auto r = compile(en_form("    text a \"A\"\n    yesno c \"C\"\n",
                                 "  agency x \"X\" {\n"
                                 "    receives a as \"G:Top/G:A\", c as \"G:Flag\"\n"
                                 "    xml {\n      root \"G:Root\"\n      namespace G \"urn:g\"\n      namespace \"\" \"urn:d\"\n"
                                 "      attribute \"G:V\" \"1.0\"\n      yes \"Y: Yes\"\n      no \"N: No\"\n    }\n  }\n"));
  BOOST_TEST(askonce::dsl::format_diagnostics(r) == "");
  BOOST_REQUIRE(r.form);
  const auto& x = r.form->agencies.at(0).xml;
  BOOST_TEST(x.root == "G:Root");
  BOOST_REQUIRE(x.namespaces.size() == 2u);
  BOOST_TEST(x.namespaces[0].prefix == "G");
  BOOST_TEST(x.namespaces[0].uri == "urn:g");
  BOOST_TEST(x.namespaces[1].prefix == "");
  BOOST_REQUIRE(x.attributes.size() == 1u);
  BOOST_TEST(x.attributes[0].name == "G:V");
  BOOST_TEST(x.attributes[0].value == "1.0");
  BOOST_TEST(x.yes == "Y: Yes");
  BOOST_TEST(x.no == "N: No");
}

BOOST_AUTO_TEST_CASE(xml_defaults_without_settings) {
  const auto r = compile(en_form("    text a \"A\"\n", "  agency x \"X\" { receives a }\n"));
  BOOST_REQUIRE(r.form);
  const auto& x = r.form->agencies.at(0).xml;
  BOOST_TEST(x.root.empty());
  BOOST_TEST(x.yes == "true");
  BOOST_TEST(x.no == "false");
}

BOOST_AUTO_TEST_CASE(xml_settings_given_twice) {
  BOOST_TEST(lines(en_form("    text a \"A\"\n", "  agency x \"X\" {\n    receives a\n    xml {\n      root \"R\"\n      root \"Q\"\n"
                                               "      attribute \"v\" \"1\"\n      attribute \"v\" \"2\"\n    }\n  }\n")) ==
                 (Lines{"12:7: error[S0506]: 'root' is given twice", "14:7: error[S0506]: the attribute 'v' is given twice"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(xml_names_must_be_valid) {
  BOOST_TEST(lines(en_form("    text a \"A\"\n    text b \"B\"\n",
                           "  agency x \"X\" {\n    receives a as \"1st\", b as \"ok/bad name\"\n    xml { root \"a b\" }\n  }\n")) ==
                 (Lines{"10:14: error[S0507]: '1st' is not a valid XML element path",
                        "10:26: error[S0507]: 'ok/bad name' is not a valid XML element path",
                        "11:16: error[S0507]: 'a b' is not a valid XML name"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(xml_prefixes_must_be_declared_once) {
  BOOST_TEST(lines(en_form("    text a \"A\"\n", "  agency x \"X\" {\n    receives a as \"P:A\"\n"
                                               "    xml {\n      namespace Q \"urn:q\"\n      namespace Q \"urn:q2\"\n    }\n  }\n")) ==
                 (Lines{"9:14: error[S0508]: the namespace prefix 'P' is not declared",
                        "12:7: error[S0509]: the namespace prefix 'Q' is declared twice"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(xml_yes_and_no_must_differ) {
  BOOST_TEST(lines(en_form("    yesno a \"A\"\n", "  agency x \"X\" {\n    receives a\n    xml { yes \"1\" no \"1\" }\n  }\n")) ==
                 (Lines{"10:5: error[S0510]: 'yes' and 'no' are written the same way"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_xml_element_is_a_value_or_a_parent_not_both) {
  BOOST_TEST(lines(en_form("    text a \"A\"\n    text b \"B\"\n", "  agency x \"X\" {\n    receives a as \"Top\", b as \"Top/Inner\"\n  }\n")) ==
                 (Lines{"10:26: error[S0511]: 'Top' is both a value and an element holding others in the XML view"}),
             boost::test_tools::per_element());
}

// ---- Conditions that can never hold (S0209, S0211) ------------------------------------------

BOOST_AUTO_TEST_CASE(conditions_that_can_never_hold_are_warned_wherever_they_are) {
  const std::string body =
      "    integer age \"Age\"\n"                                                         // 6
      "    choice kind \"Kind\" {\n      option a \"A\"\n      option b \"B\"\n    }\n"   // 7-10
      "    text x \"X\"\n"                                                                // 11
      "    text t1 \"T1\" { show if age < 18 and age >= 65 }\n"                           // 12
      "    text t2 \"T2\" { show if kind == \"a\" and kind == \"b\" }\n"                  // 13
      "    text t3 \"T3\" { show if x == \"a\" and not (x == \"a\") }\n"                  // 14
      "    text t4 \"T4\" { show if age > 1 and age < 2 or kind in [\"a\"] and kind not in [\"a\", \"b\"] }\n"  // 15
      "    text t5 \"T5\" { required if kind != \"a\" and kind != \"b\" }\n"              // 16
      "    integer t6 \"T6\" { check t6 > 3 and t6 <= 3 \"Too big.\" }\n"                 // 17
      "    text t7 \"T7\" { show if is_blank(x) and x == \"b\" }\n";                      // 18
  const std::string after = "  agency ag \"Agency\" {\n    when age >= 18 and age < 18\n    receives age\n  }\n";
  BOOST_TEST(lines(en_form(body, after)) ==
                 (Lines{"12:28: warning[S0209]: 't1' can never be shown: its 'show if' is always false",
                        "13:28: warning[S0209]: 't2' can never be shown: its 'show if' is always false",
                        "14:28: warning[S0209]: 't3' can never be shown: its 'show if' is always false",
                        "15:28: warning[S0209]: 't4' can never be shown: its 'show if' is always false",
                        "16:32: warning[S0211]: 't5' can never be required: its 'required if' can never hold",
                        "17:29: warning[S0211]: this check of 't6' can never hold, so it refuses every answer",
                        "18:28: warning[S0209]: 't7' can never be shown: its 'show if' is always false",
                        "21:10: warning[S0211]: agency 'ag' can never receive anything: its 'when' can never hold"}),
             boost::test_tools::per_element());
  // What can hold is not warned: a decimal between 1 and 2, a whole number from 1 to 2, a
  // choice that is not one option, a text that is not two values, a blank text.
  BOOST_TEST(lines(en_form("    integer n \"N\"\n    decimal d \"D\"\n    choice c \"C\" {\n      option a \"A\"\n"
                           "      option b \"B\"\n    }\n    text x \"X\"\n"
                           "    text t1 \"T1\" { show if d > 1 and d < 2 }\n"
                           "    text t2 \"T2\" { show if n >= 1 and n <= 2 and n != 1 }\n"
                           "    text t3 \"T3\" { show if c != \"a\" and not (c == \"a\") }\n"
                           "    text t4 \"T4\" { show if x != \"a\" and x != \"b\" }\n"
                           "    text t5 \"T5\" { show if is_blank(x) and not (n == 1) }\n")) == Lines{});
}

namespace {

/// One field of the brute-force probe: its name, its values as JSON ("" for blank), and how
/// atoms on it are written.
struct ProbeField {
  const char* name;
  std::vector<std::string> values;  // JSON texts; "" is blank (left out)
  std::vector<std::string> literals;
  bool ordered;  // numbers and dates: <, <=, >, >=
  bool boolean;
};

const std::vector<ProbeField>& probe_fields() {
  static const std::vector<ProbeField> fields = {
      {"n", {"", "-1", "0", "1", "2", "3", "4"}, {"0", "1", "2", "3"}, true, false},
      {"d", {"", "-1", "-0.5", "0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"}, {"0", "1", "2", "3"}, true, false},
      {"t",
       {"", "\"2023-12-31\"", "\"2024-01-01\"", "\"2024-01-02\"", "\"2024-01-03\"", "\"2024-01-04\"", "\"2024-01-05\""},
       {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"},
       true,
       false},
      {"c", {"", "\"a\"", "\"b\"", "\"c\""}, {"\"a\"", "\"b\"", "\"c\""}, false, false},
      {"x", {"", "\"a\"", "\"b\"", "\"z\""}, {"\"a\"", "\"b\""}, false, false},
      {"y", {"", "true", "false"}, {"true", "false"}, false, true},
  };
  return fields;
}

/// A random comparison of field `f` with literals, possibly negated.
std::string random_atom(const ProbeField& f, std::mt19937& rng) {
  auto pick = [&](const auto& v) { return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)]; };
  const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
  std::string atom;
  const std::string name = f.name;
  if (kind == 0) {
    atom = "is_blank(" + name + ")";
  } else if (f.boolean && kind < 4) {
    atom = name;
  } else if (kind == 9 || (kind == 8 && !f.ordered)) {
    // Membership, `in` or `not in`, for every kind but yes/no.
    if (f.boolean) {
      atom = name + " == " + pick(f.literals);
    } else {
      const std::string a = pick(f.literals), b = pick(f.literals);
      const bool in = std::uniform_int_distribution<int>(0, 1)(rng) == 0;
      atom = name + (in ? " in [" : " not in [") + a + ", " + b + "]";
    }
  } else {
    static const std::vector<std::string> all_ops = {"==", "!=", "<", "<=", ">", ">="};
    static const std::vector<std::string> eq_ops = {"==", "!="};
    const std::string op = pick(f.ordered ? all_ops : eq_ops);
    const std::string lit = pick(f.literals);
    atom = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? lit + " " + op + " " + name : name + " " + op + " " + lit;
  }
  if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) atom = "not (" + atom + ")";
  return atom;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_condition_is_warned_exactly_when_no_answers_make_it_true) {
  // Generated conditions on one or two fields: conjunctions of comparisons with literals
  // (negated or not, blank tests among them), and now and then two such joined by `or`. Each is
  // the `show if` of a required question; the engine's own evaluator (through validate_json)
  // decides, for every answer in a small domain around the literals, whether the question is
  // asked. The compiler must warn (S0209) exactly when no answer makes the condition true.
  std::mt19937 rng(14);
  const auto& fields = probe_fields();
  std::size_t warned = 0, not_warned = 0;
  const auto today = engine::Context::on(model::Date{2024, 5, 1});
  for (int round = 0; round < 400; ++round) {
    // One or two fields.
    std::vector<std::size_t> used = {std::uniform_int_distribution<std::size_t>(0, fields.size() - 1)(rng)};
    if (std::uniform_int_distribution<int>(0, 1)(rng) == 0) {
      std::size_t other = std::uniform_int_distribution<std::size_t>(0, fields.size() - 1)(rng);
      if (other != used[0]) used.push_back(other);
    }
    auto conjunction = [&] {
      const int atoms = std::uniform_int_distribution<int>(2, 4)(rng);
      std::string c;
      for (int i = 0; i < atoms; ++i) {
        const auto& f = fields[used[std::uniform_int_distribution<std::size_t>(0, used.size() - 1)(rng)]];
        c += (i ? " and " : "") + random_atom(f, rng);
      }
      return c;
    };
    std::string condition = conjunction();
    if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) condition = "(" + condition + ") or (" + conjunction() + ")";

    const std::string text = en_form(
        "    integer n \"N\"\n    decimal d \"D\"\n    date t \"T\"\n"
        "    choice c \"C\" {\n      option a \"A\"\n      option b \"B\"\n      option c \"C\"\n    }\n"
        "    text x \"X\"\n    yesno y \"Y\"\n"
        "    text target \"Target\" { required show if " + condition + " }\n");
    auto r = compile(text);
    BOOST_TEST_CONTEXT(condition) {
      BOOST_REQUIRE(r.form);
      const bool warning = std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                                       [](const Diagnostic& d) { return d.code == "S0209"; });
      const engine::Plan plan(std::move(*r.form));
      // Every assignment of the fields used: does the question get asked (required and missing)?
      bool some_true = false;
      std::vector<std::size_t> at(used.size(), 0);
      while (!some_true) {
        std::string json = "{";
        for (std::size_t i = 0; i < used.size(); ++i) {
          const std::string& v = fields[used[i]].values[at[i]];
          if (v.empty()) continue;
          json += std::string(json.size() > 1 ? ", " : "") + "\"" + fields[used[i]].name + "\": " + v;
        }
        json += "}";
        const auto result = engine::validate_json(plan, json, today);
        for (const auto& e : result.errors) {
          if (e.path == "target") some_true = true;
          BOOST_TEST_CONTEXT(json) { BOOST_TEST((e.path == "target"), e.path << " " << e.message); }
        }
        std::size_t i = 0;
        while (i < used.size() && ++at[i] == fields[used[i]].values.size()) at[i++] = 0;
        if (i == used.size()) break;
      }
      BOOST_TEST(warning == !some_true);
      (warning ? warned : not_warned)++;
    }
  }
  // Both outcomes are well represented, so the agreement means something.
  BOOST_TEST(warned >= 60u);
  BOOST_TEST(not_warned >= 60u);
}

BOOST_AUTO_TEST_CASE(plain_grade_is_from_1_to_16_and_given_once) {
  const auto head = [](const std::string& settings) {
    return "form f {\n  title \"T\"\n  version 1\n  languages en\n" + settings +
           "  section s \"S\" {\n    text a \"A\"\n  }\n}\n";
  };
  BOOST_TEST(lines(head("  plain grade 0\n")) == (Lines{"5:3: error[S0734]: the reading grade must be from 1 to 16"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(head("  plain grade 17\n")) == (Lines{"5:3: error[S0734]: the reading grade must be from 1 to 16"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(head("  plain grade 99999999999999999999999\n")) ==
                 (Lines{"5:3: error[S0734]: the reading grade must be from 1 to 16"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(head("  plain grade 6\n  plain grade 8\n")) ==
                 (Lines{"6:3: error[S0703]: 'plain grade' is given twice"}),
             boost::test_tools::per_element());
  // Both ends are grades, and the model keeps the target.
  for (int grade : {1, 16}) {
    auto r = compile(head("  plain grade " + std::to_string(grade) + "\n"));
    BOOST_REQUIRE(r.form);
    BOOST_TEST(r.form->plain_grade == grade);
  }
  auto none = compile(head(""));
  BOOST_REQUIRE(none.form);
  BOOST_TEST(none.form->plain_grade == 0);
  // The model as JSON has the target after "paper" when it is set, and no key when it is not.
  auto eight = compile(head("  plain grade 8\n"));
  BOOST_REQUIRE(eight.form);
  const std::string json = model_json::to_json(*eight.form);
  BOOST_TEST(json.find("\n  \"plain_grade\": 8,\n  \"sections\": [") != std::string::npos, json);
  BOOST_TEST(model_json::to_json(*none.form).find("plain_grade") == std::string::npos);
}

// ---- building on an imported form: extends, place -------------------------------------------

namespace {

/// An imported form, as the importer writes it: English only, its own sections.
const std::string imported_base =
    "block homeAddress {\n"                                      // 1
    "  text street \"Street\" { required pattern \".*\\\\S.*\" \"Enter street in the form asked for.\" }\n"
    "  text city \"City\" { required max 30 }\n"                 // 3
    "}\n"
    "form base {\n"                                              // 5
    "  title \"BASE\"\n"
    "  version 1\n"
    "  languages en\n"
    "  section part1 \"Part 1\" {\n"                             // 9
    "    text fullName \"Full name\" { required max 100 }\n"     // 10
    "    choice kind \"Kind\" { option a \"a\" option b \"b\" }\n"
    "    yesno veteran \"Veteran\" { unanswered \"No answer\" }\n"
    "    use homeAddress as homeAddress\n"                       // 13
    "    repeat kids \"Kids\" { text kidName \"Kid name\" date born \"Born\" }\n"
    "  }\n"
    "}\n";

dsl::CompileResult compile_extending(const std::string& base, std::string text) {
  dsl::Options options;
  options.read_file = [base](const std::string& path) -> std::optional<std::string> {
    if (path == "imported/base.form") return base;
    return std::nullopt;
  };
  return dsl::compile_text("test.form", std::move(text), options);
}

/// A form in English that extends imported/base.form; its one section's body starts on line 7.
std::string extending(const std::string& body) {
  return "extends \"imported/base.form\"\n"
         "form f {\n"
         "  title \"T\"\n"
         "  version 1\n"
         "  languages en\n"
         "  section s \"S\" {\n" +
         body + "  }\n}\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_placed_field_keeps_the_import_s_meaning_with_the_place_s_words_and_rules) {
  const auto r = compile_extending(imported_base,
      "extends \"imported/base.form\"\n"
      "form f {\n"
      "  title \"T\" es \"T\"\n"
      "  version 1\n"
      "  languages en es\n"
      "  section you \"You\" es \"Usted\" {\n"
      "    place veteran \"Are you a veteran?\" es \"¿Es veterano?\" { unanswered \"I prefer not to say\" es \"Prefiero no decirlo\" }\n"
      "    note thanks \"Thank you.\" es \"Gracias.\"\n"
      "    place fullName \"Your name\" es \"Su nombre\" { sensitive hint \"As on your ID.\" es \"Como en su identificación.\" }\n"
      "    place kind \"Kind\" es \"Tipo\" { option a \"First\" es \"Primero\" option b \"Second\" es \"Segundo\" }\n"
      "  }\n"
      "  section where \"Where\" es \"Dónde\" {\n"
      "    place homeAddress {\n"
      "      field street \"Street address\" es \"Dirección\" {\n"
      "        message \"Enter the street.\" es \"Escriba la calle.\"\n"
      "        check street != city \"The street is not the city.\" es \"La calle no es la ciudad.\"\n"
      "      }\n"
      "      field city \"City\" es \"Ciudad\"\n"
      "    }\n"
      "    place kids \"Children\" es \"Hijos\" { field kidName \"Name\" es \"Nombre\" field born \"Born\" es \"Nació\" { required } }\n"
      "  }\n"
      "}\n");
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  const auto& form = *r.form;
  std::vector<std::string> ids;
  for (const auto& f : form.fields) ids.push_back(f.id);
  // In the order the sections place them; inside a block or repeat, in the import's order.
  BOOST_TEST(ids == (std::vector<std::string>{"veteran", "thanks", "fullName", "kind", "homeAddress", "homeAddress.street",
                                              "homeAddress.city", "kids", "kids.kidName", "kids.born"}),
             boost::test_tools::per_element());
  BOOST_TEST(form.sources == (std::vector<std::string>{"test.form", "imported/base.form"}), boost::test_tools::per_element());
  const auto& name = field(form, "fullName");
  BOOST_TEST(name.label.at("en") == "Your name");
  BOOST_TEST(name.label.at("es") == "Su nombre");
  BOOST_TEST(name.hint.at("es") == "Como en su identificación.");
  BOOST_TEST(name.required);  // the import's
  BOOST_TEST(name.sensitive);  // the place's
  BOOST_TEST(std::get<model::Number>(name.max).digits == "100");
  const auto& kind = field(form, "kind");
  const auto& options = form.options_of(kind);
  BOOST_REQUIRE(options.size() == 2u);
  BOOST_TEST(options[0].value == "a");
  BOOST_TEST(options[0].label.at("en") == "First");
  BOOST_TEST(options[1].label.at("es") == "Segundo");
  BOOST_TEST(field(form, "veteran").unanswered.at("es") == "Prefiero no decirlo");
  const auto& street = field(form, "homeAddress.street");
  BOOST_REQUIRE(street.patterns.size() == 1u);
  BOOST_TEST(street.patterns[0].regex == ".*\\S.*");  // the import's rule, in the place's words
  BOOST_TEST(street.patterns[0].message.at("es") == "Escriba la calle.");
  BOOST_REQUIRE(street.checks.size() == 1u);  // the place's own rule, resolved inside the block
  BOOST_TEST(street.checks[0].rule.args.at(1).field == id_of(form, "homeAddress.city"));
  BOOST_TEST(field(form, "homeAddress").block == "homeAddress");
  BOOST_TEST(field(form, "kids").label.at("es") == "Hijos");
  BOOST_TEST(field(form, "kids.born").required);
  BOOST_TEST(!field(form, "kids.kidName").required);
}

BOOST_AUTO_TEST_CASE(an_import_run_again_that_adds_or_drops_a_field_is_an_error_where_to_change) {
  const std::string served = extending("    place fullName, kind, veteran\n    place homeAddress, kids\n");
  BOOST_TEST(test::first_lines(compile_extending(imported_base, served)) == Lines{}, boost::test_tools::per_element());
  // The agency's new schema drops `veteran` and adds `email`.
  std::string again = imported_base;
  again.replace(again.find("    yesno veteran"), again.find("    use homeAddress") - again.find("    yesno veteran"),
                "    email email \"Email\"\n");
  const auto r = compile_extending(again, served);
  BOOST_TEST(test::first_lines(r) == (Lines{"1:9: error[S0804]: the imported field 'email' is not placed in any section",
                                            "7:27: error[S0802]: 'veteran' is not a field of the imported form"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r) == (std::vector<std::string>{
                             "add 'place email' to a section; the imported form has it at imported/base.form:12",
                             "the imported form 'imported/base.form' has no field of this name"}),
             boost::test_tools::per_element());
  BOOST_TEST(!r.form);
}

BOOST_AUTO_TEST_CASE(s0805_what_a_place_adds_must_fit_the_imported_field) {
  const auto r = compile_extending(imported_base, extending(
      "    place fullName, veteran, kids\n"
      "    place kind { message \"M\" min 1 }\n"                              // 8
      "    place homeAddress \"Home\" {\n"                                    // 9
      "      field stret \"Street\"\n"                                        // 10
      "      field city { pattern \"[A-Z].*\" \"Capitals.\" }\n"              // 11
      "    }\n"));
  BOOST_TEST(test::first_lines(r) ==
                 (Lines{"8:18: error[S0805]: the imported 'kind' has no pattern or check for 'message' to word",
                        "8:30: error[S0805]: 'min' of the imported 'kind' is the import's",
                        "9:23: error[S0805]: 'homeAddress' is a block: it has no label of its own",
                        "10:13: error[S0805]: the imported 'homeAddress' has no field 'stret'",
                        "11:20: error[S0805]: 'pattern' of the imported 'homeAddress.city' is the import's"}),
             boost::test_tools::per_element());
  BOOST_TEST(hints(r).at(3) == "did you mean 'street'?");
}

BOOST_AUTO_TEST_CASE(a_place_words_each_imported_rule_or_all_of_them) {
  // One `message` words every imported pattern and check; several word them one each, in the
  // import's order; any other count is S0805 (docs/dsl.md, "Building on an imported form").
  const std::string base =
      "form base {\n  title \"B\"\n  version 1\n  languages en\n  section p \"P\" {\n"
      "    text country \"Country\"\n"
      "    text code \"Code\" {\n"
      "      pattern \"[A-Z]+\" \"Enter code in the form asked for.\" if country == \"USA\"\n"
      "      check length(code) <= 5 \"Enter at most 5 characters.\"\n"
      "    }\n  }\n}\n";
  const auto words = [](const dsl::CompileResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.form->fields) {
      if (f.name != "code") continue;
      for (const auto& p : f.patterns) out.push_back(p.message.at("en"));
      for (const auto& c : f.checks) out.push_back(c.message.at("en"));
    }
    return out;
  };
  const auto one = compile_extending(base, extending("    place country\n    place code { message \"Both.\" }\n"));
  BOOST_REQUIRE_MESSAGE(one.form, dsl::format_diagnostics(one));
  BOOST_TEST(words(one) == (std::vector<std::string>{"Both.", "Both."}), boost::test_tools::per_element());
  const auto each = compile_extending(
      base, extending("    place country\n    place code { message \"Capitals.\" message \"Five at most.\" }\n"));
  BOOST_REQUIRE_MESSAGE(each.form, dsl::format_diagnostics(each));
  BOOST_TEST(words(each) == (std::vector<std::string>{"Capitals.", "Five at most."}), boost::test_tools::per_element());
  const auto three = compile_extending(
      base, extending("    place country\n    place code { message \"A\" message \"B\" message \"C\" }\n"));
  BOOST_TEST(test::first_lines(three) ==
                 (Lines{"8:42: error[S0805]: 3 messages for the 2 patterns and checks of the imported 'code'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_translation_of_an_imported_text_is_reported_at_its_place) {
  const auto r = compile_extending(imported_base,
      "extends \"imported/base.form\"\n"
      "form f {\n"
      "  title \"T\" es \"T\"\n"
      "  version 1\n"
      "  languages en es\n"
      "  section s \"S\" es \"S\" {\n"
      "    place fullName \"Name\" es \"Nombre\"\n"
      "    place kind \"Kind\" es \"Tipo\" { option a \"First\" es \"Primero\" }\n"   // 8
      "    place veteran, homeAddress, kids\n"                                      // 9
      "  }\n"
      "}\n");
  const auto got = test::first_lines(r);
  BOOST_TEST(got.at(0) == "8:11: error[S0401]: missing 'es' translation of the imported option 'b' of 'kind'");
  BOOST_TEST(got.at(1) == "9:11: error[S0401]: missing 'es' translation of the imported label of 'veteran'");
  BOOST_TEST(got.at(2) == "9:11: error[S0401]: missing 'es' translation of the imported option of 'veteran'");
  BOOST_TEST(std::count_if(got.begin(), got.end(), [](const std::string& l) { return l.find("'homeAddress.street'") != std::string::npos; }) == 2);
  // Every one is in the form's own file, none in the imported file, which nobody edits.
  for (const auto& d : r.diagnostics) BOOST_TEST(d.where.file == 0u);
}

BOOST_AUTO_TEST_CASE(s0801_to_s0803_extends_and_place) {
  BOOST_TEST(lines(en_form("    place fullName\n")) ==
                 (Lines{"6:5: error[S0801]: 'place' puts a field of an imported form here, and this form extends none"}),
             boost::test_tools::per_element());
  const auto r = compile_extending("block b { text x \"X\" }\n",
                                   "extends \"imported/base.form\"\nform f {\n  title \"T\"\n  version 1\n  languages en\n"
                                   "  section s \"S\" { text a \"A\" }\n}\n");
  BOOST_TEST(test::first_lines(r) == (Lines{"1:9: error[S0801]: 'imported/base.form' has no form to extend"}),
             boost::test_tools::per_element());
  // A chain: the imported file extends another form itself.
  const auto chain = compile_extending(extending("    place fullName\n"),
                                       "extends \"imported/base.form\"\nform g {\n  title \"T\"\n  version 1\n  languages en\n"
                                       "  section s \"S\" { text a \"A\" }\n}\n");
  BOOST_TEST(test::first_lines(chain).at(0) == "1:9: error[S0801]: 'imported/base.form' extends another form itself");
  BOOST_TEST(test::first_lines(compile_extending(imported_base, extending("    place fullName, kind, veteran, homeAddress, kids, kind\n"))) ==
                 (Lines{"7:55: error[S0803]: 'kind' is placed twice"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_rule_of_one_alternative_has_its_if_checked_like_any_condition) {
  // `pattern ... if EXPR` and `check ... if EXPR` (docs/dsl.md, "Rules that apply in one case"):
  // the condition is resolved and typed as a `required if` is, and one that can never hold is
  // S0211. Fields are numbered by line: 6 country, 11 state.
  const auto form = [](const std::string& rules) {
    return "form f {\n  title \"T\"\n  version 1\n  languages en\n  section s \"S\" {\n"
           "    choice country \"Country\" {\n      option USA \"United States\"\n      option CAN \"Canada\"\n    }\n"
           "    text city \"City\"\n    text state \"State\" {\n" + rules + "    }\n  }\n}\n";
  };
  BOOST_TEST(lines(form("      pattern \"[A-Z]{2}\" \"Two letters.\" if contry == \"USA\"\n")) ==
                 (Lines{"12:44: error[S0104]: unknown field 'contry'"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(form("      check length(state) == 2 \"Two letters.\" if city\n")) ==
                 (Lines{"12:50: error[S0202]: 'if' needs a yes/no condition, not text"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(form("      pattern \"[A-Z]{2}\" \"Two letters.\" if country == \"US\"\n")).size() == 1u);
  BOOST_TEST(lines(form("      pattern \"[A-Z]{2}\" \"Two letters.\" if country == \"USA\" and country == \"CAN\"\n")) ==
                 (Lines{"12:44: warning[S0211]: this pattern of 'state' never applies: its 'if' can never hold"}),
             boost::test_tools::per_element());
  // A well-formed one: the model keeps each rule's condition, and the JSON names it "if".
  auto r = compile(form("      pattern \"[A-Z]{2}\" \"Two letters.\" if country == \"USA\"\n"
                        "      check length(state) <= 30 \"At most 30.\" if is_blank(country) or country == \"CAN\"\n"
                        "      pattern \".+\" \"Always.\"\n"));
  BOOST_REQUIRE_MESSAGE(r.form, dsl::format_diagnostics(r));
  const auto& state = r.form->fields.back();
  BOOST_REQUIRE(state.patterns.size() == 2u);
  BOOST_TEST(state.patterns[0].only_if.has_value());
  BOOST_TEST(!state.patterns[1].only_if.has_value());
  BOOST_REQUIRE(state.checks.size() == 1u);
  BOOST_REQUIRE(state.checks[0].only_if.has_value());
  BOOST_TEST((state.checks[0].only_if->op == model::Op::Or));
  const std::string json = model_json::to_json(*r.form);
  BOOST_TEST(json.find("\"regex\": \"[A-Z]{2}\",") != std::string::npos, json);
  BOOST_TEST(json.find("\"if\": {") != std::string::npos, json);
}

BOOST_AUTO_TEST_CASE(a_form_that_extends_an_import_takes_its_members_without_a_place) {
  // A member has no page: it needs no `place`, and is taken as the import has it (top-level
  // ones in the last section; a block's with the block).
  const std::string base =
      "block homeAddress {\n"
      "  text street \"Street\"\n"
      "  member \"view:note\" object\n"
      "}\n"
      "form base {\n"
      "  title \"BASE\"\n"
      "  version 1\n"
      "  languages en\n"
      "  section part1 \"Part 1\" {\n"
      "    text fullName \"Full name\"\n"
      "    member \"view:intro\" object\n"
      "    use homeAddress as homeAddress\n"
      "    member \"otherInformation\" array of string\n"
      "  }\n"
      "}\n";
  const auto r = compile_extending(base, extending("    place homeAddress\n  }\n  section t \"T\" {\n    place fullName\n"));
  BOOST_TEST(test::first_lines(r) == Lines{}, boost::test_tools::per_element());
  BOOST_REQUIRE(r.form);
  std::vector<std::string> ids;
  for (const auto& f : r.form->fields) ids.push_back(f.id);
  BOOST_TEST(ids == (std::vector<std::string>{"homeAddress", "homeAddress.street", "homeAddress.view:note", "fullName",
                                              "view:intro", "otherInformation"}),
             boost::test_tools::per_element());
  BOOST_TEST((field(*r.form, "otherInformation").kind == model::Kind::Member));
  BOOST_TEST((field(*r.form, "otherInformation").json_items == model::JsonType::String));
  BOOST_TEST(field(*r.form, "view:intro").section == 1u);
  // A member the import does not have cannot be placed, as any other name.
  const auto wrong = compile_extending(base, extending("    place homeAddress, fullName, nothere\n"));
  BOOST_TEST(test::first_lines(wrong).size() == 1u);
}
