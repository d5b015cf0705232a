"""Model -> Markdown for the published site.

The words live in Jinja templates (generator/templates/); this module only decides which facts each
page needs and where pages sit. It writes plain Markdown using Material's own extensions (admonitions,
content tabs, definition lists, tables), so moving to another theme that reads mkdocs.yml is a change of
configuration, not of this code. Nothing here touches the file system or the clock: generator.build passes
"today" in, so review warnings are reproducible in tests.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cache

import jinja2

from ..core import messages, model
from ..core.engine import GENERAL_999, names_999
from .diff import diff_versions

# Layout of the generated pages, relative to the docs root. generator.build and the templates both use these.
COMPARE_PAGE = "compare.md"
NEXT_PAGE = "next.md"



def audience(covers, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """'children and adults at risk': who a protocol is for, in the reader's language."""
    return messages.and_list([_catalogue_or(f"page.audience.{c}", c, language) for c in covers], language)


def _catalogue_or(message_id: str, fallback: str, language: str) -> str:
    try:
        return messages.t(message_id, language)
    except messages.UnknownMessage:
        return fallback


def partnership_page(partnership_id: str) -> str:
    return f"{partnership_id}/index.md"


def version_page(protocol: model.Protocol) -> str:
    return f"{protocol.id}/{protocol.version.id}/index.md"


def changes_page_path(partnership_id: str) -> str:
    return f"{partnership_id}/changes/index.md"


def flowchart_dir(protocol: model.Protocol) -> str:
    """Where a version's PDF/PNG downloads and trainer's pack live in the built site."""
    return f"{protocol.id}/{protocol.version.id}/flowcharts"


@dataclass(frozen=True)
class Series:
    """Every published version of one partnership's protocol, oldest first; the last is current.

    Versions are ordered by their ids (YYYY-MM by convention, compared number by number), not by the
    issue date, because some texts give no date and the publisher names the file anyway.
    """

    versions: tuple[model.Protocol, ...]

    @property
    def id(self) -> str:
        return self.current.id

    @property
    def current(self) -> model.Protocol:
        return self.versions[-1]

    def superseded_by(self, protocol: model.Protocol) -> model.Protocol | None:
        return None if protocol.version.id == self.current.version.id else self.current


def group(protocols: list[model.Protocol]) -> list[Series]:
    """Protocols (any order, all versions) -> one Series per partnership, by partnership name."""
    by_id: dict[str, list[model.Protocol]] = {}
    for protocol in protocols:
        by_id.setdefault(protocol.id, []).append(protocol)
    series = [Series(tuple(sorted(v, key=model.version_order))) for v in by_id.values()]
    return sorted(series, key=lambda s: s.current.partnership.name.lower())


@dataclass(frozen=True)
class Review:
    """Whether a version can still be trusted on its own dates. `kind`: overdue, due, no-review, unknown."""

    kind: str
    title: str
    text: str

    @property
    def warn(self) -> bool:
        return self.kind in ("overdue", "unknown", "no-review")


def review_status(protocol: model.Protocol, today: dt.date, language: str = messages.DEFAULT_LANGUAGE) -> Review:
    version, name = protocol.version, protocol.partnership.name

    def say(message_id: str, **values) -> str:
        return messages.t(message_id, language, **values)

    check = say("page.review.check", name=name)
    if version.issued is None and version.review_due is None:
        return Review("unknown", say("page.review.unknown_title"), say("page.review.unknown_text", check=check))
    if version.review_due is None:
        return Review("no-review", say("page.review.none_title"),
                      say("page.review.none_text", date=version.issued.human(language), check=check))
    due = version.review_due.human(language)
    if protocol.review_overdue(today):
        return Review("overdue", say("page.review.overdue_title"),
                      say("warning.review_overdue", due=due, partnership=name))
    return Review("due", say("page.review.due_title"), say("page.review.due_text", date=due))


def standard_route(protocol: model.Protocol) -> model.Route:
    """The route most disagreements follow: id `standard`, else the first route that is not urgent."""
    for route in protocol.routes:
        if route.id == "standard":
            return route
    return next((r for r in protocol.routes if not r.urgent), protocol.routes[0])


