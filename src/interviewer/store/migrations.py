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


# --------------------------------------------------------------------------- m002: review facts
# Review figures at scale (store/review_facts.py, scheduling.py). The dashboard must open in well under 200 ms
# with 100,000 answers, so it cannot re-read every grade's JSON, nor join every attempt to its newest grade,
# each time. Triggers keep, in SQL, for every change by any writer (the app, imports, deletes and their
# cascades, hand-edited timestamps):
#   attempt_scores   one narrow row per scored bank-question attempt: effective score (newest override, else
#                    newest grade), model and override scores, the newest grade's key points [[id, status]...]
#   question_tally   per (bank, question): bank-question attempts by status, how many are scored, and a
#                    version that moves whenever its scored attempts change
#   session_tally    per session: its bank-question attempts (a session counts while it has one)
#   key_point_tally  per (bank, question, key point, status): how often the newest grades judged it so
#   daily_scores     per (bank, day): scored attempts and the sum of their scores, recomputed from
#                    attempt_scores for that day on every change (exact, no running float sums)
#   review_dirty     (bank, question) whose FSRS card must be brought up to date; `seq` moves on every change,
#                    so a sync clears only what it has seen; `since` is the earliest answer time changed
#                    (NULL: anything may have), so new answers extend a card instead of replaying it
#   key_point_cache  per question (and bank, or '' for all banks): the recency-weighted key-point figures
#                    reviewing.py computed, valid while the question's version is the one stored with them
# Counts are integers kept by +1/-1; everything else is recomputed for the one key a write touches.

_KP_ARRAY = """CASE WHEN json_valid(g.result) THEN COALESCE((
               SELECT json_group_array(json_array(COALESCE(json_extract(k.value, '$.key_point_id'), '?'),
                                                  json_extract(k.value, '$.status')))
               FROM json_each(g.result, '$.key_points') k
               WHERE k.type = 'object' AND json_extract(k.value, '$.status') IN ('covered', 'partial', 'missing')
           ), '[]') ELSE '[]' END"""

_NEWEST = """FROM attempts a
    LEFT JOIN grades g ON g.id = (SELECT g2.id FROM grades g2 WHERE g2.attempt_id = a.id
                                  ORDER BY g2.created_at DESC, g2.id DESC LIMIT 1)
    LEFT JOIN overrides o ON o.id = (SELECT o2.id FROM overrides o2 WHERE o2.attempt_id = a.id
                                     ORDER BY o2.created_at DESC, o2.id DESC LIMIT 1)"""

_SCORE_COLS = """INSERT INTO attempt_scores(attempt_id, bank_id, question_id, submitted_at, model_score, override_score,
                               score, key_points)
    SELECT a.id, a.bank_id, a.question_id, a.submitted_at, g.score, o.score, COALESCE(o.score, g.score),"""


def _refresh_scores(attempt: str) -> str:
    """Recompute the attempt_scores row of one attempt (`attempt` is an SQL expression, e.g. NEW.id). Only
    bank-question attempts (no follow-ups) with a score get a row. Malformed grade JSON gives no key points
    rather than failing the write."""
    return f"""
    DELETE FROM attempt_scores WHERE attempt_id = {attempt};
    {_SCORE_COLS}
           {_KP_ARRAY}
    {_NEWEST}
    WHERE a.id = {attempt} AND a.parent_id IS NULL AND COALESCE(o.score, g.score) IS NOT NULL;"""


def _daily(row: str) -> str:
    """Recompute the daily_scores row of the (bank, day) of attempt_scores row `row` (NEW or OLD)."""
    return f"""
    DELETE FROM daily_scores WHERE bank_id = {row}.bank_id AND day = substr({row}.submitted_at, 1, 10);
    INSERT INTO daily_scores(bank_id, day, n, total)
    SELECT {row}.bank_id, substr({row}.submitted_at, 1, 10), COUNT(*), SUM(s.score) FROM attempt_scores s
    WHERE s.submitted_at >= substr({row}.submitted_at, 1, 10) AND s.submitted_at < substr({row}.submitted_at, 1, 10) || '~'
      AND s.bank_id = {row}.bank_id
    HAVING COUNT(*) > 0;"""


