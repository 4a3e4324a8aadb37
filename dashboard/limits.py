"""What the server accepts from a client and how long it waits, defined once: the app, gunicorn.conf.py,
dashboard/worker.py and deploy/nginx.conf (checked by tests/test_hardening_serving.py) all read these values.

No imports: gunicorn's configuration and worker load this module before (and without) the app.
"""

# A callback request's body, chunked bodies included (413 above).
MAX_BODY_BYTES = 64 * 1024
# The request line: method, URI and protocol (414 above); gunicorn's default.
MAX_REQUEST_LINE = 4094
# Header lines: how many, and the bytes of each (431 / 400 above); gunicorn's defaults.
MAX_HEADER_FIELDS = 100
MAX_HEADER_FIELD_BYTES = 8190
# Seconds each read from (or write to) a client may wait before its connection is dropped.
READ_TIMEOUT = 10
# Seconds an idle kept-alive connection stays open.
KEEPALIVE = 5
# Seconds a worker may spend on one request before gunicorn's master replaces it.
WORKER_TIMEOUT = 30
# Seconds the proxy waits for an instance's answer: the worker's limit plus a margin.
PROXY_READ_TIMEOUT = WORKER_TIMEOUT + 5

# The headers of every answer the stack gives without the app's page (gunicorn's and nginx's own refusals):
# nothing to run, frame or sniff, nothing to keep.
ERROR_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
