"""Hostile input found by the adversarial re-check (audit), one test per class of defect:

- a typed date in any other form than YYYY-MM-DD (20261223, the ISO week date 2026-W52-3) was read as a
  date by `guidance next` and the engine's browser door, though nobody types it and nobody could check it;
- stage end dates out of order (stage 2 ending before stage 1) were accepted and counted from;
- a stage number in other digits than ASCII ('３', '3_0' read as thirty) was accepted;
- a spec file of megabytes was read whole (seconds and hundreds of megabytes) before any limit named it;
- a spec saved in another encoding than UTF-8 was reported at line 1 with Python's byte offset;
- an unquoted telephone number (a long number) was told "expected a whole number of a sensible size".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typed import run_typed

from generator import load
from generator.cli import main
from generator.core import engine
from generator.core.calendar import calendar_for

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["next", "--protocols", str(ROOT / "protocols"), *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- typed dates: YYYY-MM-DD only -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["20261223", "2026-W52-3", "2026W523", "2026-W52", "2026-12-23 ", "+2026-12-23"])
def test_cli_refuses_dates_not_written_yyyy_mm_dd(capsys, text):
    with pytest.raises(SystemExit) as caught:
        main(["next", "--protocols", str(ROOT / "protocols"), "--protocol", "hips", "--completed-stage", "1",
              "--on", text, "--today", "2026-12-23"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "is not a date as YYYY-MM-DD" in err and "Traceback" not in err


@pytest.mark.parametrize("text", ["20261223", "2026-W52-3"])
def test_engine_door_refuses_dates_not_written_yyyy_mm_dd(text):
    with pytest.raises(engine.AnswerError) as caught:
        engine.answers_from_dict({"on": text, "today": "2026-12-23"})
    assert caught.value.field == "on"
    with pytest.raises(engine.AnswerError) as caught:
        engine.answers_from_dict({"on": "2026-12-22", "today": "2026-12-23", "completed_stage": 2,
                                  "stage_ends": {"1": text}})
    assert caught.value.field == "stage_ends"


def test_iso_date_reads_the_one_form():
    assert engine.iso_date("2028-02-29") == dt.date(2028, 2, 29)
    for text in ("2027-02-29", "2026-13-01", "2026-12-3", "２０２６-12-23", "2026-12-23\n"):
        with pytest.raises(ValueError):
            engine.iso_date(text)


@pytest.mark.parametrize("text", ["３", "3_0", "+3", " 3"])
def test_cli_refuses_stage_numbers_not_in_ascii_digits(capsys, text):
    with pytest.raises(SystemExit) as caught:
        main(["next", "--protocols", str(ROOT / "protocols"), "--protocol", "hips", "--completed-stage", text,
              "--on", "2026-12-23", "--today", "2026-12-23"])
    assert caught.value.code == 2
    assert "is not a stage number" in capsys.readouterr().err


# --- stage end dates out of order ---------------------------------------------------------------------------

def test_a_later_stage_cannot_end_before_an_earlier_one(capsys):
    # Swindon: stage 3 ended 23 Dec; stage 2 "ended" 10 Dec, before stage 1's 20 Dec.
    code, out, err = run(capsys, "--protocol", "swindon", "--completed-stage", "3", "--on", "2026-12-23",
                         "--stage-ended", "1=2026-12-20", "--stage-ended", "2=2026-12-10", "--today", "2026-12-23")
    assert code == 2 and out == ""
    assert "Stage 2 cannot have ended on Thu 10 Dec 2026" in err


def test_stage_ends_in_order_or_on_one_day_are_accepted(capsys):
    code, out, _ = run(capsys, "--protocol", "swindon", "--completed-stage", "3", "--on", "2026-12-23",
                       "--stage-ended", "1=2026-12-10", "--stage-ended", "2=2026-12-10", "--today", "2026-12-23")
    assert code == 0 and "Next: stage 4" in out


def test_engine_refuses_out_of_order_ends_from_any_caller():
    protocol = load.load_protocol(ROOT / "protocols" / "swindon" / "2024-01.yaml")
    calendar = calendar_for("england", 2020, 2030)
    answers = engine.Answers(completed_stage=4, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                             stage_ends=((1, dt.date(2026, 12, 1)), (2, dt.date(2026, 12, 14)),
                                         (3, dt.date(2026, 12, 11))))
    with pytest.raises(engine.AnswerError) as caught:
        engine.advise(protocol, answers, calendar)
    assert caught.value.field == "stage_ends" and "Stage 3" in caught.value.message
    twice = engine.Answers(completed_stage=4, on=dt.date(2026, 12, 23), today=dt.date(2026, 12, 23),
                           stage_ends=((2, dt.date(2026, 12, 1)), (2, dt.date(2026, 12, 14))))
    with pytest.raises(engine.AnswerError):
        engine.advise(protocol, twice, calendar)


# --- spec files: size, encoding, numbers meant as text -------------------------------------------------------

def _tree(tmp_path: Path, raw: bytes) -> Path:
    folder = tmp_path / "protocols" / "minimal"
    folder.mkdir(parents=True)
    (folder / "2025-01.yaml").write_bytes(raw)
    return tmp_path / "protocols"


def test_a_file_of_megabytes_is_refused_by_its_size(tmp_path, capsys):
    raw = MINIMAL.read_bytes() + b"principles:\n" + b"  - p\n" * 200_000
    protocols = _tree(tmp_path, raw)
    assert main(["check", "--no-drawings", str(protocols)]) == 1
    err = capsys.readouterr().err
    assert f"2025-01.yaml:1:1: the file is {len(raw):,} bytes; expected a protocol spec of at most" in err
    with pytest.raises(load.SpecError):
        load.load_text(raw.decode("utf-8"), "x.yaml")


def test_a_spec_just_under_the_limit_still_loads(tmp_path):
    padding = load.MAX_FILE_BYTES - len(MINIMAL.read_bytes()) - 100
    raw = MINIMAL.read_bytes() + b"# " + b"x" * padding + b"\n"
    protocol = load.load_protocol(_tree(tmp_path, raw) / "minimal" / "2025-01.yaml")
    assert protocol.id == "minimal"


def test_a_byte_that_is_not_utf8_is_named_at_its_line_and_column(tmp_path):
    raw = MINIMAL.read_bytes().replace(b"  short_name: Minimal\n", b"  short_name: Caf\xe9\n")
    with pytest.raises(load.SpecError) as caught:
        load.load_protocol(_tree(tmp_path, raw) / "minimal" / "2025-01.yaml")
    message = str(caught.value)
    assert message.endswith("2025-01.yaml:6:18: expected UTF-8 text; the byte 0xE9 here is not UTF-8 (the file "
                            "was probably saved in another encoding, such as Windows-1252: save it again as UTF-8)")


def test_a_utf16_file_is_named_as_such(tmp_path):
    raw = b"\xff\xfe" + MINIMAL.read_text(encoding="utf-8").encode("utf-16-le")
    with pytest.raises(load.SpecError) as caught:
        load.load_protocol(_tree(tmp_path, raw) / "minimal" / "2025-01.yaml")
    assert "the file is saved as UTF-16; expected UTF-8 text" in str(caught.value)


def test_an_unquoted_telephone_number_is_told_to_use_quotes():
    text = MINIMAL.read_text(encoding="utf-8")
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace('phone: "01234 567890"', "phone: 01234567890"), "protocols/minimal/2025-01.yaml")
    message = str(caught.value)
    assert "2025-01.yaml:17:12: contacts[0].phone: got the number 01234567890" in message
    assert "put it in quotes" in message and "sensible size" not in message
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace('phone: "01234 567890"', "phone: 999"), "protocols/minimal/2025-01.yaml")
    assert str(caught.value).endswith("contacts[0].phone: expected text; got 999 (YAML reads it as a number or "
                                      "true/false: put it in quotes if it is meant as text)")


# --- labels: a text is named by its date, never by our file name ("version undated") ------------------------

def test_feeds_name_each_text_by_its_date_never_by_the_version_id(tmp_path):
    import feedparser

    from generator.views import feeds

    protocols = load.load_tree(ROOT / "protocols")
    feeds.write_feeds(protocols, tmp_path, today=dt.date(2026, 12, 1), site_url=None)
    kirklees = feedparser.parse((tmp_path / "feed-kirklees.xml").read_bytes())
    swindon = feedparser.parse((tmp_path / "feed-swindon.xml").read_bytes())
    titles = [e.title for e in kirklees.entries] + [e.title for e in swindon.entries]
    assert "Kirklees: protocol (undated text)" in titles
    assert "Swindon: protocol (issued January 2024) has passed its review date (January 2026)" in titles
    everything = " ".join(e.title + e.summary + e.get("content", [{}])[0].get("value", "")
                          for e in kirklees.entries + swindon.entries)
    assert "version undated" not in everything and "version 2024-01" not in everything.lower()


# --- guidance ask: the date its own hint shows is a date it takes ---------------------------------------------

def _ask(replies: list[str], today: str = "2026-12-24") -> tuple[int, str]:
    return run_typed(["ask", "--today", today, "--protocols", str(ROOT / "protocols")], replies)


# North Wales: danger no, unsafe no, one route (not asked), stage 1 ended, then its date: no further question.
NORTH_WALES = ["north-wales", "no", "no", "1"]


@pytest.mark.parametrize("typed", ["23 12 2026", "23/12/2026", "23.12.2026", "2026-12-23"])
def test_ask_takes_the_day_month_year_its_hint_shows(typed):
    from generator.core import messages

    assert "23 12 2026" in messages.t("q.on.hint")  # the hint the terminal prints
    code, text = _ask(NORTH_WALES + [typed])
    assert code == 0, text
    # 5 working days after Wed 23 Dec 2026: 24, 29, 30, 31 Dec, 4 Jan (25, 28 Dec and 1 Jan are bank holidays).
    assert "Latest date: Mon 4 Jan 2027" in text and "is not a real date" not in text


def test_ask_fills_in_today_for_an_empty_date_as_its_hint_says():
    code, text = _ask(NORTH_WALES + [""], today="2026-12-23")
    assert code == 0 and "Latest date: Mon 4 Jan 2027" in text
    assert "YYYY-MM-DD [2026-12-23]>" not in text  # the prompt goes to input(), not the printed text


def test_ask_quotes_an_impossible_date_as_typed():
    code, text = _ask(NORTH_WALES + ["31 02 2026"])
    assert code == 2
    assert "'31 02 2026' is not a real date" in text


def test_the_urgent_route_named_must_be_marked_urgent():
    text = MINIMAL.read_text(encoding="utf-8").replace("  urgent_route: null", "  urgent_route: standard")
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text, "protocols/minimal/2025-01.yaml")
    assert str(caught.value) == ("protocols/minimal/2025-01.yaml:22:17: risk.urgent_route: the route 'standard' is "
                                 "named as the urgent route but is not marked 'urgent: true'; expected the route "
                                 "about immediate risk, marked urgent")
    marked = text.replace("    question: Anything else\n", "    question: Anything else\n    urgent: true\n")
    assert load.load_text(marked, "protocols/minimal/2025-01.yaml").risk.urgent_route == "standard"


# --- command input: refused at once, with what was expected ---------------------------------------------------

def test_build_refuses_a_site_dir_it_could_never_write_before_building(tmp_path, capsys):
    a_file = tmp_path / "site.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    assert main(["build", "--site-dir", str(a_file)]) == 2
    assert f"--site-dir {a_file}: is a file; expected a folder for the site" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "site"
    assert main(["build", "--site-dir", str(missing)]) == 2
    assert f"the folder {missing.parent} does not exist; create it first" in capsys.readouterr().err
    assert not (tmp_path / "no").exists() and a_file.read_text(encoding="utf-8") == "not a folder"


def test_diff_says_a_folder_is_not_a_spec_file(capsys):
    assert main(["diff", str(ROOT / "protocols"), str(ROOT / "protocols" / "swindon" / "2024-01.yaml")]) == 2
    assert "is a folder; expected a spec file" in capsys.readouterr().err


def test_a_file_system_refusal_is_a_message_naming_the_file(monkeypatch, capsys):
    import generator.cli as cli

    def refuse(args):
        raise PermissionError(13, "Permission denied", "/srv/site/index.html")

    monkeypatch.setattr(cli, "_check", refuse)
    assert main(["check", str(ROOT / "protocols")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "guidance: cannot write or read /srv/site/index.html: Permission denied"


# --- pages: a step inside a limit across stages never reads as having no limit ---------------------------------

def _page(partnership: str) -> str:
    from generator.views import pages

    series = next(s for s in pages.group(load.load_tree(ROOT / "protocols")) if s.current.id == partnership)
    protocol = series.current
    charts = {r.id: pages.Flowchart(figure="", text=()) for r in protocol.routes}
    page = pages.ProtocolPage(series=series, protocol=protocol, review=pages.review_status(protocol, dt.date(2026, 12, 1)),
                              links=pages.Links(root="../../", partnership="../", version="./"), has_next=True,
                              flowcharts=charts)
    return pages.protocol_page(page)


def test_calderdale_steps_1_to_5_show_their_limit_across_stages_by_when():
    text = _page("calderdale")
    standard = text.split("/// tab | Resolving professional disagreements and disputes", 1)[1].split("///", 1)[0]
    by_when = [line.strip() for line in standard.splitlines() if line.strip().startswith(":   **")
               and ("limit" in line or "timescale" in line.lower() or "delay" in line.lower())]
    for step in range(1, 6):
        assert (f":   **Stage {step} has no limit of its own.** Stages 1 to 5: within 5 working days in total."
                in by_when), by_when
    assert not any("No timescale given" in line for line in by_when)
    # A step outside every limit still says the text gives none (the conference routes).
    assert "**No timescale given.**" in text


# --- which text is in force is never a guess ---------------------------------------------------------------

def _versions(tmp_path: Path, ids: list[str]) -> Path:
    folder = tmp_path / "protocols" / "minimal"
    folder.mkdir(parents=True)
    for version in ids:
        text = MINIMAL.read_text(encoding="utf-8").replace('id: "2025-01"', f'id: "{version}"')
        (folder / f"{version}.yaml").write_text(text.replace('issued: "2025-01-15"', "issued: unknown"),
                                                encoding="utf-8")
    return tmp_path / "protocols"


@pytest.mark.parametrize("ids", [["undated", "2026-04"], ["undated", "revised"], ["v1", "2026-04"], ["v1", "w2"]])
def test_version_ids_that_do_not_order_one_way_are_refused(tmp_path, ids):
    # 'undated' sorted above a new '2026-04' (a word after a number): the old text stayed in force.
    with pytest.raises(load.SpecError) as caught:
        load.load_tree(_versions(tmp_path, ids))
    message = str(caught.value)
    for version in ids:
        assert f"{version}.yaml:10:7: version.id: the versions of 'minimal' (" in message
    assert "do not order one way" in message


@pytest.mark.parametrize(("ids", "current"), [(["2025-01", "2026-04", "2026-04-15"], "2026-04-15"),
                                              (["v1", "v2", "v10"], "v10"), (["undated"], "undated")])
def test_version_ids_of_one_shape_order_by_their_numbers(tmp_path, ids, current):
    from generator.core import model

    protocols = load.load_tree(_versions(tmp_path, ids))
    assert model.current_versions(protocols)["minimal"].version.id == current


# --- the decision aid: no calendar reminder where someone is at risk ---------------------------------------

def _screen(answers: dict, today: str) -> dict:
    from generator.core import screens
    from generator.views import bundle

    protocols = {p.id: p for p in bundle.current_versions(load.load_tree(ROOT / "protocols"))}
    data = bundle.bundle_data(list(protocols.values()), 2016, 2032, "engine.whl")
    context = {"lang": "en", "today": today, "stamp": "20261226T100000Z", "url": "https://example.org/next/"}
    view = screens.screen(protocols, data, answers, None, context)
    assert view["screen"] == "answer", view
    return view


def _buttons(view: dict) -> list[str]:
    return [item["action"] for block in view["blocks"] if block["kind"] == "buttons" for item in block["items"]]


@pytest.mark.parametrize("answers", [
    # Swindon's urgent route on Boxing Day (a Saturday): its date, Tue 29 Dec (Mon 28 Dec is the substitute
    # day), is only the formal in-hours step's; a reminder then would read as "wait till Tuesday".
    {"protocol": "swindon", "danger": "yes", "unsafe": "no", "stage": "none", "on": "2026-12-26"},
    {"protocol": "swindon", "danger": "no", "unsafe": "yes", "stage": "none", "on": "2026-12-26"},
    # North Wales has no urgent route: danger keeps the usual dates, the latest allowed, never a time to wait.
    {"protocol": "north-wales", "danger": "yes", "unsafe": "no", "route": "standard", "stage": "none",
     "on": "2026-12-26"},
    # Calderdale's 24-hour escalation, chosen through "not safe".
    {"protocol": "calderdale", "danger": "no", "unsafe": "yes", "route": "standard", "stage": "none",
     "on": "2026-12-26"},
])
def test_no_calendar_file_on_an_answer_about_immediate_risk(answers):
    view = _screen(answers, "2026-12-26")
    result = view["result"]["advice"]
    assert result["deadline"] and result["immediate_actions"]  # a date is shown, and what to do today first
    assert view["ics"] is None and _buttons(view) == ["print"]


def test_the_calendar_file_stays_for_an_answer_that_may_wait():
    view = _screen({"protocol": "north-wales", "danger": "no", "unsafe": "no", "route": "standard", "stage": "none",
                    "on": "2026-12-23"}, "2026-12-23")
    assert view["ics"]["filename"] == "escalation-deadline-2027-01-04.ics" and _buttons(view) == ["print", "ics"]


@pytest.mark.parametrize("configured", ["20261223", "2026-W52-3", "2026-12", "2026-12-23T10:00"])
def test_the_configured_clock_is_yyyy_mm_dd_only(monkeypatch, configured):
    monkeypatch.setenv(load.TODAY_ENV, configured)
    with pytest.raises(load.ClockError):
        load.today()
    monkeypatch.setenv(load.TODAY_ENV, "2026-12-23")
    assert load.today() == dt.date(2026, 12, 23)


# --- guidance new: the ids name folders and files, so they are checked before anything is written ----------

@pytest.mark.parametrize(("args", "expected"), [
    (["north-yorkshire", "--version", "../../x"], "'../../x' is not a version id"),
    (["north-yorkshire", "--version", "2026-W52"], "'2026-W52' is not a version id"),
    (["north-yorkshire", "--version", "2026-1"], "--version: expected a dated version id as YYYY-MM or YYYY-MM-DD"),
    (["north-yorkshire", "--version", "changes"], "--version: 'changes' is reserved for a page of the site"),
    (["north-yorkshire", "--version", "v02"], "--version: expected numbers in a version id without leading zeros"),
    (["search"], "'search' is the name of a page or folder of the site"),
    (["north-yorkshire\n"], "is not a partnership id"),
    (["a" * 41], "is not a partnership id"),
])
def test_new_refuses_ids_the_loader_would_refuse_and_writes_nothing(tmp_path, monkeypatch, capsys, args, expected):
    monkeypatch.chdir(tmp_path)
    assert main(["new", *args]) == 2
    assert expected in capsys.readouterr().err
    assert list(tmp_path.rglob("*.yaml")) == []


def test_new_still_writes_a_spec_for_good_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "north-yorkshire", "--version", "v2"]) == 0
    assert (tmp_path / "protocols" / "north-yorkshire" / "v2.yaml").is_file()


# --- schema patterns mean what JSON Schema means: "$" is the end of the text, digits are 0 to 9 -------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  - id: standard\n", '  - id: "standard\\n"\n',
     "24:9: routes[0].id: expected a short id of lower-case letters, digits and hyphens; got 'standard\\n'"),
    ("  - id: front-door\n", '  - id: "front-door\\n"\n', "15:9: contacts[0].id: expected a short id"),
    ('    phone: "01234 567890"\n', '    phone: "01234 567890"\n    email: "a@b.org\\n"\n',
     "18:12: contacts[0].email: expected an e-mail address such as name@example.org, or empty; got 'a@b.org\\n'"),
    ('    phone: "01234 567890"\n', '    phone: "01234 567890\\n"\n', "17:12: contacts[0].phone: expected a telephone"),
    ('    phone: "01234 567890"\n', '    phone: "01234 567890"\n    website: "https://example.org/\\n"\n',
     "18:14: contacts[0].website: expected a link starting https://"),
    ('issued: "2025-01-15"', 'issued: "２０２５-01-15"', "11:11: version.issued: expected a date as YYYY-MM-DD"),
])
def test_a_trailing_newline_or_other_digits_never_pass_a_pattern(old, new, expected):
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace(old, new, 1), "protocols/minimal/2025-01.yaml")
    assert f"protocols/minimal/2025-01.yaml:{expected}" in str(caught.value)


def test_check_takes_one_partnerships_folder(capsys):
    assert main(["check", "--no-drawings", str(ROOT / "protocols" / "swindon")]) == 0
    assert "swindon/2024-01.yaml: Swindon Safeguarding Partnership" in capsys.readouterr().out


def test_swindon_keeps_the_texts_own_words_on_delay():
    protocol = load.load_protocol(ROOT / "protocols" / "swindon" / "2024-01.yaml")
    seed_words = ["they can be resolved together, with minimum delay",
                  "All disputes should be resolved in a timely way, at the earliest possible level, so that the "
                  "welfare of the child remains paramount."]
    principles = " ".join(" ".join(protocol.principles).split())
    for words in seed_words:
        assert words in principles


def test_the_builds_spec_cache_never_reads_a_file_the_loader_refuses_by_its_size(tmp_path, monkeypatch):
    """A spec over the size limit is refused from its size; the build's cache must not read it whole first."""
    import pathlib

    from generator import build

    huge = tmp_path / "p" / "2026-01.yaml"
    huge.parent.mkdir()
    huge.write_bytes(b"#" * (load.MAX_FILE_BYTES + 1))
    real_read = pathlib.Path.read_bytes

    def read_bytes(self):
        assert self != huge, "the over-size spec was read"
        return real_read(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    assert build._spec_cache_file(tmp_path / "cache", huge) is None
    small = tmp_path / "p" / "2026-02.yaml"
    small.write_bytes(b"a: 1\n")
    assert build._spec_cache_file(tmp_path / "cache", small) is not None


# --- a wrong type where the checks beyond the schema expect a list; a value with a line break ----------

CALDERDALE = ROOT / "protocols" / "calderdale" / "2024-10.yaml"


@pytest.mark.parametrize(("field", "value"), [
    ("  immediate_danger_contacts:", '  immediate_danger_contacts: "0\\n"'),  # a text where a list belongs
    ("  immediate_danger_contacts:", '  immediate_danger_contacts: "ab"'),
])
def test_a_text_where_a_list_of_ids_belongs_is_one_problem_not_one_per_letter(field, value):
    """Found by the fuzz test: the schema said "expected a list", then each letter was looked up as a contact
    id, and the line break in the value broke the file:line:column output in two."""
    text = CALDERDALE.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(field))
    end = at + 1
    while end < len(lines) and lines[end].startswith("    - "):
        end += 1
    mutated = "\n".join(lines[:at] + [value] + lines[end:]) + "\n"
    with pytest.raises(load.SpecError) as raised:
        load.load_text(mutated, "protocols/calderdale/2024-10.yaml")
    messages = str(raised.value).splitlines()
    assert len(messages) == 1, messages
    assert "immediate_danger_contacts: expected a list" in messages[0]
    assert "no contact with id" not in messages[0]


def test_a_line_break_inside_a_quoted_id_is_shown_escaped_on_the_problems_own_line():
    text = CALDERDALE.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  immediate_danger_contacts:"))
    mutated = "\n".join(lines[:at] + ['  immediate_danger_contacts: ["nobody\\nhere"]'] + lines[at + 1:]) + "\n"
    with pytest.raises(load.SpecError) as raised:
        load.load_text(mutated, "protocols/calderdale/2024-10.yaml")
    messages = str(raised.value).splitlines()
    unknown = [m for m in messages if "no contact with id" in m]
    assert unknown and all(m.startswith("protocols/calderdale/2024-10.yaml:") for m in messages)
    assert "'nobody\\nhere'" in unknown[0]
