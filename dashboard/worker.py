"""gunicorn's threaded worker, made so that no client can hold it and no dead master can leave it behind.

- **A time limit on every read from a client.** gthread parks idle connections in a poller, but once a client
  has sent its first bytes one thread reads the rest of that request from a blocking socket with no time limit.
  Here each read (and write) waits at most READ_TIMEOUT seconds; then the connection is closed (a stalled body
  gets a 400) and the thread is free again.
- **Closing never waits in the main loop.** gthread closes a finished connection in its main loop with a
  "graceful" close that waits up to 2 s for the client to hang up: a client that stalled, or sent a malformed
  request and stays silent, froze the loop (no accept, no keep-alive) for 2 s each, so 6 stalled clients
  stopped a worker for 5 s once the read timeout cut them. Here the thread that served the connection closes
  it: at once when the client stalled, else after the same short linger (RFC 9112, 9.6), off the main loop.
- **gunicorn's own refusals look like the app's**: a JSON reason and the same security headers
  (dashboard/limits.py), not an HTML page without them.
- **A worker whose master died closes its listening socket at once** (gthread only stopped accepting, kept the
  socket for up to its 30 s graceful timeout, and the kernel kept queueing connections nobody would accept); it
  then finishes the requests under way and exits. The master's replacement can bind the port.
"""

from __future__ import annotations

import json
import logging
import os
import socket

from gunicorn import util
from gunicorn.http.errors import ParseException
from gunicorn.workers.gthread import ThreadWorker

from .limits import ERROR_HEADERS
from .limits import READ_TIMEOUT as DEFAULT_READ_TIMEOUT

READ_TIMEOUT = float(os.environ.get("GUNICORN_READ_TIMEOUT", str(DEFAULT_READ_TIMEOUT)))
# How long a closing connection waits for the client to hang up after our last answer (gunicorn's value).
LINGER_SECONDS = 2.0


class ClientSocket(socket.socket):
    """A client connection that remembers whether a read or write on it ran out of time."""

    __slots__ = ("stalled",)

    @classmethod
    def adopt(cls, sock: socket.socket) -> ClientSocket:
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.stalled = False
        return adopted

    def _timed(self, method, *args):
        try:
            return method(*args)
        except TimeoutError:
            self.stalled = True
            raise

    def recv(self, *args):
        return self._timed(super().recv, *args)

    def recv_into(self, *args):
        return self._timed(super().recv_into, *args)

    def send(self, *args):
        return self._timed(super().send, *args)

    def sendall(self, *args):
        return self._timed(super().sendall, *args)


class _StalledClientsInOneLine(logging.Filter):
    """gthread logs a client that timed out as a socket error with a traceback: one line says it all."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
            record.msg = "closed a connection: the client sent nothing for %s s"
            record.args = (READ_TIMEOUT,)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def refusal(status: int, reason: str, message: str) -> bytes:
    """A whole HTTP answer for a request gunicorn refuses before the app sees it."""
    body = json.dumps({"error": "bad request", "reason": message or reason}, separators=(",", ":")).encode() + b"\n"
    headers = {
        "Connection": "close",
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        **ERROR_HEADERS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body


def _write_refusal(sock, status_int: int, reason: str, mesg: str) -> None:
    util.write_nonblock(sock, refusal(status_int, reason, mesg))


class ReadTimeoutWorker(ThreadWorker):
    def init_process(self):
        self.log.error_log.addFilter(_StalledClientsInOneLine())
        # gunicorn writes its refusals (400, 414, 431, 501...) through this one function; this worker's process
        # only, so what it writes carries the app's security headers.
        util.write_error = _write_refusal
        super().init_process()

    def handle(self, conn):
        # gthread makes the socket blocking (no timeout) and then calls conn.init() before reading each
        # request: wrapping init() is the one place where a timeout set on the socket stays in force.
        if "init" not in vars(conn):
            init = conn.init

            def init_with_timeout():
                if not isinstance(conn.sock, ClientSocket):
                    conn.sock = ClientSocket.adopt(conn.sock)
                init()
                conn.sock.settimeout(READ_TIMEOUT)

            conn.init = init_with_timeout
        keep = super().handle(conn)
        if keep is False:
            self._close_here(conn)
        return keep

    @staticmethod
    def _close_here(conn) -> None:
        """Close in this thread, not in the main loop: at once for a client that stalled."""
        sock = conn.sock
        if getattr(sock, "stalled", False):
            util.close(sock)
        else:
            util.close_graceful(sock, timeout=LINGER_SECONDS)
        # The main loop then only counts the connection as gone.
        conn.close = lambda graceful=False: None

    def _keepalive_after(self, conn, keepalive):
        # A body the app did not read is drained after its answer went out: if that rest is malformed, the
        # connection ends there (gthread wrote a 400 behind the answer, a second answer to one request).
        try:
            return super()._keepalive_after(conn, keepalive)
        except ParseException:
            return False

    def is_parent_alive(self):
        if super().is_parent_alive():
            return True
        self.set_accept_enabled(False)
        for listener in self.sockets:
            listener.close()
        return False
