// renderers/feedback.cpp: the A-11 survey as HTML, in the phone script's words, and a post of it
// read back (feedback.hpp). Every text goes through append_html; every word is from strings.cpp.
#include "renderers/feedback.hpp"

#include <algorithm>
#include <array>

#include "engine/utf8.hpp"
#include "renderers/escape.hpp"

namespace askonce::renderers {
namespace {

constexpr std::array<Ui, 5> scale = {Ui::FeedbackScale1, Ui::FeedbackScale2, Ui::FeedbackScale3, Ui::FeedbackScale4,
                                     Ui::FeedbackScale5};

/// The HTML id of an input of the survey (and of its parts): "feedback-q1-3".
std::string id_of(std::string_view name, std::string_view part = {}) {
  std::string id = "feedback-" + std::string(name);
  if (!part.empty()) id += "-" + std::string(part);
  return id;
}

const std::string* error_of(const FeedbackForm& f, std::string_view name) {
  for (const auto& [n, message] : f.errors) {
    if (n == name) return &message;
  }
  return nullptr;
}

class Writer {
 public:
  Writer(std::string& out, const FeedbackForm& form, std::string_view lang) : out_(out), f_(form), lang_(lang) {}

  void tag(std::string_view markup) { out_ += markup; }
  void text(std::string_view s) { append_html(out_, s); }
  void attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_html(out_, value);
    out_ += '"';
  }

  void survey() {
    // Its own language: a staff page in English may ask a Spanish-speaking applicant's survey.
    tag("<section class=\"margin-top-5\" id=\"feedback\" aria-labelledby=\"feedback-title\"");
    attr("lang", lang_);
    tag(">\n<h2 id=\"feedback-title\">");
    text(ui(f_.staff ? Ui::FeedbackStaffHeading : Ui::FeedbackHeading, lang_));
    tag("</h2>\n");
    if (!f_.about.empty()) {
      tag("<p class=\"text-bold\">");
      text(f_.about);
      tag("</p>\n");
    }
    if (!f_.errors.empty()) summary();
    tag("<p>");
    text(ui(f_.staff ? Ui::FeedbackStaffIntro : Ui::FeedbackIntro, lang_));
    tag("</p>\n<form class=\"usa-form usa-form--large\" method=\"post\"");
    attr("action", f_.action);
    tag(">\n");
    for (const auto& [name, value] : f_.hidden) {
      tag("<input type=\"hidden\"");
      attr("name", name);
      attr("value", value);
      tag(">\n");
    }
    scale_question(feedback_q1, ui(Ui::FeedbackSatisfied, lang_, {f_.service}), f_.q1);
    scale_question(feedback_q2, ui(Ui::FeedbackTrust, lang_, {f_.service}), f_.q2);
    drivers(feedback_went_well, Ui::FeedbackWentWell, f_.went_well);
    drivers(feedback_went_badly, Ui::FeedbackWentBadly, f_.went_badly);
    comment();
    tag("<button class=\"usa-button margin-top-3\" type=\"submit\">");
    text(ui(Ui::FeedbackSend, lang_));
    tag("</button>\n</form>\n</section>\n");
  }

 private:
  void summary() {
    tag("<div class=\"usa-alert usa-alert--error\" role=\"alert\" id=\"feedback-problems\">\n"
        "<div class=\"usa-alert__body\">\n<h3 class=\"usa-alert__heading\">");
    text(ui(Ui::ThereIsAProblem, lang_));
    tag("</h3>\n<ul class=\"usa-list usa-list--unstyled\">\n");
    for (const auto& [name, message] : f_.errors) {
      tag("<li><a class=\"usa-link\"");
      attr("href", "#" + id_of(name));
      tag(">");
      text(message);
      tag("</a></li>\n");
    }
    tag("</ul>\n</div>\n</div>\n");
  }

