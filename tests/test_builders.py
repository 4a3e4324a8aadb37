"""Builders give the published figures, formatted for people, with 'no data' where the source has none."""

from decimal import Decimal

import pytest

from dashboard import catalogue, exports, i18n
from dashboard.views import budget, feed, keyfigures, kpis, mapview, people

NNBSP = "\u202f"


def test_people_2019_total_and_change(ds, select):
    v = people.build(ds, select("year=2019"))
    assert v.total == 275779
    assert v.total_text == "275,779"
    assert v.change == Decimal("0.79")  # (275,779 - 154,432) / 154,432 = 0.7858, in whole percent
    assert v.change_text == "+79% against 2018"
    bars = dict(zip(v.breakdown.figure["data"][0]["customdata"], v.breakdown.figure["data"][0]["x"], strict=True))
    assert bars["Refugees"] == 26670 and bars["Returned refugees"] == 5249 and bars["IDPs"] == 207751
    assert bars["Stateless persons"] is None  # not published for 2019: no bar, a "no data" label
    assert any(a["text"] == "no data" for a in v.breakdown.figure["layout"]["annotations"])


def test_people_group_filter(ds, select):
    v = people.build(ds, select("year=2019&groups=refugees,asylum_seekers"))
    assert v.total == 26670 + 1008
    assert v.breakdown.figure["data"][0]["customdata"] == ["Refugees", "Asylum-seekers"]
    # 2018 has only a total: no comparison is possible for a subset of groups.
    assert v.change is None and "no data" in v.change_text


def test_people_total_only_year_needs_every_group(ds, select):
    assert people.build(ds, select("year=2018")).total == 154432
    subset = people.build(ds, select("year=2018&groups=refugees"))
    assert subset.total is None and subset.total_text == "no data"
    assert "only a total for 2018" in subset.notes[0]


def test_people_no_data_years_are_never_zero(ds, select):
    v = people.build(ds, select("year=2020"))
    assert v.total is None and v.total_text == "no data"
    trend = dict(zip(v.trend.figure["data"][0]["x"], v.trend.figure["data"][0]["y"], strict=True))
    assert trend["2020"] is None and trend["2014"] is None
    assert trend["2019"] == 275779 and trend["mid-2024"] == 95440 + 230 + 330713


def test_people_statistics_series_is_labelled(ds, select):
    v = people.build(ds, select("year=2019&source=statistics"))
    assert v.total == 26672 + 1004 + 274 + 207751 + 35101
    assert v.shown_source == "Figures: UNHCR statistics series"
    assert "UNHCR Refugee Data Finder" in v.source
    assert "Operation page" not in v.source


def test_people_french(ds, select):
    v = people.build(ds, select("year=2019&lang=fr"))
    assert v.total_text == f"275{NNBSP}779"
    assert v.change_text == "+79\xa0% par rapport à 2018"
    assert v.breakdown.figure["layout"]["separators"] == ", "


def test_budget_2019(ds, select):
    v = budget.build(ds, select("year=2019"))
    assert (v.budget_text, v.expenditure_text, v.rate_text) == ("$17.3M", "$13.1M", "75.6%")
    assert (v.year.budget, v.year.rate) == (Decimal("17332249.68"), Decimal("0.756"))  # derived's cents and rate
    bars = v.by_year.figure["data"][0]
    assert bars["x"] == ["2016", "2017", "2018", "2019", "2020", "2021"]
    assert bars["marker"]["line"]["width"] == [0, 0, 0, 2, 0, 0]  # the chosen year is highlighted


def test_budget_not_available_and_no_data(ds, select):
    v2020 = budget.build(ds, select("year=2020"))
    assert v2020.budget_text == "$47.6M"
    assert v2020.expenditure_text == "not available"
    assert v2020.rate_text == "not available"
    assert v2020.by_year.figure["data"][1]["y"][4] is None
    v2015 = budget.build(ds, select("year=2015"))
    assert (v2015.budget_text, v2015.expenditure_text, v2015.rate_text) == ("no data",) * 3
    assert v2015.by_pillar.figure["data"] == []


def test_budget_by_pillar(ds, select):
    v = budget.build(ds, select("year=2019"))
    budget_bars = dict(
        zip(
            [y.replace("<br>", " ") for y in v.by_pillar.figure["data"][0]["y"]],
            v.by_pillar.figure["data"][0]["x"],
            strict=True,
        )
    )
    assert round(budget_bars["Refugee programme"]) == 8282250
    assert budget_bars["Stateless programme"] is None
    assert v.by_pillar.table.rows[1] == ("Stateless programme", "not available", "not available")


