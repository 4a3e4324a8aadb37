"""Offline after one visit: the manifest, the service worker, and the page read with the server really stopped.

Each browser test starts the app in its own process (`python -m dashboard run` on a free loopback port),
visits it on a 390x844 phone until the worker has saved the page and the page holds every year's answer, then
terminates the process: what the page shows afterwards comes from the worker's caches (pages and answers by
address, as any cache keeps them), not from an emulated offline mode.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.answers import answers_base
from dashboard.app import app
from tests.browser_support import AppProcess, PageWatch

ROOT = Path(__file__).resolve().parent.parent
NNBSP = "\u202f"
# « Hors ligne — chiffres enregistrés le 2 déc. 2026 à 14 h 05 » (no-break spaces around the "h").
FRENCH_LINE = re.compile(
    r"^Hors ligne — chiffres enregistrés le \d{1,2} [a-zéû]+\.? \d{4} à \d{1,2}\u00a0h\u00a0\d{2} · Données au "
)
ENGLISH_LINE = re.compile(r"^Offline — figures saved on \d{1,2} [A-Z][a-z]{2,3} \d{4} at \d{2}:\d{2}")
# The line also says the figures' date (the data's reference date and version).
FIGURES_FR = "Données au 31 déc. 2025"
FIGURES_EN = "Data as of 31 Dec 2025"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def client():
    return app.server.test_client()


# --- served by the app -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "name", "short"),
    [
        ("fr", "Mali – Tableau de bord des opérations (HCR)", "HCR Mali"),
        ("en", "Mali – Operation Dashboard (UNHCR)", "UNHCR Mali"),
    ],
)
def test_manifest_in_the_page_language(client, lang, name, short):
    r = client.get(f"/manifest.webmanifest?lang={lang}")
    assert r.status_code == 200 and r.mimetype == "application/manifest+json"
    m = json.loads(r.data)
    assert (m["name"], m["short_name"], m["lang"]) == (name, short, lang)
    assert m["start_url"] == f"/?lang={lang}" and m["scope"] == "/" and m["display"] == "standalone"
    assert m["theme_color"] == "#0072b2"
    for size in (192, 512):
        for purpose in ("any", "maskable"):
            (icon,) = [i for i in m["icons"] if i["sizes"] == f"{size}x{size}" and i["purpose"] == purpose]
            png = client.get(icon["src"])
            assert png.status_code == 200 and png.mimetype == "image/png"
            assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
            assert struct.unpack(">II", png.data[16:24]) == (size, size)


def test_manifest_language_follows_the_browser_when_not_asked(client):
    r = client.get("/manifest.webmanifest?lang=xx", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert json.loads(r.data)["lang"] == "fr"


def test_worker_served_at_the_root_under_the_same_policy(client):
    page = client.get("/?year=2019&lang=fr")
    r = client.get("/sw.js")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    # Scope "/" without Service-Worker-Allowed, and nothing loosened: the page's CSP and headers, revalidated.
    assert "Service-Worker-Allowed" not in r.headers
    assert r.headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff" and "no-cache" in r.headers["Cache-Control"]
    source = r.get_data(as_text=True)
    assert "/* CONFIG */" not in source
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", source).group(1))
    assert config["answers"] == "/answers/" and config["versionHeader"] == "X-Data-Version"
    assert config["texts"]["fr"]["saved"] == "Hors ligne — chiffres enregistrés le {date} à {time}"
    # A cache by address: it reads no callback body and writes nothing into a page.
    assert "_dash-update-component" not in source and ".replace(marker" not in source


def test_stand_in_page_shows_nothing_until_filled_and_pages_name_theirs(client):
    """The stand-in page (what the worker serves offline at an address whose answer alone is kept) hides its
    first view and the interactive page until assets/offline.js has filled it; a page names its operation's
    and language's stand-in, which the worker saves with it."""
    from dashboard import offline

    shell = client.get("/offline-page?lang=fr")
    assert shell.status_code == 200
    html = shell.get_data(as_text=True)
    assert offline.STAND_IN_STYLE in html and '<meta name="robots" content="noindex">' in html
    assert "#first-view{display:none}" in offline.STAND_IN_STYLE
    assert "html:not([data-stand-in-shown]) #react-entry-point{visibility:hidden}" in offline.STAND_IN_STYLE
    config = json.loads(re.search(r'<script type="application/json" id="dashboard-config">(.*?)</script>', html)[1])
    assert config["standIn"] is True and config["selection"]["lang"] == "fr"
    page = client.get("/?year=2019&lang=fr").get_data(as_text=True)
    assert offline.STAND_IN_STYLE not in page and "noindex" not in page
    config = json.loads(re.search(r'<script type="application/json" id="dashboard-config">(.*?)</script>', page)[1])
    assert config["standIn"] is False and config["standInPage"] == "/offline-page?lang=fr"
    assert config["standInShown"] == "data-stand-in-shown"


