"""`python -m dashboard refresh`: the statistics series of each operation fetched again from UNHCR's API
(`unhcr_api`) and written through the import's lock, validation and atomic replacement (`transaction`).

The figures are fetched first, without the lock; then, holding it, the files are read again, the series of
each operation fetched replaced in place (years in order, groups in the API's order, so the same figures
give the same bytes), and only files whose bytes differ are replaced. A refresh that brings no new figure
changes no file, and the data version with it; one that does also writes, in sources.csv, the release (when
known) and the day of the fetch, which every source line, download and /healthz then says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..data import FILES, DataError, load
from ..safety import quote
from .merging import csv_bytes, current, read_rows
from .reading import PageError
from .transaction import LOCK_WAIT_SECONDS, import_lock, recover, replace_all
from .unhcr_api import Client, fetch_operation

GROUPS_FILE, SOURCES_FILE = "population_groups.csv", "sources.csv"
SOURCE = "unhcr_refugee_statistics"  # the source row of the series when the data has none yet
SOURCE_ROW = {
    "title": "Refugee Population Statistics (Refugee Data Finder)",
    "publisher": "UNHCR",
    "licence": "CC BY 4.0",
    "citation": "UNHCR Refugee Data Finder",
    "title_fr": "Statistiques des populations réfugiées (Refugee Data Finder)",
    "licence_fr": "CC BY 4.0",
    "citation_fr": "HCR, Refugee Data Finder",
}
# The last check, kept beside the data but outside the files the data version covers.
CHECKED_FILE = ".refresh-checked.json"
# A change that stops the refresh unless accepted: a figure moving by more than this share of itself.
LARGE_CHANGE = 0.5


@dataclass(frozen=True)
class Change:
    operation: str
    year: int
    group: str
    old: int | None
    new: int | None

    @property
    def large(self) -> bool:
        """A figure removed, or moved by more than half: worth a person's look before it is written."""
        if self.old is None:
            return False
        return self.new is None or (self.old > 0 and abs(self.new - self.old) > LARGE_CHANGE * self.old)


@dataclass
class Outcome:
    operations: list[str]
    changes: list[Change] = field(default_factory=list)
    written: bool = False
    version_before: str = ""
    version_after: str = ""


def _series(rows: list[dict], operation: str) -> dict[tuple[int, str], int]:
    return {
        (int(r["year"]), r["group"]): int(r["value"])
        for r in rows
        if r.get("operation") == operation and r.get("dataset") == "statistics"
    }


def _years(rows: list[dict], operation: str, today: dt.date) -> tuple[int, int]:
    """From the first year the operation's series holds (else the directory's, else ten years back) to this year,
    so new years come in."""
    mine = [int(r["year"]) for r in rows if r.get("dataset") == "statistics" and r.get("operation") == operation]
    every = [int(r["year"]) for r in rows if r.get("dataset") == "statistics"]
    return min(mine or every or [today.year - 10]), today.year


def _new_rows(operation: str, figures: dict[int, dict], source: str) -> list[dict]:
    return [
        {
            "operation": operation,
            "dataset": "statistics",
            "year": year,
            "as_of": f"{year}-12-31",
            "group": group,
            "value": value,
            "source": source,
        }
        for year in sorted(figures)
        for group, value in figures[year].items()
        if value is not None
    ]


def _source_of(rows: list[dict], operation: str) -> str:
    used = [r["source"] for r in rows if r.get("operation") == operation and r.get("dataset") == "statistics"]
    return used[0] if used else SOURCE


def _replace_series(rows: list[dict], fetched: dict[str, dict[int, dict]], ids: dict[str, str]) -> list[dict]:
    """The rows with each fetched operation's statistics series replaced where it stood (at the end if new)."""
    result = list(rows)
    for operation, figures in fetched.items():
        new = _new_rows(operation, figures, ids[operation])
        old = [i for i, r in enumerate(result) if r.get("operation") == operation and r.get("dataset") == "statistics"]
        at, gone = (old[0] if old else len(result)), set(old)
        kept = [r for i, r in enumerate(result) if i not in gone]
        before = sum(1 for i in range(at) if i not in gone)
        result = kept[:before] + new + kept[before:]
    return result


def changes(rows: list[dict], fetched: dict[str, dict[int, dict]]) -> list[Change]:
    """Every figure that differs, per operation, year and group (in the API's group order)."""
    out = []
    for operation, figures in fetched.items():
        old = _series(rows, operation)
        new = {(y, g): v for y, groups in figures.items() for g, v in groups.items() if v is not None}
        order = list(dict.fromkeys(g for groups in figures.values() for g in groups))
        keys = sorted(old.keys() | new.keys(), key=lambda k: (k[0], order.index(k[1]) if k[1] in order else 99))
        out += [
            Change(operation, y, g, old.get((y, g)), new.get((y, g)))
            for y, g in keys
            if old.get((y, g)) != new.get((y, g))
        ]
    return out


def _sources_rows(rows: list[dict], ids: set[str], release: str | None, today: dt.date) -> list[dict]:
    """sources.csv with the release and the fetch day written into each source whose figures changed."""
    # `date` is when the figures were published: the release's month; unknown without a release.
    stamp = {"release": release or "", "retrieved": today.isoformat(), "date": _month(release)}
    result = [r | stamp if r.get("source") in ids else r for r in rows]
    known = {r.get("source") for r in rows}
    return result + [{"source": s, **SOURCE_ROW, **stamp} for s in sorted(ids - known)]


def _month(release: str | None) -> str:
    return release.replace(".", "-") if release else ""