  /// A group's start: the fieldset, its legend, a hint and the error (if any).
  void group_start(std::string_view name, std::string_view legend, std::string_view hint) {
    const std::string* error = error_of(f_, name);
    tag(error ? "<div class=\"usa-form-group usa-form-group--error\">\n" : "<div class=\"usa-form-group\">\n");
    tag("<fieldset class=\"usa-fieldset\"");
    attr("id", id_of(name));
    if (error || !hint.empty()) {
      std::string described;
      if (!hint.empty()) described = id_of(name, "hint");
      if (error) described += (described.empty() ? "" : " ") + id_of(name, "error");
      attr("aria-describedby", described);
    }
    tag(">\n<legend class=\"usa-legend\">");
    text(legend);
    tag("</legend>\n");
    if (!hint.empty()) {
      tag("<div class=\"usa-hint\"");
      attr("id", id_of(name, "hint"));
      tag(">");
      text(hint);
      tag("</div>\n");
    }
    if (error) {
      tag("<span class=\"usa-error-message\"");
      attr("id", id_of(name, "error"));
      tag(">");
      text(*error);
      tag("</span>\n");
    }
  }

  void scale_question(std::string_view name, const std::string& legend, const std::string& chosen) {
    group_start(name, legend, {});
    for (std::size_t i = 0; i < scale.size(); ++i) {
      const std::string value = std::to_string(i + 1);
      tag("<div class=\"usa-radio\">\n<input class=\"usa-radio__input\" type=\"radio\"");
      attr("id", id_of(name, value));
      attr("name", name);
      attr("value", value);
      if (chosen == value) tag(" checked");
      tag(">\n<label class=\"usa-radio__label\"");
      attr("for", id_of(name, value));
      tag(">");
      text(ui(scale[i], lang_));
      tag("</label>\n</div>\n");
    }
    tag("</fieldset>\n</div>\n");
  }

  void drivers(std::string_view name, Ui legend, const std::vector<std::string>& chosen) {
    group_start(name, ui(legend, lang_), ui(Ui::FeedbackChooseAny, lang_));
    for (std::string_view d : feedback_drivers) {
      tag("<div class=\"usa-checkbox\">\n<input class=\"usa-checkbox__input\" type=\"checkbox\"");
      attr("id", id_of(name, d));
      attr("name", name);
      attr("value", d);
      if (std::find(chosen.begin(), chosen.end(), d) != chosen.end()) tag(" checked");
      tag(">\n<label class=\"usa-checkbox__label\"");
      attr("for", id_of(name, d));
      tag(">");
      text(ui(feedback_driver_label(d), lang_));
      tag("</label>\n</div>\n");
    }
    tag("</fieldset>\n</div>\n");
  }

  void comment() {
    const std::string* error = error_of(f_, feedback_comment);
    const std::string id = id_of(feedback_comment);
    tag(error ? "<div class=\"usa-form-group usa-form-group--error\">\n" : "<div class=\"usa-form-group\">\n");
    tag("<label class=\"usa-label\"");
    attr("for", id);
    tag(">");
    text(ui(Ui::FeedbackComment, lang_));
    tag("</label>\n<div class=\"usa-hint\"");
    attr("id", id + "-hint");
    tag(">");
    text(ui(Ui::FeedbackCommentHint, lang_, {std::to_string(feedback_comment_max)}));
    tag("</div>\n");
    if (error) {
      tag("<span class=\"usa-error-message\"");
      attr("id", id + "-error");
      tag(">");
      text(*error);
      tag("</span>\n");
    }
    tag("<textarea class=\"usa-textarea\" rows=\"4\"");
    attr("id", id);
    attr("name", feedback_comment);
    // No maxlength: a browser would cut a pasted comment silently; the server says so instead.
    attr("aria-describedby", error ? id + "-hint " + id + "-error" : id + "-hint");
    tag(">");
    text(f_.comment);
    tag("</textarea>\n</div>\n");
  }

  std::string& out_;
  const FeedbackForm& f_;
  std::string_view lang_;
};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    utf8::next(s, i);
    ++n;
  }
  return n;
}

}  // namespace

bool known_feedback_driver(std::string_view driver) {
  return std::find(std::begin(feedback_drivers), std::end(feedback_drivers), driver) != std::end(feedback_drivers);
}

Ui feedback_driver_label(std::string_view driver) {
  if (driver == "effectiveness") return Ui::DriverEffectiveness;
  if (driver == "ease") return Ui::DriverEase;
  if (driver == "efficiency") return Ui::DriverEfficiency;
  if (driver == "transparency") return Ui::DriverTransparency;
  return Ui::DriverEmployee;
}

void append_feedback_html(std::string& out, const FeedbackForm& form, std::string_view lang) {
  Writer(out, form, lang).survey();
}

