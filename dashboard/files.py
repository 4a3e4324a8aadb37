"""Downloads at plain addresses: `/download/<view>.csv?<selection>` and `/download/workbook.xlsx?<selection>`.

Each card's download is a link that its view fills for the selection on screen, so a download is one GET
that works with scripts off (the first view carries the same links) and needs no callback or base64.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import abort, request, send_file

from . import exports, render
from .data import Dataset
from .paths import DOWNLOADS, WORKBOOK
from .selection import from_query
from .views import VIEWS

CSV_VIEWS = {view.ID: view for view in VIEWS if view.download is not None}


def download(ds: Dataset, name: str, query: str) -> tuple[bytes, str, str] | None:
    """The file `name` for the selection in `query`: (content, file name, media type), None when unknown."""
    sel, _ = from_query(ds, query)
    if name == WORKBOOK:
        content, filename = render.workbook(ds, sel)
        return content, filename, exports.XLSX_TYPE
    view = CSV_VIEWS.get(name.removesuffix(".csv")) if name.endswith(".csv") else None
    if view is None:
        return None
    d = view.download(ds, sel)
    # The server adds "; charset=utf-8" to a text/ type (once).
    return exports.csv_bytes(ds, d, sel.lang), d.filename, exports.CSV_TYPE


def register(server, get_ds: Callable[[], Dataset]) -> None:
    """Serve the downloads from the Flask server under the Dash app."""

    @server.route(DOWNLOADS + "<name>")
    def _download(name: str):
        found = download(get_ds(), name, request.query_string.decode("latin-1"))
        if found is None:
            abort(404)
        content, filename, mimetype = found
        return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename)
