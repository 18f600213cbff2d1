// server/http/figures.cpp: the published results and their disclosure control (figures.hpp).
#include "server/http/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <set>
#include <tuple>

#include "engine/clock.hpp"
#include "engine/json_writer.hpp"
#include "engine/value.hpp"
#include "server/store/reference.hpp"

namespace askonce::server {
namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string>;  // form, agency, quarter, channel

constexpr std::size_t channel_count = std::size(channels);

std::size_t channel_index(std::string_view c) {
  for (std::size_t i = 0; i < channel_count; ++i) {
    if (channels[i] == c) return i;
  }
  return channel_count;
}

bool digital(std::size_t channel) { return channels[channel] == "web" || channels[channel] == "api"; }

/// A count as published: 0, or at least smallest_cell (1 to 9 would be a small cell).
std::optional<std::int64_t> shown_count(std::int64_t n) {
  if (n == 0 || n >= smallest_cell) return n;
  return std::nullopt;
}

/// part / whole in percent, rounded to one decimal; nothing when whole is below smallest_cell.
std::optional<double> percent(std::int64_t part, std::int64_t whole) {
  if (whole < smallest_cell) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

/// Rows in the published order: agency "" first, quarters in order, channels in their order.
bool row_before(const FigureRow& a, const FigureRow& b) {
  return std::tie(a.form_id, a.agency, a.quarter) < std::tie(b.form_id, b.agency, b.quarter) ||
         (std::tie(a.form_id, a.agency, a.quarter) == std::tie(b.form_id, b.agency, b.quarter) &&
          channel_index(a.channel) < channel_index(b.channel));
}

/// The fields of one CSV line as publication_csv writes it (quoted fields included).
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

/// Appends one CSV field as publication_csv and a11_csv write them: quoted only when it holds a
/// comma, a quote or a line break (fields are form ids, agency names, quarters, numbers and
/// fixed English sentences).
void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// --- disclosure control ---
//
// The grid's equations, with each total moved to the other side, say that every row and every
// column of the (rows + 1) x (cols + 1) values sums to zero once totals are negated (a grand
// total keeps its sign). A change that keeps every published value is then a set of cycles
// through suppressed values, rows and columns alternating, each value along a cycle going up
// or down by one in turn. A suppressed value is safe when such a cycle through it exists with
// every value staying a possible one: at least 1 (zeros are published, so a suppressed value is
// known not to be 0), which is the same as the linear programme of an attacker leaving it more
// than one value (tests/performance/attack.py).

struct Arc {
  std::size_t to;
  std::size_t value;  // the index of the value the arc moves
};

/// The moves each suppressed value allows, as arcs: row -> column moves it (negated, for a
/// total) up by one, column -> row down by one; only where it stays at least 1.
std::vector<std::vector<Arc>> moves(const CountGrid& g) {
  const std::size_t width = g.cols + 1, rows = g.rows + 1;
  std::vector<std::vector<Arc>> arcs(rows + width);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < width; ++c) {
      const std::size_t i = r * width + c;
      if (!g.suppressed[i]) continue;
      const bool negated = (r == g.rows) != (c == g.cols);  // a row's or a column's total
      const std::int64_t v = g.values[i];
      // Up on the signed value: a cell grows (always fine); a total shrinks (fine from 2).
      if (!negated || v >= 2) arcs[r].push_back({rows + c, i});
      if (negated || v >= 2) arcs[rows + c].push_back({r, i});
    }
  }
  return arcs;
}

/// The nodes reached from `from` along `arcs`, never moving value `skip`.
std::vector<bool> reached(const std::vector<std::vector<Arc>>& arcs, std::size_t from, std::size_t skip) {
  std::vector<bool> seen(arcs.size());
  std::deque<std::size_t> queue{from};
  seen[from] = true;
  while (!queue.empty()) {
    const std::size_t n = queue.front();
    queue.pop_front();
    for (const Arc& a : arcs[n]) {
      if (a.value == skip || seen[a.to]) continue;
      seen[a.to] = true;
      queue.push_back(a.to);
    }
  }
  return seen;
}

