#!/usr/bin/python3
"""tests/performance/history.py: the published results proved by a generated history.

Starts a real `askonce serve` (a fresh SQLite file, the shipped forms) under Debian's faketime, walks it
through five fiscal quarters (FY2027 Q1 to FY2028 Q1: October 2026 to October 2027, over every
federal holiday of the year and the fiscal year's end) and makes thousands of applications through
its public doors only: the JSON API (with Idempotency-Key), the citizen's web journey (CSRF tokens,
drafts started and some left), staff keying by phone, in person and by mail (accounts made with
`askonce staff add`, signed in with a password and a TOTP code), agencies' status posts (tokens
made with `askonce agency-token create`), citizens answering an agency's need_info on their status
page, and the A-11 survey on every page that asks it. Nothing reaches the database but through
the server and the askonce commands. The applications are changes of address (the shipped form):
four agencies, each with a standard of 10 working days, chosen by the answers (ssa always, usps
when mail is forwarded, va for a veteran, irs for a permanent move), so every agency's table has
cells of every size.

It keeps what the server RETURNED (references, instants and days received, each agency's history
as its status API gives it, which surveys each page offered and which answers were accepted) and
works out every published figure from them on its own: quarters, channels, take-up, completion,
decisions against each agency's standard (its own working days and federal holidays, observed
days, pauses), nearest-rank percentiles, pending past the standard, the survey's counts and
shares, and which cells must be suppressed. It compares them with /performance.json,
/performance/{form}.json and .csv at each look (every quarter that has ended, each exactly as it
was first published, and nothing of the quarter running), the snapshot of FY2027 Q1 frozen in
January (and the later ones), and the A-11 CSV, and prints a readable diff of every difference.
Then it hands everything published, every look and every snapshot, to attack.py, all at once,
which must pin no suppressed value.

This file shares no code with the server: the rules are docs/figures.md's, written again here.

Usage: history.py --askonce BUILD/server/askonce [--seed N] [--applications N] [--work DIR]
Exit 0 when every figure agrees and nothing is pinned, 1 otherwise, 2 when the history could not
be made (the server refused something it should have taken: the message says what).
"""
import argparse
import base64
import csv
import datetime as dt
import hashlib
import hmac
import html.parser
import http.client
import io
import json
import math
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from fractions import Fraction
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORM = "change_of_address"
ZONE = ZoneInfo("America/New_York")  # site.time_zone's default (docs/operations.md)
CHANNELS = ["web", "api", "phone", "in_person", "mail"]
AGENCIES = ["ssa", "usps", "va", "irs"]  # the form's order (forms/change-of-address.form)
# Each agency's standard, as the form states it: 10 working days for all four.
STANDARDS = {a: (10, "working_days") for a in AGENCIES}
OUTCOMES = ["approved", "denied", "partly_approved", "withdrawn", "referred"]
# What each agency asks for in a need_info: the form's field (as the citizen's page posts it) and
# its name in the agency's view (the IRS's own names).
ASKED = {"ssa": ("contact.phone", "contact.phone"), "usps": ("contact.email", "contact.email"),
         "va": ("contact.phone", "contact.phone"), "irs": ("new_address", "NewAddress")}
DRIVERS = ["effectiveness", "ease", "efficiency", "transparency", "employee"]
SMALLEST = 10
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"


class Refused(Exception):
    """The server answered something a step of the history cannot go on from."""


def say(*parts):
    print(*parts, flush=True)


# --- the clock ------------------------------------------------------------------------------------


class FakeClock:
    """The server's wall clock, through libfaketime's timestamp file: an offset from the real
    clock ("+Ns"), read again on every call (FAKETIME_NO_CACHE), so that time runs on from the
    instant set and only ever moves forward."""

    def __init__(self, path, start):
        self.path = path
        self.now_set = None
        self.set(start)

    def set(self, when):
        if self.now_set is not None and when <= self.now():
            raise ValueError(f"time only moves forward: {when} is not after {self.now()}")
        offset = math.ceil(when.timestamp() - time.time())
        with open(self.path + ".tmp", "w") as f:
            f.write(f"{offset:+d}s\n")
        os.replace(self.path + ".tmp", self.path)
        self.offset = offset
        self.now_set = when

    def now(self):
        """The server's now, as this clock sets it (to the second)."""
        return dt.datetime.fromtimestamp(time.time() + self.offset, dt.timezone.utc)

    def today(self):
        return self.now().astimezone(ZONE).date()


# --- HTTP, as a browser or a client program speaks it --------------------------------------------


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower(), "")


class Session:
    """One client: a keep-alive connection and its cookies (a browser's, or a program's)."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.cookies = {}
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # A keep-alive connection the server closed (limits.keep_alive_seconds): again, once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        got = {}
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in v.lower() or value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            else:
                got[k.lower()] = v
        return Answer(r.status, got, data)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_json(self, path, obj, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, json.dumps(obj).encode(), h)

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{self.host}:{self.port}",
        })


class Forms(html.parser.HTMLParser):
    """The forms of a page: action, hidden inputs, every input's name and value, and ids' text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.ids = {}
        self._id_stack = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "inputs": []})
        elif tag in ("input", "button", "textarea", "select") and self.forms and a.get("name"):
            self.forms[-1]["inputs"].append((tag, a.get("type", ""), a["name"], a.get("value", ""), "checked" in a))
        if "id" in a:
            self._id_stack.append([a["id"], tag, ""])

    def handle_data(self, data):
        for entry in self._id_stack:
            entry[2] += data

    def handle_endtag(self, tag):
        for i in range(len(self._id_stack) - 1, -1, -1):
            if self._id_stack[i][1] == tag:
                ident, _, text = self._id_stack.pop(i)
                self.ids[ident] = text.strip()
                break

    def form_with(self, name):
        """The first form with an input named `name`."""
        for f in self.forms:
            if any(i[2] == name for i in f["inputs"]):
                return f
        return None

    def hidden(self, form):
        return [(i[2], i[3]) for i in form["inputs"] if i[1] == "hidden"]


