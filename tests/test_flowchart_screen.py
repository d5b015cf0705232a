"""Flowcharts on screen: text measured as Chromium draws it, at a desktop width and on a phone.

The sizes are read from the rendered SVG (each text's font size times the scale the browser applies,
getScreenCTM), not from the DOT source, so a stylesheet or a layout that shrinks the drawing fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import CHROMIUM
from site_builds import ROOT

from generator import load
from generator.views import flowchart, pages

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,  # launches Chromium or Node: `make test-fast` leaves it out
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

CURRENT = [s.current for s in pages.group(load.load_tree(ROOT / "protocols"))]
WIDTHS = {"desktop": 1280, "phone": 390}

# Every text of every visible flowchart: [route tab index, smallest rendered px, largest, drawing
# width, the column's width, how far the drawing's right edge is past the viewport].
MEASURE = """() => [...document.querySelectorAll('.ec-flowchart')].filter(f => f.offsetParent !== null).map(f => {
  const svg = f.querySelector('svg.flowchart--screen');
  const paper = f.querySelector('svg.flowchart--print');
  const sizes = [...svg.querySelectorAll('text')].map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  const box = svg.getBoundingClientRect();
  return {count: sizes.length, paperShown: paper === null || getComputedStyle(paper).display !== 'none', smallest: Math.min(...sizes), largest: Math.max(...sizes),
          scrolls: f.scrollWidth > f.clientWidth + 1, overflow: box.right - document.documentElement.clientWidth};
})"""


@pytest.fixture(scope="module")
def server(real_site):
    return real_site.url  # the one real site the browser tests share (tests/browser_helpers.py)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("protocol", CURRENT, ids=lambda p: p.id)
def test_every_flowchart_text_is_at_least_12_css_px_and_the_drawing_fits_the_column(server, browser, protocol,
                                                                                   width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(f"{server}{protocol.id}/", wait_until="load")
        labels = tab.locator(".tabbed-labels > label")
        measured = []
        for index in range(len(protocol.routes)):
            if len(protocol.routes) > 1:
                labels.nth(index).click()
            charts = tab.evaluate(MEASURE)
            assert len(charts) == 1, f"route {index + 1}: expected one visible flowchart, found {len(charts)}"
            measured.append(charts[0])
    finally:
        context.close()
    for route, chart in zip(protocol.routes, measured, strict=True):
        assert chart["count"] >= 3 * len(route.stages), route.id  # the real drawing, every stage drawn
        assert chart["smallest"] >= flowchart.MIN_SCREEN_PX, (route.id, chart)
        assert chart["largest"] <= 2 * flowchart.MIN_SCREEN_PX, (route.id, chart)  # drawn for the screen
        assert not chart["scrolls"] and chart["overflow"] <= 0, (route.id, chart)  # no sideways scrolling
        assert not chart["paperShown"], route.id  # the A4 drawing is for print only


def test_on_paper_the_a4_drawing_is_printed_instead(server, browser):
    """Printing the page keeps the A4 landscape drawing at the page's width (print.css swaps the two)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(f"{server}swindon/", wait_until="load")
        tab.emulate_media(media="print")
        shown = tab.evaluate("""() => [...document.querySelectorAll('.ec-flowchart svg')].map(svg =>
            [svg.getAttribute('class'), getComputedStyle(svg).display])""")
    finally:
        context.close()
    assert shown and all((display == "none") == ("flowchart--screen" in cls) for cls, display in shown), shown
