"""Every string the dashboard shows, in English and French, and number/date formats through Babel."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache

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

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

# Babel locales: numbers and currency in plain "en" ($17.3M), dates in "en_GB" (16 Apr 2021).
_NUMBER_LOCALE = {"en": "en", "fr": "fr"}
_DATE_LOCALE = {"en": "en_GB", "fr": "fr"}

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Operation Dashboard", "Tableau de bord des opérations"),
    "subtitle": ("UNHCR operation: {name}", "Opération du HCR\u202f: {name}"),
    "operation": ("Operation", "Opération"),
    "year": ("Year", "Année"),
    "groups": ("Population groups", "Groupes de population"),
    "groups_count": ("{n} groups", "{n} groupes"),
    "all_groups": ("all groups", "tous les groupes"),
    "pop_source": ("Population figures", "Chiffres de population"),
    "src_page": ("Operation page", "Page de l’opération"),
    "src_statistics": ("UNHCR statistics series", "Série statistique du HCR"),
    "no_data": ("no data", "pas de données"),
    "not_available": ("not available", "non disponible"),
    "download_csv": ("Download CSV", "Télécharger le CSV"),
    "skip_link": ("Skip to content", "Aller au contenu"),
    "show_table": ("Show the figures as a table", "Afficher les chiffres sous forme de tableau"),
    "source": ("Source", "Source"),
    "source_line": ("Source: {text}", "Source\u202f: {text}"),
    "list_separator": ("; ", "\u202f; "),
    "licence": ("Licence", "Licence"),
    # KPIs
    "kpi_people": ("People of concern", "Personnes relevant du HCR"),
    "kpi_budget": ("Budget", "Budget"),
    "kpi_expenditure": ("Expenditure", "Dépenses"),
    "kpi_rate": ("Implementation rate", "Taux d’exécution"),
    "kpi_contributions": ("Contributions listed", "Contributions listées"),
    # People of concern
    "people_title": ("People of concern, {year}", "Personnes relevant du HCR, {year}"),
    "people_total": ("Total of the selected groups", "Total des groupes sélectionnés"),
    "change_vs": ("{change} against {prev}", "{change} par rapport à {prev}"),
    "change_none": ("change against {prev}: no data", "évolution par rapport à {prev}\u202f: pas de données"),
    "by_group": ("By population group", "Par groupe de population"),
    "trend": ("Trend over years", "Évolution annuelle"),
    "people_axis": ("People", "Personnes"),
    "group": ("Population group", "Groupe de population"),
    "value": ("Value", "Valeur"),
    "as_of": ("As of", "Au"),
    "shown_source": ("Figures: {name}", "Chiffres\u202f: {name}"),
    "partial_groups": (
        "No figure for: {groups}.",
        "Pas de chiffre pour\u202f: {groups}.",
    ),
    "no_breakdown": (
        "The source gives only a total for {year}, no breakdown by group.",
        "La source ne donne qu’un total pour {year}, sans ventilation par groupe.",
    ),
    "no_people": (
        "No data for {year} in this source.",
        "Pas de données pour {year} dans cette source.",
    ),
    "other_source_has": (
        "The {name} has figures for {year}: choose it under Population figures.",
        "La {name} a des chiffres pour {year}\u202f: choisissez-la sous Chiffres de population.",
    ),
    "no_groups_selected": ("No group selected.", "Aucun groupe sélectionné."),
    "mid_year": ("mid-{year}", "mi-{year}"),
    # Budget
    "budget_title": ("Budget and expenditure", "Budget et dépenses"),
    "budget_years": ("By year (USD)", "Par année (USD)"),
    "budget_pillars": ("By pillar, {year}", "Par pilier, {year}"),
    "budget": ("Budget", "Budget"),
    "budget_musd": ("Budget (USD million)", "Budget (millions USD)"),
    "expenditure_musd": ("Expenditure (USD million)", "Dépenses (millions USD)"),
    "expenditure": ("Expenditure", "Dépenses"),
    "pillar": ("Pillar", "Pilier"),
    "usd": ("USD", "USD"),
    "rate": ("Implementation rate", "Taux d’exécution"),
    "budget_hint": (
        "Click a year's bar to select that year.",
        "Cliquez sur la barre d’une année pour la sélectionner.",
    ),
    "budget_no_groups": (
        "Budgets are not broken down by population group.",
        "Les budgets ne sont pas ventilés par groupe de population.",
    ),
    "p1": ("Refugee programme", "Programme pour les réfugiés"),
    "p2": ("Stateless programme", "Programme pour les apatrides"),
    "p3": ("Reintegration projects", "Projets de réintégration"),
    "p4": ("IDP projects", "Projets pour les déplacés internes"),
    "total": ("Total", "Total"),
    # Feed
    "feed_title": ("Latest contributions, {year}", "Dernières contributions, {year}"),
    "date": ("Date", "Date"),
    "donor": ("Donor", "Donateur"),
    "private_donor": ("Private donor", "Donateur privé"),
    "amount": ("Amount (USD)", "Montant (USD)"),
    "yes": ("Yes", "Oui"),
    "no": ("No", "Non"),
    "donor_type": ("Donor type", "Type de donateur"),
    "donor_all": ("All", "Tous"),
    "donor_public": ("Public", "Publics"),
    "donor_private": ("Private", "Privés"),
    "donor_search": ("Donor name contains", "Le nom du donateur contient"),
    "sort_by": ("Sort by", "Trier par"),
    "sort_date_desc": ("Newest first", "Les plus récentes"),
    "sort_amount_desc": ("Largest first", "Les plus importantes"),
    "sort_donor_asc": ("Donor A–Z", "Donateur A–Z"),
    "feed_total": ("{n} contributions shown, total {amount}", "{n} contributions affichées, total {amount}"),
    "feed_none": (
        "No contributions listed for {year}. The source lists contributions for: {years}.",
        "Aucune contribution listée pour {year}. La source en liste pour\u202f: {years}.",
    ),
    # Key figures
    "keyfig_title": ("Key figures, {year}", "Chiffres clés, {year}"),
    "planning_target": ("Planning targets", "Objectifs de planification"),
    "year_end_result": ("Year-end results", "Résultats de fin d’année"),
    "keyfig_none": ("No key figures for {year}.", "Pas de chiffres clés pour {year}."),
    "kind": ("Kind", "Type"),
    "unit": ("Unit", "Unité"),
    "label": ("Figure", "Chiffre"),
    # Map
    "map_title": ("Map", "Carte"),
    "glossary_title": ("What the terms mean", "Ce que veulent dire les termes"),
    "map_title_dated": (
        "Map: refugees and asylum-seekers by region as of {date}",
        "Carte\u202f: réfugiés et demandeurs d’asile par région au {date}",
    ),
    "map_region_legend": (
        "Refugees and asylum-seekers by region, {date}",
        "Réfugiés et demandeurs d’asile par région, {date}",
    ),
    "map_offices_legend": ("UNHCR offices, {date}", "Bureaux du HCR, {date}"),
    "map_country": ("People of concern, {year}", "Personnes relevant du HCR, {year}"),
    "map_disclaimer": (
        "The boundaries and names shown and the designations used on this map do not imply official "
        "endorsement or acceptance by the United Nations.",
        "Les frontières et les noms indiqués et les désignations employées sur cette carte n’impliquent "
        "pas reconnaissance ou acceptation officielle de la part de l’Organisation des Nations Unies.",
    ),
    "map_details": (
        "Click a region or an office for details.",
        "Cliquez sur une région ou un bureau pour les détails.",
    ),
    "map_no_geometry": (
        "No map geometry is available for this operation.",
        "Aucune géométrie cartographique n’est disponible pour cette opération.",
    ),
    "office_type": ("Office type", "Type de bureau"),
    "country_office": ("Country office", "Bureau de pays"),
    "sub_office": ("Sub-office", "Sous-bureau"),
    "field_office": ("Field office", "Bureau de terrain"),
    "field_unit": ("Field unit", "Unité de terrain"),
    "region": ("Region", "Région"),
    "menaka_note": (
        "Ménaka is shown as a point: it is a region of its own in these figures, but inside Gao on this map.",
        "Ménaka est figurée par un point\u202f: c’est une région à part dans ces chiffres, mais comprise dans Gao sur cette carte.",
    ),
    "small_region_note": (
        "{names}: also shown as a point, the region being too small to click at this zoom.",
        "{names}\u202f: aussi figuré par un point, la région étant trop petite pour être cliquée à ce zoom.",
    ),
    "refugees_and_asylum_seekers": ("Refugees and asylum-seekers", "Réfugiés et demandeurs d’asile"),
    # Population groups
    "refugees": ("Refugees", "Réfugiés"),
    "asylum_seekers": ("Asylum-seekers", "Demandeurs d’asile"),
    "idps": ("IDPs", "Personnes déplacées internes"),
    "returned_idps": ("Returned IDPs", "Déplacés internes rentrés"),
    "returned_refugees": ("Returned refugees", "Réfugiés rapatriés"),
    "oip": (
        "Other people in need of international protection",
        "Autres personnes ayant besoin d’une protection internationale",
    ),
    "stateless": ("Stateless persons", "Apatrides"),
    "host_community": ("Host community", "Communauté d’accueil"),
    "ooc": ("Others of concern", "Autres personnes relevant du HCR"),
    # Page chrome: the browser tab and Dash's own loading texts.
    "tab_title": ("{name} – Operation Dashboard (UNHCR)", "{name} – Tableau de bord des opérations (HCR)"),
    "loading": ("Loading…", "Chargement…"),
    # Offline use (dashboard/offline.py, the service worker and assets/offline.js).
    "app_short_name": ("Operations", "Opérations"),
    "app_description": (
        "Figures of a UNHCR operation: people of concern, budget, contributions and a map, readable offline.",
        "Chiffres d’une opération du HCR\u202f: personnes relevant du HCR, budget, contributions et carte, lisibles hors ligne.",
    ),
    "offline_saved": (
        "Offline — figures saved on {date} at {time}",
        "Hors ligne — chiffres enregistrés le {date} à {time}",
    ),
    "offline_unavailable": (
        "Not available offline: this choice was never saved on this device. The figures shown have not changed.",
        "Non disponible hors ligne\u202f: ce choix n’a jamais été enregistré sur cet appareil. Les chiffres affichés n’ont pas changé.",
    ),
    "offline_download": (
        "Downloads need a connection: try again once online.",
        "Les téléchargements nécessitent une connexion\u202f: réessayez une fois en ligne.",
    ),
    "offline_not_saved": (
        "Offline: this address was never saved on this device.",
        "Hors ligne\u202f: cette adresse n’a jamais été enregistrée sur cet appareil.",
    ),
    "offline_open_last": ("Open the last page saved", "Ouvrir la dernière page enregistrée"),
    # "Label: value" pairs built in code or in the browser (map popups): French puts a space before the colon.
    "label_value": ("{label}: {value}", "{label}\u202f: {value}"),
    # Source lines: fields of sources.csv in the user's language (see source_field).
    "source_with_licence": ("{citation} (licence: {licence})", "{citation} (licence\u202f: {licence})"),
    "csv_source": ("{citation}. {title}. Licence: {licence}.", "{citation}. {title}. Licence\u202f: {licence}."),
    # Notes in downloads (the English forms are today's exactly).
    "note_filters": (
        "Filters: year={year}, donor type={donor_type}, donor name contains={donor}.",
        "Filtres\u202f: année = {year}, type de donateur = {donor_type}, le nom du donateur contient {donor}.",
    ),
    "note_regions": (
        "Regions without a row have no figure in the source.",
        "Les régions sans ligne n’ont pas de chiffre dans la source.",
    ),
    "note_people": (
        "Figures: {name}. Empty value = no data in the source.",
        "Chiffres\u202f: {name}. Valeur vide = pas de données dans la source.",
    ),
    "note_budget_empty": (
        "Empty value = not available in the source.",
        "Valeur vide = non disponible dans la source.",
    ),
    "note_budget_none": ("No budget figures for {year}.", "Pas de chiffres de budget pour {year}."),
    # Workbook sheets, one per view (at most 31 characters).
    "sheet_people": ("People of concern", "Personnes relevant du HCR"),
    "sheet_budget": ("Budget", "Budget"),
    "sheet_contributions": ("Contributions", "Contributions"),
    "sheet_key_figures": ("Key figures", "Chiffres clés"),
    "sheet_regions": ("Regions", "Régions"),
    "download_xlsx": ("Download workbook (Excel)", "Télécharger le classeur (Excel)"),
    # A value of the page address that was not understood: what was asked, what is shown instead.
    "bad_year": (
        "Year {given} is not in the data; showing {shown}.",
        "L’année {given} n’est pas dans les données\u202f; affichage de {shown}.",
    ),
    "bad_op": (
        "Operation {given} is not in the data; showing {shown}.",
        "L’opération {given} n’est pas dans les données\u202f; affichage de {shown}.",
    ),
    "bad_lang": (
        "Language {given} is not available; showing {shown}.",
        "La langue {given} n’est pas disponible\u202f; affichage en {shown}.",
    ),
    "bad_groups": (
        "Population group {given} is not known; showing {shown}.",
        "Le groupe de population {given} est inconnu\u202f; affichage de {shown}.",
    ),
    "bad_source": (
        "Population figures {given} are not known; showing the {shown}.",
        "Les chiffres de population {given} sont inconnus\u202f; affichage de la {shown}.",
    ),
    "bad_donor_type": (
        "Donor type {given} is not known; showing {shown}.",
        "Le type de donateur {given} est inconnu\u202f; affichage de {shown}.",
    ),
    "bad_donor": (
        "The donor name searched for is too long ({given} characters, at most {shown}); the search was cleared.",
        "Le nom de donateur recherché est trop long ({given} caractères, {shown} au plus)\u202f; la recherche a été effacée.",
    ),
    "bad_address": (
        "The address could not be read; showing the default view.",
        "L’adresse n’a pas pu être lue\u202f; affichage de la vue par défaut.",
    ),
    "bad_other": (
        "The value {given} of {param} was not understood; showing {shown}.",
        "La valeur {given} de {param} n’a pas été comprise\u202f; affichage de {shown}.",
    ),
    "none_selected": ("no group", "aucun groupe"),
}

# Other plural forms of TEXT entries, by CLDR plural category (Babel's Locale.plural_form); TEXT holds
# the general ("other") form, so `t` keeps working for any count.
PLURAL: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "groups_count": ({"one": "{n} group"}, {"one": "{n} groupe"}),
    "feed_total": (
        {"one": "{n} contribution shown, total {amount}"},
        {"one": "{n} contribution affichée, total {amount}"},
    ),
}

# CSV and workbook column headers: English keeps the column ids (downloads as today), French reads as words.
COLUMNS: dict[str, str] = {
    "operation": "Opération",
    "date": "Date",
    "donor": "Donateur",
    "private_donor": "Donateur privé",
    "donor_code": "Code du donateur",
    "amount_usd": "Montant (USD)",
    "year": "Année",
    "kind": "Type",
    "value": "Valeur",
    "unit": "Unité",
    "label_en": "Libellé (anglais)",
    "label_fr": "Libellé (français)",
    "region": "Région",
    "iso_3166_2": "Code ISO 3166-2",
    "group": "Groupe de population",
    "as_of": "Au",
    "pillar": "Pilier",
    "pillar_name": "Nom du pilier",
    "usd_millions": "Millions USD",
    "usd": "USD",
    "dataset": "Source des chiffres",
    "series": "Série",
    "rate": "Taux",
    "people": "Personnes",
}


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
    """A download's column header: the column id in English, a French word in French."""
    return COLUMNS.get(name, name) if lang == "fr" else name


