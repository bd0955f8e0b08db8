"""From parsed YAML to a checked :class:`ProfileSpec`, collecting every diagnostic.

Shape errors come from pydantic and are translated into profile terms; semantic checks (ids that
must exist, precedence, citations) follow only when the shape is right.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ProfileError
from govrules.lint import lint
from govrules.loader import Document, Path_, YamlProblem, parse, read
from govrules.model import (
    Citation,
    ComplianceRule,
    Condition,
    DeadlineRule,
    MeetingSpec,
    ProfileSpec,
    SealRule,
    SigningRule,
    SubstitutionRule,
)

MAX_QUOTE = 40

_CONDITION_IDS: dict[str, frozenset[str]] = {
    "issuer": frozenset(v.ISSUERS),
    "kind": frozenset(v.KINDS),
    "recipient": frozenset(v.RECIPIENTS) | {"none"},
    "portfolios": frozenset(v.PORTFOLIO_COUNTS),
    "urgency": frozenset(v.URGENCIES),
    "decided_at": frozenset(v.MEETINGS) | {"none"},
    "meeting": frozenset(v.MEETINGS) | {"none"},
    "matters": frozenset(v.MATTER_COUNTS),
    "sender_kind": frozenset(v.SENDER_KINDS) | {"none"},
}
_AREAS = {
    "signing": "signing",
    "seals": "seals",
    "substitution": "substitution",
    "deadlines": "deadlines",
    "meetings": "meetings",
    "compliance": "compliance",
}


def load_spec(source: str | Path, *, text: str | None = None, stem: str | None = None) -> ProfileSpec:
    """Read, shape-check and semantically check one profile; raise :class:`ProfileError` on any error."""
    spec, diagnostics = check_file(source, text=text, stem=stem)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or spec is None:
        raise ProfileError(diagnostics)
    return spec


def check_file(
    source: str | Path, *, text: str | None = None, stem: str | None = None
) -> tuple[ProfileSpec | None, list[Diagnostic]]:
    """Every diagnostic for one file, and the spec when it could be built.

    ``stem`` is the name the profile id must match (by default the file name, unless ``text`` is given).
    """
    try:
        doc = parse(text, str(source)) if text is not None else read(source)
    except YamlProblem as problem:
        return None, problem.diagnostics
    if not isinstance(doc.data, dict):
        return None, [doc.diagnostic((), "GR012", "a profile must be a mapping with a `profile` section")]
    try:
        spec = ProfileSpec.model_validate(doc.data)
    except ValidationError as exc:
        return None, sorted(_shape_diagnostics(doc, exc), key=_order)
    if stem is None and text is None:
        stem = Path(str(source)).stem
    diagnostics = list(_semantic(doc, spec, stem))
    if not any(d.severity == "error" for d in diagnostics):
        diagnostics += lint(doc, spec)  # the search assumes ids and references are sound
        if spec.profile.source is not None and text is None:
            from govrules.sources import check_quotes

            diagnostics += check_quotes(source, Path(str(source)).parent / spec.profile.source)
    return spec, sorted(diagnostics, key=_order)


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return d.line, d.column, d.code


def _shape_diagnostics(doc: Document, exc: ValidationError) -> Iterator[Diagnostic]:
    errors = exc.errors(include_url=False)
    locs = [tuple(p for p in err["loc"] if isinstance(p, (str, int))) for err in errors]
    for err, loc in zip(errors, locs, strict=True):
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue  # a container's complaint that only echoes a problem inside it
        kind = err["type"]
        field = str(loc[-1]) if loc else "value"
        if kind == "extra_forbidden":
            parent = _section_fields(loc[:-1])
            yield doc.diagnostic(
                loc, "GR010", f"unknown key `{field}`", did_you_mean(field, parent) if parent else None, key=True
            )
        elif kind == "missing":
            yield doc.diagnostic(loc[:-1], "GR011", f"missing required key `{field}`")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            choices = re.findall(r"'([^']*)'", str(expected))
            yield doc.diagnostic(
                loc, "GR013", f"`{err['input']}` is not allowed for `{field}`", did_you_mean(str(err["input"]), choices)
            )
        else:
            yield doc.diagnostic(loc, "GR012", f"`{field}`: {err['msg'].lower()}", _type_help(kind, field))


def _type_help(kind: str, field: str) -> str | None:
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD"
    if kind in {"bool_type", "bool_parsing"}:
        return "write `true` or `false` (YAML 1.2: `yes`/`no`/`on`/`off` are strings)"
    if field in {"article", "item"}:
        return "write the number as an integer, e.g. `52`"
    return None


def _section_fields(loc: Path_) -> tuple[str, ...]:
    """The keys allowed at ``loc`` (for 'did you mean')."""
    from govrules import model as m

    names = [p for p in loc if isinstance(p, str)]
    cls: Any = m.ProfileSpec
    table: dict[str, Any] = {
        "profile": m.Meta,
        "roles": m.RoleDecl,
        "signing": m.SigningRule,
        "seals": m.SealRule,
        "when": m.Condition,
        "steps": m.Step,
        "delegation": m.Delegation,
        "basis": m.Citation,
    }
    for name in names:
        if name == "when" and "deadlines" in names:
            cls = m.DeadlineCondition
        elif name == "document":
            cls = m.Condition
        elif name == "agenda":
            cls = m.AgendaCondition if "compliance" in names else m.AgendaSpec
        else:
            cls = table.get(name, cls)
    return tuple(cls.model_fields)


# -- semantic checks ---------------------------------------------------------------------------


def _semantic(doc: Document, spec: ProfileSpec, stem: str | None) -> Iterator[Diagnostic]:
    meta = spec.profile
    if stem is not None and stem != meta.id:
        yield doc.diagnostic(
            ("profile", "id"),
            "GR028",
            f"profile id `{meta.id}` does not match the file name `{stem}`",
            f"rename the file to `{meta.id}.yaml` or the id to `{stem}`",
        )

    roles = set(v.SHARED_ROLES)
    seen_roles: set[str] = set()
    for i, role in enumerate(spec.roles):
        if role.id in seen_roles:
            yield doc.diagnostic(("roles", i, "id"), "GR030", f"role `{role.id}` is declared twice")
        seen_roles.add(role.id)
        roles.add(role.id)

    ids: dict[str, Path_] = {}
    families: tuple[
        tuple[str, Sequence[SigningRule | SealRule | SubstitutionRule | DeadlineRule | MeetingSpec | ComplianceRule]],
        ...,
    ] = (
        ("signing", spec.signing),
        ("seals", spec.seals),
        ("substitution", spec.substitution),
        ("deadlines", spec.deadlines),
        ("meetings", spec.meetings),
        ("compliance", spec.compliance),
    )
    for area, rules in families:
        for i, rule in enumerate(rules):
            where: Path_ = (area, i)
            if rule.id in ids:
                yield doc.diagnostic(
                    (*where, "id"),
                    "GR020",
                    f"rule id `{rule.id}` is used twice",
                    f"it was first used at line {doc.position((*ids[rule.id], 'id'))[0]}",
                )
            else:
                ids[rule.id] = where
            pattern = rf"{re.escape(meta.id)}\.{_AREAS[area]}\.[a-z0-9]+(-[a-z0-9]+)*"
            if not re.fullmatch(pattern, rule.id):
                yield doc.diagnostic(
                    (*where, "id"),
                    "GR021",
                    f"rule id `{rule.id}` does not follow `{meta.id}.{area}.<slug>`",
                    "a slug is lowercase ascii words joined by `-`",
                )
            yield from _citations(doc, (*where, "basis"), rule.basis, meta.articles)

    route_ids = {r.id for r in spec.signing if r.steps is not None}
    for i, rule in enumerate(spec.signing):
        yield from _signing_rule(doc, ("signing", i), rule, roles, route_ids)
    yield from _override_cycles(doc, spec.signing)

    for i, seal in enumerate(spec.seals):
        where = ("seals", i)
        if seal.seal not in v.SEALS:
            yield doc.diagnostic(
                (*where, "seal"), "GR013", f"unknown seal `{seal.seal}`", did_you_mean(seal.seal, v.SEALS)
            )
        for key in ("approvers", "delegable_to", "authorised_by"):
            yield from _roles(doc, (*where, key), getattr(seal, key), roles)

    offices = {r for r in roles if r in v.OFFICES or any(d.id == r and d.kind == "office" for d in spec.roles)}
    for i, sub in enumerate(spec.substitution):
        where = ("substitution", i)
        if sub.absent not in offices:
            yield doc.diagnostic(
                (*where, "absent"),
                "GR022",
                f"`absent` must be an office, not `{sub.absent}`",
                did_you_mean(sub.absent, offices, list_all=False),
            )
        yield from _closed(doc, (*where, "reasons"), sub.reasons, v.REASONS, "absence reason")
        yield from _closed(doc, (*where, "duties"), sub.duties, v.DUTIES, "duty")
        for k, who in enumerate(sub.acting):
            if who != "ab_partner" and who not in offices:
                yield doc.diagnostic(
                    (*where, "acting", k),
                    "GR022",
                    f"`acting` names `{who}`, which is neither an office nor `ab_partner`",
                    did_you_mean(who, {*offices, "ab_partner"}, list_all=False),
                )
    deadline_ids = {r.id for r in spec.deadlines}
    for i, rule in enumerate(spec.deadlines):
        where = ("deadlines", i)
        if rule.kind not in v.DEADLINE_KINDS:
            yield doc.diagnostic(
                (*where, "kind"),
                "GR013",
                f"unknown deadline kind `{rule.kind}`",
                did_you_mean(rule.kind, v.DEADLINE_KINDS),
            )
        urgencies = rule.when.urgency
        yield from _closed(
            doc,
            (*where, "when", "urgency"),
            [urgencies] if isinstance(urgencies, str) else urgencies or [],
            v.URGENCIES,
            "urgency",
        )
        if rule.unit == "hours" and rule.direction == "before":
            yield doc.diagnostic((*where, "direction"), "GR027", "a period in hours counts forward only")
        for k, target in enumerate(rule.overrides):
            if target not in deadline_ids or target == rule.id:
                yield doc.diagnostic(
                    (*where, "overrides", k),
                    "GR023",
                    f"`overrides` names `{target}`, which is not another deadline rule of this profile",
                    did_you_mean(target, deadline_ids - {rule.id}),
                )
    kinds: dict[str, int] = {}
    for i, meeting in enumerate(spec.meetings):
        yield from _meeting(doc, ("meetings", i), meeting, roles)
        if meeting.kind in kinds:
            yield doc.diagnostic(
                ("meetings", i, "kind"),
                "GR020",
                f"meeting kind `{meeting.kind}` is described twice",
                f"the first description is at line {doc.position(('meetings', kinds[meeting.kind], 'kind'))[0]}",
            )
        kinds.setdefault(meeting.kind, i)
    for i, rule in enumerate(spec.compliance):
        where = ("compliance", i)
        yield from _closed(doc, (*where, "reasons"), rule.reasons, v.REASONS, "absence reason")
        given = [k for k in ("document", "agenda", "absent_together") if getattr(rule, k) is not None]
        if len(given) != 1:
            yield doc.diagnostic(
                where,
                "GR032",
                f"compliance rule `{rule.id}` names {' and '.join(f'`{g}`' for g in given) or 'nothing'}",
                "give exactly one of `document`, `agenda` or `absent_together`",
            )
        if rule.reasons and rule.absent_together is None:
            yield doc.diagnostic((*where, "reasons"), "GR032", "`reasons` only qualify `absent_together`")
        for j, cond in enumerate(rule.document or ()):
            yield from _condition(doc, (*where, "document", j), cond, roles)
        for j, item in enumerate(rule.agenda or ()):
            meetings = item.terms().get("meeting", ())
            if not isinstance(meetings, bool):
                yield from _closed(doc, (*where, "agenda", j, "meeting"), meetings, v.MEETINGS, "meeting kind")


def _citations(doc: Document, where: Path_, basis: tuple[Citation, ...], articles: int) -> Iterator[Diagnostic]:
    if not basis:
        yield doc.diagnostic(
            where[:-1], "GR024", "rule has no citation", "add `basis:` with the article and a verbatim quote"
        )
    for j, cite in enumerate(basis):
        quote = re.sub(r"\s+", "", cite.quote)
        if not quote:
            yield doc.diagnostic((*where, j, "quote"), "GR025", "the quote is empty")
        elif len(quote) > MAX_QUOTE:
            yield doc.diagnostic(
                (*where, j, "quote"),
                "GR025",
                f"the quote has {len(quote)} characters; at most {MAX_QUOTE} are allowed",
                "quote only the operative words",
            )
        if cite.article > articles:
            yield doc.diagnostic(
                (*where, j, "article"),
                "GR026",
                f"article {cite.article} does not exist: the source has {articles} articles",
            )


def _meeting(doc: Document, where: Path_, meeting: MeetingSpec, roles: set[str]) -> Iterator[Diagnostic]:
    if meeting.kind not in v.MEETINGS:
        yield doc.diagnostic(
            (*where, "kind"), "GR013", f"unknown meeting kind `{meeting.kind}`", did_you_mean(meeting.kind, v.MEETINGS)
        )
    for key in ("members", "chair_delegates"):
        yield from _roles(doc, (*where, key), getattr(meeting, key), roles)
    for key in ("convener", "chair", "leave_approver"):
        value = getattr(meeting, key)
        if value is not None:
            yield from _roles(doc, (*where, key), [value], roles)
    for k, attendee in enumerate(meeting.attendees):
        if attendee.role is not None:
            yield from _roles(doc, (*where, "attendees", k, "role"), [attendee.role], roles)
    for k, leave in enumerate(meeting.leave_approvers):
        yield from _roles(doc, (*where, "leave_approvers", k, "approver"), [leave.approver], roles)
        yield from _roles(doc, (*where, "leave_approvers", k, "roles"), leave.roles, roles)
    if meeting.agenda is not None:
        for key in ("proposed_by", "approved_by"):
            yield from _roles(doc, (*where, "agenda", key), getattr(meeting.agenda, key), roles)
    if meeting.frequency is not None:
        low, high = meeting.frequency.times
        if not 1 <= low <= high:
            yield doc.diagnostic(
                (*where, "frequency", "times"),
                "GR012",
                f"`times` must be `[min, max]` with 1 ≤ min ≤ max, not {[low, high]}",
            )
    if meeting.quorum is not None:
        fractions = [f for f in (meeting.quorum.more_than, meeting.quorum.at_least) if f is not None]
        if len(fractions) != 1:
            yield doc.diagnostic((*where, "quorum"), "GR012", "a quorum gives exactly one of `more_than` or `at_least`")
        for num, den in fractions:
            if not 0 < num <= den:
                yield doc.diagnostic(
                    (*where, "quorum"), "GR012", f"a quorum fraction must be `[n, d]` with 0 < n ≤ d, not {[num, den]}"
                )


def _closed(
    doc: Document, where: Path_, values: Iterable[str], allowed: Iterable[str], what: str
) -> Iterator[Diagnostic]:
    for k, value in enumerate(values):
        if value not in allowed:
            yield doc.diagnostic((*where, k), "GR013", f"unknown {what} `{value}`", did_you_mean(value, allowed))


def _roles(doc: Document, where: Path_, values: Iterable[str], known: set[str]) -> Iterator[Diagnostic]:
    for k, role in enumerate(values):
        if role not in known:
            yield doc.diagnostic(
                (*where, k),
                "GR022",
                f"unknown role `{role}`",
                did_you_mean(role, known, list_all=False) or "declare it under `roles`, or use a shared role id",
            )


def _signing_rule(
    doc: Document, where: Path_, rule: SigningRule, roles: set[str], route_ids: set[str]
) -> Iterator[Diagnostic]:
    for j, cond in enumerate(rule.when):
        yield from _condition(doc, (*where, "when", j), cond, roles)
    if (rule.steps is None) == (rule.delegation is None):
        yield doc.diagnostic(where, "GR027", f"rule `{rule.id}` needs exactly one of `steps` or `delegation`")
    if rule.steps is not None:
        if not rule.steps:
            yield doc.diagnostic((*where, "steps"), "GR027", "a route needs at least one step")
        signs = [k for k, s in enumerate(rule.steps) if s.action == "sign"]
        if len(signs) > 1:
            yield doc.diagnostic((*where, "steps", signs[1]), "GR027", "a route has at most one `sign` step")
        for k, step in enumerate(rule.steps):
            at = (*where, "steps", k)
            if step.action == "deliberate":
                if step.meeting is None or step.roles:
                    yield doc.diagnostic(at, "GR027", "a `deliberate` step names a `meeting` and no `roles`")
                elif step.meeting not in v.MEETINGS:
                    yield doc.diagnostic(
                        (*at, "meeting"),
                        "GR013",
                        f"unknown meeting kind `{step.meeting}`",
                        did_you_mean(step.meeting, v.MEETINGS),
                    )
            else:
                if not step.roles:
                    yield doc.diagnostic(at, "GR027", f"a `{step.action}` step needs `roles`")
                if step.meeting is not None:
                    yield doc.diagnostic((*at, "meeting"), "GR027", "only a `deliberate` step names a `meeting`")
            if (step.delegable_to or step.authorised_by) and step.action != "sign":
                yield doc.diagnostic(at, "GR027", "only a `sign` step may list `delegable_to` or `authorised_by`")
            if step.authorised_by and not step.delegable_to:
                yield doc.diagnostic((*at, "authorised_by"), "GR027", "`authorised_by` without `delegable_to`")
            for key in ("roles", "delegable_to", "authorised_by"):
                yield from _roles(doc, (*at, key), getattr(step, key), roles)
    if rule.delegation is not None:
        for key in ("to", "authorised_by"):
            yield from _roles(doc, (*where, "delegation", key), getattr(rule.delegation, key), roles)
        if rule.overrides:
            yield doc.diagnostic((*where, "overrides"), "GR023", "a `delegation` rule cannot override routes")
    for k, target in enumerate(rule.overrides):
        if target not in route_ids:
            yield doc.diagnostic(
                (*where, "overrides", k),
                "GR023",
                f"`overrides` names `{target}`, which is not a route rule of this profile",
                did_you_mean(target, route_ids),
            )
        elif target == rule.id:
            yield doc.diagnostic((*where, "overrides", k), "GR031", f"rule `{rule.id}` overrides itself")


def _condition(doc: Document, where: Path_, cond: Condition, roles: set[str]) -> Iterator[Diagnostic]:
    for key, value in cond.terms().items():
        if isinstance(value, bool):
            continue
        allowed = roles | {"none"} if key == "chaired_by" else _CONDITION_IDS[key]
        for k, item in enumerate(value):
            if item not in allowed:
                code = "GR022" if key == "chaired_by" else "GR013"
                yield doc.diagnostic(
                    (*where, key, k), code, f"`{item}` is not a known value of `{key}`", did_you_mean(item, allowed)
                )
        if not value:
            yield doc.diagnostic((*where, key), "GR012", f"`{key}` is an empty list", "give at least one value")


def _override_cycles(doc: Document, rules: tuple[SigningRule, ...]) -> Iterator[Diagnostic]:
    index = {r.id: i for i, r in enumerate(rules)}
    graph = {r.id: {t for t in r.overrides if t in index and t != r.id} for r in rules}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle = list(exc.args[1])
        first = min(cycle[:-1], key=index.__getitem__)
        path = " → ".join(f"`{r}`" for r in reversed(cycle))
        yield doc.diagnostic(
            ("signing", index[first], "overrides"),
            "GR031",
            f"`overrides` forms a cycle: {path}",
            "precedence must go one way",
        )
