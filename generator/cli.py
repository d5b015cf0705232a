"""`guidance`: check specs, answer "what do I do next", compare versions, build and serve the site.

Every command that reads specs takes `--protocols DIR`; without it, `./protocols` when the current folder
has one (a partnership's own folder, or the checkout), else the protocols shipped with the tool.

Exit codes: 0 success, 1 a spec has problems, 2 the command's own input is wrong (unknown protocol, route
or stage, a malformed date). Messages go to stderr; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import textwrap
from pathlib import Path

from . import load, resources
from .core import engine, messages, model, questions
from .core.calendar import calendar_for

# Years the command line counts working days in: UK bank holidays as today's law has them (1971) up to the
# last year the `holidays` package lists for the UK (2100).
FIRST_YEAR, LAST_YEAR = 1971, 2100
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060"
                          "\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters (escape codes could recolour, retitle or rewrite the
    screen) are shown as visible escapes, never sent raw."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def _print(text, file=None) -> None:
    print(terminal_safe(text), file=file or sys.stdout)


class UsageError(Exception):
    """Input to the command itself that makes no sense: exit 2 with the message."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except load.SpecError as exc:
        _print(exc, file=sys.stderr)
        return 1
    except (UsageError, engine.AnswerError) as exc:
        _print(f"guidance: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`guidance next ... | head`): nothing went wrong here, so no "unexpected
        # error"; stdout is pointed at /dev/null so Python's own flush at exit cannot complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - a message, never a traceback
        build = sys.modules.get("generator.build")  # only the build commands load it; `next` stays light
        scaffold = sys.modules.get("generator.scaffold")
        if build is not None and isinstance(exc, build.BuildError):
            _print(exc, file=sys.stderr)
            return 1
        if scaffold is not None and isinstance(exc, scaffold.ScaffoldError):
            _print(f"guidance: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, OSError) and exc.filename is not None:
            # The file system refused (a folder that cannot hold files, a full disk, no permission): say which
            # file and why, as for any other message; nothing of ours is broken, so no "please report it".
            _print(f"guidance: cannot write or read {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        _print(f"guidance: unexpected error ({type(exc).__name__}: {exc}); please report it with the command "
               "you ran", file=sys.stderr)
        return 1


def _protocols_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--protocols", type=Path, metavar="DIR",
                        help="folder of specs (default: ./protocols if present, else the shipped ones)")


def protocols_dir(args) -> Path:
    """--protocols, else ./protocols, else the protocols shipped with the tool (so it works from any folder)."""
    if args.protocols is not None:
        if not args.protocols.exists():
            raise UsageError(f"--protocols {args.protocols}: no such folder")
        if args.protocols.is_dir() and not any(p.suffix.lower() in (".yaml", ".yml")
                                               for p in args.protocols.glob("*/*")):
            raise UsageError(f"--protocols {args.protocols}: no protocol specs in this folder (expected "
                             f"{args.protocols / '<partnership>' / '<version>.yaml'})")
        return args.protocols
    return resources.default_protocols()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate protocol specs (files or folders)")
    check.add_argument("paths", nargs="*", type=Path)
    _protocols_option(check)
    check.add_argument("--no-drawings", dest="drawings", action="store_false",
                       help="skip drawing the flowcharts (faster; the build still refuses one that cannot print)")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: each problem as a GitHub Actions annotation on its file and line")
    check.set_defaults(run=_check)

    nxt = sub.add_parser("next", help="what to do next in an escalation")
    nxt.add_argument("--protocol", required=True, help="partnership id, e.g. swindon")
    nxt.add_argument("--route", default="standard", help="route id (default: standard)")
    stage = nxt.add_mutually_exclusive_group(required=True)
    stage.add_argument("--completed-stage", type=_stage_number, metavar="N",
                       help="the last stage that ended without agreement")
    stage.add_argument("--not-started", action="store_true", help="no stage yet: the disagreement has just arisen")
    nxt.add_argument("--on", required=True, type=_date, metavar="YYYY-MM-DD",
                     help="the day that stage ended, or the disagreement arose")
    nxt.add_argument("--started", type=_date, metavar="YYYY-MM-DD",
                     help="when the disagreement first arose (for limits over several stages)")
    nxt.add_argument("--stage-ended", action="append", default=[], type=_stage_end, metavar="N=YYYY-MM-DD",
                     help="when an earlier stage N ended (for a limit counted from it); repeatable")
    nxt.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="today's date (default: the real date)")
    nxt.add_argument("--immediate-danger", action="store_true", help="someone is in immediate danger")
    nxt.add_argument("--timescale-unsafe", action="store_true", help="the normal timescale is not safe")
    nxt.add_argument("--json", action="store_true", help="print the advice as JSON")
    nxt.add_argument("--lang", choices=messages.languages(), default=messages.DEFAULT_LANGUAGE,
                     help="language of the answer: en (English) or cy (Cymraeg)")
    _protocols_option(nxt)
    nxt.set_defaults(run=_next)

    ask = sub.add_parser("ask", help="answer the decision aid's questions one at a time, then see what to do next")
    ask.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="today's date (default: the real date)")
    ask.add_argument("--lang", choices=messages.languages(), default=messages.DEFAULT_LANGUAGE,
                     help="language of the questions and answer: en (English) or cy (Cymraeg)")
    _protocols_option(ask)
    ask.set_defaults(run=_ask)

    diff = sub.add_parser("diff", help="what changed between two versions of a protocol")
    diff.add_argument("old", type=Path, nargs="?")
    diff.add_argument("new", type=Path, nargs="?")
    diff.add_argument("--since", metavar="GIT-REF",
                      help="instead of OLD NEW: every spec changed since this commit or branch (e.g. main)")
    diff.add_argument("--format", choices=("text", "markdown"), default="text",
                      help="markdown: for a pull request's job summary on GitHub")
    diff.add_argument("--protocols", type=Path, default=Path("protocols"), help=argparse.SUPPRESS)
    diff.set_defaults(run=_diff)

    new = sub.add_parser("new", help="start a first spec for a partnership (placeholders to fill in)")
    new.add_argument("partnership", help="the partnership's id, e.g. north-yorkshire")
    new.add_argument("--version", help="the version id (default: this month, YYYY-MM)")
    new.add_argument("--protocols", type=Path, default=Path("protocols"), metavar="DIR",
                     help="folder of specs to add it to (default: ./protocols)")
    new.set_defaults(run=_new)

    build = sub.add_parser("build", help="build the site into site/ (replaced only when the build succeeds)")
    serve = sub.add_parser("serve", help="build and serve the site, rebuilding when protocols/ or docs/ change")
    for command in (build, serve):
        _protocols_option(command)
        command.add_argument("--site-dir", type=Path, metavar="DIR", help="where the site goes (default: ./site)")
        command.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                             help="the site engine run over the generated tree (default: mkdocs)")
        command.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                             help="the date review warnings compare with (default: the real date)")
    build.set_defaults(run=_build)
    serve.add_argument("--port", type=_port, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.set_defaults(run=_serve)
    return parser


def _date(text: str) -> dt.date:
    try:
        day = engine.iso_date(text)
    except ValueError:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):  # the right form, but no such day (2026-02-29)
            raise argparse.ArgumentTypeError(f"'{text}' is not a real date: the calendar has no such day") from None
        raise argparse.ArgumentTypeError(f"'{terminal_safe(text)}' is not a date as YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"'{text}': working days can be counted for the years {FIRST_YEAR} to "
                                         f"{LAST_YEAR} only")
    return day


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{terminal_safe(text)}' is not a port number (1 to 65535)")
    return int(text)