def test_stand_in_sets_what_the_choice_callback_sets():
    """What the stand-in page sets beside the views and controls: fields of an answer, each where a choice sets it
    (the choice callback's outputs, or what it sets on its own)."""
    from dashboard import callbacks, offline
    from dashboard.answers import answer
    from dashboard.data import get_dataset

    choice = next(spec for key, spec in app.callback_map.items() if f"{ids.SELECTION}.data" in key)
    outputs = {(o.component_id, o.component_property) for o in choice["output"]}
    apart = set(callbacks.CHOICE_SET_APART.values())
    fields = answer(get_dataset(), "year=2018&lang=fr")
    assert set(offline.STAND_IN_OUTPUTS) == {"selection", "notice", "workbook", "summary"} <= set(fields)
    assert all(tuple(target) in outputs | apart for target in offline.STAND_IN_OUTPUTS.values())


def test_page_links_manifest_and_names_its_data_and_selection(client):
    from dashboard.data import get_dataset

    html = client.get("/?year=2019&lang=fr").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=fr">' in html
    assert f'<meta name="data-version" content="{get_dataset().version}">' in html
    selection = re.search(r'<meta name="dashboard-selection" content="([^"]*)">', html).group(1)
    assert "&quot;year&quot;:&quot;2019&quot;" in selection and "&quot;lang&quot;:&quot;fr&quot;" in selection
    line = re.search(r'<p id="offline-status"[^>]*>', html).group(0)
    assert " hidden " in line and "position:sticky" in line and f'data-figures="{FIGURES_FR}' in line
    config = json.loads(re.search(r'<script type="application/json" id="dashboard-config">(.*?)</script>', html)[1])
    assert config["version"] == get_dataset().version and config["selection"]["year"] == "2019"
    assert config["years"][0] == "2014" and config["answers"] == answers_base()
    assert f"Non disponible hors ligne{NNBSP}:" in line and "Les téléchargements" in line


# --- in Chromium, the server really stopped ---------------------------------------------------------------


def _visit_and_save(context, url: str):
    """Open `url` and wait until the worker has saved it and the page holds every year of its selection."""
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=90_000)
    page.wait_for_selector("html[data-years-kept]", state="attached", timeout=90_000)
    return page


def _kpi(page):
    return page.locator(".kpis .kpi").first


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    yield context
    context.close()


