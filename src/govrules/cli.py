"""The `govrules` command.

Every command takes ``--format text|json`` (``validate`` also ``github``). Under ``json`` everything
the command says is one JSON document on stdout, errors included (``{"error": {"type": …,
"message": …}}``), and nothing goes to stderr.

Exit codes (docs/cli.md):

- 0: answered, or valid;
- 1: a violation found (an error-severity violation, a failing scenario, no one can act), or an
  invalid input file (a profile, a roster, a scenario file, a document), or rules that conflict;
- 2: a usage error (an unknown option, command or id, a bad value, a file that cannot be read);
- 3: not covered (the profile has no rule for the question, or a date lies outside the published
  holiday calendar and `--provisional` was not given).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

import shtab

from govrules import __version__
from govrules import vocabulary as v
from govrules.answers import Acting, Deadline, MeetingRule, Route
from govrules.diagnostics import did_you_mean
from govrules.documents import Document
from govrules.errors import (
    CalendarError,
    ConflictError,
    EngineError,
    GovrulesError,
    InvalidArgument,
    NotCovered,
    ProfileError,
)
from govrules.inputs import parse_date, parse_moment
from govrules.loader import YamlProblem, read
from govrules.meeting_plans import MeetingPlan
from govrules.registry import load, profiles, resolve
from govrules.roster import Roster, absences_from_yaml
from govrules.scaffold import profile_schema, scaffold
from govrules.scenarios import run_file
from govrules.validate import Report, Skipped, check_report
from govrules.workdays import Calendar

OK, NEGATIVE, USAGE, NOT_COVERED = 0, 1, 2, 3

#: Shells `govrules completion` writes scripts for.
SHELLS = ("bash", "zsh", "fish")

#: The documents the tour asks every bundled profile about.
TOUR: tuple[tuple[str, dict[str, Any]], ...] = (
    ("向省政府报送的请示", {"kind": "request", "recipient": "provincial_government"}),
    ("向市人大常委会提出的议案", {"kind": "motion", "recipient": "people_congress"}),
    ("政府规章", {"kind": "regulation", "recipient": "public"}),
    ("人事任免文件", {"kind": "personnel"}),
    (
        "以市政府名义制发的一般公文（一位领导分管）",
        {"kind": "notice", "recipient": "subordinate", "portfolios": ["p1"]},
    ),
    (
        "以市政府名义制发的公文（涉及多位领导分管）",
        {"kind": "notice", "recipient": "subordinate", "portfolios": ["p1", "p2"]},
    ),
    (
        "以办公厅（办公室）名义制发的公文",
        {"kind": "notice", "issuer": "general_office", "recipient": "subordinate", "portfolios": ["p1"]},
    ),
    ("常务会议纪要", {"kind": "minutes", "meeting": "executive"}),
)

#: The tour's document titles for an English reader.
TOUR_EN: dict[str, str] = {
    "向省政府报送的请示": "A request to the provincial government",
    "向市人大常委会提出的议案": "A motion to the standing committee of the municipal people's congress",
    "政府规章": "A government regulation",
    "人事任免文件": "A personnel appointment or removal",
    "以市政府名义制发的一般公文（一位领导分管）": (
        "A general document in the government's name (one leader's portfolio)"
    ),
    "以市政府名义制发的公文（涉及多位领导分管）": "A document in the government's name (several leaders' portfolios)",
    "以办公厅（办公室）名义制发的公文": "A document in the name of the general office",
    "常务会议纪要": "Minutes of the executive meeting",
}


class _UsageError(Exception):
    """A command line argparse rejects: reported as text or JSON by :func:`main`, never by argparse."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.prog = parser.prog
        self.usage = parser.format_usage().strip()
        self.message = message
        self.help: str | None = None
        # argparse lists every choice; say which one was probably meant, as everywhere else
        wrong = re.match(r"argument [^:]+: invalid choice: '?([^'(]*?)'? \(choose from (.*)\)$", message)
        if wrong is not None:
            choices = [c.strip(" '") for c in wrong.group(2).split(",")]
            self.help = did_you_mean(wrong.group(1), choices, list_all=False)


