"""The decision aid's screens in Welsh: the partnership's own Welsh where its spec has some (the `cy:`
mapping), else its English marked `lang: en`, never our translation (core/spec_text.py). English pages keep
plain strings.

Dates worked by hand:
- North Wales, stage 1 ended Wed 23 Dec 2026; stage 2, 5 working days: Thu 24, (Fri 25, Mon 28 substitute
  Boxing Day), Tue 29, Wed 30, Thu 31, (Fri 1 Jan), Mon 4 Jan 2027.
- Cymru fixture, the disagreement arises Mon 5 Jan 2026 (today), stage 1 has 2 working days: Tue 6, Wed 7 Jan.
"""

from __future__ import annotations

from pathlib import Path

from generator import load
from generator.core import messages, screens, spec_text
from generator.views import bundle

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "specs" / "cymru-fixture" / "2025-01.yaml"
PROTOCOLS = {p.id: p for p in bundle.current_versions(load.load_tree(ROOT / "protocols"))}
FIXTURE_PROTOCOL = load.load_protocol(FIXTURE, in_tree=False)
ALL = {**PROTOCOLS, FIXTURE_PROTOCOL.id: FIXTURE_PROTOCOL}
DATA = bundle.bundle_data(list(ALL.values()), 2016, 2032, "engine.whl")
NORTH_WALES = {"protocol": "north-wales", "danger": "no", "unsafe": "no", "route": "standard", "stage": "1",
               "on": "2026-12-23"}
FIXTURE_START = {"protocol": "cymru-fixture", "danger": "no", "unsafe": "no", "stage": "none", "on": "2026-01-05"}


def context(language: str, today: str = "2026-12-23") -> dict:
    return {"lang": language, "today": today, "stamp": "20260105T100000Z", "url": "https://example.org/"}


def slot(blocks: list[dict], name: str) -> dict:
    for block in blocks:
        if block.get("slot") == name:
            return block
        for row in block.get("rows", []):
            if isinstance(row, dict) and row.get("slot") == name:
                return row
        found = slot(block.get("blocks", []), name)
        if found:
            return found
    return {}


def english_runs(value) -> list[str]:
    """The pieces of a shown text marked as English."""
    if isinstance(value, list):
        return [piece for run in value for piece in english_runs(run)]
    if isinstance(value, dict) and value.get("lang"):
        return [value["text"]]
    return []


def plain(value) -> str:
    if isinstance(value, list):
        return "".join(plain(run) for run in value)
    return value["text"] if isinstance(value, dict) else value


def every_text(value, key: str = ""):
    """Each shown text of a screen (as spec_text.TEXT_KEYS names them), plain or in runs."""
    if isinstance(value, dict):
        if "lang" in value and "text" in value:
            yield value
            return
        for k, v in value.items():
            yield from every_text(v, k)
    elif isinstance(value, list):
        if key in spec_text.TEXT_KEYS and any(isinstance(v, dict) and "lang" in v for v in value):
            yield value
            return
        for v in value:
            yield from every_text(v, key)
    elif isinstance(value, str) and key in spec_text.TEXT_KEYS:
        yield value


def test_north_wales_in_welsh_marks_its_english_text():
    view = screens.screen(PROTOCOLS, DATA, NORTH_WALES, None, context("cy"))
    blocks = view["blocks"]
    stage = PROTOCOLS["north-wales"].route("standard").stage(2)
    heading = slot(blocks, "next-heading")["text"]
    assert {"text": stage.title, "lang": "en"} in heading
    assert plain(heading) == messages.t("answer.next_heading", "cy", stage=2, title=stage.title)
    assert slot(blocks, "role")["text"] == [{"text": stage.role, "lang": "en"}]
    line = slot(blocks, "protocol-line")["text"]
    assert english_runs(line) == ["North Wales Safeguarding Board", PROTOCOLS["north-wales"].route("standard").title]
    # the spec's wording inside the Welsh rule sentence is marked; the Welsh around it is not
    rule = slot(blocks, "deadline-rule")["text"]
    assert stage.timescale.wording in english_runs(rule)
    assert all(not isinstance(run, dict) or run["text"] in stage.timescale.wording or run["lang"] == "en"
               for run in rule)
    assert "Terfyn amser" in plain(rule)
    # every action is shown, whole, as the partnership's English
    actions = [b for b in slot(blocks, "next")["blocks"] if b["kind"] == "list"][0]["items"]
    assert [english_runs(item) for item in actions] == [[a] for a in stage.actions]


