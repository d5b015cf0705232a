"""The pocket card in Welsh for the Welsh pages: our words from the Welsh catalogue, the partnership's own
Welsh where its spec gives it (else its English), still one legible A4 page, and linked from the Welsh
pages without "(yn Saesneg)"; the English card as it was."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from site_builds import ROOT, main_html, site

from generator import load
from generator.core import messages
from generator.views import flowchart, pocket

NORTH_WALES = load.load_tree(ROOT / "protocols" / "north-wales")[-1]
FIXTURE = load.load_protocol(ROOT / "tests" / "fixtures" / "specs" / "cymru-fixture" / "2025-01.yaml")
A4_PORTRAIT = (595.28, 841.89)

# Our English words on a card: none may be left on a Welsh one.
ENGLISH_INTERFACE = ("IMMEDIATE DANGER", "Route:", "(urgent)", "Limit:", "Pocket card", "Contacts, as printed",
                     "The protocol lists no contacts", "Text issued", "review due", "working day",
                     "Full guidance", "What do I do next?", "source document is the authority",
                     "similar seniority", "resolving professional disagreements", "General advice")


def squash(text: str) -> str:
    """Whitespace as single spaces; the PDF's typographic ligatures (fi, fl) read back as letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def read(path: Path) -> str:
    return squash(" ".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.fixture(scope="module", params=[NORTH_WALES, FIXTURE], ids=lambda p: p.id)
def welsh_card(request, tmp_path_factory):
    protocol = request.param
    path = pocket.write_pocket_card(protocol, tmp_path_factory.mktemp("cy") / "card.pdf",
                                    guide_url="https://example.org/guide/", language="cy")
    return protocol, path, read(path)


def test_the_welsh_card_is_one_a4_portrait_page_titled_in_welsh(welsh_card):
    protocol, path, _ = welsh_card
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PORTRAIT, abs=1.5)
    welsh_name = protocol.published_in("partnership.name", "cy") or protocol.partnership.name
    assert reader.metadata.title == f"Cerdyn poced: {welsh_name}"


def test_the_welsh_card_fits_at_a_legible_size(welsh_card):
    protocol = welsh_card[0]
    _, size, scale = pocket.layout(protocol, "https://example.org/guide/", "cy")
    assert size * scale >= pocket.MIN_PRINT_PT


def test_our_words_are_welsh_and_none_of_our_english_is_left(welsh_card):
    protocol, _, text = welsh_card
    for english in ENGLISH_INTERFACE:
        assert english not in text, english
    assert text.index("PERYGL UNIONGYRCHOL: gweithredwch nawr") < text.index("Llwybr: ") < text.index(
        "Cysylltiadau, fel y'u hargraffwyd yn y protocol")
    assert text.startswith(f"{protocol.published_in('partnership.name', 'cy') or protocol.partnership.name}: "
                           "datrys anghytundebau proffesiynol")
    assert "Cerdyn poced. Testun a gyhoeddwyd " in text
    assert "https://example.org/guide/cy/" + protocol.id + "/" in text
    for route in protocol.routes:
        for stage in route.stages:
            assert squash(flowchart.stage_timescale_short(route, stage, "cy")) in text
    for line in flowchart.danger_lines(protocol, None, "cy"):
        assert squash(line.replace("\ue000", "").replace("\ue001", "")) in text


def test_north_wales_dates_and_seniority_are_in_welsh(tmp_path):
    text = read(pocket.write_pocket_card(NORTH_WALES, tmp_path / "nw.pdf", language="cy"))
    # Hand-worked from the spec: issued 28 November 2018, review due November 2020; four stages of 5 working days.
    assert "Testun a gyhoeddwyd 28 Tachwedd 2018; dyddiad adolygu Tachwedd 2020." in text
    assert text.count("o fewn 5 diwrnod gwaith") == 4
    assert "(o safle tebyg)" in text
    # No guide address given: the site is named in Welsh.
    assert "gwefan Escalation Guide, Canllawiau yn Gymraeg \u2192 North Wales" in text


def test_the_partnerships_own_welsh_is_used_where_given_else_its_english(tmp_path):
    text = read(pocket.write_pocket_card(FIXTURE, tmp_path / "fixture.pdf", language="cy"))
    for welsh in ("Bwrdd Diogelu Cymru Fixture", "Llwybr: Llwybr safonol", "1. Siarad: Practitioner"):
        assert welsh in text, welsh
    for english in ("Cymru Fixture Safeguarding Board", "Standard route", "Talk"):
        assert english not in text, english
    assert "2. Managers: Line manager" in text  # not published in Welsh: the partnership's English
    assert "Front Door: 01234 567890" in text  # contacts exactly as printed


def test_a_welsh_card_that_cannot_fit_says_so():
    route = FIXTURE.routes[0]
    many = tuple(dataclasses.replace(route.stages[0], number=n) for n in range(1, 61))
    crowded = dataclasses.replace(FIXTURE, routes=(dataclasses.replace(route, stages=many),))
    with pytest.raises(pocket.PocketCardError, match=r"pocket card in 'cy' does not fit one A4 page"):
        pocket.layout(crowded, language="cy")


