"""Each reliance on Dash beyond its public API (dashboard/dash_internals.py), and the public serialisation the
static page uses, checked against the installed Dash: an upgrade that moves one fails here, by name."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import dash_leaflet as dl
import pytest
from dash import Dash, Input, Output, State, dcc, html

from dashboard import dash_internals, ssr
from dashboard.request_guard import check_update

SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')


@pytest.fixture
def bare(tmp_path):
    """A Dash app of Dash's own components, an assets folder with one stylesheet and one script, callbacks of
    each kind the app declares, and the parts Dash hands to `interpolate_index` for its page."""
    (tmp_path / "look.css").write_text("p { color: black; }", encoding="utf-8")
    (tmp_path / "act.js").write_text("window.x = 1;", encoding="utf-8")
    app = Dash(__name__, assets_folder=str(tmp_path), serve_locally=True)
    app.layout = html.Div([dcc.Input(id="a"), dcc.Store(id="b"), html.Div(id="c"), html.Div(id="d")])
    app.callback(Output("c", "children"), Input("a", "value"), State("b", "data"))(lambda a, b: a)
    app.callback([Output("d", "children"), Output("b", "data")], Input("a", "value"))(lambda a: (a, a))
    app.clientside_callback("function (a) { return a; }", Output("d", "title"), Input("a", "value"))
    parts = {}
    interpolate = app.interpolate_index

    def capture(**given):
        parts.update(given)
        return interpolate(**given)

    app.interpolate_index = capture
    assert app.server.test_client().get("/").status_code == 200
    return app, parts


def test_internals001_component_json_is_type_namespace_and_set_props():
    div = html.Div("x", id="i", className="k", **{"aria-label": "l", "data-v": "1"})
    assert div.to_plotly_json() == {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {"children": "x", "id": "i", "className": "k", "aria-label": "l", "data-v": "1"},
    }
    # The kinds the static page tells apart by name are the names Dash and dash-leaflet give them.
    made = {"Link": {"href": "/"}, "RadioItems": {"options": []}, "Checklist": {"options": []}}
    kinds = {"Store", "Location", "Download", "Graph", "Link", "RadioItems", "Checklist", "Input"}
    for kind in kinds:
        assert getattr(dcc, kind)(id="k", **made.get(kind, {})).to_plotly_json()["type"] == kind
    assert dl.MapContainer(id="m").to_plotly_json()["type"] == "MapContainer"
    assert set(ssr.SKIPPED) <= kinds


def test_internals002_update_and_component_routes_are_dash_routes(bare):
    app, _ = bare
    rules = [rule.rule for rule in app.server.url_map.iter_rules()]
    assert dash_internals.UPDATE_PATH in rules
    assert dash_internals.LAYOUT_PATH in rules
    assert any(rule.startswith(dash_internals.COMPONENT_SUITES) for rule in rules), rules


def test_internals003_callback_dependencies_read_from_dash_registry(bare):
    app, _ = bare
    assert dash_internals.callback_dependencies(app, "c.children") == (
        [{"id": "a", "property": "value"}],
        [{"id": "b", "property": "data"}],
        {"id": "c", "property": "children"},
    )
    multi = [key for key in app.callback_map if "d.children" in key]
    assert len(multi) == 1
    assert dash_internals.callback_dependencies(app, multi[0])[2] == [
        {"id": "d", "property": "children"},
        {"id": "b", "property": "data"},
    ]
    # A clientside callback is not one the server answers.
    assert dash_internals.callback_dependencies(app, "d.title") is None


def test_internals004_every_server_callback_the_renderer_knows_passes_the_guard(bare):
    """The renderer's own list of callbacks (its public contract) read as the renderer calls them."""
    app, _ = bare
    client = app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    served = [d for d in dependencies if not d.get("clientside_function")]
    assert len(served) == 2
    for dep in served:
        inputs, state, outputs = dash_internals.callback_dependencies(app, dep["output"])
        assert [(i["id"], i["property"]) for i in inputs] == [(i["id"], i["property"]) for i in dep["inputs"]]
        body = {
            "output": dep["output"],
            "outputs": outputs,
            "inputs": [{"id": i["id"], "property": i["property"], "value": "v"} for i in dep["inputs"]],
            "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
        }
        assert check_update(app, body) is None
        answer = client.post(dash_internals.UPDATE_PATH, json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)


