"""Import a saved UNHCR operation page (2021 edition or the newer population page) into the tidy files.

The figures are read from the page's data blocks and figure lines; prose paragraphs are never imported.
Rows of the same operation and page source are replaced, so importing a page twice changes nothing.
Everything is written to a validated copy first and renamed into place only when the whole data
directory still passes `dashboard.data.load`; a bad page leaves the data untouched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .data import FILES, DataError, load
from .names import donor_code

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

    def add(self, name: str, row: dict) -> None:
        self.rows.setdefault(name, []).append(row)


def _int(text: str, where: str) -> int:
    if not re.fullmatch(NUMBER, text.strip()):
        raise PageError([f"{where}: expected a whole number like 275,779, found {text.strip()!r}"])
    return int(text.replace(",", ""))


def read_page(path: Path) -> tuple[str, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PageError([f"{path}: cannot read the file ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageError([f"{path.name}: byte {exc.start}: not UTF-8 text (expected a page saved as UTF-8)"]) from None
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


def _json_at(lines: list[str], i: int, name: str):
    try:
        return json.loads(lines[i].strip(), parse_float=str)
    except json.JSONDecodeError as exc:
        raise PageError(
            [f"line {i + 1}: the {name} block is not valid JSON ({exc.msg} at column {exc.colno})"]
        ) from None


def _find(lines: list[str], predicate, what: str, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if predicate(lines[i].strip()):
            return i
    raise PageError([f"line {len(lines)}: end of page reached, expected {what}"])


def _years(values, where: str) -> list[int]:
    if not isinstance(values, list) or not values or not all(type(v) is int for v in values):
        raise PageError([f"{where}: expected 'categories' to be a list of years"])
    years = list(values)
    if any(not 1990 <= y <= 2030 for y in years) or len(set(years)) != len(years):
        raise PageError([f"{where}: expected distinct years between 1990 and 2030, found {years}"])
    return years


def _amount(value, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        return value
    raise PageError([f"{where}: expected an amount in USD millions or null, found {value!r}"])


def parse_2021(lines: list[str], operation: str | None) -> Page:
    """The 2021 edition: location, key figures, people of concern, budget blocks, contributions."""
    loc_i = _find(lines, lambda s: s.startswith('{"longitude"'), "the Location block")
    loc = _json_at(lines, loc_i, "Location")
    if not isinstance(loc, dict) or not {"longitude", "latitude", "iso_codes"} <= loc.keys():
        raise PageError([f"line {loc_i + 1}: expected longitude, latitude and iso_codes in the Location block"])
    iso = str(loc["iso_codes"]).strip("'\" ").upper()
    if not re.fullmatch(r"[A-Z]{3}", iso):
        raise PageError(
            [f"line {loc_i + 1}: expected a three-letter ISO code in iso_codes, found {loc['iso_codes']!r}"]
        )
    op = operation or iso
    name_i = _find(lines, lambda s: s.startswith("Operation:"), "the 'Operation: <name>' heading")
    name = re.sub(r"^Operation:\s*(Opération:\s*)?", "", lines[name_i].strip()).strip()
    if not name:
        raise PageError([f"line {name_i + 1}: expected the operation's name after 'Operation:'"])

    # Budget blocks: "<year> {budget} {pillar budget} {pillar expenditure}" on one line.
    b_i = _find(lines, lambda s: '{"categories"' in s, "the budget and expenditure blocks")
    text = lines[b_i].strip()
    text = text[text.index("{") :]
    decoder, blocks, pos = json.JSONDecoder(parse_float=str), [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise PageError(
                [f"line {b_i + 1}: a budget block is not valid JSON ({exc.msg} at column {exc.colno})"]
            ) from None
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
    page = Page(op, [page_src])
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
        m = re.fullmatch(rf"(\d{{4}})\s+({NUMBER})", lines[j].strip())
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
            raise PageError([f"line {g_i + 1}: expected [group name, whole number >= 0], found {item!r}"])
        group = GROUP_NAMES.get(item[0].strip().lower())
        if group is None:
            raise PageError(
                [f"line {g_i + 1}: unknown population group {item[0]!r}, expected one of {sorted(set(GROUP_NAMES))}"]
            )
        if group in seen:
            raise PageError([f"line {g_i + 1}: population group {item[0]!r} given twice"])
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
        raise PageError([f"line {index + 1}: expected a number for the map centre, found {value!r}"])
    return str(value)


def _key_figures(lines: list[str], page: Page, op: str, src: str) -> None:
    """'<year> planning figures' / '<year> year-end results' followed by lines starting with a figure."""
    start = _find(lines, lambda s: s == "Key Figures", "the 'Key Figures' heading")
    kind, year, counts = None, None, {}
    for j in range(start + 1, len(lines)):
        line = lines[j].strip()
        if line.startswith("People of Concern"):
            break
        heading = re.fullmatch(r"(\d{4}) (planning figures|year-end results)", line)
        if heading:
            year = int(heading.group(1))
            kind = "planning_target" if heading.group(2) == "planning figures" else "year_end_result"
            continue
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
                        f"line {j + 1}: key figure {m.group(1)}: expected one of the unit words "
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
        if date is None:
            raise PageError([f"{where}: the first contribution has no date (expected DD-MON-YYYY above it)"])
        private = "private donors" in parts
        parts = [p for p in parts if p != "private donors"]
        if len(parts) != 2 or not parts[1].startswith("$"):
            raise PageError([f"{where}: expected a donor name and an amount like $586,167, found {parts!r}"])
        page.add(
            "contributions.csv",
            {
                "operation": op,
                "date": date.isoformat(),
                "donor": parts[0],
                "private_donor": "true" if private else "false",
                "amount_usd": _int(parts[1][1:], f"{where}, amount"),
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
        raise PageError([f"--as-of: expected a date YYYY-MM-DD, found {as_of!r}"]) from None
    src = f"unhcr_page_{date.year}_{operation.lower()}"
    name = next((n for n, iso in known.items() if iso == operation), operation)
    page = Page(operation, [src])
    page.add(
        "sources.csv",
        {
            "source": src,
            "title": f"{name} operation page, population figures as of {date.isoformat()} "
            "(total country population: UN World Population Prospects)",
            "publisher": "UNHCR",
            "date": date.isoformat(),
            "licence": "UNHCR terms of use",
            "citation": f"UNHCR, {name} operation page (figures as of {date.isoformat()})",
            "title_fr": f"Page de l’opération {name}, chiffres de population au {date.isoformat()} "
            "(population totale du pays\u202f: Perspectives de la population mondiale des Nations Unies)",
            "licence_fr": LICENCE_FR,
            "citation_fr": f"HCR, page de l’opération {name} (chiffres au {date.isoformat()})",
        },
    )
    start = _find(lines, lambda s: s == "Population figures", "the 'Population figures' heading")
    seen: dict[str, int] = {}
    country = None
    j = start + 1
    while j < len(lines) - 1:
        label, value = lines[j].strip(), lines[j + 1].strip()
        if label == "Country context":
            break
        if re.fullmatch(rf"{NUMBER}|\S*\d\S*", value) and not re.fullmatch(rf"{NUMBER}", label):
            number = _int(value, f"line {j + 2}")
            key = re.sub(r"\s*\(.*?\)", "", label).rstrip(":").strip().lower()
            if key == "total country population":
                country = number
            else:
                group = GROUP_NAMES.get(key)
                if group is None:
                    raise PageError([f"line {j + 1}: unknown population category {label!r}"])
                if group in seen:
                    raise PageError([f"line {j + 1}: population category {label!r} given twice"])
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


def _read_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows({k: "" if r.get(k) is None else r.get(k) for k in columns} for r in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


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


def import_page(path: Path, data_dir: Path, operation: str | None = None, as_of: str | None = None) -> Page:
    """Parse `path` and write its rows into `data_dir` atomically; raise PageError or DataError, writing nothing."""
    text, lines = read_page(path)
    if operation is not None and not re.fullmatch(r"[A-Z]{3}", operation):
        raise PageError([f"--operation: expected a three-letter ISO code like MLI, found {operation!r}"])
    data_dir.mkdir(parents=True, exist_ok=True)
    if edition(lines) == "2021":
        page = parse_2021(lines, operation)
    else:
        known = dict(KNOWN_OPERATIONS)
        for row in _read_rows(data_dir / "operations.csv"):
            known[row.get("name_en", "")] = row.get("operation", "")
        page = parse_population(lines, operation, {k: v for k, v in known.items() if k}, as_of)
    merged = merge(page, data_dir)
    with tempfile.TemporaryDirectory(dir=data_dir.parent) as tmp:
        staging = Path(tmp) / "data"
        shutil.copytree(data_dir, staging)
        for name, rows in merged.items():
            _write_rows(staging / name, list(FILES[name][0].model_fields), rows)
        try:
            load(staging)
        except DataError as exc:
            raise PageError([f"after import: {p}" for p in exc.problems]) from None
        for name in merged:
            target = data_dir / name
            if target.exists() and target.read_bytes() == (staging / name).read_bytes():
                continue
            temp = data_dir / f".{name}.importing"
            shutil.copyfile(staging / name, temp)
            os.replace(temp, target)
    return page
