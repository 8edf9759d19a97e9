"""Build the scorer pipeline, `models/scorer/`, deterministically from its inputs (`make model`).

    python -m trainer.scoring.build [--rules-only] [--out DIR]

Inputs: the rules (models/patterns/*.jsonl), the training data (models/data/*.train.jsonl, never the
*.heldout.jsonl files), the classifier config (models/config.cfg) and the scorer's own code that shapes
the model (features, components, combiner fit). Their hash is stored in the pipeline's meta
(`meta["trainer"]["inputs_hash"]`); a test fails when the committed pipeline is stale.

Steps:
1. Split the training lines into train and dev by a hash of the text (15% dev; stable as data is added).
2. Cross-fit the classifier: train it on 4/5 of the train split, predict the other fifth, five times,
   so that the combiner learns from classifier scores on replies the classifier never saw.
3. Fit one logistic regression per signal over rule hits + those classifier scores + context features.
4. Train the classifier on the whole train split and assemble the pipeline; report on the dev split.

Fixed seeds everywhere; the same inputs give the same pipeline.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Container, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import textnorm
from trainer.scoring.api import SIGNALS
from trainer.scoring.chatnorms import add_stretched_norms
from trainer.scoring.endmarks import end_marked
from trainer.scoring.evaluate import Labelled, read_labelled
from trainer.scoring.substance import Lexicon, known_words

if TYPE_CHECKING:
    from spacy.language import Language

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS = REPO_ROOT / "models"
PATTERNS_DIR = MODELS / "patterns"
DATA_DIR = MODELS / "data"
CONFIG = MODELS / "config.cfg"
OUT = MODELS / "scorer"
CODE = [
    Path(__file__).parent / name
    for name in ("features.py", "components.py", "logreg.py", "build.py", "acts.py", "actfeatures.py",
                 "actlayer.py", "phrases.py", "embeddings.py", "chatnorms.py", "limits.py", "offers.py",
                 "cautions.py", "gates.py", "answers.py", "combinerinput.py", "denials.py", "readings.py",
                 "endmarks.py", "echoes.py", "substance.py", "clauses.py", "bow.py", "tokenview.py")
] + [Path(__file__).parent.parent / "chatwords.py"]  # the chat forms, shared with the other layers
DEV_PERCENT = 15
FOLDS = 5
L2 = 1.0
ACT_L2 = 1.0
MODEL_NAME = "trainer_scorer"


def train_files(data_dir: Path | None = None) -> list[Path]:
    """The training inputs: every *.train.jsonl, sorted by name (of models/data, or of
    $TRAINER_BUILD_DATA: a frozen copy, for the ablation runs only)."""
    if data_dir is None:
        data_dir = Path(os.environ.get("TRAINER_BUILD_DATA", DATA_DIR))
    return sorted(data_dir.glob("*.train.jsonl"))


def input_files() -> list[Path]:
    """Every file whose content shapes the built pipeline."""
    return sorted(PATTERNS_DIR.glob("*.jsonl")) + train_files() + [CONFIG] + CODE


def inputs_hash(files: Sequence[Path] | None = None) -> str:
    """A sha256 over the inputs' repo-relative names and bytes (line endings normalised)."""
    h = hashlib.sha256()
    for path in files if files is not None else input_files():
        try:
            name = path.resolve().relative_to(REPO_ROOT).as_posix()
        except ValueError:
            name = path.name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:  # a frozen copy of the data elsewhere ($TRAINER_BUILD_DATA)
        return path.as_posix()


def _bucket(text: str, salt: str, n: int) -> int:
    return int(hashlib.sha1(f"{salt}:{text}".encode()).hexdigest(), 16) % n


def split(items: Sequence[Labelled]) -> tuple[list[Labelled], list[Labelled]]:
    """(train, dev): dev is the ~15% whose text hashes low; the same text always lands on the same side."""
    train: list[Labelled] = []
    dev: list[Labelled] = []
    for item in items:
        (dev if _bucket(item.text, "dev", 100) < DEV_PERCENT else train).append(item)
    return train, dev


