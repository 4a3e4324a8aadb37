"""The server under hostile or odd requests: never a 500, never a traceback, the expected headers."""

from __future__ import annotations

import gzip
import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import ids
from dashboard.app import app
from dashboard.dash_internals import callback_dependencies

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client():
    return app.server.test_client()


def _valid_body(output_key: str, value=None) -> dict:
    inputs, state, outputs = callback_dependencies(app, output_key)
    return {
        "output": output_key,
        "outputs": outputs,
        "inputs": [dict(i, value=value) for i in inputs],
        "state": [dict(s, value=value) for s in state],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


# The server callbacks as the renderer knows them (Dash's list for the page).
SERVER_CALLBACKS = sorted(
    d["output"]
    for d in app.server.test_client().get("/_dash-dependencies").get_json()
    if not d.get("clientside_function")
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=10), inner, max_size=6),
    max_leaves=30,
)


def _assert_handled(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body


def test_healthz(client, ds):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {
        "status": "ok",
        "operations": 1,
        "data_version": ds.version,
        # how fresh the statistics are: the shipped series names its release; no refresh has fetched it yet
        "statistics": {"unhcr_refugee_statistics": {"release": "2025.12", "fetched": None}},
        "instance": os.getpid(),
    }


def test_every_answer_names_its_data_version(client, ds):
    for path in ("/", "/healthz", "/download/people.csv", "/no-such-page"):
        assert client.get(path).headers["X-Data-Version"] == ds.version, path


def test_security_headers(client):
    r = client.get("/")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_responses_are_compressed(client):
    r = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(r.data))["props"]


def test_fingerprinted_assets_are_cached_long(client):
    r = client.get("/assets/dashboard.js?m=123")
    assert r.status_code == 200 and r.cache_control.max_age == 365 * 24 * 3600


def test_page_uses_no_cdn(client):
    html = client.get("/").get_data(as_text=True)
    assert "unpkg" not in html and "cdn" not in html.lower()


def _showing(body: dict, version: str) -> dict:
    """The request as a page showing data `version` sends it."""
    for state in body["state"]:
        if state["id"] == ids.DATA_VERSION:
            state["value"] = version
    return body


def test_valid_update_works(client, ds):
    # The map's layers for the operation shown (the choices themselves are GET answers: tests/test_answers.py).
    (key,) = [k for k in SERVER_CALLBACKS if f"..{ids.MAP_OUTLINE}.data..." in k]
    body = _showing(_valid_body(key, "MLI"), ds.version)
    r = client.post(UPDATE, json=body)
    assert r.status_code == 200
    assert r.get_json()["response"][ids.MAP_OUTLINE]["data"]["features"]


def test_a_page_on_other_data_is_told_to_reload_not_given_a_part(client, ds):
    """The map's layers alone cannot make a page on other data whole: nothing of them, a reload instead."""
    (key,) = [k for k in SERVER_CALLBACKS if f"..{ids.MAP_OUTLINE}.data..." in k]
    r = client.post(UPDATE, json=_showing(_valid_body(key, "MLI"), "000000000000"))
    assert r.status_code == 200
    answer = r.get_json()
    assert "response" not in answer or ids.MAP_OUTLINE not in answer["response"]
    assert answer["sideUpdate"] == {ids.RELOAD: {"data": ds.version}}


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"text"',
        b'{"output": 5}',
        b'{"output": "nope.children", "inputs": []}',
        json.dumps({"output": f"{ids.MAP_DETAILS}.children"}).encode(),
        json.dumps({"output": f"{ids.MAP_DETAILS}.children", "outputs": {}, "inputs": [{}]}).encode(),
        b"\xff\xfe\x00garbage",
        b"1" * 70_000,
    ],
)
def test_malformed_update_is_rejected_cleanly(client, payload):
    r = client.post(UPDATE, data=payload, content_type="application/json")
    _assert_handled(r)
    assert r.status_code in (400, 413)


def test_get_on_update_path(client):
    _assert_handled(client.get(UPDATE))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    output=st.sampled_from(SERVER_CALLBACKS),
    value=json_values,
    mangle=st.sampled_from(["value", "drop", "extra", "type"]),
    trigger=st.integers(0, 20),
    others=st.lists(st.none() | json_values, min_size=16, max_size=16),
)
def test_fuzzed_updates_never_500(client, output, value, mangle, trigger, others):
    body = _valid_body(output, value)
    for item, other in zip(body["inputs"] + body["state"], others, strict=False):
        if other is not None:
            item["value"] = other
    spec = callback_dependencies(app, output)[0]
    body["changedPropIds"] = [f"{spec[trigger % len(spec)]['id']}.{spec[trigger % len(spec)]['property']}"]
    if mangle == "drop":
        body["inputs"] = body["inputs"][:-1]
    elif mangle == "extra":
        body["state"] = [*body["state"], {"id": "x", "property": "y", "value": value}]
    elif mangle == "type":
        body["inputs"] = value
    _assert_handled(client.post(UPDATE, json=body))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_random_json_never_500(client, body):
    _assert_handled(client.post(UPDATE, json=body))


