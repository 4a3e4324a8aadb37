"""What a view module is: the contract every module in `VIEWS` meets (tests/test_views.py checks each one).

A view owns everything about its card: its id, its components, what it fills them with, its charts with their
tables, the dates its figures refer to and its download. The page frame, the callbacks, the first view and the
workbook use nothing else, so a view is one module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from dash.development.base_component import Component

from ..data import Dataset
from ..derived import ViewDates
from ..selection import Selection
from .common import Chart, Download


@runtime_checkable
class View(Protocol):
    """A view module. Each function is pure in (dataset, selection); the optional ones are None in a view
    that has nothing of the kind (the headline strip has no chart, no dates of its own and no download)."""

    # Its card's id (from `ids`), unique on the page.
    ID: str
    # Its plotly charts by graph id, each with the table of what it draws; every dcc.Graph of its card has one.
    charts: Callable[[Dataset, Selection], dict[str, Chart]] | None
    # The dates its figures refer to and when its sources were published, for its card's dates line.
    dates: Callable[[Dataset, Selection], ViewDates] | None
    # What its CSV link serves; a view with a download also names its workbook sheet (`SHEET`, an i18n key).
    download: Callable[[Dataset, Selection], Download] | None

    def card(self, ds: Dataset, sel: Selection) -> Component:
        """The card's components and their ids; `fill` gives their content."""

    def fill(self, ds: Dataset, sel: Selection) -> dict[tuple[str, str], object]:
        """Everything the card shows for the selection, as {(component id, property): value}."""
