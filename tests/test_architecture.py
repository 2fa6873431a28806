"""The boundaries the README's architecture section promises, read from the code itself."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGES = ("tasks", "flows", "expectations", "warehouse", "deployments")
RUNTIME = ("prefect", "prefect_dask", "dask", "distributed", "watchdog", "rich")


def _modules() -> dict[str, Path]:
    """Every module of the project's packages by dotted name (a package by its __init__)."""
    out = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, name: str) -> set[str]:
    """Every module an import statement anywhere in the file names, function-local ones included."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path, name) if m in modules and m != name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the chain of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path, stack = [root], [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_the_project_has_no_import_cycle():
    graph = _graph()
    assert "tasks.pipeline" in graph and graph["tasks.pipeline"]  # the walk found the modules
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_nothing_under_tasks_imports_the_orchestrator_or_ui_runtime():
    offenders = {
        name: sorted(m for m in _imports(path, name) if m.split(".")[0] in RUNTIME)
        for name, path in _modules().items()
        if name.startswith("tasks")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_quality_layer_imports_nothing_from_the_review_workflow():
    graph = _graph()
    quality = [name for name in graph if name.startswith("tasks.quality")]
    assert quality
    assert {name: sorted(graph[name] & {"tasks.review", "tasks.pipeline"}) for name in quality} == {
        name: [] for name in quality
    }
