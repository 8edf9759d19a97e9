"""A class's handed-in sessions, summed up for the practice educator.

    cohort = build_cohort([Path("handed-in/")], names=False)
    cohort.skill_stats()        # per scenario, per skill: the distribution of session scores
    cohort.calibration()        # self-ratings against the scores, per skill and per student
    cohort.moments(scenario_id) # per moment of a scenario: reached, expected skill shown, broke down here
    cohort.flags()              # every "I disagree" flag, with the reply and the corrected labels

Definitions (the report repeats them in plain words):
- A session's skill score (0-1) and its level on the 1-5 scale are the debrief's (trainer.debrief.compute).
- Calibration gap = the student's own rating minus the level their replies show. A session rates a skill
  *higher* when the gap is +2 or more and *lower* when it is -2 or less, as the debrief says it to the
  student (a gap of -1 to +1 is "within one level"); a student "rates higher" on a skill when their mean
  gap over their sessions is +2 or more, "rates slightly higher" when it is +1 or more.
- At a moment (scenario node) with `expect` signals, each expected skill is counted on its own: how many
  replies there showed it (scored 0.5 or above), e.g. "boundaries 1 of 2 replies, empathy 0 of 2 replies";
  the map shows beside it how many sessions reached the moment and how many replies they gave there.
- A conversation *broke down* at the moment of its last reply when it reached an ending whose outcome is
  broke_down or boundary_crossed; an unfinished session *stopped* at the moment it was left at.

Students are numbered (Student 1, 2, ... in order of their first session) unless `names` is set and the
export carries the student's name ("Unnamed student 1", ... for those that carry none). Sessions from the
same named student share a number either way; names are compared case- and space-insensitively. Without
`names`, quoted replies and reasons have the student's own name (where the export knows it) redacted.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trainer.debrief.model import Debrief, Line
from trainer.debrief.redact import LEARNER, SERVICE_USER, Redactor
from trainer.debrief.selfassess import SKILLS
from trainer.educator.identity import pick, pool, scenario_title_key, title_key
from trainer.educator.ingest import Loaded, Notice, best_spelling, discover, name_key, read_exports
from trainer.scenario.loader import load_all
from trainer.scenario.schema import Scenario
from trainer.scoring.api import SIGNALS

#: Outcomes that count as the conversation breaking down.
BREAKDOWNS = ("broke_down", "boundary_crossed")
#: Gap (rating - level) at which one session's self-rating is called higher / lower than the replies show.
SESSION_GAP = 2
#: Mean gap at which a student is said to rate a skill higher / lower than their replies show.
STUDENT_GAP = 1.0


@dataclass(frozen=True)
class Session:
    """One session in the report."""

    number: int
    """1-based, in order of when the sessions were played (S1, S2, ...)."""
    student: str
    """"Student 3", or the student's name with --names."""
    file: str
    debrief: Debrief
    scenario: Scenario | None
    """The educator's copy of the scenario, or None when they do not have it."""
    learner: str | None = None
    """The student's name as the export (or another copy of the session) gave it, for redaction."""
    scenario_key: str = ""
    """Which scenario the report pools it with: its id, or "ID#2" when two scenarios share the id
    (trainer.educator.identity); empty means the id."""

    @property
    def label(self) -> str:
        """"S3": this report's number for the session (by when it was played); `run` names it in any
        report."""
        return f"S{self.number}"

    @property
    def run(self) -> str:
        """The session's own id (its run id): the same in every report and in the student's export."""
        return self.debrief.run_state.run_id

    @property
    def key(self) -> str:
        return self.scenario_key or self.debrief.scenario_id

    @property
    def replies(self) -> list[Line]:
        return [line for line in self.debrief.transcript if line.speaker == "learner"]


