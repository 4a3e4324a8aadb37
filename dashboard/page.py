"""The page a request asks for: its selection (address and browser languages), its layout and its HTML.

Dash asks for the layout in a second request; its `Referer` is the page address, so the interactive page
starts on the same selection, in the same language, as the HTML the server sent first, and takes over
without a jump. Without a `Referer` (or outside a request) the layout is the default selection's, and the
first callback moves it to the address's.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import flask

from . import offline, ssr
from .dash_internals import LAYOUT_PATH
from .data import Dataset, get_dataset
from .i18n import best_lang, data_version, t
from .layout import build_layout
from .markup import escape
from .names import operation_name
from .selection import Selection, from_query, notice, query_params

# An index page that Dash fills; the first view and the language are there from the first byte.
INDEX = """<!DOCTYPE html>
<html lang="{lang}">
  <head>
    {metas}
    {offline_head}
    <title>{title}</title>
    {favicon}
    {css}
  </head>
  <body>
    {offline_status}
    {first_view}
    {app_entry}
    <footer>
      {config}
      {scripts}
      {renderer}
    </footer>
  </body>
</html>"""


def requested(ds: Dataset) -> tuple[Selection, str]:
    """The selection of the page address (the layout request's `Referer`), and the notice of what was not
    understood."""
    try:
        request = flask.request
        address = request.referrer or "" if request.path == LAYOUT_PATH else request.full_path
        accept = request.accept_languages
    except RuntimeError:  # outside a request: Dash checks the layout once at start-up
        address, accept = "", None
    query = urlsplit(address).query
    sel, bad = from_query(ds, query, fallback_lang=best_lang(accept))
    return sel, notice(ds, query_params(query), sel, bad)


@lru_cache(maxsize=64)
def _layout(ds: Dataset, sel: Selection, notice: str):
    return build_layout(ds, sel, notice)


def layout():
    """Dash's layout function: the page for the requested selection."""
    ds = get_dataset()
    sel, text = requested(ds)
    return _layout(ds, sel, text)


@lru_cache(maxsize=64)
def _first_view(ds: Dataset, sel: Selection, notice: str) -> str:
    return ssr.page_html(ds, sel, _layout(ds, sel, notice))


def index(**parts) -> str:
    """Dash's `interpolate_index`: the page's HTML with its first view, language and title."""
    ds = get_dataset()
    sel, text = requested(ds)
    name = operation_name(ds, sel.operation, sel.lang)
    return INDEX.format(
        **parts
        | {
            "lang": sel.lang,
            "title": escape(t("tab_title", sel.lang, name=name)),
            "first_view": _first_view(ds, sel, text),
            "offline_head": offline.head_html(ds, sel),
            "offline_status": offline.status_html(sel.lang, data_version("data_stamp", ds.version, ds.as_of, sel.lang)),
            "favicon": offline.favicon_html(),
            "app_entry": parts["app_entry"].replace("Loading...", t("loading", sel.lang)),
        }
    )
