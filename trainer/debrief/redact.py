"""Redaction for exports: the service user's and the learner's names, and the personal details a student
might type (phone numbers, e-mail addresses, street addresses and postcodes, dates of birth), replaced
everywhere.

What is matched (PII_PATTERNS), each replaced by a bracketed label:
- **phone numbers**: UK numbers in any usual spacing (07700 900123, 07700-900-123, +44 7700 900123,
  (020) 7946 0018, 0161 496 0000) and other international numbers (+ and 9 to 15 digits); not short
  numbers like 999, 111 or a year;
- **e-mail addresses**: name@domain.tld;
- **street addresses**: a house number and a street name ending in a street word (12 Acacia Avenue,
  Flat 3, 45b Mill Lane, "12 acacia road" typed in lower case, but not "5 minutes down the road"), and UK
  postcodes (M1 1AE, SW1A 2AA, sw1a 2aa; run together only in capitals,
  M11AE, so that a section of an Act such as "s17ZA" is not taken for one);
- **dates of birth**: dates with a year (12/03/1984, 12-3-84, 12 March 1984, March 12th 1984), and any
  date after "born", "DOB" or "date of birth". A date with a year in a first meeting is almost always a
  birth date; the export says dates were removed, whichever they were.
- **other people's names**, where the words around them say they are names: after a title ("Mr Hughes",
  "dr patel"); after a relation or a role (`RELATIONS`: "my aunt Joan Smith", "her brother Tom", "our GP Dr
  Patel"), in lower case too, as students type in a hurry ("my son jake has stopped going", "her boyfriend
  dean smith", "our gp dr patel"), where a lower-case word is a name unless it is an ordinary English word
  ("my son is fine", "my son aged 9", "my son reckons" are kept; "will" and "may" only before a verb: "my
  son will be fine"); in apposition after a relation or a role ("the nurse, angela, said", "the boys' dad,
  dean, left"), and straight after "the" and a role ("the nurse angela said"); before "'s" and a relation
  ("Grace's mum", "dean's dad", and "Sarah and Grace's mum"); and after "is called" or "name is" ("her
  name is kayleigh"). The cue stays ("my aunt [name]", "[name]'s mum"). A name found once by its cue is
  redacted everywhere else in the same document, where it has no cue ("my friend Grace" in one reply,
  "Grace rang me yesterday" in another): in any case, or, for a name that is also a word ("Grace", "Will"),
  only capitalised ("with grace", "I will" stay); not in the scenario's title and meeting (`_AUTHORED`).
  Words that are also first names ("my son mark") and verbs too rare for the list ("my son skateboards")
  are redacted: over-redacting a word is preferred to leaking a name (`othernames` says what is
  ordinary). A name typed with nothing of
  the kind around it cannot be told from a word, and "Mr Men" is taken for one.
- **the other people the scenario names** (`Debrief.people`: the scenario's `service_user.people`, and the
  names its own text shows by their cue, `scenario_people`), redacted everywhere as a name found by its cue
  is, from the first line on: "Kai's on his own" in the service user's line and "without Joan" in a reply.
`Redactor.found` records what was replaced, so the export can say what was redacted (`redaction_note`).

"Everywhere" means every text in the debrief, the raw run state included, and inside transcript text;
evidence offsets are moved to match the shortened or lengthened text, so the marks still cover the same
words. Matching is on whole words: the full name, and each part of it ("Sarah", "Jones", "Jones's", and
"sarahs" for a possessive typed without its apostrophe),
case-insensitively so that a lower-case "sarah" typed in a hurry is caught too. Parts that are also common
English words ("Will", "Hope", "May") are matched only when capitalised, so "I will" survives; titles
(Mr, Mrs, Ms, Dr...) are left as they are. Accents may be left off when typing: "zoe" is "Zoë", "Ni" is "Ní".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from trainer.debrief.model import Debrief
from trainer.debrief.othernames import NAME_WORDS, ORDINARY, is_ordinary, joined_names, other_names
from trainer.debrief.othernames import RELATIONS as RELATIONS  # the relation words, for tests and callers
from trainer.scenario.schema import Scenario

SERVICE_USER = "[service user]"
LEARNER = "[learner]"
UNKNOWN_LEARNER = (
    "your name is not known (not on the session, not in your settings), so it could not be redacted where "
    "you typed it (e.g. \"I'm Alex from ...\"): check your replies before sharing, or set your name (/name "
    "in `trainer play --plain`, or Settings in the app) and export again."
)
"""What to tell the learner, where they see it, when a redacted export is made without their name."""

_STREET = (r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|place|pl|gardens|"
           r"terrace|grove|square|sq|walk|row|mews|parade|park|rise|hill|view|green|estate|house|flats|towers)")
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
#: Words that never name a street, so that a lower-case street name ("12 acacia road") can be matched
#: without taking "5 minutes down the road" or "2 doors up the hill" for an address.
_NOT_STREET_NAME = (r"(?:the|a|an|of|on|in|at|to|up|down|from|by|near|off|along|round|around|and|or|but|"
                    r"my|your|his|her|our|their|this|that|is|was|are|were|it|its|mins?|minutes?|hours?|"
                    r"days?|weeks?|months?|years?|times?|doors?|houses?|miles?|metres?|yards?|stops?|"
                    r"streets?|roads?)")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|"
         rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}|"
         rf"{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})")

#: Someone else's name after a title ("Dr Patel", "Mrs Hughes"); only the name is replaced (group `who`).
#: Names after a relation ("my son jake", "our GP Dr Patel") are found by `othernames.other_names`.
_OTHER_NAME = (r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?\s+"
               r"(?!I\b|I['’]|(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\b)(?P<who>[A-Z][\w'’-]+(?:\s+(?!I\b|I['’])[A-Z][\w'’-]+)?)")

#: Kind -> (regex, the label that replaces it, how the export names one, and several).
PII_PATTERNS: dict[str, tuple[str, str, str, str]] = {
    "email": (r"(?i:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", "[e-mail]", "e-mail address", "e-mail addresses"),
    "dob": (rf"(?i:(?:born(?:\s+on)?|d\.?o\.?b\.?:?|date of birth(?:\s+is)?:?)\s*"
            rf"(?:{_DATE}|\d{{1,2}}(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?{_MONTHS}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?)|{_DATE})",
            "[date of birth]", "date of birth", "dates of birth"),
    "phone": (r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){7,13}|"
              r"\(0\d{2,4}\)[\s-]?\d{3,4}[\s-]?\d{3,4}|"
              r"0\d(?:[\s-]?\d){8,9})(?![\w])",
              "[phone]", "phone number", "phone numbers"),
    "address": (rf"(?i:flat|apartment|apt|unit)\s+\d+[a-zA-Z]?\b,?|"
                rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:(?:[A-Z][\w'-]+|(?!{_NOT_STREET_NAME}\b)[a-z][\w'-]+)\s+){{1,3}}"
                rf"(?i:{_STREET})\b|\b(?i:[a-z]{{1,2}}\d[a-z\d]?\s+\d[a-z]{{2}})\b|"
                rf"\b[A-Z]{{1,2}}\d[A-Z\d]?\d[A-Z]{{2}}\b",
                "[address]", "street address or postcode",
                "street addresses or postcodes"),
    "other_name": (_OTHER_NAME, "[name]", "other person's name", "other people's names"),
}

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev", "auntie",
           "uncle"}  # fmt: skip
_COMMON = {
    "will", "hope", "may", "june", "april", "grace", "faith", "joy", "rose", "mark", "bill", "pat", "sue",
    "jack", "art", "dawn", "summer", "king", "page", "brown", "white", "green", "black", "young", "hall",
    "wood", "hill", "bell", "rich", "frank", "ray", "sunny", "sky", "dot", "penny", "ivy", "holly", "amber",
    "jean", "victor", "guy", "carol", "chase", "drew", "gene", "lee", "long", "short", "little", "head",
}  # fmt: skip

#: Keys whose values are vocabulary, ids or numbers, never names: a plain value under one is left alone
#: (`"outcome": "built"`); a list or object under one (the debrief's `outcome` with its title and note) is
#: walked like any other, so no student-visible text escapes redaction by the name of its key.
_KEEP = {"signal", "signals", "rule", "source", "speaker", "present", "cues", "outcome", "skill", "counter",
         "id", "format", "wrong", "missing", "labels", "node", "started_at", "updated_at", "time",
         "created_at", "kind", "run_id", "scenario_id", "session_id", "acts", "act"}  # fmt: skip
#: What the scenario's author wrote about the meeting, the same for every student: the names learned from
#: the words around them elsewhere (`Redactor.learn`) are not applied here, so a redacted copy's title and
#: setting stay as the named copy's (the cohort report matches copies by them); a cue in them still counts.
_AUTHORED = {"scenario_title", "meeting"}


def _kept(key: str, value: Any) -> bool:
    """Whether a value is kept as it is, unread (an id, a signal name...), by `Redactor.learn` and `walk`."""
    return key in _KEEP and not isinstance(value, (dict, list))


def _fold(text: str) -> str:
    """Lower case without accents ("Zoë Ní" -> "zoe ni"), for looking a matched name up."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def _letters(token: str) -> str:
    """A regex for `token` in which an accented letter may also be typed without its accent."""
    out = []
    for char in token:
        base = _fold(char)
        accented = base and base != char.lower()  # matched case-insensitively: "Ë" or "e" for "ë"
        out.append(f"[{re.escape(char)}{re.escape(base)}]" if accented else re.escape(char))
    return "".join(out)


