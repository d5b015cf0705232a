"""What a guidance page downloads when a reader opens it: every byte the server sends, by kind.

    .venv/bin/python benchmarks/page_weight.py SITE_DIR [PAGE ...]   # default: the first partnership's page

Counted at the server (so the service worker's own fetches after the page has loaded count too), with
Debian's Chromium through Playwright, a fresh profile per page. "Theme" is the theme's and the site's own
scripts, styles and fonts (the same files for every page, cached once); everything else is the page's own
download, which issue 10 keeps under 300 KB: its HTML and drawings, pages the service worker keeps, the
search index if it were fetched.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from generator.static_server import Server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
THEME = ("assets/javascripts/", "assets/stylesheets/", "assets/workbox/", "assets/images/")
THEME_SUFFIXES = (".css", ".js", ".woff2", ".woff", ".ttf")
LIMIT_BYTES = 300 * 1024


def kind(path: str) -> str:
    if path.startswith(THEME) or path.endswith(THEME_SUFFIXES):
        return "theme"
    if path.endswith("search_index.json"):
        return "search index"
    if path.endswith(".svg"):
        return "svg"
    if path == "" or path.endswith((".html", "/")):
        return "html"
    return "other"


def weigh(sent: list[tuple[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for path, size in sent:
        totals[kind(path)] = totals.get(kind(path), 0) + size
    totals["own"] = sum(v for k, v in totals.items() if k != "theme")
    return totals


def page_download(site: Path, page: str, *, settle_s: float = 3.0) -> dict[str, int]:
    """Bytes by kind that opening `page` (a site-relative URL) fetched, the service worker's included."""
    from playwright.sync_api import sync_playwright

    with Server(site) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_context().new_page()
        tab.goto(server.url + page, wait_until="load")
        tab.wait_for_load_state("networkidle")
        time.sleep(settle_s)  # the service worker registers after load, then precaches the site's shell
        tab.wait_for_load_state("networkidle")
        browser.close()
        return weigh(server.sent)


def describe(page: str, totals: dict[str, int]) -> str:
    parts = ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(totals.items()) if k != "own")
    verdict = "under" if totals["own"] < LIMIT_BYTES else "OVER"
    return f"{page or '/'}: own download {totals['own'] / 1024:.0f} KB ({verdict} 300 KB); {parts}"


def heaviest_partnership_page(site: Path) -> str:
    pages = [p for p in site.glob("*/index.html") if (p.parent / "changes").is_dir()]
    return max(pages, key=lambda p: p.stat().st_size).parent.name + "/"


def main(argv: list[str]) -> int:
    site = Path(argv[0])
    for page in argv[1:] or [heaviest_partnership_page(site)]:
        print(describe(page, page_download(site, page)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
