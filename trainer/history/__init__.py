"""The session history: a local SQLite store of every session, with versioned migrations.

Imports neither textual nor spacy. See `trainer.history.store` for the API (`HistoryStore`).
"""
