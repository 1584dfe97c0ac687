"""docs/team-roles.sql: one PostgreSQL role per engineer; each writes only their own profile's rows."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from quizengine.domain.cards import CardState, grade
from quizengine.storage import Store
from tests.conftest import REPO, VALID_BANKS

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


def review(qid: str):  # type: ignore[no-untyped-def]
    return grade(
        CardState(qid),
        quality=4,
        correct=True,
        choices=(0,),
        answered_at=NOW,
        today=NOW.date(),
        response_ms=1,
    )


def test_each_engineer_writes_only_their_own_rows(pg_admin_url: str) -> None:
    from quizengine.services.banks import sync_banks
    from tests import pg

    url = pg.fresh_database(pg_admin_url, "qe_roles")
    owner = Store.open(url, migrate=True)
    sync_banks(owner, [VALID_BANKS], NOW)
    owner.close()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    sql = (REPO / "docs" / "team-roles.sql").read_text()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(2):  # idempotent
            conn.execute(sql)
        for name in ("ana", "ben"):
            conn.execute(f"DROP ROLE IF EXISTS {name}")
            conn.execute(f"CREATE ROLE {name} LOGIN IN ROLE quizengine_engineer")
        conn.execute("DROP ROLE IF EXISTS lead")
        conn.execute("CREATE ROLE lead LOGIN IN ROLE quizengine_reader")

    def as_role(role: str) -> Store:
        return Store.open(url.replace("postgres@", f"{role}@"))

    ana, ben = as_role("ana"), as_role("ben")
    ana_id = ana.profile_id("ana", NOW)
    ben_id = ben.profile_id("ben", NOW)
    ana.record(ana_id, review("smp-alpha-001"))
    ben.record(ben_id, review("smp-beta-001"))
    # the study screen's path: the card is read and graded under a lock on the profile's own row
    ana.record_answer(ana_id, "smp-alpha-002", lambda card: review(card.question_id))
    with pytest.raises(Exception, match="row-level security"):
        ana.record(ben_id, review("smp-alpha-002"))  # ana cannot write ben's history
    with pytest.raises(Exception, match="row-level security"):
        ana.record_answer(ben_id, "smp-beta-002", lambda card: review(card.question_id))
    with pytest.raises(Exception, match="row-level security"):
        ana.profile_id("mallory", NOW)  # nor create profiles for other names
    assert [r.question_id for r in ana.reviews(ben_id)] == ["smp-beta-001"]  # but can read the team's rows

    lead = as_role("lead")
    assert len(lead.reviews(ana_id)) == 2
    assert len(lead.reviews(ben_id)) == 1
    with pytest.raises(Exception, match="permission denied"):
        lead.record(ana_id, review("smp-alpha-002"))  # the team view only reads
    for store in (ana, ben, lead):
        store.close()
