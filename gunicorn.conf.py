"""Gunicorn settings from the environment (read by `gunicorn dashboard.app:server` from this directory).

Threaded workers: a connection that is slow to send its request holds one thread, not a whole worker, and
each read from a client waits at most GUNICORN_READ_TIMEOUT seconds (see dashboard/worker.py). With the
defaults a worker keeps answering while 31 of its connections stall (2 workers x 32 threads).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "dashboard.worker.ReadTimeoutWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# Load the app (and validate the data) once in the master: workers share its memory, and invalid data
# stops the server before any worker starts.
preload_app = True
timeout = 30
keepalive = 5
# Request line and headers: gunicorn's limits, stated here because the README promises them.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # None: off; "-" for stdout
