"""Offline use: the web app manifest, the service worker's script and what the page carries for them.

The worker (`dashboard/sw.js`, served at `/sw.js` so that its scope is the whole site) keeps the pages a
browser has seen and every year of the selection on screen, tied to the data version they came from; the
page's own script (`assets/offline.js`) registers it and says when the figures shown are a saved copy. Both
are served by the app from its own origin under the same Content-Security-Policy as every other answer.

An address reached offline only (a year chosen from kept answers, then the page reloaded) has no saved page
of its own, but its answer is kept. For it the worker serves the stand-in page of its operation and language
(`SHELL_PATH`, saved once with the pages): the app's own page, made by the server to show nothing, neither
its first view nor the interactive page, until the page script has filled it from the kept answer of the
address it stands at. So no other address's figures are ever on screen under that address, not for a frame,
and the worker rewrites no HTML.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import Response, has_request_context, request

from . import ids
from .answers import ANSWER_TIMEOUT_MS, ANSWERS_PATH, HEALTH_PATH, config_html
from .callbacks import CHOICE_OUTPUTS, CHOICE_SET_APART
from .data import Dataset
from .i18n import LANGS, best_lang, t
from .markup import escape
from .names import operation_name
from .paths import DATA_VERSION_HEADER, DOWNLOADS
from .selection import Selection, default_operation, to_store

WORKER_PATH = "/sw.js"
# The stand-in page of an operation and language: Dash's page (any path is) for the bare selection of `?op=&lang=`.
SHELL_PATH = "/offline-page"
# Set on <html> once the stand-in page shows its own address's figures (assets/offline.js).
STAND_IN_SHOWN = "data-stand-in-shown"
# The stand-in page shows neither its first view (another selection's) nor the interactive page until filled.
STAND_IN_STYLE = (
    f"<style>#{ids.SSR}{{display:none}}html:not([{STAND_IN_SHOWN}]) #react-entry-point{{visibility:hidden}}</style>"
)
# What the stand-in page sets beside the views and the controls, where a choice sets it (callbacks.py): the
# answer's field -> [component id, property].
STAND_IN_OUTPUTS = {
    name: list(target)
    for name, target in (CHOICE_OUTPUTS | CHOICE_SET_APART).items()
    if name in ("selection", "notice", "workbook", "summary")
}
MANIFEST_PATH = "/manifest.webmanifest"
ICON_SIZES = (192, 512)
MAX_SHORT_NAME = 12  # characters a home screen shows under an icon without cutting
THEME_COLOUR = "#0072b2"  # --brand in assets/dashboard.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg
STATUS_ID = "offline-status"
STATUS_STYLE = "position:sticky;top:0;z-index:1100;margin:0"
# The texts the worker and the page script show, by the names they use.
OFFLINE_TEXTS = {
    "saved": "offline_saved",
    "unavailable": "offline_unavailable",
    "download": "offline_download",
    "notsaved": "offline_not_saved",
    "openlast": "offline_open_last",
}
WORKER_SOURCE = Path(__file__).with_name("sw.js")
# A page, layout or answer the network has not brought after this long is taken from the saved copies.
NETWORK_TIMEOUT_MS = 5000
SAVE_TIMEOUT_MS = 30000
PAGE_LIMIT = 24  # saved pages per operation and language
# Saved answers per data version: every year of a few selections (about 7.5 kB each, compressed on the wire).
ANSWER_LIMIT = 160
STATIC_LIMIT = 80


def icon_url(size: int) -> str:
    return f"/assets/icons/icon-{size}.png"


def app_names(ds: Dataset, operation: str, lang: str) -> tuple[str, str]:
    """The installed app's name (the tab's title: operation and UNHCR) and its short name, 'UNHCR Mali' /
    'HCR Mali', or with the operation's code when its name would not fit under an icon."""
    name = operation_name(ds, operation, lang)
    short = t("app_short_name", lang, name=name)
    if len(short) > MAX_SHORT_NAME:
        short = t("app_short_name", lang, name=operation)
    return t("tab_title", lang, name=name), short


def favicon_html() -> str:
    """The app's own icon in the browser tab (in place of Dash's)."""
    return f'<link rel="icon" type="image/png" sizes="192x192" href="{icon_url(192)}">'


