// server/http/performance_routes.cpp: the published results, public and cacheable:
// /performance (every form) and /performance/{form}, as a page, JSON and CSV (figures.hpp,
// performance_pages.hpp; docs/figures.md, "Published results").
//
// What is public is the quarters that have ended, each exactly as it was frozen (its snapshot:
// figures.hpp says why each is published once). The first request after a quarter ends, on
// any node, or the server's sweeper, whichever comes first, reads the counts the store keeps (a
// few hundred rows, however many applications there are) and freezes it; every answer after
// reads the snapshots back. Nothing personal is
// in them, so they may be cached by anyone for a few minutes.
//
// A deployment that does not publish (config performance.publish false) keeps no counts, and
// every one of these addresses answers 404 with a page that says the results are not
// published here (published(), before anything is read).
#include <algorithm>

#include "server/http/app.hpp"
#include "server/http/figures.hpp"
#include "server/http/http.hpp"
#include "server/http/journey.hpp"
#include "server/http/performance_pages.hpp"
#include "renderers/escape.hpp"
#include "renderers/strings.hpp"
#include "server/http/web_pages.hpp"

namespace askonce::server {
namespace {

constexpr const char* figures_cache = "public, max-age=300";

/// Whether this deployment publishes its results; when not, the request is answered (404, a
/// page in the site's frame saying so, in English or Spanish).
bool published(Exchange& ex) {
  if (ex.app.config().performance.publish) return true;
  const std::string lang = language(ex, page_languages());
  vary(ex);
  std::string body = "<h1>";
  renderers::append_html(body, renderers::ui(renderers::Ui::PerfNotPublishedTitle, lang));
  body += "</h1>\n<p>";
  renderers::append_html(body, renderers::ui(renderers::Ui::PerfNotPublishedText, lang));
  body += "</p>\n<p>";
  append_link(body, "/?lang=" + lang, renderers::ui(renderers::Ui::AllForms, lang));
  body += "</p>\n";
  renderers::Site site = site_of(ex.app.config());
  site.languages.clear();
  for (const auto& l : page_languages()) site.languages.push_back({l, "?lang=" + l});
  ex.send(404, "text/html; charset=utf-8",
          site_page(lang, {std::string(renderers::ui(renderers::Ui::PerfNotPublishedTitle, lang))}, body, site));
  return false;
}

/// Everything published, and the list of frozen quarters (without their CSV) the page links
/// to: a quarter just ended frozen first (freeze_ended_quarters), then every frozen quarter as
/// its snapshot holds it (whichever node froze each first). The list is read once per request,
/// and again only after this request froze a quarter.
struct Current {
  Publication publication;
  std::vector<FigureSnapshot> snapshots;
};

std::vector<FigureSnapshot> freeze_due(Exchange& ex) {
  return freeze_ended_quarters(ex.app.store(), ex.app.context("en", "web").today);
}

Current current(Exchange& ex) {
  Current out;
  out.snapshots = freeze_due(ex);
  std::vector<FigureSnapshot> frozen;
  frozen.reserve(out.snapshots.size());
  for (const auto& listed : out.snapshots) {
    if (auto snap = ex.app.store().find_snapshot(listed.quarter)) frozen.push_back(std::move(*snap));
  }
  out.publication = published(frozen);
  return out;
}

/// The one form of /performance/{form}..., or 404 (and nothing).
std::optional<Current> of_form(Exchange& ex) {
  const std::string& id = ex.params.at(0);
  Current c = current(ex);
  c.publication = only_form(c.publication, id);
  if (c.publication.rows.empty() && !ex.app.catalog().find(id)) {
    ex.fail(404, "There is no such form.");
    return std::nullopt;
  }
  return c;
}

void send_page(Exchange& ex, const Current& c, const std::string& base) {
  const std::string lang = language(ex, page_languages());
  vary(ex);
  ex.send(200, "text/html; charset=utf-8",
          performance_page(ex.app.catalog(), c.publication, c.snapshots,
                           next_publication(ex.app.context("en", "web").today), lang, site_of(ex.app.config()), base),
          {{"Cache-Control", figures_cache}});
}
void send_json(Exchange& ex, const Current& c) {
  ex.send(200, "application/json", publication_json(c.publication), {{"Cache-Control", figures_cache}});
}
void send_csv(Exchange& ex, const Current& c, const std::string& name) {
  ex.send(200, "text/csv; charset=utf-8; header=present", publication_csv(c.publication),
          {{"Cache-Control", figures_cache}, {"Content-Disposition", "inline; filename=\"" + name + ".csv\""}});
}

void all_page(Exchange& ex) {
  if (published(ex)) send_page(ex, current(ex), "/performance");
}
void all_json(Exchange& ex) {
  if (published(ex)) send_json(ex, current(ex));
}
void all_csv(Exchange& ex) {
  if (published(ex)) send_csv(ex, current(ex), "performance");
}
void form_page(Exchange& ex) {
  if (!published(ex)) return;
  if (auto p = of_form(ex)) send_page(ex, *p, "/performance/" + ex.params.at(0));
}
void form_json(Exchange& ex) {
  if (!published(ex)) return;
  if (auto p = of_form(ex)) send_json(ex, *p);
}
void form_csv(Exchange& ex) {
  if (!published(ex)) return;
  if (auto p = of_form(ex)) send_csv(ex, *p, "performance-" + ex.params.at(0));
}

/// A frozen quarter: its canonical CSV, or the A-11 CSV made from it. Its SHA-256 in a header.
std::optional<FigureSnapshot> snapshot_of(Exchange& ex) {
  if (!published(ex)) return std::nullopt;
  const auto quarter = quarter_of_slug(ex.params.at(0));
  std::optional<FigureSnapshot> snap;
  if (quarter) {
    freeze_due(ex);  // a quarter just ended is frozen on this request as on any other
    snap = ex.app.store().find_snapshot(*quarter);
  }
  if (!snap) ex.fail(404, "That quarter has not ended, or had no applications.");
  return snap;
}
void snapshot_csv(Exchange& ex) {
  if (auto snap = snapshot_of(ex)) {
    ex.send(200, "text/csv; charset=utf-8; header=present", snap->csv,
            {{"Cache-Control", "public, max-age=86400"},
             {"X-Content-SHA256", snap->sha256},
             {"Content-Disposition", "inline; filename=\"performance-" + quarter_slug(snap->quarter) + ".csv\""}});
  }
}
void snapshot_a11(Exchange& ex) {
  if (auto snap = snapshot_of(ex)) {
    ex.send(200, "text/csv; charset=utf-8; header=present", a11_csv(snap->csv, snap->quarter, snap->frozen),
            {{"Cache-Control", "public, max-age=86400"},
             {"Content-Disposition", "inline; filename=\"a11-" + quarter_slug(snap->quarter) + ".csv\""}});
  }
}

// "/performance/{form}.json" before "/performance/{form}", whose {form} would take "x.json".
constexpr Route routes[] = {
    {"GET", "/performance", all_page},
    {"GET", "/performance.json", all_json},
    {"GET", "/performance.csv", all_csv},
    {"GET", "/performance/snapshots/{quarter}.a11.csv", snapshot_a11},
    {"GET", "/performance/snapshots/{quarter}.csv", snapshot_csv},
    {"GET", "/performance/{form}.json", form_json},
    {"GET", "/performance/{form}.csv", form_csv},
    {"GET", "/performance/{form}", form_page},
};

}  // namespace

std::span<const Route> performance_routes() { return routes; }

}  // namespace askonce::server
