"""The Welsh pages under cy/: which partnerships get them, the partnership's own Welsh or its English marked
lang="en" with the not-published line, Welsh interface words, the review notice, and the language switch."""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from html_tree import parse
from site_builds import ROOT, build_into, main_html, site, squash

from generator import load
from generator.core import messages
from generator.views import welsh

FIXTURE = ROOT / "tests" / "fixtures" / "specs" / "cymru-fixture" / "2025-01.yaml"
NOT_PUBLISHED = messages.t("cy.not_published", "cy")


@functools.cache
def fixture_site() -> Path:
    """The Cymru fixture (some Welsh text of its own) beside an English partnership (Swindon)."""
    folder = Path(tempfile.mkdtemp(prefix="escalation-welsh-"))
    protocols = folder / "protocols"
    for source in (FIXTURE.parent, ROOT / "protocols" / "swindon"):
        shutil.copytree(source, protocols / source.name)
    shutil.copy(ROOT / "protocols" / "schema.json", protocols / "schema.json")
    return build_into(folder, protocols).site


@pytest.fixture(scope="module", autouse=True)
def _clean_up():
    yield
    if fixture_site.cache_info().currsize:
        shutil.rmtree(fixture_site().parent, ignore_errors=True)


def _tree(page: Path):
    return parse(page.read_text(encoding="utf-8"))


def _language_of(element) -> str | None:
    """The language an element is in: its own lang, else its nearest ancestor's."""
    for node in (element, *element.ancestors()):
        if "lang" in node.attrs:
            return node.attrs["lang"]
    return None


def _elements_holding(root, text: str) -> list:
    """The innermost elements of the article whose own text (not their children's) contains `text` (the page's
    table of contents repeats headings as plain text, which Material cannot mark: a known gap)."""
    found = []

    def walk(node):
        own = " ".join(c for c in node.children if isinstance(c, str))
        if text in " ".join(own.split()) and any(a.tag == "article" for a in (node, *node.ancestors())):
            found.append(node)
        for child in node.elements():
            walk(child)

    walk(root)
    return found


# --- Which pages exist ---------------------------------------------------------------------------------

def test_every_page_of_a_welsh_partnership_has_a_welsh_page_and_english_partnerships_have_none():
    real = site("real")
    for path in ("cy/index.html", "cy/north-wales/index.html", "cy/north-wales/2018-11-28/index.html",
                 "cy/north-wales/changes/index.html"):
        assert (real / path).is_file(), path
    assert sorted(p.name for p in (real / "cy").iterdir() if p.is_dir()) == ["compare", "next", "north-wales"]
    for english in ("swindon", "calderdale", "kirklees", "hips"):
        assert english in (real / "index.html").read_text(encoding="utf-8")
        assert not (real / "cy" / english).exists()


def test_welsh_pages_are_in_welsh_with_materials_own_welsh_strings():
    page = site("real") / "cy" / "north-wales" / "index.html"
    content = page.read_text(encoding="utf-8")
    assert re.search(r'<html lang="cy"', content)
    assert 'placeholder="Chwilio"' in content  # Material's cy strings, not ours
    assert re.search(r'<html lang="en"', (site("real") / "north-wales" / "index.html").read_text(encoding="utf-8"))
    article = squash(main_html(page))
    for message_id in ("danger.in_danger_heading", "page.applies_heading", "page.routes", "page.source", "page.by_when"):
        assert messages.t(message_id, "cy") in article, message_id
        assert messages.t(message_id, "en") not in article, message_id
    # Dates in Welsh, the flowcharts' own too (drawn in Welsh, so the figure is not marked English).
    figures = re.findall(r"<figure[^>]*>", main_html(page))
    assert figures and not any("lang=" in f for f in figures)
    words = squash(main_html(page))
    assert "28 Tachwedd 2018" in words and "November" not in words


def test_a_welsh_partnership_with_no_welsh_text_says_so_once_and_marks_all_its_text_english():
    page = site("real") / "cy" / "north-wales" / "index.html"
    article = _tree(page)
    protocol = load.load_protocol(ROOT / "protocols" / "north-wales" / "2018-11-28.yaml")
    assert squash(main_html(page)).count(messages.t("cy.none_published", "cy", name=protocol.partnership.name)) == 1
    for text in (*protocol.principles, protocol.routes[0].stages[0].role, protocol.routes[0].question):
        holders = _elements_holding(article, " ".join(text.split())[:40])
        assert holders, text
        assert {_language_of(h) for h in holders} == {"en"}, text


# --- The fixture: some Welsh of its own ----------------------------------------------------------------

