#!/usr/bin/env python3
"""tests/va/make_submissions.py: write a corpus of VA 10-10EZ submissions.

    python3 tests/va/make_submissions.py [--out tests/va/submissions] [--seed 1010]

Writes JSON submissions for the VA's own schema
(../shared/corpus/va-forms/10-10EZ-schema.json) into the output folder, replacing the
*.json files there, and a manifest, tests/va/cases.tsv (name, category, rule, path, what).

Three categories, told apart by the file name:
  valid-NNN.json                      valid for the VA's schema; varied (with and without
                                      spouse, 0 to 5 dependents, insurance policies, optional
                                      fields present or absent, Unicode names, every country
                                      branch of the addresses);
  invalid-NNN-RULE-PATH.json          a valid submission with exactly one rule broken
                                      (missing required, pattern, date format, length, enum,
                                      type, range, oneOf, anyOf, ...);
  edge-NNN-RULE-PATH.json             submissions that probe the gaps documented in
                                      forms/README.md ("VA 10-10EZ: gaps"; RULE starts with the
                                      gap's number, "gap5-nfc"), and boundaries ("boundary");
                                      ajv decides their verdict, and
                                      tests/va/known_differences.tsv lists those on which
                                      askonce is expected to differ.

The generator is deterministic (a fixed seed, sorted keys), uses the standard library only,
and keeps the corpus under about 2 MB. Afterwards, regenerate ajv's verdicts:

    node tests/ajv/validate.mjs ../shared/corpus/va-forms/10-10EZ-schema.json \\
        tests/va/submissions > tests/va/ajv_verdicts.tsv
"""

import argparse
import copy
import json
import os
import random
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- Values from the VA's schema ------------------------------------------------------------

SUFFIXES = ["Jr.", "Sr.", "II", "III", "IV"]
MARITAL = ["Married", "Never Married", "Separated", "Widowed", "Divorced"]
BIRTH_STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
                "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
                "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
                "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "Other"]
USA_STATES = ["AL", "AK", "AS", "AZ", "AR", "AA", "AE", "AP", "CA", "CO", "CT", "DE", "DC", "FM",
              "FL", "GA", "GU", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MH", "MD",
              "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
              "MP", "OH", "OK", "OR", "PW", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
              "VI", "VA", "WA", "WV", "WI", "WY"]
CAN_PROVINCES = ["AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"]
MEX_STATES = ["aguascalientes", "baja-california-norte", "baja-california-sur", "campeche",
              "chiapas", "chihuahua", "coahuila", "colima", "distrito-federal", "durango",
              "guanajuato", "guerrero", "hidalgo", "jalisco", "mexico", "michoacan", "morelos",
              "nayarit", "nuevo-leon", "oaxaca", "puebla", "queretaro", "quintana-roo",
              "san-luis-potosi", "sinaloa", "sonora", "tabasco", "tamaulipas", "tlaxcala",
              "veracruz", "yucatan", "zacatecas"]
RELATIONS = ["Daughter", "Son", "Stepson", "Stepdaughter", "Father", "Mother", "Spouse", "Other"]
BRANCHES = ["air force", "army", "coast guard", "marine corps", "merchant seaman", "navy", "noaa",
            "space force", "usphs", "f.commonwealth", "f.guerilla", "f.scouts new",
            "f.scouts old", "other"]
DISCHARGES = ["honorable", "general", "other", "bad-conduct", "dishonorable", "undesirable"]
COMPENSATION = ["lowDisability", "highDisability", "none"]
RACE = ["isAmericanIndianOrAlaskanNative", "isBlackOrAfricanAmerican",
        "isNativeHawaiianOrOtherPacificIslander", "isAsian", "isWhite"]
SERVICE_FLAGS = ["purpleHeartRecipient", "isFormerPow", "postNov111998Combat",
                 "disabledInLineOfDuty", "swAsiaCombat", "vietnamService", "exposedToRadiation",
                 "radiumTreatments", "campLejeune"]
EXPOSURES = ["exposureToAirPollutants", "exposureToAsbestos", "exposureToChemicals",
             "exposureToContaminatedWater", "exposureToMustardGas",
             "exposureToOccupationalHazards", "exposureToRadiation", "exposureToShad",
             "exposureToWarfareAgents", "exposureToOther"]
INCOMES = ["veteranGrossIncome", "veteranNetIncome", "veteranOtherIncome"]
SPOUSE_INCOMES = ["spouseGrossIncome", "spouseNetIncome", "spouseOtherIncome"]
DEDUCTIBLES = ["deductibleMedicalExpenses", "deductibleFuneralExpenses",
               "deductibleEducationExpenses"]

# ---- Realistic values -----------------------------------------------------------------------

FIRST_M = ["James", "Robert", "Michael", "William", "David", "José", "Luis", "Carlos", "Juan",
           "Jesús", "Nguyễn Văn", "Tuấn", "Minh", "Kwame", "DeShawn", "Tyrone", "Marcus", "Wei",
           "Hiroshi", "Ahmad", "Björn", "François", "Seán", "Zoltán", "Ángel", "Joaquín",
           "Mary-Kate", "O'Neil", "Ramón", "Dmitri", "Ali", "Jo"]
FIRST_F = ["Mary", "Patricia", "Jennifer", "Linda", "María", "Guadalupe", "Ana Lucía", "Sofía",
           "Zoë", "Chloé", "Renée", "Thảo", "Lan", "Aaliyah", "Keisha", "Mei", "Yuki", "Fatima",
           "Siobhán", "Ingrid", "Małgorzata", "Ximena", "Itzel", "Noémie", "Ana"]
MIDDLE = ["A", "Lee", "Marie", "Ann", "Wayne", "Antonio", "Guadalupe", "de la Cruz", "Ray", "J.",
          "Xochitl", "Thị", "Elizabeth", "Jean-Paul"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Martínez", "Rodríguez",
        "Hernández", "López", "González", "Pérez", "Núñez", "Ibáñez", "Muñoz", "Nguyễn", "Trần",
        "Lê", "Phạm", "Washington", "Jefferson", "O'Brien", "McAllister", "Kowalczyk",
        "Øvergård", "Schröder", "Li", "Wu", "Ng", "Yamamoto", "Al-Rashid", "St. Clair",
        "Van der Berg", "Begay", "Yazzie", "Kahananui", "Peña-Ortiz", "Domínguez de la Fuente"]
