"""Downloads at plain addresses: each view's CSV and the workbook, for the selection in the address."""

import io

import pytest
from openpyxl import load_workbook

from dashboard import files


def _text(ds, name, query) -> str:
    content, _filename, _mime = files.download(ds, name, query)
    return content.decode("utf-8")


def test_download_budget_csv(ds):
    content, filename, mime = files.download(ds, "budget.csv", "year=2019")
    assert filename == "mali-budget-2019.csv" and mime.startswith("text/csv")
    assert "MLI,by_pillar,2019,budget,total,Total,17.33224968,17332249.68," in content.decode("utf-8")


def test_download_budget_csv_in_french(ds):
    text = _text(ds, "budget.csv", "year=2019&lang=fr")
    assert text.startswith("\ufeff# ") and "MLI;by_pillar;2019;budget;total;Total;17,33224968;17332249,68;" in text


def test_download_feed_follows_filters(ds):
    lines = [
        line for line in _text(ds, "feed.csv", "year=2021&donor_type=private").splitlines() if line.startswith("MLI,")
    ]
    assert len(lines) == 13 and all(",true," in line for line in lines)


def test_download_map_regions(ds):
    text = _text(ds, "map.csv", "")
    assert "MLI,Ménaka,,refugees_and_asylum_seekers,15234,2024-01-31" in text
    assert "Operational Data Portal" in text


def test_download_workbook_one_sheet_per_view(ds):
    content, filename, _ = files.download(ds, "workbook.xlsx", "year=2021&lang=fr")
    assert filename == "mali-dashboard-2021.xlsx"
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Régions",
        "Personnes relevant du HCR",
        "Budget",
        "Chiffres clés",
        "Contributions",
        "Colonnes",
    ]


@pytest.mark.parametrize("name", ["kpis.csv", "nothing", "people.xlsx", "../data/budget.csv", "budget"])
def test_download_unknown_name(ds, name):
    assert files.download(ds, name, "") is None


def test_download_route_answers_with_an_attachment():
    from dashboard.app import app

    client = app.server.test_client()
    response = client.get("/download/people.csv?year=2018&lang=fr")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=mali-people-2018.csv")
    assert response.data.startswith("\ufeff".encode())
    assert client.get("/download/nothing.csv").status_code == 404
    assert client.get("/download/people.csv?year=%ZZ&groups=" + "x," * 5000).status_code == 200


def test_people_csv_holds_the_trend(ds):
    lines = _text(ds, "people.csv", "year=2019").splitlines()
    assert "MLI,page,by_group,2019,2019-12-31,returned_refugees,5249" in lines
    assert "MLI,page,trend,2018,2018-12-31,total_selected,154432" in lines
    assert "MLI,page,trend,2020,,total_selected," in lines  # no data: an empty cell, never 0
    assert "MLI,page,trend,2024,2024-06-30,total_selected,426383" in lines
