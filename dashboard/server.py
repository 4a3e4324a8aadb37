"""Production concerns of the Flask server under the Dash app: health, headers, caching, request guard.

No per-process state is kept beyond caches derived from the read-only data directory, so any number of
gunicorn workers or instances can serve the same data behind a load balancer.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import dash
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint
from flask import Response, jsonify, request
from flask_compress import Compress
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .data import Dataset
from .i18n import best_lang
from .safety import nests_deeper

log = logging.getLogger(__name__)

UPDATE_PATH = "/_dash-update-component"
COMPONENT_SUITES = "/_dash-component-suites/"
MAX_UPDATE_BYTES = 64 * 1024
# Our callbacks' values nest 4 levels at most (a figure's click data); 32 leaves room and no deep recursion.
MAX_JSON_DEPTH = 32
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
YEAR = 365 * 24 * 3600
DOWNLOADS = "/download/"
# Browser features the dashboard never uses, switched off for it and anything injected into it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
VERSION_KEYS = ("dash_version", "python_version", "plotly_version", "ddk_version", "dash_version_url")
IE_NOTICE = re.compile(r"\s*<!--\[if IE\]>.*?<!\[endif\]-->", re.S)
# Dash's cache-busting part of a component file name: v<package version>m<file mtime>.
FINGERPRINT = re.compile(r"\.v([\w-]+)m([0-9a-fA-F]+)\.")
IMMUTABLE = f"public, max-age={YEAR}, immutable"
# Lazily loaded chunks (plotly's graph, Leaflet's GeoJSON) have no version in their URL: a day in
# the cache, then a 304 against their ETag, so a package upgrade reaches every browser within a day.
UNVERSIONED_MAX_AGE = 24 * 3600
# Every encoding a browser may ask for, streamed static files included (flask-compress leaves gzip out of the
# streaming list by default, which sent the 1.2 MB plotly bundle uncompressed to gzip-only clients). Brotli
# first, at level 5: 9-10% fewer bytes than zstd's or brotli's default levels for ~80 ms per 1 MB bundle, paid
# once per browser since the bundles are then cached for a year.
COMPRESS_ALGORITHMS = ["br", "zstd", "gzip", "deflate"]
COMPRESS_BR_LEVEL = 5


def _bad(reason: str, status: int = 400) -> Response:
    response = jsonify({"error": "bad request", "reason": reason})
    response.status_code = status
    return response


def _same(item, dependency: dict) -> bool:
    return (
        isinstance(item, dict) and item.get("id") == dependency["id"] and item.get("property") == dependency["property"]
    )


def _as_dict(output) -> dict:
    return {"id": output.component_id, "property": output.component_property}


def check_update(app, body) -> str | None:
    """Why an update request cannot be a call of one of our server callbacks, or None when it can.

    Dash trusts the shape of this JSON; a request that does not match a registered callback exactly would
    otherwise surface as a 500. Values inside are left to the callbacks, which parse them defensively.
    """
    if not isinstance(body, dict):
        return "expected a JSON object"
    output = body.get("output")
    spec = app.callback_map.get(output) if isinstance(output, str) else None
    if spec is None or spec.get("callback") is None:
        return "unknown callback"
    for key in ("inputs", "state"):
        given, expected = body.get(key, []), spec[key]
        if not (
            isinstance(given, list)
            and len(given) == len(expected)
            and all(_same(g, e) for g, e in zip(given, expected, strict=True))
        ):
            return f"'{key}' does not match the callback"
    outputs = body.get("outputs")
    if isinstance(spec["output"], list):
        expected = [_as_dict(o) for o in spec["output"]]
        ok = (
            isinstance(outputs, list)
            and len(outputs) == len(expected)
            and all(_same(o, e) for o, e in zip(outputs, expected, strict=True))
        )
    else:
        ok = _same(outputs, _as_dict(spec["output"]))
    if not ok:
        return "'outputs' does not match the callback"
    changed = body.get("changedPropIds", [])
    inputs = {f"{i['id']}.{i['property']}" for i in spec["inputs"]}
    # Dash parses an entry that starts with "{" as a pattern id; ours are plain ids, so only inputs may appear.
    if not isinstance(changed, list) or not all(isinstance(c, str) and c in inputs for c in changed):
        return "'changedPropIds' must list inputs of the callback"
    return None


def read_update(app) -> Response | None:
    """Refuse an update request that is too large (chunked bodies included), not JSON, nested too deeply or
    not a call of one of our callbacks; None lets Dash handle it.

    The body is read through Flask's MAX_CONTENT_LENGTH limit (set in `configure` one byte above ours),
    which werkzeug also applies to a chunked body as it streams in: at most MAX_UPDATE_BYTES + 1 bytes are
    ever read, and reading that many means too large.
    """
    if request.method != "POST":
        return _bad("use POST", 405)
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raw = None
    if raw is None or len(raw) > MAX_UPDATE_BYTES:
        return _bad(f"request larger than {MAX_UPDATE_BYTES} bytes", 413)
    try:
        body = json.loads(raw)
    except RecursionError:
        return _bad(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    except ValueError:
        return _bad("expected a JSON object")
    if nests_deeper(body, MAX_JSON_DEPTH):
        return _bad(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    reason = check_update(app, body)
    return _bad(reason) if reason else None


def content_security_policy(app) -> str:
    """Scripts only from our origin and Dash's own inline scripts (by hash: `app.csp_hashes()`); styles
    inline too, since Dash, plotly and Leaflet set them; images from the map's tile server when one is set."""
    tiles = urlsplit(os.environ.get("DASHBOARD_TILE_URL", "").strip())
    tile_source = f" {tiles.scheme}://{tiles.netloc.replace('{s}', '*')}" if tiles.scheme in ("http", "https") else ""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *app.csp_hashes()]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:" + tile_source,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _config_without_versions(config_html: str) -> str:
    start, end = config_html.index(">") + 1, config_html.rindex("</script>")
    config = json.loads(config_html[start:end])
    for key in VERSION_KEYS:
        config.pop(key, None)
    text = json.dumps(config, separators=(",", ":"))
    # As Dash does: nothing in the JSON may close the script element or open a comment.
    for char in "<>&/":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return config_html[:start] + text + config_html[end:]


