"""Check a profile's quotes against the author's own copy of its source text.

Source texts come from PDFs, Word files and web pages, so before comparing, both the quote and the
source are normalised: NFKC (full-width letters, digits and punctuation become half-width), page
markers and ``[bookmark: …]`` markers removed, all whitespace removed. The source is split into
articles by their headers, ``一、`` or ``第一条`` at the start of a line.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govrules.diagnostics import CODES, Diagnostic
from govrules.loader import Document, FileRefused, Path_, YamlProblem, read, read_regular

#: The diagnostics this module emits (described in ``diagnostics.CODES``).
SOURCE_CODES: dict[str, str] = {code: CODES[code] for code in ("GR040", "GR041", "GR042", "GR043")}

#: Largest source text accepted, in bytes (the longest working rules are under 50 KB).
MAX_SOURCE_BYTES = 1 << 20

_NUMERALS = "零〇一二两三四五六七八九十百"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]", re.IGNORECASE)
# Hyphens, 第9页 and 9/41 also occur in body text (dates such as 2023-04-15), so those forms
# are page markers only when they fill a line; an em-dash pair around a number is one anywhere.
_DASH = "\\-‐‒–—―−"
_PAGE_LINE = re.compile(
    rf"^[^\S\n]*(?:[{_DASH}][^\S\n]*\d{{1,4}}[^\S\n]*[{_DASH}]"
    rf"|第[^\S\n]*\d{{1,4}}[^\S\n]*页(?:[^\S\n]*[,/]?[^\S\n]*共[^\S\n]*\d{{1,4}}[^\S\n]*页)?"
    rf"|\d{{1,4}}[^\S\n]*/[^\S\n]*\d{{1,4}})[^\S\n]*$",
    re.MULTILINE,
)
_PAGE_INLINE = re.compile(r"[—―]\s*\d{1,4}\s*[—―]")
_BLANK = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
# What may stand between a line start and an article header: whitespace and extraction markers.
_PREFIX = rf"(?:\s|\[bookmark:[^\]\n]*\]|[{_DASH}]\s*\d{{1,4}}\s*[{_DASH}])*?"
_HEADERS = {
    "tiao": re.compile(rf"^{_PREFIX}第([{_NUMERALS}]+)条", re.MULTILINE | re.IGNORECASE),
    "dun": re.compile(rf"^{_PREFIX}([{_NUMERALS}]+)、", re.MULTILINE | re.IGNORECASE),
}


def normalise(text: str) -> str:
    """The text as quotes are compared: NFKC, without markers or whitespace.

    >>> normalise("市长或常务副\\n\\n—9—\\n\\n市长签发（见附件）")
    '市长或常务副市长签发(见附件)'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _BOOKMARK.sub("", text)
    text = _PAGE_LINE.sub("", text)
    text = _PAGE_INLINE.sub("", text)
    return _BLANK.sub("", text)


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral up to the hundreds (``六十八`` → 68, ``一百零二`` → 102)."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


def split_articles(text: str) -> dict[int, str]:
    """Article number → normalised body (its header included), for ``一、`` or ``第一条`` headers.

    Only the increasing 1, 2, 3 … sequence counts, so list items and stray numbers at a line start
    are skipped. A text uses one style: the one giving more articles (``第一条`` on a tie), so
    ``三、四季度`` inside a ``第二条`` is not taken for article 3. A chapter heading stays in the
    body of the article before it.
    """
    text = unicodedata.normalize("NFKC", text)
    best: list[tuple[int, int]] = []
    for header in _HEADERS.values():
        starts: list[tuple[int, int]] = []
        for match in header.finditer(text):
            if chinese_number(match.group(1)) == len(starts) + 1:
                starts.append((match.start(), len(starts) + 1))
        if len(starts) > len(best):
            best = starts
    ends = [pos for pos, _num in best[1:]] + [len(text)] if best else []
    return {num: normalise(text[pos:end]) for (pos, num), end in zip(best, ends, strict=True)}