CITIES = ["San Antonio", "El Paso", "Albuquerque", "Fayetteville", "Norfolk", "San Diego",
          "Killeen", "Jacksonville", "Tacoma", "Colorado Springs", "Honolulu", "San Juan",
          "Bayamón", "Hagåtña", "Española", "Cañon City", "Coeur d'Alene", "Ponce", "Anchorage",
          "Tucson", "Chicago", "New York", "Los Angeles", "Phoenix"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Calle Sol", "Avenida de la Paz", "Elm St",
           "Veterans Blvd", "Pine Rd", "Cedar Ln", "MLK Jr Blvd", "Calle Cristo", "Ocean Dr",
           "Ridge Rd", "Camino Real", "Broadway"]
FOREIGN = [("DEU", "Bayern", "80331", "München"), ("PHL", "Metro Manila", "1000", "Manila"),
           ("KOR", "Gyeonggi-do", "17754", "Pyeongtaek"), ("JPN", "Okinawa", "904-0000", "Okinawa"),
           ("GBR", "England", "SW1A 1AA", "London"), ("ITA", "Veneto", "36100", "Vicenza"),
           ("ESP", "Andalucía", "11520", "Rota"), ("GUM", "", "96910", "Hagåtña")]
CAN_CITIES = [("ON", "Toronto", "M5V 2T6"), ("QC", "Montréal", "H2X 1Y4"),
              ("BC", "Vancouver", "V6B 1A1"), ("NS", "Halifax", "B3H 1T7")]
MEX_CITIES = [("jalisco", "Guadalajara", "44100"), ("nuevo-leon", "Monterrey", "64000"),
              ("baja-california-norte", "Tijuana", "22000"), ("yucatan", "Mérida", "97000"),
              ("quintana-roo", "Cancún", "77500")]
FACILITIES = ["688", "405HK", "523A4", "671", "757", "501", "528A7", "612A4", "459", "672"]
INSURERS = ["Blue Cross Blue Shield", "Aetna", "UnitedHealthcare", "Kaiser Permanente",
            "Cigna", "Humana", "TRICARE Select", "Seguros Médicos del Caribe", "Anthem",
            "Highmark"]
