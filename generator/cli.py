"""`guidance`: check specs, answer "what do I do next", compare versions, build and serve the site.

Exit codes: 0 success, 1 a spec has problems, 2 the command's own input is wrong (unknown protocol, route
or stage, a malformed date). Messages go to stderr; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from pathlib import Path

from . import load
from .core import engine, messages, model, questions
from .core.calendar import calendar_for

DEFAULT_ROOT = Path("protocols")


class UsageError(Exception):
    """Input to the command itself that makes no sense: exit 2 with the message."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except load.SpecError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (UsageError, engine.AnswerError) as exc:
        print(f"guidance: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from . import site  # only the build commands can raise its error; keep `next` free of MkDocs

        if isinstance(exc, site.BuildError):
            print(exc, file=sys.stderr)
            return 1
        raise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidance", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate protocol specs (files or folders)")
    check.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_ROOT])
    check.set_defaults(run=_check)

    nxt = sub.add_parser("next", help="what to do next in an escalation")
    nxt.add_argument("--protocol", required=True, help="partnership id, e.g. swindon")
    nxt.add_argument("--route", default="standard", help="route id (default: standard)")
    stage = nxt.add_mutually_exclusive_group(required=True)
    stage.add_argument("--completed-stage", type=int, metavar="N",
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
    nxt.add_argument("--protocols", type=Path, default=DEFAULT_ROOT, help=argparse.SUPPRESS)
    nxt.set_defaults(run=_next)

    ask = sub.add_parser("ask", help="answer the decision aid's questions one at a time, then see what to do next")
    ask.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="today's date (default: the real date)")
    ask.add_argument("--protocols", type=Path, default=DEFAULT_ROOT, help=argparse.SUPPRESS)
    ask.set_defaults(run=_ask)

    diff = sub.add_parser("diff", help="what changed between two versions of a protocol")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.set_defaults(run=_diff)

    build = sub.add_parser("build", help="build the site into site/ (replaced only when the build succeeds)")
    build.set_defaults(run=_build)
    serve = sub.add_parser("serve", help="build the site, then serve it on http://127.0.0.1:8000")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD") from None


def _stage_end(text: str) -> tuple[int, dt.date]:
    number, _, day = text.partition("=")
    if not number.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not N=YYYY-MM-DD (a stage number, '=', a date)")
    return int(number), _date(day)


def _check(args) -> int:
    protocols, problems = [], []
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        try:
            protocols.extend(load.load_tree(path))
        except load.SpecError as exc:
            problems.extend(exc.problems)
    if problems:
        raise load.SpecError(problems)
    for protocol in protocols:
        routes = ", ".join(f"{r.id} ({len(r.stages)} stages)" for r in protocol.routes)
        print(f"ok  {protocol.source_path}: {protocol.partnership.name}, version {protocol.version.id}: {routes}")
    return 0


def _next(args) -> int:
    protocols = model.current_versions(load.load_tree(args.protocols))
    if args.protocol not in protocols:
        raise UsageError(f"unknown protocol '{args.protocol}'; known: {', '.join(sorted(protocols))}")
    protocol = protocols[args.protocol]
    today = args.today or load.today()
    # The same checks as the decision aid's questions (core/questions.py), on the options given.
    given = {"protocol": args.protocol, "danger": "yes" if args.immediate_danger else "no",
             "unsafe": "yes" if args.timescale_unsafe else "no", "route": args.route,
             "stage": questions.NONE_YET if args.not_started else str(args.completed_stage),
             "on": args.on.isoformat(), "started": args.started.isoformat() if args.started else ""}
    given.update({f"ended{n}": day.isoformat() for n, day in args.stage_ended})
    step = questions.next_step({protocol.id: protocol}, given)
    if step.question is not None and step.question.error:
        raise UsageError(step.question.error)
    answers = engine.Answers(route=args.route, completed_stage=None if args.not_started else args.completed_stage,
                             on=args.on, today=today, started=args.started,
                             immediate_danger=args.immediate_danger, timescale_unsafe=args.timescale_unsafe,
                             stage_ends=tuple(sorted(args.stage_ended)))
    _print_advice(protocol, answers, as_json=args.json)
    return 0


