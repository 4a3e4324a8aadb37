"""French typography, plurals, address notices in words, French source lines and compact axis ticks."""

from __future__ import annotations

import csv
import math
import re

import pytest

from dashboard import i18n
from dashboard.catalogue import COLUMNS, COLUMNS_EN, PLURAL, TEXT
from dashboard.i18n import t, t_plural
from tests.conftest import DATA

NNBSP = "\u202f"


def _french_strings() -> dict[str, str]:
    """Every French string the dashboard can show, by where it comes from."""
    found = {f"TEXT[{k}]": fr for k, (_en, fr) in TEXT.items()}
    found |= {f"PLURAL[{k}][{c}]": text for k, (_en, fr) in PLURAL.items() for c, text in fr.items()}
    found |= {f"COLUMNS[{k}]": v for k, v in COLUMNS.items()}
    found |= {f"PLOTLY_FR[{k}]": v for k, v in i18n.PLOTLY_FR.items()}
    found |= {f"LEAFLET[{k}]": v for k, v in i18n.LEAFLET["fr"].items()}
    with (DATA / "sources.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found |= {f"sources.csv[{row['source']}].{k}": v for k, v in row.items() if k.endswith("_fr")}
    return found


def _typography_errors(text: str) -> list[str]:
    bare = re.sub(r"\{[^}]*\}", "{}", text)  # format fields may hold ':' (format specs)
    errors = []
    for i, char in enumerate(bare):
        before = bare[i - 1] if i else ""
        after = bare[i + 1] if i + 1 < len(bare) else ""
        if char in ":;!?" and not (char == ":" and before.isdigit() and after.isdigit()) and before != NNBSP:
            errors.append(f"{char!r} at {i} without a narrow no-break space before it")
        if char == "«" and after != NNBSP:
            errors.append(f"« at {i} without a narrow no-break space after it")
        if char == "»" and before != NNBSP:
            errors.append(f"» at {i} without a narrow no-break space before it")
        if char == "'":
            errors.append(f"straight apostrophe at {i} (French uses ’)")
    return errors


def test_every_french_string_follows_french_typography():
    strings = _french_strings()
    assert len(strings) > 150
    bad = {where: errs for where, text in strings.items() if (errs := _typography_errors(text))}
    assert bad == {}


@pytest.mark.parametrize(
    "text",
    ["Source : x", "Source: x", "Source\u00a0: x", "Quoi ?", "Non!", "a ; b", "« x »", "«\u202fx »", "d'accord"],
)
def test_the_typography_check_catches(text):
    assert _typography_errors(text)


@pytest.mark.parametrize("text", ["Source\u202f: {text}", "1:50m", "«\u202fx\u202f»", "{value:,}", "l’année"])
def test_the_typography_check_accepts(text):
    assert _typography_errors(text) == []


def test_english_strings_have_no_space_before_colons():
    assert [k for k, (en, _fr) in TEXT.items() if re.search(r"\s[:;]", en)] == []


def test_every_key_has_both_languages_and_the_same_fields():
    for key, (en, fr) in TEXT.items():
        assert en and fr, key
        assert set(re.findall(r"\{(\w+)", en)) == set(re.findall(r"\{(\w+)", fr)), key
    for key, (en, fr) in PLURAL.items():
        assert key in TEXT
        fields = set(re.findall(r"\{(\w+)", TEXT[key][0]))
        for text in [*en.values(), *fr.values()]:
            assert set(re.findall(r"\{(\w+)", text)) == fields, key


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (1, "fr", "1 contribution affichée, total 5 $US"),
        (2, "fr", "2 contributions affichées, total 5 $US"),
        (0, "fr", "0 contribution affichée, total 5 $US"),
        (1, "en", "1 contribution shown, total 5 $US"),
        (0, "en", "0 contributions shown, total 5 $US"),
        (2, "en", "2 contributions shown, total 5 $US"),
        (1234, "fr", "1\u202f234 contributions affichées, total 5 $US"),
        (1_000_000, "fr", "1\u202f000\u202f000 contributions affichées, total 5 $US"),
    ],
)
def test_contributions_shown_plural(n, lang, expected):
    assert t_plural("feed_total", n, lang, amount="5 $US") == expected


