"""reviewing: the service the review/history screens and the CLI use. A test database seeded with three
sessions at fixed times; a tiny test grader for re-grading (no network, no offline grader needed)."""

from __future__ import annotations

import pytest

from _review_seed import FixedGrader, day
from interviewer.app import reviewing
from interviewer.core.errors import InterviewerError
from interviewer.core.models import AttemptStatus
from interviewer.store import history

NOW = day(7, 12)


def test_report_weakest_topics_and_most_missed(services, seeded):
    rep = reviewing.report(services, now=NOW)
    practised = [t.key for t in rep.topics if t.status != "new"]
    assert practised == ["Attention Mechanisms", "Prompt Engineering", "Training & Fine-tuning"]
    att = rep.topics[0]
    assert att.weak and att.attempts == 4 and att.questions_practised == 2 and att.questions_total == 7
    assert [t.key for t in rep.weak_topics] == ["Attention Mechanisms"]
    tr = next(t for t in rep.topics if t.key == "Training & Fine-tuning")
    assert tr.ungraded == 1 and tr.attempts == 2 and not tr.weak
    assert len([t for t in rep.topics if t.status == "new"]) == 7  # the bank's other topics, as 'new'
    missed = [(k.question_id, k.key_point_id) for k in rep.most_missed]
    assert missed[:2] == [(seeded["A1"], "k2"), (seeded["A2"], "k2")]
    assert (seeded["P1"], "k3") in missed
    assert rep.most_missed[0].text == seeded["bank"].get(seeded["A1"]).key_points[1].text
    assert rep.totals["attempts"] == 10 and rep.totals["sessions"] == 3
    assert rep.average == pytest.approx((35 + 85 + 60 + 45 + 50 + 70 + 55 + 90) / 8)
    assert [d for d, _, _ in rep.daily] == ["2025-03-01", "2025-03-04", "2025-03-08"]
    d = rep.to_dict()
    assert d["topics"][0]["key"] == "Attention Mechanisms" and d["topics"][0]["weak"] is True
    assert "60" in d["weak_definition"]


def test_due_selection_picks_the_right_questions(services, seeded):
    due = [q.id for q in reviewing.due_questions(services, now=NOW)]
    # A1 was rated Again on day 3 (45): due on day 4. A2 was re-reviewed on day 7 (Hard), P1 was Good on
    # day 3, T1 Easy on day 0 (8 days), T2 Easy on day 7; P2 was only skipped (new, never due).
    assert due == [seeded["A1"]]
    assert reviewing.due_questions(services, now=day(0, 3)) == []  # nothing is due on the first day
    assert [q.id for q in reviewing.due_questions(services, now=NOW, topic="Training & Fine-tuning")] == []
    later = [q.id for q in reviewing.due_questions(services, now=day(60))]
    assert set(later) == {seeded[k] for k in ("A1", "A2", "T1", "T2", "P1")}


def test_weakest_questions(services, seeded):
    got = [q.id for q in reviewing.weakest_questions(services)]
    assert got[:2] == [seeded["A1"], seeded["A2"]]
    assert got[-1] == seeded["T2"] and seeded["P2"] not in got
    assert [q.id for q in reviewing.weakest_questions(services, weak_only=True)] == [seeded["A1"], seeded["A2"]]
    assert [q.id for q in reviewing.weakest_questions(services, topic="Prompt Engineering")] == [seeded["P1"]]


def test_override_counts_for_mastery_and_scheduling(services, seeded):
    before = reviewing.after_grade(services, seeded["ids"]["a1_3"], now=NOW)
    reviewing.override(services, seeded["ids"]["a1_3"], 95, "the grader missed my second paragraph", now=NOW)
    after = scheduling_card(services, seeded["A1"])
    assert after.due > before.due
    assert seeded["A1"] not in [q.id for q in reviewing.due_questions(services, now=NOW)]
    q = reviewing.report(services, now=NOW).questions[seeded["A1"]]
    assert q.mastery == pytest.approx((95 + 35 * .8) / 1.8)
    with pytest.raises(InterviewerError, match="0 to 100"):
        reviewing.override(services, seeded["ids"]["a1_3"], 101, "x")
    with pytest.raises(InterviewerError, match="reason"):
        reviewing.override(services, seeded["ids"]["a1_3"], 50, "  ")
    with pytest.raises(InterviewerError, match="no attempt"):
        reviewing.override(services, 9999, 50, "x")


