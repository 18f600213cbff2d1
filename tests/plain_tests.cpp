// tests/plain_tests.cpp: plain language (dsl/plain.hpp, docs/diagnostics.md "Plain language (W)").
//
// The reading formulas on texts whose words, sentences and syllables were counted by hand (a
// dictionary's syllables, not the implementation's rules: the arithmetic is in the comments);
// syllables of single words, English and Spanish; sentences; passive voice found and not found;
// the word lists; and every W code raised and not raised through compile_text, with and without
// `plain grade` and Options::plain.
#define BOOST_TEST_MODULE plain_tests
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dsl/compiler.hpp"
#include "dsl/plain.hpp"
#include "test_support.hpp"

using namespace askonce;
using Lines = std::vector<std::string>;

namespace {

dsl::CompileResult compile(std::string text, bool plain) {
  dsl::Options options;
  options.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  options.plain = plain;
  return dsl::compile_text("test.form", std::move(text), options);
}

/// A form in English and Spanish; `settings` after `languages` (line 5 on), then one section
/// with `fields`.
std::string form(const std::string& settings, const std::string& fields, const std::string& langs = "en es") {
  return "form f {\n  title \"Rent help\"" + std::string(langs == "en es" ? " es \"Ayuda\"" : "") +
         "\n  version 1\n  languages " + langs + "\n" + settings + "  section s \"You\"" +
         (langs == "en es" ? " es \"Usted\"" : "") + " {\n" + fields + "  }\n}\n";
}

Lines lines(const std::string& text, bool plain = false) { return test::first_lines(compile(text, plain)); }

bool near(double a, double b) { return std::fabs(a - b) < 0.005; }

}  // namespace

// ---- Syllables ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(english_syllables_by_hand) {
  // Each word's syllables as a dictionary divides it.
  const std::vector<std::pair<const char*, std::size_t>> words = {
      {"cat", 1},        {"date", 1},          {"yes", 1},          {"year", 1},       {"through", 1},
      {"makes", 1},      {"moved", 1},         {"are", 1},          {"please", 1},     {"don't", 1},
      {"table", 2},      {"tables", 2},        {"wanted", 2},       {"listed", 2},     {"pages", 2},
      {"boxes", 2},      {"uses", 2},          {"photo", 2},        {"social", 2},     {"dial", 2},
      {"language", 2},   {"equal", 2},         {"statement", 2},    {"well-known", 2}, {"income", 2},
      {"library", 3},    {"family", 3},        {"actual", 3},       {"completely", 3}, {"applicants", 3},
      {"demonstrate", 3}, {"documentation", 5}, {"eligibility", 6}, {"Social", 2},     {"CAT", 1}};
  for (const auto& [word, count] : words) {
    BOOST_TEST_CONTEXT(word) { BOOST_TEST(dsl::english_syllables(word) == count); }
  }
}

BOOST_AUTO_TEST_CASE(spanish_syllables_by_hand) {
  // Vowel nuclei: ca-sa, le-er (two strong vowels: hiatus), dí-a and pa-ís (an accented weak
  // vowel: hiatus), ciu-dad and cie-lo (diphthongs), que and gue-rra (a silent u), a-gua (a
  // sounded u), pin-güi-no, hoy and muy (a final y), bu-ey as one (buey: a triphthong), a-ho-ra
  // (h parts nothing), a-é-re-o, U-ru-guay (a triphthong), a-ve-ri-güéis.
  const std::vector<std::pair<const char*, std::size_t>> words = {
      {"casa", 2},     {"leer", 2},          {"día", 2},         {"país", 2},      {"ciudad", 2},
      {"cielo", 2},    {"que", 1},           {"guerra", 2},      {"agua", 2},      {"pingüino", 3},
      {"hoy", 1},      {"muy", 1},           {"y", 1},           {"buey", 1},      {"ahora", 3},
      {"aéreo", 4},    {"Uruguay", 3},       {"averigüéis", 4},  {"solicitud", 4}, {"documentación", 5},
      {"obligatoria", 5}, {"enviamos", 3},   {"Escriba", 3},     {"ÁRBOL", 2}};
  for (const auto& [word, count] : words) {
    BOOST_TEST_CONTEXT(word) { BOOST_TEST(dsl::spanish_syllables(word) == count); }
  }
}

