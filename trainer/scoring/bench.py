"""Benchmarks of the scorer for `make bench` (`trainer.bench` calls `run()`).

Measured in a fresh interpreter pinned to one CPU core (BLAS threads 1), so that the figures are the
scorer's own and not the benchmark runner's:

- held-out quality: macro F1 and per-signal F1 on models/data/*.heldout.jsonl (targets: macro >= 0.92,
  none below 0.88), and the main act's accuracy and macro F1. The held-out files are only ever read here
  and by `trainer eval`, never by the build;
- the real dev set (../shared/data/real-dev/annomi-dev.jsonl, or $TRAINER_REAL_DEV; measurement only, skipped
  with a note when absent): empathy-as-reflection F1 (target >= 0.80) and the share of questions, advice
  and information called empathy (target <= 10% each);
- pipeline load time with spaCy already imported (target <= 0.5 s), and from a cold interpreter;
- single-reply latency after load, p50 and p95 over the held-out replies (target p95 <= 3 ms);
- batch throughput through `assess_many`, best of three runs (target >= 2,000 replies/s on one core), and
  the same replies through spaCy's bare English tokenizer in the same run (the ratio says what the
  pipeline costs beyond tokenising);
- a 100,000-character reply (truncated; target <= 100 ms);
- peak memory (max RSS) of that interpreter (target <= 300 MB).

Each figure is a `(name, value, unit and target)` row, as `trainer.bench` prints them.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from trainer.scoring.build import DATA_DIR, REPO_ROOT

MACRO_F1_TARGET = 0.92
SIGNAL_F1_TARGET = 0.88
P95_MS_TARGET = 3.0
THROUGHPUT_TARGET = 2000.0
REAL_EMPATHY_F1_TARGET = 0.80
CALLED_EMPATHY_TARGET = 0.10
MEMORY_MB_TARGET = 300.0
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

    from trainer.scoring.actreport import act_report

    items, problems = read_labelled(sorted(DATA_DIR.glob("*.heldout.jsonl")))
    pairs = [(x.text, x.context) for x in items]
    assessed = scorer.assess_many(pairs)
    report = evaluate(items, assessed)
    acts = act_report(items, assessed)
    real: dict[str, object] = {}
    dev_path = real_dev_path()
    if dev_path is not None:
        dev_items, _bad = read_labelled([dev_path])
        dev = act_report(dev_items, scorer.assess_many([(x.text, x.context) for x in dev_items]))
        real = {"n": len(dev_items), "empathy": dev.empathy.as_dict(), "family_accuracy": dev.family_accuracy,
                "called": {f: dev.share_called_empathy(f) for f in ("question", "advice", "information")},
                "mixed": {f: dev.share_called_mixed(f) for f in ("question", "advice", "information")}}

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

    import spacy as _spacy

    tokenizer: Any = _spacy.blank("en").tokenizer
    texts = [t for t, _c in batch]
    tok_s = float("inf")
    for _ in range(3):
        gc.collect()
        t0 = time.perf_counter()
        for _doc in tokenizer.pipe(texts, batch_size=256):
            pass
        tok_s = min(tok_s, time.perf_counter() - t0)

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
        "act_accuracy": acts.accuracy,
        "act_macro_f1": acts.macro_f1(),
        "n_acts": acts.n_acts,
        "real": real,
        "tokenizer_throughput": len(batch) / tok_s if tok_s else 0.0,
        "import_s": imported - started,
        "load_s": loaded - imported,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0,
        "throughput": len(batch) / batch_s if batch_s else 0.0,
        "long_ms": long_s * 1000,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def real_dev_path() -> Path | None:
    """The real dev set: $TRAINER_REAL_DEV (a folder or the file), else ../shared/data/real-dev next to the
    repository; None when it is not there."""
    env = os.environ.get("TRAINER_REAL_DEV")
    where = Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "real-dev"
    path = where / "annomi-dev.jsonl" if where.is_dir() else where
    return path if path.is_file() else None


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
        macro = float(r["macro_f1"] or 0.0)
        rows.append(("scorer held-out macro F1", f"{macro:.3f}",
                     f"target >= {MACRO_F1_TARGET:.2f}: {_verdict(macro >= MACRO_F1_TARGET)} "
                     f"({r['n_heldout']} replies; macro kappa {float(r['macro_kappa'] or 0.0):.3f})"))
        for signal, f1 in r["f1"].items():
            if f1 is None:  # no held-out line labelled with it: nothing to measure
                rows.append((f"scorer held-out F1 {signal}", "-", "no held-out line is labelled with it"))
                continue
            rows.append((f"scorer held-out F1 {signal}", f"{f1:.3f}",
                         f"target >= {SIGNAL_F1_TARGET:.2f}: {_verdict(f1 >= SIGNAL_F1_TARGET)}"))
        if r["n_acts"]:
            rows.append(("scorer held-out main act accuracy", f"{float(r['act_accuracy']):.3f}",
                         f"macro F1 over acts {float(r['act_macro_f1']):.3f} "
                         f"({r['n_acts']} replies with acts)"))
    real = r["real"]
    if not real:
        rows.append(("scorer real dev", "absent",
                     "../shared/data/real-dev not found (or set $TRAINER_REAL_DEV)"))
    else:
        e = real["empathy"]
        rows.append(("scorer real dev empathy F1", f"{float(e['f1']):.3f}",
                     f"target >= {REAL_EMPATHY_F1_TARGET:.2f}: "
                     f"{_verdict(float(e['f1']) >= REAL_EMPATHY_F1_TARGET)}"
                     f" (empathy as reflection: P {float(e['precision']):.3f}, R {float(e['recall']):.3f}; "
                     f"{real['n']} real replies)"))
        for fam, share in real["called"].items():
            rows.append((f"scorer real dev {fam} called empathy", f"{float(share):.1%}",
                         f"target <= {CALLED_EMPATHY_TARGET:.0%}: "
                         f"{_verdict(float(share) <= CALLED_EMPATHY_TARGET)}"
                         f" ({float(real['mixed'][fam]):.1%} hold a sentence scored a reflection too)"))
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
        ("spaCy bare tokenizer, same replies", f"{float(r['tokenizer_throughput']):,.0f}",
         f"replies/s; the scorer runs at "
         f"{float(r['throughput']) / max(1.0, float(r['tokenizer_throughput'])):.1%} of its speed"),
        ("scorer 100,000-char reply", f"{float(r['long_ms']):.0f}",
         f"ms, target <= {LONG_MS_TARGET:.0f}: {_verdict(float(r['long_ms']) <= LONG_MS_TARGET)}"),
        ("scorer peak memory (max RSS)", f"{float(r['max_rss_mb']):.0f}",
         f"MB, target <= {MEMORY_MB_TARGET:.0f}: {_verdict(float(r['max_rss_mb']) <= MEMORY_MB_TARGET)}"),
    ]
    return rows


if __name__ == "__main__":
    for name, value, note in run():
        print(f"{name:<36}{value:>10}  {note}")
