"""The map: vector layers (sent once per operation) and the hideout that styles and labels them.

Geometry never changes with the selection; only the small `hideout` dicts do, so a year or language change
sends a few hundred bytes to the browser, where assets/dashboard.js restyles the layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import i18n
from ..data import Dataset, rows_of
from ..i18n import t
from ..selection import Selection
from . import people
from .common import Download, Table, source_line, sources_text

# Sequential blues (ColorBrewer), readable by people with colour-blindness; class limits in people.
CLASS_LIMITS = (1_000, 5_000, 10_000, 15_000)
CLASS_COLOURS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA_COLOUR = "#f2f2f2"
OFFICE_TYPES = ("country_office", "sub_office", "field_office", "field_unit")
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
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    offices_title: str
    office_legend: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    source: str
    disclaimer: str
    label: str
    download: Download
    table: Table


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


def _classify(value: int) -> int:
    return sum(value >= limit for limit in CLASS_LIMITS)


@lru_cache(maxsize=256)
def static(ds: Dataset, operation: str) -> MapStatic:
    op = ds.operations.loc[operation]
    centre = [float(op["centre_lat"]), float(op["centre_lon"])]
    outline_all, regions_all = ds.geo.get("outline"), ds.geo.get("regions")
    outline = None
    if outline_all:
        features = [f for f in outline_all["features"] if f["properties"].get("iso3") == operation]
        outline = {"type": "FeatureCollection", "features": features} if features else None
    regions = None
    if outline and regions_all:
        prefix = None
        rf = rows_of(ds, "region_figures", operation)
        codes = set(rf["iso_3166_2"].dropna())
        if codes:
            prefix = next(iter(codes)).split("-")[0] + "-"
        features = [
            {
                "type": "Feature",
                "id": f["properties"]["iso_3166_2"],
                "properties": dict(f["properties"]),
                "geometry": f["geometry"],
            }
            for f in regions_all["features"]
            if prefix and f["properties"]["iso_3166_2"].startswith(prefix)
        ]
        regions = {"type": "FeatureCollection", "features": features} if features else None
    rf = rows_of(ds, "region_figures", operation)
    points = {
        "type": "FeatureCollection",
        "features": [
            _point(float(r.lon), float(r.lat), {"key": r.region_en})
            for r in rf.itertuples()
            if pd.isna(r.iso_3166_2) and not pd.isna(r.lat)
        ],
    }
    of = rows_of(ds, "offices", operation)
    offices = {
        "type": "FeatureCollection",
        "features": [
            _point(float(r.lon), float(r.lat), {"key": r.office, "office_type": r.office_type}) for r in of.itertuples()
        ],
    }
    return MapStatic(
        has_geometry=outline is not None,
        outline=outline,
        regions=regions,
        points=points,
        offices=offices,
        bounds=_bounds(outline) if outline else None,
        centre=centre,
    )


def layers(ds: Dataset, operation: str) -> tuple[dict, dict, dict, dict, dict]:
    """Outline, regions, points, offices and the viewport that fits them: sent when the operation changes."""
    st = static(ds, operation)
    viewport = {"bounds": st.bounds, "transition": "fitBounds"} if st.bounds else {"center": st.centre, "zoom": 5}
    return st.outline or EMPTY, st.regions or EMPTY, st.points, st.offices, viewport


def office_details(ds: Dataset, operation: str, key: str, lang: str) -> dict | None:
    """Name, type and as-of date of one office, or None when the key is not an office of the operation."""
    of = rows_of(ds, "offices", operation)
    of = of[of["office"] == key]
    if of.empty:
        return None
    r = of.iloc[0]
    return {
        "name": r["office"],
        "type": t(r["office_type"], lang),
        "as_of": f"{t('as_of', lang)} {i18n.month(r['as_of'], lang)}",
        "source": source_line(ds, [r["source"]], lang),
    }


@lru_cache(maxsize=512)
def build(ds: Dataset, sel: Selection) -> MapView:
    lang, op = sel.lang, sel.operation
    rf = rows_of(ds, "region_figures", op)
    values = {}
    for r in rf.itertuples():
        key = r.iso_3166_2 if not pd.isna(r.iso_3166_2) else r.region_en
        values[key] = {
            "name": r.region_fr if lang == "fr" else r.region_en,
            "text": i18n.number(int(r.value), lang),
            "cls": _classify(int(r.value)),
        }
    st = static(ds, op)
    region_names = {
        f["id"]: f["properties"]["name_fr" if lang == "fr" else "name"] for f in (st.regions or {}).get("features", [])
    }
    dates = sorted(set(rf["as_of"].astype(str)))
    as_of = i18n.date(dates[-1], lang) if dates else ""
    lbl_people = t("refugees_and_asylum_seekers", lang)
    region_hideout = {
        "values": values,
        "names": region_names,
        "colours": list(CLASS_COLOURS),
        "noData": NO_DATA_COLOUR,
        "noDataText": t("no_data", lang),
        "what": lbl_people,
    }
    of = rows_of(ds, "offices", op)
    office_hideout = {
        "offices": {
            r.office: {
                "name": r.office,
                "type": t(r.office_type, lang),
                "asOf": f"{t('as_of', lang)} {i18n.month(r.as_of, lang)}",
            }
            for r in of.itertuples()
        },
        "typeLabel": t("office_type", lang),
    }
    fig = people.build(ds, sel)
    limits = (0, *CLASS_LIMITS)
    legend = tuple(
        (
            colour,
            f"{i18n.number(lo, lang)} – {i18n.number(limits[i + 1] - 1, lang)}"
            if i + 1 < len(limits)
            else f"≥ {i18n.number(lo, lang)}",
        )
        for i, (colour, lo) in enumerate(zip(CLASS_COLOURS, limits, strict=True))
    ) + ((NO_DATA_COLOUR, t("no_data", lang)),)
    notes = []
    if len(st.points["features"]):
        notes.append(t("menaka_note", lang))
    if not st.has_geometry:
        notes.append(t("map_no_geometry", lang))
    sources = sorted(set(rf["source"]) | set(of["source"]))
    if st.has_geometry:
        sources.append("natural_earth")
    office_dates = sorted(set(of["as_of"]))
    name = ds.operations.loc[op, "name_fr" if lang == "fr" else "name_en"]
    return MapView(
        region_hideout=region_hideout,
        office_hideout=office_hideout,
        country_title=t(
            "map_country",
            lang,
            year=people.year_label(people.year_figure(ds, op, sel.source, sel.year, sel.groups), lang),
        ),
        country_value=fig.total_text,
        country_note=fig.notes[0] if fig.notes else "",
        legend_title=t("map_region_legend", lang, date=as_of),
        legend=legend,
        offices_title=t("map_offices_legend", lang, date=i18n.month(office_dates[-1], lang) if office_dates else ""),
        office_legend=tuple((ot, t(ot, lang)) for ot in OFFICE_TYPES if ot in set(of["office_type"])),
        notes=tuple(notes),
        source=sources_text(ds, sources, lang),
        disclaimer=t("map_disclaimer", lang),
        label=t("map_label", lang, name=name),
        table=Table(
            (t("region", lang), t("refugees_and_asylum_seekers", lang)),
            tuple((value["name"], value["text"]) for value in sorted(values.values(), key=lambda v: v["name"]))
            + tuple(
                (label, t("no_data", lang))
                for code, label in sorted(region_names.items(), key=lambda kv: kv[1])
                if code not in values
            ),
        ),
        download=Download(
            filename=f"{ds.operations.loc[op, 'name_en'].lower()}-regions.csv".replace(" ", "-"),
            columns=("operation", "region", "iso_3166_2", "group", "value", "as_of"),
            rows=tuple(
                (op, r.region_en, "" if pd.isna(r.iso_3166_2) else r.iso_3166_2, r.group, int(r.value), str(r.as_of))
                for r in rf.itertuples()
            ),
            source_ids=tuple(sorted(set(rf["source"]))),
            notes=("Regions without a row have no figure in the source.",),
        ),
    )