/// The nodes from which `to` is reached along `arcs`, never moving value `skip`.
std::vector<bool> reaching(const std::vector<std::vector<Arc>>& arcs, std::size_t to, std::size_t skip) {
  std::vector<std::vector<Arc>> back(arcs.size());
  for (std::size_t n = 0; n < arcs.size(); ++n) {
    for (const Arc& a : arcs[n]) back[a.to].push_back({n, a.value});
  }
  return reached(back, to, skip);
}

/// Suppresses the smallest nonzero published value among `candidates`; false when there is none.
bool suppress_smallest(CountGrid& g, const std::vector<std::size_t>& candidates) {
  std::optional<std::size_t> best;
  for (std::size_t i : candidates) {
    if (g.suppressed[i] || g.values[i] <= 0) continue;
    if (!best || g.values[i] < g.values[*best]) best = i;
  }
  if (!best) return false;
  g.suppressed[*best] = true;
  return true;
}

/// Whether the line that crosses a row (`across_row`: the column of value i) or a column (the
/// row of value i) has, besides i, a value suppressed or one that may be: if not, suppressing i
/// would leave it alone in that line, and the table could only be withheld whole.
bool crossing_open(const CountGrid& g, std::size_t i, bool across_row) {
  const std::size_t width = g.cols + 1, rows = g.rows + 1;
  const std::size_t r = i / width, c = i % width;
  for (std::size_t k = 0; k < (across_row ? rows : width); ++k) {
    const std::size_t j = across_row ? k * width + c : r * width + k;
    if (j == i) continue;
    if (g.suppressed[j] || g.values[j] > 0) return true;
  }
  return false;
}

/// One step towards a safe pattern; false when the pattern is safe already.
bool one_more(CountGrid& g) {
  const std::size_t width = g.cols + 1, rows = g.rows + 1;
  if (std::all_of(g.suppressed.begin(), g.suppressed.end(), [](bool b) { return b; })) return false;
  // A line (row or column, totals included) with one suppressed value gives it away.
  for (std::size_t line = 0; line < rows + width; ++line) {
    std::vector<std::size_t> members;
    if (line < rows) {
      for (std::size_t c = 0; c < width; ++c) members.push_back(line * width + c);
    } else {
      for (std::size_t r = 0; r < rows; ++r) members.push_back(r * width + (line - rows));
    }
    const auto hidden = std::count_if(members.begin(), members.end(), [&](std::size_t i) { return g.suppressed[i]; });
    if (hidden != 1) continue;
    // The smallest whose own crossing line can take a second value too; any, when none can.
    std::vector<std::size_t> open;
    for (std::size_t i : members) {
      if (crossing_open(g, i, line < rows)) open.push_back(i);
    }
    if (!suppress_smallest(g, open) && !suppress_smallest(g, members)) {
      std::fill(g.suppressed.begin(), g.suppressed.end(), true);
    }
    return true;
  }
  // A suppressed value no cycle can move is pinned: close one through it with one more value.
  const auto arcs = moves(g);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < width; ++c) {
      const std::size_t i = r * width + c, col = rows + c;
      if (!g.suppressed[i]) continue;
      // Up (row -> column, then back to the row) or down (column -> row, then back).
      const bool up = std::any_of(arcs[r].begin(), arcs[r].end(), [&](const Arc& a) { return a.value == i; });
      const bool down = std::any_of(arcs[col].begin(), arcs[col].end(), [&](const Arc& a) { return a.value == i; });
      if ((up && reached(arcs, col, i)[r]) || (down && reached(arcs, r, i)[col])) continue;
      // The value that would close a cycle: from where the move can get to, to where it must return.
      std::vector<std::size_t> candidates;
      for (const auto& [start, end] : {std::make_pair(col, r), std::make_pair(r, col)}) {
        if ((start == col && !up) || (start == r && !down)) continue;
        const std::vector<bool> from = reached(arcs, start, i), back = reaching(arcs, end, i);
        for (std::size_t rr = 0; rr < rows; ++rr) {
          for (std::size_t cc = 0; cc < width; ++cc) {
            const std::size_t j = rr * width + cc;
            if (g.suppressed[j] || g.values[j] <= 0) continue;
            const bool negated = (rr == g.rows) != (cc == g.cols);
            const bool can_up = !negated || g.values[j] >= 2, can_down = negated || g.values[j] >= 2;
            if ((can_up && from[rr] && back[rows + cc]) || (can_down && from[rows + cc] && back[rr])) {
              candidates.push_back(j);
            }
          }
        }
      }
      if (!suppress_smallest(g, candidates)) std::fill(g.suppressed.begin(), g.suppressed.end(), true);
      return true;
    }
  }
  return false;
}

