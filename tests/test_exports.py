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
    assert rows[0] == list(d.columns) and len(rows) == len(d.rows) + 1


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
    col = en[0].index("usd_millions")
    pairs = [(e[col], f[col]) for e, f in zip(en[1:], fr[1:], strict=True) if e[col]]
    assert pairs and any("." in e for e, _ in pairs)
    for e, f in pairs:
        assert "." not in f and f.replace(",", ".") == e
    names = {r[en[0].index("pillar")]: r[en[0].index("pillar_name")] for r in fr[1:]}
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
    assert len(comments) == 2 and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_workbook_sheets_sources_and_numbers(views, ds):
    sheets = {i18n.t(f"sheet_{v}", "fr"): _download(views, v, "fr") for v in VIEWS}
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(ds, sheets, "fr")))
    assert book.sheetnames == list(sheets)
    for title, d in sheets.items():
        sheet = book[title]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        header_at = values.index([catalogue.COLUMNS[c] for c in d.columns])
        if d.source_ids:
            assert values[0][0].startswith("Source\u202f: ") and "Licence\u202f:" in values[0][0]
        assert len(values) - header_at - 1 == len(d.rows)
    budget_rows = list(book[i18n.t("sheet_budget", "fr")].iter_rows(values_only=True))
    header = budget_rows.index(tuple(catalogue.COLUMNS[c] for c in sheets["Budget"].columns))
    musd = [r[6] for r in budget_rows[header + 1 :] if r[6] is not None]
    assert musd and all(isinstance(v, (int, float)) for v in musd)
    assert all(isinstance(r[2], int) for r in budget_rows[header + 1 :])
    rates = [r[8] for r in budget_rows[header + 1 :] if r[3] == "implementation_rate"]
    assert rates and all(isinstance(v, (int, float)) for v in rates if v is not None)
    feed_rows = list(book["Contributions"].iter_rows(values_only=True))
    first = feed_rows[[r[0] for r in feed_rows].index("Opération") + 1]
    assert first[1] == dt.datetime(2021, 4, 16) and first[2] == "Italie" and first[3] == "ITA"
    assert first[5] == 586167


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
