"""Reading YAML that is not a profile: rosters, absences, scenarios, calendars, holiday notices.

Every such file is read the same way: the marked loader (:mod:`govrules.loader`), a pydantic model
that checks its shape (frozen, unknown keys refused), then the checks that need the whole file.
Problems come out as the same ``file:line:col CODE message`` diagnostics as a profile's, with "did
you mean" for unknown keys, and are all collected before anything is raised
(:class:`~govrules.ProfileError`). Plain data given in code (``from_mapping``) is checked by the same
models; its problems raise :class:`~govrules.InvalidArgument` naming the place inside the data,
e.g. ```people[3].office```.

This module also holds the package's one date parser, :func:`parse_date` (and :func:`parse_moment`
for a date or a time of day), and :data:`IsoDate` / :data:`Moment`, the same parsers as pydantic
field types.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from govrules import _args
from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.errors import InvalidArgument, ProfileError
from govrules.loader import Document, Path_, YamlProblem, read

__all__ = [
    "IsoDate",
    "Label",
    "Model",
    "Moment",
    "PersonId",
    "Problem",
    "Reader",
    "custom_error",
    "fields_at",
    "one_of",
    "parse_date",
    "parse_moment",
    "read_yaml",
    "render_path",
    "shape_problems",
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# -- dates ---------------------------------------------------------------------------------------

# `date.fromisoformat` alone also takes `20270101` and `2027-W01-1`; files and arguments say YYYY-MM-DD.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?\Z"
)


def parse_date(value: object, *, name: str | None = None) -> dt.date:
    """A calendar date written ``YYYY-MM-DD`` (a :class:`datetime.date` passes through).

    Parameters
    ----------
    value
        The text (or date) to read.
    name
        The argument or key it came from, named at the start of the error message.

    Raises
    ------
    InvalidArgument
        For anything else, including a datetime, a number and a date that does not exist.

    Examples
    --------
    >>> parse_date("2027-02-06")
    datetime.date(2027, 2, 6)
    >>> parse_date("2027-02-30")
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `2027-02-30` is not a calendar date
    >>> parse_date("6 Feb", name="on")
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `on`: `6 Feb` is not a date; write it as `YYYY-MM-DD`
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidArgument(_named(name, f"`{value}` is not a calendar date")) from None
    raise InvalidArgument(_named(name, f"`{_show(value)}` is not a date; write it as `YYYY-MM-DD`"))


def parse_moment(value: object, *, name: str | None = None) -> dt.date | dt.datetime:
    """A date (``YYYY-MM-DD``) or a time of day (``YYYY-MM-DDTHH:MM``, seconds and a UTC offset optional).

    Dates and datetimes pass through. A space may stand for the ``T``.

    Examples
    --------
    >>> parse_moment("2025-10-01")
    datetime.date(2025, 10, 1)
    >>> parse_moment("2025-10-01T22:30")
    datetime.datetime(2025, 10, 1, 22, 30)
    >>> parse_moment("2025-10-01T25:00", name="at")
    Traceback (most recent call last):
      ...
    govrules.errors.InvalidArgument: `at`: `2025-10-01T25:00` is not a valid date and time
    """
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidArgument(_named(name, f"`{value}` is not a valid date and time")) from None
    if isinstance(value, str) and _DATE.match(value):
        return parse_date(value, name=name)
    raise InvalidArgument(
        _named(name, f"`{_show(value)}` is not a date or a time; write `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`")
    )


def _named(name: str | None, message: str) -> str:
    return f"`{name}`: {message}" if name else message


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text if text.isprintable() else repr(text)
    return text if len(text) <= 60 else text[:59] + "…"


# -- pydantic field types ------------------------------------------------------------------------
#
# A validator reports a problem as a custom error whose type is the diagnostic code and whose
# context carries the message and help line; `Reader.shape` passes them on unchanged.


def custom_error(code: str, message: str, help: str | None = None) -> PydanticCustomError:
    """A pydantic error that :class:`Reader` turns into diagnostic ``code`` with ``message`` and ``help``."""
    return PydanticCustomError(code, "{message}", {"message": message, "help": help})


def _date_field(value: Any) -> dt.date:
    try:
        return parse_date(value)
    except InvalidArgument as exc:
        raise custom_error("GR012", str(exc)) from None


def _moment_field(value: Any) -> dt.date | dt.datetime:
    try:
        return parse_moment(value)
    except InvalidArgument as exc:
        raise custom_error("GR012", str(exc)) from None


def _person_id_field(value: Any) -> str:
    try:
        return _args.person_id("id", value)
    except InvalidArgument as exc:
        message = str(exc).removeprefix("`id`: ").removesuffix(_args.PERSON_ID_ADVICE)
        raise custom_error("GR012", message, _args.PERSON_ID_HELP) from None


