"""The first view as HTML: the page for the address's selection, rendered on the server from the same tree.

`page_html` turns the filled Dash layout into static HTML: html components become their tags; a graph becomes
its view's `Chart` table (in a box at least the graph's height), the very table the interactive page offers
as the chart's alternative, so both state the same figures in the same words; radio buttons and checkboxes
become links to the address of that choice, and what has no meaning without scripts (stores, the Leaflet map)
keeps only its space. The browser shows it at once; the interactive page, built from the same selection,
replaces it when it has drawn (assets/ssr.css), so scripts that are slow or fail leave a complete read-only
dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from . import ids
from .data import Dataset
from .markup import Renderer, escape
from .selection import CONTROL_IDS, Selection, from_store, operation_groups, to_query, to_store, year_field
from .views import VIEWS
from .views.common import Chart, data_table

# The static page's ids carry this prefix: the interactive page, drawn beside it, owns the plain ones.
PREFIX = "ssr-"
SKIPPED = {"Location", "Store", "Download"}
# The stores of drawn boxes (views.common.drawn): their content is rendered where they stand, in the box, by
# the same renderer that writes it for the browser (markup.Drawn); tests/test_first_view.py (ssr013) checks
# that the first view's boxes and the page's are the same.
CONTENT = {ids.content_of(box) for box in ids.DRAWN}


class PageRenderer(Renderer):
    """Static HTML of a filled layout; `links` gives, per control id, the address that picks a value, and
    `charts`, per graph id, the chart whose table stands in for the figure."""

    def __init__(self, links: dict[str, Callable[[str], str]], charts: dict[str, Chart]):
        super().__init__(PREFIX)
        self.links = links
        self.charts = charts

    def element(self, node, tag: str, props: dict) -> str:
        if tag != "button":
            return super().element(node, tag, props)
        link = self._button_link(node)
        if link is None:
            return f"<button{self.attributes(props)} disabled>{self.render(props.get('children'))}</button>"
        shown = {k: v for k, v in props.items() if k not in ("id", "type")}
        return f'<a{self.attributes(shown)} href="{escape(link)}">{self.render(props.get("children"))}</a>'

    def component(self, node, kind: str, props: dict) -> str:
        if kind == "Store" and node.id in CONTENT:
            drawn = props.get("data")
            return drawn.html(PREFIX) if drawn is not None else ""
        if kind in SKIPPED:
            return ""
        if kind == "Graph":
            height = (props.get("style") or {}).get("height", "")
            chart = self.charts.get(node.id)
            return (
                f'<div id="{PREFIX}{escape(node.id)}" class="ssr-graph" style="min-height: {escape(height)}">'
                f"{self.render(data_table(chart.table)) if chart else ''}</div>"
            )
        if kind == "Link":
            return f'<a href="{escape(props.get("href") or "")}">{self.render(props.get("children"))}</a>'
        if kind in ("RadioItems", "Checklist"):
            return self._choices(node, kind == "Checklist")
        if kind == "MapContainer":
            return f'<div id="{PREFIX}{escape(node.id)}" class="ssr-map"></div>'
        if kind == "Input":
            value = escape(props.get("value") or "")
            return f'<input id="{PREFIX}{escape(node.id)}" type="search" value="{value}" readonly>'
        return self.render(props.get("children"))

    def _button_link(self, node) -> str | None:
        """The address a button stands for without scripts ("only this group"), if it has one."""
        given = getattr(node, "id", None)
        key = given.get("type") if isinstance(given, dict) else given
        link = self.links.get(key) if isinstance(key, str) else None
        return link(given.get("group") if isinstance(given, dict) else "") if link else None

    def _choices(self, node, several: bool) -> str:
        link = self.links.get(node.id)
        chosen = node.value if several else [node.value]
        items = []
        for option in node.options or []:
            label, value = option["label"], option["value"]
            # A label that holds more than a name (a group's name, then its "only" button): the rest after the link.
            name, rest = (label[0], label[1:]) if isinstance(label, list) else (label, [])
            picked = value in (chosen or [])
            current = ' aria-current="true"' if picked else ""
            mark = ("☑ " if picked else "☐ ") if several else ""
            body = (
                f'<a class="form-check-label" href="{escape(link(value))}"{current}>{mark}{self.render(name)}</a>'
                f"{self.render(rest)}"
                if link
                else self.render(label)
            )
            items.append(f'<div class="form-check form-check-inline">{body}</div>')
        classes = escape(getattr(node, "class_name", None) or "")
        return f'<div id="{PREFIX}{escape(node.id)}" class="{classes}">{"".join(items)}</div>'


def control_links(ds: Dataset, sel: Selection) -> dict[str, Callable[[str], str]]:
    """For each control (selection.CONTROL_IDS), the address of the selection with one of its values picked,
    a group toggled, or another operation chosen (with that operation's defaults)."""

    def pick(field: str) -> Callable[[str], str]:
        # The value as its control holds it (the year as text): read back the way the page's choices are.
        return lambda value: to_query(ds, from_store(ds, to_store(sel) | {field: value}))

    def toggle(group: str) -> str:
        chosen = set(sel.groups) ^ {group}
        return to_query(ds, replace(sel, groups=tuple(g for g in operation_groups(ds, sel.operation) if g in chosen)))

    def only(groups) -> Callable[[str], str]:
        return lambda group: to_query(ds, replace(sel, groups=groups or (group,)))

    def operation(op: str) -> str:
        return to_query(ds, from_store(ds, {"op": op, "lang": sel.lang, "year": year_field(sel.year)}))

    special = {"op": operation, "groups": toggle}
    return {control: special.get(field) or pick(field) for field, control in CONTROL_IDS.items()} | {
        ids.GROUPS_ALL: only(operation_groups(ds, sel.operation)),
        ids.GROUP_ONLY: only(()),
    }


def page_html(ds: Dataset, sel: Selection, tree) -> str:
    """The filled layout of `sel` as static HTML, inside the element the stylesheet swaps out."""
    charts = {graph_id: chart for view in VIEWS if view.charts for graph_id, chart in view.charts(ds, sel).items()}
    return f'<div id="{ids.SSR}" class="ssr">{PageRenderer(control_links(ds, sel), charts).render(tree)}</div>'
