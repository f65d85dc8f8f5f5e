"""The one-way flow (config -> ingest -> index -> qa -> app / eval / CLI / API), read from the
source: every import, at module level or inside a function, points down, and no two modules
import each other through any path."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Each package may import only from the packages before it in this order.
LAYERS = ("config", "ingest", "index", "qa")
TOP = ("eval", "ui", "citewise", "pages", "app", "api")  # consumers of qa/: never imported
# below it. What a consumer may use besides the layers: the eval library (scoring), the app's
# widgets, the API (which `citewise serve` runs).
USES = {"eval": set(), "ui": {"eval"}, "citewise": {"eval", "api"}, "pages": {"eval", "ui"},
        "app": {"ui"}, "api": set()}
PACKAGES = LAYERS + TOP


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        base = ROOT / package
        files = [ROOT / "app.py"] if package == "app" else sorted(base.rglob("*.py"))
        for path in files:
            out[_module_name(path)] = path
    return out


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Project modules `path` imports, resolved to the longest known module name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for name in names:
            parts = name.split(".")
            for k in range(len(parts), 0, -1):
                if ".".join(parts[:k]) in modules:
                    found.add(".".join(parts[:k]))
                    break
    return found


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    modules = set(sources)
    return {m: _imports(p, modules) - {m} for m, p in sources.items()}


def test_every_import_points_down_the_layers():
    wrong = []
    for module, targets in _graph().items():
        package = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if package in LAYERS:
                allowed = LAYERS[: LAYERS.index(package) + 1]
                if other not in allowed:
                    wrong.append(f"{module} imports {target}")
            elif other in TOP and other != package and other not in USES[package]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the one-way flow:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