// --- the publication ---

struct Work {
  std::map<Key, FigureRow> rows;
  FigureRow& row(const std::string& form, const std::string& agency, const std::string& quarter,
                 std::string_view channel) {
    auto [it, fresh] = rows.try_emplace(Key{form, agency, quarter, std::string(channel)});
    if (fresh) {
      it->second.form_id = form;
      it->second.agency = agency;
      it->second.quarter = quarter;
      it->second.channel = std::string(channel);
    }
    return it->second;
  }
};

/// Applications of each form and agency as a grid of quarters (publish_quarter: one) by
/// channels with its totals, protected, into the rows; digital take-up where it gives nothing
/// suppressed away.
void applications(Work& w, const FigureCounts& counts) {
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::array<std::int64_t, channel_count>>> tables;
  for (const auto& a : counts.applications) {
    const std::size_t c = channel_index(a.channel);
    if (c == channel_count) continue;  // the store takes known channels only
    tables[{a.form_id, a.agency}][a.quarter][c] += a.count;
  }
  struct Table {
    std::string agency;
    std::vector<std::string> names;  // its quarters, then all_key
    CountGrid g;
  };
  std::map<std::string, std::vector<Table>> by_form;  // each form's tables, agency "" first
  for (const auto& [who, quarters] : tables) {
    Table t;
    t.agency = who.second;
    CountGrid& g = t.g;
    g.rows = quarters.size();
    g.cols = channel_count;
    g.values.assign((g.rows + 1) * (g.cols + 1), 0);
    g.suppressed.assign(g.values.size(), false);
    std::size_t r = 0;
    for (const auto& [quarter, by_channel] : quarters) {
      t.names.push_back(quarter);
      for (std::size_t c = 0; c < channel_count; ++c) {
        g.at(r, c) = by_channel[c];
        g.at(r, channel_count) += by_channel[c];
        g.at(g.rows, c) += by_channel[c];
        g.at(g.rows, channel_count) += by_channel[c];
      }
      ++r;
    }
    t.names.emplace_back(all_key);
    by_form[who.first].push_back(std::move(t));
  }
  for (auto& [form, list] : by_form) {
    // An agency's cell holds some of the form's applications of that cell, never more, and
    // anyone who reads the form's routing knows it. So the tables are protected together: a
    // value the form's table withholds is withheld in every agency's table too, unless it is 0
    // there (a value shown there would bound it from below), and an agency's value withheld where the form's equal
    // one is shown is withheld in the form's table too (it would bound it from above). Until
    // neither adds anything: each round only adds.
    Table* whole = list.front().agency.empty() ? &list.front() : nullptr;
    const auto position = [](const Table& from, std::size_t i, const Table& to) -> std::optional<std::size_t> {
      const std::size_t width = from.g.cols + 1, r = i / width, c = i % width;
      const auto it = std::find(to.names.begin(), to.names.end(), from.names[r]);
      if (it == to.names.end()) return std::nullopt;
      return static_cast<std::size_t>(it - to.names.begin()) * width + c;
    };
    if (whole) whole->g.keep_hidden.assign(whole->g.values.size(), false);
    for (bool more = true; more;) {
      more = false;
      if (whole) protect(whole->g);
      for (Table& t : list) {
        if (&t == whole) continue;
        t.g.keep_hidden.assign(t.g.values.size(), false);
        if (whole) {
          for (std::size_t i = 0; i < t.g.values.size(); ++i) {
            // (A zero is shown anyway: it bounds nothing, and zeros are never withheld.)
            const auto j = position(t, i, *whole);
            if (j && whole->g.suppressed[*j] && t.g.values[i] > 0) t.g.keep_hidden[i] = true;
          }
        }
        protect(t.g);
        if (!whole) continue;
        for (std::size_t i = 0; i < t.g.values.size(); ++i) {
          const auto j = position(t, i, *whole);
          if (j && t.g.suppressed[i] && !whole->g.suppressed[*j] && t.g.values[i] == whole->g.values[*j]) {
            whole->g.keep_hidden[*j] = true;
            more = true;
          }
        }
      }
    }
  }
  for (auto& [form, list] : by_form) {
    for (Table& t : list) {
      const std::pair<std::string, std::string> who{form, t.agency};
      CountGrid& g = t.g;
      const std::vector<std::string>& names = t.names;
      // The last row, the totals across quarters, is not published (with one quarter it is the
      // same numbers again).
      for (std::size_t rr = 0; rr < g.rows; ++rr) {
        for (std::size_t c = 0; c <= channel_count; ++c) {
          FigureRow& row =
              w.row(who.first, who.second, names[rr], c == channel_count ? all_key : channels[c]);
          row.suppressed = g.hidden(rr, c);
          if (!row.suppressed) row.applications = g.at(rr, c);
        }
        // Take-up tells web + api: published only when the published cells tell it already.
        FigureRow& total = w.row(who.first, who.second, names[rr], all_key);
        if (total.suppressed) continue;
        bool digital_known = true, other_known = true;
        std::int64_t digital_sum = 0;
        for (std::size_t c = 0; c < channel_count; ++c) {
          (digital(c) ? digital_known : other_known) &= !g.hidden(rr, c);
          if (digital(c)) digital_sum += g.at(rr, c);
        }
        if (digital_known || other_known) total.digital_take_up = percent(digital_sum, g.at(rr, channel_count));
      }
    }
  }
}

