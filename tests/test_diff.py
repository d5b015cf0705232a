"""diff_versions: changes between the fixture versions, worked out by hand from the edits made to them."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core import model
from generator.views import diff

VERSIONS = Path(__file__).resolve().parent / "fixtures" / "versions" / "testshire"


def kinds(changes):
    return [(c.kind, c.route, c.stage, c.old, c.new) for c in changes]


def test_inserted_stage_is_added_and_later_stages_renumbered_not_rewritten(v2022, v2024):
    # 2022-06 had four standard stages; 2024-01 inserts "Team / Inspectors / Service Manager" as stage 3,
    # lengthens stage 2 from 3 to 5 working days and renames who acts at the Heads stage.
    assert kinds(diff.diff_versions(v2022, v2024)) == [
        (diff.STAGE_ADDED, "standard", 3, "", "Team / Inspectors / Service Manager"),
        (diff.TIMESCALE_CHANGED, "standard", 2, "within 3 working days", "within 5 working days"),
        (diff.STAGE_RENUMBERED, "standard", 4, "3", "4"),
        (diff.ROLE_CHANGED, "standard", 4, "Heads of Service", "Heads / Directors of Service"),
        (diff.STAGE_RENUMBERED, "standard", 5, "4", "5"),
        (diff.CONTACT_ADDED, "", None, "", "Local Authority Designated Officer (LADO)"),
        (diff.CONTACT_CHANGED, "", None, "01632 960001", "01632 960002"),
        (diff.REVIEW_CHANGED, "", None, "June 2024", "January 2026"),
    ]


def test_reworded_timescale_with_the_same_rule_is_not_a_change(v2024, v2025):
    # 2025-09 differs from 2024-01 only in its dates and change summary.
    assert kinds(diff.diff_versions(v2024, v2025)) == [
        (diff.REVIEW_CHANGED, "", None, "January 2026", "September 2027")]


def test_same_version_has_no_changes(v2024):
    assert diff.diff_versions(v2024, v2024) == []
    assert diff.format_text([]) == "No changes to routes, stages, timescales, roles, contacts or review date.\n"


def test_removed_route_stage_and_contact_and_added_route(v2024):
    standard, urgent = v2024.route("standard"), v2024.route("urgent")
    shorter = dataclasses.replace(standard, stages=standard.stages[:-1])
    new_route = dataclasses.replace(urgent, id="conference", title="Conference dissent")
    edited = dataclasses.replace(v2024, routes=(shorter, new_route),
                                 contacts=tuple(c for c in v2024.contacts if c.id != "edt"))
    got = kinds(diff.diff_versions(v2024, edited))
    assert (diff.ROUTE_REMOVED, "urgent", None, "Immediate risk of significant harm", "") in got
    assert (diff.ROUTE_ADDED, "conference", None, "", "Conference dissent") in got
    assert (diff.STAGE_REMOVED, "standard", 5, "Testshire Safeguarding Partnership", "") in got
    assert (diff.CONTACT_REMOVED, "", None, "EDT (Emergency Duty Team)", "") in got


def test_retitled_stage_is_matched_by_number(v2024):
    standard = v2024.route("standard")
    first = dataclasses.replace(standard.stages[0], title="Talk to your manager")
    edited = dataclasses.replace(v2024, routes=(dataclasses.replace(standard, stages=(first, *standard.stages[1:])),
                                                v2024.route("urgent")))
    assert kinds(diff.diff_versions(v2024, edited)) == [
        (diff.STAGE_RETITLED, "standard", 1, "Internal Discussion", "Talk to your manager")]


def test_cap_change_is_reported(v2024):
    standard = v2024.route("standard")
    cap = model.Cap(id="all", stages=(1, 2, 3, 4, 5),
                    timescale=model.Timescale(kind="calendar_months", months=1, wording="one month"))
    edited = dataclasses.replace(v2024, routes=(dataclasses.replace(standard, caps=(cap,)), v2024.route("urgent")))
    assert kinds(diff.diff_versions(v2024, edited)) == [
        (diff.CAP_CHANGED, "standard", None, "none", "Stages 1 to 5: within 1 calendar month in total")]


@pytest.mark.parametrize(("timescale", "expected"), [
    (model.Timescale(kind="working_days", days=1, wording=""), "within 1 working day"),
    (model.Timescale(kind="working_days", days=5, anchor="disagreement_arose", wording=""),
     "within 5 working days of the disagreement arising"),
    (model.Timescale(kind="working_days", days=2, anchor="stage_end", anchor_stage=3, wording=""),
     "within 2 working days of the end of stage 3"),
    (model.Timescale(kind="calendar_months", months=1, guideline=True, wording=""),
     "ideally within 1 calendar month"),
    (model.Timescale(kind="same_working_day", wording=""), "same working day"),
    (model.Timescale(kind="without_delay", wording=""), "without delay"),
    (model.Timescale(kind="agreed", wording=""), "agreed timescale"),
    (model.Timescale(kind="none", wording=""), "no timescale given"),
])
def test_timescale_short_forms(timescale, expected):
    assert diff.timescale_short(timescale) == expected


def test_format_text_has_heading_and_one_line_per_change(v2022, v2024):
    text = diff.format_text(diff.diff_versions(v2022, v2024), v2022, v2024)
    lines = text.splitlines()
    assert lines[0] == "Testshire Safeguarding Partnership (test fixture): version 2022-06 -> 2024-01"
    assert len(lines) == 9
    assert lines[1] == "- Resolution process: stage 3 “Team / Inspectors / Service Manager” added."


def test_guidance_diff_command(v2022):
    result = subprocess.run([sys.executable, "-m", "generator.cli", "diff", str(VERSIONS / "2022-06.yaml"),
                             str(VERSIONS / "2024-01.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "phone changed from 01632 960001 to 01632 960002" in result.stdout
