"""Every string the dashboard shows, in English and French, and number/date formats through Babel."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

# Babel locales: numbers and currency in plain "en" ($17.3M), dates in "en_GB" (16 Apr 2021).
_NUMBER_LOCALE = {"en": "en", "fr": "fr"}
_DATE_LOCALE = {"en": "en_GB", "fr": "fr"}

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Operation Dashboard", "Tableau de bord des opérations"),
    "loading": ("Loading…", "Chargement…"),
    "subtitle": ("UNHCR operation: {name}", "Opération du HCR : {name}"),
    "operation": ("Operation", "Opération"),
    "year": ("Year", "Année"),
    "groups": ("Population groups", "Groupes de population"),
    "pop_source": ("Population figures", "Chiffres de population"),
    "src_page": ("Operation page", "Page de l’opération"),
    "src_statistics": ("UNHCR statistics series", "Série statistique du HCR"),
    "no_data": ("no data", "pas de données"),
    "not_available": ("not available", "non disponible"),
    "notice_url": (
        "Some values in the address were not understood and were replaced by defaults: {items}.",
        "Certaines valeurs de l’adresse n’ont pas été comprises et ont été remplacées par les valeurs par défaut : {items}.",
    ),
    "download_csv": ("Download CSV", "Télécharger le CSV"),
    "skip_link": ("Skip to content", "Aller au contenu"),
    "show_table": ("Show the figures as a table", "Afficher les chiffres sous forme de tableau"),
    "source": ("Source", "Source"),
    "source_line": ("Source: {text}", "Source : {text}"),
    "licence": ("Licence", "Licence"),
    "label_value": ("{label}: {value}", "{label}\u202f: {value}"),
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
    "change_none": ("change against {prev}: no data", "évolution par rapport à {prev} : pas de données"),
    "by_group": ("By population group", "Par groupe de population"),
    "trend": ("Trend over years", "Évolution annuelle"),
    "people_axis": ("People", "Personnes"),
    "group": ("Population group", "Groupe de population"),
    "value": ("Value", "Valeur"),
    "as_of": ("As of", "Au"),
    "shown_source": ("Figures: {name}", "Chiffres : {name}"),
    "partial_groups": (
        "No figure for: {groups}.",
        "Pas de chiffre pour : {groups}.",
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
        "La {name} a des chiffres pour {year} : choisissez-la sous Chiffres de population.",
    ),
    "no_groups_selected": ("No group selected.", "Aucun groupe sélectionné."),
    "mid_year": ("mid-{year}", "mi-{year}"),
    # Budget
    "budget_title": ("Budget and expenditure", "Budget et dépenses"),
    "budget_years": ("By year (USD)", "Par année (USD)"),
    "budget_pillars": ("By pillar, {year}", "Par pilier, {year}"),
    "budget": ("Budget", "Budget"),
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
        "Aucune contribution listée pour {year}. La source en liste pour : {years}.",
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
        "Ménaka est figurée par un point : c’est une région à part dans ces chiffres, mais comprise dans Gao sur cette carte.",
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
}


def t(key: str, lang: str, **values) -> str:
    """Translated text; unknown languages fall back to English."""
    en, fr = TEXT[key]
    text = fr if lang == "fr" else en
    return text.format(**values) if values else text


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
LEAFLET = {"en": {"in": "Zoom in", "out": "Zoom out"}, "fr": {"in": "Zoom avant", "out": "Zoom arrière"}}


def plotly_locale(lang: str) -> dict:
    """The part of a dcc.Graph config that translates plotly's own interface."""
    if lang != "fr":
        return {"locale": "en"}
    return {"locale": "fr", "locales": {"fr": {"dictionary": PLOTLY_FR}}}