class _VersionAsked(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(self, message)


class _Version(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=kwargs.get("help"))

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise _VersionAsked


#: How a shell completes a profile argument: a bundled id or a YAML file (the functions are in
#: :func:`_completion_preamble`).
_PROFILE_COMPLETION: shtab.CompleteType = {
    "bash": "_govrules_profiles",
    "zsh": "_govrules_profiles",
    "fish": "(_govrules_profiles)",
}


def _complete(action: argparse.Action, how: shtab.CompleteType) -> argparse.Action:
    action.complete = how  # type: ignore[attr-defined]  # read by shtab
    return action


def _profile_argument(parser: argparse.ArgumentParser) -> None:
    _complete(
        parser.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile"),
        _PROFILE_COMPLETION,
    )


def _format_options(
    parser: argparse.ArgumentParser, *, choices: tuple[str, ...] = ("text", "json"), alias: bool = False
) -> None:
    """``--format`` (and, where it existed before ``--format``, ``--json`` as its alias)."""
    parser.add_argument(
        "--format",
        choices=choices,
        default="text",
        help="text (default) or json: one JSON document on stdout, errors included"
        + (", or GitHub workflow annotations" if "github" in choices else ""),
    )
    if alias:
        parser.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govrules", description="Chinese municipal working rules, executable and cited.")
    parser.add_argument("--version", action=_Version, help="print `govrules <version>` and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    listing = sub.add_parser("list", help="list the bundled profiles")
    _format_options(listing)

    val = sub.add_parser("validate", help="validate profile files; one line per diagnostic")
    _complete(val.add_argument("paths", nargs="+", type=Path, metavar="PATH"), shtab.FILE)
    _format_options(val, choices=("text", "json", "github"))
    val.add_argument("--strict", action="store_true", help="warnings fail too")
    _complete(
        val.add_argument(
            "--source",
            type=Path,
            metavar="PATH",
            help="check every quote against this copy of the source text (one profile)",
        ),
        shtab.FILE,
    )

    sign = sub.add_parser("sign", help="who reviews and signs a document")
    _profile_argument(sign)
    sign.add_argument("--kind", required=True, choices=sorted(v.KINDS))
    sign.add_argument("--issuer", default="municipal_government", choices=sorted(v.ISSUERS))
    sign.add_argument("--recipient", choices=sorted(v.RECIPIENTS))
    sign.add_argument(
        "--portfolio",
        action="append",
        default=[],
        dest="portfolios",
        metavar="ID",
        help="a portfolio the document touches (repeat for several)",
    )
    sign.add_argument("--urgency", default="normal", choices=sorted(v.URGENCIES))
    sign.add_argument("--meeting", choices=sorted(v.MEETINGS), help="for minutes: the meeting kind")
    sign.add_argument("--decided-at", choices=sorted(v.MEETINGS), help="the meeting that already decided the matter")
    sign.add_argument("--chaired-by", metavar="ROLE", help="for minutes: the role who chaired the meeting")
    sign.add_argument(
        "--authorised",
        action="append",
        default=[],
        metavar="ROLE",
        help="a role to whom the signature has been delegated (repeatable)",
    )
    for flag, (zh, en) in v.FLAGS.items():
        sign.add_argument(f"--{flag.replace('_', '-')}", action="store_true", dest=flag, help=f"{en} ({zh})")
    _format_options(sign, alias=True)
    sign.add_argument("--lang", choices=("zh", "en"), default="zh")
    _day_options(sign, required=False)

    acting = sub.add_parser("acting", help="who performs a duty for an official on a day")
    _profile_argument(acting)
    acting.add_argument("who", metavar="ROLE_OR_PERSON", help="a person id, or an office held by one person")
    acting.add_argument("--duty", default="all", choices=sorted(v.DUTIES))
    _format_options(acting, alias=True)
    acting.add_argument("--lang", choices=("zh", "en"), default="zh")
    _day_options(acting, required=True)

    deadline = sub.add_parser("deadline", help="when a time limit falls due, on the official calendar")
    _profile_argument(deadline)
    deadline.add_argument("kind", metavar="KIND", choices=sorted(v.DEADLINE_KINDS))
    deadline.add_argument(
        "--at",
        required=True,
        type=_moment,
        metavar="DATE|DATETIME",
        help="what starts the clock (or the event, for periods before it): YYYY-MM-DD[THH:MM]",
    )
    deadline.add_argument("--urgency", choices=sorted(v.URGENCIES))
    deadline.add_argument("--complex", action="store_true", help="a particularly complex matter (特别复杂)")
    deadline.add_argument("--for-office", metavar="OFFICE", help="whose time limit it is (whose leave, say)")
    deadline.add_argument(
        "--lead-limit",
        type=_lead_limit,
        metavar="DATE|N:UNIT",
        help="the lead department's own limit (主办部门另有时限要求): YYYY-MM-DD, or e.g. 5:working_days",
    )
    deadline.add_argument(
        "--provisional",
        action="store_true",
        help="outside the published calendar, assume Mon–Fri plus 1 January and say so",
    )
    deadline.add_argument(
        "--notice",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="a State Council holiday notice as data (docs/calendar.md); repeatable",
    )
    _format_options(deadline, alias=True)
    deadline.add_argument("--lang", choices=("zh", "en"), default="zh")

    calendar = sub.add_parser("calendar", help="which years the working-day calendar covers, and a year's days")
    calendar.add_argument("--notice", action="append", default=[], type=Path, metavar="PATH", help="repeatable")
    calendar.add_argument("--year", type=int, metavar="YEAR", help="list that year's rest days and working days")
    _format_options(calendar)

    meeting = sub.add_parser("meeting", help="how a kind of meeting is constituted, chaired, held and attended")
    _profile_argument(meeting)
    meeting.add_argument("kind", metavar="KIND", choices=sorted(v.MEETINGS))
    _format_options(meeting, alias=True)
    meeting.add_argument("--lang", choices=("zh", "en"), default="zh")

    check = sub.add_parser("check", help="the rules a document, a meeting plan, or a day's absences, break")
    _profile_argument(check)
    _complete(
        check.add_argument("--document", type=Path, metavar="FILE", help="a YAML mapping of Document attributes"),
        shtab.FILE,
    )
    _complete(
        check.add_argument(
            "--meeting-plan", type=Path, metavar="FILE", help="a YAML mapping of MeetingPlan attributes"
        ),
        shtab.FILE,
    )
    _format_options(check, alias=True)
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    _day_options(check, required=False)

    test = sub.add_parser("test", help="run scenario files (docs/scenario-format.md)")
    _complete(
        test.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="scenario files, or folders of them"),
        shtab.FILE,
    )
    test.add_argument("--quiet", action="store_true", help="print failures and the summary only (text)")
    _format_options(test)

    schema = sub.add_parser("schema", help="print the profile JSON Schema (for yaml-language-server and other editors)")
    _format_options(schema)

    new = sub.add_parser("new", help="write an empty, valid profile to start from")
    new.add_argument("id", metavar="ID", help="the profile id: lowercase letters, digits and `_`")
    _complete(
        new.add_argument("--output", type=Path, metavar="FILE", help="where to write it (default: ID.yaml)"),
        shtab.FILE,
    )
    _format_options(new)

    tour = sub.add_parser("tour", help="who signs typical documents in every bundled profile, with citations")
    _complete(
        tour.add_argument(
            "--profile",
            action="append",
            default=[],
            dest="profiles",
            metavar="CITY",
            help="only this profile (repeatable; default: every bundled profile)",
        ),
        _PROFILE_COMPLETION,
    )
    tour.add_argument("--lang", choices=("zh", "en"), default="zh")
    _format_options(tour)

    verify = sub.add_parser(
        "verify", help="ask every question of every family's finite domain: one answer or not covered, no conflict"
    )
    _complete(
        verify.add_argument("profiles", nargs="+", metavar="CITY", help="bundled profile ids or paths to profiles"),
        _PROFILE_COMPLETION,
    )
    _format_options(verify)

    diff = sub.add_parser("diff", help="every question two profiles (two versions, or two cities) answer differently")
    for name in ("old", "new"):
        _complete(
            diff.add_argument(name, metavar=name.upper(), help="a bundled profile id or a path to a profile"),
            _PROFILE_COMPLETION,
        )
    diff.add_argument(
        "--topic",
        action="append",
        choices=("signing", "seals", "acting", "deadlines", "meetings", "compliance"),
        help="only this topic (repeatable; default: every topic)",
    )
    diff.add_argument("--lang", choices=("zh", "en"), default="zh")
    _format_options(diff)

    gaps = sub.add_parser("gaps", help="the smallest sets of absences that leave a covered document unsignable")
    _profile_argument(gaps)
    gaps.add_argument("--duty", default="sign", choices=sorted(v.DUTIES))
    gaps.add_argument("--max-absent", type=int, default=2, metavar="N", help="largest set of absences tried (1-4)")
    gaps.add_argument("--reason", default="out_of_city", choices=sorted(v.REASONS), help="why they are away")
    _format_options(gaps)
    _day_options(gaps, required=True)

    completion = sub.add_parser("completion", help="print a shell completion script (docs/cli.md says where to put it)")
    completion.add_argument("shell", metavar="SHELL", choices=SHELLS, help=", ".join(SHELLS))
    _format_options(completion)
    return parser


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except InvalidArgument:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date written YYYY-MM-DD") from None


def _moment(text: str) -> dt.date | dt.datetime:
    try:
        return parse_moment(text)
    except InvalidArgument:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDTHH:MM)"
        ) from None


