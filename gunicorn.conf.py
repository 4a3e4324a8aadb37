"""Gunicorn settings from the environment (read by `gunicorn dashboard.app:server` from this directory)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Load the app (and validate the data) once in the master: workers share its memory, and invalid data
# stops the server before any worker starts.
preload_app = True
timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # None: off; "-" for stdout
