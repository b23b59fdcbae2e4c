"""Chinese labels of the case states and value sets (to be replaced by the Babel catalogues)."""

from __future__ import annotations

from mediation.cases.enums import State

STATE_LABELS_ZH: dict[State, str] = {
    State.REGISTERED: "受理登记",
    State.TRIAGED: "事项研判",
    State.PLANNED: "制定方案",
    State.DISPATCHING: "评估分拨",
    State.ACCEPTED: "接单",
    State.INVESTIGATING: "实地调查",
    State.MEDIATING: "组织调解",
    State.AGREED: "签订协议",
    State.TERMINATED: "调解终止",
    State.CONFIRM_APPLIED: "申请司法确认",
    State.UNDER_REVIEW: "法院受理审查",
    State.NOT_ACCEPTED: "法院不予受理",
    State.CONFIRMED: "裁定协议有效",
    State.REJECTED: "裁定驳回申请",
    State.WITHDRAWN: "撤回确认申请",
    State.FOLLOW_UP: "回访反馈",
    State.ENFORCEMENT: "申请强制执行",
    State.REFERRED_LITIGATION: "转诉讼",
    State.REFERRED_ARBITRATION: "转劳动仲裁",
    State.CLOSED: "结案存档",
    State.REFUSED: "当事人拒绝调解",
}

# Labels of the other value sets (enums.py), for the UI that comes later.
LABELS_ZH: dict[str, dict[str, str]] = {
    "dispute_type": {
        "wage_dispute": "劳资纠纷",
        "crew_service_contract": "船员劳务合同纠纷",
        "personal_injury_at_sea": "海上人身损害",
        "collision": "船舶碰撞",
        "gear_damage": "网具损害",
        "fishing_ground_conflict": "渔场纠纷",
        "fishery_contract": "渔业生产合同纠纷",
        "other": "其他",
    },
    "grade": {"general": "一般纠纷", "complex": "疑难纠纷", "major": "重大纠纷"},
    "intake_channel": {"window": "窗口受理", "online_form": "线上申请", "court_referral": "法院委派/委托"},
    "referral_kind": {"pre_filing_referral": "委派调解", "post_filing_referral": "委托调解"},
    "filer_kind": {"party": "当事人本人", "relative": "家属代为申请", "captain": "船长代为申请"},
    "crew_claim_basis": {
        "boarding": "登船",
        "on_board_service": "在船工作",
        "repatriation": "遣返",
        "other_labour": "其他劳动争议",
    },
    "route": {"maritime_court": "海事法院", "labour_arbitration": "劳动仲裁"},
    "side": {"applicant": "申请人", "respondent": "被申请人"},
    "agent_authority": {"general": "一般授权", "special": "特别授权"},
    "contact_kind": {
        "phone": "电话",
        "email": "电子邮件",
        "address": "地址",
        "wechat": "微信",
        "relative": "家属",
        "at_sea_on_vessel": "海上作业，经船舶联系",
    },
    "member_role": {
        "judge": "法官",
        "chief_mediator": "首席调解员",
        "legal_aid_lawyer": "法律援助律师",
        "department": "职能部门",
        "expert": "智库专家",
        "mediator": "调解员",
    },
    "ruling_outcome": {"valid": "裁定调解协议有效", "dismissed": "裁定驳回申请", "not_accepted": "不予受理"},
}
DISPUTE_TYPE_LABELS_ZH = LABELS_ZH["dispute_type"]