def scheduling_card(services, qid):
    from interviewer.app import scheduling

    return scheduling.load_card(services.store, "llm-100", qid)


async def test_regrade_ungraded_with_another_grader(services, seeded):
    targets = reviewing.regrade_targets(services, ungraded=True)
    assert [a.id for a in targets] == [seeded["ids"]["t1_3"]]  # the skipped one has nothing to grade
    g = FixedGrader(88)
    seen = []
    res = await reviewing.regrade(services, targets, grader=g, rubric_id="comparison", on_result=seen.append)
    assert [r.ok for r in res] == [True] and seen == res
    assert g.seen[0][1] == "comparison"
    a = services.store.get_attempt(seeded["ids"]["t1_3"])
    assert a.status is AttemptStatus.graded
    assert scheduling_card(services, seeded["T1"]).reviews == 2  # the new grade reached the schedule


async def test_regrade_keeps_every_grade_and_a_failure_keeps_the_old_one(services, seeded):
    aid = seeded["ids"]["p1_3"]
    res = await reviewing.regrade(services, reviewing.regrade_targets(services, attempt_ids=[aid]),
                                  grader=FixedGrader(20))
    assert res[0].ok and res[0].grade.grade.score == 20
    detail = reviewing.attempt_detail(services, aid)
    assert [g.grade.score for g in detail.grades] == [20, 70]  # newest first, the old one kept
    res = await reviewing.regrade(services, reviewing.regrade_targets(services, attempt_ids=[aid]),
                                  grader=FixedGrader(fail=True))
    assert not res[0].ok and "refused" in res[0].error
    a = services.store.get_attempt(aid)
    assert a.status is AttemptStatus.graded and services.store.latest_grade(aid).grade.score == 20


async def test_regrade_a_whole_session(services, seeded):
    s2 = seeded["sessions"][1]
    targets = reviewing.regrade_targets(services, session_id=s2.id)
    assert len(targets) == 4
    res = await reviewing.regrade(services, targets, grader=FixedGrader(77), concurrency=3)
    assert all(r.ok for r in res) and [r.attempt_id for r in res] == [a.id for a in targets]
    with pytest.raises(InterviewerError, match="no session"):
        reviewing.regrade_targets(services, session_id=999)


def test_attempt_detail_compares_with_the_previous_attempt(services, seeded):
    d = reviewing.attempt_detail(services, seeded["ids"]["p1_3"])
    assert d.previous.attempt.id == seeded["ids"]["p1_0"]
    c = d.comparison()
    assert c.score_change == 10 and c.still_missed == ["k3"] and c.newly_covered == []
    assert reviewing.attempt_detail(services, seeded["ids"]["p1_0"]).comparison() is None


def test_delete_session_and_attempt_update_the_schedule(services, seeded):
    s3 = seeded["sessions"][2]
    reviewing.report(services, now=NOW)  # syncs
    assert scheduling_card(services, seeded["T2"]) is not None
    assert reviewing.delete_session(services, s3.id, now=NOW) == 3
    assert scheduling_card(services, seeded["T2"]) is None
    assert scheduling_card(services, seeded["A2"]).reviews == 1
    reviewing.delete_attempt(services, seeded["ids"]["a2_3"], now=NOW)
    assert scheduling_card(services, seeded["A2"]) is None
    assert history.history(services.store, session_id=s3.id) == []
    with pytest.raises(InterviewerError, match="no session"):
        reviewing.delete_session(services, s3.id)
    with pytest.raises(InterviewerError, match="no attempt"):
        reviewing.delete_attempt(services, seeded["ids"]["a2_3"])


def test_history_rows_for_the_history_screen(services, seeded):
    rows = reviewing.history_rows(services, limit=3)
    assert [r.attempt_id for r in rows] == [seeded["ids"][k] for k in ("p2_7", "t2_7", "a2_7")]
    s1 = seeded["sessions"][0]
    assert {r.attempt_id for r in reviewing.history_rows(services, session_id=s1.id)} == {
        seeded["ids"][k] for k in ("a1_0", "t1_0", "p1_0")}
    assert [r.score for r in reviewing.history_rows(services, question_id=seeded["A1"])] == [45, 35]
