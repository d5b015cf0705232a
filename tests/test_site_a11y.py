"""axe-core finds no violations on any page the build writes, light and dark; no request leaves the site."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_helpers import AXE, CHROMIUM
from site_builds import site

from generator.static_server import Server

sync_api = pytest.importorskip("playwright.sync_api")


pytestmark = [
    pytest.mark.browser,  # launches Chromium or Node: `make test-fast` leaves it out
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and AXE.exists()),
    reason="needs Debian's chromium and the npm package axe-core"),
]

# The fixture site adds the pages only a partnership with several versions has (superseded versions,
# what changed); its other pages are the same templates as the real site's, already checked there.
FIXTURE_ONLY = "testshire/"


def built_pages(root: Path, under: str = "") -> list[str]:
    """Every HTML page the build wrote, as URL paths (directory URLs end in /), in a stable order."""
    paths = []
    for html in sorted((root / under).rglob("*.html")):
        relative = html.relative_to(root).as_posix()
        paths.append(relative.removesuffix("index.html"))
    return paths


@pytest.fixture(scope="module")
def servers(real_site):
    """The real site the browser tests share (tests/browser_helpers.py) and the fixture partnership's."""
    with Server(site("versions")) as versions:
        yield {"real": real_site.url, "versions": versions.url}


@pytest.fixture(scope="module")
def schemes(browser):
    """One context and one tab per colour scheme, reused for every page (a new tab costs more than axe)."""
    tabs = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        tab = context.new_page()
        tab.requests = []
        tab.on("request", lambda request, tab=tab: tab.requests.append(request.url))
        tabs[scheme] = tab
    yield tabs
    for tab in tabs.values():
        tab.context.close()


def test_every_built_page_is_listed():
    """The list the axe run walks is the build's own output: every protocol, version and docs page."""
    real = built_pages(site("real"))
    for expected in ("", "404.html", "next/", "publishing/", "compare/", "swindon/", "calderdale/changes/"):
        assert expected in real
    assert len(real) == len(list(site("real").rglob("*.html")))
    assert sorted(built_pages(site("versions"), FIXTURE_ONLY)) == [
        "testshire/", "testshire/2022-06/", "testshire/2024-01/", "testshire/2025-09/", "testshire/changes/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["real", "versions"])
def test_axe_finds_no_violations_on_any_page_and_nothing_is_fetched_from_elsewhere(servers, schemes, kind, scheme):
    tab = schemes[scheme]
    expected = {"light": "default", "dark": "slate"}[scheme]
    found: dict[str, list] = {}
    paths = built_pages(site(kind), FIXTURE_ONLY if kind == "versions" else "")
    for path in paths:
        tab.requests.clear()
        tab.goto(servers[kind] + path, wait_until="load")
        if tab.locator("#wizard").count():  # the decision aid goes on fetching its engine after "load"
            tab.wait_for_load_state("networkidle")
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected, path
        tab.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the site's CSP refuses inline script
        violations = tab.evaluate("async () => (await axe.run(document)).violations")
        summary = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                   for v in violations]
        foreign = [url for url in tab.requests
                   if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != "127.0.0.1"]
        if summary or foreign:
            found[path] = {"violations": summary, "foreign requests": foreign}
    assert len(paths) >= 5
    assert found == {}, json.dumps(found, indent=1)
