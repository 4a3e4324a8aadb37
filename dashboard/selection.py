"""What the user has chosen, parsed from the page address or a callback, always valid.

The same parser serves permalinks and every callback: anything unknown or malformed falls back to the
default and is reported, so no request can reach a builder with a value it does not know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from urllib.parse import parse_qs, urlencode

from . import ids
from .data import DATASETS, GROUPS, Dataset, rows_of
from .i18n import DEFAULT_LANG, LANGS, describe_bad, t
from .names import operation_name

POP_SOURCES = DATASETS
DONOR_TYPES = ("all", "public", "private")
SORTS = ("date_desc", "amount_desc", "donor_asc", "donor_total_desc")
DEFAULT_SOURCE = "page"  # the people figures a page opens on
MAX_DONOR_TEXT = 60  # characters of a donor search: enough for any donor's name


@dataclass(frozen=True)
class Selection:
    operation: str
    year: int
    groups: tuple[str, ...]
    lang: str = DEFAULT_LANG
    source: str = DEFAULT_SOURCE
    donor_type: str = "all"
    donor: str = ""
    sort: str = "date_desc"


@cache
def operation_groups(ds: Dataset, operation: str) -> tuple[str, ...]:
    """Groups with any figure for the operation, in the canonical order."""
    present = set(rows_of(ds, "population_groups", operation)["group"])
    return tuple(g for g in GROUPS if g in present)


@cache
def operation_years(ds: Dataset, operation: str) -> tuple[int, ...]:
    """Every year from the first to the last with any figure for the operation (gaps included, shown as no data)."""
    years: set[int] = set()
    for name in ("population_groups", "population_totals", "budget", "key_figures", "contributions"):
        years |= set(rows_of(ds, name, operation)["year"].astype(int))
    if not years:
        return (int(ds.operations.loc[operation, "default_year"]),)
    return tuple(range(min(years), max(years) + 1))


def default_operation(ds: Dataset) -> str:
    return "MLI" if "MLI" in ds.operations.index else str(ds.operations.index[0])


@cache
def newest_year(ds: Dataset, operation: str, source: str = DEFAULT_SOURCE) -> int:
    """The newest year with people figures in `source` (by group or as a total): the year a page without a
    year in its address opens on, so it follows the years a data update brings. Without any such figure,
    the operation's last year with any figure."""
    years: set[int] = set()
    for name in ("population_groups", "population_totals"):
        rows = rows_of(ds, name, operation)
        years |= set(rows[rows["dataset"] == source]["year"].astype(int))
    return max(years) if years else operation_years(ds, operation)[-1]


@cache
def mid_year(ds: Dataset, operation: str, year: int, source: str = DEFAULT_SOURCE) -> bool:
    """Whether the people figures of `source` for `year` were taken before the year's end (mid-2024)."""
    for name in ("population_groups", "population_totals"):
        rows = rows_of(ds, name, operation)
        dates = rows[(rows["dataset"] == source) & (rows["year"] == year)]["as_of"].astype(str)
        if not dates.empty:
            return not dates.iloc[0].endswith("-12-31")
    return False


def year_field(year: int) -> str:
    """A year as the address, the controls and the JSON the browser receives write it: its digits. Inside the
    program a year is an int; this (out) and `year_of` (in) are its only conversions, at those edges."""
    return str(year)


def year_of(ds: Dataset, operation: str, text) -> int | None:
    """The year an address, a control or a bar click names (its digits), when the operation has it."""
    return {year_field(y): y for y in operation_years(ds, operation)}.get(_first(text))


def year_name(ds: Dataset, operation: str, year: int, lang: str, source: str = DEFAULT_SOURCE) -> str:
    """The year as the page names it: 'mid-2024' / 'mi-2024' when the source's figures are mid-year."""
    return t("mid_year", lang, year=year) if mid_year(ds, operation, year, source) else str(year)


def default_selection(ds: Dataset, operation: str | None = None, lang: str = DEFAULT_LANG) -> Selection:
    operation = operation or default_operation(ds)
    year = newest_year(ds, operation)
    return Selection(operation=operation, year=year, groups=operation_groups(ds, operation), lang=lang)


def _first(values) -> str | None:
    if isinstance(values, list):
        values = values[0] if values else None
    if values is None:
        return None
    return values if isinstance(values, str) else str(values)


