"""axe-core finds no violations on the main kinds of page, light and dark; no request leaves the site."""

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

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and AXE.exists()),
                                reason="needs Debian's chromium and the npm package axe-core")

PAGES = [
    ("real", "", "home"),
    ("real", "swindon/", "protocol"),
    ("real", "calderdale/", "protocol with four routes"),
    ("versions", "testshire/2022-06/", "superseded version"),
    ("versions", "testshire/changes/", "what changed"),
    ("real", "compare/", "comparison"),
    ("real", "api/", "python api for suppliers"),
]


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("kind", "path", "what"), PAGES, ids=[p[2].replace(" ", "-") for p in PAGES])
def test_axe_finds_no_violations_and_nothing_is_fetched_from_elsewhere(servers, browser, kind, path, what,
                                                                         scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(servers[kind] + path, wait_until="networkidle")
        expected = {"light": "default", "dark": "slate"}[scheme]
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the site's CSP refuses inline script
        violations = page.evaluate("async () => (await axe.run(document)).violations")
    finally:
        context.close()
    summary = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
               for v in violations]
    assert summary == [], json.dumps(summary, indent=1)
    foreign = [url for url in requests
               if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != "127.0.0.1"]
    assert foreign == []
