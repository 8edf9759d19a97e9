"""The educator's authoring tools: validation glue, the scenario graph, rehearsals and the starter.

`validate` (the scenario checks plus the scorer's cue-pattern check), `graph` (Mermaid and DOT),
`rehearse` (play replies headless; `--check`), `explore` (`--explore`: coverage and dead ends),
`starter` (`trainer new`). May import trainer.scoring and trainer.scenario; never a front end, the
practice layer, the debrief or the history.
"""