def one_of(allowed: Iterable[str], what: str) -> BeforeValidator:
    """A field validator admitting only ``allowed`` strings (GR013 with "did you mean" otherwise)."""
    options = tuple(sorted(allowed))
    known = frozenset(options)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in known:
            return value
        if not isinstance(value, str):
            raise custom_error("GR012", f"expected {what} (a string), got `{_show(value)}`")
        raise custom_error("GR013", f"`{_show(value)}` is not {what}", did_you_mean(value, options))

    return BeforeValidator(check)


def _label_field(value: Any) -> str:
    if not isinstance(value, str):
        raise custom_error("GR012", f"expected text, got `{_show(value)}`")
    if not value.strip():
        raise custom_error("GR012", "expected text, got an empty string")
    if not value.isprintable() or len(value) > MAX_LABEL:
        limit = f"expected one line of at most {MAX_LABEL} printable characters"
        raise custom_error("GR012", f"{limit}, got `{_show(value)}`")
    return value


#: The longest name or document number accepted in these files.
MAX_LABEL = 200

#: A date written ``YYYY-MM-DD`` (the field type of every date in these files).
IsoDate = Annotated[dt.date, BeforeValidator(_date_field)]
#: A date, or a date and time ``YYYY-MM-DDTHH:MM``.
Moment = Annotated[dt.date | dt.datetime, BeforeValidator(_moment_field)]
#: A name or a document number: one line of printable text, not blank.
Label = Annotated[str, BeforeValidator(_label_field)]
#: A person id (see :func:`govrules._args.person_id`).
PersonId = Annotated[str, BeforeValidator(_person_id_field)]


class Model(BaseModel):
    """Base of the input file models: frozen, unknown keys refused, schemas built on first use."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# -- problems and where they are -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file or a mapping, at ``path`` inside it (``key``: at the key, not the value)."""

    path: Path_
    code: str
    message: str
    help: str | None = None
    key: bool = False


def render_path(path: Path_, root: str = "data") -> str:
    """``("people", 3, "office")`` → ``people[3].office``; the empty path is ``root``.

    >>> render_path(("people", 3, "office"))
    'people[3].office'
    """
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or root


def read_yaml(path: object, *, name: str = "path") -> Document:
    """Read a YAML file with the marked loader; :class:`ProfileError` if it cannot be read or parsed."""
    if not isinstance(path, str | PathLike):
        raise InvalidArgument(f"`{name}`: expected a file path, got `{path!r}`")
    try:
        return read(path if isinstance(path, str) else Path(path))
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None


