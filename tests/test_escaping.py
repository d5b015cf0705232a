"""Every text field is text wherever it lands: pages, navigation, titles, search index, flowcharts.

A site is built from a spec whose every text field holds markup, script, Markdown, template syntax,
regular-expression replacement templates and the flowchart placeholder (tests/hostile.py). Its pages
must hold no element or attribute that could run script or load from another origin, beyond the tags
our own templates write (taken from a site built from a harmless spec), and the hostile text must
still be there to read, as text.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hostile import PAYLOADS, hostile_data, own_tags, unsafe_markup, write_hostile_tree
from site_builds import build_into, squash, text_of

from generator import load
from generator.core import model
from generator.views import flowchart, pages

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-03-01"


@pytest.fixture(scope="module")
def sites():
    scratch = Path(tempfile.mkdtemp(prefix="escalation-hostile-"))
    try:
        hostile = build_into(scratch / "hostile", write_hostile_tree(scratch / "protocols")).site
        safe = build_into(scratch / "safe", ROOT / "tests" / "fixtures" / "versions").site
        yield hostile, safe
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def own(sites):
    _, safe = sites
    return own_tags([p.read_text(encoding="utf-8") for p in safe.rglob("*.html")])


def test_the_checker_finds_what_it_looks_for(own):
    for bad in ('<img src=x onerror="alert(1)">', '<script>alert(1)</script>', '<a href="javascript:x">a</a>',
                '<img src="http://evil.invalid/p.png">', '<iframe src="/x"></iframe>', '<svg onload="x"></svg>',
                '<script src="http://evil.invalid/x.js"></script>', '<p style="background:url(//e.invalid)">'):
        assert unsafe_markup(bad, own), bad
    assert not unsafe_markup("<p>&lt;img src=x onerror=alert(1)&gt;</p>", own)


def test_no_page_of_the_hostile_site_holds_active_markup(sites, own):
    hostile, _ = sites
    checked = 0
    for page in hostile.rglob("*.html"):
        assert unsafe_markup(page.read_text(encoding="utf-8"), own) == [], page
        checked += 1
    assert checked >= 8  # home, protocol, version, changes, compare, next, about, publishing, 404


def test_the_search_index_holds_text_only(sites, own):
    hostile, _ = sites
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert unsafe_markup(doc["text"], own) == [], doc["location"]
        assert unsafe_markup(doc["title"], own) == [], doc["location"]


def test_hostile_text_is_still_there_to_read(sites):
    hostile, _ = sites
    text = " ".join(text_of(page) for page in hostile.rglob("*.html"))
    for payload in PAYLOADS:
        assert squash(payload) in text, payload  # text_of decodes entities as squash does
    page = (hostile / "minimal" / "index.html").read_text(encoding="utf-8")
    # the navigation shows the short name as text, and the page's title is text too
    assert '<span class="md-ellipsis">\n    \n  \n    &lt;img src=x onerror=&quot;' in page
    assert re.search(r"<title>[^<]*&lt;img src=x", page)


def test_a_route_summary_cannot_embed_a_flowchart(sites):
    hostile, _ = sites
    page = (hostile / "minimal" / "index.html").read_text(encoding="utf-8")
    routes = len(hostile_data()["routes"])
    assert page.count('<figure class="ec-flowchart"') == routes
    assert "ECFLOWCHART0" in text_of(hostile / "minimal" / "index.html")


def test_every_page_carries_the_content_security_policy(sites):
    hostile, _ = sites
    for page in hostile.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy, page
        directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert "unsafe-inline" not in policy.group(1) and "unsafe-eval'" not in policy.group(1).replace(
            "wasm-unsafe-eval'", "")
        assert html.index("Content-Security-Policy") < html.index("<script"), page  # before any script
        wasm = "'wasm-unsafe-eval'" in directives["script-src"]
        assert wasm == (page.parent.name == "next"), page  # only the decision aid compiles WebAssembly
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [], (page, inline)


# --- one helper per output language, tested on its own -----------------------------------------------


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JavaScript:alert(1)", " data:text/html,x",
                                     "vbscript:x", "www.example.org", "//evil.invalid/", "/relative", ""])
def test_weblink_refuses_anything_but_the_four_schemes(address):
    assert pages.weblink(address) == ""


def test_weblink_percent_encodes_what_could_close_the_link():
    assert pages.weblink('https://example.org/a b<c>"d`e\\f') == "https://example.org/a%20b%3Cc%3E%22d%60e%5Cf"
    assert pages.weblink("mailto:a@example.org") == "mailto:a@example.org"


@pytest.mark.parametrize(("email", "expected"), [("a.b@example.org", "mailto:a.b@example.org"),
                                                 ('"><script>@x', ""), ("a@b@c", ""), ("a b@c.org", "")])
def test_mailto(email, expected):
    assert pages.mailto(email) == expected


def test_front_matter_title_is_escaped_json():
    title = pages.front_matter_title('</title><script>x</script> "a"\n b')
    assert json.loads(title) == "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &quot;a&quot; b"


def test_md_leaves_no_markup_or_link():
    for payload in PAYLOADS:
        rendered = pages.md(payload)
        assert "<" not in rendered.replace("&lt;", "")
        assert "](" not in rendered.replace("\\]", "")  # every bracket escaped: no link can form


def test_flowchart_text_with_backslashes_is_kept_exactly():
    protocol = load.load_protocol(ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml")
    route = protocol.routes[0]
    stage = route.stages[0]
    text = r"N:\Safeguarding\Forms \1 \g<0> \n"
    changed = model.Route(**{**{f: getattr(route, f) for f in route.__slots__},
                             "title": text, "stages": (model.Stage(**{**{f: getattr(stage, f) for f in stage.__slots__},
                                                                       "title": text}),) + route.stages[1:]})
    svg = flowchart.inline_svg(protocol, changed)
    title = re.search(r"<title id=[^>]*>(.*?)</title>", svg, re.S).group(1)
    assert r"N:\Safeguarding\Forms \1 \g&lt;0&gt; \n" in title
    desc = re.search(r"<desc id=[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert desc.count(r"N:\Safeguarding\Forms \1 \g&lt;0&gt;") >= 1


def test_footer_links_say_to_a_screen_reader_the_title_they_show(sites):
    """The previous/next links' aria-label is the same text as the title they show: titles reach the theme
    escaped, and the theme escaped them once more, so "&" was read out as "&amp;" (and a hostile title's
    markup as entity names)."""
    hostile, _ = sites
    link = re.compile(r'<a [^>]*class="md-footer__link[^"]*" aria-label="([^"]*)">.*?'
                      r'<span class="md-footer__direction">\s*(.*?)\s*</span>\s*<div class="md-ellipsis">\s*(.*?)\s*</div>',
                      re.S)
    compared = 0
    for page in hostile.rglob("*.html"):
        for label, direction, title in link.findall(page.read_text(encoding="utf-8")):
            assert html.unescape(label) == f"{html.unescape(direction)}: {html.unescape(title)}", page
            compared += 1
    assert compared >= 8