def test_an_unknown_language_is_refused():
    with pytest.raises(Exception, match="xx"):
        pocket.layout(FIXTURE, language="xx")


# --- The English card is unchanged ------------------------------------------------------------------

def test_the_english_card_keeps_its_english_words_and_no_title(tmp_path):
    path = pocket.write_pocket_card(NORTH_WALES, tmp_path / "en.pdf")
    text = read(path)
    # Hand-worked from the spec, as the card has always read.
    assert text.startswith("North Wales Safeguarding Board: resolving professional disagreements Pocket card. "
                           "Text issued 28 November 2018; review due November 2020.")
    assert "IMMEDIATE DANGER: act now, at any stage; do not wait for this process." in text
    assert "Route: Resolution of professional disputes" in text
    assert text.count("within 5 working days") == 4
    assert "(similar seniority)" in text
    assert "Contacts, as printed in the protocol The protocol lists no contacts." in text
    assert "the Escalation Guide website, Protocols \u2192 North Wales" in text
    for welsh in ("Cerdyn poced", "Llwybr", "diwrnod gwaith", "PERYGL"):
        assert welsh not in text
    assert PdfReader(path).metadata.get("/Title") is None
    assert pocket.layout(NORTH_WALES) == pocket.layout(NORTH_WALES, language="en")


def test_english_card_bytes_are_the_same_but_the_creation_time(tmp_path):
    first = pocket.write_pocket_card(FIXTURE, tmp_path / "a.pdf").read_bytes()
    second = pocket.write_pocket_card(FIXTURE, tmp_path / "b.pdf", language="en").read_bytes()
    stamp = re.compile(rb"/CreationDate \([^)]*\)")
    assert stamp.sub(b"", first) == stamp.sub(b"", second)


# --- The build and the Welsh pages ------------------------------------------------------------------

def test_the_welsh_pages_link_the_welsh_card_and_do_not_call_it_english():
    built = site("real")
    card_text = messages.t("page.pocket_card_link", "cy")
    assert "Saesneg" not in card_text
    for rel, expected in (("cy/north-wales/index.html", "2018-11-28/flowcharts/pocket-card.pdf"),
                          ("cy/north-wales/2018-11-28/index.html", "flowcharts/pocket-card.pdf")):
        page = built / rel
        html = main_html(page)
        links = re.findall(r'<a href="([^"]*pocket-card\.pdf)"[^>]*>([^<]*)</a>', html)
        assert links == [(expected, card_text)], rel
        target = (page.parent / expected).resolve()
        assert "/cy/" in target.as_posix()
        assert "PERYGL UNIONGYRCHOL" in read(target) and "IMMEDIATE DANGER" not in read(target)
        assert "yn Saesneg)" not in html.split("pocket-card.pdf", 1)[1].split("</p>", 1)[0]
    english = built / "north-wales" / "2018-11-28" / "flowcharts" / "pocket-card.pdf"
    assert "IMMEDIATE DANGER" in read(english)
    english_page = main_html(built / "north-wales" / "2018-11-28" / "index.html")
    assert re.findall(r'<a href="([^"]*pocket-card\.pdf)"[^>]*>([^<]*)</a>', english_page) == [
        ("flowcharts/pocket-card.pdf", "this protocol on one A4 page (PDF)")]


def test_a_welsh_page_without_welsh_drawings_links_the_english_card_and_says_so():
    """An English partnership's older version (no Welsh text) beside a current one with some: the older
    one's Welsh page has no Welsh drawings, so it links the English card, "(yn Saesneg)"."""
    import datetime as dt

    from generator.views import pages, welsh

    older = load.load_tree(ROOT / "protocols" / "swindon")[-1]
    current = dataclasses.replace(older, version=dataclasses.replace(older.version, id="2099-01"),
                                  cy={"routes[0].title": "Llwybr"})
    assert not older.cy and current.cy
    series = pages.Series((current, older))
    charts = {(p.id, p.version.id): {r.id: pages.Flowchart(figure="<figure></figure>", text=("",))
                                     for r in p.routes} for p in series.versions}
    folders = {(p.id, p.version.id): f"{p.id}/{p.version.id}" for p in series.versions}
    out = welsh.series_pages(series, dt.date(2026, 11, 30), False, charts, folders, "trainers-pack.pdf",
                             pocket.FILE_NAME, {(current.id, current.version.id): charts[current.id, "2099-01"]})
    in_english = messages.t("page.pocket_card_link_in_english", "cy")
    own = messages.t("page.pocket_card_link", "cy")
    assert "yn Saesneg" in in_english
    older_page = out[f"cy/{pages.version_page(older)}"]
    assert f"[{in_english}](../../../{older.id}/{older.version.id}/flowcharts/pocket-card.pdf)" in older_page
    current_page = out[f"cy/{pages.version_page(current)}"]
    assert f"[{own}](flowcharts/pocket-card.pdf)" in current_page and in_english not in current_page
