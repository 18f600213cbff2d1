// renderers/html.cpp: the web renderer (html.hpp). The page is built into a string through two
// writers only: `tag` for markup this file writes itself, `text` for everything else, which goes
// through append_html. No other function here writes into the output.
#include "renderers/html.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/composites.hpp"
#include "engine/plan.hpp"
#include "engine/value.hpp"
#include "renderers/escape.hpp"
#include "renderers/feedback.hpp"
#include "renderers/frame.hpp"
#include "renderers/script.hpp"
#include "renderers/wording.hpp"

namespace askonce::renderers {
namespace {

using model::FieldId;
using model::Kind;

/// A choice with more options than this is a select, not radios.
constexpr std::size_t max_radios = 12;

bool truthy(std::string_view v) {
  std::string s;
  for (char c : v) s += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s == "yes" || s == "true" || s == "on" || s == "1" || s == "y" || s == "sí" || s == "si";
}
bool falsy(std::string_view v) {
  std::string s;
  for (char c : v) s += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s == "no" || s == "false" || s == "off" || s == "0" || s == "n";
}

/// What the form inputs hold: the values sent, or (blank form) the defaults.
class Values {
 public:
  void add(std::string name, std::string value) { map_.emplace(std::move(name), std::move(value)); }
  /// The first value sent under `name`, or nothing.
  std::optional<std::string_view> first(std::string_view name) const {
    auto it = map_.find(name);
    if (it == map_.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  std::vector<std::string_view> all(std::string_view name) const {
    std::vector<std::string_view> out;
    auto [b, e] = map_.equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
  }
  /// Whether anything was sent under `path`: the name itself or one of its parts.
  bool any_under(std::string_view path) const {
    for (auto it = map_.lower_bound(path); it != map_.end() && it->first.starts_with(path); ++it) {
      const std::string_view rest = std::string_view(it->first).substr(path.size());
      if (rest.empty() || rest[0] == '.' || rest[0] == '[') return true;
    }
    return false;
  }
  /// How many entries the repeat at instance path `path` has: one more than the highest index
  /// any name "path[i]..." sent.
  std::size_t entries(std::string_view path) const {
    std::size_t n = 0;
    const std::string prefix = std::string(path) + "[";
    for (auto it = map_.lower_bound(prefix); it != map_.end() && it->first.starts_with(prefix); ++it) {
      std::size_t i = prefix.size(), v = 0;
      bool digits = false;
      while (i < it->first.size() && it->first[i] >= '0' && it->first[i] <= '9' && v < 100000) {
        v = v * 10 + static_cast<std::size_t>(it->first[i++] - '0');
        digits = true;
      }
      if (digits && i < it->first.size() && it->first[i] == ']') n = std::max(n, v + 1);
    }
    return n;
  }

 private:
  std::multimap<std::string, std::string, std::less<>> map_;
};

std::string literal_text(const model::Literal& v, Kind kind) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "yes" : "no";
  if (const auto* n = std::get_if<model::Number>(&v)) return n->digits;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* d = std::get_if<model::Date>(&v)) return kind == Kind::Date ? engine::to_iso(*d) : engine::to_iso(*d);
  return {};
}

/// A count bound as the engine reads it (engine/value.hpp), at most 1,000; 0 when none.
std::size_t literal_count(const model::Literal& v) {
  return static_cast<std::size_t>(std::min<std::uint64_t>(engine::count_bound(v).value_or(0), 1000));
}

using model::inside_repeat;

/// The description ids of one question, in the order a screen reader should read them.
struct Described {
  std::string ids;
  void add(const std::string& id) {
    if (!ids.empty()) ids += ' ';
    ids += id;
  }
};

class Page {
 public:
  Page(const RenderRequest& request, const Wording& words)
      : request_(request), plan_(*request.plan), form_(plan_.form()), w_(words), lang_(words.language()) {}

  std::string render() {
    switch (request_.document) {
      case Document::Start: start_page(); break;
      case Document::Form: form_page(); break;
      case Document::Step:
        if (request_.step && request_.step->section < form_.sections.size()) {
          step_page();
        } else {
          form_page();
        }
        break;
      case Document::Answers: answers_page(); break;
      case Document::Receipt: receipt_page(); break;
    }
    return std::move(out_);
  }

 private:
  // ---- the two writers ---------------------------------------------------------------------
  void tag(std::string_view markup) { body_ += markup; }
  void text(std::string_view s) { append_html(body_, s); }
  /// ` name="value"`, the value escaped.
  void attr(std::string_view name, std::string_view value) {
    body_ += ' ';
    body_ += name;
    body_ += "=\"";
    append_html(body_, value);
    body_ += '"';
  }

  std::string ui(Ui key) const { return std::string(w_.ui(key)); }

  /// ` autofocus` on the first input drawn for the entry StepInfo::focus names (an entry
  /// just added), once: focus lands on its first question without JavaScript.
  void autofocus(std::string_view path) {
    if (focus_.empty() || focused_) return;
    if (path.size() > focus_.size() && path.starts_with(focus_) && (path[focus_.size()] == '.' || path[focus_.size()] == '[')) {
      tag(" autofocus");
      focused_ = true;
    }
  }

  // ---- the page around the content ---------------------------------------------------------
  /// The frame around body_ (frame.hpp): `own` is the document's own title parts, most
  /// specific first, used when the request sets no title_parts; the form's title follows, then
  /// the service's name. With `script`, the shared runtime and this form's rules as data
  /// (script.hpp): JSON is not run, so a CSP without 'unsafe-inline' allows it.
  void finish(std::vector<std::string> own, bool script, bool error = false) {
    PageFrame frame;
    frame.language = lang_;
    frame.title_parts = request_.title_parts.empty() ? std::move(own) : request_.title_parts;
    frame.title_parts.emplace_back(w_.title());
    frame.error = error;
    if (script) {
      frame.scripts.push_back(form_runtime_url());
      frame.data.emplace_back("askonce-rules", form_rules_json(plan_, w_));
    }
    frame.site = &request_.site;
    frame.languages = form_.languages;
    out_ = frame_page(frame, body_);
  }

  void heading_block() {
    tag("<h1>");
    text(w_.title());
    tag("</h1>\n");
    if (!w_.description().empty()) {
      tag("<p class=\"usa-intro\">");
      text(w_.description());
      tag("</p>\n");
    }
  }

  /// RenderRequest::hidden, as hidden inputs (right after the form's start tag).
  void hidden_inputs() {
    for (const auto& [name, value] : request_.hidden) {
      tag("<input type=\"hidden\"");
      attr("name", name);
      attr("value", value);
      tag(">\n");
    }
  }

