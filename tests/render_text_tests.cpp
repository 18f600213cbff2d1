// tests/render_text_tests.cpp: the plain-text renderer and the wording every channel shares.
//
// Goldens: every shipped form (forms/*.form), in every language it declares, renders to exactly
// tests/golden/text/<stem>.<lang>.txt. After a deliberate change, `render_text_tests -- --accept`
// rewrites them; review the diff.
#define BOOST_TEST_MODULE render_text_tests
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "engine/plan.hpp"
#include "engine/validate.hpp"
#include "renderers/registry.hpp"
#include "renderers/text.hpp"
#include "renderers/wording.hpp"
#include "renderers/wrap.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace r = askonce::renderers;
namespace e = askonce::engine;
using askonce::model::FieldId;

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

std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ma = static_cast<bool>(std::getline(a, la));
    const bool mb = static_cast<bool>(std::getline(b, lb));
    if (!ma && !mb) return "texts equal";
    if (!ma || !mb || la != lb) {
      return "line " + std::to_string(line) + ": golden `" + (ma ? la : "<end>") + "`, got `" + (mb ? lb : "<end>") +
             "`";
    }
  }
}

e::Plan plan_of_file(const std::string& path) {
  auto c = askonce::dsl::compile_file(path);
  BOOST_REQUIRE_MESSAGE(c.form, path << ": " << askonce::dsl::format_diagnostics(c));
  return e::Plan(std::move(*c.form));
}

e::Plan plan_of_text(const std::string& text) {
  auto c = askonce::dsl::compile_text("forms/test.form", text);
  BOOST_REQUIRE_MESSAGE(c.form, askonce::dsl::format_diagnostics(c));
  return e::Plan(std::move(*c.form));
}

std::string text_of(const e::Plan& plan, const std::string& lang, std::size_t width = 72) {
  r::RenderRequest request;
  request.plan = &plan;
  request.language = lang;
  request.width = width;
  auto result = r::render_text(request);
  BOOST_TEST(result.warnings.empty());
  return result.bytes;
}

FieldId field_id(const askonce::model::Form& form, const std::string& id) {
  for (FieldId f = 0; f < form.fields.size(); ++f) {
    if (form.fields[f].id == id) return f;
  }
  BOOST_FAIL("no field " << id);
  return askonce::model::no_field;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

constexpr const char* valid_move = R"({
  "person": {"name": {"first": "Ana", "last": "García"}, "birth_date": "1980-02-29", "ssn": "123-45-6789"},
  "contact": {"email": "ana@example.org", "preferred_method": "email"},
  "old_address": {"street": "1 Old Rd", "city": "Springfield", "state": "IL", "zip": "62701"},
  "new_address": {"street": "2 New St", "street2": "Apt 3", "city": "Austin", "state": "TX", "zip": "73301"},
  "move_date": "2024-04-20",
  "kind": "temporary",
  "return_date": "2024-10-01",
  "veteran": false,
  "forward_mail": true,
  "usps_move_type": "individual",
  "household": [{"full_name": "Luis García", "birth_date": "2015-06-01"}],
  "truthful": true,
  "signature": "Ana García"
})";

}  // namespace

BOOST_AUTO_TEST_CASE(every_shipped_form_in_every_language_matches_its_golden) {
  const bool accept = accept_mode();
  fs::create_directories("tests/golden/text");
  const auto forms = askonce::test::shipped_forms();
  BOOST_REQUIRE(forms.size() >= 4);
  for (const auto& path : forms) {
    const e::Plan plan = plan_of_file(path.generic_string());
    BOOST_REQUIRE(!plan.form().languages.empty());
    for (const auto& lang : plan.form().languages) {
      const std::string got = text_of(plan, lang);
      // Citizens read the title, never the internal id (checked where the id is not a word a
      // form's own text could use: "change_of_address", "sf424", not "benefits").
      const std::string& id = plan.form().id;
      if (id.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
        BOOST_TEST(got.find(id) == std::string::npos, path.generic_string() << " " << lang << " prints the id " << id);
      }
      const fs::path golden = fs::path("tests/golden/text") / (path.stem().string() + "." + lang + ".txt");
      if (accept) {
        std::ofstream(golden, std::ios::binary) << got;
        continue;
      }
      BOOST_TEST_CONTEXT(golden.generic_string()) {
        BOOST_REQUIRE_MESSAGE(fs::exists(golden), "missing golden; run render_text_tests -- --accept");
        const std::string want = askonce::test::read(golden);
        BOOST_TEST(want == got, first_difference(want, got));
      }
    }
  }
}

// ---- The phone script, from the model ---------------------------------------------------------
//
// Not only goldens: what the script must do, checked against the model for every shipped form
// and language, so that a change to a form or to the wording cannot quietly break it.

