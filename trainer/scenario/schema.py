"""The scenario format: pydantic models of what an educator writes in a YAML file.

Used by the loader (which turns YAML into these models and reports problems with line numbers), by the
engine (which plays them) and by `trainer schema` (which writes the JSON Schema editors use to
autocomplete). Every field an author writes has a docstring: it becomes the description an editor shows.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

SCHEMA_VERSION = 1

#: The signals the scorer rates every reply on. Conditions may name only these.
SIGNALS: tuple[str, ...] = ("empathy", "sympathy", "purpose", "boundaries", "overstep")

#: What a cue can be the same as in the debrief's own per-skill judgement (a cue's `skill`): a part of the
#: purpose (trainer.debrief.moments.PURPOSE_PARTS), the limits of confidentiality stated, or the frame stated
#: at a test of one kind (trainer.debrief.moments.FRAME_TESTS).
CueSkill = Literal[
    "purpose:who", "purpose:why", "purpose:achieve", "purpose:how_long", "purpose:next",
    "boundaries:limits", "boundaries:secrecy", "boundaries:gift or money",
    "boundaries:friendship or contact", "boundaries:touch", "boundaries:availability",
]  # fmt: skip
CUE_SKILLS: tuple[str, ...] = get_args(CueSkill)

#: How a cue treats a reply that says its words only to refuse or deny them (`trainer.scenario.negation`).
#: None (not written) is left out of a dump, so a scenario snapshot reads back in an older trainer.
CueNegated = Annotated[
    Literal["ignore", "match"] | None,
    WithJsonSchema({"enum": ["ignore", "match"]}),
    Field(exclude_if=lambda value: value is None),
]

#: Variables every scenario has, each 0-10, without declaring them.
BUILTIN_VARIABLES: dict[str, int] = {"trust": 5, "distress": 5}
VARIABLE_MIN, VARIABLE_MAX = 0, 10

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1)]
# Numbers are strict: YAML reads true/false (and a date) as what they are, and a boolean is never taken as
# 1 or 0, nor a fraction as a whole number (the loader says so, SCN022). A whole number is a valid Number.
WholeNumber = Annotated[int, Strict()]
Number = Annotated[float, Strict()]


def _named(value: Any) -> Any:
    """A `speaker` written must name someone: an empty or blank one (or `speaker:` with nothing after it)
    is refused, where leaving the field out means the service user."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("this is empty: write who says the line, e.g. \"Minh (Lan's son)\", or leave "
                         "`speaker` out when the service user says it")
    return value.strip() if isinstance(value, str) else value