def _stage_number(text: str) -> int:
    """ASCII digits only: int() would also take '３', ' 3', '+3' and '3_0' (thirty)."""
    if not re.fullmatch(r"-?[0-9]{1,6}", text):
        raise argparse.ArgumentTypeError(f"'{terminal_safe(text)}' is not a stage number (such as 2)")
    return int(text)


def _stage_end(text: str) -> tuple[int, dt.date]:
    number, _, day = text.partition("=")
    if not re.fullmatch(r"[0-9]{1,6}", number):
        raise argparse.ArgumentTypeError(f"'{terminal_safe(text)}' is not N=YYYY-MM-DD (a stage number, '=', a date)")
    return int(number), _date(day)


def _check(args) -> int:
    protocols, problems = [], []
    paths = list(args.paths) + ([args.protocols] if args.protocols else [])
    for path in paths or [resources.default_protocols()]:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        try:
            protocols.extend(load.load_tree(path))
        except load.SpecError as exc:
            problems.extend(exc.problems)
    if not problems and args.drawings:
        problems = _drawing_problems(protocols)
    if problems and args.format == "github":
        from .views.annotations import github_annotations

        sys.stdout.write(terminal_safe(github_annotations(sorted(problems))))
        return 1
    if problems:
        raise load.SpecError(problems)
    for protocol in protocols:
        routes = ", ".join(f"{r.id} ({len(r.stages)} stage{'' if len(r.stages) == 1 else 's'})" for r in protocol.routes)
        _print(f"ok  {protocol.source_path}: {protocol.partnership.name}, version {protocol.version.id}: {routes}")
    return 0


