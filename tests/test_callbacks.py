"""Callbacks called as functions, results read by name: what each input changes, what malformed input gets."""

import pytest
from dash import Patch, no_update
from plotly.io.json import to_json_plotly
from werkzeug.datastructures import LanguageAccept

from dashboard import callbacks, ids, selection

FRAME_EN = {"op": "MLI", "lang": "en"}


def _controls(ds, **changes) -> dict:
    return {
        "op": "MLI",
        "year": "2019",
        "groups": list(selection.operation_groups(ds, "MLI")),
        "source": "page",
        "lang": "en",
        "donor_type": "all",
        "donor": "",
        "sort": "date_desc",
    } | changes


def _store(ds, query: str) -> dict:
    return selection.to_store(selection.from_query(ds, query)[0])


def test_update_opens_on_the_newest_year_in_english(ds):
    out = callbacks.update(ds, None, "", _controls(ds))
    assert out["controls"]["year"] == "2024" and out["controls"]["lang"] == "en"
    assert out["selection"]["year"] == "2024"
    assert out["url"] is no_update  # the address is left as the user typed it
    assert out["notice"] == ""


def test_update_reads_the_address(ds):
    out = callbacks.update(ds, ids.URL, "?year=2018&lang=fr&groups=refugees,idps&source=statistics", _controls(ds))
    c = out["controls"]
    assert (c["year"], c["groups"], c["source"], c["lang"]) == ("2018", ["refugees", "idps"], "statistics", "fr")


def test_update_bad_address_falls_back_with_notice(ds):
    out = callbacks.update(ds, None, "?year=1850&groups=<b>&lang=xx&source=1", _controls(ds))
    assert out["controls"]["year"] == "2024" and out["controls"]["lang"] == "en"
    assert out["controls"]["source"] == "page"
    assert out["notice"] == (
        "Population group “<b>” is not known; showing no group. Language “xx” is not available; showing "
        "English. Population figures 1 are not known; showing the Operation page. Year 1850 is not in the data; "
        "showing mid-2024."
    )


def test_update_follows_browser_language_on_first_visit(ds):
    french = LanguageAccept([("fr-FR", 1), ("en", 0.5)])
    assert callbacks.update(ds, None, "", _controls(ds), accept=french)["controls"]["lang"] == "fr"
    explicit = callbacks.update(ds, None, "?lang=en", _controls(ds), accept=french)
    assert explicit["controls"]["lang"] == "en"


def test_update_control_change_writes_the_address(ds):
    out = callbacks.update(ds, ids.YEAR, "?year=2019&lang=en", _controls(ds, year="2016"))
    assert out["controls"]["year"] == "2016" and out["selection"]["year"] == "2016"
    assert out["url"] == "?year=2016&lang=en"


def test_update_budget_click_selects_the_year(ds):
    click = {"points": [{"x": "2017", "y": 1}]}
    out = callbacks.update(ds, ids.BUDGET_YEARS, "?year=2019&lang=en", _controls(ds), click)
    assert out["controls"]["year"] == "2017" and out["url"] == "?year=2017&lang=en"


@pytest.mark.parametrize("click", [None, {}, {"points": []}, "junk", {"points": [{"y": 3}]}])
def test_update_malformed_click_changes_nothing(ds, click):
    # Starts from 2016 (not the default year): a click that names no year must leave 2016 in place.
    shown = _store(ds, "year=2016")
    out = callbacks.update(ds, ids.BUDGET_YEARS, "?year=2016", _controls(ds, year="2016"), click, shown, FRAME_EN)
    assert out["views"] == {}
    assert all(out[name] is no_update for name in callbacks.OUTPUT_NAMES if name != "controls")
    assert all(value is no_update for value in out["controls"].values())


def test_update_click_on_an_unknown_year_falls_back(ds):
    shown = _store(ds, "year=2016")
    click = {"points": [{"x": "3000"}]}
    out = callbacks.update(ds, ids.BUDGET_YEARS, "?year=2016", _controls(ds, year="2016"), click, shown, FRAME_EN)
    assert out["controls"]["year"] == "2024" and out["notice"] == "Year 3000 is not in the data; showing mid-2024."


