"""Case pages' helpers: labels of case values (Chinese from mediation/cases/states.py, English
beside them), the intake form ↔ CaseCreate, and the payload widgets of a generic transition form."""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from maritime_hub.config import get_settings
from maritime_hub.messages import N_
from maritime_hub.web import i18n
from maritime_hub.web.render import env
from mediation.cases.enums import RulingGround
from mediation.cases.states import LABELS_ZH, STATE_LABELS_ZH, State

STATE_EN = {
    "REGISTERED": "Registered",
    "TRIAGED": "Triaged",
    "PLANNED": "Plan made",
    "DISPATCHING": "Dispatching",
    "ACCEPTED": "Accepted",
    "INVESTIGATING": "Investigating",
    "MEDIATING": "Mediating",
    "AGREED": "Agreement signed",
    "TERMINATED": "Mediation terminated",
    "CONFIRM_APPLIED": "Confirmation applied",
    "UNDER_REVIEW": "Under court review",
    "NOT_ACCEPTED": "Not accepted by court",
    "CONFIRMED": "Agreement confirmed",
    "REJECTED": "Application dismissed",
    "WITHDRAWN": "Application withdrawn",
    "FOLLOW_UP": "Follow-up",
    "ENFORCEMENT": "Enforcement",
    "REFERRED_LITIGATION": "Referred to litigation",
    "REFERRED_ARBITRATION": "Referred to labour arbitration",
    "CLOSED": "Closed and archived",
    "REFUSED": "Party refused mediation",
}
# Extra parties beyond the first applicant and the respondent company: a fixed number of rows.
EXTRA_PARTY_ROWS = 3
# Payload fields of the transitions, as a mediator reads them.
FIELD_LABELS_ZH = {
    "note": "备注",
    "grade": "纠纷等级",
    "crew_claim_basis": "船员请求依据",
    "claim_arose_on": "请求产生之日",
    "mediator_user_id": "调解员",
    "effective_at": "协议生效日",
    "terms_summary": "协议内容摘要",
    "failure_reason": "调解不成原因",
    "cost_raising_conduct": "增加对方成本的行为",
    "undisputed_facts": "无争议事实",
    "court_notes": "移送法院说明",
    "applicant_party_ids": "申请人",
    "consenting_party_ids": "同意但未申请的当事人",
    "court_id": "法院",
    "applied_on": "申请日期",
    "oral": "口头申请",
    "docket_number": "案号",
    "accepted_on": "受理日期",
    "grounds": "理由类别",
    "reason": "理由",
    "ruled_on": "裁定日期",
    "ruling_number": "裁定书编号",
    "deemed": "按撤回处理",
    "refusing_party_id": "拒绝调解的当事人",
    "arbitration_body": "仲裁机构",
    "filed_on": "申请日期",
    "dispatch": "派单结果",
    "obligations": "履行义务",
    "close_with_outstanding": "尚有未履行义务时结案",
    "outstanding_reason": "未履行完毕即结案的理由",
    # the plan (制定方案) and the skip of 实地调查 (payloads.Plan, InvestigationSkip)
    "approach": "调解思路与方式",
    "participants": "参加人员",
    "schedule": "时间安排",
    "skip_reason": "免实地调查理由",
    # intake form
    "description": "案情描述",
    "incident_at": "发生时间",
    "dispute_type": "纠纷类型",
    "applicant_person_id": "申请人",
    "respondent_org_id": "被申请人",
    "at_sea_vessel_id": "所在船舶",
    "lat": "纬度",
    "lon": "经度",
    "amount_claimed": "请求金额",
    "currency": "币种",
    "organisation_id": "调解组织",
    "applicant_name": "申请人姓名",
    "filer_name": "代为申请人姓名",
    "parties": "当事人",
    "form": "表单",
    "to": "操作",
    "sea_area": "海域",
    "intake_channel": "受理渠道",
    "referral_kind": "委派/委托",
    "referring_court_id": "委派/委托法院",
    "court_case_number": "法院案号",
    "court_procedure": "法院审理程序",
    "agent_authority": "代理权限",
    "respondent_agent_name": "被申请人代理人",
    **{
        f"p{i}_{k}": f"其他当事人{i}·{z}"
        for i in range(1, EXTRA_PARTY_ROWS + 1)
        for k, z in (
            ("side", "身份"),
            ("name", "姓名"),
            ("org_id", "单位"),
            ("agent_name", "代理人"),
            ("agent_authority", "代理权限"),
            ("agent_phone", "代理人电话"),
            ("contact_kind", "联系方式"),
            ("contact_value", "联系方式"),
        )
    },
}
STATE_ORDER = list(State)
# Value sets the case labels in states.py do not cover.
_ATTEMPT_ZH = {"accepted": "已接单", "declined": "已拒单", "timed_out": "超时未答复", "reassigned": "已改派"}
# Frozen AIS analyses (vessels/ais/evidence.py).
_AIS_ZH = {"track": "航迹", "cpa": "最近会遇距离（CPA）", "gaps": "AIS信号中断"}
# Grounds of a ruling that refuses an application (CPL-Interp 355, 358; ODR 23).
_GROUNDS_ZH = {
    "MANDATORY_LAW": "违反法律强制性规定",
    "PUBLIC_OR_THIRD_PARTY_HARM": "损害国家利益、社会公共利益或他人合法权益",
    "PUBLIC_ORDER": "违背公序良俗",
    "NOT_VOLUNTARY": "违背自愿原则",
    "UNCLEAR": "内容不明确",
    "FALSE_MEDIATION": "涉嫌虚假调解",
    "OUT_OF_SCOPE": "不属于人民法院受理范围或本院管辖",
    "STATUS_MATTER": "涉及身份关系",
    "TITLE_CONFIRMATION": "涉及物权、知识产权确权",
    "OTHER": "其他情形",
}
EXTRA_ZH = {
    "ruling_ground": _GROUNDS_ZH,
    "grounds": _GROUNDS_ZH,
    "attempt": _ATTEMPT_ZH,
    "dispatch": _ATTEMPT_ZH,
    "ais_kind": _AIS_ZH,
    "court_procedure": {"ordinary": "普通程序", "summary": "简易程序"},
}


