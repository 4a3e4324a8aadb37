"""Readers and writers of a data directory take turns: a lock on the directory itself (no lock file to leave
behind). An import holds it exclusively while it checks and replaces files; a load holds it shared while it
reads them, so a load sees every file from before an import or every file from after it, never a mix.

flock(2) locks belong to an open file: a second lock taken by the thread that holds the exclusive one would
wait on itself, so a load inside an import (the importer checks the directory as it would be) reads under the
import's lock. Other threads, like other processes, wait.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# (directory, thread) -> how many times that thread holds the directory's exclusive lock.
_held: dict[tuple[str, int], int] = {}
_guard = threading.Lock()


class LockTimeout(Exception):
    """The lock was not free within the time given."""


@contextmanager
def directory_lock(directory: Path, exclusive: bool, wait: float) -> Iterator[None]:
    """Hold `directory`'s lock, shared or exclusive, waiting at most `wait` seconds (else LockTimeout)."""
    key = (os.path.realpath(directory), threading.get_ident())
    with _guard:
        mine = key in _held
        if mine:
            _held[key] += 1
    if mine:
        try:
            yield
        finally:
            _release_count(key)
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        _take(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, wait)
        if exclusive:
            with _guard:
                _held[key] = 1
        try:
            yield
        finally:
            if exclusive:
                _release_count(key)
    finally:
        os.close(fd)


def _take(fd: int, mode: int, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout from None
            time.sleep(0.02)


def _release_count(key: tuple[str, int]) -> None:
    with _guard:
        _held[key] -= 1
        if not _held[key]:
            del _held[key]
