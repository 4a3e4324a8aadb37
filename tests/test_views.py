"""Every output of every view, by name and with its content; the registry against the page frame.

Each (component, property) a view fills has its own check, specific enough that swapping any two of a
view's values fails; a view that fills something without a check here fails too.
"""

import inspect
from html.parser import HTMLParser

import orjson
import pytest
from dash import dcc
from plotly.io.json import to_json_plotly

from dashboard import ids, layout, render
from dashboard.data import GROUPS
from dashboard.derived import ViewDates
from dashboard.i18n import t
from dashboard.markup import Drawn
from dashboard.selection import DONOR_TYPES, SORTS
from dashboard.views import VIEWS, budget, feed, glossary, keyfigures, kpis, mapview, people
from dashboard.views.common import Chart
from dashboard.views.contract import View
from tests.tree import components


def text(value) -> str:
    """All the words of a value (components included, a drawn box's too), in document order."""
    plain = orjson.loads(to_json_plotly(value.content if isinstance(value, Drawn) else value))
    words: list[str] = []

    def walk(node):
        if isinstance(node, str):
            words.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            walk(node.get("props", {}).get("children"))

    walk(plain)
    return " ".join(" ".join(words).split())


def is_config(graph_id):
    return lambda v: v["toImageButtonOptions"]["filename"] == graph_id and v["displaylogo"] is False


