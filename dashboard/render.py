"""What the page shows for a selection, and what differs between two selections, by component and property.

Each view's fill is serialised once per selection (plotly's public JSON encoder) and cached as text: the
cache holds no object a caller could change, and a repeated selection costs a parse. A change of selection
sends only the properties whose text differs, and a value that differs in a few places (the highlighted
year of a chart, one column of a table) travels as a `Patch` of those places.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import orjson
from dash import Patch
from plotly.io.json import to_json_plotly

from . import exports, names
from .data import Dataset
from .i18n import list_text, quote, t
from .paths import DOWNLOADS, WORKBOOK
from .selection import Selection, operation_groups, to_query
from .views import BY_ID, VIEWS, feed, kpis
from .views.common import filename

# Only these views read the feed's filters (donor type, free-text donor name, sort); the others share one
# cache entry across every filter value, so free text grows at most these views' bounded caches.
FILTERED = {feed.ID, kpis.ID}
# A value is patched when the changed parts are smaller than this share of the whole.
PATCH_SHARE = 0.5


def _key(view_id: str, sel: Selection) -> Selection:
    return sel if view_id in FILTERED else replace(sel, donor_type="all", donor="", sort="date_desc")


@lru_cache(maxsize=512)
def _texts(view_id: str, ds: Dataset, sel: Selection) -> tuple[tuple[tuple[str, str], str], ...]:
    return tuple((key, to_json_plotly(value)) for key, value in BY_ID[view_id].fill(ds, sel).items())


def texts(ds: Dataset, sel: Selection) -> dict[tuple[str, str], str]:
    """Every view's (component id, property) -> the value's JSON text, for the selection."""
    out: dict[tuple[str, str], str] = {}
    for view in VIEWS:
        out.update(_texts(view.ID, ds, _key(view.ID, sel)))
    return out


def _diff(old, new, path: tuple, out: list) -> None:
    """The (path, value) assignments that turn `old` into `new`, descending into dicts and equal-length lists."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        for k in new:
            _diff(old[k], new[k], (*path, k), out)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            _diff(a, b, (*path, i), out)
    else:
        out.append((path, new))


def patch_or_value(old_text: str, new_text: str):
    """A `Patch` of the changed places when they are a small part of the value, else the new value."""
    old, new = orjson.loads(old_text), orjson.loads(new_text)
    changes: list = []
    _diff(old, new, (), changes)
    if not changes or any(not path for path, _ in changes):
        return new
    if len(orjson.dumps([v for _, v in changes])) > PATCH_SHARE * len(new_text):
        return new
    patch = Patch()
    for path, value in changes:
        target = patch
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return patch


def updates(ds: Dataset, before: Selection | None, after: Selection) -> dict[str, dict[str, object]]:
    """{component id: {property: value or patch}} of what differs from `before` (everything without it).

    Fresh objects on every call; the work is cached per pair of selections as JSON text (a patch in its
    wire form, which the browser applies like a `Patch`).
    """
    return orjson.loads(_updates_text(ds, before, after))


@lru_cache(maxsize=1024)
def _updates_text(ds: Dataset, before: Selection | None, after: Selection) -> bytes:
    new = texts(ds, after)
    old = texts(ds, before) if before is not None else {}
    out: dict[str, dict[str, object]] = {}
    for (component, prop), text in new.items():
        previous = old.get((component, prop))
        if previous == text:
            continue
        value = patch_or_value(previous, text) if previous is not None else orjson.loads(text)
        out.setdefault(component, {})[prop] = value.to_plotly_json() if isinstance(value, Patch) else value
    return orjson.dumps(out)


def workbook_href(ds: Dataset, sel: Selection) -> str:
    """The address of the workbook of every view for the selection (served by dashboard/files.py)."""
    return f"{DOWNLOADS}{WORKBOOK}{to_query(ds, sel)}"


def sheet_heading(ds: Dataset, sel: Selection, view) -> str:
    """A sheet's title row: the view, the operation and the part of the selection the view follows,
    'Budget — Mali · Year: 2019'."""
    lang = sel.lang
    known = operation_groups(ds, sel.operation)
    values = {
        "year": (t("year", lang), str(sel.year)),
        "groups": (
            t("groups", lang),
            t("all_groups", lang)
            if sel.groups == known
            else list_text([t(g, lang) for g in sel.groups], lang) or t("none_selected", lang),
        ),
        "source": (t("pop_source", lang), t(f"src_{sel.source}", lang)),
        "donor_type": (t("donor_type", lang), t(f"donor_{sel.donor_type}", lang)),
        "donor": (t("donor_search", lang), quote(sel.donor, lang)),
    }
    parts = [
        t("label_value", lang, label=values[p][0], value=values[p][1])
        for p in view.SHEET_SELECTION
        if p != "donor" or sel.donor
    ]
    operation = names.operation_name(ds, sel.operation, lang)
    return " · ".join([t("sheet_heading", lang, view=t(view.SHEET, lang), operation=operation), *parts])


def workbook(ds: Dataset, sel: Selection) -> tuple[bytes, str]:
    """Every view's download as one sheet of a workbook, in the selection's language, and its file name."""
    with_download = [view for view in VIEWS if view.download is not None]
    sheets = {t(view.SHEET, sel.lang): view.download(ds, sel) for view in with_download}
    titles = {t(view.SHEET, sel.lang): sheet_heading(ds, sel, view) for view in with_download}
    name = filename(ds, sel.operation, "dashboard", sel.year, sel.source).removesuffix(".csv") + ".xlsx"
    return exports.xlsx_bytes(ds, sheets, sel.lang, titles), name
