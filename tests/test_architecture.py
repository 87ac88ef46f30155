"""The apps' layers hold: config → villages → cadres → branches | projects → ratings → reports,
each app importing only from the apps below it, branches and projects not from each other
(the import-linter contract in pyproject.toml)."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_from_an_app_above_it(capsys):
    cwd = os.getcwd()
    os.chdir(ROOT)  # the contract is read from pyproject.toml and the packages from the root
    try:
        exit_code = lint_imports(no_cache=True)
    finally:
        os.chdir(cwd)
    report = capsys.readouterr().out
    assert exit_code == 0, report
