"""`python -m dashboard refresh` against UNHCR's API shape, served on loopback from a recorded answer.

tests/pages/unhcr_api_population_mli.json is the population endpoint's answer for Mali, 2014–2025, written
from the statistics series in data/ in the API's shape (three pages of five, as a server capping the page
size sends them; figures as integers in even years and strings in odd ones, zeros as the string "0", no
origin: `coo_iso` "-"). Each test edits a copy of it to make the API say something else.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dashboard import data, exports, selection
from dashboard.__main__ import main
from dashboard.importer import PageError
from dashboard.importer.refresh import CHECKED_FILE, refresh
from dashboard.importer.transaction import recover
from dashboard.importer.unhcr_api import Client
from dashboard.layout import build_layout
from dashboard.ssr import page_html
from dashboard.views import people

from .conftest import DATA, PAGES, ROOT

RECORDED = json.loads((PAGES / "unhcr_api_population_mli.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 12, 7)
FAST = Client(timeout=2.0, attempts=3, backoff=0.001)
API_PATH = "/population/v1/"


class FakeApi:
    """What the loopback server answers: the recorded `pages` (editable), after any (status, body) queued in
    `script`; every query it received is kept in `requests`."""

    def __init__(self):
        self.pages = copy.deepcopy(RECORDED)
        self.script: list[tuple[int, bytes]] = []
        self.requests: list[dict] = []
        self.delay = 0.0
        self.trickle = 0  # bytes per write, a write every 20 ms (0: the whole answer at once)
        self.last_page_served = threading.Event()

    def answer(self, path: str, query: dict) -> tuple[int, bytes]:
        self.requests.append(query)
        time.sleep(self.delay)
        if self.script:
            return self.script.pop(0)
        if path != API_PATH + "population/":
            return 404, b'{"message": "not found"}'
        if query.get("cf_type") != "ISO" or not {"yearFrom", "yearTo", "coa", "page"} <= query.keys():
            return 400, b'{"message": "cf_type=ISO, coa, yearFrom, yearTo and page expected"}'
        if query["coa"] != "MLI":
            return 200, json.dumps({"page": 1, "maxPages": 0, "total": 0, "items": []}).encode()
        number = int(query["page"])
        if number > len(self.pages):
            last = self.pages[-1]
            return 200, json.dumps({"page": number, "maxPages": last["maxPages"], "items": []}).encode()
        if number == len(self.pages):
            self.last_page_served.set()
        return 200, json.dumps(self.pages[number - 1]).encode()

    def item(self, year: int) -> dict:
        return next(i for p in self.pages for i in p["items"] if i.get("year") == year)


@pytest.fixture
def api():
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            parts = urllib.parse.urlsplit(self.path)
            status, body = fake.answer(parts.path, dict(urllib.parse.parse_qsl(parts.query)))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for start in range(0, len(body), fake.trickle or len(body) or 1):
                self.wfile.write(body[start : start + (fake.trickle or len(body))])
                self.wfile.flush()
                time.sleep(0.02 if fake.trickle else 0)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads, server.block_on_close = True, False
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    fake.base = f"http://127.0.0.1:{server.server_port}{API_PATH}"
    yield fake
    server.shutdown()
    server.server_close()


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file of the directory (hidden ones too), by path: byte-identical means nothing was written."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def versioned(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in data.FILES}


def run(api, target: Path, **options):
    return refresh(target, api.base, today=TODAY, client=FAST, **options)


def test_ref001_the_recorded_answer_gives_todays_series_and_changes_nothing(api, data_copy):
    before = snapshot(data_copy)
    outcome = run(api, data_copy)
    assert outcome.operations == ["MLI"] and outcome.changes == [] and not outcome.written
    assert versioned(data_copy) == {k: v for k, v in before.items() if k in data.FILES}
    assert data.load(data_copy).version == data.load(DATA).version
    # Every page maxPages announced was read, both ends of the years sent, ISO codes asked for.
    assert [q["page"] for q in api.requests] == ["1", "2", "3"]
    assert {(q["coa"], q["cf_type"], q["yearFrom"], q["yearTo"]) for q in api.requests} == {
        ("MLI", "ISO", "2014", "2026")
    }
    checked = json.loads((data_copy / CHECKED_FILE).read_text())
    assert checked["figures_changed"] == 0 and checked["data_version"] == outcome.version_before


def test_ref002_a_changed_figure_changes_that_figure_the_version_and_the_stamp(api, data_copy):
    before = versioned(data_copy)
    api.item(2019)["refugees"] = "26772"  # 26,672 in data/
    outcome = run(api, data_copy, release="2026.06")
    assert [(c.year, c.group, c.old, c.new) for c in outcome.changes] == [(2019, "refugees", 26672, 26772)]
    old_lines = before["population_groups.csv"].decode().splitlines()
    new_lines = (data_copy / "population_groups.csv").read_text().splitlines()
    assert [(o, n) for o, n in zip(old_lines, new_lines, strict=True) if o != n] == [
        (
            "MLI,statistics,2019,2019-12-31,refugees,26672,unhcr_refugee_statistics",
            "MLI,statistics,2019,2019-12-31,refugees,26772,unhcr_refugee_statistics",
        )
    ]
    ds = data.load(data_copy)
    assert ds.version == outcome.version_after != outcome.version_before
    source = ds.source("unhcr_refugee_statistics")
    assert (source["release"], str(source["retrieved"]), source["date"]) == ("2026.06", "2026-12-07", "2026-06")
    changed = {k for k, v in versioned(data_copy).items() if v != before[k]}
    assert changed == {"population_groups.csv", "sources.csv"}
    # Without a release named, none is claimed, nor a publication date: only the fetch.
    api.item(2019)["refugees"] = "26773"
    run(api, data_copy)
    source = data.load(data_copy).source("unhcr_refugee_statistics")
    assert (source["release"], str(source["retrieved"]), source["date"]) == (None, "2026-12-07", "")


def test_ref003_a_new_year_comes_in_with_the_current_year_asked(api, data_copy):
    item = copy.deepcopy(api.item(2025)) | {"year": 2026, "refugees": 70000}
    api.pages[-1]["items"].append(item)
    for page in api.pages:
        page["total"] = 13
    outcome = run(api, data_copy)
    assert {c.year for c in outcome.changes} == {2026} and len(outcome.changes) == 9
    stats = data.load(data_copy).population_groups
    row = stats[(stats["dataset"] == "statistics") & (stats["year"] == 2026) & (stats["group"] == "refugees")]
    assert row["value"].tolist() == [70000] and row["as_of"].astype(str).tolist() == ["2026-12-31"]


def test_ref004_dry_run_lists_the_changes_and_writes_nothing(api, data_copy, capsys, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REFRESH_BACKOFF", "0.001")
    before = snapshot(data_copy)
    api.item(2019)["refugees"] = 26772
    api.item(2020)["idps"] = 10  # 332,957 in data/: a large change, listed, not refused, in a dry run
    code = main(["refresh", "--data-dir", str(data_copy), "--api", api.base, "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "MLI 2019 refugees: 26,672 → 26,772\n" in out and "MLI 2020 idps: 332,957 → 10 (large change)" in out
    assert "2 figure(s) would change; dry run, nothing written" in out
    assert snapshot(data_copy) == before


def test_ref005_a_dash_is_no_figure_never_zero_and_the_page_says_no_data(api, data_copy):
    api.item(2019)["stateless"] = "-"  # "0" in data/: removing a figure is a large change
    with pytest.raises(PageError, match=r"MLI 2019 stateless: 0 → no figure, a large change"):
        run(api, data_copy)
    run(api, data_copy, accept_changes=True)
    ds = data.load(data_copy)
    stats = ds.population_groups
    mine = stats[(stats["dataset"] == "statistics") & (stats["year"] == 2019)]
    assert "stateless" not in set(mine["group"]) and len(mine) == 8
    assert (mine[mine["group"] == "oip"]["value"] == 0).all()  # "0" is a real zero
    sel, bad = selection.from_query(ds, "year=2019&source=statistics")
    bars = people.build(ds, sel).breakdown.figure
    by_group = dict(zip(bars["data"][0]["customdata"], bars["data"][0]["x"], strict=True))
    assert by_group["Stateless persons"] is None and by_group["Other people in need of international protection"] == 0
    assert any(a["text"] == "no data" for a in bars["layout"]["annotations"])
    table = dict(people.build(ds, sel).breakdown.table.rows)
    assert table["Stateless persons"] == "no data" and table["Host community"] == "0"


def test_ref006_a_large_change_stops_unless_accepted(api, data_copy):
    before = snapshot(data_copy)
    api.item(2019)["idps"] = 50000  # 207,751 in data/
    with pytest.raises(PageError) as caught:
        run(api, data_copy)
    assert caught.value.problems[0] == "MLI 2019 idps: 207,751 → 50,000, a large change"
    assert "--accept-changes" in caught.value.problems[-1]
    assert snapshot(data_copy) == before
    run(api, data_copy, accept_changes=True)
    stats = data.load(data_copy).population_groups
    assert 50000 in stats[(stats["year"] == 2019) & (stats["group"] == "idps")]["value"].tolist()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ERRORS = {
    "connection refused": (lambda api: setattr(api, "base", f"http://127.0.0.1:{_closed_port()}/"), "no answer"),
    "timeout": (lambda api: setattr(api, "delay", 2.5), "no answer from the API after 3 tries"),
    "an answer trickling in": (lambda api: setattr(api, "trickle", 10), "no answer from the API after 3 tries"),
    "429 each time": (lambda api: api.script.extend([(429, b"slow down")] * 3), "HTTP 429 3 times"),
    "500 each time": (lambda api: api.script.extend([(503, b"")] * 3), "HTTP 503 3 times"),
    "invalid JSON": (lambda api: api.script.append((200, b'{"page": 1, "items": [')), "MLI, page 1: .*not JSON"),
    "missing field": (lambda api: api.item(2019).pop("idps"), "MLI 2019: field 'idps' missing"),
    "missing year": (lambda api: api.item(2016).pop("year"), "MLI, page 1, item 3: field 'year' missing"),
    "negative value": (
        lambda api: api.item(2016).update(refugees=-5),
        r"MLI 2016: field 'refugees': value '-5', expected a count",
    ),
    "not a count": (lambda api: api.item(2016).update(ooc="n/a"), "MLI 2016: field 'ooc'"),
    "year in the future": (
        lambda api: api.item(2025).update(year=2027),
        r"MLI, page 3, item 2: year 2027 \(a year in the future\), expected 2014 to 2026",
    ),
    "maxPages too many": (
        lambda api: [p.update(maxPages=4) for p in api.pages],
        "MLI, page 4: no items, though maxPages says 4",
    ),
    "maxPages too few": (
        lambda api: [p.update(maxPages=2) for p in api.pages],
        "MLI: the API announced 12 items but its 2 page",
    ),
    "year before the first asked": (
        lambda api: api.item(2014).update(year=2013),
        r"MLI, page 1, item 1: year 2013, expected 2014 to 2026",
    ),
    "another operation's rows": (lambda api: api.item(2016).update(coa_iso="NER"), "MLI 2016: field 'coa_iso'"),
    "the API refuses": (lambda api: api.script.append((400, b'{"message": "bad coa"}')), r"HTTP 400"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_ref007_each_error_names_where_and_leaves_the_directory_byte_identical(api, data_copy, case):
    break_it, message = ERRORS[case]
    break_it(api)
    api.item(2019)["refugees"] = 26772  # something to write, had the answer been good
    before = snapshot(data_copy)
    client = Client(timeout=0.5, attempts=3, backoff=0.001) if case in ("timeout", "an answer trickling in") else FAST
    with pytest.raises(PageError) as caught:
        refresh(data_copy, api.base, today=TODAY, client=client)
    assert any(re.search(message, p) for p in caught.value.problems), caught.value.problems
    assert snapshot(data_copy) == before


@pytest.mark.parametrize("failure", [500, 502, 429])
def test_ref008_a_passing_failure_is_retried(api, data_copy, failure):
    api.script.append((failure, b"busy"))
    api.item(2019)["refugees"] = 26772
    outcome = run(api, data_copy)
    assert outcome.written and [q["page"] for q in api.requests] == ["1", "1", "2", "3"]


def test_ref009_an_operation_the_api_does_not_know(api, data_copy):
    with (data_copy / "operations.csv").open("a") as f:
        f.write("ZZZ,Nowhere,Nulle part,0,0,2019,unhcr_page_2021_mli\n")
    before = snapshot(data_copy)
    with pytest.raises(PageError, match=r"ZZZ: the API has no figures for 2014–2026"):
        run(api, data_copy, operations=["ZZZ"])
    with pytest.raises(PageError, match=r"--operation 'NER': not in operations.csv"):
        run(api, data_copy, operations=["NER"])
    with pytest.raises(PageError, match=r"ZZZ: the API has no figures"):
        run(api, data_copy)  # every operation of the data directory is asked for
    assert snapshot(data_copy) == before


def test_ref010_the_command_line_says_what_happened(api, data_copy, capsys, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REFRESH_BACKOFF", "0.001")
    args = ["refresh", "--data-dir", str(data_copy), "--api", api.base]
    assert main(args) == 0
    assert "MLI: nothing new; no file changed" in capsys.readouterr().out
    api.item(2019).pop("idps")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "refresh: MLI 2019: field 'idps' missing" in err and "nothing was written" in err
    monkeypatch.setenv("DASHBOARD_UNHCR_API", api.base)
    assert main(["refresh", "--data-dir", str(data_copy), "--release", "June 2026"]) == 1
    assert "--release: expected a release named like 2025.12" in capsys.readouterr().err
    monkeypatch.setenv("DASHBOARD_REFRESH_TIMEOUT", "nan")
    assert main(["refresh", "--data-dir", str(data_copy)]) == 1
    assert (
        "$DASHBOARD_REFRESH_TIMEOUT: expected a number of seconds (0 to 3600), found 'nan'" in capsys.readouterr().err
    )
    monkeypatch.delenv("DASHBOARD_REFRESH_TIMEOUT")
    assert main(["refresh", "--data-dir", str(data_copy / "nowhere")]) == 1
    assert "nowhere: no such data directory" in capsys.readouterr().err


def _refreshed(api, target: Path) -> data.Dataset:
    api.item(2019)["refugees"] = 26772
    run(api, target, release="2026.06")
    return data.load(target)


FRESH = {
    "en": "UNHCR Refugee Data Finder, release 2026.06, fetched 7 Dec 2026",
    "fr": "HCR, Refugee Data Finder, édition 2026.06, consulté le 7 déc. 2026",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ref011_the_page_says_release_and_fetch_date(api, data_copy, lang):
    ds = _refreshed(api, data_copy)
    sel, bad = selection.from_query(ds, f"year=2019&source=statistics&lang={lang}")
    assert FRESH[lang] in people.build(ds, sel).source
    html = page_html(ds, sel, build_layout(ds, sel))
    assert FRESH[lang] in html and f"{26772:,}".replace(",", "\u202f" if lang == "fr" else ",") in html
    other = FRESH["fr" if lang == "en" else "en"]
    assert other not in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ref012_downloads_say_release_and_fetch_date(api, data_copy, lang):
    ds = _refreshed(api, data_copy)
    sel, bad = selection.from_query(ds, f"year=2019&source=statistics&lang={lang}")
    download = people.build(ds, sel).download
    text = exports.csv_bytes(ds, download, lang).decode("utf-8-sig")
    assert text.splitlines()[0].startswith(f"# {FRESH[lang]}.")
    book = zipfile.ZipFile(io.BytesIO(exports.xlsx_bytes(ds, {"people": download}, lang)))
    strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
    sheets = strings + "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert FRESH[lang] in sheets


def test_ref013_healthz_says_release_and_fetch_date(api, data_copy):
    assert data.freshness(data.load(data_copy)) == {"unhcr_refugee_statistics": {"release": "2025.12", "fetched": None}}
    ds = _refreshed(api, data_copy)
    assert data.freshness(ds) == {"unhcr_refugee_statistics": {"release": "2026.06", "fetched": "2026-12-07"}}
    env = os.environ | {"DASHBOARD_DATA_DIR": str(data_copy), "PYTHONPATH": str(ROOT)}
    code = (
        "import json; from dashboard.app import app; client = app.server.test_client(); print(json.dumps(["
        "client.get('/healthz').get_json(), *(client.get(f'/?year=2019&source=statistics&lang={lang}')"
        ".get_data(as_text=True) for lang in ('en', 'fr'))]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True, timeout=120)
    health, page_en, page_fr = json.loads(done.stdout)
    assert health["statistics"] == {"unhcr_refugee_statistics": {"release": "2026.06", "fetched": "2026-12-07"}}
    assert health["data_version"] == ds.version
    # The page a running server sends on that data says it too, in the language asked.
    assert FRESH["en"] in page_en and FRESH["fr"] in page_fr and FRESH["en"] not in page_fr


def test_ref014_refreshing_one_operation_does_not_restamp_another(api, data_copy):
    """Two operations share the series' source row; refreshing one gives it a source row of its own, so the
    other's source line does not claim a fetch that did not happen."""
    groups = (data_copy / "population_groups.csv").read_text().splitlines()
    with (data_copy / "operations.csv").open("a") as f:
        f.write("NER,Niger,Niger,8,17,2019,unhcr_page_2021_mli\n")
    extra = [line.replace("MLI,statistics", "NER,statistics") for line in groups if line.startswith("MLI,statistics")]
    (data_copy / "population_groups.csv").write_text("\n".join([*groups, *extra]) + "\n")
    api.item(2019)["refugees"] = 26772
    run(api, data_copy, operations=["MLI"], release="2026.06")
    ds = data.load(data_copy)
    stats = ds.population_groups[ds.population_groups["dataset"] == "statistics"]
    assert set(stats[stats["operation"] == "MLI"]["source"]) == {"unhcr_refugee_statistics_mli"}
    assert set(stats[stats["operation"] == "NER"]["source"]) == {"unhcr_refugee_statistics"}
    assert str(ds.source("unhcr_refugee_statistics")["retrieved"]) in ("None", "NaT", "nan")
    assert str(ds.source("unhcr_refugee_statistics_mli")["retrieved"]) == "2026-12-07"