def _drawing_problems(protocols) -> list:
    """What the build would refuse beyond the spec itself: a route whose flowchart cannot print legibly
    on A4. The same Graphviz layout the build uses, run in threads (the time is spent in `dot`)."""
    from concurrent.futures import ThreadPoolExecutor

    from .views import bilingual, flowchart

    def check(item):
        protocol, index, route, language = item
        try:
            flowchart.check_printable(protocol, route, language)
        except flowchart.FlowchartError as exc:
            return load.problem_in_file(protocol.source_path, ["routes", index], str(exc))
        return None

    # A spec with Welsh pages is drawn in Welsh too, whose longer words may not fit where the English does.
    items = [(p, i, r, language) for p in protocols for i, r in enumerate(p.routes)
             for language in (("en", "cy") if bilingual.welsh_pages(p) else ("en",))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return [problem for problem in pool.map(check, items) if problem]


def _stage_ends(given: list[tuple[int, dt.date]]) -> tuple[tuple[int, dt.date], ...]:
    ends: dict[int, dt.date] = {}
    for number, day in given:
        if number in ends and ends[number] != day:
            raise UsageError(f"--stage-ended gives two dates for stage {number} ({ends[number].isoformat()} and "
                             f"{day.isoformat()}): give it once")
        ends[number] = day
    return tuple(sorted(ends.items()))


def _next(args) -> int:
    protocols = model.current_versions(load.load_tree(protocols_dir(args)))
    if args.protocol not in protocols:
        raise UsageError(f"unknown protocol '{args.protocol}'; known: {', '.join(sorted(protocols))}")
    protocol = protocols[args.protocol]
    if args.not_started and (args.started or args.stage_ended):
        # With no stage ended, --on is already the arising day: a second, different date
        # would be silently ignored (an earlier --started would have given earlier dates), so refuse it.
        raise UsageError("--started and --stage-ended go with --completed-stage; with --not-started, --on is "
                         "when the disagreement arose (give the earliest day it arose there)")
    today = args.today or _today()
    # The same checks as the decision aid's questions (core/questions.py), on the options given.
    given = {"protocol": args.protocol, "danger": "yes" if args.immediate_danger else "no",
             "unsafe": "yes" if args.timescale_unsafe else "no", "route": args.route,
             "stage": questions.NONE_YET if args.not_started else str(args.completed_stage),
             "on": args.on.isoformat(), "started": args.started.isoformat() if args.started else ""}
    given.update({f"ended{n}": day.isoformat() for n, day in args.stage_ended})
    step = questions.next_step({protocol.id: protocol}, given, args.lang)
    if step.question is not None and step.question.error:
        raise UsageError(step.question.error)
    answers = engine.Answers(route=args.route, completed_stage=None if args.not_started else args.completed_stage,
                             on=args.on, today=today, started=args.started,
                             immediate_danger=args.immediate_danger, timescale_unsafe=args.timescale_unsafe,
                             stage_ends=_stage_ends(args.stage_ended), language=args.lang)
    _print_advice(protocol, answers, as_json=args.json)
    return 0


def _today() -> dt.date:
    try:
        return load.today()
    except load.ClockError as exc:
        raise UsageError(str(exc)) from None


def _print_advice(protocol: model.Protocol, answers: engine.Answers, *, as_json: bool = False) -> None:
    today = answers.today
    if not FIRST_YEAR <= today.year <= LAST_YEAR:
        raise UsageError(f"today's date ({today.isoformat()}) is outside {FIRST_YEAR} to {LAST_YEAR}: check the "
                         "computer's clock, or give --today")
    years = [answers.on.year, today.year] + [d.year for d in (answers.started,) if d] + \
        [d.year for _, d in answers.stage_ends]
    # The engine refuses (naming the option) any answer that would need bank holidays past these years.
    calendar = calendar_for(protocol.partnership.nation, max(FIRST_YEAR, min(years) - 1), min(LAST_YEAR, max(years) + 2))
    advice = engine.advise(protocol, answers, calendar).to_dict()
    _print(json.dumps(advice, indent=2, ensure_ascii=False) if as_json else format_advice(advice, answers.language))


def _ask(args, read=input) -> int:
    """The decision aid's questions in a terminal, one at a time, from the same flow as the wizard."""
    protocols = model.current_versions(load.load_tree(protocols_dir(args)))
    today = args.today or _today()
    answers: dict[str, str] = {}
    while True:
        question = questions.next_step(protocols, answers, args.lang).question
        if question is None:
            break
        if question.error:
            _print(f"\n{question.error}")
        elif answers.get(question.id) == "":  # an empty reply: say what is missing, as the page does
            _print(f"\n{question.to_dict(args.lang)['missing']}")
        _print(f"\n{question.heading}\n{question.hint}")
        for number, choice in enumerate(question.choices, 1):
            _print(f"  {number}. {choice.label}" + (f" ({choice.hint})" if choice.hint else ""))
        # The hints are the wizard's (q.on.hint: a day, month and year, and today filled in): the terminal
        # takes the day, month and year they show, and an empty reply to "on" as today, as the page does.
        prefilled = today.isoformat() if question.id == "on" else ""
        try:
            reply = read("> " if question.choices else f"YYYY-MM-DD{f' [{prefilled}]' if prefilled else ''}> ").strip()
        except EOFError:
            raise UsageError("no answer given; the questions stopped") from None
        # ASCII digits only: str.isdigit() also takes '３' (read as 3) and '²' (which int() refuses).
        if question.choices and re.fullmatch(r"[0-9]{1,3}", reply) and 1 <= int(reply) <= len(question.choices):
            reply = question.choices[int(reply) - 1].value
        elif not question.choices:
            reply = _typed_date(reply) or prefilled
        answers[question.id] = reply
        if question.id == "danger" and reply == "yes" and answers.get("protocol") in protocols:
            _print(_danger_now(protocols[answers["protocol"]], args.lang))
    engine_answers = questions.engine_answers(protocols, answers, today, args.lang)
    _print("")
    _print_advice(protocols[answers["protocol"]], engine_answers)
    return 0


def _danger_now(protocol: model.Protocol, language: str) -> str:
    """The wizard's danger box (display.danger_blocks), printed the moment danger is answered yes: what to do
    now must not wait behind the escalation questions, nor be lost if the practitioner stops answering."""
    def say(message_id: str, **values) -> str:
        return messages.t(message_id, language, **values)

    wrap = textwrap.TextWrapper(width=100, subsequent_indent="    ", break_on_hyphens=False)
    out = ["", say("wizard.danger.heading").upper(), wrap.fill(f"  ! {say('danger.act_today')}")]
    if not engine.names_999(protocol):
        out.append(wrap.fill(f"  ! {say('danger.general_999')}"))
    out.append(wrap.fill("  " + say("wizard.danger.protocol_says", name=protocol.partnership.short_name)))
    out += [wrap.fill(f"  ! {line}") for line in protocol.risk.immediate_danger]
    out += [wrap.fill("  ! " + say("danger.contact", contact=messages.contact_line(protocol.contact(cid), language)))
            for cid in protocol.risk.immediate_danger_contacts]
    out.append(wrap.fill("  " + say("wizard.danger.then")))
    return "\n".join(out)


_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[ ./-]+([0-9]{1,2})[ ./-]+([0-9]{4})")


def _typed_date(reply: str) -> str:
    """'23 12 2026' (or 23/12/2026, 23.12.2026: day, month, year, as the hints show) as 2026-12-23; any
    other reply as typed, for the question's own check to accept or explain."""
    match = _DAY_MONTH_YEAR.fullmatch(reply)
    if match is None:
        return reply
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return reply  # 31 02 2026: the message quotes what was typed


def format_advice(a: dict, language: str = messages.DEFAULT_LANGUAGE) -> str:
    """The advice as a practitioner reads it in a terminal: danger first, then the next step and its date."""
    def say(message_id: str, **values) -> str:
        return messages.t(message_id, language, **values)

    wrap = textwrap.TextWrapper(width=100, subsequent_indent="    ", break_on_hyphens=False)
    out = [f"{a['protocol_name']} ({a['version_label']}): {a['route_title']}"]
    if a["immediate_actions"]:
        out += ["", say("cli.act_today")] + [wrap.fill(f"  ! {line}") for line in a["immediate_actions"]]
    for w in a["warnings"]:
        out += ["", wrap.fill(say("cli.warning", text=w))]
    stage = a["next_stage"]
    if stage:
        out += ["", say("answer.next_heading", stage=stage["number"], title=stage["title"]),
                wrap.fill("  " + say("cli.who", role=stage["role"]))]
        if stage["counterpart"]:
            with_id = "cli.with_similar" if stage["similar_seniority"] else "cli.with"
            out.append(wrap.fill("  " + say(with_id, counterpart=stage["counterpart"])))
        out.append(f"  {a['deadline_label']}: {a['deadline_text']}" if a["deadline"]
                   else "  " + say("cli.by", text=say("answer.no_deadline")))
        out.append(wrap.fill("  " + say("cli.why", text=a["deadline_rule"])))
        out += [wrap.fill("  " + say("cli.do", text=x)) for x in stage["actions"]]
        out += [wrap.fill("  " + say("cli.record", text=x)) for x in stage["record"]]
        out += [wrap.fill("  " + say("cli.form", text=x)) for x in stage["forms"]]
        for c in stage["contacts"]:
            out.append(wrap.fill("  " + say("cli.contact", text=messages.contact_line(c, language))))
        for d in a["duties"]:
            when = say("cli.also_by", date=d["latest_text"]) if d["latest_date"] else say("cli.no_date_worked_out")
            # the duty's sentence ends after its date: "... within five working days (by Tue 5 Jan 2027)."
            text = d["text"].rstrip().removesuffix(".")
            out.append(wrap.fill("  " + say("cli.also", text=text, when=when, rule=d["rule"])))
    if len(a["timeline"]) > 1:
        out += ["", say("cli.rest_of_route")]
        for row in a["timeline"][1:]:
            out.append("  " + say("cli.timeline_row", stage=row["stage"], title=row["title"],
                                  date=row["latest_text"] or say("answer.no_date")))
    if a["readings"]:
        out += ["", say("cli.readings")]
        out += [wrap.fill(f"  [{r['id']}] {r['used']}") for r in a["readings"]]
    return "\n".join(out)


def _diff(args) -> int:
    from .views import diff

    if args.since is not None:
        return _diff_since(args)
    if args.old is None or args.new is None:
        raise UsageError("diff needs two spec files (OLD NEW), or --since GIT-REF")
    for path in (args.old, args.new):
        if path.is_dir():
            raise UsageError(f"{path}: is a folder; expected a spec file (protocols/<partnership>/<version>.yaml)")
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    # A draft may live anywhere (it is not published until it sits in protocols/<id>/<version>.yaml).
    old, new = load.load_protocol(args.old, in_tree=False), load.load_protocol(args.new, in_tree=False)
    if old.id != new.id:
        raise UsageError(f"{args.old} is a version of '{old.id}' and {args.new} of '{new.id}': diff compares two "
                         "versions of one partnership's protocol")
    changes = diff.diff_versions(old, new)
    if args.format == "markdown":
        sys.stdout.write(terminal_safe(diff.format_markdown(changes, old, new)))
    else:
        _print(diff.format_text(changes, old, new))
    return 0


def _diff_since(args) -> int:
    """Every changed spec against what it replaces; exit 1 when one of them has problems."""
    from . import review

    if args.old is not None:
        raise UsageError("give either two spec files or --since GIT-REF, not both")
    try:
        reports = review.review(args.since, args.protocols)
    except review.GitError as exc:
        raise UsageError(str(exc)) from None
    render = review.format_markdown if args.format == "markdown" else review.format_text
    sys.stdout.write(terminal_safe(render(reports, args.since)))
    return 1 if any(r.problems for r in reports) else 0


def _new(args) -> int:
    from . import scaffold

    path = scaffold.new_spec(args.protocols, args.partnership, args.version)
    print(f"wrote {path}: replace every FILL IN with the protocol's own words; "
          f"`guidance check {args.protocols}` lists what is left")
    return 0


def _project(args):
    from . import build

    if args.site_dir is not None:
        _check_site_dir(Path(args.site_dir))
    proj = build.project(Path.cwd(), protocols=protocols_dir(args), site_dir=args.site_dir)
    _check_site_dir_apart(proj)
    return proj


def _check_site_dir_apart(proj) -> None:
    """The site folder is replaced whole by every build: `--site-dir protocols` replaced the specs with the
    site, and `--site-dir .` would replace the project. It must hold, and lie inside, nothing the build reads."""
    site = proj.site_dir
    kept = [("the protocols folder", proj.protocols), ("the project folder", proj.root),
            ("the pages folder", proj.docs), ("the build folder", proj.build_dir), ("the site's settings", proj.config)]
    for what, path in kept:
        if path is None:
            continue
        if site == path or site in path.parents:
            raise UsageError(f"--site-dir {site}: holds {what} ({path}), which every build would replace with the "
                             "site; choose a folder of its own (the default is site/ in the project folder)")
        if path in site.parents and path != proj.root:
            raise UsageError(f"--site-dir {site}: is inside {what} ({path}); choose a folder of its own "
                             "(the default is site/ in the project folder)")


def _check_site_dir(site: Path) -> None:
    """Refuse, before a minute of building, a --site-dir the build could never put the site in: the new
    site is staged beside it and swapped in, so its parent must be a folder this user can write."""
    parent = site.absolute().parent
    if site.exists() and not site.is_dir():
        raise UsageError(f"--site-dir {site}: is a file; expected a folder for the site (or a new name)")
    if not parent.is_dir():
        raise UsageError(f"--site-dir {site}: the folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"--site-dir {site}: cannot write in {parent}; choose a folder you can write to")


def _build(args) -> int:
    from . import build

    result = build.build_site(_project(args), today=args.today or _today(), engine=args.engine)
    drawn = len(result.generated.drawn)
    print(f"built {result.site} ({drawn} version{'s' if drawn != 1 else ''} drawn, "
          f"{len(result.generated.rendered)} partnership{'s' if len(result.generated.rendered) != 1 else ''} "
          f"rendered{'' if result.engine_ran else '; nothing changed'})")
    return 0


def _serve(args) -> int:
    from . import serve

    if args.today is None:
        _today()  # a bad ESCALATION_TODAY is refused before serving; each rebuild reads the clock afresh
    try:
        return serve.serve(_project(args), port=args.port, today=args.today, engine=args.engine)
    except serve.PortError as exc:
        raise UsageError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
