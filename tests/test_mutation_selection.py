"""`make mutation` must run from a clean clone: its test selection must pass in mutmut's own folder.

mutmut copies only `generator/`, `protocols/`, `tests/` and `pyproject.toml` into `mutants/` and first runs
the whole selection there once; a single failure stops the run before any mutant is tried. Twice a new
test file that builds the site (it needs mkdocs.yml, site_overrides/, node_modules/) joined the suite and
broke every mutation run without anyone noticing, because nothing ran the selection in that folder.
This test does, the way mutmut does, so the next such file fails `make test` instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def test_every_file_the_selection_names_exists():
    """An --ignore or --deselect of a renamed file silently stops guarding anything."""
    named = [arg.split("=", 1)[1].split("::")[0] for arg in CONFIG["pytest_add_cli_args_test_selection"]
             if arg.startswith(("--ignore=", "--deselect="))]
    assert named, "the selection names the site-building test files it leaves out"
    assert [path for path in named if not (ROOT / path).is_file()] == []


@pytest.mark.slow
def test_the_mutation_selection_passes_in_a_copy_of_what_mutmut_copies(tmp_path):
    for path in (*CONFIG["source_paths"], *CONFIG["also_copy"], "tests/"):  # what mutmut copies, as configured
        shutil.copytree(ROOT / path, tmp_path / path, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    args = [*CONFIG["pytest_add_cli_args"], *CONFIG["pytest_add_cli_args_test_selection"]]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", *args], cwd=tmp_path, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(tmp_path)}, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
