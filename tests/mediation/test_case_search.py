"""The board's text search (mediation/cases/board.py) and its trigram indexes (migration 0009)."""

from __future__ import annotations

from sqlalchemy import select, text, true

from mediation.cases.board import BoardFilters, BoardRepository, _filtered
from mediation.cases.models import Case, CaseParty

TRGM_INDEXES = {
    "ix_mediation_case_number_trgm",
    "ix_mediation_case_description_trgm",
    "ix_case_party_name_trgm",
    "ix_case_party_agent_name_trgm",
}


def _copies(db, case: Case, n: int) -> None:
    """n more cases like ``case`` (distinct numbers, descriptions, party and agent names), in SQL."""
    skip = {"id", "number", "seq", "description"}
    cols = [c.name for c in Case.__table__.columns if c.name not in skip]
    listed = ", ".join(cols)
    db.execute(
        text(f"""
        INSERT INTO mediation_case (number, seq, description, {listed})
        SELECT '（2026）批量海调字第' || lpad(g::text, 5, '0') || '号', 100000 + g,
               '渔船 ' || md5(g::text) || ' 拖欠工资', {", ".join("c." + c for c in cols)}
        FROM mediation_case c, generate_series(1, :n) g WHERE c.id = :id"""),
        {"n": n, "id": case.id},
    )
    pcols = [c.name for c in CaseParty.__table__.columns if c.name not in {"id", "case_id", "name", "agent_name"}]
    db.execute(
        text(f"""
        INSERT INTO case_party (case_id, name, agent_name, {", ".join(pcols)})
        SELECT mc.id, '船员' || md5(mc.id::text), '代理' || md5((mc.id * 7)::text), {", ".join("p." + c for c in pcols)}
        FROM mediation_case mc, case_party p WHERE mc.number LIKE '（2026）批量%' AND p.id = :pid"""),
        {"pid": db.scalar(select(CaseParty.id).where(CaseParty.case_id == case.id).limit(1))},
    )


def test_trigram_indexes_exist(db):
    names = set(db.scalars(text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")))
    assert TRGM_INDEXES <= names


def test_board_search_uses_the_trigram_indexes_and_finds_the_rows(db, make_case, make_person):
    target = make_case(
        description="浙岱渔03318 船长扣押船员证书",
        parties=[
            {
                "side": "applicant",
                "person_id": make_person(name="邬阿狗").id,
                "agent_name": "林律师甲",
                "agent_authority": "general",
            },
            {"side": "respondent", "name": "某船东"},
        ],
    )
    _copies(db, target, 3000)
    db.execute(text("ANALYZE mediation_case"))
    db.execute(text("ANALYZE case_party"))
    repo = BoardRepository(db)
    for q, expected in (
        ("03318", {target.id}),
        ("林律师", {target.id}),
        ("邬阿", {target.id}),
        (target.number[-6:], {target.id}),
    ):
        assert {c.id for c in repo.search(true(), BoardFilters(q=q), 1).items} == expected, q
    many = repo.search(true(), BoardFilters(q="批量海调字"), 1)
    assert many.total == 3000

    # The plan for a selective search must reach each column through its trigram index (seq scans
    # disabled so the check does not hinge on cost estimates at this table size).
    db.execute(text("SET LOCAL enable_seqscan = off"))
    stmt = _filtered(true(), BoardFilters(q="林律师"))
    compiled = stmt.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.scalars(text(f"EXPLAIN {compiled}".replace("%%", "%"))))
    for name in TRGM_INDEXES:
        assert name in plan, plan
    db.execute(text("RESET enable_seqscan"))


def test_migration_0009_matches_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from maritime_hub.db.base import Base
    from maritime_hub.db.registry import load_all_models

    load_all_models()
    diffs = compare_metadata(MigrationContext.configure(db.connection()), Base.metadata)
    assert [d for d in diffs if "trgm" in repr(d)] == []
