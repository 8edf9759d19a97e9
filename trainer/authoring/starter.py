"""The starter scenario `trainer new NAME` writes: a small, commented, working first meeting to edit.

An educator's first scenario should start from something that already validates and rehearses, with
every part of the format shown once and explained where it is used. `write_starter` writes the scenario
and its rehearsal file (which reaches every ending), and refuses to overwrite anything. Used by the CLI;
the tests check that what it writes validates and that its rehearsals pass with the real scorer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from trainer.authoring.rehearse import rehearsal_file

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class StarterError(ValueError):
    """The name is unusable or a file is in the way; the message says what to do."""


SCENARIO_TEMPLATE = """\
# yaml-language-server: $schema=./scenario.schema.json
schema_version: 1
# A starter scenario written by `trainer new`. Every part of the format is used once below, with a comment
# saying what it does. Change the words, keep the shape, and after each edit run:
#   trainer validate {{PATH}}
#   trainer rehearse --check {{PATH}}
# The full reference is in scenarios/README.md; `trainer graph {{PATH}}` draws the conversation.

title: "{{TITLE}}"
summary: >-
  A first home visit to a tenant after the housing office asked for help with rent arrears. Replace this
  with one or two sentences on what happens.
difficulty: introductory           # introductory, intermediate or advanced
setting: >-
  Adult social care, a first home visit booked for 45 minutes. (Where, which service, how long.)
referral: >-
  The housing office referred Sam, who is three months behind with the rent and has stopped opening
  post. (What the referral says: shown to the learner before they start.)
objectives:                        # what the learner practises, one per line
  - Say who you are, why you have come and how long you will stay.
  - Reflect what Sam feels before offering help.
  - Keep the professional frame when Sam offers you a gift.

service_user:                      # a person, not a case: give them a voice, a history, something they want
  name: Sam Reid
  age: 58
  pronouns: he/him
  situation: Lives alone since his wife died last year; lost his job at the bakery in the spring.
  wants: To keep his flat, and not to be treated like a failure.
  fears: Eviction, and being judged for the pile of unopened letters.
  history: Never needed help before. Proud, polite, embarrassed.
  # people: [Jean, Mr Shah]        # the other people the lines name: a redacted export replaces them

# Things to listen for in the learner's words, usable in conditions as {cue: id}. `missing_note` is said
# in the debrief when no reply matched the cue.
cues:
  explains_referral:
    phrases: ["housing", "rent", "referral", "referred"]
    description: Says the housing office asked for the visit, and why.
    missing_note: You never said that the housing office had asked you to visit, or why.

start: doorstep                    # the id of the first node