def has_urgent_route(protocol: model.Protocol) -> bool:
    return protocol.risk.urgent_route is not None


def stated_working_days(timescale: model.Timescale) -> int | None:
    """Working days a stage may take at most, or None when the text gives no number of working days."""
    if timescale.kind == model.WORKING_DAYS:
        return timescale.days
    if timescale.kind == model.SAME_WORKING_DAY:
        return 0
    return None


@dataclass(frozen=True)
class Total:
    """Working days from the start to the end of the final stage if every stage runs to its limit.

    Caps count: HIPS's stages 2 and 3 share two working days, so its total is 1 + 2 + 5, not 1 + 2 + 2 + 5.
    A cap that is not a number of working days (Kirklees's one calendar month over steps 1 to 4) leaves
    the stages it covers with no working-day end: their own days (Kirklees's ideal of 10 a step, 40 in
    all) would add up past the limit the text sets, so the total is that limit's own words.
    """

    days: int | None  # to the end of the final stage; None when some stage on the way has no number
    reached: int  # the last stage whose end can be counted in working days (0: none)
    stages: int
    caps: tuple[str, ...]
    reached_days: int = 0  # working days to the end of stage `reached`
    language: str = messages.DEFAULT_LANGUAGE  # of `caps` and `text`
    by_cap: bool = False  # a cap not in working days covers every stage: the total is the cap's own words

    @property
    def text(self) -> str:
        def days(n: int) -> str:
            return messages.count(n, "working_day", self.language)

        if self.days is not None:
            text = days(self.days)
        elif self.by_cap:
            return "; ".join(self.caps)
        elif self.reached == 0:
            text = messages.t("compare.total.not_stated", self.language)
        else:
            text = messages.t("compare.total.partial", self.language, days=days(self.reached_days),
                              stage=self.reached, next=self.reached + 1)
        return "; ".join([text, *self.caps])


def route_total(route: model.Route, language: str = messages.DEFAULT_LANGUAGE) -> Total:
    ends: dict[int, int | None] = {0: 0}  # stage number -> working days from the start to its latest end
    for stage in route.stages:
        k = stage.number
        own = stated_working_days(stage.timescale)
        candidates = []
        if own is not None and ends[k - 1] is not None:
            candidates.append(ends[k - 1] + own)
        uncounted = False  # a cap over this stage that is not a number of working days
        for cap in route.caps:
            days = stated_working_days(cap.timescale)
            if k in cap.stages and days is None:
                uncounted = True
            elif k in cap.stages:
                start = _cap_start(cap)
                if ends.get(start) is not None:
                    candidates.append(ends[start] + days)
        ends[k] = min(candidates) if candidates and not uncounted else None
    reached = 0
    while reached < len(route.stages) and ends[reached + 1] is not None:
        reached += 1
    caps = tuple(messages.cap_text(c, language) for c in route.caps)
    final = ends[len(route.stages)] if reached == len(route.stages) else None
    numbers = {stage.number for stage in route.stages}
    by_cap = any(stated_working_days(c.timescale) is None and numbers <= set(c.stages) for c in route.caps)
    return Total(final, reached, len(route.stages), caps, ends[reached], language, by_cap)


def _cap_start(cap: model.Cap) -> int:
    """The stage whose end a cap counts from (0: the disagreement arising)."""
    if cap.timescale.anchor == model.DISAGREEMENT_AROSE:
        return 0
    if cap.timescale.anchor == model.STAGE_END:
        return cap.timescale.anchor_stage
    return min(cap.stages) - 1


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def top_decider(protocol: model.Protocol) -> str:
    """Whom the standard route's final stage is taken to: its counterpart, else its actor. Not "who decides":
    North Wales's text says the meeting decides, not its chair, and Swindon's that a Resolution Panel may
    follow and a senior leader's decision may stand, so the column claims only what every spec holds."""
    last = standard_route(protocol).stages[-1]
    return last.counterpart or last.role


# --- Markdown helpers -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]>|#])")