def test_the_partnerships_own_welsh_is_shown_as_welsh():
    page = fixture_site() / "cy" / "cymru-fixture" / "index.html"
    article = _tree(page)
    for welsh_text in ("Bwrdd Diogelu Cymru Fixture", "Llwybr safonol", "Siarad", "Siaradwch â'r gweithiwr arall.",
                       "o fewn dau ddiwrnod gwaith"):
        holders = _elements_holding(article, welsh_text)
        assert holders, welsh_text
        assert all(_language_of(h) != "en" for h in holders), welsh_text
    english = squash(main_html(fixture_site() / "cymru-fixture" / "index.html"))
    assert "Talk to the other worker." in english and "Siaradwch" not in english  # English page unchanged


def test_english_where_the_fixture_has_no_welsh_is_marked_and_followed_by_the_not_published_line():
    page = fixture_site() / "cy" / "cymru-fixture" / "index.html"
    article = _tree(page)
    for english_text in ("Managers", "Line manager", "Call the Front Door.", "within five working days"):
        holders = _elements_holding(article, english_text)
        assert holders, english_text
        for holder in holders:
            assert _language_of(holder) == "en", english_text
            if any(a.tag == "figure" for a in holder.ancestors()):
                continue  # a drawing: English as a whole, marked on its figure
            after = holder.parent.children[holder.parent.children.index(holder) + 1:]
            line = next((c for c in after if not isinstance(c, str)), None)
            assert line is not None and line.text == NOT_PUBLISHED and _language_of(line) == "cy", english_text
    # Some Welsh in the spec: the not-published line goes beside each English part, not once for the page.
    none_line = messages.t("cy.none_published", "cy", name="Cymru Fixture Safeguarding Board")
    assert none_line not in squash(main_html(page))


def test_contacts_and_numbers_are_as_printed_in_both_languages():
    welsh_page = squash(main_html(fixture_site() / "cy" / "cymru-fixture" / "index.html"))
    assert "01234 567890" in welsh_page


# --- Review notice and language switch -----------------------------------------------------------------

def test_welsh_pages_carry_the_review_notice_in_both_languages_while_the_catalogue_is_draft():
    assert messages.review_status("cy") == "draft"
    for page in ("cy/index.html", "cy/north-wales/index.html", "cy/north-wales/changes/index.html"):
        article = _tree(site("real") / page)
        welsh_notice = _elements_holding(article, messages.t("review.notice", "cy")[:60])
        english_notice = _elements_holding(article, messages.t("review.notice", "en")[:60])
        assert welsh_notice and english_notice, page
        assert _language_of(english_notice[0]) == "en" and _language_of(welsh_notice[0]) == "cy", page
    english = squash(main_html(site("real") / "north-wales" / "index.html"))
    assert messages.t("review.notice", "en") not in english


def test_the_welsh_decision_aid_keeps_the_review_notice_on_every_screen_not_only_its_first():
    article = _tree(site("real") / "cy" / "next" / "index.html")
    notice = _elements_holding(article, messages.t("review.notice", "cy")[:60])
    intro = _elements_holding(article, messages.t("page.next_intro", "cy")[:40])
    assert notice and intro
    in_intro = [n for n in (notice[0], *notice[0].ancestors()) if "data-wz-intro" in n.attrs]
    assert in_intro == [], "the notice is inside the first screen's intro, which the wizard hides"
    assert any("data-wz-intro" in n.attrs for n in intro[0].ancestors())


def test_the_table_of_contents_marks_the_partnerships_english_headings_and_keeps_the_english_anchors():
    """Material repeats each heading in the table of contents as plain text: a quotation from the English
    text must be marked there too, and every section keeps the English page's anchor (the switch keeps it)."""
    welsh = site("real") / "cy" / "north-wales" / "index.html"
    english = site("real") / "north-wales" / "index.html"
    toc = {}
    for link in _tree(welsh).descendants("a"):
        href = link.attrs.get("href", "")
        if href.startswith("#") and "md-nav__link" in link.attrs.get("class", ""):
            toc[href[1:]] = [_language_of(span) for span in link.elements()]
    readings = [anchor for anchor in toc if anchor.startswith("reading-north-wales-")]
    assert readings and all(toc[anchor] == ["en"] for anchor in readings)
    assert toc["principles"] == ["cy"]  # the interface's own Welsh heading is not marked English
    english_anchors = {link.attrs["href"] for link in _tree(english).descendants("a")
                       if link.attrs.get("href", "").startswith("#") and "md-nav__link" in link.attrs.get("class", "")}
    assert {f"#{anchor}" for anchor in toc} == english_anchors


def test_the_notice_goes_once_a_reviewer_signs_the_catalogue_off(monkeypatch):
    assert welsh.review_notice()
    monkeypatch.setattr(messages, "review_status", lambda language: "reviewed")
    assert welsh.review_notice() == ""


def _switch(page: Path):
    links = [a for a in _tree(page).descendants("a") if "data-keep-query" in a.attrs]
    assert len(links) == 1, page
    return links[0]