  // ---- the start page ----------------------------------------------------------------------
  /// What the form is for, who can use it, what to have ready, how long it takes, "Start now"
  /// (a link: starting sends nothing), what happens after, and the other ways to apply.
  void start_page() {
    const auto section = [&](Ui heading, std::string_view content) {
      if (content.empty()) return;
      tag("<h2>");
      text(ui(heading));
      tag("</h2>\n<p>");
      text(content);
      tag("</p>\n");
    };
    tag("<h1>");
    text(w_.title());
    tag("</h1>\n");
    const std::string_view intro = !w_.purpose().empty() ? w_.purpose() : w_.description();
    if (!intro.empty()) {
      tag("<p class=\"usa-intro\">");
      text(intro);
      tag("</p>\n");
    }
    if (!w_.purpose().empty() && !w_.description().empty()) {
      tag("<p>");
      text(w_.description());
      tag("</p>\n");
    }
    section(Ui::StartWhoCanUse, w_.eligibility());
    if (!w_.needs().empty()) {
      tag("<h2>");
      text(ui(Ui::StartYouNeed));
      tag("</h2>\n<ul class=\"usa-list\">\n");
      for (const auto& need : w_.needs()) {
        tag("<li>");
        text(need);
        tag("</li>\n");
      }
      tag("</ul>\n");
    }
    section(Ui::StartHowLong, w_.duration());
    if (!form_.sections.empty()) {
      tag("<p class=\"margin-y-4\"><a class=\"usa-button usa-button--big\"");
      attr("href", "/forms/" + form_.id + "/steps/" + form_.sections.front().name + "?lang=" + lang_);
      tag(">");
      text(ui(Ui::StartNow));
      tag("</a></p>\n");
    }
    section(Ui::StartAfter, w_.standard());
    // The deployment's own numbers and addresses win over the form's (forms.<id>.apply.*).
    const Site& site = request_.site;
    const std::pair<Ui, std::string_view> ways[] = {
        {Ui::StartByPhone, !site.apply_phone.empty() ? std::string_view(site.apply_phone) : w_.apply_phone()},
        {Ui::StartInPerson, !site.apply_in_person.empty() ? std::string_view(site.apply_in_person) : w_.apply_in_person()},
        {Ui::StartByMail, !site.apply_mail.empty() ? std::string_view(site.apply_mail) : w_.apply_mail()},
    };
    tag("<h2>");
    text(ui(Ui::StartOtherWays));
    tag("</h2>\n");
    for (const auto& [heading, content] : ways) {
      if (content.empty()) continue;
      tag("<h3>");
      text(ui(heading));
      tag("</h3>\n<p>");
      text(content);
      tag("</p>\n");
    }
    tag("<p><a class=\"usa-link\"");
    attr("href", "/forms/" + form_.id + ".pdf?lang=" + lang_);
    tag(">");
    text(ui(Ui::StartPaper));
    tag("</a></p>\n");
    finish({}, false);
  }

  // ---- the form page -----------------------------------------------------------------------
  void form_page() {
    const Filled* filled = request_.filled;
    if (filled) {
      for (const auto& [name, value] : filled->values) values_.add(name, value);
      for (const auto& e : filled->errors) errors_[e.path].push_back(&e);
    } else {
      add_defaults(std::nullopt);
    }

    // The fields first, into body_, so that the error summary can link to the inputs drawn.
    tag("<form class=\"usa-form usa-form--large askonce-form\" method=\"post\" novalidate>\n");
    hidden_inputs();
    // Enter in a text field presses the form's first submit button. Without this one, that is
    // a repeat's "Remove" or "Add", and Enter would drop or add an entry; with it, Enter checks
    // the answers, like the main button at the end. Out of sight and out of the tab order.
    tag("<button class=\"usa-sr-only\" type=\"submit\" tabindex=\"-1\" aria-hidden=\"true\">");
    text(ui(Ui::Continue));
    tag("</button>\n");
    for (const auto& s : w_.sections()) {
      const std::string sid = "s-" + form_.sections[s.number - 1].name;
      tag("<section class=\"margin-top-5\"");
      attr("aria-labelledby", sid);
      tag(">\n<h2");
      attr("id", sid);
      tag(">");
      text(w_.ui(Ui::SectionN, {std::to_string(s.number), std::to_string(w_.sections().size()), s.title}));
      tag("</h2>\n");
      for (FieldId f : s.fields) field(f, {});
      tag("</section>\n");
    }
    tag("<button class=\"usa-button margin-top-5\" type=\"submit\">");
    text(ui(Ui::Continue));
    tag("</button>\n</form>\n");
    std::string fields = std::move(body_);
    body_.clear();

    heading_block();
    if (filled && !filled->errors.empty()) error_summary(*filled);
    body_ += fields;

    finish({}, true, filled && !filled->errors.empty());
  }

  /// The form's defaults (outside repeats) as values: of every field, or only of section
  /// `section`'s fields that have no value yet (a step not answered before).
  void add_defaults(std::optional<std::size_t> section) {
    for (FieldId f = 0; f < form_.fields.size(); ++f) {
      const auto& field = form_.fields[f];
      if (std::holds_alternative<std::monostate>(field.default_value) || inside_repeat(form_, f)) continue;
      if (section && (field.section != *section || values_.any_under(field.id))) continue;
      const std::string v = literal_text(field.default_value, field.kind);
      if (field.kind == Kind::Date) {
        if (auto d = engine::parse_date(v)) {
          values_.add(field.id + ".month", std::to_string(d->month));
          values_.add(field.id + ".day", std::to_string(d->day));
          values_.add(field.id + ".year", std::to_string(d->year));
        }
      } else {
        values_.add(field.id, v);
      }
    }
  }

  // ---- a step of the web journey -----------------------------------------------------------
  void step_page() {
    const StepInfo& step = *request_.step;
    const Filled* filled = request_.filled;
    if (filled) {
      for (const auto& [name, value] : filled->values) values_.add(name, value);
      for (const auto& e : filled->errors) errors_[e.path].push_back(&e);
    }
    // A question this step has never had an answer for starts at its default, as on paper.
    add_defaults(step.section);
    focus_ = step.focus;
    only_ = step.only;
    const SectionWords& section = w_.sections()[step.section];

    tag("<form class=\"usa-form usa-form--large askonce-form\" method=\"post\" novalidate>\n");
    hidden_inputs();
    // As on the form page: Enter in a text field presses this one, Continue, never Add or Remove.
    tag("<button class=\"usa-sr-only\" type=\"submit\" tabindex=\"-1\" aria-hidden=\"true\">");
    text(ui(Ui::Continue));
    tag("</button>\n");
    for (FieldId f : section.fields) {
      if (!declaration_field(form_, f)) field(f, {});
    }
    tag("<button class=\"usa-button margin-top-5\" type=\"submit\">");
    text(step.submit_label.empty() ? ui(Ui::Continue) : step.submit_label);
    tag("</button>\n");
    save_button(step);
    tag("</form>\n");
    delete_form(step);
    if (filled) answers_data(step.section);
    std::string fields = std::move(body_);
    body_.clear();

    if (!step.back_url.empty()) {
      tag("<p class=\"margin-top-0\"><a class=\"usa-link\"");
      attr("href", step.back_url);
      tag(">");
      text(ui(Ui::Back));
      tag("</a></p>\n");
    }
    const std::string count =
        only_.empty() ? w_.ui(Ui::StepNOfM, {std::to_string(step.number), std::to_string(step.count)}) : std::string();
    banner(step);
    if (!count.empty()) {
      tag("<p class=\"usa-hint margin-bottom-0\" id=\"step-caption\">");
      text(count);
      tag("</p>\n");
    }
    tag("<h1 class=\"margin-top-1\">");
    text(section.title);
    tag("</h1>\n");
    if (filled && !filled->errors.empty()) error_summary(*filled);
    body_ += fields;

    std::vector<std::string> own = {section.title};
    if (!count.empty()) own.push_back(count);
    finish(std::move(own), true, filled && !filled->errors.empty());
  }