# The conversation: each node is one moment. The service user says `say`; the learner replies; the
# `responses` are tried in order on the reply (the first whose `if` holds decides `goto`), else `default`.
# Conditions: {signal: empathy} (the scorer found it), {not: {signal: purpose}}, {cue: explains_referral},
# {var: trust, min: 6}, and {all: [...]} / {any: [...]} to combine them. Effects change trust and
# distress (0-10, starting at 5).
nodes:
  doorstep:
    say: (Sam opens the door a little.) Yes? If you're selling something, I'm not interested.
    expect: [purpose]              # signals a good reply shows here (the debrief notes when they are absent)
    tip: Say who you are, why you have come (the housing office's referral) and how long you will stay.
    model_answers:
      - >-
        Hello, are you Sam? I'm Alex from adult social care. The housing office asked us to visit because
        of the rent, to see if we can help. It would take about half an hour - is now OK?
    responses:
      - if: {all: [{signal: purpose}, {cue: explains_referral}]}
        goto: letters
        effects: {trust: 2}
      - if: {signal: purpose}
        goto: letters
        effects: {trust: 1}
    default:
      goto: wary
      effects: {trust: -1}

  wary:
    say: I don't know who you are. What do you want?
    expect: [purpose]
    model_answers:                 # shown in the debrief beside a reply that missed this moment
      - >-
        Sorry, I should have said: I'm Alex from adult social care. The housing office asked us to visit
        about the rent, to see if we can help. It would take about half an hour.
    responses:
      - if: {signal: purpose}
        goto: letters
    default:
      goto: end_closed

  letters:
    say: >-
      (He lets you in. A pile of unopened post sits by the kettle.) I know. I know about the rent. I just
      can't open them any more.
    variants:                      # another version of the line, used when its condition holds
      - if: {var: trust, min: 7}
        say: (He makes you a tea.) Since Linda died I can't face the post. It was always her that did it.
    expect: [empathy]
    tip: Reflect the feeling (dread, shame, grief) before offering to sort the letters.
    model_answers:
      - Opening them makes it all real, and it sounds like you've been dreading every one.
    options:                       # replies the learner can pick by number instead of typing
      - say: Opening them makes it all real - it sounds like you've been dreading every one.
        goto: gift
        effects: {trust: 1}
      - say: Don't worry, I'm sure it will all work out fine.
        goto: gift
        effects: {trust: -1}
    responses:
      - if: {signal: empathy}
        goto: gift
        effects: {trust: 1}
    default:
      goto: gift
      effects: {trust: -1}

  gift:
    say: >-
      (As you get up to go he holds out a ten-pound note.) For your trouble. Go on, have a drink on me.
    expect: [boundaries]
    tip: Money is always refused - kindly, giving your agency's rules as the reason.
    model_answers:
      - >-
        That's kind of you, Sam, but I can't accept money - it's not allowed, and my manager would need to
        know. I'll see you on Thursday to go through the letters together.
    responses:
      - if: {signal: overstep}
        goto: end_money
      - if: {signal: boundaries}
        goto: end_built
    default:                       # neither refused nor taken: he presses it on you
      goto: end_money

  # Endings: a node with `ending` stops the conversation; the debrief starts with its note.
  # Outcomes: built, partial, broke_down, boundary_crossed.
  end_built:
    say: (He puts the note away, smiling.) Rules are rules. Thursday, then.
    ending:
      outcome: built
      title: A plan for Thursday
      note: >-
        You were clear about why you came, heard the dread behind the unopened post, and refused the money
        kindly. Sam will let you help because he was not made to feel a failure.

  end_closed:
    say: (The door closes.) Put it in a letter. I'll not open it.
    ending:
      outcome: broke_down
      title: The door stayed shut
      note: Without a clear reason for your visit, a closed door was the sensible answer.

  end_money:
    say: (He presses the note into your hand.) There. Our secret.
    ending:
      outcome: boundary_crossed
      title: Ten pounds
      note: >-
        Money is always refused. Taking it, or leaving without refusing it, turns the work into a debt and
        exposes you both. Name your agency's rules and your manager: it is the kindest way to say no.
"""

REHEARSALS_TEMPLATE = """\
# Rehearsals for {{ID}}: scripted replies played through the real engine and scorer.
# Run them with
#   trainer rehearse --check {{PATH}}
# Each must reach its expect_ending (and follow expect_path, when given). A reply like "#1" picks
# option 1. Keep one rehearsal per ending at least.

- name: clear purpose, empathy, money refused
  replies:
    - >-
      Hello, I'm Alex from adult social care. The housing office referred you to us because of the rent;
      today I'd like to understand what would help, it will take about half an hour, and afterwards I'll
      write to you with what we agreed.
    - "#1"
    - >-
      That's kind, but I can't accept money - it's not allowed and my manager would need to know. I'll see
      you on Thursday.
  expect_ending: end_built
  expect_path: [doorstep, letters, gift, end_built]

- name: no reason given, door closes
  replies:
    - Hi there, can I come in?
    - Just to have a look around.
  expect_ending: end_closed
  expect_path: [doorstep, wary, end_closed]

- name: money accepted
  replies:
    - >-
      Hello, I'm Alex from adult social care. The housing office referred you to us because of the rent;
      I'm here to see what would help, and it will take about half an hour.
    - It sounds like you've been dreading every letter.
    - Go on then, I'll keep it between us. Thank you.
  expect_ending: end_money
"""


def title_from_name(name: str) -> str:
    """ "my-first-visit" -> "My first visit"."""
    words = name.replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def starter_texts(scenario_id: str, scenario_path: str) -> tuple[str, str]:
    """The starter scenario and its rehearsal file, filled in for this id and path."""
    fill = {"{{ID}}": scenario_id, "{{PATH}}": scenario_path, "{{TITLE}}": title_from_name(scenario_id)}
    scenario, rehearsals = SCENARIO_TEMPLATE, REHEARSALS_TEMPLATE
    for placeholder, value in fill.items():
        scenario = scenario.replace(placeholder, value)
        rehearsals = rehearsals.replace(placeholder, value)
    return scenario, rehearsals


def starter_paths(name: str, folder: Path, output: Path | None = None) -> tuple[Path, Path]:
    """Where `trainer new NAME` writes: `folder/NAME.yaml`, or `output` (a folder, or a file whose name is
    NAME.yaml), with the rehearsals in `rehearsals/NAME.yaml` beside it.

    Raises StarterError for a name that cannot be a scenario id, or a file name that disagrees with it.
    """
    if not NAME_PATTERN.match(name):
        raise StarterError(
            f"'{name}' cannot name a scenario: use lowercase letters, digits and hyphens, starting "
            "with a letter or digit (e.g. 'first-visit-sam')."
        )
    if output is None or output.is_dir() or output.suffix not in (".yaml", ".yml"):
        scenario_path = (output or folder) / f"{name}.yaml"
    else:
        scenario_path = output
        if scenario_path.stem != name:
            raise StarterError(
                f"a scenario's id is its file name, so {output} would be '{output.stem}', not '{name}': "
                f"write --output {output.parent / (name + output.suffix)}, or give a folder."
            )
    return scenario_path, rehearsal_file(scenario_path)


def write_starter(
    name: str, folder: Path, output: Path | None = None, taken: Iterable[str] = ()
) -> tuple[Path, Path]:
    """Write the starter scenario and its rehearsals; return both paths.

    `taken` holds the ids of the bundled scenarios: sessions, exports and the cohort report know a scenario
    by its id, so a new scenario may not share one.
    Refuses (StarterError, nothing written) when the name is taken, either file already exists or the
    folder cannot be written.
    """
    scenario_path, rehearsal_path = starter_paths(name, folder, output)
    if scenario_path.stem in set(taken):
        raise StarterError(
            f"'{scenario_path.stem}' is the id of a bundled scenario, and sessions, exports and the cohort "
            "report know a scenario by its id (its file name), so yours would be mixed up with it: choose "
            f"another name, e.g. '{scenario_path.stem}-2' (nothing was written)."
        )
    for path in (scenario_path, rehearsal_path):
        if path.exists():
            raise StarterError(f"{path} already exists; choose another name (nothing was written).")
    scenario_text, rehearsal_text = starter_texts(scenario_path.stem, str(scenario_path))
    try:
        rehearsal_path.parent.mkdir(parents=True, exist_ok=True)
        # "x" mode: never overwrite, even if a file appeared since the check above.
        with scenario_path.open("x", encoding="utf-8") as fh:
            fh.write(scenario_text)
        try:
            with rehearsal_path.open("x", encoding="utf-8") as fh:
                fh.write(rehearsal_text)
        except OSError:
            scenario_path.unlink()  # all or nothing: don't leave a scenario without its rehearsals
            raise
    except FileExistsError as exc:
        raise StarterError(
            f"{exc.filename} already exists; choose another name (nothing was written)."
        ) from None
    except OSError as exc:
        raise StarterError(f"cannot write {exc.filename or scenario_path}: {exc.strerror or exc}.") from None
    return scenario_path, rehearsal_path