DOMAINS = ["example.com", "example.org", "mail.example.net", "va.example.gov", "correo.example.mx"]
OTHER_TOXINS = ["Depleted uranium", "Burn pits near Balad", "JP8 fuel", "PFAS foam",
                "Contaminated soil, water. Unknown dates!", "Agent Blue?"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return self.r.choice(seq)

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def date(self, y0, y1):
        y = self.r.randint(y0, y1)
        m = self.r.randint(1, 12)
        days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31,
                30, 31, 31, 30, 31, 30, 31][m - 1]
        return "%04d-%02d-%02d" % (y, m, self.r.randint(1, days))

    def partial_date(self, y0, y1):
        d = self.date(y0, y1)
        y, m, dd = d.split("-")
        k = self.r.random()
        if k < 0.5:
            return d
        if k < 0.75:
            return "%s-%s-XX" % (y, m)
        if k < 0.95:
            return "%s-XX-XX" % y
        return "XXXX-XX-XX"

    def money(self, hi):
        v = self.r.random() * hi
        k = self.r.random()
        if k < 0.3:
            return int(v)          # whole dollars, as a JSON integer
        if k < 0.9:
            return round(v, 2)     # dollars and cents
        return round(v, 1)

    def name(self, female=None, last=None):
        female = self.chance(0.5) if female is None else female
        n = {"first": self.pick(FIRST_F if female else FIRST_M),
             "last": last or self.pick(LAST)}
        if self.chance(0.45):
            n["middle"] = self.pick(MIDDLE)
        if not female and self.chance(0.12):
            n["suffix"] = self.pick(SUFFIXES)
        return n

    def address(self, kind=None):
        kind = kind or self.r.choices(["USA", "USA-nostate", "CAN", "MEX", "other"],
                                      [70, 4, 9, 9, 8])[0]
        a = {"street": "%d %s" % (self.r.randint(1, 29999), self.pick(STREETS))}
        if self.chance(0.25):
            a["street2"] = self.pick(["Apt %d" % self.r.randint(1, 999), "Unit %s" % self.pick("ABCD"),
                                      "Suite %d" % self.r.randint(100, 900), "PO Box %d" % self.r.randint(1, 9999)])
        if self.chance(0.05):
            a["street3"] = self.pick(["Building 7", "c/o Ana Núñez", "Fort Liberty"])
        if kind.startswith("USA"):
            a["country"] = "USA"
            a["city"] = self.pick(CITIES)
            if kind == "USA":
                a["state"] = self.pick(USA_STATES)
            a["postalCode"] = self.digits(5) if self.chance(0.8) else self.digits(5) + "-" + self.digits(4)
        elif kind == "CAN":
            st, city, pc = self.pick(CAN_CITIES)
            a.update(country="CAN", state=st, city=city, postalCode=pc)
        elif kind == "MEX":
            st, city, pc = self.pick(MEX_CITIES)
            a.update(country="MEX", state=st, city=city, postalCode=pc)
        else:
            c, prov, pc, city = self.pick(FOREIGN)
            a.update(country=c, city=city, postalCode=pc)
            if prov:
                a["provinceCode"] = prov
        if self.chance(0.04):
            del a["postalCode"]
        return a

    def phone(self):
        return self.pick(["210", "915", "505", "910", "757", "619", "787", "671", "808"]) + self.digits(7)

    def email(self, name):
        local = unicodedata.normalize("NFKD", name["first"] + "." + name["last"])
        local = "".join(c for c in local if c.isascii() and (c.isalnum() or c in ".-_")).lower()
        local = local.replace("..", ".").strip(".") or "vet"
        if self.chance(0.2):
            local += "+va"
        if self.chance(0.3):
            local += str(self.r.randint(1, 99))
        return local + "@" + self.pick(DOMAINS)

    def dependent(self, last, vet_birth_year):
        rel = self.r.choices(RELATIONS, [25, 25, 8, 8, 5, 5, 1, 3])[0]
        female = rel in ("Daughter", "Stepdaughter", "Mother")
        young = rel in ("Daughter", "Son", "Stepson", "Stepdaughter", "Other")
        d = {}
        if self.chance(0.97):
            d["fullName"] = self.name(female, last if self.chance(0.8) else None)
        d["dependentRelation"] = rel
        if self.chance(0.9):
            d["socialSecurityNumber"] = self.digits(9)
        birth = self.date(max(vet_birth_year + 18, 1990), 2025) if young else self.date(1925, 1960)
        d["dateOfBirth"] = birth
        if self.chance(0.8):
            d["becameDependent"] = birth if self.chance(0.7) else self.date(int(birth[:4]), 2025)
        for f, p in (("disabledBefore18", 0.8), ("attendedSchoolLastYear", 0.6),
                     ("cohabitedLastYear", 0.85), ("receivedSupportLastYear", 0.5)):
            if self.chance(p):
                d[f] = self.chance(0.5 if f != "cohabitedLastYear" else 0.8)
        for f, p, hi in (("grossIncome", 0.4, 40000), ("netIncome", 0.2, 10000),
                         ("otherIncome", 0.3, 5000), ("dependentEducationExpenses", 0.3, 15000)):
            if self.chance(p):
                d[f] = self.money(hi)
        return d

    def provider(self, holder):
        p = {}
        if self.chance(0.95):
            p["insuranceName"] = self.pick(INSURERS)
        if self.chance(0.85):
            p["insurancePolicyHolderName"] = holder
        k = self.r.random()
        if k < 0.5:
            p["insurancePolicyNumber"] = self.pick(["", "W", "XJ", "H"]) + self.digits(self.r.randint(6, 12))
            p["insuranceGroupCode"] = self.digits(self.r.randint(4, 8))
        elif k < 0.8:
            p["insurancePolicyNumber"] = self.pick(["", "W", "XJ"]) + self.digits(self.r.randint(6, 12))
        else:
            p["insuranceGroupCode"] = self.pick(["GRP-", "G", ""]) + self.digits(self.r.randint(4, 8))
        return p

    def minimal(self):
        """Only what the VA's schema requires."""
        return {
            "privacyAgreementAccepted": True,
            "veteranFullName": self.name(),
            "veteranSocialSecurityNumber": self.digits(9),
            "veteranDateOfBirth": self.date(1930, 2005),
            "gender": self.pick(["F", "M"]),
            "isSpanishHispanicLatino": self.chance(0.2),
            "veteranAddress": self.address(),
            "isMedicaidEligible": self.chance(0.15),
            "vaMedicalFacility": self.pick(FACILITIES),
        }

    def full(self, richness):
        """A valid submission; richness (0..1) is how many optional answers it has."""
        s = self.minimal()
        opt = lambda p=1.0: self.chance(richness * p)
        female = s["gender"] == "F"
        s["veteranFullName"] = self.name(female)
        vet = s["veteranFullName"]
        birth_year = int(s["veteranDateOfBirth"][:4])
        if opt():
            s["mothersMaidenName"] = self.pick(LAST)
        if opt(0.8):
            s["cityOfBirth"] = self.pick(CITIES)[:20]
        if opt(0.8):
            s["stateOfBirth"] = self.pick(BIRTH_STATES)
        if opt():
            s["maritalStatus"] = self.r.choices(MARITAL, [50, 15, 8, 7, 20])[0]
        if opt(0.9):
            s["vaCompensationType"] = self.pick(COMPENSATION)
        if opt(0.7):
            s["vaPensionType"] = self.pick(["Yes", "No"])
        if opt():
            s["wantsInitialVaContact"] = self.chance(0.6)
        for f in RACE:
            if opt(0.9):
                s[f] = self.chance(0.25)
        if opt(0.3):
            s["hasDemographicNoAnswer"] = self.chance(0.2)
        if opt(0.3):
            s["veteranHomeAddress"] = self.address()
        if opt(0.8):
            s["email"] = self.email(vet)
        if opt(0.6):
            s["homePhone"] = self.phone()
        if opt(0.8):
            s["mobilePhone"] = self.phone()
        if opt():
            s["discloseFinancialInformation"] = self.chance(0.6)
        married = s.get("maritalStatus") in ("Married", "Separated")
        if married:
            s["spouseFullName"] = self.name(not female, vet["last"] if self.chance(0.6) else None)
            if self.chance(0.9):
                s["spouseSocialSecurityNumber"] = self.digits(9)
            if self.chance(0.9):
                s["spouseDateOfBirth"] = self.date(1930, 2005)
            if self.chance(0.9):
                s["dateOfMarriage"] = self.date(max(birth_year + 18, 1950), 2025)
            same = self.chance(0.7)
            s["sameAddress"] = same
            if not same and self.chance(0.8):
                s["spouseAddress"] = self.address()
            if self.chance(0.8):
                s["cohabitedLastYear"] = same or self.chance(0.3)
            if not s.get("cohabitedLastYear", True) and self.chance(0.8):
                s["provideSupportLastYear"] = self.chance(0.6)
            if self.chance(0.5):
                s["spousePhone"] = self.phone()
        if opt(0.7):
            n = self.r.choices([0, 1, 2, 3, 4, 5], [30, 25, 22, 12, 7, 4])[0]
            if n or self.chance(0.3):
                s["dependents"] = [self.dependent(vet["last"], birth_year) for _ in range(n)]
        if s.get("discloseFinancialInformation"):
            for f in INCOMES + DEDUCTIBLES:
                if self.chance(0.7):
                    s[f] = self.money(120000 if f == "veteranGrossIncome" else 20000)
            if married:
                for f in SPOUSE_INCOMES:
                    if self.chance(0.6):
                        s[f] = self.money(90000 if f == "spouseGrossIncome" else 15000)
        if opt():
            covered = self.chance(0.5)
            s["isCoveredByHealthInsurance"] = covered
            if covered:
                holder = vet["first"] + " " + vet["last"]
                s["providers"] = [self.provider(holder) for _ in range(self.r.choices([1, 2, 3], [75, 20, 5])[0])]
        if opt(0.8):
            enrolled = birth_year < 1960 and self.chance(0.8)
            s["isEnrolledMedicarePartA"] = enrolled
            if enrolled:
                s["medicarePartAEffectiveDate"] = self.date(birth_year + 65, 2025)
                if self.chance(0.7):
                    s["medicareClaimNumber"] = self.digits(1) + self.pick("ACDEFGHJKMNPQRTUVWXY") + \
                        self.digits(1) + self.pick("ACDEFGHJK") + self.digits(1) + self.pick("ACDE") + self.digits(4)
        if opt(0.9):
            s["lastServiceBranch"] = self.r.choices(BRANCHES, [18, 30, 5, 12, 2, 15, 1, 2, 1, 1, 1, 1, 1, 10])[0]
        entry_year = min(birth_year + self.r.randint(17, 30), 2024)
        if opt(0.9):
            s["lastEntryDate"] = self.date(entry_year, entry_year)
        if opt(0.9):
            s["lastDischargeDate"] = self.date(min(entry_year + 1, 2025), min(entry_year + 25, 2025))
        if opt(0.9):
            s["dischargeType"] = self.r.choices(DISCHARGES, [80, 10, 4, 2, 2, 2])[0]
        for f in SERVICE_FLAGS:
            if opt(0.6):
                s[f] = self.chance(0.15)
        if opt(0.7):
            tera = self.chance(0.6)
            s["hasTeraResponse"] = tera
            if tera:
                s["radiationCleanupEfforts"] = self.chance(0.05)
                gw = self.chance(0.35)
                s["gulfWarService"] = gw
                if gw:
                    s["gulfWarStartDate"] = self.partial_date(1990, 2010)
                    if self.chance(0.8):
                        s["gulfWarEndDate"] = self.partial_date(2011, 2024)
                s["combatOperationService"] = self.chance(0.3)
                ao = birth_year < 1955 and self.chance(0.5)
                s["exposedToAgentOrange"] = ao
                if ao:
                    s["agentOrangeStartDate"] = self.partial_date(1962, 1968)
                    s["agentOrangeEndDate"] = self.partial_date(1969, 1975)
                for f in EXPOSURES:
                    if self.chance(0.8):
                        s[f] = self.chance(0.2)
                if s.get("exposureToOther"):
                    s["otherToxicExposure"] = self.pick(OTHER_TOXINS)
                    s["toxicExposureStartDate"] = self.partial_date(1980, 2005)
                    if self.chance(0.7):
                        s["toxicExposureEndDate"] = self.partial_date(2006, 2024)
        if opt(0.3):
            s["attachments"] = [
                {"name": self.pick(["DD214.pdf", "dd-214 scan.jpg", "discharge_papers.pdf",
                                    "tarjeta-médica.png", "insurance card.pdf"]),
                 "size": self.r.randint(2000, 9000000),
                 "confirmationCode": "%08x-%04x-4%03x-a%03x-%012x" % (
                     self.r.getrandbits(32), self.r.getrandbits(16), self.r.getrandbits(12),
                     self.r.getrandbits(12), self.r.getrandbits(48)),
                 "dd214": self.chance(0.5)}
                for _ in range(self.r.randint(1, 2))]
        return s