def test_internals005_setup_server_prepares_dash_before_any_request(tmp_path):
    app = Dash(__name__, assets_folder=str(tmp_path), serve_locally=True)
    app.layout = html.Div(id="x")
    # What the app needs done before a worker takes a request: the paths of Dash's scripts registered (a
    # request for one is a 404 until they are). Dash keeps them in `registered_paths`, a set per package.
    assert not app.registered_paths
    dash_internals.setup_server(app)
    assert "dash-renderer/build/dash_renderer.min.js" in app.registered_paths["dash"]
    dash_internals.setup_server(app)  # a second call changes nothing
    client = app.server.test_client()
    scripts = SCRIPT_SRC.findall(client.get("/").get_data(as_text=True))
    renderer = [src for src in scripts if "dash_renderer" in src]
    assert len(renderer) == 1
    assert client.get(renderer[0]).status_code == 200


def test_internals006_script_patterns_match_every_script_dash_writes(bare):
    _, parts = bare
    scripts = parts["scripts"]
    sources = SCRIPT_SRC.findall(scripts)
    assert len(sources) >= 8, scripts
    assert len(dash_internals.EXTERNAL_SCRIPT.findall(scripts)) == len(sources)
    unused = dash_internals.UNUSED_SCRIPTS.findall(scripts)
    assert len(unused) == 2, unused
    assert any("dash_table/bundle" in s for s in unused) and any("polyfill@" in s for s in unused)
    suites = [src for src in sources if src.startswith(dash_internals.COMPONENT_SUITES)]
    assert len(suites) >= 5
    assert all(dash_internals.FINGERPRINT.search(src) for src in suites), suites


def test_internals007_stylesheet_favicon_and_config_as_dash_writes_them(bare):
    _, parts = bare
    assert dash_internals.STYLESHEET_LINK.findall(parts["css"]) == ["look.css"]
    assert len(dash_internals.FAVICON_VERSION.findall(parts["favicon"])) == 1
    config = parts["config"]
    assert config.startswith("<script") and config.endswith("</script>")
    keys = json.loads(config[config.index(">") + 1 : config.rindex("</script>")])
    assert {"dash_version", "python_version"} <= set(keys)
    assert not {k for k in keys if "version" in k and k != "disable_version_check"} - set(dash_internals.VERSION_KEYS)


def test_internals008_ie_notice_is_in_dash_default_page():
    assert len(dash_internals.IE_NOTICE.findall(Dash(__name__).index_string)) == 1


# Reaching into Dash: its private attributes, its callback registry, the names of its routes.
DASH_PRIVATE = {"_setup_server", "_type", "_namespace", "_prop_names", "callback_map", "registered_paths"}
DASH_ROUTE = re.compile(r"_dash-[a-z]")
# Modules another change owns that still reach in, each with what it should use instead; the list only shrinks.
NOT_YET_MOVED: dict[str, set[str]] = {}


def _reaches_into_dash(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in DASH_PRIVATE:
            found.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and DASH_ROUTE.search(node.value):
            found |= {m.group(0) for m in re.finditer(r"_dash-[a-z-]+[a-z]", node.value)}
    return found


def test_internals009_no_other_module_reaches_into_dash():
    package = Path(dash_internals.__file__).parent
    reaching = {}
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package.parent).as_posix()
        found = _reaches_into_dash(path) - NOT_YET_MOVED.get(name, set())
        if found and path.name != "dash_internals.py":
            reaching[name] = found
    assert reaching == {}
