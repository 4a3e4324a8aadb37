"""Import a saved UNHCR operation page (2021 edition or the newer population page) into the tidy files.

The figures are read from the page's data blocks and figure lines; prose paragraphs are never imported.
Rows of the same operation and page source are replaced, so importing a page twice changes nothing.
Everything is written to a validated copy first and renamed into place only when the whole data
directory still passes `dashboard.data.load`; a bad page leaves the data untouched.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import i18n
from .data import (
    FILES,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT_USD,
    MAX_BUDGET_MUSD,
    MAX_CSV_BYTES,
    MAX_PEOPLE,
    DataError,
    DataFileError,
    load,
    read_limited,
)
from .names import donor_code
from .safety import nests_deeper, quote

GROUP_NAMES = {
    "refugees": "refugees",
    "asylum-seekers": "asylum_seekers",
    "asylum seekers": "asylum_seekers",
    "idps": "idps",
    "returned idps": "returned_idps",
    "returned refugees": "returned_refugees",
    "stateless persons": "stateless",
    "statelessness persons": "stateless",
    "other people in need of international protection": "oip",
    "host community": "host_community",
    "others of concern": "ooc",
    "others of concern to unhcr": "ooc",
}
# Operation names a page may name in its text when it carries no ISO code (the newer edition).
KNOWN_OPERATIONS = {"Mali": "MLI", "Niger": "NER", "Burkina Faso": "BFA", "Mauritania": "MRT"}
# The first unit word found in a key-figure line; specific nouns before general ones.
UNIT_WORDS = (
    ("children", "children"),
    ("families", "families"),
    ("households", "households"),
    ("incidents", "incidents"),
    ("returnees", "people"),
    ("refugees", "people"),
    ("people", "people"),
    ("persons", "people"),
)
KIND_LABELS = {
    "planning_target": ("Planning target {n}", "Objectif de planification {n}"),
    "year_end_result": ("Year-end result {n}", "Résultat de fin d’année {n}"),
}
NUMBER = r"\d{1,3}(?:,\d{3})*|\d+"
LICENCE_FR = "conditions d’utilisation du HCR"
# What a figure that is not a count looks like: a sign, or a float word (NaN, Infinity).
NOT_A_COUNT = re.compile(r"[-−–+]\s*\d|(?i:nan|inf|infinity)\b")
# Saved pages are 2-9 kB; anything past this is not one.
MAX_PAGE_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 16
# How long an import waits for another one into the same directory to finish.
LOCK_WAIT_SECONDS = 30.0
# The working directory an import writes into, inside the data directory (same file system: renames are
# atomic); it holds a journal while files are being replaced.
STAGING_PREFIX = ".import-"
JOURNAL = "journal.json"


class PageError(Exception):
    """The page cannot be imported; `problems` says what was expected and where."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Page:
    """The rows one page contributes to each file, and the (operation, source) they replace."""

    operation: str
    sources: list[str]
    rows: dict[str, list[dict]] = field(default_factory=dict)
    # The operation's name as the page gives it, and where ("line 5"), when the page gives one.
    name: str | None = None
    name_where: str = ""

    def add(self, name: str, row: dict) -> None:
        self.rows.setdefault(name, []).append(row)


def _int(text: str, where: str, limit: int = MAX_PEOPLE) -> int:
    text = text.strip()
    if not re.fullmatch(NUMBER, text):
        raise PageError([f"{where}: expected a whole number like 275,779, found {quote(text)}"])
    digits = text.replace(",", "")
    # Compared as text first: Python refuses to convert more than 4,300 digits.
    if len(digits.lstrip("0")) > len(str(limit)) or int(digits) > limit:
        raise PageError([f"{where}: {quote(text, 40)} is not plausible, expected at most {limit:,}"])
    return int(digits)


def _plausible_date(date: dt.date, where: str) -> dt.date:
    """A date of figures or of a contribution: from FIRST_YEAR to next year (and within the data's years)."""
    last = min(LAST_YEAR, dt.date.today().year + 1)
    if not FIRST_YEAR <= date.year <= last:
        raise PageError(
            [f"{where}: date {date.isoformat()} is not plausible, expected a year from {FIRST_YEAR} to {last}"]
        )
    return date


