"""``Profile.verify``: over the whole finite domain of every family, each question has exactly one
answer or an explicit `NotCovered`, nothing conflicts, and every rule decides something."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from govrules import vocabulary as v
from govrules.analysis import domain
from govrules.analysis.witness import witnesses
from govrules.answers import Answer, FrozenMap
from govrules.errors import ConflictError, GovrulesError, InvalidArgument, NotCovered, ProfileError
from govrules.families.acting import ActingFamily, example_absence
from govrules.families.compliance import Compliance
from govrules.families.deadlines import Deadlines
from govrules.families.meetings import Meetings
from govrules.families.seals import Seals
from govrules.families.signing import Signing

if TYPE_CHECKING:
    from govrules.profile import Profile

Problem = Literal["conflict", "never_decides", "error"]


@dataclass(frozen=True, slots=True)
class Counterexample(Answer):
    """Where verification fails: the family, the kind of problem, the question, and the rules involved."""

    family: str
    problem: Problem
    question: str
    message: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifyReport(Answer):
    """The outcome of :meth:`Profile.verify <govrules.Profile.verify>`: ``ok`` when everything holds.

    ``checked``: per family, how many questions were asked; ``counterexamples``: what fails.
    """

    derived = ("ok",)

    profile: str
    source: str
    checked: Mapping[str, int]
    counterexamples: tuple[Counterexample, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.counterexamples

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        """The report in lines of text (what the CLI prints)."""
        asked = sum(self.checked.values())
        families = ", ".join(f"{k} {n}" for k, n in self.checked.items())
        if self.ok:
            return f"{self.source}: ok: {asked} questions, each one answer or not covered ({families})"
        lines = [f"{self.source}: {len(self.counterexamples)} problem(s) in {asked} questions ({families})"]
        for c in self.counterexamples:
            rules = f" [{', '.join(c.rules)}]" if c.rules else ""
            lines.append(f"  {c.family}: {c.problem}: {c.question}: {c.message}{rules}")
        return "\n".join(lines)


class _Run:
    """One verification: questions asked, rules that decided something, problems found."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.checked: dict[str, int] = {}
        self.decided: set[str] = set()
        self.found: list[Counterexample] = []

    def ask(self, family: str, question: str, asking: Callable[[], Any]) -> Any:
        self.checked[family] = self.checked.get(family, 0) + 1
        try:
            answer = asking()
        except NotCovered:
            return None
        except ConflictError as exc:
            rules = tuple(exc.rules)
            self.found.append(Counterexample(family, "conflict", question, "rules without precedence disagree", rules))
            return None
        except GovrulesError as exc:
            self.found.append(Counterexample(family, "error", question, str(exc)))
            return None
        self.decided.update(getattr(answer, "rules", ()) or ())
        return answer

    def unused(self, family: str, ids: Iterable[str]) -> None:
        for rule in ids:
            if rule not in self.decided:
                message = "the rule decides no question of its family's domain"
                self.found.append(Counterexample(family, "never_decides", rule, message, (rule,)))


