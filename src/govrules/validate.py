"""From parsed YAML to a checked :class:`ProfileSpec`, collecting every diagnostic.

Shape errors come from pydantic and are translated into profile terms; semantic checks (ids that
must exist, precedence, citations) follow only when the shape is right.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from govrules import vocabulary as v
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import ProfileError
from govrules.families import FAMILIES, ProfileSpec
from govrules.families.base import CheckContext
from govrules.lint import lint
from govrules.loader import Document, Path_, YamlProblem, parse, read
from govrules.model import Citation

MAX_QUOTE = 40


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
        diagnostics += lint(context(doc, spec))  # the search assumes ids and references are sound
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

    offices = {r for r in roles if r in v.OFFICES or any(d.id == r and d.kind == "office" for d in spec.roles)}
    ctx = CheckContext(doc, spec, frozenset(roles), frozenset(offices))
    for family in FAMILIES:
        yield from family.validate(ctx)


def context(doc: Document, spec: ProfileSpec) -> CheckContext:
    """The context families' checks and lint see (roles and offices the profile knows)."""
    roles = set(v.SHARED_ROLES) | {r.id for r in spec.roles}
    offices = {r for r in roles if r in v.OFFICES or any(d.id == r and d.kind == "office" for d in spec.roles)}
    return CheckContext(doc, spec, frozenset(roles), frozenset(offices))


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
