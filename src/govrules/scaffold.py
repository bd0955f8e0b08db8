"""Starting points for profile authors: the JSON Schema of a profile, and an empty profile."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from govrules import vocabulary as v
from govrules.errors import InvalidArgument
from govrules.families import FAMILIES, ProfileSpec
from govrules.families.acting import SubstitutionRule
from govrules.families.approvals import ApprovalRule
from govrules.families.compliance import AgendaCondition, ComplianceRule
from govrules.families.deadlines import DeadlineCondition, DeadlineRule
from govrules.families.meetings import (
    AgendaSpec,
    AgendaStepEntry,
    AttendeeEntry,
    ChairEntry,
    FrequencyEntry,
    LeaveApprover,
    LeaveRuleEntry,
    MeetingSpec,
    QuorumSpec,
)
from govrules.families.seals import SealRule
from govrules.families.signing import Delegation, SigningRule, StepEntry
from govrules.meeting_plans import MeetingPlanCondition
from govrules.model import Citation, Condition, Reading, RoleDecl
from govrules.validate import MAX_QUOTE

#: What a role id, a profile id or a rule slug may look like.
ID = r"^[a-z][a-z0-9_]*$"


def rule_id_pattern(section: str) -> str:
    """The pattern of a rule id in ``section``: ``<profile>.<section>.<slug>``.

    >>> import re
    >>> bool(re.match(rule_id_pattern("signing"), "anytown.signing.provincial-request"))
    True
    >>> bool(re.match(rule_id_pattern("signing"), "anytown.seals.mayor"))
    False
    """
    return rf"^[a-z][a-z0-9_]*\.{re.escape(section)}\.[a-z0-9]+(-[a-z0-9]+)*$"


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile file: everything about a profile that JSON Schema can say.

    It starts from the pydantic model (types, required keys, unknown keys not allowed) and adds the
    closed vocabularies (kinds, issuers, recipients, urgencies, meeting and deadline kinds, duties,
    absence reasons, seals), role fields (a shared role, offered for completion, or any id, since a
    profile may declare its own), rule-id patterns, the quote length, non-empty condition lists, and
    the shape rules between keys (a route or a delegation; what each step action takes). What needs
    the whole file — whether a role is declared, an `overrides` target exists, an article is in
    range, rules conflict — is left to ``govrules validate``.

    >>> schema = profile_schema()
    >>> schema["$defs"]["Kind"]["enum"][:3]
    ['regulation', 'decision', 'order']
    >>> schema["$defs"]["Citation"]["properties"]["quote"]["anyOf"][0]
    {'maxLength': 40}
    """
    schema = ProfileSpec.model_json_schema()
    defs: dict[str, Any] = schema["$defs"]
    for definition in defs.values():
        for name in _ONE_OR_MANY & set(definition.get("properties", {})):
            definition["properties"][name] = _one_or_many(definition["properties"][name])
    defs.update(_vocabularies())
    for (model, field), target in _FIELDS.items():
        props = defs[model.__name__]["properties"]
        props[field] = _typed(props[field], {"$ref": f"#/$defs/{target}"})
    meeting = defs[MeetingSpec.__name__]["properties"]  # `agenda:` may also be the list of its steps
    steps = {"type": "array", "items": {"$ref": f"#/$defs/{AgendaStepEntry.__name__}"}}
    meeting["agenda"] = {**meeting["agenda"], "anyOf": [*meeting["agenda"].get("anyOf", []), steps]}
    condition = defs[Condition.__name__]["properties"]
    for name in v.CONDITION_VALUES:
        condition[name] = _with_except(_nonempty(condition[name]), f"#/$defs/{_condition_def(name)}")
    condition["chaired_by"] = _nonempty(condition["chaired_by"])
    for model in (DeadlineCondition, AgendaCondition, MeetingPlanCondition):
        props = defs[model.__name__]["properties"]
        for name, prop in props.items():
            props[name] = _nonempty(prop)
    for family in FAMILIES:
        props = defs[family.entry.__name__]["properties"]
        pattern = rule_id_pattern(family.section)
        props["id"]["pattern"] = pattern
        props["basis"]["minItems"] = 1  # every rule cites the article it comes from
        defs[family.entry.__name__]["required"] = [*defs[family.entry.__name__].get("required", []), "basis"]
        if "overrides" in props:
            props["overrides"]["items"]["pattern"] = pattern
    defs[Citation.__name__]["properties"]["quote"].update(
        description=f"verbatim operative words: at most {MAX_QUOTE} characters, whitespace not counted",
        minLength=1,
        # as `govrules validate` counts: a PDF copy may break a line inside a quote
        anyOf=[{"maxLength": MAX_QUOTE}, {"pattern": rf"^\s*(\S\s*){{1,{MAX_QUOTE}}}$"}],
    )
    _between_keys(defs)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govrules profile"
    return schema


