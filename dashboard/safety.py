"""Cells that a spreadsheet would run as a formula, made inert (OWASP's advice on CSV injection).

Excel, LibreOffice and Google Sheets read a cell that begins with =, +, - or @ (or with a tab, CR or LF
before one) as a formula: a donor name like `=HYPERLINK(...)` in a downloaded CSV would run on the reader's
machine. A single quote in front makes the spreadsheet show the text as text. Numbers are not text and
stay numbers, negative ones included.
"""

from __future__ import annotations

# The ASCII triggers, their full-width forms (read as formulas by some Excel locales), and the whitespace and
# control characters a spreadsheet may skip before them.
FORMULA_START = frozenset("=+-@\t\r\n\0＝＋－＠")


def neutralise(value):
    """`value` with a leading single quote when it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value and value[0] in FORMULA_START:
        return "'" + value
    return value


def nests_deeper(value, limit: int) -> bool:
    """Whether a parsed JSON value nests lists and objects deeper than `limit`.

    Iterative: a value nested 100,000 deep is answered without using the stack.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def quote(text: str, limit: int = 100) -> str:
    """`text` for an error message: its repr, cut to `limit` characters, with the full length when cut."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"