# Who says a line when it is not the service user: a name, never blank. The check runs before the type's,
# so that a blank one is reported in words (SCN022); in the JSON Schema it is text with something in it,
# so that an editor underlines a blank one too. None is only the default, for a field left out: it is left
# out of a dump too (a scenario snapshot in the history), so that the dump reads back.
Speaker = Annotated[
    str | None,
    BeforeValidator(_named),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": "\\S"}),
    Field(exclude_if=lambda name: name is None),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Difficulty(StrEnum):
    introductory = "introductory"
    intermediate = "intermediate"
    advanced = "advanced"


class Outcome(StrEnum):
    built = "built"
    partial = "partial"
    broke_down = "broke_down"
    boundary_crossed = "boundary_crossed"


class InputMode(StrEnum):
    free = "free"
    options = "options"
    both = "both"


class Condition(_Model):
    """One test, written as exactly one of `signal`, `cue`, `var`, `all`, `any` or `not`.

    Examples: `{signal: empathy}` (the reply shows empathy), `{signal: sympathy, min: 0.8}`,
    `{cue: mentions_school}`, `{var: trust, min: 6}`, `{not: {signal: purpose}}`,
    `{all: [{signal: empathy}, {var: trust, min: 4}]}`.
    """

    signal: str | None = None
    """A scorer signal: empathy, sympathy, purpose, boundaries or overstep. Holds when the reply's
    score is at least `min` and at most `max`; with neither, when it is present (0.5 or more)."""
    cue: Id | None = None
    """The id of one of this scenario's cues: holds when the reply matched it."""
    var: Id | None = None
    """A state variable (trust, distress, or one declared under `variables`), tested with min/max/equals."""
    min: Number | None = None
    """Lowest value that passes (inclusive). For a signal, a score 0-1; for a variable, a number."""
    max: Number | None = None
    """Highest value that passes (inclusive)."""
    equals: WholeNumber | None = None
    """For a variable: the exact value that passes."""
    all: list[Condition] | None = None
    """Holds when every condition in the list holds."""
    any: list[Condition] | None = None
    """Holds when at least one condition in the list holds."""
    not_: Condition | None = Field(default=None, alias="not")
    """Holds when the condition inside does not."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True
    )

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Condition:
        kinds = [k for k in ("signal", "cue", "var", "all", "any", "not_") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a condition needs exactly one of signal, cue, var, all, any or not"
                + (f" (found {', '.join(k.rstrip('_') for k in kinds)})" if kinds else "")
            )
        kind = kinds[0]
        if kind not in ("signal", "var") and (self.min is not None or self.max is not None):
            raise ValueError("min and max go with a signal or a var")
        if self.equals is not None and kind != "var":
            raise ValueError("equals goes with a var")
        return self


Effects = dict[Id, WholeNumber]
"""Changes to state variables: `{trust: 2, distress: -1}` adds to each (trust and distress stay 0-10)."""


class Variant(_Model):
    """Another way the service user says the line, used when its condition holds (first match wins)."""

    if_: Condition = Field(alias="if")
    """When to use this variant, e.g. `{var: trust, min: 6}`."""
    say: Text
    """What the service user says instead."""
    speaker: Speaker = None
    """Who says this variant's line, when not the node's speaker (see the node's `speaker`). Left out, the
    node's speaker says it; the service user's own name gives the line back to the service user."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True
    )


class Option(_Model):
    """A reply the learner can pick instead of typing. It is scored like a typed reply."""

    say: Text
    """The words the learner says when they pick this option."""
    goto: Id | None = None
    """Where the scenario goes next. Leave it out to let the node's `responses` decide from the scores."""
    effects: Effects = Field(default_factory=dict)
    """Changes to state when this option is picked, e.g. `{trust: 1}`."""
    if_: Condition | None = Field(default=None, alias="if")
    """Offer this option only when the condition holds."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True
    )


class Response(_Model):
    """A rule: if the learner's reply meets the condition, go to a node (the first rule that holds wins)."""

    if_: Condition = Field(alias="if")
    """The test on the reply's assessment or the state."""
    goto: Id
    """The node to go to."""
    effects: Effects = Field(default_factory=dict)
    """Changes to state when this rule fires, e.g. `{trust: 2, distress: -1}`."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True
    )


class Default(_Model):
    """Where to go when no rule holds."""

    goto: Id
    """The node to go to."""
    effects: Effects = Field(default_factory=dict)
    """Changes to state, e.g. `{trust: -1}`."""


class Ending(_Model):
    """Makes a node an ending: the conversation stops here and the debrief begins."""

    outcome: Outcome
    """built (the relationship is built), partial, broke_down, or boundary_crossed."""
    title: Text
    """A short name for this ending, shown to the learner."""
    note: Text
    """What the debrief says about this ending: why it happened and what it means for practice."""


class Risk(_Model):
    """Marks a node as a disclosure of risk, and says what a safe reply must include.

    Example: `{disclosure: "Two children, 8 and 5, alone overnight", safe_reply: [tell_manager_today,
    plan_tonight]}`. A reply is safe when it matches every cue in `safe_reply`, or the learner's
    consecutive replies at risk moments do between them (the engine counts their cues at a risk moment).
    `trainer validate` warns (SCN050) when a built ending can be reached from this node along a path on
    which no rule requires those cues, and `trainer rehearse --explore` reports the replies that do it.
    """

    disclosure: Text
    """What the service user has disclosed, in a few words, e.g. "two children alone overnight"."""
    safe_reply: list[Id] = Field(min_length=1)
    """The ids of the cues a safe reply must match, all of them, e.g. [tell_manager_today, plan_tonight].
    A reply that only empathises does not act on the risk."""


class Node(_Model):
    """One moment: the service user speaks (or someone else: see `speaker`), then the learner replies (or the
    scenario ends)."""

    say: Text
    """What the service user says (or does, in brackets)."""
    speaker: Speaker = None
    """Who says the line when it is someone other than the service user: the name the transcript shows
    before it, e.g. "Minh (Lan's son)". Left out, the service user says it. Give it only when the whole
    line is that person's words; a variant may have its own."""
    variants: list[Variant] = Field(default_factory=list)
    """Other versions of the line by state; the first whose condition holds is used."""
    input: InputMode | None = None
    """How the learner replies: free (typing), options (picking) or both. Default: free when there are
    no options, both when there are."""
    options: list[Option] = Field(default_factory=list)
    """Replies the learner can pick by number."""
    responses: list[Response] = Field(default_factory=list)
    """Rules tried in order on the learner's reply; the first that holds decides where to go."""
    default: Default | None = None
    """Where to go when no rule holds. Every node that is not an ending needs one."""
    ending: Ending | None = None
    """Makes this node an ending."""
    expect: list[str] = Field(default_factory=list)
    """Signals a good reply here shows (e.g. [empathy]); the debrief calls it a missed moment if absent."""
    model_answers: list[Text] = Field(default_factory=list)
    """Good replies an experienced practitioner might give here, shown in the debrief."""
    tip: str | None = None
    """A coaching tip for this moment, shown in coach mode and in the debrief."""
    risk: Risk | None = None
    """Marks this moment as a disclosure of risk, with the cues a safe reply must match (see `Risk`)."""
    references: list[Text] = Field(default_factory=list)
    """Short citations of the law, guidance or practice source behind this moment or ending, shown in the
    debrief, e.g. "Working Together to Safeguard Children 2023, ch. 3"."""

    @property
    def input_mode(self) -> InputMode:
        if self.input is not None:
            return self.input
        return InputMode.both if self.options else InputMode.free

    def say_lines(self) -> list[tuple[tuple[str | int, ...], str]]:
        """The node's `say` and each variant's `say`, with its path inside the node: ("say",) or
        ("variants", i, "say")."""
        return [(("say",), self.say), *((("variants", i, "say"), v.say) for i, v in enumerate(self.variants))]


class Profile(_Model):
    """Who the service user is."""

    name: Text
    """The name the learner will use."""
    age: WholeNumber | None = Field(default=None, ge=0, le=120)
    """Age in years."""
    pronouns: str | None = None
    """e.g. she/her."""
    situation: Text
    """Their circumstances, in a few sentences."""
    wants: Text
    """What they want from this meeting or from services."""
    fears: Text
    """What they are afraid of."""
    history: str | None = None
    """Anything else the learner should know: past contact with services, family, what matters to them."""
    people: list[Text] = Field(default_factory=list)
    """The other people the scenario names (family, friends, professionals), as its lines name them, e.g.
    ["Kai", "Grace", "Mr Patel"]: a redacted export replaces each wherever it stands, in the service
    user's lines and the learner's replies alike ("Kai's on his own" -> "[name]'s on his own")."""

    @model_validator(mode="after")
    def _people_are_names(self) -> Profile:
        own = {" ".join(self.name.split()).casefold(), *(w.casefold() for w in self.name.split())}
        seen: set[str] = set()
        problems = []
        for person in self.people:
            key = " ".join(person.split()).casefold()
            if not any(c.isalpha() for c in person):
                problems.append(f"{person!r} is not a name: write each person's name as the scenario's lines "
                                "use it, e.g. \"Kai\" or \"Mr Patel\"")
            elif key in seen:
                problems.append(f"{person!r} is listed twice")
            elif key in own:
                problems.append(f"{person!r} is the service user's own name, which is redacted already: "
                                "list only the other people the scenario names")
            seen.add(key)
        if problems:
            raise ValueError("`people`: " + "; ".join(problems))
        return self


class Cue(_Model):
    """A scenario-specific thing to listen for in the learner's reply, e.g. mentioning the school."""

    phrases: list[Text] = Field(default_factory=list)
    """Words or phrases, matched case-insensitively and in any form of their words ("speak to my manager"
    hears "speaking to my manager"), e.g. ["school", "teacher"]."""
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)
    """spaCy token patterns for finer matching, e.g. [[{LOWER: head}, {LOWER: teacher}]]."""
    description: str | None = None
    """What this cue means, for the debrief, e.g. "explains why the school called"."""
    missing_note: str | None = None
    """Said in the debrief when no reply matched this cue, e.g. "You never explained why the school
    called". A note that starts "If <what happened>, " (a disclosure, a request) is said only when that
    moment came in the run: the risk the cue makes safe, a rule that tests the cue, or else a line that
    uses the cue's words; it is then tied to that reply and the condition is replaced by what was said."""
    skill: CueSkill | None = None
    """What the cue is the same as in the debrief's own scores, e.g. "purpose:how_long" for "says how long
    the visit will take", "boundaries:limits" for "explains the limits of confidentiality", "boundaries:gift
    or money" for "declines the gift". When the scores credit it (the purpose part found in a reply, the
    limits of confidentiality stated, the frame stated at a test of that kind), the `missing_note` is not
    said: a reply that did it in other words than the cue's phrases is not told it never did."""
    matched_note: str | None = None
    """For a cue that hears what a reply should not do (jargon, a false promise): said in the debrief, at
    the reply, when a reply matched it, e.g. "You used words Naomi could not follow". Not matching such a
    cue is no miss: give it no `missing_note`."""
    negated: CueNegated = None
    """Whether a reply that says the cue's words only to refuse or deny them matches it: `ignore` for a cue
    that hears an act ("hug", "into a home", "nothing to worry about"), so that "I won't hug you" or "I'm
    not going to put you into a home" does not take the act's road; `match` for a cue whose words are the
    point however they are said ("I can't keep it secret" is the limits of confidentiality; naming her
    continence to her son is a breach even in "I can't tell you about the bed"). Left out, such a reply
    matches. `trainer validate` asks for it (SCN053) on a cue with a `matched_note`, or tested by a rule
    that ends the conversation."""

    @model_validator(mode="after")
    def _has_something(self) -> Cue:
        if not self.phrases and not self.patterns:
            raise ValueError("a cue needs at least one phrase or pattern")
        return self