def _enum(values: Iterable[str], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _role(values: Iterable[str], description: str, *, offices_only: bool = False) -> dict[str, Any]:
    """A closed list offered for completion, or any id the profile may declare under `roles`.

    ``offices_only``: not one of the shared relational roles (a profile's own ids stay allowed: the
    schema cannot see whether `roles` declares them as offices).
    """
    declared: dict[str, Any] = {"type": "string", "pattern": ID}
    if offices_only:
        declared["not"] = {"enum": list(v.RELATIONAL_ROLES)}
    return {"description": description, "anyOf": [{"type": "string", "enum": list(values)}, declared]}


#: The closed vocabularies, by definition name: their values and what they are.
_VOCABULARY: dict[str, tuple[tuple[str, ...], str]] = {
    "Kind": (tuple(v.KINDS), "a document kind"),
    "Issuer": (tuple(v.ISSUERS), "in whose name a document is issued"),
    "Urgency": (tuple(v.URGENCIES), "an urgency"),
    "MeetingKind": (tuple(v.MEETINGS), "a kind of meeting"),
    "DeadlineKind": (tuple(v.DEADLINE_KINDS), "a kind of time limit"),
    "Duty": (tuple(v.DUTIES), "a duty an acting official performs"),
    "AbsenceReason": (tuple(v.REASONS), "why an official is away"),
    "Place": (tuple(v.PLACES), "where an absent official is"),
    "SharedOffice": (tuple(v.OFFICES), "an office of the shared vocabulary"),
    "RelationalRole": (tuple(v.RELATIONAL_ROLES), "a relational role of the shared vocabulary"),
    "Seal": (tuple(v.SEALS), "a seal"),
    "ChairCondition": (tuple(v.CHAIR_CONDITIONS), "a condition on who may convene and chair a meeting"),
    "AgendaAction": (tuple(v.AGENDA_ACTIONS), "a step of an agenda item's way to a meeting"),
    "Organiser": (tuple(v.ORGANISERS), "who holds a meeting, or in whose name"),
    "MeetingScope": (tuple(v.MEETING_SCOPES), "how far a meeting reaches"),
    "PlanApprover": (tuple(v.PLAN_APPROVERS), "who may approve a planned meeting"),
}


def _condition_def(key: str) -> str:
    """The definition of a document condition's values: a shared vocabulary's, or its own (with `none`)."""
    values = v.CONDITION_VALUES[key]
    for name, (vocabulary, _what) in _VOCABULARY.items():
        if vocabulary == values:
            return name
    return "Condition" + "".join(part.title() for part in key.split("_"))


def _vocabularies() -> dict[str, Any]:
    defs = {
        **{name: _enum(values, what) for name, (values, what) in _VOCABULARY.items()},
        "Role": _role(sorted(v.SHARED_ROLES), "a shared role id, or a role the profile declares under `roles`"),
        "Office": _role(
            v.OFFICES, "an office: a shared one, or one the profile declares under `roles`", offices_only=True
        ),
        "StandIn": _role(
            [*v.OFFICES, "ab_partner"],
            "an office, or `ab_partner` (the absent official's AB partner)",
            offices_only=True,
        ),
        "ChairedBy": {
            "description": "the role who chaired the meeting, or `none`",
            "anyOf": [{"$ref": "#/$defs/Role"}, {"const": "none"}],
        },
        # which fields a section's citations may name is checked by `govrules validate` (GR013)
        "AnswerField": _enum(
            dict.fromkeys(name for family in FAMILIES for name in family.supports),
            "a field of an answer a citation supports",
        ),
    }
    for key, values in v.CONDITION_VALUES.items():
        defs.setdefault(_condition_def(key), _enum(values, f"a value a condition on the document's `{key}` names"))
    return defs


#: Fields that take a vocabulary value (alone, in a list, or among alternatives) → its definition.
_FIELDS: dict[tuple[type[BaseModel], str], str] = {
    **{(StepEntry, f): "Role" for f in ("roles", "delegable_to", "authorised_by")},
    (StepEntry, "meeting"): "MeetingKind",
    **{(Delegation, f): "Role" for f in ("to", "authorised_by")},
    (SealRule, "seal"): "Seal",
    **{(SealRule, f): "Role" for f in ("approvers", "delegable_to", "authorised_by")},
    (SubstitutionRule, "absent"): "Office",
    (SubstitutionRule, "reasons"): "AbsenceReason",
    (SubstitutionRule, "places"): "Place",
    (ApprovalRule, "absent"): "SharedOffice",
    (ApprovalRule, "reasons"): "AbsenceReason",
    (ApprovalRule, "places"): "Place",
    **{(ApprovalRule, f): "Role" for f in ("approvers", "informed")},
    (ApprovalRule, "due"): "DeadlineKind",
    (RoleDecl, "relation"): "RelationalRole",
    (RoleDecl, "offices"): "SharedOffice",
    (SubstitutionRule, "acting"): "StandIn",
    (SubstitutionRule, "duties"): "Duty",
    (DeadlineRule, "kind"): "DeadlineKind",
    (DeadlineCondition, "urgency"): "Urgency",
    (DeadlineCondition, "office"): "Office",
    (MeetingSpec, "kind"): "MeetingKind",
    **{(MeetingSpec, f): "Role" for f in ("members", "chair_delegates", "convener", "chair", "leave_approver")},
    **{(AttendeeEntry, f): "Role" for f in ("role", "roles")},
    **{(ChairEntry, f): "Role" for f in ("role", "entrusted_by")},
    (ChairEntry, "when"): "ChairCondition",
    **{(LeaveRuleEntry, f): "Role" for f in ("roles", "approver", "chaired_by")},
    (LeaveApprover, "approver"): "Role",
    (LeaveApprover, "roles"): "Role",
    (AgendaSpec, "proposed_by"): "Role",
    (AgendaSpec, "approved_by"): "Role",
    (AgendaStepEntry, "action"): "AgendaAction",
    **{(AgendaStepEntry, f): "Role" for f in ("roles", "chaired_by")},
    **{(MeetingPlanCondition, f): "Organiser" for f in ("organiser", "in_name_of")},
    (MeetingPlanCondition, "scope"): "MeetingScope",
    (MeetingPlanCondition, "invites"): "Office",
    (MeetingPlanCondition, "not_approved_by"): "PlanApprover",
    (MeetingPlanCondition, "decided_at"): _condition_def("decided_at"),
    (ComplianceRule, "reasons"): "AbsenceReason",
    (AgendaCondition, "meeting"): "MeetingKind",
    **{(Condition, key): _condition_def(key) for key in v.CONDITION_VALUES},
    (Condition, "chaired_by"): "ChairedBy",
    (Citation, "supports"): "AnswerField",
}

#: Free-text fields: official wording, descriptions, paths. Everything else that is a string has
#: a vocabulary, a pattern or a format (a test keeps this list and the schema in step).
FREE_TEXT: frozenset[tuple[str, str]] = frozenset(
    {
        ("Meta", "name"),
        ("Meta", "city"),
        ("Meta", "province"),
        ("Meta", "document_number"),
        ("Meta", "supersedes"),
        ("Meta", "source"),
        ("RoleDecl", "name"),
        ("Citation", "interpretation"),
        ("Reading", "zh"),
        ("Reading", "en"),
        ("DeadlineRule", "starts"),
        ("DeadlineRule", "on_expiry"),
        ("AttendeeEntry", "who"),
        ("LeaveApprover", "who"),
        ("LeaveRuleEntry", "who"),
        ("ComplianceRule", "message"),
    }
)


def _typed(prop: dict[str, Any], leaf: dict[str, Any]) -> dict[str, Any]:
    """``prop`` with every plain string in it (alone, as list items, among alternatives) made ``leaf``."""
    if prop.get("type") == "string" and set(prop) <= {"type", "title"}:
        return {**{k: val for k, val in prop.items() if k != "type"}, **leaf}
    out = dict(prop)
    if "anyOf" in prop:
        out["anyOf"] = [_typed(option, leaf) for option in prop["anyOf"]]
    if "items" in prop:
        out["items"] = _typed(prop["items"], leaf)
    return out


def _nonempty(prop: dict[str, Any]) -> dict[str, Any]:
    """A list of alternatives in a condition needs at least one (an empty one matches nothing)."""
    out = dict(prop)
    if out.get("type") == "array":
        out["minItems"] = 1
    if "anyOf" in out:
        out["anyOf"] = [_nonempty(option) for option in out["anyOf"]]
    return out


def _present(key: str) -> dict[str, Any]:
    """``key`` is given, and not as null."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _between_keys(defs: dict[str, Any]) -> None:
    """The rules that tie one key's value to another's, where JSON Schema can say them."""
    signing = defs[SigningRule.__name__]
    signing["oneOf"] = [_present("steps"), _present("delegation")]
    steps = signing["properties"]["steps"]["anyOf"][0]
    steps["minItems"] = 1
    steps["contains"] = {"properties": {"action": {"const": "sign"}}, "required": ["action"]}
    steps["minContains"], steps["maxContains"] = 0, 1  # at most one `sign` step
    signing["if"] = _present("delegation")
    signing["then"] = {
        "properties": {"overrides": {"maxItems": 0}, "fallback": {"const": False}}
    }  # a delegation adds to routes: it neither overrides them nor falls back

    deliberate = {"required": ["action"], "properties": {"action": {"const": "deliberate"}}}
    defs[StepEntry.__name__]["allOf"] = [
        {  # a `deliberate` step names a meeting and no roles; every other step names roles and no meeting
            "if": deliberate,
            "then": {
                "required": ["meeting"],
                "properties": {"meeting": {"not": {"type": "null"}}, "roles": {"maxItems": 0}},
            },
            "else": {"required": ["roles"], "properties": {"roles": {"minItems": 1}, "meeting": {"type": "null"}}},
        },
        {  # only a `sign` step may be delegated
            "if": {"not": {"properties": {"action": {"const": "sign"}}}},
            "then": {"properties": {"delegable_to": {"maxItems": 0}, "authorised_by": {"maxItems": 0}}},
        },
        {  # `authorised_by` says who may authorise the delegates in `delegable_to`
            "if": {"required": ["authorised_by"], "properties": {"authorised_by": {"minItems": 1}}},
            "then": {"required": ["delegable_to"], "properties": {"delegable_to": {"minItems": 1}}},
        },
    ]

    deadline = defs[DeadlineRule.__name__]
    deadline["if"] = {"required": ["unit"], "properties": {"unit": {"const": "hours"}}}
    deadline["then"] = {"properties": {"direction": {"const": "after"}}}  # hours count forward only

    defs[FrequencyEntry.__name__]["dependentRequired"] = {"per": ["times"], "times": ["per"]}
    defs[FrequencyEntry.__name__]["anyOf"] = [  # a period, or held as needed, or regular with no period
        _present("per"),
        {"required": ["as_needed"], "properties": {"as_needed": {"const": True}}},
        {"required": ["regular"], "properties": {"regular": {"const": True}}},
    ]
    frequency = defs[FrequencyEntry.__name__]["properties"]["times"]
    for option in [frequency, *frequency.get("anyOf", [])]:
        for item in option.get("prefixItems", []):
            item["minimum"] = 1

    defs[Reading.__name__]["anyOf"] = [_present("zh"), _present("en")]  # one language at least

    quorum = defs[QuorumSpec.__name__]
    quorum["oneOf"] = [_present("more_than"), _present("at_least")]
    for name in ("more_than", "at_least"):
        for option in quorum["properties"][name].get("anyOf", []):
            for item in option.get("prefixItems", []):
                item["minimum"] = 1  # a fraction `[n, d]` with 0 < n (n ≤ d is left to validate)

    compliance = defs[ComplianceRule.__name__]
    compliance["oneOf"] = [_present(k) for k in ("document", "agenda", "meeting_plan", "absent_together")]
    compliance["if"] = {"required": ["reasons"], "properties": {"reasons": {"minItems": 1}}}
    compliance["then"] = _present("absent_together")  # reasons qualify `absent_together` only


#: Keys where the loader takes one value or a list of them (a single `when:` reads as a list of one;
#: a citation's `when` and `supports` take one index or field, or a list).
_ONE_OR_MANY = {"when", "document", "agenda", "meeting_plan", "supports"}


def _one_or_many(prop: dict[str, Any]) -> dict[str, Any]:
    options = prop.get("anyOf", [prop])
    arrays = [o for o in options if o.get("type") == "array" and "items" in o]
    if not arrays:
        return prop
    extra = {k: val for k, val in prop.items() if k not in ("anyOf", "type", "items", "minItems")}
    return {**extra, "anyOf": [*options, arrays[0]["items"]]}


def _with_except(prop: dict[str, Any], ref: str) -> dict[str, Any]:
    """Also accept ``{except: [...]}``: every value of the vocabulary but those listed."""
    options = prop.get("anyOf", [prop])
    excluded = {"anyOf": [{"$ref": ref}, {"type": "array", "minItems": 1, "items": {"$ref": ref}}]}
    extra = {k: val for k, val in prop.items() if k != "anyOf"}
    except_form = {
        "type": "object",
        "properties": {"except": excluded},
        "required": ["except"],
        "additionalProperties": False,
    }
    return {**extra, "anyOf": [*options, except_form]}


_TEMPLATE = """\
# yaml-language-server: $schema=profile.schema.json
# A govrules profile: one city's 市人民政府工作规则 as data. See docs/profile-format.md.
# Every rule needs an id `{id}.<area>.<slug>` and a basis (article + verbatim quote ≤ 40 characters).

profile:
  id: {id}
  name: 示例市人民政府工作规则      # the official title
  city: 示例市
  province: 示例省
  document_number: null             # e.g. 某政发〔2024〕1号
  issued: 2024-01-01
  effective: 2024-01-01             # the text's 施行 date
  supersedes: null                  # what the text replaces, in words
  articles: 1                       # how many articles the source has

roles: []                           # city wording for shared roles, and city-specific roles

signing: []                         # who reviews and signs which document
# For example (docs/profile-format.md): a catch-all that any other route applying displaces
# (`fallback: true`), over every kind but those listed (`except`), and a rule that displaces it.
# signing:
#   - id: {id}.signing.other-documents
#     when:
#       issuer: municipal_government
#       kind: {{except: [minutes, agreement]}}
#     steps:
#       - action: sign
#         roles: [leader_in_charge]
#     fallback: true
#     basis:
#       - article: 1
#         quote: 以市政府名义制发的其他公文，由分管副市长签发
#   - id: {id}.signing.personnel
#     when: {{issuer: municipal_government, kind: personnel}}
#     steps:
#       - action: sign
#         roles: [mayor]
#     basis:
#       - article: 1
#         quote: 人事任免文件由市长签发
#         interpretation:           # a reading, in both languages (docs/readings.md)
#           zh: >-
#             本规则将……理解为……
#           en: >-
#             … is read as …
seals: []                           # who approves the use of each seal
substitution: []                    # who stands in for an absent official
deadlines: []                       # time limits
meetings: []                        # meeting kinds
compliance: []                      # what the text forbids
"""


def scaffold(profile_id: str) -> str:
    """An empty profile that validates, with comments saying what goes where."""
    if not isinstance(profile_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", profile_id):
        raise InvalidArgument(f"`id`: `{profile_id}` is not a profile id; use lowercase letters, digits and `_`")
    return _TEMPLATE.format(id=profile_id)
