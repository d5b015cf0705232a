"""Flowcharts in Welsh: every word of ours from the Welsh catalogue, the partnership's own Welsh where the
spec has it, else its English as runs marked lang="en"; the Welsh text alternative, A4 print size, the
downloads and trainer's pack under cy/ with a Welsh PDF title; and English drawings exactly as before."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess

import pytest
from html_tree import parse
from site_builds import ROOT

from generator import load
from generator.core import messages
from generator.views import bilingual, flowchart

NORTH_WALES = ROOT / "protocols" / "north-wales" / "2018-11-28.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "specs" / "cymru-fixture" / "2025-01.yaml"
GOLDEN = ROOT / "tests" / "fixtures" / "english-drawings.json"


def _spec(path):
    return load.load_protocol(path, in_tree=False)


def _texts(svg: str) -> list[tuple[str, str | None]]:
    """(text, lang) of every <text> element of a drawing, in order."""
    root = parse(svg)
    return [(t.text, t.attrs.get("lang")) for t in root.descendants("text")]


def _drawing_words(svg: str) -> str:
    return " ".join(" ".join(text for text, _ in _texts(svg)).split())


# --- English drawings are unchanged ---------------------------------------------------------------

def _english_outputs():
    paths = sorted((ROOT / "protocols").glob("*/*.yaml")) + sorted((ROOT / "tests/fixtures/specs").glob("*/*.yaml"))
    for path in paths:
        protocol = _spec(path)
        for route in protocol.routes:
            yield f"{protocol.id}/{protocol.version.id}/{route.id}", {
                "screen": flowchart.screen_dot_source(protocol, route), "print": flowchart.dot_source(protocol, route),
                "text": flowchart.text_alternative(protocol, route), "svg": flowchart.inline_svg(protocol, route)}


def _digest(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_english_drawings_are_byte_for_byte_what_they_were_before_welsh_drawings():
    """The digests were taken from main before the drawings took a language. The SVG is Graphviz's own
    output, so it is compared only under the Graphviz release the digests were taken with."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    same_graphviz = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip() == golden["graphviz"]
    seen = {}
    for key, outputs in _english_outputs():
        seen[key] = {name: _digest(value) for name, value in outputs.items()
                     if name != "svg" or same_graphviz}
    assert set(seen) == set(golden["drawings"])
    for key, digests in seen.items():
        for name, digest in digests.items():
            assert digest == golden["drawings"][key][name], f"{key}: the English {name} drawing changed"


# --- The words of a Welsh drawing -------------------------------------------------------------------

# Our words in a drawing: each must show in Welsh and never in English.
INTERFACE = ("chart.start", "resolved", "chart.not_resolved")


def test_a_welsh_drawing_takes_every_word_of_ours_from_the_welsh_catalogue():
    protocol = _spec(NORTH_WALES)
    route = protocol.routes[0]
    for layout in ("screen", "print"):
        words = _drawing_words(flowchart.inline_svg(protocol, route, language="cy", layout=layout))
        english_words = _drawing_words(flowchart.inline_svg(protocol, route, layout=layout))
        for message_id in INTERFACE:
            assert messages.t(message_id, "cy") in words, (layout, message_id)
            assert messages.t(message_id, "en") not in words, (layout, message_id)
            assert messages.t(message_id, "en") in english_words, (layout, message_id)
        last = route.stages[-1].number
        assert messages.t("chart.still_not_resolved", "cy", stage=last) in words
        for stage in route.stages:
            assert messages.t("stage.one", "cy", number=stage.number) + ":" in words
            assert messages.t("stage.one", "en", number=stage.number) + ":" not in words
        # The danger box's heading (wrapped over lines) and the general 999 line, in Welsh.
        assert messages.t("chart.danger_heading", "cy") in words
        assert messages.t("danger.general_999", "cy") in words
        assert "IMMEDIATE DANGER" not in words
        assert messages.timescale_short(route.stages[0].timescale, stage_number=1, language="cy") in words
        assert "working days" not in words  # the partnership's words here say nothing of days


