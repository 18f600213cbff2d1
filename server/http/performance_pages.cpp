// server/http/performance_pages.cpp: the page of the published results (performance_pages.hpp).
#include "server/http/performance_pages.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

#include "engine/messages.hpp"
#include "engine/plan.hpp"
#include "renderers/escape.hpp"
#include "renderers/frame.hpp"
#include "renderers/strings.hpp"
#include "renderers/wording.hpp"
#include "server/http/catalog.hpp"
#include "server/http/web_pages.hpp"

namespace askonce::server {
namespace {

using renderers::append_html;
using renderers::Ui;

std::string_view channel_words(std::string_view channel, std::string_view lang) {
  if (channel == "web") return renderers::ui(Ui::PerfWeb, lang);
  if (channel == "api") return renderers::ui(Ui::PerfApi, lang);
  if (channel == "phone") return renderers::ui(Ui::PerfPhone, lang);
  if (channel == "in_person") return renderers::ui(Ui::PerfInPerson, lang);
  if (channel == "mail") return renderers::ui(Ui::PerfMail, lang);
  return renderers::ui(Ui::PerfAllChannels, lang);
}

/// A number as a cell: the value, "Not shown" when the row is suppressed, "None" when there is
/// nothing to say.
void cell(std::string& out, const FigureRow& row, const std::optional<std::int64_t>& v, std::string_view lang) {
  out += "<td class=\"text-right\">";
  if (v) out += std::to_string(*v);
  else append_html(out, renderers::ui(row.suppressed ? Ui::PerfNotShown : Ui::PerfNone, lang));
  out += "</td>";
}
void cell(std::string& out, const FigureRow& row, const std::optional<double>& v, std::string_view lang) {
  out += "<td class=\"text-right\">";
  if (v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", *v);
    out += buf;
  } else {
    append_html(out, renderers::ui(row.suppressed ? Ui::PerfNotShown : Ui::PerfNone, lang));
  }
  out += "</td>";
}
void header(std::string& out, std::string_view words) {
  out += "<th scope=\"col\">";
  append_html(out, words);
  out += "</th>";
}
void row_header(std::string& out, std::string_view words) {
  out += "<th scope=\"row\">";
  append_html(out, words);
  out += "</th>";
}

struct Group {
  std::string form_id, agency;
  std::vector<const FigureRow*> rows;
};

/// A horizontal bar chart of applications per quarter (all channels), drawn from the rows of
/// the table that follows it.
void chart(std::string& out, const Group& g, std::string_view lang, const std::string& id, std::string_view who) {
  std::vector<const FigureRow*> bars;
  std::int64_t most = 1;
  for (const FigureRow* r : g.rows) {
    if (r->channel != all_key) continue;
    bars.push_back(r);
    if (r->applications) most = std::max(most, *r->applications);
  }
  if (bars.empty()) return;
  const int row_height = 28, label_width = 120, bar_width = 360;
  const int height = static_cast<int>(bars.size()) * row_height + 8;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"" + id + "\" width=\"600\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 600 " + std::to_string(height) + "\">\n<title id=\"" + id + "\">";
  append_html(out, renderers::ui(Ui::PerfChartTitle, lang, {who}));
  out += "</title>\n";
  int y = 4;
  for (const FigureRow* r : bars) {
    out += "<text x=\"0\" y=\"" + std::to_string(y + 18) + "\" font-size=\"14\" fill=\"#1b1b1b\">";
    append_html(out, r->quarter);
    out += "</text>";
    if (r->applications) {
      const int w = std::max(1, static_cast<int>(bar_width * *r->applications / most));
      out += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             std::to_string(w) + "\" height=\"18\" fill=\"#005ea2\"/>";
      out += "<text x=\"" + std::to_string(label_width + w + 6) + "\" y=\"" + std::to_string(y + 18) +
             "\" font-size=\"14\" fill=\"#1b1b1b\">" + std::to_string(*r->applications) + "</text>";
    } else {
      out += "<text x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 18) +
             "\" font-size=\"14\" fill=\"#1b1b1b\">";
      append_html(out, renderers::ui(Ui::PerfNotShown, lang));
      out += "</text>";
    }
    out += "\n";
    y += row_height;
  }
  out += "</svg>\n";
}

void applications_table(std::string& out, const Group& g, std::string_view lang) {
  // quarter -> channel -> row
  std::vector<std::string> quarters;
  std::map<std::pair<std::string, std::string>, const FigureRow*> at;
  for (const FigureRow* r : g.rows) {
    if (std::find(quarters.begin(), quarters.end(), r->quarter) == quarters.end()) quarters.push_back(r->quarter);
    at[{r->quarter, r->channel}] = r;
  }
  out += "<div class=\"usa-table-container--scrollable\" tabindex=\"0\">\n<table class=\"usa-table\">\n<caption>";
  append_html(out, renderers::ui(Ui::PerfApplicationsCaption, lang));
  out += "</caption>\n<thead><tr>";
  header(out, renderers::ui(Ui::PerfQuarter, lang));
  for (const auto c : channels) header(out, channel_words(c, lang));
  header(out, renderers::ui(Ui::PerfAllChannels, lang));
  header(out, renderers::ui(Ui::PerfTakeUp, lang));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& q : quarters) {
    out += "<tr>";
    row_header(out, q);
    for (const std::string_view c : {"web", "api", "phone", "in_person", "mail", "all"}) {
      const auto it = at.find({q, std::string(c)});
      if (it == at.end()) {
        out += "<td class=\"text-right\">0</td>";
        continue;
      }
      cell(out, *it->second, it->second->applications, lang);
    }
    const auto total = at.find({q, std::string(all_key)});
    // Take-up withheld because a cell of its row is: "Not shown", as the cell is.
    bool withheld = false;
    for (const auto c : channels) {
      const auto it = at.find({q, std::string(c)});
      withheld |= it != at.end() && it->second->suppressed;
    }
    if (total == at.end()) {
      out += "<td></td>";
    } else if (!total->second->digital_take_up && withheld) {
      out += "<td class=\"text-right\">";
      append_html(out, renderers::ui(Ui::PerfNotShown, lang));
      out += "</td>";
    } else {
      cell(out, *total->second, total->second->digital_take_up, lang);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
}

void decisions_table(std::string& out, const Group& g, std::string_view lang) {
  std::vector<const FigureRow*> rows;
  for (const FigureRow* r : g.rows) {
    if (r->channel == all_key || !r->applications || r->agency.empty()) continue;
    // A channel with nothing to say (no applications, decisions or backlog) is left out.
    const auto zero = [](const std::optional<std::int64_t>& v) { return v && *v == 0; };
    if (!(zero(r->applications) && zero(r->decided) && zero(r->pending_past))) rows.push_back(r);
  }
  if (rows.empty()) return;
  out += "<div class=\"usa-table-container--scrollable\" tabindex=\"0\">\n<table class=\"usa-table\">\n<caption>";
  append_html(out, renderers::ui(Ui::PerfDecisionsCaption, lang));
  out += "</caption>\n<thead><tr>";
  for (Ui u : {Ui::PerfQuarter, Ui::PerfChannel, Ui::PerfDecided, Ui::PerfWithin, Ui::PerfMedian, Ui::PerfP80,
               Ui::PerfP90, Ui::PerfPendingPast}) {
    header(out, renderers::ui(u, lang));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const FigureRow* r : rows) {
    out += "<tr>";
    row_header(out, r->quarter);
    out += "<td>";
    append_html(out, channel_words(r->channel, lang));
    out += "</td>";
    cell(out, *r, r->decided, lang);
    cell(out, *r, r->within_standard, lang);
    cell(out, *r, r->median_days, lang);
    cell(out, *r, r->p80_days, lang);
    cell(out, *r, r->p90_days, lang);
    cell(out, *r, r->pending_past, lang);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
}

void feedback_table(std::string& out, const Group& g, std::string_view lang) {
  std::vector<const FigureRow*> rows;
  for (const FigureRow* r : g.rows) {
    if (r->answered) rows.push_back(r);
  }
  if (rows.empty()) return;
  out += "<div class=\"usa-table-container--scrollable\" tabindex=\"0\">\n<table class=\"usa-table\">\n<caption>";
  append_html(out, renderers::ui(Ui::PerfFeedbackCaption, lang));
  out += "</caption>\n<thead><tr>";
  for (Ui u : {Ui::PerfQuarter, Ui::PerfChannel, Ui::PerfOffered, Ui::PerfAnswered, Ui::PerfResponseRate,
               Ui::PerfSatisfied, Ui::PerfScale, Ui::PerfTrusting, Ui::PerfScale}) {
    header(out, renderers::ui(u, lang));
  }
  out += "</tr></thead>\n<tbody>\n";
  const auto scale = [&](const std::optional<std::array<std::int64_t, 5>>& s) {
    out += "<td>";
    if (s) {
      for (std::size_t i = 0; i < 5; ++i) out += (i ? " / " : "") + std::to_string((*s)[i]);
    }
    out += "</td>";
  };
  for (const FigureRow* r : rows) {
    out += "<tr>";
    row_header(out, r->quarter);
    out += "<td>";
    append_html(out, channel_words(r->channel, lang));
    out += "</td>";
    cell(out, *r, r->offered, lang);
    cell(out, *r, r->answered, lang);
    cell(out, *r, r->response_rate, lang);
    cell(out, *r, r->satisfied, lang);
    scale(r->satisfaction);
    cell(out, *r, r->trusting, lang);
    scale(r->trust);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
}

void completion_table(std::string& out, const Group& g, std::string_view lang) {
  std::vector<const FigureRow*> rows;
  for (const FigureRow* r : g.rows) {
    if (r->completion_rate) rows.push_back(r);
  }
  if (rows.empty()) return;
  out += "<div class=\"usa-table-container--scrollable\" tabindex=\"0\">\n<table class=\"usa-table\">\n<caption>";
  append_html(out, renderers::ui(Ui::PerfCompletionCaption, lang));
  out += "</caption>\n<thead><tr>";
  for (Ui u : {Ui::PerfQuarter, Ui::PerfStarted, Ui::PerfSubmittedOnline, Ui::PerfCompletionRate}) {
    header(out, renderers::ui(u, lang));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const FigureRow* r : rows) {
    out += "<tr>";
    row_header(out, r->quarter);
    cell(out, *r, r->started, lang);
    cell(out, *r, r->applications, lang);
    cell(out, *r, r->completion_rate, lang);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
}

}  // namespace

std::string performance_page(const Catalog& catalog, const Publication& figures,
                             const std::vector<FigureSnapshot>& snapshots, const NextPublication& next,
                             std::string_view lang, renderers::Site site, const std::string& base) {
  std::string body = "<h1>";
  append_html(body, renderers::ui(Ui::PerfTitle, lang));
  body += "</h1>\n<p class=\"usa-intro\">";
  append_html(body, renderers::ui(Ui::PerfIntro, lang));
  body += "</p>\n<p>";
  append_html(body, renderers::ui(Ui::PerfAsOf, lang, {next.quarter, renderers::date_words(next.from, lang)}));
  body += "</p>\n<p>";
  append_html(body, renderers::ui(Ui::PerfSuppressedNote, lang));
  body += "</p>\n<p>";
  append_html(body, renderers::ui(Ui::PerfDownloads, lang));
  body += " ";
  append_link(body, base + ".json", "JSON");
  body += ", ";
  append_link(body, base + ".csv", "CSV");
  body += "</p>\n";
  site.languages.clear();
  for (const auto& l : page_languages()) site.languages.push_back({l, base + "?lang=" + l});

  std::vector<Group> groups;
  for (const auto& r : figures.rows) {
    if (groups.empty() || groups.back().form_id != r.form_id || groups.back().agency != r.agency) {
      groups.push_back({r.form_id, r.agency, {}});
    }
    groups.back().rows.push_back(&r);
  }
  if (groups.empty()) {
    body += "<p>";
    append_html(body, renderers::ui(Ui::PerfNoData, lang));
    body += "</p>\n";
  }
  std::string form_shown;
  int chart_number = 0;
  for (const auto& g : groups) {
    const CatalogForm* form = catalog.find(g.form_id);
    const model::Form* model = form ? &form->plan->form() : nullptr;
    if (g.form_id != form_shown) {
      form_shown = g.form_id;
      body += "<h2>";
      append_html(body, model ? engine::localized(model->title, lang, *model) : std::string_view(g.form_id));
      body += "</h2>\n";
    }
    std::string who;
    if (g.agency.empty()) {
      who = renderers::ui(Ui::PerfAllAgencies, lang);
    } else {
      who = g.agency;
      if (model) {
        for (const auto& a : model->agencies) {
          if (a.name == g.agency) who = engine::localized(a.title, lang, *model);
        }
      }
    }
    body += "<h3>";
    append_html(body, who);
    body += "</h3>\n";
    chart(body, g, lang, "chart-" + std::to_string(++chart_number), who);
    applications_table(body, g, lang);
    completion_table(body, g, lang);
    decisions_table(body, g, lang);
    feedback_table(body, g, lang);
  }
  if (!snapshots.empty()) {
    body += "<h2>";
    append_html(body, renderers::ui(Ui::PerfSnapshots, lang));
    body += "</h2>\n<p>";
    append_html(body, renderers::ui(Ui::PerfSnapshotsIntro, lang));
    body += "</p>\n<ul class=\"usa-list\">\n";
    for (const auto& snap : snapshots) {
      const std::string slug = "/performance/snapshots/" + quarter_slug(snap.quarter);
      body += "<li>";
      append_link(body, slug + ".csv", renderers::ui(Ui::PerfSnapshotFile, lang, {snap.quarter}));
      body += ", ";
      append_link(body, slug + ".a11.csv", renderers::ui(Ui::PerfA11File, lang, {snap.quarter}));
      body += ". SHA-256: <code>";
      append_html(body, snap.sha256);
      body += "</code></li>\n";
    }
    body += "</ul>\n";
  }
  return site_page(lang, {std::string(renderers::ui(Ui::PerfTitle, lang))}, body, site);
}

}  // namespace askonce::server
