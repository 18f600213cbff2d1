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

Usage: attack.py FILE...
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


def attack_table(cells):
    """Bounds of every suppressed value of one table: [(quarter, channel, low, high)]."""
    quarters = sorted({q for (q, _) in cells if q != "all"}) + ["all"]
    channels = CHANNELS + ["all"]
    index = {}
    known = {}
    for q in quarters:
        for c in channels:
            row = cells.get((q, c))
            if row is not None and row["suppressed"]:
                index[(q, c)] = len(index)
            else:
                known[(q, c)] = row["applications"] if row is not None and row["applications"] is not None else 0
    if not index:
        return []
    n = len(index)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def equation(terms):
        """sum(sign * value) == 0 over (key, sign) terms, the known ones moved right."""
        coefficients, right = [0.0] * n, 0.0
        for key, sign in terms:
            if key in index:
                coefficients[index[key]] += sign
            else:
                right -= sign * known[key]
        if any(coefficients):
            a_eq.append(coefficients)
            b_eq.append(right)

    for q in quarters:  # each row's cells add up to its total
        equation([((q, c), 1.0) for c in CHANNELS] + [((q, "all"), -1.0)])
    for c in channels:  # each column's quarters add up to its total
        equation([((q, c), 1.0) for q in quarters if q != "all"] + [(("all", c), -1.0)])
    for q in quarters:  # take-up: (web + api) / all within the rounding of its one decimal
        row = cells.get((q, "all"))
        if row is None or row["digital_take_up"] is None:
            continue
        for bound, sign in ((row["digital_take_up"] - 0.05, -1.0), (row["digital_take_up"] + 0.05, 1.0)):
            coefficients, right = [0.0] * n, 0.0
            terms = [((q, c), sign) for c in DIGITAL] + [((q, "all"), -sign * bound / 100.0)]
            for key, s in terms:
                if key in index:
                    coefficients[index[key]] += s
                else:
                    right -= s * known[key]
            a_ub.append(coefficients)
            b_ub.append(right + 1e-9)
    bounds = [(1, None)] * n  # zeros are shown: a value not shown is at least 1
    out = []
    for key, i in index.items():
        ends = []
        for direction in (1.0, -1.0):
            objective = [0.0] * n
            objective[i] = direction
            result = linprog(objective, A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq or None, b_eq=b_eq or None,
                             bounds=bounds, method="highs")
            if result.status == 3:  # unbounded above
                ends.append(math.inf)
            elif result.status != 0:
                raise ValueError("the published figures contradict each other: " + result.message)
            else:
                ends.append(direction * result.fun)
        out.append((key[0], key[1], ends[0], ends[1]))
    return out


def main(paths):
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
                if high != math.inf and math.floor(high + 1e-6) == math.ceil(low - 1e-6):
                    pinned += 1
                    print(f"{name}: PINNED {quarter} {channel} = {math.ceil(low - 1e-6)}")
            print(f"{name}: {len(bounds)} suppressed, "
                  + (", ".join(f"{q} {c} in [{lo:g}, {hi:g}]" for q, c, lo, hi in bounds) or "none"))
    print(f"pinned: {pinned}")
    return 1 if pinned else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
