"""How many Graphviz runs a route's drawings take, and that drawing fewer runs changes no drawing.

The build's cold time is mostly Graphviz (benchmarks/build.py): the layout search's run also draws the
page's two SVGs, so a route costs its search, its PDF and its PNG. These tests count the runs and compare
the batched drawings with the drawings each graph's own run makes.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re

import graphviz
import pytest

from generator import load
from generator.views import flowchart

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _forget() -> None:
    """Every remembered layout and drawing, so that a test starts cold."""
    for cached in (flowchart._layout, flowchart._best_shape, flowchart._run, flowchart._screen_dot):
        cached.cache_clear()
    flowchart._MEASURED.clear()
    flowchart._BATCHED.clear()


@pytest.fixture
def runs(monkeypatch) -> list[tuple[str, str]]:
    """(format, source) of every `dot` run from here on."""
    seen: list[tuple[str, str]] = []
    pipe = graphviz.pipe

    def counted(engine, fmt, data, *args, **kwargs):
        seen.append((fmt, data.decode("utf-8")))
        return pipe(engine, fmt, data, *args, **kwargs)

    monkeypatch.setattr(graphviz, "pipe", counted)
    _forget()
    yield seen
    _forget()


@pytest.fixture(scope="module")
def hips():
    return load.load_protocol(ROOT / "protocols" / "hips" / "undated.yaml")


def _draw_page_and_downloads(protocol, route, folder: pathlib.Path) -> tuple[str, str]:
    """What the build draws for one route: the downloads, then the page's screen and print SVGs."""
    flowchart.write_route_downloads(protocol, route, folder)
    return (flowchart.inline_svg(protocol, route),
            flowchart.inline_svg(protocol, route, id_prefix=f"{route.id}{flowchart.PRINT_SUFFIX}", layout="print"))


def test_the_pages_drawings_come_from_the_layout_searchs_own_run(runs, hips, tmp_path):
    route = hips.route("standard")
    _draw_page_and_downloads(hips, route, tmp_path)
    formats = [fmt for fmt, _ in runs]
    assert formats.count("pdf") == 1 and formats.count("png") == 1
    searches = [source for fmt, source in runs if fmt == "svg"]
    # Only the search's batches draw SVG; the first also lays out the page's screen drawing.
    assert all(source.count("digraph") > 1 for source in searches), [s[:60] for s in searches]
    assert flowchart.screen_dot_source(hips, route) in searches[0]
    assert len(runs) == len(searches) + 2


def test_batched_drawings_are_the_drawings_of_their_own_runs(runs, hips, tmp_path):
    route = hips.route("conference-dissent")  # printed below its natural size: the search runs more than once
    screen, printed = _draw_page_and_downloads(hips, route, tmp_path)
    _forget()
    screen_source = flowchart.screen_dot_source(hips, route)
    print_source = flowchart.dot_source(hips, route, id_prefix=f"{route.id}{flowchart.PRINT_SUFFIX}")
    for source in (screen_source, print_source):
        assert source in flowchart._BATCHED  # drawn in a batch, not on its own
    alone = {source: flowchart._pipe(source, "svg") for source in (screen_source, print_source)}
    assert alone[screen_source] == flowchart._BATCHED[screen_source]
    assert alone[print_source] == flowchart._BATCHED[print_source]
    # Graphviz names the top group of a later graph in a run `page0,1_...`: never in a page's drawing.
    assert 'id="page' not in screen + printed
    assert re.search(r'<g id="conference-dissent-print-graph"', printed)


def test_downloads_are_laid_out_as_the_search_measured_them(hips):
    """The search draws with the print drawing's ids; the downloads' own ids must not move a box, or the A4
    page (padded from the measured size) would not be A4."""
    _forget()
    for route in hips.routes:
        source, _, _ = flowchart._layout(hips, route, route.id)
        measured = flowchart._MEASURED[source]
        drawn = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', flowchart._pipe(source, "svg").decode())
        assert (float(drawn.group(1)), float(drawn.group(2))) == measured, route.id
    _forget()


