"""Html components as HTML text: the one renderer of a component tree and the one escaper of the app.

The first view (ssr.py) and every drawn box (views.common.drawn) are written here, so both give the same
elements, attributes and text. A drawn box's content reaches the browser as this HTML (`Drawn`, which Dash's
and plotly's JSON encoders turn into its text), and assets/dashboard.js puts it in place through a <template>:
every text and attribute value from data is escaped once, here, and nothing is built from it in the browser.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from dash.development.base_component import Component

HTML_NAMESPACE = "dash_html_components"
# Properties that become HTML attributes under another name; only these, PASSED ones and aria-/data- ones
# become attributes (an html component's other props, n_clicks and the like, are Dash's own).
ATTRIBUTES = {
    "className": "class",
    "htmlFor": "for",
    "dateTime": "datetime",
    "colSpan": "colspan",
    "rowSpan": "rowspan",
}
PASSED = {"id", "href", "download", "role", "scope", "type", "title", "lang", "style", *ATTRIBUTES}
# Attributes that name an element of the page: they carry the renderer's id prefix.
NAMING = ("id", "htmlFor", "aria-labelledby", "aria-describedby", "aria-controls")
VOID = {"br", "hr", "img", "input", "wbr"}


def escape(value) -> str:
    """Text or an attribute's value, quotes included, as HTML."""
    return html.escape(str(value), quote=True)


def style_text(style: dict) -> str:
    """A style dict ({"minHeight": "2px"}) as CSS text ("min-height: 2px")."""

    def css_name(name: str) -> str:
        return "".join(f"-{c.lower()}" if c.isupper() else c for c in name)

    return "; ".join(f"{css_name(k)}: {v}" for k, v in style.items() if v is not None)


class Renderer:
    """HTML of a tree of html components, strings and numbers. `prefix` goes before every id the HTML gives
    or names (ids, `for`, in-page links): the first view stands beside the interactive page, which owns the
    plain ids. Other components are `component`'s to render (none here: a drawn box holds html only)."""

    def __init__(self, prefix: str = ""):
        self.prefix = prefix

    def render(self, node) -> str:
        if node is None or node is False:
            return ""
        if isinstance(node, str | int | float):
            return escape(node)
        if isinstance(node, list | tuple):
            return "".join(self.render(child) for child in node)
        if not isinstance(node, Component):
            raise TypeError(f"not a component: {node!r}")
        # Dash's own serialisation: the props set (wildcard aria-/data- ones included), type and namespace.
        as_json = node.to_plotly_json()
        kind, props = as_json["type"], as_json["props"]
        if as_json["namespace"] == HTML_NAMESPACE:
            return self.element(node, kind.lower(), props)
        return self.component(node, kind, props)

    def element(self, node: Component, tag: str, props: dict) -> str:
        attributes = self.attributes(props)
        if tag in VOID:
            return f"<{tag}{attributes}>"
        return f"<{tag}{attributes}>{self.render(props.get('children'))}</{tag}>"

    def component(self, node: Component, kind: str, props: dict) -> str:
        raise TypeError(f"html components only, not {kind}")

    def attributes(self, props: dict) -> str:
        parts = []
        for name, value in props.items():
            if value is None or value is False or not (name in PASSED or name.startswith(("aria-", "data-"))):
                continue
            attribute = ATTRIBUTES.get(name, name)
            if value is True:
                parts.append(attribute)
                continue
            if name == "style":
                text = style_text(value)
            elif name in NAMING:
                text = f"{self.prefix}{value}"
            elif name == "href" and str(value).startswith("#"):
                text = f"#{self.prefix}{str(value)[1:]}"
            else:
                text = str(value)
            parts.append(f'{attribute}="{escape(text)}"')
        return "".join(f" {part}" for part in parts)


@dataclass(frozen=True, eq=False)
class Drawn:
    """A drawn box's content: html components, without ids. Serialised (Dash's layout, a callback's answer,
    plotly's encoder), it is their HTML; the first view renders it with its own prefix (`html`)."""

    content: object

    def html(self, prefix: str = "") -> str:
        return Renderer(prefix).render(self.content)

    def to_plotly_json(self) -> str:
        return self.html()
