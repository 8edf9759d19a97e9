"""The session history: a local SQLite store of every session, with versioned migrations.

May import trainer.scoring's API and trainer.scenario; imports neither textual nor spacy. See
`trainer.history.store` for the API (`HistoryStore`) and `trainer.history.records` for what it returns.
"""
