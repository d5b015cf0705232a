"""The protocol model: what one version of a partnership's escalation protocol says.

Built only by `generator.load` (from YAML) or `from_dict` (from the browser bundle's JSON), and read
by everything else. Standard library only, so that CPython and Pyodide import the very same file.
Records are frozen so that no output stage can quietly alter what another one reads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from . import messages

NATIONS = ("england", "wales", "scotland", "northern-ireland")
AUDIENCES = ("children", "adults")

# Timescale kinds. Only the first three produce a date; the others are honest "no number" kinds
# whose wording is quoted back to the practitioner instead of a deadline.
WORKING_DAYS = "working_days"  # within N working days of the anchor
SAME_WORKING_DAY = "same_working_day"  # the anchor day if a working day, else the next one
CALENDAR_MONTHS = "calendar_months"  # the same date N months on, or that month's last day
CLOCK_HOURS = "clock_hours"  # N hours on the clock: weekends and bank holidays count
WITHOUT_DELAY = "without_delay"  # "urgently", "immediately", "without delay"
AGREED = "agreed"  # "within an agreed timescale"
NONE = "none"  # the text gives no timescale at all
TIMESCALE_KINDS = (WORKING_DAYS, SAME_WORKING_DAY, CALENDAR_MONTHS, CLOCK_HOURS, WITHOUT_DELAY, AGREED, NONE)
DATED_KINDS = (WORKING_DAYS, SAME_WORKING_DAY, CALENDAR_MONTHS, CLOCK_HOURS)

# Anchors: where a timescale is counted from.
PREVIOUS_STAGE_END = "previous_stage_end"  # the end of the stage before (for stage 1: the disagreement arising)
DISAGREEMENT_AROSE = "disagreement_arose"  # the date the disagreement first arose
STAGE_END = "stage_end"  # the end of a named stage (`anchor_stage`)
EVENT = "event"  # an event the answers never give a date for (`anchor_event`, e.g. "the meeting or review")
ANCHORS = (PREVIOUS_STAGE_END, DISAGREEMENT_AROSE, STAGE_END, EVENT)


@dataclass(frozen=True, kw_only=True, slots=True)
class PartialDate:
    """A date as precise as the source text gives it: "11/2020" is a month, not the 1st."""

    year: int
    month: int
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 2:
            return cls(year=parts[0], month=parts[1])
        dt.date(*parts)  # raises ValueError on 31 February
        return cls(year=parts[0], month=parts[1], day=parts[2])

    def iso(self) -> str:
        text = f"{self.year:04d}-{self.month:02d}"
        return text if self.day is None else f"{text}-{self.day:02d}"

    def last_day(self) -> dt.date:
        """The last day this date can mean: a review due "11/2020" is overdue from 1 December 2020."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        first_of_next = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    def human(self, language: str = messages.DEFAULT_LANGUAGE) -> str:
        return messages.date_long(self.year, self.month, self.day, language)


@dataclass(frozen=True, kw_only=True, slots=True)
class Timescale:
    kind: str
    wording: str = ""  # the source text's own words, quoted in every answer (may be empty for kind none)
    days: int | None = None  # for working_days
    months: int | None = None  # for calendar_months
    hours: int | None = None  # for clock_hours
    anchor: str = PREVIOUS_STAGE_END
    anchor_stage: int | None = None  # for anchor stage_end
    anchor_event: str = ""  # for anchor event: what the time counts from, in words
    guideline: bool = False  # "ideally ..." : a deadline, but the answer says it is a guideline

    @property
    def dated(self) -> bool:
        return self.kind in DATED_KINDS


@dataclass(frozen=True, kw_only=True, slots=True)
class Cap:
    """A limit over several stages of a route, e.g. "steps 1 to 5 should not exceed 5 working days"."""

    id: str
    stages: tuple[int, ...]
    timescale: Timescale
    notes: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    id: str
    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    notes: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Duty:
    """A second time limit inside a stage for one task (a form, a letter, the learning), not for the stage."""

    text: str  # the task, in the text's words
    timescale: Timescale


