"""Every choice's answer as a resource the browser, the service worker and a proxy can keep.

`GET /answers/<code version>/<data version>?<selection>` holds everything the page shows for a selection (every view's
filled properties, the frame's texts and options, the controls, the address, the notice): the same builders
and rules as the first view and the downloads (`callbacks.update`, `render`, `layout.labels`), computed once
per address and serialised once. The address names the data version and the code's (code_version.py), so an
answer never changes under its address: it is cacheable for a year. An address of another version gets a small redirect (307, never kept) to the
same choice on the version the instance has; the page that meets an answer of another version moves whole to
it (its address reloads). An address of other code (a page loaded before a deploy) is told a version no page
has, never kept, so that page moves whole too: its scripts never read an answer of another shape. The language is always in the address
(the page's script writes every field), so no answer depends on a request header.

`page_config` is what the page's scripts share with Python: ids, paths, time limits and the version rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache

import orjson
from flask import Response, request
from plotly.io.json import to_json_plotly

from . import ids
from .callbacks import (
    CHOICE_ARGUMENTS,
    CHOICE_OUTPUTS,
    CHOICE_SET_APART,
    LABEL_OUTPUTS,
    choice_views,
    frame_labels,
    frame_views,
    update,
)
from .code_version import CODE_VERSION
from .data import Dataset
from .i18n import data_version
from .selection import (
    CONTROL_IDS,
    Selection,
    from_store,
    operation_years,
    query_params,
    to_query,
    to_store,
    year_field,
)
from .views import mapview
from .views.common import GRAPH_PLACE

ANSWERS_PATH = "/answers/"
# The field of an address that asks for the operation-change rule (selection.OPERATION_CHANGE): another
# operation keeps the year and the groups it also has.
RULE = "rule"
OPERATION_RULE = "operation"
YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
# Longest query the resource reads: every field at its longest fits well within it.
MAX_QUERY = 2048
# A page asks the server for its data version again when it regains focus or the link comes back, at most
# this often; the answers it fetches carry their version meanwhile.
REVALIDATE_MS = 30_000
HEALTH_PATH = "/healthz"
CONFIG_ID = "dashboard-config"
# A fetch of an answer that has not come back after this long counts as no answer (offline, or a server gone).
ANSWER_TIMEOUT_MS = 15_000
# The page keeps at most this many answers in memory; the worker keeps them by address for offline use.
KEPT_ANSWERS = 64


def version_matches(page_version, server_version: str) -> bool:
    """The version rule: a page (or an address) shows the server's data only when it names the same version."""
    return page_version == server_version


def _controls(params: dict) -> dict:
    """An address's fields as the controls would hold them (groups as a list), for the operation rule."""
    out = {name: (values[0] if values else None) for name, values in params.items() if name in CONTROL_IDS}
    groups = out.get("groups")
    out["groups"] = [g for g in groups.split(",") if g and g != "none"] if isinstance(groups, str) else []
    return out


def answer(ds: Dataset, query: str) -> dict:
    """What the page shows for the selection of `query` (an address's search part, without its '?')."""
    params = query_params(query) or {}
    rule = params.pop(RULE, None)
    if rule == [OPERATION_RULE]:
        out = update(ds, ids.OPERATION, "", _controls(params))
    else:
        out = update(ds, ids.URL, "?" + query, {}, accept=None)
    sel = out["selection"]
    views = out["views"]
    lang = sel["lang"]
    frame_texts = frame_labels(ds, {"op": sel["op"], "lang": lang})
    for name, (component, prop) in LABEL_OUTPUTS.items():
        views.setdefault(component, {})[prop] = frame_texts[name]
    selection = from_store(ds, sel)
    views[ids.MAP_DETAILS] = {"children": mapview.details(ds, selection, None, None)}
    return {
        "key": query,
        "version": ds.version,
        "controls": out["controls"],
        "selection": sel,
        "url": to_query(ds, selection),
        "notice": out["notice"],
        "frame": {"op": sel["op"], "lang": lang},
        "operation_shown": sel["op"],
        "workbook": out["workbook"],
        "summary": out["summary"],
        "views": views,
    }


