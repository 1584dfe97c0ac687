"""One engineer answering as fast as possible for a bounded time; prints each committed answer."""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime

from quizengine.config import Settings
from quizengine.domain.grading import correct_choices
from quizengine.services.app import AppServices


def main(db: str, profile: str, seconds: float) -> None:
    settings = Settings(db=db, profile=profile, timezone="UTC", new_per_day=10_000)
    app = AppServices.open(settings, clock=lambda: datetime.now(UTC), sync=False)
    app.study.add_cert("killme")
    rng = random.Random(profile)
    print("READY", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        run = app.study.start()
        while time.monotonic() < end and (view := run.current()) is not None:
            right = list(correct_choices(view.question))
            run.answer(right if rng.random() < 0.7 else [(right[0] + 1) % 4])
            print(f"ANSWERED {view.question.id}", flush=True)
        run.finish()
    app.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