@pytest.mark.browser
def test_off001_seen_page_and_every_year_readable_with_the_server_stopped(phone, ds):
    """The server stopped after one visit: the page reloads from the worker's copy, and a year change takes
    the same path as online (the kept answer applied in the same document: no second start of Dash), every
    view following it, and the line still says the figures are a saved copy."""
    from playwright.sync_api import expect

    from tests.test_phone_updates import every_view_follows

    app_process = AppProcess(ROOT, ROOT / "data").__enter__()
    try:
        page = _visit_and_save(phone, app_process.url + "/?year=2019&lang=fr")
        assert page.evaluate("document.documentElement.dataset.offlineSaved") == "1"
        manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
        assert manifest["start_url"] == "/?lang=fr" and manifest["display"] == "standalone"
        assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
        watch = PageWatch(app_process.url)
        watch.attach(page)
    finally:
        app_process.__exit__(None, None, None)

    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("#offline-status")).to_be_visible()
    assert FRENCH_LINE.match(page.inner_text("#offline-status")), page.inner_text("#offline-status")
    expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"275{NNBSP}779", timeout=30_000)
    # The map's layers came from the saved layout: its nine regions are drawn.
    expect(page.locator("#react-entry-point path.map-region")).to_have_count(9, timeout=30_000)
    documents = []
    page.on("framenavigated", lambda frame: documents.append(frame.url))
    page.evaluate("window.sameDocument = true")

    page.click("summary.controls-summary")
    page.click(".year-row label:has-text('2018')")
    expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"154{NNBSP}432", timeout=30_000)
    assert "year=2018" in page.url
    every_view_follows(page, ds)
    expect(page.locator(".year-row input[value='2018']")).to_be_checked()
    assert page.evaluate("window.sameDocument") is True
    assert [u for u in documents if "year=2018" not in u] == []  # the address changed in place, no new load
    assert FRENCH_LINE.match(page.inner_text("#offline-status"))
    # The line stays on screen when the reader is at the last view, and covers none of the page's top.
    page.locator("footer").scroll_into_view_if_needed()
    box = page.locator("#offline-status").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]

    tab = phone.new_page()
    watch.attach(tab)
    response = tab.goto(app_process.url + "/?year=2019&lang=fr")
    # The saved page as the server sent it: the worker writes nothing into it.
    assert response.from_service_worker and 'id="offline-status" class="offline-status" role="status" hidden' in (
        response.text()
    )
    expect(tab.locator(".kpis .kpi").first).to_contain_text(f"275{NNBSP}779", timeout=30_000)
    expect(tab.locator("#offline-status")).to_be_visible()
    assert FRENCH_LINE.match(tab.inner_text("#offline-status"))
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "said"),
    [("fr", f"Non disponible hors ligne{NNBSP}: ce choix"), ("en", "Not available offline: this choice")],
)
def test_off002_unsaved_group_choice_says_so_and_controls_agree(browser, lang, said):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)
    app_process = AppProcess(ROOT, ROOT / "data").__enter__()
    try:
        page = _visit_and_save(context, app_process.url + f"/?year=2019&lang={lang}")
        expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text("275")
    finally:
        app_process.__exit__(None, None, None)
    watch = PageWatch(app_process.url)
    watch.attach(page)

    page.click("summary.controls-summary")
    refugees = page.locator("#groups input[value='refugees']")
    expect(refugees).to_be_checked()
    page.locator("#groups .group-name").first.click()
    expect(page.locator("#notice")).to_contain_text(said, timeout=30_000)
    # The figures did not change, and neither do the controls: every group is still ticked.
    expect(refugees).to_be_checked()
    assert page.locator("#groups input:not(:checked)").count() == 0
    assert f"275{NNBSP}779" in page.inner_text(".kpis .kpi >> nth=0") or "275,779" in page.inner_text(
        ".kpis .kpi >> nth=0"
    )
    expect(page.locator("#offline-status")).to_be_visible()
    line = page.inner_text("#offline-status")
    assert (FRENCH_LINE if lang == "fr" else ENGLISH_LINE).match(line)
    assert (FIGURES_FR if lang == "fr" else FIGURES_EN) in line
    watch.assert_clean()
    context.close()