def test_t_still_gives_the_general_form_and_plural_falls_back_to_it():
    assert t("feed_total", "fr", n=3, amount="x") == "3 contributions affichées, total x"
    assert t_plural("no_people", 1, "en", year=2019) == "No data for 2019 in this source."


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (("year", "1800", 2019), "en", "Year 1800 is not in the data; showing 2019."),
        (("year", "1800", 2019), "fr", "L’année 1800 n’est pas dans les données\u202f; affichage de 2019."),
        (("op", "XYZ", "Mali"), "en", "Operation “XYZ” is not in the data; showing Mali."),
        (("lang", "de", "fr"), "en", "Language “de” is not available; showing French."),
        (("lang", "de", "en"), "fr", "La langue «\u202fde\u202f» n’est pas disponible\u202f; affichage en anglais."),
        (
            ("groups", "refugies", ["Réfugiés", "Apatrides"]),
            "fr",
            "Le groupe de population «\u202frefugies\u202f» est inconnu\u202f; affichage de Réfugiés et Apatrides.",
        ),
        (("groups", "x", []), "en", "Population group “x” is not known; showing no group."),
        (
            ("donor", 75, 60),
            "en",
            "The donor name searched for is too long (75 characters, at most 60); the search was cleared.",
        ),
        (("address", None, None), "fr", "L’adresse n’a pas pu être lue\u202f; affichage de la vue par défaut."),
        (("zoom", "9", "3"), "en", "The value 9 of zoom was not understood; showing 3."),
    ],
)
def test_describe_bad_in_words(args, lang, expected):
    assert i18n.describe_bad(*args, lang) == expected


def test_describe_bad_cuts_long_input():
    text = i18n.describe_bad("op", "A" * 500, "Mali", "en")
    assert "A" * 39 + "…" in text and "A" * 40 not in text


def test_french_source_fields(ds):
    src = ds.source("unhcr_page_2021_mli")
    assert i18n.source_field(src, "licence", "fr") == "conditions d’utilisation du HCR"
    assert i18n.source_field(src, "licence", "en") == "UNHCR terms of use"
    assert i18n.source_field(ds.source("natural_earth"), "licence", "fr") == "domaine public"
    assert i18n.source_field(src, "citation", "fr").startswith("HCR")
    line = t("source_with_licence", "fr", citation="HCR", licence="domaine public")
    assert line == "HCR (licence\u202f: domaine public)"
    english = [i18n.source_field(ds.source(s), f, "fr") for s in ds.sources.index for f in ("title", "licence")]
    assert not [text for text in english if re.search(r"\b(UNHCR|terms of use|public domain|cite the source)\b", text)]


def test_columns_in_words_in_both_languages():
    assert i18n.column("amount_usd", "fr") == "Montant (USD)"
    assert i18n.column("amount_usd", "en") == "Amount (USD)"
    assert i18n.column("rate", "fr") == "Taux d’exécution (%)"
    assert set(COLUMNS_EN) == set(COLUMNS)


@pytest.mark.parametrize("top", [7, 45, 980, 17.3, 275_779, 1_450_000, 49_171_913, 3.2e9])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compact_ticks_cover_the_range_in_round_steps(top, lang):
    values, text = i18n.compact_ticks(top, lang)
    assert values[0] == 0 and values[-1] >= top and values[-2] < top
    assert 3 <= len(values) <= 7 and len(text) == len(values)
    step = values[1]
    assert all(math.isclose(b - a, step) for a, b in zip(values, values[1:], strict=False))
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 2.5, 5)


def test_compact_ticks_use_babels_french_forms():
    assert i18n.compact_ticks(1_450_000, "fr")[1] == ["0", "500\u00a0k", "1\u00a0M", "1,5\u00a0M"]
    assert i18n.compact_ticks(1_450_000, "en")[1] == ["0", "500K", "1M", "1.5M"]
    assert i18n.compact_ticks(3.2e9, "fr")[1][-1] == "4\u00a0Md"
    assert i18n.compact_ticks(0, "fr") == ([0], ["0"])
    assert i18n.compact_ticks(float("nan"), "en") == ([0], ["0"])


def test_list_and_quote():
    assert i18n.list_text(["a", "b", "c"], "fr") == "a, b et c"
    assert i18n.list_text(["a", "b", "c"], "en") == "a, b, and c"
    assert i18n.quote("x", "fr") == "«\u202fx\u202f»"