def test_budget_download_keeps_full_precision(ds, select):
    d = budget.build(ds, select("year=2017")).download
    assert d.filename == "mali-budget-2017.csv"
    text = exports.csv_bytes(ds, d, "en").decode("utf-8")
    # The source's 41.007531648000004 (binary noise) is 41,007,531.65 USD to the cent.
    assert "MLI,by_pillar,2017,budget,total,Total,41.00753165,41007531.65,\n" in text
    assert "MLI,by_pillar,2017,budget,p1,Refugee programme,13.62505177,13625051.77,\n" in text
    # Every year the by-year chart draws, with its implementation rate.
    assert "MLI,by_year,2016,implementation_rate,total,Total,,,27.2\n" in text  # as a percentage
    assert "MLI,by_year,2021,expenditure,total,Total,,,\n" in text  # not available: empty, never 0
    assert text.startswith("# UNHCR Global Focus, Mali operation page (2021)")
    assert "Licence: UNHCR terms of use" in text


def test_budget_french(ds, select):
    v = budget.build(ds, select("year=2019&lang=fr"))
    assert v.budget_text == "17,3\xa0M\xa0$US"
    assert v.rate_text == "75,6\xa0%"


def test_feed_2021(ds, select):
    v = feed.build(ds, select("year=2021"))
    assert len(v.rows) == 20
    assert v.total == 73437098
    assert v.total_text == "20 contributions shown, total $73,437,098"
    first = v.rows[0]
    assert first["date_text"] == "16 Apr 2021" and first["donor"] == "Italy" and first["amount_text"] == "$586,167"


def test_feed_filters(ds, select):
    private = feed.build(ds, select("year=2021&donor_type=private"))
    assert len(private.rows) == 13 and all(r["private"] for r in private.rows)
    korea = feed.build(ds, select("year=2021&donor=korea"))
    assert [r["amount"] for r in korea.rows] == [4000000, 1000000, 8056152]
    assert korea.total == 13056152
    both = feed.build(ds, select("year=2021&donor=korea&donor_type=public"))
    assert both.total == 5000000


def test_feed_year_without_contributions(ds, select):
    v = feed.build(ds, select("year=2019"))
    assert v.rows == ()
    assert v.empty_text == "No contributions listed for 2019."
    assert v.other_years == ((2021, "?year=2021&lang=en"),)


def test_feed_french_dates(ds, select):
    v = feed.build(ds, select("year=2021&lang=fr"))
    assert v.rows[0]["date_text"] == "16 avr. 2021"
    assert v.rows[0]["amount_text"] == f"586{NNBSP}167\xa0$US"


def test_key_figures(ds, select):
    v2019 = keyfigures.build(ds, select("year=2019"))
    assert [title for title, _ in v2019.sections] == ["Year-end results"]
    assert v2019.sections[0][1][0][0] == "6,500"
    v2021 = keyfigures.build(ds, select("year=2021&lang=fr"))
    assert v2021.sections[0][0] == "Objectifs de planification"
    assert v2021.sections[0][1][0][0] == "100\xa0%"
    assert keyfigures.build(ds, select("year=2016")).empty_text == "No key figures for 2016."


def test_kpis(ds, select):
    items = kpis.build(ds, select("year=2019"))
    assert [v for _, _, v, _ in items] == ["275,779", "$17.3M", "$13.1M", "75.6%", "no data"]


def test_map_static_geometry(ds):
    st = mapview.static(ds, "MLI")
    assert len(st.regions["features"]) == 9
    (south, west), (north, east) = st.bounds
    assert 10 < south < 11 and 24.5 < north < 25.5 and -12.5 < west < -12 and 4 < east < 4.5
    # Ménaka (no region on this map) and Bamako (too small to click) get a point for their figure at its place,
    # sized by the figure; the office icon at the same place stands above the point, clear of it.
    points = {f["properties"]["key"]: f for f in st.points["features"]}
    offices = {f["properties"]["key"]: f for f in st.offices["features"]}
    assert list(points) == ["ML-BKO", "Ménaka"]
    assert points["Ménaka"]["geometry"] == offices["Ménaka"]["geometry"]
    assert points["Ménaka"]["properties"]["radius"] == 20  # the largest figure (15,234): a 40 px point
    assert points["ML-BKO"]["properties"]["radius"] == 15  # 2,373
    assert offices["Ménaka"]["properties"]["shift"] == [0, -(20 + 12 + 2)]
    assert offices["Bamako"]["properties"]["shift"] == [0, -(15 + 12 + 2)]
    assert "shift" not in offices["Gao"]["properties"]
    assert len(st.offices["features"]) == 5


