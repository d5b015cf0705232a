"""New PNGs are drawn while MkDocs renders the pages: the site is the same, the cache never half-filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from site_builds import FIXTURE_VERSIONS

from generator import build
from generator.views import flowchart

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 3, 1)


def _project(tmp_path: Path, name: str) -> build.Project:
    return build.project(ROOT, protocols=FIXTURE_VERSIONS, build_dir=tmp_path / name / "build",
                         site_dir=tmp_path / name / "site")


def test_pngs_left_drawing_are_placed_in_the_tree_and_cached_only_when_drawn(tmp_path):
    proj = _project(tmp_path, "deferred")
    generated = build.generate(proj, TODAY, jobs=2, defer_png=True)
    assert generated.pending is not None
    cache = proj.build_dir / build.CACHE_DIR
    assert not [p for p in cache.iterdir() if not p.name.startswith(build.DRAWING_PREFIX)]  # nothing kept yet
    pngs = sorted(proj.tree.rglob("*.png"))
    assert len(pngs) == sum(len(p.routes) for p in generated.protocols)
    build.finish_drawings(generated)
    assert generated.pending is None
    kept = {p.name for p in cache.iterdir()}
    assert len(kept) == len(generated.protocols) and not any(n.startswith(build.DRAWING_PREFIX) for n in kept)
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), png
        assert any(png.samefile(folder / png.name) for folder in cache.iterdir())  # the tree links the cache
    for chart in generated.charts.values():
        assert chart.folder.parent == cache and chart.folder.is_dir()


def test_the_site_built_while_pngs_draw_is_the_site_built_one_drawing_at_a_time(tmp_path):
    one = build.build_site(_project(tmp_path, "serial"), today=TODAY, jobs=1)
    two = build.build_site(_project(tmp_path, "parallel"), today=TODAY, jobs=2)
    files = sorted(p.relative_to(one.site) for p in one.site.rglob("*.png"))
    assert files == sorted(p.relative_to(two.site) for p in two.site.rglob("*.png")) and files
    for rel in files:
        assert (one.site / rel).read_bytes() == (two.site / rel).read_bytes(), rel


def test_a_png_that_cannot_be_drawn_fails_the_build_and_keeps_nothing(tmp_path, monkeypatch):
    def broken(sources, paths):
        raise flowchart.FlowchartError("Graphviz could not draw a flowchart: no PNG today")

    monkeypatch.setattr(flowchart, "write_pngs", broken)  # the workers are forked with it
    proj = _project(tmp_path, "broken")
    with pytest.raises(build.BuildError, match="no PNG today"):
        build.build_site(proj, today=TODAY, jobs=2)
    assert not proj.site_dir.exists()
    cache = proj.build_dir / build.CACHE_DIR
    assert list(cache.iterdir()) == []  # no version kept without its PNGs, no scratch left


def test_writers_that_need_no_flowchart_run_while_the_drawings_are_made(tmp_path, monkeypatch):
    seen = {}

    def early(generated):
        seen["early"] = (dict(generated.charts), [p.name for p in generated.tree.root.rglob("*.pdf")])

    def late(generated):
        seen["late"] = dict(generated.charts)

    monkeypatch.setattr(build, "OUTPUT_WRITERS", [early, late])
    monkeypatch.setattr(build, "WRITERS_WITHOUT_CHARTS", (early,))
    generated = build.generate(_project(tmp_path, "early"), TODAY, jobs=2)
    assert seen["early"] == ({}, [])  # before any drawing was placed in the tree
    assert seen["late"] and seen["late"] == generated.charts


def test_a_writer_failing_while_the_drawings_are_made_stops_the_build_and_leaves_no_scratch(tmp_path, monkeypatch):
    def broken(generated):
        raise build.BuildError("the bundle could not be written")

    monkeypatch.setattr(build, "OUTPUT_WRITERS", [broken])
    monkeypatch.setattr(build, "WRITERS_WITHOUT_CHARTS", (broken,))
    proj = _project(tmp_path, "failing")
    with pytest.raises(build.BuildError, match="could not be written"):
        build.build_site(proj, today=TODAY, jobs=2)
    assert list((proj.build_dir / build.CACHE_DIR).iterdir()) == []
    assert not proj.site_dir.exists()


def test_where_files_cannot_be_linked_the_pngs_are_waited_for_and_copied(tmp_path, monkeypatch):
    import errno
    import os

    def no_links(source, target, *args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    result = build.build_site(_project(tmp_path, "copied"), today=TODAY, jobs=2)
    pngs = list(result.site.rglob("*.png"))
    assert pngs and all(p.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for p in pngs)
