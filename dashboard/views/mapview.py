"""The map: vector layers (sent once per operation) and the hideout that styles and labels them.

Geometry never changes with the selection; only the small `hideout` dicts do, so a year or language change
sends a few hundred bytes to the browser, where assets/dashboard.js restyles the layers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import dash_bootstrap_components as dbc
import dash_leaflet as dl
import pandas as pd
from dash import html

from .. import i18n, ids, names
from ..collation import sort_key
from ..data import OFFICE_TYPES, Dataset, rows_of
from ..derived import Reference, ViewDates, country_population, people_of_concern, people_reference, published
from ..i18n import source_field, t
from ..selection import Selection
from . import common, map_names, people
from .common import (
    Download,
    Table,
    cached,
    data_table,
    drawn,
    drawn_fill,
    filename,
    frame_fill,
    notes,
    source_line,
    sources_text,
    table_fill,
)

SHEET = "sheet_regions"  # its sheet in the workbook (an i18n key)
SHEET_SELECTION = ()  # what of the selection its sheet's title row names
ID = ids.MAP

# Sequential blues (ColorBrewer), readable by people with colour-blindness; class limits in people.
CLASS_LIMITS = (1_000, 5_000, 10_000, 15_000)
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA_COLOUR = "#f2f2f2"
EMPTY = {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class MapStatic:
    """What the browser receives once: outline, regions, figure points, offices and the bounds."""

    has_geometry: bool
    outline: dict | None
    regions: dict | None
    points: dict
    offices: dict
    bounds: list | None
    centre: list


@dataclass(frozen=True)
class MapView:
    region_hideout: dict
    office_hideout: dict
    country_title: str
    country_value: str
    country_note: str
    country_dates: str  # which figures of the card are of which date: the panel's total, the regions
    title: str
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    offices_title: str
    office_legend: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    source: str
    disclaimer: str
    download: Download
    table: Table
    table_by_figure: Table


def _bounds(geojson: dict) -> list:
    xs, ys = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for c in coords:
                walk(c)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _point(lon: float, lat: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


# A region whose box is smaller than this (degrees) cannot be clicked at the zoom that shows the country.
SMALL_REGION_DEGREES = 0.5
# A figure point's radius in px grows with its figure (by area), so the largest is the easiest to see and tap;
# the smallest is still a 24 px target.
POINT_RADIUS_PX = (12, 20)
# An office icon (24 px) this close to a figure point (degrees) is drawn beside it, above, not over it.
SHARED_PLACE_DEGREES = 0.5
OFFICE_ICON_PX = 24


def _box(feature: dict) -> tuple[tuple[float, float], tuple[float, float]]:
    (south, west), (north, east) = _bounds({"features": [feature]})
    return (west, south), (east, north)


def _is_small(box) -> bool:
    (x0, y0), (x1, y1) = box
    return max(x1 - x0, y1 - y0) < SMALL_REGION_DEGREES


def point_radius(value: float, largest: float) -> int:
    """The radius of a figure's point: the smallest radius plus what its share of the largest figure adds."""
    low, high = POINT_RADIUS_PX
    return round(low + (high - low) * (max(value, 0) / largest) ** 0.5) if largest > 0 else low


