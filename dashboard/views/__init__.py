"""The views, one module each, in page order.

A view module owns everything about its card, as `contract.View` writes down: `ID`; `card(ds, selection)`,
the card's components with their ids (from `ids`); `fill(ds, selection)`, what it puts in them, as
`{(component_id, property): value}`; `charts(ds, selection)` (or `charts = None`), its plotly charts by graph
id, each a `Chart` that carries its figure and the `Table` of what it draws (the table alternative and the
first view show that table); `dates(ds, selection)` (or `dates = None`), the dates its figures refer to;
and `download(ds, selection)` (or `download = None`), the `Download` its CSV button serves. The page frame,
the callbacks, the first view and the workbook loop over `VIEWS` and never name a view's outputs, so adding
a view is one module, one line here and its strings in `catalogue`.
"""

from . import budget, feed, glossary, keyfigures, kpis, mapview, people
from .contract import View

VIEWS: tuple[View, ...] = (kpis, mapview, people, budget, keyfigures, feed, glossary)
BY_ID = {view.ID: view for view in VIEWS}
