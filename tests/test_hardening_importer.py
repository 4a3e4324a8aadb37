"""The importer refuses harmful pages, and a failed, crashed or concurrent import loses nothing.

Every refusal leaves every file of the data directory byte for byte as it was, with no stray file.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard import data, importer
from dashboard.importer import transaction
from tests.conftest import ROOT
from tests.test_importer import PAGE_2021, PAGE_NEW, SEED_2021, SEED_NEW, _rows

pytestmark = pytest.mark.skipif(not PAGE_2021.exists(), reason="../shared/seeds is not beside the project")


def _state(directory: Path) -> dict[str, str]:
    """Every path under `directory` (hidden ones included) with the hash of its content."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(directory.rglob("*"))
    }


def _refused(page_text: str | bytes, data_dir: Path, tmp_path: Path, **kwargs) -> list[str]:
    page = tmp_path / "page.txt"
    if isinstance(page_text, str):
        page.write_text(page_text, encoding="utf-8")
    else:
        page.write_bytes(page_text)
    before = _state(data_dir)
    with pytest.raises(importer.PageError) as err:
        importer.import_page(page, data_dir, **kwargs)
    assert _state(data_dir) == before
    assert all(len(p) < 400 for p in err.value.problems), err.value.problems
    return err.value.problems


def _variant(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


HARMFUL_2021 = {
    "negative key figure": (("6,500 returnees", "-6,500 returnees"), "line 25: key figure '-6,500'"),
    "NaN key figure": (("6,500 returnees", "NaN returnees"), "line 25: key figure 'NaN'"),
    "negative total": (("2019 275,779", "2019 -275,779"), "line 34: expected a whole number"),
    "NaN total": (("2019 275,779", "2019 NaN"), "line 34: expected a whole number"),
    "NaN in the budget": (("17.33224968", "NaN"), "line 46: the budget block: NaN is not a number"),
    "Infinity in the budget": (("17.33224968", "Infinity"), "line 46: the budget block: Infinity"),
    "huge budget": (("17.33224968", "17332249680000.5"), "million USD is not plausible"),
    "NaN people in a group": (('["Refugees",26670]', '["Refugees",NaN]'), "NaN is not a number"),
    "huge group": (('["Refugees",26670]', '["Refugees",26670000000000]'), "is not plausible for 'Refugees'"),
    "year 1 contribution": (("16-APR-2021", "16-APR-0001"), "date 0001-04-16 is not plausible"),
    "year 3000 contribution": (("16-APR-2021", "16-APR-3000"), "date 3000-04-16 is not plausible"),
    "huge contribution": (
        ("$586,167", "$99,999,999,999,999,999,999,999"),
        "amount: '99,999,999,999,999,999,999,999' is not plausible, expected at most 10,000,000,000",
    ),
    "thousands of digits": (("$586,167", "$" + "9" * 5000), "is not plausible"),
    "a name of another operation": (
        ("Operation: Opération: Mali", "Operation: Opération: Niger"),
        "line 5: the page names the operation 'Niger' (NER) but its Location block (line 9) gives MLI",
    ),
    "deeply nested groups": (
        ('[["Refugees",26670],', "[" * 50_000 + "]" * 50_000 + '[["Refugees",26670],'),
        "nests more than 16 levels",
    ),
    "a huge line in the groups block": (
        ('["Refugees",26670]', '["Refugees",' + "7" * 400_000 + "]"),
        "line 40: the population groups block: a number of 400,000 digits is not plausible",
    ),
}


@pytest.mark.parametrize("case", sorted(HARMFUL_2021))
def test_imp001_harmful_2021_page_is_refused_and_nothing_changes(data_copy, tmp_path, case):
    (old, new), expected = HARMFUL_2021[case]
    problems = _refused(_variant(SEED_2021, old, new), data_copy, tmp_path)
    assert any(expected in p for p in problems), problems


def test_imp002_duplicated_key_figures_section(data_copy, tmp_path):
    start = SEED_2021.index("Key Figures")
    end = SEED_2021.index("People of Concern")
    text = SEED_2021[:end] + SEED_2021[start:end] + SEED_2021[end:]
    problems = _refused(text, data_copy, tmp_path)
    assert problems == ["line 29: the 'Key Figures' heading again (first on line 16), expected it once"]


def test_imp003_duplicated_year_end_block(data_copy, tmp_path):
    start = SEED_2021.index("2019 year-end results")
    end = SEED_2021.index("People of Concern")
    text = SEED_2021[:end] + SEED_2021[start:end] + SEED_2021[end:]
    problems = _refused(text, data_copy, tmp_path)
    assert problems[0].startswith("line 29: '2019 year-end results' again (first on line 24)")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("95,440", "NaN", "line 6: expected a whole number like 275,779, found 'NaN'"),
        ("95,440", "-95,440", "line 6: expected a whole number like 275,779, found '-95,440'"),
        ("95,440", "Infinity", "found 'Infinity'"),
        ("24,015,789", "24,015,789,000,000", "is not plausible"),
        ("Population figures\n", "Population figures\nRefugees:\n1\nPopulation figures\n", "again"),
    ],
)
def test_imp004_harmful_newer_page_keeps_the_2024_rows(data_copy, tmp_path, old, new, expected):
    problems = _refused(_variant(SEED_NEW, old, new), data_copy, tmp_path, as_of="2024-06-30")
    assert any(expected in p for p in problems), problems
    refugees = [
        r for r in _rows(data_copy / "population_groups.csv") if r["year"] == "2024" and r["group"] == "refugees"
    ]
    assert [r["value"] for r in refugees if r["dataset"] == "page"] == ["95440"]


