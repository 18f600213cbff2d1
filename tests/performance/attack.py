#!/usr/bin/python3
"""tests/performance/attack.py: the proof by attack of the published results' disclosure control.

Reads publications (the JSON of /performance.json, or the CSV of /performance.csv; several files
may be given, each attacked on its own) and, for every table of applications (a form and an
agency: quarters by channels with the totals across channels and across quarters), bounds every
suppressed value by linear programming (scipy's HiGHS): minimise and maximise it subject to every
published total and cell, every published digital take-up (web + api over all channels, known to
one decimal of a percent) and what the publication tells about a suppressed value (it is not 0,
since zeros are shown). A value whose bounds leave a single whole number is pinned: the
publication gives it away. Exit 1 when any is pinned (naming it), 2 on unreadable input, 0 when
every suppressed value can take at least two values. Prints one line per table attacked.

With --together, everything given is one attacker's knowledge: one linear programme per form takes
every publication's tables at once (every page and snapshot, the form's and each agency's),
linked by what routing tells (an agency's cell is at most the form's) and by what time tells: a
quarter's applications only grow, so each quarter's value (per channel and its total) in a later
publication is at least the earlier one's. Give the files in the order they were fetched (they
are ordered by as_of, then as given).

Usage: attack.py [--together] FILE...
"""
import csv
import json
import math
import sys

from scipy.optimize import linprog

CHANNELS = ["web", "api", "phone", "in_person", "mail"]
DIGITAL = {"web", "api"}


