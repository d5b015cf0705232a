"""Second adversarial re-check (decision 021): what a spec can do to the site's paths, its pages' words
and its messages, found by building hostile or unusual specs."""

from __future__ import annotations

from site_builds import site

from generator import load


def test_no_partnership_id_can_take_a_folder_the_site_itself_writes():
    """A partnership's pages go to /<id>/ and its data to data/v1/<id>/, beside the site's own folders: a
    partnership called `developers` replaced the developers' page, and one called `holidays` put its
    versions among the bank holiday files. Every folder a real build writes there must be refused as an id."""
    built = site("real")
    partnerships = {folder.name for folder in built.iterdir() if (folder / "changes").is_dir()}
    own = {entry.name for entry in built.iterdir() if entry.is_dir()} - partnerships
    own |= {entry.name for entry in (built / "data" / "v1").iterdir() if entry.is_dir()} - partnerships
    assert {"developers", "holidays", "next", "assets"} <= own  # the scan sees the folders it guards
    for name in sorted(own):
        assert name in load.RESERVED_PARTNERSHIP_IDS, name