def manifest(ds: Dataset, operation: str, lang: str) -> dict:
    """The web app manifest of an operation in `lang`: installable, opening on that operation's dashboard in
    that language."""
    icons = [
        {"src": icon_url(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for purpose in ("any", "maskable")
        for size in ICON_SIZES
    ]
    name, short = app_names(ds, operation, lang)
    start = f"/?lang={lang}" if operation == default_operation(ds) else f"/?op={operation}&lang={lang}"
    return {
        "id": "/" if operation == default_operation(ds) else f"/?op={operation}",
        "name": name,
        "short_name": short,
        "description": t("app_description", lang),
        "lang": lang,
        "dir": "ltr",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }


def stand_in_address(ds: Dataset, sel: Selection) -> str:
    """The address of the stand-in page of the selection's operation and language."""
    op = "" if sel.operation == default_operation(ds) else f"op={sel.operation}&"
    return f"{SHELL_PATH}?{op}lang={sel.lang}"


def is_stand_in() -> bool:
    """Whether the page asked for is the stand-in page."""
    return has_request_context() and request.path == SHELL_PATH


def head_html(ds: Dataset, sel: Selection) -> str:
    """Tags for the page's head: manifest, theme colour, home-screen icon, and what the worker files the page
    under (the data version and the selection it shows); on the stand-in page, what keeps it blank until it is
    filled."""
    selection = json.dumps(to_store(sel), separators=(",", ":"), sort_keys=True)
    op = "" if sel.operation == default_operation(ds) else f"op={escape(sel.operation)}&amp;"
    stand_in = is_stand_in()
    extra = {
        "worker": WORKER_PATH,
        "downloads": DOWNLOADS,
        "status": STATUS_ID,
        "standInPage": stand_in_address(ds, sel),
        "standIn": stand_in,
        "standInShown": STAND_IN_SHOWN,
        "standInOutputs": STAND_IN_OUTPUTS,
    }
    tags = (
        f'<link rel="manifest" href="{MANIFEST_PATH}?{op}lang={sel.lang}">',
        f'<meta name="theme-color" content="{THEME_COLOUR}">',
        f'<link rel="apple-touch-icon" href="{icon_url(192)}">',
        f'<meta name="data-version" content="{escape(ds.version)}">',
        f'<meta name="dashboard-selection" content="{escape(selection)}">',
        config_html(ds, sel, extra),
    )
    if stand_in:
        tags += ('<meta name="robots" content="noindex">', STAND_IN_STYLE)
    return "\n    ".join(tags)


def status_html(lang: str, figures: str = "") -> str:
    """The line that says the figures are a saved copy: hidden until the page script fills it, its texts in
    the page language as data attributes (`figures`: the figures' date in words). It stays at the top of the screen while the reader scrolls (sticky: it takes its own
    place in the page, so it covers nothing when the page is at its top)."""
    texts = " ".join(f'data-{name}="{escape(t(key, lang))}"' for name, key in OFFLINE_TEXTS.items())
    return (
        f'<p id="{STATUS_ID}" class="offline-status" role="status" hidden style="{STATUS_STYLE}"'
        f' data-figures="{escape(figures)}" {texts}></p>'
    )


def worker_config() -> dict:
    """What the worker shares with Python: paths, limits, time limits and texts in every language."""
    return {
        "answers": ANSWERS_PATH,
        "health": HEALTH_PATH,
        "versionHeader": DATA_VERSION_HEADER,
        "networkOnly": [WORKER_PATH, DOWNLOADS],
        "shellPath": SHELL_PATH,
        "networkTimeoutMs": NETWORK_TIMEOUT_MS,
        # An answer has no saved copy to show instead: the worker waits for a server slow but there.
        "answerTimeoutMs": ANSWER_TIMEOUT_MS,
        "saveTimeoutMs": SAVE_TIMEOUT_MS,
        "pageLimit": PAGE_LIMIT,
        "answerLimit": ANSWER_LIMIT,
        "staticLimit": STATIC_LIMIT,
        "texts": {lang: {name: t(key, lang) for name, key in OFFLINE_TEXTS.items()} for lang in LANGS},
    }


@cache
def worker_script() -> str:
    """The worker's source with its CONFIG filled in."""
    config = json.dumps(worker_config(), ensure_ascii=False)
    return WORKER_SOURCE.read_text(encoding="utf-8").replace("/* CONFIG */ {}", config)


def register(server, get_ds: Callable[[], Dataset]) -> None:
    """Serve the worker at the site's root (its scope) and the manifest in the requested language."""

    @server.route(WORKER_PATH)
    def _worker():
        # No-cache (set for every answer without caching headers): browsers check for a new worker on each visit.
        return Response(worker_script(), mimetype="text/javascript")

    @server.route(MANIFEST_PATH)
    def _manifest():
        ds = get_ds()
        lang = request.args.get("lang")
        if lang not in LANGS:
            lang = best_lang(request.accept_languages)
        operation = request.args.get("op")
        if operation not in ds.operations.index:
            operation = default_operation(ds)
        body = json.dumps(manifest(ds, operation, lang), ensure_ascii=False)
        return Response(body, mimetype="application/manifest+json")