def check_quotes(
    spec_path: str | Path, source_path: str | Path, *, folder: str | Path | None = None
) -> list[Diagnostic]:
    """Every quote of the profile that its cited article of the source does not contain.

    Any mapping with ``article`` and ``quote`` is a citation, wherever it sits. Citations whose
    article is not an integer or whose quote is not a non-empty string are left to
    :func:`govrules.validate.check_file`, which reports them.

    The source must be a regular file of at most :data:`MAX_SOURCE_BYTES`. When it is the one the
    profile names in ``profile.source`` (as :func:`~govrules.validate.check_file` passes it), it
    must also lie inside ``folder``, by default the profile's own folder, and what is wrong with the
    path is reported at ``profile.source``; a source the caller passes directly must lie inside
    ``folder`` only when ``folder`` is given.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     spec = Path(tmp) / "p.yaml"
    ...     _ = spec.write_text("profile:\\n  source: /dev/zero\\n", encoding="utf-8")
    ...     for d in check_quotes(spec, Path(tmp) / "/dev/zero"):
    ...         print(d.line, d.column, d.code, d.message)
    2 11 GR043 `profile.source` names `/dev/zero`, which is outside the profile's folder
    """
    diagnostics: list[Diagnostic] = []
    try:
        doc: Document | None = read(spec_path)
    except YamlProblem as problem:
        doc = None
        diagnostics += problem.diagnostics
    articles = _source_articles(_Source(spec_path, source_path, doc, folder), diagnostics)
    if doc is None or articles is None:
        return diagnostics
    for where, cite in _citations(doc.data, ()):
        num, quote = cite["article"], cite["quote"]
        if not isinstance(num, int) or isinstance(num, bool) or not isinstance(quote, str):
            continue
        wanted = normalise(quote)
        if not wanted:
            continue
        if num not in articles:
            count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
            diagnostics.append(
                doc.diagnostic(
                    (*where, "article"),
                    "GR041",
                    f"article {num} does not exist in `{source_path}`",
                    f"the source has {count}",
                )
            )
        elif wanted not in articles[num]:
            found = [n for n, body in articles.items() if wanted in body]
            diagnostics.append(
                doc.diagnostic(
                    (*where, "quote"),
                    "GR040",
                    f"quote `{quote}` is not in article {num}",
                    _where_else(found) if found else "check the wording against the source",
                )
            )
    return diagnostics


class _Source:
    """The source path, who named it, and where to report what is wrong with reaching it."""

    def __init__(
        self, spec_path: str | Path, path: str | Path, doc: Document | None, folder: str | Path | None
    ) -> None:
        self.path = Path(path)
        self.doc = doc
        named = _named_source(doc)
        self.named = named is not None and Path(spec_path).parent / named == self.path
        self.given_folder = folder is not None
        self.folder = Path(folder) if folder is not None else Path(spec_path).parent if self.named else None

    def problem(self, code: str, message: str, help: str) -> Diagnostic:
        if self.named and self.doc is not None:
            return self.doc.diagnostic(("profile", "source"), code, message, help)
        return Diagnostic(str(self.path), 1, 1, code, message, help)

    def outside(self) -> Diagnostic | None:
        if self.folder is None:
            return None
        real, root = os.path.realpath(self.path), os.path.realpath(self.folder)
        if os.path.commonpath([real, root]) == root:
            return None
        shown = _named_source(self.doc) if self.named else str(self.path)
        where = f"`{self.folder}`" if self.given_folder else "the profile's folder"
        who = f"`profile.source` names `{shown}`, which is" if self.named else f"the source text `{shown}` is"
        return self.problem(
            "GR043",
            f"{who} outside {where}",
            "keep the source text beside the profile, or name the folder it is in",
        )


def _named_source(doc: Document | None) -> str | None:
    meta = doc.data.get("profile") if doc is not None and isinstance(doc.data, dict) else None
    named = meta.get("source") if isinstance(meta, dict) else None
    return named if isinstance(named, str) else None


def _source_articles(source: _Source, diagnostics: list[Diagnostic]) -> dict[int, str] | None:
    path = source.path

    def problem(message: str, help: str) -> None:
        diagnostics.append(Diagnostic(str(path), 1, 1, "GR042", message, help))

    outside = source.outside()
    if outside is not None:
        diagnostics.append(outside)
        return None
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES)
    except FileRefused as refused:
        if refused.kind is None:
            message = f"the source text `{path}` is larger than {MAX_SOURCE_BYTES // 1024} KiB"
            help = "give a plain-text copy of the working rules alone"
        else:
            message = f"the source text `{path}` is {refused.kind}, not a regular file"
            help = "give the path of a plain-text copy"
        diagnostics.append(source.problem("GR043", message, help))
        return None
    except OSError as exc:
        diagnostics.append(
            source.problem(
                "GR042", f"cannot read the source text: {exc.strerror or exc}", "give the path of a plain-text copy"
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem(f"the source text is not UTF-8 (byte {exc.start})", "save it as UTF-8")
        return None
    articles = split_articles(text)
    if not articles:
        problem(
            "the source text has no recognisable articles",
            "each article must start a line with `一、` or `第一条`, from the first one on",
        )
        return None
    return articles


def _citations(node: Any, path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(node, dict):
        if "article" in node and "quote" in node:
            yield path, node
        for key, value in node.items():
            yield from _citations(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _citations(value, (*path, i))


def _where_else(found: list[int]) -> str:
    if len(found) == 1:
        return f"it is in article {found[0]}"
    return f"it is in articles {', '.join(map(str, found[:-1]))} and {found[-1]}"
