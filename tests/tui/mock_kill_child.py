"""Run a real mock exam headless, answering and marking questions until killed; print each saved step."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from quizengine.config import Settings
from quizengine.services.app import AppServices
from quizengine.tui.app import QuizApp
from quizengine.tui.screens.exam import ExamScreen


def main(db: str, banks: str) -> None:
    settings = Settings(db=db, profile="examinee", timezone="UTC", bank_dirs=(Path(banks),))
    services = AppServices.open(settings, clock=lambda: datetime.now(UTC))

    def factory():  # type: ignore[no-untyped-def]
        return services.mock.resume() or services.mock.start("killme", seed=5)

    async def run() -> None:
        app = QuizApp(services, mock=factory)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExamScreen)
            print(f"READY {screen.run.state.position}", flush=True)
            while isinstance(app.screen, ExamScreen):
                position = screen.run.state.position
                await pilot.press("abcd"[position % 4])  # saved as given
                if position % 3 == 0:
                    await pilot.press("m")
                print(f"SAVED {position}", flush=True)
                await pilot.press("right")

    asyncio.run(run())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
