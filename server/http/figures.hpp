// server/http/figures.hpp: the published results (docs/figures.md, "Published results"): plain
// data in (the counts the store keeps, the feedback tallies, a quarter, the day), plain data out
// (one row per form, agency, quarter and channel, with its total across channels), small cells
// suppressed so that none can be worked out from what is published.
//
// Each quarter is published once, when it has ended (its snapshot), and never changed after:
// every count of it is final by then (applications count in the quarter they were recorded,
// decisions in the quarter they were made), and no figure is a total across quarters, so no
// two publications hold the same number and none can be differenced against another.
//
// The store keeps the counts up to date as applications change (Store::figure_counts); this
// computes nothing from the applications themselves, so a page over a million applications
// reads a few hundred rows. Free text never reaches it: FeedbackTally holds counts only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"
#include "server/store/store.hpp"

namespace askonce::server {

/// A cell built from fewer than this many applications (or feedback responses) is suppressed.
inline constexpr std::int64_t smallest_cell = 10;
/// The channel of a total across channels: "all".
inline constexpr std::string_view all_key = "all";

/// One row of the published results. agency "" is the form as a whole (each application once,
/// whatever agencies it went to); channel "all" is the total across channels. Every figure is
/// empty when it is suppressed or cannot be worked out (no denominator, fewer than
/// smallest_cell behind it); `suppressed` says the row's applications were withheld, and then
/// every figure of the row is empty.
struct FigureRow {
  std::string as_of;  // "YYYY-MM-DD": the day its quarter was published (frozen)
  std::string form_id, agency, quarter, channel;
  bool suppressed = false;
  std::optional<std::int64_t> applications;
  /// Rows of channel "all": web and api over every channel, in percent.
  std::optional<double> digital_take_up;
  /// Rows of agency "" and channel "web": drafts started, and applications over them, in percent.
  std::optional<std::int64_t> started;
  std::optional<double> completion_rate;
  /// Rows of one channel: the decisions made in the quarter and their days (nearest rank).
  std::optional<std::int64_t> decided;
  std::optional<double> within_standard;  // percent of decisions under a standard
  std::optional<std::int64_t> median_days, p80_days, p90_days;
  /// Undecided (received in the quarter or before), past the standard on its last day.
  std::optional<std::int64_t> pending_past;
  /// Rows of one channel: the A-11 survey (every stage) offered in the quarter.
  std::optional<std::int64_t> offered, answered;
  std::optional<double> response_rate;  // answered over offered, percent
  std::optional<std::array<std::int64_t, 5>> satisfaction, trust;  // answers at 1 .. 5
  std::optional<double> satisfied, trusting;  // the share of 4 and 5, percent
};

/// Published rows sorted by form, agency ("" first), quarter and channel (in server::channels'
/// order, "all" last). `as_of`: the day of the latest quarter in it ("" when none).
struct Publication {
  std::string as_of;
  std::vector<FigureRow> rows;
};

/// The figures of `quarter` alone, as published when it has ended, `today` being the day
/// published: its applications (by the quarter recorded), web drafts started in it, the
/// decisions made in it, the A-11 surveys offered in it, and the applications received in it
/// or before and still undecided that were past their standard on its last day (or on
/// `today`, when that is earlier). Each form and agency's applications are protected as one
/// table of channels with their total (protect()).
Publication publish_quarter(const FigureCounts& counts, const std::vector<FeedbackTally>& feedback,
                            const std::string& quarter, const model::Date& today);

/// Every quarter of `counts`, each alone as publish_quarter makes it (for tests and benches).
Publication publish(const FigureCounts& counts, const std::vector<FeedbackTally>& feedback, const model::Date& today);

/// What is public: every frozen quarter, each exactly as its snapshot holds it (read back from
/// its CSV), together.
Publication published(const std::vector<FigureSnapshot>& frozen);

/// Freezes each quarter that has ended by `today` (the deployment's day) and has no snapshot
/// yet, as publish_quarter makes it from the counts the store keeps now; the store keeps the
/// first snapshot of a quarter, whichever node froze it. Returns the frozen quarters (without
/// their CSV, as Store::snapshots lists them), after. Cheap when nothing is due: the counts are
/// read only when the latest ended quarter has no snapshot. Called by the first request for
/// the results after a quarter ends, and by each turn of the server's sweeper, so that a
/// quarter's backlog is taken within a sweep of its end even when nobody asks.
std::vector<FigureSnapshot> freeze_ended_quarters(Store& store, const model::Date& today);

/// The rows of one form only (for /performance/{form}).
Publication only_form(const Publication& all, std::string_view form_id);

/// The next quarter to be published and the first day it can be: today's quarter, the day
/// after it ends (for the page's line on when figures come next).
struct NextPublication {
  std::string quarter;
  model::Date from;
};
NextPublication next_publication(const model::Date& today);

/// The value at `rank` p (0 < p <= 100) of a histogram {(value, count)} sorted by value, by
/// the nearest-rank rule: the ceil(p / 100 * n)-th smallest of the n values. Nothing when n = 0.
std::optional<std::int64_t> nearest_rank(const std::vector<std::pair<std::int64_t, std::int64_t>>& histogram, int p);

/// A table of counts with its totals, for disclosure control: `rows` x `cols` cells, then each
/// row's total, then a last row of the columns' totals and the grand total, row by row
/// ((rows + 1) x (cols + 1) values).
struct CountGrid {
  std::size_t rows = 0, cols = 0;
  std::vector<std::int64_t> values;
  std::vector<bool> suppressed;  // filled in by protect()
  /// Set by the caller before protect() (empty: none): values withheld whatever they are.
  std::vector<bool> keep_hidden;
  std::int64_t& at(std::size_t r, std::size_t c) { return values[r * (cols + 1) + c]; }
  bool hidden(std::size_t r, std::size_t c) const { return suppressed[r * (cols + 1) + c]; }
};

/// Suppresses every value from 1 to smallest_cell - 1 (cells and totals alike), then enough
/// others that none of them can be worked out from the rest: each row and column with a
/// suppressed value gets a second one, and every suppressed value lies on a cycle of
/// suppressed values (rows and columns alternating), so that moving one along the cycle by
/// one, up or down, keeps every published total: no suppressed value is pinned to one value.
/// What it adds are the smallest nonzero values that close such a cycle; the values of
/// `keep_hidden` are suppressed from the start.
void protect(CountGrid& grid);

/// "FY2027 Q1" as it is written in an address ("FY2027-Q1"), and back (nothing for anything else).
std::string quarter_slug(const std::string& quarter);
std::optional<std::string> quarter_of_slug(std::string_view slug);

/// The A-11 quarterly CSV for performance.gov (../shared/reference/a11-cx.md: its columns, in
/// their order), exported from a snapshot's CSV (`snapshot`, publication_csv of one quarter): a
/// row per form and channel (agency "", each application once), the service named by the form
/// id; suppressed numbers are empty. q1 is satisfaction and q2 trust, their texts A-11's with
/// the form id as the service's name; q3 to q11 are empty.
std::string a11_csv(const std::string& snapshot, const std::string& quarter, TimePoint frozen);

/// The publication as JSON: {"as_of", "smallest_cell", "rows": [{"as_of", ...}]}, null for an
/// empty figure.
std::string publication_json(const Publication& p);
/// The publication as CSV (RFC 4180, a header line), an empty field for an empty figure.
std::string publication_csv(const Publication& p);
/// A publication_csv read back (a snapshot's rows); rows it cannot read are left out.
Publication read_publication_csv(const std::string& csv);

}  // namespace askonce::server