def test_update_no_group_selected(ds):
    out = callbacks.update(ds, ids.GROUPS, "", _controls(ds, groups=[]))
    assert out["controls"]["groups"] == [] and "groups=none" in out["url"]


@pytest.mark.parametrize("groups", [5, "refugees", {"a": 1}, [["x"]], None])
def test_operation_change_with_malformed_groups(ds, groups):
    out = callbacks.update(ds, ids.OPERATION, "", _controls(ds, groups=groups))
    assert out["controls"]["op"] == "MLI"
    assert out["controls"]["groups"] == list(selection.operation_groups(ds, "MLI"))


def test_update_year_change_sends_only_what_differs(ds):
    shown = _store(ds, "year=2019")
    out = callbacks.update(ds, ids.YEAR, "?year=2019&lang=en", _controls(ds, year="2016"), None, shown, FRAME_EN)
    views = out["views"]
    assert views[ids.BUDGET_PILLARS_HEADING] == {"children": "By pillar, 2016"}
    # The map's styling and the sources are the same for 2016 as for 2019: not sent again.
    assert ids.MAP_REGIONS not in views and ids.source_of(ids.BUDGET) not in views
    # Only the highlighted bar changes in the budget-by-year chart: it travels as a patch.
    patch = views[ids.BUDGET_YEARS]["figure"]
    assert patch["__dash_patch_update"] == Patch().to_plotly_json()["__dash_patch_update"]
    locations = {tuple(op["location"]) for op in patch["operations"]}
    assert ("data", 0, "marker", "line", "width", 0) in locations
    assert out["frame"] is no_update  # same language and operation: the labels are not asked for again


def test_update_for_a_page_on_other_data_sends_the_whole_page(ds):
    """A page that shows another data version gets every view, the frame's texts, the map layers and the new
    version for the new selection (no diff against figures of the old data), and is told why."""
    shown = _store(ds, "year=2019")
    args = (ds, ids.YEAR, "?year=2019&lang=en", _controls(ds, year="2018"), None, shown, FRAME_EN, "MLI")
    same = callbacks.update(*args, version=ds.version)
    out = callbacks.update(*args, version="0123456789ab")
    views = out["views"]
    whole = callbacks.whole_page(ds, selection.from_query(ds, "year=2018&lang=en")[0])
    assert _texts(views.pop(ids.MAP_DETAILS)["children"]) == _texts(whole.pop(ids.MAP_DETAILS)["children"])
    assert to_json_plotly(views) == to_json_plotly(whole)  # components (the group shortcuts) compare as JSON
    # Against the same data only what differs travels (a patch of the budget chart); here all of it, whole.
    assert "__dash_patch_update" in same["views"][ids.BUDGET_YEARS]["figure"]
    assert "data" in views[ids.BUDGET_YEARS]["figure"]
    assert ids.MAP_OUTLINE in views and ids.MAP_OUTLINE not in same["views"]
    assert views[ids.DATA_VERSION] == {"data": ds.version} and ids.DATA_VERSION not in same["views"]
    assert views[ids.TITLE] == {"children": "Operation Dashboard"}
    stamp = f"Newest figures: 31 Dec 2025 (UNHCR Refugee Data Finder) · data version {ds.version}"
    assert views[ids.DATA_STAMP] == {"children": stamp}
    assert out["notice"] == "The figures were updated (data as of 31 Dec 2025): every view now shows the new data."
    assert same["notice"] == ""


def test_update_language_change_sends_every_text(ds):
    shown = _store(ds, "year=2019")
    out = callbacks.update(ds, ids.LANG, "", _controls(ds, lang="fr"), None, shown, FRAME_EN)
    assert out["frame"] == {"op": "MLI", "lang": "fr"}
    assert out["views"][ids.title_of(ids.PEOPLE)] == {"children": "Personnes relevant du HCR, 2019"}
    assert out["views"][ids.download_of(ids.FEED)] == {
        "children": "Télécharger le CSV",
        "href": "/download/feed.csv?year=2019&lang=fr",
    }
    assert out["workbook"] == "/download/workbook.xlsx?year=2019&lang=fr"


