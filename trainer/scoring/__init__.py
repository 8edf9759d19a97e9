"""The scorer: spaCy components on `spacy.blank("en")`, the build (`make model`), evaluation, and the API
`Scorer.load().assess(text, context)` (see `trainer.scoring.api`). May import trainer.scenario; never
Textual, the debrief, the history, the practice layer or a front end.
"""
