"""A cold build checks its specs across the machine's cores, with the same models and the same messages."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from generator import build, load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import build as bench  # noqa: E402  (benchmarks/build.py: the synthetic trees)


@pytest.fixture
def tree(tmp_path) -> Path:
    return bench.synthetic_tree(tmp_path / "protocols", build.PARALLEL_CHECK_FROM + 2, versions_per_partnership=3)


def _project(tree: Path, tmp_path: Path) -> build.Project:
    return build.project(ROOT, protocols=tree, build_dir=tmp_path / "build", site_dir=tmp_path / "site")


def test_specs_checked_in_worker_processes_are_the_models_the_loader_makes(tree, tmp_path, monkeypatch):
    proj = _project(tree, tmp_path)
    in_this_process = []
    real = load.load_protocol
    monkeypatch.setattr(load, "load_protocol", lambda path, **kw: in_this_process.append(path) or real(path, **kw))
    loaded = build.load_specs(proj, jobs=2)
    assert in_this_process == []  # every spec was checked by a worker and read back from the cache
    assert len(list((proj.build_dir / build.SPEC_CACHE_DIR).glob("*.json"))) == len(loaded)
    assert loaded == load.load_tree(tree)


def test_a_broken_spec_among_many_is_reported_as_the_loader_reports_it(tree, tmp_path):
    spec = sorted(tree.glob("*/*.yaml"))[3]
    spec.write_text(spec.read_text(encoding="utf-8").replace("days: ", "days: five # ", 1), encoding="utf-8")
    with pytest.raises(load.SpecError) as serial:
        load.load_tree(tree)
    with pytest.raises(load.SpecError) as parallel:
        build.load_specs(_project(tree, tmp_path), jobs=2)
    assert str(parallel.value) == str(serial.value)
    assert f"{spec.parent.name}/{spec.name}:" in str(parallel.value)
    # The good specs were kept: fixing the broken one checks only that one again.
    assert len(list((tmp_path / "build" / build.SPEC_CACHE_DIR).glob("*.json"))) == len(list(tree.glob("*/*.yaml"))) - 1


def test_a_few_unchecked_specs_are_checked_without_starting_processes(tmp_path, monkeypatch):
    tree = bench.synthetic_tree(tmp_path / "protocols", build.PARALLEL_CHECK_FROM - 1)

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a process pool was started for a handful of specs")

    monkeypatch.setattr(build, "ProcessPoolExecutor", NoPool)
    assert len(build.load_specs(_project(tree, tmp_path), jobs=2)) == build.PARALLEL_CHECK_FROM - 1
