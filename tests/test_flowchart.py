"""Flowcharts: every route of every protocol drawn in one visual language, legible when printed.

Expected wording is written out here by hand from the timescale's numbers, and print sizes are
measured on the PDF that a trainer would print, not taken from the code's own arithmetic.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

from generator.core import messages, model
from generator.core.model import Cap, Timescale
from generator.views import flowchart

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "protocols").glob("*/*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
A4_LANDSCAPE = (841.89, 595.28)

needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def load(path: pathlib.Path) -> model.Protocol:
    return model.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def swindon() -> model.Protocol:
    return load(ROOT / "protocols" / "swindon" / "2024-01.yaml")


ROUTES = [pytest.param(path, route.id, id=f"{path.parent.name}-{route.id}")
          for path in SPECS for route in load(path).routes]


def parsed_svg(protocol: model.Protocol, route: model.Route) -> ET.Element:
    return ET.fromstring(flowchart.inline_svg(protocol, route))


def group(svg: ET.Element, element_id: str) -> ET.Element:
    found = [g for g in svg.iter(f"{SVG}g") if g.get("id") == element_id]
    assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
    return found[0]


def text_of(element: ET.Element) -> str:
    """The words a reader sees in an SVG group, lines joined by spaces."""
    return " ".join(" ".join(t.itertext()).strip() for t in element.iter(f"{SVG}text")).replace("\xa0", " ")


def expected_short(timescale: Timescale) -> str | None:
    """The arrow wording for the dated kinds, written out independently of the code under test."""
    if timescale.kind == "working_days":
        text = f"within {timescale.days} working day" + ("" if timescale.days == 1 else "s")
    elif timescale.kind == "calendar_months":
        text = f"within {timescale.months} calendar month" + ("" if timescale.months == 1 else "s")
    elif timescale.kind == "same_working_day":
        text = "same working day"
    else:
        return None
    return "ideally " + text if timescale.guideline else text


# ---------------------------------------------------------------------------------------------
# Wording


def ts(kind: str, **kw) -> Timescale:
    return Timescale(kind=kind, wording="(source words)", **kw)


@pytest.mark.parametrize(("timescale", "stage_number", "expected"), [
    (ts("working_days", days=5), 2, "within 5 working days"),
    (ts("working_days", days=1), 1, "within 1 working day"),
    (ts("working_days", days=10, guideline=True), 2, "ideally within 10 working days"),
    (ts("same_working_day"), 1, "same working day"),
    (ts("calendar_months", months=1), 3, "within 1 calendar month"),
    (ts("calendar_months", months=2), 3, "within 2 calendar months"),
    (ts("without_delay"), 2, "without delay"),
    (ts("agreed"), 1, "agreed timescale"),
    (ts("agreed", days=10, guideline=True), 2, "agreed timescale, ideally within 10 working days"),
    (ts("none"), 1, "no timescale given"),
    # The anchor is spelt out only when it is not the end of the stage before.
    (ts("working_days", days=5, anchor="stage_end", anchor_stage=2), 3, "within 5 working days"),
    (ts("working_days", days=5, anchor="stage_end", anchor_stage=1), 3,
     "within 5 working days of the end of stage 1"),
    (ts("working_days", days=10, anchor="disagreement_arose"), 3,
     "within 10 working days of the disagreement arising"),
    (ts("working_days", days=2, anchor="disagreement_arose"), 1, "within 2 working days"),
])
def test_timescale_short_form(timescale, stage_number, expected):
    assert flowchart.timescale_short(timescale, stage_number=stage_number) == expected


@pytest.mark.parametrize(("stages", "timescale", "expected"), [
    ((1, 2, 3, 4, 5), ts("working_days", days=5), "Stages 1 to 5: within 5 working days in total"),
    ((1, 2, 3, 4), ts("calendar_months", months=1), "Stages 1 to 4: within 1 calendar month in total"),
    ((6,), ts("without_delay"), "Stage 6: without delay"),
    ((1, 3, 5), ts("working_days", days=3), "Stages 1, 3 and 5: within 3 working days in total"),
    ((2, 3), ts("working_days", days=2, anchor="stage_end", anchor_stage=1),
     "Stages 2 and 3: within 2 working days in total, counted from the end of stage 1"),
])
def test_cap_text(stages, timescale, expected):
    assert flowchart.cap_text(Cap(id="c", stages=stages, timescale=timescale)) == expected


def test_timescale_without_its_number_is_a_clear_error():
    with pytest.raises(flowchart.FlowchartError, match="needs a number of working days"):
        flowchart.timescale_short(ts("working_days"))


# ---------------------------------------------------------------------------------------------
# The drawing, for every route of every protocol


def test_there_are_protocols_to_draw():
    assert SPECS, "no protocols/*/*.yaml found"


@pytest.mark.parametrize(("path", "route_id"), ROUTES)
def test_chart_shows_every_stage_exit_timescale_and_outcome(path, route_id):
    protocol = load(path)
    route = protocol.route(route_id)
    svg = parsed_svg(protocol, route)
    node_ids = {g.get("id") for g in svg.iter(f"{SVG}g") if g.get("class") == "node"}

    stage_nodes = {i for i in node_ids if re.fullmatch(rf"{re.escape(route_id)}-stage-\d+", i)}
    assert stage_nodes == {f"{route_id}-stage-{s.number}" for s in route.stages}

    for stage in route.stages:
        node = f"{route_id}-stage-{stage.number}"
        box = text_of(group(svg, node))
        assert f"Stage {stage.number}:" in box
        exit_box = text_of(group(svg, f"{node}-resolved"))
        assert exit_box == "Resolved: record the outcome in writing"
        exit_edge = group(svg, f"{node}-resolved-edge")
        assert exit_edge.find(f"{SVG}title").text == f"{node}->{node}-resolved"
        expected = expected_short(stage.timescale)
        arrow = text_of(group(svg, f"{node}-in"))
        if expected is not None:
            assert expected in arrow, f"stage {stage.number}: {expected!r} not on the arrow {arrow!r}"

    danger = text_of(group(svg, f"{route_id}-danger"))
    assert "IMMEDIATE DANGER" in danger and "999" in danger
    for contact_id in protocol.risk.immediate_danger_contacts:
        first_word = protocol.contact(contact_id).name.split()[0]
        assert first_word in danger

    outcome = text_of(group(svg, f"{route_id}-outcome"))
    assert f"after stage {route.stages[-1].number}" in outcome
    if route.after_last_stage:
        assert " ".join(route.after_last_stage.split()[:4]) in outcome
    if route.continues_with:
        assert protocol.route(route.continues_with).title.split()[0] in outcome

    for n, cap in enumerate(route.caps, start=1):
        note = text_of(group(svg, f"{route_id}-cap-{n}"))
        assert note.startswith(messages.stage_range(cap.stages) + ":")
        if expected_short(cap.timescale):
            assert f"{expected_short(cap.timescale)} in total" in note


def test_swindon_arrows_read_as_the_document_says(swindon):
    """Hand-read from the source: 2 working days for stage 1, then 5 for each of stages 2 to 5."""
    svg = parsed_svg(swindon, swindon.route("standard"))
    assert text_of(group(svg, "standard-stage-1-in")) == "within 2 working days"
    for n in (2, 3, 4, 5):
        assert text_of(group(svg, f"standard-stage-{n}-in")) == "not resolved: within 5 working days"
    urgent = parsed_svg(swindon, swindon.route("urgent"))
    assert text_of(group(urgent, "urgent-stage-1-in")) == "same working day"
    assert text_of(group(urgent, "urgent-stage-2-in")) == "not resolved: without delay"
    assert "Continue with route: Resolution process." in text_of(group(urgent, "urgent-outcome"))


def test_dot_source_is_deterministic_and_names_stages_stably(swindon):
    route = swindon.route("standard")
    first = flowchart.dot_source(swindon, route)
    flowchart._layout.cache_clear()
    flowchart._best_shape.cache_clear()
    flowchart._run.cache_clear()
    flowchart._MEASURED.clear()
    assert flowchart.dot_source(swindon, route) == first
    for n in range(1, 6):
        assert len(re.findall(rf'^\s*"standard-stage-{n}" \[', first, re.M)) == 1


def test_no_meaning_is_carried_by_colour(swindon):
    """Black-and-white printing: only black lines and text, the danger box a light grey behind black text."""
    svg = flowchart.inline_svg(swindon, swindon.route("standard"))
    colours = set(re.findall(r'(?:stroke|fill)="([^"]+)"', svg))
    assert colours <= {"black", "white", "none", "transparent", "#ebebeb"}, colours
    dot = flowchart.dot_source(swindon, swindon.route("standard"))
    assert 'style="rounded,dashed"' in dot  # exits: dashed, rounded boxes
    assert 'peripheries=2' in dot  # the danger box and the final outcome: double borders


def test_protocol_text_is_escaped(swindon):
    route = swindon.route("standard")
    odd = dataclasses.replace(route.stages[0], title='Talk <b>first</b> & "listen"', role="A > B")
    route = dataclasses.replace(route, stages=(odd,) + route.stages[1:])
    svg = flowchart.inline_svg(swindon, route)
    ET.fromstring(svg)  # well formed
    assert "Talk &lt;b&gt;first&lt;/b&gt; &amp; &quot;listen&quot;" in svg
    assert "<b>" not in svg


def test_unknown_next_route_is_a_clear_error(swindon):
    route = dataclasses.replace(swindon.route("urgent"), continues_with="nowhere")
    with pytest.raises(flowchart.FlowchartError, match="route 'nowhere' is named as the next route"):
        flowchart.dot_source(swindon, route)


# ---------------------------------------------------------------------------------------------
# On the page: inline SVG and its text alternative


def test_inline_svg_is_named_for_screen_readers_and_ids_do_not_clash(swindon):
    markups = [flowchart.inline_svg(swindon, route) for route in swindon.routes]
    for markup, route in zip(markups, swindon.routes, strict=True):
        assert markup.startswith("<svg ")
        assert "<?xml" not in markup and "<!DOCTYPE" not in markup
        root = ET.fromstring(markup)
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title.get("id") == root.get("aria-labelledby") == f"{route.id}-chart-title"
        assert route.title in title.text and swindon.partnership.name in title.text
    page = "<div>" + "".join(markups) + "</div>"
    ids = [e.get("id") for e in ET.fromstring(page).iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids repeat between the charts on one page"
    assert flowchart.inline_svg(swindon, swindon.routes[0]) == markups[0]  # byte-identical


def test_id_prefix_keeps_two_versions_of_a_route_apart(swindon):
    route = swindon.route("standard")
    svg = flowchart.inline_svg(swindon, route, id_prefix="v2024-standard")
    assert 'id="v2024-standard-stage-1"' in svg and 'id="standard-stage-1"' not in svg
    with pytest.raises(flowchart.FlowchartError, match="must start with a letter"):
        flowchart.inline_svg(swindon, route, id_prefix="1 bad")


def test_text_alternative_has_the_same_steps(swindon):
    route = swindon.route("standard")
    sentences = flowchart.text_alternative(swindon, route)
    assert sentences[0].startswith("Immediate danger:") and "999" in sentences[0]
    assert "MASH" in sentences[0] and "Immediate risk of significant harm" in sentences[0]
    urgent = flowchart.text_alternative(swindon, swindon.route("urgent"))
    assert "use the route" not in urgent[0]  # no pointer from the urgent route to itself
    stage_sentences = sentences[1:6]
    assert stage_sentences[0] == (
        "Stage 1, Internal Discussion: The professional who disagrees, with Their line manager (in their "
        "own agency). Timescale: within 2 working days. If resolved: record the outcome in writing. "
        "If not resolved, go on to stage 2."
    )
    for n, sentence in enumerate(stage_sentences, start=1):
        assert sentence.startswith(f"Stage {n}, ")
    assert "within 5 working days" in stage_sentences[4]
    assert sentences[-1].startswith("If stage 5 does not resolve it: If there is still no resolution, a Resolution Panel")
    assert sentences[6] == "Stages 1 to 4: within 17 working days in total."  # "Day 17", read as a limit
    assert len(sentences) == 1 + 5 + 1 + 1  # danger, five stages, the Day 17 cap, the outcome


# ---------------------------------------------------------------------------------------------
# Downloads and the trainer's pack


def pdf_pages(path: pathlib.Path) -> tuple[int, list[tuple[float, float]]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True,
                         check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)]
    return pages, sizes


def word_heights(pdf: pathlib.Path, page: int = 1) -> list[float]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [float(y1) - float(y0) for y0, y1 in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', out)]


@pytest.fixture(scope="module")
def ten_point_word_height(tmp_path_factory) -> float:
    """How tall pdftotext measures a word of 10 pt DejaVu Sans drawn by Graphviz at scale 1."""
    dot = 'digraph { node [fontname="DejaVu Sans" fontsize=10 shape=plaintext]; a [label="Reference"] }'
    pdf = tmp_path_factory.mktemp("ref") / "ref.pdf"
    subprocess.run(["dot", "-Tpdf", "-o", str(pdf)], input=dot, text=True, check=True)
    return min(word_heights(pdf))


@needs_poppler
@pytest.mark.parametrize("path", SPECS, ids=[p.parent.name for p in SPECS])
def test_downloads_are_a4_landscape_with_text_of_at_least_10_pt(path, tmp_path, ten_point_word_height):
    protocol = load(path)
    written = flowchart.write_downloads(protocol, tmp_path)
    assert set(written) == {route.id for route in protocol.routes}
    for route in protocol.routes:
        pdf, png = written[route.id]["pdf"], written[route.id]["png"]
        assert pdf == tmp_path / f"{route.id}.pdf" and png == tmp_path / f"{route.id}.png"
        assert pdf.read_bytes().startswith(b"%PDF")
        pages, sizes = pdf_pages(pdf)
        assert pages == 1
        assert sizes[0] == pytest.approx(A4_LANDSCAPE, abs=1.5)
        smallest = min(word_heights(pdf))
        assert smallest >= ten_point_word_height * 0.995, (
            f"{route.id}: smallest text prints at {10 * smallest / ten_point_word_height:.2f} pt")

        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        natural = float(re.search(r'width="([\d.]+)pt"', flowchart.inline_svg(protocol, route, layout="print")).group(1))
        assert width == pytest.approx((natural + 2 * 14.4 - 8) * 150 / 72, rel=0.03)  # 150 dpi, 0.2 in pad


@needs_poppler
def test_svg_natural_size_fits_a4_without_shrinking_text_below_10_pt(swindon):
    """The same limit reasoned from the SVG: its natural size against A4 landscape less 6 mm margins."""
    for route in swindon.routes:
        svg = flowchart.inline_svg(swindon, route, layout="print")
        width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups())
        scale = min(1.0, (841.89 - 34) / width, (595.28 - 34) / height)
        smallest = min(float(v) for v in re.findall(r'font-size="([\d.]+)"', svg))
        assert smallest * scale >= 10, (route.id, smallest, scale)


@needs_poppler
@pytest.mark.parametrize("path", SPECS, ids=[p.parent.name for p in SPECS])
def test_trainer_pack_has_one_titled_page_per_route(path, tmp_path):
    protocol = load(path)
    pack = flowchart.write_trainer_pack(protocol, tmp_path / "pack" / "flowcharts.pdf")
    assert pack.read_bytes().startswith(b"%PDF")
    pages, sizes = pdf_pages(pack)
    assert pages == len(protocol.routes)
    assert all(size == pytest.approx(A4_LANDSCAPE, abs=1.5) for size in sizes)
    # The text's own date, never "version 2024-10", which reads like a number the text does not print.
    label = f"Issued {protocol.version.issued.human()}" if protocol.version.issued else "Undated text"
    for number, route in enumerate(protocol.routes, start=1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pack), "-"],
                              capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        assert route.title.split(":")[0].split()[0] in flat
        assert label in flat and f"Version {protocol.version.id}" not in flat



@pytest.mark.parametrize(("path", "route_id"), ROUTES)
def test_page_drawing_is_one_column_for_a_phone_and_the_downloads_keep_the_a4_drawing(path, route_id):
    """The inline SVG is the screen layout (top to bottom, narrow, 1 pt = 4/3 CSS px at its natural size);
    the print layout is a different drawing of the same boxes. Chromium measures the result in
    test_flowchart_screen.py; this catches a wrong layout without a browser."""
    protocol = load(path)
    route = protocol.route(route_id)
    screen = flowchart.inline_svg(protocol, route)
    width, height = (float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', screen).groups())
    assert width * 4 / 3 <= 342  # a 390 px phone's column
    assert height > width  # reads top to bottom
    assert min(float(v) for v in re.findall(r'font-size="([\d.]+)"', screen)) * 4 / 3 >= flowchart.MIN_SCREEN_PX
    assert 'rankdir=TB' in flowchart.screen_dot_source(protocol, route)
    printed = flowchart.inline_svg(protocol, route, layout="print")
    assert "rankdir" not in flowchart.dot_source(protocol, route)  # the A4 drawing keeps its rows
    screen_ids = set(re.findall(r'<g id="([^"]+)" class="node"', screen))
    assert screen_ids == set(re.findall(r'<g id="([^"]+)" class="node"', printed))  # the same boxes


@pytest.mark.parametrize(("spec", "expected"), [("hips/undated.yaml", "(undated text)"),
                                                ("swindon/2024-01.yaml", "(issued January 2024)")])
def test_a_drawing_and_the_trainers_pack_name_the_text_as_readers_see_it_never_by_our_file_name(
        spec, expected, tmp_path):
    """A reader cannot know what "version undated" or "version 2024-01" (our file names) refers to."""
    from pypdf import PdfReader

    protocol = load(ROOT / "protocols" / spec)
    svg = flowchart.inline_svg(protocol, protocol.routes[0])
    title = re.search(r"<title id=[^>]*>(.*?)</title>", svg).group(1)
    assert title.endswith(expected) and "version" not in title
    pack = flowchart.write_trainer_pack(protocol, tmp_path / "pack.pdf")
    pack_title = PdfReader(pack).metadata.title
    assert pack_title.endswith(expected.strip("()")) and "version" not in pack_title


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_step_with_no_limit_of_its_own_inside_a_limit_across_stages_never_reads_as_having_no_limit(language):
    """Calderdale: "The whole process of steps 1 to 5 should take no longer than 5 working days". Its
    arrows and text version say each step is inside that limit, not "no timescale given"."""
    protocol = load(ROOT / "protocols" / "calderdale" / "2024-10.yaml")
    route = next(r for r in protocol.routes if r.id == "standard")
    none_given = messages.t("timescale.none", language)
    svg = flowchart.inline_svg(protocol, route, language=language)
    drawn = re.sub(r"<(title|desc)\b.*?</\1>", " ", svg, flags=re.S)  # the arrows, not the text version
    words = " ".join(re.sub(r"<[^>]+>", " ", drawn).split())
    inside = messages.t("timescale.in_cap", language, stages="")
    assert words.count(inside.strip()) == 5 and none_given not in words
    sentences = flowchart.text_alternative(protocol, route, language)
    assert sum(inside.strip() in s for s in sentences) == 5
    assert not any(none_given in s for s in sentences)
    assert " ".join(sentences).count("5") >= 1  # the limit itself is still stated, in its own sentence