# ---- Breaking exactly one rule --------------------------------------------------------------
# Each mutation: (rule, path, what, needs, apply). `path` is where the rule is broken
# (a JSON-pointer-like dotted path); `needs(s)` says whether the base submission can take it;
# `apply(s, g)` changes the submission in place.

def has(*keys):
    def ok(s):
        cur = s
        for k in keys:
            if isinstance(cur, list):
                if not isinstance(k, int) or k >= len(cur):
                    return False
            elif not isinstance(cur, dict) or k not in cur:
                return False
            cur = cur[k]
        return True
    return ok


ALWAYS = lambda s: True


def setp(*path_and_value):
    *path, value = path_and_value

    def apply(s, g):
        cur = s
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = value(g) if callable(value) else value
    return apply


def delp(*path):
    def apply(s, g):
        cur = s
        for k in path[:-1]:
            cur = cur[k]
        del cur[path[-1]]
    return apply


def ensure(key, make):
    """Make the base carry `key` (validly) before breaking it."""
    def wrap(apply):
        def inner(s, g):
            if key not in s:
                s[key] = make(g)
            apply(s, g)
        return inner
    return wrap


def with_dependent(apply):
    def inner(s, g):
        if not s.get("dependents"):
            s["dependents"] = [g.dependent(s["veteranFullName"]["last"], 1970)]
        s["dependents"][0].setdefault("fullName", g.name())
        apply(s, g)
    return inner


def with_provider(apply):
    def inner(s, g):
        if not s.get("providers"):
            s["providers"] = [g.provider("Pat Doe")]
        apply(s, g)
    return inner


def with_spouse(apply):
    def inner(s, g):
        s.setdefault("spouseFullName", g.name())
        apply(s, g)
    return inner


def with_address(key, kind):
    def wrap(apply):
        def inner(s, g):
            s[key] = g.address(kind)
            apply(s, g)
        return inner
    return wrap


def dep(f):
    return lambda s, g: with_dependent(lambda s2, g2: f(s2["dependents"][0], g2))(s, g)


def prov(f):
    return lambda s, g: with_provider(lambda s2, g2: f(s2["providers"][0], g2))(s, g)


def set_in(key, value):
    return lambda obj, g: obj.__setitem__(key, value(g) if callable(value) else value)


def del_in(key):
    return lambda obj, g: obj.pop(key, None)


def clear_policy(obj, g):
    obj.pop("insurancePolicyNumber", None)
    obj.pop("insuranceGroupCode", None)


