"""The loader reads plain YAML 1.2 data only, and refuses every spec the build would refuse, with file:line.

One case per class of input that once got a traceback, a silent misreading or a page replaced: aliases,
deep nesting, keys that are not text, YAML 1.1 booleans and octals, floats for whole numbers, control
characters, impossible month dates, reserved ids, version ids spelt two ways, and files that would not
be published.
"""

import time
from pathlib import Path

import pytest

from generator import load
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"
SPEC = "protocols/minimal/2025-01.yaml"


def broken(old: str, new: str) -> list[str]:
    text = MINIMAL.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text.replace(old, new, 1), SPEC)
    return str(caught.value).splitlines()


def loaded(old: str, new: str):
    text = MINIMAL.read_text()
    assert old in text
    return load.load_text(text.replace(old, new, 1), SPEC)


# (case, text replaced, replacement, the start of the one expected message)
REFUSED = [
    ("an anchor", "  short_name: Minimal\n", "  short_name: &x Minimal\n",
     f"{SPEC}:6:15: not valid YAML: anchors and aliases (&name, *name) are not allowed"),
    ("an alias", "  short_name: Minimal\n", "  short_name: *x\n",
     f"{SPEC}:6:15: not valid YAML: anchors and aliases"),
    ("a key that is a number", "  short_name: Minimal\n", "  short_name: Minimal\n  1: one\n",
     f"{SPEC}:7:3: partnership: expected a key that is text (a field name); got '1'"),
    ("a key that is null", "  short_name: Minimal\n", "  short_name: Minimal\n  ~: one\n",
     f"{SPEC}:7:3: partnership: expected a key that is text (a field name); got '~'"),
    ("a key that is a list", "  short_name: Minimal\n", "  short_name: Minimal\n  ? [a]\n  : one\n",
     f"{SPEC}:7:5: partnership: expected a key that is text"),
    ("a YAML 1.1 'no' where true/false is expected", "        role: Practitioner\n",
     "        role: Practitioner\n        similar_seniority: no\n",
     f"{SPEC}:31:28: routes[0].stages[0].similar_seniority: expected true or false; got 'no'"),
    ("a float where a whole number is expected", "days: 5\n", "days: 5.0\n",
     f"{SPEC}:41:17: routes[0].stages[1].timescale.days: expected a whole number; got 5.0"),
    ("a float stage number", "      - number: 2\n", "      - number: 2.0\n",
     f"{SPEC}:35:17: routes[0].stages[1].number: expected a whole number; got 2.0"),
    ("a huge number of days", "days: 5\n", "days: 99999999999999\n",
     f"{SPEC}:41:17: routes[0].stages[1].timescale.days: got the number 99999999999999, longer than any number"),
    ("too many days", "days: 5\n", "days: 400\n",
     f"{SPEC}:41:17: routes[0].stages[1].timescale.days: expected a number of at most 250; got 400"),
    ("an explicit tag", "  short_name: Minimal\n", "  short_name: !!binary aGVsbG8=\n",
     f"{SPEC}:6:15: partnership.short_name: the tag 'tag:yaml.org,2002:binary' is not allowed"),
    ("a python tag", "  short_name: Minimal\n", "  short_name: !!python/object:os.system {}\n",
     f"{SPEC}:6:15: partnership.short_name: the tag"),
    ("a form feed", "  short_name: Minimal\n", "  short_name: Mini\x0cmal\n",
     f"{SPEC}:6:19: the text holds the control character U+000C (form feed)"),
    ("a NUL", "  short_name: Minimal\n", "  short_name: Mini\x00mal\n",
     f"{SPEC}:6:19: the text holds the control character U+0000 (NUL)"),
    ("an escaped terminal escape", "  short_name: Minimal\n", '  short_name: "Mini\\e[31mmal"\n',
     f"{SPEC}:6:15: partnership.short_name: the text holds the control character U+001B (escape)"),
    ("a bidirectional override", "  short_name: Minimal\n", "  short_name: Mini\u202emal\n",
     f"{SPEC}:6:19: the text holds the control character U+202E (bidirectional control)"),
    ("month 00", 'review_due: "2027-01"', 'review_due: "2027-00"',
     f"{SPEC}:12:15: version.review_due: '2027-00' is not a real date (there is no month 0)"),
    ("month 13", 'review_due: "2027-01"', 'review_due: "2027-13"',
     f"{SPEC}:12:15: version.review_due: '2027-13' is not a real date (there is no month 13)"),
    ("year 0", 'review_due: "2027-01"', 'review_due: "0000-01"',
     f"{SPEC}:12:15: version.review_due: '0000-01' is not a plausible date for a protocol"),
    ("year 9999", 'review_due: "2027-01"', 'review_due: "9999-12"',
     f"{SPEC}:12:15: version.review_due: '9999-12' is not a plausible date for a protocol"),
    ("a version id without zero padding", 'id: "2025-01"', 'id: "2025-1"',
     f"{SPEC}:10:7: version.id: expected a dated version id as YYYY-MM or YYYY-MM-DD"),
    ("a version id of 300 characters", 'id: "2025-01"', f'id: "{"a" * 300}"',
     f"{SPEC}:10:7: version.id: expected at most 40 characters; got 300"),
    ("a reserved version id", 'id: "2025-01"', 'id: "changes"',
     f"{SPEC}:10:7: version.id: 'changes' is reserved for a page of the site"),
    ("a version id that is not the file's name", 'id: "2025-01"', 'id: "2025-02"',
     f"{SPEC}:10:7: version.id: '2025-02' does not match the file's name '2025-01.yaml'"),
    ("a javascript: website", "  short_name: Minimal\n", "  short_name: Minimal\n  website: javascript:alert(1)\n",
     f"{SPEC}:7:12: partnership.website: expected a link starting https://, http://, mailto: or tel:"),
    ("a data: website", "    phone: \"01234 567890\"\n",
     "    phone: \"01234 567890\"\n    website: data:text/html,<script>alert(1)</script>\n",
     f"{SPEC}:18:14: contacts[0].website: expected a link starting https://"),
    ("an e-mail address with markup", "    phone: \"01234 567890\"\n",
     "    phone: \"01234 567890\"\n    email: '\"><script>alert(1)</script>'\n",
     f"{SPEC}:18:12: contacts[0].email: expected an e-mail address"),
    ("a telephone number with a scheme", "    phone: \"01234 567890\"\n", "    phone: \"javascript:1\"\n",
     f"{SPEC}:17:12: contacts[0].phone: expected a telephone number"),
    ("text of 400,000 characters", "  short_name: Minimal\n", "  short_name: " + "x" * 400_000 + "\n",
     f"{SPEC}:6:15: partnership.short_name: expected text of at most 4000 characters; got 400000"),
]