def _staging(directory: Path) -> list[Path]:
    return [directory / n for n in os.listdir(directory) if n.startswith(".import-")]


def _kill_when(command: list[str], env: dict, ready) -> bool:
    """Start a refresh and SIGKILL it the moment `ready()` is true; False if it finished before."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            return True
    process.wait(10)
    return False


def _journal(directory: Path) -> bool:
    return any((w / "journal.json").exists() for w in _staging(directory))


def test_ref015_a_refresh_killed_mid_way_leaves_the_old_data_whole(api, data_copy, tmp_path):
    """SIGKILL while the new files are written, while they replace the old ones, and at moments after the last
    page was served: the directory is always the old data or the new, never a mix. Killed while replacing (the
    journal is there), it refuses to load until the next refresh or import has put the old files back."""
    before, old = versioned(data_copy), data.load(data_copy).version
    api.item(2019)["refugees"] = 26772
    shutil.copytree(data_copy, tmp_path / "expected")
    new = run(api, tmp_path / "expected").version_after
    env = os.environ | {"PYTHONPATH": str(ROOT), "DASHBOARD_REFRESH_BACKOFF": "0.001"}
    command = [sys.executable, "-m", "dashboard", "refresh", "--data-dir", str(data_copy), "--api", api.base]
    landed = set()
    # Each moment lasts milliseconds: tried until a kill lands in it.
    for moment, ready in [("writing", lambda: _staging(data_copy)), ("replacing", lambda: _journal(data_copy))] * 15:
        if moment in landed:
            continue
        if _kill_when(command, env, ready) and _staging(data_copy):
            landed.add("replacing" if _journal(data_copy) else "writing")
        if _journal(data_copy):
            with pytest.raises(data.DataError, match="an import stopped while replacing files"):
                data.load(data_copy)
        recover(data_copy)  # what the next refresh or import does first
        version = data.load(data_copy).version
        assert version == new or (version == old and versioned(data_copy) == before)
        for name, content in before.items():  # back to the old data for the next try
            (data_copy / name).write_bytes(content)
    assert landed == {"writing", "replacing"}

    for delay in (0.0, 0.05):
        api.last_page_served.clear()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert api.last_page_served.wait(60)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        recover(data_copy)
        assert data.load(data_copy).version in (old, new)
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert data.load(data_copy).version == new and not _staging(data_copy)


@pytest.fixture
def instances(tmp_path):
    """Two stand-ins for dashboard@PORT units on loopback: /healthz answers the data version in state/PORT,
    which the stand-in `systemctl restart dashboard@PORT` sets to $NEW_VERSION (and logs)."""
    state = tmp_path / "state"
    state.mkdir()

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = json.dumps({"status": "ok", "data_version": (state / str(self.server.server_port)).read_text()})
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Health) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    systemctl = tmp_path / "systemctl"
    systemctl.write_text(
        '#!/bin/sh\necho "$@" >> "$STATE/log"\n[ -z "$NEW_VERSION" ] || printf %s "$NEW_VERSION" > "$STATE/${2#dashboard@}"\n'
    )
    systemctl.chmod(0o755)
    yield state, [s.server_port for s in servers], systemctl
    for server in servers:
        server.shutdown()
        server.server_close()


def test_ref016_roll_instances_restarts_only_instances_on_other_data_one_by_one(instances, data_copy):
    state, ports, systemctl = instances
    current = data.load(data_copy).version
    (state / str(ports[0])).write_text("0123456789ab")
    (state / str(ports[1])).write_text(current)
    env = os.environ | {
        "DASHBOARD_DATA_DIR": str(data_copy),
        "PYTHON": sys.executable,
        "SYSTEMCTL": str(systemctl),
        "STATE": str(state),
        "NEW_VERSION": current,
        "ROLL_WAIT": "5",
    }
    script = [str(ROOT / "deploy" / "roll-instances"), *map(str, ports)]
    done = subprocess.run(script, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (state / "log").read_text() == f"restart dashboard@{ports[0]}\n"
    assert (state / str(ports[0])).read_text() == current
    # An instance that does not come back on the new data stops the roll: the next one is not touched.
    (state / str(ports[0])).write_text("0123456789ab")
    (state / str(ports[1])).write_text("0123456789ab")
    stuck = subprocess.run(script, env=env | {"NEW_VERSION": "", "ROLL_WAIT": "2"}, capture_output=True, text=True)
    assert stuck.returncode == 1 and f"dashboard@{ports[0]}: no /healthz with data version {current}" in stuck.stderr
    assert (state / "log").read_text().splitlines()[1:] == [f"restart dashboard@{ports[0]}"]
