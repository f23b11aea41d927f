"""One number for one thing: after a dispute (an override of 90 down to 15), the average, each topic's mastery
and the weak list agree on home, the review dashboard, `stats` (table and --json), the Markdown, CSV and JSON
exports and the end-of-session summary, and they are the figures worked out here from the raw rows (the
override counting, follow-ups and unscored answers not).

The issue's case: home said average 74, review 56, `stats` 37; home's topic table said 69 where its "Weakest"
line said 66; and "Weakest" listed a topic at 90 although weak means below 60.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections import defaultdict

import pytest

from _review_seed import add, day
from interviewer.app import reviewing
from interviewer.app.practice import SessionOptions, bank_overview
from interviewer.cli.commands.practice import run_plain
from interviewer.core.models import AttemptKind
from tui_helpers import FrozenClock, KeywordGrader, screen_is, tui_app, until, visible_text

NOW = day(10)


def _cli(home, *args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "interviewer", *args], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "INTERVIEWER_HOME": str(home), "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r


def expected(db_path, topic_of) -> tuple[float, dict[str, float]]:
    """The average and each topic's mastery, straight from the rows: the score that counts is the newest
    override, else the newest grade; bank-question answers only; mastery weighs each older answer 0.8x."""
    con = sqlite3.connect(db_path)
    rows = con.execute("""
        SELECT a.id, a.question_id, a.submitted_at,
               (SELECT score FROM overrides o WHERE o.attempt_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1),
               (SELECT score FROM grades g WHERE g.attempt_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1)
        FROM attempts a WHERE a.parent_id IS NULL ORDER BY a.submitted_at, a.id""").fetchall()
    con.close()
    scored = [(q, at, ov if ov is not None else g) for _id, q, at, ov, g in rows if (ov if ov is not None else g)
              is not None]
    avg = sum(s for *_, s in scored) / len(scored)
    by_topic: dict[str, list[float]] = defaultdict(list)
    for q, _at, s in scored:
        by_topic[topic_of[q]].append(s)
    mastery = {}
    for t, vals in by_topic.items():
        weights = [0.8 ** k for k in range(len(vals))][::-1]  # the newest weighs 1
        mastery[t] = sum(w * v for w, v in zip(weights, vals, strict=True)) / sum(weights)
    return avg, mastery


@pytest.fixture
def disputed(services, isolated_home):
    """Answers in three topics, an unscored one, a skip and a scored follow-up (neither may count), then the
    first answer's 90 disputed down to 15 with the real `interviewer override`."""
    bank = services.bank()
    by_topic: dict[str, list[str]] = defaultdict(list)
    for q in bank.questions:
        by_topic[q.topic].append(q.id)
    a1, a2 = by_topic["Attention Mechanisms"][:2]
    t1, t2 = by_topic["Training & Fine-tuning"][:2]
    p1 = by_topic["Prompt Engineering"][0]
    st = services.store
    first = add(st, a1, day(0), 90, {"k1": "covered"})
    add(st, a1, day(1), 70, {"k1": "covered"})
    add(st, a2, day(2), 50, {"k2": "missing"})
    add(st, t1, day(3), 85)
    add(st, t2, day(4), 92)
    add(st, p1, day(5), 40)
    add(st, p1, day(6), 55)
    add(st, t1, day(7), None)  # grading failed: no score
    add(st, a2, day(8), None, kind=AttemptKind.skipped)
    add(st, a1, day(8, 1), 5, parent_id=first)  # a follow-up: not the bank question, never counted
    services.close()
    _cli(isolated_home, "override", str(first), "15", "--reason", "the grade was far too kind")
    topic_of = {q.id: q.topic for q in bank.questions}
    return expected(isolated_home / "interviewer.db", topic_of)


@pytest.mark.slow
def test_the_figures_agree_everywhere_after_a_dispute(services, disputed, isolated_home):
    avg, mastery = disputed
    weak = sorted((t for t, m in mastery.items() if m < 60), key=lambda t: mastery[t])
    assert weak and any(m >= 60 for m in mastery.values())  # the case needs weak and strong topics

    # the review service, home's figures and the dashboard's report: one average, one mastery per topic
    assert reviewing.average(services) == pytest.approx(avg)
    ov = bank_overview(services, now=NOW)
    assert ov.avg_score == pytest.approx(avg)
    rep = reviewing.report(services, now=NOW, bank_id=services.bank().id)
    assert rep.average == pytest.approx(avg)
    for t in ov.topics:
        if t.topic in mastery:
            assert t.mastery == pytest.approx(mastery[t.topic]), t.topic
            assert next(m for m in rep.topics if m.key == t.topic).mastery == pytest.approx(mastery[t.topic])
        else:
            assert t.mastery is None
    assert [w.topic for w in ov.weakest] == weak[:3]  # only weak topics, weakest first
    assert [w.mastery for w in ov.weakest] == [pytest.approx(mastery[t]) for t in weak[:3]]
    assert [m.key for m in rep.weak_topics] == weak

    # stats, as JSON and as the table
    data = json.loads(_cli(isolated_home, "stats", "--json").stdout)
    assert data["totals"]["average"] == round(avg, 1)
    got = {t["key"]: t for t in data["topics"] if t["mastery"] is not None}
    assert {k: v["mastery"] for k, v in got.items()} == {t: round(m, 1) for t, m in mastery.items()}
    assert sorted(k for k, v in got.items() if v["weak"]) == sorted(weak)
    table = _cli(isolated_home, "stats").stdout
    assert f"average {avg:.0f}" in table
    for t, m in mastery.items():
        line = next(ln for ln in table.splitlines() if ln.strip().startswith(t))
        assert f" {m:.0f} " in line and (("weak" in line) == (t in weak)), line

    # the exports
    md = _cli(isolated_home, "export", "--format", "md", "-o", "-").stdout
    assert f"average score **{avg:.0f}**" in md
    rows = list(csv.DictReader(io.StringIO(_cli(isolated_home, "export", "--format", "csv", "-o", "-").stdout)))
    scores = [float(r["score"]) for r in rows if r["score"] and not r["parent_id"]]
    assert sum(scores) / len(scores) == pytest.approx(avg)
    dump = json.loads(_cli(isolated_home, "export", "--format", "json", "-o", "-").stdout)
    eff = []
    for a in dump["attempts"]:
        if a["parent_id"] is None:
            s = a["overrides"][-1]["score"] if a["overrides"] else (a["grades"][-1]["grade"]["score"]
                                                                    if a["grades"] else None)
            if s is not None:
                eff.append(s)
    assert sum(eff) / len(eff) == pytest.approx(avg)


