// dsl/plain.cpp: the plain-language checks (see plain.hpp): reading formulas, syllables by
// rule, sentences, passive voice and the embedded word lists.
#include "dsl/plain.hpp"

#include "engine/utf8.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace askonce::dsl {

namespace detail {
// Generated at build time from dsl/plain/en.tsv and es.tsv (dsl/plain/embed.cmake).
extern const unsigned char plain_words_en_bytes[];
extern const std::size_t plain_words_en_size;
extern const unsigned char plain_words_es_bytes[];
extern const std::size_t plain_words_es_size;
}  // namespace detail

namespace {

// ---- Letters ------------------------------------------------------------------------------
//
// Texts are UTF-8 (the parser checked). The languages measured here are written in Latin
// letters; letters past U+024F count as letters of a word but have no syllable rules.


bool is_letter(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7;
  return c > 0x24F && c != 0x2019 && c != 0x2026 && !(c >= 0x2000 && c <= 0x206F) && c != 0xA0 &&
         !(c >= 0x3000 && c <= 0x303F);
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  return c;
}
bool is_upper(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7); }

/// A word as written, lower-cased, and whether it is a number.
struct Word {
  std::string text;  // lower case, UTF-8
  bool number = false;
  bool capital = false;  // written with a capital first letter
  std::size_t at = 0;    // where it starts in the text, in bytes: to quote a sentence's start
};
using Sentence = std::vector<Word>;

/// Abbreviations whose period does not end a sentence.
bool abbreviation(const std::string& w) {
  static const std::set<std::string, std::less<>> list = {
      "mr", "mrs", "ms", "dr", "st", "jr", "sr", "sra", "srta", "dra", "no", "etc", "vs", "approx",
      "dept", "ud", "uds", "núm", "pág", "p", "ej", "e.g", "i.e", "inc", "co", "corp", "ave", "blvd"};
  return w.size() == 1 || list.count(w) > 0;
}

/// Splits a text into sentences of words. A sentence ends at '.', '!', '?', '…' or a line break;
/// a period after a single letter or a known abbreviation ("a.m.", "U.S.", "Dr.") does not end
/// one, nor does one inside a number ("8.5").
std::vector<Sentence> sentences_of(std::string_view text) {
  std::vector<Sentence> out(1);
  auto end_sentence = [&] {
    if (!out.back().empty()) out.emplace_back();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = i;
    const char32_t c = utf8::next(text, i);
    if (is_letter(c) || is_digit(c)) {
      Word w;
      w.at = at;
      w.number = is_digit(c);
      w.capital = is_upper(c);
      utf8::append(w.text, lower(c));
      // The rest of the word: letters and digits, and an apostrophe, hyphen or (in numbers)
      // '.', ',', ':' or '/' between two of them.
      while (i < text.size()) {
        std::size_t j = i;
        const char32_t d = utf8::next(text, j);
        if (is_letter(d) || is_digit(d)) {
          utf8::append(w.text, lower(d));
          i = j;
          continue;
        }
        const bool joiner = d == '\'' || d == 0x2019 || d == '-' ||
                            (w.number && (d == '.' || d == ',' || d == ':' || d == '/'));
        if (!joiner || j >= text.size()) break;
        std::size_t k = j;
        const char32_t e = utf8::next(text, k);
        if (!(is_letter(e) || is_digit(e))) break;
        w.text += d == 0x2019 ? '\'' : static_cast<char>(d);
        i = j;
      }
      out.back().push_back(std::move(w));
      continue;
    }
    if (c == '\n' || c == '!' || c == '?' || c == 0x2026) {
      end_sentence();
    } else if (c == '.') {
      const bool after_abbreviation = !out.back().empty() && !out.back().back().number &&
                                      abbreviation(out.back().back().text) && i < text.size();
      if (!after_abbreviation) end_sentence();
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

bool ascii_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

std::size_t english_core(const std::string& w) {
  const std::size_t n = w.size();
  if (n == 0) return 0;
  auto vowel_at = [&](std::size_t i) {
    if (w[i] == 'y') return i > 0;  // a y that starts a word is a consonant ("yes", "year")
    return ascii_vowel(w[i]);
  };
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (vowel_at(i) && (i == 0 || !vowel_at(i - 1))) ++count;
  }
  auto consonant = [&](std::size_t i) { return !ascii_vowel(w[i]); };
  // A final e is silent ("date", "give"), but not in a consonant + "le" ending ("table").
  if (n > 2 && w[n - 1] == 'e' && consonant(n - 2) &&
      !(w[n - 2] == 'l' && consonant(n - 3))) {
    --count;
  }
  // "-ed" is no syllable of its own ("moved", "used"), but after t or d it is ("wanted").
  if (n > 3 && w.ends_with("ed") && consonant(n - 3) && w[n - 3] != 't' && w[n - 3] != 'd') --count;
  // "-es" likewise ("makes", "dates"), but after s, x, z, ch, sh, ce and ge ("uses", "boxes",
  // "places"), and in a consonant + "les" ending ("tables"), it is one.
  if (n > 3 && w.ends_with("es") && consonant(n - 3)) {
    const char p = w[n - 3];
    const bool sounded = p == 's' || p == 'x' || p == 'z' || p == 'c' || p == 'g' ||
                         (p == 'h' && n > 4 && (w[n - 4] == 'c' || w[n - 4] == 's')) ||
                         (p == 'l' && n > 4 && consonant(n - 4));
    if (!sounded) --count;
  }
  // Two vowels that are two syllables: "ia" ("dial", "media", but not "social", "special") and
  // "ua" ("actual", "usual", but not "equal", "language").
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const char p = w[i - 1];
    if (w[i] == 'i' && w[i + 1] == 'a' && p != 'c' && p != 't' && p != 's' && p != 'g' && p != 'x') ++count;
    if (w[i] == 'u' && w[i + 1] == 'a' && p != 'q' && p != 'g') ++count;
  }
  return std::max<std::size_t>(count, 1);
}

// ---- Spanish ------------------------------------------------------------------------------

enum class SpanishVowel { None, Strong, Weak };

SpanishVowel spanish_vowel(char32_t c) {
  switch (c) {
    case 'a': case 'e': case 'o': case U'á': case U'é': case U'ó':
    case U'í': case U'ú':  // an accent on i or u makes it a vowel of its own: "día", "país"
      return SpanishVowel::Strong;
    case 'i': case 'u': case U'ü':
      return SpanishVowel::Weak;
    default:
      return SpanishVowel::None;
  }
}

double round1(double x) { return std::round(x * 10.0) / 10.0; }

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", round1(x));
  return buf;
}

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