def _opaque_fingerprint(match: re.Match) -> str:
    version, mtime = match.groups()
    return f".v{hashlib.sha256(f'{version}m{mtime}'.encode()).hexdigest()[:10]}m{mtime}."


def hide_versions(app) -> None:
    """Keep the Python, Dash, plotly and component versions out of the page (its config, the favicon and
    script URLs, the IE notice): they help someone pick a known flaw and help no visitor. Script URLs keep a
    fingerprint that still changes with the version, so caches still refresh on an upgrade."""
    app.index_string = IE_NOTICE.sub("", app.index_string)
    interpolate = app.interpolate_index

    def interpolate_index(**parts):
        parts["config"] = _config_without_versions(parts["config"])
        parts["favicon"] = re.sub(r"\?v=[^\"]*", "", parts["favicon"])
        parts["scripts"] = FINGERPRINT.sub(_opaque_fingerprint, parts["scripts"])
        return interpolate(**parts)

    app.interpolate_index = interpolate_index


def protect_pages(app) -> None:
    """Content-Security-Policy and Permissions-Policy on every response (computed at the first request,
    when every inline script Dash will write is registered)."""
    policy: list[str] = []

    @app.server.after_request
    def policies(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        return response


DATA_VERSION_HEADER = "X-Data-Version"


def configure(app, get_ds: Callable[[], Dataset]) -> None:
    """Health check, request guard, security and caching headers, and errors without tracebacks."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_UPDATE_BYTES + 1
    server.config["MAX_FORM_MEMORY_SIZE"] = MAX_UPDATE_BYTES
    server.config["MAX_FORM_PARTS"] = 100
    hide_versions(app)
    protect_pages(app)

    # The process that loaded the app: gunicorn's master under preload, whose workers inherit it. A supervisor
    # that started that master knows its answer from one of an older instance's orphaned workers.
    instance = os.getpid()

    @server.route("/healthz")
    def healthz():
        ds = get_ds()
        return jsonify(
            {"status": "ok", "operations": len(ds.operations), "data_version": ds.version, "instance": instance}
        )

    @server.before_request
    def guard():
        return read_update(app) if request.path == UPDATE_PATH else None

    @server.after_request
    def headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Which data every answer was computed from: the page and any copy a browser keeps can tell two
        # versions apart without parsing the body.
        response.headers[DATA_VERSION_HEADER] = get_ds().version
        return response

    configure_caching(app, get_ds)

    @server.after_request
    def quick_compression(response: Response) -> Response:
        """Callback answers are compressed at brotli's fastest level (or gzip's): a few kB once, where the
        level that pays for bundles cached a year would cost more time than it saves on the wire."""
        if request.path == UPDATE_PATH and response.status_code == 200 and not response.is_streamed:
            compress_answer(response, request.accept_encodings)
        return response

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _bad(exc.name, exc.code or 400)

    @server.errorhandler(DependencyException)
    def unknown_component_file(exc: DependencyException):
        return _bad("Not Found", 404)

    @server.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, OSError) and request.path.startswith(COMPONENT_SUITES):
            return _bad("Not Found", 404)
        if _malformed_body(exc):
            return _bad(f"malformed request body: {type(exc).__name__}")
        log.exception("unhandled error on %s", request.path)
        return _bad("the request could not be handled", 500)


def _malformed_body(exc: Exception) -> bool:
    """A body gunicorn could not parse while the app read it (a bad chunk size or extension, a missing
    terminator): the client's mistake, raised inside the app's read."""
    try:
        from gunicorn.http.errors import ParseException
    except ImportError:
        return False
    return isinstance(exc, ParseException)


# An answer smaller than this is sent as it is (the headers would outweigh the saving).
MIN_COMPRESSED_BYTES = 500


def compress_answer(response: Response, accepted) -> None:
    """Compress `response` in place with brotli quality 1 or gzip level 1, whichever the client takes."""
    body = response.get_data()
    if len(body) < MIN_COMPRESSED_BYTES or "Content-Encoding" in response.headers:
        return
    if accepted["br"]:
        response.set_data(brotli.compress(body, quality=1))
        response.headers["Content-Encoding"] = "br"
    elif accepted["gzip"]:
        response.set_data(gzip.compress(body, compresslevel=1))
        response.headers["Content-Encoding"] = "gzip"
    else:
        return
    response.vary.add("Accept-Encoding")


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
    """Send each file once and compressed for every client; a repeat visit then costs only revalidations.

    Stamped assets (`/assets/x?m=<mtime>`) and Dash's fingerprinted bundles change URL when their content
    changes, so they are immutable for a year. Pages and downloads get an ETag from the data version, the code
    and the address (and, for a page, the browser's language), checked before anything is rendered: a
    revalidation costs the server a hash, and a proxy or browser that holds the answer gets a 304. Everything
    else without caching headers of its own (the layout, dependencies, favicon) gets an ETag from its body.
    All of these are `no-cache`: revalidated on each visit.
    """
    server = app.server
    assets = app.config.routes_pathname_prefix + app.config.assets_url_path.strip("/") + "/"
    suites = app.config.routes_pathname_prefix + "_dash-component-suites/"
    compress = next(
        (
            f.__self__
            for f in server.after_request_funcs.get(None, [])
            if isinstance(getattr(f, "__self__", None), Compress)
        ),
        None,
    )
    if compress is not None:
        # flask-compress read its settings when Dash created it; set ours and let it read them again.
        asset_endpoints = [f"{name}.static" for name in server.blueprints if name.endswith("dash_assets")]
        server.config.update(
            COMPRESS_ALGORITHM=COMPRESS_ALGORITHMS,
            COMPRESS_ALGORITHM_STREAMING=COMPRESS_ALGORITHMS,
            COMPRESS_BR_LEVEL=COMPRESS_BR_LEVEL,
            # Files are streamed: the ETag flask-compress gives the compressed body is only checked for these.
            COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", *asset_endpoints],
            COMPRESS_REGISTER=False,
        )
        compress.init_app(server)

    code = code_identity(app)
    pages = {app.config.routes_pathname_prefix, app.config.routes_pathname_prefix + "<path:path>"}

    def versioned_etag() -> str | None:
        """The ETag of a page or download request: the data version, then a digest of what else decides it."""
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
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        path = request.path
        etag = versioned_etag()
        if etag is not None:
            # Weak: the same page whatever the encoding, so flask-compress leaves it as it is.
            response.set_etag(etag, weak=True)
            response.headers["Cache-Control"] = "no-cache"
            if request.endpoint in pages:
                response.vary.add("Accept-Language")
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