/// Completion: web applications of the form over the web drafts started, per quarter.
void completion(Work& w, const FigureCounts& counts) {
  std::map<std::pair<std::string, std::string>, std::int64_t> started;
  for (const auto& s : counts.started) {
    if (s.channel == "web") started[{s.form_id, s.quarter}] += s.count;
  }
  for (auto& [key, row] : w.rows) {
    if (!row.agency.empty() || row.channel != "web" || !row.applications) continue;
    const auto it = started.find({row.form_id, row.quarter});
    if (it == started.end() || it->second < smallest_cell) continue;
    row.started = it->second;
    row.completion_rate = percent(*row.applications, it->second);
  }
}

/// Decisions and pending past the standard on `last_day`, per cell of one quarter and one
/// channel (`counts.pending` already under the quarter it is published in).
void decisions(Work& w, const FigureCounts& counts, const std::string& last_day) {
  struct Cell {
    std::vector<std::pair<std::int64_t, std::int64_t>> days;  // sorted: the store sorts by days
    std::int64_t decided = 0, judged = 0, within = 0, past = 0;
  };
  std::map<Key, Cell> cells;
  for (const auto& d : counts.decisions) {
    Cell& c = cells[Key{d.form_id, d.agency, d.quarter, d.channel}];
    c.days.emplace_back(d.days, d.decided);
    c.decided += d.decided;
    c.judged += d.judged;
    c.within += d.within;
  }
  for (const auto& p : counts.pending) {
    Cell& c = cells[Key{p.form_id, p.agency, p.quarter, p.channel}];
    if (p.past_from <= last_day) c.past += p.count;
  }
  // Every agency's row of one channel that is shown says how many were decided and are past
  // the standard, 0 included (a quarter's decisions may be of applications of another quarter,
  // or of none of this channel's); a row withheld says nothing.
  for (auto& [key, row] : w.rows) {
    if (row.agency.empty() || row.channel == all_key || !row.applications) continue;
    Cell& cell = cells[key];
    std::sort(cell.days.begin(), cell.days.end());
    row.decided = shown_count(cell.decided);
    row.pending_past = shown_count(cell.past);
    if (cell.decided >= smallest_cell) {
      row.median_days = nearest_rank(cell.days, 50);
      row.p80_days = nearest_rank(cell.days, 80);
      row.p90_days = nearest_rank(cell.days, 90);
    }
    row.within_standard = percent(cell.within, cell.judged);
  }
}