MUTATIONS = [
    # missing required, top level: every one of the schema's nine
    ("required", "privacyAgreementAccepted", "no privacy agreement", ALWAYS, delp("privacyAgreementAccepted")),
    ("required", "veteranFullName", "no veteran's name", ALWAYS, delp("veteranFullName")),
    ("required", "veteranSocialSecurityNumber", "no SSN", ALWAYS, delp("veteranSocialSecurityNumber")),
    ("required", "veteranDateOfBirth", "no date of birth", ALWAYS, delp("veteranDateOfBirth")),
    ("required", "gender", "no sex", ALWAYS, delp("gender")),
    ("required", "isSpanishHispanicLatino", "no ethnicity answer", ALWAYS, delp("isSpanishHispanicLatino")),
    ("required", "veteranAddress", "no mailing address", ALWAYS, delp("veteranAddress")),
    ("required", "isMedicaidEligible", "no Medicaid answer", ALWAYS, delp("isMedicaidEligible")),
    ("required", "vaMedicalFacility", "no facility", ALWAYS, delp("vaMedicalFacility")),
    # missing required, nested
    ("required", "veteranFullName.first", "no first name", ALWAYS, delp("veteranFullName", "first")),
    ("required", "veteranFullName.last", "no last name", ALWAYS, delp("veteranFullName", "last")),
    ("required", "veteranAddress.street", "no street", ALWAYS, delp("veteranAddress", "street")),
    ("required", "veteranAddress.city", "no city", ALWAYS, delp("veteranAddress", "city")),
    ("required", "veteranAddress.country", "no country", ALWAYS, delp("veteranAddress", "country")),
    ("required", "spouseFullName.last", "spouse's name without a last name", ALWAYS,
     with_spouse(delp("spouseFullName", "last"))),
    ("required", "spouseFullName.first", "spouse's name without a first name", ALWAYS,
     with_spouse(delp("spouseFullName", "first"))),
    ("required", "veteranHomeAddress.street", "home address without a street", ALWAYS,
     with_address("veteranHomeAddress", "USA")(delp("veteranHomeAddress", "street"))),
    ("required", "spouseAddress.country", "spouse's address without a country", ALWAYS,
     with_address("spouseAddress", "CAN")(delp("spouseAddress", "country"))),
    ("required", "dependents.0.fullName.first", "dependent's name without a first name", ALWAYS,
     dep(lambda d, g: d["fullName"].pop("first"))),
    ("anyOf", "providers.0", "policy with neither number nor group code", ALWAYS, prov(clear_policy)),
    # patterns
    ("pattern", "veteranSocialSecurityNumber", "SSN with dashes", ALWAYS,
     setp("veteranSocialSecurityNumber", lambda g: g.digits(3) + "-" + g.digits(2) + "-" + g.digits(4))),
    ("pattern", "veteranSocialSecurityNumber", "SSN of 8 digits", ALWAYS,
     setp("veteranSocialSecurityNumber", lambda g: g.digits(8))),
    ("pattern", "veteranSocialSecurityNumber", "SSN of 10 digits", ALWAYS,
     setp("veteranSocialSecurityNumber", lambda g: g.digits(10))),
    ("pattern", "veteranSocialSecurityNumber", "SSN with a letter", ALWAYS,
     setp("veteranSocialSecurityNumber", lambda g: g.digits(4) + "O" + g.digits(4))),
    ("pattern", "spouseSocialSecurityNumber", "spouse's SSN with spaces", ALWAYS,
     with_spouse(setp("spouseSocialSecurityNumber", lambda g: g.digits(3) + " " + g.digits(2) + " " + g.digits(4)))),
    ("pattern", "dependents.0.socialSecurityNumber", "dependent's SSN of 7 digits", ALWAYS,
     dep(set_in("socialSecurityNumber", lambda g: g.digits(7)))),
    ("pattern", "homePhone", "phone with dashes", ALWAYS,
     setp("homePhone", lambda g: g.digits(3) + "-" + g.digits(3) + "-" + g.digits(4))),
    ("pattern", "mobilePhone", "phone in E.164", ALWAYS, setp("mobilePhone", lambda g: "+1" + g.digits(10))),
    ("pattern", "mobilePhone", "phone of 7 digits", ALWAYS, setp("mobilePhone", lambda g: g.digits(7))),
    ("pattern", "spousePhone", "phone in parentheses", ALWAYS,
     setp("spousePhone", lambda g: "(" + g.digits(3) + ") " + g.digits(3) + "-" + g.digits(4))),
    ("pattern", "email", "email without @", ALWAYS, setp("email", "jose.nunez.example.com")),
    ("pattern", "email", "email without a top-level domain", ALWAYS, setp("email", "jose@localhost")),
    ("pattern", "email", "email with a one-letter top-level domain", ALWAYS, setp("email", "ana@example.c")),
    ("pattern", "email", "email with two @", ALWAYS, setp("email", "ana@maria@example.com")),
    ("pattern", "email", "email with a space", ALWAYS, setp("email", "ana maria@example.com")),
    ("pattern", "gulfWarStartDate", "partial date with month 13", ALWAYS, setp("gulfWarStartDate", "1991-13-XX")),
    ("pattern", "gulfWarEndDate", "partial date with a two-digit year", ALWAYS, setp("gulfWarEndDate", "91-03-XX")),
    ("pattern", "agentOrangeStartDate", "partial date with one-digit month", ALWAYS, setp("agentOrangeStartDate", "1968-1-15")),
    ("pattern", "agentOrangeEndDate", "partial date with day 32", ALWAYS, setp("agentOrangeEndDate", "1970-05-32")),
    ("pattern", "toxicExposureStartDate", "partial date with lower-case xx", ALWAYS, setp("toxicExposureStartDate", "2003-xx-xx")),
    ("pattern", "toxicExposureEndDate", "partial date in US order", ALWAYS, setp("toxicExposureEndDate", "05/12/2004")),
    ("pattern", "otherToxicExposure", "an accented letter", ALWAYS, setp("otherToxicExposure", "Exposición a químicos")),
    ("pattern", "otherToxicExposure", "a semicolon and parentheses", ALWAYS, setp("otherToxicExposure", "Lead (paint); solvents")),
    ("pattern", "veteranFullName.first", "first name of spaces only", ALWAYS, setp("veteranFullName", "first", "   ")),
    ("pattern", "veteranAddress.city", "city of spaces only", ALWAYS, setp("veteranAddress", "city", "  ")),
    # date format
    ("format", "veteranDateOfBirth", "February 30", ALWAYS, setp("veteranDateOfBirth", "1961-02-30")),
    ("format", "veteranDateOfBirth", "US date order", ALWAYS, setp("veteranDateOfBirth", "07/04/1970")),
    ("format", "veteranDateOfBirth", "one-digit month and day", ALWAYS, setp("veteranDateOfBirth", "1970-7-4")),
    ("format", "veteranDateOfBirth", "February 29 of a common year", ALWAYS, setp("veteranDateOfBirth", "1967-02-29")),
    ("format", "veteranDateOfBirth", "February 29 of 1900", ALWAYS, setp("veteranDateOfBirth", "1900-02-29")),
    ("format", "veteranDateOfBirth", "a date and time", ALWAYS, setp("veteranDateOfBirth", "1970-07-04T00:00:00Z")),
    ("format", "veteranDateOfBirth", "digits only", ALWAYS, setp("veteranDateOfBirth", "19700704")),
    ("format", "spouseDateOfBirth", "month 13", ALWAYS, setp("spouseDateOfBirth", "1972-13-01")),
    ("format", "dateOfMarriage", "day 00", ALWAYS, setp("dateOfMarriage", "1995-06-00")),
    ("format", "lastEntryDate", "a year only", ALWAYS, setp("lastEntryDate", "1988")),
    ("format", "lastDischargeDate", "April 31", ALWAYS, setp("lastDischargeDate", "1992-04-31")),
    ("format", "medicarePartAEffectiveDate", "a month name", ALWAYS, setp("medicarePartAEffectiveDate", "2019-Jan-01")),
    ("format", "dependents.0.dateOfBirth", "dependent born on November 31", ALWAYS,
     dep(set_in("dateOfBirth", "2010-11-31"))),
    ("format", "dependents.0.becameDependent", "partial date in a full-date field", ALWAYS,
     dep(set_in("becameDependent", "2012-XX-XX"))),
    # lengths (code points)
    ("maxLength", "veteranFullName.first", "first name of 26 letters", ALWAYS, setp("veteranFullName", "first", "Maximiliano" + "a" * 15)),
    ("maxLength", "veteranFullName.first", "first name of 26 accented letters", ALWAYS, setp("veteranFullName", "first", "é" * 26)),
    ("maxLength", "veteranFullName.middle", "middle name of 31", ALWAYS, setp("veteranFullName", "middle", ("María de los Ángeles Guadalupe" + " " * 31)[:30] + "X")),
    ("maxLength", "veteranFullName.last", "last name of 36", ALWAYS, setp("veteranFullName", "last", "Domínguez de la Fuente y Santisteban")),
    ("minLength", "veteranFullName.last", "last name of one letter", ALWAYS, setp("veteranFullName", "last", "O")),
    ("maxLength", "spouseFullName.first", "spouse's first name of 26", ALWAYS, with_spouse(setp("spouseFullName", "first", "Ñ" * 26))),
    ("maxLength", "cityOfBirth", "city of birth of 21", ALWAYS, setp("cityOfBirth", "Truth or Consequences")),
    ("minLength", "cityOfBirth", "city of birth of 1", ALWAYS, setp("cityOfBirth", "X")),
    ("maxLength", "veteranAddress.street", "street of 31", ALWAYS, setp("veteranAddress", "street", "12345 North Veterans Memorial P")),
    ("maxLength", "veteranAddress.street2", "street2 of 31", ALWAYS, setp("veteranAddress", "street2", "Apartment 1234, Building 56, Fl")),
    ("maxLength", "veteranAddress.city", "city of 31", ALWAYS, setp("veteranAddress", "city", "Llanfairpwllgwyngyllgogerychwyr")),
    ("maxLength", "veteranAddress.postalCode", "postal code of 52", ALWAYS, setp("veteranAddress", "postalCode", "9" * 52)),
    ("maxLength", "spouseAddress.street3", "street3 of 31", ALWAYS,
     with_address("spouseAddress", "USA")(setp("spouseAddress", "street3", "c/o " + "x" * 27))),
    ("maxLength", "providers.0.insuranceName", "insurer's name of 101", ALWAYS, prov(set_in("insuranceName", "Seguro " * 14 + "abc"))),
    ("maxLength", "providers.0.insurancePolicyHolderName", "policyholder of 51", ALWAYS, prov(set_in("insurancePolicyHolderName", "N" * 51))),
    ("maxLength", "providers.0.insurancePolicyNumber", "policy number of 31", ALWAYS, prov(set_in("insurancePolicyNumber", "9" * 31))),
    ("maxLength", "providers.0.insuranceGroupCode", "group code of 31", ALWAYS, prov(set_in("insuranceGroupCode", "G" * 31))),
    ("maxLength", "medicareClaimNumber", "Medicare number of 31", ALWAYS, setp("medicareClaimNumber", "1EG4TE5MK73" * 2 + "123456789")),
    ("maxLength", "otherToxicExposure", "other exposure of 101", ALWAYS, setp("otherToxicExposure", "Burn pits " * 10 + "!")),
    ("maxLength", "dependents.0.fullName.last", "dependent's last name of 36", ALWAYS,
     dep(lambda d, g: d["fullName"].__setitem__("last", "Nguyễn" * 6))),
    # enums
    ("enum", "gender", "gender X", ALWAYS, setp("gender", "X")),
    ("enum", "gender", "gender in lower case", ALWAYS, setp("gender", "f")),
    ("enum", "veteranFullName.suffix", "suffix without its period", ALWAYS, setp("veteranFullName", "suffix", "Jr")),
    ("enum", "veteranFullName.suffix", "suffix V", ALWAYS, setp("veteranFullName", "suffix", "V")),
    ("enum", "maritalStatus", "marital status in lower case", ALWAYS, setp("maritalStatus", "married")),
    ("enum", "maritalStatus", "marital status not in the list", ALWAYS, setp("maritalStatus", "Domestic Partnership")),
    ("enum", "stateOfBirth", "Puerto Rico as state of birth (not in that list)", ALWAYS, setp("stateOfBirth", "PR")),
    ("enum", "stateOfBirth", "a state's name", ALWAYS, setp("stateOfBirth", "Texas")),
    ("enum", "vaCompensationType", "compensation not in the list", ALWAYS, setp("vaCompensationType", "low")),
    ("enum", "vaPensionType", "pension in lower case", ALWAYS, setp("vaPensionType", "yes")),
    ("enum", "lastServiceBranch", "branch in title case", ALWAYS, setp("lastServiceBranch", "Air Force")),
    ("enum", "lastServiceBranch", "branch not in the list", ALWAYS, setp("lastServiceBranch", "national guard")),
    ("enum", "dischargeType", "discharge in title case", ALWAYS, setp("dischargeType", "Honorable")),
    ("enum", "dischargeType", "discharge with a space", ALWAYS, setp("dischargeType", "bad conduct")),
    ("enum", "dependents.0.dependentRelation", "relation not in the list", ALWAYS, dep(set_in("dependentRelation", "Niece"))),
    ("enum", "privacyAgreementAccepted", "privacy agreement false", ALWAYS, setp("privacyAgreementAccepted", False)),
    # the addresses' oneOf
    ("oneOf", "veteranAddress.state", "a Canadian province in the USA", ALWAYS,
     with_address("veteranAddress", "USA")(setp("veteranAddress", "state", "ON"))),
    ("oneOf", "veteranAddress.state", "a US state in Canada", ALWAYS,
     with_address("veteranAddress", "CAN")(setp("veteranAddress", "state", "CA"))),
    ("oneOf", "veteranAddress.state", "a Mexican state capitalized", ALWAYS,
     with_address("veteranAddress", "MEX")(setp("veteranAddress", "state", "Jalisco"))),
    ("oneOf", "veteranAddress.state", "a US state in lower case", ALWAYS,
     with_address("veteranAddress", "USA")(setp("veteranAddress", "state", "tx"))),
    ("oneOf", "veteranAddress.provinceCode", "a foreign province of 52", ALWAYS,
     with_address("veteranAddress", "other")(setp("veteranAddress", "provinceCode", "Región Autónoma del Atlántico Norte y Sur, Nicaragua!"[:52].ljust(52, "!")))),
    ("oneOf", "veteranHomeAddress.state", "home address in Mexico with a US state", ALWAYS,
     with_address("veteranHomeAddress", "MEX")(setp("veteranHomeAddress", "state", "TX"))),
    ("oneOf", "spouseAddress.state", "spouse in the USA with a Mexican state", ALWAYS,
     with_address("spouseAddress", "USA")(setp("spouseAddress", "state", "sonora"))),
    # types
    ("type", "veteranGrossIncome", "income as a string", ALWAYS, setp("veteranGrossIncome", "52000")),
    ("type", "isSpanishHispanicLatino", "boolean as a string", ALWAYS, setp("isSpanishHispanicLatino", "true")),
    ("type", "isMedicaidEligible", "boolean as a number", ALWAYS, setp("isMedicaidEligible", 0)),
    ("type", "privacyAgreementAccepted", "agreement as a string", ALWAYS, setp("privacyAgreementAccepted", "yes")),
    ("type", "gender", "gender as a number", ALWAYS, setp("gender", 1)),
    ("type", "veteranSocialSecurityNumber", "SSN as a number", ALWAYS, setp("veteranSocialSecurityNumber", 123456789)),
    ("type", "homePhone", "phone as a number", ALWAYS, setp("homePhone", 2105550123)),
    ("type", "veteranFullName", "name as a string", ALWAYS, setp("veteranFullName", "José Núñez")),
    ("type", "veteranAddress", "address as an array", ALWAYS, setp("veteranAddress", ["1 Main St", "Austin", "TX"])),
    ("type", "dependents", "dependents as an object", ALWAYS, setp("dependents", {"fullName": {"first": "Ana", "last": "Núñez"}})),
    ("type", "providers", "providers as a string", ALWAYS, setp("providers", "Aetna")),
    ("type", "attachments.0.size", "attachment size with a fraction", ALWAYS,
     setp("attachments", [{"name": "DD214.pdf", "size": 1024.5, "confirmationCode": "abc", "dd214": True}])),
    ("type", "attachments.0.dd214", "dd214 as a string", ALWAYS,
     setp("attachments", [{"name": "DD214.pdf", "size": 1024, "confirmationCode": "abc", "dd214": "yes"}])),
    ("type", "vaMedicalFacility", "facility as a number", ALWAYS, setp("vaMedicalFacility", 688)),
    ("type", "mothersMaidenName", "maiden name as null", ALWAYS, setp("mothersMaidenName", None)),
    ("type", "email", "email as null", ALWAYS, setp("email", None)),
    ("type", "wantsInitialVaContact", "boolean as null", ALWAYS, setp("wantsInitialVaContact", None)),
    ("type", "gender", "required gender as null", ALWAYS, setp("gender", None)),
    ("type", "dependents.0.grossIncome", "dependent's income as a string", ALWAYS, dep(set_in("grossIncome", "1200.00"))),
    ("type", "veteranDateOfBirth", "date as a number", ALWAYS, setp("veteranDateOfBirth", 19700704)),
    # ranges
    ("minimum", "veteranGrossIncome", "negative income", ALWAYS, setp("veteranGrossIncome", -1)),
    ("minimum", "spouseNetIncome", "negative net income (a loss)", ALWAYS, setp("spouseNetIncome", -2500.5)),
    ("minimum", "dependents.0.otherIncome", "dependent's income of -0.01", ALWAYS, dep(set_in("otherIncome", -0.01))),
    ("maximum", "veteranOtherIncome", "income of 10 million", ALWAYS, setp("veteranOtherIncome", 10000000)),
    ("maximum", "deductibleMedicalExpenses", "a tenth of a cent over the maximum", ALWAYS, setp("deductibleMedicalExpenses", 9999999.991)),
    ("maximum", "deductibleEducationExpenses", "one cent over the maximum", ALWAYS, setp("deductibleEducationExpenses", 10000000)),
    ("maximum", "deductibleFuneralExpenses", "expenses of 1e9", ALWAYS, setp("deductibleFuneralExpenses", 1e9)),
    ("maximum", "dependents.0.dependentEducationExpenses", "dependent's expenses of 12345678", ALWAYS,
     dep(set_in("dependentEducationExpenses", 12345678))),
]

