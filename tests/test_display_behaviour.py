"""The decision aid's screens as a practitioner sees them, drawn the way the page draws them.

core/display.py words every block and core/screens.py chooses the screen; assets/wizard.js only draws.
These tests state whole screens for Testshire (tests/testshire.py: an invented protocol with England's
bank holidays written out by hand), in the page's own terms (tests/drawn.py: one element a line, its
classes, slot and links), so a lost heading level, box, link, label, date or language shows as a line
that differs. Dates are worked by hand in each test's docstring.
"""

from __future__ import annotations

import testshire
from drawn import drawn

from generator.core import display, model, screens

CONTEXT = {"lang": "en", "today": "2026-12-21", "stamp": "20261221T090000Z", "url": "https://example.org/next/?x"}
STANDARD = {"protocol": "testshire", "danger": "no", "unsafe": "no", "route": "standard"}


def screen(answers: dict, data: dict | None = None, ask: str | None = None, **context) -> dict:
    """What the page's one call returns for these answers, as the browser bundle would give it Testshire."""
    data = data or testshire.protocol_data()
    bundle = {"protocols": {"testshire": data}, "holidays": {"england": testshire.HOLIDAYS},
              "first_year": testshire.FIRST_YEAR, "last_year": testshire.LAST_YEAR}
    return screens.screen({"testshire": model.from_dict(data)}, bundle, answers, ask, {**CONTEXT, **context})


def lines(text: str) -> str:
    return "\n".join(line for line in text.strip("\n").split("\n"))


# --- the answer -----------------------------------------------------------------------------------------


def test_the_answer_on_the_day_after_a_disagreement_is_drawn_in_full():
    """Disagreement on Fri 18 Dec 2026, asked on Mon 21 Dec. Stage 1: 2 working days -> Mon 21, Tue 22 Dec.
    Stage 2 (guideline, 5 working days from Tue 22): Wed 23, Thu 24, Tue 29, Wed 30, Thu 31 Dec (Fri 25 and
    Mon 28 are bank holidays). Stages 1-3 cap, 8 working days from Fri 18: Mon 21 ... Thu 24 (4), Tue 29,
    Wed 30, Thu 31, Mon 4 Jan (Fri 1 Jan a holiday). Stages 4-5 cap, 20 working days: Wed 20 Jan 2027."""
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"})
    assert view["screen"] == "answer" and view["question"] is None
    assert drawn(view["blocks"]) == lines("""
<p .wz-caption [protocol-line]> Testshire Safeguarding Partnership, undated text: Standard route
<h1 .wz-heading> What to do next
<section [warnings]>
  <warning> The source document gives no date of issue: check with the partnership that this is the current version.
<section [next]>
  <h2 [next-heading]> Next: stage 1, Talk to each other
  <section .wz-deadline [deadline-box]>
    <p .wz-deadline__label [deadline-label]> Do this by
    <p .wz-deadline__date [deadline-text]> Tue 22 Dec 2026
    <p .wz-deadline__why [deadline-rule]> Deadline: Tue 22 Dec 2026, 2 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Within two working days."
  <h3> Who
  <dl .wz-summary.wz-summary--who>
    Who acts: [role] Role 1
    With whom: [counterpart] Role 1 in the other agency
  <p> The protocol asks for this to be between people of similar seniority in their agencies.
  <contact> Duty Team
    - Phone: 01234 567890 -> tel:01234567890
    - Email: duty@testshire.example -> mailto:duty@testshire.example
    - Website: https://testshire.example/duty -> https://testshire.example/duty
    - Hours: 24 hours
    <p .wz-hint> Out of hours too.
  <h3> What to do
  <ul>
    - Talk.
    - Listen.
  <h3> What to record and send
  <ul>
    - The outcome.
  <h3> Forms
  <ul>
    - Form A
  <p .wz-hint> The protocol's wording for this stage: "Within two working days."
<div .wz-actions.wz-no-print>
  [Print this answer] (print)
  [Add to calendar] (ics)
<section [timeline-block]>
  <h2> The rest of the route
  <p> The latest date for each stage if each one runs to its limit.
  <table .wz-timeline [timeline]>
    | Stage | Latest date | Why
    | 1. Talk to each other | Tue 22 Dec 2026 | Deadline: Tue 22 Dec 2026, 2 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Within two working days."
    | 2. Managers | Thu 31 Dec 2026 | Guideline (the protocol says this is the ideal, not a fixed limit): Thu 31 Dec 2026, 5 working days after Tue 22 Dec 2026 (the latest date for stage 1). The protocol says: "Ideally within five working days." Fri 25 Dec (Christmas Day) and Mon 28 Dec (Boxing Day, substitute day) are not working days.
    | 3. Leads | Mon 4 Jan 2027 | Stages 1 to 3 together: Mon 4 Jan 2027, 8 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Stages 1 to 3 within 8 working days." Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day) are not working days. Stage 3 has no limit of its own.
    | 4. Heads of service | Wed 20 Jan 2027 | Stages 4 and 5 together: Wed 20 Jan 2027, 20 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Stages 4 and 5 within 20 working days of the concern." Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day) are not working days. This is earlier than the stage's own limit (Fri 29 Jan 2027), so it is the one that counts.
    | 5. Directors | Wed 20 Jan 2027 | Stages 4 and 5 together: Wed 20 Jan 2027, 20 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Stages 4 and 5 within 20 working days of the concern." Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute day) and Fri 1 Jan (New Year's Day) are not working days. Stage 5 has no limit of its own.
    | 6. Panel | No date | The protocol gives no timescale for this stage.
<section>
  <h2> Records to keep at every stage
  <ul>
    - Record every step.
<section>
  <h2> Your answers
  <dl .wz-summary [answers]>
    Protocol: Testshire Safeguarding Partnership (Undated text) (Change -> ?ask=protocol)
    Anyone in immediate danger?: No (Change -> ?ask=danger)
    Normal timescale not safe?: No (Change -> ?ask=unsafe)
    Stage ended without agreement: None yet: I have just disagreed (Change -> ?ask=stage)
    Date the disagreement arose: 18 December 2026 (Change -> ?ask=on)
<section .wz-print-only.wz-record>
  <h2> Record of this escalation
  <p> Printed on 21 December 2026 from the escalation guide. Keep it with your agency's record.
  <dl .wz-record__lines>
    Your name: ____
    Your agency: ____
    Person contacted (name and role): ____
    Their agency: ____
    Date contacted: ____
    How contacted: ____
    Outcome: ____
<p .wz-no-print> [Start again](restart)
""")


