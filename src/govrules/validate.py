"""From parsed YAML to a checked :class:`ProfileSpec`, collecting every diagnostic in one pass.

The checks and what each needs (:data:`CHECKS`): *shape* (pydantic, translated into profile terms)
and *file name* (the id against the file's name) need only the parsed YAML; *references* (ids that
must exist, precedence, citations) need a sound ``profile`` and ``roles`` and run on every section
whose own shape is right; *quotes* (against the author's copy of the source text) read citations
straight from the YAML, so they run whatever the shape; *lint* (conflicts, unreachable rules, gaps)
needs the whole profile sound. A check that cannot run is reported as :class:`Skipped`, with why.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ProfileError
from govrules.families import FAMILIES, ProfileSpec
from govrules.families.base import CheckContext, check_annotations
from govrules.lint import lint as run_lint
from govrules.loader import Document, Path_, YamlProblem, parse, read
from govrules.model import Citation

MAX_QUOTE = 40

#: The checks of :func:`check_report`, in the order they run.
CHECKS = ("shape", "file name", "references", "quotes", "lint")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A check that did not run on a file because an earlier problem makes its result meaningless."""

    file: str
    check: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "check": self.check, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Report:
    """What checking one file found: every diagnostic, the checks skipped, and the spec if the shape is right."""

    file: str
    spec: ProfileSpec | None
    diagnostics: tuple[Diagnostic, ...]
    skipped: tuple[Skipped, ...] = ()


def load_spec(
    source: str | Path, *, text: str | None = None, stem: str | None = None, lint: bool = True
) -> ProfileSpec:
    """Read, shape-check and semantically check one profile; raise :class:`ProfileError` on any error.

    ``lint=False`` leaves out the lint (its conflict search is most of a check's time): what
    :func:`govrules.load` does, since a conflict is still refused where it matters, when a question
    meets it (:class:`~govrules.ConflictError`), and ``govrules validate`` reports it (GR050).
    """
    spec, diagnostics = check_file(source, text=text, stem=stem, lint=lint)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or spec is None:
        raise ProfileError(diagnostics)
    return spec


def check_file(
    source: str | Path, *, text: str | None = None, stem: str | None = None, lint: bool = True
) -> tuple[ProfileSpec | None, list[Diagnostic]]:
    """Every diagnostic for one file, and the spec when its shape is right (see :func:`check_report`)."""
    report = check_report(source, text=text, stem=stem, lint=lint)
    return report.spec, list(report.diagnostics)


def check_report(
    source: str | Path,
    *,
    text: str | None = None,
    stem: str | None = None,
    quotes_from: str | Path | None = None,
    lint: bool = True,
) -> Report:
    """Run every check that can run on one profile file, in one pass.

    ``stem`` is the name the profile id must match (by default the file name, unless ``text`` is
    given). Quotes are checked against ``quotes_from``, else against the ``profile.source`` the file
    names (only when the file is read from disk, not given as ``text``). ``lint=False`` skips the
    lint (reported in ``skipped``).

    Examples
    --------
    >>> report = check_report("profile.yaml", text="profile: {id: x}\\nsigning: [{id: 1}]\\n", stem="y")
    >>> sorted({d.code for d in report.diagnostics})
    ['GR011', 'GR012', 'GR028']
    >>> [(s.check, s.reason) for s in report.skipped]  # doctest: +NORMALIZE_WHITESPACE
    [('references', '`profile` has shape errors, so ids and roles cannot be resolved'),
     ('lint', 'the shape is wrong, and the conflict search needs a complete profile')]
    """
    file = str(source)
    try:
        doc = parse(text, file) if text is not None else read(source)
    except YamlProblem as problem:
        unread = any(d.code == "GR001" for d in problem.diagnostics)
        why = "the file cannot be read" if unread else "the file cannot be parsed"
        return Report(file, None, tuple(problem.diagnostics), _skip(file, CHECKS, why))
    if not isinstance(doc.data, dict):
        diagnostic = doc.diagnostic((), "GR012", "a profile must be a mapping with a `profile` section")
        return Report(file, None, (diagnostic,), _skip(file, CHECKS[1:], "the file is not a mapping"))
    data: dict[str, Any] = doc.data
    diagnostics: list[Diagnostic] = []
    skipped: list[Skipped] = []
    meta = data.get("profile")
    meta = meta if isinstance(meta, dict) else {}

    spec: ProfileSpec | None = None
    sound: ProfileSpec | None = None  # what the reference checks see: the spec, or what survives of it
    try:
        spec = sound = ProfileSpec.model_validate(data)
    except ValidationError as exc:
        diagnostics += _shape_diagnostics(doc, exc)
        sound, set_aside = _salvage(data, exc)
        if set_aside is not None:
            skipped += _skip(file, ("references",), set_aside)

    if stem is None and text is None:
        stem = Path(file).stem
    if stem is not None:
        if isinstance(meta.get("id"), str):
            diagnostics += _file_name(doc, meta["id"], stem)
        else:
            skipped += _skip(file, ("file name",), "`profile.id` is missing or not a string")

    semantic = list(_semantic(doc, sound)) if sound is not None else []
    diagnostics += semantic

    declared = meta.get("source")
    if quotes_from is None and isinstance(declared, str):
        quotes_from = Path(file).parent / declared
    elif quotes_from is None and declared is not None:
        skipped += _skip(file, ("quotes",), "`profile.source` is not a path")
    if quotes_from is not None and text is None:  # the quote check reads the file itself
        from govrules.sources import check_quotes  # only authors with a source text need it

        diagnostics += check_quotes(source, quotes_from)

    if not lint:
        skipped += _skip(file, ("lint",), "not asked for")
    elif spec is None:
        skipped += _skip(file, ("lint",), "the shape is wrong, and the conflict search needs a complete profile")
    elif any(d.severity == "error" for d in semantic):
        skipped += _skip(file, ("lint",), "ids or references have errors, and the conflict search assumes them sound")
    else:
        diagnostics += run_lint(context(doc, spec))
    return Report(file, spec, tuple(sorted(diagnostics, key=_order)), tuple(skipped))