# Submissions that probe the gaps of forms/README.md ("VA 10-10EZ: gaps"). ajv decides them.
EDGES = [
    ("gap3-empty-object", "spouseFullName", "an empty spouse's name object", ALWAYS, setp("spouseFullName", {})),
    ("gap3-empty-object", "veteranHomeAddress", "an empty home address object", ALWAYS, setp("veteranHomeAddress", {})),
    ("gap3-empty-object", "dependents.0.fullName", "a dependent with an empty name object", ALWAYS,
     dep(set_in("fullName", {}))),
    ("gap3-empty-object", "providers.0", "an empty insurance policy object", ALWAYS, setp("providers", [{}])),
    ("gap4-empty-string", "vaMedicalFacility", "required facility given as \"\"", ALWAYS, setp("vaMedicalFacility", "")),
    ("gap4-empty-string", "mothersMaidenName", "optional text given as \"\"", ALWAYS, setp("mothersMaidenName", "")),
    ("gap4-empty-string", "veteranFullName.middle", "optional middle name \"\"", ALWAYS, setp("veteranFullName", "middle", "")),
    ("gap4-empty-string", "veteranSocialSecurityNumber", "required SSN given as \"\"", ALWAYS, setp("veteranSocialSecurityNumber", "")),
    ("gap5-blank", "veteranAddress.postalCode", "optional postal code of spaces only", ALWAYS, setp("veteranAddress", "postalCode", "   ")),
    ("gap5-blank", "providers.0.insuranceGroupCode", "optional group code of spaces only", ALWAYS,
     prov(lambda p, g: (p.__setitem__("insurancePolicyNumber", "XJ" + g.digits(8)), p.__setitem__("insuranceGroupCode", " ")))),
    ("gap5-trim", "veteranFullName.first", "first name of 25 letters with spaces around", ALWAYS,
     setp("veteranFullName", "first", "  " + "Maximiliano" + "a" * 14 + " ")),
    ("gap5-nfc", "veteranFullName.first", "first name of 26 code points, 13 letters + combining accents (13 after NFC)", ALWAYS,
     setp("veteranFullName", "first", unicodedata.normalize("NFD", "é" * 13))),
    ("gap5-nfc", "veteranFullName.last", "last name over 35 code points in NFD, 30 in NFC", ALWAYS,
     setp("veteranFullName", "last", unicodedata.normalize("NFD", "Núñez Ibáñez Muñoz Peña Gómez Ñ"[:30]))),
    ("gap5-nfc", "veteranFullName.first", "first name NFD within the limit", ALWAYS,
     setp("veteranFullName", "first", unicodedata.normalize("NFD", "José Ramón"))),
    ("gap7-ssn", "veteranSocialSecurityNumber", "SSN with area 000", ALWAYS, setp("veteranSocialSecurityNumber", "000123456")),
    ("gap7-ssn", "veteranSocialSecurityNumber", "SSN with area 9xx (an ITIN)", ALWAYS, setp("veteranSocialSecurityNumber", "912701234")),
    ("gap7-ssn", "spouseSocialSecurityNumber", "SSN with area 666", ALWAYS, setp("spouseSocialSecurityNumber", "666123456")),
    ("gap7-money", "veteranGrossIncome", "income with 3 decimals", ALWAYS, setp("veteranGrossIncome", 45000.125)),
    ("gap7-email", "email", "email with a quoted local part", ALWAYS, setp("email", "\"Ana Núñez\"@example.com")),
    ("gap7-email", "email", "email with a non-ASCII local part", ALWAYS, setp("email", "josé.núñez@example.com")),
    ("gap7-email", "email", "email at an IP address", ALWAYS, setp("email", "vet@[192.168.10.1]")),
    ("gap7-email", "email", "email with + and a subdomain", ALWAYS, setp("email", "ana.lucia+va@mail.example.org")),
    ("gap9-null", "isWhite", "optional boolean as null", ALWAYS, setp("isWhite", None)),
    ("gap9-number", "veteranGrossIncome", "income in exponent notation", ALWAYS, setp("veteranGrossIncome", "@@RAW:5.2e4@@")),
    ("gap9-number", "attachments.0.size", "integer size written 1024.0", ALWAYS,
     setp("attachments", [{"name": "DD214.pdf", "size": 1024.0, "confirmationCode": "abc", "dd214": True}])),
    ("gap1-country", "veteranAddress.country", "a foreign country given as a number", ALWAYS,
     with_address("veteranAddress", "other")(setp("veteranAddress", "country", 276))),
    ("gap1-country", "veteranAddress.country", "USA in lower case, any state", ALWAYS,
     with_address("veteranAddress", "USA")(lambda s, g: s["veteranAddress"].update(country="usa", state="Texas"))),
    ("gap2-province", "veteranAddress.provinceCode", "a province of spaces only abroad", ALWAYS,
     with_address("veteranAddress", "other")(setp("veteranAddress", "provinceCode", "  "))),
    ("gap2-province", "veteranAddress.provinceCode", "a long province in the USA", ALWAYS,
     with_address("veteranAddress", "USA")(setp("veteranAddress", "provinceCode", "P" * 60))),
    ("gap5-blank", "veteranAddress.postalCode", "postal code of a no-break space", ALWAYS, setp("veteranAddress", "postalCode", "\u00a0")),
    ("gap6-linebreak", "mothersMaidenName", "text with a line break", ALWAYS, setp("mothersMaidenName", "García\nLópez")),
    ("gap6-linebreak", "veteranFullName.first", "first name with a line break after a letter", ALWAYS, setp("veteranFullName", "first", "Ana\nMaría")),
    ("gap11-extra", "formVersion", "a property the schema does not define", ALWAYS, setp("formVersion", "2024-01")),
    ("gap11-extra", "veteranAddress.county", "an address part the schema does not define", ALWAYS, setp("veteranAddress", "county", "Bexar")),
    ("gap14-float", "veteranNetIncome", "9999999.9900000001 (a double rounds it to the maximum)", ALWAYS,
     setp("veteranNetIncome", "@@RAW:9999999.9900000001@@")),
    ("boundary", "veteranGrossIncome", "income at the maximum", ALWAYS, setp("veteranGrossIncome", 9999999.99)),
    ("boundary", "veteranGrossIncome", "income of 0", ALWAYS, setp("veteranGrossIncome", 0)),
    ("boundary", "veteranFullName.first", "first name of 25 letters", ALWAYS, setp("veteranFullName", "first", "Maximiliano" + "a" * 14)),
    ("boundary", "veteranFullName.first", "first name of 25 astral code points (50 UTF-16 units)", ALWAYS,
     setp("veteranFullName", "first", "\U0001D4D0" * 25)),
    ("boundary", "veteranFullName.last", "last name of 2 letters", ALWAYS, setp("veteranFullName", "last", "Ng")),
    ("boundary", "veteranDateOfBirth", "February 29 of 2000", ALWAYS, setp("veteranDateOfBirth", "2000-02-29")),
    ("boundary", "dependents", "an empty dependents list", ALWAYS, setp("dependents", [])),
]