def test_the_calendar_file_holds_the_next_stages_latest_date_as_an_all_day_event():
    """Stage 1's latest date, Tue 22 Dec 2026; lines folded at 75 octets, commas escaped, CRLF endings."""
    ics = screen({**STANDARD, "stage": "none", "on": "2026-12-18"})["ics"]
    assert ics["filename"] == "escalation-deadline-2026-12-22.ics"
    assert ics["text"].split("\r\n") == [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Escalation guide//Decision aid//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:testshire-standard-1-20261222-20261221T090000Z@escalation-guide',
        'DTSTAMP:20261221T090000Z',
        'DTSTART;VALUE=DATE:20261222',
        'SUMMARY:Escalation: latest date for stage 1 (Talk to each other)\\, Testshir',
        ' e Safeguarding Partnership',
        'DESCRIPTION:Deadline: Tue 22 Dec 2026\\, 2 working days after Fri 18 Dec 202',
        ' 6 (the day the disagreement arose). The protocol says: "Within two working',
        '  days."\\n\\nWho acts: Role 1. With whom: Role 1 in the other agency.\\n\\nYou',
        ' r answer: https://example.org/next/?x',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        ""]


def test_the_calendar_file_of_a_stage_with_no_counterpart_says_only_who_acts():
    """Stage 2 (Managers) names who acts and no one to act with; its guideline is Tue 29 Dec 2026."""
    text = screen({**STANDARD, "stage": "1", "on": "2026-12-18", "started": "2026-12-16"})["ics"]["text"]
    assert "\\n\\nWho acts: Role 2.\\n\\nYour answer: " in text.replace("\r\n ", "")  # no empty "With whom"


def test_the_welsh_calendar_file_of_a_stage_with_no_counterpart_says_who_acts_in_welsh():
    text = screen({**STANDARD, "stage": "1", "on": "2026-12-18", "started": "2026-12-16"}, lang="cy")["ics"]["text"]
    assert "\\n\\nPwy sy'n gweithredu: Role 2.\\n\\n" in text.replace("\r\n ", "")


