"""core.review: mastery with recency weighting, trend, the one definition of weak, most-missed key points,
grade -> FSRS rating, due and weakest selection, attempt comparison. Pure: no database, fixed times."""

from __future__ import annotations

from datetime import timedelta

import fsrs
import pytest

from _review_seed import T0, day, make_grade
from interviewer.core import review as rv
from interviewer.core.models import KeyPointStatus as S
from interviewer.core.scoring import VERDICT_BANDS


def pt(i: int, q: str, d: float, score: float, override: float | None = None) -> rv.ScorePoint:
    return rv.ScorePoint(attempt_id=i, bank_id="b", question_id=q, at=day(d),
                         score=override if override is not None else score, model_score=score,
                         override_score=override)


# ------------------------------------------------------------------ rating map


@pytest.mark.parametrize(("score", "rating"), [
    (100, rv.Rating.Easy), (85, rv.Rating.Easy), (84.9, rv.Rating.Good), (70, rv.Rating.Good),
    (69.9, rv.Rating.Hard), (50, rv.Rating.Hard), (49.9, rv.Rating.Again), (0, rv.Rating.Again),
])
def test_rating_bands(score, rating):
    assert rv.rating_for(score) is rating


def test_rating_values_match_the_fsrs_package():
    for r in rv.Rating:
        assert fsrs.Rating(int(r)).name == r.name


def test_override_takes_precedence_and_ungraded_has_no_score():
    assert rv.rating_for(rv.effective_score(40, 90)) is rv.Rating.Easy
    assert rv.rating_for(rv.effective_score(90, 40)) is rv.Rating.Again
    assert rv.rating_for(rv.effective_score(72, None)) is rv.Rating.Good
    assert rv.effective_score(None, None) is None
    assert rv.rating_for(rv.effective_score(None, 55)) is rv.Rating.Hard


# ------------------------------------------------------------------ mastery, trend, weak


def test_weak_threshold_is_the_solid_verdict_bound():
    solid = next(lo for lo, name in VERDICT_BANDS if name == "solid")
    assert rv.WEAK_BELOW == solid == 60
    assert rv.is_weak(59.9) and not rv.is_weak(60) and not rv.is_weak(None)
    assert "60" in rv.WEAK_EXPLANATION


def test_recency_mean_weighs_newest_most():
    # oldest first: 30, 40, 85, 90 -> newest weighs 1, then .8, .64, .512
    got = rv.recency_mean([30, 40, 85, 90])
    expected = (90 * 1 + 85 * .8 + 40 * .64 + 30 * .512) / (1 + .8 + .64 + .512)
    assert got == pytest.approx(expected)
    assert got > sum([30, 40, 85, 90]) / 4  # improving person: mastery above the plain mean
    assert rv.recency_mean([90, 85, 40, 30]) < sum([30, 40, 85, 90]) / 4
    assert rv.recency_mean([]) is None


def test_trend():
    assert rv.trend_of([50]) is None
    assert rv.trend_of([50, 70]) == pytest.approx(20)
    assert rv.trend_of([10, 20, 30, 60, 70, 80]) == pytest.approx(50)
    assert rv.trend_of([99, 10, 20, 30, 60, 70, 80]) == pytest.approx(50)  # only the last 2x3 count
    assert rv.trend_label(5) == "improving" and rv.trend_label(-5) == "declining"
    assert rv.trend_label(4.9) == "steady" and rv.trend_label(None) == ""


def test_topic_mastery_weakest_first_with_new_and_unknown_topics():
    topic_of = {"q1": "Attention", "q2": "Attention", "q3": "Training", "q4": "Safety"}
    points = [
        pt(1, "q1", 0, 40), pt(2, "q2", 1, 50), pt(3, "q1", 2, 55),  # Attention: weak
        pt(4, "q3", 0, 90), pt(5, "q3", 3, 80),                          # Training: ok
        pt(6, "zz", 1, 20),                                              # not in any bank
    ]
    topics = rv.topic_mastery(points, topic_of, ungraded={"q4": 2, "q1": 1},
                              all_topics={"Attention": 2, "Training": 1, "Safety": 1, "Ethics": 3})
    keys = [t.key for t in topics]
    assert keys == ["(unknown)", "Attention", "Training", "Ethics", "Safety"]
    att = topics[1]
    assert att.attempts == 3 and att.ungraded == 1 and att.questions_practised == 2 and att.questions_total == 2
    assert att.weak and att.status == "weak"
    assert att.recent_avg == pytest.approx((40 + 50 + 55) / 3)
    assert att.last_practised == day(2)
    assert topics[2].status == "ok" and not topics[2].weak
    safety = topics[-1]
    assert safety.status == "new" and safety.ungraded == 2 and safety.mastery is None and not safety.weak


def test_override_changes_mastery():
    plain = rv.question_mastery([pt(1, "q", 0, 30)])["q"]
    overridden = rv.question_mastery([pt(1, "q", 0, 30, override=80)])["q"]
    assert plain.weak and not overridden.weak and overridden.mastery == 80


# ------------------------------------------------------------------ key points


