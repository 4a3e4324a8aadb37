"""What the figures mean and when they were taken, in the user's language: the glossary, each view's date
lines, the lines derived from the country population, the note comparing the two population sources, and
the copy-link texts. The words are in `catalogue`; this module picks and fills them.

Titles of the population groups and pillars are the dashboard's own labels (`TEXT`), so a label and its
entry always read the same. Every figure quoted is computed from the dataset by `derived`, never written here.
"""

from __future__ import annotations

from . import i18n
from .catalogue import (
    ABSENT,
    CONTEXT,
    DATE_LINE,
    DEFINITIONS,
    DIFFERENCE,
    DIRECTION,
    OTHER_SOURCE,
    PUBLISHED,
    SAME_TOTAL,
    SHARE_TEXT,
    SOURCE_EXAMPLE,
    TERM_TITLES,
    WHAT,
    WHEN,
    WIDEST,
)
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


# Dashboard labels (`TEXT` keys) that name a glossary term: such a label links to anchor(LABEL_TERMS[key]).
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
    title = _pick(TERM_TITLES[key], lang) if key in TERM_TITLES else t(key, lang)
    return title, _pick(DEFINITIONS[key], lang)


def source_example(ds: Dataset, operation: str, lang: str) -> str | None:
    """One sentence with the first year both sources cover: both totals and the group that differs most."""
    for year in years_in_both_sources(ds, operation):
        diff = source_difference(ds, operation, year, GROUPS)
        compared = [g for g in diff.groups if g.difference]
        if diff.page.total is None or diff.statistics.total is None or not compared:
            continue
        widest = max(compared, key=lambda g: abs(g.difference))
        return _pick(SOURCE_EXAMPLE, lang).format(
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


def reference_text(ref, lang: str, with_what: bool = True) -> str:
    """'Refugees and asylum-seekers by region: as of 31 Jan 2024' for a derived.Reference."""
    when = _pick(WHEN[ref.kind], lang).format(start=_date(ref.start, lang), end=_date(ref.end, lang) if ref.end else "")
    if not with_what:
        return when
    return _pick(DATE_LINE, lang).format(what=_pick(WHAT[ref.what], lang), when=when)


def published_text(ds: Dataset, pub, lang: str) -> str:
    """'UNHCR Refugee Data Finder, published Dec 2025' for a derived.Published; the citation alone if undated."""
    citation = i18n.source_field(ds.source(pub.source), "citation", lang)
    if not pub.date:
        return citation
    return _pick(PUBLISHED, lang).format(citation=citation, date=_date(pub.date, lang))


def dates_lines(ds: Dataset, view, lang: str) -> list[str]:
    """Every reference line of a derived.ViewDates, then its sources' publication dates."""
    return [reference_text(r, lang) for r in view.references] + [published_text(ds, p, lang) for p in view.published]


def share_texts(lang: str) -> dict[str, str]:
    """The copy-link button's label and what it says once the link is copied (layout.copy_link)."""
    return {key: _pick(pair, lang) for key, pair in SHARE_TEXT.items()}


def context_lines(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...], lang: str
) -> list[str]:
    """The country population for the year and what it puts in proportion, when the data allow."""
    population = country_population(ds, operation, year)
    if population is None:
        return []
    when = _pick(WHEN["day"], lang).format(start=_date(population.as_of, lang))
    lines = [_pick(CONTEXT["population"], lang).format(value=i18n.number(population.value, lang), when=when)]
    per = per_thousand(ds, operation, year, dataset, groups)
    if per is not None:
        lines.append(_pick(CONTEXT["per_thousand"], lang).format(value=i18n.number(per.value, lang)))
    share = idp_share(ds, operation, year, dataset, groups)
    if share is not None:
        value = i18n.percent(share.value, lang, decimals=1)
        lines.append(_pick(CONTEXT["idp_share"], lang).format(value=value))
    return lines


def source_difference_note(
    ds: Dataset, operation: str, year: int, dataset: str, groups: tuple[str, ...], lang: str
) -> str | None:
    """For the people view: what the other source gives for the year shown, and the widest gap by group."""
    diff = source_difference(ds, operation, year, groups)
    if diff is None or diff.difference is None:
        return None
    shown, other = (diff.page, diff.statistics) if dataset == "page" else (diff.statistics, diff.page)
    other_name = _pick(OTHER_SOURCE[other.dataset], lang)
    values = {
        "other": other_name[0].upper() + other_name[1:],
        "year": year,
        "total": i18n.number(other.total, lang),
        "when": _pick(WHEN["day"], lang).format(start=_date(other.as_of, lang)),
        "shown": _pick(OTHER_SOURCE[shown.dataset], lang),
    }
    gap = other.total - shown.total
    if gap == 0:
        note = _pick(SAME_TOTAL, lang).format(**values)
    else:
        direction = _pick(DIRECTION["more" if gap > 0 else "fewer"], lang)
        note = _pick(DIFFERENCE, lang).format(**values, gap=i18n.number(abs(gap), lang), direction=direction)
    compared = [g for g in diff.groups if g.difference]
    if compared:
        widest = max(compared, key=lambda g: abs(g.difference))
        pair = (widest.page, widest.statistics) if dataset == "page" else (widest.statistics, widest.page)
        note += " " + _pick(WIDEST, lang).format(
            group=t(widest.group, lang), shown=i18n.number(pair[0], lang), other=i18n.number(pair[1], lang)
        )
    for side, present in ((diff.page, "statistics"), (diff.statistics, "page")):
        # Groups one source counts (above zero) and the other leaves out: part of the gap, said plainly.
        absent = [t(g.group, lang) for g in diff.groups if getattr(g, side.dataset) is None and getattr(g, present)]
        if absent and not side.only_total:
            name = _pick(OTHER_SOURCE[side.dataset], lang)
            note += " " + _pick(ABSENT, lang).format(source=name[0].upper() + name[1:], groups=", ".join(absent))
    return note