class Tables(html.parser.HTMLParser):
    """The tables of a page: [(caption, [[cell text, ...], ...])], header and body rows alike."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tables = []
        self._in = None  # "caption" or "cell" while inside one
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "caption" and self.tables:
            self._in = "caption"
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append("")
            self._in = "cell"

    def handle_endtag(self, tag):
        if tag in ("caption", "td", "th"):
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1][0] += data
        elif self._in == "cell":
            self.tables[-1][1][-1][-1] += data


def page_differences(name, page, published):
    """The page's applications tables against the JSON published at the same moment: a table
    per agency ("" first, then by name), a row per quarter, the channels, their total and the
    take-up; each cell its number, or "Not shown" where the JSON says suppressed."""
    diffs = []
    tables = [rows for caption, rows in Tables(page).tables if caption.strip() == "Applications by quarter and channel"]
    agencies = sorted({a for a, _, _ in published})
    if len(tables) != len(agencies):
        return [f"{name}: {len(tables)} applications tables on the page, {len(agencies)} agencies in the JSON"]
    for agency, rows in zip(agencies, tables):
        quarters = sorted({q for a, q, _ in published if a == agency})
        body = rows[1:]
        if [r[0] for r in body] != quarters:
            diffs.append(f"{name}: {agency or '(every agency)'}: quarters {[r[0] for r in body]}, the JSON has {quarters}")
            continue
        for q, cells in zip(quarters, body):
            want = []
            for c in CHANNELS + ["all"]:
                r = published.get((agency, q, c))
                want.append("0" if r is None else "Not shown" if r["suppressed"] else str(r["applications"]))
            total = published.get((agency, q, "all"))
            if total is None:
                want.append("")
            elif total["digital_take_up"] is not None:
                want.append(f"{total['digital_take_up']:.1f}%")
            elif total["suppressed"] or any(published.get((agency, q, c), {}).get("suppressed") for c in CHANNELS):
                want.append("Not shown")
            else:
                want.append("None")
            if cells[1:] != want:
                diffs.append(f"{name}: {agency or '(every agency)'} {q}: the page shows {cells[1:]}, the JSON {want}")
    return diffs


def expect(answer, statuses, what):
    if answer.status not in statuses:
        raise Refused(f"{what}: HTTP {answer.status}, expected {statuses}:\n{answer.text[:1500]}")
    return answer


def location_path(answer):
    loc = answer.header("location")
    parsed = urllib.parse.urlsplit(loc)
    return parsed.path + ("?" + parsed.query if parsed.query else "")


# --- TOTP (RFC 6238), as a staff member's authenticator app computes it ---------------------------


def totp(secret, unix_seconds):
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(unix_seconds) // 30), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


# --- applicants ----------------------------------------------------------------------------------

FIRST = ["Ana", "Luis", "Mei", "Omar", "Sofía", "John", "Aisha", "Tran", "Olga", "Kwame", "Lucía", "Raj"]
LAST = ["Ruiz", "Smith", "Nguyen", "Okafor", "Kowalski", "García", "Chen", "Haddad", "Johnson", "Patel"]
STREETS = ["Main St", "Oak Ave", "Elm St", "Pine Rd", "Cedar Ln", "Maple Dr", "Lake Blvd"]
CITIES = [("Springfield", "IL", "62701"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"),
          ("Miami", "FL", "33101"), ("Boise", "ID", "83702"), ("Albany", "NY", "12207")]


class Applicant:
    """One person's answers to the change of address, and the agencies they go to by the form's
    rules (ssa always; usps when mail is forwarded; va for a veteran; irs for a permanent move)."""

    def __init__(self, rng, today):
        self.first, self.last = rng.choice(FIRST), rng.choice(LAST)
        self.birth = dt.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        self.ssn = "%03d-%02d-%04d" % (rng.randint(100, 665), rng.randint(10, 99), rng.randint(1000, 9999))
        self.phone = "(202) 555-%04d" % rng.randint(100, 9999)
        self.email = f"{self.first.lower()}.{rng.randint(1, 99999)}@example.org".replace("í", "i")
        self.old = (f"{rng.randint(1, 999)} {rng.choice(STREETS)}",) + rng.choice(CITIES)
        self.new = (f"{rng.randint(1, 999)} {rng.choice(STREETS)}",) + rng.choice(CITIES)
        self.move = today - dt.timedelta(days=rng.randint(1, 40))
        self.permanent = rng.random() < 0.5
        self.back = self.move + dt.timedelta(days=rng.randint(30, 200))
        self.veteran = rng.random() < 0.25
        self.va_file = "%08d" % rng.randint(10000000, 99999999)
        self.forward = rng.random() < 0.5

    def agencies(self):
        return [a for a, on in (("ssa", True), ("usps", self.forward), ("va", self.veteran), ("irs", self.permanent)) if on]

    def json(self):
        a = {
            "person": {"name": {"first": self.first, "last": self.last}, "birth_date": self.birth.isoformat(), "ssn": self.ssn},
            "contact": {"email": self.email, "phone": self.phone, "preferred_method": "email"},
            "old_address": dict(zip(("street", "city", "state", "zip"), self.old)),
            "new_address": dict(zip(("street", "city", "state", "zip"), self.new)),
            "move_date": self.move.isoformat(),
            "kind": "permanent" if self.permanent else "temporary",
            "veteran": self.veteran,
            "forward_mail": self.forward,
            "truthful": True,
            "signature": f"{self.first} {self.last}",
        }
        if self.permanent:
            a["filed_jointly"] = False
        else:
            a["return_date"] = self.back.isoformat()
        if self.veteran:
            a["va_file_number"] = self.va_file
        if self.forward:
            a["usps_move_type"] = "individual"
        return a

    def fields(self):
        """The same answers as a browser posts them (flat names)."""
        def day(prefix, d):
            return [(prefix + ".month", str(d.month)), (prefix + ".day", str(d.day)), (prefix + ".year", str(d.year))]

        f = [("person.name.first", self.first), ("person.name.last", self.last)] + day("person.birth_date", self.birth)
        f += [("person.ssn", self.ssn), ("contact.email", self.email), ("contact.phone", self.phone),
              ("contact.preferred_method", "email")]
        for prefix, (street, city, state, zip_code) in (("old_address", self.old), ("new_address", self.new)):
            f += [(prefix + ".street", street), (prefix + ".city", city), (prefix + ".state", state), (prefix + ".zip", zip_code)]
        f += day("move_date", self.move) + [("kind", "permanent" if self.permanent else "temporary")]
        f += [("filed_jointly", "no")] if self.permanent else day("return_date", self.back)
        f += [("veteran", "yes" if self.veteran else "no")] + ([("va_file_number", self.va_file)] if self.veteran else [])
        f += [("forward_mail", "yes" if self.forward else "no")] + ([("usps_move_type", "individual")] if self.forward else [])
        f += [("truthful", "yes"), ("signature", f"{self.first} {self.last}")]
        return f

    def known(self):
        """What only the citizen knows, as the pages ask it: the date of birth and the SSN's last 4."""
        return [("known0.month", str(self.birth.month)), ("known0.day", str(self.birth.day)),
                ("known0.year", str(self.birth.year)), ("known1", self.ssn[-4:])]


# --- the history: what was done, and what the server answered ------------------------------------


class Application:
    """One application as the server answered it."""

    def __init__(self, channel, applicant):
        self.channel = channel
        self.applicant = applicant
        self.reference = None
        self.received = None       # the instant stored (UTC), where the server said it
        self.date_received = None  # the day received: as the agencies' feed gives it
        self.receipt = None        # the receipt's path (citizens' channels)
        self.agencies = []         # as the server routed it
        self.history = {}          # agency -> [(status, posted datetime)] as its status API gave it
        self.plan = {}             # agency -> [(day, action)]: what the agency will do, and when
        self.staff = None          # the account that keyed it
        self.arrived = None        # mail: the day the envelope arrived
        self.look = None           # the day the citizen looks at the status page again
        self.created = self.created_day = self.day_received = None