def test_no_english_piece_of_the_spec_goes_unmarked_on_the_welsh_answer():
    protocol = PROTOCOLS["north-wales"]
    view = screens.screen(PROTOCOLS, DATA, NORTH_WALES, None, context("cy"))
    pieces = {text.strip() for text in spec_text.field_texts(protocol).values() if len(text.strip()) > 12}
    for text in every_text(view["blocks"]):
        unmarked = text if isinstance(text, str) else "".join(r for r in text if isinstance(r, str))
        if isinstance(text, dict):
            continue
        assert not [p for p in pieces if p in unmarked], unmarked


def test_english_pages_keep_plain_strings():
    view = screens.screen(PROTOCOLS, DATA, NORTH_WALES, None, context("en"))
    assert all(isinstance(text, str) for text in every_text(view["blocks"]))
    assert slot(view["blocks"], "role")["text"] == PROTOCOLS["north-wales"].route("standard").stage(2).role


def test_the_fixture_shows_its_own_welsh_and_marks_the_rest():
    view = screens.screen(ALL, DATA, FIXTURE_START, None, context("cy", "2026-01-05"))
    blocks = view["blocks"]
    welsh = dict(FIXTURE_PROTOCOL.cy)
    # stage 1's title and action and the route title have Welsh of the partnership's own: shown unmarked
    heading = slot(blocks, "next-heading")["text"]
    assert heading == messages.t("answer.next_heading", "cy", stage=1, title=welsh["routes[0].stages[0].title"])
    actions = [b for b in slot(blocks, "next")["blocks"] if b["kind"] == "list"][0]["items"]
    assert actions == [welsh["routes[0].stages[0].actions[0]"]]
    line = slot(blocks, "protocol-line")["text"]
    assert welsh["partnership.name"] in plain(line) and welsh["routes[0].title"] in plain(line)
    assert english_runs(line) == []
    rule = slot(blocks, "deadline-rule")["text"]
    assert welsh["routes[0].stages[0].timescale.wording"] in plain(rule)
    assert "within two working days" not in plain(rule)
    # the role has no Welsh in the spec: its English, marked
    assert slot(blocks, "role")["text"] == [{"text": "Practitioner", "lang": "en"}]


def test_the_questions_mark_route_and_stage_choices():
    view = screens.screen(ALL, DATA, {"protocol": "cymru-fixture", "danger": "no", "unsafe": "no"}, None,
                          context("cy"))
    assert view["question"]["id"] == "stage"
    labels = [choice["label"] for choice in view["question"]["choices"]]
    assert welsh_free(labels[0]) and "Siarad" in plain(labels[0])
    assert {"text": "Managers", "lang": "en"} in labels[1]
    hints = [choice.get("hint") for choice in view["question"]["choices"]][:2]
    assert hints == [[{"text": "Practitioner", "lang": "en"}], [{"text": "Line manager", "lang": "en"}]]
    # the first question: every partnership's name, as its own Welsh or its English marked
    first = screens.screen(ALL, DATA, {}, None, context("cy"))["question"]["choices"]
    names = {plain(c["label"]): c["label"] for c in first}
    assert names["Bwrdd Diogelu Cymru Fixture"] == "Bwrdd Diogelu Cymru Fixture"
    assert names["Swindon Safeguarding Partnership"] == [{"text": "Swindon Safeguarding Partnership", "lang": "en"}]


def welsh_free(value) -> bool:
    return english_runs(value) == []


def test_the_calendar_file_stays_plain_text():
    view = screens.screen(PROTOCOLS, DATA, NORTH_WALES, None, context("cy"))
    assert isinstance(view["ics"]["text"], str) and "BEGIN:VEVENT" in view["ics"]["text"]


def test_runs_keep_the_text_and_join_neighbours():
    marker = spec_text.Marker([FIXTURE_PROTOCOL], "cy")
    assert marker.runs("Dim byd") == "Dim byd"
    assert marker.runs("cam 2, Managers.") == ["cam 2, ", {"text": "Managers", "lang": "en"}, "."]
    assert marker.runs("cam 1, Talk") == "cam 1, Siarad"  # all of it Welsh: one plain string
    # ids, values and links are never words
    assert marker.mark({"value": "Talk", "href": "Talk", "text": "Talk"}) == {"value": "Talk", "href": "Talk",
                                                                            "text": "Siarad"}
    assert spec_text.marker([FIXTURE_PROTOCOL], "en") is None


def test_the_welsh_answer_names_the_bank_holidays_in_welsh():
    """Stage 2's 5 working days step over Fri 25 Dec, Mon 28 Dec (substitute Boxing Day) and Fri 1 Jan."""
    rule = plain(slot(screens.screen(PROTOCOLS, DATA, NORTH_WALES, None, context("cy"))["blocks"],
                      "deadline-rule")["text"])
    assert "Gwe 25 Rhag (Dydd Nadolig), Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) a Gwe 1 Ion (Dydd Calan)" in rule
    assert "Christmas" not in rule