/// The first six words of sentence `s` of `text`, as written, and "..." ("If you live with other
/// people and ...").
std::string sentence_start(std::string_view text, const Sentence& s) {
  if (s.empty()) return {};
  const std::size_t words = std::min<std::size_t>(s.size(), 6);
  const std::size_t end = words < s.size() ? s[words].at : text.size();
  std::string out(text.substr(s.front().at, end - s.front().at));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\t')) out.pop_back();
  return words < s.size() ? out + " ..." : out;
}

bool in(const std::set<std::string, std::less<>>& set, std::string_view w) { return set.find(w) != set.end(); }

// ---- Passive voice ------------------------------------------------------------------------

const std::set<std::string, std::less<>>& english_be() {
  static const std::set<std::string, std::less<>> s = {"am", "is", "are", "was", "were", "be", "been", "being",
                                                       "isn't", "aren't", "wasn't", "weren't"};
  return s;
}

bool english_participle(const std::string& w) {
  static const std::set<std::string, std::less<>> irregular = {
      "given", "taken", "made", "done", "sent", "paid", "kept", "held", "known", "shown", "seen", "written",
      "told", "found", "sold", "built", "bought", "brought", "thought", "taught", "caught", "left", "lost",
      "met", "spent", "lent", "meant", "won", "begun", "broken", "chosen", "driven", "eaten", "fallen",
      "forgotten", "forgiven", "frozen", "gotten", "hidden", "ridden", "spoken", "stolen", "sworn", "torn",
      "worn", "drawn", "grown", "thrown", "withdrawn", "understood", "heard", "laid", "led", "fed", "bound",
      "struck", "stuck", "hung", "sunk", "born", "borne", "bent", "felt", "dealt", "forbidden", "mistaken",
      "undertaken", "withheld", "upheld", "overseen", "rewritten", "shut", "put", "set", "cut", "sought"};
  // Words in -ed that, after a form of "be", describe rather than act ("I am married").
  static const std::set<std::string, std::less<>> adjectives = {
      "married", "divorced", "separated", "widowed", "retired", "disabled", "employed", "unemployed",
      "self-employed", "interested", "tired", "excited", "worried", "concerned", "pleased", "satisfied",
      "dissatisfied", "supposed", "qualified", "licensed", "insured", "uninsured", "enrolled", "located",
      "deceased", "incarcerated", "related", "experienced", "advanced", "detailed", "complicated",
      "talented", "balanced", "dedicated", "crowded", "varied", "armed", "aged", "skilled", "unskilled",
      "ashamed", "scared", "bored", "confused", "embarrassed", "engaged", "naturalized"};
  if (in(irregular, w)) return true;
  if (in(adjectives, w)) return false;
  return w.size() >= 5 && w.ends_with("ed") && !w.ends_with("eed");
}

