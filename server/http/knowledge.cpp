// server/http/knowledge.cpp: the questions only the citizen can answer (knowledge.hpp).
#include "server/http/knowledge.hpp"

#include <charconv>
#include <optional>
#include <string_view>

#include "engine/plan.hpp"
#include "renderers/strings.hpp"

namespace askonce::server {
namespace {

using model::FieldId;
using model::Kind;

/// The value posted under `name`, or nothing.
std::optional<std::string_view> value_of(const Fields& fields, std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

/// A whole number of at most 4 digits, spaces around it allowed.
std::optional<int> small_number(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  int v = 0;
  if (s.empty() || s.size() > 4) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// "Y-M-D" from three parts, when each is a number; nothing otherwise.
std::optional<std::string> date_of(std::optional<std::string_view> y, std::optional<std::string_view> m,
                                   std::optional<std::string_view> d) {
  if (!y || !m || !d) return std::nullopt;
  const auto yy = small_number(*y), mm = small_number(*m), dd = small_number(*d);
  if (!yy || !mm || !dd || *mm < 1 || *mm > 12 || *dd < 1 || *dd > 31 || *yy < 1000) return std::nullopt;
  return std::to_string(*yy) + "-" + std::to_string(*mm) + "-" + std::to_string(*dd);
}

/// A date answer, as one field ("1980-04-02", what <input type=date> posts) or three.
std::optional<std::string> date_answer(const Fields& fields, const std::string& name) {
  if (auto whole = value_of(fields, name); whole && whole->size() == 10 && (*whole)[4] == '-' && (*whole)[7] == '-') {
    return date_of(whole->substr(0, 4), whole->substr(5, 2), whole->substr(8, 2));
  }
  return date_of(value_of(fields, name + ".year"), value_of(fields, name + ".month"), value_of(fields, name + ".day"));
}

std::string digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

/// Whether `f` lies inside a repeat: its answers are someone else's, or one of many.
bool in_repeat(const model::Form& form, FieldId f) {
  for (FieldId p = form.fields[f].parent; p != model::no_field; p = form.fields[p].parent) {
    if (form.fields[p].kind == Kind::Repeat) return true;
  }
  return false;
}

/// The first field, sensitive ones first, for which `answer` gives an expected answer.
template <class Answer>
std::optional<KnowledgeQuestion> first(const model::Form& form, KnowledgeQuestion::Ask ask, Answer answer) {
  for (const bool sensitive : {true, false}) {
    for (FieldId f = 0; f < form.fields.size(); ++f) {
      if (form.fields[f].sensitive != sensitive || in_repeat(form, f)) continue;
      if (auto expected = answer(f)) return KnowledgeQuestion{f, ask, std::move(*expected)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<KnowledgeQuestion> knowledge_questions(const engine::Plan& plan, const Fields& answers) {
  const model::Form& form = plan.form();
  using Ask = KnowledgeQuestion::Ask;
  const std::optional<KnowledgeQuestion> date = first(form, Ask::Date, [&](FieldId f) -> std::optional<std::string> {
    if (form.fields[f].kind != Kind::Date) return std::nullopt;
    return date_answer(answers, form.fields[f].id);
  });
  const std::optional<KnowledgeQuestion> number = first(form, Ask::LastFour, [&](FieldId f) -> std::optional<std::string> {
    if (form.fields[f].kind != Kind::Ssn && form.fields[f].kind != Kind::Ein) return std::nullopt;
    const auto v = value_of(answers, form.fields[f].id);
    if (!v) return std::nullopt;
    const std::string d = digits(*v);
    if (d.size() != 9) return std::nullopt;
    return d.substr(5);
  });
  std::optional<KnowledgeQuestion> zip;
  if (!date || !number) {
    zip = first(form, Ask::Whole, [&](FieldId f) -> std::optional<std::string> {
      if (form.fields[f].kind != Kind::Zip) return std::nullopt;
      const auto v = value_of(answers, form.fields[f].id);
      if (!v) return std::nullopt;
      const std::string d = digits(*v);
      if (d.size() != 5 && d.size() != 9) return std::nullopt;
      return d.substr(0, 5);
    });
  }
  std::vector<KnowledgeQuestion> out;
  if (date) out.push_back(*date);
  if (number) out.push_back(*number);
  if (zip && out.size() < 2) out.push_back(*zip);
  return out;
}

std::string knowledge_input(std::size_t index) { return "known" + std::to_string(index); }

bool knowledge_matches(const std::vector<KnowledgeQuestion>& questions, const Fields& posted) {
  bool all = true;  // every question is compared, so that the time taken says nothing
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const KnowledgeQuestion& q = questions[i];
    const std::string name = knowledge_input(i);
    std::string given;
    if (q.ask == KnowledgeQuestion::Ask::Date) {
      given = date_of(value_of(posted, name + ".year"), value_of(posted, name + ".month"), value_of(posted, name + ".day"))
                  .value_or("");
    } else {
      given = digits(value_of(posted, name).value_or(""));
    }
    if (given.empty() || given != q.expected) all = false;
  }
  return all;
}

Fields knowledge_typed(const Fields& posted) {
  Fields out;
  for (const auto& [name, value] : posted) {
    if (name.starts_with("known") && name.size() < 24 && out.size() < 16) out.emplace_back(name, value.substr(0, 16));
  }
  return out;
}

KnowledgeCheck check_knowledge(Store& store, const std::vector<KnowledgeQuestion>& questions, bool answering,
                               const Fields& typed, const std::string& attempts_key, TimePoint now) {
  if (questions.empty()) return KnowledgeCheck::Passed;
  if (!answering) return KnowledgeCheck::Ask;
  // Counted before comparing: a locked key learns nothing from its next guess.
  if (store.record_attempt(attempts_key, now, knowledge_window) > max_knowledge_tries) return KnowledgeCheck::Locked;
  if (!knowledge_matches(questions, typed)) return KnowledgeCheck::Wrong;
  store.clear_attempts(attempts_key);
  return KnowledgeCheck::Passed;
}

std::pair<int, std::string> knowledge_problem(KnowledgeCheck outcome, std::string_view lang) {
  switch (outcome) {
    case KnowledgeCheck::Wrong: return {422, std::string(renderers::ui(renderers::Ui::ResumeWrong, lang))};
    case KnowledgeCheck::Locked: return {429, std::string(renderers::ui(renderers::Ui::ResumeLocked, lang))};
    case KnowledgeCheck::Ask: case KnowledgeCheck::Passed: break;
  }
  return {200, {}};
}

}  // namespace askonce::server