VARIANT = os.environ.get("TRAINER_BUILD_VARIANT", "")
"""For the ablation in models/README.md only: "no_relation" fits the act model and the combiner without
the context-reply relation features (their weights stay 0)."""
RELATION = frozenset({
    "overlap", "overlap_ratio", "feeling_new", "echo_first", "all_echo", "ctx_question", "no_context",
    "you_statement*overlap", "you_statement*feeling_new", "info_question*overlap",
})


def _mask(x: Any, names: Sequence[str]) -> Any:
    if VARIANT == "no_relation":
        for j, name in enumerate(names):
            if name in RELATION:
                x[:, j] = 0.0
    return x


def base_pipeline() -> Language:
    """blank English (with the chat register's norms) + sentencizer + rules (with the patterns) + context;
    no classifier, no combiner."""

    from trainer.scoring.chatnorms import chat_blank
    from trainer.scoring.patterns import load_patterns

    nlp = chat_blank()
    nlp.add_pipe("trainer_sentencizer", name="sentencizer")  # sentences typed without marks too
    rules = nlp.add_pipe("trainer_rules")
    rules.add_patterns(load_patterns(PATTERNS_DIR))  # type: ignore[attr-defined]
    nlp.add_pipe("trainer_context")
    return nlp


def _docbin(nlp: Language, examples: Sequence[tuple[str, dict[str, float]]], path: Path) -> None:
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    for text, cats in examples:
        doc = nlp.make_doc(text)
        doc.cats = dict(cats)
        db.add(doc)
    db.to_disk(path)


_FAMILY_OF_LABEL = {
    "empathy": {"reflection_simple", "reflection_complex"},
    "sympathy": {"sympathy", "reassurance", "self_disclosure"},
    "purpose": {"structuring"},
    "boundaries": {"boundary"},
    "overstep": {"overstep"},
}


def classifier_examples(nlp: Language, items: Sequence[Labelled]) -> list[tuple[str, dict[str, float]]]:
    """The classifier's training examples: every reply with its five signals, and the acts where known.

    - a one-sentence reply labelled with its act: that act 1, the other acts 0;
    - a reply of several sentences whose acts are labelled (one per sentence, as the sentencizer splits
      it): each sentence is an extra example with its act, the signals left missing;
    - a one-sentence reply of the older data (signals only) with one signal: the acts that cannot carry
      that signal are 0, the others left missing (an empathy-only reply is some reflection, simple or
      complex: we do not guess which). Other replies leave the acts missing.
    """
    from trainer.scoring.actlayer import ACT_LABELS, sentences
    from trainer.scoring.api import ACTS

    out: list[tuple[str, dict[str, float]]] = []
    for item in items:
        cats = {s: 1.0 if s in item.labels else 0.0 for s in SIGNALS}
        sents = sentences(nlp(item.text))
        if item.acts and len(item.acts) == len(sents):
            if len(sents) == 1:
                first = item.acts[0]
                cats.update({lab: float(a == first) for lab, a in zip(ACT_LABELS, ACTS, strict=True)})
            else:
                for sent, act in zip(sents, item.acts, strict=True):
                    one_hot = {lab: 1.0 if a == act else 0.0 for lab, a in zip(ACT_LABELS, ACTS, strict=True)}
                    out.append((sent.text, one_hot))
        elif not item.acts and len(sents) == 1 and len(item.labels) == 1:
            allowed = _FAMILY_OF_LABEL[next(iter(item.labels))]
            cats.update({lab: 0.0 for lab, a in zip(ACT_LABELS, ACTS, strict=True) if a not in allowed})
            if len(allowed) == 1:
                cats[f"act:{next(iter(allowed))}"] = 1.0
        out.append((item.text, cats))
    return out