bool english_adverb(const std::string& w) {
  static const std::set<std::string, std::less<>> s = {"not", "also", "then", "still", "now", "already",
                                                       "always", "never", "often", "only", "usually", "all"};
  return in(s, w) || (w.size() > 4 && w.ends_with("ly"));
}

const std::set<std::string, std::less<>>& spanish_ser() {
  static const std::set<std::string, std::less<>> s = {"es", "son", "fue", "fueron", "será", "serán", "sea",
                                                       "sean", "sido", "ser", "era", "eran", "sería", "serían",
                                                       "fuera", "fueran", "siendo"};
  return s;
}

bool spanish_participle(const std::string& w) {
  static const std::set<std::string, std::less<>> irregular = {
      "hecho", "hecha", "hechos", "hechas", "dicho", "dicha", "dichos", "dichas", "escrito", "escrita",
      "escritos", "escritas", "visto", "vista", "vistos", "vistas", "puesto", "puesta", "puestos", "puestas",
      "abierto", "abierta", "abiertos", "abiertas", "vuelto", "vuelta", "cubierto", "cubierta", "roto",
      "rota", "resuelto", "resuelta", "impreso", "impresa", "impresos", "impresas", "devuelto", "devuelta",
      "devueltos", "devueltas", "propuesto", "propuesta", "satisfecho", "satisfecha"};
  // Adjectives in -ado, -ido that follow "ser" without being passive ("es adecuado").
  static const std::set<std::string, std::less<>> adjectives = {
      "adecuado", "adecuada", "adecuados", "adecuadas", "apropiado", "apropiada", "privado", "privada",
      "delicado", "delicada", "moderado", "moderada", "educado", "educada", "complicado", "complicada",
      "pesado", "pesada", "sagrado", "sagrada", "casado", "casada", "casados", "casadas", "divorciado",
      "divorciada", "separado", "separada", "jubilado", "jubilada", "empleado", "empleada", "desempleado",
      "desempleada", "discapacitado", "discapacitada", "ocupado", "ocupada", "cuidado", "encantado",
      "encantada", "parecido", "parecida", "querido", "querida", "atrevido", "atrevida", "divertido",
      "divertida", "conocido", "conocida", "desconocido", "desconocida", "distinguido", "distinguida",
      "partido", "sentido", "contenido", "apellido", "marido", "ruido", "nido", "olvido", "pedido",
      "estado", "lado", "grado", "dado", "mercado", "soldado", "abogado", "abogada", "pecado", "helado",
      "prado", "resultado", "certificado", "senado", "cuñado", "cuñada", "granada", "entrada", "salida",
      "llegada", "comida", "vida", "bebida", "medida", "partida", "herida", "cada", "nada", "todo"};
  // A participle in -ado/-ido is never written with an accent, so "válido", "rápido" and
  // "tímido" (adjectives) are never taken for one.
  for (unsigned char c : w) {
    if (c >= 0x80) return false;
  }
  if (in(irregular, w)) return true;
  if (in(adjectives, w) || w.size() < 5) return false;
  for (std::string_view end : {"ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"}) {
    if (w.ends_with(end)) return true;
  }
  return false;
}