def test_update_without_a_shown_selection_sends_everything(ds):
    out = callbacks.update(ds, None, "?year=2018", _controls(ds))
    assert out["views"][ids.title_of(ids.PEOPLE)]["children"] == "People of concern, 2018"
    assert out["views"][ids.PEOPLE_BREAKDOWN]["figure"]["data"][0]["type"] == "bar"


def test_operation_change_keeps_year_and_sends_map_layers(data_copy):
    from dashboard import data, importer
    from dashboard.views import mapview
    from tests.conftest import PAGE_2021

    importer.import_page(PAGE_2021, data_copy, operation="NER")
    ds2 = data.load(data_copy)
    controls = _controls(ds2, op="NER", year="2021")
    out = callbacks.update(ds2, ids.OPERATION, "?year=2021&lang=en", controls, None, None, FRAME_EN, "MLI")
    assert out["controls"]["op"] == "NER" and out["controls"]["year"] == "2021"
    assert out["url"] == "?op=NER&year=2021&lang=en"
    assert out["notice"] == ""  # nothing was wrong
    assert out["operation_shown"] == "NER" and out["frame"] == {"op": "NER", "lang": "en"}
    layers = mapview.layers(ds2, "NER")
    assert layers["outline"]["features"] == [] and layers["regions"]["features"] == []
    assert layers["viewport"] == {"center": [17.0, -2.0], "zoom": 5}


def test_frame_labels_in_french(ds):
    labels = callbacks.frame_labels(ds, {"lang": "fr"})
    out = dict(labels)
    assert out.pop("groups_all") == "Tous les groupes"
    options = out.pop("groups_options")
    assert [getattr(o["label"][1], "aria-label") for o in options[:2]] == [
        "Réfugiés uniquement",
        "Demandeurs d’asile uniquement",
    ]
    out["groups_options"] = [{"label": o["label"][0].children, "value": o["value"]} for o in options]
    assert out == {
        "title": "Tableau de bord des opérations",
        "subtitle": "Opération du HCR\u202f: Mali",
        "operation_label": "Opération",
        "year_label": "Année",
        "year_options": [{"label": "mi-2024" if y == 2024 else str(y), "value": str(y)} for y in range(2014, 2026)],
        "groups_label": "Groupes de population",
        "groups_options": [
            {"label": "Réfugiés", "value": "refugees"},
            {"label": "Demandeurs d’asile", "value": "asylum_seekers"},
            {"label": "Personnes déplacées internes", "value": "idps"},
            {"label": "Déplacés internes rentrés", "value": "returned_idps"},
            {"label": "Réfugiés rapatriés", "value": "returned_refugees"},
            {"label": "Autres personnes ayant besoin d’une protection internationale", "value": "oip"},
            {"label": "Apatrides", "value": "stateless"},
            {"label": "Communauté d’accueil", "value": "host_community"},
            {"label": "Autres personnes relevant du HCR", "value": "ooc"},
        ],
        "source_label": "Chiffres de population",
        "source_options": [
            {"label": "Page de l’opération", "value": "page"},
            {"label": "Série statistique du HCR", "value": "statistics"},
        ],
        "skip_link": "Aller au contenu",
        "workbook": "Télécharger le classeur (Excel)",
        "copy_link": "Copier le lien",
        "link_copied": "Lien copié\u202f: il ouvre cette vue.",
        "data_stamp": f"Chiffres les plus récents\u202f: 31 déc. 2025 (HCR, Refugee Data Finder) · version des données {ds.version}",
    }
    assert set(labels) == set(callbacks.LABEL_OUTPUTS)


def _texts(children) -> str:
    return " ".join(str(getattr(c, "children", c)) for c in children)


def test_map_details_office_click(ds):
    out = callbacks.map_details(ds, ids.MAP_OFFICES, {ids.MAP_OFFICES: {"properties": {"key": "Gao"}}}, {"lang": "fr"})
    assert out[0].children == "Gao" and "Sous-bureau" in out[1].children


def test_map_details_region_click(ds):
    clicked = {ids.MAP_REGIONS: {"id": "ML-8", "properties": {}}}
    out = callbacks.map_details(ds, ids.MAP_REGIONS, clicked, {})
    assert out[0].children == "Kidal" and out[1].children == " — Refugees and asylum-seekers: no data"