@dataclass(frozen=True)
class SkillStats:
    """The distribution of one skill's session scores (0-1) over some sessions."""

    skill: str
    scores: list[float]
    levels: Counter[int]
    """How many sessions scored each level 1-5."""

    @property
    def n(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0


@dataclass(frozen=True)
class Calibration:
    """Self-ratings against scores for one skill (over all sessions, or one student's)."""

    skill: str
    gaps: list[int]
    """rating - level, one per session where the student gave a rating."""

    @property
    def rated(self) -> int:
        return len(self.gaps)

    @property
    def higher(self) -> int:
        return sum(g >= SESSION_GAP for g in self.gaps)

    @property
    def lower(self) -> int:
        return sum(g <= -SESSION_GAP for g in self.gaps)

    @property
    def close(self) -> int:
        return self.rated - self.higher - self.lower

    @property
    def mean_gap(self) -> float | None:
        return statistics.fmean(self.gaps) if self.gaps else None

    @property
    def verdict(self) -> str:
        """ "rates higher" / "rates lower" (mean gap SESSION_GAP or more, the gap a session is called
        higher at), "rates slightly higher" / "rates slightly lower" (STUDENT_GAP or more), "close" or
        "not rated" (for a student, by mean gap). One gap is never called both close and higher."""
        mean = self.mean_gap
        if mean is None:
            return "not rated"
        for limit, word in ((SESSION_GAP, ""), (STUDENT_GAP, "slightly ")):
            if mean >= limit:
                return f"rates {word}higher"
            if mean <= -limit:
                return f"rates {word}lower"
        return "close"


@dataclass
class Moment:
    """One moment (node) of a scenario, over the sessions that reached it."""

    node: str
    say: str
    expect: list[str]
    sessions: int = 0
    """Sessions with a reply at this moment."""
    replies: int = 0
    shown_by: Counter[str] = field(default_factory=Counter)
    """Expected signal -> replies here that showed it (only where the node expects some)."""
    broke_down: int = 0
    stopped: int = 0
    missed: Counter[str] = field(default_factory=Counter)
    """Missed-moment rule id -> sessions in which it fired here."""
    speaker: str | None = None
    """Who says the line when it is not the service user (the node's `speaker`)."""

    @property
    def line(self) -> str:
        """The line as the report shows it: "Minh (Lan's son): ..." when someone else says it."""
        return f"{self.speaker}: {self.say}" if self.speaker else self.say

    @property
    def shown_rate(self) -> float | None:
        """The share of replies here that showed the expected skills (the mean over the skills)."""
        if not self.expect or not self.replies:
            return None
        return statistics.fmean(self.shown_by[s] for s in self.expect) / self.replies

    @property
    def per_skill(self) -> str:
        """"boundaries 1 of 2 replies, empathy 0 of 2 replies"; "-" where nothing is expected. Replies, not
        sessions: a session may reply at a moment more than once, so it says which it counts."""
        unit = "reply" if self.replies == 1 else "replies"
        return ", ".join(f"{s} {self.shown_by[s]} of {self.replies} {unit}" for s in self.expect) or "-"


@dataclass(frozen=True)
class MissedCount:
    """A missed moment that recurs: which rule, where, and in how many sessions."""

    rule: str
    node: str | None
    where: str
    """The moment's line (from the scenario), the scenario's own note for a cue never raised, or the rule's
    message (from a named copy where there is one) for other moments about the whole meeting."""
    sessions: int
    reached: int
    """Sessions that reached the moment (all sessions of the scenario for the whole meeting)."""


@dataclass(frozen=True)
class FlagRow:
    """One "I disagree" flag with what the educator needs to review it."""

    session: Session
    reply: int | None
    text: str
    context: str | None
    scorer: list[str]
    wrong: list[str]
    missing: list[str]
    reason: str
    said_by: str | None = None
    """Who said `context` when it was not the service user."""

    @property
    def said(self) -> str | None:
        """The context as the report shows it: "Minh (Lan's son): ..." when someone else said it."""
        if self.context and self.said_by:
            return f"{self.said_by}: {self.context}"
        return self.context

    @property
    def labels(self) -> list[str]:
        """The scorer's labels corrected by the flag (the student's view), in SIGNALS order."""
        return [s for s in SIGNALS if (s in self.scorer and s not in self.wrong) or s in self.missing]

    def eval_line(self) -> dict[str, object]:
        """The flag as a labelled line in the `trainer eval` format."""
        return {
            "text": self.text,
            "context": self.context,
            "labels": self.labels,
            "flag_reason": self.reason,
            "session": self.session.label,
            "run": self.session.run,
            "student": self.session.student,
            "scenario": self.session.debrief.scenario_id,
            "scenario_title": self.session.debrief.scenario_title,
            "reply": self.reply,
        }


@dataclass
class Cohort:
    """The sessions read, and every notice about the input."""

    sessions: list[Session]
    notices: list[Notice]
    files: int
    """Files looked at."""
    scenario_titles: dict[str, str]
    """Scenario key (Session.key: the id, or "ID#2" when two scenarios share it) -> title, from the
    scenario where the educator has it."""
    names: bool = False
    """Made with --names: quoted text is shown as it is (see `quote`)."""
    inputs: list[str] = field(default_factory=list)
    """Every file looked at, in the order read (the report's "file 1", "file 2", ... without --names)."""

    @property
    def students(self) -> list[str]:
        return list(dict.fromkeys(s.student for s in self.sessions))

    @property
    def scenario_ids(self) -> list[str]:
        """The scenarios reported, by key (Session.key): two scenarios that share an id are two keys."""
        return list(dict.fromkeys(s.key for s in self.sessions))

    def scenario_id(self, key: str) -> str:
        """The id the exports give the scenario reported under `key`."""
        return next((s.debrief.scenario_id for s in self.sessions if s.key == key), key)

    def of(self, scenario_id: str | None) -> list[Session]:
        """The sessions of one scenario (by key), or all."""
        return [s for s in self.sessions if scenario_id is None or s.key == scenario_id]

    def skill_stats(self, scenario_id: str | None = None) -> list[SkillStats]:
        """Per skill, the distribution of session scores (one scenario's sessions, or all)."""
        out = []
        for skill in SKILLS:
            results = [s.debrief.skill(skill) for s in self.of(scenario_id)]
            scored = [r for r in results if r.level is not None]
            out.append(
                SkillStats(skill, [r.score for r in scored], Counter(r.level for r in scored if r.level))
            )
        return out

    def calibration(self, student: str | None = None) -> list[Calibration]:
        """Per skill, the gaps between the self-rating and the level shown (all students, or one)."""
        out = []
        for skill in SKILLS:
            gaps = []
            for s in self.sessions:
                result = s.debrief.skill(skill)
                if (student is None or s.student == student) and result.rating is not None and result.level:
                    gaps.append(result.rating - result.level)
            out.append(Calibration(skill, gaps))
        return out

    def endings(self, scenario_id: str) -> Counter[tuple[str, str]]:
        """(outcome, ending title) -> sessions; unfinished sessions as ("stopped", "stopped early")."""
        found: Counter[tuple[str, str]] = Counter()
        for s in self.of(scenario_id):
            o = s.debrief.outcome
            found[(o.outcome or "stopped", o.title or "stopped early")] += 1
        return found

    def moments(self, scenario_id: str) -> list[Moment]:
        """The scenario's moments in its own order, each over the sessions that reached it. Empty when the
        educator does not have the scenario."""
        sessions = self.of(scenario_id)
        scenario = next((s.scenario for s in sessions if s.scenario is not None), None)
        if scenario is None:
            return []
        moments = {
            nid: Moment(nid, node.say, list(node.expect), speaker=node.speaker)
            for nid, node in scenario.nodes.items()
            if node.ending is None
        }
        for s in sessions:
            replies = [r for r in s.replies if r.node in moments]
            for nid in dict.fromkeys(r.node for r in replies):
                moments[nid].sessions += 1
            for r in replies:
                m = moments[r.node]
                m.replies += 1
                m.shown_by.update(sig for sig in m.expect if sig in r.present)
            if s.debrief.outcome.outcome in BREAKDOWNS and replies:
                moments[replies[-1].node].broke_down += 1
            if not s.debrief.outcome.finished and s.debrief.run_state.node in moments:
                moments[s.debrief.run_state.node].stopped += 1
            for rule, node in {(m.rule, m.node) for m in s.debrief.missed if m.node in moments}:
                assert node is not None
                moments[node].missed[rule] += 1
        return list(moments.values())

    def top_missed(self, scenario_id: str, limit: int = 5) -> list[MissedCount]:
        """The missed moments that recur most often in the scenario's sessions (ties by scenario order).

        Grouped by rule and moment, never by the message's text: a redacted copy's "You never told
        [service user]..." is the same missed moment as a named copy's "You never told Marcia...". A cue
        never raised is matched to the scenario's cue (its text taken from the scenario)."""
        sessions = self.of(scenario_id)
        reached = {m.node: m for m in self.moments(scenario_id)}
        scenario = next((s.scenario for s in sessions if s.scenario is not None), None)
        same = _canonical(scenario)
        notes = {same(c.missing_note): c.missing_note for c in scenario.cues.values() if c.missing_note} \
            if scenario else {}
        counts: Counter[tuple[str, str | None, str]] = Counter()
        text: dict[tuple[str, str | None, str], str] = {}
        for s in sessions:
            keys = set()
            for m in s.debrief.missed:
                key: tuple[str, str | None, str]
                if m.node in reached:
                    key = (m.rule, m.node, "")
                else:
                    key = (m.rule, None, same(m.message))
                    if key[2] in notes:
                        text[key] = notes[key[2]]
                    elif s.learner is not None or key not in text:  # a named copy's words first
                        text[key] = self.quote(s, m.message)
                keys.add(key)
            counts.update(keys)
        order = {nid: i for i, nid in enumerate(reached)}
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0][1] or "", -1), kv[0][0]))
        out = []
        for key, n in ranked[:limit]:
            rule, node, _ = key
            moment = reached.get(node or "")
            out.append(
                MissedCount(
                    rule,
                    node,
                    moment.line if moment else text[key],
                    n,
                    moment.sessions if moment else len(sessions),
                )
            )
        return out

    def quote(self, session: Session, text: str) -> str:
        """Text the student wrote or was shown, as the report quotes it: with `names`, as it is; without,
        with the student's own name (first name and full name, where the export knows it) redacted."""
        if self.names or not session.learner:
            return text
        return Redactor({session.learner: LEARNER}).text(text)

    def flags(self) -> list[FlagRow]:
        """Every "I disagree" flag of every session that points at one of the student's replies, in session
        order; quoted text as `quote` gives it. `dropped_flags` notes the others."""
        rows = []
        for s in self.sessions:
            lines = {line.index: line for line in s.debrief.transcript}
            for flag in s.debrief.flags:
                line = lines.get(flag.turn)
                if line is None or line.speaker != "learner":
                    continue
                before = next(
                    (
                        lines[i]
                        for i in range(flag.turn - 1, -1, -1)
                        if i in lines and lines[i].speaker == "service_user"
                    ),
                    None,
                )
                context = self.quote(s, before.text) if before is not None else None
                rows.append(
                    FlagRow(
                        s,
                        line.reply,
                        self.quote(s, line.text),
                        context,
                        list(line.present),
                        list(flag.wrong),
                        list(flag.missing),
                        self.quote(s, flag.reason),
                        said_by=before.name if before is not None else None,
                    )
                )
        return rows