namespace {

/// The text before "%1" in a fixed string: "Ask: " of "Ask: %1".
std::string prefix_of(r::Ui key, const std::string& lang) {
  const std::string pattern(r::ui(key, lang));
  return pattern.substr(0, pattern.find("%1"));
}

/// The questions (numbers) a condition depends on: composite parts by their composite, computed
/// fields by what they are worked out from, groups and repeats by every question in them.
/// `values_only`: a `required if` on whether an answer is blank is left out (docs/dsl.md,
/// "Conditions come after what they depend on").
void depends_on(const askonce::model::Form& form, const askonce::model::Expr& e, bool values_only,
                std::vector<std::uint32_t>& out, int depth = 0) {
  using askonce::model::Op;
  if (depth > 64) return;
  if (values_only && e.op == Op::Call && e.function == askonce::model::Function::IsBlank) return;
  if (e.op == Op::Field && e.field < form.fields.size()) {
    const auto& f = form.fields[e.field];
    if (f.computed) {
      depends_on(form, *f.computed, false, out, depth + 1);
    } else if (f.question) {
      out.push_back(f.question);
    } else if (!f.part.empty() && f.parent != askonce::model::no_field) {
      out.push_back(form.fields[f.parent].question);
    } else {
      for (FieldId d = e.field + 1; d < form.fields.size(); ++d) {
        bool inside = false;
        for (FieldId g = form.fields[d].parent; g != askonce::model::no_field; g = form.fields[g].parent) {
          if (g == e.field) inside = true;
        }
        if (!inside) break;
        if (form.fields[d].question) out.push_back(form.fields[d].question);
      }
    }
  }
  for (const auto& a : e.args) depends_on(form, a, values_only, out, depth + 1);
}

/// Everything wrong with the phone script of `plan` in `lang`; empty when nothing is.
std::vector<std::string> script_problems(const e::Plan& plan, const std::string& lang) {
  const auto& form = plan.form();
  const r::Wording w(form, lang);
  std::vector<std::string> lines;
  {
    std::istringstream in(text_of(plan, lang, 1000000));  // one line per sentence
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  std::vector<std::string> problems;
  auto at = [&](const std::string& line, std::size_t from = 0) {
    return static_cast<std::size_t>(std::find(lines.begin() + static_cast<std::ptrdiff_t>(std::min(from, lines.size())),
                                              lines.end(), line) - lines.begin());
  };
  const auto& sc = w.script();
  const std::size_t privacy = at(sc.privacy.front());
  const std::size_t first_part = at(r::ui(r::Ui::SectionN, lang, {"1", std::to_string(form.sections.size()),
                                                                   w.sections().front().title}));
  if (privacy >= first_part) problems.push_back("the privacy notice is not read before the questions");
  const std::size_t read_back = at(sc.read_back_heading);
  if (read_back == lines.size()) problems.push_back("no read-back");

  const std::string ask = prefix_of(r::Ui::ScriptAsk, lang), ask_for = prefix_of(r::Ui::ScriptAskFor, lang);
  const std::string read = prefix_of(r::Ui::ScriptRead, lang);
  const std::uint32_t n = w.question_count();
  std::vector<std::size_t> heading(n + 1, lines.size());
  std::size_t previous = 0;
  for (std::uint32_t q = 1; q <= n; ++q) {
    const FieldId f = w.field_of_question(q);
    const auto& fw = w.field(f);
    const std::string where = "question " + std::to_string(q) + " (" + form.fields[f].id + ")";
    heading[q] = at(r::ui(r::Ui::QuestionN, lang, {std::to_string(q)}) + ". " + fw.label, previous);
    if (heading[q] >= read_back) {
      problems.push_back(where + " is not asked in order before the read-back");
      continue;
    }
    previous = heading[q] + 1;
    std::size_t end = heading[q] + 1;
    while (end < lines.size() && !lines[end].empty()) ++end;
    const auto in_block = [&](const std::string& line, std::size_t from) {
      const std::size_t i = at(line, from);
      return i < end ? i : lines.size();
    };
    // Asked in the agent's voice.
    if (!fw.agent_ask.starts_with(ask) && !fw.agent_ask.starts_with(ask_for)) {
      problems.push_back(where + " is not asked in the agent's voice: " + fw.agent_ask);
    }
    if (in_block(fw.agent_ask, heading[q]) == lines.size()) problems.push_back(where + " has no line to ask it");
    // The declaration, as a spoken question.
    if (form.fields[f].kind == askonce::model::Kind::Attest &&
        (in_block(read + fw.label, heading[q]) == lines.size() ||
         fw.agent_ask != std::string(r::ui(r::Ui::ScriptConfirm, lang)))) {
      problems.push_back(where + " is a statement that is not read out and confirmed");
    }
    // Every choice read out (or listed, when too many to read), after the words that say so.
    if (!fw.options.empty()) {
      std::size_t i = in_block(fw.agent_choices, heading[q]);
      if (fw.agent_choices.empty() || i == lines.size()) problems.push_back(where + " does not say to read its choices");
      for (const auto& o : fw.options) {
        i = in_block("  " + o.label, i);
        if (i == lines.size()) problems.push_back(where + ": the choice " + o.label + " is not read");
      }
    }
  }
  // Never asked before a question its conditions depend on.
  for (std::uint32_t q = 1; q <= n; ++q) {
    const FieldId f = w.field_of_question(q);
    std::vector<std::uint32_t> deps;
    for (FieldId g = f; g != askonce::model::no_field; g = form.fields[g].parent) {
      if (form.fields[g].show_if) depends_on(form, *form.fields[g].show_if, false, deps);
    }
    if (form.fields[f].required_if) depends_on(form, *form.fields[f].required_if, true, deps);
    for (const auto d : deps) {
      if (d != q && (d > n || heading[d] >= heading[q])) {
        problems.push_back("question " + std::to_string(q) + " is asked before question " + std::to_string(d) +
                           ", which it depends on");
      }
    }
  }
  // The read-back covers every question, in order.
  std::size_t i = read_back;
  for (std::uint32_t q = 1; q <= n; ++q) {
    const auto& fw = w.field(w.field_of_question(q));
    i = at("  " + fw.agent_read_back, i);
    if (fw.agent_read_back.empty() || i == lines.size()) {
      problems.push_back("the read-back does not cover question " + std::to_string(q));
      i = read_back;
    }
  }
  return problems;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_phone_script_of_every_shipped_form_asks_every_question_in_order) {
  for (const auto& path : askonce::test::shipped_forms()) {
    const e::Plan plan = plan_of_file(path.generic_string());
    for (const auto& lang : plan.form().languages) {
      BOOST_TEST_CONTEXT(path.generic_string() << " " << lang) {
        const auto problems = script_problems(plan, lang);
        BOOST_TEST(problems.empty(), problems.size() << " problems, the first: " << (problems.empty() ? "" : problems[0]));
        BOOST_TEST(r::Wording(plan.form(), lang).question_count() > 10u);  // the check saw real forms
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_condition_on_a_later_question_is_warned_and_breaks_the_script) {
  // The compiler warns (S0210), and the script check above would catch the order too.
  const std::string text = R"(form later {
  title "Later"
  version 1
  languages en
  section s "S" {
    text email "Email address" { show if method == "email" }
    choice method "How do you prefer that we contact you?" {
      option email "Email"
      option mail "Mail"
    }
    attest ok "I agree." { required }
  }
}
)";
  auto c = askonce::dsl::compile_text("forms/test.form", text);
  BOOST_REQUIRE(c.form);
  BOOST_REQUIRE(c.diagnostics.size() == 1u);
  BOOST_TEST(c.diagnostics[0].code == "S0210");
  const e::Plan plan(std::move(*c.form));
  const auto problems = script_problems(plan, "en");
  BOOST_TEST((problems == std::vector<std::string>{"question 1 is asked before question 2, which it depends on"}),
             boost::test_tools::per_element());
  // In order, the same form has none.
  const e::Plan fixed = plan_of_text(R"(form later {
  title "Later"
  version 1
  languages en
  section s "S" {
    choice method "How do you prefer that we contact you?" {
      option email "Email"
      option mail "Mail"
    }
    text email "Email address" { show if method == "email" }
    attest ok "I agree." { required }
  }
}
)");
  BOOST_TEST(script_problems(fixed, "en").empty());
}

BOOST_AUTO_TEST_CASE(the_agent_voice_in_the_wording) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const auto& form = plan.form();
  const r::Wording en(form, "en"), es(form, "es");
  const auto& kind = en.field(field_id(form, "kind"));
  BOOST_TEST(kind.agent_ask == "Ask: Is this move permanent?");
  BOOST_TEST(kind.agent_choices == "Read the choices, then record one:");
  BOOST_TEST(kind.skips[0].agent_text == "If the caller said “Yes, permanent” to question 13, skip to question 15.");
  BOOST_TEST(en.field(field_id(form, "veteran")).skips[0].agent_text ==
             "If the caller said No to question 15, skip to question 17.");
  BOOST_TEST(es.field(field_id(form, "veteran")).skips[0].agent_text ==
             "Si la persona respondió No a la pregunta 15, pase a la pregunta 17.");
  const auto& birth = en.field(field_id(form, "person.birth_date"));
  BOOST_TEST(birth.agent_ask == "Ask: What is your date of birth?");  // the form's `ask`
  BOOST_TEST(es.field(field_id(form, "person.birth_date")).agent_ask == "Pregunte: ¿Cuál es su fecha de nacimiento?");
  BOOST_TEST(en.field(field_id(form, "signature")).agent_ask == "Ask: To sign, please say your full name.");
  BOOST_TEST(en.field(field_id(form, "old_address")).agent_ask == "Ask for: Old address.");  // no `ask`: the label
  BOOST_TEST(birth.agent_record == "Record the month, day and year.");
  BOOST_TEST(es.field(field_id(form, "person.birth_date")).agent_record == "Anote el mes, el día y el año.");
  const auto& truthful = en.field(field_id(form, "truthful"));
  BOOST_TEST(truthful.agent_read == "Read: I certify that the information I gave is true and complete.");
  BOOST_TEST(truthful.agent_ask == "Ask: Do you confirm this statement? Record yes or no.");
  BOOST_TEST(es.field(field_id(form, "truthful")).agent_ask == "Pregunte: ¿Confirma esta declaración? Anote sí o no.");
  BOOST_TEST(en.field(field_id(form, "contact.phone")).agent_help == "If it helps, read: Include the area code.");
  BOOST_TEST(en.field(field_id(form, "person.ssn")).agent_read_back ==
             "Question 3. Social Security number (last 4 characters only)");
  BOOST_TEST(en.field(field_id(form, "return_date")).agent_read_back == "Question 14. When will you return? (if asked)");
  BOOST_TEST(en.field(field_id(form, "household.full_name")).agent_read_back == "Question 22. Full name (for each: Person)");
  BOOST_TEST(en.field(field_id(form, "privacy")).agent_read ==
             "Read: We use your Social Security number only to find your file.");
  BOOST_TEST(en.field(field_id(form, "household_size")).agent_computed ==
             "Do not ask: it is worked out from the other answers.");
  // The whole form's parts.
  const auto& sc = en.script();
  BOOST_TEST(sc.heading == "Phone script");
  BOOST_REQUIRE(!sc.opening.empty());
  BOOST_TEST(sc.opening[0].starts_with("Read: My name is (say your name). I will help you fill in the form “Report a "
                                       "change of address” by phone."));
  BOOST_TEST(sc.privacy.at(0).starts_with("Read: Before we start:"));
  BOOST_TEST(sc.closing.at(0).starts_with("Send the application, then read: Your reference number is"));
  BOOST_TEST(es.script().heading == "Guion para llamadas");
}

BOOST_AUTO_TEST_CASE(text_has_no_decoration_and_every_line_fits) {
  for (const auto& path : askonce::test::shipped_forms()) {
    const e::Plan plan = plan_of_file(path.generic_string());
    for (std::size_t width : {40u, 72u}) {
      const std::string text = text_of(plan, plan.form().languages.front(), width);
      std::istringstream lines(text);
      std::string line;
      while (std::getline(lines, line)) {
        BOOST_TEST_CONTEXT(path << " at " << width << ": `" << line << "`") {
          BOOST_TEST(r::display_width(line) <= width);
          // Nothing a screen reader would read out: no rules, no asterisks, no boxes.
          BOOST_TEST(!contains(line, "---"));
          BOOST_TEST(!contains(line, "==="));
          BOOST_TEST(!contains(line, "*"));
          BOOST_TEST(!contains(line, "[ ]"));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(numbering_is_the_models_and_the_same_in_every_language) {
  for (const auto& path : askonce::test::shipped_forms()) {
    const e::Plan plan = plan_of_file(path.generic_string());
    const auto& form = plan.form();
    std::vector<r::Wording> wordings;
    for (const auto& lang : form.languages) wordings.emplace_back(form, lang);
    const std::string text = text_of(plan, form.languages.front());
    std::uint32_t expected = 0;
    for (FieldId f = 0; f < form.fields.size(); ++f) {
      const auto& field = form.fields[f];
      BOOST_TEST_CONTEXT(path << " " << field.id) {
        if (field.question) {
          BOOST_TEST(field.question == ++expected);  // 1, 2, 3, ... in form order
          BOOST_TEST(wordings.front().field_of_question(field.question) == f);
          // The plain text says this number with this field's label.
          BOOST_TEST(contains(text, "Question " + std::to_string(field.question) + ". "));
        }
        for (const auto& w : wordings) {
          BOOST_TEST(w.field(f).number == field.question);
          // A composite's part belongs to its composite's question.
          if (!field.part.empty()) BOOST_TEST(w.question(f) == form.fields[field.parent].question);
        }
      }
    }
    BOOST_TEST(wordings.front().question_count() == expected);
  }
  // Composites count as one question; notes, groups, repeats and computed fields as none.
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const r::Wording w(plan.form(), "en");
  const auto& form = plan.form();
  BOOST_TEST(w.field(field_id(form, "person.name")).number == 1u);
  BOOST_TEST(w.field(field_id(form, "person.name.first")).number == 0u);
  BOOST_TEST(w.field(field_id(form, "person.birth_date")).number == 2u);
  BOOST_TEST(w.field(field_id(form, "privacy")).number == 0u);
  BOOST_TEST(w.field(field_id(form, "household")).number == 0u);
  BOOST_TEST(w.field(field_id(form, "household_size")).number == 0u);
  BOOST_TEST(w.field(field_id(form, "kind")).number == 13u);
  BOOST_TEST(w.field(field_id(form, "return_date")).number == 14u);
}

BOOST_AUTO_TEST_CASE(change_of_address_conditions_in_words) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const auto& form = plan.form();
  const r::Wording en(form, "en");
  const auto& ret = en.field(field_id(form, "return_date"));
  BOOST_TEST(ret.conditional);
  BOOST_TEST(ret.answer_only_if == "Answer only if you answered “No, temporary” to question 13.");
  BOOST_TEST(ret.ask_only_if == "Ask only if the answer to question 13 is “No, temporary”.");
  // Paper: skip instructions after the question that controls what follows.
  const auto& kind = en.field(field_id(form, "kind"));
  BOOST_REQUIRE(kind.skips.size() == 1u);
  BOOST_TEST(kind.skips[0].text == "If you answered “Yes, permanent” to question 13, go to question 15.");
  BOOST_TEST(kind.skips[0].to == 15u);
  const auto& veteran = en.field(field_id(form, "veteran"));
  BOOST_REQUIRE(veteran.skips.size() == 1u);
  BOOST_TEST(veteran.skips[0].text == "If you answered No to question 15, go to question 17.");
  const auto& phone = en.field(field_id(form, "contact.phone"));
  BOOST_REQUIRE(phone.skips.size() == 1u);
  BOOST_TEST(phone.skips[0].text == "If you did not answer question 6, go to question 8.");
  // A condition on a question that does not come right before: no skip, only the words.
  BOOST_TEST(en.field(field_id(form, "filed_jointly")).answer_only_if ==
             "Answer only if you answered “Yes, permanent” to question 13.");
  BOOST_TEST(en.field(field_id(form, "filed_jointly")).skips.size() == 1u);  // it controls 20 and 21
  BOOST_TEST(en.field(field_id(form, "filed_jointly")).skips[0].text ==
             "If you answered No to question 19, go to question 22.");
  // required if, in both voices.
  const auto& email = en.field(field_id(form, "contact.email"));
  BOOST_TEST(email.required_citizen == "Required if you answered “Email” to question 4.");
  BOOST_TEST(email.required_agent == "Required if the answer to question 4 is “Email”.");
  // Checks in words where the rule can be said, else the form's own message.
  BOOST_REQUIRE(ret.checks.size() == 2u);
  BOOST_TEST(ret.checks[0].text == "Must be after the date in question 12.");
  BOOST_TEST(ret.checks[0].from_rule);
  BOOST_TEST(ret.checks[0].message == "Your return date must be after your move date.");
  BOOST_TEST(ret.checks[1].text == "Must be no later than 1 year after the date in question 12.");
  const auto& method = en.field(field_id(form, "contact.preferred_method"));
  BOOST_REQUIRE(method.checks.size() == 1u);
  BOOST_TEST(!method.checks[0].from_rule);
  BOOST_TEST(method.checks[0].text == "To get text messages, give a mobile phone number.");
  // Kinds, bounds and repeats in words.
  BOOST_TEST(en.field(field_id(form, "move_date")).kind == "a date: month, day and year");
  BOOST_TEST(en.field(field_id(form, "person.ssn")).kind == "a 9-digit Social Security number");
  BOOST_TEST(en.field(field_id(form, "person.birth_date")).bounds == "No earlier than January 1, 1900.");
  BOOST_TEST(en.field(field_id(form, "household")).bounds == "Up to 10 entries.");
  BOOST_TEST(en.field(field_id(form, "move_date")).checks[0].text == "Must be no later than 30 days from today.");
  // The text renderer says them (phone voice).
  const std::string text = text_of(plan, "en");
  BOOST_TEST(contains(text, "Question 14. When will you return?\nAsk only if the answer to question 13 is “No, temporary”.\n"));
  BOOST_TEST(contains(text, "Must be after the date in question 12.\n"));
}

BOOST_AUTO_TEST_CASE(spanish_words) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const auto& form = plan.form();
  const r::Wording es(form, "es");
  const auto& ret = es.field(field_id(form, "return_date"));
  BOOST_TEST(ret.label == "¿Cuándo regresará?");
  BOOST_TEST(ret.answer_only_if == "Responda solo si respondió “No, temporal” a la pregunta 13.");
  BOOST_TEST(ret.ask_only_if == "Pregunte solo si la respuesta a la pregunta 13 es “No, temporal”.");
  BOOST_TEST(ret.checks[0].text == "Debe ser posterior a la fecha de la pregunta 12.");
  BOOST_TEST(es.field(field_id(form, "veteran")).skips[0].text == "Si respondió No a la pregunta 15, pase a la pregunta 17.");
  BOOST_TEST(es.field(field_id(form, "move_date")).kind == "una fecha: mes, día y año");
  BOOST_TEST(es.field(field_id(form, "person.birth_date")).bounds == "No anterior al 1 de enero de 1900.");
  const std::string text = text_of(plan, "es");
  BOOST_TEST(contains(text, "Pregunta 13. ¿Es permanente esta mudanza?\n"));
  // The phone script reads the choices out by their words; the letters are the paper's.
  BOOST_TEST(contains(text, "Lea las opciones y anote una:\n  Sí, permanente\n  No, temporal\n"));
  BOOST_TEST(contains(text, "Parte 1 de 6: Sobre usted\n"));
  BOOST_TEST(!contains(text, "Question "));
  // A language the form does not declare falls back to the primary one.
  const r::Wording fr(form, "fr");
  BOOST_TEST(fr.language() == "en");
  BOOST_TEST(fr.field(field_id(form, "return_date")).label == "When will you return?");
}

BOOST_AUTO_TEST_CASE(options_are_lettered) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const r::Wording en(plan.form(), "en");
  const auto& options = en.field(field_id(plan.form(), "contact.preferred_method")).options;
  BOOST_REQUIRE(options.size() == 4u);
  BOOST_TEST(options[0].letter == "A");
  BOOST_TEST(options[0].label == "Email");
  BOOST_TEST(options[0].value == "email");
  BOOST_TEST(options[3].letter == "D");
  BOOST_TEST(options[3].label == "Mail");
  // Past Z, letters go on as spreadsheet columns do.
  std::string form = "form many {\n title \"Many\"\n version 1\n languages en\n section s \"S\" {\n  choice c \"C\" {\n";
  for (int i = 0; i < 30; ++i) form += "   option o" + std::to_string(i) + " \"Option " + std::to_string(i) + "\"\n";
  form += "  }\n }\n}\n";
  const e::Plan many = plan_of_text(form);
  const r::Wording w(many.form(), "en");
  const auto& o = w.field(field_id(many.form(), "c")).options;
  BOOST_TEST(o[25].letter == "Z");
  BOOST_TEST(o[26].letter == "AA");
  BOOST_TEST(o[29].letter == "AD");
  // Too many to read out on the phone: the agent finds the answer in the list.
  BOOST_TEST(contains(text_of(many, "en"),
                      "Do not read all 30 choices: ask, then find the answer in this list:\n  Option 0\n"));
  BOOST_TEST(contains(text_of(many, "en"), "  Option 26\n"));
}

BOOST_AUTO_TEST_CASE(complex_conditions_never_fail) {
  const e::Plan plan = plan_of_text(R"(form c {
  title "C" es "C"
  version 1
  languages en es
  section s "S" es "S" {
    integer n "How many?" es "¿Cuántos?"
    yesno a "A?" es "¿A?"
    yesno b "B?" es "¿B?"
    text t "T" es "T" { show if n * 2 + 1 > 7 or (a and not b) }
    text u "U" es "U" { show if (a or b) and n >= 3 }
    text v "V" es "V" { show if not (a or b) }
  }
})");
  const auto& form = plan.form();
  const r::Wording en(form, "en");
  BOOST_TEST(en.field(field_id(form, "t")).ask_only_if ==
             "Ask only if question 1 × 2 + 1 > 7 or (question 2 and not question 3).");
  BOOST_TEST(en.field(field_id(form, "u")).ask_only_if ==
             "Ask only if either the answer to question 2 is Yes or the answer to question 3 is Yes and the answer "
             "to question 1 is at least 3.");
  BOOST_TEST(en.field(field_id(form, "v")).answer_only_if ==
             "Answer only if you answered No to question 2 and you answered No to question 3.");
  const r::Wording es(form, "es");
  BOOST_TEST(!es.field(field_id(form, "t")).ask_only_if.empty());
}

BOOST_AUTO_TEST_CASE(hostile_text_comes_out_as_literal_text) {
  const std::string hostile_label = "<script>alert(\"x\")</script> it's";
  const std::string hostile_hint = "</textarea><a href=\"javascript:alert(1)\">click</a>";
  const e::Plan plan = plan_of_text(R"F(form h {
  title "<b>Title</b> & co"
  version 1
  languages en
  section s "</section>" {
    text t "<script>alert(\"x\")</script> it's" {
      hint "</textarea><a href=\"javascript:alert(1)\">click</a>"
    }
    choice c "C" { option x "javascript:alert('%1')" }
  }
  agency a "<img src=x onerror=alert(1)>" { receives t, c }
})F");
  const std::string text = text_of(plan, "en", 200);
  BOOST_TEST(contains(text, "<b>Title</b> & co\n"));
  BOOST_TEST(contains(text, "Question 1. " + hostile_label + "\n"));
  BOOST_TEST(contains(text, hostile_hint + "\n"));
  BOOST_TEST(contains(text, "  javascript:alert('%1')\n"));  // no placeholder substitution
  BOOST_TEST(contains(text, "Part 1 of 1: </section>\n"));
  // Values too, in a receipt.
  const auto result = e::validate_json(plan, R"({"t": "</textarea><script>x()</script>", "c": "x"})",
                                       e::Context::on({2024, 5, 1}, "en", "web"));
  BOOST_REQUIRE(result.ok());
  r::ReceiptInfo info;
  info.reference = "REF-1";
  info.agencies = {0};
  r::RenderRequest request;
  request.plan = &plan;
  request.document = r::Document::Receipt;
  request.submission = &result.submission;
  request.receipt = &info;
  const std::string receipt = r::render_text(request).bytes;
  BOOST_TEST(contains(receipt, "</textarea><script>x()</script>\n"));
  BOOST_TEST(contains(receipt, "  <img src=x onerror=alert(1)>\n"));
  BOOST_TEST(contains(receipt, "javascript:alert('%1')\n"));
}

BOOST_AUTO_TEST_CASE(wrapping_counts_code_points_and_breaks_only_at_spaces) {
  BOOST_TEST(r::wrap("año niño señor", 9) == "año niño\nseñor\n");
  BOOST_TEST(r::wrap("a  b\n c", 72) == "a b c\n");
  BOOST_TEST(r::wrap("", 10).empty());
  // A word longer than the width is cut at the width, on code point boundaries.
  BOOST_TEST(r::wrap("ññññññññññ x", 4) == "ññññ\nññññ\nññ x\n");
  BOOST_TEST(r::wrap("one two three", 9, "  ", "    ") == "  one two\n    three\n");
  for (const auto& line : r::wrap_lines("The quick brown fox jumps over the lazy dog again and again", 12)) {
    BOOST_TEST(r::display_width(line) <= 12u);
    BOOST_TEST(line.front() != ' ');
  }
  // Measured widths (a PDF font): the same rule.
  const auto measure = [](std::string_view s) { return 2.0 * static_cast<double>(r::display_width(s)); };
  BOOST_TEST(r::wrap_lines("año niño señor", 18.0, measure) == (std::vector<std::string>{"año niño", "señor"}));
  // The renderer wraps at the width asked for.
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const std::string narrow = text_of(plan, "en", 30);
  BOOST_TEST(contains(narrow, "Question 17. Do you want the\nPostal Service to forward your\nmail to your new address?\n"));
}

BOOST_AUTO_TEST_CASE(text_receipt_and_check_your_answers) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const auto context = e::Context::on({2024, 5, 1}, "en", "web");
  const auto result = e::validate_json(plan, valid_move, context);
  BOOST_REQUIRE_MESSAGE(result.ok(), e::format_errors(result.errors));
  r::ReceiptInfo info;
  info.reference = "AB12-CD34";
  info.agencies = r::receiving_agencies(plan, result.submission, context.today);
  BOOST_TEST(info.agencies == (std::vector<std::size_t>{0, 1}));  // SSA, USPS: not VA, not IRS
  r::RenderRequest request;
  request.plan = &plan;
  request.document = r::Document::Receipt;
  request.submission = &result.submission;
  request.receipt = &info;
  const auto rendered = r::find_renderer("text")->render(request);
  BOOST_TEST(rendered.warnings.empty());
  const std::string& t = rendered.bytes;
  BOOST_TEST(t.starts_with("Receipt\nReport a change of address\nForm version 1\n"), t);
  BOOST_TEST(contains(t, "Reference number: AB12-CD34\n"));
  BOOST_TEST(contains(t, "Received: April 30, 2024, 8:00 PM Eastern Time\n"));
  BOOST_TEST(contains(t, "Agencies that receive your application\n  Social Security Administration\n  United "
                         "States Postal Service\n"));
  BOOST_TEST(!contains(t, "Internal Revenue Service"));
  BOOST_TEST(contains(t, "Question 1. Full name\nAna García\n"));
  BOOST_TEST(contains(t, "Question 3. Social Security number\nending in 6789\n"));  // masked
  BOOST_TEST(!contains(t, "123-45-6789"));
  BOOST_TEST(contains(t, "Question 11. New address\n2 New St, Apt 3, Austin, TX 73301\n"));
  BOOST_TEST(contains(t, "Question 13. Is this move permanent?\nNo, temporary\n"));
  BOOST_TEST(contains(t, "Question 14. When will you return?\nOctober 1, 2024\n"));
  BOOST_TEST(contains(t, "Person 1\n\n  Question 22. Full name\n  Luis García\n"));
  BOOST_TEST(contains(t, "People moving\n2\n"));
  BOOST_TEST(!contains(t, "Question 16."));  // not asked: not a veteran
  // Check your answers: the same lines, unmasked.
  request.document = r::Document::Answers;
  const std::string answers = r::render_text(request).bytes;
  BOOST_TEST(answers.starts_with("Check your answers\n"));
  BOOST_TEST(contains(answers, "Question 3. Social Security number\n123-45-6789\n"));
  // In Spanish.
  request.document = r::Document::Receipt;
  request.language = "es";
  const std::string es = r::render_text(request).bytes;
  BOOST_TEST(contains(es, "Número de referencia: AB12-CD34\n"));
  BOOST_TEST(contains(es, "Recibida: 30 de abril de 2024, 8:00 p. m. hora del Este\n"));
  BOOST_TEST(contains(es, "Administración del Seguro Social\n"));
  BOOST_TEST(contains(es, "Pregunta 13. ¿Es permanente esta mudanza?\nNo, temporal\n"));
  // Without a submission, the form is drawn and R0201 says why.
  request.submission = nullptr;
  const auto fallback = r::render_text(request);
  BOOST_REQUIRE(fallback.warnings.size() == 1u);
  BOOST_TEST(fallback.warnings[0].code == "R0201");
  BOOST_TEST(contains(fallback.bytes, "Pregunta 1. "));
}