def slug(path):
    return path.replace(".", "-")


def dump(obj):
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # A number that JSON can carry but Python's float cannot write exactly.
    while '"@@RAW:' in text:
        start = text.index('"@@RAW:')
        end = text.index('@@"', start)
        text = text[:start] + text[start + 7:end] + text[end + 3:]
    return text + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "submissions"))
    ap.add_argument("--seed", type=int, default=1010)
    ap.add_argument("--valid", type=int, default=300)
    ap.add_argument("--invalid-rounds", type=int, default=2,
                    help="how many different bases each one-rule break is applied to")
    args = ap.parse_args()

    g = Gen(args.seed)
    cases = []  # (name, category, rule, path, what, submission)

    for i in range(args.valid):
        k = i % 10
        if k == 0:
            s = g.minimal()
            what = "only the required answers"
        else:
            richness = [0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 0.7, 0.5][k - 1]
            s = g.full(richness)
            what = "richness %.1f" % richness
        parts = []
        if "spouseFullName" in s:
            parts.append("spouse")
        if s.get("dependents") is not None:
            parts.append("%d dependents" % len(s["dependents"]))
        if s.get("providers"):
            parts.append("%d policies" % len(s["providers"]))
        parts.append("address " + s["veteranAddress"]["country"])
        cases.append(("valid-%03d" % (i + 1), "valid", "-", "-", what + "; " + ", ".join(parts), s))

    n = 0
    for rnd in range(args.invalid_rounds):
        for rule, path, what, needs, apply in MUTATIONS:
            for _ in range(20):
                base = g.full(g.r.choice([0.0, 0.3, 0.6, 0.9, 1.0]))
                if needs(base):
                    break
            s = copy.deepcopy(base)
            apply(s, g)
            n += 1
            cases.append(("invalid-%03d-%s-%s" % (n, rule, slug(path)), "invalid", rule, path, what, s))

    for j, (rule, path, what, needs, apply) in enumerate(EDGES):
        s = g.full(0.8)
        apply(s, g)
        cases.append(("edge-%03d-%s-%s" % (j + 1, rule, slug(path)), "edge", rule, path, what, s))

    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):
        if f.endswith(".json"):
            os.remove(os.path.join(args.out, f))
    total = 0
    for name, category, rule, path, what, s in cases:
        text = dump(s)
        total += len(text.encode("utf-8"))
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    with open(os.path.join(HERE, "cases.tsv"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# name\tcategory\trule\tpath\twhat (written by tests/va/make_submissions.py)\n")
        for name, category, rule, path, what, s in cases:
            fh.write("%s.json\t%s\t%s\t%s\t%s\n" % (name, category, rule, path, what.replace("\t", " ")))
    counts = {}
    for c in cases:
        counts[c[1]] = counts.get(c[1], 0) + 1
    print("wrote %d submissions (%s), %.0f KiB, to %s" % (
        len(cases), ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items())), total / 1024,
        os.path.relpath(args.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
