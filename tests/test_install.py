"""`pip install` gives a working `guidance` anywhere: wheel built from the sdist, fresh venv, empty folder.

The slowest test of the fast suite (about a minute: a wheel build and a dependency install), because
"works from the checkout" hid exactly this failure before: files read relative to the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from site_builds import FIXTURE_VERSIONS, ROOT

# Builds a wheel or a whole site with another engine: minutes on 2 cores. In `make test`, not `make test-fast`.
pytestmark = pytest.mark.slow

pytest.importorskip("build")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The `guidance` of a fresh virtual environment holding only the built wheel and its dependencies."""
    scratch = tmp_path_factory.mktemp("install")
    dist = scratch / "dist"
    made = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    wheel = next(dist.glob("*.whl"))
    env_dir = scratch / "venv"
    venv.create(env_dir, with_pip=True)
    pip = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return env_dir / "bin" / "guidance"


def _run(guidance: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(guidance), *args], cwd=cwd, capture_output=True, text=True, env={**clean, **env})
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def test_the_wheel_carries_what_the_tool_reads_and_nothing_of_the_checkout(installed):
    site_packages = next(installed.parent.parent.glob("lib/python*/site-packages"))
    shipped = site_packages / "generator" / "shipped"
    for rel in ("protocols/schema.json", "protocols/swindon/2024-01.yaml", "docs/index.md", "docs/next.md",
                "site_overrides/main.html", "site_overrides/assets/wizard.js", "mkdocs.yml", "package.json"):
        assert (shipped / rel).is_file(), rel
    assert not (site_packages / "protocols").exists() and not (site_packages / "tests").exists()


def test_check_and_next_work_from_an_empty_folder(installed, tmp_path):
    done = _run(installed, tmp_path, "check")
    assert done.returncode == 0 and "swindon" in done.stdout and "calderdale" in done.stdout
    done = _run(installed, tmp_path, "next", "--protocol", "swindon", "--completed-stage", "1",
                "--on", "2026-12-23", "--today", "2026-12-24", "--json")
    # Wed 23 Dec 2026 + 5 working days, over Christmas, Boxing Day (substitute) and New Year's Day.
    assert done.returncode == 0 and json.loads(done.stdout)["deadline"] == "2027-01-04"
    named = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE_VERSIONS, named)
    done = _run(installed, tmp_path, "next", "--protocols", str(named), "--protocol", "testshire",
                "--not-started", "--on", "2026-12-23", "--today", "2026-12-24")
    assert done.returncode == 0 and "Testshire" in done.stdout
    done = _run(installed, tmp_path, "next", "--protocols", str(named), "--protocol", "swindon",
                "--not-started", "--on", "2026-12-23")
    assert done.returncode == 2 and "unknown protocol 'swindon'; known: testshire" in done.stderr


def test_new_then_check_names_the_placeholders(installed, tmp_path):
    done = _run(installed, tmp_path, "new", "our-area", "--version", "2026-11")
    assert done.returncode == 0
    done = _run(installed, tmp_path, "check")  # ./protocols exists now, so it is the default
    assert done.returncode == 1
    assert "protocols/our-area/2026-11.yaml:6:" in done.stderr and "partnership.name: placeholder" in done.stderr
    assert done.stderr.count("placeholder not yet filled in") >= 10


def test_build_in_a_folder_holding_only_protocols(installed, tmp_path):
    shutil.copytree(FIXTURE_VERSIONS, tmp_path / "protocols")
    shutil.copytree(ROOT / "protocols" / "swindon", tmp_path / "protocols" / "swindon")
    done = _run(installed, tmp_path, "build", "--today", "2026-03-01")
    assert "npm install pyodide@" in done.stderr and done.returncode == 1  # says what to install
    assert not (tmp_path / "site").exists()
    done = _run(installed, tmp_path, "build", "--today", "2026-03-01",
                GUIDANCE_PYODIDE=str(ROOT / "node_modules" / "pyodide"))
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    for rel in ("index.html", "next/index.html", "compare/index.html", "about/index.html", "api/index.html",
                "swindon/index.html", "swindon/2024-01/index.html", "swindon/changes/index.html",
                "testshire/index.html", "testshire/2022-06/index.html", "testshire/2024-01/index.html",
                "testshire/2025-09/index.html", "testshire/changes/index.html",
                "swindon/2024-01/flowcharts/trainers-pack.pdf", "assets/wizard/bundle.json",
                "assets/pyodide/pyodide.asm.wasm", "assets/guide.css"):
        assert (site / rel).is_file(), rel
    assert '<figure class="ec-flowchart" data-search-exclude><svg' in (site / "swindon" / "index.html").read_text(encoding="utf-8")