BOOST_AUTO_TEST_CASE(filled_form_shows_errors_by_question_and_what_was_sent) {
  const e::Plan plan = plan_of_file("forms/change-of-address.form");
  const std::vector<std::pair<std::string, std::string>> sent{{"kind", "temporary"}, {"return_date.month", "13"},
                                                              {"return_date.day", "1"}, {"return_date.year", "2024"}};
  const auto result = e::validate_form_fields(plan, sent, e::Context::on({2024, 5, 1}, "en", "web"));
  BOOST_REQUIRE(!result.ok());
  r::Filled filled{sent, result.errors};
  r::RenderRequest request;
  request.plan = &plan;
  request.filled = &filled;
  const std::string t = r::render_text(request).bytes;
  BOOST_TEST(contains(t, "There is a problem\n  Question 1: "));
  BOOST_TEST(contains(t, "Your answer: 13/1/2024\nError: "));
  BOOST_TEST(contains(t, "Question 13. Is this move permanent?"));
}

BOOST_AUTO_TEST_CASE(the_registry_lists_text) {
  const auto* text = r::find_renderer("text");
  BOOST_REQUIRE(text);
  BOOST_TEST(text->mime == "text/plain; charset=utf-8");
  BOOST_TEST(!text->binary);
  BOOST_TEST(r::find_renderer("nope") == nullptr);
  for (const auto& renderer : r::renderers()) {
    BOOST_TEST(renderer.render != nullptr);
    BOOST_TEST(r::find_renderer(renderer.name) == &renderer);
  }
}

