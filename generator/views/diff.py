"""What changed between two versions of one protocol, for the "what changed" pages and `guidance diff`.

Stages have no ids of their own in the specs (only numbers), and a new version often inserts a stage and
renumbers the rest; matching by number would then report every later stage as changed. So stages are
matched by title first (a renumbered stage keeps its title), then by number, and only what is left over
counts as added or removed. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import messages, model

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
    """A timescale in a few words ("within 5 working days"): the catalogue's one wording."""
    return messages.timescale_short(timescale)


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
    return "none" if cap is None else messages.cap_text(cap)


def _describe_contact(contact: model.Contact) -> str:
    return messages.contact_details(contact) or messages.t("contact.no_details")


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


# ASCII punctuation that CommonMark lets a backslash escape, less the three that become HTML entities.
_MARKDOWN_PUNCTUATION = frozenset("!\"#$%'()*+,-./:;=?@[\\]^_`{|}~")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

# A few words for each kind of stage change, for the table of changed stages.
_STAGE_KINDS = (STAGE_ADDED, STAGE_REMOVED, STAGE_RENUMBERED, STAGE_RETITLED, ROLE_CHANGED,
                COUNTERPART_CHANGED, TIMESCALE_CHANGED)


def markdown_text(text: str) -> str:
    """Spec text as inert Markdown: it reads as typed and can make no heading, list, table cell, link,
    image, autolink or HTML tag. Every ASCII punctuation mark is backslash-escaped (GitHub's renderer then
    links nothing, not even a bare web address), `&`, `<` and `>` become entities, and line breaks become
    spaces so the text stays inside the line or table cell it was put in."""
    flat = " ".join(text.split())
    return "".join(_HTML_ENTITIES.get(ch) or (f"\\{ch}" if ch in _MARKDOWN_PUNCTUATION else ch) for ch in flat)


def _stage_change_words(change: Change) -> str:
    if change.kind == STAGE_ADDED:
        return "added"
    if change.kind == STAGE_REMOVED:
        return "removed"
    if change.kind == STAGE_RENUMBERED:
        return f"was stage {change.old}"
    if change.kind == STAGE_RETITLED:
        return f"was titled “{change.old}”"
    if change.kind == ROLE_CHANGED:
        return f"who acts: “{change.old}” → “{change.new}”"
    if change.kind == COUNTERPART_CHANGED:
        return f"with whom: “{change.old or 'not stated'}” → “{change.new or 'not stated'}”"
    return f"timescale: {change.old} → {change.new}"


def changed_stages(changes: list[Change], old: model.Protocol,
                   new: model.Protocol) -> list[tuple[str, int, str, list[Change]]]:
    """(route title, stage number, stage title, its changes) for every stage a change touches, in route
    then stage order. A removed stage is named from the old version, every other from the new one."""
    found: dict[tuple[str, int, bool], list[Change]] = {}
    for change in changes:
        if change.kind in _STAGE_KINDS:  # a removed stage and a stage now bearing its number are two rows
            found.setdefault((change.route, change.stage, change.kind == STAGE_REMOVED), []).append(change)
    route_order = {r.id: i for i, r in enumerate(new.routes)}
    rows = []
    for route_id, number, removed in sorted(found, key=lambda k: (route_order.get(k[0], len(route_order)),
                                                                  k[1], not k[2])):
        route = (old if removed else new).route(route_id)
        title = found[route_id, number, removed][0].old if removed else route.stage(number).title
        rows.append((route.title, number, title, found[route_id, number, removed]))
    return rows


def format_markdown(changes: list[Change], old: model.Protocol, new: model.Protocol, level: int = 3) -> str:
    """The "what changed" of one pair of versions as GitHub Markdown, for a pull request's job summary:
    a heading, a table naming each changed stage and what changed in it, then every change as a sentence.
    All text from the specs goes through `markdown_text`, so a spec cannot put markup into the summary."""
    esc = markdown_text
    hashes = "#" * level
    lines = [f"{hashes} {esc(new.partnership.name)}: version {esc(old.version.id)} → {esc(new.version.id)}", ""]
    if not changes:
        lines += ["No changes to routes, stages, timescales, roles, contacts or review date.", ""]
        return "\n".join(lines)
    rows = changed_stages(changes, old, new)
    if rows:
        lines += ["**Stages changed**", "", "| Route | Stage | What changed |", "| --- | --- | --- |"]
        for route_title, number, title, stage_changes in rows:
            what = "; ".join(_stage_change_words(c) for c in stage_changes)
            lines.append(f"| {esc(route_title)} | {number}\\. {esc(title)} | {esc(what)} |")
        lines.append("")
    lines += ["**Every change**", ""]
    lines += [f"- {esc(change.text)}" for change in changes]
    lines.append("")
    return "\n".join(lines)
