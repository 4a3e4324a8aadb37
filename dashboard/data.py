"""Read and validate the tidy files in the data directory, and return pandas frames.

Each CSV row goes through a pydantic model (types, vocabularies, no negatives); then cross-file checks run
(known operations and sources, no duplicates, totals that agree with their groups, pillars that add up to the
year's total). Every problem becomes one line naming the file, the line, the field, the value and what was
expected; `DataError` carries them all so a maintainer can fix a file in one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .names import countries
from .safety import nests_deeper, quote

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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
# Size limits (stated in data/README.md): far above the real files (8 kB, 18 kB), far below what would make
# the check slow or the server's memory large.
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_BYTES = 20 * 1024 * 1024
MAX_GEOJSON_DEPTH = 16  # a MultiPolygon feature collection nests 7 deep
MAX_PROBLEMS_PER_FILE = 50
# Pillars must add up to the total within the source's rounding: USD 1,000 (0.001 million).
PILLAR_TOLERANCE_MUSD = 0.001


class DataFileError(Exception):
    """A file of the data directory that cannot be read as a file; `reason` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DataError(Exception):
    """Invalid data: `problems` holds one human-readable line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


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


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class SourceRow(_Row):
    source: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: Text
    publisher: Text
    date: str
    licence: Text
    citation: Text
    title_fr: Text
    licence_fr: Text
    citation_fr: Text


class OperationRow(_Row):
    operation: ISO3
    name_en: Text
    name_fr: Text
    centre_lon: Annotated[float, Field(ge=-180, le=180)]
    centre_lat: Annotated[float, Field(ge=-90, le=90)]
    default_year: Year
    source: str


class PopulationGroupRow(_Row):
    operation: ISO3
    dataset: Literal[DATASETS]
    year: Year
    as_of: Date
    group: Literal[GROUPS]
    value: Count
    source: str


class PopulationTotalRow(_Row):
    operation: ISO3
    dataset: Literal[DATASETS]
    year: Year
    as_of: Date
    value: Count
    source: str


class CountryPopulationRow(_Row):
    operation: ISO3
    year: Year
    as_of: Date
    value: Count
    source: str


class BudgetRow(_Row):
    operation: ISO3
    year: Year
    kind: Literal["budget", "expenditure"]
    pillar: Literal[("total", *PILLARS)]
    usd_millions: OptionalMoney
    source: str


class ContributionRow(_Row):
    operation: ISO3
    date: Date
    donor: Text
    private_donor: StrictBool
    amount_usd: Amount
    donor_code: DonorCode
    source: str


class KeyFigureRow(_Row):
    operation: ISO3
    year: Year
    kind: Literal["planning_target", "year_end_result"]
    value: Annotated[float, Field(ge=0, le=MAX_PEOPLE, allow_inf_nan=False)]
    unit: Literal["percent", "people", "incidents", "children", "families", "households"]
    label_en: Text
    label_fr: Text
    source: str


class OfficeRow(_Row):
    operation: ISO3
    office: Text
    office_fr: Text
    town: Text
    office_type: Literal[OFFICE_TYPES]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    as_of: Month
    source: str


class RegionFigureRow(_Row):
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
FILES: dict[str, tuple[type[_Row], tuple[str, ...]]] = {
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

_EXPECTED = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "greater_than_equal": "a number >= {ge}",
    "less_than_equal": "a number <= {le}",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "bool_parsing": "true or false",
    "string_pattern_mismatch": "text matching {pattern}",
    "string_too_short": "a non-empty text",
    "string_too_long": "at most {max_length} characters",
    "literal_error": "one of {expected}",
    "missing": "a value",
    "extra_forbidden": "no such column",
}


DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _expected(error: dict) -> str:
    template = _EXPECTED.get(error["type"])
    if template is None:
        return error["msg"]
    ctx = error.get("ctx") or {}
    if any(isinstance(v, str) and DATE_LIKE.fullmatch(v) for v in ctx.values()):
        template = template.replace("a number", "a date")
    return template.format(**ctx)


@dataclass(frozen=True, eq=False)
class Dataset:
    """All frames of one data directory. Frames are shared: callers must not mutate them.

    Compared and hashed by identity, so builders can cache results per (dataset, selection).
    """

    directory: Path
    sources: pd.DataFrame
    operations: pd.DataFrame
    population_groups: pd.DataFrame
    population_totals: pd.DataFrame
    country_population: pd.DataFrame
    budget: pd.DataFrame
    contributions: pd.DataFrame
    key_figures: pd.DataFrame
    offices: pd.DataFrame
    region_figures: pd.DataFrame
    geo: dict
    # What the files say, as 12 hex digits of a SHA-256 over every file's name and bytes: pages, answers,
    # downloads and saved copies carry it, so nothing mixes figures of two versions of the data.
    version: str = ""
    # The latest reference date in the files (YYYY-MM-DD), for people to read beside the version.
    as_of: str = ""

    def source(self, source_id: str) -> dict:
        """One row of sources.csv as a dict, with its id."""
        return self.sources.loc[source_id].to_dict() | {"source": source_id}


_FILE_TYPES = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket"}


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of regular file `path`, or DataFileError saying in a few words why it cannot be read.

    Opened without blocking (a FIFO would otherwise wait forever for a writer) and checked on the open file,
    so what is read is what was checked; at most `limit` bytes are ever read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if path.is_symlink():
            raise DataFileError(f"a symbolic link to {quote(os.readlink(path))}, which does not exist") from None
        raise DataFileError("missing") from None
    except OSError as exc:
        reason = "a symbolic link that loops" if exc.errno == errno.ELOOP else exc.strerror or "unreadable"
        raise DataFileError(f"cannot be opened: {reason.lower()}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _FILE_TYPES.get(stat.S_IFMT(info.st_mode), "a device")
            raise DataFileError(f"is {kind}, expected a file")
        if info.st_size > limit:
            raise DataFileError(f"{info.st_size:,} bytes, larger than the limit of {limit:,} bytes (data/README.md)")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise DataFileError(f"cannot be read: {(exc.strerror or 'unreadable').lower()}") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew after it was checked
        raise DataFileError(f"larger than the limit of {limit:,} bytes")
    return data


def _read_csv(
    path: Path, model: type[_Row], problems: list[str], content: bytes | None = None, digest=None
) -> tuple[list[dict], list[int]]:
    name = path.name
    file_problems: list[str] = []
    try:
        data = read_limited(path, MAX_CSV_BYTES) if content is None else content
        if digest is not None:
            _digest_file(digest, name, data)
        rows, lines = _parse_csv(name, data, model, file_problems)
    except DataFileError as exc:
        file_problems.append(
            f"{name}: " + (f"file missing in {path.parent}" if exc.reason == "missing" else exc.reason)
        )
        rows, lines = [], []
    if len(file_problems) > MAX_PROBLEMS_PER_FILE:
        more = len(file_problems) - MAX_PROBLEMS_PER_FILE
        file_problems[MAX_PROBLEMS_PER_FILE:] = [f"{name}: {more:,} more problems not shown"]
    problems.extend(file_problems)
    return rows, lines


def _parse_csv(name: str, data: bytes, model: type[_Row], problems: list[str]) -> tuple[list[dict], list[int]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{name}: byte {exc.start}: not UTF-8 text (expected a UTF-8 CSV file)")
        return [], []
    # Only CR and LF end a line (str.splitlines would also split at U+2028 and other separators in a name).
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse_rows(name, reader, model, problems)
    except csv.Error as exc:
        # The csv module's own limit: a field longer than csv.field_size_limit() (131,072 characters).
        problems.append(f"{name}: line {reader.line_num}: {exc} (expected a CSV field of at most 200 characters)")
        return [], []


def _parse_rows(name: str, reader, model: type[_Row], problems: list[str]) -> tuple[list[dict], list[int]]:
    header = next(reader, None)
    expected = list(model.model_fields)
    if header is None:
        problems.append(f"{name}: empty file (expected a header line: {','.join(expected)})")
        return [], []
    header = [h.strip() for h in header]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for column in missing:
        problems.append(f"{name}: line 1, header: column '{column}' missing (expected columns: {','.join(expected)})")
    for column in extra:
        problems.append(
            f"{name}: line 1, header: unknown column {quote(column)} (expected columns: {','.join(expected)})"
        )
    if missing or extra or len(set(header)) != len(header):
        if not (missing or extra):
            problems.append(f"{name}: line 1, header: a column appears twice")
        return [], []
    rows, lines = [], []
    end = reader.line_num
    for cells in reader:
        # A row starts on the line after the previous one ended (a quoted field may span lines).
        line, end = end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"{name}: line {line}: {len(cells)} fields, expected {len(header)}")
            continue
        raw = dict(zip(header, cells, strict=True))
        try:
            rows.append(model.model_validate(raw).model_dump())
            lines.append(line)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "row"
                value = raw.get(str(err["loc"][0]), "") if err["loc"] else ""
                problems.append(
                    f"{name}: line {line}, field '{field}': value {quote(str(value))}, expected {_expected(err)}"
                )
    return rows, lines


def _frame(rows: list[dict], lines: list[int], model: type[_Row]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(model.model_fields))
    frame["line"] = lines
    return frame


def _check_unique(name: str, frame: pd.DataFrame, keys: tuple[str, ...], problems: list[str]) -> None:
    if not keys or frame.empty:
        return
    dup = frame[frame.duplicated(list(keys), keep="first")]
    for _, row in dup.iterrows():
        key = ", ".join(f"{k}={row[k]}" for k in keys)
        problems.append(
            f"{name}: line {row['line']}, field '{keys[-1]}': duplicate entry ({key}), expected one row per key"
        )


def _check_refs(name: str, frame: pd.DataFrame, column: str, known: set, what: str, problems: list[str]) -> None:
    for _, row in frame[~frame[column].isin(known)].iterrows():
        problems.append(
            f"{name}: line {row['line']}, field '{column}': value {quote(str(row[column]))}, expected a {what}"
        )


def _check_totals(groups: pd.DataFrame, totals: pd.DataFrame, problems: list[str]) -> None:
    """Where the source gives a total and its groups, they must agree exactly."""
    sums = groups.groupby(["operation", "dataset", "year"])["value"].sum()
    for _, row in totals.iterrows():
        key = (row["operation"], row["dataset"], row["year"])
        if key in sums.index and sums[key] != row["value"]:
            problems.append(
                f"population_totals.csv: line {row['line']}, field 'value': value {row['value']}, "
                f"expected {sums[key]} (the sum of its groups in population_groups.csv)"
            )


def _check_pillars(budget: pd.DataFrame, problems: list[str]) -> None:
    """The four pillars add up to each year's total within rounding; a missing total has no pillars.

    Column-wise (grouped sums joined to the totals), so 150 operations x 30 years check in milliseconds.
    """
    keys = ["operation", "year", "kind"]
    parts = budget[budget["pillar"] != "total"].groupby(keys)
    pillars = pd.DataFrame({"sum": parts["usd_millions"].sum(min_count=1), "first_line": parts["line"].min()})
    totals = budget[budget["pillar"] == "total"].set_index(keys)[["usd_millions", "line"]]
    joined = pillars.join(totals, how="left")
    for (op, year, kind), row in joined[joined["line"].isna()].iterrows():
        problems.append(
            f"budget.csv: line {int(row['first_line'])}, field 'pillar': {op} {year} {kind} has pillars but no total "
            "row, expected a row with pillar 'total'"
        )
    present = joined[joined["line"].notna() & joined["sum"].notna()]
    for (op, year, kind), row in present[present["usd_millions"].isna()].iterrows():
        problems.append(
            f"budget.csv: line {int(row['line'])}, field 'usd_millions': empty total for {op} {year} {kind}, "
            f"expected {row['sum']:.8f} (the sum of its pillars)"
        )
    off = present[
        present["usd_millions"].notna() & ((present["sum"] - present["usd_millions"]).abs() > PILLAR_TOLERANCE_MUSD)
    ]
    for _, row in off.iterrows():
        problems.append(
            f"budget.csv: line {int(row['line'])}, field 'usd_millions': value {row['usd_millions']!r}, "
            f"expected {row['sum']:.8f} (the sum of pillars p1-p4, within {PILLAR_TOLERANCE_MUSD} million)"
        )


def _check_ring(name: str, index: int, ring, problems: list[str]) -> bool:
    ok = (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(p, list)
            and len(p) >= 2
            and all(isinstance(c, (int, float)) for c in p[:2])
            and -180 <= p[0] <= 180
            and -90 <= p[1] <= 90
            for p in ring
        )
        and ring[0][:2] == ring[-1][:2]
    )
    if not ok:
        problems.append(
            f"{name}: feature {index}, field 'geometry': invalid ring, expected a closed list of >= 4 [lon, lat] points"
        )
    return ok


def _digest_file(digest, name: str, data: bytes) -> None:
    digest.update(f"{name}\0{len(data)}\0".encode())
    digest.update(data)


def _read_geojson(directory: Path, rel: str, keys: tuple[str, ...], problems: list[str], digest=None) -> dict | None:
    path = directory / rel
    if not os.path.lexists(path):
        return None
    try:
        raw = read_limited(path, MAX_GEOJSON_BYTES)
        if digest is not None:
            _digest_file(digest, rel, raw)
        data = json.loads(raw.decode("utf-8"))
    except DataFileError as exc:
        problems.append(f"{rel}: {exc}")
        return None
    except ValueError as exc:  # not UTF-8, not JSON, or a number of thousands of digits
        problems.append(f"{rel}: not valid GeoJSON ({str(exc)[:200]}), expected a UTF-8 JSON FeatureCollection")
        return None
    except RecursionError:
        data = None
    if data is None or nests_deeper(data, MAX_GEOJSON_DEPTH):
        problems.append(f"{rel}: lists or objects nested more than {MAX_GEOJSON_DEPTH} deep, expected GeoJSON")
        return None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(f"{rel}: top level, field 'type': expected a FeatureCollection with a list of features")
        return None
    for i, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        for key in keys:
            if not isinstance(props, dict) or not isinstance(props.get(key), str) or not props[key]:
                problems.append(f"{rel}: feature {i}, field 'properties.{key}': missing, expected a text")
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind == "Polygon":
            polygons = [geom.get("coordinates")]
        elif kind == "MultiPolygon":
            polygons = geom.get("coordinates")
        else:
            problems.append(
                f"{rel}: feature {i}, field 'geometry.type': value {kind!r}, expected Polygon or MultiPolygon"
            )
            continue
        for polygon in polygons if isinstance(polygons, list) else [None]:
            if not isinstance(polygon, list) or not polygon:
                problems.append(f"{rel}: feature {i}, field 'geometry': empty polygon, expected rings")
                continue
            for ring in polygon:
                if not _check_ring(rel, i, ring, problems):
                    break
    return data


def interrupted_imports(directory: Path) -> list[Path]:
    """Working directories of imports that stopped while replacing files (see importer.py)."""
    return sorted(p.parent for p in directory.glob(".import-*/journal.json"))


def load(directory: str | os.PathLike | None = None, replacing: dict[str, bytes] | None = None) -> Dataset:
    """Validate every file of `directory` and return its frames, or raise DataError with all problems.

    `replacing` gives the content of some CSV files by name instead of the files on disk (the importer
    checks the directory as it would be after an import before writing anything).
    """
    directory = Path(directory) if directory else DEFAULT_DATA_DIR
    replacing = replacing or {}
    problems: list[str] = []
    if not directory.is_dir():
        raise DataError([f"{directory}: no such data directory"])
    try:
        os.scandir(directory).close()
    except OSError as exc:
        raise DataError([f"{directory}: the data directory cannot be read ({(exc.strerror or '').lower()})"]) from None
    if interrupted_imports(directory):
        raise DataError(
            [
                f"{directory}: an import stopped while replacing files, so they may be a mix of old and new; "
                "run `python -m dashboard import` again (it first restores the files as they were)"
            ]
        )
    frames: dict[str, pd.DataFrame] = {}
    digest = hashlib.sha256()
    for name, (model, keys) in FILES.items():
        rows, lines = _read_csv(directory / name, model, problems, replacing.get(name), digest)
        frame = _frame(rows, lines, model)
        _check_unique(name, frame, keys, problems)
        frames[name] = frame

    sources = frames["sources.csv"]
    operations = frames["operations.csv"]
    known_sources, known_ops = set(sources["source"]), set(operations["operation"])
    for name, frame in frames.items():
        if name != "sources.csv":
            _check_refs(name, frame, "source", known_sources, "source listed in sources.csv", problems)
        if name not in ("sources.csv", "operations.csv"):
            _check_refs(name, frame, "operation", known_ops, "operation listed in operations.csv", problems)
    _check_totals(frames["population_groups.csv"], frames["population_totals.csv"], problems)
    _check_pillars(frames["budget.csv"], problems)

    geo = {
        "outline": _read_geojson(directory, GEO_FILES["outline"], ("iso3", "name"), problems, digest),
        "regions": _read_geojson(directory, GEO_FILES["regions"], ("iso_3166_2", "name", "name_fr"), problems, digest),
    }
    regions = frames["region_figures.csv"]
    known_codes = {
        f["properties"]["iso_3166_2"]
        for f in (geo["regions"] or {}).get("features", [])
        if isinstance(f, dict)
        and isinstance(f.get("properties"), dict)
        and isinstance(f["properties"].get("iso_3166_2"), str)
    }
    for _, row in regions.iterrows():
        has_point = not pd.isna(row["lat"]) and not pd.isna(row["lon"])
        if pd.isna(row["iso_3166_2"]) and not has_point:
            problems.append(
                f"region_figures.csv: line {row['line']}, field 'iso_3166_2': empty, "
                "expected a region code of geo/regions.geojson or a lat/lon point"
            )
        elif not pd.isna(row["iso_3166_2"]) and row["iso_3166_2"] not in known_codes:
            problems.append(
                f"region_figures.csv: line {row['line']}, field 'iso_3166_2': value {row['iso_3166_2']!r}, "
                "expected a region code of geo/regions.geojson"
            )
    if problems:
        raise DataError(problems)

    budget = frames["budget.csv"].rename(columns={"usd_millions": "musd"})
    budget["musd"] = budget["musd"].astype("float64")
    contributions = frames["contributions.csv"].copy()
    contributions["date"] = pd.to_datetime(contributions["date"])
    contributions["year"] = contributions["date"].dt.year
    return Dataset(
        directory=directory,
        sources=sources.drop(columns="line").set_index("source"),
        operations=operations.drop(columns="line").set_index("operation"),
        population_groups=frames["population_groups.csv"].drop(columns="line"),
        population_totals=frames["population_totals.csv"].drop(columns="line"),
        country_population=frames["country_population.csv"].drop(columns="line"),
        budget=budget.drop(columns="line"),
        contributions=contributions.drop(columns="line").sort_values("date", ascending=False, kind="stable"),
        key_figures=frames["key_figures.csv"].drop(columns="line"),
        offices=frames["offices.csv"].drop(columns="line"),
        region_figures=regions.drop(columns="line"),
        geo=geo,
        version=digest.hexdigest()[:12],
        as_of=_latest_date(frames),
    )


def _latest_date(frames: dict[str, pd.DataFrame]) -> str:
    """The latest `as_of` (or contribution date) in any file, as YYYY-MM-DD (a month counts as its first day)."""
    dates = [
        str(value)[:10] if len(str(value)) >= 10 else f"{value}-01"
        for name, frame in frames.items()
        for column in ("as_of", "date")
        if column in frame.columns
        for value in frame[column].dropna()
    ]
    return max(dates, default="")


@cache
def _by_operation(ds: Dataset, name: str) -> dict[str, pd.DataFrame]:
    frame = getattr(ds, name)
    return {str(op): part for op, part in frame.groupby("operation", sort=False)}


SPLIT_FRAMES = (
    "population_groups",
    "population_totals",
    "budget",
    "contributions",
    "key_figures",
    "offices",
    "region_figures",
)


def split_by_operation(ds: Dataset) -> None:
    """Split every frame per operation now, at start-up, rather than on a first request in each worker
    (and so before gc.freeze(), which then keeps those many small frames out of collections)."""
    for name in SPLIT_FRAMES:
        _by_operation(ds, name)


def rows_of(ds: Dataset, name: str, operation: str) -> pd.DataFrame:
    """The rows of one operation in frame `name`, split once per dataset: builders stay O(operation)."""
    return _by_operation(ds, name).get(operation, getattr(ds, name).iloc[0:0])


def data_dir_from_env() -> Path:
    value = os.environ.get("DASHBOARD_DATA_DIR")
    return Path(value) if value else DEFAULT_DATA_DIR


@cache
def get_dataset(directory: Path | None = None) -> Dataset:
    """The dataset of DASHBOARD_DATA_DIR (or the shipped data/), loaded once per process."""
    return load(directory or data_dir_from_env())
