"""Loads racing imports: a load reads every file from before an import or every file from after it, never a
mix (an instance started, revived or rolled while an import runs would otherwise serve a version of the data
no import produced). Bounded: a few seconds of loads in threads of this process, on a copy of data/."""

from __future__ import annotations

import threading
import time
from collections import Counter

from dashboard.data import DataError, load
from dashboard.importer.transaction import import_lock, replace_all

SECONDS = 6  # at least this long, and until enough imports and loads have raced (on a busy machine, longer)
LONGEST = 60


def _other_edition(data_dir) -> dict[str, bytes]:
    """Two files changed, the first and the last CSV a load reads: a mix of them is a version of its own."""
    sources = (data_dir / "sources.csv").read_bytes().replace(b"release 2025.12", b"release 2025.12b", 1)
    regions = (data_dir / "region_figures.csv").read_bytes().replace(b",2373,", b",2374,", 1)
    return {"sources.csv": sources, "region_figures.csv": regions}


def test_race001_loads_racing_imports_never_see_a_mix(data_copy):
    old_files = {name: (data_copy / name).read_bytes() for name in ("sources.csv", "region_figures.csv")}
    new_files = _other_edition(data_copy)
    old = load(data_copy).version
    replace_all(data_copy, new_files)
    new = load(data_copy).version
    assert old != new
    done = threading.Event()
    imports = Counter()

    def keep_importing():
        while not done.is_set():
            for files in (old_files, new_files):
                with import_lock(data_copy, 30):
                    replace_all(data_copy, files)
                imports["done"] += 1
                # Imports come one at a time, not back to back: a load waiting for the lock gets its turn.
                time.sleep(0.03)

    writer = threading.Thread(target=keep_importing)
    writer.start()
    seen = Counter()
    try:
        started = time.monotonic()
        while time.monotonic() - started < LONGEST and (
            time.monotonic() - started < SECONDS or imports["done"] < 6 or sum(seen.values()) < 10
        ):
            try:
                seen[load(data_copy).version] += 1
            except DataError as exc:
                seen[f"refused: {exc.problems[0][:120]}"] += 1
            # Loads come one at a time too (an instance starting), leaving the imports their turn.
            time.sleep(0.03)
    finally:
        done.set()
        writer.join(timeout=30)
    assert imports["done"] >= 6 and sum(seen.values()) >= 10, (imports, seen)
    assert set(seen) <= {old, new}, seen
