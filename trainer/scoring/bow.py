"""The scorer's classifier architecture: spaCy's bag of n-grams on a chosen token attribute, with long
replies' counts scaled and each n-gram counted once (registered as "trainer.TextCatBOW.v1", used by
models/config.cfg; an entry point in pyproject.toml, and imported by `trainer.scoring.components`)."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.models.textcat import NEG_VALUE, resize_and_set_ref
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, with_cpu
from thinc.layers.resizable import resize_linear_weighted
from thinc.types import Floats2d


def length_scaled(ref: int, binary: bool = False) -> Model[Any, Any]:
    """Between spaCy's n-gram extraction and the sparse linear layer: a doc with more than `ref` distinct
    n-grams has its counts scaled by sqrt(ref / n), so its logits grow like the square root of its length
    rather than with it, and a long reply (a pasted paragraph, a long spoken turn) is not pushed to 0 or 1
    by its length alone. Short replies are untouched; `ref` 0 switches it off. With `binary` an n-gram
    counts once however often it comes: a word typed fifty times ("asdf asdf asdf ...") weighs what it
    weighs typed twice, not fifty times as much."""

    def forward(model: Model[Any, Any], X: Any, is_train: bool) -> tuple[Any, Any]:
        keys, vals, lengths = X
        if binary:
            vals = model.ops.xp.minimum(vals, 1.0).astype("f")
        if ref > 0 and len(lengths):
            ops = model.ops
            n = ops.asarray(lengths, dtype="f")
            scale = ops.xp.minimum(1.0, ops.xp.sqrt(ref / ops.xp.maximum(n, 1.0))).astype("f")
            vals = vals * ops.xp.repeat(scale, ops.asarray(lengths, dtype="i"))
        return (keys, vals, lengths), lambda dY: dY

    return Model("length_scaled", forward)


@registry.architectures("trainer.TextCatBOW.v1")
def build_bow_norm(
    exclusive_classes: bool, ngram_size: int, length: int = 262144, attr: str = "NORM", nO: int | None = None,
    length_ref: int = 0, binary: bool = False,
) -> Model[list[Doc], Floats2d]:
    """spaCy's TextCatBOW.v3, but on a chosen token attribute (NORM: lower case, "n't" = "not") not ORTH,
    and with long docs' n-gram counts scaled down (`length_scaled`, from `length_ref` distinct n-grams on),
    each n-gram counted once when `binary`.

    Sentence-initial capitals ("Sorry" / "sorry") and contractions would otherwise split the little
    training data we have into separate features.
    """
    from spacy.attrs import IDS

    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    # As in spaCy: labels added later start with a very negative bias, so they begin "absent".
    fill_defaults = {"b": NEG_VALUE, "W": 0}
    resizable_layer: Model[Any, Any] = resizable(
        sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults)
    )
    output_layer = Logistic()
    with Model.define_operators({">>": chain}):
        ngrams = extract_ngrams(ngram_size, attr=IDS[attr.upper()])
        inner = ngrams >> length_scaled(length_ref, binary) >> resizable_layer
        inner = with_cpu(inner, inner.ops)
        model = inner >> with_cpu(output_layer, output_layer.ops)
    del exclusive_classes  # multi-label only; kept so the config reads like spaCy's own
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = True
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return cast(Model[list[Doc], Floats2d], model)
