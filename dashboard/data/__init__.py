"""Read and validate the tidy files in the data directory, and return pandas frames.

Each CSV row goes through a pydantic model (`schema`: types, vocabularies, no negatives), read safely
(`reading`); then cross-file checks run (`checks`: known operations and sources, no duplicates, totals that
agree with their groups, pillars that add up to the year's total). Every problem becomes one line naming the
file, the line, the field, the value and what was expected; `DataError` carries them all so a maintainer can
fix a file in one pass. `Dataset` holds the frames, loaded once per process (`get_dataset`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .checks import check_pillars, check_references, check_regions, check_totals, check_unique
from .locking import LockTimeout, directory_lock
from .reading import (
    MAX_CSV_BYTES,
    DataError,
    DataFileError,
    read_csv,
    read_geojson,
    read_limited,
    to_frame,
)
from .schema import (
    DATASETS,
    FILES,
    FIRST_YEAR,
    GEO_FILES,
    GROUPS,
    LAST_YEAR,
    MAX_AMOUNT_USD,
    MAX_BUDGET_MUSD,
    MAX_PEOPLE,
    OFFICE_TYPES,
    PILLARS,
)

__all__ = [
    "DATASETS",
    "DEFAULT_DATA_DIR",
    "FILES",
    "FIRST_YEAR",
    "GROUPS",
    "LAST_YEAR",
    "MAX_AMOUNT_USD",
    "MAX_BUDGET_MUSD",
    "MAX_CSV_BYTES",
    "MAX_PEOPLE",
    "OFFICE_TYPES",
    "PILLARS",
    "DataError",
    "DataFileError",
    "LockTimeout",
    "Dataset",
    "data_dir_from_env",
    "freshness",
    "get_dataset",
    "directory_lock",
    "interrupted_imports",
    "load",
    "read_limited",
    "rows_of",
    "split_by_operation",
]

# How long a load waits for an import under way (which takes well under a second) to finish.
IMPORT_WAIT_SECONDS = 60
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


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


def interrupted_imports(directory: Path) -> list[Path]:
    """Working directories of imports that stopped while replacing files (see dashboard.importer)."""
    return sorted(p.parent for p in directory.glob(".import-*/journal.json"))


def load(directory: str | os.PathLike | None = None, replacing: dict[str, bytes] | None = None) -> Dataset:
    """Validate every file of `directory` and return its frames, or raise DataError with all problems.

    `replacing` gives the content of some CSV files by name instead of the files on disk (the importer
    checks the directory as it would be after an import before writing anything). Reads under the
    directory's shared lock (`locking`): an import under way is waited for, never read halfway.
    """
    directory = Path(directory) if directory else DEFAULT_DATA_DIR
    replacing = replacing or {}
    if not directory.is_dir():
        raise DataError([f"{directory}: no such data directory"])
    try:
        os.scandir(directory).close()
    except OSError as exc:
        raise DataError([f"{directory}: the data directory cannot be read ({(exc.strerror or '').lower()})"]) from None
    try:
        with directory_lock(directory, exclusive=False, wait=IMPORT_WAIT_SECONDS):
            return _read(directory, replacing)
    except LockTimeout:
        raise DataError(
            [f"{directory}: an import held the data directory for {IMPORT_WAIT_SECONDS} s; try again"]
        ) from None


def _read(directory: Path, replacing: dict[str, bytes]) -> Dataset:
    """Read and check every file of `directory` (its lock held)."""
    problems: list[str] = []
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
        rows, lines = read_csv(directory / name, model, problems, replacing.get(name), digest)
        frame = to_frame(rows, lines, model)
        check_unique(name, frame, keys, problems)
        frames[name] = frame

    sources = frames["sources.csv"]
    operations = frames["operations.csv"]
    check_references(frames, problems)
    check_totals(frames["population_groups.csv"], frames["population_totals.csv"], problems)
    check_pillars(frames["budget.csv"], problems)

    geo = {
        "outline": read_geojson(directory, GEO_FILES["outline"], ("iso3", "name"), problems, digest),
        "regions": read_geojson(directory, GEO_FILES["regions"], ("iso_3166_2", "name", "name_fr"), problems, digest),
    }
    regions = frames["region_figures.csv"]
    check_regions(regions, geo["regions"], problems)
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


def freshness(ds: Dataset) -> dict[str, dict[str, str | None]]:
    """{source id: {"release", "fetched"}} for each source a refresh fetched (sources.csv `release` and
    `retrieved`), for /healthz: how fresh the statistics are, without reading a page."""
    out = {}
    for sid, row in ds.sources.iterrows():
        release, retrieved = row["release"], row["retrieved"]
        if isinstance(release, str) or retrieved is not None and not pd.isna(retrieved):
            out[str(sid)] = {
                "release": release if isinstance(release, str) else None,
                "fetched": None if retrieved is None or pd.isna(retrieved) else str(retrieved)[:10],
            }
    return out


def data_dir_from_env() -> Path:
    value = os.environ.get("DASHBOARD_DATA_DIR")
    return Path(value) if value else DEFAULT_DATA_DIR


@cache
def get_dataset(directory: Path | None = None) -> Dataset:
    """The dataset of DASHBOARD_DATA_DIR (or the shipped data/), loaded once per process."""
    return load(directory or data_dir_from_env())
