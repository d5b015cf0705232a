"""A guidance page does not download the search index as it loads; searching still works (issue 10).

Counted at the server, so what the service worker fetches after the page has loaded is counted too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402
from site_builds import site as built_site  # noqa: E402

from generator.static_server import Server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import page_weight  # noqa: E402

INDEX = "search/search_index.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(page_weight.CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def served():
    """A server of its own (the shared one serves every test): it counts what this test's page fetched."""
    with Server(built_site("real")) as server:
        yield server


def _settle(tab) -> None:
    tab.wait_for_load_state("networkidle")
    time.sleep(2)  # the service worker registers after load and precaches the shell
    tab.wait_for_load_state("networkidle")


def _index_requests(server) -> int:
    return sum(1 for path, _ in server.sent if path == INDEX)


def test_a_guidance_page_loads_without_the_search_index_and_weighs_under_300_kb(served, browser):
    heaviest = page_weight.heaviest_partnership_page(built_site("real"))
    tab = browser.new_context().new_page()
    tab.goto(served.url + heaviest)
    _settle(tab)
    assert _index_requests(served) == 0
    own = page_weight.weigh(served.sent)["own"]
    assert (built_site("real") / heaviest / "index.html").stat().st_size < own < page_weight.LIMIT_BYTES


def test_opening_the_search_fetches_the_index_once_and_finds_the_current_protocols(served, browser):
    tab = browser.new_context().new_page()
    tab.goto(served.url + "swindon/")
    _settle(tab)
    assert _index_requests(served) == 0
    tab.keyboard.press("s")  # Material's shortcut: focus moves to the search field
    field = tab.locator("input[name=query]")
    expect(field).to_be_focused()
    field.press_sequentially("MASH")  # Material searches on keyup
    results = tab.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    paths = {urlsplit(href).path for href in hrefs}
    assert "/hips/" in paths, paths
    assert not [p for p in paths if p.strip("/").count("/")], "no version or changes page is searched"
    assert _index_requests(served) == 1


def test_a_page_opened_from_a_search_result_highlights_at_once(served, browser):
    tab = browser.new_context().new_page()
    tab.goto(served.url + "swindon/?h=escalation")
    _settle(tab)
    assert _index_requests(served) == 1
    expect(tab.locator("mark").first).to_be_visible(timeout=15_000)
