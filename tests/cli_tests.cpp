// tests/cli_tests.cpp: the askonce command line: output, exit codes, help.
#define BOOST_TEST_MODULE cli_tests
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "tests/server_support.hpp"
#include "tests/test_support.hpp"

namespace {

using askonce::test::run_cli;

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "askonce-cli-test";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_prints_compiler_style_diagnostics_and_exits_1) {
  const auto p = write_temp("bad.form",
                            "form f {\n  title \"F\"\n  version 1\n  languages en\n"
                            "  section s \"S\" {\n    date d \"D\" { show if retrun_date > 3 }\n"
                            "    date return_date \"R\"\n  }\n}\n");
  const auto r = run_cli({"check", p.string()});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find(p.string() + ":6:26: error[S0104]: unknown field 'retrun_date'") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("    6 |     date d \"D\" { show if retrun_date > 3 }\n") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("      |                          ^~~~~~~~~~~\n") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("did you mean 'return_date'?") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(check_of_clean_files_exits_0) {
  const auto r = run_cli({"check", "forms/change-of-address.form", "forms/common/person.form"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.err == "checked 2 files: 0 errors, 0 warnings\n");
}

BOOST_AUTO_TEST_CASE(check_plain_warns_about_wording_and_prints_a_summary_per_form) {
  // No target in the form: plain `check` says nothing; `check --plain` holds it to grade 8.
  // The purpose: Ap-pli-cants(3) must(1) dem-on-strate(3) el-i-gi-bil-i-ty(6) through(1)
  // doc-u-men-ta-tion(5) of(1) your(1) in-come(2): 9 words, 23 syllables, 1 sentence:
  // 0.39 * 9 + 11.8 * 23/9 - 15.59 = 18.08. The note: We(1) will(1) send(1) your(1) card(1).
  // Please(1) bring(1) a(1) pho-to(2) to(1) the(1) li-brar-y(3).: 12 words, 15 syllables, 2
  // sentences: 0.39 * 6 + 11.8 * 15/12 - 15.59 = 1.50. Average (18.08 + 1.50) / 2 = 9.79.
  const auto p = write_temp("wording.form",
                            "form f {\n  title \"Rent help\"\n  version 1\n  languages en\n"
                            "  purpose \"Applicants must demonstrate eligibility through documentation of your income.\"\n"
                            "  section s \"About you\" {\n"
                            "    note n \"We will send your card. Please bring a photo to the library.\"\n  }\n}\n");
  const auto quiet = run_cli({"check", p.string()});
  BOOST_TEST(quiet.code == 0);
  BOOST_TEST(quiet.out == "");
  BOOST_TEST(quiet.err == "checked 1 file: 0 errors, 0 warnings\n");

  const auto r = run_cli({"check", "--plain", p.string()});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out == p.string() + ": plain language, target grade 8 (the default; set one with 'plain grade N')\n"
                     "  en: 4 texts, 2 long enough to grade: average grade 9.8, worst 18.1 (" + p.string() +
                     ":5:11); 1 above grade 8\n");
  BOOST_TEST(r.err.find(p.string() + ":5:11: warning[W0101]: this purpose reads at grade 18.1, above the form's target of grade 8\n") !=
                 std::string::npos, r.err);
  BOOST_TEST(r.err.find("      = Flesch-Kincaid, from 9 words, 1 sentence, 23 syllables: use shorter sentences and shorter words\n") !=
                 std::string::npos, r.err);
  BOOST_TEST(r.err.find(p.string() + ":5:11: warning[W0401]: 'demonstrate' has a plainer word: 'prove, show'\n") !=
                 std::string::npos, r.err);
  BOOST_TEST(r.err.ends_with("checked 1 file: 0 errors, 2 warnings\n"), r.err);

  // A form that sets a target is held to it by plain `check` too, with its summary.
  const auto t = write_temp("target.form",
                            "form f {\n  title \"Rent help\"\n  version 1\n  languages en\n  plain grade 6\n"
                            "  section s \"About you\" {\n    text a \"Your name is required.\"\n  }\n}\n");
  const auto held = run_cli({"check", t.string()});
  BOOST_TEST(held.code == 0);
  BOOST_TEST(held.err.find(t.string() + ":7:12: warning[W0301]: passive voice in this label: 'is required'\n") !=
                 std::string::npos, held.err);
  BOOST_TEST(held.out == t.string() + ": plain language, target grade 6 (the form's)\n"
                         "  en: 3 texts, 0 long enough to grade\n");

  // A library of blocks has no form to sum up; the shipped forms check clean without --plain.
  const auto lib = run_cli({"check", "--plain", "forms/common/person.form"});
  BOOST_TEST(lib.code == 0);
  BOOST_TEST(lib.out == "forms/common/person.form: plain language: no form in this file, nothing checked\n");
  BOOST_TEST(run_cli({"check", "--plain"}).code == 2);
  BOOST_TEST(run_cli({"check", "--help"}).out.find("--plain") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(check_of_a_missing_file_is_invalid_input) {
  const auto r = run_cli({"check", "no/such/file.form"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("no/such/file.form: error[P0001]: cannot read 'no/such/file.form'") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(model_prints_json_with_the_documented_shape) {
  const auto r = run_cli({"model", "forms/change-of-address.form"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\"askonce_model\": 1") != std::string::npos);
  BOOST_TEST(r.out.find("\"id\": \"change_of_address\"") != std::string::npos);
  BOOST_TEST(r.out.find("\"definition_hash\": \"sha256:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(model_of_a_library_file_says_it_declares_no_form) {
  const auto r = run_cli({"model", "forms/common/person.form"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("declares no form") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run_cli({}).code == 2);
  BOOST_TEST(run_cli({"chek", "x.form"}).code == 2);
  BOOST_TEST(run_cli({"chek", "x.form"}).err.find("did you mean 'check'?") != std::string::npos);
  BOOST_TEST(run_cli({"check"}).code == 2);
  BOOST_TEST(run_cli({"check", "--frobnicate", "x.form"}).code == 2);
  BOOST_TEST(run_cli({"model"}).code == 2);
  BOOST_TEST(run_cli({"model", "a.form", "b.form"}).code == 2);
}

BOOST_AUTO_TEST_CASE(every_command_has_help) {
  const auto general = run_cli({"--help"});
  BOOST_TEST(general.code == 0);
  for (const std::string cmd : {"check", "model", "summary"}) {
    BOOST_TEST(general.out.find("  " + cmd) != std::string::npos, cmd);
    const auto r = run_cli({cmd, "--help"});
    BOOST_TEST(r.code == 0, cmd);
    BOOST_TEST(r.out.find("usage: askonce " + cmd) != std::string::npos, cmd);
    BOOST_TEST(r.out.find("exit status") != std::string::npos, cmd);
  }
}

BOOST_AUTO_TEST_CASE(summary_describes_each_shipped_form) {
  const auto r = run_cli({"summary", "forms"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("change_of_address v1") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("-> irs") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("0 errors") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(validate_prints_the_canonical_submission_or_the_errors) {
  const auto good = write_temp("good.json",
                               R"({"full_name": {"first": "Ana", "last": "Diaz"}, "new_address": {"street": "1 A St",
                                   "city": "B", "state": "md", "zip": "20850"}, "veteran": false})");
  const std::string form = "docs-moving.form";
  const auto f = write_temp(form,
                            "form moving {\n  title \"Moving\" es \"Mudanza\"\n  version 1\n  languages en es\n"
                            "  section s \"S\" es \"S\" {\n"
                            "    name full_name \"Your name\" es \"Su nombre\" { required }\n"
                            "    address new_address \"New address\" es \"Dirección nueva\" { required }\n"
                            "    yesno veteran \"Are you a veteran?\" es \"¿Es veterano?\" { required }\n"
                            "  }\n}\n");
  const auto r = run_cli({"validate", f.string(), good.string(), "--today", "2024-05-01", "--channel", "web"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.starts_with(R"({"askonce_submission":1,"form":"moving","version":1,"definition_hash":"sha256:)"), r.out);
  BOOST_TEST(r.out.find(R"("language":"en","channel":"web","received":"2024-05-01T00:00:00Z","answers":{)"
                        R"("full_name":{"first":"Ana","last":"Diaz"},"new_address":{"street":"1 A St","city":"B",)"
                        R"("state":"MD","zip":"20850"},"veteran":false},"digest":"sha256:)") != std::string::npos, r.out);
  BOOST_TEST(r.out.ends_with("\"}\n"));

  const auto bad = write_temp("bad.json", R"({"full_name": {"first": "Ana"}, "veteran": "no", "vet": 1})");
  const auto e = run_cli({"validate", f.string(), bad.string(), "--today", "2024-05-01", "--lang", "es"});
  BOOST_TEST(e.code == 1);
  BOOST_TEST(e.out == "vet: Este formulario no tiene ninguna pregunta con este nombre. [V0010]\n"
                      "full_name.last: Escriba el apellido de “Su nombre”. [V0101]\n"
                      "new_address.street: Escriba la calle y el número de “Dirección nueva”. [V0101]\n"
                      "new_address.city: Escriba la ciudad de “Dirección nueva”. [V0101]\n"
                      "new_address.state: Seleccione el estado de “Dirección nueva”. [V0101]\n"
                      "new_address.zip: Escriba el código postal de “Dirección nueva”. [V0101]\n"
                      "veteran: “¿Es veterano?” necesita verdadero o falso. [V0012]\n", e.out);
  const auto j = run_cli({"validate", f.string(), bad.string(), "--today", "2024-05-01", "--json"});
  BOOST_TEST(j.code == 1);
  BOOST_TEST(j.out.starts_with("[\n  {\"path\": \"vet\", \"code\": \"V0010\", \"message\": \"This form has no question with this name.\"},\n"), j.out);

  const auto flat = write_temp("post.txt", "full_name.first=Ana&full_name.last=Diaz&new_address.street=1+A+St&"
                                           "new_address.city=B&new_address.state=MD&new_address.zip=20850&veteran=no");
  const auto fr = run_cli({"validate", f.string(), flat.string(), "--today", "2024-05-01", "--channel", "web", "--flat"});
  BOOST_TEST(fr.code == 0, fr.out);
  BOOST_TEST(fr.out == r.out);  // one canonical document, whichever way it came in
}

BOOST_AUTO_TEST_CASE(validate_usage_errors_exit_2) {
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form"}).code == 2);
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form", "x.json", "--bogus"}).code == 2);
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form", "no/such.json"}).code == 2);
  const auto s = write_temp("s.json", "{}");
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form", s.string(), "--today", "2023-02-29"}).code == 2);
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form", s.string(), "--lang", "fr"}).code == 2);
  BOOST_TEST(run_cli({"validate", "forms/change-of-address.form", s.string(), "--lang"}).code == 2);
  const auto h = run_cli({"validate", "--help"});
  BOOST_TEST(h.code == 0);
  BOOST_TEST(h.out.find("path: message [CODE]") != std::string::npos);
}

// ---- route and contract ---------------------------------------------------------------------

namespace {
const std::string coa_submission = R"({
  "person": {"name": {"first": "Ana", "last": "Diaz"}, "birth_date": "1980-02-28", "ssn": "123-45-6789"},
  "contact": {"phone": "202-555-0123", "preferred_method": "phone"},
  "old_address": {"street": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
  "new_address": {"street": "2 Oak Ave", "city": "Springfield", "state": "IL", "zip": "62702"},
  "move_date": "2024-04-20", "kind": "permanent", "filed_jointly": false,
  "veteran": false, "forward_mail": false, "truthful": true, "signature": "Ana Diaz"
})";
}  // namespace

BOOST_AUTO_TEST_CASE(route_prints_the_views_of_the_agencies_that_receive_the_submission) {
  const auto p = write_temp("coa.json", coa_submission);
  const auto all = run_cli({"route", "forms/change-of-address.form", p.string(), "--today", "2024-05-01"});
  BOOST_TEST(all.code == 0, all.err);
  BOOST_TEST(all.out.starts_with("[\n  {\n    \"form\": \"change_of_address\",\n"), all.out);
  BOOST_TEST(all.out.find("\"agency\": \"ssa\"") != std::string::npos);
  BOOST_TEST(all.out.find("\"agency\": \"irs\"") != std::string::npos);
  BOOST_TEST(all.out.find("\"agency\": \"va\"") == std::string::npos);  // not a veteran
  const auto irs = run_cli({"route", "forms/change-of-address.form", p.string(), "--agency", "irs", "--format", "xml",
                        "--today", "2024-05-01"});
  BOOST_TEST(irs.code == 0, irs.err);
  BOOST_TEST(irs.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?askonce form=\"change_of_address\""), irs.out);
  BOOST_TEST(irs.out.find("  <TIN>123456789</TIN>\n") != std::string::npos, irs.out);
  const auto va = run_cli({"route", "forms/change-of-address.form", p.string(), "--agency", "va", "--today", "2024-05-01"});
  BOOST_TEST(va.code == 1);
  BOOST_TEST(va.err == "askonce route: agency 'va' does not receive this submission: its 'when' does not hold\n");
  const auto typo = run_cli({"route", "forms/change-of-address.form", p.string(), "--agency", "isr"});
  BOOST_TEST(typo.code == 2);
  BOOST_TEST(typo.err == "askonce route: the form has no agency 'isr'\ndid you mean 'irs'?\n");
}

BOOST_AUTO_TEST_CASE(route_of_an_invalid_submission_prints_errors_and_exits_1) {
  const auto p = write_temp("coa-bad.json", R"({"move_date": "2024-02-30"})");
  const auto r = run_cli({"route", "forms/change-of-address.form", p.string(), "--today", "2024-05-01"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("move_date: ") != std::string::npos, r.err);
  BOOST_TEST(run_cli({"route", "forms/change-of-address.form", p.string(), "--format", "yaml"}).code == 2);
}

BOOST_AUTO_TEST_CASE(contract_prints_a_json_schema_or_an_xsd) {
  const auto js = run_cli({"contract", "forms/change-of-address.form", "--agency", "irs", "--format", "json-schema"});
  BOOST_TEST(js.code == 0, js.err);
  BOOST_TEST(js.out.starts_with("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"), js.out);
  const auto xsd = run_cli({"contract", "forms/change-of-address.form", "--agency", "irs", "--format", "xsd"});
  BOOST_TEST(xsd.code == 0, xsd.err);
  BOOST_TEST(xsd.out.find("<xs:element name=\"irs\" type=\"irsType\"/>") != std::string::npos, xsd.out);
  // Two namespaces, two schema documents: only with --out.
  const auto many = run_cli({"contract", "forms/sf424.form", "--agency", "grants_gov", "--format", "xsd"});
  BOOST_TEST(many.code == 2);
  BOOST_TEST(many.err.find("grants_gov.xsd, grants_gov-globLib.xsd); write them all with --out DIR") != std::string::npos,
             many.err);
  const auto dir = std::filesystem::temp_directory_path() / "askonce-cli-test" / "contract";
  const auto out = run_cli({"contract", "forms/sf424.form", "--agency", "grants_gov", "--format", "xsd", "--out", dir.string()});
  BOOST_TEST(out.code == 0, out.err);
  BOOST_TEST(std::filesystem::exists(dir / "grants_gov-globLib.xsd"));
  BOOST_TEST(run_cli({"contract", "forms/sf424.form", "--format", "xsd"}).code == 2);
  BOOST_TEST(run_cli({"contract", "forms/sf424.form", "--agency", "grants_gov"}).code == 2);
}

BOOST_AUTO_TEST_CASE(route_and_contract_have_help) {
  for (const char* c : {"route", "contract"}) {
    const auto r = run_cli({c, "--help"});
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find(std::string("usage: askonce ") + c) != std::string::npos, r.out);
  }
}

BOOST_AUTO_TEST_CASE(render_draws_text_through_the_table_of_renderers) {
  const auto t = run_cli({"render", "forms/change-of-address.form", "--to", "text"});
  BOOST_TEST(t.code == 0, t.err);
  BOOST_TEST(t.out.starts_with("Report a change of address\nForm version 1\n"), t.out);
  BOOST_TEST(t.out == askonce::test::read("tests/golden/text/change-of-address.en.txt"));
  const auto es = run_cli({"render", "forms/change-of-address.form", "--to", "text", "--lang", "es", "--width", "40"});
  BOOST_TEST(es.code == 0, es.err);
  BOOST_TEST(es.out.find("Pregunta 13. ¿Es permanente esta\nmudanza?\n") != std::string::npos, es.out);
  // To a file.
  const auto file = std::filesystem::temp_directory_path() / "askonce-cli-test" / "coa.txt";
  std::filesystem::create_directories(file.parent_path());
  const auto o = run_cli({"render", "forms/change-of-address.form", "--to", "text", "-o", file.string()});
  BOOST_TEST(o.code == 0, o.err);
  BOOST_TEST(o.out.empty());
  BOOST_TEST(askonce::test::read(file) == t.out);
  // The rules the web pages' shared script reads, as the page in that language carries them.
  const auto rules = run_cli({"render", "forms/change-of-address.form", "--to", "rules", "--lang", "es"});
  BOOST_TEST(rules.code == 0, rules.err);
  BOOST_TEST(rules.out.starts_with("{\"form\": \"change_of_address\", \"version\": 1,"), rules.out);
  const std::string page = askonce::test::read("tests/golden/html/change-of-address.es.html");
  BOOST_TEST(page.find(rules.out.substr(0, rules.out.size() - 1) + "</script>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(render_draws_a_start_page_without_a_server) {
  // The start page with the frame's defaults, exactly as the golden the browser checks saw.
  const auto r = run_cli({"render", "forms/change-of-address.form", "--to", "html", "--document", "start", "--lang", "es"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out == askonce::test::read("tests/golden/html/change-of-address.es.start.html"));
  const auto bad = run_cli({"render", "forms/change-of-address.form", "--to", "html", "--document", "begin"});
  BOOST_TEST(bad.code != 0);
  BOOST_TEST(bad.err.find("--document is start, form, answers or receipt, not 'begin'") != std::string::npos, bad.err);
}

BOOST_AUTO_TEST_CASE(render_a_submission_draws_the_receipt_or_the_errors) {
  const auto p = write_temp("coa-render.json", coa_submission);
  const auto r = run_cli({"render", "forms/change-of-address.form", "--to", "text", "--submission", p.string(), "--today",
                      "2024-05-01", "--reference", "REF-42"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.starts_with("Receipt\n"), r.out);
  BOOST_TEST(r.out.find("Reference number: REF-42\n") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("Internal Revenue Service") != std::string::npos, r.out);
  const auto a = run_cli({"render", "forms/change-of-address.form", "--to", "text", "--submission", p.string(), "--today",
                      "2024-05-01", "--document", "answers"});
  BOOST_TEST(a.code == 0, a.err);
  BOOST_TEST(a.out.starts_with("Check your answers\n"), a.out);
  const auto bad = write_temp("coa-render-bad.json", R"({"move_date": "2024-02-30"})");
  const auto b = run_cli({"render", "forms/change-of-address.form", "--to", "text", "--submission", bad.string()});
  BOOST_TEST(b.code == 1);
  BOOST_TEST(b.out.find("There is a problem\n") != std::string::npos, b.out);
  BOOST_TEST(b.out.find("Your answer: 2024-02-30\n") != std::string::npos, b.out);
  BOOST_TEST(b.err.find("move_date: ") != std::string::npos, b.err);
}

BOOST_AUTO_TEST_CASE(render_usage_errors_exit_2) {
  const auto unknown = run_cli({"render", "forms/change-of-address.form", "--to", "docx"});
  BOOST_TEST(unknown.code == 2);
  BOOST_TEST(unknown.err.starts_with("askonce render: unknown format 'docx'; the formats are text"), unknown.err);
  BOOST_TEST(run_cli({"render", "forms/change-of-address.form"}).code == 2);  // no --to
  BOOST_TEST(run_cli({"render", "--to", "text"}).code == 2);                  // no form
  BOOST_TEST(run_cli({"render", "forms/change-of-address.form", "--to", "text", "--lang", "fr"}).code == 2);
  BOOST_TEST(run_cli({"render", "forms/change-of-address.form", "--to", "text", "--width", "5"}).code == 2);
  BOOST_TEST(run_cli({"render", "forms/change-of-address.form", "--to", "text", "--document", "receipt"}).code == 2);
  BOOST_TEST(run_cli({"render", "forms/change-of-address.form", "--to", "text", "--bogus"}).code == 2);
  const auto help = run_cli({"render", "--help"});
  BOOST_TEST(help.code == 0);
  BOOST_TEST(help.out.find("usage: askonce render FORM --to FORMAT") != std::string::npos, help.out);
  BOOST_TEST(run_cli({"--help"}).out.find("  render    ") != std::string::npos);
}
