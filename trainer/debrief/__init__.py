"""The debrief: what the student sees after a session, computed from the scenario, the run and the
self-assessment, and its exports (Markdown, HTML, JSON).

May import trainer.scoring and trainer.scenario; imports neither textual nor spacy: the debrief screen, the
CLI (`trainer export`) and tests all use it. `compute.compute_debrief` builds a `model.Debrief`;
`export.export` renders one.
"""