def test_map_details_point_click(ds):
    clicked = {ids.MAP_MENAKA: {"properties": {"key": "Ménaka"}}}
    out = callbacks.map_details(ds, ids.MAP_MENAKA, clicked, {"lang": "fr"})
    assert out[0].children == "Ménaka" and out[1].children == " — Réfugiés et demandeurs d’asile\u202f: 15\u202f234"


@pytest.mark.parametrize("click", [None, "x", {"properties": "x"}, {"properties": {"key": ["a"]}}, {"id": 5}])
@pytest.mark.parametrize("trigger", [ids.MAP_OFFICES, ids.MAP_REGIONS, ids.MAP_MENAKA, {"id": "x"}, None])
def test_map_details_malformed_click(ds, click, trigger):
    out = callbacks.map_details(ds, trigger, dict.fromkeys(callbacks.MAP_LAYERS, click), {})
    assert _texts(out) == "Click a region or an office for details."


def test_views_survive_garbage_store(ds):
    for garbage in (None, [], "x", {"year": ["2019", 3]}, {"groups": {"a": 1}}, {"lang": 5, "year": None}):
        out = callbacks.update(ds, ids.YEAR, "", garbage, None, garbage, garbage, garbage)
        assert out["selection"]["op"] == "MLI" and isinstance(out["views"], dict), garbage


def _mounted(value) -> list[str]:
    """The Dash components a `children` value (or a patch of one) has the renderer mount, by type."""
    if isinstance(value, dict):
        own = [value["type"]] if {"type", "namespace"} <= value.keys() else []
        return own + [kind for v in value.values() for kind in _mounted(v)]
    if isinstance(value, list):
        return [kind for v in value for kind in _mounted(v)]
    return []


@pytest.mark.parametrize(
    ("trigger", "change"), [(ids.YEAR, {"year": "2018"}), (ids.GROUPS, None), (ids.LANG, {"lang": "fr"})]
)
def test_a_choice_remounts_no_table_and_no_figure_list(ds, trigger, change):
    """A year change, a group toggle and a language switch send each drawn box's content (tables, key
    numbers, the country panel) as its store's data: Dash's renderer remounts every component under a
    `children` that changes and re-checks every mounted component on each remount, which took seconds on a
    phone when those were ~200 components. What is still sent as `children` mounts a few components."""
    change = change or {"groups": [g for g in selection.operation_groups(ds, "MLI") if g != "refugees"]}
    out = callbacks.update(ds, trigger, "", _controls(ds, **change), shown=_store(ds, "year=2019"))
    views = out["views"]
    mounted = [
        kind for props in views.values() for prop, v in props.items() if prop == "children" for kind in _mounted(v)
    ]
    assert not {"Table", "Tr", "Th", "Td", "Dd", "Li"} & set(mounted), mounted
    assert len(mounted) <= 12, mounted
    # Every view still follows the choice: the tables and key numbers by their content store.
    for box in (ids.PEOPLE_TABLE, ids.KPIS, ids.MAP_COUNTRY):
        assert set(views[ids.content_of(box)]) == {"data"}


@pytest.mark.parametrize(
    ("cause", "search", "controls", "click"),
    [
        (selection.ADDRESS, "?year=2018", {}, None),
        (selection.CONTROLS, "", {"year": "2018"}, None),
        (selection.BAR_CLICK, "", {"year": "2019"}, {"points": [{"x": "2018"}]}),
        (selection.BAR_CLICK, "", {"year": "2019"}, {"points": [{"x": 2018}]}),
        (selection.OPERATION_CHANGE, "", {"op": "MLI", "year": "2018"}, None),
    ],
)
def test_a_year_is_an_int_inside_and_text_at_the_edges(ds, cause, search, controls, click):
    """However a year comes in (address, control, bar click, another operation), the selection holds an int;
    the address, the browser's store and the year control write it as text, the same text."""
    from dashboard import layout

    sel, notice = selection.resolve(ds, cause, search, controls, click)
    assert (sel.year, type(sel.year), notice) == (2018, int, "")
    assert selection.to_store(sel)["year"] == "2018"
    assert selection.to_query(ds, sel).startswith("?year=2018&")
    assert "2018" in [option["value"] for option in layout.labels(ds, "MLI", "en")["year_options"]]
