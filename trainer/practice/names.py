"""Names the learner calls someone by that are no one in the scenario.

    check_names("Mr Hughes? We've had a referral about your son Mason.", scenario)
    -> "Check the names: no one called Hughes or Mason is in this meeting (you are meeting Mark Ellison)."

Calling the person by someone else's name, or the child by the wrong one, is what a practice educator
notices first at a door; the scorer cannot, because it does not know who is in the scenario. A name counts
only where the words say it is one: after a title at the start ("Mr Hughes?", not "Dr Patel at the
school"), after a greeting at the start ("Hi Sarah", not "Hi, Priya here"), or after a relation ("your son
Mason"). It is unknown when no word of the scenario (the profile, every line, option, model answer, tip and
note) is that name, so names written anywhere in the scenario are never questioned. Used by
`trainer.practice.coaching.reply_note` for every front end.
"""

from __future__ import annotations

import re
from functools import lru_cache

from trainer.scenario.schema import Scenario

_NAME = r"([A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?)"
_GREETING = r"(?i:hi|hello|hiya|hey|morning|good morning|good afternoon|afternoon)"
# A title only where the person is addressed: at the start, or after a greeting ("Mr Hughes?", "Hello Mrs
# Khan"), not a third party the reply mentions ("Oscar's teacher Mrs Khan", "Dr Patel at the school").
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+"
_TITLED = re.compile(rf"^\W*(?:{_GREETING}\b[\s,!]+{_TITLE}{_NAME}|{_TITLE}{_NAME}(?=\s*(?:[?,!.]|$)))")
# A greeting's name, unless the learner is naming themselves ("Hi, Priya here", "Hello, Sam from...").
_GREETED = re.compile(rf"^\W*{_GREETING}\b[\s,!]+{_NAME}\b(?![\s,]+(?i:here|from|speaking|calling)\b)")
_RELATED = re.compile(
    rf"\b(?i:your|his|her|their)\s+(?i:son|daughter|boy|girl|baby|child|little one|mum|mom|dad|husband|wife|"
    rf"partner|brother|sister|nan|gran|grandad|grandson|granddaughter)\s*,?\s+{_NAME}"
)
_NOT_NAMES = frozenset({"there", "again", "everyone", "all", "both", "guys", "love", "mate", "pal", "sir",
                        "madam", "darling", "sweetheart", "hun", "it", "i", "its", "im", "is", "and", "the",
                        "mr", "mrs", "ms", "miss", "mx", "dr"})


@lru_cache(maxsize=32)
def _known(scenario_json: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", scenario_json))


def unknown_names(reply: str, scenario: Scenario) -> list[str]:
    """The names in `reply` (after a title, a greeting or a relation) that no word of `scenario` is, in
    the order written, each once."""
    found: list[str] = []
    for pattern in (_TITLED, _GREETED, _RELATED):
        for match in pattern.finditer(reply):
            name = next(g for g in match.groups() if g)
            if name.lower() not in _NOT_NAMES and name not in found:
                found.append(name)
    if not found:
        return []
    known = _known(scenario.model_dump_json())
    return [n for n in found if not set(re.findall(r"[a-z]+", n.lower())) <= known]


def check_names(reply: str, scenario: Scenario) -> str | None:
    """A note for the learner when `reply` calls someone by a name that is no one in the scenario, else
    None."""
    names = unknown_names(reply, scenario)
    if not names:
        return None
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return (f"Check the names: no one called {said} is in this meeting (you are meeting "
            f"{scenario.service_user.name}).")
