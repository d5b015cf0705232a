"""A spec whose every text field is hostile: markup, script, template syntax, Markdown, regex replacement
templates, the flowchart placeholder. Shared by the escaping tests, the fuzz test and the browser test.

Each payload carries a marker (`PWN<n>`) so a test can find where a field landed; a page is safe when no
payload's active part survives as markup, whatever the field.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"

PAYLOADS = (
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '"><script>window.__pwned=2;alert(2)</script>',
    "</title><script>window.__pwned=3</script>",
    "[click](javascript:window.__pwned=4)",
    "<https://evil.invalid/x> and <img src=http://evil.invalid/p.png>",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "N:\\Safeguarding\\Forms \\1 \\g<0> $1 &amp; &lt;b&gt;",
    "ECFLOWCHART0",
    "*emph* __strong__ `code` # not a heading | a | b |",
    "<!-- comment --> <style>*{background:url(http://evil.invalid/s)}</style>",
    "text {: onclick=\"window.__pwned=5\" } ![i](http://evil.invalid/i.png)",
    '<svg onload="window.__pwned=6"></svg><a href="javascript:window.__pwned=7">a</a>',
    "!!! danger \"x\"\n\n    === \"tab\"",
    "<iframe src=\"http://evil.invalid/\"></iframe> <object data=x></object>",
)
# Fields that are ids, enums, numbers, dates or links: left as they are (links are refused by the loader).
_KEEP = {"id", "nation", "covers", "kind", "anchor", "issued", "review_due", "days", "months", "number",
         "anchor_stage", "stages", "contacts", "immediate_danger_contacts", "urgent_route", "continues_with",
         "website", "email", "phone", "guideline", "urgent", "similar_seniority"}


def _holds_records(value) -> bool:
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def hostile_data(base: Path = MINIMAL) -> dict:
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    counter = itertools.count()

    def walk(node, key=None):
        if isinstance(node, dict):
            return {k: (v if k in _KEEP and not _holds_records(v) else walk(v, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        if isinstance(node, str):
            n = next(counter)
            return f"PWN{n} {PAYLOADS[n % len(PAYLOADS)]} {node}"
        return node

    data = walk(data)
    data["partnership"]["short_name"] = PAYLOADS[0] + " " + PAYLOADS[1]  # the navigation title
    data["partnership"]["website"] = "https://example.org/a?b=c&d=e#f"
    for contact in data.get("contacts", []):
        contact["email"] = "o'brien+x@example.org"
        contact["website"] = "https://example.org/path_(x)*[y]{z}"
    for route in data["routes"]:
        route.setdefault("summary", "")
        route["summary"] = "ECFLOWCHART0"
        route.setdefault("notes", "")
        route["notes"] = "\nECFLOWCHART1\n"
        for stage in route["stages"]:
            stage.setdefault("forms", []).append("N:\\Safeguarding\\Forms\\1")
    return data


def write_hostile_tree(root: Path) -> Path:
    """protocols/<id>/<version>.yaml holding the hostile spec; returns the protocols folder."""
    data = hostile_data()
    folder = root / data["partnership"]["id"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{data['version']['id']}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return root


_ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "base", "applet", "form", "style", "link", "meta"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}


class _Markup(HTMLParser):
    """Every element and attribute that could run script or load from elsewhere, in one page."""

    def __init__(self, own: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.own = own  # our own <script src>, <link> and <meta> tags, found on a page built from a safe spec
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        shown = self.get_starttag_text()
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"event handler attribute: {shown}")
            if name in _URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"script or data URL: {shown}")
            if name in _URL_ATTRIBUTES and name != "href" and value.startswith(("http:", "https:", "//")):
                self.found.append(f"load from another origin: {shown}")
            if name == "style" and "url(" in value:
                self.found.append(f"style that loads: {shown}")
        if tag in _ACTIVE_TAGS and _normal(shown) not in self.own:
            self.found.append(f"active element: {shown}")
        if tag == "img" and not dict(attrs).get("src", "").startswith(("data:", "../", "./", "/")) \
                and _normal(shown) not in self.own:
            self.found.append(f"image from a text: {shown}")

    handle_startendtag = handle_starttag


def _normal(tag_text: str) -> str:
    return re.sub(r'(href|src|content|data-[a-z-]+)="[^"]*"', r'\1=""', " ".join(tag_text.split()))


def own_tags(pages: list[str]) -> set[str]:
    """The tags our templates write (script, link, meta, style...), taken from pages of a safe build."""
    parser = _Markup(set())
    for page in pages:
        parser.feed(page)
    return {_normal(found.split(": ", 1)[1]) for found in parser.found if found.startswith("active element")}


def unsafe_markup(page: str, own: set[str]) -> list[str]:
    parser = _Markup(own)
    parser.feed(page)
    return parser.found
