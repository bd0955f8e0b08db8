"""The `govrules` command.

Exit codes: 0 success; 1 the answer is negative (invalid profile, no rule covers the question,
conflicting rules, no one can act, an error-severity violation); 2 usage error (unknown option,
unknown id, unreadable input).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from govrules import vocabulary as v
from govrules.answers import Acting, Deadline, MeetingRule, Route
from govrules.documents import Document
from govrules.errors import CalendarError, ConflictError, GovrulesError, InvalidArgument, NotCovered, ProfileError
from govrules.loader import YamlProblem, read
from govrules.registry import load, profiles, resolve
from govrules.roster import Roster, absences_from_yaml
from govrules.scaffold import profile_schema, scaffold
from govrules.scenarios import run_file
from govrules.validate import Report, Skipped, check_report

OK, NEGATIVE, USAGE = 0, 1, 2

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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govrules", description="Chinese municipal working rules, executable and cited.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("list", help="list the bundled profiles")

    val = sub.add_parser("validate", help="validate profile files; one line per diagnostic")
    val.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    val.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub workflow annotations",
    )
    val.add_argument("--strict", action="store_true", help="warnings fail too")
    val.add_argument(
        "--source",
        type=Path,
        metavar="PATH",
        help="check every quote against this copy of the source text (one profile)",
    )

    sign = sub.add_parser("sign", help="who reviews and signs a document")
    sign.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile")
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
    sign.add_argument("--json", action="store_true", help="print the route as JSON")
    sign.add_argument("--lang", choices=("zh", "en"), default="zh")
    _day_options(sign, required=False)

    acting = sub.add_parser("acting", help="who performs a duty for an official on a day")
    acting.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile")
    acting.add_argument("who", metavar="ROLE_OR_PERSON", help="a person id, or an office held by one person")
    acting.add_argument("--duty", default="all", choices=sorted(v.DUTIES))
    acting.add_argument("--json", action="store_true")
    acting.add_argument("--lang", choices=("zh", "en"), default="zh")
    _day_options(acting, required=True)

    deadline = sub.add_parser("deadline", help="when a time limit falls due, on the official calendar")
    deadline.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile")
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
    deadline.add_argument(
        "--provisional",
        action="store_true",
        help="outside the published calendar, assume Mon–Fri plus 1 January and say so",
    )
    deadline.add_argument("--json", action="store_true")
    deadline.add_argument("--lang", choices=("zh", "en"), default="zh")

    meeting = sub.add_parser("meeting", help="how a kind of meeting is constituted, chaired, held and attended")
    meeting.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile")
    meeting.add_argument("kind", metavar="KIND", choices=sorted(v.MEETINGS))
    meeting.add_argument("--json", action="store_true")
    meeting.add_argument("--lang", choices=("zh", "en"), default="zh")

    check = sub.add_parser("check", help="the rules a document, or a day's absences, break")
    check.add_argument("profile", metavar="CITY", help="a bundled profile id or a path to a profile")
    check.add_argument("--document", type=Path, metavar="FILE", help="a YAML mapping of Document attributes")
    check.add_argument("--json", action="store_true")
    _day_options(check, required=False)

    test = sub.add_parser("test", help="run scenario files (docs/scenario-format.md)")
    test.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="scenario files, or folders of them")
    test.add_argument("--quiet", action="store_true", help="print failures and the summary only")

    sub.add_parser("schema", help="print the profile JSON Schema (for yaml-language-server and other editors)")

    new = sub.add_parser("new", help="write an empty, valid profile to start from")
    new.add_argument("id", metavar="ID", help="the profile id: lowercase letters, digits and `_`")
    new.add_argument("--output", type=Path, metavar="FILE", help="where to write it (default: ID.yaml)")

    tour = sub.add_parser("tour", help="who signs typical documents in every bundled profile, with citations")
    tour.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date written YYYY-MM-DD") from None


def _moment(text: str) -> dt.date | dt.datetime:
    try:
        return dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a date (YYYY-MM-DD) or a datetime (YYYY-MM-DDTHH:MM)"
        ) from None


def _day_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--on", type=_date, required=required, metavar="DATE", help="the day asked about")
    parser.add_argument("--roster", type=Path, required=required, metavar="FILE", help="roster YAML (people:)")
    parser.add_argument("--absences", type=Path, metavar="FILE", help="absences YAML (absences:)")


def _day(args: argparse.Namespace) -> dict[str, Any]:
    if args.roster is None:
        raise InvalidArgument("`--roster` is required with `--on` or `--absences`")
    absences = absences_from_yaml(args.absences) if args.absences else ()
    return {"on": args.on, "roster": Roster.from_yaml(args.roster), "absences": absences}


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        handler = {
            "list": _list,
            "validate": _validate,
            "sign": _sign,
            "acting": _acting,
            "check": _check,
            "deadline": _deadline,
            "meeting": _meeting,
            "test": _test,
            "schema": _schema,
            "new": _new,
            "tour": _tour,
        }[args.command]
        return handler(args, out)
    except InvalidArgument as exc:
        print(f"govrules: error: {exc}", file=err)
        return USAGE
    except ProfileError as exc:
        for diag in exc.diagnostics:
            print(diag.render(), file=err)
        return USAGE if all(d.code == "GR001" for d in exc.diagnostics) else NEGATIVE
    except (NotCovered, ConflictError) as exc:
        print(f"govrules: {exc}", file=err)
        return NEGATIVE
    except CalendarError as exc:
        print(f"govrules: error: {exc}", file=err)
        print("    help: on the command line, `--provisional`", file=err)
        return NEGATIVE
    except GovrulesError as exc:
        print(f"govrules: error: {exc}", file=err)
        return NEGATIVE
    except BrokenPipeError:  # the reader went away (`govrules tour | head`): stop quietly
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK


def _list(args: argparse.Namespace, out: TextIO) -> int:
    for pid in profiles():
        gov = load(pid)
        print(f"{pid}\t{gov.name}\t{gov.effective}", file=out)
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
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
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
    """An answer as JSON (`--json`) or as its readable explanation."""
    if args.json:
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
    answer = gov.deadline(args.kind, args.at, urgency=args.urgency, complex=args.complex, provisional=args.provisional)
    _emit(answer, args, out)
    return OK


def _meeting(args: argparse.Namespace, out: TextIO) -> int:
    _emit(load(resolve(args.profile)).meeting(args.kind), args, out)
    return OK


def _read_document(path: Path) -> Document:
    try:
        data = read(path).data
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None
    try:
        return Document.from_mapping(data)
    except InvalidArgument as exc:
        raise InvalidArgument(f"`{path}`: {exc}") from None


def _check(args: argparse.Namespace, out: TextIO) -> int:
    gov = load(resolve(args.profile))
    document = _read_document(args.document) if args.document else None
    day = _day(args) if (args.on or args.roster or args.absences) else {}
    if document is None and not day:
        raise InvalidArgument("`check` needs `--document FILE`, or `--on`, `--roster` (and `--absences`)")
    found = gov.check(document, **day)
    if args.json:
        print(json.dumps([x.as_dict() for x in found], ensure_ascii=False, indent=2), file=out)
    else:
        for x in found:
            cites = "; ".join(c.label("zh") for c in x.basis)
            print(f"{x.severity}: {x.code}: {x.message} ({cites})", file=out)
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
    passed = failed = 0
    for path in _scenario_files(args.paths):
        for outcome in run_file(path):
            if outcome.passed:
                passed += 1
                if not args.quiet:
                    print(f"ok    {outcome.scenario.id}", file=out)
            else:
                failed += 1
                print(f"FAIL  {outcome.report()}", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return NEGATIVE if failed else OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    print(json.dumps(profile_schema(), ensure_ascii=False, indent=2), file=out)
    return OK


def _new(args: argparse.Namespace, out: TextIO) -> int:
    target = args.output or Path(f"{args.id}.yaml")
    text = scaffold(args.id)
    if target.exists():
        raise InvalidArgument(f"`{target}` exists already; choose another `--output`")
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}; next: govrules validate {target}", file=out)
    return OK


def _tour(args: argparse.Namespace, out: TextIO) -> int:
    zh = args.lang == "zh"
    for pid in profiles():
        gov = load(pid)
        print(f"== {gov.name} ({pid}, {'施行' if zh else 'in force from'} {gov.effective}) ==", file=out)
        for title, attributes in TOUR:
            try:
                route: Route | None = gov.sign(Document(**attributes))
            except NotCovered:
                route = None
            print(f"- {title}", file=out)
            if route is None:
                print("    未作规定（not covered）" if zh else "    not covered by this profile", file=out)
                continue
            for line in route.explain(args.lang).splitlines()[1:]:
                print(f"  {line}", file=out)
        print(file=out)
    return OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
