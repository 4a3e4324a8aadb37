"""What a data file holds: the vocabularies, the plausibility bounds and one pydantic model per CSV row.

A row model checks types, vocabularies and bounds of one row on its own; what needs several rows or files is
`checks`. `FILES` maps each file to its row model and the columns that must be unique.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ..names import countries

GROUPS = (
    "refugees",
    "asylum_seekers",
    "idps",
    "returned_idps",
    "returned_refugees",
    "oip",
    "stateless",
    "host_community",
    "ooc",
)
PILLARS = ("p1", "p2", "p3", "p4")
OFFICE_TYPES = ("country_office", "sub_office", "field_office", "field_unit")
DATASETS = ("page", "statistics")
FIRST_YEAR, LAST_YEAR = 1990, 2030
# Plausibility bounds, far above any real figure and far below what overflows a 64-bit column: people in one
# figure (the largest country has 1.5 billion), one contribution in USD (UNHCR's yearly budget is about
# USD 10 billion), a budget line in USD millions.
MAX_PEOPLE = 2_000_000_000
MAX_AMOUNT_USD = 10_000_000_000
MAX_BUDGET_MUSD = 100_000
# Explicit direction marks (embeddings, overrides, isolates) that can make text display in another order.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _blank_to_none(value):
    return None if isinstance(value, str) and value.strip() == "" else value


def _no_control_characters(value: str) -> str:
    """Names and labels are shown on screen and written into downloads: a NUL, a line break or a bidi
    override inside one would corrupt a CSV line or disguise the text."""
    for position, char in enumerate(value, start=1):
        if unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS:
            raise PydanticCustomError(
                "control_character",
                "text without control characters (found U+{code} at character {position})",
                {"code": f"{ord(char):04X}", "position": position},
            )
    return value


def _bool_word(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(ge=0, le=MAX_PEOPLE)]
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT_USD)]
Date = Annotated[dt.date, Field(ge=dt.date(FIRST_YEAR, 1, 1), le=dt.date(LAST_YEAR, 12, 31))]
ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control_characters)]
OptionalMoney = Annotated[
    Annotated[float, Field(ge=0, le=MAX_BUDGET_MUSD, allow_inf_nan=False)] | None, BeforeValidator(_blank_to_none)
]
OptionalFloat = Annotated[Annotated[float, Field(allow_inf_nan=False)] | None, BeforeValidator(_blank_to_none)]
StrictBool = Annotated[bool, BeforeValidator(_bool_word)]
Month = Annotated[str, Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$")]
# A statistics release as UNHCR names it ("2025.12": year and month), and the day figures were fetched.
Release = Annotated[Annotated[str, Field(pattern=r"^\d{4}\.(0[1-9]|1[0-2])$")] | None, BeforeValidator(_blank_to_none)]
OptionalDate = Annotated[Date | None, BeforeValidator(_blank_to_none)]


def _known_country(code: str | None) -> str | None:
    if code is not None and code.isupper() and code not in countries():
        raise PydanticCustomError("unknown_country", "an ISO3 code of the UN countries taxonomy (hdx-python-country)")
    return code


# A donor's ISO3 code, `private` (private donors without a country) or an organisation id in lower case;
# empty when the donor is none of these (its name is then shown as printed in both languages).
DonorCode = Annotated[
    Annotated[str, Field(pattern=r"^([A-Z]{3}|[a-z][a-z0-9_]{1,30})$")] | None,
    BeforeValidator(_blank_to_none),
    AfterValidator(_known_country),
]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class SourceRow(Row):
    source: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    publisher: Text
    date: str
    licence: Text
    citation: Text
    title_fr: Text
    licence_fr: Text
    citation_fr: Text
    # Where a source is fetched again and again (`python -m dashboard refresh`): the release its figures come
    # from and the day the refresh that brought them ran; the source line says both. Empty for other sources.
    release: Release
    retrieved: OptionalDate


class OperationRow(Row):
    operation: ISO3
    name_en: Text
    name_fr: Text
    centre_lon: Annotated[float, Field(ge=-180, le=180)]
    centre_lat: Annotated[float, Field(ge=-90, le=90)]
    default_year: Year
    source: str


class PopulationGroupRow(Row):
    operation: ISO3
    dataset: Literal[DATASETS]
    year: Year
    as_of: Date
    group: Literal[GROUPS]
    value: Count
    source: str


class PopulationTotalRow(Row):
    operation: ISO3
    dataset: Literal[DATASETS]
    year: Year
    as_of: Date
    value: Count
    source: str


class CountryPopulationRow(Row):
    operation: ISO3
    year: Year
    as_of: Date
    value: Count
    source: str


class BudgetRow(Row):
    operation: ISO3
    year: Year
    kind: Literal["budget", "expenditure"]
    pillar: Literal[("total", *PILLARS)]
    usd_millions: OptionalMoney
    source: str


class ContributionRow(Row):
    operation: ISO3
    date: Date
    donor: Text
    private_donor: StrictBool
    amount_usd: Amount
    donor_code: DonorCode
    source: str


class KeyFigureRow(Row):
    operation: ISO3
    year: Year
    kind: Literal["planning_target", "year_end_result"]
    value: Annotated[float, Field(ge=0, le=MAX_PEOPLE, allow_inf_nan=False)]
    unit: Literal["percent", "people", "incidents", "children", "families", "households"]
    label_en: Text
    label_fr: Text
    source: str


class OfficeRow(Row):
    operation: ISO3
    office: Text
    office_fr: Text
    town: Text
    office_type: Literal[OFFICE_TYPES]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    as_of: Month
    source: str


class RegionFigureRow(Row):
    operation: ISO3
    region_en: Text
    region_fr: Text
    iso_3166_2: Annotated[
        Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None, BeforeValidator(_blank_to_none)
    ]
    lat: OptionalFloat
    lon: OptionalFloat
    group: Literal["refugees_and_asylum_seekers"]
    value: Count
    as_of: Date
    source: str


# File name -> (row model, key columns that must be unique).
FILES: dict[str, tuple[type[Row], tuple[str, ...]]] = {
    "sources.csv": (SourceRow, ("source",)),
    "operations.csv": (OperationRow, ("operation",)),
    "population_groups.csv": (PopulationGroupRow, ("operation", "dataset", "year", "group")),
    "population_totals.csv": (PopulationTotalRow, ("operation", "dataset", "year")),
    "country_population.csv": (CountryPopulationRow, ("operation", "year")),
    "budget.csv": (BudgetRow, ("operation", "year", "kind", "pillar")),
    "contributions.csv": (ContributionRow, ()),
    "key_figures.csv": (KeyFigureRow, ("operation", "year", "kind", "label_en")),
    "offices.csv": (OfficeRow, ("operation", "office")),
    "region_figures.csv": (RegionFigureRow, ("operation", "region_en", "group", "as_of")),
}
GEO_FILES = {"outline": "geo/outline.geojson", "regions": "geo/regions.geojson"}
