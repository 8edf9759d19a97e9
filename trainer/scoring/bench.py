"""Benchmarks of the scorer for `make bench` (`trainer.bench` calls `run()`).

Measured in a fresh interpreter pinned to one CPU core (BLAS threads 1), so that the figures are the
scorer's own and not the benchmark runner's:

- held-out quality: macro F1 and per-signal F1 on models/data/*.heldout.jsonl (targets: macro >= 0.90,
  none below 0.85). The held-out files are only ever read here and by `trainer eval`, never by the build;
- pipeline load time with spaCy already imported (target <= 0.5 s), and from a cold interpreter;
- single-reply latency after load, p50 and p95 over the held-out replies (target p95 <= 2 ms);
- batch throughput through `assess_many`, best of three runs (target >= 3,000 replies/s on one core);
- a 100,000-character reply (truncated; target <= 100 ms);
- peak memory (max RSS) of that interpreter.

Each figure is a `(name, value, unit and target)` row, as `trainer.bench` prints them.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

from trainer.scoring.build import DATA_DIR, REPO_ROOT

MACRO_F1_TARGET = 0.90
SIGNAL_F1_TARGET = 0.85
P95_MS_TARGET = 2.0
THROUGHPUT_TARGET = 3000.0
LOAD_S_TARGET = 0.5
LONG_MS_TARGET = 100.0
BATCH_MIN = 3000
"""Replies per throughput run (the held-out replies, repeated)."""


def _probe() -> dict[str, object]:
    """Runs inside the pinned interpreter; returns the raw figures."""
    import resource
    import statistics
    import time

    started = time.perf_counter()
    import spacy  # noqa: F401

    import trainer.scoring.components  # noqa: F401
    from trainer.scoring.evaluate import evaluate, read_labelled
    from trainer.scoring.scorer import Scorer

    imported = time.perf_counter()
    scorer = Scorer.load(cache=False)
    loaded = time.perf_counter()

    items, problems = read_labelled(sorted(DATA_DIR.glob("*.heldout.jsonl")))
    pairs = [(x.text, x.context) for x in items]
    report = evaluate(items, scorer.assess_many(pairs))

    for text, context in pairs[:50]:  # warm up caches
        scorer.assess(text, context)
    latencies = []
    for text, context in pairs:
        t0 = time.perf_counter()
        scorer.assess(text, context)
        latencies.append(time.perf_counter() - t0)
    latencies.sort()

    batch = (pairs * (BATCH_MIN // max(1, len(pairs)) + 1))[:BATCH_MIN] if pairs else []
    # Best of three, as timeit does: a shared 2-core VM adds noise of +-30% to any single run, and the
    # fastest run is the one least disturbed by other work.
    batch_s = float("inf")
    for _ in range(3):
        gc.collect()
        t0 = time.perf_counter()
        scorer.assess_many(batch, batch_size=256)
        batch_s = min(batch_s, time.perf_counter() - t0)

    long_text = ("It sounds like you're worried about what happens next. " * 2000)[:100_000]
    scorer.assess(long_text)
    t0 = time.perf_counter()
    scorer.assess(long_text, "I'm worried. " * 500)
    long_s = time.perf_counter() - t0

    return {
        "n_heldout": len(items),
        "bad_lines": len(problems),
        "macro_f1": report.macro("f1"),
        "macro_kappa": report.macro("kappa"),
        "f1": {s: r.f1 for s, r in report.signals.items()},
        "import_s": imported - started,
        "load_s": loaded - imported,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0,
        "throughput": len(batch) / batch_s if batch_s else 0.0,
        "long_ms": long_s * 1000,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def run() -> list[tuple[str, str, str]]:
    """The scorer's figures, measured in a fresh interpreter pinned to one core."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = (
        "import json, os\n"
        "if hasattr(os, 'sched_setaffinity'): os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
        "from trainer.scoring.bench import _probe\n"
        "print(json.dumps(_probe()))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the scoring benchmark failed: {last}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    rows: list[tuple[str, str, str]] = []
    if not r["n_heldout"]:
        rows.append(("scorer held-out", "no data", "models/data/*.heldout.jsonl is empty or missing"))
    else:
        macro = float(r["macro_f1"])
        rows.append(("scorer held-out macro F1", f"{macro:.3f}",
                     f"target >= {MACRO_F1_TARGET:.2f}: {_verdict(macro >= MACRO_F1_TARGET)} "
                     f"({r['n_heldout']} replies; macro kappa {float(r['macro_kappa']):.3f})"))
        for signal, f1 in r["f1"].items():
            rows.append((f"scorer held-out F1 {signal}", f"{f1:.3f}",
                         f"target >= {SIGNAL_F1_TARGET:.2f}: {_verdict(f1 >= SIGNAL_F1_TARGET)}"))
    rows += [
        ("scorer load (spaCy imported)", f"{float(r['load_s']):.2f}",
         f"s, target <= {LOAD_S_TARGET}: {_verdict(float(r['load_s']) <= LOAD_S_TARGET)}"),
        ("scorer cold start (import + load)", f"{float(r['import_s']) + float(r['load_s']):.2f}", "s"),
        ("scorer latency p50", f"{float(r['p50_ms']):.2f}", "ms per reply"),
        ("scorer latency p95", f"{float(r['p95_ms']):.2f}",
         f"ms, target <= {P95_MS_TARGET}: {_verdict(float(r['p95_ms']) <= P95_MS_TARGET)}"),
        ("scorer batch throughput (1 core)", f"{float(r['throughput']):,.0f}",
         f"replies/s, target >= {THROUGHPUT_TARGET:,.0f}: "
         f"{_verdict(float(r['throughput']) >= THROUGHPUT_TARGET)}"),
        ("scorer 100,000-char reply", f"{float(r['long_ms']):.0f}",
         f"ms, target <= {LONG_MS_TARGET:.0f}: {_verdict(float(r['long_ms']) <= LONG_MS_TARGET)}"),
        ("scorer peak memory (max RSS)", f"{float(r['max_rss_mb']):.0f}", "MB"),
    ]
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<36}{value:>10}  {note}")
