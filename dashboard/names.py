"""Names from the data in the user's language, and a search that ignores accents and case.

Country names come from OCHA's Countries & Territories taxonomy (UN short names in English, French and
four other UN languages) as shipped, offline, inside `hdx-python-country`. We read that file directly
rather than through `hdx.location.country.Country`: the class pulls in `frictionless`, `requests` and ~700
modules (+46 MB and 0.35 s per worker), while the rows we need fit in a dict. tests/test_names.py checks
that both agree for every country.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib.resources import files

import pandas as pd

# The file `Country.countriesdata(use_live=False)` reads (hdx.location.country.Country._ochapath_default).
TAXONOMY = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
ISO3_COLUMN = "ISO 3166-1 Alpha 3-Codes"
# Every column that names a country, as hdx-python-country matches them (English, French and alternates).
NAME_COLUMNS = (
    "Preferred Term",
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW Short Name",
    "RW API Alt Term",
    "English Short",
    "French Short",
    "English Formal",
    "M49 English",
    "M49 French",
)
# A donor that is not a country: "private donors" with no country named.
PRIVATE = "private"
_PRIVATE_NAMES = {"en": "private donors", "fr": "donateurs privés"}


@cache
def countries() -> dict[str, dict[str, str]]:
    """Taxonomy rows (their name columns) by ISO3 code; territories without an official ISO3 code are left
    out, as hdx does."""
    text = files("hdx.location").joinpath(TAXONOMY).read_text(encoding="utf-8-sig")
    return {
        row[ISO3_COLUMN].upper(): {c: row[c] for c in NAME_COLUMNS}
        for row in csv.DictReader(text.splitlines())
        if row[ISO3_COLUMN]
    }


def _french_apostrophe(text: str) -> str:
    return text.replace("'", "’")


@cache
def country_name(iso3: str, lang: str) -> str | None:
    """UN short name ('Republic of Korea' / 'République de Corée'); None for an unknown code."""
    row = countries().get(iso3.upper())
    if row is None:
        return None
    if lang == "fr":
        return _french_apostrophe(row["French Short"] or row["M49 French"]) or None
    return row["English Short"] or row["Preferred Term"] or None


def search_key(text: str) -> str:
    """Text folded for matching: accents dropped (NFKD), case folded, apostrophes and spaces unified."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("’", "'").replace("‘", "'").casefold()
    return re.sub(r"\s+", " ", bare).strip()


def matches(query: str, *names: str) -> bool:
    """True when the query, folded, is part of any of the names, folded; an empty query matches all."""
    key = search_key(query)
    return not key or any(key in search_key(name) for name in names if name)


@cache
def _codes_by_name() -> dict[str, str]:
    """Folded name -> ISO3; a country's preferred name wins over another country's alternate name."""
    index: dict[str, str] = {}
    for column in NAME_COLUMNS:
        for iso3, row in countries().items():
            if row.get(column):
                index.setdefault(search_key(row[column]), iso3)
    return index


def donor_code(published: str) -> str:
    """The code stored beside a donor's published name: its ISO3 code, `private` for private donors
    without a country, or '' when the name is none of these (it is then shown as printed)."""
    key = search_key(published)
    if key in ("private donors", "private donor"):
        return PRIVATE
    return _codes_by_name().get(key, "")


def _code_and_name(row_or_code, published):
    if row_or_code is None or isinstance(row_or_code, str):
        return row_or_code or "", published
    get = row_or_code.get if hasattr(row_or_code, "get") else lambda k: getattr(row_or_code, k, None)
    code = get("donor_code")
    return ("" if not isinstance(code, str) else code), (published if published is not None else get("donor"))


def donor_name(row_or_code, published: str | None, lang: str) -> str:
    """A donor's name in `lang`: in English exactly as the source printed it; in French the UN short name
    for a country code, 'donateurs privés' for `private`, else the printed name.

    `row_or_code` is a contributions row (mapping or namedtuple with `donor_code` and `donor`, `published`
    may then be None) or a code.
    """
    code, published = _code_and_name(row_or_code, published)
    if lang != "fr":
        return published or (_PRIVATE_NAMES["en"] if code == PRIVATE else code)
    if code == PRIVATE:
        return _PRIVATE_NAMES["fr"]
    return (country_name(code, "fr") if code else None) or published or code


def donor_search_names(row_or_code, published: str | None = None) -> tuple[str, ...]:
    """Every name a donor may be searched by: the printed one, and the English and French UN names."""
    code, published = _code_and_name(row_or_code, published)
    names = [published or ""]
    if code == PRIVATE:
        names += _PRIVATE_NAMES.values()
    elif code:
        row = countries().get(code.upper(), {})
        names += [row.get(c, "") for c in NAME_COLUMNS]
    return tuple(dict.fromkeys(n for n in names if n))


@cache
def _donor_keys(code: str, published: str) -> tuple[str, ...]:
    return tuple(search_key(n) for n in donor_search_names(code, published))


def donor_mask(frame: pd.DataFrame, query: str) -> pd.Series:
    """Which rows of a contributions frame a donor search finds, by any of their names in either language
    ('Corée' and 'korea' both find 'Republic of Korea'); use as `frame[donor_mask(frame, query)]`.

    A boolean Series on the frame's index, so an empty frame stays a frame with its columns."""
    key = search_key(query)
    codes = frame["donor_code"] if "donor_code" in frame else [None] * len(frame)
    found = [
        not key or any(key in k for k in _donor_keys(c if isinstance(c, str) else "", str(p)))
        for c, p in zip(codes, frame["donor"], strict=True)
    ]
    return pd.Series(found, index=frame.index, dtype=bool)


def office_name(row, lang: str) -> str:
    """An office's name in `lang` from its offices.csv row ('Timbuktu' / 'Tombouctou')."""
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k, None)
    french = get("office_fr")
    if lang == "fr" and isinstance(french, str) and french:
        return french
    return get("office")


def operation_name(ds, operation: str, lang: str) -> str:
    """An operation's name in `lang`, from operations.csv ('Mali'); `ds` is the loaded Dataset."""
    return str(ds.operations.loc[operation, "name_fr" if lang == "fr" else "name_en"])
