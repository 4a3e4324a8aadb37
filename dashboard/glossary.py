"""What the figures mean and when they were taken, in our own words, in English and French: the glossary,
each view's date lines, the lines derived from the country population, the note comparing the two
population sources, and the copy-link texts.

Titles of the population groups and pillars are the dashboard's own labels (i18n), so a label and its
entry always read the same. French follows French typography: a narrow no-break space (U+202F) before
: ; ! ? and inside « ». Every figure quoted is computed from the dataset by `derived`, never written here.
"""

from __future__ import annotations

from . import i18n
from .data import GROUPS, PILLARS, Dataset
from .derived import country_population, idp_share, per_thousand, source_difference, years_in_both_sources
from .i18n import t

ANCHOR_PREFIX = "gloss-"
SECTION_ID = "glossary"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "fr" else pair[0]


def _date(text: str, lang: str) -> str:
    """An ISO date of any precision: 2021 / Feb 2021 / 31 Jan 2024 (févr. 2021, 31 janv. 2024)."""
    if len(text) == 4:
        return text
    if len(text) == 7:
        return i18n.month(text, lang)
    day = i18n.date(text, lang)
    return "1er" + day[1:] if lang == "fr" and text.endswith("-01") else day  # French writes the first "1er"


# Terms that are not labels elsewhere in the dashboard: key -> (English, French) title.
_TITLES: dict[str, tuple[str, str]] = {
    "people_of_concern": ("People of concern", "Personnes relevant du HCR"),
    "country_population": ("Total country population", "Population totale du pays"),
    "implementation_rate": ("Implementation rate", "Taux d’exécution"),
    "no_data": ("“No data”", "«\u202fPas de données\u202f»"),
    "not_available": ("“Not available”", "«\u202fNon disponible\u202f»"),
    "src_page": ("Operation page", "Page de l’opération"),
    "src_statistics": ("UNHCR statistics series", "Série statistique du HCR"),
    "sources_differ": ("Why the two sources differ", "Pourquoi les deux sources diffèrent"),
    "mid_year_returnees": ("Mid-2024 figures leave out returnees", "Les chiffres de mi-2024 omettent les retours"),
}

