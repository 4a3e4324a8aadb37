"""The answers resource (dashboard/answers.py): every choice's figures by address, kept by any cache."""

from __future__ import annotations

import orjson
import pytest

from dashboard import answers, ids, render
from dashboard.app import app
from dashboard.code_version import CODE_VERSION, code_version
from dashboard.selection import from_query

CHOICE = "op=MLI&year=2018&lang=fr&groups=idps%2Crefugees&source=page&donor_type=all&donor=&sort=date_desc"


@pytest.fixture
def client():
    return app.server.test_client()


def test_answer001_holds_what_every_view_shows_for_the_choice(client, ds):
    r = client.get(answers.answer_address(ds.version, CHOICE))
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = orjson.loads(r.data)
    sel, bad = from_query(ds, "year=2018&lang=fr&groups=refugees,idps")
    assert bad == []
    # The same builders as the first view and the downloads: every view's value for the selection.
    for (component, prop), text in render.texts(ds, sel).items():
        assert body["views"][component][prop] == orjson.loads(text), (component, prop)
    assert body["key"] == CHOICE and body["version"] == ds.version
    assert body["selection"]["groups"] == ["refugees", "idps"] and body["controls"]["year"] == "2018"
    assert body["url"] == "?year=2018&lang=fr&groups=refugees,idps"
    assert body["views"][ids.TITLE]["children"] == "Tableau de bord des opérations"
    assert body["notice"] == ""


def test_answer002_cacheable_a_year_by_any_cache_and_revalidated_by_etag(client, ds):
    r = client.get(answers.answer_address(ds.version, CHOICE), headers={"Accept-Encoding": "br"})
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.headers["X-Data-Version"] == ds.version and "Accept-Language" not in r.headers.get("Vary", "")
    revalidate = {"Accept-Encoding": "br", "If-None-Match": r.headers["ETag"]}
    again = client.get(answers.answer_address(ds.version, CHOICE), headers=revalidate)
    assert again.status_code == 304 and again.data == b""


def test_answer003_another_version_is_said_cheaply_and_never_kept(client, ds):
    r = client.get(answers.answer_address("0123456789ab", CHOICE))
    assert r.status_code == 307 and r.headers["Cache-Control"] == "no-store"
    assert r.headers["Location"].endswith(answers.answer_address(ds.version, CHOICE))
    assert orjson.loads(r.data) == {"error": "other data version", "version": ds.version} and len(r.data) < 100


@pytest.mark.parametrize("address", ["/answers/{version}?{choice}", "/answers/0123456789ab/{version}?{choice}"])
def test_answer008_other_code_is_told_a_version_no_page_has_and_never_kept(client, ds, address):
    """A page loaded before a deploy asks at its code's address (or, from the scripts before the code was named,
    at none): it reads a version that is not its own, so it moves whole to the new scripts, and nothing of the
    new code's shape is ever read by the old. Not a redirect: the page would follow it to the new shape."""
    r = client.get(address.format(version=ds.version, choice=CHOICE))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store" and "Location" not in r.headers
    body = orjson.loads(r.data)
    assert body["error"] == "other code" and body["version"] != ds.version and "views" not in body
    assert answers.page_config(ds, from_query(ds, "")[0])["answers"] == f"/answers/{CODE_VERSION}/"


def test_answer009_the_code_version_follows_every_file_that_builds_or_reads_an_answer(tmp_path):
    for name in ("dashboard/views/people.py", "dashboard/sw.js", "assets/answers.js", "assets/style.css"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("one")
    before = code_version(tmp_path)
    assert before == code_version(tmp_path) and len(before) == 12
    for name in ("dashboard/views/people.py", "dashboard/sw.js", "assets/answers.js"):
        (tmp_path / name).write_text("two")
        assert code_version(tmp_path) != before, name
        before = code_version(tmp_path)
    (tmp_path / "assets/style.css").write_text("two")
    assert code_version(tmp_path) == before


@pytest.mark.parametrize(
    "query", ["year=1850&groups=<b>&lang=xx&source=1", "groups=" + "x," * 500, "%ff%fe=1", "year=2018&rule=operation"]
)
def test_answer004_a_malformed_choice_gets_defaults_and_says_so_never_a_500(client, ds, query):
    r = client.get(answers.answer_address(ds.version, query))
    assert r.status_code == 200
    body = orjson.loads(r.data)
    assert body["selection"]["op"] == "MLI" and body["views"]


def test_answer005_a_query_too_long_is_refused(client, ds):
    r = client.get(answers.answer_address(ds.version, "donor=" + "a" * (answers.MAX_QUERY + 1)))
    assert r.status_code == 414 and orjson.loads(r.data)["error"] == "bad request"


def test_answer006_the_operation_rule_keeps_what_the_other_operation_has(ds):
    # One operation in the shipped data: the rule still answers, on that operation's own years and groups.
    body = answers.answer(ds, "op=MLI&year=2018&lang=en&groups=refugees&source=page&rule=operation")
    assert body["selection"]["op"] == "MLI" and body["selection"]["groups"] == ["refugees"]
    assert body["selection"]["year"] == "2018"
