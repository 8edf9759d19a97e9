"""The debrief: what the student sees after a session, computed from the scenario, the run and the
self-assessment, and its exports (Markdown, HTML, JSON, and the process recording).

May import trainer.scoring and trainer.scenario; imports neither textual nor spacy: the debrief screen, the
CLI (`trainer export`) and tests all use it. `compute.compute_debrief` builds a `model.Debrief`: the
session scores (`sessionscores`, judged at the moments `moments` finds), the MITI-style summary (`miti`),
the missed moments (`rules`) and suggestions. `export.export` renders one; `recording` makes the process
recording (DOCX, Markdown, HTML); `redact` removes names and personal details; `replay` plays scripted
replies to a debrief, for the session-score checks of `trainer rehearse --check`.
"""
