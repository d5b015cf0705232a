"""The partnership's words on the Welsh decision aid (core/spec_text.py): its own Welsh where the spec has
it, else its English marked {"text", "lang": "en"} so the page sets lang="en" and a screen reader switches
voice; and the marker built once per set of protocols, however many screens the page asks for.

Testshire (tests/testshire.py), with the Welsh the tests give it.
"""

from __future__ import annotations

import testshire

from generator.core import model, spec_text


def welsh_testshire(**welsh) -> model.Protocol:
    data = testshire.protocol_data()
    data["cy"] = welsh
    return model.from_dict(data)


def en(text: str) -> dict:
    return {"text": text, "lang": "en"}


def test_the_partnerships_own_welsh_beside_its_marked_english_reads_as_one_welsh_run():
    """The answer's first line names the partnership (no Welsh given: English) and the route (Welsh given)."""
    protocol = welsh_testshire(**{"routes[0].title": "Llwybr safonol"})
    line = "Protocol Testshire Safeguarding Partnership, testun heb ddyddiad: Standard route"
    assert spec_text.mark({"text": line}, (protocol,), "cy") == {
        "text": ["Protocol ", en("Testshire Safeguarding Partnership"), ", testun heb ddyddiad: Llwybr safonol"]}


def test_a_text_wholly_in_welsh_stays_one_plain_string():
    protocol = welsh_testshire(**{"routes[0].stages[0].title": "Siarad â'ch gilydd"})
    assert spec_text.mark({"text": "Nesaf: cam 1, Talk to each other"}, (protocol,), "cy") == {
        "text": "Nesaf: cam 1, Siarad â'ch gilydd"}
    assert spec_text.mark({"text": "Dim dyddiad", "note": ""}, (protocol,), "cy") == {"text": "Dim dyddiad", "note": ""}


def test_the_longest_of_the_partnerships_texts_is_marked_whole():
    """"Role 1" is stage 1's role; "Role 1 in the other agency" its counterpart: the counterpart is one run."""
    protocol = welsh_testshire()
    assert spec_text.mark({"text": "Gyda phwy: Role 1 in the other agency"}, (protocol,), "cy") == {
        "text": ["Gyda phwy: ", en("Role 1 in the other agency")]}


def test_marking_a_screen_twice_is_marking_it_once():
    """A question's error is set on an already marked screen (core/screens.py): runs are never marked again."""
    protocol = welsh_testshire()
    screen = {"heading": "Talk to each other", "items": ["Talk.", "Dim"], "rows": [{"label": "Role 1", "id": "duty"}]}
    once = spec_text.mark(screen, (protocol,), "cy")
    assert once == {"heading": [en("Talk to each other")], "items": [[en("Talk.")], "Dim"],
                    "rows": [{"label": [en("Role 1")], "id": "duty"}]}
    assert spec_text.mark(once, (protocol,), "cy") == once


def test_an_english_page_is_never_touched():
    protocol = welsh_testshire()
    screen = {"text": "Talk to each other"}
    assert spec_text.marker((protocol,), "en") is None
    assert spec_text.mark(screen, (protocol,), "en") is screen


def test_with_no_protocol_nothing_is_marked():
    assert spec_text.Marker((), "cy").runs("Talk to each other") == "Talk to each other"


def test_the_marker_is_built_once_per_set_of_protocols_and_language_and_the_cache_stays_bounded():
    protocols = (welsh_testshire(),)
    first = spec_text.marker(protocols, "cy")
    assert spec_text.marker(list(protocols), "cy") is first  # the same protocols, however passed
    assert spec_text.marker(protocols, "xx") is not first
    others = [(welsh_testshire(),) for _ in range(spec_text._KEPT + 5)]
    for other in others:
        assert spec_text.marker(other, "cy").runs("Talk.") == [en("Talk.")]
        assert len(spec_text._MARKERS) <= spec_text._KEPT
    assert spec_text.marker(others[-1], "cy") is spec_text.marker(others[-1], "cy")
