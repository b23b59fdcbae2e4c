"""Value sets of a dispute case. Kept apart from models.py so that states.py and rules.py can use
them without importing the ORM (models.py imports states.py for the State column).

Chinese labels for the UI are in states.py (LABELS_ZH), beside the state labels.
"""

from __future__ import annotations

import enum


class DisputeType(str, enum.Enum):
    wage_dispute = "wage_dispute"  # 劳资纠纷
    crew_service_contract = "crew_service_contract"  # 船员劳务合同纠纷
    personal_injury_at_sea = "personal_injury_at_sea"  # 海上人身损害
    collision = "collision"  # 船舶碰撞
    gear_damage = "gear_damage"  # 网具损害
    fishing_ground_conflict = "fishing_ground_conflict"  # 渔场纠纷
    fishery_contract = "fishery_contract"  # 渔业生产合同纠纷
    other = "other"


class Grade(str, enum.Enum):
    general = "general"  # 一般
    complex = "complex"  # 疑难
    major = "major"  # 重大: a 3+X joint panel


class IntakeChannel(str, enum.Enum):
    window = "window"  # 窗口受理
    online_form = "online_form"  # 线上申请
    court_referral = "court_referral"  # 法院委派/委托


class FilerKind(str, enum.Enum):
    """Who filed an online form: the party, or someone ashore or aboard on the party's behalf."""

    party = "party"
    relative = "relative"
    captain = "captain"


class ReferralKind(str, enum.Enum):
    pre_filing_referral = "pre_filing_referral"  # 委派 (Invited-Med 19)
    post_filing_referral = "post_filing_referral"  # 委托 (Invited-Med 20)


class CourtProcedure(str, enum.Enum):
    """For post-filing referrals: the mediation period is 15 (ordinary) or 7 (summary) days (ODR 24)."""

    ordinary = "ordinary"
    summary = "summary"


class CrewClaimBasis(str, enum.Enum):
    """What a crew claim arises from; decides maritime court vs labour arbitration (Crew-Prov 1)."""

    boarding = "boarding"  # 登船
    on_board_service = "on_board_service"  # 在船工作
    repatriation = "repatriation"  # 遣返
    other_labour = "other_labour"  # 其他劳动争议


class Route(str, enum.Enum):
    maritime_court = "maritime_court"
    labour_arbitration = "labour_arbitration"


class PartySide(str, enum.Enum):
    applicant = "applicant"  # 申请人
    respondent = "respondent"  # 被申请人


class PartyKind(str, enum.Enum):
    person = "person"  # in the crew registry (person.id)
    organisation = "organisation"  # organisation.id
    new_person = "new_person"  # free text: not (yet) in any registry


class AgentAuthority(str, enum.Enum):
    """CPL 62: settling, admitting or waiving claims needs special authority (特别授权)."""

    general = "general"  # 一般授权
    special = "special"  # 特别授权


class ContactKind(str, enum.Enum):
    phone = "phone"
    email = "email"
    address = "address"
    wechat = "wechat"
    relative = "relative"  # family ashore
    at_sea_on_vessel = "at_sea_on_vessel"  # reachable only through vessel X


class MemberRole(str, enum.Enum):
    """3+X joint panel (联合调解): judge, chief mediator, legal-aid lawyer, plus departments."""

    judge = "judge"
    chief_mediator = "chief_mediator"
    legal_aid_lawyer = "legal_aid_lawyer"
    department = "department"
    expert = "expert"  # 智库
    mediator = "mediator"


JOINT_PANEL_CORE = (MemberRole.judge, MemberRole.chief_mediator, MemberRole.legal_aid_lawyer)


class EvidenceKind(str, enum.Enum):
    file = "file"
    ais = "ais"


class RulingOutcome(str, enum.Enum):
    valid = "valid"  # 裁定调解协议有效
    dismissed = "dismissed"  # 裁定驳回申请
    not_accepted = "not_accepted"  # 不予受理


class RulingGround(str, enum.Enum):
    """domain.md §3.4."""

    MANDATORY_LAW = "MANDATORY_LAW"
    PUBLIC_OR_THIRD_PARTY_HARM = "PUBLIC_OR_THIRD_PARTY_HARM"
    PUBLIC_ORDER = "PUBLIC_ORDER"
    NOT_VOLUNTARY = "NOT_VOLUNTARY"
    UNCLEAR = "UNCLEAR"
    FALSE_MEDIATION = "FALSE_MEDIATION"  # ODR 23
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    STATUS_MATTER = "STATUS_MATTER"
    TITLE_CONFIRMATION = "TITLE_CONFIRMATION"
    OTHER = "OTHER"


# CPL-Interp 355: the grounds for not accepting an application at all.
NOT_ACCEPTED_GROUNDS = frozenset(
    {RulingGround.OUT_OF_SCOPE, RulingGround.STATUS_MATTER, RulingGround.TITLE_CONFIRMATION, RulingGround.OTHER}
)

# 海商法 22(1)(2): crew wages/repatriation/social insurance and personal injury carry a maritime lien.
LIEN_TYPES = frozenset(
    {DisputeType.wage_dispute, DisputeType.crew_service_contract, DisputeType.personal_injury_at_sea}
)
# Crew labour claims, routed by Crew-Prov 1 between the maritime court and labour arbitration.
CREW_LABOUR_TYPES = frozenset({DisputeType.wage_dispute, DisputeType.crew_service_contract})


# The case's place in its lifecycle (the transitions are in states.py). Here, with the other value
# sets, so that models, rules and the lifecycle table import one way.
class State(str, enum.Enum):
    REGISTERED = "REGISTERED"
    TRIAGED = "TRIAGED"
    PLANNED = "PLANNED"
    DISPATCHING = "DISPATCHING"
    ACCEPTED = "ACCEPTED"
    INVESTIGATING = "INVESTIGATING"
    MEDIATING = "MEDIATING"
    AGREED = "AGREED"
    TERMINATED = "TERMINATED"
    CONFIRM_APPLIED = "CONFIRM_APPLIED"
    UNDER_REVIEW = "UNDER_REVIEW"  # accepted by the court (ACCEPTED_BY_COURT in domain.md's exits column)
    NOT_ACCEPTED = "NOT_ACCEPTED"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    FOLLOW_UP = "FOLLOW_UP"
    ENFORCEMENT = "ENFORCEMENT"
    REFERRED_LITIGATION = "REFERRED_LITIGATION"
    REFERRED_ARBITRATION = "REFERRED_ARBITRATION"
    CLOSED = "CLOSED"
    REFUSED = "REFUSED"
