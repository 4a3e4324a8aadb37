"""Compression: every file once and compressed for every client (flask-compress, set up by Dash), and
callback answers at a fast level."""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request
from flask_compress import Compress

from .request_guard import UPDATE_PATH

# Every encoding a browser may ask for, streamed static files included (flask-compress leaves gzip out of the
# streaming list by default, which sent the 1.2 MB plotly bundle uncompressed to gzip-only clients). Brotli
# first, at level 5: 9-10% fewer bytes than zstd's or brotli's default levels for ~80 ms per 1 MB bundle, paid
# once per browser since the bundles are then cached for a year.
COMPRESS_ALGORITHMS = ["br", "zstd", "gzip", "deflate"]
COMPRESS_BR_LEVEL = 5
# An answer smaller than this is sent as it is (the headers would outweigh the saving).
MIN_COMPRESSED_BYTES = 500


def configure_file_compression(server: Flask) -> None:
    """Give the flask-compress instance Dash registered our settings (it read its own when Dash created it)."""
    compress = next(
        (
            f.__self__
            for f in server.after_request_funcs.get(None, [])
            if isinstance(getattr(f, "__self__", None), Compress)
        ),
        None,
    )
    if compress is None:
        return
    asset_endpoints = [f"{name}.static" for name in server.blueprints if name.endswith("dash_assets")]
    server.config.update(
        COMPRESS_ALGORITHM=COMPRESS_ALGORITHMS,
        COMPRESS_ALGORITHM_STREAMING=COMPRESS_ALGORITHMS,
        COMPRESS_BR_LEVEL=COMPRESS_BR_LEVEL,
        # Files are streamed: the ETag flask-compress gives the compressed body is only checked for these.
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=["static", *asset_endpoints],
        COMPRESS_REGISTER=False,
    )
    compress.init_app(server)


def compress_callback_answers(server: Flask) -> None:
    """Callback answers are compressed at brotli's fastest level (or gzip's): a few kB once, where the level
    that pays for bundles cached a year would cost more time than it saves on the wire."""

    @server.after_request
    def quick_compression(response: Response) -> Response:
        if request.path == UPDATE_PATH and response.status_code == 200 and not response.is_streamed:
            compress_answer(response, request.accept_encodings)
        return response


def compress_answer(response: Response, accepted) -> None:
    """Compress `response` in place with brotli quality 1 or gzip level 1, whichever the client takes."""
    body = response.get_data()
    if len(body) < MIN_COMPRESSED_BYTES or "Content-Encoding" in response.headers:
        return
    if accepted["br"]:
        response.set_data(brotli.compress(body, quality=1))
        response.headers["Content-Encoding"] = "br"
    elif accepted["gzip"]:
        response.set_data(gzip.compress(body, compresslevel=1))
        response.headers["Content-Encoding"] = "gzip"
    else:
        return
    response.vary.add("Accept-Encoding")
