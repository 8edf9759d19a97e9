"""Redaction for exports: the service user's and the learner's names replaced everywhere.

"Everywhere" means every text in the debrief, the raw run state included, and inside transcript text;
evidence offsets are moved to match the shortened or lengthened text, so the marks still cover the same
words. Matching is on whole words: the full name, and each part of it ("Sarah", "Jones", "Jones's"),
case-insensitively so that a lower-case "sarah" typed in a hurry is caught too. Parts that are also common
English words ("Will", "Hope", "May") are matched only when capitalised, so "I will" survives; titles
(Mr, Mrs, Ms, Dr...) are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from trainer.debrief.model import Debrief

SERVICE_USER = "[service user]"
LEARNER = "[learner]"

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev", "auntie",
           "uncle"}  # fmt: skip
_COMMON = {
    "will", "hope", "may", "june", "april", "grace", "faith", "joy", "rose", "mark", "bill", "pat", "sue",
    "jack", "art", "dawn", "summer", "king", "page", "brown", "white", "green", "black", "young", "hall",
    "wood", "hill", "bell", "rich", "frank", "ray", "sunny", "sky", "dot", "penny", "ivy", "holly", "amber",
    "jean", "victor", "guy", "carol", "chase", "drew", "gene", "lee", "long", "short", "little", "head",
}  # fmt: skip

#: Keys whose values are vocabulary, ids or numbers, never names: left alone.
_KEEP = {"signal", "signals", "rule", "source", "speaker", "present", "cues", "outcome", "skill", "counter",
         "id", "format", "wrong", "missing", "labels", "node", "started_at", "updated_at", "time",
         "created_at", "kind"}  # fmt: skip


def name_pattern(names: Mapping[str, str]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A regex matching every form of the given names, and a map from the lower-cased match to its
    replacement. `names` maps a full name to what replaces it. None when there is nothing to match."""
    alternatives: list[tuple[str, str]] = []  # (regex, replacement)
    lookup: dict[str, str] = {}
    for full, replacement in names.items():
        tokens = [t for t in re.split(r"\s+", full.strip()) if t]
        if not tokens:
            continue
        if any(t.strip(".,").lower() in _COMMON for t in tokens):
            forms = [[t.capitalize() for t in tokens], [t.upper() for t in tokens]]
            full_rx = "(?:" + "|".join(r"\s+".join(re.escape(t) for t in ts) for ts in forms) + ")"
        else:
            full_rx = r"(?i:" + r"\s+".join(re.escape(t) for t in tokens) + ")"
        alternatives.append((full_rx, replacement))
        for token in tokens:
            bare = token.strip(".,")
            if len(bare) < 2 or bare.lower() in _TITLES:
                continue
            if bare.lower() in _COMMON:
                cased = f"(?:{re.escape(bare.capitalize())}|{re.escape(bare.upper())})"
                alternatives.append((cased, replacement))
            else:
                alternatives.append((r"(?i:" + re.escape(bare) + ")", replacement))
            lookup.setdefault(bare.lower(), replacement)
        lookup.setdefault(" ".join(t.lower() for t in tokens), replacement)
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: -len(a[0]))
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(a for a, _ in alternatives) + r")(?![\w])")
    return pattern, lookup


class Redactor:
    """Replaces the names in strings, keeping offsets into them mappable."""

    def __init__(self, names: Mapping[str, str]) -> None:
        compiled = name_pattern({k: v for k, v in names.items() if k and k.strip()})
        self._pattern: re.Pattern[str] | None = compiled[0] if compiled else None
        self._lookup: dict[str, str] = compiled[1] if compiled else {}

    def _replacement(self, match: re.Match[str]) -> str:
        return self._lookup.get(" ".join(match.group(0).lower().split()), SERVICE_USER)

    def text(self, text: str) -> str:
        """The text with the names replaced."""
        return self._pattern.sub(self._replacement, text) if self._pattern else text

    def with_offsets(self, text: str) -> tuple[str, Callable[[int, bool], int]]:
        """The redacted text, and a function moving an offset in the old text to the new one (a span
        boundary inside a name moves to that name's replacement's start, or end for an end offset)."""
        if self._pattern is None:
            return text, lambda offset, is_end: offset
        edits = [(m.start(), m.end(), self._replacement(m)) for m in self._pattern.finditer(text)]
        new = self.text(text)

        def move(offset: int, is_end: bool) -> int:
            shift = 0
            for start, end, replacement in edits:
                if end <= offset:
                    shift += len(replacement) - (end - start)
                elif start < offset < end:
                    return start + shift + (len(replacement) if is_end else 0)
                else:
                    break
            return offset + shift

        return new, move

    def _spans(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        spans = obj.get("marks")
        if spans is None and isinstance(obj.get("assessment"), dict):
            spans = obj["assessment"].get("evidence")
        return [s for s in spans if isinstance(s, dict)] if isinstance(spans, list) else []

    def walk(self, obj: Any) -> Any:
        """A copy of a JSON-like value with every string redacted and evidence offsets moved."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, list):
            return [self.walk(item) for item in obj]
        if not isinstance(obj, dict):
            return obj
        out: dict[str, Any] = {}
        spans = self._spans(obj) if isinstance(obj.get("text"), str) else []
        moved: dict[int, tuple[int, int, str]] = {}
        if spans:
            new_text, move = self.with_offsets(obj["text"])
            for span in spans:
                start, end = span.get("start"), span.get("end")
                if isinstance(start, int) and isinstance(end, int):
                    s, e = move(start, False), move(end, True)
                    moved[id(span)] = (s, e, new_text[s:e])
        for key, value in obj.items():
            out[key] = value if key in _KEEP else self.walk(value)
        if moved:
            # Offsets are fixed on the walked copies, which sit where the originals did.
            for original, copy in zip(spans, self._spans(out), strict=True):
                if id(original) in moved:
                    copy["start"], copy["end"], copy["text"] = moved[id(original)]
        return out


def redact(debrief: Debrief) -> Debrief:
    """A copy of the debrief with the service user's and the learner's names replaced everywhere."""
    names: dict[str, str] = {}
    if debrief.service_user:
        names[debrief.service_user] = SERVICE_USER
    if debrief.learner_name:
        names[debrief.learner_name] = LEARNER
    data = Redactor(names).walk(debrief.model_dump(mode="json", by_alias=True))
    data["service_user"] = SERVICE_USER if debrief.service_user else None
    data["learner_name"] = LEARNER if debrief.learner_name else None
    if not debrief.service_user:
        unknown = "The service user's name is not known here, so it could not be redacted."
        data["notes"] = [*data["notes"], unknown]
    return Debrief.model_validate(data)