def read_page(path: Path) -> tuple[str, list[str]]:
    """The page's text: a regular UTF-8 text file of at most MAX_PAGE_BYTES (a FIFO or a device is refused
    without waiting on it)."""
    try:
        raw = read_limited(path, MAX_PAGE_BYTES)
    except DataFileError as exc:
        reason = "the file does not exist" if exc.reason == "missing" else exc.reason
        raise PageError([f"{path}: cannot read the file ({reason}), expected a saved page (text)"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageError([f"{path.name}: byte {exc.start}: not UTF-8 text (expected a page saved as UTF-8)"]) from None
    if "\0" in text:
        raise PageError([f"{path.name}: character {text.index(chr(0)) + 1}: a NUL byte, expected a text file"])
    if not text.strip():
        raise PageError([f"{path.name}: the file is empty (expected a saved operation page)"])
    return text, text.splitlines()


def edition(lines: list[str]) -> str:
    stripped = [line.strip() for line in lines]
    if any(line.startswith('{"longitude"') for line in stripped):
        return "2021"
    if "Population figures" in stripped and "Total country population" in stripped:
        return "population"
    raise PageError(
        [
            "line 1: not a known operation page: expected the 2021 edition (a Location block with "
            '{"longitude": ...}) or the newer page (a "Population figures" block)'
        ]
    )


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number the page can give")


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise ValueError(f"a number of {len(text):,} digits is not plausible")
    return int(text)


def _decoded(text: str, where: str, name: str, pos: int = 0):
    """One JSON value of `text` from `pos`, and where it ends; NaN, Infinity and deep nesting refused."""
    decoder = json.JSONDecoder(parse_float=str, parse_int=_json_int, parse_constant=_refuse_constant)
    try:
        value, end = decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise PageError([f"{where}: the {name} block is not valid JSON ({exc.msg} at column {exc.colno})"]) from None
    except ValueError as exc:
        raise PageError([f"{where}: the {name} block: {exc}, expected numbers"]) from None
    except RecursionError:
        value = None
    if value is None or nests_deeper(value, MAX_JSON_DEPTH):
        raise PageError([f"{where}: the {name} block nests more than {MAX_JSON_DEPTH} levels, expected flat JSON"])
    return value, end


def _json_at(lines: list[str], i: int, name: str):
    text = lines[i].strip()
    value, end = _decoded(text, f"line {i + 1}", name)
    if text[end:].strip():
        raise PageError([f"line {i + 1}: the {name} block is not valid JSON (Extra data at column {end + 1})"])
    return value


def _find(lines: list[str], predicate, what: str, start: int = 0) -> int:
    """The first line from `start` that matches; refused when none does or when another one does too
    (a section given twice would add its figures twice)."""
    found = [i for i in range(start, len(lines)) if predicate(lines[i].strip())]
    if not found:
        raise PageError([f"line {len(lines)}: end of page reached, expected {what}"])
    if len(found) > 1:
        raise PageError([f"line {found[1] + 1}: {what} again (first on line {found[0] + 1}), expected it once"])
    return found[0]


def _years(values, where: str) -> list[int]:
    if not isinstance(values, list) or not values or not all(type(v) is int for v in values):
        raise PageError([f"{where}: expected 'categories' to be a list of years"])
    years = list(values)
    if any(not FIRST_YEAR <= y <= LAST_YEAR for y in years) or len(set(years)) != len(years):
        raise PageError(
            [f"{where}: expected distinct years between {FIRST_YEAR} and {LAST_YEAR}, found {quote(str(years))}"]
        )
    return years


def _amount(value, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        if float(value) > MAX_BUDGET_MUSD:
            raise PageError(
                [f"{where}: {quote(value, 40)} million USD is not plausible, expected at most {MAX_BUDGET_MUSD:,}"]
            )
        return value
    raise PageError([f"{where}: expected an amount in USD millions or null, found {quote(str(value))}"])


def parse_2021(lines: list[str], operation: str | None) -> Page:
    """The 2021 edition: location, key figures, people of concern, budget blocks, contributions."""
    loc_i = _find(lines, lambda s: s.startswith('{"longitude"'), "the Location block")
    loc = _json_at(lines, loc_i, "Location")
    if not isinstance(loc, dict) or not {"longitude", "latitude", "iso_codes"} <= loc.keys():
        raise PageError([f"line {loc_i + 1}: expected longitude, latitude and iso_codes in the Location block"])
    iso = str(loc["iso_codes"]).strip("'\" ").upper()
    if not re.fullmatch(r"[A-Z]{3}", iso):
        raise PageError(
            [f"line {loc_i + 1}: expected a three-letter ISO code in iso_codes, found {quote(str(loc['iso_codes']))}"]
        )
    op = operation or iso
    name_i = _find(lines, lambda s: s.startswith("Operation:"), "the 'Operation: <name>' heading")
    name = re.sub(r"^Operation:\s*(Opération:\s*)?", "", lines[name_i].strip()).strip()
    if not name:
        raise PageError([f"line {name_i + 1}: expected the operation's name after 'Operation:'"])
    if len(name) > 200:
        raise PageError([f"line {name_i + 1}: the operation's name {quote(name)} is too long, expected a name"])
    # Without --operation the page's own ISO code decides; a known name of another operation contradicts it.
    if operation is None and KNOWN_OPERATIONS.get(name, iso) != iso:
        raise PageError(
            [
                f"line {name_i + 1}: the page names the operation {quote(name)} ({KNOWN_OPERATIONS[name]}) but its "
                f"Location block (line {loc_i + 1}) gives {iso}; expected the two to agree (or pass --operation)"
            ]
        )

    # Budget blocks: "<year> {budget} {pillar budget} {pillar expenditure}" on one line.
    b_i = _find(lines, lambda s: '{"categories"' in s, "the budget and expenditure blocks")
    text = lines[b_i].strip()
    text = text[text.index("{") :]
    blocks, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        obj, pos = _decoded(text, f"line {b_i + 1}", "budget", pos)
        blocks.append(obj)
    totals = [b for b in blocks if isinstance(b, dict) and "budget" in b]
    pillars = [b for b in blocks if isinstance(b, dict) and "p1" in b]
    if len(totals) != 1 or len(pillars) != 2:
        raise PageError(
            [
                f"line {b_i + 1}: expected three budget blocks (totals, pillar budget, pillar expenditure), "
                f"found {len(totals)} totals and {len(pillars)} pillar blocks"
            ]
        )
    years = _years(totals[0].get("categories"), f"line {b_i + 1}")
    year_end = max(years)
    page_src = f"unhcr_page_{year_end}_{op.lower()}"
    page = Page(op, [page_src], name=name, name_where=f"line {name_i + 1}")
    page.add(
        "sources.csv",
        {
            "source": page_src,
            "title": f"{name} operation page, {year_end} edition (Global Focus)",
            "publisher": "UNHCR",
            "date": str(year_end),
            "licence": "UNHCR terms of use",
            "citation": f"UNHCR Global Focus, {name} operation page ({year_end})",
            "title_fr": f"Page de l’opération {name}, édition {year_end} (Global Focus)",
            "licence_fr": LICENCE_FR,
            "citation_fr": f"HCR, Global Focus, page de l’opération {name} ({year_end})",
        },
    )

    def series(block: dict, key: str, where: str) -> list[str]:
        values = block.get(key)
        if not isinstance(values, list) or len(values) != len(years):
            raise PageError([f"{where}: expected '{key}' with one value per year ({len(years)})"])
        return [_amount(v, f"{where}, '{key}' for {y}") for v, y in zip(values, years, strict=True)]

    where = f"line {b_i + 1}"
    columns = {
        ("budget", "total"): series(totals[0], "budget", where),
        ("expenditure", "total"): series(totals[0], "expenditure", where),
    }
    for kind, block in zip(("budget", "expenditure"), pillars, strict=True):
        if _years(block.get("categories"), where) != years:
            raise PageError([f"{where}: the {kind} pillar block covers other years than the totals"])
        for p in ("p1", "p2", "p3", "p4"):
            columns[(kind, p)] = series(block, p, where)
    for i, year in enumerate(years):
        for kind in ("budget", "expenditure"):
            for pillar in ("p1", "p2", "p3", "p4", "total"):
                page.add(
                    "budget.csv",
                    {
                        "operation": op,
                        "year": year,
                        "kind": kind,
                        "pillar": pillar,
                        "usd_millions": columns[(kind, pillar)][i],
                        "source": page_src,
                    },
                )

    # People of concern: "<year> <total>" lines after the heading, and the groups block.
    poc_i = _find(lines, lambda s: s.startswith("People of Concern"), "the 'People of Concern' heading")
    totals_found = {}
    for j in range(poc_i + 1, min(poc_i + 20, len(lines))):
        m = re.fullmatch(r"(\d{4})\s+(\S+)", lines[j].strip())
        if m:
            year = int(m.group(1))
            if year in totals_found:
                raise PageError([f"line {j + 1}: people of concern for {year} given twice"])
            totals_found[year] = _int(m.group(2), f"line {j + 1}")
    if not totals_found:
        raise PageError([f"line {poc_i + 1}: expected lines '<year> <people>' after 'People of Concern'"])
    for year, value in sorted(totals_found.items()):
        if not 1990 <= year <= 2030:
            raise PageError([f"line {poc_i + 1}: unknown year {year} in the people of concern"])
        page.add(
            "population_totals.csv",
            {
                "operation": op,
                "dataset": "page",
                "year": year,
                "as_of": f"{year}-12-31",
                "value": value,
                "source": page_src,
            },
        )
    groups_year = max(totals_found)
    g_i = _find(lines, lambda s: s.startswith("[["), "the population groups block [[name, people], ...]", poc_i)
    groups = _json_at(lines, g_i, "population groups")
    if not isinstance(groups, list):
        raise PageError([f"line {g_i + 1}: expected a list of [group, people] pairs"])
    seen = set()
    for item in groups:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and item[1] >= 0
        ):
            raise PageError([f"line {g_i + 1}: expected [group name, whole number >= 0], found {quote(str(item))}"])
        if item[1] > MAX_PEOPLE:
            raise PageError([f"line {g_i + 1}: more than {MAX_PEOPLE:,} people is not plausible for {quote(item[0])}"])
        group = GROUP_NAMES.get(item[0].strip().lower())
        if group is None:
            raise PageError(
                [
                    f"line {g_i + 1}: unknown population group {quote(item[0])}, "
                    f"expected one of {sorted(set(GROUP_NAMES))}"
                ]
            )
        if group in seen:
            raise PageError([f"line {g_i + 1}: population group {quote(item[0])} given twice"])
        seen.add(group)
        page.add(
            "population_groups.csv",
            {
                "operation": op,
                "dataset": "page",
                "year": groups_year,
                "as_of": f"{groups_year}-12-31",
                "group": group,
                "value": item[1],
                "source": page_src,
            },
        )

    _key_figures(lines, page, op, page_src)
    _contributions(lines, page, op, page_src)
    page.add(
        "operations.csv",
        {
            "operation": op,
            "name_en": name,
            "name_fr": name,
            "centre_lon": _coordinate(loc["longitude"], loc_i),
            "centre_lat": _coordinate(loc["latitude"], loc_i),
            "default_year": groups_year,
            "source": page_src,
        },
    )
    return page


def _coordinate(value, index: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        raise PageError([f"line {index + 1}: expected a number for the map centre, found {quote(str(value))}"])
    return str(value)


def _key_figures(lines: list[str], page: Page, op: str, src: str) -> None:
    """'<year> planning figures' / '<year> year-end results' followed by lines starting with a figure."""
    start = _find(lines, lambda s: s == "Key Figures", "the 'Key Figures' heading")
    kind, year, counts, headings = None, None, {}, {}
    for j in range(start + 1, len(lines)):
        line = lines[j].strip()
        if line.startswith("People of Concern"):
            break
        heading = re.fullmatch(r"(\d{4}) (planning figures|year-end results)", line)
        if heading:
            year = int(heading.group(1))
            kind = "planning_target" if heading.group(2) == "planning figures" else "year_end_result"
            if (year, kind) in headings:
                raise PageError(
                    [f"line {j + 1}: {quote(line)} again (first on line {headings[year, kind]}), expected it once"]
                )
            headings[year, kind] = j + 1
            continue
        if kind is not None and NOT_A_COUNT.match(line):
            raise PageError(
                [f"line {j + 1}: key figure {quote(line.split()[0])}: expected a whole number >= 0 like 6,500"]
            )
        m = re.match(rf"({NUMBER})(%?)\s", line)
        if not m or kind is None:
            continue
        value = _int(m.group(1), f"line {j + 1}")
        if m.group(2):
            unit = "percent"
        else:
            words = line.lower().split()
            unit = next((u for word, u in UNIT_WORDS if word in words), None)
            if unit is None:
                raise PageError(
                    [
                        f"line {j + 1}: key figure {quote(m.group(1), 40)}: expected one of the unit words "
                        f"{[w for w, _ in UNIT_WORDS]}"
                    ]
                )
        counts[(year, kind)] = n = counts.get((year, kind), 0) + 1
        en, fr = KIND_LABELS[kind]
        page.add(
            "key_figures.csv",
            {
                "operation": op,
                "year": year,
                "kind": kind,
                "value": value,
                "unit": unit,
                "label_en": en.format(n=n),
                "label_fr": fr.format(n=n),
                "source": src,
            },
        )


def _contributions(lines: list[str], page: Page, op: str, src: str) -> None:
    """Bulleted entries: an optional DD-MON-YYYY date (else the one above), donor, 'private donors', $amount."""
    start = _find(lines, lambda s: s == "Latest contributions", "the 'Latest contributions' list")
    entries, current = [], None
    for j in range(start + 1, len(lines)):
        line = lines[j].strip()
        if line.startswith("•"):
            current = {"line": j + 1, "parts": []}
            entries.append(current)
            line = line[1:].strip()
        if current is not None and line:
            current["parts"].append(line)
    date = None
    for entry in entries:
        parts, where = entry["parts"], f"line {entry['line']}"
        if parts and re.fullmatch(r"\d{2}-[A-Z]{3}-\d{4}", parts[0]):
            try:
                date = dt.datetime.strptime(parts.pop(0).title(), "%d-%b-%Y").date()
            except ValueError:
                raise PageError([f"{where}: expected a date like 16-APR-2021"]) from None
            _plausible_date(date, where)
        if date is None:
            raise PageError([f"{where}: the first contribution has no date (expected DD-MON-YYYY above it)"])
        private = "private donors" in parts
        parts = [p for p in parts if p != "private donors"]
        if len(parts) != 2 or not parts[1].startswith("$"):
            raise PageError(
                [f"{where}: expected a donor name and an amount like $586,167, found {quote(' / '.join(parts))}"]
            )
        page.add(
            "contributions.csv",
            {
                "operation": op,
                "date": date.isoformat(),
                "donor": parts[0],
                "private_donor": "true" if private else "false",
                "amount_usd": _int(parts[1][1:], f"{where}, amount", limit=MAX_AMOUNT_USD),
                "donor_code": donor_code(parts[0]),
                "source": src,
            },
        )
    if not entries:
        raise PageError([f"line {start + 1}: expected at least one contribution after 'Latest contributions'"])


def parse_population(lines: list[str], operation: str | None, known: dict[str, str], as_of: str | None) -> Page:
    """The newer page: total country population and the population categories, as of `as_of`."""
    if operation is None:
        # The page carries no ISO code; its country context opens with the country's name ("Mali, located
        # in West Africa, ..."). Only that opening name is read, nothing of the paragraph is kept.
        ctx = next((i for i, line in enumerate(lines) if line.strip() == "Country context"), None)
        opening = lines[ctx + 1].strip() if ctx is not None and ctx + 1 < len(lines) else ""
        found = {iso for name, iso in known.items() if re.match(rf"{re.escape(name)}\b", opening)}
        if len(found) != 1:
            raise PageError(["the page does not say which operation it is (no ISO code): pass --operation ISO3"])
        operation = found.pop()
    if as_of is None:
        raise PageError(["the page does not say when its figures were taken: pass --as-of YYYY-MM-DD"])
    try:
        date = dt.date.fromisoformat(as_of)
    except ValueError:
        raise PageError([f"--as-of: expected a date YYYY-MM-DD, found {quote(as_of)}"]) from None
    _plausible_date(date, "--as-of")
    src = f"unhcr_page_{date.year}_{operation.lower()}"
    name = next((n for n, iso in known.items() if iso == operation), operation)
    page = Page(operation, [src])
    page.add(
        "sources.csv",
        {
            "source": src,
            "title": f"{name} operation page, population figures as of {i18n.date(date, 'en')} "
            "(total country population: UN World Population Prospects)",
            "publisher": "UNHCR",
            "date": date.isoformat(),
            "licence": "UNHCR terms of use",
            "citation": f"UNHCR, {name} operation page (figures as of {i18n.date(date, 'en')})",
            "title_fr": f"Page de l’opération {name}, chiffres de population au {i18n.date(date, 'fr')} "
            "(population totale du pays\u202f: Perspectives de la population mondiale des Nations Unies)",
            "licence_fr": LICENCE_FR,
            "citation_fr": f"HCR, page de l’opération {name} (chiffres au {i18n.date(date, 'fr')})",
        },
    )
    start = _find(lines, lambda s: s == "Population figures", "the 'Population figures' heading")
    _find(lines, lambda s: s == "Country context", "the 'Country context' heading", start)
    seen: dict[str, int] = {}
    country = None
    j = start + 1
    while j < len(lines) - 1:
        label, value = lines[j].strip(), lines[j + 1].strip()
        if label == "Country context":
            break
        key = re.sub(r"\s*\(.*?\)", "", label).rstrip(":").strip().lower()
        known = key == "total country population" or key in GROUP_NAMES
        number_like = re.fullmatch(rf"{NUMBER}|\S*\d\S*", value) or NOT_A_COUNT.match(value)
        if (known or number_like) and not re.fullmatch(rf"{NUMBER}", label):
            number = _int(value, f"line {j + 2}")
            if key == "total country population":
                if country is not None:
                    raise PageError([f"line {j + 1}: {quote(label)} given twice"])
                country = number
            else:
                group = GROUP_NAMES.get(key)
                if group is None:
                    raise PageError([f"line {j + 1}: unknown population category {quote(label)}"])
                if group in seen:
                    raise PageError([f"line {j + 1}: population category {quote(label)} given twice"])
                seen[group] = number
            j += 2
            continue
        j += 1
    if not seen:
        raise PageError([f"line {start + 1}: expected '<category>' / '<people>' lines after 'Population figures'"])
    for group, value in seen.items():
        page.add(
            "population_groups.csv",
            {
                "operation": operation,
                "dataset": "page",
                "year": date.year,
                "as_of": date.isoformat(),
                "group": group,
                "value": value,
                "source": src,
            },
        )
    if country is not None:
        # UN population projections refer to 1 July of their year.
        page.add(
            "country_population.csv",
            {"operation": operation, "year": date.year, "as_of": f"{date.year}-07-01", "value": country, "source": src},
        )
    return page


def _current(path: Path) -> bytes | None:
    """The bytes of a data file, None when there is none; a file that cannot be read stops the import."""
    try:
        return read_limited(path, MAX_CSV_BYTES)
    except DataFileError as exc:
        if exc.reason == "missing":
            return None
        raise PageError([f"{path.name}: {exc.reason} (in {path.parent}); nothing was imported"]) from None


def _read_rows(path: Path) -> list[dict]:
    content = _current(path)
    if content is None:
        return []
    try:
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PageError(
            [f"{path.name}: {quote(str(exc))} (run `python -m dashboard check`); nothing was imported"]
        ) from None


def _csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows({k: "" if r.get(k) is None else r.get(k) for k in columns} for r in rows)
    return out.getvalue().encode("utf-8")


def merge(page: Page, data_dir: Path) -> dict[str, list[dict]]:
    """Every file's rows after the import: this page's earlier rows replaced by its new rows."""
    result = {}
    for name in FILES:
        rows = _read_rows(data_dir / name)
        if name == "sources.csv":
            keep = [r for r in rows if r.get("source") not in page.sources]
        elif name == "operations.csv":
            keep = [r for r in rows if not (r.get("operation") == page.operation and "operations.csv" in page.rows)]
        else:
            keep = [r for r in rows if not (r.get("operation") == page.operation and r.get("source") in page.sources)]
        new = page.rows.get(name, [])
        replaced = [r for r in rows if r not in keep]
        if name == "key_figures.csv":
            new = _keep_labels(new, replaced)
        # New rows take the place of the rows they replace, so re-importing any page leaves the file as it was.
        at = rows.index(replaced[0]) if replaced else len(rows)
        before = sum(1 for r in rows[:at] if r in keep)
        result[name] = keep[:before] + new + keep[before:]
    return result


def _keep_labels(new: list[dict], old: list[dict]) -> list[dict]:
    """Key-figure labels are written by people in their own words: a re-import keeps them, matched by
    year, kind and position, as long as the figure is unchanged."""

    def ordinal(rows):
        seen: dict = {}
        out = {}
        for r in rows:
            key = (str(r["year"]), r["kind"])
            seen[key] = seen.get(key, 0) + 1
            out[(*key, seen[key])] = r
        return out

    before = ordinal(old)
    result = []
    for key, row in ordinal(new).items():
        previous = before.get(key)
        if previous and float(previous["value"]) == float(row["value"]):
            row = row | {"label_en": previous["label_en"], "label_fr": previous["label_fr"]}
        result.append(row)
    return result


def _check_name(page: Page, operations: list[dict], overridden: bool) -> None:
    """The page's name for its operation must not contradict operations.csv: another operation of that name
    (unless --operation says so), or another name for this operation (rename it in operations.csv first)."""
    if page.name is None:
        return
    for row in operations:
        if row.get("operation") == page.operation and row.get("name_en") != page.name:
            raise PageError(
                [
                    f"{page.name_where}: the page names {page.operation} {quote(page.name)} but operations.csv names "
                    f"it {quote(row.get('name_en') or '')}; expected the same name (rename it there first)"
                ]
            )
        if not overridden and row.get("operation") != page.operation and row.get("name_en") == page.name:
            raise PageError(
                [
                    f"{page.name_where}: operations.csv already has {quote(page.name)} as {row.get('operation')}, "
                    f"the page's ISO code is {page.operation}; expected the two to agree (or pass --operation)"
                ]
            )


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


@contextmanager
def _import_lock(data_dir: Path, wait: float) -> Iterator[None]:
    """Imports into one directory take turns: a lock on the directory itself (no lock file to leave behind),
    waited for up to `wait` seconds."""
    fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PageError(
                        [f"{data_dir}: another import is running (waited {wait:g} s); nothing was imported, try again"]
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("xb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _roll_back(data_dir: Path, work: Path) -> None:
    """Put back every file listed in `work`'s journal as it was (a hard link kept it), then drop the journal."""
    existed = json.loads((work / JOURNAL).read_text(encoding="utf-8"))
    for name, was in existed.items():
        if was:
            os.replace(work / "backup" / name, data_dir / name)
        else:
            (data_dir / name).unlink(missing_ok=True)
    _sync_dir(data_dir)
    (work / JOURNAL).unlink()


def _recover(data_dir: Path) -> None:
    """Undo what an import that was killed while replacing files left, and remove working directories."""
    for work in sorted(data_dir.glob(f"{STAGING_PREFIX}*")):
        try:
            if (work / JOURNAL).exists():
                _roll_back(data_dir, work)
            shutil.rmtree(work)
        except OSError as exc:
            raise PageError(
                [f"{work}: cannot undo an interrupted import ({_reason(exc)}); nothing was imported"]
            ) from None


def _replace_all(data_dir: Path, changed: dict[str, bytes]) -> None:
    """Write the `changed` files into `data_dir` as one change: all of them, or after any failure none.

    The new versions are written and synced in a working directory inside `data_dir` (same file system, so
    renames are atomic), next to a hard link to each current file. A journal listing the files marks the start
    of the renames; a failure during them renames the old files back. A process killed then leaves the
    journal: `load` refuses the directory and the next import restores it first.
    """
    nothing = "nothing was changed"
    try:
        work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    except OSError as exc:
        raise PageError([f"{data_dir}: cannot write into the data directory ({_reason(exc)}); {nothing}"]) from None
    try:
        try:
            (work / "backup").mkdir()
            existed = {}
            for name, content in changed.items():
                _write_synced(work / name, content)
                existed[name] = os.path.lexists(data_dir / name)
                if existed[name]:
                    os.link(data_dir / name, work / "backup" / name)
            _write_synced(work / f"{JOURNAL}.new", json.dumps(existed).encode())
            os.replace(work / f"{JOURNAL}.new", work / JOURNAL)
            _sync_dir(work)
        except OSError as exc:
            # No file was replaced yet: dropping the journal is all the undoing there is.
            (work / JOURNAL).unlink(missing_ok=True)
            raise PageError([f"{data_dir}: cannot write the imported files ({_reason(exc)}); {nothing}"]) from None
        try:
            for name in changed:
                os.replace(work / name, data_dir / name)
            _sync_dir(data_dir)
        except BaseException as exc:
            try:
                _roll_back(data_dir, work)
            except OSError as undo:
                raise PageError(
                    [
                        f"{data_dir}: the import failed ({exc}) and the old files could not all be put back "
                        f"({_reason(undo)}); run the import again to restore them"
                    ]
                ) from None
            if isinstance(exc, OSError):
                raise PageError([f"{data_dir}: cannot replace the files ({_reason(exc)}); {nothing}"]) from None
            raise
        (work / JOURNAL).unlink()
    finally:
        if not (work / JOURNAL).exists():
            shutil.rmtree(work, ignore_errors=True)


def import_page(
    path: Path,
    data_dir: Path,
    operation: str | None = None,
    as_of: str | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
) -> Page:
    """Parse `path` and write its rows into `data_dir` as one atomic change, or raise PageError changing
    nothing. Imports into one directory take turns, each reading the files the previous one wrote."""
    _, lines = read_page(path)
    if operation is not None and not re.fullmatch(r"[A-Z]{3}", operation):
        raise PageError([f"--operation: expected a three-letter ISO code like MLI, found {quote(operation)}"])
    kind = edition(lines)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PageError([f"{data_dir}: cannot create the data directory ({_reason(exc)})"]) from None
    with _import_lock(data_dir, lock_wait):
        _recover(data_dir)
        operations = _read_rows(data_dir / "operations.csv")
        if kind == "2021":
            page = parse_2021(lines, operation)
        else:
            known = dict(KNOWN_OPERATIONS)
            for row in operations:
                known[row.get("name_en", "")] = row.get("operation", "")
            page = parse_population(lines, operation, {k: v for k, v in known.items() if k}, as_of)
        _check_name(page, operations, overridden=operation is not None)
        contents = {
            name: _csv_bytes(list(FILES[name][0].model_fields), rows) for name, rows in merge(page, data_dir).items()
        }
        try:
            load(data_dir, replacing=contents)
        except DataError as exc:
            raise PageError([f"after import: {p}" for p in exc.problems]) from None
        changed = {name: content for name, content in contents.items() if content != _current(data_dir / name)}
        if changed:
            _replace_all(data_dir, changed)
    return page