GROUP_LABELS = [
    "Refugees",
    "Asylum-seekers",
    "IDPs",
    "Returned IDPs",
    "Returned refugees",
    "Other people in need of international protection",
    "Stateless persons",
    "Host community",
    "Others of concern",
]
CHECKS_2019 = {
    kpis: {
        (ids.content_of(ids.KPIS), "data"): lambda v: (
            text(v).split(" ")[:4] == ["People", "of", "concern", "275,779"]
            and "$17.3M" in text(v)
            and "75.6%" in text(v)
            and v.html().count('href="#gloss-') == 2  # people of concern, implementation rate
        ),
    },
    mapview: {
        (ids.title_of(ids.MAP), "children"): lambda v: (
            v == "Map: refugees and asylum-seekers by region as of 31 Jan 2024"
        ),
        (ids.download_of(ids.MAP), "children"): lambda v: v == "Download CSV",
        (ids.download_of(ids.MAP), "href"): lambda v: v.startswith("/download/map.csv?year=2019&lang=en"),
        (ids.dates_of(ids.MAP), "children"): lambda v: v.startswith(
            "Refugees and asylum-seekers by region: as of 31 Jan 2024 · UNHCR offices: as of Feb 2021"
        ),
        (ids.source_of(ids.MAP), "children"): lambda v: "Operational Data Portal" in v and "Natural Earth" in v,
        (ids.MAP_REGIONS, "hideout"): lambda v: v["values"]["ML-6"]["text"] == "9,917" and "labels" in v,
        (ids.MAP_MENAKA, "hideout"): lambda v: v["values"]["Ménaka"]["text"] == "15,234",
        (ids.MAP_OFFICES, "hideout"): lambda v: v["offices"]["Gao"]["type"] == "Sub-office",
        (ids.MAP_NAMES, "children"): lambda v: [m.children.children for m in v][:3] == ["Timbuktu", "Gao", "Kidal"],
        (ids.content_of(ids.MAP_COUNTRY), "data"): lambda v: text(v).startswith("People of concern, 2019 275,779"),
        (ids.content_of(ids.MAP_LEGEND), "data"): lambda v: text(v).startswith(
            "Refugees and asylum-seekers by region, 31 Jan 2024"
        ),
        (ids.MAP_DISCLAIMER, "children"): lambda v: "do not imply official endorsement" in v,
        (ids.summary_of(ids.MAP_TABLE), "children"): lambda v: v == "Show the figures as a table",
        # Both orders: largest figure first (shown by default), then A–Z.
        (ids.content_of(ids.MAP_TABLE), "data"): lambda v: (
            text(v).index("Ménaka 15,234")
            < text(v).index("Kayes 14,934")
            < text(v).index("Bamako 2,373", text(v).index("Kayes 14,934"))
        ),
        (ids.MAP_TABLE_SORT_LABEL, "children"): lambda v: v == "Sort by",
        (ids.MAP_TABLE_SORT, "options"): lambda v: (
            [o["value"] for o in v] == ["figure", "name"] and v[0]["label"] == "Largest figure first"
        ),
    },
    people: {
        (ids.title_of(ids.PEOPLE), "children"): lambda v: v == "People of concern, 2019",
        (ids.download_of(ids.PEOPLE), "children"): lambda v: v == "Download CSV",
        (ids.download_of(ids.PEOPLE), "href"): lambda v: v.startswith("/download/people.csv?year=2019&lang=en"),
        (ids.dates_of(ids.PEOPLE), "children"): lambda v: v.startswith(
            "People of concern: as of 31 Dec 2019 · UNHCR Global Focus"
        ),
        (ids.source_of(ids.PEOPLE), "children"): lambda v: v.startswith("Source: UNHCR"),
        (ids.PEOPLE_TOTAL, "children"): lambda v: text(v).startswith("275,779 Total of the selected groups · +79%"),
        (ids.PEOPLE_BY_GROUP_HEADING, "children"): lambda v: v == "By population group",
        (ids.PEOPLE_TREND_HEADING, "children"): lambda v: v == "Trend over years",
        # The breakdown's categories are the selected groups; the trend's are the years.
        (ids.PEOPLE_BREAKDOWN, "figure"): lambda v: v["data"][0]["customdata"] == GROUP_LABELS,
        (ids.PEOPLE_TREND, "figure"): lambda v: (
            v["data"][0]["x"][:6] == ["2014", "2015", "2016", "2017", "2018", "2019"]
        ),
        (ids.PEOPLE_BREAKDOWN, "config"): is_config(ids.PEOPLE_BREAKDOWN),
        (ids.PEOPLE_TREND, "config"): is_config(ids.PEOPLE_TREND),
        (ids.PEOPLE_TREND_GAPS, "children"): lambda v: (
            text(v).startswith("No figure from the operation page for 2014–2016, 2020–2023, and 2025")
            and v[0].children[-1].href == "?year=2019&lang=en&source=statistics"
        ),
        (ids.summary_of(ids.PEOPLE_TABLE), "children"): lambda v: v == "Show the figures as a table",
        (ids.content_of(ids.PEOPLE_TABLE), "data"): lambda v: (
            text(v).startswith("By population group") and "Trend over years" in text(v)
        ),
    },
    budget: {
        (ids.title_of(ids.BUDGET), "children"): lambda v: v == "Budget and expenditure",
        (ids.download_of(ids.BUDGET), "children"): lambda v: v == "Download CSV",
        (ids.download_of(ids.BUDGET), "href"): lambda v: v.startswith("/download/budget.csv?year=2019&lang=en"),
        (ids.dates_of(ids.BUDGET), "children"): lambda v: v.startswith(
            "Budget and expenditure: year ending 31 Dec 2019 · All years shown: 2016 to 2021"
        ),
        (ids.source_of(ids.BUDGET), "children"): lambda v: "UNHCR Global Focus" in v,
        (ids.content_of(ids.BUDGET_SUMMARY), "data"): lambda v: text(v).startswith("Budget 2019: $17.3M"),
        (ids.BUDGET_HINT, "children"): lambda v: v == "Click a year's bar to select that year.",
        (ids.BUDGET_NO_GROUPS, "children"): lambda v: v == "Budgets are not broken down by population group.",
        (ids.BUDGET_YEARS_HEADING, "children"): lambda v: v == "By year (USD)",
        (ids.BUDGET_PILLARS_HEADING, "children"): lambda v: v == "By pillar, 2019",
        # By year: years on x, the chosen one outlined; by pillar: pillars on y.
        (ids.BUDGET_YEARS, "figure"): lambda v: (
            v["data"][0]["x"] == ["2016", "2017", "2018", "2019", "2020", "2021"]
            and v["data"][0]["marker"]["line"]["width"] == [0, 0, 0, 2, 0, 0]
        ),
        (ids.BUDGET_PILLARS, "figure"): lambda v: v["data"][0]["y"][0] == "Refugee programme",
        (ids.BUDGET_YEARS, "config"): is_config(ids.BUDGET_YEARS),
        (ids.BUDGET_PILLARS, "config"): is_config(ids.BUDGET_PILLARS),
        (ids.summary_of(ids.BUDGET_TABLE), "children"): lambda v: v == "Show the figures as a table",
        (ids.content_of(ids.BUDGET_TABLE), "data"): lambda v: (
            text(v).startswith("By year (USD)") and "By pillar, 2019" in text(v)
        ),
    },
    keyfigures: {
        (ids.title_of(ids.KEYFIG), "children"): lambda v: v == "Key figures, 2019",
        (ids.download_of(ids.KEYFIG), "children"): lambda v: v == "Download CSV",
        (ids.download_of(ids.KEYFIG), "href"): lambda v: v.startswith("/download/keyfig.csv?year=2019&lang=en"),
        (ids.dates_of(ids.KEYFIG), "children"): lambda v: v.startswith("Year-end results: year ending 31 Dec 2019"),
        (ids.source_of(ids.KEYFIG), "children"): lambda v: v.startswith("Source: UNHCR Global Focus"),
        (ids.content_of(ids.KEYFIG_BODY), "data"): lambda v: text(v).startswith("Year-end results 6,500"),
    },
    glossary: {
        (ids.title_of(ids.GLOSSARY), "children"): lambda v: v == "What the terms mean",
        (ids.GLOSSARY_LIST, "children"): lambda v: text(v).startswith("People of concern") and "275,779" in text(v),
    },
    feed: {
        (ids.title_of(ids.FEED), "children"): lambda v: v == "Latest contributions, 2019",
        (ids.download_of(ids.FEED), "children"): lambda v: v == "Download CSV",
        (ids.download_of(ids.FEED), "href"): lambda v: v.startswith("/download/feed.csv?year=2019&lang=en"),
        (ids.dates_of(ids.FEED), "children"): lambda v: (
            v == "UNHCR Global Focus, Mali operation page (2021), published 2021"
        ),
        (ids.source_of(ids.FEED), "children"): lambda v: v.startswith("Source: UNHCR Global Focus"),
        (ids.FEED_DONOR_TYPE_LABEL, "children"): lambda v: v == "Donor type",
        (ids.FEED_DONOR_TYPE, "options"): lambda v: [o["value"] for o in v] == list(DONOR_TYPES),
        (ids.FEED_SORT_LABEL, "children"): lambda v: v == "Sort by",
        (ids.FEED_SORT, "options"): lambda v: [o["value"] for o in v] == list(SORTS),
        (ids.FEED_DONOR_LABEL, "children"): lambda v: v == "Donor name contains",
        (ids.FEED_NO_GROUPS, "children"): lambda v: v == "Contributions are not broken down by population group.",
        (ids.FEED_TOTAL, "children"): lambda v: (
            v[0] == "No contributions listed for 2019." and v[-2].href == "?year=2021&lang=en"
        ),
        (ids.content_of(ids.FEED_TABLE), "data"): lambda v: v.html() == "",
    },
}


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.ID)
def test_view001_every_output_by_name(ds, select, view):
    values = view.fill(ds, select("year=2019"))
    checks = CHECKS_2019[view]
    assert set(values) == set(checks), "every output needs a check"
    failed = [key for key, check in checks.items() if not check(values[key])]
    assert failed == []


