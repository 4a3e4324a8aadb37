"""Component ids, in one place so views, the page frame, callbacks and tests agree; derived ids built here."""

URL = "url"
SELECTION = "selection"
FRAME = "frame"  # operation and language: what the labels depend on
OPERATION_SHOWN = "operation-shown"  # the operation whose map layers are on the page
DATA_VERSION = "data-version"  # the version of the data the page shows; every callback request carries it
DATA_STAMP = "data-stamp"  # that version and its reference date, in words
RELOAD = "reload"  # set by an answer that cannot make the page whole on the server's data: the page reloads
NOTICE = "notice"
CONTENT = "content"
GLOSSARY = "glossary"
GLOSSARY_LIST = "glossary-list"
COPY_LINK = "copy-link"
COPY_LINK_LABEL = "copy-link-label"
LINK_COPIED = "link-copied"
SSR = "first-view"  # the server-rendered page, until the interactive one has drawn
FIGURES_AT_LOAD = "figures-at-load"  # the charts' first figures, drawn as each chart comes near the screen
SKIP_LINK = "skip-link"

LANG = "lang"
LANG_LABEL = "lang-label"
YEAR = "year"
YEAR_LABEL = "year-label"
GROUPS = "groups"
GROUPS_LABEL = "groups-label"
SOURCE = "pop-source"
SOURCE_LABEL = "pop-source-label"
OPERATION = "operation"
OPERATION_LABEL = "operation-label"
CONTROLS_SUMMARY = "controls-summary"
GROUPS_ALL = "groups-all"  # "all groups" in one tap
GROUP_ONLY = "group-only"  # the "only this group" buttons, in the group boxes' labels; their pattern-matching type: {"type": GROUP_ONLY, "group": group}

TITLE = "title"
SUBTITLE = "subtitle"
KPIS = "kpis"

PEOPLE = "people"
PEOPLE_TOTAL = "people-total"
PEOPLE_BY_GROUP_HEADING = "people-by-group-heading"
PEOPLE_TREND_HEADING = "people-trend-heading"
PEOPLE_BREAKDOWN = "people-breakdown"
PEOPLE_TREND = "people-trend"
PEOPLE_TREND_GAPS = "people-trend-gaps"  # the trend's years the other source fills, with a link to it
PEOPLE_TABLE = "people-table"

BUDGET = "budget"
BUDGET_SUMMARY = "budget-summary"
BUDGET_YEARS = "budget-years"
BUDGET_YEARS_HEADING = "budget-years-heading"
BUDGET_PILLARS_HEADING = "budget-pillars-heading"
BUDGET_HINT = "budget-hint"
BUDGET_NO_GROUPS = "budget-no-groups"
BUDGET_PILLARS = "budget-pillars"
BUDGET_TABLE = "budget-table"

FEED = "feed"
FEED_TABLE = "feed-table"
FEED_SORT = "feed-sort"
FEED_SORT_LABEL = "feed-sort-label"
FEED_TOTAL = "feed-total"
FEED_NO_GROUPS = "feed-no-groups"
FEED_DONOR_TYPE = "feed-donor-type"
FEED_DONOR_TYPE_LABEL = "feed-donor-type-label"
FEED_DONOR = "feed-donor"
FEED_DONOR_LABEL = "feed-donor-label"

KEYFIG = "keyfig"
KEYFIG_BODY = "keyfig-body"

MAP = "map"
MAP_LEAFLET = "map-leaflet"
MAP_OUTLINE = "map-outline"
MAP_REGIONS = "map-regions"
MAP_MENAKA = "map-points"
MAP_OFFICES = "map-offices"
MAP_NAMES = "map-names"
MAP_COUNTRY = "map-country"
MAP_DETAILS = "map-details"
MAP_LEGEND = "map-legend"
MAP_TABLE = "map-table"
MAP_TABLE_SORT = "map-table-sort"
MAP_TABLE_SORT_LABEL = "map-table-sort-label"
MAP_DISCLAIMER = "map-disclaimer"

DOWNLOAD_WORKBOOK = "download-workbook"


def only_of(group) -> dict:
    """The button that selects only `group` (Dash's ALL matches every group)."""
    return {"type": GROUP_ONLY, "group": group}


def group_name_of(group: str) -> str:
    """A group's name in its box's label: the box's accessible name (the label also holds the "only" button)."""
    return f"group-name-{group}"


def title_of(view_id: str) -> str:
    """A card's heading (it also names the card for screen readers)."""
    return f"{view_id}-title"


def source_of(view_id: str) -> str:
    return f"{view_id}-source"


def dates_of(view_id: str) -> str:
    """A card's line of reference and publication dates."""
    return f"{view_id}-dates"


def download_of(view_id: str) -> str:
    """A card's CSV download button."""
    return f"download-{view_id}"


def summary_of(table_id: str) -> str:
    """The <summary> that opens a table alternative."""
    return f"{table_id}-summary"


def content_of(box_id: str) -> str:
    """The store that holds a drawn box's content (views.common.drawn)."""
    return f"{box_id}-content"


# The boxes whose content (html only: tables, figures, sentences; nothing a callback reads) the browser draws
# from their content store, so a choice changes one store's data instead of remounting a component per cell.
DRAWN = (KPIS, MAP_COUNTRY, MAP_LEGEND, MAP_TABLE, PEOPLE_TABLE, BUDGET_SUMMARY, BUDGET_TABLE, KEYFIG_BODY, FEED_TABLE)