def _print_advice(protocol: model.Protocol, answers: engine.Answers, *, as_json: bool = False) -> None:
    years = sorted({answers.on.year, answers.today.year, (answers.started or answers.on).year})
    calendar = calendar_for(protocol.partnership.nation, years[0] - 1, years[-1] + 2)
    advice = engine.advise(protocol, answers, calendar).to_dict()
    print(json.dumps(advice, indent=2, ensure_ascii=False) if as_json else format_advice(advice))


def _ask(args, read=input) -> int:
    """The decision aid's questions in a terminal, one at a time, from the same flow as the wizard."""
    protocols = model.current_versions(load.load_tree(args.protocols))
    today = args.today or load.today()
    answers: dict[str, str] = {}
    while True:
        step = questions.next_step(protocols, answers)
        question = step.question
        if question is None:
            break
        if question.error:
            print(f"\n{question.error}")
        print(f"\n{question.heading}\n{question.hint}")
        for number, choice in enumerate(question.choices, 1):
            print(f"  {number}. {choice.label}" + (f" ({choice.hint})" if choice.hint else ""))
        try:
            reply = read("> " if question.choices else "YYYY-MM-DD> ").strip()
        except EOFError:
            raise UsageError("no answer given; the questions stopped") from None
        if question.choices and reply.isdigit() and 1 <= int(reply) <= len(question.choices):
            reply = question.choices[int(reply) - 1].value
        answers[question.id] = reply
    protocol = protocols[answers["protocol"]]
    engine_answers = questions.engine_answers(protocols, answers, today)
    print()
    _print_advice(protocol, engine_answers)
    return 0


def format_advice(a: dict) -> str:
    """The advice as a practitioner reads it in a terminal: danger first, then the next step and its date."""
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="    ")
    out = [f"{a['protocol_name']} (version {a['version']}): {a['route_title']}"]
    if a["immediate_actions"]:
        out += ["", "ACT NOW:"] + [wrap.fill(f"  ! {line}") for line in a["immediate_actions"]]
    for w in a["warnings"]:
        out += ["", wrap.fill(f"Warning: {w}")]
    stage = a["next_stage"]
    if stage:
        out += ["", f"Next: stage {stage['number']}, {stage['title']}",
                wrap.fill(f"  Who: {stage['role']}")]
        if stage["counterpart"]:
            seniority = " (of similar seniority)" if stage["similar_seniority"] else ""
            out.append(wrap.fill(f"  With: {stage['counterpart']}{seniority}"))
        out.append(f"  By: {a['deadline_text']}" if a["deadline"] else f"  By: {messages.t('answer.no_deadline')}")
        out.append(wrap.fill(f"  Why: {a['deadline_rule']}"))
        out += [wrap.fill(f"  Do: {x}") for x in stage["actions"]]
        out += [wrap.fill(f"  Record: {x}") for x in stage["record"]]
        out += [wrap.fill(f"  Form: {x}") for x in stage["forms"]]
        for c in stage["contacts"]:
            out.append(wrap.fill(f"  Contact: {messages.contact_line(c)}"))
    if len(a["timeline"]) > 1:
        out += ["", "The rest of the route, if each stage runs to its limit:"]
        for t in a["timeline"][1:]:
            out.append(f"  Stage {t['stage']}, {t['title']}: {t['latest_text'] or messages.t('answer.no_date')}")
    return "\n".join(out)


def _diff(args) -> int:
    from .views import diff

    old, new = load.load_protocol(args.old), load.load_protocol(args.new)
    print(diff.format_text(diff.diff_versions(old, new), old, new))
    return 0


def _build(args) -> int:
    from . import site

    path = site.build_site()
    print(f"built {path}")
    return 0


def _serve(args) -> int:
    import functools
    import http.server

    from . import site

    root = site.build_site()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {root} on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
