"""True at a glance (issue 25): the page opens on the newest figures, names mid-year years so, and every view
without figures for the chosen year points to its newest one. Builders and the frame, tested directly."""

from __future__ import annotations

from dash import dcc, html

from dashboard import data, ids, layout, selection
from dashboard.views import budget, feed, keyfigures, kpis, people

NNBSP = "\u202f"


def _texts(node) -> str:
    """Every text in a component tree (components, lists, strings), in order."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_texts(n) for n in node)
    children = getattr(node, "children", None)
    return _texts(children) if children is not None else ""


def _links(node) -> list[tuple[str, str]]:
    """(text, href) of every link in a component tree."""
    if isinstance(node, list | tuple):
        return [link for n in node for link in _links(n)]
    if isinstance(node, html.A | dcc.Link):
        return [(_texts(node.children), node.href)]
    children = getattr(node, "children", None)
    return _links(children) if children is not None and not isinstance(children, str) else []


def test_glance001_opens_on_the_newest_year_of_the_default_source(ds):
    assert selection.default_selection(ds).year == 2024
    assert selection.from_query(ds, "")[0].year == 2024
    assert selection.from_query(ds, "lang=fr")[0].year == 2024
    # The statistics series' newest year is its own; a year in the address keeps opening that year.
    assert selection.from_query(ds, "source=statistics")[0].year == 2025
    assert selection.from_query(ds, "year=2019")[0].year == 2019


def test_glance002_the_default_year_follows_the_data(data_copy):
    """A data update that brings a newer operation-page year opens on it: nothing typed into data/ moves."""
    with open(data_copy / "population_totals.csv", "a", encoding="utf-8") as f:
        f.write("MLI,page,2025,2025-12-31,500000,unhcr_page_2021_mli\n")
    newer = data.load(data_copy)
    assert selection.default_selection(newer).year == 2025
    assert selection.from_query(newer, "")[0].year == 2025


def test_glance003_a_mid_year_is_named_so_wherever_the_year_is_named(ds, select):
    en, fr = select(""), select("lang=fr")
    options = {o["value"]: o["label"] for o in layout.labels(ds, "MLI", "en")["year_options"]}
    assert (options["2024"], options["2019"], options["2025"]) == ("mid-2024", "2019", "2025")
    assert {o["value"]: o["label"] for o in layout.labels(ds, "MLI", "fr")["year_options"]}["2024"] == "mi-2024"
    assert layout.summary(ds, en).startswith("mid-2024 · ") and layout.summary(ds, fr).startswith("mi-2024 · ")
    assert people.build(ds, en).title == "People of concern, mid-2024"
    assert people.build(ds, fr).title == "Personnes relevant du HCR, mi-2024"
    assert budget.build(ds, en).pillars_title == "By pillar, mid-2024"
    assert keyfigures.build(ds, fr).title == "Chiffres clés, mi-2024"
    assert feed.build(ds, en).title == "Latest contributions, mid-2024"
    assert people.download(ds, en).filename == "mali-people-mid-2024.csv"
    assert budget.download(ds, fr).filename == "mali-budget-mid-2024.csv"
    # The statistics series counts 2024 at the year's end: there 2024 is 2024.
    stats = select("year=2024&source=statistics")
    assert people.build(ds, stats).title == "People of concern, 2024"
    assert people.download(ds, stats).filename == "mali-people-2024.csv"


def test_glance004_key_numbers_without_the_year_name_and_link_the_newest(ds, select):
    for lang, detail in (
        ("en", "none for mid-2024; newest 2021"),
        ("fr", f"aucun pour mi-2024{NNBSP}; le plus récent{NNBSP}: 2021"),
    ):
        sel = select(f"lang={lang}")
        details = {key: d for key, _, _, d in kpis.build(ds, sel)}
        assert details["kpi_budget"] == details["kpi_rate"] == details["kpi_contributions"] == detail
        links = dict(_links(kpis.fill(ds, sel)[(ids.content_of(ids.KPIS), "data")].content))
        assert links[detail] == f"?year=2021&lang={lang}"
    # A year with figures names only itself.
    assert {k: d for k, _, _, d in kpis.build(ds, select("year=2019"))}["kpi_budget"] == "2019"


def test_glance005_views_without_the_year_link_to_their_newest(ds, select):
    sel = select("lang=fr")
    hint = budget.fill(ds, sel)[(ids.BUDGET_HINT, "children")]
    assert _texts(hint).startswith(
        "Pas de chiffres de budget pour mi-2024. Les chiffres les plus récents ici sont de 2021."
    )
    assert _links(hint) == [("Afficher 2021", "?year=2021&lang=fr")]
    body = keyfigures.fill(ds, select(""))[(ids.content_of(ids.KEYFIG_BODY), "data")].content
    assert "No key figures for mid-2024. The newest figures here are for 2021." in _texts(body)
    assert _links(body) == [("Show 2021", "?year=2021&lang=en")]
    assert _links(feed.fill(ds, sel)[(ids.FEED_TOTAL, "children")]) == [("2021", "?year=2021&lang=fr")]
    # With the year's figures: the usual hint, no link.
    assert (
        budget.fill(ds, select("year=2019"))[(ids.BUDGET_HINT, "children")] == "Click a year's bar to select that year."
    )


def test_glance006_the_header_says_what_its_date_dates(ds):
    assert (
        layout.data_stamp(ds, "en")
        == f"Newest figures: 31 Dec 2025 (UNHCR Refugee Data Finder) · data version {ds.version}"
    )
    assert layout.data_stamp(ds, "fr").startswith(
        f"Chiffres les plus récents{NNBSP}: 31 déc. 2025 (HCR, Refugee Data Finder)"
    )


def test_glance007_titles_name_the_groups_counted(ds, select):
    """One group, two groups, a count among the groups the year's source has, in both languages; all groups
    keep the plain 'people of concern'."""
    one = select("year=2019&groups=refugees")
    v = people.build(ds, one)
    assert v.title == "People of concern (Refugees), 2019"
    assert {k: label for k, label, _, _ in kpis.build(ds, one)}["kpi_people"] == "People of concern (Refugees)"
    assert "People of concern<br>(Refugees)" in v.trend.figure["layout"]["title"]["text"]
    assert v.breakdown.figure["layout"]["title"]["text"].startswith("People of concern (Refugees),")
    assert (v.breakdown.caption, v.trend.caption) == ("By population group · Refugees", "Trend over years · Refugees")
    assert v.download.filename == "mali-people-refugees-2019.csv"
    two = people.build(ds, select("groups=refugees,idps&lang=fr"))
    assert two.title == "Personnes relevant du HCR (Réfugiés et Personnes déplacées internes), mi-2024"
    assert two.download.filename == "mali-people-refugees-idps-mid-2024.csv"
    three = people.build(ds, select("groups=refugees,idps,oip"))
    assert three.title == "People of concern (3 of 7 groups), mid-2024"
    assert people.build(ds, select("groups=refugees,idps,oip&lang=fr")).label.endswith("(3 groupes sur 7)")
    # 2019's page has five groups: the two it lacks are not counted, so the title names the two it has.
    assert people.build(ds, select("year=2019&groups=refugees,idps,oip,stateless")).label.endswith(
        "(Refugees and IDPs)"
    )
    # Every group the year's source has (2024's page lacks the returned): the plain title.
    assert people.build(ds, select("groups=refugees,asylum_seekers,idps,oip,stateless,host_community,ooc")).title == (
        "People of concern, mid-2024"
    )
    assert people.build(ds, select("year=2019")).download.filename == "mali-people-2019.csv"


def test_glance008_figures_not_by_group_say_so(ds, select):
    sel = select("year=2021&groups=refugees&lang=fr")
    assert feed.fill(ds, sel)[(ids.FEED_NO_GROUPS, "children")] == (
        "Les contributions ne sont pas ventilées par groupe de population."
    )
    assert budget.fill(ds, sel)[(ids.BUDGET_NO_GROUPS, "children")].startswith("Les budgets ne sont pas ventilés")
    labels = [label for _, label, _, _ in kpis.build(ds, sel)]
    assert labels[1:] == ["Budget", "Dépenses", "Taux d’exécution", "Contributions listées"]


def test_glance009_the_app_says_whose_it_is(ds, data_copy):
    """Installed, the app's names say UNHCR and the operation in the page's language; a short name fits under an
    icon (12 characters); another operation gets its own."""
    from dashboard import offline

    en, fr = offline.manifest(ds, "MLI", "en"), offline.manifest(ds, "MLI", "fr")
    assert (en["short_name"], en["name"]) == ("UNHCR Mali", "Mali – Operation Dashboard (UNHCR)")
    assert (fr["short_name"], fr["name"]) == ("HCR Mali", "Mali – Tableau de bord des opérations (HCR)")
    assert en["start_url"] == "/?lang=en" and en["id"] == "/"
    with open(data_copy / "operations.csv", "a", encoding="utf-8") as f:
        f.write("CAF,Central African Republic,République centrafricaine,21,7,2019,unhcr_page_2021_mli\n")
    two = data.load(data_copy)
    caf = offline.manifest(two, "CAF", "fr")
    assert caf["short_name"] == "HCR CAF" and len(caf["short_name"]) <= 12
    assert caf["name"] == "République centrafricaine – Tableau de bord des opérations (HCR)"
    assert caf["start_url"] == "/?op=CAF&lang=fr"
    assert (
        offline.favicon_html() == '<link rel="icon" type="image/png" sizes="192x192" href="/assets/icons/icon-192.png">'
    )


def test_glance010_regions_named_on_the_map_where_they_fit(ds, select):
    """Names in the page's language, largest regions first; Kayes and Timbuktu on every screen; no two names,
    and no name and figure point or office icon, overlap at the scale they show at."""
    from dashboard.views import map_names, mapview

    names = {m.children.children: m.children for m in mapview.region_names(ds, select("lang=fr"))}
    assert {"Tombouctou", "Kayes", "Gao", "Mopti", "Sikasso", "Ségou"} <= set(names)
    assert "fits-all" in names["Kayes"].className and "fits-all" in names["Tombouctou"].className
    assert all(t.permanent and t.direction == "center" for t in names.values())
    assert "Timbuktu" in [m.children.children for m in mapview.region_names(ds, select(""))]
    st = mapview.static(ds, "MLI")
    regions = [(f["properties"]["name"], f) for f in st.regions["features"]]
    marks = [(*f["geometry"]["coordinates"], f["properties"]["radius"], (0, 0)) for f in st.points["features"]]
    placed = map_names.place(regions, marks, st.bounds)
    for box, shown in ((map_names.PHONE_BOX_PX, ("all",)), (map_names.WIDE_BOX_PX, ("all", "wide"))):
        scale = map_names._Scale(st.bounds, box, marks)
        rects = [scale.rect(n.text, n.lon, n.lat, n.offset) for n in placed if n.fits in shown]
        for i, rect in enumerate(rects):
            assert scale.fits(rect) and map_names._clear(rect, rects[:i] + rects[i + 1 :])
    # A name's place is inside its region: Kayes's centroid, not the middle of its box.
    kayes = next(f for f in st.regions["features"] if f["properties"]["name"] == "Kayes")
    lon, lat, _ = map_names.label_point(kayes)
    assert -12 < lon < -8.5 and 12.5 < lat < 15.5


def test_glance011_one_number_format_per_table_and_values_on_the_bars(ds, select):
    """The years table writes every amount with one decimal ("$41.0M" beside "$49.2M"); the pillar bars and
    the trend's bars carry their values; the charts' value axes keep three upright ticks beside long names."""
    v = budget.build(ds, select("year=2019"))
    rows = {row[0]: row for row in v.by_year.table.rows}
    assert rows["2017"][1:3] == ("$41.0M", "$13.3M") and rows["2016"][1] == "$49.2M"
    fr = budget.build(ds, select("year=2019&lang=fr")).by_year.table.rows
    assert fr[1][1] == "41,0\xa0M\xa0$US"
    pillars = v.by_pillar.figure["data"]
    assert pillars[0]["text"][0] == "$8.3M" and pillars[0]["textposition"] == "outside"
    assert pillars[0]["text"][1] == ""  # no figure for the stateless programme: no value
    trend = people.build(ds, select("year=2019&lang=fr")).trend.figure
    texts = dict(zip(trend["data"][0]["x"], trend["data"][0]["text"], strict=True))
    assert texts["2019"] == "275,8\xa0k" and texts["2014"] == ""
    assert trend["layout"]["yaxis"]["range"][1] >= 1.5 * 426383
    axis = people.build(ds, select("year=2019")).breakdown.figure["layout"]["xaxis"]
    assert len(axis["tickvals"]) <= 3 and axis["tickangle"] == 0


def test_glance012_each_figure_cites_its_one_source_and_date(ds, select):
    """Mid-2024's breakdown cites the newer page only (not the 2021 one); the trend names which years each page
    gives; the map's panel says its total and the regions are of two dates, and whose the total is."""
    from dashboard.views import mapview

    v = people.build(ds, select(""))
    year_source = v.breakdown.figure["layout"]["annotations"][0]["text"].replace("<br>", " ")
    assert "UNHCR, Mali operation page (figures as of 30 Jun 2024)" in year_source and "(2021)" not in year_source
    trend = v.trend.figure["layout"]["annotations"][0]["text"].replace("<br>", " ")
    assert "(2021) for 2017–2019" in trend and "(figures as of 30 Jun 2024) for mid-2024" in trend
    panel = mapview.build(ds, select("lang=fr")).country_dates
    assert panel == (
        f"Ce total{NNBSP}: 30 juin 2024, HCR, page de l’opération Mali (chiffres au 30 juin 2024). "
        f"Les régions sur la carte{NNBSP}: 31 janv. 2024."
    )
    country = mapview.fill(ds, select("year=2019"))[(ids.content_of(ids.MAP_COUNTRY), "data")].content
    assert (
        "This total: 31 Dec 2019, UNHCR Global Focus, Mali operation page (2021). The regions on the map: 31 Jan 2024."
        in _texts(country)
    )