def _unnamed_notice(unnamed: list[Session], total: int) -> Notice:
    """The sessions that carry no student name, by S-number and run (and their files, which the page shows
    by label without --names): each is counted as a student of its own."""
    which = ", ".join(f"{s.label} (run {s.run[:8]})" for s in unnamed)
    if len(unnamed) == 1:
        said = (f"Session {which} carries no student name (or its name was redacted): it is counted as a "
                "student of its own")
    else:
        said = (f"Sessions {which} carry no student name (or their names were redacted): each is counted as "
                "a student of its own")
    tail = ", so the number of students may be too high." if total > 1 else "."
    files = tuple(dict.fromkeys(s.file for s in unnamed))
    return Notice("names", ", ".join(files), said + tail, files=files)


def dropped_flags(sessions: Sequence[Session]) -> list[Notice]:
    """A notice per session whose flags point at no reply of the student (a turn out of range, or a line
    the service user said), or name a signal the scorer does not have: such flags used to vanish."""
    notices = []
    for s in sessions:
        lines = {line.index: line for line in s.debrief.transcript}
        lost = [f.turn for f in s.debrief.flags
                if f.turn not in lines or lines[f.turn].speaker != "learner"]
        odd = sorted({x for f in s.debrief.flags for x in (*f.wrong, *f.missing)} - set(SIGNALS))
        said = []
        if lost:
            said.append(f"{len(lost)} \u201cI disagree\u201d flag(s) point at no reply of the student "
                        f"(transcript line(s) {', '.join(map(str, lost))}): left out of the flags")
        if odd:
            said.append(f"its flags name signal(s) the scorer does not have ({', '.join(odd)}): shown as "
                        "they are, left out of the labels --flags writes")
        if said:
            said_all = "; ".join(said)
            notices.append(Notice("flags", s.file, f"{s.label}: {said_all}. Was it edited by hand?"))
    return notices


