"""Sites built once per test run and shared by test_site.py and test_site_a11y.py (a build takes seconds).

Not a conftest fixture module on purpose: both test files call `site(kind)`, which builds on first use
and caches the folder for the rest of the process.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import html
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from generator import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_VERSIONS = ROOT / "tests" / "fixtures" / "versions"
# Review warnings compare with this date: North Wales (due November 2020) and Swindon (due January 2026)
# are overdue on it; the Testshire fixture's current version (due September 2027) is not.
TODAY = "2026-03-01"

_scratch = Path(tempfile.mkdtemp(prefix="escalation-site-tests-"))
atexit.register(shutil.rmtree, _scratch, True)


def scratch() -> Path:
    """The folder this run builds its shared sites in (removed when the run ends)."""
    return _scratch


@functools.cache
def site(kind: str) -> Path:
    """'real': protocols/ as published; 'versions': the fixture partnership with three versions."""
    protocols = {"real": ROOT / "protocols", "versions": FIXTURE_VERSIONS}[kind]
    return build_into(_scratch / kind, protocols).site


def two_partnerships(folder: Path) -> Path:
    """The three-version fixture partnership and Swindon, copied under `folder`: small enough to build often."""
    tree = folder / "protocols"
    shutil.copytree(FIXTURE_VERSIONS, tree)
    shutil.copytree(ROOT / "protocols" / "swindon", tree / "swindon")
    return tree


def build_into(folder: Path, protocols: Path, **options) -> build.Result:
    """A build of the checkout's pages and theme with `protocols`, its site and build folder under `folder`."""
    project = build.project(ROOT, protocols=protocols, site_dir=folder / "site", build_dir=folder / "build")
    return build.build_site(project, today=dt.date.fromisoformat(TODAY), **options)


class _Text(HTMLParser):
    """Visible-ish text of a page: everything except scripts and styles, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(page: Path) -> str:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return squash(" ".join(parser.parts))


def squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def main_html(page: Path) -> str:
    """The article only (no navigation), so a test cannot pass on the strength of the sidebar."""
    content = page.read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', content, re.S)
    assert match, f"no article in {page}"
    return match.group(1)


def main_text(page: Path) -> str:
    parser = _Text()
    parser.feed(main_html(page))
    return squash(" ".join(parser.parts))
