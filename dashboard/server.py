"""The Flask server under the Dash app, as production needs it: a health check, the request guard, security
and caching headers, compression, and errors without tracebacks (each in its own module, wired here).

No per-process state is kept beyond caches derived from the read-only data directory, so any number of
gunicorn workers or instances can serve the same data behind a load balancer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from dash.exceptions import DependencyException
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from .caching import configure_caching, page_endpoints
from .compression import compress_callback_answers, configure_file_compression
from .dash_internals import COMPONENT_SUITES
from .data import Dataset, freshness
from .limits import MAX_BODY_BYTES
from .paths import DATA_VERSION_HEADER
from .request_guard import UPDATE_PATH, bad_request, malformed_body, read_update
from .security_headers import add_security_headers
from .version_hiding import hide_versions

log = logging.getLogger(__name__)


def configure(app, get_ds: Callable[[], Dataset]) -> None:
    """Health check, request guard, security and caching headers, compression, and errors without tracebacks.

    Flask runs `after_request` functions last registered first: compression, caching, then the headers."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    server.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    server.config["MAX_FORM_PARTS"] = 100
    hide_versions(app)
    add_security_headers(app)
    add_health_check(server, get_ds)
    pages = page_endpoints(app)

    @server.before_request
    def guard():
        if request.path == UPDATE_PATH:
            return read_update(app)
        # A script Dash does not have is not a page: a 404, not the page's HTML under a script's name.
        if request.path.startswith(COMPONENT_SUITES) and request.endpoint in pages:
            return bad_request("Not Found", 404)
        return None

    @server.after_request
    def data_version(response: Response) -> Response:
        # Which data every answer was computed from: the page and any copy a browser keeps can tell two
        # versions apart without parsing the body.
        response.headers[DATA_VERSION_HEADER] = get_ds().version
        return response

    configure_file_compression(server)
    configure_caching(app, get_ds)
    compress_callback_answers(server)
    handle_errors(server)


def add_health_check(server, get_ds: Callable[[], Dataset]) -> None:
    """/healthz: the data this instance serves, and which instance it is."""
    # The process that loaded the app: gunicorn's master under preload, whose workers inherit it. A supervisor
    # that started that master tells its answer from one of an older instance's orphaned workers.
    instance = os.getpid()

    @server.route("/healthz")
    def healthz():
        ds = get_ds()
        body = {"status": "ok", "operations": len(ds.operations), "data_version": ds.version, "instance": instance}
        return jsonify(body | {"statistics": freshness(ds)})


def handle_errors(server) -> None:
    """Every error as JSON with a reason, a client's mistake as a 4xx, never a traceback."""

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return bad_request(exc.name, exc.code or 400)

    @server.errorhandler(DependencyException)
    def unknown_component_file(exc: DependencyException):
        return bad_request("Not Found", 404)

    @server.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, OSError) and request.path.startswith(COMPONENT_SUITES):
            return bad_request("Not Found", 404)
        if malformed_body(exc):
            return bad_request(f"malformed request body: {type(exc).__name__}")
        log.exception("unhandled error on %s", request.path)
        return bad_request("the request could not be handled", 500)
