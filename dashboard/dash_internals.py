"""Every place the Python side relies on Dash beyond its public API, and why; nothing else in the app may.

Dash documents its layout, callbacks, `index_string` and the `interpolate_index` hook; it does not document
its routes, the registry it dispatches callbacks from, when it prepares its server, or how it writes the
`{%scripts%}` of a page. The app needs each of these for a reason given beside it. Each is exercised against
the installed Dash by tests/test_dash_internals.py, so an upgrade that moves one fails a test instead of the
app failing quietly (a page with every script, a request refused or let through, a version shown).
"""

from __future__ import annotations

import re

# Dash's routes, as its renderer calls them. The request guard reads an update before Dash does (to refuse a
# malformed one with a 4xx, not a 500); the server tells a missing component script from a page; the page
# answers the layout for the address its Referer names, and caching says the layout varies with it.
UPDATE_PATH = "/_dash-update-component"
COMPONENT_SUITES = "/_dash-component-suites/"
LAYOUT_PATH = "/_dash-layout"

# How Dash writes the scripts of a page: one `<script src="…"></script>` per file, component files named
# with a cache-busting `v<package version>m<file mtime>` part. delivery.py defers the scripts and leaves
# out two it never needs (Dash's table bundle, Babel's whole polyfill); version_hiding.py hides the versions.
UNUSED_SCRIPTS = re.compile(r'\s*<script src="[^"]*/(?:dash_table/bundle|deps/polyfill@)[^"]*"></script>')
EXTERNAL_SCRIPT = re.compile(r"<script (?![^>]*\b(?:defer|async)\b)(?=[^>]*\bsrc=)")
FINGERPRINT = re.compile(r"\.v([\w-]+)m([0-9a-fA-F]+)\.")
# How Dash links a stylesheet of the assets folder (stamped with its mtime), which delivery.py inlines, and
# the version it appends to the favicon's address, which version_hiding.py removes.
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*/assets/([\w.-]+)\?m=[^"]*">')
FAVICON_VERSION = re.compile(r"\?v=[^\"]*")
# The keys of the page's config (a JSON `<script>`) where Dash writes versions, which version_hiding.py removes.
VERSION_KEYS = ("dash_version", "python_version", "plotly_version", "ddk_version", "dash_version_url")
# The notice for Internet Explorer in Dash's default `index_string` (it names no version, but no browser we
# serve needs it).
IE_NOTICE = re.compile(r"\s*<!--\[if IE\]>.*?<!\[endif\]-->", re.S)


def setup_server(app) -> None:
    """Run Dash's first-request setup now (script paths registered, layout checked, inline scripts collected).

    Left to the first request, Dash marks it done before registering the script paths, so requests reaching a
    fresh worker meanwhile got 404s for React or Dash's renderer. Dash has no public call for it.
    """
    app._setup_server()


def callback_dependencies(app, output: str) -> tuple[list[dict], list[dict], dict | list[dict]] | None:
    """The inputs, states and outputs (as `{"id", "property"}`) of the server callback whose output key (as the
    renderer sends it) is `output`, None when no server callback has that key. The outputs come as the renderer
    sends them: one dict for a callback declared with one `Output`, a list for one declared with a list.

    Dash dispatches an update through `app.callback_map` without checking the request against it; the request
    guard checks it here first. Clientside callbacks are in the map with no Python function.
    """
    spec = app.callback_map.get(output)
    if spec is None or spec.get("callback") is None:
        return None
    declared = spec["output"]
    outputs = [_dependency(o) for o in declared] if isinstance(declared, list) else _dependency(declared)
    return spec["inputs"], spec["state"], outputs


def _dependency(output) -> dict:
    return {"id": output.component_id, "property": output.component_property}
