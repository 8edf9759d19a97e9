"""The student's self-assessment, taken before any score is shown.

The student rates themselves 1-5 on the three skills the debrief reports (empathy, purpose-setting,
boundaries) and answers two use-of-self prompts (Wilson et al., 2011: "what is happening for the service
user and what is happening to you"). Every part may be skipped, and skipping is recorded so the debrief
can say so rather than pretend a rating exists.

The rating descriptors live here, in one place: the self-assessment screen shows them, the debrief and
the exports quote them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The skills the student rates and the debrief scores, in display order.
SKILLS: tuple[str, ...] = ("empathy", "purpose", "boundaries")

#: How each skill is named to the student.
SKILL_NAMES: dict[str, str] = {
    "empathy": "Empathy (not sympathy)",
    "purpose": "Purpose-setting",
    "boundaries": "Boundaries (not overstepping)",
}

#: The question asked for each skill before the levels.
SKILL_QUESTIONS: dict[str, str] = {
    "empathy": "How well did you show that you understood what the person felt and meant?",
    "purpose": "How clearly did you say why you were meeting, what you needed to achieve and what happens "
    "next?",
    "boundaries": "How clearly did you keep and explain the professional frame?",
}

#: What each level 1-5 means, per skill. Written for students; reused by the UI and the exports.
DESCRIPTORS: dict[str, dict[int, str]] = {
    "empathy": {
        1: "I mostly asked questions, advised or reassured; I did not say back what they felt or meant.",
        2: "I said I understood, or said how sorry I was, but rarely put their feelings into words.",
        3: "I reflected some of what they said, but missed the feelings behind the main moments.",
        4: "I reflected feeling and meaning at most key moments and checked I had understood.",
        5: "I consistently put their feelings and meaning into words, tentatively, and checked back, "
        "without slipping into pity or reassurance.",
    },
    "purpose": {
        1: "I did not say why I was there.",
        2: "I mentioned why I was there only vaguely (\"I'm here to help\"), or late.",
        3: "I explained why I was there, but not what we needed to do today or what happens next.",
        4: "Early on I explained why I was there and what we needed to achieve today.",
        5: "Early on I explained why I was there, what we needed to achieve, how long we had and what "
        "happens next, and invited them to shape the agenda.",
    },
    "boundaries": {
        1: "I offered something outside my role (friendship, my number, secrecy, a favour).",
        2: "I did not overstep, but I did not explain my role or its limits when it mattered.",
        3: "I explained part of the frame (my role or confidentiality) when asked.",
        4: "I explained my role, that I represent my agency, and the limits of confidentiality.",
        5: "I set out the frame clearly and kindly before it was tested: role, agency and manager, "
        "confidentiality and its limits, availability and the ending.",
    },
}

#: The two use-of-self prompts.
USE_OF_SELF_PROMPTS: dict[str, str] = {
    "service_user": "What do you think was happening for the service user?",
    "self": "What was happening for you during the meeting?",
}


class SelfAssessment(BaseModel):
    """What the student said about their own performance. Any part may be missing (skipped)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    skipped: bool = False
    """True when the student skipped the whole self-assessment."""
    ratings: dict[str, int | None] = Field(default_factory=dict)
    """Skill -> 1-5, or None (or absent) when that rating was skipped."""
    service_user: str | None = None
    """Answer to "what was happening for the service user" (None when skipped)."""
    self_: str | None = Field(default=None, alias="self")
    """Answer to "what was happening for you" (None when skipped)."""

    @field_validator("ratings")
    @classmethod
    def _valid_ratings(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        for skill, rating in value.items():
            if skill not in SKILLS:
                raise ValueError(f"unknown skill {skill!r}: rate one of {', '.join(SKILLS)}")
            if rating is not None and not 1 <= rating <= 5:
                raise ValueError(f"the rating for {skill} must be 1 to 5, not {rating}")
        return value

    @field_validator("service_user", "self_")
    @classmethod
    def _blank_is_skipped(cls, value: str | None) -> str | None:
        # An answer of only spaces is a skipped answer, not an empty reflection.
        return value.strip() or None if value is not None else None

    @classmethod
    def skip(cls) -> SelfAssessment:
        """The self-assessment the student chose to skip entirely."""
        return cls(skipped=True)

    def rating(self, skill: str) -> int | None:
        """The student's 1-5 rating of a skill, or None when it was not given."""
        if self.skipped:
            return None
        return self.ratings.get(skill)

    def skipped_parts(self) -> list[str]:
        """Plain-words names of what was skipped, e.g. ["the boundaries rating", "what was happening for
        you"]."""
        if self.skipped:
            return ["the whole self-assessment"]
        parts = [f"the {short_name(s)} rating" for s in SKILLS if self.rating(s) is None]
        if self.service_user is None:
            parts.append("what was happening for the service user")
        if self.self_ is None:
            parts.append("what was happening for you")
        return parts

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready mapping (with "self" spelt as in the prompts)."""
        return self.model_dump(mode="json", by_alias=True)


def short_name(skill: str) -> str:
    """The skill's name in a sentence: "empathy", "purpose-setting", "boundaries"."""
    return SKILL_NAMES[skill].split(" (")[0].lower()


def describe(skill: str, level: int) -> str:
    """The descriptor of one level of one skill, e.g. describe("purpose", 3)."""
    return DESCRIPTORS[skill][level]