def verify(profile: Profile) -> VerifyReport:
    """Ask every question of every family's finite domain of ``profile``; see :class:`VerifyReport`.

    Signing: every class of documents the rules tell apart. Seals: every seal. Substitution: each
    rule's absence, reason and duties on a synthetic roster. Deadlines: every kind, urgency and
    complexity, and the offices a kind is set for. Meetings: every kind. Compliance: each rule's own
    conditions as a witness.

    Examples
    --------
    >>> import govrules
    >>> report = govrules.load(govrules.profiles()[0]).verify()
    >>> report.ok, report.checked["signing"] > 0
    (True, True)
    """
    run = _Run(profile)
    signing = profile.family(Signing)
    for point in domain.points(signing.rules):
        run.ask("signing", domain.point_id(point), partial(profile.sign, domain.document(point)))
    run.unused("signing", (r.id for r in signing.rules))

    seals = profile.family(Seals)
    for seal in v.SEALS:
        run.ask("seals", f"seal[{seal}]", partial(profile.seal, seal))
    run.unused("seals", (r.id for r in seals.rules))

    acting = profile.family(ActingFamily)
    for sub in acting.rules:
        for office in sorted(v.holders(sub.absent)):
            roster = domain.roster(partners=[(office, domain.partner_of(office))])
            on = profile.effective
            away = [example_absence(sub, office, on)]  # one the rule applies to: its reason, at its place
            for duty in sub.duties:
                asking = partial(profile.acting, office, on=on, roster=roster, absences=away, duty=duty)
                run.ask("substitution", f"acting[{office},{away[0].reason},{duty}]", asking)
    run.unused("substitution", (r.id for r in acting.rules))

    deadlines = profile.family(Deadlines)
    at = dt.datetime.combine(profile.effective, dt.time(9))
    for kind in deadlines.kinds():
        # the offices the kind's rules name, and one they do not (whose limit the text does not set)
        named = sorted({o for r in deadlines.rules if r.kind == kind for o in r.when.offices()})
        offices: list[str | None] = [None, *named, next(o for o in v.OFFICES if o not in named)] if named else [None]
        for urgency in (None, *v.URGENCIES):
            for complex in (False, True):
                for whose in offices:

                    def deadline(
                        k: str = kind, u: str | None = urgency, c: bool = complex, o: str | None = whose
                    ) -> Any:
                        try:
                            return profile.deadline(k, at, urgency=u, complex=c, for_office=o, provisional=True)
                        except InvalidArgument as exc:
                            if u is None and "by urgency" in str(exc):
                                raise NotCovered(profile.id, "a deadline asked without its urgency") from None
                            if o is None and "`for_office`" in str(exc):
                                raise NotCovered(profile.id, "a deadline asked without whose it is") from None
                            raise

                    question = f"deadline[{kind},{urgency or 'none'},{complex}" + (f",{whose}]" if whose else "]")
                    run.ask("deadlines", question, deadline)
    run.unused("deadlines", (r.id for r in deadlines.rules))

    meetings = profile.family(Meetings)
    for kind in v.MEETINGS:
        run.ask("meetings", f"meeting[{kind}]", partial(profile.meeting, kind))
    run.unused("meetings", (r.id for r in meetings.rules))

    compliance = profile.family(Compliance)
    for rule in compliance.rules:
        run.checked["compliance"] = run.checked.get("compliance", 0) + 1
        try:
            run.decided.update(x.rule for x in witnesses(profile, rule))
        except GovrulesError as exc:
            run.found.append(Counterexample("compliance", "error", rule.id, str(exc), (rule.id,)))
    run.unused("compliance", (r.id for r in compliance.rules))

    return VerifyReport(profile.id, profile.source, FrozenMap(run.checked), tuple(_dedupe(run.found)))


def _dedupe(found: list[Counterexample]) -> list[Counterexample]:
    """Each conflict once per set of rules (its first question as the example), each other problem once."""
    seen: set[tuple[str, str, tuple[str, ...]] | Counterexample] = set()
    out = []
    for c in found:
        key: Any = (c.family, c.problem, c.rules) if c.problem == "conflict" else c
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


#: Diagnostics verification reports itself (with every counterexample), so a profile that has only
#: these errors is still verified rather than refused.
CONFLICT_CODES = frozenset({"GR050"})


def verify_source(name: str | Path | Profile) -> VerifyReport:
    """Verify a loaded profile, a bundled id or a profile file.

    A file whose only errors are rule conflicts (``GR050``) is verified all the same: the report lists
    each conflict with a document it happens on. Any other error raises :class:`~govrules.ProfileError`.
    """
    from govrules.profile import Profile
    from govrules.registry import load, resolve
    from govrules.validate import check_report

    if isinstance(name, Profile):
        return verify(name)
    path = resolve(name)
    try:
        return verify(load(path))
    except ProfileError as exc:
        if any(d.severity == "error" and d.code not in CONFLICT_CODES for d in exc.diagnostics):
            raise
    report = check_report(path)
    if report.spec is None:  # pragma: no cover - load() refused it for a reason the report shares
        raise ProfileError(list(report.diagnostics))
    return verify(Profile(report.spec, source=str(path)))
