"""选单 scoring as a pure function: components, reasons in both languages, exclusions."""

from __future__ import annotations

from datetime import date

from mediation.dispatch.scoring import CaseFacts, MediatorFacts, rank, score

TODAY = date(2026, 11, 23)
CASE = CaseFacts(
    dispute_type="wage_dispute",
    sea_area="舟山渔场",
    ports=frozenset({"沈家门"}),
    languages=frozenset({"zh", "id"}),
    party_org_ids=frozenset({7}),
    party_person_ids=frozenset({3}),
    party_org_names={7: "普陀远洋渔业公司"},
)


def m(uid: int, **kw) -> MediatorFacts:
    kw.setdefault("languages", frozenset({"zh"}))
    return MediatorFacts(user_id=uid, name=f"m{uid}", kind="sea_elder", **kw)


def test_every_component_has_points_and_bilingual_reasons():
    c = score(
        CASE,
        m(
            1,
            languages=frozenset({"zh", "id"}),
            specialties=frozenset({"wage_dispute"}),
            sea_areas=frozenset({"舟山渔场"}),
            home_ports=frozenset({"沈家门"}),
            load=1,
            max_load=5,
            rating=5.0,
            ratings=2,
        ),
        TODAY,
    )
    parts = {r.component: r for r in c.reasons}
    assert set(parts) == {"language", "specialty", "sea_area", "home_port", "load", "rating"}
    assert parts["language"].points == 30 and parts["specialty"].points == 25
    assert parts["sea_area"].points == 15 and parts["home_port"].points == 10
    assert parts["load"].points == 8 and parts["rating"].points == 10
    assert c.score == 98 and not c.excluded
    assert all(r.zh and r.en for r in c.reasons)
    assert "沈家门" in parts["home_port"].zh


def test_partial_language_and_unrated_mediator():
    c = score(CASE, m(2), TODAY)
    parts = {r.component: r for r in c.reasons}
    assert parts["language"].points == 15 and "not id" in parts["language"].en
    assert parts["rating"].points == 5 and parts["rating"].en == "not rated yet"


def test_ranking_orders_by_score_then_load_and_puts_exclusions_last():
    best = m(1, specialties=frozenset({"wage_dispute"}))
    tie_busier = m(2, specialties=frozenset({"wage_dispute"}), load=0, max_load=5)
    same_company = m(3, specialties=frozenset({"wage_dispute"}), languages=frozenset({"zh", "id"}), organisation_id=7)
    relative = m(4, conflict_person_ids={3: "申请人之兄"})
    declared_org = m(5, conflict_org_ids={7: "曾任该公司船长"})
    away = m(6, available=False)
    on_leave = m(7, unavailable_until=date(2026, 11, 30))
    back = m(8, unavailable_until=date(2026, 11, 22))
    full = m(9, load=5, max_load=5)
    declined = m(10, previously_asked="declined")
    ranked = rank(
        CASE, [declined, full, back, on_leave, away, declared_org, relative, same_company, tie_busier, best], TODAY
    )
    eligible = [c.user_id for c in ranked if not c.excluded]
    assert eligible == [1, 2, 8] and [c.rank for c in ranked[:3]] == [1, 2, 3]
    excluded = {c.user_id: c.exclusions[0] for c in ranked if c.excluded}
    assert set(excluded) == {3, 4, 5, 6, 7, 9, 10}
    assert "同属一家单位" in excluded[3].zh and "普陀远洋渔业公司" in excluded[3].en
    assert "申请人之兄" in excluded[4].zh and "曾任该公司船长" in excluded[5].zh
    assert excluded[7].component == "availability" and "2026-11-30" in excluded[7].en
    assert excluded[9].component == "load" and excluded[10].component == "previous"
    assert all(c.rank is None for c in ranked if c.excluded)
