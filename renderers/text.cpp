// renderers/text.cpp: the plain-text renderer (see text.hpp).
//
// Every word comes from the Wording (the form's texts, the engine's rules in words, and the
// agent's voice of the phone script) or the UI strings; this file only lays them out: one
// paragraph per fact, a blank line between blocks, wrapped by wrap(). Options, the read-back
// and receipt lists are indented with spaces, which screen readers do not read; nothing else
// marks structure.
#include "renderers/text.hpp"

#include <algorithm>

#include "engine/plan.hpp"
#include "renderers/feedback.hpp"
#include "renderers/wording.hpp"
#include "renderers/wrap.hpp"

namespace askonce::renderers {
namespace {

using model::FieldId;
using model::Kind;

class TextWriter {
 public:
  TextWriter(const RenderRequest& request, const Wording& wording)
      : request_(request), w_(wording), form_(wording.form()), width_(std::max<std::size_t>(request.width, 20)) {}

  std::string out;

  void para(std::string_view text, std::string_view indent = {}) { out += wrap(text, width_, indent, indent); }
  /// A list item: "  A. Email", its further lines under the text, not the letter.
  void item(std::string_view marker, std::string_view text) {
    const std::string first = "  " + std::string(marker) + " ";
    out += wrap(text, width_, first, std::string(display_width(first), ' '));
  }
  void blank() {
    if (!out.empty() && !out.ends_with("\n\n")) out += '\n';
  }

  void standard() {
    if (w_.standard().empty()) return;
    blank();
    para(w_.ui(Ui::WhatHappensNext));
    para(w_.standard());
  }

  // ---- The form: the phone script ----------------------------------------------------------
  //
  // The blank form is the phone agent's script: the opening and privacy notice, each section's
  // questions in order as something to ask, the read-back and the closing. Every sentence is
  // the Wording's (ScriptWords, FieldWords' agent fields); this only lays them out.

  void form() {
    const ScriptWords& sc = w_.script();
    para(w_.title());
    para(w_.form_identity());
    para(sc.heading);
    blank();
    para(sc.for_citizens);
    if (request_.filled && !request_.filled->errors.empty()) {
      blank();
      para(w_.ui(Ui::ThereIsAProblem));
      for (const auto& e : request_.filled->errors) para(problem(e), "  ");
    }
    block(sc.opening_heading, sc.opening);
    block(sc.privacy_heading, sc.privacy);
    const auto& sections = w_.sections();
    for (const auto& s : sections) {
      blank();
      para(w_.ui(Ui::SectionN, {std::to_string(s.number), std::to_string(sections.size()), s.title}));
      for (FieldId f : s.fields) field(f);
    }
    block(sc.read_back_heading, sc.read_back);
    for (std::uint32_t q = 1; q <= w_.question_count(); ++q) {
      const FieldId f = w_.field_of_question(q);
      if (f != model::no_field) para(w_.field(f).agent_read_back, "  ");
    }
    block(sc.closing_heading, sc.closing);
    // The A-11 survey, after the application is sent: optional, in the agent's voice; the
    // statements to read out indented under their question, as the read-back's answers are.
    blank();
    para(w_.ui(Ui::FeedbackScriptHeading));
    for (const auto& line : feedback_script(w_.title(), w_.language())) para(line.text, line.item ? "  " : "");
  }

  /// A heading and its lines, after a blank line.
  void block(std::string_view heading, const std::vector<std::string>& lines) {
    blank();
    para(heading);
    for (const auto& l : lines) para(l);
  }

  std::string problem(const engine::Error& e) const {
    const std::uint32_t q = e.field != model::no_field ? w_.question(e.field) : 0;
    if (q) return w_.ui(Ui::ProblemAt, {w_.ui(Ui::QuestionN, {std::to_string(q)}), e.message});
    if (!e.path.empty()) return w_.ui(Ui::ProblemAt, {e.path, e.message});
    return e.message;
  }