def test_every_string_is_used():
    """No dead strings: each key is named in the code, or built from a prefix and a known value."""
    import pathlib

    from dashboard.data import DATASETS, GROUPS, OFFICE_TYPES, PILLARS
    from dashboard.selection import DONOR_TYPES, SORTS

    root = pathlib.Path(i18n.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py") if p.name != "catalogue.py")
    built = (
        set(GROUPS)
        | set(PILLARS)
        | set(OFFICE_TYPES)
        | {f"src_{d}" for d in DATASETS}
        | {f"donor_{d}" for d in DONOR_TYPES}
        | {f"sort_{s}" for s in SORTS}
        | {f"bad_{p}" for p in ("year", "op", "lang", "groups", "source", "donor_type", "donor", "address", "other")}
    )
    unused = [k for k in TEXT if k not in built and f'"{k}"' not in code and f"'{k}'" not in code]
    assert unused == []


# What plotly shows: a figure's texts, by the layout and trace keys that hold them.
FIGURE_TEXT_KEYS = {"text", "hovertemplate", "customdata", "ticktext", "name", "texttemplate"}


def _figure_strings(value, where: str):
    """(where, text) of every string a figure shows: titles, axis titles, ticks, annotations, hover labels."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FIGURE_TEXT_KEYS or key == "title":
                yield from _texts(item, f"{where}.{key}")
            elif isinstance(item, (dict, list)):
                yield from _figure_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _figure_strings(item, f"{where}[{i}]")


def _texts(value, where: str):
    if isinstance(value, str):
        # plotly's placeholders (%{x}, %{customdata[0]}) and markup (<br>, <extra>) are not words.
        yield where, re.sub(r"<[^>]*>", " ", re.sub(r"%\{[^}]*\}", "{}", value))
    elif isinstance(value, dict):
        yield from _texts(value.get("text", ""), f"{where}.text")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]")


def _french_figures(ds, select):
    from dashboard.selection import operation_years
    from dashboard.views import VIEWS

    for year in operation_years(ds, "MLI"):
        for source in ("page", "statistics"):
            sel = select(f"year={year}&lang=fr&source={source}")
            for view in VIEWS:
                for (component, prop), value in view.fill(ds, sel).items():
                    if prop == "figure":
                        yield f"{year}/{source}/{component}", value


def test_every_french_figure_follows_french_typography(ds, select):
    """Hover labels ("Dépenses 2019 : …"), bar texts, axis titles, annotations and titles of every figure of
    every year, in French."""
    figures = dict(_french_figures(ds, select))
    assert len(figures) >= 4 * 12
    strings = {
        f"{name}{where}": text for name, figure in figures.items() for where, text in _figure_strings(figure, "")
    }
    assert any("hovertemplate" in where for where in strings)
    bad = {where: (text, errs) for where, text in strings.items() if (errs := _typography_errors(text))}
    assert bad == {}


def test_french_hover_labels_put_a_narrow_space_before_the_colon(ds, select):
    from dashboard.views import budget, people

    sel = select("year=2019&lang=fr")
    years = budget.build(ds, sel).by_year.figure
    assert years["data"][0]["hovertemplate"].startswith("Budget %{x}\u202f: %{customdata[0]}")
    assert years["data"][1]["customdata"][3] == ["13,1\u00a0M\u00a0$US", "Taux d’exécution\u202f: 75,6\u00a0%"]
    assert people.build(ds, sel).trend.figure["data"][0]["hovertemplate"].startswith("%{x}\u202f: ")
    english = budget.build(ds, select("year=2019")).by_year.figure
    assert english["data"][1]["hovertemplate"].startswith("Expenditure %{x}: %{customdata[0]}")


def test_french_source_lines_give_dates_in_french(ds, select):
    """No ISO date in a French source line or note: "chiffres au 30 juin 2024", not 2024-06-30."""
    from dashboard.views import VIEWS

    sel = select("year=2024&lang=fr")
    shown = " ".join(str(value) for view in VIEWS for value in view.fill(ds, sel).values())
    assert "chiffres au 30 juin 2024" in shown
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", shown)


def _shown_texts(value):
    """Every text a fill value shows: strings, and the children of components, all the way down."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _shown_texts(item)
    elif hasattr(value, "children"):
        yield from _shown_texts(value.children)


def test_every_french_text_the_views_show_follows_french_typography(ds, select):
    """Texts built in code around the catalogue's strings ("Budget 2019 : 17,3 M $US · Dépenses : …"), every
    view, every year, both sources."""
    from dashboard.views import VIEWS

    bad = {}
    for year in range(2014, 2026):
        for source in ("page", "statistics"):
            sel = select(f"year={year}&lang=fr&source={source}")
            for view in VIEWS:
                for (component, prop), value in view.fill(ds, sel).items():
                    if prop not in ("children", "title"):
                        continue
                    for text in _shown_texts(value):
                        if errs := _typography_errors(text):
                            bad[f"{year}/{source}/{component}: {text}"] = errs
    assert bad == {}