def test_most_missed_key_points_across_questions():
    seen = []

    def see(i, q, k, s, d):
        seen.append(rv.KeyPointSeen(attempt_id=i, question_id=q, key_point_id=k, status=s, at=day(d)))

    # q1.k2 missed three times; q2.k1 missed twice then partial; q1.k1 covered always; q3.k1 missed then covered
    for i, d in ((1, 0), (2, 1), (3, 2)):
        see(i, "q1", "k1", S.covered, d)
        see(i, "q1", "k2", S.missing, d)
    see(4, "q2", "k1", S.missing, 0)
    see(5, "q2", "k1", S.missing, 1)
    see(6, "q2", "k1", S.partial, 2)
    see(7, "q3", "k1", S.missing, 0)
    see(8, "q3", "k1", S.covered, 3)
    texts = {("q1", "k2"): "scaling by sqrt(d_k)"}
    kps = {(k.question_id, k.key_point_id): k for k in rv.key_point_mastery(seen, texts)}
    assert kps[("q1", "k2")].missing == 3 and kps[("q1", "k2")].mastery == 0
    assert kps[("q1", "k2")].text == "scaling by sqrt(d_k)"
    assert kps[("q2", "k1")].last_status is S.partial and kps[("q2", "k1")].misses == 3
    assert kps[("q3", "k1")].mastery == pytest.approx(100 / 1.8)  # (100*1 + 0*.8)/1.8 = 55.6: still weak
    missed = rv.most_missed(kps.values())
    assert [(k.question_id, k.key_point_id) for k in missed] == [("q1", "k2"), ("q2", "k1"), ("q3", "k1")]
    assert rv.most_missed(kps.values(), limit=1)[0].text == "scaling by sqrt(d_k)"
    assert ("q1", "k1") not in {(k.question_id, k.key_point_id) for k in missed}


# ------------------------------------------------------------------ selection


def test_due_questions_picks_due_only_most_overdue_first():
    now = day(10)
    cards = [rv.DueCard("b", "q1", day(9)), rv.DueCard("b", "q2", day(3)), rv.DueCard("b", "q3", day(11)),
             rv.DueCard("b", "q4", now)]
    assert [c.question_id for c in rv.due_questions(cards, now)] == ["q2", "q1", "q4"]
    assert [c.question_id for c in rv.due_questions(cards, now, limit=1)] == ["q2"]
    assert [c.question_id for c in rv.due_questions(cards, now, question_ids={"q1", "q3"})] == ["q1"]
    assert rv.due_questions(cards, now - timedelta(days=8)) == []


def test_weakest_questions():
    by_q = rv.question_mastery([pt(1, "q1", 0, 70), pt(2, "q2", 0, 20), pt(3, "q3", 0, 55), pt(4, "q4", 0, 95)],
                               ungraded={"q5": 1})
    assert rv.weakest_questions(by_q) == ["q2", "q3", "q1", "q4"]
    assert rv.weakest_questions(by_q, weak_only=True) == ["q2", "q3"]
    assert rv.weakest_questions(by_q, limit=2, question_ids={"q1", "q3", "q4"}) == ["q3", "q1"]


def test_daily_scores_and_compare():
    pts = [pt(1, "q1", 0, 40), pt(2, "q2", 0, 60), pt(3, "q1", 1, 80)]
    assert rv.daily_scores(pts) == [(T0.date().isoformat(), 50.0, 2), (day(1).date().isoformat(), 80.0, 1)]
    a = make_grade(40, {"k1": "covered", "k2": "missing", "k3": "partial", "k4": "covered"})
    b = make_grade(75, {"k1": "covered", "k2": "covered", "k3": "missing", "k4": "missing"})
    c = rv.compare_grades(a, b)
    assert c.score_change == 35 and c.newly_covered == ["k2"] and c.still_missed == ["k3"]
    assert c.newly_missed == ["k4"]
    assert rv.compare_grades(a, b, earlier_score=70).score_change == 5


def test_review_modules_import_no_ui_or_llm_library():
    import json
    import subprocess
    import sys

    code = ("import interviewer.core.review, interviewer.store.history, interviewer.store.transfer, "
            "interviewer.app.scheduling, interviewer.app.reviewing, interviewer.app.exporting, interviewer.app.export_report, "
            "interviewer.cli.commands.review, sys, json; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    mods = set(json.loads(out.stdout))
    for heavy in ("textual", "rich", "openai", "litellm"):
        assert heavy not in mods, heavy


@pytest.mark.parametrize("missing, partial, said", [
    (2, 0, "missed 2/3"),
    (0, 1, "partly 1/3"),  # the feedback showed it as "partly": never "missed 1/3"
    (1, 1, "missed 1, partly 1 of 3"),
])
def test_how_often_a_key_point_was_left_out_uses_the_feedback_s_words(missing, partial, said):
    k = rv.KeyPointMastery("q1", "k1", "a point", seen=3, covered=3 - missing - partial, partial=partial,
                           missing=missing, mastery=40.0, last_status=S.partial, last_seen=T0)
    assert k.how_often == said


def test_a_point_said_the_other_way_round_last_time_is_marked_and_shown_first():
    """Of two points missed alike, the one the newest answer said the opposite of reads so ("said the opposite
    last time", as its feedback said it) and leads "you often leave out"; the rest keep their order."""
    kps = [rv.KeyPointMastery("q1", k, k, seen=2, covered=0, partial=0, missing=2, mastery=0.0,
                              last_status=S.missing, last_seen=day(n)) for n, k in enumerate(("k1", "k2", "k3"))]
    missed = rv.most_missed(kps)
    assert [k.key_point_id for k in missed] == ["k3", "k2", "k1"]  # equal mastery and misses: newest seen first
    shown = rv.with_last_said(missed, {("q1", "k1")})
    assert [k.key_point_id for k in shown] == ["k1", "k3", "k2"]
    assert shown[0].record == "missed 2/2, said the opposite last time" and shown[0].last_said == "said the opposite"
    assert shown[1].record == "missed 2/2" and shown[1].last_said == "missing"
    assert shown[0].to_dict()["last_contradicted"] is True
