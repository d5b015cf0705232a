"""A site of many partnerships lists them in the navigation only on their own pages (navigation.prune)."""

from __future__ import annotations

from pathlib import Path

import yaml
from site_builds import two_partnerships

from generator import build, load
from generator.views import pages

ROOT = Path(__file__).resolve().parent.parent


def _features(tmp_path: Path, monkeypatch, prune_from: int, settings: dict | None = None) -> list[str]:
    monkeypatch.setattr(build, "PRUNE_NAV_FROM", prune_from)
    tree = two_partnerships(tmp_path)
    proj = build.project(ROOT, protocols=tree, build_dir=tmp_path / "build", site_dir=tmp_path / "site")
    series = pages.group(load.load_tree(tree))
    assert len(series) == 2
    config = yaml.safe_load(build._site_config(proj, series, settings))
    return config["theme"].get("features", [])


def test_the_navigation_is_pruned_from_the_threshold_on(tmp_path, monkeypatch):
    assert "navigation.prune" in _features(tmp_path, monkeypatch, prune_from=2)


def test_a_small_site_keeps_its_whole_navigation_on_every_page(tmp_path, monkeypatch):
    features = _features(tmp_path, monkeypatch, prune_from=3)
    assert "navigation.prune" not in features
    assert features == yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))[
        "theme"]["features"]


def test_a_site_that_expands_its_navigation_is_left_as_it_asked(tmp_path, monkeypatch):
    """Material cannot prune an expanded navigation: a project's own navigation.expand wins."""
    settings = {"site_name": "X", "theme": {"name": "material", "features": ["navigation.expand"]}}
    assert _features(tmp_path, monkeypatch, prune_from=2, settings=settings) == ["navigation.expand"]
