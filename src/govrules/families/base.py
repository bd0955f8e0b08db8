"""The rule-family protocol: what the loader, validator, compiler, linter, scenario runner and
:class:`~govrules.Profile` ask of each family.

A family owns one section of a profile (its entries' model), the semantic checks and lint of that
section, its compilation to engine rules, its queries (a family instance is bound to one
:class:`~govrules.Profile`) and its answer values. ``govrules.families.FAMILIES`` registers them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.loader import Document as YamlDocument
from govrules.loader import Path_
from govrules.model import Citation, ProfileSpec, RuleEntry

if TYPE_CHECKING:
    from govrules.compile import RuleSink
    from govrules.documents import Document
    from govrules.engine import Firing
    from govrules.profile import Profile
    from govrules.roster import Absence, Roster

R = TypeVar("R", bound=RuleEntry)


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a family's semantic checks and lint see: the parsed file and the shape-checked spec."""

    doc: YamlDocument
    spec: ProfileSpec
    roles: frozenset[str]  # every role id the profile knows (shared vocabulary and its own)
    offices: frozenset[str]  # the roles a roster can staff directly

    def roles_known(self, where: Path_, values: Iterable[str]) -> Iterator[Diagnostic]:
        """GR022 for each of ``values`` that is not a role of the profile."""
        for k, role in enumerate(values):
            if role not in self.roles:
                yield self.doc.diagnostic(
                    (*where, k),
                    "GR022",
                    f"unknown role `{role}`",
                    did_you_mean(role, self.roles, list_all=False)
                    or "declare it under `roles`, or use a shared role id",
                )

    def closed(self, where: Path_, values: Iterable[str], allowed: Iterable[str], what: str) -> Iterator[Diagnostic]:
        """GR013 for each of ``values`` outside a closed vocabulary."""
        allowed = tuple(allowed)
        for k, value in enumerate(values):
            if value not in allowed:
                yield self.doc.diagnostic(
                    (*where, k), "GR013", f"unknown {what} `{value}`", did_you_mean(value, allowed)
                )


class ScenarioInput(Protocol):
    """A scenario's ``given`` section, as the scenario runner hands it to a family."""

    def __getitem__(self, key: str) -> Any: ...
    def __contains__(self, key: object) -> bool: ...
    def get(self, key: str, default: Any = None) -> Any: ...
    def document(self) -> Document: ...
    def day(self) -> dict[str, Any]: ...
    def roster(self) -> Roster: ...
    def moment(self, key: str) -> dt.date | dt.datetime: ...
    def absences(self) -> tuple[Absence, ...]: ...


@dataclass(frozen=True, slots=True)
class ScenarioArea:
    """One kind of scenario a family answers: what a scenario may give (``given``, of which
    ``required``), how to ask the question, and what of the answer it may expect (keys of ``actual``).

    ``types`` gives the pydantic type of a given key the scenario reader does not know yet.
    """

    ask: Callable[[Profile, ScenarioInput], Any]
    actual: Callable[[Any], dict[str, Any]]
    given: frozenset[str]
    required: frozenset[str]
    expect: frozenset[str]
    types: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


