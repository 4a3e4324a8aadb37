"""Importing operation pages: the shipped figures reproduced exactly, idempotence, and bad pages refused.

The pages are the test pages under tests/pages (written from data/); where the source pages are present,
importing them must reproduce data/ as well.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import importer
from dashboard.data import FILES
from tests.conftest import DATA, PAGE_2021, PAGE_NEW, ROOT, SEED_2021, SEED_NEW, needs_seeds


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _page_rows(directory: Path, name: str) -> list[tuple]:
    """The rows of a file that come from an operation page, in a comparable form (labels set aside)."""
    rows = _rows(directory / name)
    if name != "operations.csv":
        rows = [r for r in rows if r.get("source", "").startswith("unhcr_page_")]
    if name == "key_figures.csv":
        rows = [{k: v for k, v in r.items() if not k.startswith("label_")} for r in rows]
    return sorted(tuple(sorted(r.items())) for r in rows)


def _import_both(target: Path, pages: tuple[Path, Path] = (PAGE_2021, PAGE_NEW)) -> None:
    importer.import_page(pages[0], target)
    importer.import_page(pages[1], target, as_of="2024-06-30")


def _assert_reproduces_data(target: Path) -> None:
    for name in FILES:
        assert _page_rows(target, name) == _page_rows(DATA, name), name
    mid_2024 = [r for r in _rows(target / "population_groups.csv") if r["year"] == "2024"]
    assert {r["group"]: r["value"] for r in mid_2024}["stateless"] == "0"
    assert {r["as_of"] for r in mid_2024} == {"2024-06-30"}


def test_import_into_empty_directory_reproduces_data(tmp_path):
    target = tmp_path / "data"
    _import_both(target)
    _assert_reproduces_data(target)


@needs_seeds
def test_source_pages_reproduce_data(tmp_path):
    """The pages the data came from give the same rows as the test pages written from the data."""
    target = tmp_path / "data"
    _import_both(target, (SEED_2021, SEED_NEW))
    _assert_reproduces_data(target)
    text = "".join(p.read_text(encoding="utf-8") for p in target.glob("*.csv"))
    for phrase in ("coup d", "Kampala Convention", "open-door policy", "protection monitoring"):
        assert phrase not in text


def test_import_into_shipped_data_changes_nothing(data_copy):
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    _import_both(data_copy)
    _import_both(data_copy)
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before
    assert not list(data_copy.glob(".*importing"))


def test_reimport_keeps_our_key_figure_labels(data_copy):
    importer.import_page(PAGE_2021, data_copy)
    labels = [r["label_en"] for r in _rows(data_copy / "key_figures.csv")]
    assert "Returnees whose national rights are restored" in labels
    assert not any(label.startswith("Planning target") for label in labels)


def test_prose_is_not_imported(tmp_path):
    target = tmp_path / "data"
    _import_both(target)
    pages = (PAGE_2021.read_text(encoding="utf-8") + PAGE_NEW.read_text(encoding="utf-8")).lower()
    text = "".join(p.read_text(encoding="utf-8") for p in target.glob("*.csv")).lower()
    for phrase in ("placeholder paragraph", "placeholder point", "test page", "neutral words"):
        assert phrase in pages and phrase not in text, phrase
    # Numbers inside a paragraph are not figures: 5,000 and 40% (2021 page), 1,234 (newer page).
    assert "1234" not in text and ",5000," not in text and ",40," not in text


def test_operation_override(tmp_path):
    target = tmp_path / "data"
    importer.import_page(PAGE_2021, target, operation="NER")
    ops = _rows(target / "operations.csv")
    assert [r["operation"] for r in ops] == ["NER"]
    assert {r["source"] for r in _rows(target / "budget.csv")} == {"unhcr_page_2021_ner"}


def test_cli_import_and_check(tmp_path):
    target = tmp_path / "data"
    run = [sys.executable, "-m", "dashboard"]
    out = subprocess.run(
        [*run, "import", str(PAGE_2021), "--data-dir", str(target)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0 and out.stdout.startswith("imported MLI")
    out = subprocess.run(
        [*run, "import", str(PAGE_NEW), "--data-dir", str(target)], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 1 and "--as-of" in out.stdout
    assert subprocess.run([*run, "check", str(target)], capture_output=True, cwd=ROOT).returncode == 0


def _variant(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


TEXT_2021 = PAGE_2021.read_text(encoding="utf-8")
TEXT_NEW = PAGE_NEW.read_text(encoding="utf-8")
BAD_2021 = {
    "truncated budget JSON": ('"p4":[1.09318194,0.46794743,0.7765639,1.2620294399999998,null,null]}', '"p4":[1.0931'),
    "truncated location JSON": ('"iso_codes":"\'MLI\'"}', '"iso_codes":'),
    "missing location block": ('{"longitude":-2,"latitude":17,"zoom_level":0,"iso_codes":"\'MLI\'"}', ""),
    "bad iso code": ("\"'MLI'\"", "\"'M1'\""),
    "non-numeric budget": ("17.33224968", '"lots"'),
    "negative budget": ("21.59999173", "-21.59999173"),
    "budget series too short": ('"budget":[49.1719132,', '"budget":['),
    "unknown year": (
        '"categories":[2016,2017,2018,2019,2020,2021],"budget"',
        '"categories":[2016,2017,2018,2019,2020,2099],"budget"',
    ),
    "duplicate years": (
        '"categories":[2016,2017,2018,2019,2020,2021],"budget"',
        '"categories":[2016,2016,2018,2019,2020,2021],"budget"',
    ),
    "pillars that do not add up": ('"p1":[27.08867361', '"p1":[37.08867361'),
    "missing pillar block": ('{"categories":[2016,2017,2018,2019,2020,2021],"p1":[7.040851', '{"nothing":[7.040851'),
    "groups that do not match the total": ('["Refugees",26670]', '["Refugees",26671]'),
    "unknown population group": ('["Refugees",26670]', '["Martians",26670]'),
    "duplicate population group": ('["Asylum-seekers",1008]', '["Refugees",1008]'),
    "non-numeric group value": ('["IDPs",207751]', '["IDPs","many"]'),
    "broken groups JSON": ('[["Refugees",26670],', '[["Refugees",26670,'),
    "duplicate total": ("2018 154,432", "2019 154,432"),
    "missing people of concern heading": ("People of Concern Personnes", "Persons Personnes"),
    "contribution without amount": ("$586,167", "586,167"),
    "non-numeric contribution": ("$4,000,000", "$4,000,0x0"),
    "first contribution without a date": ("  • 16-APR-2021\n    Italy", "  • Italy"),
    "bad contribution date": ("16-APR-2021", "16-ABC-2021"),
    "missing contributions list": ("Latest contributions", "Latest news"),
    "key figure without a unit": ("6,500 returnees", "6,500 things"),
}


@pytest.mark.parametrize("name", sorted(BAD_2021))
def test_bad_2021_page_is_refused_and_data_untouched(data_copy, tmp_path, name):
    old, new = BAD_2021[name]
    page = tmp_path / "page.txt"
    page.write_text(_variant(TEXT_2021, old, new), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    with pytest.raises(importer.PageError) as err:
        importer.import_page(page, data_copy)
    assert err.value.problems and all(p.strip() for p in err.value.problems)
    assert "Traceback" not in str(err.value)
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


BAD_FILES = {
    "empty file": b"",
    "only whitespace": b"  \n\n",
    "latin-1 encoding": TEXT_2021.replace("Opération", "Op\xe9ration").encode("latin-1", errors="replace"),
    "utf-16 encoding": TEXT_2021.encode("utf-16"),
    "not a page": b"hello world\n",
    "newer page without figures": b"Population figures\nTotal country population\n\nCountry context\n",
    "newer page with a bad number": TEXT_NEW.replace("95,440", "95.440.0").encode(),
    "newer page with an unknown category": TEXT_NEW.replace("Asylum-seekers:", "Tourists:").encode(),
    "newer page with a category twice": TEXT_NEW.replace("Host community", "Refugees").encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused(data_copy, tmp_path, name):
    page = tmp_path / "page.txt"
    page.write_bytes(BAD_FILES[name])
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    with pytest.raises(importer.PageError) as err:
        importer.import_page(page, data_copy, as_of="2024-06-30")
    assert err.value.problems
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.csv")} == before


def test_newer_page_needs_as_of_and_a_bad_one_is_refused(data_copy):
    with pytest.raises(importer.PageError, match="--as-of"):
        importer.import_page(PAGE_NEW, data_copy)
    with pytest.raises(importer.PageError, match="YYYY-MM-DD"):
        importer.import_page(PAGE_NEW, data_copy, as_of="mid-2024")


def test_newer_page_for_an_operation_without_a_row_is_refused(tmp_path):
    with pytest.raises(importer.PageError, match="operations.csv"):
        importer.import_page(PAGE_NEW, tmp_path / "data", as_of="2024-06-30")


def test_missing_page_file(data_copy, tmp_path):
    with pytest.raises(importer.PageError, match="cannot read"):
        importer.import_page(tmp_path / "nope.txt", data_copy)
