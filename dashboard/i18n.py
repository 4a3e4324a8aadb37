"""Strings from the catalogue in the user's language; numbers, money and dates through Babel; address notices
in words; plotly's and Leaflet's own interface texts."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import cache, wraps

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.lists import format_list
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from .catalogue import COLUMNS, COLUMNS_EN, PLURAL, TEXT
from .rounding import half_up

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

# Babel locales: numbers and currency in plain "en" ($17.3M), dates in "en_GB" (16 Apr 2021).
_NUMBER_LOCALE = {"en": "en", "fr": "fr"}
_DATE_LOCALE = {"en": "en_GB", "fr": "fr"}


def t(key: str, lang: str, **values) -> str:
    """Translated text; unknown languages fall back to English."""
    en, fr = TEXT[key]
    text = fr if lang == "fr" else en
    return text.format(**values) if values else text


def t_plural(key: str, count, lang: str, **values) -> str:
    """Translated text in the plural form `count` takes in `lang` ("1 contribution affichée", "2 contributions
    affichées"); `{n}` is the count formatted for `lang` unless given."""
    category = Locale.parse(_NUMBER_LOCALE.get(lang, "en")).plural_form(abs(count))
    forms = PLURAL.get(key, ({}, {}))[1 if lang == "fr" else 0]
    text = forms.get(category) or t(key, lang)
    values.setdefault("n", number(count, lang))
    return text.format(**values)


def column(name: str, lang: str) -> str:
    """A download's column header in words, in the language (the id itself for a column without words)."""
    return (COLUMNS if lang == "fr" else COLUMNS_EN).get(name, name)


def source_field(source, field: str, lang: str) -> str:
    """`title`, `licence` or `citation` of a sources.csv row (mapping) in `lang`, from its `<field>_fr`."""
    if lang == "fr":
        french = source.get(f"{field}_fr")
        if isinstance(french, str) and french:
            return french
    return source[field]


def citation(source, lang: str) -> str:
    """'UNHCR Refugee Data Finder, release 2025.12, fetched 7 Dec 2026': a source's citation with the release
    and the day its figures were fetched where sources.csv names them (a refreshed source), so every source
    line, download and workbook says how fresh the figures are."""
    parts = [source_field(source, "citation", lang)]
    release, retrieved = source.get("release"), source.get("retrieved")
    if isinstance(release, str) and release:
        parts.append(t("src_release", lang, release=release))
    if isinstance(retrieved, dt.date | str) and str(retrieved):
        parts.append(t("src_fetched", lang, date=date(str(retrieved)[:10], lang)))
    return ", ".join(parts)


def quote(text: str, lang: str) -> str:
    """“text” / « text », with the narrow no-break spaces French puts inside guillemets."""
    return f"«\u202f{text}\u202f»" if lang == "fr" else f"“{text}”"


def list_text(items, lang: str) -> str:
    """'Refugees, IDPs and Stateless persons' / 'Réfugiés, … et Apatrides' (Babel's list patterns)."""
    return format_list([str(i) for i in items], locale=_NUMBER_LOCALE.get(lang, "en"))


_BAD_KEYS = {"year", "op", "lang", "groups", "source", "donor_type", "donor", "address"}
MAX_SHOWN_INPUT = 40


def describe_bad(param: str, given, shown, lang: str) -> str:
    """One sentence, in words a person reads, for an address value that was not understood: what was asked
    and what is shown instead ("Year 1800 is not in the data; showing 2019.").

    `given` is the raw value (cut to 40 characters, quoted unless it is a number); `shown` is the value used
    instead, as text or a list of texts (joined as a list); for `donor`, `given` is the length of the text
    and `shown` the limit; for `lang`, both are language codes (named in `lang`).
    """
    if param == "address":
        return t("bad_address", lang)
    if param == "lang":
        locale = Locale.parse(_NUMBER_LOCALE.get(lang, "en"))
        shown = Locale.parse(shown).get_display_name(locale) if shown in LANGS else shown
    if isinstance(shown, (list, tuple)):
        shown = list_text(shown, lang) if shown else t("none_selected", lang)
    if param == "donor":
        return t("bad_donor", lang, given=number(given, lang), shown=number(shown, lang))
    given = "" if given is None else str(given)
    if len(given) > MAX_SHOWN_INPUT:
        given = given[: MAX_SHOWN_INPUT - 1] + "…"
    if not given.isdigit():
        given = quote(given, lang)
    if param in _BAD_KEYS:
        return t(f"bad_{param}", lang, given=given, shown=shown)
    return t("bad_other", lang, given=given, shown=shown, param=param)


def best_lang(accept_language) -> str:
    """The first of our languages the browser asks for, by primary subtag: fr-FR before en;q=0.5 means French.

    `accept_language` is werkzeug's LanguageAccept (already sorted by quality) or None.
    """
    for tag, _quality in accept_language or ():
        primary = str(tag).split("-")[0].split("_")[0].lower()
        if primary in LANGS:
            return primary
    return DEFAULT_LANG


def _by_the_rule(format_function):
    """Babel rounds what it shortens in the decimal context's mode (half-even unless told): round half-up,
    the rule every figure follows (`rounding`), so $13.25M is shown $13.3M, not $13.2M."""

    @wraps(format_function)
    def rounded(*args, **kwargs):
        with half_up():
            return format_function(*args, **kwargs)

    return rounded


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@_by_the_rule
def number(value, lang: str) -> str:
    """275,779 / 275 779; "no data" for a missing value."""
    if _missing(value):
        return t("no_data", lang)
    return format_decimal(value, locale=_NUMBER_LOCALE.get(lang, "en"))


@_by_the_rule
def number_short(value, lang: str) -> str:
    """275.8K / 275,8 k: a count on a chart's bar, where the exact figure is in its hover text and table."""
    if _missing(value):
        return ""
    return format_compact_decimal(value, locale=_NUMBER_LOCALE.get(lang, "en"), fraction_digits=1)


@_by_the_rule
def millions(value, lang: str) -> str:
    """An amount in millions with two decimals, for a table column whose header names the unit (0.58, 11.21)."""
    if _missing(value):
        return t("no_data", lang)
    return format_decimal(value / 1_000_000, format="#,##0.00", locale=_NUMBER_LOCALE.get(lang, "en"))


@_by_the_rule
def money_short(value, lang: str) -> str:
    """$17.3M / 17,3 M $US."""
    if _missing(value):
        return t("no_data", lang)
    return format_compact_currency(value, "USD", locale=_NUMBER_LOCALE.get(lang, "en"), fraction_digits=1)


@_by_the_rule
def money_millions(value, lang: str) -> str:
    """$41.0M / 41,0 M $US: USD millions with one decimal always, so a column of amounts reads alike (the
    compact form wrote "$41M" beside "$49.2M")."""
    if _missing(value):
        return t("no_data", lang)
    amount = format_decimal(Decimal(str(value)) / 1_000_000, format="#,##0.0", locale=_NUMBER_LOCALE.get(lang, "en"))
    return f"{amount}\u00a0M\u00a0$US" if lang == "fr" else f"${amount}M"


@cache
def _pattern(kind: str, lang: str, decimals: int) -> str:
    """The locale's own pattern with its fraction digits set, so spacing and symbol order stay Babel's."""
    locale = Locale.parse(_NUMBER_LOCALE.get(lang, "en"))
    formats = locale.currency_formats if kind == "currency" else locale.percent_formats
    pattern = formats["standard" if kind == "currency" else None].pattern.split(";")[0]
    digits = "." + "0" * decimals if decimals else ""
    return re.sub(r"0(\.0+)?", "0" + digits, pattern, count=1)


@_by_the_rule
def money(value, lang: str) -> str:
    """$586,167 / 586 167 $US: whole dollars, as the feed publishes them."""
    if _missing(value):
        return t("no_data", lang)
    return format_currency(
        value, "USD", format=_pattern("currency", lang, 0), locale=_NUMBER_LOCALE.get(lang, "en"), currency_digits=False
    )


@_by_the_rule
def percent(value, lang: str, signed: bool = False, decimals: int = 0) -> str:
    """+79% / +79 %; 75.6% / 75,6 % with one decimal."""
    if _missing(value):
        return t("no_data", lang)
    text = format_percent(value, format=_pattern("percent", lang, decimals), locale=_NUMBER_LOCALE.get(lang, "en"))
    if signed and value > 0:
        text = "+" + text
    return text


def date(value: dt.date | str, lang: str) -> str:
    """16 Apr 2021 / 16 avr. 2021."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return _babel_date(value, "medium", locale=_DATE_LOCALE.get(lang, "en_GB"))


def data_version(key: str, version: str, as_of: str, lang: str) -> str:
    """The data's version and reference date in words (`key`: data_stamp, data_updated, download_version)."""
    return t(key, lang, version=version, date=date(as_of, lang) if as_of else t("no_data", lang))


def month(value: str, lang: str) -> str:
    """'2021-02' -> Feb 2021 / févr. 2021."""
    year, mon = value.split("-")[:2]
    return _babel_date(dt.date(int(year), int(mon), 1), "MMM y", locale=_DATE_LOCALE.get(lang, "en_GB"))


def compact_ticks(max_value, lang: str, count: int = 5) -> tuple[list, list[str]]:
    """Plotly tickvals and ticktext from 0 to at least `max_value` in about `count` round steps, labelled
    in the locale's compact form (250 k, 1,5 M, 2 Md / 250K, 1.5M, 2B), for layout.yaxis."""
    if _missing(max_value) or max_value <= 0:
        return [0], [format_decimal(0, locale=_NUMBER_LOCALE.get(lang, "en"))]
    raw = max_value / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(max_value / step - 1e-9)
    values = [round(i * step, 10) for i in range(steps + 1)]
    values = [int(v) if float(v).is_integer() else v for v in values]
    locale = _NUMBER_LOCALE.get(lang, "en")
    return values, [format_compact_decimal(v, locale=locale, fraction_digits=2) for v in values]


# plotly.js modebar and hint strings, keyed by plotly's own English text (config.locales).
PLOTLY_FR = {
    "Download plot as a PNG": "Télécharger le graphique en PNG",
    "Download plot": "Télécharger le graphique",
    "Zoom": "Zoomer",
    "Pan": "Déplacer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Autoscale": "Échelle automatique",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Toggle Spike Lines": "Afficher les lignes de repère",
    "Show closest data on hover": "Afficher la donnée la plus proche au survol",
    "Compare data on hover": "Comparer les données au survol",
    "Double-click to zoom back out": "Double-cliquez pour revenir au zoom initial",
}
# Leaflet's zoom buttons (their titles are set in the browser, see assets/dashboard.js).
LEAFLET = {
    "en": {"in": "Zoom in", "out": "Zoom out", "close": "Close popup"},
    "fr": {"in": "Zoom avant", "out": "Zoom arrière", "close": "Fermer la fenêtre"},
}


def plotly_locale(lang: str) -> dict:
    """The part of a dcc.Graph config that translates plotly's own interface."""
    if lang != "fr":
        return {"locale": "en"}
    return {"locale": "fr", "locales": {"fr": {"dictionary": PLOTLY_FR}}}