_LENGTH_REF = "components.textcat_multilabel.model.length_ref"
_REF_ENV = "TRAINER_BUILD_LENGTH_REF"


def train_classifier(
    items: Sequence[Labelled], dev: Sequence[Labelled], workdir: Path, words: Container[str] = frozenset()
) -> Language:
    """Train the textcat_multilabel of models/config.cfg on `items` (dev is only scored by spaCy's loop);
    `words`: the lexicon that stretched spellings are read against (`chatnorms.add_stretched_norms`)."""
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train

    from trainer.scoring.chatnorms import add_chat_norms, add_stretched_norms, chat_blank

    blank = chat_blank()  # the classifier learns the n-grams the saved pipeline will see
    add_stretched_norms(blank.vocab, words)
    blank.add_pipe("trainer_sentencizer", name="sentencizer")
    workdir.mkdir(parents=True, exist_ok=True)
    _docbin(blank, classifier_examples(blank, items), workdir / "train.spacy")
    _docbin(blank, classifier_examples(blank, dev or items[:1]), workdir / "dev.spacy")
    config = spacy.util.load_config(
        CONFIG,
        overrides={"paths.train": str(workdir / "train.spacy"), "paths.dev": str(workdir / "dev.spacy")}
        # the ablation runs only (models/README.md): the length scaling of the n-gram counts
        | ({_LENGTH_REF: int(os.environ[_REF_ENV])} if _REF_ENV in os.environ else {}),
    )
    nlp = init_nlp(config, use_gpu=-1)
    add_chat_norms(nlp.tokenizer)  # its make_doc classifies held-out sentences in the build
    add_stretched_norms(nlp.vocab, words)
    quiet = io.StringIO()
    nlp, _ = train(nlp, None, stdout=quiet, stderr=quiet)
    return nlp


def rule_precisions(docs: Sequence[Any], items: Sequence[Labelled]) -> dict[str, float]:
    """Per rule id: how often its hits carried a label of their signal in the training split (smoothed)."""
    from trainer.scoring.components import rule_precision

    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for doc, item in zip(docs, items, strict=True):
        for rule, signal in {(h.rule, h.signal) for h in doc._.rule_hits}:
            total[rule] = total.get(rule, 0) + 1
            right[rule] = right.get(rule, 0) + (signal in item.labels)
    return {rule: round(rule_precision(right[rule], total[rule]), 4) for rule in sorted(total)}


SHIFTS = tuple(round(0.1 * k, 1) for k in range(-10, 11))


