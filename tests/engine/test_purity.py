"""The engine stays pure Python: the scoring service, the tests and a benchmark all rely on
running it without Django, a database or any I/O."""

import ast
import sys
from pathlib import Path

import ratings.engine

ENGINE = Path(ratings.engine.__file__).parent


def imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_imports_only_the_standard_library():
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) >= 6
    for module in modules:
        outside = imported_roots(module.read_text(encoding="utf-8")) - set(sys.stdlib_module_names)
        assert outside == set(), f"{module.name} imports {outside}"


def test_engine_modules_do_not_open_files_or_sockets():
    forbidden = {"open", "socket", "requests", "urllib", "subprocess", "os", "pathlib"}
    for module in ENGINE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert not (names & forbidden), f"{module.name} uses {names & forbidden}"