def name_pattern(names: Mapping[str, str]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A regex matching every form of the given names, and a map from the lower-cased match to its
    replacement. `names` maps a full name to what replaces it. None when there is nothing to match."""
    alternatives: list[tuple[str, str]] = []  # (regex, replacement)
    lookup: dict[str, str] = {}
    for full, replacement in names.items():
        # What is in square brackets is not a name: markup typed into the name ("[bold]Zoë[/]") or pronouns
        # ("Sam [she/her]"); the words around it are.
        tokens = [t for t in re.split(r"\s+", re.sub(r"\[[^\]]*\]", " ", full).strip()) if t]
        if not tokens:
            continue
        if any(t.strip(".,").lower() in _COMMON for t in tokens):
            forms = [[t.capitalize() for t in tokens], [t.upper() for t in tokens]]
            full_rx = "(?:" + "|".join(r"\s+".join(re.escape(t) for t in ts) for ts in forms) + ")"
        else:
            full_rx = r"(?i:" + r"\s+".join(_letters(t) for t in tokens) + ")"
        alternatives.append((full_rx, replacement))
        for token in tokens:
            bare = token.strip(".,")
            if len(bare) < 2 or bare.lower() in _TITLES:
                continue
            if bare.lower() in _COMMON:
                cased = f"(?:{re.escape(bare.capitalize())}|{re.escape(bare.upper())})"
                alternatives.append((cased, replacement))
            else:  # a possessive typed without its apostrophe, "marcias mum", is hers too
                plural = "(?:s)?" if len(bare) >= 3 else ""
                alternatives.append((r"(?i:" + _letters(bare) + plural + ")", replacement))
            lookup.setdefault(_fold(bare), replacement)
        lookup.setdefault(" ".join(_fold(t) for t in tokens), replacement)
    if not alternatives:
        return None
    alternatives.sort(key=lambda a: -len(a[0]))
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(a for a, _ in alternatives) + r")(?![\w])")
    return pattern, lookup


def matched_in_any_case(word: str) -> bool:
    """Whether a name learned from its cue (lower case) is matched elsewhere in any case ("jake" and
    "Jake"); a name that is also a word ("Grace", "Will", "Sunday", "Lee") is matched only capitalised, so
    "with grace" and "I will" survive."""
    return not (word in ORDINARY or word in NAME_WORDS or word in _COMMON or is_ordinary(word))


def _know(known: dict[str, tuple[str, bool]], name: str, *, declared: bool = False) -> None:
    """Add each word of a name found by its cue to `known`: lower case -> (as typed, matched in any case).
    A name the scenario `declared` (its `people`) is known even when it is also a word ("Grace"), then
    matched only capitalised."""
    for token in re.findall(r"[^\W\d_][\w'’-]*", name):
        bare = re.sub(r"['’]s?$", "", token)
        word = bare.lower()
        if len(bare) < 2 or word in _TITLES or (word in ORDINARY and not declared):
            continue  # an ordinary word taken for a name by its cue ("NHS") is not spread further
        anycase = matched_in_any_case(word)
        if word not in known or (anycase and not known[word][1]):
            known[word] = (bare, anycase)


@lru_cache(maxsize=256)
def _known_pattern(known: tuple[tuple[str, tuple[str, bool]], ...]) -> re.Pattern[str] | None:
    """A regex for the names learned (`_know`), standing as whole words (not inside "[name]")."""
    forms = []
    for word, (typed, anycase) in sorted(known, key=lambda kv: -len(kv[0])):
        if anycase:  # a possessive typed without its apostrophe, "jakes mum", is his too
            forms.append(r"(?i:" + _letters(typed) + ("(?:s)?" if len(word) >= 3 else "") + ")")
        else:
            forms.append(f"(?:{re.escape(word.capitalize())}|{re.escape(word.upper())})")
    return re.compile(r"(?<![\w'’\[])(?:" + "|".join(forms) + r")(?![\w\]])") if forms else None


def _apply(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) of `edits` (in order, not overlapping) applied."""
    pieces, last = [], 0
    for start, end, replacement in edits:
        pieces += [text[last:start], replacement]
        last = end
    return "".join(pieces) + text[last:]


class Redactor:
    """Replaces the names (and, with `pii`, the personal details of PII_PATTERNS) in strings, keeping
    offsets into them mappable; `found` collects what was replaced, by kind ("name", "phone", ...)."""

    def __init__(self, names: Mapping[str, str], *, pii: bool = False, people: Sequence[str] = ()) -> None:
        compiled = name_pattern({k: v for k, v in names.items() if k and k.strip()})
        parts = [f"(?P<{kind}>{rx})" for kind, (rx, _, _, _) in PII_PATTERNS.items()] if pii else []
        self._pattern: re.Pattern[str] | None = re.compile("|".join(parts)) if parts else None
        self._pii = pii
        # Names keep their own case rules ("Will" but not "will"), so they are matched on their own.
        self._names: re.Pattern[str] | None = compiled[0] if compiled else None
        self._lookup: dict[str, str] = compiled[1] if compiled else {}
        self.found: dict[str, set[str]] = {}
        self._known: dict[str, tuple[str, bool]] = {}  # learned name, lower case -> (as typed, any case)
        for person in people if pii else ():  # the people the scenario names are known from the start
            _know(self._known, person, declared=True)
        # `learn` and `walk` visit the same strings: the names their cues show are found once per string.
        self._cued: dict[str, list[tuple[int, int]]] = {}

    def _other_names(self, text: str) -> list[tuple[int, int]]:
        if text not in self._cued:
            self._cued[text] = other_names(text)
        return self._cued[text]

    def learn(self, obj: Any) -> None:
        """Learn the other people's names that the words around them show (`othernames.other_names`) in
        every string of a JSON-like value (as `walk` visits them), so that each is redacted everywhere the
        redactor goes, also where it has no cue: "my friend Grace" makes "Grace rang me yesterday" in
        another reply "[name] rang me yesterday". Only with `pii`."""
        if not self._pii:
            return
        if isinstance(obj, str):
            for start, end in self._other_names(obj):
                _know(self._known, obj[start:end])
        elif isinstance(obj, list):
            for item in obj:
                self.learn(item)
        elif isinstance(obj, dict):
            for key, value in obj.items():
                if not _kept(key, value):
                    self.learn(value)

    def _edits(self, text: str, *, known: bool = True) -> list[tuple[int, int, str]]:
        """(start, end, replacement) for every match, left to right; of overlapping matches the one starting
        first (then the longest) wins, so an e-mail address containing a name goes whole."""
        edits: list[tuple[int, int, str, str]] = []
        if self._names is not None:
            edits += [(m.start(), m.end(), self._name(m), "name") for m in self._names.finditer(text)]
        if self._pattern is not None:
            for m in self._pattern.finditer(text):
                kind = next((k for k in PII_PATTERNS if m.group(k) is not None), "email")
                start, end = (m.start("who"), m.end("who")) if kind == "other_name" else (m.start(), m.end())
                if kind == "other_name":  # "Mr Jones's son" -> "Mr [name]'s son"
                    end = start + len(re.sub(r"['’]s?$", "", m.group("who")))
                edits.append((start, end, PII_PATTERNS[kind][1], kind))
        if self._pii:
            label = PII_PATTERNS["other_name"][1]
            cued = self._other_names(text)
            edits += [(start, end, label, "other_name") for start, end in cued]
            # A name found by its cue is redacted wherever else it stands: in this text ("my friend Grace
            # came. Grace rang"), and, once `learn` has seen the whole document, in every other text.
            learned = dict(self._known) if known else {}
            for start, end in cued:
                _know(learned, text[start:end])
            rx = _known_pattern(tuple(sorted(learned.items())))
            if rx is not None:
                for m in rx.finditer(text):  # and a name joined to it: "liam and maisie"
                    spans = [m.span(), *joined_names(text, *m.span())]
                    edits += [(a, b, label, "other_name") for a, b in spans]
        # A piece of a phone number already found elsewhere ("call me on 07700" in an evidence reason,
        # where the rule's span stopped at the space): replaced too.
        found = [*self.found.get("phone", ()), *(text[a:b] for a, b, _, kind in edits if kind == "phone")]
        numbers = [re.sub(r"\D", "", n) for n in found]
        if numbers:
            for m in re.finditer(r"\d[\d -]{2,}\d", text):
                digits = re.sub(r"\D", "", m.group())
                if len(digits) >= 4 and any(digits in n for n in numbers):
                    edits.append((m.start(), m.end(), PII_PATTERNS["phone"][1], "phone"))
        out: list[tuple[int, int, str]] = []
        end = -1
        for start, stop, replacement, kind in sorted(edits, key=lambda e: (e[0], -e[1])):
            if start < end:
                continue
            out.append((start, stop, replacement))
            key = kind if kind != "name" else replacement
            self.found.setdefault(key, set()).add(text[start:stop].lower())
            end = stop
        return out

    def _name(self, match: re.Match[str]) -> str:
        typed = " ".join(_fold(match.group(0)).split())
        found = self._lookup.get(typed) or self._lookup.get(typed[:-1] if typed.endswith("s") else typed)
        return found or SERVICE_USER

    def text(self, text: str, *, known: bool = True) -> str:
        """The text with the names (and personal details) replaced; with `known`, the names `learn`ed
        from the rest of the document too."""
        return _apply(text, self._edits(text, known=known))

    def with_offsets(self, text: str, *, known: bool = True) -> tuple[str, Callable[[int, bool], int]]:
        """The redacted text, and a function moving an offset in the old text to the new one (a span
        boundary inside a name moves to that name's replacement's start, or end for an end offset)."""
        edits = self._edits(text, known=known)
        if not edits:
            return text, lambda offset, is_end: offset
        new = _apply(text, edits)

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

    def walk(self, obj: Any, *, known: bool = True) -> Any:
        """A copy of a JSON-like value with every string redacted and evidence offsets moved; the names
        `learn`ed are applied everywhere but under the `_AUTHORED` keys."""
        if isinstance(obj, str):
            return self.text(obj, known=known)
        if isinstance(obj, list):
            return [self.walk(item, known=known) for item in obj]
        if not isinstance(obj, dict):
            return obj
        out: dict[str, Any] = {}
        spans = self._spans(obj) if isinstance(obj.get("text"), str) else []
        moved: dict[int, tuple[int, int, str]] = {}
        if spans:
            new_text, move = self.with_offsets(obj["text"], known=known)
            for span in spans:
                start, end = span.get("start"), span.get("end")
                if isinstance(start, int) and isinstance(end, int):
                    s, e = move(start, False), move(end, True)
                    moved[id(span)] = (s, e, new_text[s:e])
        for key, value in obj.items():
            out[key] = value if _kept(key, value) else self.walk(value, known=known and key not in _AUTHORED)
        if moved:
            # Offsets are fixed on the walked copies, which sit where the originals did.
            for original, copy in zip(spans, self._spans(out), strict=True):
                if id(original) in moved:
                    copy["start"], copy["end"], copy["text"] = moved[id(original)]
        return out


def scenario_people(scenario: Scenario) -> list[str]:
    """The other people a scenario names, for `Debrief.people`: its `service_user.people`, then the names
    its own text shows by the words around them ("her brother Kai (7)", "married to Joan"), found as in a
    reply (`Redactor.learn`), so that a scenario that does not list its people yet is redacted too. The
    service user's own name is redacted as theirs, not listed here."""
    redactor = Redactor({scenario.service_user.name: SERVICE_USER}, pii=True)
    redactor.learn(scenario.model_dump(mode="json"))
    own = {_fold(word) for word in scenario.service_user.name.split()}
    people = list(scenario.service_user.people)
    listed = {_fold(word) for person in people for word in person.split()}
    people += [typed for word, (typed, _) in redactor._known.items() if _fold(word) not in own | listed]
    return people


def redact(debrief: Debrief, *, learner_name: str | None = None, pii: bool = True) -> Debrief:
    """A copy of the debrief with the service user's and the learner's names, and (with `pii`) the personal
    details of PII_PATTERNS, replaced everywhere; a note in `notes` says what was redacted.

    `learner_name` is used when the debrief has none (the name in the student's settings)."""
    learner = debrief.learner_name or learner_name
    names: dict[str, str] = {}
    if debrief.service_user:
        names[debrief.service_user] = SERVICE_USER
    if learner:
        names[learner] = LEARNER
    redactor = Redactor(names, pii=pii, people=debrief.people)
    dumped = debrief.model_dump(mode="json", by_alias=True)
    redactor.learn(dumped)  # a name found once by its cue is redacted everywhere in the export
    data = redactor.walk(dumped)
    data["service_user"] = SERVICE_USER if debrief.service_user else None
    data["learner_name"] = LEARNER if learner else None
    data["people"] = []
    notes = [*data["notes"], redaction_note(redactor.found, learner is not None)]
    if not debrief.service_user:
        notes.append("The service user's name is not known here, so it could not be redacted.")
    data["notes"] = notes
    return Debrief.model_validate(data)


def redaction_note(found: Mapping[str, set[str]], learner_known: bool) -> str:
    """What was redacted, for the reader of the export: "Redacted: the service user's name, your name, one
    phone number (shown as [phone])."."""
    parts = ["the service user's name"]
    parts.append("your name" if learner_known else "your name (not known: set it in the settings)")
    for kind, (_, label, one, many) in PII_PATTERNS.items():
        n = len(found.get(kind, ()))
        if n:
            parts.append(f"{n} {one if n == 1 else many} (shown as {label})")
    return "Redacted: " + ", ".join(parts) + ". Other personal details typed in replies may remain: check " \
        "before sharing."