/// The A-11 survey per cell, every stage and version together; published from smallest_cell
/// responses.
void feedback(Work& w, const std::vector<FeedbackTally>& tallies) {
  struct Cell {
    std::int64_t offered = 0, answered = 0;
    std::array<std::int64_t, 5> satisfaction{}, trust{};
  };
  std::map<Key, Cell> cells;
  for (const auto& t : tallies) {
    if (t.quarter.empty() || channel_index(t.channel) == channel_count) continue;
    Cell& c = cells[Key{t.form_id, t.agency, t.quarter, t.channel}];
    c.offered += t.offered;
    c.answered += t.answered;
    for (std::size_t i = 0; i < 5; ++i) {
      c.satisfaction[i] += t.satisfaction[i];
      c.trust[i] += t.trust[i];
    }
  }
  for (const auto& [key, c] : cells) {
    if (c.answered < smallest_cell) continue;
    // A row withheld shows nothing: the survey's offered would tell its applications (every
    // phone or counter application is offered the survey on the day it is keyed).
    if (const auto it = w.rows.find(key); it != w.rows.end() && it->second.suppressed) continue;
    FigureRow& row = w.row(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key));
    row.offered = c.offered;
    row.answered = c.answered;
    row.response_rate = c.offered > 0 ? percent(c.answered, c.offered) : std::nullopt;
    row.satisfaction = c.satisfaction;
    row.trust = c.trust;
    const auto share = [](const std::array<std::int64_t, 5>& scale) {
      std::int64_t all = 0;
      for (auto n : scale) all += n;
      return percent(scale[3] + scale[4], all);
    };
    row.satisfied = share(c.satisfaction);
    row.trusting = share(c.trust);
  }
}

std::string decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::optional<std::int64_t> nearest_rank(const std::vector<std::pair<std::int64_t, std::int64_t>>& histogram, int p) {
  std::int64_t n = 0;
  for (const auto& [value, count] : histogram) n += count;
  if (n == 0) return std::nullopt;
  // ceil(p * n / 100) in integers: the rank of the value, 1 for the smallest.
  const std::int64_t rank = std::max<std::int64_t>(1, (static_cast<std::int64_t>(p) * n + 99) / 100);
  std::int64_t seen = 0;
  for (const auto& [value, count] : histogram) {
    seen += count;
    if (seen >= rank) return value;
  }
  return histogram.back().first;
}

void protect(CountGrid& g) {
  g.suppressed.assign(g.values.size(), false);
  for (std::size_t i = 0; i < g.values.size(); ++i) {
    g.suppressed[i] = (g.values[i] > 0 && g.values[i] < smallest_cell) || (!g.keep_hidden.empty() && g.keep_hidden[i]);
  }
  // Each step suppresses one more value (or all): it ends.
  while (one_more(g)) {
  }
}

Publication publish_quarter(const FigureCounts& all, const std::vector<FeedbackTally>& tallies,
                            const std::string& quarter, const model::Date& today) {
  const auto fq = engine::parse_fiscal_quarter(quarter);
  if (!fq) return {};
  FigureCounts counts;
  for (const auto& a : all.applications) {
    if (a.quarter == quarter) counts.applications.push_back(a);
  }
  for (const auto& a : all.started) {
    if (a.quarter == quarter) counts.started.push_back(a);
  }
  for (const auto& a : all.decisions) {
    if (a.quarter == quarter) counts.decisions.push_back(a);
  }
  // The backlog at the quarter's end: whatever quarter they were received in, up to this one
  // ("FY2027 Q1" labels sort as the quarters do).
  for (auto a : all.pending) {
    if (a.quarter > quarter) continue;
    a.quarter = quarter;
    counts.pending.push_back(std::move(a));
  }
  std::vector<FeedbackTally> of_quarter;
  for (const auto& t : tallies) {
    if (t.quarter == quarter) of_quarter.push_back(t);
  }
  const model::Date last = std::min(fq->last_day(), today, [](const model::Date& a, const model::Date& b) {
    return engine::days_from_civil(a) < engine::days_from_civil(b);
  });
  Work w;
  applications(w, counts);
  completion(w, counts);
  decisions(w, counts, engine::to_iso(last));
  feedback(w, of_quarter);
  Publication p;
  p.as_of = engine::to_iso(today);
  for (auto& [key, row] : w.rows) {
    row.as_of = p.as_of;
    p.rows.push_back(std::move(row));
  }
  std::sort(p.rows.begin(), p.rows.end(), row_before);
  return p;
}

