"""A workaround for a bug in the installed Textual, applied only to the releases known to have it.

Textual's interval timer (``textual.timer.Timer._run``) keeps a grid of ticks, one every interval from its
start. When it finds itself behind that grid, it means to skip the ticks it missed and wait for the next
grid point, but it skips one more: ``count = int((now - start) / interval + 1)`` followed by waiting for
``start + (count + 1) * interval``. Every screen repaints through such a timer (one tick a frame, paused
while nothing changes), so after a paint that ran past its frame, a key pressed at once had its paint wait
up to two frames instead of one (8.3 ms more at quizengine's 120 frames a second). A one-second timer, like
a mock exam's countdown, likewise ticked up to two seconds apart after the app had been busy past a tick.

``apply()`` swaps in the same loop with the catch-up rounded down, only when the installed Textual is one of
``AFFECTED``. The upstream report is drafted in docs/upstream/textual-timer-skip.md. When a Textual upgrade
fixes it, tests/tui/test_upstream.py fails on the new version's own timer: drop the release from
``AFFECTED`` (and this module, once no supported release needs it).
"""

from __future__ import annotations

from importlib.metadata import version

from textual import _time
from textual.timer import EventTargetGone, Timer

AFFECTED = frozenset({"8.2.8"})

UPSTREAM_RUN = Timer._run


async def paced_run(self: Timer) -> None:
    """``Timer._run`` of Textual 8.2.8 with one change: behind its grid, it waits for the first grid point
    after now (upstream waits for the second)."""
    count = 0
    repeat = self._repeat
    interval = self._interval
    await self._active.wait()
    start = _time.get_time()
    while repeat is None or count <= repeat:
        due = start + (count + 1) * interval
        now = _time.get_time()
        if self._skip and due < now:
            # Drop the ticks already missed; the next loop waits for the first grid point after now (at
            # least one tick on, should rounding put ``now`` a hair past that grid point).
            count = max(count + 1, int((now - start) / interval))
            continue
        await _time.sleep(max(0.0, due - _time.get_time()))
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=due, count=count)
        except EventTargetGone:
            break


def apply() -> bool:
    """Patch the timer if the installed Textual is known to skip a tick too many; True if patched."""
    if version("textual") not in AFFECTED:
        return False
    Timer._run = paced_run  # type: ignore[method-assign]
    return True