/// Verbs whose "se" + third person is a passive in a form's Spanish ("se requiere", "se
/// enviará"), and not taken as a reflexive: a subject pronoun before "se" ("usted se ...") is
/// reflexive and never reported.
bool spanish_se_passive_verb(const std::string& w) {
  static const std::set<std::string, std::less<>> s = {
      "requiere", "requieren", "requerirá", "requerirán", "necesita", "necesitan", "exige", "exigen",
      "envía", "envían", "enviará", "enviarán", "procesa", "procesan", "procesará", "procesarán",
      "revisa", "revisan", "revisará", "revisarán", "acepta", "aceptan", "aceptará", "aceptarán",
      "rechaza", "rechazan", "rechazará", "rechazarán", "aprueba", "aprueban", "aprobará", "aprobarán",
      "deniega", "deniegan", "denegará", "denegarán", "notifica", "notifican", "notificará", "notificarán",
      "otorga", "otorgan", "otorgará", "otorgarán", "solicita", "solicitan", "utiliza", "utilizan",
      "utilizará", "utilizarán", "usa", "usan", "usará", "usarán", "recibe", "reciben", "recibirá",
      "recibirán", "guarda", "guardan", "guardará", "guardarán", "comparte", "comparten", "compartirá",
      "compartirán", "publica", "publican", "publicará", "publicarán"};
  return in(s, w);
}

bool spanish_subject(const std::string& w) {
  static const std::set<std::string, std::less<>> s = {"usted", "ustedes", "él", "ella", "ellos", "ellas", "yo",
                                                       "nosotros", "nosotras", "quien", "alguien", "nadie"};
  return in(s, w);
}

// ---- Word lists ---------------------------------------------------------------------------

std::vector<PlainWord> parse_list(const unsigned char* bytes, std::size_t size) {
  std::vector<PlainWord> out;
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::array<std::string_view, 3> cols;
    std::size_t c = 0, from = 0;
    for (; c < 3; ++c) {
      const std::size_t tab = line.find('\t', from);
      cols[c] = line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from);
      if (tab == std::string_view::npos) break;
      from = tab + 1;
    }
    if (c < 2) continue;  // a malformed line: plain_tests holds every line to three columns
    out.push_back(PlainWord{std::string(cols[0]), std::string(cols[1]), std::string(cols[2])});
  }
  return out;
}

/// The list's entries by their first word, for matching at each word of a sentence.
struct ListIndex {
  const std::vector<PlainWord>* list = nullptr;
  std::multimap<std::string, std::pair<std::vector<std::string>, const PlainWord*>, std::less<>> by_first;
};

std::vector<std::string> split_words(const std::string& phrase) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= phrase.size()) {
    const std::size_t sp = phrase.find(' ', start);
    const std::size_t end = sp == std::string::npos ? phrase.size() : sp;
    if (end > start) out.push_back(phrase.substr(start, end - start));
    if (sp == std::string::npos) break;
    start = sp + 1;
  }
  return out;
}

const ListIndex& list_index(std::string_view lang) {
  static const ListIndex en = [] {
    ListIndex i;
    i.list = &plain_words("en");
    for (const auto& w : *i.list) {
      auto words = split_words(w.phrase);
      if (!words.empty()) i.by_first.emplace(words.front(), std::make_pair(words, &w));
    }
    return i;
  }();
  static const ListIndex es = [] {
    ListIndex i;
    i.list = &plain_words("es");
    for (const auto& w : *i.list) {
      auto words = split_words(w.phrase);
      if (!words.empty()) i.by_first.emplace(words.front(), std::make_pair(words, &w));
    }
    return i;
  }();
  static const ListIndex none;
  return lang == "en" ? en : lang == "es" ? es : none;
}

/// The forms of an English word the list's entry stands for: "utilize", "utilizes", "utilized",
/// "utilizing". Spanish entries list their forms themselves.
bool english_form_of(const std::string& written, const std::string& entry) {
  if (written == entry) return true;
  if (!written.starts_with(entry.substr(0, entry.size() - (entry.ends_with("e") ? 1 : 0)))) return false;
  for (std::string_view suffix : {"s", "es", "d", "ed", "ing"}) {
    if (written == entry + std::string(suffix)) return true;
    if (entry.ends_with("e") && written == entry.substr(0, entry.size() - 1) + std::string(suffix)) return true;
  }
  return false;
}

