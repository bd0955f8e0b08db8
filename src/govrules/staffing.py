"""Who fills a role on a day: the persons of a roster who hold an office, or who stand in a relation
to a document or an absent official, for every role a profile can name.

A role is one of three kinds (``roles:`` in a profile, :class:`govrules.model.RoleDecl`):

- an *office* a person holds. Rosters hold the shared vocabulary's offices; an office the profile
  adds is held by the holders of the shared offices it lists (``offices:``).
- a *relational* role, resolved against the question: the leader in charge of a document's
  portfolios, the chair of the meeting whose minutes these are, the deputy secretary-general who
  serves that leader (对口), the head of the department leading the matter. A relational role the
  profile adds narrows one of these (``relation:``), optionally to holders of some offices
  (``offices:``; 分管副市长 is the leader in charge when a vice mayor).
- a *body* (市政府办公厅, 市委): never a person.

:meth:`Staffer.holders` answers who fills a role, or says why no one can be named; a role that no
roster could ever staff is caught by the profile lint (``GR056``), so an answer never drops a role
silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.roster import NO_ONE

if TYPE_CHECKING:
    from govrules.families.base import CheckContext
    from govrules.model import RoleDecl
    from govrules.roster import Person, Roster

__all__ = ["COUNTERPART", "Staffer", "Subject", "check_roles", "lint_roles"]

COUNTERPART = "counterpart_deputy_secretary_general"
#: The offices the shared counterpart role covers when a profile does not say (对口副秘书长).
_DEFAULT_COUNTERPARTS = ("deputy_secretary_general",)


@dataclass(frozen=True, slots=True)
class Subject:
    """What relational roles are resolved against.

    For a document: the ``portfolios`` it touches, the office that chaired its meeting
    (``chaired_by``) and the person who did (``chaired_by_person``). For an absence to be approved:
    the absent ``official`` (a person id), whose leader in charge is the leader they serve (their
    ``counterpart``) or the leaders of their portfolios, and who never fills a role for themselves.
    """

    portfolios: tuple[str, ...] = ()
    chaired_by: str | None = None
    chaired_by_person: str | None = None
    official: str | None = None


class Staffer:
    """The staffing of one profile's roles (built from its ``roles:`` declarations).

    Examples
    --------
    >>> from govrules import Person, Roster
    >>> from govrules.model import RoleDecl
    >>> staffer = Staffer([RoleDecl(id="vice_mayor_in_charge", name="分管副市长", kind="relational",
    ...                              relation="leader_in_charge", offices=("vice_mayor",))])
    >>> roster = Roster([Person("li", "mayor", portfolios=["finance"]),
    ...                  Person("zhao", "vice_mayor", portfolios=["education"])])
    >>> staffer.holders("vice_mayor_in_charge", Subject(portfolios=("education",)), roster)
    ((Person(id='zhao', office='vice_mayor', portfolios=('education',), ab_partner=None, counterpart=None),), None)
    >>> staffer.holders("vice_mayor_in_charge", Subject(portfolios=("finance",)), roster)
    ((), 'no one in the roster who is `leader_in_charge` for this holds `vice_mayor`')
    """

    __slots__ = ("_decls",)

    def __init__(self, roles: Iterable[RoleDecl]) -> None:
        self._decls = {r.id: r for r in roles}

    @property
    def counterparts(self) -> tuple[str, ...]:
        """The offices whose holders serve a leader as counterpart (对口) under this profile."""
        decl = self._decls.get(COUNTERPART)
        return decl.offices if decl is not None and decl.offices else _DEFAULT_COUNTERPARTS

    def person_fact(self, person: Person) -> dict[str, str]:
        """``person`` as the engine sees it under this profile: a counterpart only in an office that serves."""
        fact = person.fact()
        if person.office not in self.counterparts:
            fact["counterpart"] = NO_ONE
        return fact

    def kind(self, role: str) -> str | None:
        """``office``, ``relational`` or ``body``; None for a role the profile does not know."""
        if role in v.OFFICES:
            return "office"
        if role in v.RELATIONAL_ROLES:
            return "relational"
        decl = self._decls.get(role)
        return decl.kind if decl is not None else None

    def holders(self, role: str, subject: Subject, roster: Roster) -> tuple[tuple[Person, ...], str | None]:
        """The persons of ``roster`` who fill ``role`` for ``subject``, or () and why none can be named.

        The absent official of ``subject`` is never among them: nobody fills a role for themselves.
        """
        found, why = self._holders(role, subject, roster, depth=0)
        if subject.official is not None and any(p.id == subject.official for p in found):
            found = tuple(p for p in found if p.id != subject.official)
            why = why or (None if found else f"only `{subject.official}` themselves is `{role}`")
        return found, why

    def _holders(
        self, role: str, subject: Subject, roster: Roster, depth: int
    ) -> tuple[tuple[Person, ...], str | None]:
        decl = self._decls.get(role)
        kind = self.kind(role)
        if kind is None:
            return (), f"`{role}` is not a role of the profile"
        if kind == "body":
            name = f" ({decl.name})" if decl is not None else ""
            return (), f"`{role}`{name} is a body, not a person a roster names"
        if kind == "office":
            if role in v.OFFICES:
                found = roster.holding(role)
                return found, None if found else f"no one in the roster is `{role}`"
            offices = decl.offices if decl is not None else ()
            if not offices:
                return (), f"`{role}` is not an office of the shared vocabulary and the profile names none that hold it"
            found = tuple(p for p in roster if any(p.holds(o) for o in offices))
            return found, None if found else f"no one in the roster holds {_names(offices)} (`{role}`)"
        base = role if role in v.RELATIONAL_ROLES else (decl.relation if decl is not None else None)
        if base is None or depth > 2:
            return (), f"the profile does not say how a roster staffs `{role}` (`relation:` under `roles:`)"
        found, why = self._relation(base, subject, roster, depth)
        offices = decl.offices if decl is not None and base != COUNTERPART else ()
        if offices and found:
            found = tuple(p for p in found if any(p.holds(o) for o in offices))
            if not found:
                why = f"no one in the roster who is `{base}` for this holds {_names(offices)}"
        return found, why

    def _relation(
        self, base: str, subject: Subject, roster: Roster, depth: int
    ) -> tuple[tuple[Person, ...], str | None]:
        if base == "leader_in_charge":
            return self._leaders(subject, roster)
        if base == "meeting_chair":
            return self._chair(subject, roster, depth)
        if base == COUNTERPART:
            leaders, why = self._leaders(subject, roster)
            ids = {p.id for p in leaders}
            offices = self.counterparts
            found = tuple(p for p in roster if p.counterpart in ids and p.office in offices)
            none = f"no one in the roster holding {_names(offices)} serves the leader in charge"
            return found, why or (None if found else none)
        if base == "lead_department_head":
            if not subject.portfolios:
                return (), "the question names no portfolio, so its lead department is unknown"
            heads = roster.holding("department_head")
            found = tuple(p for p in heads if set(p.portfolios) & set(subject.portfolios))
            return found, None if found else f"no department head in the roster leads {list(subject.portfolios)}"
        return (), f"`{base}` is not a relational role a roster can staff"

    def _leaders(self, subject: Subject, roster: Roster) -> tuple[tuple[Person, ...], str | None]:
        portfolios = subject.portfolios
        if subject.official is not None:
            official = roster[subject.official]
            if official.counterpart is not None:  # the leader they serve (对口) is their leader in charge
                return (roster[official.counterpart],), None
            portfolios = official.portfolios
        if not portfolios:
            return (), "the question names no portfolio, so its leader in charge is unknown"
        found = tuple(
            p
            for p in roster
            if p.office in v.LEADERS and p.id != subject.official and set(p.portfolios) & set(portfolios)
        )
        return found, None if found else f"no leader in the roster leads {list(portfolios)}"

    def _chair(self, subject: Subject, roster: Roster, depth: int) -> tuple[tuple[Person, ...], str | None]:
        if subject.chaired_by_person is not None:
            return (roster[subject.chaired_by_person],), None
        if subject.chaired_by is None:
            return (), "the document does not say who chaired the meeting (`chaired_by_person`)"
        found, why = self._holders(subject.chaired_by, subject, roster, depth + 1)
        if len(found) > 1:
            who = ", ".join(f"`{p.id}`" for p in found)
            return (), (
                f"the meeting was chaired by a `{subject.chaired_by}`, and the roster has several ({who}); "
                "name the one who chaired it (`chaired_by_person`)"
            )
        return found, why


def _names(offices: Sequence[str]) -> str:
    return " or ".join(f"`{o}`" for o in offices)


# -- the profile's checks ---------------------------------------------------------------------------


def check_roles(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Errors in the staffing part of ``roles:`` declarations (``kind``, ``relation``, ``offices``)."""
    for i, decl in enumerate(ctx.spec.roles):
        where = ("roles", i)
        shared = "office" if decl.id in v.OFFICES else "relational" if decl.id in v.RELATIONAL_ROLES else None
        if shared is not None and "kind" in decl.model_fields_set and decl.kind != shared:
            yield ctx.doc.diagnostic(
                (*where, "kind"),
                "GR012",
                f"`{decl.id}` is {'an' if shared == 'office' else 'a'} {shared} role of the shared vocabulary, "
                f"not `{decl.kind}`",
                "leave `kind` out for a shared role",
            )
        kind = shared or decl.kind
        if decl.relation is not None:
            if kind != "relational" or shared is not None:
                yield ctx.doc.diagnostic(
                    (*where, "relation"),
                    "GR012",
                    "`relation` belongs to a relational role the profile adds",
                    "a shared role is staffed as the vocabulary says; an office or a body has no relation",
                )
            elif decl.relation not in v.RELATIONAL_ROLES:
                yield ctx.doc.diagnostic(
                    (*where, "relation"),
                    "GR013",
                    f"`{decl.relation}` is not a relational role of the shared vocabulary",
                    did_you_mean(decl.relation, v.RELATIONAL_ROLES),
                )
        if decl.offices and (kind == "body" or decl.id in v.OFFICES):
            yield ctx.doc.diagnostic(
                (*where, "offices"),
                "GR012",
                f"`offices` does not apply to {'a body' if kind == 'body' else 'a shared office'}",
            )
            continue
        allowed = v.COUNTERPART_OFFICES if decl.id == COUNTERPART else v.OFFICES
        for k, office in enumerate(decl.offices):
            if office not in allowed:
                what = "an office that may serve a leader (对口)" if decl.id == COUNTERPART else "a shared office"
                yield ctx.doc.diagnostic(
                    (*where, "offices", k), "GR013", f"`{office}` is not {what}", did_you_mean(office, allowed)
                )


def lint_roles(ctx: CheckContext) -> Iterator[Diagnostic]:
    """GR056: a declared role that no roster can ever staff (answers naming it could never name a person)."""
    for i, decl in enumerate(ctx.spec.roles):
        if decl.id in v.SHARED_ROLES:
            continue
        if decl.kind == "office" and not decl.offices:
            yield ctx.doc.diagnostic(
                ("roles", i, "id"),
                "GR056",
                f"no roster can hold `{decl.id}`: rosters hold the shared vocabulary's offices",
                "say which shared offices hold it (`offices:`), or declare it `kind: body` if it is an organ",
                severity="warning",
            )
        elif decl.kind == "relational" and decl.relation is None:
            yield ctx.doc.diagnostic(
                ("roles", i, "id"),
                "GR056",
                f"no roster can staff `{decl.id}`: the profile does not say whom it relates to",
                "name the shared relational role it narrows (`relation:`), and the offices if it narrows them",
                severity="warning",
            )
