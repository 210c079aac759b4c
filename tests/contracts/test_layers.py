"""The layers of ../shared/design.md hold, as import-linter contracts (pyproject.toml), and
they fail the build when a module reaches past its layer: each case below breaks a copy of the
package on purpose and expects the contract that forbids it to say so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    # The package under `root` comes first on the path, before the installed one.
    env = os.environ | {"PYTHONPATH": str(root), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_layers_hold() -> None:
    done = lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        (
            "views/widgets/header.py",
            "from console.app import GridcallApp",
            "Each layer imports only the layers below it BROKEN",
        ),
        (
            "views/screens/case.py",
            "if TYPE_CHECKING:\n    from console.app import GridcallApp",
            "Each layer imports only the layers below it BROKEN",
        ),
        (
            "views/widgets/queue.py",
            "from sqlalchemy.exc import SQLAlchemyError",
            "The views and the CLI import no SQLAlchemy and no driver",
        ),
        (
            "views/screens/intake.py",
            "from console.services.cases import create_case",
            "The console writes only through the session BROKEN",
        ),
        (
            "domain/errors.py",
            "from console.i18n import t",
            "Each layer imports only the layers below it BROKEN",
        ),
        (
            "queries/grids.py",
            "from rich.text import Text",
            "Nothing below the UI imports Textual, Typer or Rich BROKEN",
        ),
        (
            "cli.py",
            "from console.views.widgets.header import CentreHeader",
            "The CLI shares no code with the screens but through the App it runs BROKEN",
        ),
    ],
    ids=[
        "view-imports-app",
        "type-checking-import",
        "view-imports-sql",
        "view-writes",
        "domain-translates",
        "query-imports-rich",
        "cli-imports-views",
    ],
)
def test_a_module_that_reaches_past_its_layer_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copytree(
        ROOT / "console", tmp_path / "console", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "console" / module
    source = target.read_text(encoding="utf-8")
    if "TYPE_CHECKING" in line:
        line = "from typing import TYPE_CHECKING\n" + line
    target.write_text(source + "\n" + line + "\n", encoding="utf-8")
    done = lint(tmp_path)
    assert done.returncode != 0
    assert contract in " ".join(done.stdout.split()), done.stdout


def test_no_module_imports_itself_through_others() -> None:
    """No circle of imports, counting those inside functions and for type checking only."""
    import grimp

    graph = grimp.build_graph("console")
    modules = sorted(graph.modules)
    kids = {m: graph.find_modules_directly_imported_by(m) for m in modules}
    circles = [sorted(c) for c in _strongly_connected(modules, kids) if len(c) > 1]
    assert circles == []


def _strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components, iteratively: a circle of imports is a component of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, set())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found