/// The list's entries found in a sentence: (entry, as written), first occurrences only.
void find_listed(const Sentence& s, std::string_view lang, std::vector<std::pair<const PlainWord*, std::string>>& out) {
  const ListIndex& index = list_index(lang);
  for (std::size_t i = 0; i < s.size(); ++i) {
    // A capital inside a sentence is a name ("Catalog of Federal Domestic Assistance"): the
    // form cannot choose another word for it.
    if (i > 0 && s[i].capital) continue;
    const PlainWord* best = nullptr;
    std::size_t best_len = 0;
    // The first word may be inflected (English only); candidates share its stem, so look
    // the written word up and its possible stems.
    std::vector<std::string> keys = {s[i].text};
    if (lang == "en") {
      for (std::string_view suffix : {"s", "es", "d", "ed", "ing"}) {
        if (s[i].text.size() > suffix.size() + 2 && s[i].text.ends_with(suffix)) {
          const std::string stem = s[i].text.substr(0, s[i].text.size() - suffix.size());
          keys.push_back(stem);
          keys.push_back(stem + "e");
        }
      }
    }
    for (const auto& key : keys) {
      auto [lo, hi] = index.by_first.equal_range(key);
      for (auto it = lo; it != hi; ++it) {
        const auto& words = it->second.first;
        if (i + words.size() > s.size() || words.size() <= best_len) continue;
        bool match = lang == "en" ? english_form_of(s[i].text, words[0]) : s[i].text == words[0];
        for (std::size_t k = 1; match && k < words.size(); ++k) match = s[i + k].text == words[k];
        if (match) {
          best = it->second.second;
          best_len = words.size();
        }
      }
    }
    if (!best) continue;
    std::string written;
    for (std::size_t k = 0; k < best_len; ++k) written += (k ? " " : "") + s[i + k].text;
    if (std::none_of(out.begin(), out.end(), [&](const auto& p) { return p.first == best; })) {
      out.emplace_back(best, written);
    }
    i += best_len - 1;
  }
}

std::vector<std::string> passives_in(const std::vector<Sentence>& sentences, std::string_view lang) {
  std::vector<std::string> out;
  for (const Sentence& s : sentences) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      const std::string& w = s[i].text;
      if (lang == "en" && in(english_be(), w)) {
        std::size_t j = i + 1;
        if (j + 1 < s.size() && english_adverb(s[j].text) && !english_participle(s[j].text)) ++j;
        if (english_participle(s[j].text)) {
          std::string found = w;
          for (std::size_t k = i + 1; k <= j; ++k) found += " " + s[k].text;
          out.push_back(std::move(found));
          i = j;
        }
      } else if (lang == "es" && in(spanish_ser(), w)) {
        std::size_t j = i + 1;
        if (j + 1 < s.size() && s[j].text.size() > 6 && s[j].text.ends_with("mente")) ++j;
        if (spanish_participle(s[j].text)) {
          std::string found = w;
          for (std::size_t k = i + 1; k <= j; ++k) found += " " + s[k].text;
          out.push_back(std::move(found));
          i = j;
        }
      } else if (lang == "es" && w == "se" && spanish_se_passive_verb(s[i + 1].text) &&
                 (i == 0 || !spanish_subject(s[i - 1].text))) {
        out.push_back("se " + s[i + 1].text);
        ++i;
      }
    }
  }
  return out;
}

Readability measure_sentences(const std::vector<Sentence>& sentences, std::string_view lang) {
  Readability r;
  r.sentences = sentences.size();
  for (const Sentence& s : sentences) {
    r.words += s.size();
    r.longest_sentence = std::max(r.longest_sentence, s.size());
    for (const Word& w : s) {
      // A number counts as a word of one syllable: "10" is read "ten".
      r.syllables += w.number ? 1 : lang == "es" ? spanish_syllables(w.text) : english_syllables(w.text);
    }
  }
  if (r.words > 0 && r.sentences > 0) {
    const double w = static_cast<double>(r.words), s = static_cast<double>(r.sentences),
                 y = static_cast<double>(r.syllables);
    r.grade = 0.39 * (w / s) + 11.8 * (y / w) - 15.59;
    r.ease = 206.84 - 0.60 * (100.0 * y / w) - 1.02 * (100.0 * s / w);
  }
  return r;
}

}  // namespace