def state_label(value: Any) -> str:
    s = State(getattr(value, "value", value))
    return STATE_LABELS_ZH[s] if i18n.current_locale.get() == "zh_CN" else STATE_EN[s.value]


def case_label(value: Any, kind: str) -> str:
    """A value of one of the case's value sets (dispute_type, grade, side, contact_kind ...)."""
    if value is None:
        return ""
    key = str(getattr(value, "value", value))
    if i18n.current_locale.get() == "zh_CN":
        return (LABELS_ZH.get(kind) or EXTRA_ZH.get(kind, {})).get(key, key)
    return key.replace("_", " ").capitalize()


def field_label(name: str) -> str:
    if i18n.current_locale.get() == "zh_CN":
        return FIELD_LABELS_ZH.get(name, name)
    return name.replace("_", " ").removesuffix(" ids").removesuffix(" id").capitalize()


def bilingual(item: Any, attr: str = "label") -> str:
    """Objects carrying ``<attr>_zh``/``<attr>_en`` or ``zh``/``en``: the reader's language."""
    zh = i18n.current_locale.get() == "zh_CN"
    if hasattr(item, "zh"):
        return item.zh if zh else item.en
    return getattr(item, f"{attr}_zh") if zh else getattr(item, f"{attr}_en")


def page_basis(text: str | None) -> str:
    """A legal basis as the page shows it: no spec markers, words in the page's language."""
    return MARKER.sub("", i18n.gettext(text or ""))


