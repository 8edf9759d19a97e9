"""Benchmarks of the app for `make bench` (headless, Textual's `run_test`, 80x24).

- start to first screen: a fresh interpreter, from before `import trainer.tui.app` to the home screen
  painted (target: well under a second), and whether spaCy had been imported by then (it must not be);
- start to scenarios listed (the home worker has read the bundled scenarios);
- start to scorer ready (spaCy and the model, loaded in the background while home is usable);
- Enter to coach note: from pressing Enter on a reply to its coach note on screen, real scorer, after
  the scorer has loaded (median and p95 of replies sent one after another in the same app);
- CPU per keystroke in the reply box, fresh and after 3,000 keystrokes in the same app (the later
  within 1.2x of the first: typing must not get slower the longer the app is open). CPU time of the
  whole process (time.process_time), per key, with the pilot waiting for the app to settle after each.

Each figure is a `(name, value, unit or note)` row, as `trainer.bench` prints them.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trainer.scoring.api import Assessment

FIRST_SCREEN_TARGET = 0.5
"""Seconds: "well under a second"."""
STARTUP_RUNS = 3
COACH_NOTE_TARGET = 0.2
"""Seconds from Enter to the coach note (p95): feels immediate."""
COACH_NOTE_SAMPLES = 20
KEYSTROKES = 3000
"""Keystrokes typed before the "later" figure."""
KEYSTROKE_SAMPLE = 190
"""Keystrokes timed for each figure (five type-then-erase cycles of the sentence below)."""
KEYSTROKE_GROWTH_TARGET = 1.2
TYPED = "It sounds like it has been hard. "

_STARTUP_PROBE = r"""
import sys, time, json
t0 = time.perf_counter()
import asyncio
from trainer.tui.app import TrainerApp
from trainer.tui.home import HomeScreen

marks = {}
_mount = HomeScreen.on_mount

def on_mount(self):
    _mount(self)

    def painted():
        marks.setdefault("first_screen", time.perf_counter() - t0)
        marks.setdefault("spacy_before_first_screen", "spacy" in sys.modules)

    self.call_after_refresh(painted)

HomeScreen.on_mount = on_mount

async def main():
    app = TrainerApp(cursor_blink=False, persist_settings=False)
    async with app.run_test(size=(80, 24)):
        while not app.screen.data.scenarios:
            await asyncio.sleep(0.005)
        marks["scenarios_listed"] = time.perf_counter() - t0
        marks["scenario_count"] = len(app.screen.data.scenarios)
        while not (app.scorer.ready or app.scorer.error):
            await asyncio.sleep(0.01)
        marks["scorer_ready"] = time.perf_counter() - t0
        marks["scorer_error"] = app.scorer.error
    print(json.dumps(marks))

asyncio.run(main())
"""

REPLIES = [
    "Hello, I'm Sam from the Family Support Team. The school nurse asked me to come and see you about Kai.",
    "I'm here because the school is worried about Kai, and I'd like to hear how things are for you.",
    "Hi Marcia, sorry to turn up unannounced. I'm a family support worker; the school asked us to visit.",
    "Hello. Is now an OK time? I've come from the council's family support team.",
    "It sounds like you weren't expecting anyone today.",
]


def _startup(data_dir: str) -> dict[str, object]:
    env = {**os.environ, "TRAINER_DATA_DIR": data_dir}
    result = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE], capture_output=True, text=True, env=env, timeout=300
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise RuntimeError(lines[-1] if lines else "the start-up probe failed")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


async def _open_doorstep(app: Any, pilot: Any) -> Any:
    from trainer.tui.conversation import ConversationScreen
    from trainer.tui.home import HomeScreen

    await app.workers.wait_for_complete()
    await pilot.pause()
    if not isinstance(app.screen, HomeScreen):
        raise RuntimeError("the app did not open on the home screen")
    await pilot.press(*"doorstep")
    await pilot.press("enter", "enter")
    await pilot.pause()
    screen = app.screen
    if not isinstance(screen, ConversationScreen):
        raise RuntimeError("the doorstep example did not open")
    return screen


async def _coach_note_latency(replies: list[str], samples: int) -> list[float]:
    """Enter-to-note times of `samples` replies, sent one after another in the same app (a new app when
    a conversation ends or reaches a moment without a reply box)."""
    from trainer.practice.play import _load_real_scorer
    from trainer.tui.app import TrainerApp
    from trainer.tui.conversation import ReplyBox

    scorer = _load_real_scorer()
    timings: list[float] = []
    base = os.environ.get("TRAINER_DATA_DIR", "")
    while len(timings) < samples:
        # Each app a data folder of its own: a conversation the last one ended waits for its self-rating,
        # and the app would open on that question instead of the home screen.
        if base:
            os.environ["TRAINER_DATA_DIR"] = str(Path(base) / f"app{len(timings)}")
        app = TrainerApp(scorer_factory=lambda: scorer, cursor_blink=False, persist_settings=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open_doorstep(app, pilot)
            box = screen.query_one(ReplyBox)
            while len(timings) < samples and screen.ending is None and box.display:
                box.insert(replies[len(timings) % len(replies)])
                await pilot.pause()
                notes_before = len(screen.query(".coach-note"))
                start = time.perf_counter()
                # Not awaited yet: the pilot's press also waits for the app to go idle, which a student
                # never sees; the clock stops when the note has been painted.
                press = asyncio.create_task(pilot.press("enter"))
                while len(screen.query(".coach-note")) == notes_before:
                    if time.perf_counter() - start > 30:
                        raise RuntimeError("no coach note after 30 s")
                    await asyncio.sleep(0.001)
                painted = asyncio.Event()
                screen.call_after_refresh(painted.set)
                await painted.wait()
                timings.append(time.perf_counter() - start)
                await press
                await app.workers.wait_for_complete()
                await pilot.pause()
    if base:
        os.environ["TRAINER_DATA_DIR"] = base
    return timings


class _UnusedScorer:
    """Typing never scores; a stand-in keeps spaCy's background load out of the keystroke figures."""

    def assess(self, text: str, context: str | None = None, cues: Any = None) -> Assessment:
        raise RuntimeError("not used while typing")

    def compile_cues(self, cues: Mapping[str, Any]) -> Any:
        return None


