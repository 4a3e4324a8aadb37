"""Shared fixtures: the shipped dataset, a writable copy of it, and selections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import data, selection

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def ds():
    return data.load(DATA)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break a file."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def select(ds):
    """select('year=2019&lang=fr') -> Selection, failing the test if anything was not understood."""

    def make(query: str = ""):
        sel, bad = selection.from_query(ds, query)
        assert bad == [], bad
        return sel

    return make