def rows_of(path):
    """The rows of one publication as dicts: form, agency, quarter, channel, suppressed,
    applications (None when not shown), digital_take_up (None when not shown)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        data = json.loads(text)
        return [
            {
                "form": r["form"],
                "agency": r["agency"],
                "quarter": r["quarter"],
                "channel": r["channel"],
                "suppressed": bool(r["suppressed"]),
                "applications": r["applications"],
                "digital_take_up": r["digital_take_up"],
            }
            for r in data["rows"]
        ]
    out = []
    for r in csv.DictReader(text.splitlines()):
        out.append(
            {
                "form": r["form"],
                "agency": r["agency"],
                "quarter": r["quarter"],
                "channel": r["channel"],
                "suppressed": r["suppressed"] == "true",
                "applications": int(r["applications"]) if r["applications"] != "" else None,
                "digital_take_up": float(r["digital_take_up"]) if r["digital_take_up"] != "" else None,
            }
        )
    return out


class Programme:
    """One linear programme over the suppressed values of any number of tables: a variable per
    suppressed value, keyed (table, quarter, channel) by whoever adds the table."""

    def __init__(self):
        self.index = {}
        self.known = {}
        self.free = set()  # values a publication leaves out (a snapshot has no "all" quarter): unknown, not suppressed
        self.zero_ok = set()  # suppressed values of a table withheld whole: zeros are withheld there too
        self.a_eq, self.b_eq, self.a_ub, self.b_ub = [], [], [], []

    def _row(self, terms):
        """Coefficients over the variables and the constant moved right, for sum(sign * value)."""
        coefficients, right = {}, 0.0
        for key, sign in terms:
            if key in self.index:
                coefficients[self.index[key]] = coefficients.get(self.index[key], 0.0) + sign
            else:
                right -= sign * self.known[key]
        return coefficients, right

    def equation(self, terms):
        """sum(sign * value) == 0 over (key, sign) terms."""
        coefficients, right = self._row(terms)
        if any(coefficients.values()):
            self.a_eq.append(coefficients)
            self.b_eq.append(right)

    def at_most(self, terms, slack=0.0):
        """sum(sign * value) <= slack."""
        coefficients, right = self._row(terms)
        if any(coefficients.values()):
            self.a_ub.append(coefficients)
            self.b_ub.append(right + slack)

    def add_table(self, table, cells):
        """A table of quarters by channels with its totals (`cells`: (quarter, channel) -> row):
        its published values, its sums and its take-ups. Keys are (table, quarter, channel)."""
        quarters = sorted({q for (q, _) in cells if q != "all"}) + ["all"]
        channels = CHANNELS + ["all"]
        for q in quarters:
            for c in channels:
                row = cells.get((q, c))
                if row is None or row["suppressed"]:
                    if row is None:
                        self.free.add(len(self.index))
                    self.index[(table, q, c)] = len(self.index)
                else:
                    self.known[(table, q, c)] = row["applications"] if row["applications"] is not None else 0
        if all(row["suppressed"] for row in cells.values()):
            self.zero_ok |= {self.index[(table, q, c)] for q in quarters for c in channels}
        for q in quarters:  # each row's cells add up to its total
            self.equation([((table, q, c), 1.0) for c in CHANNELS] + [((table, q, "all"), -1.0)])
        for c in channels:  # each column's quarters add up to its total
            self.equation([((table, q, c), 1.0) for q in quarters if q != "all"] + [((table, "all", c), -1.0)])
        for q in quarters:  # take-up: (web + api) / all within the rounding of its one decimal
            row = cells.get((q, "all"))
            if row is None or row["digital_take_up"] is None:
                continue
            for bound, sign in ((row["digital_take_up"] - 0.05, -1.0), (row["digital_take_up"] + 0.05, 1.0)):
                self.at_most([((table, q, c), sign) for c in DIGITAL] + [((table, q, "all"), -sign * bound / 100.0)], 1e-9)

    def bounds(self):
        """[(key, low, high)] of every variable: its least and greatest possible value."""
        n = len(self.index)
        if not n:
            return []

        def dense(rows):
            out = []
            for coefficients in rows:
                line = [0.0] * n
                for i, v in coefficients.items():
                    line[i] = v
                out.append(line)
            return out or None

        a_eq, a_ub = dense(self.a_eq), dense(self.a_ub)
        # Zeros are shown: a value not shown is at least 1 (unless its whole table was withheld).
        # A value left out is at least 0.
        limits = [(0, None) if i in self.free or i in self.zero_ok else (1, None) for i in range(n)]
        out = []
        for key, i in self.index.items():
            if i in self.free:
                continue
            ends = []
            for direction in (1.0, -1.0):
                objective = [0.0] * n
                objective[i] = direction
                result = linprog(objective, A_ub=a_ub, b_ub=self.b_ub or None, A_eq=a_eq, b_eq=self.b_eq or None,
                                 bounds=limits, method="highs")
                if result.status == 2:
                    # HiGHS's presolve (scipy 1.10) calls some feasible programmes infeasible: again without it.
                    result = linprog(objective, A_ub=a_ub, b_ub=self.b_ub or None, A_eq=a_eq, b_eq=self.b_eq or None,
                                     bounds=limits, method="highs", options={"presolve": False})
                if result.status == 3:  # unbounded above
                    ends.append(math.inf)
                elif result.status != 0:
                    raise ValueError("the published figures contradict each other: " + result.message)
                else:
                    ends.append(direction * result.fun)
            out.append((key, ends[0], ends[1]))
        return out


def attack_table(cells):
    """Bounds of every suppressed value of one table: [(quarter, channel, low, high)]."""
    lp = Programme()
    lp.add_table(0, cells)
    return [(q, c, low, high) for (_, q, c), low, high in lp.bounds()]


def is_pinned(low, high):
    return high != math.inf and math.floor(high + 1e-6) == math.ceil(low - 1e-6)


def attack_together(publications):
    """Every publication in one programme per form, every agency's table and the form's own
    (agency "": each application once) in it: each table's own sums; across agencies what routing
    tells: an agency's value of a cell is at most the form's (it receives some of the form's
    applications, never more); and across publications what time tells: a quarter's applications
    (per channel and in total) only ever grow, so a later publication's value of a quarter is at
    least an earlier one's. Publications are in the order they were read: by as_of, then as
    given. Quarter "all" is not linked: in a snapshot it is the one quarter's total. Returns
    [(name, form, agency, quarter, channel, low, high)]."""
    order = sorted(range(len(publications)), key=lambda i: (publications[i][1], i))
    groups = {}  # form -> {(publication, agency): cells}
    for i in order:
        name, _, rows = publications[i]
        for r in rows:
            groups.setdefault(r["form"], {}).setdefault((i, r["agency"]), {})[(r["quarter"], r["channel"])] = r
    out = []
    for form, tables in sorted(groups.items()):
        lp = Programme()
        for table, cells in tables.items():
            lp.add_table(table, cells)
        # A quarter withheld whole somewhere (its zeros too) keeps that pattern later: there a
        # value withheld may be 0 in every publication.
        whole = {(agency, q) for (_, agency), cells in tables.items() if all(r["suppressed"] for r in cells.values())
                 for (q, _) in cells if q != "all"}
        lp.zero_ok |= {lp.index[(table, q, c)] for table, cells in tables.items() for (q, c), r in cells.items()
                       if (table[1], q) in whole and r["suppressed"]}
        seen = {}
        for i in order:  # each quarter's value no smaller than in the publication before
            for (j, agency), cells in tables.items():
                if j != i:
                    continue
                for (q, c) in cells:
                    if q == "all":
                        continue
                    if (agency, q, c) in seen:
                        lp.at_most([((seen[(agency, q, c)], q, c), 1.0), (((i, agency), q, c), -1.0)])
                    seen[(agency, q, c)] = (i, agency)
        for (i, agency), cells in tables.items():  # an agency's cell holds no more than the form's
            if agency == "" or (i, "") not in tables:
                continue
            for (q, c) in cells:
                if q != "all" and (q, c) in tables[(i, "")]:
                    lp.at_most([(((i, agency), q, c), 1.0), (((i, ""), q, c), -1.0)])
        for ((i, agency), q, c), low, high in lp.bounds():
            out.append((publications[i][0], form, agency, q, c, low, high))
    return out


def as_of(rows, path):
    """The day a publication is of: its as_of (JSON's field, CSV's column)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)["as_of"]
    first = next(csv.DictReader(text.splitlines()), None)
    return first["as_of"] if first else ""