std::size_t english_syllables(std::string_view word) {
  // Letters only, lower case; an apostrophe adds nothing ("don't"); a hyphen joins two words.
  std::string w;
  std::size_t total = 0;
  auto flush = [&] {
    if (w.empty()) return;
    // A silent e before a suffix ("statement", "likely", "careful") is no syllable: count the
    // stem, then the suffix.
    for (std::string_view suffix : {"ments", "ment", "ly", "ful", "ness", "less"}) {
      if (w.size() > suffix.size() + 2 && w.ends_with(suffix) && w[w.size() - suffix.size() - 1] == 'e') {
        total += english_core(w.substr(0, w.size() - suffix.size())) + 1;
        w.clear();
        return;
      }
    }
    total += english_core(w);
    w.clear();
  };
  std::size_t i = 0;
  while (i < word.size()) {
    const char32_t c = lower(utf8::next(word, i));
    if (c == '-') {
      flush();
    } else if (c >= 'a' && c <= 'z') {
      w += static_cast<char>(c);
    } else if (c >= 0xE0 && c <= 0xFF) {
      w += 'e';  // "café", "naïve": an accented vowel is a vowel
    }
  }
  flush();
  return total;
}

std::size_t spanish_syllables(std::string_view word) {
  std::vector<char32_t> cs;
  for (std::size_t i = 0; i < word.size();) cs.push_back(lower(utf8::next(word, i)));
  std::size_t count = 0;
  SpanishVowel previous = SpanishVowel::None;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    SpanishVowel v = spanish_vowel(cs[i]);
    // The u of "que", "qui", "gue", "gui" is not sounded.
    if (cs[i] == 'u' && i > 0 && i + 1 < cs.size() &&
        (cs[i - 1] == 'q' || (cs[i - 1] == 'g' && (cs[i + 1] == 'e' || cs[i + 1] == 'i' || cs[i + 1] == U'é' ||
                                                   cs[i + 1] == U'í')))) {
      v = SpanishVowel::None;
      previous = SpanishVowel::None;
      continue;
    }
    // A y that ends a word after a vowel ("hoy", "muy") is a weak vowel; "y" alone is a word.
    if (cs[i] == 'y' && ((i + 1 == cs.size() && i > 0 && previous != SpanishVowel::None) || cs.size() == 1)) {
      v = SpanishVowel::Weak;
    }
    if (v == SpanishVowel::None) {
      previous = v;
      continue;
    }
    // A new nucleus unless it joins the vowel before it: two strong vowels are a hiatus
    // ("le-er"); a weak one beside another vowel makes a diphthong ("cie-lo", "ciu-dad").
    const bool joins = previous != SpanishVowel::None && !(previous == SpanishVowel::Strong && v == SpanishVowel::Strong);
    if (!joins) ++count;
    previous = v;
  }
  return std::max<std::size_t>(count, cs.empty() ? 0 : 1);
}

Readability measure(std::string_view text, std::string_view lang) {
  return measure_sentences(sentences_of(text), lang);
}

double ease_for_grade(std::int64_t grade) {
  if (grade <= 5) return 90;
  if (grade == 6) return 80;
  if (grade == 7) return 70;
  if (grade <= 9) return 60;
  if (grade <= 12) return 50;
  return 30;
}

const std::vector<PlainWord>& plain_words(std::string_view lang) {
  static const std::vector<PlainWord> en = parse_list(detail::plain_words_en_bytes, detail::plain_words_en_size);
  static const std::vector<PlainWord> es = parse_list(detail::plain_words_es_bytes, detail::plain_words_es_size);
  static const std::vector<PlainWord> none;
  return lang == "en" ? en : lang == "es" ? es : none;
}

std::vector<std::string> passives(std::string_view text, std::string_view lang) {
  return passives_in(sentences_of(text), lang);
}

