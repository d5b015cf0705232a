"""The Welsh pages in Chromium: axe finds no violations, light and dark; the language switch works from the
keyboard alone, lands on the same content in the other language and keeps the page's query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import AXE
from site_builds import site
from test_welsh_pages import fixture_site

from generator.core import messages
from generator.static_server import Server

pytestmark = [
    pytest.mark.browser,  # Chromium (tests/browser_helpers.py): `make test-fast` leaves it out
    pytest.mark.skipif(not AXE.exists(), reason="needs the npm package axe-core"),
]


@pytest.fixture(scope="module")
def servers(real_site):
    """The shared real site, and the Cymru fixture beside an English partnership."""
    with Server(fixture_site()) as fixture:
        yield {"real": real_site.url, "fixture": fixture.url}


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
    # North Wales: home, partnership, version, changes, compare (and the decision aid); the fixture's the same
    assert checked >= 10 and "cy/compare/" in _welsh_pages(site("real"))
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


def test_a_welsh_drawing_marks_the_partnerships_english_as_the_browser_reads_it(servers, browser):
    """In the page's DOM (the HTML parser's, not ours): the drawing's texts and its <title>/<desc> hold the
    fixture's English inside lang="en", its own Welsh and our words in the page's Welsh."""
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(servers["fixture"] + "cy/cymru-fixture/", wait_until="load")
        found = tab.evaluate("""() => {
            const svg = document.querySelector('svg.flowchart--screen');
            const langOf = (node) => (node.closest('[lang]') || document.documentElement).getAttribute('lang');
            const texts = [...svg.querySelectorAll('text')].map((t) => [t.textContent.trim(), langOf(t)]);
            const desc = svg.querySelector('desc');
            const spans = [...desc.querySelectorAll('span')].map((s) => [s.textContent, langOf(s), s.namespaceURI]);
            return {texts, spans, name: svg.getAttribute('aria-labelledby')};
        }""")
        langs = {}
        for text, lang in found["texts"]:
            langs.setdefault(text, set()).add(lang)
        assert langs["Managers"] == {"en"} and langs["Line manager"] == {"en"}
        assert {lang for text, lang in found["texts"] if "Siarad" in text} == {"cy"}
        assert langs[messages.t("chart.start", "cy")] == {"cy"}
        assert ["Managers", "en", "http://www.w3.org/1999/xhtml"] in found["spans"]
        assert not any(text == "Siarad" for text, _, _ in found["spans"])
    finally:
        context.close()