@pytest.mark.parametrize("english", ["", "north-wales/", "north-wales/2018-11-28/", "north-wales/changes/", "compare/"])
def test_the_switch_leads_to_the_same_page_in_the_other_language_and_back(english):
    real = site("real")
    to_welsh = _switch(real / english / "index.html")
    assert to_welsh.attrs["lang"] == "cy" and to_welsh.attrs["hreflang"] == "cy"
    assert to_welsh.text == messages.t("language.switch.to_cy", "cy")
    welsh_path = (Path("/") / english / to_welsh.attrs["href"]).resolve()
    assert welsh_path == (Path("/cy") / english).resolve()
    back = _switch(real / "cy" / english / "index.html")
    assert back.attrs["lang"] == "en" and back.text == messages.t("language.switch.to_en", "en")
    assert (Path("/cy") / english / back.attrs["href"]).resolve() == (Path("/") / english).resolve()


def test_pages_with_one_language_have_no_switch():
    real = site("real")
    for page in ("swindon/index.html", "swindon/changes/index.html", "about/index.html"):
        assert not [a for a in _tree(real / page).descendants("a") if "data-keep-query" in a.attrs], page


# --- The model's Welsh view ----------------------------------------------------------------------------

def test_localise_takes_the_spec_welsh_by_field_path_and_leaves_as_printed_fields_alone():
    protocol = load.load_protocol(FIXTURE)
    view = welsh.localise(protocol)
    assert view.partnership.name == "Bwrdd Diogelu Cymru Fixture" and isinstance(view.partnership.name, welsh.Welsh)
    assert isinstance(view.routes[0].stages[1].title, welsh.English) and view.routes[0].stages[1].title == "Managers"
    assert view.routes[0].stages[0].actions == ("Siaradwch â'r gweithiwr arall.",)
    assert type(view.contacts[0].phone) is str and view.contacts[0].phone == "01234 567890"
    assert type(view.partnership.id) is str and view.routes[0].stages[0].timescale.days == 2
    # Every text field is one or the other: nothing slips through unmarked.
    unmarked = []

    def walk(value, path):
        if isinstance(value, str) and not isinstance(value, welsh.English | welsh.Welsh) and value:
            unmarked.append(path)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                if f.name not in load.AS_PRINTED | {"cy", "source_path"}:
                    walk(getattr(value, f.name), f"{path}.{f.name}")

    walk(view, "")
    assert unmarked == []


# --- The compare page in Welsh -----------------------------------------------------------------------

def test_the_welsh_compare_page_has_every_partnership_with_our_words_in_welsh():
    page = site("real") / "cy" / "compare" / "index.html"
    article = _tree(page)
    words = squash(main_html(page))
    assert re.search(r'<html lang="cy"', page.read_text(encoding="utf-8"))
    for message_id in ("compare.title", "compare.intro", "compare.col.timescales", "compare.col.top",
                       "compare.english_note"):
        assert messages.t(message_id, "cy") in words, message_id
        assert messages.t(message_id, "en") not in words, message_id
    assert "Tachwedd 2020" in words and "November" not in words  # North Wales's review, overdue, in Welsh
    assert "working days" not in words
    # Every partnership, English ones too, each linked: to its Welsh pages where it has them, else its English.
    links = {a.text: a.attrs["href"] for a in article.descendants("a") if a.text in
             ("Calderdale", "HIPS", "Kirklees", "North Wales", "Swindon")}
    assert links == {"Calderdale": "../../calderdale/", "HIPS": "../../hips/", "Kirklees": "../../kirklees/",
                     "North Wales": "../north-wales/", "Swindon": "../../swindon/"}
    # The partnerships' words are their English (none has published Welsh here), marked so.
    for text in ("Strategic Safeguarding Partnership Manager", "Swindon"):
        holders = _elements_holding(article, text)
        assert holders and {_language_of(h) for h in holders} == {"en"}, text


def test_the_english_compare_page_is_worded_as_before():
    words = squash(main_html(site("real") / "compare" / "index.html"))
    for text in ("Compare protocols", "Timescale of each stage", "Review status as of 1 March 2026.",
                 "20 working days", "<strong>Overdue</strong> (was due November 2020)"):
        assert text in words, text


def test_the_welsh_pages_compare_button_leads_to_the_welsh_compare_page():
    page = site("real") / "cy" / "north-wales" / "index.html"
    buttons = [a for a in _tree(page).descendants("a") if "md-button" in a.attrs.get("class", "")
               and a.text == messages.t("page.compare", "cy")]
    assert buttons and all(a.attrs["href"] == "../compare/" for a in buttons)