def md(text: str) -> str:
    """Source text as Markdown that renders back to exactly that text (no accidental emphasis or HTML)."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def quoted(text: str) -> str:
    """The protocol's words in quotation marks, unless the spec already quotes several passages itself."""
    return md(text) if text.startswith('"') else f"“{md(text)}”"


def md_title(text: str) -> str:
    """Text for an admonition or tab title, which sits inside double quotes."""
    return md(text).replace('"', "&quot;")


LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~._-"  # kept as they are; anything else (<, >, ", `, \\, spaces) is %-encoded


def weblink(address: str) -> str:
    """A link destination for Markdown's `[text](<...>)`, or "" when the address may not be a link.

    The loader accepts only these schemes; this is checked again here, where the link is written, so a
    model built some other way still cannot make a `javascript:` or `data:` link.
    """
    address = str(address).strip()
    if not address.lower().startswith(LINK_SCHEMES):
        return ""
    return urllib.parse.quote(address, safe=_URL_SAFE)


def mailto(email: str) -> str:
    """An e-mail address as a `mailto:` link destination, or "" when it is not one address."""
    email = str(email).strip()
    if not re.fullmatch(r"[^\s@<>()\[\]\\,;:\"`]+@[^\s@<>()\[\]\\,;:\"`]+", email):
        return ""
    return "mailto:" + urllib.parse.quote(email, safe="@+._-'")


def front_matter_title(text: str) -> str:
    """A page title for the Markdown front matter: HTML-escaped, because MkDocs and the theme place
    page titles into the page as markup (navigation, header, <title>), and as one JSON string, which
    YAML reads as it is."""
    return json.dumps(html.escape(" ".join(str(text).split())), ensure_ascii=False)


@dataclass(frozen=True)
class Flowchart:
    """What a route's page needs from generator.flowchart: the inline SVG's figure, raw HTML in the Markdown."""

    figure: str
    text: tuple[str, ...]
    pdf: str = ""  # file names inside the version's flowcharts/ folder
    png: str = ""


@dataclass(frozen=True)
class Links:
    """Relative links from one page, so the built site works under any path on any static host."""

    root: str  # to the docs root
    partnership: str  # to the partnership folder
    version: str  # to this version's folder
    site: str | None = None  # to the whole site's root, where it differs from `root` (the Welsh pages under cy/)
    drawings: str | None = None  # to the folder holding this page's flowcharts/, where it is not `version`'s

    @property
    def downloads(self) -> str:
        """Where the flowchart downloads and the trainer's pack are: the Welsh pages have their own."""
        return self.version if self.drawings is None else self.drawings

    @property
    def compare(self) -> str:
        return f"{self.root if self.site is None else self.site}{COMPARE_PAGE}"

    def to_version(self, protocol: model.Protocol) -> str:
        return f"{self.partnership}{protocol.version.id}/index.md"


@dataclass(frozen=True)
class ProtocolPage:
    series: Series
    protocol: model.Protocol
    review: Review
    links: Links
    has_next: bool
    flowcharts: dict[str, Flowchart] = field(default_factory=dict)
    trainer_pack: str = ""
    pocket_card: str = ""  # file name inside the version's flowcharts/ folder


