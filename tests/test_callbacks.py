"""Callbacks called as functions: what each input changes, and what a malformed input gets."""

import pytest
from dash import no_update
from werkzeug.datastructures import LanguageAccept

from dashboard import callbacks, ids, selection
from dashboard.builders import mapview


def _sync(ds, trigger, search="", click=None, accept=None, **controls):
    values = {
        "op": "MLI",
        "year": "2019",
        "groups": list(selection.operation_groups(ds, "MLI")),
        "source": "page",
        "lang": "en",
        "donor_type": "all",
        "donor": "",
    } | controls
    return callbacks.sync(
        ds,
        trigger,
        search,
        values["op"],
        values["year"],
        values["groups"],
        values["source"],
        values["lang"],
        values["donor_type"],
        values["donor"],
        click,
        accept,
    )


def test_sync_opens_on_2019_in_english(ds):
    out = _sync(ds, None)
    assert out[1] == "2019" and out[4] == "en"
    assert out[7]["year"] == "2019"
    assert out[8] is no_update  # the address is left as the user typed it
    assert out[9] == ""


def test_sync_reads_the_address(ds):
    out = _sync(ds, ids.URL, search="?year=2018&lang=fr&groups=refugees,idps&source=statistics")
    assert out[1:5] == ("2018", ["refugees", "idps"], "statistics", "fr")


def test_sync_bad_address_falls_back_with_notice(ds):
    out = _sync(ds, None, search="?year=1850&groups=<b>&lang=xx&source=1")
    assert out[1] == "2019" and out[4] == "en" and out[3] == "page"
    assert out[9].startswith("Some values in the address were not understood")
    assert "year" in out[9] and "lang" in out[9]


def test_sync_follows_browser_language_on_first_visit(ds):
    out = _sync(ds, None, accept=LanguageAccept([("fr-FR", 1), ("en", 0.5)]))
    assert out[4] == "fr"
    explicit = _sync(ds, None, search="?lang=en", accept=LanguageAccept([("fr-FR", 1)]))
    assert explicit[4] == "en"


def test_sync_control_change_writes_the_address(ds):
    out = _sync(ds, ids.YEAR, search="?year=2019&lang=en", year="2016")
    assert out[1] == "2016"
    assert out[7]["year"] == "2016"
    assert out[8] == "?year=2016&lang=en"


def test_sync_budget_click_selects_the_year(ds):
    out = _sync(ds, ids.BUDGET_YEARS, search="?year=2019&lang=en", click={"points": [{"x": "2017", "y": 1}]})
    assert out[1] == "2017" and out[8] == "?year=2017&lang=en"


@pytest.mark.parametrize("click", [None, {}, {"points": []}, {"points": [{"x": "3000"}]}, "junk"])
def test_sync_malformed_click_changes_nothing_harmful(ds, click):
    out = _sync(ds, ids.BUDGET_YEARS, click=click)
    assert out[1] in (no_update, "2019")


def test_sync_no_group_selected(ds):
    out = _sync(ds, ids.GROUPS, groups=[])
    assert out[2] == [] and "groups=none" in out[8]


def test_labels_in_french(ds):
    out = callbacks.labels(ds, {"lang": "fr"})
    assert out[0] == "Tableau de bord des opérations"
    assert out[3] == "Année"
    assert {"label": "Réfugiés", "value": "refugees"} in out[6]


def test_views_survive_garbage_store(ds):
    for garbage in (None, [], "x", {"year": ["2019", 3]}, {"groups": {"a": 1}}, {"lang": 5, "year": None}):
        assert callbacks.people_outputs(ds, garbage)[0].startswith("People of concern")
        assert callbacks.budget_outputs(ds, garbage)[0] == "Budget and expenditure"
        callbacks.feed_outputs(ds, garbage)
        callbacks.keyfig_outputs(ds, garbage)
        callbacks.map_outputs(ds, garbage)


def test_people_outputs_follow_the_selection(ds):
    title, total, *_ = callbacks.people_outputs(ds, {"year": "2018"})
    assert title == "People of concern, 2018"
    assert total[0].children == "154,432"


def test_download_budget_csv(ds):
    out = callbacks.download(ds, ids.DOWNLOAD_BUDGET, {"year": "2019"})
    assert out["filename"] == "mali-budget-2019.csv"
    assert "MLI,2019,budget,total,Total,17.33224968,17332249.68" in out["content"]