def _tally_attempt(row: str, sign: str) -> str:
    """Add (sign '+') or remove (sign '-') attempt `row` (NEW or OLD) from question_tally and session_tally,
    if it is a bank-question attempt."""
    return f"""
    INSERT INTO question_tally(bank_id, question_id, attempts, graded, ungraded, pending, scored)
    SELECT {row}.bank_id, {row}.question_id, {sign}1, {sign}({row}.status = 'graded'), {sign}({row}.status = 'ungraded'),
           {sign}({row}.status = 'pending'), 0
    WHERE {row}.parent_id IS NULL
    ON CONFLICT(bank_id, question_id) DO UPDATE SET attempts = attempts + excluded.attempts,
        graded = graded + excluded.graded, ungraded = ungraded + excluded.ungraded, pending = pending + excluded.pending;
    INSERT INTO session_tally(session_id, attempts) SELECT {row}.session_id, {sign}1
    WHERE {row}.parent_id IS NULL AND {row}.session_id IS NOT NULL
    ON CONFLICT(session_id) DO UPDATE SET attempts = attempts + excluded.attempts;
    DELETE FROM session_tally WHERE session_id = {row}.session_id AND attempts <= 0;"""


M002_REVIEW_FACTS = f"""
CREATE TABLE attempt_scores (
    attempt_id      INTEGER PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    question_id     TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    model_score     REAL,
    override_score  REAL,
    score           REAL NOT NULL,
    key_points      TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX attempt_scores_question ON attempt_scores(question_id, submitted_at, attempt_id, score, bank_id,
                                                     model_score);
CREATE INDEX attempt_scores_submitted ON attempt_scores(submitted_at, bank_id, score);

CREATE TABLE question_tally (
    bank_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    graded       INTEGER NOT NULL DEFAULT 0,
    ungraded     INTEGER NOT NULL DEFAULT 0,
    pending      INTEGER NOT NULL DEFAULT 0,
    scored       INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bank_id, question_id)
) WITHOUT ROWID;

CREATE TABLE session_tally (
    session_id  INTEGER PRIMARY KEY,
    attempts    INTEGER NOT NULL
);

CREATE TABLE key_point_tally (
    bank_id       TEXT NOT NULL,
    question_id   TEXT NOT NULL,
    key_point_id  TEXT NOT NULL,
    status        TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (bank_id, question_id, key_point_id, status)
) WITHOUT ROWID;

CREATE TABLE daily_scores (
    bank_id  TEXT NOT NULL,
    day      TEXT NOT NULL,
    n        INTEGER NOT NULL,
    total    REAL NOT NULL,
    PRIMARY KEY (bank_id, day)
) WITHOUT ROWID;

CREATE TABLE key_point_cache (
    scope        TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (scope, question_id)
) WITHOUT ROWID;

CREATE TABLE review_dirty (
    bank_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    seq          INTEGER NOT NULL DEFAULT 0,
    since        TEXT,
    PRIMARY KEY (bank_id, question_id)
) WITHOUT ROWID;

{_SCORE_COLS}
       {_KP_ARRAY}
{_NEWEST}
WHERE a.parent_id IS NULL AND COALESCE(o.score, g.score) IS NOT NULL;

INSERT INTO question_tally(bank_id, question_id, attempts, graded, ungraded, pending, scored)
SELECT a.bank_id, a.question_id, COUNT(*), SUM(a.status = 'graded'), SUM(a.status = 'ungraded'),
       SUM(a.status = 'pending'), (SELECT COUNT(*) FROM attempt_scores s WHERE s.bank_id = a.bank_id
                                   AND s.question_id = a.question_id)
FROM attempts a WHERE a.parent_id IS NULL GROUP BY a.bank_id, a.question_id;

INSERT INTO session_tally(session_id, attempts)
SELECT session_id, COUNT(*) FROM attempts WHERE parent_id IS NULL AND session_id IS NOT NULL GROUP BY session_id;

INSERT INTO key_point_tally(bank_id, question_id, key_point_id, status, n)
SELECT s.bank_id, s.question_id, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), COUNT(*)
FROM attempt_scores s, json_each(s.key_points) k GROUP BY 1, 2, 3, 4;

INSERT INTO daily_scores(bank_id, day, n, total)
SELECT bank_id, substr(submitted_at, 1, 10), COUNT(*), SUM(score) FROM attempt_scores GROUP BY 1, 2;

INSERT INTO review_dirty(bank_id, question_id) SELECT DISTINCT bank_id, question_id FROM attempt_scores;

CREATE TRIGGER attempt_scores_ai AFTER INSERT ON attempt_scores BEGIN
    INSERT INTO key_point_tally(bank_id, question_id, key_point_id, status, n)
    SELECT NEW.bank_id, NEW.question_id, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), 1
    FROM json_each(NEW.key_points) k WHERE true
    ON CONFLICT(bank_id, question_id, key_point_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO question_tally(bank_id, question_id, scored, version) VALUES (NEW.bank_id, NEW.question_id, 1, 1)
    ON CONFLICT(bank_id, question_id) DO UPDATE SET scored = scored + 1, version = version + 1;{_daily("NEW")}
    INSERT INTO review_dirty(bank_id, question_id, since) VALUES (NEW.bank_id, NEW.question_id, NEW.submitted_at)
    ON CONFLICT(bank_id, question_id) DO UPDATE SET seq = seq + 1, since = min(since, excluded.since);
END;

CREATE TRIGGER attempt_scores_ad AFTER DELETE ON attempt_scores BEGIN
    UPDATE key_point_tally SET n = n - (
        SELECT COUNT(*) FROM json_each(OLD.key_points) k
        WHERE json_extract(k.value, '$[0]') = key_point_tally.key_point_id
          AND json_extract(k.value, '$[1]') = key_point_tally.status)
    WHERE bank_id = OLD.bank_id AND question_id = OLD.question_id;
    DELETE FROM key_point_tally WHERE bank_id = OLD.bank_id AND question_id = OLD.question_id AND n <= 0;
    UPDATE question_tally SET scored = scored - 1, version = version + 1
    WHERE bank_id = OLD.bank_id AND question_id = OLD.question_id;{
    _daily("OLD")}
    INSERT INTO review_dirty(bank_id, question_id, since) VALUES (OLD.bank_id, OLD.question_id, OLD.submitted_at)
    ON CONFLICT(bank_id, question_id) DO UPDATE SET seq = seq + 1, since = min(since, excluded.since);
END;

CREATE TRIGGER grades_scores_ai AFTER INSERT ON grades BEGIN {_refresh_scores("NEW.attempt_id")}
END;
CREATE TRIGGER grades_scores_au AFTER UPDATE ON grades BEGIN {_refresh_scores("OLD.attempt_id")}{
    _refresh_scores("NEW.attempt_id")}
END;
CREATE TRIGGER grades_scores_ad AFTER DELETE ON grades BEGIN {_refresh_scores("OLD.attempt_id")}
END;
CREATE TRIGGER overrides_scores_ai AFTER INSERT ON overrides BEGIN {_refresh_scores("NEW.attempt_id")}
END;
CREATE TRIGGER overrides_scores_au AFTER UPDATE ON overrides BEGIN {_refresh_scores("OLD.attempt_id")}{
    _refresh_scores("NEW.attempt_id")}
END;
CREATE TRIGGER overrides_scores_ad AFTER DELETE ON overrides BEGIN {_refresh_scores("OLD.attempt_id")}
END;

CREATE TRIGGER attempts_tally_ai AFTER INSERT ON attempts BEGIN {_tally_attempt("NEW", "+")}
END;
CREATE TRIGGER attempts_tally_ad AFTER DELETE ON attempts BEGIN {_tally_attempt("OLD", "-")}
    DELETE FROM attempt_scores WHERE attempt_id = OLD.id;
END;
CREATE TRIGGER attempts_tally_au AFTER UPDATE OF bank_id, question_id, status, parent_id, session_id ON attempts
BEGIN {_tally_attempt("OLD", "-")}{_tally_attempt("NEW", "+")}
END;
CREATE TRIGGER attempts_scores_au AFTER UPDATE OF bank_id, question_id, submitted_at, parent_id ON attempts
BEGIN {_refresh_scores("NEW.id")}
END;
"""