  /// What the citizen sent for top-level field `f`, as one text.
  std::string sent(FieldId f) const {
    if (!request_.filled) return {};
    const std::string& id = form_.fields[f].id;
    std::string whole, month, day, year, parts;
    for (const auto& [name, value] : request_.filled->values) {
      if (value.empty()) continue;
      if (name == id) {
        whole += (whole.empty() ? "" : "; ") + value;
      } else if (name.size() > id.size() && name.starts_with(id) && name[id.size()] == '.') {
        const std::string_view rest = std::string_view(name).substr(id.size() + 1);
        if (rest == "month") month = value;
        else if (rest == "day") day = value;
        else if (rest == "year") year = value;
        else if (rest.find('.') == std::string_view::npos && rest.find('[') == std::string_view::npos)
          parts += (parts.empty() ? "" : ", ") + value;
      }
    }
    if (!whole.empty()) return whole;
    if (!month.empty() || !day.empty() || !year.empty()) return month + "/" + day + "/" + year;
    return parts;
  }

  void errors_of(FieldId f) {
    if (!request_.filled) return;
    for (const auto& e : request_.filled->errors) {
      if (e.field != f) continue;
      const std::string where = e.path == form_.fields[f].id ? std::string() : e.path + ": ";
      para(std::string(w_.ui(Ui::ErrorPrefix)) + " " + where + e.message);
    }
  }

  void condition(const FieldWords& fw, bool note = false) {
    if (!fw.conditional) return;
    para(note ? w_.ui(Ui::ReadOnlyIf, {fw.condition_agent}) : fw.ask_only_if);
  }

  void field(FieldId f) {
    const model::Field& field = form_.fields[f];
    const FieldWords& fw = w_.field(f);
    switch (field.kind) {
      case Kind::Member: return;  // no question: never in the script
      case Kind::Note:
        blank();
        condition(fw, true);
        para(fw.agent_read);
        return;
      case Kind::Group:
        if (fw.conditional || !fw.label.empty()) {
          blank();
          if (!fw.label.empty()) para(fw.label);
          condition(fw);
          if (!fw.agent_help.empty()) para(fw.agent_help);
        }
        for (FieldId c : field.children) this->field(c);
        return;
      case Kind::Repeat: repeat(f); return;
      default: break;
    }
    blank();
    if (fw.computed) {
      para(fw.label);
      condition(fw);
      para(fw.agent_computed);
      return;
    }
    para(fw.number ? w_.ui(Ui::QuestionN, {std::to_string(fw.number)}) + ". " + fw.label : fw.label);
    // Whether to ask comes before the asking.
    condition(fw);
    if (!fw.agent_read.empty()) para(fw.agent_read);
    para(fw.agent_ask);
    if (!fw.agent_help.empty()) para(fw.agent_help);
    if (!fw.agent_choices.empty()) para(fw.agent_choices);
    for (const auto& o : fw.options) para(o.label, "  ");
    if (!fw.agent_record.empty()) para(fw.agent_record);
    if (!fw.required_agent.empty()) para(fw.required_agent);
    if (!fw.bounds.empty()) para(fw.bounds);
    for (const auto& c : fw.checks) para(c.agent_text);
    if (!fw.agent_private.empty()) para(fw.agent_private);
    for (const auto& skip : fw.skips) {
      if (!skip.agent_text.empty()) para(skip.agent_text);
    }
    if (const std::string v = sent(f); !v.empty()) para(w_.ui(Ui::YourAnswer, {v}));
    errors_of(f);
  }

  void repeat(FieldId f) {
    const model::Field& field = form_.fields[f];
    const FieldWords& fw = w_.field(f);
    blank();
    para(fw.label);
    condition(fw);
    if (!fw.agent_help.empty()) para(fw.agent_help);
    if (!fw.required_agent.empty()) para(fw.required_agent);
    if (!fw.bounds.empty()) para(fw.bounds);
    std::uint32_t first = 0, last = 0;
    for (FieldId d = f + 1; d < form_.fields.size(); ++d) {
      if (!inside(d, f)) break;
      if (const auto q = form_.fields[d].question) {
        if (!first) first = q;
        last = q;
      }
    }
    if (first && last > first) {
      para(w_.ui(Ui::AskedForEachEntry, {std::to_string(first), std::to_string(last)}));
    } else if (first) {
      para(w_.ui(Ui::AskedForEachEntry1, {std::to_string(first)}));
    }
    errors_of(f);
    for (FieldId c : field.children) this->field(c);
  }