@pytest.mark.parametrize("as_of", ["0001-06-30", "3000-06-30", "1949-12-31"])
def test_imp005_implausible_as_of_is_refused(data_copy, tmp_path, as_of):
    problems = _refused(SEED_NEW, data_copy, tmp_path, as_of=as_of)
    assert problems[0].startswith(f"--as-of: date {as_of} is not plausible")


def test_imp006_renaming_an_operation_is_refused(data_copy, tmp_path):
    text = _variant(SEED_2021, "Operation: Opération: Mali", "Operation: Opération: Atlantis")
    problems = _refused(text, data_copy, tmp_path)
    assert problems == [
        "line 5: the page names MLI 'Atlantis' but operations.csv names it 'Mali'; expected the same name "
        "(rename it there first)"
    ]


def _cli_import(page: str | Path, data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """`python -m dashboard import` in a subprocess; a hang fails the test after 60 s."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(page), "--data-dir", str(data_dir), *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("kind", ["fifo", "device", "binary", "too large", "directory"])
def test_imp007_input_that_is_not_a_page_is_refused(data_copy, tmp_path, kind):
    page = tmp_path / "page.txt"
    if kind == "fifo":
        os.mkfifo(page)
    elif kind == "device":
        page = Path(os.devnull)
    elif kind == "binary":
        page.write_bytes(SEED_2021.encode()[:500] + b"\x00\x01\x02" + SEED_2021.encode()[500:])
    elif kind == "too large":
        page.write_text(SEED_2021 + "x" * (2 * 1024 * 1024), encoding="utf-8")
    else:
        page.mkdir()
    before = _state(data_copy)
    out = _cli_import(page, data_copy)
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr
    expected = {
        "fifo": "is a FIFO, expected a file",
        "device": "is a device, expected a file",
        "binary": "a NUL byte, expected a text file",
        "too large": "larger than the limit of 1,048,576 bytes",
        "directory": "is a directory, expected a file",
    }[kind]
    assert expected in out.stdout and len(out.stdout) < 500, out.stdout
    assert _state(data_copy) == before


def test_imp008_page_larger_than_the_limit_is_not_echoed(data_copy, tmp_path):
    line = "9" * 900_000
    problems = _refused(_variant(SEED_2021, "$586,167", "$" + line), data_copy, tmp_path)
    assert sum(len(p) for p in problems) < 400


# A page that changes three files (contributions, key figures, operations) of the shipped data.
CHANGING = (
    SEED_2021.replace("$586,167", "$586,168", 1)
    .replace("6,500 returnees", "6,501 returnees", 1)
    .replace('"longitude":-2,', '"longitude":-3,', 1)
)


def _inject(monkeypatch, module_function: str, on_call: int, error: BaseException) -> list[int]:
    """Make os.<function> raise `error` on its `on_call`-th call (the others go through)."""
    real = getattr(os, module_function)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == on_call:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(os, module_function, failing)
    return calls


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("function", "on_call", "error"),
    [("replace", k, DISK_FULL) for k in range(1, 5)]
    + [("fsync", k, DISK_FULL) for k in range(1, 7)]
    + [("link", k, OSError(errno.EPERM, "Operation not permitted")) for k in range(1, 3)]
    + [("replace", 3, RuntimeError("crash"))],
)
def test_imp009_failure_anywhere_leaves_every_file_as_it_was(
    data_copy, tmp_path, monkeypatch, function, on_call, error
):
    page = tmp_path / "page.txt"
    page.write_text(CHANGING, encoding="utf-8")
    before = _state(data_copy)
    calls = _inject(monkeypatch, function, on_call, error)
    with pytest.raises((importer.PageError, RuntimeError)):
        importer.import_page(page, data_copy)
    assert len(calls) >= on_call  # the failure did happen
    monkeypatch.undo()
    assert _state(data_copy) == before
    data.load(data_copy)


def test_imp010_without_failure_the_same_page_changes_three_files(data_copy, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(CHANGING, encoding="utf-8")
    before = _state(data_copy)
    importer.import_page(page, data_copy)
    after = _state(data_copy)
    assert sorted(k for k in after if after[k] != before.get(k)) == [
        "contributions.csv",
        "key_figures.csv",
        "operations.csv",
    ]
    assert after.keys() == before.keys()


def test_imp011_a_killed_import_is_detected_and_undone(data_copy, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(CHANGING, encoding="utf-8")
    before = _state(data_copy)
    # Kill the import (no cleanup of any kind) after it has replaced its first file.
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from dashboard import importer\n"
        "real, calls = os.replace, []\n"
        "def replace(src, dst):\n"
        "    calls.append(dst)\n"
        "    if str(dst).endswith('.csv') and len([c for c in calls if str(c).endswith('.csv')]) == 2:\n"
        "        os._exit(9)\n"
        "    real(src, dst)\n"
        "os.replace = replace\n"
        "importer.import_page(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(page), str(data_copy)], cwd=ROOT, capture_output=True, timeout=60
    )
    assert out.returncode == 9
    assert _state(data_copy) != before  # one file is new, the others old
    check = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", str(data_copy)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert check.returncode == 1 and "an import stopped while replacing files" in check.stdout
    # The next import (a page that changes nothing) first puts every file back.
    importer.import_page(PAGE_2021, data_copy)
    assert _state(data_copy) == before


def test_imp012_an_import_waits_for_the_running_one(data_copy):
    fd = os.open(data_copy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    before = _state(data_copy)
    try:
        with pytest.raises(importer.PageError) as err:
            importer.import_page(PAGE_NEW, data_copy, as_of="2023-06-30", lock_wait=0.3)
    finally:
        os.close(fd)
    assert err.value.problems == [
        f"{data_copy}: another import is running (waited 0.3 s); nothing was imported, try again"
    ]
    assert _state(data_copy) == before
    # Released while the next one waits: it goes ahead.
    fd = os.open(data_copy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    release = threading.Timer(0.3, os.close, [fd])
    release.start()
    importer.import_page(PAGE_NEW, data_copy, as_of="2023-06-30", lock_wait=30)
    release.join()
    assert "unhcr_page_2023_mli" in {r["source"] for r in _rows(data_copy / "sources.csv")}


@pytest.mark.parametrize("round_", range(3))
def test_imp013_two_imports_at_once_both_land(data_copy, round_):
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dashboard", "import", str(PAGE_NEW), "--data-dir", str(data_copy), "--as-of", day],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for day in ("2023-06-30", "2022-06-30")
    ]
    for run in runs:
        run.wait(timeout=120)
        assert run.returncode == 0, run.stdout.read() + run.stderr.read()
    sources = {r["source"] for r in _rows(data_copy / "population_groups.csv")}
    assert {"unhcr_page_2023_mli", "unhcr_page_2022_mli", "unhcr_page_2024_mli"} <= sources
    assert not list(data_copy.glob(".import-*"))
    data.load(data_copy)


def test_imp014_read_only_target(data_copy, tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(CHANGING, encoding="utf-8")
    before = _state(data_copy)
    if os.geteuid() == 0:  # root writes anywhere: refuse the importer's first write, as the OS would

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(transaction.tempfile, "mkdtemp", refuse)
    else:
        data_copy.chmod(0o555)
    try:
        with pytest.raises(importer.PageError) as err:
            importer.import_page(page, data_copy)
    finally:
        data_copy.chmod(0o755)
    assert err.value.problems == [
        f"{data_copy}: cannot write into the data directory (permission denied); nothing was changed"
    ]
    assert _state(data_copy) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 256 kB tmpfs (root only) holding a copy of data/ with 8 kB left free."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        target = mount / "data"
        shutil.copytree(ROOT / "data", target)
        free = shutil.disk_usage(mount).free
        (mount / "filler").write_bytes(b"\0" * (free - 8192))
        yield target
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_imp015_disk_full_leaves_every_file_as_it_was(small_disk, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(CHANGING, encoding="utf-8")
    before = _state(small_disk)
    with pytest.raises(importer.PageError) as err:
        importer.import_page(page, small_disk)
    assert "no space left on device" in err.value.problems[0]
    assert _state(small_disk) == before