def _lead_limit(text: str) -> dt.date | tuple[int, str]:
    amount, sep, unit = text.partition(":")
    if sep:
        if not amount.isdigit():
            raise argparse.ArgumentTypeError(f"`{text}`: write the period as N:working_days or N:days")
        return int(amount), unit
    try:
        return parse_date(text)
    except InvalidArgument:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date (YYYY-MM-DD) or a period (N:working_days)") from None


def _day_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--on", type=_date, required=required, metavar="DATE", help="the day asked about")
    _complete(
        parser.add_argument("--roster", type=Path, required=required, metavar="FILE", help="roster YAML (people:)"),
        shtab.FILE,
    )
    _complete(
        parser.add_argument("--absences", type=Path, metavar="FILE", help="absences YAML (absences:)"), shtab.FILE
    )


def _day(args: argparse.Namespace) -> dict[str, Any]:
    if args.roster is None:
        raise InvalidArgument("`--roster` is required with `--on` or `--absences`")
    absences = absences_from_yaml(args.absences) if args.absences else ()
    return {"on": args.on, "roster": Roster.from_yaml(args.roster), "absences": absences}


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = _json_requested(argv)
    said = io.StringIO()  # what argparse prints itself (`--help`), re-emitted in the format asked for
    try:
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            args = build_parser().parse_args(argv)
    except _UsageError as exc:
        return _Channel(as_json, out, err).fail(
            USAGE, "usage", exc.message, help=exc.help, usage=exc.usage, prog=exc.prog
        )
    except _VersionAsked:
        _say(as_json, out, {"version": __version__}, f"govrules {__version__}")
        return OK
    except SystemExit as exc:  # `--help`
        _say(as_json, out, {"help": said.getvalue()}, said.getvalue().rstrip("\n"))
        return int(exc.code or 0)
    said_to = _Channel(args.format == "json", out, err)
    try:
        return _COMMANDS[args.command](args, out)
    except InvalidArgument as exc:
        return said_to.fail(USAGE, "invalid_argument", str(exc))
    except ProfileError as exc:
        unreadable = all(d.code == "GR001" for d in exc.diagnostics)
        code = USAGE if unreadable else NEGATIVE
        if not said_to.json:
            for diag in exc.diagnostics:
                print(diag.render(), file=err)
            return code
        kind = "unreadable_file" if unreadable else "invalid_file"
        head = str(exc).splitlines()[0]
        return said_to.fail(code, kind, head, diagnostics=[d.as_dict() for d in exc.diagnostics])
    except NotCovered as exc:
        return said_to.fail(NOT_COVERED, "not_covered", str(exc), prefix="", profile=exc.profile, question=exc.question)
    except ConflictError as exc:
        return said_to.fail(NEGATIVE, "conflict", str(exc), prefix="", profile=exc.profile, rules=list(exc.rules))
    except CalendarError as exc:
        return said_to.fail(NOT_COVERED, "outside_calendar", str(exc), help="on the command line, `--provisional`")
    except GovrulesError as exc:
        return said_to.fail(NEGATIVE, "engine" if isinstance(exc, EngineError) else "error", str(exc))
    except BrokenPipeError:  # the reader went away (`govrules tour | head`): stop quietly
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK


