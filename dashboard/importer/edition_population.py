"""The newer operation page (population figures): the total country population and the population
categories, as of a date the user gives."""

from __future__ import annotations

import datetime as dt
import re

from ..safety import quote
from .reading import GROUP_NAMES, LICENCE_FR, NOT_A_COUNT, NUMBER, Page, PageError, count, find_line, plausible_date


def parse_population(lines: list[str], operation: str | None, known: dict[str, str], as_of: str | None) -> Page:
    """The newer page: total country population and the population categories, as of `as_of`."""
    operation = operation or _operation_named(lines, known)
    if as_of is None:
        raise PageError(["the page does not say when its figures were taken: pass --as-of YYYY-MM-DD"])
    try:
        date = dt.date.fromisoformat(as_of)
    except ValueError:
        raise PageError([f"--as-of: expected a date YYYY-MM-DD, found {quote(as_of)}"]) from None
    plausible_date(date, "--as-of")
    src = f"unhcr_page_{date.year}_{operation.lower()}"
    name = next((n for n, iso in known.items() if iso == operation), operation)
    page = Page(operation, [src])
    page.add("sources.csv", _source_row(src, name, date))
    groups, country = _figures(lines)
    for group, value in groups.items():
        page.add(
            "population_groups.csv",
            {
                "operation": operation,
                "dataset": "page",
                "year": date.year,
                "as_of": date.isoformat(),
                "group": group,
                "value": value,
                "source": src,
            },
        )
    if country is not None:
        # UN population projections refer to 1 July of their year.
        page.add(
            "country_population.csv",
            {"operation": operation, "year": date.year, "as_of": f"{date.year}-07-01", "value": country, "source": src},
        )
    return page


def _operation_named(lines: list[str], known: dict[str, str]) -> str:
    """The page carries no ISO code; its country context opens with the country's name ("Mali, located in
    West Africa, ..."). Only that opening name is read, nothing of the paragraph is kept."""
    ctx = next((i for i, line in enumerate(lines) if line.strip() == "Country context"), None)
    opening = lines[ctx + 1].strip() if ctx is not None and ctx + 1 < len(lines) else ""
    found = {iso for name, iso in known.items() if re.match(rf"{re.escape(name)}\b", opening)}
    if len(found) != 1:
        raise PageError(["the page does not say which operation it is (no ISO code): pass --operation ISO3"])
    return found.pop()


def _source_row(src: str, name: str, date: dt.date) -> dict:
    return {
        "source": src,
        "title": f"{name} operation page, population figures as of {date.isoformat()} "
        "(total country population: UN World Population Prospects)",
        "publisher": "UNHCR",
        "date": date.isoformat(),
        "licence": "UNHCR terms of use",
        "citation": f"UNHCR, {name} operation page (figures as of {date.isoformat()})",
        "title_fr": f"Page de l’opération {name}, chiffres de population au {date.isoformat()} "
        "(population totale du pays\u202f: Perspectives de la population mondiale des Nations Unies)",
        "licence_fr": LICENCE_FR,
        "citation_fr": f"HCR, page de l’opération {name} (chiffres au {date.isoformat()})",
    }


def _figures(lines: list[str]) -> tuple[dict[str, int], int | None]:
    """The '<category>' / '<people>' line pairs between 'Population figures' and 'Country context': the
    people by group, and the total country population when the page gives it."""
    start = find_line(lines, lambda s: s == "Population figures", "the 'Population figures' heading")
    find_line(lines, lambda s: s == "Country context", "the 'Country context' heading", start)
    seen: dict[str, int] = {}
    country = None
    j = start + 1
    while j < len(lines) - 1:
        label, value = lines[j].strip(), lines[j + 1].strip()
        if label == "Country context":
            break
        key = re.sub(r"\s*\(.*?\)", "", label).rstrip(":").strip().lower()
        known = key == "total country population" or key in GROUP_NAMES
        number_like = re.fullmatch(rf"{NUMBER}|\S*\d\S*", value) or NOT_A_COUNT.match(value)
        if (known or number_like) and not re.fullmatch(rf"{NUMBER}", label):
            number = count(value, f"line {j + 2}")
            if key == "total country population":
                if country is not None:
                    raise PageError([f"line {j + 1}: {quote(label)} given twice"])
                country = number
            else:
                group = GROUP_NAMES.get(key)
                if group is None:
                    raise PageError([f"line {j + 1}: unknown population category {quote(label)}"])
                if group in seen:
                    raise PageError([f"line {j + 1}: population category {quote(label)} given twice"])
                seen[group] = number
            j += 2
            continue
        j += 1
    if not seen:
        raise PageError([f"line {start + 1}: expected '<category>' / '<people>' lines after 'Population figures'"])
    return seen, country
