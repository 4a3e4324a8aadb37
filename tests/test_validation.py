"""A bad data file gets one clear line per problem (file, line, field, value, expectation); nothing starts."""

import os
import subprocess
import sys

import pytest

from dashboard import data
from tests.conftest import ROOT


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(directory):
    with pytest.raises(data.DataError) as err:
        data.load(directory)
    return err.value.problems


CASES = [
    # (file, old text, new text, expected fragments of one problem line)
    (
        "budget.csv",
        "2019,budget,total,17.33224968",
        "2019,budget,total,abc",
        ["budget.csv", "line", "field 'usd_millions'", "'abc'", "expected a number"],
    ),
    (
        "budget.csv",
        "2019,budget,p1,8.28224972",
        "2019,budget,p1,-8.28224972",
        ["budget.csv", "field 'usd_millions'", "'-8.28224972'", ">= 0"],
    ),
    (
        "budget.csv",
        "2019,budget,p1,8.28224972",
        "2019,budget,p1,9.28224972",
        ["budget.csv", "field 'usd_millions'", "17.33224968", "sum of pillars"],
    ),
    (
        "budget.csv",
        "MLI,2016,budget,p1",
        "MLI,2016,budget,p9",
        ["budget.csv", "line 2", "field 'pillar'", "'p9'", "one of"],
    ),
    (
        "population_totals.csv",
        "2019,2019-12-31,275779",
        "2019,2019-12-31,275780",
        ["population_totals.csv", "line 4", "field 'value'", "275780", "expected 275779"],
    ),
    (
        "population_groups.csv",
        "2019,2019-12-31,refugees,26670",
        "2019,2019-12-31,refugies,26670",
        ["population_groups.csv", "line 117", "field 'group'", "'refugies'", "one of"],
    ),
    (
        "population_groups.csv",
        "MLI,page,2019,2019-12-31,refugees",
        "MLI,page,1899,2019-12-31,refugees",
        ["population_groups.csv", "line 117", "field 'year'", "'1899'", ">= 1990"],
    ),
    (
        "population_groups.csv",
        "2019,2019-12-31,idps,207751",
        "2019,2019-12-31,refugees,207751",
        ["population_groups.csv", "field 'group'", "duplicate entry"],
    ),
    (
        "contributions.csv",
        "2021-04-16,Italy,false,586167",
        "2021-04-16,Italy,false,586,167",
        ["contributions.csv", "line 2", "8 fields, expected 7"],
    ),
    (
        "contributions.csv",
        "2021-04-16,Italy,false,586167",
        "2021-04-16,Italy,maybe,586167",
        ["contributions.csv", "line 2", "field 'private_donor'", "'maybe'", "true or false"],
    ),
    (
        "contributions.csv",
        "MLI,2021-04-16,Italy",
        "MLI,16-APR-2021,Italy",
        ["contributions.csv", "line 2", "field 'date'", "'16-APR-2021'", "a date YYYY-MM-DD"],
    ),
    (
        "contributions.csv",
        "unhcr_page_2021_mli\nMLI,2021-04-14",
        "unhcr_page_2099\nMLI,2021-04-14",
        ["contributions.csv", "line 2", "field 'source'", "'unhcr_page_2099'", "sources.csv"],
    ),
    (
        "key_figures.csv",
        "MLI,2021,planning_target,100,percent",
        "XYZ,2021,planning_target,100,percent",
        ["key_figures.csv", "line 2", "field 'operation'", "'XYZ'", "operations.csv"],
    ),
    (
        "operations.csv",
        "operation,name_en",
        "operation,nom_en",
        ["operations.csv", "line 1", "column 'name_en' missing"],
    ),
    (
        "region_figures.csv",
        "ML-7,,,",
        "ML-77,,,",
        ["region_figures.csv", "field 'iso_3166_2'", "'ML-77'", "geo/regions.geojson"],
    ),
    (
        "offices.csv",
        "Gao,Gao,sub_office",
        "Gao,Gao,embassy",
        ["offices.csv", "line 3", "field 'office_type'", "'embassy'", "one of"],
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "fragments"), CASES, ids=[c[0] + ":" + c[2][:24] for c in CASES])
def test_bad_file_names_file_line_field(data_copy, name, old, new, fragments):
    _edit(data_copy / name, old, new)
    problems = _problems(data_copy)
    matching = [p for p in problems if all(f in p for f in fragments)]
    assert matching, problems


def test_missing_file(data_copy):
    (data_copy / "budget.csv").unlink()
    assert any(p.startswith("budget.csv: file missing") for p in _problems(data_copy))


def test_empty_file(data_copy):
    (data_copy / "key_figures.csv").write_text("", encoding="utf-8")
    assert any(p.startswith("key_figures.csv: empty file") for p in _problems(data_copy))


def test_not_utf8(data_copy):
    (data_copy / "offices.csv").write_bytes("operation,office\nMLI,M\xe9naka\n".encode("latin-1"))
    assert any("offices.csv" in p and "not UTF-8" in p for p in _problems(data_copy))


def test_broken_geojson(data_copy):
    (data_copy / "geo" / "regions.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    assert any(p.startswith("geo/regions.geojson: not valid GeoJSON") for p in _problems(data_copy))


def test_open_polygon_ring(data_copy):
    path = data_copy / "geo" / "outline.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("]]]}", "],[0,0]]]}", 1), encoding="utf-8")
    assert any("geo/outline.geojson: feature 1" in p and "closed" in p for p in _problems(data_copy))


def test_every_problem_is_reported_at_once(data_copy):
    _edit(data_copy / "budget.csv", "2019,budget,total,17.33224968", "2019,budget,total,abc")
    _edit(data_copy / "contributions.csv", "2021-04-16,Italy,false,586167", "2021-04-16,Italy,maybe,586167")
    problems = _problems(data_copy)
    assert any(p.startswith("budget.csv") for p in problems)
    assert any(p.startswith("contributions.csv") for p in problems)


def test_check_command_reports_and_fails(data_copy):
    _edit(data_copy / "budget.csv", "2019,budget,total,17.33224968", "2019,budget,total,abc")
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", str(data_copy)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 1
    assert "budget.csv: line" in out.stdout and "field 'usd_millions'" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_app_refuses_to_start_on_bad_data(data_copy):
    _edit(data_copy / "population_totals.csv", "275779", "275780")
    env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_copy))
    out = subprocess.run(
        [sys.executable, "-c", "import dashboard.app"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 3
    assert "population_totals.csv: line 4, field 'value'" in out.stderr
    assert "Traceback" not in out.stderr


def test_gunicorn_refuses_to_start_on_bad_data(data_copy):
    _edit(data_copy / "population_totals.csv", "275779", "275780")
    env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_copy))
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "1", "dashboard.app:server"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode != 0
    assert "population_totals.csv: line 4, field 'value'" in out.stderr
    assert "Traceback" not in out.stderr


def test_pillars_without_total(data_copy):
    _edit(data_copy / "budget.csv", "MLI,2019,budget,total,17.33224968,unhcr_page_2021_mli\n", "")
    assert any(
        p.startswith("budget.csv: line") and "MLI 2019 budget has pillars but no total row" in p
        for p in _problems(data_copy)
    )


def test_empty_total_with_pillars(data_copy):
    _edit(data_copy / "budget.csv", "MLI,2019,budget,total,17.33224968,", "MLI,2019,budget,total,,")
    assert any("empty total for MLI 2019 budget, expected 17.33224968" in p for p in _problems(data_copy))
