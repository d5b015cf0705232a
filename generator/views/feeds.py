"""Atom feeds of protocol changes: one for the whole site and one per partnership.

Agencies must hear when a protocol they follow changes, and feed readers, e-mail digests and
intranets all read Atom. Two things are entries: a version published here (with the partnership's own
"what changed" lines, the differences found by comparing it with the version before, and a link to the
computed differences), and a protocol passing its review date while still in force, because from then
on practitioners should check it has not been replaced.

Entry ids are `tag:` URIs built from the partnership, the version and the kind of entry only, so they
never change between builds or hosts: a reader shows each entry once. Links are relative to the feed's
own address (Atom resolves them against the document, or against `xml:base` when the site's address is
configured). Everything is written with ElementTree, so spec text is always escaped text.
"""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from generator.core import messages
from generator.core.model import Protocol
from generator.views import diff, pages

# At the site's root: Material's script fetches sitemap.xml beside every <link rel="alternate"> of a
# page, and the root is where it is.
SITE_FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:escalation-guide,2026:"
TITLE = "Escalation Guide"
# Atom requires a date on every entry; a version whose text gives no issue date gets this one, so it
# sorts as the oldest and never looks new. Its content says the date is not known.
UNKNOWN_DATE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_DIFFERENCES = 12


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    link: str  # relative to the site root
    summary: str
    content_html: str
    related: str = ""  # the computed differences, relative to the site root


def partnership_feed(partnership_id: str) -> str:
    return f"feed-{partnership_id}.xml"


def site_feed() -> str:
    return SITE_FEED


def changes_anchor(old: Protocol, new: Protocol) -> str:
    """The heading id MkDocs gives "Version OLD to NEW" on the partnership's changes page."""
    return slugify(f"Version {old.version.id} to {new.version.id}", "-")


def entries(series: pages.Series, today: dt.date) -> list[Entry]:
    """Every entry of one partnership, newest first."""
    found: list[Entry] = []
    versions = series.versions
    name = series.current.partnership.short_name
    for index, protocol in enumerate(versions):
        previous = versions[index - 1] if index else None
        found.append(_version_entry(protocol, previous, name))
        later = versions[index + 1] if index + 1 < len(versions) else None
        review = _review_entry(protocol, later, name, today)
        if review:
            found.append(review)
    return sorted(found, key=lambda e: (e.updated, e.id), reverse=True)


def _day(value) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _version_entry(protocol: Protocol, previous: Protocol | None, name: str) -> Entry:
    version = protocol.version
    issued = version.issued
    parts: list[str] = [f"<p>{_e(protocol.partnership.name)} protocol ({_e(version.label)}): "
                        f"{_e(version.source_title)}.</p>"]
    parts.append(f"<p>Issued {_e(issued.human())}.</p>" if issued
                 else "<p>The source document gives no date of issue.</p>")
    if version.changes:
        parts.append(f"<p>{_e(messages.t('page.changes_partnership_says'))}</p><ul>"
                     + "".join(f"<li>{_e(line)}</li>" for line in version.changes) + "</ul>")
    related = ""
    if previous is None:
        summary = f"The first version of {name}'s protocol published here."
        parts.append(f"<p>{_e(summary)}</p>")
    else:
        changes = diff.diff_versions(previous, protocol)
        related = f"{protocol.id}/changes/#{changes_anchor(previous, protocol)}"
        if changes:
            shown = changes[:MAX_DIFFERENCES]
            more = len(changes) - len(shown)
            parts.append(f"<p>Found by comparing it with the text before it ({_e(previous.version.label)}):</p><ul>"
                         + "".join(f"<li>{_e(c.text)}</li>" for c in shown) + "</ul>"
                         + (f"<p>and {more} more.</p>" if more else ""))
        else:
            parts.append(f"<p>No changes to routes, stages, timescales, roles, contacts or the review date "
                         f"since the text before it ({_e(previous.version.label)}).</p>")
        summary = " ".join(version.changes) or (
            f"{len(changes)} change(s) found by comparing it with the text before it ({previous.version.label})."
            if changes else f"No changes to the process since the text before it ({previous.version.label}).")
    return Entry(
        id=f"{TAG}{protocol.id}/{version.id}/published",
        title=f"{name}: protocol ({version.label})",  # the label, never the id: our file name, not the text's
        updated=_day(issued.first_day()) if issued else UNKNOWN_DATE,
        link=f"{protocol.id}/{version.id}/",
        summary=summary,
        content_html="".join(parts),
        related=related,
    )