@pytest.mark.browser
def test_off003_download_offline_says_it_needs_a_connection(phone):
    from playwright.sync_api import expect

    app_process = AppProcess(ROOT, ROOT / "data").__enter__()
    try:
        page = _visit_and_save(phone, app_process.url + "/?year=2019&lang=fr")
    finally:
        app_process.__exit__(None, None, None)
    page.reload()
    expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"275{NNBSP}779", timeout=30_000)
    page.click("#download-workbook")
    expect(page.locator("#notice")).to_have_text(
        f"Les téléchargements nécessitent une connexion{NNBSP}: réessayez une fois en ligne."
    )


@pytest.mark.browser
def test_off004_new_data_replaces_every_saved_copy(phone, data_copy):
    from playwright.sync_api import expect

    first = AppProcess(ROOT, data_copy).__enter__()
    try:
        page = _visit_and_save(phone, first.url + "/?year=2019&lang=fr")
        old = page.evaluate("document.querySelector('meta[name=data-version]').content")
    finally:
        first.__exit__(None, None, None)
    page.reload()
    expect(page.locator("#offline-status")).to_be_visible()

    # New data: 2019 has 1,000 more refugees (and so a larger total), 2017 another total; the server restarts
    # on the same address (a worker belongs to one origin).
    for name, before, after in (
        ("population_groups.csv", "MLI,page,2019,2019-12-31,refugees,26670", "MLI,page,2019,2019-12-31,refugees,27670"),
        ("population_totals.csv", "MLI,page,2019,2019-12-31,275779", "MLI,page,2019,2019-12-31,276779"),
        ("population_totals.csv", "MLI,page,2017,2017-12-31,84081", "MLI,page,2017,2017-12-31,85081"),
    ):
        path = data_copy / name
        assert before in path.read_text()
        path.write_text(path.read_text().replace(before, after))
    second = AppProcess(ROOT, data_copy, port=first.port).__enter__()
    try:
        # The page finds the server back by itself (it checks every 15 s), reloads, and the line goes.
        expect(page.locator("#offline-status")).to_be_hidden(timeout=40_000)
        expect(page.locator(".kpis .kpi").first).to_contain_text(f"276{NNBSP}779", timeout=30_000)
        new = page.evaluate("document.querySelector('meta[name=data-version]').content")
        assert new != old
        page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=90_000)
        page.wait_for_selector("html[data-years-kept]", state="attached", timeout=90_000)
        names = page.evaluate("caches.keys()")
        assert [n for n in names if n.startswith("dashboard-pages-")] == [f"dashboard-pages-v1-{new}"]
    finally:
        second.__exit__(None, None, None)

    # Offline again: the saved page and its kept answers are the new data's.
    tab = phone.new_page()
    tab.goto(second.url + "/?year=2019&lang=fr")
    expect(tab.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"276{NNBSP}779", timeout=30_000)
    tab.click("summary.controls-summary")
    tab.click(".year-row label:has-text('2017')")
    expect(tab.locator(".kpis .kpi").first).to_contain_text(f"85{NNBSP}081", timeout=30_000)
    assert "84\u202f081" not in tab.inner_text("body")


