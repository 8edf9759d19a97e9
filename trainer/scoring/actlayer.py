"""The act layer: a dialogue act (api.ACTS) for every sentence of a reply, as a spaCy component.

`trainer_acts` runs after `trainer_context` and before `trainer_combiner`. Per sentence it reads
- the classifier's probabilities for that sentence (the `textcat_multilabel` also learns the acts, as
  labels "act:<name>"; a one-sentence reply is its own sentence, so it reuses `doc.cats`);
- the rule hits inside the sentence (one 0/1 per signal);
- the sentence's relation to the service user's line (`doc._.context`) and its form (`acts.SENT_FEATURES`);
and a one-vs-rest logistic regression per act (weights fitted by the build, saved in `acts.json`) gives
each act a probability; the probabilities are normalised and the best act wins.

Writes `doc._.acts` (a list of api.Act, one per non-empty sentence, in order), `doc._.act_probs` (per
sentence, {act: probability}) and `doc._.sent_cats` (per sentence, the classifier's probabilities, which
the combiner reuses for its best-sentence view).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from trainer.scoring import logreg
from trainer.scoring.actfeatures import SENT_FEATURES, not_advice, sentence_features
from trainer.scoring.acts import family_best
from trainer.scoring.api import ACTS, SIGNALS, Act
from trainer.scoring.components import BatchedComponent
from trainer.scoring.embeddings import DIM, SentenceEmbeddings
from trainer.scoring.features import their_words
from trainer.scoring.tokenview import token_view

for _name in ("acts", "act_probs", "sent_cats"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

ACT_LABELS: tuple[str, ...] = tuple(f"act:{a}" for a in ACTS)
"""The classifier's labels for the acts (beside the five signals)."""
CONTEXT_CHARS = 5000
EMB_SCALE = 2.0
"""The unit-length sentence vectors times this, so that the act model's one L2 penalty suits them and the
0-1 features (1, 2 and 4 were compared on the build's own held-out; 2 was best by a hair)."""
EMBEDDING_FEATURES: tuple[str, ...] = (*(f"emb_{i}" for i in range(DIM)), "ctx_similarity")
"""The act model's embedding features: the sentence's 256-d vector (times EMB_SCALE) and its cosine with
the service user's line. The ablation in models/README.md also tried the two vectors multiplied (no
better) and no vectors."""


def embedding_feature_names() -> list[str]:
    """The act model's embedding features (EMBEDDING_FEATURES)."""
    return list(EMBEDDING_FEATURES)


def act_feature_names() -> list[str]:
    """The act model's input features, in order."""
    return (
        [f"clf_{a}" for a in ACTS]
        + [f"clf_{s}" for s in SIGNALS]
        + [f"rule_{s}" for s in SIGNALS]
        + list(SENT_FEATURES)
        + embedding_feature_names()
    )


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1 - p)) / 4.0


def span_text(doc_text: str, span: Span) -> str:
    """`span.text` without building a Token per token (`doc_text` is `doc.text`, read once)."""
    return doc_text[span.start_char : span.end_char]


def sentences(doc: Doc) -> list[Span]:
    """The reply's non-empty sentences (the whole reply when it has no sentence marks)."""
    view = token_view(doc)
    if view.has_sents:
        sents = [doc[a:b] for a, b in view.bounds if view.span_text(a, b).strip()]
        if sents:
            return sents
    return [doc[:]] if len(doc) else []


def sentence_cats(
    textcat: Any, make_doc: Any, docs: Sequence[Doc], all_sents: Sequence[list[Span]] | None = None
) -> list[list[dict[str, float]]]:
    """Per doc, per sentence (as `sentences`, or `all_sents` when the caller has them), the classifier's
    probabilities. One-sentence replies reuse `doc.cats`; the other sentences are classified in one batch."""
    out: list[list[dict[str, float]]] = []
    pending: list[tuple[int, int, Span]] = []
    for i, doc in enumerate(docs):
        sents = sentences(doc) if all_sents is None else all_sents[i]
        if len(sents) <= 1 or textcat is None:
            out.append([dict(doc.cats) for _ in sents])
        else:
            out.append([{} for _ in sents])
            pending.extend((i, j, s) for j, s in enumerate(sents))
    if pending and textcat is not None:
        texts = [token_view(docs[i]).span_text(s.start, s.end) for i, _j, s in pending]
        probs = np.asarray(textcat.predict([make_doc(text) for text in texts]))
        labels = list(textcat.labels)
        for (i, j, _s), row in zip(pending, probs.tolist(), strict=True):
            out[i][j] = dict(zip(labels, row, strict=True))
    return out