BOOST_AUTO_TEST_CASE(an_optional_yes_no_offers_its_unanswered_choice_on_the_phone) {
  const e::Plan plan = plan_of_text(R"(form prefs {
  title "Prefs" es "Prefs"
  version 1
  languages en es
  section s "S" es "S" {
    yesno news "May we write to you?" es "¿Podemos escribirle?" {
      unanswered "I prefer not to say" es "Prefiero no decirlo"
    }
    yesno plain "Are you a veteran?" es "¿Es veterano?"
  }
})");
  const auto& form = plan.form();
  const r::Wording en(form, "en"), es(form, "es");
  BOOST_TEST(en.field(field_id(form, "news")).unanswered == "I prefer not to say");
  BOOST_TEST(en.field(field_id(form, "news")).agent_record == "Record yes, no, or “I prefer not to say”.");
  BOOST_TEST(es.field(field_id(form, "news")).agent_record == "Anote sí, no o “Prefiero no decirlo”.");
  BOOST_TEST(en.field(field_id(form, "plain")).unanswered.empty());
  BOOST_TEST(en.field(field_id(form, "plain")).agent_record == "Record yes or no.");
  // The script the agent reads says it.
  const std::string script = text_of(plan, "en", 1000000);
  BOOST_TEST(script.find("Record yes, no, or “I prefer not to say”.") != std::string::npos, script);
}

