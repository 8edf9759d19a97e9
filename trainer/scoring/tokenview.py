"""A doc's token attributes read once, for every component that walks its tokens.

    view = token_view(doc)
    view.norms[i], view.puncts[i], view.texts[i], view.idx[i], view.text, view.bounds, view.sent_of[i]

Iterating a Doc makes a Token object per token, and reading `doc.text` or `doc.sents` iterates it again:
when the sentencizer, the rules, the context features, the act layer and the combiner each did so, the
scorer spent more time making Token objects than scoring. `token_view` reads the attributes with one
`Doc.to_array` call and keeps them in `doc.user_data`, to be read again by the next component. The
sentencizer reads them first, and the sentences again once it has set them; no later component changes
them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from spacy.attrs import IS_PUNCT, IS_SPACE, NORM, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

_KEY = "trainer_token_view"
_ATTRS = [NORM, ORTH, IS_PUNCT, IS_SPACE, SPACY, SENT_START]


@dataclass(frozen=True)
class TokenView:
    """One doc's token attributes, in token order."""

    norms: list[str]
    """`token.norm_` (lower case)."""
    texts: list[str]
    """`token.text`."""
    puncts: list[bool]
    """`token.is_punct`."""
    spaces: list[bool]
    """`token.is_space`."""
    idx: list[int]
    """`token.idx`: where the token starts in `text`."""
    text: str
    """`doc.text`."""
    has_sents: bool
    """`doc.has_annotation("SENT_START")`."""
    bounds: list[tuple[int, int]]
    """The sentences as token bounds (start, end), as `doc.sents` gives them; one sentence, the whole doc,
    when no boundary is set."""
    sent_of: list[int]
    """Each token's sentence number (into `bounds`)."""

    def end_char(self, end: int) -> int:
        """The character offset where the token before `end` ends (`Span.end_char` of a span ending there)."""
        return self.idx[end - 1] + len(self.texts[end - 1]) if end > 0 else 0

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text`."""
        return self.text[self.idx[start] : self.end_char(end)] if end > start else ""

    def words(self, start: int, end: int) -> list[str]:
        """The norms of the tokens in [start, end) that are neither punctuation nor space."""
        norms, puncts, spaces = self.norms, self.puncts, self.spaces
        return [norms[i] for i in range(start, end) if not puncts[i] and not spaces[i]]


def token_view(doc: Doc, resplit: bool = False) -> TokenView:
    """The doc's token attributes (see the module docstring). Its sentences are read with them, and again
    when the doc has gained sentence boundaries since; a caller that changes the boundaries of a doc that
    has them already (the sentencizer) asks for them to be read again with `resplit`."""
    view = doc.user_data.get(_KEY)
    if isinstance(view, TokenView) and len(view.norms) == len(doc):
        if not resplit and view.has_sents == doc.has_annotation("SENT_START"):
            return view
        view = replace(view, **_sentences(doc))  # the same tokens, in the sentences the doc has now
    else:
        view = _read(doc)
    doc.user_data[_KEY] = view
    return view


def _read(doc: Doc) -> TokenView:
    strings = doc.vocab.strings
    rows = doc.to_array(_ATTRS).tolist() if len(doc) else []
    texts = [strings[r[1]] for r in rows]
    idx: list[int] = []
    at = 0
    pieces: list[str] = []
    for t, r in zip(texts, rows, strict=True):
        idx.append(at)
        if r[4]:
            t += " "
        pieces.append(t)
        at += len(t)
    return TokenView(
        norms=[strings[r[0]] for r in rows],
        texts=texts,
        puncts=[bool(r[2]) for r in rows],
        spaces=[bool(r[3]) for r in rows],
        idx=idx,
        text="".join(pieces),
        **_sentences(doc, [r[5] for r in rows]),
    )


def _sentences(doc: Doc, starts: list[int] | None = None) -> dict[str, Any]:
    """has_sents, bounds and sent_of (see TokenView) as the doc has them (`starts`: its tokens' SENT_START
    values, when read already)."""
    n = len(doc)
    has_sents = doc.has_annotation("SENT_START")
    if not n or not has_sents:
        return {"has_sents": has_sents, "bounds": [(0, n)], "sent_of": [0] * n}
    if starts is None:
        starts = doc.to_array(SENT_START).tolist()
    firsts = [i for i, v in enumerate(starts) if v == 1 or i == 0]
    bounds = list(zip(firsts, [*firsts[1:], n], strict=True))
    sent_of: list[int] = []
    for k, (a, b) in enumerate(bounds):
        sent_of.extend([k] * (b - a))
    return {"has_sents": has_sents, "bounds": bounds, "sent_of": sent_of}