def _skip(file: str, checks: tuple[str, ...], reason: str) -> tuple[Skipped, ...]:
    return tuple(Skipped(file, check, reason) for check in checks)


def _salvage(data: dict[str, Any], exc: ValidationError) -> tuple[ProfileSpec | None, str | None]:
    """The profile without the sections that have shape errors, for the reference checks.

    Sections are dropped whole, so the positions of the rest stay right. Without a sound `profile`
    or `roles` nothing can be resolved; a rule section refers only to its own rules (`overrides`),
    so dropping one gives no false reports in the others.
    """
    broken = {err["loc"][0] if err["loc"] else "" for err in exc.errors(include_url=False)}
    for vital in ("", "profile", "roles"):
        if vital in broken:
            what = "the profile as a whole" if not vital else f"`{vital}`"
            return None, f"{what} has shape errors, so ids and roles cannot be resolved"
    sections = sorted(str(s) for s in broken if s in ProfileSpec.model_fields)
    try:
        partial = ProfileSpec.model_validate({k: val for k, val in data.items() if k not in broken})
    except ValidationError:  # pragma: no cover - every error was inside a dropped section
        return None, "the shape errors cannot be set aside"
    if not sections:  # only unknown top-level keys: everything known is checked
        return partial, None
    names = ", ".join(f"`{s}`" for s in sections)
    verb = "has" if len(sections) == 1 else "have"
    return partial, f"{names} {verb} shape errors, so references there are not checked"


def _file_name(doc: Document, pid: str, stem: str) -> Iterator[Diagnostic]:
    if stem != pid:
        yield doc.diagnostic(
            ("profile", "id"),
            "GR028",
            f"profile id `{pid}` does not match the file name `{stem}`",
            f"rename the file to `{pid}.yaml` or the id to `{stem}`",
        )


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
    """The keys allowed at ``loc`` (for 'did you mean'), found by walking the model's fields."""
    cls: type[BaseModel] = ProfileSpec
    for name in loc:
        if isinstance(name, int):
            continue
        field = cls.model_fields.get(name)
        nested = _model_in(field.annotation) if field is not None else None
        if nested is None:
            break
        cls = nested
    return tuple(cls.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# -- semantic checks ---------------------------------------------------------------------------


def _semantic(doc: Document, spec: ProfileSpec) -> Iterator[Diagnostic]:
    meta = spec.profile
    seen_roles: set[str] = set()
    for i, role in enumerate(spec.roles):
        if role.id in seen_roles:
            yield doc.diagnostic(("roles", i, "id"), "GR030", f"role `{role.id}` is declared twice")
        seen_roles.add(role.id)

    ids: dict[str, Path_] = {}
    for family in FAMILIES:
        area = family.section
        for i, rule in enumerate(family.entries(spec)):
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
            pattern = rf"{re.escape(meta.id)}\.{area}\.[a-z0-9]+(-[a-z0-9]+)*"
            if not re.fullmatch(pattern, rule.id):
                yield doc.diagnostic(
                    (*where, "id"),
                    "GR021",
                    f"rule id `{rule.id}` does not follow `{meta.id}.{area}.<slug>`",
                    "a slug is lowercase ascii words joined by `-`",
                )
            yield from _citations(doc, (*where, "basis"), rule.basis, meta.articles)
            yield from check_annotations(doc, (*where, "basis"), rule, area, family.supports)

    ctx = context(doc, spec)
    for family in FAMILIES:
        yield from family.validate(ctx)


def context(doc: Document, spec: ProfileSpec) -> CheckContext:
    """The context families' checks and lint see (roles and offices the profile knows)."""
    roles = set(v.SHARED_ROLES) | {r.id for r in spec.roles}
    offices = {r for r in roles if r in v.OFFICES or any(d.id == r and d.kind == "office" for d in spec.roles)}
    return CheckContext(doc, spec, frozenset(roles), frozenset(offices))


def check_citations(doc: Document, where: Path_, cites: tuple[Citation, ...], articles: int) -> Iterator[Diagnostic]:
    """The checks of a rule's `basis` (GR025, GR026) for citations a family keeps elsewhere in a rule."""
    return _citations(doc, where, cites, articles)


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
