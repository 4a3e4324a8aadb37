"""The loader returns the published figures exactly, with missing values kept missing."""

import math
import subprocess
import sys

import pandas as pd

from dashboard import data
from tests.conftest import DATA, ROOT


def test_operation(ds):
    op = ds.operations.loc["MLI"]
    assert (op["name_en"], op["name_fr"], op["centre_lon"], op["centre_lat"]) == ("Mali", "Mali", -2, 17)
    assert op["default_year"] == 2019


def test_page_population_totals_and_2019_groups(ds):
    t = ds.population_totals.set_index("year")["value"]
    assert t.to_dict() == {2017: 84081, 2018: 154432, 2019: 275779}
    g = ds.population_groups
    y2019 = g[(g["dataset"] == "page") & (g["year"] == 2019)].set_index("group")["value"].to_dict()
    assert y2019 == {
        "refugees": 26670,
        "asylum_seekers": 1008,
        "idps": 207751,
        "returned_idps": 35101,
        "returned_refugees": 5249,
    }
    assert sum(y2019.values()) == 275779


def test_mid_2024_page_figures_keep_their_zeros(ds):
    g = ds.population_groups
    rows = g[(g["dataset"] == "page") & (g["year"] == 2024)]
    assert set(rows["as_of"].astype(str)) == {"2024-06-30"}
    assert rows.set_index("group")["value"].to_dict() == {
        "refugees": 95440,
        "asylum_seekers": 230,
        "idps": 330713,
        "oip": 0,
        "stateless": 0,
        "host_community": 0,
        "ooc": 0,
    }
    assert ds.country_population.iloc[0][["year", "value"]].tolist() == [2024, 24015789]


def test_statistics_series(ds):
    g = ds.population_groups
    stats = g[g["dataset"] == "statistics"]
    assert sorted(set(stats["year"])) == list(range(2014, 2026))
    row = stats[stats["year"] == 2019].set_index("group")["value"]
    assert (row["refugees"], row["returned_refugees"], row["idps"]) == (26672, 274, 207751)
    assert stats[stats["year"] == 2025].set_index("group")["value"]["refugees"] == 286715
    assert set(stats["source"]) == {"unhcr_refugee_statistics"}


def test_budget_full_precision_and_missing(ds):
    b = ds.budget.set_index(["year", "kind", "pillar"])["musd"]
    assert b[(2017, "budget", "total")] == 41.007531648000004
    assert b[(2019, "budget", "total")] == 17.33224968
    assert b[(2019, "expenditure", "p4")] == 1.2620294399999998
    assert math.isnan(b[(2020, "expenditure", "total")])
    assert math.isnan(b[(2018, "budget", "p2")])
    assert sorted(set(ds.budget["year"])) == list(range(2016, 2022))


def test_budget_pillars_add_up_to_totals(ds):
    b = ds.budget
    for (year, kind), part in b.groupby(["year", "kind"]):
        total = part.loc[part["pillar"] == "total", "musd"].iloc[0]
        pillars = part.loc[part["pillar"] != "total", "musd"].sum()
        if not math.isnan(total):
            assert abs(total - pillars) < 1e-6, (year, kind)


def test_contributions_carry_dates_forward(ds):
    c = ds.contributions
    assert len(c) == 20
    assert c["amount_usd"].sum() == 73437098
    by_donor = c.set_index(["donor", "amount_usd"])
    assert by_donor.loc[("Lithuania", 58617), "date"] == pd.Timestamp("2021-04-09")
    assert by_donor.loc[("Netherlands", 343918), "date"] == pd.Timestamp("2021-03-30")
    assert bool(by_donor.loc[("Spain", 9357342), "private_donor"]) is True
    assert bool(by_donor.loc[("Italy", 586167), "private_donor"]) is False
    assert c["private_donor"].sum() == 13


def test_key_figures(ds):
    k = ds.key_figures
    assert len(k[(k["year"] == 2021) & (k["kind"] == "planning_target")]) == 5
    results = k[(k["year"] == 2019) & (k["kind"] == "year_end_result")]
    assert sorted(results["value"]) == [1100, 1900, 6500]
    assert (k["label_fr"].str.len() > 0).all()


def test_every_row_names_a_known_source(ds):
    for frame in (ds.population_groups, ds.budget, ds.contributions, ds.key_figures, ds.offices, ds.region_figures):
        assert set(frame["source"]) <= set(ds.sources.index)


def test_geometry(ds):
    regions = ds.geo["regions"]["features"]
    assert len(regions) == 9
    assert {f["properties"]["iso_3166_2"] for f in regions} >= {"ML-BKO", "ML-6", "ML-7"}
    outline = ds.geo["outline"]["features"]
    assert len(outline) == 1 and outline[0]["properties"]["iso3"] == "MLI"


def test_check_command_ok():
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", str(DATA)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0
    assert out.stdout.strip() == "ok"


def test_loaded_once_per_process():
    assert data.get_dataset(DATA) is data.get_dataset(DATA)


def test_data_version_follows_the_files_and_nothing_else(data_copy):
    """The version is the files' content: the same files give the same version, one changed figure another."""
    first = data.load(data_copy)
    assert len(first.version) == 12 and int(first.version, 16) >= 0
    assert data.load(data_copy).version == first.version
    assert first.as_of == "2025-12-31"
    budget = data_copy / "budget.csv"
    budget.write_text(budget.read_text().replace("8.28224972", "8.28224973", 1))
    assert data.load(data_copy).version != first.version
