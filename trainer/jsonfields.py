"""A "did you mean" for a misspelt field of a JSON line, for the readers of `trainer score` and `trainer
eval` (trainer.scoring.commands, trainer.scoring.evaluate), which say it where they find the field missing.

    field_hint({"txt": "Hello"}, ("text",))   -> 'did you mean "text" instead of "txt"?'
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any


def field_hint(obj: Mapping[str, Any], wanted: tuple[str, ...], known: tuple[str, ...] = ()) -> str | None:
    """'did you mean "text" instead of "txt"?' for the first wanted field missing from `obj` with a key
    close to it (keys that are fields in their own right, `known`, are not suggested away); None when
    none is."""
    for field in wanted:
        if field in obj:
            continue
        others = [k for k in obj if isinstance(k, str) and k not in known and k not in wanted]
        close = difflib.get_close_matches(field, others, n=1, cutoff=0.6)
        if not close:
            close = [k for k in others if k.strip().lower() == field]
        if close:
            return f'did you mean "{field}" instead of "{close[0]}"?'
    return None
