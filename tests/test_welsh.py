"""Welsh (Cymraeg): a complete catalogue, its review status, dates in Welsh, and the command line in Welsh."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from generator.core import messages

CATALOGUES = Path(messages.__file__).parent / "catalogue"


def _raw(language: str) -> dict[str, str]:
    return json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))


def test_every_english_message_has_a_welsh_entry_that_is_not_empty():
    english, welsh = _raw("en"), _raw("cy")
    missing = sorted(set(english) - set(welsh))
    empty = sorted(k for k, v in welsh.items() if not str(v).strip())
    assert missing == [] and empty == [], f"missing: {missing}; empty: {empty}"
    assert set(welsh) - set(english) == set(), "Welsh ids that English does not have"


def test_placeholders_are_the_same_in_both_languages():
    english, welsh = _raw("en"), _raw("cy")
    differ = {k: (sorted(messages.placeholders(english[k])), sorted(messages.placeholders(welsh[k])))
              for k in english if k in welsh and messages.placeholders(english[k]) != messages.placeholders(welsh[k])}
    assert differ == {}


def test_the_placeholder_check_can_fail():
    assert messages.placeholders("{stage} of {route}") != messages.placeholders("cam {stage} o {llwybr}")


def test_word_lists_have_the_right_number_of_names():
    for message_id, length in (("date.weekday.short", 7), ("date.weekday.long", 7), ("date.month.short", 12),
                               ("date.month.long", 12)):
        assert len(messages.words(message_id, "cy")) == length, message_id


def test_the_welsh_catalogue_records_its_review_status_as_draft_until_signed_off():
    assert messages.review_status("cy") == "draft"
    assert messages.review_status("en") == "source"
    assert messages.t("review.notice", "cy") != messages.t("review.notice", "en")


def test_dates_in_welsh_hand_checked():
    christmas = dt.date(2026, 12, 25)
    assert messages.date_full(christmas, "cy") == "dydd Gwener 25 Rhagfyr 2026"
    assert messages.date_full(christmas) == "Friday 25 December 2026"
    assert messages.date_short(dt.date(2026, 12, 30), "cy") == "Mer 30 Rhag 2026"
    assert messages.date_full(dt.date(2027, 1, 4), "cy") == "dydd Llun 4 Ionawr 2027"
    assert messages.date_full(dt.date(2027, 3, 7), "cy") == "dydd Sul 7 Mawrth 2027"
    assert messages.date_full(dt.date(2027, 6, 5), "cy") == "dydd Sadwrn 5 Mehefin 2027"
    assert messages.date_long(2020, 11, language="cy") == "Tachwedd 2020"
    # every weekday and month name in a week and a year of dates, against the list written out by hand
    weekdays = ["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn", "Sul"]
    for offset in range(7):
        day = dt.date(2026, 11, 30) + dt.timedelta(days=offset)  # Monday 30 November 2026
        assert messages.date_full(day, "cy").startswith(f"dydd {weekdays[offset]} ")
    months = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
              "Tachwedd", "Rhagfyr"]
    assert [messages.date_long(2027, m, 1, "cy") for m in range(1, 13)] == [f"1 {m} 2027" for m in months]


def test_counts_and_stages_in_welsh():
    assert messages.count(5, "working_day", "cy") == "5 diwrnod gwaith"
    assert messages.stage_range((1, 2, 3), "cy") == "Camau 1 i 3"
    assert messages.stage_range((2, 3), "cy") == "Camau 2 a 3"


@pytest.mark.parametrize("language", ["cy"])
def test_questions_are_asked_in_welsh(language):
    from generator import load
    from generator.core import model, questions

    root = Path(__file__).resolve().parents[1] / "protocols"
    protocols = model.current_versions(load.load_tree(root))
    step = questions.next_step(protocols, {}, language)
    assert step.question.heading == "Protocol pa bartneriaeth ydych chi'n ei ddilyn?"


def test_guidance_next_answers_in_welsh_for_north_wales_with_the_same_dates(capsys):
    from generator import cli

    root = str(Path(__file__).resolve().parents[1] / "protocols")
    common = ["next", "--protocol", "north-wales", "--not-started", "--on", "2026-12-24", "--today", "2026-12-24",
              "--protocols", root]
    assert cli.main(common + ["--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert cli.main(common + ["--json", "--lang", "cy"]) == 0
    welsh = json.loads(capsys.readouterr().out)
    # the same answer data; only the words differ
    assert [row["latest_date"] for row in welsh["timeline"]] == [row["latest_date"] for row in english["timeline"]]
    assert welsh["deadline"] == english["deadline"] == "2027-01-05"
    assert welsh["deadline_text"] == "Maw 5 Ion 2027" and welsh["deadline_label"] == "Y dyddiad olaf"
    assert cli.main(common + ["--lang", "cy"]) == 0
    text = capsys.readouterr().out
    assert "Nesaf: cam 1, " in text and "Y dyddiad olaf: Maw 5 Ion 2027" in text
    assert "Gweddill y llwybr" in text and "Cam 2, Line manager to line manager: Maw 12 Ion 2027" in text
    assert "Tachwedd 2020" in text  # the review date of the 2018 protocol, in Welsh


def test_guidance_next_refuses_a_language_it_has_no_catalogue_for(capsys):
    from generator import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["next", "--protocol", "north-wales", "--not-started", "--on", "2026-12-24", "--lang", "fr"])
    assert stop.value.code == 2


def test_guidance_ask_in_welsh(capsys):
    from generator import cli

    root = str(Path(__file__).resolve().parents[1] / "protocols")
    replies = iter(["north-wales", "no", "no", "standard", "none", "2026-12-24"])
    args = cli._parser().parse_args(["ask", "--today", "2026-12-24", "--lang", "cy", "--protocols", root])
    assert cli._ask(args, read=lambda prompt: next(replies)) == 0
    out = capsys.readouterr().out
    assert "Protocol pa bartneriaeth ydych chi'n ei ddilyn?" in out and "A oes unrhyw un mewn perygl" in out
    assert "Y dyddiad olaf: Maw 5 Ion 2027" in out


def test_the_reason_for_a_date_is_worded_in_welsh_with_welsh_dates(capsys):
    from generator import cli

    root = str(Path(__file__).resolve().parents[1] / "protocols")
    assert cli.main(["next", "--protocol", "north-wales", "--not-started", "--on", "2026-12-24", "--today",
                     "2026-12-24", "--immediate-danger", "--json", "--lang", "cy", "--protocols", root]) == 0
    advice = json.loads(capsys.readouterr().out)
    # Danger was answered yes: the date is only the latest for the formal in-hours step, said in Welsh too.
    assert advice["deadline_rule"].startswith(
        "Y dyddiad olaf ar gyfer y cam ffurfiol yn ystod oriau gwaith (gweithredwch heddiw beth bynnag: nid yw'r "
        "dyddiad hwn byth yn rheswm i aros): Maw 5 Ion 2027, 5 diwrnod gwaith ar ôl Iau 24 Rhag 2026")
    assert "Nid yw Gwe 25 Rhag (Dydd Nadolig)" in advice["deadline_rule"]  # the bank holiday named in Welsh
    assert advice["immediate_actions"][0].startswith("Gweithredwch heddiw")
    # the protocol's own words stay as published (it has no Welsh text): quoted in English
    assert "(five working days)" in advice["deadline_rule"]


# --- the partnership's own Welsh text in a spec --------------------------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "specs" / "cymru-fixture" / "2025-01.yaml"


def _fixture():
    from generator import load

    return load.load_protocol(FIXTURE, in_tree=False)


def test_the_fixture_shows_its_welsh_text_and_the_fallback_line_elsewhere():
    from generator.views import bilingual

    protocol = _fixture()
    welsh = bilingual.text_html(protocol, "routes[0].stages[0].title", protocol.routes[0].stages[0].title, "cy")
    assert str(welsh) == "Siarad"
    fallback = str(bilingual.text_html(protocol, "routes[0].stages[1].title", protocol.routes[0].stages[1].title,
                                       "cy"))
    assert fallback.startswith('<span lang="en">Managers</span>')
    assert "Nid yw'r bartneriaeth wedi cyhoeddi'r rhan hon yn Gymraeg." in html.unescape(fallback)
    assert str(bilingual.text_html(protocol, "routes[0].stages[0].title", "Talk", "en")) == "Talk"
    assert bilingual.welsh_pages(protocol)


def test_fallback_english_is_escaped():
    from dataclasses import replace

    from generator.views import bilingual

    protocol = replace(_fixture(), cy=())
    html = str(bilingual.text_html(protocol, "notes", "<script>alert(1)</script>", "cy"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_english_partnerships_get_no_welsh_pages():
    from generator import load
    from generator.core import model
    from generator.views import bilingual

    root = Path(__file__).resolve().parents[1] / "protocols"
    current = model.current_versions(load.load_tree(root))
    assert {pid for pid, p in current.items() if bilingual.welsh_pages(p)} == {"north-wales"}


@pytest.mark.parametrize("entry, expected", [
    ("  routes[0].stages[5].title: Dim\n", "'routes[0].stages[5].title' names no field of this spec"),
    ("  contacts[0].phone: \"01234 000000\"\n", "'phone' is shown exactly as printed in both languages"),
    ("  routes[0].stages: Dim\n", "'routes[0].stages' is not a text field"),
    ("  routes..title: Dim\n", "'routes..title' is not a field path"),
])
def test_a_wrong_welsh_entry_is_named_with_file_line_and_field(entry, expected):
    from generator import load

    text = FIXTURE.read_text(encoding="utf-8") + entry
    line = text.count("\n")  # the entry is the file's last line
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text, "cymru-fixture/2025-01.yaml", in_tree=False)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert problems[0].line == line and problems[0].field.startswith("cy.")
    assert expected in problems[0].message


def test_an_empty_welsh_entry_is_refused():
    from generator import load

    with pytest.raises(load.SpecError):
        load.load_text(FIXTURE.read_text(encoding="utf-8") + "  notes: \" \"\n", "x/2025-01.yaml", in_tree=False)


def test_field_paths_read_as_the_checker_writes_them():
    from generator import load

    assert load.field_path_parts("routes[0].stages[1].actions[2]") == ["routes", 0, "stages", 1, "actions", 2]
    assert load.field_path_parts("partnership.name") == ["partnership", "name"]
    for bad in ("", "[0]", "routes.", "routes[0]title", "routes[x]"):
        assert load.field_path_parts(bad) is None, bad


def test_every_translation_records_a_known_review_status():
    for language in messages.languages():
        if language != "en":
            assert _raw(language).get("_review_status") in ("draft", "reviewed"), language
