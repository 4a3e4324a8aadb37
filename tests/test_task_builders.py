"""The builders behind the tasks people do: the one-line summary, one-tap group choices (and their links
without scripts), the other source's figures where the chosen one has none, and the contributions feed's
links, donor totals and private donors."""

from __future__ import annotations

from dashboard import ids, layout, ssr
from dashboard.views import feed, people

NNBSP = "\u202f"


def test_summary_names_a_single_group(ds, select):
    assert layout.summary(ds, select("year=2018&groups=refugees&lang=fr")) == "2018 · Réfugiés · Page de l’opération"
    assert layout.summary(ds, select("year=2018&groups=refugees")) == "2018 · Refugees · Operation page"
    assert layout.summary(ds, select("year=2019&groups=refugees,idps")) == "2019 · 2 groups · Operation page"
    assert layout.summary(ds, select("year=2019&lang=fr")) == "2019 · tous les groupes · Page de l’opération"
    assert layout.summary(ds, select("year=2019&groups=none")) == "2019 · no group · Operation page"


def test_only_buttons_name_their_group_in_both_languages(ds):
    en = layout.only_buttons(("refugees", "idps"), "en")
    fr = layout.only_buttons(("refugees", "idps"), "fr")
    assert [b.children for b in en] == ["only", "only"]
    assert [b.id for b in en] == [ids.only_of("refugees"), ids.only_of("idps")]
    assert en[1].className == "only"
    assert [getattr(b, "aria-label") for b in fr] == ["Réfugiés uniquement", "Personnes déplacées internes uniquement"]


def test_each_group_option_holds_its_name_then_its_only_button(ds):
    """The button is in its box's label (the keyboard reaches it right after the box); the values are the groups."""
    options = layout.group_options(("refugees", "idps"), "fr")
    assert [o["value"] for o in options] == ["refugees", "idps"]
    assert [o["label"][0].children for o in options] == ["Réfugiés", "Personnes déplacées internes"]
    assert [o["label"][1].id for o in options] == [ids.only_of("refugees"), ids.only_of("idps")]


def test_first_view_has_one_tap_group_links(ds, select):
    sel = select("year=2018&lang=fr&groups=refugees,idps")
    html = ssr.page_html(ds, sel, layout.build_layout(ds, sel))
    assert '<a class="all-groups" href="?year=2018&amp;lang=fr">Tous les groupes</a>' in html
    # Each group's toggle link, then its "only" link, in one row: the keyboard order of the interactive page.
    assert (
        '<div class="form-check form-check-inline"><a class="form-check-label" href="?year=2018&amp;lang=fr&amp;'
        'groups=idps" aria-current="true">☑ <span id="ssr-group-name-refugees" class="group-name">Réfugiés</span></a>'
        '<a class="only" aria-label="Réfugiés uniquement" href="?year=2018&amp;lang=fr&amp;groups=refugees">'
        "uniquement</a></div>"
    ) in html
    assert "<button" not in html[html.index("groups-label") : html.index("pop-source-label")]


def test_year_gap_names_the_other_sources_figure(ds, select):
    for year, value in ((2017, "17,036"), (2018, "26,538")):
        v = people.build(ds, select(f"year={year}&groups=refugees"))
        assert v.total is None
        assert v.switch.text == f"The UNHCR statistics series has {value} for {year}."
        assert v.switch.link_text == "Switch to the UNHCR statistics series"
        assert v.switch.href == f"?year={year}&lang=en&groups=refugees&source=statistics"
    fr = people.build(ds, select("year=2018&groups=refugees&lang=fr"))
    assert fr.switch.text == f"La série statistique du HCR a 26{NNBSP}538 pour 2018."
    assert fr.switch.link_text == "Passer à la série statistique du HCR"


def test_missing_groups_the_other_source_has(ds, select):
    v = people.build(ds, select("year=2024"))
    assert v.switch.text == "The UNHCR statistics series has figures for Returned IDPs and Returned refugees in 2024."
    assert v.switch.href == "?year=2024&lang=en&source=statistics"


