"""The request guard: a callback request is refused with a 4xx, before Dash sees it, unless it is a call of
one of our server callbacks within the limits (dashboard/limits.py). Dash trusts the shape of this JSON; what
does not match a registered callback exactly would otherwise surface as a 500."""

from __future__ import annotations

import json

from flask import Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .dash_internals import UPDATE_PATH, callback_dependencies
from .limits import MAX_BODY_BYTES
from .safety import nests_deeper

__all__ = ["UPDATE_PATH", "bad_request", "check_update", "malformed_body", "read_update"]
# Our callbacks' values nest 4 levels at most (a figure's click data); 32 leaves room and no deep recursion.
MAX_JSON_DEPTH = 32


def bad_request(reason: str, status: int = 400) -> Response:
    """The app's answer to a request it refuses: JSON with a reason (nginx's and gunicorn's own say the same)."""
    response = jsonify({"error": "bad request", "reason": reason})
    response.status_code = status
    return response


def _same(item, dependency: dict) -> bool:
    return (
        isinstance(item, dict) and item.get("id") == dependency["id"] and item.get("property") == dependency["property"]
    )


def _all_same(given, expected: list[dict]) -> bool:
    return (
        isinstance(given, list)
        and len(given) == len(expected)
        and all(_same(g, e) for g, e in zip(given, expected, strict=True))
    )


def check_update(app, body) -> str | None:
    """Why an update request cannot be a call of one of our server callbacks, or None when it can.

    Dash trusts the shape of this JSON; a request that does not match a registered callback exactly would
    otherwise surface as a 500. Values inside are left to the callbacks, which parse them defensively.
    """
    if not isinstance(body, dict):
        return "expected a JSON object"
    output = body.get("output")
    found = callback_dependencies(app, output) if isinstance(output, str) else None
    if found is None:
        return "unknown callback"
    inputs, state, outputs = found
    for key, expected in (("inputs", inputs), ("state", state)):
        if not _all_same(body.get(key, []), expected):
            return f"'{key}' does not match the callback"
    given = body.get("outputs")
    if not (_all_same(given, outputs) if isinstance(outputs, list) else _same(given, outputs)):
        return "'outputs' does not match the callback"
    changed = body.get("changedPropIds", [])
    names = {f"{i['id']}.{i['property']}" for i in inputs}
    # Dash parses an entry that starts with "{" as a pattern id; ours are plain ids, so only inputs may appear.
    if not isinstance(changed, list) or not all(isinstance(c, str) and c in names for c in changed):
        return "'changedPropIds' must list inputs of the callback"
    return None


def read_update(app) -> Response | None:
    """Refuse an update request that is too large (chunked bodies included), not JSON, nested too deeply or
    not a call of one of our callbacks; None lets Dash handle it.

    The body is read through Flask's MAX_CONTENT_LENGTH limit (set in `server.configure` one byte above ours),
    which werkzeug also applies to a chunked body as it streams in: at most MAX_BODY_BYTES + 1 bytes are
    ever read, and reading that many means too large.
    """
    if request.method != "POST":
        return bad_request("use POST", 405)
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raw = None
    if raw is None or len(raw) > MAX_BODY_BYTES:
        return bad_request(f"request larger than {MAX_BODY_BYTES} bytes", 413)
    try:
        body = json.loads(raw)
    except RecursionError:
        return bad_request(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    except ValueError:
        return bad_request("expected a JSON object")
    if nests_deeper(body, MAX_JSON_DEPTH):
        return bad_request(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    reason = check_update(app, body)
    return bad_request(reason) if reason else None


def malformed_body(exc: Exception) -> bool:
    """A body gunicorn could not parse while the app read it (a bad chunk size or extension, a missing
    terminator): the client's mistake, raised inside the app's read."""
    try:
        from gunicorn.http.errors import ParseException
    except ImportError:
        return False
    return isinstance(exc, ParseException)
