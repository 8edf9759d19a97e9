"""Promises about privacy read with what follows them in the same reply.

"Most of what you say stays between us" alone promises a secrecy no worker can keep (an overstep); followed
by "but if you weren't safe, I couldn't keep it secret", it is confidentiality with its limits: the
professional frame. The rules component matches sentence by sentence; `limits_said` then reads the reply's
hits as a whole. Used by `trainer.scoring.components.RulesComponent`.
"""

from __future__ import annotations

from typing import Any

#: Flip rules whose promise is honest once its limits are said anywhere after it in the reply ("Most of
#: what you say stays between us. But if you weren't safe, I couldn't keep it secret.").
LIMITED_BY_WHAT_FOLLOWS: frozenset[str] = frozenset({"secrecy"})
#: The boundary rules that say those limits.
LIMITS: frozenset[str] = frozenset({"confidentiality", "honest_limits", "secrecy.negated", "records"})


def limits_said(
    hits: list[tuple[int, int, str, str, str]], rules: dict[str, dict[str, Any]]
) -> list[tuple[int, int, str, str, str]]:
    """Hits (start, end, signal, rule id, reason), in order, with each promise of LIMITED_BY_WHAT_FOLLOWS
    turned to its negated side when a LIMITS hit follows it: confidentiality with its limits is the frame,
    even when the limits come in the next sentence."""
    out = []
    for k, (start, end, signal, rule_id, reason) in enumerate(hits):
        if rule_id in LIMITED_BY_WHAT_FOLLOWS and any(h[3] in LIMITS for h in hits[k + 1 :]):
            signal, rule_id = rules[rule_id]["negated"]["signal"], f"{rule_id}.negated"
            reason = "'{text}' comes with its limits, said in the same reply"
        out.append((start, end, signal, rule_id, reason))
    return out
