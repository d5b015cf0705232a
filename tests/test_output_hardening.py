"""Second adversarial re-check (decision 021): what a spec can do to the site's paths, its pages' words
and its messages, found by building hostile or unusual specs."""

from __future__ import annotations

import html
import re
import shutil
import subprocess

import pytest
import yaml
from site_builds import ROOT, site

from generator import build, load
from generator.cli import main
from generator.views import flowchart, pocket

SWINDON = "protocols/swindon/2024-01.yaml"


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


def _swindon_with(field: str, value) -> str:
    data = yaml.safe_load((ROOT / "protocols" / "swindon" / "2024-01.yaml").read_text(encoding="utf-8"))
    *parents, last = [int(part) if part.isdigit() else part for part in field.split(".")]
    here = data
    for part in parents:
        here = here[part]
    here[last] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def _problems(text: str) -> list[str]:
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text, SWINDON)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("field", ["partnership.name", "routes.0.title", "routes.0.stages.1.role",
                                   "risk.immediate_danger.0", "readings.0.why", "contacts.1.notes"])
@pytest.mark.parametrize("value", ["\u200d", "\u0301\u0301", "\u3164", "\u200c \u00ad", "\ufe0f", "\u2800 \u200d"])
def test_a_text_of_characters_that_show_nothing_is_refused_at_its_field(field, value):
    """`str.strip` keeps joiners, combining marks and Hangul fillers, so a title of U+200D passed as text and
    showed as an empty stage box, an empty link in the navigation and a blank line on the pocket card."""
    (problem,) = _problems(_swindon_with(field, value))
    shown = field.replace(".0", "[0]").replace(".1", "[1]")
    assert problem.startswith(f"{SWINDON}:") and f": {shown}: expected some text; got only characters that " \
        "show nothing" in problem, problem
    assert f"U+{ord(value[0]):04X}" in problem


@pytest.mark.parametrize("value", ["a\u0301 Stage", "👨\u200d👩\u200d👧 family", "Cam 1", "\u05e9\u05dc\u05d5\u05dd"])
def test_text_with_something_to_see_still_loads_whatever_its_joiners_and_marks(value):
    assert load.load_text(_swindon_with("routes.0.title", value), SWINDON).routes[0].title == value


def test_the_arabic_letter_mark_is_a_bidirectional_control_like_the_others():
    """U+061C reorders text as U+200F does, and was the one bidirectional control the loader let through."""
    (problem,) = _problems(_swindon_with("routes.0.title", "\u061cStage"))
    assert "U+061C (bidirectional control)" in problem and problem.startswith(f"{SWINDON}:")


def _tree_with_swindon(tmp_path):
    tree = tmp_path / "protocols"
    (tree / "swindon").mkdir(parents=True)
    shutil.copy(ROOT / "protocols" / "swindon" / "2024-01.yaml", tree / "swindon" / "2024-01.yaml")
    return tree


@pytest.mark.parametrize(("make", "expected"), [
    (lambda folder: (folder / "2025-01.yaml").symlink_to(folder / "gone.yaml"),
     "expected a spec file; this is a link to something that does not exist or links back to itself"),
    (lambda folder: (folder / "2025-01.yaml").symlink_to("2025-01.yaml"),
     "expected a spec file; this is a link to something that does not exist or links back to itself"),
    (lambda folder: (folder / "2025-01.yaml").mkdir(), "expected a spec file; this is a folder"),
])
def test_a_spec_name_that_is_not_a_file_is_named_not_skipped(tmp_path, capsys, make, expected):
    """A broken link (or a folder) named like a version was left out without a word: `check` said ok and
    the build published the partnership without that version."""
    tree = _tree_with_swindon(tmp_path)
    make(tree / "swindon")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    assert main(["check", "--protocols", str(tree)]) == 1
    assert f"{tree / 'swindon' / '2025-01.yaml'}:1:1: {expected}" in capsys.readouterr().err
    assert main(["build", "--protocols", str(tree), "--site-dir", str(site_dir)]) == 1
    assert list(site_dir.iterdir()) == []