@pytest.mark.parametrize(("value", "radius"), [(0, 12), (15_234, 20), (3_808, 16), (20_000, 20)])
def test_point_radius_grows_with_the_figure_by_area(value, radius):
    assert mapview.point_radius(min(value, 15_234), 15_234) == radius


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_region_table_sorted_by_figure_and_by_name(ds, select, lang):
    v = mapview.build(ds, select(f"lang={lang}"))
    by_figure = [row[0] for row in v.table_by_figure.rows]
    assert by_figure[:3] == ["Ménaka", "Kayes", "Gao"]  # 15,234, 14,934, 13,489
    assert sorted(by_figure) == sorted(row[0] for row in v.table.rows)
    figures = [
        int(row[1].replace(",", "").replace("\u202f", "")) for row in v.table_by_figure.rows if row[1][0].isdigit()
    ]
    assert figures == sorted(figures, reverse=True)


def test_map_view_follows_year_and_groups(ds, select):
    v2019 = mapview.build(ds, select("year=2019"))
    assert v2019.country_value == "275,779"
    v2018 = mapview.build(ds, select("year=2018"))
    assert v2018.country_value == "154,432"
    subset = mapview.build(ds, select("year=2019&groups=idps"))
    assert subset.country_value == "207,751"
    assert mapview.build(ds, select("year=2020")).country_value == "no data"


def test_map_region_figures(ds, select):
    v = mapview.build(ds, select("lang=fr"))
    values = v.region_hideout["values"]
    assert values["ML-6"]["name"] == "Tombouctou" and values["ML-6"]["text"] == f"9{NNBSP}917"
    assert values["Ménaka"]["text"] == f"15{NNBSP}234"
    assert "ML-8" not in values  # Kidal: no figure in the source, drawn as "no data"
    labels = v.region_hideout["labels"]
    assert labels["ML-8"] == {"name": "Kidal", "line": f"Réfugiés et demandeurs d’asile{NNBSP}: pas de données"}
    assert labels["ML-6"]["line"].endswith(f"9{NNBSP}917") and labels["Ménaka"]["name"] == "Ménaka"
    assert mapview.region_label(v, "ML-8") is labels["ML-8"] and mapview.region_label(v, {"x": 1}) is None
    assert sum(int(x["text"].replace(NNBSP, "")) for x in values.values()) == 66793


def test_office_details(ds):
    assert mapview.office_details(ds, "MLI", "Ménaka", "en")["type"] == "Field unit"
    assert mapview.office_details(ds, "MLI", "Bamako", "fr")["as_of"] == "Au févr. 2021"
    assert mapview.office_details(ds, "MLI", "<script>", "en") is None


def test_i18n_formats():
    assert i18n.number(275779, "en") == "275,779"
    assert i18n.number(275779, "fr") == f"275{NNBSP}779"
    assert i18n.money_short(17332249.68, "en") == "$17.3M"
    assert i18n.money_short(17332249.68, "fr") == "17,3\xa0M\xa0$US"
    assert i18n.date("2021-04-16", "en") == "16 Apr 2021"
    assert i18n.date("2021-04-16", "fr") == "16 avr. 2021"
    assert i18n.percent(0.7858, "en", signed=True) == "+79%"
    assert i18n.number(None, "fr") == "pas de données"
    assert i18n.number(float("nan"), "en") == "no data"


def test_every_text_has_both_languages():
    for key, (en, fr) in catalogue.TEXT.items():
        assert en and fr, key


def test_budget_axis_ticks_follow_the_language(ds, select):
    en = budget.build(ds, select("lang=en")).by_year.figure["layout"]["yaxis"]
    assert en["ticktext"] == ["$0", "$20M", "$40M", "$60M"] and en["tickvals"] == [0, 20e6, 40e6, 60e6]
    fr = budget.build(ds, select("lang=fr")).by_year.figure["layout"]["yaxis"]
    assert fr["ticktext"] == ["0\xa0$US", "20\xa0M\xa0$US", "40\xa0M\xa0$US", "60\xa0M\xa0$US"]
    trend = people.build(ds, select("lang=fr")).trend.figure["layout"]["yaxis"]
    assert trend["ticktext"] == ["0", "200\xa0k", "400\xa0k", "600\xa0k"]  # Babel's French compact form