def test_without_the_pages_stamp_and_address_the_calendar_file_invents_neither():
    """The core reads no clock and knows no address: a caller that gives neither gets them empty."""
    text = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, stamp=None, url=None)["ics"]["text"]
    unfolded = text.replace("\r\n ", "")
    assert "\r\nDTSTAMP:\r\n" in unfolded and "UID:testshire-standard-1-20261222-@escalation-guide" in unfolded
    assert unfolded.endswith("Your answer: \r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_someone_in_danger_sees_the_act_now_box_first_and_a_date_that_is_no_reason_to_wait():
    """Danger on Sat 19 Dec 2026: the urgent route's "same working day" is Mon 21 Dec (the weekend passes),
    labelled as the formal step's latest date with "act today all the same", under the act-now box."""
    view = screen({"protocol": "testshire", "danger": "yes", "unsafe": "yes", "stage": "none", "on": "2026-12-19"})
    assert drawn(view["blocks"][:6]) == lines("""
<p .wz-caption [protocol-line]> Testshire Safeguarding Partnership, undated text: Urgent route
<h1 .wz-heading> What to do next
<section .wz-act-now [immediate]>
  <h2> Act today, whatever the day
  <ul [immediate-actions]>
    - Act today, whatever the day; do not wait for a working day. Testshire's protocol names no out-of-hours or emergency service.
    - General advice (ours, not the protocol's words): if anyone is in immediate danger, call 999 now.
    - Call the duty team.
    - Contact Duty Team: 01234 567890, duty@testshire.example, https://testshire.example/duty, 24 hours.
    - Contact Resolution Panel.
    - Do not wait.
    - Follow the protocol's urgent route now: Urgent route.
  <contact> Duty Team
    - Phone: 01234 567890 -> tel:01234567890
    - Email: duty@testshire.example -> mailto:duty@testshire.example
    - Website: https://testshire.example/duty -> https://testshire.example/duty
    - Hours: 24 hours
    <p .wz-hint> Out of hours too.
  <contact> Resolution Panel
<section [warnings]>
  <warning> The latest date for stage 1 is today.
  <warning> The source document gives no date of issue: check with the partnership that this is the current version.
<p .wz-route-switch [switched]> Someone is in immediate danger or the normal timescale is not safe, so this answer follows the protocol's urgent route instead of “Standard route”.
<section [next]>
  <h2 [next-heading]> Next: stage 1, Escalate today
  <section .wz-deadline [deadline-box]>
    <p .wz-deadline__label [deadline-label]> Latest date for the formal in-hours step (act today all the same)
    <p .wz-deadline__date [deadline-text]> Mon 21 Dec 2026
    <p .wz-deadline__why [deadline-rule]> Latest date for the formal in-hours step (act today all the same: this date is never a reason to wait): Mon 21 Dec 2026, the same working day as Sat 19 Dec 2026 (the day the disagreement arose), which is not a working day, so the next working day. The protocol says: "The same working day."
  <h3> Who
  <dl .wz-summary.wz-summary--who>
    Who acts: [role] Role 1
    With whom: [counterpart]
  <h3> What to do
  <ul>
  <p .wz-hint> The protocol's wording for this stage: "The same working day."
""")


def test_a_guideline_is_labelled_as_one():
    """Stage 1 ended Fri 18 Dec 2026: stage 2's guideline of 5 working days is Tue 29 Dec (Mon 21, Tue 22,
    Wed 23, Thu 24, Tue 29: Fri 25 and Mon 28 are bank holidays)."""
    view = screen({**STANDARD, "stage": "1", "on": "2026-12-18", "started": "2026-12-16"})
    assert drawn(view["blocks"][3]["blocks"][:2]) == lines("""
<h2 [next-heading]> Next: stage 2, Managers
<section .wz-deadline [deadline-box]>
  <p .wz-deadline__label [deadline-label]> Aim to do this by (the protocol gives this as a guideline)
  <p .wz-deadline__date [deadline-text]> Tue 29 Dec 2026
  <p .wz-deadline__why [deadline-rule]> Guideline (the protocol says this is the ideal, not a fixed limit): Tue 29 Dec 2026, 5 working days after Fri 18 Dec 2026 (the end of stage 1). The protocol says: "Ideally within five working days." Fri 25 Dec (Christmas Day) and Mon 28 Dec (Boxing Day, substitute day) are not working days.
""")


def test_a_stage_with_no_timescale_says_so_and_offers_no_calendar_file():
    """Stage 5 ended Fri 18 Dec 2026: stage 6 (the panel) has no timescale and no cap."""
    view = screen({**STANDARD, "stage": "5", "on": "2026-12-18", "started": "2026-12-01"})
    assert view["ics"] is None
    assert drawn(view["blocks"][3:5]) == lines("""
<section [next]>
  <h2 [next-heading]> Next: stage 6, Panel
  <section .wz-deadline.wz-deadline--none [deadline-box]>
    <p .wz-deadline__label [deadline-label]> When
    <p .wz-deadline__date [deadline-text]> The protocol gives no date for this stage
    <p .wz-deadline__why [deadline-rule]> The protocol gives no timescale for this stage.
  <h3> Who
  <dl .wz-summary.wz-summary--who>
    Who acts: [role] Role 6
    With whom: [counterpart]
  <h3> What to do
  <ul>
  <p .wz-hint> The protocol's wording for this stage: ""
<div .wz-actions.wz-no-print>
  [Print this answer] (print)
""")


def test_after_the_last_stage_the_route_says_what_happens_next():
    view = screen({**STANDARD, "stage": "6", "on": "2026-12-18"})
    assert drawn(view["blocks"][2:5]) == lines("""
<section [warnings]>
  <warning> Stage 6 is the last stage of this route. The protocol says what happens next: The panel decides.
  <warning> The source document gives no date of issue: check with the partnership that this is the current version.
<section [after]>
  <h2> This route has no further stages
  <p> The panel decides.
<div .wz-actions.wz-no-print>
  [Print this answer] (print)
""")


def test_after_the_last_stage_of_a_route_that_says_nothing_more_the_warnings_are_the_answer():
    data = testshire.protocol_data()
    data["routes"][0]["after_last_stage"] = ""
    view = screen({**STANDARD, "stage": "6", "on": "2026-12-18"}, data)
    assert drawn(view["blocks"][2:4]) == lines("""
<section [warnings]>
  <warning> Stage 6 is the last stage of this route.
  <warning> The source document gives no date of issue: check with the partnership that this is the current version.
<section [after]>
  <h2> This route has no further stages
  <p> Stage 6 is the last stage of this route. The source document gives no date of issue: check with the partnership that this is the current version.
""")


def test_a_stages_other_duties_and_the_readings_the_answer_rests_on():
    """A duty of 1 working day from Fri 18 Dec 2026 is due Mon 21 Dec; one with no timescale follows its stage."""
    data = testshire.protocol_data()
    data["routes"][0]["stages"][0]["duties"] = [
        {"text": "Tell the panel.", "timescale": {"kind": "working_days", "days": 1, "wording": "Within a working day."}},
        {"text": "Keep notes.", "timescale": {"kind": "none", "wording": ""}}]
    data["readings"] = [{"id": "two-days", "quote": "Within two working days.", "readings": ["As printed.", "Calendar days."],
                         "used": "As printed.", "why": "Working days are the protocol's unit.", "applies_to": ["standard"]}]
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, data)
    assert drawn(view["blocks"][3:4]) == lines("""
<section [next]>
  <h2 [next-heading]> Next: stage 1, Talk to each other
  <section .wz-deadline [deadline-box]>
    <p .wz-deadline__label [deadline-label]> Do this by
    <p .wz-deadline__date [deadline-text]> Tue 22 Dec 2026
    <p .wz-deadline__why [deadline-rule]> Deadline: Tue 22 Dec 2026, 2 working days after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Within two working days."
  <h3> Who
  <dl .wz-summary.wz-summary--who>
    Who acts: [role] Role 1
    With whom: [counterpart] Role 1 in the other agency
  <p> The protocol asks for this to be between people of similar seniority in their agencies.
  <contact> Duty Team
    - Phone: 01234 567890 -> tel:01234567890
    - Email: duty@testshire.example -> mailto:duty@testshire.example
    - Website: https://testshire.example/duty -> https://testshire.example/duty
    - Hours: 24 hours
    <p .wz-hint> Out of hours too.
  <h3> What to do
  <ul>
    - Talk.
    - Listen.
  <h3> What to record and send
  <ul>
    - The outcome.
  <h3> Forms
  <ul>
    - Form A
  <h3> Also due at this stage
  <ul>
    - Tell the panel. By Mon 21 Dec 2026. Deadline: Mon 21 Dec 2026, 1 working day after Fri 18 Dec 2026 (the day the disagreement arose). The protocol says: "Within a working day."
    - Keep notes. This stage's date could not be worked out. The protocol says: "Within two working days."
  <p .wz-hint> The protocol's wording for this stage: "Within two working days."
""")
    assert drawn(view["blocks"][6:7]) == lines("""
<section [readings-block]>
  <h2> Where the text can be read two ways
  <p> This answer depends on these readings of the protocol (each is explained on the protocol's page):
  <ul [readings]>
    - "Within two working days.": As printed.
""")


