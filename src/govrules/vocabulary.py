"""The shared vocabulary (design.md §3): ids every profile maps its wording onto.

Each table maps an id to its (Chinese, English) labels. Profiles may add city-specific roles;
everything else is closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

Labels = Mapping[str, tuple[str, str]]


def _table(entries: dict[str, tuple[str, str]]) -> Labels:
    return MappingProxyType(entries)


OFFICES: Final = _table(
    {
        "mayor": ("市长", "mayor"),
        "executive_vice_mayor": ("常务副市长", "executive vice mayor"),
        "vice_mayor": ("副市长", "vice mayor"),
        "secretary_general": ("秘书长", "secretary-general"),
        "deputy_secretary_general": ("副秘书长", "deputy secretary-general"),
        "office_director": ("市政府办公厅（办公室）主任", "general office director"),
        "office_deputy_director": ("市政府办公厅（办公室）副主任", "general office deputy director"),
        "party_group_member": ("市政府党组成员", "party group member"),
        "military_commander": ("军分区司令员", "military sub-district commander"),
        "department_head": ("部门主要负责人", "department head"),
        "county_head": ("县（市、区）政府主要负责人", "county head"),
    }
)

RELATIONAL_ROLES: Final = _table(
    {
        "leader_in_charge": ("分管领导", "leader in charge"),
        "meeting_chair": ("会议主持人", "meeting chair"),
        "counterpart_deputy_secretary_general": ("对口副秘书长", "counterpart deputy secretary-general"),
        "lead_department_head": ("主办部门主要负责人", "lead department head"),
    }
)

ISSUERS: Final = _table(
    {
        "municipal_government": ("以市政府名义", "in the name of the municipal government"),
        "general_office": ("以市政府办公厅（办公室）名义", "in the name of the general office"),
        "department": ("部门", "a department"),
        "county_government": ("县（市、区）政府", "a county government"),
    }
)

KINDS: Final = _table(
    {
        "regulation": ("规章", "regulation"),
        "decision": ("决定", "decision"),
        "order": ("命令", "order"),
        "government_document": ("市政府文件", "numbered government document"),
        "normative_document": ("行政规范性文件", "normative document"),
        "motion": ("议案", "motion"),
        "report": ("报告", "report"),
        "request": ("请示", "request"),
        "letter": ("函", "letter"),
        "personnel": ("人事任免", "personnel appointment"),
        "outbound_approval": ("出国（境）审批", "outbound travel approval"),
        "minutes": ("会议纪要", "minutes"),
        "agreement": ("合同、协议、备忘录", "agreement"),
        "notice": ("其他公文", "other document"),
    }
)

RECIPIENTS: Final = _table(
    {
        "provincial_government": ("省政府", "provincial government"),
        "provincial_party_committee": ("省委", "provincial party committee"),
        "party_committee": ("市委", "municipal party committee"),
        "people_congress": ("市人大及其常委会", "municipal people's congress"),
        "non_subordinate_agency": ("不相隶属机关", "non-subordinate agency"),
        "subordinate": ("下级机关", "subordinate body"),
        "public": ("社会公开", "the public"),
        "municipal_government": ("市政府", "municipal government"),
    }
)

MEETINGS: Final = _table(
    {
        "plenary": ("全体会议", "plenary meeting"),
        "executive": ("常务会议", "executive meeting"),
        "mayor_office": ("市长办公会议", "mayor's office meeting"),
        "topical": ("专题会议", "topical meeting"),
        "deliberation": ("议事会议", "deliberation meeting"),
        "study": ("学习会", "study meeting"),
    }
)

URGENCIES: Final = _table(
    {
        "normal": ("一般件", "normal"),
        "urgent": ("急件", "urgent"),
        "extra_urgent": ("特急件", "extra urgent"),
    }
)

SEALS: Final = _table(
    {
        "municipal_government": ("市政府印章", "seal of the municipal government"),
        "mayor": ("市长印章", "mayor's seal"),
        "general_office": ("市政府办公厅（办公室）印章", "seal of the general office"),
    }
)

ACTIONS: Final = _table(
    {
        "review": ("审核", "review"),
        "deliberate": ("会议讨论", "deliberation"),
        "sign": ("签发", "signature"),
        "approve": ("审定", "approval"),
        "seal": ("同意用印", "consent to the seal"),
    }
)

#: Boolean document attributes and their meaning.
FLAGS: Final = _table(
    {
        "comprehensive": ("综合性、全局性、涉及面广", "comprehensive"),
        "major_policy": ("重大方针政策", "major policy"),
        "important": ("重要、重大事项", "important matter"),
        "emergency": ("特殊、紧急情况", "emergency"),
        "routine_approval": ("例行批准手续", "routine approval"),
        "office_routine": ("办公室日常工作", "office routine"),
        "escalated": ("如有必要、认为必要", "referred up"),
        "forwarded": ("转发部门文件", "forwarded department document"),
        "contains_request": ("报告夹带请示", "report carrying a request"),
        "addressed_to_leader_personally": ("直接报送领导个人", "addressed to a leader personally"),
        "skips_level": ("越级行文", "skips a level"),
        "multiple_recipients": ("多头主送", "sent to several principal recipients"),
        "assigned_by_leader": ("市政府领导同志直接交办", "assigned directly by a leader"),
        # derived from `classification` on a document (any level); kept for profiles that do not
        # distinguish levels
        "classified": ("涉密事项（任一密级）", "classified matter (any level)"),
        "major_emergency": ("重大突发事件", "major emergency"),
        "foreign_affairs": ("涉外事项", "foreign-affairs matter"),
        "involves_other_departments": ("涉及其他部门职权", "involves other departments' powers"),
        "within_department_remit": ("属部门职权范围内的事项", "within a department's own remit"),
        "informal_form": ("参阅件、呈阅件等非规范形式", "informal form"),
        "directive": ("指令性公文或指令性要求", "directive document or requirement"),
        "invitation": ("请柬", "invitation"),
    }
)

#: Facts about a document that are unknown unless stated: a condition `false` matches only a
#: document stated not to have them (a missing countersignature is not presumed).
TRISTATE: Final = _table(
    {
        "countersigned": ("已会签", "countersigned"),
        "signed_by_head": ("主要负责人签发", "signed by the principal head"),
        "legality_reviewed": ("合法性审查", "legality review done"),
        "fair_competition_reviewed": ("公平竞争审查", "fair-competition review done"),
        "justice_bureau_reviewed": ("市司法局审查或组织起草", "reviewed (or drafted) by the justice bureau"),
        "departments_agreed": ("部门之间协商一致", "agreed among the departments concerned"),
        "government_approved": ("经市政府批准（授权）", "approved (authorised) by the city government"),
    }
)

#: Classification levels (密级) of a document, lowest first: 秘密, 机密, 绝密 (the English of the
#: Law on Guarding State Secrets: confidential, secret, top secret).
CLASSIFICATIONS: Final = _table(
    {
        "confidential": ("秘密", "confidential"),
        "secret": ("机密", "secret"),
        "top_secret": ("绝密", "top secret"),
    }
)

SENDER_KINDS: Final = _table(
    {
        "department": ("部门", "department"),
        "county_government": ("县（市、区）政府", "county government"),
        "coordination_body": ("议事协调机构", "coordination body"),
        "temporary_body": ("临时机构", "temporary body"),
        "industry_association": ("行业协会", "industry association"),
        "internal_unit": ("部门内设机构", "a department's internal unit"),
        "managed_body": ("部门管理机构", "body managed by a department"),
    }
)

MATTER_COUNTS: Final = ("one", "several")

#: Agenda item attributes: flags, and those unknown unless stated.
AGENDA_FLAGS: Final = _table(
    {
        "funding": ("资金", "funding"),
        "staffing": ("人员编制", "staffing"),
        "cross_portfolio": ("涉及多个分管领导", "crosses portfolios"),
        "within_remit": ("分管领导职权范围内可以解决", "within a leader's remit"),
    }
)
AGENDA_TRISTATE: Final = _table(
    {
        "coordinated": ("事先协调一致", "coordinated beforehand"),
        "consulted": ("事先征求意见", "consulted beforehand"),
        "leader_agreed": ("经分管领导同意", "agreed by the leader in charge"),
        "legality_reviewed": ("合法合规性审查", "legality review done"),
    }
)

PERIODS: Final = _table(
    {
        "week": ("每周", "week"),
        "half_month": ("每半月", "half month"),
        "month": ("每月", "month"),
        "two_months": ("每两个月", "two months"),
        "quarter": ("每季度", "quarter"),
        "half_year": ("每半年", "half year"),
        "year": ("每年", "year"),
    }
)

PORTFOLIO_COUNTS: Final = ("none", "one", "several")

SHARED_ROLES: Final = frozenset(OFFICES) | frozenset(RELATIONAL_ROLES)

REASONS: Final = _table(
    {
        "out_of_city": ("出市", "out of the city"),
        "out_of_province": ("出省", "out of the province"),
        "abroad": ("出国、出访", "abroad"),
        "business_trip": ("出差", "on a business trip"),
        "vacation": ("休假", "on vacation"),
        "study": ("学习", "studying"),
        "medical": ("就医", "medical"),
        "personal": ("因私外出", "personal"),
        "other": ("其他", "other"),
    }
)

#: Where an absent official is (an absence's ``place``), as distinct from why (its ``reason``):
#: 出市 (leaving the city) turns on the place, 出差/休假 on the reason.
PLACES: Final = _table(
    {
        "in_city": ("市内", "in the city"),
        "out_of_city": ("出市", "out of the city"),
        "out_of_province": ("出省", "out of the province"),
        "abroad": ("出国（境）", "abroad"),
    }
)

#: Reasons that say where rather than why: an absence giving one is at that place (its default ``place``).
PLACE_REASONS: Final = MappingProxyType(
    {"out_of_city": "out_of_city", "out_of_province": "out_of_province", "abroad": "abroad"}
)

#: Offices whose holders may serve a leader as their counterpart (对口); a profile says which of
#: them its counterpart role covers (``roles:``, ``offices:``), by default deputy secretaries-general.
COUNTERPART_OFFICES: Final = frozenset({"deputy_secretary_general", "office_deputy_director"})

DUTIES: Final = _table(
    {
        "preside": ("主持市政府工作", "preside over the government's work"),
        "attend_meetings": ("出席会议", "attend meetings"),
        "attend_events": ("参加活动", "attend events"),
        "reception": ("公务接待", "official reception"),
        "emergencies": ("处置突发事件", "handle emergencies"),
        "sign_urgent": ("审签紧急公文", "sign urgent documents"),
        "sign": ("审签公文", "sign documents"),
        "all": ("全部工作职责", "all duties"),
    }
)

#: Offices that also hold a broader office id (the executive vice mayor is a vice mayor).
OFFICE_INCLUDES: Final = MappingProxyType(
    {
        "vice_mayor": frozenset({"vice_mayor", "executive_vice_mayor"}),
    }
)

#: Offices that lead a portfolio (分管领导) and may have a counterpart deputy secretary-general.
LEADERS: Final = frozenset({"mayor", "executive_vice_mayor", "vice_mayor", "secretary_general"})


def holders(role: str) -> frozenset[str]:
    """The office ids whose holders fill ``role``."""
    return OFFICE_INCLUDES.get(role, frozenset({role}))


DEADLINE_KINDS: Final = _table(
    {
        "countersign_reply": ("会签、征求意见回复", "reply to a countersignature or consultation"),
        "request_processing": ("请示报告办结", "processing of a request or report"),
        "meeting_materials": ("会前报送议题材料", "meeting materials submitted before the meeting"),
        "post_meeting_submission": ("会后报送发文", "submission for issuance after the meeting"),
        "post_meeting_issuance": ("会后印发", "issuance after the meeting"),
        "meeting_request": ("全市性会议提前报批", "request to hold a city-wide meeting"),
        "leave_request": ("提前请假", "leave request"),
        "event_invitation": ("邀请领导出席活动", "invitation of a leader to an event"),
        "public_opinion_release": ("舆情发布权威信息", "authoritative release on a public-opinion incident"),
        "press_conference": ("召开新闻发布会", "press conference"),
    }
)

UNITS: Final = _table(
    {
        "working_days": ("个工作日", "working days"),
        "days": ("天", "days"),
        "hours": ("小时", "hours"),
    }
)


#: The closed values a document condition key may name (``none``: the document leaves it unset).
#: ``{except: [...]}`` in a profile expands over these, in this order.
CONDITION_VALUES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "issuer": tuple(ISSUERS),
        "kind": tuple(KINDS),
        "recipient": (*RECIPIENTS, "none"),
        "portfolios": PORTFOLIO_COUNTS,
        "urgency": tuple(URGENCIES),
        "decided_at": (*MEETINGS, "none"),
        "meeting": (*MEETINGS, "none"),
        "matters": MATTER_COUNTS,
        "sender_kind": (*SENDER_KINDS, "none"),
        "classification": (*CLASSIFICATIONS, "none"),
    }
)


# -- meetings: who may chair under which condition, agenda chains, meeting plans --------------------

#: Conditions under which a role may convene or chair a meeting (all of an option's must hold).
CHAIR_CONDITIONS: Final = _table(
    {
        "entrusted": ("受委托", "they are entrusted"),
        "principal_absent": ("主持人不能出席", "the principal chair cannot attend"),
        "in_charge": ("按照分工", "the matter is in their portfolio"),
    }
)

#: The steps of an agenda item's way to a meeting (议题的提出、审核、签报、审定).
AGENDA_ACTIONS: Final = _table(
    {
        "propose": ("提出", "propose"),
        "review": ("审核", "review"),
        "forward": ("签报", "sign and forward"),
        "approve": ("审定", "approve"),
    }
)

#: Who holds a meeting that is being planned (召开会议的主体).
ORGANISERS: Final = _table(
    {
        "municipal_government": ("市政府", "the municipal government"),
        "general_office": ("市政府办公厅（办公室）", "the general office"),
        "coordination_body": ("市政府议事协调机构", "a coordination body of the government"),
        "department": ("市政府部门", "a department"),
    }
)

#: How far a planned meeting reaches (全市性会议, 部门本系统全市性会议, 其他工作会议).
MEETING_SCOPES: Final = _table(
    {
        "city_wide": ("全市性会议", "city-wide meeting"),
        "system_wide": ("本系统全市性会议", "city-wide meeting of a department's own system"),
        "other": ("其他工作会议", "other working meeting"),
    }
)

#: Who may approve a planned meeting (报…批准 / 审核同意).
PLAN_APPROVERS: Final = _table(
    {
        "municipal_government": ("市政府", "the municipal government"),
        "mayor": ("市长", "the mayor"),
        "leader_in_charge": ("市政府分管领导同志", "the leader in charge"),
    }
)