_DEFINITIONS: dict[str, tuple[str, str]] = {
    "people_of_concern": (
        "Everyone UNHCR counts as under its protection or receiving its help in the country: the sum of the "
        "population groups below. The dashboard adds up only the groups you tick.",
        "Toutes les personnes que le HCR compte comme protégées ou aidées par lui dans le pays\u202f: la somme "
        "des groupes de population ci-dessous. Le tableau de bord n’additionne que les groupes cochés.",
    ),
    "refugees": (
        "People who left their own country because of war, violence or persecution and are recognised as "
        "needing protection abroad. Here: refugees who live in this country.",
        "Personnes qui ont quitté leur pays à cause d’une guerre, de violences ou de persécutions et dont le "
        "besoin de protection à l’étranger est reconnu. Ici\u202f: les réfugiés qui vivent dans ce pays.",
    ),
    "asylum_seekers": (
        "People who have asked for protection as refugees and are still waiting for the answer. Some will be "
        "recognised as refugees, others not.",
        "Personnes qui ont demandé une protection en tant que réfugiés et attendent encore la réponse. "
        "Certaines seront reconnues réfugiées, d’autres non.",
    ),
    "idps": (
        "Internally displaced persons: people forced to flee their homes who stayed inside their own country, "
        "without crossing a border. Only those UNHCR works with are counted.",
        "Personnes déplacées internes\u202f: personnes forcées de fuir leur foyer qui sont restées dans leur "
        "propre pays, sans franchir de frontière. Seules celles auprès desquelles le HCR intervient sont comptées.",
    ),
    "returned_idps": (
        "Internally displaced people who went back to their home area during the year. They are counted in "
        "the year they returned, and often still need help to settle again.",
        "Personnes déplacées internes revenues dans leur région d’origine pendant l’année. Elles sont comptées "
        "l’année de leur retour et ont souvent encore besoin d’aide pour se réinstaller.",
    ),
    "returned_refugees": (
        "Refugees from this country who came back home from abroad during the year (returnees). They are "
        "counted in the year they returned.",
        "Réfugiés originaires de ce pays qui y sont revenus de l’étranger pendant l’année (rapatriés). Ils sont "
        "comptés l’année de leur retour.",
    ),
    "oip": (
        "People outside their own country who need protection from being sent back but are not counted as "
        "refugees or asylum-seekers.",
        "Personnes hors de leur pays qui ont besoin d’être protégées contre un renvoi, mais ne sont comptées "
        "ni comme réfugiées ni comme demandeuses d’asile.",
    ),
    "stateless": (
        "People whom no country recognises as its citizens. Without a nationality they often lack papers and "
        "access to school, work or health care.",
        "Personnes qu’aucun pays ne reconnaît comme ses ressortissants. Sans nationalité, elles manquent souvent "
        "de papiers et d’accès à l’école, au travail ou aux soins.",
    ),
    "host_community": (
        "Residents of the places that take in displaced people, when UNHCR supports them as well.",
        "Habitants des lieux qui accueillent des personnes déplacées, lorsque le HCR les soutient aussi.",
    ),
    "ooc": (
        "People UNHCR protects or helps who fit none of the other groups.",
        "Personnes que le HCR protège ou aide et qui n’entrent dans aucun des autres groupes.",
    ),
    "p1": (
        "The part of the budget for protecting and helping refugees and asylum-seekers.",
        "La part du budget consacrée à la protection et à l’aide des réfugiés et des demandeurs d’asile.",
    ),
    "p2": (
        "The part of the budget for preventing and ending statelessness and for helping stateless people.",
        "La part du budget consacrée à prévenir et à faire cesser l’apatridie, et à aider les apatrides.",
    ),
    "p3": (
        "The part of the budget for helping people who came back home (returned refugees and returned "
        "internally displaced people) to settle again.",
        "La part du budget consacrée à aider les personnes revenues chez elles (réfugiés rapatriés et déplacés "
        "internes rentrés) à se réinstaller.",
    ),
    "p4": (
        "The part of the budget for protecting and helping internally displaced people.",
        "La part du budget consacrée à la protection et à l’aide des personnes déplacées internes.",
    ),
    "implementation_rate": (
        "Expenditure divided by budget for the same year: the share of the planned money that was actually "
        "spent. It cannot be computed when either figure is missing.",
        "Les dépenses divisées par le budget de la même année\u202f: la part des fonds prévus réellement "
        "dépensée. Il ne peut pas être calculé si l’un des deux chiffres manque.",
    ),
    "no_data": (
        "The source publishes nothing for this year, group or place: there is no figure at all. It is not "
        "a zero; a real zero is shown as 0.",
        "La source ne publie rien pour cette année, ce groupe ou ce lieu\u202f: il n’y a aucun chiffre. Ce "
        "n’est pas un zéro\u202f; un vrai zéro est affiché 0.",
    ),
    "not_available": (
        "The source lists the item but leaves its value blank, for instance an expenditure not yet known when "
        "the source was published. Not a zero either.",
        "La source mentionne l’élément mais laisse sa valeur vide, par exemple des dépenses encore inconnues à "
        "la publication. Ce n’est pas non plus un zéro.",
    ),
    "country_population": (
        "Everyone living in the country, displaced or not, as estimated by the United Nations. It puts the "
        "number of people of concern in proportion.",
        "Toutes les personnes qui vivent dans le pays, déplacées ou non, selon l’estimation des Nations unies. "
        "Elle permet de rapporter le nombre de personnes relevant du HCR à la population.",
    ),
    "src_page": (
        "Figures from UNHCR’s web page for the operation, as they stood when the page was written. Each "
        "edition gives a few years, sometimes only a total.",
        "Chiffres de la page web du HCR consacrée à l’opération, tels qu’ils étaient lors de sa rédaction. "
        "Chaque édition donne quelques années, parfois seulement un total.",
    ),
    "src_statistics": (
        "UNHCR’s population statistics: one figure per group at the end of each year, revised in later "
        "releases as records are checked.",
        "Les statistiques de population du HCR\u202f: un chiffre par groupe à la fin de chaque année, révisé "
        "dans les éditions suivantes à mesure que les données sont vérifiées.",
    ),
    "sources_differ": (
        "The two sources were published at different times, may be taken on different dates (mid-year or end "
        "of year) and do not always count a group the same way. Compare years within one source, never "
        "across the two.",
        "Les deux sources ont été publiées à des moments différents, peuvent se rapporter à des dates "
        "différentes (mi-année ou fin d’année) et ne comptent pas toujours un groupe de la même façon. "
        "Comparez les années au sein d’une même source, jamais d’une source à l’autre.",
    ),
    "mid_year_returnees": (
        "The newer operation page gives figures for the middle of 2024 and has no line for returned refugees "
        "or returned internally displaced people. Set beside a year that counts them, the total is not like "
        "for like.",
        "La page d’opération la plus récente donne des chiffres pour le milieu de 2024 et n’a pas de ligne "
        "pour les réfugiés rapatriés ni pour les déplacés internes rentrés. Face à une année qui les compte, "
        "le total n’est pas comparable.",
    ),
}