# --- immediate danger, above the next question ------------------------------------------------------------


def test_danger_answered_yes_puts_the_act_now_box_above_the_next_question():
    view = screen({"protocol": "testshire", "danger": "yes"})
    assert view["screen"] == "unsafe"
    assert drawn(view["blocks"]) == lines("""
<section .wz-act-now>
  <h1 .wz-heading> Someone is in immediate danger: act now
  <p> Act today, whatever the day: do not wait for a working day.
  <p .wz-act-now__999> **General advice (ours, not the protocol's words): if anyone is in immediate danger, call 999 now.**
  <p> What Testshire's protocol says to do straight away:
  <ul>
    - Call the duty team.
  <contact> Duty Team
    - Phone: 01234 567890 -> tel:01234567890
    - Email: duty@testshire.example -> mailto:duty@testshire.example
    - Website: https://testshire.example/duty -> https://testshire.example/duty
    - Hours: 24 hours
    <p .wz-hint> Out of hours too.
  <contact> Resolution Panel
  <p> When everyone is safe, answer the questions below for the escalation itself.
""")


def test_where_the_protocol_itself_names_999_our_general_advice_is_not_added():
    data = testshire.protocol_data()
    data["risk"]["immediate_danger"] = ["Call 999, then the duty team."]
    data["risk"]["immediate_danger_contacts"] = []
    view = screen({"protocol": "testshire", "danger": "yes"}, data)
    assert drawn(view["blocks"]) == lines("""
<section .wz-act-now>
  <h1 .wz-heading> Someone is in immediate danger: act now
  <p> Act today, whatever the day: do not wait for a working day.
  <p> What Testshire's protocol says to do straight away:
  <ul>
    - Call 999, then the duty team.
  <p> When everyone is safe, answer the questions below for the escalation itself.
""")


