"""The kept recall state, on SQLite and PostgreSQL: whatever was kept, a report sees exactly what a replay
of the whole log gives, after more answers, answers logged out of time order and a late commit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizengine.domain import readiness as rd
from quizengine.services.app import AppServices
from quizengine.services.recall import Event, to_record
from quizengine.storage.store import RECALL_MARK_KEY, RecallMark
from tests.conftest import FakeClock
from tests.services.test_study import right, wrong


def study(app: AppServices, clock: FakeClock, *, miss_every: int = 3) -> None:
    run = app.study.start()
    n = 0
    while (view := run.current()) is not None:
        clock.advance(seconds=17)
        n += 1
        run.answer(wrong(view) if n % miss_every == 0 else right(view))


def expected(app: AppServices) -> dict[str, tuple[float, float, rd.History, int]]:
    """What replaying the whole log from scratch gives, per question."""
    log = app.store.answer_log(app.study.profile_id)
    cards = app.readiness.model.replay(Event(a.question_id, a.answered_at, a.quality) for a in log)
    out = {}
    for qid, card in cards.items():
        mine = [a for a in log if a.question_id == qid]
        history = rd.History.of([rd.Answer(a.answered_at, a.correct) for a in mine])
        ms = sum(a.response_ms for a in mine if a.kind.value != "mock")
        assert card.stability is not None
        assert card.difficulty is not None
        out[qid] = (card.stability, card.difficulty, history, ms)
    return out


def assert_matches_a_full_replay(app: AppServices) -> None:
    states = app.readiness.recall_states(app.study.profile_id).states
    want = expected(app)
    assert set(states) == set(want)
    for qid, (stability, difficulty, history, ms) in want.items():
        got = states[qid]
        assert got.stability == pytest.approx(stability, rel=1e-12)
        assert got.difficulty == pytest.approx(difficulty, rel=1e-12)
        assert got.history.reviews == history.reviews
        assert got.history.first_correct == history.first_correct
        assert got.history.weight == pytest.approx(history.weight, rel=1e-9)
        assert got.history.correct_weight == pytest.approx(history.correct_weight, rel=1e-9, abs=1e-12)
        assert got.ms_total == ms


def test_kept_state_plus_the_later_log_equals_a_full_replay(services: AppServices, clock: FakeClock) -> None:
    study(services, clock)
    saved = services.readiness.refresh_recall_state()
    assert saved == len(expected(services))
    records, mark = services.store.recall_state(services.study.profile_id)
    assert len(records) == saved
    assert mark.count == len(services.store.answer_log(services.study.profile_id))
    clock.advance(days=2)
    study(services, clock, miss_every=2)  # more answers after the mark: replayed on top of the kept state
    changed = services.readiness.recall_states(services.study.profile_id).changed
    assert changed
    assert_matches_a_full_replay(services)
    before = services.readiness.report("tester").certs[0].readiness
    services.readiness.refresh_recall_state()
    after = services.readiness.report("tester").certs[0].readiness
    assert after == before  # the same report whether the state was kept or replayed
    assert services.readiness.recall_states(services.study.profile_id).changed == set()


def test_an_answer_logged_out_of_time_order_replays_its_question(
    services: AppServices, clock: FakeClock
) -> None:
    study(services, clock)
    services.readiness.refresh_recall_state()
    data = services.store.export_history(services.study.profile_id)
    assert RECALL_MARK_KEY not in data["settings"]  # review ids mean nothing in another database
    # Move an earlier review to a new uid an hour earlier and import it: a new id, an old time.
    first = dict(data["reviews"][0])
    first["uid"] = "00000000-0000-4000-8000-000000000001"
    first["answered_at"] = first["answered_at"].replace("T09", "T08")
    services.store.import_history(services.study.profile_id, {**data, "reviews": [first], "mocks": []})
    assert_matches_a_full_replay(services)
    services.readiness.refresh_recall_state()
    assert_matches_a_full_replay(services)


def test_a_review_committed_below_the_mark_makes_everything_replay(
    services: AppServices, clock: FakeClock
) -> None:
    study(services, clock)
    services.readiness.refresh_recall_state()
    pid = services.study.profile_id
    records, mark = services.store.recall_state(pid)
    # As if a second terminal's review had committed late with an id below the mark.
    assert services.store.save_recall_state(pid, [], RecallMark(mark.upto, mark.count - 1), since=mark)
    view = services.readiness.recall_states(pid)
    new_mark, changed = view.mark, view.changed
    assert changed == set(records)  # everything was replayed
    assert new_mark.count == mark.count
    assert_matches_a_full_replay(services)


def test_a_long_backlog_is_kept_in_bounded_steps(services: AppServices, clock: FakeClock) -> None:
    study(services, clock)
    clock.advance(days=1)
    study(services, clock)
    total = len(services.store.answer_log(services.study.profile_id))
    steps = 0
    while services.readiness.refresh_recall_state(limit=3):
        steps += 1
        assert_matches_a_full_replay(services)
    assert steps >= total // 3
    assert services.store.recall_state(services.study.profile_id)[1].count == total


def test_closing_a_learners_app_keeps_the_state_and_the_team_export_reads_it(
    services: AppServices, clock: FakeClock
) -> None:
    study(services, clock)
    services.close()  # the learner quits: the state is kept
    from quizengine.services.app import AppServices as Services

    reader = Services.open(services.settings, clock=clock, read_only=True)
    try:
        records, _mark = reader.store.recall_state(reader.study.profile_id)
        assert records
        assert reader.readiness.recall_states(reader.study.profile_id).changed == set()  # nothing to replay
        assert reader.readiness.team()[0].certs
    finally:
        reader.store.close()


def test_the_kept_curve_is_fsrs_own(services: AppServices, clock: FakeClock) -> None:
    """Retrievability from a kept state equals the fsrs package's own on the replayed card."""
    study(services, clock)
    pid = services.study.profile_id
    model = services.readiness.model
    log = services.store.answer_log(pid)
    cards = model.replay(Event(a.question_id, a.answered_at, a.quality) for a in log)
    states = services.readiness.recall_states(pid).states
    for days in (0, 1, 3, 30, 400):
        when = clock() + timedelta(days=days, hours=5)
        for qid, card in cards.items():
            assert model.retrievability(states[qid], when) == pytest.approx(
                model.recall(card, when), rel=1e-12
            )