def _canonical(scenario: Scenario | None) -> Callable[[str], str]:
    """Text with the scenario's service user's name (as a redacted export shows it) and personal details
    replaced, spaces tidied: a named and a redacted copy of one message compare equal."""
    names = {scenario.service_user.name: SERVICE_USER} if scenario else {}
    redactor = Redactor(names, pii=True, people=scenario.service_user.people if scenario else ())
    if scenario is not None:  # as a redacted export learns them: "her son Minh (48)" makes "Minh" a name
        redactor.learn(scenario.model_dump(mode="json"))
    return lambda text: " ".join(redactor.text(text).split())


def _scenario_library(dirs: Sequence[Path]) -> tuple[dict[str, list[Scenario]], list[Notice]]:
    """Scenario id -> the scenarios with that id: the bundled one, then each folder's (identity.pick
    chooses by title, a later one first); and a notice per file in `dirs` that has errors (so its map is
    not silently missing)."""
    library: dict[str, list[Scenario]] = defaultdict(list)
    notices: list[Notice] = []
    for folder in [None, *dirs]:
        loaded, problems = load_all(folder)
        for one in loaded:
            library[one.id].append(one.scenario)
        for file in dict.fromkeys(p.file for p in problems if p.is_error):
            first = next(p for p in problems if p.file == file and p.is_error)
            where = f"{file}:{first.line}" if first.line else str(file)
            notices.append(Notice(
                "scenario-errors", str(file),
                f"Is a scenario with errors ({where}: {first.message}): not used for the map of moments. "
                f"Run `trainer validate {file}` to see every problem."))
    return library, notices


