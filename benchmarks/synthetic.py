"""Synthetic data of the dashboard's shape at scale: 150 operations, 30 years, 50,000 contributions.

`python -m benchmarks.synthetic DIR` writes a data directory that passes `python -m dashboard check`;
Mali stays as shipped (so the same selection can be compared), the other operations are made up.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from pathlib import Path

from dashboard.data import DEFAULT_DATA_DIR, GROUPS, PILLARS

OPERATIONS = 150
YEARS = range(1996, 2026)
CONTRIBUTIONS = 50_000


def _codes(n: int) -> list[str]:
    rng = random.Random(1)
    codes: set[str] = set()
    while len(codes) < n:
        code = "".join(rng.choice("ABCDEFGHIJKLNOPQRSTUVWXYZ") for _ in range(3))
        if code != "MLI":
            codes.add(code)
    return sorted(codes)


def _append(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


def write(target: Path, operations: int = OPERATIONS, contributions_count: int = CONTRIBUTIONS) -> None:
    shutil.copytree(DEFAULT_DATA_DIR, target, dirs_exist_ok=True)
    rng = random.Random(7)
    ops = _codes(operations - 1)
    src = "synthetic"
    _append(
        target / "sources.csv",
        [
            {
                "source": src,
                "title": "Synthetic benchmark data (not real figures)",
                "publisher": "benchmarks",
                "date": "",
                "licence": "none",
                "citation": "Synthetic data",
                "title_fr": "Données synthétiques de test (pas de vrais chiffres)",
                "licence_fr": "aucune",
                "citation_fr": "Données synthétiques",
            }
        ],
    )
    _append(
        target / "operations.csv",
        [
            {
                "operation": o,
                "name_en": f"Operation {o}",
                "name_fr": f"Opération {o}",
                "centre_lon": 0,
                "centre_lat": 0,
                "default_year": 2019,
                "source": src,
            }
            for o in ops
        ],
    )
    groups, totals, budget = [], [], []
    for o in ops:
        for y in YEARS:
            values = {g: rng.randrange(0, 200_000) for g in GROUPS}
            for g, v in values.items():
                groups.append(
                    {
                        "operation": o,
                        "dataset": "statistics",
                        "year": y,
                        "as_of": f"{y}-12-31",
                        "group": g,
                        "value": v,
                        "source": "unhcr_refugee_statistics",
                    }
                )
            totals.append(
                {
                    "operation": o,
                    "dataset": "statistics",
                    "year": y,
                    "as_of": f"{y}-12-31",
                    "value": sum(values.values()),
                    "source": "unhcr_refugee_statistics",
                }
            )
            for kind in ("budget", "expenditure"):
                parts = [round(rng.uniform(0, 30), 6) for _ in PILLARS]
                budget.append(
                    {
                        "operation": o,
                        "year": y,
                        "kind": kind,
                        "pillar": "total",
                        "usd_millions": round(sum(parts), 6),
                        "source": src,
                    }
                )
                budget.extend(
                    {"operation": o, "year": y, "kind": kind, "pillar": p, "usd_millions": v, "source": src}
                    for p, v in zip(PILLARS, parts, strict=True)
                )
    _append(target / "population_groups.csv", groups)
    _append(target / "population_totals.csv", totals)
    _append(target / "budget.csv", budget)
    donors = [f"Donor {i}" for i in range(400)]
    contributions = [
        {
            "operation": rng.choice(ops),
            "date": f"{rng.choice(YEARS)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "donor": rng.choice(donors),
            "private_donor": rng.choice(["true", "false"]),
            "amount_usd": rng.randrange(1_000, 10_000_000),
            "donor_code": "",
            "source": src,
        }
        for _ in range(contributions_count - 20)
    ]
    _append(target / "contributions.csv", contributions)


if __name__ == "__main__":
    write(Path(sys.argv[1]))
    print(f"wrote {sys.argv[1]}")