void append_feedback_note_html(std::string& out, Ui key, std::string_view lang) {
  out += "<div class=\"usa-alert usa-alert--info usa-alert--slim margin-top-5\" id=\"feedback\">\n"
         "<div class=\"usa-alert__body\">\n<p class=\"usa-alert__text\">";
  append_html(out, ui(key, lang));
  out += "</p>\n</div>\n</div>\n";
}

std::vector<FeedbackScriptLine> feedback_script(std::string_view service, std::string_view lang) {
  std::vector<FeedbackScriptLine> out;
  out.push_back({std::string(ui(Ui::FeedbackScriptAsk, lang))});
  out.push_back({ui(Ui::FeedbackScriptScale, lang, {ui(Ui::FeedbackSatisfied, lang, {service})})});
  out.push_back({ui(Ui::FeedbackScriptScale, lang, {ui(Ui::FeedbackTrust, lang, {service})})});
  for (Ui q : {Ui::FeedbackWentWell, Ui::FeedbackWentBadly}) {
    out.push_back({ui(Ui::FeedbackScriptDrivers, lang, {ui(q, lang)})});
    for (std::string_view d : feedback_drivers) out.push_back({std::string(ui(feedback_driver_label(d), lang)), true});
  }
  out.push_back({ui(Ui::FeedbackScriptComment, lang, {ui(Ui::FeedbackComment, lang)})});
  out.push_back({ui(Ui::FeedbackScriptKey, lang, {ui(Ui::FeedbackStaffHeading, lang)})});
  return out;
}

std::optional<FeedbackChoices> read_feedback_post(const std::vector<std::pair<std::string, std::string>>& posted,
                                                  std::string_view lang, FeedbackForm& kept) {
  FeedbackChoices c;
  bool bad_scale[2] = {false, false}, bad_well = false, bad_badly = false, too_long = false;
  kept.q1.clear();
  kept.q2.clear();
  kept.went_well.clear();
  kept.went_badly.clear();
  kept.comment.clear();
  kept.errors.clear();
  for (const auto& [name, value] : posted) {
    if (name == feedback_q1 || name == feedback_q2) {
      const int which = name == feedback_q1 ? 0 : 1;
      std::string& keep = which == 0 ? kept.q1 : kept.q2;
      std::optional<int>& into = which == 0 ? c.q1 : c.q2;
      if (value.empty()) continue;
      // One of "1".."5", once: anything else is a mistake (a tampered post), said as one.
      if (value.size() == 1 && value[0] >= '1' && value[0] <= '5' && !into) {
        into = value[0] - '0';
        keep = value;
      } else {
        bad_scale[which] = true;
      }
    } else if (name == feedback_went_well || name == feedback_went_badly) {
      const bool well = name == feedback_went_well;
      auto& into = well ? c.went_well : c.went_badly;
      auto& keep = well ? kept.went_well : kept.went_badly;
      if (known_feedback_driver(value) && into.size() < std::size(feedback_drivers)) {
        if (std::find(into.begin(), into.end(), value) == into.end()) {
          into.push_back(value);
          keep.push_back(value);
        }
      } else {
        (well ? bad_well : bad_badly) = true;
      }
    } else if (name == feedback_comment) {
      // What was typed is kept to show again, even when too long: nothing typed is lost.
      kept.comment = value;
      if (code_points(value) > feedback_comment_max) too_long = true;
      else c.comment = value;
    }
  }
  if (bad_scale[0]) kept.errors.emplace_back(std::string(feedback_q1), std::string(ui(Ui::FeedbackBadScale, lang)));
  if (bad_scale[1]) kept.errors.emplace_back(std::string(feedback_q2), std::string(ui(Ui::FeedbackBadScale, lang)));
  if (bad_well) kept.errors.emplace_back(std::string(feedback_went_well), std::string(ui(Ui::FeedbackBadDriver, lang)));
  if (bad_badly) {
    kept.errors.emplace_back(std::string(feedback_went_badly), std::string(ui(Ui::FeedbackBadDriver, lang)));
  }
  if (too_long) {
    kept.errors.emplace_back(std::string(feedback_comment),
                             ui(Ui::FeedbackTooLong, lang, {std::to_string(feedback_comment_max)}));
  }
  if (!kept.errors.empty()) return std::nullopt;
  return c;
}

}  // namespace askonce::renderers