  /// Whether field `id` is StepInfo::only, a part of it, or a group it is in.
  bool on_only_path(std::string_view id) const {
    const auto starts = [](std::string_view a, std::string_view b) {
      return a.size() > b.size() && a.starts_with(b) && a[b.size()] == '.';
    };
    return id == only_ || starts(id, only_) || starts(only_, id);
  }

  /// StepInfo::banner, when there is one: whose application, by which channel.
  void banner(const StepInfo& step) {
    if (step.banner.empty()) return;
    tag("<div class=\"usa-alert usa-alert--info usa-alert--slim margin-bottom-2\">\n<div class=\"usa-alert__body\">\n"
        "<p class=\"usa-alert__text\" id=\"keying-banner\">");
    text(step.banner);
    tag("</p>\n</div>\n</div>\n");
  }

  /// Whether field `id` was filled in from another form's answers (StepInfo::reused).
  bool is_reused(std::string_view id) const {
    if (!request_.step) return false;
    const auto& r = request_.step->reused;
    return std::find(r.begin(), r.end(), id) != r.end();
  }

  /// The last 4 digits of an answer, for "ending 6789".
  static std::string last_digits(std::string_view answer) {
    std::string tail;
    for (auto it = answer.rbegin(); it != answer.rend() && tail.size() < 4; ++it) {
      if (*it >= '0' && *it <= '9') tail.insert(tail.begin(), *it);
    }
    return tail.empty() ? std::string("••••") : tail;
  }

  /// "Save and come back later": a second submit button of the page's form, so that what the
  /// citizen typed on this page is saved with the rest (unchecked: saving is not Continue).
  void save_button(const StepInfo& step) {
    if (!step.save) return;
    tag("<button class=\"usa-button usa-button--outline margin-top-5\" type=\"submit\" name=\"askonce:save\" value=\"yes\">");
    text(ui(Ui::SaveForLater));
    tag("</button>\n");
  }

  /// "Delete my answers": a form of its own (so Enter in the answers never presses it),
  /// posting the page's hidden inputs to StepInfo::delete_url.
  void delete_form(const StepInfo& step) {
    if (step.delete_url.empty()) return;
    tag("<form class=\"margin-top-4\" method=\"post\"");
    attr("action", step.delete_url);
    tag(">\n");
    hidden_inputs();
    tag("<button class=\"usa-button usa-button--unstyled\" type=\"submit\">");
    // Staff keying someone's application discard it; a citizen deletes their own answers.
    text(ui(step.base_url.empty() ? Ui::DeleteMyAnswers : Ui::KeyDiscard));
    tag("</button>\n</form>\n");
  }

  /// The answers given outside step `section`, as JSON for the form's script (conditions and
  /// computed values that read earlier steps), as script.hpp's answers_json writes them.
  /// Sensitive answers are left out: no condition of a shipped form reads one, and they need
  /// not be in the page.
  void answers_data(std::size_t section) {
    std::map<std::string_view, FieldId, std::less<>> by_id;
    for (FieldId f = 0; f < form_.fields.size(); ++f) by_id.emplace(form_.fields[f].id, f);
    const auto field_of = [&](std::string_view name) -> FieldId {
      std::string id;  // the name without its entry indexes: "household.full_name"
      for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '[') {
          while (i < name.size() && name[i] != ']') ++i;
          continue;
        }
        id += name[i];
      }
      std::string_view v = id;
      while (!v.empty()) {
        if (auto it = by_id.find(v); it != by_id.end()) return it->second;
        const auto dot = v.rfind('.');
        if (dot == std::string_view::npos) break;
        v = v.substr(0, dot);  // a date's or composite's part
      }
      return model::no_field;
    };
    std::vector<std::pair<std::string, std::string>> answers;
    for (const auto& [name, value] : request_.filled->values) {
      if (name.starts_with("askonce:")) continue;
      const FieldId f = field_of(name);
      if (f == model::no_field || form_.fields[f].section == section || form_.fields[f].sensitive) continue;
      answers.emplace_back(name, value);
    }
    const std::string json = answers_json(answers);
    tag("<script type=\"application/json\" id=\"askonce-answers\">");
    tag(json);  // answers_json escapes it: it cannot close the element
    tag("</script>\n");
  }

  /// The id of the first input of question `f` at `path`: where a Change link takes focus.
  std::string input_id(FieldId f, const std::string& path) const {
    const auto& field = form_.fields[f];
    const std::string base = html_id(path);
    switch (field.kind) {
      case Kind::Date: return base + "-month";
      case Kind::Address: case Kind::Name:
        if (field.children.empty()) return base;
        return input_id(field.children.front(), path + "." + form_.fields[field.children.front()].name);
      case Kind::YesNo: return base + "-yes";
      case Kind::Choices: return base + "-1";
      case Kind::Choice: return form_.options_of(field).size() > max_radios ? base : base + "-1";
      default: return base;
    }
  }

  void error_summary(const Filled& filled) {
    tag("<div class=\"usa-alert usa-alert--error margin-bottom-4\" id=\"error-summary\" role=\"alert\" "
        "tabindex=\"-1\" aria-labelledby=\"error-summary-title\">\n<div class=\"usa-alert__body\">\n"
        "<h2 class=\"usa-alert__heading\" id=\"error-summary-title\">");
    text(ui(Ui::ThereIsAProblem));
    tag("</h2>\n<ul class=\"usa-list\">\n");
    for (const auto& e : filled.errors) {
      tag("<li>");
      auto it = targets_.find(e.path);
      if (it != targets_.end()) {
        tag("<a");
        attr("href", "#" + it->second);
        tag(">");
        text(e.message);
        tag("</a>");
      } else {
        text(e.message);
      }
      tag("</li>\n");
    }
    tag("</ul>\n</div>\n</div>\n");
  }

  const std::vector<const engine::Error*>* errors_at(const std::string& path) const {
    auto it = errors_.find(path);
    return it == errors_.end() ? nullptr : &it->second;
  }

  void target(const std::string& path, const std::string& id) { targets_.emplace(path, id); }

  /// The label text of a field: "7. Date you moved" for a question, the label otherwise.
  std::string label_of(FieldId f) const {
    const FieldWords& fw = w_.field(f);
    const std::string& label = agent() && !fw.agent_ask.empty() ? fw.agent_ask : fw.label;
    if (fw.number == 0) return label;
    return std::to_string(fw.number) + ". " + label;
  }

  /// The staff keying pages: the agent's words (StepInfo::agent).
  bool agent() const { return request_.step && request_.step->agent; }
  /// How the declaration is being made, when staff key it (StepInfo::declaration_record).
  const std::string& declaration_record() const {
    static const std::string none;
    return request_.step ? request_.step->declaration_record : none;
  }