# --- the page in Welsh ----------------------------------------------------------------------------------------


def test_the_welsh_answer_marks_every_piece_of_the_partnerships_english():
    """The same answer as the first test, on the Welsh page: the core's words in Welsh (dates too), the
    partnership's English marked «...»@en so the page sets lang="en" on it, the contact card included."""
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, lang="cy")
    assert drawn(view["blocks"]) == lines("""
<p .wz-caption [protocol-line]> «Testshire Safeguarding Partnership»@en, testun heb ddyddiad: «Standard route»@en
<h1 .wz-heading> Beth i'w wneud nesaf
<section [warnings]>
  <warning> Nid yw'r ddogfen wreiddiol yn rhoi dyddiad cyhoeddi: gwiriwch gyda'r bartneriaeth mai hon yw'r fersiwn gyfredol.
<section [next]>
  <h2 [next-heading]> Nesaf: cam 1, «Talk to each other»@en
  <section .wz-deadline [deadline-box]>
    <p .wz-deadline__label [deadline-label]> Gwnewch hyn erbyn
    <p .wz-deadline__date [deadline-text]> Maw 22 Rhag 2026
    <p .wz-deadline__why [deadline-rule]> Terfyn amser: Maw 22 Rhag 2026, 2 diwrnod gwaith ar ôl Gwe 18 Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae'r protocol yn dweud: "«Within two working days.»@en"
  <h3> Pwy
  <dl .wz-summary.wz-summary--who>
    Pwy sy'n gweithredu: [role] «Role 1»@en
    Gyda phwy: [counterpart] «Role 1 in the other agency»@en
  <p> Mae'r protocol yn gofyn i hyn fod rhwng pobl o uwch-swydd debyg yn eu hasiantaethau.
  <contact> «Duty Team»@en
    - Ffôn: 01234 567890 -> tel:01234567890
    - E-bost: duty@testshire.example -> mailto:duty@testshire.example
    - Gwefan: https://testshire.example/duty -> https://testshire.example/duty
    - Oriau: «24 hours»@en
    <p .wz-hint> «Out of hours too.»@en
  <h3> Beth i'w wneud
  <ul>
    - «Talk.»@en
    - «Listen.»@en
  <h3> Beth i'w gofnodi a'i anfon
  <ul>
    - «The outcome.»@en
  <h3> Ffurflenni
  <ul>
    - «Form A»@en
  <p .wz-hint> Geiriad y protocol ar gyfer y cam hwn: "«Within two working days.»@en"
<div .wz-actions.wz-no-print>
  [Argraffu'r ateb hwn] (print)
  [Ychwanegu at y calendr] (ics)
<section [timeline-block]>
  <h2> Gweddill y llwybr
  <p> Y dyddiad olaf ar gyfer pob cam os yw pob un yn rhedeg hyd ei derfyn.
  <table .wz-timeline [timeline]>
    | Cam | Dyddiad olaf | Pam
    | 1. «Talk to each other»@en | Maw 22 Rhag 2026 | Terfyn amser: Maw 22 Rhag 2026, 2 diwrnod gwaith ar ôl Gwe 18 Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae'r protocol yn dweud: "«Within two working days.»@en"
    | 2. «Managers»@en | Iau 31 Rhag 2026 | Canllaw (mae'r protocol yn dweud mai dyma'r delfryd, nid terfyn sefydlog): Iau 31 Rhag 2026, 5 diwrnod gwaith ar ôl Maw 22 Rhag 2026 (y dyddiad olaf ar gyfer cam 1). Mae'r protocol yn dweud: "«Ideally within five working days.»@en" Nid yw Gwe 25 Rhag (Dydd Nadolig) a Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) yn ddiwrnodau gwaith.
    | 3. «Leads»@en | Llun 4 Ion 2027 | Camau 1 i 3 gyda'i gilydd: Llun 4 Ion 2027, 8 diwrnod gwaith ar ôl Gwe 18 Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae'r protocol yn dweud: "«Stages 1 to 3 within 8 working days.»@en" Nid yw Gwe 25 Rhag (Dydd Nadolig), Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) a Gwe 1 Ion (Dydd Calan) yn ddiwrnodau gwaith. Nid oes gan gam 3 derfyn ei hun.
    | 4. «Heads of service»@en | Mer 20 Ion 2027 | Camau 4 a 5 gyda'i gilydd: Mer 20 Ion 2027, 20 diwrnod gwaith ar ôl Gwe 18 Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae'r protocol yn dweud: "«Stages 4 and 5 within 20 working days of the concern.»@en" Nid yw Gwe 25 Rhag (Dydd Nadolig), Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) a Gwe 1 Ion (Dydd Calan) yn ddiwrnodau gwaith. Mae hyn yn gynharach na therfyn y cam ei hun (Gwe 29 Ion 2027), felly dyma'r un sy'n cyfrif.
    | 5. «Directors»@en | Mer 20 Ion 2027 | Camau 4 a 5 gyda'i gilydd: Mer 20 Ion 2027, 20 diwrnod gwaith ar ôl Gwe 18 Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae'r protocol yn dweud: "«Stages 4 and 5 within 20 working days of the concern.»@en" Nid yw Gwe 25 Rhag (Dydd Nadolig), Llun 28 Rhag (Gŵyl San Steffan, diwrnod yn lle) a Gwe 1 Ion (Dydd Calan) yn ddiwrnodau gwaith. Nid oes gan gam 5 derfyn ei hun.
    | 6. «Panel»@en | Dim dyddiad | Nid yw'r protocol yn rhoi amserlen ar gyfer y cam hwn.
<section>
  <h2> Cofnodion i'w cadw ar bob cam
  <ul>
    - «Record every step.»@en
<section>
  <h2> Eich atebion
  <dl .wz-summary [answers]>
    Protocol: «Testshire Safeguarding Partnership»@en (Testun heb ddyddiad) (Newid -> ?ask=protocol)
    Unrhyw un mewn perygl uniongyrchol?: Na (Newid -> ?ask=danger)
    Amserlen arferol ddim yn ddiogel?: Na (Newid -> ?ask=unsafe)
    Cam a ddaeth i ben heb gytundeb: Dim eto: rwyf newydd anghytuno (Newid -> ?ask=stage)
    Dyddiad y cododd yr anghytundeb: 18 Rhagfyr 2026 (Newid -> ?ask=on)
<section .wz-print-only.wz-record>
  <h2> Cofnod o'r uwchgyfeirio hwn
  <p> Argraffwyd ar 21 Rhagfyr 2026 o'r canllaw uwchgyfeirio. Cadwch ef gyda chofnod eich asiantaeth.
  <dl .wz-record__lines>
    Eich enw: ____
    Eich asiantaeth: ____
    Y person y cysylltwyd ag ef (enw a rôl): ____
    Ei asiantaeth: ____
    Dyddiad cysylltu: ____
    Sut y cysylltwyd: ____
    Canlyniad: ____
<p .wz-no-print> [Dechrau eto](restart)
""")
    assert view["ics"]["text"].split("\r\n") == [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Escalation guide//Decision aid//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'BEGIN:VEVENT',
        'UID:testshire-standard-1-20261222-20261221T090000Z@escalation-guide',
        'DTSTAMP:20261221T090000Z',
        'DTSTART;VALUE=DATE:20261222',
        'SUMMARY:Uwchgyfeirio: y dyddiad olaf ar gyfer cam 1 (Talk to each other)\\, ',
        ' Testshire Safeguarding Partnership',
        'DESCRIPTION:Terfyn amser: Maw 22 Rhag 2026\\, 2 diwrnod gwaith ar ôl Gwe 18',
        '  Rhag 2026 (y diwrnod y cododd yr anghytundeb). Mae\'r protocol yn dweud: "',
        ' Within two working days."\\n\\nPwy sy\'n gweithredu: Role 1. Gyda phwy: Role ',
        ' 1 in the other agency.\\n\\nEich ateb: https://example.org/next/?x',
        'TRANSP:TRANSPARENT',
        'END:VEVENT',
        'END:VCALENDAR',
        ""]


