"""One rule per figure: a figure computed once (dashboard/derived.py) and rounded once, half-up
(dashboard/rounding.py), reads the same in the view, its table, the headline strip, the CSV and the workbook.

The shipped data has no amount that falls on a half (a half cent, a half of 0.1 %), so these tests write one:
under Python's and Babel's default rounding (half-even) the places below disagreed with each other.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard import callbacks, data, exports, i18n, ids, layout, page, render, selection, ssr
from dashboard.views import budget, keyfigures, kpis, people
from dashboard.views.common import filename
from tests.tree import components

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# 2019 rewritten so that amounts fall on half cents and the rate on a half of 0.1 %: budget 20 million
# (pillars 9,999,999.985 + 6,000,000.005 + 4,000,000 USD), expenditure 5.13 million, a rate of 0.2565.
BUDGET_2019 = {
    ("budget", "p1"): "9.999999985",
    ("budget", "p2"): "",
    ("budget", "p3"): "6.000000005",
    ("budget", "p4"): "4",
    ("budget", "total"): "20",
    ("expenditure", "p1"): "5.13",
    ("expenditure", "p2"): "",
    ("expenditure", "p3"): "0",
    ("expenditure", "p4"): "0",
    ("expenditure", "total"): "5.13",
}


def _rewritten(name: str, change) -> bytes:
    """`data/<name>` with `change(row)` applied to every row, as the loader reads it."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [change(row) for row in reader]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def halves():
    def change(row):
        if row["operation"] == "MLI" and row["year"] == "2019":
            row["usd_millions"] = BUDGET_2019[(row["kind"], row["pillar"])]
        return row

    return data.load(DATA, replacing={"budget.csv": _rewritten("budget.csv", change)})


def _sel(ds, query: str):
    sel, bad = selection.from_query(ds, query)
    assert bad == [], bad
    return sel


def test_rules001_half_cents_round_up_in_every_row_of_the_budget_csv(halves):
    """A pillar row and a year row of one CSV state each amount by the same rule (the pillar rows rounded
    half-even before: 9,999,999.98 and 6,000,000.00 beside a year total rounded half-up)."""
    download = budget.download(halves, _sel(halves, "year=2019"))
    rows = {(r[1], r[3], r[4]): r for r in download.rows if r[2] == 2019}
    assert rows[("by_pillar", "budget", "p1")][6:8] == ("9.99999999", "9999999.99")
    assert rows[("by_pillar", "budget", "p3")][6:8] == ("6.00000001", "6000000.01")
    assert rows[("by_pillar", "budget", "total")][7] == rows[("by_year", "budget", "total")][7] == "20000000.00"
    text = exports.csv_bytes(halves, download, "fr").decode("utf-8")
    assert "9999999,99" in text and "6000000,01" in text and "9999999,98" not in text


def test_rules002_a_rate_on_a_half_reads_the_same_in_the_view_the_strip_and_the_downloads(halves):
    """5.13 / 20 = 0.2565: the budget summary, its years table, the headline strip, the CSV and the workbook
    all say 25.7 % (the view computed its own float rate and showed 25.6 % beside a CSV saying 0.257)."""
    sel = _sel(halves, "year=2019")
    view = budget.build(halves, sel)
    assert view.rate_text == "25.7%"
    assert ("2019", "$20.0M", "$5.1M", "25.7%") in view.by_year.table.rows  # one decimal all down the column
    strip = {key: value for key, _, value, _ in kpis.build(halves, sel)}
    assert strip["kpi_rate"] == "25.7%"
    (rate,) = [r for r in view.download.rows if r[1] == "by_year" and r[2] == 2019 and r[3] == "implementation_rate"]
    assert rate[8] == "0.257"
    book = load_workbook(io.BytesIO(render.workbook(halves, sel)[0]))
    sheet = book[i18n.t(budget.SHEET, "en")]
    rates = {row[2].value: row[8] for row in sheet.iter_rows() if row[3].value == "Implementation rate"}
    assert rates[2019].value == 0.257 and "%" in rates[2019].number_format