  /// The words under a label: the condition, the hint, then the rules. Writes them and gives
  /// their ids for aria-describedby.
  Described descriptions(FieldId f, const std::string& path, const std::string& base, bool with_condition) {
    const FieldWords& fw = w_.field(f);
    const auto& field = form_.fields[f];
    Described d;
    const std::string& when = agent() ? fw.ask_only_if : fw.answer_only_if;
    if (with_condition && field.show_if && !when.empty()) {
      d.add(base + "-when");
      tag("<p class=\"usa-hint text-bold\"");
      attr("id", base + "-when");
      tag(">");
      text(when);
      tag("</p>\n");
    }
    if (field.kind == Kind::Attest && !declaration_record().empty()) {
      // Keyed by staff: the statement (to read out, on the phone), and the box's label says
      // how it was confirmed.
      d.add(base + "-read");
      tag("<p class=\"usa-hint text-ink\"");
      attr("id", base + "-read");
      tag(">");
      text(agent() && !fw.agent_read.empty() ? fw.agent_read : fw.label);
      tag("</p>\n");
    }
    const std::string& hint = agent() ? fw.agent_help : fw.hint;
    if (!hint.empty()) {
      d.add(base + "-hint");
      tag("<div class=\"usa-hint\"");
      attr("id", base + "-hint");
      tag(">");
      text(hint);
      tag("</div>\n");
    }
    std::string rules;
    const auto add = [&](std::string_view s) {
      if (s.empty()) return;
      if (!rules.empty()) rules += ' ';
      rules += s;
    };
    const bool needs_answer = field.kind != Kind::Note && field.kind != Kind::Group && !field.computed;
    if (needs_answer) add(agent() ? fw.required_agent : fw.required_citizen);
    if (agent()) {
      add(fw.agent_record);
      add(fw.agent_choices);
      add(fw.agent_private);
    }
    switch (field.kind) {
      case Kind::Text: case Kind::LongText: case Kind::YesNo: case Kind::Choice: case Kind::Attest:
      case Kind::Note: case Kind::Group: case Kind::Address: case Kind::Name: case Kind::Repeat:
        break;
      default:
        if (!fw.kind.empty()) {
          std::string k = fw.kind;
          k[0] = static_cast<char>(k[0] >= 'a' && k[0] <= 'z' ? k[0] - 32 : k[0]);
          if (k.back() != '.') k += '.';
          add(k);
        }
    }
    if (field.kind == Kind::Date) add(ui(Ui::DateExample));  // the boxes' order, shown
    add(fw.bounds);
    bool conditional = false;
    for (const auto& c : fw.checks) {
      if (c.only_if) {
        conditional = true;
      } else {
        add(agent() ? c.agent_text : c.text);
      }
    }
    if (!rules.empty() || conditional) {
      d.add(base + "-rules");
      tag("<div class=\"usa-hint\"");
      attr("id", base + "-rules");
      tag(">");
      text(rules);
      // A rule of one alternative (`... if EXPR`) is a span of its own, which the form's script
      // hides while its condition does not hold (renderers/assets/form.js); without the script
      // every one shows, each saying when it applies.
      for (const auto& c : fw.checks) {
        if (!c.only_if) continue;
        if (!rules.empty()) tag(" ");
        rules += ' ';
        tag("<span");
        attr("data-askonce-rule-of", field.id);
        attr("data-askonce-path", path);
        attr("data-askonce-if", std::to_string(c.index));
        tag(">");
        text(agent() ? c.agent_text : c.text);
        tag("</span>");
      }
      tag("</div>\n");
    }
    return d;
  }

  /// The inline error messages for `path`, if any; adds their id to `d`.
  bool inline_errors(const std::string& path, const std::string& base, Described& d) {
    const auto* errs = errors_at(path);
    if (!errs) return false;
    d.add(base + "-error");
    tag("<span class=\"usa-error-message\"");
    attr("id", base + "-error");
    tag(">");
    bool first = true;
    for (const auto* e : *errs) {
      if (!first) tag(" ");
      first = false;
      tag("<span class=\"usa-sr-only\">");
      text(ui(Ui::ErrorPrefix));
      tag(" </span>");
      text(e->message);
    }
    tag("</span>\n");
    return true;
  }

  /// An error on `path` or anything under it (a date's or composite's parts).
  bool has_errors_under(const std::string& path) const {
    for (auto it = errors_.lower_bound(path); it != errors_.end() && it->first.starts_with(path); ++it) {
      const auto rest = std::string_view(it->first).substr(path.size());
      if (rest.empty() || rest[0] == '.' || rest[0] == '[') return true;
    }
    return false;
  }

  /// Opens the container of a field: an id to hide and show it by, and for a conditional
  /// field, the data the form's script reads.
  void open_container(FieldId f, const std::string& path, std::string_view cls, bool error) {
    const auto& field = form_.fields[f];
    tag("<div class=\"");
    tag(cls);
    if (error) tag(" usa-form-group--error");
    tag("\"");
    attr("id", "q" + html_id(path).substr(1));
    if (field.show_if) {
      attr("data-askonce-field", field.id);
      attr("data-askonce-path", path);
    }
    tag(">\n");
  }

  /// The autocomplete token for an input, or empty: only for the citizen's own details (not
  /// inside a repeat, where they are about other people).
  std::string autocomplete(FieldId f) const {
    if (inside_repeat(form_, f)) return {};
    const auto& field = form_.fields[f];
    if (!field.part.empty() && field.parent != model::no_field) {
      for (const auto& part : composites::parts(form_.fields[field.parent].kind)) {
        if (part.name == field.part) return std::string(part.autocomplete);
      }
      return {};
    }
    switch (field.kind) {
      case Kind::Email: return "email";
      case Kind::Phone: return "tel";
      case Kind::Zip: return "postal-code";
      default: return {};
    }
  }

  static bool is_birth_date(const model::Field& field) { return field.name.find("birth") != std::string::npos; }

  void field(FieldId f, const std::vector<std::uint32_t>& idx) {
    const auto& field = form_.fields[f];
    if (!only_.empty() && !on_only_path(field.id)) return;
    if (field.kind == Kind::Member) return;  // no question: never on a page (docs/dsl.md)
    const std::string path = engine::instance_path(plan_, f, idx);
    const std::string base = html_id(path);
    if (field.computed) return computed(f, path, base);
    switch (field.kind) {
      case Kind::Note: return note(f, path, base);
      case Kind::Group: return group(f, path, idx);
      case Kind::Repeat: return repeat(f, path, base, idx);
      case Kind::Address: case Kind::Name: return composite(f, path, base, idx);
      case Kind::Date: return date(f, path, base);
      case Kind::YesNo: case Kind::Choices: return choices(f, path, base);
      case Kind::Choice:
        if (form_.options_of(field).size() > max_radios) return single(f, path, base, true);
        return choices(f, path, base);
      case Kind::Attest: return attest(f, path, base);
      default: return single(f, path, base, true);
    }
  }

  void note(FieldId f, const std::string& path, const std::string& base) {
    open_container(f, path, "usa-alert usa-alert--info usa-alert--slim usa-alert--no-icon margin-y-3", false);
    tag("<div class=\"usa-alert__body\">\n");
    const FieldWords& fw = w_.field(f);
    if (const std::string& when = agent() ? fw.ask_only_if : fw.answer_only_if; form_.fields[f].show_if && !when.empty()) {
      tag("<p class=\"usa-alert__text text-bold\"");
      attr("id", base + "-when");
      tag(">");
      text(when);
      tag("</p>\n");
    }
    tag("<p class=\"usa-alert__text\">");
    text(agent() && !fw.agent_read.empty() ? fw.agent_read : fw.label);
    tag("</p>\n</div>\n</div>\n");
  }

  void computed(FieldId f, const std::string& path, const std::string& base) {
    open_container(f, path, "usa-form-group", false);
    const FieldWords& fw = w_.field(f);
    tag("<p class=\"usa-label\"");
    attr("id", base);
    tag(">");
    text(fw.label);
    tag("</p>\n");
    descriptions(f, path, base, true);
    // The value, shown live by the runtime (script.hpp) as the answers it uses change; empty
    // without JavaScript, where the answers pages show it.
    tag("<output class=\"display-block text-bold font-sans-md\" aria-live=\"polite\"");
    attr("id", base + "-value");
    attr("aria-labelledby", base);
    attr("data-askonce-computed", form_.fields[f].id);
    attr("data-askonce-path", path);
    tag("></output>\n");
    tag("<p class=\"usa-hint\">");
    text(fw.computed_text.empty() ? ui(Ui::ComputedNote) : fw.computed_text);
    tag("</p>\n</div>\n");
  }