def _review_entry(protocol: Protocol, later: Protocol | None, name: str, today: dt.date) -> Entry | None:
    """Only a version still in force when its review date passed: a version replaced in time never was."""
    due = protocol.version.review_due
    if due is None or not protocol.review_overdue(today):
        return None
    passed = due.last_day() + dt.timedelta(days=1)
    if later is not None and (later.version.issued is None or later.version.issued.first_day() <= due.last_day()):
        return None
    text = (f"{protocol.partnership.name}'s protocol ({protocol.version.label}) was due for review in "
            f"{due.human()}. It may have been replaced or changed: check with the partnership that it is "
            "still the version in force before relying on it.")
    return Entry(
        id=f"{TAG}{protocol.id}/{protocol.version.id}/review-passed",
        title=f"{name}: protocol ({protocol.version.label}) has passed its review date ({due.human()})",
        updated=_day(passed),
        link=f"{protocol.id}/{protocol.version.id}/",
        summary=text,
        content_html=f"<p>{_e(text)}</p>",
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def feed_xml(*, feed_id: str, title: str, path: str, feed_entries: list[Entry], site_url: str | None) -> bytes:
    """One Atom document; `path` is where it sits in the site, so relative links resolve from there."""
    up = "../" * path.count("/")
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    if site_url:
        root.set("{http://www.w3.org/XML/1998/namespace}base", site_url.rstrip("/") + "/" + path)
    _text(root, "id", feed_id)
    _text(root, "title", title)
    updated = max((e.updated for e in feed_entries), default=UNKNOWN_DATE)
    _text(root, "updated", _stamp(updated))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", TITLE)
    _link(root, path.rsplit("/", 1)[-1], "self", "application/atom+xml")
    _link(root, up, "alternate", "text/html")
    _text(root, "generator", "Escalation Guide")
    for entry in feed_entries:
        item = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(item, "id", entry.id)
        _text(item, "title", entry.title)
        _text(item, "updated", _stamp(entry.updated))
        _link(item, up + entry.link, "alternate", "text/html")
        if entry.related:
            _link(item, up + entry.related, "related", "text/html", title="What changed between the versions")
        _text(item, "summary", entry.summary)
        content = _text(item, "content", entry.content_html)
        content.set("type", "html")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                     xml_declaration=False) + b"\n"


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str, title: str = "") -> None:
    link = ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": media_type, "href": href or "./"})
    if title:
        link.set("title", title)


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_feeds(protocols: list[Protocol], site_dir: Path, *, today: dt.date,
                site_url: str | None = None) -> list[Path]:
    """feed.xml (the whole site) and feed-<partnership>.xml at the root of a built site."""
    out = Path(site_dir)
    written = []
    every: list[Entry] = []
    for series in pages.group(protocols):
        found = entries(series, today)
        every += found
        path = partnership_feed(series.id)
        written.append(_write(out / path, feed_xml(
            feed_id=f"{TAG}feed/{series.id}", path=path, feed_entries=found, site_url=site_url,
            title=f"{series.current.partnership.name}: protocol changes ({TITLE})")))
    every.sort(key=lambda e: (e.updated, e.id), reverse=True)
    written.append(_write(out / site_feed(), feed_xml(
        feed_id=f"{TAG}feed/all", path=site_feed(), feed_entries=every, site_url=site_url,
        title=f"{TITLE}: protocol changes")))
    return written


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path