def payload_value(
    value: Any, key: str, party_names: dict[int, str] | None = None, org_names: dict[int, str] | None = None
) -> str:
    """A value recorded in a timeline row's payload, labelled where it is one of a value set; party
    ids (refusing_party_id, applicant_party_ids) are shown as the parties' names."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return i18n.gettext("%(n)s items") % {"n": len(value)}  # itemised (obligations): listed in their own section
    if isinstance(value, list):
        return "、".join(payload_value(v, key, party_names) for v in value)
    if party_names and key.endswith(("party_id", "party_ids")) and value in party_names:
        return party_names[value]
    if org_names and key == "court_id" and value in org_names:
        return org_names[value]
    if isinstance(value, bool):
        return i18n.gettext("Yes") if value else i18n.gettext("No")
    if key in LABELS_ZH or key in EXTRA_ZH:
        return case_label(value, key)
    return str(value)


env.filters["payload_value"] = payload_value
env.filters["state_label"] = state_label
env.filters["case_label"] = case_label
env.filters["field_label"] = field_label
env.filters["bilingual"] = bilingual
env.filters["basis"] = page_basis


# -- intake form ------------------------------------------------------------------------------------

PARTY_ROW_FIELDS = (
    "side",
    "name",
    "org_id",
    "agent_name",
    "agent_authority",
    "agent_phone",
    "contact_kind",
    "contact_value",
)
# Court referral (ODR Rules; Invited-Med 19-20): 委派 before filing, 委托 after, with the court's case number.
REFERRAL_FIELDS = {"intake_channel", "referral_kind", "referring_court_id", "court_case_number", "court_procedure"}
INTAKE_FIELDS = {
    "dispute_type",
    "incident_at",
    "lat",
    "lon",
    "sea_area",
    "description",
    "amount_claimed",
    "currency",
    "applicant_person_id",
    "applicant_name",
    "applicant_nationality",
    "applicant_phone",
    "at_sea",
    "at_sea_vessel_id",
    "agent_name",
    "agent_phone",
    "agent_authority",
    "respondent_org_id",
    "respondent_agent_name",
    "respondent_agent_authority",
    "respondent_agent_phone",
    "respondent_contact_kind",
    "respondent_contact_value",
    "organisation_id",
    "filer_kind",
    "filer_name",
    "filer_phone",
    *REFERRAL_FIELDS,
    *(f"p{i}_{k}" for i in range(1, EXTRA_PARTY_ROWS + 1) for k in PARTY_ROW_FIELDS),
}
# Where a CaseCreate error belongs on the form.
ERROR_FIELDS = {
    "parties.0.person_id": "applicant_person_id",
    "parties.0.name": "applicant_name",
    "parties.0.nationality": "applicant_nationality",
    "parties.0": "applicant_person_id",
    "parties.1.organisation_id": "respondent_org_id",
    "parties.1": "respondent_org_id",
    "incident_position.lat": "lat",
    "incident_position.lon": "lon",
    "incident_position": "lat",
    "parties.0.contacts.0.vessel_id": "at_sea_vessel_id",
    "parties.0.contacts.0": "at_sea_vessel_id",
    "parties.0.contacts.1": "applicant_phone",
    "parties.0.agent_name": "agent_name",
}


def party_rows(values: dict[str, Any]) -> list[str]:
    """The form prefix of each party in the CaseCreate body, in order ("" = applicant, "respondent", "p1" ...)."""
    rows = ["", *(["respondent"] if values.get("respondent_org_id") else [])]
    return rows + [f"p{i}" for i in range(1, EXTRA_PARTY_ROWS + 1) if _row_given(values, f"p{i}")]


def _row_given(values: dict[str, Any], prefix: str) -> bool:
    return bool(values.get(f"{prefix}_name") or values.get(f"{prefix}_org_id"))


def form_field(api_field: str, values: dict[str, Any] | None = None) -> str:
    """Where an API error belongs on the intake form (``values``: the form, for the extra party rows)."""
    parts = api_field.split(".")
    if values is not None and parts[0] == "parties" and len(parts) > 1 and parts[1].isdigit():
        rows, n = party_rows(values), int(parts[1])
        if n < len(rows) and rows[n].startswith("p"):
            sub = parts[2] if len(parts) > 2 else "name"
            return f"{rows[n]}_{ {'organisation_id': 'org_id', 'contacts': 'contact_value'}.get(sub, sub) }"
    if api_field in ERROR_FIELDS:
        return ERROR_FIELDS[api_field]
    for prefix, name in ERROR_FIELDS.items():
        if api_field.startswith(prefix + "."):
            return name
    return api_field.split(".")[0]


def _channel(values: dict[str, Any], staff: bool, court_id: int | None) -> dict[str, Any]:
    """How the case arrives: the window (or a court referral the coordinator records), a court's
    clerk referring it from their court, or a party's online form."""
    referral = {k: values[k] for k in REFERRAL_FIELDS if k in values}
    if staff:
        return {"intake_channel": "window"} | (referral if values.get("intake_channel") == "court_referral" else {})
    if court_id is not None:
        chosen = {k: values[k] for k in ("organisation_id",) if k in values}
        return referral | chosen | {"intake_channel": "court_referral", "referring_court_id": court_id}
    return {"intake_channel": "online_form"} | {
        k: values[k] for k in ("organisation_id", "filer_kind", "filer_name", "filer_phone") if k in values
    }


