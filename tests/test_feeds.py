"""Atom feeds of protocol changes: valid Atom (read by feedparser), the right entries, stable ids, linked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest
import site_builds

from generator import load
from generator.views import feeds

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "versions"
TAG = "tag:escalation-guide,2026:testshire/"


@pytest.fixture(scope="module")
def fixture_protocols():
    return load.load_tree(FIXTURE)


def parse(path: Path):
    parsed = feedparser.parse(path.read_bytes(), response_headers={
        "content-type": "application/atom+xml", "content-location": f"https://example.org/{path.name}"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def write(protocols, tmp_path: Path, today: dt.date, site_url: str | None = None) -> Path:
    feeds.write_feeds(protocols, tmp_path, today=today, site_url=site_url)
    return tmp_path


def test_the_fixture_partnership_has_one_entry_per_version_newest_first(fixture_protocols, tmp_path):
    parsed = parse(write(fixture_protocols, tmp_path, dt.date(2026, 3, 1)) / "feed-testshire.xml")
    assert [e.id for e in parsed.entries] == [f"{TAG}2025-09/published", f"{TAG}2024-01/published",
                                              f"{TAG}2022-06/published"]
    newest, middle, first = parsed.entries
    assert newest.updated == "2025-09-01T00:00:00Z"
    assert newest.summary == "Review date extended; no change to the process."
    assert "Review date changed from January 2026 to September 2027" in newest.content[0].value
    # The partnership's own lines and the computed differences, with a link to the differences.
    assert "Stage 2 now allows five working days." in middle.content[0].value
    assert "timescale changed from within 3 working days to within 5 working days" in middle.content[0].value
    related = [link.href for link in middle.links if link.rel == "related"]
    assert related == ["https://example.org/testshire/changes/#version-2022-06-to-2024-01"]
    assert [link.href for link in middle.links if link.rel == "alternate"] == ["https://example.org/testshire/2024-01/"]
    assert "first version" in first.summary and not [link for link in first.links if link.rel == "related"]
    assert parsed.feed.id == "tag:escalation-guide,2026:feed/testshire"
    assert parsed.feed.updated == "2025-09-01T00:00:00Z"


def test_a_protocol_passing_its_review_date_is_an_entry_once_the_date_has_passed(fixture_protocols, tmp_path):
    before = parse(write(fixture_protocols, tmp_path / "a", dt.date(2027, 9, 30)) / "feed-testshire.xml")
    assert not [e for e in before.entries if e.id.endswith("review-passed")]
    after = parse(write(fixture_protocols, tmp_path / "b", dt.date(2027, 10, 1)) / "feed-testshire.xml")
    review = after.entries[0]
    assert review.id == f"{TAG}2025-09/review-passed"
    assert review.updated == "2027-10-01T00:00:00Z"
    assert "September 2027" in review.title
    # Versions replaced before their review date passed never get such an entry.
    assert [e.id for e in after.entries[1:]] == [e.id for e in before.entries]


def test_a_version_still_in_force_after_its_review_date_gets_the_entry(tmp_path):
    protocols = load.load_tree(ROOT / "protocols")
    parsed = parse(write(protocols, tmp_path, dt.date(2026, 3, 1)) / "feed.xml")
    ids = {e.id for e in parsed.entries}
    assert "tag:escalation-guide,2026:north-wales/2018-11-28/review-passed" in ids  # due November 2020
    assert "tag:escalation-guide,2026:swindon/2024-01/review-passed" in ids  # due January 2026
    assert "tag:escalation-guide,2026:calderdale/2024-10/review-passed" not in ids  # no review date given
    undated = next(e for e in parsed.entries if e.id.endswith("hips/undated/published"))
    assert "gives no date of issue" in undated.content[0].value


def test_entry_ids_are_stable_between_builds_and_when_a_version_is_added(fixture_protocols, tmp_path):
    three = parse(write(fixture_protocols, tmp_path / "three", dt.date(2026, 3, 1), "https://a.example/") / "feed.xml")
    again = parse(write(fixture_protocols, tmp_path / "again", dt.date(2026, 6, 1), "https://b.example/x/") / "feed.xml")
    two = parse(write([p for p in fixture_protocols if p.version.id != "2025-09"], tmp_path / "two",
                      dt.date(2026, 3, 1)) / "feed.xml")
    assert [e.id for e in three.entries] == [e.id for e in again.entries]
    published = {e.id for e in two.entries if e.id.endswith("/published")}
    assert published < {e.id for e in three.entries}  # adding a version keeps the others' ids
    assert again.entries[0].link == "https://b.example/x/testshire/2025-09/"  # xml:base from the site's address


def test_spec_text_is_escaped_text_in_the_feed(fixture_protocols, tmp_path):
    import dataclasses

    newest = max(fixture_protocols, key=lambda p: p.version.id)
    hostile = dataclasses.replace(newest, version=dataclasses.replace(
        newest.version, changes=("<script>alert(1)</script> & more",)))
    others = [p for p in fixture_protocols if p is not newest]
    out = write([*others, hostile], tmp_path, dt.date(2026, 3, 1))
    raw = (out / "feed-testshire.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw
    parsed = parse(out / "feed-testshire.xml")
    assert parsed.entries[0].summary == "<script>alert(1)</script> & more"  # text, as written
    assert "<script" not in parsed.entries[0].content[0].value  # feedparser's sanitiser has nothing to strip


def test_every_page_links_the_site_feed_and_partnership_pages_their_own():
    site = site_builds.site("versions")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', head)
        assert any(href.endswith("feed.xml") for href in links), page
        href = next(h for h in links if h.endswith("feed.xml"))
        # 404.html is served at any depth, so MkDocs gives it addresses from the site's root.
        target = (site / href[1:] if href.startswith("/") else page.parent / href).resolve()
        assert target == (site / "feed.xml").resolve() and target.is_file(), page
        inside = page.relative_to(site).parts[0] == "testshire" and page.name == "index.html"
        assert any(href.endswith("feed-testshire.xml") for href in links) == inside, page
    parse(site / "feed-testshire.xml")
    parse(site / "feed.xml")