def parse(ds: Dataset, params: dict, fallback_lang: str = DEFAULT_LANG) -> tuple[Selection, list[str]]:
    """A valid Selection from loosely typed parameters, and the names of those that were not understood.

    `params` maps names to a value or a list of values (as `parse_qs` and callbacks give them). Results
    are cached by the parameters' JSON text: the same few selections come back on every interaction.
    """
    if not isinstance(params, dict):
        params = {}
    try:
        key = json.dumps(params, sort_keys=True)
    except (TypeError, ValueError):
        key = None
    if key is None or len(key) > _MAX_CACHED_KEY:
        return _parse(ds, params, fallback_lang)
    selection, bad = _parse_cached(ds, key, fallback_lang)
    return selection, list(bad)


_MAX_CACHED_KEY = 2_000


@lru_cache(maxsize=4096)
def _parse_cached(ds: Dataset, key: str, fallback_lang: str) -> tuple[Selection, tuple[str, ...]]:
    selection, bad = _parse(ds, json.loads(key), fallback_lang)
    return selection, tuple(bad)


def _groups(raw, known: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The groups an address or the group boxes name, in the canonical order ("none": no group), and whether
    all of it was understood (texts only, at most 50 of them, every name a group of the operation)."""
    items = raw if isinstance(raw, list) else [raw]
    texts = [item for item in items[:50] if isinstance(item, str)]
    names = [part for text in texts for part in text.split(",") if part]
    understood = len(texts) == len(items[:50])
    if names == ["none"]:
        return (), understood
    understood = understood and len(items) <= 50 and all(name in known for name in names)
    return tuple(g for g in known if g in set(names)), understood


def _parse(ds: Dataset, params: dict, fallback_lang: str) -> tuple[Selection, list[str]]:
    bad: list[str] = []

    def take(name: str, allowed, default):
        """The value of `name` when `allowed` has it (a set of texts, or texts mapped to the values they name)."""
        raw = params.get(name)
        if raw is None or raw == [] or raw == "":
            return default
        value = _first(raw)
        if value in allowed:
            return allowed[value] if isinstance(allowed, dict) else value
        bad.append(name)
        return default

    operation = take("op", set(map(str, ds.operations.index)), default_operation(ds))
    base = default_selection(ds, operation, lang=fallback_lang if fallback_lang in LANGS else DEFAULT_LANG)
    lang = take("lang", LANGS, base.lang)
    source = take("source", POP_SOURCES, base.source)
    years = {year_field(y): y for y in operation_years(ds, operation)}
    year = take("year", years, newest_year(ds, operation, source))
    groups = base.groups
    if params.get("groups") is not None:
        groups, understood = _groups(params["groups"], operation_groups(ds, operation))
        if not understood:
            bad.append("groups")
    donor_type = take("donor_type", DONOR_TYPES, base.donor_type)
    sort = take("sort", SORTS, base.sort)
    donor = params.get("donor")
    donor = _first(donor) if donor is not None else ""
    if donor is None or len(donor) > MAX_DONOR_TEXT:
        bad.append("donor")
        donor = ""
    selection = replace(
        base,
        lang=lang,
        year=year,
        groups=groups,
        source=source,
        donor_type=donor_type,
        donor=donor.strip(),
        sort=sort,
    )
    return selection, sorted(set(bad))


def query_params(query: str | None) -> dict | None:
    """The address's `search` part (with or without its '?') as {name: [values]}; None when unreadable."""
    text = query.lstrip("?") if isinstance(query, str) else ""
    try:
        return parse_qs(text, keep_blank_values=False, max_num_fields=100)
    except ValueError:
        return None


def from_query(ds: Dataset, query: str | None, fallback_lang: str = DEFAULT_LANG) -> tuple[Selection, list[str]]:
    """Parse the `search` part of the page address (with or without its leading '?')."""
    params = query_params(query)
    if params is None:
        return parse(ds, {}, fallback_lang)[0], ["address"]
    return parse(ds, params, fallback_lang)


def notice(ds: Dataset, params, sel: Selection, bad: list[str]) -> str:
    """What was not understood and what is shown instead, in sentences in the selection's language."""
    if not bad:
        return ""
    params = params if isinstance(params, dict) else {}
    lang = sel.lang
    shown = {
        "year": year_name(ds, sel.operation, sel.year, lang, sel.source),
        "op": operation_name(ds, sel.operation, lang),
        "lang": sel.lang,
        "groups": [t(g, lang) for g in sel.groups],
        "source": t(f"src_{sel.source}", lang),
        "donor_type": t(f"donor_{sel.donor_type}", lang),
        "sort": t(f"sort_{sel.sort}", lang),
    }
    sentences = []
    for name in bad:
        raw = params.get(name)
        if name == "donor":
            text = _first(raw) or ""
            sentences.append(describe_bad("donor", len(text), MAX_DONOR_TEXT, lang))
            continue
        if name == "groups":
            items = raw if isinstance(raw, list) else [raw]
            known = operation_groups(ds, sel.operation)
            parts = [p for i in items if isinstance(i, str) for p in i.split(",") if p]
            raw = ", ".join(p for p in parts if p not in known and p != "none") or str(raw)
        sentences.append(describe_bad(name, _first(raw), shown.get(name, ""), lang))
    return " ".join(sentences)


def to_query(ds: Dataset, sel: Selection) -> str:
    """The permalink's query string; defaults other than year and language are left out to keep it short."""
    params: dict[str, str] = {}
    if sel.operation != default_operation(ds):
        params["op"] = sel.operation
    params["year"] = year_field(sel.year)
    params["lang"] = sel.lang
    if sel.groups != operation_groups(ds, sel.operation):
        params["groups"] = ",".join(sel.groups) if sel.groups else "none"
    if sel.source != "page":
        params["source"] = sel.source
    if sel.donor_type != "all":
        params["donor_type"] = sel.donor_type
    if sel.donor:
        params["donor"] = sel.donor
    if sel.sort != SORTS[0]:
        params["sort"] = sel.sort
    return "?" + urlencode(params, safe=",")


# Each field of the selection (by its address name) and the control that shows it: the layout sets the
# controls' values by it, the main callback reads and writes them by it, and the first view links every
# choice of a control to the address of that choice by it.
CONTROL_IDS = {
    "op": ids.OPERATION,
    "year": ids.YEAR,
    "groups": ids.GROUPS,
    "source": ids.SOURCE,
    "lang": ids.LANG,
    "donor_type": ids.FEED_DONOR_TYPE,
    "donor": ids.FEED_DONOR,
    "sort": ids.FEED_SORT,
}


def control_values(sel: Selection) -> dict[str, object]:
    """What each control shows for the selection, by field (CONTROL_IDS): no group ticked is an empty list."""
    store = to_store(sel)
    return {name: store[name] for name in CONTROL_IDS} | {"groups": list(sel.groups)}


def to_store(sel: Selection) -> dict:
    """The selection as the browser holds it (JSON, the year as text, as the address writes it)."""
    return {
        "op": sel.operation,
        "year": year_field(sel.year),
        "groups": list(sel.groups) if sel.groups else ["none"],
        "lang": sel.lang,
        "source": sel.source,
        "donor_type": sel.donor_type,
        "donor": sel.donor,
        "sort": sel.sort,
    }


def from_store(ds: Dataset, data) -> Selection:
    """The selection a view callback receives; whatever the client sent, the result is valid."""
    return parse(ds, data if isinstance(data, dict) else {})[0]


def _clicked_year(click) -> str | None:
    """The year a bar click names, as the chart writes it (text, like an address's); `parse` reads it."""
    try:
        return str(click["points"][0]["x"])
    except (KeyError, IndexError, TypeError):
        return None


# What sets the selection: the address, one of the controls, or a click on a budget bar.
ADDRESS, CONTROLS, BAR_CLICK, OPERATION_CHANGE = "address", "controls", "bar_click", "operation_change"


def resolve(
    ds: Dataset, cause: str, search, controls: dict, click=None, fallback_lang: str = DEFAULT_LANG
) -> tuple[Selection, str] | None:
    """The rules that turn the address, the controls or a bar click into the selection.

    `controls` maps selection names (op, year, groups, lang, source, donor_type, donor, sort) to the values on
    the page. Returns the selection and the notice about what was not understood ("" when all was), or
    None when nothing should change (a click that names no year).
    """
    if cause == ADDRESS:
        params = query_params(search)
        sel, bad = from_query(ds, search, fallback_lang=fallback_lang)
        return sel, notice(ds, params, sel, bad)
    controls = controls if isinstance(controls, dict) else {}
    params = dict(controls)
    groups = controls.get("groups")
    params["groups"] = groups if groups else ["none"]
    if cause == BAR_CLICK:
        year = _clicked_year(click)
        if year is None:
            return None
        params["year"] = year
    op = controls.get("op")
    if cause == OPERATION_CHANGE and str(op) in ds.operations.index:
        # Another operation keeps the year and the groups it also has; the rest go to its defaults.
        if year_of(ds, op, controls.get("year")) is None:
            params.pop("year", None)
        kept = (
            [g for g in groups if isinstance(g, str) and g in operation_groups(ds, op)]
            if isinstance(groups, list)
            else []
        )
        params["groups"] = kept if kept else None
    sel, bad = parse(ds, params, fallback_lang=fallback_lang)
    return sel, notice(ds, params, sel, bad)