def test_view002_feed_2021_rows_sorted_by_each_order(ds, select):
    def column(query, index):
        table = feed.fill(ds, select(query))[(ids.content_of(ids.FEED_TABLE), "data")].content
        return [row.children[index].children for row in table.children[2].children]

    assert column("year=2021", 0)[0].children == "16 Apr 2021"
    amounts = [int(a.strip("$").replace(",", "")) for a in column("year=2021&sort=amount_desc", 2)]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 20
    # By the donor country's name; a country's private donors follow its government.
    donors = [d.removeprefix("Private donors (").removesuffix(")") for d in column("year=2021&sort=donor_asc", 1)]
    assert donors == sorted(donors, key=str.casefold)
    total = feed.fill(ds, select("year=2021"))[(ids.FEED_TOTAL, "children")]
    assert total == "20 contributions shown, total $73,437,098"


def test_view003_registry_outputs_exist_once_in_the_layout(ds, select):
    tree = orjson.loads(to_json_plotly(layout.build_layout(ds)))
    seen: dict[str, int] = {}

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node:
            if isinstance(node["props"].get("id"), str):
                seen[node["props"]["id"]] = seen.get(node["props"]["id"], 0) + 1
            for value in node["props"].values():
                walk(value)

    walk(tree)
    assert all(count == 1 for count in seen.values()), {k: c for k, c in seen.items() if c > 1}
    owners: dict[tuple, str] = {}
    for view in VIEWS:
        for key in view.fill(ds, select("year=2019")):
            assert key[0] in seen, key
            assert key not in owners, f"{key} filled by {owners.get(key)} and {view.ID}"
            owners[key] = view.ID


