"""The Welsh pages in Chromium: axe finds no violations, light and dark; the language switch works from the
keyboard alone, lands on the same content in the other language and keeps the page's query."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from site_builds import ROOT, site
from test_welsh_pages import fixture_site

from generator.core import messages

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and AXE.exists()),
                       reason="needs Debian's chromium and the npm package axe-core"),
]


def _serve(folder: Path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, url


@pytest.fixture(scope="module")
def servers():
    started = {kind: _serve(folder) for kind, folder in (("real", site("real")), ("fixture", fixture_site()))}
    yield {kind: url for kind, (_, url) in started.items()}
    for process, _ in started.values():
        process.terminate()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _welsh_pages(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix().removesuffix("index.html") for p in sorted((root / "cy").rglob("*.html"))]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_welsh_pages(servers, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    found, checked = {}, 0
    try:
        for kind, root in (("real", site("real")), ("fixture", fixture_site())):
            for path in _welsh_pages(root):
                tab.goto(servers[kind] + path, wait_until="load")
                assert tab.evaluate("document.documentElement.lang") == "cy", path
                tab.evaluate(AXE.read_text(encoding="utf-8"))
                violations = tab.evaluate("async () => (await axe.run(document)).violations")
                checked += 1
                if violations:
                    found[f"{kind}:{path}"] = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                                               for v in violations]
    finally:
        context.close()
    assert checked >= 8  # North Wales: home, partnership, version, changes; the fixture's the same
    assert found == {}, json.dumps(found, indent=1)


def test_the_switch_by_keyboard_lands_on_the_same_page_in_welsh_and_back_keeping_the_query(servers, browser):
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(servers["real"] + "north-wales/?from=test", wait_until="load")
        english_heading = tab.locator("article h1").inner_text()
        switch = tab.locator("a[data-keep-query]")
        for _ in range(40):  # Tab from the top of the page until the switch has the focus
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement && document.activeElement.hasAttribute('data-keep-query')"):
                break
        else:
            pytest.fail("the language switch cannot be reached with the Tab key")
        assert switch.inner_text() == messages.t("language.switch.to_cy", "cy")
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url == servers["real"] + "cy/north-wales/?from=test"
        assert tab.evaluate("document.documentElement.lang") == "cy"
        welsh_heading = tab.locator("article h1").inner_text()
        assert welsh_heading != english_heading and "North Wales Safeguarding Board" in welsh_heading
        assert messages.t("page.protocol_title", "cy", name="") in welsh_heading
        # A section's anchor is the same in both languages, so the fragment keeps the reader's place too.
        tab.goto(servers["real"] + "cy/north-wales/?from=test#principles", wait_until="load")
        tab.locator("a[data-keep-query]").focus()
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url == servers["real"] + "north-wales/?from=test#principles"
        assert tab.locator("article h1").inner_text() == english_heading
        assert tab.locator("#principles").inner_text().strip().rstrip("¶") == messages.t("page.principles", "en")
    finally:
        context.close()