// ---- The formulas ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(flesch_kincaid_on_texts_counted_by_hand) {
  {
    // The(1) cat(1) sat(1) on(1) the(1) mat(1): 6 words, 6 syllables, 1 sentence.
    // 0.39 * 6/1 + 11.8 * 6/6 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
    const auto r = dsl::measure("The cat sat on the mat.", "en");
    BOOST_TEST(r.words == 6u);
    BOOST_TEST(r.sentences == 1u);
    BOOST_TEST(r.syllables == 6u);
    BOOST_TEST(near(r.grade, -1.45), r.grade);
  }
  {
    // We(1) will(1) send(1) your(1) card(1). | Please(1) bring(1) a(1) pho-to(2) to(1) the(1)
    // li-brar-y(3).  5 + 7 = 12 words, 5 + 10 = 15 syllables, 2 sentences.
    // 0.39 * 12/2 + 11.8 * 15/12 - 15.59 = 2.34 + 14.75 - 15.59 = 1.50
    const auto r = dsl::measure("We will send your card. Please bring a photo to the library.", "en");
    BOOST_TEST(r.words == 12u);
    BOOST_TEST(r.sentences == 2u);
    BOOST_TEST(r.syllables == 15u);
    BOOST_TEST(near(r.grade, 1.50), r.grade);
  }
  {
    // The(1) ta-bles(2) you(1) want-ed(2) are(1) list-ed(2) on(1) the(1) pag-es(2) we(1) moved(1):
    // 11 words, 15 syllables, 1 sentence.
    // 0.39 * 11 + 11.8 * 15/11 - 15.59 = 4.29 + 16.0909 - 15.59 = 4.7909
    const auto r = dsl::measure("The tables you wanted are listed on the pages we moved.", "en");
    BOOST_TEST(r.words == 11u);
    BOOST_TEST(r.syllables == 15u);
    BOOST_TEST(near(r.grade, 4.7909), r.grade);
  }
  {
    // Ap-pli-cants(3) must(1) dem-on-strate(3) el-i-gi-bil-i-ty(6) through(1) doc-u-men-ta-tion(5)
    // of(1) your(1) in-come(2): 9 words, 23 syllables, 1 sentence.
    // 0.39 * 9 + 11.8 * 23/9 - 15.59 = 3.51 + 30.1556 - 15.59 = 18.0756
    const auto r =
        dsl::measure("Applicants must demonstrate eligibility through documentation of your income.", "en");
    BOOST_TEST(r.words == 9u);
    BOOST_TEST(r.syllables == 23u);
    BOOST_TEST(near(r.grade, 18.0756), r.grade);
  }
}

BOOST_AUTO_TEST_CASE(fernandez_huerta_on_texts_counted_by_hand) {
  {
    // Es-cri-ba(3) su(1) nom-bre(2). | Le(1) en-via-mos(3) u-na(2) car-ta(2).
    // 7 words, 14 syllables, 2 sentences: 200 syllables and 28.5714 sentences per 100 words.
    // 206.84 - 0.60 * 200 - 1.02 * 28.5714 = 206.84 - 120 - 29.1429 = 57.6971
    const auto r = dsl::measure("Escriba su nombre. Le enviamos una carta.", "es");
    BOOST_TEST(r.words == 7u);
    BOOST_TEST(r.sentences == 2u);
    BOOST_TEST(r.syllables == 14u);
    BOOST_TEST(near(r.ease, 57.6971), r.ease);
  }
  {
    // Las(1) so-li-ci-tu-des(5) in-com-ple-tas(4) re-quie-ren(3) siem-pre(2) do-cu-men-ta-ción(5)
    // a-di-cio-nal(4) o-bli-ga-to-ria(5): 8 words, 29 syllables, 1 sentence.
    // 206.84 - 0.60 * 362.5 - 1.02 * 12.5 = 206.84 - 217.5 - 12.75 = -23.41
    const auto r = dsl::measure(
        "Las solicitudes incompletas requieren siempre documentación adicional obligatoria.", "es");
    BOOST_TEST(r.words == 8u);
    BOOST_TEST(r.syllables == 29u);
    BOOST_TEST(near(r.ease, -23.41), r.ease);
  }
  {
    // ¿Ti-e-ne...? No: ¿Tie-ne(2) us-ted(2) hi-jos(2)? | Sí(1).  4 words, 7 syllables, 2 sentences.
    // 206.84 - 0.60 * 175 - 1.02 * 50 = 206.84 - 105 - 51 = 50.84
    const auto r = dsl::measure("¿Tiene usted hijos? Sí.", "es");
    BOOST_TEST(r.words == 4u);
    BOOST_TEST(r.sentences == 2u);
    BOOST_TEST(r.syllables == 7u);
    BOOST_TEST(near(r.ease, 50.84), r.ease);
  }
}