def test_the_fixtures_own_welsh_shows_on_the_welsh_compare_page():
    page = fixture_site() / "cy" / "compare" / "index.html"
    article = _tree(page)
    holders = _elements_holding(article, "Llwybr safonol") + _elements_holding(article, "Line manager")
    assert holders and {_language_of(h) for h in _elements_holding(article, "Line manager")} == {"en"}


# --- Flowcharts in Welsh on the Welsh pages ----------------------------------------------------------

def test_the_welsh_pages_draw_their_flowcharts_in_welsh_and_link_welsh_downloads():
    real = site("real")
    for rel in ("cy/north-wales/index.html", "cy/north-wales/2018-11-28/index.html"):
        page = real / rel
        hrefs = [a.attrs["href"] for a in _tree(page).descendants("a") if "/flowcharts/" in "/" + a.attrs.get("href", "")]
        downloads = {Path(h).name: (page.parent / h).resolve() for h in hrefs}
        assert set(downloads) == {"standard.pdf", "standard.png", "trainers-pack.pdf", "pocket-card.pdf"}, rel
        for name, target in downloads.items():
            assert target.is_file(), (rel, name)
            # Ours in Welsh under cy/, the pocket card too (tests/test_welsh_pocket.py).
            assert "/cy/" in target.as_posix(), (rel, name)
        svg = main_html(page)
        assert messages.t("chart.start", "cy") in svg and messages.t("chart.start", "en") not in svg
    english = real / "north-wales" / "2018-11-28" / "flowcharts"
    welsh_files = real / "cy" / "north-wales" / "2018-11-28" / "flowcharts"
    assert (english / "standard.png").read_bytes() != (welsh_files / "standard.png").read_bytes()
    from pypdf import PdfReader

    assert PdfReader(welsh_files / "trainers-pack.pdf").metadata.title.startswith("North Wales Safeguarding Board: "
                                                                                  "siartiau llif")
    assert "escalation flowcharts" in PdfReader(english / "trainers-pack.pdf").metadata.title


def test_only_partnerships_with_welsh_pages_are_drawn_in_welsh():
    drawn = {p.relative_to(site("real") / "cy").parts[0] for p in (site("real") / "cy").rglob("flowcharts/*")}
    assert drawn == {"north-wales"}


def test_a_routes_tab_label_marks_the_partnerships_english_title():
    page = site("real") / "cy" / "north-wales" / "index.html"
    labels = [label for label in _tree(page).descendants("label") if "Resolution of professional disputes" in label.text]
    assert labels
    for label in labels:
        spans = [s for s in label.descendants("span") if s.attrs.get("lang") == "en"]
        assert [s.text for s in spans] == ["Resolution of professional disputes"]
    english = site("real") / "north-wales" / "index.html"
    assert not [s for label in _tree(english).descendants("label") for s in label.descendants("span")
                if s.attrs.get("lang")]


def test_the_welsh_pages_link_the_english_feeds_titled_in_welsh_and_marked_english():
    def feeds(page: Path) -> list[dict]:
        return [link.attrs for link in _tree(page).descendants("link") if link.attrs.get("rel") == "alternate"]

    real = site("real")
    welsh_links = feeds(real / "cy" / "north-wales" / "index.html")
    assert {link["href"] for link in welsh_links} == {"../../feed.xml", "../../feed-north-wales.xml"}
    assert all(link.get("hreflang") == "en" for link in welsh_links)
    assert {link["title"] for link in welsh_links} == {
        messages.t("feed.link.site_in_english", "cy", site="Escalation Guide"),
        messages.t("feed.link.partnership_in_english", "cy", site="Escalation Guide")}
    english_links = feeds(real / "north-wales" / "index.html")
    assert {link["href"] for link in english_links} == {"../feed.xml", "../feed-north-wales.xml"}
    assert not any("hreflang" in link for link in english_links)
    assert all((real / "north-wales" / link["href"]).resolve().is_file() for link in english_links)


def test_the_themes_configured_words_are_welsh_on_welsh_pages_and_english_on_english_ones():
    real = site("real")
    for rel in ("cy/north-wales/index.html", "cy/compare/index.html", "cy/next/index.html", "cy/index.html"):
        text = (real / rel).read_text(encoding="utf-8")
        for message_id in welsh.THEME_WORDS:
            assert f'"{messages.t(message_id, "en")}"' not in text, (rel, message_id)
        assert html.escape(messages.t("theme.to_dark", "cy"), quote=True) in text, rel
    english = (real / "north-wales" / "index.html").read_text(encoding="utf-8")
    assert all(f'"{messages.t(message_id, "en")}"' in english for message_id in welsh.THEME_WORDS)


def test_the_welsh_home_page_leads_to_the_welsh_compare_page():
    home = site("real") / "cy" / "index.html"
    links = {a.text: a.attrs["href"] for a in _tree(home).descendants("a")}
    assert links[messages.t("page.compare", "cy")] == "compare/"
