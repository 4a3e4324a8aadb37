"""Send less, once: stamped and fingerprinted files are immutable, the rest revalidates to a 304, every text
file is compressed for every encoding a client accepts, and a repeat visit costs only a few kilobytes."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def client():
    from dashboard.app import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def page_files(client) -> list[str]:
    """Every script and stylesheet the page links to."""
    html = client.get("/").get_data(as_text=True)
    files = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)
    assert len(files) >= 10, files
    return files


def _long_lived(files: list[str]) -> list[str]:
    return [f for f in files if f.startswith("/_dash-component-suites/") or "?m=" in f]


def test_cache001_stamped_and_fingerprinted_files_are_immutable(client, page_files):
    files = _long_lived(page_files)
    assert any(f.startswith("/assets/") for f in files) and any("_dash-component-suites" in f for f in files)
    for f in files:
        r = client.get(f, headers={"Accept-Encoding": "br"})
        assert r.status_code == 200, f
        cc = r.cache_control
        assert cc.public and cc.max_age == YEAR and cc.immutable, (f, r.headers["Cache-Control"])
        assert not cc.no_cache, (f, r.headers["Cache-Control"])


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_cache002_matching_etag_gets_304_for_every_file(client, page_files, encoding):
    for f in [*page_files, "/_dash-layout", "/_dash-dependencies"]:
        first = client.get(f, headers={"Accept-Encoding": encoding})
        etag = first.headers.get("ETag")
        assert etag, f
        again = client.get(f, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", (f, again.status_code)
        changed = client.get(f, headers={"Accept-Encoding": encoding, "If-None-Match": '"something-else"'})
        assert changed.status_code == 200 and changed.data, f


def test_cache003_layout_and_dependencies_revalidate(client):
    for path in ("/_dash-layout", "/_dash-dependencies"):
        r = client.get(path)
        assert r.cache_control.no_cache and not r.cache_control.max_age, r.headers.get("Cache-Control")


def test_cache004_lazy_chunks_are_cached(client):
    """plotly's graph and Leaflet's GeoJSON are fetched by the bundles after the page: unversioned URLs."""
    for path in (
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash_leaflet/async-GeoJSON.js",
    ):
        r = client.get(path, headers={"Accept-Encoding": "br"})
        assert r.status_code == 200 and r.cache_control.public and r.cache_control.max_age >= 3600, r.headers
        again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("gzip, deflate, br, zstd", "br", brotli.decompress)],
)
def test_cache005_every_text_file_compressed_for_the_client(client, page_files, accept, encoding, decode):
    async_chunks = [
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash_leaflet/async-GeoJSON.js",
    ]
    for f in ["/", *page_files, *async_chunks, "/_dash-layout"]:
        plain = client.get(f, headers={"Accept-Encoding": "identity"})
        r = client.get(f, headers={"Accept-Encoding": accept})
        assert r.headers.get("Content-Encoding") == encoding, (f, r.headers.get("Content-Encoding"))
        assert "Accept-Encoding" in r.headers.get("Vary", ""), f
        body = decode(r.data)
        if f == "/":  # the page carries a per-render token; the rest of it is the same
            body, expected = (re.sub(rb'"end_id":"[^"]*"', b"", b) for b in (body, plain.data))
        else:
            expected = plain.data
        assert body == expected, f
        assert len(r.data) < len(plain.data), f


@pytest.mark.browser
def test_cache006_repeat_visit_downloads_little(open_page, server):
    """Bytes on the wire (headers and bodies, as Chromium counts them) of a second visit in the same browser."""
    from playwright.sync_api import expect

    page, watch = open_page(None)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))

    def visit() -> int:
        received.clear()
        page.goto(server.url + "/?lang=fr")
        expect(page.locator(".kpis .kpi")).to_have_count(5, timeout=30_000)
        expect(page.locator(".leaflet-marker-icon")).to_have_count(5)
        page.wait_for_load_state("networkidle")
        return sum(received.values())

    first = visit()
    second = visit()
    watch.assert_clean()
    assert first > 500_000, first  # the bundles did travel once
    assert second <= 30_000, second


@pytest.mark.parametrize("path", ["/?year=2018&lang=fr", "/download/budget.csv?year=2018", "/download/workbook.xlsx"])
def test_cache007_pages_and_downloads_revalidate_by_data_version(client, ds, path, monkeypatch):
    """The ETag names the data version; a matching If-None-Match gets a 304 before anything is rendered."""
    first = client.get(path, headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith(f'W/"{ds.version}-') and first.data
    from dashboard import files, page

    def not_rendered(*args, **kwargs):
        raise AssertionError("rendered for a request the client already holds")

    monkeypatch.setattr(page, "_first_view", not_rendered)
    monkeypatch.setattr(files, "download", not_rendered)
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    # Held from other data (or another address): answered in full.
    monkeypatch.undo()
    other = etag.replace(ds.version, "0" * 12)
    assert client.get(path, headers={"If-None-Match": other}).status_code == 200
    assert client.get(path + "&x=1" if "?" in path else path + "?x=1").headers["ETag"] != etag


def test_cache008_a_page_etag_follows_the_browser_language(client):
    english = client.get("/", headers={"Accept-Language": "en"})
    french = client.get("/", headers={"Accept-Language": "fr"})
    assert english.headers["ETag"] != french.headers["ETag"] and "Accept-Language" in french.headers["Vary"]
    assert (
        client.get("/", headers={"Accept-Language": "fr", "If-None-Match": english.headers["ETag"]}).status_code == 200
    )