def _office_shift(lon: float, lat: float, points: list[dict]) -> list[int] | None:
    """The pixels an office icon moves up so that a figure point at its place stays whole: both can be seen
    and tapped (the point keeps the place, the icon stands just above it)."""
    for point in points:
        x, y = point["geometry"]["coordinates"]
        if abs(lon - x) < SHARED_PLACE_DEGREES and abs(lat - y) < SHARED_PLACE_DEGREES:
            return [0, -(point["properties"]["radius"] + OFFICE_ICON_PX // 2 + 2)]
    return None


def _classify(value: int) -> int:
    return sum(value >= limit for limit in CLASS_LIMITS)


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _outline(ds: Dataset, operation: str) -> dict | None:
    """The operation's country outline, if the geometry has it."""
    outline_all = ds.geo.get("outline")
    features = [f for f in outline_all["features"] if f["properties"].get("iso3") == operation] if outline_all else []
    return _collection(features) if features else None


def _regions(ds: Dataset, rf) -> dict | None:
    """The regions of the country whose figures `rf` holds (by their ISO 3166-2 prefix), each feature's id its
    code, for the hideout's values by region."""
    regions_all = ds.geo.get("regions")
    codes = set(rf["iso_3166_2"].dropna())
    if not regions_all or not codes:
        return None
    prefix = next(iter(codes)).split("-")[0] + "-"
    features = [
        {
            "type": "Feature",
            "id": f["properties"]["iso_3166_2"],
            "properties": dict(f["properties"]),
            "geometry": f["geometry"],
        }
        for f in regions_all["features"]
        if f["properties"]["iso_3166_2"].startswith(prefix)
    ]
    return _collection(features) if features else None


def _figure_points(rf, regions: dict | None) -> list[dict]:
    """A point, sized by its figure, for each figure that has no clickable region of its own."""
    region_boxes = {f["id"]: _box(f) for f in (regions or {}).get("features", [])}
    largest = float(rf["value"].max()) if not rf.empty else 0.0
    points = []
    for r in rf.itertuples():
        radius = point_radius(float(r.value), largest)
        if pd.isna(r.iso_3166_2) and not pd.isna(r.lat):
            # A figure for a place that is not a region on this map (Ménaka, inside Gao here).
            points.append(_point(float(r.lon), float(r.lat), {"key": r.region_en, "radius": radius}))
        elif r.iso_3166_2 in region_boxes and _is_small(region_boxes[r.iso_3166_2]):
            # A region too small to click at the country's zoom (Bamako): its figure also gets a point.
            (x0, y0), (x1, y1) = region_boxes[r.iso_3166_2]
            points.append(_point((x0 + x1) / 2, (y0 + y1) / 2, {"key": r.iso_3166_2, "radius": radius}))
    return points


def _offices(of, points: list[dict]) -> dict:
    """The offices, each shifted off a figure point at the same place."""
    features = []
    for r in of.itertuples():
        lon, lat = float(r.lon), float(r.lat)
        shift = _office_shift(lon, lat, points)
        features.append(
            _point(lon, lat, {"key": r.office, "office_type": r.office_type} | ({"shift": shift} if shift else {}))
        )
    return _collection(features)


@cached(maxsize=64)
def static(ds: Dataset, operation: str) -> MapStatic:
    """The operation's geometry, the same for every selection: sent once, styled through the hideout."""
    op = ds.operations.loc[operation]
    outline = _outline(ds, operation)
    rf = rows_of(ds, "region_figures", operation)
    regions = _regions(ds, rf) if outline else None
    points = _figure_points(rf, regions)
    return MapStatic(
        has_geometry=outline is not None,
        outline=outline,
        regions=regions,
        points=_collection(points),
        offices=_offices(rows_of(ds, "offices", operation), points),
        bounds=_bounds(outline) if outline else None,
        centre=[float(op["centre_lat"]), float(op["centre_lon"])],
    )


def layers(ds: Dataset, operation: str) -> dict:
    """Outline, regions, points, offices and the viewport that fits them: sent when the operation changes."""
    st = static(ds, operation)
    viewport = {"bounds": st.bounds, "transition": "fitBounds"} if st.bounds else {"center": st.centre, "zoom": 5}
    return {
        "outline": st.outline or EMPTY,
        "regions": st.regions or EMPTY,
        "points": st.points,
        "offices": st.offices,
        "viewport": viewport,
    }


def office_details(ds: Dataset, operation: str, key: str, lang: str) -> dict | None:
    """Name, type and as-of date of one office, or None when the key is not an office of the operation."""
    of = rows_of(ds, "offices", operation)
    of = of[of["office"] == key]
    if of.empty:
        return None
    r = of.iloc[0]
    return {
        "name": names.office_name(r, lang),
        "type": t(r["office_type"], lang),
        "as_of": f"{t('as_of', lang)} {i18n.month(r['as_of'], lang)}",
        "source": source_line(ds, [r["source"]], lang),
    }


@cached(maxsize=512)
def _panel_dates(ds: Dataset, sel: Selection, regions_date: str) -> str:
    """The panel's total and the regions are figures of two dates and sources: say which is which."""
    total = people_of_concern(ds, sel.operation, sel.year, sel.source, sel.groups)
    if not total.as_of or not regions_date:
        return ""
    citation = source_field(ds.source(total.sources[0]), "citation", sel.lang)
    return t(
        "map_panel_dates", sel.lang, date=i18n.date(total.as_of, sel.lang), citation=citation, regions_date=regions_date
    )


def _region_values(rf, lang: str) -> dict:
    """Each region's (or point's) name, figure, figure in words and colour class, by its key."""
    values = {}
    for r in rf.itertuples():
        key = r.iso_3166_2 if not pd.isna(r.iso_3166_2) else r.region_en
        values[key] = {
            "name": r.region_fr if lang == "fr" else r.region_en,
            "value": int(r.value),
            "text": i18n.number(int(r.value), lang),
            "cls": _classify(int(r.value)),
        }
    return values


def _region_hideout(values: dict, region_names: dict, lang: str) -> dict:
    """What restyles and labels the regions and points in the browser (assets/dashboard.js)."""
    lbl_people = t("refugees_and_asylum_seekers", lang)
    return {
        "values": values,
        "labels": {
            key: {
                "name": values[key]["name"] if key in values else region_names.get(key, key),
                "line": t(
                    "label_value",
                    lang,
                    label=lbl_people,
                    value=values[key]["text"] if key in values else t("no_data", lang),
                ),
            }
            for key in [*region_names, *values]
        },
        "colours": list(CLASS_COLOURS),
        "noData": NO_DATA_COLOUR,
    }


def _office_hideout(of, lang: str) -> dict:
    return {
        "offices": {
            r.office: {
                "name": names.office_name(r, lang),
                "type": t(r.office_type, lang),
                "typeLine": t("label_value", lang, label=t("office_type", lang), value=t(r.office_type, lang)),
                "asOf": f"{t('as_of', lang)} {i18n.month(r.as_of, lang)}",
            }
            for r in of.itertuples()
        },
    }


def _legend_rows(lang: str) -> tuple[tuple[str, str], ...]:
    """Each colour class and its range of figures, then "no data"."""
    limits = (0, *CLASS_LIMITS)
    return tuple(
        (
            colour,
            f"{i18n.number(lo, lang)} – {i18n.number(limits[i + 1] - 1, lang)}"
            if i + 1 < len(limits)
            else f"≥ {i18n.number(lo, lang)}",
        )
        for i, (colour, lo) in enumerate(zip(CLASS_COLOURS, limits, strict=True))
    ) + ((NO_DATA_COLOUR, t("no_data", lang)),)


def _map_notes(st: MapStatic, region_names: dict, lang: str) -> tuple[str, ...]:
    notes = []
    point_keys = [f["properties"]["key"] for f in st.points["features"]]
    if any(key not in region_names for key in point_keys):
        notes.append(t("menaka_note", lang))
    small = [region_names[key] for key in point_keys if key in region_names]
    if small:
        notes.append(t("small_region_note", lang, names=", ".join(small)))
    if not st.has_geometry:
        notes.append(t("map_no_geometry", lang))
    return tuple(notes)


def _region_tables(values: dict, region_names: dict, lang: str) -> tuple[Table, Table]:
    """Every region in the language's order (Ménaka before Mopti), "no data" where the source has none; and
    the same rows, largest figure first, regions without a figure last, in the language's order."""
    header = (t("region", lang), t("refugees_and_asylum_seekers", lang))
    missing = [(label, t("no_data", lang)) for code, label in region_names.items() if code not in values]
    by_name = sorted([(v["name"], v["text"]) for v in values.values()] + missing, key=lambda r: sort_key(r[0], lang))
    by_figure = [(v["name"], v["text"]) for v in sorted(values.values(), key=lambda v: (-v["value"], v["name"]))]
    by_figure += sorted(missing, key=lambda row: sort_key(row[0], lang))
    return Table(header, tuple(by_name)), Table(header, tuple(by_figure))


def _regions_download(ds: Dataset, op: str, rf, lang: str) -> Download:
    return Download(
        filename=filename(ds, op, "regions"),
        columns=("operation", "region", "iso_3166_2", "group", "value", "as_of"),
        rows=tuple(
            (op, r.region_en, "" if pd.isna(r.iso_3166_2) else r.iso_3166_2, r.group, int(r.value), str(r.as_of))
            for r in rf.itertuples()
        ),
        source_ids=tuple(sorted(set(rf["source"]))),
        notes=(t("note_regions", lang),),
    )


def build(ds: Dataset, sel: Selection) -> MapView:
    lang, op = sel.lang, sel.operation
    rf, of = rows_of(ds, "region_figures", op), rows_of(ds, "offices", op)
    values = _region_values(rf, lang)
    st = static(ds, op)
    region_names = {
        f["id"]: f["properties"]["name_fr" if lang == "fr" else "name"] for f in (st.regions or {}).get("features", [])
    }
    dates = sorted(set(rf["as_of"].astype(str)))
    as_of = i18n.date(dates[-1], lang) if dates else ""
    fig = people.build(ds, sel)
    sources = sorted(set(rf["source"]) | set(of["source"]))
    if st.has_geometry:
        sources.append("natural_earth")
    office_dates = sorted(set(of["as_of"]))
    by_name, by_figure = _region_tables(values, region_names, lang)
    return MapView(
        region_hideout=_region_hideout(values, region_names, lang),
        office_hideout=_office_hideout(of, lang),
        country_title=fig.title,
        country_value=fig.total_text,
        country_note=fig.notes[0] if fig.notes else "",
        country_dates=_panel_dates(ds, sel, as_of),
        title=t("map_title_dated", lang, date=as_of) if as_of else t("map_title", lang),
        legend_title=t("map_region_legend", lang, date=as_of),
        legend=_legend_rows(lang),
        offices_title=t("map_offices_legend", lang, date=i18n.month(office_dates[-1], lang) if office_dates else ""),
        office_legend=tuple((ot, t(ot, lang)) for ot in OFFICE_TYPES if ot in set(of["office_type"])),
        notes=_map_notes(st, region_names, lang),
        source=sources_text(ds, sources, lang),
        disclaimer=t("map_disclaimer", lang),
        table=by_name,
        table_by_figure=by_figure,
        download=_regions_download(ds, op, rf, lang),
    )


def region_label(view: MapView, key) -> dict | None:
    """Name, what is counted and the figure of a region or point: the popup's text and the details panel's."""
    return view.region_hideout["labels"].get(key) if isinstance(key, str) else None


def tile_layer() -> list:
    """A base tile layer only when DASHBOARD_TILE_URL is set: by default the map makes no outside request."""
    url = os.environ.get("DASHBOARD_TILE_URL", "").strip()
    if not url:
        return []
    return [dl.TileLayer(url=url, attribution=os.environ.get("DASHBOARD_TILE_ATTRIBUTION", ""))]


def _layers(ds: Dataset, operation: str) -> list:
    st = static(ds, operation)
    return [
        *tile_layer(),
        dl.GeoJSON(
            id=ids.MAP_OUTLINE,
            data=st.outline or EMPTY,
            style={"color": "#1f1f1f", "weight": 2, "fill": False},
            interactive=False,
            attribution="Natural Earth",
        ),
        dl.GeoJSON(
            id=ids.MAP_REGIONS,
            data=st.regions or EMPTY,
            style={"variable": "dashboard.map.regionStyle"},
            onEachFeature={"variable": "dashboard.map.regionEach"},
            hideout={},
        ),
        dl.GeoJSON(
            id=ids.MAP_MENAKA,
            data=st.points,
            pointToLayer={"variable": "dashboard.map.pointToLayer"},
            onEachFeature={"variable": "dashboard.map.pointEach"},
            hideout={},
        ),
        dl.LayerGroup(id=ids.MAP_NAMES),
        dl.GeoJSON(
            id=ids.MAP_OFFICES,
            data=st.offices,
            pointToLayer={"variable": "dashboard.map.officeToLayer"},
            onEachFeature={"variable": "dashboard.map.officeEach"},
            hideout={},
        ),
    ]


FIT = {"padding": [10, 10]}  # px between the country and the map's edges


def _middle(bounds: list) -> list[float]:
    """The centre of the country's box: the map's centre is the country's, never a typed point."""
    (south, west), (north, east) = bounds
    return [(south + north) / 2, (west + east) / 2]


def card(ds: Dataset, sel: Selection) -> html.Section:
    st = static(ds, sel.operation)
    # The country's bounds fit it in the map's box at any width (320 px up); `center` (dash-leaflet compares it on
    # every move, so it is always set) is the country's middle. A `zoom` beside them won on phones, and a typed
    # centre then pushed Kayes and Bamako out of the frame.
    placement = (
        {"bounds": st.bounds, "center": _middle(st.bounds), "boundsOptions": FIT}
        if st.bounds
        else {"center": st.centre, "zoom": 5}
    )
    leaflet = dl.MapContainer(
        _layers(ds, sel.operation),
        id=ids.MAP_LEAFLET,
        keyboard=True,
        scrollWheelZoom=False,
        attributionControl=True,
        minZoom=3,
        # Fit the country at fractional zoom levels: whole levels cropped the west of Mali on a phone.
        zoomSnap=0.25,
        maxZoom=10,
        **placement,
    )
    return common.card(
        ID,
        [
            html.Div(
                [leaflet, drawn(html.Div(id=ids.MAP_COUNTRY, className="map-country", role="status"))],
                className="map-wrap",
            ),
            html.Div(id=ids.MAP_DETAILS, className="map-details", role="status"),
            drawn(html.Div(id=ids.MAP_LEGEND)),
            html.Details(
                [
                    html.Summary(id=ids.summary_of(ids.MAP_TABLE)),
                    # The order of the table, chosen in the browser: the stylesheet shows the table of that order.
                    html.Fieldset(
                        [
                            html.Legend(id=ids.MAP_TABLE_SORT_LABEL),
                            dbc.RadioItems(
                                id=ids.MAP_TABLE_SORT,
                                name=ids.MAP_TABLE_SORT,
                                options=[],
                                value="figure",
                                inline=True,
                                class_name="radio-row",
                            ),
                        ],
                        className="region-sort",
                    ),
                    drawn(html.Div(id=ids.MAP_TABLE)),
                ],
                className="table-alt region-table",
            ),
        ],
        wide=True,
        after_download=[html.P(id=ids.MAP_DISCLAIMER, className="disclaimer")],
    )


def _legend(view: MapView) -> list:
    return [
        html.P(view.legend_title, className="note"),
        html.Ul(
            [
                html.Li([html.Span(className="swatch", style={"background": colour}), text])
                for colour, text in view.legend
            ],
            className="legend",
        ),
        html.P(view.offices_title, className="note"),
        html.Ul(
            [
                html.Li([html.Span(html.Span(), className=f"office-icon office-{kind}"), text])
                for kind, text in view.office_legend
            ],
            className="legend",
        ),
        *notes(view.notes),
    ]


def region_names(ds: Dataset, sel: Selection) -> list:
    """Each region's name on the map, always shown where it fits (map_names), so a shade says where it is
    without a tap; a region too small to hold its name (Bamako) is named by its figure point's popup, and the
    table names them all. A name that fits only on wider screens is hidden on a phone by its class."""
    st = static(ds, sel.operation)
    if not st.regions:
        return []
    key = "name_fr" if sel.lang == "fr" else "name"
    regions = [(f["properties"][key], f) for f in st.regions["features"] if not _is_small(_box(f))]
    marks = [(*f["geometry"]["coordinates"], f["properties"]["radius"], (0, 0)) for f in st.points["features"]]
    marks += [
        (*f["geometry"]["coordinates"], OFFICE_ICON_PX / 2, tuple(f["properties"].get("shift", (0, 0))))
        for f in st.offices["features"]
    ]
    return [
        dl.CircleMarker(
            center=[name.lat, name.lon],
            radius=0,
            stroke=False,
            fill=False,
            interactive=False,
            children=dl.Tooltip(
                name.text,
                permanent=True,
                direction="center",
                offset=list(name.offset),
                className=f"region-name fits-{name.fits}",
            ),
        )
        for name in map_names.place(regions, marks, st.bounds)
    ]


def fill(ds: Dataset, sel: Selection) -> dict:
    """Hideouts that restyle the layers in the browser, the country panel, legend, table, by name."""
    v = build(ds, sel)
    lang = sel.lang
    country = [
        html.Span(v.country_title, className="note"),
        html.P(v.country_value, className="big"),
        html.Span(v.country_note, className="note"),
        html.P(v.country_dates, className="note dates"),
        *notes(people.build(ds, sel).context),
    ]
    return (
        frame_fill(ds, sel, ID, v.title, v.source, dates(ds, sel))
        | {
            (ids.MAP_REGIONS, "hideout"): v.region_hideout,
            # The Ménaka point is styled and labelled like the regions.
            (ids.MAP_MENAKA, "hideout"): v.region_hideout,
            (ids.MAP_OFFICES, "hideout"): v.office_hideout,
            (ids.MAP_NAMES, "children"): region_names(ds, sel),
            (ids.MAP_DISCLAIMER, "children"): v.disclaimer,
        }
        | drawn_fill(ids.MAP_COUNTRY, country)
        | drawn_fill(ids.MAP_LEGEND, _legend(v))
        | table_fill(
            ids.MAP_TABLE,
            lang,
            [
                html.Div(data_table(v.table_by_figure, v.legend_title), className="by-figure"),
                html.Div(data_table(v.table, v.legend_title), className="by-name"),
            ],
        )
        | {
            (ids.MAP_TABLE_SORT_LABEL, "children"): t("sort_by", lang),
            (ids.MAP_TABLE_SORT, "options"): [
                {"label": t("region_sort_figure", lang), "value": "figure"},
                {"label": t("region_sort_name", lang), "value": "name"},
            ],
        }
    )


def details(ds: Dataset, sel: Selection, layer: str | None, click) -> list:
    """The details panel after a click on an office, a region or the Ménaka point; a hint otherwise."""
    hint = [html.Span(t("map_details", sel.lang))]
    if not isinstance(click, dict):
        return hint
    props = click.get("properties") if isinstance(click.get("properties"), dict) else {}
    if layer == ids.MAP_OFFICES:
        office = office_details(ds, sel.operation, str(props.get("key")), sel.lang)
        if not office:
            return hint
        return [
            html.Strong(office["name"]),
            html.Span(f" — {office['type']}. {office['as_of']}."),
            html.Br(),
            html.Span(office["source"], className="source"),
        ]
    key = click.get("id") if layer == ids.MAP_REGIONS else props.get("key")
    label = region_label(build(ds, sel), key) if layer in (ids.MAP_REGIONS, ids.MAP_MENAKA) else None
    if label is None:
        return hint
    return [html.Strong(label["name"]), html.Span(f" — {label['line']}")]


def download(ds: Dataset, sel: Selection) -> Download:
    return build(ds, sel).download


def dates(ds: Dataset, sel: Selection) -> ViewDates:
    """When the regions' figures, the offices, the people of concern of the year and (when the data have
    it) the country population were counted, and when their sources were published."""
    op = sel.operation
    people = people_of_concern(ds, op, sel.year, sel.source)
    regions, offices = rows_of(ds, "region_figures", op), rows_of(ds, "offices", op)
    population = country_population(ds, op, sel.year)
    refs = [Reference("regions", "day", d) for d in sorted({str(d) for d in regions["as_of"]})]
    refs += [Reference("offices", "month", m) for m in sorted(set(offices["as_of"]))]
    refs += people_reference(people)
    sources = [*regions["source"], *offices["source"], *people.sources]
    if population is not None:
        refs.append(Reference("country_population", "day", population.as_of))
        sources.append(population.source)
    return ViewDates(tuple(refs), published(ds, sources))


charts = None  # a Leaflet map, not a plotly chart: its table alternative is filled with the rest