def test_the_team_report_built_by_worker_processes_equals_the_serial_one(
    services: AppServices, clock: FakeClock
) -> None:
    from dataclasses import replace

    from quizengine.exports.readiness import render
    from quizengine.services.app import AppServices as Services

    study(services, clock)
    for name in ("ana", "ben", "chen"):
        other = Services.open(replace(services.settings, profile=name), clock=clock, sync=False)
        other.study.add_cert("sample-cert")
        study(other, clock, miss_every=2)
        other.close()
    serial = services.readiness.team()
    parallel = services.team_reports(workers=2)
    assert [r.profile for r in parallel] == [r.profile for r in serial]
    # Only the workers' reports come back without per-question detail: the worker path really ran.
    assert all(c.recalls for r in serial for c in r.certs)
    assert not any(c.recalls for r in parallel for c in r.certs)
    now = services.study.now()
    assert render(parallel, "json", team=True, generated_at=now) == render(
        serial, "json", team=True, generated_at=now
    )


def test_a_save_built_on_an_older_mark_is_refused(services: AppServices, clock: FakeClock) -> None:
    """Two processes of one profile closing at once: the one that saves second would count the reviews
    between the two marks twice, so its save is refused and the kept state stays whole."""
    study(services, clock)
    pid = services.study.profile_id
    stale_view = services.readiness.recall_states(pid)  # read before the other process saved
    assert services.readiness.refresh_recall_state() > 0  # the other process saves first
    records = [to_record(q, stale_view.states[q]) for q in sorted(stale_view.changed)]
    assert not services.store.save_recall_state(pid, records, stale_view.mark, since=stale_view.kept)
    assert services.store.recall_mark(pid) != stale_view.kept
    assert_matches_a_full_replay(services)


def test_the_review_extent_tells_a_close_that_nothing_is_new(services: AppServices, clock: FakeClock) -> None:
    study(services, clock)
    pid = services.study.profile_id
    assert services.readiness.refresh_recall_state() > 0
    count, top = services.store.review_extent(pid, services.store.recall_mark(pid).upto)
    assert (count, top) == (services.store.recall_mark(pid).count, services.store.recall_mark(pid).upto)
    assert services.readiness.refresh_recall_state() == 0
