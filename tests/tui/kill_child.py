"""Run the real app headless and answer questions until killed; print each committed answer.

Used by test_kill.py: the parent kills this process with SIGKILL at a random moment.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from quizengine.config import Settings
from quizengine.services.app import AppServices
from quizengine.tui.app import QuizApp
from quizengine.tui.screens.study import StudyScreen


def main(db: str, banks: str) -> None:
    settings = Settings(db=db, profile="killed", timezone="UTC", bank_dirs=(Path(banks),), new_per_day=1000)
    services = AppServices.open(settings, clock=lambda: datetime.now(UTC))
    if not services.study.studying():
        services.study.add_cert("killme")

    reported: list[object] = []  # kept alive, so identity checks cannot be fooled by reused ids

    def hook(message: object) -> None:
        # the hook sees a message at each node it bubbles through: report each answer once
        if isinstance(message, StudyScreen.AnswerRecorded) and not any(m is message for m in reported[-3:]):
            reported.append(message)
            fb = message.feedback
            print(f"COMMITTED {fb.view.question.id} {fb.view.kind.value}", flush=True)

    async def run() -> None:
        app = QuizApp(services, start_study=True)
        async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
            await pilot.pause()
            print("READY", flush=True)
            n = 0
            while isinstance(app.screen, StudyScreen):
                n += 1
                await pilot.press("abcd"[n % 4], "enter")
                await pilot.press("enter")

    asyncio.run(run())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
