"""axe-core finds no violations on any page the build writes, light and dark; no request leaves the site."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_builds import ROOT, site

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def servers():
    """One `python -m http.server` per built site, as a newcomer would serve it."""
    started, urls = [], {}
    try:
        for kind in ("real", "versions"):
            port = _free_port()
            started.append(subprocess.Popen(
                [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                cwd=site(kind), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            urls[kind] = f"http://127.0.0.1:{port}/"
            for _ in range(100):
                try:
                    urllib.request.urlopen(urls[kind], timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
        yield urls
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


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
