"""The glossary: what each term means, in our own words, and why the two sources differ (with the data's
own example). Labels elsewhere on the page link to its entries."""

from __future__ import annotations

from dash import html

from .. import ids
from ..data import Dataset
from ..glossary import glossary_section
from ..i18n import t
from ..selection import Selection

ID = ids.GLOSSARY


def card(ds: Dataset, sel: Selection) -> html.Section:
    return html.Section(
        [html.H2(id=ids.title_of(ID)), html.Dl(id=ids.GLOSSARY_LIST, className="glossary")],
        id=ID,
        className="card wide",
        **{"aria-labelledby": ids.title_of(ID)},
    )


def fill(ds: Dataset, sel: Selection) -> dict:
    """The title and every entry (term, definition), each term carrying its anchor for the links."""
    entries = []
    for anchor_id, title, definition in glossary_section(sel.lang, ds, sel.operation):
        entries += [html.Dt(html.Dfn(title), id=anchor_id), html.Dd(definition)]
    return {(ids.title_of(ID), "children"): t("glossary_title", sel.lang), (ids.GLOSSARY_LIST, "children"): entries}


charts = None  # no plotly chart
dates = None  # words, not figures
download = None  # the glossary is words, not figures
