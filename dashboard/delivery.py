"""How the page's files reach a phone without holding back its first paint.

The first view is in the HTML (dashboard/ssr.py); nothing should stop the browser from painting it:
- every script is deferred (`defer` keeps the document's order of execution, so React, the component
  bundles, plotly and Dash's renderer still run in the order Dash wrote them), and Dash's renderer starts
  once they have all run (`DOMContentLoaded` fires after the last deferred script);
- bundles the page never uses are not named: Dash's table bundle (the page has no DataTable) and Babel's
  polyfill for browsers Dash no longer supports. Dash's renderer and component bundles are compiled against
  Babel's `regeneratorRuntime` global, so that one piece of the polyfill is served on its own
  (assets/vendor/regenerator-runtime-*.js, 25 kB instead of 99 kB);
- the screen stylesheets come inside the HTML, and the print one only applies to print, so no stylesheet
  request stands between the HTML and the first paint. The Content-Security-Policy allows inline styles
  already (plotly and Leaflet set them); scripts stay limited to our origin and Dash's hashed inline ones;
- the page's config carries no second copy of the layout (see `configure`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .dash_internals import EXTERNAL_SCRIPT, STYLESHEET_LINK, UNUSED_SCRIPTS

# Started after every deferred script has run; `app.csp_hashes()` hashes this text like Dash's own.
RENDERER = 'document.addEventListener("DOMContentLoaded", function () { new DashRenderer(); });'
# Screen stylesheets that come inside the HTML; print.css is asked for with media="print", which does not
# block rendering on screen.
INLINE_STYLESHEETS = ("dashboard.css", "ssr.css")
PRINT_STYLESHEET = "print.css"
CSS_COMMENT = re.compile(r"/\*.*?\*/\s*", re.S)


@lru_cache(maxsize=4)
def _stylesheet(folder: str, name: str) -> str:
    # Comments left out: they explain the file, the page does not need them.
    text = CSS_COMMENT.sub("", (Path(folder) / name).read_text(encoding="utf-8"))
    if "</style" in text.lower():
        raise ValueError(f"{name} cannot go inside a <style> element")
    return text


def page(html: str, assets_folder: str) -> str:
    """The page's HTML with unused scripts left out, every script deferred and the screen CSS inline."""

    def stylesheet(match: re.Match) -> str:
        name = match.group(1)
        if name in INLINE_STYLESHEETS:
            return f"<style>{_stylesheet(assets_folder, name)}</style>"
        if name == PRINT_STYLESHEET:
            return match.group(0).replace('rel="stylesheet"', 'rel="stylesheet" media="print"')
        return match.group(0)

    html = UNUSED_SCRIPTS.sub("", html)
    html = EXTERNAL_SCRIPT.sub("<script defer ", html)
    return STYLESHEET_LINK.sub(stylesheet, html)


def configure(app) -> None:
    """Serve every page through `page` and start Dash's renderer after the deferred scripts.

    Dash also writes a copy of the whole layout into the page's config (`validation_layout`, 93 kB: 16 of the
    HTML's 23 kB compressed) when the layout is a function, for the renderer to check callbacks against; our
    layout function always returns every component a callback names, so the renderer checks the layout itself.
    """
    app.renderer = RENDERER
    app.validation_layout = None
    interpolate = app.interpolate_index
    folder = app.config.assets_folder

    def interpolate_index(**parts):
        return page(interpolate(**parts), folder)

    app.interpolate_index = interpolate_index
