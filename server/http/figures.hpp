// server/http/figures.hpp: the published results (docs/figures.md, "Published results"): plain
// data in (the counts the store keeps, the feedback tallies, today), plain data out (one row
// per form, agency, quarter and channel, with its totals across channels and quarters), small
// cells suppressed so that none can be worked out from what is published.
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
/// The quarter or channel of a total: "all".
inline constexpr std::string_view all_key = "all";

/// One row of the published results. agency "" is the form as a whole (each application once,
/// whatever agencies it went to); quarter or channel "all" is a total across them. Every
/// figure is empty when it is suppressed or cannot be worked out (no denominator, fewer than
/// smallest_cell behind it); `suppressed` says the row's applications were withheld, and then
/// every figure of the row is empty.
struct FigureRow {
  std::string form_id, agency, quarter, channel;
  bool suppressed = false;
  std::optional<std::int64_t> applications;
  /// Rows of channel "all": web and api over every channel, in percent.
  std::optional<double> digital_take_up;
  /// Rows of agency "" and channel "web": drafts started, and applications over them, in percent.
  std::optional<std::int64_t> started;
  std::optional<double> completion_rate;
  /// Rows of one quarter and one channel: decisions and their days (nearest rank).
  std::optional<std::int64_t> decided;
  std::optional<double> within_standard;  // percent of decisions under a standard
  std::optional<std::int64_t> median_days, p80_days, p90_days;
  std::optional<std::int64_t> pending_past;  // undecided, past the standard today
  /// Rows of one quarter and one channel: the A-11 survey (every stage).
  std::optional<std::int64_t> offered, answered;
  std::optional<double> response_rate;  // answered over offered, percent
  std::optional<std::array<std::int64_t, 5>> satisfaction, trust;  // answers at 1 .. 5
  std::optional<double> satisfied, trusting;  // the share of 4 and 5, percent
};

/// Everything published, as of one day, rows sorted by form, agency ("" first), quarter
/// ("all" last) and channel (in server::channels' order, "all" last).
struct Publication {
  std::string as_of;  // "YYYY-MM-DD": the day of the point (the deployment's today when it was made)
  /// "YYYY-MM-DD": the first day the figures may change (the first of the next month); set by
  /// whoever serves a point (performance_routes.cpp), not stored.
  std::string next;
  std::vector<FigureRow> rows;
};

/// The published results from the store's counts and the feedback tallies, as of `today`: what a
/// point publishes (docs/figures.md, "Points"). Everything published before is kept to, so that
/// all of it read together gives away no more than each alone (tests/performance/attack.py
/// --together):
/// - `last`, the last point (nothing, or one with an empty CSV: none yet). A quarter that had
///   ended by its day is final: its rows are the last point's, word for word, and its counts
///   (carried_counts) the ones behind them, so the totals across quarters add up to them. Every
///   other value keeps its pattern: one withheld stays withheld; one shown may be withheld later
///   only as a value that cannot be less than it was (CountGrid::floor).
/// - `frozen`, the snapshots of quarters that have ended: for a quarter the last point does not
///   hold as final (snapshots frozen before schema 14), a value the snapshot withheld stays
///   withheld and one it showed is never withheld to protect another (it is known already).
Publication publish(const FigureCounts& counts, const std::vector<FeedbackTally>& feedback, const model::Date& today,
                    const std::vector<FigureSnapshot>& frozen = {}, const FigurePoint* last = nullptr);

/// The point made on `today` (docs/figures.md, "Points"), at `now`, after `last`: an empty one
/// when there is none (the first look of all: nothing is published until that month ends), else
/// publish()'s figures as CSV and the counts behind them (carried_counts). `frozen`: the
/// snapshots, with their CSV.
FigurePoint make_point(const FigureCounts& counts, const std::vector<FeedbackTally>& tallies, const model::Date& today,
                       const std::vector<FigureSnapshot>& frozen, const std::optional<FigurePoint>& last,
                       TimePoint now);
/// The snapshots `point` freezes: every quarter that had ended by its day and is not in
/// `frozen` already, its rows of the point (quarter_csv), frozen when the point was.
std::vector<FigureSnapshot> snapshots_of_point(const FigurePoint& point, const std::vector<std::string>& frozen);

/// `counts` with every quarter that had ended by `last`'s day taken from the counts behind it
/// (FigurePoint::counts): applications and drafts started; decisions and pending of those
/// quarters left out (their rows are the last point's).
FigureCounts carried_counts(const FigureCounts& counts, const FigurePoint& last);
/// The applications and drafts started of `counts` as text (FigurePoint::counts), and back.
std::string counts_text(const FigureCounts& counts);
FigureCounts counts_of_text(std::string_view text);

/// A publication read back from its CSV (publication_csv): the same rows and figures.
Publication publication_of_csv(std::string_view csv);
/// The header and the rows of `quarter` of a point's CSV: the snapshot of a quarter the point froze.
std::string quarter_csv(const std::string& point_csv, const std::string& quarter);

/// The rows of one form only (for /performance/{form}).
Publication only_form(const Publication& all, std::string_view form_id);


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
  /// Set by the caller before protect() (empty: none): values withheld whatever they are (a
  /// snapshot withheld them), and values never withheld to protect another (a snapshot showed
  /// them: withholding them now would hide nothing and break the cycles that protect the rest).
  std::vector<bool> keep_hidden, keep_shown;
  /// Set by the caller (empty: none): the least each value can be, what an earlier point showed
  /// of it (counts only grow). A value withheld can move down only while it stays above it.
  std::vector<std::int64_t> floor;
  std::int64_t& at(std::size_t r, std::size_t c) { return values[r * (cols + 1) + c]; }
  bool hidden(std::size_t r, std::size_t c) const { return suppressed[r * (cols + 1) + c]; }
};

/// Suppresses every value from 1 to smallest_cell - 1 (cells and totals alike), then enough
/// others that none of them can be worked out from the rest: each row and column with a
/// suppressed value gets a second one, and every suppressed value lies on a cycle of
/// suppressed values (rows and columns alternating), so that moving one along the cycle by
/// one, up or down, keeps every published total: no suppressed value is pinned to one value.
/// What it adds are the smallest nonzero values that close such a cycle, never one of
/// `keep_shown`; the values of `keep_hidden` are suppressed from the start.
void protect(CountGrid& grid);

/// The counts of `quarter` alone: what its snapshot publishes.
FigureCounts quarter_counts(const FigureCounts& all, const std::string& quarter);

/// "FY2027 Q1" as it is written in an address ("FY2027-Q1"), and back (nothing for anything else).
std::string quarter_slug(const std::string& quarter);
std::optional<std::string> quarter_of_slug(std::string_view slug);

/// The A-11 quarterly CSV for performance.gov (../shared/reference/a11-cx.md: its columns, in
/// their order), exported from a snapshot's CSV (`snapshot`, publication_csv of one quarter): a
/// row per form and channel (agency "", each application once), the service named by the form
/// id; suppressed numbers are empty. q1 is satisfaction and q2 trust, their texts A-11's with
/// the form id as the service's name; q3 to q11 are empty.
std::string a11_csv(const std::string& snapshot, const std::string& quarter, TimePoint frozen);

/// The publication as JSON: {"as_of", "smallest_cell", "rows": [{...}]}, null for an empty figure.
std::string publication_json(const Publication& p);
/// The publication as CSV (RFC 4180, a header line), an empty field for an empty figure.
std::string publication_csv(const Publication& p);

}  // namespace askonce::server
