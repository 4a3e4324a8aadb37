"""The 2021 edition of an operation page (Global Focus): location, key figures, people of concern, budget
blocks and the latest contributions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..data import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT_USD, MAX_PEOPLE, PILLARS
from ..names import donor_code
from ..safety import quote
from .reading import (
    GROUP_NAMES,
    KNOWN_OPERATIONS,
    LICENCE_FR,
    NOT_A_COUNT,
    NUMBER,
    Page,
    PageError,
    amount,
    count,
    decoded,
    find_line,
    json_at,
    plausible_date,
    years_of,
)

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


@dataclass(frozen=True)
class _Location:
    """What the page says about itself: its ISO code, its name, the map centre, and the lines they are on."""

    iso: str
    name: str
    name_where: str
    longitude: object
    latitude: object
    index: int


def parse_2021(lines: list[str], operation: str | None) -> Page:
    """The 2021 edition: location, key figures, people of concern, budget blocks, contributions.

    Read in this order, so a page with several faults is refused for the first of them."""
    location = _location(lines, operation)
    op = operation or location.iso
    years, totals, pillars, where = _budget_blocks(lines)
    src = f"unhcr_page_{max(years)}_{op.lower()}"
    page = Page(op, [src], name=location.name, name_where=location.name_where)
    page.add("sources.csv", _source_row(src, location.name, max(years)))
    _budget(page, src, years, totals, pillars, where)
    groups_year = _people(lines, page, src)
    _key_figures(lines, page, op, src)
    _contributions(lines, page, op, src)
    page.add(
        "operations.csv",
        {
            "operation": op,
            "name_en": location.name,
            "name_fr": location.name,
            "centre_lon": _coordinate(location.longitude, location.index),
            "centre_lat": _coordinate(location.latitude, location.index),
            "default_year": groups_year,
            "source": src,
        },
    )
    return page


def _location(lines: list[str], operation: str | None) -> _Location:
    """The Location block's ISO code and centre, and the 'Operation: <name>' heading; without --operation
    the page's own ISO code decides, and a known name of another operation contradicts it."""
    loc_i = find_line(lines, lambda s: s.startswith('{"longitude"'), "the Location block")
    loc = json_at(lines, loc_i, "Location")
    if not isinstance(loc, dict) or not {"longitude", "latitude", "iso_codes"} <= loc.keys():
        raise PageError([f"line {loc_i + 1}: expected longitude, latitude and iso_codes in the Location block"])
    iso = str(loc["iso_codes"]).strip("'\" ").upper()
    if not re.fullmatch(r"[A-Z]{3}", iso):
        raise PageError(
            [f"line {loc_i + 1}: expected a three-letter ISO code in iso_codes, found {quote(str(loc['iso_codes']))}"]
        )
    name_i = find_line(lines, lambda s: s.startswith("Operation:"), "the 'Operation: <name>' heading")
    name = re.sub(r"^Operation:\s*(Opération:\s*)?", "", lines[name_i].strip()).strip()
    if not name:
        raise PageError([f"line {name_i + 1}: expected the operation's name after 'Operation:'"])
    if len(name) > 200:
        raise PageError([f"line {name_i + 1}: the operation's name {quote(name)} is too long, expected a name"])
    if operation is None and KNOWN_OPERATIONS.get(name, iso) != iso:
        raise PageError(
            [
                f"line {name_i + 1}: the page names the operation {quote(name)} ({KNOWN_OPERATIONS[name]}) but its "
                f"Location block (line {loc_i + 1}) gives {iso}; expected the two to agree (or pass --operation)"
            ]
        )
    return _Location(iso, name, f"line {name_i + 1}", loc["longitude"], loc["latitude"], loc_i)


def _source_row(src: str, name: str, year_end: int) -> dict:
    return {
        "source": src,
        "title": f"{name} operation page, {year_end} edition (Global Focus)",
        "publisher": "UNHCR",
        "date": str(year_end),
        "licence": "UNHCR terms of use",
        "citation": f"UNHCR Global Focus, {name} operation page ({year_end})",
        "title_fr": f"Page de l’opération {name}, édition {year_end} (Global Focus)",
        "licence_fr": LICENCE_FR,
        "citation_fr": f"HCR, Global Focus, page de l’opération {name} ({year_end})",
    }


def _budget_blocks(lines: list[str]) -> tuple[list[int], dict, list[dict], str]:
    """The years, the totals block and the two pillar blocks of the budget line:
    "<year> {budget} {pillar budget} {pillar expenditure}"."""
    b_i = find_line(lines, lambda s: '{"categories"' in s, "the budget and expenditure blocks")
    where = f"line {b_i + 1}"
    text = lines[b_i].strip()
    text = text[text.index("{") :]
    blocks, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        obj, pos = decoded(text, where, "budget", pos)
        blocks.append(obj)
    totals = [b for b in blocks if isinstance(b, dict) and "budget" in b]
    pillars = [b for b in blocks if isinstance(b, dict) and "p1" in b]
    if len(totals) != 1 or len(pillars) != 2:
        raise PageError(
            [
                f"{where}: expected three budget blocks (totals, pillar budget, pillar expenditure), "
                f"found {len(totals)} totals and {len(pillars)} pillar blocks"
            ]
        )
    return years_of(totals[0].get("categories"), where), totals[0], pillars, where


