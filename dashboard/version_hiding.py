"""Keep the Python, Dash, plotly and component versions out of the page: they help someone pick a known flaw
and help no visitor."""

from __future__ import annotations

import hashlib
import json
import re

from .dash_internals import FAVICON_VERSION, FINGERPRINT, IE_NOTICE, VERSION_KEYS


def _config_without_versions(config_html: str) -> str:
    start, end = config_html.index(">") + 1, config_html.rindex("</script>")
    config = json.loads(config_html[start:end])
    for key in VERSION_KEYS:
        config.pop(key, None)
    text = json.dumps(config, separators=(",", ":"))
    # As Dash does: nothing in the JSON may close the script element or open a comment.
    for char in "<>&/":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return config_html[:start] + text + config_html[end:]


def _opaque_fingerprint(match: re.Match) -> str:
    version, mtime = match.groups()
    return f".v{hashlib.sha256(f'{version}m{mtime}'.encode()).hexdigest()[:10]}m{mtime}."


def hide_versions(app) -> None:
    """Keep the Python, Dash, plotly and component versions out of the page (its config, the favicon and
    script URLs, the IE notice): they help someone pick a known flaw and help no visitor. Script URLs keep a
    fingerprint that still changes with the version, so caches still refresh on an upgrade."""
    app.index_string = IE_NOTICE.sub("", app.index_string)
    interpolate = app.interpolate_index

    def interpolate_index(**parts):
        parts["config"] = _config_without_versions(parts["config"])
        parts["favicon"] = FAVICON_VERSION.sub("", parts["favicon"])
        parts["scripts"] = FINGERPRINT.sub(_opaque_fingerprint, parts["scripts"])
        return interpolate(**parts)

    app.interpolate_index = interpolate_index
