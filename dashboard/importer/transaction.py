"""Replacing data files as one change: imports into a directory take turns (a lock), the new files are
written and synced beside the old ones, and a journal lets a failure — or the next import after a crash — put
every old file back."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..data import LockTimeout, directory_lock
from .reading import PageError

# How long an import waits for another one into the same directory to finish.
LOCK_WAIT_SECONDS = 30.0
# The working directory an import writes into, inside the data directory (same file system: renames are
# atomic); it holds a journal while files are being replaced.
STAGING_PREFIX = ".import-"
JOURNAL = "journal.json"


def reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


@contextmanager
def import_lock(data_dir: Path, wait: float) -> Iterator[None]:
    """Imports into one directory take turns, and loads wait for them (`dashboard.data.locking`): the
    directory's lock held exclusively, waited for up to `wait` seconds."""
    try:
        with directory_lock(data_dir, exclusive=True, wait=wait):
            yield
    except LockTimeout:
        raise PageError(
            [f"{data_dir}: another import is running (waited {wait:g} s); nothing was imported, try again"]
        ) from None


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("xb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _roll_back(data_dir: Path, work: Path) -> None:
    """Put back every file listed in `work`'s journal as it was (a hard link kept it), then drop the journal."""
    existed = json.loads((work / JOURNAL).read_text(encoding="utf-8"))
    for name, was in existed.items():
        if was:
            os.replace(work / "backup" / name, data_dir / name)
        else:
            (data_dir / name).unlink(missing_ok=True)
    _sync_dir(data_dir)
    (work / JOURNAL).unlink()


def recover(data_dir: Path) -> None:
    """Undo what an import that was killed while replacing files left, and remove working directories."""
    for work in sorted(data_dir.glob(f"{STAGING_PREFIX}*")):
        try:
            if (work / JOURNAL).exists():
                _roll_back(data_dir, work)
            shutil.rmtree(work)
        except OSError as exc:
            raise PageError(
                [f"{work}: cannot undo an interrupted import ({reason(exc)}); nothing was imported"]
            ) from None


def replace_all(data_dir: Path, changed: dict[str, bytes]) -> None:
    """Write the `changed` files into `data_dir` as one change: all of them, or after any failure none.

    The new versions are written and synced in a working directory inside `data_dir` (same file system, so
    renames are atomic), next to a hard link to each current file. A journal listing the files marks the start
    of the renames; a failure during them renames the old files back. A process killed then leaves the
    journal: `load` refuses the directory and the next import restores it first.
    """
    nothing = "nothing was changed"
    try:
        work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    except OSError as exc:
        raise PageError([f"{data_dir}: cannot write into the data directory ({reason(exc)}); {nothing}"]) from None
    try:
        try:
            (work / "backup").mkdir()
            existed = {}
            for name, content in changed.items():
                _write_synced(work / name, content)
                existed[name] = os.path.lexists(data_dir / name)
                if existed[name]:
                    os.link(data_dir / name, work / "backup" / name)
            _write_synced(work / f"{JOURNAL}.new", json.dumps(existed).encode())
            os.replace(work / f"{JOURNAL}.new", work / JOURNAL)
            _sync_dir(work)
        except OSError as exc:
            # No file was replaced yet: dropping the journal is all the undoing there is.
            (work / JOURNAL).unlink(missing_ok=True)
            raise PageError([f"{data_dir}: cannot write the imported files ({reason(exc)}); {nothing}"]) from None
        try:
            for name in changed:
                os.replace(work / name, data_dir / name)
            _sync_dir(data_dir)
        except BaseException as exc:
            try:
                _roll_back(data_dir, work)
            except OSError as undo:
                raise PageError(
                    [
                        f"{data_dir}: the import failed ({exc}) and the old files could not all be put back "
                        f"({reason(undo)}); run the import again to restore them"
                    ]
                ) from None
            if isinstance(exc, OSError):
                raise PageError([f"{data_dir}: cannot replace the files ({reason(exc)}); {nothing}"]) from None
            raise
        (work / JOURNAL).unlink()
    finally:
        if not (work / JOURNAL).exists():
            shutil.rmtree(work, ignore_errors=True)
