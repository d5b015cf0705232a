"""The documented Python API gives the same answers as `guidance next`, from shipped or named specs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from site_builds import FIXTURE_VERSIONS

from generator import api
from generator.cli import main


def test_every_promised_name_exists():
    assert sorted(api.__all__) == sorted(n for n in api.__all__ if hasattr(api, n))
    assert {"advise", "load_tree", "protocol", "Answers"} <= set(api.__all__)


@pytest.mark.parametrize(("partnership", "argv", "fields"), [
    ("swindon", ["--completed-stage", "2", "--on", "2026-12-23"], dict(completed_stage=2, on=dt.date(2026, 12, 23))),
    ("calderdale", ["--not-started", "--on", "2026-12-23", "--immediate-danger"],
     dict(completed_stage=None, on=dt.date(2026, 12, 23), immediate_danger=True)),
])
def test_advise_matches_guidance_next(capsys, partnership, argv, fields):
    assert main(["next", "--protocol", partnership, *argv, "--today", "2026-12-24", "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    advice = api.advise(api.protocol(partnership), today=dt.date(2026, 12, 24), **fields)
    assert advice.to_dict() == expected


def test_advise_takes_an_answers_object_or_keywords_not_both():
    swindon = api.protocol("swindon")
    answers = api.Answers(completed_stage=1, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 24))
    # Wed 23 Dec 2026 + 5 working days, over Christmas (25, 28 Dec) and New Year (1 Jan): Mon 4 Jan 2027.
    assert api.advise(swindon, answers).to_dict()["deadline"] == "2027-01-04"
    with pytest.raises(TypeError):
        api.advise(swindon, answers, today=dt.date(2026, 12, 24))


def test_protocol_from_a_named_folder_and_unknown_names():
    assert api.protocol("testshire", FIXTURE_VERSIONS).version.id == "2025-09"
    with pytest.raises(KeyError, match="known: calderdale, hips"):
        api.protocol("nowhere")
    with pytest.raises(api.AnswerError):
        api.advise(api.protocol("swindon"), completed_stage=9, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 24))
