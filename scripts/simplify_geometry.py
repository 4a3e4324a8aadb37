"""Copy the Natural Earth layers from ../shared/data into data/geo/, simplified for slow links.

Run once by a maintainer (not at run time): Douglas-Peucker at TOLERANCE degrees, then coordinates
rounded to 3 decimals (about 100 m), which is finer than the 1:10m source can claim.
"""

import json
import sys
from pathlib import Path

TOLERANCE = 0.01
ROOT = Path(__file__).resolve().parent.parent


def _dp(points, tol):
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        if d > best:
            best, index = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return _dp(points[: index + 1], tol)[:-1] + _dp(points[index:], tol)


def _ring(ring):
    out = [[round(x, 3), round(y, 3)] for x, y in _dp(ring, TOLERANCE)]
    return out if len(out) >= 4 else [[round(x, 3), round(y, 3)] for x, y in ring]


def _geometry(geom):
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r) for r in geom["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[_ring(r) for r in p] for p in geom["coordinates"]]}


def main(shared: Path) -> None:
    layers = {
        "mali_admin1_ne_10m.geojson": ("regions.geojson", ["iso_3166_2", "name", "name_fr"]),
        "mali_country_ne_50m.geojson": ("outline.geojson", ["iso3", "name"]),
    }
    for src, (dst, keep) in layers.items():
        data = json.loads((shared / src).read_text(encoding="utf-8"))
        features = [
            {
                "type": "Feature",
                "id": f["properties"].get("iso_3166_2") or f["properties"].get("iso3"),
                "properties": {k: f["properties"][k] for k in keep},
                "geometry": _geometry(f["geometry"]),
            }
            for f in data["features"]
        ]
        out = {"type": "FeatureCollection", "features": features}
        text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
        (ROOT / "data" / "geo" / dst).write_text(text, encoding="utf-8")
        print(dst, len(text.encode()), "bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
