"""`python -m dashboard run`: the production server with the project's own settings, in the foreground.

On Linux and macOS this process becomes gunicorn's master (gunicorn.conf.py: threaded workers of
dashboard/worker.py, the limits of dashboard/limits.py, the data loaded and validated once before any worker
starts), so what a newcomer runs is what is tested and deployed; SIGTERM or Ctrl-C stops it gracefully.
Flask's development server (one process, reloader and debugger) runs only with DASHBOARD_DEBUG=1, or on
Windows, where gunicorn cannot run (it says so when it starts).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def gunicorn_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        f"{host}:{port}",
        "dashboard.app:server",
    ]


def run(host: str, port: int, debug: bool = False) -> int:
    """Serve until stopped; returns only for the development server (gunicorn replaces this process)."""
    if not debug and sys.platform != "win32":
        if not GUNICORN_CONFIG.is_file():
            print(f"{GUNICORN_CONFIG}: missing; run from a checkout of the project", file=sys.stderr)
            return 2
        command = gunicorn_command(host, port)
        os.execv(command[0], command)
    if not debug:
        print("gunicorn does not run on Windows: serving with Flask's development server", file=sys.stderr)
    from .app import app

    app.run(host=host, port=port, debug=debug)
    return 0
