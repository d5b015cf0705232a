"""The same generated tree built by MkDocs + Material and by Zensical gives the same guide.

Zensical reads mkdocs.yml but runs no hooks, which is why generation happens before the engine. Every
page of the MkDocs build must exist in the Zensical build with the same article text, the same inline
flowcharts and the same downloads, and the decision aid must answer there too.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from site_builds import FIXTURE_VERSIONS, ROOT, TODAY, main_html, main_text

from generator import build

# Builds a wheel or a whole site with another engine: minutes on 2 cores. In `make test`, not `make test-fast`.
pytestmark = [pytest.mark.slow, pytest.mark.browser]

pytest.importorskip("zensical")



@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engines")
    tree = folder / "protocols"
    shutil.copytree(ROOT / "protocols", tree)
    shutil.copytree(FIXTURE_VERSIONS / "testshire", tree / "testshire")  # superseded versions too
    results = {}
    for engine in ("mkdocs", "zensical"):  # one build folder: the second run reuses the same tree
        project = build.project(ROOT, protocols=tree, site_dir=folder / engine, build_dir=folder / "build")
        results[engine] = build.build_site(project, today=dt.date.fromisoformat(TODAY), engine=engine)
    assert results["zensical"].generated.drawn == [] and results["zensical"].generated.tree.changed == []
    return results["mkdocs"].site, results["zensical"].site


def _flowcharts(page: Path) -> list[str]:
    return re.findall(r'<figure class="ec-flowchart"[^>]*>(.*?)</figure>', main_html(page), re.S)


def test_every_mkdocs_page_is_in_the_zensical_build_with_the_same_content_and_flowcharts(both):
    mkdocs, zensical = both
    pages = sorted(p.relative_to(mkdocs) for p in mkdocs.rglob("index.html"))
    assert len(pages) >= 20
    for rel in pages:
        assert (zensical / rel).is_file(), f"{rel} missing from the Zensical build"
        assert main_text(zensical / rel) == main_text(mkdocs / rel), rel
        assert _flowcharts(zensical / rel) == _flowcharts(mkdocs / rel), rel
    assert len(_flowcharts(zensical / "swindon" / "index.html")) == 2


def test_every_download_and_the_wizard_bundle_are_in_both(both):
    mkdocs, zensical = both
    for path in mkdocs.rglob("*"):
        if path.suffix in (".pdf", ".png", ".whl", ".wasm", ".mjs", ".zip") or path.name == "bundle.json":
            twin = zensical / path.relative_to(mkdocs)
            assert twin.is_file() and twin.read_bytes() == path.read_bytes(), path.relative_to(mkdocs)


def test_zensical_keeps_superseded_versions_out_of_its_search_index(both):
    _, zensical = both
    index = (zensical / "search.json").read_text(encoding="utf-8")
    assert "testshire/" in index and "testshire/2022-06/" not in index and "testshire/changes/" not in index


def test_the_wizard_answers_in_the_zensical_build(both, browser):
    from generator.static_server import Server

    _, zensical = both
    with Server(zensical) as server:
        page = browser.new_page()  # the browser tests' shared Chromium (tests/browser_helpers.py)
        try:
            page.clock.set_fixed_time("2027-03-24T10:00:00")
            page.goto(server.url + "next/?protocol=swindon&danger=no&unsafe=no&route=standard&stage=none"
                      "&on=2027-03-24")
            page.wait_for_selector("#wizard[data-screen=answer]", timeout=90_000)
            # 2 working days from Wed 24 Mar 2027 over Easter (Fri 26 and Mon 29 are bank holidays).
            assert page.locator("[data-slot=deadline-text]").inner_text() == "Tue 30 Mar 2027"
        finally:
            page.close()
