"""Merging a page's rows into the data files: the page's earlier rows replaced by its new rows in place, the
key-figure labels people wrote kept, and the operation's name checked against operations.csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..data import FILES, MAX_CSV_BYTES, DataFileError, read_limited
from ..safety import quote
from .reading import Page, PageError


def current(path: Path) -> bytes | None:
    """The bytes of a data file, None when there is none; a file that cannot be read stops the import."""
    try:
        return read_limited(path, MAX_CSV_BYTES)
    except DataFileError as exc:
        if exc.reason == "missing":
            return None
        raise PageError([f"{path.name}: {exc.reason} (in {path.parent}); nothing was imported"]) from None


def read_rows(path: Path) -> list[dict]:
    content = current(path)
    if content is None:
        return []
    try:
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PageError(
            [f"{path.name}: {quote(str(exc))} (run `python -m dashboard check`); nothing was imported"]
        ) from None


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows({k: "" if r.get(k) is None else r.get(k) for k in columns} for r in rows)
    return out.getvalue().encode("utf-8")


def merge(page: Page, data_dir: Path) -> dict[str, list[dict]]:
    """Every file's rows after the import: this page's earlier rows replaced by its new rows."""
    result = {}
    for name in FILES:
        rows = read_rows(data_dir / name)
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


def check_name(page: Page, operations: list[dict], overridden: bool) -> None:
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