@cache
def environment(language: str = messages.DEFAULT_LANGUAGE, filters: tuple = ()) -> jinja2.Environment:
    """The page templates' environment for one language; `filters` (name, function) pairs replace the
    defaults (the Welsh pages' `md` marks English fallback text, generator/views/welsh.py)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.views", "templates"),
        autoescape=False,  # the output is Markdown; `md` escapes every source text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, quoted=quoted, weblink=weblink, mailto=mailto, page_title=front_matter_title,
                       md_title=md_title, tab_title=md_title,
                       ts=lambda ts, stage=None: messages.timescale_short(ts, stage_number=stage, language=language),
                       and_list=lambda items: messages.and_list(items, language),
                       cap_text=lambda cap: messages.cap_text(cap, language),
                       contact_line=lambda contact: messages.contact_line(contact, language),
                       human=lambda d: d.human(language),
                       human_date=lambda d: messages.date_long(d.year, d.month, d.day, language=language))
    env.filters.update(dict(filters))
    env.globals.update(t=lambda message_id, language=language, **values: messages.t(message_id, language, **values),
                       reading_title=lambda reading: reading_title(reading, language),
                       label=lambda version: version.label_in(language),
                       caps_covering=messages.caps_covering,
                       audience=lambda covers: audience(covers, language),
                       route_total=lambda route: route_total(route, language), standard_route=standard_route,
                       top_decider=top_decider,
                       has_urgent_route=has_urgent_route, stated_working_days=stated_working_days,
                       names_999=names_999,
                       general_999=GENERAL_999 if language == messages.DEFAULT_LANGUAGE
                       else messages.t("danger.general_999", language))
    return env


def reading_title(reading, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """A reading's heading: the text's own words (their first dozen, where the passage is long), never its id.

    A spec that quotes several passages already has its quotation marks; a single passage gets them here.
    The title keeps the quote's kind of string: on a Welsh page, the partnership's English stays marked."""
    words = reading.quote.split()
    short = " ".join(words[:12]) + (" \u2026" if len(words) > 12 else "")
    return type(reading.quote)(short if '"' in reading.quote else messages.t("readings.title", language, quote=short))


def _render(template: str, *, env: jinja2.Environment | None = None, **context) -> str:
    return (env or environment()).get_template(template).render(**context)


def protocol_page(page: ProtocolPage, env: jinja2.Environment | None = None) -> str:
    protocol = page.protocol
    return _render(
        "protocol.md.j2", env=env, page=page, p=protocol, series=page.series, links=page.links,
        superseded_by=page.series.superseded_by(protocol),
        contacts={c.id: c for c in protocol.contacts},
        next_link=_next_link(page.links.root, protocol.id, page.has_next),
    )


def _next_link(root: str, protocol_id: str, has_next: bool) -> str:
    # A link to next.md is checked by MkDocs; until the wizard page exists, point at its future URL.
    page = NEXT_PAGE if has_next else "next/"
    return f"{root}{page}?protocol={protocol_id}"


def changes_page(series: Series, today: dt.date, env: jinja2.Environment | None = None,
                 review: Review | None = None) -> str:
    pairs = [(old, new, diff_versions(old, new)) for old, new in itertools.pairwise(series.versions)]
    return _render("changes.md.j2", env=env, series=series, pairs=list(reversed(pairs)),
                   review=review or review_status(series.current, today),
                   links=Links(root="../../", partnership="../", version=""))


def compare_page(all_series: list[Series], today: dt.date, env: jinja2.Environment | None = None,
                 language: str = messages.DEFAULT_LANGUAGE, link=None, notice: str = "") -> str:
    """Every partnership's current protocol side by side. The Welsh page (views/welsh.py) passes its
    environment, each series' protocols in Welsh where published, `link(series)`: the Markdown link target
    of a partnership's page, and `notice`: what stands under the heading."""
    rows = [(s, review_status(s.current, today, language)) for s in all_series]
    return _render("compare.md.j2", env=env, rows=rows, today=today, notice=notice,
                   link=link or (lambda series: f"{series.id}/index.md"))


def home_fragment(all_series: list[Series], today: dt.date) -> str:
    """The partnership list and review warnings that replace the marker in docs/index.md."""
    rows = [(s, review_status(s.current, today)) for s in all_series]
    return _render("home.md.j2", rows=rows)


def flowchart_html(screen_svg: str, print_svg: str = "") -> str:
    """The drawings (each names itself for assistive technology) in a figure the CSS can place: the
    one-column drawing on screen, the A4 landscape one on paper (the other is display:none, so hidden
    from screen readers too).

    It sits in the Markdown as one raw HTML block, which Markdown passes through untouched only when no
    line of it is blank; the route's tab is a `/// tab` block so that the block starts at column 0.
    """
    lines = [line for line in f"{screen_svg}\n{print_svg}".splitlines() if line.strip()]
    return '<figure class="ec-flowchart" data-search-exclude>' + "\n".join(lines) + "</figure>"
