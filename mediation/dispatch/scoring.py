"""选单: rank mediators for a case. Pure: facts in, scored candidates out (no database).

Each component adds points and a reason in Chinese and English, so the coordinator sees why a
mediator ranks where they do. Conflicts of interest, unavailability and a full load exclude a
mediator; excluded mediators are returned too, with the reason, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel import Locale

from mediation.cases.labels import DISPUTE_TYPE_LABELS_ZH

ZH = Locale.parse("zh_CN")

# Nationality (ISO 3166-1) → the language a mediator needs to talk to that party (ISO 639-1).
NATIONALITY_LANGUAGE = {
    "CN": "zh",
    "TW": "zh",
    "HK": "zh",
    "ID": "id",
    "VN": "vi",
    "PH": "en",
    "MM": "my",
    "KR": "ko",
    "JP": "ja",
    "RU": "ru",
    "PE": "es",
    "AR": "es",
    "CL": "es",
    "TH": "th",
    "LK": "si",
    "BD": "bn",
    "IN": "hi",
    "US": "en",
    "GB": "en",
}

WEIGHTS = {"language": 30.0, "specialty": 25.0, "sea_area": 15.0, "home_port": 10.0, "load": 10.0, "rating": 10.0}
NEUTRAL_RATING = 3.0  # a mediator nobody rated yet is neither helped nor punished much


@dataclass(frozen=True)
class CaseFacts:
    dispute_type: str
    sea_area: str | None = None
    ports: frozenset[str] = frozenset()  # ports of registry of the vessels involved
    languages: frozenset[str] = frozenset()  # what the parties and crew speak
    party_org_ids: frozenset[int] = frozenset()
    party_person_ids: frozenset[int] = frozenset()
    party_org_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MediatorFacts:
    user_id: int
    name: str
    kind: str
    languages: frozenset[str] = frozenset()
    home_ports: frozenset[str] = frozenset()
    sea_areas: frozenset[str] = frozenset()
    specialties: frozenset[str] = frozenset()
    available: bool = True
    unavailable_until: date | None = None
    max_load: int = 5
    load: int = 0
    rating: float | None = None
    ratings: int = 0
    organisation_id: int | None = None
    conflict_org_ids: dict[int, str] = field(default_factory=dict)  # organisation id → declared relation
    conflict_person_ids: dict[int, str] = field(default_factory=dict)
    previously_asked: str | None = None  # outcome of an earlier attempt on this case


@dataclass
class Reason:
    component: str
    points: float
    zh: str
    en: str


@dataclass
class Candidate:
    user_id: int
    name: str
    kind: str
    score: float
    load: int
    max_load: int
    rating: float | None
    reasons: list[Reason]
    excluded: bool = False
    exclusions: list[Reason] = field(default_factory=list)
    rank: int | None = None


def exclusions(case: CaseFacts, m: MediatorFacts, today: date) -> list[Reason]:
    out: list[Reason] = []
    if m.organisation_id is not None and m.organisation_id in case.party_org_ids:
        org = case.party_org_names.get(m.organisation_id, str(m.organisation_id))
        out.append(
            Reason(
                "conflict",
                0,
                f"利益冲突：与当事人{org}同属一家单位",
                f"conflict of interest: works for the same company as the party {org}",
            )
        )
    for org_id, relation in m.conflict_org_ids.items():
        if org_id in case.party_org_ids:
            org = case.party_org_names.get(org_id, str(org_id))
            out.append(
                Reason(
                    "conflict",
                    0,
                    f"利益冲突：已申报与当事人{org}的关系（{relation}）",
                    f"conflict of interest: declared relation to the party {org} ({relation})",
                )
            )
    for person_id, relation in m.conflict_person_ids.items():
        if person_id in case.party_person_ids:
            out.append(
                Reason(
                    "conflict",
                    0,
                    f"利益冲突：已申报与本案当事人的关系（{relation}）",
                    f"conflict of interest: declared relation to a party ({relation})",
                )
            )
    if not m.available or (m.unavailable_until is not None and m.unavailable_until >= today):
        until = f"，至{m.unavailable_until}" if m.unavailable_until else ""
        until_en = f" until {m.unavailable_until}" if m.unavailable_until else ""
        out.append(Reason("availability", 0, f"暂不可接案{until}", f"not available{until_en}"))
    if m.load >= m.max_load:
        out.append(
            Reason("load", 0, f"在办案件已满（{m.load}/{m.max_load}）", f"full load ({m.load} of {m.max_load} cases)")
        )
    if m.previously_asked:
        zh = {"declined": "已拒绝本案", "timed_out": "本案超时未接单", "accepted": "已接过本案"}.get(
            m.previously_asked, "已派过本案"
        )
        out.append(Reason("previous", 0, zh, f"already asked on this case ({m.previously_asked})"))
    return out


def _zh_language(code: str) -> str:
    """汉语 for zh, 印度尼西亚语 for id: the scoring reasons name languages, not ISO codes."""
    return ZH.languages.get(code, code)


def score(case: CaseFacts, m: MediatorFacts, today: date) -> Candidate:
    reasons: list[Reason] = []
    needed = case.languages or frozenset({"zh"})
    spoken = needed & m.languages
    pts = WEIGHTS["language"] * len(spoken) / len(needed)
    missing = sorted(needed - m.languages)
    reasons.append(
        Reason(
            "language",
            pts,
            f"语言：会{'、'.join(_zh_language(c) for c in sorted(spoken)) or '无'}"
            + (f"，不会{'、'.join(_zh_language(c) for c in missing)}" if missing else ""),
            f"languages: speaks {', '.join(sorted(spoken)) or 'none'}"
            + (f", not {', '.join(missing)}" if missing else ""),
        )
    )
    if case.dispute_type in m.specialties:
        reasons.append(
            Reason(
                "specialty",
                WEIGHTS["specialty"],
                f"擅长此类纠纷（{DISPUTE_TYPE_LABELS_ZH.get(str(case.dispute_type), case.dispute_type)}）",
                f"specialises in {case.dispute_type}",
            )
        )
    else:
        reasons.append(Reason("specialty", 0, "非本类纠纷专长", f"no specialty in {case.dispute_type}"))
    if case.sea_area and case.sea_area in m.sea_areas:
        reasons.append(
            Reason(
                "sea_area",
                WEIGHTS["sea_area"],
                f"熟悉事发海域（{case.sea_area}）",
                f"knows the sea area ({case.sea_area})",
            )
        )
    ports = sorted(case.ports & m.home_ports)
    if ports:
        reasons.append(
            Reason(
                "home_port",
                WEIGHTS["home_port"],
                f"船籍港为其所在港（{'、'.join(ports)}）",
                f"home port matches the vessels' ({', '.join(ports)})",
            )
        )
    free = max(m.max_load - m.load, 0) / m.max_load if m.max_load > 0 else 0.0
    reasons.append(
        Reason(
            "load",
            round(WEIGHTS["load"] * free, 2),
            f"在办案件{m.load}/{m.max_load}",
            f"current load {m.load} of {m.max_load}",
        )
    )
    rating = m.rating if m.rating is not None else NEUTRAL_RATING
    r_pts = round(WEIGHTS["rating"] * (rating - 1) / 4, 2)
    if m.rating is None:
        reasons.append(Reason("rating", r_pts, "暂无当事人评价", "not rated yet"))
    else:
        reasons.append(
            Reason(
                "rating",
                r_pts,
                f"当事人评价{m.rating:.1f}分（{m.ratings}条）",
                f"rated {m.rating:.1f} by parties ({m.ratings} ratings)",
            )
        )
    excl = exclusions(case, m, today)
    total = round(sum(r.points for r in reasons), 2)
    return Candidate(m.user_id, m.name, m.kind, total, m.load, m.max_load, m.rating, reasons, bool(excl), excl)


def rank(case: CaseFacts, mediators: list[MediatorFacts], today: date) -> list[Candidate]:
    """Eligible candidates first, best score first (ties: lower load, then user id); excluded ones last."""
    scored = [score(case, m, today) for m in mediators]
    scored.sort(key=lambda c: (c.excluded, -c.score, c.load, c.user_id))
    n = 0
    for c in scored:
        if not c.excluded:
            n += 1
            c.rank = n
    return scored