PlainSummary check_plain(const std::vector<ReadText>& texts, const std::vector<std::string>& languages,
                         std::int64_t grade, bool grade_set, std::vector<Diagnostic>& diagnostics) {
  PlainSummary summary;
  summary.grade = grade;
  summary.grade_set = grade_set;
  const double least_ease = ease_for_grade(grade);
  for (const auto& lang : languages) {
    PlainLanguageSummary ls;
    ls.lang = lang;
    ls.measured = lang == "en" || lang == "es";
    ls.target = lang == "es" ? least_ease : static_cast<double>(grade);
    summary.languages.push_back(std::move(ls));
  }
  auto warn = [&](std::string code, std::string message, model::SourceRef where, std::string hint) {
    Diagnostic d;
    d.severity = Severity::Warning;
    d.code = std::move(code);
    d.message = std::move(message);
    d.where = where;
    d.hint = std::move(hint);
    diagnostics.push_back(std::move(d));
  };
  for (const ReadText& t : texts) {
    auto ls = std::find_if(summary.languages.begin(), summary.languages.end(),
                           [&](const PlainLanguageSummary& s) { return s.lang == t.lang; });
    if (ls == summary.languages.end()) continue;
    ++ls->texts;
    if (!ls->measured) continue;
    const bool es = t.lang == "es";
    const auto sentences = sentences_of(t.text);
    const Readability r = measure_sentences(sentences, t.lang);
    const std::string what = t.what;
    if (r.words >= min_words_to_grade) {
      const double score = es ? r.ease : r.grade;
      ls->average += score;
      const bool worse = ls->graded == 0 || (es ? score < ls->worst : score > ls->worst);
      if (worse) {
        ls->worst = score;
        ls->worst_where = t.where;
      }
      ++ls->graded;
      const std::string counts = std::to_string(r.words) + " words, " + std::to_string(r.sentences) +
                                 (r.sentences == 1 ? " sentence, " : " sentences, ") +
                                 std::to_string(r.syllables) + " syllables";
      if (!es && round1(r.grade) > static_cast<double>(grade)) {
        ++ls->missed;
        warn("W0101", "this " + what + " reads at grade " + number_text(r.grade) + ", above the form's target of grade " +
                          std::to_string(grade),
             t.where, "Flesch-Kincaid, from " + counts + ": use shorter sentences and shorter words");
      } else if (es && round1(r.ease) < least_ease) {
        ++ls->missed;
        warn("W0102", "this Spanish " + what + " has a reading ease of " + number_text(r.ease) + ", below " +
                          number_text(least_ease) + ", the ease of grade " + std::to_string(grade),
             t.where, "Fernández Huerta, from " + counts + ": use shorter sentences and shorter words");
      }
    }
    const std::size_t limit = max_sentence_words;
    for (const auto& s : sentences) {
      if (s.size() > limit) {
        warn("W0201", "a sentence of " + std::to_string(s.size()) + " words in this " + what + "; keep sentences to " +
                          std::to_string(limit) + " words or fewer",
             t.where, "it starts \"" + sentence_start(t.text, s) + "\"; split it, one idea a sentence");
        break;
      }
    }
    for (const auto& p : passives_in(sentences, t.lang)) {
      warn("W0301", "passive voice in this " + what + ": " + quote(p), t.where,
           es ? "say who does it: 'le enviaremos ...', 'usted debe ...'" : "say who does it: 'we will send ...', 'you must ...'");
    }
    std::vector<std::pair<const PlainWord*, std::string>> listed;
    for (const auto& s : sentences) find_listed(s, t.lang, listed);
    for (const auto& [entry, written] : listed) {
      warn("W0401", quote(written) + " has a plainer word: " + quote(entry->plainer), t.where,
           "from " + entry->source);
    }
  }
  for (auto& ls : summary.languages) {
    if (ls.graded > 0) ls.average /= static_cast<double>(ls.graded);
  }
  return summary;
}

std::string format_plain_summary(const PlainSummary& summary, const std::string& file,
                                 const std::vector<Source>& sources) {
  std::string out = file + ": plain language, target grade " + std::to_string(summary.grade) +
                    (summary.grade_set ? " (the form's)" : " (the default; set one with 'plain grade N')") + "\n";
  for (const auto& ls : summary.languages) {
    out += "  " + ls.lang + ": " + std::to_string(ls.texts) + (ls.texts == 1 ? " text" : " texts");
    if (!ls.measured) {
      out += ", not measured: no reading formula for '" + ls.lang + "'\n";
      continue;
    }
    out += ", " + std::to_string(ls.graded) + " long enough to grade";
    if (ls.graded == 0) {
      out += "\n";
      continue;
    }
    const bool es = ls.lang == "es";
    std::string place;
    if (ls.worst_where.file < sources.size()) {
      place = sources[ls.worst_where.file].path + ":" + std::to_string(ls.worst_where.line) + ":" +
              std::to_string(ls.worst_where.column);
    }
    if (es) {
      out += ": average ease " + number_text(ls.average) + ", hardest " + number_text(ls.worst) + " (" + place +
             "); " + std::to_string(ls.missed) + " below " + number_text(ls.target) + "\n";
    } else {
      out += ": average grade " + number_text(ls.average) + ", worst " + number_text(ls.worst) + " (" + place +
             "); " + std::to_string(ls.missed) + " above grade " + std::to_string(summary.grade) + "\n";
    }
  }
  return out;
}

}  // namespace askonce::dsl