class History:
    def __init__(self, args, rng, clock, base, binary, db):
        self.args, self.rng, self.clock, self.binary, self.db = args, rng, clock, binary, db
        host, port = base.split(":")
        self.host, self.port = host, int(port)
        self.client = Session(self.host, self.port)  # a program: the API, the public pages
        self.applications = []
        self.started_at = []     # (instant, channel) of every draft made
        self.offers = {}         # (reference, stage, agency) -> (day offered, instant)
        self.answers = {}        # (reference, stage, agency) -> (q1, q2, instant) accepted
        self.tokens = {}
        self.staff = {}          # name -> {"password", "secret", "session", "role", "channel"}
        self.page_code = None
        self.snapshots = {}      # quarter -> (csv text, sha256 header, a11 text, instant asked)
        self.requests = 0

    # -- the CLI, as an operator runs it --

    def cli(self, *argv):
        r = subprocess.run([self.binary, *argv, "--db", self.db], cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            raise Refused(f"askonce {' '.join(argv)}: exit {r.returncode}: {r.stderr}")
        return r.stdout

    def setup(self):
        for agency in AGENCIES:
            out = self.cli("agency-token", "create", agency, "--forms", self.args.forms)
            self.tokens[agency] = re.search(r"aot_[A-Za-z0-9_-]+", out).group(0)
        # One agent keys every staff channel: each day of keying costs a sign-in (Argon2id).
        password = self.cli("staff", "add", "pat", "--role", "agent").split()[0]
        self.staff["pat"] = {"password": password, "secret": None, "session": None}

    # -- staff: signing in, keying --

    def sign_in(self, name):
        """A fresh session for `name` (each day: the last one has long timed out)."""
        member = self.staff[name]
        s = Session(self.host, self.port)
        page = Forms(expect(s.get("/staff/sign-in?lang=en"), (200,), "the sign-in page").text)
        form = page.form_with("password")
        password = member["password"]
        r = expect(s.post_form("/staff/sign-in?lang=en", page.hidden(form) + [("name", name), ("password", password)]),
                   (303,), f"{name} signs in")
        where = location_path(r)
        page = Forms(expect(s.get(where), (200,), f"{name}: {where}").text)
        # Each TOTP step is taken once per member: a code of a step not used yet.
        step = int(self.clock.now().timestamp()) // 30
        if member.get("step") is not None and step <= member["step"]:
            self.clock.set(dt.datetime.fromtimestamp((member["step"] + 1) * 30 + 1, dt.timezone.utc))
            step = member["step"] + 1
        member["step"] = step
        if where.startswith("/staff/set-up"):
            member["secret"] = page.ids["totp-secret"].replace(" ", "")
            member["password"] = f"a long passphrase for {name}"
            form = page.form_with("code")
            fields = page.hidden(form) + [("password", member["password"]), ("confirm", member["password"]),
                                          ("code", totp(member["secret"], step * 30))]
            expect(s.post_form(where, fields), (200,), f"{name} sets up")
        else:
            form = page.form_with("code")
            r = expect(s.post_form(where, page.hidden(form) + [("code", totp(member["secret"], step * 30))]), (303,),
                       f"{name} gives a code")
        member["session"] = s
        page = Forms(expect(s.get("/staff/key?lang=en"), (200,), "the keying page").text)
        member["csrf"] = dict(page.hidden(page.form_with("channel")))["askonce:csrf"]

    def mail_page_code(self):
        """The code printed on the paper form's pages, read back as a clerk's scanner would."""
        if self.page_code is None:
            pdf = expect(self.client.get(f"/forms/{FORM}.pdf?lang=en"), (200,), "the paper form").body
            text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
            self.page_code = re.search(r"askonce:%s:\d+:[0-9a-f]{12}:\d+" % FORM, text).group(0)
        return self.page_code

    def key(self, name, app, arrived=None):
        """A member keys `app` on their channel: the journey's steps, the read-back, Submit; then
        the application's page (which offers the survey after a phone or counter application)."""
        member = self.staff[name]
        s, csrf = member["session"], member["csrf"]
        start = [("askonce:csrf", csrf), ("channel", app.channel), ("form", FORM), ("language", "en")]
        if arrived:
            start += [("arrived-month", str(arrived.month)), ("arrived-day", str(arrived.day)),
                      ("arrived-year", str(arrived.year)), ("code", self.mail_page_code())]
        r = expect(s.post_form("/staff/key?lang=en", start), (303,), f"{name} starts keying")
        self.started_at.append((self.clock.now(), app.channel))
        path = location_path(r)
        for _ in range(12):
            if "/check" in path:
                break
            r = expect(s.post_form(path, app.applicant.fields() + [("askonce:csrf", csrf)]), (303,), f"keying {path}")
            path = location_path(r)
        r = expect(s.post_form(path, [("askonce:csrf", csrf), ("truthful", "yes"), ("askonce:confirm", "yes")]), (303,),
                   "the read-back's Submit")
        page_path = location_path(r)
        app.reference = page_path.split("/")[3].split("?")[0]
        app.staff = name
        page = expect(s.get(page_path), (200,), "the keyed application's page")
        self.offered_on(app, page, "/feedback")
        return page_path

    # -- citizens --

    def web(self, app, finish=True):
        """The citizen's journey: every step's Continue (the first makes the draft), then check
        your answers and Submit, which leads to the receipt (and its survey). A journey not
        finished leaves its draft."""
        s = Session(self.host, self.port)
        first = f"/forms/{FORM}/steps/about?lang=en"
        page = Forms(expect(s.get(first), (200,), "the first step").text)
        csrf = dict(page.hidden(page.form_with("askonce:csrf")))["askonce:csrf"]
        path = first
        for i in range(12):
            if "/check" in path:
                break
            r = expect(s.post_form(path, app.applicant.fields() + [("askonce:csrf", csrf)]), (303,), f"Continue on {path}")
            if i == 0:
                self.started_at.append((self.clock.now(), "web"))
            path = location_path(r)
            if not finish and self.rng.random() < 0.5:
                return None
        if not finish:
            return None
        r = expect(s.post_form(path, [("askonce:csrf", csrf), ("truthful", "yes"), ("askonce:confirm", "yes")]), (303,),
                   "Submit application")
        app.receipt = location_path(r)
        app.reference = app.receipt.split("/")[2].split("?")[0]
        self.citizen_page(app, s)
        return s

    def api(self, app):
        key = "history-%d" % len(self.applications)
        body = app.applicant.json()
        r = expect(self.client.post_json(f"/api/v1/forms/{FORM}/submissions", body, {"Idempotency-Key": key}), (201,),
                   "an API submission")
        got = r.json()
        # The same key again (a client's retry) stores nothing new: the same reference back.
        if self.rng.random() < 0.05:
            again = expect(self.client.post_json(f"/api/v1/forms/{FORM}/submissions", body, {"Idempotency-Key": key}),
                           (200, 201), "an API retry").json()
            if again["reference"] != got["reference"]:
                raise Refused(f"a retry with the same Idempotency-Key stored another application: {again['reference']}")
        app.reference = got["reference"]
        app.received = dt.datetime.fromisoformat(got["received"].replace("Z", "+00:00"))
        app.agencies = [a["agency"] for a in got["agencies"]]
        app.receipt = got["receipt_url"]

    def citizen_page(self, app, s=None):
        """The citizen opens their receipt / status page: it offers what it asks."""
        s = s or Session(self.host, self.port)
        page = expect(s.get(app.receipt), (200,), "the receipt")
        self.offered_on(app, page, "/feedback", s)
        return s

    def offered_on(self, app, page, action_part, s=None):
        """Notes the survey a page shows (offered on that day), and answers it or not."""
        forms = Forms(page.text)
        survey = next((f for f in forms.forms if f["action"] and action_part in f["action"]), None)
        if survey is None:
            return
        hidden = dict(forms.hidden(survey))
        stage = hidden.get("askonce:stage") or ("phone" if app.channel == "phone" else "in_person")
        agency = hidden.get("askonce:agency", "")
        spot = (app.reference, stage, agency)
        if spot not in self.offers:
            self.offers[spot] = (self.clock.today(), self.clock.now())
        if spot in self.answers or self.rng.random() < 0.35:
            return  # some never answer
        q1 = self.rng.choice(["", "1", "2", "3", "4", "4", "5", "5", "5"])
        q2 = self.rng.choice(["", "1", "2", "3", "3", "4", "5", "5"])
        fields = forms.hidden(survey) + [("q1", q1), ("q2", q2)]
        fields += [("went_well", d) for d in DRIVERS if self.rng.random() < 0.3]
        fields += [("comment", "Quick and clear. My SSN is not here.")] if self.rng.random() < 0.2 else []
        session = s or (self.staff[app.staff]["session"] if app.staff else Session(self.host, self.port))
        r = session.post_form(survey["action"], [(k, v) for k, v in fields if v != ""])
        if r.status in (200, 303):
            self.answers[spot] = (q1, q2, self.clock.now())
        elif r.status != 409:
            raise Refused(f"a survey's answers: HTTP {r.status}:\n{r.text[:800]}")

    def answer_need_info(self, app, agency):
        """The citizen answers the agency's need_info on their status page: what only they know,
        then the phone number (or email) it asked for, sent as a correction."""
        s = Session(self.host, self.port)
        path = app.receipt.replace(f"/receipts/{app.reference}?", f"/receipts/{app.reference}/correct?") + f"&agency={agency}"
        page = Forms(expect(s.get(path), (200,), "answering the agency").text)
        csrf = dict(page.hidden(page.form_with("askonce:csrf")))["askonce:csrf"]
        field, _ = ASKED[agency]
        if field == "contact.email":
            values = [(field, f"new.{self.rng.randint(1, 10**6)}@example.org")]
        elif field == "contact.phone":
            values = [(field, "(303) 555-%04d" % self.rng.randint(100, 9999))]
        else:
            street, city, state, zip_code = app.applicant.new
            values = [(field + ".street", f"{self.rng.randint(1000, 9999)} {self.rng.choice(STREETS)}"),
                      (field + ".city", city), (field + ".state", state), (field + ".zip", zip_code)]
        fields = app.applicant.known() + [("askonce:check", "yes"), ("askonce:csrf", csrf), ("askonce:field", field),
                                          ("askonce:send", "yes")] + values
        r = expect(s.post_form(path, fields), (200,), f"the answer to {agency}'s need_info")
        if "Your correction was sent" not in r.text:
            raise Refused(f"the answer to {agency}'s need_info was not sent:\n{r.text[:1500]}")

    # -- agencies --

    def post_status(self, app, agency, status, outcome=None):
        body = {"status": status}
        if status == "decided":
            body["outcome"] = outcome
        if status == "need_info":
            body["fields"] = [ASKED[agency][1]]
            body["message"] = {"en": "Please confirm how we can reach you.", "es": "Confirme cómo podemos comunicarnos con usted."}
        r = expect(self.client.post_json(f"/api/v1/agencies/{agency}/submissions/{app.reference}/status", body,
                                         {"Authorization": "Bearer " + self.tokens[agency]}), (200, 201),
                   f"{agency} posts {status}")
        self.took_history(app, agency, r.json()["history"])

    def took_history(self, app, agency, history):
        app.history[agency] = [(h["status"], dt.datetime.fromisoformat(h["posted"].replace("Z", "+00:00"))) for h in history]

    def read_status(self, app, agency):
        r = expect(self.client.get(f"/api/v1/agencies/{agency}/submissions/{app.reference}/status",
                                   {"Authorization": "Bearer " + self.tokens[agency]}), (200,), f"{agency}'s status")
        self.took_history(app, agency, r.json().get("history", []))

    def feeds(self):
        """Every agency pulls its list: which applications it got, with channel and day received."""
        got = {}
        for agency in AGENCIES:
            after = ""
            while True:
                r = expect(self.client.get(f"/api/v1/agencies/{agency}/submissions?limit=500" +
                                           (f"&after={urllib.parse.quote(after)}" if after else ""),
                                           {"Authorization": "Bearer " + self.tokens[agency]}), (200,), f"{agency}'s feed")
                page = r.json()
                for item in page["items"]:
                    if item.get("view_version", 1) != 1:
                        continue  # an amendment: the same application again
                    got.setdefault(item["reference"], []).append((agency, item["channel"], item["date_received"]))
                after = page.get("next_cursor") or ""
                if not page["items"] or not after:
                    break
        return got

    # -- the results, as anyone reads them --

    def published(self, tag):
        """Everything published now: the figures of every form and of this one, as JSON and CSV."""
        out = {"instant": self.clock.now(), "today": self.clock.today(), "tag": tag}
        for name, path in (("all.json", "/performance.json"), ("form.json", f"/performance/{FORM}.json"),
                           ("all.csv", "/performance.csv"), ("form.csv", f"/performance/{FORM}.csv"),
                           ("page.html", f"/performance/{FORM}")):
            out[name] = expect(self.client.get(path), (200,), path).text
        # What comes next is stamped at least a whole second later: the status API gives instants
        # to the second, and what was published must be told apart from what came after it.
        self.clock.set(self.clock.now() + dt.timedelta(seconds=2))
        return out

    def snapshot(self, quarter):
        slug = quarter.replace(" ", "-")
        r = expect(self.client.get(f"/performance/snapshots/{slug}.csv"), (200,), f"the snapshot of {quarter}")
        a11 = expect(self.client.get(f"/performance/snapshots/{slug}.a11.csv"), (200,), f"the A-11 CSV of {quarter}")
        return {"csv": r.text, "sha256": r.header("x-content-sha256"), "a11": a11.text}


# --- the simulation ------------------------------------------------------------------------------


def fiscal_quarter(day):
    """The US federal fiscal quarter of a day: FY2027 Q1 is October to December 2026."""
    year = day.year + (1 if day.month >= 10 else 0)
    quarter = ((day.month - 10) % 12) // 3 + 1
    return f"FY{year} Q{quarter}"


def quarter_end(quarter):
    year, q = int(quarter[2:6]), int(quarter[-1])
    last_month = (9 + 3 * q) % 12 or 12
    y = year - 1 if last_month >= 10 else year
    nxt = dt.date(y + (last_month == 12), last_month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def simulated_days(rng, first, last):
    """The days the history acts on: every few days, and the edges that matter (a quarter's last
    and first days, the fiscal year's end, a holiday observed on a Friday)."""
    days = set()
    d = first
    while d <= last:
        days.add(d)
        d += dt.timedelta(days=rng.randint(3, 6))
    days |= {dt.date(2026, 12, 31), dt.date(2027, 1, 4), dt.date(2027, 3, 31), dt.date(2027, 4, 1),
             dt.date(2027, 6, 18), dt.date(2027, 6, 30), dt.date(2027, 7, 1), dt.date(2027, 9, 30),
             dt.date(2027, 10, 1), last}
    return sorted(x for x in days if first <= x <= last)


def plan_agency(rng, start, citizen):
    """What one agency will do with one application, and on which day (calendar days from the
    day it came in): some never act (left pending, past the standard in time), most move on
    through received, in_review, perhaps need_info (answered by the citizen, or not), and decide."""
    steps = []
    if rng.random() < 0.08:
        return steps
    day = start + dt.timedelta(days=rng.randint(0, 2))
    if rng.random() < 0.3:
        steps.append((day, "received"))
    day += dt.timedelta(days=rng.randint(0, 4))
    if rng.random() < 0.4:
        steps.append((day, "in_review"))
    if rng.random() < 0.18:
        day += dt.timedelta(days=rng.randint(1, 5))
        steps.append((day, "need_info"))
        if rng.random() < 0.15:
            return steps  # the citizen never answers: the clock stays stopped
        day += dt.timedelta(days=rng.randint(1, 12))
        steps.append((day, "answer" if citizen and rng.random() < 0.7 else "in_review"))
    if rng.random() < 0.06:
        return steps  # stuck in review
    day += dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 7, 9, 12, 14, 16, 20, 25, 35, 50]))
    steps.append((day, "decided"))
    return steps