@dataclass(frozen=True, kw_only=True, slots=True)
class Reading:
    """A place where the text reads two ways, decided in the open so readers can challenge it.

    `applies_to` names what the decision changes: "risk", a route id, or "route.N" for its stage N;
    an answer on one of them names the reading it depends on."""

    id: str
    quote: str  # the literal words of the text
    readings: tuple[str, ...]  # the readings considered
    used: str  # the reading the guide and the engine use
    why: str
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Stage:
    number: int
    title: str
    role: str  # who acts
    counterpart: str = ""  # with whom
    similar_seniority: bool = False
    actions: tuple[str, ...] = ()
    record: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()  # contact ids
    timescale: Timescale
    duties: tuple[Duty, ...] = ()
    notes: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Route:
    id: str
    title: str
    question: str  # how a practitioner names this disagreement, for the wizard
    summary: str = ""
    urgent: bool = False  # about immediate risk or significant harm: every answer leads with acting today
    causes_lead_in: str = ""  # the text's own lead-in to this route's typical causes
    typical_causes: tuple[str, ...] = ()
    stages: tuple[Stage, ...]
    caps: tuple[Cap, ...] = ()
    after_last_stage: str = ""  # what the text says happens when the last stage fails
    continues_with: str | None = None  # a route id to follow once this route's stages are done
    notes: str = ""

    def stage(self, number: int) -> Stage:
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise KeyError(number)


@dataclass(frozen=True, kw_only=True, slots=True)
class RiskOverrides:
    """What to do at once: never a date, always first in an answer."""

    immediate_danger: tuple[str, ...]  # actions when anyone is in immediate danger
    immediate_danger_contacts: tuple[str, ...] = ()  # contact ids
    timescale_unsafe: tuple[str, ...] = ()  # actions when the normal timescale is not safe
    urgent_route: str | None = None  # route id to take when the normal timescale is not safe, or in danger
    out_of_hours: tuple[str, ...] = ()  # the out-of-hours and emergency services the text names, as it names them


@dataclass(frozen=True, kw_only=True, slots=True)
class Partnership:
    id: str
    name: str
    short_name: str
    nation: str
    covers: tuple[str, ...]
    website: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Version:
    id: str
    issued: PartialDate | None  # None: the text gives no date
    review_due: PartialDate | None
    source_title: str
    source_file: str = ""
    changes: tuple[str, ...] = ()
    notes: str = ""

    @property
    def label(self) -> str:
        """How readers see which text this is: the id is our file name, not a number the text prints."""
        return self.label_in(messages.DEFAULT_LANGUAGE)

    def label_in(self, language: str) -> str:
        """`label` worded in `language` (the wizard's answer and questions follow the page's language)."""
        if self.issued is None:
            return messages.t("version.undated", language)
        return messages.t("version.issued", language, date=self.issued.human(language))


@dataclass(frozen=True, kw_only=True, slots=True)
class Protocol:
    partnership: Partnership
    version: Version
    contacts: tuple[Contact, ...] = ()
    principles: tuple[str, ...] = ()
    typical_causes: tuple[str, ...] = ()
    scope_exclusions: tuple[str, ...] = ()
    scope_notes: tuple[str, ...] = ()  # who and what the text says it covers
    record_keeping: tuple[str, ...] = ()  # what the text says to record at every stage
    risk: RiskOverrides
    routes: tuple[Route, ...]
    readings: tuple[Reading, ...] = ()
    notes: str = ""
    # The partnership's own Welsh text, by the English field's path ("routes[0].stages[1].title"): the Welsh
    # pages show it where given and the English, marked as such, where not. Pairs, so the record stays frozen.
    cy: tuple[tuple[str, str], ...] = ()
    source_path: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return self.partnership.id

    def route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)

    def contact(self, contact_id: str) -> Contact:
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(contact_id)

    def readings_for(self, targets) -> tuple[Reading, ...]:
        """The readings an answer about these targets ("risk", a route id, "route.N") depends on."""
        wanted = set(targets)
        return tuple(r for r in self.readings if wanted.intersection(r.applies_to))

    def published_in(self, field_path: str, language: str) -> str | None:
        """The partnership's own text of one field in `language`, or None: English is the spec itself."""
        if language == "en":  # pragma: no mutate - equivalent: the line below gives None for English too
            return None
        return dict(self.cy).get(field_path) if language == "cy" else None

    def review_overdue(self, today: dt.date) -> bool:
        return self.version.review_due is not None and today > self.version.review_due.last_day()

    def to_dict(self) -> dict:
        """Plain JSON-ready data: the browser bundle ships this and `from_dict` reads it back."""
        data = asdict(self)
        for key in ("issued", "review_due"):
            value = getattr(self.version, key)
            data["version"][key] = None if value is None else value.iso()
        return data