def _budget(page: Page, src: str, years: list[int], totals: dict, pillars: list[dict], where: str) -> None:
    """One budget.csv row per year, kind (budget, expenditure) and pillar (the four and the total)."""

    def series(block: dict, key: str) -> list[str]:
        values = block.get(key)
        if not isinstance(values, list) or len(values) != len(years):
            raise PageError([f"{where}: expected '{key}' with one value per year ({len(years)})"])
        return [amount(v, f"{where}, '{key}' for {y}") for v, y in zip(values, years, strict=True)]

    columns = {("budget", "total"): series(totals, "budget"), ("expenditure", "total"): series(totals, "expenditure")}
    for kind, block in zip(("budget", "expenditure"), pillars, strict=True):
        if years_of(block.get("categories"), where) != years:
            raise PageError([f"{where}: the {kind} pillar block covers other years than the totals"])
        for p in PILLARS:
            columns[(kind, p)] = series(block, p)
    for i, year in enumerate(years):
        for kind in ("budget", "expenditure"):
            for pillar in (*PILLARS, "total"):
                page.add(
                    "budget.csv",
                    {
                        "operation": page.operation,
                        "year": year,
                        "kind": kind,
                        "pillar": pillar,
                        "usd_millions": columns[(kind, pillar)][i],
                        "source": src,
                    },
                )


def _people(lines: list[str], page: Page, src: str) -> int:
    """People of concern: "<year> <total>" lines after the heading, then the groups block, which gives the
    groups of the latest of those years; that year is returned (the operation's default year)."""
    poc_i = find_line(lines, lambda s: s.startswith("People of Concern"), "the 'People of Concern' heading")
    totals = {}
    for j in range(poc_i + 1, min(poc_i + 20, len(lines))):
        m = re.fullmatch(r"(\d{4})\s+(\S+)", lines[j].strip())
        if m:
            year = int(m.group(1))
            if year in totals:
                raise PageError([f"line {j + 1}: people of concern for {year} given twice"])
            totals[year] = count(m.group(2), f"line {j + 1}")
    if not totals:
        raise PageError([f"line {poc_i + 1}: expected lines '<year> <people>' after 'People of Concern'"])
    for year, value in sorted(totals.items()):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PageError([f"line {poc_i + 1}: unknown year {year} in the people of concern"])
        page.add(
            "population_totals.csv",
            {
                "operation": page.operation,
                "dataset": "page",
                "year": year,
                "as_of": f"{year}-12-31",
                "value": value,
                "source": src,
            },
        )
    groups_year = max(totals)
    g_i = find_line(lines, lambda s: s.startswith("[["), "the population groups block [[name, people], ...]", poc_i)
    for group, value in _groups(json_at(lines, g_i, "population groups"), f"line {g_i + 1}").items():
        page.add(
            "population_groups.csv",
            {
                "operation": page.operation,
                "dataset": "page",
                "year": groups_year,
                "as_of": f"{groups_year}-12-31",
                "group": group,
                "value": value,
                "source": src,
            },
        )
    return groups_year


def _groups(groups, where: str) -> dict[str, int]:
    """The groups block [[name, people], ...] as {group id: people}, each known group at most once."""
    if not isinstance(groups, list):
        raise PageError([f"{where}: expected a list of [group, people] pairs"])
    seen: dict[str, int] = {}
    for item in groups:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and item[1] >= 0
        ):
            raise PageError([f"{where}: expected [group name, whole number >= 0], found {quote(str(item))}"])
        if item[1] > MAX_PEOPLE:
            raise PageError([f"{where}: more than {MAX_PEOPLE:,} people is not plausible for {quote(item[0])}"])
        group = GROUP_NAMES.get(item[0].strip().lower())
        if group is None:
            raise PageError(
                [f"{where}: unknown population group {quote(item[0])}, expected one of {sorted(set(GROUP_NAMES))}"]
            )
        if group in seen:
            raise PageError([f"{where}: population group {quote(item[0])} given twice"])
        seen[group] = item[1]
    return seen


def _coordinate(value, index: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        raise PageError([f"line {index + 1}: expected a number for the map centre, found {quote(str(value))}"])
    return str(value)


def _key_figures(lines: list[str], page: Page, op: str, src: str) -> None:
    """'<year> planning figures' / '<year> year-end results' followed by lines starting with a figure."""
    start = find_line(lines, lambda s: s == "Key Figures", "the 'Key Figures' heading")
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
        value = count(m.group(1), f"line {j + 1}")
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
    start = find_line(lines, lambda s: s == "Latest contributions", "the 'Latest contributions' list")
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
            plausible_date(date, where)
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
                "amount_usd": count(parts[1][1:], f"{where}, amount", limit=MAX_AMOUNT_USD),
                "donor_code": donor_code(parts[0]),
                "source": src,
            },
        )
    if not entries:
        raise PageError([f"line {start + 1}: expected at least one contribution after 'Latest contributions'"])