@pytest.mark.browser
def test_off005_without_scripts_the_page_is_as_before(browser, server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/?year=2019&lang=fr")
    assert f"275{NNBSP}779" in page.inner_text("#first-view .kpis")
    assert page.locator("#offline-status").is_hidden()
    page.click("#first-view summary.controls-summary")
    page.click("#ssr-year a:has-text('2018')")
    assert f"154{NNBSP}432" in page.inner_text("#first-view .kpis")
    context.close()


@pytest.mark.browser
def test_off006_save_data_saves_only_the_page_seen(browser, server):
    """Under Save-Data the page fetches no answer ahead: the worker keeps the page seen, nothing more."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("Object.defineProperty(navigator, 'connection', {value: {saveData: true}})")
    page = context.new_page()
    answers = []
    page.on("request", lambda r: answers.append(r.url) if "/answers/" in r.url else None)
    page.goto(server.url + "/?year=2019&lang=fr")
    page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=90_000)
    assert page.evaluate("document.documentElement.dataset.offlineSaved") == "1"
    assert answers == [] and page.locator("html[data-years-kept]").count() == 0
    kept = page.evaluate(
        """async () => {
            const name = (await caches.keys()).find((n) => n.startsWith("dashboard-pages-"));
            return (await (await caches.open(name)).keys()).map((r) => r.url);
        }"""
    )
    assert not [u for u in kept if "/offline-page?" in u], kept  # nor the stand-in page, which serves answers
    context.close()


@pytest.mark.browser
def test_off007_saved_pages_bounded_per_operation_and_language(browser, server):
    """More pages than the limit (24 per operation and language): the oldest saved go, with their layouts."""
    context = browser.new_context(viewport=PHONE)
    page = _visit_and_save(context, server.url + "/?year=2019&lang=fr")
    addresses = [f"{server.url}/?year={y}&lang=fr&groups={g}" for g in ("refugees", "idps") for y in range(2014, 2026)]
    counts = page.evaluate(
        """async (addresses) => {
            const counts = [];
            for (const address of addresses) {
                counts.push(await new Promise((resolve) => {
                    const heard = (e) => {
                        if (e.data.type === "saved" && e.data.page === address) {
                            navigator.serviceWorker.removeEventListener("message", heard);
                            resolve(e.data.count);
                        }
                    };
                    navigator.serviceWorker.addEventListener("message", heard);
                    navigator.serviceWorker.controller.postMessage({type: "save", page: address});
                }));
            }
            return counts;
        }""",
        addresses,
    )
    assert counts == [1] * 24
    kept = page.evaluate(
        """async () => {
            const name = (await caches.keys()).find((n) => n.startsWith("dashboard-pages-"));
            const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
            return urls;
        }"""
    )
    # The stand-in page (one per operation and language, saved with the first page) is not one of the 24.
    pages = [u for u in kept if "_dash-" not in u and "/answers/" not in u and "/offline-page?" not in u]
    assert len([u for u in kept if "/offline-page?" in u]) == 1
    layouts = [u for u in kept if "/_dash-layout?page=" in u]
    assert len(pages) == 24 and len(layouts) == 24
    # The 2019 page seen first was saved first: it went.
    assert not any("groups" not in u for u in pages)
    assert any("groups=idps" in u and "year=2025" in u for u in pages)
    context.close()


@pytest.mark.browser
def test_off008_a_slow_answer_lands_instead_of_being_taken_for_no_signal(browser, server, monkeypatch):
    """The server is there but slow to answer a choice (6 s: a first answer after a restart on a loaded
    machine): the worker waits for it, the choice lands, and the page never says it is offline (with a 5 s
    limit the worker gave up: the page said the choice was not available offline and put the controls back)."""
    import time

    from playwright.sync_api import expect

    from dashboard import answers, ids

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        watch = PageWatch(server.url)
        watch.attach(page)
        page.goto(server.url + "/?year=2019")
        page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=90_000)  # worker in place
        page.wait_for_selector("html[data-years-kept]", state="attached", timeout=90_000)  # and idle
        expect(page.locator(f"#{ids.SSR}")).to_have_count(0, timeout=30_000)
        answer = answers.update

        def slow_update(*args, **kwargs):
            time.sleep(6)  # the fault: a server slow to answer, not a wait in the test
            return answer(*args, **kwargs)

        monkeypatch.setattr(answers, "update", slow_update)
        # Refugees off: a selection neither the page nor the worker holds, so its answer must come from the server.
        page.locator(f"#{ids.GROUPS} .group-name").first.click()  # Refugees
        expect(page).to_have_url(re.compile(r"groups="), timeout=30_000)
        expect(page.locator(f"#{ids.KPIS} .kpi dd").first).to_have_text("249,109")  # 275,779 - 26,670 refugees
        expect(page.locator("#offline-status")).to_be_hidden()
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.browser
def test_off009_each_address_its_own_figures_across_online_offline_online_offline(phone):
    """The sequence that once showed one selection's figures under another address (the worker's map of
    "address -> saved page shown in its place" was never cleared): each address shows its own year."""
    from playwright.sync_api import expect

    first = AppProcess(ROOT, ROOT / "data").__enter__()
    try:
        page = _visit_and_save(phone, first.url + "/?year=2016&lang=fr")
        expect(page.locator(".year-row input[value='2016']")).to_be_checked()
    finally:
        first.__exit__(None, None, None)
    # Offline, the start address opens the page last saved, under that page's own address.
    page.goto(first.url + "/?lang=fr")
    expect(page).to_have_url(re.compile(r"year=2016"))
    expect(page.locator("#react-entry-point .year-row input[value='2016']")).to_be_checked(timeout=30_000)
    expect(page.locator("#offline-status")).to_be_visible()

    second = AppProcess(ROOT, ROOT / "data", port=first.port).__enter__()
    try:
        page.goto(first.url + "/?lang=fr")  # online: the start address's own page, on the default year
        expect(page.locator("#offline-status")).to_be_hidden()
        default = page.locator("#react-entry-point .year-row input:checked").get_attribute("value", timeout=30_000)
        assert default != "2016"
        page.wait_for_selector("html[data-offline-saved]", state="attached", timeout=90_000)
    finally:
        second.__exit__(None, None, None)
    page.goto(first.url + "/?year=2016&lang=fr")
    expect(page).to_have_url(re.compile(r"year=2016"))
    expect(page.locator("#react-entry-point .year-row input[value='2016']")).to_be_checked(timeout=30_000)
    expect(page.locator(f"#{ids.BUDGET_PILLARS_HEADING}")).to_contain_text("2016")
    page.goto(first.url + "/?lang=fr")
    expect(page.locator(f"#react-entry-point .year-row input[value='{default}']")).to_be_checked(timeout=30_000)
    expect(page.locator(f"#{ids.BUDGET_PILLARS_HEADING}")).to_contain_text(default)


# What a page showed, frame by frame, from its first: the controls' one-line summary (it names the year), the
# budget heading (it names the year), the first key figure and the charts' titles (two name the year), each
# only while it is rendered (a hidden one is left out), in the first view or the interactive page.
SHOWN_FRAMES = """
window.shownFrames = [];
const look = () => {
    const visible = (element) => element && element.checkVisibility({visibilityProperty: true});
    const summary = [...document.querySelectorAll(".controls-summary")].find(visible);
    const heading = [...document.querySelectorAll("[id$='budget-pillars-heading']")].find(visible);
    const kpi = [...document.querySelectorAll(".kpis .kpi")].find(visible);
    const titles = [...document.querySelectorAll(".js-plotly-plot .gtitle")].filter(visible).map((t) => t.textContent);
    if (summary || heading || kpi || titles.length) {
        const frame = [
            summary ? summary.innerText : null,
            heading ? heading.innerText : null,
            kpi ? kpi.innerText : null,
            titles,
        ];
        const last = window.shownFrames[window.shownFrames.length - 1];
        if (JSON.stringify(last) !== JSON.stringify(frame)) window.shownFrames.push(frame);
    }
    requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


def _offline_year_then_reload(phone, year: str):
    """Visit 2019 in French until the worker has saved the page, its stand-in and every year; stop the server;
    choose `year` (answered from kept answers in the same document: the address now names it); reload."""
    from playwright.sync_api import expect

    app_process = AppProcess(ROOT, ROOT / "data").__enter__()
    try:
        page = _visit_and_save(phone, app_process.url + "/?year=2019&lang=fr")
        page.wait_for_function(
            """async () => {
                const name = (await caches.keys()).find((n) => n.startsWith("dashboard-pages-"));
                return !!name && (await (await caches.open(name)).keys()).some((r) => r.url.includes("/offline-page?"));
            }""",
            timeout=30_000,
        )
        watch = PageWatch(app_process.url)
        watch.attach(page)
    finally:
        app_process.__exit__(None, None, None)
    page.click("summary.controls-summary")
    page.click(f".year-row label:has-text('{year}')")
    expect(page).to_have_url(re.compile(f"year={year}"), timeout=30_000)
    page.add_init_script(SHOWN_FRAMES)
    response = page.reload()
    return page, watch, response


@pytest.mark.browser
def test_off010_an_address_reached_offline_reloads_with_its_own_figures_in_every_view(phone, ds):
    """The server stopped after one visit, a year chosen from kept answers, the page reloaded: that address
    was never saved as a page, but its answer is kept, so it shows that year's figures in every view, with
    the offline line (before, the worker's "not saved" page)."""
    from playwright.sync_api import expect

    from tests.test_phone_updates import every_view_follows

    page, watch, response = _offline_year_then_reload(phone, "2018")
    assert response.from_service_worker and response.status == 200
    expect(page.locator("html[data-stand-in-shown]")).to_have_count(1, timeout=60_000)
    assert "year=2018" in page.url
    every_view_follows(page, ds)
    expect(page.locator(f"#{ids.YEAR} input[value='2018']")).to_be_checked()
    expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"154{NNBSP}432")
    expect(page.locator("#offline-status")).to_be_visible()
    assert FRENCH_LINE.match(page.inner_text("#offline-status")), page.inner_text("#offline-status")
    # A year chosen on it is answered from the kept answers too, in the same document.
    page.click("summary.controls-summary")
    page.click(".year-row label:has-text('2017')")
    expect(page.locator("#react-entry-point .kpis .kpi").first).to_contain_text(f"84{NNBSP}081", timeout=30_000)
    assert "year=2017" in page.url
    # A kept year's address opened in a new tab (typed, or from the history) is filled the same way.
    tab = phone.new_page()
    watch.attach(tab)
    tab.goto(page.url.split("?")[0] + "?year=2016&lang=fr")
    expect(tab.locator("html[data-stand-in-shown]")).to_have_count(1, timeout=60_000)
    every_view_follows(tab, ds)
    expect(tab.locator(f"#{ids.BUDGET_PILLARS_HEADING}")).to_contain_text("2016")
    assert FRENCH_LINE.match(tab.inner_text("#offline-status"))
    watch.assert_clean()


