"""The Welsh pages: every page of a partnership in Wales (or of any spec with Welsh text) again under `cy/`.

They are rendered by the same templates as the English pages, with every interface word from the Welsh
catalogue. Protocol text is never ours to translate: each text field shows the partnership's own Welsh
(the spec's `cy:` mapping) where it published some, else its English inside `lang="en"`, so screen
readers switch voice. A spec with no Welsh at all gets one line saying so at the top; a spec with some
gets the "not published in Welsh" line (the catalogue's `cy.not_published`) beside each English part.

One site, one engine run (not a second run over a Welsh subtree: one search index, one copy of the theme's
assets, the decision aid's files shared, and Zensical builds it unchanged): the theme's own words (search,
skip link, `<html lang>`) follow the page's language through `site_overrides/partials/language.html`, and
`main.html` draws the language switch from `extra.languages`, which this module fills in. Until a Welsh-language reviewer signs the catalogue off,
every Welsh page carries a notice in both languages that the Welsh interface awaits review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from functools import cache

from ..core import messages, model
from . import bilingual, feeds, pages, pocket
from .bilingual import English, Welsh, localise  # noqa: F401 - the Welsh pages' names for them

LANGUAGE = "cy"
FOLDER = "cy"  # the Welsh pages' folder in the docs tree and the site
HOME = f"{FOLDER}/index.md"
COMPARE = f"{FOLDER}/{pages.COMPARE_PAGE}"
NEXT = f"{FOLDER}/{pages.NEXT_PAGE}"

# --- Filters: English parts marked as such ---------------------------------------------------------

def _md_filter(per_part_line: bool):
    line = f' <small class="eg-not-published">{pages.md(messages.t("cy.not_published", LANGUAGE))}</small>'

    def md(text) -> str:
        out = pages.md(text)
        if isinstance(text, English) and out:
            return f'<span lang="en">{out}</span>' + (line if per_part_line else "")
        return _english_spans(out, line if per_part_line else "")

    def quoted(text) -> str:
        inner = pages.quoted(text)
        if isinstance(text, English) and inner:
            return f'<span lang="en">{inner}</span>' + (line if per_part_line else "")
        return inner

    return md, quoted


@cache
def environment(per_part_line: bool):
    """The Welsh templates' environment; `per_part_line`: the spec has some Welsh, so each English part
    says it was not published in Welsh (a spec with none says so once, at the top)."""
    md, quoted = _md_filter(per_part_line)
    # Titles in front matter and admonitions are text, not markup: the English stays unmarked there. A
    # route's tab title is inline Markdown (pymdownx's tab label), so its English is marked.
    return pages.environment(LANGUAGE, filters=(("md", md), ("quoted", quoted), ("tab_title", _tab_title)))


def _tab_title(text) -> str:
    title = pages.md_title(text)
    return f'<span lang="en">{title}</span>' if isinstance(text, English) and title else title


# --- Pages -----------------------------------------------------------------------------------------

def has_welsh(series: pages.Series) -> bool:
    return bilingual.welsh_pages(series.current)


def _notices(protocol: model.Protocol) -> str:
    """The review notice (both languages) and, for a spec with no Welsh text, the one line saying so."""
    parts = [review_notice()]
    if not protocol.cy:
        parts.append(f"{pages.md(messages.t('cy.none_published', LANGUAGE, name=protocol.partnership.name))}\n"
                     "{: .eg-not-published }\n")
    return "\n".join(parts)


def review_notice() -> str:
    """A note, in Welsh and in English, that the Welsh interface awaits review (none once it is reviewed)."""
    if messages.review_status(LANGUAGE) == "reviewed":
        return ""
    title = pages.md_title(messages.t("cy.review_title", LANGUAGE))
    welsh = pages.md(messages.t("review.notice", LANGUAGE))
    english = pages.md(messages.t("review.notice", "en"))
    return (f'!!! note eg-review-notice "{title}"\n\n    {welsh}\n\n    {english}\n    {{: lang="en" }}\n')


def _with_notices(markdown: str, notices: str) -> str:
    """The notices after the page's first heading (so the heading stays the page's first content)."""
    head, sep, rest = markdown.partition("\n# ")
    if not sep:
        return notices + "\n" + markdown
    heading, _, body = rest.partition("\n")
    return f"{head}{sep}{heading}\n\n{notices}\n{body}"


def _english_spans(markdown: str, after: str = "") -> str:
    """A text of ours holding the partnership's English between bilingual's markers (a flowchart's text
    version) with that English inside lang="en", each piece followed by `after` (the not-published line)."""
    if bilingual.ENGLISH_START not in markdown:
        return markdown
    return markdown.replace(bilingual.ENGLISH_START, '<span lang="en">').replace(bilingual.ENGLISH_END,
                                                                                 "</span>" + after)


def _localised_charts(charts: dict[str, pages.Flowchart]) -> dict[str, pages.Flowchart]:
    """A version not drawn in Welsh: the drawings and their text versions are English, marked so."""
    return {route: dataclasses.replace(chart, figure=chart.figure.replace("<figure ", '<figure lang="en" ', 1),
                                       text=tuple(English(line) for line in chart.text))
            for route, chart in charts.items()}


def series_pages(series: pages.Series, today: dt.date, has_next: bool,
                 charts: dict[tuple[str, str], dict[str, pages.Flowchart]], files: dict[tuple[str, str], str],
                 trainer_pack: str, pocket_card: str,
                 welsh_charts: dict[tuple[str, str], dict[str, pages.Flowchart]] | None = None) -> dict[str, str]:
    """The Welsh pages of one partnership: {path in the docs tree: Markdown}. `files[id, version]` is the
    English version folder. `welsh_charts[id, version]`: the version's drawings in Welsh, whose downloads
    (its pocket card among them) are in the same folder under cy/; a version without them shows its English
    drawings (marked lang="en") and links their English downloads and card, saying the card is in English."""
    welsh_charts = welsh_charts or {}
    out: dict[str, str] = {}
    review = pages.review_status(series.current, today, LANGUAGE)
    welsh_versions = tuple(localise(p) for p in series.versions)
    welsh_series = pages.Series(welsh_versions)
    env = environment(bool(series.current.cy))
    for original, protocol in zip(series.versions, welsh_versions, strict=True):
        key = (original.id, original.version.id)
        drawn_in_welsh = key in welsh_charts
        common = dict(series=welsh_series, protocol=protocol, review=review, has_next=has_next,
                      flowcharts=welsh_charts[key] if drawn_in_welsh else _localised_charts(charts[key]),
                      trainer_pack=trainer_pack, pocket_card=pocket_card)
        notices = _notices(original)
        page = pages.ProtocolPage(links=pages.Links(root="../../", partnership="../",
                                                    version=f"../../../{files[key]}/",
                                                    drawings="" if drawn_in_welsh else None), **common)
        out[f"{FOLDER}/{pages.version_page(original)}"] = _with_notices(
            _excluded(pages.protocol_page(page, env)), notices)
        if original is series.current:
            page = pages.ProtocolPage(links=pages.Links(root="../", partnership="", version=f"../../{files[key]}/",
                                                        drawings=f"{original.version.id}/" if drawn_in_welsh else None),
                                      **common)
            out[f"{FOLDER}/{pages.partnership_page(series.id)}"] = _with_notices(pages.protocol_page(page, env),
                                                                                 notices)
    changes = pages.changes_page(welsh_series, today, env, review=review)
    out[f"{FOLDER}/{pages.changes_page_path(series.id)}"] = _with_notices(_excluded(changes),
                                                                          _notices(series.current))
    return {rel: _english_toc(text) for rel, text in out.items()}


_ENGLISH_HEADING = re.compile(r'^#{2,6} <span lang="en">[^<]*</span> \{ #([\w-]+) \}$', re.MULTILINE)


def _english_toc(markdown: str) -> str:
    """The ids of the headings that are wholly the partnership's English, in the front matter as `toc_en`:
    the table of contents repeats a heading as plain text, and partials/toc-item.html marks those lang="en"."""
    ids = _ENGLISH_HEADING.findall(markdown)
    if not ids or not markdown.startswith("---\n"):
        return markdown
    end = markdown.index("\n---\n", 4)
    return f"{markdown[:end]}\ntoc_en: {json.dumps(ids)}{markdown[end:]}"


def _excluded(markdown: str) -> str:
    """As the English version and "what changed" pages: browsable, left out of the search index."""
    # One definition of the front matter; imported here because generator.build imports this module.
    from ..build import excluded_from_search

    return excluded_from_search(markdown)


def write_welsh_pages(generated) -> None:
    """An output writer (generator/build.py): the Welsh pages of every partnership that has them, and a
    Welsh home page listing them."""
    from ..build import TRAINER_PACK  # late: build imports this module

    welsh = [s for s in generated.series if has_welsh(s)]
    if not welsh:
        return
    has_next = (generated.tree.root / pages.NEXT_PAGE).is_file()
    charts = {key: drawn.flowcharts for key, drawn in generated.charts.items()}
    welsh_charts = {key: drawn.flowcharts_in(LANGUAGE) for key, drawn in generated.charts.items()
                    if LANGUAGE in drawn.languages}
    folders = {(p.id, p.version.id): p.id + "/" + p.version.id for s in welsh for p in s.versions}
    for series in welsh:
        for rel, text in series_pages(series, generated.today, has_next, charts, folders, TRAINER_PACK,
                                      pocket.FILE_NAME, welsh_charts).items():
            generated.tree.write(rel, text)
    generated.tree.write(HOME, home_page(welsh, generated.today))
    generated.tree.write(COMPARE, compare_page(generated.series, generated.today))
    if has_next:
        generated.tree.write(NEXT, next_page())


# next.html keeps what comes before this mark (the review notice) on every screen of the decision aid;
# the introduction after it shows on the first screen only.
INTRO_MARK = "<!-- wz-intro -->"


def next_page() -> str:
    """The decision aid in Welsh: the same page and engine, told the language by `lang` (next.html)."""
    title = messages.t("page.what_next", LANGUAGE)
    return (f"---\ntitle: {pages.front_matter_title(title)}\ntemplate: next.html\nlang: {LANGUAGE}\nhide:\n  - toc\n---\n\n"
            f"{review_notice()}\n{INTRO_MARK}\n\n{pages.md(messages.t('page.next_intro', LANGUAGE))}\n")


def compare_page(all_series: list[pages.Series], today: dt.date) -> str:
    """Every partnership side by side in Welsh, the English ones too (a Welsh reader compares with all of
    them): our words from the Welsh catalogue, each partnership's words in Welsh where it published them,
    else in English marked lang="en" (one line under the heading says so, not one in every cell). A
    partnership with Welsh pages is linked to them, any other to its English page."""
    welsh_ids = {s.id for s in all_series if has_welsh(s)}
    in_welsh = [pages.Series(tuple(localise(p) for p in s.versions)) for s in all_series]
    notice = review_notice() + "\n" + pages.md(messages.t("compare.english_note", LANGUAGE)) + "\n"

    def link(series: pages.Series) -> str:
        return f"{series.id}/index.md" if series.id in welsh_ids else f"../{series.id}/index.md"

    return pages.compare_page(in_welsh, today, environment(False), LANGUAGE, link=link, notice=notice)


def configure(config: dict, all_series: list[pages.Series]) -> dict:
    """The site configuration with the Welsh pages out of the navigation (each is reached from its English
    page's language switch and the Welsh home page) and the switch's settings in `extra.languages`."""
    welsh = [s for s in all_series if has_welsh(s)]
    if not welsh:
        return config
    config = dict(config)
    listed = str(config.get("not_in_nav") or "")
    config["not_in_nav"] = listed + ("" if not listed or listed.endswith("\n") else "\n") + f"/{FOLDER}/\n"
    english = ["index.md", pages.NEXT_PAGE, pages.COMPARE_PAGE] + [path for s in welsh for path in english_pages(s)]
    extra = dict(config.get("extra") or {})
    extra["languages"] = switch_settings(english, bool(config.get("use_directory_urls", True)))
    config["extra"] = extra
    return config


def english_pages(series: pages.Series) -> list[str]:
    """The English pages of a partnership that have a Welsh page at the same path under cy/."""
    return [pages.partnership_page(series.id), *(pages.version_page(p) for p in series.versions),
            pages.changes_page_path(series.id)]


def home_page(welsh: list[pages.Series], today: dt.date) -> str:
    def say(message_id: str, **values) -> str:
        return messages.t(message_id, LANGUAGE, **values)

    lines = ["---", f"title: {pages.front_matter_title(say('cy.home_title'))}", "---", "",
             f"# {pages.md(say('cy.home_title'))}", "", review_notice(), pages.md(say("cy.home_intro")), "",
             f"## {pages.md(say('cy.home_partnerships'))}", ""]
    for series in welsh:
        protocol = localise(series.current)
        name = environment(bool(series.current.cy)).filters["md"](protocol.partnership.name)
        review = pages.review_status(series.current, today, LANGUAGE)
        lines.append(f"- **[{name}]({series.id}/index.md)**: "
                     f"{pages.md(pages.audience(series.current.partnership.covers, LANGUAGE))}; "
                     f"{pages.md(series.current.version.label_in(LANGUAGE))}. {pages.md(review.text)}")
    lines += ["", f"[{pages.md(say('page.compare'))}]({pages.COMPARE_PAGE})", "",
              f"[{pages.md(say('cy.home_english'))}](../index.md){{ hreflang=en }}", ""]
    return "\n".join(lines)


# --- The language switch ---------------------------------------------------------------------------

def page_url(path: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a page of the docs tree (relative to the site root)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        folder = stem.removesuffix("index")
        return folder if directory_urls else f"{folder}index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def switch_settings(english_paths: list[str], directory_urls: bool) -> dict:
    """`extra.languages` for main.html: which English pages have a Welsh one, and the switch's words (each
    in the language it leads to, so it is marked with that language)."""
    return {"folder": f"{FOLDER}/",
            "pages": sorted(page_url(p, directory_urls) for p in english_paths),
            "to_cy": messages.t("language.switch.to_cy", LANGUAGE),
            "to_en": messages.t("language.switch.to_en", "en"),
            # The Welsh pages' links to the feeds (in English): main.html's head.
            "feed_site": messages.t("feed.link.site_in_english", LANGUAGE, site=feeds.TITLE),
            "feed_partnership": messages.t("feed.link.partnership_in_english", LANGUAGE, site=feeds.TITLE)}


# --- The theme's few words set in mkdocs.yml, not in Material's translations ---------------------------

# The configuration's English words (toc's permalink title, the palette toggle's names) that the theme
# writes into every page: Material's Welsh strings do not cover them, so the Welsh pages get the catalogue's.
THEME_WORDS = ("theme.permalink", "theme.to_dark", "theme.to_light")


def write_theme_words(generated, site) -> None:
    """A site writer (generator/build.py): on the built Welsh pages, the configuration's English words in
    attributes (`title`, `aria-label`) replaced by the catalogue's Welsh."""
    folder = site / FOLDER
    if not folder.is_dir():
        return
    swaps = [(f'="{messages.t(i, "en")}"', f'="{html.escape(messages.t(i, LANGUAGE), quote=True)}"')
             for i in THEME_WORDS]
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        changed = text
        for english, welsh in swaps:
            changed = changed.replace(english, welsh)
        if changed != text:
            page.write_text(changed, encoding="utf-8")
