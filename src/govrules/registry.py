"""Bundled profiles and :func:`load`."""

from __future__ import annotations

import copy
import hashlib
import threading
from importlib import resources
from pathlib import Path

from govrules.diagnostics import did_you_mean
from govrules.engine import register_lock
from govrules.errors import InvalidArgument, ProfileError
from govrules.loader import YamlProblem, read_text
from govrules.profile import Profile
from govrules.validate import load_spec

_LOCK = threading.Lock()
register_lock(_LOCK)  # held for a whole first load: a fork must not leave it held in the child
_BY_TEXT: dict[tuple[str, str], Profile] = {}  # (sha256 of the text, file stem) → the first Profile built from it
_BY_PATH: dict[tuple[str, str], Profile] = {}  # (resolved path, sha256) → that Profile or its twin for this path


def bundled_dir() -> Path:
    """Where the bundled profiles are: inside the installed package, or at the top of a checkout."""
    packaged = resources.files("govrules") / "profiles"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "profiles"


def profiles() -> list[str]:
    """Ids of the bundled profiles, sorted (the file names under ``profiles/``)."""
    folder = bundled_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve(name: str | Path) -> Path:
    """A bundled id or a path to a profile file → the file's path."""
    if not isinstance(name, (str, Path)):
        raise InvalidArgument(f"`profile`: expected a profile id or a path, got `{name!r}`")
    text = str(name)
    if isinstance(name, str) and "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        ids = profiles()
        if text not in ids:
            hint = did_you_mean(text, ids) or "expected one of " + ", ".join(f"`{i}`" for i in ids)
            raise InvalidArgument(f"`profile`: `{text}` is not a bundled profile; {hint}")
        return bundled_dir() / f"{text}.yaml"
    return Path(name)


def load(name: str | Path) -> Profile:
    """Load, validate and compile a profile: a bundled id (see :func:`profiles`) or a path to a YAML file.

    Profiles are shared by content: loading a text that was loaded before, from any path, reuses its
    validated spec and compiled ruleset (kept for the life of the process; ``docs/limits.md`` says
    what that costs). The same path and text give the same :class:`Profile`; the same text from
    another path gives a twin that shares everything but ``source``. Raises
    :class:`~govrules.ProfileError` with every diagnostic when the file is invalid, unreadable or
    larger than the loader accepts.

    Examples
    --------
    >>> import govrules
    >>> pid = govrules.profiles()[0]
    >>> govrules.load(pid) is govrules.load(pid)
    True
    """
    path = resolve(name)
    try:
        text = read_text(path)
    except YamlProblem as problem:
        raise ProfileError(problem.diagnostics) from None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    where = (str(path.resolve()), digest)
    with _LOCK:
        found = _BY_PATH.get(where)
        if found is not None:
            return found
        # The id must match the file name, so the stem is part of what makes a text valid.
        shared = _BY_TEXT.get((digest, path.stem))
        if shared is None:
            spec = load_spec(path, text=text, stem=path.stem)
            found = _BY_TEXT[(digest, path.stem)] = Profile(spec, source=str(path))
        else:
            found = copy.copy(shared)  # shares the spec, the compiled ruleset and the engine
            found.source = str(path)
        _BY_PATH[where] = found
        return found