def intake_payload(
    values: dict[str, Any], vessel_ids: list[str], staff: bool, court_id: int | None = None
) -> dict[str, Any]:
    """The CaseCreate body for a filled-in intake form (the API does the validation). ``court_id``:
    a court's clerk referring a case from that court (the referral fields, names in words)."""
    body: dict[str, Any] = {
        k: values[k]
        for k in ("dispute_type", "incident_at", "sea_area", "description", "amount_claimed", "currency")
        if k in values
    }
    body |= _channel(values, staff, court_id)
    if "lat" in values or "lon" in values:
        body["incident_position"] = {"lat": values.get("lat"), "lon": values.get("lon")}
    applicant: dict[str, Any] = {"side": "applicant", "contacts": []}
    if staff:
        applicant["person_id"] = values.get("applicant_person_id")
    else:
        applicant["name"] = values.get("applicant_name")
        if values.get("applicant_nationality"):
            applicant["nationality"] = values["applicant_nationality"].upper()
    if values.get("at_sea"):
        applicant["contacts"].append({"kind": "at_sea_on_vessel", "vessel_id": values.get("at_sea_vessel_id")})
    if values.get("applicant_phone"):
        applicant["contacts"].append({"kind": "phone", "value": values["applicant_phone"]})
    for k in ("agent_name", "agent_phone", "agent_authority"):
        if values.get(k):
            applicant[k] = values[k]
    parties = [applicant]
    if values.get("respondent_org_id"):
        parties.append(_party_row(values, "respondent", "respondent"))
    parties += [
        _party_row(values, f"p{i}", values.get(f"p{i}_side") or "applicant")
        for i in range(1, EXTRA_PARTY_ROWS + 1)
        if _row_given(values, f"p{i}")
    ]
    body["parties"] = parties
    vids = list(dict.fromkeys(v for v in vessel_ids if str(v).isdigit()))
    if (
        values.get("at_sea")
        and str(values.get("at_sea_vessel_id", "")).isdigit()
        and values["at_sea_vessel_id"] not in vids
    ):
        vids.append(values["at_sea_vessel_id"])  # the vessel the applicant is aboard is involved too
    body["vessels"] = [{"vessel_id": v} for v in vids]
    return body


