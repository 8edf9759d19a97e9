"""Static sentence embeddings from the files inside the WordLlama wheel, loaded with no network.

    emb = SentenceEmbeddings.shipped()        # the 256-d "l2_supercat" model in the installed wheel
    emb.embed(["So the nights are the worst.", ...])  -> float32 array (n, 256), rows of length 1 (or 0)

WordLlama (Miller 2024, MIT licence, https://github.com/dleemiller/WordLlama) distils a large language
model's token embeddings into a small static table: 32,000 tokens (Llama 2's tokenizer) x 256 dimensions,
float16, 16 MB. A sentence is the average of its tokens' rows, scaled to length 1, as WordLlama's own
`embed` does. Its loader looks for the tokenizer in another folder and then downloads from the Hugging
Face hub; this module never imports it: it finds the package's folder without running its code and reads
the two shipped files (`weights/l2_supercat_256.safetensors`, `tokenizers/l2_supercat_tokenizer_config.json`)
with `safetensors` and `tokenizers`. A test proves that no socket is opened.

Used by the act layer (`trainer.scoring.actlayer`): the embedding of a sentence, and how close it is to
the service user's line, generalise past the words the labelled data happens to use.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

DIM = 256
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
MAX_TOKENS = 512
"""Tokens read per text (a sentence rarely has 60): the rest adds nothing to an average but time."""


class EmbeddingsMissing(RuntimeError):
    """The WordLlama files are not installed; the message says how to install them."""


def package_folder() -> Path:
    """The installed `wordllama` package's folder, found without importing (running) the package.

    Raises:
        EmbeddingsMissing: the package is not installed.
    """
    spec = importlib.util.find_spec("wordllama")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise EmbeddingsMissing(
            "the scorer's word vectors (the wordllama package) are not installed: run `make .venv/.installed`"
        )
    return Path(locations[0])


class SentenceEmbeddings:
    """Average-of-token-vectors sentence embeddings (see the module docstring)."""

    def __init__(self, weights: Path, tokenizer: Path) -> None:
        """Load the table and the tokenizer from these two files.

        Raises:
            EmbeddingsMissing: a file is missing or unreadable.
        """
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        try:
            table = load_file(str(weights))["embedding.weight"]
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:  # safetensors and tokenizers raise their own kinds
            raise EmbeddingsMissing(
                f"cannot read the scorer's word vectors ({weights}, {tokenizer}): {exc}"
            ) from exc
        if table.ndim != 2 or table.shape[1] != DIM:
            raise EmbeddingsMissing(f"{weights} holds a {table.shape} table, not (tokens, {DIM})")
        self._table: NDArray[np.float16] = table  # float16 as shipped: 16 MB; rows are averaged in float32
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    @classmethod
    def shipped(cls) -> SentenceEmbeddings:
        """The model inside the installed wheel. Raises EmbeddingsMissing when it is not installed."""
        folder = package_folder()
        return cls(folder / WEIGHTS, folder / TOKENIZER)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text: the mean of its token vectors scaled to length 1 (zeros for an empty text)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        ids = [enc.ids[:MAX_TOKENS] for enc in encode(list(texts), add_special_tokens=False)]
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        filled = np.flatnonzero(lengths)
        if not len(filled):
            return out
        flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
        # One gather and one segmented sum for the whole batch (a Python loop per text costs 3x more). The
        # gathered vectors are laid out column by column (order="F"), so that the sum runs along memory:
        # ten times faster than down the columns of rows, adding the same numbers in the same order.
        vectors = self._table[flat].astype(np.float32, order="F")
        sums = np.ascontiguousarray(np.add.reduceat(vectors, starts, axis=0))
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[filled] = sums / np.maximum(norms, 1e-12)
        return out