@pytest.mark.parametrize("name", ["2025-01.yaml", "draft.yml"])
def test_a_spec_beside_the_partnerships_folders_is_named_not_skipped(tmp_path, capsys, name):
    tree = _tree_with_swindon(tmp_path)
    shutil.copy(tree / "swindon" / "2024-01.yaml", tree / name)
    assert main(["check", "--protocols", str(tree)]) == 1
    stem = name.split(".")[0]
    assert (f"{tree / name}:1:1: a spec here is not published: save it as <partnership id>/{stem}.yaml in its "
            "partnership's folder") in capsys.readouterr().err


def test_one_partnerships_folder_is_still_checked_as_its_versions(tmp_path, capsys):
    tree = _tree_with_swindon(tmp_path)
    assert main(["check", str(tree / "swindon")]) == 0
    assert main(["check", "--protocols", str(tree)]) == 0


def test_a_chart_just_too_small_to_print_never_reads_as_the_size_it_needs(monkeypatch):
    """9.96 pt was shown rounded: "at least 10 pt (it would print at 10.0 pt)"."""
    swindon = load.load_protocol(ROOT / SWINDON)
    monkeypatch.setattr(flowchart, "_layout", lambda *args, **kwargs: ("", 12, 9.96 / 12))
    with pytest.raises(flowchart.FlowchartError, match=r"at least 10 pt \(it would print at 9\.9 pt\)"):
        flowchart.check_printable(swindon, swindon.routes[0])


def test_a_pocket_card_just_too_small_to_print_never_reads_as_the_size_it_needs(monkeypatch):
    swindon = load.load_protocol(ROOT / SWINDON)
    inner_w = pocket.A4_WIDTH_PT - 2 * pocket.MARGIN_PT
    monkeypatch.setattr(pocket, "_natural_sizes", lambda sources: [
        (inner_w * size / 7.96, 1.0) for size in pocket.BODY_SIZES_PT])
    with pytest.raises(pocket.PocketCardError, match=r"at least 8 pt \(it would print at 7\.9 pt\)"):
        pocket.layout(swindon)


def _swindon_with_urgent_route_named(route_id: str) -> str:
    text = (ROOT / SWINDON).read_text(encoding="utf-8")
    text = re.sub(r"\burgent(?=[.\]\n])", route_id, text.replace("id: urgent\n", f"id: {route_id}\n"))
    return text.replace("urgent_route: urgent", f"urgent_route: {route_id}")


@pytest.mark.parametrize(("route_id", "expected"), [
    ("pocket-card", "'pocket-card' is the name of a file of the version's flowcharts folder"),
    ("trainers-pack", "'trainers-pack' is the name of a file of the version's flowcharts folder"),
    ("standard-print", "'standard-print' begins with the id of the route 'standard' and a hyphen"),
    ("standard-stage-1", "'standard-stage-1' begins with the id of the route 'standard' and a hyphen"),
])
def test_a_route_id_that_would_share_a_file_or_page_ids_with_another_is_refused(route_id, expected):
    problems = _problems(_swindon_with_urgent_route_named(route_id))
    assert any(p.startswith(f"{SWINDON}:") and f": routes[1].id: {expected}" in p for p in problems), problems


@pytest.mark.parametrize("route_id", ["standardised", "stand"])
def test_route_ids_that_only_share_letters_still_load(route_id):
    swindon = load.load_text(_swindon_with_urgent_route_named(route_id), SWINDON)
    assert [route.id for route in swindon.routes] == ["standard", route_id]


def test_every_file_name_of_the_flowcharts_folder_is_reserved_as_a_route_id():
    for name in (pocket.FILE_NAME, build.TRAINER_PACK):
        assert name.rsplit(".", 1)[0] in load.RESERVED_ROUTE_IDS, name


