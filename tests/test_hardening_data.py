"""A broken data directory gets one line per broken file and a non-zero exit within seconds: never a
traceback, never a hang. Each test breaks a copy of data/ in tmp_path and runs the real `check` command."""

from __future__ import annotations

import csv
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import data
from tests.conftest import ROOT

MB = 1024 * 1024


def _check(directory: Path) -> tuple[int, list[str]]:
    """Exit code and output lines of `python -m dashboard check DIR` (a hang fails after 60 s)."""
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", str(directory)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "Traceback" not in out.stdout + out.stderr, out.stderr[-2000:]
    assert out.stderr == ""
    return out.returncode, out.stdout.splitlines()


def _one_line_about(directory: Path, name: str) -> str:
    code, lines = _check(directory)
    assert code == 1
    about = [line for line in lines if line.startswith(f"{name}:")]
    assert len(about) == 1, lines
    assert all(len(line) < 400 for line in lines), [len(line) for line in lines]
    return about[0]


def test_data001_symlink_loop(data_copy):
    (data_copy / "budget.csv").unlink()
    (data_copy / "budget.csv").symlink_to("budget.csv")
    assert _one_line_about(data_copy, "budget.csv") == "budget.csv: cannot be opened: a symbolic link that loops"


def test_data002_dangling_symlink(data_copy):
    (data_copy / "budget.csv").unlink()
    (data_copy / "budget.csv").symlink_to("gone.csv")
    line = _one_line_about(data_copy, "budget.csv")
    assert line == "budget.csv: a symbolic link to 'gone.csv', which does not exist"


def test_data003_directory_instead_of_file(data_copy):
    (data_copy / "offices.csv").unlink()
    (data_copy / "offices.csv").mkdir()
    assert _one_line_about(data_copy, "offices.csv") == "offices.csv: is a directory, expected a file"


def test_data004_fifo_instead_of_file_does_not_hang(data_copy):
    (data_copy / "contributions.csv").unlink()
    os.mkfifo(data_copy / "contributions.csv")
    assert _one_line_about(data_copy, "contributions.csv") == "contributions.csv: is a FIFO, expected a file"


def test_data005_fifo_instead_of_geojson(data_copy):
    (data_copy / "geo" / "regions.geojson").unlink()
    os.mkfifo(data_copy / "geo" / "regions.geojson")
    line = _one_line_about(data_copy, "geo/regions.geojson")
    assert line == "geo/regions.geojson: is a FIFO, expected a file"


def test_data006_oversized_file_is_refused_unread(data_copy):
    with (data_copy / "population_groups.csv").open("r+b") as f:
        f.truncate(1024 * MB)  # sparse: no gigabyte is written, and none may be read
    line = _one_line_about(data_copy, "population_groups.csv")
    assert line == (
        "population_groups.csv: 1,073,741,824 bytes, larger than the limit of 20,971,520 bytes (data/README.md)"
    )


def _replace_cell(path: Path, row: int, column: int, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[row]]))
    cells[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[row] = out.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_data007_oversized_field(data_copy):
    _replace_cell(data_copy / "contributions.csv", 1, 2, "x" * (10 * MB))
    line = _one_line_about(data_copy, "contributions.csv")
    assert line.startswith("contributions.csv: line 2: field larger than field limit")


def test_data008_long_bad_value_is_quoted_short(data_copy):
    _replace_cell(data_copy / "contributions.csv", 1, 2, "y" * 50_000)
    line = _one_line_about(data_copy, "contributions.csv")
    assert line.startswith("contributions.csv: line 2, field 'donor': value 'yyy")
    assert "(50,000 characters), expected at most 200 characters" in line


@pytest.mark.parametrize("depth", [100_000, 200])
def test_data009_deeply_nested_geojson(data_copy, depth):
    (data_copy / "geo" / "outline.geojson").write_text("[" * depth + "]" * depth, encoding="utf-8")
    line = _one_line_about(data_copy, "geo/outline.geojson")
    assert line == "geo/outline.geojson: lists or objects nested more than 16 deep, expected GeoJSON"


def test_data010_geojson_with_a_list_for_a_region_code(data_copy):
    path = data_copy / "geo" / "regions.geojson"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"iso_3166_2":"ML-7"', '"iso_3166_2":["ML-7"]', 1), encoding="utf-8"
    )
    code, lines = _check(data_copy)
    assert code == 1
    assert any(line.startswith("geo/regions.geojson: feature") and "iso_3166_2" in line for line in lines)