def source_field(source, field: str, lang: str) -> str:
    """`title`, `licence` or `citation` of a sources.csv row (mapping) in `lang`, from its `<field>_fr`."""
    if lang == "fr":
        french = source.get(f"{field}_fr")
        if isinstance(french, str) and french:
            return french
    return source[field]


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


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, lang: str) -> str:
    """275,779 / 275 779; "no data" for a missing value."""
    if _missing(value):
        return t("no_data", lang)
    return format_decimal(value, locale=_NUMBER_LOCALE.get(lang, "en"))


def millions(value, lang: str) -> str:
    """An amount in millions with two decimals, for a table column whose header names the unit (0.58, 11.21)."""
    if _missing(value):
        return t("no_data", lang)
    return format_decimal(value / 1_000_000, format="#,##0.00", locale=_NUMBER_LOCALE.get(lang, "en"))


def money_short(value, lang: str) -> str:
    """$17.3M / 17,3 M $US."""
    if _missing(value):
        return t("no_data", lang)
    return format_compact_currency(value, "USD", locale=_NUMBER_LOCALE.get(lang, "en"), fraction_digits=1)


@cache
def _pattern(kind: str, lang: str, decimals: int) -> str:
    """The locale's own pattern with its fraction digits set, so spacing and symbol order stay Babel's."""
    locale = Locale.parse(_NUMBER_LOCALE.get(lang, "en"))
    formats = locale.currency_formats if kind == "currency" else locale.percent_formats
    pattern = formats["standard" if kind == "currency" else None].pattern.split(";")[0]
    digits = "." + "0" * decimals if decimals else ""
    return re.sub(r"0(\.0+)?", "0" + digits, pattern, count=1)


def money(value, lang: str) -> str:
    """$586,167 / 586 167 $US: whole dollars, as the feed publishes them."""
    if _missing(value):
        return t("no_data", lang)
    return format_currency(
        value, "USD", format=_pattern("currency", lang, 0), locale=_NUMBER_LOCALE.get(lang, "en"), currency_digits=False
    )


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