BOOST_AUTO_TEST_CASE(a_rule_of_one_alternative_says_when_it_applies_in_the_phone_script) {
  // `check ... if EXPR` and `pattern ... if EXPR` (docs/dsl.md, "Rules that apply in one case"):
  // the agent reads each rule with its condition, so that the caller hears the one that applies.
  const auto plan = plan_of_text(R"(form mailing {
  title "Mailing"
  version 1
  languages en
  section s "Address" {
    choice country "Country" {
      option USA "United States"
      option CAN "Canada"
    }
    text state "State" {
      pattern "[A-Z]{2}" "Enter 2 capital letters." if country == "USA"
      check state in ["ON", "QC"] "Enter ON or QC." if country == "CAN"
    }
  }
}
)");
  const std::string text = text_of(plan, "en", 200);
  BOOST_TEST(text.find("If the answer to question 1 is “Canada”: Enter ON or QC.") != std::string::npos, text);
  BOOST_TEST(text.find("If the answer to question 1 is “United States”: Enter 2 capital letters.") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(how_many_conditions_hold_in_words) {
  // `count(c1, ..., cn)` compared with a number (docs/dsl.md, "When the answer that chooses is
  // left blank"): said as how many of the conditions, each in words, are true; when one of them
  // cannot be said, the whole sentence is said as written, never half of it.
  const auto plan = plan_of_text(R"(form counts {
  title "Counts" es "Cuentas"
  version 1
  languages en es
  section s "S" es "S" {
    yesno a "A?" es "¿A?"
    yesno b "B?" es "¿B?"
    integer n "How many?" es "¿Cuántos?"
    text none "None" es "Ninguna" { show if count(a, b, n > 2) == 0 }
    text one "One" es "Una" { show if count(a, b, n > 2) == 1 }
    text any "Any" es "Alguna" { show if count(a, b, n > 2) >= 1 }
    text many "Many" es "Varias" { show if count(a, b, n > 2) > 1 }
    text all "All" es "Todas" { show if count(a, b, n > 2) == 3 }
    text two "Two" es "Dos" { show if 2 == count(a, b, n > 2) }
    text most "Most" es "Máximo" { show if count(a, b, n > 2) <= 1 }
    text notall "Not all" es "No todas" { show if count(a, b, n > 2) < 3 }
    text range "Range" es "Rango" { show if count(a, b, n > 2) >= 1 and count(a, b, n > 2) <= 2 }
    text notone "Not one" es "No una" { show if count(a, b, n > 2) != 1 }
    text nottwo "Not two" es "No dos" { show if not (count(a, b, n > 2) == 2) }
    text last "Last" es "Última" { show if count(a, b) == 1 and n > 2 }
    text twice "Twice" es "Dos veces" { show if count(a, b) == 1 and count(a, n > 2) == 1 }
    text inner "Inner" es "Dentro" { show if count(count(a, b) == 1, n > 2) == 1 }
    text sums "Sums" es "Sumas" { show if count(n * 2 > 7, a) == 1 }
    text r1 "R1" es "R1" { required if count(a, b) != 1 }
    text r2 "R2" es "R2" { required if count(a, b) != 1 and n > 2 }
    text r3 "R3" es "R3" { required if count(a, b) == 0 }
    text r4 "R4" es "R4" { required if count(n * 2 > 7, a) != 1 }
    text t1 "T1" es "T1" { show if count(true, a) != 1 }
    text r5 "R5" es "R5" { required if count(a, true, false) != 1 }
    text r6 "R6" es "R6" { required if count(a, false) != 1 }
  }
})");
  const auto& form = plan.form();
  const r::Wording en(form, "en"), es(form, "es");
  const auto only = [&](const r::Wording& w, const char* f) { return w.field(field_id(form, f)).answer_only_if; };
  const std::string items = "you answered Yes to question 1; you answered Yes to question 2; your answer to question 3 is more than 2.";
  BOOST_TEST(only(en, "none") == "Answer only if none of these is true: " + items);
  BOOST_TEST(only(en, "one") == "Answer only if exactly one of these is true: " + items);
  BOOST_TEST(only(en, "any") == "Answer only if at least one of these is true: " + items);
  BOOST_TEST(only(en, "many") == "Answer only if more than one of these is true: " + items);
  BOOST_TEST(only(en, "all") == "Answer only if all of these are true: " + items);
  BOOST_TEST(only(en, "two") == "Answer only if exactly 2 of these are true: " + items);
  BOOST_TEST(only(en, "most") == "Answer only if at most one of these is true: " + items);
  BOOST_TEST(only(en, "notall") == "Answer only if not all of these are true: " + items);
  BOOST_TEST(only(en, "notone") == "Answer only if none, or more than one, of these is true: " + items);
  BOOST_TEST(only(en, "nottwo") == "Answer only if the number of these that are true is not 2: " + items);
  // Two lists in one sentence, or a list inside a list, would run into each other: as written.
  BOOST_TEST(only(en, "range") == "Answer only if count(question 1, question 2, question 3 > 2) ≥ 1 and "
                                  "count(question 1, question 2, question 3 > 2) ≤ 2.");
  BOOST_TEST(only(en, "twice") == "Answer only if count(question 1, question 2) = 1 and count(question 1, question 3 > 2) = 1.");
  BOOST_TEST(only(en, "inner") == "Answer only if count(count(question 1, question 2) = 1, question 3 > 2) = 1.");
  // The list runs to the end of the sentence, so it is said last.
  BOOST_TEST(only(en, "last") == "Answer only if your answer to question 3 is more than 2 and exactly one of these is "
                                 "true: you answered Yes to question 1; you answered Yes to question 2.");
  // A condition that cannot be said in words: the whole sentence as written.
  BOOST_TEST(only(en, "sums") == "Answer only if count(question 3 × 2 > 7, question 1) = 1.");
  BOOST_TEST(en.field(field_id(form, "one")).ask_only_if ==
             "Ask only if exactly one of these is true: the answer to question 1 is Yes; the answer to question 2 is "
             "Yes; the answer to question 3 is more than 2.");
  // `required if count(...) != 1`: said as a person says it.
  const auto req = [&](const r::Wording& w, const char* f) { return w.field(field_id(form, f)).required_citizen; };
  BOOST_TEST(req(en, "r1") ==
             "Required unless exactly one of these is true: you answered Yes to question 1; you answered Yes to question 2.");
  BOOST_TEST(req(en, "r2") == "Required if your answer to question 3 is more than 2, unless exactly one of these is "
                              "true: you answered Yes to question 1; you answered Yes to question 2.");
  BOOST_TEST(req(en, "r3") ==
             "Required if none of these is true: you answered Yes to question 1; you answered Yes to question 2.");
  BOOST_TEST(req(en, "r4") == "Required if count(question 3 × 2 > 7, question 1) ≠ 1.");
  // `true` and `false` (the importer's alternatives that always or never fit) count as they
  // must: exactly one of `true` and one condition is that condition not holding.
  BOOST_TEST(only(en, "t1") == "Answer only if you answered Yes to question 1.");
  BOOST_TEST(req(en, "r5") == "Required if you answered Yes to question 1.");
  BOOST_TEST(req(en, "r6") == "Required unless you answered Yes to question 1.");
  BOOST_TEST(req(es, "r6") == "Obligatoria salvo que se cumpla esta condición: respondió Sí a la pregunta 1.");
  BOOST_TEST(en.field(field_id(form, "r1")).required_agent ==
             "Required unless exactly one of these is true: the answer to question 1 is Yes; the answer to question 2 is Yes.");
  // Spanish.
  const std::string es_items = "respondió Sí a la pregunta 1; respondió Sí a la pregunta 2; su respuesta a la pregunta 3 es mayor que 2.";
  BOOST_TEST(only(es, "none") == "Responda solo si no se cumple ninguna de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "one") == "Responda solo si se cumple exactamente una de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "any") == "Responda solo si se cumple al menos una de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "many") == "Responda solo si se cumple más de una de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "all") == "Responda solo si se cumplen todas estas condiciones: " + es_items);
  BOOST_TEST(only(es, "two") == "Responda solo si se cumplen exactamente 2 de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "most") == "Responda solo si se cumple como máximo una de estas condiciones: " + es_items);
  BOOST_TEST(only(es, "notall") == "Responda solo si no se cumplen todas estas condiciones: " + es_items);
  BOOST_TEST(only(es, "notone") ==
             "Responda solo si no se cumple ninguna de estas condiciones, o se cumple más de una: " + es_items);
  BOOST_TEST(only(es, "nottwo") == "Responda solo si el número de estas condiciones que se cumplen no es 2: " + es_items);
  BOOST_TEST(only(es, "twice") == "Responda solo si count(pregunta 1, pregunta 2) = 1 y count(pregunta 1, pregunta 3 > 2) = 1.");
  BOOST_TEST(req(es, "r1") == "Obligatoria salvo que se cumpla exactamente una de estas condiciones: respondió Sí a la "
                              "pregunta 1; respondió Sí a la pregunta 2.");
  BOOST_TEST(req(es, "r2") == "Obligatoria si su respuesta a la pregunta 3 es mayor que 2, salvo que se cumpla "
                              "exactamente una de estas condiciones: respondió Sí a la pregunta 1; respondió Sí a la pregunta 2.");
  BOOST_TEST(req(es, "r4") == "Obligatoria si count(pregunta 3 × 2 > 7, pregunta 1) ≠ 1.");
  // The phone script says them in the agent's voice.
  const std::string script = text_of(plan, "en", 1000000);
  BOOST_TEST(contains(script, "Required unless exactly one of these is true: the answer to question 1 is Yes; the answer to "
                              "question 2 is Yes."),
             script);
  BOOST_TEST(contains(text_of(plan, "es", 1000000), "Obligatoria salvo que se cumpla exactamente una de estas condiciones: "));
}