  bool inside(FieldId d, FieldId ancestor) const {
    for (FieldId g = form_.fields[d].parent; g != model::no_field; g = form_.fields[g].parent) {
      if (g == ancestor) return true;
    }
    return false;
  }

  // ---- A submission ------------------------------------------------------------------------

  void answers(bool mask) {
    DescribeOptions options;
    options.mask_sensitive = mask;
    const auto lines = describe_submission(*request_.plan, *request_.submission, w_, options);
    for (const auto& l : lines) {
      const std::string indent(2 * l.depth, ' ');
      switch (l.kind) {
        case AnswerLine::Kind::Section:
          blank();
          para(l.label);
          break;
        case AnswerLine::Kind::Entry:
          blank();
          para(l.label, indent);
          if (!l.answer.empty()) para(l.answer, indent);
          break;
        case AnswerLine::Kind::Note:
          break;
        case AnswerLine::Kind::Question:
        case AnswerLine::Kind::Computed: {
          blank();
          const std::string head =
              l.number ? w_.ui(Ui::QuestionN, {std::to_string(l.number)}) + ". " + l.label : l.label;
          para(head, indent);
          para(l.answer.empty() ? std::string(w_.ui(Ui::NotAnswered)) : l.answer, indent);
          break;
        }
      }
    }
  }

  void check_answers() {
    para(w_.ui(Ui::CheckYourAnswers));
    para(w_.title());
    para(w_.form_identity());
    answers(false);
  }

  void receipt() {
    para(w_.ui(Ui::Receipt));
    para(w_.title());
    para(w_.form_identity());
    const ReceiptInfo* info = request_.receipt;
    blank();
    const std::string reference = info ? info->reference : std::string();
    if (!reference.empty()) para(w_.ui(Ui::ProblemAt, {w_.ui(Ui::ReferenceNumber), reference}));
    const std::string received = info && !info->received.empty() ? info->received : request_.submission->received;
    if (!received.empty()) para(w_.ui(Ui::ProblemAt, {w_.ui(Ui::TimeReceived), w_.timestamp(received, request_.site.time_zone)}));
    blank();
    if (!info || info->agencies.empty()) {
      para(w_.ui(Ui::NoAgencies));
    } else {
      para(w_.ui(Ui::AgenciesReceiving));
      for (const auto& line : receipt_agency_lines(w_, *info)) para(line, "  ");
    }
    standard();
    blank();
    para(w_.ui(Ui::YourAnswers));
    answers(true);
  }

 private:
  const RenderRequest& request_;
  const Wording& w_;
  const model::Form& form_;
  std::size_t width_;
};

}  // namespace

RenderResult render_text(const RenderRequest& request) {
  RenderResult result;
  if (!request.plan) return result;
  const Wording wording(request.plan->form(), request.language);
  TextWriter writer(request, wording);
  // A step is a web page and the start page leads to the form; as text, both are the whole form.
  Document document = request.document;
  if (document == Document::Step || document == Document::Start) document = Document::Form;
  if (document != Document::Form && !request.submission) {
    result.warnings.push_back({Severity::Warning, "R0201",
                               "this document needs a submission; the blank form is drawn instead",
                               request.plan->form().where, {}});
    document = Document::Form;
  }
  switch (document) {
    case Document::Start: case Document::Form: case Document::Step: writer.form(); break;
    case Document::Answers: writer.check_answers(); break;
    case Document::Receipt: writer.receipt(); break;
  }
  result.bytes = std::move(writer.out);
  return result;
}

}  // namespace askonce::renderers
