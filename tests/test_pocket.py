"""Pocket cards: one A4 portrait page per protocol version, its text read back from the PDF and checked
against the spec, in the order a reader needs it."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from site_builds import ROOT, main_html, site

from generator import load
from generator.core import model
from generator.views import flowchart, pocket

PROTOCOLS = load.load_tree(ROOT / "protocols") + load.load_tree(ROOT / "tests" / "fixtures" / "versions")
A4_PORTRAIT = (595.28, 841.89)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def squash(text: str) -> str:
    """Whitespace as single spaces; the PDF's typographic ligatures (fi, fl) read back as letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def expected_when(timescale: model.Timescale, stage_number: int, caps=()) -> str:
    """The timescale words for the dated kinds written out here, independently of the code under test;
    other kinds use the wording every output shares."""
    covering = [cap for cap in caps if stage_number in cap.stages]
    if timescale.kind == "none" and covering:  # a step inside a limit across stages says so, never "none given"
        first, last = min(covering[0].stages), max(covering[0].stages)
        return f"inside the limit for stages {first} to {last}"
    if timescale.kind == "working_days" and timescale.anchor == model.PREVIOUS_STAGE_END:
        text = f"within {timescale.days} working day" + ("" if timescale.days == 1 else "s")
        return "ideally " + text if timescale.guideline else text
    return flowchart.timescale_short(timescale, stage_number=stage_number)


@pytest.fixture(scope="module", params=PROTOCOLS, ids=lambda p: f"{p.id}-{p.version.id}")
def card(request, tmp_path_factory):
    protocol = request.param
    path = pocket.write_pocket_card(protocol, tmp_path_factory.mktemp("card") / "card.pdf")
    return protocol, path, squash(" ".join(page.extract_text() for page in PdfReader(path).pages))


def test_one_a4_portrait_page(card):
    _, path, _ = card
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PORTRAIT, abs=1.5)


def test_danger_box_first_then_routes_and_stages_in_order_with_timescales(card):
    protocol, _, text = card
    position = text.index("IMMEDIATE DANGER: act now, at any stage; do not wait for this process.")
    for line in flowchart.danger_lines(protocol):
        assert squash(line) in text
    assert position < text.index("Route:")
    for route in protocol.routes:
        position = text.index(f"Route: {squash(route.title)}", position)
        for stage in route.stages:
            position = text.index(f"{stage.number}. {squash(stage.title)}:", position)
            row = text[position:text.find(f"{stage.number + 1}. ", position + 1)]
            assert squash(pocket.who_to_whom(stage).split(" \u2192 ")[0]) in row
            if stage.counterpart:
                assert "\u2192" in row
            assert squash(expected_when(stage.timescale, stage.number, route.caps)) in row, (route.id, stage.number)
        for cap in route.caps:
            assert f"Limit: {squash(flowchart.cap_text(cap))}." in text


def test_contacts_exactly_as_printed_version_review_and_where_to_look(card):
    protocol, _, text = card
    for contact in protocol.contacts:
        for detail in (contact.name, contact.phone, contact.email, contact.hours):
            assert squash(detail) in text, detail
    version = protocol.version
    assert f"Version {version.id}" not in text  # the id is our file name; the text is named by its date
    assert (f"Text issued {version.issued.human()};" if version.issued else "Undated text") in text
    assert (f"review due {version.review_due.human()}" if version.review_due else "no review date") in text
    assert "Full guidance, flowcharts and the decision aid" in text
    assert squash(protocol.version.source_title) in text


def test_the_site_address_is_printed_when_the_build_knows_it(tmp_path):
    protocol = PROTOCOLS[0]
    path = pocket.write_pocket_card(protocol, tmp_path / "card.pdf", guide_url="https://guide.example.org/")
    text = squash(PdfReader(path).pages[0].extract_text())
    assert f"https://guide.example.org/{protocol.id}/" in text.replace(" ", "")


def test_black_and_white_only(card):
    protocol, _, _ = card
    svg = flowchart.render(pocket.layout(protocol)[0], "svg").decode("utf-8")
    colours = set(re.findall(r'(?:stroke|fill)="([^"]+)"', svg))
    assert colours <= {"black", "white", "none", "transparent"}, colours


@needs_poppler
def test_smallest_printed_text_is_at_least_8_pt(card, tmp_path):
    """Measured on the PDF against a reference word of 8 pt drawn the same way."""
    _, path, _ = card
    reference = tmp_path / "ref.pdf"
    dot = 'digraph { node [fontname="DejaVu Sans" fontsize=8 shape=plaintext]; a [label="Reference"] }'
    subprocess.run(["dot", "-Tpdf", "-o", str(reference)], input=dot, text=True, check=True)
    smallest, eight = (min(_word_heights(p)) for p in (path, reference))
    assert smallest >= eight * 0.995


def _word_heights(pdf: Path) -> list[float]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [float(y1) - float(y0) for y0, y1 in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', out)]


def test_spec_text_stays_text(tmp_path):
    """A role holding markup is printed as those characters, not read as Graphviz's HTML-like labels."""
    protocol = PROTOCOLS[0]
    stage = protocol.routes[0].stages[0]
    odd = "<B>Lead</B> & <BR/> partner"
    changed = _replace_first_role(protocol, odd)
    assert stage.role != odd
    path = pocket.write_pocket_card(changed, tmp_path / "card.pdf")
    assert odd in squash(PdfReader(path).pages[0].extract_text())


def _replace_first_role(protocol: model.Protocol, role: str) -> model.Protocol:
    from dataclasses import replace

    route = protocol.routes[0]
    stages = (replace(route.stages[0], role=role),) + route.stages[1:]
    return replace(protocol, routes=(replace(route, stages=stages),) + protocol.routes[1:])


def test_too_much_to_fit_is_a_clear_error():
    from dataclasses import replace

    protocol = PROTOCOLS[0]
    route = protocol.routes[0]
    many = tuple(replace(route.stages[0], number=n) for n in range(1, 61))
    crowded = replace(protocol, routes=(replace(route, stages=many, caps=()),) + protocol.routes[1:])
    with pytest.raises(pocket.PocketCardError, match=r"does not fit one A4 page .* at least 8 pt"):
        pocket.layout(crowded)


def test_every_version_page_links_its_pocket_card():
    built = site("real")
    for protocol in load.load_tree(ROOT / "protocols"):
        page = built / protocol.id / protocol.version.id / "index.html"
        links = re.findall(r'href="([^"]*pocket-card\.pdf)"', main_html(page))
        assert links == ["flowcharts/pocket-card.pdf"], page
        assert (page.parent / links[0]).read_bytes().startswith(b"%PDF")
        current = built / protocol.id / "index.html"
        assert f'href="{protocol.version.id}/flowcharts/pocket-card.pdf"' in main_html(current)