BOOST_AUTO_TEST_CASE(matches_and_long_lists_are_said_by_the_rule_the_question_shows) {
  // `matches(x, "REGEX")` is said by the message of x's `pattern` with that regular expression,
  // and an `in` list too long to read out by the message of x's `check` with the same list, as
  // the question itself shows them: never a regular expression or a list of 13 codes in words.
  const auto plan = plan_of_text(R"(form rules {
  title "Rules" es "Reglas"
  version 1
  languages en es
  section s "S" es "S" {
    text code "Code" es "Código" {
      pattern "[0-9]{4}" "Enter 4 digits." es "Escriba 4 dígitos."
    }
    text fits "Fits" es "Encaja" { show if matches(code, "[0-9]{4}") }
    text unfit "Does not fit" es "No encaja" { show if not matches(code, "[0-9]{4}") }
    text other "Other" es "Otra" { show if matches(code, "[0-9]{5}") }
    text province "Province" es "Provincia" {
      check province in ["AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"] "Enter one of the 13 codes of a province or territory." es "Escriba uno de los 13 códigos de provincia o territorio."
    }
    text canadian "Canadian" es "Canadiense" { show if province in ["AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"] }
    text short "Short" es "Corta" { show if province in ["AB", "BC"] }
    choice month "Month" es "Mes" {
      option m1 "January" es "enero"
      option m2 "February" es "febrero"
      option m3 "March" es "marzo"
      option m4 "April" es "abril"
      option m5 "May" es "mayo"
      option m6 "June" es "junio"
      option m7 "July" es "julio"
      option m8 "August" es "agosto"
      option m9 "September" es "septiembre"
      option m10 "October" es "octubre"
      option m11 "November" es "noviembre"
      option m12 "December" es "diciembre"
      option m13 "Not sure" es "No sé"
    }
    text dated "Dated" es "Con fecha" { show if month in ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12", "m13"] }
    text fits_one "Fits one" es "Encaja en una" {
      required if count(matches(code, "[0-9]{4}"), province in ["AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"]) != 1
    }
  }
})");
  const auto& form = plan.form();
  const r::Wording en(form, "en"), es(form, "es");
  const auto field = [&](const r::Wording& w, const char* f) -> const r::FieldWords& { return w.field(field_id(form, f)); };
  BOOST_TEST(field(en, "fits").answer_only_if == "Answer only if your answer to question 1 follows the rule “Enter 4 digits”.");
  BOOST_TEST(field(en, "fits").ask_only_if == "Ask only if the answer to question 1 follows the rule “Enter 4 digits”.");
  BOOST_TEST(field(en, "unfit").answer_only_if ==
             "Answer only if your answer to question 1 does not follow the rule “Enter 4 digits”.");
  // No pattern of the question has that regular expression: said as written.
  BOOST_TEST(field(en, "other").answer_only_if == "Answer only if matches(question 1, “[0-9]{5}”).");
  BOOST_TEST(field(en, "canadian").answer_only_if ==
             "Answer only if your answer to question 5 follows the rule “Enter one of the 13 codes of a province or territory”.");
  BOOST_TEST(field(en, "short").answer_only_if == "Answer only if you answered “AB” or “BC” to question 5.");
  BOOST_TEST(field(en, "dated").answer_only_if == "Answer only if you answered question 8.");
  BOOST_TEST(field(en, "fits_one").required_citizen ==
             "Required unless exactly one of these is true: your answer to question 1 follows the rule “Enter 4 "
             "digits”; your answer to question 5 follows the rule “Enter one of the 13 codes of a province or territory”.");
  // The paper's skip instruction and the phone script's, in the caller's terms.
  const auto& code = field(en, "code");
  BOOST_REQUIRE(code.skips.size() == 1u);
  BOOST_TEST(code.skips[0].text == "If your answer to question 1 does not follow the rule “Enter 4 digits”, go to question 3.");
  BOOST_TEST(code.skips[0].agent_text ==
             "If the caller's answer to question 1 does not follow the rule “Enter 4 digits”, skip to question 3.");
  // Spanish.
  BOOST_TEST(field(es, "fits").answer_only_if == "Responda solo si su respuesta a la pregunta 1 cumple la regla “Escriba 4 dígitos”.");
  BOOST_TEST(field(es, "unfit").answer_only_if ==
             "Responda solo si su respuesta a la pregunta 1 no cumple la regla “Escriba 4 dígitos”.");
  BOOST_TEST(field(es, "other").answer_only_if == "Responda solo si matches(pregunta 1, “[0-9]{5}”).");
  BOOST_TEST(field(es, "canadian").answer_only_if ==
             "Responda solo si su respuesta a la pregunta 5 cumple la regla “Escriba uno de los 13 códigos de provincia o "
             "territorio”.");
  BOOST_TEST(field(es, "dated").answer_only_if == "Responda solo si respondió la pregunta 8.");
  BOOST_TEST(field(es, "fits_one").required_citizen ==
             "Obligatoria salvo que se cumpla exactamente una de estas condiciones: su respuesta a la pregunta 1 cumple "
             "la regla “Escriba 4 dígitos”; su respuesta a la pregunta 5 cumple la regla “Escriba uno de los 13 códigos "
             "de provincia o territorio”.");
}