  void group(FieldId f, const std::string& path, const std::vector<std::uint32_t>& idx) {
    const auto& field = form_.fields[f];
    const std::string base = html_id(path);
    open_container(f, path, "askonce-group", false);
    const FieldWords& fw = w_.field(f);
    if (field.show_if || !fw.hint.empty()) descriptions(f, path, base, true);
    for (FieldId c : field.children) this->field(c, idx);
    tag("</div>\n");
  }

  void repeat(FieldId f, const std::string& path, const std::string& base, const std::vector<std::uint32_t>& idx) {
    const auto& field = form_.fields[f];
    const FieldWords& fw = w_.field(f);
    open_container(f, path, "askonce-repeat margin-top-4", has_errors_under(path) && errors_at(path));
    // On a step the section's title is the h1, so the repeat's heading is one level up.
    const bool on_step = request_.document == Document::Step;
    tag(on_step ? "<h2 tabindex=\"-1\"" : "<h3 tabindex=\"-1\"");
    attr("id", base);
    tag(">");
    text(fw.label);
    tag(on_step ? "</h2>\n" : "</h3>\n");
    Described d = descriptions(f, path, base, true);
    inline_errors(path, base, d);
    target(path, base);
    std::size_t n = request_.filled ? values_.entries(path) : 0;
    if (!request_.filled) {
      n = literal_count(field.min);
      if (field.required && n == 0) n = 1;
    }
    const std::size_t max = std::holds_alternative<std::monostate>(field.max) ? 1000 : literal_count(field.max);
    // A step uses the "add another" pattern: the entries so far in a list, each with Change
    // (to its questions below) and Remove, so the Remove buttons are there and not in the
    // entries.
    const bool summary = request_.document == Document::Step;
    if (summary && n > 0) entry_summary(f, path, n);
    for (std::size_t i = 0; i < n; ++i) {
      auto inner = idx;
      inner.push_back(static_cast<std::uint32_t>(i));
      const std::string entry = path + "[" + std::to_string(i) + "]";
      const std::string entry_label = w_.ui(Ui::EntryN, {fw.label, std::to_string(i + 1)});
      tag("<fieldset class=\"usa-fieldset margin-top-3 padding-2 border-1px border-base-lighter\"");
      attr("id", html_id(entry));
      tag(">\n<legend class=\"usa-legend usa-legend--large\">");
      text(entry_label);
      tag("</legend>\n");
      for (FieldId c : field.children) this->field(c, inner);
      if (!summary) {
        tag("<button class=\"usa-button usa-button--outline margin-top-2\" type=\"submit\" name=\"askonce:remove\"");
        attr("value", entry);
        tag(">");
        text(ui(Ui::Remove));
        tag("<span class=\"usa-sr-only\"> ");
        text(entry_label);
        tag("</span></button>\n");
      }
      tag("</fieldset>\n");
    }
    if (n < max) {
      tag("<button class=\"usa-button usa-button--outline margin-top-2\" type=\"submit\" name=\"askonce:add\"");
      attr("value", path);
      tag(">");
      text(ui(Ui::Add));
      tag(" ");
      text(fw.label);
      tag("</button>\n");
    }
    tag("</div>\n");
  }

  /// The entries of a repeat so far, one line each ("Person 2: Luis Ruiz"), with a Change link
  /// to the entry's questions on this page and a Remove button.
  void entry_summary(FieldId f, const std::string& path, std::size_t n) {
    const auto& field = form_.fields[f];
    const FieldWords& fw = w_.field(f);
    tag("<h3 class=\"margin-bottom-1\">");
    text(ui(Ui::EntriesSoFar));
    tag("</h3>\n<ul class=\"usa-list usa-list--unstyled askonce-entries\">\n");
    for (std::size_t i = 0; i < n; ++i) {
      const std::string entry = path + "[" + std::to_string(i) + "]";
      const std::string entry_label = w_.ui(Ui::EntryN, {fw.label, std::to_string(i + 1)});
      tag("<li class=\"margin-bottom-1\"><span class=\"text-bold\">");
      text(entry_label);
      tag("</span>");
      // The first question's answer names the entry, when it is a single value.
      if (!field.children.empty()) {
        const auto first = values_.first(entry + "." + form_.fields[field.children.front()].name);
        if (first && !first->empty()) {
          tag(": ");
          text(*first);
        }
      }
      tag(" <a class=\"usa-link margin-left-1\"");
      attr("href", "#" + html_id(entry));
      tag(">");
      text(ui(Ui::Change));
      tag("<span class=\"usa-sr-only\"> ");
      text(entry_label);
      tag("</span></a> <button class=\"usa-button usa-button--unstyled margin-left-1\" type=\"submit\" name=\"askonce:remove\"");
      attr("value", entry);
      tag(">");
      text(ui(Ui::Remove));
      tag("<span class=\"usa-sr-only\"> ");
      text(entry_label);
      tag("</span></button></li>\n");
    }
    tag("</ul>\n");
  }

  /// Opens the fieldset of a group of inputs (a composite, a date, options): its legend, then
  /// the hints, condition and inline errors that describe it. Returns their ids, which the
  /// fieldset and its inputs carry in aria-describedby.
  Described open_fieldset(FieldId f, const std::string& path, const std::string& base) {
    // The descriptions are written after the legend; aria-describedby needs their ids first.
    std::string saved = std::move(body_);
    body_.clear();
    Described d = descriptions(f, path, base, true);
    inline_errors(path, base, d);
    std::string inner = std::move(body_);
    body_ = std::move(saved);
    tag("<fieldset class=\"usa-fieldset\"");
    if (!d.ids.empty()) attr("aria-describedby", d.ids);
    tag(">\n<legend class=\"usa-legend\">");
    text(label_of(f));
    tag("</legend>\n");
    body_ += inner;
    return d;
  }

  void composite(FieldId f, const std::string& path, const std::string& base, const std::vector<std::uint32_t>& idx) {
    const auto& field = form_.fields[f];
    open_container(f, path, "usa-form-group", has_errors_under(path));
    open_fieldset(f, path, base);
    const std::size_t before = targets_.size();
    for (FieldId c : field.children) this->field(c, idx);
    // The composite's own errors (required) link to its first part.
    if (!field.children.empty() && targets_.size() > before) {
      target(path, html_id(engine::instance_path(plan_, field.children.front(), idx)));
    }
    tag("</fieldset>\n</div>\n");
  }

