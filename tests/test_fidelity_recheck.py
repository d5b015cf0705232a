"""The fidelity re-check (fid5): what the five real specs' answers and pages say, checked against the
source texts by hand, one test per class of defect found.

- A quoted timescale that stops without a full stop ("(5 working days after stage 1)") ran on into the next
  sentence of the answer, so the bank holidays skipped read as part of the protocol's words.
- Kirklees's total on the compare page summed its ideals of 10 working days a step (40) past the one
  calendar month the text sets for the whole process; and the page's column "Who decides at the top" named
  a final stage's counterpart as the decider, where North Wales's text says the meeting decides and
  Swindon's that a Resolution Panel may follow.
- A calendar month that ends on a weekend (Kirklees) was moved back with no reading recorded as data.
- A contact's web address, printed in the text, showed on the page only as a link labelled "website": on
  paper (and to anyone copying it) the address was lost.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from site_builds import main_html, main_text, site

from generator import load
from generator.cli import main
from generator.core import model
from generator.views import pages

ROOT = Path(__file__).resolve().parent.parent


def answer(capsys, *args) -> str:
    code = main(["next", "--protocols", str(ROOT / "protocols"), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return " ".join(out.split())


# --- a quotation ends its sentence ---------------------------------------------------------------------------

def test_a_quotation_without_a_full_stop_is_its_own_sentence_before_the_bank_holidays(capsys):
    # North Wales, stage 1 ended Wed 23 Dec 2026: 24, [25, 28 Dec], 29, 30, 31, [1 Jan], Mon 4 Jan 2027.
    out = answer(capsys, "--protocol", "north-wales", "--completed-stage", "1", "--on", "2026-12-23",
                 "--today", "2026-12-23")
    assert 'The protocol says: "5 working days after stage 1". Fri 25 Dec (Christmas Day)' in out


def test_a_quotation_ending_in_a_full_stop_keeps_one(capsys):
    # Swindon stage 1: 2 working days after Wed 23 Dec 2026 are Thu 24 and Tue 29 Dec.
    out = answer(capsys, "--protocol", "swindon", "--not-started", "--on", "2026-12-23", "--today", "2026-12-23")
    assert 'Latest date: Tue 29 Dec 2026' in out
    assert 'of the disagreement or concern arising." Fri 25 Dec (Christmas Day)' in out
    assert '.".' not in out and '..' not in out.replace("...", "")


def test_a_limit_across_stages_says_why_after_the_quotation_has_ended(capsys):
    # Calderdale steps 1 to 5 within 5 working days of Thu 24 Dec 2026: 29, 30, 31 Dec, 4, 5 Jan 2027.
    out = answer(capsys, "--protocol", "calderdale", "--not-started", "--on", "2026-12-24", "--today", "2026-12-24")
    assert "Latest date: Tue 5 Jan 2027" in out
    assert 'should not exceed 5 working days". Fri 25 Dec' in out
    # Easter 2027: Good Friday 26 and Easter Monday 29 March skipped; Thu 25 Mar -> Mon 5 Apr.
    out = answer(capsys, "--protocol", "calderdale", "--not-started", "--on", "2027-03-25", "--today", "2027-03-25")
    assert "Latest date: Mon 5 Apr 2027" in out
    assert 'should not exceed 5 working days". Fri 26 Mar (Good Friday) and Mon 29 Mar (Easter Monday)' in out


def test_clock_hours_and_without_delay_quotations_end_their_sentences(capsys):
    out = answer(capsys, "--protocol", "calderdale", "--route", "urgent", "--not-started", "--on", "2026-12-24",
                 "--today", "2026-12-24")
    assert 'immediate escalation within 1 working day is warranted".' in out
    out = answer(capsys, "--protocol", "calderdale", "--route", "urgent", "--completed-stage", "1",
                 "--on", "2026-12-25", "--today", "2026-12-25")
    assert 'The protocol says: "for urgent attention".' in out


@pytest.mark.parametrize("wording, expected", [
    ("5 working days after stage 1", '"5 working days after stage 1".'),
    ("within two working days.", '"within two working days."'),
    ('"immediately" ... "agreed timescale."', '"immediately" ... "agreed timescale."'),
    ("(whichever is less)", '"(whichever is less)".'),
    ("(five working days.)", '"(five working days.)"'),
])
def test_said_adds_a_full_stop_only_where_the_quotation_has_none(wording, expected):
    from generator.core import engine
    assert engine._said(wording) == expected


def test_welsh_answers_end_the_quotation_too(capsys):
    out = answer(capsys, "--protocol", "north-wales", "--completed-stage", "1", "--on", "2026-12-23",
                 "--today", "2026-12-23", "--lang", "cy")
    assert re.search(r'"5 working days after stage 1"\. Mae ', out) or '"5 working days after stage 1". ' in out


# --- contacts' web addresses as printed -------------------------------------------------------------------

@pytest.fixture(scope="module")
def real() -> Path:
    return site("real")


def test_a_contacts_web_address_is_shown_on_the_page_not_only_linked(real):
    body = html.unescape(main_html(real / "kirklees" / "index.html"))
    assert '<a href="https://www.nspcc.org.uk">https://www.nspcc.org.uk</a>' in body
    assert ">website</a>" not in body


# --- a date rule the text does not give is a reading readers can see ---------------------------------------

def _timescales_that_can_end_on_a_non_working_day(protocol):
    """Calendar months and 'the same working day' are the kinds whose count can land on, or start from, a
    weekend or bank holiday; what the answer does then is a reading of the text, not a fact in it."""
    for route in protocol.routes:
        for stage in route.stages:
            for timescale in (stage.timescale, *(duty.timescale for duty in stage.duties)):
                yield route.id, f"{route.id}.{stage.number}", timescale
        for cap in route.caps:
            yield route.id, route.id, cap.timescale


@pytest.mark.parametrize("protocol", load.load_tree(ROOT / "protocols"), ids=lambda p: p.id)
def test_every_month_or_same_day_limit_says_as_data_how_a_non_working_day_is_read(protocol):
    kinds = {"calendar_months", "same_working_day"}
    for route_id, place, timescale in _timescales_that_can_end_on_a_non_working_day(protocol):
        if timescale.kind not in kinds:
            continue
        said = [r for r in protocol.readings if {route_id, place} & set(r.applies_to)
                and "working day" in r.used]
        assert said, f"{protocol.id} {place}: {timescale.kind} '{timescale.wording}' has no reading for a non-working day"


def test_kirklees_month_moves_back_off_a_weekend_and_says_so(capsys):
    # From Wed 23 Dec 2026 one calendar month is Sat 23 Jan 2027: Fri 22 Jan 2027 is the latest date.
    out = answer(capsys, "--protocol", "kirklees", "--completed-stage", "2", "--on", "2027-01-11",
                 "--started", "2026-12-23", "--today", "2027-01-11")
    assert "Latest date: Fri 22 Jan 2027" in out
    assert "[kirklees-month-on-a-non-working-day]" in out
    # From Sun 31 Jan 2027 the month ends on Sun 28 Feb: Fri 26 Feb 2027.
    out = answer(capsys, "--protocol", "kirklees", "--completed-stage", "3", "--on", "2027-02-20",
                 "--started", "2027-01-31", "--today", "2027-02-20")
    assert "Latest date: Fri 26 Feb 2027" in out


# --- the compare page claims only what the texts say ------------------------------------------------------

def _stage(number, **timescale):
    return model.Stage(number=number, title=f"S{number}", role="r", timescale=model.Timescale(wording="w", **timescale))


def test_a_total_under_a_calendar_month_over_every_stage_is_that_month_not_the_sum_of_the_ideals():
    route = model.Route(id="r", title="R", question="q", stages=tuple(
        _stage(n, kind="working_days", days=10, anchor="previous_stage_end", guideline=True) for n in (1, 2, 3, 4)),
        caps=(model.Cap(id="month", stages=(1, 2, 3, 4), timescale=model.Timescale(
            kind="calendar_months", months=1, anchor="disagreement_arose", wording="one calendar month")),))
    assert pages.route_total(route).text == "Stages 1 to 4: within 1 calendar month in total"
    # a month over some stages only: those stages have no working-day end, the others still count
    partly = model.Route(id="r", title="R", question="q", stages=route.stages, caps=(model.Cap(
        id="month", stages=(3, 4), timescale=model.Timescale(kind="calendar_months", months=1,
                                                            anchor="previous_stage_end", wording="w")),))
    assert pages.route_total(partly).text == ("20 working days to the end of stage 2; from stage 3 on: not stated; "
                                              "Stages 3 and 4: within 1 calendar month in total")


def test_compare_page_gives_kirklees_its_month_and_names_the_final_stage_without_saying_who_decides(real):
    text = " ".join(main_text(real / "compare" / "index.html").split())
    assert "40 working days" not in text
    assert "Stages 1 to 4: within 1 calendar month in total" in text
    assert "Who decides" not in text and "Final stage: with whom" in text
    welsh = " ".join(main_text(real / "cy" / "compare" / "index.html").split())
    assert "Y cam olaf: gyda phwy" in welsh and "penderfynu ar y brig" not in welsh


def test_a_duty_and_its_date_are_one_sentence_on_the_command_line(capsys):
    # Swindon stage 4 ended Thu 24 Dec 2026: the Resolution Form within five working days, Tue 5 Jan 2027.
    out = answer(capsys, "--protocol", "swindon", "--completed-stage", "4", "--on", "2026-12-24",
                 "--started", "2026-12-14", "--today", "2026-12-24")
    assert "Also: Resolution forms at stage five must be completed within five working days (by Tue 5 Jan 2027)." in out
    assert "working days. (by" not in out and "review. (no date worked out)" not in out


# --- the texts' own principles, whole -----------------------------------------------------------------------

@pytest.mark.parametrize("partnership, words", [
    ("swindon", "Often there may be no right or wrong solution and quite legitimately practitioners may exercise"),
    ("swindon", "This resolution process has been agreed with all our partners"),
    ("swindon", "it would be appropriate for a school Head Teacher to discuss the disagreement"),
    ("hips", "a genuine belief in a partnership approach to safeguarding children"),
])
def test_principles_the_texts_state_are_kept_and_shown(real, partnership, words):
    protocol = {p.id: p for p in load.load_tree(ROOT / "protocols")}[partnership]
    assert any(words in principle for principle in protocol.principles)
    assert words in " ".join(main_text(real / partnership / "index.html").split())


# --- Swindon's stages in the text's own words ---------------------------------------------------------------

SWINDON_STAGE_WORDS = {
    ("standard", 1): ["Any professional who disagrees with a decision should initially consult with their line manager",
                      "This discussion may help clarify the issues at this stage"],
    ("standard", 2): ["Most disagreements can be resolved between professionals by discussing the reasons",
                      "without the need for either party to be accusatory or defensive",
                      "At all times the needs of the child should be paramount."],
    ("standard", 3): ["In most cases the relevant line managers /second-tier managers will be able to resolve",
                      "The purpose of this contact is to review the available information and to resolve the concern."],
    ("standard", 4): ["The purpose of escalating the dispute to this level is to reach a position",
                      "Ultimately a decision will need to be reached where agencies agree a way forward"],
    ("standard", 5): ["In the unlikely event that the professional disagreement remains",
                      "contact the person (s) who represents the organisation on the Partnership"],
    ("urgent", 1): ["the professional must ensure that their concerns are escalated on the same working day",
                    "Details of the disagreement must be recorded in each agency's records."],
    ("urgent", 2): ["must be informed immediately (Stage 3)."],
}


@pytest.mark.parametrize("place", SWINDON_STAGE_WORDS, ids=lambda place: f"{place[0]}.{place[1]}")
def test_swindons_stages_say_what_the_text_says_not_a_shortened_rewording(place):
    protocol = {p.id: p for p in load.load_tree(ROOT / "protocols")}["swindon"]
    stage = protocol.route(place[0]).stages[place[1] - 1]
    said = " ".join(" ".join((*stage.actions, *stage.record)).split())
    for words in SWINDON_STAGE_WORDS[place]:
        assert words in said, (place, words)
    for rewording in ("Escalate your concerns", "Consult your line manager", "in your agency's records",
                      "Speak to the other professional", "Review the available information and resolve"):
        assert rewording not in said


def test_swindons_record_keeping_keeps_the_log_and_what_it_is_for_as_printed():
    protocol = {p.id: p for p in load.load_tree(ROOT / "protocols")}["swindon"]
    kept = " ".join(" ".join(protocol.record_keeping).split())
    assert "Each agency is also required to keep their own log of any instances" in kept
    assert "to monitor and evaluate the effectiveness of the resolution process on a regular basis." in kept
    principles = " ".join(" ".join(protocol.principles).split())
    assert "Ensure that at each stage of the process that there is accurate record made" in principles
