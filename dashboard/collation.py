"""Sorting names as a reader expects, without the C library's locales (absent on most servers).

English and French both order words by their letters first, ignoring accents and case; only when two
names have the same letters do accents, then case, decide (CLDR's root order, which both languages use
unchanged). Folding with unicodedata gives that order for the Latin names in our data: "Ménaka" sorts
between "Kayes" and "Mopti", where plain code-point order would put it after "Mopti".
"""

from __future__ import annotations

import unicodedata

from .i18n import LANGS

# Letters Unicode does not decompose but readers file as two letters.
_EXPANSIONS = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D"})


def _base_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXPANSIONS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_key(name: str, lang: str) -> tuple[str, str, str]:
    """A key for sorted(): letters first (accents and case ignored), then accents, then case.

    `lang` must be one of the dashboard's languages; both share this order, so the key is the same.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}, expected one of {LANGS}")
    text = unicodedata.normalize("NFC", name).strip()
    # Lower case before upper case at the last level, as in CLDR ("cote" < "Cote").
    return _base_letters(text), unicodedata.normalize("NFKD", text).casefold(), text.swapcase()
