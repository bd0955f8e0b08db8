"""``Profile.sweep``: every point of a family's finite domain, asked of the live profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govrules import _args
from govrules import vocabulary as v
from govrules.analysis import domain
from govrules.analysis import questions as q
from govrules.analysis._pandas import require_pandas
from govrules.errors import ConflictError, NotCovered
from govrules.families.signing import Signing, attribute_domains

if TYPE_CHECKING:
    import pandas as pd

    from govrules.profile import Profile

#: The families whose domain a sweep walks.
SWEEPS = ("signing", "seals", "deadlines", "meetings")


def _route_row(profile: Profile, ask: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {"signers": (), "reviewers": (), "delegable_to": (), "articles": (), "rules": ()}
    try:
        route = ask()
    except NotCovered:
        return {"outcome": "not_covered", "covered": False, **empty}
    except ConflictError as exc:
        return {"outcome": "conflict", "covered": True, **empty, "rules": tuple(exc.rules)}
    return {
        "outcome": "answered",
        "covered": True,
        "signers": route.signers,
        "reviewers": route.reviewers,
        "delegable_to": route.delegable_to,
        "articles": tuple(dict.fromkeys(c.article for c in route.basis)),
        "rules": route.rules,
    }


def sweep(profile: Profile, topic: str = "signing") -> pd.DataFrame:
    """One row per point of the domain of ``topic`` (``signing``, ``seals``, ``deadlines``, ``meetings``).

    For ``signing``: the document attributes any rule looks at (``*`` where no rule looks at it
    for that point), then ``outcome`` (``answered``, ``not_covered`` or ``conflict``), ``covered``,
    ``signers``, ``reviewers``, ``delegable_to``, ``articles`` and ``rules`` (the rules fired).

    Examples
    --------
    >>> import govrules
    >>> table = govrules.load(govrules.profiles()[0]).sweep("signing")
    >>> {"kind", "signers", "covered", "rules"} <= set(table.columns)
    True
    >>> bool(table.covered.any()) and not (table.outcome == "conflict").any()
    True
    """
    require_pandas()
    import pandas as pd

    _args.choice("topic", topic, SWEEPS)
    rows: list[dict[str, Any]] = []
    attributes: list[str] = []
    if topic == "signing":
        rules = profile.family(Signing).rules
        attributes = sorted(attribute_domains(rules), key=lambda k: (k != "kind", k))
        for point in domain.points(rules):
            doc = domain.document(point)
            row = {k: point.get(k, domain.ANY) for k in attributes}
            rows.append(row | _route_row(profile, lambda d=doc: profile.sign(d)))
    elif topic == "seals":
        attributes = ["seal"]
        for seal in v.SEALS:
            rows.append({"seal": seal} | _route_row(profile, lambda s=seal: profile.seal(s)))
    else:
        asked = q.deadlines([profile]) if topic == "deadlines" else q.meetings()
        attributes = ["question", "description"]
        for question in asked:
            outcome = question.outcome(profile)
            rows.append(
                {
                    "question": question.id,
                    "description": question.describe("zh"),
                    "outcome": outcome.state,
                    "covered": outcome.state != "not_covered",
                    "answer": outcome.cell("zh"),
                    "rules": outcome.rules,
                }
            )
    tail = ["outcome", "covered", "signers", "reviewers", "delegable_to", "articles", "rules", "answer"]
    present = [c for c in tail if any(c in r for r in rows)]
    return pd.DataFrame(rows, columns=[*attributes, *present])
