"""Row locks only hold inside a transaction: on PostgreSQL select_for_update() outside one is an
error (a 500 for the user), while SQLite ignores it, so the SQLite pass alone cannot catch a
missing transaction. Every public function that locks rows must open its own transaction; private
helpers (leading underscore) are called by such functions."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("branches", "cadres", "config", "projects", "ratings", "reports", "villages")


def _public_lockers_without_transaction():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if "select_for_update" not in source:
                continue
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                body = ast.get_source_segment(source, node)
                if "select_for_update" not in body:
                    continue
                decorators = " ".join(ast.get_source_segment(source, d) for d in node.decorator_list)
                if "atomic" in decorators or "transaction.atomic" in body:
                    continue
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    return found


def test_every_public_function_that_locks_rows_opens_a_transaction():
    assert _public_lockers_without_transaction() == []