Publication publish(const FigureCounts& counts, const std::vector<FeedbackTally>& tallies, const model::Date& today) {
  std::set<std::string> quarters;
  for (const auto& a : counts.applications) quarters.insert(a.quarter);
  Publication p;
  p.as_of = engine::to_iso(today);
  for (const auto& q : quarters) {
    Publication one = publish_quarter(counts, tallies, q, today);
    p.rows.insert(p.rows.end(), std::make_move_iterator(one.rows.begin()), std::make_move_iterator(one.rows.end()));
  }
  std::sort(p.rows.begin(), p.rows.end(), row_before);
  return p;
}

Publication published(const std::vector<FigureSnapshot>& frozen) {
  Publication p;
  for (const auto& snap : frozen) {
    Publication one = read_publication_csv(snap.csv);
    p.as_of = std::max(p.as_of, one.as_of);
    for (auto& r : one.rows) {
      // Snapshots frozen before schema 14's meaning also held the quarter again as "all".
      if (r.quarter == snap.quarter) p.rows.push_back(std::move(r));
    }
  }
  std::sort(p.rows.begin(), p.rows.end(), row_before);
  return p;
}

std::vector<FigureSnapshot> freeze_ended_quarters(Store& store, const model::Date& today) {
  std::vector<FigureSnapshot> listed = store.snapshots();
  const auto last_ended =
      engine::fiscal_quarter(engine::civil_from_days(engine::days_from_civil(engine::fiscal_quarter(today).first_day()) - 1));
  if (std::any_of(listed.begin(), listed.end(), [&](const FigureSnapshot& s) { return s.quarter == last_ended.label(); })) {
    return listed;
  }
  std::set<std::string> frozen;
  for (const auto& snap : listed) frozen.insert(snap.quarter);
  const FigureCounts counts = store.figure_counts();
  std::vector<FeedbackTally> tallies;  // read only when a quarter is due
  std::set<std::string> quarters;
  for (const auto& a : counts.applications) quarters.insert(a.quarter);
  bool froze = false;
  for (const auto& q : quarters) {
    const auto fq = engine::parse_fiscal_quarter(q);
    if (frozen.contains(q) || !fq || engine::days_from_civil(fq->last_day()) >= engine::days_from_civil(today)) continue;
    if (!froze) tallies = store.feedback_tallies();
    FigureSnapshot snap;
    snap.quarter = q;
    snap.csv = publication_csv(publish_quarter(counts, tallies, q, today));
    snap.sha256 = sha256_hex(snap.csv);
    snap.frozen = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
    store.freeze_snapshot(snap);
    froze = true;
  }
  return froze ? store.snapshots() : listed;
}

NextPublication next_publication(const model::Date& today) {
  const engine::FiscalQuarter q = engine::fiscal_quarter(today);
  return {q.label(), engine::civil_from_days(engine::days_from_civil(q.last_day()) + 1)};
}

Publication only_form(const Publication& all, std::string_view form_id) {
  Publication p;
  p.as_of = all.as_of;
  for (const auto& r : all.rows) {
    if (r.form_id == form_id) p.rows.push_back(r);
  }
  return p;
}

std::string quarter_slug(const std::string& quarter) {
  std::string out = quarter;
  std::replace(out.begin(), out.end(), ' ', '-');
  return out;
}

std::optional<std::string> quarter_of_slug(std::string_view slug) {
  std::string text(slug);
  std::replace(text.begin(), text.end(), '-', ' ');
  const auto q = engine::parse_fiscal_quarter(text);
  if (!q) return std::nullopt;
  return q->label();
}