@pytest.mark.browser
def test_off011_another_selection_is_never_shown_under_an_address_reached_offline(phone, ds):
    """While the reloaded page starts (its stand-in is another selection's page until filled), and as it is
    scrolled through, no frame shows another year: every rendered year control, budget heading, first key
    figure and chart title is 2018's."""
    from playwright.sync_api import expect

    from tests.browser_support import draw_every_chart

    page, watch, _ = _offline_year_then_reload(phone, "2018")
    expect(page.locator("html[data-stand-in-shown]")).to_have_count(1, timeout=60_000)
    expect(page.locator(f"#{ids.BUDGET_PILLARS_HEADING}")).to_contain_text("2018")
    page.wait_for_function("() => window.shownFrames.some((f) => f[0] && f[1] && f[2] && f[3].length === 4)")
    # Scrolled through, as a reader would: a chart drawn as it comes near the screen is 2018's too (the layout
    # it started on holds another selection's figures).
    draw_every_chart(page)
    frames = page.evaluate("window.shownFrames")
    for summary, heading, kpi, titles in frames:
        assert summary is None or "2018" in summary, frames
        assert heading is None or "2018" in heading, frames
        assert kpi is None or f"154{NNBSP}432" in kpi, frames
        # "…, 2018 · Par groupe…", "… Par pilier, 2018": every year a title names is 2018.
        assert all(year == "2018" for title in titles for year in re.findall(r", ((?:mi-)?\d{4})", title)), frames
    watch.assert_clean()
