"""Caching headers: each file sent once, a repeat visit costing only revalidations.

Stamped assets (`/assets/x?m=<mtime>`) and Dash's fingerprinted bundles change URL when their content changes,
so they are immutable for a year. Pages and downloads get an ETag from the data version, the code and the
address (and, for a page, the browser's language), checked before anything is rendered: a revalidation costs
the server a hash, and a proxy or browser that holds the answer gets a 304. Everything else without caching
headers of its own (the layout, dependencies, favicon) gets an ETag from its body. All of these are
`no-cache`: revalidated on each visit. `Vary` names every request header an answer depends on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import dash
from dash.fingerprint import check_fingerprint
from flask import Response, request

from .dash_internals import COMPONENT_SUITES, LAYOUT_PATH
from .data import Dataset
from .i18n import best_lang
from .offline import MANIFEST_PATH
from .paths import DOWNLOADS

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
# Lazily loaded chunks (plotly's graph, Leaflet's GeoJSON) have no version in their URL: a day in
# the cache, then a 304 against their ETag, so a package upgrade reaches every browser within a day.
UNVERSIONED_MAX_AGE = 24 * 3600


def code_identity(app) -> str:
    """A digest of the app's own code and assets and of Dash's version: with the data version it decides what a
    page holds, so a deploy of new code (same data) changes the pages' ETags too."""
    digest = hashlib.sha256(dash.__version__.encode())
    for folder in (Path(__file__).parent, Path(app.config.assets_folder)):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".js", ".css", ".json", ".html"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def configure_caching(app, get_ds: Callable[[], Dataset]) -> None:
    """A 304 before anything is rendered for a page or download the client holds, and caching headers on
    every answer (see the module's docstring)."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    assets = prefix + app.config.assets_url_path.strip("/") + "/"
    suites = prefix + COMPONENT_SUITES.lstrip("/")
    pages = page_endpoints(app)
    versioned_etag = _versioned_etags(app, get_ds, pages)

    @server.before_request
    def unchanged():
        etag = versioned_etag()
        if etag is None or not request.if_none_match.contains_weak(etag):
            return None
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        return response

    @server.after_request
    def caching(response: Response) -> Response:
        _vary(response, pages)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        path = request.path
        etag = versioned_etag()
        if etag is not None:
            # Weak: the same page whatever the encoding, so flask-compress leaves it as it is.
            response.set_etag(etag, weak=True)
            response.headers["Cache-Control"] = "no-cache"
        elif path.startswith(assets) and request.args.get("m"):
            _immutable(response)
        elif path.startswith(suites) and check_fingerprint(path)[1]:
            _immutable(response)
            _conditional(response)
        elif path.startswith(suites):
            response.cache_control.public = True
            response.cache_control.max_age = UNVERSIONED_MAX_AGE
        elif not response.headers.get("Cache-Control"):
            response.cache_control.no_cache = True
            _conditional(response)
        return response


def page_endpoints(app) -> set[str]:
    """The endpoints of Dash's page routes (its root and its catch-all)."""
    prefix = app.config.routes_pathname_prefix
    return {prefix, prefix + "<path:path>"}


def _versioned_etags(app, get_ds: Callable[[], Dataset], pages: set[str]) -> Callable[[], str | None]:
    """The ETag of the current page or download request (None for any other): the data version, then a digest
    of what else decides the answer."""
    code = code_identity(app)

    def versioned_etag() -> str | None:
        if request.method not in ("GET", "HEAD"):
            return None
        if request.endpoint in pages:
            key = f"{request.full_path}\0{best_lang(request.accept_languages)}"
        elif request.path.startswith(DOWNLOADS):
            key = request.full_path
        else:
            return None
        version = get_ds().version
        digest = hashlib.sha256("\0".join((code, version, key)).encode()).hexdigest()
        return f"{version}-{digest[:16]}"

    return versioned_etag


def _vary(response: Response, pages: set[str]) -> None:
    """The request headers an answer depends on besides its address, for caches between us and the browser."""
    if request.endpoint in pages or (request.path == MANIFEST_PATH and "lang" not in request.args):
        # The language when the address does not say.
        response.vary.add("Accept-Language")
    elif request.path == LAYOUT_PATH:
        # Dash asks for the layout of the page its Referer names, in the language it or the browser asks for.
        response.vary.update(("Referer", "Accept-Language"))


def _conditional(response: Response) -> None:
    """An ETag from the body, and a 304 when the client has it.

    This answers clients that take no compression; flask-compress answers the others after suffixing the ETag
    with the encoding (a gzip body and a br body are different representations).
    """
    if response.status_code != 200 or response.is_streamed:
        return
    if not response.get_etag()[0]:
        response.add_etag()
    response.make_conditional(request)


def _immutable(response: Response) -> None:
    response.headers["Cache-Control"] = IMMUTABLE
