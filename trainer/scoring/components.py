"""The scorer's own spaCy components, registered as factories so `spacy.load("models/scorer")` works alone.

The pipeline (built by `trainer.scoring.build`) runs, in order:

- `sentencizer` (spaCy's): sentences bound the negation window and the evidence.
- `trainer_rules`: the rules in `models/patterns/*.jsonl` (see `trainer.scoring.patterns`). Marks spans
  in `doc._.rule_hits` (and `doc.spans["trainer_rules"]`) with signal, rule id and reason; a negator just
  before a match cancels or flips it ("I can't keep this secret" is a boundary, not an overstep); an
  exception rule cancels what it overlaps (practical apologies are not sympathy); the readings of the reply
  against the service user's line add their hits and exceptions (`trainer.scoring.readings`).
- `textcat_multilabel` (spaCy's, with `trainer.TextCatBOW.v1`: bag of normalised n-grams) for recall
  beyond the rules. Its probabilities end up in `doc._.classifier`.
- `trainer_context`: features of the reply against the service user's last line, which the caller puts in
  `doc._.context` before piping the doc (see `trainer.scoring.features`).
- `trainer_combiner`: a per-signal logistic regression over rule hits, classifier probabilities and context
  features (weights fitted by the build on the training split, saved with the pipeline) that writes the
  five final scores to `doc.cats` and the learner-facing evidence to `doc._.evidence`.

Every component serialises what it needs with to_disk/from_disk; config values are JSON-native.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from trainer.scoring import bow, clauses, logreg, substance  # noqa: F401 (bow, clauses register)
from trainer.scoring.acts import apply_acts
from trainer.scoring.api import SIGNALS, THRESHOLD, Evidence
from trainer.scoring.cautions import exception_withdrawals, settle_withdrawals, sure_cautions
from trainer.scoring.chatnorms import add_stretched_norms
from trainer.scoring.combinerinput import (  # noqa: F401 (the build reads them here)
    feature_names,
    feature_vector,
    rule_precision,
    sentence_view,
)
from trainer.scoring.denials import LIGHT
from trainer.scoring.echoes import ECHOED_CLICHES, TheirLine, their_phrase
from trainer.scoring.features import ContextLink, context_features
from trainer.scoring.gates import Gate, expand_first, gate_of, shape_words
from trainer.scoring.limits import (
    REFUSED,
    TAKEN_BACK_SCORE,
    TAKEN_BACK_WITHDRAWS,
    UNDONE_REASON,
    limits_said,
    refusal_undone,
    taken_back,
    wish_end,
)
from trainer.scoring.limits import wished_then_refused as wished_not_done
from trainer.scoring.patterns import check_rule
from trainer.scoring.phrases import whole_phrase, whole_words
from trainer.scoring.readings import READ_IDS, READING_WITHDRAWS, read_context
from trainer.scoring.tokenview import token_view

for _name in ("context", "rule_hits", "rule_exceptions", "classifier", "context_features", "context_link",
              "evidence"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

SPANS_KEY = "trainer_rules"
SAYING = frozenset({"tell", "say", "pretend", "promise", "claim"})
"""Verbs of saying: a negator before one negates what is said after it (`RulesComponent._negated`)."""
# Signals a span of words can carry together: naming how the work ends ("up to eight sessions") is both
# purpose and the frame (models/LABELLING.md), so a purpose hit over it does not hide the frame's.
TOGETHER = frozenset({"purpose", "boundaries"})
#: Words a reply shares with their line that are never shown as their words taken up (the debrief's "Takes up
#: their own words"): the light verbs too general to be denied (`denials.LIGHT`: "know" in "I know you mean
#: it" after "Nobody needs to know"), except wanting, needing, feeling and saying, which carry what they
#: said: "No one told you" takes up "Nobody told me".
NOT_THEIR_WORDS = LIGHT - frozenset("""want wants wanted need needs needed feel feels feeling felt say said
    tell told""".split())


@dataclass(frozen=True)
class RuleHit:
    """One rule match that survived exceptions and negation."""

    signal: str
    start: int
    """Character offsets into the doc."""
    end: int
    rule: str
    """The rule id, with ".negated" when a negator flipped it."""
    reason: str


# --- rules -------------------------------------------------------------------------------------------


class RulesComponent:
    """Marks rule hits (see the module docstring); its patterns are saved with the pipeline."""

    def __init__(self, nlp: Language, name: str, window: int, negators: list[str], stops: list[str],
                 qualifiers: list[str]) -> None:
        self.name = name
        self.nlp = nlp
        self.window = window
        self.negators = frozenset(negators)
        self.stops = frozenset(stops)
        self.qualifiers = frozenset(qualifiers)
        self._reset()

    def _reset(self) -> None:
        self.known: substance.Lexicon | None = None
        """The words the scorer has read in training (`substance.known_words`); None: not given."""
        self.rules: list[dict[str, Any]] = []
        self._by_key: dict[int, dict[str, Any]] = {}
        self._by_id: dict[str, dict[str, Any]] = {}
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._gated: dict[Gate, Matcher] = {}
        """Token patterns by gate (see `_gate`), each gate with its own Matcher."""
        self._index: dict[str, list[Gate]] = {}
        """The gates by a word of their first (most selective) set; "" for the ungated."""

    def add_patterns(self, rules: Iterable[dict[str, Any]], *, validate: bool = True) -> None:
        """Add checked rules (as `trainer.scoring.patterns.load_patterns` returns them); `validate`: spaCy
        checks each token pattern against its schema (the build; the saved pipeline holds checked ones)."""
        for raw in rules:
            rule = check_rule(raw, where=f"rule {raw.get('id')!r}" if isinstance(raw, dict) else "rule")
            key = f"{rule['kind']}:{rule['signal']}:{rule['id']}"
            # Speed: phrases go to a PhraseMatcher (a trie). spaCy's Matcher tries every pattern at every
            # token, so token patterns are grouped by an anchor (words one of which must be in the reply
            # for the pattern to match) and a group's Matcher runs only when the reply has an anchor word.
            phrases = [self.nlp.make_doc(p) for p in rule["phrases"]]
            if phrases:
                self.phrase_matcher.add(key, phrases)
            for pattern in rule["patterns"]:
                gate = gate_of(pattern)
                matcher = self._gated.get(gate)
                if matcher is None:
                    matcher = self._gated[gate] = Matcher(self.nlp.vocab, validate=validate)
                    for word in gate[0] if gate else [""]:
                        self._index.setdefault(word, []).append(gate)
                matcher.add(key, expand_first(pattern), greedy="LONGEST")
            self._by_key[self.nlp.vocab.strings[key]] = rule
            self._by_id[rule["id"]] = rule
            self.rules.append(rule)

    def _negated(self, norms: list[str], puncts: list[bool], sent_start: int, start: int,
                 owned: Mapping[int, int] | None = None) -> int | None:
        """The token where a negator within `window` tokens before `start` begins, in the same clause (the
        auxiliary of "n't": "*ca*n't"), or None; the window reaches on past a verb of saying ("I'm not going
        to *tell* you it'll all be fine": the words are not said) and past "or" ("I'm not going to hug you
        or *hold your hand*": the negation holds both). A negator in `owned` (negator -> the furthest end of
        a match of the same rule it is a word of: "*wont tell anyone* hun its between us") ends the search
        when that match ends before `start`: a promise made whole is not undone by its own "not"."""
        i, floor = start - 1, start - self.window
        while i >= max(sent_start, floor):
            norm = norms[i]
            if owned and owned.get(i, start + 1) <= start:
                return None
            if norm in self.negators:
                return i - 1 if norm in {"n't", "nt"} and i > sent_start and not puncts[i - 1] else i
            if norm in self.stops or (puncts[i] and norm not in {"'", "’"}):
                return None
            if norm in SAYING:
                floor = min(floor, i - self.window)
            elif norm in {"or", "nor"}:  # "not going to hold your hand *or* hug you": both refused
                floor = min(floor, i - 2 * self.window)
            i -= 1
        return None

    def __call__(self, doc: Doc) -> Doc:
        view = token_view(doc)  # the token attributes, read once: a Token object per token costs more
        norms, puncts = view.norms, view.puncts
        present = set(norms)
        present.update(shape_words(norms))
        matches = list(self.phrase_matcher(doc))
        gates = {g: None for w in ("", *present) for g in self._index.get(w, ())}
        for gate in gates:
            for words in gate[1:]:
                if words.isdisjoint(present):
                    break  # a set of the gate's words none of which the reply has
            else:
                matches.extend(self._gated[gate](doc))
        # sentence bounds, and each token's sentence (the negation window and qualifiers stay inside one)
        bounds, sent_of = view.bounds, view.sent_of
        context = doc._.context
        read = read_context(norms, puncts, lambda: bounds, context)  # the reply against the line
        # sentences that cannot carry empathy: "It sounds like asdfgh.", their line pasted back
        withheld = substance.withheld(norms, puncts, bounds, self.known, context, lambda: view.text)
        empty = withheld[substance.NO_SUBSTANCE]
        doc._.rule_exceptions = [
            RuleHit("", view.idx[bounds[k][0]], view.end_char(bounds[k][1]), rule_id, "")
            for rule_id, ks in withheld.items()
            for k in ks
        ]
        if not matches and not read:
            doc.spans[SPANS_KEY] = []
            doc._.rule_hits = []
            return doc
        exceptions: list[tuple[int, int, dict[str, Any]]] = []
        candidates: list[tuple[int, int, dict[str, Any]]] = []
        hits: list[tuple[int, int, str, str, str]] = []
        for start, end, rule in read:
            if rule.get("kind") == "exception":
                exceptions.append((start, end, rule))
            else:
                hits.append((start, end, rule["signal"], rule["id"], rule["reason"]))
        for key, start, end in matches:
            rule = self._by_key[key]
            if rule.get("not_before") and end < len(norms) and norms[end] in rule["not_before"]:
                continue  # "I won't tell Craig or anyone": the words after it undo the match
            if rule["kind"] == "exception":
                exceptions.append((start, end, rule))
            else:
                candidates.append((start, end, rule))
        owned: dict[str, dict[int, int]] = {}  # rule id -> its matches' negators -> their furthest end
        for start, end, rule in candidates:
            for i in range(start, end):
                if norms[i] in self.negators:
                    ends = owned.setdefault(rule["id"], {})
                    ends[i] = max(end, ends.get(i, end))
        line: TheirLine | None = None  # their words, read once and only for a cliché's match
        said_from: dict[tuple[int, int, str], int] = {}  # a negated hit -> where its negator begins
        refused: dict[int, RuleHit] = {}  # by sentence: the sentences that refuse an overstep
        for start, end, rule in candidates:
            signal = rule["signal"]
            if any(signal in x["cancels"] and start < xe and xs < end for xs, xe, x in exceptions):
                continue
            if rule["id"] in ECHOED_CLICHES:
                if line is None:
                    line = TheirLine(context)
                if their_phrase(norms, puncts, start, end, line):
                    continue  # "was meant to be six weeks" after "it was only meant to be for six weeks"
            if signal == "empathy" and sent_of[start] in empty:
                continue  # a frame with nothing in it: "It sounds like" alone
            rule_id, reason = rule["id"], rule["reason"]
            k = sent_of[start]
            s_start, s_end = bounds[k]
            negator = (self._negated(norms, puncts, s_start, start, owned.get(rule["id"]))
                       if rule["negation"] != "ignore" else None)
            flip = rule["negation"] == "flip"
            wished = flip and wished_not_done(norms, puncts, start, end, s_start, wish_end(norms, bounds, k))
            if flip and rule["signal"] == "overstep" and (wished or negator is not None) and k not in refused:
                # "I'd love to give you a hug but I shouldn't", "I won't hold your hand or put my arm round
                # you": the sentence refuses it, whatever the classifier reads in it (unless a rule finds an
                # overstep elsewhere in the reply)
                refused[k] = RuleHit("", view.idx[s_start], view.end_char(s_end), REFUSED, "")
            if rule["negation"] != "ignore" and (
                negator is not None or wished
                # a qualifier after the match ("... unless someone is at risk") flips it too; a rule's own
                # qualifiers ("scared of him *or* of the police?") flip or cancel it
                or not self._qualifiers(rule).isdisjoint(norms[end:s_end])
            ):
                if rule["negation"] == "cancel":
                    continue
                signal = rule["negated"]["signal"]
                reason = rule["negated"]["reason"]
                rule_id = f"{rule_id}.negated"
                if negator is not None:  # the evidence quotes "can't take your money", not "take your money"
                    said_from[(start, end, rule_id)] = negator
            if signal == "boundaries" and refusal_undone(norms, puncts, end, s_end):  # "but just this once"
                signal, rule_id, reason = "overstep", "refusal_undone", UNDONE_REASON
            hits.append((start, end, signal, rule_id, reason))
        # Overlapping hits: the longest wins ("we don't need to tell my manager" is collusion, not the
        # boundary that "my manager" alone would be); of two the same length, the reading of their line
        # ("No need to panic" denies their "panicking", not only a stock phrase of reassurance).
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0], h[2], h[3] not in READ_IDS, h[3]))  # same every run
        taken: list[tuple[int, int, str]] = []
        kept: list[tuple[int, int, str, str, str]] = []
        for hit in hits:
            if any(hit[0] < e and s < hit[1] and {signal, hit[2]} != TOGETHER for s, e, signal in taken):
                continue
            taken.append((hit[0], hit[1], hit[2]))
            kept.append(hit)
        kept.sort(key=lambda h: h[0])
        kept = limits_said(kept, self._by_id, norms)
        spans = []
        out = []
        for start, end, signal, rule_id, reason in kept:
            start = said_from.get((start, end, rule_id), start)
            start, end = whole_words(doc, *whole_phrase(norms, puncts, start, end, bounds[sent_of[start]]))
            span = Span(doc, start, end, label=signal)
            span.id_ = rule_id
            spans.append(span)
            reason = reason.replace("{text}", span.text)
            out.append(RuleHit(signal, span.start_char, span.end_char, rule_id, reason))
        doc.spans[SPANS_KEY] = spans
        doc._.rule_hits = out
        # what each exception cancelled, by signal: the combiner keeps it out of the exception's sentence
        doc._.rule_exceptions += [*refused.values()] + [  # those that withdraw a signal from their sentence
            RuleHit("", view.idx[xs], view.end_char(xe), x["id"], "")
            for xs, xe, x in exceptions
            if x["withdraws"]
        ]
        return doc

    def _qualifiers(self, rule: dict[str, Any]) -> frozenset[str]:
        own = frozenset(rule["qualifiers"])
        return self.qualifiers | own if rule["negation"] == "flip" else own

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "patterns.jsonl").open("w", encoding="utf-8") as f:
            for rule in self.rules:
                f.write(json.dumps(rule, ensure_ascii=False, sort_keys=True) + "\n")
        if self.known is not None:
            words = "".join(w + "\n" for w in sorted(self.known.words))
            (path / "known.txt").write_text(words, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RulesComponent:
        lines = (Path(path) / "patterns.jsonl").read_text(encoding="utf-8").splitlines()
        self._reset()
        self.add_patterns((json.loads(line) for line in lines if line.strip()), validate=False)
        known = Path(path) / "known.txt"
        if known.is_file():
            self.known = substance.Lexicon(known.read_text(encoding="utf-8").split())
            add_stretched_norms(self.nlp.vocab, self.known.words)  # as the build read its training replies
        return self


@Language.factory(
    "trainer_rules",
    assigns=["doc._.rule_hits", "doc.spans"],
    requires=["token.is_sent_start"],
    default_config={
        "window": 5,
        # "nor", "neither", and the negative contractions spaCy splits only as typed ("dontttt" is "dont")
        "negators": ["not", "never", "no", "cannot", "unable", "nt", "nobody", "refuse", "nor", "neither",
                     "dont", "cant", "wont", "didnt", "doesnt", "isnt", "arent", "wasnt", "shouldnt",
                     "couldnt", "wouldnt", "mustnt", "havent", "aint"],
        "stops": ["but", "and", "because", "though", "although", "if", "so", "when", "how", "worry", "-", "—",
                  "–"],
        "qualifiers": ["unless", "except"],
    },
)
def make_rules(nlp: Language, name: str, window: int, negators: list[str], stops: list[str],
               qualifiers: list[str]) -> RulesComponent:
    """The rules component; add patterns with `.add_patterns(load_patterns(dir))`."""
    return RulesComponent(nlp, name, window, negators, stops, qualifiers)


# --- context -----------------------------------------------------------------------------------------


class ContextComponent:
    """Computes `doc._.context_features` and `doc._.context_link` from `doc._.context`."""

    def __init__(self, name: str, max_chars: int) -> None:
        self.name = name
        self.max_chars = max_chars

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.context
        if not isinstance(context, str):
            context = None
        elif len(context) > self.max_chars:
            context = context[-self.max_chars :]  # the end of their line is what the reply answers
        feats, link = context_features(doc, context)
        doc._.context_features = feats
        doc._.context_link = link
        return doc


@Language.factory(
    "trainer_context",
    assigns=["doc._.context_features", "doc._.context_link"],
    default_config={"max_chars": 5000},
)
def make_context(nlp: Language, name: str, max_chars: int) -> ContextComponent:
    """The context-features component."""
    return ContextComponent(name, max_chars)


# --- combiner ----------------------------------------------------------------------------------------

MAX_EVIDENCE = 5
"""At most this many pieces of evidence per signal."""

CLASSIFIER_REASONS = {
    "empathy": "'{text}' reads as a reflection: it gives back what they said or feel",
    "sympathy": "'{text}' reads as sympathy: your feelings or reassurance, not their experience",
    "purpose": "'{text}' reads as purpose-setting: why you are meeting or what happens next",
    "boundaries": "'{text}' reads as stating the professional frame",
    "overstep": "'{text}' reads as stepping outside the professional frame",
}


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class BatchedComponent:
    """A pipeline component that works on a batch of docs at once (`_process`): one doc through
    `__call__`, a stream through `pipe` in batches. Its subclasses are the act layer and the combiner."""

    def _process(self, docs: list[Doc]) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self._process([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            self._process(batch)
            yield from batch


class CombinerComponent(BatchedComponent):
    """Turns rule hits, classifier probabilities and context features into scores and evidence."""

    def __init__(self, nlp: Language, name: str, classifier: str, rule_score: float) -> None:
        self.nlp = nlp
        self.name = name
        self.classifier = classifier
        self.rule_score = rule_score
        self.model = logreg.LabelWeights(SIGNALS, feature_names(), "combiner")
        """Per signal: (intercept, weights over the features). Empty until the build fits it."""
        self.precision: dict[str, float] = {}
        """Per rule id (".negated" included): its smoothed precision on the training split."""
        self._withdrawn: dict[str, tuple[str, ...]] | None = None

    def _withdraws(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the signals a sentence holding its hit cannot carry (the rules' `withdraws`)."""
        if self._withdrawn is None:
            rules = self.nlp.get_pipe("trainer_rules") if "trainer_rules" in self.nlp.pipe_names else None
            self._withdrawn = {r["id"]: tuple(r.get("withdraws", ())) for r in getattr(rules, "rules", [])
                               if r.get("withdraws")}
            self._withdrawn |= READING_WITHDRAWS | substance.WITHDRAWS | TAKEN_BACK_WITHDRAWS
        return self._withdrawn

    def set_weights(
        self, weights: dict[str, tuple[float, list[float]]], precision: dict[str, float] | None = None
    ) -> None:
        """Install fitted weights and rule precisions (the build calls this)."""
        self.precision = dict(sorted((precision or {}).items()))
        self.model.set(weights)

    def unfitted_scores(self, cats: dict[str, float], hits: list[RuleHit]) -> dict[str, float]:
        """Scores before the build has fitted weights (a rules-only pipeline): a rule hit counts as
        present, else the classifier's probability."""
        found = {h.signal for h in hits}
        return {s: round(self.rule_score if s in found else float(cats.get(s, 0.0)), 4) for s in SIGNALS}

    @staticmethod
    def _classifier_evidence(span: Span, signal: str, act: Any = None) -> Evidence:
        raw = token_view(span.doc).text[span.start_char : span.end_char]  # span.text, without its Tokens
        text = raw.strip()
        start = span.start_char + (len(raw) - len(raw.lstrip()))
        return Evidence(signal, start, start + len(text), text, f"act:{act.label}" if act else "classifier",
                        CLASSIFIER_REASONS[signal].replace("{text}", _quote(text)))

    def _context_evidence(self, doc: Doc, link: ContextLink) -> Evidence:
        text = token_view(doc).text[link.start : link.end]
        # a learner is shown only the words that carry what they said: "know" in "I know you mean it kindly"
        # after "Nobody needs to know" is shared, but it is not their words taken up
        shown = [w for w in link.shared if w.lower() not in NOT_THEIR_WORDS]
        if link.shared and not shown and not link.feeling:
            whole = doc.char_span(link.start, link.end, alignment_mode="expand")
            if whole is not None:
                return self._classifier_evidence(whole, "empathy")
        words = ", ".join(f"'{w}'" for w in shown or link.shared)
        if shown and link.feeling:
            reason = f"Takes up their words ({words}) and names the feeling behind them: '{link.feeling}'"
            how = "context:overlap+feeling"
        elif shown or (link.shared and not link.feeling):
            reason = f"Takes up their own words ({words}) and gives them back"
            how = "context:overlap"
        else:
            reason = f"Names the feeling behind what they said: '{link.feeling}'"
            how = "context:feeling"
        return Evidence("empathy", link.start, link.end, text, how, reason)

    def _link_or_reflection(self, doc: Doc, link: ContextLink, acts: list[Any] | None) -> Evidence:
        """The empathy evidence of the context link, unless the sentence it links is not a reflection and
        another sentence is: then that sentence (the surest), as the act layer read it. Their words taken
        up in "my manager will ring your mum" are not the reflection "I know it's scary not knowing"."""
        at = next((a for a in acts or [] if a.start <= link.start < a.end), None)
        reflections = [a for a in acts or [] if a.label.startswith("reflection")]
        if at is None or at.label.startswith("reflection") or not reflections:
            return self._context_evidence(doc, link)
        best = max(reflections, key=lambda a: a.confidence)
        span = doc.char_span(best.start, best.end, "expand")
        return self._context_evidence(doc, link) if span is None else self._classifier_evidence(
            span, "empathy", best
        )

    def _process(self, docs: list[Doc]) -> None:
        if not docs:
            return
        all_scores: list[dict[str, float]]
        textcat = self.nlp.get_pipe(self.classifier) if self.classifier in self.nlp.pipe_names else None
        sent_cats, best_span = sentence_view(textcat, self.nlp.make_doc, docs)
        rows = []
        for d, sc in zip(docs, sent_cats, strict=True):
            ext = d._
            rows.append(feature_vector(d.cats, sc, ext.rule_hits or [], ext.context_features or {},
                                       self.precision))
        probs = self.model.probabilities(rows)
        if probs is not None:
            all_scores = [{s: round(float(p), 4) for s, p in zip(SIGNALS, row, strict=True)} for row in probs]
        else:
            all_scores = [self.unfitted_scores(d.cats, d._.rule_hits or []) for d in docs]
        has_acts = Doc.has_extension("acts")
        for i, (doc, scores) in enumerate(zip(docs, all_scores, strict=True)):
            ext = doc._  # (each `doc._` makes an object)
            hits: list[RuleHit] = ext.rule_hits or []
            sure_cautions(scores, hits, self.precision)
            if scores["boundaries"] < TAKEN_BACK_SCORE and any(taken_back(h.reason) for h in hits):
                scores["boundaries"] = TAKEN_BACK_SCORE  # the promise with its limits said is the frame
            ctx = ext.context_features or {}
            view = token_view(doc)
            terse = len(doc) <= 4 and sum(not p for p in view.puncts) <= 2
            unlinked = terse and not ctx.get("overlap") and not ctx.get("feeling")
            named = terse and bool(ctx.get("feeling"))  # "Exhausted.": their feeling named, a reflection
            acts = ext.acts if has_acts else None
            ruled = {h.signal for h in hits}
            promoted = apply_acts(scores, acts, unlinked, ext.act_probs, named, ruled) if acts else {}
            withdraws = self._withdraws()
            excepted = exception_withdrawals(hits, ext.rule_exceptions or [], withdraws)
            if acts and (hits or excepted):
                probs = ext.act_probs
                ext.acts = settle_withdrawals(scores, hits + excepted, withdraws, acts, probs, promoted)
            text = view.text
            evidence: list[Evidence] = []
            for signal in SIGNALS:
                if scores[signal] < THRESHOLD:
                    continue
                mine = [
                    Evidence(signal, h.start, h.end, text[h.start : h.end], f"rule:{h.rule}", h.reason)
                    for h in hits
                    if h.signal == signal
                ]
                link = ext.context_link
                if signal == "empathy" and link is not None:
                    mine.append(self._link_or_reflection(doc, link, ext.acts if has_acts else None))
                del mine[MAX_EVIDENCE:]  # a learner reads a few; a pasted essay must not bury them
                if not mine and len(doc):
                    span = best_span[i].get(signal, doc[:])
                    if signal in promoted:  # the sentence whose act made the signal
                        span = doc.char_span(promoted[signal].start, promoted[signal].end, "expand") or span
                    mine.append(self._classifier_evidence(span, signal, promoted.get(signal)))
                evidence.extend(mine)
            ext.classifier = dict(doc.cats)
            doc.cats = scores
            ext.evidence = evidence

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {**self.model.as_json(), "rule_precision": self.precision}
        (path / "weights.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CombinerComponent:
        data = json.loads((Path(path) / "weights.json").read_text(encoding="utf-8"))
        self.precision = dict(sorted(data.get("rule_precision", {}).items()))
        self.model.load_json(data)
        return self


@Language.factory(
    "trainer_combiner",
    assigns=["doc.cats", "doc._.evidence", "doc._.classifier"],
    default_config={"classifier": "textcat_multilabel", "rule_score": 0.9},
)
def make_combiner(nlp: Language, name: str, classifier: str, rule_score: float) -> CombinerComponent:
    """The combiner component; the build fits its weights with `.set_weights()`."""
    return CombinerComponent(nlp, name, classifier, rule_score)
