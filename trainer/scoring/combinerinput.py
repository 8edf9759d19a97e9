"""The combiner's input: one row of numbers per reply, from the classifier, the rules and the context.

`feature_vector` turns the classifier's probabilities (for the whole reply and for its best sentence,
`sentence_view`), the rule hits (each weighed by its rule's precision on the training split,
`rule_precision`) and the context features into the row the combiner's logistic regression reads;
`feature_names` names its columns. Used by the combiner (`trainer.scoring.components.CombinerComponent`)
and by the build, which fits the combiner on these rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from trainer.scoring.api import SIGNALS
from trainer.scoring.features import FEATURE_NAMES
from trainer.scoring.tokenview import token_view

INTERACTIONS: tuple[tuple[str, str], ...] = (
    ("you_statement", "overlap"),
    ("you_statement", "feeling_new"),
    ("info_question", "overlap"),
)
# Not "has_context" itself: in the labelled data nearly every empathic reply comes with its context and
# many plain ones without, so the combiner would learn "a context was given" as empathy; in the app a
# context is always given. What a context contributes is the overlap with it.
COMBINED_CONTEXT = tuple(n for n in FEATURE_NAMES if n != "has_context")


def feature_names() -> list[str]:
    """The names of the combiner's input features, in order."""
    return (
        [f"clf_{s}" for s in SIGNALS]
        + [f"clf_sent_{s}" for s in SIGNALS]
        + [f"rule_{s}" for s in SIGNALS]
        + list(COMBINED_CONTEXT)
        + [f"{a}*{b}" for a, b in INTERACTIONS]
    )


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)  # a bag-of-words model is overconfident about words it never saw
    return math.log(p / (1 - p)) / 4.0


RULE_PRIOR = (1.4, 2.0)
"""A rule's precision is estimated as (hits that were right + 1.4) / (hits + 2): a rule never seen in the
training data counts as 70% reliable."""


def rule_precision(right: int, total: int) -> float:
    """The smoothed precision of a rule that was right `right` times out of `total` hits."""
    return (right + RULE_PRIOR[0]) / (total + RULE_PRIOR[1])


def feature_vector(
    cats: dict[str, float],
    sent_cats: dict[str, float],
    hits: list[Any],
    ctx: dict[str, float],
    precision: dict[str, float] | None = None,
) -> list[float]:
    """The combiner's input for one reply: classifier logits for the whole reply and for its best sentence,
    per signal the best rule hit's precision (how often that rule was right in training; 0 without a
    hit), context features, interactions."""
    vec = [_logit(cats.get(s, 0.0)) for s in SIGNALS]
    vec.extend(_logit(sent_cats.get(s, 0.0)) for s in SIGNALS)
    best = dict.fromkeys(SIGNALS, 0.0)
    unseen = rule_precision(0, 0)
    for h in hits:
        p = precision.get(h.rule, unseen) if precision is not None else 1.0
        if p > best[h.signal]:
            best[h.signal] = p
    vec.extend(best[s] for s in SIGNALS)
    vec.extend(ctx.get(n, 0.0) for n in COMBINED_CONTEXT)
    vec.extend(ctx.get(a, 0.0) * ctx.get(b, 0.0) for a, b in INTERACTIONS)
    return vec


def _worded(text: str) -> bool:
    return any(c.isalnum() for c in text)


def sentence_view(
    textcat: Any, make_doc: Any, docs: list[Doc]
) -> tuple[list[dict[str, float]], list[dict[str, Span]]]:
    """Per doc: the classifier's best probability over the reply's sentences for each signal, and the
    sentence that got it. A one-sentence reply is its own best sentence (its `doc.cats`, no extra work).

    Signals usually live in one sentence; the whole-reply view dilutes a reflection followed by three
    sentences of purpose. Used by the combiner and, with cross-fitted classifiers, by the build.
    """
    best: list[dict[str, float]] = [dict(d.cats) for d in docs]
    spans: list[dict[str, Span]] = [dict.fromkeys(SIGNALS, d[:]) for d in docs]
    pending: list[tuple[int, Span]] = []
    texts: list[str] = []
    has_sent_cats = Doc.has_extension("sent_cats")
    for i, doc in enumerate(docs):
        known: list[tuple[Span, dict[str, float]]] | None = doc._.sent_cats if has_sent_cats else None
        view = token_view(doc)  # the sentences' texts without making their Tokens
        if known and len(known) > 1:  # the act layer classified the sentences already
            best[i], spans[i] = {}, {}
            for sent, cats in known:
                if not _worded(view.span_text(sent.start, sent.end)):  # "🙏" or "..." alone is never
                    continue  # the evidence of a signal
                for lab, p in cats.items():
                    if lab not in best[i] or p > best[i][lab]:
                        best[i][lab], spans[i][lab] = p, sent
            continue
        if view.has_sents:
            worded = [(a, b, text) for a, b in view.bounds if _worded(text := view.span_text(a, b))]
            if len(worded) > 1:
                pending.extend((i, doc[a:b]) for a, b, _t in worded)
                texts.extend(text for _a, _b, text in worded)
    if not pending or textcat is None:
        return best, spans
    probs = np.asarray(textcat.predict([make_doc(text) for text in texts]))
    labels = list(textcat.labels)
    seen: set[int] = set()
    for (i, sent), row in zip(pending, probs, strict=True):
        if i not in seen:  # the first sentence resets the whole-reply values
            seen.add(i)
            best[i] = {lab: -1.0 for lab in labels}
        for j, lab in enumerate(labels):
            if float(row[j]) > best[i][lab]:
                best[i][lab] = float(row[j])
                spans[i][lab] = sent
    return best, spans