async def test_home_and_the_dashboard_show_the_same_numbers(services, disputed):
    avg, mastery = disputed
    weak = sorted((t for t, m in mastery.items() if m < 60), key=lambda t: mastery[t])
    app = tui_app(services, clock=FrozenClock(NOW))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen_is(app, "HomeScreen")() and app.screen.query("#overview"))
        await until(pilot, lambda: f"average {avg:.0f}" in visible_text(app.screen.query_one("#overview")),
                    what="home's average")
        home = visible_text(app.screen.query_one("#overview"))
        weakest = home[home.index("Weakest:"):].split("\n")[0]
        assert [t for t in mastery if t in weakest] == [t for t in weak if t in weakest]
        for t in weak[:3]:
            assert f"{t} {mastery[t]:.0f}" in weakest
        strong = [t for t, m in mastery.items() if m >= 60]
        assert not any(t in weakest for t in strong)
        topics = visible_text(app.screen.query_one("#topics"))
        for t, m in mastery.items():
            line = next(ln for ln in topics.splitlines() if t in ln)
            assert f" {m:.0f} " in line, line  # the table's figure is the Weakest line's figure
        await pilot.press("r")
        await until(pilot, lambda: screen_is(app, "ReviewScreen")() and app.screen.report is not None)
        head = visible_text(app.screen.query_one("#review-headline"))
        assert f"average {avg:.0f}" in head and f"{len(weak)} weak topic" in head


def test_the_session_summary_is_the_history_of_that_session(services):
    """The end-of-session summary's average and per-topic figures are the mean of the scores its answers got,
    and `stats` agrees once that session is the whole history."""
    services.grader = KeywordGrader(follow_up="")
    out = io.StringIO()
    typed = ("a transformer trained on huge amounts of text\n\n"
             "self-attention with queries, keys and values\n\n"
             "/skip\n")
    assert run_plain(services, SessionOptions(order="in-order", count=3), io.StringIO(typed), out) == 0
    text = out.getvalue()
    scores = [services.store.latest_grade(a.id).grade.score for a in services.store.attempts()
              if a.kind is AttemptKind.answer]
    assert len(scores) == 2
    assert f"Session summary: 2 answered, 2 graded, average {sum(scores) / len(scores):.0f}." in text
    assert reviewing.average(services) == pytest.approx(sum(scores) / len(scores))


def test_a_skip_is_no_answer_on_any_screen(services, isolated_home):
    """The summary says "2 answered" for two answers and a skip; home, the review dashboard, `stats` and the report
    said "3 answers" (and the report "1 ungraded"): a skip is stored as an attempt with status ungraded. They
    now say 2 answers and 1 not answered, and a skipped question is not "practised"."""
    from interviewer.app.export_report import render_markdown
    from interviewer.tui.screens.review import headline
    from interviewer.tui.widgets.overview import overview_text

    services.grader = KeywordGrader(follow_up="")
    typed = ("a transformer trained on huge amounts of text\n\n"
             "self-attention with queries, keys and values\n\n"
             "/skip\n")
    assert run_plain(services, SessionOptions(order="in-order", count=3), io.StringIO(typed), io.StringIO()) == 0
    ov = bank_overview(services)
    assert (ov.answered, ov.attempts, ov.passed) == (2, 3, 1)  # 3 attempts: 2 answers and the skip
    assert "Practised 2 of 100 (2 answers, 1 not answered)" in overview_text(ov).plain
    assert "2 answers, 2 graded, 1 not answered" in headline(reviewing.report(services)).plain
    report, _ = render_markdown(services)
    assert "**2 answers, 1 not answered**, over 3 questions in 1 session · 2 graded, 0 ungraded" in report
    assert "2 answers, 2 graded, 1 not answered, 1 session" in _cli(isolated_home, "stats").stdout