def test_every_chart_has_a_table(ds, select):
    p = people.build(ds, select("year=2019"))
    assert ("2019", "275,779") in p.trend.table.rows and ("2020", "no data") in p.trend.table.rows
    b = budget.build(ds, select("year=2019"))
    assert ("2019", "$17.3M", "$13.1M", "75.6%") in b.by_year.table.rows
    assert ("2020", "$47.6M", "not available", "not available") in b.by_year.table.rows
    m = mapview.build(ds, select("lang=fr"))
    assert ("Tombouctou", "9\u202f917") in m.table.rows and ("Kidal", "pas de données") in m.table.rows


def test_tile_layer_only_when_configured(monkeypatch):
    monkeypatch.delenv("DASHBOARD_TILE_URL", raising=False)
    assert mapview.tile_layer() == []
    monkeypatch.setenv("DASHBOARD_TILE_URL", "https://tiles.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("DASHBOARD_TILE_ATTRIBUTION", "© Example")
    (tiles,) = mapview.tile_layer()
    assert tiles.url == "https://tiles.example/{z}/{x}/{y}.png" and tiles.attribution == "© Example"


def test_no_data_points_to_the_other_source(ds, select):
    v = people.build(ds, select("year=2021"))
    assert v.notes == ("No data for 2021 in this source.",)
    assert v.switch.text == "The UNHCR statistics series has 478,088 for 2021."
    assert v.switch.href == "?year=2021&lang=en&source=statistics"
    assert people.build(ds, select("year=2016&source=statistics")).total is not None
    fr = people.build(ds, select("year=2021&lang=fr")).switch.text
    assert fr == "La série statistique du HCR a 478\u202f088 pour 2021."


def test_figures_carry_title_and_whole_source(ds, select):
    v = people.build(ds, select("year=2019&lang=fr"))
    layout = v.breakdown.figure["layout"]
    # What a PNG export shows: the title with the selection, and the whole source, wrapped (never cut).
    title = layout["title"]["text"]
    assert (
        title.replace("<br>", " ") == "Personnes relevant du HCR, 2019 · Par groupe de population · Page de l’opération"
    )
    source = layout["annotations"][0]["text"]
    whole = source.replace("<br>", " ")
    # The year's figures cite the one source they come from; the trend each source with its years.
    assert "HCR, Global Focus, page de l’opération Mali (2021)" in whole
    assert "30 juin 2024" not in whole
    trend = v.trend.figure["layout"]["annotations"][0]["text"].replace("<br>", " ")
    assert "HCR, Global Focus, page de l’opération Mali (2021) pour 2017–2019" in trend
    assert "HCR, page de l’opération Mali (chiffres au 30 juin 2024) pour mi-2024" in trend
    assert all(len(line) <= 55 for line in source.split("<br>")) and all(len(x) <= 45 for x in title.split("<br>"))


def test_real_zeros_are_drawn_as_zero(ds, select):
    bars = people.build(ds, select("year=2024")).breakdown.figure["data"][0]
    shown = dict(zip(bars["customdata"], zip(bars["x"], bars["text"], bars["textposition"], strict=True), strict=True))
    assert shown["Stateless persons"] == (0, "0", "outside")
    assert shown["Host community"] == (0, "0", "outside")
    assert shown["Returned refugees"][0] is None  # not counted mid-2024: no data, not 0


def test_empty_charts_say_so_without_axes(ds, select):
    pillars = budget.build(ds, select("year=2015")).by_pillar.figure["layout"]
    assert pillars["xaxis"] == {"visible": False} and pillars["annotations"][-1]["text"] == "no data"
    nothing = people.build(ds, select("year=2019&groups=none")).breakdown.figure["layout"]
    assert nothing["yaxis"] == {"visible": False} and nothing["annotations"][-1]["text"] == "No group selected."


def test_region_table_in_the_language_order(ds, select):
    names = [row[0] for row in mapview.build(ds, select("lang=fr")).table.rows]
    assert names.index("Ménaka") < names.index("Mopti") and names.index("Kidal") < names.index("Koulikoro")
    assert names == sorted(names, key=lambda n: n.replace("é", "e"))
