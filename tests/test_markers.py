"""Every test module that starts Chromium or Node carries the `browser` marker.

`make test-fast` (and the pull-request workflow) select `-m "not browser"`; a new browser test module
without the marker would silently make the developer's minute slow and fail on machines without Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# What starting a browser or Node looks like in this suite: Playwright, a Chromium command line, `node ...`,
# or asking for the shared Chromium or served site of tests/browser_helpers.py (a fixture argument).
LAUNCHES = re.compile(r"sync_playwright|\.launch\(|[\"']chromium[\"'],|\[\s*[\"']node[\"']"
                      r"|def \w+\([^)]*\b(?:browser|real_site)\b")
MARKED = re.compile(r"^pytestmark = (\[[^\]]*)?pytest\.mark\.browser\b", re.M)


def _modules() -> list[Path]:
    return sorted(p for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name)  # not this file


def test_the_browser_marker_is_on_every_module_that_launches_one():
    launching = [p for p in _modules() if LAUNCHES.search(p.read_text(encoding="utf-8"))]
    assert {p.name for p in launching} >= {"test_wizard.py", "test_csp.py", "test_site_a11y.py",
                                           "test_flowchart_screen.py", "test_parity.py"}
    unmarked = [p.name for p in launching if not MARKED.search(p.read_text(encoding="utf-8"))]
    assert unmarked == []


def test_modules_that_launch_nothing_stay_in_the_fast_selection():
    marked = [p.name for p in _modules() if MARKED.search(p.read_text(encoding="utf-8"))]
    assert all(LAUNCHES.search((TESTS / name).read_text(encoding="utf-8")) for name in marked)


@pytest.mark.parametrize(("source", "marked"), [
    ("pytestmark = [pytest.mark.skipif(True, reason='x')]\n", False),
    ("pytestmark = pytest.mark.skipif(True, reason='x')\n", False),
    ("x = 1  # pytestmark = pytest.mark.browser\n", False),
    ("pytestmark = pytest.mark.browser\n", True),
    ("pytestmark = [\n    pytest.mark.skipif(True, reason='x'),\n    pytest.mark.browser,\n]\n", True),
])
def test_the_marker_check_tells_marked_from_unmarked(source, marked):
    assert bool(MARKED.search(source)) is marked
