"""The shipped recall predictor is the configuration whose calibration on real review logs is published.

The calibration target (log loss at least 10 % below plain SM-2's) is judged on real logs. The one large
measurement of real logs there is, the open-spaced-repetition srs-benchmark (9,999 Anki collections), scores
"FSRS-6 default param." against "SM-2" with R = 0.9^(t/I). That result speaks for quizengine only while the
shipped predictor is that same FSRS-6 with those same default parameters, and while `eval_recall.py` scores
SM-2 the same way: these tests say when that stops being true (an upgrade of the fsrs package, say).
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from types import ModuleType

import pytest

from quizengine.domain import sm2
from quizengine.services.recall import Event, RecallModel
from tests.conftest import REPO

# FSRS-6's default parameters as the srs-benchmark README lists them (section "Default Parameters").
BENCHMARKED_FSRS6 = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def eval_recall() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_recall", REPO / "scripts" / "eval_recall.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_the_shipped_predictor_is_fsrs6_with_the_benchmarked_defaults() -> None:
    model = RecallModel()
    assert tuple(model.scheduler.parameters) == BENCHMARKED_FSRS6
    # and it never schedules: no learning steps and no fuzz, so every answer updates the memory state
    assert not model.scheduler.learning_steps
    assert not model.scheduler.relearning_steps
    assert not model.scheduler.enable_fuzzing


def test_the_predicted_curve_is_fsrs6_power_curve() -> None:
    """R(t) = (1 + factor * t / S) ^ -w20 with factor = 0.9 ^ (1 / -w20) - 1: 90 % at t = S."""
    model = RecallModel()
    card = model.replay_one(None, Event("q", T0, 4))
    assert card.stability is not None
    decay = -BENCHMARKED_FSRS6[20]
    factor = 0.9 ** (1 / decay) - 1
    for days in (1, 2, 10, 100):
        expected = (1 + factor * days / card.stability) ** decay
        assert model.recall(card, T0 + timedelta(days=days)) == pytest.approx(expected, rel=1e-9)


def test_eval_recall_scores_sm2_as_the_benchmark_does() -> None:
    """Plain SM-2's prediction is 0.9 ^ (t / I), with I the SM-2 interval after the previous answer."""
    module = eval_recall()
    rows = [
        module.Row("c", 3, T0, 0),
        module.Row("c", 3, T0 + timedelta(days=1), 0),
        module.Row("c", 3, T0 + timedelta(days=9), 0),  # 8 days after an interval of 6
    ]
    pairs = module.sm2_predictions(rows, T0 + timedelta(hours=1))
    interval_after_two = sm2.review(sm2.review(sm2.Sm2State(), 4), 4).interval
    assert interval_after_two == 6
    assert pairs == [(pytest.approx(0.9 ** (1 / 1)), 1), (pytest.approx(0.9 ** (8 / 6)), 1)]