@pytest.fixture
def logged():
    """Log records of the app while a test runs (the logging plugin is off in this project)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield records
    finally:
        root.removeHandler(handler)


def _key(fragment: str) -> str:
    (key,) = [k for k in SERVER_CALLBACKS if fragment in k]
    return key


@pytest.mark.parametrize("output", ["map-details.children", "..map-outline.data"])
@pytest.mark.parametrize(
    "changed",
    [
        ['{"type":"x","index":1}.n_clicks'],
        ["{}.value"],
        ["{.value"],
        ['{"id": {"a": 1}}.x'],
        ["nope.value"],
        ["map-offices.n_clicks", "{}.n_clicks"],
    ],
)
def test_changed_prop_ids_that_are_not_inputs_get_400(client, logged, output, changed):
    body = _valid_body(_key(output))
    body["changedPropIds"] = changed
    r = client.post(UPDATE, json=body)
    assert r.status_code == 400
    assert r.get_json()["reason"] == "'changedPropIds' must list inputs of the callback"
    assert not [rec for rec in logged if rec.levelno >= logging.ERROR]


def test_dict_ids_get_400(client, logged):
    body = _valid_body(_key("map-details.children"))
    body["inputs"][0]["id"] = {"type": "map-offices", "index": 1}
    r = client.post(UPDATE, json=body)
    assert r.status_code == 400 and "'inputs' does not match" in r.get_json()["reason"]
    assert not logged


@pytest.mark.parametrize("depth", [33, 990, 5000, 30_000])
def test_deeply_nested_json_gets_400(client, logged, depth):
    payload = "[" * depth + "]" * depth
    r = client.post(UPDATE, data=payload, content_type="application/json")
    if len(payload) > 64 * 1024:
        assert r.status_code == 413
    else:
        assert r.status_code == 400 and r.get_json()["reason"] == "JSON nested more than 32 levels deep"
    assert not logged


def test_deep_value_inside_a_valid_call_gets_400(client, logged):
    deep = current = {}
    for _ in range(40):
        current["a"] = current = {}
    body = _valid_body(_key("..map-outline.data"), deep)
    r = client.post(UPDATE, json=body)
    assert r.status_code == 400 and "nested" in r.get_json()["reason"]
    assert not logged


def test_nesting_within_the_limit_is_parsed(client):
    r = client.post(UPDATE, data="[" * 32 + "]" * 32, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["reason"] == "expected a JSON object"


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/nopkg/x.js",
        "/_dash-component-suites/dash/deps/nope@1.0.0.min.js",
        "/_dash-component-suites/dash/dcc/async-mathjax.js.map",
        "/_dash-component-suites/dash_leaflet/../../../etc/passwd",
        "/_dash-component-suites/plotly/nope.js",
        "/assets/nope.js",
    ],
)
def test_missing_component_files_are_404_without_traceback(client, logged, path):
    r = client.get(path)
    assert r.status_code == 404
    _assert_handled(r)
    assert not logged


def test_an_existing_component_file_is_served(client):
    html = client.get("/").get_data(as_text=True)
    (src,) = [s for s in html.split('"') if s.startswith("/_dash-component-suites/dash/deps/react@")]
    assert client.get(src).status_code == 200


def test_scripts_restricted_to_own_origin_and_dash_hashes(client):
    policy = dict(part.strip().split(" ", 1) for part in client.get("/").headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"].split() == ["'self'", *app.csp_hashes()]
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert client.get("/healthz").headers["Permissions-Policy"].startswith("accelerometer=()")


def test_tile_server_allowed_for_images_only_when_set(monkeypatch):
    from dashboard.security_headers import content_security_policy

    assert "tiles.example" not in content_security_policy(app)
    monkeypatch.setenv("DASHBOARD_TILE_URL", "https://{s}.tiles.example/{z}/{x}/{y}.png")
    policy = content_security_policy(app)
    assert "img-src 'self' data: blob: https://*.tiles.example;" in policy


def test_page_does_not_tell_versions(client):
    import sys
    from importlib.metadata import version

    html = client.get("/").get_data(as_text=True)
    for package in ("dash", "plotly", "dash_leaflet", "dash_bootstrap_components"):
        v = version(package)
        assert v not in html and v.replace(".", "_") not in html, package
    assert sys.version.split()[0] not in html
    assert "python_version" not in html and "Internet Explorer" not in html


def test_component_scripts_still_served_and_cached(client):
    html = client.get("/").get_data(as_text=True)
    scripts = [s for s in html.split('"') if s.startswith("/_dash-component-suites/")]
    assert len(scripts) > 5
    for src in scripts:
        r = client.get(src)
        assert r.status_code == 200, src
        assert r.cache_control.max_age == 365 * 24 * 3600


def test_server_vary_names_every_header_an_answer_depends_on(client):
    assert "Accept-Language" in client.get("/manifest.webmanifest").headers["Vary"]
    assert "Accept-Language" not in client.get("/manifest.webmanifest?lang=fr").headers["Vary"]
    vary = client.get("/_dash-layout").headers["Vary"]
    assert "Referer" in vary and "Accept-Language" in vary
    assert "Accept-Language" in client.get("/?year=2019").headers["Vary"]


def test_server_csv_names_one_charset(client):
    assert client.get("/download/budget.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("path", ["/_dash-component-suites/nope.js", "/_dash-component-suites/dash/nope.js"])
def test_server_unknown_script_is_a_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.get_json()["reason"] == "Not Found"
    assert "<html" not in r.get_data(as_text=True)


def test_server_security_headers_on_every_kind_of_answer(client):
    page = client.get("/")
    answers = {
        "page": page,
        "304": client.get("/", headers={"If-None-Match": page.headers["ETag"]}),
        "404": client.get("/_dash-component-suites/nope.js"),
        "405": client.put("/healthz"),
        "413": client.post(UPDATE, data=b"[" + b"0," * 40_000 + b"0]", content_type="application/json"),
        "400": client.post(UPDATE, data=b"{", content_type="application/json"),
        "download": client.get("/download/budget.csv"),
        "script": client.get("/sw.js"),
    }
    assert answers["304"].status_code == 304
    for kind, r in answers.items():
        assert r.headers["X-Content-Type-Options"] == "nosniff", kind
        assert r.headers["X-Frame-Options"] == "DENY", kind
        assert r.headers["Referrer-Policy"] == "same-origin", kind
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], kind
