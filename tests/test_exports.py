"""Downloads per language: the CSV dialect, headers, comment lines and precision, the workbook, and
cells that must never run as formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboard import catalogue, exports, i18n
from dashboard.views import budget, feed, keyfigures, mapview, people
from dashboard.views.common import Download

# One query per view where that view has figures.
VIEWS = {
    "people": (people, "year=2019"),
    "budget": (budget, "year=2019"),
    "contributions": (feed, "year=2021"),
    "key_figures": (keyfigures, "year=2021"),
    "regions": (mapview, "year=2021"),
}


def _download(select, view: str, lang: str) -> Download:
    builder, query = VIEWS[view]
    return builder.build(select.ds, select(f"{query}&lang={lang}")).download


@pytest.fixture
def views(ds, select):
    select.ds = ds
    return select


def _parse(data: bytes, lang: str) -> tuple[list[str], list[list[str]]]:
    """(comment lines, rows incl. header) of a CSV download, read as a spreadsheet would read it."""
    text = data.decode("utf-8")
    if lang == "fr":
        assert text.startswith(exports.BOM)
        text = text[1:]
    else:
        assert not text.startswith(exports.BOM)
    lines = text.split("\n")
    comments = [line for line in lines if line.startswith("#")]
    body = "\n".join(lines[len(comments) :])
    assert not any(line.startswith("#") for line in lines[len(comments) :])
    return comments, list(csv.reader(io.StringIO(body), delimiter=";" if lang == "fr" else ","))


@pytest.mark.parametrize("view", VIEWS)
def test_english_csv_dialect_and_headers(views, ds, view):
    d = _download(views, view, "en")
    data = exports.csv_bytes(ds, d, "en")
    assert not data.startswith(b"\xef\xbb\xbf") and data.startswith(b"# ")
    _comments, rows = _parse(data, "en")
    assert all(c in catalogue.COLUMNS_EN for c in d.columns), "every download column needs an English header"
    assert rows[0] == [catalogue.COLUMNS_EN[c] for c in d.columns] and len(rows) == len(d.rows) + 1


@pytest.mark.parametrize("view", VIEWS)
def test_french_csv_dialect_and_headers(views, ds, view):
    d = _download(views, view, "fr")
    comments, rows = _parse(exports.csv_bytes(ds, d, "fr"), "fr")
    assert all(c in catalogue.COLUMNS for c in d.columns), "every download column needs a French header"
    assert rows[0] == [catalogue.COLUMNS[c] for c in d.columns]
    assert len(rows) == len(d.rows) + 1 and all(len(r) == len(d.columns) for r in rows)
    for line in comments:
        assert not any(word in line for word in ("UNHCR terms of use", "cite the source", "public domain"))
    if d.source_ids:
        assert any("Licence\u202f:" in line for line in comments)


def test_french_budget_keeps_full_precision_with_a_decimal_comma(views, ds):
    en = _parse(exports.csv_bytes(ds, _download(views, "budget", "en"), "en"), "en")[1]
    fr = _parse(exports.csv_bytes(ds, _download(views, "budget", "fr"), "fr"), "fr")[1]
    col = en[0].index("USD million")
    pairs = [(e[col], f[col]) for e, f in zip(en[1:], fr[1:], strict=True) if e[col]]
    assert pairs and any("." in e for e, _ in pairs)
    for e, f in pairs:
        assert "." not in f and f.replace(",", ".") == e
    names = {r[en[0].index("Pillar")]: r[en[0].index("Pillar name")] for r in fr[1:]}
    assert names["p1"] == "Programme pour les réfugiés"


def test_french_names_in_contributions_and_regions(views, ds):
    rows = _parse(exports.csv_bytes(ds, _download(views, "contributions", "fr"), "fr"), "fr")[1]
    donors = {r[rows[0].index("Donateur")] for r in rows[1:]}
    assert {"Italie", "Japon", "République de Corée"} <= donors and "Italy" not in donors
    rows = _parse(exports.csv_bytes(ds, _download(views, "regions", "fr"), "fr"), "fr")[1]
    assert "Tombouctou" in {r[1] for r in rows[1:]}


def test_french_comment_lines_name_the_source_in_french(views, ds):
    comments = _parse(exports.csv_bytes(ds, _download(views, "contributions", "fr"), "fr"), "fr")[0]
    assert comments[0] == (
        "# HCR, Global Focus, page de l’opération Mali (2021). Page de l’opération Mali, édition 2021 "
        "(Global Focus). Licence\u202f: conditions d’utilisation du HCR."
    )


HOSTILE = Download(
    filename="x.csv",
    columns=("operation", "donor", "value"),
    rows=(
        ("MLI", '=HYPERLINK("http://x","y")', "-5"),
        ("MLI", "+1", -0.5),
        ("MLI", "-1+2", 0.1),
        ("MLI", "@SUM(A1)", 1e16),
        ("MLI", "\tx", Decimal("1.50")),
        ("MLI", "\rx", 1.5e-7),
        ("MLI", "plain, text; here", None),
    ),
    source_ids=("natural_earth",),
    notes=("donor contains='a,=1+1;@x\n=2'",),
)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_formulas_are_neutralised_and_numbers_kept(ds, lang):
    comments, rows = _parse(exports.csv_bytes(ds, HOSTILE, lang), lang)
    donors = [r[1] for r in rows[1:]]
    assert donors[:6] == ['\'=HYPERLINK("http://x","y")', "'+1", "'-1+2", "'@SUM(A1)", "'\tx", "'\nx"]
    assert donors[6] == "plain, text; here"
    comma = "," if lang == "fr" else "."
    values = [r[2] for r in rows[1:]]
    assert values == ["-5", f"-0{comma}5", f"0{comma}1", "10000000000000000", f"1{comma}50", f"0{comma}00000015", ""]
    delimiter = ";" if lang == "fr" else ","
    cells = [cell for line in comments for cell in next(csv.reader([line], delimiter=delimiter))]
    # Source, note, then the data version.
    assert len(comments) == 3 and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def _workbook(ds, select, query: str):
    from dashboard import render

    return load_workbook(io.BytesIO(render.workbook(ds, select(query))[0]))


def _table(sheet) -> tuple[list, list[list]]:
    """(rows above the header, header and rows) of a sheet: the header is the first bold row after row 1."""
    rows = list(sheet.iter_rows())
    at = next(i for i, row in enumerate(rows) if i > 0 and row[0].font.bold)
    return [r[0].value for r in rows[:at]], rows[at:]


def test_workbook_sheets_sources_and_numbers(views, ds):
    sheets = {i18n.t(f"sheet_{v}", "fr"): _download(views, v, "fr") for v in VIEWS}
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(ds, sheets, "fr")))
    assert book.sheetnames == [*sheets, "Colonnes"]
    for title, d in sheets.items():
        above, table = _table(book[title])
        assert above[0] == title  # without titles, the sheet's name
        if d.source_ids:
            assert above[1].startswith("Source\u202f: ") and "Licence\u202f:" in above[1]
        assert [c.value for c in table[0]] == [catalogue.COLUMNS[c] for c in d.columns]
        assert len(table) - 1 == len(d.rows)
    header, *rows = [[c.value for c in row] for row in _table(book["Budget"])[1]]
    musd = [r[6] for r in rows if r[6] is not None]
    assert musd and all(isinstance(v, (int, float)) for v in musd)
    assert all(isinstance(r[2], int) for r in rows)
    rates = [r[8] for r in rows if r[3] == "Taux d’exécution"]
    assert rates and all(isinstance(v, (int, float)) for v in rates if v is not None)
    first = [c.value for c in _table(book["Contributions"])[1][1]]
    assert first[1] == dt.datetime(2021, 4, 16) and first[2] == "Italie" and first[3] == "ITA"
    assert first[5] == 586167


def test_workbook_title_rows_name_the_view_and_the_selection(ds, select):
    book = _workbook(ds, select, "year=2018&lang=fr&groups=refugees,idps&source=statistics")
    assert book["Personnes relevant du HCR"]["A1"].value == (
        "Personnes relevant du HCR — Mali · Année\u202f: 2018 · Groupes de population\u202f: Réfugiés et "
        "Personnes déplacées internes · Chiffres de population\u202f: Série statistique du HCR"
    )
    assert book["Budget"]["A1"].value == "Budget — Mali · Année\u202f: 2018"
    assert book["Budget"]["A1"].font.bold
    english = _workbook(ds, select, "year=2021&donor=japan")
    assert english["Contributions"]["A1"].value == (
        "Contributions — Mali · Year: 2021 · Donor type: All · Donor name contains: “japan”"
    )
    assert english["People of concern"]["A1"].value.endswith(
        "Population groups: all groups · Population figures: Operation page"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_workbook_headers_in_words_values_in_words_and_formats(ds, select, lang):
    book = _workbook(ds, select, f"year=2019&lang={lang}")
    words = catalogue.COLUMNS_EN if lang == "en" else catalogue.COLUMNS
    table = _table(book[i18n.t("sheet_budget", lang)])[1]
    header = [c.value for c in table[0]]
    assert header == [words[c] for c in budget.build(ds, select(f"year=2019&lang={lang}")).download.columns]
    by_code = {code: header.index(words[code]) for code in ("kind", "usd", "usd_millions", "rate", "series")}
    rate = next(r for r in table[1:] if r[by_code["rate"]].value is not None and r[2].value == 2019)
    assert rate[by_code["kind"]].value == i18n.t("rate", lang)
    assert rate[by_code["series"]].value == i18n.t("series_by_year", lang)
    assert rate[by_code["rate"]].value == pytest.approx(0.756, abs=5e-4)
    assert rate[by_code["rate"]].number_format == "0.0%"  # shows 75.6 %
    total = table[1]
    assert total[by_code["usd"]].value == pytest.approx(17332249.68)
    assert total[by_code["usd"]].number_format == '#,##0.00 "USD"'  # 17,332,249.68 USD
    assert total[by_code["usd_millions"]].number_format == "#,##0.00"
    regions = _table(book[i18n.t("sheet_regions", lang)])[1]
    menaka = next(r for r in regions if r[1].value == "Ménaka")
    assert menaka[3].value == i18n.t("refugees_and_asylum_seekers", lang)  # no code: refugees_and_asylum_seekers
    assert menaka[4].value == 15234 and menaka[4].number_format == "#,##0"
    assert menaka[5].value == dt.datetime(2024, 1, 31) and "d mmm yyyy" in menaka[5].number_format
    assert menaka[0].value == "Mali"
    codes = [[c.value for c in row] for row in _table(book[i18n.t("sheet_columns", lang)])[1][1:]]
    assert [i18n.t("sheet_budget", lang), words["rate"], "rate"] in codes
    assert [i18n.t("sheet_regions", lang), words["iso_3166_2"], "iso_3166_2"] in codes


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("year=2019&lang=fr", "Aucune contribution listée pour 2019. La source en liste pour 2021."),
        ("year=2019", "No contributions listed for 2019. The source lists contributions for 2021."),
        ("year=2021&donor=zzz", "No contribution of 2021 matches the donor filters."),
    ],
)
def test_a_sheet_without_rows_says_why(ds, select, query, reason):
    book = _workbook(ds, select, query)
    table = _table(book["Contributions"])[1]
    assert len(table) == 2 and table[1][0].value == reason and table[1][0].font.bold
    assert [c.value for c in table[1][1:]] == [None] * 5


def test_key_figures_sheet_without_rows_says_why(ds, select):
    table = _table(_workbook(ds, select, "year=2014")["Key figures"])[1]
    assert table[1][0].value == "No key figures for 2014."


@pytest.mark.parametrize(("lang", "expected"), [("en", "75.6"), ("fr", "75,6")])
def test_csv_headers_in_words_and_the_rate_as_a_percentage(views, ds, lang, expected):
    rows = _parse(exports.csv_bytes(ds, _download(views, "budget", lang), lang), lang)[1]
    words = catalogue.COLUMNS_EN if lang == "en" else catalogue.COLUMNS
    header = rows[0]
    assert header[-1] == ("Implementation rate (%)" if lang == "en" else "Taux d’exécution (%)")
    kind, year, rate = header.index(words["kind"]), header.index(words["year"]), header.index(words["rate"])
    # The codes a script filters on stay codes in the CSV's values.
    rates = {r[year]: r[rate] for r in rows[1:] if r[kind] == "implementation_rate"}
    assert rates["2019"] == expected and rates["2020"] == ""
    assert {r[header.index(words["series"])] for r in rows[1:]} == {"by_pillar", "by_year"}


def test_workbook_never_stores_a_formula(ds):
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(ds, {"Test": HOSTILE}, "en")))
    cells = [c for row in book["Test"].iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert '=HYPERLINK("http://x","y")' in texts and "@SUM(A1)" in texts
    numbers = [c.value for c in cells if c.data_type == "n"]
    assert -5 in numbers and 1e16 in numbers and -0.5 in numbers


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    first = exports.sheet_title("Budget: 2019/2020 [draft]?", taken)
    taken.add(first)
    assert first == "Budget  2019 2020  draft" and len(first) <= 31
    long = exports.sheet_title("x" * 40, taken)
    taken.add(long)
    assert long == "x" * 31
    assert exports.sheet_title("X" * 40, taken) == "X" * 27 + " (2)"