class Reader:
    """Collects the problems found in one file (``doc``) or one mapping given in code (``doc=None``).

    Checks add problems; :meth:`done` raises them all at once: a :class:`ProfileError` of located
    diagnostics for a file, an :class:`InvalidArgument` naming each place for a mapping.
    """

    def __init__(self, doc: Document | None, *, root: str = "data") -> None:
        self.doc = doc
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path_, code: str, message: str, help: str | None = None, *, key: bool = False) -> None:
        self.problems.append(Problem(path, code, message, help, key))

    def where(self, path: Path_) -> str:
        """How a message refers to another place: ``line 5`` in a file, ```people[1].id``` in a mapping."""
        if self.doc is not None:
            return f"line {self.doc.position(path)[0]}"
        return f"`{render_path(path, self.root)}`"

    def shape(self, model: type[M], data: Any, at: Path_ = ()) -> M | None:
        """``data`` (found at ``at``) validated by ``model``, or None with its problems added."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems += [
                Problem((*at, *p.path), p.code, p.message, p.help, p.key) for p in shape_problems(exc, model)
            ]
            return None

    def build(self, path: Path_, make: Callable[[], T], fields: Iterable[str] = ()) -> T | None:
        """``make()``, or None with its :class:`InvalidArgument` added as a problem at ``path``.

        The value constructors are the one place their checks live; a message that starts with one
        of ``fields`` in backticks is placed at that field.
        """
        try:
            return make()
        except InvalidArgument as exc:
            message, help = str(exc), None
            suggestion = re.search(r"; ((did you mean|expected one of) .*)\Z", message)
            if suggestion:
                message, help = message[: suggestion.start()], suggestion.group(1)
            code = "GR013" if message.endswith("is not allowed") else "GR012"  # the words of `_args.choice`
            found = re.match(r"`(\w+)`: ", message)
            if found and found.group(1) in set(fields):
                self.add((*path, found.group(1)), code, message[found.end() :], help)
            else:
                self.add(path, code, message[:1].lower() + message[1:], help)
            return None

    def done(self) -> None:
        """Raise every problem found so far, if any."""
        if self.problems:
            self.fail()

    def fail(self) -> NoReturn:
        if self.doc is not None:
            doc = self.doc
            found = [doc.diagnostic(p.path, p.code, p.message, p.help, key=p.key) for p in self.problems]
            raise ProfileError(sorted(found, key=_order))
        lines = [self._line(p) for p in self.problems]
        if len(lines) == 1:
            raise InvalidArgument(lines[0])
        raise InvalidArgument(f"{len(lines)} problems in `{self.root}`:\n" + "\n".join(lines))

    def _line(self, problem: Problem) -> str:
        # the path names the field already: `people`: expected a list, not `people`: `people`: …
        last = problem.path[-1:]
        named = render_path(last, "value") if last and isinstance(last[0], str) else render_path(problem.path, "value")
        message = problem.message.removeprefix(f"`{named}`: ")
        text = f"`{render_path(problem.path, self.root)}`: {message}"
        return f"{text}; {problem.help}" if problem.help else text


def _order(d: Diagnostic) -> tuple[int, int, str]:
    return d.line, d.column, d.code


# -- pydantic errors in input-file terms -----------------------------------------------------------

_TYPE_WORDS = {
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "string_type": "a string",
    "int_type": "a whole number",
    "bool_type": "`true` or `false`",
}


_TYPE_HELP = {
    "bool_type": "write `true` or `false` (YAML 1.2: `yes`/`no`/`on`/`off` are strings)",
    "int_type": "write the number without quotes, e.g. `52`",
}


def shape_problems(exc: ValidationError, model: type[BaseModel]) -> Iterator[Problem]:
    """The errors of ``exc`` (raised validating ``model``) as problems: unknown keys (GR010, with the
    closest allowed key), missing keys (GR011), wrong types and values (GR012), values outside a
    closed set (GR013). A container's complaint that only echoes one inside it is dropped."""
    errors = exc.errors(include_url=False)
    locs = [_loc(err["loc"]) for err in errors]
    for err, loc in zip(errors, locs, strict=True):
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs):
            continue
        kind = err["type"]
        ctx = err.get("ctx") or {}
        field = render_path(loc[-1:], "value") if loc and isinstance(loc[-1], str) else render_path(loc, "value")
        if err["loc"][-1:] == ("[key]",):  # a mapping key that is not text (only data given in code has those)
            yield Problem(loc, "GR012", f"keys must be text, got `{_show(err['input'])}`")
        elif re.fullmatch(r"GR[0-9]{3}", kind):
            yield Problem(loc, kind, str(ctx.get("message", err["msg"])), ctx.get("help"))
        elif kind == "extra_forbidden":
            allowed = fields_at(model, loc[:-1])
            help = did_you_mean(str(loc[-1]), allowed) if allowed else None
            yield Problem(loc, "GR010", f"unknown key `{loc[-1]}`", help, key=True)
        elif kind == "missing":
            yield Problem(loc[:-1], "GR011", f"missing required key `{loc[-1]}`")
        elif kind == "literal_error":
            choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            value = _show(err["input"])
            yield Problem(loc, "GR013", f"`{value}` is not allowed for `{field}`", did_you_mean(value, choices))
        elif kind in _TYPE_WORDS:
            value = err["input"]
            got = repr(value) if isinstance(value, str) else _show(value)  # quoted: text, not a number
            yield Problem(loc, "GR012", f"`{field}`: expected {_TYPE_WORDS[kind]}, got `{got}`", _TYPE_HELP.get(kind))
        else:
            yield Problem(loc, "GR012", f"`{field}`: {err['msg'][:1].lower()}{err['msg'][1:]}")


def _loc(raw: tuple[Any, ...]) -> Path_:
    """A pydantic location as a path into the data (a bad key's location ends at its mapping)."""
    if raw[-1:] == ("[key]",):
        raw = raw[:-2]
    return tuple(p for p in raw if isinstance(p, str | int) and not isinstance(p, bool))


def fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[str, ...]:
    """The keys the model allows at ``loc`` (for "did you mean"), found by following its annotations."""
    current: Any = model
    for step in loc:
        current = _child(current, step)
        if current is None:
            return ()
    found = _models(current)
    return tuple(found[0].model_fields) if found else ()


def _child(annotation: Any, step: str | int) -> Any:
    for candidate in _members(annotation):
        if isinstance(step, str) and isinstance(candidate, type) and issubclass(candidate, BaseModel):
            field = candidate.model_fields.get(step)
            if field is not None:
                return field.annotation
        if isinstance(step, int) and typing.get_origin(candidate) in (list, tuple):
            args = [a for a in typing.get_args(candidate) if a is not Ellipsis]
            if args:
                return args[0]
    return None


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a union (``X | None``), with ``Annotated`` metadata stripped."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _members(a)]
    return [annotation]


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