def _context_view(context: Any) -> tuple[dict[str, str], frozenset[str], bool, frozenset[str]]:
    """What the act features read of the service user's line: its content words by stem, the stems of its
    feeling words, whether it asks something, and all its words (lower case)."""
    if not isinstance(context, str) or not context.strip():
        return {}, frozenset(), False, frozenset()
    context = context[-CONTEXT_CHARS:]
    stems, feelings, words = their_words(context)
    return stems, feelings, context.rstrip().endswith("?"), words


def embedding_block(
    embeddings: SentenceEmbeddings | None, texts: Sequence[str], contexts: Sequence[Any]
) -> np.ndarray:
    """The embedding features (`embedding_feature_names`) of sentences `texts`, each said after the
    service user's line `contexts[i]` (None or "" when there is none): an array (len(texts), k), k = 0
    without `embeddings`. Each distinct context is embedded once."""
    if embeddings is None or not texts:
        return np.zeros((len(texts), 0 if embeddings is None else len(EMBEDDING_FEATURES)))
    ctx_text = [c[-CONTEXT_CHARS:] if isinstance(c, str) else "" for c in contexts]
    distinct = list(dict.fromkeys(ctx_text))
    vectors = embeddings.embed(list(texts) + distinct).astype(np.float64)
    sent, ctx_vectors = vectors[: len(texts)], vectors[len(texts) :]
    where = {c: i for i, c in enumerate(distinct)}
    ctx = ctx_vectors[[where[c] for c in ctx_text]]
    return np.hstack([sent * EMB_SCALE, (sent * ctx).sum(axis=1, keepdims=True)])


def sentence_words(doc: Doc, sents: Sequence[Span]) -> list[list[str]]:
    """Each sentence's words: lower-case norms, no punctuation or spaces."""
    if not sents:
        return []
    view = token_view(doc)  # the token attributes, read once: a Token object per token costs more
    return [view.words(s.start, s.end) for s in sents]


def sentence_rows(
    doc: Doc,
    cats: Sequence[dict[str, float]],
    embeddings: SentenceEmbeddings | None = None,
    sents: list[Span] | None = None,
    doc_text: str | None = None,
    words: Sequence[list[str]] | None = None,
) -> tuple[list[Span], list[list[float]]]:
    """The act model's input rows for the doc's sentences (see act_feature_names); without `embeddings`
    the embedding features are left out (the rows are then shorter than the model's). `sents`, `doc_text`
    and `words` are `sentences(doc)`, `doc.text` and `sentence_words(doc, sents)`, when the caller has them
    already."""
    doc_text = token_view(doc).text if doc_text is None else doc_text
    sents = sentences(doc) if sents is None else sents
    words = sentence_words(doc, sents) if words is None else words
    texts = [span_text(doc_text, s) for s in sents]
    context = doc._.context
    emb_rows = embedding_block(embeddings, texts, [context] * len(sents)).tolist()
    ctx_stems, ctx_feelings, ctx_question, ctx_words = _context_view(context)
    hits = doc._.rule_hits or []
    rows: list[list[float]] = []
    for j, (sent, c) in enumerate(zip(sents, cats, strict=True)):
        row = [_logit(c.get(label, 0.0)) for label in ACT_LABELS]
        row.extend(_logit(c.get(s, 0.0)) for s in SIGNALS)
        lo, hi = sent.start_char, sent.end_char
        mine = {h.signal for h in hits if lo <= h.start < hi}
        row.extend(1.0 if s in mine else 0.0 for s in SIGNALS)
        where = (j, len(sents))
        row.extend(
            sentence_features(words[j], texts[j], ctx_stems, ctx_feelings, ctx_question, where, ctx_words)
        )
        row.extend(emb_rows[j])
        rows.append(row)
    return sents, rows