_EXAMPLE = (
    "For {year}: {page} on the operation page ({page_date}), {statistics} in the statistics series "
    "({statistics_date}); the widest gap is for “{group}”: {group_page} against {group_statistics}.",
    "Pour {year}\u202f: {page} sur la page de l’opération ({page_date}), {statistics} dans la série "
    "statistique ({statistics_date})\u202f; l’écart le plus grand concerne le groupe «\u202f{group}\u202f»\u202f: "
    "{group_page} contre {group_statistics}.",
)

TERMS: tuple[str, ...] = (
    "people_of_concern",
    *GROUPS,
    "country_population",
    *PILLARS,
    "implementation_rate",
    "no_data",
    "not_available",
    "src_page",
    "src_statistics",
    "sources_differ",
    "mid_year_returnees",
)


# Dashboard labels (i18n keys) that name a glossary term: such a label links to anchor(LABEL_TERMS[key]).
LABEL_TERMS: dict[str, str] = {
    **{g: g for g in GROUPS},
    **{p: p for p in PILLARS},
    "kpi_people": "people_of_concern",
    "people_total": "people_of_concern",
    "kpi_rate": "implementation_rate",
    "rate": "implementation_rate",
    "no_data": "no_data",
    "not_available": "not_available",
    "src_page": "src_page",
    "src_statistics": "src_statistics",
    "pop_source": "sources_differ",
    "mid_year": "mid_year_returnees",
}


def anchor(key: str) -> str:
    """The element id of a term's entry ('gloss-returned-idps'), for links from labels: href='#' + anchor."""
    if key not in TERMS:
        raise KeyError(key)
    return ANCHOR_PREFIX + key.replace("_", "-")


def term(key: str, lang: str) -> tuple[str, str]:
    """(title, definition) of a term; unknown languages fall back to English like the rest of the dashboard."""
    if key not in TERMS:
        raise KeyError(key)
    title = _pick(_TITLES[key], lang) if key in _TITLES else t(key, lang)
    return title, _pick(_DEFINITIONS[key], lang)


def source_example(ds: Dataset, operation: str, lang: str) -> str | None:
    """One sentence with the first year both sources cover: both totals and the group that differs most."""
    for year in years_in_both_sources(ds, operation):
        diff = source_difference(ds, operation, year, GROUPS)
        compared = [g for g in diff.groups if g.difference]
        if diff.page.total is None or diff.statistics.total is None or not compared:
            continue
        widest = max(compared, key=lambda g: abs(g.difference))
        return _pick(_EXAMPLE, lang).format(
            year=year,
            page=i18n.number(diff.page.total, lang),
            page_date=_date(diff.page.as_of, lang),
            statistics=i18n.number(diff.statistics.total, lang),
            statistics_date=_date(diff.statistics.as_of, lang),
            group=t(widest.group, lang),
            group_page=i18n.number(widest.page, lang),
            group_statistics=i18n.number(widest.statistics, lang),
        )
    return None