def _spellings(loaded: Sequence[Loaded]) -> dict[str, str]:
    """Name key -> the spelling to show ("Aisha Khan" for "Aisha Khan" and "aisha  khan ")."""
    seen: dict[str, list[str]] = defaultdict(list)
    for one in loaded:
        if one.name:
            seen[name_key(one.name)].append(one.name)
    return {key: best_spelling(forms) for key, forms in seen.items()}


def build_cohort(paths: Iterable[Path], *, names: bool = False, scenario_dirs: Sequence[Path] = ()) -> Cohort:
    """Read every export under `paths` and number the students.

    Args:
        paths: files and folders (folders are searched for *.json).
        names: show the students' names where the exports carry them (otherwise they are numbered).
        scenario_dirs: folders of scenarios besides the bundled ones (a later folder wins on the same id),
            for the map of moments.
    Never raises on bad input: see `Cohort.notices`.
    """
    files, notices = discover(list(paths))
    loaded, more = read_exports(files)
    dropped = {n.file for n in more if n.kind == "duplicate"}  # its notice says it was a renamed copy
    notices = [n for n in notices if not (n.kind == "renamed" and n.file in dropped)] + more
    library, problems = _scenario_library(scenario_dirs)
    notices += problems
    loaded.sort(key=lambda x: (x.debrief.started_at, x.file))
    spelling = _spellings(loaded)
    pooled = pool([one.debrief for one in loaded], [one.file for one in loaded])
    notices += pooled.notices
    by_key: dict[str, list[Debrief]] = defaultdict(list)
    for one, key in zip(loaded, pooled.keys, strict=True):
        by_key[key].append(one.debrief)
    played_on = {key: pick(library.get(group[0].scenario_id, []), group) for key, group in by_key.items()}
    numbers: dict[str, int] = {}
    unnamed = 0
    sessions: list[Session] = []
    for i, one in enumerate(loaded, 1):
        key = name_key(one.name) if one.name else f"\0{one.debrief.run_state.run_id}"
        unnamed += one.name is None
        numbers.setdefault(key, len(numbers) + 1)
        if not names:
            student = f"Student {numbers[key]}"
        elif one.name:
            student = spelling[key]
        else:
            student = f"Unnamed student {unnamed}"
        key = pooled.keys[i - 1]
        sessions.append(Session(i, student, one.file, one.debrief, played_on[key], one.name, key))
    if unnamed:
        notices.append(_unnamed_notice([s for s in sessions if s.learner is None], len(sessions)))
    notices += dropped_flags(sessions)
    unknown: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        if s.scenario is None:
            unknown[s.key].append(s)
        else:
            strange = sorted({r.node for r in s.replies} - set(s.scenario.nodes))
            if strange:
                notices.append(
                    Notice(
                        "unknown-scenario",
                        s.file,
                        f"Visits moments your copy of "
                        f"'{s.debrief.scenario_id}' does not have ({', '.join(strange)}): the "
                        "scenario has changed since; those replies are left out of its map.",
                    )
                )
    for group in unknown.values():
        sid, yours = group[0].debrief.scenario_id, library.get(group[0].debrief.scenario_id, [])
        why = (f"but your own '{sid}' is another scenario (titled {', '.join(repr(y.title) for y in yours)}, "
               "without the moments these sessions visit); to map them, add the scenario they were played on "
               "in a --scenarios folder of its own" if yours else "which is not among your scenarios (the "
               "bundled ones, or --scenarios)")
        notices.append(
            Notice(
                "unknown-scenario",
                ", ".join(s.file for s in group),
                f"{len(group)} session(s) of scenario '{sid}' "
                f"(\u201c{group[0].debrief.scenario_title}\u201d), {why}: counted in the "
                "scores, calibration and flags; left out of the map of moments.",
                files=tuple(s.file for s in group),
            )
        )
    # The scenario's own title where the educator has it; else a named copy's (a redacted copy's title has
    # "[service user]" in place of the character's name).
    titles: dict[str, str] = {}
    for s in sorted(sessions, key=lambda s: s.learner is None):
        mapped = s.scenario is not None and scenario_title_key(s.scenario) == title_key(s.debrief)
        titles.setdefault(s.key, s.scenario.title if s.scenario and mapped else s.debrief.scenario_title)
    return Cohort(sessions, notices, len(files), titles, names, [str(f) for f in files])