def test_a_pocket_cards_text_sizes_are_laid_out_by_one_run_and_chosen_as_one_by_one(runs, hips):
    from generator.views import pocket

    source, size, scale = pocket.layout(hips)
    first = runs[0][1]
    assert first.count("digraph") == len(pocket.BODY_SIZES_PT)  # every size in the first run
    assert len(runs) <= 1 + 3  # then at most three measurements of the padded page
    inner_w, inner_h = pocket.A4_WIDTH_PT - 2 * pocket.MARGIN_PT, pocket.A4_HEIGHT_PT - 2 * pocket.MARGIN_PT
    for candidate in pocket.BODY_SIZES_PT:  # the choice one run per size would make
        alone = flowchart._pipe(pocket._dot(hips, candidate, ""), "svg").decode()
        width, height = (float(v) for v in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', alone).groups())
        if min(1.0, inner_w / width, inner_h / height) == 1.0:
            break
    assert (size, scale) == (candidate, 1.0)


def test_the_same_graph_is_laid_out_once_in_a_search(runs, hips, tmp_path):
    """A route of two stages: rows of three or four boxes arrange it alike; those shapes are one graph."""
    route = hips.route("mash-referral")
    flowchart.smallest_print_pt(hips, route)
    first = runs[0][1]
    graphs = ["digraph" + part for part in first.split("digraph")[1:]]
    assert len(graphs) == len(set(graphs)) >= 2


def test_a_versions_searches_share_their_runs_and_choose_as_each_routes_own_search(runs, hips):
    """`prepare` runs every route's search side by side; each round of all of them is one `dot` run."""
    flowchart.prepare(hips)
    together = {route.id: flowchart._layout(hips, route, route.id) for route in hips.routes}
    searched = [source for fmt, source in runs if fmt == "svg"]
    assert len(runs) == len(searched) <= 3 < len(hips.routes)  # no route searched again on its own
    assert all(flowchart.screen_dot_source(hips, route) in searched[0] for route in hips.routes)
    _forget()
    alone = {route.id: flowchart._layout(hips, route, route.id) for route in hips.routes}
    assert together == alone
    assert len([fmt for fmt, _ in runs]) > len(searched) + len(hips.routes) - 1  # alone: a run or more each


def test_a_route_that_cannot_be_drawn_leaves_the_others_searched_together(runs, hips):
    broken = dataclasses.replace(hips.routes[0], id="1-starts-with-a-digit")
    protocol = dataclasses.replace(hips, routes=(broken, *hips.routes[1:]))
    flowchart.prepare(protocol)
    before = len(runs)
    for route in protocol.routes[1:]:
        flowchart.smallest_print_pt(protocol, route)
    assert len(runs) == before  # found by prepare
    with pytest.raises(flowchart.FlowchartError, match="must start with a letter"):
        flowchart.inline_svg(protocol, broken)


_STAMP = re.compile(rb"/CreationDate \([^)]*\)")


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_files_drawn_by_one_run_are_the_files_of_their_own_runs(hips, fmt):
    _forget()
    sources = [flowchart._page_source(hips, route) if fmt == "pdf" else flowchart.png_source(hips, route)
               for route in hips.routes]
    together = flowchart.render_many(sources, fmt)
    alone = [flowchart._pipe(source, fmt) for source in sources]
    assert len(together) == len(hips.routes)
    assert [_STAMP.sub(b"", f) for f in together] == [_STAMP.sub(b"", f) for f in alone]
    _forget()


def test_output_that_cannot_be_split_with_certainty_is_drawn_one_run_each(monkeypatch):
    pdf = b"%PDF-1.7\nstream x %PDF-1 y endstream\n%%EOF\n"
    assert flowchart._split_pdfs(pdf) is None  # the marker inside a stream: the part before it is no file
    assert flowchart._split_pdfs(b"%PDF-1.7\n%%EOF\n%PDF-1.7\n%%EOF\n") == [b"%PDF-1.7\n%%EOF\n"] * 2
    png = flowchart._PNG_SIGNATURE + (0).to_bytes(4, "big") + b"IEND" + b"crc!"
    assert flowchart._split_pngs(png + png) == [png, png]
    assert flowchart._split_pngs(png + png[:-3]) is None and flowchart._split_pngs(b"GIF89a") is None
    drawn: list[str] = []

    def pipe(source: str, fmt: str) -> bytes:
        drawn.append(source)
        return pdf  # one file's worth, whatever was asked: not one per text
    monkeypatch.setattr(flowchart, "_pipe", pipe)
    assert flowchart.render_many(["a", "b"], "pdf") == [pdf, pdf]
    assert drawn == ["a\nb", "a", "b"]


def test_a_version_of_six_routes_is_drawn_by_a_handful_of_runs(runs, hips, tmp_path):
    from generator import build
    from generator.views import pocket

    assert build._draw(hips, tmp_path / "drawn") is None
    formats = [fmt for fmt, _ in runs]
    assert formats.count("png") == 1 and formats.count("pdf") == 1  # the routes' pages with the pocket card's
    first = runs[0][1]
    assert all(source in first for source in pocket.size_sources(hips))  # its text sizes: in the search's first run
    assert len(runs) <= 5  # and the search's rounds, and the pocket card's padded page measured
    for route in hips.routes:
        for suffix in ("svg", "print-svg", "pdf", "png"):
            assert (tmp_path / "drawn" / f"{route.id}.{suffix}").stat().st_size > 0, (route.id, suffix)
