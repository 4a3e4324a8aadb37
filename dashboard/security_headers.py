"""Security headers on every answer of the app: a Content-Security-Policy (our scripts, and Dash's inline ones
by hash), a Permissions-Policy switching off features the dashboard never uses, and no sniffing, framing or
cross-site referrer."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Response

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Browser features the dashboard never uses, switched off for it and anything injected into it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def content_security_policy(app) -> str:
    """Scripts only from our origin and Dash's own inline scripts (by hash: `app.csp_hashes()`); styles
    inline too, since Dash, plotly and Leaflet set them; images from the map's tile server when one is set."""
    tiles = urlsplit(os.environ.get("DASHBOARD_TILE_URL", "").strip())
    tile_source = f" {tiles.scheme}://{tiles.netloc.replace('{s}', '*')}" if tiles.scheme in ("http", "https") else ""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *app.csp_hashes()]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:" + tile_source,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(app) -> None:
    """Content-Security-Policy, Permissions-Policy and SECURITY_HEADERS on every response (the policy computed
    at the first request, when every inline script Dash will write is registered)."""
    policy: list[str] = []

    @app.server.after_request
    def policies(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