  /// One input: text-like, number, or a select for a long choice.
  void single(FieldId f, const std::string& path, const std::string& base, bool /*labelled*/) {
    const auto& field = form_.fields[f];
    const bool error = errors_at(path) != nullptr;
    open_container(f, path, "usa-form-group", error);
    tag("<label class=\"usa-label\"");
    attr("for", base);
    tag(">");
    text(label_of(f));
    tag("</label>\n");
    Described d = descriptions(f, path, base, true);
    auto value = values_.first(path);
    // A reused sensitive answer never goes back in its box: the hint says which one is kept
    // while the box stays empty (web_post.hpp, merge_step).
    if (field.sensitive && value && !value->empty() && is_reused(path)) {
      const std::string kept = base + "-kept";
      tag("<div class=\"usa-hint\"");
      attr("id", kept);
      tag(">");
      text(w_.ui(Ui::ReusedKept, {last_digits(*value)}));
      tag("</div>\n");
      d.add(kept);
      value.reset();
    }
    inline_errors(path, base, d);
    target(path, base);
    const std::string ac = autocomplete(f);
    const auto common = [&](std::string_view cls) {
      tag(" class=\"");
      tag(cls);
      if (error) tag(" usa-input--error");
      tag("\"");
      attr("id", base);
      attr("name", path);
      if (!d.ids.empty()) attr("aria-describedby", d.ids);
      if (error) tag(" aria-invalid=\"true\"");
      if (!ac.empty()) attr("autocomplete", ac);
      autofocus(path);
    };
    if (field.kind == Kind::Choice) {
      tag("<select");
      common("usa-select");
      tag(">\n<option value=\"\">");
      text(ui(Ui::SelectPrompt));
      tag("</option>\n");
      bool matched = !value || value->empty();
      for (const auto& o : w_.field(f).options) {
        tag("<option");
        attr("value", o.value);
        if (value && *value == o.value) {
          tag(" selected");
          matched = true;
        }
        tag(">");
        text(o.label);
        tag("</option>\n");
      }
      if (!matched) {  // keep what was sent, even when it is not an option
        tag("<option");
        attr("value", *value);
        tag(" selected>");
        text(*value);
        tag("</option>\n");
      }
      tag("</select>\n</div>\n");
      return;
    }
    if (field.kind == Kind::LongText) {
      tag("<textarea");
      common("usa-textarea");
      tag(">");
      // A leading line break in a textarea is dropped by the parser: write one more.
      if (value && !value->empty() && (value->front() == '\n' || value->front() == '\r')) tag("\n");
      if (value) text(*value);
      tag("</textarea>\n</div>\n");
      return;
    }
    std::string_view type = "text", mode;
    switch (field.kind) {
      // An email checked by its own patterns is a text box, so that no browser applies its
      // own idea of an address (type=email trims, and may rewrite the domain) to one the
      // patterns take.
      case Kind::Email:
        if (model::checked_by_pattern(field)) {
          mode = "email";
        } else {
          type = "email";
        }
        break;
      case Kind::Phone: type = "tel"; break;
      case Kind::Url: type = "url"; break;
      case Kind::Integer: case Kind::Ssn: case Kind::Ein: case Kind::Zip: mode = "numeric"; break;
      case Kind::Decimal: case Kind::Money: mode = "decimal"; break;
      default: break;
    }
    // Money: "$" before the box (USWDS input prefix), so that no one wonders about the unit.
    // The label and the rules already say dollars to a screen reader, so the sign is hidden.
    const bool money = field.kind == Kind::Money;
    if (money) {
      tag(error ? "<div class=\"usa-input-group usa-input-group--error\">\n" : "<div class=\"usa-input-group\">\n");
      tag("<div class=\"usa-input-prefix\" aria-hidden=\"true\">$</div>\n");
    }
    tag("<input");
    common("usa-input");
    attr("type", type);
    if (!mode.empty()) attr("inputmode", mode);
    if (field.kind == Kind::Email || field.kind == Kind::Url || !mode.empty()) tag(" spellcheck=\"false\"");
    if (value) attr("value", *value);
    tag(money ? ">\n</div>\n</div>\n" : ">\n</div>\n");
  }

  void date(FieldId f, const std::string& path, const std::string& base) {
    const auto& field = form_.fields[f];
    const bool error = has_errors_under(path);
    open_container(f, path, "usa-form-group", error);
    const Described d = open_fieldset(f, path, base);
    // What was sent: the three parts, or one ISO date (what <input type=date> or the API posts).
    std::optional<std::string_view> parts[3] = {values_.first(path + ".month"), values_.first(path + ".day"),
                                                values_.first(path + ".year")};
    std::string iso_parts[3];
    if (!parts[0] && !parts[1] && !parts[2]) {
      if (auto whole = values_.first(path)) {
        if (auto dd = engine::parse_date(*whole)) {
          iso_parts[0] = std::to_string(dd->month);
          iso_parts[1] = std::to_string(dd->day);
          iso_parts[2] = std::to_string(dd->year);
          for (int k = 0; k < 3; ++k) parts[k] = iso_parts[k];
        }
      }
    }
    const bool bday = is_birth_date(field) && !inside_repeat(form_, f);
    static constexpr std::string_view names[3] = {"month", "day", "year"};
    static constexpr std::string_view groups[3] = {"usa-form-group--month", "usa-form-group--day", "usa-form-group--year"};
    const Ui labels[3] = {Ui::Month, Ui::Day, Ui::Year};
    tag("<div class=\"usa-memorable-date\">\n");
    for (int k = 0; k < 3; ++k) {
      const std::string id = base + "-" + std::string(names[k]);
      const std::string name = path + "." + std::string(names[k]);
      if (k == 0) target(path, id);
      const bool part_error = errors_at(path) != nullptr || errors_at(name) != nullptr;
      tag("<div class=\"usa-form-group ");
      tag(groups[k]);
      tag("\">\n<label class=\"usa-label\"");
      attr("for", id);
      tag(">");
      text(ui(labels[k]));
      tag("</label>\n<input class=\"usa-input");
      if (part_error) tag(" usa-input--error");
      tag("\"");
      attr("id", id);
      attr("name", name);
      tag(" type=\"text\" inputmode=\"numeric\"");
      if (!d.ids.empty()) attr("aria-describedby", d.ids);
      if (part_error) tag(" aria-invalid=\"true\"");
      if (bday) attr("autocomplete", "bday-" + std::string(names[k]));
      if (k == 0) autofocus(path);
      if (parts[k]) attr("value", *parts[k]);
      tag(">\n</div>\n");
    }
    tag("</div>\n</fieldset>\n</div>\n");
  }

  /// Radios (yes/no, a short choice) or checkboxes (choices) in a fieldset.
  void choices(FieldId f, const std::string& path, const std::string& base) {
    const auto& field = form_.fields[f];
    const bool error = errors_at(path) != nullptr;
    open_container(f, path, "usa-form-group", error);
    const Described d = open_fieldset(f, path, base);

    struct Opt {
      std::string value, label, id;
      bool checked = false;
    };
    std::vector<Opt> opts;
    const auto sent = values_.all(path);
    const bool checkbox = field.kind == Kind::Choices;
    if (field.kind == Kind::YesNo) {
      const bool yes = !sent.empty() && truthy(sent.front());
      const bool no = !sent.empty() && falsy(sent.front());
      opts.push_back({"yes", ui(Ui::Yes), base + "-yes", yes});
      opts.push_back({"no", ui(Ui::No), base + "-no", no});
      // `unanswered`: a third radio that sends no answer, so a citizen can take a choice back.
      if (!w_.field(f).unanswered.empty()) {
        const bool none = !sent.empty() && sent.front().empty();
        opts.push_back({"", w_.field(f).unanswered, base + "-unanswered", none});
      }
    } else {
      std::size_t k = 0;
      for (const auto& o : w_.field(f).options) {
        const bool on = std::find(sent.begin(), sent.end(), std::string_view(o.value)) != sent.end();
        opts.push_back({o.value, o.label, base + "-" + std::to_string(++k), on});
      }
    }
    if (!opts.empty()) target(path, opts.front().id);
    for (const auto& o : opts) {
      tag(checkbox ? "<div class=\"usa-checkbox\">\n<input class=\"usa-checkbox__input\" type=\"checkbox\""
                   : "<div class=\"usa-radio\">\n<input class=\"usa-radio__input\" type=\"radio\"");
      attr("id", o.id);
      attr("name", path);
      attr("value", o.value);
      if (o.checked) tag(" checked");
      if (&o == &opts.front()) autofocus(path);
      tag(">\n<label");
      tag(checkbox ? " class=\"usa-checkbox__label\"" : " class=\"usa-radio__label\"");
      attr("for", o.id);
      tag(">");
      text(o.label);
      tag("</label>\n</div>\n");
    }
    tag("</fieldset>\n</div>\n");
  }

