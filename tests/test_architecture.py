"""The layout keeps its promises: the import contract, no cycles, no private names across modules, small modules."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "geomap"

#: modules allowed past the size limit, with the reason
LARGE_OK = {
    "geodesy.py": "one concept (the exact kernel and its proven pruning bounds), tuned against bench/",
}
MAX_LINES = 600


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_import_contract_holds():
    """`lint-imports` (import-linter) checks the layers, the click/folium rules and sibling cycles (pyproject.toml)."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    run = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def _imports(path: Path):
    """(imported module, name) pairs of ``from geomap... import name`` anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geomap") and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name


def test_no_private_names_imported_across_modules():
    offenders = []
    for path in _modules():
        here = _module_name(path)
        for module, name in _imports(path):
            if name.startswith("_") and not name.startswith("__") and module != here:
                offenders.append(f"{path.relative_to(ROOT)}: from {module} import {name}")
    assert not offenders, "\n".join(offenders)


def test_no_import_cycles_between_modules():
    """No two geomap modules import each other, even through other modules (function-level imports included)."""
    graph: dict[str, set[str]] = {}
    names = {_module_name(p) for p in _modules()}
    for path in _modules():
        deps = set()
        for module, name in _imports(path):
            target = f"{module}.{name}" if f"{module}.{name}" in names else module
            if target in names and target != _module_name(path):
                deps.add(target)
        graph[_module_name(path)] = deps
    # parents of a package import their children's names lazily (geomap/__init__): packages' own
    # __init__ modules are leaves for this check
    cycles = []
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "\n".join(cycles)


def test_modules_stay_small():
    big = []
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and path.name not in LARGE_OK:
            big.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not big, "split by concern (no module over %d lines):\n%s" % (MAX_LINES, "\n".join(big))


def test_every_module_compiles_without_warnings():
    """No source gives a compile-time warning (an invalid escape sequence in a docstring is a DeprecationWarning
    that a user running with -W sees, and a SyntaxError in a future Python)."""
    import warnings

    for path in sorted(PACKAGE.rglob("*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
