"""The scorer's word vectors: WordLlama's shipped files, read with no network, giving sentence vectors that
place a paraphrase nearer than an unrelated line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.scoring.embeddings import DIM, EmbeddingsMissing, SentenceEmbeddings

REPO = Path(__file__).resolve().parents[1]

GUARD = r"""
import json, socket, sys
attempts = []
def refuse(*a, **k):
    attempts.append("connection")
    raise OSError("network disabled by the test")
# Reaching out is what is refused: connecting, sending, resolving a name. (Creating a socket is not:
# urllib3, imported by spaCy's dependencies, binds one to ::1 to test for IPv6.)
for name in ("connect", "connect_ex", "sendto", "sendall", "send"):
    setattr(socket.socket, name, refuse)
socket.create_connection = refuse
socket.getaddrinfo = refuse
try:  # the control: the guard does catch a connection
    socket.socket().connect(("127.0.0.1", 9))
except OSError:
    pass
control = list(attempts)
attempts.clear()
from trainer.scoring.embeddings import SentenceEmbeddings
vectors = SentenceEmbeddings.shipped().embed(["I'm up three times a night.", "Exhausted, then."])
from trainer.scoring.scorer import Scorer
a = Scorer.load(cache=False).assess("Exhausted, then.", context="I'm up three times a night with her.")
print(json.dumps({"control": control, "attempts": attempts, "norm": float((vectors[1] ** 2).sum()),
                  "acts": [x.label for x in a.acts],
                  "loaded": sorted(m for m in ("wordllama", "huggingface_hub") if m in sys.modules)}))
"""


@pytest.fixture(scope="module")
def embeddings() -> SentenceEmbeddings:
    return SentenceEmbeddings.shipped()


def test_loading_the_vectors_and_scoring_open_no_socket() -> None:
    command = [sys.executable, "-c", GUARD]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["control"] == ["connection"]  # the guard sees a connection when there is one
    assert report["attempts"] == []
    assert report["loaded"] == []  # WordLlama's own loader (which downloads) never runs
    assert report["norm"] == pytest.approx(1.0, abs=1e-4)
    assert report["acts"]  # the whole scorer ran behind the guard


def test_a_paraphrase_is_nearer_than_an_unrelated_line(embeddings: SentenceEmbeddings) -> None:
    said, paraphrase, unrelated = embeddings.embed(
        ["I'm so tired I can barely think.", "You're completely exhausted.", "The bus leaves at nine."]
    )
    assert float(said @ paraphrase) > float(said @ unrelated) + 0.05


def test_an_empty_text_is_a_zero_row_and_the_rest_are_unit_length(embeddings: SentenceEmbeddings) -> None:
    rows = embeddings.embed(["", "Mm.", "   ", "So the weekends are the hard part."])
    assert rows.shape == (4, DIM)
    assert not rows[0].any()
    assert np.linalg.norm(rows[1]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(rows[3]) == pytest.approx(1.0, abs=1e-5)
    assert embeddings.embed([]).shape == (0, DIM)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_a_batch_gives_each_text_the_vector_it_gets_alone(
    embeddings: SentenceEmbeddings, texts: list[str]
) -> None:
    together = embeddings.embed(texts)
    alone = np.vstack([embeddings.embed([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_missing_files_say_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingsMissing, match="cannot read the scorer's word vectors"):
        SentenceEmbeddings(tmp_path / "weights.safetensors", tmp_path / "tokenizer.json")