def make_history(h, rng, n_applications):
    first, last = dt.date(2026, 10, 1), dt.date(2027, 10, 29)
    days = simulated_days(rng, first, last)
    per_day = n_applications / len(days)
    # Each quarter its own mix of channels; a counter closed for a quarter gives small cells.
    mixes = {}
    for q in sorted({fiscal_quarter(d) for d in days}):
        w = {"api": 0.5, "web": 0.22, "phone": 0.12, "in_person": 0.09, "mail": 0.07}
        w = {c: v * rng.uniform(0.6, 1.4) for c, v in w.items()}
        if rng.random() < 0.4:
            w["in_person"] = 0.004
        mixes[q] = w
    made = 0
    deferred = []  # staff applications that wait for the next day of keying
    checks = []
    quarters_seen = set()
    say(f"history: {len(days)} days from {days[0]} to {days[-1]}, about {n_applications} applications")
    for i, day in enumerate(days):
        h.clock.set(dt.datetime.combine(day, dt.time(14, 0), dt.timezone.utc))
        q = fiscal_quarter(day)
        first_of_quarter = bool(quarters_seen) and q not in quarters_seen
        quarters_seen.add(q)
        # Agencies act on what is due; citizens answer and look at their status pages.
        for app in h.applications:
            for agency, steps in app.plan.items():
                while steps and steps[0][0] <= day:
                    _, action = steps.pop(0)
                    if action == "answer":
                        h.answer_need_info(app, agency)
                        h.read_status(app, agency)
                    elif action == "decided":
                        h.post_status(app, agency, "decided", rng.choice(OUTCOMES))
                        if app.receipt and rng.random() < 0.6:
                            app.look = day + dt.timedelta(days=rng.randint(0, 15))
                    else:
                        h.post_status(app, agency, action)
            look = getattr(app, "look", None)
            if look and look <= day:
                app.look = None
                h.citizen_page(app)
        # New applications. Staff key on every other day (each day of keying costs a sign-in).
        target = round(per_day * (i + 1))
        todays = []
        while made < target:
            channel = rng.choices(list(mixes[q]), weights=list(mixes[q].values()))[0]
            made += 1
            (deferred if channel in ("phone", "in_person", "mail") else todays).append(channel)
        if i % 2 == 0 or day == last:
            todays += deferred
            deferred = []
        if any(c in ("phone", "in_person", "mail") for c in todays):
            h.sign_in("pat")
        for channel in todays:
            app = Application(channel, Applicant(rng, day))
            app.created = h.clock.now()
            if channel == "api":
                h.api(app)
            elif channel == "web":
                h.web(app)
            else:
                name = "pat"
                arrived = None
                if channel == "mail":
                    # The envelope came in a few days before it is keyed: over a quarter's end at
                    # times, into a quarter already published (it counts in the quarter keyed).
                    arrived = day - dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 8]))
                    app.arrived = arrived
                h.key(name, app, arrived)
            app.created_day = h.clock.today()
            if not app.agencies:
                app.agencies = app.applicant.agencies()
            for agency in app.agencies:
                app.plan[agency] = plan_agency(rng, day, app.receipt is not None)
            h.applications.append(app)
        # Some citizens start and leave (their drafts count as started).
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            h.web(Application("web", Applicant(rng, day)), finish=False)
        if first_of_quarter:
            # The first look at the results after a quarter ended (at the end of the first day of
            # the next, mail with envelopes of the quarter ended keyed by then) freezes it.
            checks.append(h.published(f"first day seen of {q}"))
        if i % 10 == 0:
            say(f"  {day}: {made} applications, {len(h.offers)} surveys offered, {len(h.answers)} answered")
    h.clock.set(dt.datetime.combine(last, dt.time(20, 0), dt.timezone.utc))
    checks.append(h.published("the end"))
    return checks


