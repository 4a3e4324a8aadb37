"""Checks across rows and files, on the parsed frames: unique keys, known operations and sources, totals
that agree with their groups, pillars that add up to the year's total, region codes the map knows."""

from __future__ import annotations

import pandas as pd

from ..safety import quote

# Pillars must add up to the total within the source's rounding: USD 1,000 (0.001 million).
PILLAR_TOLERANCE_MUSD = 0.001


def check_unique(name: str, frame: pd.DataFrame, keys: tuple[str, ...], problems: list[str]) -> None:
    if not keys or frame.empty:
        return
    dup = frame[frame.duplicated(list(keys), keep="first")]
    for _, row in dup.iterrows():
        key = ", ".join(f"{k}={row[k]}" for k in keys)
        problems.append(
            f"{name}: line {row['line']}, field '{keys[-1]}': duplicate entry ({key}), expected one row per key"
        )


def check_references(frames: dict[str, pd.DataFrame], problems: list[str]) -> None:
    """Every row names a source of sources.csv and an operation of operations.csv."""
    known_sources = set(frames["sources.csv"]["source"])
    known_ops = set(frames["operations.csv"]["operation"])
    for name, frame in frames.items():
        if name != "sources.csv":
            _check_refs(name, frame, "source", known_sources, "source listed in sources.csv", problems)
        if name not in ("sources.csv", "operations.csv"):
            _check_refs(name, frame, "operation", known_ops, "operation listed in operations.csv", problems)


def _check_refs(name: str, frame: pd.DataFrame, column: str, known: set, what: str, problems: list[str]) -> None:
    for _, row in frame[~frame[column].isin(known)].iterrows():
        problems.append(
            f"{name}: line {row['line']}, field '{column}': value {quote(str(row[column]))}, expected a {what}"
        )


def check_totals(groups: pd.DataFrame, totals: pd.DataFrame, problems: list[str]) -> None:
    """Where the source gives a total and its groups, they must agree exactly."""
    sums = groups.groupby(["operation", "dataset", "year"])["value"].sum()
    for _, row in totals.iterrows():
        key = (row["operation"], row["dataset"], row["year"])
        if key in sums.index and sums[key] != row["value"]:
            problems.append(
                f"population_totals.csv: line {row['line']}, field 'value': value {row['value']}, "
                f"expected {sums[key]} (the sum of its groups in population_groups.csv)"
            )


def check_pillars(budget: pd.DataFrame, problems: list[str]) -> None:
    """The four pillars add up to each year's total within rounding; a missing total has no pillars.

    Column-wise (grouped sums joined to the totals), so 150 operations x 30 years check in milliseconds.
    """
    keys = ["operation", "year", "kind"]
    parts = budget[budget["pillar"] != "total"].groupby(keys)
    pillars = pd.DataFrame({"sum": parts["usd_millions"].sum(min_count=1), "first_line": parts["line"].min()})
    totals = budget[budget["pillar"] == "total"].set_index(keys)[["usd_millions", "line"]]
    joined = pillars.join(totals, how="left")
    for (op, year, kind), row in joined[joined["line"].isna()].iterrows():
        problems.append(
            f"budget.csv: line {int(row['first_line'])}, field 'pillar': {op} {year} {kind} has pillars but no total "
            "row, expected a row with pillar 'total'"
        )
    present = joined[joined["line"].notna() & joined["sum"].notna()]
    for (op, year, kind), row in present[present["usd_millions"].isna()].iterrows():
        problems.append(
            f"budget.csv: line {int(row['line'])}, field 'usd_millions': empty total for {op} {year} {kind}, "
            f"expected {row['sum']:.8f} (the sum of its pillars)"
        )
    off = present[
        present["usd_millions"].notna() & ((present["sum"] - present["usd_millions"]).abs() > PILLAR_TOLERANCE_MUSD)
    ]
    for _, row in off.iterrows():
        problems.append(
            f"budget.csv: line {int(row['line'])}, field 'usd_millions': value {row['usd_millions']!r}, "
            f"expected {row['sum']:.8f} (the sum of pillars p1-p4, within {PILLAR_TOLERANCE_MUSD} million)"
        )


def check_regions(regions: pd.DataFrame, geometry: dict | None, problems: list[str]) -> None:
    """Each region figure is placed on the map: by a region code of geo/regions.geojson, or by a point."""
    known_codes = {
        f["properties"]["iso_3166_2"]
        for f in (geometry or {}).get("features", [])
        if isinstance(f, dict)
        and isinstance(f.get("properties"), dict)
        and isinstance(f["properties"].get("iso_3166_2"), str)
    }
    for _, row in regions.iterrows():
        has_point = not pd.isna(row["lat"]) and not pd.isna(row["lon"])
        if pd.isna(row["iso_3166_2"]) and not has_point:
            problems.append(
                f"region_figures.csv: line {row['line']}, field 'iso_3166_2': empty, "
                "expected a region code of geo/regions.geojson or a lat/lon point"
            )
        elif not pd.isna(row["iso_3166_2"]) and row["iso_3166_2"] not in known_codes:
            problems.append(
                f"region_figures.csv: line {row['line']}, field 'iso_3166_2': value {row['iso_3166_2']!r}, "
                "expected a region code of geo/regions.geojson"
            )
