"""Questions shared by reference between banks, on SQLite and PostgreSQL: one card, each bank's domain."""

from __future__ import annotations

from quizengine.config import Settings
from quizengine.domain.grading import correct_choices
from quizengine.services.app import AppServices
from quizengine.services.banks import sync_banks
from tests.conftest import DATA, VALID_BANKS, FakeClock
from tests.services.test_study import drain, right

SHARED = DATA / "banks" / "shared"


def _open(db_url: str, clock: FakeClock) -> AppServices:
    return AppServices.open(Settings(db=db_url, profile="tester", timezone="UTC"), clock=clock, sync=False)


def test_the_sharing_bank_installs_after_its_owner_whatever_the_folder_order(
    db_url: str, clock: FakeClock
) -> None:
    app = _open(db_url, clock)
    try:
        report = sync_banks(app.store, [SHARED, VALID_BANKS], clock())
        assert report.problems == []
        banks = app.study.banks()
        assert banks["sample-sharer"].counts == {"gamma": 2, "delta": 1}
        assert banks["sample-cert"].counts == {"alpha": 2, "beta": 2}  # the owner's view is unchanged
        served = {q.id: q.domain for q in app.store.questions_of("sample-sharer")}
        assert served == {"shr-gamma-001": "gamma", "smp-beta-001": "gamma", "smp-beta-002": "delta"}
    finally:
        app.close()


def test_a_sharing_bank_without_its_owner_is_not_installed(db_url: str, clock: FakeClock) -> None:
    app = _open(db_url, clock)
    try:
        report = sync_banks(app.store, [SHARED], clock())
        assert "sample-sharer" not in app.study.banks()
        (problem,) = report.problems
        assert "smp-beta-001" in problem.message
        assert "install that bank first" in problem.message
    finally:
        app.close()


def test_studying_both_banks_asks_a_shared_question_once(services: AppServices, clock: FakeClock) -> None:
    assert sync_banks(services.store, [SHARED], clock()).problems == []
    services.study.add_cert("sample-sharer")
    seen = drain(services.study.start(), clock)
    ids = [qid for qid, _kind in seen]
    assert sorted(set(ids)) == sorted(
        ["smp-alpha-001", "smp-alpha-002", "smp-beta-001", "smp-beta-002", "shr-gamma-001"]
    )
    assert ids.count("smp-beta-001") == 1  # asked once today (no re-drill: every answer was right)


def test_progress_on_a_shared_question_counts_for_both_banks(services: AppServices, clock: FakeClock) -> None:
    assert sync_banks(services.store, [SHARED], clock()).problems == []
    services.study.drop_cert("sample-cert")
    run = services.study.start(["sample-sharer"])
    views = []
    while (view := run.current()) is not None:
        views.append(view)
        clock.advance(seconds=10)
        run.answer(right(view))
    shared = next(v for v in views if v.question.id == "smp-beta-002")
    assert shared.certification.id == "sample-sharer"
    assert shared.domain.id == "delta"
    services.study.add_cert("sample-cert")
    home = {c.certification.id: c for c in services.study.home().studying}
    assert home["sample-cert"].unseen == 2  # its two shared questions were learnt through sample-sharer
    assert home["sample-sharer"].unseen == 0


def test_a_mock_of_the_sharing_bank_scores_shared_questions_under_its_domains(
    services: AppServices, clock: FakeClock
) -> None:
    assert sync_banks(services.store, [SHARED], clock()).problems == []
    run = services.mock.start("sample-sharer", seed=5)
    assert sorted(i.question_id for i in run.state.items) == ["shr-gamma-001", "smp-beta-001", "smp-beta-002"]
    for position in range(len(run.state.items)):
        run.go(position)
        run.answer(list(correct_choices(run.view(position).question)))
    result = run.submit()
    assert {d.domain: (d.correct, d.scored) for d in result.domains} == {"gamma": (2, 2), "delta": (1, 1)}
