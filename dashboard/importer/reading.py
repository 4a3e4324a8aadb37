"""Reading an operation page: the file itself (a small UTF-8 text file), which edition it is, and the pieces
both editions are made of — figures, dates, JSON blocks, headings found once. Every refusal is a `PageError`
saying what was expected and where.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..data import FIRST_YEAR, LAST_YEAR, MAX_BUDGET_MUSD, MAX_PEOPLE, DataFileError, read_limited
from ..safety import nests_deeper, quote

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
NUMBER = r"\d{1,3}(?:,\d{3})*|\d+"
LICENCE_FR = "conditions d’utilisation du HCR"
# What a figure that is not a count looks like: a sign, or a float word (NaN, Infinity).
NOT_A_COUNT = re.compile(r"[-−–+]\s*\d|(?i:nan|inf|infinity)\b")
# Saved pages are 2-9 kB; anything past this is not one.
MAX_PAGE_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 16


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


def count(text: str, where: str, limit: int = MAX_PEOPLE) -> int:
    text = text.strip()
    if not re.fullmatch(NUMBER, text):
        raise PageError([f"{where}: expected a whole number like 275,779, found {quote(text)}"])
    digits = text.replace(",", "")
    # Compared as text first: Python refuses to convert more than 4,300 digits.
    if len(digits.lstrip("0")) > len(str(limit)) or int(digits) > limit:
        raise PageError([f"{where}: {quote(text, 40)} is not plausible, expected at most {limit:,}"])
    return int(digits)


def plausible_date(date: dt.date, where: str) -> dt.date:
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


def decoded(text: str, where: str, name: str, pos: int = 0):
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


def json_at(lines: list[str], i: int, name: str):
    text = lines[i].strip()
    value, end = decoded(text, f"line {i + 1}", name)
    if text[end:].strip():
        raise PageError([f"line {i + 1}: the {name} block is not valid JSON (Extra data at column {end + 1})"])
    return value


def find_line(lines: list[str], predicate, what: str, start: int = 0) -> int:
    """The first line from `start` that matches; refused when none does or when another one does too
    (a section given twice would add its figures twice)."""
    found = [i for i in range(start, len(lines)) if predicate(lines[i].strip())]
    if not found:
        raise PageError([f"line {len(lines)}: end of page reached, expected {what}"])
    if len(found) > 1:
        raise PageError([f"line {found[1] + 1}: {what} again (first on line {found[0] + 1}), expected it once"])
    return found[0]


def years_of(values, where: str) -> list[int]:
    if not isinstance(values, list) or not values or not all(type(v) is int for v in values):
        raise PageError([f"{where}: expected 'categories' to be a list of years"])
    years = list(values)
    if any(not FIRST_YEAR <= y <= LAST_YEAR for y in years) or len(set(years)) != len(years):
        raise PageError(
            [f"{where}: expected distinct years between {FIRST_YEAR} and {LAST_YEAR}, found {quote(str(years))}"]
        )
    return years


def amount(value, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):
        if float(value) > MAX_BUDGET_MUSD:
            raise PageError(
                [f"{where}: {quote(value, 40)} million USD is not plausible, expected at most {MAX_BUDGET_MUSD:,}"]
            )
        return value
    raise PageError([f"{where}: expected an amount in USD millions or null, found {quote(str(value))}"])