def test_the_welsh_drawing_dates_its_version_in_welsh():
    protocol = _spec(NORTH_WALES)
    words = _drawing_words(flowchart.inline_svg(protocol, protocol.routes[0], language="cy"))
    assert "Cyhoeddwyd 28 Tachwedd 2018" in words and "November" not in words


def test_the_partnerships_welsh_is_drawn_as_welsh_and_its_english_as_runs_marked_english():
    protocol = _spec(FIXTURE)
    route = protocol.routes[0]
    for layout in ("screen", "print"):
        texts = _texts(flowchart.inline_svg(protocol, route, language="cy", layout=layout))
        english = " ".join(text for text, lang in texts if lang == "en")
        welsh = " ".join(text for text, lang in texts if lang is None)
        assert all(lang in (None, "en") for _, lang in texts)
        # The spec's own Welsh (route and stage 1 titles, the partnership's name) is not marked English.
        for own in ("Siarad", "Llwybr safonol"):
            assert own in welsh and own not in english, (layout, own)
        # Its English where it published no Welsh is: stage 2's title, the roles, the contact's name.
        for text in ("Managers", "Line manager", "Practitioner", "Front Door"):
            assert text in english and text not in welsh, (layout, text)
        # Our words are never marked English.
        for message_id in INTERFACE:
            assert messages.t(message_id, "cy") not in english


def test_english_runs_carry_xml_lang_too_and_leave_no_marker_colour_behind():
    protocol = _spec(FIXTURE)
    svg = flowchart.inline_svg(protocol, protocol.routes[0], language="cy")
    texts = re.findall(r"<text\b[^>]*>", svg)
    assert sum(' lang="en"' in t for t in texts) == sum(' xml:lang="en"' in t for t in texts) > 0
    assert flowchart.ENGLISH_INK not in svg
    assert bilingual.ENGLISH_START not in svg and bilingual.ENGLISH_END not in svg


def test_the_welsh_text_alternative_names_the_drawing_in_welsh_and_marks_the_english_in_it():
    protocol = _spec(FIXTURE)
    route = protocol.routes[0]
    svg = flowchart.inline_svg(protocol, route, language="cy")
    root = parse(svg)
    title = root.descendants("title")[0]
    desc = root.descendants("desc")[0]
    assert title.text.startswith(messages.t("chart.svg_title", "cy", partnership="", route="", version="")[:10])
    assert "Bwrdd Diogelu Cymru Fixture" in title.text
    spans = [s.text for s in desc.descendants("span") if s.attrs.get("lang") == "en"]
    assert "Managers" in spans and "Line manager" in spans and "Siarad" not in spans
    assert messages.t("chart.alt.then_final", "cy") in desc.text
    # The page's text version: the same sentences, the English between markers the Welsh page turns into spans.
    lines = flowchart.text_alternative(protocol, route, "cy")
    assert any(bilingual.ENGLISH_START + "Managers" + bilingual.ENGLISH_END in line for line in lines)
    assert not any(bilingual.ENGLISH_START in line for line in flowchart.text_alternative(protocol, route))


@pytest.mark.parametrize("path", [NORTH_WALES, FIXTURE])
def test_welsh_drawings_still_print_on_a4_with_text_large_enough(path):
    protocol = _spec(path)
    for route in protocol.routes:
        flowchart.check_printable(protocol, route, "cy")
        assert flowchart.smallest_print_pt(protocol, route, "cy") >= flowchart.MIN_PRINT_PT


def test_a_welsh_drawing_too_large_to_print_is_refused_naming_its_language(monkeypatch):
    protocol = _spec(FIXTURE)
    monkeypatch.setattr(flowchart, "MIN_PRINT_PT", 40)
    with pytest.raises(flowchart.FlowchartError, match="'cy' drawing"):
        flowchart.check_printable(protocol, protocol.routes[0], "cy")


