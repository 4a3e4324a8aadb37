"""gunicorn's threaded worker, with a time limit on every read from a client.

The gthread worker parks idle connections in a poller, but once a client has sent its first bytes one thread
reads the rest of that request from a blocking socket with no time limit: a phone whose link drops halfway, or
anyone on purpose, would hold the thread until the connection dies. Here each read waits at most
READ_TIMEOUT seconds; then the connection is closed (a stalled body gets a 400) and the thread is free again.
"""

from __future__ import annotations

import logging
import os

from gunicorn.workers.gthread import ThreadWorker

READ_TIMEOUT = float(os.environ.get("GUNICORN_READ_TIMEOUT", "10"))


class _StalledClientsInOneLine(logging.Filter):
    """gthread logs a client that timed out as a socket error with a traceback: one line says it all."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
            record.msg = "closed a connection: the client sent nothing for %s s"
            record.args = (READ_TIMEOUT,)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class ReadTimeoutWorker(ThreadWorker):
    def init_process(self):
        self.log.error_log.addFilter(_StalledClientsInOneLine())
        super().init_process()

    def handle(self, conn):
        # gthread makes the socket blocking (no timeout) and then calls conn.init() before reading each
        # request: wrapping init() is the one place where a timeout set on the socket stays in force.
        if "init" not in vars(conn):
            init = conn.init

            def init_with_timeout():
                init()
                conn.sock.settimeout(READ_TIMEOUT)

            conn.init = init_with_timeout
        return super().handle(conn)