BOOST_AUTO_TEST_CASE(the_imported_choice_left_blank_is_said_as_docs_dsl_says) {
  // docs/dsl.md, "When the answer that chooses is left blank": the form there, and the words
  // the document quotes for its `required if count(...) != 1`.
  std::ifstream in("docs/dsl.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto start = doc.find("form address_kinds {");
  BOOST_REQUIRE(start != std::string::npos);
  const auto end = doc.find("\n```", start);
  BOOST_REQUIRE(end != std::string::npos);
  const auto plan = plan_of_text(doc.substr(start, end - start + 1));
  const r::Wording en(plan.form(), "en");
  const std::string said = en.field(field_id(plan.form(), "country")).required_citizen;
  BOOST_TEST(said.starts_with("Required unless exactly one of these is true: "), said);
  // The document wraps its lines: compare with its spaces made one.
  std::string flat;
  for (const char c : doc) {
    if (c == '\n' || c == ' ') {
      if (!flat.empty() && flat.back() != ' ') flat += ' ';
    } else {
      flat += c;
    }
  }
  BOOST_TEST(flat.find("\"" + said + "\"") != std::string::npos, said);
}

BOOST_AUTO_TEST_CASE(a_member_is_not_in_the_phone_script) {
  // `member "NAME" TYPE` has no question: the agent never asks for it, and the questions are
  // numbered without it.
  const e::Plan plan = plan_of_text(R"(
form members {
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
  const std::string script = text_of(plan, "en");
  BOOST_TEST(!contains(script, "serviceNote"));
  BOOST_TEST(!contains(script, "otherInformation"));
  BOOST_TEST(contains(script, "Full name"));
  BOOST_TEST(plan.form().fields[field_id(plan.form(), "city")].question == 2u);
  BOOST_TEST(plan.form().fields[field_id(plan.form(), "otherInformation")].question == 0u);
}