def _json_requested(argv: Sequence[str]) -> bool:
    """Whether the command line asks for JSON, read before (and whether or not) the real parse succeeds.

    It abbreviates options as the real parser does, so `--form json` counts too.
    """
    pre = _Parser(add_help=False)
    pre.add_argument("--format")
    pre.add_argument("--json", action="store_true")
    try:
        known, _rest = pre.parse_known_args(argv)
    except _UsageError:  # `--format` without a value: the real parse reports it
        return False
    return bool(known.json or known.format == "json")


def _say(as_json: bool, out: TextIO, payload: Any, text: str) -> None:
    if as_json:
        _print_json(payload, out)
    else:
        print(text, file=out)


def _print_json(payload: Any, out: TextIO) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)


@dataclass(frozen=True, slots=True)
class _Channel:
    """Where a command's errors go: a JSON document on stdout, or the usual lines on stderr."""

    json: bool
    out: TextIO
    err: TextIO

    def fail(
        self,
        code: int,
        kind: str,
        message: str,
        *,
        prefix: str = "error: ",
        help: str | None = None,
        usage: str | None = None,
        prog: str = "govrules",
        **extra: Any,
    ) -> int:
        """Report an error and return the exit code ``code``."""
        if self.json:
            error: dict[str, Any] = {"type": kind, "message": message}
            if help is not None:
                error["help"] = help
            if usage is not None:
                error["usage"] = usage
            _print_json({"error": error | extra}, self.out)
            return code
        if usage is not None:
            print(usage, file=self.err)
        print(f"{prog}: {prefix}{message}", file=self.err)
        if help is not None:
            print(f"    help: {help}", file=self.err)
        return code


