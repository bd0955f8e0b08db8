"""A profile at a glance, for notebooks: the text it encodes, its dates, and what each family covers."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from govrules import vocabulary as v
from govrules.answers import role_html, term_html
from govrules.families import FAMILIES
from govrules.families.acting import ActingFamily
from govrules.families.compliance import Compliance
from govrules.families.deadlines import Deadlines
from govrules.families.meetings import Meetings
from govrules.families.seals import Seals
from govrules.families.signing import Signing

if TYPE_CHECKING:
    from govrules.profile import Profile


def _list(items: Iterable[str]) -> str:
    return "、".join(items) or "—"


def covers(profile: Profile) -> dict[str, str]:
    """Per profile section, what its rules cover (HTML, Chinese wording with ids)."""
    labels = profile.labels
    signing = profile.family(Signing).rules
    kinds: set[str] = set()
    for rule in signing:
        if rule.steps is None:
            continue
        for cond in rule.when:
            named = cond.terms().get("kind")
            kinds |= set(v.KINDS) if named is None or isinstance(named, bool) else set(named)
    subs = profile.family(ActingFamily).rules
    return {
        "signing": _list(term_html("KINDS", k) for k in v.KINDS if k in kinds),
        "seals": _list(term_html("SEALS", r.seal) for r in profile.family(Seals).rules),
        "substitution": _list(
            f"{role_html(r.absent, labels)} → {_list(term_html('DUTIES', d) for d in r.duties)}" for r in subs
        ),
        "deadlines": _list(term_html("DEADLINE_KINDS", k) for k in profile.family(Deadlines).kinds()),
        "meetings": _list(term_html("MEETINGS", k) for k in profile.family(Meetings).kinds()),
        "compliance": _list(f"<code>{html.escape(r.code)}</code>" for r in profile.family(Compliance).rules),
    }


def profile_html(profile: Profile) -> str:
    """The profile's summary as HTML (``Profile._repr_html_``)."""
    meta = profile.spec.profile
    facts = [
        ("规则", f"《{meta.name}》 <code>{html.escape(meta.id)}</code>"),
        ("城市", f"{meta.province}{meta.city}"),
        ("文号", meta.document_number or "—"),
        ("印发", meta.issued.isoformat()),
        ("施行", meta.effective.isoformat()),
        ("废止", meta.supersedes or "—"),
        ("条数", str(meta.articles)),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{html.escape(val) if k != '规则' else val}</td></tr>" for k, val in facts)
    found = covers(profile)
    sections = "".join(
        f"<tr><th>{html.escape(f.section)}</th><td>{len(f.entries(profile.spec))}</td>"
        f"<td>{found.get(f.section, '')}</td></tr>"
        for f in FAMILIES
    )
    return (
        f'<div class="govrules-profile"><table>{rows}</table>'
        f"<table><tr><th>section</th><th>rules</th><th>covers</th></tr>{sections}</table></div>"
    )
