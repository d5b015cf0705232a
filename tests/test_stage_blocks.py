"""Stage blocks on the protocol pages: every field of a stage is a sibling in one definition list.

Read from the HTML structure, not the text: a Markdown indentation slip once put "What to record" (and
everything after it) inside the "By when" block, where the text was all present but nested wrongly.
"""

from __future__ import annotations

import pytest
from html_tree import parse
from site_builds import ROOT, main_html, site

from generator import load
from generator.core import model

PROTOCOLS = load.load_tree(ROOT / "protocols")


def expected_fields(stage: model.Stage) -> list[str]:
    """The labels a stage's block shows, in order, from what the spec holds for that stage."""
    wanted = [("Who", True), ("With whom", stage.counterpart), ("What to do", stage.actions),
              ("By when", True), *(("Also", True) for _ in stage.duties), ("What to record", stage.record),
              ("Forms", stage.forms), ("Contacts", stage.contacts), ("Note", stage.notes)]
    return [label for label, present in wanted if present]


def stage_lists(page) -> list:
    """The definition lists that describe stages (they open with "Who"), in page order."""
    tree = parse(main_html(page))
    return [dl for dl in tree.descendants("dl") if dl.elements("dt") and dl.elements("dt")[0].text == "Who"]


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: f"{p.id}-{p.version.id}")
def test_each_field_of_a_stage_is_a_sibling_term_of_one_list(protocol):
    page = site("real") / protocol.id / protocol.version.id / "index.html"
    lists = stage_lists(page)
    stages = [stage for route in protocol.routes for stage in route.stages]
    assert len(lists) == len(stages)
    for dl, stage in zip(lists, stages, strict=True):
        terms = [dt.text for dt in dl.elements("dt")]
        assert terms == expected_fields(stage), f"stage {stage.number} ({stage.title})"
        # Terms and their descriptions alternate as direct children: dt, dd, dt, dd ...
        assert [child.tag for child in dl.elements()] == ["dt", "dd"] * len(terms)
        assert not dl.descendants("dl"), f"a definition list nested inside stage {stage.number}"
        assert not any(a.tag == "dl" for a in dl.ancestors())


def test_what_to_record_is_not_inside_by_when():
    """The case the slip broke, checked directly: the record list's term is a child of the stage list."""
    page = site("real") / "calderdale" / "index.html"
    records = [dt for dl in parse(main_html(page)).descendants("dl") for dt in dl.elements("dt")
               if dt.text == "What to record"]
    assert records
    for dt in records:
        by_when = [s for s in dt.parent.elements("dt") if s.text == "By when"]
        assert by_when, "What to record sits in a list without By when: nested"
        assert dt.parent.elements().index(by_when[0]) < dt.parent.elements().index(dt)