def test_the_welsh_act_now_box_on_the_answer_words_its_contact_cards_in_welsh():
    """Danger alone (the timescale not said to be unsafe) on Mon 21 Dec 2026, a working day: act today, the
    999 advice, the protocol's lines and contacts, its urgent route; the cards' labels in Welsh."""
    view = screen({"protocol": "testshire", "danger": "yes", "unsafe": "no", "stage": "none", "on": "2026-12-19"},
                  lang="cy")
    assert drawn(view["blocks"][2:3]) == lines("""
<section .wz-act-now [immediate]>
  <h2> Gweithredwch heddiw, beth bynnag yw'r diwrnod
  <ul [immediate-actions]>
    - Gweithredwch heddiw, pa ddiwrnod bynnag yw hi; peidiwch ag aros am ddiwrnod gwaith. Nid yw protocol «Testshire»@en yn enwi unrhyw wasanaeth y tu allan i oriau nac argyfwng.
    - Cyngor cyffredinol (ein cyngor ni, nid geiriau'r protocol): os oes unrhyw un mewn perygl uniongyrchol, ffoniwch 999 nawr.
    - «Call the duty team.»@en
    - Cysylltwch â «Duty Team»@en: 01234 567890, duty@testshire.example, https://testshire.example/duty, «24 hours»@en.
    - Cysylltwch â «Resolution Panel»@en.
    - Dilynwch lwybr brys y protocol nawr: «Urgent route»@en.
  <contact> «Duty Team»@en
    - Ffôn: 01234 567890 -> tel:01234567890
    - E-bost: duty@testshire.example -> mailto:duty@testshire.example
    - Gwefan: https://testshire.example/duty -> https://testshire.example/duty
    - Oriau: «24 hours»@en
    <p .wz-hint> «Out of hours too.»@en
  <contact> «Resolution Panel»@en
""")