# --- the figures, worked out here (docs/figures.md, written again) -------------------------------


def nth_weekday(year, month, weekday, n):
    """The n-th `weekday` (0 Monday) of a month; n = -1 the last."""
    if n > 0:
        d = dt.date(year, month, 1)
        d += dt.timedelta(days=(weekday - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)
    d = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def observed_holidays(year):
    """5 U.S.C. 6103: the federal holidays of `year`, each on the day it is observed (a Saturday's
    on the Friday before, a Sunday's on the Monday after)."""
    fixed = [dt.date(year, 1, 1), dt.date(year, 6, 19), dt.date(year, 7, 4), dt.date(year, 11, 11), dt.date(year, 12, 25)]
    moving = [nth_weekday(year, 1, 0, 3), nth_weekday(year, 2, 0, 3), nth_weekday(year, 5, 0, -1),
              nth_weekday(year, 9, 0, 1), nth_weekday(year, 10, 0, 2), nth_weekday(year, 11, 3, 4)]
    out = set(moving)
    for d in fixed:
        out.add(d - dt.timedelta(days=1) if d.weekday() == 5 else d + dt.timedelta(days=1) if d.weekday() == 6 else d)
    return out


HOLIDAYS = set().union(*(observed_holidays(y) for y in range(2020, 2031)))


def is_working(day):
    return day.weekday() < 5 and day not in HOLIDAYS


def counts_on(day, unit, paused):
    return day not in paused and (unit == "days" or is_working(day))


def paused_days(pauses):
    out = set()
    for start, end in pauses:
        d = start
        while d < end:
            out.add(d)
            d += dt.timedelta(days=1)
    return out


def days_used(received, until, unit, pauses):
    paused = paused_days(pauses)
    n, d = 0, received + dt.timedelta(days=1)
    while d <= until:
        n += counts_on(d, unit, paused)
        d += dt.timedelta(days=1)
    return n


def due_date(received, amount, unit, pauses):
    paused = paused_days(pauses)
    n, d = 0, received
    while n < amount:
        d += dt.timedelta(days=1)
        n += counts_on(d, unit, paused)
    return d


def own_rules_hold():
    """This script's clock against docs/figures.md's worked examples (due dates worked out by
    hand): the script is held to the page, as the server is to the script. The examples that
    disagree, as lines."""
    d = dt.date
    examples = [
        (d(2027, 6, 14), 10, "working_days", [], d(2027, 6, 29)),
        (d(2021, 12, 20), 10, "working_days", [], d(2022, 1, 5)),
        (d(2027, 12, 30), 1, "working_days", [], d(2028, 1, 3)),
        (d(2024, 1, 31), 30, "days", [], d(2024, 3, 1)),
        (d(2025, 3, 3), 30, "days", [(d(2025, 3, 10), d(2025, 3, 17))], d(2025, 4, 9)),
        (d(2025, 3, 3), 10, "working_days", [(d(2025, 3, 5), d(2025, 3, 10))], d(2025, 3, 20)),
        (d(2025, 3, 3), 30, "days", [(d(2025, 3, 10), d(2025, 3, 17)), (d(2025, 3, 14), d(2025, 3, 20))], d(2025, 4, 12)),
        (d(2025, 3, 1), 10, "working_days", [], d(2025, 3, 14)),
    ]
    wrong = []
    for received, amount, unit, pauses, due in examples:
        got = due_date(received, amount, unit, pauses)
        if got != due or days_used(received, due, unit, pauses) != amount:
            wrong.append(f"received {received}, {amount} {unit}, pauses {pauses}: due {got}, the page says {due}")
    return wrong


def waits(rows):
    """The agency's waits on the citizen: from a need_info's UTC day to the UTC day of the next
    row of another status; and the day of a need_info still open (or None)."""
    pauses, asked = [], None
    for status, at in rows:
        day = at.date()
        if status == "need_info":
            asked = asked or day
        elif asked:
            pauses.append((asked, day))
            asked = None
    return pauses, asked


def percent(part, whole):
    """part / whole in percent to one decimal (halves up), or None below the smallest cell."""
    if whole < SMALLEST:
        return None
    x = Fraction(1000 * part, whole)
    return math.floor(x + Fraction(1, 2)) / 10


def shown(n):
    return n if n == 0 or n >= SMALLEST else None


def nearest_rank(values, p):
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


class Expected:
    """Every figure of one quarter as published when it was frozen: at `until` (an instant), on
    `today` (the deployment's day), from the history's records (docs/figures.md: applications in
    the quarter of the day they were recorded, decisions in the quarter of the day made, drafts in
    the quarter of the day started, surveys in the quarter offered, and the backlog on the
    quarter's last day of everything received in it or before)."""

    def __init__(self, h, until, today, quarter):
        self.today = today
        self.quarter = quarter
        last = min(quarter_end(quarter), today)
        self.apps = {}        # (agency, quarter, channel) -> count, agency '' the form
        self.quarters = {}    # agency -> quarters with applications (this one, or none)
        self.decisions = {}   # (agency, quarter, channel) -> [(days, judged, within)]
        self.past = {}        # (agency, quarter, channel) -> undecided past the standard on `last`
        self.started = {}     # quarter -> web drafts started
        self.survey = {}      # (agency, quarter, channel) -> {"offered", "answered", "q1": [5], "q2": [5]}
        for app in h.applications:
            if app.created >= until:
                continue
            if fiscal_quarter(app.created_day) == quarter:  # the day recorded, late mail too
                for agency in [""] + app.agencies:
                    self.apps[(agency, quarter, app.channel)] = self.apps.get((agency, quarter, app.channel), 0) + 1
                    self.quarters.setdefault(agency, set()).add(quarter)
            for agency in app.agencies:
                cell = (agency, quarter, app.channel)
                rows = [(s, at) for s, at in app.history.get(agency, []) if at < until]
                pauses, asked = waits(rows)
                amount, unit = STANDARDS[agency]
                if rows and rows[-1][0] == "decided":
                    decided = rows[-1][1].astimezone(ZONE).date()
                    if fiscal_quarter(decided) != quarter:
                        continue
                    days = days_used(app.day_received, decided, "days", pauses)
                    within = days_used(app.day_received, decided, unit, pauses) <= amount
                    self.decisions.setdefault(cell, []).append((days, True, within))
                    continue
                if fiscal_quarter(app.day_received) > quarter:
                    continue  # received after the quarter: not in its backlog
                past = due_date(app.day_received, amount + 1, unit, pauses)
                if asked is not None and past >= asked:
                    continue  # waiting on the citizen since before it was past: not past
                if past <= last:
                    self.past[cell] = self.past.get(cell, 0) + 1
        for at, channel in h.started_at:
            if at >= until or channel != "web" or fiscal_quarter(at.astimezone(ZONE).date()) != quarter:
                continue
            self.started[quarter] = self.started.get(quarter, 0) + 1
        by_ref = {a.reference: a for a in h.applications}
        for (ref, stage, agency), (day, at) in h.offers.items():
            if at >= until or fiscal_quarter(day) != quarter:
                continue
            c = self.survey.setdefault((agency, quarter, by_ref[ref].channel),
                                       {"offered": 0, "answered": 0, "q1": [0] * 5, "q2": [0] * 5})
            c["offered"] += 1
            got = h.answers.get((ref, stage, agency))
            if got and got[2] < until:
                c["answered"] += 1
                for name, value in (("q1", got[0]), ("q2", got[1])):
                    if value:
                        c[name][int(value) - 1] += 1

    def value(self, agency, quarter, channel):
        return sum(n for (a, q, c), n in self.apps.items()
                   if a == agency and q == quarter and (channel == "all" or c == channel))

    def rows(self):
        """The rows the quarter's publication has: per agency with applications in it, each
        channel and "all"; and rows of a survey with enough answers."""
        out = []
        for agency, quarters in self.quarters.items():
            for q in sorted(quarters):
                for c in CHANNELS + ["all"]:
                    out.append((agency, q, c))
        for (agency, q, c), s in self.survey.items():
            if s["answered"] >= SMALLEST and (agency, q, c) not in out:
                out.append((agency, q, c))
        return out


# --- what was published, against what was worked out ---------------------------------------------

FIGURES = ["applications", "digital_take_up", "started", "completion_rate", "decided", "within_standard",
           "median_days", "p80_days", "p90_days", "pending_past_standard", "survey_offered", "survey_answered",
           "response_rate", "satisfaction", "satisfied", "trust", "trusting"]


def rows_of_json(text):
    return {(r["agency"], r["quarter"], r["channel"]): r for r in json.loads(text)["rows"] if r["form"] == FORM}


def rows_of_csv(text):
    """The CSV's rows in the JSON's shape (the same names, numbers as numbers, empty as None)."""
    out, as_of = {}, None
    for r in csv.DictReader(io.StringIO(text, newline="")):
        as_of = r["as_of"]
        if r["form"] != FORM:
            continue
        row = {"suppressed": r["suppressed"] == "true"}
        for name in FIGURES:
            if name in ("satisfaction", "trust"):
                points = [r[f"{name}_{i}"] for i in range(1, 6)]
                row[name] = None if points[0] == "" else [int(p) for p in points]
            elif r[name] == "":
                row[name] = None
            else:
                row[name] = float(r[name]) if "." in r[name] else int(r[name])
        out[(r["agency"], r["quarter"], r["channel"])] = row
    return out, as_of


def expected_row(e, key, published):
    """The figures of one row, by the rules of docs/figures.md, with the suppression pattern the
    publication chose (complementary suppression may withhold more than the small cells; which
    ones is the server's choice, and the attack checks that it is enough)."""
    agency, q, c = key
    row = {name: None for name in FIGURES}
    has_table = q in e.quarters.get(agency, set())
    n = e.value(agency, q, c)
    hidden = lambda ch: published.get((agency, q, ch), {}).get("suppressed", False)
    if has_table and not hidden(c):
        row["applications"] = n
        if c == "all" and ((not hidden("web") and not hidden("api")) or
                           not any(hidden(ch) for ch in ("phone", "in_person", "mail"))):
            row["digital_take_up"] = percent(e.value(agency, q, "web") + e.value(agency, q, "api"), n)
        if agency == "" and c == "web":
            started = e.started.get(q, 0)
            if started >= SMALLEST:
                row["started"] = started
                row["completion_rate"] = percent(n, started)
        if agency and c != "all":  # decisions made in the quarter, of applications of any quarter
            decisions = e.decisions.get(key, [])
            row["decided"] = shown(len(decisions))
            if len(decisions) >= SMALLEST:
                days = [d for d, _, _ in decisions]
                row["median_days"], row["p80_days"], row["p90_days"] = (nearest_rank(days, p) for p in (50, 80, 90))
            row["within_standard"] = percent(sum(w for _, j, w in decisions if j), sum(j for _, j, _ in decisions))
            row["pending_past_standard"] = shown(e.past.get(key, 0))
    s = e.survey.get(key)
    withheld = has_table and hidden(c)  # a row withheld shows nothing, its survey neither
    if c != "all" and s and s["answered"] >= SMALLEST and not withheld:
        row["survey_offered"], row["survey_answered"] = s["offered"], s["answered"]
        row["response_rate"] = percent(s["answered"], s["offered"])
        row["satisfaction"], row["trust"] = s["q1"], s["q2"]
        row["satisfied"] = percent(s["q1"][3] + s["q1"][4], sum(s["q1"]))
        row["trusting"] = percent(s["q2"][3] + s["q2"][4], sum(s["q2"]))
    return row, n


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b


def compare(name, published, e):
    """Every difference between a publication and the figures worked out here, as lines to read."""
    diffs = []
    want_keys = set(e.rows())
    for key in sorted(want_keys - set(published)):
        diffs.append(f"{name}: no row {key} (expected {e.value(*key)} applications)")
    for key in sorted(set(published) - want_keys):
        diffs.append(f"{name}: a row {key} that should not be there: {published[key]}")
    hidden = 0
    for key in sorted(want_keys & set(published)):
        got = published[key]
        want, n = expected_row(e, key, published)
        where = f"{name}: {key[1]} / {key[0] or '(every agency)'} / {key[2]}"
        if got["suppressed"]:
            hidden += 1
            if got["applications"] is not None:
                diffs.append(f"{where}: suppressed, yet applications = {got['applications']}")
        elif 0 < n < SMALLEST and key[1] in e.quarters.get(key[0], set()):
            diffs.append(f"{where}: {n} applications published: a small cell must be suppressed")
        for figure in FIGURES:
            if not same(got.get(figure), want[figure]):
                diffs.append(f"{where}: {figure}: published {got.get(figure)!r}, worked out {want[figure]!r}")
    return diffs, hidden


def compare_a11(name, text, snapshot_rows, quarter):
    """The A-11 CSV against the snapshot it is made from: one row per channel of the form."""
    diffs = []
    year, q = quarter[2:6], quarter[-1]
    seen = set()
    for r in csv.DictReader(io.StringIO(text, newline="")):
        c = r["channel"]
        seen.add(c)
        s = snapshot_rows.get(("", quarter, c))
        if s is None:
            diffs.append(f"{name}: a row for channel {c} the snapshot has not")
            continue
        want = {
            "collection_year": year, "collection_quarter": q, "service_id": FORM, "transaction_point": "application",
            "volume_of_customers": s["applications"], "volume_of_customers_provided_survey_opportunity": s["survey_offered"],
            "volume_of_respondents": s["survey_answered"],
        }
        for i in range(5):
            want[f"q1_{i + 1}"] = s["satisfaction"][i] if s["satisfaction"] else None
            want[f"q2_{i + 1}"] = s["trust"][i] if s["trust"] else None
        for k, v in want.items():
            if r[k] != ("" if v is None else str(v)):
                diffs.append(f"{name}: {c}: {k} = {r[k]!r}, the snapshot says {v!r}")
    if seen != set(CHANNELS):
        diffs.append(f"{name}: channels {sorted(seen)}, expected {sorted(CHANNELS)}")
    return diffs


# --- the server ----------------------------------------------------------------------------------


def start_server(binary, forms, db, clock_file, log_dir):
    env = dict(os.environ)
    env.update({
        "LD_PRELOAD": FAKETIME_LIB,
        "FAKETIME_TIMESTAMP_FILE": clock_file,
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        # One client makes the whole history: the per-client limits are for the public.
        "ASKONCE_RATE_LIMIT__PER_MINUTE": "1000000",
        "ASKONCE_RATE_LIMIT__BURST": "1000000",
        "ASKONCE_STAFF__SIGN_IN_PER_MINUTE": "1000",
        "ASKONCE_STAFF__SIGN_IN_BURST": "1000",
        "ASKONCE_SITE__TIME_ZONE": "America/New_York",
        # No sweeper: it would also freeze a quarter that has ended at a moment of its own, and
        # the checks below know each freeze by the look that made it. performance_tests covers
        # freezing without a request.
        "ASKONCE_RETENTION__SWEEP_MINUTES": "0",
    })
    out = open(os.path.join(log_dir, "server.log"), "w")
    err = open(os.path.join(log_dir, "server.err"), "w")
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--db", db, "--forms", forms], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=err, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        out.write(line)
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "started":
            # The rest of the log goes to the file, read by nobody while the history runs.
            threading.Thread(target=lambda: shutil.copyfileobj(proc.stdout, out), daemon=True).start()
            return proc, event["address"]
    proc.kill()
    raise Refused(f"the server did not start: see {log_dir}/server.err")


def stop_server(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--askonce", default=os.path.join(ROOT, "build/server/askonce"))
    p.add_argument("--forms", default=os.path.join(ROOT, "forms"))
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--applications", type=int, default=2000)
    p.add_argument("--work", default=None, help="where the logs and publications go (kept)")
    args = p.parse_args(argv)
    wrong = own_rules_hold()
    if wrong:
        say("this script's clock disagrees with docs/figures.md's worked examples:\n  " + "\n  ".join(wrong))
        return 1
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**9)
    say(f"seed: {seed} (run again with --seed {seed})")
    rng = random.Random(seed)
    for need in (args.askonce, FAKETIME_LIB, shutil.which("pdftotext") or "pdftotext"):
        if not os.path.exists(need):
            say(f"missing: {need} (scripts/deps.sh installs faketime and poppler-utils; build the askonce target)")
            return 2
    work = args.work or tempfile.mkdtemp(prefix="askonce-history-")
    os.makedirs(work, exist_ok=True)
    # The database in memory when there is a tmpfs: a real SQLite file whose fsyncs cost nothing,
    # so that thousands of applications fit in a few minutes on a busy machine.
    db_dir = tempfile.mkdtemp(prefix="askonce-history-db-", dir="/dev/shm" if os.path.isdir("/dev/shm") else work)
    db = os.path.join(db_dir, "askonce.db")
    # A stop (CTest's timeout) stops the server too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    clock = FakeClock(os.path.join(work, "clock"), dt.datetime(2026, 10, 1, 13, 0, tzinfo=dt.timezone.utc))
    started = time.time()
    proc, address = start_server(args.askonce, args.forms, db, clock.path, work)
    try:
        h = History(args, rng, clock, address, args.askonce, db)
        h.setup()
        checks = make_history(h, rng, args.applications)
        # What the agencies' feeds say each application is: channel and day received.
        feed = h.feeds()
        problems = []
        for app in h.applications:
            got = feed.get(app.reference, [])
            if sorted(a for a, _, _ in got) != sorted(app.applicant.agencies()):
                problems.append(f"{app.reference}: routed to {sorted(a for a, _, _ in got)}, the form says "
                                f"{sorted(app.applicant.agencies())}")
            days = {d for _, _, d in got}
            channels = {c for _, c, _ in got}
            if len(days) != 1 or channels != {app.channel}:
                problems.append(f"{app.reference}: the feeds say {got}")
                continue
            app.day_received = dt.date.fromisoformat(days.pop())
            want = app.arrived if app.channel == "mail" else app.created_day
            if app.received is not None and app.received.astimezone(ZONE).date() != app.day_received:
                problems.append(f"{app.reference}: received {app.received}, day received {app.day_received}")
            if app.day_received != want:
                problems.append(f"{app.reference}: day received {app.day_received}, expected {want}")
        if problems:
            say("the applications are not what was made:\n  " + "\n  ".join(problems[:40]))
            return 1
        # Each quarter that has ended was frozen by the first look at the results after its end;
        # from then on every look publishes it exactly so, and nothing of a quarter still running.
        quarters = sorted({fiscal_quarter(a.created_day) for a in h.applications})
        freeze = {}  # quarter -> the look that froze it
        for q in quarters:
            look = next((c for c in checks if c["today"] > quarter_end(q)), None)
            if look is not None:
                freeze[q] = look
        snapshots = {q: h.snapshot(q) for q in freeze}
        expected = {q: Expected(h, look["instant"], look["today"], q) for q, look in freeze.items()}
        stats = {c: sum(a.channel == c for a in h.applications) for c in CHANNELS}
        late = sum(1 for a in h.applications if a.channel == "mail" and fiscal_quarter(a.arrived) != fiscal_quarter(a.created_day))
        decided = sum(1 for a in h.applications for rows in a.history.values() if rows and rows[-1][0] == "decided")
        answered = sum(1 for a in h.applications for rows in a.history.values() if any(s == "answered" for s, _ in rows))
        say(f"made {len(h.applications)} applications {stats} ({late} mail keyed after its envelope's quarter), "
            f"{len(h.started_at)} drafts started, {decided} decisions, {answered} need_info answered, "
            f"{len(h.offers)} surveys offered, {len(h.answers)} answered, in {time.time() - started:.0f} s")
        diffs, files = [], []
        first_seen = {}  # (name, quarter) -> its rows as first published
        for i, check in enumerate(checks):
            tag = f"{check['tag']} ({check['today']})"
            public = sorted(q for q, look in freeze.items() if look["instant"] <= check["instant"])
            for name in ("all.json", "form.json"):
                rows = rows_of_json(check[name])
                if {k[1] for k in rows} != set(public):
                    diffs.append(f"{tag}: {name}: quarters {sorted({k[1] for k in rows})}, expected the ended {public}")
                hidden = 0
                for q in public:
                    mine = {k: v for k, v in rows.items() if k[1] == q}
                    d, n_hidden = compare(f"{tag}: {name}", mine, expected[q])
                    diffs += d
                    hidden += n_hidden
                    if first_seen.setdefault((name, q), mine) != mine:
                        diffs.append(f"{tag}: {name}: {q} is not what it was when first published")
                    for r in mine.values():
                        if r["as_of"] != freeze[q]["today"].isoformat():
                            diffs.append(f"{tag}: {name}: {q}: a row as of {r['as_of']}, frozen {freeze[q]['today']}")
                want_as_of = max((freeze[q]["today"].isoformat() for q in public), default="")
                if json.loads(check[name])["as_of"] != want_as_of:
                    diffs.append(f"{tag}: {name}: as_of {json.loads(check[name])['as_of']}, expected {want_as_of!r}")
            for name in ("all.csv", "form.csv"):
                rows, as_of = rows_of_csv(check[name])
                want = {k: {f: v.get(f) for f in ["suppressed"] + FIGURES} for k, v in rows_of_json(check[name.replace("csv", "json")]).items()}
                if rows != want:
                    diffs.append(f"{tag}: {name} is not what the JSON says")
            # The page publishes what the JSON does (so the attack on the JSON covers the page).
            diffs += page_differences(f"{tag}: page", check["page.html"], rows_of_json(check["form.json"]))
            say(f"{tag}: quarters {public}: {len(rows_of_json(check['form.json']))} rows, {hidden} suppressed")
            for name in ("form.json", "all.csv"):
                path = os.path.join(work, f"published-{i}-{name}")
                with open(path, "w") as f:
                    f.write(check[name])
                files.append(path)
        for q, snap in snapshots.items():
            frozen = freeze[q]
            rows, as_of = rows_of_csv(snap["csv"])
            d, hidden = compare(f"snapshot {q}", rows, expected[q])
            diffs += d
            if as_of != frozen["today"].isoformat():
                diffs.append(f"snapshot {q}: as of {as_of}, frozen on {frozen['today']}")
            if snap["sha256"] not in (digest := hashlib.sha256(snap["csv"].encode()).hexdigest(), "sha256:" + digest):
                diffs.append(f"snapshot {q}: X-Content-SHA256 {snap['sha256']} is not the SHA-256 of its bytes")
            diffs += compare_a11(f"A-11 {q}", snap["a11"], rows, q)
            say(f"snapshot {q} (frozen {frozen['today']}): {len(rows)} rows, {hidden} suppressed")
            path = os.path.join(work, f"snapshot-{q.replace(' ', '-')}.csv")
            with open(path, "w", newline="") as f:
                f.write(snap["csv"])
            files.append(path)
        if diffs:
            say(f"{len(diffs)} published figures differ from the history's:")
            for d in diffs[:200]:
                say("  " + d)
        else:
            say("every published figure equals the history's")
        # Everything published, on every look and every snapshot, attacked together (attack.py
        # --together): it must pin nothing.
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable  # Debian's, with scipy
        attack_py = os.path.join(ROOT, "tests/performance/attack.py")
        attack = subprocess.run([python, attack_py, "--together", *files], capture_output=True, text=True)
        say("attack on everything published, every look and every snapshot, together:")
        say("\n".join("  " + l for l in attack.stdout.splitlines() if "PINNED" in l or l.startswith(("pinned", "together")))
            or attack.stderr)
        if attack.returncode not in (0, 1):
            say(attack.stdout[-3000:] + attack.stderr[-3000:])
        say(f"work: {work}; {time.time() - started:.0f} s in all")
        return 1 if diffs or attack.returncode != 0 else 0
    except Refused as e:
        say(f"the history could not be made: {e}")
        return 2
    finally:
        stop_server(proc)
        shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