def version_order(protocol: Protocol) -> tuple:
    """Versions sort by id, compared number by number ("2024-10" after "2024-9"), not by issue date,
    because some texts give no date and the publisher names the file anyway (docs/publishing.md)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", protocol.version.id))


def current_versions(protocols) -> dict[str, Protocol]:
    """Each partnership's current version: the highest by `version_order`. The one rule that the pages,
    the wizard's bundle and `guidance next` all follow, so they never disagree on which text is in force."""
    current: dict[str, Protocol] = {}
    for protocol in protocols:
        held = current.get(protocol.id)
        if held is None or version_order(protocol) > version_order(held):  # pragma: no mutate - equivalent for `>=`: equal orders mean the same version id, i.e. the same file name, and one folder cannot hold two
            current[protocol.id] = protocol
    return current


def from_dict(data: dict) -> Protocol:
    """Build a Protocol from plain data: validated YAML, or `Protocol.to_dict()` read back in the browser.

    Keys left out take the dataclass defaults, so a spec need not spell out empty lists.
    """

    def tuples(d: dict, *keys: str) -> dict:
        return {k: (tuple(v) if k in keys else v) for k, v in d.items()}

    def timescale(d: dict) -> Timescale:
        return Timescale(**d)

    def stage(d: dict) -> Stage:
        d = tuples(d, "actions", "record", "forms", "contacts")
        duties = tuple(Duty(text=x["text"], timescale=timescale(x["timescale"])) for x in d.get("duties", ()))
        return Stage(**{**d, "timescale": timescale(d["timescale"]), "duties": duties})

    def cap(d: dict) -> Cap:
        return Cap(**{**d, "stages": tuple(d["stages"]), "timescale": timescale(d["timescale"])})

    def route(d: dict) -> Route:
        return Route(**{
            **tuples(d, "typical_causes"),
            "stages": tuple(stage(s) for s in d["stages"]),
            "caps": tuple(cap(c) for c in d.get("caps", ())),
        })

    def partial(value: str | None) -> PartialDate | None:
        return None if value in (None, "unknown") else PartialDate.parse(value)

    version = tuples(data["version"], "changes")
    version.update(issued=partial(version.get("issued")), review_due=partial(version.get("review_due")))
    top = tuples(data, "principles", "typical_causes", "scope_exclusions", "scope_notes", "record_keeping")
    top.update(
        partnership=Partnership(**tuples(data["partnership"], "covers")),
        version=Version(**version),
        contacts=tuple(Contact(**c) for c in data.get("contacts", ())),
        risk=RiskOverrides(**tuples(data["risk"], "immediate_danger", "immediate_danger_contacts",
                                    "timescale_unsafe", "out_of_hours")),
        routes=tuple(route(r) for r in data["routes"]),
        readings=tuple(Reading(**tuples(r, "readings", "applies_to")) for r in data.get("readings", ())),
        cy=tuple((str(k), str(v)) for k, v in dict(data.get("cy") or {}).items()),
    )
    return Protocol(**top)