def test_data011_binary_file(data_copy):
    (data_copy / "budget.csv").write_bytes(bytes(range(256)) * 100)
    assert _one_line_about(data_copy, "budget.csv").startswith("budget.csv: byte 128: not UTF-8 text")


def test_data012_many_bad_rows_are_summarised(data_copy):
    path = data_copy / "contributions.csv"
    header, first, *_ = path.read_text(encoding="utf-8").splitlines()
    bad = first.replace(",false,", ",maybe,")
    path.write_text("\n".join([header] + [bad] * 5000) + "\n", encoding="utf-8")
    code, lines = _check(data_copy)
    about = [line for line in lines if line.startswith("contributions.csv:")]
    assert code == 1 and len(about) == 51
    assert about[-1] == "contributions.csv: 4,950 more problems not shown"


def _deny(monkeypatch, denied: Path, function: str) -> None:
    """Make `os.<function>` fail on `denied` as it does for an unprivileged user on a chmod 000 path (the
    tests run as root here, for whom permissions do not apply)."""
    real = getattr(os, function)

    def refuse(path, *args, **kwargs):
        if Path(path) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, refuse)


def test_data013_unreadable_file(data_copy, monkeypatch):
    target = data_copy / "key_figures.csv"
    if os.geteuid() == 0:
        _deny(monkeypatch, target, "open")
    else:
        target.chmod(0)
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    assert err.value.problems == ["key_figures.csv: cannot be opened: permission denied"]


def test_data014_unreadable_directory(data_copy, monkeypatch):
    if os.geteuid() == 0:
        _deny(monkeypatch, data_copy, "scandir")
    else:
        data_copy.chmod(0)
    try:
        with pytest.raises(data.DataError) as err:
            data.load(data_copy)
    finally:
        data_copy.chmod(0o755)
    assert err.value.problems == [f"{data_copy}: the data directory cannot be read (permission denied)"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_data015_unreadable_file_from_the_command_line(data_copy):
    (data_copy / "key_figures.csv").chmod(0)
    assert _one_line_about(data_copy, "key_figures.csv") == "key_figures.csv: cannot be opened: permission denied"


def test_data016_app_refuses_to_start_on_a_fifo(data_copy):
    (data_copy / "contributions.csv").unlink()
    os.mkfifo(data_copy / "contributions.csv")
    env = dict(os.environ, DASHBOARD_DATA_DIR=str(data_copy))
    out = subprocess.run(
        [sys.executable, "-c", "import dashboard.app"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 3
    assert "contributions.csv: is a FIFO, expected a file" in out.stderr.splitlines()
    assert "Traceback" not in out.stderr


def test_data017_geojson_number_of_thousands_of_digits(data_copy):
    path = data_copy / "geo" / "outline.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace("[", "[" + "9" * 5000 + ",", 1), encoding="utf-8")
    line = _one_line_about(data_copy, "geo/outline.geojson")
    assert line.startswith("geo/outline.geojson: not valid GeoJSON (Exceeds the limit (4300 digits)")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (4, "99999999999999999999999", "expected a number <= 10000000000"),
        (1, "0001-04-16", "expected a date >= 1990-01-01"),
        (1, "3000-04-16", "expected a date <= 2030-12-31"),
    ],
)
def test_data018_implausible_contribution(data_copy, column, value, expected):
    _replace_cell(data_copy / "contributions.csv", 1, column, value)
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    (line,) = err.value.problems
    assert line.startswith("contributions.csv: line 2, field") and line.endswith(expected)