@lru_cache(maxsize=256)
def answer_bytes(ds: Dataset, query: str) -> bytes:
    """The answer as JSON, serialised once per address (plotly's encoder: figures and components)."""
    return to_json_plotly(answer(ds, query)).encode()


def answers_base() -> str:
    """Where the answers of this code are: the page's scripts add the data version and the query."""
    return f"{ANSWERS_PATH}{CODE_VERSION}/"


def answer_address(version: str, query: str) -> str:
    return f"{answers_base()}{version}?{query}"


def page_config(ds: Dataset, sel: Selection) -> dict:
    """What the page's scripts share with Python (assets/answers.js, offline.js, dashboard.js)."""
    return {
        "version": ds.version,
        "selection": to_store(sel),
        "years": [year_field(y) for y in operation_years(ds, sel.operation)],
        "answers": answers_base(),
        "rule": RULE,
        "operationRule": OPERATION_RULE,
        "controls": CONTROL_IDS,
        "barClick": ids.BUDGET_YEARS,
        "url": ids.URL,
        "arguments": list(CHOICE_ARGUMENTS),
        "outputs": list(CHOICE_OUTPUTS),
        # The views' properties the choice callback sets, after its named outputs: [component id, property].
        "views": [list(output) for output in choice_views(ds)],
        # What the frame's callback sets when the language or operation changes, in order.
        "frameViews": [list(output) for output in frame_views(ds)],
        # What a choice sets on its own when it changes: {name: [component id, property]}.
        "apart": {name: list(output) for name, output in CHOICE_SET_APART.items()},
        "revalidateMs": REVALIDATE_MS,
        "timeoutMs": ANSWER_TIMEOUT_MS,
        "kept": KEPT_ANSWERS,
        "health": HEALTH_PATH,
        "firstView": ids.SSR,
        # The box a chart is drawn in (views.common.graph): watched to draw the chart as it comes near the screen.
        "graphPlace": GRAPH_PLACE,
        "notice": ids.NOTICE,
        # Said once the page has moved whole to new data (a choice or a prefetch redirected to the new version).
        "updated": data_version("data_updated", ds.version, ds.as_of, sel.lang),
    }


def config_html(ds: Dataset, sel: Selection, extra: dict | None = None) -> str:
    """The page config (and `extra`, what other modules share with the scripts) as a JSON data block: not a
    script, so the Content-Security-Policy has nothing to allow."""
    text = json.dumps(page_config(ds, sel) | (extra or {}), separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<script type="application/json" id="{CONFIG_ID}">{text}</script>'


def register(server, get_ds: Callable[[], Dataset]) -> None:
    """Serve `/answers/<code>/<version>?<selection>`; another version is redirected to the instance's, and
    other code (or an address without it, from the scripts before it was named) is told to move whole."""

    @server.route(ANSWERS_PATH + "<version>", defaults={"code": None})
    @server.route(ANSWERS_PATH + "<code>/<version>")
    def _answer(code: str | None, version: str):
        ds = get_ds()
        if code != CODE_VERSION:
            # Not a redirect: the page would follow it and read an answer of another shape. A version no page
            # has (the data's and the code's) makes its scripts move the page whole, to this code's scripts.
            body = orjson.dumps({"error": "other code", "version": f"{ds.version}+{CODE_VERSION}"})
            return Response(body, mimetype="application/json", headers={"Cache-Control": "no-store"})
        if not version_matches(version, ds.version):
            # Said cheaply (no answer computed for it): a redirect to the same choice on the instance's version,
            # never kept (another instance may still have the old one).
            body = orjson.dumps({"error": "other data version", "version": ds.version})
            location = answer_address(ds.version, request.query_string.decode("latin-1"))
            headers = {"Cache-Control": "no-store", "Location": location}
            return Response(body, status=307, mimetype="application/json", headers=headers)
        query = request.query_string.decode("latin-1")
        if len(query) > MAX_QUERY:
            body = orjson.dumps({"error": "bad request", "reason": f"query longer than {MAX_QUERY} characters"})
            return Response(body, status=414, mimetype="application/json")
        body = answer_bytes(ds, query)
        response = Response(body, mimetype="application/json")
        response.headers["Cache-Control"] = IMMUTABLE
        response.set_etag(hashlib.sha256(body).hexdigest()[:20])
        return response.make_conditional(request)