def test_the_welsh_danger_box_marks_the_contacts_english_names_hours_and_notes():
    """A contact card's name, hours and notes are the partnership's words: "Resolution Panel" is marked
    whole (not only the stage title "Panel" inside it)."""
    view = screen({"protocol": "testshire", "danger": "yes"}, lang="cy")
    assert drawn(view["blocks"]) == lines("""
<section .wz-act-now>
  <h1 .wz-heading> Mae rhywun mewn perygl uniongyrchol: gweithredwch nawr
  <p> Gweithredwch heddiw, beth bynnag yw'r diwrnod: peidiwch ag aros am ddiwrnod gwaith.
  <p .wz-act-now__999> **Cyngor cyffredinol (ein cyngor ni, nid geiriau'r protocol): os oes unrhyw un mewn perygl uniongyrchol, ffoniwch 999 nawr.**
  <p> Beth mae protocol «Testshire»@en yn dweud i'w wneud ar unwaith:
  <ul>
    - «Call the duty team.»@en
  <contact> «Duty Team»@en
    - Ffôn: 01234 567890 -> tel:01234567890
    - E-bost: duty@testshire.example -> mailto:duty@testshire.example
    - Gwefan: https://testshire.example/duty -> https://testshire.example/duty
    - Oriau: «24 hours»@en
    <p .wz-hint> «Out of hours too.»@en
  <contact> «Resolution Panel»@en
  <p> Pan fydd pawb yn ddiogel, atebwch y cwestiynau isod ar gyfer yr uwchgyfeirio ei hun.
""")


def test_the_partnerships_own_welsh_replaces_its_english_where_the_spec_has_it():
    data = testshire.protocol_data()
    data["cy"] = {"routes[0].stages[0].title": "Siarad â'ch gilydd", "contacts[0].name": "Tîm Dyletswydd"}
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, data, lang="cy")
    shown = drawn(view["blocks"])
    assert "  <h2 [next-heading]> Nesaf: cam 1, Siarad â'ch gilydd" in shown.split("\n")
    assert "  <contact> Tîm Dyletswydd" in shown.split("\n")
    assert "    | 1. Siarad â'ch gilydd | Maw 22 Rhag 2026 |" in shown


# --- screens that are not the answer --------------------------------------------------------------------


def test_an_answer_that_cannot_be_right_sends_the_practitioner_back_to_its_question():
    """On Mon 21 Dec 2026 a disagreement on Mon 4 Jan 2027 is in the future: the date question again."""
    view = screen({**STANDARD, "stage": "none", "on": "2027-01-04"})
    assert view["screen"] == "on" and view["question"]["id"] == "on"
    assert view["question"]["error"] == ("Mon 4 Jan 2027 is in the future (today is Mon 21 Dec 2026). Give the date "
                                         "the stage ended, or the disagreement arose.")
    assert view["result"] == {"ok": False, "field": "on", "message": view["question"]["error"]}
    assert "ics" not in view


