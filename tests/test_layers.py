"""The code's one-way flow: no module of `dashboard` imports, directly or through others, a module that imports
it back, and the lowest layers (the strings, the data, the importer) import nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the dashboard modules it imports (anywhere in it, functions included)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module or ""
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    edges.add(target if target in files else base)
        graph[name] = {e for e in edges if e in files and e != name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_layers001_no_import_cycle():
    graph = _graph()
    assert len(graph) > 30, sorted(graph)
    cycles = sorted(name for name in graph if name in _reachable(graph, name))
    assert cycles == []


def test_layers002_low_layers_import_nothing_above_them():
    graph = _graph()
    allowed = {
        "dashboard.catalogue": set(),
        "dashboard.data": {"dashboard.names", "dashboard.safety"},
        "dashboard.importer": {"dashboard.data", "dashboard.names", "dashboard.safety"},
    }
    for layer, below in allowed.items():
        for name, edges in graph.items():
            if name == layer or name.startswith(layer + "."):
                outside = {e for e in edges if not (e == layer or e.startswith(layer + "."))}
                assert outside <= below, (name, outside - below)