# Voice answers (issue 15). Each take of a spoken answer, in order: the audio's path ('' when not kept), its
# length, and the transcript with word timings and the audio's silences as JSON (core.transcript.SpokenTake).
# One delivery per spoken answer: the figures as columns, so the review trends read them in SQL, and the whole
# core.delivery.Delivery as JSON. Both go with their attempt (ON DELETE CASCADE); a typed answer has neither.
M003_VOICE = """
CREATE TABLE attempt_takes (
    id          INTEGER PRIMARY KEY,
    attempt_id  INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    audio_path  TEXT NOT NULL DEFAULT '',
    duration_s  REAL NOT NULL CHECK (duration_s >= 0),
    backend     TEXT NOT NULL DEFAULT '',
    model       TEXT NOT NULL DEFAULT '',
    take        TEXT NOT NULL,
    UNIQUE (attempt_id, position)
);

CREATE TABLE deliveries (
    attempt_id          INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
    created_at          TEXT NOT NULL,
    version             INTEGER NOT NULL,
    pauses_from         TEXT NOT NULL,
    takes               INTEGER NOT NULL CHECK (takes >= 1),
    duration_s          REAL NOT NULL CHECK (duration_s >= 0),
    speech_s            REAL NOT NULL CHECK (speech_s >= 0),
    speech_ratio        REAL NOT NULL CHECK (speech_ratio >= 0 AND speech_ratio <= 1),
    word_count          INTEGER NOT NULL CHECK (word_count >= 0),
    words_per_minute    REAL NOT NULL CHECK (words_per_minute >= 0),
    pace                TEXT NOT NULL,
    long_pauses         INTEGER NOT NULL CHECK (long_pauses >= 0),
    longest_pause_s     REAL NOT NULL CHECK (longest_pause_s >= 0),
    fillers             INTEGER NOT NULL CHECK (fillers >= 0),
    fillers_per_minute  REAL NOT NULL CHECK (fillers_per_minute >= 0),
    result              TEXT NOT NULL
);
"""

