"""What changed between two versions of one protocol, for the "what changed" pages and `guidance diff`.

Stages have no ids of their own in the specs (only numbers), and a new version often inserts a stage and
renumbers the rest; matching by number would then report every later stage as changed. So stages are
matched by title first (a renumbered stage keeps its title), then by number, and only what is left over
counts as added or removed. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import model

# Change kinds, in the order a reader wants them.
ROUTE_ADDED, ROUTE_REMOVED = "route_added", "route_removed"
STAGE_ADDED, STAGE_REMOVED, STAGE_RENUMBERED = "stage_added", "stage_removed", "stage_renumbered"
STAGE_RETITLED, ROLE_CHANGED, COUNTERPART_CHANGED = "stage_retitled", "role_changed", "counterpart_changed"
TIMESCALE_CHANGED, CAP_CHANGED = "timescale_changed", "cap_changed"
CONTACT_ADDED, CONTACT_REMOVED, CONTACT_CHANGED = "contact_added", "contact_removed", "contact_changed"
REVIEW_CHANGED = "review_changed"


@dataclass(frozen=True)
class Change:
    kind: str
    text: str  # one plain sentence for people
    route: str = ""  # route id, where the change is inside a route
    stage: int | None = None  # the stage's number in the new version (the old one if removed)
    old: str = ""
    new: str = ""


def timescale_short(timescale: model.Timescale) -> str:
    """A timescale in a few words ("within 5 working days"); the source wording is always shown beside it."""
    kind, anchor = timescale.kind, timescale.anchor
    if kind == model.WORKING_DAYS:
        n = timescale.days
        text = f"within {n} working day{'s' if n != 1 else ''}"
    elif kind == model.CALENDAR_MONTHS:
        n = timescale.months
        text = f"within {n} calendar month{'s' if n != 1 else ''}"
    elif kind == model.SAME_WORKING_DAY:
        text = "the same working day"
    elif kind == model.CLOCK_HOURS:
        n = timescale.hours
        text = f"within {n} hour{'s' if n != 1 else ''} (clock hours, weekends and bank holidays included)"
    elif kind == model.WITHOUT_DELAY:
        text = "without delay"
    elif kind == model.AGREED:
        text = "within an agreed timescale"
    else:
        return "not stated"
    if timescale.dated:
        if anchor == model.DISAGREEMENT_AROSE:
            text += " of the disagreement arising"
        elif anchor == model.STAGE_END and timescale.anchor_stage is not None:
            text += f" of the end of stage {timescale.anchor_stage}"
    if timescale.guideline:
        text += " (guideline)"
    return text


def _same_timescale(a: model.Timescale, b: model.Timescale) -> bool:
    """Equal in effect: a reworded sentence with the same rule is not a change of timescale."""
    keys = ("kind", "days", "months", "anchor", "anchor_stage", "guideline")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _match_stages(old: tuple[model.Stage, ...], new: tuple[model.Stage, ...]):
    """Pairs (old, new) matched by title then by number, plus the unmatched old and new stages."""
    pairs: list[tuple[model.Stage, model.Stage]] = []
    left_old, left_new = list(old), list(new)
    for stage in list(left_old):
        twin = next((s for s in left_new if _norm(s.title) == _norm(stage.title)), None)
        if twin is not None:
            pairs.append((stage, twin))
            left_old.remove(stage)
            left_new.remove(twin)
    for stage in list(left_old):
        twin = next((s for s in left_new if s.number == stage.number), None)
        if twin is not None:
            pairs.append((stage, twin))
            left_old.remove(stage)
            left_new.remove(twin)
    pairs.sort(key=lambda pair: pair[1].number)
    return pairs, left_old, left_new


def _route_changes(old: model.Route, new: model.Route) -> list[Change]:
    changes: list[Change] = []
    where = f"{new.title}:"
    pairs, removed, added = _match_stages(old.stages, new.stages)
    for stage in removed:
        changes.append(Change(STAGE_REMOVED, f"{where} stage {stage.number} “{stage.title}” removed.",
                              new.id, stage.number, old=stage.title))
    for stage in added:
        changes.append(Change(STAGE_ADDED, f"{where} stage {stage.number} “{stage.title}” added.",
                              new.id, stage.number, new=stage.title))
    for a, b in pairs:
        label = f"{where} stage {b.number} “{b.title}”"
        if a.number != b.number:
            changes.append(Change(STAGE_RENUMBERED, f"{label} was stage {a.number}.", new.id, b.number,
                                  str(a.number), str(b.number)))
        if _norm(a.title) != _norm(b.title):
            changes.append(Change(STAGE_RETITLED, f"{label} was titled “{a.title}”.", new.id, b.number,
                                  a.title, b.title))
        if _norm(a.role) != _norm(b.role):
            changes.append(Change(ROLE_CHANGED, f"{label}: who acts changed from “{a.role}” to “{b.role}”.",
                                  new.id, b.number, a.role, b.role))
        if _norm(a.counterpart) != _norm(b.counterpart):
            changes.append(Change(
                COUNTERPART_CHANGED,
                f"{label}: with whom changed from “{a.counterpart or 'not stated'}” to "
                f"“{b.counterpart or 'not stated'}”.", new.id, b.number, a.counterpart, b.counterpart))
        if not _same_timescale(a.timescale, b.timescale):
            was, now = timescale_short(a.timescale), timescale_short(b.timescale)
            changes.append(Change(TIMESCALE_CHANGED, f"{label}: timescale changed from {was} to {now}.",
                                  new.id, b.number, was, now))
    old_caps = {c.id: c for c in old.caps}
    new_caps = {c.id: c for c in new.caps}
    for cap_id in sorted(old_caps.keys() | new_caps.keys()):
        a, b = old_caps.get(cap_id), new_caps.get(cap_id)
        if a is None or b is None or a.stages != b.stages or not _same_timescale(a.timescale, b.timescale):
            changes.append(Change(CAP_CHANGED, f"{where} limit across stages changed from {_describe_cap(a)} to "
                                               f"{_describe_cap(b)}.", new.id, None, _describe_cap(a), _describe_cap(b)))
    return changes


def _describe_cap(cap: model.Cap | None) -> str:
    return "none" if cap is None else f"stages {', '.join(map(str, cap.stages))} {timescale_short(cap.timescale)}"


def _describe_contact(contact: model.Contact) -> str:
    return ", ".join(x for x in (contact.phone, contact.email, contact.website, contact.hours) if x) or "no details"


def _contact_changes(old: model.Protocol, new: model.Protocol) -> list[Change]:
    changes: list[Change] = []
    before = {c.id: c for c in old.contacts}
    after = {c.id: c for c in new.contacts}
    for cid in before.keys() - after.keys():
        c = before[cid]
        changes.append(Change(CONTACT_REMOVED, f"Contact removed: {c.name}.", old=c.name))
    for cid in after.keys() - before.keys():
        c = after[cid]
        changes.append(Change(CONTACT_ADDED, f"Contact added: {c.name} ({_describe_contact(c)}).", new=c.name))
    for cid in sorted(before.keys() & after.keys()):
        a, b = before[cid], after[cid]
        fields = [f for f in ("name", "phone", "email", "website", "hours") if getattr(a, f) != getattr(b, f)]
        for f in fields:
            was, now = getattr(a, f) or "none", getattr(b, f) or "none"
            changes.append(Change(CONTACT_CHANGED, f"Contact {b.name}: {f} changed from {was} to {now}.",
                                  old=was, new=now))
    return sorted(changes, key=lambda c: (c.kind, c.text))


def diff_versions(old: model.Protocol, new: model.Protocol) -> list[Change]:
    """Every change a practitioner would act on, routes first, then contacts, then the review date."""
    changes: list[Change] = []
    old_routes = {r.id: r for r in old.routes}
    new_routes = {r.id: r for r in new.routes}
    for route in old.routes:
        if route.id not in new_routes:
            changes.append(Change(ROUTE_REMOVED, f"Route removed: {route.title}.", route.id, old=route.title))
    for route in new.routes:
        if route.id not in old_routes:
            changes.append(Change(ROUTE_ADDED, f"Route added: {route.title} ({len(route.stages)} stages).",
                                  route.id, new=route.title))
        else:
            changes.extend(_route_changes(old_routes[route.id], route))
    changes.extend(_contact_changes(old, new))
    was, now = (v.review_due.human() if v.review_due else "none" for v in (old.version, new.version))
    if was != now:
        changes.append(Change(REVIEW_CHANGED, f"Review date changed from {was} to {now}.", old=was, new=now))
    return changes


def format_text(changes: list[Change], old: model.Protocol | None = None,
                new: model.Protocol | None = None) -> str:
    """Plain text for the terminal: a heading line when the versions are given, then one line a change."""
    lines = []
    if old is not None and new is not None:
        lines.append(f"{new.partnership.name}: version {old.version.id} -> {new.version.id}")
    if not changes:
        lines.append("No changes to routes, stages, timescales, roles, contacts or review date.")
    lines.extend(f"- {change.text}" for change in changes)
    return "\n".join(lines) + "\n"