def _source_ids(rows: list[dict], operations: set[str], fetched: set[str]) -> dict[str, str]:
    """The source each changed operation's series is written under: its own so far, unless an operation not
    refreshed now shares it (then a source of its own, so no line claims a fetch that did not happen)."""
    ids = {}
    for operation in operations:
        sid = _source_of(rows, operation)
        shared = {r["operation"] for r in rows if r.get("source") == sid and r.get("dataset") == "statistics"}
        ids[operation] = f"{sid}_{operation.lower()}" if shared - fetched else sid
    return ids


def _load(data_dir: Path, replacing: dict[str, bytes] | None = None, when: str = ""):
    try:
        return load(data_dir, replacing=replacing)
    except DataError as exc:
        raise PageError([f"{when}{p}" for p in exc.problems]) from None


def _operations(ds, asked: list[str] | None) -> list[str]:
    known = [str(op) for op in ds.operations.index]
    unknown = [op for op in asked or [] if op not in known]
    if unknown:
        raise PageError(
            [
                f"--operation {quote(unknown[0])}: not in operations.csv (expected one of {', '.join(known)}); nothing was written"
            ]
        )
    return list(dict.fromkeys(asked)) if asked else known


def _stop_on_large(found: list[Change]) -> None:
    large = [c for c in found if c.large]
    if large:
        raise PageError(
            [f"{c.operation} {c.year} {c.group}: {describe(c)}, a large change" for c in large]
            + [
                "check these figures (refresh --dry-run lists every change), then run the "
                "refresh again with --accept-changes to write them"
            ]
        )


def refresh(
    data_dir: Path,
    base: str,
    operations: list[str] | None = None,
    *,
    today: dt.date | None = None,
    release: str | None = None,
    dry_run: bool = False,
    accept_changes: bool = False,
    client: Client | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
) -> Outcome:
    """Fetch the series of `operations` (default: all) and write what changed as one atomic change; raise
    PageError, changing nothing, on any problem. With `dry_run`, only say what would change."""
    today, client = today or dt.date.today(), client or Client.from_env()
    if release is not None and not re.fullmatch(r"\d{4}\.(0[1-9]|1[0-2])", release):
        raise PageError([f"--release: expected a release named like 2025.12 (year.month), found {quote(release)}"])
    if not data_dir.is_dir():
        raise PageError([f"{data_dir}: no such data directory"])
    if not dry_run:
        with import_lock(data_dir, lock_wait):
            recover(data_dir)
    ds = _load(data_dir)
    outcome = Outcome(_operations(ds, operations), version_before=ds.version, version_after=ds.version)
    rows = read_rows(data_dir / GROUPS_FILE)
    fetched = {op: fetch_operation(base, op, *_years(rows, op, today), client) for op in outcome.operations}
    with import_lock(data_dir, lock_wait):
        if not dry_run:
            recover(data_dir)
        rows = read_rows(data_dir / GROUPS_FILE)
        outcome.changes = changes(rows, fetched)
        if dry_run or not outcome.changes:
            _record_check(data_dir, base, outcome, dry_run)
            return outcome
        if not accept_changes:
            _stop_on_large(outcome.changes)
        ids = _source_ids(rows, {c.operation for c in outcome.changes}, set(fetched))
        written = {op: figures for op, figures in fetched.items() if op in ids}
        contents = {
            GROUPS_FILE: csv_bytes(list(FILES[GROUPS_FILE][0].model_fields), _replace_series(rows, written, ids)),
            SOURCES_FILE: csv_bytes(
                list(FILES[SOURCES_FILE][0].model_fields),
                _sources_rows(read_rows(data_dir / SOURCES_FILE), set(ids.values()), release, today),
            ),
        }
        after = _load(data_dir, contents, "after refresh: ")
        replace_all(data_dir, {n: c for n, c in contents.items() if c != current(data_dir / n)})
        outcome.written, outcome.version_after = True, after.version
        _record_check(data_dir, base, outcome, dry_run)
    return outcome


def _record_check(data_dir: Path, base: str, outcome: Outcome, dry_run: bool) -> None:
    """When the refresh last looked, for a person or a monitor to read (not part of the data, nor its version)."""
    if dry_run:
        return
    note = {
        "checked": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "api": base,
        "operations": outcome.operations,
        "figures_changed": len(outcome.changes),
        "data_version": outcome.version_after,
    }
    temporary = data_dir / f"{CHECKED_FILE}.tmp"
    try:
        temporary.write_text(json.dumps(note, indent=1) + "\n", encoding="utf-8")
        temporary.replace(data_dir / CHECKED_FILE)
    except OSError:
        temporary.unlink(missing_ok=True)


def describe(change: Change) -> str:
    """'12,345 → 12,400', 'no figure → 5'."""

    def one(value):
        return "no figure" if value is None else f"{value:,}"

    return f"{one(change.old)} → {one(change.new)}"


def report(outcome: Outcome, target: Path, dry_run: bool) -> list[str]:
    """What the command prints: each change, then one line saying what happened to the data."""
    lines = [
        f"{c.operation} {c.year} {c.group}: {describe(c)}{' (large change)' if c.large else ''}"
        for c in outcome.changes
    ]
    ops = ", ".join(outcome.operations)
    if not outcome.changes:
        lines.append(f"{ops}: nothing new; no file changed in {target} (data version {outcome.version_before})")
    elif dry_run:
        lines.append(f"{ops}: {len(outcome.changes)} figure(s) would change; dry run, nothing written")
    else:
        lines.append(
            f"{ops}: {len(outcome.changes)} figure(s) changed in {target}; data version "
            f"{outcome.version_before} → {outcome.version_after}"
        )
    return lines