_ADVICE = ACTS.index("advice")
"""A sentence whose form rules advice out (`actfeatures.not_advice`: their own mind reported, a modal that
looks back) has this act's probability set to 0 before the acts are normalised, whatever the classifier's
n-grams of "should" and "could" say."""


class ActsComponent(BatchedComponent):
    """Gives every sentence an act (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, classifier: str) -> None:
        self.nlp = nlp
        self.name = name
        self.classifier = classifier
        self.model = logreg.LabelWeights(ACTS, act_feature_names(), "act")
        self.embeddings = SentenceEmbeddings.shipped()

    def set_weights(self, weights: dict[str, tuple[float, list[float]]]) -> None:
        """Install fitted weights: per act, (intercept, weights over `act_feature_names()`)."""
        self.model.set(weights)

    def probabilities(self, rows: list[list[float]] | np.ndarray) -> np.ndarray:
        """Normalised act probabilities (rows x ACTS); uniform before the build fits weights."""
        if not len(rows):
            return np.zeros((0, len(ACTS)))
        raw = self.model.probabilities(rows)
        if raw is None:
            return np.full((len(rows), len(ACTS)), 1.0 / len(ACTS))
        return np.asarray(raw / np.maximum(raw.sum(axis=1, keepdims=True), 1e-12), dtype=np.float64)

    def _process(self, docs: list[Doc]) -> None:
        textcat = self.nlp.get_pipe(self.classifier) if self.classifier in self.nlp.pipe_names else None
        doc_texts = [token_view(doc).text for doc in docs]
        spans = [sentences(doc) for doc in docs]
        all_cats = sentence_cats(textcat, self.nlp.make_doc, docs, spans)
        rows: list[list[float]] = []
        contexts: list[Any] = []
        texts: list[str] = []
        ruled_out: list[bool] = []
        for doc, doc_text, sents, cats in zip(docs, doc_texts, spans, all_cats, strict=True):
            words = sentence_words(doc, sents)
            rows.extend(sentence_rows(doc, cats, sents=sents, doc_text=doc_text, words=words)[1])
            ruled_out.extend(not_advice(w) for w in words)
            contexts.extend([doc._.context] * len(sents))
            texts.extend(span_text(doc_text, s) for s in sents)
        matrix = np.hstack([np.asarray(rows, dtype=np.float64).reshape(len(rows), -1),
                            embedding_block(self.embeddings, texts, contexts)])
        matrix_probs = self.probabilities(matrix)
        if any(ruled_out):
            matrix_probs[np.array(ruled_out), _ADVICE] = 0.0
            matrix_probs /= np.maximum(matrix_probs.sum(axis=1, keepdims=True), 1e-12)
        probs = matrix_probs.tolist()
        k = 0
        for doc, doc_text, sents, cats in zip(docs, doc_texts, spans, all_cats, strict=True):
            acts: list[Act] = []
            act_probs: list[dict[str, float]] = []
            for sent in sents:
                p = probs[k]
                k += 1
                best = family_best(p)
                raw = span_text(doc_text, sent)
                text = raw.strip()
                start = sent.start_char + (len(raw) - len(raw.lstrip()))
                acts.append(Act(ACTS[best], start, start + len(text), text, round(float(p[best]), 4)))
                act_probs.append(dict(zip(ACTS, p, strict=True)))
            doc._.acts = acts
            doc._.act_probs = act_probs
            doc._.sent_cats = [(s, c) for s, c in zip(sents, cats, strict=True)]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "acts.json").write_text(json.dumps(self.model.as_json(), indent=1) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ActsComponent:
        self.model.load_json(json.loads((Path(path) / "acts.json").read_text(encoding="utf-8")))
        return self


@Language.factory(
    "trainer_acts",
    assigns=["doc._.acts", "doc._.act_probs", "doc._.sent_cats"],
    default_config={"classifier": "textcat_multilabel"},
)
def make_acts(nlp: Language, name: str, classifier: str) -> ActsComponent:
    """The act component; the build fits its weights with `.set_weights()`."""
    return ActsComponent(nlp, name, classifier)