@pytest.mark.parametrize(("site_dir", "expected"), [
    ("protocols", "holds the protocols folder"), ("protocols/swindon", "is inside the protocols folder"),
    (".", "holds the protocols folder"), ("docs", "holds the pages folder"), ("docs/site", "is inside the pages folder"),
    (".guidance-build", "holds the build folder"),
])
def test_build_refuses_a_site_dir_that_would_replace_what_it_reads(tmp_path, monkeypatch, capsys, site_dir, expected):
    """`guidance build --site-dir protocols` swapped the new site in where the specs were: they were gone."""
    tree = _tree_with_swindon(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["build", "--protocols", "protocols", "--site-dir", site_dir]) == 2
    err = capsys.readouterr().err
    assert f"--site-dir {(tmp_path / site_dir).resolve()}: {expected}" in err and "Traceback" not in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tree / "swindon" / "2024-01.yaml").is_file()


BACKSLASHES = r"S:\Networks \G \E \H \T \L \n \l \\ end"


def _drawn_text(svg: str) -> str:
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)).replace("\u00a0", " ")


def _swindon_with_backslashes():
    return load.load_text(_swindon_with("routes.0.stages.0.role", BACKSLASHES), SWINDON)


def test_a_backslash_in_spec_text_is_drawn_as_written_in_the_flowchart():
    """Graphviz read `\\N` in a label as the node's name: 'S:\\Networks' was drawn 'S:standard-stage-1etworks'."""
    swindon = _swindon_with_backslashes()
    drawn = _drawn_text(flowchart.inline_svg(swindon, swindon.routes[0]))
    assert "standard-stage-1etworks" not in drawn
    assert " ".join(BACKSLASHES.split()[:4]) in " ".join(drawn.split())  # wrapped across lines, word by word
    assert all(word in drawn for word in BACKSLASHES.split())


def test_a_backslash_in_spec_text_is_drawn_as_written_on_the_pocket_card():
    swindon = _swindon_with_backslashes()
    source, _, _ = pocket.layout(swindon)
    svg = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True).stdout
    drawn = _drawn_text(svg)
    assert all(word in drawn for word in BACKSLASHES.split()), drawn


@pytest.mark.parametrize("escape", ["\\uFFFF", "\\uFFFE", "\\uFDD0", "\\uD800", "\\U0010FFFF"])
def test_a_yaml_escape_for_what_is_not_a_character_is_refused_at_its_field(escape):
    """`short_name: "Swin\\uFFFFdon"` passed the checker; the build then failed inside Graphviz ("not
    well-formed (invalid token) ... in label of node card", naming no field), as any XML output would."""
    text = (ROOT / SWINDON).read_text(encoding="utf-8").replace("short_name: Swindon", f'short_name: "Swin{escape}don"')
    (problem,) = _problems(text)
    code = escape[2:].upper().lstrip("0").rjust(4, "0")
    assert problem.startswith(f"{SWINDON}:7:15: partnership.short_name: the text holds the control character "
                              f"U+{code} (not a character: a surrogate or noncharacter)"), problem


def test_characters_beyond_the_basic_plane_still_load():
    text = (ROOT / SWINDON).read_text(encoding="utf-8").replace("short_name: Swindon", 'short_name: "Swindon \\U0001F3F4"')
    assert load.load_text(text, SWINDON).partnership.short_name == "Swindon \U0001F3F4"


def test_a_name_too_long_to_print_is_among_the_texts_the_message_says_to_shorten():
    """A partnership name of 4,000 characters made the chart unprintable, and the message listed only stage
    roles, danger actions and the last step: the title heading every chart was not named."""
    swindon = load.load_text(_swindon_with("partnership.name", ("Longword " * 500)[:3990]), SWINDON)
    with pytest.raises(flowchart.FlowchartError) as caught:
        flowchart.check_printable(swindon, swindon.routes[0])
    assert "the partnership's name and the route's title" in str(caught.value)
