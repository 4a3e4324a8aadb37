"""Shared fixtures: the shipped dataset, a writable copy of it, selections, the test pages for the importer,
and for the browser tests the app on a live server and Debian's headless Chromium (one of each per test
module)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboard import data, selection

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# Operation pages written for the tests from the figures in data/, in the two editions' format (the real
# pages' text replaced by neutral filler), so the importer is tested from a plain clone.
PAGES = ROOT / "tests" / "pages"
PAGE_2021 = PAGES / "operation_2021.txt"
PAGE_NEW = PAGES / "population_2024.txt"
# The source pages the data came from: beside the project in a full checkout, or where DASHBOARD_SEEDS_DIR
# says. Tests that compare with them are extra checks, marked `needs_seeds`.
SEEDS = Path(os.environ.get("DASHBOARD_SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
SEED_2021 = SEEDS / "000_2b0b7450fd9fee4c.txt"
SEED_NEW = SEEDS / "004_7511457368130d42.txt"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the source pages (../shared/seeds) are not here")


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
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(server, browser):
    """open_page('?year=2018', base=None, init_script=None, **context options) -> (page, watch): the app (or
    the one at `base`) in a new browser context, closed after the test. Every browser module opens its pages
    through browser_support.open_page, this fixture or directly."""
    from tests.browser_support import open_page as open_in

    contexts = []

    def open_(query: str | None = "", base: str | None = None, init_script: str | None = None, **options):
        page, watch = open_in(browser, base or server.url, query, init_script, **options)
        contexts.append(page.context)
        return page, watch

    yield open_
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(items):
    """A test that opens Chromium is a browser test whether or not its module says so, so the quick run (see the
    README) leaves every one of them out."""
    for item in items:
        if {"browser", "open_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