def test_download_feed_follows_filters(ds):
    out = callbacks.download(ds, ids.DOWNLOAD_FEED, {"year": "2021", "donor_type": "private"})
    lines = [line for line in out["content"].splitlines() if line.startswith("MLI,")]
    assert len(lines) == 13 and all(",true," in line for line in lines)


def test_download_unknown_trigger(ds):
    assert callbacks.download(ds, "nothing", {}) is no_update


def test_map_details_office_click(ds):
    out = callbacks.map_details(ds, ids.MAP_OFFICES, {"properties": {"key": "Gao"}}, None, None, {"lang": "fr"})
    assert out[0].children == "Gao"
    assert "Sous-bureau" in out[1].children


def test_map_details_region_click(ds):
    out = callbacks.map_details(ds, ids.MAP_REGIONS, None, {"id": "ML-8", "properties": {}}, None, {})
    assert out[0].children == "Kidal" and "no data" in out[1].children


@pytest.mark.parametrize("click", [None, "x", {"properties": "x"}, {"properties": {"key": ["a"]}}, {"id": 5}])
def test_map_details_malformed_click(ds, click):
    out = callbacks.map_details(ds, ids.MAP_OFFICES, click, click, click, {})
    assert out[0].children.startswith("Click a region")


def test_download_map_regions(ds):
    out = callbacks.download(ds, ids.DOWNLOAD_MAP, {})
    assert out["filename"] == "mali-regions.csv"
    assert "MLI,Ménaka,,refugees_and_asylum_seekers,15234,2024-01-31" in out["content"]
    assert "Operational Data Portal" in out["content"]


def test_update_is_one_round_trip_for_a_year_change(ds):
    controls = ["MLI", "2016", list(selection.operation_groups(ds, "MLI")), "page", "en", "all", ""]
    previous = selection.to_store(selection.from_query(ds, "year=2019")[0])
    out = callbacks.update(ds, ids.YEAR, "?year=2019&lang=en", controls, None, {"op": "MLI", "lang": "en"}, previous)
    assert len(out) == 13
    targets = [f"{i}.{p}" for _, t in callbacks.VIEW_OUTPUTS for i, p in t]
    views = out[10]
    assert views["count"] == len(targets) == callbacks.VIEW_COUNT
    changed = {targets[i]: v for i, v in views["changed"].items()}
    assert changed[f"{ids.BUDGET_TITLE}-pillars.children"] == "By pillar, 2016"
    # The map layers' styling and the sources are the same for 2016 as for 2019: not sent again.
    assert f"{ids.MAP_REGIONS}.hideout" not in changed and f"{ids.BUDGET_SOURCE}.children" not in changed
    assert out[-2] is no_update  # same language and operation: the labels are not asked for again
    french = callbacks.update(ds, ids.LANG, "", [*controls[:4], "fr", "all", ""], None, {"op": "MLI", "lang": "en"})
    assert french[-2] == {"op": "MLI", "lang": "fr"}
    assert len(french[10]["changed"]) == callbacks.VIEW_COUNT  # another language: everything is new


def test_operation_change_keeps_year_and_sends_map_layers(data_copy):
    from dashboard import data, importer
    from tests.test_importer import PAGE_2021

    importer.import_page(PAGE_2021, data_copy, operation="NER")
    ds2 = data.load(data_copy)
    controls = ["NER", "2021", list(selection.operation_groups(ds2, "MLI")), "page", "en", "all", ""]
    out = callbacks.update(
        ds2, ids.OPERATION, "?year=2021&lang=en", controls, None, {"op": "MLI", "lang": "en"}, None, None, "MLI"
    )
    assert out[0] == "NER" and out[1] == "2021"
    assert out[8] == "?op=NER&year=2021&lang=en"
    assert out[9] == ""  # no notice: nothing was wrong
    assert out[-1] == "NER" and out[-2] == {"op": "NER", "lang": "en"}
    outline, regions, _points, _offices, viewport = mapview.layers(ds2, "NER")
    assert outline["features"] == [] and regions["features"] == []
    assert viewport == {"center": [17.0, -2.0], "zoom": 5}


@pytest.mark.parametrize("groups", [5, "refugees", {"a": 1}, [["x"]], None])
def test_operation_change_with_malformed_groups(ds, groups):
    out = _sync(ds, ids.OPERATION, groups=groups)
    assert out[0] == "MLI" and out[2] == list(selection.operation_groups(ds, "MLI"))