@pytest.mark.parametrize("query", ["year=2019", "year=2021&lang=fr&sort=donor_total_desc", "year=2015&groups=idps"])
def test_view010_drawn_boxes_hold_html_only_and_are_all_drawn(ds, select, query):
    """Every box with a content store is in ids.DRAWN (the one callback that draws them reads that list), and
    what the store holds, as the browser receives it, is HTML without ids (markup.Drawn): assets/dashboard.js
    puts it in place as it is."""
    tree = orjson.loads(to_json_plotly(layout.build_layout(ds, select(query))))
    boxes, content = set(), []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            child = props.get("children")
            drawn_here = isinstance(child, dict) and child.get("type") == "Store"
            if drawn_here and child["props"]["id"] == ids.content_of(props.get("id")):
                boxes.add(props["id"])
                content.append(child["props"].get("data"))
            for value in props.values():
                walk(value)

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    walk(tree)
    assert boxes == set(ids.DRAWN)
    assert all(isinstance(box, str) for box in content)
    parsed = Elements()
    parsed.feed("".join(content))
    assert len(parsed.found) > 100
    assert {"table", "tr", "td", "dd"} <= {tag for tag, _ in parsed.found}
    assert not [(tag, attrs) for tag, attrs in parsed.found if "id" in attrs]


def test_view004_layout_is_filled_with_the_default_selection(ds):
    """Without a year the page opens on the newest year of the operation page's figures: mid-2024."""
    tree = to_json_plotly(layout.build_layout(ds))
    assert "People of concern, mid-2024" in tree and "426,383" in tree and "By pillar, mid-2024" in tree


def test_view005_cached_results_cannot_be_changed_by_a_caller(ds, select):
    sel = select("year=2019")
    first = people.build(ds, sel)
    first.breakdown.figure["data"][0]["x"][0] = -1
    assert people.build(ds, sel).breakdown.figure["data"][0]["x"][0] == 26670
    values = render.updates(ds, None, sel)
    values[ids.PEOPLE_TREND]["figure"]["data"] = []
    assert render.updates(ds, None, sel)[ids.PEOPLE_TREND]["figure"]["data"] != []


def test_view006_groups_filter_changes_the_breakdown_categories(ds, select):
    values = people.fill(ds, select("year=2019&groups=idps,refugees"))
    assert values[(ids.PEOPLE_BREAKDOWN, "figure")]["data"][0]["customdata"] == ["Refugees", "IDPs"]
    assert len(GROUPS) == 9


def test_view007_free_text_does_not_grow_the_other_views_caches(ds, select):
    render._texts.cache_clear()
    for n in range(30):
        render.texts(ds, select(f"year=2021&donor=x{n}"))
    # The feed and the headline figures read the donor filter (30 entries each); the 4 others share one.
    assert render._texts.cache_info().currsize == 30 * len(render.FILTERED) + len(VIEWS) - len(render.FILTERED)


CONTRACT_FUNCTIONS = ("card", "fill", "charts", "dates", "download")
OPTIONAL = {"charts", "dates", "download"}


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.ID)
def test_view008_every_view_meets_the_contract(view):
    """Each module in VIEWS has every member of views.contract.View, each function taking (ds, sel)."""
    members = set(View.__annotations__) | {name for name in vars(View) if not name.startswith("_")}
    assert members == {"ID", *CONTRACT_FUNCTIONS}  # the contract this test checks is the one written down
    assert isinstance(view, View), [m for m in members if not hasattr(view, m)]
    assert isinstance(view.ID, str) and view.ID in vars(ids).values()
    for name in CONTRACT_FUNCTIONS:
        function = getattr(view, name)
        if function is None:
            assert name in OPTIONAL, name
            continue
        assert list(inspect.signature(function).parameters) == ["ds", "sel"], name
    if view.download is not None:
        assert t(view.SHEET, "fr"), "a view with a download names its workbook sheet (an i18n key)"


@pytest.mark.parametrize("query", ["year=2019", "year=2024&lang=fr&groups=idps", "year=2015&groups=none"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.ID)
def test_view009_a_view_gives_every_graph_its_chart_and_dates_its_own_figures(ds, select, view, query):
    """Every dcc.Graph of a card has the view's Chart (the first view shows its table there), filled with
    that chart's figure; a view that dates its figures gives them for every selection."""
    sel = select(query)
    graphs = [node.id for node in components(view.card(ds, sel)) if isinstance(node, dcc.Graph)]
    charts = view.charts(ds, sel) if view.charts else {}
    assert sorted(charts) == sorted(graphs)
    values = view.fill(ds, sel)
    for graph_id, chart in charts.items():
        assert isinstance(chart, Chart) and chart.caption
        assert values[(graph_id, "figure")] == chart.figure
        assert all(len(row) == len(chart.table.header) and all(row) for row in chart.table.rows), graph_id
    if view.dates is not None:
        assert isinstance(view.dates(ds, sel), ViewDates)
        assert (ids.dates_of(view.ID), "children") in values
