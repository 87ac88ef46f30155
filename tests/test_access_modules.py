"""Access rules live in each app's access module: a page never imports another package's view
module to learn who may open something (the rule would then be written twice, or read from a
page that may change it for its own reasons)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("villages", "cadres", "branches", "projects", "ratings", "reports", "config")


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _is_views(module: str) -> bool:
    return any(part == "views" or part.startswith("views_") for part in module.split("."))


def _imported(tree: ast.AST, package: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def test_no_module_imports_a_views_module_of_another_package():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "urls.py" or path.name.startswith("urls_"):
                continue  # URL configurations (urls.py, urls_*.py) are where views are meant to be imported
            module = _module_of(path)
            package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
            for imported, line in _imported(ast.parse(path.read_text(encoding="utf-8")), package):
                if imported.split(".")[0] not in APPS or not _is_views(imported):
                    continue
                views_package = imported if imported.endswith(".views") else imported.rsplit(".", 1)[0]
                if not (package == views_package or package.startswith(views_package + ".")):
                    offenders.append(f"{module}:{line} imports {imported}")
    assert offenders == [], "\n".join(offenders)