def main_together(paths):
    publications = []
    for path in paths:
        try:
            rows = rows_of(path)
            publications.append((path, as_of(rows, path), rows))
        except (OSError, ValueError, KeyError) as e:
            print(f"{path}: cannot read: {e}", file=sys.stderr)
            return 2
    bounds = attack_together(publications)
    pinned = 0
    for name, form, agency, q, c, low, high in bounds:
        if is_pinned(low, high):
            pinned += 1
            print(f"{name}: {form} / {agency or '(every agency)'}: PINNED {q} {c} = {math.ceil(low - 1e-6)}")
    tables = len({(f, a) for _, f, a, _, _, _, _ in bounds})
    print(f"together: {len(publications)} publications, {tables} tables, {len(bounds)} suppressed values")
    print(f"pinned: {pinned}")
    return 1 if pinned else 0


def main(paths):
    if paths and paths[0] == "--together":
        return main_together(paths[1:]) if paths[1:] else main([])
    if not paths:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    pinned = 0
    for path in paths:
        try:
            rows = rows_of(path)
        except (OSError, ValueError, KeyError) as e:
            print(f"{path}: cannot read: {e}", file=sys.stderr)
            return 2
        tables = {}
        for r in rows:
            tables.setdefault((r["form"], r["agency"]), {})[(r["quarter"], r["channel"])] = r
        for (form, agency), cells in sorted(tables.items()):
            bounds = attack_table(cells)
            name = f"{path}: {form} / {agency or '(every agency)'}"
            for quarter, channel, low, high in bounds:
                if is_pinned(low, high):
                    pinned += 1
                    print(f"{name}: PINNED {quarter} {channel} = {math.ceil(low - 1e-6)}")
            print(f"{name}: {len(bounds)} suppressed, "
                  + (", ".join(f"{q} {c} in [{lo:g}, {hi:g}]" for q, c, lo, hi in bounds) or "none"))
    print(f"pinned: {pinned}")
    return 1 if pinned else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
