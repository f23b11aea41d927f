"""Append-only, named schema migrations.

Never edit a migration that has shipped: add a new one at the end. Each runs once, in a transaction, and is
recorded in `migrations`. A database that has a migration this code does not know is newer than the code and
is refused without writing.
"""

from __future__ import annotations

M001_INITIAL = """
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    bank_id     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    settings    TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
    bank_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    answer        TEXT NOT NULL,
    kind          TEXT NOT NULL DEFAULT 'answer' CHECK (kind IN ('answer', 'skipped', 'dont_know')),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'graded', 'ungraded')),
    error         TEXT,
    parent_id     INTEGER REFERENCES attempts(id) ON DELETE CASCADE,
    started_at    TEXT,
    submitted_at  TEXT NOT NULL,
    duration_s    REAL
);
CREATE INDEX attempts_question ON attempts(question_id, submitted_at);
CREATE INDEX attempts_session ON attempts(session_id);
CREATE INDEX attempts_status ON attempts(status);
CREATE INDEX attempts_submitted ON attempts(submitted_at);

CREATE TABLE grades (
    id              INTEGER PRIMARY KEY,
    attempt_id      INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    backend         TEXT NOT NULL,
    model           TEXT NOT NULL DEFAULT '',
    prompt_version  TEXT NOT NULL DEFAULT '',
    rubric_id       TEXT NOT NULL DEFAULT '',
    rubric_version  INTEGER NOT NULL DEFAULT 0,
    score           REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    verdict         TEXT NOT NULL,
    latency_ms      REAL,
    prompt_tokens   INTEGER,
    completion_tokens INTEGER,
    cost_usd        REAL,
    result          TEXT NOT NULL
);
CREATE INDEX grades_attempt ON grades(attempt_id, created_at);

CREATE TABLE overrides (
    id          INTEGER PRIMARY KEY,
    attempt_id  INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    score       REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX overrides_attempt ON overrides(attempt_id, created_at);

CREATE TABLE review_state (
    bank_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    card         TEXT NOT NULL,
    due          TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (bank_id, question_id)
);
CREATE INDEX review_due ON review_state(due);

CREATE TABLE drafts (
    key          TEXT PRIMARY KEY,
    bank_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    session_id   INTEGER,
    prompt       TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    started_at   TEXT,
    updated_at   TEXT NOT NULL
);

CREATE TABLE grade_cache (
    key         TEXT PRIMARY KEY,
    result      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
"""

# (name, sql) in order. Append only.
MIGRATIONS: list[tuple[str, str]] = [
    ("m001_initial", M001_INITIAL),
]