def test_rules003_a_change_on_a_half_percent_rounds_up(ds):
    """Returned refugees 200 -> 225 is +12.5 %: shown +13 % in the view and the headline strip (the view
    divided in floats and Babel rounded half-even: +12 %)."""

    def change(row):
        if (row["dataset"], row["group"]) == ("statistics", "returned_refugees") and row["year"] in ("2016", "2017"):
            row["value"] = {"2016": "200", "2017": "225"}[row["year"]]
        return row

    changed = data.load(DATA, replacing={"population_groups.csv": _rewritten("population_groups.csv", change)})
    sel = _sel(changed, "year=2017&source=statistics&groups=returned_refugees")
    view = people.build(changed, sel)
    assert (view.total, view.change) == (225, Decimal("0.13"))
    assert view.change_text == "+13% against 2016"
    assert {key: detail for key, _, _, detail in kpis.build(changed, sel)}["kpi_people"] == "+13% against 2016"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (i18n.money_short, {Decimal("13250000"): "$13.3M", 13_250_000.0: "$13.3M", Decimal("13249999.99"): "$13.2M"}),
        (i18n.millions, {Decimal("585000"): "0.59", Decimal("584999.99"): "0.58"}),
        (i18n.money, {Decimal("586166.5"): "$586,167", 2.5: "$3"}),
    ],
)
def test_rules004_shortened_figures_round_half_up(value, shown):
    """What the page shortens ($13.25M to one decimal, 0.585 million to two) rounds half-up too: Babel's
    default is half-even ($13.2M, 0.58, $2)."""
    assert {number: value(number, "en") for number in shown} == shown


def test_rules005_percentages_round_half_up():
    assert i18n.percent(Decimal("0.125"), "en") == "13%"
    assert i18n.percent(Decimal("0.2565"), "fr", decimals=1) == "25,7\u00a0%"
    assert i18n.number(Decimal("0.5"), "en") == "0.5"  # a figure is never rounded where it is not shortened


def test_rules006_the_operation_name_is_looked_up_once(monkeypatch):
    """Only names.operation_name reads an operation's name from the dataset (the page title, the subtitle, the
    notice and the file names each read it themselves before)."""
    lookup = re.compile(r"operations\b.*\"name_(en|fr)\"")
    readers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "dashboard").rglob("*.py")
        if lookup.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == ["dashboard/names.py"]

    def change(row):
        row["name_fr"] = "Mali (nom français)" if row["operation"] == "MLI" else row["name_fr"]
        return row

    renamed = data.load(DATA, replacing={"operations.csv": _rewritten("operations.csv", change)})
    sel = _sel(renamed, "year=2019&lang=fr")
    assert "Mali (nom français)" in layout.labels(renamed, "MLI", "fr")["subtitle"]
    from dashboard.app import app

    monkeypatch.setattr(page, "get_dataset", lambda: renamed)
    parts = dict.fromkeys(("metas", "favicon", "css", "config", "scripts", "renderer"), "") | {"app_entry": ""}
    with app.server.test_request_context("/?year=2019&lang=fr"):
        assert "<title>Mali (nom français) – " in page.index(**parts)
    params = {"year": ["1800"], "op": ["XXX"], "lang": ["fr"]}
    notice = selection.notice(renamed, params, sel, ["op", "year"])
    assert "Mali (nom français)" in notice
    assert filename(renamed, "MLI", "people", 2019) == "mali-people-2019.csv"  # file names keep the English name


def test_rules007_one_table_of_controls_for_the_layout_the_callbacks_and_the_first_view(ds):
    """selection.CONTROL_IDS is the one table: the layout shows each field in its control, the main callback
    turns those controls back into the same selection, and the first view links every control's choices
    (ssr.control_links had its own table, without the donor field)."""
    query = "year=2018&lang=fr&groups=refugees,idps&source=statistics&donor_type=private&sort=amount_desc&donor=korea"
    sel = _sel(ds, query)
    shown = {
        node.id: node.value
        for node in components(layout.build_layout(ds, sel))
        if getattr(node, "id", None) in selection.CONTROL_IDS.values()
    }
    values = selection.control_values(sel)
    assert shown == {selection.CONTROL_IDS[name]: value for name, value in values.items()}
    out = callbacks.update(ds, ids.YEAR, "?" + query, values)
    assert out["selection"] == selection.to_store(sel) and out["controls"] == values
    # every control, and the group shortcuts ("all groups", "only"), which set the groups field
    shortcuts = {ids.GROUPS_ALL, ids.GROUP_ONLY}
    assert set(ssr.control_links(ds, sel)) == set(selection.CONTROL_IDS.values()) | shortcuts


def test_rules008_key_figures_keep_every_digit_in_the_download():
    """A key figure of 2,500,000 people is 2500000 in the CSV, as the card shows it (the download wrote it
    with 6 significant digits: 2.5e+06)."""

    def change(row):
        if (row["year"], row["unit"]) == ("2019", "people"):
            row["value"] = "2500000"
        return row

    changed = data.load(DATA, replacing={"key_figures.csv": _rewritten("key_figures.csv", change)})
    sel = _sel(changed, "year=2019")
    values = {r[4]: r[3] for r in keyfigures.download(changed, sel).rows}
    assert values == {"people": "2500000", "incidents": "1900", "children": "1100"}
    assert "2,500,000" in [value for _, items in keyfigures.build(changed, sel).sections for value, _ in items]