std::string a11_csv(const std::string& snapshot, const std::string& quarter, TimePoint frozen) {
  std::string out =
      "id,collection_id,collection_year,collection_quarter,collection_name,collection_organization_id,"
      "collection_organization_name,collection_organization_abbreviation,service_provider_id,service_provider_name,"
      "service_provider_organization_id,service_provider_organization_name,"
      "service_provider_organization_abbreviation,service_provided,service_id,service_name,transaction_point,channel,"
      "volume_of_customers,volume_of_customers_provided_survey_opportunity,volume_of_respondents,omb_control_number,"
      "federal_register_url";
  for (int q = 1; q <= 11; ++q) {
    const std::string n = "q" + std::to_string(q);
    out += "," + n + "_text";
    for (int point = 1; point <= 5; ++point) out += "," + n + "_" + std::to_string(point);
  }
  out += ",created_at,updated_at,operational_metrics\r\n";
  const auto fq = engine::parse_fiscal_quarter(quarter);
  if (!fq) return out;
  const std::string stamp = iso_utc(frozen);
  const auto count = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  for (const FigureRow& r : read_publication_csv(snapshot).rows) {
    if (!r.agency.empty() || r.quarter != quarter || r.channel == all_key) continue;
    std::vector<std::string> row(23);
    row[2] = std::to_string(fq->year);
    row[3] = std::to_string(fq->quarter);
    row[4] = quarter;
    row[14] = r.form_id;
    row[15] = r.form_id;
    row[16] = "application";
    row[17] = r.channel;
    row[18] = count(r.applications);
    row[19] = count(r.offered);
    row[20] = count(r.answered);
    const auto scale = [&](const std::string& question, const std::optional<std::array<std::int64_t, 5>>& points) {
      row.push_back(question);
      for (std::size_t i = 0; i < 5; ++i) row.push_back(points ? std::to_string((*points)[i]) : std::string());
    };
    scale("I am satisfied with the service I received from " + r.form_id + ".", r.satisfaction);
    scale("This interaction increased my confidence in " + r.form_id + ".", r.trust);
    for (int q = 3; q <= 11; ++q) row.insert(row.end(), 6, std::string());
    row.push_back(stamp);
    row.push_back(stamp);
    row.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      append_csv_field(out, row[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string publication_json(const Publication& p) {
  engine::JsonWriter w;
  const auto integer = [&](const char* name, const std::optional<std::int64_t>& v) {
    w.key(name);
    w.number(v ? std::to_string(*v) : "null");
  };
  const auto real = [&](const char* name, const std::optional<double>& v) {
    w.key(name);
    w.number(v ? decimal(*v) : "null");
  };
  const auto scale = [&](const char* name, const std::optional<std::array<std::int64_t, 5>>& v) {
    w.key(name);
    if (!v) {
      w.number("null");
      return;
    }
    w.begin_array();
    for (auto n : *v) w.number(std::to_string(n));
    w.end_array();
  };
  w.begin_object();
  w.key("as_of");
  w.string(p.as_of);
  w.key("smallest_cell");
  w.number(std::to_string(smallest_cell));
  w.key("rows");
  w.begin_array();
  for (const auto& r : p.rows) {
    w.begin_object();
    w.key("as_of");
    w.string(r.as_of.empty() ? p.as_of : r.as_of);
    w.key("form");
    w.string(r.form_id);
    w.key("agency");
    w.string(r.agency);
    w.key("quarter");
    w.string(r.quarter);
    w.key("channel");
    w.string(r.channel);
    w.key("suppressed");
    w.boolean(r.suppressed);
    integer("applications", r.applications);
    real("digital_take_up", r.digital_take_up);
    integer("started", r.started);
    real("completion_rate", r.completion_rate);
    integer("decided", r.decided);
    real("within_standard", r.within_standard);
    integer("median_days", r.median_days);
    integer("p80_days", r.p80_days);
    integer("p90_days", r.p90_days);
    integer("pending_past_standard", r.pending_past);
    integer("survey_offered", r.offered);
    integer("survey_answered", r.answered);
    real("response_rate", r.response_rate);
    scale("satisfaction", r.satisfaction);
    real("satisfied", r.satisfied);
    scale("trust", r.trust);
    real("trusting", r.trusting);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take() + "\n";
}

std::string publication_csv(const Publication& p) {
  std::string out =
      "as_of,form,agency,quarter,channel,suppressed,applications,digital_take_up,started,completion_rate,decided,"
      "within_standard,median_days,p80_days,p90_days,pending_past_standard,survey_offered,survey_answered,"
      "response_rate,satisfaction_1,satisfaction_2,satisfaction_3,satisfaction_4,satisfaction_5,satisfied,"
      "trust_1,trust_2,trust_3,trust_4,trust_5,trusting\r\n";
  // Fields are form ids, agency names (letters, digits, '_' and '-': the language's names),
  // quarters and numbers; quoted anyway when one holds a comma, a quote or a line break.
  const auto field = [&](std::string_view s) {
    out += ',';
    append_csv_field(out, s);
  };
  const auto integer = [&](const std::optional<std::int64_t>& v) { field(v ? std::to_string(*v) : ""); };
  const auto real = [&](const std::optional<double>& v) { field(v ? decimal(*v) : ""); };
  const auto scale = [&](const std::optional<std::array<std::int64_t, 5>>& v) {
    for (std::size_t i = 0; i < 5; ++i) field(v ? std::to_string((*v)[i]) : "");
  };
  for (const auto& r : p.rows) {
    out += r.as_of.empty() ? p.as_of : r.as_of;
    field(r.form_id);
    field(r.agency);
    field(r.quarter);
    field(r.channel);
    field(r.suppressed ? "true" : "false");
    integer(r.applications);
    real(r.digital_take_up);
    integer(r.started);
    real(r.completion_rate);
    integer(r.decided);
    real(r.within_standard);
    integer(r.median_days);
    integer(r.p80_days);
    integer(r.p90_days);
    integer(r.pending_past);
    integer(r.offered);
    integer(r.answered);
    real(r.response_rate);
    scale(r.satisfaction);
    real(r.satisfied);
    scale(r.trust);
    real(r.trusting);
    out += "\r\n";
  }
  return out;
}

Publication read_publication_csv(const std::string& csv) {
  Publication p;
  std::vector<std::string> header;
  std::size_t start = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find("\r\n", start);
    if (end == std::string::npos) end = csv.size();
    const std::vector<std::string> fields = csv_fields(std::string_view(csv).substr(start, end - start));
    start = end + 2;
    if (header.empty()) {
      header = fields;
      continue;
    }
    if (fields.size() != header.size()) continue;
    std::map<std::string_view, const std::string*> get;
    for (std::size_t i = 0; i < header.size(); ++i) get[header[i]] = &fields[i];
    const auto text = [&](std::string_view name) -> std::string {
      const auto it = get.find(name);
      return it == get.end() ? std::string() : *it->second;
    };
    const auto integer = [&](std::string_view name) -> std::optional<std::int64_t> {
      const std::string v = text(name);
      if (v.empty()) return std::nullopt;
      try {
        return std::stoll(v);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    };
    const auto real = [&](std::string_view name) -> std::optional<double> {
      const std::string v = text(name);
      if (v.empty()) return std::nullopt;
      try {
        return std::stod(v);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    };
    const auto scale = [&](const std::string& name) -> std::optional<std::array<std::int64_t, 5>> {
      std::array<std::int64_t, 5> out{};
      for (std::size_t i = 0; i < 5; ++i) {
        const auto v = integer(name + "_" + std::to_string(i + 1));
        if (!v) return std::nullopt;
        out[i] = *v;
      }
      return out;
    };
    FigureRow r;
    r.as_of = text("as_of");
    r.form_id = text("form");
    r.agency = text("agency");
    r.quarter = text("quarter");
    r.channel = text("channel");
    r.suppressed = text("suppressed") == "true";
    r.applications = integer("applications");
    r.digital_take_up = real("digital_take_up");
    r.started = integer("started");
    r.completion_rate = real("completion_rate");
    r.decided = integer("decided");
    r.within_standard = real("within_standard");
    r.median_days = integer("median_days");
    r.p80_days = integer("p80_days");
    r.p90_days = integer("p90_days");
    r.pending_past = integer("pending_past_standard");
    r.offered = integer("survey_offered");
    r.answered = integer("survey_answered");
    r.response_rate = real("response_rate");
    r.satisfaction = scale("satisfaction");
    r.satisfied = real("satisfied");
    r.trust = scale("trust");
    r.trusting = real("trusting");
    p.as_of = std::max(p.as_of, r.as_of);
    p.rows.push_back(std::move(r));
  }
  return p;
}

}  // namespace askonce::server