@pytest.mark.parametrize(("case", "old", "new", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_file_line_and_field(case, old, new, expected):
    messages = broken(old, new)
    assert any(m.startswith(expected) for m in messages), messages


def test_www_address_gets_a_suggestion():
    messages = broken("    phone: \"01234 567890\"\n", "    phone: \"01234 567890\"\n    website: www.example.org\n")
    assert messages[0].endswith("got 'www.example.org' (did you mean 'https://www.example.org'?)")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n"])
def test_yaml_1_1_booleans_are_text(word):
    protocol = loaded("  short_name: Minimal\n", f"  short_name: {word}\n")
    assert protocol.partnership.short_name == word


def test_leading_zero_is_decimal():
    stage = loaded("days: 5\n", "days: 010\n").route("standard").stages[1]
    assert stage.timescale.days == 10
    assert type(stage.timescale.days) is int


def test_unquoted_dates_stay_text_for_the_loader_to_check():
    assert loaded('issued: "2025-01-15"', "issued: 2025-01-15").version.issued.iso() == "2025-01-15"


def test_carriage_returns_are_normalised():
    protocol = load.load_text(MINIMAL.read_text().replace("\n", "\r\n"), SPEC)
    assert protocol.partnership.short_name == "Minimal"


def test_billion_laughs_is_refused_at_once():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    with pytest.raises(load.SpecError) as caught:
        load.load_text("\n".join(lines) + "\n", SPEC)
    assert time.perf_counter() - started < 5  # generous: the point is that nothing expands
    assert "anchors and aliases" in str(caught.value)


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000 + "\n", "a:\n" + "".join(
    "  " * i + "- \n" for i in range(200))])
def test_deep_nesting_is_refused_without_a_recursion_error(text):
    with pytest.raises(load.SpecError) as caught:
        load.load_text(text, SPEC)
    assert "nested more than" in str(caught.value) and str(caught.value).startswith(f"{SPEC}:")


@pytest.mark.parametrize("reserved", sorted(load.RESERVED_PARTNERSHIP_IDS))
def test_reserved_partnership_ids_are_refused_by_check(reserved, tmp_path, capsys):
    folder = tmp_path / reserved
    folder.mkdir()
    (folder / "2025-01.yaml").write_text(MINIMAL.read_text().replace("id: minimal", f'id: "{reserved}"'))
    assert main(["check", str(tmp_path)]) == 1
    assert f"partnership.id: '{reserved}' is the name of a page or folder of the site" in capsys.readouterr().err


def make_tree(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "minimal"
    folder.mkdir()
    for name in names:
        version = name.split(".")[0]
        (folder / name).write_text(MINIMAL.read_text().replace('id: "2025-01"', f'id: "{version}"'))
    return tmp_path


def test_versions_spelt_two_ways_are_refused(tmp_path):
    root = make_tree(tmp_path, ["2025-01.yaml", "v2.yaml", "v02.yaml"])
    with pytest.raises(load.SpecError) as caught:
        load.load_tree(root)
    assert "v02.yaml:10:7: version.id: expected numbers in a version id without leading zeros" in str(caught.value)


def test_yml_is_refused_with_a_message(tmp_path, capsys):
    root = make_tree(tmp_path, ["2025-01.yaml"])
    (root / "minimal" / "2025-02.yml").write_text("anything")
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "2025-02.yml:1:1: a spec must be saved with the extension .yaml (rename it to 2025-02.yaml)" in err


def test_editor_lock_and_backup_files_are_ignored(tmp_path, capsys):
    root = make_tree(tmp_path, ["2025-01.yaml"])
    folder = root / "minimal"
    (folder / ".#2025-01.yaml").symlink_to("user@host.1234:1700000000")  # Emacs: a dangling link
    (folder / ".2025-01.yaml.swp").write_bytes(b"\x00\x01vim swap")
    (folder / "2025-01.yaml~").write_text("old: [")
    (folder / "#2025-01.yaml#").write_text("old: [")
    assert main(["check", str(root)]) == 0
    assert capsys.readouterr().out.count("ok  ") == 1


def test_a_draft_outside_the_tree_needs_no_matching_folder(tmp_path):
    draft = tmp_path / "drafts" / "new-version.yaml"
    draft.parent.mkdir()
    draft.write_text(MINIMAL.read_text())
    assert load.load_protocol(draft, in_tree=False).version.id == "2025-01"