async def _keystroke_cpu() -> tuple[float, float]:
    """CPU seconds per keystroke in the reply box: the first KEYSTROKE_SAMPLE keys, and the
    KEYSTROKE_SAMPLE after KEYSTROKES more, in the same app. The sentence is typed, then erased with
    backspace, so the box empties and fills (the footer's keys change) as when replies are sent."""
    from trainer.tui.app import TrainerApp

    cycle = [c if c != " " else "space" for c in TYPED] + ["backspace"] * len(TYPED)
    app = TrainerApp(scorer_factory=_UnusedScorer, cursor_blink=False, persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_doorstep(app, pilot)

        async def timed(count: int) -> float:
            keys = (cycle * (count // len(cycle) + 1))[:count]
            start = time.process_time()
            for key in keys:
                await pilot.press(key)
            return (time.process_time() - start) / count

        fresh = await timed(KEYSTROKE_SAMPLE)
        typed = KEYSTROKE_SAMPLE
        while typed < KEYSTROKES:
            await pilot.press(*cycle)
            typed += len(cycle)
        later = await timed(KEYSTROKE_SAMPLE)
    return fresh, later


def run() -> list[tuple[str, str, str]]:
    """The app's figures (see the module docstring)."""
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as data_dir:
        probes = [_startup(data_dir) for _ in range(STARTUP_RUNS)]

        def figure(name: str) -> list[float]:
            return sorted(float(str(p[name])) for p in probes)

        first = figure("first_screen")
        verdict = "met" if statistics.median(first) < FIRST_SCREEN_TARGET else "MISSED"
        rows.append(("tui: start to first screen (home)", f"{statistics.median(first) * 1000:.0f}",
                     f"ms median of {len(first)} fresh interpreters, worst {first[-1] * 1000:.0f} ms; "
                     f"target < {FIRST_SCREEN_TARGET * 1000:.0f} ms: {verdict}"))
        spacy_early = any(p["spacy_before_first_screen"] for p in probes)
        early = "yes" if spacy_early else "no"
        rows.append(("tui:   spaCy imported before first screen", early, "must be: no"))
        listed = figure("scenarios_listed")
        rows.append(("tui: start to scenarios listed", f"{statistics.median(listed) * 1000:.0f}",
                     f"ms ({probes[0]['scenario_count']} bundled scenarios, read in a worker)"))
        if any(p.get("scorer_error") for p in probes):
            error = next(str(p["scorer_error"]) for p in probes if p.get("scorer_error"))
            rows.append(("tui: start to scorer ready", "failed", error[:100]))
            return rows
        ready = statistics.median(figure("scorer_ready"))
        rows.append(("tui: start to scorer ready (background)", f"{ready:.2f}", "s; home usable meanwhile"))
        # The latency runs save sessions: keep them out of the user's own data folder.
        previous = os.environ.get("TRAINER_DATA_DIR")
        os.environ["TRAINER_DATA_DIR"] = str(Path(data_dir) / "latency")
        try:
            timings = sorted(asyncio.run(_coach_note_latency(REPLIES, COACH_NOTE_SAMPLES)))
            os.environ["TRAINER_DATA_DIR"] = str(Path(data_dir) / "keystrokes")
            fresh, later = asyncio.run(_keystroke_cpu())
        finally:
            if previous is None:
                os.environ.pop("TRAINER_DATA_DIR", None)
            else:
                os.environ["TRAINER_DATA_DIR"] = previous
    median = statistics.median(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    verdict = "met" if p95 < COACH_NOTE_TARGET else "MISSED"
    rows.append(("tui: Enter to coach note (real scorer, loaded)", f"{median * 1000:.0f}",
                 f"ms median of {len(timings)} replies in a row, p95 {p95 * 1000:.0f} ms, worst "
                 f"{timings[-1] * 1000:.0f} ms; target p95 < {COACH_NOTE_TARGET * 1000:.0f} ms: {verdict}"))
    rows.append(("tui: CPU per keystroke, fresh app", f"{fresh * 1000:.1f}",
                 f"ms (reply box, {KEYSTROKE_SAMPLE} keys)"))
    growth = later / fresh if fresh else float("inf")
    verdict = "met" if growth <= KEYSTROKE_GROWTH_TARGET else "MISSED"
    rows.append((f"tui: CPU per keystroke after {KEYSTROKES:,} keystrokes", f"{later * 1000:.1f}",
                 f"ms, {growth:.2f}x fresh; target <= {KEYSTROKE_GROWTH_TARGET}x: {verdict}"))
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
