"""Gunicorn settings from the environment (read by `gunicorn dashboard.app:server` from this directory, and by
`python -m dashboard run`). The limits come from dashboard/limits.py, which deploy/nginx.conf repeats (a test
checks they agree).

Threaded workers: a connection that is slow to send its request holds one thread, not a whole worker, and
each read from a client waits at most GUNICORN_READ_TIMEOUT seconds (see dashboard/worker.py). With the
defaults a worker keeps answering while 31 of its connections stall (2 workers x 32 threads).
"""

import ctypes
import os
import signal
import sys

from dashboard import limits

PR_SET_PDEATHSIG = 1

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "dashboard.worker.ReadTimeoutWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# Load the app (and validate the data) once in the master: workers share its memory, and invalid data
# stops the server before any worker starts.
preload_app = True
timeout = limits.WORKER_TIMEOUT
# On SIGTERM, requests under way get as long to finish as any request may take.
graceful_timeout = limits.WORKER_TIMEOUT
keepalive = limits.KEEPALIVE
limit_request_line = limits.MAX_REQUEST_LINE
limit_request_fields = limits.MAX_HEADER_FIELDS
limit_request_field_size = limits.MAX_HEADER_FIELD_BYTES
# No `gunicornc` control socket: several instances on one host would share the one in the home directory.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # None: off; "-" for stdout


def on_starting(server):
    """Under a supervisor that asks for it (scripts/stack.py sets DASHBOARD_STOP_WITH_PARENT=1), the master
    stops when the supervisor dies, so no instance outlives it (Linux's PR_SET_PDEATHSIG; elsewhere nothing)."""
    if os.environ.get("DASHBOARD_STOP_WITH_PARENT") == "1" and sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == 1:  # the supervisor died before the line above
            os.kill(os.getpid(), signal.SIGTERM)