class Scenario(_Model):
    """A role-play of a first meeting with a service user."""

    schema_version: int
    """The version of this format. Write 1."""
    title: Text
    """The name of the scenario, as students see it."""
    summary: Text
    """One or two sentences on what happens."""
    difficulty: Difficulty = Difficulty.introductory
    """introductory, intermediate or advanced."""
    setting: Text
    """Where and in what service this meeting takes place."""
    referral: str | None = None
    """Why you are visiting, as far as the referral says: shown in the briefing."""
    jurisdiction: str | None = None
    """Where the law and guidance this scenario cites apply, e.g. "England": shown in the briefing, so a
    learner elsewhere knows the law cited may not be theirs."""
    objectives: list[Text] = Field(min_length=1)
    """What the learner should practise, one per line."""
    service_user: Profile
    """Who the learner will meet."""
    variables: dict[Id, WholeNumber] = Field(default_factory=dict)
    """Your own state variables with their starting values. trust and distress (0-10, starting at 5)
    exist already; set them here to start elsewhere."""
    cues: dict[Id, Cue] = Field(default_factory=dict)
    """Things to listen for in this scenario, by id, usable in conditions (`{cue: id}`)."""
    start: Id
    """The id of the first node."""
    nodes: dict[Id, Node] = Field(min_length=1)
    """The moments of the conversation, by id."""
    references: list[Text] = Field(default_factory=list)
    """Short citations of the law, guidance and practice sources the whole scenario rests on, shown in the
    debrief, e.g. "Children Act 1989 s17"."""

    def jurisdiction_note(self) -> str | None:
        """The line the briefing shows about where the law cited applies, or None when not given, e.g.
        "The law and guidance in this scenario are England's: where you practise they may differ."."""
        if not self.jurisdiction:
            return None
        where = self.jurisdiction.strip()
        return f"The law and guidance in this scenario are {where}'s: where you practise they may differ."

    def initial_variables(self) -> dict[str, int]:
        """The state at the start: built-ins overridden by the scenario's own declarations."""
        return {**BUILTIN_VARIABLES, **self.variables}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the format, as editors use it (by alias: `if` and `not` appear as written)."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "trainer scenario"
    return schema