def glossary_section(lang: str, ds: Dataset | None = None, operation: str | None = None) -> list[tuple[str, str, str]]:
    """[(anchor_id, title, definition)] in TERMS order, for a <dl>. Given a dataset and an operation, the
    entry on the two sources ends with an example computed from the data."""
    entries = []
    for key in TERMS:
        title, definition = term(key, lang)
        if key == "sources_differ" and ds is not None and operation is not None:
            example = source_example(ds, operation, lang)
            if example:
                definition = f"{definition} {example}"
        entries.append((anchor(key), title, definition))
    return entries


# Dates of each view (derived.view_dates), as short lines under a view or in its title.
_WHAT: dict[str, tuple[str, str]] = {
    "population": ("People of concern", "Personnes relevant du HCR"),
    "regions": ("Refugees and asylum-seekers by region", "Réfugiés et demandeurs d’asile par région"),
    "offices": ("UNHCR offices", "Bureaux du HCR"),
    "country_population": ("Total country population", "Population totale du pays"),
    "budget": ("Budget and expenditure", "Budget et dépenses"),
    "budget_years": ("All years shown", "Toutes les années affichées"),
    "planning_target": ("Planning targets", "Objectifs de planification"),
    "year_end_result": ("Year-end results", "Résultats de fin d’année"),
    "contributions": ("Contributions listed", "Contributions listées"),
}
_WHEN: dict[str, tuple[str, str]] = {
    "day": ("as of {start}", "au {start}"),
    "month": ("as of {start}", "situation en {start}"),
    "year_end": ("year ending {start}", "exercice clos le {start}"),
    "plan": ("planned for {start}", "prévus pour {start}"),
    "range": ("from {start} to {end}", "du {start} au {end}"),
    "years": ("{start} to {end}", "de {start} à {end}"),
}
_PUBLISHED = ("{citation}, published {date}", "{citation}, publication\u202f: {date}")
_LINE = ("{what}: {when}", "{what}\u202f: {when}")

SHARE_TEXT: dict[str, tuple[str, str]] = {
    "label": ("Copy link", "Copier le lien"),
    "copied": ("Link copied: it opens this view.", "Lien copié\u202f: il ouvre cette vue."),
    "failed": (
        "Could not copy: copy the address from the browser’s address bar.",
        "Copie impossible\u202f: copiez l’adresse dans la barre du navigateur.",
    ),
}


def reference_text(ref, lang: str, with_what: bool = True) -> str:
    """'Refugees and asylum-seekers by region: as of 31 Jan 2024' for a derived.Reference."""
    when = _pick(_WHEN[ref.kind], lang).format(
        start=_date(ref.start, lang), end=_date(ref.end, lang) if ref.end else ""
    )
    if not with_what:
        return when
    return _pick(_LINE, lang).format(what=_pick(_WHAT[ref.what], lang), when=when)


def published_text(ds: Dataset, pub, lang: str) -> str:
    """'UNHCR Refugee Data Finder, published Dec 2025' for a derived.Published; the citation alone if undated."""
    citation = i18n.source_field(ds.source(pub.source), "citation", lang)
    if not pub.date:
        return citation
    return _pick(_PUBLISHED, lang).format(citation=citation, date=_date(pub.date, lang))


def dates_lines(ds: Dataset, view, lang: str) -> list[str]:
    """Every reference line of a derived.ViewDates, then its sources' publication dates."""
    return [reference_text(r, lang) for r in view.references] + [published_text(ds, p, lang) for p in view.published]


def share_texts(lang: str) -> dict[str, str]:
    """The copy-link button's label and messages, for the store assets/share.js reads."""
    return {key: _pick(pair, lang) for key, pair in SHARE_TEXT.items()}


