"""The scorer: load the pipeline once, then assess replies (one at a time or in batches).

    scorer = Scorer.load()                      # models/scorer, or $TRAINER_MODEL, or a path
    a = scorer.assess("It sounds like you're exhausted.", context="I haven't slept in weeks.")
    a.scores, a.evidence, a.present()
    for a in scorer.assess_many([("text", "context"), ...], batch_size=256): ...
    cues = scorer.compile_cues(scenario.cues)   # raises CueError naming the bad cue
    scorer.assess(text, context, cues=cues).cues

Bad input never raises: an empty reply scores zero with a note; a reply longer than api.MAX_CHARS is
truncated with a note (cheaply: slicing happens before any tokenising). Used by the TUI, the plain player,
rehearsals, the debrief and the `trainer score` / `trainer eval` commands.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import textnorm
from trainer.scoring.acts import agree_with_scores
from trainer.scoring.api import MAX_CHARS, SIGNALS, Act, Assessment, CueError, Evidence, ModelError
from trainer.scoring.endmarks import heard_end
from trainer.scoring.features import stem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from trainer.scenario.schema import Cue

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = REPO_ROOT / "models" / "scorer"
ENV_VAR = "TRAINER_MODEL"

Item = str | tuple[str, str | None] | Mapping[str, Any]

_Prepared = tuple[str, "Doc | None", "str | None", int]
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_CACHE: dict[Path, Scorer] = {}


def model_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the pipeline is loaded from: `path`, else $TRAINER_MODEL, else models/scorer in the repo."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_MODEL


def _clean(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    # Lone surrogates (from JSON "\ud800" escapes) cannot be encoded; they carry no words anyway.
    return _SURROGATES.sub("\ufffd", text)


_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s")


def _truncate(text: str) -> tuple[str, str | None]:
    """At most MAX_CHARS characters of `text` to score, cut after the last full sentence in them (so the
    score is never of a fragment such as "...I hear"), else at the last space; and the note saying so."""
    if len(text) <= MAX_CHARS:
        return text, None
    cut = text[:MAX_CHARS]
    sentence = max((m.end() for m in _SENTENCE_END.finditer(cut, MAX_CHARS // 2)), default=0)
    space = cut.rfind(" ", MAX_CHARS - 200)
    if sentence > 0:
        cut = cut[:sentence].rstrip()
    elif space > 0:  # no sentence ends in the second half: don't score half a word
        cut = cut[:space]
    return cut, f"Only the first {MAX_CHARS:,} characters were scored (the reply has {len(text):,})."


class CueMatcher:
    """A scenario's cues compiled for one pipeline's vocabulary; call it on a scored Doc."""

    def __init__(self, nlp: Language, cues: Mapping[str, Cue]) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from trainer.scoring.cuewords import heard, reading

        self.ids: list[str] = list(cues)
        # On NORM, as the scorer reads: "ur mum" is "your mum", "cannot" is "can't", case aside; and on each
        # word's stem, so the form of a verb does not matter: "speak to my manager" hears "I'll be speaking
        # to my manager" and "I spoke to my manager" (`features.stem`, written as the token's LEMMA).
        self._phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self._stems = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._tokens = Matcher(nlp.vocab, validate=True)
        # Patterns are checked as written, so an author's mistake is named in their terms; then matched as
        # the scorer reads words, like the phrases: `{LOWER: you}` hears "u" and "youuu" (`cuewords`).
        written = Matcher(nlp.vocab, validate=True)
        words = reading(nlp)
        for cue_id, cue in cues.items():
            for i, phrase in enumerate(cue.phrases):
                doc = nlp.make_doc(phrase)
                if not phrase.strip() or not len(doc):
                    raise CueError(cue_id, "phrases", i, "the phrase is empty; write the words to listen for")
                self._phrases.add(cue_id, [doc])
                self._stems.add(cue_id, [_stemmed(doc)])
            for i, pattern in enumerate(cue.patterns):
                try:
                    written.add(cue_id, [pattern])
                    self._tokens.add(cue_id, [heard(pattern, words)])
                except Exception as exc:  # spaCy raises several types for a bad pattern; all mean the same
                    raise CueError(cue_id, "patterns", i, _pattern_problem(exc)) from None

    def __call__(self, doc: Doc) -> list[str]:
        """The ids of the cues matched in `doc`, in the scenario's order."""
        strings = doc.vocab.strings
        found: set[str] = set()
        # (an empty matcher would warn on every call: a scenario may have only phrases, or only patterns)
        if len(self._phrases):
            found.update(strings[key] for key, _s, _e in self._phrases(doc))
            found.update(strings[key] for key, _s, _e in self._stems(_stemmed(doc)))
        if len(self._tokens):
            found.update(strings[key] for key, _s, _e in self._tokens(doc))
        return [cue_id for cue_id in self.ids if cue_id in found]


def _stemmed(doc: Doc) -> Doc:
    """`doc` with each word's stem as its LEMMA (a blank pipeline sets none), for the cues' stem matcher."""
    for token in doc:
        token.lemma_ = stem(token.norm_) if token.is_alpha else token.norm_
    return doc


def _pattern_problem(exc: Exception) -> str:
    lines = [ln.strip()[2:] for ln in str(exc).splitlines() if ln.strip().startswith("- ")]
    detail = "; ".join(lines) if lines else str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return (
        f"not a valid spaCy token pattern ({detail}). A pattern is a list of token objects such as "
        "[{LOWER: head}, {LOWER: teacher}]"
    )