def _list(args: argparse.Namespace, out: TextIO) -> int:
    found = []
    for pid in profiles():
        meta = load(pid).spec.profile
        found.append(
            {
                "id": pid,
                "name": meta.name,
                "city": meta.city,
                "province": meta.province,
                "effective": meta.effective.isoformat(),
            }
        )
    if args.format == "json":
        _print_json(found, out)
    else:
        for entry in found:
            print(f"{entry['id']}\t{entry['name']}\t{entry['effective']}", file=out)
    return OK


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    if args.source is not None and len(args.paths) != 1:
        raise InvalidArgument("`--source` checks one profile at a time")
    reports: list[Report] = [check_report(path, quotes_from=args.source) for path in args.paths]
    found = [d for r in reports for d in r.diagnostics]
    skipped = [s for r in reports for s in r.skipped]
    unreadable = any(d.code in ("GR001", "GR042") for d in found)
    errors = sum(d.severity == "error" for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.format == "json":
        payload = {
            "valid": not failed,
            "files": [str(p) for p in args.paths],
            "counts": {"error": errors, "warning": warnings, "info": len(found) - errors - warnings},
            "diagnostics": [d.as_dict() for d in found],
            "skipped": [s.as_dict() for s in skipped],
        }
        _print_json(payload, out)
    elif args.format == "github":
        level = {"error": "error", "warning": "warning", "info": "notice"}
        for d in found:
            text = d.message + (f" ({d.help})" if d.help else "")
            print(f"::{level[d.severity]} file={d.file},line={d.line},col={d.column},title={d.code}::{text}", file=out)
        for skip in skipped:
            print(f"::notice file={skip.file},title=skipped {skip.check}::{skip.reason}", file=out)
    else:
        for diag in found:
            print(diag.render(), file=out)
        for line in _skipped_lines(skipped):
            print(line, file=out)
        files = len(args.paths)
        print(
            f"{files} file{'s' if files != 1 else ''} checked, {errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}",
            file=out,
        )
    if unreadable:
        return USAGE
    return NEGATIVE if failed else OK


def _skipped_lines(skipped: Sequence[Skipped]) -> list[str]:
    """``path: skipped: lint, quotes (why)``: one line per file and reason."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for skip in skipped:
        grouped.setdefault((skip.file, skip.reason), []).append(skip.check)
    return [f"{file}: skipped: {', '.join(checks)} ({reason})" for (file, reason), checks in grouped.items()]


def _sign(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    document = Document(
        args.kind,
        issuer=args.issuer,
        recipient=args.recipient,
        portfolios=tuple(args.portfolios),
        urgency=args.urgency,
        meeting=args.meeting,
        decided_at=args.decided_at,
        chaired_by=args.chaired_by,
        authorised=tuple(args.authorised),
        **{flag: getattr(args, flag) for flag in v.FLAGS},
    )
    day = _day(args) if (args.on or args.roster or args.absences) else {}
    _emit(gov.sign(document, **day), args, out)
    return OK


def _emit(answer: Route | Acting | Deadline | MeetingRule, args: argparse.Namespace, out: TextIO) -> None:
    """An answer as JSON (`--format json`) or as its readable explanation."""
    if args.format == "json":
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2), file=out)
    else:
        print(answer.explain(args.lang), file=out)


def _acting(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    answer = gov.acting(args.who, duty=args.duty, **_day(args))
    _emit(answer, args, out)
    return OK if answer.person is not None else NEGATIVE


def _deadline(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    options: dict[str, Any] = {"provisional": args.provisional}
    if args.notice:  # a calendar carries the provisional flag itself
        options = {"calendar": Calendar.from_notices(args.notice, provisional=args.provisional)}
    answer = gov.deadline(
        args.kind,
        args.at,
        urgency=args.urgency,
        complex=args.complex,
        for_office=args.for_office,
        lead_limit=args.lead_limit,
        **options,
    )
    _emit(answer, args, out)
    return OK


def _calendar(args: argparse.Namespace, out: TextIO) -> int:
    cal = Calendar.from_notices(args.notice)
    coverage = [
        {"year": c.year, "source": c.source, "notice": c.notice, "start": c.start.isoformat(), "end": c.end.isoformat()}
        for c in cal.coverage()
    ]
    report: dict[str, Any] = {"coverage": coverage}
    if args.year is not None:
        report["year"] = args.year
        report["rest_days"] = [d.isoformat() for d in cal.rest_days_in(args.year)]
        report["working_days"] = [d.isoformat() for d in cal.working_days_in(args.year)]
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2), file=out)
        return OK
    first, last = coverage[0], coverage[-1]
    print(f"covered: {first['start']} to {last['end']}", file=out)
    for c in coverage:
        if c["source"] == "notice":
            print(f"  {c['year']}: {c['notice']} ({c['start']} to {c['end']})", file=out)
    if args.year is not None:
        rest = [d for d in cal.rest_days_in(args.year) if d.weekday() < 5]
        work = [d for d in cal.working_days_in(args.year) if d.weekday() >= 5]
        print(f"{args.year}: rest days on weekdays: {', '.join(d.isoformat() for d in rest) or 'none'}", file=out)
        print(f"{args.year}: working days on weekends: {', '.join(d.isoformat() for d in work) or 'none'}", file=out)
    return OK


def _meeting(args: argparse.Namespace, out: TextIO) -> int:
    _emit(load(resolve(args.profile)).meeting(args.kind), args, out)
    return OK


_T = TypeVar("_T")


def _read_mapping(path: Path, make: Callable[[Any], _T]) -> _T:
    """A value built from a YAML file's mapping (a document, a meeting plan), errors naming the file."""
    try:
        data = read(path).data
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None
    try:
        return make(data)
    except InvalidArgument as exc:
        raise InvalidArgument(f"`{path}`: {exc}") from None


def _read_document(path: Path) -> Document:
    return _read_mapping(path, Document.from_mapping)


def _read_plan(path: Path) -> MeetingPlan:
    return _read_mapping(path, MeetingPlan.from_mapping)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    if args.document and args.meeting_plan:
        raise InvalidArgument("`check` takes `--document FILE` or `--meeting-plan FILE`, not both")
    document: Document | MeetingPlan | None = _read_document(args.document) if args.document else None
    if args.meeting_plan:
        document = _read_plan(args.meeting_plan)
    day = _day(args) if (args.on or args.roster or args.absences) else {}
    if document is None and not day:
        raise InvalidArgument(
            "`check` needs `--document FILE`, `--meeting-plan FILE`, or `--on`, `--roster` (and `--absences`)"
        )
    found = gov.check(document, **day)
    if args.format == "json":
        print(json.dumps([x.as_dict() for x in found], ensure_ascii=False, indent=2), file=out)
    else:
        for x in found:
            print(x.explain(args.lang), file=out)
        if args.lang == "zh":
            print(f"共 {len(found)} 项", file=out)
        else:
            print(f"{len(found)} violation{'s' if len(found) != 1 else ''}", file=out)
    return NEGATIVE if any(x.severity == "error" for x in found) else OK


def _scenario_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidArgument(f"`{path}` is neither a scenario file nor a folder")
    return files


def _test(args: argparse.Namespace, out: TextIO) -> int:
    as_json = args.format == "json"
    results: list[dict[str, Any]] = []
    passed = failed = 0
    for path in _scenario_files(args.paths):
        for outcome in run_file(path):
            passed += outcome.passed
            failed += not outcome.passed
            if as_json:
                scenario = outcome.scenario
                results.append(
                    {
                        "id": scenario.id,
                        "file": scenario.file,
                        "line": scenario.line,
                        "name": scenario.name,
                        "passed": outcome.passed,
                        "problems": list(outcome.problems),
                        "rules": list(getattr(outcome.answer, "rules", None) or []),
                    }
                )
            elif not outcome.passed:
                print(f"FAIL  {outcome.report()}", file=out)
            elif not args.quiet:
                print(f"ok    {outcome.scenario.id}", file=out)
    if as_json:
        _print_json({"passed": passed, "failed": failed, "scenarios": results}, out)
    else:
        print(f"{passed} passed, {failed} failed", file=out)
    return NEGATIVE if failed else OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    _print_json(profile_schema(), out)  # the schema is JSON whichever format is asked for
    return OK


def _new(args: argparse.Namespace, out: TextIO) -> int:
    target = args.output or Path(f"{args.id}.yaml")
    text = scaffold(args.id)
    try:
        with target.open("x", encoding="utf-8") as f:  # never overwrite
            f.write(text)
    except FileExistsError:
        raise InvalidArgument(f"`{target}` exists already; choose another `--output`") from None
    except OSError as exc:
        raise InvalidArgument(f"cannot write `{target}`: {exc.strerror or exc}") from None
    _say(
        args.format == "json",
        out,
        {"written": str(target), "id": args.id, "next": f"govrules validate {target}"},
        f"wrote {target}; next: govrules validate {target}",
    )
    return OK


def _tour(args: argparse.Namespace, out: TextIO) -> int:
    ids = args.profiles or profiles()
    for pid in ids:
        resolve(pid)  # every id is checked before anything is said
    if args.format == "json":
        _print_json([_tour_profile(pid) for pid in ids], out)
        return OK
    zh = args.lang == "zh"
    for pid in ids:
        gov = load(pid)
        if zh:
            print(f"== {gov.name} ({gov.id}, 施行 {gov.effective}) ==", file=out)
        else:  # the source's title, quoted as such
            print(f"== 《{gov.name}》 ({gov.id}, in force from {gov.effective}) ==", file=out)
        for title, route in _tour_routes(pid):
            print(f"- {title if zh else TOUR_EN[title]}", file=out)
            if route is None:
                print("    本规则未作规定" if zh else "    not covered by this profile", file=out)
                continue
            for line in route.explain(args.lang).splitlines()[1:]:
                print(f"  {line}", file=out)
        print(file=out)
    return OK


def _tour_routes(pid: str) -> list[tuple[str, Route | None]]:
    gov = load(pid)
    found: list[tuple[str, Route | None]] = []
    for title, attributes in TOUR:
        try:
            found.append((title, gov.sign(Document(**attributes))))
        except NotCovered:
            found.append((title, None))
    return found


def _tour_profile(pid: str) -> dict[str, Any]:
    gov = load(pid)
    documents = [
        {
            "title": title,
            "title_en": TOUR_EN[title],
            "document": dict(attributes),
            "route": route.as_dict() if route else None,
        }
        for (title, route), (_title, attributes) in zip(_tour_routes(pid), TOUR, strict=True)
    ]
    return {"profile": gov.id, "name": gov.name, "effective": gov.effective.isoformat(), "documents": documents}


def _completion(args: argparse.Namespace, out: TextIO) -> int:
    script = shtab.complete(build_parser(), shell=args.shell, preamble=_completion_preamble(args.shell))
    _say(args.format == "json", out, {"shell": args.shell, "script": script}, script.rstrip("\n"))
    return OK


def _completion_preamble(shell: str) -> str:
    """The shell function behind `_PROFILE_COMPLETION`: the bundled ids, then YAML files."""
    ids = " ".join(profiles())
    if shell == "bash":
        return (
            "_govrules_profiles() {\n"
            f'  compgen -W "{ids}" -- "$1"\n'
            '  compgen -f -X "!*.y*ml" -- "$1"\n'
            '  compgen -d -- "$1"\n'
            "}\n"
        )
    if shell == "zsh":
        return (
            "_govrules_profiles() {\n"
            f"  _alternative 'profiles:bundled profile:({ids})' 'files:profile file:_files -g \"*.y(a|)ml\"'\n"
            "}\n"
        )
    return f"function _govrules_profiles\n    printf '%s\\n' {ids}\n    __fish_complete_path (commandline -ct)\nend\n"


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from govrules.analysis import verify_source

    for name in args.profiles:
        resolve(name)  # every id is checked before anything is said
    reports = [verify_source(name) for name in args.profiles]
    if args.format == "json":
        _print_json({"ok": all(r.ok for r in reports), "profiles": [r.as_dict() for r in reports]}, out)
    else:
        for report in reports:
            print(report.summary(), file=out)
    return OK if all(r.ok for r in reports) else NEGATIVE


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    from govrules.analysis import diff

    found = diff(resolve(args.old), resolve(args.new), topic=args.topic, lang=args.lang)
    _say(args.format == "json", out, found.as_dict(), found.summary())
    return NEGATIVE if found else OK


def _gaps(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    day = _day(args)
    if day["absences"]:
        raise InvalidArgument("`gaps` tries the absences itself; drop `--absences`")
    found = gov.gaps(roster=day["roster"], on=args.on, duty=args.duty, max_absent=args.max_absent, reason=args.reason)
    if args.format == "json":
        _print_json({"profile": gov.id, "on": args.on.isoformat(), "gaps": [g.as_dict() for g in found]}, out)
    else:
        for gap in found:
            print(f"{' + '.join(gap.absent)} away: {gap.question}: {gap.reason}", file=out)
        print(f"{len(found)} gap{'s' if len(found) != 1 else ''}", file=out)
    return NEGATIVE if found else OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "list": _list,
    "validate": _validate,
    "sign": _sign,
    "acting": _acting,
    "check": _check,
    "deadline": _deadline,
    "calendar": _calendar,
    "meeting": _meeting,
    "test": _test,
    "schema": _schema,
    "new": _new,
    "tour": _tour,
    "completion": _completion,
    "verify": _verify,
    "diff": _diff,
    "gaps": _gaps,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