def best_shift(z: Any, y: Any) -> float:
    """The intercept shift (in SHIFTS, logits) that gives the best F1 at the 0.5 threshold on the
    cross-fitted training rows; ties go to the smallest shift. A logistic regression fitted for likelihood
    is not fitted for F1 at 0.5, and a signal's presence is what the learner is told."""
    best, best_f1 = 0.0, -1.0
    for shift in sorted(SHIFTS, key=abs):
        predicted = (z + shift) >= 0.0
        tp = float((predicted & (y == 1)).sum())
        fp = float((predicted & (y == 0)).sum())
        fn = float((~predicted & (y == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = shift, f1
    return best


def fit_acts(
    items: Sequence[Labelled], rows: Sequence[list[list[float]]]
) -> dict[str, tuple[float, list[float]]]:
    """Fit the act model (one logistic regression per act) on the sentences whose act is labelled, from
    their cross-fitted rows (`actlayer.sentence_rows`)."""
    import numpy as np

    from trainer.scoring import logreg
    from trainer.scoring.api import ACTS

    x_rows: list[list[float]] = []
    gold: list[str] = []
    for item, item_rows in zip(items, rows, strict=True):
        if item.acts and len(item.acts) == len(item_rows):
            x_rows.extend(item_rows)
            gold.extend(item.acts)
    if not x_rows:
        return {}
    from trainer.scoring.actlayer import act_feature_names

    x = _mask(np.array(x_rows, dtype=np.float64), act_feature_names())
    weights = {}
    for act in ACTS:
        y = np.array([1.0 if g == act else 0.0 for g in gold])
        b, w = logreg.fit(x, y, l2=ACT_L2)
        weights[act] = (b, w.tolist())
    return weights


def _classify(clf: Language, items: Sequence[Labelled]) -> list[dict[str, float]]:
    docs = clf.pipe((item.text for item in items), batch_size=256)
    return [{s: float(d.cats.get(s, 0.0)) for s in SIGNALS} for d in docs]


def build(out: Path = OUT, rules_only: bool = False, log: Any = sys.stderr) -> dict[str, Any]:
    """Build the pipeline into `out` and return the meta written. See the module docstring."""
    import numpy as np
    import spacy

    import trainer.scoring.actlayer as actlayer
    import trainer.scoring.components as components
    from trainer.scoring import logreg

    started = time.perf_counter()
    spacy.util.fix_random_seed(1)
    files = train_files()
    items, problems = read_labelled(files)
    for p in problems:
        print(f"warning: skipped {p.format()}", file=log)
    # split on the text as written, then read each reply as the scorer hears it
    train_items, dev_items = ([dataclasses.replace(i, text=end_marked(i.text)) for i in part]
                              for part in split(items))
    print(f"{len(items)} labelled replies from {len(files)} files: {len(train_items)} train, "
          f"{len(dev_items)} dev", file=log)

    nlp = base_pipeline()
    # the words it has read, so that a frame with nothing known in it gives nothing back (`substance`)
    lexicon = Lexicon(known_words(t for item in items for t in (item.text, item.context)))
    nlp.get_pipe("trainer_rules").known = lexicon  # type: ignore[attr-defined]
    add_stretched_norms(nlp.vocab, lexicon.words)  # "soooo sorryyyy" read as "so sorry", as at load
    weights: dict[str, tuple[float, list[float]]] = {}
    act_weights: dict[str, tuple[float, list[float]]] = {}
    precision: dict[str, float] = {}
    final_clf = None
    with tempfile.TemporaryDirectory(prefix="trainer-build-") as tmp:
        if not rules_only:
            docs = list(nlp.pipe(_docs(nlp, train_items), batch_size=256))
            oof: list[dict[str, float]] = [dict.fromkeys(SIGNALS, 0.0) for _ in train_items]
            oof_sent: list[dict[str, float]] = [dict.fromkeys(SIGNALS, 0.0) for _ in train_items]
            oof_rows: list[list[list[float]]] = [[] for _ in train_items]
            folds = [_bucket(item.text, "fold", FOLDS) for item in train_items]
            from trainer.scoring.embeddings import SentenceEmbeddings

            embeddings = SentenceEmbeddings.shipped()
            for k in range(FOLDS):
                fit_on = [x for x, f in zip(train_items, folds, strict=True) if f != k]
                held = [i for i, f in enumerate(folds) if f == k]
                clf = train_classifier(fit_on, dev_items, Path(tmp) / f"fold{k}", lexicon.words)
                textcat = clf.get_pipe("textcat_multilabel")
                for i, cats in zip(held, _classify(clf, [train_items[i] for i in held]), strict=True):
                    oof[i] = cats
                    docs[i].cats = cats
                held_docs = [docs[i] for i in held]
                per_sentence = actlayer.sentence_cats(textcat, clf.make_doc, held_docs)
                for doc, cats_list in zip(held_docs, per_sentence, strict=True):
                    # as the act layer does in the pipeline: the combiner's view reuses these predictions
                    doc._.sent_cats = list(zip(actlayer.sentences(doc), cats_list, strict=True))
                sent_cats, _spans = components.sentence_view(textcat, clf.make_doc, held_docs)
                for i, sc, cats_list in zip(held, sent_cats, per_sentence, strict=True):
                    oof_sent[i] = sc
                    oof_rows[i] = actlayer.sentence_rows(docs[i], cats_list, embeddings)[1]
                print(f"  fold {k + 1}/{FOLDS} trained ({time.perf_counter() - started:.0f}s)", file=log)
            precision = rule_precisions(docs, train_items)
            act_weights = fit_acts(train_items, oof_rows)
            rows = []
            for cats, sent_cats_i, doc in zip(oof, oof_sent, docs, strict=True):
                rows.append(components.feature_vector(
                    cats, sent_cats_i, doc._.rule_hits, doc._.context_features, precision
                ))
            x = _mask(np.array(rows, dtype=np.float64), components.feature_names())
            for s in SIGNALS:
                y = np.array([1.0 if s in item.labels else 0.0 for item in train_items])
                b, w = logreg.fit(x, y, l2=L2)
                b += best_shift(x @ w + b, y)
                weights[s] = (b, w.tolist())
            final_clf = train_classifier(train_items, dev_items, Path(tmp) / "final", lexicon.words)
            print(f"  classifier trained ({time.perf_counter() - started:.0f}s)", file=log)

    if final_clf is not None:
        nlp.add_pipe("textcat_multilabel", source=final_clf, before="trainer_context")
    acts_pipe = nlp.add_pipe("trainer_acts")
    if act_weights:
        acts_pipe.set_weights(act_weights)  # type: ignore[attr-defined]
    combiner = nlp.add_pipe("trainer_combiner")
    if weights:
        combiner.set_weights(weights, precision)  # type: ignore[attr-defined]

    from trainer.scoring.actreport import act_report
    from trainer.scoring.evaluate import evaluate
    from trainer.scoring.scorer import Scorer

    scorer = Scorer(nlp)
    dev_assessed = scorer.assess_many([(x.text, x.context) for x in dev_items])
    dev_report = evaluate(dev_items, dev_assessed)
    dev_acts = act_report(dev_items, dev_assessed)
    print("dev split:\n" + dev_report.table() + "\n" + dev_acts.table(), file=log)

    nlp.meta.update(
        {
            "name": MODEL_NAME,
            "version": "1.0.0",
            "description": "Rates a social-work student's reply for empathy, sympathy, purpose, boundaries "
            "and overstep, with evidence (built by trainer.scoring.build)",
            "license": "MIT",
            "author": "trainer",
        }
    )
    meta = {
        "inputs_hash": inputs_hash(),
        "inputs": [_relative(p) for p in input_files()],
        "rules_only": rules_only,
        "n_train": len(train_items),
        "n_dev": len(dev_items),
        "skipped_lines": len(problems),
        "dev": dev_report.as_dict(),
        "dev_acts": dev_acts.as_dict(),
    }
    nlp.meta["trainer"] = meta
    out = Path(out)
    staging = out.with_name(out.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    nlp.to_disk(staging)
    _sort_sentencizer(staging / "sentencizer.json")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    print(f"wrote {out} in {time.perf_counter() - started:.0f}s", file=log)
    return meta


def _sort_sentencizer(path: Path) -> None:
    """spaCy writes the sentencizer's punctuation set in hash order; sort it so builds are byte-identical."""
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data.get("punct_chars"), list):
            data["punct_chars"] = sorted(data["punct_chars"])
            path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _docs(nlp: Language, items: Sequence[Labelled]) -> list[Any]:
    docs = []
    for item in items:
        doc = nlp.make_doc(item.text)
        doc._.context = textnorm.spoken(item.context) or None if item.context else None
        docs.append(doc)
    return docs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m trainer.scoring.build", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--rules-only", action="store_true", help="skip the classifier and the combiner fit")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where to write the pipeline (default models/scorer)"
    )
    args = parser.parse_args(argv)
    from trainer.scoring.patterns import PatternError

    try:
        meta = build(args.out, rules_only=args.rules_only)
    except PatternError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    json.dump({"inputs_hash": meta["inputs_hash"], "dev_macro": meta["dev"]["macro"]}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