def test_trend_gaps_list_years_and_figures(ds, select):
    few = people.build(ds, select("year=2019&groups=refugees&source=statistics"))
    assert few.switch is None and few.trend_switch is None  # the series has every year
    v = people.build(ds, select("year=2019&groups=refugees"))
    assert v.switch is None  # 2019: the page has 26,670
    assert v.trend_switch.text == (
        "No figure from the operation page for 2014–2018, 2020–2023, and 2025; the UNHCR statistics series has them."
    )
    fr = people.build(ds, select("year=2019&groups=refugees&lang=fr"))
    assert fr.trend_switch.text == (
        f"Pas de chiffre de la page de l’opération pour 2014–2018, 2020–2023 et 2025{NNBSP}; "
        "la série statistique du HCR en a."
    )
    assert people._year_ranges([2017, 2018], "en") == "2017–2018"


def test_gaps_need_groups(ds, select):
    v = people.build(ds, select("year=2018&groups=none"))
    assert v.switch is None and v.trend_switch is None


def test_empty_year_links_to_the_year_with_contributions(ds, select):
    v = feed.build(ds, select("year=2019&lang=fr&donor_type=private"))
    assert v.other_years == ((2021, "?year=2021&lang=fr&donor_type=private"),)
    total = feed.fill(ds, select("year=2019&lang=fr"))[(ids.FEED_TOTAL, "children")]
    assert total[:3] == ["Aucune contribution listée pour 2019.", " ", "La source en liste pour"]
    assert total[-2].children == "2021" and total[-2].href == "?year=2021&lang=fr"
    assert feed.build(ds, select("year=2021")).other_years == ()


def test_private_donor_is_named_with_its_country(ds, select):
    en = {r["donor_shown"] for r in feed.build(ds, select("year=2021")).rows}
    assert {"Private donors (Spain)", "Spain"} & en == {"Private donors (Spain)"}
    assert "Republic of Korea" in en and "Private donors (Republic of Korea)" in en
    fr = {r["donor_shown"] for r in feed.build(ds, select("year=2021&lang=fr")).rows}
    assert "Donateurs privés (Espagne)" in fr
    table = feed.fill(ds, select("year=2021"))[(ids.content_of(ids.FEED_TABLE), "data")].content
    assert [th.children for th in table.children[1].children.children] == ["Date", "Donor", "Amount (USD)"]


def test_donor_totals_keep_governments_and_private_donors_apart(ds, select):
    """Korea's government ($5,000,000) and private donors of Korea ($8,056,152) are two donors, never one
    $13,056,152; a private donor's group reads as private."""
    v = feed.build(ds, select("year=2021&sort=donor_total_desc"))
    assert [(g.name, g.total_text, g.count_text) for g in v.groups[:5]] == [
        ("Japan", "$32,543,949", "1 contribution"),
        ("Private donors (Spain)", "$9,357,342", "1 contribution"),
        ("Finland", "$8,206,331", "1 contribution"),
        ("Private donors (Republic of Korea)", "$8,056,152", "1 contribution"),
        ("Republic of Korea", "$5,000,000", "2 contributions"),
    ]
    assert v.groups[-2].name == "Private donors (Japan)"
    assert sum(len(g.rows) for g in v.groups) == len(v.rows) == 20 and len(v.groups) == 19
    assert [r["amount"] for r in v.groups[4].rows] == [4000000, 1000000]  # newest first within
    assert feed.build(ds, select("year=2021")).groups == ()
    table = feed.fill(ds, select("year=2021&sort=donor_total_desc&lang=fr"))[
        (ids.content_of(ids.FEED_TABLE), "data")
    ].content
    korea = table.children[6].children[0]
    assert korea.className == "donor-total"
    assert korea.children[0].children[0] == "République de Corée"
    assert korea.children[1].children == f"5{NNBSP}000{NNBSP}000\xa0$US"
    private = feed.build(ds, select("year=2021&sort=donor_total_desc&donor_type=private&lang=fr")).groups
    assert private[-1].name == "Donateurs privés (Japon)"


def test_donor_search_applies_as_one_types(ds, select):
    box = feed.card(ds, select("year=2021")).children[1].children[2].children[2]
    assert box.id == ids.FEED_DONOR and box.debounce == 0.3
