"""The message catalogue (core/messages.py with catalogue/en.json): the words every output shares.

Each expectation is the English catalogue's sentence filled by hand: dates on a calendar, counts
singular and plural, the timescale and cap wording for every kind of timescale the specs use.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.core import messages
from generator.core.calendar import Skipped
from generator.core.model import Cap, Contact, Timescale


@pytest.fixture
def fake_catalogues(monkeypatch):
    """English and a partial 'xx' catalogue, so fallback is tested without depending on a real translation."""
    books = {"en": {"greeting": "Hello {name}", "plain": "Plain {not a placeholder}", "only.en": "English only",
                    "date.month.long": "January February March April May June July August September October "
                                       "November December"},
             "xx": {"greeting": "{name}, hallo", "date.month.long": "Ion Chw Maw Ebr Mai Meh Gor Aws Med Hyd Tach Rha"}}

    def read(language):
        if language not in books:
            raise LookupError(f"No message catalogue for language {language!r}.")
        return books[language]

    monkeypatch.setattr(messages, "_read", read)
    messages.catalogue.cache_clear()
    yield books
    messages.catalogue.cache_clear()


# --- looking messages up -----------------------------------------------------------------------------

def test_placeholders_are_filled_by_name(fake_catalogues):
    assert messages.t("greeting", name="Sam") == "Hello Sam"
    assert messages.t("greeting", "xx", name="Sam") == "Sam, hallo"


def test_a_message_without_values_is_returned_as_written_braces_and_all(fake_catalogues):
    assert messages.t("plain") == "Plain {not a placeholder}"


def test_a_missing_translation_falls_back_to_english(fake_catalogues):
    assert messages.t("only.en", "xx") == "English only"
    assert messages.catalogue("xx")["greeting"] == "{name}, hallo"
    assert messages.catalogue()["greeting"] == "Hello {name}"


def test_a_missing_id_is_a_clear_error_naming_the_id(fake_catalogues):
    with pytest.raises(messages.UnknownMessage) as raised:
        messages.t("no.such.message")
    assert raised.value.args == ("no.such.message",)
    assert isinstance(raised.value, KeyError)


def test_an_unknown_language_is_refused_by_name():
    messages.catalogue.cache_clear()
    with pytest.raises(LookupError, match="No message catalogue for language 'zz'."):
        messages.t("q.yes", "zz")


def test_the_real_catalogue_lists_english_and_its_own_name():
    assert "en" in messages.languages()
    assert all(not name.endswith(".json") for name in messages.languages())
    assert list(messages.languages()) == sorted(messages.languages())
    assert messages.t("_language") == "English"
    assert messages.for_browser() == messages.catalogue()
    assert messages.for_browser() is not messages.catalogue()


def test_words_splits_a_list_message():
    assert messages.words("date.weekday.short") == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# --- dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 12, 30), "Wed 30 Dec 2026"),
    (dt.date(2026, 1, 4), "Sun 4 Jan 2026"),
    (dt.date(2027, 3, 1), "Mon 1 Mar 2027"),
    (dt.date(2024, 2, 29), "Thu 29 Feb 2024"),
])
def test_short_dates_name_the_weekday(day, text):
    assert messages.date_short(day) == text


@pytest.mark.parametrize(("parts", "text"), [
    ((2026, 12, 23), "23 December 2026"),
    ((2026, 1, 1), "1 January 2026"),
    ((2020, 11, None), "November 2020"),
    ((2018, 1), "January 2018"),
])
def test_long_dates_and_dates_given_only_to_the_month(parts, text):
    assert messages.date_long(*parts) == text


def test_long_dates_take_the_month_names_of_the_language(fake_catalogues):
    fake_catalogues["xx"]["date.long"] = "{day} {month} {year}"
    fake_catalogues["xx"]["date.month_year"] = "{month} {year}"
    fake_catalogues["en"]["date.long"] = "{month} {day}, {year}"
    fake_catalogues["en"]["date.month_year"] = "{month}/{year}"
    messages.catalogue.cache_clear()
    assert messages.date_long(2026, 12, 30, "xx") == "30 Rha 2026"
    assert messages.date_long(2026, 2, None, "xx") == "Chw 2026"
    assert messages.date_long(2026, 2, 3) == "February 3, 2026"
    assert messages.date_long(2026, 2) == "February/2026"


def test_bank_holidays_stepped_over_are_named():
    christmas = Skipped(dt.date(2026, 12, 25), "Christmas Day")
    boxing = Skipped(dt.date(2026, 12, 28), "Boxing Day (substitute day)")
    new_year = Skipped(dt.date(2027, 1, 1), "New Year's Day")
    assert messages.skipped_text([]) == ""
    assert messages.skipped_text([christmas]) == "Fri 25 Dec (Christmas Day) is not a working day"
    assert messages.skipped_text([christmas, boxing]) == (
        "Fri 25 Dec (Christmas Day) and Mon 28 Dec (Boxing Day (substitute day)) are not working days")
    assert messages.skipped_text(s for s in [christmas, boxing, new_year]) == (
        "Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day (substitute day)) and Fri 1 Jan (New Year's Day) "
        "are not working days")


# --- lists, counts, stages --------------------------------------------------------------------------

@pytest.mark.parametrize(("items", "text"), [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"), ([1, 2], "1 and 2"),
])
def test_and_list(items, text):
    assert messages.and_list(items) == text


@pytest.mark.parametrize(("number", "unit", "text"), [
    (1, "working_day", "1 working day"), (0, "working_day", "0 working days"), (2, "working_day", "2 working days"),
    (17, "working_day", "17 working days"),
    (1, "calendar_month", "1 calendar month"), (3, "calendar_month", "3 calendar months"),
    (1, "clock_hour", "1 hour (clock hours, weekends and bank holidays included)"),
    (24, "clock_hour", "24 hours (clock hours, weekends and bank holidays included)"),
])
def test_counts_are_singular_only_for_one(number, unit, text):
    assert messages.count(number, unit) == text


@pytest.mark.parametrize(("numbers", "text"), [
    ((2,), "Stage 2"), ((3, 2), "Stages 2 and 3"), ((1, 2, 3, 4, 5), "Stages 1 to 5"), ((4, 3, 2), "Stages 2 to 4"),
    ((1, 3, 4), "Stages 1, 3 and 4"), ((1, 2, 4), "Stages 1, 2 and 4"), ((1, 3), "Stages 1 and 3"),
])
def test_stage_ranges(numbers, text):
    assert messages.stage_range(numbers) == text


# --- timescales and caps, for every kind --------------------------------------------------------------

def ts(kind, **fields):
    return Timescale(kind=kind, **fields)


@pytest.mark.parametrize(("timescale", "stage", "text"), [
    (ts("without_delay"), 2, "without delay"),
    (ts("none"), 2, "no timescale given"),
    (ts("event"), 2, "no timescale given"),
    (ts("agreed"), 1, "agreed timescale"),
    (ts("agreed", days=5), 1, "agreed timescale, within 5 working days"),
    (ts("agreed", days=5, guideline=True), 1, "agreed timescale, ideally within 5 working days"),
    (ts("agreed", months=1), 1, "agreed timescale, within 1 calendar month"),
    (ts("working_days", days=5), 2, "within 5 working days"),
    (ts("working_days", days=1), 2, "within 1 working day"),
    (ts("working_days", days=5, guideline=True), 2, "ideally within 5 working days"),
    (ts("same_working_day"), 1, "same working day"),
    (ts("calendar_months", months=1), 2, "within 1 calendar month"),
    (ts("calendar_months", months=2), None, "within 2 calendar months"),
    (ts("clock_hours", hours=24), 1, "within 24 hours (clock hours, weekends and bank holidays included)"),
    # the anchor is said where it is not the end of the stage before
    (ts("working_days", days=17, anchor="disagreement_arose"), 4,
     "within 17 working days of the disagreement arising"),
    (ts("working_days", days=17, anchor="disagreement_arose"), None,
     "within 17 working days of the disagreement arising"),
    (ts("working_days", days=5, anchor="disagreement_arose"), 1, "within 5 working days"),
    (ts("working_days", days=2, anchor="stage_end", anchor_stage=1), 3,
     "within 2 working days of the end of stage 1"),
    (ts("working_days", days=2, anchor="stage_end", anchor_stage=1), None,
     "within 2 working days of the end of stage 1"),
    (ts("working_days", days=2, anchor="stage_end", anchor_stage=1), 2, "within 2 working days"),
    (ts("working_days", days=2, anchor="stage_end"), 3, "within 2 working days"),
    (ts("working_days", days=2, anchor="stage_end", anchor_stage=2, guideline=True), 4,
     "ideally within 2 working days of the end of stage 2"),
])
def test_timescale_short_for_every_kind(timescale, stage, text):
    assert messages.timescale_short(timescale, stage_number=stage) == text


def test_a_working_days_timescale_without_days_is_refused():
    with pytest.raises(ValueError) as raised:
        messages.timescale_short(ts("working_days"), stage_number=2)
    assert str(raised.value) == "a 'working_days' timescale needs a number of working days"


def test_months_alone_read_as_calendar_months_whatever_the_kind_says():
    assert messages.timescale_short(ts("working_days", months=1), stage_number=2) == "within 1 calendar month"


@pytest.mark.parametrize(("cap", "text"), [
    # Swindon: Day 17 over stages 1 to 4, from the disagreement arising (stage 1 is where it arose)
    (Cap(id="c", stages=(1, 2, 3, 4), timescale=ts("working_days", days=17, anchor="disagreement_arose")),
     "Stages 1 to 4: within 17 working days in total"),
    # Kirklees: one calendar month for the whole process
    (Cap(id="c", stages=(1, 2, 3, 4), timescale=ts("calendar_months", months=1, anchor="disagreement_arose")),
     "Stages 1 to 4: within 1 calendar month in total"),
    # HIPS: stages 2 and 3 within two working days of the end of stage 1
    (Cap(id="c", stages=(2, 3), timescale=ts("working_days", days=2, anchor="stage_end", anchor_stage=1)),
     "Stages 2 and 3: within 2 working days in total, counted from the end of stage 1"),
    (Cap(id="c", stages=(2, 3), timescale=ts("working_days", days=3, anchor="disagreement_arose")),
     "Stages 2 and 3: within 3 working days in total, counted from the day the disagreement arose"),
    (Cap(id="c", stages=(2, 3), timescale=ts("working_days", days=3, guideline=True)),
     "Stages 2 and 3: ideally within 3 working days in total"),
    (Cap(id="c", stages=(1, 2), timescale=ts("clock_hours", hours=24)),
     "Stages 1 and 2: within 24 hours (clock hours, weekends and bank holidays included)"),
    (Cap(id="c", stages=(1, 2), timescale=ts("same_working_day")), "Stages 1 and 2: same working day"),
    (Cap(id="c", stages=(1, 2), timescale=ts("without_delay")), "Stages 1 and 2: without delay"),
    (Cap(id="c", stages=(1, 2), timescale=ts("agreed", days=5)), "Stages 1 and 2: agreed timescale, within 5 working days in total"),
    (Cap(id="c", stages=(1, 2), timescale=ts("stage_end", anchor="stage_end")), "Stages 1 and 2: no timescale given"),
])
def test_cap_wording_for_every_kind(cap, text):
    assert messages.cap_text(cap) == text


# --- contacts and people ----------------------------------------------------------------------------

def test_contact_lines_in_one_order_from_a_model_or_a_dict():
    mash = Contact(id="mash", name="MASH", phone="01793 466903", email="mash@swindon.gov.uk",
                   website="https://example.org", hours="Mon to Fri 8.45 to 5", notes="not shown")
    assert messages.contact_details(mash) == ("01793 466903, mash@swindon.gov.uk, https://example.org, "
                                              "Mon to Fri 8.45 to 5")
    assert messages.contact_line(mash) == "MASH: 01793 466903, mash@swindon.gov.uk, https://example.org, Mon to Fri 8.45 to 5"
    as_dict = {"name": "EDT", "phone": "", "email": "edt@example.org", "website": None, "hours": "out of hours"}
    assert messages.contact_line(as_dict) == "EDT: edt@example.org, out of hours"
    assert messages.contact_line({"name": "Duty team"}) == "Duty team"
    assert messages.contact_line(Contact(id="x", name="Named nurse")) == "Named nurse"
    assert messages.contact_details({"name": "n", "website": "https://w"}) == "https://w"


@pytest.mark.parametrize(("covers", "text"), [
    (("children",), "child"), (("adults",), "adult"), (("children", "adults"), "child or adult"),
    (("adults", "children"), "adult or child"), ((), "child or adult"), (("families",), "child or adult"),
])
def test_who_the_protocol_protects(covers, text):
    assert messages.person(covers) == text


def test_quotes_are_added_once():
    assert messages.quote("within 5 working days") == '"within 5 working days"'
    assert messages.quote('"a" and "b"') == '"a" and "b"'


def test_a_contact_without_some_fields_reads_them_as_empty():
    class Bare:  # a contact-like object carrying only a name and a phone
        name = "Front door"
        phone = "01484 456848"

    assert messages.contact_line(Bare()) == "Front door: 01484 456848"


@pytest.fixture
def marked_language(monkeypatch):
    """'xx': every English sentence marked with a leading '~', so each word shown proves `language` reached it."""
    english = messages._read("en")
    marked = {k: ("~" + v if not k.startswith("date.") or k in ("date.skipped_one", "date.skipped_many") else v)
              for k, v in english.items()}
    marked["date.month.short"] = " ".join(f"m{n}" for n in range(1, 13))
    marked["date.weekday.short"] = " ".join(f"w{n}" for n in range(1, 8))
    monkeypatch.setattr(messages, "_read", lambda language: english if language == "en" else marked)
    messages.catalogue.cache_clear()
    yield
    messages.catalogue.cache_clear()


def test_every_piece_of_wording_speaks_the_language_asked_for(marked_language):
    xx = "xx"
    assert messages.stage_range((2,), xx) == "~Stage 2"
    assert messages.stage_range((1, 2, 3), xx) == "~Stages 1 to 3"
    assert messages.stage_range((1, 3), xx) == "~Stages ~1 and 3"
    assert messages.and_list(["a", "b", "c"], xx) == "~a~, b and c"
    assert messages.person(("children",), xx) == "~child"
    assert messages.person(("children", "adults"), xx) == "~~child or ~adult"
    assert messages.person((), xx) == "~~child or ~adult"
    assert messages.skipped_text([Skipped(dt.date(2026, 12, 25), "Christmas Day")], xx) == (
        "~w5 25 m12 (~Christmas Day) is not a working day")  # the holiday's name from the catalogue too
    assert messages.skipped_text([Skipped(dt.date(2026, 12, 25), "C"), Skipped(dt.date(2026, 12, 28), "B")], xx) == (
        "~~w5 25 m12 (C) and w1 28 m12 (B) are not working days")
    assert messages.count(2, "working_day", xx) == "~2 working days"
    arising = ts("working_days", days=17, anchor="disagreement_arose")
    assert messages.timescale_short(arising, stage_number=4, language=xx) == (
        "~~within ~17 working days of the disagreement arising")
    assert messages.timescale_short(ts("same_working_day", guideline=True), stage_number=1, language=xx) == (
        "~ideally ~same working day")
    assert messages.timescale_short(ts("clock_hours", hours=1), stage_number=1, language=xx).startswith("~within ~1")
    assert messages.timescale_short(ts("calendar_months", months=1), stage_number=1, language=xx) == (
        "~within ~1 calendar month")
    assert messages.timescale_short(ts("agreed", days=2), stage_number=1, language=xx) == (
        "~agreed timescale, ~within ~2 working days")
    assert messages.timescale_short(ts("agreed"), stage_number=1, language=xx) == "~agreed timescale"
    assert messages.timescale_short(ts("without_delay"), language=xx) == "~without delay"
    assert messages.timescale_short(ts("none"), language=xx) == "~no timescale given"
    hips = Cap(id="c", stages=(2, 3), timescale=ts("working_days", days=2, anchor="stage_end", anchor_stage=1,
                                                    guideline=True))
    assert messages.cap_text(hips, xx) == (
        "~~~~Stages ~2 and 3: ~ideally ~within ~2 working days in total, counted from the end of stage 1")
    late = Cap(id="c", stages=(2, 3), timescale=ts("working_days", days=3, anchor="disagreement_arose"))
    assert messages.cap_text(late, xx).startswith("~~~~Stages") and late.timescale.days == 3
    assert messages.cap_text(Cap(id="c", stages=(1,), timescale=ts("without_delay")), xx) == (
        "~~Stage 1: ~without delay")
    contact = {"name": "MASH", "phone": "1", "email": "m@x"}
    assert messages.contact_details(contact, xx) == "1~, m@x"
    assert messages.contact_line(contact, xx) == "~MASH: 1~, m@x"


@pytest.mark.parametrize("language", ["../en", "en/../en", "xx", ""])
def test_a_language_that_is_not_a_catalogue_is_refused_never_read_as_a_path(language):
    messages.catalogue.cache_clear()
    with pytest.raises(LookupError, match="No message catalogue"):
        messages.catalogue(language)
