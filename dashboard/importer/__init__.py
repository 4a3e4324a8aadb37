"""Import a saved UNHCR operation page (2021 edition or the newer population page) into the tidy files.

The figures are read from the page's data blocks and figure lines (`reading`, `edition_2021`,
`edition_population`); prose paragraphs are never imported. Rows of the same operation and page source are
replaced (`merging`), so importing a page twice changes nothing. Everything is written to a validated copy
first and renamed into place only when the whole data directory still passes `dashboard.data.load`
(`transaction`); a bad page leaves the data untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..data import FILES, DataError, load
from ..safety import quote
from .edition_2021 import parse_2021
from .edition_population import parse_population
from .merging import check_name, csv_bytes, current, merge, read_rows
from .reading import KNOWN_OPERATIONS, Page, PageError, edition, read_page
from .transaction import LOCK_WAIT_SECONDS, import_lock, reason, recover, replace_all

__all__ = ["Page", "PageError", "import_page"]


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
        raise PageError([f"{data_dir}: cannot create the data directory ({reason(exc)})"]) from None
    with import_lock(data_dir, lock_wait):
        recover(data_dir)
        operations = read_rows(data_dir / "operations.csv")
        if kind == "2021":
            page = parse_2021(lines, operation)
        else:
            known = dict(KNOWN_OPERATIONS)
            for row in operations:
                known[row.get("name_en", "")] = row.get("operation", "")
            page = parse_population(lines, operation, {k: v for k, v in known.items() if k}, as_of)
        check_name(page, operations, overridden=operation is not None)
        contents = {
            name: csv_bytes(list(FILES[name][0].model_fields), rows) for name, rows in merge(page, data_dir).items()
        }
        try:
            load(data_dir, replacing=contents)
        except DataError as exc:
            raise PageError([f"after import: {p}" for p in exc.problems]) from None
        changed = {name: content for name, content in contents.items() if content != current(data_dir / name)}
        if changed:
            replace_all(data_dir, changed)
    return page
