"""Entry module: create the app, set the layout, expose `server` for gunicorn."""

import gc
import os

from dash import Dash

from . import answers, dash_internals, delivery, files, offline, page
from .callbacks import register_callbacks
from .data import get_dataset
from .server import configure
from .startup import dataset_or_exit

app = Dash(
    __name__,
    title="Operation Dashboard",
    assets_folder="../assets",
    serve_locally=True,
    compress=True,
    update_title=None,
)
dataset_or_exit()
# The page for the requested selection, as HTML from the first byte and as the layout Dash asks for.
app.layout = page.layout
app.interpolate_index = page.index
register_callbacks(app, get_dataset)
configure(app, get_dataset)
delivery.configure(app)
files.register(app.server, get_dataset)
offline.register(app.server, get_dataset)
answers.register(app.server, get_dataset)
server = app.server
# Dash's first-request setup (script paths registered, layout checked, inline scripts collected) runs here,
# before any worker (forked from this preloaded process) takes a connection. Left to the first request, it
# marked itself done before registering the script paths, and requests that reached a fresh worker meanwhile
# got 404s for React or Dash's renderer: a page stuck on "Loading…" after every restart.
dash_internals.setup_server(app)
# The loaded data never changes: keep its many objects out of the collector's full passes (which took
# ~25 ms at scale) and, under gunicorn's preload, shared between workers instead of copied on write.
gc.freeze()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=os.environ.get("DASHBOARD_DEBUG") == "1")