BOOST_AUTO_TEST_CASE(sentences_end_at_stops_but_not_after_abbreviations_or_inside_numbers) {
  BOOST_TEST(dsl::measure("Call us from 8 a.m. to 5 p.m. on weekdays.", "en").sentences == 1u);
  BOOST_TEST(dsl::measure("Dr. Smith signs it. We mail it!", "en").sentences == 2u);
  // "8.50" and "10,000" are one word each; a line break ends a sentence; no stop is one sentence.
  const auto money = dsl::measure("Pay 8.50 now or 10,000 later", "en");
  BOOST_TEST(money.words == 6u);
  BOOST_TEST(money.sentences == 1u);
  BOOST_TEST(dsl::measure("1 Main Street\nSpringfield", "en").sentences == 2u);
  BOOST_TEST(dsl::measure("", "en").words == 0u);
  BOOST_TEST(dsl::measure("...", "en").sentences == 0u);
}

BOOST_AUTO_TEST_CASE(ease_for_a_grade_follows_flesch_table) {
  BOOST_TEST(dsl::ease_for_grade(4) == 90.0);
  BOOST_TEST(dsl::ease_for_grade(6) == 80.0);
  BOOST_TEST(dsl::ease_for_grade(7) == 70.0);
  BOOST_TEST(dsl::ease_for_grade(8) == 60.0);
  BOOST_TEST(dsl::ease_for_grade(12) == 50.0);
  BOOST_TEST(dsl::ease_for_grade(16) == 30.0);
}

// ---- Passive voice --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(passive_voice_is_found_in_english_and_spanish) {
  BOOST_TEST(dsl::passives("Your signature is required.", "en") == (Lines{"is required"}));
  BOOST_TEST(dsl::passives("Payments were not sent on time.", "en") == (Lines{"were not sent"}));
  BOOST_TEST(dsl::passives("The letter has been mailed.", "en") == (Lines{"been mailed"}));
  BOOST_TEST(dsl::passives("Your claim is being reviewed.", "en") == (Lines{"being reviewed"}));
  BOOST_TEST(dsl::passives("It was given to us. They are paid monthly.", "en") == (Lines{"was given", "are paid"}));
  BOOST_TEST(dsl::passives("La solicitud será revisada.", "es") == (Lines{"será revisada"}));
  BOOST_TEST(dsl::passives("Los documentos fueron enviados.", "es") == (Lines{"fueron enviados"}));
  BOOST_TEST(dsl::passives("Su carta ha sido escrita totalmente.", "es") == (Lines{"sido escrita"}));
  BOOST_TEST(dsl::passives("La carta fue rápidamente enviada.", "es") == (Lines{"fue rápidamente enviada"}));
  BOOST_TEST(dsl::passives("Se requiere una firma. Se enviarán dos cartas.", "es") ==
             (Lines{"se requiere", "se enviarán"}));
}