def test_a_refusal_no_question_can_fix_is_a_problem_screen_in_the_pages_language():
    """A device clock in 2040 is outside the years whose bank holidays the page carries (2026 to 2027)."""
    english = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, today="2040-01-02")
    welsh = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, today="2040-01-02", lang="cy")
    assert english["screen"] == welsh["screen"] == "problem"
    assert english["result"]["ok"] is False and english["result"]["field"] == "today"
    assert drawn(english["blocks"] + welsh["blocks"]) == lines("""
<h1 .wz-heading> The answer could not be worked out
<p> Today's date reads as Mon 2 Jan 2040, outside the years whose bank holidays this decision aid knows (2026 to 2027). Check the date set on this device; the guidance pages give every stage and timescale in words.
<p> [Read the protocol's guidance page](guidance) or [Start again](restart)
<h1 .wz-heading> Nid oedd modd cyfrifo'r ateb
<p> Mae dyddiad heddiw yn darllen fel Llun 2 Ion 2040, y tu allan i'r blynyddoedd y mae'r cymorth penderfynu hwn yn gwybod eu gwyliau banc (2026 i 2027). Gwiriwch y dyddiad ar y ddyfais hon; mae'r tudalennau canllaw yn rhoi pob cam ac amserlen mewn geiriau.
<p> [Darllenwch dudalen ganllaw'r protocol](guidance) neu [Dechrau eto](restart)
""")


def test_change_this_answer_shows_its_question_with_the_answer_kept():
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"}, ask="danger")
    assert view["screen"] == "danger" and view["question"]["id"] == "danger"
    assert view["answers"]["danger"] == "no" and "result" not in view


def test_a_route_in_the_address_that_the_protocol_does_not_offer_is_not_followed():
    """Testshire offers one route to choose (its urgent route is reached through "not safe"). An address
    naming the urgent route with its stage 2 once crashed the page's call (the questions were worked out
    for one route and asked for the other); the route offered stands, and its next question is asked."""
    view = screen({**STANDARD, "route": "urgent", "stage": "2", "on": "2026-12-18"})
    assert view["screen"] == "started" and view["answers"]["route"] == "standard"


# --- the calendar file's text rules (RFC 5545) ------------------------------------------------------------


def test_calendar_text_escapes_backslashes_semicolons_commas_and_line_breaks():
    assert display._ics_text("a\\b; c, d\r\ne\nf") == "a\\\\b\\; c\\, d\\ne\\nf"


def test_a_line_of_75_octets_is_kept_whole_and_one_more_is_folded():
    exactly = "DESCRIPTION:" + "x" * 63
    assert display._fold(exactly) == exactly
    assert display._fold(exactly + "y") == exactly + "\r\n y"
    # a continuation line holds 74 octets after its leading space
    long = "X" * (75 + 74 + 1)
    assert display._fold(long).split("\r\n") == ["X" * 75, " " + "X" * 74, " X"]


def test_the_page_words_are_in_the_pages_language():
    welsh = display.page_words("cy")
    assert welsh["back"] == "Yn ôl" and welsh["continue"] == "Parhau"
    assert display.page_words()["back"] == "Back"


def test_a_phone_given_without_digits_is_shown_but_not_linked():
    card = display.contact_block({"name": "Front door", "phone": "ask the switchboard", "email": "", "website": "",
                                  "hours": "", "notes": ""})
    assert card["details"] == [{"label": "Phone", "text": "ask the switchboard", "href": ""}]


def test_on_a_welsh_page_the_refused_answer_is_asked_again_in_welsh():
    """On Mon 21 Dec 2026 a disagreement on Mon 4 Jan 2027 is in the future."""
    view = screen({**STANDARD, "stage": "none", "on": "2027-01-04"}, lang="cy")
    assert view["screen"] == "on"
    assert view["question"]["heading"] == "Ar ba ddyddiad y cododd yr anghytundeb?"
    assert view["question"]["error"] == ("Mae Llun 4 Ion 2027 yn y dyfodol (heddiw yw Llun 21 Rhag 2026). Rhowch y "
                                         "dyddiad y daeth y cam i ben, neu y cododd yr anghytundeb.")


def test_the_answer_screen_carries_the_engines_own_answer():
    """Stage 1's latest date from Fri 18 Dec 2026: Tue 22 Dec."""
    view = screen({**STANDARD, "stage": "none", "on": "2026-12-18"})
    assert view["result"]["ok"] is True and view["result"]["advice"]["deadline"] == "2026-12-22"
