"""The built site says what the YAML says, for every protocol, version and route, and needs no network."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from site_builds import FIXTURE_VERSIONS, ROOT, build_into, main_html, main_text, site

from generator import build, load
from generator.core import engine, model
from generator.views import pages

PROTOCOLS = load.load_tree(ROOT / "protocols")
CURRENT = {s.id: s.current for s in pages.group(PROTOCOLS)}
STAGES = [pytest.param(p, route, stage, id=f"{p.id}-{p.version.id}-{route.id}-{stage.number}")
          for p in PROTOCOLS for route in p.routes for stage in route.stages]


@pytest.fixture(scope="module")
def real() -> Path:
    return site("real")


@pytest.fixture(scope="module")
def versions() -> Path:
    return site("versions")


def squash(text: str) -> str:
    return " ".join(text.split())


# --- Every stage of every route, on the current page and on its version page -----------------------

@pytest.mark.parametrize(("protocol", "route", "stage"), STAGES)
def test_every_stage_title_role_and_timescale_wording_is_on_its_pages(real, protocol, route, stage):
    for page in (real / protocol.id / "index.html", real / protocol.id / protocol.version.id / "index.html"):
        text = main_text(page)
        for field in (stage.title, stage.role, stage.counterpart, stage.timescale.wording):
            assert squash(field) in text, f"{field!r} missing from {page}"


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.id)
def test_every_route_is_a_content_tab_with_its_flowchart_and_text_version(real, protocol):
    body = main_html(real / protocol.id / "index.html")
    labels = re.findall(r'<label for="__tabbed_\d+_\d+">(.*?)</label>', body)
    assert len(labels) == len(protocol.routes)
    for route, label in zip(protocol.routes, labels, strict=True):
        assert squash(route.title) in squash(label.replace("&amp;", "&"))
    assert body.count("<svg") >= len(protocol.routes)
    assert body.count('class="ec-flowchart"') == len(protocol.routes)
    assert "ECFLOWCHART" not in body  # every placeholder was replaced by its drawing
    assert body.count("Text version of this flowchart") == len(protocol.routes)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.id)
def test_flowchart_downloads_and_trainers_pack_are_linked_and_present(real, protocol):
    page = real / protocol.id / "index.html"
    links = re.findall(r'href="([^"]*flowcharts/[^"]+)"', main_html(page))
    # A PDF and a PNG per route, the trainer's pack and the pocket card.
    assert len(links) == 2 * len(protocol.routes) + 2
    for link in links:
        target = (page.parent / link).resolve()
        assert target.is_file(), link
        magic = b"%PDF" if target.suffix == ".pdf" else b"\x89PNG"
        assert target.read_bytes().startswith(magic), link
    if shutil.which("pdfinfo"):
        pack = page.parent / protocol.version.id / "flowcharts" / "trainers-pack.pdf"
        info = subprocess.run(["pdfinfo", str(pack)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(protocol.routes))


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.id)
def test_immediate_danger_box_comes_first_with_999_and_the_protocols_contacts(real, protocol):
    text = main_text(real / protocol.id / "index.html")
    box = text.index("If someone is in immediate danger")
    assert box < text.index("Escalation routes")
    danger = text[box:text.index("Escalation routes")]
    if engine.names_999(protocol):  # Swindon: its own words say "dial 999"
        assert "General advice" not in danger and "999" in danger
    else:  # the others never mention 999: it is ours, and says so
        assert squash(engine.GENERAL_999) in danger
    for contact_id in protocol.risk.immediate_danger_contacts:
        assert squash(protocol.contact(contact_id).name) in text[box:text.index("Escalation routes")]
    for line in protocol.risk.immediate_danger:
        assert squash(line) in text


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.id)
def test_protocol_page_sections_and_decision_aid_link(real, protocol):
    body = main_html(real / protocol.id / "index.html")
    text = main_text(real / protocol.id / "index.html")
    for item in (*protocol.principles, *protocol.typical_causes, *protocol.scope_exclusions,
                 protocol.version.source_title, *(c.name for c in protocol.contacts)):
        assert squash(item) in text
    assert f'href="../next/?protocol={protocol.id}"' in body


# --- Review status ----------------------------------------------------------------------------------

OVERDUE = {"north-wales": "November 2020", "swindon": "January 2026"}  # due dates read from the sources


@pytest.mark.parametrize("partnership", ["north-wales", "swindon"])
def test_overdue_review_warning_on_every_page_of_the_protocol(real, partnership):
    protocol = CURRENT[partnership]
    for page in (real / partnership / "index.html", real / partnership / protocol.version.id / "index.html",
                 real / partnership / "changes" / "index.html"):
        body = main_html(page)
        warning = re.search(r'<div class="admonition warning">\s*<p class="admonition-title">Review overdue</p>'
                            r'\s*<p>(.*?)</p>', body, re.S)
        assert warning, page
        assert OVERDUE[partnership] in warning.group(1)


def test_home_lists_every_partnership_and_warns_about_overdue_reviews(real):
    text = main_text(real / "index.html")
    warning = re.search(r'<div class="admonition warning">\s*<p class="admonition-title">Some protocols are past '
                        r"their review date</p>(.*?)</div>", main_html(real / "index.html"), re.S).group(1)
    assert "North Wales" in warning and "Swindon" in warning
    assert "Calderdale" not in warning and "Kirklees" not in warning
    for protocol in CURRENT.values():
        assert protocol.partnership.name in text
    assert 'href="next/"' in main_html(real / "index.html")
    assert 'href="publishing/"' in main_html(real / "index.html")


@pytest.mark.parametrize("partnership", ["kirklees", "hips"])
def test_protocol_with_no_known_dates_says_so(real, partnership):
    text = main_text(real / partnership / "index.html")
    assert "Dates not known" in text
    assert "Review overdue" not in text


def test_review_status_boundary_worked_by_hand():
    north_wales = CURRENT["north-wales"]  # review due "2020-11": overdue from 1 December 2020
    assert pages.review_status(north_wales, dt.date(2020, 11, 30)).kind == "due"
    assert pages.review_status(north_wales, dt.date(2020, 12, 1)).kind == "overdue"
    assert pages.review_status(CURRENT["calderdale"], dt.date(2026, 3, 1)).kind == "no-review"


# --- Comparison page --------------------------------------------------------------------------------

# Worked out by hand from each source's standard route (sum of the working-day timescales).
COMPARE = {
    "swindon": ("5", "22 working days", "Yes", "Children"),
    "north-wales": ("4", "20 working days", "No", "Children and adults at risk"),
    "hips": ("4", "8 working days", "No", "Children"),  # 1, then 2 for stages 2 and 3 together, then 5
    # the one calendar month over steps 1 to 4 binds: the ideals of 10 working days a step (40) are never a total
    "kirklees": ("4", "Stages 1 to 4: within 1 calendar month in total", "No", "Children"),
    "calderdale": ("6", "5 working days to the end of stage 5; from stage 6 on: not stated", "Yes",
                   "Children and adults at risk"),
}


def _compare_rows(real: Path) -> dict[str, list[str]]:
    body = main_html(real / "compare" / "index.html")
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]:
        cells = [squash(re.sub(r"<br\s*/?>", " | ", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        cells = [squash(re.sub(r"<[^>]+>", "", c)).replace("&amp;", "&") for c in cells]
        partnership = re.search(r'href="\.\./([^/]+)/"', row).group(1)
        rows[partnership] = cells
    return rows


def test_compare_page_has_one_row_per_protocol_with_hand_worked_figures(real):
    rows = _compare_rows(real)
    assert set(rows) == set(COMPARE)
    for partnership, (stages, total, urgent, covers) in COMPARE.items():
        cells = rows[partnership]
        assert cells[1] == stages
        assert cells[3].startswith(total), (partnership, cells[3])
        assert cells[5] == urgent
        assert cells[6] == covers
    assert rows["swindon"][7].startswith("Overdue") and rows["north-wales"][7].startswith("Overdue")
    assert rows["kirklees"][7] == "Dates not known"
    assert "Stages 1 to 5: within 5 working days in total" in rows["calderdale"][3]


def test_compare_page_lists_each_stage_timescale_and_top_decider(real):
    rows = _compare_rows(real)
    assert rows["swindon"][2] == ("1: 2 working days | 2: 5 working days | 3: 5 working days"
                                  " | 4: 5 working days | 5: 5 working days")
    assert rows["kirklees"][2].startswith("1: ideally 10 working days | 2: ideally 10 working days")
    assert rows["swindon"][4] == "Strategic Safeguarding Partnership Manager, Swindon Safeguarding Partnership"


# --- Versions, superseded banner, what changed ------------------------------------------------------

def test_every_fixture_version_has_a_page_and_old_ones_say_superseded(versions):
    for version in ("2022-06", "2024-01"):
        body = main_html(versions / "testshire" / version / "index.html")
        banner = re.search(r'<div class="admonition warning">\s*<p class="admonition-title">'
                           r"Superseded by the text issued September 2025</p>(.*?)</div>", body, re.S)
        assert banner, version
        assert 'href="../"' in banner.group(1)  # links to the current version
    current = main_html(versions / "testshire" / "2025-09" / "index.html")
    assert "Superseded" not in current
    assert "Superseded" not in main_html(versions / "testshire" / "index.html")


def test_version_selector_links_every_version(versions):
    body = main_html(versions / "testshire" / "index.html")
    for version in ("2022-06", "2024-01"):
        assert f'href="{version}/"' in body
    old = main_html(versions / "testshire" / "2022-06" / "index.html")
    assert 'href="../2024-01/"' in old and 'href="../2025-09/"' in old


def test_old_version_page_shows_the_old_stages(versions):
    text = main_text(versions / "testshire" / "2022-06" / "index.html")
    assert "within three working days of the completion of Stage 1" in text
    assert "Team / Inspectors / Service Manager" not in text


def test_changes_page_lists_hand_worked_differences_newest_first(versions):
    text = main_text(versions / "testshire" / "changes" / "index.html")
    newer, older = text.index("Version 2024-01 to 2025-09"), text.index("Version 2022-06 to 2024-01")
    assert newer < older
    assert "Review date changed from January 2026 to September 2027." in text[newer:older]
    assert "added" not in text[newer:older]
    later = text[older:]
    for expected in (
        "stage 3 “Team / Inspectors / Service Manager” added",
        "stage 2 “Inter-agency Discussion”: timescale changed from within 3 working days to within 5 working days",
        "stage 4 “Heads / Leads / Directors of Service” was stage 3",
        "who acts changed from “Heads of Service” to “Heads / Directors of Service”",
        "stage 5 “Testshire Safeguarding Partnership” was stage 4",
        "Contact added: Local Authority Designated Officer (LADO)",
        "phone changed from 01632 960001 to 01632 960002",
        "Added a stage for team and service managers.",  # the partnership's own summary
    ):
        assert expected in later, expected


def test_current_version_not_overdue_has_no_review_warning(versions):
    assert "Review overdue" not in main_text(versions / "testshire" / "index.html")


# --- Self-contained: nothing from other origins -----------------------------------------------------

_RESOURCE = re.compile(r"<(?:script|img|iframe|source|audio|video|embed|object)\b[^>]*\b(?:src|data)=\"(https?:)?//",
                       re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_CDN = re.compile(r"https?://(?:[a-z0-9-]+\.)*(?:unpkg\.com|jsdelivr\.net|googleapis\.com|gstatic\.com|cdnjs\."
                  r"cloudflare\.com|api\.github\.com)[^\s\"'`)]*", re.I)
# Material's bundle can fetch these only when a page uses Mermaid, the browser lacks ResizeObserver, or
# mkdocs.yml sets repo_url: none of which holds (checked below), and the browser tests watch every request.
MATERIAL_CONDITIONAL_LOADERS = ("https://unpkg.com/mermaid", "https://unpkg.com/resize-observer-polyfill",
                                "https://api.github.com/repos/", "https://api.github.com/users/")


def test_no_resource_from_another_origin_in_any_built_file(real):
    problems = []
    for path in real.rglob("*"):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            if _RESOURCE.search(text):
                problems.append(f"{path}: external resource")
            for tag in _LINK_TAG.findall(text):
                if re.search(r'href="(https?:)?//', tag) and 'rel="canonical"' not in tag:
                    problems.append(f"{path}: {tag}")
            if re.search(r"fonts\.(googleapis|gstatic)\.com|unpkg\.com|cdn\.jsdelivr", text):
                problems.append(f"{path}: CDN reference")
        if path.suffix == ".css" and re.search(r"(@import|url\()\s*[\"']?(https?:)?//", text):
            problems.append(f"{path}: external CSS resource")
        if path.suffix == ".js":
            for url in _CDN.findall(text):
                if not url.startswith(MATERIAL_CONDITIONAL_LOADERS):
                    problems.append(f"{path}: {url}")
    assert problems == []


def test_material_conditional_loaders_stay_off(real):
    assert "repo_url" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not [p for p in real.rglob("*.html") if 'class="mermaid"' in p.read_text(encoding="utf-8")]


def test_search_index_is_built_into_the_site(real):
    index = real / "search" / "search_index.json"
    assert index.is_file() and "Internal Discussion" in index.read_text(encoding="utf-8")


def test_no_generated_page_is_written_into_docs():
    assert not (ROOT / "docs" / "swindon").exists()
    assert not (ROOT / "docs" / "compare.md").exists()


# --- A broken spec stops the build and leaves the previous site ------------------------------------

def _broken_tree(tmp_path: Path) -> tuple[Path, Path, int]:
    tree = tmp_path / "protocols"
    shutil.copytree(FIXTURE_VERSIONS, tree)
    spec = tree / "testshire" / "2024-01.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.strip() == "days: 5")
    lines[number] = lines[number].replace("days: 5", "days: five")
    spec.write_text("".join(lines), encoding="utf-8")
    return tree, spec, number + 1


def test_broken_spec_fails_with_file_and_line_and_leaves_previous_site(tmp_path):
    tree, spec, line = _broken_tree(tmp_path)
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "index.html").write_text("previous site", encoding="utf-8")
    with pytest.raises(build.BuildError) as failure:
        build_into(tmp_path, tree)
    message = str(failure.value)
    assert f"{spec}:{line}:" in message and "expected a whole number" in message
    assert "Traceback" not in message
    assert (dest / "index.html").read_text(encoding="utf-8") == "previous site"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_guidance_build_command_reports_the_spec_error_without_traceback(tmp_path):
    tree, spec, line = _broken_tree(tmp_path)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--protocols", str(tree),
                             "--site-dir", str(tmp_path / "out")],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{spec}:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_successful_build_replaces_the_previous_site(tmp_path):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "stale.html").write_text("old", encoding="utf-8")
    assert build_into(tmp_path, FIXTURE_VERSIONS).site == dest.resolve()
    assert not (dest / "stale.html").exists()
    assert (dest / "testshire" / "2022-06" / "index.html").is_file()


# --- Small pieces worked by hand -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["a *b* _c_ `d` <e> [f](g) | h # i & j \\ k"])
def test_markdown_escaping_renders_back_to_the_source_text(text):
    import markdown

    rendered = markdown.markdown(pages.md(text), extensions=["tables"])
    assert squash(re.sub(r"</?p>", "", rendered).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) \
        == text


def test_route_total_counts_working_days_and_names_the_stages_without_one():
    def stage(n, **ts):
        return model.Stage(number=n, title=f"S{n}", role="r", timescale=model.Timescale(wording="w", **ts))

    route = model.Route(id="r", title="R", question="q", stages=(
        stage(1, kind="working_days", days=3), stage(2, kind="agreed"), stage(3, kind="same_working_day"),
        stage(4, kind="working_days", days=10), stage(5, kind="none")))
    assert pages.route_total(route).text == "3 working days to the end of stage 1; from stage 2 on: not stated"
    counted = model.Route(id="r", title="R", question="q", stages=(
        stage(1, kind="working_days", days=3), stage(2, kind="same_working_day"), stage(3, kind="working_days", days=4)))
    assert pages.route_total(counted).text == "7 working days"