  void attest(FieldId f, const std::string& path, const std::string& base) {
    const bool error = errors_at(path) != nullptr;
    open_container(f, path, "usa-form-group", error);
    Described d = descriptions(f, path, base, true);
    inline_errors(path, base, d);
    target(path, base);
    const auto sent = values_.first(path);
    tag("<div class=\"usa-checkbox\">\n<input class=\"usa-checkbox__input\" type=\"checkbox\"");
    attr("id", base);
    attr("name", path);
    tag(" value=\"yes\"");
    if (!d.ids.empty()) attr("aria-describedby", d.ids);
    if (error) tag(" aria-invalid=\"true\"");
    if (sent && truthy(*sent)) tag(" checked");
    autofocus(path);
    tag(">\n<label class=\"usa-checkbox__label\"");
    attr("for", base);
    tag(">");
    text(declaration_record().empty() ? label_of(f) : declaration_record());
    tag("</label>\n</div>\n</div>\n");
  }

  // ---- check your answers and the confirmation page ----------------------------------------
  /// The answers by section. `change`: the web journey's check-your-answers page, where each
  /// question has a Change link to its step and the declaration is left for the form below.
  void answer_list(const engine::Submission& submission, bool mask, bool change = false) {
    DescribeOptions options;
    options.mask_sensitive = mask;
    auto lines = describe_submission(plan_, submission, w_, options);
    if (change) {
      std::erase_if(lines, [&](const AnswerLine& l) {
        return l.kind == AnswerLine::Kind::Question && declaration_field(form_, l.field);
      });
      // A section whose only answers were the declaration's has nothing left to show.
      for (std::size_t i = 0; i < lines.size();) {
        const bool empty = lines[i].kind == AnswerLine::Kind::Section &&
                           (i + 1 == lines.size() || lines[i + 1].kind == AnswerLine::Kind::Section);
        if (empty) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
        else ++i;
      }
    }
    bool open = false;
    const auto close = [&] {
      if (open) tag("</dl>\n");
      open = false;
    };
    for (const auto& line : lines) {
      switch (line.kind) {
        case AnswerLine::Kind::Section:
          close();
          tag("<h2 class=\"margin-top-5\">");
          text(line.label);
          tag("</h2>\n");
          break;
        case AnswerLine::Kind::Entry:
          close();
          tag("<h3>");
          text(line.label);
          tag("</h3>\n");
          break;
        case AnswerLine::Kind::Note:
          close();
          tag("<p>");
          text(line.label);
          tag("</p>\n");
          break;
        case AnswerLine::Kind::Question: case AnswerLine::Kind::Computed:
          if (!open) tag("<dl class=\"askonce-answers\">\n");
          open = true;
          tag("<dt class=\"text-bold margin-top-2\">");
          if (line.number != 0) text(std::to_string(line.number) + ". ");
          text(line.label);
          tag("</dt>\n<dd class=\"margin-left-0\">");
          {
            const bool reused = change && line.field != model::no_field && is_reused(form_.fields[line.field].id);
            if (line.answer.empty()) text(ui(Ui::NotAnswered));
            else if (reused && form_.fields[line.field].sensitive) text(w_.ui(Ui::SensitiveEnding, {last_digits(line.answer)}));
            else text(line.answer);
            if (reused) {
              tag(" <span class=\"usa-tag bg-base-lighter text-ink margin-left-1\">");
              text(ui(Ui::ReusedTag));
              tag("</span>");
            }
          }
          if (change && line.kind == AnswerLine::Kind::Question && line.field != model::no_field) {
            const auto& section = form_.sections[form_.fields[line.field].section];
            tag(" <a class=\"usa-link margin-left-1\"");
            const std::string& base = request_.step && !request_.step->base_url.empty() ? request_.step->base_url
                                                                                         : "/forms/" + form_.id;
            attr("href", base + "/steps/" + section.name + "?return=check&lang=" + lang_ + "#" +
                             input_id(line.field, line.path));
            tag(">");
            text(ui(Ui::Change));
            tag("<span class=\"usa-sr-only\"> ");
            text(line.number != 0 ? std::to_string(line.number) + ". " + line.label : line.label);
            tag("</span></a>");
          }
          tag("</dd>\n");
          break;
      }
    }
    close();
  }

  void answers_page() {
    if (request_.step) return journey_answers_page(*request_.step);
    const std::string title = ui(Ui::CheckYourAnswers);
    tag("<h1>");
    text(title);
    tag("</h1>\n<p class=\"usa-intro\">");
    text(w_.title());
    tag("</p>\n");
    if (request_.submission) answer_list(*request_.submission, false);
    tag("<form class=\"usa-form margin-top-5\" method=\"post\" novalidate>\n");
    hidden_inputs();
    tag("<button class=\"usa-button\" type=\"submit\" name=\"askonce:confirm\" value=\"yes\">");
    text(ui(Ui::Submit));
    tag("</button>\n</form>\n");
    finish({title}, false);
  }

  /// Check your answers in the web journey: Change links, the declaration asked here, and
  /// one "Submit application" button.
  void journey_answers_page(const StepInfo& step) {
    const Filled* filled = request_.filled;
    if (filled) {
      for (const auto& [name, value] : filled->values) values_.add(name, value);
      for (const auto& e : filled->errors) errors_[e.path].push_back(&e);
    }
    if (step.agent) {
      // The read-back: what the agent says before reading each answer to the caller.
      for (const auto& line : w_.script().read_back) {
        tag("<p>");
        text(line);
        tag("</p>\n");
      }
    }
    if (request_.submission) answer_list(*request_.submission, step.agent, true);
    tag("<form class=\"usa-form usa-form--large margin-top-5\" method=\"post\" novalidate>\n");
    hidden_inputs();
    std::vector<FieldId> declaration;
    for (FieldId f = 0; f < form_.fields.size(); ++f) {
      if (declaration_field(form_, f)) declaration.push_back(f);
    }
    if (!declaration.empty()) {
      tag("<h2>");
      text(ui(Ui::Declaration));
      tag("</h2>\n");
      for (FieldId f : declaration) field(f, {});
    }
    tag("<button class=\"usa-button margin-top-4\" type=\"submit\" name=\"askonce:confirm\" value=\"yes\">");
    text(ui(Ui::SubmitApplication));
    tag("</button>\n");
    save_button(step);
    tag("</form>\n");
    if (!step.reuse_url.empty()) {
      tag("<p class=\"margin-top-4\"><a class=\"usa-link\"");
      attr("href", step.reuse_url);
      tag(">");
      text(ui(Ui::ReuseOffer));
      tag("</a></p>\n");
    }
    delete_form(step);
    std::string rest = std::move(body_);
    body_.clear();

    const std::string title = ui(Ui::CheckYourAnswers);
    if (!step.back_url.empty()) {
      tag("<p class=\"margin-top-0\"><a class=\"usa-link\"");
      attr("href", step.back_url);
      tag(">");
      text(ui(Ui::Back));
      tag("</a></p>\n");
    }
    banner(step);
    tag("<h1>");
    text(title);
    tag("</h1>\n<p class=\"usa-intro\">");
    text(w_.title());
    tag("</p>\n");
    if (filled && !filled->errors.empty()) error_summary(*filled);
    body_ += rest;
    finish({title}, false, filled && !filled->errors.empty());
  }