# Figures derived for the people view and the map panel, and the note comparing the two sources.
_CONTEXT: dict[str, tuple[str, str]] = {
    "population": ("Total country population: {value} ({when})", "Population totale du pays\u202f: {value} ({when})"),
    "per_thousand": (
        "{value} people of concern per 1,000 inhabitants",
        "{value} personnes relevant du HCR pour 1\u202f000 habitants",
    ),
    "idp_share": (
        "IDPs: {value} of people of concern",
        "Déplacés internes\u202f: {value} des personnes relevant du HCR",
    ),
}
_OTHER_SOURCE: dict[str, tuple[str, str]] = {
    "page": ("the operation page", "la page de l’opération"),
    "statistics": ("the UNHCR statistics series", "la série statistique du HCR"),
}
_DIFFERENCE = (
    "{other} also has figures for {year}: {total} ({when}), {gap} {direction} than {shown}.",
    "{other} a aussi des chiffres pour {year}\u202f: {total} ({when}), soit {gap} {direction} que {shown}.",
)
_SAME = (
    "{other} also has figures for {year}: {total} ({when}), the same total.",
    "{other} a aussi des chiffres pour {year}\u202f: {total} ({when}), le même total.",
)
_DIRECTION = {"more": ("more", "de plus"), "fewer": ("fewer", "de moins")}
_ABSENT = ("{source} gives no figure for: {groups}.", "{source} ne donne pas de chiffre pour\u202f: {groups}.")
_WIDEST = (
    "Widest gap: {group}, {shown} against {other}.",
    "Écart le plus grand\u202f: {group}, {shown} contre {other}.",
)


def context_lines(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...], lang: str
) -> list[str]:
    """The country population for the year and what it puts in proportion, when the data allow."""
    population = country_population(ds, operation, year)
    if population is None:
        return []
    when = _pick(_WHEN["day"], lang).format(start=_date(population.as_of, lang))
    lines = [_pick(_CONTEXT["population"], lang).format(value=i18n.number(population.value, lang), when=when)]
    per = per_thousand(ds, operation, year, dataset, groups)
    if per is not None:
        lines.append(_pick(_CONTEXT["per_thousand"], lang).format(value=i18n.number(per.value, lang)))
    share = idp_share(ds, operation, year, dataset, groups)
    if share is not None:
        value = i18n.percent(share.value, lang, decimals=1)
        lines.append(_pick(_CONTEXT["idp_share"], lang).format(value=value))
    return lines


def source_difference_note(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...], lang: str
) -> str | None:
    """For the people view: what the other source gives for the year shown, and the widest gap by group."""
    diff = source_difference(ds, operation, year, groups)
    if diff is None or diff.difference is None:
        return None
    shown, other = (diff.page, diff.statistics) if dataset == "page" else (diff.statistics, diff.page)
    other_name = _pick(_OTHER_SOURCE[other.dataset], lang)
    values = {
        "other": other_name[0].upper() + other_name[1:],
        "year": year,
        "total": i18n.number(other.total, lang),
        "when": _pick(_WHEN["day"], lang).format(start=_date(other.as_of, lang)),
        "shown": _pick(_OTHER_SOURCE[shown.dataset], lang),
    }
    gap = other.total - shown.total
    if gap == 0:
        note = _pick(_SAME, lang).format(**values)
    else:
        direction = _pick(_DIRECTION["more" if gap > 0 else "fewer"], lang)
        note = _pick(_DIFFERENCE, lang).format(**values, gap=i18n.number(abs(gap), lang), direction=direction)
    compared = [g for g in diff.groups if g.difference]
    if compared:
        widest = max(compared, key=lambda g: abs(g.difference))
        pair = (widest.page, widest.statistics) if dataset == "page" else (widest.statistics, widest.page)
        note += " " + _pick(_WIDEST, lang).format(
            group=t(widest.group, lang), shown=i18n.number(pair[0], lang), other=i18n.number(pair[1], lang)
        )
    for side, present in ((diff.page, "statistics"), (diff.statistics, "page")):
        # Groups one source counts (above zero) and the other leaves out: part of the gap, said plainly.
        absent = [t(g.group, lang) for g in diff.groups if getattr(g, side.dataset) is None and getattr(g, present)]
        if absent and not side.only_total:
            name = _pick(_OTHER_SOURCE[side.dataset], lang)
            note += " " + _pick(_ABSENT, lang).format(source=name[0].upper() + name[1:], groups=", ".join(absent))
    return note
