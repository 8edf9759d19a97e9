"""Which scenario a handed-in session was played on, so that the cohort report pools a scenario's sessions
and only them.

An export names its scenario by id (the scenario file's name, e.g. `first-visit`) and title, and carries
the service user's name, the meeting's setting and the moments (node ids) the student's replies answered;
no version and no hash of the scenario. Two educators who both wrote a `first-visit.yaml` give two
different scenarios one id, and pooling by id mixed their figures in one row. So sessions are pooled by id
*and* title (compared with the service user's name taken out, as a redacted copy shows it, ignoring case
and spaces): `pool` gives each session a key, the id itself when the id names one scenario, and
`SAME_ID` notices say which ids were split and what to do. Sessions with one id and one title that still
name different service users or settings cannot be told apart from the export: they stay pooled and a
notice says so. `pick` chooses, among the educator's scenarios with the id, the one a group was played on
(for the map of moments): the one with the same title, else one that has every moment the sessions
visited (a title changed since), else none.

Used by trainer.educator.cohort. Imports the debrief's model and redactor and the scenario schema only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.debrief.model import Debrief
from trainer.debrief.redact import SERVICE_USER, Redactor
from trainer.educator.ingest import Notice
from trainer.scenario.schema import Scenario

SAME_ID = "same-id"


def _tidy(text: str) -> str:
    return " ".join(text.split()).casefold()


def _without_name(text: str, name: str | None) -> str:
    """`text` with the service user's name (and personal details) as a redacted export shows them."""
    names = {name: SERVICE_USER} if name and name != SERVICE_USER else {}
    return _tidy(Redactor(names, pii=True).text(text))


def title_key(debrief: Debrief) -> str:
    """The scenario's title as compared: "At the door with [service user]" for "At the door with Marcia"
    (named copy) and for the redacted copy alike."""
    return _without_name(debrief.scenario_title, debrief.service_user)


def scenario_title_key(scenario: Scenario) -> str:
    """title_key for the educator's own copy of a scenario."""
    return _without_name(scenario.title, scenario.service_user.name)


@dataclass(frozen=True)
class Pooled:
    """Which sessions count as one scenario in the report."""

    keys: list[str]
    """One per debrief given, in order: its scenario id, or "ID#2" when the id names several scenarios."""
    notices: list[Notice]


def pool(debriefs: Sequence[Debrief], files: Sequence[str]) -> Pooled:
    """Key each session by its scenario id and title (see the module's docstring); `files` are the
    sessions' files, for the notices."""
    groups: dict[str, dict[str, list[int]]] = {}
    for i, d in enumerate(debriefs):
        groups.setdefault(d.scenario_id, {}).setdefault(title_key(d), []).append(i)
    keys = [d.scenario_id for d in debriefs]
    notices: list[Notice] = []
    for sid, titles in groups.items():
        if len(titles) > 1:
            for n, members in enumerate(titles.values(), 1):
                for i in members:
                    keys[i] = f"{sid}#{n}"
            notices.append(_split(sid, [[debriefs[i] for i in m] for m in titles.values()],
                                  [files[i] for m in titles.values() for i in m]))
        for members in titles.values():
            mixed = _mixed([debriefs[i] for i in members])
            if mixed:
                title = debriefs[members[0]].scenario_title
                notices.append(Notice(
                    SAME_ID, files[members[0]],
                    f"{len(members)} sessions of scenario '{sid}' (\u201c{title}\u201d) name {mixed}: "
                    "they may come from two different scenarios with the same id and title, which the "
                    "exports cannot tell apart, so they are counted together. Ask the students which "
                    "scenario file they played; give each scenario a file name (its id) of its own and a "
                    "title of its own.",
                    files=tuple(files[i] for i in members[1:])))
    return Pooled(keys, notices)


def _split(sid: str, groups: list[list[Debrief]], files: list[str]) -> Notice:
    said = "; ".join(f"\u201c{g[0].scenario_title}\u201d ({len(g)} session(s))" for g in groups)
    return Notice(
        SAME_ID, files[0],
        f"{len(groups)} scenarios with different titles share the id '{sid}': {said}. Each is reported on "
        "its own, by title, so their figures are not mixed. If they are one scenario whose title was "
        "changed, read their rows together; if they are different scenarios (two authors' files with "
        "one name), give each file a name (its id) of its own before students play them.",
        files=tuple(files[1:]))


def _mixed(group: list[Debrief]) -> str:
    """What shows that sessions of one id and title were played on different scenarios ("2 different
    service users (Marcia, Rose)"), or ""."""
    people = sorted({d.service_user for d in group if d.service_user and d.service_user != SERVICE_USER})
    settings = {_without_name(d.meeting.setting, d.service_user) for d in group if d.meeting}
    if len(people) > 1:
        return f"{len(people)} different service users ({', '.join(people)})"
    if len(settings) > 1:
        return f"{len(settings)} different settings"
    return ""


def pick(candidates: Sequence[Scenario], group: Sequence[Debrief]) -> Scenario | None:
    """Of the educator's scenarios with the group's id (later ones first choice, as a later --scenarios
    folder wins), the one the group was played on: same title; else one that has every moment the
    sessions' replies answered (its title changed since); else None."""
    if not group:
        return None
    title = title_key(group[0])
    for scenario in reversed(candidates):
        if scenario_title_key(scenario) == title:
            return scenario
    visited = {line.node for d in group for line in d.transcript if line.speaker == "learner"}
    for scenario in reversed(candidates):
        if visited <= set(scenario.nodes):
            return scenario
    return None