  void receipt_page() {
    const ReceiptInfo* info = request_.receipt;
    const engine::Submission* sub = request_.submission;
    tag("<div class=\"usa-alert usa-alert--success margin-bottom-4\">\n<div class=\"usa-alert__body\">\n"
        "<h1 class=\"usa-alert__heading\">");
    text(ui(Ui::ApplicationReceived));
    tag("</h1>\n<p class=\"usa-alert__text\">");
    text(w_.title());
    tag("</p>\n</div>\n</div>\n<div class=\"usa-summary-box\" role=\"region\" aria-labelledby=\"reference-title\">\n"
        "<div class=\"usa-summary-box__body\">\n<h2 class=\"usa-summary-box__heading\" id=\"reference-title\">");
    text(ui(Ui::ReferenceNumber));
    tag("</h2>\n<div class=\"usa-summary-box__text\">\n<p class=\"font-mono-lg text-bold\">");
    if (info) text(info->reference);
    tag("</p>\n<p>");
    text(ui(Ui::TimeReceived));
    tag(": ");
    std::string received = info && !info->received.empty() ? info->received : (sub ? sub->received : "");
    text(w_.timestamp(received, request_.site.time_zone));
    tag("</p>\n</div>\n</div>\n</div>\n");
    if (info && info->mail_sent) {
      // Only when a mail was queued: without a relay or an address, no page promises one.
      tag("<p class=\"margin-top-4\" id=\"receipt-mail\">");
      text(ui(Ui::ReceiptMailSent));
      tag("</p>\n");
    }
    if (!w_.standard().empty()) {
      tag("<h2 class=\"margin-top-5\">");
      text(ui(Ui::WhatHappensNext));
      tag("</h2>\n<p>");
      text(w_.standard());
      tag("</p>\n");
    }
    tag("<h2 class=\"margin-top-5\">");
    text(ui(Ui::AgenciesReceiving));
    tag("</h2>\n");
    append_receipt_agencies_html(body_, w_, info);
    if (info && (!info->pdf_url.empty() || !info->text_url.empty())) {
      tag("<p>");
      text(ui(Ui::PaperKeepCopy));
      tag("</p>\n<ul class=\"usa-list\">\n");
      const std::pair<const std::string*, Ui> links[] = {{&info->pdf_url, Ui::ReceiptPdf}, {&info->text_url, Ui::ReceiptText}};
      for (const auto& [url, words] : links) {
        if (url->empty()) continue;
        if (!info->download_fields.empty()) {
          // The answers are in these documents: they are posted for, with what the citizen
          // answered to see them, never fetched by a link alone.
          tag("<li><form method=\"post\"");
          attr("action", *url);
          tag(">\n");
          for (const auto& [name, value] : info->download_fields) {
            tag("<input type=\"hidden\"");
            attr("name", name);
            attr("value", value);
            tag(">\n");
          }
          tag("<button class=\"usa-button usa-button--unstyled\" type=\"submit\">");
          text(ui(words));
          tag("</button>\n</form></li>\n");
          continue;
        }
        tag("<li><a class=\"usa-link\"");
        attr("href", *url);
        tag(">");
        text(ui(words));
        tag("</a></li>\n");
      }
      tag("</ul>\n");
    }
    if (info && !info->answers_url.empty() && !sub) {
      tag("<p><a class=\"usa-link\"");
      attr("href", info->answers_url);
      tag(">");
      text(ui(Ui::SeeAnswers));
      tag("</a></p>\n");
    }
    if (info && !info->reuse_url.empty()) {
      tag("<p><a class=\"usa-link\"");
      attr("href", info->reuse_url);
      tag(">");
      text(ui(Ui::ReuseOffer));
      tag("</a></p>\n");
    }
    if (info) append_receipt_feedback_html(body_, w_, *info);
    if (sub) {
      tag("<h2 class=\"margin-top-5\">");
      text(ui(Ui::Receipt));
      tag("</h2>\n");
      answer_list(*sub, true);
    }
    finish({ui(Ui::ApplicationReceived)}, false);
  }

  const RenderRequest& request_;
  const engine::Plan& plan_;
  const model::Form& form_;
  const Wording& w_;
  std::string lang_;
  Values values_;
  std::map<std::string, std::vector<const engine::Error*>, std::less<>> errors_;
  std::map<std::string, std::string> targets_;  // instance path -> id of its first input
  std::string focus_;    // StepInfo::focus
  std::string only_;     // StepInfo::only
  bool focused_ = false;  // the autofocus attribute was written
  std::string body_;
  std::string out_;
};

}  // namespace

bool declaration_field(const model::Form& form, model::FieldId f) {
  return f < form.fields.size() && form.fields[f].parent == model::no_field && form.fields[f].kind == Kind::Attest;
}

std::string html_id(std::string_view path) {
  std::string out = "f-";
  for (char c : path) {
    if (c == '.' || c == '[') out += '-';
    else if (c != ']') out += c;
  }
  return out;
}

RenderResult render_html(const RenderRequest& request) {
  RenderResult result;
  if (request.plan == nullptr) return result;
  const Wording words(request.plan->form(), request.language);
  Page page(request, words);
  result.bytes = page.render();
  return result;
}

void append_receipt_agencies_html(std::string& out, const Wording& words, const ReceiptInfo* info) {
  if (!info || info->agencies.empty()) {
    out += "<p>";
    append_html(out, words.ui(Ui::NoAgencies));
    out += "</p>\n";
    return;
  }
  out += "<ul class=\"usa-list\">\n";
  const auto lines = receipt_agency_lines(words, *info);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += "<li>";
    append_html(out, lines[i]);
    if (i < info->answer_urls.size() && !info->answer_urls[i].empty()) {
      out += " <a class=\"usa-link\" href=\"";
      append_html(out, info->answer_urls[i]);
      out += "\">";
      append_html(out, words.ui(Ui::AnswerAgency));
      out += "</a>";
    }
    out += "</li>\n";
  }
  out += "</ul>\n";
  if (!info->correct_url.empty()) {
    out += "<p><a class=\"usa-link\" id=\"correct-link\" href=\"";
    append_html(out, info->correct_url);
    out += "\">";
    append_html(out, words.ui(Ui::CorrectLink));
    out += "</a></p>\n";
  }
}

void append_receipt_feedback_html(std::string& out, const Wording& words, const ReceiptInfo& info) {
  if (info.feedback) append_feedback_html(out, *info.feedback, words.language());
  else if (info.feedback_note) append_feedback_note_html(out, *info.feedback_note, words.language());
}

}  // namespace askonce::renderers
