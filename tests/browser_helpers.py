"""What the browser tests share: one Chromium, one served copy of the one real site, the Testshire builds.

Registered for every test file by tests/conftest.py, so a run of several browser test files launches
Chromium once and builds and serves the published protocols once (tests/site_builds.py builds it on
first use). A build that fails fails the tests that need it: there is no fallback to a smaller site.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
from pathlib import Path

import pytest
from site_builds import ROOT, scratch
from site_builds import site as built_site

from generator.static_server import Server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TESTSHIRE = ROOT / "tests" / "fixtures" / "versions" / "testshire"
TESTSHIRE_DAY = dt.date(2026, 11, 3)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole run; each test opens its own context."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Served:
    """A built site and the address it is served at."""

    def __init__(self, directory: Path, url: str):
        self.directory = directory
        self.url = url


@pytest.fixture(scope="session")
def real_site():
    """protocols/ as published, built once by the real build and served on 127.0.0.1 for the whole run."""
    directory = built_site("real")
    with Server(directory) as server:
        yield Served(directory, server.url)


@functools.cache
def _testshire_build(versions: tuple[str, ...]) -> Path:
    work = scratch() / ("testshire-" + "-".join(versions))
    return build_testshire(work / "protocols", versions, work / "site")


def copy_of_testshire(versions: tuple[str, ...], dest: Path) -> Path:
    """A site of the Testshire fixture's `versions`, built once per run and copied to `dest` (a test may
    then change its copy, deploy another build into it, or delete files from it)."""
    shutil.copytree(_testshire_build(versions), dest)
    return dest


def build_testshire(protocols: Path, versions: tuple[str, ...], dest: Path) -> Path:
    """Build the Testshire fixture's `versions` into `dest` (into the same folder again: a redeploy)."""
    from generator import build as site_build

    folder = protocols / "testshire"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for version in versions:
        shutil.copy(TESTSHIRE / f"{version}.yaml", folder / f"{version}.yaml")
    project = site_build.project(ROOT, protocols=protocols, site_dir=dest, build_dir=dest.parent / f"{dest.name}-build")
    return site_build.build_site(project, today=TESTSHIRE_DAY).site
