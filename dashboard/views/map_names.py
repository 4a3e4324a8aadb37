"""Where the map names its regions: each name at the centroid of its region's largest part, shown only at the
widths where it fits (clear of the other names, the figure points and the office icons).

The map fits the country to its box (mapview.card), so its scale at a given box width follows from the
country's bounds; the names are placed, largest region first, at a phone's scale and a laptop's. A name that
collides at the phone's scale is marked to show only on wider screens; one that collides even there is left
out (the table names every region, and a tap on a region names it).
"""

from __future__ import annotations

import math
from typing import NamedTuple

# The map's box at the narrowest phone (320 px wide page) and on a laptop (1366 px), less the fit's padding on
# each side (mapview.FIT): the scale the names are placed at.
PHONE_BOX_PX = (274 - 20, 360 - 20)
WIDE_BOX_PX = (996 - 20, 440 - 20)
# A name's box: about 6.4 px per character of the 11 px bold label (assets/dashboard.css .region-name), 16 px
# high, and a 3 px gap kept around it.
CHAR_PX, LINE_PX, GAP_PX = 6.4, 16, 3
OFFICE_ICON_PX = 24


# Where a name may sit, in px from its region's centroid (Leaflet's tooltip offset), in order of preference.
OFFSETS = ((0, 0), (0, -16), (0, 16), (-18, 0), (18, 0))


class Name(NamedTuple):
    """A region's name, where it goes (lon, lat, and a px offset from there), and where it fits: 'all', or
    'wide' (not on a phone)."""

    text: str
    lon: float
    lat: float
    offset: tuple[int, int]
    fits: str


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """A ring's centroid (lon, lat) and its absolute area in square degrees (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return ring[0][0], ring[0][1], 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def label_point(feature: dict) -> tuple[float, float, float]:
    """A region's name's place: the centroid of its largest part's outline (inside Kayes or Tombouctou, where
    the middle of the region's box can fall outside it), and that part's area."""
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return max((_ring_centroid(polygon[0]) for polygon in polygons), key=lambda c: c[2])


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _scale(bounds: list, box: tuple[int, int]) -> float:
    """Pixels per degree (of longitude, and of Mercator latitude) when `bounds` fit `box`."""
    (south, west), (north, east) = bounds
    return min(box[0] / (east - west), box[1] / (_mercator(north) - _mercator(south)))


def _rect(lon: float, lat: float, half_w: float, half_h: float, scale: float, offset=(0, 0)) -> tuple:
    x, y = lon * scale + offset[0], -_mercator(lat) * scale + offset[1]
    return x - half_w, y - half_h, x + half_w, y + half_h


def _clear(rect, taken) -> bool:
    return all(rect[2] <= r[0] or r[2] <= rect[0] or rect[3] <= r[1] or r[3] <= rect[1] for r in taken)


class _Scale:
    """The names placed so far at one scale, and the marks they keep clear of."""

    def __init__(self, bounds: list, box: tuple[int, int], marks):
        self.scale = _scale(bounds, box)
        self.taken = [_rect(lon, lat, half, half, self.scale, shift) for lon, lat, half, shift in marks]

    def rect(self, text: str, lon: float, lat: float, offset) -> tuple:
        return _rect(lon, lat, len(text) * CHAR_PX / 2 + GAP_PX, LINE_PX / 2 + GAP_PX, self.scale, offset)

    def fits(self, rect) -> bool:
        return _clear(rect, self.taken)


def place(regions: list[tuple[str, dict]], marks: list[tuple], bounds: list) -> list[Name]:
    """The names of `regions` ((name, GeoJSON feature)) that fit, and where, largest region first: `marks` are
    the figure points and office icons (lon, lat, half their size in px, their shift in px) the names keep
    clear of. A name takes
    the first place (OFFSETS) clear on a laptop, and shows on a phone when that place is clear there too."""
    located = sorted(((text, *label_point(f)) for text, f in regions), key=lambda item: item[3], reverse=True)
    phone, wide = _Scale(bounds, PHONE_BOX_PX, marks), _Scale(bounds, WIDE_BOX_PX, marks)
    names = []
    for text, lon, lat, _ in located:
        offset = next((o for o in OFFSETS if wide.fits(wide.rect(text, lon, lat, o))), None)
        if offset is None:
            continue
        wide.taken.append(wide.rect(text, lon, lat, offset))
        on_phone = phone.rect(text, lon, lat, offset)
        fits = "all" if phone.fits(on_phone) else "wide"
        if fits == "all":
            phone.taken.append(on_phone)
        names.append(Name(text, lon, lat, offset, fits))
    return names
