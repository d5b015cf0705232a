"""Testshire: an invented protocol that uses every kind of timescale, anchor and cap the engine knows.

The real specs change as their readings are reviewed; the engine's sentences must not. Tests that pin
the exact words and dates a practitioner reads use this protocol, in the JSON form the browser bundle
carries (what `model.from_dict` and `engine.advise_json` receive), with England's bank holidays for
2026 and 2027 written out by hand from GOV.UK, so no date below comes from the code under test.
"""

from __future__ import annotations

import copy

from generator.core.calendar import Calendar

FIRST_YEAR, LAST_YEAR = 2026, 2027

# GOV.UK, England and Wales, 2026 and 2027 (ISO keys: the form that survives JSON, as in the bundle).
HOLIDAYS = {
    "2026-01-01": "New Year's Day",
    "2026-04-03": "Good Friday",
    "2026-04-06": "Easter Monday",
    "2026-05-04": "May Day",
    "2026-05-25": "Spring Bank Holiday",
    "2026-08-31": "Late Summer Bank Holiday",
    "2026-12-25": "Christmas Day",
    "2026-12-26": "Boxing Day",
    "2026-12-28": "Boxing Day, substitute day",
    "2027-01-01": "New Year's Day",
    "2027-03-26": "Good Friday",
    "2027-03-29": "Easter Monday",
    "2027-05-03": "May Day",
    "2027-05-31": "Spring Bank Holiday",
    "2027-08-30": "Late Summer Bank Holiday",
    "2027-12-25": "Christmas Day",
    "2027-12-26": "Boxing Day",
    "2027-12-27": "Christmas Day, substitute day",
    "2027-12-28": "Boxing Day, substitute day",
}

DUTY = {"id": "duty", "name": "Duty Team", "phone": "01234 567890", "email": "duty@testshire.example",
        "website": "https://testshire.example/duty", "hours": "24 hours", "notes": "Out of hours too."}
PANEL = {"id": "panel", "name": "Resolution Panel", "phone": "", "email": "", "website": "", "hours": "",
         "notes": ""}


def _stage(number, title, timescale, **more):
    return {"number": number, "title": title, "role": f"Role {number}", "timescale": timescale, **more}


PROTOCOL = {
    "partnership": {"id": "testshire", "name": "Testshire Safeguarding Partnership", "short_name": "Testshire",
                    "nation": "england", "covers": ["Testshire"], "website": "https://testshire.example"},
    "version": {"id": "2026-12", "issued": None, "review_due": "2026-12", "source_title": "Testshire protocol",
                "source_file": "", "changes": ["First version."], "notes": ""},
    "contacts": [DUTY, PANEL],
    "principles": ["The child comes first."],
    "typical_causes": ["Thresholds."],
    "scope_exclusions": ["Complaints."],
    "record_keeping": ["Record every step."],
    "risk": {"immediate_danger": ["Call the duty team."], "immediate_danger_contacts": ["duty", "panel"],
             "timescale_unsafe": ["Do not wait."], "urgent_route": "urgent"},
    "routes": [
        {
            "id": "standard", "title": "Standard route", "question": "We disagree about a decision.",
            "summary": "", "urgent": False, "after_last_stage": "The panel decides.", "continues_with": None,
            "notes": "",
            "caps": [
                {"id": "first-three", "stages": [1, 2, 3], "notes": "",
                 "timescale": {"kind": "working_days", "days": 8, "anchor": "disagreement_arose",
                               "wording": "Stages 1 to 3 within 8 working days."}},
                {"id": "late", "stages": [4, 5], "notes": "",
                 "timescale": {"kind": "working_days", "days": 20, "anchor": "disagreement_arose",
                               "wording": "Stages 4 and 5 within 20 working days of the concern."}},
            ],
            "stages": [
                _stage(1, "Talk to each other", {"kind": "working_days", "days": 2,
                                                 "wording": "Within two working days."},
                       counterpart="Role 1 in the other agency", similar_seniority=True,
                       actions=["Talk.", "Listen."], record=["The outcome."], forms=["Form A"],
                       contacts=["duty"]),
                _stage(2, "Managers", {"kind": "working_days", "days": 5, "guideline": True,
                                       "wording": "Ideally within five working days."}),
                _stage(3, "Leads", {"kind": "agreed", "wording": "Within an agreed timescale."}),
                _stage(4, "Heads of service", {"kind": "calendar_months", "months": 1, "anchor": "stage_end",
                                               "anchor_stage": 2,
                                               "wording": "Within one calendar month of the end of stage 2."}),
                _stage(5, "Directors", {"kind": "without_delay", "wording": "Without delay."}),
                _stage(6, "Panel", {"kind": "none", "wording": ""}),
            ],
        },
        {
            "id": "urgent", "title": "Urgent route", "question": "A child is at risk now.", "summary": "",
            "urgent": True, "after_last_stage": "", "continues_with": "standard", "notes": "", "caps": [],
            "stages": [
                _stage(1, "Escalate today", {"kind": "same_working_day", "wording": "The same working day."}),
                _stage(2, "Tell the panel", {"kind": "none", "wording": "Tell the panel."}),
            ],
        },
    ],
    "notes": "",
}


def protocol_data(**version) -> dict:
    """A fresh copy (tests may change it), with version fields replaced, e.g. issued="2025-01"."""
    data = copy.deepcopy(PROTOCOL)
    data["version"].update(version)
    return data


def calendar() -> Calendar:
    return Calendar(HOLIDAYS, FIRST_YEAR, LAST_YEAR)
