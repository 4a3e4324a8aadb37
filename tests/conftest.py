"""Shared fixtures: the shipped dataset, a writable copy of it, selections, and for the browser tests the app
on a live server and Debian's headless Chromium (one of each per test module)."""

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


@pytest.fixture
def view_dates(ds):
    """view_dates(2019, 'page') -> {view id: the view's own dates} for every view that dates its figures."""
    from dashboard.views import VIEWS

    def dates(year: int, source: str) -> dict:
        sel, bad = selection.from_query(ds, f"year={year}&source={source}")
        assert bad == [], bad
        return {view.ID: view.dates(ds, sel) for view in VIEWS if view.dates is not None}

    return dates


@pytest.fixture(scope="module")
def server():
    """The dashboard on a live server in this process, on loopback."""
    from dashboard.app import app
    from tests.browser_support import LiveServer

    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, with the workplace's flags; never a downloaded browser."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.browser_support import CHROMIUM_ARGS, chromium_path

    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()