def _party_row(values: dict[str, Any], prefix: str, side: str) -> dict[str, Any]:
    """A respondent or extra party: a company from the list or a name, with agent and one contact route."""
    party: dict[str, Any] = {"side": side, "contacts": []}
    if values.get(f"{prefix}_org_id"):
        party["organisation_id"] = values[f"{prefix}_org_id"]
    else:
        party["name"] = values.get(f"{prefix}_name")
    for k in ("agent_name", "agent_authority", "agent_phone"):
        if values.get(f"{prefix}_{k}"):
            party[k] = values[f"{prefix}_{k}"]
    if values.get(f"{prefix}_contact_value"):
        party["contacts"].append(
            {"kind": values.get(f"{prefix}_contact_kind") or "phone", "value": values[f"{prefix}_contact_value"]}
        )
    return party


# -- generic transition forms ------------------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


class PageText(str):
    """Text for a page that is chosen when the page is drawn, in its language: a msgid (a payload
    field's description) or a value's label. Spec markers ([U], [S]) never reach the reader."""

    def __new__(cls, text: str, label: Any = None):
        obj = super().__new__(cls, text)
        obj.label = label
        return obj

    def __html__(self) -> str:
        from markupsafe import escape

        text = self.label() if self.label else i18n.gettext(str(self))
        return str(escape(MARKER.sub("", text)))


# Bases with words in them (mediation/deadlines.py, states.py), for the catalogue; citations stay as written.
BASIS_WORDS = (
    N_("local practice [U]"),
    N_("Crew-Prov 1; 海商法 22, 29; grading [U]"),
    N_("PML 32: sue on the agreement"),
    N_("PML 17: one party's refusal bars mediation"),
)
MARKER = re.compile(r"\s*\[[USV]\]")


def _labelled(values, kind: str) -> list[tuple[str, PageText]]:
    return [(v.value, PageText(v.value, lambda v=v: case_label(v, kind))) for v in values]


def widgets(model: type[BaseModel], parties: list[Any], courts: list[Any]) -> list[dict[str, Any]]:
    """One input per payload field, of a kind the template knows how to draw."""
    out = []
    for name, f in model.model_fields.items():
        ann = _unwrap(f.annotation)
        w: dict[str, Any] = {
            "name": name,
            "required": f.is_required(),
            "description": PageText(f.description or ""),
            "kind": "text",
            "options": [],
        }
        inner = typing.get_args(ann)[0] if typing.get_origin(ann) is list else None
        if ann is date:
            w["kind"] = "date"
        elif ann is bool:
            w["kind"] = "checkbox"
        elif inner is RulingGround:
            w["kind"], w["options"] = "multi", _labelled(RulingGround, "ruling_ground")
        elif inner is int and name.endswith("party_ids"):
            w["kind"], w["options"] = "multi", [(str(p.id), p.name) for p in parties]
        elif name.endswith("party_id"):
            w["kind"], w["options"] = "select", [(str(p.id), p.name) for p in parties]
        elif name == "court_id":
            w["kind"], w["options"] = "select", [(str(c.id), c.name) for c in courts]
        elif isinstance(ann, type) and issubclass(ann, Enum):
            w["kind"], w["options"] = "select", _labelled(ann, name)
        elif ann is str:
            longest = max((getattr(m, "max_length", 0) or 0 for m in f.metadata), default=0)
            w["kind"] = "textarea" if longest >= 1000 else "text"
        out.append(w)
    return out


def transition_payload(model: type[BaseModel], form: Any) -> dict[str, Any]:
    """Form values for ``model``'s fields: empty means not given, lists from repeated inputs."""
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        ann = _unwrap(f.annotation)
        if typing.get_origin(ann) is list:
            items = [v for v in form.getlist(name) if str(v).strip()]
            if items:
                out[name] = items
        elif ann is bool:
            if form.get(name):
                out[name] = True
        else:
            value = str(form.get(name, "")).strip()
            if value:
                out[name] = value
    return out


def local_input(value: datetime | None) -> str:
    """A datetime-local input's value in China Standard Time."""
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%dT%H:%M") if value else ""