M004_OFFLINE_TOP_BAND = """
UPDATE grades SET verdict = 'complete',
                  result = CASE WHEN json_valid(result) THEN json_set(result, '$.verdict', 'complete') ELSE result END
WHERE backend = 'offline' AND verdict = 'interview-ready';
"""
"""The offline grader's top band is called "complete", not "interview-ready" (core.scoring.OFFLINE_NAMES): its
stored grades are renamed, in the column the history lists and in the grade itself, so every screen says the same.
The score is untouched (the band is the same); a grade read from an export is renamed as it loads (core.models)."""

M005_DRAFT_TAKES = """
ALTER TABLE drafts ADD COLUMN takes TEXT NOT NULL DEFAULT '[]';
"""
"""A draft keeps its recorded takes (a JSON list of core.transcript.SpokenTake): an answer restored from a draft keeps
its recording, and its delivery is measured when it is submitted. Drafts written before have none."""


def _tally_passed(row: str, sign: str) -> str:
    """Count attempt `row` in question_tally.passed if it is a skip or "I don't know" (after `_tally_attempt`)."""
    return f"""
    UPDATE question_tally SET passed = passed {sign} 1 WHERE {row}.parent_id IS NULL AND {row}.kind != 'answer'
      AND bank_id = {row}.bank_id AND question_id = {row}.question_id;"""


M006_PASSED_TALLY = f"""
ALTER TABLE question_tally ADD COLUMN passed INTEGER NOT NULL DEFAULT 0;
UPDATE question_tally SET passed = (SELECT COUNT(*) FROM attempts a WHERE a.parent_id IS NULL AND a.kind != 'answer'
    AND a.bank_id = question_tally.bank_id AND a.question_id = question_tally.question_id);
DROP TRIGGER attempts_tally_ai;
DROP TRIGGER attempts_tally_ad;
DROP TRIGGER attempts_tally_au;
CREATE TRIGGER attempts_tally_ai AFTER INSERT ON attempts BEGIN {_tally_attempt("NEW", "+")}{_tally_passed("NEW", "+")}
END;
CREATE TRIGGER attempts_tally_ad AFTER DELETE ON attempts BEGIN {_tally_attempt("OLD", "-")}{_tally_passed("OLD", "-")}
    DELETE FROM attempt_scores WHERE attempt_id = OLD.id;
END;
CREATE TRIGGER attempts_tally_au AFTER UPDATE OF bank_id, question_id, status, parent_id, session_id, kind ON attempts
BEGIN {_tally_attempt("OLD", "-")}{_tally_passed("OLD", "-")}{_tally_attempt("NEW", "+")}{_tally_passed("NEW", "+")}
END;
"""
"""question_tally counts skips and "I don't know"s (`passed`): no screen calls them answers, as the summary doesn't."""

# (name, sql) in order. Append only.
MIGRATIONS: list[tuple[str, str]] = [
    ("m001_initial", M001_INITIAL),
    ("m002_review_facts", M002_REVIEW_FACTS),
    ("m003_voice", M003_VOICE),
    ("m004_offline_top_band", M004_OFFLINE_TOP_BAND),
    ("m005_draft_takes", M005_DRAFT_TAKES),
    ("m006_passed_tally", M006_PASSED_TALLY),
]