class Family(Generic[R]):
    """Base of every rule family. Subclasses set the class attributes and override what they need.

    Class-level (no profile needed): :meth:`validate`, :meth:`lint`, :meth:`compile`. Instance-level:
    the queries, bound to one profile (``self.profile``) with the family's entries in ``self.rules``.
    """

    #: the profile's YAML section this family owns
    section: ClassVar[str]
    #: the pydantic model of one entry of that section
    entry: ClassVar[type[RuleEntry]]
    #: scenario areas (``tests/scenarios/<city>/*.yaml`` top-level keys) this family answers
    areas: ClassVar[Mapping[str, ScenarioArea]] = {}
    #: the family's public questions: methods a :class:`~govrules.Profile` answers by delegating here
    queries: ClassVar[tuple[str, ...]] = ()
    #: the fields of the family's answers a citation may name in ``supports:`` (a closed list)
    supports: ClassVar[tuple[str, ...]] = ()

    __slots__ = ("_position", "by_id", "profile", "rules")

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.rules: tuple[R, ...] = self.entries(profile.spec)
        self.by_id: dict[str, R] = {r.id: r for r in self.rules}
        self._position = {r.id: i for i, r in enumerate(self.rules)}

    def in_profile_order(self, rule_ids: Iterable[str]) -> list[R]:
        """The rules named by ``rule_ids``, each once, in the order of the profile.

        The engine fires rules in an order of its own (the sorted spelling of the compiled rules), so
        an answer that lists its rules and citations in firing order would change when a rule is renamed.
        """
        return [self.by_id[i] for i in sorted(set(rule_ids), key=self._position.__getitem__)]

    @classmethod
    def entries(cls, spec: ProfileSpec) -> tuple[R, ...]:
        """This family's entries of ``spec``."""
        found: tuple[R, ...] = getattr(spec, cls.section)
        return found

    @classmethod
    def validate(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Semantic checks of the section (ids and citations are checked for every family by the core)."""
        return iter(())

    @classmethod
    def lint(cls, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Warnings and information beyond validity (runs only on a profile without errors)."""
        return iter(())

    @classmethod
    def compile(cls, rules: Sequence[R], out: RuleSink) -> None:
        """Add the engine rules of ``rules`` to ``out``."""


class Precedence(Protocol):
    """Rules that take part in precedence: ``overrides`` names the rules they beat; a ``fallback``
    rule is beaten by every applying rule of its family that is not a fallback."""

    @property
    def id(self) -> str: ...
    @property
    def overrides(self) -> tuple[str, ...]: ...
    @property
    def fallback(self) -> bool: ...


P = TypeVar("P", bound=Precedence)


def survivors(applying: Sequence[P]) -> list[P]:
    """The applying rules that no other applying rule beats (precedence is stated in the profile).

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> rules = [R(id="a", overrides=(), fallback=True), R(id="b", overrides=(), fallback=False)]
    >>> [r.id for r in survivors(rules)]
    ['b']
    """
    overridden = {target for rule in applying for target in rule.overrides}
    alive = [r for r in applying if r.id not in overridden]
    if any(not r.fallback for r in alive):
        alive = [r for r in alive if not r.fallback]
    return alive


def merge(*groups: Iterable[Any]) -> tuple[Any, ...]:
    """The items of ``groups`` in order, each once."""
    return tuple(dict.fromkeys(x for g in groups for x in g))


def fired(firings: Iterable[Firing]) -> dict[str, frozenset[int]]:
    """Profile rule id → the alternatives of its conditions that fired in a query.

    The compiler names each engine rule ``<rule id>#<alternative index>``
    (:meth:`govrules.model.RuleEntry.alternatives`); a firing carries that name.

    Examples
    --------
    >>> from types import SimpleNamespace as F
    >>> fired([F(name="a.signing.x#1"), F(name="a.signing.x#0"), F(name="a.signing.y#0")])
    {'a.signing.x': frozenset({0, 1}), 'a.signing.y': frozenset({0})}
    """
    found: dict[str, set[int]] = {}
    for firing in firings:
        rule, _, index = firing.name.rpartition("#")
        if rule and index.isdigit():
            found.setdefault(rule, set()).add(int(index))
    return {rule: frozenset(indexes) for rule, indexes in found.items()}


def cited(
    rule: RuleEntry, *, fired: Collection[int] | None = None, asked: Collection[str] | None = None
) -> tuple[Citation, ...]:
    """The citations of ``rule`` that support an answer, in the profile's order.

    A citation whose ``when`` names alternatives is kept only if one of them ``fired`` (all are
    kept when ``fired`` is None). ``asked`` names the fields of a narrower answer (``{"quorum"}``):
    for each, the citations that declare they support it, or, if none does, those that declare no
    field (they support the rule as a whole); None asks for the whole answer.

    Examples
    --------
    >>> from govrules.model import Citation, RuleEntry
    >>> rule = RuleEntry(id="a.meetings.x", basis=[
    ...     Citation(article=1, quote="组成"), Citation(article=2, quote="过半数", supports=["quorum"])])
    >>> [c.article for c in cited(rule)], [c.article for c in cited(rule, asked={"quorum"})]
    ([1, 2], [2])
    >>> [c.article for c in cited(rule, asked={"members"})]
    [1]
    """
    fitting = [c for c in rule.basis if c.fits(fired)]
    if asked is None:
        return tuple(fitting)
    keep: set[int] = set()
    for wanted in asked:
        declared = [i for i, c in enumerate(fitting) if wanted in c.supports]
        keep.update(declared or (i for i, c in enumerate(fitting) if not c.supports))
    return tuple(c for i, c in enumerate(fitting) if i in keep)


def check_annotations(
    doc: YamlDocument, where: Path_, rule: RuleEntry, section: str, supports: Sequence[str]
) -> Iterator[Diagnostic]:
    """GR029 for a citation's ``when`` index the rule does not have; GR013 for a ``supports`` value
    that is not a field of the family's answers."""
    count = rule.alternatives()
    for j, cite in enumerate(rule.basis):
        for k, index in enumerate(cite.when or ()):
            if index >= count:
                has = "one alternative (`0`)" if count == 1 else f"{count} alternatives (`0` to `{count - 1}`)"
                yield doc.diagnostic(
                    (*where, j, "when", k),
                    "GR029",
                    f"`when` names alternative `{index}`, but rule `{rule.id}` has {has}",
                    "the alternatives are the entries of the rule's condition list, numbered from 0",
                )
        for k, name in enumerate(cite.supports):
            if name not in supports:
                yield doc.diagnostic(
                    (*where, j, "supports", k),
                    "GR013",
                    f"`supports` names `{name}`, which is not a field of a `{section}` answer",
                    did_you_mean(name, supports) if supports else f"`{section}` citations take no `supports`",
                )


def check_date(profile: Profile, name: str, on: object) -> dt.date:
    """``on`` as a date on which ``profile`` is in force, or :class:`InvalidArgument`."""
    from govrules.errors import InvalidArgument

    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidArgument(f"`{name}`: expected a `datetime.date`, got `{on!r}`")
    if on < profile.effective:
        raise InvalidArgument(f"`{name}`: {on} is before profile `{profile.id}` took effect ({profile.effective})")
    return on


def uncovered(ctx: CheckContext, section: str, kinds: Iterable[str]) -> Iterator[Diagnostic]:
    """GR053 (information): the kinds of question a section has no rule for, which answer `NotCovered`."""
    missing = sorted(kinds)
    if missing:
        yield ctx.doc.diagnostic(
            (),
            "GR053",
            f"no `{section}` rule for {', '.join(f'`{m}`' for m in missing)}: these answer `NotCovered`",
            severity="info",
        )


__all__ = [
    "CheckContext",
    "Family",
    "Precedence",
    "ScenarioArea",
    "ScenarioInput",
    "check_annotations",
    "check_date",
    "cited",
    "fired",
    "merge",
    "survivors",
    "uncovered",
]
