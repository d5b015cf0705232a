"""Readings as data: the schema requires them whole, the loader checks what they name, every page shows them,
and the specs keep the source texts' fidelity points from issue 7."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from site_builds import main_html, main_text, site

from generator import load
from generator.views import pages

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = load.load_tree(ROOT / "protocols")
BY_ID = {p.id: p for p in PROTOCOLS}
READINGS = [pytest.param(p, r, id=f"{p.id}-{r.id}") for p in PROTOCOLS for r in p.readings]
MINIMAL = (ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml").read_text(encoding="utf-8")
SPEC = "protocols/minimal/2025-01.yaml"

READING = """
readings:
  - id: two-ways
    quote: within two working days
    readings: [each stage, both stages together]
    used: both stages together
    why: the earlier date
    applies_to: [standard.1]
"""


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def real() -> Path:
    return site("real")


def test_every_protocol_records_its_readings():
    counts = {p.id: len(p.readings) for p in PROTOCOLS}
    assert all(n >= 8 for n in counts.values()), counts
    assert sum(counts.values()) >= 37  # the review found 37; the second read found more


@pytest.mark.parametrize(("protocol", "reading"), READINGS)
def test_every_reading_is_on_its_protocol_page(real, protocol, reading):
    text = main_text(real / protocol.id / "index.html")
    section = text[text.index("Where the text can be read two ways"):]
    # headed by the text's own words, not by the spec's id (issue 9)
    block = section[section.index(squash(pages.reading_title(reading))):]
    assert reading.id not in section
    for field in (reading.quote, *reading.readings, reading.used, reading.why):
        assert squash(field) in squash(block), f"{field!r} of {reading.id} is not on the page"
    body = main_html(real / protocol.id / "index.html")
    assert f'id="reading-{reading.id}"' in body  # an answer can link straight to it


def test_the_schema_requires_every_field_of_a_reading():
    assert load.load_text(MINIMAL + READING, SPEC).readings[0].used == "both stages together"
    for field in ("quote", "readings", "used", "why", "id"):
        broken = re.sub(rf"\n    {field}: [^\n]*", "", MINIMAL + READING) if field != "id" else \
            (MINIMAL + READING).replace("  - id: two-ways\n    quote", "  - quote")
        with pytest.raises(load.SpecError) as caught:
            load.load_text(broken, SPEC)
        assert f"missing required field '{field}'" in str(caught.value), field


def test_a_single_reading_is_not_two_ways():
    broken = (MINIMAL + READING).replace("readings: [each stage, both stages together]", "readings: [each stage]")
    with pytest.raises(load.SpecError) as caught:
        load.load_text(broken, SPEC)
    assert "readings[0].readings" in str(caught.value)


def test_a_reading_must_name_something_that_exists():
    broken = (MINIMAL + READING).replace("applies_to: [standard.1]", "applies_to: [standard.9]")
    with pytest.raises(load.SpecError) as caught:
        load.load_text(broken, SPEC)
    assert "'standard.9' is not 'risk', a route id or 'route.N'" in str(caught.value)
    assert f"{SPEC}:" in str(caught.value)


# --- fidelity points from the review, and the labels --------------------------------------------------------

def test_labels_say_issued_or_undated_never_a_version_number(real):
    assert BY_ID["calderdale"].version.label == "issued October 2024"
    assert BY_ID["kirklees"].version.label == "undated text"
    text = main_text(real / "calderdale" / "index.html")
    assert "This text: issued October 2024" in text and "Version 2024-10" not in text
    assert "This text: undated text" in main_text(real / "hips" / "index.html")
    home, compare = main_text(real / "index.html"), main_text(real / "compare" / "index.html")
    assert "; issued October 2024." in home and "; undated text." in home
    assert "Kirklees (undated text)" in compare and "(version" not in compare and "; version" not in home


def test_calderdale_scope_and_timescale_wording_hold_only_the_texts_words():
    calderdale = BY_ID["calderdale"]
    assert calderdale.scope_exclusions == ()  # the old entry excluded nothing
    assert any("as well as within single agency working" in n for n in calderdale.scope_notes)
    for stage in calderdale.route("standard").stages[:5]:
        assert stage.timescale.wording == ""  # no timescale of their own: explained in notes, not in "wording"


def test_swindon_keeps_alan_and_the_three_purposes():
    principles = " ".join(BY_ID["swindon"].principles)
    for words in ("Local Case Review 'Alan'", "avoids professional anxiety", "resolves the difficulties within",
                  "identifies any areas of practice"):
        assert words in principles


def test_kirklees_keeps_its_printed_words():
    kirklees = BY_ID["kirklees"]
    assert kirklees.contact("front-door").name == "Front Door to Children’s Services"  # typographic apostrophe
    stage = kirklees.route("conference-need").stages[0]
    assert stage.counterpart == "CSC" and "CSC" in stage.title
    notes = " ".join(kirklees.scope_notes)
    assert "single agency" in notes and "escalated up through the organisation" in notes


def test_hips_mash_causes_keep_their_lead_in_and_stay_on_the_mash_route(real):
    hips = BY_ID["hips"]
    assert hips.typical_causes == ()
    mash = hips.route("mash-referral")
    assert mash.causes_lead_in == "Disagreements over the handling of concerns reported to the MASH typically occur when:"
    assert len(mash.typical_causes) == 5
    assert mash.stages[0].timescale.kind == "agreed" and "acceptable to both" in mash.stages[0].timescale.wording
    assert any("restorative manner" in p for p in hips.principles)
    text = main_text(real / "hips" / "index.html")
    assert "Typical causes of disagreement" not in text
    assert squash(mash.causes_lead_in) in squash(text)


def test_urgent_route_box_on_the_page(real):
    body = html.unescape(main_html(real / "swindon" / "index.html"))
    assert "Act today, whatever the day" in body
    assert "only the latest date for the formal in-hours step" in body
    calderdale = main_text(real / "calderdale" / "index.html")
    assert "the relevant out of hours on call managers" in calderdale
    assert "General advice (ours, not the protocol's words)" in calderdale
