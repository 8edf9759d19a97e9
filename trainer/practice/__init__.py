"""The practice layer: what running a session means, shared by every front end.

`play` (the run of a session, the scorer holder, saving and storing a finished run), `replies` (which
typed replies are taken as a turn), `coaching` (the coach note after a reply) and `helptext` (the skills
and Moss's checklist). Used by the Textual app, the plain player and the browser; imports no Textual
and no front end. May import debrief, history, scoring, scenario.
"""
