// dsl/plain.hpp: plain language, checked the way the compiler checks types.
//
// Every text a citizen reads (labels, hints, notes, messages, options, section titles, the start
// page's texts) is measured in its language: the Flesch-Kincaid grade for English, Fernández
// Huerta's reading ease for Spanish, sentences over a length, passive voice, and words from a
// plain-language list with the plainer word to use. Each finding is a W-coded warning at the
// text (docs/diagnostics.md); a summary per form says how the form does against its target.
// The word lists are data files (dsl/plain/*.tsv) embedded at build time, so the tool reads no
// file at run time. The measures are public so that tests hold them to hand counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.hpp"
#include "engine/model.hpp"

namespace askonce::dsl {

/// One language's string of a text a citizen reads, where it is written.
struct ReadText {
  std::string lang;
  std::string text;
  model::SourceRef where;
  const char* what = "";  // "label", "hint", ...: for the messages
};

/// The counts a reading formula takes, and its result.
struct Readability {
  std::size_t words = 0;
  std::size_t sentences = 0;
  std::size_t syllables = 0;
  std::size_t longest_sentence = 0;  // in words
  double grade = 0;  // English: Flesch-Kincaid grade
  double ease = 0;   // Spanish: Fernández Huerta reading ease (higher is easier)
};

/// Syllables in one English word, by rule (vowel groups, silent e, -le, -ed, -es, ...).
std::size_t english_syllables(std::string_view word);
/// Syllables in one Spanish word: its vowel nuclei, with diphthongs, triphthongs and hiatus.
std::size_t spanish_syllables(std::string_view word);
/// Words, sentences and syllables of `text` in `lang` ("en" or "es"), and its formula's result.
Readability measure(std::string_view text, std::string_view lang);

/// The reading ease a Spanish text needs to read like English of `grade` (Flesch's table:
/// 90 for grade 5 and below, 80 for 6, 70 for 7, 60 for 8 and 9, 50 for 10 to 12, 30 for college).
double ease_for_grade(std::int64_t grade);

/// A word or phrase from a plain-language list.
struct PlainWord {
  std::string phrase;   // lower case, words separated by one space: "in order to"
  std::string plainer;  // what to write instead: "to"
  std::string source;   // where the advice comes from
};
/// The list for `lang` ("en", "es"; empty for others), read once from the embedded data file.
const std::vector<PlainWord>& plain_words(std::string_view lang);

/// Passive constructions found in `text` ("is required", "será revisada"), in order.
std::vector<std::string> passives(std::string_view text, std::string_view lang);

/// Texts shorter than this many words are checked for words and passive voice, but not graded:
/// a reading formula means nothing on "Date of birth".
inline constexpr std::size_t min_words_to_grade = 8;
/// A sentence of more words than this is reported (W0201).
inline constexpr std::size_t max_sentence_words = 25;
/// The grades `plain grade N` can set (S0734): first grade to the end of college.
inline constexpr std::int64_t min_plain_grade = 1;
inline constexpr std::int64_t max_plain_grade = 16;
/// The target when `check --plain` is asked for a form that sets none.
inline constexpr std::int64_t default_plain_grade = 8;

/// How one of the form's languages reads.
struct PlainLanguageSummary {
  std::string lang;
  bool measured = false;    // a formula exists for the language (English, Spanish)
  std::size_t texts = 0;    // strings checked
  std::size_t graded = 0;   // of them, long enough to grade
  double average = 0;       // grade (English) or ease (Spanish), over the graded texts
  double worst = 0;         // the highest grade, or the lowest ease
  model::SourceRef worst_where;
  double target = 0;        // the grade, or the least ease
  std::size_t missed = 0;   // graded texts that miss the target
};

/// The summary of a form's wording (`askonce check --plain`).
struct PlainSummary {
  std::int64_t grade = 0;     // the target
  bool grade_set = false;     // by the form (`plain grade N`), not the default
  std::vector<PlainLanguageSummary> languages;  // in the form's order
};

/// Checks `texts` against `grade`, appending W warnings to `diagnostics`; returns the summary.
PlainSummary check_plain(const std::vector<ReadText>& texts, const std::vector<std::string>& languages,
                         std::int64_t grade, bool grade_set, std::vector<Diagnostic>& diagnostics);

/// The summary as `askonce check --plain` prints it, lines ending in '\n'. `file` names the form.
std::string format_plain_summary(const PlainSummary& summary, const std::string& file,
                                 const std::vector<Source>& sources);

}  // namespace askonce::dsl
