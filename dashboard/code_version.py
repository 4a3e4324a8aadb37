"""The version of the code that shapes an answer and reads it.

An answer's address is kept for a year by the browser, the worker and any proxy, so it must name everything
its bytes depend on: the data (the data version) and the code (this). Code deployed over the same data gets
new addresses, and nothing kept under the old ones (an answer in an older shape) is ever read by newer scripts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What builds an answer (the package) and what reads it (the page's scripts).
SOURCES = (("dashboard", "*.py"), ("dashboard", "*.js"), ("assets", "*.js"))


def code_version(root: Path = ROOT) -> str:
    """A digest of every source file under `root` that builds or reads an answer: 12 hex digits."""
    digest = hashlib.sha256()
    files = sorted({path for folder, pattern in SOURCES for path in (root / folder).rglob(pattern)})
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


CODE_VERSION = code_version()