BOOST_AUTO_TEST_CASE(active_voice_and_adjectives_are_not_taken_for_passive) {
  for (const char* text : {"I am married.", "You are retired.", "Are you employed?", "Is this move permanent?",
                           "We sent your card.", "We need your address.", "The bed is red.", "You are interested."}) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(dsl::passives(text, "en").empty()); }
  }
  for (const char* text : {"Su número es válido.", "Usted es casado.", "Si usted se muda, avísenos.",
                           "Ella se considera veterana.", "El trámite es rápido.", "Esto es importante.",
                           "Es el estado donde vive.", "Usted se envía una copia.", "Le enviamos su tarjeta."}) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(dsl::passives(text, "es").empty()); }
  }
}

// ---- Word lists -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_word_lists_are_embedded_and_every_entry_has_a_source) {
  for (const char* lang : {"en", "es"}) {
    const auto& list = dsl::plain_words(lang);
    BOOST_TEST(list.size() >= 60u, lang);
    std::set<std::string> seen;
    for (const auto& w : list) {
      BOOST_TEST_CONTEXT(lang << ": " << w.phrase) {
        BOOST_TEST(!w.phrase.empty());
        BOOST_TEST(!w.plainer.empty());
        BOOST_TEST(w.source.find("Federal Plain Language Guidelines") != std::string::npos);
        BOOST_TEST(seen.insert(w.phrase).second);  // no entry twice
        for (char c : w.phrase) BOOST_TEST(!(c >= 'A' && c <= 'Z'));
        BOOST_TEST(w.phrase.find("  ") == std::string::npos);
      }
    }
    // The data file has exactly as many entries as lines of data: none is dropped as malformed.
    const std::string file = test::read(std::string("dsl/plain/") + lang + ".tsv");
    std::size_t data_lines = 0;
    std::istringstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') ++data_lines;
    }
    BOOST_TEST(list.size() == data_lines, lang);
  }
  BOOST_TEST(dsl::plain_words("fr").empty());
}

