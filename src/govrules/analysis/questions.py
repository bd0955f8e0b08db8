"""The questions of each topic, how each is asked of a profile, and its short answer.

One question is asked the same way of every profile; its :class:`Outcome` is the answer, or
`NotCovered`, or a conflict, or an argument the profile needs and the question lacks. A table cell
says an outcome the same way in every topic (:func:`cell`): 未规定 / "not covered" for `NotCovered`,
and an unresolved answer's reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govrules import vocabulary as v
from govrules.analysis import domain
from govrules.answers import Lang, check_lang, english
from govrules.errors import ConflictError, InvalidArgument, NotCovered

if TYPE_CHECKING:
    from govrules.documents import Document
    from govrules.families.signing import Route
    from govrules.profile import Profile

#: The topics :func:`govrules.compare` and :func:`govrules.diff` know.
TOPICS = ("signing", "acting", "deadlines", "meetings", "compliance")

NOT_COVERED = {"zh": "未规定", "en": "not covered"}


@dataclass(frozen=True)
class Question:
    """One question of a topic: a stable id, a description in both languages, how to ask it and
    how to say its answer briefly (``short``) and compare it (``key``, the same across profiles)."""

    topic: str
    id: str
    zh: str
    en: str
    ask: Callable[[Profile], Any]
    short: Callable[[Any, Profile, Lang], str]
    key: Callable[[Any], Hashable]

    def describe(self, lang: Lang = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def outcome(self, profile: Profile) -> Outcome:
        try:
            answer = self.ask(profile)
        except NotCovered:
            return Outcome(self, profile, None, "not_covered", ("not_covered",))
        except ConflictError as exc:
            return Outcome(self, profile, exc, "conflict", ("conflict", *sorted(exc.rules)))
        except InvalidArgument as exc:
            return Outcome(self, profile, exc, "error", ("error", str(exc)))
        unresolved = getattr(answer, "unresolved", None)
        if unresolved:
            return Outcome(self, profile, answer, "unresolved", ("unresolved", self.key(answer)))
        return Outcome(self, profile, answer, "answered", ("answered", self.key(answer)))


@dataclass(frozen=True)
class Outcome:
    """What one profile answers to one question: ``state`` is `answered`, `unresolved`,
    `not_covered`, `conflict` (``answer`` is the error) or `error` (a question the profile cannot take)."""

    question: Question
    profile: Profile
    answer: Any
    state: str
    key: Hashable

    def cell(self, lang: Lang = "zh") -> str:
        """The short answer, said the same way in every topic."""
        zh = check_lang(lang) == "zh"
        if self.state == "not_covered":
            return NOT_COVERED[lang]
        if self.state == "conflict":
            rules = ", ".join(self.answer.rules)
            return f"规则冲突：{rules}" if zh else f"conflict: {rules}"
        if self.state == "error":
            return ("无法回答：" if zh else "cannot answer: ") + str(self.answer)
        if self.state == "unresolved":
            return ("无法确定：" if zh else "unresolved: ") + str(self.answer.unresolved)
        return self.question.short(self.answer, self.profile, lang)

    @property
    def rules(self) -> tuple[str, ...]:
        if self.state == "conflict":
            return tuple(self.answer.rules)
        found = getattr(self.answer, "rules", ())
        return tuple(found) if isinstance(found, tuple) else ()


# -- signing ----------------------------------------------------------------------------------------


def route_short(route: Route, profile: Profile, lang: Lang) -> str:
    """A route in one line: its steps, in the profile's wording (Chinese) or the vocabulary's English."""
    from govrules.families.signing import describe

    zh = check_lang(lang) == "zh"
    name = route.labels.get if zh else english
    return " → ".join(describe(step, name, zh) for step in route.steps)


def route_key(route: Route) -> Hashable:
    return tuple(route.steps)


def _signing_question(qid: str, zh: str, en: str, doc: Document) -> Question:
    return Question("signing", qid, zh, en, lambda p: p.sign(doc), route_short, route_key)


def document_question(index: int, doc: Document) -> Question:
    """The signing question of a document given by the caller."""
    text = doc.describe()
    return _signing_question(f"document[{index}]", text, text, doc)


def point_question(point: dict[str, Any]) -> Question:
    """The signing question of one point of the signing domain."""
    doc = domain.document(point)
    return _signing_question(
        domain.point_id(point), domain.describe_point(point, "zh"), domain.describe_point(point, "en"), doc
    )


#: Typical documents, asked of every profile by ``compare("signing")``.
DOCUMENTS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("regulation", "政府规章", "a government regulation", {"kind": "regulation", "recipient": "public"}),
    ("decision", "市政府决定", "a decision of the government", {"kind": "decision", "recipient": "subordinate"}),
    ("order", "市政府命令", "an order of the government", {"kind": "order", "recipient": "subordinate"}),
    (
        "normative",
        "行政规范性文件",
        "a normative document",
        {"kind": "normative_document", "recipient": "public", "portfolios": ("p1",)},
    ),
    (
        "request-to-province",
        "向省政府报送的请示",
        "a request to the provincial government",
        {"kind": "request", "recipient": "provincial_government"},
    ),
    (
        "report-to-province",
        "向省政府报送的报告",
        "a report to the provincial government",
        {"kind": "report", "recipient": "provincial_government"},
    ),
    (
        "motion",
        "向市人大常委会提出的议案",
        "a motion to the people's congress",
        {"kind": "motion", "recipient": "people_congress"},
    ),
    ("personnel", "人事任免文件", "a personnel appointment", {"kind": "personnel"}),
    (
        "notice-one-portfolio",
        "以市政府名义制发的一般公文（一位领导分管）",
        "an ordinary document in the government's name (one portfolio)",
        {"kind": "notice", "recipient": "subordinate", "portfolios": ("p1",)},
    ),
    (
        "notice-several-portfolios",
        "以市政府名义制发的公文（涉及多位领导分管）",
        "a document in the government's name (several portfolios)",
        {"kind": "notice", "recipient": "subordinate", "portfolios": ("p1", "p2")},
    ),
    (
        "notice-urgent",
        "以市政府名义制发的紧急公文",
        "an urgent document in the government's name",
        {"kind": "notice", "recipient": "subordinate", "portfolios": ("p1",), "urgency": "urgent"},
    ),
    (
        "general-office-notice",
        "以办公厅（办公室）名义制发的公文",
        "a document in the general office's name",
        {"kind": "notice", "issuer": "general_office", "recipient": "subordinate", "portfolios": ("p1",)},
    ),
    (
        "letter",
        "致不相隶属机关的函",
        "a letter to a non-subordinate agency",
        {"kind": "letter", "recipient": "non_subordinate_agency", "portfolios": ("p1",)},
    ),
    ("minutes-plenary", "全体会议纪要", "minutes of the plenary meeting", {"kind": "minutes", "meeting": "plenary"}),
    (
        "minutes-executive",
        "常务会议纪要",
        "minutes of the executive meeting",
        {"kind": "minutes", "meeting": "executive"},
    ),
    (
        "minutes-mayor-office",
        "市长办公会议纪要",
        "minutes of the mayor's office meeting",
        {"kind": "minutes", "meeting": "mayor_office"},
    ),
    ("minutes-topical", "专题会议纪要", "minutes of a topical meeting", {"kind": "minutes", "meeting": "topical"}),
    ("agreement", "以市政府名义签订的协议", "an agreement in the government's name", {"kind": "agreement"}),
)


def signing(documents: Iterable[Document] | None = None) -> list[Question]:
    """The typical documents (or the ``documents`` given), each a signing question."""
    from govrules.documents import Document

    if documents is not None:
        return [document_question(i, d) for i, d in enumerate(documents)]
    return [_signing_question(f"signing.{qid}", zh, en, Document(**attrs)) for qid, zh, en, attrs in DOCUMENTS]


def seals() -> list[Question]:
    def ask(seal: str) -> Callable[[Profile], Any]:
        return lambda p: p.seal(seal)

    return [
        Question("seals", f"seals.{seal}", zh, en, ask(seal), route_short, route_key)
        for seal, (zh, en) in v.SEALS.items()
    ]


# -- acting -------------------------------------------------------------------------------------------

#: The offices whose absence the acting questions ask about.
ABSENT = ("mayor", "executive_vice_mayor", "vice_mayor", "secretary_general")
#: Why they are away: out of the city, the purpose not given (a rule that turns on the purpose, such
#: as one for official trips only, does not apply, and the answer says so).
REASON = "out_of_city"


def _acting_ask(office: str, duty: str, entrusted: bool) -> Callable[[Profile], Any]:
    def ask(profile: Profile) -> Any:
        from govrules.roster import Absence

        on = profile.effective
        roster = domain.roster(partners=[(office, domain.partner_of(office))])
        away = Absence(office, on, on, REASON, entrusted=entrusted)
        return profile.acting(office, on=on, roster=roster, absences=[away], duty=duty)

    return ask


def _acting_short(office: str) -> Callable[[Any, Profile, Lang], str]:
    def short(answer: Any, profile: Profile, lang: Lang) -> str:
        if answer.person == domain.partner_of(office) and _by_partner(answer, profile):
            return "AB角（互补）" if lang == "zh" else "AB partner"
        held = "vice_mayor" if answer.person == domain.VICE else answer.person
        if answer.person == office:
            return "本人" if lang == "zh" else "themselves"
        return profile.label(held) if lang == "zh" else english(held)

    return short


def _by_partner(answer: Any, profile: Profile) -> bool:
    from govrules.families.acting import ActingFamily

    rules = profile.family(ActingFamily).by_id
    return any("ab_partner" in rules[r].acting for r in answer.rules if r in rules)


def _acting_key(office: str) -> Callable[[Any], Hashable]:
    def key(answer: Any) -> Hashable:
        return (answer.person, answer.person == domain.partner_of(office), tuple(answer.candidates))

    return key


def acting() -> list[Question]:
    """Who performs each duty for each leading office while its holder is away (``out_of_city``),
    on a synthetic roster (one person per office; the absent official has an AB partner)."""
    found = []
    for office in ABSENT:
        for duty in (d for d in v.DUTIES if d != "all"):
            for entrusted in (False, True) if office == "mayor" else (False,):
                zh_office, en_office = v.OFFICES[office]
                zh = f"{zh_office}{'受托' if entrusted else ''}外出时，{v.DUTIES[duty][0]}由谁履行"
                en = f"who performs `{duty}` while the {en_office} is away" + (" (entrusted)" if entrusted else "")
                qid = f"acting.{office}.{duty}" + (".entrusted" if entrusted else "")
                found.append(
                    Question(
                        "acting",
                        qid,
                        zh,
                        en,
                        _acting_ask(office, duty, entrusted),
                        _acting_short(office),
                        _acting_key(office),
                    )
                )
    return found


# -- deadlines ----------------------------------------------------------------------------------------


def _deadline_ask(kind: str, urgency: str | None, complex: bool, office: str | None = None) -> Callable[[Profile], Any]:
    def ask(profile: Profile) -> Any:
        at = dt.datetime.combine(profile.effective, dt.time(9))
        return profile.deadline(kind, at, urgency=urgency, complex=complex, for_office=office, provisional=True)

    return ask


def deadline_short(answer: Any, profile: Profile, lang: Lang) -> str:
    zh_unit, en_unit = v.UNITS[answer.unit]
    if lang == "zh":
        text = ("会前" if answer.direction == "before" else "") + f"{answer.amount}{zh_unit}"
        expiry = f"（逾期：{answer.on_expiry}）" if answer.on_expiry else ""
        return ("原则上" if answer.in_principle else "") + text + expiry
    text = f"{answer.amount} {en_unit}" + (" before" if answer.direction == "before" else "")
    return text + (" (in principle)" if answer.in_principle else "") + (" (on expiry: …)" if answer.on_expiry else "")


def deadline_key(answer: Any) -> Hashable:
    return (answer.amount, answer.unit, answer.direction, answer.in_principle, answer.on_expiry)


def deadlines(profiles: Sequence[Profile]) -> list[Question]:
    """Each deadline kind; by urgency where a profile sets it by urgency, for a particularly
    complex matter where a profile sets that apart, and for each office a profile sets it for."""
    from govrules.families.deadlines import Deadlines

    rules = [r for p in profiles for r in p.family(Deadlines).rules]
    found = []
    for kind, (zh, en) in v.DEADLINE_KINDS.items():
        of_kind = [r for r in rules if r.kind == kind]
        urgencies: tuple[str | None, ...] = (
            tuple(v.URGENCIES) if any(r.when.urgency is not None for r in of_kind) else (None,)
        )
        variants: list[tuple[str | None, bool, str | None]] = [(u, False, None) for u in urgencies]
        if any(r.when.complex is not None for r in of_kind):
            variants.append((urgencies[0], True, None))
        offices = sorted({o for r in of_kind for o in r.when.offices()})
        variants += [(urgencies[0], False, o) for o in offices]
        for urgency, complex, office in variants:
            qid = f"deadlines.{kind}" + (f".{urgency}" if urgency else "") + (".complex" if complex else "")
            qid += f".{office}" if office else ""
            zh_q = zh + (f"（{v.URGENCIES[urgency][0]}）" if urgency else "") + ("（特别复杂）" if complex else "")
            label = v.OFFICES.get(office or "", (office, office))
            zh_q += f"（{label[0]}）" if office else ""
            en_q = en + (f" ({urgency})" if urgency else "") + (" (particularly complex)" if complex else "")
            en_q += f" ({label[1]})" if office else ""
            ask = _deadline_ask(kind, urgency, complex, office)
            found.append(Question("deadlines", qid, zh_q, en_q, ask, deadline_short, deadline_key))
    return found


# -- meetings -----------------------------------------------------------------------------------------

#: The aspects of a meeting asked about, with their Chinese and English names.
ASPECTS: tuple[tuple[str, str, str], ...] = (
    ("members", "组成人员", "members"),
    ("convener", "召集人", "convener"),
    ("chair", "主持人", "chair"),
    ("chair_delegates", "可委托主持", "may be chaired by"),
    ("frequency", "频次", "frequency"),
    ("quorum", "法定人数", "quorum"),
    ("leave_approver", "请假审批", "leave approved by"),
    ("substitutes_allowed", "可否代会", "substitutes allowed"),
    ("minutes", "会议纪要签发", "minutes signed by"),
)


@dataclass(frozen=True)
class _Aspect:
    """One aspect of a meeting rule, with the rule it comes from (for ``rules``)."""

    value: Any
    rules: tuple[str, ...]


def _meeting_ask(kind: str, aspect: str) -> Callable[[Profile], Any]:
    def ask(profile: Profile) -> Any:
        rule = profile.meeting(kind)
        value = getattr(rule, aspect)
        if value is None or value == ():  # silent: not a rule (held as needed is a `Frequency`)
            raise NotCovered(profile.id, f"the {aspect} of the meeting `{kind}`")
        return _Aspect(value, rule.rules)

    return ask


def _meeting_short(answer: Any, profile: Profile, lang: Lang) -> str:
    value = answer.value
    zh = lang == "zh"

    def role(r: str) -> str:
        return profile.label(r) if zh else english(r)

    if isinstance(value, bool):
        return ("是" if value else "否") if zh else str(value).lower()
    if isinstance(value, str):
        return role(value)
    if isinstance(value, tuple):
        return ("、" if zh else ", ").join(map(role, value))
    from govrules.families.meetings import Frequency, QuorumRule
    from govrules.families.signing import Route

    if isinstance(value, Frequency):
        return value.describe(lang)
    if isinstance(value, QuorumRule):
        num, den = value.fraction
        if zh:
            return ("超过" if value.strictly_more else "不少于") + f"{num}/{den}"
        return ("more than " if value.strictly_more else "at least ") + f"{num}/{den}"
    if isinstance(value, Route):
        return route_short(value, profile, lang)
    return str(value)


def _meeting_key(answer: Any) -> Hashable:
    from govrules.families.signing import Route

    value = answer.value
    return route_key(value) if isinstance(value, Route) else value


def meetings() -> list[Question]:
    found = []
    for kind, (zh_kind, en_kind) in v.MEETINGS.items():
        for aspect, zh, en in ASPECTS:
            found.append(
                Question(
                    "meetings",
                    f"meetings.{kind}.{aspect}",
                    f"{zh_kind}：{zh}",
                    f"{en_kind}: {en}",
                    _meeting_ask(kind, aspect),
                    _meeting_short,
                    _meeting_key,
                )
            )
    return found


# -- compliance ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Violations:
    found: tuple[Any, ...]  # Violation values
    rules: tuple[str, ...]


def _compliance_ask(code: str) -> Callable[[Profile], Any]:
    def ask(profile: Profile) -> Any:
        from govrules.analysis.witness import witnesses
        from govrules.families.compliance import Compliance

        rules = [r for r in profile.family(Compliance).rules if r.code == code]
        if not rules:
            raise NotCovered(profile.id, f"a rule against `{code}`")
        found = tuple(x for rule in rules for x in witnesses(profile, rule) if x.code == code)
        return _Violations(found, tuple(dict.fromkeys(x.rule for x in found)))

    return ask


def _compliance_short(answer: Any, profile: Profile, lang: Lang) -> str:
    if not answer.found:
        return "规则未能触发" if lang == "zh" else "the rule never fires"
    first = answer.found[0]
    message = first.message.split(": ")[0]  # the rule's words, without the witness's particulars
    severity = {"error": "禁止", "warning": "原则上不得"}[first.severity] if lang == "zh" else first.severity
    return f"{severity}：{message}" if lang == "zh" else f"{severity}: {message}"


def _compliance_key(answer: Any) -> Hashable:
    return tuple(sorted({x.severity for x in answer.found}))


def compliance(profiles: Sequence[Profile]) -> list[Question]:
    """One question per violation code any of ``profiles`` defines: is it a violation, how severe."""
    from govrules.families.compliance import Compliance

    codes = sorted({r.code for p in profiles for r in p.family(Compliance).rules})
    return [
        Question(
            "compliance",
            f"compliance.{code}",
            f"违反 `{code}`",
            f"breaking `{code}`",
            _compliance_ask(code),
            _compliance_short,
            _compliance_key,
        )
        for code in codes
    ]


def of_topic(topic: str, profiles: Sequence[Profile], documents: Iterable[Document] | None = None) -> list[Question]:
    """The questions of ``topic`` for ``profiles``."""
    if topic == "signing":
        return signing(documents)
    if topic == "acting":
        return acting()
    if topic == "deadlines":
        return deadlines(profiles)
    if topic == "meetings":
        return meetings()
    if topic == "compliance":
        return compliance(profiles)
    if topic == "seals":
        return seals()
    from govrules import _args

    _args.choice("topic", topic, (*TOPICS, "seals"))
    raise AssertionError(topic)  # pragma: no cover - choice raised
