"""The Textual timer workaround (quizengine/tui/upstream.py), on a fake clock: tick times are exact.

Times below are in intervals after the timer started. The timer under test runs in a real asyncio loop;
only Textual's clock and sleep are replaced, so a sleep moves the clock instead of waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from textual import _time
from textual import timer as textual_timer
from textual._context import active_app
from textual.timer import Timer

from quizengine.services.app import AppServices
from quizengine.tui import upstream
from quizengine.tui.app import QuizApp

RunLoop = Callable[[Timer], Coroutine[Any, Any, None]]
START = 1000.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)

    @property
    def at(self) -> float:
        return round(self.now - START, 6)


@pytest.fixture
def textual_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_time, "get_time", fake.get_time)
    monkeypatch.setattr(_time, "sleep", fake.sleep)
    monkeypatch.setattr(textual_timer, "sleep", fake.sleep)  # upstream's loop calls it by this name
    return fake


class Target:
    """What a timer sends to (held weakly, like a widget)."""


class AppStub:
    """The little of an App that a timer's tick reads."""

    _exit = False
    features: frozenset[str] = frozenset()

    def _handle_exception(self, error: Exception) -> None:
        raise error


async def tick_times(
    monkeypatch: pytest.MonkeyPatch,
    textual_clock: Clock,
    run: RunLoop,
    on_tick: Callable[[Timer, int], None],
    ticks: int,
) -> list[float]:
    """Start a timer of interval 1 whose loop is ``run``; ``on_tick(timer, n)`` runs at its n-th tick."""
    monkeypatch.setattr(Timer, "_run", run)
    active_app.set(AppStub())  # type: ignore[arg-type]
    times: list[float] = []
    enough = asyncio.Event()
    target = Target()

    def callback() -> None:
        times.append(textual_clock.at)
        on_tick(timer, len(times))
        if len(times) == ticks:
            timer.pause()  # no more ticks while the test stops it
            enough.set()

    timer = Timer(target, 1.0, callback=callback)
    timer._start()
    await asyncio.wait_for(enough.wait(), 5)
    timer.stop()
    return times


async def ticks_after_an_overrun(
    monkeypatch: pytest.MonkeyPatch, textual_clock: Clock, run: RunLoop
) -> list[float]:
    """The first three ticks of a timer whose first tick's work runs half an interval past the next grid
    point."""

    def overrun(_timer: Timer, n: int) -> None:
        if n == 1:
            textual_clock.now += 1.5

    return await tick_times(monkeypatch, textual_clock, run, overrun, 3)


async def test_upstream_timer_skips_a_tick_too_many_on_the_affected_releases(
    monkeypatch: pytest.MonkeyPatch, textual_clock: Clock
) -> None:
    """Why the workaround exists: Textual's own loop, behind its grid at 2.5, waits until 4.0 (3.0 is
    the first grid point after 2.5). If a Textual upgrade fixes this, drop the release from AFFECTED."""
    from importlib.metadata import version

    if version("textual") not in upstream.AFFECTED:
        pytest.skip("the installed Textual is not one the workaround is for")
    assert await ticks_after_an_overrun(monkeypatch, textual_clock, upstream.UPSTREAM_RUN) == [1.0, 4.0, 5.0]


async def test_the_timer_the_app_runs_with_ticks_at_the_first_grid_point_after_an_overrun(
    monkeypatch: pytest.MonkeyPatch, textual_clock: Clock
) -> None:
    """Whatever Textual is installed, the timer QuizApp leaves in place catches up correctly (if a new
    Textual still has the bug and is not in AFFECTED, this fails)."""
    monkeypatch.setattr(Timer, "_run", upstream.UPSTREAM_RUN)
    upstream.apply()
    assert await ticks_after_an_overrun(monkeypatch, textual_clock, Timer._run) == [1.0, 3.0, 4.0]


async def test_on_time_ticks_are_unchanged(monkeypatch: pytest.MonkeyPatch, textual_clock: Clock) -> None:
    times = await tick_times(monkeypatch, textual_clock, upstream.paced_run, lambda t, n: None, 4)
    assert times == [1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(
    ("run", "second_paint_at"), [(upstream.UPSTREAM_RUN, 12.0), (upstream.paced_run, 11.0)]
)
async def test_a_screens_repaint_timer_after_a_pause(
    monkeypatch: pytest.MonkeyPatch, textual_clock: Clock, run: RunLoop, second_paint_at: float
) -> None:
    """A screen's repaint timer is paused after each paint and resumed when something changes. After a
    pause (the learner reading) the first paint is immediate; a change right after it is painted at the
    next frame, not the one after."""
    monkeypatch.setattr(Timer, "_run", run)
    active_app.set(AppStub())  # type: ignore[arg-type]
    times: list[float] = []
    painted = asyncio.Event()

    def paint() -> None:
        timer.pause()
        times.append(textual_clock.at)
        painted.set()

    async def next_paint() -> None:
        await asyncio.wait_for(painted.wait(), 5)
        painted.clear()

    target = Target()
    timer = Timer(target, 1.0, callback=paint)
    timer._start()
    await next_paint()
    while textual_clock.at < 2.0:  # the loop sleeps to the next grid point and waits there, paused
        await asyncio.sleep(0)
    textual_clock.now = START + 10.3  # the learner reads, then presses a key: the screen changes
    timer.resume()
    await next_paint()
    timer.resume()  # a key at once after that paint
    await next_paint()
    timer.stop()
    assert times == [1.0, 10.3, second_paint_at]


def test_other_textual_releases_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Timer, "_run", upstream.UPSTREAM_RUN)
    monkeypatch.setattr(upstream, "version", lambda _name: "99.0.0")
    assert upstream.apply() is False
    assert Timer._run is upstream.UPSTREAM_RUN


def test_the_app_applies_the_workaround(monkeypatch: pytest.MonkeyPatch, services: AppServices) -> None:
    monkeypatch.setattr(Timer, "_run", upstream.UPSTREAM_RUN)
    monkeypatch.setattr(upstream, "AFFECTED", frozenset({"installed"}))
    monkeypatch.setattr(upstream, "version", lambda _name: "installed")
    QuizApp(services)
    assert Timer._run is upstream.paced_run
