"""Bundled profiles and :func:`load`."""

from __future__ import annotations

import hashlib
import threading
from importlib import resources
from pathlib import Path

from govrules.diagnostics import Diagnostic, did_you_mean
from govrules.engine import register_lock
from govrules.errors import InvalidArgument, ProfileError
from govrules.profile import Profile
from govrules.validate import load_spec

_LOCK = threading.Lock()
register_lock(_LOCK)  # held for a whole first load: a fork must not leave it held in the child
_CACHE: dict[tuple[str, str], Profile] = {}


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

    Loading the same file content again returns the same :class:`Profile` (its compiled ruleset is
    kept for the life of the process). Raises :class:`~govrules.ProfileError` with every diagnostic
    when the file is invalid.
    """
    path = resolve(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProfileError([Diagnostic(str(path), 1, 1, "GR001", f"cannot read the file: {reason}")]) from None
    key = (str(path.resolve()), hashlib.sha256(text.encode("utf-8")).hexdigest())
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            spec = load_spec(path, text=text, stem=path.stem)
            cached = _CACHE[key] = Profile(spec, source=str(path))
        return cached