// ---- The warnings ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(listed_words_match_with_their_endings_but_not_inside_names) {
  const std::string fields =
      "    note a \"Utilize it. We utilized it. Utilizing it helps. It utilizes less.\"\n"               // 7
      "    note b \"Put them in order to win. Put them in order.\"\n"                                    // 8
      "    note c \"See the Catalog of Federal Domestic Assistance. Are you employed?\"\n"               // 9
      "    note d \"Assistance is here.\"\n";                                                          // 10
  BOOST_TEST(lines(form("  plain grade 16\n", fields, "en")) ==
                 (Lines{"7:12: warning[W0401]: 'utilize' has a plainer word: 'use'",
                        "8:12: warning[W0401]: 'in order to' has a plainer word: 'to'",
                        "10:12: warning[W0401]: 'assistance' has a plainer word: 'aid, help'"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(form("  plain grade 8\n", "    note a \"Usted puede utilizar el servicio a fin de pagar.\"\n", "es")) ==
                 (Lines{"7:12: warning[W0401]: 'utilizar' has a plainer word: 'usar'",
                        "7:12: warning[W0401]: 'a fin de' has a plainer word: 'para'"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nothing_is_reported_without_a_target_or_the_flag) {
  const std::string text = form("", "    note n \"Applicants must demonstrate eligibility through documentation of your income.\""
                                    " es \"Las solicitudes incompletas requieren siempre documentación adicional obligatoria.\"\n");
  auto r = compile(text, false);
  BOOST_TEST(test::first_lines(r) == Lines{});
  BOOST_TEST(!r.plain.has_value());
}

BOOST_AUTO_TEST_CASE(each_warning_is_raised_at_its_text_and_not_on_plain_texts) {
  // Line 7 on (the setting is line 5, the section line 6). Hard texts in each language, then the same said plainly.
  const std::string fields =
      "    note hard \"Applicants must demonstrate eligibility through documentation of your income.\"\n"  // 7
      "      es \"Las solicitudes incompletas requieren siempre documentación adicional obligatoria.\"\n"   // 8
      "    note easy \"We will send your card. Please bring a photo to the library.\"\n"                   // 9
      "      es \"Escriba su nombre. Le enviamos una carta siempre.\"\n"                                 // 10
      "    text a \"Name\" es \"Nombre\" {\n"                                                              // 11
      "      hint \"Your name is required in order to utilize the service.\"\n"                           // 12
      "        es \"Su solicitud será revisada con el fin de utilizar el servicio.\"\n"                       // 13
      "    }\n"                                                                                           // 14
      "    note long \"If you live with other people and they pay part of the rent or they pay for the"
      " heat or the power, tell us how much they pay each month.\"\n"                                      // 15
      "      es \"Díganos.\"\n"                                                                            // 16
      "    note fine \"If you live with other people and they pay part of the rent or the heat or the"
      " power, tell us how much they pay.\"\n"                                                             // 17
      "      es \"Díganos.\"\n";                                                                           // 18
  const auto got = lines(form("  plain grade 8\n", fields));
  BOOST_TEST(got ==
                 (Lines{"7:15: warning[W0101]: this note reads at grade 18.1, above the form's target of grade 8",
                        "7:15: warning[W0401]: 'demonstrate' has a plainer word: 'prove, show'",
                        "8:7: warning[W0102]: this Spanish note has a reading ease of -23.4, below 60.0, the ease of grade 8",
                        "12:12: warning[W0301]: passive voice in this hint: 'is required'",
                        "12:12: warning[W0401]: 'in order to' has a plainer word: 'to'",
                        "12:12: warning[W0401]: 'utilize' has a plainer word: 'use'",
                        "13:9: warning[W0301]: passive voice in this hint: 'será revisada'",
                        "13:9: warning[W0401]: 'con el fin de' has a plainer word: 'para'",
                        "13:9: warning[W0401]: 'utilizar' has a plainer word: 'usar'",
                        "15:15: warning[W0101]: this note reads at grade 9.1, above the form's target of grade 8",
                        "15:15: warning[W0201]: a sentence of 30 words in this note; keep sentences to 25 words or fewer"}),
             boost::test_tools::per_element());
  // The hint's English (line 12) is 10 words, 15 syllables: Your(1) name(1) is(1) re-quired(2)
  // in(1) or-der(2) to(1) u-ti-lize(3) the(1) ser-vice(2): 0.39 * 10 + 11.8 * 1.5 - 15.59 = 6.01,
  // under 8. Line 15's note is 30 words, 33 syllables (oth-er, peo-ple, pow-er: two each):
  // 0.39 * 30 + 11.8 * 33/30 - 15.59 = 9.09, above 8 but not 10; line 17's is 25 words, 28
  // syllables: 0.39 * 25 + 11.8 * 28/25 - 15.59 = 7.38, and not too long. At grade 10 only the
  // grade 18 text is too hard in English; in Spanish the ease needed is 50.
  // The hints: the counts behind a grade, the start of a long sentence, the list's source.
  const auto r = compile(form("  plain grade 8\n", fields), false);
  std::map<std::string, std::string> hints;
  for (const auto& d : r.diagnostics) hints.emplace(d.code, d.hint);
  BOOST_TEST(hints["W0101"] == "Flesch-Kincaid, from 9 words, 1 sentence, 23 syllables: use shorter sentences and shorter words");
  BOOST_TEST(hints["W0102"] == "Fernández Huerta, from 8 words, 1 sentence, 29 syllables: use shorter sentences and shorter words");
  BOOST_TEST(hints["W0201"] == "it starts \"If you live with other people ...\"; split it, one idea a sentence");
  BOOST_TEST(hints["W0301"] == "say who does it: 'we will send ...', 'you must ...'");
  BOOST_TEST(hints["W0401"] ==
             "from Federal Plain Language Guidelines, March 2011 (Rev. 1, May 2011), \"Use short, simple words\"");
  const auto at10 = lines(form("  plain grade 10\n", fields));
  BOOST_TEST(std::count_if(at10.begin(), at10.end(), [](const std::string& l) { return l.find("W0101") != std::string::npos; }) == 1);
}

BOOST_AUTO_TEST_CASE(a_text_just_above_the_target_is_reported_and_just_at_it_is_not) {
  // We(1) will(1) send(1) your(1) card(1). Please(1) bring(1) a(1) pho-to(2) to(1) the(1)
  // li-brar-y(3): grade 1.50 (above). At grade 1 it is above the target; at grade 2 it is not.
  const std::string note = "    note n \"We will send your card. Please bring a photo to the library.\"\n";
  BOOST_TEST(lines(form("  plain grade 1\n", note, "en")) ==
                 (Lines{"7:12: warning[W0101]: this note reads at grade 1.5, above the form's target of grade 1"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(form("  plain grade 2\n", note, "en")) == Lines{});
  // Es-cri-ba(3) su(1) nom-bre(2) com-ple-to(3). Le(1) en-via-mos(3) u-na(2) car-ta(2).: 8 words,
  // 17 syllables, 2 sentences: 206.84 - 0.60 * 212.5 - 1.02 * 25 = 53.84. Grade 8 needs 60,
  // grade 10 needs 50. Write(1) your(1) full(1) name(1). We(1) send(1) a(1) let-ter(2).: 8 words,
  // 9 syllables, 2 sentences: 0.39 * 4 + 11.8 * 9/8 - 15.59 = -0.755, under either.
  const std::string es = "    note n \"Write your full name. We send a letter.\"\n"
                         "      es \"Escriba su nombre completo. Le enviamos una carta.\"\n";
  BOOST_TEST(lines(form("  plain grade 8\n", es)) ==
                 (Lines{"8:7: warning[W0102]: this Spanish note has a reading ease of 53.8, below 60.0, the ease of grade 8"}),
             boost::test_tools::per_element());
  BOOST_TEST(lines(form("  plain grade 10\n", es)) == Lines{});
}

BOOST_AUTO_TEST_CASE(the_flag_checks_a_form_without_a_target_at_grade_8_and_sums_it_up) {
  const std::string fields =
      "    note hard \"Applicants must demonstrate eligibility through documentation of your income.\"\n"
      "      es \"Las solicitudes incompletas requieren siempre documentación adicional obligatoria.\"\n"
      "    note easy \"We will send your card. Please bring a photo to the library.\"\n"
      "      es \"Escriba su nombre. Le enviamos una carta siempre.\"\n";
  auto r = compile(form("", fields), true);
  BOOST_REQUIRE(r.plain.has_value());
  BOOST_TEST(r.plain->grade == 8);
  BOOST_TEST(!r.plain->grade_set);
  BOOST_REQUIRE(r.plain->languages.size() == 2u);
  const auto& en = r.plain->languages[0];
  // Texts: the title, the section title, two notes; graded: the two notes (18.0756 and 1.50).
  BOOST_TEST(en.lang == "en");
  BOOST_TEST(en.texts == 4u);
  BOOST_TEST(en.graded == 2u);
  BOOST_TEST(near(en.average, (18.0756 + 1.50) / 2), en.average);
  BOOST_TEST(near(en.worst, 18.0756), en.worst);
  BOOST_TEST(en.worst_where.line == 6u);
  BOOST_TEST(en.worst_where.column == 15u);
  BOOST_TEST(en.missed == 1u);
  const auto& es = r.plain->languages[1];
  // Escriba(3) su(1) nombre(2). Le(1) enviamos(3) una(2) carta(2) siempre(2).: 8 words,
  // 16 syllables, 2 sentences: 206.84 - 0.60 * 200 - 1.02 * 25 = 61.34, at least 60.
  BOOST_TEST(es.graded == 2u);
  BOOST_TEST(near(es.worst, -23.41), es.worst);
  BOOST_TEST(near(es.average, (-23.41 + 61.34) / 2), es.average);
  BOOST_TEST(es.missed == 1u);
  BOOST_TEST(dsl::format_plain_summary(*r.plain, "test.form", r.sources) ==
             "test.form: plain language, target grade 8 (the default; set one with 'plain grade N')\n"
             "  en: 4 texts, 2 long enough to grade: average grade 9.8, worst 18.1 (test.form:6:15); 1 above grade 8\n"
             "  es: 4 texts, 2 long enough to grade: average ease 19.0, hardest -23.4 (test.form:7:7); 1 below 60.0\n");
  // A form with errors is not summed up: the errors come first.
  auto broken = compile(form("", "    text a \"A\" { show if nope }\n", "en"), true);
  BOOST_TEST(broken.has_errors());
  BOOST_TEST(!broken.plain.has_value());
}

BOOST_AUTO_TEST_CASE(a_block_used_twice_is_checked_once_and_languages_without_a_formula_are_counted) {
  const std::string text =
      "block person {\n"
      "  text who \"Name\" { hint \"Your name is required.\" }\n"  // 2
      "}\n"
      "form f {\n  title \"T\"\n  version 1\n  languages en fr\n  plain grade 8\n"
      "  section s \"S\" fr \"S\" {\n    use person\n    use person as spouse\n  }\n}\n";
  auto r = compile(text, false);
  // S0401 for the block's missing French: an error, so nothing else.
  BOOST_TEST(r.has_errors());
  BOOST_TEST(!r.plain.has_value());
  const std::string en_only =
      "block person {\n"
      "  text who \"Name\" { hint \"Your name is required.\" }\n"
      "}\n"
      "form f {\n  title \"T\"\n  version 1\n  languages en\n  plain grade 8\n"
      "  section s \"S\" {\n    use person\n    use person as spouse\n  }\n}\n";
  BOOST_TEST(lines(en_only) == (Lines{"2:26: warning[W0301]: passive voice in this hint: 'is required'"}),
             boost::test_tools::per_element());
  // The title, the section's title, and the block's label and hint once, though used twice.
  auto once = compile(en_only, false);
  BOOST_REQUIRE(once.plain.has_value());
  BOOST_TEST(once.plain->grade_set);
  BOOST_TEST(once.plain->languages[0].texts == 4u);
  auto fr = compile("form f {\n  title \"T\" fr \"T\"\n  version 1\n  languages en fr\n  section s \"S\" fr \"S\" {\n"
                    "    text a \"Name\" fr \"Nom\"\n  }\n}\n",
                    true);
  BOOST_REQUIRE(fr.plain.has_value());
  BOOST_TEST(fr.plain->languages[1].lang == "fr");
  BOOST_TEST(!fr.plain->languages[1].measured);
  BOOST_TEST(fr.plain->languages[1].texts == 3u);
  BOOST_TEST(dsl::format_plain_summary(*fr.plain, "t.form", fr.sources).find(
                 "  fr: 3 texts, not measured: no reading formula for 'fr'\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_texts_are_measured) {
  // 200,000 words in one sentence, every other one a passive; one word of 100,000 letters;
  // letters of other scripts and marks. Measured right, no crash (quadratic work would run
  // into the test's CTest timeout; speed is for benchmarks, not assertions).
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "is sent ";
  const auto r = dsl::measure(many, "en");
  BOOST_TEST(r.words == 200000u);
  BOOST_TEST(r.longest_sentence == 200000u);
  BOOST_TEST(dsl::passives(many, "en").size() == 100000u);
  const std::string long_word(100000, 'a');
  BOOST_TEST(dsl::english_syllables(long_word) == 1u);
  BOOST_TEST(dsl::spanish_syllables(long_word) == 100000u);  // a-a-a-...: every one a hiatus
  BOOST_TEST(dsl::measure("\u0645\u0631\u062D\u0628\u0627 \U0001F600 \u2014 \u00BF?", "es").words == 2u);
}

BOOST_AUTO_TEST_CASE(shipped_forms_say_nothing_new_without_the_flag) {
  for (const auto& path : test::shipped_forms()) {
    BOOST_TEST_CONTEXT(path) {
      const auto r = dsl::compile_file(path.string());
      BOOST_TEST(test::first_lines(r) == Lines{});
      // Only a form that sets a target (`plain grade N`, change-of-address) is measured, and
      // then it meets it: a summary and no W warning.
      BOOST_REQUIRE(r.form);
      BOOST_TEST(r.plain.has_value() == (r.form->plain_grade > 0));
    }
  }
}