def test_the_welsh_downloads_and_trainers_pack(tmp_path):
    from pypdf import PdfReader

    protocol = _spec(NORTH_WALES)
    route = protocol.routes[0]
    files = flowchart.write_route_downloads(protocol, route, tmp_path / "cy", "cy")
    english = flowchart.write_route_downloads(protocol, route, tmp_path / "en")
    assert files["pdf"].read_bytes()[:5] == b"%PDF-" and files["png"].read_bytes()[:4] == b"\x89PNG"
    assert files["png"].read_bytes() != english["png"].read_bytes()
    page = PdfReader(io.BytesIO(files["pdf"].read_bytes())).pages[0]
    assert abs(float(page.mediabox.width) - flowchart.A4_WIDTH_PT) < 1.5
    assert abs(float(page.mediabox.height) - flowchart.A4_HEIGHT_PT) < 1.5
    words = " ".join(page.extract_text().split())
    assert messages.t("chart.start", "cy") in words and messages.t("chart.start", "en") not in words
    pack = flowchart.write_trainer_pack(protocol, tmp_path / "cy" / "pack.pdf", language="cy")
    title = PdfReader(pack).metadata.title
    assert title == messages.t("chart.pack_title", "cy", partnership=protocol.partnership.name,
                               version=protocol.version.label_in("cy"))
    assert title.endswith("cyhoeddwyd 28 Tachwedd 2018")


def test_the_trainers_pack_title_takes_the_partnerships_welsh_name(tmp_path):
    from pypdf import PdfReader

    protocol = _spec(FIXTURE)
    pack = flowchart.write_trainer_pack(protocol, tmp_path / "pack.pdf", language="cy")
    assert PdfReader(pack).metadata.title.startswith("Bwrdd Diogelu Cymru Fixture:")


def test_a_language_without_a_catalogue_is_refused():
    protocol = _spec(FIXTURE)
    with pytest.raises(LookupError):
        flowchart.inline_svg(protocol, protocol.routes[0], language="xx")


# --- Marked text: runs that survive wrapping ---------------------------------------------------------

def test_wrapped_lines_each_close_the_english_they_open():
    s, e = bilingual.ENGLISH_START, bilingual.ENGLISH_END
    lines = bilingual.balanced([f"Cam 2: {s}Line", "manager", f"of the{e} service"])
    assert lines == [f"Cam 2: {s}Line{e}", f"{s}manager{e}", f"{s}of the{e} service"]
    assert bilingual.runs(lines[2]) == [("of the", True), (" service", False)]
    assert bilingual.marked_html(f"a {s}<b>{e}", lambda x: x.replace("<", "&lt;")) == 'a <span lang="en">&lt;b></span>'


def test_a_spec_cannot_smuggle_markers_into_its_text():
    s = bilingual.ENGLISH_START
    assert bilingual.marked_english(f"x{s}y") == f"{s}xy{bilingual.ENGLISH_END}"
    assert bilingual.marked_english("  ") == "  "



def test_guidance_check_refuses_a_welsh_drawing_that_would_not_print_where_the_english_one_does(monkeypatch, capsys):
    from generator.cli import main

    checked = []
    original = flowchart.check_printable

    def welsh_too_large(protocol, route, language="en"):
        checked.append((protocol.id, language))
        if language == "cy":
            raise flowchart.FlowchartError(f"{protocol.id}: too large in its {language!r} drawing")
        return original(protocol, route, language)

    monkeypatch.setattr(flowchart, "check_printable", welsh_too_large)
    assert main(["check", str(NORTH_WALES)]) == 1
    assert "too large in its 'cy' drawing" in capsys.readouterr().err
    assert main(["check", str(ROOT / "protocols" / "swindon" / "2024-01.yaml")]) == 0  # English only: no Welsh drawing
    assert ("north-wales", "cy") in checked and ("swindon", "cy") not in checked


def test_the_danger_lines_in_welsh_with_or_without_a_route():
    protocol = _spec(FIXTURE)
    s, e = bilingual.ENGLISH_START, bilingual.ENGLISH_END
    for lines in (flowchart.danger_lines(protocol, language="cy"),
                  flowchart.danger_lines(protocol, protocol.routes[0], "cy")):
        assert messages.t("danger.general_999", "cy") in lines
        assert messages.t("chart.emergency_contacts", "cy", contacts=f"{s}Front Door{e}: 01234 567890") in lines
    assert flowchart.danger_lines(protocol) == [messages.t("page.no_out_of_hours"), messages.t("danger.general_999"),
                                                "Emergency contacts: Front Door: 01234 567890."]