def _as_typed(span: Evidence | Act, full: str, keep: int) -> Any:
    """An evidence or act span of the scored doc, as offsets and words of the reply as typed: a span
    reaching past the first `keep` characters (the words the two share, `heard_end`) is cut there, spaces
    trimmed, and an evidence reason quotes the words as typed."""
    if span.end <= keep:
        return span
    end = len(full[:keep].rstrip())
    start = min(span.start, end)
    typed = full[start:end]
    if isinstance(span, Evidence) and span.text:  # the reason quotes the words too: "'Were the kids there?'"
        return dataclasses.replace(
            span, start=start, end=end, text=typed, reason=span.reason.replace(span.text, typed)
        )
    return dataclasses.replace(span, start=start, end=end, text=typed)


class Scorer:
    """A loaded scoring pipeline."""

    def __init__(self, nlp: Language, path: Path | None = None) -> None:
        self.nlp = nlp
        self.path = path

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Scorer:
        """Load the pipeline (see `model_path`); the same path is loaded once per process unless cache=False.

        Raises ModelError with what to do when the pipeline is missing or broken.
        """
        where = model_path(path).resolve()
        if cache and where in _CACHE:
            return _CACHE[where]
        if not (where / "config.cfg").is_file():
            raise ModelError(
                f"No scorer pipeline at {where}. Build it with `make model`"
                + (f", or point ${ENV_VAR} at a built pipeline folder." if ENV_VAR not in os.environ
                   else f" (${ENV_VAR} is set to {os.environ[ENV_VAR]!r}).")
            )
        import spacy

        import trainer.scoring.actlayer  # noqa: F401  (registers the factories, even without entry points)
        import trainer.scoring.components  # noqa: F401

        try:
            nlp = spacy.load(where)
        except Exception as exc:  # any failure here means the same thing to the user: rebuild it
            message = f"Could not load the scorer pipeline at {where}: {exc}. Rebuild it with `make model`."
            raise ModelError(message) from exc
        scorer = cls(nlp, where)
        if cache:
            _CACHE[where] = scorer
        return scorer

    def compile_cues(self, cues: Mapping[str, Cue]) -> CueMatcher:
        """Compile a scenario's cues (once per scenario). Raises CueError for an invalid phrase or pattern."""
        return CueMatcher(self.nlp, cues)

    def _prepare(self, text: Any, context: Any) -> _Prepared:
        """The reply as typed, its doc (None when blank), the note, and how many of its characters the doc
        shares (the doc may end in a mark the reply did not have: `heard_end`)."""
        full = _clean(text)
        if textnorm.is_blank(full):  # only spaces, zero-width or control characters
            return full, None, "Nothing to score: the reply is empty.", 0
        scored, note = _truncate(full)
        keep, mark = heard_end(scored)  # heard to its end: "in here-" ends "in here."
        doc = self.nlp.make_doc(scored[:keep] + mark)
        ctx = textnorm.spoken(_clean(context))  # "(Quietly.)" is not a word they said
        # No slicing here: the context component keeps the end of a long context itself (its max_chars).
        doc._.context = ctx if ctx.strip() else None
        return full, doc, note, keep

    @staticmethod
    def _assessment(
        full: str, doc: Doc | None, note: str | None, keep: int, cues: CueMatcher | None
    ) -> Assessment:
        if doc is None:
            return Assessment(text=full, scores=dict.fromkeys(SIGNALS, 0.0), note=note)
        evidence = [_as_typed(e, full, keep) for e in doc._.evidence or []]
        scores = {s: float(doc.cats.get(s, 0.0)) for s in SIGNALS}
        acts = [
            _as_typed(a, full, keep)
            for a in agree_with_scores(
                getattr(doc._, "acts", None) or (), getattr(doc._, "act_probs", None), scores
            )
        ]
        return Assessment(
            text=full,
            scores=scores,
            evidence=evidence,
            cues=cues(doc) if cues is not None else [],
            note=note,
            acts=tuple(acts),  # none when the act layer is not registered
        )

    def assess(self, text: str, context: str | None = None, cues: CueMatcher | None = None) -> Assessment:
        """Score one reply.

        Args:
            text: what the learner said.
            context: the service user's line just before it (how reflections are recognised), if known.
            cues: a CueMatcher from `compile_cues`, to fill `Assessment.cues`.
        Returns:
            An Assessment: five scores 0-1, evidence with character offsets into `text`, cues, and a note
            when the reply was empty or truncated.
        """
        full, doc, note, keep = self._prepare(text, context)
        if doc is not None:
            doc = self.nlp(doc)
        return self._assessment(full, doc, note, keep, cues)

    def assess_many(
        self, items: Iterable[Item], batch_size: int = 256, cues: CueMatcher | None = None
    ) -> list[Assessment]:
        """Score many replies through `nlp.pipe`; results in input order.

        Args:
            items: replies as strings, (text, context) pairs, or mappings with "text" and optional "context".
            batch_size: docs per batch for spaCy.
            cues: as in `assess`.
        """
        prepared: list[_Prepared] = []
        for item in items:
            if isinstance(item, str):
                prepared.append(self._prepare(item, None))
            elif isinstance(item, Mapping):
                prepared.append(self._prepare(item.get("text"), item.get("context")))
            else:
                seq: Sequence[Any] = item
                prepared.append(self._prepare(seq[0], seq[1] if len(seq) > 1 else None))
        docs = [doc for _f, doc, _n, _k in prepared if doc is not None]
        scored = iter(list(self.nlp.pipe(docs, batch_size=batch_size)))
        return [
            self._assessment(full, next(scored) if doc is not None else None, note, keep, cues)
            for full, doc, note, keep in prepared
        ]
