"""The stable Python interface for case-management suppliers and other tools.

Everything a caller needs is imported from here, and only names listed in `__all__` are promised to stay
(same names, same meaning) within a major version; the modules behind them may be reorganised. Dates are
`datetime.date`, the advice is a frozen dataclass whose `to_dict()` is the same JSON `guidance next --json`
prints. Nothing here reads the clock unless `today` is left out, and nothing touches the network.

    from generator import api
    swindon = api.protocol("swindon")                       # a shipped protocol, its current version
    advice = api.advise(swindon, completed_stage=1, on=date(2026, 12, 23), today=date(2026, 12, 24))
    print(advice.to_dict()["deadline_text"])
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import load, resources
from .core import engine, model
from .core.calendar import Calendar, calendar_for
from .core.engine import Advice, AnswerError, Answers
from .core.model import Protocol
from .load import Problem, SpecError, load_protocol, load_text, load_tree

__all__ = [
    "Advice", "AnswerError", "Answers", "Calendar", "Problem", "Protocol", "SpecError",
    "advise", "calendar_for", "current_versions", "load_protocol", "load_text", "load_tree", "protocol",
    "shipped_protocols",
]

# Bank holidays for a year either side of the dates involved, plus the years a whole route can run into.
_YEARS_BEFORE, _YEARS_AFTER = 1, 2


def shipped_protocols() -> Path:
    """The folder of specs published with this version of the tool."""
    return resources.shipped_protocols()


def current_versions(protocols: list[Protocol]) -> dict[str, Protocol]:
    """Partnership id -> the version in force (the highest version id), from any list of versions."""
    return model.current_versions(protocols)


def protocol(partnership: str, protocols: Path | str | None = None) -> Protocol:
    """The current version of one partnership's protocol, from `protocols` (default: the shipped specs).

    Raises SpecError when a spec is broken and KeyError (naming the known ids) when there is no such one.
    """
    found = current_versions(load_tree(protocols or shipped_protocols()))
    if partnership not in found:
        raise KeyError(f"unknown protocol '{partnership}'; known: {', '.join(sorted(found))}")
    return found[partnership]


def advise(protocol: Protocol, answers: Answers | None = None, *, calendar: Calendar | None = None,
           **fields) -> Advice:
    """What to do next: the same engine as the website's decision aid and `guidance next`.

    Pass an `Answers`, or its fields as keywords (`completed_stage`, `on`, `today`, `route`, `started`,
    `immediate_danger`, `timescale_unsafe`, `stage_ends`); `today` defaults to the real date. The bank
    holidays of the protocol's nation are used unless a `calendar` is given. Raises AnswerError (with the
    field at fault) for answers that do not fit the protocol.
    """
    if answers is None:
        fields.setdefault("today", load.today())
        fields.setdefault("route", "standard")
        answers = Answers(**fields)
    elif fields:
        raise TypeError("pass either an Answers or its fields as keywords, not both")
    if calendar is None:
        years = [d.year for d in (answers.on, answers.today, answers.started) if isinstance(d, dt.date)]
        calendar = calendar_for(protocol.partnership.nation, min(years) - _YEARS_BEFORE, max(years) + _YEARS_AFTER)
    return engine.advise(protocol, answers, calendar)
